"""Which independent source a statement counts for (algorithm ``knowledge.borrowed-v1``).

A copy family is one independent source, but families are built from whole-text relations: an
``excerpt`` link (a digest quoting a wire's lead inside its own writing) does not merge the two
families, because most of the digest is its own. The sentences it borrowed are not its own,
though: a figure, quote or event stated *inside* an aligned passage of a copy link counts for the
family of the text it was borrowed from, not for the family of the borrowing text.

Evidence used: the aligned passages stored with each copy link (``features.passages.spans``,
offsets into both clean texts, as :mod:`scamtrace.copies.align` found them; the longest passage when
no list is stored). A statement is borrowed when its own span (the number of a figure, the trigger of
an event) lies inside a passage on the borrowing side. The borrowing side is the link's ``article``
(its ``source`` is the original); for two siblings of an absent original, which have no arrow, the
passage is credited to the family whose id sorts first, so both count once, whatever the order.
Borrowing is followed through chains (a digest quoting a reprint of a wire story) up to
``MAX_HOPS`` links, and the position is carried through each passage.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..model import Link
from ..store import queries

ALGORITHM = "knowledge.borrowed-v1"

# Chains longer than this are not followed (a safety stop against cycles of links; the demo and
# realnews-dev have chains of at most 2).
MAX_HOPS = 4
# Characters of slack when a statement's span is tested against a passage (passage ends are word
# boundaries, a figure's span may include a qualifier or a closing quote).
SLACK = 2


@dataclass(frozen=True, slots=True)
class Passage:
    """``borrower[b_start:b_end]`` was taken from ``lender[l_start:l_end]`` (copy link evidence)."""

    borrower: str
    lender: str
    b_start: int
    b_end: int
    l_start: int
    l_end: int
    relation: str


@dataclass(slots=True)
class Credit:
    """The family a statement counts for, and why."""

    family: str
    borrowed_from: str | None = None          # the article whose passage holds the statement
    evidence: dict[str, Any] = field(default_factory=dict)


def _spans(evidence: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The aligned passages stored in a link's evidence (tolerant of older and newer layouts)."""
    feats = evidence.get("features") or {}
    for holder in (feats.get("passages"), evidence.get("passages")):
        if isinstance(holder, Mapping) and isinstance(holder.get("spans"), list):
            return [s for s in holder["spans"] if isinstance(s, Mapping)]
    lp = feats.get("longest_passage")
    if isinstance(lp, Mapping):
        span = (lp.get("evidence") or {}).get("span")
        if isinstance(span, Mapping):
            return [span]
    return []


def passages_of(links: Iterable[Link], family_of: Mapping[str, str]) -> dict[str, list[Passage]]:
    """Borrowed passages by borrowing article, from stored copy links.

    Links inside one family change nothing (their statements already count once) and are skipped.
    """
    out: dict[str, list[Passage]] = {}
    for ln in links:
        other = ln.source or ln.sibling
        if not other:
            continue
        fa, fo = family_of.get(ln.article, "fam-" + ln.article), family_of.get(other, "fam-" + other)
        if fa == fo:
            continue
        borrower, lender = ln.article, other
        if ln.source is None and fo > fa:      # siblings: no arrow; credit the family sorting first
            borrower, lender = other, ln.article
        pair = list(ln.evidence.get("pair") or [ln.article, other])
        for s in _spans(ln.evidence):
            try:
                a0, a1 = (int(x) for x in s["a"])
                b0, b1 = (int(x) for x in s["b"])
            except (KeyError, TypeError, ValueError):
                continue
            spans = {pair[0]: (a0, a1), pair[1]: (b0, b1)} if len(pair) == 2 else {}
            if borrower not in spans or lender not in spans:
                continue
            (s0, s1), (t0, t1) = spans[borrower], spans[lender]
            out.setdefault(borrower, []).append(Passage(borrower, lender, s0, s1, t0, t1, ln.relation))
    for lst in out.values():
        lst.sort(key=lambda p: (p.b_start, p.lender))
    return out


