#!/usr/bin/env bash
# Times the demo's RFM definition on transactions in PostgreSQL: pushed down (one GROUP BY row per customer leaves
# the database) against push_down: false (every row comes through COPY), on a real server started in a temporary
# folder. Results: docs/PERFORMANCE.md, "PostgreSQL push-down (issue 13)".
#
#   bench/postgres.sh [CUSTOMERS] [TRANSACTIONS] [--runs N] [--no-build]    defaults: 1000000 10000000, 3 runs
#
# Needs what the tests need (postgresql, libpq-dev: scripts/ensure-deps) and /usr/bin/time. Under root the server
# runs as nobody.
set -euo pipefail
cd "$(dirname "$0")/.."
customers=1000000; transactions=10000000; runs=3; build=1; positional=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) positional+=("$1"); shift ;;
  esac
done
[ ${#positional[@]} -ge 1 ] && customers=${positional[0]}
[ ${#positional[@]} -ge 2 ] && transactions=${positional[1]}
[ "$build" -eq 1 ] && swift build -c release >&2
seg=${SEG:-$PWD/.build/release/seg}
bin=${SEG_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
work=$(mktemp -d /tmp/segwork-pgbench.XXXX); chmod 755 "$work"
as=(); [ "$(id -u)" -eq 0 ] && { chown nobody "$work"; as=(runuser -u nobody --); }
port=$((20000 + RANDOM % 30000))
cleanup() { "${as[@]}" "$bin/pg_ctl" -D "$work/db" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
"${as[@]}" "$bin/initdb" -D "$work/db" -A trust -U seg -E UTF8 --locale=C --no-sync >/dev/null
"${as[@]}" "$bin/pg_ctl" -D "$work/db" -l "$work/log" -w start \
  -o "-k $work -p $port -c listen_addresses= -c fsync=off -c shared_buffers=512MB -c work_mem=256MB -c max_parallel_workers_per_gather=2" >/dev/null
export SEG_PG_URL="postgresql://seg@/postgres?host=$work&port=$port"
psql() { command "$bin/psql" -X -q -v ON_ERROR_STOP=1 -d "$SEG_PG_URL" "$@"; }
echo "generating $customers customers and $transactions transactions in PostgreSQL…" >&2
start=$(date +%s)
psql <<SQL
CREATE TABLE customers AS
  SELECT 'C' || lpad(i::text, 8, '0') AS customer_id, 18 + (hashint4(i) & 63) AS age,
         (ARRAY['DE','FR','ES','IT','NL'])[1 + (hashint4(i + 7) & 4)] AS country, i AS seq
  FROM generate_series(1, $customers) i;
CREATE TABLE transactions AS
  SELECT i AS order_id,
         'C' || lpad((1 + ((hashint4(i) & 2147483647) % $customers))::text, 8, '0') AS customer_id,
         DATE '2022-01-01' + ((hashint4(i + 1) & 2147483647) % 900) AS order_date,
         round((5 + ((hashint4(i + 2) & 2147483647) % 50000) / 100.0)::numeric, 2)::float8 AS amount
  FROM generate_series(1, $transactions) i;
ANALYZE;
SQL
echo "generated in $(( $(date +%s) - start )) s" >&2
ws=$work/ws; mkdir -p "$ws/segmentations"
printf 'name: bench\nplugins: [%s]\n' "$PWD/plugins" > "$ws/workspace.yaml"
for mode in pushed rows; do
  pd=true; [ $mode = rows ] && pd=false
  cat > "$ws/segmentations/$mode.yaml" <<YAML
population: customers
id: customer_id
datasets:
  customers:
    postgres: { url_env: SEG_PG_URL, query: "select customer_id, age, country from customers order by seq" }
  transactions:
    postgres: { url_env: SEG_PG_URL, table: transactions, push_down: $pd }
features:
  rfm: { transactions: transactions, customer: customer_id, order: order_id, date: order_date, amount: amount }
scorers:
  - plugin: value_score
criteria:
  - plugin: rfm
profile:
  numeric: [recency_days, frequency, monetary, value_score, age]
  categorical: [country]
  monetary: monetary
exports: [json, csv, md]
YAML
done
nproc_=$(nproc); cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
echo "machine: $nproc_ cores, $cpu; PostgreSQL $("$bin/postgres" --version | awk '{print $3}')"
echo "$customers customers, $transactions transactions; as-of 2024-06-30; $runs runs each, interleaved"
for r in $(seq "$runs"); do
  for mode in pushed rows; do
    rm -rf "$ws/.seg" "$ws/exports/$mode"
    /usr/bin/time -f "%e %M" -o "$work/time" "$seg" run "$ws" "$mode" --as-of 2024-06-30 --quiet
    read -r wall rss < "$work/time"
    printf '%-7s run %d: %6.2f s  peak RSS %5d MiB\n' "$mode" "$r" "$wall" $((rss / 1024))
  done
done
a=$(ls "$ws/exports/pushed"/*/membership.csv 2>/dev/null | head -1); b=$(ls "$ws/exports/rows"/*/membership.csv 2>/dev/null | head -1)
if [ -n "$a" ] && [ -n "$b" ] && cmp -s "$a" "$b"; then echo "membership: identical"; else echo "membership: DIFFERS" >&2; exit 1; fi
