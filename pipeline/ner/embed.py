"""Character NER with pretrained Baidu LAC embeddings: dilated CNN + CRF, inference in numpy.

The network (trained with torch by :mod:`zhie.training.train_embed`; torch is not needed here):

- inputs per character, each an embedding looked up by id: the LAC character vector (128,
  frozen, from Baidu LAC 2.1.2's input table, Apache-2.0, see ``NOTICE`` in the model folder),
  the LAC word vector of the jieba word that holds the character (frozen), a trained character
  vector, the trained bigrams ending and starting at it, the trained jieba word vector, its
  B/M/E/S position and length, the jieba dictionary tag, the character class and the
  gazetteer matches of :mod:`zhie.ner.charner` (surnames, person names, company short names,
  organisation suffix words);
- a linear projection + ReLU, residual dilated convolutions (kernel 3), a linear layer to
  BIOES tag scores and a CRF whose Viterbi is :class:`zhie.ner.charner.CharNER`'s. The config
  key ``encoder`` (training: :data:`zhie.training.train_embed.ENCODERS`) can replace the
  convolutions by a BiLSTM (``"bilstm"``) or add one over them (``"cnn+bilstm"``), run by
  :class:`zhie.ner.neural.BiLSTM`; the shipped model is ``"cnn"`` (the default).

Everything runs as matrix operations over all sentences of a text at once: the sentences are
laid out in one stream separated by zero gaps as wide as the widest dilation, which is what
the zero padding of a batch gives in training. Tables whose projection is cheap to keep are
multiplied by their slice of the projection at load time, so that the first layer is a sum
of row look-ups.

Model directory: ``meta.json`` (``"model": "embed"``, config, tags, vocabulary sizes, scores),
``weights.npz`` (embedding tables, float16; layers, float32), ``vocab.json.gz`` (values of the
trained tables and the LAC rows kept), ``gazetteers.json.gz``, ``NOTICE``.
"""

from __future__ import annotations

import gzip
import json
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from zhie.ner.charner import (
    JIEBA_TAGS,
    MATCH_LISTS,
    PAD,
    CharNER,
    Gazetteers,
    _constraints,
    _release_freed_memory,
    _type_table,
)
from zhie.ner.neural import BiLSTM, _openblas_threads_local

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

# input name -> (table, offset): the input at character i is the table's id at i + offset
# (offset "b" / "e": the ids of the LAC-lexicon matches starting / ending at i, not shifted)
INPUTS: dict[str, tuple[str, int | str]] = {
    "lc": ("lc", 0),  # LAC character vector (frozen)
    "lw": ("lw", 0),  # LAC word vector of the jieba word holding the character (frozen)
    "c": ("c", 0),  # trained character vector
    "b-1": ("c2", -1),  # trained bigram ending at i
    "b0": ("c2", 0),  # trained bigram starting at i
    "w": ("w", 0),  # trained jieba word vector
    "lb": ("lw", "b"),  # LAC word vector of the longest LAC word (2-8 characters) starting at i
    "le": ("lw", "e"),  # ... and of the longest one ending at i
    "wp": ("wp", 0),  # B/M/E/S position in the word x word length 1..5
    "wt": ("wt", 0),  # jieba dictionary tag of the word (proper nouns) x position
    "ty": ("ty", 0),  # character class
    "sn": ("sn", 0),  # surname: common / compound / rare
    "pn": ("pn", 0),  # person-name list: longest match starting / ending here
    "cn": ("cn", 0),  # company short-name list
    "os": ("os", 0),  # organisation suffix words
    "src": ("src", 0),  # the annotation convention asked for (CONVENTIONS)
}
# Annotation conventions the model learns side by side (an input and a bias on the tag scores):
# the corpus a training sentence comes from says which one it follows. The pipeline asks for
# "news", this project's guidelines (corpus/gold/GUIDELINES.md); scoring on MSRA-style BIO files
# asks for "msra", on CLUENER files for "cluener".
CONVENTIONS = ("msra", "cluener", "news")
PAD_ID, UNK_ID = 0, 1
VOCAB_TABLES = ("c", "c2", "w")  # trained tables with a vocabulary (ids 0, 1: padding, unknown)
LAC_TABLES = ("lc", "lw")  # LAC tables: row 0 padding / no word, row 1 LAC's OOV
# code tables: id = code + 1, the table has size + 1 rows (row 0 = padding)
CODE_SIZES = {"ty": 8, "wp": 20, "wt": 32, "sn": 4, "pn": 64, "cn": 64, "os": 64, "src": 3}
_TY = "CNDLPSO_"  # character classes of charner._type_table
MAX_CP = 0x30000
LEXICON_MAX = 8  # longest LAC word matched by the lexicon inputs  # code points at or above share the unknown id in the character tables
_MIX = np.uint64(0x9E3779B97F4A7C15)  # multiplier of the n-gram hashes (odd, 64-bit)


