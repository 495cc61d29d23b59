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
from bisect import bisect_right

from spacy.language import Language
from spacy.tokens import Doc

from zhie.nlp import extensions
from zhie.nlp.components.ner import NER_KEY, ner_candidates
from zhie.nlp.components.rules import (
    LEXICON_KEY,
    LOOSE_PROPER_TAGS,
    PROPER_TAGS,
    RARE_WORD_FREQ,
    RULES_KEY,
    STOP_TAGS,
)
from zhie.nlp.lexicon import Lexicon, load_lexicon
from zhie.nlp.names import NameForms, ParkShortForms, is_abbreviation
from zhie.nlp.spans import spans_from_candidates, text_of, word_starts, words_of
from zhie.resources import resolve_path

MENTIONS_KEY = "mentions"
ENTITY_LABELS = ("PERSON", "ORG", "GPE", "FAC", "PROJECT", "EVENT")
SOURCE_OF_KEY = {RULES_KEY: "rule", NER_KEY: "ner", LEXICON_KEY: "lexicon"}
ORDERS = {
    "rules_first": (RULES_KEY, NER_KEY, LEXICON_KEY),
    "ner_first": (NER_KEY, RULES_KEY, LEXICON_KEY),
}
# A short form in brackets right after a full name: 台南柳营科技园区（柳科）.
SHORT_FORM = re.compile(r"[（(]([\u4e00-\u9fffA-Za-z]{2,6})[）)]")
COMMON_FREQ = 50
COMMON_WORD_FREQ = (
    3000  # jieba frequency from which a derived short form is a common word, not a name
)
MAX_GPE_CHARS = 6
# jieba tags and frequency of a common noun that a derived short form must not be
COMMON_NOUN_TAGS = {"n", "vn"}
COMMON_NOUN_FREQ = 100
# a word of a name's body is a proper name when jieba's dictionary lacks it (伟华) or tags it as a
# name less often than this (博世 nrt 16, 启迪 nz 141), not a kind (天文学 nt 446, 国际事务 n 3):
# see foreign_place_start
PROPER_WORD_FREQ = 300
NAME_WORD_TAGS = {"nr", "nrt", "nrfg", "nz", "ns", "x", "eng"}
QUOTE_PAIRS = {"「": "」", "『": "』", "“": "”"}
INNER_BREAK = re.compile(r"[\s，。、；：！？“”「」『』《》（）()【】〔〕［］\[\]/／–—,:;]")
MIN_PROPAGATE = 2
MIN_BARE_NAME, MAX_BARE_NAME = 2, 6  # a company written without a suffix: 鸿海 .. 宁德时代
MIN_LISTED_ALONE = 3  # a listed company name this long is one whatever jieba's words (中|软|国际)
HAN = re.compile(r"[\u4e00-\u9fff]")
CLAUSE_END = re.compile(r"[，,。；;！!？?\n]")
NAME_LIKE_TAGS = {"nr", "nrfg", "nrt", "x"}  # jieba writes unknown people's names as x
# a measure word or numeral may start a bare name that jieba cut apart (台/q 积电), other stop tags not
BARE_NAME_STOP = STOP_TAGS - {"q", "m", "mq"}
# what may stand before a bare name: punctuation, a space, a function word or verb, not a word
# of a longer name (科技|天赐|董事长 is no 天赐)
BEFORE_BARE_NAME = {"x", "_SP", "p", "c", "u", "uj", "v", "d", "r", "t", "m", "f", "w"}
# jieba tags of predicates and function words, which a model's span may wrongly start with
PREDICATE_TAGS = {"v", "vd", "vi", "a", "ad", "d", "i", "l", "c", "p", "u"}
MIN_PROPAGATE_NAME = 4  # facilities, projects and events found by the rules, propagated as they are
# jieba tags of words that start no name: prepositions, conjunctions, adverbs, particles, verbs, pronouns
LEADING_TAGS = {"p", "c", "d", "u", "uj", "ul", "uz", "ug", "uv", "ud", "v", "vd", "r", "rr", "rz"}
MAX_PERSON_CHARS = 4
# jieba tags of prepositions and conjunctions (由, 与, 和): a one-character one starts no name
JOINING_TAGS = {"p", "c"}
# jieba tags of words that are no given name after a function character (于|本周/t, 在|此/r)
NO_NAME_TAGS = {
    "t",
    "tg",
    "f",
    "m",
    "mq",
    "q",
    "r",
    "rr",
    "rz",
    "d",
    "p",
    "c",
    "u",
    "uj",
    "ul",
    "uz",
    "ug",
    "ud",
    "y",
}
# jieba tags of a dictionary word that a name may end inside (神田真|人): nouns and names, not time words (马英九|时代)
EXTENDING_TAGS = {"n", "nr", "nrfg", "nrt", "nz"}
NER_GPE_MODES = ("lexicon", "any")


def event_short_form(short: str, full: str) -> bool:
    """`short` abbreviates the event `full`: its characters in order, ending as it ends
    (`高交会` of `中国国际高新技术成果交易会`, `消博会` of `中国国际消费品博览会`)."""
    if len(short) < 2 or len(short) >= len(full) or short[-1] != full[-1]:
        return False
    pos = 0
    for char in short:
        pos = full.find(char, pos) + 1
        if pos == 0:
            return False
    return True


def overlaps(taken: list[bool], start: int, end: int) -> bool:
    """Whether a character of [start, end) is taken."""
    return any(taken[start:end])


@Language.factory(
    "zhie_mentions",
    assigns=["doc.spans", "doc.ents"],
    requires=["doc.spans"],
    default_config={
        "combine": "rules_first",
        "propagate": True,
        "labels": list(ENTITY_LABELS),
        "rules_dir": "rules:",
        "surname_check_chars": 2,
        "ner_gpe": "lexicon",
    },
)
def create_mentions(
    nlp: Language,
    name: str,
    combine: str,
    propagate: bool,
    labels: list[str],
    rules_dir: str,
    surname_check_chars: int,
    ner_gpe: str = "lexicon",
):
    """Merge component; `combine` is `rules_first` or `ner_first`; a model's PERSON name of Han
    characters no longer than `surname_check_chars` must start with a surname of
    `rules/surnames.txt` (2 for the trained model, 3 for jieba's noisier nr tags); with
    `ner_gpe = "lexicon"` a model's GPE must be a place of the place lexicons, end in an
    administrative suffix (`托里县`) or be Latin; `any` keeps every plausible one."""
    if combine not in ORDERS:
        raise ValueError(f"unknown combine mode {combine!r}: {sorted(ORDERS)}")
    if ner_gpe not in NER_GPE_MODES:
        raise ValueError(f"unknown ner_gpe mode {ner_gpe!r}: {sorted(NER_GPE_MODES)}")
    merger = MentionMerger(
        ORDERS[combine], propagate, set(labels), load_lexicon(resolve_path(rules_dir))
    )
    merger.surname_check_chars = surname_check_chars
    merger.ner_gpe = ner_gpe
    jieba_tokenizer = getattr(nlp.tokenizer, "jieba", None)
    merger.freq = jieba_tokenizer.FREQ if jieba_tokenizer is not None else {}
    merger.tags = getattr(nlp.tokenizer, "tags", None) or {}
    return merger


