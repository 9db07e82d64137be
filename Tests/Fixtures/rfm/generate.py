#!/usr/bin/env python3
"""Regenerates the RFM reference fixtures in this folder (docs/RFM.md, "Tests against the packages").

Writes transactions.csv and customers.csv (a seeded, hand-shaped transaction log with heavy ties), then runs each
Python package on them and writes its per-customer result:

  expected_pypi_rfm.csv        PyPI rfm 1.0.9:           RFM(df, "customer_id", "date", "amount").rfm_table
  expected_pymc_marketing.csv  pymc-marketing 0.19.2:    pymc_marketing.clv.utils.rfm_segments(...)
  expected_rf_grid.csv         pandas 3: the common qcut-on-rank(method="first") 5 x 5 R x F recipe (below)

expected_cran_rfm.csv comes from generate.R (CRAN rfm 0.3.0). Run from the repository root:

  .build/venv/bin/pip install pandas pymc-marketing
  .build/venv/bin/python Tests/Fixtures/rfm/generate.py              # fixture, pymc_marketing, rf_grid
  python3 -m venv .build/venv-pypi-rfm                                # PyPI rfm 1.0.9 needs pandas < 2
  .build/venv-pypi-rfm/bin/pip install "pandas==1.5.3" "numpy<2" rfm==1.0.9
  .build/venv-pypi-rfm/bin/python Tests/Fixtures/rfm/generate.py pypi_rfm
  Rscript Tests/Fixtures/rfm/generate.R <folder with rfm 0.3.0's R/ sources>

With no argument it writes the fixture and the files of every package it can import; with names
(fixture, pypi_rfm, pymc_marketing, rf_grid) only those.

Every CSV has: customer_id, recency, frequency, monetary, r_score, f_score, m_score, rfm_score, segment.
"""
import os
import random
import sys
from importlib.metadata import version

import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
COLUMNS = ["customer_id", "recency", "frequency", "monetary", "r_score", "f_score", "m_score", "rfm_score",
           "segment"]


def make_fixture():
    """60 buying customers and 3 who never bought. Ties on purpose: C001-C030 buy once (C021-C030 all on the last
    day, C011-C020 all for 20); C002 spends 0; C031-C060 buy 2-7 times, sometimes twice on one day, sometimes two
    lines of one order. Amounts are quarter units, so every sum is exact in any order (and none has a ".0x" that
    PyPI rfm's string cleaning would cut)."""
    rng = random.Random(10)
    day0 = pd.Timestamp("2024-01-01")
    rows = []
    order = 0

    def add(cust, day, amount, same_order=False):
        nonlocal order
        if not same_order:
            order += 1
        rows.append((f"O{order:04d}", cust, (day0 + pd.Timedelta(days=day)).strftime("%Y-%m-%d"), amount))

    for c in range(1, 31):
        cust = f"C{c:03d}"
        day = 365 if c > 20 else rng.choice([30, 90, 90, 180, 200, 300])
        amount = 20 if 11 <= c <= 20 else rng.choice([5, 12.5, 20, 33.25, 40, 75.75, 120])
        add(cust, day, 0 if c == 2 else amount)
    for c in range(31, 61):
        cust = f"C{c:03d}"
        days = sorted(rng.sample(range(0, 366), rng.randint(2, 7)))
        for k, day in enumerate(days):
            add(cust, day, rng.choice([0, 7.25, 15, 20, 48.5, 60, 99.75, 150]))
            if k == 0 and c % 4 == 0:
                add(cust, day, 11.5)  # a second order the same day
            if k == 0 and c % 5 == 0:
                add(cust, day, 3.75, same_order=True)  # a second line of the same order
    tx = pd.DataFrame(rows, columns=["order_id", "customer_id", "date", "amount"])
    tx = tx.sample(frac=1, random_state=3).reset_index(drop=True)  # file order is not date order
    tx.to_csv(os.path.join(HERE, "transactions.csv"), index=False)
    ids = [f"C{c:03d}" for c in range(1, 64)]
    random.Random(4).shuffle(ids)  # population order differs from id order, so tie order matters
    pd.DataFrame({"customer_id": ids}).to_csv(os.path.join(HERE, "customers.csv"), index=False)


