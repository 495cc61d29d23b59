"""Neural character NER: embeddings + BiLSTM (or dilated CNN) encoder + CRF, inference in numpy.

The network is trained with torch (:mod:`pipeline.train_neural`, an optional extra); its
weights are exported to ``weights.npz`` and run here with numpy only, so the runtime package
does not need torch. Inputs per character (every one an embedding looked up by id):

- ``c`` the character, ``b-1`` / ``b0`` the bigrams ending / starting at it
- ``w`` the jieba word containing it, ``wp`` its B/M/E/S position and the word length,
  ``wt`` the jieba dictionary tag of the word (proper nouns) with the position
- ``ty`` character class, ``sn`` surname, ``pn`` / ``cn`` / ``os`` person-list, company-list
  and organisation-suffix matches starting / ending at it (the CRF's gazetteer features)

Sentences are split and padded exactly as for the CRF (:class:`pipeline.charner.CharNER`,
whose ``predict`` / ``predict_batch`` and batched Viterbi are reused); only the emission
scores differ. Model directory: ``meta.json`` (``"model": "neural"``, inputs, vocab sizes,
tags, scores), ``weights.npz`` (embedding tables and layers), ``vocab.json.gz`` (value ->
id per table) and ``gazetteers.json.gz``.
"""

from __future__ import annotations

import gzip
import json
from itertools import repeat
from pathlib import Path

import numpy as np

from pipeline.charner import PAD, CharNER, Featurizer, Gazetteers, _constraints

# input name -> (table, offset): the value of the input at i is table-base[i + offset]
INPUTS = {
    "c": ("c", 0),
    "b-1": ("c2", -1),
    "b0": ("c2", 0),
    "w": ("w", 0),
    "ty": ("ty", 0),
    "wp": ("wp", 0),
    "wt": ("wt", 0),
    "sn": ("sn", 0),
    "pn": ("pn", 0),
    "cn": ("cn", 0),
    "os": ("os", 0),
}
# Featurizer templates whose bases cover the tables above ("w" is the plain word, see table_values)
FEATURIZER_TEMPLATES = ("u0", "b0", "ty0", "wp", "wt", "w", "sn", "pn", "cn", "os")
PAD_ID, UNK_ID = 0, 1
# tables stored as float16 in weights.npz (the large ones); everything else float32
HALF_TABLES = ("c2", "w")


def table_values(featurizer: Featurizer, padded: str, wpos: str, wword: list[str]) -> dict[str, list[str] | str]:
    """Per table: one value per position of the padded string."""
    bases = featurizer.bases(padded, wpos, wword)
    out = {t: bases[t] for t in ("c", "c2", "ty", "wp", "wt", "sn", "pn", "cn", "os") if t in bases}
    if "wp" in bases:
        out["w"] = wword  # the word itself; its position is in wp
    return out


def real_mask(padded: str) -> np.ndarray:
    """True at the characters of sentences, False at the padding between them."""
    return np.frombuffer(padded.encode("utf-32-le"), np.uint32) != ord(PAD)


def input_ids(values: dict[str, list[str] | str], vocabs: dict[str, dict[str, int]], inputs, mask: np.ndarray) -> dict[str, np.ndarray]:
    """Per input: ids over the padded string (0 at padding, 1 for unknown values)."""
    n = len(mask)
    by_table: dict[str, np.ndarray] = {}
    out = {}
    for name in inputs:
        table, offset = INPUTS[name]
        if table not in by_table:
            vocab = vocabs[table]
            by_table[table] = np.fromiter(map(vocab.get, values[table], repeat(UNK_ID, n)), np.int64, count=n)
        ids = by_table[table]
        if offset:
            ids = np.roll(ids, -offset)  # wrapped ends land on padding positions only
        out[name] = np.where(mask, ids, PAD_ID)
    return out


def _sigmoid_scaled(w: np.ndarray, hidden: int) -> np.ndarray:
    """Halve the i, f, o gate rows (torch order i, f, g, o): sigmoid(x) = (tanh(x/2) + 1) / 2."""
    w = w.astype(np.float32).copy()
    w[:2 * hidden] *= 0.5
    w[3 * hidden:] *= 0.5
    return w


