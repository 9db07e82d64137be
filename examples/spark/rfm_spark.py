#!/usr/bin/env python3
"""The demo's RFM definition (workspaces/demo/segmentations/rfm.yaml) on Apache Spark.

Spark reads the demo's customers and transactions, computes each customer's recency_days, frequency and monetary
exactly as Segwork's features.rfm does (docs/RFM.md, Sources/SegworkCore/Features/RFM.swift), computes the
statistics of the whole population that the plugins' prepare needs, and writes them as a statistics file
(docs/SCALE.md). `seg plan --stats` freezes the definition with them; Spark ships `seg` and the plan to the
executors (SparkContext.addFile, read back with SparkFiles.get) and runs one long-lived `seg apply` per partition,
streaming the partition's rows through it as JSON Lines. The membership is written as CSV, sorted by customer id.

    python3 examples/spark/rfm_spark.py --seg .build/debug/seg --out .build/spark/membership.csv
    python3 examples/spark/rfm_spark.py --approx 0.01 ...    # approximate quantiles (approxQuantile)

Exact statistics give the membership `seg run` gives (examples/spark/check.sh compares them).
"""
import argparse
import csv
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import warnings
from fractions import Fraction

from pyspark import SparkFiles
from pyspark.sql import SparkSession, functions as F, types as T

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def parse_args():
    a = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    a.add_argument("--workspace", default=os.path.join(ROOT, "workspaces", "demo"))
    a.add_argument("--definition", default="rfm")
    a.add_argument("--seg", default=os.path.join(ROOT, ".build", "debug", "seg"), help="the seg binary to ship")
    a.add_argument("--as-of", default=None, help="reference date YYYY-MM-DD (default: the latest transaction date)")
    a.add_argument("--approx", type=float, default=None, help="approximate quantiles with this relative error")
    a.add_argument("--partitions", type=int, default=4)
    a.add_argument("--work", default=os.path.join(ROOT, ".build", "spark"), help="folder for stats.json and plan.seg")
    a.add_argument("--out", required=True, help="the membership CSV to write")
    return a.parse_args()


def features(spark, workspace, as_of):
    """recency_days, frequency, monetary per customer of the population, as features.rfm computes them:
    transactions after the reference date, or without a customer or date, are left out; frequency counts distinct
    order ids; monetary sums the amounts (a missing amount counts as 0) exactly, then rounds once, as Segwork's
    compensated sum does; customers without transactions get missing values."""
    data = os.path.join(workspace, "data")
    # RFC 4180, as Segwork reads CSV: a quote inside a quoted field is doubled (Spark's default escape is a
    # backslash), and a quoted field may hold line breaks.
    rfc4180 = {"header": True, "inferSchema": False, "escape": '"', "multiLine": True}
    customers = spark.read.options(**rfc4180).csv(os.path.join(data, "customers.csv")) \
        .select("customer_id")
    tx = spark.read.options(**rfc4180).csv(os.path.join(data, "transactions.csv")) \
        .select("customer_id", "order_id", F.to_date("order_date").alias("order_date"),
                F.col("amount").cast("double").alias("amount")) \
        .where(F.col("customer_id").isNotNull() & F.col("order_date").isNotNull()) \
        .join(customers, "customer_id", "left_semi")
    if as_of is None:
        as_of = tx.agg(F.max("order_date")).first()[0].isoformat()
    used = tx.where(F.col("order_date") <= F.lit(as_of).cast("date"))

    @F.udf(T.DoubleType())
    def exact_sum(amounts):
        return float(sum((Fraction(a) for a in amounts if a is not None), Fraction(0)))

    per = used.groupBy("customer_id").agg(
        F.datediff(F.lit(as_of).cast("date"), F.max("order_date")).alias("recency_days"),
        F.countDistinct("order_id").alias("frequency"),
        exact_sum(F.collect_list("amount")).alias("monetary"))
    table = customers.join(per, "customer_id", "left") \
        .select("customer_id", F.col("recency_days").cast("long"), F.col("frequency").cast("long"), "monetary")
    return table, as_of


