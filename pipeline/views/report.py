"""`zhie report`: a static HTML report of a run's tables that opens from disk.

`OUT_DIR/report/index.html` summarises the corpus (counts, top organisations, inline SVG
charts) and links one page per article under `OUT_DIR/report/articles/`. An article page
shows the original text with mentions, figures and event triggers marked, beside tables
whose rows link to `#m-START`, `#f-START-END` and `#e-EVENT_ID` anchors in that text.
No page loads anything from outside the file: CSS and charts are inline.
"""

from __future__ import annotations

import hashlib
import html
import io
import logging
import os
import re
import shutil
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from zhie.errors import UsageError
from zhie.tables.rows import COLUMNS, FORMULA_LEAD, TABLES
from zhie.text.read import ArticleError, decode

FONT_STACK = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", '
    '"WenQuanYi Micro Hei", sans-serif'
)
CHART_FONTS = [
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "PingFang SC",
    "Microsoft YaHei",
    "WenQuanYi Micro Hei",
    "DejaVu Sans",
]
LABEL_COLOURS = {
    "PERSON": "#aa9cfc",
    "ORG": "#7aecec",
    "GPE": "#feca74",
    "FAC": "#9cc9cc",
    "PROJECT": "#bfe1d9",
    "EVENT": "#ffeb80",
}
OTHER_COLOUR = "#dddddd"
INT_COLUMNS = {"start", "end", "first_start", "mentions", "chars", "sentence"}
TOP_ORGANISATIONS = 20
CHART_BARS = 15

CSS = """
* { box-sizing: border-box; }
body { font-family: FONTS; margin: 0; padding: 0 1.5rem 2rem; color: #222; line-height: 1.6; }
header { padding: .6rem 0; border-bottom: 1px solid #ddd; margin-bottom: 1rem; }
header h1 { font-size: 1.3rem; margin: .2rem 0; }
nav a { margin-right: 1rem; }
h2 { font-size: 1.1rem; margin: 1.2rem 0 .4rem; }
table { border-collapse: collapse; font-size: .85rem; margin-bottom: 1rem; }
th, td { border: 1px solid #ddd; padding: .15rem .4rem; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.articles td:nth-child(3) { white-space: nowrap; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
.charts figure { margin: 0; border: 1px solid #eee; padding: .3rem; }
.charts svg { max-width: 100%; height: auto; }
.layout { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1.5rem; }
.side { position: sticky; top: 0; max-height: 100vh; overflow: auto; padding-bottom: 1rem; }
@media (max-width: 900px) { .layout { display: block; } .side { position: static; max-height: none; } }
.text { white-space: pre-wrap; font-size: 1.05rem; line-height: 2.3; }
mark.ent, mark.key { padding: .15em .3em; border-radius: .3em; background: OTHER; color: inherit; }
LABELS
#labels:checked ~ .layout mark.ent:not(.cont)::after { content: attr(data-label); font-size: .6em;
  font-weight: bold; margin-left: .3em; vertical-align: middle; opacity: .7; }
.text:lang(zh-Hant) { font-family: "Noto Sans CJK TC", "Source Han Sans TC", "PingFang TC", "Microsoft JhengHei",
  FONTS; }
.fig { border-bottom: 3px solid #e4572e; }
.trg { font-weight: bold; text-decoration: underline wavy #c2185b; text-underline-offset: .25em; }
:target { outline: 3px solid #1565c0; outline-offset: 2px; }
.legend span { display: inline-block; margin: 0 .4rem .3rem 0; }
.note { background: #fff4e5; border-left: 4px solid #f0a030; padding: .3rem .6rem; }
.error { color: #b00020; }
"""


def page_css() -> str:
    """The pages' style sheet, with the font stack and a colour per entity label."""
    labels = "\n".join(
        f"mark.ent-{label} {{ background: {colour}; }}" for label, colour in LABEL_COLOURS.items()
    )
    return CSS.replace("FONTS", FONT_STACK).replace("OTHER", OTHER_COLOUR).replace("LABELS", labels)


def esc(value) -> str:
    """`value` as text escaped for HTML (quotes included)."""
    return html.escape(str(value), quote=True)


