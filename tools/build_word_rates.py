"""Build rules/word_rates.tsv and rules/org_words.tsv: how often each jieba word stands inside a
name, or is an organisation's whole name, in public NER corpora.

For every sentence of MSRA (train, without the held-out split), CLUENER 2020 (train) and
People's Daily (dev) in DATA (the layout of shared/data), the text is segmented with jieba and
each word counted: `total` occurrences, and `inside` those that lie wholly inside an
organisation or place span (ORG, GPE; persons and titles do not count). A word seen at least
MIN_TOTAL times is written when its inside rate is at most MAX_RATE: words such as 落实, 支持,
嘉宾, 供应商 that almost never stand inside a name, so that a name found by its suffix does
not start with them (`落实|商务部`). `whole` counts the occurrences that are an ORG span by
themselves: a word of two or more characters seen at least ORG_MIN_TOTAL times and an
organisation's whole name in at least ORG_MIN_RATE of them goes to org_words.tsv (央行, 招行,
建设银行, 新华社: well-known organisations, most written without a suffix). Usage:

    python tools/build_word_rates.py --data ../shared/data --out rules/word_rates.tsv \
        --org-out rules/org_words.tsv
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
ORG_MIN_TOTAL = 3
ORG_MIN_RATE = 0.3  # the lexicon keeps those of a higher rate (zhie.nlp.lexicon.ORG_WORD_MIN_RATE)


def count(data: Path, cluener_limit: int | None = None) -> tuple[Counter, Counter, Counter]:
    """(total, inside, whole) counts of every jieba word of the corpora (of CLUENER only the first
    `cluener_limit` sentences, for a held-out measurement)."""
    tokenizer = jieba.Tokenizer()
    total, inside, whole = Counter(), Counter(), Counter()
    for name, rel in CORPORA.items():
        examples = read_examples(data / rel)
        if name == "msra":
            examples, _ = holdout_split(examples)
        if name == "cluener" and cluener_limit is not None:
            examples = examples[:cluener_limit]
        for ex in examples:
            spans = [(s, e) for s, e, label in ex.spans if label in NAME_LABELS]
            organisations = {(s, e) for s, e, label in ex.spans if label == "ORG"}
            pos = 0
            for word in tokenizer.lcut(ex.text, HMM=True):
                end = pos + len(word)
                if word.strip() and not word.isdigit():
                    total[word] += 1
                    if any(s <= pos and end <= e for s, e in spans):
                        inside[word] += 1
                    if (pos, end) in organisations:
                        whole[word] += 1
                pos = end
    return total, inside, whole


def organisation_words(total: Counter, whole: Counter) -> list[tuple[str, int, int]]:
    """The rows of org_words.tsv, sorted: (word, total, whole) of the words of two or more
    characters seen ORG_MIN_TOTAL times or more and a whole ORG span in ORG_MIN_RATE of them."""
    return sorted(
        (w, total[w], k)
        for w, k in whole.items()
        if len(w) >= 2 and total[w] >= ORG_MIN_TOTAL and k >= ORG_MIN_RATE * total[w]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, required=True, help="folder in the layout of shared/data"
    )
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--org-out", type=Path, help="where to write org_words.tsv")
    args = parser.parse_args()
    total, inside, whole = count(args.data)
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
    if args.org_out:
        organisations = organisation_words(total, whole)
        with open(args.org_out, "w", encoding="utf-8") as f:
            f.write("# word\ttotal\twhole\n")
            f.write(
                "# Built by tools/build_word_rates.py from MSRA (train minus the held-out split), CLUENER 2020\n"
            )
            f.write(
                f"# (train) and People's Daily (dev): jieba words seen >= {ORG_MIN_TOTAL} times that are an ORG span\n"
            )
            f.write(
                f"# by themselves in at least {ORG_MIN_RATE:.0%} of them. See rules/README.md for sources and licences.\n"
            )
            for word, n, k in organisations:
                f.write(f"{word}\t{n}\t{k}\n")
        print(f"{len(organisations)} organisation words written to {args.org_out}")


if __name__ == "__main__":
    main()
