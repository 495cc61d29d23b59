"""Long articles: the per-article work that had grown with the square of the length gives the
same results as before (timings are in bench/long_articles.py, not here)."""

from __future__ import annotations

import random

from zhie.nlp.lexicon import load_lexicon
from zhie.nlp.names import FullNames, NameForms
from zhie.nlp.spans import _retokenize_split, split_tokens_at, word_starts, words_of
from zhie.resources import resolve_path

FORMS = NameForms(load_lexicon(resolve_path("rules:")))
TEXT = "台南市政府。与台南纺织股份有限公司签约！「经发局」局长陈凯凌说\n南市府今天表示；合作备忘录"


def test_split_tokens_at_equals_spacys_retokenizer(processor):
    rng = random.Random(7)
    for _ in range(40):
        doc = processor.nlp.make_doc(TEXT)
        doc = processor.nlp.get_pipe("zhie_sentences")(doc)
        doc.spans["x"] = [doc.char_span(0, 5, label="ORG")]
        positions = rng.sample(range(1, len(TEXT)), rng.randint(1, 12))
        new = split_tokens_at(doc, positions)
        texts, tags = words_of(doc)
        starts = word_starts(texts)
        cuts: dict[int, list[int]] = {}
        for pos in set(positions):
            if pos not in starts:
                i = max(j for j, s in enumerate(starts) if s < pos)
                cuts.setdefault(i, []).append(pos - starts[i])
        _retokenize_split(doc, texts, tags, cuts)
        assert [(t.text, t.tag_, t.is_sent_start, t.idx) for t in new] == [
            (t.text, t.tag_, t.is_sent_start, t.idx) for t in doc
        ]
        assert [s.text for s in new.sents] == [s.text for s in doc.sents]
        assert [(s.start_char, s.end_char, s.label_) for s in new.spans["x"]] == [(0, 5, "ORG")]


def test_full_names_index_equals_fullest_name():
    rng = random.Random(1)
    chars = "台南市政府纺织股份有限公司经济发展局成功大学宏齐科技亚洲商会总"
    for _ in range(200):
        names = ["".join(rng.choice(chars) for _ in range(rng.randint(1, 10))) for _ in range(30)]
        index = FullNames(names, FORMS)
        for name in names + [
            "".join(rng.choice(chars) for _ in range(rng.randint(1, 5))) for _ in range(30)
        ]:
            assert index(name) == FORMS.fullest_name(name, names)
