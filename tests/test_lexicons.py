"""Lexicons built from public data (rules/places_*.tsv, companies.txt…): what they hold, how the
rule stage matches them, and what they change in sentences written for these tests."""

from __future__ import annotations

import re

import pytest

from zhie.nlp.components.rules import WordList
from zhie.nlp.lexicon import Lexicon
from zhie.resources import resolve_path

RULES = resolve_path("rules:")
BUILT = [
    "places_cn.tsv",
    "places_tw.tsv",
    "places_hk.tsv",
    "places_world.tsv",
    "companies.txt",
    "universities.txt",
    "government.txt",
]


def entries(name: str) -> list[str]:
    with open(RULES / name, encoding="utf-8") as f:
        return [
            line.rstrip("\n").split("\t")[0]
            for line in f
            if line.strip() and not line.startswith("#")
        ]


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.load(RULES)


def test_built_files_name_their_source_and_stay_small():
    total = 0
    for name in BUILT:
        path = RULES / name
        head = "".join(path.read_text(encoding="utf-8").split("\n", 2)[:2])
        assert "build_lexicons.py" in head, name
        total += path.stat().st_size
    assert total < 4_000_000


@pytest.mark.parametrize(
    "name,level",
    [
        ("湖南省", "province"),
        ("湖南", "province"),
        ("湘潭市", "city"),
        ("湘潭", "city"),
        ("攸县", "district"),
        ("宁乡", "district"),
        ("浦东新区", "district"),
        ("浦东", "district"),
        ("大理白族自治州", "city"),
        ("大理", "city"),
        ("屏东县", "city"),
        ("屏东", "city"),
        ("万丹乡", "district"),
        ("万丹", "district"),
        ("七股区", "district"),
        ("葵青区", "district"),
        ("葵青", "district"),
        ("沙田", "district"),
        ("苗栗县", "city"),
        ("新加坡", "country"),
        ("阿联酋", "country"),
        ("阿拉伯联合酋长国", "country"),
        ("慕尼黑", "city"),
        ("墨尔本", "city"),
    ],
)
def test_places_and_levels(lexicon, name, level):
    assert lexicon.places[name] == level


@pytest.mark.parametrize(
    "word",
    [
        "欧洲",
        "亚洲",
        "非洲",
        "北美洲",
        "拉丁美洲",
        "东南亚",
        "世界",
        "欧盟",
        "南极洲",  # continents, regions
        "延长",
        "成功",
        "安宁",
        "新华",
        "东方",
        "淡水",  # short forms that are common words
        "奎青区",
        "苗粟县",  # typos of the source, corrected
        "市辖区",
        "省直辖行政区划",
        "高新区",
        "经开区",
        "包头稀土高新技术产业开发区",  # no administrative places
    ],
)
def test_no_regions_common_words_or_zones(lexicon, word):
    assert word not in lexicon.places


def test_hand_written_places_keep_their_level_and_a_country_wins(lexicon):
    assert lexicon.places["台南"] == "city"
    assert lexicon.places["中国"] == "country"
    assert lexicon.places["上海"] == "province"  # places.tsv and places_cn.tsv: province, not city


def test_company_list_holds_no_place_word_or_one_character():
    companies = entries("companies.txt")
    assert len(companies) > 200_000 and len(set(companies)) == len(companies)
    places = set().union(
        *(
            entries(f)
            for f in ("places_cn.tsv", "places_tw.tsv", "places_hk.tsv", "places_world.tsv")
        )
    )
    assert not places & set(companies)
    assert all(len(c) >= 2 for c in companies)
    assert {"华为", "浪潮集团", "中国化工"} <= set(companies)
    # shares listed in Taiwan (twstock), the exchange's marks dropped (国巨*, 巨鎧精密-創)
    assert {"台积电", "光宝科", "纬创", "国巨", "巨铠精密", "群创"} <= set(companies)
    # in the source list: a phrase, an idiom, a famous person, a place
    assert not {"西装定制", "爱不释手", "爱因斯坦", "爱丁堡"} & set(companies)


