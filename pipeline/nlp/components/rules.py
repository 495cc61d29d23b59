"""Rule stage: lexicons and spaCy patterns from the files in `rules/`.

Files (see rules/README.md):
- `*.jsonl`: SpanRuler patterns, one `{"label", "pattern", "id"}` object per line; token
  patterns may use the token attributes below.
- `suffixes.tsv` (suffix, label, kind, proper), `titles.txt`, `name_words.tsv` (word,
  name|stop), `places.tsv` (name, level): lexicons that set the token attributes and find places.

Token attributes set here for the patterns: `_.zhie_suffix` (label of the name suffix the
token ends with, or ""), `_.zhie_name` (may stand inside a name), `_.zhie_core` (inside a
name and not itself a suffix), `_.zhie_common` (a common noun inside a name: what 和/与/及
may join, as in 工业和信息化局), `_.zhie_title` (a title word), `_.zhie_proper` (a proper
noun, an unknown word or part of a NER span).
Rule spans are then trimmed of what cannot start a name (a person, `于`, `市府`, a country
before a company or facility) and kept only when they name something (see `is_named`).
Every file is validated on load; a problem raises RuleFileError naming file and line.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_right
from itertools import accumulate
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from spacy.attrs import IDS
from spacy.errors import MatchPatternError
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline.span_ruler import SpanRuler
from spacy.tokens import Doc, Span

from zhie.nlp import extensions
from zhie.nlp.components.ner import NER_CUTS, ner_candidates
from zhie.resources import resolve_path
from zhie.nlp.spans import split_tokens_at, text_of, word_starts, words_of

RULES_KEY = "rules"
ROLE_CACHE_SIZE = 100_000
LEXICON_KEY = "lexicon"
LABELS = {"PERSON", "ORG", "GPE", "FAC", "PROJECT", "EVENT", "TITLE"}
KINDS = {"government", "company", "education", "research", "association", "media", "other", "-"}
# Parts of speech that stay out of a name even inside a model's span (由, 与, 的, 是).
FUNCTION_TAGS = {"p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "v", "r"}
NAME_WORD_ROLES = ("name", "stop", "nohead", "region")
PLACE_LEVELS = {"country", "province", "city", "district"}
# Characters that start no name: an unknown word that begins with one (`日于`, `可至`) is
# trimmed of them.
FUNCTION_CHARS = set("于至之与和及据循率由在将为向对从日可并已即把被让给到这那每各其如某")
NUMERAL_START = re.compile(r"[零〇一二两三四五六七八九十百千]")
NUMERIC_WORD = re.compile(r"第?[多几数\d０-９零〇一二两三四五六七八九十百千万亿.,，%％]+"
                          r"[个家项位名人次条块颗组级期届年月日天号时分秒批些多余大成倍间座栋张部份种类款只头株户场辆台套件所处片支]*")
LATIN_NAME = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Za-z]{1,11}(?![A-Za-z0-9])")
PARTNERS = re.compile(r"[与和跟同]((?:[\u4e00-\u9fffA-Za-z]{2,8}、)+[\u4e00-\u9fffA-Za-z]{2,8})\s*(?:共同|正式)?(?:签署|签订|签约|合作)")
COMPANY_LIST = re.compile(r"(?:包括|包含|如|有|由)?((?:[\u4e00-\u9fffA-Za-z]{2,10}[、与和及])+[\u4e00-\u9fffA-Za-z]{2,10})等"
                          r"(?:\s*[\d一二两三四五六七八九十]+\s*家|(?:知名|国内外|多家|大型|上下游)?(?:厂商|企业|公司|业者|品牌|集团|厂家|银行))")
# What may follow a name written after its title (so that the name's end is sure).
NAME_END = r"[于在与和及等、，。；：\s（(]|表示|指出|说|认为|强调|办公室|服务处|进一步|率|出席|致词|致辞"
LATIN_WORD_BEFORE = re.compile(r"[A-Za-z]+ $")
LATIN_WORD_AFTER = re.compile(r" [A-Za-z]")
HOSTS = re.compile(r"(?:^|[由，,；;])((?:[\u4e00-\u9fffA-Za-z]{2,16}、)*[\u4e00-\u9fffA-Za-z]{2,16})(?:共同)?(?:主办|承办|协办)", re.M)
QUOTED_NAME = re.compile(r"[「『《“]([^「」『』《》“”\n]{2,40})[」』》”]")
# A quoted development or construction plan is a named project (七股科技工业区开发…计划).
PLAN_PROJECT = re.compile(r"(开发|建设|兴建|工程).*(计划|计画|案)$")
GENERIC_LEADS = {"市府", "市政府", "本府", "县府", "该", "本", "其", "合资", "合资公司", "新公司", "子公司", "全资子公司", "公司"}
PATTERN_KEYS = {"label", "pattern", "id"}
# Parts of speech (jieba's tag set) that never stand inside a name.
STOP_TAGS = {"p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "r", "rr", "rz", "d", "df", "dg", "ad",
             "t", "tg", "m", "mq", "q", "y", "e", "o", "w", "_SP", "v", "vd", "vi", "vg", "z", "i", "f"}
# Characters that make no abbreviation before a suffix word: determiners and relations (本委员会, 总公司).
ABBREVIATION_NON_HEADS = set("本该此新总分子母原前现旧全")
# One-character suffixes that end abbreviations written as one word (经发局, 行政院, 经济部).
IN_WORD_SUFFIXES = set("局院部处署委办厅馆厂")
NOUN_TAGS = {"n", "nt", "nz", "ns", "nr", "x", "j", "l", "vn"}
# jieba's ns/nt/nz tags are too loose to tell a name (城市/ns, 中南部/nt): places and
# organisations count as proper through the place lexicon and the NER spans instead.
PROPER_TAGS = {"x", "eng", "j", "zg", "g"}
# ...unless the word is rare: a rare ns/nt/nz/nr word is a name (中联, 永华, 临港), a common one
# a description (城市, 新兴产业, 智慧).
LOOSE_PROPER_TAGS = {"ns", "nt", "nz", "nr", "nrt", "nrfg"}
RARE_WORD_FREQ = 1000
COMMON_WORD_FREQ = 100
PUNCT = re.compile(r"^[\W_]+$")
TITLE_PREFIXES = ("常务副", "副", "总", "首席", "高级", "资深", "共同", "执行", "代理", "前")


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
    rows = []
    for number, line in data_lines(path):
        parts = line.split("\t")
        if len(parts) != columns or not all(p.strip() for p in parts):
            raise RuleFileError(f"{path}:{number}: expected {columns} tab-separated columns, got {line!r}")
        rows.append((number, [p.strip() for p in parts]))
    return rows


@dataclass
class Lexicon:
    """The word lists of `rules/`: suffixes, titles, name words, places."""

    suffixes: dict[str, tuple[str, str, bool]] = field(default_factory=dict)
    titles: set[str] = field(default_factory=set)
    name_words: dict[str, str] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)
    surnames: set[str] = field(default_factory=set)
    facilities: set[str] = field(default_factory=set)
    latin_terms: set[str] = field(default_factory=set)
    prefixed_titles: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, rules_dir: Path) -> Lexicon:
        lex = cls()
        path = rules_dir / "suffixes.tsv"
        for number, (suffix, label, kind, proper) in read_columns(path, 4):
            if label not in LABELS or kind not in KINDS or proper not in ("yes", "no"):
                raise RuleFileError(f"{path}:{number}: unknown label {label!r}, kind {kind!r} or proper {proper!r}")
            lex.suffixes[suffix] = (label, kind, proper == "yes")
        lex.titles = {line for _, line in data_lines(rules_dir / "titles.txt")}
        path = rules_dir / "name_words.tsv"
        for number, (word, role) in read_columns(path, 2):
            if role not in NAME_WORD_ROLES:
                raise RuleFileError(f"{path}:{number}: role must be one of {', '.join(NAME_WORD_ROLES)}, got {role!r}")
            lex.name_words[word] = role
        path = rules_dir / "places.tsv"
        for number, (name, level) in read_columns(path, 2):
            if level not in PLACE_LEVELS:
                raise RuleFileError(f"{path}:{number}: level must be one of {sorted(PLACE_LEVELS)}, got {level!r}")
            lex.places[name] = level
        lex.surnames = {line for _, line in data_lines(rules_dir / "surnames.txt")}
        lex.latin_terms = {line for _, line in data_lines(rules_dir / "latin_terms.txt")}
        lex.facilities = {name for _, (name, _) in read_columns(rules_dir / "facilities.tsv", 2)}
        return lex

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
        for size in range(min(len(word), 6), 0, -1):
            suffix = word[-size:]
            if suffix in self.suffixes:
                if size == 1 and (len(word) == 2 or (tag not in NOUN_TAGS and self.suffixes[suffix][0] == "ORG" and suffix not in "署厅院")
                                  or (len(word) > 1 and suffix not in IN_WORD_SUFFIXES)):
                    continue
                return (suffix, *self.suffixes[suffix])
        return None

    def name_suffix(self, name: str) -> tuple[str, str, str, bool] | None:
        """(suffix, label, kind, proper) of the longest suffix of a complete name (any length)."""
        for size in range(min(len(name), 6), 0, -1):
            if name[-size:] in self.suffixes:
                return (name[-size:], *self.suffixes[name[-size:]])
        return None

    def is_title(self, word: str) -> bool:
        """A title word, also with a prefix such as 副 or 总 (`副秘书长`)."""
        if not self.prefixed_titles:
            self.prefixed_titles = self.titles | {p + t for p in TITLE_PREFIXES for t in self.titles}
        return word in self.prefixed_titles


def load_patterns(path: Path, vocab) -> list[dict]:
    """SpanRuler patterns of one JSONL file, each checked; errors name the file and line."""
    patterns = []
    checker = Matcher(vocab, validate=True)
    for number, line in data_lines(path):
        where = f"{path}:{number}"
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RuleFileError(f"{where}: bad JSON: {exc.msg} (column {exc.colno})") from None
        if not isinstance(entry, dict):
            raise RuleFileError(f"{where}: a pattern line must be a JSON object")
        unknown = set(entry) - PATTERN_KEYS
        if unknown:
            raise RuleFileError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(PATTERN_KEYS)}")
        if entry.get("label") not in LABELS:
            raise RuleFileError(f"{where}: label must be one of {sorted(LABELS)}, got {entry.get('label')!r}")
        pattern = entry.get("pattern")
        if isinstance(pattern, str):
            if not pattern:
                raise RuleFileError(f"{where}: empty phrase pattern")
        elif isinstance(pattern, list) and pattern and all(isinstance(t, dict) for t in pattern):
            try:
                checker.add("check", [pattern])
            except (MatchPatternError, ValueError, KeyError, TypeError) as exc:
                reason = " ".join(str(exc).split())
                raise RuleFileError(f"{where}: invalid token pattern: {reason[:300]}") from None
            checker.remove("check")
        else:
            raise RuleFileError(f"{where}: pattern must be a string or a non-empty list of token objects")
        patterns.append(entry)
    return patterns


# The Matcher reads `_` attributes through Python for every token of a Doc and native ones in
# C, so the patterns' equality tests of the token roles above are rewritten into tests of
# spare native attributes, filled just before matching and cleared after it: 2.4x faster
# matching on the dev articles. (The Matcher refuses LEMMA, DEP, POS, TAG and MORPH without
# the pipes that set them; the entity attributes are set by zhie_mentions, after the rules.)
# More roles than spares stay `_` tests.
SPARE_ATTRS = ("ENT_TYPE", "ENT_KB_ID", "ENT_ID", "NORM")


def native_roles(patterns: list[dict]) -> dict[str, str]:
    """The token roles that the patterns test for equality, each with its spare native attribute."""
    used = sorted({name for entry in patterns if isinstance(entry["pattern"], list) for token in entry["pattern"]
                   for name, value in (token.get("_") or {}).items()
                   if name in extensions.TOKEN_ATTRS and not isinstance(value, dict)})
    return dict(zip(used, SPARE_ATTRS))


def role_value(value) -> str:
    """The native string of a role value: a label as it is, True as "1", False and "" as ""."""
    return "1" if value is True else "" if value is False else str(value)


def with_native_roles(entry: dict, roles: dict[str, str]) -> dict:
    """The pattern entry with its `_` equality tests of `roles` moved to native attributes."""
    if not isinstance(entry["pattern"], list):
        return entry
    tokens = []
    for token in entry["pattern"]:
        tests = token.get("_") or {}
        moved = {name: value for name, value in tests.items() if name in roles and not isinstance(value, dict)}
        if moved:
            token = {key: value for key, value in token.items() if key != "_"}
            if len(moved) < len(tests):
                token["_"] = {name: value for name, value in tests.items() if name not in moved}
            token.update({roles[name]: role_value(value) for name, value in moved.items()})
        tokens.append(token)
    return {**entry, "pattern": tokens}


def rule_files(rules_dir: Path) -> list[Path]:
    return sorted(rules_dir.glob("*.jsonl"))


def place_regex(places) -> re.Pattern | None:
    if not places:
        return None
    return re.compile("|".join(re.escape(p) for p in sorted(places, key=len, reverse=True)))


@Language.factory("zhie_rules", assigns=["doc.spans"], requires=["doc.spans"],
                  default_config={"rules_dir": "rules:"})
def create_rules(nlp: Language, name: str, rules_dir: str):
    """The rule component; `rules_dir` holds the rule files (`rules:` = the packaged ones)."""
    return RuleComponent(nlp, resolve_path(rules_dir), name)


class RuleComponent:
    def __init__(self, nlp: Language, rules_dir: Path, name: str = "zhie_rules"):
        if not rules_dir.is_dir():
            raise RuleFileError(f"{rules_dir}: rules folder not found")
        extensions.register()
        self.lexicon = Lexicon.load(rules_dir)
        jieba_tokenizer = getattr(nlp.tokenizer, "jieba", None)
        self.freq = jieba_tokenizer.FREQ if jieba_tokenizer is not None else {}
        self.places = place_regex(self.lexicon.places)
        self.facilities = place_regex(self.lexicon.facilities)
        surnames = "|".join(sorted(self.lexicon.surnames, key=len, reverse=True))
        self.honorific = re.compile(rf"({surnames})(?=小姐|先生|女士)")
        titles = "|".join(sorted(self.lexicon.titles, key=len, reverse=True))
        self.titled_name = re.compile(rf"(?:{titles})[ 　]?((?:{surnames})[\u4e00-\u9fff]{{1,2}}?)(?={NAME_END})")
        self.role_cache: dict[tuple[str, str], tuple] = {}
        self.titles = tuple(self.lexicon.titles)  # str.startswith takes a tuple
        self.ruler = SpanRuler(nlp, name=name, spans_key=RULES_KEY, overwrite=True)
        patterns = [entry for path in rule_files(rules_dir) for entry in load_patterns(path, nlp.vocab)]
        self.native_roles = native_roles(patterns)
        self.native_attr_ids = [IDS[attr] for attr in self.native_roles.values()]
        self.native_columns = {role: k for k, role in enumerate(self.native_roles)}  # role -> column of from_array
        self.ruler.add_patterns([with_native_roles(entry, self.native_roles) for entry in patterns])

    def find_places(self, doc: Doc, text: str, starts: set[int], ends: set[int]) -> list[tuple[int, int, str]]:
        """Places of the lexicon that jieba also reads as words (`海口` in `出海口` is none)."""
        if self.places is None:
            return []
        places = self.lexicon.places
        return [(m.start(), m.end(), "GPE") for m in self.places.finditer(text)
                if m.start() in starts and (m.end() in ends or m.group(0) + text[m.end():m.end() + 1] in places
                                            or text[m.end():m.end() + 1] in "市县区省"
                                            or text.startswith(self.titles, m.end()))]  # 首尔市|议员

    def find_facilities(self, doc: Doc, text: str, starts: set[int]) -> list[tuple[int, int, str]]:
        """Short forms of known facilities (`南科`), where they start a word and no name goes on."""
        if self.facilities is None:
            return []
        return [(m.start(), m.end(), "FAC") for m in self.facilities.finditer(text) if m.start() in starts]

    def model_cuts(self, doc: Doc, text: str) -> list[int]:
        """The ends of the model's spans that cut a word where the cut is sure: an organisation
        before a name suffix (`武钢|股份`: the name grammar then sees the suffix) and a place of
        the lexicon (`香港|回归`, `桂林|人`). Other cuts leave jieba's words as they are."""
        texts, _ = words_of(doc)
        word_ends = list(accumulate(map(len, texts)))
        ends = set(word_ends)
        cuts = []
        for start, end, label in doc.user_data.get(NER_CUTS, []):
            i = bisect_right(word_ends, end)
            before_suffix = end not in ends and i < len(word_ends) and text[end:word_ends[i]] in self.lexicon.suffixes
            if (label == "ORG" and before_suffix) or (label == "GPE" and end - start > 1 and text[start:end] in self.lexicon.places):
                cuts += [start, end]
        return cuts

    def split_function_chars(self, doc: Doc) -> Doc:
        """Split an unknown word that jieba glued to a function character (`南科及`, `日于`, `循新吉`)."""
        cuts = []
        texts, tags = words_of(doc)
        for start, text, tag in zip(word_starts(texts), texts, tags):
            if tag == "x" and len(text) >= 2 and not text.isascii():
                if text[0] in FUNCTION_CHARS:
                    cuts.append(start + 1)
                if text[-1] in FUNCTION_CHARS:
                    cuts.append(start + len(text) - 1)
        if not cuts:
            return doc
        doc = split_tokens_at(doc, cuts)
        texts, tags = words_of(doc)
        for i, (text, tag) in enumerate(zip(texts, tags)):  # the split-off character is a preposition
            if len(text) == 1 and text in FUNCTION_CHARS and tag == "x":
                tags[i] = doc[i].tag_ = "p"
        return doc

    def find_quoted_names(self, doc: Doc, text: str) -> list[tuple[int, int, str]]:
        """A name in 「」, 『』, 《》 or “” that ends in a suffix is a name of the suffix's label,
        proper noun or not (`「生医下世代园区」`); a quoted development plan is a PROJECT."""
        found = []
        for m in QUOTED_NAME.finditer(text):
            inner = m.group(1)
            suffix = self.lexicon.suffix_of(inner, "x")
            if suffix and len(inner) > len(suffix[0]) + 1:
                found.append((m.start(1), m.end(1), suffix[1]))
            elif PLAN_PROJECT.search(inner):
                found.append((m.start(1), m.end(1), "PROJECT"))
        return found

    def find_latin_names(self, doc: Doc, text: str) -> list[tuple[int, int, str]]:
        """Capitalised Latin words that are not common acronyms (`AMD`, `NVIDIA`, `KoMiCo`): ORG."""
        return [(m.start(), m.end(), "ORG") for m in LATIN_NAME.finditer(text)
                if m.group(0) not in self.lexicon.latin_terms and sum(c.isupper() for c in m.group(0)) >= 2
                and not LATIN_WORD_BEFORE.search(text, 0, m.start()) and not LATIN_WORD_AFTER.match(text, m.end())]

    def find_partners(self, doc: Doc, text: str) -> list[tuple[int, int, str]]:
        """The items of `与A、B签署` (and 签订, 签约, 合作) and of `由A、B主办` (承办, 协办): the
        partners of an agreement and the hosts of an event are organisations."""
        found = []
        for m in [*PARTNERS.finditer(text), *HOSTS.finditer(text)]:
            pos = m.start(1)
            for i, item in enumerate(m.group(1).split("、")):
                name = self.name_in(doc, pos, pos + len(item), first=i == 0)
                if name is not None:
                    found.append(name)
                pos += len(item) + 1
        return found

    def find_listed_companies(self, doc: Doc, text: str) -> list[tuple[int, int, str]]:
        """The items of `A、B、C等厂商` / `A与B等2家`: a list closed by companies is a list of companies."""
        found = []
        for m in COMPANY_LIST.finditer(text):
            pos, items = m.start(1), []
            for i, item in enumerate(re.split(r"[、与和及]", m.group(1))):
                items.append((pos, pos + len(item), i == 0))
                pos += len(item) + 1
            names = [self.name_in(doc, start, end, first) for start, end, first in items]
            if any(names):  # beside names, the other items are names too (绿园牧场、自然屋)
                names = [name or self.name_in(doc, start, end, first, need_proper=False)
                         for name, (start, end, first) in zip(names, items)]
            found += [name for name in names if name is not None]
        return found

    def name_in(self, doc: Doc, start: int, end: int, first: bool = True,
                need_proper: bool = True) -> tuple[int, int, str] | None:
        """The ORG name that a list item holds, when one of its words is a proper noun or a rare
        word (`鲜馔`), not a description (`汽车企业`, `高校`); without `need_proper`, any item that
        does not end in a generic word. The first item of a list starts after its last word that
        cannot stand in a name (`本周发布|茂迅系统工程`); the others are whole."""
        span = doc.char_span(start, end, alignment_mode="contract")
        if span is None:
            return None
        words = list(span)
        if first:  # the name starts after the last word that cannot stand in one (APS组织由|东阿阿胶)
            cut = max((i + 1 for i, w in enumerate(words) if w.tag_ in STOP_TAGS or w.text in GENERIC_LEADS), default=0)
            words = words[cut:]
        if not words:
            return None
        text = span.text[words[0].idx - span.start_char:]
        if not (2 <= len(text) <= 10) or text in self.lexicon.places or any(t in text for t in self.lexicon.titles):
            return None
        if need_proper and not any(w.tag_ in PROPER_TAGS or self.freq.get(w.text, 0) < RARE_WORD_FREQ // 20 for w in words):
            return None
        if not need_proper and (self.lexicon.name_words.get(words[-1].text) in ("nohead", "stop")
                                or self.lexicon.suffix_of(words[-1].text, words[-1].tag_)):
            return None  # 汽车企业: a description; 某某公司 would have been a name already
        return words[0].idx, end, "ORG"

    def find_honorifics(self, doc: Doc, text: str) -> list[tuple[int, int, str]]:
        """A surname before 小姐/先生/女士 is a PERSON (`曾小姐` gives 曾); so is a surname and one or two
        characters after a title, up to a word that cannot be part of a name (`副市长赵卿惠于`, `立委陈亭妃办公室`)."""
        found = [(m.start(1), m.end(1), "PERSON") for m in self.honorific.finditer(text)]
        for m in self.titled_name.finditer(text):
            name = m.group(1)
            if self.freq.get(name, 0) < RARE_WORD_FREQ // 100 and self.freq.get(name[:2], 0) < RARE_WORD_FREQ \
                    and not FUNCTION_CHARS & set(name[1:]):
                found.append((m.start(1), m.end(1), "PERSON"))  # not 包含, 强调, 曾于前
        return found

    def word_roles(self, text: str, tag: str) -> tuple:
        """What a word is wherever it stands: (title, suffix, name, name inside a NER or place
        span, proper, a place starting with a numeral); cached, as most words recur."""
        roles = self.role_cache.get((text, tag))
        if roles is not None:
            return roles
        lex = self.lexicon
        title = lex.is_title(text)
        suffix = None if title else lex.suffix_of(text, tag)
        if suffix and len(suffix[0]) == 1 and len(text) > 1 and self.freq.get(text[-2:], 0) >= COMMON_WORD_FREQ:
            suffix = None  # 老干部 ends in the word 干部, not in the suffix 部
        if suffix and text not in lex.suffixes and self.freq.get(text, 0) >= RARE_WORD_FREQ:
            suffix = None  # a common word such as 高科技 or 上市公司 is no name
        role = lex.name_words.get(text)
        if role == "nohead":
            role = None
        elif role == "region":
            role = "name"
        numeral_place = False
        if role:
            name = name_in_span = role == "name"
        elif tag in ("m", "mq") and NUMERAL_START.match(text) and not NUMERIC_WORD.fullmatch(text) \
                and not (FUNCTION_CHARS | set("是年")) & set(text[1:]):
            name = name_in_span = numeral_place = True  # a place that starts with a numeral: 七股, 六甲
        else:
            punct = bool(PUNCT.match(text))
            name = not (title or tag in STOP_TAGS or punct)
            name_in_span = name or not (title or punct or tag in FUNCTION_TAGS)
        if role == "stop":
            suffix = None
        elif suffix:
            name = name_in_span = True
        proper = tag in PROPER_TAGS or (tag in LOOSE_PROPER_TAGS and self.freq.get(text, 0) < RARE_WORD_FREQ)
        if len(self.role_cache) >= ROLE_CACHE_SIZE:
            self.role_cache.clear()  # bounded: a long batch meets ever new words
        roles = self.role_cache[(text, tag)] = (title, suffix, name, name_in_span, proper, numeral_place)
        return roles

    def set_token_attrs(self, doc: Doc) -> None:
        """Set the token roles (`_.zhie_*`, and their native copies) that the patterns test."""
        proper_chars = set()
        lexicon_spans = [(s.start_char, s.end_char, s.label_) for s in doc.spans.get(LEXICON_KEY, [])]
        for start, end, label in ner_candidates(doc) + lexicon_spans:
            if label != "PERSON":
                proper_chars.update(range(start, end))
        texts, tags = words_of(doc)
        columns = self.native_columns
        native = np.zeros((len(texts), len(columns)), np.uint64)
        strings = doc.vocab.strings
        roles = doc.user_data[extensions.ROLES_KEY] = {}
        for i, (idx, text, tag) in enumerate(zip(word_starts(texts), texts, tags)):
            title, suffix, name, name_in_span, proper, numeral_place = self.word_roles(text, tag)
            in_span = numeral_place or idx in proper_chars
            if in_span:
                name, proper = name_in_span, True
            # Only values other than the defaults are written: most tokens are no names.
            if not (title or suffix or name or proper):
                continue
            core = name and not suffix
            values = {"zhie_title": title, "zhie_suffix": suffix[1] if suffix else "", "zhie_name": name,
                      "zhie_core": core, "zhie_common": core and not proper, "zhie_proper": proper}
            values = roles[idx] = {attr: value for attr, value in values.items() if value}
            for attr, value in values.items():
                if attr in columns:
                    native[i, columns[attr]] = strings.add(role_value(value))
        if columns and len(texts):
            doc.from_array(self.native_attr_ids, native)

    @staticmethod
    def person_tokens(doc: Doc, people) -> set[int]:
        """Indices of the tokens of the model's PERSON spans and of the rules' people."""
        model_people = [(s, e) for s, e, label in ner_candidates(doc) if label == "PERSON"]
        return {t.i for s, e in model_people + [(s, e) for s, e, _ in people]
                for t in doc.char_span(s, e, alignment_mode="expand")}

    def trim(self, doc: Doc, span, persons: set[int] = frozenset()):
        """The span without what cannot start a name; None when nothing is left."""
        suffix = self.lexicon.suffix_of(span[-1].text, span[-1].tag_)
        start, end = span.start, span.end
        if suffix and (suffix[2] == "company" or suffix[1] == "FAC"):
            countries = [t.i for t in span[:-1] if self.lexicon.places.get(t.text) == "country"]
            if countries:
                start = countries[-1] + 1
        while start < end - 1 and (start in persons or doc[start].text in GENERIC_LEADS or doc[start].text.isspace()
                                   or doc[start].text in ("(", "（")
                                   or (len(doc[start].text) == 1 and doc[start].text in FUNCTION_CHARS)):
            start += 1
        first = doc[start]
        cut = 0
        while cut < len(first.text) - 1 and first.text[cut] in FUNCTION_CHARS and first.tag_ == "x":
            cut += 1
        if cut:
            return doc.char_span(first.idx + cut, span.end_char, label=span.label_)
        return Span(doc, start, end, label=span.label_)

    def is_named(self, span) -> bool:
        """Whether a rule span names something rather than describing it (`新能源汽车科技集团`).

        The body before the suffix must be two characters or more, and, for the suffixes
        marked `proper` (companies, facilities, 政府…), hold a proper noun, an unknown word,
        a NER span (or, for events, an edition year); 经济发展局 needs none.
        """
        last = span[-1]
        suffix = self.lexicon.suffix_of(last.text, last.tag_)
        if suffix is None:
            return span.label_ in ("ORG", "EVENT") and span.text[:1].isascii()  # Latin names
        body_chars = len(span.text) - len(suffix[0])
        # 工研院 (one word); 国|研院: one character, not a determiner, before a whole suffix word
        abbreviation = len(suffix[0]) >= 2 and (
            (len(span) == 1 and last.tag_ in ("j", "x"))
            or (len(span) == 2 and len(span[0].text) == 1 and last.text == suffix[0] and suffix[1] == "ORG"
                and not suffix[3] and span[0].text not in ABBREVIATION_NON_HEADS | FUNCTION_CHARS))
        if body_chars < (1 if abbreviation else 2):
            return False
        if not suffix[3]:
            return True
        body = list(span[:-1])
        if len(last.text) > len(suffix[0]) and (len(span) > 1 or last.tag_ in PROPER_TAGS):
            body.append(last)  # a whole word of jieba's dictionary (上市公司/nt) does not name itself
        if self.places is not None and self.places.match(span.text):
            return True  # 青岛大学
        return any(t._.zhie_proper or (span.label_ == "EVENT" and t.like_num) for t in body)

    def __call__(self, doc: Doc) -> Doc:
        doc = self.split_function_chars(doc)
        text = text_of(doc)
        doc = split_tokens_at(doc, self.model_cuts(doc, text))
        texts, _ = words_of(doc)
        starts = set(word_starts(texts))
        ends = {a + len(t) for a, t in zip(word_starts(texts), texts)}
        places = self.find_places(doc, text, starts, ends) + self.find_latin_names(doc, text)
        extra = (self.find_honorifics(doc, text) + self.find_quoted_names(doc, text) + self.find_facilities(doc, text, starts)
                 + self.find_partners(doc, text) + self.find_listed_companies(doc, text))
        people = [c for c in extra if c[2] == "PERSON"]
        doc = split_tokens_at(doc, [p for s, e, _ in places + extra for p in (s, e)])
        doc.spans[LEXICON_KEY] = [doc.char_span(s, e, label=label) for s, e, label in places]
        self.set_token_attrs(doc)
        doc = self.ruler(doc)
        if self.native_roles and len(doc):
            doc.from_array(self.native_attr_ids, np.zeros((len(doc), len(self.native_attr_ids)), np.uint64))
        kept = []
        persons = self.person_tokens(doc, people)
        for span in doc.spans[RULES_KEY]:
            span = self.trim(doc, span, persons)
            if span is not None and self.is_named(span):
                kept.append(span)
        kept.extend(doc.char_span(s, e, label=label) for s, e, label in extra)
        doc.spans[RULES_KEY] = kept
        return doc