def load():
    return pd.read_csv(os.path.join(HERE, "transactions.csv"), dtype={"order_id": str, "customer_id": str})


def write(name, df):
    df = df[COLUMNS].sort_values("customer_id")
    df.to_csv(os.path.join(HERE, f"expected_{name}.csv"), index=False)
    print(f"expected_{name}.csv: {len(df)} customers")


def pypi_rfm():
    from rfm import RFM
    # order_id goes in too, so the package's drop_duplicates() keeps two equal lines of different orders.
    r = RFM(load()[["customer_id", "date", "amount", "order_id"]], "customer_id", "date", "amount").rfm_table
    r = r.rename(columns={"monetary_value": "monetary", "r": "r_score", "f": "f_score", "m": "m_score"})
    write("pypi_rfm", r)


def pymc_marketing():
    from pymc_marketing.clv.utils import rfm_segments
    tx = load()
    tx["date"] = pd.to_datetime(tx["date"])
    r = rfm_segments(tx, "customer_id", "date", "amount")
    r = r.rename(columns={"monetary_value": "monetary"})
    # The package returns only the composite; its three digits are the R, F and M quartile labels.
    r["r_score"], r["f_score"], r["m_score"] = (r["rfm_score"].str[i].astype(int) for i in range(3))
    r["recency"] = r["recency"].astype(int)
    r["frequency"] = r["frequency"].astype(int)
    write("pymc_marketing", r)


# The common 5 x 5 R x F segment map (regular expressions over the "RF" digits), with R1 F1-2 as Lost.
RF_GRID_MAP = {
    r"1[1-2]": "Lost",
    r"2[1-2]": "Hibernating",
    r"[1-2][3-4]": "At Risk",
    r"[1-2]5": "Can't Lose Them",
    r"3[1-2]": "About to Sleep",
    r"33": "Need Attention",
    r"[3-4][4-5]": "Loyal Customers",
    r"41": "Promising",
    r"51": "New Customers",
    r"[4-5][2-3]": "Potential Loyalists",
    r"5[4-5]": "Champions",
}


def rf_grid():
    tx = load()
    tx["date"] = pd.to_datetime(tx["date"])
    snapshot = tx["date"].max() + pd.Timedelta(days=1)
    r = tx.groupby("customer_id").agg(recency=("date", lambda d: (snapshot - d.max()).days),
                                      frequency=("order_id", "nunique"), monetary=("amount", "sum"))
    r["r_score"] = pd.qcut(r["recency"].rank(method="first"), 5, labels=[5, 4, 3, 2, 1]).astype(int)
    r["f_score"] = pd.qcut(r["frequency"].rank(method="first"), 5, labels=[1, 2, 3, 4, 5]).astype(int)
    r["m_score"] = pd.qcut(r["monetary"].rank(method="first"), 5, labels=[1, 2, 3, 4, 5]).astype(int)
    r["rfm_score"] = r["r_score"].astype(str) + r["f_score"].astype(str) + r["m_score"].astype(str)
    rf = r["r_score"].astype(str) + r["f_score"].astype(str)
    r["segment"] = rf.replace(RF_GRID_MAP, regex=True)
    write("rf_grid", r.reset_index())


if __name__ == "__main__":
    steps = {"fixture": make_fixture, "pypi_rfm": pypi_rfm, "pymc_marketing": pymc_marketing, "rf_grid": rf_grid}
    wanted = sys.argv[1:] or ["fixture", "pymc_marketing", "rf_grid"]
    for name in wanted:
        package = {"pypi_rfm": "rfm", "pymc_marketing": "pymc-marketing"}.get(name, "pandas")
        print(f"{name}: pandas {version('pandas')}, {package} {version(package)}", file=sys.stderr)
        steps[name]()