def test_organisation_lists():
    assert "北京大学" in entries("universities.txt") and "中国农业科学院" not in entries(
        "universities.txt"
    )
    assert "外交部" in entries("government.txt") or "中华人民共和国外交部" in entries(
        "government.txt"
    )


@pytest.mark.parametrize(
    "words,text",
    [
        (["上海", "上海市", "海市", "市政府"], "上海市政府和上海海市"),
        (["台南", "南市", "台南市"], "台南市南市台南"),
        (["ab", "bc", "abc"], "xabcbcab"),
        (["长沙县", "长沙"], "长沙县长沙长沙"),
    ],
)
def test_word_list_finds_what_the_regex_alternation_found(words, text):
    regex = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    found = [(m.start(), m.end(), m.group(0)) for m in WordList(words).finditer(text)]
    assert found == [(m.start(), m.end(), m.group(0)) for m in regex.finditer(text)]
    assert (
        (WordList(words).match(text) or None)
        and WordList(words).match(text).group(0) == regex.match(text).group(0)
        if regex.match(text)
        else WordList(words).match(text) is None
    )


def mentions(processor, text):
    doc = processor.nlp(text)
    return [(e.text, e.label_) for e in doc.ents]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("记者日前来到湖南省攸县，当地的油茶产业发展很快。", [("湖南省", "GPE"), ("攸县", "GPE")]),
        ("屏东县万丹乡的红豆今年丰收。", [("屏东县", "GPE"), ("万丹乡", "GPE")]),
        ("住在万丹的农民说，今年红豆价格不错。", [("万丹", "GPE")]),
        (
            "他从小在香港沙田长大，后来到大埔工作。",
            [("香港", "GPE"), ("沙田", "GPE"), ("大埔", "GPE")],
        ),
        ("來自歐洲和非洲的客商參加了洽談。", []),
        ("双方同意延长合同期限。", []),
        ("公司已在墨尔本和慕尼黑设立办事处。", [("墨尔本", "GPE"), ("慕尼黑", "GPE")]),
    ],
)
def test_places_in_sentences(processor, text, expected):
    assert mentions(processor, text) == expected


def test_model_gpe_outside_the_lexicons_is_dropped(processor):
    """A model's GPE that no lexicon lists and no administrative suffix ends is no place (a bay
    area, a reservoir); with `ner_gpe = any` the model's span stays."""
    merger = processor.nlp.get_pipe("zhie_mentions")
    assert (
        merger.known_place("托里县") and merger.known_place("长沙") and merger.known_place("TAINAN")
    )
    assert not merger.known_place("大湾") and not merger.known_place("白石洞水库")
    assert (
        merger.places_only("香港沙田")
        and not merger.places_only("香港")
        and not merger.places_only("香港科学园")
    )


@pytest.fixture(scope="module")
def rules_only():
    import zhie

    return zhie.load(overrides={"components.zhie_ner.backend": "none"})


@pytest.mark.parametrize(
    "text,expected",
    [
        ("据悉，招行将于下月推出新的理财产品。", [("招行", "ORG")]),
        ("央行今天宣布下调存款准备金率。", [("央行", "ORG")]),
        ("新华社报道，两国签署了协议。", [("新华社", "ORG")]),
        ("建设银行和交行的网点都已开门。", [("建设银行", "ORG"), ("交行", "ORG")]),
        ("他每天去银行上班。", []),
        ("巴西的咖啡很有名。", [("巴西", "GPE")]),
    ],
)
def test_words_the_public_corpora_name_as_organisations(rules_only, text, expected):
    """org_words.tsv: well-known organisations written without a suffix, found without the NER
    model; a place stays a place (巴西 is a team's name in sports news only)."""
    assert [(e.text, e.label_) for e in rules_only(text).ents] == expected


