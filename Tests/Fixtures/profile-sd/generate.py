#!/usr/bin/env python3
"""Regenerates the standard-deviation reference for NumericSummary.sd (ProfileSDTests; docs/EXPORTS.md, "sd").

Writes customers.csv (seeded: the same bytes every time) and expected_sd.csv, the sample standard deviation
(n - 1, pandas' `Series.std()` default) of each numeric column per segment and over all customers, as pandas
computes it. Empty cells are missing values; pandas leaves them out, as Segwork does. A group with fewer than two
values has no standard deviation (pandas: NaN, written as an empty cell; Segwork: null).

The data has ties on purpose: amounts in quarter units drawn from a few values, many equal visit counts, a segment
where every amount is the same (sd 0), a segment of one customer, and missing values. Run from the repository root:

  python3 -m venv /tmp/venv && /tmp/venv/bin/pip install pandas
  /tmp/venv/bin/python Tests/Fixtures/profile-sd/generate.py
"""
import os
import random
from importlib.metadata import version

import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))


def make_fixture():
    rng = random.Random(12)
    rows = []
    for i in range(1, 61):
        segment = ["Gold", "Silver", "Bronze"][i % 3]
        amount = rng.choice([10.25, 10.25, 20.5, 20.5, 20.5, 35.75, 120.0, 1999.75])
        visits = rng.choice([1, 1, 2, 2, 2, 3, 8])
        if i % 11 == 0:
            amount = None
        if i % 13 == 0:
            visits = None
        rows.append((f"C{i:03d}", segment, amount, visits))
    for i in range(61, 66):
        rows.append((f"C{i:03d}", "Flat", 42.5, 4))          # every value equal: sd 0
    rows.append(("C066", "Single", 7.0, 1))                  # one customer: no sd
    rows.append(("C067", "Half", 5.0, None))                 # visits: one value and a missing one: no sd
    rows.append(("C068", "Half", None, 6))
    return pd.DataFrame(rows, columns=["customer_id", "segment", "amount", "visits"]).astype({"visits": "Int64"})


def main():
    df = make_fixture()
    df.to_csv(os.path.join(HERE, "customers.csv"), index=False, lineterminator="\n")
    out = []
    for column in ["amount", "visits"]:
        values = df[column].astype("float64")
        out.append(("(all)", column, values.std()))
        for segment, group in values.groupby(df["segment"], sort=True):
            out.append((segment, column, group.std()))
    with open(os.path.join(HERE, "expected_sd.csv"), "w", newline="\n") as f:
        f.write(f"# pandas {version('pandas')}, numpy {version('numpy')}: Series.std() (ddof=1)\n")
        f.write("segment,column,sd\n")
        for segment, column, sd in out:
            f.write(f"{segment},{column},{'' if pd.isna(sd) else repr(float(sd))}\n")


if __name__ == "__main__":
    main()
