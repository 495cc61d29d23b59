"""The public API: `zhie.load()`, `zhie.extract(text)`, `zhie.run(folder, out)`; one pipeline:
`nlp(text)`, `nlp.pipe(texts)` and `zhie run` give the same rows on the dev corpus."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import CORPUS

import zhie
from zhie.runners.process import article_rows
from zhie.tables.rows import COLUMNS, TABLES, doc_rows
from zhie.text.read import discover, read_article


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory, processor):
    out = tmp_path_factory.mktemp("api_run")
    summary = zhie.run(CORPUS, out, processor=processor, quiet=True)
    assert summary.failed == 0
    return out


@pytest.fixture(scope="module")
def articles():
    return [read_article(path, CORPUS) for path in discover(CORPUS)]


def test_nlp_call_pipe_and_processor_give_the_same_rows(processor, articles):
    nlp = processor.nlp
    texts = [a.text for a in articles]
    for article, piped in zip(articles, nlp.pipe(texts)):
        expected = processor.process(CORPUS / article.path.split("/")[-1], CORPUS).rows
        expected.pop("articles")
        assert doc_rows(nlp(article.text), article.article_id) == expected
        assert doc_rows(piped, article.article_id) == expected


def test_extract_gives_the_rows_of_zhie_run(processor, articles, corpus_run):
    written = {
        t: pd.read_csv(
            corpus_run / f"{t}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False
        )
        for t in TABLES
    }
    for article in articles:
        tables = zhie.extract(article.text, nlp=processor.nlp, article_id=article.article_id)
        assert list(tables) == TABLES
        for table in TABLES:
            if table == "articles":
                continue
            mine = tables[table].astype(str).replace({"nan": "", "<NA>": ""})
            theirs = written[table][written[table]["article_id"] == article.article_id].reset_index(
                drop=True
            )
            assert list(mine.columns) == COLUMNS[table]
            assert len(mine) == len(theirs), (article.article_id, table)
            for column in (
                "start",
                "end",
                "text",
                "name",
                "title",
                "organisation",
                "label",
                "role",
                "mention",
                "kind",
                "unit",
                "qualifier",
            ):
                if column in COLUMNS[table]:
                    assert list(mine[column]) == list(theirs[column]), (
                        article.article_id,
                        table,
                        column,
                    )


def test_extract_takes_region_and_date_from_the_caller(processor):
    text = "北京市政府今日公布，撥款5億元。"
    assert zhie.extract(text, nlp=processor.nlp)["figures"]["unit"].tolist() == ["CNY"]
    tables = zhie.extract(text, nlp=processor.nlp, region="HK", published="2024-05-01")
    assert tables["figures"]["unit"].tolist() == ["HKD"]
    assert tables["articles"]["published"].tolist() == ["2024-05-01"]


def test_load_gives_a_language_that_converts(processor):
    nlp = zhie.load(overrides={"components.zhie_ner.backend": "none"})
    assert nlp.pipe_names[0] == "zhie_document"
    doc = nlp("臺南紡織股份有限公司")
    assert (doc.text, [(s.text, s.label_) for s in doc.spans["mentions"]]) == (
        "台南纺织股份有限公司",
        [("台南纺织股份有限公司", "ORG")],
    )


def test_article_rows_reports_each_stage(processor):
    stages = []
    article = read_article(discover(CORPUS)[0], CORPUS)
    rows = article_rows(processor.nlp, article, stages.append)
    assert (
        stages == ["tokenizer", *processor.nlp.pipe_names, "tables"] and len(rows["articles"]) == 1
    )
