"""Rule stage: every rule file loads; malformed files stop with file and line; name grammar."""

from __future__ import annotations

import shutil

import pytest
import spacy
from conftest import analyse, run_components

from zhie.nlp.components.rules import (
    RuleComponent,
    load_patterns,
    native_roles,
    rule_files,
    with_native_roles,
)
from zhie.nlp.lexicon import Lexicon, RuleFileError
from zhie.resources import resolve_path

RULES = resolve_path("rules:")


def test_every_packaged_rule_file_loads():
    nlp = spacy.blank("zh")
    files = rule_files(RULES)
    assert [p.name for p in files] == ["names.jsonl"]
    assert sum(len(load_patterns(p, nlp.vocab)) for p in files) == 38
    lexicon = Lexicon.load(RULES)
    assert lexicon.suffixes["股份有限公司"] == ("ORG", "company", True)
    assert lexicon.suffixes["局"] == ("ORG", "government", False)
    assert lexicon.places["台南"] == "city" and lexicon.places["韩国"] == "country"
    assert (
        lexicon.is_title("副秘书长")
        and lexicon.is_title("共同执行长")
        and not lexicon.is_title("研究")
    )


@pytest.mark.parametrize(
    "line,message",
    [
        ('{"label": "ORG", "pattern": "x"', "bad JSON"),
        ('{"lable": "ORG", "pattern": "x"}', "unknown key(s) ['lable']"),
        ('{"label": "COMPANY", "pattern": "x"}', "label must be one of"),
        ('{"label": "ORG", "pattern": [{"TEXT": {"REGEX": 5}}]}', "invalid token pattern"),
        ('{"label": "ORG", "pattern": [{"FOO": "x"}]}', "invalid token pattern"),
        ('{"label": "ORG", "pattern": 3}', "pattern must be a string or a non-empty list"),
        ('["ORG", "x"]', "a pattern line must be a JSON object"),
    ],
)
def test_malformed_pattern_file_names_file_and_line(tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '# comment\n{"label": "GPE", "pattern": "青岛"}\n' + line + "\n", encoding="utf-8"
    )
    with pytest.raises(RuleFileError) as info:
        load_patterns(path, spacy.blank("zh").vocab)
    assert str(info.value).startswith(f"{path}:3: ")
    assert message in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "name,content,message",
    [
        (
            "suffixes.tsv",
            "公司\tORG\tcompany\n",
            "suffixes.tsv:1: expected 4 tab-separated columns",
        ),
        (
            "suffixes.tsv",
            "公司\tORG\tfirm\tyes\n",
            "suffixes.tsv:1: unknown label 'ORG', kind 'firm' or proper 'yes'",
        ),
        ("places.tsv", "青岛\ttown\n", "places.tsv:1: level must be one of"),
        (
            "name_words.tsv",
            "创新\tmaybe\n",
            "name_words.tsv:1: role must be one of name, stop, nohead, region",
        ),
    ],
)
def test_malformed_lexicon_names_file_and_line(tmp_path, name, content, message):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    (rules / name).write_text(content, encoding="utf-8")
    with pytest.raises(RuleFileError, match=message):
        RuleComponent(spacy.blank("zh"), rules)


