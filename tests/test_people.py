"""People: title and organisation from the patterns around a name."""
from __future__ import annotations

import pytest

from conftest import analyse

CASES = [
    ("青岛市政府副秘书长王东翔出席活动并致辞。", {"王东翔": "PERSON", "青岛市政府": "ORG"},
     [("王东翔", "副秘书长", "青岛市政府")]),
    ("南市府积极打造投资环境，台南市长黄伟哲今(7)日与台南纺织股份有限公司总经理王立范签订合作备忘录。",
     {"黄伟哲": "PERSON", "王立范": "PERSON", "台南": "GPE", "南市府": "ORG"},
     [("黄伟哲", "市长", "台南市政府"), ("王立范", "总经理", "台南纺织股份有限公司")]),
    ("江阴市长王锡南前往长沙。", {"王锡南": "PERSON", "江阴": "GPE"}, [("王锡南", "市长", "")]),
    ("经发局长陈凯凌表示，可至经济发展局官网查询。", {"陈凯凌": "PERSON"}, [("陈凯凌", "局长", "经济发展局")]),
    ("中国科学院青岛生物能源与过程研究所博士/研究员武建飞发表演讲。",
     {"武建飞": "PERSON", "中国科学院青岛生物能源与过程研究所": "ORG"},
     [("武建飞", "博士/研究员", "中国科学院青岛生物能源与过程研究所")]),
    ("市长黄伟哲与夆典科技开发股份有限公司郭国华董事长今日签约。", {"黄伟哲": "PERSON", "郭国华": "PERSON"},
     [("黄伟哲", "市长", ""), ("郭国华", "董事长", "夆典科技开发股份有限公司")]),
    ("王锡南会见了中联重科董事长詹纯新、高级总裁殷正富等。中联重工科技发展股份有限公司是领军企业。",
     {"王锡南": "PERSON", "詹纯新": "PERSON", "殷正富": "PERSON", "中联重科": "ORG"},
     [("王锡南", "", ""), ("詹纯新", "董事长", "中联重工科技发展股份有限公司"),
      ("殷正富", "高级总裁", "中联重工科技发展股份有限公司")]),
    ("市委常委、常务副市长张瑛出席。", {"张瑛": "PERSON"}, [("张瑛", "市委常委、常务副市长", "")]),
    ("在驻新加坡童振源大使见证下签约。", {"童振源": "PERSON", "新加坡": "GPE"}, [("童振源", "驻新加坡大使", "")]),
    ("发稿单位：新闻及国际关系处\n发稿人：陈涵文\n", {"陈涵文": "PERSON"}, [("陈涵文", "发稿人", "新闻及国际关系处")]),
    ("可向专责服务窗口工业区科曾小姐咨询。", {"工业区科": "ORG"}, []),
    ("偕亚洲台湾商会联合总会(以下简称亚总)陈舒琴总会长共同签署。", {"陈舒琴": "PERSON"},
     [("陈舒琴", "总会长", "亚洲台湾商会联合总会")]),
]


@pytest.mark.parametrize("text,names,expected", CASES)
def test_people(processor_jieba, text, names, expected):
    doc = analyse(processor_jieba, text, names)
    assert [(p.name, p.title, p.organisation) for p in doc._.people] == expected


def test_people_are_counted_once_with_their_mentions(processor_jieba):
    doc = analyse(processor_jieba, "市长黄伟哲表示欢迎。黄伟哲说，台南欢迎投资。", {"黄伟哲": "PERSON"})
    assert [(p.name, p.title, p.mentions, p.first_start) for p in doc._.people] == [("黄伟哲", "市长", 2, 2)]
