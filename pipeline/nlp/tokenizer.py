"""Tokenise stage: jieba inside spaCy, through a registered tokenizer with a private jieba.Tokenizer.

The tokenizer is where an article's text becomes a Doc: it converts the text first (OpenCC
and width folding, `zhie.text.convert.Normaliser`), so `nlp(text)` takes the original text and
the Doc holds the Simplified one, with `doc._.converted` mapping every span back to the
original and `doc._.script` the original's script.

spaCy's built-in `segmenter = "jieba"` uses jieba's global tokenizer, so a user dictionary
loaded there leaks into every other user of jieba in the process; this one keeps its own.
Tokens get a part-of-speech tag from jieba's dictionary (a look-up, not jieba.posseg's HMM,
which is five times slower than segmentation).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import jieba
from spacy.tokens import Doc
from spacy.util import registry

from zhie.nlp import extensions
from zhie.nlp.lexicon import read_columns
from zhie.resources import resolve_path
from zhie.text.convert import Normaliser, detect_script

NUMBER = re.compile(r"^(?=.*[0-9０-９])[0-9０-９.,，%％]+$")
LATIN = re.compile(r"^[A-Za-zＡ-Ｚａ-ｚ][A-Za-z0-9Ａ-Ｚａ-ｚ０-９&.\-]*$")


def read_dictionary_tags(lines, tags: dict[str, str]) -> None:
    """Add `word [freq] [tag]` lines (jieba's dictionary format) to `tags`."""
    for line in lines:
        parts = line.strip().split()
        if len(parts) >= 3:
            tags[parts[0]] = parts[2]
        elif len(parts) == 2 and not parts[1].isdigit():
            tags[parts[0]] = parts[1]


@lru_cache(maxsize=1)
def jieba_dictionary_tags() -> dict[str, str]:
    """Word -> part-of-speech tag from jieba's default dictionary, read once per process."""
    tags: dict[str, str] = {}
    with jieba.get_dict_file() as f:
        read_dictionary_tags((line.decode("utf-8") for line in f), tags)
    return tags


def lexicon_words(path: Path) -> list[str]:
    """The words of a rule lexicon (first column, comments skipped) that have two or more characters."""
    words = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            word = line.split("\t")[0].strip()
            if len(word) > 1 and not word.startswith("#"):
                words.append(word)
    return words


def regroup(words: list[str], pairs: set[str]) -> list[str]:
    """Move a word's last character to a one-character word after it when the two make a word of
    `pairs` (the two-character suffixes of `rules/`), which jieba cut across words:
    `台南市|府` -> `台南|市府`, `示范场|域` -> `示范|场域`. The word keeps two characters or more."""
    out: list[str] = []
    for word in words:
        if len(word) == 1 and out and len(out[-1]) > 2 and out[-1][-1] + word in pairs:
            out[-1], word = out[-1][:-1], out[-1][-1] + word
        out.append(word)
    return out


class JiebaTokenizer:
    """A spaCy tokenizer that segments with its own `jieba.Tokenizer` and user dictionary."""

    def __init__(
        self,
        vocab,
        userdict: str | Path | None = None,
        hmm: bool = True,
        lexicons: Sequence[str] = (),
        regroup: Sequence[str] = (),
        opencc: str = "t2s",
        variants: str | None = None,
    ):
        extensions.register()
        self.vocab = vocab
        self.hmm = hmm
        self.normalise = Normaliser(opencc)
        self.userdict = str(userdict) if userdict else None
        logging.getLogger("jieba").setLevel(logging.WARNING)
        self.jieba = jieba.Tokenizer()
        self.jieba.initialize()
        self.tags = dict(jieba_dictionary_tags())
        if self.userdict:
            path = resolve_path(self.userdict)
            self.jieba.load_userdict(str(path))
            with open(path, encoding="utf-8") as f:
                read_dictionary_tags(f, self.tags)
        if variants:
            self.add_variants(resolve_path(variants))
        for lexicon in lexicons:
            for word in lexicon_words(resolve_path(lexicon)):
                if word not in self.jieba.FREQ or not self.jieba.FREQ[word]:
                    self.jieba.add_word(word)
        self.pairs = {
            word
            for lexicon in regroup
            for word in lexicon_words(resolve_path(lexicon))
            if len(word) == 2
        }

    def add_variants(self, path: Path) -> None:
        """Make the words of jieba's dictionary that hold a character of `path` (`kept  dictionary`
        lines) words with the kept character too, same frequency and tag (随著 as 随着)."""
        pairs = [(kept, written) for _, (kept, written) in read_columns(path, 2)]
        freq = self.jieba.FREQ
        for kept, written in pairs:
            for word in [w for w, n in freq.items() if n and written in w]:
                variant = word.replace(written, kept)
                if variant not in freq or not freq[variant]:
                    tag = self.tags.get(word)
                    self.jieba.add_word(variant, freq[word], tag)
                    if tag:
                        self.tags[variant] = tag

    def segment(self, text: str) -> list[str]:
        """jieba's words for `text`; they always join back to `text`."""
        words = self.jieba.lcut(text, HMM=self.hmm)
        if "".join(words) != text:  # never seen, but a Doc must cover the text exactly
            return list(text)
        return regroup(words, self.pairs)

    def tag(self, word: str) -> str:
        """The part-of-speech tag of `word`: the dictionary's, else one from its characters."""
        tag = self.tags.get(word)
        if tag:
            return tag
        if word.isspace():
            return "_SP"
        if NUMBER.match(word):
            return "m"
        if LATIN.match(word):
            return "eng"
        return "x"

    def __call__(self, text: str) -> Doc:
        converted = self.normalise(text)
        words = self.segment(converted.text)
        known = self.tags.get  # most words are in the dictionary: `tag` only for the others
        tags = [known(w) or self.tag(w) for w in words]
        doc = Doc(self.vocab, words=words, spaces=[False] * len(words), tags=tags)
        doc._.words = (words, tags)
        doc._.converted = converted
        doc._.script = detect_script(text)
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        """Tokenise each of `texts` in turn."""
        for text in texts:
            yield self(text)

    # The tokenizer is rebuilt from the config, so there is no state to serialise.
    def to_bytes(self, **kwargs) -> bytes:
        """Nothing to serialise: empty bytes."""
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> JiebaTokenizer:
        """Nothing to restore: the tokenizer itself."""
        return self

    def to_disk(self, path, **kwargs) -> None:
        """Nothing to save: only the folder is made."""
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path, **kwargs) -> JiebaTokenizer:
        """Nothing to load: the tokenizer itself."""
        return self


@registry.tokenizers("zhie.JiebaTokenizer.v1")
def create_jieba_tokenizer(
    userdict: str | None = None,
    hmm: bool = True,
    lexicons: list[str] | tuple[str, ...] = (),
    regroup: list[str] | tuple[str, ...] = (),
    opencc: str = "t2s",
    variants: str | None = None,
):
    """Registered factory: `opencc` is the OpenCC config that converts the text first (`t2s`;
    any config works, the offset map stays exact); `userdict` is a jieba user dictionary (`word freq tag` lines);
    the words of the `lexicons` (suffixes, titles) are added so that jieba keeps them whole;
    the two-character words of the `regroup` lexicons (suffixes) are regrouped when jieba cuts
    them across words (see `regroup`). Titles are not: 经发局长 is 经发局's 局长. `variants` names
    characters the conversion keeps where jieba's dictionary writes others (著 for 着)."""

    def make_tokenizer(nlp):
        return JiebaTokenizer(
            nlp.vocab,
            userdict=userdict,
            hmm=hmm,
            lexicons=lexicons,
            regroup=regroup,
            opencc=opencc,
            variants=variants,
        )

    return make_tokenizer
