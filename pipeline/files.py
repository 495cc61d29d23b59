"""The one way zhie replaces a file: write a temporary file next to it, then rename it over.

A reader (or a run killed at any moment, even with SIGKILL) sees the old file or the new one,
never half of one. Temporary files are named `.NAME.XXXXXXXX.tmp` in the target's folder, so
the next run can recognise and remove what a killed run left (`is_temporary`).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def temp_prefix(name: str) -> str:
    """The name prefix of the temporary files for a target named `name`."""
    return f".{name}."


def is_temporary(name: str, target: str | None = None) -> bool:
    """Whether `name` is one of our temporary files (for `target`, when given)."""
    if not (name.startswith(".") and name.endswith(".tmp")):
        return False
    return target is None or name.startswith(temp_prefix(target))


class AtomicFile:
    """A temporary file next to `path` (`.tmp` is its name), renamed over `path` by `commit`.

    Made with the permissions of an ordinary new file (0666 less the umask), not mkstemp's 0600.
    """

    def __init__(self, path, prefix: str | None = None):
        self.path = Path(path)
        fd, self.tmp = tempfile.mkstemp(
            prefix=prefix or temp_prefix(self.path.name), suffix=".tmp", dir=self.path.parent
        )
        os.close(fd)
        try:
            os.chmod(self.tmp, 0o666 & ~_umask())
        except OSError:
            pass
        self.committed = False

    def commit(self) -> None:
        """Rename the temporary file over the target."""
        os.replace(self.tmp, self.path)
        self.committed = True

    def discard(self) -> None:
        """Remove the temporary file unless it was committed."""
        if not self.committed:
            try:
                os.unlink(self.tmp)
            except FileNotFoundError:
                pass


def write_atomic(path, write, prefix: str | None = None) -> None:
    """`write(tmp_path)` into a temporary file next to `path`, then rename it over `path`."""
    file = AtomicFile(path, prefix)
    try:
        write(file.tmp)
        file.commit()
    except BaseException:
        file.discard()
        raise


def write_text_atomic(path, text: str, encoding: str = "utf-8", prefix: str | None = None) -> None:
    """Write `text` to `path` atomically (see `write_atomic`)."""

    def write(tmp):
        with open(tmp, "w", encoding=encoding) as f:
            f.write(text)

    write_atomic(path, write, prefix)
