"""Build rules/word_rates.tsv: how often each jieba word stands inside a name in public NER corpora.

For every sentence of MSRA (train, without the held-out split), CLUENER 2020 (train) and
People's Daily (dev) in DATA (the layout of shared/data), the text is segmented with jieba and
each word counted: `total` occurrences, and `inside` those that lie wholly inside an
organisation or place span (ORG, GPE; persons and titles do not count). A word seen at least
MIN_TOTAL times is written when its inside rate is at most MAX_RATE: words such as 落实, 支持,
嘉宾, 供应商 that almost never stand inside a name, so that a name found by its suffix does
not start with them (`落实|商务部`). Usage:

    python tools/build_word_rates.py --data ../shared/data --out rules/word_rates.tsv
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import jieba

from zhie.ner.corpora import read_examples
from zhie.training.train import holdout_split

CORPORA = {
    "msra": "msra_ner/train.bio",
    "cluener": "cluener2020/train.json",
    "peoples_daily": "peoples_daily/dev.bio",
}
NAME_LABELS = {"ORG", "GPE"}
MIN_TOTAL = 5
MAX_RATE = 0.1


def count(data: Path) -> tuple[Counter, Counter]:
    tokenizer = jieba.Tokenizer()
    total, inside = Counter(), Counter()
    for name, rel in CORPORA.items():
        examples = read_examples(data / rel)
        if name == "msra":
            examples, _ = holdout_split(examples)
        for ex in examples:
            spans = [(s, e) for s, e, label in ex.spans if label in NAME_LABELS]
            pos = 0
            for word in tokenizer.lcut(ex.text, HMM=True):
                end = pos + len(word)
                if word.strip() and not word.isdigit():
                    total[word] += 1
                    if any(s <= pos and end <= e for s, e in spans):
                        inside[word] += 1
                pos = end
    return total, inside


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, required=True, help="folder in the layout of shared/data"
    )
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    total, inside = count(args.data)
    rows = sorted(
        (w, n, inside[w]) for w, n in total.items() if n >= MIN_TOTAL and inside[w] <= MAX_RATE * n
    )
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("# word\ttotal\tinside\n")
        f.write(
            "# Built by tools/build_word_rates.py from MSRA (train minus the held-out split), CLUENER 2020\n"
        )
        f.write(
            f"# (train) and People's Daily (dev): jieba words seen >= {MIN_TOTAL} times that lie inside an ORG\n"
        )
        f.write(
            f"# or GPE span in at most {MAX_RATE:.0%} of them. See rules/README.md for sources and licences.\n"
        )
        for word, n, k in rows:
            f.write(f"{word}\t{n}\t{k}\n")
    print(f"{len(rows)} words of {len(total)} written to {args.out}")


if __name__ == "__main__":
    main()
