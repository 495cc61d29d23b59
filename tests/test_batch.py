"""Batch runs: jobs, resume after a kill, the journal, Parquet output, worker crashes, progress."""

from __future__ import annotations

import importlib.util
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import CORPUS, CORPUS_ARTICLES, ROOT

from zhie.cli import main
from zhie.runners import batch
from zhie.runners.batch import run
from zhie.runners.journal import Journal
from zhie.runners.process import Processor
from zhie.runners.progress import BarProgress, NoProgress, make_progress
from zhie.tables.rows import TABLES, frame
from zhie.tables.writers import format_float, typed, write_csv
from zhie.text.read import discover

JIEBA = {"overrides": {"components.zhie_ner.backend": "jieba"}}
FILES = [f"{t}.{ext}" for t in TABLES for ext in ("csv", "parquet")]


def load_make_corpus():
    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "bench" / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make_corpus


def cli_options(*args) -> dict:
    """The pipeline options `zhie run` passes for these command-line options."""
    from zhie.cli import build_parser, processor_options

    return processor_options(build_parser().parse_args(["run", "in", "--out", "out", *args]))


def same_files(a: Path, b: Path, names) -> list[str]:
    """The names whose bytes differ between folders a and b."""
    return [n for n in names if (a / n).read_bytes() != (b / n).read_bytes()]


def entries(out: Path) -> list[str]:
    return sorted(os.listdir(out / ".zhie" / "entries"))


@pytest.fixture(scope="module")
def processor_jieba() -> Processor:
    """This file's pipeline: exactly the options in JIEBA (runs with jobs=2 build theirs from them)."""
    return Processor(**JIEBA)


@pytest.fixture(scope="module")
def reference(tmp_path_factory, processor_jieba) -> Path:
    """The corpus processed in this process, one article after another (jobs=1), CSV and Parquet."""
    out = tmp_path_factory.mktemp("reference")
    summary = run(CORPUS, out, processor=processor_jieba, formats="csv,parquet", quiet=True)
    assert summary.processed == summary.articles == len(discover(CORPUS))
    return out


class CrashingProcessor(Processor):
    """A pipeline whose worker process dies (os._exit) on any article named crash*.txt."""

    def process(self, path, root):
        if Path(path).name.startswith("crash"):
            os._exit(3)
        return super().process(path, root)


def test_two_jobs_give_byte_identical_tables(tmp_path, reference):
    summary = run(CORPUS, tmp_path, jobs=2, formats="csv,parquet", quiet=True, **JIEBA)
    assert summary.processed == summary.articles == CORPUS_ARTICLES
    assert same_files(reference, tmp_path, FILES) == []


def test_tables_written_in_slices_equal_one_sorted_frame(
    tmp_path, reference, processor_jieba, monkeypatch
):
    # Slices of 2 articles: the streamed tables still equal sorting each whole table at once.
    monkeypatch.setattr(batch, "SLICE_ARTICLES", 2)
    run(CORPUS, tmp_path / "sliced", processor=processor_jieba, formats="csv,parquet", quiet=True)
    assert same_files(reference, tmp_path / "sliced", [f"{t}.csv" for t in TABLES]) == []
    rows = {t: [] for t in TABLES}
    for path in discover(CORPUS):
        for table, table_rows in processor_jieba.process(path, CORPUS).rows.items():
            rows[table].extend(table_rows)
    for table in TABLES:
        write_csv(typed(table, frame(table, rows[table])), tmp_path / f"{table}.csv")
    assert same_files(reference, tmp_path, [f"{t}.csv" for t in TABLES]) == []


