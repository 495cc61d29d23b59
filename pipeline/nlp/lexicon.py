"""The rule files of `rules/` as one `Lexicon`: read and validated once per rules folder.

Every file is checked when it is read; a problem raises `RuleFileError` naming the file and
line. Besides the lexicons of names (suffixes, titles, places, surnames …), two files hold the
linguistic knowledge the components' code needs and that no other file states:

- `words.tsv`: named word lists, `list<TAB>word` (`generic_government	市政府`);
- `patterns.tsv`: named regular expressions, `name<TAB>regex`, where `{{list}}` stands for
  the words of that list as an alternation (longest first, escaped).

`load_lexicon(rules_dir)` returns the same Lexicon for the same folder and file contents, so
the components of one pipeline share one copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

LABELS = {"PERSON", "ORG", "GPE", "FAC", "PROJECT", "EVENT", "TITLE"}
KINDS = {"government", "company", "education", "research", "association", "media", "other", "-"}
# suffixes.tsv also marks the facilities that are works: a PROJECT while being built or funded.
SUFFIX_KINDS = KINDS | {"works"}
NAME_WORD_ROLES = ("name", "stop", "nohead", "region")
TITLE_ROLES = ("title", "modifier")
PLACE_LEVELS = {"country", "province", "city", "district"}
PLACE_RANK = {"country": 0, "province": 1, "city": 2, "district": 3}
NOUN_TAGS = {"n", "nt", "nz", "ns", "nr", "x", "j", "l", "vn"}
LIST_REFERENCE = re.compile(r"\{\{(\w+)\}\}")
# A word of word_rates.tsv seen this often and inside a name at most this share of the time
# starts no name (落实, 支持, 嘉宾): the public corpora rarely or never have it inside one.
# (`loose`: this share before a place: 嘉宾|巴西商务部).
OUTSIDE_MIN_TOTAL = 5
OUTSIDE_MAX_RATE = 0.02
OUTSIDE_LOOSE_RATE = 0.05
# A word of org_words.tsv that the public corpora have as an organisation's whole name in at
# least this share of its occurrences names one wherever it stands (央行, 招行, 新华社).
ORG_WORD_MIN_RATE = 0.5


class RuleFileError(ValueError):
    """A malformed rule file; the message names the file and line."""


def data_lines(path: Path):
    """(line number, stripped line) for the non-empty, non-comment lines of a file."""
    try:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                line = line.strip()
                if line and not line.startswith("#"):
                    yield number, line
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(f"{path}: cannot read rule file: {exc}") from None


def read_columns(path: Path, columns: int) -> list[tuple[int, list[str]]]:
    """(line number, cells) of a tab-separated rule file with exactly `columns` non-empty cells."""
    rows = []
    for number, line in data_lines(path):
        parts = line.split("\t")
        if len(parts) != columns or not all(p.strip() for p in parts):
            raise RuleFileError(
                f"{path}:{number}: expected {columns} tab-separated columns, got {line!r}"
            )
        rows.append((number, [p.strip() for p in parts]))
    return rows


def read_counts(path: Path, count: str) -> list[tuple[str, int, int]]:
    """(word, total, count) of a built file of `word  total  <count>` rows (word_rates.tsv,
    org_words.tsv); a cell that is no count names the file and line."""
    rows = []
    for number, (word, total, counted) in read_columns(path, 3):
        if not (total.isdigit() and counted.isdigit()):
            raise RuleFileError(
                f"{path}:{number}: total and {count} must be counts, got {total!r} {counted!r}"
            )
        rows.append((word, int(total), int(counted)))
    return rows


def alternation(words) -> str:
    """A regex alternative of `words`, longest first so that the longest match wins."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


def compile_at(where: str, regex: str) -> re.Pattern:
    """`regex` compiled; a bad one raises RuleFileError naming `where`."""
    try:
        return re.compile(regex)
    except re.error as exc:
        raise RuleFileError(f"{where}: bad regular expression: {exc}") from None


