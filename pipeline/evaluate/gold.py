"""Evaluate stage: a run's tables against gold JSON files (the metrics of corpus/gold/GUIDELINES.md).

- mentions: exact (start, end, label) per label, and PERSON+ORG together (`core`);
- organisations, people: per-article sets of names (NFKC, whitespace removed); kind, title and
  organisation as accuracy over the matched names (a title naming one of several gold
  titles joined by 、 or / is correct);
- figures: a prediction overlapping a gold figure is correct when value and unit agree;
  qualifier and year as accuracy over the correct ones;
- events: per-article sets of (type, role, argument text), per event type.
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from zhie.files import write_atomic
from zhie.nlp.lexicon import load_lexicon
from zhie.resources import resolve_path

LABELS = ("PERSON", "ORG", "GPE", "FAC", "PROJECT", "EVENT")
CORE = ("PERSON", "ORG")
# Titles listed together in the gold (`主任、院士`): the separators of the reference scorer.
TITLE_SPLIT = load_lexicon(resolve_path("rules:")).pattern("title_separator")


@dataclass
class Score:
    """Precision, recall, F1 and gold support of one metric (accuracy metrics use `accuracy`)."""

    metric: str
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None
    accuracy: float | None = None
    support: int = 0


def norm(text) -> str:
    """NFKC-normalised text without whitespace (a non-string is empty)."""
    text = unicodedata.normalize("NFKC", text if isinstance(text, str) else "").strip()
    return "".join(text.split())


def title_match(pred, gold) -> bool:
    """Titles agree when equal, or when the prediction names titles that gold lists together."""
    p, g = norm(pred), norm(gold)
    if p == g:
        return True
    parts = {x for x in TITLE_SPLIT.split(g) if x}
    return p in parts or (bool(p) and set(TITLE_SPLIT.split(p)) <= parts)


def prf(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    """(precision, recall, F1) of `tp` true positives among `npred` predictions and `ngold` gold."""
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def load_gold(gold_dir: Path) -> dict[str, dict]:
    """Gold annotations by article id, from the `*.json` files of `gold_dir`."""
    golds = {}
    for path in sorted(Path(gold_dir).glob("*.json")):
        with open(path, encoding="utf-8") as f:
            gold = json.load(f)
        golds[gold["article_id"]] = gold
    return golds


def read_table(pred_dir: Path, name: str) -> list[dict]:
    """The rows of a run's table `name`.csv as string dicts (none when it is missing)."""
    path = Path(pred_dir) / f"{name}.csv"
    if not path.exists():
        return []
    df = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    return df.to_dict("records")


