"""The spaCy pipeline of zhie, built from its config (`config.cfg`, packaged)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import spacy

# Importing the modules registers the tokenizer and the components with spaCy.
from zhie.nlp import extensions, tokenizer  # noqa: F401
from zhie.nlp.components import (  # noqa: F401
    document,
    events,
    figures,
    mentions,
    ner,
    organisations,
    people,
    rules,
    sentences,
)

DEFAULT_CONFIG = "config.cfg"


def config_path() -> Path:
    """The packaged pipeline config."""
    return Path(str(files("zhie") / DEFAULT_CONFIG))


def load_nlp(config: Path | None = None, overrides: dict | None = None) -> spacy.Language:
    """The spaCy pipeline described by `config` (the packaged config.cfg by default)."""
    extensions.register()
    cfg = spacy.util.load_config(
        config or config_path(), overrides=overrides or {}, interpolate=True
    )
    return spacy.util.load_model_from_config(cfg, auto_fill=True, validate=True)
