"""Train the NER model from the public corpora (``zhie train``).

The default (and shipped) model is the character CRF of :mod:`zhie.ner.charner`, trained with
python-crfsuite. ``model="neural"`` trains the candidate BiLSTM-CRF of :mod:`zhie.ner.neural`
with torch (``pip install zhie[train]``, see :mod:`zhie.training.train_neural`); it did not reach
the MSRA held-out target, see bench/NER_RESULTS.md.

The data directory is laid out like the shared data folder::

    msra_ner/train.bio  cluener2020/train.json  resume_ner/train.bmes  weibo_ner/train.conll
    person_names/chinese_family_names.tsv  person_names/thuocl_lishimingren.tsv
    company_names/company_short_names.txt

The last HOLDOUT_SENTENCES sentences of msra_ner/train.bio are never trained on; they are
the held-out evaluation split (see :func:`holdout_split`).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TypedDict

import numpy as np
import pycrfsuite

from zhie.evaluate.ner import evaluate_examples
from zhie.ner.charner import (
    JIEBA_TAGS,
    PAD,
    TEMPLATES_CHAR,
    TEMPLATES_FULL,
    CharNER,
    Featurizer,
    Gazetteers,
    _clean,
    org_suffixes,
    pad_join,
    word_positions,
)
from zhie.ner.corpora import (
    LABEL_MAP,
    Example,
    read_cluener,
    read_examples,
    tags_from_spans,
    write_bio,
)
from zhie.ner.models import load_model

HOLDOUT_SENTENCES = 3000
MSRA = "msra_ner/train.bio"
CORPORA = {
    "msra": MSRA,
    "cluener": "cluener2020/train.json",
    "resume": "resume_ner/train.bmes",
    "weibo": "weibo_ner/train.conll",
}
# adding the others lowered MSRA held-out F1, and CLUENER also the full pipeline on news gold
DEFAULT_CORPORA = ("msra",)  # (bench/NER_RESULTS.md sections 2 and 7)
COMMON_SURNAMES = 400  # the most frequent surnames get their own feature value


class CrfParams(TypedDict):
    """The CRF's training parameters (crfsuite's c1, c2, feature.minfreq, max_iterations)."""

    c1: float
    c2: float
    min_freq: int
    max_iterations: int


DEFAULTS: CrfParams = {"c1": 0.05, "c2": 0.01, "min_freq": 2, "max_iterations": 200}
DEV_SENTENCES = 1000  # neural model: epoch selection on the last sentences of the training part


def holdout_split(
    examples: Sequence[Example], n: int = HOLDOUT_SENTENCES
) -> tuple[list[Example], list[Example]]:
    """(train, held-out): the held-out split is the LAST n sentences of MSRA train.bio."""
    return list(examples[:-n]), list(examples[-n:])


def write_holdout(data_dir: Path, path: Path) -> int:
    """Write the MSRA held-out split as a BIO file (our labels) for ``zhie evaluate-ner``."""
    _, held = holdout_split(read_examples(Path(data_dir) / MSRA, "bio"))
    return write_bio(held, path)


CLUENER_ADDRESS = ("gpe", "drop")
CLUENER_ORGANIZATION = ("org", "drop")


def load_corpus(
    data_dir: Path,
    name: str,
    *,
    cluener_address: str = "gpe",
    cluener_organization: str = "org",
    title: bool = False,
) -> list[Example]:
    """Training examples of one corpus (MSRA without its held-out split).

    cluener_address: "gpe" keeps CLUENER addresses as GPE, "drop" drops sentences with one.
    cluener_organization: "org" maps CLUENER ``organization`` (clubs, schools, parties, bands)
    to ORG like ``company`` and ``government``; "drop" drops the sentences with one.
    title: keep TITLE spans; otherwise they are removed (their characters become O).
    """
    if cluener_address not in CLUENER_ADDRESS:
        raise ValueError(f"cluener_address must be one of {CLUENER_ADDRESS}")
    if cluener_organization not in CLUENER_ORGANIZATION:
        raise ValueError(f"cluener_organization must be one of {CLUENER_ORGANIZATION}")
    if name == "cluener" and cluener_organization == "drop":
        label_map = dict(LABEL_MAP, organization=None)
        examples = [
            ex
            for ex in read_cluener(Path(data_dir) / CORPORA[name], label_map)
            if not any(d[2] == "organization" for d in ex.dropped)
        ]
    else:
        examples = read_examples(Path(data_dir) / CORPORA[name])
    if name == "msra":
        examples, _ = holdout_split(examples)
    if name == "cluener" and cluener_address == "drop":
        examples = [ex for ex in examples if not any(s[2] == "GPE" for s in ex.spans)]
    if not title:
        examples = [
            Example(ex.text, [s for s in ex.spans if s[2] != "TITLE"], ex.dropped)
            for ex in examples
        ]
    return examples


def build_gazetteers(data_dir: Path) -> Gazetteers:
    """Gazetteer lists from data_dir (missing files give empty lists) and jieba's dictionary tags."""
    import jieba

    data_dir = Path(data_dir)
    lists: dict[str, list[str]] = {"org_suffixes": sorted(org_suffixes())}
    fam = data_dir / "person_names/chinese_family_names.tsv"
    if fam.is_file():
        rows = [
            line.split("\t")
            for line in fam.read_text(encoding="utf-8").splitlines()[1:]
            if "\t" in line
        ]
        ranked = [name for name, _ in sorted(rows, key=lambda r: -float(r[1] or 0))]
        lists["surnames"] = sorted(ranked[:COMMON_SURNAMES])
        lists["rare_surnames"] = sorted(w for w in ranked[COMMON_SURNAMES:] if len(w) == 1)
    persons = data_dir / "person_names/thuocl_lishimingren.tsv"
    if persons.is_file():
        names = (
            line.split("\t")[0].strip() for line in persons.read_text(encoding="utf-8").splitlines()
        )
        lists["persons"] = sorted({n for n in names if 2 <= len(n) <= 4})
    companies = data_dir / "company_names/company_short_names.txt"
    if companies.is_file():
        names = (line.strip() for line in companies.read_text(encoding="utf-8").splitlines())
        lists["companies"] = sorted({n for n in names if 2 <= len(n) <= 5})
    tags = []
    with jieba.get_dict_file() as fh:
        for line in fh:
            parts = line.decode("utf-8").split()
            if len(parts) == 3 and parts[2] in JIEBA_TAGS:
                tags += [parts[0], parts[2]]
    lists["jieba_tags"] = tags
    return Gazetteers(lists)


