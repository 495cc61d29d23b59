"""zhie: information extraction from Chinese news articles into tidy tables."""

__version__ = "0.1.0"
