"""Paragraph and sentence spans, without a model.

Paragraphs are separated by one or more line breaks (cleaned articles use blank lines; some raw
inputs use single newlines). Sentences end at ``.``/``!``/``?`` (optionally followed by a closing
quote or bracket) before whitespace and an opening quote, bracket, capital or digit, unless the
period belongs to a known abbreviation ("Nov.", "U.S.", "Mr.") or a single initial.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

#: A (start, end) range of character offsets into the text, end exclusive (a paragraph, a sentence).
CharRange = tuple[int, int]

_PARA_BREAK = re.compile(r"\n\s*")
_ABBREVIATIONS = frozenset(
    "jan feb mar apr jun jul aug sep sept oct nov dec mr mrs ms dr prof gen col lt sgt st no vs "
    "co corp inc ltd jr sr rep sen gov u.s u.k u.n e.g i.e etc approx est "
    "maj capt brig cmdr adm pol supt insp cpl pvt lieut gov ft mt".split()
)
_SENT_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"“‘(\[A-Z0-9—–-])")
QUOTE_CHARS = "\"“”"


def paragraphs(text: str) -> list[CharRange]:
    """Spans of non-empty paragraphs, stripped of surrounding whitespace."""
    spans: list[CharRange] = []
    pos = 0
    for m in _PARA_BREAK.finditer(text):
        spans.extend(_strip_span(text, pos, m.start()))
        pos = m.end()
    spans.extend(_strip_span(text, pos, len(text)))
    return spans


def _strip_span(text: str, start: int, end: int) -> list[CharRange]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [(start, end)] if end > start else []


def is_abbreviation(text: str, dot: int) -> bool:
    """True when the period at ``dot`` closes an abbreviation or initial rather than a sentence."""
    if text[dot] != ".":
        return False
    j = dot
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    word = text[j:dot].lower()
    if not word:
        return False
    if word in _ABBREVIATIONS:
        return True
    return len(word) == 1 and text[j].isupper()


def sentences_in(text: str, start: int, end: int) -> Iterator[CharRange]:
    """Sentence spans within ``text[start:end]`` (a paragraph)."""
    pos = start
    for m in _SENT_END.finditer(text, start, end):
        if is_abbreviation(text, m.start()) and m.group().startswith(".") and len(m.group()) == 1:
            continue
        yield from _strip_span(text, pos, m.end())
        pos = m.end()
    yield from _strip_span(text, pos, end)


def sentences(text: str) -> list[CharRange]:
    """Sentence spans of the whole text; a sentence never crosses a paragraph boundary."""
    out: list[CharRange] = []
    for ps, pe in paragraphs(text):
        out.extend(sentences_in(text, ps, pe))
    return out


def span_containing(spans: list[CharRange], pos: int) -> CharRange | None:
    """The span that contains offset ``pos`` (spans sorted and disjoint), else None."""
    lo, hi = 0, len(spans)
    while lo < hi:
        mid = (lo + hi) // 2
        s, e = spans[mid]
        if pos < s:
            hi = mid
        elif pos >= e:
            lo = mid + 1
        else:
            return spans[mid]
    return None
