"""Pair features for copy detection: small functions, each returning ``(score, evidence)``.

Every feature reads a :class:`Pair`, which tokenises and aligns the two texts once (lazily) so
features can be combined freely without recomputation. Scores are in [0, 1]; symmetric features
say so in their docstring. Algorithm: ``copies.features-v2`` (v2 adds :func:`fact_order`).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..clean.datelines import WIRE_AGENCIES, Dateline, find_datelines
from ..model import Article
from .align import (
    FactAlignment,
    PassageAlignment,
    Span,
    SpunAlignment,
    align_facts,
    align_passages,
    align_spun,
    heaviest_chain,
    key_facts,
)
from .tokens import STOPWORDS, Token, TokenFact, normalize, tokens

# v2: fact_order; v3: more wire agencies; v4: the wire dateline of credit_dateline is read by clean.datelines
# (places in capitals of any script, a region before the date, a date stamp before the place; at most four
# words of place: the realnews-dev text "INCHEON, South Korea, Jan 23 (Reuters) -" now gives its credit)
FEATURES_ALGORITHM = "copies.features-v4"

Feature = tuple[float, dict[str, Any]]

# Word shingle size for Jaccard (the classic near-duplicate measure; reported, not decisive).
JACCARD_SHINGLE_WORDS = 5
# Stopword n-gram size: spinners keep function words, so 8-grams over the stopword skeleton
# survive spinning but not rewriting (Stamatatos 2011). Set on seed 003 vs a synthetic spin of 000.
STOPWORD_NGRAM = 8
_AGENCY_ALT = "|".join(re.escape(a) for a in WIRE_AGENCIES)
# "(Reuters)": a text without an agency's credit in parentheses has no wire dateline (a quick test first).
_AGENCY_CREDIT_RE = re.compile(r"\((?:" + _AGENCY_ALT + r")\)")
_CREDIT_LINE_RE = re.compile(r"\b(" + _AGENCY_ALT + r")\s+(?:researcher|writers?|reporters?|correspondents?|journalists?)\b")
_NUM_RE = re.compile(r"\d[\d,.]*\d|\d")
_QUOTE_RE = re.compile(r"[\"“]([^\"“”]{12,600})[\"”]")


@dataclass(slots=True)
class Side:
    """One text of a pair, prepared once."""

    text: str
    toks: list[Token] = field(default_factory=list)

    @classmethod
    def of(cls, text: str) -> "Side":
        t = normalize(text)
        return cls(t, tokens(t))

    @property
    def words(self) -> list[str]:
        return [t.norm for t in self.toks]


@dataclass(slots=True)
class Prepared:
    """An article prepared once for many pairs (tokens and key facts), see :func:`prepare`."""

    article: Article
    side: Side
    facts: list[TokenFact]


def prepare(article: Article) -> Prepared:
    """Tokenise an article and extract its key facts once, for use in many :class:`Pair` s."""
    side = Side.of(article.text)
    return Prepared(article, side, key_facts(side.text))


class Pair:
    """Two texts and their (lazily computed, cached) alignments.

    Each side may be a text, an :class:`Article` or a :class:`Prepared` article (no re-tokenising).
    """

    def __init__(self, a: str | Article | Prepared, b: str | Article | Prepared):
        self.article_a, self.a = self._side(a)
        self.article_b, self.b = self._side(b)
        if isinstance(a, Prepared):
            self.__dict__["facts_a"] = a.facts
        if isinstance(b, Prepared):
            self.__dict__["facts_b"] = b.facts

    @staticmethod
    def _side(x: str | Article | Prepared) -> tuple[Article | None, Side]:
        if isinstance(x, Prepared):
            return x.article, x.side
        if isinstance(x, Article):
            return x, Side.of(x.text)
        return None, Side.of(x)

    @cached_property
    def passages(self) -> PassageAlignment:
        return align_passages(self.a.text, self.b.text, ta=self.a.toks, tb=self.b.toks)

    @cached_property
    def spun(self) -> SpunAlignment:
        return align_spun(self.a.text, self.b.text, ta=self.a.toks, tb=self.b.toks)

    @cached_property
    def facts_a(self) -> list[TokenFact]:
        return key_facts(self.a.text)

    @cached_property
    def facts_b(self) -> list[TokenFact]:
        return key_facts(self.b.text)

    @cached_property
    def facts(self) -> FactAlignment:
        return align_facts(self.facts_a, self.facts_b)


# --------------------------------------------------------------------------- features

def jaccard(pair: Pair, k: int = JACCARD_SHINGLE_WORDS) -> Feature:
    """Jaccard similarity of word k-shingle sets (symmetric)."""
    if k < 1:
        raise ValueError(f"jaccard: k must be >= 1, got {k}")
    sa = _shingles(pair.a.words, k)
    sb = _shingles(pair.b.words, k)
    union = len(sa | sb)
    inter = len(sa & sb)
    return (inter / union if union else 0.0), {"k": k, "shared": inter, "union": union}


def longest_passage(pair: Pair) -> Feature:
    """Longest shared exact passage, as a share of the shorter text's words (symmetric)."""
    pa = pair.passages
    shorter = min(pa.words_a, pa.words_b)
    best = max(pa.spans, key=lambda s: s.words, default=None)
    score = (best.words / shorter) if best and shorter else 0.0
    return min(1.0, score), {"words": best.words if best else 0, "span": best.to_dict() if best else None}


