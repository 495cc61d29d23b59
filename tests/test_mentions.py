"""Mentions: rules, model and lexicon spans merged into one set of mentions with their source."""

from __future__ import annotations

import pytest
from conftest import analyse


def mentions(doc):
    return [(s.text, s.label_, s._.source) for s in doc.spans["mentions"]]


def test_rules_win_over_a_model_span_that_cuts_a_full_name(processor_jieba):
    doc = analyse(
        processor_jieba,
        "台南纺织股份有限公司总经理王立范出席。",
        {"台南纺织股份": "ORG", "王立范": "PERSON"},
    )
    assert mentions(doc) == [("台南纺织股份有限公司", "ORG", "rule"), ("王立范", "PERSON", "rule")]


def test_short_form_of_a_full_name_is_a_mention(processor_jieba):
    doc = analyse(processor_jieba, "台南纺织股份有限公司今日签约。台南纺织表示欢迎。", {})
    assert [(s.text, s.start_char) for s in doc.spans["mentions"]] == [
        ("台南纺织股份有限公司", 0),
        ("台南纺织", 15),
    ]


# a model span that ends in a noun describing a company names none (company_apposition_head)
def test_titles_joined_by_jian_are_no_organisation(processor_jieba):
    doc = analyse(processor_jieba, "公司总裁兼CEO李明出席。", {"公司": "ORG", "李明": "PERSON"})
    assert mentions(doc) == [("李明", "PERSON", "rule")]


@pytest.mark.parametrize("span", ["APS组织由东阿阿胶", "市长黄伟哲", "齿轮箱独家供应商"])
def test_implausible_model_spans_are_dropped(processor_jieba, span):
    text = f"今年{span}发起成立。"
    doc = analyse(processor_jieba, text, {span: "ORG"})
    assert span not in [s.text for s in doc.spans["mentions"]]


# a number and a kind character counts a body's units (numbered_unit); a web address is no
# entity (web_address); names that start with a numeral but end in no kind character stay
@pytest.mark.parametrize(
    "text,spans,expected",
    [
        ("目前一、二厂全线生产，三厂年底完工。", {"二厂": "ORG", "三厂": "ORG"}, []),
        ("第三厂将迁往新区。", {"第三厂": "ORG"}, []),
        ("平台（www.efeiyi.com）今日上线。", {"www.efeiyi.com": "ORG"}, []),
        ("详见 shop.example.com.tw 的公告。", {"shop.example.com.tw": "ORG"}, []),
        ("三星与一汽今日签约。", {"三星": "ORG", "一汽": "ORG"}, ["三星", "一汽"]),
        # finance terms of latin_terms.txt name no body, whatever the model says
        ("公司IPO募集资金，ETF也在香港上市。", {"IPO": "ORG", "ETF": "ORG"}, []),
    ],
)
def test_numbered_units_and_web_addresses_are_no_names(processor_jieba, text, spans, expected):
    doc = analyse(processor_jieba, text, spans)
    assert [s.text for s in doc.spans["mentions"] if s.label_ == "ORG"] == expected


@pytest.mark.parametrize(
    "text,spans,expected",
    [
        # a bare kind word refers back to the company; it names none (generic_company)
        (
            "城西能源集团今日签约。近年来，集团已转型发展，集团平台优势明显。",
            {"集团": "ORG"},
            ["城西能源集团"],
        ),
        ("公司表示，集团将加大投资。", {"集团": "ORG", "公司": "ORG"}, []),
    ],
)
def test_a_bare_kind_word_is_no_name(processor_jieba, text, spans, expected):
    doc = analyse(processor_jieba, text, spans)
    assert [s.text for s in doc.spans["mentions"] if s.label_ == "ORG"] == expected


@pytest.mark.parametrize(
    "text,spans,expected",
    [
        # a place's party committee before a title is part of the title (place_party_committee)
        ("临海区委书记张明出席。", {"临海区委": "ORG"}, [("临海", "GPE")]),
        ("宁波市委副书记李强致辞。", {"宁波市委": "ORG"}, [("宁波", "GPE")]),
        # not before a title, the committee stays with the model's span
        ("宁波市委决定加强领导。", {"宁波市委": "ORG"}, [("宁波市委", "ORG")]),
    ],
)
def test_a_party_committee_before_a_title_is_left_to_it(processor_jieba, text, spans, expected):
    doc = analyse(processor_jieba, text, spans)
    assert [(s.text, s.label_) for s in doc.spans["mentions"] if s.label_ != "PERSON"] == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # a unit's abbreviation right after its parent's name belongs to the name (sub_unit_suffix)
        ("工研院材化所研究员李明表示。", ["工研院材化所"]),
        ("中科院物理所所长王华出席。", ["中科院物理所"]),
        # 所 before a verb is a particle, and no unit stands after a name without a short word
        ("台南市政府所推动的计划。", ["台南市政府"]),
        ("工研院所属单位出席。", ["工研院"]),
    ],
)
def test_a_units_abbreviation_joins_its_parent(processor_jieba, text, expected):
    doc = analyse(processor_jieba, text, {})
    assert [s.text for s in doc.spans["mentions"] if s.label_ == "ORG"] == expected


def test_place_before_a_mayor_is_the_bare_name(processor_jieba):
    doc = analyse(processor_jieba, "高雄市长陈其迈、澎湖县长陈光复、首尔市议员出席。", {})
    assert [s.text for s in doc.spans["mentions"] if s.label_ == "GPE"] == [
        "高雄",
        "澎湖",
        "首尔市",
    ]