def _cps(s: str) -> np.ndarray:
    cps = np.frombuffer(s.encode("utf-32-le"), np.uint32).astype(np.int64)
    cps[cps >= MAX_CP] = MAX_CP - 1  # a private-use code point: never a vocabulary entry
    return cps


def gram_hashes(cps: np.ndarray, k_max: int) -> list[np.ndarray]:
    """hashes[k - 1][i]: a 64-bit hash of the k characters starting at i (running past the end: padded)."""
    n = len(cps)
    ext = np.concatenate([cps, np.full(k_max, ord(PAD), np.int64)]).astype(np.uint64)
    out = []
    h = np.zeros(n, np.uint64)
    with np.errstate(over="ignore"):
        for k in range(k_max):
            h = (h + ext[k : k + n] + np.uint64(1)) * _MIX
            h ^= h >> np.uint64(29)
            out.append(h.copy())
    return out


def hash_strings(texts: list[str]) -> np.ndarray:
    """The gram_hashes value of each whole string, computed per length at once."""
    out = np.zeros(len(texts), np.uint64)
    by_len: dict[int, list[int]] = {}
    for i, t in enumerate(texts):
        by_len.setdefault(len(t), []).append(i)
    for k, idx in by_len.items():
        if k == 0:
            continue
        cps = _cps("".join(texts[i] for i in idx)).reshape(len(idx), k).astype(np.uint64)
        h = np.zeros(len(idx), np.uint64)
        with np.errstate(over="ignore"):
            for j in range(k):
                h = (h + cps[:, j] + np.uint64(1)) * _MIX
                h ^= h >> np.uint64(29)
        out[idx] = h
    return out


_FIB = np.uint64(0x9E3779B97F4A7C15)


