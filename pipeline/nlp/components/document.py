"""Document stage: what the later stages need to know of the whole article.

`doc._.region` (CN, TW, HK, MO: the currency of a bare 元) and `doc._.published` (the date
the article states for itself, YYYY-MM-DD) are inputs of the pipeline: a caller may set them
before the components run; this component fills those left None, from the text, so that
`nlp(text)`, `nlp.pipe(texts)` and `zhie run` give the same rows.
"""

from __future__ import annotations

import re
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from zhie.nlp import extensions
from zhie.nlp.lexicon import load_lexicon
from zhie.nlp.spans import text_of
from zhie.resources import resolve_path
from zhie.text.region import Regions

HEADER_LINES = 12
ROC_YEARS = 1911  # 民国 1 is 1912


def find_published(text: str, label: re.Pattern) -> str | None:
    """The publication date of a labelled date in the article's header (`label` captures year,
    month, day); years of fewer than four digits are Republic of China years (+1911)."""
    header = "\n".join(text.splitlines()[:HEADER_LINES])
    m = label.search(header)
    if not m:
        return None
    year, month, day = (int(g) for g in m.groups())
    if year < 1000:
        year += ROC_YEARS
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


@Language.factory(
    "zhie_document",
    assigns=["doc._.region", "doc._.published"],
    requires=["doc._.script"],
    default_config={"rules_dir": "rules:"},
)
def create_document(nlp: Language, name: str, rules_dir: str):
    """Document component: fills `doc._.region` and `doc._.published` unless the caller set them."""
    extensions.register()
    root = resolve_path(rules_dir)
    return DocumentStage(
        Regions.load(root / "regions.tsv"), load_lexicon(root).pattern("date_label")
    )


class DocumentStage:
    """Sets the region (from `rules/regions.tsv`) and the publication date (pattern `date_label`)."""

    def __init__(self, regions: Regions, date_label: re.Pattern):
        self.regions = regions
        self.date_label = date_label

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        if doc._.region is None:
            doc._.region = self.regions.region_of(doc._.script or "simplified", text)
        if doc._.published is None:
            doc._.published = find_published(text, self.date_label)
        return doc