@pytest.mark.parametrize(
    "text,cut,expected",
    [
        # a model span that cuts 园区 does not break the suffix word: the rules find the park
        ("结合台南柳营科技园区与腹地", (0, 7, "GPE"), [("台南柳营科技园区", "FAC", "rule")]),
        # an organisation before a suffix inside a word: the word is split for the name grammar
        ("武钢股份在公告中称", (0, 2, "ORG"), [("武钢股份", "ORG", "rule")]),
        # a place of the lexicon inside a word
        ("香港回归以来", (0, 2, "GPE"), [("香港", "GPE", "lexicon")]),
    ],
)
def test_model_spans_that_cut_words(processor_jieba, text, cut, expected):
    from conftest import AFTER_NER, run_components

    doc = run_components(processor_jieba, text, ["zhie_sentences"])
    assert doc.char_span(cut[0], cut[1]) is None  # the span cuts one of jieba's words
    doc.spans["ner"] = []
    doc._.ner_cuts = [cut]
    doc._.word_bounds = {t.idx for t in doc} | {len(text)}  # as the NER stage leaves them
    for name in AFTER_NER:
        doc = processor_jieba.nlp.get_pipe(name)(doc)
    assert mentions(doc) == expected


@pytest.mark.parametrize(
    "text,names,expected",
    [
        # a model span that starts with a predicate before the name: the name starts after it
        (
            "标题\n恭喜台南纺织股份有限公司获奖。",
            {"恭喜台南纺织股份有限公司": "ORG"},
            [("台南纺织股份有限公司", "ORG")],
        ),
        # an unknown word before a place starts no name (the rules' span)
        ("标题\n送件台南市政府审查。", {}, [("台南市政府", "ORG")]),
        # the model's nouns stay; a predicate before a bare kind leaves no name
        ("标题\n保险业监管局发布指引。", {"保险业监管局": "ORG"}, [("保险业监管局", "ORG")]),
        ("标题\n创新学院成立。", {"创新学院": "ORG"}, []),
        # a noun that describes a company stays before its name (company_apposition_head), in
        # the rules' span and in the model's; the kind word of the word before starts no name
        (
            "标题\n作为独家供应商富士康科技集团宣布扩产。",
            {},
            [("富士康科技集团", "ORG")],
        ),
        (
            "标题\n这家汽车零部件制造商华域汽车系统股份有限公司表示。",
            {},
            [("华域汽车系统股份有限公司", "ORG")],
        ),
        (
            "标题\n全球电动车厂特斯拉齿轮箱制造商华域汽车系统股份有限公司表示。",
            {"厂特斯拉齿轮箱制造商华域汽车系统股份有限公司": "ORG"},
            [("华域汽车系统股份有限公司", "ORG")],
        ),
        (
            "标题\n全球电动车厂特斯拉宣布扩产。",
            {"厂特斯拉": "ORG"},
            [("特斯拉", "ORG")],
        ),
        # a name that holds the noun keeps it where only a kind would be left
        ("标题\n中国企业联合会今天开会。", {}, [("中国企业联合会", "ORG")]),
        ("标题\n上海华夏企业管理有限公司今天开会。", {}, [("上海华夏企业管理有限公司", "ORG")]),
    ],
)
def test_words_before_a_name_stay_out(processor_jieba, text, names, expected):
    doc = analyse(processor_jieba, text, names)
    assert [(s.text, s.label_) for s in doc.spans["mentions"] if s.label_ == "ORG"] == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # a centre that a place is, becomes or builds is a role (role_name, role_before,
        # role_after); the place stays a GPE
        ("在支持上海国际金融中心建设方面，人民银行表示。", [("上海", "GPE"), ("人民银行", "ORG")]),
        ("特区政府将巩固香港国际人才中心的定位。", [("香港", "GPE")]),
        ("规划纲要将香港定为中外文化艺术交流中心，各方表示欢迎。", [("香港", "GPE")]),
        ("香港是大湾区中心城市之一。", [("香港", "GPE")]),
        # the names inside the role go with it
        ("香港锐意发展成为绿色金融科技中心的愿景。", [("香港", "GPE")]),
        # a centre named as a body stays, after the same verbs too
        ("他成为香港生产力促进中心的合作伙伴。", [("香港生产力促进中心", "ORG")]),
        ("青岛市科技创新服务中心今天揭牌。", [("青岛市科技创新服务中心", "ORG")]),
        # the class a list ends with (class_after_list), written in dictionary words, is none;
        # neither is a name inside it; a name after 等 stays
        (
            "青岛大学、华东理工协会等高校和科研院所出席。",
            [("青岛大学", "ORG"), ("华东理工协会", "ORG")],
        ),
        (
            "华东理工协会等宏达电子股份有限公司的客户出席。",
            [("华东理工协会", "ORG"), ("宏达电子股份有限公司", "ORG")],
        ),
    ],
)
def test_roles_and_classes_name_no_body(processor_jieba, text, expected):
    doc = analyse(processor_jieba, "标题\n" + text, {"香港": "GPE", "上海": "GPE"})
    assert [
        (s.text, s.label_) for s in doc.spans["mentions"] if s.label_ in ("ORG", "GPE")
    ] == expected


@pytest.mark.parametrize(
    "text,names,expected",
    [
        # the unit of a date written as a word of its own before the model's span (date_unit)
        ("今(5)日平泽市市长率团来访。", {"日平泽市": "GPE"}, [("平泽市", "GPE")]),
        ("二〇二四年九月十日首尔市代表团抵台。", {"日首尔市": "GPE"}, [("首尔市", "GPE")]),
        # 日 of a word (日本) after a date's number stays in the name
        ("他说5日本公司将宣布。", {"日本公司": "ORG"}, [("日本公司", "ORG")]),
    ],
)
def test_a_dates_unit_starts_no_name(processor_jieba, text, names, expected):
    doc = analyse(processor_jieba, text, names)
    assert [(s.text, s.label_) for s in doc.spans["mentions"]] == expected