def bioes_tags(labels: Sequence[str]) -> list[str]:
    """The BIOES tag set in the fixed order used by the model files."""
    return ["O"] + [f"{p}-{lab}" for lab in labels for p in "BIES"]


class _Features:
    """Featurises training sentences exactly as CharNER does at prediction time."""

    def __init__(self, templates: Sequence[str], gaz: Gazetteers | None):
        import jieba

        self.templates = tuple(templates)
        self.featurizer = Featurizer(self.templates, gaz)
        logging.getLogger("jieba").setLevel(logging.WARNING)  # no "Building prefix dict" lines
        self.tokenizer = jieba.Tokenizer()
        self.tokenizer.initialize()

    def __call__(self, text: str) -> list[list[str]]:
        text = _clean(text)
        if self.featurizer.uses_words:
            wpos, wword = word_positions(self.tokenizer.lcut(text, HMM=True))
        else:
            wpos, wword = "S1" * len(text), [""] * len(text)
        n = len(text)
        values = self.featurizer.values(
            pad_join([text]), "S1S1" + wpos + "S1S1", [PAD] * 2 + wword + [PAD] * 2
        )
        cols = [
            [f"{t}\x01{v}" if v else "" for v in seq[2 : 2 + n]]
            for t, seq in zip(self.templates, values)
        ]
        return [[a for a in item if a] for item in zip(*cols)]


class _Trainer(pycrfsuite.Trainer):
    """pycrfsuite.Trainer that prints a compact progress line every 10 iterations."""

    def __init__(self, quiet: bool):
        # verbose=True makes pycrfsuite dispatch its log events to the on_* hooks below
        super().__init__(algorithm="lbfgs", verbose=True)
        self.quiet = quiet

    def on_iteration(self, log, info):
        if not self.quiet and (info["num"] % 10 == 0 or info["num"] == 1):
            print(
                f"  iter {info['num']:4d}  loss {info['loss']:.1f}  "
                f"active {info['active_features']}  {info['time']:.2f}s",
                flush=True,
            )

    def on_start(self, log):
        pass

    def on_featgen_progress(self, log, percent):
        pass

    def on_featgen_end(self, log):
        pass

    def on_prepared(self, log):
        pass

    def on_optimization_end(self, log):
        pass

    def on_end(self, log):
        pass


