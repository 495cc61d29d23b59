"""Issue 13 (and the runner items of 12): odd folders, failing disks, signals, orphan workers."""

from __future__ import annotations

import codecs
import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest

from zhie.cli import main
from zhie.runners import batch
from zhie.runners.fingerprint import pipeline_fingerprint
from zhie.text.read import decode

ROOT = Path(__file__).resolve().parent.parent
SIMPLE = "青岛市政府副秘书长王东翔出席活动并致辞，来自企业的300余人齐聚一堂。"
NONE = ["--ner", "none", "--quiet", "--jobs", "1"]


def articles(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "articles.csv", encoding="utf-8-sig", keep_default_na=False)


def folder_of(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "in"
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


# --- paths ------------------------------------------------------------------------------------


def test_path_problems_are_error_rows_and_exit_1(tmp_path, capsys):
    folder = folder_of(tmp_path, {"ok.txt": SIMPLE, "locked/inside.txt": SIMPLE})
    (tmp_path / "outside.txt").write_text(SIMPLE, encoding="utf-8")
    os.symlink("loop.txt", folder / "loop.txt")
    os.symlink(folder / "missing.txt", folder / "broken.txt")
    os.symlink(tmp_path / "outside.txt", folder / "out.txt")
    os.symlink(tmp_path, folder / "dirlink")
    os.mkfifo(folder / "fifo.txt")
    os.chmod(folder / "locked", 0)
    out = tmp_path / "out"
    try:
        code = main(["run", str(folder), "--out", str(out), *NONE])
    finally:
        os.chmod(folder / "locked", 0o755)
    assert code == 1
    rows = articles(out)[["article_id", "status", "error"]].values.tolist()
    unlistable = ["locked/", "error", "cannot list folder: Permission denied"]
    if os.geteuid() == 0:  # root lists any folder
        unlistable = None
    expected = [
        ["broken", "error", "broken symbolic link"],
        ["dirlink/", "error", "symbolic link to a folder (not followed)"],
        ["fifo", "error", "not a regular file"],
        *([unlistable] if unlistable else [["locked/inside", "ok", ""]]),
        ["loop", "error", "symbolic link loop"],
        ["ok", "ok", ""],
        ["out", "error", "symbolic link to a file outside the input folder (not followed)"],
    ]
    assert rows == expected


def test_undecodable_file_name_is_written_with_backslash_escapes(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "w", encoding="utf-8") as f:
        f.write(SIMPLE)
    out = tmp_path / "out"
    assert main(["run", str(folder), "--out", str(out), *NONE]) == 0
    row = articles(out).iloc[0]
    assert (row["article_id"], row["path"], row["status"]) == (
        "caf\\xe9",
        str(folder / "caf\\xe9.txt"),
        "ok",
    )
    mentions = pd.read_csv(out / "mentions.csv", encoding="utf-8-sig")
    assert set(mentions["article_id"]) == {"caf\\xe9"}


def test_article_ids_are_unique_files_that_share_one_keep_their_extension(tmp_path):
    folder = folder_of(
        tmp_path,
        {"x.txt": SIMPLE, "x.TXT": "台南市政府今日表示，投资金额约新台币3亿元。", "y.txt": SIMPLE},
    )
    out = tmp_path / "out"
    assert main(["run", str(folder), "--out", str(out), *NONE]) == 0
    assert articles(out)["article_id"].tolist() == ["x.TXT", "x.txt", "y"]
    figures = pd.read_csv(out / "figures.csv", encoding="utf-8-sig")
    assert figures[["article_id", "text"]].values.tolist() == [
        ["x.TXT", "新台币3亿元"],
        ["x.txt", "300余人"],
        ["y", "300余人"],
    ]


def test_file_urls_follow_the_local_symlink_rule(tmp_path):
    folder = folder_of(tmp_path, {"own.txt": SIMPLE})
    (tmp_path / "secret.txt").write_text(SIMPLE, encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", folder / "link.txt")
    out = tmp_path / "out"
    assert main(["run", folder.resolve().as_uri(), "--out", str(out), *NONE]) == 1
    assert articles(out)[["article_id", "status", "error"]].values.tolist() == [
        ["link", "error", "symbolic link to a file outside the input folder (not followed)"],
        ["own", "ok", ""],
    ]


# --- text -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        codecs.BOM_UTF8 * 2 + SIMPLE.encode(),
        codecs.BOM_UTF16_LE + ("\ufeff" + SIMPLE).encode("utf-16-le"),
    ],
)
def test_exactly_one_bom_is_removed(raw, tmp_path):
    text, _, _ = decode(raw)
    assert text == "\ufeff" + SIMPLE
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(raw)
    out = tmp_path / "out"
    assert main(["run", str(folder), "--out", str(out), *NONE]) == 0
    figures = pd.read_csv(out / "figures.csv", encoding="utf-8-sig")
    start = SIMPLE.index("300余人") + 1  # the second U+FEFF counts
    assert figures[["text", "start", "end"]].values.tolist() == [["300余人", start, start + 5]]
    assert text[start : start + 5] == "300余人"


