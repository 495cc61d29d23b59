"""Loading a NER model folder: its `meta.json` names the type (`embed`, `neural`, or the CRF)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from zhie.ner.charner import CharNER
from zhie.ner.embed import EmbedNER
from zhie.ner.neural import NeuralNER

MODEL_TYPES: dict[str, type[CharNER]] = {"embed": EmbedNER, "neural": NeuralNER, "crf": CharNER}


def load_model(path: Path | str | None = None) -> CharNER:
    """The model of a folder (None: the packaged `models/ner`): ``"model": "embed"`` in its
    meta.json gives the LAC-embedding CNN-CRF (the packaged default), ``"neural"`` the BiLSTM-CRF,
    anything else (or no entry) the CRF."""
    folder = None if path is None else Path(path)
    base = folder if folder is not None else resources.files("zhie") / "models" / "ner"
    meta = json.loads((base / "meta.json").read_text(encoding="utf-8"))
    return MODEL_TYPES.get(meta.get("model", "crf"), CharNER)(folder)