NAMES = [
    # a plant named by its place (工厂 as a FAC suffix)
    ("现有苏州发动机工厂产能提升", [("苏州发动机工厂", "FAC")]),
    ("苏州第二工厂去年奠基", [("苏州第二工厂", "FAC")]),
    ("本次活动由青岛市工业和信息化局主办", [("青岛市工业和信息化局", "ORG")]),
    ("台南市长黄伟哲今日与台南纺织股份有限公司签订合作备忘录", [("台南纺织股份有限公司", "ORG")]),
    ("中国科学院青岛生物能源与过程研究所博士", [("中国科学院青岛生物能源与过程研究所", "ORG")]),
    ("发稿单位：新闻及国际关系处", [("新闻及国际关系处", "ORG")]),
    ("与首尔农水产食品贸易进出口协会签署", [("首尔农水产食品贸易进出口协会", "ORG")]),
    ("与Natural House Group签署", [("Natural House Group", "ORG")]),
    ("TCL集团与宏齐科技签约", [("TCL集团", "ORG")]),
    ("活动在青岛国际会议中心举行", [("青岛国际会议中心", "FAC")]),
    ("前往2026年智慧城市展参观", [("2026年智慧城市展", "EVENT")]),
    ("结合工研院与国研院沙仑「机器人研究中心」", [("工研院", "ORG"), ("国研院", "ORG")]),
    # a list closed by 等厂商 that holds names (绿园牧场, 鲜馔) is a list of names
    (
        "包括黄金荞麦、绿园牧场、自然屋、鲜馔等厂商",
        [("黄金荞麦", "ORG"), ("绿园牧场", "ORG"), ("自然屋", "ORG"), ("鲜馔", "ORG")],
    ),
    ("APS组织由东阿阿胶、江中制药等5家药企发起成立", [("东阿阿胶", "ORG"), ("江中制药", "ORG")]),
    # a Chinese name with a suffix after Latin words written with spaces keeps them all
    ("本轮由Blue Ocean Partners海蓝资本领投", [("Blue Ocean Partners海蓝资本", "ORG")]),
    # 可持续发展 is one word (rules/userdict.txt: jieba cuts 可|持续|发展, verbs that end a name)
    ("南非开普逊可持续发展研究所发表报告", [("开普逊可持续发展研究所", "ORG")]),
    # 律师事务所 / 会计师事务所 are one word (rules/userdict.txt): 律师 is a title that ends no name
    ("来自北京天衡（上海）律师事务所的律师出席", [("北京天衡（上海）律师事务所", "ORG")]),
    # 司 (a ministry's department) ends a government name, also before the title 司长
    ("外交部亚洲司发言人表示", [("外交部亚洲司", "ORG")]),
    ("澳门特别行政区社会文化司司长出席", [("澳门特别行政区社会文化司", "ORG")]),
    # the last item of a list of partners joined by 及 to a name of the public lexicons
    ("并与光宝科、耀睿、现观及中山大学合作", [("现观", "ORG"), ("中山大学", "ORG")]),
    # the other nouns of companies that close a list (company_list_head)
    ("其中，明泰、鸿海等台厂已相继投入", [("明泰", "ORG"), ("鸿海", "ORG")]),
    ("由工研院、资策会等单位共同推动", [("工研院", "ORG"), ("资策会", "ORG")]),
    ("本报讯中保寿险上海分公司近日推出新险种", [("中保寿险上海分公司", "ORG")]),
    ("隶属于韩国MiCo 集团的台湾高美可", [("MiCo 集团", "ORG")]),
    # a unit written after its organisation with a dash (press contact lines)
    ("新闻联络人：研考会-智慧发展中心 主任 陈冠中", [("研考会-智慧发展中心", "ORG")]),
    ("联络人：经济发展局-投资服务科 科长", [("经济发展局-投资服务科", "ORG")]),
    (
        "与釜山观光协会(BUSAN TOURISM ASSOCIATION，简称BTA）签订",
        [("BUSAN TOURISM ASSOCIATION", "ORG")],
    ),
]
NOT_NAMES = [
    "新能源汽车科技集团成立",
    "地方政府支持",
    "加强与中南部的联系",
    "入园企业签约",
    "城市场域",
    "本委员会决定",
    "包括汽车、电子等企业",
    "学校、医院等机构积极参与",
    "他打了一场官司，上司很生气",
    "代表讲解营商环境及公司设立程序",  # nouns joined to a bare kind word
    "新工厂将于明年投产，该工厂位于园区",  # a plant named by no proper noun
]


@pytest.mark.parametrize("text,expected", NAMES)
def test_name_grammar_finds_full_names(processor_jieba, text, expected):
    doc = run_components(processor_jieba, text, ["zhie_rules"])
    found = {(s.text, s.label_) for s in doc.spans["rules"]}
    assert set(expected) <= found


@pytest.mark.parametrize("text", NOT_NAMES)
def test_descriptions_are_not_names(processor_jieba, text):
    doc = run_components(processor_jieba, text, ["zhie_rules"])
    assert [s.text for s in doc.spans["rules"] if s.label_ in ("ORG", "FAC")] == []


@pytest.mark.parametrize("text", ["向工业区科曾小姐咨询", "感谢王小明先生的支持", "感谢小姐的协助"])
def test_a_surname_with_an_honorific_is_no_person(processor_jieba, text):
    """gold/GUIDELINES.md: `曾小姐` is no PERSON mention (nor `明` of 王小明先生, nor `谢` of 感谢)."""
    doc = run_components(processor_jieba, text, ["zhie_rules"])
    assert [s.text for s in doc.spans["rules"] if s.label_ == "PERSON" and len(s.text) == 1] == []


