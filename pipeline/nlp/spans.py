"""Character-offset helpers shared by the components: aligning spans to tokens."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from itertools import accumulate

import numpy
from spacy.attrs import SENT_START
from spacy.tokens import Doc, Span

from zhie.nlp.extensions import doc_value

Candidate = tuple[int, int, str]


def words_of(doc: Doc) -> tuple[list[str], list[str]]:
    """The texts and tags of the Doc's tokens, kept in `doc._.words` by the tokenizer and by
    `split_tokens_at`: reading them costs nothing, where iterating a Doc builds a Token object
    per token."""
    words = doc_value(doc, "words")
    if words is None:
        words = doc._.words = ([t.text for t in doc], [t.tag_ for t in doc])
    return words


def text_of(doc: Doc) -> str:
    """The Doc's text, from the kept token texts (Doc.text would build every Token)."""
    return "".join(words_of(doc)[0])


def word_starts(texts: list[str]) -> list[int]:
    """The character offset where each word starts."""
    return list(accumulate(map(len, texts[:-1]), initial=0)) if texts else []


def split_tokens_at(doc: Doc, positions: Iterable[int]) -> Doc:
    """The Doc with its tokens split so that every character position in `positions` is a token
    boundary: `doc` itself when no token needs a cut, else a new Doc that callers go on with
    (every component returns the Doc it was given or its replacement).

    spaCy's retokenizer moves every later token for each split, which is quadratic in the
    article's length (2,000 splits of a 50k-character article took 4.5 s), so the new Doc is
    built at once from the new words, with what the retokenizer would keep: tags, sentence
    starts (a piece after the first inherits the start flag of the token that followed the
    split one, as the retokenizer leaves it), user data (extension values are keyed by
    character offsets, which stay) and every span group rebuilt from its character offsets.
    A Doc with entities set goes through the retokenizer.
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
        return doc
    saved = {
        key: [(s.start_char, s.end_char, s.label_, s.id_) for s in group]
        for key, group in doc.spans.items()
    }
    new_texts, new_tags, sent_starts = [], [], []
    old_starts = doc.to_array([SENT_START]).reshape(-1).tolist()
    n = len(texts)
    for i, (text, tag) in enumerate(zip(texts, tags)):
        if i not in cuts:
            new_texts.append(text)
            new_tags.append(tag)
            sent_starts.append(old_starts[i])
            continue
        bounds = [0, *sorted(cuts[i]), len(text)]
        orths = [text[a:b] for a, b in zip(bounds, bounds[1:])]
        new_texts.extend(orths)
        new_tags.extend([tag] * len(orths))
        sent_starts.extend(old_starts[i + k] if i + k < n else 0 for k in range(len(orths)))
    if len(doc.ents) or doc.has_annotation("DEP"):
        _retokenize_split(doc, texts, tags, cuts)
        new = doc
    else:
        new = Doc(doc.vocab, words=new_texts, spaces=[False] * len(new_texts), tags=new_tags)
        new.user_data.update(doc.user_data)
        new.from_array([SENT_START], numpy.array(sent_starts, dtype=numpy.uint64).reshape(-1, 1))  # type: ignore[arg-type]
    new._.words = (new_texts, new_tags)
    for key, spans in saved.items():
        new.spans[key] = [_token_span(new, s, e, label, span_id) for s, e, label, span_id in spans]
    return new


def _retokenize_split(
    doc: Doc, texts: list[str], tags: list[str], cuts: dict[int, list[int]]
) -> None:
    with doc.retokenize() as retokenizer:
        for i, (text, tag) in enumerate(zip(texts, tags)):
            if i in cuts:
                bounds = [0, *sorted(cuts[i]), len(text)]
                orths = [text[a:b] for a, b in zip(bounds, bounds[1:])]
                token = doc[i]
                retokenizer.split(
                    token, orths, heads=[(token, 0)] * len(orths), attrs={"TAG": [tag] * len(orths)}
                )


def _token_span(doc: Doc, start: int, end: int, label: str, span_id: int | str = 0) -> Span:
    """`doc.char_span` for offsets that are token boundaries of `doc`, where it is never None."""
    span = doc.char_span(start, end, label=label, span_id=span_id)
    assert span is not None, f"[{start}, {end}) is not a token-aligned span"
    return span


def aligned_span(doc: Doc, start: int, end: int, label: str) -> Span:
    """The span [start, end) of `doc`, splitting tokens first when it is not token-aligned
    (the span's `.doc` is then the new Doc, see `split_tokens_at`)."""
    span = doc.char_span(start, end, label=label)
    if span is None:
        doc = split_tokens_at(doc, (start, end))
        span = _token_span(doc, start, end, label)
    return span


def spans_from_candidates(doc: Doc, candidates: Iterable[Candidate]) -> tuple[Doc, list[Span]]:
    """(the Doc, token-aligned spans for character candidates), splitting tokens once for all of
    them; the Doc is a new one when tokens were split (see `split_tokens_at`)."""
    candidates = list(candidates)
    doc = split_tokens_at(doc, [p for s, e, _ in candidates for p in (s, e)])
    return doc, [_token_span(doc, s, e, label) for s, e, label in candidates]