@dataclass
class Lexicon:
    """The word lists of `rules/`: suffixes, titles, name words, places, surnames, named lists and patterns."""

    path: Path = Path()
    suffixes: dict[str, tuple[str, str, bool]] = field(default_factory=dict)
    titles: set[str] = field(default_factory=set)
    name_words: dict[str, str] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)
    surnames: set[str] = field(default_factory=set)
    facilities: set[str] = field(default_factory=set)
    latin_terms: set[str] = field(default_factory=set)
    word_lists: dict[str, list[str]] = field(default_factory=dict)
    pattern_sources: dict[str, str] = field(default_factory=dict)
    prefixed_titles: set[str] = field(default_factory=set)
    public_titles: set[str] = field(default_factory=set)
    title_modifiers: set[str] = field(default_factory=set)
    compiled: dict[str, re.Pattern] = field(default_factory=dict)
    outside_words: set[str] = field(default_factory=set)
    companies: set[str] = field(default_factory=set)
    loose_outside_words: set[str] = field(default_factory=set)
    org_words: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, rules_dir: Path) -> Lexicon:
        """The lexicon of the rule folder `rules_dir`, validated."""
        rules_dir = Path(rules_dir)
        if not rules_dir.is_dir():
            raise RuleFileError(f"{rules_dir}: rules folder not found")
        lex = cls(path=rules_dir)
        path = rules_dir / "suffixes.tsv"
        for number, (suffix, label, kind, proper) in read_columns(path, 4):
            if label not in LABELS or kind not in SUFFIX_KINDS or proper not in ("yes", "no"):
                raise RuleFileError(
                    f"{path}:{number}: unknown label {label!r}, kind {kind!r} or proper {proper!r}"
                )
            lex.suffixes[suffix] = (label, kind, proper == "yes")
        lex.titles = {line for _, line in data_lines(rules_dir / "titles.txt")}
        path = rules_dir / "titles_public.tsv"  # built from public corpora (tools/build_titles.py)
        if path.is_file():
            for number, (word, role) in read_columns(path, 2):
                if role not in TITLE_ROLES:
                    raise RuleFileError(
                        f"{path}:{number}: role must be one of {', '.join(TITLE_ROLES)}, got {role!r}"
                    )
                (lex.public_titles if role == "title" else lex.title_modifiers).add(word)
        path = rules_dir / "name_words.tsv"
        for number, (word, role) in read_columns(path, 2):
            if role not in NAME_WORD_ROLES:
                raise RuleFileError(
                    f"{path}:{number}: role must be one of {', '.join(NAME_WORD_ROLES)}, got {role!r}"
                )
            lex.name_words[word] = role
        # places.tsv, then the lexicons built from public data (places_cn.tsv, places_world.tsv…);
        # a name listed twice keeps its broadest level (新加坡: country, not city).
        for path in [rules_dir / "places.tsv", *sorted(rules_dir.glob("places_*.tsv"))]:
            for number, (name, level) in read_columns(path, 2):
                if level not in PLACE_LEVELS:
                    raise RuleFileError(
                        f"{path}:{number}: level must be one of {sorted(PLACE_LEVELS)}, got {level!r}"
                    )
                old = lex.places.get(name)
                if old is None or PLACE_RANK[level] < PLACE_RANK[old]:
                    lex.places[name] = level
        lex.surnames = {line for _, line in data_lines(rules_dir / "surnames.txt")}
        lex.latin_terms = {line for _, line in data_lines(rules_dir / "latin_terms.txt")}
        lex.facilities = {name for _, (name, _) in read_columns(rules_dir / "facilities.tsv", 2)}
        for _, (name, word) in read_columns(rules_dir / "words.tsv", 2):
            lex.word_lists.setdefault(name, []).append(word)
        path = rules_dir / "patterns.tsv"
        for number, (name, regex) in read_columns(path, 2):
            where = f"{path}:{number}"
            if name in lex.pattern_sources:
                raise RuleFileError(f"{where}: pattern {name!r} defined twice")
            for ref in LIST_REFERENCE.findall(regex):
                if ref not in lex.word_lists:
                    raise RuleFileError(
                        f"{where}: no word list {ref!r} in {rules_dir / 'words.tsv'}"
                    )
            lex.pattern_sources[name] = regex
            lex.compiled[name] = compile_at(where, lex.expand(regex))
        path = rules_dir / "companies.txt"
        if path.is_file():
            lex.companies = {line for _, line in data_lines(path) if len(line) >= 2}
        path = rules_dir / "word_rates.tsv"
        if path.is_file():
            for word, total, inside in read_counts(path, "inside"):
                if total >= OUTSIDE_MIN_TOTAL and inside <= OUTSIDE_MAX_RATE * total:
                    lex.outside_words.add(word)
                elif total >= OUTSIDE_MIN_TOTAL and inside <= OUTSIDE_LOOSE_RATE * total:
                    lex.loose_outside_words.add(word)
        path = rules_dir / "org_words.tsv"
        if path.is_file():
            lex.org_words = {
                word
                for word, total, whole in read_counts(path, "whole")
                if whole >= ORG_WORD_MIN_RATE * total
            }
        prefixes = lex.words("title_prefix")
        lex.prefixed_titles = lex.titles | {p + t for p in prefixes for t in lex.titles}
        return lex

    def expand(self, regex: str) -> str:
        """`regex` with each `{{list}}` reference replaced by an alternation of that word list."""
        return LIST_REFERENCE.sub(
            lambda m: f"(?:{alternation(self.word_lists[m.group(1)])})", regex
        )

    def words(self, name: str) -> list[str]:
        """The words of the named list of `words.tsv`."""
        try:
            return self.word_lists[name]
        except KeyError:
            raise RuleFileError(f"{self.path / 'words.tsv'}: no word list {name!r}") from None

    def chars(self, name: str) -> set[str]:
        """The named list of one-character words as a set of characters."""
        words = self.words(name)
        if any(len(w) != 1 for w in words):
            raise RuleFileError(
                f"{self.path / 'words.tsv'}: list {name!r} must hold single characters"
            )
        return set(words)

    def pattern(self, name: str) -> re.Pattern:
        """The compiled named regex of `patterns.tsv`."""
        try:
            return self.compiled[name]
        except KeyError:
            raise RuleFileError(f"{self.path / 'patterns.tsv'}: no pattern {name!r}") from None

    def regex(self, name: str) -> str:
        """The source of the named regex, lists expanded (to build larger patterns from)."""
        self.pattern(name)
        return self.expand(self.pattern_sources[name])

    def looks_like_name(self, text: str) -> bool:
        """A Chinese personal name of two or three characters starts with a surname."""
        if not (1 <= len(text) <= 3) or not all("\u4e00" <= c <= "\u9fff" for c in text):
            return True
        return text[0] in self.surnames or text[:2] in self.surnames

    def suffix_of(self, word: str, tag: str) -> tuple[str, str, str, bool] | None:
        """(suffix, label, kind, needs proper noun) of the longest suffix `word` ends with, or None.

        A one-character suffix counts only as the whole token or at the end of a noun of three
        or more characters (`经发局`, `行政院`), not inside short common words (`全部`, `社会`).
        """
        in_word = self.in_word_suffixes
        for size in range(min(len(word), 6), 0, -1):
            suffix = word[-size:]
            if suffix in self.suffixes:
                if size == 1 and (
                    len(word) == 2
                    or (
                        tag not in NOUN_TAGS
                        and self.suffixes[suffix][0] == "ORG"
                        and suffix not in self.noun_free_suffixes
                    )
                    or (len(word) > 1 and suffix not in in_word)
                ):
                    continue
                return (suffix, *self.suffixes[suffix])
        return None

    @cached_property
    def in_word_suffixes(self) -> set[str]:
        """One-character suffixes that end abbreviations written as one word (经发局, 行政院)."""
        return self.chars("in_word_suffix")

    @cached_property
    def noun_free_suffixes(self) -> set[str]:
        """One-character suffixes that end a name whatever jieba's tag of the word (署, 厅, 院)."""
        return self.chars("untagged_suffix")

    def name_suffix(self, name: str) -> tuple[str, str, str, bool] | None:
        """(suffix, label, kind, proper) of the longest suffix of a complete name (any length)."""
        for size in range(min(len(name), 6), 0, -1):
            if name[-size:] in self.suffixes:
                return (name[-size:], *self.suffixes[name[-size:]])
        return None

    def is_outside_word(self, word: str, loose: bool = False) -> bool:
        """A word the public NER corpora (almost) never have inside an organisation or place name
        (`loose`: seldom)."""
        if word in self.places or word in self.suffixes:
            return False
        return word in self.outside_words or (loose and word in self.loose_outside_words)

    def starts_outside(self, word: str, tag: str, next_word: str | None) -> bool:
        """Whether a name's first word stands outside it: a word the public corpora (almost) never
        have inside a name (落实, 支持, 恭喜), one they seldom do before a place (嘉宾|巴西商务部), or
        an unknown word before a place (送件|台南市政府)."""
        if self.is_outside_word(word):
            return True
        if next_word is None or next_word not in self.places:
            return False
        return self.is_outside_word(word, loose=True) or (
            tag == "x" and len(word) >= 2 and word not in self.places and word not in self.companies
        )

    def is_title(self, word: str) -> bool:
        """A title word, also with a prefix such as 副 or 总 (`副秘书长`)."""
        return word in self.prefixed_titles


