"""The realistic shape of the benchmark data (`bench/generate.py SIZE --shape realistic`, numpy only).

Same customers' buying behaviour and the same dirt as the narrow shape (generate.np_transactions), but written
as exports from real systems look:

  data/customers.csv     16 columns, a CRM export:
      customer_id,email,first_name,last_name,city,country,postcode,signup_date,age,income,plan,channel,q1,q2,q3,q4
    email: unique for every customer (a unique number in the local part); names and cities with non-ASCII
    letters (José, Müller, São Paulo, Kraków, Malmö, Zürich, İstanbul) and cities with a comma, quoted
    ("Washington, D.C."); postcode as text in each country's format, some with leading zeros (02134, 01067,
    00118, 0150) or letters (SW1A 2AA); q1, q2 scores 1-5 and q3, q4 Likert answers as text, 40-70 % empty;
    q4 sometimes a free-text comment with commas and doubled quotes (the answer
    fine, "mostly" is written as a quoted field with the inner quotes doubled).
  data/transactions.csv  6 columns: order_id,customer_id,order_date,amount,category,channel
    category: 30 text values (Zipf-like weights), channel: web/store/app/phone/marketplace. About 3 % of the
    lines are EXACT copies of earlier or later lines (a re-sent export batch): most repeated once, some twice
    or three times, each copy placed 1,000 to 200,000 lines away from its original (wrapping around the end
    of the file), never next to it. Only complete lines are copied (none with an empty amount: Segwork's
    dedupe never treats a row with a missing key value as a duplicate, pandas/polars/DuckDB would).
"""
import os

import generate as g

CUSTOMER_HEADER = (b"customer_id,email,first_name,last_name,city,country,postcode,signup_date,age,income,"
                   b"plan,channel,q1,q2,q3,q4\n")
TRANSACTION_HEADER = b"order_id,customer_id,order_date,amount,category,channel\n"
DUPLICATE_SHARE = 0.03               # extra lines that repeat another line exactly, over the log's lines
COPIES = [(1, 85), (2, 12), (3, 3)]  # how often a repeated line appears again, weighted

# (first name as written, its ASCII form for email addresses)
FIRST = [("Anna", "anna"), ("Ben", "ben"), ("Chloé", "chloe"), ("David", "david"), ("Emma", "emma"),
         ("François", "francois"), ("Giulia", "giulia"), ("Hannah", "hannah"), ("Ian", "ian"), ("José", "jose"),
         ("Jürgen", "juergen"), ("Karin", "karin"), ("Łukasz", "lukasz"), ("Lucas", "lucas"), ("María", "maria"),
         ("Mohammed", "mohammed"), ("Noah", "noah"), ("Olivia", "olivia"), ("Paul", "paul"), ("Renée", "renee"),
         ("Sarah", "sarah"), ("Søren", "soren"), ("Thomas", "thomas"), ("Ümit", "umit"), ("Zoë", "zoe"),
         ("Björn", "bjorn"), ("Agnieszka", "agnieszka"), ("Elif", "elif"), ("Mia", "mia"), ("Leon", "leon"),
         ("Sofia", "sofia"), ("Jan", "jan"), ("Laura", "laura"), ("Max", "max"), ("Julia", "julia"),
         ("Pedro", "pedro"), ("Ana", "ana"), ("Lars", "lars"), ("Eva", "eva"), ("Tom", "tom"),
         ("Jean-Pierre", "jeanpierre"), ("Anna-Lena", "annalena"), ("Marie-Claire", "marieclaire"),
         ("Maximilian", "maximilian"), ("Alexandra", "alexandra"), ("Sebastian", "sebastian"),
         ("Katarzyna", "katarzyna"), ("Christopher", "christopher"), ("Małgorzata", "malgorzata"),
         ("Guðrún", "gudrun")]
LAST = [("Müller", "mueller"), ("Schmidt", "schmidt"), ("García", "garcia"), ("Martin", "martin"),
        ("Smith", "smith"), ("Jones", "jones"), ("Rossi", "rossi"), ("Nowak", "nowak"), ("Kowalski", "kowalski"),
        ("O'Brien", "obrien"), ("Dubois", "dubois"), ("Jansen", "jansen"), ("de Vries", "devries"),
        ("Yılmaz", "yilmaz"), ("Öztürk", "ozturk"), ("Silva", "silva"), ("Santos", "santos"),
        ("Andersson", "andersson"), ("Ødegaard", "odegaard"), ("Novák", "novak"), ("Fernández", "fernandez"),
        ("Lefèvre", "lefevre"), ("Bianchi", "bianchi"), ("Weber", "weber"), ("Fischer", "fischer"),
        ("Brown", "brown"), ("Wilson", "wilson"), ("Taylor", "taylor"), ("Nielsen", "nielsen"),
        ("Hansen", "hansen"), ("Peeters", "peeters"), ("Horvat", "horvat"), ("Papadopoulos", "papadopoulos"),
        ("Becker", "becker"), ("Wagner", "wagner"), ("Moreau", "moreau"), ("Romano", "romano"),
        ("Kaya", "kaya"), ("Costa", "costa"), ("Lindqvist", "lindqvist"),
        ("Schneider-Weiß", "schneiderweiss"), ("van der Berg", "vanderberg"), ("Fernández López", "fernandezlopez"),
        ("Kowalczyk", "kowalczyk"), ("Papadopoulou", "papadopoulou"), ("Christensen", "christensen"),
        ("Gonçalves", "goncalves"), ("Vásquez-Ortega", "vasquezortega"), ("Wiśniewski", "wisniewski"),
        ("Þórsdóttir", "thorsdottir")]
