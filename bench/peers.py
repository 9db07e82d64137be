#!/usr/bin/env python3
"""The benchmark's RFM segmentation in pandas, polars or DuckDB, with exactly Segwork's rule.

    python bench/peers.py pandas bench/data/100k        # prints JSON: segment counts, breakpoints, version
    python bench/peers.py polars bench/data/100k
    python bench/peers.py duckdb bench/data/100k

A tool that cannot be imported is skipped: a note on stderr and exit status 3 (run.py reports it as skipped).

THE RULE (identical to `features.rfm` + the bundled `rfm` criterion, plugins/criteria/rfm.lua):

Inputs: data/customers.csv (the population, read whole, signup_date as a date) and data/transactions.csv
(order_id integer, customer_id text, order_date date, amount double; an empty field is missing).

Reference date: the workspace definition's pinned `as_of:` (segmentations/rfm.yaml; 2024-12-31 as generated),
read from that file so that all four tools use the same one.

Per customer, from the transactions whose customer_id is in customers.csv, whose order_date is present and
on or before the reference date (all others are left out):
  recency_days = reference date - latest order_date, in days;
  frequency    = number of distinct non-missing order_ids;
  monetary     = sum of amounts, missing amounts adding nothing (computed, not used by the segment).
A customer with no such transaction (or frequency 0) is "No Purchase".

Breakpoints: b1..b4 = the 20th, 40th, 60th and 80th percentiles of recency_days and of frequency over the
customers that have transactions, by linear interpolation between closest ranks (type 7: numpy "linear",
the pandas default, polars interpolation="linear", DuckDB quantile_cont): h = (n-1)q,
x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).

Tie rule (a value equal to a breakpoint): scores count the breakpoints STRICTLY below the value:
  F = 1 + #{b : b < frequency}          (a tie gets the lower score)
  R = 5 - #{b : b < recency_days}       (a tie gets the higher score: more recent is better)
Floating point: every tool computes h and the breakpoint in double precision, but not with the same formula:
numpy/pandas and Segwork interpolate from the nearer neighbour (numpy's _lerp: b - (b-a)(1-t) when t >= 0.5),
polars and DuckDB always as a + t(b-a). The two can differ in the last bit (seen on 7- and 37-customer data).
That matters only when the exact breakpoint is a whole number reached by interpolation (e.g. 13 + 2/3 * 3)
AND a customer's value equals it: then one tool may count it as strictly below and another not. At benchmark
sizes (10k customers and up) the two neighbours around every breakpoint are equal (many customers share each
recency and frequency), so every breakpoint is an exact whole number and the tools agree exactly; run.py
checks the counts and also notes any breakpoint that differs by more than 1e-9.

Segment = GRID[R][F] below (R x F grid; monetary does not enter the segment).

Revenue per segment = the sum of the monetary values of its customers ("No Purchase": 0); each tool prints it and
run.py compares it with profiles.json's `revenue` (relative difference at most 1e-9). It does not change the
segments, but it does change when transactions are counted twice: it is what shows that every tool deduplicated
the same rows.

THE REALISTIC SHAPE (bench.json "shape": "realistic", written by `generate.py --shape realistic`): the same rule,
after reading both files WHOLE, as Segwork does:
  customers.csv: all 16 columns (customer_id, email, first_name, last_name, city, country, postcode, plan,
  channel, q3, q4 as text; signup_date as a date; age, income, q1, q2 as numbers; an empty field is missing).
  polars reads it eagerly (read_csv) and DuckDB into a table, so neither skips the columns RFM does not use.
  transactions.csv: all 6 columns (order_id integer, customer_id, category and channel text, order_date date,
  amount double), then EXACT duplicate rows (equal in all 6 columns) are dropped, keeping the first (pandas
  drop_duplicates(keep="first"), polars unique(keep="first"), DuckDB SELECT DISTINCT: the copies are equal in
  every column, so which one is kept does not matter). This is the definition's
  `dedupe: { key: [all 6 columns], keep: first }`. Segwork never counts a row with a missing key value as a
  duplicate while the peers treat missing values as equal; the generator copies only complete lines, so the two
  rules drop the same rows.
Then RFM exactly as above on the deduplicated transactions.
"""
import json
import os
import re
import sys
import time

