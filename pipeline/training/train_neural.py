"""Train the neural NER model of :mod:`zhie.ner.neural` with torch (``pip install zhie[train]``).

Called by :func:`zhie.training.train.train`; only training needs torch, the exported model runs
with numpy. The network: an embedding per input (see ``zhie.ner.neural.INPUTS``), dropout,
a one-layer BiLSTM (or residual dilated CNN), dropout, a linear layer to BIOES tag scores and
a CRF with the BIOES constraints built in. Adam, cosine learning-rate decay, the epoch with
the best dev micro F1 is kept. DEFAULT_CONFIG is the best measured run (bench/NER_RESULTS.md):
0.8524 micro F1 on the MSRA held-out split, below the 0.90 target, so the CRF stays shipped.
"""

from __future__ import annotations

import copy
import gzip
import json
import math
import random
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from operator import add
from pathlib import Path
from typing import Any, TypedDict, cast

import numpy as np

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
from zhie.ner.corpora import Example, tags_from_spans
from zhie.ner.neural import (
    CODE_SIZES,
    HALF_TABLES,
    INPUTS,
    UNK_ID,
    VOCAB_TABLES,
    NeuralFeatures,
    NeuralNER,
    shifted,
)


class NeuralConfig(TypedDict):
    """The network and training settings of train_neural (DEFAULT_CONFIG's keys)."""

    encoder: str
    hidden: int
    width: int
    dilations: list[int]
    inputs: list[str]
    dims: dict[str, int]
    min_freq: dict[str, int]
    dropout: float
    unk_drop: dict[str, float]
    lr: float
    batch: int
    epochs: int
    clip: float
    seed: int


DEFAULT_CONFIG: NeuralConfig = {
    "encoder": "bilstm",  # or "cnn"
    "hidden": 64,  # BiLSTM units per direction
    "width": 128,  # CNN channels
    "dilations": [1, 2, 4],  # CNN layers
    "inputs": list(INPUTS),
    "dims": {
        "c": 64,
        "c2": 40,
        "w": 32,
        "ty": 4,
        "wp": 8,
        "wt": 8,
        "sn": 4,
        "pn": 8,
        "cn": 8,
        "os": 8,
    },
    "min_freq": {"c": 2, "c2": 2, "w": 2},  # rarer values share the unknown id
    "dropout": 0.5,
    "unk_drop": {
        "c2": 0.1,
        "w": 0.1,
    },  # table -> share of its ids replaced by the unknown id in training
    "lr": 2e-3,
    "batch": 32,
    "epochs": 8,
    "clip": 5.0,
    "seed": 1,
}


def featurise(
    examples: Sequence[Example], tokenizer
) -> list[tuple[str, str, list[str], list[str]]]:
    """(padded piece, word positions, words, BIOES tags) per sentence piece, as CharNER cuts them."""
    out = []
    for ex in examples:
        text = _clean(ex.text)
        if not text:
            continue
        wpos, wword = word_positions(tokenizer.lcut(text, HMM=True))
        tags = tags_from_spans(len(text), ex.spans, "bioes")
        for a, b in split_sentences(text):
            piece_tags = tags[a:b]
            # an entity cut by the sentence split: its pieces become O rather than ill-formed tags
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


def _trim(tags: list[str], left: bool) -> list[str]:
    tags = list(tags)
    idx = range(len(tags)) if left else range(len(tags) - 1, -1, -1)
    for i in idx:
        if tags[i] == "O" or (left and tags[i][0] in "BS") or (not left and tags[i][0] in "ES"):
            break
        tags[i] = "O"
    return tags


def build_vocabs(pieces, min_freq: dict[str, int]) -> dict[str, list]:
    """Values in id order for the c, c2 and w tables (ids 0 and 1, padding and unknown, are null).

    Counted at the characters of the pieces: characters, the bigram starting at each
    character, and each word once per occurrence.
    """
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


