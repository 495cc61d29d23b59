"""One article from file to table rows: the function every runner (serial, parallel, Dask) calls."""

from __future__ import annotations

import signal
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import spacy

from zhie.nlp.load import config_path, load_nlp
from zhie.resources import resolve_path
from zhie.runners.fingerprint import pipeline_fingerprint
from zhie.tables.rows import article_row, doc_rows
from zhie.text.read import DEFAULT_MAX_CHARS, Article, read_article

__all__ = ["ArticleResult", "Processor", "article_rows", "check_options", "config_path", "load_nlp"]

# Config keys whose values name files or folders that must exist (resolved with `resolve_path`).
PATH_KEYS = {
    "userdict": "file",
    "lexicons": "file",
    "regroup": "file",
    "rules_dir": "folder",
    "model": "path",
}


def check_options(
    config=None,
    overrides: dict | None = None,
    opencc_config: str = "t2s",
    max_chars: int = DEFAULT_MAX_CHARS,
) -> None:
    """Raise UsageError (one line) for options that no article could be processed with: a missing
    config file, a config or override spaCy rejects, a missing file or folder named by the config
    (`--rules`, `--set nlp.tokenizer.userdict=...`), an unknown OpenCC config, `max_chars` < 1."""
    from zhie.errors import UsageError

    if not isinstance(max_chars, int) or max_chars < 1:
        raise UsageError(f"--max-chars must be 1 or more, got {max_chars}")
    if config is not None and not Path(config).is_file():
        raise UsageError(f"config file not found: {config}")
    try:
        cfg = spacy.util.load_config(
            config or config_path(), overrides=overrides or {}, interpolate=True
        )
    except Exception as exc:  # confection's errors span several lines: keep the first useful one
        lines = [
            line.strip()
            for line in str(exc).splitlines()
            if line.strip() and not set(line.strip()) <= set("=")
        ]
        raise UsageError(f"bad config or --set value: {' '.join(lines[:3])[:300]}") from None

    def visit(section, where):
        for key, value in section.items():
            if isinstance(value, dict):
                visit(value, f"{where}{key}.")
            elif key in PATH_KEYS:
                for item in value if isinstance(value, (list, tuple)) else [value]:
                    if not isinstance(item, str):
                        continue
                    path = resolve_path(item)
                    kind = PATH_KEYS[key]
                    ok = (
                        path.is_dir()
                        if kind == "folder"
                        else path.is_file()
                        if kind == "file"
                        else path.exists()
                    )
                    if not ok:
                        raise UsageError(f"{where}{key}: {kind} not found: {item}")

    visit(dict(cfg), "")
    try:
        from zhie.text.convert import opencc_converter

        opencc_converter(opencc_config)
    except Exception as exc:
        raise UsageError(
            f"unknown OpenCC config {opencc_config!r} ({type(exc).__name__}; e.g. t2s, tw2s, hk2s, tw2sp)"
        ) from None


DEFAULT_ARTICLE_TIMEOUT = 300.0
TIMED_OUT = "timed out: the article took over"


class ArticleTimeout(Exception):
    """An article ran past its time limit (`--article-timeout`)."""


class TimeLimit:
    """The per-article time limit, by two means: `check(stage)` between stages compares the
    clock with the deadline (works in any thread: Dask runs tasks in threads), and in the main
    thread of a process (`--jobs 1`, the pool's workers) a SIGALRM timer interrupts a stage
    that runs past the deadline (between two Python instructions; a single long C call such as
    one regular expression finishes first)."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.deadline = None
        self.previous = None

    def _alarm(self, signum, frame):
        raise ArticleTimeout()

    def __enter__(self):
        if not self.seconds:
            return self
        self.deadline = time.monotonic() + self.seconds
        if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGALRM, self._alarm)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    def __exit__(self, *exc):
        if self.previous is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
            self.previous = None
        return False

    def check(self, stage: str) -> str:
        """Raise ArticleTimeout once the deadline has passed; returns `stage`."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise ArticleTimeout()
        return stage


def article_rows(
    nlp, article: Article, on_stage=None, region: str | None = None, published: str | None = None
) -> dict[str, list[dict]]:
    """The rows of every table for one readable article, through the whole pipeline `nlp`;
    `on_stage(name)` is called as each stage starts (tokenizer, each component, tables).
    `region` and `published`, when given, are set on the Doc before the components run."""
    on_stage = on_stage or (lambda name: None)
    on_stage("tokenizer")
    doc = nlp.make_doc(article.text)
    doc._.region, doc._.published = region, published
    for name, component in nlp.pipeline:
        on_stage(name)
        doc = component(doc)
    on_stage("tables")
    article.published = doc._.published
    rows = doc_rows(doc, article.article_id)
    rows["articles"] = [article_row(article, doc._.script)]
    return rows


@dataclass
class ArticleResult:
    """Rows of every table for one article (`articles` holds exactly one row)."""

    article_id: str
    rows: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether the article's row has status ok."""
        return self.rows["articles"][0]["status"] == "ok"


class Processor:
    """Holds the loaded pipeline; `process` turns one article file into rows."""

    def __init__(
        self,
        config: Path | None = None,
        overrides: dict | None = None,
        max_chars: int = DEFAULT_MAX_CHARS,
        opencc_config: str = "t2s",
        article_timeout: float | None = DEFAULT_ARTICLE_TIMEOUT,
    ):
        self.nlp = load_nlp(config, {"nlp.tokenizer.opencc": opencc_config, **(overrides or {})})
        self.max_chars = max_chars
        self.article_timeout = article_timeout or None  # seconds per article; 0 or None: no limit
        # spaCy refuses texts over nlp.max_length (E088, 1,000,000 by default); the pipeline holds
        # no per-character model, so any article up to --max-chars is processed whole.
        self.nlp.max_length = max(self.nlp.max_length, max_chars)
        self.fingerprint = self.compute_fingerprint(config, overrides, opencc_config, max_chars)

    def compute_fingerprint(
        self, config, overrides, opencc_config, max_chars=DEFAULT_MAX_CHARS
    ) -> str:
        """`fingerprint.pipeline_fingerprint`: everything that changes the output (version, code,
        options, config and every file it names)."""
        return pipeline_fingerprint(config, overrides, opencc_config, max_chars)

    def process(self, path: Path, root: Path) -> ArticleResult:
        """Read, convert and analyse one article; any failure becomes its error row."""
        article = read_article(Path(path), Path(root), self.max_chars)
        return self.process_article(article)

    def process_article(self, article: Article) -> ArticleResult:
        """Analyse one read article; a failure or timeout becomes its error row."""
        result = ArticleResult(article.article_id, {"articles": [article_row(article)]})
        if not article.ok:
            return result
        stage = ["tokenizer"]
        clock = TimeLimit(self.article_timeout)

        def on_stage(name: str) -> None:
            stage[0] = clock.check(name)

        try:
            with clock:
                result.rows = article_rows(self.nlp, article, on_stage)
        except ArticleTimeout:
            article.error = (
                f"stage {stage[0]} timed out: "
                f"the article took over {self.article_timeout:g} s "
                "(see --article-timeout; it is retried by the next run)"
            )
            result.rows = {"articles": [article_row(article)]}
        except Exception as exc:  # one bad article must not stop the batch
            article.error = f"stage {stage[0]} failed: {type(exc).__name__}: {exc}".splitlines()[0]
            article.warnings.append(traceback.format_exc(limit=3).strip().splitlines()[-1])
            result.rows = {"articles": [article_row(article)]}
        return result
