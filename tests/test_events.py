"""Events: triggers and arguments for signing, founding and hosting."""

from __future__ import annotations

import pytest
from conftest import analyse


def events(doc):
    return [
        (
            e.type,
            doc.text[e.trigger_start : e.trigger_end],
            sorted((a.role, a.text) for a in e.arguments),
        )
        for e in doc._.events
    ]


CASES = [
    (
        "标题\n韩国商务代表团与锦辉控股集团在湖北荆州签订《战略合作框架协议》。",
        {"韩国商务代表团": "ORG", "锦辉控股集团": "ORG", "湖北": "GPE", "荆州": "GPE"},
        [
            (
                "signing",
                "签订",
                [
                    ("object", "战略合作框架协议"),
                    ("party", "锦辉控股集团"),
                    ("party", "韩国商务代表团"),
                ],
            )
        ],
    ),
    (
        "标题\n南市府积极招商，台南市长黄伟哲今(7)日与台南纺织股份有限公司总经理王立范签订合作备忘录。",
        {"南市府": "ORG", "台南": "GPE", "黄伟哲": "PERSON", "王立范": "PERSON"},
        [
            (
                "signing",
                "签订",
                [("object", "合作备忘录"), ("party", "南市府"), ("party", "台南纺织股份有限公司")],
            )
        ],
    ),
    (
        "标题\n首尔农水产食品贸易进出口协会与 Natural House Group 于可乐市场签署出口合作 MOU。",
        {},
        [
            (
                "signing",
                "签署",
                [
                    ("object", "出口合作 MOU"),
                    ("party", "Natural House Group"),
                    ("party", "首尔农水产食品贸易进出口协会"),
                ],
            )
        ],
    ),
    (
        "标题\n在台南市副市长叶泽山见证下，昱晟贸易协会与璟泰开发有限公司签署合作协议。",
        {"叶泽山": "PERSON", "台南市": "GPE"},
        [
            (
                "signing",
                "签署",
                [("object", "合作协议"), ("party", "昱晟贸易协会"), ("party", "璟泰开发有限公司")],
            )
        ],
    ),
    ("标题\n农业局表示，本次食品展与MOU签署成果丰硕。", {"农业局": "ORG"}, []),
    # 达成 signs only with a document in its clause (document_trigger)
    ("标题\n博览会与宏达集团达成“战略伙伴”关系，共同推广。", {"宏达集团": "ORG"}, []),
    (
        "标题\n宏达集团与昱晟贸易协会达成合作协议。",
        {"宏达集团": "ORG", "昱晟贸易协会": "ORG"},
        [
            (
                "signing",
                "达成",
                [("object", "合作协议"), ("party", "宏达集团"), ("party", "昱晟贸易协会")],
            )
        ],
    ),
    (
        "标题\n德杰汽车零部件生产项目、泽世通汽车零部件项目等十余个重点项目签约。",
        {},
        [
            (
                "signing",
                "签约",
                [("object", "德杰汽车零部件生产项目"), ("object", "泽世通汽车零部件项目")],
            )
        ],
    ),
    # jieba tags 立新 as an adverb; the list of projects makes it a project's name all the same
    (
        "标题\n立新汽车城项目、德杰汽车零部件生产项目等十余个重点项目签约。",
        {},
        [("signing", "签约", [("object", "德杰汽车零部件生产项目"), ("object", "立新汽车城项目")])],
    ),
    (
        "标题\n本次活动由青岛市工业和信息化局主办，青岛日报报业集团承办，一汽红旗协办。青岛市智能网联新能源汽车产业生态大会在青岛举行。",
        {"一汽红旗": "ORG", "青岛": "GPE"},
        [
            (
                "hosting",
                "主办",
                [
                    ("co_organiser", "一汽红旗"),
                    ("event", "青岛市智能网联新能源汽车产业生态大会"),
                    ("host", "青岛市工业和信息化局"),
                    ("organiser", "青岛日报报业集团"),
                ],
            )
        ],
    ),
    (
        "标题\n台南市政府今（1）日举办「韩国食品展暨拓销成果发表会」。",
        {},
        [("hosting", "举办", [("event", "韩国食品展暨拓销成果发表会"), ("host", "台南市政府")])],
    ),
    ("标题\n未来将举办说明会。", {}, []),
    (
        "标题\nKoMiCo为韩国企业，2006年来台成立「台湾高美可科技股份有限公司」。",
        {"KoMiCo": "ORG", "韩国": "GPE"},
        [("founding", "成立", [("object", "台湾高美可科技股份有限公司"), ("party", "KoMiCo")])],
    ),
    (
        "标题\n宏齐科技股份有限公司于1995年在台湾成立。",
        {"台湾": "GPE"},
        [("founding", "成立", [("object", "宏齐科技股份有限公司")])],
    ),
    (
        "标题\n奇瑞汽车与中非发展基金签署战略合作协议，双方将成立合资公司奇瑞海外实业投资有限公司。",
        {"奇瑞汽车": "ORG", "中非发展基金": "ORG"},
        [
            (
                "signing",
                "签署",
                [
                    ("object", "奇瑞海外实业投资有限公司"),
                    ("object", "战略合作协议"),
                    ("party", "中非发展基金"),
                    ("party", "奇瑞汽车"),
                ],
            ),
            (
                "founding",
                "成立",
                [
                    ("object", "奇瑞海外实业投资有限公司"),
                    ("party", "中非发展基金"),
                    ("party", "奇瑞汽车"),
                ],
            ),
        ],
    ),
    (
        "标题\n青岛市新能源智能网联汽车产业创新学院正式签约。创新学院由青岛市工业和信息化局、青岛大学共同创建。",
        {},
        [
            (
                "signing",
                "签约",
                [
                    ("object", "青岛市新能源智能网联汽车产业创新学院"),
                    ("party", "青岛大学"),
                    ("party", "青岛市工业和信息化局"),
                ],
            )
        ],
    ),
    (
        "标题\n武汉钢铁股份有限公司今天宣布，该公司计划与奇瑞汽车有限公司成立一家合资公司。",
        {},
        [("founding", "成立", [("party", "奇瑞汽车有限公司"), ("party", "武汉钢铁股份有限公司")])],
    ),
    (
        "据北京晨报消息，甲公司与乙集团签署协议。\n正文",
        {"北京晨报": "ORG", "甲公司": "ORG", "乙集团": "ORG"},
        [],
    ),
    # the organisations before 见证 witness the act; the words between the verb and MOU name it
    (
        "标题\n台南市政府观光旅游局把握商机，由市长黄伟哲率市府团队，见证台南观光产业联盟与釜山观光协会签订观光送客MOU。",
        {"黄伟哲": "PERSON", "台南": "GPE"},
        [
            (
                "signing",
                "签订",
                [
                    ("object", "观光送客MOU"),
                    ("party", "台南观光产业联盟"),
                    ("party", "釜山观光协会"),
                ],
            )
        ],
    ),
    # the founded organisation before 由, its founders after it
    (
        "标题\nAPS组织由东阿阿胶、江中制药、三九等3家品牌药企去年发起成立，随后康美药业加入。",
        {"APS": "ORG", "东阿阿胶": "ORG", "江中制药": "ORG", "三九": "ORG", "康美药业": "ORG"},
        [
            (
                "founding",
                "发起",
                [
                    ("object", "APS"),
                    ("party", "三九"),
                    ("party", "东阿阿胶"),
                    ("party", "江中制药"),
                ],
            )
        ],
    ),
]