def test_org_words_rows_are_checked(tmp_path):
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    (rules / "org_words.tsv").write_text("央行\t138\tmany\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"org_words.tsv:1: total and whole must be counts"):
        Lexicon.load(rules)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("民警从东湖派出所赶到现场。", [("东湖派出所", "government")]),
        ("美国驻华大使馆发表声明。", [("美国驻华大使馆", "government")]),
        ("上海海关查获一批走私货物。", [("上海海关", "government")]),
        ("中国红十字会向灾区捐款。", [("中国红十字会", "association")]),
        ("美国海军的舰艇抵达港口。", [("美国海军", "government")]),
        ("国家新闻出版总署批准发行。", [("国家新闻出版总署", "government")]),
        ("总署表示同意。", []),  # the bare suffix word is a reference
        ("他在出版社工作了十年。", []),
        ("海关人员检查了行李。", []),
    ],
)
def test_suffixes_that_end_organisations_in_the_public_corpora(rules_only, text, expected):
    """Suffixes listed by tools/suffix_candidates.py (派出所, 大使馆, 海关, 红十字会, 海军): a
    name before them makes an organisation of that kind; the bare word stays a common noun."""
    assert [(o.name, o.kind) for o in rules_only(text)._.organisations] == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("国际啤酒巨头百威英博啤酒集团宣布收购一家酒厂。", [("百威英博啤酒集团", "company")]),
        ("论坛邀请荣誉嘉宾柬埔寨商务部派员出席。", [("柬埔寨商务部", "government")]),
        # no proper noun between the common word and the suffix: the name stays whole
        ("本案由研考会-智慧发展中心负责推动。", [("研考会-智慧发展中心", "government")]),
        # a bracket after the common word: 公约 belongs to the name
        (
            "联合国气候变化框架公约（UNFCCC）秘书处发表声明。",
            [("联合国气候变化框架公约（UNFCCC）秘书处", "government")],
        ),
    ],
)
def test_an_organisation_starts_after_the_description_before_it(rules_only, text, expected):
    """word_rates.tsv: a word the public corpora (almost) never have inside a name (巨头, 嘉宾)
    ends the description written before an organisation's name."""
    assert [(o.name, o.kind) for o in rules_only(text)._.organisations] == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "参展厂商中的「大舜钣金」及「迎盛股份有限公司」等。",
            [("大舜钣金", "company"), ("迎盛股份有限公司", "company")],
        ),
        (
            "厂商包含「东佑达自动化科技」、「富强鑫精密工业」、「梧济工业」及「勤敏模具雕刻」。",
            [
                ("东佑达自动化科技", "company"),
                ("富强鑫精密工业", "company"),
                ("梧济工业", "company"),
                ("勤敏模具雕刻", "company"),
            ],
        ),
        ("主题包括「数位转型」、「产业升级」。", []),  # no organisation in the list
        ("「数位转型」及「绿能科技」是主轴。", [("绿能科技", "company")]),  # no name in 数位转型
        ("他说「光宇应材」的订单很多，「光洋应材」也是。", []),  # quoted, but no list
    ],
)
def test_quoted_list_items_beside_an_organisation(rules_only, text, expected):
    """Names in quotes joined by list separators: beside one organisation, the others that hold a
    proper noun are organisations too."""
    assert [(o.name, o.kind) for o in rules_only(text)._.organisations] == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "辽宁省的啤酒企业主要有5家，分别是：华润雪花、哈尔滨啤酒、大连大雪、抚顺天湖、阜新梅雪等。",
            ["华润雪花", "哈尔滨啤酒", "大连大雪", "抚顺天湖", "阜新梅雪"],
        ),
        ("全市重点企业包括：宏远兴业、鼎新电脑与光宝科技。", ["宏远兴业", "鼎新电脑", "光宝科技"]),
        ("会议议题包括：节能减排、产业升级、人才培养等。", []),  # not announced by companies
        ("企业代表包括：王明、李华等。", []),  # people, not companies
    ],
)
def test_a_list_announced_by_companies_is_a_list_of_companies(rules_only, text, expected):
    """patterns.tsv `company_list_after_head`: 企业…分别是/包括：A、B、C等."""
    assert [o.name for o in rules_only(text)._.organisations] == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "新竹物流公司、宏联与凯达相继加入联盟。",
            [("新竹物流公司", "company"), ("宏联", "company"), ("凯达", "company")],
        ),
        # the first item starts after the preposition, the last ends before 共同开发 would
        # be unsure: 华硕 is left to other evidence
        ("工研院及仁宝、华硕共同开发。", [("工研院", "research"), ("仁宝", "company")]),
        ("工研院、宏联等厂商", [("工研院", "research"), ("宏联", "company")]),
        # no bare name beside the organisation: common nouns, people, descriptions
        (
            "台北市政府、教育局与学校共同推动。",
            [("台北市政府", "government"), ("教育局", "government")],
        ),
        ("王明、李华和台北市政府代表出席。", [("台北市政府", "government")]),
        ("经济部、节能减排与产业升级是重点。", [("经济部", "government")]),
        ("宏联、凯达相继加入联盟。", []),  # no organisation in the list
    ],
)
def test_bare_names_listed_beside_an_organisation(rules_only, text, expected):
    """A list (A、B、C) that holds an organisation: its other items that are a proper noun by
    themselves or a company of the public list are organisations too."""
    assert [(o.name, o.kind) for o in rules_only(text)._.organisations] == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("德国汽车巨头宝马宣布在沈阳扩产。", ["宝马"]),
        ("电动车企业蔚来发布新车。", ["蔚来"]),
        ("厂商建厂时程缩短。", []),  # an unknown word after the head, not a listed company
        ("品牌药企联手进军上游。", []),
    ],
)
def test_a_listed_company_after_a_noun_that_describes_it(rules_only, text, expected):
    """words.tsv `company_apposition_head`: 企业, 巨头, 厂商… then a company of the public list."""
    assert [o.name for o in rules_only(text)._.organisations] == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # one word or two of the public company list, right before an officer's title
        ("鸿海董事长出席，天赐材料总裁也到场。", ["鸿海", "天赐材料"]),
        # a prefixed title, a board before the title, a name jieba cut in three (中|软|国际)
        ("会上，新宙邦副总裁与中软国际董事局主席致辞。", ["新宙邦", "中软国际"]),
        ("公司董事长出席。", []),  # a generic word
        ("会上，王明董事长致辞。", []),  # a person before the title
    ],
)
def test_a_listed_company_before_an_officer_title(rules_only, text, expected):
    """words.tsv `company_title`: a company of the public list written alone before 董事长,
    总裁… is the officer's organisation."""
    assert [o.name for o in rules_only(text)._.organisations] == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("中软国际与南宁市政府合作。", ["中软国际", "南宁市政府"]),  # jieba: 中|软|国际
        ("南宁市政府与中软国际签约。", ["南宁市政府", "中软国际"]),
        ("技术与南宁市政府合作。", ["南宁市政府"]),
        ("王明与南宁市政府合作。", ["南宁市政府"]),
    ],
)
def test_a_listed_company_joined_to_an_organisation(rules_only, text, expected):
    """A company of the public list joined by 与/和/及 to an organisation the rules found."""
    assert [o.name for o in rules_only(text)._.organisations] == expected


