"""Runners over `Processor.process`: every runner calls that one function per article."""
from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import UsageError
from pipeline.process import ArticleResult, Processor
from pipeline.read import discover
from pipeline.tables import TABLES, frame, write_csv


@dataclass
class RunSummary:
    articles: int = 0
    failed: int = 0
    chars: int = 0
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        rate = self.chars / self.seconds if self.seconds else 0.0
        rows = ", ".join(f"{n} {t}" for t, n in self.rows.items() if t != "articles")
        return (f"zhie: {self.articles} articles ({self.failed} failed), {rows}; "
                f"{self.seconds:.1f} s, {rate / 1000:.1f} kchar/s")


def check_output(out_dir: Path) -> None:
    """Create the output folder or raise UsageError if it cannot be written."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create output folder {out_dir}: {exc.strerror or exc}") from None
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise UsageError(f"output folder is not writable: {out_dir}")


def run(input_dir: Path, out_dir: Path, *, processor: Processor | None = None, encoding: str = "utf-8-sig",
        safe_csv: bool = True, quiet: bool = False, **processor_options) -> RunSummary:
    """Process every article under `input_dir` and write the tables to `out_dir`."""
    input_dir, out_dir = Path(input_dir), Path(out_dir)
    if not input_dir.is_dir():
        raise UsageError(f"input folder not found: {input_dir}")
    check_output(out_dir)
    processor = processor or Processor(**processor_options)
    started = time.perf_counter()
    summary = RunSummary()
    rows: dict[str, list[dict]] = {t: [] for t in TABLES}
    for path in discover(input_dir):
        result: ArticleResult = processor.process(path, input_dir)
        for table, table_rows in result.rows.items():
            rows[table].extend(table_rows)
        summary.articles += 1
        summary.chars += result.rows["articles"][0]["chars"]
        if not result.ok:
            summary.failed += 1
            summary.errors.append((result.article_id, result.rows["articles"][0]["error"]))
    for table in TABLES:
        df = frame(table, rows[table])
        write_csv(df, out_dir / f"{table}.csv", encoding=encoding, safe=safe_csv)
        summary.rows[table] = len(df)
    summary.seconds = time.perf_counter() - started
    if not quiet:
        for article_id, error in summary.errors:
            print(f"zhie: {article_id}: {error}", file=sys.stderr)
    return summary
