import json
from importlib import resources

import pytest

from pipeline.charner import CharNER, split_sentences, word_positions


@pytest.fixture(scope="module")
def ner():
    return CharNER.load()


def test_packaged_model_files_are_package_resources():
    base = resources.files("pipeline") / "models" / "ner"
    names = {p.name for p in base.iterdir()}
    assert {"meta.json", "weights.npz", "attributes.json.gz", "gazetteers.json.gz"} <= names
    meta = json.loads((base / "meta.json").read_text(encoding="utf-8"))
    assert meta["tags"][0] == "O"
    assert sum(p.stat().st_size for p in resources.as_file(base).__enter__().iterdir()) <= 30 * 2**20


def test_labels(ner):
    assert ner.entity_labels == ["GPE", "ORG", "PERSON"]


@pytest.mark.parametrize(
    "text, spans",
    [
        ("青岛市政府副秘书长王东翔出席活动并致辞", [(0, 5, "ORG"), (9, 12, "PERSON")]),
        ("中联重科董事长詹纯新", [(0, 4, "ORG"), (7, 10, "PERSON")]),
        ("由青岛市新能源汽车产业协会牵头", [(1, 13, "ORG")]),
        ("华硕电脑共同执行长胡书宾", [(0, 4, "ORG"), (9, 12, "PERSON")]),
    ],
)
def test_predict_exact_spans(ner, text, spans):
    assert ner.predict(text) == spans


@pytest.mark.xfail(reason="known miss: filled in from the shipped model", strict=True)
def test_predict_known_miss(ner):
    assert ner.predict("台南市长黄伟哲今(7)日与台南纺织股份有限公司总经理王立范签订合作备忘录") == [
        (0, 2, "GPE"), (4, 7, "PERSON"), (12, 22, "ORG"), (25, 28, "PERSON")]


def test_predict_with_words_equals_self_segmentation(ner):
    import jieba

    text = "青岛市政府副秘书长王东翔出席活动并致辞。中联重科董事长詹纯新表示，将与AMD、NVIDIA合作。"
    words = jieba.Tokenizer().lcut(text, HMM=True)
    assert ner.predict(text, words) == ner.predict(text)


def test_predict_offsets_across_sentences(ner):
    text = "他说。\n青岛市政府副秘书长王东翔出席活动并致辞"
    assert ner.predict(text) == [(4, 9, "ORG"), (13, 16, "PERSON")]


def test_predict_batch_equals_predict(ner):
    texts = ["青岛市政府副秘书长王东翔出席活动并致辞", "", "中联重科董事长詹纯新", "华硕电脑共同执行长胡书宾"]
    assert ner.predict_batch(texts) == [ner.predict(t) for t in texts]


def test_predict_rejects_words_that_do_not_match(ner):
    with pytest.raises(ValueError):
        ner.predict("中联重科董事长", ["中联", "重科"])


def test_predict_empty_and_reserved_characters(ner):
    assert ner.predict("") == []
    assert ner.predict("\x00\x02") == []


def test_split_sentences():
    assert split_sentences("他说：“好。”然后走了！对吗？\n\n是的") == [(0, 7), (7, 12), (12, 17), (17, 19)]
    long = "一" * 150 + "，" + "二" * 150
    assert split_sentences(long) == [(0, 151), (151, 301)]
    assert split_sentences("三" * 450) == [(0, 200), (200, 400), (400, 450)]
    assert split_sentences("") == []


def test_word_positions():
    assert word_positions(["青岛市", "的", "中联重科股份"]) == (
        "B3M3E3S1B5M5M5M5M5E5",
        ["青岛市"] * 3 + ["的"] + ["中联重科股份"] * 6,
    )
