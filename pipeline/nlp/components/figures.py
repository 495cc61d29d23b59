"""Figure stage: numbers with a unit or classifier, their value, unit, qualifier and year.

Everything the stage knows about Chinese is data in `rules/` (see `rules/README.md`):
numeral characters (`numerals.tsv`), units and classifiers (`units.tsv`), currency names with
their ISO 4217 codes (`currencies.tsv`, built from CLDR; a bare 元 takes the currency of the
article's region, `region_currencies.tsv`), qualifier words (`qualifiers.tsv`) and the words
around numbers by role (`figure_words.tsv`: signs, 百分之, ordinals, date words, year words,
words that make a number no figure …). The code holds the grammar:

- a numeral is a run of Arabic numbers (`3,098`, `48.7`) and numeral characters, read
  exactly with `decimal.Decimal`: digits, places that multiply the digit before them (`十`,
  `百`, `千`), magnitudes that multiply everything back to a larger magnitude (`万`, `亿`,
  `兆`), so that mixed forms (`12万3,456`, `7仟2佰万`, `一千多万`, `1兆2000亿`) and upper-case
  numerals read as written; a last Chinese digit after a place is one place lower (`三万五`);
  two consecutive digits are an approximate pair (`三四家`: 3, approx);
- before it: a currency name, a sign, a percent prefix, an approximate head (`上百`, `数千`,
  `近万`: value of the numeral, qualifier of the head);
- after it: an approximator (`余`, `多`), an optional space (U+0020, U+00A0, U+2009, U+202F,
  U+3000), a magnitude, a unit (longest match; `A/B` compound units), a currency name after
  元 (`十元新台币`);
- ranges (`6-8亿元`, `0.5至1小时`) give two figures, the first taking the unit of the second;
  qualifiers come from the words inside and around the figure; the year is the one the clause
  (or a time clause earlier in the sentence) names, with Republic of China years (+1911) in
  Taiwan text and relative years resolved by the publication date.

Dates, years, ordinals, rankings, `一` + classifier used as an article, numbers inside
words or names and numbers before a `not_unit` word are not figures.

All context windows are bounded (clause, sentence head, qualifier and subject windows), and
clause and sentence boundaries are found once per article, so the work grows linearly with
the article's length.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from zhie.nlp import extensions
from zhie.nlp.lexicon import RuleFileError, data_lines
from zhie.nlp.spans import text_of, word_starts, words_of
from zhie.resources import resolve_path
from zhie.text.region import DEFAULT_REGION, Regions

QUALIFIERS = {"exact", "more_than", "less_than", "approx", "at_least", "at_most"}
UNIT_TYPES = {"currency", "percent", "duration", "measure", "classifier"}
NUMERAL_KINDS = {"digit", "bound", "place", "magnitude", "point"}
# Roles of figure_words.tsv and the type of their value column.
WORD_ROLES = {
    "sign": "number",
    "percent_prefix": "number",
    "ordinal_prefix": None,
    "ranking_prefix": None,
    "ranking_unit": None,
    "approx_head": "qualifier",
    "range_separator": None,
    "money_context": None,
    "back_reference": None,
    "present": None,
    "year_baseline": None,
    "duration_lead": None,
    "relative_year": "number",
    "year_marker": None,
    "month_marker": None,
    "date_after": None,
    "date_unit": None,
    "time_point": None,
    "not_unit": None,
    "count_suffix": None,
    "distributive": None,
    "conjunction": None,
}
REGION = "REGION"
CURRENCY_CODE = re.compile(r"[A-Z]{3}")
# thousands separated by commas, ASCII or full-width (78，273亿元), up to a digit-free end
ARABIC = r"\d{1,3}(?:[,，]\d{3}(?!\d))+(?:\.\d+)?|\d+(?:\.\d+)?"
ARABIC_NUMBER = re.compile(ARABIC)
ASCII_SIGNS = "-+\u2212"
# Typographic spaces that may stand between a number and its magnitude or unit.
SPACES = " \u00a0\u2009\u202f\u3000"
MAX_SPACES = 2
SENTENCE_ENDS = "。！？!?\r\n"
CLAUSE_ENDS = SENTENCE_ENDS + "，,；;：:"
COMPOUND_SEPARATOR = "/"
ROC_MIN_YEAR = 60
# a Chinese numeral from 11 to 31 before 日 is a day of the month (十八日在…); fewer days are
# durations as often (两日, 一连三日), more are no date
MIN_CHINESE_DAY, MAX_DAY = 11, 31
# A year heads a sentence when an earlier clause is a short time phrase (`到2027年，`) or starts
# with it (within MAX_HEAD_OFFSET characters).
MAX_HEAD_CHARS = 10
MAX_HEAD_OFFSET = 3
# Bounds of the context windows, in characters (and clauses for the sentence head).
MAX_CLAUSE_CHARS = 80
MAX_SENTENCE_CHARS = 300
MAX_HEAD_CLAUSES = 8
MAX_QUALIFIER_GAP = 14
MAX_COUNT_GAP = 6
MAX_ARTICLE_WINDOW = 30
SUBJECT_CHARS = 12
# A numeral has at most this many parts after its first; a larger value is an identifier (a
# phone or account number), not a figure.
MAX_RUN_ATOMS = 32
MAX_VALUE = Decimal(10) ** 20
SUBJECT_WINDOW = 40
PROPER_TAGS = ("ns", "nr", "nt", "nz")


@dataclass
class Figure:
    start: int  # converted-text offsets
    end: int
    value: int | float
    unit: str
    qualifier: str
    year: int | None
    subject: str


def exact(value: Decimal) -> int | float:
    """An int when `value` is whole (`1.15亿` is 115000000), else the nearest float."""
    return int(value) if value == value.to_integral_value() else float(value)


def _number(path, number, text) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise RuleFileError(f"{path}:{number}: not a number: {text!r}") from None
    if not value.is_finite():
        raise RuleFileError(f"{path}:{number}: not a number: {text!r}")
    return value


def read_rows(path: Path, columns: int, optional: int = 0) -> list[tuple[int, list[str]]]:
    """(line number, columns) of a tab-separated rule file with `columns` columns and up to
    `optional` more; a malformed line raises RuleFileError naming the file and line."""
    rows = []
    for number, line in data_lines(path):
        parts = [p.strip() for p in line.split("\t")]
        if not columns <= len(parts) <= columns + optional or not all(parts):
            expected = f"{columns}" + (f" to {columns + optional}" if optional else "")
            raise RuleFileError(
                f"{path}:{number}: expected {expected} tab-separated columns, got {line!r}"
            )
        rows.append((number, parts))
    return rows


@dataclass
class FigureRules:
    """The rule files of the figure stage, validated; see `rules/README.md`."""

    numerals: dict[str, tuple[str, Decimal | None]] = field(default_factory=dict)
    units: dict[str, tuple[str, str, Decimal]] = field(default_factory=dict)
    currencies: dict[str, str] = field(default_factory=dict)
    region_currencies: dict[str, str] = field(default_factory=dict)
    qualifiers: dict[str, dict[str, str]] = field(default_factory=dict)
    words: dict[str, dict[str, object]] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path) -> FigureRules:
        """The figure rule files of the folder `root`, validated."""
        rules = cls()
        path = root / "numerals.tsv"
        for number, (char, kind, value) in read_rows(path, 3):
            if len(char) != 1 or kind not in NUMERAL_KINDS:
                raise RuleFileError(
                    f"{path}:{number}: expected one character and a kind of {sorted(NUMERAL_KINDS)}"
                )
            rules.numerals[char] = (kind, None if kind == "point" else _number(path, number, value))
        path = root / "units.tsv"
        for number, parts in read_rows(path, 3, optional=1):
            unit, normalised, kind = parts[:3]
            if kind not in UNIT_TYPES:
                raise RuleFileError(f"{path}:{number}: unknown unit type {kind!r}")
            if kind == "currency" and not (
                CURRENCY_CODE.fullmatch(normalised) or normalised == REGION
            ):
                raise RuleFileError(
                    f"{path}:{number}: a currency needs an ISO 4217 code or REGION, got {normalised!r}"
                )
            scale = _number(path, number, parts[3]) if len(parts) > 3 else Decimal(1)
            if scale <= 0:
                raise RuleFileError(f"{path}:{number}: scale must be positive, got {parts[3]!r}")
            rules.units[unit] = (normalised, kind, scale)
        path = root / "currencies.tsv"
        for number, (name, code, _source) in read_rows(path, 3):
            if not (CURRENCY_CODE.fullmatch(code) or code == REGION):
                raise RuleFileError(
                    f"{path}:{number}: expected an ISO 4217 code or REGION, got {code!r}"
                )
            rules.currencies[name] = code
        # the currency of a bare 元 by the article's region: one table of regions (regions.tsv),
        # the default region's currency first
        regions = Regions.load(root / "regions.tsv")
        rules.region_currencies = {
            DEFAULT_REGION: regions.currency[DEFAULT_REGION],
            **regions.currency,
        }
        path = root / "qualifiers.tsv"
        rules.qualifiers = {"before": {}, "after": {}, "inside": {}}
        for number, (word, position, qualifier) in read_rows(path, 3):
            if position not in rules.qualifiers or qualifier not in QUALIFIERS:
                raise RuleFileError(
                    f"{path}:{number}: unknown position {position!r} or qualifier {qualifier!r}"
                )
            rules.qualifiers[position][word] = qualifier
        path = root / "figure_words.tsv"
        rules.words = {role: {} for role in WORD_ROLES}
        for number, (word, role, value) in read_rows(path, 3):
            if role not in WORD_ROLES:
                raise RuleFileError(f"{path}:{number}: unknown role {role!r}")
            value_type = WORD_ROLES[role]
            if value_type == "number":
                parsed: object = _number(path, number, value)
            elif value_type == "qualifier":
                if value not in QUALIFIERS:
                    raise RuleFileError(f"{path}:{number}: unknown qualifier {value!r}")
                parsed = value
            else:
                parsed = None
            rules.words[role][word] = parsed
        return rules


def alternation(words) -> str:
    """A regex alternation of `words`, longest first (one that never matches when empty)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"


