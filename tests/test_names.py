"""Names of facilities, projects and events (issue 10, part 6): phenomenon tables of sentences
written for these tests (none is taken from a gold article), run through the whole pipeline.
Each row gives every FAC, PROJECT and EVENT mention the sentence must give, in order; the
sentences of NO_NAMES must give none."""

from __future__ import annotations

import pytest

LABELS = ("FAC", "PROJECT", "EVENT")

EVENTS = [
    # an edition ordinal or year before the name is part of it
    ("第三届中国国际进口博览会在上海开幕。", [("第三届中国国际进口博览会", "EVENT")]),
    (
        "第20届中国国际工业博览会新闻发布会今日举行。",
        [("第20届中国国际工业博览会新闻发布会", "EVENT")],
    ),
    ("2023年世界智能产业博览会吸引了众多企业。", [("2023年世界智能产业博览会", "EVENT")]),
    (
        "双方共同出席了2025中国国际大数据产业博览会开幕式。",
        [("2025中国国际大数据产业博览会", "EVENT")],
    ),
    ("北京2022国际电影节今日开幕。", [("北京2022国际电影节", "EVENT")]),  # a place, then the year
    # the edition after a forum's or body's name, before 年会 / 会议
    ("博鳌亚洲论坛2024年年会在海南开幕。", [("博鳌亚洲论坛2024年年会", "EVENT")]),
    (
        "亚太经合组织第三十一次领导人非正式会议在旧金山举行。",
        [("亚太经合组织第三十一次领导人非正式会议", "EVENT")],
    ),
    (
        "全国人民代表大会常务委员会第十次会议闭幕。",
        [("全国人民代表大会常务委员会第十次会议", "EVENT")],
    ),
    (
        "世界交易所联合会第60届会员大会暨年会在深圳召开。",
        [("世界交易所联合会第60届会员大会暨年会", "EVENT")],
    ),
    # A暨B: one event's name
    (
        "第六届数字中国建设峰会暨数字经济博览会在福州开幕。",
        [("第六届数字中国建设峰会暨数字经济博览会", "EVENT")],
    ),
    ("2024年城市发展论坛暨成果展今日登场。", [("2024年城市发展论坛暨成果展", "EVENT")]),
    # a conference's scope names it without a place
    ("昨日的国际人才论坛吸引了三千人。", [("国际人才论坛", "EVENT")]),
    # quoted names
    ("本届「台中国际花毯节」吸引了大批游客。", [("台中国际花毯节", "EVENT")]),
    (
        "市政府举办《智慧城市 创新未来》产业论坛暨成果发表会。",
        [("《智慧城市 创新未来》产业论坛暨成果发表会", "EVENT")],
    ),
    ("第二届“丝路之光”国际合作论坛在西安举行。", [("第二届“丝路之光”国际合作论坛", "EVENT")]),
    (
        "大会同期举办“数字丝路”系列活动。",
        [("数字丝路", "EVENT")],
    ),  # a quoted name before a generic event word
    # an event's Latin name after its Chinese one, inside the same quotes (the quotes mark the name)
    (
        "首届「高雄国际游艇展KAOHSIUNG BOAT SHOW」将于五月登场。",
        [("高雄国际游艇展KAOHSIUNG BOAT SHOW", "EVENT")],
    ),
    # a dash or middle dot inside the name
    ("中国—东盟博览会在南宁开幕。", [("中国—东盟博览会", "EVENT")]),
    ("2024年中国—东盟商务与投资峰会在南宁开幕。", [("2024年中国—东盟商务与投资峰会", "EVENT")]),
    ("香港‧亚洲金融论坛今日举行。", [("香港‧亚洲金融论坛", "EVENT")]),
    # short forms: introduced in brackets, of expos (X博会) and of the national games (N运会)
    (
        "中国国际服务贸易交易会（服贸会）将于九月举行，服贸会已成功举办十届。",
        [("中国国际服务贸易交易会", "EVENT"), ("服贸会", "EVENT"), ("服贸会", "EVENT")],
    ),
    ("今年的进博会吸引了上百个国家参展。", [("进博会", "EVENT")]),
    ("第十四运会在陕西举行。", [("十四运会", "EVENT")]),
    # a verb before the name is no part of it
    ("各方将落实好中非合作论坛北京峰会成果。", [("中非合作论坛北京峰会", "EVENT")]),
]

