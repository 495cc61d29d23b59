import json
import time
from pathlib import Path

import pytest

from pipeline.charner import CharNER
from pipeline.corpora import read_examples
from pipeline.evaluate_ner import evaluate_file
from pipeline.train import holdout_split, train, write_holdout

DATA = Path(__file__).parent / "data" / "ner"


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    out = tmp_path_factory.mktemp("ner")
    start = time.perf_counter()
    result = train(DATA, out, sample=DATA / "msra_heldout_train.bio", eval_path=DATA / "msra_heldout_eval.bio",
                   max_iterations=50, quiet=True)
    return out, result, time.perf_counter() - start


def test_sample_training_is_quick(trained):
    _, result, seconds = trained
    assert seconds < 60
    assert result["train_sentences"] == 300
    assert result["iterations"] == 50


def test_sample_training_scores_come_from_evaluate_file(trained):
    out, result, _ = trained
    again = evaluate_file(DATA / "msra_heldout_eval.bio", model=out)
    strip = lambda r: {k: v for k, v in r.items() if k != "seconds"}  # noqa: E731
    assert strip(again) == strip(result["eval"])
    # 300 training sentences, no gazetteers in DATA: a weak model, but clearly a model
    assert result["eval"]["micro"]["f1"] > MIN_SAMPLE_F1
    assert result["eval"]["PERSON"]["f1"] > MIN_SAMPLE_PERSON_F1


def test_sample_model_reloads_and_predicts_identically(trained):
    out, result, _ = trained
    texts = [ex.text for ex in read_examples(DATA / "msra_heldout_eval.bio")]
    first, second = CharNER.load(out), CharNER.load(out)
    assert first.predict_batch(texts) == second.predict_batch(texts)
    assert result["crfsuite_agreement"] == 1.0  # our Viterbi decodes as crfsuite's tagger does
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["data"] == {"msra_heldout_train.bio": 300}
    assert meta["scores"]["micro"] == round(result["eval"]["micro"]["f1"], 4)


def test_holdout_split_takes_the_last_sentences():
    examples = read_examples(DATA / "msra_heldout_eval.bio")
    train_part, held = holdout_split(examples, 50)
    assert (len(train_part), len(held)) == (150, 50)
    assert held[0].text == examples[150].text and held[-1].text == examples[-1].text


def test_write_holdout(tmp_path):
    data = tmp_path / "data"
    (data / "msra_ner").mkdir(parents=True)
    lines = "".join(f"{'张三在北京'[i % 5]}\t{['B-PER', 'I-PER', 'O', 'B-LOC', 'I-LOC'][i % 5]}\n" + ("\n" if i % 5 == 4 else "")
                    for i in range(5 * 3005))
    (data / "msra_ner" / "train.bio").write_text(lines, encoding="utf-8")
    assert write_holdout(data, tmp_path / "held.bio") == 3000
    held = read_examples(tmp_path / "held.bio")
    assert len(held) == 3000 and held[0].spans == [(0, 2, "PERSON"), (3, 5, "GPE")]


# Thresholds the sample run really reaches (see the module fixture).
MIN_SAMPLE_F1 = 0.40  # measured: 0.4169
MIN_SAMPLE_PERSON_F1 = 0.20  # measured: 0.2292