class Borrowed:
    """Answers "which family does the statement at ``article[start:end]`` count for?"."""

    def __init__(self, passages: Mapping[str, list[Passage]], family_of: Mapping[str, str]) -> None:
        self.passages = passages
        self.family_of = family_of

    @classmethod
    def from_store(cls, store: Any, articles: Iterable[str] | None = None) -> Borrowed:
        """From the stored links whose two texts are in different families (the only ones that change
        a count): all of them, or (``articles``) those touching these articles and, for chains, the
        articles they borrow from. Only the pair and the passage spans are read from each link's
        evidence (SQLite JSON functions), so a large store is not loaded into memory."""
        if articles is None:
            fam = queries.family_of_articles(store)
            rows = queries.cross_family_links(store)
        else:
            rows, todo, seen = [], list(articles), set()
            asked = set(todo)
            while todo and len(seen) < 10_000:
                a = todo.pop()
                if a in seen:
                    continue
                seen.add(a)
                for r in queries.cross_family_links(store, a):
                    rows.append(r)
                    if r["article"] == a and r["source"]:
                        todo.append(r["source"])
            # the families asked for: of these articles (own) and of the links' ends (passages, hops)
            fam = queries.family_of_articles(store, asked | seen | {x for r in rows for x in (r["article"], r["source"],
                                                                                     r["sibling"]) if x})
        links, done = [], set()
        for r in rows:
            key = (r["article"], r["source"], r["sibling"])
            if key in done:
                continue
            done.add(key)
            spans = next((json.loads(x) for x in (r["spans"], r["spans2"]) if x), None)
            if spans is None and r["longest"]:
                spans = [json.loads(r["longest"])]
            ev = {"pair": json.loads(r["pair"]) if r["pair"] else None,
                  "features": {"passages": {"spans": spans or []}}}
            links.append(Link(article=r["article"], source=r["source"], relation=r["relation"], score=0.0,
                              algorithm="", evidence=ev, sibling=r["sibling"]))
        return cls(passages_of(links, fam), fam)

    def own(self, article: str) -> str:
        return self.family_of.get(article, "fam-" + article)

    def credit(self, article: str, start: int | None, end: int | None) -> Credit:
        """The family the statement at ``[start, end)`` of ``article`` counts for (its own family
        unless it lies in a passage borrowed from another family)."""
        own = self.own(article)
        if start is None or end is None or article not in self.passages:
            return Credit(own)
        hops: list[dict[str, Any]] = []
        seen = {article}
        cur, s, e = article, int(start), int(end)
        while len(hops) < MAX_HOPS:
            p = next((p for p in self.passages.get(cur, ()) if p.b_start - SLACK <= s and e <= p.b_end + SLACK), None)
            if p is None or p.lender in seen:
                break
            shift = p.l_start - p.b_start
            hops.append({"from": p.lender, "relation": p.relation, "passage": [p.b_start, p.b_end],
                         "in_source": [p.l_start, p.l_end]})
            seen.add(p.lender)
            cur, s, e = p.lender, max(p.l_start, s + shift), min(p.l_end, e + shift)
        if not hops:
            return Credit(own)
        fam = self.own(cur)
        return Credit(fam, hops[0]["from"], {"algorithm": ALGORITHM, "own_family": own, "counts_for": fam,
                                             "hops": hops})


def credit_quotes(borrowed: Borrowed, quotes: Iterable[dict[str, Any]]) -> None:
    """Set ``family`` (the independent source a quote counts for: the lender's family when the quote
    lies in a borrowed passage) and ``borrowed_from`` on stored quote rows (``article``, ``start``,
    ``end``)."""
    for q in quotes:
        cr = borrowed.credit(q["article"], q.get("start"), q.get("end"))
        q["family"], q["borrowed_from"] = cr.family, cr.borrowed_from
