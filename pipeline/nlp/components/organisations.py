"""Organisation stage: the distinct ORG names of an article with their kind.

The kind comes from `rules/org_kinds.tsv` (keywords, first match wins), else from the
suffix the name ends with (`rules/suffixes.tsv`), else from the full name that a short
form abbreviates (`成大` -> `成功大学`), else `company` (brands and short company names).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from zhie.nlp import extensions
from zhie.nlp.components.mentions import MENTIONS_KEY
from zhie.nlp.lexicon import KINDS, Lexicon, RuleFileError, compile_at, load_lexicon, read_columns
from zhie.nlp.names import FullNames, NameForms
from zhie.nlp.spans import text_of
from zhie.resources import resolve_path

DEFAULT_KIND = "company"


@dataclass
class Organisation:
    name: str
    kind: str
    mentions: int
    first_start: int  # offset in the converted text


class KindClassifier:
    """Organisation kind from keyword rules, the name's suffix, or its full form."""

    def __init__(self, lexicon: Lexicon, keyword_rules: list[tuple[re.Pattern, str]]):
        self.lexicon = lexicon
        self.keyword_rules = keyword_rules
        self.names = NameForms(lexicon)

    @classmethod
    def load(cls, rules_dir) -> KindClassifier:
        """The classifier of the rule folder `rules_dir` (org_kinds.tsv and the lexicon)."""
        path = rules_dir / "org_kinds.tsv"
        rules = []
        for number, (pattern, kind) in read_columns(path, 2):
            if kind not in KINDS:
                raise RuleFileError(f"{path}:{number}: unknown kind {kind!r}")
            rules.append((compile_at(f"{path}:{number}", pattern), kind))
        return cls(load_lexicon(rules_dir), rules)

    def own_kind(self, name: str) -> str | None:
        """The kind that `name` itself shows (a keyword rule, a listed company, else its suffix), else None."""
        for pattern, kind in self.keyword_rules:
            if pattern.search(name):
                return kind
        if name in self.lexicon.companies:
            return "company"  # 联发科, 光宝科: a listed company whose end looks like a suffix (科)
        suffix = self.lexicon.name_suffix(name)
        if suffix and suffix[1] == "ORG":
            return suffix[2]
        return None

    def kind(
        self,
        name: str,
        names: list[str],
        aliases: dict[str, str] | None = None,
        full_names: FullNames | None = None,
    ) -> str:
        """The kind of the fullest name the article gives for `name` (中联重科 -> 中联重工…有限公司,
        BSI -> 英国标准协会 when the article writes `英国标准协会（BSI）`); `full_names`: the
        article's names indexed once (`FullNames`)."""
        full = (aliases or {}).get(name) or (
            full_names(name) if full_names is not None else self.names.fullest_name(name, names)
        )
        return self.own_kind(full) or self.own_kind(name) or DEFAULT_KIND


@Language.factory(
    "zhie_organisations",
    assigns=["doc._.organisations"],
    requires=["doc.spans"],
    default_config={"rules_dir": "rules:"},
)
def create_organisations(nlp: Language, name: str, rules_dir: str):
    """Organisation component: fills `doc._.organisations`."""
    extensions.register()
    return OrganisationExtractor(KindClassifier.load(resolve_path(rules_dir)))


class OrganisationExtractor:
    """The zhie_organisations component: the distinct ORG names of a Doc with their kind."""

    def __init__(self, classifier: KindClassifier):
        self.classifier = classifier
        self.outlet_before = classifier.lexicon.pattern("outlet_before")

    def __call__(self, doc: Doc) -> Doc:
        found: dict[str, list[int]] = {}
        for span in doc.spans[MENTIONS_KEY]:
            if span.label_ == "ORG":
                found.setdefault(span.text, []).append(span.start_char)
        names = list(found)
        full_names = FullNames(names, self.classifier.names)
        aliases = doc._.aliases
        text = text_of(doc)
        doc._.organisations = [
            Organisation(
                name,
                "media"
                if self.classifier.own_kind(name) is None
                and all(self.outlet_before.search(text, max(0, s - 8), s) for s in starts)
                else self.classifier.kind(name, names, aliases, full_names),  # only 来源：e飞蚁
                len(starts),
                min(starts),
            )
            for name, starts in found.items()
        ]
        return doc
