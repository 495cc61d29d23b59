"""People stage: every person with the title and organisation written next to the name.

Patterns, on the converted text around each PERSON mention:
- ORG + words ending in a title + name: `青岛市政府副秘书长王东翔`, `…研究所博士/研究员武建飞`
  (the organisation is the fullest name the article gives: `经发局长` -> 经济发展局);
- place + title + name: `台南市长黄伟哲` (organisation: the place's government when the
  article names it, `台南市政府` also from `南市府`);
- titles + name: `市委常委、常务副市长张瑛`; name + title: `郭国华董事长`;
- a title after `、` in a list takes the organisation of the person before it;
- `发稿人：陈涵文` takes the organisation of the `发稿单位：` line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from zhie.nlp import extensions
from zhie.nlp.components.mentions import MENTIONS_KEY
from bisect import bisect_left
from functools import lru_cache

from zhie.nlp.lexicon import Lexicon, load_lexicon
from zhie.nlp.names import FullNames, NameForms, is_abbreviation
from zhie.resources import resolve_path
from zhie.nlp.spans import text_of

MAX_TITLE_GAP = 16
SEPARATORS = "、/／"
BREAK = re.compile(r"[，,。；;！？!?\n（）()「」『』“”\"《》\s]")
CLOSING = "）)」』”》"
LABELLED = re.compile(r"([\u4e00-\u9fff]{1,6})[：:]\s*$")


class ArticleNames:
    """One article's organisation names and places, with the answers the people stage asks of
    them per person computed once: fullest names, the article's government, `单位：` lines."""

    def __init__(self, extractor: PeopleExtractor, org_names: list[str], places: list[str], text: str, mentions):
        self.extractor = extractor
        self.names = org_names
        self.places = places
        self.full = FullNames(org_names, extractor.names)
        self.text = text
        self.mentions = mentions
        self._government: str | None = None
        self._units = None
        self.government_of = lru_cache(maxsize=None)(self._government_of)

    def __iter__(self):
        return iter(self.names)

    def _government_of(self, place: str, title: str) -> str:
        return self.extractor.government_of(place, title, self.names)

    def article_government(self) -> str:
        if self._government is None:
            self._government = self.extractor.article_government(self.names, self.places)
        return self._government

    def unit_of(self, start: int) -> str:
        """The ORG that first follows the nearest `单位：` line before `start` (pattern `unit_line`)."""
        if self._units is None:
            orgs = [span for span in self.mentions if span.label_ == "ORG"]
            self._units = ([m.end() for m in self.extractor.unit_line.finditer(self.text)], [s.start_char for s in orgs], orgs)
        line_ends, org_starts, orgs = self._units
        for line_end in reversed(line_ends[:bisect_left(line_ends, start + 1)]):
            j = bisect_left(org_starts, line_end)
            if j < len(orgs) and org_starts[j] < start:
                return orgs[j].text
        return ""


@dataclass
class Person:
    name: str
    title: str
    organisation: str
    mentions: int
    first_start: int  # offset in the converted text


@Language.factory("zhie_people", assigns=["doc._.people"], requires=["doc.spans", "doc._.organisations"],
                  default_config={"rules_dir": "rules:"})
def create_people(nlp: Language, name: str, rules_dir: str):
    """People component: fills `doc._.people`."""
    extensions.register()
    return PeopleExtractor(load_lexicon(resolve_path(rules_dir)))


