"""Baidu LAC 2.1.2's own lexical model (BiGRU-CRF, Apache-2.0) run in numpy, to compare its
names with zhie's NER stage (bench/NER_RESULTS.md, section 0b). Nothing here is shipped: the
model is converted from the sdist into a scratch folder.

    python bench/lac_ner.py convert --lac LAC-2.1.2.tar.gz --out outputs/lac_model
    python bench/lac_ner.py score outputs/lac_model      # MSRA held-out and the dev gold, model alone

The network is LAC's `lex_net` (`LAC/nets.py` of the sdist): an embedding of the input units,
two bidirectional GRU layers (each direction: a linear layer to 3 x 128, then Paddle's
`dynamic_gru` with update and reset gates and `h = (1 - u) * h + u * candidate`), a linear layer
to 49 tag scores and a linear-chain CRF (Paddle's `crfw`: start row, end row, transitions).
The input units are those of LAC's `texts2tensor`: the text is first cut by LAC's maximum
matching over `small_seg.dic` (`Segment.fast_cut`: fewest words, a run of single Latin letters
and digits kept together); a cut word in LAC's vocabulary is one unit, any other word is its
characters; every unit is first mapped by `q2b.dic` (full-width and Traditional forms). A unit's
tag is extended to the characters it covers.

Each parameter file of `LAC/lac_model/model/` is a Paddle LoDTensor: uint32 version, uint64
LoD level (0 here), uint32 tensor version, int32 size of a TensorDesc protobuf (field 1: data
type, 5 = float32; field 2, repeated: the dimensions), then the little-endian data. The folder
written by `convert`: ``meta.json`` (tags), ``weights.npz`` (embedding float16, layers float32),
``lexicon.json.gz`` (vocabulary, q2b, segmentation words), ``NOTICE``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import re
import struct
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from zhie.ner.charner import split_sentences  # noqa: E402
from zhie.training.train_embed import read_lac_files  # noqa: E402

HIDDEN = 128
# LAC's name tags, read as this project's labels (LOC: GPE or FAC by its head, see place_label)
NAME_TAGS = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE"}
_LATIN_OR_DIGIT = re.compile("[a-zA-Z0-9]")


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * x) + 1.0)


class LacNER:
    """LAC's model from a folder written by `convert`."""

    def __init__(self, folder: Path | str):
        base = Path(folder)
        self.meta = json.loads((base / "meta.json").read_text(encoding="utf-8"))
        with (base / "weights.npz").open("rb") as fh:
            arrays = dict(np.load(fh))
        with (base / "lexicon.json.gz").open("rb") as fh:
            lexicon = json.loads(gzip.decompress(fh.read()).decode("utf-8"))
        self.embedding = arrays.pop("word_emb").astype(np.float32)
        self.layers = arrays
        self.tags: list[str] = self.meta["tags"]
        self.unit_id = {w: i for i, w in enumerate(lexicon["vocab"])}
        self.oov = self.unit_id["OOV"]
        self.q2b: dict[str, str] = lexicon["q2b"]
        # the maximum-matching dictionary of fast_cut: words -> their length, prefixes -> 0
        self.cut_words: dict[str, int] = {}
        for word in lexicon["seg_words"]:
            self.cut_words[word] = len(word)
            for i in range(1, len(word)):
                self.cut_words.setdefault(word[:i], 0)
        self.log_total = float(lexicon["seg_log_total"])
        crf = self.layers["crfw"]
        self.start, self.end, self.trans = crf[0], crf[1], crf[2:]

    # -- input units ------------------------------------------------------------------------
    def cut(self, text: str) -> list[str]:
        """LAC's `fast_cut`: the dictionary cut with the fewest words (longer words win ties)."""
        n, words = len(text), self.cut_words
        ends: list[list[int]] = []
        for head in range(n):
            found = [head]
            stop = head + 1
            while stop <= n and text[head:stop] in words:
                if words[text[head:stop]]:
                    found.append(stop - 1)
                stop += 1
            ends.append(found)
        route: list[tuple[float, int]] = [(0.0, 0)] * (n + 1)
        for i in range(n - 1, -1, -1):
            route[i] = max(
                (math.log(words.get(text[i : j + 1]) or 1) - self.log_total + route[j + 1][0], j)
                for j in ends[i]
            )
        out: list[str] = []
        buffer, i = "", 0
        while i < n:
            stop = route[i][1] + 1
            word = text[i:stop]
            if len(word) == 1 and _LATIN_OR_DIGIT.match(word):
                buffer += word
            else:
                if buffer:
                    out.append(buffer)
                    buffer = ""
                out.append(word)
            i = stop
        if buffer:
            out.append(buffer)
        return out

    def units(self, text: str) -> tuple[list[int], list[int]]:
        """(unit ids, characters per unit) of one sentence, as LAC's `text_to_ids`."""
        ids: list[int] = []
        lengths: list[int] = []
        get, q2b, oov = self.unit_id.get, self.q2b, self.oov
        for word in self.cut(text):
            if word in self.unit_id:
                ids.append(get(q2b.get(word, word), oov))
                lengths.append(len(word))
            else:
                ids.extend(get(q2b.get(c, c), oov) for c in word)
                lengths.extend([1] * len(word))
        return ids, lengths

    # -- network ----------------------------------------------------------------------------
    def _gru(self, x: np.ndarray, mask: np.ndarray, layer: int) -> np.ndarray:
        """One GRU over a right-padded batch [B, T, 384] of projected inputs -> [B, T, 128]."""
        flat = self.layers[f"gru_{layer}.w_0"].reshape(-1)
        # Paddle keeps the gate weights [128, 256] and the candidate weights [128, 128] one
        # after the other in the flat buffer, not as column blocks of one [128, 384] matrix
        gates = flat[: 2 * HIDDEN * HIDDEN].reshape(HIDDEN, 2 * HIDDEN)
        cand = flat[2 * HIDDEN * HIDDEN :].reshape(HIDDEN, HIDDEN)
        x = x + self.layers[f"gru_{layer}.b_0"].reshape(-1)
        batch, steps, _ = x.shape
        h = np.zeros((batch, HIDDEN), np.float32)
        out = np.zeros((batch, steps, HIDDEN), np.float32)
        for t in range(steps):
            g = _sigmoid(x[:, t, : 2 * HIDDEN] + h @ gates)
            u, r = g[:, :HIDDEN], g[:, HIDDEN:]
            c = np.tanh(x[:, t, 2 * HIDDEN :] + (r * h) @ cand)
            h = np.where(mask[:, t, None], (1.0 - u) * h + u * c, h)
            out[:, t] = h
        return out

    def emissions(self, batch_ids: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """Tag scores [B, T, 49] of a batch of unit sequences, and its mask [B, T]."""
        lengths = np.array([len(s) for s in batch_ids])
        steps = int(lengths.max())
        mask = np.arange(steps)[None, :] < lengths[:, None]
        ids = np.full((len(batch_ids), steps), self.oov)
        for b, seq in enumerate(batch_ids):
            ids[b, : len(seq)] = seq
        # the reverse direction reads each sequence backwards from its own last unit
        rev = np.where(mask, lengths[:, None] - 1 - np.arange(steps)[None, :], 0)
        rows = np.arange(len(batch_ids))[:, None]
        x = self.embedding[ids]
        for layer in range(2):
            fwd_in = x @ self.layers[f"fc_{2 * layer}.w_0"] + self.layers[f"fc_{2 * layer}.b_0"]
            bwd_in = (
                x @ self.layers[f"fc_{2 * layer + 1}.w_0"] + self.layers[f"fc_{2 * layer + 1}.b_0"]
            )
            fwd = self._gru(fwd_in, mask, 2 * layer)
            bwd = self._gru(bwd_in[rows, rev], mask, 2 * layer + 1)[rows, rev]
            x = np.concatenate([fwd, bwd], axis=2) * mask[:, :, None]
        return x @ self.layers["fc_4.w_0"] + self.layers["fc_4.b_0"], mask

    def _viterbi(self, em: np.ndarray, length: int) -> list[int]:
        score = self.start + em[0]
        back = []
        for t in range(1, length):
            s = score[:, None] + self.trans
            back.append(s.argmax(0))
            score = s.max(0) + em[t]
        best = [int((score + self.end).argmax())]
        for pointers in reversed(back):
            best.append(int(pointers[best[-1]]))
        return best[::-1]

    # -- outputs ----------------------------------------------------------------------------
    def analyse(self, text: str) -> list[tuple[int, int, str]]:
        """LAC's words of `text` as (start, end, tag): parts of speech (n, v, nz, ...) and the
        names PER, ORG, LOC, TIME; whitespace-only words are left out."""
        sentences = [(s, e) for s, e in split_sentences(text) if text[s:e].strip()]
        if not sentences:
            return []
        units = [self.units(text[s:e]) for s, e in sentences]
        order = sorted(range(len(units)), key=lambda i: len(units[i][0]))
        words: list[tuple[int, int, str]] = []
        for chunk in range(0, len(order), 64):
            batch = order[chunk : chunk + 64]
            em, _ = self.emissions([units[i][0] for i in batch])
            for row, i in enumerate(batch):
                ids, lengths = units[i]
                tag_ids = self._viterbi(em[row], len(ids))
                words.extend(self._words(sentences[i][0], tag_ids, lengths))
        words.sort()
        return [w for w in words if text[w[0] : w[1]].strip()]

    def _words(
        self, pos: int, tag_ids: list[int], lengths: list[int]
    ) -> list[tuple[int, int, str]]:
        """A sentence's words from its unit tags (LAC's `parse_result`): a B tag starts a word,
        an I tag extends the last one, whose tag becomes the I tag's."""
        words: list[tuple[int, int, str]] = []
        for tag_id, width in zip(tag_ids, lengths, strict=True):
            tag = self.tags[tag_id]
            name, part = tag.rsplit("-", 1) if "-" in tag else (tag, "B")
            if words and part == "I":
                words[-1] = (words[-1][0], pos + width, name)
            else:
                words.append((pos, pos + width, name))
            pos += width
        return words

    entity_labels = ("PERSON", "ORG", "GPE")

    def predict_batch(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        """`predict` of each text."""
        return [self.predict(t) for t in texts]

    def predict(self, text: str, words=None) -> list[tuple[int, int, str]]:
        """Names as (start, end, label): PER -> PERSON, ORG -> ORG, LOC -> GPE (`words` unused)."""
        return [
            (start, end, NAME_TAGS[tag])
            for start, end, tag in self.analyse(text)
            if tag in NAME_TAGS
        ]


# -- conversion from the sdist ----------------------------------------------------------------
MODEL_DIR = "lac_model/model/"
CONF_DIR = "lac_model/conf/"
PARAMETERS = (
    ["word_emb", "crfw"]
    + [f"fc_{i}.{p}_0" for i in range(5) for p in ("w", "b")]
    + [f"gru_{i}.{p}_0" for i in range(4) for p in ("w", "b")]
)
CONFIGS = ("word.dic", "tag.dic", "q2b.dic", "small_seg.dic")
FLOAT32 = 5
NOTICE = """This folder holds Baidu LAC 2.1.2's lexical analysis model (the BiGRU-CRF of
`LAC/lac_model`: its embedding table, rounded to float16, its GRU, linear and CRF weights,
its vocabulary, tag list, q2b map and segmentation word list), converted to numpy by
`python bench/lac_ner.py convert --lac LAC-2.1.2.tar.gz --out DIR`.

Source: the `lac` 2.1.2 source distribution on PyPI (https://pypi.org/project/LAC/),
Copyright (c) 2020 Baidu, Inc. All Rights Reserved.
Licensed under the Apache License, Version 2.0 (http://www.apache.org/licenses/LICENSE-2.0),
as its setup.py, PKG-INFO and every source file declare. Changes: the weights were re-encoded
(float32 -> float16 for the embedding table) and the model is run in numpy by bench/lac_ner.py.
"""


def _varint(data: bytes, i: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, i


def read_tensor(blob: bytes, name: str = "tensor") -> np.ndarray:
    """A float32 array from the bytes of one Paddle parameter file."""
    if len(blob) < 20:
        raise ValueError(f"{name}: {len(blob)} bytes, too short for a Paddle tensor")
    _, lod_level = struct.unpack("<IQ", blob[:12])
    _, desc_size = struct.unpack("<Ii", blob[12:20])
    if lod_level != 0:
        raise ValueError(f"{name}: LoD level {lod_level}, expected a plain tensor")
    desc, i, dims, dtype = blob[20 : 20 + desc_size], 0, [], None
    while i < len(desc):
        key, i = _varint(desc, i)
        value, i = _varint(desc, i)
        if key >> 3 == 1:
            dtype = value
        elif key >> 3 == 2:
            dims.append(value)
    data = np.frombuffer(blob[20 + desc_size :], "<f4")
    if dtype != FLOAT32 or data.size != math.prod(dims):
        raise ValueError(f"{name}: type {dtype}, dims {dims}, {data.size} values: not float32")
    return data.reshape(dims)


def _dict_lines(blob: bytes) -> list[list[str]]:
    return [line.split("\t") for line in blob.decode("utf-8").split("\n") if line]


def convert_lac(lac: Path | str, out: Path | str) -> dict:
    """Write LAC's lexical model from the sdist `lac` into the folder `out`; returns its meta."""
    wanted = {p: MODEL_DIR + p for p in PARAMETERS} | {c: CONF_DIR + c for c in CONFIGS}
    blobs = read_lac_files(lac, wanted)
    arrays = {p: read_tensor(blobs[p], p) for p in PARAMETERS}
    vocab = [""] * arrays["word_emb"].shape[0]
    for row, word in ((int(p[0]), p[1]) for p in _dict_lines(blobs["word.dic"]) if len(p) == 2):
        vocab[row] = word
    tags = [""] * arrays["crfw"].shape[1]
    for row, tag in ((int(p[0]), p[1]) for p in _dict_lines(blobs["tag.dic"]) if len(p) == 2):
        tags[row] = tag  # several names share a row (nr-B / PER-B): the last one read wins
    q2b = {p[0]: p[1] for p in _dict_lines(blobs["q2b.dic"]) if len(p) == 2 and p[0] and p[1]}
    seg_words, total = [], 0
    for line in blobs["small_seg.dic"].decode("utf-8").split("\n"):
        parts = line.strip().split(" ")
        if len(parts) == 2:
            seg_words.append(parts[0])
            total += int(parts[1])
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    arrays["word_emb"] = arrays["word_emb"].astype(np.float16)
    np.savez_compressed(out / "weights.npz", **arrays)
    lexicon = {"vocab": vocab, "q2b": q2b, "seg_words": seg_words, "seg_log_total": math.log(total)}
    (out / "lexicon.json.gz").write_bytes(
        gzip.compress(json.dumps(lexicon, ensure_ascii=False).encode("utf-8"), mtime=0)
    )
    meta = {
        "model": "lac",
        "source": "lac 2.1.2 sdist (PyPI), LAC/lac_model, Apache-2.0",
        "tags": tags,
        "shapes": {p: list(a.shape) for p, a in arrays.items()},
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", "utf-8")
    (out / "NOTICE").write_text(NOTICE, encoding="utf-8")
    return meta


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("convert", help="the sdist's model to a numpy folder")
    c.add_argument("--lac", type=Path, required=True)
    c.add_argument("--out", type=Path, required=True)
    s = sub.add_parser("score", help="the model alone on MSRA held-out and the dev gold")
    s.add_argument("model", type=Path)
    args = p.parse_args()
    if args.cmd == "convert":
        meta = convert_lac(args.lac, args.out)
        print(f"{args.out}: {len(meta['tags'])} tags, shapes {meta['shapes']}")
        return
    from ner_embed import gold_by_group, heldout_scores, score_model_on

    model = LacNER(args.model)
    print("MSRA held-out", json.dumps(heldout_scores(model)))
    items = [item for group in gold_by_group().values() for item in group]
    print("dev gold, 37 articles", json.dumps(score_model_on(model, items)))


if __name__ == "__main__":
    main()
