"""Tokens, sentences and "facts" shared by every copies algorithm (one implementation, also used by Spark).

All functions are pure and deterministic. Offsets are character offsets into the text given.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

TOKENS_ALGORITHM = "copies.tokens-v1"

_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_NUM_RE = re.compile(r"\d[\d,.]*\d|\d")
_SENT_END_RE = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|\n\s*\n")

# Function words: spinners keep them (they only swap content words), so n-grams over them survive spinning.
STOPWORDS: frozenset[str] = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves said says say according while since though although
    however may might must shall us one two""".split()
)

_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def normalize(text: str) -> str:
    """NFKC, fold typographic quotes/dashes, collapse spaces (keeps newlines)."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    return re.sub(r"[ \t\r\f\v]+", " ", text)


@dataclass(frozen=True, slots=True)
class Token:
    norm: str      # lower-cased form
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """Word tokens with their offsets in ``text`` (lower-cased, apostrophes folded)."""
    return [Token(m.group().lower().replace("’", "'"), m.start(), m.end()) for m in _WORD_RE.finditer(text)]


def count_words(text: str) -> int:
    """``len(tokens(text))`` without building the tokens."""
    return sum(1 for _ in _WORD_RE.finditer(text))


def words(text: str) -> list[str]:
    """Lower-cased word tokens."""
    return [m.group().lower().replace("’", "'") for m in _WORD_RE.finditer(text)]


# A quotation in a normalised text (typographic quotes folded to straight ones): 8-1,500 characters between two
# marks on one line, the closing mark never directly followed by a letter or digit (else it is the next quotation's
# opening mark: a quote left open before the next one opens; copies.classify-v12). One definition for every reader
# of quotations in the copies package (classify, sentalign-v2, storyctx-v2).
QUOTED_RE = re.compile(r'"[^"\n]{8,1500}"(?![^\W_])')


def quote_regions(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quotation of a normalised ``text`` (:data:`QUOTED_RE`)."""
    return [(m.start(), m.end()) for m in QUOTED_RE.finditer(text)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; paragraph breaks always end a sentence."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END_RE.finditer(text):
        if text[start:m.start()].strip():
            spans.append(_strip_span(text, start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append(_strip_span(text, start, len(text)))
    return spans


def _strip_span(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


@dataclass(frozen=True, slots=True)
class TokenFact:
    """A token that paraphrase keeps: a number, a capitalised name word, or a quoted word.

    ``kind`` is "num", "name" or "quote"; ``value`` is normalised (numbers without separators).
    """

    kind: str
    value: str
    start: int
    end: int


_CAP_RE = re.compile(r"\b[A-Z][\w'’-]*[a-z0-9][\w'’-]*\b|\b[A-Z]{2,}\b")
_QUOTE_RE = re.compile(r"[\"“]([^\"“”]{3,400})[\"”]")


def facts(text: str) -> list[TokenFact]:
    """Ordered facts of ``text``: numbers, capitalised words not at a sentence start, quoted words.

    Capitalised words that open a sentence are kept only when they also occur capitalised
    elsewhere in the text (so "The" at a sentence start is not a name, "Zhang" is).
    """
    out: list[TokenFact] = []
    starts = {a for a, _ in sentence_spans(text)}
    caps_mid = set()
    for m in _CAP_RE.finditer(text):
        if m.start() not in starts:
            caps_mid.add(m.group())
    for m in _NUM_RE.finditer(text):
        v = m.group().replace(",", "").rstrip(".")
        out.append(TokenFact("num", v, m.start(), m.end()))
    for m in _CAP_RE.finditer(text):
        w = m.group()
        if w.lower() in STOPWORDS:
            continue
        if m.start() in starts and w not in caps_mid:
            continue
        out.append(TokenFact("name", w.lower().replace("’", "'"), m.start(), m.end()))
    for m in _QUOTE_RE.finditer(text):
        for t in _WORD_RE.finditer(m.group(1)):
            lw = t.group().lower()
            if lw not in STOPWORDS and len(lw) > 3:
                s = m.start(1) + t.start()
                out.append(TokenFact("quote", lw, s, s + len(t.group())))
    out.sort(key=lambda f: (f.start, f.kind))
    return out
