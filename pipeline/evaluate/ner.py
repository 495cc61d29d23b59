"""Entity-level NER scoring (exact span and type, per label and micro-averaged, as conlleval)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from zhie.ner.corpora import Example, read_examples

Span = tuple[int, int, str]


def _prf(correct: int, n_pred: int, n_gold: int) -> dict:
    p = correct / n_pred if n_pred else 0.0
    r = correct / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": p,
        "recall": r,
        "f1": f,
        "support": n_gold,
        "predicted": n_pred,
        "correct": correct,
    }


def score_spans(gold: Sequence[Iterable[Span]], pred: Sequence[Iterable[Span]]) -> dict:
    """Score predicted against gold spans, one span collection per sentence.

    Returns {label: {precision, recall, f1, support, predicted, correct}, ..., "micro": {...}}
    for every label seen in gold or pred; a span counts only with exact start, end and label.
    """
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold sentences but {len(pred)} predicted")
    n_gold: Counter = Counter()
    n_pred: Counter = Counter()
    n_ok: Counter = Counter()
    for g, p in zip(gold, pred):
        g, p = set(g), set(p)
        n_gold.update(s[2] for s in g)
        n_pred.update(s[2] for s in p)
        n_ok.update(s[2] for s in g & p)
    result = {lab: _prf(n_ok[lab], n_pred[lab], n_gold[lab]) for lab in sorted(n_gold | n_pred)}
    result["micro"] = _prf(sum(n_ok.values()), sum(n_pred.values()), sum(n_gold.values()))
    return result


def evaluate_examples(examples: Sequence[Example], model) -> dict:
    """Score a loaded CharNER on examples; gold labels the model cannot predict are ignored.

    Corpora without FAC (MSRA, People's Daily, Weibo: their LOC / GPE covers venues too) are
    scored with the model's FAC spans counted as GPE.
    """
    labels = set(model.entity_labels)
    gold = [[s for s in ex.spans if s[2] in labels] for ex in examples]
    if examples:  # warm-up: the segmenter loads lazily and is not part of the timing
        model.predict(examples[0].text)
    start = time.perf_counter()
    pred = model.predict_batch([ex.text for ex in examples])
    seconds = time.perf_counter() - start
    if "FAC" in labels and not any(s[2] == "FAC" for g in gold for s in g):
        pred = [[(a, b, "GPE" if lab == "FAC" else lab) for a, b, lab in p] for p in pred]
    result = score_spans(gold, pred)
    result.update(
        sentences=len(examples), chars=sum(len(ex.text) for ex in examples), seconds=seconds
    )
    return result


# Annotation convention asked of the LAC-embedding model per file format (zhie.ner.embed):
# BIO files are MSRA / People's Daily, JSON files CLUENER; the rest follows this project's guidelines.
FILE_CONVENTIONS = {"bio": "msra", "cluener": "cluener"}


def evaluate_file(
    path: Path, *, model: Path | None = None, fmt: str | None = None, convention: str | None = None
) -> dict:
    """Score the NER model (None = the packaged one) on a BIO / BMES / CLUENER / Weibo file.

    Gold labels go through corpora.LABEL_MAP; labels the model does not predict are ignored.
    "seconds" is the prediction time (segmentation included), not the file reading.
    convention: for the LAC-embedding model, the annotation convention to follow (default by
    format, FILE_CONVENTIONS).
    """
    from zhie.ner.corpora import detect_format
    from zhie.ner.models import load_model

    ner = load_model(model)
    if hasattr(ner, "convention"):  # the LAC-embedding model: the file's annotation convention
        ner.convention = convention or FILE_CONVENTIONS.get(
            fmt or detect_format(Path(path)), "news"
        )
    return evaluate_examples(read_examples(path, fmt), ner)


def format_report(result: dict) -> str:
    """A small text table of a score dict from evaluate_file / score_spans."""
    labels = [k for k, v in result.items() if isinstance(v, dict) and k != "micro"] + ["micro"]
    lines = [f"{'label':<8} {'prec':>6} {'rec':>6} {'f1':>6} {'gold':>7} {'pred':>7}"]
    for lab in labels:
        m = result[lab]
        lines.append(
            f"{lab:<8} {m['precision']:6.4f} {m['recall']:6.4f} {m['f1']:6.4f} {m['support']:7d} {m['predicted']:7d}"
        )
    if "sentences" in result:
        rate = result["chars"] / result["seconds"] if result.get("seconds") else 0.0
        lines.append(
            f"{result['sentences']} sentences, {result['chars']} chars, {rate:,.0f} chars/s"
        )
    return "\n".join(lines)
