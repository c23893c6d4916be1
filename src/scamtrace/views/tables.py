"""Table views: the store's tables as a reader downloads them, and what the graph exports read.

Each ``*_records`` function yields one flat, JSON-ready record per row of one export (``scamtrace
export WHAT``), with its column list beside it; the writers of :mod:`scamtrace.export` only render
these (JSON Lines, CSV). The FollowTheMoney and GraphML exports read the extracted rows, facts,
events and article families through the functions at the end, so no renderer reads the store's
tables itself.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from ..model import Article, CitedStoryEvent, FactRow, Family, Link
from ..store import Store, queries
from ..store.extracted import facts, rows, story_events
from .article import fact_for_figure
from .story import disputes_by_source

ARTICLE_COLUMNS = ["id", "url", "outlet", "title", "published", "byline", "dateline", "credit",
                   "truncated", "language", "text"]
COPY_COLUMNS = ["article", "source", "sibling", "family", "relation", "origin_credit", "score", "algorithm", "evidence"]
FAMILY_COLUMNS = ["family", "origin", "origin_credit", "size", "members", "algorithm"]
STORY_COLUMNS = ["story", "title", "title_source", "first_seen", "last_seen", "articles", "families", "algorithm"]
FIGURE_COLUMNS = ["article", "value", "unit", "what", "qualifier", "date", "place", "claimant", "sentence",
                  "articles", "independent_sources", "fact", "conflict_group", "role", "counts_for", "borrowed_from",
                  "disputes", "disputed_by", "vague_rule", "algorithm"]
QUOTE_COLUMNS = ["article", "quote", "speaker", "role", "sentence", "attribution", "algorithm"]
ENTITY_COLUMNS = ["article", "text", "label", "canonical", "role", "start", "end", "algorithm"]
THREAD_COLUMNS = ["thread", "position", "story", "title", "title_source", "first_seen", "last_seen", "articles", "previous",
                  "evidence", "algorithm"]
EVENT_COLUMNS = ["event", "story", "type", "date", "date_precision", "place", "actors", "figures", "articles",
                 "independent_sources", "hedged", "citations", "algorithm"]


def article_records(store: Store) -> Iterator[dict[str, Any]]:
    for a in store.iter_articles():
        d = a.to_dict()
        yield {k: d[k] for k in ARTICLE_COLUMNS}


def copy_records(store: Store) -> Iterator[dict[str, Any]]:
    for ln in store.links():
        yield {"article": ln.article, "source": ln.source, "sibling": ln.sibling, "family": ln.family,
               "relation": ln.relation, "origin_credit": ln.origin_credit, "score": round(ln.score, 4),
               "algorithm": ln.algorithm, "evidence": ln.evidence}


def family_records(store: Store) -> Iterator[dict[str, Any]]:
    for f in store.families():
        yield {"family": f.id, "origin": f.origin, "origin_credit": f.origin_credit, "size": len(f.members),
               "members": f.members, "algorithm": f.algorithm}


def story_records(store: Store) -> Iterator[dict[str, Any]]:
    for st in store.stories(limit=10**9):
        yield {"story": st["id"], "title": st["title"], "title_source": st["title_source"], "first_seen": st["first_seen"], "last_seen": st["last_seen"],
               "articles": st["articles"], "families": st["family_ids"], "algorithm": st["algorithm"]}


_Cited = tuple[Mapping[str, Any], Mapping[str, Any]]   # a fact and one of its citations (or disputes)


def _cited_for(fig: Mapping[str, Any], cited: list[_Cited]) -> _Cited | None:
    """Of the (fact, citation) pairs of the sentence stating ``fig``, the one whose fact it was merged into."""
    fact = fact_for_figure(fig, [f for f, _ in cited])
    return next((fc for fc in cited if fc[0] is fact), None) if fact is not None else None


def figure_records(store: Store) -> Iterator[dict[str, Any]]:
    """One line per figure mention, with the corroboration of the fact it states (articles and
    independent sources = distinct copy families)."""
    # a sentence may state several figures, each its own fact: keep every fact the sentence cites or disputes
    stating: dict[tuple[str, str], list[_Cited]] = defaultdict(list)
    disputing: dict[tuple[str, str], list[_Cited]] = defaultdict(list)
    for fact in facts(store):
        for cited in fact["citations"]:
            stating[(cited["article"], cited["sentence"])].append((fact, cited))
        for dispute in fact.get("disputes") or []:
            disputing[(dispute["article"], dispute["sentence"])].append((fact, dispute))
    for r in rows(store, "figures"):
        key = (r["article"], r["sentence"])
        states = _cited_for(r, stating.get(key, []))
        disputed = None if states is not None else _cited_for(r, disputing.get(key, []))
        if states is None and disputed is None and key not in stating and len(disputing.get(key, [])) == 1:
            disputed = disputing[key][0]   # the sentence disputes one fact with a number of its own
        role = "disputes" if disputed is not None else "states"
        f, c = states or disputed or ({}, {})
        yield {"article": r["article"], "value": r["value"], "unit": r["unit"], "what": r["what"],
               "qualifier": r["qualifier"], "date": r["date"], "place": r["place"], "claimant": r["claimant"],
               "sentence": r["sentence"], "articles": f.get("articles", 1),
               "independent_sources": f.get("independent_sources", 1), "fact": f.get("id"),
               "conflict_group": f.get("conflict_group"),
               # "states" counts for `counts_for` (the lender's family when borrowed); "disputes" never counts
               "role": role, "counts_for": c.get("family") if role == "states" else None,
               "borrowed_from": c.get("borrowed_from") if role == "states" else None,
               "disputes": len({d["family"] for d in f.get("disputes") or []}),
               "disputed_by": [g["claimant"] or "unnamed" for g in disputes_by_source(f)] or None,
               "vague_rule": r["vague_rule"], "algorithm": r["algorithm"]}


def quote_records(store: Store) -> Iterator[dict[str, Any]]:
    for r in rows(store, "quotes"):
        yield {k: r[k] for k in QUOTE_COLUMNS}


def entity_records(store: Store) -> Iterator[dict[str, Any]]:
    for r in rows(store, "mentions"):
        yield {k: r[k] for k in ENTITY_COLUMNS}


def event_records(store: Store) -> Iterator[dict[str, Any]]:
    for e in story_events(store):
        yield {"event": e["id"], "story": e["story"], "type": e["type"], "date": e["date"],
               "date_precision": e["date_precision"], "place": e["place"], "actors": e["actors"],
               "figures": e["figures"], "articles": e["articles"], "independent_sources": e["independent_sources"],
               "hedged": bool(e["hedged"]), "citations": e["citations"], "algorithm": e["algorithm"]}


def thread_records(store: Store) -> Iterator[dict[str, Any]]:
    """One line per story in a thread, in thread and date order, with the link's evidence."""
    for t in store.threads():
        yield {"thread": t["thread"], "position": t["position"], "story": t["story"], "title": t["title"],
               "title_source": t["title_source"], "first_seen": t["first_seen"], "last_seen": t["last_seen"], "articles": t["size"],
               "previous": t["evidence"].get("previous"), "evidence": t["evidence"], "algorithm": t["algorithm"]}


