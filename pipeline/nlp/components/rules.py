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
from collections.abc import Set as AbstractSet
from itertools import accumulate
from pathlib import Path

import numpy as np
from spacy.attrs import IDS
from spacy.errors import MatchPatternError
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline.span_ruler import SpanRuler
from spacy.tokens import Doc, Span

from zhie.nlp import extensions
from zhie.nlp.components.ner import ner_candidates
from zhie.nlp.lexicon import LABELS, RuleFileError, data_lines, known_names, load_lexicon
from zhie.nlp.names import ParkShortForms
from zhie.nlp.spans import split_tokens_at, text_of, word_starts, words_of
from zhie.resources import resolve_path

RULES_KEY = "rules"
ROLE_CACHE_SIZE = 100_000
LEXICON_KEY = "lexicon"
# Parts of speech that stay out of a name even inside a model's span (由, 与, 的, 是).
FUNCTION_TAGS = {"p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "v", "r"}
LATIN_NAME = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Za-z]{1,11}(?![A-Za-z0-9])")
LATIN_WORD_BEFORE = re.compile(r"[A-Za-z]+ $")
OPENING_BRACKETS = ("(", "（")
CLOSING_BRACKETS = (")", "）")
MAX_LATIN_HONORIFIC = 6  # the longest match of the pattern latin_honorific (`Prof. `)
SOURCE_LINES = 4  # datelines stand in an article's first lines
# Tags of the common nouns (and measure words) that a Latin scheme or product name modifies.
MODIFIED_NOUN_TAGS = {"n", "vn", "ng", "nz", "l", "q", "m"}
LATIN_WORD_AFTER = re.compile(r" [A-Za-z]")
QUOTE_OPENERS = set("「『《“【")
MAX_QUOTED_COMPANY = 12  # longer quoted list items are titles or slogans, not short names
PUNCT_OR_SPACE = re.compile(r"[\s\W_]")
# A name in quotes; other kinds of quotes may stand inside it (「《科技创新 接轨国际》台南市产业论坛」).
QUOTED_NAME = re.compile(
    r"「([^「」\n]{2,40})」|『([^『』\n]{2,40})』|《([^《》\n]{2,40})》|“([^“”\n]{2,40})”"
)

PATTERN_KEYS = {"label", "pattern", "id"}
# Parts of speech (jieba's tag set) that never stand inside a name.
STOP_TAGS = {
    "p",
    "c",
    "u",
    "uj",
    "ul",
    "uz",
    "ug",
    "uv",
    "ud",
    "r",
    "rr",
    "rz",
    "d",
    "df",
    "dg",
    "ad",
    "t",
    "tg",
    "m",
    "mq",
    "q",
    "y",
    "e",
    "o",
    "w",
    "_SP",
    "v",
    "vd",
    "vi",
    "vg",
    "z",
    "i",
    "f",
}
# jieba's ns/nt/nz tags are too loose to tell a name (城市/ns, 中南部/nt): places and
# organisations count as proper through the place lexicon and the NER spans instead.
PROPER_TAGS = {"x", "eng", "j", "zg", "g"}
# ...unless the word is rare: a rare ns/nt/nz/nr word is a name (中联, 永华, 临港), a common one
# a description (城市, 新兴产业, 智慧).
LOOSE_PROPER_TAGS = {"ns", "nt", "nz", "nr", "nrt", "nrfg"}
RARE_WORD_FREQ = 1000
CORE_AND_SUFFIXED = "org-core-and-suffixed-word"  # the names.jsonl pattern X及Y局
COMMON_WORD_FREQ = 100
PUNCT = re.compile(r"^[\W_]+$")
# Verbs, adverbs and adjectives: before a facility, project or event rather than in its name.
VERB_LIKE_TAGS = {"v", "vd", "vi", "vg", "ad", "d"}


def with_latin_words(doc: Doc, span: Span) -> Span:
    """An ORG span that starts with a Latin word, extended back over the capitalised Latin words
    written before it with spaces: the token patterns stop at a space (`Scale Partners势乘资本`)."""
    i = span.start
    if span.label_ != "ORG" or doc[i].tag_ != "eng":
        return span
    while (
        i >= 2
        and doc[i - 1].text == " "
        and doc[i - 2].tag_ == "eng"
        and doc[i - 2].text[0].isupper()
    ):
        i -= 2
    if i == span.start:
        return span
    extended = Span(doc, i, span.end, label=span.label_)
    extended.id_ = span.id_
    return extended


def doc_text_before(span, size: int) -> str:
    """The (about) `size` characters of the Doc before `span`, read from the tokens before it."""
    doc, i, out = span.doc, span.start, ""
    while i > 0 and len(out) < size:
        i -= 1
        out = doc[i].text + out
    return out[-size:]


# jieba's tags of a person's name (nr) and of an unknown word (x): a name when a title stands next to it
NAME_TOKEN_TAGS = {"nr", "nrfg", "nrt", "x"}
CLAUSE_GOES_ON_TAGS = {"v", "vd", "vi", "d", "p", "c", "x", "_SP"}
VERB_TAGS = {"v", "vd", "vi", "vg", "p", "c", "d", "u", "uj", "ul", "r"}
HAN_NAME = re.compile(r"^[\u4e00-\u9fff]{2,3}$")
HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")
PUNCTUATION = re.compile(r"^[，,。；;、！？!?）)」』”]$")
# jieba tags of the pieces of a name that jieba cut (陈浩|濂/g, 黄伟|哲今/x)
NAME_PART_TAGS = {"x", "g", "nr", "nrfg", "nrt", "ng"}


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
            raise RuleFileError(
                f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(PATTERN_KEYS)}"
            )
        if entry.get("label") not in LABELS:
            raise RuleFileError(
                f"{where}: label must be one of {sorted(LABELS)}, got {entry.get('label')!r}"
            )
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
            raise RuleFileError(
                f"{where}: pattern must be a string or a non-empty list of token objects"
            )
        patterns.append(entry)
    return patterns


# The Matcher reads `_` attributes through Python for every token of a Doc and native ones in
# C, so the patterns' equality tests of the token roles above are rewritten into tests of
# spare native attributes, filled just before matching and cleared after it: 2.4x faster
# matching on the dev articles. (The Matcher refuses LEMMA, DEP, POS, TAG and MORPH without
# the pipes that set them; the entity attributes are set by zhie_mentions, after the rules.)
# More roles than spares stay `_` tests.
SPARE_ATTRS = ("ENT_TYPE", "ENT_KB_ID", "ENT_ID", "NORM", "LEMMA")
# The Matcher refuses LEMMA tests on a Doc without lemmas: where LEMMA holds a role, the tokens
# without one get this placeholder (no pattern tests it).
NO_LEMMA = "-"


def native_roles(patterns: list[dict]) -> dict[str, str]:
    """The token roles that the patterns test for equality, each with its spare native attribute."""
    used = sorted(
        {
            name
            for entry in patterns
            if isinstance(entry["pattern"], list)
            for token in entry["pattern"]
            for name, value in (token.get("_") or {}).items()
            if name in extensions.TOKEN_ATTRS and not isinstance(value, dict)
        }
    )
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
        moved = {
            name: value
            for name, value in tests.items()
            if name in roles and not isinstance(value, dict)
        }
        if moved:
            token = {key: value for key, value in token.items() if key != "_"}
            if len(moved) < len(tests):
                token["_"] = {name: value for name, value in tests.items() if name not in moved}
            token.update({roles[name]: role_value(value) for name, value in moved.items()})
        tokens.append(token)
    return {**entry, "pattern": tokens}


# The Matcher calls a Python predicate for a token's text tested against a list or a regex
# (`{"TEXT": {"IN": [...]}}`, `NOT_IN`, `REGEX`): some eight calls per token of every Doc. A test
# of the text alone is a property of the word, so it becomes a lexeme flag of the vocabulary
# (spaCy's FLAG19-FLAG63 are free for that), computed once per word and tested in C.
FLAG_BITS = range(19, 64)
TEXT_PREDICATES = {"IN", "NOT_IN", "REGEX"}


class TextTest:
    """A pattern's test of a token's text as a lexeme flag getter (`text -> bool`): whether the
    regex finds something in it (as the Matcher's REGEX predicate searches), or whether it is
    one of the words (IN; NOT_IN tests the same flag for False)."""

    def __init__(self, predicate: str, value):
        self.regex = re.compile(value) if predicate == "REGEX" else None
        self.words = frozenset(value) if predicate != "REGEX" else frozenset()

    def __call__(self, text: str) -> bool:
        if self.regex is not None:
            return bool(self.regex.search(text))
        return text in self.words


