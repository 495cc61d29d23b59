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
from zhie.nlp.components.ner import ner_candidates
from zhie.nlp.lexicon import LABELS, Lexicon, RuleFileError, data_lines, load_lexicon
from zhie.resources import resolve_path
from zhie.nlp.spans import split_tokens_at, text_of, word_starts, words_of

RULES_KEY = "rules"
ROLE_CACHE_SIZE = 100_000
LEXICON_KEY = "lexicon"
# Parts of speech that stay out of a name even inside a model's span (由, 与, 的, 是).
FUNCTION_TAGS = {"p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "v", "r"}
LATIN_NAME = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Za-z]{1,11}(?![A-Za-z0-9])")
LATIN_WORD_BEFORE = re.compile(r"[A-Za-z]+ $")
LATIN_WORD_AFTER = re.compile(r" [A-Za-z]")
QUOTED_NAME = re.compile(r"[「『《“]([^「」『』《》“”\n]{2,40})[」』》”]")
PATTERN_KEYS = {"label", "pattern", "id"}
# Parts of speech (jieba's tag set) that never stand inside a name.
STOP_TAGS = {"p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "r", "rr", "rz", "d", "df", "dg", "ad",
             "t", "tg", "m", "mq", "q", "y", "e", "o", "w", "_SP", "v", "vd", "vi", "vg", "z", "i", "f"}
# jieba's ns/nt/nz tags are too loose to tell a name (城市/ns, 中南部/nt): places and
# organisations count as proper through the place lexicon and the NER spans instead.
PROPER_TAGS = {"x", "eng", "j", "zg", "g"}
# ...unless the word is rare: a rare ns/nt/nz/nr word is a name (中联, 永华, 临港), a common one
# a description (城市, 新兴产业, 智慧).
LOOSE_PROPER_TAGS = {"ns", "nt", "nz", "nr", "nrt", "nrfg"}
RARE_WORD_FREQ = 1000
COMMON_WORD_FREQ = 100
PUNCT = re.compile(r"^[\W_]+$")
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


class WordMatch:
    """A match of `WordList.finditer`, with the methods of a regex match that the rules use."""

    __slots__ = ("_start", "_end", "_text")

    def __init__(self, start: int, end: int, text: str):
        self._start, self._end, self._text = start, end, text

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self, index: int = 0) -> str:
        return self._text


class WordList:
    """Finds the words of a list in a text as a regex alternation of them, longest first, would
    (leftmost, then longest, not overlapping), but by set look-ups: tens of thousands of places
    make a regex slow to compile and to run."""

    def __init__(self, words):
        self.words = frozenset(words)
        self.sizes = sorted({len(w) for w in self.words}, reverse=True)
        self.first = frozenset(w[0] for w in self.words)

    def finditer(self, text: str):
        i, n = 0, len(text)
        words, sizes, first = self.words, self.sizes, self.first
        while i < n:
            if text[i] in first:
                for size in sizes:
                    if i + size <= n and text[i:i + size] in words:
                        yield WordMatch(i, i + size, text[i:i + size])
                        i += size
                        break
                else:
                    i += 1
            else:
                i += 1

    def match(self, text: str) -> WordMatch | None:
        """The longest word that `text` starts with, or None."""
        for size in self.sizes:
            if text[:size] in self.words and size <= len(text):
                return WordMatch(0, size, text[:size])
        return None


def place_regex(places) -> WordList | None:
    if not places:
        return None
    return WordList(places)


@Language.factory("zhie_rules", assigns=["doc.spans"], requires=["doc.spans"],
                  default_config={"rules_dir": "rules:"})
def create_rules(nlp: Language, name: str, rules_dir: str):
    """The rule component; `rules_dir` holds the rule files (`rules:` = the packaged ones)."""
    return RuleComponent(nlp, resolve_path(rules_dir), name)


