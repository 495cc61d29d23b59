"""The custom attributes zhie sets on spaCy objects, registered in one place."""
from __future__ import annotations

from spacy.tokens import Doc, Span, Token

DOC_ATTRS = {"region": None, "published": None, "organisations": None, "people": None, "figures": None, "events": None}
SPAN_ATTRS = {"source": ""}
TOKEN_ATTRS = {"zhie_suffix": "", "zhie_name": False, "zhie_core": False, "zhie_common": False, "zhie_title": False, "zhie_proper": False}


def register() -> None:
    """Register every extension attribute (idempotent)."""
    for cls, attrs in ((Doc, DOC_ATTRS), (Span, SPAN_ATTRS), (Token, TOKEN_ATTRS)):
        for name, default in attrs.items():
            if not cls.has_extension(name):
                cls.set_extension(name, default=default)
