"""The progress bar of `zhie run` on stderr: articles, articles/s, characters/s, ETA, errors so far.

Shown only when stderr is a terminal and `--quiet` is not given; otherwise `NoProgress` does
nothing. The bar counts the articles processed in this run (not those reused from the journal).
"""

from __future__ import annotations

import sys
import time


class NoProgress:
    def start(self, total: int, reused: int = 0) -> None:
        """A run of `total` articles to process starts (`reused`: taken from the journal)."""
        pass

    def advance(self, chars: int, failed: bool) -> None:
        """One article was processed (`chars` characters; `failed`: an error row)."""
        pass

    def phase(self, text: str) -> None:
        """The run goes on to a phase described by `text`."""
        pass

    def close(self) -> None:
        """The run is over."""
        pass


class BarProgress(NoProgress):
    """A rich progress bar; rates are over the time since the first article was dispatched."""

    def __init__(self, stream=None):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(bar_width=20),
            MofNCompleteColumn(),
            TextColumn("articles"),
            TextColumn("{task.fields[rates]}"),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[errors]}"),
            console=Console(file=stream or sys.stderr),
            transient=True,
        )
        self.task = None
        self.done = self.chars = self.errors = 0
        self.started = time.perf_counter()

    def _fields(self) -> dict:
        seconds = max(time.perf_counter() - self.started, 1e-9)
        rates = f"{self.done / seconds:.1f}/s {self.chars / seconds / 1000:.1f} kchar/s"
        return {"rates": rates, "errors": f"{self.errors} errors" if self.errors else "no errors"}

    def start(self, total: int, reused: int = 0) -> None:
        """Show the bar for `total` articles to process."""
        self.started = time.perf_counter()
        description = f"zhie ({reused} done before)" if reused else "zhie"
        self.progress.start()
        self.task = self.progress.add_task(description, total=total, **self._fields())

    def advance(self, chars: int, failed: bool) -> None:
        """Count one processed article and update the rates."""
        self.done += 1
        self.chars += chars
        self.errors += bool(failed)
        self.progress.update(self.task, advance=1, **self._fields())

    def phase(self, text: str) -> None:
        """Show `text` as the bar's description."""
        if self.task is not None:
            self.progress.update(self.task, description=text)

    def close(self) -> None:
        """Remove the bar."""
        self.progress.stop()


def make_progress(quiet: bool, stream=None) -> NoProgress:
    """A progress bar on `stream` (stderr) when it is a terminal and not `quiet`, else none."""
    stream = stream or sys.stderr
    if quiet or not getattr(stream, "isatty", lambda: False)():
        return NoProgress()
    return BarProgress(stream)