class PersonExtents:
    """The extent of one article's PERSON candidates, from jieba's words and the article's other names.

    - A name does not start with a function word or verb: a preposition or conjunction that jieba
      writes as a word of its own goes (`由|黄伟哲`), a name that starts inside a verb or function
      word starts after it (`感|谢王小明` -> 王小明), and a function character before a common word
      is no name at all (`于本周`).
    - A foreign name (three characters or more, no Chinese surname first) that ends one character
      before the end of a word ends with the word (`神田真|人` -> 神田真人), unless the word is no
      part of a name (`name_end`: `说`); others stay (`刘|家`, `尤伯|杯`, `和万春|花`).
    - A name the article writes longer elsewhere is that name where the text goes on with it
      (`黄伟` before `哲` when the article names 黄伟哲).
    """

    def __init__(self, merger: MentionMerger, doc: Doc, text: str, candidates):
        self.merger, self.text = merger, text
        texts, tags = words_of(doc)
        self.starts = word_starts(texts)
        self.tokens = [(a, a + len(t), tag) for a, t, tag in zip(self.starts, texts, tags)]
        self.names = []
        self.raw_names = {text[s:e] for s, e, label, _ in candidates if label == "PERSON"}
        cleaned = (self.clean_start(s, e) for s, e, label, _ in candidates if label == "PERSON")
        self.names = sorted({text[s:e] for s, e in cleaned if e - s >= 2}, key=len, reverse=True)

    def token_at(self, char: int):
        """(start, end, tag) of the word that holds character `char`, else None."""
        i = bisect_right(self.starts, char) - 1
        return self.tokens[i] if 0 <= i < len(self.tokens) else None

    def clean_start(self, start: int, end: int) -> tuple[int, int]:
        """The span without spaces at its ends and the function word or verb it starts with."""
        text, lex = self.text, self.merger.lexicon
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1  # the model's 张三 + space
        token = self.token_at(start)
        if token is not None and token[0] < start < token[1] and token[2] in LEADING_TAGS:
            start = min(token[1], end)  # 感谢|王小明: the name starts after the verb
        elif (
            token is not None
            and token[0] == start
            and token[1] - token[0] == 1
            and token[2] in JOINING_TAGS
            and text[start] in self.merger.function_chars
            and end - token[1] >= 2
            and lex.looks_like_name(text[token[1] : end])
            and (
                end - start >= 4
                or text[start] not in lex.surnames
                or text[token[1] : end] in self.raw_names
            )
        ):
            start = token[1]  # 由|黄伟哲 (not 和万春: 和 is a surname too; not 常|利民: an adverb)
        return start, end

    def extent(self, start: int, end: int) -> tuple[int, int] | None:
        """The extent of a PERSON candidate [start, end) (see the class), or None for no name."""
        text, freq = self.text, self.merger.freq
        start, end = self.clean_start(start, end)
        if end - start < 1:
            return None
        rest = text[start + 1 : end]
        if (
            text[start] in self.merger.function_chars
            and len(rest) >= 2
            and self.merger.tags.get(rest) in NO_NAME_TAGS
        ):
            return None  # 于本周, 在今年 (not 于建国)
        for name in self.names:
            if (
                len(name) > end - start
                and name.startswith(text[start:end])
                and text.startswith(name, start)
                and not self.word_after_name(end)  # not 张渤|致辞
            ):
                return self.without_honorific(start, start + len(name))  # 黄伟 -> 黄伟哲
            if (
                len(name) > end - start
                and name.endswith(text[start:end])
                and text.startswith(name, end - len(name))
            ):
                return self.without_honorific(end - len(name), end)  # 黎明 -> 周黎明
        token = self.token_at(end - 1)
        if (
            token is not None
            and start < token[0] < end < token[1]
            and token[1] - start <= MAX_PERSON_CHARS
            and end - start >= 3
            and token[1] - end == 1
            and self.merger.tags.get(text[end]) not in NO_NAME_TAGS
            and not self.merger.lexicon.looks_like_name(text[start:end])
            and text[end] not in self.merger.function_chars
            and token[2] in EXTENDING_TAGS
            and freq.get(text[token[0] : token[1]], 0) > 0
            and not self.merger.name_end.match(text, end)
            and not any(c in self.merger.function_chars for c in text[end : token[1]])
        ):
            end = token[1]  # 神田真|人
        return self.without_honorific(start, end)

    def word_after_name(self, end: int) -> bool:
        """Whether a word that ends names (`name_end`) of two or more characters starts at `end`
        (`致辞`, `表示`); one character there may still be the given name's last (张国|刚)."""
        m = self.merger.name_end.match(self.text, end)
        return m is not None and len(m.group()) >= 2

    def without_honorific(self, start: int, end: int) -> tuple[int, int] | None:
        """The name without the honorific or title the span ends with; None for a surname and an
        honorific or title (`李小姐`, `陈老师`: no PERSON, gold/GUIDELINES.md)."""
        text, lex = self.text, self.merger.lexicon
        for honorific in self.merger.honorifics:
            if text.endswith(honorific, start, end):
                end -= len(
                    honorific
                )  # 王小明先生 -> 王小明; 李小姐 -> 李, no name (gold/GUIDELINES.md)
                if end - start < 2:
                    return None
        title = self.merger.title_end.search(text, start, end)
        if title and title.start() > start:
            if text[start : title.start()] in lex.surnames:
                return None  # 陈老师, 黄市长: a surname and a title (gold/GUIDELINES.md)
            if title.start() - start >= 2 and lex.looks_like_name(text[start : title.start()]):
                end = title.start()  # 王小明老师 -> 王小明
        return start, end

    def without_title(self, start: int, end: int) -> int:
        """The end of an ORG span without the title it ends with (`国民党中常委` -> 国民党)."""
        m = self.merger.title_end.search(self.text, start, end)
        if m and m.start() - start >= 2:
            return m.start()
        return end

    def before_person(self, start: int, end: int) -> tuple[int, tuple[int, int] | None]:
        """The end of a model's ORG span that runs on into a person's name (the name's start), and
        the name when the span ends in a title after it (`立法院|陈亭妃|立委`: the name)."""
        lex = self.merger.lexicon
        for name in self.names:
            at = self.text.find(name, start + 1, end)
            if at > start:
                end = at
        m = self.merger.titled_tail.search(self.text, start, end)
        if m and m.start() - start >= 2 and lex.name_suffix(self.text[start : m.start()]):
            return m.start(), (m.start(), m.end(1))
        return end, None


