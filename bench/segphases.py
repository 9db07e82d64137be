"""Runs one `seg run` with standard error on a pseudo-terminal and splits its wall time into the phases that
Segwork's own progress lines name (used by run.py; no perf, no root).

`seg run` without --quiet draws a progress line on standard error when that is a terminal
(Sources/SegworkData/Support/Progress.swift): each phase begins by drawing its line at once ("reading
data/transactions.csv  45%  4.5 M rows …", "cleaning", "running criterion rfm", …), redraws it at most every
0.1 s, and ends by clearing it ("\\r\\x1b[K"), leaving a summary line only when it took a second or more. This
module reads the terminal as the process writes and stamps every first drawing and every clearing with the
monotonic clock and with the process's CPU time so far (utime + stime of all its threads, /proc/<pid>/stat,
10 ms ticks). A phase runs from its first drawing to its clearing (or to the next phase's first drawing).
Time outside any progress line is reported as such, never given to a neighbouring phase:
  "startup (before the first progress line)", "(between progress lines)" and
  "exit (after the last progress line)".
CPU seconds and peak RSS come from `/usr/bin/time -v` around seg, as for the peers: seg must be forked by a
small process, because Linux carries the peak RSS of the process that execs into the new program's (a
child spawned straight from run.py, which may have generated the data in-process, would report run.py's peak).
"""
import os
import pty
import re
import select
import subprocess
import tempfile
import time
import tty

CLEAR = "\x1b[K"
TICK = os.sysconf("SC_CLK_TCK")
STARTUP = "startup (before the first progress line)"
BETWEEN = "(between progress lines)"
EXIT = "exit (after the last progress line)"


def _cpu(pid):
    """User + system CPU seconds of the process so far (all threads), or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK
    except (OSError, IndexError, ValueError):
        return None


def _child(pid):
    """The pid of the (only) child of `pid` (seg under /usr/bin/time), or None while there is none."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            kids = f.read().split()
        return int(kids[0]) if kids else None
    except (OSError, ValueError):
        return None


def _time_report(text):
    """(user + system seconds, peak KiB) from a /usr/bin/time -v report."""
    cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", text))
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    return cpu, int(m.group(1)) if m else 0


def run(cmd, env=None):
    """Runs cmd; returns a dict: returncode, stdout, messages (stderr lines that are not progress), wall, cpu,
    peak_kib, phases [{name, wall, cpu, rows (as last drawn, text), summary (seg's own line, if it printed one)}]."""
    master, slave = pty.openpty()
    tty.setraw(slave)                                   # no \n -> \r\n translation
    out = tempfile.TemporaryFile()
    report = tempfile.NamedTemporaryFile("r", suffix=".time")
    started = time.perf_counter()
    proc = subprocess.Popen(["/usr/bin/time", "-v", "-o", report.name] + cmd, stdin=subprocess.DEVNULL,
                            stdout=out, stderr=slave, env=env)
    os.close(slave)
    seg = None
    events = []                                         # (seconds since start, cpu, kind, text)
    buf, current = "", None
    while True:
        ready, _, _ = select.select([master], [], [], 0.5)
        if not ready:
            continue
        try:
            data = os.read(master, 65536)
        except OSError:                                 # EIO: the process closed the terminal
            data = b""
        if not data:
            break
        seg = seg or _child(proc.pid)
        now, cpu = time.perf_counter() - started, (_cpu(seg) if seg else 0.0)
        buf += data.decode("utf-8", "replace")
        while True:
            m = re.search(r"\x1b\[K|\n", buf)
            if not m:
                break
            token, end, buf = buf[:m.start()], m.group(0), buf[m.end():]
            token = token.replace("\r", "")
            if end == CLEAR and not token:
                if current is not None:
                    events.append((now, cpu, "end", current))
                current = None
            elif end == CLEAR:
                phase = token.split("  ")[0]
                if phase != current:
                    if current is not None:
                        events.append((now, cpu, "end", current))
                    events.append((now, cpu, "begin", phase))
                    current = phase
                events.append((now, cpu, "draw", token))
            elif token:
                events.append((now, cpu, "line", token))
    proc.wait()
    wall = time.perf_counter() - started
    os.close(master)
    out.seek(0)
    stdout = out.read().decode("utf-8", "replace")
    total_cpu, peak = _time_report(report.read())
    report.close()
    return {"returncode": proc.returncode, "stdout": stdout, "wall": wall, "cpu": total_cpu,
            "peak_kib": peak, "phases": _phases(events, wall, total_cpu),
            "messages": [t for _, _, k, t in events if k == "line" and not _is_summary(t, events)]}


def _is_summary(text, events):
    return any(k == "begin" and text.startswith(p + ": ") for _, _, k, p in events)


def _phases(events, wall, total_cpu):
    """Wall/CPU seconds per phase, in order, gaps included; they add up to the process's wall and CPU time."""
    phases, t0, c0, open_phase = [], 0.0, 0.0, None

    def add(name, t, c, **extra):
        phases.append({"name": name, "wall": max(0.0, t - t0), "cpu": max(0.0, (c if c is not None else c0) - c0),
                       **extra})

    rows = {}
    for t, c, kind, text in events:
        if kind == "draw":
            m = re.search(r"  ([\d.]+ ?[kMG]?) rows", text)
            if m and open_phase:
                rows[open_phase] = m.group(1)
        elif kind == "begin":
            add(STARTUP if not phases else BETWEEN, t, c)
            t0, c0, open_phase = t, (c if c is not None else c0), text
        elif kind == "end" and open_phase == text:
            add(text, t, c, rows=rows.get(text))
            t0, c0, open_phase = t, (c if c is not None else c0), None
        elif kind == "line":
            for p in phases:
                if text.startswith(p["name"] + ": "):
                    p["summary"] = text
    if open_phase:
        add(open_phase, wall, total_cpu, rows=rows.get(open_phase))
        t0, c0 = wall, total_cpu
    add(EXIT if phases else STARTUP, wall, total_cpu)
    return [p for p in phases if p["name"] not in (BETWEEN,) or p["wall"] > 0]
