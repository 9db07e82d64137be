#!/usr/bin/env python3
"""Validates Segwork YAML files against the JSON Schemas in schemas/ (draft 2020-12, with the jsonschema package).

  scripts/validate-yaml.py [PATH ...] [--docs]

Each PATH is a file or a folder (searched for workspace.yaml, library.yaml and segmentations/*.yaml); with no
PATH, the repository's own (workspaces/, plugins/). The schema is chosen by the file: workspace.yaml, library.yaml,
or a definition under segmentations/. A first line `# yaml-language-server: $schema=...` must name that same
schema, by a path that exists. --docs also checks the ```yaml examples in README.md and docs/*.md: an example whose
top-level keys all belong to one kind of file is checked as a part of such a file (required keys aside).

Prints one line per problem (file:line: message) and a closing `N files valid, M invalid` line; exit status 1
when any file is invalid, 2 on a usage or setup problem. Needs jsonschema and PyYAML: `scripts/ensure-deps`
installs them into .build/venv, which this script uses when the running Python lacks them.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV_PYTHON = os.path.join(ROOT, ".build", "venv", "bin", "python3")

try:
    import jsonschema
    import yaml
except ImportError:
    if os.path.exists(VENV_PYTHON) and os.path.realpath(sys.executable) != os.path.realpath(VENV_PYTHON):
        os.execv(VENV_PYTHON, [VENV_PYTHON] + sys.argv)
    sys.stderr.write("validate-yaml: needs the Python packages jsonschema and pyyaml; run scripts/ensure-deps "
                     "(it installs them into .build/venv)\n")
    sys.exit(2)

import json

SCHEMAS = os.path.join(ROOT, "schemas")
MODELINE = re.compile(r"^#\s*yaml-language-server:\s*\$schema=(\S+)\s*$")
SKIP_DIRS = {".build", ".git", ".seg", "exports", "node_modules"}


class Loader(yaml.SafeLoader):
    """Reads scalars as Segwork's parser (Yams) does: a date such as 2024-12-31 stays text."""


Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_schema(kind):
    with open(os.path.join(SCHEMAS, kind + ".schema.json"), encoding="utf-8") as f:
        return json.load(f)


def kind_of(path):
    base = os.path.basename(path)
    if base == "workspace.yaml":
        return "workspace"
    if base == "library.yaml":
        return "library"
    if os.path.basename(os.path.dirname(path)) == "segmentations" and base.endswith((".yaml", ".yml")):
        return "definition"
    return None


def find_files(paths):
    out = []
    for p in paths:
        if os.path.isfile(p):
            out.append(p)
            continue
        for dirpath, dirnames, filenames in os.walk(p):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
            for name in sorted(filenames):
                full = os.path.join(dirpath, name)
                if not name.startswith(".") and kind_of(full):
                    out.append(full)
    return out


def line_of(node_lines, path):
    """The line of the deepest part of `path` (a list of keys and indexes) that the file has."""
    for n in range(len(path), -1, -1):
        key = tuple(path[:n])
        if key in node_lines:
            return node_lines[key]
    return 1


def lines_by_path(text):
    """JSON path (tuple) → 1-based line, from PyYAML's node marks."""
    out = {}
    try:
        root = yaml.compose(text, Loader=Loader)
    except yaml.YAMLError:
        return out

    def walk(node, path):
        out[tuple(path)] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                out[tuple(path + [k.value])] = k.start_mark.line + 1
                walk(v, path + [k.value])
                out[tuple(path + [k.value])] = k.start_mark.line + 1  # the key's line, not its value's
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                walk(v, path + [i])

    if root is not None:
        walk(root, [])
    return out


def check(shown, text, kind, partial=False, first_line_offset=0):
    """Problems of one YAML text as (line, message)."""
    try:
        data = yaml.load(text, Loader=Loader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        return [((mark.line + 1 if mark else 1) + first_line_offset, "is not valid YAML: %s" % e)]
    schema = load_schema(kind)
    if partial:
        schema = dict(schema)
        schema.pop("required", None)
    validator = jsonschema.Draft202012Validator(schema)
    lines = lines_by_path(text)
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        best = jsonschema.exceptions.best_match([error])
        where = ".".join(str(p) for p in error.absolute_path) or "(top level)"
        problems.append((line_of(lines, list(error.absolute_path)) + first_line_offset,
                         "%s: %s (schema: %s)" % (where, best.message, "/".join(map(str, error.absolute_schema_path)))))
    return problems


def check_file(path):
    shown = os.path.relpath(path)
    kind = kind_of(path)
    if kind is None:
        return [(1, "is not a workspace.yaml, library.yaml or segmentations/*.yaml file; no schema applies")]
    with open(path, encoding="utf-8") as f:
        text = f.read()
    problems = []
    first = text.split("\n", 1)[0]
    m = MODELINE.match(first)
    if m:
        target = m.group(1)
        resolved = target if os.path.isabs(target) else os.path.join(os.path.dirname(path), target)
        if os.path.basename(target) != kind + ".schema.json":
            problems.append((1, "names the schema %s, but this is a %s file (%s.schema.json)" % (target, kind, kind)))
        elif not os.path.exists(resolved):
            problems.append((1, "names the schema %s, which does not exist from here" % target))
    return problems + check(shown, text, kind)


FENCE = re.compile(r"^```ya?ml\s*$")


def doc_examples():
    """(file, line of the block's first line, text) for every ```yaml block of README.md and docs/*.md."""
    files = [os.path.join(ROOT, "README.md")]
    docs = os.path.join(ROOT, "docs")
    files += [os.path.join(docs, n) for n in sorted(os.listdir(docs)) if n.endswith(".md")]
    for path in files:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        i = 0
        while i < len(lines):
            if FENCE.match(lines[i]):
                j = i + 1
                while j < len(lines) and not lines[j].startswith("```"):
                    j += 1
                yield path, i + 2, "\n".join(lines[i + 1:j]) + "\n"
                i = j
            i += 1


def example_kind(data):
    if not isinstance(data, dict) or not data:
        return None
    keys = set(map(str, data))
    kinds = [k for k in ("definition", "workspace", "library") if keys <= set(load_schema(k)["properties"])]
    return kinds[0] if len(kinds) == 1 else None


def main(argv):
    args = [a for a in argv if a != "--docs"]
    if any(a.startswith("-") for a in args):
        sys.stderr.write(__doc__)
        return 2
    files = find_files(args or [os.path.join(ROOT, "workspaces"), os.path.join(ROOT, "plugins")])
    valid = invalid = 0
    for path in files:
        problems = check_file(path)
        for line, message in problems:
            print("%s:%d: %s" % (os.path.relpath(path), line, message))
        valid, invalid = (valid, invalid + 1) if problems else (valid + 1, invalid)
    if "--docs" in argv:
        for path, line, text in doc_examples():
            try:
                data = yaml.load(text, Loader=Loader)
            except yaml.YAMLError:
                continue  # a fragment (an indented excerpt) rather than a file
            kind = example_kind(data)
            if kind is None:
                continue
            problems = check(path, text, kind, partial=True, first_line_offset=line - 1)
            for pline, message in problems:
                print("%s:%d: (%s example) %s" % (os.path.relpath(path), pline, kind, message))
            valid, invalid = (valid, invalid + 1) if problems else (valid + 1, invalid)
    if valid + invalid == 0:
        sys.stderr.write("validate-yaml: no Segwork YAML files found in %s\n" % (", ".join(args) or "the repository"))
        return 2
    print("%d files valid, %d invalid" % (valid, invalid))
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