def stopword_ngram_containment(pair: Pair, n: int = STOPWORD_NGRAM) -> Feature:
    """Containment of the stopword-skeleton n-grams of the smaller skeleton in the other (symmetric).

    Content words are dropped; n-grams of the remaining function-word sequence are compared.
    """
    ga = _shingles([w for w in pair.a.words if w in STOPWORDS], n)
    gb = _shingles([w for w in pair.b.words if w in STOPWORDS], n)
    small = min(len(ga), len(gb))
    inter = len(ga & gb)
    return (inter / small if small else 0.0), {"n": n, "shared": inter, "grams_a": len(ga), "grams_b": len(gb)}


def substitution_rate(pair: Pair) -> Feature:
    """Share of spin-aligned positions that are word substitutions (symmetric); evidence lists them."""
    sp = pair.spun
    return sp.substitution_rate, sp.evidence()


def fact_lcs_ratio(pair: Pair) -> Feature:
    """Key facts aligned in order (LCS), over the smaller key-fact set (symmetric)."""
    fa = pair.facts
    small = min(fa.facts_a, fa.facts_b)
    return (len(fa.aligned) / small if small else 0.0), fa.evidence()


def fact_order(pair: Pair) -> Feature:
    """Share of the key facts the two texts share that are aligned in order (symmetric).

    ``LCS / |shared distinct facts|``: a rewrite keeps its source's sequence of facts (close to 1);
    an independent report of the same story names the same people and numbers in its own order.
    The ``order`` idea of :func:`scamtrace.eval.copies.cs_features`, applied to facts.
    """
    fa = pair.facts
    shared = {f.value for f in pair.facts_a} & {f.value for f in pair.facts_b}
    n = len(fa.aligned)
    score = n / len(shared) if shared else 0.0
    out_of_order = sorted(shared - {x.value for x, _ in fa.aligned})
    return min(1.0, score), {"aligned": n, "shared": len(shared), "out_of_order": out_of_order[:20]}


def quote_overlap(pair: Pair) -> Feature:
    """Share of the quotations (12+ chars) of the text with fewer quotes found verbatim in the other."""
    qa = _quotes(pair.a.text)
    qb = _quotes(pair.b.text)
    if not qa or not qb:
        return 0.0, {"quotes_a": len(qa), "quotes_b": len(qb), "shared": []}
    small, other = (qa, pair.b.text) if len(qa) <= len(qb) else (qb, pair.a.text)
    other_l = " ".join(other.lower().split())
    shared = [q for q in small if q in other_l]
    return len(shared) / len(small), {"quotes_a": len(qa), "quotes_b": len(qb), "shared": shared[:20]}


def number_overlap(pair: Pair) -> Feature:
    """Jaccard of the sets of numbers with 2+ digits in both texts (symmetric)."""
    na = _numbers(pair.a.text)
    nb = _numbers(pair.b.text)
    union = na | nb
    shared = sorted(na & nb)
    return (len(shared) / len(union) if union else 0.0), {"shared": shared[:40], "numbers_a": len(na), "numbers_b": len(nb)}


def _is_wire_dateline(d: Dateline) -> bool:
    """A wire dateline (:mod:`clean.datelines`): a place in capitals (2+ letters, no digits), an agency's
    credit and a dash: "BANGKOK, Feb 28 (Reuters) -", "TOLLAN, Veridia, Mar 3 (Reuters) -",
    "date 2025-07-30 ĐỒNG TÂN (VNA) -"."""
    return (d.credit in WIRE_AGENCIES and d.dash and d.caps and d.plain and d.letters >= 2
            and (d.date is None or d.date_comma))


