"""Event stage: signing, founding and hosting acts with their arguments.

Triggers come from `rules/events.tsv`; the arguments are the mentions of the trigger's sentence
(within ARGUMENT_WINDOW characters of it), each read in the slot it stands in (`Context.slots`):
a party (it acts), a modifier (`X全资子公司Y`: Y acts), an object (a project, a park), or none
(a bystander: `在X见证下`, `X出席`, `X主持`, `恭喜X`, `X主办的…上`; a venue: `在X`; the object of
another verb: `收购X`; a speech clause `X表示，` or a source `据X消息`; a name inside a longer
quoted title). An item of a list takes the slot of the item before it.
- signing: `party` = the organisations in a party slot, places and parks that act themselves
  (`长沙县与X`, `与广西、江西等地`), the bodies of the people who sign (or after `代表`), `市府`,
  `我县`, `双方` resolved; with only a partner (`并已与X签订`) the speaker or the subject of the
  sentence before; `object` = the document as the text names it (a title, a noun phrase ending
  in a word of `rules/agreements.txt` after its description and determiners: `签订总金额达
  20亿元的水利建设融资合作协议`, `130吨虱目鱼丸采购合约`), the projects and the park it is about,
  a new organisation it sets up. `达成` is a signing only with the document it reaches.
- founding: `object` = the organisation after the trigger (`成立「X」`, `设立合资公司X`, `组成的
  「X」`) or before it (`X成立`, `X成立于1998年`, `A、B成立大会`, `X今日举办成立大会`, `该公司成立
  于`, a place for `揭牌`; a new body named by a noun phrase: `设立创新中心`, not when wished for,
  `欢迎…设立研发中心`), `party` = the organisations before it (for `X成立`, only who leads
  X: `成大「X」`, `X由A发起成立`; `X设立专项资金` founds no X), else the speaker (`A表示，将设立X`).
- hosting: `host`, `organiser`, `co_organiser` = the organisations of the trigger's clause
  (`由A主办，B承办`, `A和B共同举办`, not the venue of `在X举办`) or after it (`主办单位为A`,
  `承办单位：B`); `event` = the named event of the sentence (its quoted title when it stands in
  one), the name read after the verb (`举办X展`), or for `本次活动` the article's named event.
Generic mentions are no acts: a headline, a reference back (`以本次签约为契机`, `协议的签订`),
an act attended or hosted (`出席签约仪式`, `举办签约仪式`), a body that exists (`成立以来`), a
trigger used as a noun (`签约仪式`, `合作协议签署`) with no party in its clause. Signings by
the same parties are one act: a shorter name of its document is the full one, as is the name
the article titles in quotes with that ending (`合作意向书` -> `“高中职业教育课程合作意向书”`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span

from zhie.nlp import extensions
from zhie.nlp.components.mentions import MENTIONS_KEY
from zhie.nlp.lexicon import (
    Lexicon,
    RuleFileError,
    alternation,
    data_lines,
    load_lexicon,
    read_columns,
)
from zhie.nlp.names import FullNames, NameForms, is_abbreviation
from zhie.nlp.spans import text_of, word_starts, words_of
from zhie.resources import resolve_path

TYPES = {"signing", "founding", "hosting"}
ARGUMENT_WINDOW = 400  # characters before and after a trigger where its arguments may stand
HOST_ROLES = {"host", "organiser", "co_organiser"}
CLAUSE_BREAKS = "，,；;：:"
QUOTED = re.compile(r"[《「『“\[【]([^》」』”\]】]{2,40})[》」』”\]】]")
TITLES = [
    re.compile(rf"{a}([^{a}{b}\n]{{2,60}}){b}") for a, b in ("「」", "『』", "《》", "“”", "【】")
]
NESTED_QUOTES = 3  # quoted titles looked back over for one that holds a mention
QUOTED_AT_END = re.compile(r"[《「『“]([^》」』”]{2,40})[》」』”]$")
DOCUMENT_NAME = 40  # characters a document's name may hold between the verb and its agreement word
NAMED_DOCUMENT = 10  # a document named with this many characters or more names the act by itself
PENDING = "pending"  # the slot of a place listed before another name: that name's
SPEECH, BYSTANDER = 1, 2  # why a mention is no party: a speech clause or source, a bystander phrase
EVENT_LOOKBACK = 30  # named events looked back over for `本次活动`
SUBJECT_LOOKBACK = (
    5  # mentions of a sentence looked at for its subject or speaker (`…，并已与X签订`)
)
OPENING_QUOTES = "《「『“"
LIST_END = "，,；;。！？!?\n"  # what ends a list of organisations after `主办单位：`


class EventWords:
    """The words and patterns of `rules/words.tsv` and `rules/patterns.tsv` that the event rules read."""

    def __init__(self, lexicon: Lexicon):
        pattern = lexicon.pattern
        self.after_signing = pattern("after_signing")
        self.document_modifier = pattern("document_modifier")
        self.document_cut = pattern("document_cut")
        self.document_before = pattern("document_before")
        self.document_lead = pattern("document_lead")
        self.founding_link = pattern("founding_link")
        self.host_role_item = pattern("host_role_item")
        self.founding_gap = pattern("founding_gap")
        self.signing_gap = pattern("signing_gap")
        self.continuation = pattern("continuation")
        self.speech = pattern("speech")
        self.bystander_phrase = pattern("bystander_phrase")
        self.source_clause = pattern("source_clause")
        self.act_reference_before = pattern("act_reference_before")
        self.bystander_before = pattern("bystander_before")
        self.ceremony_host_before = pattern("ceremony_host_before")
        self.act_noun_after = pattern("act_noun_after")
        self.founding_reference_after = pattern("founding_reference_after")
        self.non_party_before = pattern("non_party_before")
        self.partner_slot_before = pattern("partner_slot_before")
        self.partner_slot_after = pattern("partner_slot_after")
        self.represent = pattern("represent")
        self.org_modifier_gap = pattern("org_modifier_gap")
        self.hosting_unit_after = pattern("hosting_unit_after")
        self.signing_parties_after = pattern("signing_parties_after")
        self.hosted_by = pattern("hosted_by")
        self.hosting_reference = pattern("hosting_reference")
        self.hosted_name = pattern("hosted_name")
        self.edition = pattern("edition")
        self.founded_by = pattern("founded_by")
        self.founded_body = pattern("founded_body")
        self.invited_before = pattern("invited_before")
        self.partner_before = pattern("partner_before")
        self.new_company = pattern("new_company")
        self.list_joiner = pattern("list_joiner")
        self.venue_before = pattern("venue_before")
        self.company_reference = pattern("company_reference")
        self.founded_in = pattern("founded_in")
        self.gloss = pattern("gloss")
        self.legal_suffix = pattern("legal_suffix")
        self.before_signing = "".join(lexicon.words("before_signing_char"))
        self.phrase_breaks = lexicon.chars("phrase_break_char")
        self.generic_government = tuple(lexicon.words("generic_government"))
        self.government_heads = tuple(lexicon.words("government_head"))
        self.both_sides = re.compile(alternation(lexicon.words("both_sides")))
        self.own_place = re.compile(alternation(lexicon.words("own_place")))
        self.witness = lexicon.words("witness")[0]
        self.agreement_triggers = set(lexicon.words("agreement_trigger"))
        self.event_nouns = sorted(lexicon.words("event_noun"), key=len, reverse=True)
        self.hosted_thing = lexicon.words("hosted_thing")[0]
        self.list_only = set(lexicon.words("list_only_joiner"))
        self.partner_words = lexicon.words("partner_word")
        self.plaque_triggers = set(lexicon.words("plaque_trigger"))
        self.transitive_founding = set(lexicon.words("transitive_founding"))
        self.document_triggers = set(lexicon.words("document_trigger"))
        self.names = NameForms(lexicon)


@dataclass
class Argument:
    """One argument of an event: its role and the text that fills it."""

    role: str
    text: str
    start: int  # converted-text offsets of what the argument was read from
    end: int
    named: bool = False  # a name (quoted title, mention), not a generic document word


@dataclass
class Event:
    """One signing, founding or hosting act, at its trigger, with its arguments."""

    type: str
    trigger_start: int
    trigger_end: int
    sentence: int
    arguments: list[Argument] = field(default_factory=list)
    explicit: bool = (
        False  # hosting: the sentence says what is hosted (本次活动由, 主办单位为, X在Y举办)
    )

    def add(self, role: str, text: str, start: int, end: int, named: bool = False) -> None:
        """Add an argument, unless it is empty or the event has one of that role and text."""
        if text and not any(a.role == role and a.text == text for a in self.arguments):
            self.arguments.append(Argument(role, text, start, end, named))

    def texts(self, role: str) -> list[str]:
        """The texts of the event's arguments of `role`, in the order they were added."""
        return [a.text for a in self.arguments if a.role == role]


