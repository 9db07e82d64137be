#!/usr/bin/env python3
"""Times `seg run` against pandas, polars and DuckDB on generated workspaces and checks they agree.

    bench/run.sh                       # 10k and 100k customers, 3 runs each (builds seg in release first)
    bench/run.sh 1M --runs 3           # 1 M customers
    bench/run.sh --shape both 10k 100k --runs 1     # the narrow and the realistic shape
    bench/run.sh --shape realistic --scaling 10k 100k 1M 3M
    bench/run.py --report-only --shape realistic --scaling 10k 100k 1M 3M   # print stored results, run nothing
    bench/run.py --no-build 10k        # with the venv's python, skipping `swift build`

Shapes (--shape, default narrow): `narrow` (6 customer and 4 transaction columns, no cleaning, bench/data/<size>/)
and `realistic` (a 16-column CRM export and 6 transaction columns with text and ~3 % exact duplicate lines,
deduplicated by the definition, bench/data/realistic-<size>/; see bench/realistic.py); `both` runs each size
in both shapes.

For each size and shape: generates the workspace if it is missing (bench/generate.py, seed 42), reads the inputs
once so every tool starts from the page cache, then runs Segwork and each peer --runs times, each run a new
process under `/usr/bin/time -v` (wall seconds, CPU seconds, peak RSS); Segwork with `--timings`, which prints
one line per phase (bench/segphases.py). Before every Segwork run the workspace's `.seg/` store and `exports/` are removed, so each run does
everything a first run does (hash and snapshot the inputs, store the version, write the exports);
`--keep-store` keeps them instead (a re-run). `--interleave` runs the tools in rounds, one run of each per round,
so that a slow spell of the (shared) machine costs every tool alike instead of one tool's runs.

Below the table: Segwork's phases in its median run, as `seg run --timings` reports them (each cleaning step on
its own), each with its share of the wall time, its CPU seconds, the process's peak RSS when it ended and, for each
file read, MB/s (file bytes over the phase's wall time) and MB per CPU-second (over the CPU time of the whole
process during the phase: the parsing threads and the run id's SHA-256 of the file, which runs meanwhile). `--scaling` ends with one line per size and shape: Segwork's
median, the ratio to the previous size, and that ratio per row (time ratio over transaction-line ratio; 1.00 is
linear growth).

CPU s is the median user + system time (above the wall time: more than one core was busy).
Segwork's segment counts come from exports/rfm/<run id>/profiles.json; each peer prints its own. All must
agree on every segment count, or the script exits 1 (after printing the table and the differences).
For the realistic shape the segment revenues must agree too (relative difference at most 1e-9: a tool that
kept the duplicate lines would count ~3 % more), and Segwork's dedupe must remove exactly the duplicate lines
the generator planted (cleaning.json against bench.json).
A peer that cannot be imported is skipped with a note. Results go to bench/data/results-<shape>-<size>.json.
"""
import argparse
import glob
import json
import os
import re
import shutil
import statistics
import subprocess
import sys

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)
import generate  # noqa: E402
import peers  # noqa: E402
import segphases  # noqa: E402


def timed(cmd, env=None):
    """Runs cmd under /usr/bin/time -v: (returncode, stdout, stderr without the time report, (wall seconds,
    user + system CPU seconds), peak KiB)."""
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, env=env)
    err = p.stderr
    cut = err.rfind("\tCommand being timed:")
    report, err = (err[cut:], err[:cut]) if cut >= 0 else ("", err)
    err = re.sub(r"Command exited with non-zero status \d+\n?$", "", err)
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", report)
    secs = (int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))) if m else float("nan")
    cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", report))
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report)
    rss = int(m.group(1)) if m else 0
    return p.returncode, p.stdout, err, (secs, cpu), rss