class TextFlags:
    """The lexeme flags of one vocabulary's text tests: one flag per distinct test."""

    def __init__(self, vocab):
        self.vocab = vocab
        self.flags: dict[tuple[str, str], int] = {}

    def flag(self, predicate: str, value) -> int | None:
        """The flag bit of the test, added to the vocabulary on first use; None when no bit is free."""
        key = (predicate, json.dumps(value, ensure_ascii=False))
        if key not in self.flags:
            free = [bit for bit in FLAG_BITS if bit not in self.vocab.lex_attr_getters]
            if not free:
                return None
            self.flags[key] = self.vocab.add_flag(TextTest(predicate, value), free[0])
        return self.flags[key]

    def rewrite(self, entry: dict) -> dict:
        """The pattern entry with its tests of the text against lists and regexes as flag tests."""
        if not isinstance(entry["pattern"], list):
            return entry
        tokens = []
        for token in entry["pattern"]:
            token = dict(token)
            for key in [k for k in token if k.upper() in ("TEXT", "ORTH")]:
                tests = token[key]
                if not (
                    isinstance(tests, dict)
                    and tests
                    and all(
                        name in TEXT_PREDICATES
                        and (
                            isinstance(value, str)
                            if name == "REGEX"
                            else isinstance(value, list)
                            and all(isinstance(word, str) for word in value)
                        )
                        for name, value in tests.items()
                    )
                ):
                    continue
                flags = {name: self.flag(name, value) for name, value in tests.items()}
                if None in flags.values():
                    continue
                del token[key]
                token.update({f"FLAG{bit}": name != "NOT_IN" for name, bit in flags.items()})
            tokens.append(token)
        return {**entry, "pattern": tokens}


def rule_files(rules_dir: Path) -> list[Path]:
    """The pattern files (`*.jsonl`) of `rules_dir`, sorted by name."""
    return sorted(rules_dir.glob("*.jsonl"))


class WordMatch:
    """A match of `WordList.finditer`, with the methods of a regex match that the rules use."""

    __slots__ = ("_start", "_end", "_text")

    def __init__(self, start: int, end: int, text: str):
        self._start, self._end, self._text = start, end, text

    def start(self) -> int:
        """Where the word starts in the text."""
        return self._start

    def end(self) -> int:
        """Where the word ends in the text."""
        return self._end

    def group(self, index: int = 0) -> str:
        """The word, whatever `index` (a regex match's `group(0)`)."""
        return self._text


class WordList:
    """Finds the words of a list in a text as a regex alternation of them, longest first, would
    (leftmost, then longest, not overlapping), but by set look-ups: tens of thousands of places
    make a regex slow to compile and to run."""

    def __init__(self, words):
        self.words = frozenset(words)
        self.sizes = sorted({len(w) for w in self.words}, reverse=True)
        self.first = frozenset(w[0] for w in self.words)
        # every prefix of every word: the longest word at a position is found by extending the
        # piece there while it is a prefix (two or three look-ups, where trying every size took 15)
        self.prefixes = frozenset(w[:k] for w in self.words for k in range(1, len(w) + 1))
        # jumps to the next character that starts a word (a character set runs in C)
        self.first_char = re.compile(
            "[" + "".join(map(re.escape, sorted(self.first))) + "]" if self.first else "(?!)"
        )

    def finditer(self, text: str):
        """The words of the list in `text` as WordMatches: leftmost, longest, not overlapping."""
        words, prefixes, n = self.words, self.prefixes, len(text)
        search = self.first_char.search
        found = search(text)
        while found is not None:
            i = end = found.start()
            longest = 0
            while end < n:
                end += 1
                piece = text[i:end]
                if piece not in prefixes:
                    break
                if piece in words:
                    longest = end
            if longest:
                yield WordMatch(i, longest, text[i:longest])
                found = search(text, longest)
            else:
                found = search(text, i + 1)

    def match(self, text: str) -> WordMatch | None:
        """The longest word that `text` starts with, or None."""
        for size in self.sizes:
            if text[:size] in self.words and size <= len(text):
                return WordMatch(0, size, text[:size])
        return None


def place_regex(places) -> WordList | None:
    """A WordList of `places` (names of the lexicon), or None when there are none."""
    if not places:
        return None
    return WordList(places)


@Language.factory(
    "zhie_rules",
    assigns=["doc.spans"],
    requires=["doc.spans"],
    default_config={"rules_dir": "rules:"},
)
def create_rules(nlp: Language, name: str, rules_dir: str):
    """The rule component; `rules_dir` holds the rule files (`rules:` = the packaged ones)."""
    return RuleComponent(nlp, resolve_path(rules_dir), name)


