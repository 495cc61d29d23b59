#!/usr/bin/env python3
"""Turn a raw snapshot (HTML / Markdown fragment copied from the stored file) into article text.
Only markup is removed: comments, style/script, images, shortcodes; block tags become line
breaks, other tags are dropped, entities decoded, Markdown link/emphasis markers removed;
each line is trimmed and empty lines are dropped. Characters are otherwise unchanged."""
import html, re, sys

def extract(raw):
    t = re.sub(r"<!--.*?-->", "", raw, flags=re.S)
    t = re.sub(r"<(style|script)\b.*?</\1>", "", t, flags=re.S | re.I)
    t = re.sub(r"\{\{<.*?>\}\}", "", t, flags=re.S)             # Hugo shortcodes
    t = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", t)                  # Markdown images
    t = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", t)              # Markdown links -> text
    t = re.sub(r"<(br|/?p|/?div|/?li|/?ul|/?ol|/?h[1-6]|/?figure|/?figcaption|/?article|/?blockquote)\b[^>]*>",
               "\n", t, flags=re.I)
    t = re.sub(r"<[^>]+>", "", t)
    t = html.unescape(t)
    lines = []
    for line in t.split("\n"):
        line = line.strip()
        m = re.fullmatch(r"\*(.+)\*", line)                     # Markdown emphasis wrapping a caption
        if m:
            line = m.group(1).strip()
        line = re.sub(r"^#{1,6}\s+", "", line)                   # Markdown heading marker
        if line and line != "---":
            lines.append(line)
    return "\n".join(lines) + "\n"

if __name__ == "__main__":
    src, dst = sys.argv[1:]
    out = extract(open(src, encoding="utf-8").read())
    open(dst, "w", encoding="utf-8").write(out)
    print(f"{dst}: {len(out)} chars")
