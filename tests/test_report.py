"""`zhie report`: the HTML builder on hand-made spans, and the report of a small real run."""

from __future__ import annotations

import hashlib
import html
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from zhie.cli import main
from zhie.errors import UsageError
from zhie.runners.batch import run
from zhie.runners.process import Processor
from zhie.tables.rows import COLUMNS
from zhie.text.read import decode
from zhie.views.report import (
    Span,
    article_page,
    build_report,
    mark_text,
    page_name,
    top_organisations,
)

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "articles"
TRADITIONAL = "001_tainan-tainan-spinning-mou"
SIMPLIFIED = "024_zoomlion-jiangyin-base-signing"


class Elements(HTMLParser):
    """Elements by id, pieces of a mark by id (first piece has the id, the rest data-ref), marks, links."""

    VOID = {"br", "meta", "input", "img", "hr", "link"}

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.by_id: dict[str, dict] = {}
        self.pieces: dict[str, list[str]] = {}
        self.marks: list[dict] = []
        self.links: list[str] = []
        self.open: list[dict] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        if tag in self.VOID:
            return
        element = {"tag": tag, "attrs": attrs, "text": ""}
        if "id" in attrs:
            self.by_id[attrs["id"]] = element
        if "id" in attrs or "data-ref" in attrs:
            self.pieces.setdefault(attrs.get("id") or attrs["data-ref"], []).append(element)
        if tag == "mark":
            self.marks.append(element)
        self.open.append(element)

    def handle_endtag(self, tag):
        if tag not in self.VOID:
            assert self.open.pop()["tag"] == tag, f"misnested </{tag}>"

    def text_of(self, anchor: str) -> str:
        return "".join(piece["text"] for piece in self.pieces[anchor])

    def handle_data(self, data):
        for element in self.open:
            element["text"] += data