def test_a_board_between_a_company_reference_and_a_title(default_nlp):
    """公司董事局主席: the board belongs to the company named before, which is the officer's."""
    doc = default_nlp("宏远科技公司与市政府合作。参加接待的公司董事局主席陈立华出席。")
    assert [(p.name, p.organisation) for p in doc._.people] == [("陈立华", "宏远科技公司")]


@pytest.mark.parametrize(
    "text,expected",
    [
        # a newspaper's name is often common words before 日报/时报 (经济日报, 工商时报)
        ("据工商时报报道，经济日报也刊出。", ["工商时报", "经济日报"]),
        ("他订阅了两份日报和一份晚报。", []),
    ],
)
def test_newspapers_named_with_common_words(rules_only, text, expected):
    assert [o.name for o in rules_only(text)._.organisations] == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("施耐德电气与紫金矿业签约。", ["施耐德电气", "紫金矿业"]),
        ("通灵珠宝和华远置业合作。", ["通灵珠宝", "华远置业"]),
        # a generic company word before the name is a description (药企|X药业)
        ("本地药企恒康药业负责人表示。", ["恒康药业"]),
        ("医药企业加大制药投入。", []),
    ],
)
def test_industry_words_that_end_company_names(rules_only, text, expected):
    """电气, 矿业, 药业, 置业, 制药, 珠宝 end company names after a proper noun."""
    assert [o.name for o in rules_only(text)._.organisations] == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("领投方为高榕资本，多家机构跟投。", ["高榕资本"]),
        ("达晨创投参与了本轮融资。", ["达晨创投"]),
        ("要引导社会资本参与。", []),
        ("金融资本与产业资本融合。", []),
    ],
)
def test_investment_firms_named_with_capital(rules_only, text, expected):
    """资本 and 创投 end the names of investment firms (48 and 9 names of the public company
    list end so); a common noun before them makes no name."""
    assert [o.name for o in rules_only(text)._.organisations] == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # 數位 (digital) in a Taiwanese company name is no numeral (数位专家: several experts)
        ("子公司宏达數位股份有限公司今日成立。", [("宏达数位股份有限公司", "ORG", 3)]),
        # the bracket of a dateline is no part of the name written after it
        (
            "【5月2日，台中】永丰科技股份有限公司宣布扩产。",
            [("台中", "GPE", 6), ("永丰科技股份有限公司", "ORG", 9)],
        ),
        # the period of a Latin abbreviation belongs to the name
        ("公司与Orion Systems Ltd.签约。", [("Orion Systems Ltd.", "ORG", 3)]),
    ],
)
def test_organisation_extents(default_nlp, text, expected):
    doc = default_nlp(text)
    assert [(e.text, e.label_, e.start_char) for e in doc.ents] == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # the model's ORG on a word the rules read as a standard is refused
        ("产品符合RoHS和REACH规定。", []),
        # a country before a foreign company's Latin name is a place of its own
        ("公司宣布投资印度Orionsoft。", [("印度", "GPE"), ("Orionsoft", "ORG")]),
        # Taiwanese holding companies: 金控 (financial), 投控 (investment)
        ("宏远投控与富邦金控签约。", [("宏远投控", "ORG"), ("富邦金控", "ORG")]),
    ],
)
def test_latin_terms_countries_and_holdings(default_nlp, text, expected):
    assert [(e.text, e.label_) for e in default_nlp(text).ents] == expected


