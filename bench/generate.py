#!/usr/bin/env python3
"""Writes a ready-to-run Segwork benchmark workspace with N generated customers (seeded).

    python3 bench/generate.py 100k                     # -> bench/data/100k/
    python3 bench/generate.py 1000000 --seed 7 --out /tmp/ws
    python3 bench/generate.py 1M --shape realistic     # -> bench/data/realistic-1M/ (bench/realistic.py)

This docstring describes the narrow shape (the default); the realistic one (16 customer columns, 6 transaction
columns with ~3 % exact duplicate lines, a dedupe step) is described in bench/realistic.py.

Sizes accept a plain count or a k/M suffix (10k, 100k, 1M). The folder holds:

  workspace.yaml              plugins: [plugins] (the bundled library is found next to the seg binary)
  plugins/                    empty: the workspace has no plugins of its own
  segmentations/rfm.yaml      features.rfm + criterion rfm, as_of pinned, exports: [json]
  data/customers.csv          customer_id,signup_date,age,income,country,channel
  data/transactions.csv       order_id,customer_id,order_date,amount   (~10 rows per customer)
  bench.json                  what was generated: seed, counts, dirty rows, as_of (for run.py and peers.py)

The data, per customer: a spending level (lognormal), a purchase intensity (gamma: a few heavy buyers, many
light ones; about 5 % never buy) and a last-active date (exponential gap before the end of the window, so
recency is skewed too). Orders fall on days between max(signup, 2023-01-01) and the last-active date, which
is one of them; about 15 % of orders have two lines (two rows, one order id), so frequency (distinct orders)
differs from the row count. Amounts are lognormal per line, in cents. Rows are sorted by date, then by
customer, and order ids rise with them.

Dirty rows, on purpose: about 0.1 % of rows belong to customer ids that are not in customers.csv (they must
be left out), and about 0.1 % have an empty amount (the order still counts toward frequency, its amount adds
nothing to monetary). About 3 % of ages and 5 % of incomes are empty.

Backends: with numpy (the default when it imports) the CSV text is built as byte matrices, 1 M customers /
~10 M rows in well under a minute; `--backend python` uses only the standard library (a few minutes for 1 M).
The two backends draw from different random generators, so the same seed gives different (equally shaped)
data on each: the backend is part of the seed, and bench.json records it.
"""
import argparse
import datetime as dt
import json
import os
import random
import sys

import realistic

START = dt.date(2023, 1, 1)          # first possible order day
END = dt.date(2024, 12, 31)          # last possible order day, and the pinned reference date (as_of)
SIGNUP_START = dt.date(2021, 1, 1)
SPAN = (END - START).days + 1        # 731 order days
COUNTRIES = [("DE", 30), ("FR", 22), ("GB", 18), ("NL", 10), ("ES", 10), ("IT", 10)]
CHANNELS = [("web", 50), ("store", 30), ("app", 20)]
NEVER_BUY = 0.05                     # share of customers without any order
TWO_LINES = 0.15                     # share of orders with two rows
ORDERS_MEAN = 9.2                    # mean orders of a buyer: rows per customer ≈ 0.95 * 9.2 * 1.15 ≈ 10
UNKNOWN_SHARE = 0.001                # rows whose customer is not in customers.csv
MISSING_AMOUNT_SHARE = 0.001         # rows with an empty amount
ORDER_ID_BASE = 10_000_000
SHAPES = ("narrow", "realistic")


def parse_size(text):
    t = text.strip().lower()
    mult = 1
    if t.endswith("k"):
        mult, t = 1_000, t[:-1]
    elif t.endswith("m"):
        mult, t = 1_000_000, t[:-1]
    n = int(float(t) * mult)
    if n < 1:
        raise argparse.ArgumentTypeError(f"size must be at least 1, got {text}")
    return n


def default_dir(n, shape):
    """bench/data/<size> for the narrow shape (as before shapes existed), bench/data/realistic-<size> else."""
    label = size_label(n) if shape == "narrow" else f"{shape}-{size_label(n)}"
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", label)


def size_label(n):
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


# ---------------------------------------------------------------------------------------------- numpy backend

