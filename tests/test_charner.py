import json
from importlib import resources

import pytest

from zhie.ner.charner import align_words, split_sentences, word_positions
from zhie.ner.models import load_model


@pytest.fixture(scope="module")
def ner():
    return load_model(
        resources.files("zhie") / "models" / "ner_crf"
    )  # the CRF, kept for comparison


def test_packaged_model_files_are_package_resources():
    base = resources.files("zhie") / "models" / "ner_crf"
    names = {p.name for p in base.iterdir()}
    meta = json.loads((base / "meta.json").read_text(encoding="utf-8"))
    own = {"neural": "vocab.json.gz", "crf": "attributes.json.gz"}[meta.get("model", "crf")]
    assert {"meta.json", "weights.npz", own, "gazetteers.json.gz"} <= names
    assert meta["tags"][0] == "O"
    with resources.as_file(base) as path:
        assert sum(p.stat().st_size for p in path.iterdir()) <= 30 * 2**20


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


@pytest.mark.parametrize(
    "text, spans",
    [
        (
            "国务院总理李克强在北京会见了美国国务卿",
            [(0, 3, "ORG"), (5, 8, "PERSON"), (9, 11, "GPE"), (14, 16, "GPE")],
        ),
        ("记者张伟报道，清华大学签署协议。", [(2, 4, "PERSON"), (7, 11, "ORG")]),
    ],
)
def test_predict_more_exact_spans(ner, text, spans):
    assert ner.predict(text) == spans


@pytest.mark.xfail(
    reason="known miss: MSRA tags 台南市 before 长; our guideline wants GPE 台南 + title 市长",
    strict=True,
)
def test_known_miss_place_glued_to_title(ner):
    assert ner.predict("台南市长黄伟哲今(7)日与台南纺织股份有限公司总经理王立范签订合作备忘录") == [
        (0, 2, "GPE"),
        (4, 7, "PERSON"),
        (13, 23, "ORG"),
        (26, 29, "PERSON"),
    ]


def test_place_glued_to_title_rest_is_right(ner):
    text = "台南市长黄伟哲今(7)日与台南纺织股份有限公司总经理王立范签订合作备忘录"
    assert ner.predict(text)[1:] == [(4, 7, "PERSON"), (13, 23, "ORG"), (26, 29, "PERSON")]


@pytest.mark.xfail(reason="known miss: short brand names of companies are not in MSRA", strict=True)
def test_known_miss_brand_names(ner):
    assert ner.predict("九识、新石器、吉青、菜鸟等无人低速驾驶汽车") == [
        (0, 2, "ORG"),
        (3, 6, "ORG"),
        (7, 9, "ORG"),
        (10, 12, "ORG"),
    ]


@pytest.mark.xfail(reason="known miss: Latin-script company names", strict=True)
def test_known_miss_latin_names(ner):
    assert ner.predict("与AMD、NVIDIA合作") == [(1, 4, "ORG"), (5, 11, "ORG")]


@pytest.mark.xfail(
    reason="known miss: MSRA splits place + government body; our ORG includes the place",
    strict=True,
)
def test_known_miss_place_prefixed_government(ner):
    assert ner.predict("上海市浦东新区人民政府与清华大学签署协议") == [
        (0, 11, "ORG"),
        (12, 16, "ORG"),
    ]


def test_predict_with_words_equals_self_segmentation(ner):
    import jieba

    text = "青岛市政府副秘书长王东翔出席活动并致辞。中联重科董事长詹纯新表示，将与AMD、NVIDIA合作。"
    words = jieba.Tokenizer().lcut(text, HMM=True)
    assert ner.predict(text, words) == ner.predict(text)


def test_predict_offsets_across_sentences(ner):
    text = "他说。\n青岛市政府副秘书长王东翔出席活动并致辞"
    assert ner.predict(text) == [(4, 9, "ORG"), (13, 16, "PERSON")]


def test_predict_batch_equals_predict(ner):
    texts = [
        "青岛市政府副秘书长王东翔出席活动并致辞",
        "",
        "中联重科董事长詹纯新",
        "华硕电脑共同执行长胡书宾",
    ]
    assert ner.predict_batch(texts) == [ner.predict(t) for t in texts]


def test_predict_ignores_words_that_do_not_match(ner):
    assert ner.predict("中联重科董事长詹纯新", ["中联", "重科"]) == ner.predict(
        "中联重科董事长詹纯新"
    )


def test_predict_accepts_tokens_without_whitespace(ner):
    # spaCy token texts leave out the whitespace that follows a token
    text = "中联重科 董事长詹纯新"
    assert ner.predict(text, ["中联重科", "董事长", "詹纯新"]) == ner.predict(
        text, ["中联重科", " ", "董事长", "詹纯新"]
    )


@pytest.mark.parametrize(
    "text, words, aligned",
    [
        ("ab c", ["ab", " ", "c"], ["ab", " ", "c"]),
        ("ab  c ", ["ab", "c"], ["ab", "  ", "c", " "]),
        ("ab c", ["ab", "x"], None),
        ("abc", ["ab"], None),
    ],
)
def test_align_words(text, words, aligned):
    assert align_words(text, words) == aligned


def test_predict_empty_and_reserved_characters(ner):
    assert ner.predict("") == []
    assert ner.predict("\x00\x02") == []


def test_split_sentences():
    assert split_sentences("他说：“好。”然后走了！对吗？\n\n是的") == [
        (0, 7),
        (7, 12),
        (12, 17),
        (17, 19),
    ]
    long = "一" * 150 + "，" + "二" * 150
    assert split_sentences(long) == [(0, 151), (151, 301)]
    assert split_sentences("三" * 450) == [(0, 200), (200, 400), (400, 450)]
    assert split_sentences("") == []


def test_word_positions():
    assert word_positions(["青岛市", "的", "中联重科股份"]) == (
        "B3M3E3S1B5M5M5M5M5E5",
        ["青岛市"] * 3 + ["的"] + ["中联重科股份"] * 6,
    )


def test_feature_ids_equal_the_ids_of_the_feature_strings(ner):
    from itertools import repeat

    import numpy as np

    from zhie.ner.charner import PAD, pad_join

    texts = [
        "青岛市政府副秘书长王东翔出席活动并致辞。中联重科董事长詹纯新表示，将与AMD合作。",
        "欧阳娜娜、司马光和诸葛亮在华为技术有限公司，２０２４年 3月\u3000ＡＢＣ abc",
        "a\ud800b\U0001f600c\U00020000 \t x",
    ]
    for text in texts:
        wpos, wword = word_positions(ner._words(text))
        padded = pad_join([text])
        wpos, wword = "S1S1" + wpos + "S1S1", [PAD] * 2 + wword + [PAD] * 2
        bases = ner.featurizer.bases(padded, wpos, wword)
        expected = {
            base: np.fromiter(map(ner.vocab[base].get, values, repeat(0)), np.int64)
            for base, values in bases.items()
            if base in ner.vocab
        }
        ids = dict(ner.feature_ids.ids(padded, wpos, wword))
        assert list(ids) == list(expected)
        for base, values in expected.items():
            assert ids[base].tolist() == values.tolist(), base
