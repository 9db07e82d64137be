#!/usr/bin/env python3
"""hostile_ids.py WORKSPACE: rewrites the customer ids of a copy of the demo workspace so that some hold a doubled
quote, a comma, a non-ASCII letter or a line break (RFC 4180 quoting in both CSV files). The Spark check runs the
example on it too: Spark must read the files as Segwork does (escape '"', multiLine)."""
import csv
import sys


def ident(c):
    n = int(c[1:])
    if n % 7 == 0:
        return 'C"%s"q' % c[1:]
    if n % 11 == 0:
        return "C,%s é" % c[1:]
    if n % 13 == 0:
        return "C\n%s" % c[1:]
    return c


for name, column in (("customers.csv", 0), ("transactions.csv", 1)):
    path = "%s/data/%s" % (sys.argv[1], name)
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    for r in rows[1:]:
        r[column] = ident(r[column])
    with open(path, "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
