"""Convert stage: Traditional to Simplified (OpenCC) and width folding, with an exact offset map.

Every step is a plain `str -> (str, OffsetMap)` function; `Normaliser` composes them. The
returned `Converted` keeps the original text and maps any span of the converted text back
to the characters of the original it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import opencc

# Configs whose every dictionary entry keeps its code-point length: the map is the identity
# (measured for t2s, tw2s, hk2s; their inverses are built from the same tables).
LENGTH_PRESERVING = {"t2s", "tw2s", "hk2s", "s2t", "s2tw", "s2hk", "t2tw", "t2hk", "tw2t", "hk2t"}
# Conversion never crosses these characters, so each run between them converts on its own.
CHUNK_BREAK = re.compile(r"[\s，。！？；：、,.!?;:（）()「」『』“”\"'《》【】]+")
# Written in Traditional text too (台 for 臺): no evidence of Simplified script.
SHARED_VARIANTS = set("台")
FULLWIDTH_FOLD = {
    cp: cp - 0xFEE0
    for cp in [
        *range(0xFF10, 0xFF1A),
        *range(0xFF21, 0xFF3B),
        *range(0xFF41, 0xFF5B),
        0xFF05,
        0xFF0E,
    ]
}
# the colon's presentation forms (︰ in Hong Kong bylines: 記者︰X, ﹕, ︓) read as the full-width colon
FULLWIDTH_FOLD.update({cp: 0xFF1A for cp in (0xFE30, 0xFE55, 0xFE13)})


class OffsetMap:
    """Maps spans of a converted text to spans of its source text.

    `starts[j]`/`ends[j]` give the source range of the smallest convertible piece that
    holds converted character j; `None` arrays mean the identity.
    """

    __slots__ = ("starts", "ends", "source_length")

    def __init__(
        self, source_length: int, starts: list[int] | None = None, ends: list[int] | None = None
    ):
        self.source_length = source_length
        self.starts = starts
        self.ends = ends

    @property
    def is_identity(self) -> bool:
        """Whether the map is the identity (no offset arrays)."""
        return self.starts is None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The source span of converted span [start, end)."""
        if self.starts is None:
            return start, end
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else self.source_length
            return pos, pos
        assert self.ends is not None  # starts and ends are None together
        return self.starts[start], self.ends[end - 1]

    def then(self, later: OffsetMap) -> OffsetMap:
        """The map of applying this step and then `later` (whose source is our output)."""
        if later.is_identity:
            return self
        if self.is_identity:
            return OffsetMap(self.source_length, later.starts, later.ends)
        assert later.starts is not None and later.ends is not None
        starts = [self.span(s, e)[0] for s, e in zip(later.starts, later.ends)]
        ends = [self.span(s, e)[1] for s, e in zip(later.starts, later.ends)]
        return OffsetMap(self.source_length, starts, ends)


