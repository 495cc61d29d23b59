"""Writing the final tables as a stream: CSV and Parquet, each through a temporary file then a rename.

The tables are written in slices of whole articles in article-id order (see `batch.assemble`).
Every cell is formatted from a fixed per-column type, never from what the other rows of the
slice happen to hold, so a table written in slices is byte-identical to the same table written
at once (pandas would otherwise print `value` as `300` in a slice of whole numbers and as
`300.0` next to a `2.5`).
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pandas as pd

from zhie.files import AtomicFile, write_atomic
from zhie.tables.rows import COLUMNS, TABLES, neutralise

FORMATS = ("csv", "parquet")
# RFC 4180 line ends: with them the csv module also quotes cells that hold a lone CR, which a
# reader would otherwise take for the end of a row.
CSV_LINE_END = "\r\n"


def format_float(value: float) -> str:
    """A float as written in the CSV: whole numbers without `.0` (1800亿元 is 180000000000)."""
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e18 else repr(value)


INT_COLUMNS = {"chars", "start", "end", "sentence", "mentions", "first_start"}
# Column types; every column not listed is a string.
DTYPES: dict[str, dict[str, str]] = {
    table: {c: "int64" for c in columns if c in INT_COLUMNS} for table, columns in COLUMNS.items()
}
DTYPES["figures"].update({"value": "float64", "year": "Int64"})


def dtype_of(table: str, column: str) -> str:
    """The declared type of a table's column (`string` unless listed in DTYPES)."""
    return DTYPES[table].get(column, "string")