def char_class(chars) -> str:
    """A regex character class of `chars` (one that never matches when empty)."""
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]" if chars else "(?!)"


class WordSet:
    """Words of one role, looked up at a position (the longest one starting or ending there)."""

    def __init__(self, words):
        self.words = dict(words) if isinstance(words, dict) else dict.fromkeys(words)
        self.lengths = sorted({len(w) for w in self.words}, reverse=True)

    def __contains__(self, word) -> bool:
        return word in self.words

    def __getitem__(self, word):
        return self.words[word]

    def at(self, text: str, pos: int) -> str | None:
        """The longest word that starts at `pos` of `text`, else None."""
        for n in self.lengths:
            if text[pos : pos + n] in self.words:
                return text[pos : pos + n]
        return None

    def before(self, text: str, pos: int) -> str | None:
        """The longest word that ends at `pos` of `text`, else None."""
        for n in self.lengths:
            if n <= pos and text[pos - n : pos] in self.words:
                return text[pos - n : pos]
        return None


class Numerals:
    """Reads numerals: runs of Arabic numbers and numeral characters, to exact Decimals."""

    def __init__(
        self, numerals: dict[str, tuple[str, Decimal | None]], approximators: dict[str, str]
    ):
        self.table = numerals
        self.digits = {c for c, (k, _) in numerals.items() if k == "digit"}
        self.bound = {c for c, (k, _) in numerals.items() if k == "bound"}
        self.places = {c for c, (k, _) in numerals.items() if k == "place"}
        self.magnitudes = {c for c, (k, _) in numerals.items() if k == "magnitude"}
        self.points = {c for c, (k, _) in numerals.items() if k == "point"}
        self.approximators = dict(approximators)
        multipliers = char_class(self.places | self.magnitudes)
        digit = char_class(self.digits)
        bound = char_class(self.bound)
        first = rf"(?:{ARABIC}|{digit}|{bound}(?={multipliers})|{multipliers})"
        numeral = char_class(self.digits | self.bound | self.places | self.magnitudes)
        nxt = (
            rf"(?:{ARABIC}|{digit}|{bound}(?={multipliers})|(?<={numeral}){bound}|{multipliers}"
            rf"|{char_class(self.points)}(?={digit})|(?:{alternation(self.approximators)})(?={char_class(self.magnitudes)})"
            rf"|[{SPACES}]{{1,{MAX_SPACES}}}(?={char_class(self.magnitudes)}))"
        )
        self.run = re.compile(f"{first}{nxt}{{0,{MAX_RUN_ATOMS}}}")
        self.tokens = re.compile(rf"{ARABIC}|[{SPACES}]+|{alternation(self.approximators)}|.", re.S)

    def value_of(self, char: str) -> Decimal | None:
        """The value of numeral character `char` (None for a point or a non-numeral)."""
        entry = self.table.get(char)
        return entry[1] if entry else None

    def has_digit(self, run: str) -> bool:
        """Whether `run` holds a digit (Arabic, or a numeral digit, bound ones included)."""
        return any(c.isdigit() or c in self.digits or c in self.bound for c in run)

    def parse(self, run: str) -> tuple[Decimal, str | None] | None:
        """(value, qualifier) of a numeral run, or None when it is no well-formed numeral.

        The qualifier is that of an approximator inside the run (`一千多万`: more_than), `approx`
        for a pair of consecutive digits (`三四`: three or four), else None."""
        total = Decimal(0)  # the sum of the parts closed by a magnitude
        last_magnitude = None
        section = Decimal(0)  # the part below the current magnitude
        digit: Decimal | None = None
        previous = None  # kind of the previous token
        previous_multiplier = None
        zero = False
        approximate = None
        sequence: list[Decimal] = []
        fraction: list[Decimal] | None = None
        for token in self.tokens.findall(run):
            if token[0] in SPACES:
                continue
            if token in self.approximators:
                approximate = self.approximators[token]
                previous = "approximator"
                continue
            if token[0].isdigit():
                if digit is not None or previous == "digit":
                    return None
                digit = Decimal(token.replace(",", "").replace("，", ""))
                previous, zero = "arabic", False
                continue
            kind, value = self.table.get(token, (None, None))
            if kind is None:
                return None
            if kind == "point":
                if previous != "digit" or fraction is not None:
                    return None
                fraction = []
                previous = "point"
                continue
            assert value is not None  # only a point has no value
            if kind in ("digit", "bound"):
                if fraction is not None:
                    fraction.append(value)
                    previous = "digit"
                    continue
                if previous == "digit":
                    if len(sequence) == 1 and value == sequence[0] + 1:
                        approximate = "approx"  # 三四家: three or four
                        previous = "pair"
                        continue
                    sequence.append(value)
                    assert digit is not None  # set with previous = "digit"
                    digit = digit * 10 + value
                    continue
                if previous == "pair":
                    return None
                if value == 0 and previous in ("place", "magnitude"):
                    zero = True  # 一百零五
                    continue
                if digit is not None:
                    return None
                digit, sequence = value, [value]
                previous = "digit"
                continue
            if fraction is not None:
                assert digit is not None  # a fraction follows a digit
                digit = digit + sum(d * Decimal(10) ** -(i + 1) for i, d in enumerate(fraction))
                fraction = None
            if kind == "place":
                section += (digit if digit is not None else Decimal(1)) * value
                digit, previous, previous_multiplier, zero = None, "place", value, False
                continue
            # a magnitude
            part = section + (digit if digit is not None else Decimal(0))
            if part == 0 and previous not in ("place", "arabic", "digit", "pair"):
                part = Decimal(1) if total == 0 else Decimal(0)  # 万亿, bare 亿
            if last_magnitude is None or value > last_magnitude:
                total = (total + part) * value
            else:
                total += part * value
            last_magnitude = value
            section, digit = Decimal(0), None
            previous, previous_multiplier, zero = "magnitude", value, False
        if previous == "point":
            return None
        if fraction is not None:
            assert digit is not None  # a fraction follows a digit
            digit = digit + sum(d * Decimal(10) ** -(i + 1) for i, d in enumerate(fraction))
        if (
            digit is not None
            and previous == "digit"
            and len(sequence) == 1
            and not zero
            and previous_multiplier
        ):
            if run.rstrip()[-1] not in "0123456789":
                digit = digit * previous_multiplier / 10  # 三万五 is 35000, 两千五 is 2500
        value = total + section + (digit if digit is not None else Decimal(0))
        return value, approximate


