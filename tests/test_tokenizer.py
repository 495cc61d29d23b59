"""Tokenise stage: the registered jieba tokenizer (pinned segmentations) and sentence splitting."""

from __future__ import annotations

import jieba
import pytest
from conftest import run_components

# Pinned so that a dictionary change that moves entity boundaries shows up here.
SEGMENTATIONS = [
    (
        "青岛市政府副秘书长王东翔出席活动并致辞",
        ["青岛市政府", "副秘书长", "王东翔", "出席", "活动", "并", "致辞"],
    ),
    ("江阴市长王锡南", ["江阴", "市长", "王锡南"]),
    ("由青岛市新能源汽车产业协会牵头", ["由", "青岛市", "新能源", "汽车", "产业协会", "牵头"]),
    ("组成「产业辅导团」提供", ["组成", "「", "产业", "辅导团", "」", "提供"]),
    ("国家智能网联汽车创新中心", ["国家", "智能网联", "汽车", "创新中心"]),
    ("Pix moving 无人驾驶", ["Pix", " ", "moving", " ", "无人驾驶"]),
    ("第一行\n第二行", ["第一行", "\n", "第二行"]),
    # jieba reads 台南市|府; 市府 is the short form of 市政府
    ("台南市府配合中央", ["台南", "市府", "配合", "中央"]),
    ("市府团队", ["市府", "团队"]),
    # jieba's dictionary holds 总裁兼 as an abbreviation; the user dictionary removes it
    ("总裁兼CEO李明", ["总裁", "兼", "CEO", "李明"]),
    (
        "在沙仑绿能科技示范场域进行测试",
        ["在", "沙仑", "绿能", "科技", "示范", "场域", "进行", "测试"],
    ),
]


@pytest.mark.parametrize("text,words", SEGMENTATIONS)
def test_segmentation_is_pinned(processor_jieba, text, words):
    assert [t.text for t in processor_jieba.nlp.make_doc(text)] == words


def test_kept_traditional_variants_are_dictionary_words(processor_jieba):
    """t2s keeps 著 where jieba's dictionary writes 着 (rules/variants.tsv): 随著 is read as 随着,
    a preposition, and starts no company's name (隨著公司因產能提升)."""
    doc = processor_jieba.nlp.make_doc("隨著公司因產能提升，沿著道路前進，著名企業")
    assert [(t.text, t.tag_) for t in doc][:2] == [("随著", "p"), ("公司", "n")]
    assert [t.text for t in doc][6:8] == ["沿著", "道路"]
    assert [t.text for t in doc][-2:] == ["著名", "企业"]  # a word written with 著 stays itself


def test_tokens_carry_dictionary_tags(processor_jieba):
    doc = processor_jieba.nlp.make_doc("青岛市工业和信息化局2027年")
    assert [(t.text, t.tag_) for t in doc] == [
        ("青岛市", "ns"),
        ("工业", "n"),
        ("和", "c"),
        ("信息化", "n"),
        ("局", "n"),
        ("2027", "m"),
        ("年", "m"),
    ]


def test_private_dictionary_does_not_touch_global_jieba(processor_jieba):
    assert "辅导团" in processor_jieba.nlp.tokenizer.jieba.FREQ
    assert jieba.dt.FREQ.get("辅导团") in (None, 0)


@pytest.mark.parametrize(
    "text,sentences",
    [
        ("他说：「好。」然后走了。第二句！", ["他说：「好。」", "然后走了。", "第二句！"]),
        ("标题\n第一段；第二段", ["标题\n", "第一段；", "第二段"]),
        ("没有标点的句子", ["没有标点的句子"]),
    ],
)
def test_sentences(processor_jieba, text, sentences):
    doc = run_components(processor_jieba, text, ["zhie_sentences"])
    assert [s.text for s in doc.sents] == sentences


def test_words_cut_across_are_regrouped():
    from zhie.nlp.tokenizer import regroup

    pairs = {"市府", "县府", "场域"}
    assert regroup(["台南市", "府", "配合"], pairs) == ["台南", "市府", "配合"]
    assert regroup(["嘉义县", "府"], pairs) == ["嘉义", "县府"]
    assert regroup(["示范场", "域", "进行"], pairs) == ["示范", "场域", "进行"]
    assert regroup(["该市", "府"], pairs) == ["该市", "府"]  # the word would keep one character
    assert regroup(["府", "城"], pairs) == ["府", "城"]
    assert regroup(["台南市", "场"], pairs) == ["台南市", "场"]
