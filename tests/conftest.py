"""Shared fixtures: the loaded pipelines (once per session) and small helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhie.runners.process import Processor

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "articles"
GOLD = ROOT / "corpus" / "gold"
CORPUS_ARTICLES = len(list(CORPUS.glob("*.txt")))


@pytest.fixture(scope="session")
def processor() -> Processor:
    """The default pipeline (rules + the packaged NER model)."""
    return Processor()


@pytest.fixture(scope="session")
def processor_jieba() -> Processor:
    """The pipeline with jieba's POS tags as the NER stage (the baseline)."""
    return Processor(overrides={"components.zhie_ner.backend": "jieba"})


def run_components(
    processor: Processor,
    text: str,
    names: list[str],
    region: str = "CN",
    published: str | None = None,
):
    """A Doc of `text` after only the named components (the tokenizer always runs)."""
    doc = processor.nlp.make_doc(text)
    doc._.region = region
    doc._.published = published
    for name in names:
        doc = processor.nlp.get_pipe(name)(doc)
    return doc


AFTER_NER = [
    "zhie_rules",
    "zhie_mentions",
    "zhie_organisations",
    "zhie_figures",
    "zhie_people",
    "zhie_events",
]


def analyse(
    processor: Processor,
    text: str,
    names: dict[str, str] | None = None,
    region: str = "CN",
    published: str | None = None,
):
    """A Doc of `text` after every stage, with the NER stage replaced by `names` (text -> label,
    every occurrence), so that tests of the later stages do not depend on the model."""
    from zhie.nlp.spans import spans_from_candidates

    doc = run_components(processor, text, ["zhie_sentences"], region=region, published=published)
    found = []
    for name, label in (names or {}).items():
        start = text.find(name)
        while start >= 0:
            found.append((start, start + len(name), label))
            start = text.find(name, start + len(name))
    doc, doc.spans["ner"] = spans_from_candidates(doc, found)
    for name in AFTER_NER:
        doc = processor.nlp.get_pipe(name)(doc)
    return doc
