"""Read stage: discovery, ids, decoding, title and publication date."""

from __future__ import annotations

import codecs
import os

import pytest

from zhie.text.read import ArticleError, article_id_for, decode, discover, read_article

TEXT = "南市府與台南紡織簽署MOU\n\n發稿日期：111年10月07日 09:10\n\n台南市長黃偉哲今(7)日簽約。"


def test_discover_is_recursive_sorted_and_ids_use_slashes(tmp_path):
    (tmp_path / "b" / "c").mkdir(parents=True)
    for rel in ["z.txt", "b/c/a.txt", "b/a.TXT", "notes.md"]:
        (tmp_path / rel).write_text("中文", encoding="utf-8")
    paths = discover(tmp_path)
    assert [article_id_for(p, tmp_path) for p in paths] == ["b/a", "b/c/a", "z"]


def test_discover_does_not_follow_links_out_of_the_folder(tmp_path):
    outside = tmp_path / "outside"
    inside = tmp_path / "in"
    outside.mkdir()
    inside.mkdir()
    (outside / "secret.txt").write_text("中文", encoding="utf-8")
    (inside / "own.txt").write_text("中文", encoding="utf-8")
    os.symlink(outside / "secret.txt", inside / "link.txt")
    os.symlink(outside, inside / "dirlink")
    os.symlink(inside / "own.txt", inside / "alias.txt")
    assert [p.name for p in discover(inside)] == ["alias.txt", "own.txt"]


def test_missing_folder_raises():
    with pytest.raises(FileNotFoundError, match="input folder not found"):
        discover("/nonexistent/zhie")


@pytest.mark.parametrize(
    "encoding,raw_prefix,expected",
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16"),
        ("gb18030", b"", "gb18030"),
        ("big5", b"", "big5"),
    ],
)
def test_decode_detects_encodings(encoding, raw_prefix, expected):
    text = (
        "臺南市政府與台南紡織股份有限公司簽署合作備忘錄，投資金額約新台幣3億元，創造200個就業機會。"
        * 3
    )
    if encoding == "gb18030":
        text = (
            "青岛市工业和信息化局、青岛市新能源汽车产业协会共同发起产业联盟，投资规模超过三千亿元。"
            * 3
        )
    raw = raw_prefix + text.encode(encoding)
    decoded, found, warnings = decode(raw)
    assert (decoded, found, warnings) == (text, expected, [])


def test_decode_keeps_utf8_with_a_few_bad_bytes():
    raw = (
        "青岛市政府副秘书长王东翔出席活动。".encode() * 100 + b"\xff\xfe\xfa" + "他表示。".encode()
    )
    text, encoding, warnings = decode(raw)
    assert encoding == "utf-8"
    assert text.count("\ufffd") == 3
    assert warnings == ["3 invalid UTF-8 byte sequence(s) replaced by U+FFFD (first at byte 5100)"]


@pytest.mark.parametrize(
    "raw,message",
    [
        (b"", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (NUL byte at offset 8)"),
    ],
)
def test_decode_errors(raw, message):
    with pytest.raises(ArticleError, match=message.replace("(", r"\(").replace(")", r"\)")):
        decode(raw)


def test_read_article_fields(tmp_path):
    path = tmp_path / "sub" / "a.txt"
    path.parent.mkdir()
    path.write_bytes(codecs.BOM_UTF8 + TEXT.encode("utf-8"))
    article = read_article(path, tmp_path)
    assert (
        article.article_id,
        article.encoding,
        article.title,
        article.published,
        article.error,
    ) == (
        "sub/a",
        "utf-8-sig",
        "南市府與台南紡織簽署MOU",
        None,
        "",
    )  # the date is read by zhie_document
    assert article.text == TEXT
    assert len(article.sha256) == 64


@pytest.mark.parametrize(
    "content,error",
    [
        (b"", "empty file"),
        (b"  \n\t\r\n", "empty file (whitespace only)"),
        (
            "これは日本語の記事です。東京で会議が開かれました。".encode(),
            "not Chinese text: Japanese kana in 13 of 25 characters",
        ),
        (b"An English article about trade.", "not Chinese text: 0 Han characters of 27"),
    ],
)
def test_read_article_errors_are_one_line(tmp_path, content, error):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    article = read_article(path, tmp_path)
    assert article.error == error
    assert not article.ok


def test_too_long_article_is_an_error(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("中" * 101, encoding="utf-8")
    assert (
        read_article(path, tmp_path, max_chars=100).error
        == "too long: 101 characters (limit 100, see --max-chars)"
    )
