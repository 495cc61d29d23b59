"""Figures: numeral grammar, units and currencies, qualifiers, years; cases grouped by phenomenon."""
from __future__ import annotations

import pytest

from conftest import run_components

CN, TW = "CN", "TW"


def figures(processor, text, region=CN, published=None):
    doc = run_components(processor, text, ["zhie_figures"], region=region, published=published)
    return [(text[f.start:f.end], f.value, f.unit, f.qualifier, f.year) for f in doc._.figures]


@pytest.fixture(scope="module")
def nlp(processor_jieba):
    return processor_jieba


MONEY = [
    ("产业链规模已达到1800亿元。", CN, [("1800亿元", 1.8e11, "CNY", "exact", None)]),
    ("投资逾4亿元于台南", TW, [("4亿元", 4e8, "TWD", "more_than", None)]),
    ("总投资额约3,098亿元", TW, [("3,098亿元", 3.098e11, "TWD", "approx", None)]),
    ("促成近新台币2亿元商机", TW, [("新台币2亿元", 2e8, "TWD", "approx", None)]),
    ("采购价值2500亿元人民币的电池", CN, [("2500亿元人民币", 2.5e11, "CNY", "exact", None)]),
    ("需求量约210亿美元", CN, [("210亿美元", 2.1e10, "USD", "approx", None)]),
    ("签署1亿采购MOU", TW, [("1亿", 1e8, "TWD", "exact", None)]),
    ("百亿投资", CN, [("百亿", 1e10, "CNY", "exact", None)]),
    ("日产值900万元", CN, [("900万元", 9e6, "CNY", "exact", None)]),
    ("注资5000万港元", CN, [("5000万港元", 5e7, "HKD", "exact", None)]),
    ("投资6-8亿元", CN, [("6", 6e8, "CNY", "exact", None), ("8亿元", 8e8, "CNY", "exact", None)]),
]
COUNTS_AND_MEASURES = [
    ("来自企业的300余人齐聚一堂", CN, [("300余人", 300, "人", "more_than", None)]),
    ("等五个方面发力", CN, [("五个", 5, "个", "exact", None)]),
    ("十余个新能源汽车产业重点项目签约", CN, [("十余个", 10, "个", "more_than", None)]),
    ("13大类别、28个系列、450多个品种", CN, [("28个", 28, "个", "exact", None), ("450多个", 450, "个", "more_than", None)]),
    ("共有9,540个工作机会", TW, [("9,540个", 9540, "个", "exact", None)]),
    ("两家公司", TW, [("两家", 2, "家", "exact", None)]),
    ("提供约8万个就业机会", TW, [("8万个", 80000, "个", "approx", None)]),
    ("总面积141.34公顷", TW, [("141.34公顷", 141.34, "公顷", "exact", None)]),
    ("3奈米制程与288GB记忆体", TW, [("3奈米", 3, "奈米", "exact", None), ("288GB", 288, "GB", "exact", None)]),
    ("产能20亿颗", CN, [("20亿颗", 2e9, "颗", "exact", None)]),
    ("零下40度至零上70度", CN, [("零下40度", -40, "度", "exact", None), ("零上70度", 70, "度", "exact", None)]),
    ("三级联动", CN, [("三级", 3, "级", "exact", None)]),
]
PERCENT_AND_DURATION = [
    ("以法定容积以百分之二百四十以下者", TW, [("百分之二百四十", 240, "%", "less_than", None)]),
    ("最高可达法定容积之50%。", TW, [("50%", 50, "%", "at_most", None)]),
    ("存放一年后电量90%", CN, [("一年", 1, "年", "exact", None), ("90%", 90, "%", "exact", None)]),
    ("进驻科学园区6年多", TW, [("6年多", 6, "年", "more_than", None)]),
    ("充电时间0.5至1小时", CN, [("0.5", 0.5, "小时", "exact", None), ("1小时", 1, "小时", "exact", None)]),
    ("开发期程为6年", TW, [("6年", 6, "年", "exact", None)]),
]
QUALIFIERS = [
    ("创造至少79个就业机会", TW, [("79个", 79, "个", "at_least", None)]),
    ("总投资超过100亿元", CN, [("100亿元", 1e10, "CNY", "more_than", None)]),
    ("循环寿命700次以上", CN, [("700次", 700, "次", "more_than", None)]),
    ("距交流道3公里左右", TW, [("3公里", 3, "公里", "approx", None)]),
    ("不到20家", CN, [("20家", 20, "家", "less_than", None)]),
    ("5年内完成", CN, [("5年", 5, "年", "at_most", None)]),
    ("在不到两年内就已有7次涨价潮", CN, [("两年", 2, "年", "less_than", None), ("7次", 7, "次", "exact", None)]),
    ("敲定50场次以上证照课程", TW, [("50场次", 50, "场次", "more_than", None)]),
    ("白药去年在原材料采购上多支出了4000万", CN, [("4000万", 4e7, "CNY", "exact", None)]),
]
YEARS = [
    ("到2027年，产业链规模力争超过3000亿元。", CN, None, [("3000亿元", 3e11, "CNY", "more_than", 2027)]),
    ("2010年集团实现销售510亿元", CN, None, [("510亿元", 5.1e10, "CNY", "exact", 2010)]),
    ("今年食品展促成近2亿元商机", TW, "2025-09-01", [("2亿元", 2e8, "TWD", "approx", 2025)]),
    ("今年需求量约210亿美元", CN, None, [("210亿美元", 2.1e10, "USD", "approx", None)]),
    ("二期项目预计2013年竣工投产，届时年产值有望达到1000亿", CN, None, [("1000亿", 1e11, "CNY", "exact", 2013)]),
    ("台南新增投资额（108年1月至114年11月）2963亿元", TW, None, [("2963亿元", 2.963e11, "TWD", "exact", None)]),
    ("113年产值达50亿元", TW, None, [("50亿元", 5e9, "TWD", "exact", 2024)]),
    ("数据显示，到了2010年，全国537种中药材共有84%涨价", CN, None,
     [("537种", 537, "种", "exact", 2010), ("84%", 84, "%", "exact", 2010)]),
    ("计划到2015年底，累计建立基地不少于20个", CN, None, [("20个", 20, "个", "at_least", 2015)]),
]
NOT_FIGURES = [
    "3月22日，江阴市长", "2006年来台成立", "进入了国内第一梯队", "成立了一家公司", "三大议题", "四部委联合",
    "北汽制造新212", "咨询(06)6377097。", "今(7)日与", "5+2创新产业", "发稿时间：114年9月1日12:45",
    "汽车产业转型发展三部曲", "统一规划", "前3位", "打造一批优势产业", "第1家", "支持5G网络",
    "百年老店", "千年古城",
]


@pytest.mark.parametrize("text,region,expected", MONEY + COUNTS_AND_MEASURES + PERCENT_AND_DURATION + QUALIFIERS)
def test_figure(nlp, text, region, expected):
    assert figures(nlp, text, region) == expected


@pytest.mark.parametrize("text,region,published,expected", YEARS)
def test_year(nlp, text, region, published, expected):
    assert figures(nlp, text, region, published) == expected


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_not_a_figure(nlp, text):
    assert figures(nlp, text) == []


def test_bare_yuan_follows_region(nlp):
    assert figures(nlp, "投资5亿元", CN)[0][2] == "CNY"
    assert figures(nlp, "投资5亿元", TW)[0][2] == "TWD"
