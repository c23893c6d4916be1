"""Passage alignment between two texts: exact passages, spin-tolerant alignment, fact alignment.

Three aligners, each named and versioned (the name is stored with every result):

* :func:`align_passages` (``copies.align-passages-v1``): seeded exact word k-gram matches, extended
  greedily to maximal runs (greedy string tiling without reordering limits). Finds verbatim,
  truncated and excerpted passages in any order.
* :func:`align_spun` (``copies.align-spun-v1``): a global token edit alignment (rapidfuzz
  Levenshtein opcodes over word sequences). Runs of equal words are anchors; short replaced
  blocks flanked by anchors are *substitutions* ("scam -> rip off"). Survives synonym spinning,
  which destroys k-gram matches but keeps sentence structure and function words.
* :func:`align_facts` (``copies.align-facts-v1``): LCS over the ordered distinct facts (names,
  numbers, quoted words) of both texts, for rewrites that share no sentences.

All offsets are character offsets into the texts given. Everything here is pure and deterministic.
"""
from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence, TypeVar

from rapidfuzz.distance import LCSseq, Levenshtein

from .tokens import STOPWORDS, Token, TokenFact, facts, tokens

PASSAGES_ALGORITHM = "copies.align-passages-v1"
SPUN_ALGORITHM = "copies.align-spun-v1"
FACTS_ALGORITHM = "copies.align-facts-v1"

# Seed length of an exact passage match, in words. 5 is the usual shingle size for news reuse;
# shorter seeds match common phrases ("one of the most"), longer ones miss short quotes.
# Set on the seeds (000/001) and Clough-Stevenson "cut" answers.
PASSAGE_SEED_WORDS = 5
# A k-gram occurring more often than this in one text is a repeated formula, not a seed.
MAX_SEED_POSITIONS = 8
# Longest replaced block (in words, each side) still read as one substitution by a spinner.
# Spinners swap one word for at most three ("Chinese" -> "Chinese language"); set on seed 003.
MAX_SUBSTITUTION_WORDS = 3
# Anchors: equal runs at least this long on both sides of a substitution.
MIN_ANCHOR_WORDS = 2


_T = TypeVar("_T")


def heaviest_chain(items: Sequence[_T], weight: Callable[[_T], int], follows: Callable[[_T, _T], bool]) -> list[_T]:
    """The heaviest chain (by ``weight``) of ``items`` taken in the given order, each one ``follows``-ing the
    one before it in the chain. Ties: the earliest predecessor, then the chain ending earliest. Serves
    :func:`~.features.ordered_chain` (passages) and :func:`~.sentalign.align_sentences` (sentences)."""
    best: list[int] = []
    prev: list[int] = []
    for i, x in enumerate(items):
        j = max((j for j in range(i) if follows(items[j], x)), key=lambda j: (best[j], -j), default=-1)
        best.append(weight(x) + (best[j] if j >= 0 else 0))
        prev.append(j)
    if not items:
        return []
    i = max(range(len(items)), key=lambda k: (best[k], -k))
    out = []
    while i >= 0:
        out.append(items[i])
        i = prev[i]
    return out[::-1]


