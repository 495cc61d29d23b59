"""Region of an article (CN, TW, HK, MO): which currency a bare 元 means.

The cues are data (`rules/regions.tsv`): each region's regex is counted on the converted text
of a Traditional-script article and the region with the most matches wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from zhie.nlp.lexicon import RuleFileError, compile_at, read_columns

DEFAULT_REGION = "CN"


@dataclass
class Regions:
    """Regions with their currency and cues, in file order."""

    currency: dict[str, str]
    cues: list[tuple[str, re.Pattern]]

    @classmethod
    def load(cls, path: Path) -> Regions:
        """The regions of `path` (regions.tsv), validated."""
        currency, cues = {}, []
        for number, (region, code, regex) in read_columns(path, 3):
            if not re.fullmatch(r"[A-Z]{2}", region) or not re.fullmatch(r"[A-Z]{3}", code):
                raise RuleFileError(
                    f"{path}:{number}: expected a two-letter region and an ISO 4217 code, "
                    f"got {region!r} {code!r}"
                )
            currency[region] = code
            if regex != "-":
                cues.append((region, compile_at(f"{path}:{number}", regex)))
        if DEFAULT_REGION not in currency:
            raise RuleFileError(f"{path}: no line for the default region {DEFAULT_REGION}")
        return cls(currency, cues)

    def region_of(self, script: str, text: str) -> str:
        """Traditional text about Taiwan is TW (Hong Kong HK, Macau MO); everything else,
        Traditional text about the mainland included, is CN."""
        if script == "simplified" or not self.cues:
            return DEFAULT_REGION
        counts = {region: len(pattern.findall(text)) for region, pattern in self.cues}
        region, count = max(counts.items(), key=lambda item: item[1])
        return region if count else DEFAULT_REGION
