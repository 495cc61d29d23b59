"""Train the LAC-embedding NER model of :mod:`zhie.ner.embed` (``zhie train --lac SDIST``).

Only training needs torch (``pip install zhie[train]``); the exported model runs with numpy.

Pretrained representations: the input table of Baidu LAC 2.1.2 (Apache-2.0), read from the
``lac`` sdist as downloaded from PyPI (``pip download --no-deps --no-build-isolation lac``):
``LAC/lac_model/model/word_emb`` holds float32 [58224, 128] (the last 58224 x 128 x 4 bytes of
the file, after a short header), rows in the order of ``LAC/lac_model/conf/word.dic`` (8,223
characters, 50,000 words, ``OOV``); ``conf/q2b.dic`` maps characters before the look-up.
The model ships the rows it uses, as float16, with ``NOTICE``.

Training data, mapped to this project's labels PERSON, ORG, GPE, FAC:

- MSRA train without its held-out split (the last 3,000 sentences, never trained on):
  PER, ORG; LOC is GPE, or FAC when its head is a venue word (``place_label``);
- CLUENER2020 train: company, government, organization -> ORG, name -> PERSON, address -> GPE
  or FAC by its head, scene -> FAC; book, game, movie and position spans are left out
  (their characters are outside any entity);
- the project's own gold articles (``corpus/articles`` + ``corpus/gold``), converted to
  Simplified as the pipeline does (length-preserving), with their PERSON, ORG, GPE and FAC
  spans; PROJECT and EVENT spans are outside any entity. ``exclude_groups`` leaves out source
  groups (the ``repo`` column of ``SOURCES.tsv``) for cross-validation.

Each source keeps its own annotation convention: an input and a bias on the tag scores say
which one a sentence follows (``msra``, ``cluener``, ``news`` = the gold articles), and the
pipeline asks for ``news``. (Adding CLUENER with MSRA's convention lowered MSRA held-out F1 by
several points: its sports clubs, long addresses and unannotated places disagree with MSRA.)

Recipe (``DEFAULT_CONFIG``): stage 1 trains on the public corpora; stage 2 continues from it on
the gold articles (repeated ``gold_repeat`` times) plus a fixed sample of the public sentences,
with a lower learning rate. Cross-validation reuses stage 1 (it never sees gold) and redoes
stage 2 without the left-out group. Seeds are fixed and torch runs on ``threads`` threads (1 by
default), so the same command reproduces the same weights.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import gzip
import io
import json
import math
import os
import random
import tarfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import add
from pathlib import Path
from typing import Any, NotRequired, TypedDict, cast

import numpy as np

from zhie.errors import UsageError
from zhie.evaluate.ner import evaluate_examples
from zhie.ner.charner import (
    PAD,
    Gazetteers,
    _clean,
    _constraints,
    pad_join,
    split_sentences,
    word_positions,
)
from zhie.ner.corpora import Example, read_examples, tags_from_spans
from zhie.ner.embed import (
    CODE_SIZES,
    CONVENTIONS,
    INPUTS,
    LAC_TABLES,
    UNK_ID,
    VOCAB_TABLES,
    EmbedFeatures,
    EmbedNER,
    input_ids,
)

LAC_ROWS, LAC_DIM = 58224, 128
# the repository's corpus (pipeline/training/ -> the repository root)
CORPUS = Path(__file__).resolve().parents[2] / "corpus"
DEFAULT_ARTICLES = CORPUS / "articles"
DEFAULT_GOLD = CORPUS / "gold"
LAC_FILES = {
    "emb": "lac_model/model/word_emb",
    "dict": "lac_model/conf/word.dic",
    "q2b": "lac_model/conf/q2b.dic",
}
LABELS = ("PERSON", "ORG", "GPE", "FAC")
# the annotation convention of each training source (zhie.ner.embed.CONVENTIONS)
CORPUS_CONVENTION = {"msra": "msra", "peoples_daily": "msra", "cluener": "cluener", "gold": "news"}
HOLDOUT_SENTENCES = 3000
MSRA = "msra_ner/train.bio"
CLUENER = "cluener2020/train.json"
CLUENER_MAP = {
    "company": "ORG",
    "government": "ORG",
    "organization": "ORG",
    "name": "PERSON",
    "address": "PLACE",
    "scene": "FAC",
}


# Heads that make a place a facility (venue, park, zone, building, port, station, road) rather
# than an administrative place; one-character heads only for names of three characters or more.
@lru_cache(maxsize=1)
def training_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(facility heads longest first, place endings) of rules/words.tsv (`ner_fac_head`,
    `ner_gpe_ending`): a CLUENER address ending in a facility head is a FAC, unless a city."""
    from zhie.nlp.lexicon import load_lexicon
    from zhie.resources import resolve_path

    lexicon = load_lexicon(resolve_path("rules:"))
    heads = tuple(sorted(set(lexicon.words("ner_fac_head")), key=len, reverse=True))
    return heads, tuple(lexicon.words("ner_gpe_ending"))


class StageConfig(TypedDict):
    """Epochs and learning rate of a training stage (stage 2: its sample of public sentences)."""

    epochs: int
    lr: float
    public_sample: NotRequired[int]


class EmbedConfig(TypedDict):
    """The network and training settings of Trainer (DEFAULT_CONFIG's keys; limit: optional)."""

    inputs: list[str]
    dims: dict[str, int]
    min_freq: dict[str, int]
    width: int
    dilations: list[int]
    encoder: NotRequired[str]  # "cnn" (default), "bilstm" or "cnn+bilstm" (ENCODERS)
    hidden: NotRequired[int]  # BiLSTM units per direction
    dropout: float
    unk_drop: dict[str, float]
    freeze_lac: bool
    batch: int
    clip: float
    seed: int
    stage1: StageConfig
    stage2: StageConfig
    gold_repeat: int
    corpora: list[str]
    limit: NotRequired[dict[str, int]]  # quick experiments: corpus -> its first N sentences
    # more gold sets (folders with articles/ and gold/, relative to the folder of the articles
    # folder), always in stage 2: never a held-out group of the cross-validation
    extra_gold: list[str]


