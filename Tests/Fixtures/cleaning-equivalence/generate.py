#!/usr/bin/env python3
"""Writes the awkward data of the cleaning-equivalence fixture (issue 11): data/customers.csv and
data/transactions.csv, seeded, so the same bytes come out every time (Python 3's random.Random(seed) sequence).

The data is made to catch a faster cleaning step that changes anything a user can see (docs/CLEANING.md):

- ties for `dedupe … keep: latest` (equal dates, equal numbers, -0.0 against 0, missing `by` values);
- missing values in key columns (never duplicates), duplicates spread far apart in the file;
- text keys that read alike: "007" / "7" / "07", "1.0" / "1", "NaN" / "nan", "-0" / "0", composed and decomposed
  é, the Ångström sign against Å, whitespace variants (space, tab, no-break space, em space, zero-width space),
  quoted commas, quotes and line breaks inside values, formula-looking text;
- double keys written "1", "1.0" and "1.00" (one value), -0.0 and 0 (one value), 1e300, 5e-324;
- mixed case and spacing for `standardise` (ß, dotted İ, Turkish ı), dates in several formats, some unparseable
  (31/02, words, stray spaces);
- even numbers of present values with middle values an odd distance apart, so `fill_median` must round half away
  from zero (integers 4.5 -> 5, -2.5 -> -3; dates before 1970: day -1.5 -> -2);
- values for every `validate` rule, a personal (`pii: true`) column among them, and values with line breaks before
  rejected rows (so rejects.csv's line numbers are file lines, not record numbers).

Run from the repository root:  python3 Tests/Fixtures/cleaning-equivalence/generate.py
Then regenerate the expected outputs with regenerate-expected.sh (see README.md next to this file).
"""
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20261206)

N = 1200

NFC_E = "caf\u00e9"
NFD_E = "cafe\u0301"


def field(v, force_quote=False):
    """One CSV field, RFC 4180 quoted when needed (or asked for)."""
    if v is None:
        return ""
    if force_quote or any(ch in v for ch in ',"\n\r') or v != v.strip(" ") and v.strip(" ") == "":
        return '"' + v.replace('"', '""') + '"'
    return v


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(field(v, rng.random() < 0.03 and v is not None and v != "") for v in r) + "\n")


def maybe(p_missing, value):
    return None if rng.random() < p_missing else value


# Key texts: several spellings that must stay different (text compares as written), and a few that Swift treats as
# one string (canonical equivalence), which the old dedupe (a dictionary of Swift strings) grouped together.
CODES = ["007", "7", "07", "7 ", " 7", "1.0", "1", "1.00", "NaN", "nan", "-0", "0", NFC_E, NFD_E, "\u212b", "\u00c5",
         "A\u030a", "a,b", "a\nb", 'say "hi"', "=1+1", "-5", "+5", "@x", "ß", "SS", "ss", "x\u200by", "x y",
         "x\u00a0y", "x\ty", "e", "E", "\u00e9", "\u00c9"]
NAMES = ["anna müller", "Anna Müller", "ANNA MÜLLER", " anna  müller ", "anna\tmüller", "anna\u00a0müller",
         "anna mu\u0308ller", "Jörg Straße", "JÖRG STRASSE", "jörg straße", "İlknur Işık", "ilknur ışık",
         "Zoë  Ōkubo", "zoë ōkubo", "Zoe\u0308 O\u0304kubo", "  ", "\u2003Bob\u2003", "bob", "BOB", "Bob",
         "Ünal, Deniz", "o'brien", "O'BRIEN", "line\nbreak", "Line  Break", "=cmd", "Ǆemal", "ǅemal", "ǆemal"]
CITIES = ["Berlin", "berlin", " BERLIN ", "Berlin ", "München", "Muenchen", "MÜNCHEN", "Mu\u0308nchen", "Köln",
          "Koeln", "Zürich", "ZURICH", "São Paulo", "Sa\u0303o Paulo", "SAO PAULO", "new  york", "New York",
          "NEW\tYORK", "Paris, France", "paris", "\u00a0Paris\u00a0", "Ελλάδα", "ΕΛΛΆΔΑ", "İzmir", "izmir"]
PLANS = ["basic", "pro", "Pro", "PRO", "enterprise", "free ", "basic", "pro", "trial", "b\u00e1sic", "ba\u0301sic"]
SIGNUPS = ["2023-01-05", "05/01/2023", "5/1/2023", "31/12/2022", "31/02/2023", "2023-02-30", "Jan 5, 2023",
           "jan 5, 2023", "January 5, 2023", "5 Mar 23", "23-01-05", " 2023-01-05", "2023-01-05 ", "soon", "0",
           "12/13/2023", "2024-02-29", "2023-02-29", "1/1/70", "01/01/1969", "Feb 29, 2024", "SEPT 1, 2023"]
NOTES = ["ok", "needs, a comma", 'has "quotes"', "two\nlines", "three\nshort\nlines", "trailing space ",
         "\ttab first", "-minus first", "+plus", "@at", "", "x" * 60, "é\r\nCRLF inside"]
PHONES = ["+49 30 1234567", "030 1234567", "+1 555 0100", "555-0100", "phone", "+44\n7700 900123", "00000000",
          "+4930123456789012345", "12345"]
DOMAINS = ["example.com", "example.org", "EXAMPLE.COM", "mail"]
AMOUNTS = ["0", "-0.0", "0.0", "1", "1.0", "1.00", "1.5", "1.50", "-2.25", "1e300", "1E300", "5e-324", "0.1",
           "0.30000000000000004", "0.3", "12345678.9", "-0.5", "1e-300", "100", "2.5"]


