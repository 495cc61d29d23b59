import json, sys, glob
for gp in sys.argv[1:]:
    g = json.load(open(gp, encoding='utf-8'))
    text = open(f"/tmp/v5/articles/{g['article_id']}.txt", encoding='utf-8').read()
    marks = []
    for e in g['entities']: marks.append((e['start'], 0, '[')); marks.append((e['end'], 1, ']' + e['label'][:3]))
    for f in g['figures']: marks.append((f['start'], 0, '{')); marks.append((f['end'], 1, '}'))
    for ev in g['events']: t = ev['trigger']; marks.append((t['start'], 0, '<')); marks.append((t['end'], 1, '>' + ev['type'][:4]))
    out = []; j = 0
    for pos, k, m in sorted(marks, key=lambda x: (x[0], -x[1])):
        out.append(text[j:pos]); out.append(m); j = pos
    out.append(text[j:]); print(''.join(out))
    for f in g['figures']: print('  F', f['text'], f['value'], f['unit'], f['qualifier'], f['year'])
    for p in g['people']: print('  P', p)
    for ev in g['events']: print('  E', ev['type'], ev['trigger']['text'], ev['arguments'])