def test_zero_width_characters_leave_names_not_offsets(processor):
    from zhie.text.read import Article

    text = "臺南市長黃偉哲今日與台南\u200b紡織股份有限公司簽署合作備忘錄，台南紡織股份有限公司總經理王\u2060立範表示。"
    rows = processor.process_article(Article("x", "x.txt", text)).rows
    assert [(o["name"], o["mentions"]) for o in rows["organisations"]] == [
        ("台南纺织股份有限公司", 2)
    ]
    assert ("王立范", "总经理", "台南纺织股份有限公司") in [
        (p["name"], p["title"], p["organisation"]) for p in rows["people"]
    ]
    org = [m for m in rows["mentions"] if m["label"] == "ORG"][0]
    assert (org["start"], org["end"], org["text"], org["text_simplified"]) == (
        10,
        21,
        "台南\u200b紡織股份有限公司",
        "台南纺织股份有限公司",
    )
    party = [a for a in rows["event_arguments"] if a["role"] == "party" and a["start"] == 10]
    assert [(a["text"], a["end"]) for a in party] == [("台南纺织股份有限公司", 21)]


# --- fingerprint --------------------------------------------------------------------------------


def test_fingerprint_covers_a_user_dictionary_named_by_a_custom_config(tmp_path):
    userdict = tmp_path / "dict.txt"
    userdict.write_text("台南纺织 100 nt\n", encoding="utf-8")
    config = tmp_path / "config.cfg"
    packaged = (ROOT / "pipeline" / "config.cfg").read_text(encoding="utf-8")
    config.write_text(
        packaged.replace('userdict = "rules:userdict.txt"', f'userdict = "{userdict}"'),
        encoding="utf-8",
    )
    before = pipeline_fingerprint(config)
    assert pipeline_fingerprint(config) == before
    userdict.write_text("台南纺织 200 nt\n", encoding="utf-8")
    assert pipeline_fingerprint(config) != before
    override = {"nlp.tokenizer.userdict": str(userdict)}
    before = pipeline_fingerprint(None, override)
    userdict.write_text("台南纺织 300 nt\n", encoding="utf-8")
    assert pipeline_fingerprint(None, override) != before

    folder = folder_of(tmp_path, {"a.txt": SIMPLE})
    out = tmp_path / "out"
    summary = batch.run(
        folder, out, quiet=True, config=config, overrides={"components.zhie_ner.backend": "none"}
    )
    assert summary.processed == 1
    summary = batch.run(
        folder, out, quiet=True, config=config, overrides={"components.zhie_ner.backend": "none"}
    )
    assert summary.processed == 0
    userdict.write_text("台南纺织 400 nt\n", encoding="utf-8")
    summary = batch.run(
        folder, out, quiet=True, config=config, overrides={"components.zhie_ner.backend": "none"}
    )
    assert summary.processed == 1


def test_there_is_one_fingerprint_and_one_atomic_writer():
    from zhie.runners import journal

    assert not hasattr(journal, "options_fingerprint")
    sources = [
        p.read_text(encoding="utf-8")
        for p in (ROOT / "pipeline").rglob("*.py")
        if p.name != "files.py"
    ]
    assert not [s for s in sources if "mkstemp" in s]


# --- usage and environment problems ----------------------------------------------------------