DEFAULT_CONFIG: EmbedConfig = {
    "inputs": list(INPUTS),
    "dims": {
        "c": 32,
        "c2": 48,
        "w": 32,
        "wp": 8,
        "wt": 8,
        "ty": 4,
        "sn": 4,
        "pn": 8,
        "cn": 8,
        "os": 8,
        "src": 8,
    },
    "min_freq": {"c": 2, "c2": 2, "w": 2},
    "width": 128,
    "dilations": [1, 2, 4],
    "encoder": "cnn",
    "hidden": 128,
    "dropout": 0.4,
    "unk_drop": {"c2": 0.1, "w": 0.1, "c": 0.05},
    "freeze_lac": True,
    "batch": 32,
    "clip": 5.0,
    "seed": 1,
    "stage1": {"epochs": 6, "lr": 2e-3},
    "stage2": {"epochs": 3, "lr": 5e-4, "public_sample": 12000},
    "gold_repeat": 4,
    "corpora": ["msra", "cluener"],
    # the other gold sets of corpus/ except validation4 and validation5, kept unseen to score
    # the model (and the pipeline with it) on sources it was not trained on
    "extra_gold": ["extra", "validation", "validation2", "validation3"],
}


# encoders over the projected inputs: the residual dilated convolutions, a BiLSTM instead of
# them, or a BiLSTM over their output (zhie.ner.embed.EmbedNER runs all three)
ENCODERS = ("cnn", "bilstm", "cnn+bilstm")


class LacMissing(UsageError):
    """The LAC sdist (or its table) is not where the command says."""


@dataclass
class LacTable:
    """The LAC input embedding table: its row words, q2b character map and vectors."""

    words: list[str]  # row order of word.dic (characters, words, OOV)
    q2b: dict[str, str]
    vectors: np.ndarray  # float32 [58224, 128], values rounded to float16 (as shipped)

    @property
    def oov(self) -> int:
        """The row of LAC's out-of-vocabulary entry."""
        return self.words.index("OOV")


LAC_HINT = (
    "download it with: pip download --no-deps --no-build-isolation lac -d DIR "
    "(from a venv with setuptools<70)"
)


def read_lac_files(path: Path | str, wanted: Mapping[str, str]) -> dict[str, bytes]:
    """The bytes of the members of the LAC sdist (or the files of a folder unpacked from it)
    whose paths end with the values of `wanted`, by its keys; a missing sdist or member is a
    LacMissing naming the path."""
    path = Path(path)
    if not path.exists():
        raise LacMissing(f"LAC sdist not found: {path}; {LAC_HINT}")
    blobs: dict[str, bytes] = {}
    if path.is_dir():
        for key, rel in wanted.items():
            hits = sorted(h for h in path.rglob(Path(rel).name) if h.as_posix().endswith(rel))
            if hits:
                blobs[key] = hits[0].read_bytes()
    else:
        try:
            with tarfile.open(path) as tar:
                for member in tar.getmembers():
                    for key, rel in wanted.items():
                        if member.name.endswith(rel) and member.isfile():
                            fh = tar.extractfile(member)
                            assert fh is not None  # a regular file (member.isfile())
                            blobs[key] = fh.read()
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise LacMissing(f"cannot read the LAC sdist {path}: {exc}; {LAC_HINT}") from exc
    missing = [wanted[k] for k in wanted if k not in blobs]
    if missing:
        raise LacMissing(
            f"{path} holds no {', '.join(missing)}: not the lac 2.1.2 sdist; {LAC_HINT}"
        )
    return blobs


def load_lac(path: Path | str) -> LacTable:
    """The LAC input table from the sdist (``LAC-2.1.2.tar.gz``) or a folder unpacked from it."""
    blobs = read_lac_files(path, LAC_FILES)
    lines = blobs["dict"].decode("utf-8").rstrip("\n").split("\n")
    words = [line.split("\t", 1)[1] if "\t" in line else "" for line in lines]
    size = len(words) * LAC_DIM * 4  # LAC 2.1.2: 58,224 rows
    if "OOV" not in words or len(blobs["emb"]) < size:
        raise LacMissing(
            f"{path}: unexpected LAC table ({len(words)} words, {len(blobs['emb'])} bytes)"
        )
    vectors = np.frombuffer(blobs["emb"][-size:], "<f4").reshape(len(words), LAC_DIM)
    q2b = {}
    for line in blobs["q2b"].decode("utf-8").split("\n"):
        parts = line.split("\t")
        if len(parts) == 2 and parts[0] and parts[1]:
            q2b[parts[0]] = parts[1]
    return LacTable(words, q2b, vectors.astype(np.float16).astype(np.float32))


def lac_vocabs(lac: LacTable) -> tuple[dict[str, list], np.ndarray, np.ndarray]:
    """(vocab lists for lc and lw, lc rows, lw rows): row 0 zeros (padding / no word), row 1 OOV."""
    oov = lac.oov
    chars = [(i, w) for i, w in enumerate(lac.words) if len(w) == 1]
    words = [(i, w) for i, w in enumerate(lac.words) if len(w) > 1 and i != oov]
    zero = np.zeros((1, LAC_DIM), np.float32)
    lc = np.vstack([zero, lac.vectors[[oov]], lac.vectors[[i for i, _ in chars]]])
    lw = np.vstack([zero, lac.vectors[[oov]], lac.vectors[[i for i, _ in words]]])
    # characters that q2b maps onto a LAC character share its row (full-width forms, variants)
    char_row = {w: k + 2 for k, (_, w) in enumerate(chars)}
    alias = sorted(
        (a, b) for a, b in lac.q2b.items() if len(a) == 1 and b in char_row and a not in char_row
    )
    vocabs: dict[str, list] = {
        "lc": [None, None] + [w for _, w in chars],
        "lc_alias": alias,
        "lw": [None, None] + [w for _, w in words],
    }
    return vocabs, lc, lw


