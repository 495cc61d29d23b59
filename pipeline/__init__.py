"""zhie: information extraction from Chinese news articles into tidy tables.

import zhie
nlp = zhie.load()                     # the spaCy Language: nlp(text) takes the original text
tables = zhie.extract(text)           # the tables of `zhie run` for one text, as DataFrames
summary = zhie.run("articles/", "out/", jobs=2)   # a folder to CSV tables, as `zhie run`
"""

from __future__ import annotations

__version__ = "0.2.0"

_DEFAULT_NLP = None


def load(config=None, overrides: dict | None = None):
    """The zhie pipeline as a spaCy `Language` (the packaged config, or `config` with `overrides`
    such as `{"components.zhie_ner.backend": "jieba"}`). `nlp(text)` converts the text, so its Doc
    holds the Simplified text and `doc._.converted` maps spans back to the original."""
    from zhie.nlp.load import load_nlp

    return load_nlp(config, overrides)


def extract(
    text: str,
    *,
    nlp=None,
    article_id: str = "text",
    region: str | None = None,
    published: str | None = None,
) -> dict:
    """The tables of `zhie run` for one article text, as a dict of pandas DataFrames keyed by
    table name (articles, mentions, organisations, people, figures, events, event_arguments).
    `nlp` defaults to `load()` (loaded once); `region` (CN, TW, HK, MO) and `published`
    (YYYY-MM-DD) override what the pipeline reads from the text."""
    from zhie.runners.process import article_rows
    from zhie.tables.rows import TABLES, frame
    from zhie.text.read import article_from_text

    global _DEFAULT_NLP
    if nlp is None:
        if _DEFAULT_NLP is None:
            _DEFAULT_NLP = load()
        nlp = _DEFAULT_NLP
    rows = article_rows(
        nlp, article_from_text(text, article_id), region=region, published=published
    )
    return {table: frame(table, rows.get(table, [])) for table in TABLES}


def run(folder, out, **options):
    """Process every `*.txt` article under `folder` into the tables in `out`, as `zhie run`
    does; options as `zhie.runners.batch.run` (jobs, fresh, formats, …). Returns the run summary."""
    from zhie.runners.batch import run as run_batch

    return run_batch(folder, out, **options)
