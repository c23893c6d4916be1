"""Actors across articles: one name for the variants of the same person or organisation.

Algorithm ``knowledge.actors-v3`` (v2: a name's label on a tie is the smallest, not the first stored;
v3: the label is voted over every name of the same folded form, so "Việt Nam" and "Vietnam" typed apart
by the model are one actor of one label, a tie going to a place label when the name is a place of the
general gazetteer, :mod:`scamtrace.extract.places`, then to the smallest; and an organisation's name
joins the same name plus a generic organisation word, "Amnesty" / "Amnesty International", a
subdivision its name plus "province", "state", "region" or "prefecture", "Kayin" / "Kayin State";
v4: the place names of one country are one actor, "US" / "U.S." / "United States"
(:func:`scamtrace.extract.places.country_code`), an acronym a text defines in brackets after its long
name is one actor with it wherever either is written, "DOJ" / "Department of Justice", named by the
long name, and the fold reads "đ" as "d").
Within an article the extract stage already resolves surnames
and acronyms to a canonical name; across articles the same actor still appears under variants
("Ming Xue-chang" / "Ming Xuechang", "Zhou Qi-ming" / "Zhou Qiming", accents dropped). Names of one
label are grouped when their folded forms are equal (case, accents, spaces, hyphens and dots
ignored) or, for people, when rapidfuzz's ratio of the folded forms reaches ``PERSON_SIMILARITY``
and both start with the same letter, or, for organisations, agencies and armed groups, when one folded
form is the other's plus one of ``GENERIC_ORG_WORDS``, or, for places, when one is a subdivision of the
gazetteer and the other the same plus one of ``PLACE_WORDS`` ("Bokeo" / "Bokeo province"). Human alias judgements are data: "same" always joins two names,
"different" keeps them apart even when the rules would join them. Every actor keeps, as evidence,
why each alias joined it.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Any

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from ..extract.places import country_code, place_key, place_name, subdivision_keys
from ..model import ALGO_KNOWLEDGE_ACTORS, Actor

ALGORITHM = ALGO_KNOWLEDGE_ACTORS   # name+version stored with the records (defined in model.py beside them)

# Set on transliteration variants written for tests/test_actors.py ("Xue-chang"/"Xuechang" fold equal;
# "Wei Huaxin"/"Wei Huaxing" 95; different people with one shared surname stay under 85).
PERSON_SIMILARITY = 92
BLOCK_PREFIX = 3   # names are compared only within blocks of the same folded 3-letter prefix
#: Words that end an organisation's full name and are left out of its short name ("Amnesty International"
#: -> "Amnesty", "Huione Group" -> "Huione"): legal forms and the generic "International"/"Group",
#: folded. Not "Bank", "Police", "Army" and the like: "X Police" is another body than the place "X".
GENERIC_ORG_WORDS = ("international", "group", "inc", "ltd", "limited", "corp", "corporation", "company",
                     "co", "holdings", "plc", "llc")
#: Labels whose names the generic words join (not places: "Mexico" / "Mexico City").
ORG_LABELS = frozenset({"ORG", "AGENCY", "ARMED_GROUP"})
#: Labels of places: on a tie between labels, a name of the place gazetteer takes one of these.
PLACE_LABELS = ("GPE", "LOC")
#: The shorter name joined by a generic word has at least this many folded letters ("Amnesty", not "Co").
GENERIC_MIN_LETTERS = 4
#: Words after a subdivision's name that name the same place ("Bokeo" / "Bokeo Province", "Kayin" /
#: "Kayin State"), folded. Not "city": "Mexico City" is not "Mexico", "Cebu City" not Cebu province.
PLACE_WORDS = ("province", "state", "region", "prefecture")


def fold(name: str) -> str:
    """A name's folded form: case, accents and every non-alphanumeric left out, and (v4) the letters NFKD
    does not take apart read plainly ("Đồng Nai" -> "dongnai"; :func:`scamtrace.extract.places.place_key`)."""
    return place_key(name)


class _UF:
    """Union-find over names that also keeps each group's members (for the "different" check)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.members: dict[str, set[str]] = {}

    def find(self, x: str) -> str:
        if x not in self.parent:
            self.parent[x] = x
            self.members[x] = {x}
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def group(self, x: str) -> set[str]:
        return self.members[self.find(x)]

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo
            self.members[lo] |= self.members.pop(hi)