# -- data ---------------------------------------------------------------------------------
def place_label(text: str) -> str:
    """GPE or FAC for a place span by its head (broad regions stay GPE: MSRA tags them LOC,
    and the "news" convention learns from the gold articles that they are no entities)."""
    fac_heads, gpe_endings = training_words()
    if text.endswith(gpe_endings):
        return "GPE"
    for head in fac_heads:
        if text.endswith(head) and len(text) > len(head) and (len(head) > 1 or len(text) >= 3):
            return "FAC"
    return "GPE"


def _map_places(ex: Example) -> Example:
    spans = []
    for s, e, lab in ex.spans:
        if lab in ("GPE", "PLACE"):
            lab = place_label(ex.text[s:e])
        if lab in LABELS:
            spans.append((s, e, lab))
    return Example(ex.text, spans)


def msra_examples(data_dir: Path) -> list[Example]:
    """MSRA train minus the held-out split, LOC split into GPE / FAC."""
    examples = read_examples(Path(data_dir) / MSRA, "bio")[:-HOLDOUT_SENTENCES]
    return [_map_places(ex) for ex in examples]


def cluener_examples(data_dir: Path) -> list[Example]:
    """CLUENER2020 train with the labels of CLUENER_MAP (addresses GPE / FAC by their head)."""
    out = []
    with open(Path(data_dir) / CLUENER, encoding="utf-8-sig") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            spans = sorted(
                (a, b + 1, CLUENER_MAP[lab])
                for lab, ents in (row.get("label") or {}).items()
                if lab in CLUENER_MAP
                for offs in ents.values()
                for a, b in offs
            )
            out.append(_map_places(Example(row["text"], spans)))
    return out