DOMAINS = [("gmail.com", 30), ("yahoo.com", 8), ("outlook.com", 10), ("hotmail.co.uk", 5), ("web.de", 8),
           ("gmx.de", 8), ("orange.fr", 6), ("icloud.com", 7), ("libero.it", 4), ("wp.pl", 3),
           ("example.org", 3), ("mail.example-corp.com", 3),
           ("t-online.de", 5), ("protonmail.com", 3), ("posteo.de", 2)]
# (city as a CSV field, country, postcode pattern: # a digit, @ an uppercase letter, weight)
CITIES = [("Berlin", "DE", "1####", 9), ("Hamburg", "DE", "2####", 5), ("München", "DE", "8####", 5),
          ("Köln", "DE", "5####", 4), ("Dresden", "DE", "01###", 2), ("Düsseldorf", "DE", "40###", 2),
          ("Paris", "FR", "750##", 8), ("Lyon", "FR", "6900#", 3), ("Marseille", "FR", "130##", 2),
          ("Besançon", "FR", "25###", 1), ("London", "GB", "SW1@ #@@", 8), ("Manchester", "GB", "M## #@@", 3),
          ("Amsterdam", "NL", "10## @@", 4), ("Rotterdam", "NL", "30## @@", 2), ("Madrid", "ES", "280##", 4),
          ("Barcelona", "ES", "080##", 3), ("A Coruña", "ES", "150##", 1), ("Roma", "IT", "001##", 4),
          ("Milano", "IT", "201##", 3), ("Kraków", "PL", "3#-###", 2), ("Łódź", "PL", "9#-###", 1),
          ("Malmö", "SE", "21# ##", 1), ("Göteborg", "SE", "41# ##", 1), ("Zürich", "CH", "80##", 2),
          ("Genève", "CH", "12##", 1), ("İstanbul", "TR", "34###", 2), ("São Paulo", "BR", "0####-###", 2),
          ("Boston", "US", "021##", 1), ('"Washington, D.C."', "US", "200##", 1), ("New York", "US", "100##", 2),
          ('"Portland, OR"', "US", "972##", 1), ("Wien", "AT", "1###", 2), ("Lisboa", "PT", "1###-###", 1),
          ("Oslo", "NO", "0###", 1), ("København", "DK", "2###", 1), ("Bruxelles", "BE", "10##", 1),
          ("Montréal", "CA", "H2@ #@#", 1), ("Dublin", "IE", "D0# @@##", 1)]
PLANS = [("free", 40), ("basic", 25), ("plus", 18), ("premium", 12), ("business", 5)]
SIGNUP_CHANNELS = [("web", 45), ("store", 25), ("app", 20), ("partner", 7), ("referral", 3)]
LIKERT = [("strongly disagree", 8), ("disagree", 15), ("neutral", 27), ("agree", 35), ("strongly agree", 15)]
COMMENTS = ['"agree, mostly"', '"fine, ""mostly"""', '"too expensive, sadly"', '"said ""no thanks"""',
            '"delivery slow, support good"', "n/a", "no comment"]
CATEGORIES = ["books", "home", "toys", "food", "pets", "games", "music", "shoes", "baby", "beauty", "garden",
              "sports", "kitchen", "office", "health", "clothing", "jewelry", "tools", "outdoor", "video", "wine",
              "snacks", "gifts", "crafts", "lighting", "travel", "software", "furniture", "automotive",
              "electronics"]     # Zipf-like weights, in this order
TX_CHANNELS = [("web", 45), ("store", 25), ("app", 20), ("phone", 5), ("marketplace", 5)]
BLOCK = 500_000                      # customers (and 2 x BLOCK transaction lines) turned into bytes at a time