def exact_percentiles(df, column, n):
    """p[0..100] as Segwork computes them (type 7, the same floating-point steps as quantile7 in
    Sources/SegworkData/Stats/Quantile.swift), from the order statistics it needs, found by a distributed sort."""
    wanted = {}
    for k in range(101):
        virtual = float(n - 1) * (k / 100)
        i = min(int(virtual // 1), n - 1)
        wanted[k] = (i, virtual - float(i))
    need = set()
    for i, _ in wanted.values():
        need.add(i)
        need.add(min(i + 1, n - 1))
    values = df.select(column).where(F.col(column).isNotNull()).orderBy(column).rdd \
        .zipWithIndex().filter(lambda r: r[1] in need).map(lambda r: (r[1], float(r[0][0]))).collectAsMap()
    p = []
    for k in range(101):
        i, gamma = wanted[k]
        a, b = values[i], values[min(i + 1, n - 1)]
        if gamma == 0 or a == b:
            p.append(a)
        else:
            diff = b - a
            p.append(b - diff * (1 - gamma) if gamma >= 0.5 else a + diff * gamma)
    return p


def exact_sum(df, column):
    """The exact sum of a column's values, rounded once (what Segwork's compensated sum gives)."""
    def part(rows):
        yield sum((Fraction(r[0]) for r in rows if r[0] is not None), Fraction(0))
    return float(df.select(column).rdd.mapPartitions(part).fold(Fraction(0), lambda x, y: x + y))


def statistics(table, columns, approx):
    """The statistics file (docs/SCALE.md, format 1) for the numeric columns the plugins read."""
    rows = table.count()
    out = {"format": 1, "rows": rows, "quantiles": "approximate" if approx else "exact",
           "engine": "spark " + table.sparkSession.version, "columns": {}}
    if approx:
        out["relative_error"] = approx
    for name, kind in columns:
        agg = table.agg(F.count(name).alias("count"), F.min(name).alias("min"), F.max(name).alias("max")).first()
        n = agg["count"]
        s = {"type": kind, "count": n, "missing": rows - n, "sum": exact_sum(table, name)}
        if n > 0:
            s["min"], s["max"] = float(agg["min"]), float(agg["max"])
            s["mean"] = s["sum"] / n
            if approx:
                probs = [k / 100 for k in range(101)]
                p = table.approxQuantile(name, probs, approx)
                p[0], p[100] = s["min"], s["max"]   # the ends are exact: min and max
                s["p"] = [float(v) for v in p]
            else:
                s["p"] = exact_percentiles(table, name, n)
        else:
            s["p"] = []
        out["columns"][name] = s
    return out


def apply_partition(rows):
    """One long-lived `seg apply` for the partition: rows stream in as JSON Lines on its standard input while its
    output is read back, so memory stays at seg's chunk and the pipe's buffers."""
    seg = SparkFiles.get("seg")
    if not os.access(seg, os.X_OK):
        os.chmod(seg, os.stat(seg).st_mode | stat.S_IXUSR)
    # seg's messages (plugins' seg.log lines, errors) go to a file: a pipe nobody reads could fill and stall it.
    errors = tempfile.TemporaryFile()
    proc = subprocess.Popen([seg, "apply", SparkFiles.get("plan.seg"), "--format", "jsonl"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors)
    failure = []

    def feed():
        try:
            for r in rows:
                d = {k: v for k, v in r.asDict().items() if v is not None}
                proc.stdin.write((json.dumps(d) + "\n").encode())
        except BrokenPipeError:
            pass
        except BaseException as e:  # reported after seg's own error, if any
            failure.append(e)
        finally:
            try:
                proc.stdin.close()
            except BrokenPipeError:
                pass

    writer = threading.Thread(target=feed)
    writer.start()
    for line in proc.stdout:
        # Numbers kept as seg wrote them, so the score's text is membership.csv's.
        o = json.loads(line, parse_float=str, parse_int=str)
        yield (o["customer_id"], o["segment"], o.get("value_score"))
    writer.join()
    status = proc.wait()
    errors.seek(0)
    err = errors.read().decode(errors="replace")
    if status != 0:
        raise RuntimeError("seg apply failed (exit %d): %s" % (proc.returncode, err.strip()))
    if failure:
        raise failure[0]


def main():
    args = parse_args()
    # Without pandas/pyarrow, Python UDFs run unoptimised; the example needs neither.
    warnings.filterwarnings("ignore", message="Arrow optimization failed")
    os.makedirs(args.work, exist_ok=True)
    spark = SparkSession.builder.master("local[2]").appName("segwork-rfm") \
        .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").config("spark.sql.shuffle.partitions", str(args.partitions)) \
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1").getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    table, as_of = features(spark, args.workspace, args.as_of)
    table = table.repartition(args.partitions, "customer_id").cache()

    stats = statistics(table, [("recency_days", "integer"), ("frequency", "integer"), ("monetary", "double")], args.approx)
    stats["as_of"] = as_of
    stats_file = os.path.join(args.work, "stats.json")
    with open(stats_file, "w") as f:
        json.dump(stats, f, indent=1, sort_keys=True)
    plan_file = os.path.join(args.work, "plan.seg")
    subprocess.run([args.seg, "plan", args.workspace, args.definition, "--stats", stats_file, "--out", plan_file],
                   check=True)

    sc = spark.sparkContext
    sc.addFile(os.path.abspath(args.seg))
    sc.addFile(plan_file)
    labelled = table.rdd.mapPartitions(apply_partition).collect()
    labelled.sort(key=lambda r: r[0])
    with open(args.out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["customer_id", "segment", "value_score"])
        for cid, segment, score in labelled:
            w.writerow([cid, segment or "", "" if score is None else score])
    print("rfm_spark: %d customers, %d partitions, as of %s, %s quantiles -> %s"
          % (len(labelled), args.partitions, as_of, stats["quantiles"], args.out), file=sys.stderr)
    spark.stop()


if __name__ == "__main__":
    main()