class RuleComponent:
    """The rule component: lexicon places and SpanRuler spans, trimmed, in `doc.spans`."""

    def __init__(self, nlp: Language, rules_dir: Path, name: str = "zhie_rules"):
        extensions.register()
        self.lexicon = lex = load_lexicon(rules_dir)
        self.known_names = known_names(rules_dir)
        self.function_chars = lex.chars("function_char")
        self.numeral_place_stop = self.function_chars | lex.chars("numeral_place_stop")
        self.non_heads = lex.chars("non_head_char") | self.function_chars
        self.admin_levels = lex.chars("admin_level")
        self.admin_suffix = lex.pattern("admin_suffix")
        self.generic_leads = set(
            lex.words("generic_government")
            + lex.words("generic_determiner")
            + lex.words("generic_company")
        )
        self.apposition_heads = tuple(lex.words("company_apposition_head"))
        self.greater_place = lex.pattern("greater_place")
        self.numeral_start = lex.pattern("numeral_start")
        self.numeric_word = lex.pattern("numeric_word")
        self.ordinal = lex.pattern("ordinal")
        self.partners = lex.pattern("partners")
        self.hosts = lex.pattern("hosts")
        self.place_count = lex.pattern("place_count")
        self.host_roles = tuple(sorted(lex.words("host_role"), key=len, reverse=True))
        self.company_lists = (lex.pattern("company_list"), lex.pattern("company_list_after_head"))
        self.plan_project = lex.pattern("plan_project")
        self.list_separator = lex.pattern("list_separator")
        self.conjunctions = set(lex.words("name_conjunction"))
        self.conjunction = lex.pattern("name_conjunction")
        self.internal_organs = set(lex.words("internal_organ"))
        self.org_final_chars = {
            suffix[-1] for suffix, (label, _, _) in lex.suffixes.items() if label == "ORG"
        }
        self.dateline = lex.pattern("dateline")
        self.byline = lex.pattern("byline")
        self.source_label = lex.pattern("source_label")
        self.generic_references = self.generic_leads | set(lex.words("generic_reference"))
        jieba_tokenizer = getattr(nlp.tokenizer, "jieba", None)
        self.freq = jieba_tokenizer.FREQ if jieba_tokenizer is not None else {}
        self.dictionary_tags = getattr(nlp.tokenizer, "tags", None) or {}
        self.after_suffix_chars = lex.chars("after_suffix_char")
        self.event_scope = set(lex.words("event_scope"))
        self.works_before = lex.pattern("works_before")
        self.works_after = lex.pattern("works_after")
        self.event_after_quote = lex.pattern("event_after_quote")
        self.event_abbreviation = lex.pattern("event_abbreviation")
        self.project_list = lex.pattern("project_list")
        self.latin_tail = lex.pattern("latin_tail")
        self.event_before_quote = lex.pattern("event_before_quote")
        self.quoted_company_before = lex.pattern("quoted_company_before")
        self.quoted_company_after = lex.pattern("quoted_company_after")
        self.quote_clause = lex.pattern("quote_clause")
        self.event_edition = lex.pattern("event_edition")
        self.phase = lex.pattern("phase")
        self.park_forms = ParkShortForms(lex)
        self.described_before = lex.pattern("described_before")
        self.enterprise_chars = lex.chars("enterprise_char")
        self.name_separator = lex.pattern("name_separator")
        self.classifier_chars = lex.chars("classifier_char")
        self.numeral_chars = lex.chars("numeral_char")
        self.event_joiners = set(lex.words("event_joiner"))
        self.edition_year = lex.pattern("edition_year")
        self.year_char = lex.words("year_char")[0]
        self.event_body = lex.pattern("event_body")
        self.name_leads = set(lex.words("name_lead"))
        self.conjunctions = set(lex.words("name_conjunction"))
        self.descriptions = set(lex.words("description_before_suffix"))
        self.town_levels = lex.chars("town_level")
        self.word_tags = getattr(nlp.tokenizer, "tags", None) or {}
        self.places = place_regex(self.lexicon.places)
        self.facilities = place_regex(self.lexicon.facilities)
        surnames = "|".join(sorted(self.lexicon.surnames, key=len, reverse=True))
        self.all_titles = self.lexicon.titles | self.lexicon.public_titles
        # names after the titles of titles.txt (not the public ones: 司机|和乘客, 画家|相契)
        titles = "|".join(sorted(self.lexicon.titles, key=len, reverse=True))
        # title, optional colon (bylines: 发稿人：何帆), surname and one or two characters up to a name end
        self.titled_name = re.compile(
            rf"(?:{titles})[ 　]*[：:]?[ 　]*((?:{surnames})[\u4e00-\u9fff]{{1,2}}?)"
            rf"(?={lex.regex('name_end')})"
        )
        self.title_starts = tuple(self.all_titles)
        self.name_end_re = lex.pattern("name_end")
        self.honorifics = tuple(lex.words("honorific"))
        honorifics = "|".join(map(re.escape, self.honorifics))
        # a press contact's line: a full name and an honorific, nothing else (黄婷溶 小姐)
        self.honorific_line = re.compile(
            rf"(?m)^[ \t　]*((?:{surnames})[\u4e00-\u9fff]{{1,2}})[ \t　]*(?:{honorifics})[ \t　]*$"
        )
        self.latin_person = lex.pattern("latin_person")
        self.latin_honorific = lex.pattern("latin_honorific")
        self.role_cache: dict[tuple[str, str], tuple] = {}
        self.titles = tuple(self.lexicon.titles)  # str.startswith takes a tuple
        self.ruler = SpanRuler(nlp, name=name, spans_key=RULES_KEY, overwrite=True)
        patterns = [
            entry for path in rule_files(rules_dir) for entry in load_patterns(path, nlp.vocab)
        ]
        self.native_roles = native_roles(patterns)
        self.native_attr_names = list(self.native_roles.values())
        self.native_attr_ids = [IDS[attr] for attr in self.native_attr_names]
        self.native_columns = {
            role: k for k, role in enumerate(self.native_roles)
        }  # role -> column of from_array
        text_flags = TextFlags(nlp.vocab)
        self.ruler.add_patterns(
            [text_flags.rewrite(with_native_roles(entry, self.native_roles)) for entry in patterns]
        )
        # patterns without a suffix of their label (台17线, 国道三号, …委员会第十次会议) name what they match
        self.closed_ids = {
            entry.get("id")
            for entry in patterns
            if isinstance(entry["pattern"], list)
            and entry.get("id")
            and entry["label"] in ("FAC", "PROJECT", "EVENT")
            and not any(
                (token.get("_") or {}).get("zhie_suffix") == entry["label"]
                for token in entry["pattern"]
            )
        }
        self.list_comma = lex.words("list_separator")[0]
        self.list_words = set(lex.words("list_separator"))

    def find_places(
        self, doc: Doc, text: str, starts: set[int], ends: set[int]
    ) -> list[tuple[int, int, str]]:
        """Places of the lexicon that jieba also reads as words (`海口` in `出海口` is none)."""
        if self.places is None:
            return []
        places = self.lexicon.places
        return [
            (m.start(), m.end(), "GPE")
            for m in self.places.finditer(text)
            if m.start() in starts
            and (
                m.end() in ends
                or m.group(0) + text[m.end() : m.end() + 1] in places
                or text[m.end() : m.end() + 1] in self.admin_levels
                or text.startswith(self.titles, m.end())
            )
        ]  # 首尔市|议员

    def find_greater_places(
        self, places: list[tuple[int, int, str]], text: str, starts: set[int]
    ) -> list[tuple[int, int, str]]:
        """A city of the lexicon after a word of `greater_place` is the whole city, one GPE with
        it (`大|台南`, gold/GUIDELINES.md); not after a word that ends in it (`扩大|台南`)."""
        found = []
        for start, end, _ in places:
            greater = self.greater_place.search(text, max(0, start - 2), start)
            if (
                greater
                and greater.start() in starts
                and self.lexicon.places[text[start:end]] == "city"
            ):
                found.append((greater.start(), end, "GPE"))
        return found

    def find_facilities(self, doc: Doc, text: str, starts: set[int]) -> list[tuple[int, int, str]]:
        """Short forms of known facilities (`南科`), where they start a word, or follow a function
        character that jieba glued to them (`以南|科`)."""
        if self.facilities is None:
            return []
        return [
            (m.start(), m.end(), "FAC")
            for m in self.facilities.finditer(text)
            if m.start() in starts
            or (m.start() - 1 in starts and text[m.start() - 1] in self.function_chars)
        ]

    def model_cuts(self, doc: Doc, text: str) -> list[int]:
        """The ends of the model's spans that cut a word where the cut is sure: an organisation
        before a name suffix (`武钢|股份`: the name grammar then sees the suffix) and a place of
        the lexicon (`香港|回归`, `桂林|人`). Other cuts leave jieba's words as they are."""
        texts, _ = words_of(doc)
        word_ends = list(accumulate(map(len, texts)))
        ends = set(word_ends)
        cuts = []
        for start, end, label in doc._.ner_cuts or []:
            i = bisect_right(word_ends, end)
            before_suffix = (
                end not in ends
                and i < len(word_ends)
                and text[end : word_ends[i]] in self.lexicon.suffixes
            )
            if (label == "ORG" and before_suffix) or (
                label == "GPE" and end - start > 1 and text[start:end] in self.lexicon.places
            ):
                cuts += [start, end]
        return cuts

    def split_suffix_titles(self, doc: Doc) -> Doc:
        """Split a word that jieba made of a suffix and a title (`库务|局局长` -> `局|局长`,
        `第二|大学教授` -> `大学|教授`), so that the name grammar sees the suffix and the people
        stage the title."""
        cuts = []
        texts, _ = words_of(doc)
        suffixes = self.lexicon.suffixes
        for start, text in zip(word_starts(texts), texts):
            if len(text) < 3:
                continue
            if text[0] in self.lexicon.in_word_suffixes and self.lexicon.is_title(text[1:]):
                cuts.append(start + 1)
                continue
            cut = next(
                (
                    k
                    for k in range(2, len(text) - 1)
                    if text[:k] in suffixes and self.lexicon.is_title(text[k:])
                ),
                None,
            )
            if cut is not None:
                cuts.append(start + cut)
        return split_tokens_at(doc, cuts) if cuts else doc

    def split_function_chars(self, doc: Doc) -> Doc:
        """Split an unknown word that jieba glued to a function character (`南科及`, `日于`, `循新吉`)
        or a one-character name suffix to the word after it (`展中`, `展则`: 食品展|中); a piece
        that is a word of the dictionary takes its tag (`这座` gives 这/p 座/q)."""
        cuts = []
        texts, tags = words_of(doc)
        suffixes = self.lexicon.suffixes
        previous = ""
        for start, text, tag in zip(word_starts(texts), texts, tags):
            number_before, previous = (
                previous[-1:].isdigit() or previous in self.numeral_chars,
                text,
            )
            if (
                tag == "x"
                and len(text) >= 2
                and not text.isascii()
                and number_before
                and text[0] in self.classifier_chars
            ):
                cuts.append(start + 1)  # 8|场分|论坛: a classifier after a number
            if tag == "x" and len(text) >= 2 and not text.isascii():
                if text[0] in self.function_chars:
                    cuts.append(start + 1)
                if text[-1] in self.function_chars:
                    cuts.append(start + len(text) - 1)
                if len(text) == 2 and text[0] in suffixes and text[1] in self.after_suffix_chars:
                    cuts.append(start + 1)
        if not cuts:
            return doc
        doc = split_tokens_at(doc, cuts)
        texts, tags = words_of(doc)
        for i, (text, tag) in enumerate(zip(texts, tags)):
            if tag != "x":
                continue
            if len(text) == 1 and text in self.function_chars:
                tags[i] = doc[i].tag_ = "p"  # the split-off character is a preposition
            elif self.dictionary_tags.get(text):
                tags[i] = doc[i].tag_ = self.dictionary_tags[text]
        return doc

    def find_quoted_names(self, doc: Doc, text: str) -> list[tuple[int, int, str]]:
        """A name in 「」, 『』, 《》 or “” that ends in a suffix is a name of the suffix's label,
        proper noun or not (`「生医下世代园区」`), also with an event's Latin name after its
        Chinese one (`「台南橡塑胶工业展TAINAN PLAS」`); a quoted development plan is a PROJECT;
        a quoted name before a generic event word or after a hosting verb and 的 is an EVENT
        (`“购在中国”系列活动`, `主办的「…交流系列活动」`). A quoted
        list or clause (`「数位转型、产业升级…」`) is a title or a slogan, not a name."""
        found = []
        quoted = []  # (start, end) of every quoted piece with and without its quotes, for lists
        for m in QUOTED_NAME.finditer(text):
            k = m.lastindex
            assert k is not None  # the pattern is four alternatives, each one group: one matched
            inner, start, end = m.group(k), m.start(k), m.end(k)
            quoted.append((m.start(), m.end(), start, end))
            if self.plan_project.search(inner) and not self.lexicon.suffix_of(inner, "x"):
                found.append((start, end, "PROJECT"))  # 「七股科技工业区开发、租售及管理计划」
                continue
            if self.quote_clause.search(inner):
                continue
            suffix = self.lexicon.suffix_of(inner, "x")
            tail = self.latin_tail.search(inner)
            if not suffix and tail and tail.start() > 0:
                head = inner[: tail.start()].rstrip()
                head_suffix = self.lexicon.suffix_of(head, "x")
                if (
                    head_suffix
                    and head_suffix[1] == "EVENT"
                    and len(head) > len(head_suffix[0]) + 1
                ):
                    found.append((start, end, "EVENT"))
                    continue
            if suffix and len(inner) > len(suffix[0]) + 1:
                found.append((start, end, suffix[1]))
            elif self.plan_project.search(inner):
                found.append((start, end, "PROJECT"))
            elif not suffix and (
                self.event_after_quote.match(text, m.end())
                or self.event_before_quote.search(text, max(0, m.start() - 8), m.start())
            ):
                found.append((start, end, "EVENT"))  # “购在中国”系列活动, 主办的「…活动」
            elif not suffix and self.quoted_company(doc, text, m, start, end):
                found.append((start, end, "ORG"))  # 电商平台“e飞蚁”, 「麦岩智能」是一家
        return found + self.quoted_list_companies(doc, text, quoted, found)

    def quoted_company(self, doc: Doc, text: str, m: re.Match, start: int, end: int) -> bool:
        """A short quoted name (two to eight characters) that the words around it make a
        company's: right after a noun for a company (`电商平台“e飞蚁”`, words of
        `quoted_company_before`) or before `是一家` (`「麦岩智能」是一家…公司`), with a proper noun,
        a Latin letter or a word jieba does not know in it (not `“互联网+”`, `“智能制造”`)."""
        if not 2 <= end - start <= 8:
            return False
        if not (
            self.quoted_company_before.search(text, max(0, m.start() - 6), m.start())
            or self.quoted_company_after.match(text, m.end())
        ):
            return False
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or span.text in self.lexicon.places:
            return False
        return any(
            t.tag_ in PROPER_TAGS or self.freq.get(t.text, 0) < RARE_WORD_FREQ // 20 for t in span
        )

    def quoted_list_companies(self, doc: Doc, text: str, quoted: list, found: list) -> list:
        """The other items of a list of quoted names that holds an organisation are organisations
        too (「大舜钣金」及「迎盛股份有限公司」, 「东佑达自动化科技」、「梧济工业」): items joined by a
        list separator alone, each a short name (no clause, no place) with a proper noun or a
        listed company in it (not 「数位转型」, 「产业升级」)."""
        organisations = {(s, e) for s, e, label in found if label == "ORG"}
        named = {(s, e) for s, e, _ in found}
        groups: list[list[tuple[int, int]]] = []
        previous_end = None
        for outer_start, outer_end, start, end in quoted:
            if previous_end is not None and text[previous_end:outer_start] in self.list_words:
                groups[-1].append((start, end))
            else:
                groups.append([(start, end)])
            previous_end = outer_end
        out = []
        for group in groups:
            if len(group) < 2 or not organisations.intersection(group):
                continue
            for start, end in group:
                inner = text[start:end]
                if (
                    (start, end) not in named
                    and 2 <= len(inner) <= MAX_QUOTED_COMPANY
                    and not self.quote_clause.search(inner)
                    and not PUNCT_OR_SPACE.search(inner)
                    and inner not in self.lexicon.places
                    and self.holds_a_name(doc, start, end)
                ):
                    out.append((start, end, "ORG"))
        return out

    def holds_a_name(self, doc: Doc, start: int, end: int) -> bool:
        """Whether a word of the text [start, end) is a proper noun by itself or a listed company."""
        span = doc.char_span(start, end, alignment_mode="expand")
        return span is not None and any(
            self.word_roles(t.text, t.tag_)[4] or t.text in self.lexicon.companies for t in span
        )

    def find_event_abbreviations(self, doc: Doc, text: str) -> list[tuple[int, int, str]]:
        """Short names of expos and games that jieba cuts apart (`消博会`, `十五运会`)."""
        return [(m.start(), m.end(), "EVENT") for m in self.event_abbreviation.finditer(text)]

    def find_project_lists(
        self, doc: Doc, text: str, kept: list[Span], persons: set[int]
    ) -> list[tuple[int, int, str]]:
        """The items of `A项目、B项目、C项目`: when one of them is a project's name, the others are
        too (`立新汽车城项目、德杰汽车零部件生产项目、轻舟智航总部基地项目`); the first item starts
        after its last word that stands in no name."""
        ends = {s.end_char for s in kept if s.label_ == "PROJECT"}
        found = []
        for m in self.project_list.finditer(text):
            items, pos = [], m.start(1)
            for item in m.group(1).split(self.list_comma):
                items.append((pos, pos + len(item)))
                pos += len(item) + 1
            if not any(end in ends for _, end in items):
                continue
            first = doc.char_span(*items[0], alignment_mode="expand")
            if first is not None:
                cut = max(
                    (
                        t.i + 1
                        for t in first[:-1]
                        if t.tag_ in FUNCTION_TAGS
                        or t._.zhie_title
                        or t.i in persons
                        or PUNCT.match(t.text)
                        or (t.tag_ != "d" and self.lexicon.is_outside_word(t.text))
                    ),
                    default=first.start,
                )
                items[0] = (max(items[0][0], doc[cut].idx), items[0][1])
            found += [
                (start, end, "PROJECT")
                for start, end in items
                if end not in ends and end - start > 3
            ]
        return found

    def joined_events(self, doc: Doc, kept: list[Span]) -> list[Span]:
        """An event's name with the edition year or ordinal written before it (`2024年中国—东盟…峰会`),
        and two events joined by 暨 as one event's name (`…会员大会暨年会`, `…论坛暨趋势策展`): an
        event before 暨 and name words after it, up to an event suffix."""
        joined = []
        for span in kept:
            if span.label_ != "EVENT":
                continue
            start = span.start  # an edition year or ordinal right before it (2024年|中国—东盟…峰会)
            if (
                start >= 2
                and doc[start - 1].text == self.year_char
                and self.edition_year.fullmatch(doc[start - 2].text)
            ):
                start -= 2
            elif start >= 1 and (
                self.edition_year.fullmatch(doc[start - 1].text)
                or self.event_edition.fullmatch(doc[start - 1].text)
            ):
                start -= 1
            if start < span.start:
                span = Span(doc, start, span.end, label="EVENT", span_id=span.id_)
                joined.append(span)
            if span.end + 1 >= len(doc) or doc[span.end].text not in self.event_joiners:
                continue
            for k in range(span.end + 1, min(len(doc), span.end + 8)):
                token = doc[k]
                if token._.zhie_suffix == "EVENT":
                    joined.append(Span(doc, span.start, k + 1, label="EVENT", span_id=span.id_))
                    break
                if not (
                    token._.zhie_name
                    or token.like_num
                    or self.event_edition.fullmatch(token.text)
                    or self.event_edition.fullmatch(doc[k : k + 3].text)
                ):
                    break  # 暨第九届特殊奥林匹克运动会: an edition may stand after 暨
        return kept + joined

    def event_bodies(self, doc: Doc, text: str, kept: list[Span]) -> list[Span]:
        """An event's name before the word of the body that organises it names that body, an ORG
        (`十五运会组委会`, `…运动会组织委员会`)."""
        out = []
        for span in kept:
            if span.label_ == "EVENT":
                body = self.event_body.match(text, span.end_char)
                if body:
                    org = doc.char_span(
                        span.start_char, body.end(), label="ORG", alignment_mode="expand"
                    )
                    if org is not None:
                        out.append(org)
                    continue
            out.append(span)
        return out

    def relabel_by_text(self, doc: Doc, span: Span) -> Span:
        """The span with the label of the longest suffix its text ends with, where that suffix is
        longer than its last token's (`杭州|国际博览|中心`: 博览中心 makes a FAC, not 中心 an ORG)."""
        token_suffix = self.lexicon.suffix_of(span[-1].text, span[-1].tag_)
        if (
            span.label_ == "FAC"
            and token_suffix
            and token_suffix[0] in self.enterprise_chars
            and len(span[-1].text) > 1
        ):
            return Span(
                doc, span.start, span.end, label="ORG", span_id=span.id_
            )  # 梅雪|啤酒厂, 长江|稀土|冶炼厂
        text_suffix = self.lexicon.name_suffix(span.text)
        if (
            token_suffix
            and text_suffix
            and len(text_suffix[0]) > len(token_suffix[0])
            and text_suffix[1] != span.label_
        ):
            return Span(doc, span.start, span.end, label=text_suffix[1], span_id=span.id_)
        return span

    def relabel_works(self, doc: Doc, text: str, kept: list[Span]) -> list[Span]:
        """A facility of a `works` suffix (reservoir, railway, plant) that the text has being built
        or funded is a PROJECT (`白石洞水库建设`, `参与了乌东铁路的建设`), in every mention of it."""
        building = set()
        for span in kept:
            if span.label_ == "FAC":
                suffix = self.lexicon.suffix_of(span[-1].text, span[-1].tag_)
                if (
                    suffix
                    and suffix[2] == "works"
                    and (
                        self.works_after.match(text, span.end_char)
                        or self.works_before.search(
                            text, max(0, span.start_char - 6), span.start_char
                        )
                    )
                ):
                    building.add(span.text)
        if not building:
            return kept
        return [
            Span(doc, s.start, s.end, label="PROJECT", span_id=s.id_)
            if s.label_ == "FAC" and s.text in building
            else s
            for s in kept
        ]

    def find_org_words(self, texts: list[str], starts: list[int]) -> list[tuple[int, int, str]]:
        """Words (`texts`, at `starts`) that the public corpora have as a whole organisation's name
        (`Lexicon.org_words`: 央行, 招行, 新华社), ORG; places (as 巴西 for its team) and Latin
        words stay with their own rules."""
        lex = self.lexicon
        return [
            (start, start + len(text), "ORG")
            for start, text in zip(starts, texts)
            if text in lex.org_words and text not in lex.places and not text.isascii()
        ]

    def find_latin_names(self, doc: Doc, text: str) -> list[tuple[int, int, str]]:
        """Capitalised Latin words that are not common acronyms (`AMD`, `NVIDIA`, `KoMiCo`) and that
        the text uses as a body, ORG: not before a common noun they modify (`RCEP框架`, `BOT案`,
        `GHP厂房`: a scheme, standard or product names a kind of thing), nor joined to such a
        word (`RoHS和REACH规定`), nor in brackets after a common dictionary word that is no name
        (`终端销售系统(POS)`; after a name or a suffix they are its short form: `协会（IASP）`)."""
        texts, tags = words_of(doc)
        starts = word_starts(texts)
        tag_at = dict(zip(starts, zip(texts, tags)))
        ends = {start + len(t): i for i, (start, t) in enumerate(zip(starts, texts))}
        uses: dict[str, list[tuple[int, int, bool]]] = {}
        matches: list[tuple[int, int, str, int]] = []
        for m in LATIN_NAME.finditer(text):
            if (
                m.group(0) in self.lexicon.latin_terms
                or sum(c.isupper() for c in m.group(0)) < 2
                or LATIN_WORD_BEFORE.search(text, 0, m.start())
                or LATIN_WORD_AFTER.match(text, m.end())
            ):
                continue
            after = m.end() + (text[m.end() : m.end() + 1] == " ")
            word, tag = tag_at.get(after, ("", ""))
            if not word and after < len(text) and starts:
                i = bisect_right(starts, after) - 1  # PreA|轮 where jieba wrote Pre + A轮
                word, tag = texts[i][after - starts[i] :], tags[i]
            modifier = self.common_noun_word(word, tag)
            if text[m.start() - 1 : m.start()] in OPENING_BRACKETS and m.start() - 1 in ends:
                before = ends[m.start() - 1]  # the word before the bracket
                modifier = modifier or (
                    text[m.end() : m.end() + 1] in CLOSING_BRACKETS
                    and len(texts[before]) > 1  # not a piece of a cut word (辉|达（NVIDIA）)
                    and texts[before] in self.freq  # a dictionary word
                    and not self.word_roles(texts[before], tags[before])[4]
                    and not self.suffix_of(texts[before], tags[before])
                )
            found = uses.setdefault(m.group(0), [])
            found.append((m.start(), m.end(), modifier))
            matches.append((m.start(), m.end(), m.group(0), len(found) - 1))
        # a word joined to a modifier modifies too (RoHS和REACH规定)
        for (_, end, name, k), (start, _, next_name, j) in reversed(
            list(zip(matches, matches[1:]))
        ):
            if text[end:start] in self.list_words and uses[next_name][j][2]:
                s, e, _ = uses[name][k]
                uses[name][k] = (s, e, True)
        # a word the article mostly uses as a modifier names a scheme wherever it stands; the
        # mention stage refuses the model's guesses on those words
        doc._.latin_terms = {
            (start, end)
            for found in uses.values()
            for start, end, modifier in found
            if modifier or 2 * sum(u[2] for u in found) >= len(found)
        }
        return [
            (start, end, "ORG")
            for found in uses.values()
            if 2 * sum(u[2] for u in found) < len(found)
            for start, end, modifier in found
            if not modifier
        ]

    def common_noun_word(self, word: str, tag: str) -> bool:
        """A common noun that a Latin word before it modifies (框架, 案, 厂房), not a title, place
        or name suffix (NVIDIA执行长, AMD公司)."""
        return tag in MODIFIED_NOUN_TAGS and not (
            self.lexicon.is_title(word)
            or word in self.lexicon.places
            or self.lexicon.suffix_of(word, tag)
        )

    def find_partners(self, doc: Doc, text: str) -> list[tuple[int, int, str]]:
        """The items of `与A、B签署` (and 签订, 签约, 合作) and of `由A、B主办` (承办, 协办): the
        partners of an agreement and the hosts of an event are organisations. An item's own role
        before the next item is no part of its name (`由A指导、B主办`: A; words `host_role`)."""
        found = []
        for m in [*self.partners.finditer(text), *self.hosts.finditer(text)]:
            pos = m.start(1)
            for i, written in enumerate(m.group(1).split("、")):
                role = next((r for r in self.host_roles if written.endswith(r)), "")
                item = written[: len(written) - len(role)]
                for start, end, first in self.joined_known_name(pos, item, first=i == 0):
                    name = self.name_in(doc, start, end, first=first)
                    if name is not None:
                        found.append(name)
                pos += len(written) + 1
        return found

    def joined_known_name(self, pos: int, item: str, first: bool) -> list[tuple[int, int, bool]]:
        """A list item at `pos` as (start, end, first) pieces: two when a conjunction joins it to
        a name of the public lexicons (`现观及|中山大学`), else itself (`劳工及福利局`)."""
        for m in self.conjunction.finditer(item):
            if m.start() >= 2 and item[m.end() :] in self.known_names:
                cut = pos + m.start()
                return [(pos, cut, first), (pos + m.end(), pos + len(item), False)]
        return [(pos, pos + len(item), first)]

    def find_listed_companies(self, doc: Doc, text: str) -> list[tuple[int, int, str]]:
        """The items of `A、B、C等厂商` / `A与B等2家` / `企业有3家，分别是：A、B、C`: a list closed or
        announced by companies is a list of companies."""
        found = []
        for m in (m for pattern in self.company_lists for m in pattern.finditer(text)):
            pos, items = m.start(1), []
            for i, item in enumerate(self.list_separator.split(m.group(1))):
                items.append((pos, pos + len(item), i == 0))
                pos += len(item) + 1
            names = [self.name_in(doc, start, end, first) for start, end, first in items]
            if any(names):  # beside names, the other items are names too (绿园牧场、自然屋)
                names = [
                    name or self.name_in(doc, start, end, first, need_proper=False)
                    for name, (start, end, first) in zip(names, items)
                ]
            found += [name for name in names if name is not None]
        return found

    def name_in(
        self, doc: Doc, start: int, end: int, first: bool = True, need_proper: bool = True
    ) -> tuple[int, int, str] | None:
        """The ORG name that a list item holds, when one of its words is a proper noun or a rare
        word (`鲜馔`), not a description (`汽车企业`, `高校`); without `need_proper`, any item that
        does not end in a generic word. The first item of a list starts after its last word that
        cannot stand in a name (`本周发布|茂迅系统工程`); the others are whole."""
        span = doc.char_span(start, end, alignment_mode="contract")
        if span is None:
            return None
        words = list(span)
        if (
            first
        ):  # the name starts after the last word that cannot stand in one (APS组织由|东阿阿胶)
            cut = max(
                (
                    i + 1
                    for i, w in enumerate(words)
                    if w.tag_ in STOP_TAGS or w.text in self.generic_leads
                ),
                default=0,
            )
            words = words[cut:]
        if not words:
            return None
        text = span.text[words[0].idx - span.start_char :]
        if (
            not (2 <= len(text) <= 10)
            or text in self.lexicon.places
            or any(t in text for t in self.lexicon.titles)
            or self.place_count.fullmatch(words[-1].text)  # 粤港澳|三地: places, no body
        ):
            return None
        if (
            len(words) == 1
            and words[0].tag_ in NAME_TOKEN_TAGS
            and len(text) <= 3
            and self.lexicon.looks_like_name(text)
            and text not in self.lexicon.companies
        ):
            return None  # a person's name (王明、李华等): the people stage reads it
        if need_proper and not any(
            w.tag_ in PROPER_TAGS
            or self.freq.get(w.text, 0) < RARE_WORD_FREQ // 20
            or w.text in self.lexicon.companies
            for w in words
        ):
            return None
        if not need_proper and (
            self.lexicon.name_words.get(words[-1].text) in ("nohead", "stop")
            or self.lexicon.suffix_of(words[-1].text, words[-1].tag_)
        ):
            return None  # 汽车企业: a description; 某某公司 would have been a name already
        return words[0].idx, end, "ORG"

    def find_sources(self, text: str) -> list[tuple[int, int, str]]:
        """The outlet of a dateline or byline at the head of a line in the article's first lines
        (`央视网消息（新闻联播）：`, `新华社北京3月1日电`, `本报讯`, `21世纪经济报道记者杨坪`) and
        of a source label anywhere (`来源：要闻快递`; not a common word, `来源：网络`): the
        outlet and the programme in brackets are organisations; a place written after the
        outlet is not part of it."""
        found = []
        head_end = 0
        for _ in range(SOURCE_LINES):
            head_end = text.find("\n", head_end + 1)
            if head_end < 0:
                head_end = len(text)
                break
        for m in [
            *self.dateline.finditer(text, 0, head_end),
            *self.byline.finditer(text, 0, head_end),
            *self.source_label.finditer(text),
        ]:
            for group in (1, 2):
                start, end = m.span(group)
                if start < 0 or end == start:
                    continue
                name = text[start:end]
                if m.re is self.source_label and self.dictionary_tags.get(name, "x") not in (
                    PROPER_TAGS | LOOSE_PROPER_TAGS
                ):
                    continue  # 来源：网络, 来源：综合: a common word names no outlet
                place = next(
                    (name[i:] for i in range(1, len(name) - 1) if name[i:] in self.lexicon.places),
                    "",
                )
                end -= len(place)
                if end - start >= 2 and text[start:end] not in self.generic_references:
                    found.append((start, end, "ORG"))
        return found

    def find_latin_persons(self, text: str) -> list[tuple[int, int, str]]:
        """PERSON names in Latin script (two to four capitalised words, `latin_person`) where the
        text marks them as a person's: right after a title (`主席Colin Willcock`), after a Latin
        honorific (`领事Mr. Yos Sokhemrin`, `HE Lim Lork Piseth`), or in brackets after a Chinese
        honorific (`法特先生（Eric Falt）`), and up to a name end (`致词`, `与`, punctuation).
        Elsewhere such words name companies and products."""
        found = []
        for m in self.latin_person.finditer(text):
            if any(word in self.lexicon.latin_terms for word in m.group(1).split()):
                continue
            if HAN_CHAR.match(text, m.end(1)) and not self.name_end_re.match(text, m.end(1)):
                continue  # 顾问Scale Partners势乘资本: a company's Latin name before its Chinese one
            # what stands before the name, read at offsets (no copy of the text before it)
            honorific = self.latin_honorific.search(
                text, max(0, m.start(1) - MAX_LATIN_HONORIFIC), m.start(1)
            )
            before = honorific.start() if honorific else m.start(1)
            bracketed = (
                before > 0
                and text[before - 1] in OPENING_BRACKETS
                and text[m.end(1) : m.end(1) + 1] in CLOSING_BRACKETS
                and text.endswith(self.honorifics, 0, before - 1)
            )
            titled = before
            while titled > 0 and text[titled - 1] == " ":
                titled -= 1
            if honorific or bracketed or text.endswith(self.title_starts, 0, titled):
                found.append((m.start(1), m.end(1), "PERSON"))
        return found

    def find_titled_names(self, doc: Doc, text: str) -> list[tuple[int, int, str]]:
        """PERSON names written next to a title.

        - A surname and one or two characters after a title (a colon between them for bylines),
          up to a word that cannot be part of a name (`副市长赵卿惠于`, `立委陈亭妃办公室`,
          `发稿人：何帆`); not when a title starts inside the name (`司长任主席`) or its given
          name is a common word (`代表时强调`).
        - A word jieba reads as a person's name (nr) or does not know (x), of two or three
          characters starting with a surname, right after a title word of titles.txt (`馆长高政会面`;
          not after the public titles: `农民|管起`) or right before one (`习近平主席`, `苏慧贞校长`).
        - A full name and an honorific on a line of their own (a press contact: `黄婷溶 小姐`).
        A surname before an honorific (`曾小姐`, `王先生`) is no PERSON (gold/GUIDELINES.md).
        """
        found = []
        texts, tags = words_of(doc)
        starts = word_starts(texts)
        tag_at = {(a, a + len(t)): tag for a, t, tag in zip(starts, texts, tags)}
        lex = self.lexicon
        for m in self.titled_name.finditer(text):
            name = m.group(1)
            given = 2 if name[:2] in lex.surnames and len(name) >= 3 else 1
            if (
                self.freq.get(name, 0) < RARE_WORD_FREQ // 100
                and self.freq.get(name[:2], 0) < RARE_WORD_FREQ
                and not self.function_chars & set(name[1:])
                and tag_at.get((m.start(1), m.start(1) + 1)) not in VERB_TAGS
                and tag_at.get((m.start(1) + given, m.end(1))) not in VERB_TAGS
                and not any(
                    text.startswith(self.title_starts, m.start(1) + k) for k in range(1, len(name))
                )
                and not any(
                    text.startswith(self.honorifics, m.start(1) + k) for k in range(1, len(name))
                )
            ):
                found.append((m.start(1), m.end(1), "PERSON"))  # not 包含, 强调, 曾于前, 任主席
        for m in self.honorific_line.finditer(text):
            if m.end(1) - m.start(1) >= 3 or lex.looks_like_name(m.group(1)):
                found.append((m.start(1), m.end(1), "PERSON"))  # 黄婷溶 小姐 (not 曾小姐)
        taken = {i for s, e, _ in found for i in range(s, e)}
        n = len(texts)
        is_title = lex.is_title
        for i, (name, tag) in enumerate(zip(texts, tags)):
            if not (2 <= len(name) <= 3 and tag in NAME_TOKEN_TAGS and starts[i] not in taken):
                continue
            j = i  # the name's first token
            if (
                len(name) == 2
                and i
                and len(texts[i - 1]) == 1
                and texts[i - 1] in lex.surnames
                and tags[i - 1] in NAME_TOKEN_TAGS
            ):
                j = i - 1  # 周|黎明
            before = texts[j - 1] if j else ""
            after = i + 1 if i + 1 < n else None
            title_next = after is not None and is_title(texts[after])
            if not (is_title(before) or title_next):
                continue  # no title next to it: the cheap test first
            if not HAN_NAME.match(name):
                continue
            if not lex.looks_like_name(name):
                # a foreign name jieba does not know, after a title and before punctuation (外相岩屋毅。)
                if not (
                    tag == "x"
                    and is_title(before)
                    and (after is None or PUNCTUATION.match(texts[after]))
                ):
                    continue
            if any(
                is_title(name[a:b]) for a in range(len(name)) for b in range(a + 2, len(name) + 1)
            ) or self.word_tags.get(name[-1], "").startswith("u"):
                continue  # 顾问团 holds a title, 明智地 ends in a particle
            if (
                name in lex.places
                or name in self.all_titles
                or lex.suffix_of(name, tag)
                or self.freq.get(name, 0) >= RARE_WORD_FREQ // 10
            ):
                continue  # jieba tags common words as names too (施政, 关怀, 荣誉)
            # the name ends here: no unknown word or lone character of a name follows (局长陈浩|濂, 市长黄伟|哲今)
            ends = (
                after is None
                or bool(self.name_end_re.match(text, starts[after]))
                or not (tags[after] in NAME_PART_TAGS and HAN_CHAR.search(texts[after]))
            )
            # not when the title goes with a name or surname before it (黄市长|施政, 郑长善市长|曾任)
            owner = j - 2 if j > 1 else None
            title_before = (
                ends
                and is_title(before)
                and not (
                    owner is not None
                    and (
                        texts[owner] in lex.surnames
                        or (
                            tags[owner] in NAME_TOKEN_TAGS
                            and HAN_NAME.match(texts[owner])
                            and (tags[owner] != "x" or lex.looks_like_name(texts[owner]))
                        )
                    )
                )
            )
            # a name before a title when the clause goes on after it (习近平主席指出, 苏慧贞校长也指出)
            follow = i + 2 if i + 2 < n else None
            # an unknown word only after a body's name (协会|蔡胜佳|理事长; not 光洋|应材|董事长)
            known_word = tag != "x" or (j > 0 and bool(lex.suffix_of(texts[j - 1], tags[j - 1])))
            title_after = (
                known_word
                and title_next
                and (
                    follow is None
                    or (
                        tags[follow] in CLAUSE_GOES_ON_TAGS
                        and not (tags[follow] == "x" and HAN_CHAR.search(texts[follow]))
                    )
                    or bool(self.name_end_re.match(text, starts[follow]))
                )
            )
            if title_before or title_after:
                found.append((starts[j], starts[i] + len(name), "PERSON"))
        return found

    def suffix_of(self, text: str, tag: str) -> tuple[str, str, str, bool] | None:
        """The name suffix a word ends with (`Lexicon.suffix_of`); a word that jieba's dictionary
        tags as an organisation and that ends like one is an organisation by itself (中国证监会/nt)."""
        suffix = self.lexicon.suffix_of(text, tag)
        if suffix is None and tag == "nt" and len(text) >= 4 and text[-1] in self.org_final_chars:
            suffix = (text[-1], "ORG", "other", False)
        return suffix

    def word_roles(self, text: str, tag: str) -> tuple:
        """What a word is wherever it stands: (title, suffix, name, name inside a NER or place
        span, proper, a place starting with a numeral); cached, as most words recur."""
        roles = self.role_cache.get((text, tag))
        if roles is not None:
            return roles
        lex = self.lexicon
        title = lex.is_title(text)
        suffix = None if title else self.suffix_of(text, tag)
        if (
            suffix
            and len(suffix[0]) == 1
            and len(text) > 1
            and self.freq.get(text[-2:], 0) >= COMMON_WORD_FREQ
        ):
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
        elif (
            tag in ("m", "mq")
            and self.numeral_start.match(text)
            and not self.numeric_word.fullmatch(text)
            and not (self.numeral_place_stop) & set(text[1:])
        ):
            name = name_in_span = numeral_place = (
                True  # a place that starts with a numeral: 七股, 六甲
            )
        else:
            punct = bool(PUNCT.match(text))
            numeric = tag not in ("m", "mq") and bool(
                self.numeric_word.fullmatch(text)
            )  # 两大/x, 四大/j
            name = not (title or tag in STOP_TAGS or punct or numeric)
            name_in_span = name or not (title or punct or numeric or tag in FUNCTION_TAGS)
        if role == "stop":
            suffix = None
        elif suffix:
            name = name_in_span = True
        proper = (
            (
                tag in PROPER_TAGS
                or (tag in LOOSE_PROPER_TAGS and self.freq.get(text, 0) < RARE_WORD_FREQ)
            )
            and not PUNCT.match(text)
            and text not in self.conjunctions
        )  # 「, 暨: no proper nouns
        if text in lex.companies and role != "stop" and not title:
            # a company or brand short name of the public list stands in a name whatever jieba's
            # tag (宏碁/v): the suffix grammar still decides whether a name is written
            name = name_in_span = proper = True
        if len(self.role_cache) >= ROLE_CACHE_SIZE:
            self.role_cache.clear()  # bounded: a long batch meets ever new words
        roles = self.role_cache[(text, tag)] = (
            title,
            suffix,
            name,
            name_in_span,
            proper,
            numeral_place,
        )
        return roles

    def set_token_attrs(self, doc: Doc) -> None:
        """Set the token roles (`_.zhie_*`, and their native copies) that the patterns test."""
        proper_chars: set[int] = set()
        lexicon_spans = [
            (s.start_char, s.end_char, s.label_) for s in doc.spans.get(LEXICON_KEY, [])
        ]
        for start, end, label in ner_candidates(doc) + lexicon_spans:
            if label != "PERSON":
                proper_chars.update(range(start, end))
        texts, tags = words_of(doc)
        columns = self.native_columns
        native = np.zeros((len(texts), len(columns)), np.uint64)
        strings = doc.vocab.strings
        roles = doc._.token_roles = {}
        for i, (idx, text, tag) in enumerate(zip(word_starts(texts), texts, tags)):
            title, suffix, name, name_in_span, proper, numeral_place = self.word_roles(text, tag)
            in_span = numeral_place or idx in proper_chars
            if in_span:
                name, proper = name_in_span, True
            # Only values other than the defaults are written: most tokens are no names.
            if not (title or suffix or name or proper):
                continue
            core = name and not suffix
            values = {
                "zhie_title": title,
                "zhie_suffix": suffix[1] if suffix else "",
                "zhie_name": name,
                "zhie_core": core,
                "zhie_common": core and not proper,
                "zhie_proper": proper,
            }
            values = roles[idx] = {attr: value for attr, value in values.items() if value}
            for attr, value in values.items():
                if attr in columns:
                    native[i, columns[attr]] = strings.add(role_value(value))
        # a dash or middle dot between a proper noun and a name joins them (中国—东盟博览会,
        # 香港‧全球人才高峰会); so does an ordinal between a proper noun of two or more
        # characters and a name word (罗马|第二|大学, 广州市|第一|人民医院; not 在华|第二|园区)
        starts = word_starts(texts)
        for i in range(1, len(texts) - 1):
            before, after = roles.get(starts[i - 1], {}), roles.get(starts[i + 1], {})
            if (
                self.name_separator.fullmatch(texts[i])
                and before.get("zhie_proper")
                and after.get("zhie_name")
                and not texts[i - 1].isdigit()
            ) or (
                self.ordinal.fullmatch(texts[i])
                and before.get("zhie_proper")
                and len(texts[i - 1]) > 1
                and after.get("zhie_name")
            ):
                values = roles[starts[i]] = {"zhie_name": True, "zhie_core": True}
                for attr, value in values.items():
                    if attr in columns:
                        native[i, columns[attr]] = strings.add(role_value(value))
        if columns and len(texts):
            lemma = (
                self.native_attr_names.index("LEMMA") if "LEMMA" in self.native_attr_names else None
            )
            if lemma is not None:
                unset = native[:, lemma] == 0
                native[unset, lemma] = strings.add(NO_LEMMA)
            doc.from_array(self.native_attr_ids, native)  # type: ignore[arg-type]

    def person_tokens(self, doc: Doc, people) -> set[int]:
        """Indices of the tokens of the model's PERSON spans and of the rules' people; not of a
        model's PERSON right before a company suffix word (雅瑞|资本, 李宁|公司): a company's name."""
        tokens: set[int] = set()
        for s, e, label in ner_candidates(doc):
            if label != "PERSON":
                continue
            span = doc.char_span(s, e, alignment_mode="expand")
            assert span is not None  # the offsets lie inside the text: "expand" finds their tokens
            if span.end < len(doc):
                after = doc[span.end]
                suffix = self.suffix_of(after.text, after.tag_)
                if suffix and suffix[0] == after.text and suffix[2] == "company":
                    continue
            tokens.update(t.i for t in span)
        for s, e, _ in people:
            span = doc.char_span(s, e, alignment_mode="expand")
            assert span is not None
            tokens.update(t.i for t in span)
        return tokens

    def trim(
        self,
        doc: Doc,
        span,
        persons: AbstractSet[int] = frozenset(),
        closed_ends: AbstractSet[int] = frozenset(),
    ):
        """The span without what cannot start a name; None when nothing is left."""
        before = self.suffix_of(span[-2].text, span[-2].tag_) if len(span) > 1 else None
        if before is not None and len(span[-1].text) == 1 and before[0].endswith(span[-1].text):
            # 理工学院|院|史馆: the character starts the next word
            span = Span(doc, span.start, span.end - 1, label=span.label_, span_id=span.id_)
        if (
            len(span) > 1
            and span.label_ == "PROJECT"
            and span.end < len(doc)
            and self.lexicon.is_title(doc[span.end].text)
        ):
            # 教科文组织|项目专员: the suffix word starts the title (项目经理); the name stands before
            inner = self.suffix_of(span[-2].text, span[-2].tag_)
            if inner is None:
                return None
            span = Span(doc, span.start, span.end - 1, label=inner[1], span_id=span.id_)
        suffix = self.suffix_of(span[-1].text, span[-1].tag_)
        start, end = span.start, span.end
        places = self.lexicon.places
        if suffix and (suffix[2] == "company" or suffix[1] == "FAC"):
            # a country before a foreign company or park is its own place (泰国|伟华集团); national
            # bodies keep it (英国标准协会, 巴西商务部)
            countries = [
                t.i
                for t in span[:-1]
                if places.get(t.text) == "country"
                and not (t.i > span.start and doc[t.i - 1].text in OPENING_BRACKETS)
            ]  # 麒麟(中国)投资
            if countries:
                start = countries[-1] + 1
        elif (
            suffix
            and span[0].i + 1 < end - 1
            and places.get(span[0].text) == "country"
            and self.is_subnational(doc[span[0].i + 1].text)
        ):
            start += 1  # 日本|爱知县经济产业局: the body of a place within the country
        if span.label_ != "ORG":
            # a facility, project or event starts after the last word that stands in no name
            # (香港地标|维多利亚港, 落实好|中非合作论坛北京峰会) and after a road written before it
            # (国道三号|柳营交流道)
            closed = span.id_ in self.closed_ids
            inside = [
                i
                for i in range(start, end - 1)
                if (i + 1 in closed_ends and not closed)
                or doc[i].text in self.name_leads
                or (doc[i].text in self.function_chars and doc[i].text not in self.conjunctions)
                or (
                    len(doc[i].text) > 1
                    and doc[i].tag_ in VERB_LIKE_TAGS
                    and self.lexicon.name_words.get(doc[i].text) != "name"
                    and self.lexicon.is_outside_word(doc[i].text)
                )
            ]
            if (
                span.label_ == "FAC"
            ):  # a town before a venue is an address (上海市安亭镇|唐朝大酒店)
                inside += [
                    i
                    for i in range(start, end - 2)
                    if len(doc[i].text) > 2
                    and doc[i].text[-1] in self.town_levels
                    and (doc[i]._.zhie_proper or doc[i].text in self.lexicon.places)
                ]
            if inside and self.names_something(doc, max(inside) + 1, end):
                start = max(inside) + 1
        else:
            # an organisation starts after a description written before it, a word the public
            # corpora (almost) never have inside a name (国际啤酒巨头|百威英博啤酒集团) or a noun
            # that describes a company (独家供应商|富士康科技集团)
            inside = [
                i
                for i in range(start, end - 2)
                if len(doc[i].text) > 1
                and self.lexicon.name_words.get(doc[i].text) != "name"
                and (
                    self.lexicon.is_outside_word(doc[i].text)
                    or doc[i].text.endswith(self.apposition_heads)
                )
            ]
            # only where a word that is a proper noun by itself (not as part of a model's span)
            # stands between it and the suffix (not 智慧|发展中心), and no bracket (公约（UNFCCC）秘书处)
            rest = list(doc[max(inside) + 1 : end - 1]) if inside else []
            if any(
                self.word_roles(t.text, t.tag_)[4] or t.text in self.lexicon.places for t in rest
            ) and not any(PUNCT.match(t.text) for t in rest):
                start = max(inside) + 1
        while start < end - 1 and (
            start in persons
            or doc[start].text in self.generic_leads
            or doc[start].text.isspace()
            or self.name_separator.fullmatch(doc[start].text)
            or (
                span.label_ == "ORG" and doc[start].text.isdigit() and start < end - 2
            )  # 3901274|研考会
            or doc[start].text in ("(", "（")
            or (len(doc[start].text) == 1 and doc[start].text in self.function_chars)
            or (span.label_ != "ORG" and doc[start].text in self.admin_levels)  # 县|农村饮水…项目
            or (
                self.starts_outside(doc, start, end)
                if span.label_ == "ORG"
                else self.leads_into_name(doc, start, end)
            )
        ):
            start += 1
        if (
            end - start > 1
            and doc[end - 1].text in self.internal_organs
            and end < len(doc)
            and self.lexicon.is_title(doc[end].text)
        ):
            end -= (
                1  # 金叶集团|董事局主席: the board belongs to the title, the name is the company's
            )
        first = doc[start]
        cut = 0
        while (
            cut < len(first.text) - 1
            and first.text[cut] in self.function_chars
            and first.tag_ == "x"
        ):
            cut += 1
        if cut:
            return doc.char_span(
                first.idx + cut,
                doc[end - 1].idx + len(doc[end - 1].text),
                label=span.label_,
                span_id=span.id_,
            )
        return Span(doc, start, end, label=span.label_, span_id=span.id_)

    def is_subnational(self, word: str) -> bool:
        """A province, city or district (of the lexicon, or by its administrative suffix: 爱知县)."""
        level = self.lexicon.places.get(word)
        return level not in (None, "country") or (
            level is None and bool(self.admin_suffix.search(word))
        )

    def starts_outside(self, doc: Doc, start: int, end: int) -> bool:
        """Whether the token at `start` stands outside the name (`Lexicon.starts_outside`)."""
        following = doc[start + 1].text if start + 1 < end - 1 else None
        return self.lexicon.starts_outside(doc[start].text, doc[start].tag_, following)

    def joins_two_names(self, span) -> bool:
        """Whether a conjunction inside the span joins a name to another (`甲公司与乙集团`,
        `日本与韩国企业协会`, `TCL与宏齐科技`) rather than two common nouns of one name
        (`劳工及福利局`): the words before it hold a suffix or a proper noun (a place prefix of the
        whole name aside), or a place or person stands next to it."""
        places = self.lexicon.places
        for token in span[1:-1]:
            if token.text not in self.conjunctions:
                continue
            doc = span.doc
            # the words of the unit before the conjunction: after the last suffix (中国科学院|青岛生物
            # 能源与过程研究所) and a place that starts them (香港|财经事务及库务局)
            unit = span.start
            for t in doc[span.start : token.i]:
                if self.suffix_of(t.text, t.tag_):
                    unit = t.i + 1
            while unit < token.i and (
                doc[unit].text in places or doc[unit].text in self.admin_levels
            ):
                unit += 1  # 青岛|市|工业和信息化局
            left = doc[unit : token.i]
            if (
                not left
                or any(t._.zhie_proper for t in left)
                or self.suffix_of(doc[token.i - 1].text, doc[token.i - 1].tag_)
                or doc[token.i - 1].text in places
                or doc[token.i - 1].tag_ in ("nr", "nrfg", "nrt")
                or doc[token.i + 1].text in places
                or doc[token.i + 1 : span.end].text in self.known_names  # 现观及|中山大学
            ):
                return True
        return False

    def names_something(self, doc: Doc, start: int, end: int) -> bool:
        """Whether the tokens [start, end) still hold a proper noun: a word before a suffix is cut
        off only then (建设|沙仑绿能科学城, but 数字中国建设峰会 stays whole)."""
        return any(t._.zhie_proper or self.word_roles(t.text, t.tag_)[4] for t in doc[start:end])

    def leads_into_name(self, doc: Doc, start: int, end: int) -> bool:
        """Whether the token at `start` stands before a facility, project or event rather than in
        its name: a verb, adverb or adjective the public corpora (almost) never have inside names
        (建设|沙仑绿能科学城, 好|中非合作论坛), or a word they seldom have before a place (距离|台南高铁站).
        Nouns that they rarely have inside organisations (论坛, 检验, 智慧) stay: they are common
        inside the names of events and facilities."""
        token = doc[start]
        if not self.lexicon.is_outside_word(token.text, loose=True):
            return False
        if start + 1 < end - 1 and doc[start + 1].text in self.lexicon.places:
            return True
        return self.lexicon.is_outside_word(token.text) and (
            token.tag_ in VERB_LIKE_TAGS or token.tag_ == "vn" or len(token.text) == 1
        )

    def is_named(self, span, park_shorts: AbstractSet[str] = frozenset()) -> bool:
        """Whether a rule span names something rather than describing it (`新能源汽车科技集团`).

        The body before the suffix must be two characters or more, and, for the suffixes
        marked `proper` (companies, facilities, 政府…), hold a proper noun, an unknown word,
        a NER span (or, for events, an edition year); 经济发展局 needs none.
        """
        last = span[-1]
        suffix = self.suffix_of(last.text, last.tag_)
        if suffix is None and len(span) > 2 and self.phase.fullmatch(last.text):
            return self.is_named(span[:-1], park_shorts)  # 柳营科技园区|三期
        if span.id_ in self.closed_ids:
            return True  # a pattern without a suffix (台17线, 国道三号) names what it matches
        if suffix is None:
            return span.label_ in ("ORG", "EVENT") and span.text[:1].isascii()  # Latin names
        if (
            span.label_ == "ORG" and self.joins_two_names(span)
        ) or span.text in self.internal_organs:
            return False  # two names; a board alone (董事局) is no name of its own
        if span.id_ == CORE_AND_SUFFIXED and last.text == suffix[0]:
            return (
                False  # 营商环境及|公司: nouns joined to a bare kind word (not 财经事务及|库务局)
            )
        body_chars = len(span.text) - len(suffix[0])
        # 工研院 (one word); 国|研院: one character, not a determiner, before a whole suffix word
        abbreviation = len(suffix[0]) >= 2 and (
            (len(span) == 1 and last.tag_ in ("j", "x"))
            or (
                len(span) == 2
                and len(span[0].text) == 1
                and last.text == suffix[0]
                and suffix[1] == "ORG"
                and not suffix[3]
                and span[0].text not in self.non_heads
            )
        )
        if body_chars < (1 if abbreviation else 2):
            return False
        if not suffix[3]:
            return True
        body = list(span[:-1])
        if len(last.text) > len(suffix[0]) and (
            len(span) > 1
            or last.tag_ in PROPER_TAGS
            or (span.label_ != "ORG" and self.word_roles(last.text, last.tag_)[4])
        ):
            # a word of jieba's dictionary names no organisation by itself (上市公司/nt, 特区政府/nt);
            # a rare one names a facility (坦赞铁路/nz)
            body.append(last)
        if self.places is not None and self.places.match(span.text):
            return True  # 青岛大学
        if span.label_ == "EVENT" and any(t.text in QUOTE_OPENERS for t in span[:-1]):
            return True  # 《智慧城市 创新未来》产业论坛: the quoted title names it
        if span.label_ == "EVENT" and (
            (span[0].text in self.event_scope and len(span) > 2)
            or self.event_edition.fullmatch(span[0].text)
        ):
            return True  # 国际人才论坛 (not 国际展会), 第五届…: a conference's scope or edition names it
        if span.label_ == "FAC" and len(span) > 1 and span[-2].text in self.descriptions:
            return False  # 智慧化新厂, 研发新基地: a new plant or base, described
        if span.label_ == "FAC":
            return any(
                t._.zhie_proper
                and not self.weak_proper(t, t.i + 1 < last.i or len(last.text) > 2, park_shorts)
                for t in body
            )
        return any(t._.zhie_proper or (span.label_ == "EVENT" and t.like_num) for t in body)

    def weak_proper(
        self, token, described: bool = True, park_shorts: AbstractSet[str] = frozenset()
    ) -> bool:
        """A word that makes no facility's name by itself: a technology's acronym (AI, LED), a
        common abbreviation (研发, 环保) or, `described` by more words before the suffix, a
        two-character word jieba does not know (绿能|产业基地, 零碳|产业园区: coined terms; 贵安|新区,
        before a short suffix, is a name)."""
        if token.tag_ == "eng":
            return token.text in self.lexicon.latin_terms
        if token.tag_ == "j" and self.freq.get(token.text, 0) >= RARE_WORD_FREQ:
            return True  # 研发, 环保: common abbreviations, no names
        return (
            described
            and token.tag_ == "x"
            and len(token.text) == 2
            and token.text not in self.lexicon.places
            and token.text not in self.lexicon.facilities
            and token.text not in park_shorts
        )

    def __call__(self, doc: Doc) -> Doc:
        doc = self.split_suffix_titles(self.split_function_chars(doc))
        text = text_of(doc)
        doc = split_tokens_at(doc, self.model_cuts(doc, text))
        texts, _ = words_of(doc)
        positions = word_starts(texts)
        starts = set(positions)
        ends = {a + len(t) for a, t in zip(positions, texts)}
        places = (
            self.find_places(doc, text, starts, ends)
            + self.find_latin_names(doc, text)
            + self.find_org_words(texts, positions)
        )
        extra = (
            self.find_titled_names(doc, text)
            + self.find_latin_persons(text)
            + self.find_quoted_names(doc, text)
            + self.find_facilities(doc, text, starts)
            + self.find_partners(doc, text)
            + self.find_listed_companies(doc, text)
            + self.find_event_abbreviations(doc, text)
            + self.find_sources(text)
        )
        extra += self.find_greater_places(places, text, starts)
        people = [c for c in extra if c[2] == "PERSON"]
        doc = split_tokens_at(doc, [p for s, e, _ in places + extra for p in (s, e)])
        lexicon_spans: list[Span] = []
        for s, e, label in places:
            place = doc.char_span(s, e, label=label)
            assert place is not None  # the tokens were split at the ends of every place above
            lexicon_spans.append(place)
        doc.spans[LEXICON_KEY] = lexicon_spans
        self.set_token_attrs(doc)
        doc = self.ruler(doc)
        if self.native_roles and len(doc):
            cleared = np.zeros((len(doc), len(self.native_attr_ids)), np.uint64)
            doc.from_array(self.native_attr_ids, cleared)  # type: ignore[arg-type]
        kept = []
        persons = self.person_tokens(doc, people)
        closed_ends = {span.end for span in doc.spans[RULES_KEY] if span.id_ in self.closed_ids}
        # the article's science parks give short forms that are names (柳营科技园区 -> 柳科三期园区)
        park_shorts = {
            self.park_forms(s.text) for s in doc.spans[RULES_KEY] if s.label_ == "FAC"
        } - {""}
        described_ends = set()
        for span in doc.spans[RULES_KEY]:
            if span.end in described_ends:
                continue  # 一座全新之再生能源|环保焚化厂: a shorter piece of a described facility
            trimmed = self.trim(doc, span, persons, closed_ends)
            if (
                trimmed is not None
                and trimmed.label_ in ("FAC", "PROJECT")
                and self.described_before.search(doc_text_before(trimmed, 8))
            ):
                described_ends.add(trimmed.end)
                continue
            if trimmed is not None and self.is_named(trimmed, park_shorts):
                kept.append(self.relabel_by_text(doc, trimmed))
        kept = self.relabel_works(doc, text, [with_latin_words(doc, span) for span in kept])
        extra += self.find_project_lists(doc, text, kept, persons)
        kept.extend(
            span
            for span in (doc.char_span(s, e, label=label) for s, e, label in extra)
            if span is not None
        )
        doc.spans[RULES_KEY] = self.event_bodies(doc, text, self.joined_events(doc, kept))
        return doc
