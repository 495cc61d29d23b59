#!/usr/bin/env python3
"""Checks for /tmp/v4 gold: offsets, t2s slices, sha256, overlaps, unannotated repeats."""
import glob, hashlib, json, os, sys
import opencc
cc = opencc.OpenCC("t2s")
base = os.path.dirname(os.path.abspath(__file__))
bad = 0
for gpath in sorted(glob.glob(os.path.join(base, "gold", "*.json"))):
    g = json.load(open(gpath, encoding="utf-8"))
    aid = g["article_id"]
    text = open(os.path.join(base, "articles", aid + ".txt"), "rb").read().decode("utf-8-sig")
    simp = cc.convert(text)
    probs = []
    if len(simp) != len(text): probs.append("t2s length change")
    if hashlib.sha256(text.encode()).hexdigest() != g["text_sha256"]: probs.append("sha256")
    for e in g["entities"]:
        if text[e["start"]:e["end"]] != e["text"]: probs.append(f"entity text {e}")
        if simp[e["start"]:e["end"]] != e["text_simplified"]: probs.append(f"entity simp {e}")
    for f in g["figures"]:
        if text[f["start"]:f["end"]] != f["text"]: probs.append(f"figure text {f}")
    for ev in g["events"]:
        t = ev["trigger"]
        if text[t["start"]:t["end"]] != t["text"]: probs.append(f"trigger {t}")
        for a in ev["arguments"]:
            if a["text"] != cc.convert(a["text"]): probs.append(f"arg not simplified {a}")
    ents = sorted(g["entities"], key=lambda e: e["start"])
    for a, b in zip(ents, ents[1:]):
        if b["start"] < a["end"]: probs.append(f"overlap {a['text']} / {b['text']}")
    figs = sorted(g["figures"], key=lambda e: e["start"])
    for a, b in zip(figs, figs[1:]):
        if b["start"] < a["end"]: probs.append(f"figure overlap {a['text']} / {b['text']}")
    names = {p["name"] for p in g["people"]}
    for p in g["people"]:
        if p["organisation"] and p["organisation"] not in {o["name"] for o in g["organisations"]}:
            probs.append(f"person org not an ORG name: {p}")
    # unannotated repeats
    covered = [(e["start"], e["end"]) for e in ents]
    def inside(i, j): return any(s <= i and j <= e for s, e in covered)
    seen = {}
    done = set()
    for e in ents:
        s = e["text_simplified"]
        if s in done: continue
        done.add(s)
        i = simp.find(s)
        while i >= 0:
            if not inside(i, i + len(s)):
                seen.setdefault(s, []).append(i)
            i = simp.find(s, i + 1)
    for s, locs in seen.items():
        ctx = [simp[max(0, i-6):i+len(s)+6].replace("\n", "/") for i in locs]
        print(f"  {aid}: unannotated '{s}' at {locs}: {ctx}")
    for p in probs: print(f"  {aid}: PROBLEM {p}")
    bad += len(probs)
    print(f"{aid}: {len(text)} chars, {len(g['entities'])} ents, {len(g['organisations'])} orgs, {len(g['people'])} people, {len(g['figures'])} figs, {len(g['events'])} events, problems={len(probs)}")
sys.exit(1 if bad else 0)
