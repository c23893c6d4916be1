"""Ids that last (``stories.ids-v3``): story and fact ids survive new articles, re-analysis, splits and merges.

Stories are recomputed over the whole store at each ``analyze``; their ids are then carried over from
the stories stored before:

- each earlier story's id goes to the new story holding most of its articles (its *heir*; ties go to
  the story whose own first article id is smallest);
- a new story that is heir to several earlier ids (a **merge**) keeps the one that shares most
  articles with it (then the smallest id); the others become aliases of it;
- when an earlier story **splits**, the heir keeps the id and the other pieces get new ids; each new
  piece records the id it split from (``split_from``);
- a story heir to nothing gets ``story-`` + its first article id (the id a fresh store gives it),
  with ``-2``, ``-3`` ... when that id was ever used before (ids are never reused).

Facts follow the same rule within and across stories, matched by their citations (article and
sentence): an earlier fact's id goes to the new fact sharing most citations with it; a fact whose
story changed id (a merge, or a split piece) gets a new id in its story and the old id becomes an alias.
Aliases are stored (``story_aliases``, ``fact_aliases``) and followed by :func:`resolve`, so an old
id never answers "not found" while its articles are still in the store.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..store import queries
from ..store.analysis import DISPUTED
from ..errors import NotFound

ALGORITHM = "stories.ids-v3"   # v2: a fact tie (one sentence, several figures) goes to the same value and unit;
#                                v3: a fact with no citation, only disputes, keeps its id through its disputes;
#                                then the same value and unit tie goes to the same ``what``


@dataclass
class Alias:
    old: str
    new: str
    reason: str       # "merged" | "split" | "renamed"


def carry_story_ids(stories: list[Any], previous: Mapping[str, Iterable[str]],
                    taken: Iterable[str] = ()) -> list[Alias]:
    """Give ``stories`` (records with ``id`` and ``articles``; their ``id`` is the fresh-store id) the
    ids of ``previous`` stories (id -> article ids) by the rules above, in place; return the aliases
    for ids that no longer name a story. ``taken`` holds ids used before (old aliases) besides
    ``previous``'s, never reused for a new story."""
    story_of = {a: i for i, s in enumerate(stories) for a in s.articles}
    heir: dict[str, tuple[int, int]] = {}             # old id -> (new story index, shared articles)
    for old, arts in previous.items():
        c = Counter(story_of[a] for a in arts if a in story_of)
        if c:
            i, n = min(c.items(), key=lambda kv: (-kv[1], stories[kv[0]].id))
            heir[old] = (i, n)
    claims: dict[int, list[tuple[int, str]]] = {}
    for old, (i, n) in heir.items():
        claims.setdefault(i, []).append((n, old))
    used = set(previous) | set(taken)
    aliases: list[Alias] = []
    split_from: dict[int, str] = {}
    for old, arts in previous.items():   # pieces of an earlier story that are not its heir
        for a in arts:
            i = story_of.get(a)
            if i is not None and old in heir and heir[old][0] != i and i not in claims:
                split_from.setdefault(i, old)
    for i, s in enumerate(stories):
        if i in claims:
            ranked = sorted(claims[i], key=lambda x: (-x[0], x[1]))
            keep = ranked[0][1]
            for _, old in ranked[1:]:
                aliases.append(Alias(old, keep, "merged"))
            s.id = keep
        else:
            s.id = _fresh(s.id, used)
            if i in split_from and hasattr(s, "split_from"):
                s.split_from = split_from[i]
        used.add(s.id)
    return aliases


def _fresh(base: str, used: set[str]) -> str:
    if base not in used:
        return base
    n = 2
    while f"{base}-{n}" in used:
        n += 1
    return f"{base}-{n}"


_FACT_NO = re.compile(r":fact-(\d+)$")


def carry_fact_ids(new: Mapping[str, list[Any]], previous: Mapping[str, set[tuple[str, str]]],
                   taken: Iterable[str] = (),
                   values: Mapping[str, tuple[Any, ...]] | None = None) -> tuple[dict[tuple[str, int], str], list[Alias]]:
    """Stable ids for merged facts.

    ``new`` maps story id -> facts (records with ``citations``, each with ``article`` and ``sentence``);
    ``previous`` maps earlier fact id -> its citations as (article, sentence) pairs; ``values``
    (earlier fact id -> (value, unit)) breaks a tie between new facts citing the same sentences (one
    sentence states several figures) in favour of the fact with the same value and unit (then, v3, the same
    ``what``, when ``values`` gives it as a third item), so facts
    merged again from the same records keep their ids. Returns
    ({(story id, position of the fact in new[story]): full fact id}, aliases)."""
    where: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for sid, facts in new.items():
        for k, f in enumerate(facts):
            for c in f.citations:
                where.setdefault((c.article, c.sentence), []).append((sid, k))
            if not f.citations:   # v3: a fact only disputed keeps its id through its disputes
                for d in getattr(f, "disputes", ()):
                    where.setdefault((DISPUTED + d.article, d.sentence), []).append((sid, k))
    heir: dict[str, tuple[tuple[str, int], int]] = {}
    for old, cits in previous.items():
        c = Counter(x for cit in cits for x in where.get(cit, ()))
        if c:
            was = (values or {}).get(old)

            def rank(kv: tuple[tuple[str, int], int], was: Any = was) -> tuple[Any, ...]:
                f = new[kv[0][0]][kv[0][1]]
                same = was is not None and (getattr(f, "value", None), getattr(f, "unit", None)) == tuple(was)[:2]
                # v3: then the same counted thing (one sentence, "dozens of kingpins ... dozens of workers")
                what = was is not None and len(was) > 2 and getattr(f, "what", None) == was[2]
                return (-kv[1], not same, not what, kv[0])

            key, n = min(c.items(), key=rank)
            heir[old] = (key, n)
    claims: dict[tuple[str, int], list[tuple[int, str]]] = {}
    for old, (key, n) in heir.items():
        claims.setdefault(key, []).append((n, old))
    used = set(previous) | set(taken)
    top: dict[str, int] = {}
    for fid in used:
        m = _FACT_NO.search(fid)
        if m:
            sid = fid[: m.start()]
            top[sid] = max(top.get(sid, 0), int(m.group(1)))
    ids: dict[tuple[str, int], str] = {}
    aliases: list[Alias] = []
    for sid in sorted(new):
        for k in range(len(new[sid])):
            key = (sid, k)
            mine = sorted((x for x in claims.get(key, ()) if x[1].startswith(sid + ":")), key=lambda x: (-x[0], x[1]))
            if mine:
                ids[key] = mine[0][1]
            else:
                top[sid] = top.get(sid, 0) + 1
                ids[key] = f"{sid}:fact-{top[sid]}"
            for _, old in claims.get(key, ()):
                if old != ids[key]:
                    aliases.append(Alias(old, ids[key], "merged" if not mine else "renamed"))
    return ids, aliases


def resolve_story(store: Any, some_id: str) -> str:
    """The live story that ``some_id`` names: a story id (current, or retired by a merge), or a fact id
    (``story-…:fact-N``, current or retired), which names its story. Raises NotFound when neither."""
    sid = store.resolve_id("story", some_id)
    if sid is None and ":fact-" in some_id:
        fid = store.resolve_id("fact", some_id)
        if fid is not None:
            sid = queries.story_of_fact(store, fid)
        else:
            sid = store.resolve_id("story", some_id.split(":fact-")[0])
    if sid is None:
        raise NotFound(f"no story {some_id!r}; list them with `scamtrace stories`")
    return sid
