"""Read stage: find article files, decode them and read their title (the publication date is
read by the pipeline's zhie_document stage).

Offsets everywhere in zhie refer to the decoded text returned here: the bytes decoded with
the detected encoding, a byte-order mark removed, nothing else changed.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

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
        """Whether the article was read without an error."""
        return not self.error


def readable(text: str) -> str:
    """`text` with the bytes of a file name that were not UTF-8 (kept by Python as lone
    surrogates, U+DC80-U+DCFF) written as backslash escapes (`\\xff`), so that it can be
    written to a table and read by a person."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return (
            text.encode("utf-8", "surrogateescape")
            .decode("utf-8", "backslashreplace")
            .encode("utf-8", "backslashreplace")
            .decode("utf-8")
        )


def article_id_for(path: Path, root: Path) -> str:
    """The article id: the path relative to the input folder, without extension, `/`-separated
    (readable: undecodable bytes of a name as backslash escapes). See `unique_ids` for two
    files that would get the same id."""
    rel = path.relative_to(root).with_suffix("")
    return readable(rel.as_posix())


def unique_ids(rel_paths: list[str]) -> list[str]:
    """The article ids of files at `rel_paths` (relative, `/`-separated, readable), unique.

    An id is the path without its extension (`article_id_for`); when two or more files would get
    the same id (`x.txt` and `x.TXT`), each of them keeps its whole file name, extension
    included (ids `x.txt` and `x.TXT`). Should ids still coincide, the later ones in path order
    get `~2`, `~3`, ...
    """

    def stem(rel: str) -> str:
        return PurePosixPath(rel).with_suffix("").as_posix()

    stems = [stem(rel) for rel in rel_paths]
    counts: dict[str, int] = {}
    for s in stems:
        counts[s] = counts.get(s, 0) + 1
    ids = [rel if counts[s] > 1 else s for rel, s in zip(rel_paths, stems)]
    seen: dict[str, int] = {}
    out = []
    for article_id in ids:
        n = seen.get(article_id, 0) + 1
        seen[article_id] = n
        out.append(article_id if n == 1 else f"{article_id}~{n}")
    return out


@dataclass
class Found:
    """A file the walk found: where to read it, its readable relative path, and the problem
    that keeps it from being read (an error row), if any."""

    path: Path
    rel: str
    problem: str = ""


def discover_files(root: Path) -> tuple[list[Found], list[Found]]:
    """(every `*.txt` file under `root`, the folders that could not be walked), recursively,
    sorted by relative path.

    Symbolic links are not followed out of the input folder: a linked directory is not entered
    (it is reported with the folders) and a linked file is read only when its target lies
    inside `root`; a link out, a broken link, a link loop and a `.txt` that is no regular file
    (a FIFO would block the reader) are found with their problem, so that they become error
    rows instead of being skipped in silence.
    """
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"input folder not found: {root}")
    real_root = root.resolve()
    found: list[Found] = []
    folders: list[Found] = []

    def rel_of(path: Path) -> str:
        return readable(path.relative_to(root).as_posix())

    def onerror(exc: OSError) -> None:
        path = Path(exc.filename) if exc.filename else root
        if path == root:
            raise exc
        folders.append(
            Found(path, rel_of(path) + "/", f"cannot list folder: {exc.strerror or exc}")
        )

    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror, followlinks=False):
        dirnames.sort()
        for name in list(dirnames):
            path = Path(dirpath) / name
            if path.is_symlink():
                folders.append(
                    Found(path, rel_of(path) + "/", "symbolic link to a folder (not followed)")
                )
        for name in filenames:
            if not name.lower().endswith(".txt"):
                continue
            path = Path(dirpath) / name
            found.append(Found(path, rel_of(path), _file_problem(path, real_root)))
    found.sort(key=lambda f: f.rel)
    folders.sort(key=lambda f: f.rel)
    return found, folders


def _file_problem(path: Path, real_root: Path) -> str:
    try:
        if path.is_symlink():
            try:
                target = path.resolve(strict=True)
            except RuntimeError:
                return "symbolic link loop"
            except FileNotFoundError:
                return "broken symbolic link"
            except OSError as exc:
                return (
                    "symbolic link loop"
                    if exc.errno == errno.ELOOP
                    else f"cannot follow symbolic link: {exc.strerror}"
                )
            if not target.is_relative_to(real_root):
                return "symbolic link to a file outside the input folder (not followed)"
        if not path.is_file():
            return "not a regular file"
    except OSError as exc:
        return f"cannot read file: {exc.strerror or exc}"
    return ""


def discover(root: Path) -> list[Path]:
    """Every readable `*.txt` file under `root`, recursively, sorted by article id (see
    `discover_files` for the files and folders that cannot be read)."""
    found, _ = discover_files(root)
    ok = [f for f in found if not f.problem]
    ids = unique_ids([f.rel for f in found])
    by_path = {id(f): article_id for f, article_id in zip(found, ids)}
    return [f.path for f in sorted(ok, key=lambda f: by_path[id(f)])]


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
                # the codec removes exactly one BOM: a second U+FEFF is text (offsets count it)
                return raw.decode(encoding), encoding, []
            except UnicodeDecodeError as exc:
                raise ArticleError(
                    f"undecodable bytes for {encoding} at byte {exc.start}"
                ) from None
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
        return (
            lenient,
            "utf-8",
            [
                f"{replaced} invalid UTF-8 byte sequence(s) replaced by U+FFFD (first at byte {first_bad})"
            ],
        )
    best = from_bytes(raw, cp_isolation=LEGACY_ENCODINGS).best()
    if best is None:
        raise ArticleError(
            f"undecodable bytes: not UTF-8 (invalid at byte {first_bad}), GB18030 or Big5"
        )
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
    return Article(
        article_id=article_id,
        path=path,
        text=text,
        encoding="",
        title=first_line(text),
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def read_article(
    path: Path, root: Path, max_chars: int = DEFAULT_MAX_CHARS, article_id: str | None = None
) -> Article:
    """Read one article file; problems become `Article.error` (one line), never an exception.
    `article_id`: the id the run gave it (default: `article_id_for(path, root)`)."""
    article = Article(article_id=article_id or article_id_for(path, root), path=readable(str(path)))
    try:
        raw = path.read_bytes()
        text, encoding, warnings = decode(raw)
        article.encoding, article.warnings = encoding, warnings
        if len(text) > max_chars:
            raise ArticleError(
                f"too long: {len(text)} characters (limit {max_chars}, see --max-chars)"
            )
        check_chinese(text)
        article.text = text
        article.sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
        article.title = first_line(text)
    except ArticleError as exc:
        article.error = str(exc)
    except OSError as exc:
        article.error = f"cannot read file: {exc.strerror or exc}"
    return article
