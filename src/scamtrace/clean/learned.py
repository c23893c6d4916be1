"""Per-outlet learned boilerplate: lines one outlet repeats on many of its pages.

A line repeated on at least ``min_pages`` distinct pages of ONE outlet is that outlet's
boilerplate (a donation appeal, a footer, a standing disclaimer). A line found on pages of two or
more outlets is NOT learned: shared text across outlets is evidence of copying, which later stages
must see.
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from ..settings import Settings
from .text import paragraph_key, short_paragraph_key, split_paragraphs

__all__ = ["BOILERPLATE_MODEL", "BoilerplateModel", "page_digest", "page_keys"]

BOILERPLATE_MODEL = "clean.boilerplate-model-v1"

# Paragraphs longer than this are never learned: an outlet re-running a story (updates, live
# pages) repeats whole news paragraphs, which are content. Donation appeals on seed 000 are <= 60.
MAX_LEARNED_WORDS = 80


def page_digest(text: str) -> str:
    """The digest a page is counted under (identical texts of one outlet count once)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def page_keys(text: str) -> set[str]:
    """The keys of the lines of a page that may be learned (short paragraphs)."""
    keys = {short_paragraph_key(p, MAX_LEARNED_WORDS) for p in split_paragraphs(text)}
    return {k for k in keys if k}


class BoilerplateModel:
    """Learned per-outlet boilerplate lines. Fit with (outlet, text) pairs, then :meth:`strip`."""

    def __init__(self, min_pages: int | None = None):
        setting_default = Settings()["boilerplate_min_pages"]
        self.min_pages: int = Settings(boilerplate_min_pages=min_pages)["boilerplate_min_pages"] \
            if min_pages is not None else setting_default
        self.lines: dict[str, set[str]] = {}       # outlet -> paragraph keys
        self.pages_seen: dict[str, int] = {}

    def fit(self, docs: Iterable[tuple[str, str]]) -> BoilerplateModel:
        """Learn from ``(outlet, text)`` pairs; identical texts count once. Replaces earlier fits.

        Raises :class:`ValueError` when an outlet is empty or not a string.
        """
        pages: dict[str, dict[str, set[str]]] = defaultdict(dict)   # outlet -> page hash -> keys
        for outlet, text in docs:
            if not isinstance(outlet, str) or not outlet.strip():
                raise ValueError(f"BoilerplateModel.fit needs a non-empty outlet name for every page, got {outlet!r}")
            pages[outlet.strip()][page_digest(text)] = page_keys(text)
        outlets_of: dict[str, set[str]] = defaultdict(set)
        counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for outlet, by_page in pages.items():
            for keys in by_page.values():
                for key in keys:
                    counts[outlet][key] += 1
                    outlets_of[key].add(outlet)
        self.pages_seen = {outlet: len(by_page) for outlet, by_page in pages.items()}
        self.lines = {
            outlet: {k for k, n in c.items() if n >= self.min_pages and len(outlets_of[k]) == 1}
            for outlet, c in counts.items()
        }
        self.lines = {o: ks for o, ks in self.lines.items() if ks}
        return self

    def is_boilerplate(self, outlet: str | None, paragraph: str) -> bool:
        """True when ``paragraph`` is a learned boilerplate line of ``outlet``."""
        return bool(outlet) and paragraph_key(paragraph) in self.lines.get(outlet.strip(), ())

    def strip(self, outlet: str | None, paragraphs: list[str]) -> tuple[list[str], list[str]]:
        """Split ``paragraphs`` into (kept, removed) by the learned lines of ``outlet``."""
        kept: list[str] = []
        removed: list[str] = []
        for p in paragraphs:
            (removed if self.is_boilerplate(outlet, p) else kept).append(p)
        return kept, removed

    def to_json(self) -> str:
        """Serialise (sorted, so equal models give equal strings)."""
        return json.dumps({"algorithm": BOILERPLATE_MODEL, "min_pages": self.min_pages,
                           "pages_seen": dict(sorted(self.pages_seen.items())),
                           "lines": {o: sorted(ks) for o, ks in sorted(self.lines.items())}},
                          ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, data: str) -> BoilerplateModel:
        """Rebuild a model from :meth:`to_json` output. Raises :class:`ValueError` on another
        algorithm version or a malformed document."""
        try:
            obj: Any = json.loads(data)
        except json.JSONDecodeError as exc:
            raise ValueError(f"boilerplate model is not valid JSON: {exc}") from None
        if not isinstance(obj, dict) or obj.get("algorithm") != BOILERPLATE_MODEL:
            found = obj.get("algorithm") if isinstance(obj, dict) else type(obj).__name__
            raise ValueError(f"boilerplate model must have algorithm {BOILERPLATE_MODEL!r}, got {found!r}; refit it")
        lines = obj.get("lines")
        if not isinstance(lines, dict) or not all(isinstance(v, list) for v in lines.values()):
            raise ValueError("boilerplate model 'lines' must map outlet names to lists of lines; refit it")
        model = cls(min_pages=int(obj.get("min_pages", Settings()["boilerplate_min_pages"])))
        model.lines = {o: set(map(str, ks)) for o, ks in lines.items()}
        model.pages_seen = {str(o): int(n) for o, n in obj.get("pages_seen", {}).items()}
        return model

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BoilerplateModel) and self.to_json() == other.to_json()

    def __repr__(self) -> str:
        return f"BoilerplateModel(min_pages={self.min_pages}, outlets={len(self.lines)}, lines={sum(map(len, self.lines.values()))})"
