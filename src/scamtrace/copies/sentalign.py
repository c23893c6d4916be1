"""Sentence alignment of a rewrite (``copies.sentalign-v2``).

A rewrite (a human rewrite of wire copy, an LLM rewrite, a student's heavy revision of a source) keeps
its source's sentences one by one, in order, each reworded: few five-word phrases survive, but most of
the *content words* of a sentence do ("inheritance ... derived classes ... attributes and behaviour").
:func:`align_sentences` finds, for each sentence of the shorter text, the sentence of the other that
contains most of its content terms, and reports how much of the shorter text is aligned in one
increasing order.

What counts, and what does not (issue 12):

* **content terms** are words written in lower case (so not names, not numbers), not stopwords, of
  :data:`TERM_MIN_CHARS` letters or more, cut to their first :data:`TERM_STEM_CHARS` letters (a crude,
  language-independent stem: "repatriated" and "repatriation" meet). Names and numbers are what
  independent reports of one event share; the kept wording around them is what a rewrite shares.
* **quotations** are set aside: a sentence mostly inside quotation marks is a third party's words,
  which independent reports quote too.
* the alignment counts only when it is long (:data:`SENT_MIN_ALIGNED` sentences), covers a large
  share of the shorter text and keeps its order (``copies.classify-v9`` rule, in
  :mod:`.classify`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .align import heaviest_chain
from .tokens import STOPWORDS, normalize, quote_regions, sentence_spans

SENTALIGN_ALGORITHM = "copies.sentalign-v2"

# Content terms. Set on Clough-Stevenson (source vs heavy/light/non answers) and ECB+ (pairs of one
# topic): stems of 5 letters found 8 of 19 heavy answers with no non answer and no pair across the two
# events of a topic; 6 letters gave the same on ECB+ and Clough-Stevenson.
TERM_STEM_CHARS = 5
TERM_MIN_CHARS = 3
# A sentence is a quotation when this share of its characters lies inside quotation marks, or when it holds an odd
# number of quotation marks (a piece of a quotation over several sentences or paragraphs, as ECB+ prints them).
QUOTE_SENTENCE_SHARE = 0.5
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
# A sentence of the shorter text is aligned to the sentence of the other holding the largest share of
# its content terms, when that share is at least SENT_MIN_CONTAINMENT and at least SENT_MIN_SHARED
# terms (sentences with fewer than SENT_MIN_SHARED terms are not aligned: "He said so.").
SENT_MIN_SHARED = 3
SENT_MIN_CONTAINMENT = 0.5
# Texts whose sentences are kept between pairs (an engine compares a text with all its candidates in turn).
SENTENCE_CACHE_TEXTS = 2048


@dataclass(frozen=True, slots=True)
class _Sentence:
    words: int
    terms: frozenset[str]
    quoted: bool


@dataclass(slots=True)
class SentenceAlignment:
    """How the sentences of the shorter text (``shorter``: "a" or "b") align with the other's.

    ``coverage``: words of the shorter text's unquoted sentences in the longest increasing chain of
    aligned sentences, over all its unquoted words; ``order``: that chain's words over all aligned
    words; ``aligned`` / ``in_order``: sentence counts; ``pairs``: (sentence of the shorter, sentence
    of the other) of the chain.
    """

    shorter: str
    sentences: int
    aligned: int
    in_order: int
    coverage: float
    order: float
    pairs: list[tuple[int, int]] = field(default_factory=list)

    def evidence(self) -> dict[str, Any]:
        return {"algorithm": SENTALIGN_ALGORITHM, "shorter": self.shorter, "sentences": self.sentences,
                "aligned": self.aligned, "in_order": self.in_order, "coverage": round(self.coverage, 4),
                "order": round(self.order, 4), "pairs": [list(p) for p in self.pairs[:30]]}


def content_terms(raw_words: list[str]) -> list[str]:
    """Content terms of a list of words as written (see the module doc), in order."""
    return [w[:TERM_STEM_CHARS].lower() for w in raw_words
            if len(w) >= TERM_MIN_CHARS and w[0].islower() and w.lower() not in STOPWORDS]


@lru_cache(maxsize=SENTENCE_CACHE_TEXTS)
def _sentences(text: str, normalized: bool = False) -> tuple[_Sentence, ...]:
    """The sentences of ``text`` with their content terms (cached: a text is aligned with each of its candidates);
    ``normalized``: ``text`` is already :func:`~.tokens.normalize` d (a :class:`~.features.Pair`'s texts are)."""
    t = text if normalized else normalize(text)
    quotes = quote_regions(t)
    out = []
    for a, b in sentence_spans(t):
        raw = _WORD_RE.findall(t, a, b)
        inside = sum(max(0, min(b, e) - max(a, s)) for s, e in quotes) if quotes else 0
        # an odd number of quotation marks: one piece of a quotation running over several sentences
        quoted = inside >= QUOTE_SENTENCE_SHARE * max(1, b - a) or t.count('"', a, b) % 2 == 1
        out.append(_Sentence(len(raw), frozenset(content_terms(raw)), quoted))
    return tuple(out)


def align_sentences(text_a: str, text_b: str, *, normalized: bool = False) -> SentenceAlignment:
    """Align the sentences of the shorter text (in unquoted words) with the other's (module doc); ``normalized``:
    both texts are already normalised (skips that step; the result is the same)."""
    sa, sb = _sentences(text_a, normalized), _sentences(text_b, normalized)
    wa = sum(s.words for s in sa if not s.quoted)
    wb = sum(s.words for s in sb if not s.quoted)
    shorter = "a" if wa <= wb else "b"
    short, other, words = (sa, sb, wa) if shorter == "a" else (sb, sa, wb)
    where: dict[str, list[int]] = {}     # content term -> the other's (unquoted) sentences holding it
    for j, o in enumerate(other):
        if not o.quoted and len(o.terms) >= SENT_MIN_SHARED:
            for term in o.terms:
                where.setdefault(term, []).append(j)
    pairs: list[tuple[int, int, int]] = []
    for i, s in enumerate(short):
        if s.quoted or len(s.terms) < SENT_MIN_SHARED:
            continue
        counts: dict[int, int] = {}
        for term in s.terms:
            for j in where.get(term, ()):
                counts[j] = counts.get(j, 0) + 1
        # the sentence holding most of its terms (the first of equals)
        bj, n = max(counts.items(), key=lambda kv: (kv[1], -kv[0]), default=(-1, 0))
        if n >= SENT_MIN_SHARED and n / len(s.terms) >= SENT_MIN_CONTAINMENT:
            pairs.append((i, bj, s.words))
    # the heaviest chain (by words): i increasing as found, j strictly increasing
    chain = heaviest_chain(pairs, lambda p: p[2], lambda p, q: p[1] < q[1])
    in_words = sum(w for _, _, w in chain)
    aligned_words = sum(w for _, _, w in pairs)
    return SentenceAlignment(shorter, sum(1 for s in short if not s.quoted), len(pairs), len(chain),
                             in_words / words if words else 0.0, in_words / aligned_words if aligned_words else 0.0,
                             [(i, j) for i, j, _ in chain])
