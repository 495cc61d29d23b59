"""CPU time and memory of one pipeline process with a model NER backend (one backend a run).

- load: CPU seconds of `zhie.load`, RSS once loaded, peak RSS while loading;
- the pipeline on the dev articles (`corpus/articles`): RSS after the first pass (what a worker
  holds), chars per CPU second of the later passes (best of 3);
- the model alone, words given: the dev articles (t2s, the pipeline's words) x3 + the MSRA
  held-out split (last 3,000 sentences of msra_ner/train.bio) as 100 documents of 30 sentences
  (words from a plain jieba.Tokenizer), best of 3; jieba.posseg.lcut on the same texts.

CPU time (time.process_time), not wall time: the machine is shared. RSS from psutil, peaks from
getrusage. `--module FILE` runs another copy of zhie/ner/embed.py in its place (e.g. an earlier
commit's, `git show REV:pipeline/ner/embed.py > /tmp/embed_rev.py`) to compare inference code.

    python bench/ner_embed_cost.py --ner embed [--module /tmp/embed_rev.py] [--data /work/shared/data]
    python bench/ner_embed_cost.py --ner crf
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent


def mib(n_bytes: float) -> float:
    return round(n_bytes / 2**20, 1)


def peak_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--ner", choices=["embed", "crf"], default="embed")
    p.add_argument(
        "--module", type=Path, help="a zhie/ner/embed.py to use instead of the installed one"
    )
    p.add_argument("--articles", type=Path, default=ROOT / "corpus" / "articles")
    p.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    args = p.parse_args()
    proc = psutil.Process()
    if args.module:
        spec = importlib.util.spec_from_file_location("zhie.ner.embed", args.module)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["zhie.ner.embed"] = module
        spec.loader.exec_module(module)
    import zhie
    from zhie.runners.process import article_rows
    from zhie.text.read import read_article

    out: dict = {"ner": args.ner, "module": str(args.module or "installed")}
    cpu0 = time.process_time()
    nlp = zhie.load(overrides={"components.zhie_ner.backend": args.ner})
    out["load_cpu_s"] = round(time.process_time() - cpu0, 2)
    out["rss_loaded_mib"] = mib(proc.memory_info().rss)
    out["peak_loading_mib"] = peak_mib()
    tagger = dict(nlp.pipeline)["zhie_ner"].tagger
    out["tagger"] = f"{type(tagger).__module__}.{type(tagger).__name__}"
    out["tagger_file"] = sys.modules[type(tagger).__module__].__file__

    arts = [read_article(path, args.articles) for path in sorted(args.articles.glob("*.txt"))]
    runs = []
    for rep in range(4):
        cpu0 = time.process_time()
        for a in arts:
            article_rows(nlp, a)
        runs.append(time.process_time() - cpu0)
        if rep == 0:
            out["rss_after_dev_mib"] = mib(proc.memory_info().rss)
            out["peak_after_dev_mib"] = peak_mib()
    chars = sum(len(a.text) for a in arts)
    out["dev"] = {"articles": len(arts), "chars": chars, "cpu_s": [round(x, 2) for x in runs]}
    out["pipeline_chars_per_cpu_s"] = round(chars / min(runs[1:]))

    import jieba
    import jieba.posseg

    from zhie.ner.corpora import read_examples
    from zhie.nlp.spans import words_of

    pairs = []
    for a in arts:
        doc = nlp.make_doc(a.text)
        for name, component in nlp.pipeline:
            if name == "zhie_ner":
                break
            doc = component(doc)
        texts, _ = words_of(doc)
        pairs.append(("".join(texts), texts))
    pairs *= 3
    msra = args.data / "msra_ner" / "train.bio"
    if msra.is_file():
        held = read_examples(msra)[-3000:]
        tk = jieba.Tokenizer()
        tk.initialize()
        for i in range(0, len(held), 30):
            text = "".join(e.text for e in held[i : i + 30])
            pairs.append((text, tk.lcut(text)))
    n = sum(len(t) for t, _ in pairs)
    tagger.predict("预热", ["预热"])
    times = []
    for _ in range(3):
        cpu0 = time.process_time()
        for text, words in pairs:
            tagger.predict(text, words)
        times.append(time.process_time() - cpu0)
    jieba.posseg.lcut("预热")
    cpu0 = time.process_time()
    for text, _ in pairs:
        jieba.posseg.lcut(text)
    posseg = n / (time.process_time() - cpu0)
    out["model"] = {"chars": n, "cpu_s": [round(x, 2) for x in times]}
    out["model_chars_per_cpu_s"] = round(n / min(times))
    out["posseg_chars_per_cpu_s"] = round(posseg)
    out["model_vs_posseg"] = round(n / min(times) / posseg, 2)
    out["loadavg"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
