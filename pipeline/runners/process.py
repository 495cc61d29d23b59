"""One article from file to table rows: the function every runner (serial, parallel, Dask) calls."""
from __future__ import annotations

import hashlib
import traceback
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from zhie import __version__
from zhie.nlp.load import config_path, load_nlp
from zhie.resources import resolve_path
from zhie.tables.rows import article_row, doc_rows
from zhie.text.read import DEFAULT_MAX_CHARS, Article, read_article

__all__ = ["ArticleResult", "Processor", "config_path", "load_nlp"]


def article_rows(nlp, article: Article, stage: list[str] | None = None, region: str | None = None,
                 published: str | None = None) -> dict[str, list[dict]]:
    """The rows of every table for one readable article, through the whole pipeline `nlp`;
    `stage[0]` names the stage running (for the error row of a failure). `region` and
    `published`, when given, are set on the Doc before the components run."""
    stage = stage if stage is not None else [""]
    stage[0] = "tokenizer"
    doc = nlp.make_doc(article.text)
    doc._.region, doc._.published = region, published
    for name, component in nlp.pipeline:
        stage[0] = name
        doc = component(doc)
    stage[0] = "tables"
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
        return self.rows["articles"][0]["status"] == "ok"


class Processor:
    """Holds the loaded pipeline; `process` turns one article file into rows."""

    def __init__(self, config: Path | None = None, overrides: dict | None = None,
                 max_chars: int = DEFAULT_MAX_CHARS, opencc_config: str = "t2s"):
        self.nlp = load_nlp(config, {"nlp.tokenizer.opencc": opencc_config, **(overrides or {})})
        self.max_chars = max_chars
        self.fingerprint = self.compute_fingerprint(config, overrides, opencc_config)

    def compute_fingerprint(self, config, overrides, opencc_config) -> str:
        """A hash of everything that changes the output: version, code, config, rules and model files."""
        digest = hashlib.sha256()
        digest.update(f"{__version__}|{opencc_config}|{sorted((overrides or {}).items())}".encode())
        digest.update(Path(config or config_path()).read_bytes())
        code = Path(str(files("zhie")))
        rule_dirs = {str(v) for k, v in (overrides or {}).items() if k.endswith("rules_dir")}
        roots = [code, resolve_path("rules:"), *map(Path, sorted(rule_dirs))]
        for root in roots:
            if not root.is_dir():
                continue
            for path in sorted(root.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".html"):
                    digest.update(str(path.relative_to(root)).encode())
                    digest.update(path.read_bytes())
        return digest.hexdigest()[:16]

    def process(self, path: Path, root: Path) -> ArticleResult:
        """Read, convert and analyse one article; any failure becomes its error row."""
        article = read_article(Path(path), Path(root), self.max_chars)
        return self.process_article(article)

    def process_article(self, article: Article) -> ArticleResult:
        result = ArticleResult(article.article_id, {"articles": [article_row(article)]})
        if not article.ok:
            return result
        stage = ["tokenizer"]
        try:
            result.rows = article_rows(self.nlp, article, stage)
        except Exception as exc:  # one bad article must not stop the batch
            stage = stage[0]
            article.error = f"stage {stage} failed: {type(exc).__name__}: {exc}".splitlines()[0]
            article.warnings.append(traceback.format_exc(limit=3).strip().splitlines()[-1])
            result.rows = {"articles": [article_row(article)]}
        return result