def source_groups(articles_dir: Path) -> dict[str, str]:
    """article id -> source group (the ``repo`` column of SOURCES.tsv; the file stem otherwise)."""
    groups = {}
    sources = Path(articles_dir) / "SOURCES.tsv"
    if sources.is_file():
        with open(sources, encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                groups[Path(row["file"]).stem] = row.get("repo") or Path(row["file"]).stem
    return groups


def gold_examples(
    articles_dir: Path,
    gold_dir: Path,
    exclude_groups: Iterable[str] = (),
    only_groups: Iterable[str] | None = None,
) -> list[tuple[str, str, Example]]:
    """(article id, group, Example) for every gold article, in Simplified script as the pipeline sees it."""
    from zhie.text.convert import Normaliser
    from zhie.text.read import decode

    norm = Normaliser("t2s")
    groups = source_groups(articles_dir)
    exclude, only = set(exclude_groups), set(only_groups) if only_groups is not None else None
    out = []
    for gold_path in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        aid = gold["article_id"]
        group = groups.get(aid, aid)
        if group in exclude or (only is not None and group not in only):
            continue
        text_path = Path(articles_dir) / f"{aid}.txt"
        if not text_path.is_file():
            continue
        text = decode(text_path.read_bytes())[0]
        converted = norm(text)
        simple = converted.text
        if len(simple) != len(text):
            raise ValueError(f"{text_path}: the conversion changed the length")
        spans = sorted(
            (e["start"], e["end"], e["label"]) for e in gold["entities"] if e["label"] in LABELS
        )
        out.append((aid, group, Example(simple, spans)))
    return out


def people_daily_examples(data_dir: Path, avoid: Sequence[Example], k: int = 12) -> list[Example]:
    """People's Daily dev sentences sharing no k-character string with `avoid` (MSRA: it is mostly
    MSRA text; the held-out split must never be trained on)."""
    path = Path(data_dir) / "peoples_daily/dev.bio"
    if not path.is_file():
        return []
    seen: set[str] = set()
    for ex in avoid:
        t = ex.text
        seen.update(t[i : i + k] for i in range(len(t) - k + 1))
    out = []
    for ex in read_examples(path, "bio"):
        t = ex.text
        if len(t) >= k and not any(t[i : i + k] in seen for i in range(len(t) - k + 1)):
            out.append(_map_places(ex))
    return out


# -- featurising ------------------------------------------------------------------------
def featurise(
    examples: Sequence[Example], tokenizer
) -> list[tuple[str, str, list[str], list[str]]]:
    """(padded piece, word positions, words, BIOES tags) per sentence piece, as CharNER cuts them."""
    from zhie.training.train_neural import _trim

    out = []
    for ex in examples:
        text = _clean(ex.text)
        if not text:
            continue
        wpos, wword = word_positions(tokenizer.lcut(text, HMM=True))
        tags = tags_from_spans(len(text), ex.spans, "bioes")
        for a, b in split_sentences(text):
            piece_tags = tags[a:b]
            if piece_tags[0][0] in "IE":
                piece_tags = _trim(piece_tags, left=True)
            if piece_tags[-1][0] in "BI":
                piece_tags = _trim(piece_tags, left=False)
            out.append(
                (
                    pad_join([text[a:b]]),
                    "S1S1" + wpos[2 * a : 2 * b] + "S1S1",
                    [PAD] * 2 + wword[a:b] + [PAD] * 2,
                    piece_tags,
                )
            )
    return out


def build_vocabs(pieces, min_freq: dict[str, int]) -> dict[str, list]:
    """Values in id order for the trained tables c, c2, w (ids 0, 1 = padding, unknown)."""
    counts: dict[str, Counter[str]] = {t: Counter() for t in VOCAB_TABLES}
    for padded, wpos, wword, tags in pieces:
        n = len(tags)
        counts["c"].update(padded[2 : 2 + n])
        counts["c2"].update(map(add, padded[2 : 2 + n], padded[3 : 3 + n]))
        counts["w"].update(
            w for w, p in zip(wword[2 : 2 + n], wpos[4 : 4 + 2 * n : 2]) if p in "BS"
        )
    vocabs = {}
    for table, c in counts.items():
        keep = sorted(
            (v for v, k in c.items() if k >= min_freq.get(table, 1)), key=lambda v: (-c[v], v)
        )
        vocabs[table] = [None, None] + keep
    return vocabs


def to_arrays(pieces, features: EmbedFeatures, inputs, tag_index, convention: str = "news"):
    """Per piece: input ids (chars x inputs, int32) and tag ids, computed as EmbedNER does."""
    features.convention = convention
    xs, ys = [], []
    for padded, wpos, wword, tags in pieces:
        n = len(tags)
        ids, mask = features(padded, wpos, wword)
        cols = [input_ids(ids, name, mask)[2 : 2 + n] for name in inputs]
        xs.append(np.stack(cols, axis=1).astype(np.int32))
        ys.append(np.array([tag_index[t] for t in tags], np.int64))
    return xs, ys


def table_sizes(vocabs: dict[str, list]) -> dict[str, int]:
    """Rows of each embedding table: vocabulary lengths (trained and LAC), code sizes + 1."""
    sizes = {t: len(vocabs[t]) for t in (*VOCAB_TABLES, *LAC_TABLES)}
    sizes.update({t: k + 1 for t, k in CODE_SIZES.items()})
    return sizes


# -- network ----------------------------------------------------------------------------
def _net_class():
    import torch
    from torch import nn

    class Net(nn.Module):
        def __init__(
            self, cfg: dict, sizes: dict[str, int], tags: list[str], lac_rows: dict[str, np.ndarray]
        ):
            super().__init__()
            self.cfg = cfg
            self.inputs = cfg["inputs"]
            self.tables = list(dict.fromkeys(INPUTS[n][0] for n in self.inputs))
            emb = {}
            for t in self.tables:
                if t in LAC_TABLES:
                    emb[t] = nn.Embedding.from_pretrained(
                        torch.tensor(lac_rows[t]), freeze=cfg["freeze_lac"], padding_idx=0
                    )
                else:
                    # sparse gradients: an Adam step over the whole bigram table would cost more
                    # than the rest of the batch
                    e = nn.Embedding(
                        sizes[t], cfg["dims"][t], padding_idx=0, sparse=t in VOCAB_TABLES
                    )
                    bound = math.sqrt(3 / e.embedding_dim)
                    nn.init.uniform_(e.weight, -bound, bound)
                    with torch.no_grad():
                        e.weight[0].zero_()
                    emb[t] = e
            self.emb = nn.ModuleDict(emb)
            width_in = sum(self.emb[INPUTS[n][0]].embedding_dim for n in self.inputs)
            self.drop = nn.Dropout(cfg["dropout"])
            self.proj = nn.Linear(width_in, cfg["width"])
            encoder = cfg.get("encoder", "cnn")
            if encoder not in ENCODERS:
                raise UsageError(f"unknown encoder {encoder!r}: {', '.join(ENCODERS)}")
            self.use_cnn = encoder in ("cnn", "cnn+bilstm")
            self.use_lstm = encoder in ("bilstm", "cnn+bilstm")
            # (a plain CNN creates exactly the modules it always did: the same seeded weights)
            self.convs = nn.ModuleList(
                nn.Conv1d(cfg["width"], cfg["width"], 3, dilation=d, padding=d)
                for d in (cfg["dilations"] if self.use_cnn else [])
            )
            width_out = cfg["width"]
            if self.use_lstm:
                self.lstm = nn.LSTM(
                    cfg["width"], cfg["hidden"], batch_first=True, bidirectional=True
                )
                width_out = 2 * cfg["hidden"]
            self.out = nn.Linear(width_out, len(tags))
            n = len(tags)
            self.src_col = self.inputs.index("src") if "src" in self.inputs else None
            if self.src_col is not None:  # a bias on the tag scores per convention, zero at first
                self.src_bias = nn.Embedding(len(CONVENTIONS) + 1, n, padding_idx=0)
                nn.init.zeros_(self.src_bias.weight)
            self.trans = nn.Parameter(torch.zeros(n, n))
            self.start = nn.Parameter(torch.zeros(n))
            self.end = nn.Parameter(torch.zeros(n))
            start, allowed, end = _constraints(tags)
            self.register_buffer("start_mask", torch.tensor(start))
            self.register_buffer("allowed", torch.tensor(allowed))
            self.register_buffer("end_mask", torch.tensor(end))

        def emissions(self, ids, mask):
            x = torch.cat(
                [self.emb[INPUTS[n][0]](ids[..., j]) for j, n in enumerate(self.inputs)], dim=-1
            )
            x = self.drop(x)
            m = mask.unsqueeze(1).float()
            h = torch.relu(self.proj(x)).transpose(1, 2) * m
            for conv in self.convs:
                h = h + torch.relu(conv(h)) * m
            h = h.transpose(1, 2)
            if self.use_lstm:
                lengths = mask.sum(1).cpu()
                packed = nn.utils.rnn.pack_padded_sequence(
                    h, lengths, batch_first=True, enforce_sorted=False
                )
                h, _ = self.lstm(packed)
                h, _ = nn.utils.rnn.pad_packed_sequence(
                    h, batch_first=True, total_length=ids.shape[1]
                )
            out = self.out(self.drop(h))
            if self.src_col is not None:
                out = out + self.src_bias(ids[..., self.src_col])
            return out

        def nll(self, em, tags, lengths, mask):
            trans = self.trans + self.allowed
            start = self.start + self.start_mask
            end = self.end + self.end_mask
            mf = mask.float()
            gold = em.gather(2, tags.unsqueeze(2)).squeeze(2)
            score = start[tags[:, 0]] + gold[:, 0]
            score = score + ((gold[:, 1:] + trans[tags[:, :-1], tags[:, 1:]]) * mf[:, 1:]).sum(1)
            last = tags.gather(1, (lengths - 1).unsqueeze(1)).squeeze(1)
            score = score + end[last]
            alpha = start + em[:, 0]
            for t in range(1, em.shape[1]):
                nxt = torch.logsumexp(alpha.unsqueeze(2) + trans.unsqueeze(0), dim=1) + em[:, t]
                alpha = torch.where(mask[:, t : t + 1], nxt, alpha)
            log_z = torch.logsumexp(alpha + end, dim=1)
            return (log_z - score).mean()

        def decode(self, em):
            """Viterbi of one sentence's emissions (time x tags): the best tag ids."""
            trans = self.trans + self.allowed
            score = self.start + self.start_mask + em[0]
            backs = []
            for t in range(1, em.shape[0]):
                cand = score.unsqueeze(1) + trans
                best, arg = cand.max(dim=0)
                backs.append(arg)
                score = best + em[t]
            last = int((score + self.end + self.end_mask).argmax())
            path = [last]
            for arg in reversed(backs):
                last = int(arg[last])
                path.append(last)
            return path[::-1]

    return Net


HALF = ("lc", "lw", "c", "c2", "w")  # tables stored as float16


def export_arrays(net) -> dict[str, np.ndarray]:
    """Weights under the names zhie.ner.embed reads; big tables float16 (as stored)."""
    sd = {k: v.detach().cpu().numpy().astype(np.float32) for k, v in net.state_dict().items()}
    a = {}
    for t in net.tables:
        w = sd[f"emb.{t}.weight"]
        a[f"emb.{t}"] = w.astype(np.float16) if t in HALF else w
    a["proj.w"], a["proj.b"] = sd["proj.weight"], sd["proj.bias"]
    for i in range(len(net.convs)):
        a[f"conv{i}.w"], a[f"conv{i}.b"] = sd[f"convs.{i}.weight"], sd[f"convs.{i}.bias"]
    if net.use_lstm:
        from zhie.training.train_neural import lstm_arrays

        a.update(lstm_arrays(sd))
    a["out.w"], a["out.b"] = sd["out.weight"], sd["out.bias"]
    if "src_bias.weight" in sd:
        a["src.bias"] = sd["src_bias.weight"]
    a["crf.trans"], a["crf.start"], a["crf.end"] = sd["trans"], sd["start"], sd["end"]
    return a


def _round_tables(net) -> None:
    """Round the trained embedding tables to float16 in place (the values the export stores)."""
    import torch

    with torch.no_grad():
        for t in net.tables:
            if t in HALF:
                w = net.emb[t].weight
                w.copy_(w.half().float())


NOTICE = """This folder holds zhie's NER model (zhie.ner.embed), trained by `zhie train`.

Its tables `emb.lc` and `emb.lw` in weights.npz are rows of the input embedding table of
Baidu LAC 2.1.2 (Lexical Analysis of Chinese, https://github.com/baidu/lac), file
`LAC/lac_model/model/word_emb` of the `lac` 2.1.2 source distribution on PyPI, with the
character and word lists of `LAC/lac_model/conf/word.dic` and `conf/q2b.dic` (in
vocab.json.gz), converted to float16. Copyright (c) 2020 Baidu, Inc. All Rights Reserved.
Licensed under the Apache License, Version 2.0 (the "License"); you may not use these files
except in compliance with the License. You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software distributed under the
License is distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND,
either express or implied. See the License for the specific language governing permissions
and limitations under the License.

Modifications: only the rows are kept, in another order (characters, then words), rounded to
float16; the other tables of the model were trained for zhie on MSRA, CLUENER2020 and the
project's gold articles. The gazetteer lists (gazetteers.json.gz) come from shared/data
(person names; company short names of wainshine/Company-Names-Corpus, Apache-2.0) and jieba's
dictionary (MIT).
"""

APACHE_LICENSE_URL = "http://www.apache.org/licenses/LICENSE-2.0"


def save_model(out_dir: Path, arrays, vocabs, gaz: Gazetteers | None, meta: dict) -> dict:
    """Write the EmbedNER files and NOTICE into out_dir; returns file sizes."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in ("attributes.json.gz",):  # CRF files that would no longer match
        if (out_dir / stale).exists():
            (out_dir / stale).unlink()
    # np.savez_compressed writes zip entries with the current time: fix it for identical bytes
    buf = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(arrays):
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            arr_buf = io.BytesIO()
            np.lib.format.write_array(
                arr_buf, np.ascontiguousarray(arrays[name]), allow_pickle=False
            )
            zf.writestr(info, arr_buf.getvalue())
    (out_dir / "weights.npz").write_bytes(buf.getvalue())
    with (
        open(out_dir / "vocab.json.gz", "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh,
    ):
        fh.write(json.dumps(vocabs, ensure_ascii=False).encode("utf-8"))
    if gaz is not None:
        gaz.save(out_dir / "gazetteers.json.gz")
    (out_dir / "NOTICE").write_text(NOTICE, encoding="utf-8")
    (out_dir / "meta.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return {p.name: p.stat().st_size for p in sorted(out_dir.iterdir()) if p.is_file()}


# -- training ---------------------------------------------------------------------------
def _batches(lengths: np.ndarray, batch: int, rng: random.Random) -> list[np.ndarray]:
    """Shuffled batches of similar length (sorted inside chunks of 50 batches)."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    out = []
    chunk = batch * 50
    for c in range(0, len(order), chunk):
        part = sorted(order[c : c + chunk], key=lambda i: lengths[i])
        out += [np.array(part[b : b + batch]) for b in range(0, len(part), batch)]
    rng.shuffle(out)
    return out


def _tensors(idx, xs, ys):
    import torch

    lengths = np.array([len(ys[i]) for i in idx])
    tmax = int(lengths.max())
    ids = np.zeros((len(idx), tmax, xs[idx[0]].shape[1]), np.int64)
    tags = np.zeros((len(idx), tmax), np.int64)
    for j, i in enumerate(idx):
        ids[j, : lengths[j]] = xs[i]
        tags[j, : lengths[j]] = ys[i]
    mask = np.arange(tmax)[None, :] < lengths[:, None]
    return (
        torch.from_numpy(ids),
        torch.from_numpy(tags),
        torch.from_numpy(lengths),
        torch.from_numpy(mask),
    )


def _run_epochs(
    net,
    xs,
    ys,
    cfg: EmbedConfig,
    stage: StageConfig,
    rng: random.Random,
    log: Callable,
    name: str,
    on_epoch: Callable | None = None,
) -> list[dict]:
    import torch

    sparse = [e.weight for t, e in net.emb.items() if e.sparse and e.weight.requires_grad]
    sparse_ids = {id(p) for p in sparse}
    dense = [p for p in net.parameters() if p.requires_grad and id(p) not in sparse_ids]
    opts = [torch.optim.Adam(dense, lr=stage["lr"])]
    if sparse:
        opts.append(torch.optim.SparseAdam(sparse, lr=stage["lr"]))
    lengths = np.array([len(y) for y in ys])
    n_batches = math.ceil(len(xs) / cfg["batch"])
    total_steps = max(1, stage["epochs"] * n_batches)
    scheds = [
        torch.optim.lr_scheduler.LambdaLR(
            opt,
            lambda s: (
                0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(s, total_steps) / total_steps))
            ),
        )
        for opt in opts
    ]
    unk_cols = [(j, cfg["unk_drop"].get(INPUTS[n][0], 0.0)) for j, n in enumerate(cfg["inputs"])]
    history = []
    for epoch in range(1, stage["epochs"] + 1):
        net.train()
        t0 = time.perf_counter()
        total = 0.0
        for idx in _batches(lengths, cfg["batch"], rng):
            ids, tg, ln, mk = _tensors(idx, xs, ys)
            for j, p in unk_cols:
                if p:
                    col = ids[..., j]
                    col[(col > UNK_ID) & (torch.rand(col.shape) < p)] = UNK_ID
            loss = net.nll(net.emissions(ids, mk), tg, ln, mk)
            for opt in opts:
                opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(
                dense, cfg["clip"]
            )  # (norms of sparse gradients are not supported)
            for opt, sched in zip(opts, scheds):
                opt.step()
                sched.step()
            total += loss.item() * len(idx)
        net.eval()
        row = {
            "stage": name,
            "epoch": epoch,
            "loss": round(total / len(xs), 4),
            "seconds": round(time.perf_counter() - t0, 1),
        }
        if on_epoch is not None:
            row.update(on_epoch(net))
        history.append(row)
        log(
            f"  {name} epoch {epoch}: "
            + ", ".join(f"{k} {v}" for k, v in row.items() if k not in ("stage", "epoch"))
        )
    return history


