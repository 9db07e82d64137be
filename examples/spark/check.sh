#!/usr/bin/env bash
# The Spark example's check (`make spark`, run by CI): runs the demo's RFM definition with `seg run` and on Spark
# (examples/spark/rfm_spark.py, local[2], exact statistics) on a copy of the demo workspace, and fails on any
# difference in segment or score of any customer. Then runs Spark with approximate quantiles (relative error 0.01)
# and reports how many customers change segment (not a failure: docs/SCALE.md says why they may).
set -euo pipefail
cd "$(dirname "$0")/../.."
seg=${SEG:-.build/debug/seg}
python=${SPARK_PYTHON:-.build/venv-spark/bin/python3}
work=.build/spark
# Spark on loopback only, and without its start-up chatter.
export SPARK_LOCAL_IP=127.0.0.1
rm -rf "$work"
mkdir -p "$work"
# seg run stores a version and writes exports: on a copy, so the repository's demo workspace stays as it is.
cp -R workspaces/demo "$work/demo"
rm -rf "$work/demo/.seg" "$work/demo/exports"
status=0
"$seg" run "$work/demo" rfm --quiet >/dev/null || status=$?
# 3: a gate failed, which does not change the membership.
if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then echo "spark check: seg run failed ($status)" >&2; exit 1; fi
membership=$(ls "$work"/demo/exports/rfm/*/membership.csv)
"$python" examples/spark/rfm_spark.py --workspace "$work/demo" --seg "$seg" --work "$work/exact" \
  --out "$work/membership-spark.csv"
"$python" examples/spark/rfm_spark.py --workspace "$work/demo" --seg "$seg" --work "$work/approx" --approx 0.01 \
  --out "$work/membership-spark-approx.csv"
"$python" examples/spark/compare.py "$membership" "$work/membership-spark.csv" "$work/membership-spark-approx.csv" 0.01
# Ids with quotes, commas, non-ASCII letters and line breaks: Spark must read RFC 4180 as seg does.
cp -R workspaces/demo "$work/hostile"
rm -rf "$work/hostile/.seg" "$work/hostile/exports"
"$python" examples/spark/hostile_ids.py "$work/hostile"
status=0
"$seg" run "$work/hostile" rfm --quiet >/dev/null || status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then echo "spark check: seg run failed on hostile ids ($status)" >&2; exit 1; fi
"$python" examples/spark/rfm_spark.py --workspace "$work/hostile" --seg "$seg" --work "$work/hostile-work" \
  --out "$work/membership-spark-hostile.csv"
echo "spark check (ids with quotes, commas, é and line breaks):"
"$python" examples/spark/compare.py "$(ls "$work"/hostile/exports/rfm/*/membership.csv)" "$work/membership-spark-hostile.csv"
