"""Sentence boundaries: after 。！？； (and closing quotes that follow them) and at line breaks (LF, CR)."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

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
        ended = True
        for token in doc:
            text = token.text
            if ended and not (text in CLOSERS or text.isspace()):
                token.is_sent_start = True
                ended = False
            elif token.i:
                token.is_sent_start = False
            else:
                token.is_sent_start = True
            if "\n" in text or "\r" in text or text[-1] in self.terminators:
                ended = True
        return doc