def unneutralise(value: str) -> str:
    """Undo tables.neutralise for display: `'=x` back to `=x`."""
    if value.startswith("'") and value[1:2] and value[1] in FORMULA_LEAD:
        return value[1:]
    return value


def load_tables(out_dir: Path) -> dict[str, pd.DataFrame]:
    """Every table of a run as strings (empty cells stay ""), offsets and counts as int."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise UsageError(f"output folder not found: {out_dir}")
    if not (out_dir / "articles.csv").is_file():
        raise UsageError(
            f"no articles.csv in {out_dir}: the report reads the CSV tables of `zhie run`"
        )
    tables = {}
    for table in TABLES:
        path = out_dir / f"{table}.csv"
        if not path.is_file():
            tables[table] = pd.DataFrame(columns=COLUMNS[table])
            continue
        # Strings throughout: an article id like "NA" or "0012" must survive as written.
        df = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        missing = [c for c in COLUMNS[table] if c not in df.columns]
        if missing:
            raise UsageError(f"{path} lacks columns: {', '.join(missing)}")
        for column in df.columns:
            if column in INT_COLUMNS:
                df[column] = pd.to_numeric(df[column], errors="coerce").fillna(-1).astype(int)
            else:
                df[column] = df[column].map(unneutralise)
        tables[table] = df
    return tables


def page_name(article_id: str) -> str:
    """A file name for the article's page: safe characters only, unique through a hash."""
    slug = re.sub(r"[^\w.-]+", "_", article_id).strip("._")[:80] or "article"
    digest = hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{digest}.html"


def read_bytes(path: str, out_dir: Path) -> bytes | None:
    """The article file's bytes (an fsspec URL as the runner reads it); None if there is no such file."""
    if "://" in path:
        import fsspec

        try:
            with fsspec.open(path, "rb") as f:
                return f.read()
        except FileNotFoundError:
            return None
    local = Path(path)
    candidates = [local] if local.is_absolute() else [Path.cwd() / local, out_dir / local]
    found = next((p for p in candidates if p.is_file()), None)
    return found.read_bytes() if found else None


def read_original(article: dict, out_dir: Path) -> tuple[str | None, str]:
    """The article text as the run decoded it, and a note for the page when something is off."""
    try:
        raw = read_bytes(article["path"], out_dir)
        if raw is None:
            return None, (
                f"article file not found: {article['path']} "
                "(relative paths are read from the current folder)"
            )
        text, encoding, _ = decode(raw)
    except (OSError, ValueError, ArticleError) as exc:
        return None, f"cannot read {article['path']}: {exc}"
    recorded = article.get("encoding", "")
    if recorded and recorded != encoding:
        try:
            text = raw.decode(recorded, errors="replace").lstrip("\ufeff")
        except LookupError:
            pass
    if (
        article.get("sha256")
        and hashlib.sha256(text.encode("utf-8")).hexdigest() != article["sha256"]
    ):
        return text, "the article file changed since the run: highlights may be misplaced"
    return text, ""


@dataclass
class Span:
    """One marked region; `layer` orders nesting: mentions outside, figures, then triggers."""

    start: int
    end: int
    layer: int
    anchor: str
    tag: str
    classes: str
    attrs: dict = field(default_factory=dict)

    def open(self, first: bool) -> str:
        """The opening tag of the span's element: `id` on its first piece, `data-ref` after."""
        attrs = {"id": self.anchor} if first else {"data-ref": self.anchor}
        attrs.update(self.attrs)
        classes = self.classes if first else self.classes + " cont"
        parts = "".join(f' {k}="{esc(v)}"' for k, v in attrs.items())
        return f'<{self.tag} class="{esc(classes)}"{parts}>'