@Language.factory(
    "zhie_events",
    assigns=["doc._.events"],
    requires=["doc.spans", "doc._.people"],
    default_config={"rules_dir": "rules:"},
)
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
    """The event component: finds the acts of a Doc from its triggers and their arguments."""

    def __init__(
        self, triggers: dict[str, tuple[str, str]], agreements: list[str], lexicon: Lexicon
    ):
        self.words = EventWords(lexicon)
        self.triggers = triggers
        self.trigger_re = re.compile(
            "|".join(map(re.escape, sorted(triggers, key=len, reverse=True)))
        )
        self.agreement_re = re.compile(
            "|".join(map(re.escape, sorted(agreements, key=len, reverse=True)))
        )

    def __call__(self, doc: Doc) -> Doc:
        doc._.events = self.extract(doc)
        return doc

    def extract(self, doc: Doc) -> list[Event]:
        """The events of the Doc, in the order of their triggers (hostings of a sentence merged)."""
        ctx = Context(doc, self.words)
        events: list[Event] = []
        hosting: dict[int, Event] = {}
        headline_end = ctx.text.find("\n")
        previous_end = 0  # where the previous trigger ends: hosts of one role stand after it
        for m in self.trigger_re.finditer(ctx.text):
            if m.start() < headline_end or not ctx.at_token_start(m.start()):
                continue
            kind, role = self.triggers[m.group(0)]
            sent_index, s0, s1 = ctx.sentence_of(m.start())
            # arguments stand near their trigger: bounded windows keep long unpunctuated text linear
            s0, s1 = max(s0, m.start() - ARGUMENT_WINDOW), min(s1, m.end() + ARGUMENT_WINDOW)
            after_previous, previous_end = max(s0, previous_end), m.end()
            if kind == "hosting":
                event = hosting.get(sent_index)
                if event is None:  # the roles of one sentence's hosting verbs are one act
                    event = hosting[sent_index] = Event(kind, m.start(), m.end(), sent_index)
                    events.append(event)
                self.hosting_arguments(ctx, event, role, m, s0, s1, after_previous)
                continue
            if self.is_reference(ctx, kind, m, s0) or self.without_document(ctx, m):
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
        self.merge_same_parties(events)
        self.name_documents_in_full(events, ctx.text)
        return events

    @staticmethod
    def name_documents_in_full(events: list[Event], text: str) -> None:
        """A document signed under part of its name (`合作意向书`) is the one the article titles in
        full, in quotes, with that ending (`“高中职业教育课程合作意向书”签署仪式` in the headline)."""
        unnamed = [
            a
            for event in events
            if event.type == "signing"
            for a in event.arguments
            if a.role == "object" and not a.named
        ]
        if not unnamed:
            return  # most articles: no quotes to read
        titles = sorted({q.group(1) for q in QUOTED.finditer(text)}, key=len, reverse=True)
        for a in unnamed:
            a.text = next(
                (t for t in titles if len(t) > len(a.text) and t.endswith(a.text)), a.text
            )

    def without_document(self, ctx: Context, m: re.Match) -> bool:
        """A trigger that signs only with a document (`document_trigger`: 达成) whose clause
        names none (`达成“行业合作伙伴”关系`, `达成共识`)."""
        if m.group(0) not in self.words.document_triggers:
            return False
        end = ctx.clause_end(m.end(), min(len(ctx.text), m.end() + ARGUMENT_WINDOW))
        return not self.agreement_re.search(ctx.text, m.end(), end)

    def is_reference(self, ctx: Context, kind: str, m: re.Match, s0: int) -> bool:
        """A trigger that tells of no act of its own: a reference back (`以本次签约为契机`, `协议的签订`),
        an act attended (`出席签约仪式`), a body that exists (`成立以来`)."""
        text, w = ctx.text, self.words
        before = text[max(s0, m.start() - 12) : m.start()]
        after = text[m.end() : m.end() + 12]
        if kind == "signing" and w.signing_parties_after.match(text, m.end()):
            return False  # 本次签约双方为A和B: the parties are named here
        if w.act_reference_before.search(before):
            return True
        nominal = (
            bool(w.act_noun_after.match(after))
            or not after
            or after[0] in CLAUSE_BREAKS + "。！？\n"
        )
        if nominal and (
            w.bystander_before.search(before)
            or kind == "signing"
            and w.ceremony_host_before.search(before)
        ):
            return True  # 出席签约仪式, 举办签约仪式 (but X举办成立大会 founds X)
        return kind == "founding" and bool(w.founding_reference_after.match(after))

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
    def merge_same_parties(events: list[Event]) -> None:
        """Signings by the same parties are one act: a document named by part of its name there
        (`融资合作协议` after `水利建设融资合作协议`) is the document named in full."""
        by_parties: dict[tuple[str, ...], list[Event]] = {}
        for event in events:
            parties = tuple(sorted(set(event.texts("party"))))
            if event.type == "signing" and len(parties) >= 2:
                by_parties.setdefault(parties, []).append(event)
        for group in by_parties.values():
            if len(group) < 2:
                continue
            # every proper ending of a document's name: a name that is one is a shorter name
            endings = {
                n[i:]
                for e in group
                for a in e.arguments
                if a.role == "object"
                for n in (a.text,)
                for i in range(1, len(n))
            }
            for event in group:
                event.arguments = [
                    a for a in event.arguments if a.role != "object" or a.text not in endings
                ]

    @staticmethod
    def is_act(event: Event) -> bool:
        """Hosting needs its event and a host (or a sentence that says what it hosts); signing a party
        or a named object; founding an object or a party. An act with no argument left is none."""
        if not event.arguments:
            return False
        if event.type == "hosting":
            hosts = any(a.role in HOST_ROLES for a in event.arguments)
            return (bool(event.texts("event")) or event.explicit) and (hosts or event.explicit)
        if event.type == "founding":
            return bool(event.texts("object") or event.texts("party"))
        return bool(event.texts("party")) or any(
            a.role == "object" and a.named for a in event.arguments
        )

    @staticmethod
    def link_new_organisations(events: list[Event]) -> None:
        """A company founded by the signing parties (and no one else) right after the signing is an
        object of it."""
        foundings: dict[int, list[Event]] = {}
        for event in events:
            if event.type == "founding":
                foundings.setdefault(event.sentence, []).append(event)
        for signing in (e for e in events if e.type == "signing"):
            parties = set(signing.texts("party"))
            for founding in (
                f
                for i in range(signing.sentence, signing.sentence + 3)
                for f in foundings.get(i, ())
            ):
                founders = set(founding.texts("party"))
                if founders and founders <= parties:  # the signing parties found it, no one else
                    for a in founding.arguments:
                        if a.role == "object":
                            signing.add("object", a.text, a.start, a.end, named=True)

    def signing_objects(
        self, ctx: Context, m: re.Match, s0: int, clause_end: int
    ) -> tuple[list[tuple[int, int, bool]], bool]:
        """The documents signed, as (start, end, named): a title after the verb or before it, a
        noun phrase ending in a word of `agreements.txt`; and whether one stands before the verb
        (`合作协议签署`: the verb is a noun there)."""
        text = ctx.text
        objects: list[tuple[int, int, bool]] = []
        link = self.words.after_signing.match(text, m.end()).end()
        quoted = QUOTED.match(text, link)
        agreement = self.agreement_re.search(text, link, clause_end)
        if quoted:
            objects.append((quoted.start(1), quoted.end(1), True))
        elif agreement and agreement.start() - link <= DOCUMENT_NAME:
            start = link
            cut = self.words.document_cut.match(text, link, agreement.start())
            if cut:
                start = cut.end()  # 签订总金额达20亿元的水利建设融资合作协议
            start = ctx.skip(self.words.document_modifier, start, agreement.start())
            titled = text[start] in OPENING_QUOTES  # 签署的《X协议》
            objects.append((start + titled, agreement.end(), titled))
        gap = self.words.document_before.search(text, max(s0, m.start() - 8), m.start())
        at = gap.start() if gap else m.start()
        before = text[s0:at].rstrip(self.words.before_signing)
        quoted_before = QUOTED_AT_END.search(before)
        document_before = False
        if quoted_before:
            objects.append((s0 + quoted_before.start(1), s0 + quoted_before.end(1), True))
        else:
            found = self.agreement_re.search(before, max(0, len(before) - 4))
            if found and found.end() == len(before):
                # 见证X合作协议签署: the document's name starts after the verb before it
                named_from = s0 + found.start()
                lead = ctx.find_last(
                    self.words.document_lead,
                    max(ctx.clause_start(m.start(), s0), named_from - DOCUMENT_NAME),
                    named_from,
                )
                start = lead[1] if lead else ctx.phrase_start(named_from, s0)
                # 金叶集团与兴业银行西安分行|战略合作协议成功签约: the parties stand before the name
                start = max(
                    [start] + [o.end_char for o in ctx.mentions_in(start, named_from, ("ORG",))]
                )
                start = ctx.skip(self.words.document_modifier, start, named_from)
                objects.append((start, s0 + found.end(), False))
                document_before = True
        if m.group(0) in self.words.agreement_triggers:
            return (
                objects,
                document_before,
            )  # 达成协议: the document is the act, however it is named
        return [
            (a, b, named) for a, b, named in objects if named or not is_bare_agreement(text[a:b])
        ], document_before

    def signing_arguments(
        self, ctx: Context, event: Event, m: re.Match, s0: int, s1: int, events
    ) -> None:
        """Objects (documents, projects, parks, new bodies) and parties of the signing at `m`."""
        text, w = ctx.text, self.words
        clause_end = ctx.clause_end(m.end(), s1)
        objects, document_before = self.signing_objects(ctx, m, s0, clause_end)
        if m.group(0) in w.agreement_triggers and not any(b > m.end() for _, b, _ in objects):
            return  # 达成共识 is no signing, 达成协议 is
        for a, b, named in objects:
            event.add("object", text[a:b], a, b, named or len(text[a:b]) >= NAMED_DOCUMENT)
        object_end = max([b for _, b, _ in objects if b > m.end()] + [m.end()])
        for span in ctx.mentions_in(m.end(), object_end, ("ORG",)):
            if ctx.is_new(span):
                event.add("object", ctx.full(span), span.start_char, span.end_char, named=True)
        # what the document names, and the projects the sentence goes on to tell of (`签约，计划…建设
        # X项目`; not `以…为X项目`); a park after the verb is more often where things happen
        for span in ctx.mentions_in(s0, s1, ("FAC", "PROJECT")):
            if (
                any(a <= span.start_char and span.end_char <= b for a, b, _ in objects)
                or span.label_ == "PROJECT"
                and span.start_char >= m.end()
                and not ctx.quiet_before(span, m.end(), False)
            ):
                event.add("object", ctx.full(span), span.start_char, span.end_char, named=True)
        # a trigger used as a noun (`合作协议签署`, `签约仪式`) takes its parties from its own clause
        nominal = document_before or bool(w.act_noun_after.match(text, m.end()))
        parties_from = ctx.clause_start(m.start(), s0) if nominal else s0
        # 率市府团队，见证A与B签订: the parties come after the witness word
        witness = text.rfind(w.witness, parties_from, m.start())
        parties_from = parties_from if witness < 0 else witness + len(w.witness)
        slots = ctx.slots(parties_from, m.start())
        projects = [s for s, slot in slots if slot == "object" and s.label_ == "PROJECT"]
        for span in projects:
            event.add("object", span.text, span.start_char, span.end_char, named=True)
        facilities = [s for s, slot in slots if slot == "object" and s.label_ == "FAC"]
        if facilities and not projects:
            event.add(
                "object",
                ctx.full(facilities[0]),
                facilities[0].start_char,
                facilities[0].end_char,
                named=True,
            )
        orgs = [
            s
            for s, slot in slots
            if slot == "party"
            and s.label_ == "ORG"
            and not any(a <= s.start_char < b for a, b, _ in objects)
        ]
        # A长X与B董事长Y分别代表我县和B签订: the bodies after 代表 sign, not those of the people before it
        represented = ctx.find_last(w.represent, parties_from, m.start())
        after_represent = represented is not None and bool(
            [s for s, slot in slots if slot == "party" and s.start_char >= represented[1]]
            or ctx.references(represented[1], m.start())
        )
        read_from = represented[1] if after_represent and represented is not None else parties_from
        people = ctx.person_parties(read_from, m.start())
        # X正式签约: a new body alone before the verb is what is signed for (not 与X签约)
        glued = (
            orgs[-1]
            if orgs
            and w.signing_gap.fullmatch(text, orgs[-1].end_char, m.start())
            and not w.partner_before.search(
                text, max(s0, orgs[-1].start_char - 2), orgs[-1].start_char
            )
            else None
        )
        signed_after = any(b > m.end() for _, b, _ in objects)
        others = [s for s, slot in slots if slot == "party" and s.label_ != "ORG"]
        if (
            glued is not None
            and len(orgs) == 1
            and ctx.is_new(glued)
            and not people
            and not signed_after
            and not others
        ):
            event.add("object", ctx.full(glued), glued.start_char, glued.end_char, named=True)
            for span in ctx.continuation_parties(glued, s1):
                event.add("party", ctx.full(span), span.start_char, span.end_char)
            return
        for span, slot in slots:
            if slot == "party" and not any(a <= span.start_char < b for a, b, _ in objects):
                event.add("party", ctx.full(span), span.start_char, span.end_char)
        listed = w.signing_parties_after.match(text, m.end())
        if listed:  # 签约双方为A和B
            end = min(
                [e for e in (text.find(c, listed.end(), s1) for c in LIST_END) if e >= 0] + [s1]
            )
            for span, slot in ctx.slots(listed.end(), end):
                if slot == "party":
                    event.add("party", ctx.full(span), span.start_char, span.end_char)
        references = ctx.references(parties_from, m.start())
        for name, a, b in people + references:
            event.add("party", name, a, b)
        parties = [s for s, slot in slots if slot == "party"]
        if (
            parties
            and not people
            and not references
            and w.partner_before.search(
                text, max(s0, parties[0].start_char - 2), parties[0].start_char
            )
        ):
            # 并已与经济部签订: who signs with the partner is who the text was telling of
            subject = ctx.speaker(s0, parties[0].start_char) or ctx.subject_of_sentence(
                event.sentence - 1
            )
            if subject is not None:
                event.add("party", *subject)
        if len(event.texts("party")) < 2:
            for name, a, b in ctx.both_sides(parties_from, m.start(), events):
                event.add("party", name, a, b)

    def founding_arguments(
        self, ctx: Context, event: Event, m: re.Match, s0: int, s1: int, events
    ) -> None:
        """Objects: the organisations right after the trigger (`成立了X以及Y`, `组成的「X」`) or those
        right before it that are no partners (`X正式成立`, `A、B成立大会`, `为X揭牌`, not `与X成立`);
        parties: the organisations before it (`成大「X」成立`: 成大 leads X). A new company without
        a name (`成立一家合资公司`) keeps the event with its parties."""
        text, w = ctx.text, self.words
        link = w.founding_link.match(text, m.end()).end()
        # a plaque is unveiled for a body or a place (故宫香港文化交流基地揭牌); a body is founded
        labels = ("ORG", "FAC") if m.group(0) in w.plaque_triggers else ("ORG",)
        objects = ctx.listed_mentions(link, s1, labels)
        quoted, intransitive = None, False
        if (
            not objects
        ):  # 组成的「智慧机器人应用SIG（Special Interest Group）」: the title names the body
            q = QUOTED.search(text, m.end(), s1)
            name = w.gloss.sub("", q.group(1)) if q and q.start() < link else ""
            if q is not None and len(name) >= 2:
                other = next(
                    (
                        s
                        for s in ctx.mentions_in(q.start(1), q.end(1))
                        if s.start_char == q.start(1)
                    ),
                    None,
                )
                if other is None or other.label_ in labels:  # 成立「X园区」 founds no body
                    quoted = (name, q.start(1), q.start(1) + len(name))
        if not objects and quoted is None and m.group(0) not in w.plaque_triggers:
            # 在苏州设立创新中心: a new body named by a noun phrase, no name of its own
            body = w.founded_body.match(text, link, s1)
            if (
                body is not None
                and not ctx.mentions_in(body.start(1), body.end(1), ("ORG",))
                and not w.invited_before.search(text, max(s0, m.start() - 24), m.start())
            ):
                quoted = (body.group(1), body.start(1), body.end(1))
        takes_object = (
            m.group(0) in w.transitive_founding
            and link < s1
            and (text[link].isalpha() and text[link] != "于")
        )  # X设立专项资金: X founds no body of its own
        if not objects and quoted is None and not takes_object:
            objects = self.founded_before(ctx, m, s0, labels)
            intransitive = bool(objects)
        if (
            not objects and quoted is None
        ):  # X由A、B等5家企业发起成立: X is founded, the organisations after 由 found it
            objects = [
                span
                for span in ctx.mentions_in(s0, m.start(), ("ORG",))
                if w.founded_by.match(text, span.end_char)
                and ctx.mentions_in(span.end_char, m.start(), ("ORG",))
            ][:1]
        reference = None
        if not objects and quoted is None:  # 该公司成立于1998年
            found = ctx.find_last(w.company_reference, max(s0, m.start() - 30), m.start())
            if found is not None and w.founding_gap.fullmatch(ctx.gap_text(found[1], m.start())):
                reference = ctx.company_before(*found)
        if (
            not objects
            and quoted is None
            and reference is None
            and w.founded_in.match(text, m.end())
        ):
            # X是一家…公司，成立于2021年: the body the sentence tells of (a background founding)
            subject = ctx.subject_of_sentence(ctx.sentence_of(m.start())[0])
            if (
                subject is not None
                and subject[2] <= m.start()
                and ctx.mention_at(subject[1], "ORG")
            ):
                reference = subject
        unnamed = bool(w.new_company.match(text, m.end()))
        if not objects and quoted is None and reference is None and not unnamed:
            return
        for obj in objects:
            event.add("object", ctx.full(obj), obj.start_char, obj.end_char)
        if quoted is not None:
            event.add("object", *quoted)
        if reference is not None:
            event.add("object", *reference)
        names = {ctx.full(o) for o in objects} | ({reference[0]} if reference else set())
        slots = ctx.slots(s0, m.start())
        for i, (span, slot) in enumerate(slots):
            # a modifier of the founded body leads it (成大「X」): a party; of another body, not
            leads = slot == "modifier" and i + 1 < len(slots) and slots[i + 1][0] in objects
            # X成立, X揭牌: the sentence tells of X; who else it names (attendees, partners of other
            # acts) found nothing, only who leads X does
            if (
                span.label_ == "ORG"
                and (slot == "party" and not intransitive or leads)
                and span not in objects
                and ctx.full(span) not in names
            ):
                event.add("party", ctx.full(span), span.start_char, span.end_char)
        if intransitive:
            return
        for name, a, b in ctx.references(s0, m.start()):
            if name not in names:
                event.add("party", name, a, b)
        if len(event.texts("party")) < 2:
            for name, a, b in ctx.both_sides(s0, m.start(), events):
                event.add("party", name, a, b)
        if not event.texts("party"):  # A表示，将在上海设立X: who speaks founds
            speaker = ctx.speaker(s0, m.start())
            if speaker is not None and speaker[0] not in names:
                event.add("party", *speaker)

    def founded_before(
        self, ctx: Context, m: re.Match, s0: int, labels: tuple[str, ...]
    ) -> list[Span]:
        """The organisations (or parks) right before a founding trigger: `X成立`, `X于1995年在台湾成立`,
        `A、B成立大会`, `X今日举办成立大会`; not a partner (`与X成立`)."""
        text, w = ctx.text, self.words
        candidates = ctx.mentions_in(s0, m.start(), labels)
        for i in range(len(candidates) - 1, -1, -1):
            span = candidates[i]
            if w.venue_before.search(text, max(s0, span.start_char - 2), span.start_char):
                continue  # X于成大举办成立大会: 成大 is where
            if not w.founding_gap.fullmatch(ctx.gap_text(span.end_char, m.start())):
                continue
            if w.partner_before.search(
                text, max(s0, span.start_char - 2), span.start_char
            ) or ctx.excluded(span.start_char):
                return []
            found = [span]
            while i > 0 and w.list_joiner.fullmatch(
                text, candidates[i - 1].end_char, found[0].start_char
            ):
                i -= 1
                found.insert(0, candidates[i])
            return found
        return []

    def hosting_arguments(
        self,
        ctx: Context,
        event: Event,
        role: str,
        m: re.Match,
        s0: int,
        s1: int,
        after_previous: int,
    ) -> None:
        """`由A主办、B承办`, `A和B共同举办C`, `主办单位为A`, `承办单位：B`; not a venue (`在X举办`);
        the event: the named event of the sentence, or the article's for `本次活动`."""
        text, w = ctx.text, self.words
        unit = w.hosting_unit_after.match(text, m.end())
        if unit:  # 主办单位：A、B
            start = unit.end()
            end = min([e for e in (text.find(c, start, s1) for c in LIST_END) if e >= 0] + [s1])
            nxt = self.trigger_re.search(text, start, end)
            end = nxt.start() if nxt else end
            hosts = [s for s in ctx.mentions_in(start, end, ("ORG",))]
            refs = ctx.references(start, end)
            event.explicit = True
        else:
            start = max(ctx.clause_start(m.start(), s0), after_previous)
            by = ctx.find_last(w.hosted_by, start, m.start())
            if by is not None:
                start = by[1]
            other_role = ctx.find_last(w.host_role_item, start, m.start())
            if other_role is not None:
                start = other_role[1]  # 由A指导、B主办: A guides, B hosts
            # 在特区政府举办的X上: 在 stands for the event there, not for a venue
            # a park listed with the hosts hosts too (A公司及X基地承办); after 在 it is the venue. A
            # place hosts through its government (the gold writes 香港特区政府 for 香港承办): no host
            hosts = [
                s
                for s, slot in ctx.slots(
                    start,
                    m.start(),
                    venue_ok=text.startswith(w.hosted_thing, m.end()),
                    hosting=True,
                )
                if s.label_ == "ORG"
                and slot in ("party", "modifier")
                or s.label_ == "FAC"
                and slot == "party"
            ]
            refs = ctx.references(start, m.start())
        for span in hosts:
            event.add(role, ctx.full(span), span.start_char, span.end_char)
        for name, a, b in refs:
            event.add(role, name, a, b)
        if event.texts("event"):
            return
        named_after = ctx.mentions_in(m.end(), s1, ("EVENT",))[:1]
        named_before = ctx.mentions_in(s0, m.start(), ("EVENT",))[-1:]
        reference = w.hosting_reference.search(text[s0 : m.start()])
        read = None if named_after or unit else self.hosted_name(ctx, m, s1)
        if read is not None:  # 共同举办底特律国际先进制造技术展: the name as the text gives it
            event.add("event", *read)
            return
        if named_after:
            named = named_after[0]
        elif named_before:
            named, event.explicit = named_before[0], True
        elif reference:
            named, event.explicit = ctx.article_event(m.start(), reference.group(0)), True
        else:
            named = None
        if named is not None:
            event.add("event", *ctx.titled(named))

    def hosted_name(self, ctx: Context, m: re.Match, s1: int) -> tuple[str, int, int] | None:
        """The event named right after a hosting verb that the names did not find: a phrase that
        ends its clause with an event noun and names a place, a body or an edition."""
        found = self.words.hosted_name.match(ctx.text, m.end(), s1)
        if not found:
            return None
        a, b = found.span("name")
        if ctx.covered[b - 1]:
            return None  # a name of another kind ends there (甬城纺织商会)
        if not (
            ctx.mentions_in(a, b, ("GPE", "ORG", "FAC"))
            or self.words.edition.search(ctx.text, a, b)
        ):
            return None
        return ctx.text[a:b], a, b