@pytest.mark.parametrize("text,names,expected", CASES)
def test_events(processor_jieba, text, names, expected):
    assert events(analyse(processor_jieba, text, names)) == expected


def test_founding_of_two_bodies_in_taiwanese_news(processor_jieba):
    """Two objects joined by 以及; in Taiwanese news 台湾 stays in the name of a local company
    (mentions: foreign_place_start)."""
    text = "标题\n今年8月则成立了气候变迁署以及台湾碳权交易所。"
    doc = analyse(processor_jieba, text, {"台湾": "GPE"}, region="TW")
    assert events(doc) == [
        ("founding", "成立", [("object", "台湾碳权交易所"), ("object", "气候变迁署")])
    ]


def test_source_is_not_a_party(processor_jieba):
    doc = analyse(
        processor_jieba,
        "标题\n据北京晨报消息，甲乙汽车有限公司与丙丁发展基金签署合作协议。",
        {"北京晨报": "ORG", "甲乙汽车有限公司": "ORG", "丙丁发展基金": "ORG"},
    )
    assert events(doc) == [
        (
            "signing",
            "签署",
            [("object", "合作协议"), ("party", "丙丁发展基金"), ("party", "甲乙汽车有限公司")],
        )
    ]


# Phenomenon tables: sentences written for these tests (made-up bodies in a made-up city), each
# with the exact (type, trigger, arguments) it gives; an empty list means no event.
N = {
    "东海大学": "ORG",
    "北辰公司": "ORG",
    "北辰智能甬城有限公司": "ORG",
    "北辰科技有限公司": "ORG",
    "南洋贸易有限公司": "ORG",
    "申江商报社": "ORG",
    "甬城市人民政府": "ORG",
    "甬城市商务局": "ORG",
    "华东理工协会": "ORG",
    "甬城会展集团": "ORG",
    "浙东省商务厅": "ORG",
    "甬城纺织商会": "ORG",
    "北辰智能研究院": "ORG",
    "甬城新材料产业联盟": "ORG",
    "北辰新能源有限公司": "ORG",
    "甬城数据局": "ORG",
    "甬城市经济发展局": "ORG",
    "甬城": "GPE",
    "甬城市": "GPE",
    "广西": "GPE",
    "江西": "GPE",
    "王海": "PERSON",
    "李明": "PERSON",
    "张强": "PERSON",
    "刘洋": "PERSON",
    "北辰国际会议中心": "FAC",
    "甬城数字经济产业园": "FAC",
    "北辰智能制造项目": "PROJECT",
    "第三届智慧农业论坛": "EVENT",
    "2024甬城国际服装博览会": "EVENT",
}