def mark_text(text: str, spans: list[Span]) -> tuple[str, int]:
    """`text` as HTML with every span wrapped in an element; returns (html, spans skipped).

    The text is cut at every span boundary and the open elements follow a stack, so marks
    nest properly even where a figure crosses a mention. A span cut that way continues in
    elements with `data-ref` instead of `id`; the first piece carries the id.
    """
    valid = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    starting: dict[int, list[Span]] = {}
    for s in valid:
        starting.setdefault(s.start, []).append(s)
    bounds = sorted({0, len(text)} | {s.start for s in valid} | {s.end for s in valid})
    active: list[Span] = []
    stack: list[Span] = []
    seen: set[int] = set()
    out: list[str] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        active = [s for s in active if s.end > a] + starting.get(a, [])
        wanted = sorted(active, key=lambda s: (s.layer, s.start, -s.end))
        keep = 0
        while keep < min(len(stack), len(wanted)) and stack[keep] is wanted[keep]:
            keep += 1
        out.extend(f"</{s.tag}>" for s in reversed(stack[keep:]))
        for s in wanted[keep:]:
            out.append(s.open(id(s) not in seen))
            seen.add(id(s))
        stack = wanted
        out.append(esc(text[a:b]))
    out.extend(f"</{s.tag}>" for s in reversed(stack))
    return "".join(out), len(spans) - len(valid)


ARTICLE_TABLES = [t for t in TABLES if t != "articles"]


def rows_by_article(tables: dict[str, pd.DataFrame]) -> dict[str, dict[str, list[dict]]]:
    """{table: {article_id: rows}} for every table but articles, grouped once."""
    return {
        t: {
            aid: group.to_dict("records")
            for aid, group in tables[t].groupby("article_id", sort=False)
        }
        for t in ARTICLE_TABLES
    }


def article_rows(
    grouped: dict[str, dict[str, list[dict]]], article_id: str
) -> dict[str, list[dict]]:
    """The rows of every table but articles for one article."""
    return {t: grouped[t].get(article_id, []) for t in ARTICLE_TABLES}


def display_number(value: str) -> str:
    """A table value as a number with thousands separators (else as it is)."""
    try:
        number = float(value)
    except ValueError:
        return value
    return f"{int(number):,}" if number.is_integer() else f"{number:,}"


def article_spans(
    mentions: list[dict], figures: list[dict], events: list[dict], arguments: list[dict]
) -> list[Span]:
    """The marks of an article's text: mentions, figures and event triggers."""
    spans = []
    for m in mentions:
        title = f"{m['label']} · source: {m['source']} · simplified: {m['text_simplified']}"
        spans.append(
            Span(
                m["start"],
                m["end"],
                0,
                f"m-{m['start']}",
                "mark",
                f"ent ent-{m['label']}",
                {
                    "data-label": m["label"],
                    "data-source": m["source"],
                    "data-simplified": m["text_simplified"],
                    "title": title,
                },
            )
        )
    for f in figures:
        title = f"figure: {display_number(f['value'])} {f['unit']} · {f['qualifier']}"
        title += (f" · year {f['year']}" if f["year"] else "") + (
            f" · {f['subject']}" if f["subject"] else ""
        )
        spans.append(
            Span(
                f["start"],
                f["end"],
                1,
                f"f-{f['start']}-{f['end']}",
                "span",
                "fig",
                {"data-value": f["value"], "data-unit": f["unit"], "title": title},
            )
        )
    for e in events:
        args = "; ".join(
            f"{a['role']}: {a['text']}" for a in arguments if a["event_id"] == e["event_id"]
        )
        title = f"event {e['event_id']} {e['type']}" + (f": {args}" if args else "")
        spans.append(
            Span(
                e["start"],
                e["end"],
                2,
                f"e-{e['event_id']}",
                "span",
                "trg",
                {"data-type": e["type"], "title": title},
            )
        )
    return spans


def link(anchor: str | None, label: str) -> str:
    """A link to `#anchor` labelled `label` (the bare label when there is no anchor)."""
    return f'<a href="#{esc(anchor)}">{esc(label)}</a>' if anchor else esc(label)


