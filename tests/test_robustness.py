"""Any input: defined outcomes for awkward files, invariants under random text, failing stages."""

from __future__ import annotations

import codecs

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from zhie.cli import main
from zhie.runners.process import Processor
from zhie.text.read import Article

BODY = "臺南市長黃偉哲今(7)日與台南紡織股份有限公司簽署合作備忘錄，投資金額約新台幣3億元，創造200個就業機會。"
SIMPLE = "青岛市政府副秘书长王东翔出席活动并致辞，来自企业的300余人齐聚一堂。"

# file name -> (bytes, expected status, expected error or the text of one figure the run must find)
BAD_INPUTS = {
    "gbk": (SIMPLE.encode("gbk"), "ok", "300余人"),
    "big5": (BODY.encode("big5"), "ok", "新台幣3億元"),
    "utf16": (codecs.BOM_UTF16_LE + BODY.encode("utf-16-le"), "ok", "新台幣3億元"),
    "bad_bytes": ((SIMPLE * 40).encode() + b"\xff\xfe" + SIMPLE.encode(), "ok", "300余人"),
    "binary": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "error",
        "binary file (NUL byte at offset 8)",
    ),
    "empty": (b"", "error", "empty file"),
    "blank": (b" \n\r\n\t ", "error", "empty file (whitespace only)"),
    "japanese": (
        "東京で会議が開かれました。これは日本語の記事です。".encode(),
        "error",
        "not Chinese text: Japanese kana in 13 of 25 characters",
    ),
    "english": (
        b"Trade talks resumed in Geneva on Monday.",
        "error",
        "not Chinese text: 0 Han characters of 34",
    ),
    "emoji": (("🎉📈" + SIMPLE + "😀𠀀").encode(), "ok", "300余人"),
    "combining": (("Cafe\u0301 " + SIMPLE).encode(), "ok", "300余人"),
    "crlf": (SIMPLE.replace("，", "\r\n").encode(), "ok", "300余人"),
    "cr": (SIMPLE.replace("，", "\r").encode(), "ok", "300余人"),
    "fullwidth": ("产业链规模已达到１８００亿元。".encode(), "ok", "１８００亿元"),
    "mixed": ((BODY + SIMPLE).encode(), "ok", "300余人"),
}


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    articles = folder / "in"
    articles.mkdir()
    for name, (raw, _, _) in BAD_INPUTS.items():
        (articles / f"{name}.txt").write_bytes(raw)
    (articles / "huge.txt").write_text(
        "投资" * 10_000_000, encoding="utf-8"
    )  # 20,000,000 characters on one line
    out = folder / "out"
    code = main(["run", str(articles), "--out", str(out), "--quiet", "--jobs", "1"])
    tables = {
        name: pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig", keep_default_na=False)
        for name in (
            "articles",
            "mentions",
            "figures",
            "people",
            "organisations",
            "events",
            "event_arguments",
        )
    }
    originals = {}
    for path in articles.iterdir():
        from zhie.text.read import decode

        try:
            originals[path.stem] = decode(path.read_bytes())[0]
        except Exception:
            originals[path.stem] = None
    return code, tables, originals


def test_bad_run_exits_1_and_keeps_every_article(bad_run):
    code, tables, _ = bad_run
    assert code == 1
    assert sorted(tables["articles"]["article_id"]) == sorted([*BAD_INPUTS, "huge"])


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_each_bad_input_has_its_outcome(bad_run, name):
    _, tables, originals = bad_run
    row = tables["articles"].set_index("article_id").loc[name]
    _, status, detail = BAD_INPUTS[name]
    assert row["status"] == status
    if status == "error":
        assert row["error"] == detail
        return
    assert row["error"] == ""
    figures = tables["figures"][tables["figures"]["article_id"] == name]
    assert detail in list(figures["text"])
    text = originals[name]
    for _, fig in figures.iterrows():
        assert text[int(fig["start"]) : int(fig["end"])] == fig["text"]


def test_huge_article_is_an_error_row(bad_run):
    row = bad_run[1]["articles"].set_index("article_id").loc["huge"]
    assert (row["status"], row["error"]) == (
        "error",
        "too long: 20000000 characters (limit 2000000, see --max-chars)",
    )


def test_encodings_are_recorded(bad_run):
    encodings = bad_run[1]["articles"].set_index("article_id")["encoding"]
    assert (encodings["gbk"], encodings["big5"], encodings["utf16"], encodings["emoji"]) == (
        "gb18030",
        "big5",
        "utf-16",
        "utf-8",
    )


def test_every_row_points_at_its_text(bad_run):
    _, tables, originals = bad_run
    for table in ("mentions", "figures"):
        for _, row in tables[table].iterrows():
            assert originals[row["article_id"]][int(row["start"]) : int(row["end"])] == row["text"]


