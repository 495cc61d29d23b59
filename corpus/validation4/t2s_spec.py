#!/usr/bin/env python3
"""Convert a spec written in the original (traditional) script to the simplified spec mkgold needs."""
import json, sys, opencc
cc = opencc.OpenCC("t2s").convert
src, dst = sys.argv[1:]
s = json.load(open(src, encoding="utf-8"))
out = {"published": s.get("published"),
       "entities": [[cc(t), l] for t, l in s["entities"]],
       "org_kinds": {cc(k): v for k, v in s["org_kinds"].items()},
       "people": [[cc(n), cc(t), cc(o)] for n, t, o in s["people"]],
       "figures": [[cc(f[0]), f[1], cc(f[2])] + f[3:5] + [cc(f[5])] + ([cc(f[6])] if len(f) > 6 else []) for f in s["figures"]],
       "events": [dict(ev, trigger=cc(ev["trigger"]), **({"after": cc(ev["after"])} if ev.get("after") else {}),
                       arguments=[[r, cc(a)] for r, a in ev["arguments"]]) for ev in s["events"]]}
if "fix_entities" in s: out["fix_entities"] = [[cc(a), b, c] for a, b, c in s["fix_entities"]]
json.dump(out, open(dst, "w", encoding="utf-8"), ensure_ascii=False, indent=0)
