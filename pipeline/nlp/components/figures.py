"""Figure stage: numbers with a unit or classifier, their value, unit, qualifier and year.

Numeral grammar (on the converted text): an optional currency prefix (`新台币`), sign words
(`零下`), `百分之`, then Arabic (`3,098`, `48.7`) or Chinese numerals (`二百四十`, via cn2an),
an approximator (`余`, `多`), a magnitude (`万`, `亿`, `万亿`), and a unit from
`rules/units.tsv`. Ranges (`6-8亿元`, `0.5至1小时`) give two figures, the first taking the
unit of the second. Qualifiers come from `rules/qualifiers.tsv`; the year is the one the
clause (or the head of the sentence) names, with Republic of China years (+1911) in Taiwan
text and 今年/明年/去年 resolved by the publication date.
Dates, years, ordinals (`第一`), `一` + classifier used as an article and numbers inside
words or names are not figures.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an
from spacy.language import Language
from spacy.tokens import Doc

from zhie.nlp import extensions
from zhie.nlp.lexicon import RuleFileError, read_columns
from zhie.resources import resolve_path
from zhie.nlp.spans import text_of, word_starts, words_of

QUALIFIERS = {"exact", "more_than", "less_than", "approx", "at_least", "at_most"}
UNIT_TYPES = {"currency", "percent", "duration", "measure", "classifier"}
REGION_CURRENCY = {"CN": "CNY", "TW": "TWD", "HK": "HKD", "MO": "MOP"}
ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
CHINESE = r"[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?"
MAGNITUDES = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3, "百万": 1e6, "千万": 1e7, "百亿": 1e10, "千亿": 1e11}
SENTENCE_ENDS = "。！？!?\r\n"
CLAUSE_ENDS = SENTENCE_ENDS + "，,；;：:"
CLAUSE_BREAK = re.compile(f"[{CLAUSE_ENDS}]")
# A year the figure refers to; a year that starts a date (`114年9月`) does not count.
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)|(?<![\d.])(\d{2,3})\s*年(?!\s*\d{1,2}\s*月)|(今|明|去)年")
ROC_MIN_YEAR = 60
BACK_REFERENCES = ("届时", "当年", "同年", "该年")
# Words that make a bare 万 a sum of money (`多支出了4000万`).
MONEY_CONTEXT = re.compile(r"支出|投资|投入|收入|营收|销售额|产值|利润|成本|费用|金额|资金|募集|融资|捐赠|补助|赔偿")
# A year heads a sentence when its first clause is a short time phrase (`到2027年，`).
MAX_HEAD_CHARS = 10
# A clause about the present does not take the year at the head of its sentence.
PRESENT = re.compile(r"目前|现在|当前|如今|现已")
DATE_AFTER = re.compile(r"^\s*(月|日|号|時|时|:|：\d|点\d|年\s*\d{1,2}\s*月)")
MONTH_AFTER = re.compile(r"\s*\d{1,2}\s*月")
RANGE_SEP = re.compile(r"^\s*[-~～—至到]\s*")
MAX_QUALIFIER_GAP = 14
SUBJECT_CHARS = 12


@dataclass
class Figure:
    start: int  # converted-text offsets
    end: int
    value: float
    unit: str
    qualifier: str
    year: int | None
    subject: str


def after_last(text: str, pos: int, chars: str) -> int:
    """The position just after the last of `chars` before `pos` (0 when there is none)."""
    return max(text.rfind(c, 0, pos) for c in chars) + 1


def parse_number(number: str) -> float | None:
    """Value of an Arabic or Chinese numeral (`3,098`, `48.7`, `二百四十`, `十`, `百`)."""
    if number[0].isdigit():
        return float(number.replace(",", ""))
    text = number.replace("〇", "零")
    if text[0] in "十百千":
        text = "一" + text
    try:
        return float(cn2an.cn2an(text, "normal"))
    except (ValueError, KeyError, IndexError):
        return None


def load_units(path):
    units = {}
    for number, (unit, normalised, kind) in read_columns(path, 3):
        if kind not in UNIT_TYPES:
            raise RuleFileError(f"{path}:{number}: unknown unit type {kind!r}")
        units[unit] = (normalised, kind)
    return units


def load_qualifiers(path):
    table = {"before": {}, "after": {}, "inside": {}}
    for number, (word, position, qualifier) in read_columns(path, 3):
        if position not in table or qualifier not in QUALIFIERS:
            raise RuleFileError(f"{path}:{number}: unknown position {position!r} or qualifier {qualifier!r}")
        table[position][word] = qualifier
    return table


def alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@Language.factory("zhie_figures", assigns=["doc._.figures"], default_config={"rules_dir": "rules:"})
def create_figures(nlp: Language, name: str, rules_dir: str):
    """Figure component: fills `doc._.figures`."""
    extensions.register()
    root = resolve_path(rules_dir)
    return FigureExtractor(load_units(root / "units.tsv"), load_qualifiers(root / "qualifiers.tsv"))


class FigureExtractor:
    def __init__(self, units: dict[str, tuple[str, str]], qualifiers: dict[str, dict[str, str]]):
        self.units = units
        self.qualifiers = qualifiers
        currencies = [u for u, (_, kind) in units.items() if kind == "currency" and u != "元"]
        inside = alternation(qualifiers["inside"])
        self.pattern = re.compile(
            rf"(?P<prefix>{alternation(currencies)})?(?P<sign>零下|零上|负)?(?P<pct>百分之)?"
            rf"(?P<num>{ARABIC}|{CHINESE})(?P<inside>{inside})?"
            rf"(?P<mag>{alternation(MAGNITUDES)})?(?P<inside2>{inside})?"
            rf"(?P<unit>{alternation(units)})?"
        )
        self.before = re.compile(rf"({alternation(qualifiers['before'])})\s*$")
        self.after = re.compile(rf"^({alternation(qualifiers['after'])})")

    def __call__(self, doc: Doc) -> Doc:
        doc._.figures = self.extract(doc)
        return doc

    def extract(self, doc: Doc) -> list[Figure]:
        text = text_of(doc)
        texts, _ = words_of(doc)
        token_starts = set(word_starts(texts))
        token_ends = {a + len(t) for a, t in zip(word_starts(texts), texts)}
        region = doc._.region or "CN"
        published = doc._.published
        figures: list[Figure] = []
        pending = None  # a bare number waiting for the unit of a range's second half
        for m in self.pattern.finditer(text):
            start, end = m.span()
            number = m.group("num")
            unit_word = m.group("unit")
            prev = text[start - 1] if start else ""
            if prev and (prev in "第.．" or (prev.isascii() and prev.isalnum())):
                continue
            if start not in token_starts and not m.group("prefix") and not m.group("sign"):
                continue
            rest = text[end:]
            if not unit_word and DATE_AFTER.match(text[m.end("num"):]):
                continue
            value = parse_number(number)
            if value is None or number in ("零", "〇"):
                continue
            if m.group("mag"):
                value *= MAGNITUDES[m.group("mag")]
            if m.group("sign") in ("零下", "负"):
                value = -value
            unit, kind = self.resolve_unit(m, region)
            if unit is None:
                sep = RANGE_SEP.match(rest)
                pending = (m, value) if sep and not m.group("pct") else None
                continue
            if unit_word == "年" and not m.group("mag") and (
                    re.fullmatch(r"\d{4}", number) or MONTH_AFTER.match(rest)
                    or (region == "TW" and re.fullmatch(r"\d{2,3}", number) and int(number) >= ROC_MIN_YEAR)):
                continue  # a year (`2027年`, `113年` in Taiwan text) or a date (`114年9月`), not a duration
            if rest[:1].isascii() and rest[:1].isalpha() and kind != "measure":
                continue  # `5G`, model names
            if kind == "classifier" and m.end("unit") not in token_ends:
                word = doc.char_span(m.start("num"), m.end("unit"), alignment_mode="expand")
                if word is not None and len(word) == 1 and word.end_char > m.end("unit"):
                    continue  # number and classifier are part of one longer word (`三部曲`)
            if number in ("百", "千", "万") and not m.group("mag") and unit_word == "年":
                continue  # 百年老店, 千年古城
            if number == "一" and kind == "classifier":
                continue  # `一家公司`: an article, not a count
            if prev == "前" and unit_word in ("位", "名"):
                continue  # a ranking
            floor = figures[-1].end if figures else 0
            qualifier, end = self.qualify(m, text, end, token_starts, token_ends, floor)
            year = self.year(text, start, region, published)
            if pending is not None:
                first, first_value = pending
                if RANGE_SEP.fullmatch(text[first.end():start]) or text[first.end():start] in ("-", "至", "到", "~", "～"):
                    if not first.group("mag") and m.group("mag"):
                        first_value *= MAGNITUDES[m.group("mag")]
                    figures.append(Figure(first.start(), first.end(), first_value, unit, qualifier, year,
                                          self.subject(doc, text, first.start(), first.end(), kind)))
                pending = None
            figures.append(Figure(start, end, value, unit, qualifier, year, self.subject(doc, text, start, end, kind)))
        return figures

    def resolve_unit(self, m: re.Match, region: str) -> tuple[str | None, str | None]:
        prefix, unit_word = m.group("prefix"), m.group("unit")
        if m.group("pct"):
            return "%", "percent"
        if unit_word:
            unit, kind = self.units[unit_word]
            if kind == "currency":
                if prefix:
                    unit = self.units[prefix][0]
                if unit == "REGION":
                    unit = REGION_CURRENCY.get(region, "CNY")
            return unit, kind
        if prefix and m.group("mag"):
            return self.units[prefix][0], "currency"
        if m.group("mag") in ("亿", "万亿", "百亿", "千亿") or (m.group("mag") == "万" and MONEY_CONTEXT.search(
                m.string, after_last(m.string, m.start(), CLAUSE_ENDS), m.start())):
            return REGION_CURRENCY.get(region, "CNY"), "currency"  # `2亿商机`, `支出了4000万`: local currency
        return None, None

    def qualify(self, m: re.Match, text: str, end: int, token_starts=None, token_ends=None,
                floor: int = 0) -> tuple[str, int]:
        """The figure's qualifier, and its end extended over a trailing 多/余 (`6年多`).

        Inside the figure first (`300余人`), then a word right before it (`不到两年内`: 不到
        wins over 内), then a word right after it, then a word a few words before it in the
        same clause (`最高可达法定容积之50%`) and after `floor`, the end of the figure before.
        """
        for group in ("inside", "inside2"):
            if m.group(group):
                return self.qualifiers["inside"][m.group(group)], end
        before = self.before_qualifier(m, text, token_starts, token_ends, floor)
        if before and before[1] <= 1:
            return before[0], end
        after = self.after.match(text[end:])
        if after:
            word = after.group(1)
            if word in ("多", "余"):
                return self.qualifiers["after"][word], end + len(word)
            return self.qualifiers["after"][word], end
        return (before[0] if before else "exact"), end

    def before_qualifier(self, m, text, token_starts, token_ends, floor) -> tuple[str, int] | None:
        """(qualifier, gap in characters) of the nearest qualifying word before the figure."""
        clause_start = max(after_last(text, m.start(), CLAUSE_ENDS), floor)
        offset = max(clause_start, m.start() - MAX_QUALIFIER_GAP - 4)
        window = text[offset:m.start()]
        for size in range(len(window), 0, -1):
            found = self.before.search(window[:size])
            if not found:
                continue
            if re.search(ARABIC, window[found.end():]):
                return None  # the qualifier belongs to a number in between
            whole_word = token_starts is None or (offset + found.start() in token_starts and offset + found.end() in token_ends)
            gap = len(window) - found.end()
            if whole_word and gap <= MAX_QUALIFIER_GAP:
                return self.qualifiers["before"][found.group(1)], gap
        return None

    def year(self, text: str, start: int, region: str, published: str | None) -> int | None:
        """The year the clause before the figure names, else the one at the sentence head."""
        sentence_start = after_last(text, start, SENTENCE_ENDS)
        clause_start = after_last(text, start, CLAUSE_ENDS)
        ranges = [(clause_start, start)]
        if not PRESENT.search(text, clause_start, start):
            ranges.extend(self.time_clauses(text, sentence_start, clause_start))
        if text.startswith(BACK_REFERENCES, clause_start) and clause_start > sentence_start:
            previous = after_last(text, clause_start - 1, CLAUSE_ENDS)
            ranges.insert(1, (previous, clause_start))
        for lo, hi in ranges:
            years = [self.year_value(m, region, published) for m in YEAR.finditer(text, lo, hi)]
            years = [y for y in years if y is not None]
            if years:
                return years[-1]
        return None

    @staticmethod
    def time_clauses(text: str, sentence_start: int, clause_start: int) -> list[tuple[int, int]]:
        """Earlier clauses of the sentence that are short time phrases (`到2027年`, `计划到2015年底`),
        nearest first: their year applies to the figures after them."""
        found, end = [], clause_start - 1
        while end > sentence_start:
            start = after_last(text, end, CLAUSE_ENDS)
            if start < sentence_start:
                start = sentence_start
            if end - start <= MAX_HEAD_CHARS and YEAR.search(text, start, end):
                found.append((start, end))
            end = start - 1
        return found

    @staticmethod
    def year_value(m: re.Match, region: str, published: str | None) -> int | None:
        if m.group(1):
            return int(m.group(1))
        if m.group(2):
            roc = int(m.group(2))
            return roc + 1911 if region == "TW" and roc >= ROC_MIN_YEAR else None
        if not published:
            return None
        return int(published[:4]) + {"今": 0, "明": 1, "去": -1}[m.group(3)]

    @staticmethod
    def subject(doc: Doc, text: str, start: int, end: int, kind: str) -> str:
        """What is measured, in a few words (not scored): the nouns after a count (`10家单位` ->
        单位), else the nouns before the figure's verb (`产业链规模已达到1800亿元` -> 产业链规模)."""
        if kind == "classifier":
            after = doc.char_span(end, min(len(text), end + SUBJECT_CHARS), alignment_mode="contract")
            nouns = []
            for token in after or []:
                if not token.tag_.startswith("n") or CLAUSE_BREAK.match(token.text):
                    break
                nouns.append(token.text)
            if nouns:
                return "".join(nouns[:3])
        clause_start = after_last(text, start, CLAUSE_ENDS)
        before = doc.char_span(clause_start, start, alignment_mode="contract")
        tokens = list(before or [])
        while tokens and not tokens[-1].tag_.startswith("n"):
            tokens.pop()
        nouns = []
        while tokens and (tokens[-1].tag_.startswith("n") or tokens[-1].tag_ == "vn"):
            nouns.insert(0, tokens.pop().text)
        return "".join(nouns)[-SUBJECT_CHARS:]