# A country (other than home_country), or before a company a province of another region than
# the article's, written before an organisation's own name is a GPE of its own; the place stays
# where the rest is only a kind of body (金融市场管理局, 天文学协会) or the place starts a word.
FOREIGN_PLACE_PREFIXES = [
    (
        "德国博世集团和泰国伟华集团出席。",
        [("德国", "GPE"), ("博世集团", "ORG"), ("泰国", "GPE"), ("伟华集团", "ORG")],
    ),
    ("南非开普逊研究所发布报告。", [("南非", "GPE"), ("开普逊研究所", "ORG")]),
    (
        "意大利罗马第二大学来访。",
        [("意大利", "GPE"), ("罗马第二大学", "ORG")],
    ),  # a place starts the rest
    ("公司宣布投资韩国MiCo集团。", [("韩国", "GPE"), ("MiCo集团", "ORG")]),
    ("TCL集团与台湾爱格发公司签约。", [("TCL集团", "ORG"), ("台湾", "GPE"), ("爱格发公司", "ORG")]),
    # kept whole
    (
        "韩国企业来台成立「台湾爱格发股份有限公司」。",
        [("韩国", "GPE"), ("台湾爱格发股份有限公司", "ORG")],
    ),
    (
        "卡塔尔金融市场管理局与法国天文学协会会谈。",
        [("卡塔尔金融市场管理局", "ORG"), ("法国天文学协会", "ORG")],
    ),
    ("沙特交易所与柬埔寨政府合作。", [("沙特交易所", "ORG"), ("柬埔寨政府", "ORG")]),
    ("中国汽车工业协会发布报告。", [("中国汽车工业协会", "ORG")]),
    ("台湾包装协会发布报告。", [("台湾包装协会", "ORG")]),  # no company
    (
        "臺灣愛格發公司今天簽約。",
        [("台湾爱格发公司", "ORG")],
    ),  # Taiwan's own company in Taiwanese news
    (
        "辽宁华晟集团在沈阳投资。",
        [("辽宁华晟集团", "ORG"), ("沈阳", "GPE")],
    ),  # a mainland province in mainland news, before a company no list names without it
    # a province before a company of the public list (companies.txt: 大商集团) is its own GPE in
    # any article; a city before one is part of the registered name more often (北京天街集团)
    ("辽宁大商集团在沈阳投资。", [("辽宁", "GPE"), ("大商集团", "ORG"), ("沈阳", "GPE")]),
    ("北京天街集团今日签约。", [("北京天街集团", "ORG")]),
]


