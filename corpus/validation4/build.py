#!/usr/bin/env python3
"""Run mkgold.py, then apply the spec's optional "fix_entities" ([[text, wrong_start, right_start], ...]):
mkgold places each span at the next occurrence; where that occurrence lies inside a string that is
deliberately not annotated (e.g. 武汉 in 武汉城市圈), the span is moved to the right occurrence."""
import json, subprocess, sys, opencc
art, spec, out = sys.argv[1:]
subprocess.run([sys.executable, "/work/shared/gold/mkgold.py", art, spec, out], check=True)
fixes = json.load(open(spec, encoding="utf-8")).get("fix_entities", [])
if fixes:
    g = json.load(open(out, encoding="utf-8"))
    text = open(art, "rb").read().decode("utf-8-sig")
    simp = opencc.OpenCC("t2s").convert(text)
    for s, wrong, right in fixes:
        e = [e for e in g["entities"] if e["start"] == wrong and e["text_simplified"] == s]
        assert len(e) == 1 and simp[right:right + len(s)] == s, (s, wrong, right)
        e[0].update(start=right, end=right + len(s), text=text[right:right + len(s)])
    g["entities"].sort(key=lambda e: e["start"])
    json.dump(g, open(out, "w", encoding="utf-8"), ensure_ascii=False, indent=1)
    print(f"applied {len(fixes)} fix(es)")
