"""Evaluate stage: exact metrics on hand-made tables, and agreement with the independent scorer."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pandas as pd
import pytest

from zhie.evaluate.gold import evaluate, title_match
from zhie.tables.rows import COLUMNS

REFERENCE = Path(__file__).parent / "data" / "reference_score.py"


def reference_scores(gold, pred):
    spec = importlib.util.spec_from_file_location("reference_score", REFERENCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.score(str(gold), str(pred))


def as_reference(scores):
    out = {}
    for s in scores:
        if s.accuracy is not None:
            out[s.metric] = (pytest.approx(s.accuracy), s.support)
        else:
            out[s.metric] = (
                pytest.approx(s.precision),
                pytest.approx(s.recall),
                pytest.approx(s.f1),
                s.support,
            )
    return out


GOLD = {
    "article_id": "a1",
    "text_sha256": "",
    "script": "simplified",
    "published": None,
    "entities": [
        {"start": 0, "end": 3, "label": "PERSON", "text": "王东翔", "text_simplified": "王东翔"},
        {
            "start": 5,
            "end": 10,
            "label": "ORG",
            "text": "青岛市政府",
            "text_simplified": "青岛市政府",
        },
        {"start": 12, "end": 14, "label": "GPE", "text": "青岛", "text_simplified": "青岛"},
    ],
    "organisations": [
        {"name": "青岛市政府", "kind": "government"},
        {"name": "青岛大学", "kind": "education"},
    ],
    "people": [{"name": "王东翔", "title": "主任、院士", "organisation": "青岛市政府"}],
    "figures": [
        {
            "start": 20,
            "end": 25,
            "text": "300余人",
            "value": 300,
            "unit": "人",
            "qualifier": "more_than",
            "year": None,
            "subject": "",
        },
        {
            "start": 30,
            "end": 36,
            "text": "1800亿元",
            "value": 180000000000,
            "unit": "CNY",
            "qualifier": "exact",
            "year": 2027,
            "subject": "",
        },
    ],
    "events": [
        {
            "type": "signing",
            "trigger": {"start": 40, "end": 42, "text": "签约"},
            "arguments": [
                {"role": "party", "text": "青岛市政府"},
                {"role": "object", "text": "合作协议"},
            ],
        }
    ],
}


def write_tables(out: Path, tables: dict[str, list[dict]]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        pd.DataFrame(rows, columns=COLUMNS[name]).to_csv(
            out / f"{name}.csv", index=False, encoding="utf-8-sig"
        )


@pytest.fixture
def case(tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "a1.json").write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    pred = tmp_path / "pred"
    write_tables(
        pred,
        {
            "mentions": [
                {"article_id": "a1", "start": 0, "end": 3, "label": "PERSON"},
                {"article_id": "a1", "start": 5, "end": 9, "label": "ORG"},
                {"article_id": "a1", "start": 12, "end": 14, "label": "GPE"},
                {"article_id": "other", "start": 0, "end": 3, "label": "PERSON"},
            ],
            "organisations": [
                {"article_id": "a1", "name": "青岛市政府", "kind": "company"},
                {"article_id": "a1", "name": "青岛 大学", "kind": "education"},
                {"article_id": "a1", "name": "青岛日报", "kind": "media"},
            ],
            "people": [
                {
                    "article_id": "a1",
                    "name": "王东翔",
                    "title": "院士",
                    "organisation": "青岛市政府",
                }
            ],
            "figures": [
                {
                    "article_id": "a1",
                    "start": 19,
                    "end": 25,
                    "value": 300,
                    "unit": "人",
                    "qualifier": "exact",
                    "year": "",
                },
                {
                    "article_id": "a1",
                    "start": 30,
                    "end": 36,
                    "value": 1.8e11,
                    "unit": "TWD",
                    "qualifier": "exact",
                    "year": "2027",
                },
                {
                    "article_id": "a1",
                    "start": 50,
                    "end": 52,
                    "value": "x",
                    "unit": "人",
                    "qualifier": "exact",
                    "year": "",
                },
            ],
            "events": [{"article_id": "a1", "event_id": "E1", "type": "signing"}],
            "event_arguments": [
                {
                    "article_id": "a1",
                    "event_id": "E1",
                    "type": "signing",
                    "role": "party",
                    "text": "青岛市政府",
                },
                {
                    "article_id": "a1",
                    "event_id": "E1",
                    "type": "signing",
                    "role": "party",
                    "text": "青岛大学",
                },
            ],
        },
    )
    return gold, pred


def test_exact_metrics(case):
    gold, pred = case
    scores = {s.metric: s for s in evaluate(gold, pred)}
    assert (scores["mentions.PERSON"].precision, scores["mentions.PERSON"].recall) == (1.0, 1.0)
    assert (
        scores["mentions.ORG"].precision,
        scores["mentions.ORG"].recall,
        scores["mentions.ORG"].f1,
    ) == (0.0, 0.0, 0.0)
    core = scores["mentions.core"]
    assert (core.precision, core.recall, core.support) == (0.5, 0.5, 2)
    orgs = scores["organisations"]
    assert (orgs.precision, orgs.recall) == pytest.approx((2 / 3, 1.0))
    assert scores["organisations.kind_acc"].accuracy == 0.5
    assert scores["people.title_acc"].accuracy == 1.0
    figs = scores["figures"]
    assert (figs.precision, figs.recall, figs.support) == pytest.approx((0.5, 0.5, 2))
    assert scores["figures.qualifier_acc"].accuracy == 0.0
    signing = scores["events.signing"]
    assert (signing.precision, signing.recall) == (0.5, 0.5)


def test_agrees_with_the_independent_scorer(case):
    gold, pred = case
    assert as_reference(evaluate(gold, pred)) == reference_scores(gold, pred)


def test_agrees_with_the_independent_scorer_on_a_corpus_run(tmp_path, processor_jieba):
    from conftest import CORPUS
    from conftest import GOLD as GOLD_DIR

    from zhie.runners.batch import run

    out = tmp_path / "run"
    run(CORPUS, out, processor=processor_jieba, quiet=True)
    assert as_reference(evaluate(GOLD_DIR, out)) == reference_scores(GOLD_DIR, out)


@pytest.mark.parametrize(
    "pred,gold,ok",
    [
        ("主任", "主任、院士", True),
        ("博士", "博士/研究员", True),
        ("院士、主任", "主任、院士", True),
        ("教授", "主任、院士", False),
        ("", "市长", False),
        ("", "", True),
    ],
)
def test_title_match(pred, gold, ok):
    assert title_match(pred, gold) is ok


def test_scores_per_source_group(tmp_path):
    # Two articles from two sources (SOURCES.tsv beside the article files), one perfect, one empty.
    articles, gold_dir, pred = tmp_path / "articles", tmp_path / "gold", tmp_path / "pred"
    for d in (articles, gold_dir, pred):
        d.mkdir()
    (articles / "SOURCES.tsv").write_text(
        "file\trepo\na1.txt\tsource-a\na2.txt\tsource-b\n", encoding="utf-8"
    )
    a2 = {**GOLD, "article_id": "a2"}
    for g in (GOLD, a2):
        (gold_dir / f"{g['article_id']}.json").write_text(
            json.dumps(g, ensure_ascii=False), encoding="utf-8"
        )
    rows = [
        {
            "article_id": "a1",
            "start": e["start"],
            "end": e["end"],
            "label": e["label"],
            "text": e["text"],
        }
        for e in GOLD["entities"]
    ]
    pd.DataFrame(rows).to_csv(pred / "mentions.csv", index=False)
    pd.DataFrame(
        [{"article_id": a, "path": str(articles / f"{a}.txt")} for a in ("a1", "a2")]
    ).to_csv(pred / "articles.csv", index=False)
    from zhie.evaluate.gold import evaluate_groups, source_groups

    assert source_groups(gold_dir, pred) == {"source-a": ["a1"], "source-b": ["a2"]}
    groups = evaluate_groups(gold_dir, pred).set_index("group")
    assert (
        groups.loc["source-a", "mentions.core"] == 1.0
        and groups.loc["source-b", "mentions.core"] == 0.0
    )
    assert list(groups["articles"]) == [1, 1]
