#!/usr/bin/env python3
"""Writes data/transactions.txt: a small transaction log shaped like CDNOW_master.txt.

Every line is `customer_id date quantity amount`, separated by runs of spaces (the columns are right-aligned as in
the original), with no header: zero-padded five-digit ids (00001), YYYYMMDD dates, a whole quantity and an amount
with two decimals. The file also holds what real logs hold: exact duplicate rows, customers whose totals tie,
several purchases on one day, a few lines with leading or trailing spaces, and blank lines.

Seeded: running it again writes the same bytes.  python3 workspaces/cdnow-style/generate.py
"""
import datetime
import os
import random

rng = random.Random(1997)
START = datetime.date(1997, 1, 1)
CUSTOMERS = 1000
rows = []
for cid in range(1, CUSTOMERS + 1):
    # Customers join over the first quarter, as in CDNOW; most buy once or twice, a few buy often.
    first = START + datetime.timedelta(days=rng.randrange(0, 90))
    orders = 1 + int(rng.expovariate(0.45))
    day = first
    for _ in range(orders):
        quantity = rng.choice([1, 1, 1, 2, 2, 3, 4])
        amount = round(quantity * rng.uniform(9.0, 16.0), 2)
        rows.append((cid, day, quantity, amount))
        day = day + datetime.timedelta(days=int(rng.expovariate(1 / 60)) + rng.choice([0, 1, 7]))
        if day > datetime.date(1998, 6, 30):
            break

# Ties: ten customers with exactly the same single purchase, and two with the same two purchases.
for cid in range(CUSTOMERS + 1, CUSTOMERS + 11):
    rows.append((cid, datetime.date(1997, 3, 15), 1, 11.77))
for cid in (CUSTOMERS + 11, CUSTOMERS + 12):
    rows.append((cid, datetime.date(1997, 2, 1), 2, 25.98))
    rows.append((cid, datetime.date(1997, 9, 9), 1, 12.49))
# Exact duplicates (a log written twice in places).
for row in rng.sample(rows, 25):
    rows.append(row)

rows.sort(key=lambda r: (r[0], r[1]))
lines = []
for k, (cid, day, quantity, amount) in enumerate(rows):
    line = f"{cid:05d} {day:%Y%m%d} {quantity:>2} {amount:>7.2f}"
    if k % 397 == 5:
        line = "  " + line        # leading spaces
    if k % 211 == 7:
        line = line + "   "       # trailing spaces
    lines.append(line)
    if k % 1009 == 500:
        lines.append("")          # a blank line
        lines.append("   ")       # and one of spaces only

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "transactions.txt")
with open(out, "w", newline="\n") as f:
    f.write("\n".join(lines) + "\n")
print(f"wrote {out}: {len(rows)} rows, {len(set(r[0] for r in rows))} customers")
