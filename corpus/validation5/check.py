#!/usr/bin/env python3
"""Checks for the validation5 gold: spans, simplified text, sha, overlaps, unannotated repeats."""
import json, glob, hashlib, os, sys
import opencc
cc = opencc.OpenCC('t2s')
ok = True
for gp in sorted(glob.glob('/tmp/v5/gold/7*.json')):
    g = json.load(open(gp, encoding='utf-8'))
    aid = g['article_id']
    text = open(f'/tmp/v5/articles/{aid}.txt', 'rb').read().decode('utf-8-sig')
    simp = cc.convert(text)
    errs = []
    if len(simp) != len(text): errs.append('t2s length')
    if hashlib.sha256(text.encode()).hexdigest() != g['text_sha256']: errs.append('sha')
    for e in g['entities']:
        if text[e['start']:e['end']] != e['text']: errs.append(f'ent text {e}')
        if simp[e['start']:e['end']] != e['text_simplified']: errs.append(f'ent simp {e}')
    for f in g['figures']:
        if text[f['start']:f['end']] != f['text']: errs.append(f'fig text {f}')
    for ev in g['events']:
        t = ev['trigger']
        if text[t['start']:t['end']] != t['text']: errs.append(f'trigger {t}')
    es = sorted(g['entities'], key=lambda e: e['start'])
    for a, b in zip(es, es[1:]):
        if b['start'] < a['end']: errs.append(f'overlap {a["text"]} {b["text"]}')
    fs = sorted(g['figures'], key=lambda e: e['start'])
    for a, b in zip(fs, fs[1:]):
        if b['start'] < a['end']: errs.append(f'fig overlap {a["text"]} {b["text"]}')
    # unannotated occurrences of annotated entity strings
    covered = [(e['start'], e['end']) for e in g['entities']]
    miss = []
    for s in sorted({e['text_simplified'] for e in g['entities']}, key=len, reverse=True):
        i = simp.find(s)
        while i >= 0:
            if not any(a <= i and i + len(s) <= b for a, b in covered):
                miss.append((i, s, text[max(0,i-8):i+len(s)+8].replace('\n', '/')))
            i = simp.find(s, i + 1)
    # figure-like strings
    names = {o['name'] for o in g['organisations']}
    ents = {e['text_simplified'] for e in g['entities'] if e['label'] == 'ORG'}
    if names != ents: errs.append('org names mismatch')
    print(f"{aid}: chars={len(text)} ents={len(g['entities'])} orgs={len(g['organisations'])} people={len(g['people'])} figs={len(g['figures'])} events={[e['type'] for e in g['events']]}")
    for e in errs: print('  ERROR', e); ok = False
    for m in sorted(miss): print('  unannotated occurrence:', m)
print('ALL OK' if ok else 'ERRORS')
