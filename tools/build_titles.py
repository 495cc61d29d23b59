"""Build `rules/titles_public.tsv`: title words and title modifiers from public NER corpora.

Sources (shared/data; see their SOURCE.md): the `position` spans of CLUENER2020 `train.json`
and the `TITLE` spans of the Resume NER corpus `train.bmes` (Zhang & Yang 2018). Only the
strings of the spans are used (short common job titles such as 营销总监, 董事会秘书); no text
of the corpora is copied.

    .venv/bin/python tools/build_titles.py --data ../shared/data --rules rules \\
        --out rules/titles_public.tsv --report /tmp/titles_report.json

A title (role `title`) is a span string that
- is annotated at least MIN_SPANS times in one corpus, 2-8 Han characters (or an upper-case
  Latin acronym: CEO), Simplified (OpenCC t2s);
- is annotated as exactly that span in at least MIN_RATE of its occurrences in that corpus's
  texts (occurrences inside a longer title span aside): 记者 and 董事长 are, 设计 (of 设计师,
  设计方案), 嘉宾, 主力 or 王子 are not;
- does not start with a place of the place lexicons (重庆市市长, 美国总统: a place and a title),
  holds no digit, ordinal or edition (第一届董事会董事), is no body and its head written as one
  word (财政部长, 财务科长: ORG + 部长 by the guidelines, a character of `title_body_char` before
  长), and is not already a title of `titles.txt` (with or without a prefix of `title_prefix`).
A modifier (role `modifier`) is what stands before a title inside at least MIN_MODIFIER
spans (财务 of 财务总监, 董事会 of 董事会秘书, 营销 of 营销经理): 2-6 Han characters, itself no
title, no place at its start, no digit or edition, and no body: not ending in a name suffix
of `suffixes.tsv` or a character of `title_body_char` (大学 of 大学教授, 财务部 of 财务部经理:
an organisation or one of its units, which the guidelines keep out of the title).
A title made of a body and a title (财务部经理, 财政部长) is dropped the same way.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from pathlib import Path

import opencc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

T2S = opencc.OpenCC("t2s").convert
HAN = re.compile(r"^[\u4e00-\u9fff]+$")
ACRONYM = re.compile(r"^[A-Z]{2,5}$")
NUMBERED = re.compile(r"[\d０-９第届一二三四五六七八九十]")
MIN_SPANS = 2
MIN_RATE = 0.25
MIN_MODIFIER = 3
MAX_TITLE = 8
MAX_MODIFIER = 6
BODY_HEAD = "\u957f"  # 长, the head of 局长, 部长


def cluener(path: Path):
    """(text, [(start, end, string)]) of CLUENER's `position` spans (end exclusive)."""
    for line in path.open(encoding="utf-8"):
        item = json.loads(line)
        spans = [
            (a, b + 1, w)
            for w, offsets in item["label"].get("position", {}).items()
            for a, b in offsets
        ]
        yield item["text"], spans


def resume(path: Path):
    """(text, [(start, end, string)]) of the Resume corpus's `TITLE` spans (BMES tags)."""
    chars, spans, start = [], [], None
    for line in path.open(encoding="utf-8"):
        line = line.rstrip("\n")
        if not line:
            if chars:
                yield "".join(chars), spans
            chars, spans, start = [], [], None
            continue
        ch, tag = line.split(" ")
        if tag.endswith("-TITLE"):
            if tag[0] in "BS":
                start = len(chars)
            if tag[0] in "ES" and start is not None:
                spans.append((start, len(chars) + 1, "".join(chars[start:]) + ch))
                start = None
        chars.append(ch)
    if chars:
        yield "".join(chars), spans


