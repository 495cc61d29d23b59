"""Every gold file in corpus/ points to the exact characters of its article.

The seven gold sets (dev, extra, validation, validation2 to validation5) are measurement data: a span that no
longer matches its article's text would silently change every score. Checked here: the
article's sha256, and for each entity and figure that `article[start:end]` is its text and
`text_simplified` is OpenCC t2s of it (t2s keeps the length of the text).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import opencc
import pytest

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SETS = {
    "dev": (CORPUS / "articles", CORPUS / "gold"),
    "extra": (CORPUS / "extra" / "articles", CORPUS / "extra" / "gold"),
    "validation": (CORPUS / "validation" / "articles", CORPUS / "validation" / "gold"),
    "validation2": (CORPUS / "validation2" / "articles", CORPUS / "validation2" / "gold"),
    "validation3": (CORPUS / "validation3" / "articles", CORPUS / "validation3" / "gold"),
    "validation4": (CORPUS / "validation4" / "articles", CORPUS / "validation4" / "gold"),
    "validation5": (CORPUS / "validation5" / "articles", CORPUS / "validation5" / "gold"),
}
COUNTS = {
    "dev": 37,
    "extra": 8,
    "validation": 11,
    "validation2": 9,
    "validation3": 4,
    "validation4": 4,
    "validation5": 6,
}
T2S = opencc.OpenCC("t2s")


def gold_files():
    return [
        pytest.param(articles, path, id=f"{name}/{path.stem}")
        for name, (articles, gold) in SETS.items()
        for path in sorted(gold.glob("*.json"))
    ]


@pytest.mark.parametrize("name", sorted(SETS))
def test_each_set_holds_its_articles_and_gold(name):
    articles, gold = SETS[name]
    golds = sorted(p.stem for p in gold.glob("*.json"))
    assert len(golds) == COUNTS[name]
    assert all((articles / f"{stem}.txt").is_file() for stem in golds)


@pytest.mark.parametrize("articles,path", gold_files())
def test_gold_spans_match_the_article(articles, path):
    gold = json.loads(path.read_text(encoding="utf-8"))
    raw = (articles / f"{gold['article_id']}.txt").read_bytes()
    text = raw.decode("utf-8-sig")
    if "text_sha256" in gold:
        assert hashlib.sha256(text.encode("utf-8")).hexdigest() == gold["text_sha256"]
    simplified = T2S.convert(text)
    assert len(simplified) == len(text)
    for item in gold["entities"] + gold.get("figures", []):
        assert text[item["start"] : item["end"]] == item["text"], item
        if "text_simplified" in item:
            assert simplified[item["start"] : item["end"]] == item["text_simplified"], item