HOSTING = [
    # 由A主办、B承办: the roles in order; 本届论坛 with no named event keeps its hosts
    (
        "本届论坛由华东理工协会、东海大学主办，申江商报社承办。",
        [
            (
                "hosting",
                "主办",
                [("host", "东海大学"), ("host", "华东理工协会"), ("organiser", "申江商报社")],
            )
        ],
    ),
    # a body that guides is no host, and the quoted name after 主办的 is the event whatever it ends in
    (
        "由国家农业署指导、宏达集团主办的「2026 智慧农业交流系列活动」于5月举行。",
        [
            (
                "hosting",
                "主办",
                [("event", "2026 智慧农业交流系列活动"), ("host", "宏达集团")],
            )
        ],
    ),
    # each host's own role ends its name (host_role)
    (
        "本届论坛由华东理工协会主办、申江商报社承办。",
        [("hosting", "主办", [("host", "华东理工协会"), ("organiser", "申江商报社")])],
    ),
    # 主办单位为A, 承办单位：B; the event is the article's named event
    (
        "本届博览会的主办单位为浙东省商务厅和甬城市人民政府，承办单位：甬城会展集团。2024甬城国际服装博览会将于5月开幕。",
        [
            (
                "hosting",
                "主办",
                [
                    ("event", "2024甬城国际服装博览会"),
                    ("host", "浙东省商务厅"),
                    ("host", "甬城市人民政府"),
                    ("organiser", "甬城会展集团"),
                ],
            )
        ],
    ),
    ("协办单位为甬城纺织商会。", [("hosting", "协办", [("co_organiser", "甬城纺织商会")])]),
    # A举办B
    (
        "甬城市人民政府今日举办2024甬城国际服装博览会。",
        [("hosting", "举办", [("event", "2024甬城国际服装博览会"), ("host", "甬城市人民政府")])],
    ),
    # A和B共同举办B
    (
        "东海大学和北辰科技有限公司共同举办第三届智慧农业论坛。",
        [
            (
                "hosting",
                "举办",
                [
                    ("event", "第三届智慧农业论坛"),
                    ("host", "东海大学"),
                    ("host", "北辰科技有限公司"),
                ],
            )
        ],
    ),
    # 在X举办: X is a venue, no host; a place hosts through its government, which the text does not name
    (
        "第三届智慧农业论坛今日在北辰国际会议中心举办。",
        [("hosting", "举办", [("event", "第三届智慧农业论坛")])],
    ),
    ("第三届智慧农业论坛在甬城市举办。", [("hosting", "举办", [("event", "第三届智慧农业论坛")])]),
    ("第三届智慧农业论坛由甬城市主办。", [("hosting", "主办", [("event", "第三届智慧农业论坛")])]),
    (
        "东海大学今日在北辰国际会议中心举办第三届智慧农业论坛。",
        [("hosting", "举办", [("event", "第三届智慧农业论坛"), ("host", "东海大学")])],
    ),
    # 在A举办的B上: 在 stands for the event, A hosts
    (
        "在甬城市人民政府举办的第三届智慧农业论坛上，东海大学发表演讲。",
        [("hosting", "举办", [("event", "第三届智慧农业论坛"), ("host", "甬城市人民政府")])],
    ),
    # an event the names did not find, read from the text after the verb
    (
        "东海大学与北辰科技有限公司共同举办甬城国际智能制造展。",
        [
            (
                "hosting",
                "举办",
                [
                    ("event", "甬城国际智能制造展"),
                    ("host", "东海大学"),
                    ("host", "北辰科技有限公司"),
                ],
            )
        ],
    ),
    # 合办: the bodies that host together; 等 and 共同 after the last host are no part of it
    (
        "甬城市人民政府与东海大学合办的甬城国际智能制造展今日开幕。",
        [
            (
                "hosting",
                "合办",
                [
                    ("event", "甬城国际智能制造展"),
                    ("host", "东海大学"),
                    ("host", "甬城市人民政府"),
                ],
            )
        ],
    ),
    (
        "本届论坛由浙东省商务厅、甬城市人民政府等共同主办。",
        [("hosting", "主办", [("host", "浙东省商务厅"), ("host", "甬城市人民政府")])],
    ),
    # a count of places is no host (place_count)
    ("本届论坛由粤港澳三地共同主办。", []),
    # no named event, no host: nothing
    ("市府明天将举办说明会。", []),
]