@dataclass(frozen=True, slots=True)
class Span:
    """One matched passage: ``a[a_start:a_end]`` matches ``b[b_start:b_end]`` (``words`` long)."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    words: int

    def to_dict(self) -> dict[str, int]:
        return {"a": [self.a_start, self.a_end], "b": [self.b_start, self.b_end], "words": self.words}


@dataclass(slots=True)
class PassageAlignment:
    """Exact passages shared by two texts and how much of each text they cover (by words)."""

    spans: list[Span]
    coverage_a: float         # share of a's words inside a matched passage
    coverage_b: float
    words_a: int
    words_b: int
    longest: int              # longest passage, in words
    algorithm: str = PASSAGES_ALGORITHM

    def evidence(self, max_spans: int = 20) -> dict[str, Any]:
        top = sorted(self.spans, key=lambda s: (-s.words, s.a_start))[:max_spans]
        return {"algorithm": self.algorithm, "coverage_a": round(self.coverage_a, 4),
                "coverage_b": round(self.coverage_b, 4), "longest_words": self.longest,
                "passages": len(self.spans), "spans": [s.to_dict() for s in top]}


@dataclass(slots=True)
class SpunAlignment:
    """Spin-tolerant alignment: anchored words, substitutions found, coverage both ways."""

    equal_words: int                     # words in anchor runs (>= MIN_ANCHOR_WORDS)
    substituted_a: int                   # words of a inside anchored substitutions
    substituted_b: int
    coverage_a: float                    # (anchored + substituted words of a) / words of a
    coverage_b: float
    substitutions: Counter[tuple[str, str]] = field(default_factory=Counter)
    words_a: int = 0
    words_b: int = 0
    algorithm: str = SPUN_ALGORITHM
    # where they are: (first word of a, from, to) per content-word substitution, and the anchor runs
    # of a as (first word, end word); read by the classifier to see how substitutions spread over sentences
    sites_a: list[tuple[int, str, str]] = field(default_factory=list)
    anchors_a: list[tuple[int, int]] = field(default_factory=list)

    @property
    def substitution_rate(self) -> float:
        """Share of aligned positions that are substitutions (0 = verbatim, ~0.3+ = spun)."""
        total = self.equal_words + max(self.substituted_a, self.substituted_b)
        return 0.0 if total == 0 else max(self.substituted_a, self.substituted_b) / total

    def evidence(self, max_pairs: int = 30) -> dict[str, Any]:
        return {"algorithm": self.algorithm, "coverage_a": round(self.coverage_a, 4),
                "coverage_b": round(self.coverage_b, 4), "equal_words": self.equal_words,
                "substitution_rate": round(self.substitution_rate, 4),
                "substitutions": [{"from": f, "to": t, "count": c}
                                  for (f, t), c in self.substitutions.most_common(max_pairs)]}


@dataclass(slots=True)
class FactAlignment:
    """Facts of both texts aligned in order (LCS over distinct fact values)."""

    aligned: list[tuple[TokenFact, TokenFact]]
    facts_a: int                         # distinct facts in a
    facts_b: int
    coverage_a: float
    coverage_b: float
    algorithm: str = FACTS_ALGORITHM

    def evidence(self, max_facts: int = 40) -> dict[str, Any]:
        return {"algorithm": self.algorithm, "facts_a": self.facts_a, "facts_b": self.facts_b,
                "coverage_a": round(self.coverage_a, 4), "coverage_b": round(self.coverage_b, 4),
                "aligned": [{"kind": fa.kind, "value": fa.value, "a": [fa.start, fa.end], "b": [fb.start, fb.end]}
                            for fa, fb in self.aligned[:max_facts]]}


# --------------------------------------------------------------------------- exact passages

def align_passages(a: str, b: str, *, seed_words: int = PASSAGE_SEED_WORDS,
                   ta: Sequence[Token] | None = None, tb: Sequence[Token] | None = None) -> PassageAlignment:
    """Maximal exact word passages shared by ``a`` and ``b`` (each at least ``seed_words`` long).

    Scans ``b`` left to right; at each position looks up the k-gram in an index of ``a``, extends
    every candidate occurrence forward and keeps the longest, then jumps past it. Pre-tokenised
    ``ta``/``tb`` may be passed to avoid re-tokenising.
    """
    if seed_words < 1:
        raise ValueError(f"seed_words must be >= 1, got {seed_words}")
    ta = tokens(a) if ta is None else ta
    tb = tokens(b) if tb is None else tb
    wa = [t.norm for t in ta]
    wb = [t.norm for t in tb]
    k = seed_words
    index: dict[tuple[str, ...], list[int]] = {}
    for i in range(len(wa) - k + 1):
        index.setdefault(tuple(wa[i:i + k]), []).append(i)
    spans: list[Span] = []
    covered_a = bytearray(len(wa))
    covered_b = 0
    j = 0
    last_a = 0
    while j <= len(wb) - k:
        cands = index.get(tuple(wb[j:j + k]))
        if not cands:
            j += 1
            continue
        if len(cands) > MAX_SEED_POSITIONS:
            # a repeated formula: try only the occurrences following the previous match (in order)
            at = bisect.bisect_left(cands, last_a)
            cands = cands[at:at + MAX_SEED_POSITIONS] or cands[:MAX_SEED_POSITIONS]
        best_i, best_n = -1, 0
        for i in cands:
            n = k
            while i + n < len(wa) and j + n < len(wb) and wa[i + n] == wb[j + n]:
                n += 1
            if n > best_n:
                best_i, best_n = i, n
        spans.append(Span(ta[best_i].start, ta[best_i + best_n - 1].end, tb[j].start, tb[j + best_n - 1].end, best_n))
        covered_a[best_i:best_i + best_n] = b"\x01" * best_n
        covered_b += best_n
        last_a = best_i + best_n
        j += best_n
    na, nb = len(wa), len(wb)
    return PassageAlignment(
        spans=spans,
        coverage_a=(sum(covered_a) / na) if na else 0.0,
        coverage_b=(covered_b / nb) if nb else 0.0,
        words_a=na, words_b=nb,
        longest=max((s.words for s in spans), default=0),
    )


# --------------------------------------------------------------------------- spin-tolerant

def align_spun(a: str, b: str, *, ta: Sequence[Token] | None = None,
               tb: Sequence[Token] | None = None) -> SpunAlignment:
    """Align word sequences globally; count anchors and the substitutions between them.

    A block of non-equal edit operations between two equal runs of at least
    :data:`MIN_ANCHOR_WORDS` words, at most :data:`MAX_SUBSTITUTION_WORDS` words on each side, is a
    substitution. A pure insertion right after an anchor is reported as a phrase expansion
    ("chinese -> chinese language"). Runtime is a few ms for 1,500-word texts (bit-parallel
    Levenshtein in rapidfuzz).
    """
    ta = tokens(a) if ta is None else ta
    tb = tokens(b) if tb is None else tb
    wa = [t.norm for t in ta]
    wb = [t.norm for t in tb]
    blocks = _edit_blocks(wa, wb)
    equal_words = 0
    sub_a = sub_b = 0
    subs: Counter[tuple[str, str]] = Counter()
    sites: list[tuple[int, str, str]] = []
    anchors: list[tuple[int, int]] = []
    for idx, (kind, a1, a2, b1, b2) in enumerate(blocks):
        if kind == "equal":
            if a2 - a1 >= MIN_ANCHOR_WORDS:
                equal_words += a2 - a1
                anchors.append((a1, a2))
            continue
        if not (0 < idx < len(blocks) - 1):
            continue
        prev, nxt = blocks[idx - 1], blocks[idx + 1]
        if prev[2] - prev[1] < MIN_ANCHOR_WORDS or nxt[2] - nxt[1] < MIN_ANCHOR_WORDS:
            continue
        la, lb = a2 - a1, b2 - b1
        if la > MAX_SUBSTITUTION_WORDS or lb > MAX_SUBSTITUTION_WORDS:
            continue
        src, dst = wa[a1:a2], wb[b1:b2]
        if la == 0:           # expansion: attach the anchor word before it
            src, dst = [wa[a1 - 1]], [wa[a1 - 1], *dst]
        elif lb == 0:         # contraction
            src, dst = [*src], []
        if all(w in STOPWORDS for w in src + dst):
            # function-word edits are grammar noise, not spinning; still aligned
            sub_a += la
            sub_b += lb
            continue
        subs[(" ".join(src), " ".join(dst))] += 1
        sites.append((max(a1 - 1, 0) if la == 0 else a1, " ".join(src), " ".join(dst)))
        sub_a += la
        sub_b += lb
    na, nb = len(wa), len(wb)
    return SpunAlignment(
        equal_words=equal_words, substituted_a=sub_a, substituted_b=sub_b,
        coverage_a=((equal_words + sub_a) / na) if na else 0.0,
        coverage_b=((equal_words + sub_b) / nb) if nb else 0.0,
        substitutions=subs, words_a=na, words_b=nb, sites_a=sites, anchors_a=anchors,
    )


def _edit_blocks(wa: list[str], wb: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Levenshtein opcodes over word lists, consecutive non-equal ops merged into one block."""
    blocks: list[tuple[str, int, int, int, int]] = []
    if not wa or not wb:
        return blocks
    for op in Levenshtein.opcodes(wa, wb):
        kind = "equal" if op.tag == "equal" else "edit"
        if blocks and blocks[-1][0] == kind == "edit":
            _, a1, _, b1, _ = blocks[-1]
            blocks[-1] = ("edit", a1, op.src_end, b1, op.dest_end)
        else:
            blocks.append((kind, op.src_start, op.src_end, op.dest_start, op.dest_end))
    return blocks