def build_seg(skip):
    if not skip:
        print("building seg (swift build -c release) …", file=sys.stderr)
        subprocess.run(["swift", "build", "-c", "release"], cwd=ROOT, check=True)
    path = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.strip()
    seg = os.path.join(path, "seg")
    if not os.access(seg, os.X_OK):
        sys.exit(f"run.py: {seg} does not exist; build it with `swift build -c release` (or drop --no-build)")
    return seg


def ensure_data(size, seed, regenerate, shape):
    ws = generate.default_dir(size, shape)
    facts_path = os.path.join(ws, "bench.json")
    facts = None
    if os.path.exists(facts_path):
        with open(facts_path) as f:
            facts = json.load(f)
    if (regenerate or facts is None or facts.get("seed") != seed or facts.get("customers") != size
            or facts.get("shape", "narrow") != shape):
        if os.path.isdir(ws):
            shutil.rmtree(ws)
        generate.main([str(size), "--seed", str(seed), "--out", ws, "--shape", shape])
        with open(facts_path) as f:
            facts = json.load(f)
    return ws, facts


def warm(ws):
    for name in ("customers.csv", "transactions.csv"):
        with open(os.path.join(ws, "data", name), "rb") as f:
            while f.read(1 << 24):
                pass


def segwork_counts(ws):
    found = sorted(glob.glob(os.path.join(ws, "exports", "rfm", "*", "profiles.json")), key=os.path.getmtime)
    if not found:
        raise RuntimeError(f"no exports/rfm/<run id>/profiles.json in {ws}")
    with open(found[-1]) as f:
        report = json.load(f)
    counts = {g["label"]: g["count"] for g in report["segments"] if not g.get("unassigned")}
    revenue = {g["label"]: g.get("revenue") or 0.0 for g in report["segments"] if not g.get("unassigned")}
    unassigned = sum(g["count"] for g in report["segments"] if g.get("unassigned"))
    if unassigned:
        counts["(unassigned)"] = unassigned
    params = next((p["params"] for p in report["run"]["plugins"] if p["name"] == "rfm"), {})
    removed = None
    cleaning = os.path.join(os.path.dirname(found[-1]), "cleaning.json")
    if os.path.exists(cleaning):
        with open(cleaning) as f:
            removed = sum(step["rows_removed"] for d in json.load(f)["datasets"] for step in d["steps"]
                          if step["name"] == "dedupe")
    return counts, params.get("r_breaks"), params.get("f_breaks"), report["run"]["runID"], revenue, removed


