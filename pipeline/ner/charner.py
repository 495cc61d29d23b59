"""Character-level NER: a linear-chain CRF over character, word-boundary and gazetteer features.

(The shipped model may instead be the neural tagger of :mod:`zhie.ner.neural`, which reuses
this module's sentence splitting, featurizer and Viterbi; :func:`zhie.ner.models.load_model` picks the
type that the model's ``meta.json`` names.)

The CRF is trained with python-crfsuite (see :mod:`zhie.training.train`); its weights are
exported to a compact numpy file: emission scores are table look-ups summed with numpy and
decoded with a Viterbi batched across sentences (it gives crfsuite's own tagger output, see
``crfsuite_agreement`` in :mod:`zhie.training.train`).

Model directory layout (``pipeline/models/ner/`` for the packaged model):

- ``meta.json``: labels, feature templates, training data and scores
- ``weights.npz``: ``state`` (attributes x labels), ``trans`` (labels x labels)
- ``attributes.json.gz``: ``[template, value]`` for each row of ``state``
- ``gazetteers.json.gz``: the word lists the gazetteer features match against
"""

from __future__ import annotations

import gzip
import json
import logging
import re
from collections.abc import Iterable, Sequence
from functools import cached_property, lru_cache
from importlib import resources
from itertools import chain, repeat
from operator import add
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from zhie.ner.corpora import spans_from_tags

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    import jieba

PAD = "\x02"  # window padding between sentences; never a real character after _clean
MAX_SENTENCE = 200
# Sentence ends: split after these; long sentences are cut after a comma or, failing that, hard.
_SENT_END = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;\n]+[”’」』）)]*|$)")
_SOFT_BREAK = "，、,：: "

# jieba dictionary tags kept as word-class features (proper nouns and abbreviations)
JIEBA_TAGS = ("nr", "nrt", "nrfg", "ns", "nt", "nz", "j")


@lru_cache(maxsize=1)
def feature_words() -> dict[str, list[str]]:
    """The word lists the NER features read from rules/words.tsv (`ner_org_suffix`,
    `ner_numeral_char`): organisation suffix words matched like a gazetteer, the numeral
    character class. A trained model depends on them as they were when it was trained."""
    from zhie.nlp.lexicon import load_lexicon
    from zhie.resources import resolve_path

    lexicon = load_lexicon(resolve_path("rules:"))
    return {name: lexicon.words(name) for name in ("ner_org_suffix", "ner_numeral_char")}


def org_suffixes() -> list[str]:
    """Organisation suffix words (the CRF's `os` gazetteer feature when a model stores none)."""
    return feature_words()["ner_org_suffix"]


# Feature templates: name -> (base sequence, offset); the value of a template at position i
# is base[i + offset]. Templates sharing a base cost one dictionary lookup per character.
TEMPLATES = {
    "b": ("bias", 0),
    **{f"u{k}": ("c", k) for k in (-2, -1, 0, 1, 2)},  # characters
    **{f"b{k}": ("c2", k) for k in (-2, -1, 0, 1)},  # character bigrams starting at i + k
    "t0": ("c3", -1),  # the trigram centred on the character
    "ty0": ("ty", 0),  # character class: C(JK) N(umeral) D(igit) L(atin) P(unct) S(pace) O(ther)
    "ty3": ("ty3", -1),  # classes of the previous, current and next character
    "wp": ("wp", 0),  # B/M/E/S position in the jieba word + word length (capped at 5)
    "w": ("w", 0),  # the jieba word containing the char + position
    "wt": ("wt", 0),  # jieba dictionary tag of that word + position
    "wn": ("wn", 0),  # next jieba word (at the last char of a word)
    "wv": ("wv", 0),  # previous jieba word (at the first char of a word)
    "sn": ("sn", 0),  # a common surname (1), a rare one (r), or a compound surname starts (2)
    "pn": ("pn", 0),  # person-name list: longest match starting (s3) / ending (e2) here
    "cn": ("cn", 0),  # company short-name list: longest match starting / ending here
    "os": ("os", 0),  # organisation suffix word: longest match starting / ending here
}
TEMPLATES_CHAR = ("b", "u-2", "u-1", "u0", "u1", "u2", "b-2", "b-1", "b0", "b1", "t0", "ty0", "ty3")
TEMPLATES_FULL = tuple(TEMPLATES)


def _clean(text: str) -> str:
    """Replace characters reserved for padding (and NUL, which crfsuite cannot store)."""
    if "\x00" in text or PAD in text:
        text = text.replace("\x00", " ").replace(PAD, " ")
    return text


class _TypeTable(dict):
    """str.translate table: every character to a one-letter class."""

    def __missing__(self, key: int) -> str:
        return "O"