def _table(np, strings):
    """uint8 matrix of UTF-8 strings, right-padded with 0 bytes (dropped when rows are joined)."""
    raw = [s.encode("utf-8") for s in strings]
    t = np.zeros((len(raw), max(1, max(len(b) for b in raw))), dtype=np.uint8)
    for i, b in enumerate(raw):
        t[i, :len(b)] = np.frombuffer(b, dtype=np.uint8)
    return t


def _choice(np, rng, weighted, n):
    return g._np_weighted(np, rng, weighted, n)


def _blank(np, rng, column, share):
    """Empties `share` of the rows of a byte matrix (in place)."""
    column[rng.random(column.shape[0]) < share] = 0
    return column


def _postcodes(np, rng, patterns):
    """Fills each row's pattern (# digit, @ letter) with random characters."""
    out = patterns.copy()
    digits = (rng.integers(0, 10, size=out.shape) + ord("0")).astype(np.uint8)
    letters = (rng.integers(0, 26, size=out.shape) + ord("A")).astype(np.uint8)
    out = np.where(out == ord("#"), digits, out)
    return np.where(out == ord("@"), letters, out)


def _customer_columns(np, rng, n, ids, signup, email_number, dates, id_width):
    """Byte matrices of the 16 customer columns, in header order."""
    first = rng.integers(0, len(FIRST), size=n)
    last = rng.integers(0, len(LAST), size=n)
    city = _choice(np, rng, [(c, w) for c, _, _, w in CITIES], n)
    # email: <first>.<last><n> / <f><last><n> / <first>_<n> @ a domain; <n> unique per customer, so the address is.
    pattern = rng.choice(3, size=n, p=[0.65, 0.25, 0.10])
    local1 = _table(np, [a for _, a in FIRST])[first]
    local1[pattern == 1, 1:] = 0
    sep = _table(np, [".", "", "_"])[pattern]
    local2 = _table(np, [a for _, a in LAST])[last]
    local2[pattern == 2] = 0
    number = g._np_digits(np, email_number, len(str(int(email_number.max()))), False)
    at = np.full((n, 1), ord("@"), dtype=np.uint8)
    email = np.concatenate([local1, sep, local2, number, at, _table(np, [d for d, _ in DOMAINS])[
        _choice(np, rng, DOMAINS, n)]], axis=1)
    cid = np.concatenate([np.full((n, 1), ord("C"), dtype=np.uint8), g._np_digits(np, ids, id_width, True)], axis=1)
    age = g._np_digits(np, rng.integers(18, 81, size=n), 2, False)
    _blank(np, rng, age, 0.03)
    income = g._np_digits(np, np.floor(rng.lognormal(10.8, 0.45, size=n)).astype(np.int64), 7, False)
    _blank(np, rng, income, 0.05)
    score = lambda: g._np_digits(np, rng.integers(1, 6, size=n), 1, True)  # noqa: E731
    likert = _table(np, [t for t, _ in LIKERT])
    q3 = _blank(np, rng, likert[_choice(np, rng, LIKERT, n)], 0.50)
    answers = _table(np, [t for t, _ in LIKERT] + COMMENTS)
    q4_pick = np.where(rng.random(n) < 0.08, len(LIKERT) + rng.integers(0, len(COMMENTS), size=n),
                       _choice(np, rng, LIKERT, n))
    q4 = _blank(np, rng, answers[q4_pick], 0.65)
    return [cid, email, _table(np, [f for f, _ in FIRST])[first], _table(np, [f for f, _ in LAST])[last],
            _table(np, [c for c, _, _, _ in CITIES])[city], _table(np, [c for _, c, _, _ in CITIES])[city],
            _postcodes(np, rng, _table(np, [p for _, _, p, _ in CITIES])[city]), dates[signup], age, income,
            _table(np, [p for p, _ in PLANS])[_choice(np, rng, PLANS, n)],
            _table(np, [c for c, _ in SIGNUP_CHANNELS])[_choice(np, rng, SIGNUP_CHANNELS, n)],
            _blank(np, rng, score(), 0.40), _blank(np, rng, score(), 0.55), q3, q4]


def _duplicates(np, rng, rows, missing):
    """Where each line of the file comes from: source row indices of the log, with ~3 % extra lines that repeat
    complete rows (never one with an empty amount), each copy 1,000 to 200,000 lines from its original."""
    eligible = np.flatnonzero(~missing)
    mean_copies = sum(c * w for c, w in COPIES) / sum(w for _, w in COPIES)
    repeated = rng.choice(eligible, size=min(eligible.size, int(round(rows * DUPLICATE_SHARE / mean_copies))),
                          replace=False)
    copies = np.array([c for c, _ in COPIES])[_choice(np, rng, COPIES, repeated.size)]
    source = np.repeat(repeated, copies)
    # copy j of a line goes (j + 1) * step lines further (wrapping), step 1,000..66,000: never next to the original
    # or to another copy of it.
    step = np.repeat(rng.integers(1_000, 66_000, size=repeated.size), copies)
    j = np.arange(source.size) - np.repeat(np.cumsum(copies) - copies, copies)
    position = (source + (j + 1) * step) % rows + 0.5
    order = np.argsort(np.concatenate([np.arange(rows, dtype=np.float64), position]), kind="stable")
    lines = np.concatenate([np.arange(rows, dtype=np.int64), source])[order]
    return lines, repeated.size, int(copies.max()) if copies.size else 0


