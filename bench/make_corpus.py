"""Make a corpus of any size from the articles in corpus/articles, for the memory and scale runs.

Each generated article takes the title and header lines (source, date) of a random source
article and a random number of paragraphs drawn, shuffled, from all source articles of the
same script (Traditional or Simplified). Ids are new: `NNN/gen_NNNNNN.txt`, a thousand per
folder. The same --seed gives the same corpus.

    python bench/make_corpus.py --n 20000 --out /tmp/zhie-20k
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "corpus" / "articles"
MIN_PARAGRAPH = 20  # characters; shorter lines count as header lines


def split_article(text: str) -> tuple[list[str], list[str]]:
    """(header lines: the title and short labelled lines before the body, body paragraphs)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return [], []
    header, body = [lines[0]], []
    for i, line in enumerate(lines[1:], 1):
        if not body and i <= 4 and len(line) < 40 and ("：" in line or ":" in line):
            header.append(line)
        elif len(line) >= MIN_PARAGRAPH:
            body.append(line)
    return header, body


def load_sources(source: Path) -> dict[str, list[tuple[list[str], list[str]]]]:
    """Source articles grouped by script."""
    from zhie.text.convert import detect_script

    groups: dict[str, list] = {}
    for path in sorted(source.glob("*.txt")):
        text = path.read_text(encoding="utf-8-sig")
        header, body = split_article(text)
        if body:
            groups.setdefault(detect_script(text), []).append((header, body))
    if not groups:
        raise SystemExit(f"no articles with paragraphs in {source}")
    return groups


def make_corpus(
    out: Path,
    n: int,
    seed: int = 0,
    min_paragraphs: int = 2,
    max_paragraphs: int = 8,
    source: Path = SOURCE,
) -> list[Path]:
    """Write `n` articles under `out`; returns their paths."""
    groups = load_sources(source)
    scripts = sorted(groups)
    pools = {s: [p for _, body in groups[s] for p in body] for s in scripts}
    rng = random.Random(seed)
    out = Path(out)
    paths = []
    for i in range(n):
        script = rng.choice(scripts)
        header, _ = rng.choice(groups[script])
        k = rng.randint(min_paragraphs, max_paragraphs)
        paragraphs = rng.sample(pools[script], min(k, len(pools[script])))
        path = out / f"{i // 1000:03d}" / f"gen_{i:06d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            "\n".join(header) + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8"
        )
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, required=True, help="number of articles")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--min-paragraphs", type=int, default=2, help="fewest body paragraphs (default 2)"
    )
    parser.add_argument(
        "--max-paragraphs", type=int, default=8, help="most body paragraphs (default 8)"
    )
    parser.add_argument(
        "--source",
        type=Path,
        default=SOURCE,
        help="folder of source articles (default corpus/articles)",
    )
    args = parser.parse_args()
    paths = make_corpus(
        args.out, args.n, args.seed, args.min_paragraphs, args.max_paragraphs, args.source
    )
    chars = sum(len(p.read_text(encoding="utf-8")) for p in paths)
    print(f"{len(paths)} articles, {chars} characters in {args.out}")


if __name__ == "__main__":
    main()