def table_html(headers: list[str], rows: list[list[str]], cls: str = "") -> str:
    """An HTML table; cells are HTML already (escape before)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(cell if cell.startswith("<td") else f"<td>{cell}</td>" for cell in row)
        + "</tr>"
        for row in rows
    )
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def num(value) -> str:
    """A table cell for a number (right-aligned), `value` escaped."""
    return f'<td class="num">{esc(value)}</td>'


def page(title: str, body: str) -> str:
    """A full HTML page with the report's style sheet."""
    return (
        f'<!DOCTYPE html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{page_css()}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def article_page(
    article: dict,
    rows: dict[str, list[dict]],
    text: str | None,
    note: str = "",
    prev_next: tuple[str | None, str | None] = (None, None),
) -> str:
    """The HTML page of one article (`rows`: its rows of every table but articles).

    The original text with marks, beside its people, organisations, figures and events.
    """
    aid = article["article_id"]
    mentions, figures, events, arguments = (
        rows[t] for t in ("mentions", "figures", "events", "event_arguments")
    )
    notes = [note] if note else []
    if text is None:
        marked, ids = "", set()
    else:
        marked, skipped = mark_text(text, article_spans(mentions, figures, events, arguments))
        if skipped:
            notes.append(f"{skipped} marks lie outside the text and are not shown")
        ids = {f"m-{m['start']}" for m in mentions if 0 <= m["start"] < m["end"] <= len(text)}
    starts = sorted(int(a[2:]) for a in ids)
    ends = {m["start"]: m["end"] for m in mentions}

    def mention_at(offset: int) -> str | None:
        """The anchor of the mention starting at (else containing) `offset`."""
        if f"m-{offset}" in ids:
            return f"m-{offset}"
        before = [s for s in starts if s <= offset < ends[s]]
        return f"m-{before[-1]}" if before else None

    def anchor_of(a: dict) -> str | None:
        return (
            f"m-{a['start']}"
            if f"m-{a['start']}" in ids and ends.get(a["start"]) == a["end"]
            else None
        )

    people = [
        [
            link(mention_at(p["first_start"]), p["name"]),
            esc(p["title"]),
            esc(p["organisation"]),
            num(p["mentions"]),
        ]
        for p in rows["people"]
    ]
    orgs = [
        [link(mention_at(o["first_start"]), o["name"]), esc(o["kind"]), num(o["mentions"])]
        for o in rows["organisations"]
    ]
    figs = [
        [
            link(
                f"f-{f['start']}-{f['end']}" if text else None,
                text[f["start"] : f["end"]] if text else f["text"],
            ),
            num(display_number(f["value"])),
            esc(f["unit"]),
            esc(f["qualifier"]),
            esc(f["year"]),
            esc(f["subject"]),
        ]
        for f in figures
    ]
    evts = []
    for e in events:
        args = "<br>".join(
            f"{esc(a['role'])}: {link(anchor_of(a), a['text'])}"
            for a in arguments
            if a["event_id"] == e["event_id"]
        )
        evts.append(
            [
                link(f"e-{e['event_id']}" if text else None, e["event_id"]),
                esc(e["type"]),
                esc(e["trigger"]),
                args,
            ]
        )

    counts: dict[str, int] = {}
    for m in mentions:
        counts[m["label"]] = counts.get(m["label"], 0) + 1
    legend = "".join(
        f'<span><mark class="key ent-{esc(label)}">{esc(label)}</mark> {n}</span>'
        for label, n in sorted(counts.items())
    )
    legend += '<span><span class="fig">figure</span> ' + str(len(figures)) + "</span>"
    legend += '<span><span class="trg">event trigger</span> ' + str(len(events)) + "</span>"
    lang = {"traditional": "zh-Hant", "simplified": "zh-Hans"}.get(article["script"], "zh")
    prev, nxt = prev_next
    nav = '<nav><a href="../index.html">← all articles</a>'
    nav += f'<a href="{quote(prev)}">‹ previous</a>' if prev else ""
    nav += f'<a href="{quote(nxt)}">next ›</a>' if nxt else ""
    nav += "</nav>"
    meta = " · ".join(
        esc(x)
        for x in (
            aid,
            article["published"] or "no date",
            article["script"],
            article["encoding"],
            f"{article['chars']} characters",
        )
        if x
    )
    side = (
        f"<h2>People ({len(people)})</h2>"
        + table_html(["name", "title", "organisation", "mentions"], people, "people")
        + f"<h2>Organisations ({len(orgs)})</h2>"
        + table_html(["name", "kind", "mentions"], orgs, "organisations")
        + f"<h2>Figures ({len(figs)})</h2>"
        + table_html(["text", "value", "unit", "qualifier", "year", "subject"], figs, "figures")
        + f"<h2>Events ({len(evts)})</h2>"
        + table_html(["event", "type", "trigger", "arguments"], evts, "events")
    )
    body = (
        f"<header>{nav}<h1>{esc(article['title'] or aid)}</h1><div>{meta}</div></header>\n"
        + "".join(f'<p class="note">{esc(n)}</p>' for n in notes)
        + '<input type="checkbox" id="labels" checked> <label for="labels">show labels</label>'
        + f' <span class="legend">{legend}</span>\n'
        + f'<div class="layout"><main><div class="text" lang="{lang}">{marked}</div></main>\n'
        + f'<aside class="side">{side}</aside></div>'
    )
    return page(article["title"] or aid, body)


