#!/usr/bin/env bash
# Where Segwork's time goes, on a generated benchmark workspace (default bench/data/1M; generate it first with
# bench/run.sh 1M or bench/generate.py 1M). Needs perf (linux-perf); the row-loop timing also needs root
# (uprobes). Uses the release build (.build/release/seg; build it with `swift build -c release`).
#   bench/profile.sh [WORKSPACE] [HZ]
# SKIP_PHASES=1 skips part 1.
# 1. Phases: `perf record -g` of one fresh `seg run` (store and exports removed first), split by bench/phases.py.
# 2. The Lua row loop: uprobes on sw_run_rows (entry and return) time the C loop that calls a criterion's
#    assign once per customer, for the bundled rfm criterion and for bench_three, a minimal 3-field criterion
#    written into the workspace (plugins/bench_three.lua, segmentations/lua3.yaml), three times each, and
#    print rows/s (both files are removed again afterwards).
# 3. bench/luahook.c: the same per-row call pattern outside Segwork, with and without Lua's count hook (which
#    Segwork's instruction budget arms for calls still running after 10 ms), built with cc against the system Lua 5.4.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
ws="${1:-$here/data/1M}"
hz="${2:-250}"
seg="$root/.build/release/seg"
[[ -x "$seg" ]] || { echo "no $seg: run swift build -c release first" >&2; exit 2; }
[[ -f "$ws/segmentations/rfm.yaml" ]] || { echo "no benchmark workspace at $ws: run bench/generate.py first" >&2; exit 2; }
command -v perf >/dev/null || { echo "perf is not installed (apt-get install linux-perf)" >&2; exit 2; }
ws="$(cd "$ws" && pwd)"
tmp="$(mktemp -d)"
cleanup() {
    perf probe -q -d 'segbench:*' 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
customers=$(( $(wc -l < "$ws/data/customers.csv") - 1 ))

if [[ "${SKIP_PHASES:-}" != 1 ]]; then
echo "== phases of one fresh seg run ($ws, $customers customers, perf at $hz Hz) =="
rm -rf "$ws/.seg" "$ws/exports"
(cd "$tmp" && /usr/bin/time -f "seg run under perf: %e s wall, %U s user, %S s sys, peak RSS %M KiB" \
    perf record -q -g -F "$hz" -o "$tmp/perf.data" "$seg" run "$ws" rfm --quiet)
perf script -i "$tmp/perf.data" -F tid,time,ip,sym,dso 2>/dev/null | python3 "$here/phases.py" --hz "$hz"
echo
echo "top symbols (self time):"
perf report -i "$tmp/perf.data" --no-children --sort dso,symbol --stdio -g none 2>/dev/null \
    | awk '/%/ && n++ < 15 { print substr($0, 1, 150) }'
fi

cat > "$ws/plugins/bench_three.lua" <<'LUA'
-- Benchmark only (written by bench/profile.sh): the smallest useful criterion over three fields.
return {
  api = 1, kind = "criterion", name = "bench_three", version = "1.0.0",
  description = "benchmark: best / active / lapsed from recency, frequency and monetary thresholds",
  uses = { "recency_days", "frequency", "monetary" },
  params = { recent = 90, frequent = 5, big = 500 },
  assign = function(row, p)
    local r, f, m = row.recency_days, row.frequency, row.monetary
    if r == nil then return "none" end
    if r <= p.recent and f >= p.frequent and m >= p.big then return "best" end
    if r <= p.recent then return "active" end
    return "lapsed"
  end,
}
LUA
sed -e 's/- plugin: rfm/- plugin: bench_three/' -e 's/^description:.*/description: benchmark of the Lua row loop (bench\/profile.sh)/' \
    "$ws/segmentations/rfm.yaml" > "$ws/segmentations/lua3.yaml"

echo
echo "== the Lua row loop (sw_run_rows, uprobes) =="
perf probe -q -x "$seg" -a 'segbench:rows=sw_run_rows' -a 'segbench:rows=sw_run_rows%return' 2>/dev/null
for def in rfm lua3 rfm lua3 rfm lua3; do
    rm -rf "$ws/.seg" "$ws/exports"
    (cd "$tmp" && perf record -q -e 'segbench:*' -o "$tmp/probe.data" \
        "$seg" run "$ws" "$def" --quiet >/dev/null)
    perf script -i "$tmp/probe.data" -F event,time 2>/dev/null | awk -v n="$customers" -v def="$def" '
        /segbench:rows:/ { start = $1 + 0 }
        /segbench:rows__return:/ { d = $1 - start; printf "%-5s %d rows in %.3f s: %.2f M rows/s on one core\n", def, n, d, n / d / 1e6 }'
done
rm -f "$ws/plugins/bench_three.lua" "$ws/segmentations/lua3.yaml"
rm -rf "$ws/.seg" "$ws/exports"

echo
echo "== the per-row call pattern with and without a count hook (bench/luahook.c, median of 5, CPU time) =="
cc -O2 -o "$tmp/luahook" "$here/luahook.c" $(pkg-config --cflags --libs lua5.4)
"$tmp/luahook" "$customers"
if command -v valgrind >/dev/null; then
    echo
    echo "machine instructions per row (valgrind --tool=callgrind, 100000 rows minus 0 rows; load-independent):"
    count() { (cd "$tmp" && valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "$tmp/luahook" "$@" 2>&1) \
        | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'; }
    for k in 0 1; do
        for h in 0 1; do
            full=$(count 100000 "$k" "$h"); base=$(count 0 "$k" "$h")
            printf '  %-36s count hook %-5s %6d\n' "$([[ $k == 0 ]] && echo 'three (bench_three)' || echo 'rfm (bundled rule, segutil calls)')" \
                "$([[ $h == 0 ]] && echo none || echo 1000)" $(( (full - base) / 100000 ))
        done
    done
fi
