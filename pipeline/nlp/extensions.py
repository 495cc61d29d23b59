"""The custom attributes zhie sets on spaCy objects, registered in one place."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

# Inputs a caller may set before the components run (zhie_document fills what is left None):
# `region` (CN, TW, HK, MO: the currency of a bare 元) and `published` (YYYY-MM-DD). Set by the
# tokenizer: `converted` (the original text and the offset map back to it), `script`, `words`
# (token texts and tags). Between components: `ner_cuts`, `word_bounds` (zhie_ner), `token_roles`
# (zhie_rules), `aliases` (zhie_mentions). Results: organisations, people, figures, events.
DOC_ATTRS = {
    "region": None,
    "published": None,
    "converted": None,
    "script": "",
    "words": None,
    "ner_cuts": None,
    "word_bounds": None,
    "token_roles": None,
    "latin_terms": None,
    "aliases": None,
    "organisations": None,
    "people": None,
    "figures": None,
    "events": None,
}
SPAN_ATTRS = {"source": ""}
# Token roles for the rule patterns (see pipeline/components/rules.py), with their defaults.
TOKEN_ATTRS = {
    "zhie_suffix": "",
    "zhie_name": False,
    "zhie_core": False,
    "zhie_common": False,
    "zhie_title": False,
    "zhie_proper": False,
}
# zhie_rules keeps the roles in `doc._.token_roles` (token start offset -> {role: value}): one
# dict entry per token instead of an Underscore object per value; they stay with a token's
# start offset when tokens are split.


def doc_value(doc: Doc, name: str):
    """`doc._.<name>` without building an Underscore object: spaCy keeps a Doc extension's value in
    `doc.user_data` under `("._.", name, None, None)`. For the hot paths (token roles read by the
    Matcher for every token, the kept token texts read by every stage)."""
    # spaCy types user_data as dict[str, Any]; its extension keys are tuples.
    return doc.user_data.get(  # type: ignore[call-overload]
        ("._.", name, None, None), DOC_ATTRS.get(name)
    )


def role_getter(name: str, default):
    """A token getter for role `name`, read from `doc._.token_roles` (else `default`)."""

    def get(token: Token):
        roles = doc_value(token.doc, "token_roles")
        values = roles.get(token.idx) if roles else None
        return values.get(name, default) if values else default

    return get


def register() -> None:
    """Register every extension attribute (idempotent)."""
    default: object  # the attributes' defaults: None, strings and bools
    for cls, attrs in ((Doc, DOC_ATTRS), (Span, SPAN_ATTRS)):
        for name, default in attrs.items():
            if not cls.has_extension(name):
                cls.set_extension(name, default=default)
    for name, default in TOKEN_ATTRS.items():
        if not Token.has_extension(name):
            Token.set_extension(name, getter=role_getter(name, default))
