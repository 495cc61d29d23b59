"""The custom attributes zhie sets on spaCy objects, registered in one place."""
from __future__ import annotations

from spacy.tokens import Doc, Span, Token

DOC_ATTRS = {"region": None, "published": None, "organisations": None, "people": None, "figures": None, "events": None}
SPAN_ATTRS = {"source": ""}
# Token roles for the rule patterns (see pipeline/components/rules.py), with their defaults.
TOKEN_ATTRS = {"zhie_suffix": "", "zhie_name": False, "zhie_core": False, "zhie_common": False, "zhie_title": False, "zhie_proper": False}
# zhie_rules keeps the roles in doc.user_data[ROLES_KEY] (token start offset -> {role: value}):
# one dict entry per token instead of an Underscore object per value. Like spaCy's own
# extension values they stay with a token's start offset when tokens are split.
ROLES_KEY = "zhie_token_roles"


def role_getter(name: str, default):
    def get(token: Token):
        roles = token.doc.user_data.get(ROLES_KEY)
        values = roles.get(token.idx) if roles else None
        return values.get(name, default) if values else default

    return get


def register() -> None:
    """Register every extension attribute (idempotent)."""
    for cls, attrs in ((Doc, DOC_ATTRS), (Span, SPAN_ATTRS)):
        for name, default in attrs.items():
            if not cls.has_extension(name):
                cls.set_extension(name, default=default)
    for name, default in TOKEN_ATTRS.items():
        if not Token.has_extension(name):
            Token.set_extension(name, getter=role_getter(name, default))
