"""What rules/org_words.tsv adds, measured on CLUENER sentences it was not built from.

The lexicon is rebuilt from the corpora of tools/build_word_rates.py with only the first
SPLIT CLUENER train sentences; the pipeline (rules and the CRF) then runs on the others with
and without it, and the exact-span recall of each CLUENER organisation label (company,
government, organization) and of names is printed, with the number of ORG and PERSON spans
that CLUENER does not have (CLUENER marks no media outlets and often no short names: these
are not all errors).

    python bench/org_words_heldout.py --data ../shared/data
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

import zhie
from zhie.resources import resolve_path
from zhie.tables.rows import doc_rows

HERE = Path(__file__).resolve().parent
LABELS = {"company": "ORG", "government": "ORG", "organization": "ORG", "name": "PERSON"}
SPLIT = 8000


def build_tool():
    spec = importlib.util.spec_from_file_location(
        "build_word_rates", HERE.parent / "tools" / "build_word_rates.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score(rules_dir: Path, sentences: list[dict]) -> tuple[Counter, Counter, Counter]:
    """(found, total) per CLUENER label and the spans CLUENER does not have, per label."""
    nlp = zhie.load(overrides={"components.zhie_rules.rules_dir": str(rules_dir)})
    found, total, extra = Counter(), Counter(), Counter()
    for entry in sentences:
        gold = {
            (a, b + 1, LABELS[label], label)
            for label, names in entry["label"].items()
            if label in LABELS
            for spans in names.values()
            for a, b in spans
        }
        rows = doc_rows(nlp(entry["text"]), "x")["mentions"]
        predicted = {
            (r["start"], r["end"], r["label"]) for r in rows if r["label"] in ("ORG", "PERSON")
        }
        for start, end, label, source in gold:
            total[source] += 1
            found[source] += (start, end, label) in predicted
        extra.update(p[2] for p in predicted - {g[:3] for g in gold})
    return found, total, extra


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, required=True, help="folder in the layout of shared/data"
    )
    args = parser.parse_args()
    tool = build_tool()
    total, _, whole = tool.count(args.data, cluener_limit=SPLIT)
    lines = (args.data / "cluener2020" / "train.json").read_text(encoding="utf-8").splitlines()
    sentences = [json.loads(line) for line in lines[SPLIT:] if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        with_words, without = Path(tmp) / "with", Path(tmp) / "without"
        for folder in (with_words, without):
            shutil.copytree(resolve_path("rules:"), folder)
        with open(with_words / "org_words.tsv", "w", encoding="utf-8") as f:
            for word, n, k in tool.organisation_words(total, whole):
                f.write(f"{word}\t{n}\t{k}\n")
        (without / "org_words.tsv").unlink()
        results = {
            name: score(folder, sentences)
            for name, folder in (("without", without), ("with", with_words))
        }
    print(
        f"CLUENER train sentences {SPLIT}-{len(lines) - 1} ({len(sentences)}); recall without -> with org_words"
    )
    for label in LABELS:
        (f0, t0, _), (f1, t1, _) = results["without"], results["with"]
        print(
            f"  {label:13s} {f0[label] / t0[label]:.3f} -> {f1[label] / t1[label]:.3f}  (n={t0[label]})"
        )
    for label in ("ORG", "PERSON"):
        print(
            f"  {label} spans CLUENER lacks: {results['without'][2][label]} -> {results['with'][2][label]}"
        )


if __name__ == "__main__":
    sys.exit(main())
