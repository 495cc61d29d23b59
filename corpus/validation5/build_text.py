import json, html, sys
sys.path.insert(0, '/work/main/corpus/validation')
from extract import extract
A = 'articles/'
# 701 Tainan JSON: title + blank line + content (JSON-decoded, html.unescape) + final newline
j = json.load(open('raw/701.json', encoding='utf-8'))
t701 = j['title'] + '\n\n' + html.unescape(j['content']) + '\n'
j5 = json.load(open('raw/705.json', encoding='utf-8'))
t705 = j5['title'] + '\n\n' + html.unescape(j5['content']) + '\n'
out = {
 '705_tainan-2025-fashion-industry-expo': t705,
 '706_hk-apec-business-advisory-council-meeting': extract(open('raw/706.html', encoding='utf-8').read()),
 '701_tainan-shalun-ai-green-energy-industry-talk': t701,
 '702_dongfeng-nissan-huadu-engine-expansion': extract(open('raw/702.html', encoding='utf-8').read()),
 '703_han-zheng-22nd-china-asean-expo-opening': extract(open('raw/703.md', encoding='utf-8').read()),
 '704_hk-shanghai-cooperation-conference-mou': extract(open('raw/704.html', encoding='utf-8').read()),
}
import os
for k, v in out.items():
    if os.path.exists('raw/' + k[:3] + '.skip'): continue
    open(A + k + '.txt', 'w', encoding='utf-8').write(v)
    print(k, len(v))
