"""How the figure stage's time grows with article length (issue 13): generated articles of 10k
and 100k characters (and 1M with --large), punctuated and unpunctuated, timed on the figure
component alone (the tokenizer runs first, untimed). Prints each time and the 100k/10k ratio;
linear work gives about 10.

    python bench/figures_scaling.py [--large] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import time

from zhie.runners.process import Processor

PIECES = [
    "公司今年计划投资{n}亿元建设新厂",
    "园区现有企业{n}家",
    "员工约{n}人",
    "营收增长{n}%",
    "到20{y}年产能达到{n}万吨",
    "双方签署合作协议",
    "市长表示将全力支持项目落地",
    "占地{n}公顷",
    "超过{n}个就业岗位",
    "总投资新台币{n}亿元",
    "近{n}年来",
]


def article(chars: int, punctuated: bool, rng: random.Random) -> str:
    out, size = [], 0
    while size < chars:
        piece = rng.choice(PIECES).format(n=rng.randint(1, 999), y=rng.randint(10, 30))
        piece += rng.choice("，。") if punctuated else ""
        out.append(piece)
        size += len(piece)
    return "".join(out)[:chars]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true", help="also 1,000,000 characters")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    processor = Processor(overrides={"components.zhie_ner.backend": "jieba"})
    figures = processor.nlp.get_pipe("zhie_figures")
    sizes = [10_000, 100_000] + ([1_000_000] if args.large else [])
    for punctuated in (False, True):
        times = {}
        for chars in sizes:
            doc = processor.nlp.make_doc(article(chars, punctuated, random.Random(chars)))
            doc._.region, doc._.published = "CN", "2024-01-01"
            best = float("inf")
            for _ in range(args.repeat):
                start = time.perf_counter()
                found = figures.extract(doc)
                best = min(best, time.perf_counter() - start)
            times[chars] = best
            kind = "punctuated" if punctuated else "unpunctuated"
            print(f"{kind:>12} {chars:>9,} chars: {best:8.3f} s, {len(found):,} figures")
        print(
            f"{'':>12} ratio 100k/10k: {times[100_000] / times[10_000]:.1f}"
            + (f", 1M/100k: {times[1_000_000] / times[100_000]:.1f}" if args.large else "")
        )


if __name__ == "__main__":
    main()
