"""Neural character NER: embeddings + BiLSTM (or dilated CNN) encoder + CRF, inference in numpy.

The network is trained with torch (:mod:`zhie.training.train_neural`, an optional extra); its
weights are exported to ``weights.npz`` and run here with numpy only, so the runtime package
does not need torch. Inputs per character (every one an embedding looked up by id):

- ``c`` the character, ``b-1`` / ``b0`` the bigrams ending / starting at it
- ``w`` the jieba word containing it, ``wp`` its B/M/E/S position and the word length,
  ``wt`` the jieba dictionary tag of the word (proper nouns) with the position
- ``ty`` character class, ``sn`` surname, ``pn`` / ``cn`` / ``os`` person-list, company-list
  and organisation-suffix matches starting / ending at it (the CRF's gazetteer features)

Sentences are split and padded exactly as for the CRF (:class:`zhie.ner.charner.CharNER`,
whose ``predict`` / ``predict_batch`` and batched Viterbi are reused); only the emission
scores differ. Model directory: ``meta.json`` (``"model": "neural"``, inputs, vocab sizes,
tags, scores), ``weights.npz`` (embedding tables and layers), ``vocab.json.gz`` (value ->
id per table) and ``gazetteers.json.gz``.
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from itertools import repeat
from operator import add
from pathlib import Path
from typing import Any

import numpy as np

from zhie.ner.charner import (
    JIEBA_TAGS,
    MATCH_LISTS,
    PAD,
    CharNER,
    Gazetteers,
    _constraints,
    _type_table,
)

# input name -> (table, offset): the value of the input at i is the table's value at i + offset
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
PAD_ID, UNK_ID = 0, 1
VOCAB_TABLES = ("c", "c2", "w")  # looked up in a vocabulary; the others are small integer codes
# code tables: id = code + 1, so the embedding has size + 1 rows (row 0 = padding)
CODE_SIZES = {"ty": 8, "wp": 20, "wt": 32, "sn": 4, "pn": 64, "cn": 64, "os": 64}
HALF_TABLES = ("c2", "w")  # stored as float16 in weights.npz (the large ones)
_TY = "CNDLPSO_"  # character classes of charner._type_table
_POS = "BMES"
_SURNAME_BITS = {"surnames": 3, "surnames2": 4, "rare_surnames": 5}


class NeuralFeatures:
    """Input ids per position of a padded string (as CharNER builds it), computed with numpy.

    vocabs: value lists (id order) for the c, c2 and w tables; gaz: the gazetteer lists.
    """

    def __init__(self, vocabs: dict[str, list], gaz: Gazetteers | None):
        self.lookup = {
            t: {v: i for i, v in enumerate(vals) if v is not None} for t, vals in vocabs.items()
        }
        self.matchers: dict[str, int] = dict(gaz.matchers) if gaz is not None else {}
        if gaz is not None:
            for name, bit in _SURNAME_BITS.items():
                entries = {
                    "surnames": gaz.surnames,
                    "surnames2": gaz.surnames2,
                    "rare_surnames": gaz.rare_surnames,
                }[name]
                for e in entries:
                    self.matchers[e] = self.matchers.get(e, 0) | (1 << bit)
        tags = {t: i + 1 for i, t in enumerate(JIEBA_TAGS)}
        self.word_tag = {w: tags[t] for w, t in gaz.word_tags.items()} if gaz is not None else {}
        self.ty_map = np.zeros(128, np.int64)
        for i, ch in enumerate(_TY):
            self.ty_map[ord(ch)] = i
        self.pos_map = np.zeros(128, np.int64)
        for i, ch in enumerate(_POS):
            self.pos_map[ord(ch)] = i

    def __call__(
        self, s: str, wpos: str, wword: list[str]
    ) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """(ids per table over s, mask of real positions); ids are 0 at padding positions."""
        n = len(s)
        mask = real_mask(s)
        out: dict[str, np.ndarray] = {}
        c2 = list(map(add, s, s[1:] + PAD))
        for table, seq in (("c", s), ("c2", c2), ("w", wword)):
            vocab = self.lookup.get(table)
            if vocab is not None:
                out[table] = np.fromiter(map(vocab.get, seq, repeat(UNK_ID, n)), np.int64, count=n)
        out["ty"] = (
            self.ty_map[np.frombuffer(s.translate(_type_table()).encode("ascii"), np.uint8)] + 1
        )
        wp = np.frombuffer(wpos.encode("ascii"), np.uint8).reshape(n, 2)
        pos = self.pos_map[wp[:, 0]]
        out["wp"] = pos * 5 + (wp[:, 1] - ord("1")) + 1
        tag = np.fromiter(map(self.word_tag.get, wword, repeat(0, n)), np.int64, count=n)
        out["wt"] = tag * 4 + pos + 1
        # dictionary matches of 1..5 characters starting at each position
        grams: list = [s, c2]
        c3 = list(map(add, c2, s[2:] + PAD * 2))
        grams.append(c3)
        c4 = list(map(add, c2, c2[2:] + [PAD * 2] * 2))
        grams += [c4, list(map(add, c4, s[4:] + PAD * 4))]
        hits = [
            np.fromiter(map(self.matchers.get, g, repeat(0, n)), np.int64, count=n) for g in grams
        ]
        h1, h2 = hits[0], hits[1]
        sn = np.where(h2 & (1 << 4), 2, np.where(h1 & (1 << 3), 1, np.where(h1 & (1 << 5), 3, 0)))
        out["sn"] = sn + 1
        for table, (_, bit, lengths) in zip(("pn", "cn", "os"), MATCH_LISTS.values()):
            start = np.zeros(n, np.int64)
            end = np.zeros(n, np.int64)
            for k in lengths:  # ascending: longer matches overwrite shorter ones
                at = np.flatnonzero(hits[k - 1] & (1 << bit))
                start[at] = k
                end[at + k - 1] = k  # grams running past the end contain PAD and never match
            out[table] = start * 8 + end + 1
        for v in out.values():
            v[~mask] = PAD_ID
        return out, mask


@lru_cache(maxsize=1)
def _openblas_threads_local():
    """openblas_set_num_threads_local of numpy's bundled OpenBLAS (None if there is none).

    The matrices here are small: OpenBLAS threads only add synchronisation, and when the
    other cores are busy (pipeline worker processes) their spinning slows a product by 10-20x.
    The setting is per calling thread, so the rest of the process keeps its BLAS threads.
    """
    import ctypes
    import glob
    import os

    for lib in sorted(
        glob.glob(os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs", "*openblas*"))
    ):
        try:
            fn = ctypes.CDLL(lib).openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
        fn.argtypes, fn.restype = [ctypes.c_int], ctypes.c_int
        return fn
    return None


def real_mask(padded: str) -> np.ndarray:
    """True at the characters of sentences, False at the padding between them."""
    return np.frombuffer(padded.encode("utf-32-le"), np.uint32) != ord(PAD)


def shifted(ids: np.ndarray, offset: int, mask: np.ndarray) -> np.ndarray:
    """ids of the value at i + offset, 0 at padding positions (wrapped ends are padding)."""
    if not offset:
        return ids
    out = np.roll(ids, -offset)
    out[~mask] = PAD_ID
    return out


def _sigmoid_scaled(w: np.ndarray, hidden: int) -> np.ndarray:
    """Halve the i, f, o gate rows (torch order i, f, g, o): sigmoid(x) = (tanh(x/2) + 1) / 2."""
    w = w.astype(np.float32).copy()
    w[: 2 * hidden] *= 0.5
    w[3 * hidden :] *= 0.5
    return w


class BiLSTM:
    """A one-layer bidirectional LSTM (torch's nn.LSTM, gate order i, f, g, o) in numpy, over
    sentences laid one after another (rows of consecutive positions); also used by
    :mod:`zhie.ner.embed`. ``a`` holds ``{prefix}.w_ih.f`` / ``.b`` (4H x D), ``w_hh`` (4H x H),
    ``b_ih``, ``b_hh`` per direction (f = forward, b = backward), as the trainers export them."""

    def __init__(self, a: dict[str, np.ndarray], hidden: int, prefix: str = "lstm"):
        h = self.hidden = hidden
        # both directions in one loop: gate columns [i_f i_b f_f f_b o_f o_b g_f g_b] (the
        # sigmoid gates first), state [h_f h_b]; torch's gate order is i, f, g, o
        w_ih = {d: _sigmoid_scaled(a[f"{prefix}.w_ih.{d}"], h) for d in "fb"}  # 4H x D
        b = {d: _sigmoid_scaled(a[f"{prefix}.b_ih.{d}"] + a[f"{prefix}.b_hh.{d}"], h) for d in "fb"}
        w_hh = {d: _sigmoid_scaled(a[f"{prefix}.w_hh.{d}"], h) for d in "fb"}  # 4H x H
        # the input gates: x @ w_in + b_in, D x 8H, columns [f gates | b gates]
        self.w_in = np.concatenate([w_ih["f"], w_ih["b"]]).T.copy()
        self.b_in = np.concatenate([b["f"], b["b"]])
        cols = np.concatenate(
            [np.arange(g * h, (g + 1) * h) + d * 4 * h for g in (0, 1, 3, 2) for d in range(2)]
        )
        self.gate_cols = cols  # fused column j reads column cols[j] of [f gates | b gates]
        blk = np.zeros((2 * h, 8 * h), np.float32)
        blk[:h, : 4 * h] = w_hh["f"].T
        blk[h:, 4 * h :] = w_hh["b"].T
        self.w_hh = np.ascontiguousarray(blk[:, cols])

    def __call__(self, x: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """The hidden states [forward | backward] (rows x 2H) of the sentences of x (rows x D)."""
        pre = x @ self.w_in
        pre += self.b_in
        return self.run(pre, lengths)

    def run(self, pre: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """The hidden states from the input gates pre (rows x 8H, x @ w_in + b_in)."""
        h = self.hidden
        if not len(lengths):
            return np.zeros((len(pre), 2 * h), np.float32)
        starts = np.cumsum(lengths) - lengths
        order = np.argsort(-lengths, kind="stable")
        lens, st = lengths[order], starts[order]
        tmax = int(lens[0])
        active = (lens[None, :] > np.arange(tmax)[:, None]).sum(axis=1)
        # step-major layout: step t holds the first active[t] sentences (longest first)
        t_idx = np.repeat(np.arange(tmax), active)
        s_idx = np.concatenate([np.arange(k) for k in active])
        rows_f = st[s_idx] + t_idx
        rows_b = st[s_idx] + lens[s_idx] - 1 - t_idx
        g_all = np.empty((len(t_idx), 8 * h), np.float32)
        g_all[:, : 4 * h] = pre[rows_f, : 4 * h]
        g_all[:, 4 * h :] = pre[rows_b, 4 * h :]
        g_all = g_all[:, self.gate_cols]
        h_all = np.empty((len(t_idx), 2 * h), np.float32)
        hs = np.zeros((len(lens), 2 * h), np.float32)
        cs = np.zeros((len(lens), 2 * h), np.float32)
        w_hh = self.w_hh
        h2, h4, h6 = 2 * h, 4 * h, 6 * h
        pos = 0
        for k in active.tolist():
            g = hs[:k] @ w_hh
            g += g_all[pos : pos + k]
            np.tanh(g, out=g)
            sig = g[:, :h6]
            sig *= 0.5
            sig += 0.5  # sigmoid(x) = (tanh(x / 2) + 1) / 2; the weights were halved
            c = cs[:k]
            c *= sig[:, h2:h4]  # forget
            c += sig[:, :h2] * g[:, h6:]  # input x candidate
            hk = hs[:k]
            np.tanh(c, out=hk)
            hk *= sig[:, h4:h6]  # output
            h_all[pos : pos + k] = hk
            pos += k
        out = np.empty((len(pre), 2 * h), np.float32)
        out[rows_f, :h] = h_all[:, :h]
        out[rows_b, h:] = h_all[:, h:]
        return out


class NeuralNER(CharNER):
    """The neural NER model; ``zhie.ner.models.load_model`` returns one when meta.json says ``"model": "neural"``."""

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        meta: dict[str, Any] | None = None,
        arrays: dict[str, np.ndarray] | None = None,
        vocabs: dict[str, list] | None = None,
        gaz: Gazetteers | None = None,
    ):
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
        assert arrays is not None and vocabs is not None  # read from path, or given with meta
        self.meta = meta
        self.labels = meta["tags"]
        self.entity_labels = sorted({t[2:] for t in self.labels if t != "O"})
        self.inputs: list[str] = meta["inputs"]
        self.features = NeuralFeatures(vocabs, gaz)
        self.featurizer = self  # CharNER.predict_batch asks featurizer.uses_words
        self.uses_words = True
        self.tables = {
            t: arrays[f"emb.{t}"].astype(np.float32) for t in {INPUTS[n][0] for n in self.inputs}
        }
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

        return Path(path) if path is not None else resources.files("zhie") / "models" / "ner"

    def _prepare_layers(self, a: dict) -> None:
        self.cuts = []
        lo = 0
        for name in self.inputs:
            table, offset = INPUTS[name]
            hi = lo + self.tables[table].shape[1]
            self.cuts.append((name, table, offset, lo, hi))
            lo = hi
        self.width_in = lo
        if self.encoder == "bilstm":
            self.lstm = BiLSTM(a, self.hidden)
            self.w_in, self.b_in = self.lstm.w_in, self.lstm.b_in
        else:
            self.w_in, self.b_in = a["proj.w"].T.copy(), a["proj.b"]
            # torch Conv1d weight: out x in x 3 -> three in x out matrices (left, centre, right)
            self.convs = [
                (
                    int(d),
                    *(np.ascontiguousarray(a[f"conv{i}.w"][:, :, j].T) for j in range(3)),
                    a[f"conv{i}.b"],
                )
                for i, d in enumerate(self.meta["config"]["dilations"])
            ]
        self.w_out, self.b_out = a["out.w"].T.copy(), a["out.b"]

    def emissions(self, padded: str, wpos: str, wword: list[str]) -> np.ndarray:
        """Per-character label scores (len(padded) x labels); padding rows are 0."""
        one_thread = _openblas_threads_local()
        if one_thread is None:
            return self._emissions(padded, wpos, wword)
        before = one_thread(1)
        try:
            return self._emissions(padded, wpos, wword)
        finally:
            one_thread(before)

    def _emissions(self, padded: str, wpos: str, wword: list[str]) -> np.ndarray:
        ids, mask = self.features(padded, wpos, wword)
        keep = np.flatnonzero(mask)
        x = np.empty((len(keep), self.width_in), np.float32)
        for _name, table, offset, lo, hi in self.cuts:
            x[:, lo:hi] = self.tables[table][shifted(ids[table], offset, mask)[keep]]
        pre = x @ self.w_in
        pre += self.b_in
        # sentences = runs of consecutive real positions
        edges = np.diff(np.concatenate([[0], mask.view(np.int8), [0]]))
        lengths = np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)
        hid = self._bilstm(pre, lengths) if self.encoder == "bilstm" else self._cnn(pre, lengths)
        out = np.zeros((len(padded), self.w_out.shape[1]), np.float32)
        out[keep] = hid @ self.w_out + self.b_out
        return out

    def _bilstm(self, pre: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        return self.lstm.run(pre, lengths)

    def _cnn(self, pre: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        # stream with a zero gap between sentences as wide as the widest dilation
        gap = max(c[0] for c in self.convs)
        pos = np.arange(len(pre)) + np.repeat(gap * (np.arange(len(lengths)) + 1), lengths)
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
