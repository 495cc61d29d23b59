"""The LAC-embedding NER model: the packaged model, numpy inference vs torch, sample training, the LAC table."""

import io
import json
import subprocess
import sys
import tarfile
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from zhie.ner.corpora import read_examples
from zhie.ner.models import load_model

DATA = Path(__file__).parent / "data" / "ner"
SAMPLE_TRAIN = DATA / "msra_heldout_train.bio"
SAMPLE_EVAL = DATA / "msra_heldout_eval.bio"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def ner():
    return load_model()


def test_packaged_model_is_the_embedding_model(ner):
    from zhie.ner.embed import EmbedNER

    assert isinstance(ner, EmbedNER)
    assert ner.entity_labels == ["FAC", "GPE", "ORG", "PERSON"]
    base = resources.files("zhie") / "models" / "ner"
    names = {p.name for p in base.iterdir()}
    assert {"meta.json", "weights.npz", "vocab.json.gz", "gazetteers.json.gz", "NOTICE"} <= names
    notice = (base / "NOTICE").read_text(encoding="utf-8")
    assert "Apache License, Version 2.0" in notice and "Baidu" in notice
    with resources.as_file(base) as path:
        assert sum(p.stat().st_size for p in path.iterdir()) <= 40 * 2**20


# Sentences written for this test (not from any corpus), with the spans the shipped model gives.
OWN_SENTENCES = [
    ("青岛市政府副秘书长王东翔出席活动并致辞", [(0, 5, "ORG"), (9, 12, "PERSON")]),
    (
        "记者张伟报道，清华大学与华为签署合作协议。",
        [(2, 4, "PERSON"), (7, 11, "ORG"), (12, 14, "ORG")],
    ),
    # this project's guideline: the bare place before 市长 (the CRF gave 台南市)
    (
        "台南市长黄伟哲今日与台南纺织股份有限公司总经理王立范签订合作备忘录",
        [(0, 2, "GPE"), (4, 7, "PERSON"), (10, 20, "ORG"), (23, 26, "PERSON")],
    ),
    (
        "比亚迪董事长王传福在深圳会展中心发表演讲",
        [(0, 3, "ORG"), (6, 9, "PERSON"), (10, 16, "FAC")],
    ),
]


@pytest.mark.parametrize("text, spans", OWN_SENTENCES)
def test_packaged_model_exact_spans(ner, text, spans):
    assert ner.convention == "news"  # the pipeline's convention: this project's guidelines
    assert ner.predict(text) == spans


def test_msra_convention(ner):
    text = "国务院总理李克强在北京会见了美国国务卿"
    try:
        ner.convention = "msra"  # MSRA tags a country before a title as LOC
        assert ner.predict(text) == [
            (0, 3, "ORG"),
            (5, 8, "PERSON"),
            (9, 11, "GPE"),
            (14, 16, "GPE"),
        ]
    finally:
        ner.convention = "news"
    with pytest.raises(ValueError, match="unknown annotation convention"):
        ner.convention = "weibo"


def test_predict_batch_equals_predict(ner):
    texts = (
        [t for t, _ in OWN_SENTENCES]
        + ["", "\x00\x02", "A", "今天。\n\n明天"]
        + [ex.text for ex in read_examples(SAMPLE_EVAL)][:20]
    )
    assert ner.predict_batch(texts) == [ner.predict(t) for t in texts]


def test_given_words_that_do_not_match_are_ignored(ner):
    text = OWN_SENTENCES[0][0]
    assert ner.predict(text, ["x", "y"]) == ner.predict(text)


