"""One article from file to table rows: the function every runner (serial, parallel, Dask) calls."""
from __future__ import annotations

import re
import signal
import threading
import time
import traceback
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import spacy

# Importing the modules registers the tokenizer and the components with spaCy.
from zhie import __version__  # noqa: F401
from zhie.nlp import extensions, tokenizer
from zhie.nlp.components import events, figures, mentions, ner, organisations, people, rules, sentences  # noqa: F401
from zhie.text.convert import Normaliser, detect_script
from zhie.text.read import DEFAULT_MAX_CHARS, Article, read_article
from zhie.resources import resolve_path
from zhie.tables.rows import article_row, doc_rows

DEFAULT_CONFIG = "config.cfg"


def config_path() -> Path:
    return Path(str(files("zhie") / DEFAULT_CONFIG))


def load_nlp(config: Path | None = None, overrides: dict | None = None) -> spacy.Language:
    """The spaCy pipeline described by `config` (the packaged config.cfg by default)."""
    extensions.register()
    cfg = spacy.util.load_config(config or config_path(), overrides=overrides or {}, interpolate=True)
    return spacy.util.load_model_from_config(cfg, auto_fill=True, validate=True)


# Config keys whose values name files or folders that must exist (resolved with `resolve_path`).
PATH_KEYS = {"userdict": "file", "lexicons": "file", "regroup": "file", "rules_dir": "folder", "model": "path"}


def check_options(config=None, overrides: dict | None = None, opencc_config: str = "t2s",
                  max_chars: int = DEFAULT_MAX_CHARS) -> None:
    """Raise UsageError (one line) for options that no article could be processed with: a missing
    config file, a config or override spaCy rejects, a missing file or folder named by the config
    (`--rules`, `--set nlp.tokenizer.userdict=...`), an unknown OpenCC config, `max_chars` < 1."""
    from zhie.errors import UsageError

    if not isinstance(max_chars, int) or max_chars < 1:
        raise UsageError(f"--max-chars must be 1 or more, got {max_chars}")
    if config is not None and not Path(config).is_file():
        raise UsageError(f"config file not found: {config}")
    try:
        cfg = spacy.util.load_config(config or config_path(), overrides=overrides or {}, interpolate=True)
    except Exception as exc:  # confection's errors span several lines: keep the first useful one
        lines = [line.strip() for line in str(exc).splitlines() if line.strip() and not set(line.strip()) <= set("=")]
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
                    ok = path.is_dir() if kind == "folder" else path.is_file() if kind == "file" else path.exists()
                    if not ok:
                        raise UsageError(f"{where}{key}: {kind} not found: {item}")

    visit(dict(cfg), "")
    try:
        from zhie.text.convert import opencc_converter

        opencc_converter(opencc_config)
    except Exception as exc:
        raise UsageError(f"unknown OpenCC config {opencc_config!r} ({type(exc).__name__}; e.g. t2s, tw2s, hk2s, tw2sp)") from None


TAIWAN = re.compile(r"[臺台](?:灣|湾|南|北|中|東|东)|新[臺台]幣|新[臺台]币|高雄|桃園|新竹|嘉義|屏東|宜蘭|花蓮|澎湖|民國|發稿|\d{3}年\d{1,2}月")
HONG_KONG = re.compile(r"香港|港元|港幣|港币")
MACAU = re.compile(r"澳門|澳门")


def region_of(script: str, text: str) -> str:
    """The region whose currency a bare 元 means: Traditional text about Taiwan is TW (Hong
    Kong HK, Macau MO); everything else, Traditional text about the mainland included, is CN."""
    if script == "simplified":
        return "CN"
    counts = {region: len(pattern.findall(text)) for region, pattern in (("TW", TAIWAN), ("HK", HONG_KONG), ("MO", MACAU))}
    region, count = max(counts.items(), key=lambda item: item[1])
    return region if count else "CN"


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
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise ArticleTimeout()
        return stage


@dataclass
class ArticleResult:
    """Rows of every table for one article (`articles` holds exactly one row)."""

    article_id: str
    rows: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.rows["articles"][0]["status"] == "ok"


class Processor:
    """Holds the loaded pipeline; `process` turns one article file into rows."""

    def __init__(self, config: Path | None = None, overrides: dict | None = None,
                 max_chars: int = DEFAULT_MAX_CHARS, opencc_config: str = "t2s",
                 article_timeout: float | None = DEFAULT_ARTICLE_TIMEOUT):
        self.nlp = load_nlp(config, overrides)
        self.normalise = Normaliser(opencc_config)
        self.max_chars = max_chars
        self.article_timeout = article_timeout or None  # seconds per article; 0 or None: no limit
        # spaCy refuses texts over nlp.max_length (E088, 1,000,000 by default); the pipeline holds
        # no per-character model, so any article up to --max-chars is processed whole.
        self.nlp.max_length = max(self.nlp.max_length, max_chars)
        self.fingerprint = self.compute_fingerprint(config, overrides, opencc_config, max_chars)

    def compute_fingerprint(self, config, overrides, opencc_config, max_chars=DEFAULT_MAX_CHARS) -> str:
        """`fingerprint.pipeline_fingerprint`: everything that changes the output (version, code,
        options, config and every file it names)."""
        from zhie.runners.fingerprint import pipeline_fingerprint

        return pipeline_fingerprint(config, overrides, opencc_config, max_chars)

    def process(self, path: Path, root: Path) -> ArticleResult:
        """Read, convert and analyse one article; any failure becomes its error row."""
        article = read_article(Path(path), Path(root), self.max_chars)
        return self.process_article(article)

    def process_article(self, article: Article) -> ArticleResult:
        result = ArticleResult(article.article_id, {"articles": [article_row(article)]})
        if not article.ok:
            return result
        stage = "convert"
        clock = TimeLimit(self.article_timeout)
        try:
            with clock:
                script = detect_script(article.text)
                converted = self.normalise(article.text)
                stage = clock.check("tokenizer")
                doc = self.nlp.make_doc(converted.text)
                doc._.region = region_of(script, article.text)
                doc._.published = article.published
                for name, component in self.nlp.pipeline:
                    stage = clock.check(name)
                    doc = component(doc)
                stage = clock.check("tables")
                result.rows.update(doc_rows(article, converted, doc))
                result.rows["articles"] = [article_row(article, script)]
        except ArticleTimeout:
            article.error = (f"stage {stage} timed out: the article took over {self.article_timeout:g} s "
                             "(see --article-timeout; it is retried by the next run)")
            result.rows = {"articles": [article_row(article)]}
        except Exception as exc:  # one bad article must not stop the batch
            article.error = f"stage {stage} failed: {type(exc).__name__}: {exc}".splitlines()[0]
            article.warnings.append(traceback.format_exc(limit=3).strip().splitlines()[-1])
            result.rows = {"articles": [article_row(article)]}
        return result
