"""The demo's extra data for the method plugins (docs/METHODS.md), used by generate.py.

Everything here draws from its own random stream, so the original customers, transactions and survey files stay
byte-identical. All values are plain functions of that stream and the original rows: same seed, same bytes.
"""
import csv
import datetime as dt
import math

ACTIVITY_COLUMNS = [
    "customer_id", "city", "city_population", "household_size", "children",
    "sessions", "email_opens", "email_clicks", "app_user", "online_orders", "store_orders",
    "n_categories", "spend_electronics", "spend_fashion", "spend_home", "spend_beauty", "spend_sports",
    "orders_recent", "orders_previous", "purchase_gap_days", "csat_score",
    "likert_1", "likert_2", "likert_3", "likert_4", "likert_5", "likert_6",
]
COMPANY_COLUMNS = ["company_id", "industry", "employees", "revenue", "country", "phone"]

# Cities per country with (rounded) populations: a mix of tier 1 (>= 1 M), tier 2 (>= 250 k) and tier 3.
CITIES = {
    "DE": [("Berlin", 3755000), ("Munich", 1512000), ("Leipzig", 616000), ("Freiburg", 236000), ("Tübingen", 91000)],
    "FR": [("Paris", 2103000), ("Lyon", 522000), ("Nantes", 320000), ("Dijon", 159000), ("Annecy", 131000)],
    "GB": [("London", 8866000), ("Birmingham", 1145000), ("Leeds", 812000), ("Cambridge", 146000), ("Bath", 94000)],
    "NL": [("Amsterdam", 918000), ("Rotterdam", 655000), ("Utrecht", 361000), ("Delft", 104000)],
    "ES": [("Madrid", 3332000), ("Barcelona", 1620000), ("Valencia", 792000), ("Granada", 230000)],
    "IT": [("Rome", 2749000), ("Milan", 1352000), ("Bologna", 391000), ("Verona", 255000), ("Siena", 53000)],
}
CATEGORIES = ["electronics", "fashion", "home", "beauty", "sports"]
# Mean sessions and email opens over 90 days per behaviour archetype (generate.py's ARCHETYPES).
ACTIVITY = {"loyal": (12, 9), "regular": (6, 5), "new": (5, 6), "fading": (1.5, 2), "lost": (0.3, 0.8),
            "never": (1, 2)}
CSAT_BASE = {"loyal": 4.5, "regular": 4.0, "new": 4.0, "fading": 3.0, "lost": 2.4, "never": 3.0}
INDUSTRIES = [("Retail", 20), ("Manufacturing", 18), ("IT services", 16), ("Healthcare", 12), ("Construction", 12),
              ("Hospitality", 10), ("Logistics", 8), ("Finance", 4)]


def _pick(rng, weighted):
    total = sum(w for _, w in weighted)
    x = rng.uniform(0, total)
    for value, w in weighted:
        x -= w
        if x <= 0:
            return value
    return weighted[-1][0]


def _poisson(rng, mean):
    # Knuth's method: fine for the small means used here.
    limit, k, prod = math.exp(-mean), 0, rng.random()
    while prod > limit:
        k += 1
        prod *= rng.random()
    return k


def _household(rng, age):
    if age == "":
        return (rng.choice(["", 1, 2]), "")
    if age < 30:
        size = 1 if rng.random() < 0.55 else 2
        children = 1 if size == 2 and rng.random() < 0.25 else 0
    elif age < 50:
        children = _pick(rng, [(0, 35), (1, 25), (2, 30), (3, 10)])
        size = children + (1 if rng.random() < 0.3 else 2)
    elif age < 65:
        children = 1 if rng.random() < 0.15 else 0
        size = children + (1 if rng.random() < 0.35 else 2)
    else:
        children = 0
        size = 1 if rng.random() < 0.4 else 2
    return (size if rng.random() > 0.03 else "", children if rng.random() > 0.05 else "")


