"""People stage: every person with the title and organisation written next to the name.

The title is the whole title as written (gold/GUIDELINES.md), read backwards from the name:
- a run of title words, each with its prefixes (`副`, `常务副`, `首席`…), the party or
  government body written inside it (`县委副书记`, `市人大常委会主任`, `经开区党工委书记`), a level
  or `国家` at its head (`市议员`, `县领导`, `国家副主席`) and a modifier before it (`公共关系经理`,
  `国策顾问`, `财务总监`; modifiers of `rules/titles_public.tsv`, or a noun right after a clause
  boundary); titles joined by `、` or `/` stay as written, titles joined by `兼` are joined by `、`
  (`局长兼馆长` -> `局长、馆长`);
- then what stands before the title: an ORG (its fullest name is the organisation: `青岛市政府
  副秘书长王东翔`; the words between ORG and title belong to the title: `…创新中心车路云一体化首席
  技术专家`), a place (`台南市长黄伟哲`: the place's government when the article names it;
  `澳门特别行政区社会文化司司长`: the body after the place is the organisation), or words that name
  a body without being a mention (`光洋应材董事长`, `资策会执行长`);
- else a title after the name (`郭国华董事长`, `苏慧贞校长`), with the organisation before the name;
- else `发稿人：X` (the organisation of the `发稿单位：` line), or the title of the person before
  it in a list (`市议员谢财旺、张世贤`).
The organisation of a title without one written is then looked for in the article: the company
named before for a company's officer (`该公司总经理Y`, `Y董事长…` after X was named), the body
named before whose name ends in the title's body (`副局长` after `…局`), the article's city or
county government for its mayor; heads of state and government take "" (gold/GUIDELINES.md).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from zhie.nlp import extensions
from zhie.nlp.components.mentions import MENTIONS_KEY
from zhie.nlp.lexicon import Lexicon, known_names, load_lexicon
from zhie.nlp.names import FullNames, NameForms, is_abbreviation
from zhie.nlp.spans import text_of, word_starts, words_of
from zhie.resources import resolve_path

MAX_TITLE_GAP = 16
MAX_TITLE_CHARS = 24
MAX_HEAD_CHARS = 10
SEPARATORS = "、/／"
BREAK = re.compile(r"[，,。；;！？!?\n（）()「」『』“”\"《》\s]")
CLOSING = "）)」』”》"
SPACES = " 　\t\u00a0"
COLONS = "：:"
# a label before a name: with a colon (发稿人：何帆) or alone on the line before (新闻稿联络人⏎黄婷溶)
LABELLED = re.compile(r"([\u4e00-\u9fff]{1,6})(?:[：:]\s*|[ \t　]*\n[ \t　]*)$")
# a contact line's label, then the unit, then the name: 新闻资料联络人：公关与新闻科 梁瑞君
LABELLED_UNIT = re.compile(r"([\u4e00-\u9fff]{1,8})[：:]\s*([^\s：:，。；\n]{2,20})\s+$")
HAN = re.compile(r"[\u4e00-\u9fff]")
# jieba tags of the words that may name a body before a title (光洋应材, 资策会): nouns and names
HEAD_TAGS = {"n", "nr", "nrt", "nrfg", "ns", "nt", "nz", "j", "x", "eng", "l", "vn", "an", "b", "a"}
# ...of which these are proper (a name, an abbreviation, an unknown word)
PROPER_HEAD_TAGS = {"nt", "nz", "j", "x", "eng", "nrt"}
# the noun that may stand before a title after a clause boundary (公共关系经理, 立法委员)
MODIFIER_TAGS = {"n", "vn", "l"}
# jieba tags of the words after which a clause starts (prepositions, conjunctions, verbs)
CLAUSE_START_TAGS = {"p", "c", "v", "x", "_SP"}
# jieba tags of the words that stand in no gap between an organisation and its title
GAP_STOP_TAGS = {"uj", "ul", "u", "p", "c", "r", "v", "d", "t", "m", "mq", "q", "f"}
RARE_FREQ = 20
MAX_KNOWN_CHARS = 6
WORDLIKE = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9]+$")
HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
OPENING_BRACKETS = "（("
CLOSING_BRACKETS = "）)"
CLOSING_QUOTES = "」』”》"
MAX_BRACKETED = 8


class ArticleNames:
    """One article's organisation names, places and words, with the answers the people stage
    asks of them per person computed once: fullest names, the article's government, `单位：` lines."""

    def __init__(
        self, extractor: PeopleExtractor, doc: Doc, org_names: list[str], mentions, text: str
    ):
        self.extractor = extractor
        self.names = org_names
        self.kinds = {o.name: o.kind for o in doc._.organisations or []}
        self.places = [s.text for s in mentions if s.label_ == "GPE"]
        self.full = FullNames(org_names, extractor.names)
        self.aliases = dict(doc._.aliases or {})
        for m in extractor.short_form.finditer(
            text
        ):  # 荷兰皇家壳牌有限公司(壳牌): 壳牌 is that company
            full = next(
                (o for o in mentions if o.label_ == "ORG" and o.end_char == m.start()), None
            )
            if full is not None and m.group(1) in full.text and m.group(1) != full.text:
                self.aliases.setdefault(m.group(1), full.text)
        self.text = text
        self.mentions = mentions
        self.ends = [m.end_char for m in mentions]
        self.mention_starts = [m.start_char for m in mentions]
        self.orgs = [m for m in mentions if m.label_ == "ORG"]
        self.org_starts = [m.start_char for m in self.orgs]
        texts, tags = words_of(doc)
        self.word_starts = word_starts(texts)
        self.words = list(zip(self.word_starts, texts, tags))
        self.bounds = set(self.word_starts) | {len(text)}
        self.freq = extractor.freq
        self._government: str | None = None
        self._government_names: list[str] | None = None
        self._units: list[int] | None = None  # the ends of the `单位：` lines, found once
        self.government_of = lru_cache(maxsize=None)(self._government_of)
        self.fullest = lru_cache(maxsize=None)(self._fullest)

    def __iter__(self):
        return iter(self.names)

    def _fullest(self, name: str) -> str:
        """The fullest name of `name`: its bracketed full form (`（以下简称亚总）`), the same name
        with a longer legal suffix (`宝钢集团` stays itself beside `宝钢新疆八钢焦煤集团`), or the
        full name it abbreviates (`经发局` -> `经济发展局`)."""
        if name in self.aliases:
            return self.aliases[name]
        forms = self.extractor.names
        if forms.legal_suffix.search(name):
            core = forms.legal_suffix.sub("", name)
            best = name
            for other in self.names:
                if len(other) > len(best) and (
                    name in forms.aliases(other) or core in forms.aliases(other)
                ):
                    best = other
            return best
        return self.full(name)

    def _government_of(self, place: str, title: str) -> str:
        return self.extractor.government_of(place, title, self.government_names())

    def government_names(self) -> list[str]:
        """The names of city and county governments: ORG names and the text's own short forms
        (`南市府`, also when the mention stage missed it)."""
        if self._government_names is None:
            names = [n for n in self.names if n.endswith(self.extractor.government_suffixes)]
            for m in self.extractor.government_word.finditer(self.text):
                names.extend(self.text[m.end() - len(m.group(1)) - k : m.end()] for k in (1, 2))
            self._government_names = [
                n for n in names if n not in self.extractor.generic_government
            ]
        return self._government_names

    def article_government(self) -> str:
        """The article's city or county government (`PeopleExtractor.article_government`), once."""
        if self._government is None:
            self._government = self.extractor.article_government(
                self.government_names(), self.places
            )
        return self._government

    def unit_of(self, start: int) -> str:
        """The ORG that first follows the nearest `单位：` line before `start` (pattern `unit_line`)."""
        if self._units is None:
            self._units = [m.end() for m in self.extractor.unit_line.finditer(self.text)]
        line_ends = self._units
        for line_end in reversed(line_ends[: bisect_left(line_ends, start + 1)]):
            j = bisect_left(self.org_starts, line_end)
            if j < len(self.orgs) and self.org_starts[j] < start:
                return self.orgs[j].text
        return ""

    def mention_before(self, pos: int, max_gap: int = MAX_TITLE_GAP):
        """The mention that ends at or before `pos` with no break between (within `max_gap`)."""
        i = bisect_right(self.ends, pos) - 1
        if i < 0:
            return None
        m = self.mentions[i]
        gap = self.text[m.end_char : pos]
        if pos - m.end_char > max_gap or BREAK.search(gap.strip(SPACES).lstrip(CLOSING_QUOTES)):
            return None  # 《经济日报》记者: a closing quote after the name is no break
        return m

    def words_ending_at(self, pos: int) -> list[tuple[int, str, str]]:
        """The words before `pos`, nearest first (only when a word ends at `pos`)."""
        i = bisect_left(self.word_starts, pos) - 1
        out = []
        while i >= 0 and pos - self.word_starts[i] <= MAX_TITLE_CHARS:
            out.append(self.words[i])
            i -= 1
        if (
            out and out[0][0] + len(out[0][1]) > pos
        ):  # 大学|校长 written as one word: its part before pos
            out[0] = (out[0][0], self.text[out[0][0] : pos], out[0][2])
        return out

    def organisation_before(self, pos: int, match) -> str:
        """The nearest ORG named before `pos` that `match(name, kind)` accepts, as its fullest name."""
        for m in reversed(self.orgs[: bisect_left(self.org_starts, pos)]):
            full = self.fullest(m.text)
            if match(full, self.kinds.get(m.text, "")):
                return full
        return ""