def generate(n, seed, out_dir):
    """Writes data/customers.csv and data/transactions.csv of the realistic shape; returns bench.json's facts."""
    import numpy as np
    rng = np.random.default_rng(seed)
    id_width = max(8, len(str(n + n // 100 + 10)))
    dates = g._np_table(np, [(g.SIGNUP_START + g.dt.timedelta(days=k)).isoformat()
                             for k in range((g.END - g.SIGNUP_START).days + 1)])
    order_day0 = (g.START - g.SIGNUP_START).days
    signup = rng.integers(0, (g.END - g.SIGNUP_START).days - 30, size=n)
    email_number = rng.permutation(n) + 1 + int(rng.integers(0, 50))   # unique per customer
    with open(os.path.join(out_dir, "data", "customers.csv"), "wb") as f:
        f.write(CUSTOMER_HEADER)
        for s in range(0, n, BLOCK):
            e = min(n, s + BLOCK)
            ids = np.arange(s + 1, e + 1, dtype=np.int64)
            f.write(g._np_join(np, _customer_columns(np, rng, e - s, ids, signup[s:e],
                                                        email_number[s:e], dates, id_width)))

    tx = g.np_transactions(np, rng, n, signup, order_day0)
    rows = tx["cust_id"].size
    category = rng.choice(len(CATEGORIES), size=rows, p=_zipf(np, len(CATEGORIES)))
    # The two lines of an order (adjacent in the log) never share a category, so no two generated lines are
    # equal by chance: the file's only exact duplicates are the planted copies.
    same = np.flatnonzero((tx["order_id"][1:] == tx["order_id"][:-1]) & (category[1:] == category[:-1])) + 1
    category[same] = (category[same] + 1) % len(CATEGORIES)
    channel = _choice(np, rng, TX_CHANNELS, rows)
    lines, repeated, most = _duplicates(np, rng, rows, tx["missing"])
    categories, channels = _table(np, CATEGORIES), _table(np, [c for c, _ in TX_CHANNELS])
    cw = len(str(int(tx["order_id"].max())))
    with open(os.path.join(out_dir, "data", "transactions.csv"), "wb") as f:
        f.write(TRANSACTION_HEADER)
        for s in range(0, lines.size, 2 * BLOCK):
            at = lines[s:s + 2 * BLOCK]
            k = at.size
            cents = tx["cents"][at]
            amount = np.concatenate([g._np_digits(np, cents // 100, 9, False),
                                     np.full((k, 1), ord("."), dtype=np.uint8),
                                     g._np_digits(np, cents % 100, 2, True)], axis=1)
            amount[tx["missing"][at]] = 0
            cid = np.concatenate([np.full((k, 1), ord("C"), dtype=np.uint8),
                                  g._np_digits(np, tx["cust_id"][at], id_width, True)], axis=1)
            f.write(g._np_join(np, [g._np_digits(np, tx["order_id"][at], cw, False), cid,
                                    dates[order_day0 + tx["day"][at]], amount, categories[category[at]],
                                    channels[channel[at]]]))
    return {"customers": n, "buyers": int((tx["orders"] > 0).sum()),
            "orders": int(tx["order_id"][-1] - g.ORDER_ID_BASE), "transactions": int(lines.size),
            "distinct_transactions": rows, "duplicate_lines": int(lines.size - rows),
            "repeated_lines": repeated, "most_copies": most,
            "unknown_customer_rows": tx["unknown_customer_rows"], "missing_amount_rows": int(tx["missing"].sum())}


def _zipf(np, k):
    w = 1.0 / np.arange(1, k + 1) ** 0.8
    return w / w.sum()


RFM_YAML = """\
# RFM benchmark definition (realistic shape), written by bench/generate.py. The same rule is computed by bench/peers.py.
description: RFM grid segments (bundled rfm criterion) after deduplicating the transactions, benchmark
population: customers
id: customer_id
as_of: {as_of}
datasets:
  customers:
    file: data/customers.csv
    schema: {{ signup_date: date, postcode: string }}
  transactions:
    file: data/transactions.csv
    schema: {{ order_date: date, amount: double{order_schema} }}
    clean:
      - dedupe: {{ key: [order_id, customer_id, order_date, amount, category, channel], keep: first }}
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
