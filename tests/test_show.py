"""`zhie show`: one article's extraction printed as rich tables, nothing written."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from rich.console import Console

from zhie.cli import main
from zhie.errors import UsageError
from zhie.runners.process import Processor
from zhie.tables.rows import frame, number
from zhie.views.show import (
    FIGURE_STYLE,
    LABEL_STYLES,
    OTHER_STYLE,
    TRIGGER_STYLE,
    marked_text,
    show,
)

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "articles"
ARTICLE = "001_tainan-tainan-spinning-mou"


@pytest.fixture(scope="module")
def jieba() -> Processor:
    return Processor(overrides={"components.zhie_ner.backend": "jieba"})


def shown(path: Path, processor: Processor) -> tuple[int, str]:
    console = Console(record=True, width=220, file=io.StringIO())
    code = show(path, console=console, processor=processor)
    return code, console.export_text()


def sections(output: str) -> dict[str, list[list[str]]]:
    """Body rows of each printed table, by title ("Mentions (26)" -> "Mentions"); cells stripped.

    A cell wrapped over several lines (event arguments) becomes one row per line.
    """
    tables: dict[str, list[list[str]]] = {}
    current = None
    for line in output.splitlines():
        title = re.fullmatch(
            r"(Mentions|Organisations|People|Figures|Events) \(\d+\)", line.rstrip()
        )
        if title:
            current = tables.setdefault(title.group(1), [])
        elif current is not None and line.startswith("│"):
            current.append([cell.strip() for cell in line.strip().strip("│").split("│")])
    return tables


def test_show_prints_every_row(jieba, tmp_path):
    path = tmp_path / f"{ARTICLE}.txt"
    shutil.copy(CORPUS / f"{ARTICLE}.txt", path)
    code, output = shown(path, jieba)
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # nothing written
    expected = jieba.process(path, tmp_path).rows
    lines = [line.rstrip() for line in output.splitlines()]
    assert lines[:6] == [
        f"article_id  {ARTICLE}",
        "title       南市府與台南紡織簽署MOU 黃偉哲打造台南成為優質投資環境",
        "script      traditional",
        "encoding    utf-8",
        "published   2022-10-07",
        "chars       838",
    ]
    printed = sections(output)
    rows = {t: frame(t, expected[t]).to_dict("records") for t in expected}
    assert f"Mentions ({len(rows['mentions'])})" in lines
    assert printed["Mentions"] == [
        [str(m["start"]), str(m["end"]), m["label"], m["text"], m["text_simplified"], m["source"]]
        for m in rows["mentions"]
    ]
    assert printed["Organisations"] == [
        [o["name"], o["kind"], str(o["mentions"]), str(o["first_start"])]
        for o in rows["organisations"]
    ]
    assert printed["People"] == [
        [p["name"], p["title"], p["organisation"], str(p["mentions"])] for p in rows["people"]
    ]
    assert printed["Figures"] == [
        [
            str(f["start"]),
            str(f["end"]),
            f["text"],
            str(number(f["value"])),
            f["unit"],
            f["qualifier"],
            str(f["year"]),
            f["subject"],
        ]
        for f in rows["figures"]
    ]
    # The person this article is about, with title, and the company whose manager signed.
    assert ["黄伟哲", "市长"] in [row[:2] for row in printed["People"]]
    assert ["台南纺织股份有限公司", "company", "2", "138"] in printed["Organisations"]
    company = ["138", "148", "ORG", "台南紡織股份有限公司", "台南纺织股份有限公司"]
    assert company in [row[:5] for row in printed["Mentions"]]
    events = [r for r in printed["Events"] if r[0]]
    assert [r[:5] for r in events] == [
        [e["event_id"], e["type"], e["trigger"], str(e["start"]), str(e["end"])]
        for e in rows["events"]
    ]
    arguments = [r[5] for r in printed["Events"]]
    assert arguments == [
        f"{a['role']}: {a['text']}"
        for e in rows["events"]
        for a in rows["event_arguments"]
        if a["event_id"] == e["event_id"]
    ]


def test_show_keeps_brackets_literal(jieba, tmp_path):
    path = tmp_path / "markup.txt"
    path.write_text(
        "[bold red]台南市長黃偉哲[/] 今日與台南紡織股份有限公司簽署合作備忘錄。\n", encoding="utf-8"
    )
    code, output = shown(path, jieba)
    assert code == 0
    lines = [line.rstrip() for line in output.splitlines()]
    assert "[bold red]台南市長黃偉哲[/] 今日與台南紡織股份有限公司簽署合作備忘錄。" in lines
    assert ["台南纺织股份有限公司", "company", "1", "24"] in sections(output)["Organisations"]


def test_marked_text_styles_mentions_figures_and_triggers():
    original = "台南紡織簽署投資5億元"
    rows = {
        "mentions": [
            {"start": 0, "end": 4, "label": "ORG"},
            {"start": 6, "end": 8, "label": "NEW"},
        ],
        "figures": [{"start": 8, "end": 11}],
        "events": [{"start": 4, "end": 6}],
    }
    text = marked_text(original, rows)
    assert text.plain == original
    assert [(s.start, s.end, str(s.style)) for s in text.spans] == [
        (0, 4, LABEL_STYLES["ORG"]),
        (6, 8, OTHER_STYLE),
        (8, 11, FIGURE_STYLE),
        (4, 6, TRIGGER_STYLE),
    ]


def test_show_errors(jieba, tmp_path, capsys):
    with pytest.raises(UsageError, match="article file not found"):
        show(tmp_path / "missing.txt", processor=jieba)
    with pytest.raises(UsageError, match="not a file"):
        show(tmp_path, processor=jieba)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert show(empty, processor=jieba) == 1
    assert capsys.readouterr().err == "zhie: empty: empty file\n"


def test_show_command_exit_codes(tmp_path, capsys):
    assert main(["show", str(tmp_path / "missing.txt"), "--ner", "jieba"]) == 2
    assert (
        capsys.readouterr().err
        == f"zhie: error: article file not found: {tmp_path / 'missing.txt'}\n"
    )
    japanese = tmp_path / "kana.txt"
    japanese.write_text("これはひらがなとカタカナのぶんしょうです。東京", encoding="utf-8")
    assert main(["show", str(japanese), "--ner", "jieba"]) == 1
    err = capsys.readouterr().err
    assert (
        err.startswith("zhie: kana: not Chinese text: Japanese kana in ") and err.count("\n") == 1
    )