@pytest.mark.parametrize(
    "args,message",
    [
        (["--rules", "{tmp}/norules"], "zhie: error: rules folder not found: {tmp}/norules"),
        (["--config", "{tmp}/none.cfg"], "zhie: error: config file not found: {tmp}/none.cfg"),
        (
            ["--set", "nlp.tokenizer.userdict={tmp}/none.txt"],
            "zhie: error: nlp.tokenizer.userdict: file not found: {tmp}/none.txt",
        ),
        (
            ["--opencc", "nonexistent"],
            "zhie: error: unknown OpenCC config 'nonexistent' (RuntimeError; e.g. t2s, tw2s, hk2s, tw2sp)",
        ),
        (["--max-chars", "0"], "zhie: error: --max-chars must be 1 or more, got 0"),
        (["--max-chars", "-5"], "zhie: error: --max-chars must be 1 or more, got -5"),
        (
            ["--scheduler", "notaurl"],
            "zhie: error: malformed --scheduler address 'notaurl' (expected e.g. tcp://HOST:8786)",
        ),
    ],
)
def test_usage_problems_are_one_line_and_exit_2_before_any_article(tmp_path, capsys, args, message):
    folder = folder_of(tmp_path, {"a.txt": SIMPLE})
    out = tmp_path / "out"
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    assert main(["run", str(folder), "--out", str(out), "--quiet", *args]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [message.replace("{tmp}", str(tmp_path))]
    assert not (out / ".zhie").exists()


def test_journal_path_being_a_file_and_a_table_being_a_folder(tmp_path, capsys):
    folder = folder_of(tmp_path, {"a.txt": SIMPLE})
    out = tmp_path / "out"
    out.mkdir()
    (out / ".zhie").write_text("x")
    assert main(["run", str(folder), "--out", str(out), *NONE]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        f"zhie: error: {out / '.zhie'} is not a folder (zhie keeps its journal there): move it away"
    ]
    (out / ".zhie").unlink()
    assert main(["run", str(folder), "--out", str(out), *NONE]) == 0
    old = {p.name: p.read_bytes() for p in out.glob("*.csv")}
    (folder / "b.txt").write_text(SIMPLE, encoding="utf-8")
    (out / "people.csv").unlink()
    (out / "people.csv").mkdir()
    capsys.readouterr()
    assert main(["run", str(folder), "--out", str(out), *NONE]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        f"zhie: error: {out / 'people.csv'} is not a file: zhie cannot replace it with the table (move it away)"
    ]
    assert {p.name: p.read_bytes() for p in out.glob("*.csv") if p.is_file()} == {
        k: v for k, v in old.items() if k != "people.csv"
    }


def test_a_table_that_becomes_a_folder_during_the_run_leaves_the_old_set(
    tmp_path, capsys, monkeypatch
):
    from zhie.tables import writers

    folder = folder_of(tmp_path, {"a.txt": SIMPLE})
    out = tmp_path / "out"
    assert main(["run", str(folder), "--out", str(out), *NONE]) == 0
    old = {p.name: p.read_bytes() for p in out.glob("*.csv")}
    (folder / "b.txt").write_text(SIMPLE, encoding="utf-8")
    original = writers.TableWriters.commit

    def commit(self):
        (out / "people.csv").unlink()
        (out / "people.csv").mkdir()
        return original(self)

    monkeypatch.setattr(writers.TableWriters, "commit", commit)
    assert main(["run", str(folder), "--out", str(out), *NONE]) == 2
    now = {p.name: p.read_bytes() for p in out.glob("*.csv") if p.is_file()}
    assert now == {k: v for k, v in old.items() if k != "people.csv"}
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def full_disk(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_full_disk_while_writing_the_journal_is_exit_1_and_keeps_it(tmp_path, capsys, monkeypatch):
    from zhie.runners import journal

    folder = folder_of(tmp_path, {"a.txt": SIMPLE, "b.txt": SIMPLE})
    out = tmp_path / "out"
    assert main(["run", str(folder), "--out", str(out), *NONE]) == 0
    (folder / "c.txt").write_text(SIMPLE, encoding="utf-8")
    entries = sorted(p.name for p in (out / ".zhie" / "entries").iterdir())
    monkeypatch.setattr(journal, "write_text_atomic", full_disk)
    capsys.readouterr()
    assert main(["run", str(folder), "--out", str(out), *NONE]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(
        f"zhie: error: cannot write the journal entry {out / '.zhie' / 'entries'}/"
    )
    assert err[0].endswith(
        ": No space left on device; the journal is kept: run the same command again"
    )
    assert sorted(p.name for p in (out / ".zhie" / "entries").iterdir()) == entries
    monkeypatch.undo()
    assert main(["run", str(folder), "--out", str(out), *NONE]) == 0
    assert len(articles(out)) == 3


def test_full_disk_while_writing_the_tables_is_exit_1_and_keeps_the_old_tables(
    tmp_path, capsys, monkeypatch
):
    from zhie.tables import writers

    folder = folder_of(tmp_path, {"a.txt": SIMPLE})
    out = tmp_path / "out"
    assert main(["run", str(folder), "--out", str(out), *NONE]) == 0
    old = {p.name: p.read_bytes() for p in out.glob("*.csv")}
    (folder / "b.txt").write_text(SIMPLE, encoding="utf-8")
    monkeypatch.setattr(writers.CsvTable, "write", full_disk)
    capsys.readouterr()
    assert main(["run", str(folder), "--out", str(out), *NONE]) == 1
    assert capsys.readouterr().err.strip().splitlines() == [
        f"zhie: error: cannot write the tables ({out}): No space left on device; the old tables and the journal are "
        "kept: run the same command again"
    ]
    assert {p.name: p.read_bytes() for p in out.glob("*.csv")} == old
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    assert len(list((out / ".zhie" / "entries").iterdir())) == 2


def test_train_and_evaluate_ner_failures_are_one_line_exit_2(tmp_path, capsys):
    assert main(["train", "--data", "/missing", "--out", str(tmp_path / "m")]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        "zhie: error: data folder not found: /missing"
    ]
    bio = tmp_path / "a.bio"
    bio.write_text("台 B-GPE\n南 I-GPE\n", encoding="utf-8")
    assert main(["evaluate-ner", str(bio), "--model", str(tmp_path / "nomodel")]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        f"zhie: error: model folder not found: {tmp_path / 'nomodel'}"
    ]
    assert main(["evaluate-ner", str(tmp_path)]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_jobs_above_the_cores_are_capped_with_a_note(tmp_path, capsys):
    folder = folder_of(tmp_path, {"a.txt": SIMPLE, "b.txt": SIMPLE})
    cores = batch.default_jobs()
    assert (
        main(
            ["run", str(folder), "--out", str(tmp_path / "out"), "--ner", "none", "--jobs", "1000"]
        )
        == 0
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0] == f"zhie: --jobs 1000 is more than the {cores} cores: using {cores}"
    assert err[1].startswith("zhie: 2 articles (0 failed)") and len(err) == 2


# --- processes ---------------------------------------------------------------------------------


def corpus(folder: Path, n: int) -> Path:
    folder.mkdir()
    text = (ROOT / "corpus" / "articles" / "001_tainan-tainan-spinning-mou.txt").read_text(
        encoding="utf-8-sig"
    )
    for i in range(n):
        (folder / f"a{i:03d}.txt").write_text(text + f"\n第{i}篇。", encoding="utf-8")
    return folder


def zhie_command() -> list[str]:
    return [sys.executable, "-c", "import sys; from zhie.cli import main; sys.exit(main())"]


def run_and_signal(tmp_path, sig) -> tuple[subprocess.Popen, set[int]]:
    folder = corpus(tmp_path / "in", 120)
    proc = subprocess.Popen(
        [
            *zhie_command(),
            "run",
            str(folder),
            "--out",
            str(tmp_path / "out"),
            "--jobs",
            "2",
            "--quiet",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    parent = psutil.Process(proc.pid)
    deadline = time.time() + 120
    while time.time() < deadline:  # until the workers run articles
        children = parent.children(recursive=True)
        if (
            len(children) >= 4
            and (tmp_path / "out" / ".zhie" / "entries").is_dir()
            and any((tmp_path / "out" / ".zhie" / "entries").iterdir())
        ):
            break
        time.sleep(0.2)
    pids = {p.pid for p in parent.children(recursive=True)}
    assert len(pids) >= 3  # forkserver, resource tracker, two workers
    os.kill(proc.pid, sig)
    return proc, pids


def survivors(pids: set[int], seconds: float) -> list[int]:
    deadline = time.time() + seconds
    alive = pids
    while time.time() < deadline:
        alive = [
            pid
            for pid in pids
            if psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
        ]
        if not alive:
            return []
        time.sleep(0.2)
    return alive


def test_sigkill_of_the_run_leaves_no_process_behind(tmp_path):
    proc, pids = run_and_signal(tmp_path, signal.SIGKILL)
    proc.wait(timeout=10)
    left = survivors(pids, 10)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []


def test_sigterm_is_handled_like_ctrl_c(tmp_path):
    proc, pids = run_and_signal(tmp_path, signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 143
    assert err.decode().strip().splitlines() == [
        "zhie: terminated (SIGTERM); the journal is kept: run the same command again to go on"
    ]
    assert survivors(pids, 10) == []


def test_workers_never_import_from_the_working_directory(tmp_path):
    target = tmp_path / "install"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    launcher = target / "bin" / "zhie"
    assert launcher.is_file()
    project = tmp_path / "project"
    for package in ("pipeline", "zhie"):
        (project / package).mkdir(parents=True)
        (project / package / "__init__.py").write_text(
            "raise RuntimeError('decoy package imported')\n"
        )
        (project / f"{package}.py").write_text("raise RuntimeError('decoy module imported')\n")
    corpus(project / "articles", 6)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONSAFEPATH", "PYTHONPATH")}
    env["PYTHONPATH"] = str(target)
    done = subprocess.run(
        [
            sys.executable,
            str(launcher),
            "run",
            "articles",
            "--out",
            "out",
            "--jobs",
            "2",
            "--quiet",
            "--ner",
            "none",
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("zhie: 6 articles (0 failed)")
    assert len(pd.read_csv(project / "out" / "articles.csv", encoding="utf-8-sig")) == 6
    zhie_file = subprocess.run(
        [sys.executable, str(launcher.parent / "which.py")]
        if False
        else [sys.executable, "-c", "import zhie; print(zhie.__file__)"],
        cwd=target,
        env=env,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert zhie_file.startswith(str(target))


# --- time limit -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def slow_processor():
    """The rules-only pipeline with a stage that takes 3 s on articles holding 慢慢."""
    from spacy.language import Language

    from zhie.runners.process import Processor

    name = "zhie_test_slow_on_marker"
    if name not in Language.factories:

        @Language.factory(name)
        def create(nlp, name):
            def slow(doc):
                if "慢慢" in doc.text:
                    end = time.monotonic() + 3
                    while time.monotonic() < end:  # Python code: SIGALRM interrupts it
                        sum(range(1000))
                return doc

            return slow

    processor = Processor(overrides={"components.zhie_ner.backend": "none"}, article_timeout=1)
    processor.nlp.add_pipe(name, after="zhie_figures")
    return processor


def test_a_runaway_article_is_an_error_row_naming_the_stage_and_the_batch_goes_on(
    tmp_path, slow_processor
):
    folder = folder_of(tmp_path, {"a.txt": SIMPLE, "b.txt": "慢慢" + SIMPLE, "c.txt": SIMPLE})
    out = tmp_path / "out"
    started = time.monotonic()
    summary = batch.run(folder, out, processor=slow_processor, quiet=True)
    assert time.monotonic() - started < 3
    assert articles(out)[["article_id", "status", "error"]].values.tolist() == [
        ["a", "ok", ""],
        [
            "b",
            "error",
            "stage zhie_test_slow_on_marker timed out: the article took over 1 s (see --article-timeout; "
            "it is retried by the next run)",
        ],
        ["c", "ok", ""],
    ]
    assert (summary.failed, summary.processed) == (1, 3)
    again = batch.run(folder, out, processor=slow_processor, quiet=True)
    assert (again.processed, again.failed) == (1, 1)  # the timed-out article is tried again


def test_the_time_limit_is_checked_between_stages_outside_the_main_thread(slow_processor):
    import threading

    from zhie.text.read import Article

    found = {}
    thread = threading.Thread(
        target=lambda: found.update(
            slow_processor.process_article(Article("b", "b.txt", "慢慢" + SIMPLE)).rows["articles"][
                0
            ]
        )
    )
    thread.start()
    thread.join()
    assert found["error"].startswith(
        "stage zhie_test_slow_on_marker timed out: the article took over 1 s"
    )


def test_article_timeout_option(tmp_path, capsys):
    folder = folder_of(tmp_path, {"a.txt": SIMPLE})
    assert (
        main(["run", str(folder), "--out", str(tmp_path / "o"), "--article-timeout", "-1", *NONE])
        == 2
    )
    assert capsys.readouterr().err.strip().splitlines() == [
        "zhie: error: --article-timeout must be 0 (none) or more, got -1"
    ]
    assert (
        main(["run", str(folder), "--out", str(tmp_path / "o"), "--article-timeout", "0", *NONE])
        == 0
    )