def export_model(
    crf_path: Path, out_dir: Path, templates: Sequence[str], gaz: Gazetteers | None, meta: dict
) -> dict:
    """Convert a crfsuite model into the CharNER files in out_dir; returns file sizes."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(crf_path))
    info = tagger.info()
    present = {t[2:] for t in tagger.labels() if t != "O"}
    tags = bioes_tags([lab for lab in ("PERSON", "ORG", "GPE", "TITLE") if lab in present])
    tag_index = {t: i for i, t in enumerate(tags)}
    order = {t: i for i, t in enumerate(templates)}
    attrs = sorted(
        {a for (a, _), w in info.state_features.items() if w != 0},
        key=lambda a: (order[a.split("\x01", 1)[0]], a),
    )
    attr_index = {a: i for i, a in enumerate(attrs)}
    state = np.zeros((len(attrs), len(tags)), np.float32)
    for (a, lab), w in info.state_features.items():
        if w != 0:
            state[attr_index[a], tag_index[lab]] = w
    trans = np.zeros((len(tags), len(tags)), np.float32)
    for (a, b), w in info.transitions.items():
        trans[tag_index[a], tag_index[b]] = w
    tagger.close()
    out_dir.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out_dir / "weights.npz", state=state, trans=trans)
    with (
        open(out_dir / "attributes.json.gz", "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh,
    ):
        fh.write(
            json.dumps([a.split("\x01", 1) for a in attrs], ensure_ascii=False).encode("utf-8")
        )
    if gaz is not None:
        gaz.save(out_dir / "gazetteers.json.gz")
    elif (out_dir / "gazetteers.json.gz").exists():
        (out_dir / "gazetteers.json.gz").unlink()
    meta = dict(meta, tags=tags, templates=list(templates), attributes=len(attrs))
    (out_dir / "meta.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return {p.name: p.stat().st_size for p in sorted(out_dir.iterdir()) if p.is_file()}


def crfsuite_agreement(
    crf_path: Path, model: CharNER, texts: Sequence[str], featurize: _Features
) -> float:
    """Share of characters where crfsuite's own tagger and CharNER's Viterbi give the same tag."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(crf_path))
    same = total = 0
    for text in texts:
        ours = tags_from_spans(len(text), model.predict(text), "bioes")
        theirs = tagger.tag(featurize(text))
        same += sum(a == b for a, b in zip(ours, theirs))
        total += len(text)
    tagger.close()
    return same / total if total else 1.0


def train(
    data_dir: Path,
    out_dir: Path | None = None,
    *,
    sample: Path | None = None,
    max_iterations: int | None = None,
    quiet: bool = False,
    eval_path: Path | None = None,
    corpora: Sequence[str] = DEFAULT_CORPORA,
    model: str = "crf",
    features: str = "full",
    cluener_address: str = "gpe",
    cluener_organization: str = "org",
    title: bool = False,
    c1: float = DEFAULTS["c1"],
    c2: float = DEFAULTS["c2"],
    min_freq: int = DEFAULTS["min_freq"],
    config: dict | None = None,
    threads: int = 1,
) -> dict:
    """Train the NER model into out_dir (None: the packaged pipeline/models/ner) and score it.

    Trains on `corpora` from data_dir (MSRA minus its held-out split) and scores on the
    MSRA held-out split; with `sample` trains only on that file and scores on `eval_path`
    (default: the sample itself).

    model="neural": the BiLSTM-CRF of zhie.ner.neural; needs torch. The last
    DEV_SENTENCES training sentences are held back to pick the best epoch (none with
    `sample`: the last epoch is kept); max_iterations caps the epochs; config overrides
    zhie.training.train_neural.DEFAULT_CONFIG; threads is torch's thread count (1 by default: the
    shipped model was trained so, and torch's results depend on it; with another process
    busy on this 2-core machine, two threads were slower than one).
    model="crf" (default, the shipped model): the character CRF; features "full" (chars, jieba words, gazetteers),
    "chars" (character n-grams and types only) or a comma-separated list of template names;
    max_iterations caps the L-BFGS iterations.
    """
    if out_dir is None:
        out_dir = Path(__file__).parent / "models" / "ner"
    if model == "crf":
        return _train_crf(
            data_dir,
            out_dir,
            sample=sample,
            max_iterations=max_iterations,
            quiet=quiet,
            eval_path=eval_path,
            corpora=corpora,
            features=features,
            cluener_address=cluener_address,
            cluener_organization=cluener_organization,
            title=title,
            c1=c1,
            c2=c2,
            min_freq=min_freq,
        )
    if model != "neural":
        raise ValueError(f"unknown model type {model!r} (neural or crf)")
    return _train_neural(
        data_dir,
        out_dir,
        sample=sample,
        max_iterations=max_iterations,
        quiet=quiet,
        eval_path=eval_path,
        corpora=corpora,
        cluener_address=cluener_address,
        cluener_organization=cluener_organization,
        title=title,
        config=config,
        threads=threads,
    )


