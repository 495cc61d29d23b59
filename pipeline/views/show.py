"""`zhie show ARTICLE.txt`: one article's extraction as readable terminal tables, no files written."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from zhie.errors import UsageError
from zhie.tables.rows import frame, number
from zhie.text.read import read_article

EXIT_OK, EXIT_ARTICLE_FAILED = 0, 1
LABEL_STYLES = {
    "PERSON": "black on #aa9cfc",
    "ORG": "black on #7aecec",
    "GPE": "black on #feca74",
    "FAC": "black on #9cc9cc",
    "PROJECT": "black on #bfe1d9",
    "EVENT": "black on #ffeb80",
}
OTHER_STYLE = "black on #dddddd"
FIGURE_STYLE = "underline"
TRIGGER_STYLE = "bold red"


# Printed columns of each table: (header, row key).
SHOWN = {
    "mentions": [
        ("start", "start"),
        ("end", "end"),
        ("label", "label"),
        ("text", "text"),
        ("simplified", "text_simplified"),
        ("source", "source"),
    ],
    "organisations": [
        ("name", "name"),
        ("kind", "kind"),
        ("mentions", "mentions"),
        ("first_start", "first_start"),
    ],
    "people": [
        ("name", "name"),
        ("title", "title"),
        ("organisation", "organisation"),
        ("mentions", "mentions"),
    ],
    "figures": [
        ("start", "start"),
        ("end", "end"),
        ("text", "text"),
        ("value", "value"),
        ("unit", "unit"),
        ("qualifier", "qualifier"),
        ("year", "year"),
        ("subject", "subject"),
    ],
}


def cell(value) -> Text:
    """A table cell as plain Text, so `[` in article text is never read as rich markup."""
    return Text("" if value is None else str(value))


def table(title: str, headers: list[str], rows: list[list]) -> Table:
    """A rich table of `rows` titled `title` (number columns right-aligned)."""
    t = Table(title=title, title_justify="left", title_style="bold")
    for header in headers:
        t.add_column(
            header,
            overflow="fold",
            justify="right"
            if header in ("start", "end", "value", "mentions", "first_start")
            else "left",
        )
    for row in rows:
        t.add_row(*(cell(v) for v in row))
    return t


def marked_text(original: str, rows: dict[str, list[dict]]) -> Text:
    """The original text with mentions coloured by label, figures underlined, triggers bold red."""
    text = Text(original)
    for m in rows["mentions"]:
        text.stylize(LABEL_STYLES.get(m["label"], OTHER_STYLE), m["start"], m["end"])
    for f in rows["figures"]:
        text.stylize(FIGURE_STYLE, f["start"], f["end"])
    for e in rows["events"]:
        text.stylize(TRIGGER_STYLE, e["start"], e["end"])
    return text


def legend() -> Text:
    """The colour legend of the marked text: the entity labels, figures and triggers."""
    text = Text("labels: ")
    for label, style in LABEL_STYLES.items():
        text.append(f" {label} ", style=style)
        text.append(" ")
    text.append("figure", style=FIGURE_STYLE)
    text.append(" ")
    text.append("trigger", style=TRIGGER_STYLE)
    return text


def render(result, original: str, console: Console) -> None:
    """Print one processed article: header, marked text, then its tables."""
    article = result.rows["articles"][0]
    rows = {
        t: frame(t, result.rows.get(t, [])).to_dict("records")
        for t in ("mentions", "organisations", "people", "figures", "events", "event_arguments")
    }
    for f in rows["figures"]:
        f["value"] = number(f["value"])
    header = Table.grid(padding=(0, 2))
    header.add_column(style="bold")
    header.add_column()
    for key in ("article_id", "title", "script", "encoding", "published", "chars", "warnings"):
        if article.get(key) not in ("", None):
            header.add_row(key, cell(article[key]))
    console.print(header)
    console.print()
    console.print(legend())
    console.print(marked_text(original, rows))
    console.print()
    for name, columns in SHOWN.items():
        title = f"{name.capitalize()} ({len(rows[name])})"
        headers = [h for h, _ in columns]
        console.print(
            table(title, headers, [[row[key] for _, key in columns] for row in rows[name]])
        )
    events = []
    for e in rows["events"]:
        args = "\n".join(
            f"{a['role']}: {a['text']}"
            for a in rows["event_arguments"]
            if a["event_id"] == e["event_id"]
        )
        events.append([e["event_id"], e["type"], e["trigger"], e["start"], e["end"], args])
    console.print(
        table(
            f"Events ({len(events)})",
            ["event", "type", "trigger", "start", "end", "arguments"],
            events,
        )
    )


def show(
    article_path: Path, console: Console | None = None, processor=None, **processor_options
) -> int:
    """Process one article file and print its extraction; returns the exit code.

    A missing file raises UsageError (exit 2); an article that cannot be processed prints
    one line to stderr and returns 1.
    """
    from zhie.runners.process import Processor

    path = Path(article_path)
    if not path.exists():
        raise UsageError(f"article file not found: {path}")
    if not path.is_file():
        raise UsageError(f"not a file: {path}")
    processor = processor or Processor(**processor_options)
    # Processor.process in two steps, to keep the decoded text that the offsets point into.
    article = read_article(path, path.parent, processor.max_chars)
    original = article.text
    result = processor.process_article(article)
    if not result.ok:
        row = result.rows["articles"][0]
        print(f"zhie: {row['article_id']}: {row['error']}", file=sys.stderr)
        return EXIT_ARTICLE_FAILED
    render(result, original, console or Console())
    return EXIT_OK