class Trainer:
    """Holds the data, vocabularies and stage-1 network of one training set-up.

    Stage 1 (public corpora) is trained once; ``stage2`` can then be run with any set of gold
    articles (all of them for the shipped model, all but one source group for cross-validation).
    """

    def __init__(
        self,
        data_dir: Path,
        lac_path: Path,
        articles_dir: Path | None,
        gold_dir: Path | None,
        *,
        config: Mapping[str, Any] | None = None,
        threads: int = 1,
        log: Callable = print,
        sample: Path | None = None,
    ):
        self.lac = load_lac(lac_path)  # first: a missing table stops before any work
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            import torch
        except ImportError as exc:
            raise UsageError(
                "training the NER model needs torch: pip install 'zhie[train]'"
            ) from exc
        import logging

        import jieba

        from zhie.training.train import build_gazetteers

        cfg: dict[str, Any] = dict(copy.deepcopy(DEFAULT_CONFIG))
        for key, value in (config or {}).items():
            if isinstance(value, dict) and isinstance(cfg.get(key), dict):
                cfg[key] = {**cfg[key], **value}
            else:
                cfg[key] = value
        # the overrides set DEFAULT_CONFIG's keys (or limit) to values of their types
        self.cfg = cast(EmbedConfig, cfg)
        self.threads = threads
        torch.set_num_threads(threads)
        self.log = log
        self.data_dir = Path(data_dir)
        self.articles_dir = Path(articles_dir) if articles_dir else None
        self.gold_dir = Path(gold_dir) if gold_dir else None
        t0 = time.perf_counter()
        if sample is not None:
            self.public = {
                Path(sample).name: [
                    _map_places(Example(e.text, e.spans)) for e in read_examples(sample)
                ]
            }
        else:
            self.public = {}
            if "msra" in self.cfg["corpora"]:
                self.public["msra"] = msra_examples(self.data_dir)
            if "cluener" in self.cfg["corpora"]:
                self.public["cluener"] = cluener_examples(self.data_dir)
            for name, limit in (
                self.cfg.get("limit") or {}
            ).items():  # quick experiments: the first N sentences
                if name in self.public:
                    self.public[name] = self.public[name][:limit]
            if "peoples_daily" in self.cfg["corpora"]:
                avoid = read_examples(self.data_dir / MSRA, "bio")
                self.public["peoples_daily"] = people_daily_examples(self.data_dir, avoid)
        self.gold = (
            gold_examples(self.articles_dir, self.gold_dir)
            if self.articles_dir and self.gold_dir
            else []
        )
        if self.articles_dir and self.gold_dir:
            for folder in self.cfg["extra_gold"]:
                where = self.articles_dir.parent / folder
                if not (where / "gold").is_dir():
                    raise UsageError(f"{where}: no gold folder (config extra_gold)")
                self.gold += [
                    (aid, f"extra:{folder}", ex)
                    for aid, _, ex in gold_examples(where / "articles", where / "gold")
                ]
        logging.getLogger("jieba").setLevel(logging.WARNING)
        self.tokenizer = jieba.Tokenizer()
        self.tokenizer.initialize()
        self.gaz = build_gazetteers(self.data_dir)
        self.tags = ["O"] + [f"{p}-{lab}" for lab in LABELS for p in "BIES"]
        self.tag_index = {t: i for i, t in enumerate(self.tags)}
        public_pieces = {k: featurise(v, self.tokenizer) for k, v in self.public.items()}
        self.gold_pieces = {
            aid: (group, featurise([ex], self.tokenizer)) for aid, group, ex in self.gold
        }
        # vocabularies from the public corpora only: the same for every cross-validation fold
        all_public = [p for v in public_pieces.values() for p in v]
        self.vocabs = build_vocabs(all_public, self.cfg["min_freq"])
        lac_vocab, lc, lw = lac_vocabs(self.lac)
        self.vocabs.update(lac_vocab)
        self.lac_rows = {"lc": lc, "lw": lw}
        self.features = EmbedFeatures(self.vocabs, self.gaz)
        self.sizes = table_sizes(self.vocabs)
        self.public_xy = {
            k: to_arrays(
                v,
                self.features,
                self.cfg["inputs"],
                self.tag_index,
                CORPUS_CONVENTION.get(k, "msra"),
            )
            for k, v in public_pieces.items()
        }
        self.gold_xy = {
            aid: (group, to_arrays(p, self.features, self.cfg["inputs"], self.tag_index, "news"))
            for aid, (group, p) in self.gold_pieces.items()
        }
        self.features.convention = "news"
        self.seconds = {"featurise": time.perf_counter() - t0}
        n_pub = sum(len(v[0]) for v in self.public_xy.values())
        log(
            f"featurised {n_pub} public pieces ({ {k: len(v[0]) for k, v in self.public_xy.items()} }), "
            f"{len(self.gold_xy)} gold articles in {self.seconds['featurise']:.0f}s; sizes {self.sizes}"
        )
        self.stage1_state: dict[str, Any] | None = None  # the network's state after stage1()
        self.history: list[dict] = []

    def meta_base(self) -> dict:
        """The meta.json entries of a model from this set-up (before scores and history)."""
        return {
            "model": "embed",
            "tags": self.tags,
            "inputs": self.cfg["inputs"],
            "config": self.cfg,
            "vocab_sizes": self.sizes,
            "convention": "news",
            "conventions": list(CONVENTIONS),
        }

    def new_net(self):
        """A freshly initialised torch network (seeded) for this set-up's tables and tags."""
        import torch

        torch.manual_seed(self.cfg["seed"])
        return _net_class()(self.cfg, self.sizes, self.tags, self.lac_rows)

    def numpy_model(self, net) -> EmbedNER:
        """The EmbedNER that runs the weights of net with numpy."""
        return EmbedNER(
            meta=self.meta_base(), arrays=export_arrays(net), vocabs=self.vocabs, gaz=self.gaz
        )

    def public_arrays(self):
        """(input ids, tag ids) of every public piece, corpus after corpus."""
        xs, ys = [], []
        for x, y in self.public_xy.values():
            xs += x
            ys += y
        return xs, ys

    def stage1(self, on_epoch: Callable | None = None) -> None:
        """Train stage 1 on the public corpora; keeps the network's state for stage2."""
        import torch

        t0 = time.perf_counter()
        net = self.new_net()
        xs, ys = self.public_arrays()
        rng = random.Random(self.cfg["seed"])
        hook = (lambda n: on_epoch(self, n)) if on_epoch else None
        self.history = _run_epochs(
            net, xs, ys, self.cfg, self.cfg["stage1"], rng, self.log, "stage1", hook
        )
        self.stage1_state = copy.deepcopy(net.state_dict())
        self.seconds["stage1"] = time.perf_counter() - t0
        del torch

    def stage2(self, exclude_groups: Iterable[str] = (), on_epoch: Callable | None = None):
        """A network continued from stage 1 on the gold articles not in exclude_groups (+ a public sample)."""
        t0 = time.perf_counter()
        net = self.new_net()
        net.load_state_dict(self.stage1_state)
        _init_news_convention(net)
        exclude = set(exclude_groups)
        st = self.cfg["stage2"]
        gx, gy = [], []
        for group, (x, y) in self.gold_xy.values():
            if group not in exclude:
                gx += x
                gy += y
        if st["epochs"] and gx:
            xs, ys = self.public_arrays()
            rng = random.Random(self.cfg["seed"] + 1)
            pick = sorted(rng.sample(range(len(xs)), min(st["public_sample"], len(xs))))
            train_x = [xs[i] for i in pick] + gx * self.cfg["gold_repeat"]
            train_y = [ys[i] for i in pick] + gy * self.cfg["gold_repeat"]
            hook = (lambda n: on_epoch(self, n)) if on_epoch else None
            hist = _run_epochs(net, train_x, train_y, self.cfg, st, rng, self.log, "stage2", hook)
        else:
            hist = []
        _round_tables(net)
        self.seconds["stage2"] = time.perf_counter() - t0
        return net, hist