class MentionMerger:
    """The mention component: rule, NER and lexicon spans merged into `doc.spans["mentions"]`."""

    def __init__(self, order: tuple[str, ...], propagate: bool, labels: set[str], lexicon: Lexicon):
        extensions.register()
        self.order = order
        self.propagate = propagate
        self.labels = labels
        self.lexicon = lexicon
        self.titles = tuple(lexicon.titles)  # str.startswith takes a tuple
        self.honorifics = tuple(lexicon.words("honorific"))
        self.function_chars = lexicon.chars("function_char")
        self.name_end = lexicon.pattern("name_end")
        # a surname, one or two characters and a title at the end of a span (陈亭妃立委)
        surnames = "|".join(sorted(lexicon.surnames, key=len, reverse=True))
        titles = "|".join(sorted(lexicon.titles | lexicon.public_titles, key=len, reverse=True))
        self.titled_tail = re.compile(rf"((?:{surnames})[\u4e00-\u9fff]{{1,2}})(?:{titles})$")
        title_words = sorted(lexicon.prefixed_titles, key=len, reverse=True)  # not 明星 of 张明星
        self.title_end = re.compile(rf"(?:{'|'.join(map(re.escape, title_words))})$")
        self.names = NameForms(lexicon)
        self.alias_marker = lexicon.pattern("alias_marker")
        self.date_unit = lexicon.pattern("date_unit")
        self.conjunction = lexicon.pattern("name_conjunction")
        self.conjunctions = set(
            lexicon.words("name_conjunction")
        )  # prepositions (jieba's p) inside names
        # references, not names, when the model tags them alone or at the start of a span
        self.generic_names = tuple(
            lexicon.words("generic_government")
            + lexicon.words("generic_reference")
            + lexicon.words("generic_company")
        )
        # titles that take the bare place name before them: 高雄市长 is the mayor (市长) of 高雄
        self.titles_after_place = set(lexicon.words("title_after_place"))
        self.place_party_committee = lexicon.pattern("place_party_committee")
        self.delegations = tuple(lexicon.words("delegation"))
        self.sub_unit_suffixes = set(lexicon.words("sub_unit_suffix"))
        self.place_titles = tuple(self.titles_after_place)
        # a model's GPE ending in an administrative suffix is a place even when no lexicon lists it
        self.admin_suffix = lexicon.pattern("admin_suffix")
        self.numbered_unit = lexicon.pattern("numbered_unit")
        self.web_address = lexicon.pattern("web_address")
        self.role_name = lexicon.pattern("role_name")
        self.role_before = lexicon.pattern("role_before")
        self.role_after = lexicon.pattern("role_after")
        self.class_after_list = lexicon.pattern("class_after_list")
        self.internal_organs = lexicon.words("internal_organ")
        self.name_boards = lexicon.words("name_board")
        self.list_joiners = set(lexicon.words("list_separator"))
        self.list_comma = lexicon.words("list_separator")[0]
        self.apposition_heads = tuple(lexicon.words("company_apposition_head"))
        self.facility_heads = tuple(lexicon.words("ner_fac_head"))
        self.abbreviated_suffixes = tuple(lexicon.words("abbreviated_suffix"))
        # a company officer's title, with a prefix (副, 执行, 首席…) or not
        self.company_titles = {
            prefix + title
            for title in lexicon.words("company_title")
            for prefix in ("", *lexicon.words("title_prefix"))
        }
        self.park_forms = ParkShortForms(lexicon)
        self.home_countries = set(lexicon.words("home_country"))
        self.place_regions = {
            place: region
            for region in ("TW", "HK", "MO")
            for place in lexicon.words(f"region_{region}")
        }
        self.freq: dict[str, int] = {}  # jieba's frequencies and tags (set by the factory)
        self.tags: dict[str, str] = {}
        self.surname_check_chars = 2
        self.ner_gpe = "lexicon"

    def candidates(self, doc: Doc) -> list[tuple[int, int, str, str]]:
        """(start, end, label, source), most trusted first, longest first within a tier.

        The first tier holds the spans that are sure of their extent: the rule spans and,
        with `rules_first`, the NER spans that end in a name suffix of their label (a full
        name the model found whole: `中国科学院青岛生物能源与过程研究所` wins over the rule's
        `过程研究所`); then the other spans in the configured order.
        """
        tiers: list[list[tuple[int, int, str, str]]] = [[] for _ in self.order]
        boards = []  # the boards cut off the ORG spans: they are the titles' words
        for rank, key in enumerate(self.order):
            spans = (
                ner_candidates(doc)
                if key == NER_KEY
                else [(s.start_char, s.end_char, s.label_) for s in doc.spans.get(key, [])]
            )
            for start, end, label in spans:
                if label not in self.labels:
                    continue
                if key == NER_KEY:
                    start = self.after_date(doc, start, end)
                if label == "ORG":
                    start = self.foreign_place_start(doc, start, end)
                if key == NER_KEY and label == "ORG":
                    start = self.name_start(doc, start, end)
                    if start is None:
                        continue
                if label == "ORG":
                    board = self.board_end(start, end)
                    if board < end:
                        boards.append((board, end))
                    end = board
                tier = rank
                if (
                    key == NER_KEY
                    and self.order[0] == RULES_KEY
                    and self.has_suffix_text(self.text[start:end], label)
                ):
                    tier = 0
                tiers[tier].append((start, end, label, SOURCE_OF_KEY[key]))
        out = []
        for tier_candidates in tiers:
            out.extend(sorted(tier_candidates, key=lambda c: (c[0] - c[1], c[0])))
        # 管理委员会 of 澳门金融管理局|行政管理委员会主席 is part of the title, no name of its own
        return [c for c in out if not any(a <= c[0] and c[1] <= b for a, b in boards)]

    def after_date(self, doc: Doc, start: int, end: int) -> int:
        """Where a model's span starts once the unit of a date written before it, a word of its
        own, is left out (`今(5)日|平泽市`; not `5|日本公司`). The unit ends a word: the model's
        words (`日平泽市`, one unknown word for jieba) get that boundary."""
        token = self.token_starting(doc, start)
        if (
            token is not None
            and len(token) == 1
            and end - start > 2
            and self.date_unit.search(self.text, max(0, start - 8), start + 1)
        ):
            if doc._.word_bounds is not None:
                doc._.word_bounds.add(start + 1)
            return start + 1
        return start

    def name_start(self, doc: Doc, start: int, end: int) -> int | None:
        """Where a model's ORG span starts once the verbs, adjectives and adverbs before the name
        are left out (`恭喜|台南纺织股份有限公司`, see `Lexicon.starts_outside`); the model's
        nouns stay (保险业监管局)."""
        tokens = doc.char_span(start, end, alignment_mode="expand")
        if tokens is None:
            return start
        k = 0
        while (
            k < len(tokens) - 1
            and tokens[k].tag_ in PREDICATE_TAGS
            and self.lexicon.starts_outside(
                tokens[k].text,
                tokens[k].tag_,
                tokens[k + 1].text if k + 1 < len(tokens) - 1 else None,
            )
        ):
            k += 1
        if (
            k < len(tokens) - 1
            and tokens[k].text in self.lexicon.suffixes
            and start > 0
            and HAN.fullmatch(self.text[start - 1])
        ):
            k += 1  # 电动车|厂|特斯拉: the kind word of the word before starts no name
        for i in range(len(tokens) - 2, k - 1, -1):
            if tokens[i].text.endswith(self.apposition_heads):
                # 独家供应商|和大工业集团: the name follows the noun that describes it, unless only
                # a kind is left (中国企业|联合会)
                rest = self.text[tokens[i + 1].idx : end]
                suffix = self.lexicon.name_suffix(rest)
                if not suffix or len(rest) - len(suffix[0]) >= 2:
                    k = i + 1
                break
        if not k:
            return start
        rest = self.text[tokens[k].idx : end]
        suffix = self.lexicon.name_suffix(rest)
        if suffix and len(rest) - len(suffix[0]) < 2:
            return None  # 创新|学院: no name is left, only its kind
        return tokens[k].idx

    def foreign_place_start(self, doc: Doc, start: int, end: int) -> int:
        """Where an ORG span starts once a place written before a foreign or other organisation's
        own name is left out as its own GPE: a country other than `home_country` (`德国|博世集团`,
        `印度|Infopower`) or, before a company, a province of another region than the article's
        (`台湾|爱格发公司` in mainland news). The place stays where the rest is no proper name but
        a kind (`柬埔寨政府`, `泰国证券交易所`, `法国天文学协会`): the rest before its suffix must
        start with a place or a Latin letter or hold a proper word (NAME_WORD_TAGS), and a name quoted
        whole keeps its place. A country or province (not a municipality: 北京天街集团) before a company
        of the public list (the whole not listed) is its own GPE in any article (`辽宁|大商集团`)."""
        text = self.text
        if start > 0 and QUOTE_PAIRS.get(text[start - 1]) == text[end : end + 1]:
            return start  # 成立「台湾高美可科技股份有限公司」: a name quoted whole is as registered
        place = self.lexicon_place_prefix(text[start:end])
        level = self.lexicon.places.get(place)
        rest = start + len(place)
        if not place or level not in ("country", "province") or place in self.home_countries:
            return start
        token = self.token_starting(doc, rest)
        if token is None:
            return start  # the place ends inside a word (美国加州大学)
        suffix = self.lexicon.name_suffix(text[rest:end])
        companies = self.lexicon.companies
        if (
            text[rest:end] in companies
            and text[start:end] not in companies
            and place + "市" not in self.lexicon.places
        ):
            # 辽宁|大商集团: the public list names the company without the place (a city's name,
            # 北京天街集团, is part of the registered name more often)
            return rest
        if level == "province" and (
            suffix is None
            or suffix[2] != "company"
            or self.place_regions.get(place, "CN") == (doc._.region or "CN")
        ):
            return start
        body_end = end - len(suffix[0]) if suffix else end
        if body_end - rest < 2:
            return start  # 沙特|交易所: the country is the name
        body = text[rest:body_end]
        if (body[0].isascii() and body[0].isalpha()) or self.known_start(body):
            return rest  # 印度|Infopower
        for word in doc[token.i :]:  # the words that start in the body (加州大学 holds the suffix)
            if word.idx >= body_end:
                break
            if word.text not in self.freq or (
                word.tag_ in NAME_WORD_TAGS and self.freq[word.text] < PROPER_WORD_FREQ
            ):
                return rest
        return start

    def known_start(self, name: str) -> bool:
        """Whether `name` is or starts with a lexicon place (拉合尔国立, 罗马第二)."""
        return name in self.lexicon.places or bool(self.lexicon_place_prefix(name))

    def token_starting(self, doc: Doc, char: int):
        """The token that starts at character `char`, or None."""
        span = doc.char_span(char, char + 1, alignment_mode="expand")
        return span[0] if span is not None and span[0].idx == char else None

    def board_end(self, start: int, end: int) -> int:
        """Where an ORG span ends once a board written before a title is left to the title
        (`金叶集团|董事局主席`, `澳门金融管理局|行政管理委员会主席`, words `internal_organ`; after
        a name with an ORG suffix of its own also `name_board`: `国际培训中心|管委会主席`)."""
        text = self.text
        for organ in self.internal_organs:
            if (
                text.endswith(organ, start, end)
                and end - start > len(organ) + 1
                and text.startswith(self.titles, end)
            ):
                return end - len(organ)
        for organ in self.name_boards:
            if (
                text.endswith(organ, start, end)
                and text.startswith(self.titles, end)
                and self.has_suffix_text(text[start : end - len(organ)], "ORG")
            ):
                return end - len(organ)  # 培训中心|管委会主席; 高新区管委会 is the zone's own body
        return end

    def committee_place_end(self, start: int, end: int) -> int:
        """Where the place ends in an ORG span that is a known place and its party committee
        written before a title (`花都区委|书记`, pattern `place_party_committee`; the guidelines:
        the committee is part of the title), else 0."""
        text = self.text
        committee = self.place_party_committee.search(text, start, end)
        place_end = committee.start() if committee else end
        if (
            committee
            and place_end - start >= 2
            and text.startswith(self.titles, end)
            and self.known_place(text[start:place_end])
        ):
            return place_end
        return 0

    def sub_unit_end(self, doc: Doc, end: int) -> int:
        """Where a name ends once the abbreviation of one of its units written right after it is
        taken in (`工研院|绿能所`, `中科院|化学所`: two or three characters and a suffix of words
        `sub_unit_suffix` that jieba cuts off, unless a verb follows: `政府|所|推动`; or one rare
        word of jieba's ending in it: `中科院|物理所`, not `研究所`)."""
        text = self.text
        tokens = doc.char_span(end, min(len(text), end + 6), alignment_mode="contract")
        if tokens is None or not len(tokens) or tokens[0].idx != end:
            return end
        first = tokens[0].text
        if (
            3 <= len(first) <= 4
            and first[-1] in self.sub_unit_suffixes
            and self.freq.get(first, 0) < COMMON_FREQ
        ):
            return end + len(first)  # 中科院|物理所: jieba's word, rare (not 研究所, 事务所)
        unit = 0
        for i, token in enumerate(tokens[:3]):
            if token.text in self.sub_unit_suffixes and 2 <= unit <= 3:
                after = tokens[i + 1] if i + 1 < len(tokens) else None
                if after is None or not after.tag_.startswith("v"):
                    return token.idx + len(token.text)
                return end
            if not HAN.fullmatch(token.text[:1]) or token.tag_ in PREDICATE_TAGS:
                return end
            unit += len(token.text)
        return end

    def delegation_sender(self, start: int, end: int) -> tuple[str, int] | None:
        """(label, end) of the body or place that sends a delegation named in an ORG span
        (`香港特区政府|代表团` ORG, `上海市|代表团` GPE; words `delegation`): a name with a suffix of
        its own or a known place; None when the rest names nothing by itself (韩国商务代表团)."""
        text = self.text
        delegation = next((d for d in self.delegations if text.endswith(d, start, end)), "")
        body_end = end - len(delegation)
        if not delegation or body_end - start < 2:
            return None
        body = text[start:body_end]
        if self.has_suffix_text(body, "ORG"):
            return "ORG", body_end
        if self.known_place(body) or self.places_only(body):
            return "GPE", body_end
        return None

    def standalone(self, text: str, start: int, end: int, label: str, bounds) -> bool:
        """A one-character person that is a word of its own (`刘说`), not a surname before a title
        or an honorific (`黄市长`, `曾小姐`); a one-character place is an abbreviation inside a word
        (`来台`, `台韩`)."""
        if bounds is None or start not in bounds or end not in bounds:
            return False
        return (
            label == "PERSON"
            and not text.startswith(self.titles, end)
            and not text.startswith(self.honorifics, end)
        )

    def names_a_role(self, start: int, end: int) -> bool:
        """Whether an ORG span is a role that a place is, becomes or builds, no body (`role_name`
        before `role_after`, or after `role_before` at the end of a clause: 成为国际金融中心。)."""
        text = self.text
        if not self.role_name.search(text, start, end):
            return False
        if self.role_after.match(text, end):
            return True
        return bool(
            self.role_before.search(text, max(0, start - 12), start)
            and (end == len(text) or CLAUSE_END.match(text, end))
        )

    def plausible(self, doc: Doc, start: int, end: int, label: str, bounds) -> bool:
        """Whether a model's ORG or GPE span can be a name: no punctuation or space inside (but
        between Latin words), no title, generic or stop word at its start or as its whole, and,
        unless it ends in a name suffix, no cut through one of jieba's words."""
        name = self.text[start:end]
        if (start, end) in (doc._.latin_terms or ()) or name in self.lexicon.latin_terms:
            return False  # a standard or scheme the rules read as such (RoHS和REACH规定, CEO)
        if (
            self.numbered_unit.fullmatch(name) and name[-1] in self.lexicon.suffixes
        ) or self.web_address.search(name):
            return False  # 一、二厂 (two plants of one company), www.example.com
        inner = name.replace(" ", "") if re.fullmatch(r"[A-Za-z0-9 &.\-]+", name) else name
        if INNER_BREAK.search(inner):
            return False
        if (
            self.lexicon.name_words.get(name) in ("stop", "region")
            or name in self.generic_names
            or name[0].isdigit()
        ):
            return False
        for conj in self.conjunction.finditer(
            name
        ):  # two names joined: 工研院六甲院区与国研院机器人研究中心
            if self.lexicon.suffix_of(name[: conj.start()], "x"):
                return False
        tokens = doc.char_span(start, end, alignment_mode="expand")
        assert tokens is not None  # the candidate lies inside the text: "expand" finds its tokens
        if any(
            len(t) > 1 and self.lexicon.name_words.get(t.text) == "stop" for t in tokens
        ) or "v" in (tokens[0].tag_, tokens[-1].tag_):
            return False  # 锦辉控股集团全资子公司, 华硕电脑领军, 结合工研院
        if name.startswith(self.titles) or name.startswith(self.generic_names):
            return False
        if label == "GPE" and len(name) > MAX_GPE_CHARS and name not in self.lexicon.places:
            return False
        if label == "GPE" and self.ner_gpe == "lexicon" and not self.known_place(name):
            return False  # 大湾 (of 大湾区), 白石洞水库, 可乐市场: no administrative place
        if label == "ORG" and self.places_only(name):
            return False  # 香港沙田: two places, no organisation
        if self.has_suffix_text(name, label):
            return not self.description(tokens, name)
        if label == "ORG" and (
            self.lexicon.name_words.get(tokens[-1].text) == "nohead"
            or tokens[-1].text in self.apposition_heads
        ):
            return False  # 台南农特产品, AI新创团队, 齿轮箱独家供应商: a description
        if any(t.tag_ == "p" and t.text not in self.conjunctions for t in tokens[1:-1]):
            return False  # APS组织由东阿阿胶: a preposition joins a name to what follows
        if bounds is not None and (start not in bounds or end not in bounds):
            return False
        if label == "ORG" and self.place_then_words(doc, start, end):
            return False
        return True

    def description(self, tokens, name: str) -> bool:
        """Whether a model's span that ends in a suffix asking for a proper noun (公司, 基金) has
        none before it, as the rules ask of their names: common words describe a kind of body
        (投资基金管理公司), they name none."""
        suffix = self.lexicon.suffix_of(name, "x")
        if suffix is None or not suffix[3]:
            return False
        body_end = len(name) - len(suffix[0])
        if body_end < 2:
            return False  # 集团, 南市府: a bare kind word or an abbreviation, judged elsewhere
        start = tokens[0].idx
        lex, freq = self.lexicon, self.freq
        for t in tokens:
            if t.idx - start >= body_end:
                break
            text = t.text
            if (
                text not in freq
                or not text.isalpha()
                or text.isascii()
                or t.tag_ in PROPER_TAGS
                or (t.tag_ in LOOSE_PROPER_TAGS and freq[text] < RARE_WORD_FREQ)
                or text in lex.places
                or text in lex.companies
            ):
                return False
        return True

    def common_words_only(self, doc: Doc, start: int, end: int) -> bool:
        """Whether [start, end) is written in jieba's dictionary words only (no unknown word,
        place or listed company): `高校和科研院所`."""
        span = doc.char_span(start, end, alignment_mode="expand")
        lex, freq = self.lexicon, self.freq
        return span is not None and all(
            t.tag_ not in PROPER_TAGS
            and freq.get(t.text, 0) > 0
            and t.text not in lex.places
            and t.text not in lex.companies
            for t in span
        )

    def place_then_words(self, doc: Doc, start: int, end: int) -> bool:
        """A place followed by common dictionary words (`青岛智能网联`, `台南设厂`) describes; it names nothing."""
        place = self.lexicon_place_prefix(self.text[start:end])
        if not place:
            return False
        span = doc.char_span(start + len(place), end, alignment_mode="expand")
        freq = self.freq
        return span is not None and all(
            t.tag_ not in PROPER_TAGS and freq.get(t.text, 0) >= COMMON_FREQ for t in span
        )

    def known_place(self, name: str) -> bool:
        """Whether `name` is a lexicon place, ends in an administrative suffix or is Latin."""
        return name in self.lexicon.places or bool(self.admin_suffix.search(name)) or name.isascii()

    def places_only(self, name: str) -> bool:
        """Whether `name` is two or more places of the lexicon written together (香港沙田)."""
        places = self.lexicon.places
        ends = {0}
        for end in range(1, len(name) + 1):
            if any(
                start in ends and name[start:end] in places
                for start in range(max(0, end - 12), end - 1)
            ):
                ends.add(end)
        return len(name) in ends and name not in places

    def lexicon_place_prefix(self, name: str) -> str:
        """The longest lexicon place (2 to 6 characters) starting `name`, shorter than it, or ""."""
        for size in range(min(len(name) - 1, 6), 1, -1):
            if name[:size] in self.lexicon.places:
                return name[:size]
        return ""

    def propagate_names(
        self, doc: Doc, text: str, by_start: dict, accept, taken: list[bool]
    ) -> None:
        """Every further occurrence of an accepted PERSON or ORG name, of the short forms of the
        organisations and of the short forms the article introduces in brackets is a mention."""
        accepted = list(by_start.values())  # in the order they were accepted
        by_end = {e: (i, (s, e, lab)) for i, (s, e, lab, _) in enumerate(accepted)}
        names: dict[str, str] = {}
        for start, end, label, _ in accepted:
            if label in ("PERSON", "ORG"):
                names.setdefault(text[start:end], label)
        for start, end, label, source in accepted:
            if (
                label in ("FAC", "PROJECT", "EVENT")
                and source == "rule"
                and end - start >= MIN_PROPAGATE_NAME
            ):
                names.setdefault(
                    text[start:end], label
                )  # 「生医下世代园区」, then 生医下世代园区 unquoted
        short_forms: dict[
            str, str
        ] = {}  # derived short forms: only where they are words of their own (柳科, not 柳科技)
        for start, end, label, _ in accepted:
            if label == "FAC":
                short = self.park_short_form(text[start:end])
                if short and short not in self.lexicon.places:
                    short_forms.setdefault(short, "FAC")
        for start, end, label, _ in accepted:
            if label == "ORG":
                for alias in self.names.aliases(text[start:end]):
                    # a very common word is no short name (金融科技 -> 金融, 水产集团 -> 水产)
                    if (
                        alias not in self.lexicon.places
                        and self.freq.get(alias, 0) < COMMON_WORD_FREQ
                        and not self.common_noun(alias)
                    ):
                        names.setdefault(alias, "ORG")
        aliases_of = doc._.aliases = {}
        for m in self.alias_marker.finditer(text):
            ending = [by_end[e] for e in (m.start() - 1, m.start()) if e in by_end]
            full = min(ending)[1] if ending else None  # the first accepted of those that end there
            if full and full[2] in ("ORG", "FAC", "GPE"):
                names.setdefault(m.group(1), full[2])
                aliases_of[m.group(1)] = text[full[0] : full[1]]
        for m in SHORT_FORM.finditer(text):
            before = by_end[m.start()][1] if m.start() in by_end else None
            short = m.group(1)
            if (
                before
                and before[2] in ("ORG", "FAC", "EVENT")
                and (
                    short.isascii()
                    or is_abbreviation(short, text[before[0] : before[1]], bracketed=True)
                    or (
                        before[2] == "EVENT"
                        and event_short_form(short, text[before[0] : before[1]])
                    )
                )
            ):
                if before[2] == "ORG":
                    names.setdefault(short, before[2])
                else:
                    names[short] = before[2]  # the model may have read the short form as an ORG
                aliases_of[short] = text[before[0] : before[1]]
        for start, (a, b, label, source) in list(
            by_start.items()
        ):  # the model's ORG 高交会 of 中国…交易会（高交会）
            if (
                source == "ner"
                and names.get(text[a:b]) in ("FAC", "EVENT")
                and aliases_of.get(text[a:b])
                and label != names[text[a:b]]
            ):
                by_start[start] = (a, b, names[text[a:b]], source)
        bounds = doc._.word_bounds
        for short, label in short_forms.items():
            for m in re.finditer(re.escape(short), text):
                if bounds is None or (m.start() in bounds and m.end() in bounds):
                    accept(m.start(), m.end(), label, "lexicon")
        for name in sorted(names, key=len, reverse=True):
            if len(name) < MIN_PROPAGATE:
                continue
            for m in re.finditer(re.escape(name), text):
                a, b = m.start(), m.end()
                inside = [
                    c
                    for c in map(by_start.get, range(a, b))
                    if c is not None
                    and c[1] <= b
                    and c[1] - c[0] < len(name)
                    and c[2] != "PERSON"
                    and c[3] != "rule"
                ]
                for c in inside:  # a short form beats the pieces the model cut it into (亚 + 总)
                    del by_start[c[0]]
                    taken[c[0] : c[1]] = [False] * (c[1] - c[0])
                accept(a, b, names[name], "lexicon")

    def bare_name(self, doc: Doc, start: int, end: int, listed: bool = False) -> bool:
        """Whether [start, end) can be an organisation written without a suffix: a Chinese
        word or two, one of them a proper noun by itself or a listed company (`zhie_proper` of
        the rule stage) or, with `listed`, a company of the public list as a whole (天赐|材料); no
        place, title, common noun, name with a suffix of its own (可乐市场: the suffix grammar
        decides those) or person's name (`王明`)."""
        name = self.text[start:end]
        if (
            not (MIN_BARE_NAME <= len(name) <= MAX_BARE_NAME)
            or not HAN.search(name)
            or INNER_BREAK.search(name)
        ):
            return False
        span = doc.char_span(start, end)
        if span is None or len(span) > (3 if listed else 2):
            return False
        roles = doc._.token_roles or {}
        if not (listed and name in self.lexicon.companies) and not any(
            roles.get(t.idx, {}).get("zhie_proper") for t in span
        ):
            return False
        if (
            name in self.lexicon.places
            or self.places_only(name)
            or name in self.generic_names
            or self.common_noun(name)
            or self.lexicon.suffix_of(name, span[-1].tag_) is not None
            or name.endswith(self.facility_heads)
            or any(
                (t.tag_ in BARE_NAME_STOP and not listed) or roles.get(t.idx, {}).get("zhie_title")
                for t in span
            )
        ):
            return False
        return name in self.lexicon.companies or not (
            len(span) == 1
            and span[0].tag_ in NAME_LIKE_TAGS
            and len(name) <= 3
            and self.lexicon.looks_like_name(name)
        )

    def coordinated_names(self, doc: Doc, words, by_start: dict, accept) -> None:
        """Beside an organisation in a list (`A、B、C`), the other items that are bare names
        (`bare_name`) are organisations too: 工研院及台积电、联发科、中华电信、鸿海等. A list is a run
        of items joined by `list_separator` words (at least one 、) inside a clause; its first
        item starts after the last word that stands in no name, its last item ends before the
        first word after its first that is no proper noun."""
        text = self.text
        organisations = {
            (s, e)
            for s, e, label, _ in by_start.values()
            if label == "ORG" and not text[s:e].isascii()
        }  # a Latin word may be a product or a round of the list (天使轮、PreA轮): no anchor
        if not organisations:
            return
        for items in self.list_items(doc, words):
            if not organisations.intersection((s, e) for s, e, _ in items):
                continue
            for start, end, sure in items:
                if sure and (start, end) not in organisations and self.bare_name(doc, start, end):
                    accept(start, end, "ORG", "rule")

    def list_items(self, doc: Doc, words) -> list[list[tuple[int, int, bool]]]:
        """The (start, end, sure) of the items of each list of the text (see
        `coordinated_names`); a last item is unsure when a common name word follows its proper
        nouns (康美|药业加入, 华硕|共同开发): where the name ends is not known then. Items are
        lists of word indices."""
        texts, tags, starts = words
        roles = doc._.token_roles or {}

        def end_of(i: int) -> int:
            return starts[i] + len(texts[i])

        lists: list[list[tuple[int, int, bool]]] = []
        items: list[list[int]] = []
        piece: list[int] = []
        comma = False
        for i in range(len(texts) + 1):
            word = texts[i] if i < len(texts) else None
            if word is not None and word in self.list_joiners:
                comma = comma or word == self.list_comma
                items.append(piece)
                piece = []
                continue
            if word is not None and not INNER_BREAK.fullmatch(word):
                piece.append(i)
                continue
            items.append(piece)
            if comma and len(items) >= 2:
                first = items[0]
                cut = max((k + 1 for k, j in enumerate(first) if tags[j] in STOP_TAGS), default=0)
                items[0] = first[cut:]
                last = items[-1]
                stop = next(
                    (
                        k
                        for k, j in enumerate(last[1:], 1)
                        if not roles.get(starts[j], {}).get("zhie_proper")
                    ),
                    len(last),
                )  # 纬创|等
                sure = stop == len(last) or not roles.get(starts[last[stop]], {}).get("zhie_name")
                items[-1] = last[:stop]
                if all(items):
                    lists.append(
                        [(starts[p[0]], end_of(p[-1]), True) for p in items[:-1]]
                        + [(starts[last[0]], end_of(last[stop - 1]), sure)]
                    )
            items, piece, comma = [], [], False
        return lists

    def conjoined_companies(self, doc: Doc, words, by_start: dict, accept) -> None:
        """A company of the public list joined to an organisation by a conjunction (`与`, `和`,
        `及`: 中软国际与南宁市政府合作, 南宁市政府与中软国际签约) is an organisation too; the name may
        be one word or be cut in up to three (中|软|国际)."""
        texts, tags, starts = words
        roles = doc._.token_roles or {}
        n = len(texts)
        # the organisation must come from the rules: a model's guess is a weak anchor here
        org_ends = {e for _, e, label, src in by_start.values() if label == "ORG" and src == "rule"}
        for i in range(n):
            if texts[i] not in self.conjunctions or tags[i] not in ("c", "p"):
                continue
            after = by_start.get(starts[i + 1]) if i + 1 < n else None
            if after is not None and after[2] == "ORG" and after[3] == "rule":
                for first in range(max(0, i - 3), i):  # the longest name first
                    if first > 0 and tags[first - 1] not in BEFORE_BARE_NAME:
                        continue
                    if self.listed_company(doc, starts[first], starts[i]):
                        accept(starts[first], starts[i], "ORG", "rule")
                        break
            if starts[i] in org_ends and i + 1 < n:
                for last in range(min(n - 1, i + 3), i, -1):
                    start, end = starts[i + 1], starts[last] + len(texts[last])
                    if last + 1 < n and roles.get(starts[last + 1], {}).get("zhie_name"):
                        continue  # 与中软国际|集团: a longer name, the suffix grammar's
                    if self.listed_company(doc, start, end):
                        accept(start, end, "ORG", "rule")
                        break

    def listed_company(self, doc: Doc, start: int, end: int) -> bool:
        """A bare name of the public company list: of three or more characters (中软国际) as a
        whole, whatever its words; a shorter one (绿能) only with a proper noun in it."""
        return self.text[start:end] in self.lexicon.companies and self.bare_name(
            doc, start, end, listed=self.listed_alone(start, end)
        )

    def listed_alone(self, start: int, end: int) -> bool:
        """Whether [start, end) is a name of the public company list long enough to count as one
        whatever jieba's words (`MIN_LISTED_ALONE`)."""
        return end - start >= MIN_LISTED_ALONE and self.text[start:end] in self.lexicon.companies

    def apposed_names(self, doc: Doc, words, accept) -> None:
        """A bare name (`bare_name`) of the public company list right after a noun that
        describes a company (`company_apposition_head`: 电动车企业比亚迪, 工业巨头丹佛斯) is an
        organisation, unless a name word follows it (then the suffix grammar reads the longer
        name); an unknown word there is often no name (厂商|建厂, 品牌|药企)."""
        texts, _, starts = words
        roles = doc._.token_roles or {}
        companies = self.lexicon.companies
        for i in range(1, len(texts) - 1):
            if texts[i] not in companies or not texts[i - 1].endswith(self.apposition_heads):
                continue
            after = roles.get(starts[i + 1], {})
            if after.get("zhie_name") or after.get("zhie_suffix"):
                continue
            start, end = starts[i], starts[i] + len(texts[i])
            if self.bare_name(doc, start, end):
                accept(start, end, "ORG", "rule")

    def titled_companies(self, doc: Doc, words, accept) -> None:
        """A company of the public list written by itself right before the title of a company's
        officer (`company_title`, with a prefix or not: 天赐材料董事长, 新宙邦副总裁), or before one
        of its boards and a title (中软国际董事局主席), is an organisation: the officer's."""
        texts, tags, starts = words
        for i in range(1, len(texts)):
            if texts[i - 1] in self.internal_organs and self.lexicon.is_title(texts[i]):
                i -= 1  # 中软国际|董事局|主席
            elif texts[i] not in self.company_titles:
                continue
            # the name may be cut in words (天赐|材料, 中|软|国际) or be a proper noun (爱格发)
            for first in (i - 3, i - 2, i - 1):
                if first < 0 or (first > 0 and tags[first - 1] not in BEFORE_BARE_NAME):
                    continue
                start, end = starts[first], starts[i]
                if self.bare_name(doc, start, end, listed=self.listed_alone(start, end)):
                    accept(start, end, "ORG", "rule")
                    break

    def common_noun(self, word: str) -> bool:
        """A word that jieba's dictionary has as a common noun seen often (稀土, 光明), unless the
        public corpora name an organisation by it (org_words.tsv): a short form derived from a
        full name, which may be wrong (稀土有限公司), is not repeated through the article then."""
        return (
            self.tags.get(word) in COMMON_NOUN_TAGS
            and self.freq.get(word, 0) >= COMMON_NOUN_FREQ
            and word not in self.lexicon.org_words
        )

    def park_short_form(self, name: str) -> str:
        """The short form of a park's name (`ParkShortForms`), else ""."""
        return self.park_forms(name)

    def has_suffix_text(self, name: str, label: str) -> bool:
        """Whether the name suffix that `name` ends in is one of `label`."""
        suffix = self.lexicon.suffix_of(name, "x")
        return suffix is not None and suffix[1] == label

    def __call__(self, doc: Doc) -> Doc:
        text = self.text = text_of(doc)
        taken = [False] * (len(text) + 1)
        # The accepted mentions never overlap, so each starts (and ends) at its own offset: they
        # are indexed by start, and the look-ups below read a few offsets instead of scanning them all.
        by_start: dict[int, tuple[int, int, str, str]] = {}
        bounds = doc._.word_bounds
        candidates = self.candidates(doc)
        people = PersonExtents(self, doc, text, candidates)
        # the names of organisations the rules found and the short forms the text declares (以下简称X)
        org_names = {
            text[s:e] for s, e, label, source in candidates if label == "ORG" and source == "rule"
        }
        org_names.update(m.group(1) for m in self.alias_marker.finditer(text))
        # a role of a place (上海国际金融中心建设) or the class a list belongs to (A、B等高校和科研
        # 院所) names no body: neither it nor a name inside it is an ORG
        kinds = [
            (s, e)
            for s, e, label, _ in candidates
            if label == "ORG"
            and (
                self.names_a_role(s, e)
                or (
                    self.class_after_list.search(text, max(0, s - 3), s)
                    and self.common_words_only(doc, s, e)
                )
            )
        ]

        def accept(start: int, end: int, label: str, source: str) -> None:
            if label == "ORG" and any(a <= start and end <= b for a, b in kinds):
                return
            if end > start and not overlaps(taken, start, end):
                by_start[start] = (start, end, label, source)
                taken[start:end] = [True] * (end - start)

        for start, end, label, source in candidates:
            if label == "PERSON" and source != "rule" and text[start:end] in org_names:
                continue  # 比亚迪 of 比亚迪股份有限公司（以下简称比亚迪）is no person
            if (
                label == "PERSON"
                and source != "rule"
                and text.startswith(self.place_titles, end)
                and text.find(text[start : end + 1], end + 1)
                + text.find(text[start : end + 1], 0, start + 1)
                > -2
            ):
                continue  # 当选平泽市长 where the article writes 平泽市: a place
            if label == "PERSON":
                extent = people.extent(start, end)
                if extent is None:
                    continue
                start, end = extent
            elif label == "ORG" and source == "ner":
                end, person = people.before_person(
                    start, end
                )  # 城西能源|周黎明董事长, 立法院|陈亭妃立委
                if person:
                    accept(*person, "PERSON", "rule")
            if label == "ORG":
                end = people.without_title(start, end)  # 国民党|中常委: a title ends no name
                if end - start < 2:
                    continue
                place_end = self.committee_place_end(start, end)
                if place_end:
                    label, end = "GPE", place_end  # 花都|区委书记: the place, then the title
                sender = self.delegation_sender(start, end)
                if sender:
                    label, end = sender  # 香港特区政府|代表团, 上海市|代表团
                elif source == "rule":
                    end = self.sub_unit_end(doc, end)  # 工研院|绿能所
            if (
                source != "rule"
                and end - start < 2
                and not self.standalone(text, start, end, label, bounds)
            ):
                continue  # one character inside a word (来台, 驻青) or a surname before a title (黄市长)
            if (
                label == "PERSON"
                and source != "rule"
                and (
                    (
                        end - start <= self.surname_check_chars
                        and not self.lexicon.looks_like_name(text[start:end])
                    )
                    or text[start:end].isascii()
                    or text[start:end] in self.lexicon.companies
                )
            ):
                continue  # 爱格发 (no surname), Harvatck, a company of the public list: no person
            if source == "ner" and label in ("ORG", "GPE"):
                if not self.plausible(doc, start, end, label, bounds):
                    continue
            if (
                label == "GPE"
                and end - start > 2
                and text[end - 1 : end + 1] in self.titles_after_place
            ):
                end -= 1  # `台南市长`: GPE 台南 + title 市长; `澎湖县长`: 澎湖 + 县长
            if (
                label == "ORG"
                and text.startswith(".", end)
                and text[start:end].endswith(self.abbreviated_suffixes)
            ):
                end += 1  # Infopower Technologies Ltd.: the period belongs to the abbreviation
            accept(start, end, label, source)
        texts, tags = words_of(doc)
        words = (texts, tags, word_starts(texts))
        self.coordinated_names(doc, words, by_start, accept)
        self.conjoined_companies(doc, words, by_start, accept)
        self.apposed_names(doc, words, accept)
        self.titled_companies(doc, words, accept)
        doc._.aliases = {}
        if self.propagate:
            self.propagate_names(doc, text, by_start, accept, taken)
        accepted = sorted(by_start.values())
        doc, spans = spans_from_candidates(doc, [(s, e, label) for s, e, label, _ in accepted])
        for span, (_, _, _, source) in zip(spans, accepted):
            span._.source = source
        doc.spans[MENTIONS_KEY] = spans
        doc.ents = spans
        return doc
