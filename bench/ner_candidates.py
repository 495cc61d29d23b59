"""Side-by-side comparison of NER candidates for the statistical NER stage (issue 3).

Run from the repository root with the project venv, one heavy command at a time:

    python bench/ner_candidates.py crf NAME --out DIR [--features chars|full] [--corpora msra,cluener,...]
    python bench/ner_candidates.py neural NAME --out DIR [--config JSON] [--epochs N] [--threads N]
    python bench/ner_candidates.py score MODEL_DIR [--name NAME]     # F1 tables, domain P/R, speed
    python bench/ner_candidates.py cuts                             # held-out entities cut by jieba
    python bench/ner_candidates.py spacy NAME --out DIR --minutes 20 [--segmenter jieba|char]

Results are appended as JSON lines to --results (default outputs/ner_bench.jsonl).
"""

from __future__ import annotations

import argparse
import glob
import json
import subprocess
import sys
import time
from pathlib import Path

DATA = Path("/work/shared/data")
CORPUS = Path("/work/shared/corpus/dev")
GOLD = Path("/work/shared/gold")
OURS = ("PERSON", "ORG", "GPE")


def _append(path: Path, row: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(json.dumps(row, ensure_ascii=False, indent=1))


def _f1s(result: dict) -> dict:
    return {k: round(v["f1"], 4) for k, v in result.items() if isinstance(v, dict)}


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def domain_articles() -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Dev articles in Simplified script with their gold PERSON/ORG/GPE spans."""
    import opencc

    cc = opencc.OpenCC("t2s")
    out = []
    for txt in sorted(glob.glob(str(CORPUS / "*.txt"))):
        gold_path = GOLD / (Path(txt).stem + ".json")
        if not gold_path.exists():
            continue
        text = Path(txt).read_text(encoding="utf-8-sig")
        simple = cc.convert(text)
        if len(simple) != len(text):
            raise SystemExit(f"t2s changed the length of {txt}")
        gold = json.loads(gold_path.read_text(encoding="utf-8"))["entities"]
        out.append((simple, [(e["start"], e["end"], e["label"]) for e in gold]))
    return out


def score_domain(predict_batch) -> dict:
    """Per-label P/R/F of a predictor on the dev articles (gold FAC/EVENT/PROJECT kept as gold,
    so a predicted ORG that is gold FAC counts as a false positive)."""
    from zhie.evaluate.ner import score_spans

    arts = domain_articles()
    pred = predict_batch([t for t, _ in arts])
    res = score_spans([[s for s in g if s[2] in OURS] for _, g in arts], pred)
    return {
        k: {m: round(v[m], 4) for m in ("precision", "recall", "f1", "support")}
        for k, v in res.items()
    }


def speed(predict, words_fn=None) -> dict:
    """chars/s of predict vs jieba.posseg.lcut on the same long texts, one process."""
    import jieba
    import jieba.posseg

    from zhie.ner.corpora import read_examples

    held = read_examples(DATA / "msra_ner/train.bio")[-3000:]
    docs = ["".join(e.text for e in held[i : i + 30]) for i in range(0, 3000, 30)]
    texts = [t for t, _ in domain_articles()] * 5 + docs
    n = sum(map(len, texts))
    jieba.posseg.lcut("预热")
    predict("预热")

    def rate(fn, args):
        start = time.perf_counter()
        for a in args:
            fn(*a)
        return n / (time.perf_counter() - start)

    out = {"chars": n, "posseg": rate(jieba.posseg.lcut, [(t,) for t in texts])}
    out["model"] = rate(predict, [(t,) for t in texts])
    if words_fn is not None:
        tk = jieba.Tokenizer()
        tk.initialize()
        out["jieba_lcut"] = rate(tk.lcut, [(t,) for t in texts])
        words = [tk.lcut(t) for t in texts]
        out["model_with_words"] = rate(words_fn, list(zip(texts, words)))
    out = {k: round(v) for k, v in out.items()}
    out["ratio"] = round(out["model"] / out["posseg"], 2)
    if "model_with_words" in out:
        out["ratio_with_words"] = round(out["model_with_words"] / out["posseg"], 2)
    return out


def cmd_crf(args) -> None:
    from zhie.training.train import train

    kw = json.loads(args.kw) if args.kw else {}
    r = train(
        args.data,
        args.out,
        model="crf",
        features=args.features,
        corpora=args.corpora.split(","),
        max_iterations=args.max_iterations,
        **kw,
    )
    _append(
        args.results,
        {
            "name": args.name,
            "kind": "crf",
            "features": args.features,
            "corpora": args.corpora,
            "kw": kw,
            "msra_heldout": _f1s(r["eval"]),
            "train_seconds": round(r["seconds"]["total"]),
            "iterations": r["iterations"],
            "size": dir_size(args.out),
            "crfsuite_agreement": r["crfsuite_agreement"],
        },
    )


def cmd_neural(args) -> None:
    from zhie.training.train import train

    cfg = json.loads(args.config) if args.config else None
    r = train(
        args.data,
        args.out,
        model="neural",
        config=cfg,
        max_iterations=args.epochs,
        threads=args.threads,
    )
    _append(
        args.results,
        {
            "name": args.name,
            "kind": "neural",
            "config": cfg,
            "msra_heldout": _f1s(r["eval"]),
            "train_seconds": round(r["seconds"]["total"]),
            "epochs": r["iterations"],
            "best_epoch": r["best_epoch"],
            "dev_f1": r["dev_f1"],
            "size": dir_size(args.out),
            "torch_max_abs_diff": r["torch_max_abs_diff"],
        },
    )


def cmd_score(args) -> None:
    from zhie.evaluate.ner import evaluate_examples, evaluate_file
    from zhie.ner.corpora import read_examples
    from zhie.ner.models import load_model
    from zhie.training.train import holdout_split

    model = load_model(args.model)
    held = holdout_split(read_examples(args.data / "msra_ner/train.bio"))[1]
    row = {
        "name": args.name or str(args.model),
        "kind": "score",
        "size": dir_size(args.model),
        "msra_heldout": evaluate_examples(held, model),
        "resume_dev": evaluate_file(args.data / "resume_ner/dev.bmes", model=args.model),
        "weibo_dev": evaluate_file(args.data / "weibo_ner/dev.conll", model=args.model),
        "domain": score_domain(model.predict_batch),
        "speed": speed(model.predict, model.predict),
    }
    for k in ("msra_heldout", "resume_dev", "weibo_dev"):
        row[k] = {
            lab: {m: round(v[m], 4) for m in ("precision", "recall", "f1", "support")}
            for lab, v in row[k].items()
            if isinstance(v, dict)
        }
    _append(args.results, row)


def cmd_cuts(args) -> None:
    """How many held-out entities do not start and end on jieba word boundaries."""
    import jieba

    from zhie.ner.corpora import read_examples
    from zhie.training.train import holdout_split

    tk = jieba.Tokenizer()
    held = holdout_split(read_examples(args.data / "msra_ner/train.bio"))[1]
    total = cut = 0
    by_label: dict[str, list[int]] = {}
    for ex in held:
        bounds, pos = {0}, 0
        for w in tk.lcut(ex.text, HMM=True):
            pos += len(w)
            bounds.add(pos)
        for s, e, lab in ex.spans:
            c = by_label.setdefault(lab, [0, 0])
            c[0] += 1
            total += 1
            if s not in bounds or e not in bounds:
                c[1] += 1
                cut += 1
    _append(
        args.results,
        {
            "kind": "cuts",
            "entities": total,
            "cut_by_jieba": cut,
            "share": round(cut / total, 4),
            "by_label": by_label,
        },
    )


def cmd_spacy(args) -> None:
    """Time-boxed spaCy NER (CNN, optimize=efficiency) on MSRA train minus held-out."""
    import spacy
    from spacy.tokens import DocBin

    from zhie.ner.corpora import read_examples
    from zhie.training.train import holdout_split

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    train_ex, held = holdout_split(read_examples(args.data / "msra_ner/train.bio"))
    cfg = out / "config.cfg"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "spacy",
            "init",
            "config",
            str(cfg),
            "--lang",
            "zh",
            "--pipeline",
            "ner",
            "--optimize",
            "efficiency",
            "--force",
        ],
        check=True,
    )
    text = cfg.read_text().replace('segmenter = "char"', f'segmenter = "{args.segmenter}"')
    cfg.write_text(text)
    nlp = spacy.util.load_model_from_config(spacy.util.load_config(cfg), auto_fill=True)
    lost = 0
    # model selection on the last 1,000 training sentences, never on the held-out split
    for name, examples in (("train", train_ex[:-1000]), ("dev", train_ex[-1000:])):
        db = DocBin()
        for ex in examples:
            doc = nlp.make_doc(ex.text)
            ents = []
            for s, e, lab in ex.spans:
                span = doc.char_span(s, e, label=lab)
                if span is None:
                    lost += name == "train"
                else:
                    ents.append(span)
            doc.ents = spacy.util.filter_spans(ents)
            db.add(doc)
        db.to_disk(out / f"{name}.spacy")
    start = time.perf_counter()
    cmd = [
        "timeout",
        f"{args.minutes}m",
        sys.executable,
        "-m",
        "spacy",
        "train",
        str(cfg),
        "--output",
        str(out),
        "--paths.train",
        str(out / "train.spacy"),
        "--paths.dev",
        str(out / "dev.spacy"),
        "--training.eval_frequency",
        "500",
    ]
    subprocess.run(cmd)
    train_seconds = time.perf_counter() - start
    nlp = spacy.load(out / "model-best")
    from zhie.evaluate.ner import score_spans

    def predict_batch(texts):
        return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)]

    held_scores = score_spans([ex.spans for ex in held], predict_batch([ex.text for ex in held]))
    _append(
        args.results,
        {
            "name": args.name,
            "kind": "spacy",
            "segmenter": args.segmenter,
            "train_entities_lost_to_tokens": lost,
            "train_seconds": round(train_seconds),
            "msra_heldout": _f1s(held_scores),
            "domain": score_domain(predict_batch),
            "size": dir_size(out / "model-best"),
            "speed": speed(lambda t: nlp(t)),
        },
    )


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--data", type=Path, default=DATA)
    p.add_argument("--results", type=Path, default=Path("outputs/ner_bench.jsonl"))
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("crf")
    c.add_argument("name")
    c.add_argument("--out", type=Path, required=True)
    c.add_argument("--features", default="full", choices=("full", "chars"))
    c.add_argument("--corpora", default="msra")
    c.add_argument("--max-iterations", type=int, default=None)
    c.add_argument("--kw", help="extra train() keywords as JSON, e.g. '{\"c1\": 0.1}'")
    nn = sub.add_parser("neural")
    nn.add_argument("name")
    nn.add_argument("--out", type=Path, required=True)
    nn.add_argument(
        "--config", help="overrides of zhie.training.train_neural.DEFAULT_CONFIG as JSON"
    )
    nn.add_argument("--epochs", type=int, default=None)
    nn.add_argument("--threads", type=int, default=1)
    s = sub.add_parser("score")
    s.add_argument("model", type=Path)
    s.add_argument("--name")
    sub.add_parser("cuts")
    sp = sub.add_parser("spacy")
    sp.add_argument("name")
    sp.add_argument("--out", type=Path, required=True)
    sp.add_argument("--minutes", type=int, default=20)
    sp.add_argument("--segmenter", default="jieba", choices=("jieba", "char"))
    args = p.parse_args(argv)
    {
        "crf": cmd_crf,
        "neural": cmd_neural,
        "score": cmd_score,
        "cuts": cmd_cuts,
        "spacy": cmd_spacy,
    }[args.cmd](args)


if __name__ == "__main__":
    main()