def test_inference_does_not_import_torch():
    code = (
        "import sys; from zhie.ner.models import load_model; m = load_model(); "
        "print(m.predict('李克强在北京')); assert 'torch' not in sys.modules"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr


def test_int_table_lookup():
    from zhie.ner.embed import IntTable

    rng = np.random.default_rng(0)
    keys = np.unique(rng.integers(1, 2**62, 5000, dtype=np.int64)).astype(np.uint64)
    table = IntTable(keys, np.arange(len(keys)), -1)
    other = rng.integers(1, 2**62, 500, dtype=np.int64).astype(np.uint64)
    other = other[~np.isin(other, keys)]
    assert (table.lookup(keys) == np.arange(len(keys))).all()
    assert (table.lookup(other) == -1).all()


def test_hashes_of_strings_match_hashes_in_text():
    from zhie.ner.embed import _cps, gram_hashes, hash_strings

    text = "台南纺织股份有限公司"
    grams = gram_hashes(_cps(text), 5)
    for k in range(1, 6):
        assert list(hash_strings([text[i : i + k] for i in range(len(text) - k + 1)])) == list(
            grams[k - 1][: len(text) - k + 1]
        )


def test_word_inputs_by_hash_are_the_ids_of_the_word_strings(ner):
    """The jieba word inputs are looked up by the hash of the word's characters in the text: they
    are the ids of the word strings given, also where a sentence split cut a word in two (a
    sentence longer than MAX_SENTENCE) and for words longer than the n-grams hashed."""
    from zhie.ner.charner import JIEBA_TAGS, PAD, pad_join, word_positions
    from zhie.ner.embed import PAD_ID, UNK_ID, load_lists

    _, vocabs, gaz = load_lists(resources.files("zhie") / "models" / "ner")
    assert gaz is not None
    w_ids = {v: i for i, v in enumerate(vocabs["w"]) if v is not None}
    lw_ids = {v: i for i, v in enumerate(vocabs["lw"]) if v is not None}
    tags = {t: i + 1 for i, t in enumerate(JIEBA_TAGS)}
    words = ["台南", "纺织", "中华人民共和国", "全国人民代表大会", "常务委员会", "委员长", "王立范"]
    words += ["中华人民共和国全国人民代表大会"]  # longer than the n-grams hashed in the text
    assert {"纺织", "中华人民共和国", "全国人民代表大会"} <= w_ids.keys()
    wpos, wword = word_positions(words)
    cut = len("台南纺织中华人民共和国全国人民")  # inside 全国人民代表大会
    pieces = ["".join(words)[:cut], "".join(words)[cut:]]
    padded = pad_join(pieces)
    wpos_all = "S1S1" + "S1S1".join([wpos[: 2 * cut], wpos[2 * cut :]]) + "S1S1"
    wword_all = [PAD, PAD] + wword[:cut] + [PAD, PAD] + wword[cut:] + [PAD, PAD]
    ids, mask = ner.features(padded, wpos_all, wword_all)
    # main's string look-up: each character takes the word that starts at its word's B or S
    owner = None
    for i, ch in enumerate(padded):
        if wpos_all[2 * i] in "BS":
            owner = wword_all[i]
        if not mask[i]:
            continue
        lw = lw_ids.get(owner, PAD_ID) if len(owner) > 1 else PAD_ID
        tag = tags[gaz.word_tags[owner]] if owner in gaz.word_tags else 0
        assert (ids["w"][i], ids["lw"][i]) == (w_ids.get(owner, UNK_ID), lw), (i, ch, owner)
        assert ids["wt"][i] == tag * 4 + "BMES".index(wpos_all[2 * i]) + 1, (i, ch, owner)
    # the half of 全国人民代表大会 before the cut has the whole word's ids
    assert ids["w"][2 + cut - 1] == w_ids["全国人民代表大会"]


# -- the LAC table and training ------------------------------------------------------------
def fake_lac(path: Path, texts: list[str], words: list[str]) -> Path:
    """A small tar.gz laid out like the lac sdist: header + float32 rows, word.dic, q2b.dic."""
    chars = sorted({c for t in texts for c in t})
    rows = chars + words + ["OOV"]
    rng = np.random.default_rng(7)
    vectors = rng.normal(0, 0.2, (len(rows), 128)).astype("<f4")
    files = {
        "LAC-2.1.2/LAC/lac_model/model/word_emb": b"\x00" * 29 + vectors.tobytes(),
        "LAC-2.1.2/LAC/lac_model/conf/word.dic": "".join(
            f"{i}\t{w}\n" for i, w in enumerate(rows)
        ).encode(),
        "LAC-2.1.2/LAC/lac_model/conf/q2b.dic": "Ａ\tA\n".encode(),
    }
    with tarfile.open(path, "w:gz") as tar:
        for name, blob in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(blob)
            tar.addfile(info, io.BytesIO(blob))
    return path


def sample_lac(folder: Path) -> Path:
    """A fake LAC table in `folder` holding every character of the sample corpora."""
    texts = [ex.text for ex in read_examples(SAMPLE_TRAIN)] + [
        ex.text for ex in read_examples(SAMPLE_EVAL)
    ]
    return fake_lac(folder / "LAC-2.1.2.tar.gz", texts, ["中国", "北京", "人民"])


def test_missing_lac_is_a_one_line_usage_error(tmp_path):
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "train",
            "--data",
            str(tmp_path),
            "--lac",
            str(tmp_path / "LAC-2.1.2.tar.gz"),
            "--out",
            str(tmp_path / "m"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("zhie: error: LAC sdist not found:"), res.stderr
    assert not (tmp_path / "m").exists()


def test_lac_needed(tmp_path):
    res = subprocess.run(
        [sys.executable, "-m", "pipeline", "train", "--data", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert (
        res.returncode == 2 and "--lac" in res.stderr and len(res.stderr.strip().splitlines()) == 1
    )


def test_not_a_lac_sdist(tmp_path):
    from zhie.training.train_embed import LacMissing, load_lac

    bad = tmp_path / "x.tar.gz"
    with tarfile.open(bad, "w:gz") as tar:
        info = tarfile.TarInfo("README")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))
    with pytest.raises(LacMissing, match="not the lac 2.1.2 sdist"):
        load_lac(bad)
    (tmp_path / "junk.tar.gz").write_bytes(b"junk")
    with pytest.raises(LacMissing, match="cannot read"):
        load_lac(tmp_path / "junk.tar.gz")


def test_load_lac_reads_rows_in_dictionary_order(tmp_path):
    from zhie.training.train_embed import lac_vocabs, load_lac

    path = fake_lac(tmp_path / "LAC-2.1.2.tar.gz", ["张三在北京"], ["北京"])
    lac = load_lac(path)
    chars = sorted("张三在北京")
    assert lac.words == chars + ["北京", "OOV"] and lac.oov == 6
    assert lac.vectors.shape == (7, 128) and lac.q2b == {"Ａ": "A"}
    vocabs, lc, lw = lac_vocabs(lac)
    assert vocabs["lc"][2:] == chars and vocabs["lw"][2:] == ["北京"]
    assert (
        (lc[0] == 0).all() and (lc[1] == lac.vectors[6]).all() and (lw[2] == lac.vectors[5]).all()
    )


def test_place_labels():
    from zhie.training.train_embed import place_label

    assert (
        place_label("北京") == "GPE"
        and place_label("香港") == "GPE"
        and place_label("浦东新区") == "GPE"
    )
    assert place_label("青岛国际会议中心") == "FAC" and place_label("首都机场") == "FAC"
    assert place_label("台南科学园区") == "FAC" and place_label("欧洲") == "GPE"


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    pytest.importorskip(
        "torch", reason="training the NER model needs torch (pip install 'zhie[train]')"
    )
    from zhie.training.train_embed import train_embed

    tmp = tmp_path_factory.mktemp("embed")
    lac = sample_lac(tmp)
    # two gold articles exercise the gold path (converted to Simplified, offsets kept)
    arts, gold = tmp / "articles", tmp / "gold"
    arts.mkdir()
    gold.mkdir()
    for aid in ("001_tainan-tainan-spinning-mou", "024_zoomlion-jiangyin-base-signing"):
        (arts / f"{aid}.txt").write_bytes((ROOT / "corpus/articles" / f"{aid}.txt").read_bytes())
        (gold / f"{aid}.json").write_bytes((ROOT / "corpus/gold" / f"{aid}.json").read_bytes())
    # and one of another gold set beside them (config extra_gold, next to the articles folder)
    more = tmp / "more"
    (more / "articles").mkdir(parents=True)
    (more / "gold").mkdir()
    aid = "103_tainan-busan-tourism-mou"
    for sub, ext in (("articles", "txt"), ("gold", "json")):
        source = ROOT / "corpus/extra" / sub / f"{aid}.{ext}"
        (more / sub / f"{aid}.{ext}").write_bytes(source.read_bytes())
    out = tmp / "model"
    result = train_embed(
        DATA,
        out,
        lac,
        articles_dir=arts,
        gold_dir=gold,
        config=SAMPLE_CONFIG,
        sample=SAMPLE_TRAIN,
        eval_path=SAMPLE_EVAL,
        epochs=8,
        quiet=True,
    )
    return out, result


SAMPLE_CONFIG = {"extra_gold": ["more"]}


def test_a_missing_extra_gold_set_is_a_clear_error(trained):
    from zhie.errors import UsageError
    from zhie.training.train_embed import Trainer

    out, _ = trained
    base = out.parent
    with pytest.raises(UsageError, match="nowhere: no gold folder"):
        Trainer(
            DATA,
            base / "LAC-2.1.2.tar.gz",
            base / "articles",
            base / "gold",
            config={"extra_gold": ["nowhere"]},
            sample=SAMPLE_TRAIN,
            log=lambda *a: None,
        )


def test_sample_training(trained):
    out, result = trained
    assert result["train_sentences"] == 300
    assert {p.name for p in out.iterdir()} == {
        "meta.json",
        "weights.npz",
        "vocab.json.gz",
        "gazetteers.json.gz",
        "NOTICE",
    }
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["model"] == "embed" and meta["data"] == {
        "msra_heldout_train.bio": 300,
        "gold articles": 3,
    }
    assert (
        result["eval"]["micro"]["f1"] > 0.15
    )  # measured 0.216: 300 sentences, random "LAC" vectors


def test_numpy_inference_equals_torch_decoding(trained):
    _, result = trained
    agree = result["agreement"]
    assert agree["sentences"] > 50
    assert agree["same_paths"] == 1.0
    assert agree["max_abs_diff"] < 1e-4


def test_sample_model_reloads_identically(trained):
    out, result = trained
    from zhie.evaluate.ner import evaluate_file
    from zhie.ner.embed import EmbedNER

    model = load_model(out)
    assert isinstance(model, EmbedNER)
    again = evaluate_file(SAMPLE_EVAL, model=out)
    assert again["micro"] == result["eval"]["micro"]


def test_training_reproduces_the_same_weights(trained, tmp_path):
    from zhie.training.train_embed import train_embed

    out, _ = trained
    base = out.parent
    train_embed(
        DATA,
        tmp_path / "again",
        base / "LAC-2.1.2.tar.gz",
        articles_dir=base / "articles",
        gold_dir=base / "gold",
        config=SAMPLE_CONFIG,
        sample=SAMPLE_TRAIN,
        eval_path=SAMPLE_EVAL,
        epochs=8,
        quiet=True,
    )
    assert (tmp_path / "again" / "weights.npz").read_bytes() == (out / "weights.npz").read_bytes()


def test_float16_projections_give_the_same_spans(ner):
    from zhie.ner.embed import EmbedNER

    class Float32(EmbedNER):
        HALF_PROJECTIONS = False

    exact = Float32()
    texts = [t for t, _ in OWN_SENTENCES] + [ex.text for ex in read_examples(SAMPLE_EVAL)]
    assert ner.predict_batch(texts) == exact.predict_batch(texts)


@pytest.fixture(scope="module")
def sample_trainer(tmp_path_factory):
    pytest.importorskip(
        "torch", reason="training the NER model needs torch (pip install 'zhie[train]')"
    )
    from zhie.training.train_embed import Trainer

    lac = sample_lac(tmp_path_factory.mktemp("encoders"))
    return Trainer(DATA, lac, None, None, sample=SAMPLE_TRAIN, log=lambda *a: None)


@pytest.mark.parametrize("encoder", ["cnn", "bilstm", "cnn+bilstm"])
def test_numpy_emissions_equal_torch_for_each_encoder(sample_trainer, encoder):
    """A tiny randomly initialised network of each encoder: EmbedNER's numpy emissions (its
    BiLSTM is zhie.ner.neural's) are torch's, and the Viterbi paths are the same."""
    from zhie.training.train_embed import _round_tables, agreement

    tr = sample_trainer
    cfg = tr.cfg
    try:
        tr.cfg = {**cfg, "encoder": encoder, "hidden": 12, "width": 24}
        net = tr.new_net()
        _round_tables(net)  # the trained tables are stored as float16
        net.eval()
        names = set(net.state_dict())
        assert any(k.startswith("lstm.") for k in names) == ("bilstm" in encoder)
        assert any(k.startswith("convs.") for k in names) == (encoder != "bilstm")
        model = tr.numpy_model(net)
        model.convention = "msra"
        texts = [ex.text for ex in read_examples(SAMPLE_EVAL)][:60]
        texts += ["", "A", "今天。\n\n明天，张三在北京。"]
        agree = agreement(net, model, texts)
        # several sentences in one padded string (as predict_batch lays them out) give each the
        # emissions it has alone
        from zhie.ner.charner import PAD, pad_join, word_positions

        pieces = texts[:5]
        padded = pad_join(pieces)
        wpos, wword = "S1S1", [PAD] * 2
        alone = []
        for piece in pieces:
            p_pos, p_word = word_positions(model._words(piece))
            wpos += p_pos + "S1S1"
            wword += p_word + [PAD] * 2
            em = model.emissions(
                pad_join([piece]), "S1S1" + p_pos + "S1S1", [PAD] * 2 + p_word + [PAD] * 2
            )
            alone.append(em[2:-2])
        together = model.emissions(padded, wpos, wword)
        mask = np.array([ch != PAD for ch in padded])
        assert np.abs(together[mask] - np.concatenate(alone)).max() < 1e-5
    finally:
        tr.cfg = cfg
    assert agree["sentences"] > 50
    assert agree["same_paths"] == 1.0
    assert agree["max_abs_diff"] < 1e-4


def test_default_encoder_is_the_cnn():
    from zhie.training.train_embed import DEFAULT_CONFIG

    assert DEFAULT_CONFIG["encoder"] == "cnn"
    meta = json.loads((resources.files("zhie") / "models" / "ner" / "meta.json").read_text())
    assert meta["config"].get("encoder", "cnn") == "cnn"  # the shipped model (no key: the CNN)