@lru_cache(maxsize=1)
def _type_table() -> _TypeTable:
    table = _TypeTable()
    for lo, hi in ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF)):
        table.update(dict.fromkeys(range(lo, hi + 1), "C"))
    for chars, cls in (
        ("".join(feature_words()["ner_numeral_char"]), "N"),
        ("0123456789０１２３４５６７８９", "D"),
        ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", "L"),
        (
            "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ",
            "L",
        ),
        (" \t\n\r\u3000\xa0", "S"),
        (PAD, "_"),
    ):
        table.update(dict.fromkeys(map(ord, chars), cls))
    for cp in list(range(0x21, 0x7F)) + list(range(0x3000, 0x3040)) + list(range(0xFF01, 0xFF5F)):
        table.setdefault(cp, "P")
    for ch in "·—–…‘’“”•《》〈〉「」『』【】、":
        table[ord(ch)] = "P"
    return table


def split_sentences(text: str, max_len: int = MAX_SENTENCE) -> list[tuple[int, int]]:
    """Split text into (start, end) sentence spans at 。！？；!?; and newlines, none longer than max_len."""
    spans = []
    for m in _SENT_END.finditer(text):
        start, end = m.span()
        while end - start > max_len:
            window = text[start : start + max_len]
            cut = max((window.rfind(c) for c in _SOFT_BREAK), default=-1)
            cut = start + (cut + 1 if cut >= max_len // 2 else max_len)
            spans.append((start, cut))
            start = cut
        if end > start:
            spans.append((start, end))
    return spans


def word_positions(words: Iterable[str]) -> tuple[str, list[str]]:
    """Per character: B/M/E/S position in its word + length class, and the word itself."""
    words = list(words)
    lengths = list(map(len, words))
    return "".join(map(_word_position, lengths)), list(
        chain.from_iterable(map(repeat, words, lengths))
    )


@lru_cache(maxsize=64)
def _word_position(n: int) -> str:
    """The word_positions string of a word of n characters."""
    if n == 1:
        return "S1"
    k = str(min(n, 5))
    return "B" + k + ("M" + k) * (n - 2) + "E" + k


def align_words(text: str, words: Sequence[str]) -> list[str] | None:
    """words re-cut to cover text exactly: skipped whitespace becomes its own word.

    None when the words do not match the text (in order, apart from whitespace).
    """
    if "".join(words) == text:
        return list(words)
    out, pos = [], 0
    for w in words:
        at = text.find(w, pos) if w else pos
        if at < 0 or text[pos:at].strip():
            return None
        if at > pos:
            out.append(text[pos:at])
        out.append(w)
        pos = at + len(w)
    if text[pos:].strip():
        return None
    if pos < len(text):
        out.append(text[pos:])
    return [w for w in out if w]


class Gazetteers:
    """Word lists for the gazetteer features, built once."""

    def __init__(self, lists: dict[str, list[str]]):
        self.lists = lists
        self.surnames = frozenset(w for w in lists.get("surnames", ()) if len(w) == 1)
        self.surnames2 = frozenset(w for w in lists.get("surnames", ()) if len(w) == 2)
        self.rare_surnames = frozenset(lists.get("rare_surnames", ()))
        tags = lists.get("jieba_tags", [])
        self.word_tags = dict(zip(tags[0::2], tags[1::2]))  # stored as a flat word, tag list

    def match_lists(self) -> dict[str, Sequence[str]]:
        """The entries of each list of MATCH_LISTS."""
        return {
            name: self.lists.get(name, org_suffixes() if name == "org_suffixes" else ())
            for name in MATCH_LISTS
        }

    @cached_property
    def matchers(self) -> dict[str, int]:
        """One dictionary for all match lists: entry -> bit mask of the lists holding it (built
        when first asked for: CharNER's own feature ids do without its 10 MB)."""
        matchers: dict[str, int] = {}
        for name, entries in self.match_lists().items():
            bit = MATCH_LISTS[name][1]
            for entry in entries:
                matchers[entry] = matchers.get(entry, 0) | (1 << bit)
        return matchers

    @classmethod
    def load(cls, path: Path) -> Gazetteers:
        """The lists of a gazetteers.json.gz file."""
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return cls(json.load(fh))

    def save(self, path: Path) -> None:
        """Write the lists as gazetteers.json.gz (sorted keys, byte-identical for the same lists)."""
        # mtime=0 keeps the file byte-identical across runs with the same content
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
            fh.write(json.dumps(self.lists, ensure_ascii=False, sort_keys=True).encode("utf-8"))


# Lists matched against the text: name -> (template, bit, entry lengths)
MATCH_LISTS = {
    "persons": ("pn", 0, (2, 3, 4)),
    "companies": ("cn", 1, (2, 3, 4, 5)),
    "org_suffixes": ("os", 2, (1, 2, 3)),
}
_MATCH_TEMPLATES = tuple(template for template, _, _ in MATCH_LISTS.values())
_MATCH_NAMES = [
    (f"s{c // 8}" if c // 8 else "") + (f"e{c % 8}" if c % 8 else "") for c in range(64)
]


def _match_features(
    grams: dict[int, list[str] | str], matchers: dict[str, int]
) -> dict[str, list[str]]:
    """Per match list: the longest entry starting ("s3") and ending ("e2") at each position.

    grams[k][i] is the k-character string starting at i (padded with PAD at the end).
    """
    n = len(grams[1])
    hits = {
        k: np.fromiter(map(matchers.get, grams[k], repeat(0, n)), np.int64, count=n)
        for k in range(1, 6)
    }
    out = {}
    for template, bit, lengths in MATCH_LISTS.values():
        start = np.zeros(n, np.int64)
        end = np.zeros(n, np.int64)
        for k in lengths:  # ascending: longer matches overwrite shorter ones
            at = np.flatnonzero(hits[k] & (1 << bit))
            start[at] = k
            end[at + k - 1] = k  # in range: grams running past the end contain PAD and never match
        out[template] = list(map(_MATCH_NAMES.__getitem__, (start * 8 + end).tolist()))
    return out


class Featurizer:
    """Turns a padded character string plus word information into feature values."""

    def __init__(self, templates: Sequence[str], gaz: Gazetteers | None):
        self.templates = tuple(templates)
        self.gaz = gaz
        self.base_names = tuple(dict.fromkeys(TEMPLATES[t][0] for t in self.templates))
        self.uses_words = any(b.startswith("w") for b in self.base_names)

    def bases(self, s: str, wpos: str, wword: list[str]) -> dict[str, list[str] | str]:
        """Base value sequences (one value per character of s) for the templates in use.

        s is padded (see pad_join); wpos holds two characters per character of s (word
        position class and length) and wword the word containing each character.
        """
        need = set(self.base_names)
        n = len(s)
        n2 = s[2:] + PAD + PAD
        c2 = list(map(add, s, s[1:] + PAD))
        out: dict[str, list[str] | str] = {"c": s, "c2": c2}
        if "bias" in need:
            out["bias"] = "b" * n
        if need & {"c3", "pn", "cn", "os"}:
            out["c3"] = list(map(add, c2, n2))
        if "ty" in need or "ty3" in need:
            ty = s.translate(_type_table())
            out["ty"] = ty
            out["ty3"] = list(map(add, map(add, ty, ty[1:] + "_"), ty[2:] + "__"))
        if self.uses_words:
            pos_class = wpos[0::2]
            out["wp"] = list(map(add, pos_class, wpos[1::2]))
            out["w"] = list(map(add, wword, pos_class))
            tags = self.gaz.word_tags if self.gaz else {}
            out["wt"] = list(map(add, map(tags.get, wword, repeat("", n)), pos_class))
            # neighbouring words, only at the word edges where they are informative
            out["wn"] = [w if p in "ES" else "" for w, p in zip(wword[1:] + [PAD], pos_class)]
            out["wv"] = [w if p in "BS" else "" for w, p in zip([PAD] + wword[:-1], pos_class)]
        if self.gaz is not None:
            g = self.gaz
            if "sn" in need:
                out["sn"] = [
                    "2"
                    if b in g.surnames2
                    else "1"
                    if c in g.surnames
                    else "r"
                    if c in g.rare_surnames
                    else ""
                    for c, b in zip(s, c2)
                ]
            if need & {"pn", "cn", "os"}:
                grams: dict[int, list[str] | str] = {1: s, 2: c2, 3: out["c3"]}
                grams[4] = list(map(add, c2, c2[2:] + [PAD * 2] * 2))
                grams[5] = list(map(add, grams[4], s[4:] + PAD * 4))
                out.update(_match_features(grams, g.matchers))
        return out

    def values(self, s: str, wpos: str, wword: list[str]) -> list[list[str]]:
        """Per-template value lists over s (for training; "" = no feature)."""
        bases = self.bases(s, wpos, wword)
        out = []
        for t in self.templates:
            base, k = TEMPLATES[t]
            seq = list(bases[base])
            out.append(seq[k:] + [""] * k if k >= 0 else [""] * -k + seq[:k])
        return out


def pad_join(pieces: Sequence[str]) -> str:
    """Join sentences with two PAD characters around each, as the CRF was trained."""
    return PAD * 2 + (PAD * 2).join(pieces) + PAD * 2


# -- feature ids without feature strings -----------------------------------------------
# CharNER scores features by integer id: character n-grams become keys of 21-bit code points,
# looked up by binary search; the word features cost one dictionary look-up per character of
# words whose hashes Python has cached. The ids equal those of Featurizer.bases' strings
# (which training keeps using); tests/test_charner.py checks it.

_CP = 21  # bits of a code point
_NO_KEY = np.iinfo(np.int64).max  # sentinel after the sorted keys: no key of code points reaches it
_POS = "BMES"  # word position classes
# A gram's entry packs its vocabulary id, the bit mask of the match lists holding it and one
# more field: for a character its surname flags and character class, for a bigram its compound
# surname flag, for a trigram its rank as the head of 4- and 5-character entries.
_ID, _MASK, _MORE = 0, 24, 32  # bit offsets
_LOW = (1 << _MASK) - 1  # the id field
# surname flags (a rare one 1, a common one 2, a compound one starting 4) -> feature value
_SN = ("", "r", "1", "1", "2", "2", "2", "2")


def _code_points(s: str) -> np.ndarray:
    """The code points of s as int64 (lone surrogates included)."""
    return np.frombuffer(s.encode("utf-32-le", "surrogatepass"), np.uint32).astype(np.int64)


def _gram_keys(cps: np.ndarray, k: int, n: int) -> np.ndarray:
    """The key of the k code points starting at each of the first n positions (k <= 3)."""
    keys = cps[:n].copy()
    for j in range(1, k):
        keys <<= _CP
        keys |= cps[j : j + n]
    return keys


def _string_keys(strings: Sequence[str], k: int) -> np.ndarray:
    """The key of each of strings, all k characters long."""
    return _column_keys(_code_points("".join(strings)).reshape(-1, k))


def _column_keys(cps: np.ndarray) -> np.ndarray:
    """The key of the code points of each row of cps (up to three columns)."""
    keys = np.zeros(len(cps), np.int64)
    for j in range(cps.shape[1]):
        keys = keys << _CP | cps[:, j]
    return keys


class _KeyTable:
    """Integer keys with a value each, sorted for np.searchsorted; absent keys give 0."""

    def __init__(self, keys: np.ndarray, values: np.ndarray):
        order = np.argsort(keys)
        self.keys = np.append(keys[order], _NO_KEY)
        self.values = np.append(values[order], 0)

    @classmethod
    def merged(cls, parts: list[tuple[np.ndarray, np.ndarray]]) -> _KeyTable:
        """The table of (keys, values) parts; the values of equal keys are or-ed together."""
        keys = np.concatenate([k for k, _ in parts])
        values = np.concatenate([v for _, v in parts])
        order = np.argsort(keys, kind="stable")
        keys, values = keys[order], values[order]
        unique, first = np.unique(keys, return_index=True)
        return cls(unique, np.bitwise_or.reduceat(values, first) if len(keys) else values)

    def get(self, keys: np.ndarray) -> np.ndarray:
        at = np.searchsorted(self.keys, keys)
        return np.where(self.keys[at] == keys, self.values[at], 0)


class FeatureIds:
    """Per feature base, the vocabulary id of each character's value (0: unknown), computed
    from code points and words instead of from the strings of Featurizer.bases."""

    def __init__(self, vocab: dict[str, dict[str, int]], featurizer: Featurizer):
        self.vocab = vocab
        produced = set(featurizer.base_names) | {"c", "c2"}
        if not featurizer.uses_words:
            produced -= {"wp", "w", "wt", "wn", "wv"}
        if featurizer.gaz is None:
            produced -= {"sn", *_MATCH_TEMPLATES}
        # in the order of Featurizer.bases: the scores are summed in the same order
        order = ("c", "c2", "bias", "c3", "ty", "ty3", "wp", "w", "wt", "wn", "wv", "sn")
        self.bases = [b for b in (*order, *_MATCH_TEMPLATES) if b in vocab and b in produced]
        self.bias = vocab.get("bias", {}).get("b", 0)
        self.word_tags = featurizer.gaz.word_tags if featurizer.gaz else {}
        grams: dict[int, list[tuple[np.ndarray, np.ndarray]]] = {1: [], 2: [], 3: []}
        for k, base in ((1, "c"), (2, "c2"), (3, "c3")):
            values = [v for v in vocab.get(base, {}) if len(v) == k]
            ids = np.fromiter(map(vocab.get(base, {}).__getitem__, values), np.int64, len(values))
            if len(ids) and ids.max() > _LOW:
                raise ValueError(f"too many {base} values for the packed gram tables")
            grams[k].append((_string_keys(values, k), ids << _ID))
        self.long = {k: _KeyTable(np.zeros(0, np.int64), np.zeros(0, np.int64)) for k in (4, 5)}
        if featurizer.gaz is not None:
            self._gazetteers(featurizer.gaz, grams)
        self.grams2 = _KeyTable.merged(grams[2])
        self.grams3 = _KeyTable.merged(grams[3])
        self._characters(_KeyTable.merged(grams[1]))
        self._words(vocab)
        self.sn = np.array([vocab.get("sn", {}).get(v, 0) for v in _SN], np.int32)
        self.match_names = {
            t: np.array([vocab.get(t, {}).get(v, 0) for v in _MATCH_NAMES], np.int32)
            for t in _MATCH_TEMPLATES
        }

    def _gazetteers(
        self, g: Gazetteers, grams: dict[int, list[tuple[np.ndarray, np.ndarray]]]
    ) -> None:
        """Add the match lists and surnames to the gram parts; the tables of longer entries."""
        # per entry length: code points and list bits of the entries of every list
        entries: dict[int, list[tuple[np.ndarray, np.ndarray]]] = {k: [] for k in range(1, 6)}
        for name, listed in g.match_lists().items():
            by_len: dict[int, list[str]] = {k: [] for k in range(1, 6)}
            for entry in listed:
                if 1 <= len(entry) <= 5:
                    by_len[len(entry)].append(entry)
            for k, group in by_len.items():
                cps = _code_points("".join(group)).reshape(-1, k)
                entries[k].append((cps, np.full(len(group), 1 << MATCH_LISTS[name][1], np.int64)))
        for k in (1, 2, 3):
            grams[k] += [(_column_keys(cps), bits << _MASK) for cps, bits in entries[k]]
        # a 4- or 5-character entry: the rank of its first three characters, then the rest
        long = {k: np.concatenate([c for c, _ in entries[k]]) for k in (4, 5)}
        heads = {k: _column_keys(long[k][:, :3]) for k in (4, 5)}
        unique_heads = np.unique(np.concatenate(list(heads.values())))
        ranks = np.arange(1, len(unique_heads) + 1, dtype=np.int64)
        grams[3].append((unique_heads, ranks << _MORE))
        for k in (4, 5):
            keys = (np.searchsorted(unique_heads, heads[k]) + 1) << (_CP * (k - 3))
            keys |= _column_keys(long[k][:, 3:])
            bits = np.concatenate([b for _, b in entries[k]])
            self.long[k] = _KeyTable.merged([(keys, bits)])
        for surnames, flag in ((g.rare_surnames, 1), (g.surnames, 2)):
            chars = [c for c in surnames if len(c) == 1]
            grams[1].append((_string_keys(chars, 1), np.full(len(chars), flag << _MORE, np.int64)))
        pairs = list(g.surnames2)
        grams[2].append((_string_keys(pairs, 2), np.full(len(pairs), 4 << _MORE, np.int64)))

    def _characters(self, chars: _KeyTable) -> None:
        """The character table, indexed by code point: the packed entry plus a class code."""
        table = _type_table()
        letters = sorted(set(table.values()) | {"O"})
        keys = chars.keys[:-1]
        size = max(int(keys.max(initial=0)), max(table)) + 2  # the last entry: any code point above
        self.char = np.full(size, letters.index("O") << (_MORE + 8), np.int64)
        for cp, letter in table.items():
            self.char[cp] = letters.index(letter) << (_MORE + 8)
        self.char[keys] |= chars.values[:-1]
        nl = len(letters)
        self.pad_type = letters.index("_")
        self.ty = np.array([self.vocab.get("ty", {}).get(a, 0) for a in letters], np.int32)
        ty3 = self.vocab.get("ty3", {})
        self.ty3 = np.array(
            [ty3.get(a + b + c, 0) for a in letters for b in letters for c in letters], np.int32
        ).reshape(nl, nl, nl)

    def _words(self, vocab: dict[str, dict[str, int]]) -> None:
        """Tables of the word features: a row per vocabulary word, a column per position class."""
        self.pos_code = np.full(128, len(_POS), np.int64)  # position letter -> 0..3, 4: other
        for i, p in enumerate(_POS):
            self.pos_code[ord(p)] = i
        self.wp = np.zeros((128, 128), np.int32)
        for value, i in vocab.get("wp", {}).items():
            if len(value) == 2 and value.isascii():
                self.wp[ord(value[0]), ord(value[1])] = i
        w = [v[:-1] for v in vocab.get("w", {}) if v[-1:] in _POS]
        words = dict.fromkeys([*w, *vocab.get("wn", {}), *vocab.get("wv", {})])
        self.word_row = {word: r for r, word in enumerate(words, start=1)}
        self.w = np.zeros((len(words) + 1, len(_POS) + 1), np.int32)
        for value, i in vocab.get("w", {}).items():
            if value[-1:] in _POS:
                self.w[self.word_row[value[:-1]], _POS.index(value[-1])] = i
        self.wn = np.zeros(len(words) + 1, np.int32)
        self.wv = np.zeros(len(words) + 1, np.int32)
        for table, base in ((self.wn, "wn"), (self.wv, "wv")):
            for word, i in vocab.get(base, {}).items():
                table[self.word_row[word]] = i
        self.no_wn = vocab.get("wn", {}).get("", 0)
        self.no_wv = vocab.get("wv", {}).get("", 0)
        tags = [*sorted(set(self.word_tags.values())), ""]
        self.tag_code = {t: i for i, t in enumerate(tags)}
        self.wt = np.zeros((len(tags), len(_POS) + 1), np.int32)
        for value, i in vocab.get("wt", {}).items():
            if value[-1:] in _POS and value[:-1] in self.tag_code:
                self.wt[self.tag_code[value[:-1]], _POS.index(value[-1])] = i

    def ids(self, s: str, wpos: str, wword: list[str]) -> list[tuple[str, np.ndarray]]:
        """(base, ids over the characters of s) for the bases of the vocabulary, in the order
        of Featurizer.bases; arguments as for Featurizer.bases."""
        n = len(s)
        cps = np.concatenate([_code_points(s), np.full(4, ord(PAD), np.int64)])
        g1 = self.char[np.minimum(cps[:n], len(self.char) - 1)]
        key3 = _gram_keys(cps, 3, n)
        g2 = self.grams2.get(key3 >> _CP)
        g3 = self.grams3.get(key3)
        ty = np.append(g1 >> (_MORE + 8), [self.pad_type] * 2)
        out = {
            "c": g1 & _LOW,
            "c2": g2 & _LOW,
            "bias": np.full(n, self.bias, np.int32),
            "c3": g3 & _LOW,
            "ty": self.ty[ty[:n]],
            "ty3": self.ty3[ty[:n], ty[1 : n + 1], ty[2:]],
            "sn": self.sn[(g1 >> _MORE & 3) | (g2 >> _MORE & 4)],
        }
        out.update(self._word_ids(wpos, wword, n))
        # match lists: the longest entry starting and ending at each position, as _match_features
        key4 = (g3 >> _MORE) << _CP | cps[3 : 3 + n]
        hits = {1: g1 >> _MASK & 0xFF, 2: g2 >> _MASK & 0xFF, 3: g3 >> _MASK & 0xFF}
        hits[4] = self.long[4].get(key4)
        hits[5] = self.long[5].get(key4 << _CP | cps[4 : 4 + n])
        for template, bit, lengths in MATCH_LISTS.values():
            start = np.zeros(n, np.int64)
            end = np.zeros(n, np.int64)
            for k in lengths:
                at = np.flatnonzero(hits[k] & (1 << bit))
                start[at] = k
                end[at + k - 1] = k
            out[template] = self.match_names[template][start * 8 + end]
        return [(b, out[b]) for b in self.bases]

    def _word_ids(self, wpos: str, wword: list[str], n: int) -> dict[str, np.ndarray]:
        pos = np.frombuffer(wpos.encode("ascii"), np.uint8).reshape(n, 2)
        cls = self.pos_code[pos[:, 0]]
        rows = np.fromiter(map(self.word_row.get, wword, repeat(0, n)), np.int64, count=n)
        pad = self.word_row.get(PAD, 0)
        tags = map(self.word_tags.get, wword, repeat("", n))
        tag = np.fromiter(map(self.tag_code.__getitem__, tags), np.int64, count=n)
        ends, starts = (cls == 2) | (cls == 3), (cls == 0) | (cls == 3)  # E or S, B or S
        return {
            "wp": self.wp[pos[:, 0], pos[:, 1]],
            "w": self.w[rows, cls],
            "wt": self.wt[tag, cls],
            "wn": np.where(ends, self.wn[np.append(rows[1:], pad)], self.no_wn),
            "wv": np.where(starts, self.wv[np.insert(rows[:-1], 0, pad)], self.no_wv),
        }


def _release_freed_memory() -> None:
    """Give the heap freed after loading a model (the JSON lists, temporary arrays) back to the
    system (glibc)."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


class CharNER:
    """A character CRF NER model; use :meth:`load` to get one."""

    def __init__(self, path: Path | None = None):
        path = Path(path) if path is not None else None
        base: Traversable = path if path is not None else resources.files("zhie") / "models" / "ner"
        self.meta = json.loads((base / "meta.json").read_text(encoding="utf-8"))
        self.labels: list[str] = self.meta["tags"]
        self.entity_labels = sorted({t[2:] for t in self.labels if t != "O"})
        self.templates: list[str] = self.meta["templates"]
        gaz = None
        if (base / "gazetteers.json.gz").is_file():
            with (base / "gazetteers.json.gz").open("rb") as fh:
                gaz = Gazetteers(json.loads(gzip.decompress(fh.read()).decode("utf-8")))
        self.featurizer = Featurizer(self.templates, gaz)
        with (base / "weights.npz").open("rb") as fh:
            npz = np.load(fh)
            state = npz["state"].astype(np.float32)  # row r + 1 <-> attribute r
            self.trans = npz["trans"].astype(np.float32)
        # row 0 is all zeros: unknown attribute values
        self.state = np.vstack([np.zeros((1, state.shape[1]), np.float32), state])
        with (base / "attributes.json.gz").open("rb") as fh:
            attributes = json.loads(gzip.decompress(fh.read()).decode("utf-8"))
        # per base: value -> base id; per template: base id -> row of state (0 = no weight)
        self.vocab: dict[str, dict[str, int]] = {}
        for tmpl, value in attributes:
            vocab = self.vocab.setdefault(TEMPLATES[tmpl][0], {})
            vocab.setdefault(value, len(vocab) + 1)
        by_template: dict[str, np.ndarray] = {}
        for row, (tmpl, value) in enumerate(attributes, start=1):
            seq = TEMPLATES[tmpl][0]
            if tmpl not in by_template:
                by_template[tmpl] = np.zeros(len(self.vocab[seq]) + 1, np.int32)
            by_template[tmpl][self.vocab[seq][value]] = row
        self.tables: dict[str, list[tuple[int, np.ndarray]]] = {}
        for tmpl, rows in by_template.items():
            seq, offset = TEMPLATES[tmpl]
            self.tables.setdefault(seq, []).append((offset, rows))
        self.feature_ids = FeatureIds(self.vocab, self.featurizer)
        del attributes, by_template, state
        self._start, self._allowed, self._end = _constraints(self.labels)
        self._tokenizer: jieba.Tokenizer | None = None
        _release_freed_memory()

    # -- segmentation ---------------------------------------------------------------
    def _words(self, text: str) -> list[str]:
        if self._tokenizer is None:
            import jieba  # deferred: only needed when the caller gives no words

            logging.getLogger("jieba").setLevel(logging.WARNING)  # no "Building prefix dict" lines
            self._tokenizer = jieba.Tokenizer()
            self._tokenizer.initialize()
        return self._tokenizer.lcut(text, HMM=True)

    # -- scoring --------------------------------------------------------------------
    def emissions(self, padded: str, wpos: str, wword: list[str]) -> np.ndarray:
        """Per-character label scores (len(padded) x labels) for a padded string."""
        total = np.zeros((len(padded), self.state.shape[1]), np.float32)
        scores = np.empty_like(total)  # take() into a buffer: twice as fast as fancy indexing
        for base, ids in self.feature_ids.ids(padded, wpos, wword):
            for offset, rows in self.tables[base]:
                at = rows.take(ids)
                if offset:  # value at i is base[i + offset]; wrapped ends only reach padding
                    at = np.concatenate((at[offset:], at[:offset]))
                self.state.take(at, axis=0, out=scores)
                total += scores
        return total

    def predict(self, text: str, words: list[str] | None = None) -> list[tuple[int, int, str]]:
        """Entity spans (start, end exclusive, label) as character offsets into text.

        words: the jieba tokens of text, concatenating to text (tokens that leave out
        whitespace, like spaCy token texts, are aligned; tokens that do not match the text
        are ignored). None segments the text with a private jieba tokenizer.
        """
        return self.predict_batch([text], None if words is None else [words])[0]

    def predict_batch(
        self, texts: Sequence[str], words: Sequence[list[str]] | None = None
    ) -> list[list[tuple[int, int, str]]]:
        """predict() for several texts at once (decoding is batched across all of them)."""
        if words is not None and len(words) != len(texts):
            raise ValueError("words must have one token list per text")
        pieces: list[str] = []
        pos_parts: list[str] = []
        word_parts: list[list[str]] = []
        owners: list[tuple[int, int]] = []  # (text index, sentence start)
        for k, text in enumerate(texts):
            text = _clean(text)
            if not text:
                continue
            ws = align_words(text, words[k]) if words is not None and words[k] is not None else None
            if ws is None and self.featurizer.uses_words:
                ws = self._words(text)
            if ws is not None:
                wpos, wword = word_positions(ws)
            else:
                wpos, wword = "S1" * len(text), [""] * len(text)
            for a, b in split_sentences(text):
                pieces.append(text[a:b])
                pos_parts.append(wpos[2 * a : 2 * b])
                word_parts.append(wword[a:b])
                owners.append((k, a))
        results: list[list[tuple[int, int, str]]] = [[] for _ in texts]
        if not pieces:
            return results
        padded = pad_join(pieces)
        pad_pos = "S1" * 2
        wpos_all = pad_pos + pad_pos.join(pos_parts) + pad_pos
        wword_all = [PAD, PAD]
        for part in word_parts:
            wword_all += part
            wword_all += [PAD, PAD]
        emis = self.emissions(padded, wpos_all, wword_all)
        lengths = np.array([len(p) for p in pieces])
        offsets = np.cumsum(lengths + 2) - lengths  # start of each piece in padded
        for (k, start), tags in zip(owners, self._decode(emis, offsets, lengths)):
            results[k] += [(start + a, start + b, lab) for a, b, lab in _spans(tags, self.labels)]
        return results

    def _decode(
        self, emis: np.ndarray, offsets: np.ndarray, lengths: np.ndarray
    ) -> list[np.ndarray]:
        """Viterbi over every sentence, batched by similar length.

        Sentences are right-aligned behind a padding column forced to "O", so one loop
        serves the whole batch; the O->first-label transition is subtracted from the first
        emission because crfsuite scores the first label without one.
        """
        order = np.argsort(lengths, kind="stable")
        out: list[np.ndarray] = [None] * len(lengths)  # type: ignore[list-item]
        n_labels = emis.shape[1]
        pad_row = np.full(n_labels, -1e4, np.float32)
        pad_row[0] = 0.0  # tag 0 is "O"
        first = self._start - self.trans[0]
        for b in range(0, len(order), 256):
            ids = order[b : b + 256]
            tmax = int(lengths[ids].max()) + 1
            e = np.empty((tmax, len(ids), n_labels), np.float32)
            e[:] = pad_row
            for j, i in enumerate(ids):
                n, o = lengths[i], offsets[i]
                e[tmax - n :, j] = emis[o : o + n]
                e[tmax - n, j] += first
            paths = _viterbi(e, self.trans + self._allowed, self._end)
            for j, i in enumerate(ids):
                out[i] = paths[j, tmax - lengths[i] :]
        return out


def _constraints(tags: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Additive masks forbidding ill-formed BIOES sequences (start, transition, end)."""
    big = np.float32(-1e4)
    n = len(tags)
    start = np.zeros(n, np.float32)
    end = np.zeros(n, np.float32)
    allowed = np.zeros((n, n), np.float32)
    parts = [(t[0], t[2:]) for t in tags]
    for i, (p, typ) in enumerate(parts):
        if p in "IE":
            start[i] = big
        if p in "BI":
            end[i] = big
        for j, (q, typ2) in enumerate(parts):
            inside = p in "BI"  # an entity of type typ is open after tag i
            ok = (q in "IE" and typ2 == typ) if inside else q in "OBS"
            if not ok:
                allowed[i, j] = big
    return start, allowed, end


def _viterbi(e: np.ndarray, trans: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Best label paths for a batch of emission matrices e (time x batch x labels)."""
    tmax, nb, n_labels = e.shape
    score = e[0].copy()
    backs = np.empty((tmax, nb, n_labels), np.intp)
    # batch x next label x previous label: argmax over the contiguous last axis is fast (unlike
    # max, 8x slower there), and the best scores are then taken at the argmax positions; the
    # buffers are reused, numpy calls per step dominate the time
    cand = np.empty((nb, n_labels, n_labels), e.dtype)
    flat = cand.reshape(-1)
    prev = score[:, None, :]
    trans_t = np.ascontiguousarray(trans.T)[None]
    base = np.arange(nb * n_labels).reshape(nb, n_labels) * n_labels
    at = np.empty((nb, n_labels), np.intp)
    for t in range(1, tmax):
        np.add(prev, trans_t, out=cand)
        cand.argmax(axis=2, out=backs[t])
        np.add(backs[t], base, out=at)
        flat.take(at, out=score)
        score += e[t]
    last = (score + end).argmax(axis=1)
    paths = np.empty((nb, tmax), np.intp)
    paths[:, -1] = last
    rows = np.arange(nb) * n_labels
    backs_flat = backs.reshape(tmax, -1)
    for t in range(tmax - 1, 0, -1):
        last = backs_flat[t].take(rows + last)
        paths[:, t - 1] = last
    return paths


def _spans(path: np.ndarray, tags: list[str]) -> list[tuple[int, int, str]]:
    """Entity spans from a BIOES label-index path (tag 0 is "O")."""
    inside = path.nonzero()[0]
    if not len(inside):
        return []
    a, b = int(inside[0]), int(inside[-1]) + 1  # the O tags around them end no entity
    return [(a + i, a + j, t) for i, j, t in spans_from_tags([tags[i] for i in path[a:b]], "bioes")]
