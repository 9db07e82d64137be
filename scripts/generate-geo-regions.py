#!/usr/bin/env python3
"""Writes plugins/lib/geo_regions.lua (the table behind the bundled `geo_region` plugin) from the country table of
the PyPI package country_converter (its country_data.tsv: ISO 3166 alpha-2/alpha-3 codes, short and official names,
and the UN M49 sub-region in column UNregion). The M49 region (continent) is the one the UN M49 standard assigns to
each sub-region (REGION_OF below). Historical entries (column `obsolete` set) and entries without an alpha-2 code are
left out; the UK's and Greece's extra codes UK and EL are kept as aliases.

    .build/venv/bin/pip install country_converter==1.3.2
    .build/venv/bin/python scripts/generate-geo-regions.py      # rewrites plugins/lib/geo_regions.lua

Same input, same bytes (entries sorted by code).
"""
import csv
import importlib.util
import os
import re

REGION_OF = {
    "Eastern Africa": "Africa", "Middle Africa": "Africa", "Northern Africa": "Africa", "Southern Africa": "Africa",
    "Western Africa": "Africa",
    "Caribbean": "Americas", "Central America": "Americas", "Northern America": "Americas", "South America": "Americas",
    "Central Asia": "Asia", "Eastern Asia": "Asia", "South-eastern Asia": "Asia", "Southern Asia": "Asia",
    "Western Asia": "Asia",
    "Eastern Europe": "Europe", "Northern Europe": "Europe", "Southern Europe": "Europe", "Western Europe": "Europe",
    "Australia and New Zealand": "Oceania", "Melanesia": "Oceania", "Micronesia": "Oceania", "Polynesia": "Oceania",
    "Antarctica": "Antarctica",
}
# Common spellings that are neither a code nor the package's short or official name.
ALIASES = {
    "UK": "GB", "Great Britain": "GB", "Britain": "GB", "England": "GB", "Scotland": "GB", "Wales": "GB",
    "Northern Ireland": "GB", "USA": "US", "United States of America": "US", "America": "US", "Holland": "NL",
    "Czech Republic": "CZ", "Russia": "RU", "South Korea": "KR", "Korea": "KR", "North Korea": "KP",
    "Turkey": "TR", "Ivory Coast": "CI", "Cote d'Ivoire": "CI", "Vietnam": "VN", "Iran": "IR", "Syria": "SY",
    "Laos": "LA", "Moldova": "MD", "Bolivia": "BO", "Venezuela": "VE", "Tanzania": "TZ", "Macedonia": "MK",
    "Swaziland": "SZ", "Burma": "MM", "Cape Verde": "CV", "Vatican": "VA", "Taiwan": "TW", "Hong Kong": "HK",
    "Macau": "MO", "Macao": "MO", "UAE": "AE", "Deutschland": "DE", "España": "ES", "Espana": "ES", "Italia": "IT",
    "Österreich": "AT", "Schweiz": "CH", "Suisse": "CH", "Nederland": "NL", "België": "BE", "Belgique": "BE",
    "Sverige": "SE", "Norge": "NO", "Danmark": "DK", "Suomi": "FI", "Polska": "PL", "Brasil": "BR", "México": "MX",
    "EL": "GR",
}
# ISO 3166-1 English short names and UN M49 names that country_converter spells differently (checked against the
# ISO 3166 Online Browsing Platform's short names and the UN M49 "Countries or areas" list). geo_region folds case,
# apostrophes (’ ‘ ʼ → '), dots and runs of spaces on both sides, so one spelling per name is enough here.
OFFICIAL_SPELLINGS = {
    "Viet Nam": "VN", "Korea, Republic of": "KR", "Republic of Korea": "KR",
    "Korea, Democratic People's Republic of": "KP", "Democratic People's Republic of Korea": "KP",
    "Iran, Islamic Republic of": "IR", "Iran (Islamic Republic of)": "IR",
    "Congo": "CG", "Republic of the Congo": "CG", "Congo, The Democratic Republic of the": "CD",
    "Democratic Republic of the Congo": "CD",
    "Micronesia, Federated States of": "FM", "Micronesia (Federated States of)": "FM",
    "Moldova, Republic of": "MD", "Republic of Moldova": "MD",
    "Tanzania, United Republic of": "TZ", "United Republic of Tanzania": "TZ",
    "Bolivia, Plurinational State of": "BO", "Bolivia (Plurinational State of)": "BO",
    "Venezuela, Bolivarian Republic of": "VE", "Venezuela (Bolivarian Republic of)": "VE",
    "Taiwan, Province of China": "TW", "Palestine, State of": "PS", "State of Palestine": "PS",
    "Virgin Islands, British": "VG", "British Virgin Islands": "VG", "Virgin Islands, U.S.": "VI",
    "United States Virgin Islands": "VI", "Holy See (Vatican City State)": "VA", "Holy See": "VA",
    "Netherlands, Kingdom of the": "NL", "Netherlands (Kingdom of the)": "NL",
    "Bonaire, Sint Eustatius and Saba": "BQ", "Saint Martin (French part)": "MF", "Saint Barthélemy": "BL",
    "Heard Island and McDonald Islands": "HM", "Svalbard and Jan Mayen": "SJ", "Svalbard and Jan Mayen Islands": "SJ",
    "Wallis and Futuna": "WF", "Wallis and Futuna Islands": "WF",
    "China, Hong Kong Special Administrative Region": "HK", "China, Macao Special Administrative Region": "MO",
    "Saint Helena": "SH", "Türkiye": "TR", "Côte d'Ivoire": "CI", "Lao People's Democratic Republic": "LA",
    "Syrian Arab Republic": "SY", "Russian Federation": "RU", "Czechia": "CZ", "Cabo Verde": "CV", "Eswatini": "SZ",
    "North Macedonia": "MK", "Brunei Darussalam": "BN", "Falkland Islands (Malvinas)": "FK", "Timor-Leste": "TL",
    "United Kingdom of Great Britain and Northern Ireland": "GB", "Sao Tome and Principe": "ST",
    "Saint Helena, Ascension and Tristan da Cunha": "SH", "Sint Maarten (Dutch part)": "SX",
}


