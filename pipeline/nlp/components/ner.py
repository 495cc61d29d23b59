"""NER stage: a statistical tagger for the names that rules cannot list (PERSON, ORG, GPE).

The backend is chosen in the config: `crf` (the default: the character CRF shipped in
`pipeline/models/ner_crf`), `embed` (the LAC-embedding CNN-CRF of `zhie.ner.embed`, shipped in
`pipeline/models/ner`; `zhie train --model crf|embed` builds them), `jieba` (jieba.posseg tags nr/ns/nt, the
fallback baseline) or `none`. Spans are character offsets from the tagger. Those on jieba's word boundaries go to
`doc.spans["ner"]`; those that cut a word are kept aside (`ner_candidates` returns both), so
that the rules still see jieba's words (`科技|园区`, not `科技园|区`) and no entity is lost to
segmentation: the mention stage judges them and splits the words of the ones it keeps.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from zhie.nlp.spans import word_starts, words_of
from zhie.resources import resolve_path

NER_KEY = "ner"
CRF_MODEL = "models:ner_crf"  # the earlier CRF, kept for comparison (`--ner crf`)


def ner_candidates(doc: Doc) -> list[tuple[int, int, str]]:
    """The model's spans as (start, end, label): those of `doc.spans["ner"]`, then those that cut a word."""
    return [(s.start_char, s.end_char, s.label_) for s in doc.spans.get(NER_KEY, [])] + (
        doc._.ner_cuts or []
    )


class ModelError(ValueError):
    """The NER model cannot be loaded; the message names the model folder."""


JIEBA_LABELS = {"nr": "PERSON", "nrfg": "PERSON", "nrt": "PERSON", "ns": "GPE", "nt": "ORG"}


class JiebaPosTagger:
    """Names from jieba.posseg's tags, on the pipeline's own jieba tokenizer."""

    def __init__(self, tokenizer):
        import jieba.posseg

        self.posseg = jieba.posseg.POSTokenizer(tokenizer=tokenizer.jieba)

    def predict(self, text: str, words=None) -> list[tuple[int, int, str]]:
        spans, pos = [], 0
        for pair in self.posseg.lcut(text):
            end = pos + len(pair.word)
            label = JIEBA_LABELS.get(pair.flag)
            if label and len(pair.word) > 1:
                spans.append((pos, end, label))
            pos = end
        return spans


class NoTagger:
    def predict(self, text: str, words=None) -> list[tuple[int, int, str]]:
        return []


@Language.factory(
    "zhie_ner",
    assigns=["doc.spans"],
    default_config={"backend": "crf", "model": "models:ner", "labels": ["PERSON", "ORG", "GPE"]},
)
def create_ner(nlp: Language, name: str, backend: str, model: str, labels: list[str]):
    """The NER component; `backend` is `crf` (the config's default), `embed` (the LAC-embedding
    model), `jieba` or `none`.

    `embed` and `crf` load the model folder `model` (its meta.json names its type); the
    packaged default folder `models:ner` means `models:ner_crf` for `crf`."""
    if backend in ("embed", "crf"):
        from zhie.ner.models import load_model

        if backend == "crf" and model == "models:ner":
            model = CRF_MODEL
        path = resolve_path(model)
        try:
            tagger = load_model(path)
        except Exception as exc:  # a missing or damaged model file
            raise ModelError(
                f"{path}: cannot load the NER model ({type(exc).__name__}: {exc}); "
                "run `zhie train` or choose another backend with --ner"
            ) from exc
    elif backend == "jieba":
        tagger = JiebaPosTagger(nlp.tokenizer)
    elif backend == "none":
        tagger = NoTagger()
    else:
        raise ValueError(f"unknown NER backend {backend!r} (embed, crf, jieba or none)")
    return NerComponent(tagger, set(labels))


# the middle dots that join the parts of a foreign name (艾瑞克•法特, 杰拉德‧高缇耶), all read as ·
NAME_DOT = str.maketrans({c: "·" for c in "•‧・･∙⋅"})
NAME_DOT_VARIANTS = re.compile("[•‧・･∙⋅]")


def joined_people(found: list[tuple[int, int, str]], text: str) -> list[tuple[int, int, str]]:
    """The model's spans, with two PERSON spans that touch or are joined by a middle dot made
    one: the parts of one foreign name (尤妮斯|史密斯, 杰拉德|·|高缇耶)."""
    out: list[tuple[int, int, str]] = []
    for start, end, label in sorted(found):
        if out and label == "PERSON" and out[-1][2] == "PERSON":
            gap = text[out[-1][1] : start]
            parts = (text[out[-1][0] : out[-1][1]], text[start:end])
            if gap in ("", "·") and all(len(p) > 1 and not re.search(r"\s", p) for p in parts):
                out[-1] = (out[-1][0], end, label)
                continue
        out.append((start, end, label))
    return out


class NerComponent:
    def __init__(self, tagger, labels: set[str]):
        self.tagger = tagger
        self.labels = labels

    def __call__(self, doc: Doc) -> Doc:
        texts, _ = words_of(doc)
        text = "".join(texts)
        if NAME_DOT_VARIANTS.search(text):  # the models learnt foreign names with · only
            texts = [t.translate(NAME_DOT) for t in texts]
            text = "".join(texts)
        found = joined_people(
            [c for c in self.tagger.predict(text, texts) if c[2] in self.labels], text
        )
        # jieba's word boundaries before the model's spans split words: the merge stage uses
        # them to judge a span that cuts a word in two (`青岛新能源汽|车`).
        doc._.word_bounds = set(word_starts(texts)) | {len(text)}
        aligned, cuts = [], []
        for start, end, label in found:
            span = doc.char_span(start, end, label=label)
            if span is None:
                cuts.append((start, end, label))
            else:
                aligned.append(span)
        doc.spans[NER_KEY] = aligned
        doc._.ner_cuts = cuts
        return doc
