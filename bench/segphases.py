"""Runs one `seg run --timings` and splits its wall time into the phases Segwork reports (used by run.py).

`seg run --timings` (Sources/SegworkData/Support/Progress.swift, `ReadProgress(timingsTo:)`) ends every phase with
one line on standard error, terminal or not:

    timing reading data/transactions.csv: wall 5.210 s, cpu 9.800 s, peak RSS 812 MB, 10448983 rows, 493.7 MB, 94.8 MB/s, 50.4 MB per cpu s
    timing cleaning transactions: step 1 (dedupe): wall 1.020 s, cpu 1.530 s, peak RSS 905 MB

Phases: hashing/reading each file, each cleaning step of each dataset, joining datasets and deriving features
(the RFM feature is inside it), each scorer and criterion, profiling, writing exports and storing the version.
Wall and CPU are Segwork's own (monotonic clock, getrusage of the whole process); peak RSS is the process's high-water
mark when the phase ended. Time outside every phase (process start, loading the definition and plugins, exit) is
reported as "outside phases": the process's wall time (from /usr/bin/time) minus the phases'.
CPU seconds and peak RSS of the whole process come from `/usr/bin/time -v` around seg, as for the peers (seg is
forked by /usr/bin/time, so the peak is seg's own, not the peak of the Python process that spawned it).
"""
import re
import subprocess
import tempfile
import time

OUTSIDE = "outside phases (start, definition and plugins, exit)"
LINE = re.compile(r"^timing (?P<name>.+): wall (?P<wall>[\d.]+) s, cpu (?P<cpu>[\d.]+) s, peak RSS (?P<rss>\d+) MB"
                  r"(?:, (?P<rows>\d+) rows)?(?:, (?P<mb>[\d.]+) MB, (?P<mbps>[\d.]+) MB/s, (?P<mbcpu>[\d.]+) MB per cpu s)?$")


def _time_report(text):
    """(user + system seconds, peak KiB) from a /usr/bin/time -v report."""
    cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", text))
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    return cpu, int(m.group(1)) if m else 0


def parse(stderr):
    """The phases of seg's --timings lines, in order, and the other stderr lines."""
    phases, messages = [], []
    for line in stderr.splitlines():
        m = LINE.match(line)
        if not m:
            if line.strip():
                messages.append(line)
            continue
        p = {"name": m["name"], "wall": float(m["wall"]), "cpu": float(m["cpu"]), "peak_mb": int(m["rss"])}
        if m["rows"]:
            p["rows"] = int(m["rows"])
        if m["mb"]:
            p.update(mb=float(m["mb"]), mbps=float(m["mbps"]), mb_per_cpu=float(m["mbcpu"]))
        phases.append(p)
    return phases, messages


def run(cmd, env=None):
    """Runs cmd (a `seg run …`; --timings is added); returns a dict: returncode, stdout, messages (stderr lines that
    are not timings), wall, cpu, peak_kib, phases [{name, wall, cpu, peak_mb, rows?, mb?, mbps?, mb_per_cpu?}] with
    the time outside every phase last."""
    report = tempfile.NamedTemporaryFile("r", suffix=".time")
    started = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v", "-o", report.name] + cmd + ["--timings"], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    total_cpu, peak = _time_report(report.read())
    report.close()
    phases, messages = parse(proc.stderr)
    inside_wall = sum(p["wall"] for p in phases)
    inside_cpu = sum(p["cpu"] for p in phases)
    phases.append({"name": OUTSIDE, "wall": max(0.0, wall - inside_wall), "cpu": max(0.0, total_cpu - inside_cpu)})
    return {"returncode": proc.returncode, "stdout": proc.stdout, "wall": wall, "cpu": total_cpu,
            "peak_kib": peak, "phases": phases, "messages": messages}