class RuleComponent:
    def __init__(self, nlp: Language, rules_dir: Path, name: str = "zhie_rules"):
        extensions.register()
        self.lexicon = lex = load_lexicon(rules_dir)
        self.function_chars = lex.chars("function_char")
        self.numeral_place_stop = self.function_chars | lex.chars("numeral_place_stop")
        self.non_heads = lex.chars("non_head_char") | self.function_chars
        self.admin_levels = lex.chars("admin_level")
        self.admin_suffix = lex.pattern("admin_suffix")
        self.generic_leads = set(lex.words("generic_government") + lex.words("generic_determiner")
                                 + lex.words("generic_company"))
        self.numeral_start = lex.pattern("numeral_start")
        self.numeric_word = lex.pattern("numeric_word")
        self.partners = lex.pattern("partners")
        self.hosts = lex.pattern("hosts")
        self.company_list = lex.pattern("company_list")
        self.plan_project = lex.pattern("plan_project")
        self.list_separator = lex.pattern("list_separator")
        jieba_tokenizer = getattr(nlp.tokenizer, "jieba", None)
        self.freq = jieba_tokenizer.FREQ if jieba_tokenizer is not None else {}
        self.word_tags = getattr(nlp.tokenizer, "tags", None) or {}
        self.places = place_regex(self.lexicon.places)
        self.facilities = place_regex(self.lexicon.facilities)
        surnames = "|".join(sorted(self.lexicon.surnames, key=len, reverse=True))
        self.all_titles = self.lexicon.titles | self.lexicon.public_titles
        # names after the titles of titles.txt (not the public ones: 司机|和乘客, 画家|相契)
        titles = "|".join(sorted(self.lexicon.titles, key=len, reverse=True))
        # title, optional colon (bylines: 发稿人：何帆), surname and one or two characters up to a name end
        self.titled_name = re.compile(rf"(?:{titles})[ 　]*[：:]?[ 　]*((?:{surnames})[\u4e00-\u9fff]{{1,2}}?)"
                                      rf"(?={lex.regex('name_end')})")
        self.title_starts = tuple(self.all_titles)
        self.name_end_re = lex.pattern("name_end")
        self.honorifics = tuple(lex.words("honorific"))
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
                                            or text[m.end():m.end() + 1] in self.admin_levels
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
        for start, end, label in (doc._.ner_cuts or []):
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
                if text[0] in self.function_chars:
                    cuts.append(start + 1)
                if text[-1] in self.function_chars:
                    cuts.append(start + len(text) - 1)
        if not cuts:
            return doc
        doc = split_tokens_at(doc, cuts)
        texts, tags = words_of(doc)
        for i, (text, tag) in enumerate(zip(texts, tags)):  # the split-off character is a preposition
            if len(text) == 1 and text in self.function_chars and tag == "x":
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
            elif self.plan_project.search(inner):
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
        for m in [*self.partners.finditer(text), *self.hosts.finditer(text)]:
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
        for m in self.company_list.finditer(text):
            pos, items = m.start(1), []
            for i, item in enumerate(self.list_separator.split(m.group(1))):
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
            cut = max((i + 1 for i, w in enumerate(words) if w.tag_ in STOP_TAGS or w.text in self.generic_leads), default=0)
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

    def find_titled_names(self, doc: Doc, text: str) -> list[tuple[int, int, str]]:
        """PERSON names written next to a title.

        - A surname and one or two characters after a title (a colon between them for bylines),
          up to a word that cannot be part of a name (`副市长赵卿惠于`, `立委陈亭妃办公室`,
          `发稿人：何帆`); not when a title starts inside the name (`司长任主席`) or its given
          name is a common word (`代表时强调`).
        - A word jieba reads as a person's name (nr) or does not know (x), of two or three
          characters starting with a surname, right after a title word of titles.txt (`馆长高政会面`;
          not after the public titles: `农民|管起`) or right before one (`习近平主席`, `苏慧贞校长`).
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
            if self.freq.get(name, 0) < RARE_WORD_FREQ // 100 and self.freq.get(name[:2], 0) < RARE_WORD_FREQ \
                    and not self.function_chars & set(name[1:]) and tag_at.get((m.start(1), m.start(1) + 1)) not in VERB_TAGS \
                    and tag_at.get((m.start(1) + given, m.end(1))) not in VERB_TAGS \
                    and not any(text.startswith(self.title_starts, m.start(1) + k) for k in range(1, len(name))) \
                    and not any(text.startswith(self.honorifics, m.start(1) + k) for k in range(1, len(name))):
                found.append((m.start(1), m.end(1), "PERSON"))  # not 包含, 强调, 曾于前, 任主席
        taken = {i for s, e, _ in found for i in range(s, e)}
        n = len(texts)
        is_title = lex.is_title
        for i, (name, tag) in enumerate(zip(texts, tags)):
            if not (2 <= len(name) <= 3 and tag in NAME_TOKEN_TAGS and starts[i] not in taken):
                continue
            j = i  # the name's first token
            if len(name) == 2 and i and len(texts[i - 1]) == 1 and texts[i - 1] in lex.surnames and tags[i - 1] in NAME_TOKEN_TAGS:
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
                if not (tag == "x" and is_title(before) and (after is None or PUNCTUATION.match(texts[after]))):
                    continue
            if any(is_title(name[a:b]) for a in range(len(name)) for b in range(a + 2, len(name) + 1)) \
                    or self.word_tags.get(name[-1], "").startswith("u"):
                continue  # 顾问团 holds a title, 明智地 ends in a particle
            if name in lex.places or name in self.all_titles or lex.suffix_of(name, tag) \
                    or self.freq.get(name, 0) >= RARE_WORD_FREQ // 10:
                continue  # jieba tags common words as names too (施政, 关怀, 荣誉)
            # the name ends here: no unknown word or lone character of a name follows (局长陈浩|濂, 市长黄伟|哲今)
            ends = after is None or bool(self.name_end_re.match(text, starts[after])) \
                or not (tags[after] in NAME_PART_TAGS and HAN_CHAR.search(texts[after]))
            # not when the title goes with a name or surname before it (黄市长|施政, 郑长善市长|曾任)
            owner = j - 2 if j > 1 else None
            title_before = ends and is_title(before) \
                and not (owner is not None and (texts[owner] in lex.surnames or (
                    tags[owner] in NAME_TOKEN_TAGS and HAN_NAME.match(texts[owner])
                    and (tags[owner] != "x" or lex.looks_like_name(texts[owner])))))
            # a name before a title when the clause goes on after it (习近平主席指出, 苏慧贞校长也指出)
            follow = i + 2 if i + 2 < n else None
            # an unknown word only after a body's name (协会|蔡胜佳|理事长; not 光洋|应材|董事长)
            known_word = tag != "x" or (j > 0 and bool(lex.suffix_of(texts[j - 1], tags[j - 1])))
            title_after = known_word and title_next \
                and (follow is None or (tags[follow] in CLAUSE_GOES_ON_TAGS and not (tags[follow] == "x" and HAN_CHAR.search(texts[follow])))
                     or bool(self.name_end_re.match(text, starts[follow])))
            if title_before or title_after:
                found.append((starts[j], starts[i] + len(name), "PERSON"))
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
        elif tag in ("m", "mq") and self.numeral_start.match(text) and not self.numeric_word.fullmatch(text) \
                and not (self.numeral_place_stop) & set(text[1:]):
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
        places = self.lexicon.places
        if suffix and (suffix[2] == "company" or suffix[1] == "FAC"):
            # a country before a foreign company or park is its own place (泰国|伟华集团); national
            # bodies keep it (英国标准协会, 巴西商务部)
            countries = [t.i for t in span[:-1] if places.get(t.text) == "country"]
            if countries:
                start = countries[-1] + 1
        elif suffix and span[0].i + 1 < end - 1 and places.get(span[0].text) == "country" \
                and self.is_subnational(doc[span[0].i + 1].text):
            start += 1  # 日本|爱知县经济产业局: the body of a place within the country
        while start < end - 1 and (start in persons or doc[start].text in self.generic_leads or doc[start].text.isspace()
                                   or doc[start].text in ("(", "（")
                                   or (len(doc[start].text) == 1 and doc[start].text in self.function_chars)
                                   or (span.label_ == "ORG" and self.starts_outside(doc, start, end))):
            start += 1
        first = doc[start]
        cut = 0
        while cut < len(first.text) - 1 and first.text[cut] in self.function_chars and first.tag_ == "x":
            cut += 1
        if cut:
            return doc.char_span(first.idx + cut, span.end_char, label=span.label_)
        return Span(doc, start, end, label=span.label_)

    def is_subnational(self, word: str) -> bool:
        """A province, city or district (of the lexicon, or by its administrative suffix: 爱知县)."""
        level = self.lexicon.places.get(word)
        return level not in (None, "country") or (level is None and bool(self.admin_suffix.search(word)))

    def starts_outside(self, doc: Doc, start: int, end: int) -> bool:
        """Whether the token at `start` stands outside the name: a word the public corpora rarely
        have inside a name (落实, 支持), or one they seldom do before a place (嘉宾|巴西商务部)."""
        word = doc[start].text
        if self.lexicon.is_outside_word(word):
            return True
        return start + 1 < end - 1 and self.lexicon.is_outside_word(word, loose=True) \
            and doc[start + 1].text in self.lexicon.places

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
                and not suffix[3] and span[0].text not in self.non_heads))
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
        extra = (self.find_titled_names(doc, text) + self.find_quoted_names(doc, text) + self.find_facilities(doc, text, starts)
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