def activity_rows(rng, customers, orders, kinds, end):
    """One row per customer (in customers.csv order)."""
    by_customer = {}
    order_seen = {}
    for order_id, cid, day, amount in orders:
        key = (cid, order_id)
        if key not in order_seen:
            order_seen[key] = [dt.date.fromisoformat(day), 0.0]
            by_customer.setdefault(cid, []).append(key)
        order_seen[key][1] += float(amount)
    rows = []
    for cid, _signup, age, _income, country, channel, _plan in customers:
        kind = kinds[cid]
        city, population = rng.choice(CITIES[country])
        if rng.random() < 0.02:
            city, population = "", ""
        elif rng.random() < 0.05:
            population = ""  # a city the population table does not know
        size, children = _household(rng, age)
        mean_sessions, mean_opens = ACTIVITY[kind]
        sessions = _poisson(rng, mean_sessions) if rng.random() > 0.04 else ""
        opens = _poisson(rng, mean_opens)
        clicks = sum(1 for _ in range(opens) if rng.random() < 0.2)
        online_pref = {"web": 0.85, "app": 0.92, "store": 0.2}[channel]
        app_user = channel == "app" or rng.random() < 0.12
        weights = [rng.random() ** 3 for _ in CATEGORIES]
        spend = [0.0] * len(CATEGORIES)
        online = store = recent = previous = 0
        keys = by_customer.get(cid, [])
        for key in keys:
            day, amount = order_seen[key]
            if rng.random() < online_pref:
                online += 1
            else:
                store += 1
            x, k = rng.uniform(0, sum(weights)), 0
            while k < len(weights) - 1 and x > weights[k]:
                x -= weights[k]
                k += 1
            spend[k] += amount
            age_days = (end - day).days
            if age_days < 90:
                recent += 1
            elif age_days < 180:
                previous += 1
        days = sorted({order_seen[key][0] for key in keys})
        gap = (days[-1] - days[-2]).days if len(days) >= 2 else ""
        csat = ""
        if rng.random() < 0.35:
            csat = max(1, min(5, round(CSAT_BASE[kind] + rng.uniform(-1.6, 1.6))))
        likert = [""] * 6
        if rng.random() < 0.3:
            leaning = rng.randrange(4)  # 0-2: one of the three dimensions; 3: no strong attitude
            for i in range(6):
                if rng.random() < 0.1:
                    continue
                likert[i] = rng.randint(4, 5) if i // 2 == leaning else rng.randint(1, 4)
        rows.append([cid, city, population, size, children, sessions, opens, clicks, "true" if app_user else "false",
                     online, store, sum(1 for v in spend if v > 0)] + [f"{v:.2f}" for v in spend]
                    + [recent, previous, gap, csat] + likert)
    return rows


def _phone(rng, country):
    if country == "IE":
        return f"+353 1 {rng.randint(200, 999)} {rng.randint(1000, 9999)}"
    area, number = rng.choice(["20", "161", "113", "131"]), f"{rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    style = rng.randrange(5)
    if style == 0:
        return f"0{area} {number}"
    if style == 1:
        return f"+44 {area} {number}"
    if style == 2:
        return f"0044 ({area}) {number}"
    if style == 3:
        return f"+44 (0){area}-{number.replace(' ', '-')}"
    return "n/a"


def company_rows(rng, n):
    rows = []
    for i in range(1, n + 1):
        employees = max(1, int(rng.lognormvariate(3.3, 1.4)))
        revenue = int(employees * rng.lognormvariate(11.9, 0.5)) // 1000 * 1000
        country = "IE" if rng.random() < 0.1 else "GB"
        industry = _pick(rng, INDUSTRIES) if rng.random() > 0.03 else ""
        rows.append([f"B{i:04d}", industry, employees if rng.random() > 0.03 else "",
                     revenue if rng.random() > 0.05 else "", country, _phone(rng, country)])
    return rows


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