def credit_dateline(article: Article | str) -> tuple[str | None, str | None]:
    """(wire credit, dateline city) of an article: its fields when set, else found in its text."""
    text = article.text if isinstance(article, Article) else article
    credit = article.credit if isinstance(article, Article) else None
    dateline = article.dateline if isinstance(article, Article) else None
    if credit is None or dateline is None:
        head = normalize(text[:3000])
        credited = _AGENCY_CREDIT_RE.search(head) is not None
        d = next((d for d in find_datelines(head) if _is_wire_dateline(d)), None) if credited else None
        if d is not None:
            dateline = dateline or d.place
            credit = credit or d.credit
    if credit is None:
        m2 = _CREDIT_LINE_RE.search(normalize(text[-3000:]))
        if m2:
            credit = m2.group(1)
    return credit, dateline


def credit_match(pair: Pair) -> Feature:
    """1 when both texts carry the same wire credit, 0.5 when only one carries one, else 0 (symmetric)."""
    ca, da = credit_dateline(pair.article_a or pair.a.text)
    cb, db = credit_dateline(pair.article_b or pair.b.text)
    if ca and cb:
        score = 1.0 if ca.lower() == cb.lower() else 0.0
    elif ca or cb:
        score = 0.5
    else:
        score = 0.0
    return score, {"credit_a": ca, "credit_b": cb, "dateline_a": da, "dateline_b": db,
                   "same_dateline": bool(da and db and da.lower() == db.lower())}


# --------------------------------------------------------------------------- helpers

def _shingles(ws: list[str], k: int) -> set[tuple[str, ...]]:
    return {tuple(ws[i:i + k]) for i in range(len(ws) - k + 1)}


def _quotes(text: str) -> list[str]:
    return [" ".join(m.group(1).lower().split()) for m in _QUOTE_RE.finditer(text)]


def _numbers(text: str) -> set[str]:
    out = set()
    for m in _NUM_RE.finditer(text):
        v = m.group().replace(",", "").rstrip(".")
        if sum(c.isdigit() for c in v) >= 2:
            out.add(v)
    return out


def _words_between(starts: list[int], start: int, end: int) -> int:
    return bisect.bisect_left(starts, end) - bisect.bisect_left(starts, start)


def window_shape(pair: Pair, spans: list[Span]) -> dict[str, float]:
    """How the passages lie: hull shares, inner coverage, order, words after each hull (see WINDOW_*)."""
    na, nb = len(pair.a.toks), len(pair.b.toks)
    if not spans or not na or not nb:
        return {"inner_a": 0.0, "inner_b": 0.0, "hull_a": 0.0, "hull_b": 0.0, "order": 0.0, "tail_a": 1.0,
                "tail_b": 1.0, "head_a": 1.0, "head_b": 1.0, "words": 0}
    a0, a1 = min(s.a_start for s in spans), max(s.a_end for s in spans)
    b0, b1 = min(s.b_start for s in spans), max(s.b_end for s in spans)
    sa, sb = [t.start for t in pair.a.toks], [t.start for t in pair.b.toks]
    ha, hb = _words_between(sa, a0, a1), _words_between(sb, b0, b1)
    matched = sum(s.words for s in spans)
    # order: longest chain of passages increasing in a (spans come in b order), weighted by words
    best: list[int] = []
    for i, s in enumerate(spans):
        best.append(s.words + max((best[j] for j in range(i) if spans[j].a_end <= s.a_start), default=0))
    tail_a = _words_between(sa, a1, len(pair.a.text) + 1) / na
    tail_b = _words_between(sb, b1, len(pair.b.text) + 1) / nb
    return {"inner_a": min(1.0, matched / max(1, ha)), "inner_b": min(1.0, matched / max(1, hb)),
            "hull_a": ha / na, "hull_b": hb / nb, "order": max(best) / matched if matched else 0.0,
            "tail_a": tail_a, "tail_b": tail_b, "head_a": _words_between(sa, 0, a0) / na,
            "head_b": _words_between(sb, 0, b0) / nb, "words": matched}


def ordered_chain(spans: list[Span]) -> list[Span]:
    """The heaviest chain (by words) of passages in the same order in both texts, in text order."""
    return heaviest_chain(sorted(spans, key=lambda s: (s.b_start, s.a_start)), lambda s: s.words,
                          lambda p, s: p.a_end <= s.a_start and p.b_end <= s.b_start)


def chain_gaps(pair: Pair, chain: list[Span]) -> dict[str, list[int]]:
    """Unmatched words between consecutive passages of ``chain``, per side."""
    sa, sb = [t.start for t in pair.a.toks], [t.start for t in pair.b.toks]
    out: dict[str, list[int]] = {"a": [], "b": []}
    for x, y in zip(chain, chain[1:]):
        out["a"].append(_words_between(sa, x.a_end, y.a_start))
        out["b"].append(_words_between(sb, x.b_end, y.b_start))
    return out
