"""Where packaged defaults live: rule files in `zhie.rules`, models in `zhie/models` (the folder pipeline/models).

Config values may name a packaged file as `rules:NAME` or `models:NAME`; anything else is a
filesystem path.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PACKAGES = {"rules": ("zhie.rules", ""), "models": ("zhie", "models")}


def resolve_path(value: str | Path) -> Path:
    """A filesystem path for `value` (`rules:userdict.txt`, `models:ner` or a plain path)."""
    text = str(value)
    prefix, sep, name = text.partition(":")
    if sep and prefix in PACKAGES and not Path(text).exists():
        package, sub = PACKAGES[prefix]
        root = files(package)
        if sub:
            root = root / sub
        return Path(str(root / name)) if name else Path(str(root))
    return Path(text)
