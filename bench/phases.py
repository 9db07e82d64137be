#!/usr/bin/env python3
"""Splits a `perf record -g` profile of one `seg run` into phases, by the frames on each sample's stack.

    perf record -g -F 250 -o seg.perf.data .build/release/seg run bench/data/1M rfm --quiet
    perf script -i seg.perf.data -F tid,time,ip,sym,dso | python3 bench/phases.py --hz 250

CPU seconds of a phase = its samples / frequency (on-CPU time of all threads). Wall seconds: each gap between
two consecutive samples of the main thread is charged to the phase of the later sample, so time the process
spent blocked (fsync, page-cache writeback, waiting for a core on a busy machine) lands in the phase that was
waiting. The first matching rule, in the order below, names the phase of a sample. Samples inside liblua
count as the Lua row loop: the system liblua has no frame pointers, so their callers are lost, and the row
loop is where nearly all Lua time goes (check with the sw_run_rows uprobe in bench/profile.sh).
"""
import argparse
import re
import sys

# (phase, regular expression over the joined stack symbols); the first match wins, so the specific come first.
RULES = [
    ("Lua criterion (row loop)", r"\bsw_run_rows\b|\brows_body\b|liblua"),
    ("plugins: load, column statistics, prepare", r"LuaHost|PluginLoader|sw_protected|RunnerV7prepare"),
    ("store: hash inputs again", r"StoreFilesO4hash"),
    ("store: copy + hash snapshot (durable)", r"StoreFilesO11durableCopy"),
    ("store: other (SQLite, fsync, dirs)", r"VersionStore|StoreFiles|History"),
    ("hash inputs for the run id", r"SHA256V3hex6fileAt|SHA256"),
    ("CSV parse + type conversion", r"DataReader|CSVTokenizer|ColumnBuilder|ParallelReader|CSVFormat|ChunkFeed|ColumnAccumulator|ReadState|strtod|str_to_mpn|round_and_return|__mpn_"),
    ("id index + transaction join", r"KeyIndex"),
    ("RFM feature", r"RFMFeature|DistinctOrders"),
    ("column statistics", r"ColumnV10statistics"),
    ("profiles", r"Profiler"),
    ("exports (JSON, membership.csv)", r"Exporter|ProfileReport|AtomicWriter"),
    ("freeing memory (munmap, exit)", r"unmap_page_range|free_pages_and_swap_cache|free_unref_folios|exit_mmap"),
    ("startup, definitions, argument parsing", r"ArgumentParser|Definition|Workspace|_dl_|Yams"),
]


def samples(lines):
    """Yields (tid, time, [symbols]) from `perf script -F tid,time,ip,sym,dso` output."""
    head, stack = None, []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if head:
                yield head[0], head[1], stack
            head, stack = None, []
            continue
        if not line.startswith(("\t", " ")) or head is None:
            m = re.match(r"\s*(\d+)\s+([\d.]+):", line)
            if m:
                head, stack = (int(m.group(1)), float(m.group(2))), []
                continue
        parts = line.strip().split(None, 1)
        stack.append(parts[1] if len(parts) > 1 else "")
    if head:
        yield head[0], head[1], stack


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hz", type=float, required=True, help="the -F frequency of perf record")
    args = ap.parse_args()
    rules = [(name, re.compile(rx)) for name, rx in RULES]
    cpu, wall, order = {}, {}, []
    main_tid, last_time, first_time = None, None, None
    for tid, t, stack in samples(sys.stdin):
        joined = " ".join(stack)
        phase = next((name for name, rx in rules if rx.search(joined)), "other")
        if phase not in cpu:
            cpu[phase], wall[phase] = 0, 0.0
            order.append(phase)
        cpu[phase] += 1
        if main_tid is None:
            main_tid, first_time = tid, t
        if tid == main_tid:
            if last_time is not None:
                wall[phase] += t - last_time
            last_time = t
    if last_time is None:
        sys.exit("phases.py: no samples on stdin")
    total_cpu = sum(cpu.values()) / args.hz
    total_wall = last_time - first_time
    print(f"{'phase':<42} {'CPU s':>7} {'wall s':>7} {'wall %':>7}")
    for phase in sorted(order, key=lambda p: -wall[p]):
        print(f"{phase:<42} {cpu[phase] / args.hz:7.2f} {wall[phase]:7.2f} {100 * wall[phase] / total_wall:6.1f}%")
    print(f"{'total (first to last sample)':<42} {total_cpu:7.2f} {total_wall:7.2f}")


if __name__ == "__main__":
    main()
