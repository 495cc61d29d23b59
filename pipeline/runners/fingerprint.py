"""The pipeline fingerprint: one hash of everything that changes an article's rows.

It covers zhie's version and code, the OpenCC config, the character limit, the config file and
its overrides, and the contents of every file the resolved config names, wherever it points:
packaged rules and models (`rules:`/`models:`), a `--rules` folder, a user dictionary named by a
custom `--config` or by `--set nlp.tokenizer.userdict=...`, a model folder. A value counts as a
path when it has one of those prefixes, holds a path separator, or names an existing file.
The journal names its entries after it: change any of those files and the articles are redone.
"""

from __future__ import annotations

import hashlib
import os
from importlib.resources import files
from pathlib import Path

from zhie import __version__
from zhie.resources import PACKAGES, resolve_path

SKIPPED_SUFFIXES = (".pyc", ".html")


def _files_under(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        out.extend(
            Path(dirpath) / name
            for name in sorted(filenames)
            if not name.endswith(SKIPPED_SUFFIXES)
        )
    return out


def _hash_tree(digest, root: Path, label: str) -> None:
    for path in _files_under(root):
        digest.update(f"{label}/{path.relative_to(root) if path != root else path.name}\0".encode())
        try:
            digest.update(path.read_bytes())
        except OSError as exc:  # an unreadable file still changes the fingerprint
            digest.update(f"unreadable: {exc.strerror}".encode())


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def _named_path(value: str) -> Path | None:
    """The file or folder a config string names, or None."""
    if not value or "://" in value or "\n" in value or len(value) > 4096:
        return None
    prefix, sep, _ = value.partition(":")
    try:
        if sep and prefix in PACKAGES:
            path = resolve_path(value)
            return path if path.exists() else None
        path = Path(value)
        if os.sep in value or "/" in value:
            return path if path.exists() else None
        return path if path.is_file() else None
    except (OSError, ValueError):
        return None


def config_paths(config, overrides: dict | None) -> list[tuple[str, Path]]:
    """(value, path) for every string value of the resolved config (and of the overrides) that
    names an existing file or folder; the value as written labels it in the hash, so the
    fingerprint does not depend on where zhie is installed (Dask workers compare it)."""
    import spacy

    from zhie.nlp.load import config_path

    cfg = spacy.util.load_config(
        config or config_path(), overrides=overrides or {}, interpolate=True
    )
    found: dict[str, Path] = {}
    for value in [*_strings(dict(cfg)), *_strings(list((overrides or {}).values()))]:
        path = _named_path(value)
        if path is not None:
            found.setdefault(value, path)
    return sorted(found.items())


def pipeline_fingerprint(
    config=None,
    overrides: dict | None = None,
    opencc_config: str = "t2s",
    max_chars: int | None = None,
) -> str:
    """16 hex digits of sha256 over version, code, options, config and every file it names."""
    from zhie.nlp.load import config_path

    digest = hashlib.sha256()
    digest.update(
        f"{__version__}|{opencc_config}|{max_chars}|{sorted((overrides or {}).items())}".encode()
    )
    config_file = Path(config or config_path())
    digest.update(config_file.read_bytes())
    _hash_tree(digest, Path(str(files("zhie"))), "code")
    for value, path in config_paths(config, overrides):
        _hash_tree(digest, path, value)
    opencc_file = _named_path(opencc_config)
    if opencc_file is not None:
        _hash_tree(digest, opencc_file, "opencc")
    return digest.hexdigest()[:16]
