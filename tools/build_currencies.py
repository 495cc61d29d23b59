"""Build `rules/currencies.tsv`: the Chinese names of the currencies in use, with their ISO 4217 code.

Source: the Unicode CLDR data shipped in the PyPI package `babel` (Unicode License v3), the
currency display names of the Chinese locales (Simplified and Traditional, mainland, Hong
Kong, Macau, Singapore, Taiwan), converted to Simplified with OpenCC `t2s` as the articles are.

The names are those of the currencies that are legal tender in some territory on REFERENCE_DATE
(babel's territory currencies), so that withdrawn currencies (德国马克) are left out. Short
forms that news use are derived by two documented rules:

1. country name stripped: a display name that starts with the Chinese name (any of the
   locales) of a territory whose currency it is gives the rest when that rest has two
   characters or more (`俄罗斯卢布` -> `卢布`, `马来西亚林吉特` -> `林吉特`, `泰铢` stays);
2. 元 and 币 are interchangeable at the end of a name (`加币` -> `加元`, `澳币` -> `澳元`,
   `港元` -> `港币`).

A form that the rules give for two or more currencies is ambiguous (`卢比`: INR, PKR, LKR …;
`法郎`; `比索`) and left out, unless `rules/currency_overrides.tsv` names one currency for it
(news usage); an override with code `-` removes a form; an override adds forms no rule gives
(`台币`, `美金`, and the bare `元`, which is the currency of the article's region).

Run: `pip install babel opencc` then `python tools/build_currencies.py` (writes the file);
`python tools/build_currencies.py --check` exits 1 when the file differs from what it would write.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
OUTPUT = RULES / "currencies.tsv"
OVERRIDES = RULES / "currency_overrides.tsv"
LOCALES = ("zh", "zh_Hans_HK", "zh_Hans_MO", "zh_Hans_SG", "zh_Hant", "zh_Hant_HK", "zh_Hant_MO")
REFERENCE_DATE = datetime.date(2025, 1, 1)
MIN_STRIPPED = 2
INTERCHANGEABLE_ENDS = ("元", "币")


def read_overrides(path: Path) -> list[tuple[str, str, str]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) != 3 or not all(parts):
            sys.exit(
                f"{path}:{number}: expected 3 tab-separated columns (name, code, reason), got {line!r}"
            )
        rows.append(tuple(parts))
    return rows


def build() -> str:
    import babel
    import babel.numbers
    import opencc
    from babel import Locale

    t2s = opencc.OpenCC("t2s").convert
    locales = [Locale.parse(name) for name in LOCALES]
    territories_of: dict[str, set[str]] = defaultdict(set)
    for territory in Locale.parse("en").territories:
        if territory.isalpha():
            for code in babel.numbers.get_territory_currencies(
                territory, start_date=REFERENCE_DATE, tender=True
            ):
                territories_of[code].add(territory)
    country_names: dict[str, set[str]] = defaultdict(set)
    for locale in locales:
        for territory, name in locale.territories.items():
            country_names[territory].add(t2s(name))

    full: dict[str, set[str]] = defaultdict(set)  # display name -> codes
    sources: dict[tuple[str, str], set[str]] = defaultdict(set)
    for locale in locales:
        for code in territories_of:
            name = locale.currencies.get(code)
            if name:
                full[t2s(name)].add(code)
                sources[(t2s(name), code)].add(f"cldr:{locale}")
    derived: dict[str, set[str]] = defaultdict(set)
    for name, codes in full.items():
        for code in codes:
            for territory in territories_of[code]:
                for country in country_names[territory]:
                    rest = name[len(country) :]
                    if name.startswith(country) and len(rest) >= MIN_STRIPPED:
                        derived[rest].add(code)
                        sources[(rest, code)].add("stripped")
    forms = {**{n: set(c) for n, c in derived.items()}, **{n: set(c) for n, c in full.items()}}
    for name, codes in list(forms.items()):
        for old, new in (INTERCHANGEABLE_ENDS, INTERCHANGEABLE_ENDS[::-1]):
            if name.endswith(old) and len(name) > 1:
                other = name[:-1] + new
                if other not in full:
                    forms.setdefault(other, set()).update(codes)
                    for code in codes:
                        sources[(other, code)].add("yuan-bi")
    table: dict[str, tuple[str, str]] = {}
    ambiguous = {}
    for name, codes in forms.items():
        if len(codes) == 1:
            code = next(iter(codes))
            table[name] = (code, "+".join(sorted(sources[(name, code)])))
        else:
            ambiguous[name] = sorted(codes)
    for name, code, _reason in read_overrides(OVERRIDES):
        if code == "-":
            table.pop(name, None)
        else:
            table[name] = (code, "override")
        ambiguous.pop(name, None)
    lines = [
        "# name\tcode\tsource",
        "# Chinese names of currencies in use, with their ISO 4217 code (REGION: the currency of",
        "# the article's region, see region_currencies.tsv). GENERATED by tools/build_currencies.py",
        f"# from Unicode CLDR {babel.core.get_cldr_version()} (babel {babel.__version__}; Unicode License v3),",
        f"# locales {', '.join(LOCALES)}, converted with OpenCC t2s; currencies in use on {REFERENCE_DATE}.",
        "# source: cldr:LOCALE (a display name), stripped (country name removed), yuan-bi (元/币",
        "# swapped), override (currency_overrides.tsv). Do not edit: edit the overrides and rebuild.",
        "# Ambiguous forms left out: "
        + "; ".join(f"{n} ({'/'.join(c)})" for n, c in sorted(ambiguous.items())),
    ]
    for name in sorted(table, key=lambda n: (table[n][0], n)):
        code, source = table[name]
        lines.append(f"{name}\t{code}\t{source}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when the file is not up to date"
    )
    args = parser.parse_args()
    text = build()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(
                f"{OUTPUT} is not up to date; run python tools/build_currencies.py", file=sys.stderr
            )
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT} ({text.count(chr(10)) - 8} names)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