# --------------------------------------------------------------------------- facts

# Numbers shorter than this (in digits) are too common to identify a story ("3 people", "10 years").
KEY_NUMBER_MIN_DIGITS = 2


def key_facts(text: str) -> list[TokenFact]:
    """Identifying facts of ``text`` in order of first occurrence, each value once.

    Keeps multi-word names (consecutive capitalised words, e.g. "zhang hongliang", "united states
    institute") and numbers of at least :data:`KEY_NUMBER_MIN_DIGITS` digits. Single capitalised
    words ("China", "Myanmar") are left out: every report on the topic shares them, so they cannot
    tell a rewrite from an independent report. Set on seeds 002/003/004.
    """
    fs = [f for f in facts(text) if f.kind != "quote"]
    out: list[TokenFact] = []
    i = 0
    while i < len(fs):
        f = fs[i]
        if f.kind == "name":
            j, parts = i, [f.value]
            while (j + 1 < len(fs) and fs[j + 1].kind == "name"
                   and text[fs[j].end:fs[j + 1].start] in (" ", "-")):
                j += 1
                parts.append(fs[j].value)
            if len(parts) >= 2:
                out.append(TokenFact("name", " ".join(parts), f.start, fs[j].end))
            i = j + 1
            continue
        if f.kind == "num" and sum(c.isdigit() for c in f.value) >= KEY_NUMBER_MIN_DIGITS:
            out.append(f)
        i += 1
    seen: set[str] = set()
    uniq: list[TokenFact] = []
    for f in out:
        if f.value not in seen:
            seen.add(f.value)
            uniq.append(f)
    return uniq


def align_facts(a: str | Sequence[TokenFact], b: str | Sequence[TokenFact]) -> FactAlignment:
    """Longest common subsequence of the key facts of ``a`` and ``b`` (texts or fact lists).

    Facts are compared by value; order matters (a rewrite keeps the order of its source's facts,
    an independent report orders them its own way).
    """
    fa = key_facts(a) if isinstance(a, str) else list(a)
    fb = key_facts(b) if isinstance(b, str) else list(b)
    va = [f.value for f in fa]
    vb = [f.value for f in fb]
    aligned: list[tuple[TokenFact, TokenFact]] = []
    if va and vb:
        for op in LCSseq.opcodes(va, vb):
            if op.tag == "equal":
                aligned.extend(zip(fa[op.src_start:op.src_end], fb[op.dest_start:op.dest_end]))
    n = len(aligned)
    return FactAlignment(aligned=aligned, facts_a=len(fa), facts_b=len(fb),
                         coverage_a=(n / len(fa)) if fa else 0.0, coverage_b=(n / len(fb)) if fb else 0.0)
