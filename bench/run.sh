#!/usr/bin/env bash
# Segwork's benchmark: builds seg in release, generates the data, times seg run against pandas, polars and
# DuckDB, checks all four agree on every segment count (exit 1 if not). Arguments go to bench/run.py:
#   bench/run.sh                 # 10k and 100k customers, median of 3 runs
#   bench/run.sh 1M --runs 3     # 1 M customers (~10 M transactions)
#   bench/run.sh --shape both 10k 100k --runs 1   # also the realistic shape (wide customers, dedupe)
#   bench/run.sh --help
# The peers are installed from bench/requirements.txt into bench/.venv (created on first use). Without a
# working venv or without network, the script still runs Segwork with the system python3 and skips the peers.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
py=python3
if [[ ! -x "$venv/bin/python" ]]; then
    echo "creating $venv and installing bench/requirements.txt …" >&2
    python3 -m venv "$venv" || { echo "python3 -m venv failed: the peers will be skipped" >&2; rm -rf "$venv"; }
fi
if [[ -x "$venv/bin/python" ]]; then
    if ! "$venv/bin/python" -c 'import numpy, pandas, polars, duckdb' 2>/dev/null; then
        "$venv/bin/pip" install -q -r "$here/requirements.txt" \
            || echo "pip install failed: the peers that did not install will be skipped" >&2
    fi
    py="$venv/bin/python"
fi
exec "$py" "$here/run.py" "$@"