def as_int(value) -> int | None:
    """`value` as an int, or None when it is not one."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def score_mentions(golds, pred_dir) -> list[Score]:
    """Mention P/R/F1 per label (exact offsets) and for the core labels together."""
    pred, gold = defaultdict(set), defaultdict(set)
    for r in read_table(pred_dir, "mentions"):
        start, end = as_int(r.get("start")), as_int(r.get("end"))
        if r.get("article_id") in golds and start is not None and end is not None:
            pred[r.get("label")].add((r["article_id"], start, end))
    for aid, g in golds.items():
        for e in g["entities"]:
            gold[e["label"]].add((aid, e["start"], e["end"]))
    scores, core = [], [0, 0, 0]
    for label in LABELS:
        tp = len(pred[label] & gold[label])
        scores.append(
            Score(
                f"mentions.{label}",
                *prf(tp, len(pred[label]), len(gold[label])),
                support=len(gold[label]),
            )
        )
        if label in CORE:
            core = [core[0] + tp, core[1] + len(pred[label]), core[2] + len(gold[label])]
    scores.append(Score("mentions.core", *prf(*core), support=core[2]))
    return scores


def score_names(golds, pred_dir, table: str, attrs: tuple[str, ...]) -> list[Score]:
    """Name P/R/F1 of a table (organisations, people) and the accuracy of each of `attrs`."""
    pred = {}
    for r in read_table(pred_dir, table):
        if r.get("article_id") in golds:
            pred[(r["article_id"], norm(r.get("name")))] = r
    gold = {(aid, norm(x["name"])): x for aid, g in golds.items() for x in g[table]}
    matched = set(pred) & set(gold)
    scores = [Score(table, *prf(len(matched), len(pred), len(gold)), support=len(gold))]
    for attr in attrs:
        same = title_match if attr == "title" else (lambda p, g: norm(p) == norm(g))
        ok = sum(same(pred[k].get(attr), gold[k].get(attr)) for k in matched)
        scores.append(
            Score(
                f"{table}.{attr}_acc",
                accuracy=ok / len(matched) if matched else 0.0,
                support=len(matched),
            )
        )
    return scores


def score_figures(golds, pred_dir) -> list[Score]:
    """Figure P/R/F1 (overlap, value and unit) and the qualifier and year accuracy."""
    pred = defaultdict(list)
    for r in read_table(pred_dir, "figures"):
        if r.get("article_id") not in golds:
            continue
        try:
            pred[r["article_id"]].append(
                (int(r["start"]), int(r["end"]), float(r["value"]), norm(r.get("unit")), r)
            )
        except (KeyError, TypeError, ValueError):
            continue
    npred = sum(len(v) for v in pred.values())
    ngold = sum(len(g["figures"]) for g in golds.values())
    tp = qualifier_ok = year_ok = 0
    for aid, g in golds.items():
        used = set()
        for x in g["figures"]:
            for i, (s, e, value, unit, r) in enumerate(pred[aid]):
                if i in used or e <= x["start"] or s >= x["end"]:
                    continue
                if abs(value - x["value"]) <= 1e-6 * max(1.0, abs(x["value"])) and unit == norm(
                    x["unit"]
                ):
                    used.add(i)
                    tp += 1
                    qualifier_ok += norm(r.get("qualifier")) == norm(x.get("qualifier"))
                    gold_year = x.get("year")
                    pred_year = (r.get("year") or "").strip()
                    year_ok += (str(gold_year) if gold_year is not None else "") == (
                        pred_year.split(".")[0] if pred_year else ""
                    )
                    break
    return [
        Score("figures", *prf(tp, npred, ngold), support=ngold),
        Score("figures.qualifier_acc", accuracy=qualifier_ok / tp if tp else 0.0, support=tp),
        Score("figures.year_acc", accuracy=year_ok / tp if tp else 0.0, support=tp),
    ]


def score_events(golds, pred_dir) -> list[Score]:
    """Event-argument P/R/F1 per event type (type, role and text)."""
    types = {"signing"} | {e["type"] for g in golds.values() for e in g["events"]}
    event_type = {
        (r.get("article_id"), r.get("event_id")): r.get("type")
        for r in read_table(pred_dir, "events")
    }
    pred = set()
    for r in read_table(pred_dir, "event_arguments"):
        aid = r.get("article_id")
        if aid in golds:
            kind = r.get("type") or event_type.get((aid, r.get("event_id")))
            pred.add((aid, kind, r.get("role"), norm(r.get("text"))))
    gold = {
        (aid, e["type"], x["role"], norm(x["text"]))
        for aid, g in golds.items()
        for e in g["events"]
        for x in e["arguments"]
    }
    scores = []
    for kind in sorted(types):
        p = {x for x in pred if x[1] == kind}
        g = {x for x in gold if x[1] == kind}
        scores.append(Score(f"events.{kind}", *prf(len(p & g), len(p), len(g)), support=len(g)))
    return scores


def evaluate(gold_dir: Path, pred_dir: Path, articles: set[str] | None = None) -> list[Score]:
    """Every metric of a run's tables in `pred_dir` against the gold files of `gold_dir`
    (only the gold articles of `articles` when given)."""
    golds = load_gold(gold_dir)
    if articles is not None:
        golds = {aid: g for aid, g in golds.items() if aid in articles}
    return (
        score_mentions(golds, pred_dir)
        + score_names(golds, pred_dir, "organisations", ("kind",))
        + score_names(golds, pred_dir, "people", ("title", "organisation"))
        + score_figures(golds, pred_dir)
        + score_events(golds, pred_dir)
    )


SOURCES = "SOURCES.tsv"
GROUP_METRICS = (
    "mentions.core",
    "mentions.PERSON",
    "mentions.ORG",
    "mentions.GPE",
    "organisations",
    "people",
    "people.title_acc",
    "people.organisation_acc",
    "figures",
    "events.signing",
    "events.hosting",
    "events.founding",
)


def source_groups(gold_dir: Path, pred_dir: Path) -> dict[str, list[str]]:
    """The gold articles by source group: the `repo` column of the `SOURCES.tsv` beside each
    article file (the paths of the run's articles.csv), else the article's sub-folder, else `all`."""
    golds = load_gold(gold_dir)
    paths = {r["article_id"]: r.get("path", "") for r in read_table(pred_dir, "articles")}
    sources: dict[Path, dict[str, str]] = {}
    groups: dict[str, list[str]] = defaultdict(list)
    for aid in sorted(golds):
        folder = Path(paths.get(aid, "")).parent
        if folder not in sources:
            table = folder / SOURCES
            sources[folder] = {}
            if paths.get(aid) and table.is_file():
                frame = pd.read_csv(table, sep="\t", dtype=str, keep_default_na=False)
                if {"file", "repo"} <= set(frame.columns):
                    sources[folder] = {
                        Path(f).stem: repo for f, repo in zip(frame["file"], frame["repo"])
                    }
        name = Path(paths.get(aid, aid)).stem
        group = sources[folder].get(name) or (aid.split("/")[0] if "/" in aid else "all")
        groups[group].append(aid)
    return dict(groups)


def evaluate_groups(gold_dir: Path, pred_dir: Path) -> pd.DataFrame:
    """The main metrics per source group (F1, or accuracy for `_acc`), with article counts."""
    rows = []
    for group, ids in sorted(source_groups(gold_dir, pred_dir).items()):
        scores = {s.metric: s for s in evaluate(gold_dir, pred_dir, set(ids))}
        row = {"group": group, "articles": len(ids)}
        for metric in GROUP_METRICS:
            score = scores.get(metric)
            row[metric] = (
                None
                if score is None
                else score.accuracy
                if score.accuracy is not None
                else score.f1
            )
        rows.append(row)
    return pd.DataFrame(rows, columns=["group", "articles", *GROUP_METRICS])


def format_groups(groups: pd.DataFrame) -> str:
    """The per-group scores as an aligned text table (metric names shortened)."""
    short = {
        m: m.replace("mentions.", "")
        .replace("people.", "")
        .replace("events.", "")
        .replace("_acc", "")
        for m in GROUP_METRICS
    }
    width = max([5] + [len(g) for g in groups["group"]])
    lines = [
        f"{'group':{width}s} {'n':>3s} " + " ".join(f"{short[m][:9]:>9s}" for m in GROUP_METRICS)
    ]
    for row in groups.to_dict("records"):
        cells = [
            f"{row[m]:9.3f}" if row[m] is not None and row[m] == row[m] else f"{'':9s}"
            for m in GROUP_METRICS
        ]
        lines.append(f"{row['group']:{width}s} {row['articles']:3d} " + " ".join(cells))
    return "\n".join(lines)


def scores_frame(scores: list[Score]) -> pd.DataFrame:
    """The scores as a DataFrame, one row per metric."""
    return pd.DataFrame(
        [s.__dict__ for s in scores],
        columns=["metric", "precision", "recall", "f1", "accuracy", "support"],
    )


def format_scores(scores: list[Score]) -> str:
    """The scores as an aligned text table."""
    lines = [f"{'metric':30s} {'P':>6s} {'R':>6s} {'F1':>6s} {'acc':>6s} {'n':>5s}"]
    for s in scores:
        cells = [
            f"{v:6.3f}" if v is not None else f"{'':6s}"
            for v in (s.precision, s.recall, s.f1, s.accuracy)
        ]
        lines.append(f"{s.metric:30s} {' '.join(cells)} {s.support:5d}")
    return "\n".join(lines)


def write_scores(scores: list[Score], path: Path) -> None:
    """Write the scores to the CSV file `path` (atomically)."""
    df = scores_frame(scores)
    write_atomic(path, lambda tmp: df.to_csv(tmp, index=False, float_format="%.4f"))
