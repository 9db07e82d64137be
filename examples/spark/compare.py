#!/usr/bin/env python3
"""compare.py SEG_RUN_MEMBERSHIP SPARK_EXACT [SPARK_APPROX [RELATIVE_ERROR]]: exits 1 unless Spark's exact membership has the same
customers with the same segment and score as `seg run`'s membership.csv; reports how many customers the approximate
one moves (to another segment, or to another value_score)."""
import csv
import sys


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    by_id = {r[0]: r for r in body}
    if len(by_id) != len(body):
        sys.exit("compare: %s lists a customer twice" % path)
    return header, by_id


def main():
    run_header, run = read(sys.argv[1])
    spark_header, spark = read(sys.argv[2])
    problems = []
    if not run:
        problems.append("seg run's membership %s lists no customer" % sys.argv[1])
    if run_header != spark_header:
        problems.append("headers differ: %s vs %s" % (run_header, spark_header))
    missing = sorted(set(run) - set(spark))
    extra = sorted(set(spark) - set(run))
    if missing:
        problems.append("%d customers missing from Spark's membership (first: %s)" % (len(missing), missing[0]))
    if extra:
        problems.append("%d customers only in Spark's membership (first: %s)" % (len(extra), extra[0]))
    differ = [c for c in sorted(set(run) & set(spark)) if run[c] != spark[c]]
    for c in differ[:5]:
        problems.append("customer %s: seg run %s, Spark %s" % (c, run[c][1:], spark[c][1:]))
    counts = {}
    for r in run.values():
        counts[r[1]] = counts.get(r[1], 0) + 1
    if problems:
        print("spark check: FAILED, %d of %d customers differ" % (len(differ) + len(missing) + len(extra), len(run)))
        for p in problems:
            print("  " + p)
        sys.exit(1)
    print("spark check: OK, %d customers, the same segment and value_score as seg run for every one (%s)"
          % (len(run), ", ".join("%s %d" % (k, v) for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))))
    if len(sys.argv) > 3:
        _, approx = read(sys.argv[3])
        error = sys.argv[4] if len(sys.argv) > 4 else "0.01"
        moved = [c for c in run if approx.get(c, [None, None])[1] != run[c][1]]
        rescored = [c for c in run if approx.get(c, [None, None, None])[2:] != run[c][2:]]
        print("spark check: approximate quantiles (relative error %s): %d of %d customers (%.2f%%) in another segment, "
              "%d with another value_score" % (error, len(moved), len(run), 100.0 * len(moved) / len(run), len(rescored)))


if __name__ == "__main__":
    main()