def table_rows(page: str, cls: str) -> list[list[str]]:
    """The body rows of `<table class="cls">`, cells as text without tags."""
    body = re.search(rf'<table class="{cls}">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    strip = lambda cell: html.unescape(re.sub(r"<[^>]+>", "", cell))  # noqa: E731
    return [
        [strip(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


# -- the HTML builder on hand-made data ---------------------------------------------------


def mention(start, end, label="ORG"):
    return Span(start, end, 0, f"m-{start}", "mark", f"ent ent-{label}", {"data-label": label})


def test_mark_text_keeps_a_mention_whole_where_a_figure_crosses_it():
    text = "甲乙丙丁戊己"
    figure = Span(3, 6, 1, "f-3-6", "span", "fig")
    marked, skipped = mark_text(text, [mention(1, 4), figure])
    assert skipped == 0
    assert marked == (
        '甲<mark class="ent ent-ORG" id="m-1" data-label="ORG">乙丙'
        '<span class="fig" id="f-3-6">丁</span></mark>'
        '<span class="fig cont" data-ref="f-3-6">戊己</span>'
    )


def test_mark_text_nests_a_figure_and_a_trigger_inside_a_mention():
    text = "在5家公司签约"
    spans = [
        mention(1, 7),
        Span(1, 3, 1, "f-1-3", "span", "fig"),
        Span(5, 7, 2, "e-E1", "span", "trg"),
    ]
    marked, _ = mark_text(text, spans)
    assert marked == (
        '在<mark class="ent ent-ORG" id="m-1" data-label="ORG"><span class="fig" id="f-1-3">5家</span>'
        '公司<span class="trg" id="e-E1">签约</span></mark>'
    )


def test_mark_text_escapes_text_and_skips_spans_outside_it():
    text = '<script>alert("x")</script>青岛&台南'
    marked, skipped = mark_text(text, [mention(27, 29, "GPE"), mention(30, 40), mention(5, 5)])
    assert skipped == 2
    assert marked == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
        '<mark class="ent ent-GPE" id="m-27" data-label="GPE">青岛</mark>&amp;台南'
    )


def empty_rows() -> dict[str, list[dict]]:
    return {t: [] for t in COLUMNS if t != "articles"}


def test_article_page_escapes_every_value_and_links_rows_to_their_marks():
    text = "甲公司<b>的张三签约100万元"
    rows = empty_rows()
    rows["mentions"] = [
        {
            "article_id": "x",
            "start": 0,
            "end": 3,
            "label": "ORG",
            "text": "甲公司",
            "text_simplified": '甲"><script>',
            "sentence": 0,
            "source": "rule",
        },
        {
            "article_id": "x",
            "start": 7,
            "end": 9,
            "label": "PERSON",
            "text": "张三",
            "text_simplified": "张三",
            "sentence": 0,
            "source": "ner",
        },
    ]
    rows["people"] = [
        {
            "article_id": "x",
            "name": "张三",
            "title": "<i>经理</i>",
            "organisation": "",
            "mentions": 1,
            "first_start": 7,
        }
    ]
    rows["organisations"] = [
        {
            "article_id": "x",
            "name": '甲"><script>',
            "kind": "company",
            "mentions": 1,
            "first_start": 1,
        }
    ]
    rows["figures"] = [
        {
            "article_id": "x",
            "start": 11,
            "end": 16,
            "text": "100万元",
            "value": "1000000.0",
            "unit": "CNY",
            "qualifier": "exact",
            "year": "",
            "subject": "<script>",
        }
    ]
    rows["events"] = [
        {
            "article_id": "x",
            "event_id": "E1",
            "type": "signing",
            "trigger": "签约",
            "start": 9,
            "end": 11,
            "sentence": 0,
        }
    ]
    rows["event_arguments"] = [
        {
            "article_id": "x",
            "event_id": "E1",
            "type": "signing",
            "role": "party",
            "text": "张三",
            "start": 7,
            "end": 9,
        }
    ]
    article = {
        "article_id": "x</title>",
        "title": "<script>t</script>",
        "published": "",
        "script": "simplified",
        "encoding": "utf-8",
        "chars": len(text),
    }
    page = article_page(article, rows, text)
    assert "<script" not in page and "<b>" not in page and "<i>" not in page
    parsed = Elements(page)
    marks = [
        (m["attrs"]["id"], m["attrs"]["data-simplified"], m["text"])
        for m in parsed.marks
        if "id" in m["attrs"]
    ]
    assert marks == [("m-0", '甲"><script>', "甲公司"), ("m-7", "张三", "张三")]
    assert parsed.by_id["f-11-16"]["text"] == "100万元"
    assert parsed.by_id["e-E1"]["text"] == "签约"
    assert parsed.by_id["m-0"]["attrs"]["title"] == 'ORG · source: rule · simplified: 甲"><script>'
    # The organisation's first_start 1 lies inside the mention at 0; the argument matches m-7.
    assert [h for h in parsed.links if h.startswith("#")] == [
        "#m-7",
        "#m-0",
        "#f-11-16",
        "#e-E1",
        "#m-7",
    ]
    assert table_rows(page, "figures") == [["100万元", "1,000,000", "CNY", "exact", "", "<script>"]]


def test_page_name_stays_inside_the_articles_folder():
    digest = lambda s: hashlib.sha1(s.encode()).hexdigest()[:8]  # noqa: E731
    assert page_name("tw/001_a") == f"tw_001_a-{digest('tw/001_a')}.html"
    assert page_name("../../etc/passwd") == f"etc_passwd-{digest('../../etc/passwd')}.html"
    assert page_name("新闻/文章") == f"新闻_文章-{digest('新闻/文章')}.html"
    assert page_name("..") == f"article-{digest('..')}.html"
    assert page_name("a/b") != page_name("a_b")


def test_top_organisations_counts_articles_then_mentions():
    orgs = pd.DataFrame(
        {
            "article_id": ["a", "b", "b", "c", "c"],
            "name": ["甲", "甲", "乙", "乙", "丙"],
            "kind": ["company", "company", "government", "other", "research"],
            "mentions": [1, 2, 5, 1, 9],
        }
    )
    top = top_organisations(orgs)
    assert top.to_dict("records") == [
        {"name": "乙", "kind": "government", "articles": 2, "mentions": 6},
        {"name": "甲", "kind": "company", "articles": 2, "mentions": 3},
        {"name": "丙", "kind": "research", "articles": 1, "mentions": 9},
    ]


def test_report_usage_errors(tmp_path, capsys):
    with pytest.raises(UsageError, match="output folder not found"):
        build_report(tmp_path / "missing")
    assert main(["report", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"zhie: error: no articles.csv in {tmp_path}: "
        "the report reads the CSV tables of `zhie run`\n"
    )


# -- the report of a small real run ---------------------------------------------------------


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    """A run over a Traditional article in a subfolder, a Simplified one and an empty file."""
    root = tmp_path_factory.mktemp("report")
    articles = root / "articles"
    (articles / "tw").mkdir(parents=True)
    shutil.copy(CORPUS / f"{TRADITIONAL}.txt", articles / "tw" / f"{TRADITIONAL}.txt")
    shutil.copy(CORPUS / f"{SIMPLIFIED}.txt", articles / f"{SIMPLIFIED}.txt")
    (articles / "broken.txt").write_bytes(b"")
    processor = Processor(overrides={"components.zhie_ner.backend": "jieba"})
    run(articles, root / "out", processor=processor, quiet=True)
    assert main(["report", str(root / "out")]) == 0
    return root / "out"


def read(out: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(out / f"{table}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_index_summarises_the_run(run_dir):
    page = (run_dir / "report" / "index.html").read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in page and "WenQuanYi Micro Hei" in page
    assert "3 articles processed, 2 ok, 1 failed" in page
    assert table_rows(page, "rows") == [[t, str(len(read(run_dir, t)))] for t in COLUMNS]
    assert table_rows(page, "failed") == [
        ["broken", str(run_dir.parent / "articles" / "broken.txt"), "empty file"]
    ]
    links = [h for h in Elements(page).links if h.startswith("articles/")]
    assert links == [
        f"articles/{page_name(SIMPLIFIED)}",
        f"articles/{page_name('tw/' + TRADITIONAL)}",
    ]
    assert page.count("<svg ") == 4
    assert re.findall(r"<(?:script|link|img|iframe)\b", page) == []
    assert re.findall(r'(?:src|href)="(?:https?:)?//', page) == []
    orgs = read(run_dir, "organisations")
    top = table_rows(page, "top-organisations")
    assert len(top) == min(20, orgs["name"].nunique())
    assert top[0][0] == top_organisations(orgs.astype({"mentions": int}))["name"][0]


@pytest.mark.parametrize("article_id", [SIMPLIFIED, "tw/" + TRADITIONAL])
def test_article_page_marks_every_row_at_its_offsets(run_dir, article_id):
    page = (run_dir / "report" / "articles" / page_name(article_id)).read_text(encoding="utf-8")
    parsed = Elements(page)
    path = read(run_dir, "articles").set_index("article_id").loc[article_id, "path"]
    original = decode(Path(path).read_bytes())[0]
    mentions = read(run_dir, "mentions").query("article_id == @article_id")
    assert len(mentions) > 0
    marks = [m for m in parsed.marks if "ent" in m["attrs"]["class"].split()]
    attrs = ("id", "data-label", "data-source", "data-simplified")
    assert [(m["text"], *(m["attrs"][a] for a in attrs)) for m in marks] == [
        (original[int(r.start) : int(r.end)], f"m-{r.start}", r.label, r.source, r.text_simplified)
        for r in mentions.itertuples()
    ]
    for r in read(run_dir, "figures").query("article_id == @article_id").itertuples():
        assert parsed.text_of(f"f-{r.start}-{r.end}") == original[int(r.start) : int(r.end)]
    for r in read(run_dir, "events").query("article_id == @article_id").itertuples():
        assert parsed.by_id[f"e-{r.event_id}"]["text"] == r.trigger
    people = read(run_dir, "people").query("article_id == @article_id")
    assert [row[0] for row in table_rows(page, "people")] == list(people["name"])
    assert re.findall(r'<table class="people">.*?</table>', page, re.S)[0].count(
        'href="#m-'
    ) == len(people)
    for r in people.itertuples():
        assert parsed.by_id[f"m-{r.first_start}"]["attrs"]["data-simplified"] == r.name


def test_rerun_replaces_the_report(run_dir):
    stale = run_dir / "report" / "articles" / "stale.html"
    stale.write_text("old", encoding="utf-8")
    assert main(["report", str(run_dir)]) == 0
    assert not stale.exists()
    assert sorted(p.name for p in (run_dir / "report" / "articles").iterdir()) == sorted(
        [page_name(SIMPLIFIED), page_name("tw/" + TRADITIONAL)]
    )
    assert [p.name for p in run_dir.iterdir() if p.name.startswith(".report")] == []


def test_article_path_may_be_a_file_url(run_dir, tmp_path):
    out = tmp_path / "url"
    shutil.copytree(run_dir, out, ignore=shutil.ignore_patterns("report"))
    articles = read(out, "articles")
    articles["path"] = [Path(p).as_uri() if p else p for p in articles["path"]]
    articles.to_csv(out / "articles.csv", index=False, encoding="utf-8-sig")
    assert build_report(out)[1] == []
    page = (out / "report" / "articles" / page_name(SIMPLIFIED)).read_text(encoding="utf-8")
    marks = [m for m in Elements(page).marks if "ent" in m["attrs"]["class"].split()]
    assert len(marks) == len(read(out, "mentions").query("article_id == @SIMPLIFIED"))


def test_missing_article_file_still_gives_its_tables(run_dir, tmp_path, capsys):
    out = tmp_path / "moved"
    shutil.copytree(run_dir, out, ignore=shutil.ignore_patterns("report"))
    articles = read(out, "articles")
    articles.loc[articles["article_id"] == SIMPLIFIED, "path"] = "gone/article.txt"
    articles.to_csv(out / "articles.csv", index=False, encoding="utf-8-sig")
    assert main(["report", str(out)]) == 0
    assert capsys.readouterr().err == (
        f"zhie: report: {SIMPLIFIED}: article file not found: gone/article.txt "
        "(relative paths are read from the current folder)\n"
    )
    page = (out / "report" / "articles" / page_name(SIMPLIFIED)).read_text(encoding="utf-8")
    assert "article file not found: gone/article.txt" in page
    assert [m for m in Elements(page).marks if "ent" in m["attrs"]["class"].split()] == []
    assert len(table_rows(page, "people")) == len(
        read(out, "people").query("article_id == @SIMPLIFIED")
    )
