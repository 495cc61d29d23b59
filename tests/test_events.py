"""Events: triggers and arguments for signing, founding and hosting."""
from __future__ import annotations

import pytest

from conftest import analyse


def events(doc):
    return [(e.type, doc.text[e.trigger_start:e.trigger_end], sorted((a.role, a.text) for a in e.arguments))
            for e in doc._.events]


CASES = [
    ("标题\n韩国商务代表团与锦辉控股集团在湖北荆州签订《战略合作框架协议》。",
     {"韩国商务代表团": "ORG", "锦辉控股集团": "ORG", "湖北": "GPE", "荆州": "GPE"},
     [("signing", "签订", [("object", "战略合作框架协议"), ("party", "锦辉控股集团"), ("party", "韩国商务代表团")])]),
    ("标题\n南市府积极招商，台南市长黄伟哲今(7)日与台南纺织股份有限公司总经理王立范签订合作备忘录。",
     {"南市府": "ORG", "台南": "GPE", "黄伟哲": "PERSON", "王立范": "PERSON"},
     [("signing", "签订", [("object", "合作备忘录"), ("party", "南市府"), ("party", "台南纺织股份有限公司")])]),
    ("标题\n首尔农水产食品贸易进出口协会与 Natural House Group 于可乐市场签署出口合作 MOU。",
     {},
     [("signing", "签署", [("object", "出口合作 MOU"), ("party", "Natural House Group"), ("party", "首尔农水产食品贸易进出口协会")])]),
    ("标题\n在台南市副市长叶泽山见证下，昱晟贸易协会与璟泰开发有限公司签署合作协议。",
     {"叶泽山": "PERSON", "台南市": "GPE"},
     [("signing", "签署", [("object", "合作协议"), ("party", "昱晟贸易协会"), ("party", "璟泰开发有限公司")])]),
    ("标题\n农业局表示，本次食品展与MOU签署成果丰硕。", {"农业局": "ORG"}, []),
    ("标题\n德杰汽车零部件生产项目、泽世通汽车零部件项目等十余个重点项目签约。", {},
     [("signing", "签约", [("object", "德杰汽车零部件生产项目"), ("object", "泽世通汽车零部件项目")])]),
    # jieba tags 立新 as an adverb; the list of projects makes it a project's name all the same
    ("标题\n立新汽车城项目、德杰汽车零部件生产项目等十余个重点项目签约。", {},
     [("signing", "签约", [("object", "德杰汽车零部件生产项目"), ("object", "立新汽车城项目")])]),
    ("标题\n本次活动由青岛市工业和信息化局主办，青岛日报报业集团承办，一汽红旗协办。青岛市智能网联新能源汽车产业生态大会在青岛举行。",
     {"一汽红旗": "ORG", "青岛": "GPE"},
     [("hosting", "主办", [("co_organiser", "一汽红旗"), ("event", "青岛市智能网联新能源汽车产业生态大会"),
                          ("host", "青岛市工业和信息化局"), ("organiser", "青岛日报报业集团")])]),
    ("标题\n台南市政府今（1）日举办「韩国食品展暨拓销成果发表会」。", {},
     [("hosting", "举办", [("event", "韩国食品展暨拓销成果发表会"), ("host", "台南市政府")])]),
    ("标题\n未来将举办说明会。", {}, []),
    ("标题\nKoMiCo为韩国企业，2006年来台成立「台湾高美可科技股份有限公司」。", {"KoMiCo": "ORG", "韩国": "GPE"},
     [("founding", "成立", [("object", "台湾高美可科技股份有限公司"), ("party", "KoMiCo")])]),
    ("标题\n宏齐科技股份有限公司于1995年在台湾成立。", {"台湾": "GPE"},
     [("founding", "成立", [("object", "宏齐科技股份有限公司")])]),
    ("标题\n奇瑞汽车与中非发展基金签署战略合作协议，双方将成立合资公司奇瑞海外实业投资有限公司。",
     {"奇瑞汽车": "ORG", "中非发展基金": "ORG"},
     [("signing", "签署", [("object", "奇瑞海外实业投资有限公司"), ("object", "战略合作协议"),
                         ("party", "中非发展基金"), ("party", "奇瑞汽车")]),
      ("founding", "成立", [("object", "奇瑞海外实业投资有限公司"), ("party", "中非发展基金"), ("party", "奇瑞汽车")])]),
    ("标题\n青岛市新能源智能网联汽车产业创新学院正式签约。创新学院由青岛市工业和信息化局、青岛大学共同创建。", {},
     [("signing", "签约", [("object", "青岛市新能源智能网联汽车产业创新学院"), ("party", "青岛大学"),
                         ("party", "青岛市工业和信息化局")])]),
    ("标题\n武汉钢铁股份有限公司今天宣布，该公司计划与奇瑞汽车有限公司成立一家合资公司。", {},
     [("founding", "成立", [("party", "奇瑞汽车有限公司"), ("party", "武汉钢铁股份有限公司")])]),
    ("标题\n今年8月则成立了气候变迁署以及台湾碳权交易所。", {"台湾": "GPE"},
     [("founding", "成立", [("object", "台湾碳权交易所"), ("object", "气候变迁署")])]),
    ("据北京晨报消息，甲公司与乙集团签署协议。\n正文", {"北京晨报": "ORG", "甲公司": "ORG", "乙集团": "ORG"}, []),
    # the organisations before 见证 witness the act; the words between the verb and MOU name it
    ("标题\n台南市政府观光旅游局把握商机，由市长黄伟哲率市府团队，见证台南观光产业联盟与釜山观光协会签订观光送客MOU。",
     {"黄伟哲": "PERSON", "台南": "GPE"},
     [("signing", "签订", [("object", "观光送客MOU"), ("party", "台南观光产业联盟"), ("party", "釜山观光协会")])]),
    # the founded organisation before 由, its founders after it
    ("标题\nAPS组织由东阿阿胶、江中制药、三九等3家品牌药企去年发起成立，随后康美药业加入。",
     {"APS": "ORG", "东阿阿胶": "ORG", "江中制药": "ORG", "三九": "ORG", "康美药业": "ORG"},
     [("founding", "发起", [("object", "APS"), ("party", "三九"), ("party", "东阿阿胶"), ("party", "江中制药")])]),
]


@pytest.mark.parametrize("text,names,expected", CASES)
def test_events(processor_jieba, text, names, expected):
    assert events(analyse(processor_jieba, text, names)) == expected


def test_source_is_not_a_party(processor_jieba):
    doc = analyse(processor_jieba, "标题\n据北京晨报消息，甲乙汽车有限公司与丙丁发展基金签署合作协议。",
                  {"北京晨报": "ORG", "甲乙汽车有限公司": "ORG", "丙丁发展基金": "ORG"})
    assert events(doc) == [("signing", "签署", [("object", "合作协议"), ("party", "丙丁发展基金"), ("party", "甲乙汽车有限公司")])]