def _training_data(
    data_dir, sample, eval_path, corpora, cluener_address, title, cluener_organization="org"
):
    """(training examples, evaluation examples, sources) as train() describes them."""
    if sample is not None:
        train_set = read_examples(sample)
        if not title:
            train_set = [
                Example(e.text, [s for s in e.spans if s[2] != "TITLE"]) for e in train_set
            ]
        eval_set = read_examples(eval_path or sample)
        sources = {Path(sample).name: len(train_set)}
    else:
        sources, train_set = {}, []
        for name in corpora:
            examples = load_corpus(
                data_dir,
                name,
                cluener_address=cluener_address,
                cluener_organization=cluener_organization,
                title=title,
            )
            sources[name] = len(examples)
            train_set += examples
        eval_set = (
            read_examples(eval_path)
            if eval_path
            else holdout_split(read_examples(data_dir / MSRA, "bio"))[1]
        )
    return train_set, eval_set, sources


def _finish_meta(out_dir: Path, scores: dict, sample, eval_path, seconds: float) -> None:
    meta_path = out_dir / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["eval"] = (
        "MSRA held-out" if sample is None and eval_path is None else Path(eval_path or sample).name
    )
    meta["scores"] = {k: round(v["f1"], 4) for k, v in scores.items() if isinstance(v, dict)}
    meta["train_seconds"] = round(seconds, 1)
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _train_neural(
    data_dir,
    out_dir,
    *,
    sample,
    max_iterations,
    quiet,
    eval_path,
    corpora,
    cluener_address,
    title,
    config,
    threads,
    cluener_organization="org",
) -> dict:
    import os

    # idle OpenMP threads must sleep, not spin: a spinning thread halves the speed when the
    # other core is busy (set before torch is first imported)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        import torch  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            "training the neural NER model needs torch: pip install 'zhie[train]' "
            "(or train the CRF with model='crf')"
        ) from exc
    from zhie.training.train_neural import save_model, torch_agreement, train_neural

    t0 = time.perf_counter()
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    log = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    train_set, eval_set, sources = _training_data(
        data_dir, sample, eval_path, corpora, cluener_address, title, cluener_organization
    )
    dev_set: list[Example] = []
    if sample is None:
        train_set, dev_set = train_set[:-DEV_SENTENCES], train_set[-DEV_SENTENCES:]
        sources["dev (last sentences, epoch selection)"] = len(dev_set)
    gaz = build_gazetteers(data_dir)
    tags = bioes_tags(
        [
            lab
            for lab in ("PERSON", "ORG", "GPE", "TITLE")
            if any(s[2] == lab for e in train_set for s in e.spans)
        ]
    )
    log(
        f"training the neural NER model on {len(train_set)} sentences "
        f"({sum(len(e.text) for e in train_set)} chars), dev {len(dev_set)}"
    )
    res = train_neural(
        train_set,
        dev_set,
        gaz,
        tags,
        config=config,
        epochs=max_iterations,
        threads=threads,
        log=log,
    )
    t1 = time.perf_counter()
    meta = dict(
        res["meta"],
        created=dt.date.today().isoformat(),
        data=sources,
        history=res["history"],
        threads=threads,
    )
    sizes = save_model(out_dir, res["arrays"], res["vocabs"], gaz, meta)
    ner = load_model(out_dir)
    scores = evaluate_examples(eval_set, ner)
    agreement = torch_agreement(res["net"], ner, [e.text for e in eval_set[:200]])
    t2 = time.perf_counter()
    result = {
        "eval": scores,
        "train_sentences": len(train_set),
        "train_chars": sum(len(e.text) for e in train_set),
        "iterations": meta["epochs"],
        "best_epoch": meta["best_epoch"],
        "dev_f1": meta["dev_f1"],
        "torch_max_abs_diff": agreement,
        "seconds": {
            "featurise": res["seconds"]["featurise"],
            "train": res["seconds"]["train"],
            "evaluate": t2 - t1,
            "total": t2 - t0,
        },
        "sizes": sizes,
    }
    _finish_meta(out_dir, scores, sample, eval_path, t2 - t0)
    log(
        f"micro F1 {scores['micro']['f1']:.4f} on {len(eval_set)} sentences; "
        f"{result['seconds']['total']:.0f}s total"
    )
    return result


