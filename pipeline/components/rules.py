"""Rule stage: lexicons and spaCy patterns from the files in `rules/`.

Files (see rules/README.md):
- `*.jsonl`: SpanRuler patterns, one `{"label", "pattern", "id"}` object per line; token
  patterns may use the token attributes below.
- `suffixes.tsv` (suffix, label, kind), `titles.txt`, `name_words.tsv` (word, name|stop),
  `places.txt`: lexicons that set the token attributes and find places.

Token attributes set here for the patterns: `_.zhie_suffix` (label of the name suffix the
token ends with, or ""), `_.zhie_name` (may stand inside a name), `_.zhie_core` (inside a
name and not itself a suffix), `_.zhie_title` (a title word), `_.zhie_proper` (a proper
noun, an unknown word or part of a NER span).
Every file is validated on load; a problem raises RuleFileError naming file and line.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from spacy.errors import MatchPatternError
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline.span_ruler import SpanRuler
from spacy.tokens import Doc

from pipeline import extensions
from pipeline.resources import resolve_path
from pipeline.spans import split_tokens_at

RULES_KEY = "rules"
LEXICON_KEY = "lexicon"
LABELS = {"PERSON", "ORG", "GPE", "FAC", "PROJECT", "EVENT", "TITLE"}
KINDS = {"government", "company", "education", "research", "association", "media", "other", "-"}
PATTERN_KEYS = {"label", "pattern", "id"}
# Parts of speech (jieba's tag set) that never stand inside a name.
STOP_TAGS = {"p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "r", "rr", "rz", "d", "df", "dg", "ad",
             "t", "tg", "m", "mq", "q", "y", "e", "o", "w", "_SP", "v", "vd", "vi", "vg", "z", "l", "i"}
PROPER_TAGS = {"ns", "nr", "nrt", "nrfg", "nt", "nz", "x", "eng", "j"}
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
    """The word lists of `rules/`: suffixes with label and kind, titles, name words, places."""

    suffixes: dict[str, tuple[str, str]] = field(default_factory=dict)
    titles: set[str] = field(default_factory=set)
    name_words: dict[str, str] = field(default_factory=dict)
    places: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, rules_dir: Path) -> Lexicon:
        lex = cls()
        path = rules_dir / "suffixes.tsv"
        for number, (suffix, label, kind) in read_columns(path, 3):
            if label not in LABELS or kind not in KINDS:
                raise RuleFileError(f"{path}:{number}: unknown label {label!r} or kind {kind!r}")
            lex.suffixes[suffix] = (label, kind)
        lex.titles = {line for _, line in data_lines(rules_dir / "titles.txt")}
        path = rules_dir / "name_words.tsv"
        for number, (word, role) in read_columns(path, 2):
            if role not in ("name", "stop"):
                raise RuleFileError(f"{path}:{number}: role must be name or stop, got {role!r}")
            lex.name_words[word] = role
        lex.places = {line for _, line in data_lines(rules_dir / "places.txt")}
        return lex

    def suffix_of(self, word: str, tag: str) -> tuple[str, str, str] | None:
        """(suffix, label, kind) of the longest suffix `word` ends with, or None.

        A one-character suffix counts only as the whole token or at the end of an unknown
        word or abbreviation (`经发局`), not inside common words (`全部`, `社会`).
        """
        for size in range(min(len(word), 6), 0, -1):
            suffix = word[-size:]
            if suffix in self.suffixes:
                if size == 1 and len(word) > 1 and tag not in ("x", "j", "nt"):
                    continue
                return (suffix, *self.suffixes[suffix])
        return None

    def is_title(self, word: str) -> bool:
        """A title word, also with a prefix such as 副 or 总 (`副秘书长`)."""
        if word in self.titles:
            return True
        return any(word.startswith(p) and word[len(p):] in self.titles for p in TITLE_PREFIXES)


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


def rule_files(rules_dir: Path) -> list[Path]:
    return sorted(rules_dir.glob("*.jsonl"))


def place_regex(places: set[str]) -> re.Pattern | None:
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
        self.places = place_regex(self.lexicon.places)
        self.ruler = SpanRuler(nlp, name=name, spans_key=RULES_KEY, overwrite=True)
        for path in rule_files(rules_dir):
            self.ruler.add_patterns(load_patterns(path, nlp.vocab))

    def find_places(self, doc: Doc) -> list[tuple[int, int, str]]:
        if self.places is None:
            return []
        return [(m.start(), m.end(), "GPE") for m in self.places.finditer(doc.text)]

    def set_token_attrs(self, doc: Doc) -> None:
        proper_chars = set()
        for key in ("ner", LEXICON_KEY):
            for span in doc.spans.get(key, []):
                if span.label_ != "PERSON":
                    proper_chars.update(range(span.start_char, span.end_char))
        person_tokens = {t.i for s in doc.spans.get("ner", []) if s.label_ == "PERSON" for t in s}
        lex = self.lexicon
        for token in doc:
            text, tag = token.text, token.tag_
            title = lex.is_title(text)
            suffix = None if title else lex.suffix_of(text, tag)
            role = lex.name_words.get(text)
            if role:
                name = role == "name"
            else:
                name = not (title or tag in STOP_TAGS or PUNCT.match(text) or token.i in person_tokens)
            if suffix and role != "stop":
                name = True
            token._.zhie_title = title
            token._.zhie_suffix = suffix[1] if suffix else ""
            token._.zhie_name = name
            token._.zhie_core = name and not suffix
            token._.zhie_proper = tag in PROPER_TAGS or token.idx in proper_chars

    def __call__(self, doc: Doc) -> Doc:
        places = self.find_places(doc)
        split_tokens_at(doc, [p for s, e, _ in places for p in (s, e)])
        doc.spans[LEXICON_KEY] = [doc.char_span(s, e, label=label) for s, e, label in places]
        self.set_token_attrs(doc)
        return self.ruler(doc)
