"""Organisations: kinds, short forms and full names."""

from __future__ import annotations

import pytest
from conftest import analyse

from zhie.nlp.components.organisations import KindClassifier
from zhie.nlp.lexicon import load_lexicon
from zhie.nlp.names import NameForms, is_abbreviation
from zhie.resources import resolve_path


@pytest.fixture(scope="module")
def classifier():
    return KindClassifier.load(resolve_path("rules:"))


@pytest.mark.parametrize(
    "name,kind",
    [
        ("青岛市政府", "government"),
        ("经济发展局", "government"),
        ("台南市政府两岸小组", "government"),
        ("青岛日报报业集团", "media"),
        ("青岛大学", "education"),
        ("中央警察大学公共安全学系", "education"),
        ("中国科学院青岛生物能源与过程研究所", "research"),
        ("中国中药协会中药材信息中心", "research"),
        ("青岛市新能源汽车产业协会", "association"),
        ("麻豆区农会", "association"),
        ("台南纺织股份有限公司", "company"),
        ("台湾碳权交易所", "company"),
        ("菜鸟", "company"),
        ("联发科", "company"),  # a listed company, though 科 (section) ends government bodies
        ("工业区科", "government"),
        ("天衡律师事务所", "company"),  # a law firm, though 事务所 ends government offices
        ("经济部投资台湾事务所", "government"),
        ("工研院材化所", "research"),  # a unit's abbreviated 研究所
        ("东城派出所", "government"),
    ],
)
def test_kind_of_a_name(classifier, name, kind):
    assert classifier.kind(name, [name]) == kind


def test_kind_of_a_short_form_is_that_of_its_full_name(classifier):
    assert classifier.kind("成大", ["成大", "成功大学"]) == "education"
    assert classifier.kind("中联重科", ["中联重科", "中联重工科技发展股份有限公司"]) == "company"
    assert classifier.kind("BSI", ["BSI"], {"BSI": "英国标准协会"}) == "association"


@pytest.mark.parametrize(
    "short,full,expected",
    [
        ("经发局", "经济发展局", True),
        ("成大", "成功大学", True),
        ("南市府", "台南市政府", True),
        ("亚总", "亚洲台湾商会联合总会", True),
        ("研考会", "研考会-智慧发展中心", False),
        ("青岛", "青岛大学", False),
        ("大学", "成功大学", False),
        ("成大", "国立成功大学", False),
        ("深交所", "沪深证券交易所", False),  # starts inside, its first two characters apart
        ("北市府", "台北市政府", True),
    ],
)
def test_is_abbreviation(short, full, expected):
    assert is_abbreviation(short, full) is expected


def test_a_short_form_in_brackets_may_skip_a_modifier():
    assert is_abbreviation("成大", "国立成功大学", bracketed=True)
    assert not is_abbreviation("大学", "国立成功大学", bracketed=True)


def test_short_form_in_brackets_after_the_full_name(processor_jieba):
    text = "标题\n国立成功大学（成大）校长出席，成大表示支持。"
    doc = analyse(processor_jieba, text, {})
    assert [(s.text, s.label_) for s in doc.spans["mentions"] if s.label_ == "ORG"] == [
        ("国立成功大学", "ORG"),
        ("成大", "ORG"),
        ("成大", "ORG"),
    ]
    assert [(o.name, o.kind) for o in doc._.organisations] == [
        ("国立成功大学", "education"),
        ("成大", "education"),
    ]


def test_aliases_and_fullest_name():
    forms = NameForms(load_lexicon(resolve_path("rules:")))
    aliases, fullest_name = forms.aliases, forms.fullest_name
    assert aliases("宏齐科技股份有限公司") == ["宏齐科技", "宏齐"]
    assert aliases("华硕电脑") == ["华硕"]
    assert aliases("青岛大学") == []
    # the place of registration in brackets goes with the legal suffix; 智能 is an industry word
    assert aliases("宏岩智能科技（北京）有限公司") == ["宏岩智能科技", "宏岩智能", "宏岩"]
    names = ["台南市政府", "台南市政府农业局", "宏齐科技股份有限公司", "经济发展局"]
    assert [fullest_name(n, names) for n in ("台南市政府", "宏齐", "经发局", "工研院")] == [
        "台南市政府",
        "宏齐科技股份有限公司",
        "经济发展局",
        "工研院",
    ]


@pytest.mark.parametrize(
    "short,full,expected",
    [
        # a place and the same suffix is the place's own body, no short form of a longer one
        ("青岛大学", "青岛科技大学", False),
        ("北京大学", "北京师范大学", False),
        # a government keeps its short forms; other short forms are unchanged
        ("青岛市政府", "青岛市人民政府", True),
        ("经发局", "经济发展局", True),
        ("成大", "成功大学", True),
    ],
)
def test_a_place_and_a_suffix_abbreviate_no_longer_name(short, full, expected):
    forms = NameForms(load_lexicon(resolve_path("rules:")))
    assert forms.abbreviates(short, full) is expected


def test_two_universities_of_one_city_sign_as_two(processor_jieba):
    doc = processor_jieba.nlp("青岛科技大学与青岛大学签署合作协议。")
    [event] = doc._.events
    assert event.texts("party") == ["青岛科技大学", "青岛大学"]


def test_organisations_table_of_an_article(processor_jieba):
    text = "标题\n英国标准协会（BSI）与昱晟科技股份有限公司签约。BSI表示，昱晟科技将投资。"
    doc = analyse(processor_jieba, text, {})
    assert [(o.name, o.kind, o.mentions) for o in doc._.organisations] == [
        ("英国标准协会", "association", 1),
        ("BSI", "association", 2),
        ("昱晟科技股份有限公司", "company", 1),
        ("昱晟科技", "company", 1),
    ]
