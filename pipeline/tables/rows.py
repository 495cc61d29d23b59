"""Exit stage: one processed article (its Doc) to table rows; writing the tables.

Every table's columns are declared once here. Offsets in the rows are offsets into the
original decoded article; `text` columns are `original[start:end]`; names, titles and
argument texts are Simplified.
"""

from __future__ import annotations

import pandas as pd

COLUMNS: dict[str, list[str]] = {
    "articles": [
        "article_id",
        "path",
        "title",
        "published",
        "script",
        "encoding",
        "chars",
        "sha256",
        "status",
        "error",
        "warnings",
    ],
    "mentions": [
        "article_id",
        "start",
        "end",
        "label",
        "text",
        "text_simplified",
        "sentence",
        "source",
    ],
    "organisations": ["article_id", "name", "kind", "mentions", "first_start"],
    "people": ["article_id", "name", "title", "organisation", "mentions", "first_start"],
    "figures": [
        "article_id",
        "start",
        "end",
        "text",
        "value",
        "unit",
        "qualifier",
        "year",
        "subject",
    ],
    "events": ["article_id", "event_id", "type", "trigger", "start", "end", "sentence"],
    "event_arguments": [
        "article_id",
        "event_id",
        "type",
        "role",
        "text",
        "start",
        "end",
        "mention",
    ],
}
TABLES = list(COLUMNS)
SORT_KEYS: dict[str, list[str]] = {
    "articles": ["article_id"],
    "mentions": ["article_id", "start", "end", "label"],
    "organisations": ["article_id", "first_start", "name"],
    "people": ["article_id", "first_start", "name"],
    "figures": ["article_id", "start", "end"],
    "events": ["article_id", "start", "event_id"],
    "event_arguments": ["article_id", "event_number", "start", "role", "text"],
}
# Sort keys that are no column of their own: (name, column, function of the column's values)
DERIVED_KEYS = {"event_number": ("event_id", lambda ids: ids.str[1:].astype(int))}
# Cells that a spreadsheet would read as a formula (OWASP CSV injection).
FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r")


def number(value: float) -> int | float:
    """Integral values as int, so 1800亿元 is written 180000000000, not 1.8e+11."""
    return int(value) if float(value).is_integer() else value


def article_row(article, script: str = "", status: str = "ok") -> dict:
    """The articles-table row of `article` (status error when it has an error)."""
    return {
        "article_id": article.article_id,
        "path": article.path,
        "title": article.title,
        "published": article.published or "",
        "script": script,
        "encoding": article.encoding,
        "chars": len(article.text),
        "sha256": article.sha256,
        "status": "error" if article.error else status,
        "error": article.error,
        "warnings": "; ".join(article.warnings),
    }


def doc_rows(doc, article_id: str) -> dict[str, list[dict]]:
    """All table rows (except the article's own) for one processed Doc (`nlp(original_text)`)."""
    aid = article_id
    converted = doc._.converted
    original = converted.original
    sentence_of = {}
    for i, sent in enumerate(doc.sents):
        for token in sent:
            sentence_of[token.i] = i

    def orig(start: int, end: int) -> tuple[int, int]:
        return converted.to_original(start, end)

    rows: dict[str, list[dict]] = {t: [] for t in TABLES if t != "articles"}
    for span in doc.spans["mentions"]:
        start, end = orig(span.start_char, span.end_char)
        rows["mentions"].append(
            {
                "article_id": aid,
                "start": start,
                "end": end,
                "label": span.label_,
                "text": original[start:end],
                "text_simplified": span.text,
                "sentence": sentence_of.get(span.start, 0),
                "source": span._.source,
            }
        )
    for org in doc._.organisations:
        rows["organisations"].append(
            {
                "article_id": aid,
                "name": org.name,
                "kind": org.kind,
                "mentions": org.mentions,
                "first_start": orig(org.first_start, org.first_start + 1)[0],
            }
        )
    for person in doc._.people:
        rows["people"].append(
            {
                "article_id": aid,
                "name": person.name,
                "title": person.title,
                "organisation": person.organisation,
                "mentions": person.mentions,
                "first_start": orig(person.first_start, person.first_start + 1)[0],
            }
        )
    for fig in doc._.figures:
        start, end = orig(fig.start, fig.end)
        rows["figures"].append(
            {
                "article_id": aid,
                "start": start,
                "end": end,
                "text": original[start:end],
                "value": number(fig.value),
                "unit": fig.unit,
                "qualifier": fig.qualifier,
                "year": fig.year if fig.year is not None else "",
                "subject": fig.subject,
            }
        )
    for n, event in enumerate(sorted(doc._.events, key=lambda e: e.trigger_start), 1):
        event_id = f"E{n}"
        start, end = orig(event.trigger_start, event.trigger_end)
        rows["events"].append(
            {
                "article_id": aid,
                "event_id": event_id,
                "type": event.type,
                "trigger": original[start:end],
                "start": start,
                "end": end,
                "sentence": event.sentence,
            }
        )
        for arg in event.arguments:
            a, b = orig(arg.start, arg.end)
            rows["event_arguments"].append(
                {
                    "article_id": aid,
                    "event_id": event_id,
                    "type": event.type,
                    "role": arg.role,
                    "text": arg.text,
                    "start": a,
                    "end": b,
                    "mention": original[a:b],
                }
            )
    return rows


def neutralise(value):
    """Prefix a cell that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_LEAD):
        return "'" + value
    return value


def frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """The table as a DataFrame with its declared columns, in its deterministic order."""
    df = pd.DataFrame(rows, columns=COLUMNS[table])
    if len(df):
        keys = SORT_KEYS[table]
        derived = [k for k in keys if k in DERIVED_KEYS]
        for key in derived:
            column, of = DERIVED_KEYS[key]
            df[key] = of(df[column].astype(str))
        df = df.sort_values(keys, kind="stable").drop(columns=derived).reset_index(drop=True)
    return df
