#!/usr/bin/env python3
"""Throughput of one `seg apply` process (one Spark partition's worth of work) with the demo's RFM plan.

    python3 bench/apply.py --seg .build/release/seg [--rows 1000000] [--runs 3]

Makes the plan with `seg plan` on a copy of workspaces/demo (local statistics), generates ROWS customer rows
(customer_id, recency_days, frequency, monetary; seeded, about 5 % without purchases), then times
`seg apply plan.seg < rows > /dev/null` for CSV and for JSON Lines, RUNS times each, and prints rows per second
(median) and the peak RSS of the seg process. Nothing else should run meanwhile.
"""
import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--seg", default=os.path.join(ROOT, ".build", "release", "seg"))
    a.add_argument("--rows", type=int, default=1_000_000)
    a.add_argument("--runs", type=int, default=3)
    args = a.parse_args()
    work = tempfile.mkdtemp(prefix="seg-apply-bench-")
    try:
        ws = os.path.join(work, "demo")
        shutil.copytree(os.path.join(ROOT, "workspaces", "demo"), ws,
                        ignore=shutil.ignore_patterns(".seg", "exports"))
        plan = os.path.join(work, "plan.seg")
        subprocess.run([args.seg, "plan", ws, "rfm", "--out", plan], check=True, stderr=subprocess.DEVNULL)
        rng = random.Random(7)
        csv_path, jsonl_path = os.path.join(work, "rows.csv"), os.path.join(work, "rows.jsonl")
        with open(csv_path, "w") as c, open(jsonl_path, "w") as j:
            c.write("customer_id,recency_days,frequency,monetary\n")
            for i in range(args.rows):
                cid = "C%08d" % i
                if rng.random() < 0.05:
                    c.write(cid + ",,,\n")
                    j.write(json.dumps({"customer_id": cid}) + "\n")
                    continue
                r, f = int(rng.expovariate(1 / 150)), 1 + int(rng.expovariate(1 / 6))
                m = round(f * rng.lognormvariate(4, 1), 2)
                c.write("%s,%d,%d,%r\n" % (cid, r, f, m))
                j.write(json.dumps({"customer_id": cid, "recency_days": r, "frequency": f, "monetary": m}) + "\n")
        print("seg apply throughput: %d rows, demo rfm plan (value_score scorer + rfm criterion), %s"
              % (args.rows, args.seg))
        for fmt, path in (("csv", csv_path), ("jsonl", jsonl_path)):
            times, peaks = [], []
            for _ in range(args.runs):
                before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                start = time.perf_counter()
                with open(path, "rb") as src, open(os.devnull, "wb") as dst:
                    subprocess.run([args.seg, "apply", plan, "--format", fmt], stdin=src, stdout=dst, check=True)
                times.append(time.perf_counter() - start)
                peaks.append(max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
            med = statistics.median(times)
            print("  %-5s %6.2f s median (%s), %9.0f rows/s, peak RSS %d MiB (largest child so far)"
                  % (fmt, med, ", ".join("%.2f" % t for t in times), args.rows / med, max(peaks) // 1024))
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
