"""End to end: `zhie run` on corpus/ scored against the gold; fails when a score drops under its floor.

The floors are the scores reached when they were last raised (see the README's dev-scores table),
rounded down; raise them as the scores improve.
"""
from __future__ import annotations

import pytest

from conftest import CORPUS, GOLD
from zhie.cli import main
from zhie.evaluate.gold import evaluate

F1_FLOORS = {
    "mentions.PERSON": 0.98, "mentions.ORG": 0.88, "mentions.GPE": 0.95, "mentions.FAC": 0.82, "mentions.core": 0.91,
    "organisations": 0.85, "people": 0.97, "figures": 0.99,
    "events.signing": 0.91, "events.hosting": 0.95, "events.founding": 0.70,
}
ACCURACY_FLOORS = {
    "organisations.kind_acc": 0.97, "people.title_acc": 0.95, "people.organisation_acc": 0.90,
    "figures.qualifier_acc": 0.99, "figures.year_acc": 0.99,
}


@pytest.fixture(scope="module")
def scores(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus_run")
    assert main(["run", str(CORPUS), "--out", str(out), "--quiet", "--jobs", "1"]) == 0
    assert main(["evaluate", "--gold", str(GOLD), "--pred", str(out)]) == 0
    assert (out / "evaluation.csv").exists()
    return {s.metric: s for s in evaluate(GOLD, out)}


@pytest.mark.parametrize("metric,floor", sorted(F1_FLOORS.items()))
def test_f1_floor(scores, metric, floor):
    assert scores[metric].f1 >= floor


@pytest.mark.parametrize("metric,floor", sorted(ACCURACY_FLOORS.items()))
def test_accuracy_floor(scores, metric, floor):
    assert scores[metric].accuracy >= floor


def test_core_mentions_reach_the_issue_target(scores):
    assert scores["mentions.core"].f1 >= 0.90


def test_organisations_reach_the_pipeline_target(scores):
    assert scores["organisations"].f1 >= 0.85


@pytest.mark.xfail(reason="target 0.90 for organisations with the model (NER issue); the dev run reaches 0.852: "
                          "brand names without a suffix (九识, 菜鸟, 台积电) and abbreviations (成大) are missed", strict=True)
def test_organisations_reach_the_model_target(scores):
    assert scores["organisations"].f1 >= 0.90
