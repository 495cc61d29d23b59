"""Default rule and lexicon files of zhie (data, not code); see README.md here."""