def test_resume_skips_done_articles_redoes_changed_and_drops_removed(tmp_path, processor_jieba):
    folder = tmp_path / "in"
    folder.mkdir()
    for path in discover(CORPUS)[:5]:
        shutil.copy(path, folder / path.name)
    names = sorted(p.stem for p in folder.glob("*.txt"))
    out = tmp_path / "out"

    def go(**kwargs):
        return run(
            folder, out, processor=processor_jieba, formats="csv,parquet", quiet=True, **kwargs
        )

    first = go()
    assert (first.processed, first.reused) == (5, 0)
    before = {n: (out / n).read_bytes() for n in FILES}
    assert len(entries(out)) == 5

    # Nothing changed: nothing processed, same bytes; a killed run's temporary files are removed.
    (out / ".mentions.csv.abc123.tmp").write_text("half")
    (out / ".zhie" / "entries" / ".x.tmp").write_text("half")
    again = go()
    assert (again.processed, again.reused, again.articles) == (0, 5, 5)
    assert {n: (out / n).read_bytes() for n in FILES} == before
    assert not list(out.glob(".*.tmp")) and not list((out / ".zhie" / "entries").glob(".*.tmp"))

    # One article changed: only it is processed; the tables equal a first run on the new folder.
    changed = folder / f"{names[1]}.txt"
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\n台南市長黃偉哲今日出席簽約儀式。\n",
        encoding="utf-8",
    )
    third = go()
    assert (third.processed, third.reused) == (1, 4)
    fresh_out = tmp_path / "fresh"
    run(folder, fresh_out, processor=processor_jieba, formats="csv,parquet", quiet=True)
    assert same_files(out, fresh_out, FILES) == []
    assert len(entries(out)) == 5  # the old entry of the changed article is gone

    # One article removed: nothing processed, and it is gone from every table and the journal.
    (folder / f"{names[0]}.txt").unlink()
    fourth = go()
    assert (fourth.processed, fourth.articles) == (0, 4)
    for table in TABLES:
        ids = set(pd.read_csv(out / f"{table}.csv", encoding="utf-8-sig")["article_id"])
        assert names[0] not in ids
    assert len(entries(out)) == 4

    # --fresh: everything again.
    fifth = go(fresh=True)
    assert (fifth.processed, fifth.reused) == (4, 0)