class NeuralNER(CharNER):
    """The neural NER model; ``CharNER.load`` returns one when meta.json says ``"model": "neural"``."""

    def __init__(self, path=None, *, meta: dict | None = None, arrays: dict | None = None,
                 vocabs: dict | None = None, gaz: Gazetteers | None = None):
        if meta is None:
            base = self._base(path)
            meta = json.loads((base / "meta.json").read_text(encoding="utf-8"))
            with (base / "weights.npz").open("rb") as fh:
                npz = np.load(fh)
                arrays = {k: npz[k] for k in npz.files}
            with (base / "vocab.json.gz").open("rb") as fh:
                vocabs = json.loads(gzip.decompress(fh.read()).decode("utf-8"))
            gaz = None
            if (base / "gazetteers.json.gz").is_file():
                with (base / "gazetteers.json.gz").open("rb") as fh:
                    gaz = Gazetteers(json.loads(gzip.decompress(fh.read()).decode("utf-8")))
        self.meta = meta
        self.labels = meta["tags"]
        self.entity_labels = sorted({t[2:] for t in self.labels if t != "O"})
        self.inputs: list[str] = meta["inputs"]
        self.templates = list(FEATURIZER_TEMPLATES)
        self.featurizer = Featurizer(self.templates, gaz)
        self.vocabs = {t: {v: i for i, v in enumerate(vals)} for t, vals in vocabs.items()}
        self.tables = {t: arrays[f"emb.{t}"].astype(np.float32) for t in {INPUTS[n][0] for n in self.inputs}}
        self.encoder = meta["config"]["encoder"]
        self.hidden = meta["config"]["hidden"]
        a = {k: v.astype(np.float32) for k, v in arrays.items() if not k.startswith("emb.")}
        self._prepare_layers(a)
        self.trans = a["crf.trans"]
        start, self._allowed, end = _constraints(self.labels)
        self._start = start + a["crf.start"]
        self._end = end + a["crf.end"]
        self._tokenizer = None

    @staticmethod
    def _base(path):
        from importlib import resources

        return Path(path) if path is not None else resources.files("pipeline") / "models" / "ner"

    def _prepare_layers(self, a: dict) -> None:
        # the first layer is split by input: x @ W = sum over inputs of table[ids] @ W_part
        dims = [self.tables[INPUTS[n][0]].shape[1] for n in self.inputs]
        cuts = np.cumsum([0] + dims)
        if self.encoder == "bilstm":
            h = self.hidden
            self.w_ih = {d: _sigmoid_scaled(a[f"lstm.w_ih.{d}"], h).T for d in ("f", "b")}
            self.b = {d: _sigmoid_scaled(a[f"lstm.b_ih.{d}"] + a[f"lstm.b_hh.{d}"], h) for d in ("f", "b")}
            self.w_hh = {d: np.ascontiguousarray(_sigmoid_scaled(a[f"lstm.w_hh.{d}"], h).T) for d in ("f", "b")}
            w_in = np.concatenate([self.w_ih["f"], self.w_ih["b"]], axis=1)  # D x 8H
            b_in = np.concatenate([self.b["f"], self.b["b"]])
        else:
            w_in, b_in = a["proj.w"].T, a["proj.b"]
            # torch Conv1d weight: out x in x 3 -> three in x out matrices (left, centre, right)
            self.convs = [(int(d), *(np.ascontiguousarray(a[f"conv{i}.w"][:, :, j].T) for j in range(3)), a[f"conv{i}.b"])
                          for i, d in enumerate(self.meta["config"]["dilations"])]
        # fold each small-vocabulary table into its slice of the first layer: one row look-up
        self.first: dict[str, tuple[str, np.ndarray]] = {}
        self.project: list[tuple[str, np.ndarray, np.ndarray]] = []
        for name, lo, hi in zip(self.inputs, cuts[:-1], cuts[1:]):
            table = INPUTS[name][0]
            part = np.ascontiguousarray(w_in[lo:hi])
            if table in HALF_TABLES:  # large vocabulary: look up, then project
                self.project.append((name, self.tables[table], part))
            else:
                self.first[name] = self.tables[table] @ part
        self.b_in = b_in.astype(np.float32)
        self.w_out, self.b_out = a["out.w"].T.copy(), a["out.b"]

    def _first_layer(self, ids: dict[str, np.ndarray]) -> np.ndarray:
        """Pre-activations of the first layer over all positions (N x width)."""
        total = None
        for name, folded in self.first.items():
            rows = folded[ids[name]]
            total = rows if total is None else total + rows
        for name, table, part in self.project:
            total += table[ids[name]] @ part
        return total + self.b_in

    def emissions(self, padded: str, wpos: str, wword: list[str]) -> np.ndarray:
        """Per-character label scores (len(padded) x labels); padding rows are arbitrary."""
        mask = real_mask(padded)
        values = table_values(self.featurizer, padded, wpos, wword)
        ids = input_ids(values, self.vocabs, self.inputs, mask)
        keep = np.flatnonzero(mask)
        ids = {k: v[keep] for k, v in ids.items()}
        pre = self._first_layer(ids)  # real positions only
        # sentence runs of consecutive real positions
        starts_mask = mask & ~np.concatenate([[False], mask[:-1]])
        ends_mask = mask & ~np.concatenate([mask[1:], [False]])
        lengths = np.flatnonzero(ends_mask) - np.flatnonzero(starts_mask) + 1
        if self.encoder == "bilstm":
            hid = self._bilstm(pre, lengths)
        else:
            hid = self._cnn(pre, lengths)
        out = np.zeros((len(padded), self.w_out.shape[1]), np.float32)
        out[keep] = hid @ self.w_out + self.b_out
        return out

    def _bilstm(self, pre: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        h = self.hidden
        m = len(pre)
        starts = np.cumsum(lengths) - lengths
        order = np.argsort(-lengths, kind="stable")
        lens = lengths[order]
        st = starts[order]
        tmax = int(lens[0])
        active = (lens[None, :] > np.arange(tmax)[:, None]).sum(axis=1)
        out = np.empty((m, 2 * h), np.float32)
        for d, col in (("f", 0), ("b", 1)):
            gates_in = np.ascontiguousarray(pre[:, col * 4 * h : (col + 1) * 4 * h])
            w_hh = self.w_hh[d]
            hs = np.zeros((len(lens), h), np.float32)
            cs = np.zeros((len(lens), h), np.float32)
            for t in range(tmax):
                k = active[t]
                rows = st[:k] + t if d == "f" else st[:k] + lens[:k] - 1 - t
                g = gates_in[rows]
                g += hs[:k] @ w_hh
                np.tanh(g, out=g)
                c = cs[:k]
                c *= g[:, h : 2 * h] + 1
                c += (g[:, :h] + 1) * g[:, 2 * h : 3 * h]
                c *= 0.5  # c = f c + i g with f = (tf + 1) / 2, i = (ti + 1) / 2
                hs[:k] = (g[:, 3 * h :] + 1) * 0.5 * np.tanh(c)
                out[rows, col * h : (col + 1) * h] = hs[:k]
        return out

    def _cnn(self, pre: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        # stream with a zero gap between sentences as wide as the widest dilation
        gap = max(c[0] for c in self.convs)
        starts = np.cumsum(lengths) - lengths
        pos = np.repeat(starts + gap * (np.arange(len(lengths)) + 1), lengths) + (
            np.arange(len(pre)) - np.repeat(starts, lengths))
        n = int(pos[-1]) + 1 + gap if len(pos) else 0
        x = np.zeros((n, pre.shape[1]), np.float32)
        x[pos] = np.maximum(pre, 0)
        keep = np.zeros((n, 1), np.float32)
        keep[pos] = 1.0
        for d, w0, w1, w2, b in self.convs:  # residual dilated convolutions, relu
            y = x @ w1
            y[d:] += x[:-d] @ w0
            y[:-d] += x[d:] @ w2
            y += b
            np.maximum(y, 0, out=y)
            y *= keep  # keep the gaps zero like the padding in training
            x += y
        return x[pos]
