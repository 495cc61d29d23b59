"""Time grows with article length: per-stage times for articles of 10k, 100k and 1M characters.

Three kinds of article, each cut to the requested length:

- `punctuated`: the paragraphs of corpus/articles, one after another, as a long news text;
- `unpunctuated`: the same characters with every punctuation mark and line break removed
  (one "sentence" of the whole length, the worst case for sentence-bounded windows);
- `repeated`: one sentence of the corpus repeated (the same names and figures over and over).

For each article the stages of `Processor.process_article` are timed one by one (read/convert,
tokenizer, each pipeline component, tables), and the ratio of every size to the smallest is
printed: a linear pipeline shows ratios near the length ratio (10x for 100k/10k).

    python bench/long_articles.py                                   # 10k, 100k, 1M; all kinds
    python bench/long_articles.py --sizes 10000,100000 --kinds unpunctuated
    python bench/long_articles.py --sizes 999000 --kinds unpunctuated --skip zhie_events

`--skip NAME` leaves a component out (its time is then reported as skipped; later stages
that need its output get an empty one). Run on demand, never in CI.
"""

from __future__ import annotations

import argparse
import platform
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PUNCTUATION = re.compile(r"[\s，。！？；：、,.!?;:（）()「」『』“”\"'《》【】—…·\-]+")


def corpus_text() -> str:
    parts = []
    for path in sorted((ROOT / "corpus" / "articles").glob("*.txt")):
        parts.append(path.read_text(encoding="utf-8-sig").strip())
    return "\n".join(parts)


def make_article(kind: str, size: int, source: str) -> str:
    if kind == "punctuated":
        base = source
    elif kind == "unpunctuated":
        base = PUNCTUATION.sub("", source)
    elif kind == "repeated":
        base = "臺南市長黃偉哲今(7)日與台南紡織股份有限公司總經理王立範簽訂合作備忘錄，投資金額約新台幣3億元。\n"
    else:
        raise ValueError(kind)
    return (base * (size // len(base) + 1))[:size]


def time_stages(processor, text: str, skip: set[str]) -> dict[str, float]:
    """Seconds per stage for one article (the stages of Processor.process_article)."""
    from zhie.tables.rows import doc_rows

    times: dict[str, float] = {}
    t0 = time.perf_counter()
    doc = processor.nlp.make_doc(text)  # converts, then segments
    times["tokenizer"] = time.perf_counter() - t0
    for name, component in processor.nlp.pipeline:
        if name in skip:
            times[name] = float("nan")
            continue
        t0 = time.perf_counter()
        doc = component(doc)
        times[name] = time.perf_counter() - t0
    for attr in ("organisations", "people", "figures", "events"):
        if getattr(doc._, attr) is None:
            setattr(doc._, attr, [])
    t0 = time.perf_counter()
    doc_rows(doc, "long")
    times["tables"] = time.perf_counter() - t0
    return times


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--kinds", default="punctuated,unpunctuated,repeated")
    parser.add_argument(
        "--skip", action="append", default=[], help="component to leave out (repeatable)"
    )
    parser.add_argument("--ner", default="crf")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    kinds = args.kinds.split(",")

    sys.path.insert(0, str(ROOT))
    from zhie.runners.process import Processor

    print(
        f"# Python {platform.python_version()}, {platform.machine()}, ner={args.ner}, skip={args.skip or '-'}"
    )
    processor = Processor(
        overrides={"components.zhie_ner.backend": args.ner}, max_chars=max(sizes) + 1
    )
    source = corpus_text()
    for kind in kinds:
        rows = {}
        for size in sizes:
            text = make_article(kind, size, source)
            rows[size] = time_stages(processor, text, set(args.skip))
            total = sum(v for v in rows[size].values() if v == v)
            print(
                f"{kind:>12} {size:>9,} chars: total {total:8.2f} s  "
                + "  ".join(
                    f"{name.removeprefix('zhie_')} {sec:.2f}" for name, sec in rows[size].items()
                ),
                flush=True,
            )
        first = sizes[0]
        base = sum(v for v in rows[first].values() if v == v)
        for size in sizes[1:]:
            total = sum(v for v in rows[size].values() if v == v)
            stages = "  ".join(
                f"{name.removeprefix('zhie_')} {sec / rows[first][name]:.1f}x"
                for name, sec in rows[size].items()
                if rows[first][name] > 0 and sec == sec
            )
            print(
                f"{kind:>12} ratio {size:,}/{first:,} (length {size / first:.0f}x): total {total / base:.1f}x  {stages}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