def _train_crf(
    data_dir: Path,
    out_dir: Path,
    *,
    sample: Path | None,
    max_iterations: int | None,
    quiet: bool,
    eval_path: Path | None,
    corpora: Sequence[str],
    features: str,
    cluener_address: str,
    title: bool,
    c1: float,
    cluener_organization: str = "org",
    c2: float,
    min_freq: int,
) -> dict:
    t0 = time.perf_counter()
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    log = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    max_iterations = max_iterations or DEFAULTS["max_iterations"]
    train_set, eval_set, sources = _training_data(
        data_dir, sample, eval_path, corpora, cluener_address, title, cluener_organization
    )
    templates = {"full": TEMPLATES_FULL, "chars": TEMPLATES_CHAR}.get(features) or tuple(
        features.split(",")
    )
    gaz = None if set(templates) <= set(TEMPLATES_CHAR) else build_gazetteers(data_dir)
    featurize = _Features(templates, gaz)
    log(f"featurising {len(train_set)} sentences ({sum(len(e.text) for e in train_set)} chars)")
    trainer = _Trainer(quiet)
    trainer.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": max_iterations,
            "feature.minfreq": min_freq,
            "feature.possible_transitions": True,
        }
    )
    for ex in train_set:
        trainer.append(featurize(ex.text), tags_from_spans(len(ex.text), ex.spans, "bioes"))
    t1 = time.perf_counter()
    log(f"training CRF (c1={c1}, c2={c2}, min_freq={min_freq}, max {max_iterations} iterations)")
    with tempfile.TemporaryDirectory() as tmp:
        crf_path = Path(tmp) / "model.crfsuite"
        trainer.train(str(crf_path))
        t2 = time.perf_counter()
        meta = {
            "model": "crf",
            "created": dt.date.today().isoformat(),
            "data": sources,
            "features": features,
            "cluener_address": cluener_address,
            "cluener_organization": cluener_organization,
            "params": {"c1": c1, "c2": c2, "min_freq": min_freq, "max_iterations": max_iterations},
            "iterations": len(trainer.logparser.iterations),
        }
        for stale in ("vocab.json.gz",):  # neural model files that would no longer match
            if (out_dir / stale).exists():
                (out_dir / stale).unlink()
        sizes = export_model(crf_path, out_dir, templates, gaz, meta)
        model = load_model(out_dir)
        scores = evaluate_examples(eval_set, model)
        agreement = crfsuite_agreement(crf_path, model, [e.text for e in eval_set[:500]], featurize)
    t3 = time.perf_counter()
    result = {
        "eval": scores,
        "train_sentences": len(train_set),
        "train_chars": sum(len(e.text) for e in train_set),
        "iterations": meta["iterations"],
        "crfsuite_agreement": agreement,
        "seconds": {"featurise": t1 - t0, "crf": t2 - t1, "evaluate": t3 - t2, "total": t3 - t0},
        "sizes": sizes,
    }
    _finish_meta(out_dir, scores, sample, eval_path, t3 - t0)
    log(
        f"micro F1 {scores['micro']['f1']:.4f} on {len(eval_set)} sentences; "
        f"{result['seconds']['total']:.0f}s total"
    )
    return result
