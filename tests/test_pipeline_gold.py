"""End to end: `zhie run` on corpus/ scored against the gold; fails when a score drops under its floor.

The floors are the scores of the 37 dev articles when they were last raised (see the README's
dev-scores table), rounded down; raise them as the scores improve. The targets of the issue
"Quality that holds on articles nobody tuned to" that the pipeline does not reach yet stay
visible as xfail tests.
"""

from __future__ import annotations

import pytest
from conftest import CORPUS, GOLD

from zhie.cli import main
from zhie.evaluate.gold import evaluate, evaluate_groups

F1_FLOORS = {
    "mentions.PERSON": 0.99,
    "mentions.ORG": 0.88,
    "mentions.GPE": 0.94,
    "mentions.FAC": 0.87,
    "mentions.core": 0.91,
    "mentions.PROJECT": 0.90,
    "mentions.EVENT": 0.96,
    "organisations": 0.85,
    "people": 0.98,
    "figures": 0.99,
    "events.signing": 0.92,
    "events.hosting": 0.91,
    "events.founding": 0.82,
}
ACCURACY_FLOORS = {
    "organisations.kind_acc": 0.94,
    "people.title_acc": 0.99,
    "people.organisation_acc": 0.96,
    "figures.qualifier_acc": 0.99,
    "figures.year_acc": 0.99,
}
# The issue's dev targets (F1, or accuracy for `_acc`).
TARGETS = {
    "mentions.core": 0.91,
    "mentions.PERSON": 0.97,
    "organisations": 0.85,
    "people": 0.95,
    "people.title_acc": 0.90,
    "people.organisation_acc": 0.85,
    "figures": 0.95,
    "events.signing": 0.80,
    "events.hosting": 0.80,
    "events.founding": 0.70,
}
MET = {
    "mentions.core",
    "organisations",
    "mentions.PERSON",
    "people",
    "people.title_acc",
    "people.organisation_acc",
    "figures",
    "events.signing",
    "events.hosting",
    "events.founding",
}  # the targets the dev run reaches; the others are expected failures
GROUP_CORE_TARGET = 0.85


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus_run")
    assert main(["run", str(CORPUS), "--out", str(out), "--quiet", "--jobs", "1"]) == 0
    assert main(["evaluate", "--gold", str(GOLD), "--pred", str(out)]) == 0
    assert (out / "evaluation.csv").exists() and (out / "evaluation_groups.csv").exists()
    return out


@pytest.fixture(scope="module")
def scores(run_dir):
    return {s.metric: s for s in evaluate(GOLD, run_dir)}


def value(score):
    return score.accuracy if score.accuracy is not None else score.f1


@pytest.mark.parametrize("metric,floor", sorted(F1_FLOORS.items()))
def test_f1_floor(scores, metric, floor):
    assert scores[metric].f1 >= floor


@pytest.mark.parametrize("metric,floor", sorted(ACCURACY_FLOORS.items()))
def test_accuracy_floor(scores, metric, floor):
    assert scores[metric].accuracy >= floor


@pytest.mark.parametrize(
    "metric,target",
    [
        (m, t)
        if m in MET
        else pytest.param(
            m, t, marks=pytest.mark.xfail(reason=f"dev target {t} not reached yet", strict=True)
        )
        for m, t in sorted(TARGETS.items())
    ],
)
def test_issue_targets(scores, metric, target):
    assert value(scores[metric]) >= target


@pytest.mark.xfail(
    reason="not every source group reaches core 0.85 yet (only the seed article, 0.805: its lists of brands written without suffixes)",
    strict=True,
)
def test_every_source_group_reaches_the_core_target(run_dir):
    groups = evaluate_groups(GOLD, run_dir)
    assert len(groups) == 5
    assert groups["mentions.core"].min() >= GROUP_CORE_TARGET
