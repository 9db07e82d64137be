#!/usr/bin/env python3
"""Writes the data of the two example workspaces that share the acme library (acme-retail, acme-wholesale).
Seeded: the same bytes every time. Run from anywhere: python3 workspaces/generate_acme.py"""
import datetime
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))


def write(workspace, seed, customers, start):
    rng = random.Random(seed)
    data = os.path.join(HERE, workspace, "data")
    os.makedirs(data, exist_ok=True)
    day0 = datetime.date(*start)
    with open(os.path.join(data, "customers.csv"), "w", newline="") as f:
        f.write("customer_id,signup_date,region,nps_score\n")
        ids = []
        for i in range(1, customers + 1):
            cid = f"{workspace[5].upper()}{i:04d}"
            ids.append(cid)
            signup = day0 + datetime.timedelta(days=rng.randrange(0, 540))
            nps = "" if rng.random() < 0.3 else str(rng.choice([0, 3, 5, 6, 6, 7, 7, 8, 8, 9, 10, 10]))
            f.write(f"{cid},{signup},{rng.choice(['north', 'south', 'east', 'west'])},{nps}\n")
    order = 500000
    with open(os.path.join(data, "transactions.csv"), "w", newline="") as f:
        f.write("order_id,customer_id,order_date,amount\n")
        for cid in ids:
            if rng.random() < 0.15:
                continue  # a prospect: no orders
            for _ in range(rng.choice([1, 1, 2, 3, 5, 8, 13])):
                order += 1
                when = day0 + datetime.timedelta(days=rng.randrange(0, 720))
                f.write(f"{order},{cid},{when},{rng.choice([19.99, 49.5, 120.0, 260.0, 75.25, 640.0])}\n")


write("acme-retail", 7, 400, (2023, 1, 1))
write("acme-wholesale", 11, 250, (2023, 3, 1))