class Context:
    """What the event rules read of one Doc: mentions, sentences, people and names."""

    def __init__(self, doc: Doc, words: EventWords):
        self.doc = doc
        self.words = words
        self.text = text_of(doc)
        self.mentions = sorted(doc.spans[MENTIONS_KEY], key=lambda s: s.start_char)
        self.org_names = [o.name for o in doc._.organisations or []]
        self.places = sorted({s.text for s in self.mentions if s.label_ == "GPE"})
        self.places_by_char: dict[
            str, list[str]
        ] = {}  # the article's places by their first character
        for place in self.places:
            self.places_by_char.setdefault(place[0], []).append(place)
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
        self.event_mentions = [s for s in self.mentions if s.label_ == "EVENT"]
        self.event_starts = [s.start_char for s in self.event_mentions]
        self.covered = bytearray(len(self.text) + 1)
        for span in self.mentions:
            self.covered[span.start_char : span.end_char] = b"\x01" * (
                span.end_char - span.start_char
            )
        self.full_names: dict[tuple[str, str], str] = {}
        self.org_index = FullNames(self.org_names, words.names)  # candidates by first characters
        self.governments: dict[str, str] = {}
        self.own_places: dict[str, str] = {}
        self.first_seen: dict[str, int] = {}
        self.name_counts: Counter[str] = (
            Counter()
        )  # how often the article names each organisation and place (full names)
        for span in self.mentions:
            name = self.full(span)
            self.first_seen.setdefault(name, span.start_char)
            self.name_counts[name] += 1
        # quoted titles of each bracket kind, so that one kind may stand inside another (「《X》Y」)
        self.quotes = sorted(
            (q.start(1), q.end(1)) for pattern in TITLES for q in pattern.finditer(self.text)
        )
        self.quote_starts = [a for a, _ in self.quotes]
        self.excluded_chars = bytearray(len(self.text) + 1)  # 1: speech or source, 2: bystander
        for a, b, flag in self.non_party_ranges():
            for i in range(a, b):
                self.excluded_chars[i] |= flag
        self.org_counts: Counter[str] = Counter()
        self.place_counts: Counter[str] = Counter()
        self.counts_at, self.counted = -1, 0

    def non_party_ranges(self) -> list[tuple[int, int, int]]:
        """Speech clauses, sources and bystanders (witnesses, attendees, hosts, congratulators):
        their mentions are not parties."""
        ranges: list[tuple[int, int, int]] = []
        for m in re.finditer(rf"[^{CLAUSE_BREAKS}。！？!?\n]+", self.text):
            clause = m.group(0)
            if self.words.speech.search(clause) or self.words.source_clause.match(clause):
                ranges.append((*m.span(), SPEECH))
        ranges.extend(
            (*m.span(), BYSTANDER) for m in self.words.bystander_phrase.finditer(self.text)
        )
        return ranges

    def excluded(self, pos: int, flags: int = SPEECH | BYSTANDER) -> bool:
        """Whether `pos` stands in a non-party range of `flags` (speech or source, bystander)."""
        return (
            bool(self.excluded_chars[pos] & flags) if 0 <= pos < len(self.excluded_chars) else False
        )

    def at_token_start(self, pos: int) -> bool:
        """Whether a word of the Doc starts at `pos`."""
        return pos in self.token_starts

    def sentence_of(self, pos: int) -> tuple[int, int, int]:
        """(index, start, end) of the sentence holding `pos` (else the last index, whole text)."""
        i = bisect_right(self.sentence_starts, pos) - 1
        if 0 <= i < len(self.sentences) and self.sentences[i][0] <= pos < self.sentences[i][1]:
            return i, *self.sentences[i]
        return len(self.sentences) - 1, 0, len(self.text)

    def clause_end(self, pos: int, limit: int) -> int:
        """Where the clause holding `pos` ends: its next clause break, else `limit`."""
        ends = [e for e in (self.text.find(c, pos, limit) for c in CLAUSE_BREAKS) if e >= 0]
        return min(ends) if ends else limit

    def clause_start(self, pos: int, floor: int) -> int:
        """Where the clause holding `pos` starts: after its last clause break, from `floor` on."""
        return max([floor] + [self.text.rfind(c, floor, pos) + 1 for c in CLAUSE_BREAKS])

    def find_last(self, pattern: re.Pattern, start: int, end: int) -> tuple[int, int] | None:
        """(start, end) of the last match of `pattern` in text[start:end] (a bounded window) outside
        the mentions."""
        found = None
        for m in pattern.finditer(self.text, start, end):
            if not self.covered[m.start()]:  # not inside a name (自由时报)
                found = m.span()
        return found

    def skip(self, pattern: re.Pattern, start: int, limit: int) -> int:
        """`start`, moved past what `pattern` matches there (before `limit`)."""
        m = pattern.match(self.text, start, limit)
        return m.end() if m and m.end() > start else start

    def mentions_in(
        self, start: int, end: int, labels: tuple[str, ...] | None = None
    ) -> list[Span]:
        """The mentions wholly inside [start, end), in text order (of `labels` when given)."""
        out: list[Span] = []
        for i in range(bisect_left(self.starts, start), len(self.mentions)):
            span = self.mentions[i]
            if span.start_char >= end:
                break
            if span.end_char <= end and (labels is None or span.label_ in labels):
                out.append(span)
        return out

    def gap_text(self, start: int, end: int) -> str:
        """The text between start and end without its places and venues (`于成大`, `在台湾`)."""
        out, pos = [], start
        for span in self.mentions_in(start, end):
            if span.label_ == "GPE" or self.words.venue_before.search(
                self.text, max(start, span.start_char - 2), span.start_char
            ):
                out.append(self.text[pos : span.start_char])
                pos = span.end_char
        out.append(self.text[pos:end])
        return "".join(out)

    def titled(self, span) -> tuple[str, int, int]:
        """The name of an event mention as the text gives it: the quoted title it stands in
        (「《科技创新 接轨国际》台南市产业论坛暨趋势策展」, 「台南橡塑胶工业展TAINAN PLAS」), else itself."""
        quote = self.longer_quote(span)
        if quote is not None:
            return self.text[quote[0] : quote[1]], *quote
        return span.text, span.start_char, span.end_char

    def in_longer_quote(self, span) -> bool:
        """The mention is part of a longer quoted title (「X更新炉新建营运移转案」): no party."""
        return self.longer_quote(span) is not None

    def longer_quote(self, span) -> tuple[int, int] | None:
        """The quoted title, longer than the mention, that holds it (the outermost of a few)."""
        i = bisect_right(self.quote_starts, span.start_char) - 1
        found = None
        for a, b in self.quotes[max(0, i - NESTED_QUOTES + 1) : i + 1]:
            if (
                a <= span.start_char
                and span.end_char <= b
                and b - a > span.end_char - span.start_char
            ):
                if found is None or a < found[0]:
                    found = (a, b)
        return found

    def slots(
        self, start: int, end: int, venue_ok: bool = False, hosting: bool = False
    ) -> list[tuple[Span, str]]:
        """The organisations, places, parks and projects between start and end with the slot each
        stands in: `party` (it acts), `modifier` (it qualifies the name after it: `X全资子公司Y`),
        `object` (a project, a park that is no partner) or `no` (a bystander, a venue, the object
        of another verb, a place that only qualifies). An item of a list takes the slot of the
        item before it."""
        spans = [
            s for s in self.mentions_in(start, end) if s.label_ in ("ORG", "GPE", "FAC", "PROJECT")
        ]
        out: list[list] = []
        listed = [False] * len(spans)  # joined to the next item by 、/和
        run_start: dict[int, Span] = {}  # a place written right after another: the place before it
        for i, span in enumerate(spans):
            nxt = spans[i + 1] if i + 1 < len(spans) else None
            listed[i] = (
                nxt is not None
                and self.text[span.end_char : nxt.start_char].strip() in self.words.list_only
            )
            if out and out[-1][1] in ("party", "no") and listed[i - 1]:
                slot = out[-1][1]
            elif (
                out
                and span.label_ in ("GPE", "FAC")
                and out[-1][0].label_ == "GPE"
                and out[-1][0].end_char == span.start_char
            ):
                # 在湖北荆州, 与广东清远: one place phrase, read from where it starts to where it ends
                first = out[-1][0]
                while run_start.get(id(first)) is not None:
                    first = run_start[id(first)]
                run_start[id(span)] = out[-1][0]
                out[-1][1] = "no"
                slot = (
                    "no"
                    if self.quiet_before(first, start, venue_ok) or self.excluded(first.start_char)
                    else self.slot(
                        span, nxt, start, end, True, SPEECH if hosting else SPEECH | BYSTANDER
                    )
                )
            else:
                slot = self.slot(
                    span, nxt, start, end, venue_ok, SPEECH if hosting else SPEECH | BYSTANDER
                )
            out.append([span, slot])
        # a place or park listed before a party is one (A园区、B公司签约); before a park that is none, none
        for i in range(len(out) - 2, -1, -1):
            if out[i][1] == PENDING:
                out[i][1] = (
                    "party"
                    if out[i + 1][1] == "party"
                    else "object"
                    if out[i][0].label_ == "FAC"
                    else "no"
                )
        for item in out:
            if item[1] == PENDING:
                item[1] = "object" if item[0].label_ == "FAC" else "no"
        return [(span, slot) for span, slot in out]

    def quiet_before(self, span, floor: int, venue_ok: bool) -> bool:
        """What stands before the mention makes it no party: a venue word (`在`, `于`) or a verb
        whose object it is (`收购`, `向`)."""
        lead = self.text[max(floor, span.start_char - 8) : span.start_char]
        return bool(
            not venue_ok
            and self.words.venue_before.search(lead)
            or self.words.non_party_before.search(lead)
        )

    def slot(self, span, nxt, start: int, end: int, venue_ok: bool, flags: int) -> str:
        """The slot of one mention (`nxt`: the one after it), before the list rules of `slots`."""
        text = self.text
        if self.excluded(span.start_char, flags) or self.quiet_before(span, start, venue_ok):
            return "no"
        if span.label_ == "ORG":
            if self.in_longer_quote(span):
                return "no"
            if (
                nxt is not None
                and nxt.label_ in ("ORG", "FAC")
                and self.words.org_modifier_gap.match(text, span.end_char, nxt.start_char)
            ):
                return "modifier"
            return "party"
        if span.label_ == "PROJECT":
            return "object"
        partner = self.partner_slot(span, nxt, end)
        if partner:
            return "party" if partner is True else PENDING
        return "object" if span.label_ == "FAC" else "no"

    def partner_slot(self, span, nxt, end: int):
        """A place or park that acts itself: joined to another name or leading to the verb
        (`长沙县与X`, `与广西、江西、广东、福建等地`, `与广东清远签署`)."""
        after = self.words.partner_slot_after.match(self.text, span.end_char)
        if not after:
            return False
        word = self.text[span.end_char : after.end()].strip()
        if word not in self.words.list_only and word not in self.words.partner_words:
            return True  # 等地, 共同, 正式, 签…: the place leads to the act
        if nxt is None or self.text[after.end() : nxt.start_char].strip():
            return False
        return True if word in self.words.partner_words else PENDING

    def token_at(self, pos: int) -> int:
        """Index of the token that holds character `pos` (or the token count at the end)."""
        span = self.doc.char_span(pos, min(pos + 1, len(self.text)), alignment_mode="expand")
        return span.start if span is not None else len(self.doc)

    def phrase_start(self, pos: int, floor: int) -> int:
        """Where the noun phrase that ends at `pos` (an agreement word) begins."""
        start = pos
        i = self.token_at(pos) - 1
        while i >= 0:
            token = self.doc[i]
            if token.text == " " and i > 0 and self.in_phrase(self.doc[i - 1]):
                i -= 1
                continue  # `出口合作 MOU`
            if token.idx < floor or not self.in_phrase(token):
                break
            start = token.idx
            i -= 1
        while start < pos and self.text[start].isspace():
            start += 1
        return start

    def in_phrase(self, token) -> bool:
        """Whether the token may stand in a document's name: a name word or ASCII, no break."""
        text = token.text
        return text[-1] not in self.words.phrase_breaks and (
            token._.zhie_name or (text.isascii() and bool(text.strip()))
        )

    def listed_mentions(self, pos: int, limit: int, labels: tuple[str, ...]) -> list[Span]:
        """The mention of `labels` that starts at `pos` and those joined to it by 、/和/以及."""
        found: list[Span] = []
        span = self.mention_at(pos, labels)
        while span is not None and span.end_char <= limit:
            found.append(span)
            joiner = self.words.list_joiner.match(self.text, span.end_char)
            span = self.mention_at(joiner.end(), labels) if joiner else None
        return found

    def mention_at(self, pos: int, labels: str | tuple[str, ...]) -> Span | None:
        """The mention of (one of) `labels` that starts at `pos`, else None."""
        for label in (labels,) if isinstance(labels, str) else labels:
            span = self.at.get((pos, label))
            if span is not None:
                return span
        return None

    def full(self, span) -> str:
        """The fullest name the article gives for the mention (computed once per name)."""
        key = (span.label_, span.text)
        name = self.full_names.get(key)
        if name is None:
            if span.label_ == "ORG":
                name = self.fullest_organisation(span.text)
            elif span.label_ == "GPE":
                text = span.text
                name = max(
                    (p for p in self.places_by_char.get(text[0], ()) if p.startswith(text)),
                    key=len,
                    default=text,
                )
            else:
                name = span.text
            self.full_names[key] = name
        return name

    def fullest_organisation(self, name: str) -> str:
        """The longest organisation name that `name` is a short form of; a company named with its
        legal suffix is no short form of a longer company that starts with its words
        (`中铝公司` and its subsidiary `中铝广西有色稀土开发有限公司`)."""
        legal = self.words.legal_suffix
        stem = legal.sub("", name) if legal.search(name) else None
        best = name
        # a short form starts with the full name's first character or (three or more) one of its first three
        for i in self.org_index.by_char.get(name[0], ()) if name else ():
            other = self.org_names[i]
            if len(other) <= len(best):
                continue
            if name in self.org_index.aliases_of(i):
                best = other
            elif self.words.names.abbreviates(name, other) and not (
                stem and legal.sub("", other).startswith(stem)
            ):
                best = other
        return best

    def is_new(self, span) -> bool:
        """An organisation not named before this mention (a new body being signed for or founded)."""
        return self.first_seen.get(self.full(span), span.start_char) >= span.start_char - 1

    def government(self, word: str = "") -> str:
        """The article's own government for a bare `市府`, `特区政府`: the name most often given
        that ends with the word (else with any of the words)."""
        cached = self.governments.get(word)
        if cached is not None:
            return cached
        generic = self.words.generic_government
        names = [n for n in self.org_names if word and n.endswith(word) and n != word]
        if not names:
            names = [n for n in self.org_names if n.endswith(generic) and n not in generic]
        name = self.governments[word] = max(
            names, key=lambda n: (self.name_counts[n], len(n)), default=""
        )
        return name

    def own_place(self, word: str) -> str:
        """The place of `我县`, `本市`: the one the article names most often that ends with its level."""
        level = word[-1]
        if level not in self.own_places:
            names = [p for p in self.places if p.endswith(level) and len(p) > 1]
            self.own_places[level] = max(
                names, key=lambda p: (self.name_counts[p], len(p)), default=""
            )
        return self.own_places[level]

    def person_parties(
        self, start: int, end: int, speakers: bool = False
    ) -> list[tuple[str, int, int]]:
        """The bodies that the people written between start and end sign for."""
        out = []
        for span in self.mentions_in(start, end, ("PERSON",)):
            person = self.people.get(span.text)
            if person is None or self.excluded(
                span.start_char, BYSTANDER if speakers else SPEECH | BYSTANDER
            ):
                continue
            written = [
                n
                for n in self.org_names
                if person.organisation
                and (n == person.organisation or is_abbreviation(n, person.organisation))
            ]
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
        """The full name of the place that ends at most 6 characters before `pos`, else ""."""
        i = bisect_right(self.gpe_ends, pos) - 1
        if i >= 0 and pos - self.gpe_ends[i] <= 6:
            return self.full(self.gpe_mentions[i])
        return ""

    def speaker(self, start: int, end: int) -> tuple[str, int, int] | None:
        """Who speaks in the clause `X表示，` between start and end: an organisation, or a person's body."""
        for span in self.mentions_in(start, end, ("ORG", "PERSON"))[:SUBJECT_LOOKBACK]:
            if (
                not self.excluded(span.start_char, SPEECH)
                or self.excluded(span.start_char, BYSTANDER)
                or self.quiet_before(span, start, False)
            ):
                continue
            if span.label_ == "ORG":
                return self.full(span), span.start_char, span.end_char
            found = self.person_parties(span.start_char, span.end_char, speakers=True)
            if found:
                return found[0]
        return None

    def subject_of_sentence(self, i: int) -> tuple[str, int, int] | None:
        """Who sentence `i` tells of: its first organisation, or the body of its first person (a
        speaker too), that is no bystander and stands after no verb or venue word."""
        if i < 0 or i >= len(self.sentences):
            return None
        a, b = self.sentences[i]
        b = min(b, a + ARGUMENT_WINDOW)
        for span in self.mentions_in(a, b, ("ORG", "PERSON"))[:SUBJECT_LOOKBACK]:
            if (
                self.excluded(span.start_char, BYSTANDER)
                or self.quiet_before(span, a, False)
                or self.in_longer_quote(span)
            ):
                continue
            if span.label_ == "ORG":
                return self.full(span), span.start_char, span.end_char
            found = self.person_parties(span.start_char, span.end_char, speakers=True)
            return found[0] if found else None
        return None

    def company_before(self, a: int, b: int) -> tuple[str, int, int] | None:
        """The last company named before `该公司` at a."""
        i = bisect_right(self.org_ends, a) - 1
        if i < 0 or self.excluded(a):
            return None
        return self.full(self.org_mentions[i]), a, b

    def references(self, start: int, end: int) -> list[tuple[str, int, int]]:
        """`市府`, `特区政府` written bare: the article's government; `该公司`: the last company named;
        `我县`: the article's county."""
        out = []
        for m in self.words.company_reference.finditer(self.text, start, end):
            found = self.company_before(*m.span())
            if found is not None:
                out.append(found)
        for word in self.words.generic_government:
            for m in re.finditer(re.escape(word), self.text[start:end]):
                a = start + m.start()
                b = a + len(word)
                if (
                    self.covered[a]
                    or self.excluded(a)
                    or b < len(self.text)
                    and self.covered[b]
                    and self.mention_at(b, "ORG") is not None
                ):
                    continue  # part of a name, or qualifying the name after it (市府经济发展局)
                name = self.government(word)
                if name:
                    out.append((name, a, b))
        for m in self.words.own_place.finditer(self.text, start, end):
            name = self.own_place(m.group(0))
            if name and not self.excluded(m.start()):
                out.append((name, *m.span()))
        return out

    def both_sides(self, start: int, end: int, events: list[Event]) -> list[tuple[str, int, int]]:
        """`双方`, `三方`: the parties of the last signing before, else the article's two main actors."""
        m = self.words.both_sides.search(self.text, start, end)
        if m is None or self.excluded(m.start()):
            return []
        at, span = m.start(), m.span()
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

    def counts_before(self, pos: int) -> tuple[Counter[str], Counter[str]]:
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

    def article_event(self, pos: int, reference: str):
        """The named event that `本次年会`, `大会由` before `pos` stands for: the last one named before
        that ends with the same noun, else the last one named before, else the first one after."""
        noun = next((n for n in self.words.event_nouns if n in reference), "")
        i = bisect_left(self.event_starts, pos)
        before = self.event_mentions[max(0, i - EVENT_LOOKBACK) : i]
        if noun:
            for span in reversed(before):
                if span.text.endswith(noun):
                    return span
        if before:
            return before[-1]
        return self.event_mentions[i] if i < len(self.event_mentions) else None

    def continuation_parties(self, obj: Span, sentence_end: int) -> list[Span]:
        """Organisations of the next sentence when it continues the act on `obj` (`X由A、B共同创建`)."""
        nxt = self.text[sentence_end : sentence_end + 200]
        m = self.words.continuation.search(nxt)
        if not m:
            return []
        head = nxt[: m.start()].strip("。\n ")
        if not head or not (obj.text.endswith(head) or head in obj.text):
            return []
        return self.mentions_in(sentence_end + m.start(1), sentence_end + m.end(1), ("ORG",))
