"""Character-offset helpers shared by the components: aligning spans to tokens."""
from __future__ import annotations

from typing import Iterable

from spacy.tokens import Doc, Span

Candidate = tuple[int, int, str]


def split_tokens_at(doc: Doc, positions: Iterable[int]) -> None:
    """Split tokens so that every character position in `positions` is a token boundary.

    spaCy's retokenizer does not update span groups, so every group is rebuilt from its
    character offsets (still aligned after a split); extension values keyed by offsets stay.
    """
    starts = {t.idx for t in doc}
    length = len(doc.text)  # doc.text joins every token: compute it once, not per position
    cuts: dict[int, list[int]] = {}
    for pos in set(positions):
        if 0 < pos < length and pos not in starts:
            token = doc[doc.char_span(pos, pos + 1, alignment_mode="expand").start]
            cuts.setdefault(token.i, []).append(pos - token.idx)
    if not cuts:
        return
    saved = {key: [(s.start_char, s.end_char, s.label_, s.id_) for s in group] for key, group in doc.spans.items()}
    with doc.retokenize() as retokenizer:
        for i, offsets in cuts.items():
            token = doc[i]
            bounds = [0, *sorted(offsets), len(token.text)]
            orths = [token.text[a:b] for a, b in zip(bounds, bounds[1:])]
            retokenizer.split(token, orths, heads=[(token, 0)] * len(orths),
                              attrs={"TAG": [token.tag_] * len(orths)})
    for key, spans in saved.items():
        doc.spans[key] = [doc.char_span(s, e, label=label, span_id=span_id) for s, e, label, span_id in spans]


def aligned_span(doc: Doc, start: int, end: int, label: str) -> Span:
    """The span [start, end) of `doc`, splitting tokens first when it is not token-aligned."""
    span = doc.char_span(start, end, label=label)
    if span is None:
        split_tokens_at(doc, (start, end))
        span = doc.char_span(start, end, label=label)
    return span


def spans_from_candidates(doc: Doc, candidates: Iterable[Candidate]) -> list[Span]:
    """Token-aligned spans for character candidates, splitting tokens once for all of them."""
    candidates = list(candidates)
    split_tokens_at(doc, [p for s, e, _ in candidates for p in (s, e)])
    return [doc.char_span(s, e, label=label) for s, e, label in candidates]
