"""The stories list: stories matching a filter, with counts, outlets, search snippets and facets."""
from __future__ import annotations

from typing import Any

from ..model import ACTOR_LABELS, FacetCount, StoryFilter
from ..store import Store, queries

SNIPPET_TOKENS = 24     # words of context in a search-hit snippet
#: Facet values offered by the stories form (most frequent first).
MAX_FACETS = 200


def stories_view(store: Store, f: StoryFilter) -> dict[str, Any]:
    """Stories matching ``f``, with counts, outlets and date span; plus the facets the form offers."""
    total, found = queries.find_stories(store, f)
    ids = [r["id"] for r in found]
    outlets = queries.story_outlets(store, ids)
    snippets = _snippets(store, f.q, ids) if f.q and ids else {}
    stories = [{"id": r["id"], "title": r["title"], "title_source": r["title_source"], "first_seen": r["first_seen"], "last_seen": r["last_seen"],
                "articles": r["size"], "families": r["families"], "outlets": outlets.get(r["id"], []),
                "algorithm": r["algorithm"], "match": snippets.get(r["id"])} for r in found]
    return {"stories": stories, "total": total, "limit": f.limit, "offset": f.offset,
            "filter": {"q": f.q, "date_from": f.date_from.isoformat() if f.date_from else None,
                       "date_to": f.date_to.isoformat() if f.date_to else None, "outlet": f.outlet,
                       "place": f.place, "actor": f.actor, "event_type": f.event_type, "sort": f.sort},
            "outlets": queries.outlet_names(store), **story_facets(store)}


def story_ids(store: Store) -> list[str]:
    """Every story id, most independent sources first (the order of ``scamtrace stories`` and of
    ``report --all``)."""
    return queries.story_ids(store)


def story_facets(store: Store) -> dict[str, list[FacetCount]]:
    """Places, event types and actors the stories form offers, each with its number of stories."""
    return {"places": queries.event_facet(store, "place", MAX_FACETS), "event_types": queries.event_facet(store, "type", MAX_FACETS),
            "actors": queries.actor_facet(store, ACTOR_LABELS, MAX_FACETS)}


def _snippets(store: Store, query: str, story_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Per story, its best-ranked article matching ``query`` with an FTS5 snippet as (text, is_hit) parts."""
    out: dict[str, dict[str, Any]] = {}
    for r in queries.story_search_hits(store, query, story_ids, SNIPPET_TOKENS):
        if r["story"] not in out:
            out[r["story"]] = {"article": r["id"], "title": r["title"], "parts": snippet_parts(r["snip"] or "")}
    return out


def snippet_parts(snip: str) -> list[tuple[str, bool]]:
    """Split an FTS5 snippet marked with \x02 ... \x03 into (text, is_hit) parts (plain text, never HTML)."""
    parts: list[tuple[str, bool]] = []
    for i, chunk in enumerate(snip.split("\x02")):
        if i == 0:
            parts.append((chunk, False))
            continue
        hit, _, rest = chunk.partition("\x03")
        parts += [(hit, True), (rest, False)]
    return [(t, h) for t, h in parts if t]