FOREIGN_PLACE_PREFIXES.append(
    pytest.param(
        "荷兰皇家壳牌有限公司今日签约。",
        [("荷兰皇家壳牌有限公司", "ORG")],
        marks=pytest.mark.xfail(
            reason="a country inside a registered name (Royal Dutch Shell) needs a list of "
            "registered names; the rule splits 荷兰 off as it does for 德国|博世集团",
            strict=True,
        ),
    )
)


@pytest.mark.parametrize("text,expected", FOREIGN_PLACE_PREFIXES)
def test_a_foreign_place_before_a_name_is_its_own_gpe(default_nlp, text, expected):
    assert [(e.text, e.label_) for e in default_nlp(text).ents] == expected


def test_a_model_org_of_common_words_before_a_suffix_is_a_description(default_nlp):
    """A model span ending in a suffix that asks for a proper noun (公司, 基金) names a body only
    with one before the suffix, as the rules ask of their names: 深度协助公司 is no company;
    bare kind words and abbreviations are judged elsewhere."""
    doc = default_nlp("我们将长期深度协助公司的资本管理工作。")
    assert [s.text for s in doc.spans["ner"]] == ["深度协助公司"]  # the CRF's guess
    assert [e.text for e in doc.ents] == []
    doc = default_nlp("台南纺织股份有限公司与宏齐科技集团签约。")
    assert [e.text for e in doc.ents] == ["台南纺织股份有限公司", "宏齐科技集团"]


def test_a_model_person_before_a_company_suffix_is_the_company(default_nlp):
    """A PERSON of the model right before a company suffix word is the company's name: the CRF
    reads 由思远 and 明德 as people here."""
    for text, name in (("由思远资本领投。", "思远资本"), ("由明德资本领投。", "明德资本")):
        doc = default_nlp(text)
        assert [s.label_ for s in doc.spans["ner"]] == ["PERSON"]
        assert [(e.text, e.label_, e.start_char) for e in doc.ents] == [(name, "ORG", 1)]


@pytest.fixture(scope="module")
def default_nlp():
    import zhie

    return zhie.load()


