#!/usr/bin/env python3
"""Generates the demo workspace's data, deterministically (seeded): same script, same bytes.

    python3 workspaces/demo/generate.py            # writes workspaces/demo/data/
    python3 workspaces/demo/generate.py --customers 3000 --seed 7

customers.csv     one row per customer: id, signup date, age, income, country, channel, plan
transactions.csv  orders: order id, customer id, date, amount (skewed), a few customers with none
legacy_survey.txt a pipe-delimited NPS survey export with DD/MM/YYYY dates, comments and blank lines,
                  read by the legacy_pipe source plugin
customer_activity.csv  one row per customer, joined by customer_id, for the method plugins (docs/METHODS.md):
                  city and its population, household, web sessions and email opens/clicks (last 90 days), app use,
                  online/store order counts, spend per category, orders in the last and previous 90 days, the gap
                  between the last two purchase days, a CSAT answer and six Likert survey items. Counts and
                  windows are as of 2024-12-31 and agree with transactions.csv.
companies.csv     a small B2B customer list: industry, employees, revenue, country and a phone number written
                  many ways (cleaned by the phone_e164 plugin)

The first three files come from one random stream (seed); the last two from two more streams (seed + 1, seed + 2), so adding
them left the first three byte-identical.
"""
import argparse
import csv
import datetime as dt
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
import generate_extras as extras  # noqa: E402  (the method plugins' columns: generate_extras.py)

START = dt.date(2023, 1, 1)
END = dt.date(2024, 12, 31)
COUNTRIES = [("DE", 30), ("FR", 22), ("GB", 18), ("NL", 10), ("ES", 10), ("IT", 10)]
CHANNELS = [("web", 50), ("store", 30), ("app", 20)]
PLANS = [("basic", 60), ("plus", 30), ("business", 10)]
# Behaviour archetypes: weight, orders per year, days since last order range, mean basket.
ARCHETYPES = [
    ("loyal", 15, (10, 30), (0, 30), 90.0),
    ("regular", 25, (4, 10), (0, 120), 60.0),
    ("new", 15, (1, 3), (0, 45), 50.0),
    ("fading", 20, (2, 6), (120, 300), 55.0),
    ("lost", 20, (1, 3), (300, 700), 40.0),
    ("never", 5, (0, 0), (0, 0), 0.0),
]


def pick(rng, weighted):
    total = sum(w for _, w in weighted)
    x = rng.uniform(0, total)
    for value, w in weighted:
        x -= w
        if x <= 0:
            return value
    return weighted[-1][0]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--customers", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "data"))
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)

    customers, orders, surveys = [], [], []
    kinds = {}
    order_id = 100000
    span = (END - START).days
    for i in range(1, args.customers + 1):
        cid = f"C{i:05d}"
        kind = pick(rng, [((a[0], a[2], a[3], a[4]), a[1]) for a in ARCHETYPES])
        name, per_year, since_last, basket = kind
        if name == "new":
            signup = END - dt.timedelta(days=rng.randint(5, 80))
        else:
            signup = START + dt.timedelta(days=rng.randint(0, span - 200))
        age = rng.randint(18, 80) if rng.random() > 0.03 else ""
        income = int(rng.lognormvariate(10.8, 0.45)) if rng.random() > 0.05 else ""
        customers.append([cid, signup.isoformat(), age, income, pick(rng, COUNTRIES), pick(rng, CHANNELS), pick(rng, PLANS)])
        kinds[cid] = name
        if name != "never":
            last = END - dt.timedelta(days=rng.randint(*since_last))
            if last < signup:
                last = signup
            active_days = max(1, (last - signup).days)
            n = max(1, int(rng.uniform(*per_year) * active_days / 365 + 0.5))
            for k in range(n):
                day = last if k == 0 else signup + dt.timedelta(days=rng.randint(0, active_days))
                amount = round(rng.lognormvariate(0, 0.6) * basket, 2)
                order_id += 1
                lines = 1 if rng.random() < 0.8 else 2  # some orders have two lines: frequency counts orders
                for _ in range(lines):
                    orders.append([order_id, cid, day.isoformat(), f"{amount / lines:.2f}"])
        if rng.random() < 0.45:
            base = {"loyal": 9, "regular": 8, "new": 7, "fading": 6, "lost": 4, "never": 5}[name]
            score = max(0, min(10, base + rng.randint(-3, 2)))
            when = END - dt.timedelta(days=rng.randint(0, 300))
            surveys.append((cid, score, when))

    orders.sort(key=lambda r: (r[2], r[0]))
    with open(os.path.join(args.out, "customers.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["customer_id", "signup_date", "age", "income", "country", "channel", "plan"])
        w.writerows(customers)
    with open(os.path.join(args.out, "transactions.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["order_id", "customer_id", "order_date", "amount"])
        w.writerows(orders)
    with open(os.path.join(args.out, "legacy_survey.txt"), "w", newline="") as f:
        f.write("# NPS survey export from the old CRM (pipe-delimited, dates DD/MM/YYYY)\n")
        f.write("customer_id|nps_score|survey_date\n")
        for k, (cid, score, when) in enumerate(surveys):
            if k % 97 == 0:
                f.write("\n# batch break\n")
            f.write(f"{cid} | {score} | {when.strftime('%d/%m/%Y')}\n")
    activity = extras.activity_rows(random.Random(args.seed + 1), customers, orders, kinds, END)
    companies = extras.company_rows(random.Random(args.seed + 2), max(1, args.customers // 10))
    extras.write_csv(os.path.join(args.out, "customer_activity.csv"), extras.ACTIVITY_COLUMNS, activity)
    extras.write_csv(os.path.join(args.out, "companies.csv"), extras.COMPANY_COLUMNS, companies)
    print(f"wrote {len(customers)} customers, {len(orders)} transaction lines, {len(surveys)} survey answers, "
          f"{len(activity)} activity rows and {len(companies)} companies to {args.out}")


if __name__ == "__main__":
    main()