def iso(days):
    import datetime
    return (datetime.date(1970, 1, 1) + datetime.timedelta(days=days)).isoformat()


def halves(n_present, low, high, key=None):
    """n_present values (n_present even), exactly half from `low` and half from `high`, shuffled: the median is
    the mean of the largest low value and the smallest high value."""
    vals = [rng.choice(low) for _ in range(n_present // 2 - 1)] + [max(low, key=key)]
    vals += [rng.choice(high) for _ in range(n_present // 2 - 1)] + [min(high, key=key)]
    rng.shuffle(vals)
    return vals


def customers():
    # Columns whose present values are shaped for fill_median: an even count with middle values an odd distance apart.
    level_missing = set(rng.sample(range(N), 200))        # 1000 present: median between 4 and 5 -> 4.5 -> 5
    delta_missing = set(rng.sample(range(N), 310))        # 890 present: median between -3 and -2 -> -2.5 -> -3
    seen_missing = set(rng.sample(range(N), 150))         # 1050 present: median between day -2 and day -1 -> -2
    rank_missing = set(rng.sample(range(N), 180))         # 1020 present: median between 0.1 and 0.2 -> 0.15000000000000002
    ranks = iter(halves(N - len(rank_missing), ["-3.25", "-0.0", "0", "0.0", "0.1"], ["0.2", "1.5", "2", "2.0", "10"],
                        key=float))
    levels = iter(halves(N - len(level_missing), [0, 1, 2, 3, 4], [5, 6, 7, 9, 20, 9007199254740993]))
    deltas = iter(halves(N - len(delta_missing), [-40, -9, -5, -3], [-2, 0, 3, 8]))
    seens = iter(halves(N - len(seen_missing), [-800, -30, -5, -2], [-1, 0, 40, 19000, 19723]))
    header = ["rid", "code", "name", "city", "amount", "rank", "visits", "level", "delta", "updated", "seen",
              "active", "signup", "plan", "phone", "email", "note"]
    rows = []
    for i in range(N):
        rid = "R%04d" % (i + 1)
        code = maybe(0.08, rng.choice(CODES) if rng.random() < 0.4 else "%s-%d" % (rng.choice(CODES), rng.randrange(25)))
        name = maybe(0.05, rng.choice(NAMES))
        city = maybe(0.07, rng.choice(CITIES))
        amount = maybe(0.1, rng.choice(AMOUNTS))
        rank = None if i in rank_missing else next(ranks)
        visits = maybe(0.1, str(rng.choice([0, 1, 2, 3, 5, 8, 13, 21, -1, 11, 10])))
        level = None if i in level_missing else str(next(levels))
        delta = None if i in delta_missing else str(next(deltas))
        updated = maybe(0.12, iso(rng.choice([19000, 19000, 19000, 19001, 19005, 19723, 18262, 20088, -1, 0])))
        seen = None if i in seen_missing else iso(next(seens))
        active = maybe(0.2, rng.choice(["true", "false"]))
        signup = maybe(0.06, rng.choice(SIGNUPS))
        plan = maybe(0.06, rng.choice(PLANS))
        phone = maybe(0.1, rng.choice(PHONES))
        email = maybe(0.05, rng.choice(["ann", "bob", "c.d", "e+f", "ann@", "@x", "g h", "ü"]) + "@"
                      + rng.choice(DOMAINS) if rng.random() < 0.9 else rng.choice(["not an email", "x@y", "a@b.c\n"]))
        note = maybe(0.1, rng.choice(NOTES))
        rows.append([rid, code, name, city, amount, rank, visits, level, delta, updated, seen, active, signup, plan,
                     phone, email, note])
    # Rows in the last third copy code, name, city, amount and updated from a row in the first third: duplicates far
    # from their originals, with equal `updated` dates, so keep: latest by updated has to keep the first of the tie.
    for k in range(80):
        src = rows[rng.randrange(0, N // 3)]
        dst = rows[rng.randrange(2 * N // 3, N)]
        for c in (1, 2, 3, 4, 9):
            dst[c] = src[c]
    return header, rows


def transactions(customer_ids):
    header = ["customer_id", "order_id", "date", "amount", "category", "channel"]
    rows = []
    for _ in range(2500):
        cid = rng.choice(customer_ids[:400])
        rows.append([cid, "O%05d" % rng.randrange(0, 3000), iso(rng.choice(range(19300, 19700))),
                     maybe(0.02, rng.choice(["10", "10.0", "10.00", "-0.0", "0", "5.5", "99.99", "1e3", "1000"])),
                     maybe(0.05, rng.choice(["Books", "books", "BOOKS", "Bücher", "Bu\u0308cher", "Home, Garden",
                                             "toys\n", "Toys"])),
                     maybe(0.05, rng.choice(["web", "store", "app", "web ", "Web"]))])
    # Exact duplicate lines, spread through the file, plus near-duplicates that differ only in spelling.
    for _ in range(600):
        rows.insert(rng.randrange(0, len(rows)), list(rows[rng.randrange(0, len(rows))]))
    return header, rows


def main():
    os.makedirs(os.path.join(HERE, "data"), exist_ok=True)
    header, rows = customers()
    write_csv(os.path.join(HERE, "data", "customers.csv"), header, rows)
    theader, trows = transactions([r[0] for r in rows])
    write_csv(os.path.join(HERE, "data", "transactions.csv"), theader, trows)


if __name__ == "__main__":
    main()