def _np_digits(np, values, width, pad):
    """uint8 matrix (n, width) of the decimal digits of non-negative `values`; without `pad`, leading zeros
    become 0 bytes (dropped when the rows are joined), keeping at least one digit."""
    v = values.astype(np.int64)
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    d = (v[:, None] // powers[None, :]) % 10
    m = (d + 48).astype(np.uint8)
    if not pad:
        lead = np.cumsum(d, axis=1) == 0
        lead[:, -1] = False
        m[lead] = 0
    return m


def _np_table(np, strings):
    """uint8 matrix (len(strings), width) of ASCII strings, right-padded with 0 bytes."""
    width = max(1, max(len(s) for s in strings))
    t = np.zeros((len(strings), width), dtype=np.uint8)
    for i, s in enumerate(strings):
        b = s.encode("ascii")
        t[i, :len(b)] = np.frombuffer(b, dtype=np.uint8)
    return t


def _np_join(np, parts):
    """Joins per-row byte matrices (0 = nothing) with commas and a newline into bytes."""
    n = parts[0].shape[0]
    comma = np.full((n, 1), ord(","), dtype=np.uint8)
    newline = np.full((n, 1), ord("\n"), dtype=np.uint8)
    cols = []
    for k, p in enumerate(parts):
        if k:
            cols.append(comma)
        cols.append(p)
    cols.append(newline)
    m = np.concatenate(cols, axis=1)
    return m[m != 0].tobytes()


def _np_weighted(np, rng, weighted, n):
    w = np.array([x[1] for x in weighted], dtype=np.float64)
    return rng.choice(len(weighted), size=n, p=w / w.sum())


def np_transactions(np, rng, n, signup, order_day0):
    """The transaction log of customers 1..n (signup: day index from SIGNUP_START per customer), drawn from
    `rng` in a fixed order (the narrow shape's bytes depend on it): arrays in log order (by day, then order)
    cust_id, day (order days), cents, order_id, missing (empty amount), plus orders per customer and the
    count of rows of unknown customers."""
    # Buying behaviour per customer.
    buyer = rng.random(n) >= NEVER_BUY
    intensity = rng.gamma(0.9, ORDERS_MEAN / 0.9, size=n)
    orders = np.where(buyer, 1 + rng.poisson(np.maximum(intensity - 1, 0)), 0)
    first = np.maximum(signup - order_day0, 0)                      # in order days 0..SPAN-1
    gap = np.minimum(rng.exponential(160.0, size=n), SPAN - 1).astype(np.int64)
    last = np.maximum(SPAN - 1 - gap, first)
    basket = rng.lognormal(3.6, 0.7, size=n)                        # mean spend per line, skewed

    # Orders: one row per order, then a second line for some.
    owner = np.repeat(np.arange(n, dtype=np.int64), orders)
    total = owner.size
    is_first = np.zeros(total, dtype=bool)
    starts = np.cumsum(orders) - orders
    is_first[starts[orders > 0]] = True
    lo, hi = first[owner], last[owner]
    day = lo + np.floor(rng.random(total) * (hi - lo + 1)).astype(np.int64)
    day[is_first] = hi[is_first]                                    # every buyer orders on their last-active day
    lines = np.where(rng.random(total) < TWO_LINES, 2, 1)
    owner = np.repeat(owner, lines)
    day = np.repeat(day, lines)
    order_seq = np.repeat(np.arange(total, dtype=np.int64), lines)
    rows = owner.size
    cents = np.maximum(1, np.round(basket[owner] * rng.lognormal(-0.18, 0.6, size=rows) * 100)).astype(np.int64)

    # Dirty rows: unknown customers (their own orders) and empty amounts.
    n_unknown = int(round(rows * UNKNOWN_SHARE))
    unknown_owner = n + 1 + rng.integers(0, max(1, n // 100) + 10, size=n_unknown)   # ids above the population
    unknown_day = rng.integers(0, SPAN, size=n_unknown)
    unknown_cents = np.maximum(1, np.round(rng.lognormal(3.5, 0.7, size=n_unknown) * 100)).astype(np.int64)
    cust_id = np.concatenate([owner + 1, unknown_owner])
    day = np.concatenate([day, unknown_day])
    cents = np.concatenate([cents, unknown_cents])
    order_seq = np.concatenate([order_seq, total + np.arange(n_unknown, dtype=np.int64)])
    missing = rng.random(cents.size) < MISSING_AMOUNT_SHARE

    # Sort by (day, order): a transaction log in time order; order ids rise with it.
    perm = np.lexsort((order_seq, day))
    cust_id, day, cents, order_seq, missing = cust_id[perm], day[perm], cents[perm], order_seq[perm], missing[perm]
    new_order = np.empty(cust_id.size, dtype=bool)
    new_order[0] = True
    new_order[1:] = order_seq[1:] != order_seq[:-1]
    order_id = ORDER_ID_BASE + np.cumsum(new_order)
    return {"cust_id": cust_id, "day": day, "cents": cents, "order_id": order_id, "missing": missing,
            "orders": orders, "unknown_customer_rows": n_unknown}


def generate_numpy(n, seed, out_dir):
    import numpy as np
    rng = np.random.default_rng(seed)
    id_width = max(8, len(str(n + n // 100 + 10)))
    date_strings = [(SIGNUP_START + dt.timedelta(days=k)).isoformat()
                    for k in range((END - SIGNUP_START).days + 1)]
    dates = _np_table(np, date_strings)
    order_day0 = (START - SIGNUP_START).days          # index of START in `dates`

    # Customers.
    ids = np.arange(1, n + 1, dtype=np.int64)
    signup = rng.integers(0, (END - SIGNUP_START).days - 30, size=n)
    age = rng.integers(18, 81, size=n)
    age_missing = rng.random(n) < 0.03
    income = np.floor(rng.lognormal(10.8, 0.45, size=n)).astype(np.int64)
    income_missing = rng.random(n) < 0.05
    country = _np_weighted(np, rng, COUNTRIES, n)
    channel = _np_weighted(np, rng, CHANNELS, n)
    cid = np.concatenate([np.full((n, 1), ord("C"), dtype=np.uint8), _np_digits(np, ids, id_width, True)], axis=1)
    age_b = _np_digits(np, age, 2, False)
    age_b[age_missing] = 0
    inc_b = _np_digits(np, income, 7, False)
    inc_b[income_missing] = 0
    header = b"customer_id,signup_date,age,income,country,channel\n"
    with open(os.path.join(out_dir, "data", "customers.csv"), "wb") as f:
        f.write(header)
        f.write(_np_join(np, [cid, dates[signup], age_b, inc_b,
                              _np_table(np, [c for c, _ in COUNTRIES])[country],
                              _np_table(np, [c for c, _ in CHANNELS])[channel]]))

    tx = np_transactions(np, rng, n, signup, order_day0)
    cust_id, day, cents, order_id, missing = (tx[k] for k in ("cust_id", "day", "cents", "order_id", "missing"))
    orders, n_unknown = tx["orders"], tx["unknown_customer_rows"]

    with open(os.path.join(out_dir, "data", "transactions.csv"), "wb") as f:
        f.write(b"order_id,customer_id,order_date,amount\n")
        chunk = 1_000_000
        cw = len(str(int(order_id.max())))
        for s in range(0, cust_id.size, chunk):
            e = min(s + chunk, cust_id.size)
            k = e - s
            oid = _np_digits(np, order_id[s:e], cw, False)
            cid = np.concatenate([np.full((k, 1), ord("C"), dtype=np.uint8),
                                  _np_digits(np, cust_id[s:e], id_width, True)], axis=1)
            c = cents[s:e]
            amount = np.concatenate([_np_digits(np, c // 100, 9, False),
                                     np.full((k, 1), ord("."), dtype=np.uint8),
                                     _np_digits(np, c % 100, 2, True)], axis=1)
            amount[missing[s:e]] = 0
            f.write(_np_join(np, [oid, cid, dates[order_day0 + day[s:e]], amount]))
    return {"customers": n, "buyers": int((orders > 0).sum()), "orders": int(order_id[-1] - ORDER_ID_BASE),
            "transactions": int(cust_id.size), "unknown_customer_rows": n_unknown,
            "missing_amount_rows": int(missing.sum())}


# --------------------------------------------------------------------------------------------- python backend

def generate_python(n, seed, out_dir):
    rng = random.Random(seed)
    id_width = max(8, len(str(n + n // 100 + 10)))
    order_day0 = (START - SIGNUP_START).days

    def weighted(pairs):
        total = sum(w for _, w in pairs)
        x = rng.random() * total
        for v, w in pairs:
            x -= w
            if x < 0:
                return v
        return pairs[-1][0]

    def day_text(k):
        return (SIGNUP_START + dt.timedelta(days=k)).isoformat()

    day_cache = [day_text(k) for k in range((END - SIGNUP_START).days + 1)]
    rows = []       # (day index in order days, order seq, customer number, cents or None)
    seq = 0
    buyers = 0
    with open(os.path.join(out_dir, "data", "customers.csv"), "w", newline="") as f:
        f.write("customer_id,signup_date,age,income,country,channel\n")
        out = []
        for i in range(1, n + 1):
            signup = rng.randrange(0, (END - SIGNUP_START).days - 30)
            age = "" if rng.random() < 0.03 else str(rng.randint(18, 80))
            income = "" if rng.random() < 0.05 else str(int(rng.lognormvariate(10.8, 0.45)))
            out.append(f"C{i:0{id_width}d},{day_cache[signup]},{age},{income},{weighted(COUNTRIES)},{weighted(CHANNELS)}\n")
            if rng.random() >= NEVER_BUY:
                buyers += 1
                intensity = rng.gammavariate(0.9, ORDERS_MEAN / 0.9)
                orders = 1 + _poisson(rng, max(intensity - 1, 0.0))
                first = max(signup - order_day0, 0)
                gap = min(int(rng.expovariate(1 / 160.0)), SPAN - 1)
                last = max(SPAN - 1 - gap, first)
                basket = rng.lognormvariate(3.6, 0.7)
                for k in range(orders):
                    day = last if k == 0 else rng.randint(first, last)
                    for _ in range(2 if rng.random() < TWO_LINES else 1):
                        cents = max(1, round(basket * rng.lognormvariate(-0.18, 0.6) * 100))
                        rows.append((day, seq, i, cents))
                    seq += 1
            if len(out) >= 100_000:
                f.write("".join(out))
                out.clear()
        f.write("".join(out))
    n_unknown = int(round(len(rows) * UNKNOWN_SHARE))
    for _ in range(n_unknown):
        rows.append((rng.randrange(SPAN), seq, n + 1 + rng.randrange(max(1, n // 100) + 10),
                     max(1, round(rng.lognormvariate(3.5, 0.7) * 100))))
        seq += 1
    rows.sort(key=lambda r: (r[0], r[1]))
    missing = 0
    with open(os.path.join(out_dir, "data", "transactions.csv"), "w", newline="") as f:
        f.write("order_id,customer_id,order_date,amount\n")
        out = []
        order_id, prev = ORDER_ID_BASE, None
        for day, s, cust, cents in rows:
            if s != prev:
                order_id += 1
                prev = s
            if rng.random() < MISSING_AMOUNT_SHARE:
                amount = ""
                missing += 1
            else:
                amount = f"{cents // 100}.{cents % 100:02d}"
            out.append(f"{order_id},C{cust:0{id_width}d},{day_cache[order_day0 + day]},{amount}\n")
            if len(out) >= 100_000:
                f.write("".join(out))
                out.clear()
        f.write("".join(out))
    return {"customers": n, "buyers": buyers, "orders": seq, "transactions": len(rows),
            "unknown_customer_rows": n_unknown, "missing_amount_rows": missing}


def _poisson(rng, lam):
    """Poisson draw: Knuth's method for small means, a rounded normal approximation for large ones."""
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(rng.gauss(lam, lam ** 0.5))))
    import math
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


# ------------------------------------------------------------------------------------------------ workspace

WORKSPACE_YAML = """\
# Segwork benchmark workspace, written by bench/generate.py (do not edit: regenerate).
name: bench-{label}
description: RFM benchmark over {n} generated customers (seed {seed})
plugins: [plugins]
"""

RFM_YAML = """\
# RFM benchmark definition, written by bench/generate.py. The same rule is computed by bench/peers.py.
description: RFM grid segments (bundled rfm criterion), benchmark
population: customers
id: customer_id
as_of: {as_of}
datasets:
  customers:
    file: data/customers.csv
    schema: {{ signup_date: date }}
  transactions:
    file: data/transactions.csv
    schema: {{ order_date: date, amount: double{order_schema} }}
features:
  rfm:
    transactions: transactions
    customer: customer_id
    order: order_id
    date: order_date
    amount: amount
criteria:
  - plugin: rfm
exports: [json]
"""


def write_workspace(out_dir, n, seed, backend, integer_order_ids, shape="narrow"):
    os.makedirs(os.path.join(out_dir, "data"), exist_ok=True)
    os.makedirs(os.path.join(out_dir, "segmentations"), exist_ok=True)
    os.makedirs(os.path.join(out_dir, "plugins"), exist_ok=True)
    with open(os.path.join(out_dir, "workspace.yaml"), "w") as f:
        f.write(WORKSPACE_YAML.format(label=size_label(n), n=n, seed=seed))
    with open(os.path.join(out_dir, "plugins", "README.md"), "w") as f:
        f.write("No workspace plugins: the benchmark uses the bundled rfm criterion.\n")
    with open(os.path.join(out_dir, "segmentations", "rfm.yaml"), "w") as f:
        template = RFM_YAML if shape == "narrow" else realistic.RFM_YAML
        f.write(template.format(as_of=END.isoformat(),
                                order_schema=", order_id: integer" if integer_order_ids else ""))
    with open(os.path.join(out_dir, ".gitignore"), "w") as f:
        f.write("*\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("size", type=parse_size, help="customers: 10k, 100k, 1M or a plain number")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", help="workspace folder (default bench/data/<size>)")
    ap.add_argument("--backend", choices=["auto", "numpy", "python"], default="auto")
    ap.add_argument("--shape", choices=SHAPES, default="narrow",
                    help="narrow (default): 6 + 4 columns, no cleaning; realistic: a 16-column CRM export, "
                         "6 transaction columns with text and ~3 %% exact duplicate lines, a dedupe step "
                         "(numpy backend only; see bench/realistic.py)")
    ap.add_argument("--text-order-ids", action="store_true",
                    help="leave order_id out of the schema (Segwork then reads it as text, the default for key columns)")
    args = ap.parse_args(argv)
    backend = args.backend
    if backend == "auto":
        try:
            import numpy  # noqa: F401
            backend = "numpy"
        except ImportError:
            backend = "python"
    if args.shape == "realistic" and backend != "numpy":
        ap.error("--shape realistic needs the numpy backend (pip install numpy; the python backend is narrow only)")
    out = args.out or default_dir(args.size, args.shape)
    write_workspace(out, args.size, args.seed, backend, not args.text_order_ids, args.shape)
    started = dt.datetime.now()
    if args.shape == "realistic":
        facts = realistic.generate(args.size, args.seed, out)
    else:
        facts = (generate_numpy if backend == "numpy" else generate_python)(args.size, args.seed, out)
    facts.update({"shape": args.shape, "seed": args.seed, "backend": backend, "as_of": END.isoformat(),
                  "first_order_day": START.isoformat(), "order_ids": "text" if args.text_order_ids else "integer",
                  "bytes": {name: os.path.getsize(os.path.join(out, "data", name))
                            for name in ("customers.csv", "transactions.csv")}})
    with open(os.path.join(out, "bench.json"), "w") as f:
        json.dump(facts, f, indent=2, sort_keys=True)
        f.write("\n")
    secs = (dt.datetime.now() - started).total_seconds()
    dups = f", {facts['duplicate_lines']} exact duplicate lines" if "duplicate_lines" in facts else ""
    print(f"{out}: {facts['customers']} customers, {facts['transactions']} transactions "
          f"({facts['unknown_customer_rows']} of unknown customers, {facts['missing_amount_rows']} without amount"
          f"{dups}), {args.shape} shape, {backend} backend, {secs:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