def _missing(value) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def typed(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """`df` with every column cast to its declared type ("" and None become missing in numbers)."""
    out = {}
    for column in COLUMNS[table]:
        kind = dtype_of(table, column)
        values = df[column]
        if kind == "int64":
            out[column] = values.astype("int64")
        elif kind == "float64":
            out[column] = pd.Series(
                [math.nan if _missing(v) else float(v) for v in values], dtype="float64"
            )
        elif kind == "Int64":
            out[column] = pd.Series(
                [None if _missing(v) else int(v) for v in values], dtype="Int64"
            )
        else:
            out[column] = values.astype("string")
    return pd.DataFrame(out, columns=COLUMNS[table])


def parse_formats(text: str) -> list[str]:
    """`csv`, `parquet` or `csv,parquet` as a list; ValueError names the bad part."""
    formats = []
    for part in (p.strip().lower() for p in str(text).split(",")):
        if part not in FORMATS:
            raise ValueError(f"unknown output format {part!r} (use csv, parquet or csv,parquet)")
        if part not in formats:
            formats.append(part)
    return formats


def temp_pattern(name: str) -> str:
    """The name prefix of the temporary files of table file `name`."""
    return f".{name}."


def remove_stale_temporaries(out_dir: Path) -> None:
    """Delete the temporary table files a killed run left behind (`.articles.csv.XXXX.tmp`)."""
    names = {f"{table}.{fmt}" for table in TABLES for fmt in FORMATS}
    for entry in os.scandir(out_dir):
        if entry.name.endswith(".tmp") and entry.name.startswith("."):
            stem = entry.name[1:].rsplit(".", 2)[0]
            if stem in names:
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass


class CsvTable:
    def __init__(self, table: str, path: Path, encoding: str = "utf-8-sig", safe: bool = True):
        self.table, self.safe = table, safe
        self.file = AtomicFile(path)
        self.handle = open(self.file.tmp, "w", encoding=encoding, newline="")
        self.header = True

    def write(self, df: pd.DataFrame) -> None:
        """Append `df` to the CSV (formula-like string cells neutralised when safe)."""
        if self.safe:
            for column in df.columns:
                if dtype_of(self.table, column) == "string":
                    df[column] = df[column].map(neutralise, na_action="ignore")
        df.to_csv(
            self.handle,
            index=False,
            header=self.header,
            lineterminator=CSV_LINE_END,
            float_format=format_float,
        )
        self.header = False

    def close(self) -> None:
        """Finish the temporary file (a header only when no rows were written)."""
        if self.header:
            self.write(typed(self.table, pd.DataFrame(columns=COLUMNS[self.table])))
        self.handle.close()

    def discard(self) -> None:
        """Close and remove the temporary file."""
        try:
            self.handle.close()
        except OSError:
            pass
        self.file.discard()


def arrow_schema(table: str):
    """The Parquet schema: int64, float64, nullable int64 (`year`) and strings, with pandas metadata
    so that pandas reads `year` back as Int64 and strings as the `string` dtype."""
    import pyarrow as pa

    types = {
        "int64": pa.int64(),
        "Int64": pa.int64(),
        "float64": pa.float64(),
        "string": pa.string(),
    }
    empty = typed(table, pd.DataFrame(columns=COLUMNS[table]))
    metadata = pa.Schema.from_pandas(empty, preserve_index=False).metadata
    fields = [
        pa.field(c, types[dtype_of(table, c)], nullable=dtype_of(table, c) != "int64")
        for c in COLUMNS[table]
    ]
    return pa.schema(fields, metadata=metadata)


class ParquetTable:
    def __init__(self, table: str, path: Path):
        import pyarrow.parquet as pq

        self.table = table
        self.schema = arrow_schema(table)
        self.file = AtomicFile(path)
        self.writer = pq.ParquetWriter(self.file.tmp, self.schema, compression="snappy")

    def write(self, df: pd.DataFrame) -> None:
        """Append `df` to the Parquet file as a row group (none when it is empty)."""
        import pyarrow as pa

        if len(df):
            self.writer.write_table(
                pa.Table.from_pandas(df, schema=self.schema, preserve_index=False)
            )

    def close(self) -> None:
        """Finish the temporary file."""
        self.writer.close()

    def discard(self) -> None:
        """Close and remove the temporary file."""
        try:
            self.writer.close()
        except Exception:
            pass
        self.file.discard()


def table_paths(out_dir: Path, formats) -> list[Path]:
    """The path of every table file for `formats` in `out_dir`."""
    return [Path(out_dir) / f"{table}.{fmt}" for table in TABLES for fmt in formats]


def check_targets(out_dir: Path, formats) -> None:
    """Raise UsageError when a table file to replace is not a file (a folder named `people.csv`)."""
    from zhie.errors import UsageError

    for path in table_paths(out_dir, formats):
        if path.exists() and not path.is_file():
            raise UsageError(
                f"{path} is not a file: zhie cannot replace it with the table (move it away)"
            )


class TableWriters:
    """One streaming writer per table and format; `commit` renames them all into place."""

    def __init__(
        self, out_dir: Path, formats=("csv",), encoding: str = "utf-8-sig", safe_csv: bool = True
    ):
        self.writers: dict[str, list] = {t: [] for t in TABLES}
        self.rows = {t: 0 for t in TABLES}
        try:
            for table in TABLES:
                for fmt in formats:
                    path = Path(out_dir) / f"{table}.{fmt}"
                    writer = (
                        CsvTable(table, path, encoding, safe_csv)
                        if fmt == "csv"
                        else ParquetTable(table, path)
                    )
                    self.writers[table].append(writer)
        except BaseException:
            self.discard()
            raise

    def write(self, table: str, df: pd.DataFrame) -> None:
        """Write a slice of `table` (already in its final order) to every format."""
        df = typed(table, df)
        self.rows[table] += len(df)
        for writer in self.writers[table]:
            writer.write(df.copy() if len(self.writers[table]) > 1 else df)

    def commit(self) -> None:
        """Finish every temporary file, check every target, then rename them all into place: the
        tables are replaced all or none (short of the disk failing between two renames)."""
        for writers in self.writers.values():
            for writer in writers:
                writer.close()
        out_dir = {w.file.path.parent for ws in self.writers.values() for w in ws}
        for folder in out_dir:
            check_targets(
                folder, sorted({w.file.path.suffix[1:] for ws in self.writers.values() for w in ws})
            )
        for writers in self.writers.values():
            for writer in writers:
                writer.file.commit()

    def discard(self) -> None:
        """Discard every temporary file."""
        for writers in self.writers.values():
            for writer in writers:
                try:
                    writer.discard()
                except Exception:
                    pass


def write_csv(df: pd.DataFrame, path: Path, encoding: str = "utf-8-sig", safe: bool = True) -> None:
    """Write one table as CSV atomically; `safe` neutralises formula-like cells."""
    if safe:
        df = df.copy()
        for column in df.columns:
            if df[column].dtype == object or pd.api.types.is_string_dtype(df[column]):
                df[column] = df[column].map(neutralise)
    write_atomic(
        path,
        lambda tmp: df.to_csv(
            tmp,
            index=False,
            encoding=encoding,
            lineterminator=CSV_LINE_END,
            float_format=format_float,
        ),
    )
