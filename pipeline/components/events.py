"""Event stage: signing, founding and hosting acts with their arguments.

Triggers come from `rules/events.tsv`; the arguments are mentions of the trigger's sentence:
- signing: `party` = the organisations before the trigger (a person stands for the body
  the article names for them, or for their place when it names none), `object` = the
  document signed (a 《title》/「title」 or a noun phrase ending in a word of
  `rules/agreements.txt`), the projects and the park it is about, and a new organisation;
- founding: `object` = the organisation just before or after the trigger, `party` = the
  other organisations before the trigger;
- hosting: `host`, `organiser`, `co_organiser` = the organisations written before 主办,
  承办, 协办, `event` = the named event of the sentence or, for `本次活动`, of the article.
A sentence that plainly continues the act (`…学院正式签约。创新学院由A、B、C共同创建`) adds
its organisations as parties. Names are the fullest forms the article gives; `市府` and
`双方` are resolved to the names they stand for.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from pipeline import extensions
from pipeline.components.mentions import MENTIONS_KEY
from pipeline.components.organisations import fullest_name, is_abbreviation
from pipeline.components.rules import RuleFileError, data_lines, read_columns
from pipeline.resources import resolve_path

TYPES = {"signing", "founding", "hosting"}
HOST_ROLES = {"host", "organiser", "co_organiser"}
CLAUSE = "，,；;：:"
SENTENCE = "。！？!?；;\n"
QUOTED = re.compile(r"[《「『“]([^》」』”]{2,40})[》」』”]")
GENERIC_GOVERNMENT = ("市府", "市政府", "本府", "县府", "县政府")
BOTH_SIDES = ("双方",)
FOUNDING_LINK = re.compile(r"(?:了|于|正式|共同|合资公司|新公司|公司|一家|「|“|《|\s)*")
FOUNDING_BEFORE = re.compile(r"(?:正式|已|将|宣布|宣告|于|并|共同|\s)*$")
CONTINUATION = re.compile(r"由(.{2,80}?)(?:共同)?(?:创建|发起|组建|成立|建设|筹建|设立|牵头)")


@dataclass
class Argument:
    role: str
    text: str
    start: int  # converted-text offsets of what the argument was read from
    end: int


@dataclass
class Event:
    type: str
    trigger_start: int
    trigger_end: int
    sentence: int
    arguments: list[Argument] = field(default_factory=list)

    def add(self, role: str, text: str, start: int, end: int) -> None:
        if text and not any(a.role == role and a.text == text for a in self.arguments):
            self.arguments.append(Argument(role, text, start, end))


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
    return EventExtractor(triggers, agreements)


class EventExtractor:
    def __init__(self, triggers: dict[str, tuple[str, str]], agreements: list[str]):
        self.triggers = triggers
        self.trigger_re = re.compile("|".join(map(re.escape, sorted(triggers, key=len, reverse=True))))
        self.agreement_re = re.compile("|".join(map(re.escape, sorted(agreements, key=len, reverse=True))))

    def __call__(self, doc: Doc) -> Doc:
        doc._.events = self.extract(doc)
        return doc

    def extract(self, doc: Doc) -> list[Event]:
        ctx = Context(doc)
        events: list[Event] = []
        hosting: dict[int, Event] = {}
        first_line_end = doc.text.find("\n")
        for m in self.trigger_re.finditer(doc.text):
            if m.start() < first_line_end or not ctx.at_token_start(m.start()):
                continue
            kind, role = self.triggers[m.group(0)]
            sent_index, s0, s1 = ctx.sentence_of(m.start())
            if kind == "hosting":
                event = hosting.get(sent_index)
                if event is None:
                    event = hosting[sent_index] = Event(kind, m.start(), m.end(), sent_index)
                    events.append(event)
                self.hosting_arguments(ctx, event, role, m, s0, s1)
                continue
            event = Event(kind, m.start(), m.end(), sent_index)
            if kind == "signing":
                self.signing_arguments(ctx, event, m, s0, s1)
            else:
                self.founding_arguments(ctx, event, m, s0, s1)
            if event.arguments:
                events.append(event)
        return [e for e in events if e.arguments]

    def signing_arguments(self, ctx: Context, event: Event, m: re.Match, s0: int, s1: int) -> None:
        text = ctx.text
        clause_end = ctx.clause_end(m.end(), s1)
        objects = []
        quoted = QUOTED.match(text, m.end() + (1 if text[m.end():m.end() + 1] == "了" else 0))
        if quoted:
            objects.append((quoted.start(1), quoted.end(1)))
        else:
            found = self.agreement_re.search(text, m.end(), clause_end)
            if found:
                objects.append((ctx.phrase_start(found.start(), m.end()), found.end()))
        before = text[s0:m.start()].rstrip("正式 举行了的")
        quoted_before = re.search(r"[《「『“]([^》」』”]{2,40})[》」』”]$", before)
        if quoted_before:
            objects.append((s0 + quoted_before.start(1), s0 + quoted_before.end(1)))
        else:
            found = self.agreement_re.search(before, max(0, len(before) - 4))
            if found and found.end() == len(before):
                objects.append((ctx.phrase_start(s0 + found.start(), s0), s0 + found.end()))
        for a, b in objects:
            event.add("object", text[a:b], a, b)
        inside_objects = [(a, b) for a, b in objects]
        mentions_before = [s for s in ctx.mentions if s0 <= s.start_char and s.end_char <= m.start()]
        projects = [s for s in mentions_before if s.label_ == "PROJECT"]
        for span in projects:
            event.add("object", span.text, span.start_char, span.end_char)
        for span in ctx.mentions:
            if span.label_ in ("FAC", "PROJECT", "ORG") and any(a <= span.start_char and span.end_char <= b for a, b in inside_objects):
                if span.label_ == "FAC" or (span.label_ == "ORG" and ctx.is_new(span)):
                    event.add("object", ctx.full(span), span.start_char, span.end_char)
        facilities = [s for s in mentions_before if s.label_ == "FAC"]
        if facilities and not projects:
            first = facilities[0]
            event.add("object", ctx.full(first), first.start_char, first.end_char)
        orgs = [s for s in mentions_before if s.label_ == "ORG" and not any(a <= s.start_char < b for a, b in inside_objects)]
        glued = orgs[-1] if orgs and FOUNDING_BEFORE.fullmatch(text[orgs[-1].end_char:m.start()]) else None
        if glued is not None and len(orgs) == 1 and ctx.is_new(glued) and not ctx.person_parties(s0, m.start()):
            event.add("object", ctx.full(glued), glued.start_char, glued.end_char)
            for span in ctx.continuation_parties(glued, s1):
                event.add("party", ctx.full(span), span.start_char, span.end_char)
            return
        for span in orgs:
            event.add("party", ctx.full(span), span.start_char, span.end_char)
        for name, a, b in ctx.person_parties(s0, m.start()):
            event.add("party", name, a, b)
        for name, a, b in ctx.references(s0, m.start()):
            event.add("party", name, a, b)

    def founding_arguments(self, ctx: Context, event: Event, m: re.Match, s0: int, s1: int) -> None:
        text = ctx.text
        obj = None
        link = FOUNDING_LINK.match(text, m.end())
        after = ctx.mention_at(link.end(), "ORG")
        if after is not None:
            obj = after
        else:
            for span in ctx.mentions:
                if span.label_ == "ORG" and s0 <= span.start_char and span.end_char <= m.start() \
                        and FOUNDING_BEFORE.fullmatch(text[span.end_char:m.start()]):
                    obj = span
        if obj is None:
            return
        event.add("object", ctx.full(obj), obj.start_char, obj.end_char)
        for span in ctx.mentions:
            if span.label_ == "ORG" and s0 <= span.start_char and span.end_char <= m.start() and span is not obj \
                    and ctx.full(span) != ctx.full(obj):
                event.add("party", ctx.full(span), span.start_char, span.end_char)
        for name, a, b in ctx.references(s0, m.start()):
            event.add("party", name, a, b)

    def hosting_arguments(self, ctx: Context, event: Event, role: str, m: re.Match, s0: int, s1: int) -> None:
        text = ctx.text
        start = max(s0, max((event.trigger_end for a in event.arguments if a.role in HOST_ROLES), default=s0))
        previous_trigger = max((t.end() for t in self.trigger_re.finditer(text, s0, m.start())), default=s0)
        start = max(start, previous_trigger)
        for span in ctx.mentions:
            if span.label_ == "ORG" and start <= span.start_char and span.end_char <= m.start():
                event.add(role, ctx.full(span), span.start_char, span.end_char)
        for name, a, b in ctx.references(start, m.start()):
            event.add(role, name, a, b)
        named = [s for s in ctx.mentions if s.label_ == "EVENT" and s0 <= s.start_char < s1]
        if not named:
            named = [s for s in ctx.mentions if s.label_ == "EVENT"][:1]
        if named and not any(a.role == "event" for a in event.arguments):
            event.add("event", named[0].text, named[0].start_char, named[0].end_char)


class Context:
    """What the event rules read of one Doc: mentions, sentences, people and names."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.text = doc.text
        self.mentions = sorted(doc.spans[MENTIONS_KEY], key=lambda s: s.start_char)
        self.org_names = [o.name for o in doc._.organisations or []]
        self.places = [s.text for s in self.mentions if s.label_ == "GPE"]
        self.people = {p.name: p for p in doc._.people or []}
        self.token_starts = {t.idx for t in doc}
        self.sentences = [(s.start_char, s.end_char) for s in doc.sents]
        self.first_seen = {}
        for span in self.mentions:
            self.first_seen.setdefault(self.full(span), span.start_char)

    def at_token_start(self, pos: int) -> bool:
        return pos in self.token_starts

    def sentence_of(self, pos: int) -> tuple[int, int, int]:
        for i, (a, b) in enumerate(self.sentences):
            if a <= pos < b:
                return i, a, b
        return len(self.sentences) - 1, 0, len(self.text)

    def clause_end(self, pos: int, limit: int) -> int:
        ends = [self.text.find(c, pos, limit) for c in CLAUSE]
        ends = [e for e in ends if e >= 0]
        return min(ends) if ends else limit

    def phrase_start(self, pos: int, floor: int) -> int:
        """Where the noun phrase that ends at `pos` (an agreement word) begins."""
        start = pos
        for token in reversed(self.doc[:self.token_at(pos)]):
            if token.idx < floor or not (token._.zhie_name or token.text.isascii() and token.text.strip()):
                break
            start = token.idx
        while start < pos and self.text[start] in " 　":
            start += 1
        return start

    def token_at(self, pos: int) -> int:
        """Index of the token that holds character `pos` (or the token count at the end)."""
        span = self.doc.char_span(pos, min(pos + 1, len(self.text)), alignment_mode="expand")
        return span.start if span is not None else len(self.doc)

    def mention_at(self, pos: int, label: str):
        for span in self.mentions:
            if span.start_char == pos and span.label_ == label:
                return span
        return None

    def full(self, span) -> str:
        if span.label_ == "ORG":
            return fullest_name(span.text, self.org_names)
        if span.label_ == "GPE":
            return max((p for p in self.places if p.startswith(span.text)), key=len, default=span.text)
        return span.text

    def is_new(self, span) -> bool:
        """An organisation not named before this mention (a new body being signed for or founded)."""
        return self.first_seen.get(self.full(span), span.start_char) >= span.start_char - 1

    def government(self) -> str:
        names = [n for n in self.org_names if n.endswith(GENERIC_GOVERNMENT) and n not in GENERIC_GOVERNMENT]
        return max(names, key=len, default="")

    def person_parties(self, start: int, end: int) -> list[tuple[str, int, int]]:
        """The bodies that the people written between start and end sign for."""
        out = []
        for span in self.mentions:
            if span.label_ != "PERSON" or not (start <= span.start_char and span.end_char <= end):
                continue
            person = self.people.get(span.text)
            if person is None:
                continue
            written = [n for n in self.org_names if person.organisation and
                       (n == person.organisation or is_abbreviation(n, person.organisation))]
            if written:
                out.append((max(written, key=len), span.start_char, span.end_char))
            elif person.organisation:
                out.append((person.organisation, span.start_char, span.end_char))
            elif person.title.endswith(("市长", "县长", "省长", "区长")):
                place = self.place_before(span.start_char)
                if place:
                    out.append((place, span.start_char, span.end_char))
        return out

    def place_before(self, pos: int) -> str:
        for span in reversed(self.mentions):
            if span.end_char <= pos and span.label_ == "GPE" and pos - span.end_char <= 6:
                return self.full(span)
        return ""

    def references(self, start: int, end: int) -> list[tuple[str, int, int]]:
        """`市府`, `市政府` written bare: the article's city government."""
        out = []
        for word in GENERIC_GOVERNMENT:
            for m in re.finditer(re.escape(word), self.text[start:end]):
                a = start + m.start()
                if any(s.start_char <= a < s.end_char for s in self.mentions):
                    continue
                name = self.government()
                if name:
                    out.append((name, a, a + len(word)))
        return out

    def continuation_parties(self, obj, sentence_end: int) -> list:
        """Organisations of the next sentence when it continues the act on `obj` (`X由A、B共同创建`)."""
        nxt = self.text[sentence_end:sentence_end + 200]
        m = CONTINUATION.search(nxt)
        if not m:
            return []
        head = nxt[:m.start()].strip("。\n ")
        if not head or not (obj.text.endswith(head) or head in obj.text):
            return []
        a, b = sentence_end + m.start(1), sentence_end + m.end(1)
        return [s for s in self.mentions if s.label_ == "ORG" and a <= s.start_char and s.end_char <= b]