FOUNDING = [
    (
        "甬城新材料产业联盟今天正式成立。",
        [("founding", "成立", [("object", "甬城新材料产业联盟")])],
    ),
    (
        "东海大学与北辰科技有限公司共同成立北辰智能研究院。",
        [
            (
                "founding",
                "成立",
                [
                    ("object", "北辰智能研究院"),
                    ("party", "东海大学"),
                    ("party", "北辰科技有限公司"),
                ],
            )
        ],
    ),
    # the body the sentence tells of, then 成立于YYYY年 after a comma: a background founding
    (
        "宏达电子科技股份有限公司是一家专注于传感器的科技公司，成立于2015年6月。",
        [("founding", "成立", [("object", "宏达电子科技股份有限公司")])],
    ),
    ("公司规模持续扩大，成立于2015年的团队也在成长。", []),  # no organisation named
    # a new body named by a noun phrase after the trigger (founded_body); who sets it up founds
    (
        "北辰科技有限公司在甬城设立创新中心。",
        [("founding", "设立", [("object", "创新中心"), ("party", "北辰科技有限公司")])],
    ),
    (
        "北辰科技有限公司表示，将在甬城设立东南亚区域总部。",
        [("founding", "设立", [("object", "东南亚区域总部"), ("party", "北辰科技有限公司")])],
    ),
    # a founding wished for founds nothing (invited_before); nor a phrase without a body's head
    ("甬城市商务局欢迎外国企业到甬城投资、设立研发中心。", []),
    ("北辰科技有限公司设立专项资金，支持研发。", []),
    # X成立于YYYY年: a background founding, X is the object
    (
        "北辰科技有限公司成立于1998年，总部位于甬城。",
        [("founding", "成立", [("object", "北辰科技有限公司")])],
    ),
    (
        "北辰科技有限公司是一家制造商。该公司成立于1998年。",
        [("founding", "成立", [("object", "北辰科技有限公司")])],
    ),
    # 揭牌: of a body or a place; who attends unveils nothing
    ("北辰智能研究院揭牌仪式今日举行。", [("founding", "揭牌", [("object", "北辰智能研究院")])]),
    (
        "甬城市副市长王海出席甬城数字经济产业园揭牌仪式。",
        [("founding", "揭牌", [("object", "甬城数字经济产业园")])],
    ),
    # 设立
    (
        "北辰科技有限公司将在甬城设立北辰新能源有限公司。",
        [("founding", "设立", [("object", "北辰新能源有限公司"), ("party", "北辰科技有限公司")])],
    ),
    # 发起成立: X由A、B发起成立, 由A牵头…共同发起成立X
    (
        "甬城新材料产业联盟由东海大学、北辰科技有限公司等8家单位发起成立。",
        [
            (
                "founding",
                "发起",
                [
                    ("object", "甬城新材料产业联盟"),
                    ("party", "东海大学"),
                    ("party", "北辰科技有限公司"),
                ],
            )
        ],
    ),
    (
        "由东海大学牵头，北辰科技有限公司等8家单位共同发起成立甬城新材料产业联盟。",
        [
            (
                "founding",
                "成立",
                [
                    ("object", "甬城新材料产业联盟"),
                    ("party", "东海大学"),
                    ("party", "北辰科技有限公司"),
                ],
            )
        ],
    ),
    # who speaks founds
    (
        "甬城市商务局表示，将在甬城设立北辰智能研究院。",
        [("founding", "设立", [("object", "北辰智能研究院"), ("party", "甬城市商务局")])],
    ),
    (
        "甬城市人民政府去年成立甬城数据局。",
        [("founding", "成立", [("object", "甬城数据局"), ("party", "甬城市人民政府")])],
    ),
    # a body that exists, a founding told of as a thing: no founding
    ("东海大学成立以来培养了大批人才。", []),
    ("东海大学对甬城新材料产业联盟的成立表示祝贺。", []),
]