class PeopleExtractor:
    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self.names = NameForms(lexicon)
        self.unit_line = lexicon.pattern("unit_line")
        self.government_heads = tuple(lexicon.words("government_head"))  # 市长: the head of 市政府
        self.government_suffixes = tuple(lexicon.words("government_suffix"))
        self.generic_government = set(lexicon.words("generic_government") + lexicon.words("government_body"))
        self.government_body = lexicon.words("government_body")[0]
        self.admin_levels = "".join(sorted(lexicon.chars("admin_level")))
        self.city_levels = lexicon.words("city_level")
        words = sorted(lexicon.titles, key=len, reverse=True)
        prefixes = "|".join(sorted(lexicon.words("title_prefix"), key=len, reverse=True))
        title = rf"(?:{prefixes})?(?:{'|'.join(map(re.escape, words))})"
        self.title_run_before = re.compile(rf"(?:{title})(?:[{SEPARATORS}](?:{title}))*$")
        self.title_after = re.compile(rf"(?:{title})(?:[{SEPARATORS}](?:{title}))*")
        self.ends_with_title = re.compile(rf"(?:{title})$")

    def __call__(self, doc: Doc) -> Doc:
        doc._.people = self.extract(doc)
        return doc

    def extract(self, doc: Doc) -> list[Person]:
        text = text_of(doc)
        mentions = sorted(doc.spans[MENTIONS_KEY], key=lambda s: s.start_char)
        # The article's names, indexed once: the look-ups per person stay cheap in long articles.
        org_names = ArticleNames(self, [o.name for o in doc._.organisations or []], [s.text for s in mentions if s.label_ == "GPE"],
                                 text, mentions)
        places = org_names.places
        people: dict[str, Person] = {}
        previous: tuple[int, str] | None = None  # (end, organisation) of the last person seen
        for i, span in enumerate(mentions):
            if span.label_ != "PERSON":
                continue
            title, organisation = self.describe(text, mentions, i, org_names, places, previous)
            previous = (span.end_char, organisation)
            person = people.get(span.text)
            if person is None:
                people[span.text] = Person(span.text, title, organisation, 1, span.start_char)
                continue
            person.mentions += 1
            if title and not person.title:
                person.title = title
            if organisation and not person.organisation:
                person.organisation = organisation
        return list(people.values())

    def describe(self, text, mentions, i, org_names, places, previous) -> tuple[str, str]:
        """(title, organisation) of the PERSON mention `mentions[i]`; `org_names`: ArticleNames."""
        title, organisation = self.written_title(text, mentions, i, org_names, previous)
        if not organisation and title.endswith(self.government_heads):
            organisation = org_names.article_government()
        return title, organisation

    def written_title(self, text, mentions, i, org_names, previous) -> tuple[str, str]:
        span = mentions[i]
        start, end = span.start_char, span.end_char
        before = mentions[i - 1] if i else None
        gap = text[before.end_char:start].strip(" 　\t") if before is not None else ""
        gap = gap.lstrip(CLOSING)
        adjacent = before is not None and start - before.end_char <= MAX_TITLE_GAP and not BREAK.search(gap)
        if adjacent and before.label_ == "ORG":
            title = self.title_glued(before.text, gap)
            if title:
                return title, org_names.full(before.text)
        if adjacent and before.label_ == "GPE" and gap and self.ends_with_title.search(gap):
            if text[before.start_char - 1:before.start_char] == "驻":
                return "驻" + before.text + gap, ""
            return gap, org_names.government_of(before.text, gap)
        run = self.title_run_before.search(text, max(0, start - MAX_TITLE_GAP), start)
        if run:
            if text[run.start() - 1:run.start()] == "、" and previous and previous[0] == run.start() - 1:
                return run.group(0), previous[1]
            return run.group(0), ""
        label = LABELLED.search(text, max(0, start - 8), start)
        if label and (self.lexicon.is_title(label.group(1)) or label.group(1).endswith("人")):
            return label.group(1), org_names.unit_of(start)
        after = self.title_after.match(text, end, end + MAX_TITLE_GAP)
        if after:
            if adjacent and before.label_ == "ORG" and not gap:
                return after.group(0), org_names.full(before.text)
            if adjacent and before.label_ == "GPE" and gap == "" and text[before.start_char - 1:before.start_char] == "驻":
                return "驻" + before.text + after.group(0), ""
            return after.group(0), ""
        if adjacent and before.label_ == "ORG" and not gap:
            return "", org_names.full(before.text)
        return "", ""

    def title_glued(self, org: str, gap: str) -> str:
        """The title in `gap` after an ORG, also when the ORG's last character starts it (`经发局` + `长`)."""
        if gap and self.ends_with_title.search(gap):
            return gap
        glued = org[-1] + gap
        if gap and self.lexicon.is_title(glued):
            return glued
        return ""

    def government_of(self, place: str, title: str, org_names: list[str]) -> str:
        """`台南市政府` for the 市长 of 台南 when the article names that government (or `南市府`)."""
        head = next((h for h in self.government_heads if title.endswith(h)), None)
        if head is None:
            return ""
        canonical = place.rstrip(self.admin_levels) + head[0] + self.government_body
        for name in org_names:
            if name == canonical or is_abbreviation(name, canonical):
                return canonical
        return ""

    def article_government(self, org_names: list[str], places: list[str]) -> str:
        """The city or county government the article names, in its full form, or ""."""
        for name in org_names:
            if not name.endswith(self.government_suffixes) or name in self.generic_government:
                continue
            for place in sorted({p for p in places if len(p) <= 4}, key=len, reverse=True):
                base = place.rstrip("".join(self.city_levels))
                for level in self.city_levels:
                    canonical = base + level + self.government_body
                    if name == canonical or is_abbreviation(name, canonical):
                        return canonical
            return name
        return ""