def chart_svg(counts: pd.Series, title: str, salt: str) -> str:
    """A horizontal bar chart of `counts` as inline SVG whose text stays text (CJK-safe)."""
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    if counts.empty:
        return f"<figure><figcaption>{esc(title)}</figcaption><p>no data</p></figure>"
    counts = counts.sort_values(ascending=False, kind="stable").head(CHART_BARS)[::-1]
    settings = {
        "svg.fonttype": "none",
        "svg.hashsalt": salt,
        "font.family": "sans-serif",
        "font.sans-serif": CHART_FONTS,
        "font.size": 9,
    }
    buffer = io.StringIO()
    # Missing CJK fonts only cost measured label widths: the browser still draws the text.
    with matplotlib.rc_context(settings), warnings.catch_warnings():  # type: ignore[arg-type]
        warnings.simplefilter("ignore")
        logging.getLogger("matplotlib.font_manager").disabled = True
        try:
            fig = Figure(figsize=(4.2, 0.6 + 0.25 * len(counts)))
            ax = fig.add_subplot()
            ax.barh([str(k) for k in counts.index], counts.values, color="#4e79a7")
            for y, value in enumerate(counts.values):
                ax.text(value, y, f" {value}", va="center", fontsize=8)
            ax.set_title(title)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.spines[["top", "right"]].set_visible(False)
            ax.margins(x=0.15)
            fig.tight_layout()
            fig.savefig(buffer, format="svg", metadata={"Date": None})
        finally:
            logging.getLogger("matplotlib.font_manager").disabled = False
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{esc(title)}" ', 1)
    return f"<figure>{svg}</figure>"


def top_organisations(orgs: pd.DataFrame, n: int = TOP_ORGANISATIONS) -> pd.DataFrame:
    """Organisations named in most articles: name, kind (most frequent), articles, mentions."""
    if orgs.empty:
        return pd.DataFrame(columns=["name", "kind", "articles", "mentions"])
    grouped = (
        orgs.groupby("name", sort=True)
        .agg(
            kind=("kind", lambda k: k.value_counts().index[0]),
            articles=("article_id", "nunique"),
            mentions=("mentions", "sum"),
        )
        .reset_index()
    )
    return (
        grouped.sort_values(
            ["articles", "mentions", "name"], ascending=[False, False, True], kind="stable"
        )
        .head(n)
        .reset_index(drop=True)
    )


