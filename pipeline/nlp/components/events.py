"""Event stage: signing, founding and hosting acts with their arguments.

Triggers come from `rules/events.tsv`; the arguments are mentions of the trigger's sentence:
- signing: `party` = the organisations before the trigger (a person stands for the body
  the article names for them, or for their place when it names none; `市府` and `双方` are
  resolved), `object` = the document signed (a 「title」 or 《title》, or a noun phrase ending
  in a word of `rules/agreements.txt`), the projects and the park it is about, and a new
  organisation it sets up;
- founding: `object` = the organisation just after the trigger (`成立「X」`, `设立合资公司X`) or
  just before it (`X成立`, `X 1995年在台湾成立`), `party` = the organisations before it;
- hosting: `host`, `organiser`, `co_organiser` = the organisations written before 主办,
  承办, 协办 (or 举办), `event` = the named event of the sentence or, for `本次活动`, the
  article's first named event.
Mentions in a speech clause (`X表示，…`), a witness phrase (`在X见证下`) or a source
(`据X消息`) are not parties. A sentence that plainly continues the act
(`…学院正式签约。创新学院由A、B、C共同创建`) adds its organisations as parties. An act
mentioned only generically (`合作备忘录签署` with no named party) is not an event.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from zhie.nlp import extensions
from zhie.nlp.components.mentions import MENTIONS_KEY
from zhie.nlp.lexicon import Lexicon, RuleFileError, data_lines, load_lexicon, read_columns
from zhie.nlp.names import NameForms, is_abbreviation
from zhie.resources import resolve_path
from zhie.nlp.spans import text_of, word_starts, words_of

TYPES = {"signing", "founding", "hosting"}
ARGUMENT_WINDOW = 400  # characters before and after a trigger where its arguments may stand
HOST_ROLES = {"host", "organiser", "co_organiser"}
CLAUSE_BREAKS = "，,；;：:"
QUOTED = re.compile(r"[《「『“\[【]([^》」』”\]】]{2,40})[》」』”\]】]")
QUOTED_AT_END = re.compile(r"[《「『“]([^》」』”]{2,40})[》」』”]$")
SHORT_PHRASE = re.compile(r"[\u4e00-\u9fff]{2,8}")  # words without punctuation or spaces


class EventWords:
    """The words and patterns of `rules/words.tsv` and `rules/patterns.tsv` that the event rules read."""

    def __init__(self, lexicon: Lexicon):
        pattern = lexicon.pattern
        self.after_signing = pattern("after_signing")
        self.founding_link = pattern("founding_link")
        self.founding_gap = pattern("founding_gap")
        self.continuation = pattern("continuation")
        self.speech = pattern("speech")
        self.witness_phrase = pattern("witness_phrase")
        self.source_clause = pattern("source_clause")
        self.hosting_reference = pattern("hosting_reference")
        self.founded_by = pattern("founded_by")
        self.partner_before = pattern("partner_before")
        self.new_company = pattern("new_company")
        self.list_joiner = pattern("list_joiner")
        self.venue_before = pattern("venue_before")
        self.company_reference = pattern("company_reference")
        self.before_signing = "".join(lexicon.words("before_signing_char"))
        self.phrase_breaks = lexicon.chars("phrase_break_char")
        self.generic_government = tuple(lexicon.words("generic_government"))
        self.government_heads = tuple(lexicon.words("government_head"))
        self.both_sides = lexicon.words("both_sides")[0]
        self.witness = lexicon.words("witness")[0]
        self.clause_triggers = set(lexicon.words("clause_hosting_trigger"))
        self.names = NameForms(lexicon)


@dataclass
class Argument:
    role: str
    text: str
    start: int  # converted-text offsets of what the argument was read from
    end: int
    named: bool = False  # a name (quoted title, mention), not a generic document word


@dataclass
class Event:
    type: str
    trigger_start: int
    trigger_end: int
    sentence: int
    arguments: list[Argument] = field(default_factory=list)

    def add(self, role: str, text: str, start: int, end: int, named: bool = False) -> None:
        if text and not any(a.role == role and a.text == text for a in self.arguments):
            self.arguments.append(Argument(role, text, start, end, named))

    def texts(self, role: str) -> list[str]:
        return [a.text for a in self.arguments if a.role == role]


@Language.factory("zhie_events", assigns=["doc._.events"], requires=["doc.spans", "doc._.people"],
                  default_config={"rules_dir": "rules:"})
def create_events(nlp: Language, name: str, rules_dir: str):
    """Event component: fills `doc._.events`."""
    extensions.register()
    root = resolve_path(rules_dir)
    triggers = {}
    path = root / "events.tsv"
    for number, (word, kind, role) in read_columns(path, 3):
        if kind not in TYPES or (kind == "hosting") != (role in HOST_ROLES):
            raise RuleFileError(f"{path}:{number}: unknown type {kind!r} or role {role!r}")
        triggers[word] = (kind, role)
    agreements = [line for _, line in data_lines(root / "agreements.txt")]
    return EventExtractor(triggers, agreements, load_lexicon(root))


def is_bare_agreement(text: str) -> bool:
    """A document named by a generic word alone (`MOU`, `备忘录`, `协议`) says nothing of the act."""
    return len(text) <= 3 or text.isascii()


class EventExtractor:
    def __init__(self, triggers: dict[str, tuple[str, str]], agreements: list[str], lexicon: Lexicon):
        self.words = EventWords(lexicon)
        self.triggers = triggers
        self.trigger_re = re.compile("|".join(map(re.escape, sorted(triggers, key=len, reverse=True))))
        self.agreement_re = re.compile("|".join(map(re.escape, sorted(agreements, key=len, reverse=True))))

    def __call__(self, doc: Doc) -> Doc:
        doc._.events = self.extract(doc)
        return doc

    def extract(self, doc: Doc) -> list[Event]:
        ctx = Context(doc, self.words)
        events: list[Event] = []
        hosting: dict[int, Event] = {}
        headline_end = ctx.text.find("\n")
        for m in self.trigger_re.finditer(ctx.text):
            if m.start() < headline_end or not ctx.at_token_start(m.start()):
                continue
            kind, role = self.triggers[m.group(0)]
            sent_index, s0, s1 = ctx.sentence_of(m.start())
            # arguments stand near their trigger: bounded windows keep long unpunctuated text linear
            s0, s1 = max(s0, m.start() - ARGUMENT_WINDOW), min(s1, m.end() + ARGUMENT_WINDOW)
            if kind == "hosting":
                event = hosting.setdefault(sent_index, Event(kind, m.start(), m.end(), sent_index))
                self.hosting_arguments(ctx, event, role, m, s0, s1)
                if event not in events:
                    events.append(event)
                continue
            event = Event(kind, m.start(), m.end(), sent_index)
            if kind == "signing":
                self.signing_arguments(ctx, event, m, s0, s1, events)
            else:
                self.founding_arguments(ctx, event, m, s0, s1, events)
            if event.arguments:
                events.append(event)
        events = self.merge_same_act([e for e in events if self.is_act(e)])
        self.link_new_organisations(events)
        return events

    @staticmethod
    def merge_same_act(events: list[Event]) -> list[Event]:
        """Acts of one type in one sentence are one act (`…签订合作备忘录，…透过签订合作备忘录`)."""
        merged: dict[tuple[str, int], Event] = {}
        for event in events:
            first = merged.setdefault((event.type, event.sentence), event)
            if first is not event:
                for a in event.arguments:
                    first.add(a.role, a.text, a.start, a.end, a.named)
        return list(merged.values())

    @staticmethod
    def is_act(event: Event) -> bool:
        """Hosting needs its event; signing a party or a named object; founding an object or a party."""
        if event.type == "hosting":
            return bool(event.texts("event")) and len(event.arguments) > 1
        if event.type == "founding":
            return bool(event.texts("object") or event.texts("party"))
        return bool(event.texts("party")) or any(a.role == "object" and a.named for a in event.arguments)

    @staticmethod
    def link_new_organisations(events: list[Event]) -> None:
        """A company founded by the signing parties right after the signing is an object of it."""
        for signing in (e for e in events if e.type == "signing"):
            parties = set(signing.texts("party"))
            for founding in (e for e in events if e.type == "founding"):
                if 0 <= founding.sentence - signing.sentence <= 2 and parties & set(founding.texts("party")):
                    for a in founding.arguments:
                        if a.role == "object":
                            signing.add("object", a.text, a.start, a.end, named=True)

    def signing_arguments(self, ctx: Context, event: Event, m: re.Match, s0: int, s1: int, events) -> None:
        text = ctx.text
        clause_end = ctx.clause_end(m.end(), s1)
        objects: list[tuple[int, int, bool]] = []  # (start, end, named)
        link = self.words.after_signing.match(text, m.end()).end()
        quoted = QUOTED.match(text, link)
        agreement = self.agreement_re.search(text, m.end(), clause_end)
        if quoted:
            objects.append((quoted.start(1), quoted.end(1), True))
        elif agreement:
            start = ctx.phrase_start(agreement.start(), m.end())
            if is_bare_agreement(text[start:agreement.end()]) and SHORT_PHRASE.fullmatch(text, link, agreement.start()):
                start = link  # 签订观光送客MOU: the words between the verb and the document name it
            objects.append((start, agreement.end(), False))
        before = text[s0:m.start()].rstrip(self.words.before_signing)
        quoted_before = QUOTED_AT_END.search(before)
        if quoted_before:
            objects.append((s0 + quoted_before.start(1), s0 + quoted_before.end(1), True))
        else:
            found = self.agreement_re.search(before, max(0, len(before) - 4))
            if found and found.end() == len(before):
                objects.append((ctx.phrase_start(s0 + found.start(), s0), s0 + found.end(), False))
        objects = [(a, b, named) for a, b, named in objects if named or not is_bare_agreement(text[a:b])]
        for a, b, named in objects:
            event.add("object", text[a:b], a, b, named)
        object_end = max([b for _, b, _ in objects if b > m.end()] + [m.end()])
        for span in ctx.mentions_in(m.end(), object_end, ("ORG",)):
            if ctx.is_new(span):
                event.add("object", ctx.full(span), span.start_char, span.end_char, named=True)
        for span in ctx.mentions_in(s0, s1, ("FAC", "PROJECT")):
            if any(a <= span.start_char and span.end_char <= b for a, b, _ in objects):
                event.add("object", ctx.full(span), span.start_char, span.end_char, named=True)
        # 率市府团队，见证A与B签订: the parties come after the witness word
        witness = text.rfind(self.words.witness, s0, m.start())
        parties_from = s0 if witness < 0 else witness + len(self.words.witness)
        before_mentions = [s for s in ctx.mentions_in(parties_from, m.start()) if not ctx.excluded(s.start_char)]
        projects = [s for s in before_mentions if s.label_ == "PROJECT"]
        for span in projects:
            event.add("object", span.text, span.start_char, span.end_char, named=True)
        facilities = [s for s in before_mentions if s.label_ == "FAC" and not self.words.venue_before.search(text[s0:s.start_char])]
        if facilities and not projects:
            event.add("object", ctx.full(facilities[0]), facilities[0].start_char, facilities[0].end_char, named=True)
        orgs = [s for s in before_mentions if s.label_ == "ORG"
                and not any(a <= s.start_char < b for a, b, _ in objects)]
        people = ctx.person_parties(parties_from, m.start())
        glued = orgs[-1] if orgs and self.words.founding_gap.fullmatch(text[orgs[-1].end_char:m.start()]) else None
        signed_after = any(b > m.end() for _, b, _ in objects)
        if glued is not None and len(orgs) == 1 and ctx.is_new(glued) and not people and not signed_after:
            event.add("object", ctx.full(glued), glued.start_char, glued.end_char, named=True)
            for span in ctx.continuation_parties(glued, s1):
                event.add("party", ctx.full(span), span.start_char, span.end_char)
            return
        for span in orgs:
            event.add("party", ctx.full(span), span.start_char, span.end_char)
        for name, a, b in people + ctx.references(parties_from, m.start()) + ctx.both_sides(parties_from, m.start(), events):
            event.add("party", name, a, b)

    def founding_arguments(self, ctx: Context, event: Event, m: re.Match, s0: int, s1: int, events) -> None:
        """Objects: the organisations right after the trigger (`成立了X以及Y`) or the one right before
        it that is not a partner (`X正式成立`, not `与X成立`); parties: the organisations before it.
        A new company without a name (`成立一家合资公司`) keeps the event with its parties."""
        text = ctx.text
        objects = ctx.listed_mentions(self.words.founding_link.match(text, m.end()).end(), s1, "ORG")
        if not objects:
            for span in ctx.mentions_in(s0, m.start(), ("ORG",)):
                if self.words.founding_gap.fullmatch(ctx.without_places(span.end_char, m.start())) \
                        and not self.words.partner_before.search(text, max(s0, span.start_char - 2), span.start_char):
                    objects = [span]
        if not objects:  # X由A、B等5家企业发起成立: X is founded, the organisations after 由 found it
            objects = [span for span in ctx.mentions_in(s0, m.start(), ("ORG",))
                       if self.words.founded_by.match(text, span.end_char) and ctx.mentions_in(span.end_char, m.start(), ("ORG",))][:1]
        unnamed = bool(self.words.new_company.match(text, m.end()))
        if not objects and not unnamed:
            return
        for obj in objects:
            event.add("object", ctx.full(obj), obj.start_char, obj.end_char)
        names = {ctx.full(o) for o in objects}
        for span in ctx.mentions_in(s0, m.start(), ("ORG",)):
            if span not in objects and ctx.full(span) not in names and not ctx.excluded(span.start_char):
                event.add("party", ctx.full(span), span.start_char, span.end_char)
        for name, a, b in ctx.references(s0, m.start()) + ctx.both_sides(s0, m.start(), events):
            event.add("party", name, a, b)

    def hosting_arguments(self, ctx: Context, event: Event, role: str, m: re.Match, s0: int, s1: int) -> None:
        previous_trigger = max((t.end() for t in self.trigger_re.finditer(ctx.text, s0, m.start())), default=s0)
        start = max(ctx.clause_start(m.start(), s0) if m.group(0) in self.words.clause_triggers else s0, previous_trigger)
        for span in ctx.mentions_in(start, m.start(), ("ORG",)):
            event.add(role, ctx.full(span), span.start_char, span.end_char)
        for name, a, b in ctx.references(start, m.start()):
            event.add(role, name, a, b)
        if event.texts("event"):
            return
        named = ctx.mentions_in(m.end(), s1, ("EVENT",)) or ctx.mentions_in(s0, s1, ("EVENT",))
        if not named and self.words.hosting_reference.search(ctx.text, s0, m.start()):
            named = [s for s in ctx.mentions if s.label_ == "EVENT"][:1]
        if named:
            event.add("event", named[0].text, named[0].start_char, named[0].end_char)


class Context:
    """What the event rules read of one Doc: mentions, sentences, people and names."""

    def __init__(self, doc: Doc, words: EventWords):
        self.doc = doc
        self.words = words
        self.text = text_of(doc)
        self.mentions = sorted(doc.spans[MENTIONS_KEY], key=lambda s: s.start_char)
        self.org_names = [o.name for o in doc._.organisations or []]
        self.places = [s.text for s in self.mentions if s.label_ == "GPE"]
        self.people = {p.name: p for p in doc._.people or []}
        self.token_starts = set(word_starts(words_of(doc)[0]))
        self.sentences = [(s.start_char, s.end_char) for s in doc.sents]
        self.sentence_starts = [a for a, _ in self.sentences]
        # indexes by offset: the mentions do not overlap, so their starts and ends both ascend
        self.starts = [s.start_char for s in self.mentions]
        self.at = {(s.start_char, s.label_): s for s in self.mentions}
        self.gpe_mentions = [s for s in self.mentions if s.label_ == "GPE"]
        self.gpe_ends = [s.end_char for s in self.gpe_mentions]
        self.org_mentions = [s for s in self.mentions if s.label_ == "ORG"]
        self.org_ends = [s.end_char for s in self.org_mentions]
        self.covered = bytearray(len(self.text) + 1)
        for span in self.mentions:
            self.covered[span.start_char:span.end_char] = b"\x01" * (span.end_char - span.start_char)
        self.full_names: dict[tuple[str, str], str] = {}
        self.first_seen = {}
        for span in self.mentions:
            self.first_seen.setdefault(self.full(span), span.start_char)
        self.excluded_chars = bytearray(len(self.text) + 1)
        for a, b in self.non_party_ranges():
            self.excluded_chars[a:b] = b"\x01" * (b - a)
        self.counts_at, self.org_counts, self.place_counts, self.counted = -1, Counter(), Counter(), 0

    def non_party_ranges(self) -> list[tuple[int, int]]:
        """Speech clauses, witness phrases and sources: their mentions are not parties."""
        ranges = []
        for m in re.finditer(rf"[^{CLAUSE_BREAKS}。！？!?\n]+", self.text):
            clause = m.group(0)
            if self.words.speech.search(clause):
                ranges.append(m.span())
            elif self.words.source_clause.match(clause):
                ranges.append(m.span())
        ranges.extend(m.span() for m in self.words.witness_phrase.finditer(self.text))
        return ranges

    def excluded(self, pos: int) -> bool:
        return bool(self.excluded_chars[pos]) if 0 <= pos < len(self.excluded_chars) else False

    def at_token_start(self, pos: int) -> bool:
        return pos in self.token_starts

    def sentence_of(self, pos: int) -> tuple[int, int, int]:
        i = bisect_right(self.sentence_starts, pos) - 1
        if 0 <= i < len(self.sentences) and self.sentences[i][0] <= pos < self.sentences[i][1]:
            return i, *self.sentences[i]
        return len(self.sentences) - 1, 0, len(self.text)

    def clause_end(self, pos: int, limit: int) -> int:
        ends = [e for e in (self.text.find(c, pos, limit) for c in CLAUSE_BREAKS) if e >= 0]
        return min(ends) if ends else limit

    def clause_start(self, pos: int, floor: int) -> int:
        return max([floor] + [self.text.rfind(c, floor, pos) + 1 for c in CLAUSE_BREAKS])

    def mentions_in(self, start: int, end: int, labels=None) -> list:
        """The mentions wholly inside [start, end), in text order (of `labels` when given)."""
        out = []
        for i in range(bisect_left(self.starts, start), len(self.mentions)):
            span = self.mentions[i]
            if span.start_char >= end:
                break
            if span.end_char <= end and (labels is None or span.label_ in labels):
                out.append(span)
        return out

    def without_places(self, start: int, end: int) -> str:
        """The text between start and end with its place mentions taken out."""
        out, pos = [], start
        for span in self.mentions_in(start, end, ("GPE",)):
            out.append(self.text[pos:span.start_char])
            pos = span.end_char
        out.append(self.text[pos:end])
        return "".join(out)

    def token_at(self, pos: int) -> int:
        """Index of the token that holds character `pos` (or the token count at the end)."""
        span = self.doc.char_span(pos, min(pos + 1, len(self.text)), alignment_mode="expand")
        return span.start if span is not None else len(self.doc)

    def phrase_start(self, pos: int, floor: int) -> int:
        """Where the noun phrase that ends at `pos` (an agreement word) begins."""
        start = pos
        tokens = list(reversed(self.doc[:self.token_at(pos)]))
        for i, token in enumerate(tokens):
            text = token.text
            if text == " " and i + 1 < len(tokens) and self.in_phrase(tokens[i + 1]):
                continue  # `出口合作 MOU`
            if token.idx < floor or not self.in_phrase(token):
                break
            start = token.idx
        while start < pos and self.text[start].isspace():
            start += 1
        return start

    def in_phrase(self, token) -> bool:
        text = token.text
        return text[-1] not in self.words.phrase_breaks and (token._.zhie_name or (text.isascii() and bool(text.strip())))

    def listed_mentions(self, pos: int, limit: int, label: str) -> list:
        """The mention of `label` that starts at `pos` and those joined to it by 、/和/以及."""
        found = []
        span = self.mention_at(pos, label)
        while span is not None and span.end_char <= limit:
            found.append(span)
            joiner = self.words.list_joiner.match(self.text, span.end_char)
            span = self.mention_at(joiner.end(), label) if joiner else None
        return found

    def mention_at(self, pos: int, label: str):
        return self.at.get((pos, label))

    def full(self, span) -> str:
        """The fullest name the article gives for the mention (computed once per name)."""
        key = (span.label_, span.text)
        name = self.full_names.get(key)
        if name is None:
            if span.label_ == "ORG":
                name = self.words.names.fullest_name(span.text, self.org_names)
            elif span.label_ == "GPE":
                name = max((p for p in self.places if p.startswith(span.text)), key=len, default=span.text)
            else:
                name = span.text
            self.full_names[key] = name
        return name

    def is_new(self, span) -> bool:
        """An organisation not named before this mention (a new body being signed for or founded)."""
        return self.first_seen.get(self.full(span), span.start_char) >= span.start_char - 1

    def government(self) -> str:
        names = [n for n in self.org_names if n.endswith(self.words.generic_government) and n not in self.words.generic_government]
        return max(names, key=len, default="")

    def person_parties(self, start: int, end: int) -> list[tuple[str, int, int]]:
        """The bodies that the people written between start and end sign for."""
        out = []
        for span in self.mentions_in(start, end, ("PERSON",)):
            person = self.people.get(span.text)
            if person is None or self.excluded(span.start_char):
                continue
            written = [n for n in self.org_names if person.organisation and
                       (n == person.organisation or is_abbreviation(n, person.organisation))]
            if written:
                out.append((max(written, key=len), span.start_char, span.end_char))
            elif person.organisation:
                out.append((person.organisation, span.start_char, span.end_char))
            elif person.title.endswith(self.words.government_heads):
                place = self.place_before(span.start_char)
                if place:
                    out.append((place, span.start_char, span.end_char))
        return out

    def place_before(self, pos: int) -> str:
        i = bisect_right(self.gpe_ends, pos) - 1
        if i >= 0 and pos - self.gpe_ends[i] <= 6:
            return self.full(self.gpe_mentions[i])
        return ""

    def references(self, start: int, end: int) -> list[tuple[str, int, int]]:
        """`市府`, `市政府` written bare: the article's city government; `该公司`: the last company named."""
        out = []
        name = self.government()
        for m in self.words.company_reference.finditer(self.text[start:end]):
            a = start + m.start()
            i = bisect_right(self.org_ends, a) - 1
            company = self.org_mentions[i] if i >= 0 else None
            if company is not None and not self.excluded(a):
                out.append((self.full(company), a, a + len(m.group(0))))
        for word in self.words.generic_government:
            for m in re.finditer(re.escape(word), self.text[start:end]):
                a = start + m.start()
                if name and not self.covered[a] and not self.excluded(a):
                    out.append((name, a, a + len(word)))
        return out

    def both_sides(self, start: int, end: int, events: list[Event]) -> list[tuple[str, int, int]]:
        """`双方`: the parties of the last signing before, else the article's two main actors."""
        at = self.text.find(self.words.both_sides, start, end)
        if at < 0 or self.excluded(at):
            return []
        span = (at, at + len(self.words.both_sides))
        for event in reversed(events):
            parties = event.texts("party")
            if event.type == "signing" and len(parties) >= 2:
                return [(p, *span) for p in parties]
        orgs, places = self.counts_before(at)
        sides = [name for name, _ in orgs.most_common(1)]
        if places and places.most_common(1)[0][1] >= 2:
            sides.append(places.most_common(1)[0][0])
        elif len(orgs) > 1:
            sides.append(orgs.most_common(2)[1][0])
        return [(name, *span) for name in sides] if len(sides) == 2 else []

    def counts_before(self, pos: int) -> tuple[Counter, Counter]:
        """How often each organisation and place is named before `pos` (kept between calls,
        which mostly come in text order)."""
        if pos < self.counts_at:
            self.org_counts, self.place_counts, self.counted = Counter(), Counter(), 0
        self.counts_at = pos
        while self.counted < len(self.mentions) and self.mentions[self.counted].start_char < pos:
            span = self.mentions[self.counted]
            if span.label_ == "ORG":
                self.org_counts[self.full(span)] += 1
            elif span.label_ == "GPE":
                self.place_counts[self.full(span)] += 1
            self.counted += 1
        return self.org_counts, self.place_counts

    def continuation_parties(self, obj, sentence_end: int) -> list:
        """Organisations of the next sentence when it continues the act on `obj` (`X由A、B共同创建`)."""
        nxt = self.text[sentence_end:sentence_end + 200]
        m = self.words.continuation.search(nxt)
        if not m:
            return []
        head = nxt[:m.start()].strip("。\n ")
        if not head or not (obj.text.endswith(head) or head in obj.text):
            return []
        return self.mentions_in(sentence_end + m.start(1), sentence_end + m.end(1), ("ORG",))
