"""Mention stage: combine rule, lexicon and NER spans into one set of maximal mentions.

Order of trust is configurable (`combine`): with `rules_first` (default) a rule span (a full
name with its suffix) wins over any NER span it overlaps, NER spans win over lexicon places;
with `ner_first` the model wins. Then, within the article, every further occurrence of an
accepted name and of the short forms that the article derives from a full name
(`台南纺织股份有限公司` -> `台南纺织`, `(以下简称亚总)`) becomes a mention too.
Each mention's `_.source` says where it came from: rule, ner or lexicon.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from pipeline import extensions
from pipeline.components.ner import NER_KEY, WORD_BOUNDS, ner_candidates
from pipeline.components.rules import LEXICON_KEY, PROPER_TAGS, RULES_KEY, Lexicon
from pipeline.names import aliases, is_abbreviation
from pipeline.resources import resolve_path
from pipeline.spans import spans_from_candidates, text_of

MENTIONS_KEY = "mentions"
# doc.user_data key: short form -> full name, for the short forms an article introduces in brackets
ALIASES = "zhie_aliases"
ENTITY_LABELS = ("PERSON", "ORG", "GPE", "FAC", "PROJECT", "EVENT")
SOURCE_OF_KEY = {RULES_KEY: "rule", NER_KEY: "ner", LEXICON_KEY: "lexicon"}
ORDERS = {"rules_first": (RULES_KEY, NER_KEY, LEXICON_KEY), "ner_first": (NER_KEY, RULES_KEY, LEXICON_KEY)}
ALIAS_MARKER = re.compile(r"[（(]\s*(?:以下)?(?:简称|下称|以下称)\s*[「“\"]?([^）)」”\"，,。]{2,12})[」”\"]?\s*[）)]")
# A short form in brackets right after a full name: 台南柳营科技园区（柳科）.
SHORT_FORM = re.compile(r"[（(]([\u4e00-\u9fffA-Za-z]{2,6})[）)]")
COMMON_FREQ = 50
COMMON_WORD_FREQ = 3000  # jieba frequency from which a derived short form is a common word, not a name
MAX_GPE_CHARS = 6
CONJ = re.compile("[与和及暨]")
INNER_BREAK = re.compile(r"[\s，。、；：！？“”「」『』《》（）()–—,:;]")
# References, not names, when the model tags them alone or at the start of a span.
GENERIC_NAMES = ("市委", "市府", "市政府", "县委", "县府", "省委", "党委", "政府", "本府", "我市", "市府团队",
                 "合资公司", "公司", "今日", "记者会")
# Titles that take the bare place name before them: 高雄市长 is the mayor (市长) of 高雄.
TITLES_AFTER_PLACE = ("市长", "县长", "区长", "省长", "镇长", "乡长")
NAME_CONJUNCTIONS = ("与", "和", "及", "暨")  # prepositions (jieba's p) that stand inside names
MIN_PROPAGATE = 2


def overlaps(taken: list[bool], start: int, end: int) -> bool:
    return any(taken[start:end])




@Language.factory("zhie_mentions", assigns=["doc.spans", "doc.ents"], requires=["doc.spans"],
                  default_config={"combine": "rules_first", "propagate": True, "labels": list(ENTITY_LABELS),
                                  "rules_dir": "rules:", "surname_check_chars": 2})
def create_mentions(nlp: Language, name: str, combine: str, propagate: bool, labels: list[str], rules_dir: str,
                    surname_check_chars: int):
    """Merge component; `combine` is `rules_first` or `ner_first`; a model's PERSON name of Han
    characters no longer than `surname_check_chars` must start with a surname of
    `rules/surnames.txt` (2 for the trained model, 3 for jieba's noisier nr tags)."""
    if combine not in ORDERS:
        raise ValueError(f"unknown combine mode {combine!r}: {sorted(ORDERS)}")
    merger = MentionMerger(ORDERS[combine], propagate, set(labels), Lexicon.load(resolve_path(rules_dir)))
    merger.surname_check_chars = surname_check_chars
    jieba_tokenizer = getattr(nlp.tokenizer, "jieba", None)
    merger.freq = jieba_tokenizer.FREQ if jieba_tokenizer is not None else {}
    return merger


class MentionMerger:
    def __init__(self, order: tuple[str, ...], propagate: bool, labels: set[str], lexicon: Lexicon):
        extensions.register()
        self.order = order
        self.propagate = propagate
        self.labels = labels
        self.lexicon = lexicon
        self.titles = tuple(lexicon.titles)  # str.startswith takes a tuple
        self.freq = {}
        self.surname_check_chars = 2

    def candidates(self, doc: Doc) -> list[tuple[int, int, str, str]]:
        """(start, end, label, source), most trusted first, longest first within a tier.

        The first tier holds the spans that are sure of their extent: the rule spans and,
        with `rules_first`, the NER spans that end in a name suffix of their label (a full
        name the model found whole: `中国科学院青岛生物能源与过程研究所` wins over the rule's
        `过程研究所`); then the other spans in the configured order.
        """
        tiers: list[list] = [[] for _ in self.order]
        for rank, key in enumerate(self.order):
            spans = ner_candidates(doc) if key == NER_KEY else [(s.start_char, s.end_char, s.label_) for s in doc.spans.get(key, [])]
            for start, end, label in spans:
                if label not in self.labels:
                    continue
                tier = rank
                if key == NER_KEY and self.order[0] == RULES_KEY and self.has_suffix_text(self.text[start:end], label):
                    tier = 0
                tiers[tier].append((start, end, label, SOURCE_OF_KEY[key]))
        out = []
        for tier in tiers:
            out.extend(sorted(tier, key=lambda c: (c[0] - c[1], c[0])))
        return out

    def standalone(self, text: str, start: int, end: int, label: str, bounds) -> bool:
        """A one-character person that is a word of its own (`刘说`), not a surname before a title
        (`黄市长`); a one-character place is an abbreviation inside a word (`来台`, `台韩`)."""
        if bounds is None or start not in bounds or end not in bounds:
            return False
        return label == "PERSON" and not text.startswith(self.titles, end)

    def plausible(self, doc: Doc, start: int, end: int, label: str, bounds) -> bool:
        """Whether a model's ORG or GPE span can be a name: no punctuation or space inside (but
        between Latin words), no title, generic or stop word at its start or as its whole, and,
        unless it ends in a name suffix, no cut through one of jieba's words."""
        name = self.text[start:end]
        inner = name.replace(" ", "") if re.fullmatch(r"[A-Za-z0-9 &.\-]+", name) else name
        if INNER_BREAK.search(inner):
            return False
        if self.lexicon.name_words.get(name) in ("stop", "region") or name in GENERIC_NAMES or name[0].isdigit():
            return False
        for conj in CONJ.finditer(name):  # two names joined: 工研院六甲院区与国研院机器人研究中心
            if self.lexicon.suffix_of(name[:conj.start()], "x"):
                return False
        tokens = doc.char_span(start, end, alignment_mode="expand")
        if any(len(t) > 1 and self.lexicon.name_words.get(t.text) == "stop" for t in tokens) or "v" in (tokens[0].tag_, tokens[-1].tag_):
            return False  # 锦辉控股集团全资子公司, 华硕电脑领军, 结合工研院
        if name.startswith(self.titles) or name.startswith(GENERIC_NAMES):
            return False
        if label == "GPE" and len(name) > MAX_GPE_CHARS and name not in self.lexicon.places:
            return False
        if self.has_suffix_text(name, label):
            return True
        if label == "ORG" and self.lexicon.name_words.get(tokens[-1].text) == "nohead":
            return False  # 台南农特产品, AI新创团队: a description
        if any(t.tag_ == "p" and t.text not in NAME_CONJUNCTIONS for t in tokens[1:-1]):
            return False  # APS组织由东阿阿胶: a preposition joins a name to what follows
        if bounds is not None and (start not in bounds or end not in bounds):
            return False
        if label == "ORG" and self.place_then_words(doc, start, end):
            return False
        return True

    def place_then_words(self, doc: Doc, start: int, end: int) -> bool:
        """A place followed by common dictionary words (`青岛智能网联`, `台南设厂`) describes; it names nothing."""
        place = self.lexicon_place_prefix(self.text[start:end])
        if not place:
            return False
        span = doc.char_span(start + len(place), end, alignment_mode="expand")
        freq = self.freq
        return span is not None and all(t.tag_ not in PROPER_TAGS and freq.get(t.text, 0) >= COMMON_FREQ for t in span)

    def lexicon_place_prefix(self, name: str) -> str:
        for size in range(min(len(name) - 1, 6), 1, -1):
            if name[:size] in self.lexicon.places:
                return name[:size]
        return ""

    def has_suffix_text(self, name: str, label: str) -> bool:
        suffix = self.lexicon.suffix_of(name, "x")
        return suffix is not None and suffix[1] == label

    def __call__(self, doc: Doc) -> Doc:
        text = self.text = text_of(doc)
        taken = [False] * (len(text) + 1)
        accepted: list[tuple[int, int, str, str]] = []

        def accept(start: int, end: int, label: str, source: str) -> None:
            if end > start and not overlaps(taken, start, end):
                accepted.append((start, end, label, source))
                taken[start:end] = [True] * (end - start)

        bounds = doc.user_data.get(WORD_BOUNDS)
        for start, end, label, source in self.candidates(doc):
            if source != "rule" and end - start < 2 and not self.standalone(text, start, end, label, bounds):
                continue  # one character inside a word (来台, 驻青) or a surname before a title (黄市长)
            if label == "PERSON" and source != "rule" and end - start <= self.surname_check_chars \
                    and not self.lexicon.looks_like_name(text[start:end]):
                continue
            if source == "ner" and label in ("ORG", "GPE"):
                if not self.plausible(doc, start, end, label, bounds):
                    continue
            if label == "GPE" and end - start > 2 and text[end - 1:end + 1] in TITLES_AFTER_PLACE:
                end -= 1  # `台南市长`: GPE 台南 + title 市长; `澎湖县长`: 澎湖 + 县长
            accept(start, end, label, source)
        if self.propagate:
            names = {}
            for start, end, label, _ in accepted:
                if label in ("PERSON", "ORG"):
                    names.setdefault(text[start:end], label)
            for start, end, label, _ in list(accepted):
                if label == "ORG":
                    for alias in aliases(text[start:end]):
                        # a very common word is no short name (金融科技 -> 金融, 水产集团 -> 水产)
                        if alias not in self.lexicon.places and self.freq.get(alias, 0) < COMMON_WORD_FREQ:
                            names.setdefault(alias, "ORG")
            for m in ALIAS_MARKER.finditer(text):
                full = next(((s, e, lab) for s, e, lab, _ in accepted if e <= m.start() and e >= m.start() - 1), None)
                if full and full[2] in ("ORG", "FAC", "GPE"):
                    names.setdefault(m.group(1), full[2])
                    doc.user_data.setdefault(ALIASES, {})[m.group(1)] = text[full[0]:full[1]]
            aliases_of = doc.user_data.setdefault(ALIASES, {})
            for m in SHORT_FORM.finditer(text):
                before = next(((s, e, lab) for s, e, lab, _ in accepted if e == m.start()), None)
                short = m.group(1)
                if before and before[2] in ("ORG", "FAC") and (short.isascii() or is_abbreviation(short, text[before[0]:before[1]])):
                    names.setdefault(short, before[2])
                    aliases_of[short] = text[before[0]:before[1]]
            for name in sorted(names, key=len, reverse=True):
                if len(name) < MIN_PROPAGATE:
                    continue
                for m in re.finditer(re.escape(name), text):
                    inside = [c for c in accepted if m.start() <= c[0] and c[1] <= m.end() and c[1] - c[0] < len(name)
                              and c[2] != "PERSON" and c[3] != "rule"]
                    for c in inside:  # a short form beats the pieces the model cut it into (亚 + 总)
                        accepted.remove(c)
                        taken[c[0]:c[1]] = [False] * (c[1] - c[0])
                    accept(m.start(), m.end(), names[name], "lexicon")
        accepted.sort()
        spans = spans_from_candidates(doc, [(s, e, label) for s, e, label, _ in accepted])
        for span, (_, _, _, source) in zip(spans, accepted):
            span._.source = source
        doc.spans[MENTIONS_KEY] = spans
        doc.ents = spans
        return doc