GRID = {
    5: ["New", "Potential Loyalist", "Potential Loyalist", "Champions", "Champions"],
    4: ["Promising", "Potential Loyalist", "Potential Loyalist", "Loyal", "Loyal"],
    3: ["About to Sleep", "About to Sleep", "Need Attention", "Loyal", "Loyal"],
    2: ["Hibernating", "Hibernating", "At Risk", "At Risk", "Cannot Lose Them"],
    1: ["Lost", "Lost", "At Risk", "At Risk", "Cannot Lose Them"],
}
NO_PURCHASE = "No Purchase"
QUANTILES = [0.2, 0.4, 0.6, 0.8]
TOOLS = ("pandas", "polars", "duckdb")


CUSTOMER_TEXT = ("customer_id", "email", "first_name", "last_name", "city", "country", "postcode", "plan", "channel",
                 "q3", "q4")     # realistic customers.csv: the text columns (the rest: signup_date, age, income, q1, q2)


def workspace_shape(ws):
    """'narrow' or 'realistic', from the workspace's bench.json (narrow when it does not say)."""
    try:
        with open(os.path.join(ws, "bench.json")) as f:
            return json.load(f).get("shape", "narrow")
    except FileNotFoundError:
        return "narrow"


def workspace_inputs(ws):
    """(customers.csv, transactions.csv, as_of 'YYYY-MM-DD') of a generated benchmark workspace."""
    with open(os.path.join(ws, "segmentations", "rfm.yaml")) as f:
        m = re.search(r"^as_of:\s*(\d{4}-\d{2}-\d{2})\s*$", f.read(), re.M)
    if not m:
        raise SystemExit(f"peers.py: {ws}/segmentations/rfm.yaml has no 'as_of: YYYY-MM-DD' line; regenerate it with bench/generate.py")
    return (os.path.join(ws, "data", "customers.csv"), os.path.join(ws, "data", "transactions.csv"), m.group(1))


def cell_label(r, f):
    return GRID[r][f - 1]


# ------------------------------------------------------------------------------------------------------ pandas

def run_pandas(customers, transactions, as_of, shape):
    import numpy as np
    import pandas as pd
    if shape == "realistic":
        cust = pd.read_csv(customers, dtype={c: str for c in CUSTOMER_TEXT}, keep_default_na=False, na_values=[""],
                           parse_dates=["signup_date"], date_format="%Y-%m-%d")
        tx = pd.read_csv(transactions, dtype={"customer_id": str, "amount": "float64", "category": str,
                                              "channel": str}, keep_default_na=False, na_values=[""],
                         parse_dates=["order_date"], date_format="%Y-%m-%d")
        tx = tx.drop_duplicates(keep="first")
    else:
        cust = pd.read_csv(customers, dtype={"customer_id": str, "country": str, "channel": str},
                           parse_dates=["signup_date"], date_format="%Y-%m-%d")
        tx = pd.read_csv(transactions, dtype={"customer_id": str, "amount": "float64"},
                         parse_dates=["order_date"], date_format="%Y-%m-%d")
    ref = pd.Timestamp(as_of)
    tx = tx[tx["customer_id"].isin(cust["customer_id"]) & tx["order_date"].notna() & (tx["order_date"] <= ref)]
    g = tx.groupby("customer_id", sort=False).agg(last=("order_date", "max"),
                                                  frequency=("order_id", "nunique"),
                                                  monetary=("amount", "sum"))
    g = g[g["frequency"] > 0]
    recency = (ref - g["last"]).dt.days.astype("float64")
    frequency = g["frequency"].astype("float64")
    rb = recency.quantile(QUANTILES).to_numpy()          # linear interpolation is pandas' default
    fb = frequency.quantile(QUANTILES).to_numpy()
    r = 5 - (recency.to_numpy()[:, None] > rb[None, :]).sum(axis=1)
    f = 1 + (frequency.to_numpy()[:, None] > fb[None, :]).sum(axis=1)
    grid = np.array([[cell_label(rr, ff) for ff in range(1, 6)] for rr in range(1, 6)], dtype=object)
    labels = pd.Series(grid[r - 1, f - 1], index=g.index)
    seg = cust["customer_id"].map(labels).fillna(NO_PURCHASE)
    counts = seg.value_counts()
    money = cust["customer_id"].map(g["monetary"]).fillna(0.0).groupby(seg.to_numpy()).sum()
    return ({str(k): int(v) for k, v in counts.items()}, list(map(float, rb)), list(map(float, fb)), pd.__version__,
            {str(k): float(v) for k, v in money.items()})


