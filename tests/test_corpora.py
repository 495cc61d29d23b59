import json
from pathlib import Path

import pytest

from zhie.ner.corpora import (
    LABEL_MAP,
    Example,
    detect_format,
    map_spans,
    read_examples,
    spans_from_tags,
    tags_from_spans,
    write_bio,
)

DATA = Path(__file__).parent / "data" / "ner"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "source, ours",
    [
        ("PER", "PERSON"),
        ("NAME", "PERSON"),
        ("name", "PERSON"),
        ("PER.NAM", "PERSON"),
        ("ORG", "ORG"),
        ("company", "ORG"),
        ("government", "ORG"),
        ("organization", "ORG"),
        ("ORG.NAM", "ORG"),
        ("LOC", "GPE"),
        ("GPE.NAM", "GPE"),
        ("CONT", "GPE"),
        ("LOC.NAM", "GPE"),
        ("address", "GPE"),
        ("position", "TITLE"),
        ("TITLE", "TITLE"),
        ("PER.NOM", None),
        ("ORG.NOM", None),
        ("GPE.NOM", None),
        ("LOC.NOM", None),
        ("RACE", None),
        ("EDU", None),
        ("PRO", None),
        ("book", None),
        ("game", None),
        ("movie", None),
        ("scene", None),
    ],
)
def test_label_map(source, ours):
    assert LABEL_MAP[source] == ours


def test_map_spans_drops_unknown_and_unmapped():
    kept, dropped = map_spans([(0, 2, "PER"), (3, 5, "PER.NOM"), (6, 7, "WHATEVER")])
    assert kept == [(0, 2, "PERSON")]
    assert dropped == [(3, 5, "PER.NOM"), (6, 7, "WHATEVER")]


@pytest.mark.parametrize(
    "tags, scheme, spans",
    [
        (["B-PER", "I-PER", "O", "B-LOC"], "bio", [(0, 2, "PER"), (3, 4, "LOC")]),
        (["B-PER", "B-PER", "I-PER"], "bio", [(0, 1, "PER"), (1, 3, "PER")]),
        (["O", "I-ORG", "I-ORG", "O"], "bio", [(1, 3, "ORG")]),  # orphan I- starts an entity
        (["B-PER", "I-LOC", "O"], "bio", [(0, 1, "PER"), (1, 2, "LOC")]),  # type change
        (["B-PER.NAM", "I-PER.NAM", "I-PER.NOM"], "bio", [(0, 2, "PER.NAM"), (2, 3, "PER.NOM")]),
        (["B-NAME", "E-NAME", "S-CONT", "O"], "bmes", [(0, 2, "NAME"), (2, 3, "CONT")]),
        (["B-ORG", "M-ORG", "M-ORG", "E-ORG"], "bmes", [(0, 4, "ORG")]),
        (["M-ORG", "E-ORG", "B-TITLE"], "bmes", [(0, 2, "ORG"), (2, 3, "TITLE")]),
        (["E-ORG", "E-ORG"], "bmes", [(0, 1, "ORG"), (1, 2, "ORG")]),
        (["B-GPE", "I-GPE", "E-GPE", "S-PERSON"], "bioes", [(0, 3, "GPE"), (3, 4, "PERSON")]),
        ([], "bio", []),
    ],
)
def test_spans_from_tags(tags, scheme, spans):
    assert spans_from_tags(tags, scheme) == spans


def test_spans_from_tags_rejects_unknown_scheme():
    with pytest.raises(ValueError):
        spans_from_tags(["O"], "iob3")


@pytest.mark.parametrize(
    "spans, scheme, tags",
    [
        ([(0, 2, "PERSON"), (3, 4, "GPE")], "bio", ["B-PERSON", "I-PERSON", "O", "B-GPE", "O"]),
        ([(0, 2, "PERSON"), (3, 4, "GPE")], "bioes", ["B-PERSON", "E-PERSON", "O", "S-GPE", "O"]),
        ([(1, 4, "ORG")], "bioes", ["O", "B-ORG", "I-ORG", "E-ORG", "O"]),
        (
            [(0, 3, "ORG"), (1, 2, "GPE")],
            "bio",
            ["B-ORG", "I-ORG", "I-ORG", "O", "O"],
        ),  # overlap: first wins
    ],
)
def test_tags_from_spans(spans, scheme, tags):
    assert tags_from_spans(5, spans, scheme) == tags
    assert spans_from_tags(tags, scheme) == [s for s in spans if s != (1, 2, "GPE")]


def test_read_bio_tab_and_empty_tag(tmp_path):
    path = _write(
        tmp_path / "x.bio",
        "郑\tB-PER\n振\tI-PER\n在\tO\n0\t\n北\tB-LOC\n京\tI-LOC\n\n微\tB-ORG\n软\tI-ORG\n",
    )
    assert [(e.text, e.spans) for e in read_examples(path)] == [
        ("郑振在0北京", [(0, 2, "PERSON"), (4, 6, "GPE")]),
        ("微软", [(0, 2, "ORG")]),
    ]