FACILITIES = [
    # venues
    ("论坛在厦门国际会展中心举行。", [("厦门国际会展中心", "FAC")]),
    ("晚会在深圳湾体育中心举办。", [("深圳湾体育中心", "FAC")]),
    ("代表团参观了杭州奥体中心体育馆。", [("杭州奥体中心体育馆", "FAC")]),
    ("游客在上海迪士尼乐园游玩。", [("上海迪士尼乐园", "FAC")]),
    (
        "在杭州国际博览中心举行。",
        [("杭州国际博览中心", "FAC")],
    ),  # 博览中心, not the ORG suffix 中心
    # a town before a venue is its address: a GPE of its own
    ("协会在上海市安亭镇金叶大酒店召开年会。", [("金叶大酒店", "FAC")]),
    # transport and works in operation
    ("旅客从广州白云国际机场出发。", [("广州白云国际机场", "FAC")]),
    ("列车从北京南站开出，途经天津西站。", [("北京南站", "FAC"), ("天津西站", "FAC")]),
    ("宁波舟山港货物吞吐量居全球首位。", [("宁波舟山港", "FAC")]),
    ("青藏铁路已安全运营多年。", [("青藏铁路", "FAC")]),
    ("三峡水电站发电量创新高。", [("三峡水电站", "FAC")]),
    ("车辆经国道三号新化交流道下匝道。", [("国道三号", "FAC"), ("新化交流道", "FAC")]),
    (
        "旅客经罗湖口岸入境，再转乘深圳地铁14号线。",
        [("罗湖口岸", "FAC"), ("深圳地铁14号线", "FAC")],
    ),
    # parks and zones, with the place before them
    ("公司在贵安新区设立了数据中心。", [("贵安新区", "FAC")]),
    (
        "企业进驻苏州工业园区和上海临港新片区。",
        [("苏州工业园区", "FAC"), ("上海临港新片区", "FAC")],
    ),
    ("双方合力建设河套深港科技创新合作区。", [("河套深港科技创新合作区", "FAC")]),
    # a park named by what it holds, before 园 as a word of its own (创新|园)
    ("企业入驻成都生物医药创新园。", [("成都生物医药创新园", "FAC")]),
    # a science park's short form (first character of its place + 科) and its phases
    (
        "台南永康科技园区三期明年动工，永科将引进十家厂商。",
        [("台南永康科技园区三期", "FAC"), ("永科", "FAC")],
    ),
    (
        "新竹科学园区（竹科）厂商营收创新高，竹科今年成长两成。",
        [("新竹科学园区", "FAC"), ("竹科", "FAC"), ("竹科", "FAC")],
    ),
    # a facility found once recurs, also without its quotes
    (
        "市府推动「生技下世代园区」，生技下世代园区预计明年完工。",
        [("生技下世代园区", "FAC"), ("生技下世代园区", "FAC")],
    ),
]