def _init_news_convention(net) -> None:
    """Start the "news" convention (unseen in stage 1) from the mean of those seen."""
    import torch

    if getattr(net, "src_col", None) is None:
        return
    news = CONVENTIONS.index("news") + 1
    seen = [CONVENTIONS.index(c) + 1 for c in ("msra", "cluener")]
    with torch.no_grad():
        for table in (net.emb["src"].weight, net.src_bias.weight):
            table[news] = table[seen].mean(dim=0)


def agreement(net, model: EmbedNER, texts: Sequence[str]) -> dict:
    """Compare torch and numpy on texts: largest emission difference and share of sentences
    whose Viterbi paths (torch's decode vs EmbedNER's batched Viterbi) are identical."""
    import torch

    net.eval()
    worst, same, total = 0.0, 0, 0
    for text in texts:
        text = _clean(text)
        if not text:
            continue
        wpos, wword = word_positions(model._words(text))
        for a, b in split_sentences(text):
            padded = pad_join([text[a:b]])
            wp, ww = "S1S1" + wpos[2 * a : 2 * b] + "S1S1", [PAD] * 2 + wword[a:b] + [PAD] * 2
            n = b - a
            ours = model.emissions(padded, wp, ww)
            ids, mask = model.features(padded, wp, ww)
            cols = [input_ids(ids, name, mask)[2 : 2 + n] for name in model.inputs]
            x = torch.from_numpy(np.stack(cols, axis=1).astype(np.int64)[None])
            with torch.no_grad():
                em = net.emissions(x, torch.ones(1, n, dtype=torch.bool))[0]
                theirs = net.decode(em)
            worst = max(worst, float(np.abs(ours[2 : 2 + n] - em.numpy()).max()))
            path = model._decode(ours, np.array([2]), np.array([n]))[0].tolist()
            same += path == theirs
            total += 1
    return {"max_abs_diff": worst, "same_paths": same / total if total else 1.0, "sentences": total}


