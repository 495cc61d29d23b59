"""Model selection for the LAC-embedding NER model (issue 11): cross-validation by source group.

Run from the repository root with the training venv (torch):

    python bench/ner_embed.py cv NAME --lac /work/lac/LAC-2.1.2.tar.gz [--config JSON] [--threads 1]
        stage 1 once on the public corpora, then for each source group of the dev gold a stage 2
        without that group (model saved to outputs/ner_cv/NAME/fold-GROUP), and the final stage 2
        on all groups (outputs/ner_cv/NAME/final); scores: MSRA held-out and model alone on the
        left-out group; rows appended to outputs/ner_cv/results.jsonl
    python bench/ner_embed.py score-gold MODEL_DIR [--name NAME]      # model alone on every group
    python bench/ner_embed.py pipeline NAME [--crf]                   # full pipeline per fold (zhie run + evaluate)

The CRF baseline needs no folds for "model alone" (it is trained on MSRA only); for the full
pipeline every group is run with the model given.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = Path("/work/shared/data")
ARTICLES = ROOT / "corpus" / "articles"
GOLD = ROOT / "corpus" / "gold"
OUT = ROOT / "outputs" / "ner_cv"
LABELS = ("PERSON", "ORG", "GPE", "FAC")


def slug(group: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in group).strip("-")


def gold_by_group():
    from zhie.training.train_embed import gold_examples

    groups: dict[str, list] = {}
    for aid, group, ex in gold_examples(ARTICLES, GOLD):
        groups.setdefault(group, []).append((aid, ex))
    return groups


def score_model_on(model, items) -> dict:
    """Model alone on (article id, Example) items: P/R/F1 per label (gold PERSON/ORG/GPE/FAC)."""
    from zhie.evaluate.ner import score_spans

    labels = set(model.entity_labels)
    pred = model.predict_batch([ex.text for _, ex in items])
    gold = [[s for s in ex.spans if s[2] in labels] for _, ex in items]
    res = score_spans(gold, pred)
    return {
        k: {
            m: round(v[m], 4)
            for m in ("precision", "recall", "f1", "support", "predicted", "correct")
        }
        for k, v in res.items()
    }


def heldout_scores(model) -> dict:
    from zhie.evaluate.ner import evaluate_examples
    from zhie.ner.corpora import read_examples

    held = read_examples(DATA / "msra_ner/train.bio", "bio")[-3000:]
    if hasattr(model, "convention"):
        before, model.convention = model.convention, "msra"
        res = evaluate_examples(held, model)
        model.convention = "news"
        news = evaluate_examples(held, model)
        model.convention = before
        out = {k: round(v["f1"], 4) for k, v in res.items() if isinstance(v, dict)}
        out["micro_news_convention"] = round(news["micro"]["f1"], 4)
        return out
    res = evaluate_examples(held, model)
    return {k: round(v["f1"], 4) for k, v in res.items() if isinstance(v, dict)}


def _append(row: dict) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "results.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(json.dumps(row, ensure_ascii=False), flush=True)


def cmd_cv(args) -> None:
    import torch

    from zhie.training.train_embed import Trainer, export_arrays, save_model

    cfg = json.loads(args.config) if args.config else {}
    base = OUT / args.name
    base.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    trainer = Trainer(DATA, args.lac, ARTICLES, GOLD, config=cfg, threads=args.threads)
    groups = gold_by_group()
    all_items = [it for items in groups.values() for it in items]

    def on_epoch(tr, net):
        model = tr.numpy_model(net)
        g = score_model_on(model, all_items)
        return {
            "heldout": heldout_scores(model)["micro"],
            "gold_PERSON": g["PERSON"]["f1"],
            "gold_ORG": g["ORG"]["f1"],
        }

    state = (OUT / args.stage1_from / "stage1.pt") if args.stage1_from else base / "stage1.pt"
    if state.exists() and not args.retrain:
        trainer.stage1_state = torch.load(state)
        print(f"stage 1 from {state}")
    else:
        trainer.stage1(on_epoch=on_epoch if args.verbose else None)
        torch.save(trainer.stage1_state, state)
        _append(
            {
                "name": args.name,
                "kind": "stage1",
                "config": trainer.cfg,
                "history": trainer.history,
                "seconds": round(trainer.seconds["stage1"]),
            }
        )
    # stage 1 alone (no gold): a zero-gold reference
    net = trainer.new_net()
    net.load_state_dict(trainer.stage1_state)
    model = trainer.numpy_model(net)
    _append(
        {
            "name": args.name,
            "kind": "stage1-scores",
            "heldout": heldout_scores(model),
            "gold_all": score_model_on(model, all_items),
        }
    )
    folds = {}
    for group, items in sorted(groups.items()):
        if args.groups and slug(group) not in args.groups.split(","):
            continue
        net, hist = trainer.stage2(exclude_groups=[group])
        model = trainer.numpy_model(net)
        out_dir = base / f"fold-{slug(group)}"
        save_model(
            out_dir,
            export_arrays(net),
            trainer.vocabs,
            trainer.gaz,
            dict(trainer.meta_base(), fold=group),
        )
        folds[group] = score_model_on(model, items)
        _append(
            {
                "name": args.name,
                "kind": "fold",
                "group": group,
                "articles": len(items),
                "left_out": folds[group],
                "heldout": heldout_scores(model),
                "history": hist,
            }
        )
    if not args.no_final:
        net, hist = trainer.stage2()
        model = trainer.numpy_model(net)
        save_model(
            base / "final",
            export_arrays(net),
            trainer.vocabs,
            trainer.gaz,
            dict(trainer.meta_base(), fold=None),
        )
        _append(
            {
                "name": args.name,
                "kind": "final",
                "heldout": heldout_scores(model),
                "history": hist,
                "seconds": round(time.perf_counter() - t0),
            }
        )


def cmd_score_gold(args) -> None:
    from zhie.ner.models import load_model

    model = load_model(args.model)
    groups = gold_by_group()
    row = {
        "name": args.name or str(args.model),
        "kind": "score-gold",
        "heldout": heldout_scores(model),
        "groups": {},
    }
    for group, items in sorted(groups.items()):
        row["groups"][group] = score_model_on(model, items)
    row["all"] = score_model_on(model, [it for items in groups.values() for it in items])
    _append(row)


def cmd_pipeline(args) -> None:
    """zhie run on each group's articles with that group's fold model, then zhie evaluate on its gold."""
    import shutil

    groups = gold_by_group()
    base = OUT / args.name
    zhie = str(Path(sys.executable).parent / "zhie")
    for group, items in sorted(groups.items()):
        work = base / f"{args.subdir}-{slug(group)}"
        arts, gold = work / "articles", work / "gold"
        for d in (arts, gold):
            shutil.rmtree(d, ignore_errors=True)
            d.mkdir(parents=True)
        for aid, _ in items:
            shutil.copy(ARTICLES / f"{aid}.txt", arts / f"{aid}.txt")
            shutil.copy(GOLD / f"{aid}.json", gold / f"{aid}.json")
        cmd = [
            zhie,
            "run",
            str(arts),
            "--out",
            str(work / "out"),
            "--jobs",
            "1",
            "--fresh",
            "--quiet",
        ]
        if args.crf:
            cmd += ["--ner", "crf"]
            if args.model:
                cmd += ["--set", f"components.zhie_ner.model={args.model}"]
        else:
            model = args.model or str(base / f"fold-{slug(group)}")
            cmd += [
                "--set",
                "components.zhie_ner.backend=embed",
                "--set",
                f"components.zhie_ner.model={model}",
            ]
        for extra in args.set or []:
            cmd += ["--set", extra]
        subprocess.run(cmd, check=False)
        from zhie.evaluate.gold import evaluate

        scores = {
            s.metric: round(s.f1 if s.f1 is not None else s.accuracy, 4)
            for s in evaluate(gold, work / "out")
        }
        _append(
            {
                "name": args.name,
                "kind": "pipeline",
                "crf": args.crf,
                "group": group,
                "articles": len(items),
                "set": args.set,
                "scores": scores,
            }
        )


def pooled(name: str, subdir: str = "pipe") -> dict:
    """The full-pipeline scores over all groups at once: every article scored from the run of its own fold."""
    import pandas as pd

    from zhie.evaluate.gold import evaluate

    base = OUT / name
    merged = base / f"{subdir}-all"
    merged.mkdir(parents=True, exist_ok=True)
    for table in (
        "mentions",
        "organisations",
        "people",
        "figures",
        "events",
        "event_arguments",
        "articles",
    ):
        frames = [
            pd.read_csv(
                d / "out" / f"{table}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False
            )
            for d in sorted(base.glob(f"{subdir}-*"))
            if d != merged and (d / "out" / f"{table}.csv").exists()
        ]
        if frames:
            pd.concat(frames).to_csv(merged / f"{table}.csv", index=False, encoding="utf-8-sig")
    return {
        s.metric: round(s.f1 if s.f1 is not None else s.accuracy, 4) for s in evaluate(GOLD, merged)
    }


def cmd_pooled(args) -> None:
    _append(
        {
            "name": args.name,
            "kind": "pipeline-pooled",
            "subdir": args.subdir,
            "scores": pooled(args.name, args.subdir),
        }
    )


def main() -> None:
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("cv")
    c.add_argument("name")
    c.add_argument("--lac", type=Path, required=True)
    c.add_argument("--config")
    c.add_argument("--threads", type=int, default=1)
    c.add_argument("--groups", help="comma-separated slugs of the groups to run (default all)")
    c.add_argument("--retrain", action="store_true", help="redo stage 1 even when saved")
    c.add_argument(
        "--stage1-from", help="reuse the stage 1 of this earlier run (same stage-1 config)"
    )
    c.add_argument(
        "--verbose", action="store_true", help="score held-out and gold after every stage-1 epoch"
    )
    c.add_argument("--no-final", action="store_true")
    c.set_defaults(func=cmd_cv)
    c = sub.add_parser("score-gold")
    c.add_argument("model", type=Path)
    c.add_argument("--name")
    c.set_defaults(func=cmd_score_gold)
    c = sub.add_parser("pipeline")
    c.add_argument("name")
    c.add_argument("--crf", action="store_true", help="the CRF backend (one model for every group)")
    c.add_argument("--model", help="one model folder for every group instead of the fold models")
    c.add_argument("--set", action="append")
    c.add_argument("--subdir", default="pipe", help="folder prefix of the runs (default pipe)")
    c.set_defaults(func=cmd_pipeline)
    c = sub.add_parser(
        "pooled", help="full-pipeline scores over all groups (each from its fold's run)"
    )
    c.add_argument("name")
    c.add_argument("--subdir", default="pipe")
    c.set_defaults(func=cmd_pooled)
    args = p.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