@Language.factory("zhie_figures", assigns=["doc._.figures"], default_config={"rules_dir": "rules:"})
def create_figures(nlp: Language, name: str, rules_dir: str):
    """Figure component: fills `doc._.figures`; reads its rule files once, here."""
    extensions.register()
    return FigureExtractor(FigureRules.load(resolve_path(rules_dir)))


class Context:
    """What the figure search knows of one article: text, tokens and boundaries, all indexed
    once so that every look-up is a bisection."""

    def __init__(self, doc: Doc):
        self.text = text = text_of(doc)
        self.words, self.tags = words_of(doc)
        self.starts = word_starts(self.words)
        self.start_set = set(self.starts)
        self.end_set = {a + len(t) for a, t in zip(self.starts, self.words)}
        self.clause_breaks = [i for i, c in enumerate(text) if c in CLAUSE_ENDS]
        self.sentence_breaks = [i for i in self.clause_breaks if text[i] in SENTENCE_ENDS]

    def token_at(self, pos: int) -> int:
        """Index of the token that holds character `pos`."""
        return max(0, bisect_right(self.starts, pos) - 1)

    def clause_start(self, pos: int) -> int:
        """Where the clause holding `pos` starts (at most MAX_CLAUSE_CHARS before it)."""
        i = bisect_left(self.clause_breaks, pos)
        return max(self.clause_breaks[i - 1] + 1 if i else 0, pos - MAX_CLAUSE_CHARS)

    def sentence_start(self, pos: int) -> int:
        """Where the sentence holding `pos` starts (at most MAX_SENTENCE_CHARS before it)."""
        i = bisect_left(self.sentence_breaks, pos)
        return max(self.sentence_breaks[i - 1] + 1 if i else 0, pos - MAX_SENTENCE_CHARS)

    def clause_end(self, pos: int) -> int:
        """Where the clause holding `pos` ends (at most MAX_CLAUSE_CHARS after it)."""
        i = bisect_left(self.clause_breaks, pos)
        end = self.clause_breaks[i] if i < len(self.clause_breaks) else len(self.text)
        return min(end, pos + MAX_CLAUSE_CHARS)

    def clauses_before(self, start: int, floor: int):
        """(start, end) of the clauses before the one starting at `start`, nearest first, down to
        `floor`, at most MAX_HEAD_CLAUSES of them."""
        end = start - 1  # the break that ends the clause before
        for _ in range(MAX_HEAD_CLAUSES):
            if end <= floor:
                return
            i = bisect_left(self.clause_breaks, end)
            begin = max(self.clause_breaks[i - 1] + 1 if i else 0, floor)
            yield begin, end
            end = begin - 1