_CACHE: dict[tuple, Lexicon] = {}


def load_lexicon(rules_dir: Path) -> Lexicon:
    """The Lexicon of `rules_dir`, read once per process for the same files (name, size, mtime)."""
    rules_dir = Path(rules_dir)
    try:
        key = (
            str(rules_dir.resolve()),
            tuple(
                sorted(
                    (p.name, p.stat().st_size, p.stat().st_mtime_ns)
                    for p in rules_dir.iterdir()
                    if p.is_file()
                )
            ),
        )
    except OSError:
        return Lexicon.load(rules_dir)  # raises the one-line error for a missing folder
    lexicon = _CACHE.get(key)
    if lexicon is None:
        if len(_CACHE) >= 4:  # a few rules folders at most (tests); drop the oldest
            del _CACHE[next(iter(_CACHE))]
        lexicon = _CACHE[key] = Lexicon.load(rules_dir)
    return lexicon


KNOWN_NAME_FILES = ("companies.txt", "universities.txt", "government.txt")


@lru_cache(maxsize=4)
def known_names(rules_dir) -> frozenset[str]:
    """The organisation names of the lexicons built from public data (companies.txt…), read once:
    a name right before a title names its body (`中钢总经理`), a name after a conjunction is
    one of two (`现观及中山大学`)."""
    names: set[str] = set()
    for file_name in KNOWN_NAME_FILES:
        path = Path(rules_dir) / file_name
        if path.is_file():
            names.update(line.split("\t")[0] for _, line in data_lines(path))
    return frozenset(n for n in names if len(n) >= 2)