def test_role_tests_move_to_native_attributes():
    patterns = [
        {
            "label": "ORG",
            "pattern": [{"_": {"zhie_name": True}, "OP": "+"}, {"_": {"zhie_suffix": "ORG"}}],
        },
        {
            "label": "ORG",
            "pattern": [{"_": {"zhie_proper": True, "other": {"IN": ["x"]}}, "TEXT": "港"}],
        },
        {"label": "GPE", "pattern": "青岛"},
    ]
    roles = native_roles(patterns)
    assert roles == {"zhie_name": "ENT_TYPE", "zhie_proper": "ENT_KB_ID", "zhie_suffix": "ENT_ID"}
    assert [with_native_roles(p, roles)["pattern"] for p in patterns] == [
        [{"OP": "+", "ENT_TYPE": "1"}, {"ENT_ID": "ORG"}],
        [{"TEXT": "港", "_": {"other": {"IN": ["x"]}}, "ENT_KB_ID": "1"}],
        "青岛",
    ]


def test_more_roles_than_spare_attributes_stay_extension_tests():
    pattern = [
        {"_": {name: True}}
        for name in (
            "zhie_common",
            "zhie_core",
            "zhie_name",
            "zhie_proper",
            "zhie_suffix",
            "zhie_title",
        )
    ]
    roles = native_roles([{"label": "ORG", "pattern": pattern}])
    assert roles == {
        "zhie_common": "ENT_TYPE",
        "zhie_core": "ENT_KB_ID",
        "zhie_name": "ENT_ID",
        "zhie_proper": "NORM",
        "zhie_suffix": "LEMMA",
    }
    assert with_native_roles({"label": "ORG", "pattern": pattern}, roles)["pattern"][5] == {
        "_": {"zhie_title": True}
    }


def test_native_role_copies_are_cleared_after_matching(processor_jieba):
    doc = run_components(processor_jieba, "本次活动由青岛市工业和信息化局主办", ["zhie_rules"])
    assert ("青岛市工业和信息化局", "ORG") in {(s.text, s.label_) for s in doc.spans["rules"]}
    assert [(t.ent_type_, t.ent_kb_id_, t.ent_id_) for t in doc] == [("", "", "")] * len(doc)
    assert [t.norm_ for t in doc] == [t.text.lower() for t in doc]
    assert [(t.text, t._.zhie_suffix) for t in doc if t._.zhie_suffix] == [("局", "ORG")]


@pytest.mark.parametrize(
    "text,places",
    [
        ("多位首尔市议员出席", ["首尔市"]),  # a councillor (议员) of 首尔市
        ("嘉义县、台东县等", ["嘉义县", "台东县"]),
    ],
)
def test_places_before_titles(processor_jieba, text, places):
    doc = run_components(processor_jieba, text, ["zhie_rules"])
    assert [s.text for s in doc.spans["lexicon"]] == places


def test_a_role_word_does_not_start_a_name(processor_jieba):
    doc = run_components(processor_jieba, "被告深圳华泰建筑公司承建了工程", ["zhie_rules"])
    assert "深圳华泰建筑公司" in {s.text for s in doc.spans["rules"]}
    assert not any(s.text.startswith("被告") for s in doc.spans["rules"])


def test_a_bracket_does_not_start_a_name(processor_jieba):
    doc = run_components(
        processor_jieba, "与釜山观光协会(BUSAN TOURISM ASSOCIATION，简称BTA）签订", ["zhie_rules"]
    )
    assert not any(s.text.startswith(("(", "（")) for s in doc.spans["rules"])