SIGNING = [
    # witnesses, attendees, hosts of the ceremony and congratulators are no parties
    (
        "在甬城市副市长王海见证下，北辰科技有限公司与东海大学签署合作协议。",
        [
            (
                "signing",
                "签署",
                [("object", "合作协议"), ("party", "东海大学"), ("party", "北辰科技有限公司")],
            )
        ],
    ),
    (
        "甬城市经济发展局局长李明见证北辰科技有限公司与东海大学签署战略合作协议。",
        [
            (
                "signing",
                "签署",
                [("object", "战略合作协议"), ("party", "东海大学"), ("party", "北辰科技有限公司")],
            )
        ],
    ),
    (
        "甬城市商务局局长李明恭喜北辰科技有限公司与东海大学签约。",
        [("signing", "签约", [("party", "东海大学"), ("party", "北辰科技有限公司")])],
    ),
    (
        "北辰科技有限公司总经理张强与东海大学校长刘洋代表双方签署合作协议。",
        [
            (
                "signing",
                "签署",
                [("object", "合作协议"), ("party", "东海大学"), ("party", "北辰科技有限公司")],
            )
        ],
    ),
    # the object of another verb, a parent company: no parties
    (
        "北辰科技有限公司收购南洋贸易有限公司后，与东海大学签署合作协议。",
        [
            (
                "signing",
                "签署",
                [("object", "合作协议"), ("party", "东海大学"), ("party", "北辰科技有限公司")],
            )
        ],
    ),
    (
        "北辰科技有限公司全资子公司北辰新能源有限公司与东海大学签署合作协议。",
        [
            (
                "signing",
                "签署",
                [("object", "合作协议"), ("party", "东海大学"), ("party", "北辰新能源有限公司")],
            )
        ],
    ),
    # places sign where the text names no body for them
    (
        "甬城市与北辰科技有限公司签约，北辰科技有限公司将在甬城投资10亿元。",
        [("signing", "签约", [("party", "北辰科技有限公司"), ("party", "甬城市")])],
    ),
    (
        "北辰科技有限公司与广西、江西等地签署了一批战略合作协议。",
        [
            (
                "signing",
                "签署",
                [
                    ("object", "战略合作协议"),
                    ("party", "北辰科技有限公司"),
                    ("party", "广西"),
                    ("party", "江西"),
                ],
            )
        ],
    ),
    # documents by the name the text gives, a number inside the name
    (
        "北辰科技有限公司与南洋贸易有限公司签订130吨大米采购合约。",
        [
            (
                "signing",
                "签订",
                [
                    ("object", "130吨大米采购合约"),
                    ("party", "北辰科技有限公司"),
                    ("party", "南洋贸易有限公司"),
                ],
            )
        ],
    ),
    (
        "北辰科技有限公司与南洋贸易有限公司签订长期供货契约。",
        [
            (
                "signing",
                "签订",
                [
                    ("object", "长期供货契约"),
                    ("party", "北辰科技有限公司"),
                    ("party", "南洋贸易有限公司"),
                ],
            )
        ],
    ),
    (
        "北辰科技有限公司与东海大学签署谅解备忘录。",
        [
            (
                "signing",
                "签署",
                [("object", "谅解备忘录"), ("party", "东海大学"), ("party", "北辰科技有限公司")],
            )
        ],
    ),
    (
        "北辰科技有限公司与甬城市人民政府签订总金额达5亿元的投资意向书，北辰智能制造项目将落户甬城。",
        [
            (
                "signing",
                "签订",
                [
                    ("object", "北辰智能制造项目"),
                    ("object", "投资意向书"),
                    ("party", "北辰科技有限公司"),
                    ("party", "甬城市人民政府"),
                ],
            )
        ],
    ),
    (
        "北辰科技有限公司与南洋贸易有限公司达成协议。",
        [
            (
                "signing",
                "达成",
                [("object", "协议"), ("party", "北辰科技有限公司"), ("party", "南洋贸易有限公司")],
            )
        ],
    ),
    ("北辰科技有限公司与南洋贸易有限公司达成共识。", []),
    # who signs with a partner: the company referred to, the speaker, the subject of the sentence before
    (
        "北辰科技有限公司是一家制造商。该公司已与东海大学签订人才培养协议。",
        [
            (
                "signing",
                "签订",
                [("object", "人才培养协议"), ("party", "东海大学"), ("party", "北辰科技有限公司")],
            )
        ],
    ),
    (
        "北辰科技有限公司表示，将与东海大学签订人才培养协议。",
        [
            (
                "signing",
                "签订",
                [("object", "人才培养协议"), ("party", "东海大学"), ("party", "北辰科技有限公司")],
            )
        ],
    ),
    (
        "北辰科技有限公司将扩大投资。并已与东海大学签订人才培养协议。",
        [
            (
                "signing",
                "签订",
                [("object", "人才培养协议"), ("party", "东海大学"), ("party", "北辰科技有限公司")],
            )
        ],
    ),
    # parties named after the verb
    (
        "签约双方分别是北辰科技有限公司和东海大学，签约金额达5亿元。",
        [("signing", "签约", [("party", "东海大学"), ("party", "北辰科技有限公司")])],
    ),
    (
        "本次签约双方为北辰科技有限公司和东海大学。",
        [("signing", "签约", [("party", "东海大学"), ("party", "北辰科技有限公司")])],
    ),
    # a company the parties found is what they sign for; a company named with its legal suffix is
    # no short form of a longer one that starts with its words (北辰公司, 北辰智能甬城有限公司)
    (
        "北辰科技有限公司与东海大学签署合作协议，三方将共同成立北辰智能研究院。",
        [
            (
                "signing",
                "签署",
                [
                    ("object", "北辰智能研究院"),
                    ("object", "合作协议"),
                    ("party", "东海大学"),
                    ("party", "北辰科技有限公司"),
                ],
            ),
            (
                "founding",
                "成立",
                [
                    ("object", "北辰智能研究院"),
                    ("party", "东海大学"),
                    ("party", "北辰科技有限公司"),
                ],
            ),
        ],
    ),
    (
        "北辰公司与南洋贸易有限公司签署合作协议。北辰公司与甬城市人民政府共同设立北辰智能甬城有限公司。",
        [
            (
                "signing",
                "签署",
                [("object", "合作协议"), ("party", "北辰公司"), ("party", "南洋贸易有限公司")],
            ),
            (
                "founding",
                "设立",
                [
                    ("object", "北辰智能甬城有限公司"),
                    ("party", "北辰公司"),
                    ("party", "甬城市人民政府"),
                ],
            ),
        ],
    ),
    # 双方 resolved to the parties of the act before
    (
        "北辰科技有限公司与东海大学签署合作协议。双方还签订了人才培养协议。",
        [
            (
                "signing",
                "签署",
                [("object", "合作协议"), ("party", "东海大学"), ("party", "北辰科技有限公司")],
            ),
            (
                "signing",
                "签订",
                [("object", "人才培养协议"), ("party", "东海大学"), ("party", "北辰科技有限公司")],
            ),
        ],
    ),
    # a document named before its verb starts after the parties written before it
    (
        "本次东海大学与北辰科技有限公司人才培养合作协议成功签约。",
        [
            (
                "signing",
                "签约",
                [
                    ("object", "人才培养合作协议"),
                    ("party", "东海大学"),
                    ("party", "北辰科技有限公司"),
                ],
            )
        ],
    ),
    # a document signed under part of its name is the one the article titles in full
    (
        "东海大学与北辰科技有限公司签署合作意向书。该意向书全称为“人才培养合作意向书”。",
        [
            (
                "signing",
                "签署",
                [
                    ("object", "人才培养合作意向书"),
                    ("party", "东海大学"),
                    ("party", "北辰科技有限公司"),
                ],
            )
        ],
    ),
    (
        "东海大学与北辰科技有限公司签署合作意向书。“合作”是双方的共识。",
        [
            (
                "signing",
                "签署",
                [("object", "合作意向书"), ("party", "东海大学"), ("party", "北辰科技有限公司")],
            )
        ],
    ),
    # generic mentions are no acts
    ("甬城市商务局、东海大学出席签约仪式。", []),
    ("以本次签约为契机，北辰科技有限公司将扩大投资。", []),
    ("此次签约项目共12个，总投资50亿元。", []),
    ("甬城市人民政府举办签约仪式，甬城市商务局局长李明主持签约仪式。", []),
    ("甬城市商务局表示，这份合作协议的签订意义重大。", []),
]


