"""Shared fixtures: the loaded pipelines (once per session) and small helpers."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.process import Processor

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "articles"
GOLD = ROOT / "corpus" / "gold"


@pytest.fixture(scope="session")
def processor() -> Processor:
    """The default pipeline (rules + the packaged NER model)."""
    return Processor()


@pytest.fixture(scope="session")
def processor_jieba() -> Processor:
    """The pipeline with jieba's POS tags as the NER stage (the baseline)."""
    return Processor(overrides={"components.zhie_ner.backend": "jieba"})


def run_components(processor: Processor, text: str, names: list[str], region: str = "CN",
                   published: str | None = None):
    """A Doc of `text` after only the named components (the tokenizer always runs)."""
    doc = processor.nlp.make_doc(text)
    doc._.region = region
    doc._.published = published
    for name in names:
        doc = processor.nlp.get_pipe(name)(doc)
    return doc