def test_read_bmes_merges_sentence_cut_inside_entity(tmp_path):
    text = "高 B-NAME\n勇 E-NAME\n： O\n\n俄 B-ORG\n罗 M-ORG\n。 M-ORG\n\n彼 M-ORG\n院 E-ORG\n董 B-TITLE\n事 E-TITLE\n\n汉 B-RACE\n族 E-RACE\n"
    got = [(e.text, e.spans, e.dropped) for e in read_examples(_write(tmp_path / "x.bmes", text))]
    assert got == [
        ("高勇：", [(0, 2, "PERSON")], []),
        ("俄罗。彼院董事", [(0, 5, "ORG"), (5, 7, "TITLE")], []),
        ("汉族", [], [(0, 2, "RACE")]),
    ]


def test_read_bmes_space_character(tmp_path):
    path = _write(tmp_path / "x.bmes", "A B-ORG\n  M-ORG\nB E-ORG\n")
    assert [(e.text, e.spans) for e in read_examples(path)] == [("A B", [(0, 3, "ORG")])]


def test_read_weibo_uses_first_character_and_drops_nom(tmp_path):
    text = "雯0\tB-PER.NAM\n子1\tI-PER.NAM\n小0\tI-PER.NOM\n菇1\tI-PER.NOM\np10\tO\n在0\tO\n北0\tB-GPE.NAM\n京1\tI-GPE.NAM\n"
    ex = read_examples(_write(tmp_path / "x.conll", text))
    assert [(e.text, e.spans, e.dropped) for e in ex] == [
        ("雯子小菇p在北京", [(0, 2, "PERSON"), (6, 8, "GPE")], [(2, 4, "PER.NOM")]),
    ]


def test_read_weibo_orphan_inside_tag_starts_entity(tmp_path):
    text = "好0\tO\n巾0\tI-PER.NAM\n凡1\tI-PER.NAM\n"
    assert read_examples(_write(tmp_path / "x.conll", text))[0].spans == [(1, 3, "PERSON")]


def test_read_cluener_inclusive_end(tmp_path):
    row = {
        "text": "浙商银行企业信贷部叶老桂博士则从另一个角度",
        "label": {
            "name": {"叶老桂": [[9, 11]]},
            "company": {"浙商银行": [[0, 3]]},
            "position": {"博士": [[12, 13]]},
            "book": {"角度": [[19, 20]]},
        },
    }
    ex = read_examples(_write(tmp_path / "x.json", json.dumps(row, ensure_ascii=False) + "\n"))[0]
    assert ex.spans == [(0, 4, "ORG"), (9, 12, "PERSON"), (12, 14, "TITLE")]
    assert ex.dropped == [(19, 21, "book")]
    assert [ex.text[s:e] for s, e, _ in ex.spans] == ["浙商银行", "叶老桂", "博士"]


@pytest.mark.parametrize(
    "name, content, fmt",
    [
        ("a.bio", "", "bio"),
        ("a.bmes", "", "bmes"),
        ("a.json", "", "cluener"),
        ("a.jsonl", "", "cluener"),
        ("a.conll", "", "weibo"),
        ("a.txt", '{"text": "x", "label": {}}\n', "cluener"),
        ("a.txt", "科0\tO\n", "weibo"),
        ("a.txt", "高 B-NAME\n勇 E-NAME\n", "bmes"),
        ("a.txt", "郑\tB-PER\n", "bio"),
    ],
)
def test_detect_format(tmp_path, name, content, fmt):
    assert detect_format(_write(tmp_path / name, content)) == fmt


def test_read_examples_rejects_unknown_format(tmp_path):
    with pytest.raises(ValueError):
        read_examples(_write(tmp_path / "a.bio", "x\tO\n"), fmt="xml")


def test_write_bio_round_trip(tmp_path):
    examples = [
        Example("台南市长黄伟哲", [(0, 2, "GPE"), (4, 7, "PERSON")]),
        Example("华硕电脑", [(0, 4, "ORG")]),
    ]
    assert write_bio(examples, tmp_path / "out.bio") == 2
    assert (
        (tmp_path / "out.bio")
        .read_text(encoding="utf-8")
        .startswith("台\tB-GPE\n南\tI-GPE\n市\tO\n")
    )
    back = read_examples(tmp_path / "out.bio")
    assert [(e.text, e.spans) for e in back] == [(e.text, e.spans) for e in examples]


@pytest.mark.parametrize(
    "name, sentences, spans",
    [
        ("resume_sample.bmes", 20, {"PERSON": 5, "ORG": 32, "GPE": 3, "TITLE": 35}),
        ("weibo_sample.conll", 20, {"PERSON": 8, "ORG": 2, "GPE": 4}),
        ("cluener_sample.json", 20, {"ORG": 19, "PERSON": 9, "GPE": 5, "TITLE": 4}),
        ("msra_heldout_eval.bio", 200, {"PERSON": 83, "ORG": 59, "GPE": 75}),
    ],
)
def test_committed_fixtures(name, sentences, spans):
    ex = read_examples(DATA / name)
    counts: dict[str, int] = {}
    for e in ex:
        for s, t, lab in e.spans:
            assert 0 <= s < t <= len(e.text)
            counts[lab] = counts.get(lab, 0) + 1
    assert len(ex) == sentences
    assert counts == spans