def to_arrays(
    pieces, features: NeuralFeatures, inputs, tag_index
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per piece: input ids (chars x inputs) and tag ids, computed as NeuralNER does."""
    xs, ys = [], []
    for padded, wpos, wword, tags in pieces:
        n = len(tags)
        ids, mask = features(padded, wpos, wword)
        cols = [shifted(ids[INPUTS[name][0]], INPUTS[name][1], mask)[2 : 2 + n] for name in inputs]
        xs.append(np.stack(cols, axis=1))
        ys.append(np.array([tag_index[t] for t in tags], np.int64))
    return xs, ys


def table_sizes(vocabs: dict[str, list]) -> dict[str, int]:
    """Rows of each embedding table: the vocabularies' lengths, the code tables' sizes + 1."""
    return {**{t: len(v) for t, v in vocabs.items()}, **{t: k + 1 for t, k in CODE_SIZES.items()}}


def _net_class():
    import torch
    from torch import nn

    class Net(nn.Module):
        def __init__(self, cfg: NeuralConfig, sizes: dict[str, int], tags: list[str]):
            super().__init__()
            self.cfg = cfg
            self.inputs = cfg["inputs"]
            self.tables = list(dict.fromkeys(INPUTS[n][0] for n in self.inputs))
            self.emb = nn.ModuleDict(
                {t: nn.Embedding(sizes[t], cfg["dims"][t], padding_idx=0) for t in self.tables}
            )
            for e in self.emb.values():
                nn.init.uniform_(
                    e.weight, -math.sqrt(3 / e.embedding_dim), math.sqrt(3 / e.embedding_dim)
                )
                with torch.no_grad():
                    e.weight[0].zero_()
            width_in = sum(cfg["dims"][INPUTS[n][0]] for n in self.inputs)
            self.drop = nn.Dropout(cfg["dropout"])
            if cfg["encoder"] == "bilstm":
                self.lstm = nn.LSTM(width_in, cfg["hidden"], batch_first=True, bidirectional=True)
                width = 2 * cfg["hidden"]
            else:
                self.proj = nn.Linear(width_in, cfg["width"])
                self.convs = nn.ModuleList(
                    nn.Conv1d(cfg["width"], cfg["width"], 3, dilation=d, padding=d)
                    for d in cfg["dilations"]
                )
                width = cfg["width"]
            self.out = nn.Linear(width, len(tags))
            n = len(tags)
            self.trans = nn.Parameter(torch.zeros(n, n))
            self.start = nn.Parameter(torch.zeros(n))
            self.end = nn.Parameter(torch.zeros(n))
            start, allowed, end = _constraints(tags)
            self.register_buffer("start_mask", torch.tensor(start))
            self.register_buffer("allowed", torch.tensor(allowed))
            self.register_buffer("end_mask", torch.tensor(end))

        def emissions(self, ids, lengths, mask):
            x = torch.cat(
                [self.emb[INPUTS[n][0]](ids[..., j]) for j, n in enumerate(self.inputs)], dim=-1
            )
            x = self.drop(x)
            if self.cfg["encoder"] == "bilstm":
                packed = nn.utils.rnn.pack_padded_sequence(
                    x, lengths, batch_first=True, enforce_sorted=False
                )
                h, _ = self.lstm(packed)
                h, _ = nn.utils.rnn.pad_packed_sequence(
                    h, batch_first=True, total_length=ids.shape[1]
                )
            else:
                m = mask.unsqueeze(1).float()
                h = torch.relu(self.proj(x)).transpose(1, 2) * m
                for conv in self.convs:
                    h = h + torch.relu(conv(h)) * m
                h = h.transpose(1, 2)
            return self.out(self.drop(h))

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

    return Net


def lstm_arrays(sd: dict[str, np.ndarray], prefix: str = "lstm") -> dict[str, np.ndarray]:
    """A one-layer bidirectional nn.LSTM of a state dict (numpy) under the names that
    zhie.ner.neural.BiLSTM reads: {prefix}.w_ih / w_hh / b_ih / b_hh + .f (forward) / .b
    (backward)."""
    a = {}
    for d, suffix in (("f", ""), ("b", "_reverse")):
        a[f"{prefix}.w_ih.{d}"] = sd[f"{prefix}.weight_ih_l0{suffix}"]
        a[f"{prefix}.w_hh.{d}"] = sd[f"{prefix}.weight_hh_l0{suffix}"]
        a[f"{prefix}.b_ih.{d}"] = sd[f"{prefix}.bias_ih_l0{suffix}"]
        a[f"{prefix}.b_hh.{d}"] = sd[f"{prefix}.bias_hh_l0{suffix}"]
    return a


def export_arrays(net) -> dict[str, np.ndarray]:
    """The network's weights under the names zhie.ner.neural reads (all float32)."""
    sd = {k: v.detach().cpu().numpy().astype(np.float32) for k, v in net.state_dict().items()}
    a = {f"emb.{t}": sd[f"emb.{t}.weight"] for t in net.tables}
    if net.cfg["encoder"] == "bilstm":
        a.update(lstm_arrays(sd))
    else:
        a["proj.w"], a["proj.b"] = sd["proj.weight"], sd["proj.bias"]
        for i in range(len(net.cfg["dilations"])):
            a[f"conv{i}.w"], a[f"conv{i}.b"] = sd[f"convs.{i}.weight"], sd[f"convs.{i}.bias"]
    a["out.w"], a["out.b"] = sd["out.weight"], sd["out.bias"]
    a["crf.trans"], a["crf.start"], a["crf.end"] = sd["trans"], sd["start"], sd["end"]
    return a


def _stored(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Arrays as saved: the large embedding tables in float16 (and read back as such)."""
    return {
        k: v.astype(np.float16) if k[4:] in HALF_TABLES and k.startswith("emb.") else v
        for k, v in arrays.items()
    }


def save_model(out_dir: Path, arrays, vocabs, gaz: Gazetteers | None, meta: dict) -> dict:
    """Write the NeuralNER files into out_dir (removing a CRF's); returns file sizes."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in ("attributes.json.gz",):  # CRF files that would no longer match
        if (out_dir / stale).exists():
            (out_dir / stale).unlink()
    # numpy's stub types **kwds as if they could be allow_pickle
    np.savez_compressed(out_dir / "weights.npz", **_stored(arrays))  # type: ignore[arg-type]
    with (
        open(out_dir / "vocab.json.gz", "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh,
    ):
        fh.write(json.dumps(vocabs, ensure_ascii=False).encode("utf-8"))
    if gaz is not None:
        gaz.save(out_dir / "gazetteers.json.gz")
    elif (out_dir / "gazetteers.json.gz").exists():
        (out_dir / "gazetteers.json.gz").unlink()
    (out_dir / "meta.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return {p.name: p.stat().st_size for p in sorted(out_dir.iterdir()) if p.is_file()}


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


def train_neural(
    train_set: Sequence[Example],
    dev_set: Sequence[Example],
    gaz: Gazetteers | None,
    tags: list[str],
    *,
    config: Mapping[str, Any] | None = None,
    epochs: int | None = None,
    threads: int = 2,
    log: Callable = print,
) -> dict:
    """Train; returns {"arrays", "vocabs", "meta" (config, epochs), "history", "seconds"}.

    config: overrides of DEFAULT_CONFIG (some of its keys, with values of their types).
    """
    import jieba
    import torch

    # the overrides set DEFAULT_CONFIG's keys to values of their types
    cfg = cast(NeuralConfig, {**copy.deepcopy(DEFAULT_CONFIG), **(config or {})})
    if epochs:
        cfg["epochs"] = epochs
    torch.set_num_threads(threads)
    torch.manual_seed(cfg["seed"])
    rng = random.Random(cfg["seed"])
    t0 = time.perf_counter()
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    pieces = featurise(train_set, tokenizer)
    vocabs = build_vocabs(pieces, cfg["min_freq"])
    tag_index = {t: i for i, t in enumerate(tags)}
    xs, ys = to_arrays(pieces, NeuralFeatures(vocabs, gaz), cfg["inputs"], tag_index)
    del pieces
    lengths = np.array([len(y) for y in ys])
    sizes = table_sizes(vocabs)
    log(
        f"featurised {len(xs)} pieces ({lengths.sum()} chars) in {time.perf_counter() - t0:.0f}s; "
        f"vocab sizes {sizes}"
    )
    net = _net_class()(cfg, sizes, tags)
    opt = torch.optim.Adam(net.parameters(), lr=cfg["lr"])
    n_batches = math.ceil(len(xs) / cfg["batch"])
    total_steps = cfg["epochs"] * n_batches
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: 0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * s / total_steps))
    )
    meta_base = {
        "model": "neural",
        "tags": tags,
        "inputs": cfg["inputs"],
        "config": cfg,
        "vocab_sizes": sizes,
    }
    # (dev F1, exported arrays, epoch, torch state) of the best epoch so far
    best: tuple[float, dict[str, np.ndarray] | None, int, dict[str, Any] | None]
    best = (-1.0, None, 0, None)
    history = []
    t1 = time.perf_counter()
    for epoch in range(1, cfg["epochs"] + 1):
        net.train()
        start = time.perf_counter()
        total = 0.0
        for idx in _batches(lengths, cfg["batch"], rng):
            ids, tg, ln, mk = _tensors(idx, xs, ys)
            for j, name in enumerate(cfg["inputs"]):
                p = cfg["unk_drop"].get(INPUTS[name][0], 0.0)
                if p:
                    col = ids[..., j]
                    col[(col > UNK_ID) & (torch.rand(col.shape) < p)] = UNK_ID
            loss = net.nll(net.emissions(ids, ln, mk), tg, ln, mk)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), cfg["clip"])
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
        net.eval()
        arrays = export_arrays(net)
        row = {
            "epoch": epoch,
            "loss": round(total / len(xs), 4),
            "train_s": round(time.perf_counter() - start, 1),
        }
        if dev_set:
            model = NeuralNER(meta=meta_base, arrays=_stored(arrays), vocabs=vocabs, gaz=gaz)
            dev = evaluate_examples(dev_set, model)
            row["dev_f1"] = round(dev["micro"]["f1"], 4)
            if dev["micro"]["f1"] > best[0]:
                best = (dev["micro"]["f1"], arrays, epoch, copy.deepcopy(net.state_dict()))
        else:
            best = (0.0, arrays, epoch, copy.deepcopy(net.state_dict()))
        history.append(row)
        log(
            f"  epoch {epoch:2d}  loss {row['loss']:.3f}  dev F1 {row.get('dev_f1', float('nan')):.4f}  "
            f"{row['train_s']:.0f}s",
        )
    meta = dict(
        meta_base,
        epochs=cfg["epochs"],
        best_epoch=best[2],
        dev_f1=round(best[0], 4) if dev_set else None,
    )
    net.load_state_dict(best[3])
    net.eval()
    return {
        "arrays": best[1],
        "vocabs": vocabs,
        "meta": meta,
        "history": history,
        "net": net,
        "seconds": {"featurise": t1 - t0, "train": time.perf_counter() - t1},
    }


