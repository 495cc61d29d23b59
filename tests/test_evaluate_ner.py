from pathlib import Path

import pytest

from zhie.evaluate.ner import evaluate_file, format_report, score_spans

DATA = Path(__file__).parent / "data" / "ner"
CRF = (
    Path(__file__).resolve().parent.parent / "pipeline" / "models" / "ner_crf"
)  # the earlier CRF, kept


def _m(p, r, f, support, predicted, correct):
    return {
        "precision": p,
        "recall": r,
        "f1": f,
        "support": support,
        "predicted": predicted,
        "correct": correct,
    }


def test_score_spans_exact_match_only():
    gold = [[(0, 3, "PERSON"), (5, 7, "GPE")], [(0, 4, "ORG")]]
    pred = [[(0, 3, "PERSON"), (5, 8, "GPE")], [(0, 4, "GPE")]]
    assert score_spans(gold, pred) == {
        "GPE": _m(0.0, 0.0, 0.0, 1, 2, 0),
        "ORG": _m(0.0, 0.0, 0.0, 1, 0, 0),
        "PERSON": _m(1.0, 1.0, 1.0, 1, 1, 1),
        "micro": _m(1 / 3, 1 / 3, 1 / 3, 3, 3, 1),
    }


def test_score_spans_precision_recall_differ():
    gold = [[(0, 2, "PERSON"), (3, 5, "PERSON"), (6, 8, "PERSON"), (9, 11, "PERSON")]]
    pred = [[(0, 2, "PERSON"), (3, 5, "PERSON")]]
    res = score_spans(gold, pred)
    assert res["PERSON"] == _m(1.0, 0.5, 2 / 3, 4, 2, 2)
    assert res["micro"] == res["PERSON"]


def test_score_spans_sentences_are_separate():
    # the same span in another sentence is not a match
    assert score_spans([[(0, 2, "ORG")], []], [[], [(0, 2, "ORG")]])["micro"] == _m(
        0.0, 0.0, 0.0, 1, 1, 0
    )


def test_score_spans_empty():
    assert score_spans([[]], [[]]) == {"micro": _m(0.0, 0.0, 0.0, 0, 0, 0)}


def test_score_spans_duplicates_count_once():
    assert score_spans([[(0, 2, "ORG"), (0, 2, "ORG")]], [[(0, 2, "ORG")]])["micro"] == _m(
        1.0, 1.0, 1.0, 1, 1, 1
    )


def test_score_spans_length_mismatch():
    with pytest.raises(ValueError):
        score_spans([[]], [])


def test_format_report():
    res = score_spans([[(0, 2, "PERSON"), (3, 5, "GPE")]], [[(0, 2, "PERSON")]])
    res.update(sentences=1, chars=1000, seconds=0.5)
    assert format_report(res).splitlines() == [
        "label      prec    rec     f1    gold    pred",
        "GPE      0.0000 0.0000 0.0000       1       0",
        "PERSON   1.0000 1.0000 1.0000       1       1",
        "micro    1.0000 0.5000 0.6667       2       1",
        "1 sentences, 1000 chars, 2,000 chars/s",
    ]


def test_evaluate_file_crf_model_on_msra_fixture():
    res = evaluate_file(DATA / "msra_heldout_eval.bio", model=CRF)
    assert (res["sentences"], res["chars"]) == (200, 10316)
    counts = {
        k: (v["support"], v["predicted"], v["correct"])
        for k, v in res.items()
        if isinstance(v, dict)
    }
    assert counts == EXPECTED_MSRA_FIXTURE


def test_evaluate_file_ignores_labels_the_model_lacks():
    res = evaluate_file(DATA / "resume_sample.bmes", model=CRF)
    assert "TITLE" not in res  # the CRF has no TITLE label
    counts = {
        k: (v["support"], v["predicted"], v["correct"])
        for k, v in res.items()
        if isinstance(v, dict)
    }
    # Resume's nationality spans are "中国国籍" (CONT -> GPE); the model tags "中国" only
    assert counts == {
        "GPE": (3, 4, 0),
        "ORG": (32, 33, 29),
        "PERSON": (5, 5, 5),
        "micro": (40, 42, 34),
    }


# The shipped model on the fixture: (gold, predicted, correct) per label.
EXPECTED_MSRA_FIXTURE = {
    "GPE": (75, 78, 68),
    "ORG": (59, 56, 50),
    "PERSON": (83, 67, 64),
    "micro": (217, 201, 182),
}