# ------------------------------------------------------------------------------------------------------ polars

def run_polars(customers, transactions, as_of, shape):
    import datetime as dt
    import polars as pl
    ref = dt.date.fromisoformat(as_of)
    tx_types = {"order_id": pl.Int64, "customer_id": pl.String, "order_date": pl.Date, "amount": pl.Float64}
    if shape == "realistic":
        cust = pl.read_csv(customers, schema_overrides={**{c: pl.String for c in CUSTOMER_TEXT},
                                                        "signup_date": pl.Date}).lazy()
        tx = (pl.read_csv(transactions, schema_overrides={**tx_types, "category": pl.String, "channel": pl.String})
              .lazy().unique(keep="first"))
    else:
        cust = pl.scan_csv(customers, schema_overrides={"customer_id": pl.String, "signup_date": pl.Date})
        tx = pl.scan_csv(transactions, schema_overrides=tx_types)
    g = (tx.join(cust.select("customer_id"), on="customer_id", how="semi")
         .filter(pl.col("order_date").is_not_null() & (pl.col("order_date") <= ref))
         .group_by("customer_id")
         .agg(pl.col("order_date").max().alias("last"),
              pl.col("order_id").drop_nulls().n_unique().alias("frequency"),
              pl.col("amount").sum().alias("monetary"))
         .filter(pl.col("frequency") > 0)
         .with_columns(((pl.lit(ref) - pl.col("last")).dt.total_days()).cast(pl.Float64).alias("recency"),
                       pl.col("frequency").cast(pl.Float64)))
    breaks = [pl.col(c).quantile(q, interpolation="linear").alias(f"{c}_{q}")
              for c in ("recency", "frequency") for q in QUANTILES]
    r = pl.lit(5, pl.Int32) - pl.sum_horizontal([(pl.col("recency") > pl.col(f"recency_{q}")).cast(pl.Int32) for q in QUANTILES])
    f = pl.lit(1, pl.Int32) + pl.sum_horizontal([(pl.col("frequency") > pl.col(f"frequency_{q}")).cast(pl.Int32) for q in QUANTILES])
    mapping = {rr * 10 + ff: cell_label(rr, ff) for rr in range(1, 6) for ff in range(1, 6)}
    scored = (g.with_columns(breaks)
              .with_columns((r * 10 + f).replace_strict(mapping, return_dtype=pl.String).alias("segment")))
    seg = (cust.select("customer_id")
           .join(scored.select("customer_id", "segment", "monetary"), on="customer_id", how="left")
           .with_columns(pl.col("segment").fill_null(NO_PURCHASE))
           .group_by("segment").agg(pl.len(), pl.col("monetary").sum()))
    bq = scored.select([pl.col(f"{c}_{q}").first() for c in ("recency", "frequency") for q in QUANTILES])
    counts, b = pl.collect_all([seg, bq])
    row = b.row(0)
    return ({s: int(n) for s, n, _ in counts.iter_rows()}, [float(x) for x in row[:4]], [float(x) for x in row[4:]],
            pl.__version__, {s: float(m or 0.0) for s, _, m in counts.iter_rows()})


# ------------------------------------------------------------------------------------------------------ duckdb

