"""Quick ablations of the LAC-embedding NER model: stage 1 only, on a subset, MSRA held-out and
gold (model alone, zero gold) after every epoch. Rows go to outputs/ner_cv/quick.jsonl.

    python bench/ner_embed_quick.py NAME --lac LAC-2.1.2.tar.gz --config '{"limit": {"msra": 15000}, ...}' [--save DIR]

--save writes the model after the last epoch (the numpy model that was scored) to DIR, e.g. for
bench/ner_embed_speed.py. Each epoch's row has the load average when it ended (the machine is
shared: train seconds depend on it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ner_embed import ARTICLES, DATA, GOLD, OUT, gold_by_group, heldout_scores, score_model_on  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("name")
    p.add_argument("--lac", type=Path, required=True)
    p.add_argument("--config", default="{}")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--save", type=Path, help="write the last epoch's model to this folder")
    args = p.parse_args()
    from zhie.training.train_embed import Trainer

    cfg = json.loads(args.config)
    trainer = Trainer(DATA, args.lac, ARTICLES, GOLD, config=cfg, threads=args.threads)
    items = [it for its in gold_by_group().values() for it in its]

    def on_epoch(tr, net):
        model = tr.numpy_model(net)
        g = score_model_on(model, items)
        return {
            "heldout": heldout_scores(model),
            "gold": {k: g[k]["f1"] for k in ("PERSON", "ORG", "GPE")},
            "load": round(os.getloadavg()[0], 2),
        }

    trainer.stage1(on_epoch=on_epoch)
    if args.save:
        from zhie.training.train_embed import export_arrays, save_model

        net = trainer.new_net()
        net.load_state_dict(trainer.stage1_state)
        meta = dict(trainer.meta_base(), history=trainer.history, quick=args.name)
        save_model(args.save, export_arrays(net), trainer.vocabs, trainer.gaz, meta)
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "quick.jsonl", "a", encoding="utf-8") as fh:
        fh.write(
            json.dumps(
                {"name": args.name, "config": cfg, "history": trainer.history}, ensure_ascii=False
            )
            + "\n"
        )


if __name__ == "__main__":
    main()
