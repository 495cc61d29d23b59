"""List words that end organisation names in public NER corpora and are no suffix of rules/ yet.

For MSRA (train minus the held-out split) and CLUENER 2020 (train) in DATA, each sentence is
segmented with jieba; a word counts as an ending when an ORG span ends with it and is longer
than it. Printed: words with at least MIN_ENDS endings that end an ORG span in at least
MIN_SHARE of their occurrences, and that `Lexicon.suffix_of` does not already read as a
suffix, most endings first (`word occurrences endings`). Choosing from the list, and giving
each word its kind, is left to whoever edits rules/suffixes.tsv. Usage:

    python tools/suffix_candidates.py --data ../shared/data
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import jieba

from zhie.ner.corpora import read_examples
from zhie.nlp.lexicon import Lexicon
from zhie.resources import resolve_path
from zhie.training.train import holdout_split

CORPORA = {"msra": "msra_ner/train.bio", "cluener": "cluener2020/train.json"}
MIN_ENDS = 5
MIN_SHARE = 0.4


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, required=True, help="folder in the layout of shared/data"
    )
    parser.add_argument("--limit", type=int, default=150, help="how many to print")
    args = parser.parse_args()
    lexicon = Lexicon.load(resolve_path("rules:"))
    tokenizer = jieba.Tokenizer()
    total, endings = Counter(), Counter()
    for name, rel in CORPORA.items():
        examples = read_examples(args.data / rel)
        if name == "msra":
            examples, _ = holdout_split(examples)
        for example in examples:
            spans = {(s, e) for s, e, label in example.spans if label == "ORG"}
            span_ends = {e for _, e in spans}
            pos = 0
            for word in tokenizer.lcut(example.text, HMM=True):
                end = pos + len(word)
                total[word] += 1
                if end in span_ends and (pos, end) not in spans:
                    endings[word] += 1
                pos = end
    rows = sorted(
        (
            (k, word, total[word])
            for word, k in endings.items()
            if k >= MIN_ENDS
            and k >= MIN_SHARE * total[word]
            and word not in lexicon.suffixes
            and lexicon.suffix_of(word, "n") is None
        ),
        reverse=True,
    )
    for k, word, n in rows[: args.limit]:
        print(f"{word}\t{n}\t{k}")


if __name__ == "__main__":
    main()
