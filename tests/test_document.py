"""Document stage: region and publication date are inputs of the pipeline, read from the text
unless the caller sets them; `nlp(text)` converts, and its Doc maps back to the original."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text,published",
    [
        (
            "南市府與台南紡織簽署MOU\n\n發稿日期：111年10月07日 09:10\n\n台南市長黃偉哲今(7)日簽約。",
            "2022-10-07",
        ),
        ("標題\n發稿時間：114年12月12日16:15\n內文", "2025-12-12"),
        ("标题\n发布日期：2011-08-24\n正文", "2011-08-24"),
        ("標題\n發佈日期：２０２４／０３／１４\n", "2024-03-14"),
        ("標題\n發稿單位：經濟發展局發稿日期：1月15日 12:40\n", None),
        ("标题\n8月3日下午，韩国商务代表团签订协议。", None),
        ("標題\n發稿日期：111年02月30日\n", None),
        ("标题\n" + "正文。\n" * 12 + "发布日期：2011-08-24\n", None),  # past the header
    ],
)
def test_published(processor, text, published):
    assert processor.nlp(text)._.published == published


@pytest.mark.parametrize(
    "text,region",
    [
        ("臺南市政府今日表示，投資金額達新臺幣5億元。", "TW"),
        ("香港特區政府今日公布，撥款5億元。", "HK"),
        ("澳門特區政府今日公布，撥款5億元。", "MO"),
        ("北京市政府今日公布，撥款5億元。", "CN"),  # Traditional text about the mainland
        ("台南市政府今日表示，投资金额达5亿元。", "CN"),  # Simplified text: mainland conventions
    ],
)
def test_region_from_the_text(processor, text, region):
    doc = processor.nlp(text)
    assert doc._.region == region
    assert [(f.value, f.unit) for f in doc._.figures] == [
        (500000000, {"TW": "TWD", "HK": "HKD", "MO": "MOP"}.get(region, "CNY"))
    ]


def test_a_caller_sets_region_and_date_before_the_components(processor):
    nlp = processor.nlp
    doc = nlp.make_doc("北京市政府今日公布，撥款5億元。")
    doc._.region, doc._.published = "HK", "2020-01-02"
    for _, component in nlp.pipeline:
        doc = component(doc)
    assert (doc._.region, doc._.published) == ("HK", "2020-01-02")
    assert [(f.value, f.unit) for f in doc._.figures] == [(500000000, "HKD")]


def test_the_doc_holds_the_simplified_text_and_maps_back(processor):
    text = "臺南紡織股份有限公司與ＡＢＣ簽約"
    doc = processor.nlp(text)
    assert doc.text == "台南纺织股份有限公司与ABC签约"
    assert doc._.script == "traditional"
    span = next(s for s in doc.spans["mentions"] if s.label_ == "ORG")
    assert (span.text, doc._.converted.to_original(span.start_char, span.end_char)) == (
        "台南纺织股份有限公司",
        (0, 10),
    )
    assert text[0:10] == "臺南紡織股份有限公司"