@dataclass
class Converted:
    """The converted text, the original it came from, and the map between them."""

    text: str
    original: str
    offsets: OffsetMap

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original-text offsets of converted span [start, end)."""
        return self.offsets.span(start, end)


@cache
def opencc_converter(config: str) -> opencc.OpenCC:
    """One OpenCC converter per config and process."""
    return opencc.OpenCC(config)


@lru_cache(maxsize=2)
def convert_whole(config: str, text: str) -> str:
    """OpenCC's conversion of a whole text. The last ones are kept: the tokenizer converts an
    article (`opencc_step`) and then reads its script from the same t2s conversion."""
    return opencc_converter(config).convert(text)


def _align_chunk(chunk: str, converted: str, convert) -> tuple[list[int], list[int]]:
    """Piece-wise alignment of one chunk whose conversion changed its length.

    A split point i is safe when converting the two sides separately gives the same
    result as converting the whole; converted characters between two safe points map to
    the source characters between them.
    """
    points = [(0, 0)]
    for i in range(1, len(chunk)):
        left = convert(chunk[:i])
        if (
            converted.startswith(left)
            and left + convert(chunk[i:]) == converted
            and len(left) >= points[-1][1]
        ):
            points.append((i, len(left)))
    points.append((len(chunk), len(converted)))
    starts: list[int] = []
    ends: list[int] = []
    for (s0, c0), (s1, c1) in zip(points, points[1:]):
        if c1 - c0 == s1 - s0:
            starts.extend(range(s0, s1))
            ends.extend(range(s0 + 1, s1 + 1))
        else:
            starts.extend([s0] * (c1 - c0))
            ends.extend([s1] * (c1 - c0))
    return starts, ends


def opencc_step(text: str, config: str = "t2s") -> tuple[str, OffsetMap]:
    """OpenCC conversion with an exact offset map, for any config."""
    convert = opencc_converter(config).convert
    if config in LENGTH_PRESERVING:
        out = convert_whole(config, text)
        if len(out) == len(text):
            return out, OffsetMap(len(text))
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for m in list(CHUNK_BREAK.finditer(text)) + [None]:
        stop = m.start() if m else len(text)
        for a, b in ((pos, stop), (stop, m.end() if m else len(text))):
            chunk = text[a:b]
            if not chunk:
                continue
            out = convert(chunk)
            if len(out) == len(chunk) and (config in LENGTH_PRESERVING or out == chunk):
                s, e = list(range(len(chunk))), list(range(1, len(chunk) + 1))
            else:
                s, e = _align_chunk(chunk, out, convert)
            pieces.append(out)
            starts.extend(x + a for x in s)
            ends.extend(x + a for x in e)
        pos = m.end() if m else len(text)
    return "".join(pieces), OffsetMap(len(text), starts, ends)


# Zero-width characters (space, non-joiner, joiner, word joiner, and U+FEFF inside a text) are
# dropped from the converted text, so that a name written with one (`台南\u200b纺织`) is the same
# name; the offset map still points at the original, where they stay.
ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def drop_zero_width(text: str) -> tuple[str, OffsetMap]:
    """`text` without zero-width characters, with the map back to `text` (identity when none)."""
    if not ZERO_WIDTH.search(text):
        return text, OffsetMap(len(text))
    kept = [i for i, ch in enumerate(text) if not ZERO_WIDTH.match(ch)]
    return "".join(text[i] for i in kept), OffsetMap(len(text), kept, [i + 1 for i in kept])


def fold_width(text: str) -> tuple[str, OffsetMap]:
    """Full-width digits, Latin letters, `％` and `．` to ASCII, the colon's presentation forms
    (`︰`) to `：` (one character for one)."""
    return text.translate(FULLWIDTH_FOLD), OffsetMap(len(text))


class Normaliser:
    """Zero-width characters dropped, OpenCC conversion, width folding: composed into one callable."""

    def __init__(self, config: str = "t2s", fold: bool = True):
        self.config = config
        self.fold = fold

    def __call__(self, text: str) -> Converted:
        cleaned, offsets = drop_zero_width(text)
        out, converted = opencc_step(cleaned, self.config)
        offsets = offsets.then(converted)
        if self.fold:
            out, folded = fold_width(out)
            offsets = offsets.then(folded)
        return Converted(out, text, offsets)


def detect_script(text: str) -> str:
    """`traditional`, `simplified` or `mixed`, from the characters that OpenCC would change."""
    to_simp = convert_whole("t2s", text)
    traditional = (
        sum(a != b for a, b in zip(text, to_simp))
        if len(to_simp) == len(text) and to_simp != text
        else 0
    )
    if not traditional:
        return "simplified"  # whatever the Simplified characters: the share below would be 0
    to_trad = opencc_converter("s2t").convert(text)
    simplified = (
        sum(a != b and a not in SHARED_VARIANTS for a, b in zip(text, to_trad))
        if len(to_trad) == len(text)
        else 0
    )
    share = traditional / (traditional + simplified)
    if share >= 0.8:
        return "traditional"
    if share <= 0.2:
        return "simplified"
    return "mixed"
