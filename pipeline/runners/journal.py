"""The resume journal: one small file per finished article in `OUT/.zhie/entries/`.

An entry's file name says what it was computed from:

    <key>-<content>-<fingerprint>.json

`key` hashes the article id and the path the article was read from, `content` is the sha256 of
the file's bytes and `fingerprint` hashes the pipeline (`Processor.fingerprint`: version, config,
rules, model files) together with the options that change the rows but are not part of it. A
run looks for the exact name it would write; when the file is there the article is done. An
entry is written to a temporary file and renamed, so a run killed with SIGKILL leaves either the
whole entry or none (temporaries are removed by the next run). Entries no longer named by the
current run (articles removed or changed, another pipeline) are deleted after the tables are
written.

The entry holds the article's rows in `tables.COLUMNS` order: {"article_id", "path", "tables":
{table: [[cell, ...], ...]}}.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from zhie.errors import RunError, UsageError
from zhie.files import write_text_atomic
from zhie.tables.rows import COLUMNS

JOURNAL_DIR = ".zhie"
ENTRIES = "entries"
# Entries written for articles whose worker died: kept for this run's tables, redone next run.
RETRY = "retry"
UNREADABLE = "unreadable"


def file_sha256(path: str) -> str:
    """sha256 of the file's bytes (a local path or an fsspec URL); UNREADABLE when it cannot be read."""
    digest = hashlib.sha256()
    try:
        if "://" in path:
            import fsspec

            with fsspec.open(path, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    digest.update(block)
        else:
            with open(path, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    digest.update(block)
    except OSError:
        return UNREADABLE
    return digest.hexdigest()


def compact(rows: dict[str, list[dict]]) -> dict[str, list[list]]:
    """An article's rows as lists of cells in `COLUMNS` order (empty tables left out)."""
    return {
        table: [[row.get(c) for c in COLUMNS[table]] for row in table_rows]
        for table, table_rows in rows.items()
        if table_rows
    }


def encode(article_id: str, path: str, rows: dict[str, list[dict]]) -> str:
    """The journal entry (compact JSON) of one article's rows."""
    return json.dumps(
        {"article_id": article_id, "path": path, "tables": compact(rows)},
        ensure_ascii=False,
        separators=(",", ":"),
    )


class Journal:
    """The entries of one output folder; holds an exclusive lock while a run uses it."""

    def __init__(self, out_dir: Path, fresh: bool = False):
        self.root = Path(out_dir) / JOURNAL_DIR
        self.dir = self.root / ENTRIES
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            self._lock = open(self.root / "lock", "a+")
        except OSError as exc:
            raise UsageError(
                f"cannot use the journal folder {self.root}: {exc.strerror or exc}"
            ) from None
        try:
            import fcntl

            fcntl.flock(self._lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # no fcntl (Windows): no protection against two runs at once
            pass
        except OSError:
            self._lock.close()
            raise UsageError(
                f"another zhie run is writing to {out_dir} (lock {self.root / 'lock'})"
            ) from None
        if fresh and self.dir.exists():
            shutil.rmtree(self.dir)
        self.dir.mkdir(exist_ok=True)
        self.existing: set[str] = set()
        for entry in os.scandir(self.dir):
            if entry.name.endswith(".tmp"):
                os.unlink(entry.path)  # left by a killed run
            else:
                self.existing.add(entry.name)

    @staticmethod
    def name(article_id: str, path: str, content: str, fingerprint: str) -> str:
        """The entry name of an article: its id and path, content hash and pipeline fingerprint."""
        key = hashlib.sha256(
            f"{article_id}\0{path}".encode("utf-8", "surrogateescape")
        ).hexdigest()[:20]
        return f"{key}-{content}-{fingerprint}.json"

    def done(self, name: str) -> bool:
        """Whether entry `name` exists."""
        return name in self.existing

    def write(self, name: str, text: str) -> None:
        """Write one entry atomically (temporary file in the same folder, then rename)."""
        try:
            write_text_atomic(self.dir / name, text, prefix=".")
        except OSError as exc:
            raise RunError(
                f"cannot write the journal entry {self.dir / name}: {exc.strerror or exc}; the journal "
                "is kept: run the same command again"
            ) from None
        self.existing.add(name)

    def read(self, name: str) -> dict:
        """Entry `name`, parsed; an unreadable one is removed and raises UsageError."""
        path = self.dir / name
        try:
            with open(path, encoding="utf-8") as f:
                return json.load(f)
        except (OSError, ValueError) as exc:
            try:
                path.unlink()
            except OSError:
                pass
            raise UsageError(
                f"journal entry {path} was unreadable ({type(exc).__name__}) and has been removed; "
                "run the same command again to redo that article"
            ) from None

    def prune(self, keep: set[str]) -> int:
        """Delete the entries not in `keep`; returns how many were deleted."""
        removed = 0
        for name in self.existing - keep:
            try:
                os.unlink(self.dir / name)
                removed += 1
            except FileNotFoundError:
                pass
        self.existing &= keep
        return removed

    def close(self) -> None:
        """Release the journal's lock."""
        self._lock.close()