def train_embed(
    data_dir: Path,
    out_dir: Path,
    lac_path: Path,
    *,
    articles_dir: Path | None = None,
    gold_dir: Path | None = None,
    config: dict | None = None,
    threads: int = 1,
    quiet: bool = False,
    sample: Path | None = None,
    eval_path: Path | None = None,
    epochs: int | None = None,
) -> dict:
    """Train the shipped model: stage 1 on the public corpora, stage 2 adding the gold articles.

    sample: train on that small BIO file only (tests); epochs caps stage 1 (stage 2 then runs
    one epoch). Scores on the MSRA held-out split (or eval_path) and checks numpy against torch.
    """
    log = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    t0 = time.perf_counter()
    cfg = copy.deepcopy(config or {})
    if epochs:
        cfg["stage1"] = {**cfg.get("stage1", {}), "epochs": epochs}
        cfg["stage2"] = {
            **cfg.get("stage2", {}),
            "epochs": min(epochs, DEFAULT_CONFIG["stage2"]["epochs"]),
        }
    trainer = Trainer(
        data_dir,
        lac_path,
        articles_dir,
        gold_dir,
        config=cfg,
        threads=threads,
        log=log,
        sample=sample,
    )
    trainer.stage1()
    net, hist2 = trainer.stage2()
    model = trainer.numpy_model(net)
    from zhie.evaluate.ner import FILE_CONVENTIONS
    from zhie.ner.corpora import detect_format

    if eval_path is not None:
        eval_set = read_examples(eval_path)
        eval_name = Path(eval_path).name
        model.convention = FILE_CONVENTIONS.get(detect_format(Path(eval_path)), "news")
    else:
        eval_set = read_examples(Path(data_dir) / MSRA, "bio")[-HOLDOUT_SENTENCES:]
        eval_name = "MSRA held-out"
        model.convention = "msra"
    scores = evaluate_examples(eval_set, model)
    model.convention = "news"
    scores_news = evaluate_examples(eval_set, model)
    agree = agreement(net, model, [e.text for e in eval_set[:100]])
    meta = dict(
        trainer.meta_base(),
        created=dt.date.today().isoformat(),
        data={**{k: len(v) for k, v in trainer.public.items()}, "gold articles": len(trainer.gold)},
        history=trainer.history + hist2,
        threads=threads,
        eval=eval_name,
        scores={k: round(v["f1"], 4) for k, v in scores.items() if isinstance(v, dict)},
        scores_news_convention={
            k: round(v["f1"], 4) for k, v in scores_news.items() if isinstance(v, dict)
        },
        torch_agreement=agree,
        lac=Path(lac_path).name,
    )
    sizes = save_model(Path(out_dir), export_arrays(net), trainer.vocabs, trainer.gaz, meta)
    t1 = time.perf_counter()
    log(
        f"micro F1 {scores['micro']['f1']:.4f} on {eval_name}; numpy vs torch {agree}; {t1 - t0:.0f}s"
    )
    return {
        "eval": scores,
        "agreement": agree,
        "sizes": sizes,
        "seconds": {**trainer.seconds, "total": t1 - t0},
        "train_sentences": sum(len(v) for v in trainer.public.values()),
        "history": meta["history"],
    }