def phenomenon_params(table):
    return [
        case if hasattr(case, "values") else pytest.param(*case, id=case[0][:14]) for case in table
    ]


@pytest.mark.parametrize("text,expected", phenomenon_params(HOSTING))
def test_hosting(processor_jieba, text, expected):
    assert events(analyse(processor_jieba, "标题\n" + text, N)) == expected


@pytest.mark.parametrize("text,expected", phenomenon_params(FOUNDING))
def test_founding(processor_jieba, text, expected):
    assert events(analyse(processor_jieba, "标题\n" + text, N)) == expected


@pytest.mark.parametrize("text,expected", phenomenon_params(SIGNING))
def test_signing(processor_jieba, text, expected):
    assert events(analyse(processor_jieba, "标题\n" + text, N)) == expected


def test_headline_is_no_act(processor_jieba):
    doc = analyse(processor_jieba, "北辰科技有限公司与东海大学签署合作协议\n正文没有签约。", N)
    assert events(doc) == []


def test_shorter_name_of_the_same_document(processor_jieba):
    """The same parties sign once: `融资合作协议` later is the `水利建设融资合作协议` named first."""
    doc = analyse(
        processor_jieba,
        "标题\n北辰科技有限公司与东海大学签订水利建设融资合作协议。\n"
        "北辰科技有限公司总经理张强与东海大学校长刘洋分别代表北辰科技有限公司和东海大学签订融资合作协议。",
        N,
    )
    assert sorted({(a.role, a.text) for e in doc._.events for a in e.arguments}) == [
        ("object", "水利建设融资合作协议"),
        ("party", "东海大学"),
        ("party", "北辰科技有限公司"),
    ]