class IntTable:
    """An open-addressing hash table from non-zero uint64 keys to int64 values, looked up for
    whole arrays at once (a few vectorised probes instead of one dictionary call per key)."""

    def __init__(self, keys: np.ndarray, vals: np.ndarray, default: int):
        keys = np.asarray(keys, np.uint64)
        self.bits = max(4, int(np.ceil(np.log2(max(1, len(keys)) * 3))))
        size = 1 << self.bits
        self.default = default
        self.keys = np.zeros(size, np.uint64)  # 0 = empty slot
        self.vals = np.full(size, default, np.int64)
        slot = self._slot(keys)
        pending = np.arange(len(keys))
        while len(pending):
            s = slot[pending]
            free = self.keys[s] == 0
            cand, cs = pending[free], s[free]
            uniq, first = np.unique(cs, return_index=True)
            winners = cand[first]
            self.keys[uniq] = keys[winners]
            self.vals[uniq] = vals[winners]
            placed = np.zeros(len(keys), bool)
            placed[winners] = True
            pending = pending[~placed[pending]]
            slot[pending] = (slot[pending] + 1) & (size - 1)

    def _slot(self, h: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            return ((h * _FIB) >> np.uint64(64 - self.bits)).astype(np.int64)

    def lookup(self, h: np.ndarray) -> np.ndarray:
        """The value of every key of h (the table's default for keys it does not hold)."""
        h = np.asarray(h, np.uint64)
        out = np.full(len(h), self.default, np.int64)
        slot = self._slot(h)
        todo = np.arange(len(h))
        mask = len(self.keys) - 1
        while len(todo):
            s = slot[todo]
            k = self.keys[s]
            hit = k == h[todo]
            out[todo[hit]] = self.vals[s[hit]]  # (int8 bit masks widen to int64)
            todo = todo[(k != 0) & ~hit]
            slot[todo] = (slot[todo] + 1) & mask
        return out


class HashSet(IntTable):
    """A set of strings matched by their 64-bit n-gram hashes, with a bit mask per entry (int8)."""

    def __init__(self, entries: dict[str, int]):
        super().__init__(hash_strings(list(entries)), np.array(list(entries.values()), np.int64), 0)
        self.vals = self.vals.astype(np.int8)


class EmbedFeatures:
    """Input ids for a padded string (as CharNER.predict_batch builds it), with numpy.

    vocabs: value lists in id order for the trained tables c, c2, w and the LAC tables lc
    (characters), lw (words); gaz: the gazetteer lists.
    """

    def __init__(self, vocabs: dict[str, list], gaz: Gazetteers | None):
        self.char_ids = {}
        for table in ("c", "lc"):
            arr = np.full(MAX_CP, UNK_ID, np.int32)
            for i, ch in enumerate(vocabs.get(table, [])):
                if ch is not None and len(ch) == 1 and ord(ch) < MAX_CP - 1:
                    arr[ord(ch)] = i
            if table == "lc":  # characters that LAC's q2b.dic maps onto one of its characters
                for a, b in vocabs.get("lc_alias", []):
                    if ord(a) < MAX_CP - 1 and ord(b) < MAX_CP - 1:
                        arr[ord(a)] = arr[ord(b)]
            arr[ord(PAD)] = PAD_ID
            self.char_ids[table] = arr
        bigrams = [(i, v) for i, v in enumerate(vocabs.get("c2", [])) if v is not None]
        keys = np.array([ord(v[0]) * MAX_CP + ord(v[1]) for _, v in bigrams], np.uint64)
        self.bigrams = IntTable(keys, np.array([i for i, _ in bigrams], np.int64), UNK_ID)
        self.bigrams.vals = self.bigrams.vals.astype(np.int32)
        word_ids = {
            t: {v: i for i, v in enumerate(vocabs.get(t, [])) if v is not None} for t in ("w", "lw")
        }
        ty_codes = np.zeros(128, np.int64)
        for i, ch in enumerate(_TY):
            ty_codes[ord(ch)] = i
        self.ty = np.full(MAX_CP, ty_codes[ord("O")], np.int8)
        for cp, cls in _type_table().items():
            if cp < MAX_CP:
                self.ty[cp] = ty_codes[ord(cls)]
        entries: dict[str, int] = {}
        if gaz is not None:
            entries.update(gaz.matchers)  # bits 0-2: person names, company names, suffix words
            for bit, group in ((3, gaz.surnames), (4, gaz.surnames2), (5, gaz.rare_surnames)):
                for e in group:
                    entries[e] = entries.get(e, 0) | (1 << bit)
            tags = {t: i + 1 for i, t in enumerate(JIEBA_TAGS)}
            word_tag = {w: tags[t] for w, t in gaz.word_tags.items()}
        else:
            word_tag = {}
        # one table for every string matched in the text: gazetteer bits (low 8 bits) and the
        # row of a LAC word (the bits above), one look-up per n-gram length
        for row, w in enumerate(vocabs.get("lw", [])):
            if w is not None and len(w) <= LEXICON_MAX:
                entries[w] = entries.get(w, 0) | (row << 8)
        self.strings = IntTable(
            hash_strings(list(entries)), np.array(list(entries.values()), np.int64), 0
        )
        self.strings.vals = self.strings.vals.astype(np.int32)
        self.lexicon_max = min(
            LEXICON_MAX, max((len(w) for w in vocabs.get("lw", []) if w), default=0)
        )
        # one table for the word inputs: word -> (trained id, LAC id, tag code) packed in an int;
        # words of one character have no LAC word vector (their LAC vector is the character's).
        # Keyed by the n-gram hash of the word's characters, as found in the text (no strings kept)
        self.word_default = UNK_ID << 32
        words = sorted(set(word_ids["w"]) | set(word_ids["lw"]) | set(word_tag))
        packed = [
            (word_ids["w"].get(w, UNK_ID) << 32)
            | ((word_ids["lw"].get(w, PAD_ID) if len(w) > 1 else PAD_ID) << 8)
            | word_tag.get(w, 0)
            for w in words
        ]
        self.words = IntTable(hash_strings(words), np.array(packed, np.int64), self.word_default)
        self.pos_map = np.zeros(128, np.int64)
        for i, ch in enumerate("BMES"):
            self.pos_map[ord(ch)] = i
        self.convention = "news"

    def __call__(
        self, s: str, wpos: str, wword: list[str]
    ) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """(ids per table over s, mask of real positions); ids are 0 at padding positions."""
        n = len(s)
        cps = _cps(s)
        mask = cps != ord(PAD)
        out: dict[str, np.ndarray] = {}
        for table, arr in self.char_ids.items():
            out[table] = arr[cps].astype(np.int64)
        key = cps * MAX_CP + np.concatenate([cps[1:], [ord(PAD)]])
        out["c2"] = self.bigrams.lookup(key.astype(np.uint64))
        grams = gram_hashes(cps, max(5, self.lexicon_max))
        # jieba words: one lookup per word (the hash of its characters at its first one), spread
        # over its characters
        wp = np.frombuffer(wpos.encode("ascii"), np.uint8).reshape(n, 2)
        pos = self.pos_map[wp[:, 0]]
        starts = (wp[:, 0] == ord("B")) | (wp[:, 0] == ord("S"))
        first = np.flatnonzero(starts)
        owner = np.cumsum(starts) - 1
        lengths = np.diff(np.append(first, n))
        # a word is its characters from one B/S to the next, unless a sentence was cut inside it
        # (a piece's last word then ends before its E; the PAD before a piece that starts inside
        # a word runs on into it): those are hashed from their word strings, as given
        last = first + lengths - 1
        whole = np.where(lengths == 1, wp[first, 0] == ord("S"), wp[first, 0] == ord("B"))
        whole &= (lengths == 1) | (wp[last, 0] == ord("E"))
        word_hash = np.zeros(len(first), np.uint64)
        for k in np.unique(lengths).tolist():
            at = np.flatnonzero((lengths == k) & whole)
            if k <= len(grams):
                word_hash[at] = grams[k - 1][first[at]]
            else:  # longer than the n-grams computed: hash those words on their own
                word_hash[at] = hash_strings([s[i : i + k] for i in first[at].tolist()])
        cut = np.flatnonzero(~whole)
        if len(cut):
            word_hash[cut] = hash_strings([wword[i] for i in first[cut].tolist()])
        packed = self.words.lookup(word_hash)[owner]
        out["w"] = packed >> 32
        out["lw"] = (packed >> 8) & 0xFFFFFF
        tag = packed & 0xFF
        out["wp"] = pos * 5 + (wp[:, 1] - ord("1")) + 1
        out["wt"] = tag * 4 + pos + 1
        out["ty"] = self.ty[cps].astype(np.int64) + 1
        # one look-up for all n-gram lengths
        found = np.split(self.strings.lookup(np.concatenate(grams)), len(grams))
        hits = [f & 0xFF for f in found[:5]]
        # the LAC lexicon: longest word starting / ending at each character
        lb = np.zeros(n, np.int64)
        le = np.zeros(n, np.int64)
        for k in range(2, self.lexicon_max + 1):
            row = found[k - 1] >> 8
            at = np.flatnonzero(row)
            lb[at] = row[at]
            le[np.minimum(at + k - 1, n - 1)] = row[at]
        out["lw:b"], out["lw:e"] = lb, le
        out["src"] = np.full(n, CONVENTIONS.index(self.convention) + 1, np.int64)
        h1, h2 = hits[0], hits[1]
        sn = np.where(h2 & (1 << 4), 2, np.where(h1 & (1 << 3), 1, np.where(h1 & (1 << 5), 3, 0)))
        out["sn"] = sn + 1
        for table, (_, bit, lengths) in zip(("pn", "cn", "os"), MATCH_LISTS.values()):
            start = np.zeros(n, np.int64)
            end = np.zeros(n, np.int64)
            for k in lengths:  # ascending: longer matches overwrite shorter ones
                at = np.flatnonzero(hits[k - 1] & (1 << bit))
                start[at] = k
                end[np.minimum(at + k - 1, n - 1)] = k  # grams past the end hold PAD: never matched
            out[table] = start * 8 + end + 1
        for v in out.values():
            v[~mask] = PAD_ID
        return out, mask


def input_ids(ids: dict[str, np.ndarray], name: str, mask: np.ndarray) -> np.ndarray:
    """The ids of input `name` at every position (see INPUTS)."""
    table, offset = INPUTS[name]
    if isinstance(offset, str):
        return ids[f"{table}:{offset}"]
    return shifted(ids[table], offset, mask)


def shifted(ids: np.ndarray, offset: int, mask: np.ndarray) -> np.ndarray:
    """ids of the value at i + offset, 0 at padding positions (the ends wrap onto padding)."""
    if not offset:
        return ids
    out = np.roll(ids, -offset)
    out[~mask] = PAD_ID
    return out


def load_files(
    base: Traversable,
) -> tuple[dict[str, Any], dict[str, np.ndarray], dict[str, list], Gazetteers | None]:
    """(meta, arrays, vocabs, gazetteers) of a model directory (a Path or a resources Traversable)."""
    meta, vocabs, gaz = load_lists(base)
    return meta, load_arrays(base), vocabs, gaz


def load_arrays(base: Traversable) -> dict[str, np.ndarray]:
    """The arrays of a model directory's weights.npz (tables float16, layers float32)."""
    with (base / "weights.npz").open("rb") as fh:
        npz = np.load(fh)
        return {k: npz[k] for k in npz.files}


def load_lists(base: Traversable) -> tuple[dict[str, Any], dict[str, list], Gazetteers | None]:
    """(meta, vocabs, gazetteers) of a model directory."""
    meta = json.loads((base / "meta.json").read_text(encoding="utf-8"))
    with (base / "vocab.json.gz").open("rb") as fh:
        vocabs = json.loads(gzip.decompress(fh.read()).decode("utf-8"))
    gaz = None
    if (base / "gazetteers.json.gz").is_file():
        with (base / "gazetteers.json.gz").open("rb") as fh:
            gaz = Gazetteers(json.loads(gzip.decompress(fh.read()).decode("utf-8")))
    return meta, vocabs, gaz


class EmbedNER(CharNER):
    """The LAC-embedding CNN-CRF; ``zhie.ner.models.load_model`` returns one when meta.json says ``"model": "embed"``."""

    # tables multiplied by their projection slice at load when rows x width stays under this
    PREPROJECT_MAX = 500_000
    # projections of a big shared table kept in float16 (38 MB instead of 77 MB per worker;
    # emissions move by about 1e-3, see tests/test_embedner.py)
    HALF_PROJECTIONS = True

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        meta: dict[str, Any] | None = None,
        arrays: dict[str, np.ndarray] | None = None,
        vocabs: dict[str, list] | None = None,
        gaz: Gazetteers | None = None,
    ):
        base: Traversable | None = None
        if meta is None:
            base = Path(path) if path is not None else resources.files("zhie") / "models" / "ner"
            meta, vocabs, gaz = load_lists(base)
        assert vocabs is not None  # read from path, or given with meta
        self.meta = meta
        self.labels = meta["tags"]
        self.entity_labels = sorted({t[2:] for t in self.labels if t != "O"})
        self.inputs: list[str] = meta["inputs"]
        self.features = EmbedFeatures(vocabs, gaz)
        del vocabs, gaz  # the word lists are done with before the tables load: a lower peak
        if base is not None:
            _release_freed_memory()
            arrays = load_arrays(base)
        assert arrays is not None  # read from path, or given with meta
        self.featurizer = self  # CharNER.predict_batch asks featurizer.uses_words
        self.uses_words = True
        self.dilations = [int(d) for d in meta["config"]["dilations"]]
        # float32 copies only of the small arrays; the big tables are cast one at a time below
        a = {k: v.astype(np.float32) for k, v in arrays.items() if v.size < 1_000_000}
        w_in = a["proj.w"].T  # D x width
        width = w_in.shape[1]
        self.b_in = a["proj.b"]
        # per input: its table and either a projected table (rows x width) or the raw table
        # with its slice of the projection
        self.summed: list[tuple[str, np.ndarray]] = []
        self.concat: list[tuple[str, np.ndarray]] = []
        raw_slices = []
        lo = 0
        for name in self.inputs:
            table, offset = INPUTS[name]
            stored = arrays[f"emb.{table}"]
            emb = a.get(f"emb.{table}")
            if emb is None:
                emb = stored.astype(np.float32)
            hi = lo + emb.shape[1]
            # projected when that does not make the table larger (or it stays small); a big table
            # read by several inputs (lw: lw, lb, le) would need one projection per input
            shared = sum(INPUTS[other][0] == table for other in self.inputs) > 1
            if emb.shape[0] * width <= self.PREPROJECT_MAX or (
                emb.shape[1] >= width and not shared
            ):
                self.summed.append((name, emb @ w_in[lo:hi]))
            elif emb.shape[1] >= width:  # lw, read by lw, lb and le: one projection each, float16
                proj = emb @ w_in[lo:hi]
                self.summed.append(
                    (name, proj.astype(np.float16) if self.HALF_PROJECTIONS else proj)
                )
            else:  # the bigram table: kept as stored (float16), 16 MB less per worker
                self.concat.append((name, stored))
                raw_slices.append(w_in[lo:hi])
            lo = hi
            del emb
        self.w_concat = np.ascontiguousarray(np.concatenate(raw_slices)) if raw_slices else None
        # the encoder (config "encoder"): the convolutions, a BiLSTM, or a BiLSTM over them
        encoder = meta["config"].get("encoder", "cnn")
        if encoder not in ("cnn", "bilstm", "cnn+bilstm"):
            raise ValueError(f"unknown encoder {encoder!r} in the model's meta.json")
        # torch Conv1d weight (out x in x 3) -> in x (3 out): the left, centre and right taps side by side
        self.convs = [
            (
                d,
                np.ascontiguousarray(
                    np.concatenate([a[f"conv{i}.w"][:, :, j].T for j in range(3)], axis=1)
                ),
                a[f"conv{i}.b"],
            )
            for i, d in enumerate(self.dilations)
            if encoder != "bilstm"
        ]
        self.lstm = BiLSTM(a, int(meta["config"]["hidden"])) if "bilstm" in encoder else None
        self.w_out, self.b_out = np.ascontiguousarray(a["out.w"].T), a["out.b"]
        self.src_bias = a.get("src.bias")  # convention x tags (row 0: padding)
        self.convention = meta.get("convention", "news")
        self.trans = a["crf.trans"]
        start, self._allowed, end = _constraints(self.labels)
        self._start = start + a["crf.start"]
        self._end = end + a["crf.end"]
        self._tokenizer = None
        del a, arrays
        _release_freed_memory()

    @property
    def convention(self) -> str:
        """The annotation convention the model follows (CONVENTIONS; "news" in the pipeline)."""
        return self.features.convention

    @convention.setter
    def convention(self, value: str) -> None:
        if value not in CONVENTIONS:
            raise ValueError(f"unknown annotation convention {value!r}: {', '.join(CONVENTIONS)}")
        self.features.convention = value

    def predict_batch(self, texts, words=None):
        """CharNER.predict_batch, with spans never starting or ending in whitespace (a sentence
        piece keeps its line break, and the model may take it into a name)."""
        out = []
        for text, spans in zip(texts, super().predict_batch(texts, words)):
            kept = []
            for start, end, label in spans:
                while start < end and text[start].isspace():
                    start += 1
                while end > start and text[end - 1].isspace():
                    end -= 1
                if end > start:
                    kept.append((start, end, label))
            out.append(kept)
        return out

    def emissions(self, padded: str, wpos: str, wword: list[str]) -> np.ndarray:
        """Per-character tag scores (len(padded) x tags); padding rows are 0."""
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
        if self.concat:
            x = np.concatenate(
                [emb[input_ids(ids, name, mask)[keep]] for name, emb in self.concat],
                axis=1,
                dtype=np.float32,
            )
            assert self.w_concat is not None  # the projection slices of self.concat
            pre = x @ self.w_concat
        else:
            pre = np.zeros((len(keep), len(self.b_in)), np.float32)
        for name, proj in self.summed:
            rows = input_ids(ids, name, mask)[keep]
            # float16: row 0 (no word) is zero, so gather and convert only the others
            if proj.dtype == np.float16:
                at = np.flatnonzero(rows)
                pre[at] += proj[rows[at]]
            else:
                pre += proj[rows]
        pre += self.b_in
        np.maximum(pre, 0, out=pre)
        hid = self._cnn(pre, mask, keep) if self.convs else pre
        if self.lstm is not None:  # over each sentence: the runs of real positions
            edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
            lengths = np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)
            hid = self.lstm(hid, lengths)
        out = np.zeros((len(padded), self.w_out.shape[1]), np.float32)
        b_out = self.b_out
        if self.src_bias is not None:
            b_out = b_out + self.src_bias[CONVENTIONS.index(self.convention) + 1]
        out[keep] = hid @ self.w_out + b_out
        return out

    def _cnn(self, x0: np.ndarray, mask: np.ndarray, keep: np.ndarray) -> np.ndarray:
        """Residual dilated convolutions over the sentences, with zero gaps between them."""
        gap = max(self.dilations)
        starts = np.flatnonzero(np.diff(np.concatenate([[False], mask]).astype(np.int8)) == 1)
        # position of each real character in a stream where every sentence is followed by `gap` zeros
        sentence = np.cumsum(np.isin(np.arange(len(mask)), starts))[keep] - 1
        pos = np.arange(len(keep)) + gap * (sentence + 1)
        n = int(pos[-1]) + 1 + gap if len(pos) else 0
        x = np.zeros((n, x0.shape[1]), np.float32)
        x[pos] = x0
        is_gap = np.ones(n, bool)
        is_gap[pos] = False
        gaps = np.flatnonzero(is_gap)  # the gap rows, kept at zero like the padding in training
        width = x0.shape[1]
        for d, w, b in self.convs:
            z = x @ w  # n x 3 width: the left, centre and right taps in one product
            y = z[:, width : 2 * width]
            y[d:] += z[:-d, :width]
            y[:-d] += z[d:, 2 * width :]
            y += b
            np.maximum(y, 0, out=y)
            y[gaps] = 0
            x += y
        return x[pos]