# Boundaries of names found by their suffix (issue: organisation boundaries): a name starts
# after the words that public corpora never have inside names (word_rates.tsv), and a foreign
# country before an organisation of that country is a place of its own.
BOUNDARIES = [
    ("各部门要落实商务部的部署", [("商务部", "ORG")]),
    ("我们将全力支持金鹰集团的发展", [("金鹰集团", "ORG")]),
    (
        "出席的荣誉嘉宾巴西商务部部长致辞",
        [("巴西商务部", "ORG")],
    ),  # a body named by its country keeps it
    ("参访越南宏达集团总部", [("宏达集团", "ORG")]),
    ("在日本爱知县经济产业局的支持下", [("爱知县经济产业局", "ORG")]),
    ("中国国际商会今天发布报告", [("中国国际商会", "ORG")]),  # national bodies keep their country
    ("英国标准协会今天发布报告", [("英国标准协会", "ORG")]),
    ("2025年中国发展高层论坛开幕", [("2025年中国发展高层论坛", "EVENT")]),
    # a place in brackets inside a company name (X(中国)有限公司)
    ("麒麟(中国)投资有限公司表示", [("麒麟(中国)投资有限公司", "ORG")]),
    ("他说嘉士伯（中国）啤酒有限公司将投资", [("嘉士伯（中国）啤酒有限公司", "ORG")]),
    # common nouns joined by 及/和 inside one name; two names joined stay two
    ("运输及房屋局表示", [("运输及房屋局", "ORG")]),
    (
        "文化体育及旅游局局长出席",
        [("文化体育及旅游局", "ORG")],
    ),  # 局局长: the suffix split from the title
    (
        "台南纺织股份有限公司与宏齐科技集团签约",
        [("台南纺织股份有限公司", "ORG"), ("宏齐科技集团", "ORG")],
    ),
    ("台南市政府与宏基科技公司合作", [("台南市政府", "ORG"), ("宏基科技公司", "ORG")]),
    # a board before a title belongs to the title (董事局主席); a board alone is no name
    ("金鹰集团董事局主席出席", [("金鹰集团", "ORG")]),
    ("宏达集团董事会决定", [("宏达集团", "ORG")]),
    # a short quoted name that the words around it make a company's; common words stay none
    ("跨境电商平台“云雀购”今日上线", [("云雀购", "ORG")]),
    ("「云雀智能」是一家机器人公司", [("云雀智能", "ORG")]),
    ("推动“智能制造”是一家企业的目标", []),
    # 青年 is a noun (jieba's dictionary tags it as a time word; userdict.txt retags it)
    ("在体育及青年发展局的支持下举行", [("体育及青年发展局", "ORG")]),
    # 项目 before a title starts the title (项目专员), it ends no project's name
    ("宏达集团项目专员出席", [("宏达集团", "ORG")]),
    # a lone suffix character after a name that ends in it starts the next word (学院|院史馆)
    ("一行参观了青岛理工学院院史馆", [("青岛理工学院", "ORG")]),
    # 管委会 is a named body's board only after a name with a suffix of its own (name_board)
    ("青岛国际培训中心管委会主席致辞", [("青岛国际培训中心", "ORG")]),
    ("青岛高新区管委会主任出席", [("青岛高新区管委会", "ORG")]),
    # branch units after their organisation and place
    ("兴业银行西安分行行长表示", [("兴业银行西安分行", "ORG")]),
    ("中国农业银行长沙县支行开业", [("中国农业银行长沙县支行", "ORG")]),
    # an organisation of jieba's dictionary that ends like one (nt)
    ("中国证监会今天宣布", [("中国证监会", "ORG")]),
    # a named meeting's numbered session is one event; a meeting named by common words none
    ("粤闽合作联席会议第三次会议在福州举行", [("粤闽合作联席会议第三次会议", "EVENT")]),
    ("合作会议第二次会议召开", []),
    # a delegation is no part of the body or place that sends it (words delegation); one
    # named by more than its sender stays a name
    ("董事长率领宏达集团代表团出访", [("宏达集团", "ORG")]),
    ("广州市代表团今日抵达", []),
    ("日本经贸代表团与宏达集团签约", [("日本经贸代表团", "ORG"), ("宏达集团", "ORG")]),
    # an item's own role in a list of hosts ends its name (host_role)
    (
        "由经济部标准检验局指导、高雄市政府主办的论坛",
        [("经济部标准检验局", "ORG"), ("高雄市政府", "ORG")],
    ),
    ("本届由交通部观光署支持、新北市政府承办。", [("交通部观光署", "ORG"), ("新北市政府", "ORG")]),
]


@pytest.mark.parametrize("text,expected", BOUNDARIES)
def test_name_boundaries(processor_jieba, text, expected):
    doc = analyse(processor_jieba, text)  # no model spans: the rules alone
    assert [
        (s.text, s.label_) for s in doc.spans["mentions"] if s.label_ in ("ORG", "EVENT")
    ] == expected


def test_outside_words_come_from_the_corpus_counts():
    lexicon = Lexicon.load(RULES)
    assert {w for w in ("落实", "支持", "出席", "嘉宾") if lexicon.is_outside_word(w)} == {
        "落实",
        "支持",
        "出席",
    }
    assert not any(lexicon.is_outside_word(w) for w in ("国际", "中国", "集团", "经济"))


