"""Convert stage: OpenCC with an exact offset map, width folding, script detection."""

from __future__ import annotations

import pytest

from zhie.text.convert import Normaliser, OffsetMap, detect_script, fold_width, opencc_step


def test_t2s_is_length_preserving_identity_map():
    out, offsets = opencc_step("臺南市政府與台南紡織簽署合作備忘錄", "t2s")
    assert out == "台南市政府与台南纺织签署合作备忘录"
    assert offsets.is_identity


@pytest.mark.parametrize(
    "converted_word,original_word",
    [
        ("内存", "記憶體"),  # 3 -> 2 characters
        ("博客", "部落格"),  # 3 -> 2 characters
        ("鼠标", "滑鼠"),
        ("软件", "軟體"),
        ("出租车", "計程車"),
    ],
)
def test_phrase_config_maps_words_back_exactly(converted_word, original_word):
    text = "我的記憶體壞了，買滑鼠和軟體，坐計程車去部落格。"
    converted = Normaliser("tw2sp")(text)
    assert converted.text == "我的内存坏了，买鼠标和软件，坐出租车去博客。"
    start = converted.text.index(converted_word)
    a, b = converted.to_original(start, start + len(converted_word))
    assert text[a:b] == original_word


def test_phrase_config_maps_every_character_inside_its_piece():
    text = "記憶體壞了"
    converted = Normaliser("tw2sp")(text)
    assert converted.text == "内存坏了"
    assert [converted.to_original(i, i + 1) for i in range(len(converted.text))] == [
        (0, 3),
        (0, 3),
        (3, 4),
        (4, 5),
    ]
    assert converted.to_original(0, 4) == (0, 5)


def test_width_folding_keeps_offsets():
    converted = Normaliser("t2s")("投資１８００億元，ＡＢＣ占５０％")
    assert converted.text == "投资1800亿元，ABC占50%"
    assert converted.offsets.is_identity
    assert fold_width("（，。）")[0] == "（，。）"
    # the colon's presentation forms of Hong Kong bylines read as the full-width colon
    assert fold_width("記者︰王明﹕︓")[0] == "記者：王明：："


def test_offset_maps_compose():
    first = OffsetMap(5, [0, 0, 3, 4], [3, 3, 4, 5])
    assert first.then(OffsetMap(4)).span(2, 4) == (3, 5)
    later = OffsetMap(4, [1, 2], [2, 4])
    assert first.then(later).span(0, 2) == (0, 5)


@pytest.mark.parametrize(
    "text,script",
    [
        ("臺南市政府與台南紡織簽署合作備忘錄", "traditional"),
        ("青岛市政府副秘书长王东翔出席活动", "simplified"),
        ("臺南市政府與台南紡織簽署合作備忘錄，青岛市政府副秘书长王东翔出席活动", "mixed"),
        ("ABC 123", "simplified"),
    ],
)
def test_detect_script(text, script):
    assert detect_script(text) == script
