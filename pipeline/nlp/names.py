"""Name helpers shared by the stages: short forms, aliases and full names of organisations."""

from __future__ import annotations

from zhie.nlp.lexicon import Lexicon


class NameForms:
    """Short forms of company names, with the legal suffixes and industry words of the rules
    (patterns `legal_suffix` and `industry_words` of `rules/patterns.tsv`)."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self.legal_suffix = lexicon.pattern("legal_suffix")
        self.industry_words = lexicon.pattern("industry_words")
        self.cache: dict[str, list[str]] = {}

    def aliases(self, name: str) -> list[str]:
        """Short forms of a company name: without its legal suffix, then without trailing industry
        words (`宏齐科技股份有限公司` -> `宏齐科技`, `宏齐`; `华硕电脑` -> `华硕`)."""
        cached = self.cache.get(name)
        if cached is not None:
            return cached
        out = []
        legal, industry = self.legal_suffix, self.industry_words
        full = name
        core = legal.sub("", name) if legal.search(name) else industry.sub("", name)
        while core != name and len(core) >= 2:
            out.append(core)
            name, core = core, industry.sub("", core)
        if len(self.cache) > 10_000:
            self.cache.clear()
        self.cache[full] = out
        return out

    def fullest_name(self, name: str, names: list[str]) -> str:
        """The longest name of `names` that `name` is a short form of, else `name` itself.

        A short form abbreviates the full name (`经发局`) or is it without its legal suffix and
        industry words (`宏齐科技` of `宏齐科技股份有限公司`); a sub-unit (`台南市政府农业局`) is
        another organisation, not a fuller name of `台南市政府`.
        """
        best = name
        for other in names:
            if len(other) > len(best) and (
                name in self.aliases(other) or self.abbreviates(name, other)
            ):
                best = other
        return best

    def abbreviates(self, short: str, full: str) -> bool:
        """`is_abbreviation(short, full)`, unless `short` is a place and the same suffix, the
        place's own body (`澳门大学` beside `澳门旅游大学`, `北京大学` beside `北京师范大学`); a
        government keeps its short forms (`青岛市政府` of `青岛市人民政府`)."""
        if not is_abbreviation(short, full):
            return False
        suffix = self.lexicon.name_suffix(short)
        if suffix is None or suffix[2] == "government" or not full.endswith(suffix[0]):
            return True
        place = short[: len(short) - len(suffix[0])]
        return not (place in self.lexicon.places and full.startswith(place))


def is_abbreviation(short: str, full: str, bracketed: bool = False) -> bool:
    """`short` is a short form of `full`: its characters appear in order, the first one first.

    `经发局` / `经济发展局`, `成大` / `成功大学`, `南市府` / `台南市政府`, `亚总` / `亚洲台湾商会联合总会`.
    A short form of three characters or more whose first two characters stand together there
    (`南市府`), or one the text writes in brackets right after the full name (`bracketed`:
    `国立成功大学（成大）`), may start within its first three.
    """
    if len(short) >= len(full) or len(short) < 2 or full.startswith(short):
        return False  # a prefix is the same name with more words (`研考会-智慧发展中心`), not a short form
    if short[0] != full[0]:
        inside = full.find(short[0], 0, 3)
        if inside < 0 or not (
            bracketed or (len(short) >= 3 and full.startswith(short[:2], inside))
        ):
            return False  # 深交所 is no short form of 沪深证券交易所: 深 and 交 stand apart there
    pos = 0
    for ch in short:
        pos = full.find(ch, pos)
        if pos < 0:
            return False
        pos += 1
    return True


class FullNames:
    """`NameForms.fullest_name(name, names)` for one article's `names`, indexed once: candidates are looked
    up by the characters a short form may start with (the first three of a full name) instead
    of scanning every name, aliases are computed once per name, and answers are cached. Same
    results as `fullest_name`, in time about linear in the number of names."""

    def __init__(self, names: list[str], forms: NameForms):
        self.forms = forms
        self.names = list(names)
        self.by_char: dict[str, list[int]] = {}
        for i, other in enumerate(self.names):
            for ch in set(other[:3]):
                self.by_char.setdefault(ch, []).append(i)
        self._aliases: dict[int, list[str]] = {}
        self._cache: dict[str, str] = {}

    def aliases_of(self, i: int) -> list[str]:
        """The short forms of the article's name number `i` (computed once)."""
        found = self._aliases.get(i)
        if found is None:
            found = self._aliases[i] = self.forms.aliases(self.names[i])
        return found

    def __call__(self, name: str) -> str:
        best = self._cache.get(name)
        if best is not None:
            return best
        best = name
        if name:
            # a short form starts with the full name's first character, or (three characters or
            # more) with one of its first three; an alias (a prefix) starts with the first
            for i in self.by_char.get(name[0], ()):
                other = self.names[i]
                if len(other) > len(best) and (
                    name in self.aliases_of(i) or self.forms.abbreviates(name, other)
                ):
                    best = other
        self._cache[name] = best
        return best


class ParkShortForms:
    """The short form of a science park that news write as the first character of its place and
    one of the suffix (`台南柳营科技园区` -> `柳科`, `新竹科学园区` -> `竹科`): the place is the
    name's body after the city or county before it (patterns `science_park` and `phase`, list
    `science_park_short`)."""

    def __init__(self, lexicon: Lexicon):
        self.places = lexicon.places
        self.science_park = lexicon.pattern("science_park")
        self.phase = lexicon.pattern("phase")
        self.short = lexicon.words("science_park_short")[0]

    def __call__(self, name: str) -> str:
        phase = self.phase.search(name)  # 台南柳营科技园区三期
        if phase and phase.end() == len(name):
            name = name[: phase.start()]
        m = self.science_park.search(name)
        if not m or m.start() < 2:
            return ""
        body = name[: m.start()]
        for size in range(
            min(len(body) - 2, 6), 1, -1
        ):  # 台南|柳营: the park's own place after the city
            if body[:size] in self.places:
                body = body[size:]
                break
        return body[0] + self.short if len(body) == 2 else ""