def resolve_actors(mentions: Iterable[tuple[str, str]], judgements: Iterable[tuple[str, str, str]] = ()) -> list[Actor]:
    """Group (canonical name, label) mentions into actors; ``judgements`` are (a, b, "same"|"different")."""
    return resolve_actor_counts(Counter(mentions), judgements)


def name_labels(counts: Mapping[tuple[str, str], int]) -> tuple[dict[str, Counter[str]], dict[str, str]]:
    """(name -> its mentions per label, name -> its label: :func:`labels_of`)."""
    label_of: dict[str, Counter[str]] = defaultdict(Counter)
    for (name, label), n in counts.items():
        label_of[name][label] += n
    return label_of, labels_of(counts)


def labels_of(counts: Mapping[tuple[str, str], int]) -> dict[str, str]:
    """name -> its label (``knowledge.actors-v3``): the most frequent label over the mentions of every
    name of its folded form (:func:`fold`: "Việt Nam", "Vietnam", "VIETNAM"), so one name is one label
    however the model typed each mention. A tie goes to a place label (GPE first) when the name is a
    place of the general gazetteer (:func:`scamtrace.extract.places.place_name`), else to the smallest
    label (v2: per name, ties to the smallest). ``counts`` must hold every name of a folded form it holds
    one of (a store's block read by prefix and folded length does)."""
    per_form: dict[str, dict[str, int]] = defaultdict(dict)
    names: dict[str, str] = {}
    for (name, label), n in counts.items():
        f = names.setdefault(name, _folded(name))
        per_form[f][label] = per_form[f].get(label, 0) + n
    first: dict[str, str] = {}   # folded form -> its smallest name (the gazetteer is asked about it)
    for name, f in names.items():
        if f not in first or name < first[f]:
            first[f] = name
    voted = {f: _vote(c, first[f]) for f, c in per_form.items()}
    return {name: voted[f] for name, f in names.items()}


def _vote(per_label: Mapping[str, int], name: str) -> str:
    top = max(per_label.values())
    tied = sorted(lab for lab, n in per_label.items() if n == top)
    if len(tied) > 1:
        places = [lab for lab in PLACE_LABELS if lab in tied]
        if places and place_name(name) is not None:
            return places[0]
    return tied[0]


def block_of(name: str, label: str) -> tuple[str, str]:
    """The block a name is compared within: its label and folded prefix."""
    return label, fold(name)[:BLOCK_PREFIX]


def resolve_actor_counts(counts: Mapping[tuple[str, str], int],
                         judgements: Iterable[tuple[str, str, str]] = (),
                         acronyms: Mapping[tuple[str, str], str] | None = None) -> list[Actor]:
    """:func:`resolve_actors` from mention counts per (canonical name, label). ``acronyms``: (acronym, long
    name) -> the article defining it (v4; :func:`scamtrace.store.caches.defined_acronyms`)."""
    label_of, label = name_labels(counts)
    names = sorted(label_of)
    judgements = list(judgements)
    different = {frozenset((a, b)) for a, b, d in judgements if d == "different"}
    barred = {x for pair in different for x in pair}
    same = [(a, b) for a, b, d in judgements if d == "same"]
    uf = _UF()
    why: dict[str, dict[str, Any]] = {}

    def may_join(a: str, b: str) -> bool:
        ga, gb = uf.group(a), uf.group(b)
        if barred.isdisjoint(ga) or barred.isdisjoint(gb):
            return True
        return not any(frozenset((x, y)) in different for x in ga & barred for y in gb & barred)

    folded = {n: fold(n) for n in names}
    blocks: dict[tuple[str, str], list[str]] = defaultdict(list)
    for n in names:
        blocks[(label[n], folded[n][:BLOCK_PREFIX])].append(n)
    for (lab, _), group in sorted(blocks.items()):
        for i, a in enumerate(group):
            fa = folded[a]
            for b in group[i + 1:]:
                reason = _join_reason(lab, fa, folded[b])
                if reason is not None and may_join(a, b):
                    uf.union(a, b)
                    why[b] = {"alias": b, "joined": a, **reason}
    _join_countries(names, label, uf, why, may_join)
    acronym_names = _join_acronyms(acronyms or {}, label, uf, why, may_join)
    for a, b in same:
        for x in (a, b):
            label.setdefault(x, "PERSON")
            if x not in label_of and x not in names:
                names.append(x)
        uf.union(a, b)
        why[b] = {"alias": b, "joined": a, "rule": "human judgement: same"}
    groups: dict[str, list[str]] = defaultdict(list)
    for n in names:
        groups[uf.find(n)].append(n)
    actors = []
    for members in groups.values():
        total = {m: sum(label_of[m].values()) for m in members}
        # v4: a long name, not its acronym or a country's code
        rep = max(members, key=lambda m: (m not in acronym_names and not _country_code_form(m, label[m]),
                                          total[m], len(m), m))
        actors.append(Actor(rep, label[rep], sorted(members), sum(total.values()),
                            [why[m] for m in sorted(members) if m in why]))
    actors.sort(key=lambda a: (-a.mentions, a.name))
    return actors