class ModifiedTitle:
    """A title found after a name, with the `group(0)` of a regex match."""

    def __init__(self, title: str):
        self.title = title

    def group(self, index: int = 0) -> str:
        """The title, whatever `index` (a regex match's `group(0)`)."""
        return self.title


@dataclass
class Person:
    """One person of an article: name, title, organisation, mention count and first offset."""

    name: str
    title: str
    organisation: str
    mentions: int
    first_start: int  # offset in the converted text


@Language.factory(
    "zhie_people",
    assigns=["doc._.people"],
    requires=["doc.spans", "doc._.organisations"],
    default_config={"rules_dir": "rules:"},
)
def create_people(nlp: Language, name: str, rules_dir: str):
    """People component: fills `doc._.people`."""
    extensions.register()
    extractor = PeopleExtractor(
        load_lexicon(resolve_path(rules_dir)), known_names(resolve_path(rules_dir))
    )
    jieba_tokenizer = getattr(nlp.tokenizer, "jieba", None)
    extractor.freq = jieba_tokenizer.FREQ if jieba_tokenizer is not None else {}
    return extractor


class PeopleExtractor:
    """The people component: the title and organisation of every PERSON mention's person."""

    def __init__(self, lexicon: Lexicon, known: frozenset[str] = frozenset()):
        self.lexicon = lexicon
        self.known_names = known
        self.names = NameForms(lexicon)
        self.freq: dict[str, int] = {}  # jieba's word frequencies (set by the factory)
        self.unit_line = lexicon.pattern("unit_line")
        self.short_form = lexicon.pattern("bracketed_short_form")
        self.latin_honorific = lexicon.pattern("latin_honorific")
        self.honorifics = tuple(lexicon.words("honorific"))
        self.government_heads = tuple(lexicon.words("government_head"))  # 市长: the head of 市政府
        self.government_suffixes = tuple(lexicon.words("government_suffix"))
        self.generic_government = set(
            lexicon.words("generic_government") + lexicon.words("government_body")
        )
        self.government_body = lexicon.words("government_body")[0]
        self.government_word = lexicon.pattern("government_short_form")
        self.admin_levels = "".join(sorted(lexicon.chars("admin_level")))
        self.city_levels = lexicon.words("city_level")
        self.heads_of_state = set(lexicon.words("head_of_state"))
        self.company_titles = tuple(sorted(lexicon.words("company_title"), key=len, reverse=True))
        self.company_references = set(lexicon.words("company_reference_word"))
        self.internal_organs = set(lexicon.words("internal_organ"))
        self.boards = self.internal_organs | set(lexicon.words("name_board"))
        self.body_chars = lexicon.chars("title_body_char")
        self.party_body = lexicon.pattern("party_body_name")
        self.joiners = tuple(lexicon.words("title_joiner"))
        self.prefixes = sorted(lexicon.words("title_prefix"), key=len, reverse=True)
        self.posted_to = lexicon.chars("posted_to")
        self.unit_chars = lexicon.chars("unit_char")
        self.list_separators = lexicon.chars("list_separator")
        self.function_chars = lexicon.chars("function_char")
        self.contact_label = tuple(lexicon.words("contact_label_char"))
        self.credit_labels = set(lexicon.words("credit_label"))
        self.head_char = lexicon.chars("title_head_char")
        self.modifiers = lexicon.title_modifiers
        self.modifier_sizes = sorted({len(m) for m in self.modifiers}, reverse=True)
        self.suffixes = tuple(lexicon.suffixes)
        self.titles = lexicon.titles | lexicon.public_titles
        self.generic = set(
            lexicon.words("generic_government")
            + lexicon.words("generic_reference")
            + lexicon.words("generic_company")
            + lexicon.words("generic_determiner")
        )
        words = sorted(self.titles, key=len, reverse=True)
        prefixes = "|".join(sorted(lexicon.words("title_prefix"), key=len, reverse=True))
        ordinal = lexicon.regex("title_ordinal")
        officer = lexicon.regex("officer_title")
        title = rf"(?:{ordinal})?(?:{prefixes}){{0,2}}(?:{officer}|{'|'.join(map(re.escape, words))})"  # 副总编辑: 副 + 总 + 编辑
        lead = lexicon.regex("title_lead")
        self.title_lead = re.compile(lead)
        element = rf"(?:{lead})?{title}"
        joiner = "|".join(map(re.escape, self.joiners))
        self.plain_run = re.compile(rf"{title}(?:[{SEPARATORS}]{title})*")
        self.title_run = re.compile(rf"{element}(?:(?:[{SEPARATORS}]|{joiner}){element})*")
        self.title_after = re.compile(rf"{element}(?:[{SEPARATORS}]{element})*")
        self.ends_with_title = re.compile(rf"{title}$")
        self.joined = re.compile(rf"(?<=[^{SEPARATORS}])(?:{joiner})(?=[\u4e00-\u9fffA-Za-z])")

    def __call__(self, doc: Doc) -> Doc:
        doc._.people = self.extract(doc)
        return doc

    def extract(self, doc: Doc) -> list[Person]:
        """The people of the Doc, in the order of their first mentions."""
        text = text_of(doc)
        mentions = sorted(doc.spans[MENTIONS_KEY], key=lambda s: s.start_char)
        # The article's names, indexed once: the look-ups per person stay cheap in long articles.
        article = ArticleNames(
            self, doc, [o.name for o in doc._.organisations or []], mentions, text
        )
        people: dict[str, Person] = {}
        written_for: dict[
            str, bool
        ] = {}  # whether a mention of the person had its body written with the title
        previous: tuple[int, str, str] | None = (
            None  # (end, title, organisation) of the last person seen
        )
        for span in mentions:
            if span.label_ != "PERSON":
                continue
            title, organisation, written = self.describe(text, span, article, previous)
            previous = (span.end_char, title, organisation)
            person = people.get(span.text)
            if person is None:
                people[span.text] = person = Person(
                    span.text, title, organisation, 1, span.start_char
                )
                written_for[span.text] = written
                continue
            person.mentions += 1
            if title and not person.title:
                person.title = title
            if organisation and (
                not person.organisation
                and not written_for[span.text]
                or written
                and not written_for[span.text]
            ):
                person.organisation = (
                    organisation  # a body written with the title wins over one looked up
                )
            written_for[span.text] = written_for[span.text] or written
        return list(people.values())

    def describe(self, text, span, article, previous) -> tuple[str, str, bool]:
        """(title, organisation, body written with the title) of one PERSON mention; `article`: ArticleNames."""
        title, organisation, written = self.written_title(text, span, article, previous)
        if title and not organisation and not written:
            organisation = self.organisation_in_article(title, span.start_char, article)
        return self.joined.sub("、", title), organisation, written

    # --- the title written next to the name ---------------------------------------------------

    def written_title(self, text, span, article, previous) -> tuple[str, str, bool]:
        """(title, organisation, body written) of one PERSON mention."""
        start, end = span.start_char, span.end_char
        if (
            start > 0
            and text[start - 1] in OPENING_BRACKETS
            and previous
            and text[previous[0] : start - 1] in ("", *self.honorifics)
        ):
            return previous[1], previous[2], True  # 法特先生（Eric Falt）: the same person
        before = self.title_before(text, start, article)
        if before is not None:
            title, organisation, title_start, labelled, written = before
            listed = previous is not None and self.listed_after(text, previous[0], title_start)
            if (
                not organisation
                and (not written or listed == "spaces")
                and listed
                and previous
                and previous[2]
                and self.same_body(title, previous[1])
            ):
                return (
                    title,
                    previous[2],
                    True,
                )  # 市长黄伟哲、副市长赵卿惠, 总编辑A及副总编辑B: the same body
            if not organisation and labelled:
                organisation = article.unit_of(start)
            return title, organisation, written or bool(organisation)
        label = LABELLED.search(text, max(0, start - 8), start)
        if label and (
            self.is_title(label.group(1))
            or label.group(1).endswith(self.contact_label)
            or label.group(1) in self.credit_labels  # 摄影：冼伟伦
        ):
            return label.group(1), article.unit_of(start), True
        label = LABELLED_UNIT.search(text, max(0, start - 32), start)
        if label and label.group(1).endswith(self.contact_label):
            return (
                label.group(1),
                label.group(2),
                True,
            )  # the contact's unit is written after the label
        after = self.title_after.match(text, end, end + MAX_TITLE_GAP) or self.modified_title_after(
            text, end, article
        )
        organisation = self.organisation_before_name(text, start, article)
        if after:
            place = article.mention_before(start, max_gap=0)
            if (
                place is not None
                and place.label_ == "GPE"
                and text[place.start_char - 1 : place.start_char] in self.posted_to
            ):
                return (
                    text[place.start_char - 1 : place.end_char] + after.group(0),
                    "",
                    True,
                )  # 驻新加坡童振源大使
            return after.group(0), organisation, bool(organisation)
        if (
            text[start - 1 : start] == "、"
            and previous
            and previous[0] == start - 1
            and previous[1]
        ):
            return previous[1], previous[2], True  # 市议员谢财旺、张世贤: one title for the list
        return "", self.organisation_before_name(text, start, article, mentions_only=True), False

    def modified_title_after(self, text, end, article):
        """A title after a name with a modifier before it (`王全玉荣誉理事长`): a modifier of
        titles_public.tsv or a common noun, then a title."""
        for size in self.modifier_sizes:
            if text[end : end + size] in self.modifiers:
                m = self.title_after.match(text, end + size, end + size + MAX_TITLE_GAP)
                if m:
                    return ModifiedTitle(text[end : m.end()])
        i = bisect_left(article.word_starts, end)
        if i < len(article.words) and article.words[i][0] == end:
            _, word, tag = article.words[i]
            if (
                (tag in MODIFIER_TAGS or tag == "nr")
                and 2 <= len(word) <= 4
                and not self.in_mention(end, article)
                and word not in self.generic
                and not word.endswith(self.suffixes)
                and not self.is_title(word)
            ):
                m = self.title_after.match(text, end + len(word), end + len(word) + MAX_TITLE_GAP)
                if m:
                    return ModifiedTitle(text[end : m.end()])
        return None

    def title_before(self, text, pos, article):
        """(title, organisation, start, after a colon, body written) of the titles written right
        before `pos`, or None: `X局局长兼Y馆馆长` gives `局长兼馆长` with the organisation of the first
        title; `body written`: an ORG or a place stands with the title (no look-up elsewhere)."""
        titles, organisation, labelled, written = [], "", False, False
        left = pos
        while True:
            end = pos
            while end > 0 and text[end - 1] in SPACES:
                end -= 1
            honorific = None if titles else self.latin_honorific.search(text, max(0, end - 5), end)
            if honorific:
                end = honorific.start()  # 领事Mr. Yos Sokhemrin
            if not titles and end > 0 and text[end - 1] in COLONS:
                labelled = True  # 发稿人：何帆
                end -= 1
                while end > 0 and text[end - 1] in SPACES:
                    end -= 1
            found = self.title_ending_at(text, end, article)
            if found is None:
                break
            title, own, left, body = self.what_stands_before(text, found[0], found[1], article)
            titles.insert(0, title)
            if own or body:
                organisation, written = own, True  # the first title's body wins
            joiner = next((j for j in self.joiners if text.endswith(j, 0, left)), None)
            if (
                joiner is None
                and not own
                and text.endswith("、", 0, left)
                and self.title_ending_at(text, left - 1, article) is not None
            ):
                joiner = "、"  # 江苏省委常委、苏州市委书记: titles with their places, listed
            if joiner is None or left >= pos:
                break
            pos = left - len(joiner)
        if not titles:
            return None
        return "、".join(titles), organisation, left, labelled, written

    def title_ending_at(self, text, end, article) -> tuple[int, str] | None:
        """(start, title) of the longest title run that ends at `end` and starts where a word does,
        with the modifier before it."""
        low = max(0, end - MAX_TITLE_CHARS)
        start = next(
            (
                s
                for s in range(low, end)
                if self.word_start(text, s, article)
                and not self.inside_mention(s, article)
                and self.title_run.fullmatch(text, s, end)
            ),
            None,
        )
        if start is None:
            start = next(
                (s for s in range(low, end) if self.plain_run.fullmatch(text, s, end)), None
            )
            if start is None:
                return None
            glued = self.glued_word_start(text, start, end, article)  # 国策顾问 (one word of jieba)
            if glued is not None:
                return glued, text[glued:end]
            return start, text[start:end]
        start = self.modifier_start(text, start, article)
        return start, text[start:end]

    def word_start(self, text, s, article) -> bool:
        """Whether a word starts at `s` (or `s` follows no Han character)."""
        return s in article.bounds or not HAN.match(text[s - 1 : s] or "-")

    def glued_word_start(self, text, start, end, article) -> int | None:
        """The start of the word that holds the start of a title, when it is a title with its
        modifier written as one word (`国策顾问`), not a body and its title (`银行行长`)."""
        i = bisect_right(article.word_starts, start) - 1
        if i < 0:
            return None
        w_start, word, tag = article.words[i]
        head = text[w_start:start]
        if self.body_name_ending(text, start, article):
            return None
        if (
            not head
            or w_start + len(word) > end
            or tag not in MODIFIER_TAGS
            or head.endswith(self.suffixes)
            or head[-1] in self.body_chars
            or head in self.lexicon.places
            or self.in_mention(w_start, article)
        ):
            return None
        return w_start

    def body_name_ending(self, text, start, article) -> str:
        """The name of a body that ends with the first character of the title at `start`
        (`行政院|长` when the article or a lexicon names 行政院; the title is then 院长)."""
        if (
            text[start : start + 1] not in self.body_chars
            or text[start + 1 : start + 2] not in self.head_char
        ):
            return ""
        for k in range(min(MAX_KNOWN_CHARS, start) + 1, 2, -1):
            name = text[start + 1 - k : start + 1]
            if (name in article.names or name in self.known_names) and self.word_start(
                text, start + 1 - k, article
            ):
                return name
        return ""

    def modifier_start(self, text, start, article) -> int:
        """The start of the modifier before a title: a modifier of titles_public.tsv (`财务总监`), or
        a noun right after a clause boundary (`，公共关系经理`, `由国策顾问`)."""
        if self.body_name_ending(text, start, article):
            return start  # 行政|院长 where the article names 行政院: ORG + 院长, no modifier
        for size in self.modifier_sizes:
            if (
                text[start - size : start] in self.modifiers
                and self.word_start(text, start - size, article)
                and not self.in_mention(start - size, article)
            ):
                return start - size
        words = article.words_ending_at(start)
        if not words:
            return start
        w_start, word, tag = words[0]
        if (
            tag not in MODIFIER_TAGS
            or not 2 <= len(word) <= 4
            or self.in_mention(w_start, article)
            or word in self.generic
            or word in self.lexicon.places
            or word.endswith(self.suffixes)
            or word in self.known_names
            or word in article.names
            or word[-1] in self.body_chars
            or self.is_title(word)
        ):
            return start
        if len(words) == 1 or words[1][2] in CLAUSE_START_TAGS or not HAN.match(words[1][1][-1]):
            return w_start
        return start

    def inside_mention(self, pos, article) -> bool:
        """Whether `pos` stands inside a mention, after its first character."""
        m = self.mention_at(pos, article)
        return m is not None and m.start_char < pos

    def in_mention(self, pos, article) -> bool:
        """Whether `pos` stands inside a mention (its first character included)."""
        return self.mention_at(pos, article) is not None

    def what_stands_before(self, text, start, title, article) -> tuple[str, str, int, bool]:
        """(title, organisation, left end, body written) for the title at `start`, after what
        stands before it: an ORG (also one whose last character starts the title: `经发局长`), a
        place, or words that name a body; after 兼 a unit of common words belongs to the title
        (`副总经理兼事业部总裁`)."""
        inside = self.mention_at(start - 1, article)
        if inside is not None and inside.label_ == "ORG" and inside.end_char > start:
            return title, article.fullest(inside.text), inside.start_char, True  # 经发局|长
        body = self.body_name_ending(text, start, article)
        if body:
            return title, article.fullest(body), start + 1 - len(body), True  # 行政院|长
        anchor = self.before_short_form(text, start, article)
        m = article.mention_before(anchor)
        gap = ""
        if m is not None:
            gap = text[m.end_char : anchor]
            closing = len(gap) - len(gap.lstrip(CLOSING_QUOTES))  # 《经济日报》记者
            if not self.gap_belongs_to_title(gap[closing:], m.end_char + closing, article):
                m = None
            gap = gap[closing:].strip(SPACES)
        if m is not None and m.label_ == "ORG":
            if not gap and self.title_lead.fullmatch(m.text) and self.party_body.search(m.text):
                return (
                    m.text + title,
                    "",
                    m.start_char,
                    True,
                )  # 经开区党工委书记: a party body inside the title
            party = self.party_after_place(m.text)
            if party and not gap:
                return (
                    party + title,
                    "",
                    m.start_char,
                    True,
                )  # 长沙|市委副书记: GPE + title (gold/GUIDELINES.md)
            if (
                not gap
                and self.after_joiner(text, m.start_char, article)
                and self.is_unit(m, article)
            ):
                return m.text + title, "", m.start_char, False  # 兼事业部总裁
            return gap + title, self.organisation_of_mention(text, m, article), m.start_char, True
        if m is not None and m.label_ == "FAC" and not gap:
            return title, m.text, m.start_char, True  # 海洋博物馆馆长
        if m is not None and m.label_ == "GPE":
            whole = gap + title
            body = self.body_in(whole)
            if body:
                return (
                    whole[len(body) :],
                    m.text + body,
                    m.start_char,
                    True,
                )  # 澳门特别行政区|社会文化司|司长
            if text[m.start_char - 1 : m.start_char] in self.posted_to:
                return (
                    text[m.start_char - 1 : m.end_char] + whole,
                    "",
                    m.start_char - 1,
                    True,
                )  # 驻新加坡大使
            if (
                not self.title_run.fullmatch(whole)
                and m.text[-1] in self.admin_levels
                and self.title_run.fullmatch(m.text[-1] + whole)
            ):
                whole = m.text[-1] + whole  # 长沙县|委副书记 -> 县委副书记
            if self.is_head_of_state(whole):
                return whole, "", m.start_char, True
            return whole, article.government_of(m.text, whole), m.start_char, True
        head = self.head_before(text, start, article)
        if head is not None:
            h_start, h_text = head
            organisation = self.resolve_head(h_text, start, article)
            organ = text[h_start + len(h_text) : start]
            if organ in self.internal_organs:
                title = (
                    organ + title
                )  # 公司|董事局主席: the board is the company's, the title its own
            return title, organisation, h_start, bool(organisation)
        words = article.words_ending_at(start)
        unread = (
            bool(words)
            and bool(HAN.match(words[0][1][-1:]))
            and words[0][2] not in ("p", "c")
            and not (words[0][2] in ("v", "vn") and len(words[0][1]) >= 2)
        )
        return title, "", start, unread  # 资策|会|执行长: a body is written there, one not read

    def before_short_form(self, text, start, article) -> int:
        """Where the body's name ends when its short form stands in brackets between it and the
        title (`世界交易所联合会（WFE）首席执行官`: the full name's end), else `start`."""
        if start == 0 or text[start - 1] not in CLOSING_BRACKETS:
            return start
        opening = max(
            text.rfind(b, max(0, start - 2 - MAX_BRACKETED), start - 1) for b in OPENING_BRACKETS
        )
        if opening < 0 or BREAK.search(text, opening + 1, start - 1):
            return start
        named = article.mention_before(opening, max_gap=0)
        if named is None or named.label_ != "ORG" or named.end_char != opening:
            return start
        return opening

    def organisation_of_mention(self, text, m, article) -> str:
        """The fullest name of an ORG mention; a bare `集团` or `公司` is the name the words before it
        give (`大商|集团`), else the company named before."""
        if m.text not in self.company_references and m.text not in self.generic:
            return article.fullest(m.text)
        for k in range(min(MAX_KNOWN_CHARS, m.start_char), 0, -1):
            name = text[
                m.start_char - k : m.end_char
            ]  # 大商|集团, named in full before (…采购团大商集团)
            if self.word_start(text, m.start_char - k, article) and (
                name in self.known_names
                or any(n.endswith(name) and n != m.text for n in article.names)
            ):
                return article.fullest(name)
        head = self.head_before(text, m.start_char, article)
        if (
            head is not None
            and head[1] not in self.company_references
            and head[1] not in self.generic
        ):
            return article.fullest(head[1] + m.text)
        return self.resolve_head(m.text, m.start_char, article)

    def after_joiner(self, text, pos, article) -> bool:
        """Whether `pos` follows 兼, or a title and 、 (`副总经理兼事业部总裁`, `总裁助理、品牌部总经理`)."""
        if text.endswith(self.joiners, 0, pos):
            return True
        return (
            text.endswith("、", 0, pos) and self.title_ending_at(text, pos - 1, article) is not None
        )

    def is_unit(self, m, article) -> bool:
        """Whether an ORG mention is a unit of an organisation named by common words (`事业部`)."""
        if m.text[-1] not in self.unit_chars:
            return False
        i = bisect_left(article.word_starts, m.start_char)
        while i < len(article.words) and article.words[i][0] < m.end_char:
            _, word, tag = article.words[i]
            if (
                tag not in MODIFIER_TAGS
                or word in self.lexicon.places
                or self.freq.get(word, 0) < RARE_FREQ
            ):
                return False
            i += 1
        return True

    def mention_at(self, pos, article):
        """The mention that holds character `pos`, else None."""
        if pos < 0:
            return None
        i = bisect_right(article.mention_starts, pos) - 1
        return article.mentions[i] if i >= 0 and article.mentions[i].end_char > pos else None

    def party_after_place(self, name: str) -> str:
        """The party body of an ORG that is a place and a party body (`长沙市委` -> 市委), or ""."""
        for k in range(2, len(name) - 1):
            place, rest = name[:k], name[k:]
            if (
                (place in self.lexicon.places or place + rest[0] in self.lexicon.places)
                and self.title_lead.fullmatch(rest)
                and self.party_body.search(rest)
            ):
                return rest
        return ""

    def gap_belongs_to_title(self, gap, gap_start, article) -> bool:
        """Whether the words between a mention and a title are part of the title (`车路云一体化`)."""
        if not gap.strip(SPACES) or gap in self.boards:
            return True  # 金融管理局|执行委员会主席, 培训中心|管委会主席: the body's board is in the title
        if BREAK.search(gap.strip(SPACES)) or len(gap) > MAX_TITLE_GAP:
            return False
        i = bisect_left(article.word_starts, gap_start)
        end = gap_start + len(gap)
        while i < len(article.words) and article.words[i][0] < end:
            if article.words[i][2] in GAP_STOP_TAGS:
                return False
            i += 1
        return True

    def body_in(self, words: str) -> str:
        """The body a title after a place names, written before it (`社会文化司司长` -> 社会文化司);
        "" when the words are titles themselves (`市委副书记、市长`)."""
        m = self.ends_with_title.search(words)
        if not m or m.start() < 2 or self.title_run.fullmatch(words):
            return ""
        body, core = words[: m.start()], self.title_core(words[m.start() :])
        if self.party_body.search(body) or BREAK.search(body) or body[-1] in SEPARATORS:
            return ""
        if body.endswith(self.suffixes) or (body[-1] == core[:1] and body[-1] in self.body_chars):
            return body
        return ""

    def title_core(self, title: str) -> str:
        """The title without its prefixes (`常务副市长` -> 市长)."""
        changed = True
        while changed:
            changed = False
            for prefix in self.prefixes:
                if title.startswith(prefix) and len(title) > len(prefix) + 1:
                    title, changed = title[len(prefix) :], True
                    break
        return title

    def head_before(self, text, pos, article) -> tuple[int, str] | None:
        """(start, text) of the words right before `pos` that name a body without being a mention
        (`光洋应材`, `资策会`, `该公司`): nouns after a clause boundary, one of them a proper noun,
        a rare word or a name suffix; None for places and descriptions."""
        known = next(
            (
                k
                for k in range(min(MAX_KNOWN_CHARS, pos), 1, -1)
                if text[pos - k : pos] in self.known_names
                and self.word_start(text, pos - k, article)
                and not self.in_mention(pos - k, article)
            ),
            None,
        )
        if known:
            return pos - known, text[pos - known : pos]  # 中钢 (中|钢), a name of companies.txt
        taken = self.name_words_before(pos, article, MAX_HEAD_CHARS)
        if (
            taken and text[taken[-1][0] - 1 : taken[-1][0]] in CLOSING_BRACKETS
        ):  # 华润雪花啤酒（中国）有限公司
            close = taken[-1][0] - 1
            opening = max(
                text.rfind(b, max(0, close - MAX_BRACKETED), close) for b in OPENING_BRACKETS
            )
            if opening > 0 and HAN_RUN.fullmatch(text, opening + 1, close):
                before = self.name_words_before(opening, article, MAX_HEAD_CHARS)
                if before:
                    taken = taken + [(opening, text[opening : close + 1], "x")] + before
        while len(taken) > 1 and taken[0][1] in self.internal_organs:
            pos = taken.pop(0)[0]  # 公司|董事局|主席: the board is the company's
        if not taken:
            return None
        h_start = taken[-1][0]
        head = text[h_start:pos]
        if head in self.company_references or head in self.generic:
            return h_start, head
        while taken and (
            taken[-1][1] in self.generic
            or len(taken[-1][1]) == 1
            and taken[-1][2] not in PROPER_HEAD_TAGS
        ):
            taken.pop()  # 与|爱格发: the name starts after a word that cannot start one
        if not taken:
            return None
        h_start = taken[-1][0]
        while h_start < pos - 2 and text[h_start] in self.function_chars:
            h_start += 1  # 陈吉仲与国|发会 (jieba's unknown word): 国发会
        head = text[h_start:pos]
        if (
            len(head) < 2
            or head in self.lexicon.places
            or self.lexicon.is_outside_word(head)
            or head in self.lexicon.suffixes
        ):
            return None  # 大学 of 成功|大学 alone names nothing
        proper = any(
            tag in PROPER_HEAD_TAGS or self.freq.get(word, 0) < RARE_FREQ for _, word, tag in taken
        )
        if proper or self.lexicon.name_suffix(head):
            return h_start, head
        return None

    def name_words_before(self, pos, article, limit) -> list[tuple[int, str, str]]:
        """The words right before `pos` that may stand in a name, nearest first."""
        taken = []
        for w_start, word, tag in article.words_ending_at(pos):
            if (
                tag not in HEAD_TAGS
                or not WORDLIKE.match(word)
                or self.is_title(word)
                or self.in_mention(w_start, article)
                or pos - w_start > limit
            ):
                break
            taken.append((w_start, word, tag))
        return taken

    def resolve_head(self, head: str, pos: int, article) -> str:
        """The organisation that the words before a title name."""
        if head in self.company_references:
            return article.organisation_before(pos, self.shows_company)
        if head in self.generic_government:
            return article.article_government()
        if head in self.generic:
            return ""
        return article.fullest(head)

    def shows_company(self, name: str, kind: str) -> bool:
        """Whether an organisation reads as a company by more than the default kind: a suffix
        or a listed company name (公司执行董事 is 中软国际公司's, not 东盟's)."""
        return kind == "company" and (
            self.lexicon.name_suffix(name) is not None or name in self.known_names
        )

    def organisation_before_name(self, text, start, article, mentions_only: bool = False) -> str:
        """The organisation written right before a name whose title follows it (`成功大学苏慧贞校长`);
        `mentions_only`: only an ORG mention (a name without a title: `工业区科曾小姐`-like lists)."""
        m = article.mention_before(start, max_gap=1)
        if (
            m is not None
            and m.label_ == "ORG"
            and not text[m.end_char : start].strip(CLOSING + SPACES)
        ):
            return self.organisation_of_mention(text, m, article)
        if (m is not None and m.end_char == start) or mentions_only:
            return ""
        head = self.head_before(text, start, article)
        if head is not None:
            return self.resolve_head(head[1], start, article)
        return ""

    # --- the organisation named elsewhere in the article ---------------------------------------

    def organisation_in_article(self, title: str, pos: int, article) -> str:
        """The organisation of a title written without one: the article's government for its mayor,
        the company named before for a company's officer, the body named before whose name ends in
        the title's body (`副局长` after `…局`); "" for heads of state and party titles."""
        last = re.split(f"[{SEPARATORS}]", self.joined.sub("、", title))[-1]
        if self.is_head_of_state(last) or self.party_body.search(title):
            return ""
        if last.endswith(self.government_heads):
            return article.article_government()
        if last.endswith(self.company_titles):
            return article.organisation_before(pos, lambda name, kind: kind == "company")
        core = self.title_core(last)
        if len(core) == 2 and core[0] in self.body_chars and core[1] in self.head_char:
            return article.organisation_before(pos, lambda name, kind: name.endswith(core[0]))
        return ""

    def listed_after(self, text: str, previous_end: int, title_start: int) -> str:
        """How a title follows the person before it: "separator" (`总编辑A及副总编辑B`),
        "spaces" (the byline `记者杨坪 实习记者沈青颜`), else ""."""
        gap = text[previous_end:title_start]
        if gap in self.list_separators:
            return "separator"
        return "spaces" if gap and not gap.strip(SPACES) else ""

    def same_body(self, title: str, other: str) -> bool:
        """Whether two titles are posts of one kind of body (`局长`, `副局长`; `总编辑`, `副总编辑`;
        two officers of a company), so that a list's second person may share the first one's body."""
        a, b = (
            self.title_core(re.split(f"[{SEPARATORS}]", self.joined.sub("、", t))[-1])
            for t in (title, other)
        )
        return a == b or (a.endswith(self.company_titles) and b.endswith(self.company_titles))

    def is_title(self, word: str) -> bool:
        """Whether `word` is a title of the lexicon (a public title included)."""
        return self.lexicon.is_title(word) or word in self.titles

    def is_head_of_state(self, title: str) -> bool:
        """Whether `title` is a head of state's or government's (who take no organisation)."""
        return title in self.heads_of_state

    def government_of(self, place: str, title: str, names: list[str]) -> str:
        """`台南市政府` for the 市长 of 台南 when the article names that government (or `南市府`)."""
        head = next((h for h in self.government_heads if title.endswith(h)), None)
        if head is None:
            return ""
        canonical = place.rstrip(self.admin_levels) + head[0] + self.government_body
        for name in names:
            if name == canonical or is_abbreviation(name, canonical):
                return canonical
        return ""

    def article_government(self, names: list[str], places: list[str]) -> str:
        """The city or county government the article names, in its full form (`南市府` ->
        `台南市政府`), or the first government name that starts with a place, or ""."""
        short_places = sorted({p for p in places if len(p) <= 4}, key=len, reverse=True)
        for name in names:
            for place in short_places:
                base = place.rstrip("".join(self.city_levels))
                for level in self.city_levels:
                    canonical = base + level + self.government_body
                    if name == canonical or is_abbreviation(name, canonical):
                        return canonical
        for name in names:
            if any(name.startswith(p) for p in places) and name.endswith(self.government_suffixes):
                return name
        return ""
