"""Sentence boundaries: after 。！？； (and closing quotes that follow them) and at line breaks (LF, CR)."""

from __future__ import annotations

import numpy as np
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from zhie.nlp.spans import words_of

CLOSERS = set("」』”’）)》】")


@Language.factory(
    "zhie_sentences", assigns=["token.is_sent_start"], default_config={"terminators": "。！？；!?;"}
)
def create_sentences(nlp: Language, name: str, terminators: str):
    """Sentence splitter; `terminators` are the characters that end a sentence."""
    return SentenceSplitter(set(terminators))


class SentenceSplitter:
    """The zhie_sentences component: marks the first token of each sentence."""

    def __init__(self, terminators: set[str]):
        self.terminators = terminators

    def __call__(self, doc: Doc) -> Doc:
        # Only the starts are set (1); the other tokens keep "not a start" (0), which doc.sents
        # reads the same as False. All are written at once: setting `Token.is_sent_start` checks
        # the whole Doc for a parse each time (quadratic in the article's length).
        texts, _ = words_of(doc)
        if not texts:
            return doc
        starts = np.zeros((len(texts), 1), dtype=np.uint64)
        ended = True
        for i, text in enumerate(texts):
            if i == 0 or (ended and not (text in CLOSERS or text.isspace())):
                starts[i, 0] = 1
                ended = False
            if "\n" in text or "\r" in text or text[-1] in self.terminators:
                ended = True
        if len(texts) > 1 and not starts[1, 0]:
            # spaCy counts boundaries as set once a token past the first is marked
            starts[1, 0] = np.uint64(-1 & 0xFFFFFFFFFFFFFFFF)
        doc.from_array([SENT_START], starts)  # type: ignore[arg-type]
        return doc