def _join_countries(names: list[str], label: Mapping[str, str], uf: _UF, why: dict[str, dict[str, Any]],
                    may_join: Callable[[str, str], bool]) -> None:
    """v4: place names of one country are one actor ("US", "U.S.", "United States", "United States of
    America": :func:`scamtrace.extract.places.country_code`), each joined to the country's first name in
    order, across blocks."""
    first: dict[str, str] = {}
    for n in names:
        code = country_code(n) if label[n] in PLACE_LABELS else None
        if code is None:
            continue
        a = first.setdefault(code, n)
        if a != n and uf.find(a) != uf.find(n) and may_join(a, n):
            uf.union(a, n)
            why[n] = {"alias": n, "joined": a, "rule": "same country", "country": code}


def _country_code_form(name: str, label: str) -> bool:
    """A place name that is a country's code ("US", "U.S.": a country's name with no lower-case letter)."""
    return label in PLACE_LABELS and not any(ch.islower() for ch in name) and country_code(name) is not None


def _join_acronyms(acronyms: Mapping[tuple[str, str], str], label: Mapping[str, str], uf: _UF,
                   why: dict[str, dict[str, Any]], may_join: Callable[[str, str], bool]) -> set[str]:
    """v4: an acronym a text defines in brackets after a long name ("Department of Justice (DOJ)") and
    that long name are one actor wherever either is written, when both are named as organisations,
    agencies or armed groups (an acronym of a place, "SEZ", names many places). The acronyms joined."""
    out: set[str] = set()
    for (acr, long), article in sorted(acronyms.items()):
        if label.get(acr) not in ORG_LABELS or label.get(long) not in ORG_LABELS:
            continue
        if uf.find(acr) != uf.find(long) and may_join(long, acr):
            uf.union(long, acr)
            why[acr] = {"alias": acr, "joined": long, "rule": "acronym defined in the text", "article": article}
            out.add(acr)
    return out


def _join_reason(label: str, fa: str, fb: str, ratio: float | None = None) -> dict[str, Any] | None:
    """Why two names of ``label`` with folded forms ``fa``/``fb`` are one actor (None: they are not).
    ``ratio``: rapidfuzz's ratio of the two, when already computed (:func:`block_joins`)."""
    if fa == fb:
        return {"rule": "same folded form"}
    if label == "PERSON" and fa[:1] == fb[:1]:
        if ratio is None:
            ratio = fuzz.ratio(fa, fb)
        if ratio >= PERSON_SIMILARITY:
            return {"rule": "similar spelling", "ratio": round(ratio, 1)}
    if label in ORG_LABELS or label in PLACE_LABELS:
        short, long = sorted((fa, fb), key=len)
        word = long[len(short):] if long.startswith(short) else ""
        if label in ORG_LABELS and len(short) >= GENERIC_MIN_LETTERS and word in GENERIC_ORG_WORDS:
            return {"rule": "generic organisation word", "word": word}
        if label in PLACE_LABELS and word in PLACE_WORDS and short in subdivision_keys():
            return {"rule": "subdivision and its place word", "word": word}
    return None


def block_prefix(name: str) -> str:
    """The folded prefix of a name's block (its label is the block's other half: :func:`block_of`)."""
    return _folded(name)[:BLOCK_PREFIX]


def block_key(name: str) -> tuple[str, int]:
    """(the folded prefix of a name's block, the length of its folded form): the store keeps both per
    name (``actor_name_blocks``) so a block is read by the lengths that can join (:func:`join_sizes`)."""
    f = _folded(name)
    return f[:BLOCK_PREFIX], len(f)


