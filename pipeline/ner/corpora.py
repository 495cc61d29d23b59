"""Readers for the public NER corpora used to train and score the character NER model.

Every reader yields :class:`Example` objects: the sentence text and its entity spans
``(start, end, label)`` with ``end`` exclusive and the label already mapped onto our
types (PERSON, ORG, GPE, TITLE) by :data:`LABEL_MAP`. Source labels that map to
``None`` are dropped (their characters count as outside any entity).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

# Source label -> our label. None = not one of our types (the span is dropped).
LABEL_MAP: dict[str, str | None] = {
    # our own labels (files written by write_bio)
    "PERSON": "PERSON",
    "GPE": "GPE",
    # MSRA / People's Daily
    "PER": "PERSON",
    "ORG": "ORG",
    "LOC": "GPE",
    # Resume NER
    "NAME": "PERSON",
    "CONT": "GPE",
    "TITLE": "TITLE",
    "RACE": None,
    "EDU": None,
    "PRO": None,
    # CLUENER2020
    "name": "PERSON",
    "company": "ORG",
    "government": "ORG",
    "organization": "ORG",
    "address": "GPE",
    "position": "TITLE",
    "book": None,
    "game": None,
    "movie": None,
    "scene": None,
    # Weibo NER (named mentions only; *.NOM are nominal mentions, never ours)
    "PER.NAM": "PERSON",
    "ORG.NAM": "ORG",
    "GPE.NAM": "GPE",
    "LOC.NAM": "GPE",
    "PER.NOM": None,
    "ORG.NOM": None,
    "GPE.NOM": None,
    "LOC.NOM": None,
}
# Our labels (names must stay free of "-", which separates prefix and type in tags)
LABELS = ("PERSON", "ORG", "GPE", "TITLE")

FORMATS = ("bio", "bmes", "cluener", "weibo")


@dataclass
class Example:
    """One sentence and its entity spans (start, end exclusive, mapped label)."""

    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    # Source labels of spans that were dropped by LABEL_MAP, kept so that callers can
    # decide to skip sentences whose unannotated text would teach wrong negatives.
    dropped: list[tuple[int, int, str]] = field(default_factory=list)


def map_spans(
    spans: Iterable[tuple[int, int, str]], label_map: dict[str, str | None] | None = None
) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    """Split raw spans into (mapped spans, dropped raw spans); unknown labels are dropped."""
    label_map = LABEL_MAP if label_map is None else label_map
    kept, dropped = [], []
    for start, end, raw in spans:
        label = label_map.get(raw)
        if label is None:
            dropped.append((start, end, raw))
        else:
            kept.append((start, end, label))
    return kept, dropped


def spans_from_tags(tags: list[str], scheme: str = "bio") -> list[tuple[int, int, str]]:
    """Decode BIO or BMES/BIOES tags into (start, end, type) spans; type = text after "-".

    Lenient like conlleval: an I-/M-/E- tag that does not continue an open entity of the
    same type starts a new one (orphan I-), and an entity ends at O, at B-/S-, at a type
    change, after E-/S- and at the end of the sequence.
    """
    if scheme not in ("bio", "bmes", "bioes"):
        raise ValueError(f"unknown tag scheme {scheme!r}")
    spans: list[tuple[int, int, str]] = []
    start, cur = 0, None  # the open entity's start and type (start is read only while cur is set)
    for i, tag in enumerate(tags):
        prefix, _, typ = tag.partition("-")
        if not typ or prefix == "O":
            if cur is not None:
                spans.append((start, i, cur))
            start, cur = 0, None
            continue
        if prefix in ("B", "S") or cur != typ:
            if cur is not None:
                spans.append((start, i, cur))
            start, cur = i, typ
        if prefix in ("E", "S") and scheme != "bio":
            spans.append((start, i + 1, cur))
            start, cur = 0, None
    if cur is not None:
        spans.append((start, len(tags), cur))
    return spans


def tags_from_spans(
    n: int, spans: Iterable[tuple[int, int, str]], scheme: str = "bio"
) -> list[str]:
    """Encode spans over a sequence of length n as BIO or BIOES tags (overlaps: first wins)."""
    tags = ["O"] * n
    for start, end, label in sorted(spans):
        if start >= end or any(t != "O" for t in tags[start:end]):
            continue
        if scheme == "bio":
            tags[start:end] = [f"B-{label}"] + [f"I-{label}"] * (end - start - 1)
        elif end - start == 1:
            tags[start] = f"S-{label}"
        else:
            tags[start:end] = [f"B-{label}"] + [f"I-{label}"] * (end - start - 2) + [f"E-{label}"]
    return tags


def _char_tag_blocks(path: Path, sep: str) -> Iterator[tuple[list[str], list[str]]]:
    """Yield (chars, tags) per blank-line separated block of `token<sep>tag` lines."""
    chars: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8-sig") as fh:
        for line in fh:
            line = line.rstrip("\r\n")
            if not line.strip():
                if chars:
                    yield chars, tags
                chars, tags = [], []
                continue
            token, _, tag = line.rpartition(sep)  # from the right: the char may be a space
            chars.append(token)
            tags.append(tag.strip() or "O")  # MSRA has 57 lines with an empty tag = O
    if chars:
        yield chars, tags


def _from_tags(chars: list[str], tags: list[str], scheme: str) -> Example:
    raw = spans_from_tags(tags, scheme)
    kept, dropped = map_spans(raw)
    return Example("".join(chars), kept, dropped)


def read_bio(path: Path) -> Iterator[Example]:
    """MSRA style: `char<TAB>tag` (or space), BIO tags, blank line between sentences."""
    for chars, tags in _char_tag_blocks(path, _first_sep(path)):
        yield _from_tags(chars, tags, "bio")


def read_bmes(path: Path) -> Iterator[Example]:
    """Resume NER: `char<SPACE>tag`, BMES tags.

    A sentence that ends inside an entity (open B-/M-) is merged with the next one, which
    repairs the two ORG entities that Resume train cuts at a sentence break.
    """
    pending_chars: list[str] = []
    pending_tags: list[str] = []
    for chars, tags in _char_tag_blocks(path, _first_sep(path)):
        pending_chars += chars
        pending_tags += tags
        if pending_tags[-1].startswith(("B-", "M-")):
            continue
        yield _from_tags(pending_chars, pending_tags, "bmes")
        pending_chars, pending_tags = [], []
    if pending_chars:
        yield _from_tags(pending_chars, pending_tags, "bmes")


def read_weibo(path: Path) -> Iterator[Example]:
    """Weibo NER: `char+position digits<TAB>tag`, BIO; the character is token[0]."""
    for tokens, tags in _char_tag_blocks(path, "\t"):
        yield _from_tags([t[0] for t in tokens], tags, "bio")


def read_cluener(path: Path, label_map: dict[str, str | None] | None = None) -> Iterator[Example]:
    """CLUENER2020 JSON lines: `label -> {entity -> [[start, end_inclusive], ...]}`.

    label_map: replaces LABEL_MAP (e.g. with ``organization`` mapped to None).
    """
    with open(path, encoding="utf-8-sig") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            raw = [
                (start, end + 1, label)
                for label, entities in (row.get("label") or {}).items()
                for offsets in entities.values()
                for start, end in offsets
            ]
            kept, dropped = map_spans(sorted(raw), label_map)
            yield Example(row["text"], kept, dropped)


def _first_sep(path: Path) -> str:
    """The separator of the first token line: TAB or space."""
    with open(path, encoding="utf-8-sig") as fh:
        for line in fh:
            if line.strip():
                return "\t" if "\t" in line else " "
    return "\t"


def detect_format(path: Path) -> str:
    """Guess the corpus format from the file extension, else from the first lines."""
    suffix = Path(path).suffix.lower()
    by_ext = {
        ".bio": "bio",
        ".bmes": "bmes",
        ".json": "cluener",
        ".jsonl": "cluener",
        ".conll": "weibo",
    }
    if suffix in by_ext:
        return by_ext[suffix]
    with open(path, encoding="utf-8-sig") as fh:
        lines = [line.strip() for _, line in zip(range(1000), fh) if line.strip()]
    if lines and lines[0].startswith("{"):
        return "cluener"
    pairs = [line.replace("\t", " ").rpartition(" ")[::2] for line in lines]
    if any(len(tok) > 1 and tok[1:].isdigit() for tok, _ in pairs):
        return "weibo"
    return "bmes" if any(tag[:2] in ("M-", "E-", "S-") for _, tag in pairs) else "bio"


_READERS = {"bio": read_bio, "bmes": read_bmes, "cluener": read_cluener, "weibo": read_weibo}


def read_examples(path: Path | str, fmt: str | None = None) -> list[Example]:
    """Read a corpus file (fmt in bio, bmes, cluener, weibo; None = detect) into Examples."""
    path = Path(path)
    fmt = fmt or detect_format(path)
    if fmt not in _READERS:
        raise ValueError(f"unknown corpus format {fmt!r}; expected one of {FORMATS}")
    return list(_READERS[fmt](path))


def write_bio(examples: Iterable[Example], path: Path | str) -> int:
    """Write examples as `char<TAB>BIO tag` lines with blank lines between sentences; returns count."""
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        for ex in examples:
            tags = tags_from_spans(len(ex.text), ex.spans, "bio")
            fh.write("".join(f"{c}\t{t}\n" for c, t in zip(ex.text, tags)) + "\n")
            n += 1
    return n