def test_other_pipeline_options_reprocess_every_article(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for path in discover(CORPUS)[9:11]:
        shutil.copy(path, folder / path.name)
    out = tmp_path / "out"
    assert run(folder, out, quiet=True, **JIEBA).processed == 2
    assert run(folder, out, quiet=True, **JIEBA).processed == 0
    assert run(folder, out, quiet=True, max_chars=100_000, **JIEBA).processed == 2
    assert (
        run(folder, out, quiet=True, overrides={"components.zhie_ner.backend": "none"}).processed
        == 2
    )
    assert len(entries(out)) == 2


def test_sigkill_mid_run_then_rerun_gives_the_tables_of_an_uninterrupted_run(tmp_path):
    corpus = tmp_path / "corpus"
    load_make_corpus()(corpus, 300, seed=7, min_paragraphs=1, max_paragraphs=3)
    expected = tmp_path / "expected"
    run(
        corpus, expected, jobs=1, formats="csv,parquet", quiet=True, **cli_options("--ner", "jieba")
    )

    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "zhie",
        "run",
        str(corpus),
        "--out",
        str(out),
        "--ner",
        "jieba",
        "--jobs",
        "2",
        "--format",
        "csv,parquet",
        "--quiet",
    ]
    proc = subprocess.Popen(
        command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    journal = out / ".zhie" / "entries"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        # only finished entries count: a worker may be writing the next one's temporary file
        if journal.is_dir() and sum(n.endswith(".json") for n in os.listdir(journal)) >= 60:
            break
        time.sleep(0.05)
    assert proc.poll() is None, proc.stderr.read().decode()
    os.killpg(proc.pid, signal.SIGKILL)  # the run and its worker processes
    proc.wait()
    proc.stderr.close()
    done = len([n for n in os.listdir(journal) if n.endswith(".json")])
    assert 60 <= done < 300
    assert not (out / "articles.csv").exists()

    rerun = subprocess.run(command[:-1], capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    summary = re.search(
        r"zhie: 300 articles \(0 failed; (\d+) processed, (\d+) unchanged since the last run\)",
        rerun.stderr,
    )
    assert summary, rerun.stderr
    processed, reused = map(int, summary.groups())
    assert reused >= done and processed + reused == 300
    print(
        f"killed with {done} of 300 articles done; the rerun processed {processed} and reused {reused}"
    )
    assert same_files(expected, out, FILES) == []


def test_parquet_has_proper_dtypes_and_the_csv_values(reference):
    expected = {
        "articles": {"chars": "int64"},
        "mentions": {"start": "int64", "end": "int64", "sentence": "int64"},
        "organisations": {"mentions": "int64", "first_start": "int64"},
        "people": {"mentions": "int64", "first_start": "int64"},
        "figures": {"start": "int64", "end": "int64", "value": "float64", "year": "Int64"},
        "events": {"start": "int64", "end": "int64", "sentence": "int64"},
        "event_arguments": {"start": "int64", "end": "int64"},
    }
    for table in TABLES:
        df = pd.read_parquet(reference / f"{table}.parquet")
        csv = pd.read_csv(
            reference / f"{table}.csv", encoding="utf-8-sig", keep_default_na=False, dtype=str
        )
        dtypes = {c: str(t) for c, t in df.dtypes.items()}
        assert dtypes == {c: expected[table].get(c, "string") for c in csv.columns}
        assert list(df.columns) == list(csv.columns) and len(df) == len(csv) > 0
        # Every cell as text equals the CSV cell (numbers as the CSV writes them, missing as "").
        as_text = df.astype(object).where(df.notna(), "").astype(str)
        csv = csv.map(
            lambda v: v[1:] if v.startswith("'") and v[1:2] in ("=", "+", "-", "@") else v
        )
        for column in df.columns:
            if dtypes[column] == "float64":
                as_text[column] = [
                    format_float(v) if v != "" else ""
                    for v in df[column].astype(object).where(df[column].notna(), "")
                ]
        assert as_text.values.tolist() == csv.values.tolist(), table
    schema = pq.read_schema(reference / "figures.parquet")
    assert [str(schema.field(c).type) for c in ("start", "value", "year", "text")] == [
        "int64",
        "double",
        "int64",
        "string",
    ]
    articles = pd.read_parquet(reference / "articles.parquet").set_index("article_id")
    row = articles.loc["001_tainan-tainan-spinning-mou"]
    assert (row["chars"], row["published"], row["script"], row["status"]) == (
        838,
        "2022-10-07",
        "traditional",
        "ok",
    )
    assert row["error"] == ""
    assert (
        articles.loc["000_078717fdbfbf5f16", "published"] == ""
    )  # no date in the article: an empty string
    figures = pd.read_parquet(reference / "figures.parquet")
    big = figures[
        (figures["article_id"] == "000_078717fdbfbf5f16") & (figures["text"] == "1800億元")
    ]
    assert big["value"].tolist() == [180000000000.0] and big["year"].isna().tolist() == [True]


def test_worker_crash_becomes_an_error_row_and_is_retried_next_run(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for path in discover(CORPUS)[9:13]:
        shutil.copy(path, folder / path.name)
    shutil.copy(discover(CORPUS)[9], folder / "crash.txt")
    (folder / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    summary = run(folder, out, jobs=2, quiet=True, processor_factory=CrashingProcessor, **JIEBA)
    assert (summary.articles, summary.failed, summary.processed) == (6, 2, 6)
    articles = pd.read_csv(out / "articles.csv", encoding="utf-8-sig", keep_default_na=False)
    status = dict(zip(articles["article_id"], zip(articles["status"], articles["error"])))
    assert status["crash"] == (
        "error",
        "worker process died while processing this article (it is retried by the next run)",
    )
    assert status["empty"] == ("error", "empty file")
    assert [s for a, (s, _) in status.items() if a not in ("crash", "empty")] == ["ok"] * 4
    mentions = pd.read_csv(out / "mentions.csv", encoding="utf-8-sig")
    assert set(mentions["article_id"]) == {p.stem for p in discover(CORPUS)[9:13]}

    retry = run(folder, out, jobs=1, quiet=True, **JIEBA)
    assert (retry.processed, retry.failed) == (
        1,
        1,
    )  # the crashed article, now fine; empty.txt stays an error
    crash_rows = pd.read_csv(out / "mentions.csv", encoding="utf-8-sig").query(
        "article_id == 'crash'"
    )
    twin_rows = pd.read_csv(out / "mentions.csv", encoding="utf-8-sig").query(
        f"article_id == '{discover(CORPUS)[9].stem}'"
    )
    assert (
        crash_rows.drop(columns="article_id").values.tolist()
        == twin_rows.drop(columns="article_id").values.tolist()
    )


def test_cli_run_options_and_usage_errors(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    for path in discover(CORPUS)[9:11]:
        shutil.copy(path, folder / path.name)
    out = tmp_path / "out"
    assert (
        main(
            [
                "run",
                str(folder),
                "--out",
                str(out),
                "--ner",
                "jieba",
                "--jobs",
                "2",
                "--format",
                "parquet",
                "--quiet",
            ]
        )
        == 0
    )
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(
        f"{t}.parquet" for t in TABLES
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("zhie: 2 articles (0 failed), ")
    assert main(["run", str(folder), "--out", str(out), "--ner", "jieba", "--quiet"]) == 0
    assert "(0 failed; 0 processed, 2 unchanged since the last run)" in capsys.readouterr().err
    assert (
        main(
            [
                "run",
                str(folder),
                "--out",
                str(out),
                "--ner",
                "jieba",
                "--fresh",
                "--jobs",
                "1",
                "--quiet",
            ]
        )
        == 0
    )
    assert "zhie: 2 articles (0 failed), " in capsys.readouterr().err

    for args, message in [
        (
            ["--format", "xlsx"],
            "zhie: error: unknown output format 'xlsx' (use csv, parquet or csv,parquet)",
        ),
        (["--jobs", "0"], "zhie: error: --jobs must be 1 or more, got 0"),
    ]:
        assert main(["run", str(folder), "--out", str(out), "--ner", "jieba", *args]) == 2
        assert capsys.readouterr().err.strip().splitlines() == [message]

    held = Journal(out)  # another run holds the output folder
    try:
        assert main(["run", str(folder), "--out", str(out), "--ner", "jieba"]) == 2
        assert capsys.readouterr().err.strip().splitlines() == [
            f"zhie: error: another zhie run is writing to {out} (lock {out / '.zhie' / 'lock'})"
        ]
    finally:
        held.close()


def test_bad_rule_file_in_workers_is_a_usage_error(tmp_path, capsys):
    from zhie.resources import resolve_path

    rules = tmp_path / "rules"
    shutil.copytree(
        resolve_path("rules:"), rules, ignore=shutil.ignore_patterns("__pycache__", "*.py")
    )
    with open(rules / "names.jsonl", "a", encoding="utf-8") as f:
        f.write('{"label": "ORG", "patern": "x"}\n')
    out = tmp_path / "out"
    assert (
        main(
            [
                "run",
                str(CORPUS),
                "--out",
                str(out),
                "--rules",
                str(rules),
                "--ner",
                "none",
                "--jobs",
                "2",
            ]
        )
        == 2
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"zhie: error: {rules / 'names.jsonl'}:")
    assert not (out / "articles.csv").exists()


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_only_on_a_terminal_and_not_quiet():
    assert type(make_progress(quiet=False, stream=io.StringIO())) is NoProgress
    assert type(make_progress(quiet=True, stream=FakeTerminal())) is NoProgress
    stream = FakeTerminal()
    bar = make_progress(quiet=False, stream=stream)
    assert isinstance(bar, BarProgress)
    bar.start(3, reused=2)
    bar.advance(1200, failed=False)
    bar.advance(800, failed=True)
    bar.progress.refresh()
    bar.close()
    shown = stream.getvalue()
    assert (
        "2/3" in shown
        and "articles" in shown
        and "kchar/s" in shown
        and "1 errors" in shown
        and "ETA" in shown
    )