def join_sizes(size: int, label: str) -> list[int]:
    """The folded lengths a name of folded length ``size`` and ``label`` can be joined to by the rules
    (:func:`_join_reason`; ``knowledge.actors-incremental-v3`` reads only these of its block). Other
    labels join only an equal folded form, of the same length; organisations, agencies and armed groups
    also the lengths one of ``GENERIC_ORG_WORDS`` longer or shorter, places one of ``PLACE_WORDS``. People join a ratio of at least
    ``PERSON_SIMILARITY``: rapidfuzz's ratio is 100 * (1 - indel distance / (la + lb)) and the indel
    distance is at least |la - lb|, so |la - lb| * 100 <= (100 - PERSON_SIMILARITY) * (la + lb), i.e.
    s * la <= (200 - s) * lb and s * lb <= (200 - s) * la with s = PERSON_SIMILARITY (integers: a length
    left out has a ratio below s by at least 1 / (la + lb), far above any rounding)."""
    if label in ORG_LABELS:
        return sorted({size} | {size + d for w in GENERIC_ORG_WORDS for d in (len(w), -len(w))
                                if size + d >= GENERIC_MIN_LETTERS})
    if label in PLACE_LABELS:
        return sorted({size} | {size + d for w in PLACE_WORDS for d in (len(w), -len(w)) if size + d > 0})
    if label != "PERSON":
        return [size]
    s = PERSON_SIMILARITY
    return list(range(-(-s * size // (200 - s)), (200 - s) * size // s + 1))


def block_joins(name: str, label: str, block: Iterable[str], folded: list[str] | None = None) -> list[str]:
    """The names of ``name``'s block (``block``, names of its label and prefix) the rules join it to
    (:func:`_join_reason`; a person's spelling ratios against the block in one rapidfuzz call).
    Only the names that can join are asked about: for people, those with a ratio of at least
    ``PERSON_SIMILARITY`` (an equal folded form has ratio 100), for other labels those with the same
    folded form or (organisations) the same plus a generic organisation word. ``folded``: the folded
    forms of ``block``'s names, in its order (folded here when not given)."""
    fa = _folded(name)
    block = list(block)
    if folded is None:
        folded = [_folded(m) for m in block]
    if label not in ORG_LABELS and label not in PLACE_LABELS and label != "PERSON":   # the same folded form only
        return [m for m, fm in zip(block, folded) if fm == fa and m != name]
    if label != "PERSON":
        return [m for m, fm in zip(block, folded) if m != name and _join_reason(label, fa, fm) is not None]
    if not block:
        return []
    ratios = cdist([fa], folded, scorer=fuzz.ratio, processor=None, dtype=np.float64)[0]
    return [block[i] for i in np.flatnonzero(ratios >= PERSON_SIMILARITY).tolist()
            if block[i] != name and _join_reason(label, fa, folded[i], float(ratios[i])) is not None]


@lru_cache(maxsize=1 << 16)
def _folded(name: str) -> str:
    return fold(name)


def folded_name(name: str) -> str:
    """:func:`fold` of ``name``, cached (the form the blocks and joins compare)."""
    return _folded(name)


def names_to_resolve(seed: Iterable[str], neighbours: Callable[[set[str]], Iterable[str]],
                     judgements: Iterable[tuple[str, str, str]] = ()) -> set[str]:
    """The names whose actors an incremental run resolves again (``knowledge.actors-incremental-v2``;
    v3 asks ``neighbours`` to read a block only by the folded lengths that can join, :func:`join_sizes`).

    ``seed``: every name whose mentions changed since the actors were stored (new, gone, counted
    differently; the store queues them), those of the articles the run re-examined and those of the
    alias judgements. Closed over the rules' joins, stored actors and "same" judgements
    (``neighbours(names)``: the names of their blocks the rules join them to (:func:`block_joins`),
    none for a name without mentions, and the aliases of the stored actors holding them; asked for a
    set at a time, so a store answers in a few queries). The actors of the names returned, resolved
    alone, are exactly those of a run over every name: a name the closure lacks joins none of its
    names (a join is a pure function of the two names and their block), so the unions among its
    names happen in the same order with the same evidence; and a stored actor none of whose names is
    in the closure has the same names and counts as when it was resolved, so it is what a run over
    every name gives. (v1 read every stored actor and mention count to find the changed names and
    closed over whole blocks.)"""
    same: dict[str, set[str]] = defaultdict(set)
    for a, b, d in judgements:
        if d == "same":
            same[a].add(b)
            same[b].add(a)
    out: set[str] = set()
    frontier = set(seed)
    while frontier:
        out |= frontier
        near = set(neighbours(frontier))
        for n in frontier:
            near.update(same.get(n, ()))
        frontier = near - out
    return out
