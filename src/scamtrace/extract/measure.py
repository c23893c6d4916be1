"""What a figure counts (its *measure*): the head noun of ``Figure.what`` and when two such phrases
name the same thing. Used by the knowledge stage to merge figures into facts
(:mod:`scamtrace.knowledge.merge`) and by corpus dating (:mod:`scamtrace.extract.corpus_dates`)."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

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


#: Units of a figure that describe a person or a thing (its age, its size: "a 240-page report", "a
#: 25-storey building", "the 7.9-hectare property") rather than count what happened. Two different
#: people or things share such a value by chance (two 22-year-old suspects), so it never links two
#: events (``extract.events-merge-v3``), and two ages are one fact only when they are the same
#: person's (:func:`same_person`, ``knowledge.figures-v3``).
PROPERTY_UNITS = frozenset({"age", "pages", "storeys", "hectares", "acres", "km2"})


def age_person(what: str) -> str | None:
    """The person an age figure belongs to, as the extractor recorded it in ``what`` ("age of
    Tomonari Yachi" -> "tomonari yachi"; case and spaces folded), or None ("age": nobody named)."""
    head, sep, who = what.partition(" of ")
    who = " ".join(who.split()).lower()
    return who if sep and head.strip().lower() == "age" and who else None


def sentence_words(sentence: str) -> list[str]:
    """A sentence's words, lower-cased: two mentions whose sentences give the same words are copies of one
    sentence (:func:`same_person`; the events' link by an age or a size, ``extract.events-merge-v3``)."""
    return re.findall(r"\w+", sentence.lower())


def _number_at(fig: Any) -> int | None:
    """Which word of its sentence a figure's number is (None when its offsets are not in the sentence:
    a headline's figure)."""
    at = getattr(fig, "start", None)
    s0 = getattr(fig, "sentence_start", None)
    if not isinstance(at, int) or not isinstance(s0, int) or not 0 <= at - s0 <= len(fig.sentence):
        return None
    return len(sentence_words(fig.sentence[:at - s0]))


def same_person(a: Any, b: Any) -> bool:
    """Are two ages (figures of the same value) about the same person?

    Yes when the extractor named the same person for both (``what`` "age of Tomonari Yachi" twice,
    case and spaces aside). When it named two different people, no. When it named nobody for one of
    them, yes only if one sentence is the other, or the start of it, word for word, with the number at
    the same word (a copy, or a copy cut short, of the same mention: "22 years old with ID card,
    typing very slow." / "... slow,” one ad read"). So "Shoki Ishikawa, 32, and Tomonari Yachi, 22"
    and "Fan, a 22-year-old from China" in one story are two people, not one corroborated age.
    """
    pa, pb = age_person(a.what), age_person(b.what)
    if pa is not None and pb is not None:
        return pa == pb
    wa, wb = sentence_words(a.sentence), sentence_words(b.sentence)
    n = min(len(wa), len(wb))
    if n == 0 or wa[:n] != wb[:n]:
        return False
    ia, ib = _number_at(a), _number_at(b)
    return ia is None or ib is None or ia == ib