def test_a_common_noun_is_no_short_form_to_repeat(rules_only):
    """A wrong full name (稀土有限公司: 稀土 is in the noisy company list) gives no short form
    that is a common noun of jieba's dictionary: 稀土 stays a word in the next sentences."""
    doc = rules_only("稀土有限公司今天成立。稀土产业发展很快，稀土资源丰富。")
    assert [e.text for e in doc.ents if e.text == "稀土"] == []


def test_a_short_form_that_is_a_name_is_repeated(default_nlp):
    doc = default_nlp("宏齐科技股份有限公司今天成立。宏齐的订单增加。")
    assert [(e.text, e.label_, e.start_char) for e in doc.ents] == [
        ("宏齐科技股份有限公司", "ORG", 0),
        ("宏齐", "ORG", 15),
    ]


@pytest.mark.xfail(
    reason="a brand's short form that is a common noun (光明, 小米) is not repeated: the price of "
    "not repeating wrong ones (稀土)",
    strict=True,
)
def test_a_brand_short_form_that_is_a_common_noun(default_nlp):
    doc = default_nlp("光明乳业股份有限公司发布年报。光明的销量上升。")
    assert ("光明", "ORG") in [(e.text, e.label_) for e in doc.ents]


@pytest.mark.parametrize(
    "text,expected",
    [
        # any middle dot joins a foreign name (the model learnt ·), and the text keeps its own dot
        ("协会代表彼得•沃森先生出席。", [("彼得•沃森", "PERSON", 4)]),
        ("协会代表彼得‧沃森先生出席。", [("彼得‧沃森", "PERSON", 4)]),
    ],
)
def test_foreign_names_with_any_middle_dot(default_nlp, text, expected):
    doc = default_nlp(text)
    assert [(e.text, e.label_, e.start_char) for e in doc.ents if e.label_ == "PERSON"] == expected


def test_model_people_that_touch_are_one_name():
    from zhie.nlp.components.ner import joined_people

    text = "专员尤妮斯史密斯女士与王明、科 李华出席"
    found = [
        (2, 5, "PERSON"),
        (5, 8, "PERSON"),
        (11, 13, "PERSON"),
        (14, 15, "PERSON"),
        (15, 18, "PERSON"),
    ]
    assert joined_people(found, text) == [
        (2, 8, "PERSON"),  # 尤妮斯|史密斯
        (11, 13, "PERSON"),  # 王明: a list separator between
        (14, 15, "PERSON"),  # one character is no part of a name
        (15, 18, "PERSON"),
    ]


@pytest.mark.parametrize(
    "text,expected",
    [
        # an ordinal between a proper noun and a suffix; jieba's 大学教授 is split for the title
        ("意大利米兰第三大学教授出席。", [("意大利", "GPE"), ("米兰第三大学", "ORG")]),
        ("他在广州市第一人民医院就诊。", [("广州市第一人民医院", "ORG")]),
        ("公司投资建设在华第二园区。", []),  # 华 of 在华 is no proper noun of a name
        ("该行第一季度营收增长。", []),
    ],
)
def test_an_ordinal_inside_a_name(rules_only, text, expected):
    assert [(e.text, e.label_) for e in rules_only(text).ents] == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "标题\n经济观察报记者李明 上海报道\n正文内容。",
            [("经济观察报", "ORG"), ("李明", "PERSON"), ("上海", "GPE")],
        ),
        ("标题\n本报记者王明\n正文。", [("王明", "PERSON")]),  # 本报: this paper, a reference
        (
            "标题\n正文\n第三行\n第四行\n第五行\n经济观察报记者李明 上海报道",
            [("李明", "PERSON"), ("上海", "GPE")],
        ),
    ],
)
def test_the_outlet_of_a_byline(default_nlp, text, expected):
    """patterns.tsv `byline`: the outlet before 记者/通讯员 and a name at the head of one of the
    article's first lines is an organisation."""
    assert [(e.text, e.label_) for e in default_nlp(text).ents] == expected
