"""Actors across articles: one name for the variants of the same person or organisation.

Algorithm ``knowledge.actors-v1``. Within an article the extract stage already resolves surnames
and acronyms to a canonical name; across articles the same actor still appears under variants
("Ming Xue-chang" / "Ming Xuechang", "Zhou Qi-ming" / "Zhou Qiming", accents dropped). Names of one
label are grouped when their folded forms are equal (case, accents, spaces, hyphens and dots
ignored) or, for people, when rapidfuzz's ratio of the folded forms reaches ``PERSON_SIMILARITY``
and both start with the same letter. Human alias judgements are data: "same" always joins two names,
"different" keeps them apart even when the rules would join them. Every actor keeps, as evidence,
why each alias joined it.
"""
from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

ALGORITHM = "knowledge.actors-v1"
# Set on transliteration variants written for tests/test_actors.py ("Xue-chang"/"Xuechang" fold equal;
# "Wei Huaxin"/"Wei Huaxing" 95; different people with one shared surname stay under 85).
PERSON_SIMILARITY = 92
BLOCK_PREFIX = 3   # names are compared only within blocks of the same folded 3-letter prefix


@dataclass
class Actor:
    name: str                       # the representative: the most mentioned variant
    label: str
    aliases: list[str]
    mentions: int
    evidence: list[dict[str, Any]] = field(default_factory=list)
    algorithm: str = ALGORITHM


def fold(name: str) -> str:
    s = unicodedata.normalize("NFKD", name).casefold()
    return "".join(ch for ch in s if ch.isalnum())


class _UF:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


def resolve_actors(mentions: Iterable[tuple[str, str]], judgements: Iterable[tuple[str, str, str]] = ()) -> list[Actor]:
    """Group (canonical name, label) mentions into actors; ``judgements`` are (a, b, "same"|"different")."""
    counts: Counter[tuple[str, str]] = Counter(mentions)
    label_of: dict[str, Counter[str]] = defaultdict(Counter)
    for (name, label), n in counts.items():
        label_of[name][label] += n
    names = sorted(label_of)
    label = {n: label_of[n].most_common(1)[0][0] for n in names}
    different = {frozenset((a, b)) for a, b, d in judgements if d == "different"}
    same = [(a, b) for a, b, d in judgements if d == "same"]
    uf = _UF()
    why: dict[str, dict[str, Any]] = {}

    def may_join(a: str, b: str) -> bool:
        ra, rb = uf.find(a), uf.find(b)
        members_a = [x for x in names if uf.find(x) == ra] if different else [a]
        members_b = [x for x in names if uf.find(x) == rb] if different else [b]
        return not any(frozenset((x, y)) in different for x in members_a for y in members_b)

    blocks: dict[tuple[str, str], list[str]] = defaultdict(list)
    for n in names:
        blocks[(label[n], fold(n)[:BLOCK_PREFIX])].append(n)
    for (lab, _), group in sorted(blocks.items()):
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                fa, fb = fold(a), fold(b)
                if fa == fb:
                    reason = {"rule": "same folded form"}
                elif lab == "PERSON" and fa[:1] == fb[:1] and fuzz.ratio(fa, fb) >= PERSON_SIMILARITY:
                    reason = {"rule": "similar spelling", "ratio": round(fuzz.ratio(fa, fb), 1)}
                else:
                    continue
                if may_join(a, b):
                    uf.union(a, b)
                    why[b] = {"alias": b, "joined": a, **reason}
    for a, b in same:
        for x in (a, b):
            label.setdefault(x, "PERSON")
            if x not in names:
                names.append(x)
        uf.union(a, b)
        why[b] = {"alias": b, "joined": a, "rule": "human judgement: same"}
    groups: dict[str, list[str]] = defaultdict(list)
    for n in names:
        groups[uf.find(n)].append(n)
    actors = []
    for members in groups.values():
        total = {m: sum(label_of[m].values()) for m in members}
        rep = max(members, key=lambda m: (total[m], len(m), m))
        actors.append(Actor(rep, label[rep], sorted(members), sum(total.values()),
                            [why[m] for m in sorted(members) if m in why]))
    actors.sort(key=lambda a: (-a.mentions, a.name))
    return actors
