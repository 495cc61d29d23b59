import json
import time
from pathlib import Path

import pytest

from zhie.evaluate.ner import evaluate_file
from zhie.ner.charner import CharNER
from zhie.ner.corpora import read_examples
from zhie.ner.models import load_model
from zhie.training.train import holdout_split, load_corpus, train, write_holdout

DATA = Path(__file__).parent / "data" / "ner"
SAMPLE = dict(
    sample=DATA / "msra_heldout_train.bio", eval_path=DATA / "msra_heldout_eval.bio", quiet=True
)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """The neural candidate trained on the 300-sentence sample."""
    pytest.importorskip(
        "torch", reason="training the neural NER model needs torch (pip install 'zhie[train]')"
    )
    out = tmp_path_factory.mktemp("ner")
    start = time.perf_counter()
    result = train(DATA, out, model="neural", max_iterations=SAMPLE_EPOCHS, **SAMPLE)
    return out, result, time.perf_counter() - start


@pytest.fixture(scope="module")
def trained_crf(tmp_path_factory):
    out = tmp_path_factory.mktemp("ner_crf")
    start = time.perf_counter()
    result = train(DATA, out, max_iterations=50, **SAMPLE)  # the default: the CRF
    return out, result, time.perf_counter() - start


def test_sample_training_is_quick(trained):
    _, result, seconds = trained
    assert seconds < 60
    assert result["train_sentences"] == 300
    assert result["iterations"] == SAMPLE_EPOCHS


def test_sample_training_scores_come_from_evaluate_file(trained):
    out, result, _ = trained
    again = evaluate_file(DATA / "msra_heldout_eval.bio", model=out)
    strip = lambda r: {k: v for k, v in r.items() if k != "seconds"}  # noqa: E731
    assert strip(again) == strip(result["eval"])
    # 300 training sentences, no gazetteers in DATA: a weak model, but clearly a model
    assert result["eval"]["micro"]["f1"] > MIN_SAMPLE_F1
    assert result["eval"]["GPE"]["f1"] > MIN_SAMPLE_GPE_F1


def test_sample_model_reloads_and_predicts_identically(trained):
    from zhie.ner.neural import NeuralNER

    out, result, _ = trained
    texts = [ex.text for ex in read_examples(DATA / "msra_heldout_eval.bio")]
    first, second = load_model(out), load_model(out)
    assert isinstance(first, NeuralNER)
    assert first.predict_batch(texts) == second.predict_batch(texts)
    # numpy inference computes the emissions that torch computed (float16 tables as stored)
    assert result["torch_max_abs_diff"] < 1e-4
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["model"] == "neural"
    assert meta["data"] == {"msra_heldout_train.bio": 300}
    assert meta["scores"]["micro"] == round(result["eval"]["micro"]["f1"], 4)
    assert {p.name for p in out.iterdir()} == {
        "meta.json",
        "weights.npz",
        "vocab.json.gz",
        "gazetteers.json.gz",
    }


def test_predict_batch_equals_predict_neural(trained):
    model = load_model(trained[0])
    texts = [ex.text for ex in read_examples(DATA / "msra_heldout_eval.bio")][:20] + [
        "",
        "\x00\x02",
    ]
    assert model.predict_batch(texts) == [model.predict(t) for t in texts]


def test_crf_sample_training(trained_crf):
    out, result, seconds = trained_crf
    assert seconds < 60
    assert result["iterations"] == 50
    model = load_model(out)
    assert type(model) is CharNER
    assert result["crfsuite_agreement"] == 1.0  # our Viterbi decodes as crfsuite's tagger does
    again = evaluate_file(DATA / "msra_heldout_eval.bio", model=out)
    assert again["micro"] == result["eval"]["micro"]
    assert result["eval"]["micro"]["f1"] > MIN_SAMPLE_CRF_F1
    assert result["eval"]["PERSON"]["f1"] > MIN_SAMPLE_CRF_PERSON_F1
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["model"] == "crf" and meta["data"] == {"msra_heldout_train.bio": 300}


def test_unknown_model_type(tmp_path):
    with pytest.raises(ValueError, match="unknown model type"):
        train(DATA, tmp_path, model="bert", **SAMPLE)


def test_holdout_split_takes_the_last_sentences():
    examples = read_examples(DATA / "msra_heldout_eval.bio")
    train_part, held = holdout_split(examples, 50)
    assert (len(train_part), len(held)) == (150, 50)
    assert held[0].text == examples[150].text and held[-1].text == examples[-1].text


def test_write_holdout(tmp_path):
    data = tmp_path / "data"
    (data / "msra_ner").mkdir(parents=True)
    lines = "".join(
        f"{'张三在北京'[i % 5]}\t{['B-PER', 'I-PER', 'O', 'B-LOC', 'I-LOC'][i % 5]}\n"
        + ("\n" if i % 5 == 4 else "")
        for i in range(5 * 3005)
    )
    (data / "msra_ner" / "train.bio").write_text(lines, encoding="utf-8")
    assert write_holdout(data, tmp_path / "held.bio") == 3000
    held = read_examples(tmp_path / "held.bio")
    assert len(held) == 3000 and held[0].spans == [(0, 2, "PERSON"), (3, 5, "GPE")]


# The sample run's epochs and the thresholds it really reaches (see the module fixtures).
SAMPLE_EPOCHS = 30  # about 20 s on an idle 2-core machine
MIN_SAMPLE_F1 = 0.35  # measured: 0.4324
MIN_SAMPLE_GPE_F1 = 0.45  # measured: 0.5932
MIN_SAMPLE_CRF_F1 = 0.40  # measured: 0.4169
MIN_SAMPLE_CRF_PERSON_F1 = 0.20  # measured: 0.2292


def test_load_corpus_cluener_options(tmp_path):
    rows = [
        {
            "text": "招行在上海",
            "label": {"company": {"招行": [[0, 1]]}, "address": {"上海": [[3, 4]]}},
        },
        {"text": "曼联赢了", "label": {"organization": {"曼联": [[0, 1]]}}},
        {
            "text": "汇丰和卫健委",
            "label": {"company": {"汇丰": [[0, 1]]}, "government": {"卫健委": [[3, 5]]}},
        },
    ]
    (tmp_path / "cluener2020").mkdir()
    (tmp_path / "cluener2020" / "train.json").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    texts = {
        (address, organization): [
            (e.text, e.spans)
            for e in load_corpus(
                tmp_path,
                "cluener",
                cluener_address=address,
                cluener_organization=organization,
            )
        ]
        for address in ("gpe", "drop")
        for organization in ("org", "drop")
    }
    assert texts["gpe", "org"] == [
        ("招行在上海", [(0, 2, "ORG"), (3, 5, "GPE")]),
        ("曼联赢了", [(0, 2, "ORG")]),
        ("汇丰和卫健委", [(0, 2, "ORG"), (3, 6, "ORG")]),
    ]
    assert [t for t, _ in texts["drop", "drop"]] == ["汇丰和卫健委"]
    assert [t for t, _ in texts["gpe", "drop"]] == ["招行在上海", "汇丰和卫健委"]
    assert [t for t, _ in texts["drop", "org"]] == ["曼联赢了", "汇丰和卫健委"]
    with pytest.raises(ValueError, match="cluener_organization"):
        load_corpus(tmp_path, "cluener", cluener_organization="person")
