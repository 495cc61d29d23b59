"""Figures: numeral grammar, units and currencies, qualifiers, years; cases grouped by phenomenon."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import run_components
from hypothesis import given, settings
from hypothesis import strategies as st

from zhie.nlp.components.figures import FigureExtractor, FigureRules, Numerals, exact
from zhie.nlp.lexicon import RuleFileError
from zhie.resources import resolve_path
from zhie.text.convert import Normaliser

CN, TW = "CN", "TW"


def figures(processor, text, region=CN, published=None):
    doc = run_components(processor, text, ["zhie_figures"], region=region, published=published)
    return [(text[f.start : f.end], f.value, f.unit, f.qualifier, f.year) for f in doc._.figures]


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
    # thousands written with a full-width comma; sorties
    ("募集资金总额45，678万元", CN, [("45，678万元", 456780000, "CNY", "exact", None)]),
    ("全年起降3.6万架次", CN, [("3.6万架次", 36000, "架次", "exact", None)]),
    # days in Chinese numerals after a duration word are a duration, and a few days always
    ("展期共十五日", CN, [("十五日", 15, "日", "exact", None)]),
    ("研讨会一连三日举行", CN, [("三日", 3, "日", "exact", None)]),
    ("来自企业的300余人齐聚一堂", CN, [("300余人", 300, "人", "more_than", None)]),
    ("等五个方面发力", CN, [("五个", 5, "个", "exact", None)]),
    ("十余个新能源汽车产业重点项目签约", CN, [("十余个", 10, "个", "more_than", None)]),
    (
        "13大类别、28个系列、450多个品种",
        CN,
        [("28个", 28, "个", "exact", None), ("450多个", 450, "个", "more_than", None)],
    ),
    ("共有9,540个工作机会", TW, [("9,540个", 9540, "个", "exact", None)]),
    ("两家公司", TW, [("两家", 2, "家", "exact", None)]),
    ("提供约8万个就业机会", TW, [("8万个", 80000, "个", "approx", None)]),
    ("总面积141.34公顷", TW, [("141.34公顷", 141.34, "公顷", "exact", None)]),
    (
        "3奈米制程与288GB记忆体",
        TW,
        [("3奈米", 3, "奈米", "exact", None), ("288GB", 288, "GB", "exact", None)],
    ),
    ("产能20亿颗", CN, [("20亿颗", 2e9, "颗", "exact", None)]),
    (
        "零下40度至零上70度",
        CN,
        [("零下40度", -40, "度", "exact", None), ("零上70度", 70, "度", "exact", None)],
    ),
]
PERCENT_AND_DURATION = [
    ("以法定容积以百分之二百四十以下者", TW, [("百分之二百四十", 240, "%", "less_than", None)]),
    ("最高可达法定容积之50%。", TW, [("50%", 50, "%", "at_most", None)]),
    ("存放一年后电量90%", CN, [("一年", 1, "年", "exact", None), ("90%", 90, "%", "exact", None)]),
    ("进驻科学园区6年多", TW, [("6年多", 6, "年", "more_than", None)]),
    (
        "充电时间0.5至1小时",
        CN,
        [("0.5", 0.5, "小时", "exact", None), ("1小时", 1, "小时", "exact", None)],
    ),
    ("开发期程为6年", TW, [("6年", 6, "年", "exact", None)]),
]
QUALIFIERS = [
    ("创造至少79个就业机会", TW, [("79个", 79, "个", "at_least", None)]),
    ("总投资超过100亿元", CN, [("100亿元", 1e10, "CNY", "more_than", None)]),
    ("循环寿命700次以上", CN, [("700次", 700, "次", "more_than", None)]),
    ("距交流道3公里左右", TW, [("3公里", 3, "公里", "approx", None)]),
    ("不到20家", CN, [("20家", 20, "家", "less_than", None)]),
    ("5年内完成", CN, [("5年", 5, "年", "at_most", None)]),
    (
        "在不到两年内就已有7次涨价潮",
        CN,
        [("两年", 2, "年", "less_than", None), ("7次", 7, "次", "exact", None)],
    ),
    ("敲定50场次以上证照课程", TW, [("50场次", 50, "场次", "more_than", None)]),
    ("白药去年在原材料采购上多支出了4000万", CN, [("4000万", 4e7, "CNY", "exact", None)]),
]
YEARS = [
    (
        "到2027年，产业链规模力争超过3000亿元。",
        CN,
        None,
        [("3000亿元", 3e11, "CNY", "more_than", 2027)],
    ),
    ("2010年集团实现销售510亿元", CN, None, [("510亿元", 5.1e10, "CNY", "exact", 2010)]),
    ("今年食品展促成近2亿元商机", TW, "2025-09-01", [("2亿元", 2e8, "TWD", "approx", 2025)]),
    ("今年需求量约210亿美元", CN, None, [("210亿美元", 2.1e10, "USD", "approx", None)]),
    (
        "二期项目预计2013年竣工投产，届时年产值有望达到1000亿",
        CN,
        None,
        [("1000亿", 1e11, "CNY", "exact", 2013)],
    ),
    (
        "台南新增投资额（108年1月至114年11月）2963亿元",
        TW,
        None,
        [("2963亿元", 2.963e11, "TWD", "exact", None)],
    ),
    ("113年产值达50亿元", TW, None, [("50亿元", 5e9, "TWD", "exact", 2024)]),
    (
        "数据显示，到了2010年，全国537种中药材共有84%涨价",
        CN,
        None,
        [("537种", 537, "种", "exact", 2010), ("84%", 84, "%", "exact", 2010)],
    ),
    ("计划到2015年底，累计建立基地不少于20个", CN, None, [("20个", 20, "个", "at_least", 2015)]),
]
NOT_FIGURES = [
    "3月22日，江阴市长",
    "集团十八日在园区举行动土典礼",  # a day of the month in Chinese numerals
    "二十六日上午开幕",
    "2006年来台成立",
    "进入了国内第一梯队",
    "成立了一家公司",
    "三大议题",
    "四部委联合",
    "北汽制造新212",
    "咨询(06)6377097。",
    "今(7)日与",
    "5+2创新产业",
    "发稿时间：114年9月1日12:45",
    "汽车产业转型发展三部曲",
    "统一规划",
    "前3位",
    "打造一批优势产业",
    "第1家",
    "支持5G网络",
    "百年老店",
    "千年古城",
    "三级联动",
]


@pytest.mark.parametrize(
    "text,region,expected", MONEY + COUNTS_AND_MEASURES + PERCENT_AND_DURATION + QUALIFIERS
)
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


# ---------------------------------------------------------------------------------------------
# Phenomena of issue 10 (figures), 12 (rules as data) and 13 (signs, linear work). Sentences
# written for these tests. Traditional input is converted as the pipeline converts it (t2s,
# width folding, length-preserving), so the spans are those of the converted text.


HK = "HK"
MO = "MO"
to_simplified = Normaliser("t2s")


def converted_figures(processor, text, region=CN, published=None):
    return figures(processor, to_simplified(text).text, region, published)


SPACED = [
    ("新厂的设计寿命为50 年", CN, [("50 年", 50, "年", "exact", None)]),
    ("集团计划投资5 亿元扩产", CN, [("5 亿元", 500000000, "CNY", "exact", None)]),
    (
        "光伏电站装机5.5 GW，配套储能200 MW",
        CN,
        [("5.5 GW", 5.5, "GW", "exact", None), ("200 MW", 200, "MW", "exact", None)],
    ),
    ("合同期限为20\u2009年", CN, [("20\u2009年", 20, "年", "exact", None)]),
    ("园区面积约12\u00a0公顷", CN, [("12\u00a0公顷", 12, "公顷", "approx", None)]),
    ("首期募资3\u3000亿元", CN, [("3\u3000亿元", 300000000, "CNY", "exact", None)]),
    ("新增就业岗位1,200 个", CN, [("1,200 个", 1200, "个", "exact", None)]),
]
MIXED_MAGNITUDES = [
    ("全市登记志愿者12萬3,456人", TW, [("12万3,456人", 123456, "人", "exact", None)]),
    ("新园区规划四萬二千多坪", TW, [("四万二千多坪", 42000, "坪", "more_than", None)]),
    ("去年全台机车销量7仟2佰萬輛", TW, [("7仟2佰万辆", 72000000, "辆", "exact", None)]),
    ("这项计划的总经费一兆元", TW, [("一兆元", 10**12, "TWD", "exact", None)]),
    ("两国贸易额达1兆2000亿元", CN, [("1兆2000亿元", 1200000000000, "CNY", "exact", None)]),
    ("资产规模突破3万亿元", CN, [("3万亿元", 3 * 10**12, "CNY", "more_than", None)]),
    ("该县去年接待游客一千多万人次", CN, [("一千多万人次", 10000000, "人次", "more_than", None)]),
    ("补贴总额三点五亿元", CN, [("三点五亿元", 350000000, "CNY", "exact", None)]),
    ("每户补助两千五百元", CN, [("两千五百元", 2500, "CNY", "exact", None)]),
    ("工程共需一百零五天", CN, [("一百零五天", 105, "天", "exact", None)]),
    ("储备土地二十万零五百亩", CN, [("二十万零五百亩", 200500, "亩", "exact", None)]),
    ("该公司营业额约2300百万元", TW, [("2300百万元", 2300000000, "TWD", "approx", None)]),
    ("市场规模达1.5千万美元", CN, [("1.5千万美元", 15000000, "USD", "exact", None)]),
]
UPPER_CASE = [
    (
        "合同总价人民币壹仟贰佰叁拾肆万元整",
        CN,
        [("人民币壹仟贰佰叁拾肆万元", 12340000, "CNY", "exact", None)],
    ),
    ("本次捐款新臺幣參仟萬元", TW, [("新台币参仟万元", 30000000, "TWD", "exact", None)]),
    ("保证金为伍拾万元", CN, [("伍拾万元", 500000, "CNY", "exact", None)]),
    (
        "总金额壹億貳仟參佰肆拾伍萬陸仟柒佰捌拾玖元",
        TW,
        [("壹亿贰仟参佰肆拾伍万陆仟柒佰捌拾玖元", 123456789, "TWD", "exact", None)],
    ),
    ("拨付经费壹拾万零伍佰元", CN, [("壹拾万零伍佰元", 100500, "CNY", "exact", None)]),
]
APPROXIMATE = [
    # Convention (GUIDELINES): an approximate head before a numeral without digits is part of
    # the span; the value is the numeral, 上/数/几 give more_than, 近 gives approx.
    ("博览会吸引上百家企业参展", CN, [("上百家", 100, "家", "more_than", None)]),
    ("这片油田已打下数百口油井", CN, [("数百口", 100, "口", "more_than", None)]),
    ("开幕式上有上千人观礼", CN, [("上千人", 1000, "人", "more_than", None)]),
    ("比赛当天近万名跑者参加", CN, [("近万名", 10000, "名", "approx", None)]),
    ("项目带动投资近万亿", CN, [("近万亿", 10**12, "CNY", "approx", None)]),
    ("这座老街已有数十年历史", CN, [("数十年", 10, "年", "more_than", None)]),
    ("展会预计吸引几千人参观", CN, [("几千人", 1000, "人", "more_than", None)]),
    ("逾百家厂商参加", CN, [("百家", 100, "家", "more_than", None)]),
    ("三四家银行组成银团", CN, [("三四家", 3, "家", "approx", None)]),
    ("共有十七八个项目在谈", CN, [("十七八个", 17, "个", "approx", None)]),
    ("工期约一两个月", CN, [("一两个月", 1, "个月", "approx", None)]),
]
COMPOUND_UNITS = [
    ("新厂产能为3.5万吨/年", CN, [("3.5万吨/年", 35000, "吨/年", "exact", None)]),
    ("收购价为4200元/吨", CN, [("4200元/吨", 4200, "CNY/吨", "exact", None)]),
    ("电站年发电量12亿千瓦时", CN, [("12亿千瓦时", 1200000000, "千瓦时", "exact", None)]),
    ("全年节电300万千瓦时", CN, [("300万千瓦时", 3000000, "千瓦时", "exact", None)]),
    ("风电场装机5万千瓦", CN, [("5万千瓦", 50000, "千瓦", "exact", None)]),
    ("屋顶光伏装机2兆瓦", CN, [("2兆瓦", 2, "兆瓦", "exact", None)]),
    ("一期建设1.2GW电池产线", CN, [("1.2GW", 1.2, "GW", "exact", None)]),
    ("储能规模为100MW", CN, [("100MW", 100, "MW", "exact", None)]),
    ("新管线全长3千米", CN, [("3千米", 3, "千米", "exact", None)]),
    ("啤酒年产能20万千升", CN, [("20万千升", 200000, "千升", "exact", None)]),
    ("仓库面积4,300平方公尺", TW, [("4,300平方公尺", 4300, "平方公尺", "exact", None)]),
    ("每日处理600公吨垃圾", TW, [("600公吨", 600, "公吨", "exact", None)]),
]
CURRENCIES = [
    ("公司在多伦多投资3亿加元", CN, "3亿加元", 300000000, "CAD"),
    ("收购价为5000万英镑", CN, "5000万英镑", 50000000, "GBP"),
    ("矿场总投资12亿澳元", CN, "12亿澳元", 1200000000, "AUD"),
    ("基金募得2亿新加坡元", CN, "2亿新加坡元", 200000000, "SGD"),
    ("估值达50亿瑞士法郎", CN, "50亿瑞士法郎", 5000000000, "CHF"),
    ("合同价值10亿卢布", CN, "10亿卢布", 1000000000, "RUB"),
    ("工厂投资500亿卢比", CN, "500亿卢比", 50000000000, "INR"),
    ("度假村售价800万泰铢", HK, "800万泰铢", 8000000, "THB"),
    ("园区总额1.2亿林吉特", CN, "1.2亿林吉特", 120000000, "MYR"),
    ("港口扩建耗资30亿迪拉姆", CN, "30亿迪拉姆", 3000000000, "AED"),
    ("捐赠新台币500万元", TW, "新台币500万元", 5000000, "TWD"),
    ("签约金额为台币3亿", TW, "台币3亿", 300000000, "TWD"),
    ("注资5亿港元", HK, "5亿港元", 500000000, "HKD"),
    ("筹得8000万港币", CN, "8000万港币", 80000000, "HKD"),
    ("酒店投资10亿澳门元", MO, "10亿澳门元", 1000000000, "MOP"),
    ("注册资本2亿元人民币", CN, "2亿元人民币", 200000000, "CNY"),
    ("贷款5亿人民币", HK, "5亿人民币", 500000000, "CNY"),
    ("收购价1.15亿美元", CN, "1.15亿美元", 115000000, "USD"),
    ("出口额3000万美金", CN, "3000万美金", 30000000, "USD"),
    ("项目获得2亿欧元贷款", CN, "2亿欧元", 200000000, "EUR"),
    ("合同金额80亿日元", CN, "80亿日元", 8000000000, "JPY"),
    ("投资额达500亿日圆", TW, "500亿日圆", 50000000000, "JPY"),
    ("新厂投资2万亿韩元", CN, "2万亿韩元", 2 * 10**12, "KRW"),
    ("每斤多付十元新台币", CN, "十元新台币", 10, "TWD"),
    ("本地筹得2000万元", HK, "2000万元", 20000000, "HKD"),
    ("本地筹得2000万元", MO, "2000万元", 20000000, "MOP"),
    ("本地筹得2000万元", TW, "2000万元", 20000000, "TWD"),
    ("本地筹得2000万元", CN, "2000万元", 20000000, "CNY"),
]
EXACT_AND_SIGNS = [
    ("营收1.15亿元", CN, [("1.15亿元", 115000000, "CNY", "exact", None)]),
    ("利润0.3亿元", CN, [("0.3亿元", 30000000, "CNY", "exact", None)]),
    ("毛利率提高0.07%", CN, [("0.07%", 0.07, "%", "exact", None)]),
    ("第三季营收成长-5%", TW, [("-5%", -5, "%", "exact", None)]),
    ("全年亏损新台币-5亿元", TW, [("新台币-5亿元", -500000000, "TWD", "exact", None)]),
    ("净利率为负3%", CN, [("负3%", -3, "%", "exact", None)]),
    ("出口额下降5%", CN, [("5%", 5, "%", "exact", None)]),
    ("夜间气温−12度", CN, [("−12度", -12, "度", "exact", None)]),
    ("市场份额占七成", CN, [("七成", 70, "%", "exact", None)]),
    ("超6成受访企业表示满意", CN, [("6成", 60, "%", "more_than", None)]),
    ("逾三成员工选择远程办公", CN, [("三成", 30, "%", "more_than", None)]),
    ("风险降低百分之三点五", CN, [("百分之三点五", 3.5, "%", "exact", None)]),
    ("不良率控制在千分之五以内", CN, [("千分之五", 0.5, "%", "at_most", None)]),
]
COUNTS = [
    (
        "市府与3家银行及一家保险公司签约",
        CN,
        [("3家", 3, "家", "exact", None), ("一家", 1, "家", "exact", None)],
    ),
    ("今后每周一班次发往天津", CN, []),
    ("今后每周一货柜发往天津", CN, [("一货柜", 1, "货柜", "exact", None)]),
    ("展会期间参观人数突破12万", CN, [("12万", 120000, "人", "more_than", None)]),
    ("网上直播观看次数逾8万", CN, [("8万", 80000, "次", "more_than", None)]),
    ("论坛一连两日在会展中心举行", CN, [("两日", 2, "日", "exact", None)]),
    ("已成功举办五届", CN, [("五届", 5, "届", "exact", None)]),
    ("开设18岁以下组别", CN, [("18岁", 18, "岁", "less_than", None)]),
    ("展会规模达300格以上", TW, [("300格", 300, "格", "more_than", None)]),
    ("主体建筑3层", CN, [("3层", 3, "层", "exact", None)]),
]
NOT_FIGURES_MORE = [
    "一季度实现开门红",
    "省市两级联动",
    "打造千亿级产业集群",
    "位列全国第一",
    "双方签署了一份协议",
    "会议聚焦三大议题",
    "2025年3月18日",
    "今年是建厂三十周年",
    "80年代的老厂房",
    "让每一位市民受惠",
    "创造出亿万的商机",
    "大陆企业",
    "陆家嘴金融城",
    "A-5型号",
    "进入前3名",
    "9月三日开幕",
    "22日上午",
    "千家万户",
    "万人空巷",
    "世界第二大经济体",
    "二〇二五年",
    "全市人口数达500万",
    "排名由第3名升至第1名",
    "产量由100升至200",
]


@pytest.mark.parametrize(
    "text,region,expected",
    SPACED
    + MIXED_MAGNITUDES
    + UPPER_CASE
    + APPROXIMATE
    + COMPOUND_UNITS
    + EXACT_AND_SIGNS
    + COUNTS,
)
def test_figure_phenomena(nlp, text, region, expected):
    assert converted_figures(nlp, text, region) == expected


@pytest.mark.parametrize("text,region,span,value,code", CURRENCIES)
def test_currency(nlp, text, region, span, value, code):
    assert [(s, v, u) for s, v, u, _, _ in converted_figures(nlp, text, region)] == [
        (span, value, code)
    ]


@pytest.mark.parametrize("text", NOT_FIGURES_MORE)
def test_not_a_figure_more(nlp, text):
    assert converted_figures(nlp, text) == []


def test_values_are_exact_ints(nlp):
    found = figures(nlp, "营收1.15亿元，净利0.35亿元，增长1.1%")
    assert [(v, type(v)) for _, v, _, _, _ in found] == [
        (115000000, int),
        (35000000, int),
        (1.1, float),
    ]


YEARS_MORE = [
    (
        "宝钢计划投资418亿元，到2015年将产能扩大至1500万吨，销售收入达到700亿元。",
        CN,
        None,
        [
            ("418亿元", 41800000000, "CNY", "exact", None),
            ("1500万吨", 15000000, "吨", "exact", 2015),
            ("700亿元", 70000000000, "CNY", "exact", 2015),
        ],
    ),
    (
        "从2019年7月1日至2019年年底，全省税收增加了12亿元。",
        CN,
        None,
        [("12亿元", 1200000000, "CNY", "exact", 2019)],
    ),
    ("去年出口额达30亿元", CN, "2024-03-01", [("30亿元", 3000000000, "CNY", "exact", 2023)]),
    ("明年产能将达5万吨", CN, "2024-03-01", [("5万吨", 50000, "吨", "exact", 2025)]),
    # the base year of a comparison is the year of its own amount only (year_baseline)
    (
        "2018年，全市产量突破50万吨，比2010年的2.5万吨增长了20倍。",
        CN,
        None,
        [
            ("50万吨", 500000, "吨", "more_than", 2018),
            ("2.5万吨", 25000, "吨", "exact", 2010),
            ("20倍", 20, "倍", "exact", 2018),
        ],
    ),
    ("2021年出口额较2020年增长8%。", CN, None, [("8%", 8, "%", "exact", 2021)]),
]


@pytest.mark.parametrize("text,region,published,expected", YEARS_MORE)
def test_year_more(nlp, text, region, published, expected):
    assert figures(nlp, text, region, published) == expected


# -- the numeral reader: random numbers rendered in every style parse back exactly ------------

RULES = FigureRules.load(resolve_path("rules:"))
NUMERALS = Numerals(RULES.numerals, RULES.qualifiers["inside"])
LOWER = dict(zip(range(10), "零一二三四五六七八九"))
UPPER = dict(zip(range(10), "零壹贰叁肆伍陆柒捌玖"))
LOWER_PLACES = {1000: "千", 100: "百", 10: "十", 1: ""}
UPPER_PLACES = {1000: "仟", 100: "佰", 10: "拾", 1: ""}
MAGNITUDES = ["", "万", "亿", "兆"]  # 10^0, 10^4, 10^8, 10^12


def groups(n: int) -> list[int]:
    """Four-digit groups, lowest first (兆 is 10^12, so groups stop at 10^16)."""
    out = []
    while n:
        out.append(n % 10000)
        n //= 10000
    return out or [0]


def chinese_group(g: int, digits, places, two) -> str:
    out, zero = "", False
    for p in (1000, 100, 10, 1):
        d = g // p % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += digits[0]
            zero = False
        word = two if (d == 2 and p >= 100 and two) else digits[d]
        out += word + places[p]
    return out


def render_chinese(n: int, digits, places, two="", short_ten=False) -> str:
    parts, pending_zero = [], False
    gs = groups(n)
    for i in range(len(gs) - 1, -1, -1):
        g = gs[i]
        if g == 0:
            pending_zero = bool(parts)
            continue
        text = chinese_group(g, digits, places, two)
        if parts and (pending_zero or g < 1000):
            text = digits[0] + text
        parts.append(text + MAGNITUDES[i])
        pending_zero = False
    out = "".join(parts) or digits[0]
    if short_ten and out.startswith(digits[1] + places[10]):
        out = out[1:]  # 十二 rather than 一十二
    return out


def render_mixed(n: int, commas: bool) -> str:
    """Arabic groups with Chinese magnitudes: 12万3,456; 3亿2000万."""
    gs = groups(n)
    parts = []
    for i in range(len(gs) - 1, -1, -1):
        if gs[i]:
            number = f"{gs[i]:,}" if commas else str(gs[i])
            parts.append(number + MAGNITUDES[i])
    return "".join(parts) or "0"


def render_places(n: int) -> str:
    """Arabic digits with Chinese places inside a magnitude: 7千2百万."""
    gs = groups(n)
    parts = []
    for i in range(len(gs) - 1, -1, -1):
        g = gs[i]
        if not g:
            continue
        digits = "".join(
            f"{g // p % 10}{LOWER_PLACES[p]}" for p in (1000, 100, 10, 1) if g // p % 10
        )
        parts.append(digits + MAGNITUDES[i])
    return "".join(parts)


STYLES = {
    "arabic": lambda n: str(n),
    "commas": lambda n: f"{n:,}",
    "lower": lambda n: render_chinese(n, LOWER, LOWER_PLACES, short_ten=True),
    "lower_liang": lambda n: render_chinese(n, LOWER, LOWER_PLACES, two="两"),
    "upper": lambda n: render_chinese(n, UPPER, UPPER_PLACES),
    "mixed": lambda n: render_mixed(n, commas=False),
    "mixed_commas": lambda n: render_mixed(n, commas=True),
    "places": render_places,
}
numbers = st.one_of(
    st.integers(1, 10**4),
    st.integers(1, 10**9),
    st.integers(1, 10**16 - 1),
    st.builds(lambda a, m: a * 10**m, st.integers(1, 9999), st.sampled_from([4, 8, 12])),
)


@settings(max_examples=400, deadline=None)
@given(numbers, st.sampled_from(sorted(STYLES)))
def test_numerals_parse_back_exactly(n, style):
    rendered = STYLES[style](n)
    if not (style == "upper" and n < 10):  # a lone upper-case digit is a word (陆), not a numeral
        assert NUMERALS.run.fullmatch(rendered), rendered
    assert NUMERALS.parse(rendered) == (Decimal(n), None), rendered


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 9999), st.integers(0, 99), st.sampled_from([(4, "万"), (8, "亿"), (12, "兆")])
)
def test_decimal_magnitudes_are_exact(whole, cents, magnitude):
    power, word = magnitude
    rendered = f"{whole}.{cents:02d}{word}"
    value = (Decimal(whole) + Decimal(cents) / 100) * Decimal(10) ** power
    assert NUMERALS.parse(rendered) == (value, None)
    assert exact(value) == whole * 10**power + cents * 10 ** (power - 2)


@settings(max_examples=120, deadline=None)
@given(st.integers(10, 10**13), st.sampled_from(sorted(STYLES)))
def test_rendered_money_in_a_sentence(nlp, n, style):
    rendered = STYLES[style](n)
    text = f"合同金额：{rendered}元。"
    assert figures(nlp, text) == [(f"{rendered}元", n, "CNY", "exact", None)]


# -- rule files: validated on load, errors name the file and line ------------------------------

RULE_FILES = [
    "numerals.tsv",
    "units.tsv",
    "currencies.tsv",
    "regions.tsv",
    "qualifiers.tsv",
    "figure_words.tsv",
]


def copy_rules(tmp_path):
    root = resolve_path("rules:")
    for name in RULE_FILES:
        (tmp_path / name).write_text((root / name).read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "name,line,message",
    [
        ("numerals.tsv", "十\tdozen\t10", "numerals.tsv:"),
        ("numerals.tsv", "十一\tplace\t11", "numerals.tsv:"),
        ("units.tsv", "打\t打\tclassifier\tzero", "units.tsv:"),
        ("units.tsv", "镑\tpound\tcurrency", "units.tsv:"),
        ("currencies.tsv", "金\tgold\tcldr", "currencies.tsv:"),
        ("regions.tsv", "SG\tsgd\t-", "regions.tsv:"),
        ("qualifiers.tsv", "约莫\tbefore\tabout", "qualifiers.tsv:"),
        ("figure_words.tsv", "次年\trelative_year\tnext", "figure_words.tsv:"),
        ("figure_words.tsv", "大约\tguess\t-", "figure_words.tsv:"),
        ("figure_words.tsv", "只有两列\tsign", "figure_words.tsv:"),
    ],
)
def test_malformed_rule_line_names_file_and_line(tmp_path, name, line, message):
    root = copy_rules(tmp_path)
    path = root / name
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match=f"{message}{len(lines)}:"):
        FigureRules.load(root)


def test_rules_dir_changes_the_words(tmp_path):
    """A word added to a copy of rules/ is used: the stage knows nothing beyond its files."""
    root = copy_rules(tmp_path)
    with open(root / "currencies.tsv", "a", encoding="utf-8") as f:
        f.write("星币\tXAU\toverride\n")
    extractor = FigureExtractor(FigureRules.load(root))
    assert "星币" in extractor.currency_names


def test_currencies_file_is_built_from_cldr():
    """rules/currencies.tsv is what tools/build_currencies.py writes (needs babel)."""
    pytest.importorskip("babel")
    import importlib.util

    from conftest import ROOT

    spec = importlib.util.spec_from_file_location(
        "build_currencies", ROOT / "tools" / "build_currencies.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build() == (ROOT / "rules" / "currencies.tsv").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "text",
    [
        "统一"
        + "二三四五六七八九" * 2000
        + "元",  # a numeral run inside a word, retried char by char
        "编号" + "9" * 5000 + "元",  # an identifier, not a figure
        "1" * 400 + "亿元",
    ],
)
def test_pathological_numerals_end_quickly(nlp, text):
    import time

    start = time.perf_counter()
    found = figures(nlp, text)
    assert time.perf_counter() - start < 20
    assert all(abs(v) < 10**20 for _, v, _, _, _ in found)