def torch_agreement(net, model: NeuralNER, texts: Sequence[str]) -> float:
    """Largest absolute difference between torch's and NeuralNER's emissions on texts.

    net must hold the exported weights; its embedding tables are rounded to float16 as stored.
    """
    import torch

    net.load_state_dict(
        {
            **net.state_dict(),
            **{f"emb.{t}.weight": torch.from_numpy(model.tables[t]) for t in net.tables},
        }
    )
    net.eval()
    tokenizer = model._words
    worst = 0.0
    for text in texts:
        text = _clean(text)
        if not text:
            continue
        wpos, wword = word_positions(tokenizer(text))
        for a, b in split_sentences(text):
            padded = pad_join([text[a:b]])
            wp, ww = "S1S1" + wpos[2 * a : 2 * b] + "S1S1", [PAD] * 2 + wword[a:b] + [PAD] * 2
            n = b - a
            ours = model.emissions(padded, wp, ww)[2 : 2 + n]
            ids, mask = model.features(padded, wp, ww)
            cols = [
                shifted(ids[INPUTS[name][0]], INPUTS[name][1], mask)[2 : 2 + n]
                for name in model.inputs
            ]
            x = torch.from_numpy(np.stack(cols, axis=1)[None])
            with torch.no_grad():
                theirs = net.emissions(x, torch.tensor([n]), torch.ones(1, n, dtype=torch.bool))[
                    0
                ].numpy()
            worst = max(worst, float(np.abs(ours - theirs).max()))
    return worst
