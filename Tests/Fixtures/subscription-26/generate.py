#!/usr/bin/env python3
"""Regenerates data/customers.csv of the 26-segment subscription workspace (issue 12; SubscriptionProfileCLITests).

A subscription business with two crossed criteria, as in the issue: `health` (13 account-health bands, read from the
`health` column) × `billing` (Monthly / Annual) = 26 segments, with money in the hundreds of millions, so profiles.md
shows what a large cross looks like. Seeded: the same bytes every time. Run from the repository root:

  python3 Tests/Fixtures/subscription-26/generate.py
"""
import datetime
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
BANDS = ["Champions", "Advocates", "Expanding", "Loyal", "Steady", "New", "Onboarding", "Promising",
         "Needs Attention", "Declining", "At Risk", "Hibernating", "Churning"]
# Customers per band, largest first (13 bands x 2 billing cycles: 26 segments of uneven size, as in the issue).
WEIGHTS = [6, 9, 5, 14, 18, 8, 4, 6, 10, 7, 6, 4, 3]


def main():
    rng = random.Random(26)
    rows = []
    for i in range(1, 2601):
        band = rng.choices(range(len(BANDS)), weights=WEIGHTS)[0]
        annual = rng.random() < (0.65 if band < 5 else 0.3)
        health = 1.0 - band / (len(BANDS) - 1)              # 1 for Champions, 0 for Churning
        seats = max(1, int(rng.lognormvariate(1.5 + 1.5 * health, 0.8)))
        mrr = round(seats * rng.choice([29.0, 49.0, 99.0]) * (0.85 if annual else 1.0), 2)
        tenure = max(1, int(rng.gauss(10 + 30 * health, 8)))
        revenue = round(mrr * tenure * rng.uniform(0.9, 1.1) * 1.7, 2)
        tickets = max(0, int(rng.gauss(8 - 6 * health, 2)))
        signup = datetime.date(2024, 12, 31) - datetime.timedelta(days=30 * tenure + rng.randrange(30))
        country = rng.choices(["US", "GB", "DE", "FR", "NL", "ES"], weights=[40, 15, 15, 10, 10, 10])[0]
        channel = rng.choices(["self-serve", "sales", "partner"], weights=[5 - 3 * health, 1 + 3 * health, 1])[0]
        plan = "enterprise" if seats >= 40 else ("team" if seats >= 8 else "starter")
        rows.append([f"S{i:05d}", BANDS[band], "Annual" if annual else "Monthly", f"{mrr:.2f}", f"{revenue:.2f}",
                     str(tenure), str(seats), str(tickets), signup.isoformat(), country, channel, plan])
    os.makedirs(os.path.join(HERE, "data"), exist_ok=True)
    with open(os.path.join(HERE, "data", "customers.csv"), "w", newline="\n") as f:
        f.write("customer_id,health,billing,mrr,lifetime_revenue,tenure_months,seats,support_tickets,signup_date,"
                "country,channel,plan\n")
        for r in rows:
            f.write(",".join(r) + "\n")


if __name__ == "__main__":
    main()
