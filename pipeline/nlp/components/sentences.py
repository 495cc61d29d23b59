"""Sentence boundaries: after 。！？； (and closing quotes that follow them) and at line breaks (LF, CR)."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from zhie.nlp.spans import words_of

CLOSERS = set("」』”’）)》】")


@Language.factory("zhie_sentences", assigns=["token.is_sent_start"],
                  default_config={"terminators": "。！？；!?;"})
def create_sentences(nlp: Language, name: str, terminators: str):
    """Sentence splitter; `terminators` are the characters that end a sentence."""
    return SentenceSplitter(set(terminators))


class SentenceSplitter:
    def __init__(self, terminators: set[str]):
        self.terminators = terminators

    def __call__(self, doc: Doc) -> Doc:
        # Only the starts are set; the other tokens keep "not a start" (0), which doc.sents reads
        # the same as False and which costs no write.
        texts, _ = words_of(doc)
        ended = True
        for i, text in enumerate(texts):
            if i == 0 or (ended and not (text in CLOSERS or text.isspace())):
                doc[i].is_sent_start = True
                ended = False
            if "\n" in text or "\r" in text or text[-1] in self.terminators:
                ended = True
        if len(doc) > 1 and not doc[1].is_sent_start:
            doc[1].is_sent_start = False  # spaCy counts boundaries as set once a token past the first is marked
        return doc