@pytest.fixture(scope="module")
def fragile(processor_jieba):
    """The jieba pipeline with a component that raises on a marker string."""
    name = "zhie_test_fail_on_marker"
    if name not in Language.factories:

        @Language.factory(name, default_config={"marker": "爆炸"})
        def create(nlp, name, marker):
            def fail(doc):
                if marker in doc.text:
                    raise RuntimeError(f"marker {marker} found")
                return doc

            return fail

    processor = Processor(overrides={"components.zhie_ner.backend": "jieba"})
    processor.nlp.add_pipe(name, after="zhie_figures")
    return processor


def test_a_failing_stage_gives_an_error_row_naming_it(fragile, tmp_path):
    from zhie.runners.batch import run

    articles = tmp_path / "in"
    articles.mkdir()
    (articles / "a.txt").write_text(SIMPLE, encoding="utf-8")
    (articles / "b.txt").write_text("这篇文章会爆炸。" + SIMPLE, encoding="utf-8")
    (articles / "c.txt").write_text(SIMPLE, encoding="utf-8")
    summary = run(articles, tmp_path / "out", processor=fragile, quiet=True)
    table = pd.read_csv(
        tmp_path / "out" / "articles.csv", encoding="utf-8-sig", keep_default_na=False
    )
    assert table[["article_id", "status", "error"]].values.tolist() == [
        ["a", "ok", ""],
        ["b", "error", "stage zhie_test_fail_on_marker failed: RuntimeError: marker 爆炸 found"],
        ["c", "ok", ""],
    ]
    figures = pd.read_csv(tmp_path / "out" / "figures.csv", encoding="utf-8-sig")
    assert figures[["article_id", "text"]].values.tolist() == [["a", "300余人"], ["c", "300余人"]]
    assert summary.failed == 1


def test_formula_cells_are_neutralised_unless_raw(tmp_path):
    articles = tmp_path / "in"
    articles.mkdir()
    (articles / "a.txt").write_text('=HYPERLINK("http://x")\n' + SIMPLE, encoding="utf-8")
    main(["run", str(articles), "--out", str(tmp_path / "safe"), "--ner", "none", "--quiet"])
    main(
        [
            "run",
            str(articles),
            "--out",
            str(tmp_path / "raw"),
            "--ner",
            "none",
            "--quiet",
            "--raw-csv",
        ]
    )
    safe = pd.read_csv(tmp_path / "safe" / "articles.csv", encoding="utf-8-sig")
    raw = pd.read_csv(tmp_path / "raw" / "articles.csv", encoding="utf-8-sig")
    assert safe["title"][0] == '\'=HYPERLINK("http://x")'
    assert raw["title"][0] == '=HYPERLINK("http://x")'


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
ANY = st.characters(blacklist_categories=("Cs",))
TEXTS = st.lists(
    st.one_of(
        st.text(CJK, min_size=1, max_size=12),
        st.text(ANY, max_size=6),
        st.sampled_from(
            [
                "，",
                "。",
                "\n",
                "\r\n",
                "300余人",
                "1800亿元",
                "有限公司",
                "市长",
                "签约",
                "青岛市政府",
                "「",
                "」",
                "（",
                "）",
                "新台币",
                "百分之",
                "零下",
            ]
        ),
    ),
    max_size=30,
).map("".join)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=TEXTS)
def test_invariants_hold_for_any_text(processor, text):
    article = Article(article_id="x", path="x.txt", text=text)
    from zhie.text.read import ArticleError, check_chinese

    try:
        check_chinese(text)
    except ArticleError as exc:
        article.error = str(exc)
    result = processor.process_article(article)
    assert set(result.rows) >= {"articles"}
    assert result.rows["articles"][0]["status"] in ("ok", "error")
    if result.rows["articles"][0]["status"] == "error":
        assert "\n" not in result.rows["articles"][0]["error"]
    for table, rows in result.rows.items():
        for row in rows:
            assert row["article_id"] == "x"
            if "start" in row:
                assert 0 <= row["start"] <= row["end"] <= len(text)
            if table in ("mentions", "figures", "events"):
                assert (
                    row["text" if table != "events" else "trigger"]
                    == text[row["start"] : row["end"]]
                )


def test_csv_cells_with_line_breaks_read_back_whole(tmp_path):
    from zhie.tables.rows import frame
    from zhie.tables.writers import CsvTable, typed

    row = {
        "article_id": "a",
        "start": 0,
        "end": 3,
        "text": "X\rY",
        "value": 1800.0,
        "unit": "CNY",
        "qualifier": "exact",
        "year": "",
        "subject": "甲\n乙\r\n丙",
    }
    table = CsvTable("figures", tmp_path / "figures.csv")
    table.write(typed("figures", frame("figures", [row])))
    table.close()
    table.file.commit()
    back = pd.read_csv(
        tmp_path / "figures.csv", encoding="utf-8-sig", keep_default_na=False, dtype=str
    )
    assert back[["text", "value", "subject"]].values.tolist() == [["X\rY", "1800", "甲\n乙\r\n丙"]]