def lua(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    spec = importlib.util.find_spec("country_converter")
    tsv = os.path.join(os.path.dirname(spec.origin), "country_data.tsv")
    rows = list(csv.DictReader(open(tsv, encoding="utf-8"), delimiter="\t"))
    entries = {}
    for r in rows:
        code = r["ISO2"]
        if r["obsolete"] or not re.fullmatch(r"[A-Z]{2}", code):
            if code.startswith("^"):
                code = code[1:3]  # ^GB$|^UK$ -> GB, ^GR$|^EL$ -> GR
            else:
                continue
        if r["obsolete"]:
            continue
        sub = r["UNregion"]
        if sub not in REGION_OF:
            raise SystemExit(f"no M49 region for sub-region {sub!r} ({r['name_short']})")
        entries[code] = (r["name_short"], r["name_official"], r["ISO3"], REGION_OF[sub], sub)
    names = {}
    for code, (short, official, iso3, _, _) in entries.items():
        for n in (short, official, iso3):
            if n:
                names.setdefault(n.lower(), code)
    for alias, code in list(ALIASES.items()) + list(OFFICIAL_SPELLINGS.items()):
        assert code in entries, alias
        names.setdefault(alias.lower(), code)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.path.join(root, "plugins", "lib", "geo_regions.lua")
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("-- geo_regions: ISO 3166-1 countries with their UN M49 region and sub-region, for the geo_region plugin.\n")
        f.write("-- GENERATED by scripts/generate-geo-regions.py from the PyPI package country_converter 1.3.2\n")
        f.write("-- (country_data.tsv); do not edit by hand. `countries[code]` = { name, region, subregion };\n")
        f.write("-- `names[lowercase name, alpha-3 code or alias]` = alpha-2 code.\n")
        f.write("local countries = {\n")
        for code in sorted(entries):
            short, _, _, region, sub = entries[code]
            f.write(f"  {code} = {{ {lua(short)}, {lua(region)}, {lua(sub)} }},\n")
        f.write("}\nlocal names = {\n")
        for n in sorted(names):
            f.write(f"  [{lua(n)}] = {lua(names[n])},\n")
        f.write("}\nreturn { countries = countries, names = names }\n")
    print(f"wrote {len(entries)} countries, {len(names)} names to {out}")


if __name__ == "__main__":
    main()