def index_page(out_dir: Path, tables: dict[str, pd.DataFrame], pages: dict[str, str]) -> str:
    """The report's front page: summary, charts, top organisations, articles and failures."""
    articles = tables["articles"]
    failed = articles[articles["status"] != "ok"]
    summary = table_html(["table", "rows"], [[esc(t), num(len(tables[t]))] for t in TABLES], "rows")
    charts = "".join(
        [
            chart_svg(
                tables["organisations"]["kind"].value_counts(), "organisations by kind", "kind"
            ),
            chart_svg(tables["events"]["type"].value_counts(), "events by type", "event"),
            chart_svg(tables["figures"]["unit"].value_counts(), "figures by unit", "unit"),
            chart_svg(tables["mentions"]["label"].value_counts(), "mentions by label", "label"),
        ]
    )
    top = table_html(
        ["organisation", "kind", "articles", "mentions"],
        [
            [esc(r.name), esc(r.kind), num(r.articles), num(r.mentions)]
            for r in top_organisations(tables["organisations"]).itertuples()
        ],
        "top-organisations",
    )
    per_article = {
        t: tables[t]["article_id"].value_counts()
        for t in ("mentions", "organisations", "people", "figures", "events")
    }
    rows = []
    for a in articles.to_dict("records"):
        aid = a["article_id"]
        name = pages.get(aid)
        cell = f'<a href="articles/{quote(name)}">{esc(aid)}</a>' if name else esc(aid)
        status = (
            esc(a["status"])
            if a["status"] == "ok"
            else f'<span class="error">{esc(a["status"])}</span>'
        )
        rows.append(
            [
                cell,
                esc(a["title"]),
                esc(a["published"]),
                esc(a["script"]),
                esc(a["encoding"]),
                num(a["chars"]),
            ]
            + [num(per_article[t].get(aid, 0)) for t in per_article]
            + [status]
        )
    listing = table_html(
        [
            "article",
            "title",
            "published",
            "script",
            "encoding",
            "chars",
            "mentions",
            "organisations",
            "people",
            "figures",
            "events",
            "status",
        ],
        rows,
        "articles",
    )
    failures = (
        table_html(
            ["article", "path", "error"],
            [
                [
                    esc(a["article_id"]),
                    esc(a["path"]),
                    f'<span class="error">{esc(a["error"])}</span>',
                ]
                for a in failed.to_dict("records")
            ],
            "failed",
        )
        if len(failed)
        else "<p>none</p>"
    )
    body = (
        f"<header><h1>zhie report: {esc(out_dir.resolve().name)}</h1>"
        f'<div class="summary">{len(articles)} articles processed, {len(articles) - len(failed)} ok, '
        f"{len(failed)} failed</div></header>\n"
        f'<h2>Rows per table</h2>{summary}\n<h2>Charts</h2><div class="charts">{charts}</div>\n'
        f"<h2>Top organisations across articles</h2>{top}\n<h2>Articles</h2>{listing}\n"
        f"<h2>Failed articles ({len(failed)})</h2>{failures}"
    )
    return page(f"zhie report: {out_dir.resolve().name}", body)


def write_text(path: Path, content: str) -> None:
    """Write `content` to `path` as UTF-8 with LF line ends."""
    path.write_text(content, encoding="utf-8", newline="\n")


def build_report(out_dir: Path) -> tuple[Path, list[str]]:
    """Write `out_dir/report/` (replacing an old one); returns (index.html path, warnings)."""
    out_dir = Path(out_dir)
    tables = load_tables(out_dir)
    target = out_dir / "report"
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise UsageError(f"{target} exists and is not a folder")
    notes = []
    try:
        build = Path(tempfile.mkdtemp(prefix=".report-", dir=out_dir))
    except OSError as exc:
        raise UsageError(f"cannot write the report in {out_dir}: {exc.strerror or exc}") from None
    grouped = rows_by_article(tables)
    try:
        (build / "articles").mkdir()
        ok = tables["articles"][tables["articles"]["status"] == "ok"].to_dict("records")
        pages = {a["article_id"]: page_name(a["article_id"]) for a in ok}
        names = [pages[a["article_id"]] for a in ok]
        for i, article in enumerate(ok):
            text, note = read_original(article, out_dir)
            if note:
                notes.append(f"{article['article_id']}: {note}")
            prev_next = (names[i - 1] if i else None, names[i + 1] if i + 1 < len(names) else None)
            write_text(
                build / "articles" / pages[article["article_id"]],
                article_page(
                    article, article_rows(grouped, article["article_id"]), text, note, prev_next
                ),
            )
        write_text(build / "index.html", index_page(out_dir, tables, pages))
        os.chmod(build, 0o755)
        # Swap folders so that a reader never sees half a report.
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=".report-old-", dir=out_dir))
            os.replace(target, old / "report")
        os.replace(build, target)
        if old:
            shutil.rmtree(old)
    finally:
        if build.exists():
            shutil.rmtree(build)
    return target / "index.html", notes
