"""The command line: exit codes and one-line errors."""

from __future__ import annotations

import shutil

import pandas as pd
from conftest import CORPUS

from zhie.cli import main
from zhie.resources import resolve_path

ARTICLE = "台南市長黃偉哲今(7)日與台南紡織股份有限公司總經理王立範簽訂合作備忘錄。"


def test_missing_input_folder(tmp_path, capsys):
    assert (
        main(["run", str(tmp_path / "nope"), "--out", str(tmp_path / "out"), "--ner", "none"]) == 2
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"zhie: error: input folder not found: {tmp_path / 'nope'}"]


def test_unwritable_output_folder(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["run", str(tmp_path / "in"), "--out", str(blocker / "out"), "--ner", "none"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(
        f"zhie: error: cannot create output folder {blocker / 'out'}"
    )


def test_bad_article_gives_error_row_and_exit_1(tmp_path, capsys):
    articles = tmp_path / "in"
    articles.mkdir()
    (articles / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (articles / "empty.txt").write_bytes(b"")
    (articles / "binary.txt").write_bytes(b"\x00\x01\x02")
    out = tmp_path / "out"
    assert main(["run", str(articles), "--out", str(out), "--ner", "jieba", "--quiet"]) == 1
    table = pd.read_csv(out / "articles.csv", encoding="utf-8-sig", keep_default_na=False)
    assert table[["article_id", "status", "error"]].values.tolist() == [
        ["binary", "error", "binary file (NUL byte at offset 0)"],
        ["empty", "error", "empty file"],
        ["good", "ok", ""],
    ]
    mentions = pd.read_csv(out / "mentions.csv", encoding="utf-8-sig")
    assert set(mentions["article_id"]) == {"good"}
    assert "zhie: 3 articles (2 failed)" in capsys.readouterr().err


def test_bad_rule_file_stops_before_any_article(tmp_path, capsys):
    rules = tmp_path / "rules"
    shutil.copytree(
        resolve_path("rules:"), rules, ignore=shutil.ignore_patterns("__pycache__", "*.py")
    )
    line = len((rules / "names.jsonl").read_text(encoding="utf-8").splitlines()) + 1
    with open(rules / "names.jsonl", "a", encoding="utf-8") as f:
        f.write('{"label": "ORG", "patern": "x"}\n')
    out = tmp_path / "out"
    assert (
        main(["run", str(CORPUS), "--out", str(out), "--rules", str(rules), "--ner", "none"]) == 2
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"zhie: error: {rules / 'names.jsonl'}:{line}: unknown key(s) ['patern']; allowed: ['id', 'label', 'pattern']"
    ]
    assert not (out / "articles.csv").exists()


def test_evaluate_missing_gold(tmp_path, capsys):
    assert main(["evaluate", "--gold", str(tmp_path / "g"), "--pred", str(tmp_path)]) == 2
    assert (
        capsys.readouterr().err.strip() == f"zhie: error: gold folder not found: {tmp_path / 'g'}"
    )


def test_plain_utf8_encoding_option(tmp_path):
    articles = tmp_path / "in"
    articles.mkdir()
    (articles / "a.txt").write_text(ARTICLE, encoding="utf-8")
    main(["run", str(articles), "--out", str(tmp_path / "bom"), "--ner", "none", "--quiet"])
    main(
        [
            "run",
            str(articles),
            "--out",
            str(tmp_path / "plain"),
            "--ner",
            "none",
            "--quiet",
            "--encoding",
            "utf-8",
        ]
    )
    assert (tmp_path / "bom" / "articles.csv").read_bytes().startswith(b"\xef\xbb\xbfarticle_id,")
    assert (tmp_path / "plain" / "articles.csv").read_bytes().startswith(b"article_id,")


def test_train_a_sample_and_score_it_with_evaluate_ner(tmp_path, capsys):
    data = CORPUS.parent.parent / "tests" / "data" / "ner"
    model = tmp_path / "model"
    assert (
        main(
            [
                "train",
                "--model",
                "crf",
                "--data",
                str(tmp_path),
                "--sample",
                str(data / "msra_heldout_train.bio"),
                "--out",
                str(model),
                "--quiet",
            ]
        )
        == 0
    )
    assert sorted(p.name for p in model.iterdir()) == [
        "attributes.json.gz",
        "gazetteers.json.gz",
        "meta.json",
        "weights.npz",
    ]
    capsys.readouterr()
    assert main(["evaluate-ner", str(data / "msra_heldout_eval.bio"), "--model", str(model)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[4].split() == ["micro", "0.6737", "0.2949", "0.4103", "217", "95"]


def test_train_unknown_corpus(tmp_path, capsys):
    args = ["train", "--model", "crf", "--data", str(tmp_path), "--corpora", "msra,wiki"]
    assert main(args) == 2
    assert "unknown corpora ['wiki']" in capsys.readouterr().err


def test_train_missing_gold_folder(tmp_path, capsys):
    lac = tmp_path / "LAC-2.1.2.tar.gz"
    lac.write_bytes(b"")
    args = [
        "train",
        "--data",
        str(tmp_path),
        "--lac",
        str(lac),
        "--articles",
        str(tmp_path / "none"),
    ]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"zhie: error: gold folder not found: {tmp_path / 'none'} (--articles, --gold)"


def test_evaluate_ner_missing_file(tmp_path, capsys):
    assert main(["evaluate-ner", str(tmp_path / "none.bio")]) == 2
    assert (
        capsys.readouterr().err.strip() == f"zhie: error: file not found: {tmp_path / 'none.bio'}"
    )