PROJECTS = [
    # works being built or funded are projects
    ("该市计划兴建东湖水库，总投资5亿元。", [("东湖水库", "PROJECT")]),
    ("公司参与了成渝中线高铁的建设。", [("成渝中线高铁", "PROJECT")]),
    (
        "贷款将重点支持青山水库建设，青山水库总投资3亿元。",
        [("青山水库", "PROJECT"), ("青山水库", "PROJECT")],
    ),
    # works named by what is built (改善工程, 整建工程, 建设计划), with the place before them
    ("市政府今日举行东门城广场景观改善工程开工典礼。", [("东门城广场景观改善工程", "PROJECT")]),
    ("台北市信义区道路整建工程预计年底完工。", [("台北市信义区道路整建工程", "PROJECT")]),
    # …项目 with its phase
    ("宁德时代福鼎基地项目一期开工。", [("宁德时代福鼎基地项目一期", "PROJECT")]),
    # a list of projects: when one item is a project's name, the others are too
    (
        "宁德时代电池生产项目、智能装备制造项目、物流园区项目正式签约。",
        [
            ("宁德时代电池生产项目", "PROJECT"),
            ("智能装备制造项目", "PROJECT"),
            ("物流园区项目", "PROJECT"),
        ],
    ),
    # a quoted construction plan
    ("市府今日举行「安平港区新建营运移转案」签约。", [("安平港区新建营运移转案", "PROJECT")]),
    (
        "双方签署「北区科技园区开发、租售及管理计划」。",
        [("北区科技园区开发、租售及管理计划", "PROJECT")],
    ),
]

NO_NAMES = [
    "他出席了开幕式和签约仪式。",  # a generic ceremony is no event
    "参加论坛的嘉宾超过两百人。",
    "公司举办了年度员工大会，表彰优秀员工。",
    "未来除持续协助厂商参与国际展会，更将加强通路媒合。",  # a scope word alone names nothing
    "本届大会还举办了开幕式、主论坛和8场分论坛。",
    "公司在当地兴建智慧化新厂。",  # a new plant, described
    "我们要努力打造全国重要的产业基地。",
    "该项目是重点项目之一。",
    "以细胞治疗与运算医学为两大重点发展项目。",  # a numeral word names nothing
    "为台南这座科技新城注入活水。",
    "第二场次则就「数位转型、产业升级 擘划南台湾研发新基地」进行分享。",  # a quoted clause is a talk's title
    "学校举办运动会，全体师生参加。",
    "政府推出数字经济发展计划。",  # a programme, not a construction project
    "将为本市打造一座全新之再生能源环保焚化厂。",  # an indefinite classifier: a new facility, described
    "这让本市不只是AI设备生产基地。",  # a technology's acronym names no facility
    "打造集研发、生产为一体的未来工厂和零碳产业园区。",  # nor does a coined two-character term
    "形成了以龙头企业为基础的技术研发基地。",  # nor a common abbreviation (研发/j)
    "孩子们在园内参观，还走进了校园和果园。",  # 园 of a word or alone names nothing
    "公司计划打造一座现代农业示范园。",  # nor a park described
]


def names_of(processor, text: str) -> list[tuple[str, str]]:
    doc = processor.nlp(text)
    return [(s.text, s.label_) for s in doc.spans["mentions"] if s.label_ in LABELS]


@pytest.mark.parametrize("text,expected", EVENTS)
def test_event_names(processor, text, expected):
    assert names_of(processor, text) == expected


@pytest.mark.parametrize("text,expected", FACILITIES)
def test_facility_names(processor, text, expected):
    assert names_of(processor, text) == expected


@pytest.mark.parametrize("text,expected", PROJECTS)
def test_project_names(processor, text, expected):
    assert names_of(processor, text) == expected


@pytest.mark.parametrize("text", NO_NAMES)
def test_descriptions_are_no_names(processor, text):
    assert names_of(processor, text) == []


def test_an_events_committee_is_an_organisation(processor):
    doc = processor.nlp("他出任十五运会组委会执行主任。")
    assert [(s.text, s.label_) for s in doc.spans["mentions"] if s.label_ in ("ORG", *LABELS)] == [
        ("十五运会组委会", "ORG")
    ]


def test_the_sar_government_bare_is_a_reference(processor):
    doc = processor.nlp("香港特区政府今日公布方案。特区政府将于明年举办国际论坛。")
    assert [s.text for s in doc.spans["mentions"] if s.label_ == "ORG"] == ["香港特区政府"]


def test_a_plant_written_as_one_word_is_an_enterprise(processor):
    doc = processor.nlp("位于阜新的梅花啤酒厂已归至集团麾下。")
    assert ("梅花啤酒厂", "ORG") in [(s.text, s.label_) for s in doc.spans["mentions"]]