# -- what the graph exports (FollowTheMoney, GraphML) read -------------------------------------------
def mention_rows(store: Store, article: str | None = None) -> list[dict[str, Any]]:
    """Every stored mention (or one article's), by article and position."""
    return rows(store, "mentions", article=article)


def quote_rows(store: Store) -> list[dict[str, Any]]:
    """Every stored quote, by article and position."""
    return rows(store, "quotes")


def fact_rows(store: Store) -> list[FactRow]:
    """Every story fact with its citations and disputes."""
    return facts(store)


def story_event_rows(store: Store) -> list[CitedStoryEvent]:
    """Every story event with its citations."""
    return story_events(store)


def article_families(store: Store) -> dict[str, str]:
    """Every article in a copy family -> that family."""
    return queries.family_of_articles(store)


def articles(store: Store) -> Iterator[Article]:
    """Every article with its text, in the store's order (published, id): the FtM article entities."""
    return store.iter_articles()


def article_index(store: Store) -> dict[str, Article]:
    """Every article without its text, by id (outlet, title, dates, credit): node labels of the graphs."""
    return store.article_meta()


def copy_links(store: Store) -> list[Link]:
    """Every stored copy link with its family: the copy edges of the graph exports."""
    return store.links()


def copy_families(store: Store, min_size: int = 1) -> list[Family]:
    """The copy families of at least ``min_size`` members."""
    return store.families(min_size=min_size)