@dataclass
class Candidate:
    start: int  # span start (currency prefix and sign included)
    end: int  # span end
    num_start: int
    num_end: int
    run: str
    value: Decimal
    unit: str | None
    kind: str | None
    qualifier: str | None  # from inside the span (approximator, head)
    has_magnitude: bool
    unit_word: str | None


class FigureExtractor:
    """Finds the figures of a Doc (see the module docstring)."""

    def __init__(self, rules: FigureRules):
        self.rules = rules
        words = rules.words
        self.numerals = Numerals(rules.numerals, rules.qualifiers["inside"])
        self.units = dict(rules.units)
        for name, code in rules.currencies.items():
            self.units.setdefault(name, (code, "currency", Decimal(1)))
        self.unit_words = WordSet(self.units)
        self.currency_names = WordSet(
            {n for n, (c, k, _) in self.units.items() if k == "currency" and c != REGION}
        )
        self.numeral_start_units = {
            u for u in self.units if u[0] in self.numerals.places | self.numerals.magnitudes
        }
        self.region_currencies = rules.region_currencies
        self.default_currency = next(iter(rules.region_currencies.values()))
        self.qualifiers = rules.qualifiers
        self.before_words = WordSet(rules.qualifiers["before"])
        self.after_words = WordSet(rules.qualifiers["after"])
        self.inside_words = WordSet(rules.qualifiers["inside"])
        self.w = {role: WordSet(table) for role, table in words.items()}
        self.before = re.compile(rf"({alternation(rules.qualifiers['before'])})\s*$")
        year, month = alternation(words["year_marker"]), alternation(words["month_marker"])
        self.year_pattern = re.compile(
            rf"(?<!\d)((?:19|20)\d{{2}})\s*(?:{year})(?!\s*\d{{1,2}}\s*(?:{month}))"
            rf"|(?<![\d.])(\d{{2,3}})\s*(?:{year})(?!\s*\d{{1,2}}\s*(?:{month}))"
            rf"|({alternation(words['relative_year'])})"
        )
        self.month_after = re.compile(rf"\s*\d{{1,2}}\s*(?:{month})")
        self.date_after = re.compile(
            rf"\s*(?:{alternation(words['date_after'])}|[:：]\d|(?:{alternation(words['time_point'])})\d"
            rf"|(?:{year})\s*\d{{1,2}}\s*(?:{month}))"
        )
        self.range_sep = re.compile(rf"\s*(?:{alternation(words['range_separator'])})\s*")
        self.present = re.compile(alternation(words["present"]))
        self.money_context = re.compile(alternation(words["money_context"]))
        self.back_references = tuple(words["back_reference"])
        self.classifier_units = {n for n, k, _ in rules.units.values() if k == "classifier"}
        self.digit_one = {c for c in self.numerals.digits if self.numerals.value_of(c) == 1}

    def __call__(self, doc: Doc) -> Doc:
        doc._.figures = self.extract(doc)
        return doc

    def region_currency(self, region: str) -> str:
        """The currency of a bare 元 in an article of `region`."""
        return self.region_currencies.get(region, self.default_currency)

    # -- finding numbers ---------------------------------------------------------------------

    def extract(self, doc: Doc) -> list[Figure]:
        """The figures of the Doc, in text order."""
        ctx = Context(doc)
        text = ctx.text
        region = doc._.region or "CN"
        published = doc._.published
        figures: list[Figure] = []
        pending = None  # a bare number waiting for the unit of a range's second half
        pos = 0
        while True:
            m = self.numerals.run.search(text, pos)
            if m is None:
                break
            pos = m.end()
            found = self.candidate(ctx, m, region, figures)
            if found == "retry":
                pos = m.start() + 1
                continue
            if found is None:
                pending = None
                continue
            if found.unit is None:
                pending = found if self.range_sep.match(text, found.end) else None
                continue
            pos = max(pos, found.end)
            floor = figures[-1].end if figures else 0
            qualifier, end = self.qualify(ctx, found, floor)
            year = self.year(ctx, found.start, region, published)
            if pending is not None:
                gap = text[pending.end : found.start]
                if self.range_sep.fullmatch(gap):
                    first = pending.value
                    if not pending.has_magnitude and found.has_magnitude:
                        first *= self.magnitude_of(found)
                    figures.append(
                        Figure(
                            pending.start,
                            pending.end,
                            exact(first),
                            found.unit,
                            qualifier,
                            year,
                            self.subject(ctx, pending.start, pending.end, found.kind),
                        )
                    )
                pending = None
            figures.append(
                Figure(
                    found.start,
                    end,
                    exact(found.value),
                    found.unit,
                    qualifier,
                    year,
                    self.subject(ctx, found.start, end, found.kind),
                )
            )
        return figures

    def magnitude_of(self, c: Candidate) -> Decimal:
        """The magnitude that ends a figure's numeral (`8亿` -> 10^8), for the first half of a range."""
        value = Decimal(1)
        for ch in reversed(c.run.rstrip(SPACES)):
            if ch in self.numerals.magnitudes or ch in self.numerals.places:
                multiplier = self.numerals.value_of(ch)
                assert multiplier is not None  # places and magnitudes have values
                value *= multiplier
            else:
                break
        return value

    def candidate(self, ctx: Context, m: re.Match, region: str, figures: list[Figure]):
        """The Candidate that the numeral run `m` starts, None when it is no figure, "retry" when
        the search should go on from the run's second character."""
        text = ctx.text
        num_start, num_end = m.span()
        run = m.group()
        numerals = self.numerals
        has_digit = numerals.has_digit(run)
        # A unit that starts with a numeral character (千瓦, 兆瓦, 千米) ends the run there.
        block = len(run)
        while block > 1 and (
            run[block - 1] in numerals.places or run[block - 1] in numerals.magnitudes
        ):
            block -= 1
        for cut in range(block, len(run)):
            if self.unit_words.at(text, num_start + cut) in self.numeral_start_units:
                run, num_end = run[:cut], num_start + cut
                break
        # Words before the numeral: approximate head, percent prefix, sign, currency.
        p = num_start
        head_q = None
        if not has_digit:
            head = self.w["approx_head"].before(text, p)
            if head:
                head_q = self.w["approx_head"][head]
                p -= len(head)
        pct = self.w["percent_prefix"].before(text, p)
        scale = Decimal(1)
        if pct:
            scale = self.w["percent_prefix"][pct]
            p -= len(pct)
        sign_word = self.w["sign"].before(text, p)
        sign = Decimal(1)
        if sign_word:
            before_sign = text[p - len(sign_word) - 1] if p > len(sign_word) else ""
            if sign_word in ASCII_SIGNS and (before_sign.isascii() and before_sign.isalnum()):
                sign_word = None  # a range (6-8) or a model name
            else:
                sign = self.w["sign"][sign_word]
                p -= len(sign_word)
        currency = self.currency_names.before(text, p)
        prefix_code = None
        if currency:
            prefix_code = self.units[currency][0]
            p -= len(currency)
        start = p
        prev = text[start - 1] if start else ""
        if prev and (prev in ".．" or (prev.isascii() and prev.isalnum())):
            return None
        if self.w["ordinal_prefix"].before(text, start):
            return None
        # The numeral must start a token, or follow a word of the kinds above within its token.
        if num_start not in ctx.start_set and start not in ctx.start_set:
            token_start = ctx.starts[ctx.token_at(num_start)]
            lead = text[token_start:num_start]
            if not (lead in self.before_words or lead in self.w["approx_head"]):
                return "retry" if run[0] in numerals.bound or len(run) > 1 else None
        if run[0] in numerals.bound and num_start not in ctx.start_set:
            return "retry"
        parsed = numerals.parse(run)
        if parsed is None:
            return None
        value, approximate = parsed
        if value == 0 or value >= MAX_VALUE:
            return None
        has_magnitude = any(c in numerals.magnitudes for c in run)
        if not has_digit and not head_q:
            lead_q = self.before_words.before(text, start)
            first = numerals.value_of(run[0]) if run[0] in numerals.places else None
            if (
                not lead_q
                and first != 10
                and not (has_magnitude and len(run) > 1 and run[0] in numerals.places)
            ):
                return None  # 百年老店, 千家万户, 万人, 亿万: a bare 百, 千 or 万 is no number
        # After the numeral: approximator, spaces, not-a-unit words, unit.
        q = num_end
        inside = self.inside_words.at(text, q)
        if inside:
            q += len(inside)
        r = q
        spaces = 0
        while r < len(text) and text[r] in SPACES and spaces < MAX_SPACES:
            r, spaces = r + 1, spaces + 1
        if self.w["not_unit"].at(text, r):
            return None
        unit_word = self.unit_words.at(text, r)
        if unit_word is None and spaces:
            r = q
        qualifier = head_q or (self.qualifiers["inside"][inside] if inside else None) or approximate
        cand = Candidate(
            start,
            q,
            num_start,
            num_end,
            run,
            value * sign * scale,
            None,
            None,
            qualifier,
            has_magnitude,
            unit_word,
        )
        if pct:
            cand.unit, cand.kind = "%", "percent"
            return cand
        if unit_word is None:
            return self.without_unit(ctx, cand, prefix_code, has_digit, region)
        normalised, kind, unit_scale = self.units[unit_word]
        end = r + len(unit_word)
        if kind == "currency":
            code = normalised
            follow = self.currency_names.at(text, end) if code == REGION else None
            if follow:
                code, end = self.units[follow][0], end + len(follow)
            elif code == REGION:
                code = prefix_code or self.region_currency(region)
            normalised = code
        if kind in ("duration",) and unit_word in self.w["year_marker"] and not has_magnitude:
            digits = run.strip(SPACES)
            if (
                re.fullmatch(r"\d{4}", digits)
                or self.month_after.match(text, end)
                or (len(digits) == 4 and all(c in numerals.digits for c in digits))
                or (
                    region == "TW"
                    and re.fullmatch(r"\d{2,3}", digits)
                    and int(digits) >= ROC_MIN_YEAR
                )
            ):
                return None  # a year (`2027年`, `113年` in Taiwan text) or a date (`114年9月`)
        if unit_word in self.w["date_unit"] and (
            run[0].isdigit()
            or self.w["month_marker"].before(text, start)
            or (
                MIN_CHINESE_DAY <= value <= MAX_DAY
                and not has_magnitude
                and not self.w["duration_lead"].before(text, start)
            )
        ):
            return None  # `22日`, `9月三日`, `十八日在`: a date (durations: `两日`, `共十五日`)
        if end < len(text) and text[end].isascii() and text[end].isalpha() and kind != "measure":
            return None  # `5G`, model names
        if kind in ("classifier", "measure", "duration") and end not in ctx.end_set:
            i = ctx.token_at(num_start)
            token_end = ctx.starts[i] + len(ctx.words[i])
            if kind == "classifier" and token_end > end and ctx.token_at(end - 1) == i:
                return None  # number and classifier are part of one longer word (`三部曲`)
            j = ctx.token_at(r)
            if (
                ctx.starts[j] == r
                and ctx.starts[j] + len(ctx.words[j]) > end
                and ctx.tags[j].startswith(PROPER_TAGS)
            ):
                return None  # the unit starts a name (`2024台南`)
        if kind == "classifier" and len(run) == 1 and run in self.digit_one and not head_q:
            if not self.counted(ctx, start, figures):
                return None  # `一家公司`: an article, not a count
        if self.w["ranking_prefix"].before(text, start) and unit_word in self.w["ranking_unit"]:
            return None  # a ranking: 前3位
        # compound units: 万吨/年, 元/吨
        if text.startswith(COMPOUND_SEPARATOR, end):
            second = self.unit_words.at(text, end + len(COMPOUND_SEPARATOR))
            if second:
                code, second_kind, _ = self.units[second]
                if second_kind == "currency" and code == REGION:
                    code = self.region_currency(region)
                normalised = f"{normalised}/{code}"
                end += len(COMPOUND_SEPARATOR) + len(second)
        cand.value *= unit_scale
        cand.unit, cand.kind, cand.end = normalised if kind != "percent" else "%", kind, end
        return cand

    def without_unit(
        self, ctx: Context, cand: Candidate, prefix_code: str | None, has_digit: bool, region: str
    ):
        """A number without a unit: money when a currency or a large magnitude says so, a count
        after a count noun, else a bare number (for a range's first half) or None."""
        text = ctx.text
        if self.date_after.match(text, cand.num_end):
            return None
        if prefix_code and (cand.has_magnitude or has_digit):
            cand.unit, cand.kind = prefix_code, "currency"
            return cand
        magnitude = self.magnitude_of(cand) if cand.has_magnitude else Decimal(1)
        clause_start = ctx.clause_start(cand.start)
        if magnitude >= Decimal(10) ** 8 or (
            magnitude >= Decimal(10) ** 4
            and has_digit
            and self.money_context.search(text, clause_start, cand.start)
        ):
            cand.unit, cand.kind = (
                self.region_currency(region),
                "currency",
            )  # `2亿商机`, `支出了4000万`
            return cand
        unit = self.count_noun_unit(ctx, cand.start, clause_start)
        if unit and has_digit:
            cand.unit, cand.kind = unit, "classifier"
            return cand
        return cand if has_digit else None

    def count_noun_unit(self, ctx: Context, start: int, clause_start: int) -> str | None:
        """The classifier of a count noun shortly before `start` (`观看次数逾13万` -> 次); the
        classifier starts a word (not 口 of 人口数)."""
        text = ctx.text
        lo = max(clause_start, start - MAX_COUNT_GAP - 4)
        for n in range(start - 1, lo, -1):
            if ARABIC_NUMBER.match(text, n):
                return None
            suffix = self.w["count_suffix"].at(text, n)
            if suffix and n + len(suffix) <= start:
                if start - n - len(suffix) > MAX_COUNT_GAP:
                    return None
                unit = self.unit_words.before(text, n)
                if unit and self.units[unit][1] == "classifier" and n - len(unit) in ctx.start_set:
                    return self.units[unit][0]
                return None
        return None

    def counted(self, ctx: Context, start: int, figures: list[Figure]) -> bool:
        """`一` + classifier is a count when the clause before holds 每 (`每个月一货柜`) or it is
        joined by a conjunction to an earlier count of the clause (`5家企业及一家公司`)."""
        text = ctx.text
        clause_start = ctx.clause_start(start)
        lo = max(clause_start, start - MAX_ARTICLE_WINDOW)
        words = self.w["distributive"]
        if any(
            text.startswith(w, i) and i + len(w) < start
            for i in range(lo, start)
            for w in words.words
        ):
            return True  # not 每一位: every
        for f in reversed(figures):
            if f.end <= lo:
                break
            if f.end <= start and f.unit in self.classifier_units:
                between = text[f.end : start]
                if any(w in between for w in self.w["conjunction"].words):
                    return True
        return False

    # -- qualifiers, year, subject ------------------------------------------------------------

    def qualify(self, ctx: Context, c: Candidate, floor: int = 0) -> tuple[str, int]:
        """The figure's qualifier, and its end extended over a trailing 多/余 (`6年多`).

        A word right before the figure that is not `exact` (`约522万余元`: approx), then the
        approximator or head inside the figure (`300余人`), then a word right before it
        (`不到两年内`: 不到 wins over 内), then a word right after it, then a word a few words
        before it in the same clause (`最高可达法定容积之50%`) and after `floor`, the end of the
        figure before."""
        text = ctx.text
        end = c.end
        before = self.before_qualifier(ctx, c.start, floor)
        if before and before[1] == 0 and before[0] != "exact" and c.qualifier:
            return before[0], end
        if c.qualifier:
            return c.qualifier, end
        if before and before[1] <= 1:
            return before[0], end
        word = self.after_words.at(text, end)
        if word:
            if word in self.inside_words:
                return self.qualifiers["after"][word], end + len(word)
            return self.qualifiers["after"][word], end
        return (before[0] if before else "exact"), end

    def before_qualifier(self, ctx: Context, start: int, floor: int) -> tuple[str, int] | None:
        """(qualifier, gap in characters) of the nearest qualifying word before the figure."""
        text = ctx.text
        clause_start = max(ctx.clause_start(start), floor)
        offset = max(clause_start, start - MAX_QUALIFIER_GAP - 4)
        window = text[offset:start]
        for size in range(len(window), 0, -1):
            found = self.before.search(window[:size])
            if not found:
                continue
            if ARABIC_NUMBER.search(window[found.end() :]):
                return None  # the qualifier belongs to a number in between
            whole_word = (
                offset + found.start() in ctx.start_set and offset + found.end() in ctx.end_set
            )
            gap = len(window) - found.end()
            if whole_word and gap <= MAX_QUALIFIER_GAP:
                return self.qualifiers["before"][found.group(1)], gap
        return None

    def year(self, ctx: Context, start: int, region: str, published: str | None) -> int | None:
        """The year the clause before the figure names, else the one of a time clause earlier in
        the sentence (or of the clause before, after a back reference such as 届时)."""
        text = ctx.text
        sentence_start = ctx.sentence_start(start)
        clause_start = max(ctx.clause_start(start), sentence_start)
        ranges = [(clause_start, start)]
        if not self.present.search(text, clause_start, start):
            ranges.extend(self.time_clauses(ctx, sentence_start, clause_start))
        if text.startswith(self.back_references, clause_start) and clause_start > sentence_start:
            previous = ctx.clause_start(clause_start - 1)
            ranges.insert(1, (previous, clause_start))
        for lo, hi in ranges:
            years = [
                self.year_value(m, region, published)
                for m in self.year_pattern.finditer(text, lo, hi)
                if not self.baseline_for_another(text, m, start)
            ]
            years = [y for y in years if y is not None]
            if years:
                return years[-1]
        return None

    def baseline_for_another(self, text: str, m: re.Match, start: int) -> bool:
        """Whether the year `m` is the base of a comparison (`比2000年`) that is not the year of
        the figure at `start`: only the base's own amount right after it takes it
        (`比2000年的3.81万辆`; not `…增长了30倍`, `比2019年增长5%`)."""
        if self.w["year_baseline"].before(text, m.start()) is None:
            return False
        return text[m.end() : start] not in ("", "的")

    def time_clauses(
        self, ctx: Context, sentence_start: int, clause_start: int
    ) -> list[tuple[int, int]]:
        """Earlier clauses of the sentence that are time phrases (`到2027年`, `计划到2015年底`,
        `从2010年6月1日至2010年年底`: at most MAX_HEAD_CHARS characters besides digits) or that
        start with a year (`到2015年将其年产能扩大至1500万吨`), nearest first: their year
        applies to the figures after them."""
        found = []
        text = ctx.text
        for start, end in ctx.clauses_before(clause_start, sentence_start):
            year = self.year_pattern.search(text, start, end)
            if year is None:
                continue
            digits = sum(c.isdigit() for c in text[start:end])
            if end - start - digits <= MAX_HEAD_CHARS or year.start() - start <= MAX_HEAD_OFFSET:
                found.append((start, end))
        return found

    def year_value(self, m: re.Match, region: str, published: str | None) -> int | None:
        """The year of a year match: written, ROC (Taiwan) or relative to `published`."""
        if m.group(1):
            return int(m.group(1))
        if m.group(2):
            roc = int(m.group(2))
            return roc + 1911 if region == "TW" and roc >= ROC_MIN_YEAR else None
        if not published:
            return None
        return int(published[:4]) + int(self.w["relative_year"][m.group(3)])

    def subject(self, ctx: Context, start: int, end: int, kind: str | None) -> str:
        """What is measured, in a few words (not scored): the nouns after a count (`10家单位` ->
        单位), else the nouns before the figure's verb (`产业链规模已达到1800亿元` -> 产业链规模)."""
        if kind == "classifier":
            i = bisect_left(ctx.starts, end)
            limit = min(len(ctx.text), end + SUBJECT_CHARS)
            nouns = []
            while i < len(ctx.words) and ctx.starts[i] + len(ctx.words[i]) <= limit:
                if not ctx.tags[i].startswith("n") or ctx.words[i][0] in CLAUSE_ENDS:
                    break
                nouns.append(ctx.words[i])
                i += 1
            if nouns:
                return "".join(nouns[:3])
        clause_start = max(ctx.clause_start(start), start - SUBJECT_WINDOW)
        i = bisect_right(ctx.starts, start) - 1
        while i >= 0 and ctx.starts[i] + len(ctx.words[i]) > start:
            i -= 1  # the last token that ends before the figure
        while i >= 0 and ctx.starts[i] >= clause_start and not ctx.tags[i].startswith("n"):
            i -= 1
        nouns = []
        while (
            i >= 0
            and ctx.starts[i] >= clause_start
            and (ctx.tags[i].startswith("n") or ctx.tags[i] == "vn")
        ):
            nouns.insert(0, ctx.words[i])
            i -= 1
        return "".join(nouns)[-SUBJECT_CHARS:]
