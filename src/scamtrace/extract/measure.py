"""What a figure counts (its *measure*): the head noun of ``Figure.what`` and when two such phrases
name the same thing. Used by the knowledge stage to merge figures into facts
(:mod:`scamtrace.knowledge.merge`) and by corpus dating (:mod:`scamtrace.extract.corpus_dates`)."""
from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

# Set on the seed gold (tests/gold/seeds_figures.jsonl): "suspects handed over" vs "suspects" and
# "people repatriated" vs "people sent back" join; "key players" vs "suspects" do not.
WHAT_SIMILARITY = 70

_STOP = {"of", "the", "a", "an", "and", "to", "in", "on", "for", "from", "who", "were", "was", "had", "have",
         "been", "are", "is", "by", "with", "at", "their", "its", "as"}


@lru_cache(maxsize=1 << 16)   # a pass compares each phrase with many others
def head_noun(what: str) -> str:
    """The counted noun: the first content word of ``what`` ("suspects handed over" -> "suspect")."""
    for w in re.findall(r"[a-z]+", what.lower()):
        if w not in _STOP:
            return w[:-1] if len(w) > 3 and w.endswith("s") else w
    return ""


def same_what(a: str, b: str) -> bool:
    """Do two "what" phrases count the same thing (same head noun, or token-set ratio >= WHAT_SIMILARITY)?"""
    if not a or not b:
        return False
    return head_noun(a) == head_noun(b) or fuzz.token_set_ratio(a.lower(), b.lower()) >= WHAT_SIMILARITY