def run_duckdb(customers, transactions, as_of, shape):
    import duckdb

    def lit(s):
        return "'" + s.replace("'", "''") + "'"

    cells = " ".join(f"WHEN r = {rr} AND f = {ff} THEN {lit(cell_label(rr, ff))}"
                     for rr in range(1, 6) for ff in range(1, 6))
    qs = "[" + ", ".join(map(str, QUANTILES)) + "]"
    con = duckdb.connect()
    if shape == "realistic":
        # Read whole into tables (a CTE would let the optimizer skip the columns RFM does not use), deduplicated.
        con.execute(f"""
        CREATE TEMP TABLE c AS SELECT * FROM read_csv({lit(customers)}, header = true, delim = ',', quote = '"',
          escape = '"', columns = {{
          'customer_id': 'VARCHAR', 'email': 'VARCHAR', 'first_name': 'VARCHAR', 'last_name': 'VARCHAR',
          'city': 'VARCHAR', 'country': 'VARCHAR', 'postcode': 'VARCHAR', 'signup_date': 'DATE', 'age': 'BIGINT',
          'income': 'BIGINT', 'plan': 'VARCHAR', 'channel': 'VARCHAR', 'q1': 'BIGINT', 'q2': 'BIGINT',
          'q3': 'VARCHAR', 'q4': 'VARCHAR'}});
        CREATE TEMP TABLE t AS SELECT DISTINCT * FROM read_csv({lit(transactions)}, header = true, delim = ',',
          quote = '"', escape = '"', columns = {{
          'order_id': 'BIGINT', 'customer_id': 'VARCHAR', 'order_date': 'DATE', 'amount': 'DOUBLE',
          'category': 'VARCHAR', 'channel': 'VARCHAR'}});
        """)
        inputs = ""
    else:
        inputs = f"""
    c AS (
      SELECT * FROM read_csv({lit(customers)}, header = true, columns = {{
        'customer_id': 'VARCHAR', 'signup_date': 'DATE', 'age': 'BIGINT', 'income': 'BIGINT',
        'country': 'VARCHAR', 'channel': 'VARCHAR'}})),
    t AS (
      SELECT * FROM read_csv({lit(transactions)}, header = true, columns = {{
        'order_id': 'BIGINT', 'customer_id': 'VARCHAR', 'order_date': 'DATE', 'amount': 'DOUBLE'}})),"""
    sql = f"""
    WITH {inputs}
    agg AS (
      SELECT customer_id,
             CAST(DATE {lit(as_of)} - max(order_date) AS DOUBLE) AS recency,
             CAST(count(DISTINCT order_id) AS DOUBLE) AS frequency,
             coalesce(sum(amount), 0) AS monetary
      FROM t SEMI JOIN c USING (customer_id)
      WHERE order_date IS NOT NULL AND order_date <= DATE {lit(as_of)}
      GROUP BY customer_id
      HAVING count(DISTINCT order_id) > 0),
    b AS (SELECT quantile_cont(recency, {qs}) AS rb, quantile_cont(frequency, {qs}) AS fb FROM agg),
    s AS (
      SELECT customer_id, monetary,
             5 - ((recency > rb[1])::INT + (recency > rb[2])::INT + (recency > rb[3])::INT + (recency > rb[4])::INT) AS r,
             1 + ((frequency > fb[1])::INT + (frequency > fb[2])::INT + (frequency > fb[3])::INT + (frequency > fb[4])::INT) AS f
      FROM agg, b),
    seg AS (
      SELECT coalesce(CASE {cells} END, {lit(NO_PURCHASE)}) AS segment, s.monetary
      FROM c LEFT JOIN s USING (customer_id))
    SELECT segment, count(*) AS n, (SELECT rb FROM b) AS rb, (SELECT fb FROM b) AS fb,
           coalesce(sum(monetary), 0) AS revenue FROM seg GROUP BY segment
    """
    rows = con.execute(sql).fetchall()
    counts = {s: int(n) for s, n, _, _, _ in rows}
    rb, fb = rows[0][2], rows[0][3]
    return (counts, [float(x) for x in rb], [float(x) for x in fb], duckdb.__version__,
            {s: float(m) for s, _, _, _, m in rows})


def main(argv):
    if len(argv) != 3 or argv[1] not in TOOLS:
        print(f"usage: {argv[0]} {{{'|'.join(TOOLS)}}} WORKSPACE", file=sys.stderr)
        return 2
    tool, ws = argv[1], argv[2]
    customers, transactions, as_of = workspace_inputs(ws)
    shape = workspace_shape(ws)
    try:
        __import__(tool)
    except ImportError as e:
        print(f"peers.py: {tool} skipped: cannot import it ({e}); pip install -r bench/requirements.txt", file=sys.stderr)
        return 3
    started = time.perf_counter()
    counts, rb, fb, version, revenue = {"pandas": run_pandas, "polars": run_polars, "duckdb": run_duckdb}[tool](
        customers, transactions, as_of, shape)
    seconds = time.perf_counter() - started
    json.dump({"tool": tool, "version": version, "shape": shape, "as_of": as_of, "customers": sum(counts.values()),
               "segments": dict(sorted(counts.items())), "revenue": dict(sorted(revenue.items())),
               "r_breaks": rb, "f_breaks": fb,
               "compute_seconds": round(seconds, 3)}, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