def span_stats(corpus):
    """Per string: annotations, occurrences in the texts, and exact-span occurrences."""
    items = list(corpus)
    annotated = collections.Counter(w for _, spans in items for _, _, w in spans)
    occurrences, exact = collections.Counter(), collections.Counter()
    for text, spans in items:
        marked = {(a, b) for a, b, _ in spans}
        for w in [w for w in annotated if w in text]:
            for m in re.finditer(re.escape(w), text):
                a, b = m.span()
                if (a, b) in marked:
                    exact[w] += 1
                    occurrences[w] += 1
                elif not any(x <= a and b <= y for x, y in marked):
                    occurrences[w] += 1
    return annotated, occurrences, exact


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="shared/data")
    parser.add_argument("--rules", type=Path, default=ROOT / "rules")
    parser.add_argument("--out", type=Path, default=ROOT / "rules" / "titles_public.tsv")
    parser.add_argument("--report", type=Path)
    args = parser.parse_args(argv)

    from zhie.nlp.lexicon import Lexicon

    lexicon = Lexicon.load(args.rules)
    places = {p for p in lexicon.places if len(p) >= 2}
    known = lexicon.prefixed_titles
    body_chars = lexicon.chars("title_body_char")

    def starts_with_place(word: str, whole: bool = False) -> bool:
        return any(word[:k] in places for k in range(2, len(word) + whole))

    corpora = {
        "cluener": cluener(args.data / "cluener2020" / "train.json"),
        "resume": resume(args.data / "resume_ner" / "train.bmes"),
    }
    stats = {name: span_stats(corpus) for name, corpus in corpora.items()}
    dropped: dict[str, list] = collections.defaultdict(list)
    prefixes = sorted(lexicon.words("title_prefix"), key=len, reverse=True)
    org_suffixes = tuple(
        s for s, (label, _, _) in lexicon.suffixes.items() if label == "ORG" and len(s) >= 2
    )
    short_suffixes = body_chars | {
        s for s, (label, _, _) in lexicon.suffixes.items() if label == "ORG" and len(s) == 1
    }

    def is_unit(word: str) -> bool:
        """A body (财务部, 人事处, 办公室, 大学): an organisation or one of its units, no modifier."""
        return word.endswith(org_suffixes) or (len(word) >= 3 and word[-1] in short_suffixes)

    # Modifiers: what stands before a known title (and its prefix) inside the spans.
    heads = sorted(known, key=len, reverse=True)
    modifiers = collections.Counter()
    for annotated, _, _ in stats.values():
        for raw, count in annotated.items():
            word = T2S("".join(raw.split()))
            head = next((h for h in heads if word.endswith(h) and len(h) < len(word)), None)
            if head is None:
                continue
            modifier = word[: -len(head)]
            prefix = next(
                (p for p in prefixes if modifier.endswith(p) and len(modifier) > len(p)), ""
            )
            modifiers[modifier[: len(modifier) - len(prefix)]] += count
    kept_modifiers = set()
    for m, c in modifiers.items():
        if c < MIN_MODIFIER or not HAN.match(m) or not 2 <= len(m) <= MAX_MODIFIER:
            continue
        reason = (
            "title"
            if lexicon.is_title(m)
            else "place"
            if starts_with_place(m, whole=True)
            else "numbered"
            if NUMBERED.search(m)
            else "unit"
            if is_unit(m)
            else None
        )
        if reason:
            dropped["modifier " + reason].append([m, c])
        else:
            kept_modifiers.add(m)

    titles: dict[str, str] = {}
    for name, (annotated, occurrences, exact) in stats.items():
        for raw, count in annotated.items():
            word = T2S("".join(raw.split()))
            if count < MIN_SPANS:
                continue
            rate = exact[raw] / max(1, occurrences[raw])
            head = next((h for h in heads if word.endswith(h) and len(h) < len(word)), "")
            before = word[: len(word) - len(head)]
            glued = (
                word[-1] == BODY_HEAD
                and word[-2] in body_chars
                and len(word) >= 4
                and word[:-2] not in prefixes
                and word[:-2] not in kept_modifiers
            )
            reason = None
            if not (ACRONYM.match(word) or (HAN.match(word) and 2 <= len(word) <= MAX_TITLE)):
                reason = "form"
            elif rate < MIN_RATE:
                reason = f"rate {rate:.2f}"
            elif starts_with_place(word):
                reason = "place"
            elif NUMBERED.search(word):
                reason = "numbered"
            elif glued or (head and is_unit(before)):
                reason = "unit"  # 财政部长, 财务部经理: a body and its title
            elif word in known:
                reason = "known"
            if reason:
                dropped[reason.split()[0]].append([word, name, count, round(rate, 2)])
            else:
                titles.setdefault(word, name)
    kept_modifiers = sorted(m for m in kept_modifiers if m not in titles)
    with args.out.open("w", encoding="utf-8") as f:
        f.write(
            "# Generated by tools/build_titles.py from CLUENER2020 `position` and Resume NER `TITLE` spans\n"
        )
        f.write(
            "# (see rules/README.md, Sources); do not edit by hand. word<TAB>role (title | modifier)\n"
        )
        for word in sorted(titles):
            f.write(f"{word}\ttitle\n")
        for word in kept_modifiers:
            f.write(f"{word}\tmodifier\n")
    if args.report:
        args.report.write_text(
            json.dumps(
                {"titles": len(titles), "modifiers": len(kept_modifiers), "dropped": dropped},
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    print(f"{args.out}: {len(titles)} titles, {len(kept_modifiers)} modifiers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
