"""Speed of LAC-embedding NER models alone (numpy inference, words given), side by side.

The MSRA held-out split (last 3,000 sentences of msra_ner/train.bio) as 100 documents of 30
sentences, words from a plain jieba.Tokenizer (as in bench/ner_embed_cost.py); every model
predicts all of them, rounds alternate between the models, best of `--rounds` CPU times
(time.process_time: the machine is shared). One numpy thread.

    python bench/ner_embed_speed.py [MODEL_DIR ...] [--shipped] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = Path("/work/shared/data")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("models", nargs="*", type=Path)
    p.add_argument("--shipped", action="store_true", help="also the packaged model")
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()
    import jieba

    from zhie.ner.corpora import read_examples
    from zhie.ner.embed import EmbedNER

    held = read_examples(DATA / "msra_ner/train.bio")[-3000:]
    tk = jieba.Tokenizer()
    tk.initialize()
    pairs = []
    for i in range(0, len(held), 30):
        text = "".join(e.text for e in held[i : i + 30])
        pairs.append((text, tk.lcut(text)))
    n = sum(len(t) for t, _ in pairs)
    models = {str(d): EmbedNER(d) for d in args.models}
    if args.shipped:
        models["shipped"] = EmbedNER()
    for m in models.values():
        m.predict("预热", ["预热"])
    times: dict[str, list[float]] = {k: [] for k in models}
    for _ in range(args.rounds):
        for name, m in models.items():
            cpu0 = time.process_time()
            for text, words in pairs:
                m.predict(text, words)
            times[name].append(time.process_time() - cpu0)
    for name, m in models.items():
        cfg = m.meta["config"]
        print(
            json.dumps(
                {
                    "model": name,
                    "encoder": cfg.get("encoder", "cnn"),
                    "hidden": cfg.get("hidden") if "bilstm" in cfg.get("encoder", "cnn") else None,
                    "chars": n,
                    "cpu_s": [round(x, 2) for x in times[name]],
                    "chars_per_cpu_s": round(n / min(times[name])),
                    "loadavg": [round(x, 2) for x in os.getloadavg()],
                }
            )
        )


if __name__ == "__main__":
    main()