# Latin acronyms: a body when the text uses it as one, a scheme or standard when it mostly
# modifies the noun after it.
LATIN = [
    ("NVIDIA执行长今天访台，NVIDIA与多家厂商合作。", ["NVIDIA", "NVIDIA"]),
    ("工厂通过HACCP认证，并取得HACCP证书。", []),
    ("在RCEP框架下，RCEP成员国的企业借助RCEP规则合作。", []),
    ("本案采BOT方式招商。", []),
    ("甲方与KPMG签约。", ["KPMG"]),
    # a round of financing: jieba writes Pre + A轮, the Latin word modifies 轮
    ("公司完成PreA轮融资，由IDG领投。", ["IDG"]),
    ("会议于 14:00 UTC 开始，GMT 时间晚一小时。", []),  # time zones (latin_terms.txt)
    # finance terms (latin_terms.txt), also where a model tags them
    ("公司IPO募集资金5亿元，PE、VC等机构参与，ETF也在香港上市。", []),
    # an abbreviation in brackets after the common words it stands for, or joined to a modifier
    ("工厂提供表面贴装技术(SMT)与制造执行系统（MES），产品符合RoHS和WEEE规定。", []),
    # after a name (or a word cut from one) the bracket holds its short form
    ("国际半导体协会（SEMI）与辉达（NVIDIA）合作。", ["SEMI", "NVIDIA"]),
]


@pytest.mark.parametrize("text,expected", LATIN)
def test_latin_words_name_bodies_not_schemes(processor_jieba, text, expected):
    doc = run_components(processor_jieba, text, [])
    found = [
        text[s:e]
        for s, e, _ in processor_jieba.nlp.get_pipe("zhie_rules").find_latin_names(doc, text)
    ]
    assert found == expected


# Datelines at the head of an article name their outlet (and the programme in brackets).
DATELINES = [
    (
        "标题\n央视网消息（新闻联播）：国务院今日开会。",
        [("央视网", "media"), ("新闻联播", "media"), ("国务院", "government")],
    ),  # 国务院: a word the public corpora name as an organisation (org_words.tsv)
    (
        "标题\n中新网上海5月8日电（记者 李明）今日开会。",
        [("中新网", "media")],
    ),  # the place is no part of it
    ("标题\n本报讯（记者王明）今日开会。", []),  # 本报: a reference, not a name
    ("标题\n正文。\n据消息人士透露：开会。", []),
    ("标题\n一\n二\n三\n四\n五\n东方网消息：第六行的不是电头。", []),
    # a source label names its outlet anywhere in the text (source_label); an outlet named only
    # there is of kind media, one the article writes about too keeps the kind of its name
    ("标题\n作者：王明 来源：要闻快递 日期：2014-04-03\n正文。", [("要闻快递", "media")]),
    ("标题\n正文。\n一\n二\n三\n四\n五\n稿源：光明快讯\n", [("光明快讯", "media")]),
    (
        "标题\n来源：云蚁科技\n云蚁科技今日与青岛大学签约。",
        [("云蚁科技", "company"), ("青岛大学", "education")],
    ),
    ("标题\n来源：网络\n正文。", []),  # a common word names no outlet
    ("标题\n资金来源：多方筹措\n正文。", []),  # a label inside a word (资金来源) names no outlet
]


@pytest.mark.parametrize("text,expected", DATELINES)
def test_dateline_outlets(processor_jieba, text, expected):
    doc = analyse(processor_jieba, text)
    assert [(o.name, o.kind) for o in doc._.organisations] == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # 大 before a city of the lexicon makes it the whole city, one GPE (greater_place)
        ("共同带动大台南经济发展。", [("大台南", "GPE")]),
        ("为大高雄创造更美好的生活。", [("大高雄", "GPE")]),
        # not where 大 ends another word, nor before a province
        ("扩大台南的投资。", [("台南", "GPE")]),
        ("最大台南企业今日开幕。", [("台南", "GPE")]),
        ("大上海的繁华。", [("上海", "GPE")]),
    ],
)
def test_greater_city_is_one_place(processor_jieba, text, expected):
    doc = analyse(processor_jieba, "标题\n" + text, {"台南": "GPE", "高雄": "GPE", "上海": "GPE"})
    assert [(s.text, s.label_) for s in doc.spans["mentions"]] == expected
