#!/usr/bin/env python3
"""Times `seg run` against pandas, polars and DuckDB on generated workspaces and checks they agree.

    bench/run.sh                       # 10k and 100k customers, 3 runs each (builds seg in release first)
    bench/run.sh 1M --runs 3           # 1 M customers
    bench/run.py --no-build 10k        # with the venv's python, skipping `swift build`

For each size: generates bench/data/<size>/ if it is missing (bench/generate.py, seed 42), reads the inputs
once so every tool starts from the page cache, then runs Segwork and each peer --runs times, each run a new
process under `/usr/bin/time -v` (wall seconds and peak RSS). Before every Segwork run the workspace's
`.seg/` store and `exports/` are removed, so each run does everything a first run does (hash and snapshot
the inputs, store the version, write the exports); `--keep-store` keeps them instead (a re-run).

CPU s is the median user + system time (above the wall time: more than one core was busy).
Segwork's segment counts come from exports/rfm/<run id>/profiles.json; each peer prints its own. All must
agree on every segment count, or the script exits 1 (after printing the table and the differences).
A peer that cannot be imported is skipped with a note. Results go to bench/data/results-<size>.json too.
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


def ensure_data(size, seed, regenerate):
    ws = os.path.join(BENCH, "data", generate.size_label(size))
    facts_path = os.path.join(ws, "bench.json")
    facts = None
    if os.path.exists(facts_path):
        with open(facts_path) as f:
            facts = json.load(f)
    if regenerate or facts is None or facts.get("seed") != seed or facts.get("customers") != size:
        if os.path.isdir(ws):
            shutil.rmtree(ws)
        generate.main([str(size), "--seed", str(seed), "--out", ws])
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
    unassigned = sum(g["count"] for g in report["segments"] if g.get("unassigned"))
    if unassigned:
        counts["(unassigned)"] = unassigned
    params = next((p["params"] for p in report["run"]["plugins"] if p["name"] == "rfm"), {})
    return counts, params.get("r_breaks"), params.get("f_breaks"), report["run"]["runID"]


def run_segwork(seg, ws, runs, keep_store):
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "SEG_PLUGIN_PATH", "SEG_BUNDLED_PLUGINS")}
    times, cpus, peaks = [], [], []
    for _ in range(runs):
        if not keep_store:
            shutil.rmtree(os.path.join(ws, ".seg"), ignore_errors=True)
            shutil.rmtree(os.path.join(ws, "exports"), ignore_errors=True)
        rc, out, err, (secs, cpu), rss = timed([seg, "run", ws, "rfm", "--quiet"], env)
        if rc != 0:
            raise RuntimeError(f"seg run failed (exit {rc}):\n{out}{err}")
        times.append(secs)
        cpus.append(cpu)
        peaks.append(rss)
    counts, rb, fb, run_id = segwork_counts(ws)
    return {"tool": "segwork", "version": run_id, "times": times, "cpu": cpus, "peak_kib": max(peaks),
            "segments": counts, "r_breaks": rb, "f_breaks": fb}


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
            "segments": result["segments"], "r_breaks": result["r_breaks"], "f_breaks": result["f_breaks"]}


def fmt_mib(kib):
    return f"{kib / 1024:,.0f} MiB"


def report(size, facts, results):
    csv_bytes = sum(facts["bytes"].values())
    seg = results[0]
    seg_median = statistics.median(seg["times"])
    print(f"\n{generate.size_label(size)} customers, {facts['transactions']:,} transactions, "
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


def check(results):
    """Every tool's counts must equal Segwork's; returns the list of differences (empty when all agree)."""
    ran = [r for r in results if "skipped" not in r]
    base = ran[0]
    problems = []
    for r in ran[1:]:
        labels = sorted(set(base["segments"]) | set(r["segments"]))
        for label in labels:
            a, b = base["segments"].get(label, 0), r["segments"].get(label, 0)
            if a != b:
                problems.append(f"{label}: segwork {a}, {r['tool']} {b}")
        for key in ("r_breaks", "f_breaks"):
            if base[key] is not None and any(abs(x - y) > 1e-9 * max(1, abs(x)) for x, y in zip(base[key], r[key])):
                problems.append(f"{key}: segwork {base[key]}, {r['tool']} {r[key]} (note only)")
    return [p for p in problems if not p.endswith("(note only)")], [p for p in problems if p.endswith("(note only)")]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sizes", nargs="*", type=generate.parse_size, default=[10_000, 100_000],
                    help="customer counts: 10k, 100k, 1M … (default: 10k 100k)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per tool (the median is reported)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--tools", default="segwork,pandas,polars,duckdb",
                    help="comma-separated subset (segwork always runs: it is the reference)")
    ap.add_argument("--no-build", action="store_true", help="use the existing release build of seg")
    ap.add_argument("--regenerate", action="store_true", help="regenerate the data even if it exists")
    ap.add_argument("--keep-store", action="store_true", help="keep .seg/ and exports/ between Segwork runs")
    args = ap.parse_args(argv)
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    tools = [t for t in args.tools.split(",") if t in peers.TOOLS]
    seg = build_seg(args.no_build)
    failed = False
    for size in args.sizes:
        ws, facts = ensure_data(size, args.seed, args.regenerate)
        warm(ws)
        results = [run_segwork(seg, ws, args.runs, args.keep_store)]
        for tool in tools:
            print(f"  {generate.size_label(size)}: {tool} …", file=sys.stderr)
            results.append(run_peer(tool, ws, args.runs))
        report(size, facts, results)
        problems, notes = check(results)
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
            print(f"  segment counts agree: {', '.join(ran)} ({len(results[0]['segments'])} segments)")
        with open(os.path.join(BENCH, "data", f"results-{generate.size_label(size)}.json"), "w") as f:
            json.dump({"size": size, "facts": facts, "runs": args.runs, "keep_store": args.keep_store,
                       "results": results, "agree": not problems}, f, indent=1, sort_keys=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
