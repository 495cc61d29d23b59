"""Read stage: find article files, decode them and read their title (the publication date is
read by the pipeline's zhie_document stage).

Offsets everywhere in zhie refer to the decoded text returned here: the bytes decoded with
the detected encoding, a byte-order mark removed, nothing else changed.
"""
from __future__ import annotations

import codecs
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

DEFAULT_MAX_CHARS = 2_000_000
# A UTF-8 file with a few stray bytes stays UTF-8 (the bytes become U+FFFD); more than this
# share of replaced characters (or too few valid Han characters) means another encoding.
MAX_REPLACED_SHARE = 0.01
LEGACY_ENCODINGS = ["gb18030", "big5"]
BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


class ArticleError(Exception):
    """An article that cannot be processed; the message is the one-line reason."""


@dataclass
class Article:
    """One decoded article. `text` is what every offset refers to."""

    article_id: str
    path: str
    text: str = ""
    encoding: str = ""
    title: str = ""
    published: str | None = None
    sha256: str = ""
    warnings: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def article_id_for(path: Path, root: Path) -> str:
    """The article id: the path relative to the input folder, without extension, `/`-separated."""
    rel = path.relative_to(root).with_suffix("")
    return rel.as_posix()


def discover(root: Path) -> list[Path]:
    """Every `*.txt` file under `root`, recursively, sorted by article id.

    Symbolic links are not followed out of the input folder: a linked directory is not
    entered and a linked file is kept only when its target lies inside `root`.
    """
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"input folder not found: {root}")
    real_root = root.resolve()
    found = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in filenames:
            if not name.lower().endswith(".txt"):
                continue
            path = Path(dirpath) / name
            if path.is_symlink() and not path.resolve().is_relative_to(real_root):
                continue
            if path.is_file():
                found.append(path)
    return sorted(found, key=lambda p: article_id_for(p, root))


def decode(raw: bytes) -> tuple[str, str, list[str]]:
    """Decode article bytes: returns (text, encoding, warnings) or raises ArticleError.

    UTF-8 (with or without BOM), UTF-16/32 with a BOM, and GB18030/GBK or Big5 detected
    with charset-normalizer.
    """
    if not raw:
        raise ArticleError("empty file")
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding).lstrip("\ufeff"), encoding, []
            except UnicodeDecodeError as exc:
                raise ArticleError(f"undecodable bytes for {encoding} at byte {exc.start}") from None
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise ArticleError(f"binary file (NUL byte at offset {nul})")
    try:
        return raw.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    lenient = raw.decode("utf-8", errors="replace")
    replaced = lenient.count("\ufffd")
    han = count_han(lenient)
    if replaced <= MAX_REPLACED_SHARE * len(lenient) and han > 10 * replaced:
        return lenient, "utf-8", [f"{replaced} invalid UTF-8 byte sequence(s) replaced by U+FFFD (first at byte {first_bad})"]
    best = from_bytes(raw, cp_isolation=LEGACY_ENCODINGS).best()
    if best is None:
        raise ArticleError(f"undecodable bytes: not UTF-8 (invalid at byte {first_bad}), GB18030 or Big5")
    encoding = best.encoding
    try:
        return raw.decode(encoding), encoding, []
    except UnicodeDecodeError as exc:
        raise ArticleError(f"undecodable bytes for {encoding} at byte {exc.start}") from None


# CJK unified ideographs (BMP blocks and the supplementary planes); regular expressions count
# them in C, a loop over the characters of every article would cost more than reading it.
HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\U00020000-\U0003134f]")
KANA = re.compile("[\u3040-\u30ff]")
SPACE = re.compile(r"\s")


def count_han(text: str) -> int:
    """The number of CJK unified ideographs in text."""
    return len(HAN.findall(text))


def check_chinese(text: str) -> None:
    """Raise ArticleError unless the text is Chinese: mostly Han characters, few kana."""
    visible = len(text) - len(SPACE.findall(text))
    if not visible:
        raise ArticleError("empty file (whitespace only)")
    han = count_han(text)
    kana = len(KANA.findall(text))
    if kana > 0.05 * visible and kana * 4 > han:
        raise ArticleError(f"not Chinese text: Japanese kana in {kana} of {visible} characters")
    letters = sum(map(str.isalpha, text))  # Unicode category L*
    if han < 2 or han < 0.2 * letters:
        raise ArticleError(f"not Chinese text: {han} Han characters of {visible}")


def first_line(text: str) -> str:
    """The first non-empty line, stripped."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def article_from_text(text: str, article_id: str = "text", path: str = "") -> Article:
    """An Article of a text given in memory (no file, no decoding, no checks)."""
    return Article(article_id=article_id, path=path, text=text, encoding="", title=first_line(text),
                   sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())


def read_article(path: Path, root: Path, max_chars: int = DEFAULT_MAX_CHARS) -> Article:
    """Read one article file; problems become `Article.error` (one line), never an exception."""
    article = Article(article_id=article_id_for(path, root), path=str(path))
    try:
        raw = path.read_bytes()
        text, encoding, warnings = decode(raw)
        article.encoding, article.warnings = encoding, warnings
        if len(text) > max_chars:
            raise ArticleError(f"too long: {len(text)} characters (limit {max_chars}, see --max-chars)")
        check_chinese(text)
        article.text = text
        article.sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
        article.title = first_line(text)
    except ArticleError as exc:
        article.error = str(exc)
    except OSError as exc:
        article.error = f"cannot read file: {exc.strerror or exc}"
    return article
