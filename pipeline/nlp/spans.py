"""Character-offset helpers shared by the components: aligning spans to tokens."""
from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from typing import Iterable

from spacy.tokens import Doc, Span

Candidate = tuple[int, int, str]


def words_of(doc: Doc) -> tuple[list[str], list[str]]:
    """The texts and tags of the Doc's tokens, kept in `doc._.words` by the tokenizer and by
    `split_tokens_at`: reading them costs nothing, where iterating a Doc builds a Token object
    per token."""
    words = doc._.words
    if words is None:
        words = doc._.words = ([t.text for t in doc], [t.tag_ for t in doc])
    return words


def text_of(doc: Doc) -> str:
    """The Doc's text, from the kept token texts (Doc.text would build every Token)."""
    return "".join(words_of(doc)[0])


def word_starts(texts: list[str]) -> list[int]:
    """The character offset where each word starts."""
    return list(accumulate(map(len, texts[:-1]), initial=0)) if texts else []


def split_tokens_at(doc: Doc, positions: Iterable[int]) -> None:
    """Split tokens so that every character position in `positions` is a token boundary.

    spaCy's retokenizer does not update span groups, so every group is rebuilt from its
    character offsets (still aligned after a split); extension values keyed by offsets stay.
    """
    texts, tags = words_of(doc)
    starts = word_starts(texts)
    length = starts[-1] + len(texts[-1]) if texts else 0
    start_set = set(starts)
    cuts: dict[int, list[int]] = {}
    for pos in set(positions):
        if 0 < pos < length and pos not in start_set:
            i = bisect_right(starts, pos) - 1
            cuts.setdefault(i, []).append(pos - starts[i])
    if not cuts:
        return
    saved = {key: [(s.start_char, s.end_char, s.label_, s.id_) for s in group] for key, group in doc.spans.items()}
    new_texts, new_tags = [], []
    with doc.retokenize() as retokenizer:
        for i, (text, tag) in enumerate(zip(texts, tags)):
            if i not in cuts:
                new_texts.append(text)
                new_tags.append(tag)
                continue
            bounds = [0, *sorted(cuts[i]), len(text)]
            orths = [text[a:b] for a, b in zip(bounds, bounds[1:])]
            token = doc[i]
            retokenizer.split(token, orths, heads=[(token, 0)] * len(orths), attrs={"TAG": [tag] * len(orths)})
            new_texts.extend(orths)
            new_tags.extend([tag] * len(orths))
    doc._.words = (new_texts, new_tags)
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