def run_segwork(seg, ws, runs, keep_store):
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "SEG_PLUGIN_PATH", "SEG_BUNDLED_PLUGINS")}
    times, cpus, peaks, phases = [], [], [], []
    for _ in range(runs):
        if not keep_store:
            shutil.rmtree(os.path.join(ws, ".seg"), ignore_errors=True)
            shutil.rmtree(os.path.join(ws, "exports"), ignore_errors=True)
        r = segphases.run([seg, "run", ws, "rfm"], env)     # with --timings: one line per phase
        if r["returncode"] != 0:
            raise RuntimeError(f"seg run failed (exit {r['returncode']}):\n{r['stdout']}" + "\n".join(r["messages"]))
        times.append(r["wall"])
        cpus.append(r["cpu"])
        peaks.append(r["peak_kib"])
        phases.append(r["phases"])
    counts, rb, fb, run_id, revenue, removed = segwork_counts(ws)
    median_run = sorted(range(runs), key=lambda i: times[i])[(runs - 1) // 2]
    return {"tool": "segwork", "version": run_id, "times": times, "cpu": cpus, "peak_kib": max(peaks),
            "segments": counts, "revenue": revenue, "r_breaks": rb, "f_breaks": fb, "dedupe_removed": removed,
            "phases": phases[median_run], "phases_run": median_run + 1}


def run_peer(tool, ws, runs):
    times, cpus, peaks, result = [], [], [], None
    for _ in range(runs):
        rc, out, err, (secs, cpu), rss = timed([sys.executable, os.path.join(BENCH, "peers.py"), tool, ws])
        if rc == 3:
            return {"tool": tool, "skipped": err.strip()}
        if rc != 0:
            raise RuntimeError(f"peers.py {tool} failed (exit {rc}):\n{err}")
        r = json.loads(out)
        if result is not None and r["segments"] != result["segments"]:
            raise RuntimeError(f"{tool} gave different counts on two runs of the same data")
        result = r
        times.append(secs)
        cpus.append(cpu)
        peaks.append(rss)
    return {"tool": tool, "version": result["version"], "times": times, "cpu": cpus, "peak_kib": max(peaks),
            "segments": result["segments"], "revenue": result.get("revenue"), "r_breaks": result["r_breaks"],
            "f_breaks": result["f_breaks"]}


def merge_runs(parts):
    """One result from single-run results of one tool (--interleave): times and CPU in run order, the highest peak,
    Segwork's phases from its median run; the counts of the last run (every run's are compared by check())."""
    if any("skipped" in p for p in parts):
        return next(p for p in parts if "skipped" in p)
    for p in parts[1:]:
        if p["segments"] != parts[0]["segments"]:
            raise RuntimeError(f"{p['tool']} gave different counts on two runs of the same data")
    merged = dict(parts[-1])
    merged["times"] = [t for p in parts for t in p["times"]]
    merged["cpu"] = [c for p in parts for c in p["cpu"]]
    merged["peak_kib"] = max(p["peak_kib"] for p in parts)
    if "phases" in merged:
        median = sorted(range(len(parts)), key=lambda i: merged["times"][i])[(len(parts) - 1) // 2]
        merged["phases"], merged["phases_run"] = parts[median]["phases"], median + 1
    return merged


def fmt_mib(kib):
    return f"{kib / 1024:,.0f} MiB"


def report(size, facts, results):
    csv_bytes = sum(facts["bytes"].values())
    seg = results[0]
    seg_median = statistics.median(seg["times"])
    shape = facts.get("shape", "narrow")
    dups = f" ({facts['duplicate_lines']:,} exact duplicate lines)" if "duplicate_lines" in facts else ""
    print(f"\n{generate.size_label(size)} customers, {shape} shape, {facts['transactions']:,} transactions{dups}, "
          f"CSV {csv_bytes / 2**20:,.0f} MiB; median of {len(seg['times'])} runs")
    print(f"  {'tool':<10} {'version':<14} {'median s':>9} {'min s':>8} {'max s':>8} {'CPU s':>7} {'peak RSS':>11} "
          f"{'RSS/CSV':>8} {'segwork/tool':>13}")
    for r in results:
        if "skipped" in r:
            print(f"  {r['tool']:<10} {r['skipped']}")
            continue
        med = statistics.median(r["times"])
        ratio = seg_median / med if med > 0 else float("nan")
        print(f"  {r['tool']:<10} {str(r['version'])[:14]:<14} {med:9.2f} {min(r['times']):8.2f} "
              f"{max(r['times']):8.2f} {statistics.median(r['cpu']):7.2f} {fmt_mib(r['peak_kib']):>11} {r['peak_kib'] * 1024 / csv_bytes:8.2f} "
              f"{ratio:13.2f}")
    if seg.get("phases"):
        report_phases(seg, facts)


def _short(name):
    """A phase name without the workspace's folder: `reading data/customers.csv`."""
    return re.sub(r"^(reading )\S*?/?(data/[^/]+)$", r"\1\2", name)


def report_phases(seg, facts):
    """Segwork's phases in its median run, from `seg run --timings` (bench/segphases.py)."""
    phases = seg["phases"]
    wall = sum(p["wall"] for p in phases)
    print(f"  segwork phases (run {seg['phases_run']}, {wall:.2f} s; from seg run --timings):")
    print(f"    {'phase':<46} {'wall s':>7} {'share':>6} {'CPU s':>7} {'cores':>6} {'MB/s':>7} {'MB/CPU-s':>9} {'peak MB':>8}")
    for p in phases:
        name = _short(p["name"])
        rate = f"{p['mbps']:7.1f} {p['mb_per_cpu']:9.1f}" if "mbps" in p else f"{'':7} {'':9}"
        cores = f"{p['cpu'] / p['wall']:6.2f}" if p["wall"] >= 0.05 else f"{'-':>6}"
        peak = f"{p['peak_mb']:8,}" if "peak_mb" in p else ""
        print(f"    {name[:46]:<46} {p['wall']:7.3f} {100 * p['wall'] / wall:5.1f}% {p['cpu']:7.2f} "
              f"{cores} {rate} {peak}".rstrip())


def _close(a, b):
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def check(results, facts=None):
    """Every tool's counts (and, where both give them, segment revenues) must equal Segwork's, and Segwork's dedupe
    must remove exactly the planted duplicate lines; returns (problems, notes)."""
    ran = [r for r in results if "skipped" not in r]
    base = ran[0]
    problems = []
    if facts and "duplicate_lines" in facts and base.get("dedupe_removed") != facts["duplicate_lines"]:
        problems.append(f"dedupe: segwork removed {base.get('dedupe_removed')} lines, the generator planted "
                        f"{facts['duplicate_lines']}")
    for r in ran[1:]:
        labels = sorted(set(base["segments"]) | set(r["segments"]))
        for label in labels:
            a, b = base["segments"].get(label, 0), r["segments"].get(label, 0)
            if a != b:
                problems.append(f"{label}: segwork {a}, {r['tool']} {b}")
        if base.get("revenue") and r.get("revenue"):
            for label in sorted(set(base["revenue"]) | set(r["revenue"])):
                a, b = base["revenue"].get(label, 0.0), r["revenue"].get(label, 0.0)
                if not _close(a, b):
                    problems.append(f"{label} revenue: segwork {a}, {r['tool']} {b}")
        for key in ("r_breaks", "f_breaks"):
            if base[key] is not None and any(abs(x - y) > 1e-9 * max(1, abs(x)) for x, y in zip(base[key], r[key])):
                problems.append(f"{key}: segwork {base[key]}, {r['tool']} {r[key]} (note only)")
    return [p for p in problems if not p.endswith("(note only)")], [p for p in problems if p.endswith("(note only)")]


def results_path(shape, size):
    return os.path.join(BENCH, "data", f"results-{shape}-{generate.size_label(size)}.json")


def report_scaling(stored):
    """One line per size and shape: Segwork's median, its ratio to the previous size and that ratio per row."""
    print("\nscaling: Segwork's median wall time per size (x prev: ratio to the previous size; per row: that "
          "ratio over the ratio of transaction lines, 1.00 = linear)")
    print(f"  {'shape':<10} {'size':>5} {'transactions':>13} {'median s':>9} {'x prev':>7} {'per row':>8} "
          f"{'s per M lines':>14}")
    for shape in sorted({s for s, _, _ in stored}, key=generate.SHAPES.index):
        prev = None
        for _, size, data in sorted((x for x in stored if x[0] == shape), key=lambda x: x[1]):
            lines = data["facts"]["transactions"]
            med = statistics.median(data["results"][0]["times"])
            ratio = per_row = ""
            if prev:
                ratio = f"{med / prev[1]:7.2f}"
                per_row = f"{(med / prev[1]) / (lines / prev[0]):8.2f}"
            print(f"  {shape:<10} {generate.size_label(size):>5} {lines:>13,} {med:9.2f} {ratio:>7} {per_row:>8} "
                  f"{med / lines * 1e6:14.2f}")
            prev = (lines, med)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sizes", nargs="*", type=generate.parse_size, default=[10_000, 100_000],
                    help="customer counts: 10k, 100k, 1M, 3M … (default: 10k 100k)")
    ap.add_argument("--shape", choices=list(generate.SHAPES) + ["both"], default="narrow",
                    help="narrow (default, as before shapes existed), realistic, or both")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per tool (the median is reported)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--tools", default="segwork,pandas,polars,duckdb",
                    help="comma-separated subset (segwork always runs: it is the reference)")
    ap.add_argument("--no-build", action="store_true", help="use the existing release build of seg")
    ap.add_argument("--regenerate", action="store_true", help="regenerate the data even if it exists")
    ap.add_argument("--keep-store", action="store_true", help="keep .seg/ and exports/ between Segwork runs")
    ap.add_argument("--interleave", action="store_true",
                    help="run the tools in rounds (one run of each per round) instead of all runs of one tool in a row")
    ap.add_argument("--scaling", action="store_true",
                    help="end with Segwork's median per size and its growth per row (linear: 1.00)")
    ap.add_argument("--report-only", action="store_true",
                    help="run nothing: print the tables (and --scaling) from bench/data/results-<shape>-<size>.json")
    args = ap.parse_args(argv)
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    shapes = list(generate.SHAPES) if args.shape == "both" else [args.shape]
    tools = [t for t in args.tools.split(",") if t in peers.TOOLS]
    seg = None if args.report_only else build_seg(args.no_build)
    failed = False
    stored = []
    for size in args.sizes:
        for shape in shapes:
            if args.report_only:
                try:
                    with open(results_path(shape, size)) as f:
                        data = json.load(f)
                except FileNotFoundError:
                    print(f"\n{generate.size_label(size)} customers, {shape} shape: no {results_path(shape, size)}")
                    continue
                report(size, data["facts"], data["results"])
                print("  segment counts " + ("agree" if data["agree"] else "DISAGREE") + " (stored result)")
                stored.append((shape, size, data))
                continue
            ws, facts = ensure_data(size, args.seed, args.regenerate, shape)
            warm(ws)
            if args.interleave:
                # One run of each tool per round: a slow spell of the machine then costs every tool alike.
                parts = {"segwork": [], **{t: [] for t in tools}}
                for n in range(args.runs):
                    print(f"  {generate.size_label(size)} {shape}: round {n + 1} of {args.runs} …", file=sys.stderr)
                    parts["segwork"].append(run_segwork(seg, ws, 1, args.keep_store))
                    for tool in tools:
                        parts[tool].append(run_peer(tool, ws, 1))
                results = [merge_runs(parts["segwork"])] + [merge_runs(parts[t]) for t in tools]
            else:
                print(f"  {generate.size_label(size)} {shape}: segwork …", file=sys.stderr)
                results = [run_segwork(seg, ws, args.runs, args.keep_store)]
                for tool in tools:
                    print(f"  {generate.size_label(size)} {shape}: {tool} …", file=sys.stderr)
                    results.append(run_peer(tool, ws, args.runs))
            report(size, facts, results)
            problems, notes = check(results, facts)
            for n in notes:
                print(f"  note: breakpoints differ: {n}")
            ran = [r["tool"] for r in results if "skipped" not in r]
            if problems:
                failed = True
                print(f"  DISAGREEMENT between {', '.join(ran)}:")
                for p in problems:
                    print(f"    {p}")
            elif len(ran) == 1:
                print("  no peer ran: nothing to compare Segwork's counts with")
            else:
                extra = (f", revenues too; dedupe removed the {facts['duplicate_lines']:,} planted duplicate lines"
                         if "duplicate_lines" in facts else ", revenues too")
                print(f"  segment counts agree: {', '.join(ran)} ({len(results[0]['segments'])} segments{extra})")
            data = {"size": size, "shape": shape, "facts": facts, "runs": args.runs, "keep_store": args.keep_store,
                    "interleave": args.interleave,
                    "results": results, "agree": not problems}
            with open(results_path(shape, size), "w") as f:
                json.dump(data, f, indent=1, sort_keys=True)
            stored.append((shape, size, data))
    if args.scaling and stored:
        report_scaling(stored)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
