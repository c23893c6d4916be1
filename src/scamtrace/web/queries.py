"""Read queries behind the web views: one function per page, each returning plain JSON-able dicts.

The HTML page and its ``/api/...`` twin call the same function, so what a reader sees and what a
script gets are the same data. Everything reads through :meth:`Store.execute` or the Store methods;
tables added by later migrations (figures, quotes, events) are looked up by name and skipped when
absent, so the web app works on any store from migration ``0003_stories`` on.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from ..clean.metadata import language_note
from ..copies.spin import SPUN_ARTICLE_THRESHOLD
from ..copies.view import outlet_stats, suspicious_phrases
from ..errors import InvalidRequest, NotFound
from ..store import Store
from ..urls import safe_url
from ..store.db import _fts_query
from ..views.story import StoryView, story_view
from ..views.story import resolve_story_id as _resolve_story_id
from .highlight import (
    Span,
    css_label,
    date_title,
    entity_title,
    figure_title,
    highlight,
    quote_title,
)
from .marks import Paragraph, link_sides, segment, spin_marks
from ..model import ACTOR_LABELS

log = logging.getLogger(__name__)

STORY_SORTS: tuple[str, ...] = ("recent", "families")
SNIPPET_TOKENS = 24     # words of context in a search-hit snippet
MAX_PAGE_SIZE = 200
MAX_FACTS = 20          # figures listed on a story page (most corroborated first)
MAX_QUOTES = 12
MAX_ACTORS = 15         # actors listed on a story page (most mentioned first)
MAX_CITATIONS = 8       # citing sentences shown per figure or event
#: Facet values offered by the stories form (most frequent first).
MAX_FACETS = 200


@dataclass(frozen=True, slots=True)
class StoryFilter:
    """What the stories list asks for. Dates are ISO days; ``sort`` is one of :data:`STORY_SORTS`.

    ``actor`` keeps stories with an article mentioning that canonical name; ``place`` and
    ``event_type`` keep stories with an article event at that place / of that type (both on the
    same event when both are given: "a raid in Myanmar")."""

    q: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    outlet: str | None = None
    place: str | None = None
    actor: str | None = None
    event_type: str | None = None
    sort: str = "recent"
    limit: int = 50
    offset: int = 0

    def __post_init__(self) -> None:
        if self.sort not in STORY_SORTS:
            raise InvalidRequest(f"sort must be one of {', '.join(STORY_SORTS)}, got {self.sort!r}")
        if not 1 <= self.limit <= MAX_PAGE_SIZE:
            raise InvalidRequest(f"limit must be between 1 and {MAX_PAGE_SIZE}, got {self.limit}")
        if self.offset < 0:
            raise InvalidRequest(f"offset must be 0 or more, got {self.offset}")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InvalidRequest(f"date_from {self.date_from} is after date_to {self.date_to}; swap them")


# -- helpers ---------------------------------------------------------------------------------------
def table_columns(store: Store, table: str) -> list[str]:
    """Column names of ``table``, or [] when the store has no such table."""
    exists = store.execute("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?", (table,))
    if not exists:
        return []
    return [r["name"] for r in store.execute(f'PRAGMA table_info("{table}")')]


def _placeholders(n: int) -> str:
    return ",".join("?" * n)


def _short(s: str | None, n: int = 40) -> str | None:
    if not s:
        return None
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


# -- stories list ------------------------------------------------------------------------------------
def list_stories(store: Store, f: StoryFilter) -> dict[str, Any]:
    """Stories matching ``f``, with counts, outlets and date span; plus the facets the form offers."""
    where: list[str] = []
    args: list[Any] = []
    member_conds: list[str] = []
    member_args: list[Any] = []
    if f.q:
        member_conds.append("a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        member_args.append(_fts_query(f.q))
    if f.outlet:
        member_conds.append("a.outlet = ?")
        member_args.append(f.outlet)
    if member_conds:
        where.append("s.id IN (SELECT sm.story FROM story_members sm JOIN articles a ON a.id = sm.article WHERE "
                     + " AND ".join(member_conds) + ")")
        args += member_args
    knowledge_where, knowledge_args = _knowledge_conditions(store, f)
    where += knowledge_where
    args += knowledge_args
    if f.date_from:
        where.append("coalesce(s.last_seen, s.first_seen) >= ?")
        args.append(f.date_from.isoformat())
    if f.date_to:
        where.append("coalesce(s.first_seen, s.last_seen) <= ?")
        args.append(f.date_to.isoformat())
    cond = (" WHERE " + " AND ".join(where)) if where else ""
    order = {"recent": "s.last_seen IS NULL, s.last_seen DESC, s.families DESC, s.id",
             "families": "s.families DESC, s.last_seen IS NULL, s.last_seen DESC, s.id"}[f.sort]
    total = store.execute(f"SELECT count(*) FROM stories s{cond}", args)[0][0]
    rows = store.execute(f"SELECT s.* FROM stories s{cond} ORDER BY {order} LIMIT ? OFFSET ?",
                         [*args, f.limit, f.offset])
    ids = [r["id"] for r in rows]
    outlets: dict[str, list[str]] = defaultdict(list)
    if ids:
        for r in store.execute(
                "SELECT DISTINCT sm.story, a.outlet FROM story_members sm JOIN articles a ON a.id = sm.article"
                f" WHERE sm.story IN ({_placeholders(len(ids))}) AND a.outlet IS NOT NULL ORDER BY a.outlet", ids):
            outlets[r["story"]].append(r["outlet"])
    snippets = _snippets(store, f.q, ids) if f.q and ids else {}
    stories = [{"id": r["id"], "title": r["title"], "first_seen": r["first_seen"], "last_seen": r["last_seen"],
                "articles": r["size"], "families": r["families"], "outlets": outlets.get(r["id"], []),
                "algorithm": r["algorithm"], "match": snippets.get(r["id"])} for r in rows]
    return {"stories": stories, "total": total, "limit": f.limit, "offset": f.offset,
            "filter": {"q": f.q, "date_from": f.date_from.isoformat() if f.date_from else None,
                       "date_to": f.date_to.isoformat() if f.date_to else None, "outlet": f.outlet,
                       "place": f.place, "actor": f.actor, "event_type": f.event_type, "sort": f.sort},
            "outlets": [r[0] for r in store.execute(
                "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet")],
            **story_facets(store)}


def _knowledge_conditions(store: Store, f: StoryFilter) -> tuple[list[str], list[Any]]:
    """WHERE clauses (on ``stories s``) for the actor, place and event-type filters.

    On a store without the extraction tables a requested filter matches nothing (never an error)."""
    where: list[str] = []
    args: list[Any] = []
    if f.actor:
        if table_columns(store, "mentions"):
            where.append("s.id IN (SELECT sm.story FROM story_members sm JOIN mentions m ON m.article = sm.article"
                         " WHERE m.canonical = ?)")
            args.append(f.actor)
        else:
            where.append("0")
    if f.place or f.event_type:
        if table_columns(store, "events"):
            conds, ev_args = [], []
            if f.place:
                conds.append("e.place = ?")
                ev_args.append(f.place)
            if f.event_type:
                conds.append("e.type = ?")
                ev_args.append(f.event_type)
            where.append("s.id IN (SELECT sm.story FROM story_members sm JOIN events e ON e.article = sm.article"
                         " WHERE " + " AND ".join(conds) + ")")
            args += ev_args
        else:
            where.append("0")
    return where, args


def story_facets(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Places, event types and actors the stories form offers, each with its number of stories."""
    out: dict[str, list[dict[str, Any]]] = {"places": [], "event_types": [], "actors": []}
    if table_columns(store, "events"):
        for key, col in (("places", "place"), ("event_types", "type")):
            out[key] = [{"name": r[0], "stories": r[1]} for r in store.execute(
                f"SELECT e.{col}, count(DISTINCT sm.story) AS n FROM events e JOIN story_members sm"
                f" ON sm.article = e.article WHERE e.{col} IS NOT NULL AND e.{col} != ''"
                f" GROUP BY e.{col} ORDER BY n DESC, e.{col} LIMIT ?", (MAX_FACETS,))]
    if table_columns(store, "mentions"):
        out["actors"] = [{"name": r[0], "stories": r[1]} for r in store.execute(
            "SELECT m.canonical, count(DISTINCT sm.story) AS n FROM mentions m JOIN story_members sm"
            f" ON sm.article = m.article WHERE m.label IN ({_placeholders(len(ACTOR_LABELS))})"
            " GROUP BY m.canonical ORDER BY n DESC, m.canonical LIMIT ?", (*ACTOR_LABELS, MAX_FACETS))]
    return out


def _snippets(store: Store, q: str, story_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Per story, its best-ranked article matching ``q`` with an FTS5 snippet as (text, is_hit) parts."""
    out: dict[str, dict[str, Any]] = {}
    rows = store.execute(
        "SELECT sm.story, a.id, a.title, snippet(articles_fts, 1, char(2), char(3), '…', ?) AS snip"
        " FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
        " JOIN story_members sm ON sm.article = a.id"
        f" WHERE articles_fts MATCH ? AND sm.story IN ({_placeholders(len(story_ids))}) ORDER BY rank",
        [SNIPPET_TOKENS, _fts_query(q), *story_ids])
    for r in rows:
        if r["story"] not in out:
            out[r["story"]] = {"article": r["id"], "title": r["title"], "parts": _snippet_parts(r["snip"] or "")}
    return out


def _snippet_parts(snip: str) -> list[tuple[str, bool]]:
    """Split an FTS5 snippet marked with \x02 ... \x03 into (text, is_hit) parts (plain text, never HTML)."""
    parts: list[tuple[str, bool]] = []
    for i, chunk in enumerate(snip.split("\x02")):
        if i == 0:
            parts.append((chunk, False))
            continue
        hit, _, rest = chunk.partition("\x03")
        parts += [(hit, True), (rest, False)]
    return [(t, h) for t, h in parts if t]


# -- story page --------------------------------------------------------------------------------------
_WEB_ARTICLE_KEYS = ("id", "title", "outlet", "published", "credit", "truncated", "is_origin")
_CONFLICT_KEYS = ("id", "value", "unit", "what", "date", "place", "articles", "independent_sources", "disputes")
_QUOTE_KEYS = ("quote", "speaker", "role", "articles", "independent_sources")


def story_detail(store: Store, story_id: str) -> dict[str, Any]:
    """A story: its articles grouped by copy family (original first), timeline data and knowledge brief."""
    return story_page(story_view(store, story_id), store)


def story_page(view: StoryView, store: Store) -> dict[str, Any]:
    """The story page's data (and its ``/api`` JSON): the story view, with the page's limits."""
    groups = [{**g, "articles": [{**{k: a[k] for k in _WEB_ARTICLE_KEYS},
                                  "link": {k: a["link"][k] for k in ("relation", "of", "sibling", "score")}
                                  if a["link"] else None, "spin": a["spin"]} for a in g["articles"]]}
              for g in view.groups]
    return {"id": view.id, "title": view.title, "first_seen": view.first_seen, "last_seen": view.last_seen,
            "articles": view.size, "families": view.families, "algorithm": view.algorithm,
            "groups": groups, "knowledge": _knowledge(view, store) if view.has_knowledge else None,
            "thread": _thread(view),
            "outlet_of": {a["id"]: a["outlet"] or _short(a["title"]) or a["id"] for a in view.sources.values()}}


def _knowledge(view: StoryView, store: Store) -> dict[str, Any]:
    """The story's events, figures (corroboration, conflicts, disputes beside), actors and quotes."""
    return {
        "events": [{**e, "citations": e.get("citations", [])[:MAX_CITATIONS]} for e in view.events],
        # disputes are shown beside each figure, grouped by disputing source; they never count as sources
        "facts": [{**{k: v for k, v in f.items() if k != "claimants"}, "citations": f["citations"][:MAX_CITATIONS]}
                  for f in view.facts[:MAX_FACTS]],
        "more_facts": max(0, len(view.facts) - MAX_FACTS),
        "conflicts": [[{k: f.get(k) for k in _CONFLICT_KEYS} for f in group] for group in view.conflicts],
        "actors": view.actors[:MAX_ACTORS],
        "quotes": [{k: q[k] for k in _QUOTE_KEYS} for q in view.quotes[:MAX_QUOTES]],
        # names with an actor page: the story's actors and the events' actors and places that mentions carry
        "linkable": sorted(known_names(store, [a["name"] for a in view.actors]
                                       + [n for e in view.events for n in (e.get("actors") or [])]
                                       + [e.get("place") for e in view.events])),
    }


def _thread(view: StoryView) -> dict[str, Any] | None:
    """The story's thread (``stories.threads-v1``): its id, the stories in order, the previous and
    next event; None when the story is in no thread."""
    if not view.thread:
        return None
    pos = next(i for i, t in enumerate(view.thread) if t["story"] == view.id)
    brief = [{"id": t["story"], "title": t["title"], "first_seen": t["first_seen"], "position": t["position"]}
             for t in view.thread]
    return {"id": view.thread[0]["thread"], "stories": brief, "previous": brief[pos - 1] if pos > 0 else None,
            "next": brief[pos + 1] if pos + 1 < len(brief) else None}


def resolve_story_id(store: Store, story_id: str) -> str:
    """The live id for ``story_id`` (itself, or the successor of an id retired by a merge); raises
    NotFound when there is none."""
    return _resolve_story_id(store, story_id)


# -- article page ------------------------------------------------------------------------------------
def article_detail(store: Store, article_id: str) -> dict[str, Any]:
    """An article: metadata, paragraphs with marks, family, story, spin evidence, links, judgements."""
    art = store.get_article(article_id)
    spin_rows = store.execute("SELECT score, algorithm, evidence FROM spin_scores WHERE article = ?", (article_id,))
    spin = None
    if spin_rows:
        ev = json.loads(spin_rows[0]["evidence"] or "{}")
        spin = {"score": round(spin_rows[0]["score"], 3), "algorithm": spin_rows[0]["algorithm"],
                "looks_spun": spin_rows[0]["score"] >= SPUN_ARTICLE_THRESHOLD, "threshold": SPUN_ARTICLE_THRESHOLD,
                "phrases": ev.get("phrases") or [], "collocations": ev.get("collocations") or [],
                "listed": suspicious_phrases(ev.get("phrases") or [])}
    own_marks = spin_marks(spin["phrases"]) if spin else []
    links = [ln for ln in store.links(article_id) if ln.source is not None or ln.article == article_id]
    as_copy, copied_by = [], []
    for ln in links:
        if ln.article == article_id:
            other = store.get_article(ln.source or ln.sibling or "")
            as_copy.append(link_sides(ln, art, other, own_marks))
        else:
            meta = store.execute("SELECT id, title, outlet, published FROM articles WHERE id = ?", (ln.article,))
            copied_by.append({"id": ln.article, "relation": ln.relation, "score": round(ln.score, 4),
                              "title": meta[0]["title"] if meta else None,
                              "outlet": meta[0]["outlet"] if meta else None,
                              "published": meta[0]["published"] if meta else None,
                              "judgement": ln.evidence.get("judgement")})
    analyzed = store.execute("SELECT analyzed_at FROM articles WHERE id = ?", (article_id,))[0]["analyzed_at"]
    fam = store.family_of(article_id)
    story = store.story_of(article_id)
    story_title = store.execute("SELECT title FROM stories WHERE id = ?", (story,))[0]["title"] if story else None
    paragraphs: list[Paragraph] = segment(art.text, own_marks)
    highlights = highlight(art.text, highlight_spans(store, article_id, art.text, spin["phrases"] if spin else []))
    return {
        "article": {**art.to_dict(), "url": art.url, "safe_url": safe_url(art.url), "analyzed_at": analyzed,
                    "language_note": language_note(art.language)},
        "paragraphs": paragraphs, "spin": spin, "family": fam, "family_members": _family_members(store, fam),
        "story": story, "story_title": story_title, "links": as_copy, "copied_by": copied_by,
        "judgements": judgements_for(store, article_id), "pending": analyzed is None,
        "actors": article_actors(store, article_id), "highlights": highlights,
    }


def _family_members(store: Store, fam: str | None) -> list[dict[str, Any]]:
    if not fam:
        return []
    return [dict(r) for r in store.execute(
        "SELECT a.id, a.outlet, a.title, a.published, a.id = f.origin AS is_origin FROM family_members fm"
        " JOIN articles a ON a.id = fm.article JOIN families f ON f.id = fm.family WHERE fm.family = ?"
        " ORDER BY is_origin DESC, a.published, a.id", (fam,))]


def judgements_for(store: Store, article_id: str) -> list[dict[str, Any]]:
    """Human copy judgements naming ``article_id``, newest first."""
    return [dict(r) for r in store.execute(
        "SELECT a, b, decision, note, at FROM judgements WHERE kind = 'copy' AND (a = ? OR b = ?)"
        " ORDER BY at DESC, id DESC", (article_id, article_id))]


# -- provenance graph, outlets --------------------------------------------------------------------
def provenance(store: Store, min_size: int = 2, limit: int = 100, offset: int = 0) -> dict[str, Any]:
    """Families with at least ``min_size`` members, largest first: nodes (articles) and edges (links).

    ``limit``/``offset`` page through the families (1..MAX_PAGE_SIZE per page)."""
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidRequest(f"limit must be between 1 and {MAX_PAGE_SIZE}, got {limit}")
    if offset < 0:
        raise InvalidRequest(f"offset must be 0 or more, got {offset}")
    every = sorted(store.families(min_size=min_size), key=lambda f: (-len(f.members), f.id))
    fams = every[offset:offset + limit]
    ids = sorted({m for f in fams for m in f.members})
    meta = {r["id"]: dict(r) for r in store.execute(
        f"SELECT id, outlet, published, title, credit FROM articles WHERE id IN ({_placeholders(len(ids))})", ids)} \
        if ids else {}
    member_of = {m: f.id for f in fams for m in f.members}
    edges: dict[str, list[dict[str, Any]]] = defaultdict(list)
    quoting: dict[str, list[str]] = defaultdict(list)   # family -> articles outside it that excerpt it
    for ln in (store.links() if fams else []):
        if ln.relation == "excerpt" and ln.source in member_of and member_of.get(ln.article) != member_of[ln.source]:
            # excerpts never merge families: draw the quoting article (a digest) beside the family it quotes
            fam = member_of[ln.source]
            if ln.article not in quoting[fam]:
                quoting[fam].append(ln.article)
        elif ln.article not in member_of:
            continue
        else:
            fam = member_of[ln.article]
        if ln.source is None and ln.article > (ln.sibling or ""):
            continue  # a sibling pair is stored both ways: draw it once
        edges[fam].append({"from": ln.source or ln.sibling, "to": ln.article, "relation": ln.relation,
                           "sibling": ln.source is None, "score": round(ln.score, 4),
                           "judged": ln.evidence.get("judgement")})
    extra = sorted({a for lst in quoting.values() for a in lst} - set(meta))
    if extra:
        meta.update({r["id"]: dict(r) for r in store.execute(
            f"SELECT id, outlet, published, title, credit FROM articles WHERE id IN ({_placeholders(len(extra))})",
            extra)})
    out = []
    for f in fams:
        nodes = [{**meta.get(m, {"id": m}), "is_origin": m == f.origin} for m in f.members]
        nodes += [{**meta.get(m, {"id": m}), "is_origin": False, "outside": True}
                  for m in quoting.get(f.id, []) if m not in f.members]
        nodes.sort(key=lambda n: (not n["is_origin"], n.get("published") or "9999", n["id"]))
        out.append({"id": f.id, "origin": f.origin, "origin_credit": f.origin_credit, "algorithm": f.algorithm,
                    "nodes": nodes, "edges": edges.get(f.id, [])})
    return {"families": out, "min_size": min_size, "total": len(every), "limit": limit, "offset": offset}


def outlets(store: Store) -> dict[str, Any]:
    """Per-outlet copy counts by relation, uncredited copies and spun-looking articles."""
    return {"outlets": outlet_stats(store), "spun_threshold": SPUN_ARTICLE_THRESHOLD}


# -- actors ----------------------------------------------------------------------------------------
ACTOR_BINS: tuple[str, ...] = ("auto", "day", "week", "month")
#: ``auto`` bins by day while the dated mentions span at most this many days, else by week, and by
#: month past AUTO_WEEK_MAX_DAYS (set by eye on the demo corpus: ~6 months gives ~26 weekly bars).
AUTO_DAY_MAX_DAYS = 45
AUTO_WEEK_MAX_DAYS = 400
MAX_BINS = 400          # a chart with more bars is refused with a hint to use a coarser bin
MAX_COACTORS = 12       # co-occurring actors drawn in the network (most shared articles first)
MIN_CHORD_SHARED = 2    # two ring actors are joined when they share at least this many of the actor's articles
MAX_CHORDS = 18         # and only the strongest joins are drawn (set by eye on the demo's densest actor)
MAX_ACTOR_ROLES = 20
MAX_ACTOR_ARTICLES = 200
ALIAS_DECISIONS: tuple[str, ...] = ("same", "different")


def has_mentions(store: Store) -> bool:
    """True when the store has the extraction tables the actor pages read."""
    return bool(table_columns(store, "mentions"))


def _main_labels(store: Store, names: list[str] | None = None) -> dict[str, dict[str, int]]:
    """Per canonical name, its mention counts by label (a name can be tagged two ways)."""
    sql = "SELECT canonical, label, count(*) AS n FROM mentions"
    args: list[Any] = []
    if names is not None:
        if not names:
            return {}
        sql += f" WHERE canonical IN ({_placeholders(len(names))})"
        args = list(names)
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for r in store.execute(sql + " GROUP BY canonical, label", args):
        out[r["canonical"]][r["label"]] = r["n"]
    return out


def _top_label(counts: dict[str, int]) -> str:
    return max(sorted(counts), key=lambda k: counts[k]) if counts else "?"


def actors_index(store: Store, label: str | None = None, q: str | None = None,
                 limit: int = 100, offset: int = 0) -> dict[str, Any]:
    """Every named actor (or, with ``label``, every name with that main label) with counts of mentions,
    articles and stories and the span of publication dates, most articles first."""
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidRequest(f"limit must be between 1 and {MAX_PAGE_SIZE}, got {limit}")
    if offset < 0:
        raise InvalidRequest(f"offset must be 0 or more, got {offset}")
    empty = {"actors": [], "total": 0, "limit": limit, "offset": offset, "label": label, "q": q, "labels": {}}
    if not has_mentions(store):
        return empty
    labels = _main_labels(store)
    main = {n: _top_label(c) for n, c in labels.items()}
    facet: dict[str, int] = defaultdict(int)
    for lab in main.values():
        facet[lab] += 1
    wanted = set(ACTOR_LABELS) if not label else {label}
    if label and label not in facet:
        raise InvalidRequest(f"label must be one of {', '.join(sorted(facet))}, got {label[:40]!r}")
    needle = (q or "").strip().lower()
    names = [n for n, lab in main.items() if lab in wanted and (not needle or needle in n.lower())]
    counts = {r["canonical"]: r for r in store.execute(
        "SELECT m.canonical, count(*) AS mentions, count(DISTINCT m.article) AS articles,"
        " count(DISTINCT sm.story) AS stories, min(a.published) AS first, max(a.published) AS last"
        " FROM mentions m JOIN articles a ON a.id = m.article LEFT JOIN story_members sm ON sm.article = m.article"
        " GROUP BY m.canonical")}
    rows = sorted((counts[n] for n in names if n in counts),
                  key=lambda r: (-r["articles"], -r["mentions"], r["canonical"]))
    actors = [{"name": r["canonical"], "label": main[r["canonical"]], "mentions": r["mentions"],
               "articles": r["articles"], "stories": r["stories"], "first": r["first"], "last": r["last"]}
              for r in rows[offset:offset + limit]]
    return {**empty, "actors": actors, "total": len(rows), "labels": dict(sorted(facet.items()))}


def actor_detail(store: Store, name: str, bin_: str = "auto") -> dict[str, Any]:
    """One actor: labels, surface forms, roles, mentions over time, co-occurring actors, events,
    articles and alias judgements. Raises NotFound for a name no mention carries."""
    if bin_ not in ACTOR_BINS:
        raise InvalidRequest(f"bin must be one of {', '.join(ACTOR_BINS)}, got {bin_[:20]!r}")
    if not has_mentions(store):
        raise NotFound("this store has no extracted mentions yet; run `scamtrace analyze`")
    rows = store.execute(
        "SELECT m.article, m.text, m.label, m.role, a.title, a.outlet, a.published, sm.story"
        " FROM mentions m JOIN articles a ON a.id = m.article LEFT JOIN story_members sm ON sm.article = m.article"
        " WHERE m.canonical = ? ORDER BY a.published, m.article, m.start", (name,))
    if not rows:
        raise NotFound(f"no actor {name!r}; the actors index at /actors lists every name")
    label_counts = _count(r["label"] for r in rows)
    articles = _actor_articles(rows)
    return {
        "name": name, "label": _top_label(dict(label_counts)), "labels": label_counts,
        "mentions": len(rows), "articles_total": len(articles),
        "forms": _count(r["text"] for r in rows),
        "roles": _count(r["role"] for r in rows if r["role"])[:MAX_ACTOR_ROLES],
        "timeline": mention_bins(rows, bin_),
        "network": cooccurrence(store, name),
        "events": actor_events(store, name),
        "articles": articles[:MAX_ACTOR_ARTICLES], "more_articles": max(0, len(articles) - MAX_ACTOR_ARTICLES),
        "stories": _count(r["story"] for r in rows if r["story"]),
        "aliases": alias_judgements_for(store, name),
        "alias_candidates": alias_candidates(store, name),
    }


def _count(values: Any) -> list[list[Any]]:
    """[[value, count], ...], most frequent first, then by value (JSON-friendly pairs)."""
    c: dict[Any, int] = defaultdict(int)
    for v in values:
        c[v] += 1
    return [[k, n] for k, n in sorted(c.items(), key=lambda kv: (-kv[1], str(kv[0])))]


def _actor_articles(rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    """The articles among ``rows`` (mentions), newest first, with the mentions each holds."""
    arts: dict[str, dict[str, Any]] = {}
    for r in rows:
        a = arts.setdefault(r["article"], {"id": r["article"], "title": r["title"], "outlet": r["outlet"],
                                           "published": r["published"], "story": r["story"], "mentions": 0,
                                           "roles": []})
        a["mentions"] += 1
        if r["role"] and r["role"] not in a["roles"]:
            a["roles"].append(r["role"])
    return sorted(arts.values(), key=lambda a: (a["published"] or "", a["id"]), reverse=True)


def _bin_start(d: dt.date, unit: str) -> dt.date:
    if unit == "week":
        return d - dt.timedelta(days=d.weekday())     # ISO weeks start on Monday
    if unit == "month":
        return d.replace(day=1)
    return d


def _next_bin(d: dt.date, unit: str) -> dt.date:
    if unit == "week":
        return d + dt.timedelta(days=7)
    if unit == "month":
        return (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return d + dt.timedelta(days=1)


def mention_bins(rows: list[Any], unit: str = "auto") -> dict[str, Any]:
    """Mentions and distinct articles per day / week / month of publication, every bin between the
    first and last dated mention present (zeros included); undated mentions are counted apart."""
    dated: list[tuple[dt.date, str]] = []
    undated = 0
    for r in rows:
        pub = r["published"]
        try:
            dated.append((dt.date.fromisoformat(pub[:10]), r["article"]))
        except (TypeError, ValueError):
            undated += 1
    out: dict[str, Any] = {"unit": unit, "bins": [], "undated": undated}
    if not dated:
        return out
    lo, hi = min(d for d, _ in dated), max(d for d, _ in dated)
    if unit == "auto":
        span = (hi - lo).days
        unit = "day" if span <= AUTO_DAY_MAX_DAYS else "week" if span <= AUTO_WEEK_MAX_DAYS else "month"
    out["unit"] = unit
    mentions: dict[dt.date, int] = defaultdict(int)
    arts: dict[dt.date, set[str]] = defaultdict(set)
    for d, art in dated:
        b = _bin_start(d, unit)
        mentions[b] += 1
        arts[b].add(art)
    b, end = _bin_start(lo, unit), _bin_start(hi, unit)
    while b <= end:
        if len(out["bins"]) >= MAX_BINS:
            raise InvalidRequest(f"{unit} bins from {lo} to {hi} make more than {MAX_BINS} bars; "
                             "use bin=week or bin=month")
        out["bins"].append({"start": b.isoformat(), "mentions": mentions.get(b, 0), "articles": len(arts.get(b, ()))})
        b = _next_bin(b, unit)
    return out


def cooccurrence(store: Store, name: str, limit: int = MAX_COACTORS) -> dict[str, Any]:
    """The actors most often named in the same articles as ``name`` (shared articles per pair), and
    the links among them within ``name``'s articles: an ego network for :func:`svg.cooccurrence_layout`."""
    in_labels = _placeholders(len(ACTOR_LABELS))
    peers = store.execute(
        "SELECT o.canonical AS name, count(DISTINCT o.article) AS shared FROM mentions o"
        " WHERE o.article IN (SELECT article FROM mentions WHERE canonical = ?) AND o.canonical != ?"
        f" AND o.label IN ({in_labels}) GROUP BY o.canonical ORDER BY shared DESC, o.canonical LIMIT ?",
        (name, name, *ACTOR_LABELS, limit))
    names = [p["name"] for p in peers]
    labels = _main_labels(store, names)
    edges: list[dict[str, Any]] = []
    if len(names) > 1:
        ph = _placeholders(len(names))
        edges = [{"a": r["a"], "b": r["b"], "shared": r["n"]} for r in store.execute(
            "SELECT x.canonical AS a, y.canonical AS b, count(DISTINCT x.article) AS n"
            " FROM mentions x JOIN mentions y ON y.article = x.article AND x.canonical < y.canonical"
            " WHERE x.article IN (SELECT article FROM mentions WHERE canonical = ?)"
            f" AND x.canonical IN ({ph}) AND y.canonical IN ({ph})"
            " GROUP BY x.canonical, y.canonical HAVING n >= ? ORDER BY n DESC, a, b LIMIT ?",
            (name, *names, *names, MIN_CHORD_SHARED, MAX_CHORDS))]
    return {"center": name, "peers": [{"name": p["name"], "shared": p["shared"],
                                       "label": _top_label(labels.get(p["name"], {}))} for p in peers],
            "edges": edges, "limit": limit, "min_chord": MIN_CHORD_SHARED}


def actor_events(store: Store, name: str) -> list[dict[str, Any]]:
    """Story events naming ``name`` among their actors (role ``actor``) or as their place (``place``)."""
    if not table_columns(store, "story_events"):
        return []
    out = []
    for r in store.execute(
            "SELECT se.*, s.title AS story_title FROM story_events se LEFT JOIN stories s ON s.id = se.story"
            " WHERE se.place = ? OR EXISTS (SELECT 1 FROM json_each(se.actors) j WHERE j.value = ?)"
            " ORDER BY coalesce(se.date_start, se.date) IS NULL, coalesce(se.date_start, se.date), se.type, se.id",
            (name, name)):
        actors = json.loads(r["actors"] or "[]")
        out.append({"id": r["id"], "story": r["story"], "story_title": r["story_title"], "type": r["type"],
                    "date": r["date"], "place": r["place"], "actors": actors,
                    "figures": json.loads(r["figures"] or "[]"), "articles": r["articles"],
                    "independent_sources": r["independent_sources"], "hedged": bool(r["hedged"]),
                    "as": "actor" if name in actors else "place", "algorithm": r["algorithm"]})
    return out


def alias_judgements_for(store: Store, name: str) -> list[dict[str, Any]]:
    """Human alias judgements (same / different) naming ``name``, newest first, with the other name."""
    return [{**dict(r), "other": r["b"] if r["a"] == name else r["a"]} for r in store.execute(
        "SELECT a, b, decision, note, at FROM judgements WHERE kind = 'alias' AND (a = ? OR b = ?)"
        " ORDER BY at DESC, id DESC", (name, name))]


def known_names(store: Store, names: list[str]) -> set[str]:
    """Those of ``names`` that some mention carries as its canonical name (so an actor page exists)."""
    names = sorted({n for n in names if n})
    if not names or not has_mentions(store):
        return set()
    return {r[0] for r in store.execute(
        f"SELECT DISTINCT canonical FROM mentions WHERE canonical IN ({_placeholders(len(names))})", names)}


def article_actors(store: Store, article_id: str) -> list[dict[str, Any]]:
    """Names mentioned in one article (actors and places), most mentioned first."""
    if not has_mentions(store):
        return []
    return [dict(r) for r in store.execute(
        "SELECT canonical AS name, label, count(*) AS mentions FROM mentions WHERE article = ?"
        " GROUP BY canonical ORDER BY mentions DESC, canonical", (article_id,))]


ALIAS_CANDIDATES_ALGORITHM = "web.alias-candidates-v1"
MAX_ALIAS_CANDIDATES = 12
MIN_ALIAS_TOKEN = 3     # shorter words ("of", "the", "Ban") are too common to suggest an alias


def _words(name: str) -> list[str]:
    return "".join(c if c.isalnum() else " " for c in name.lower()).split()


def _name_tokens(name: str) -> set[str]:
    return {t for t in _words(name) if len(t) >= MIN_ALIAS_TOKEN}


def _contains_words(long: list[str], short: list[str]) -> bool:
    """True when ``short`` occurs as a run of whole words in ``long`` ("pha daeng" in "ban pha daeng")."""
    n = len(short)
    return 0 < n <= len(long) and any(long[i:i + n] == short for i in range(len(long) - n + 1))


def alias_candidates(store: Store, name: str, limit: int = MAX_ALIAS_CANDIDATES) -> list[dict[str, Any]]:
    """Other names that may be the same actor (``web.alias-candidates-v1``): they share a word of at
    least MIN_ALIAS_TOKEN letters with ``name`` or one holds the other as whole words, ignoring case.
    Each comes with its evidence (shared words) so the form can offer it; a person judges, nothing
    is merged."""
    mine = _name_tokens(name)
    words = _words(name)
    out = []
    for r in store.execute("SELECT canonical, count(DISTINCT article) AS n FROM mentions WHERE canonical != ?"
                           " GROUP BY canonical", (name,)):
        other = r["canonical"]
        shared = sorted(mine & _name_tokens(other))
        other_words = _words(other)
        contains = _contains_words(words, other_words) or _contains_words(other_words, words)
        if shared or contains:
            out.append({"name": other, "articles": r["n"], "shared_words": shared, "contains": contains,
                        "algorithm": ALIAS_CANDIDATES_ALGORITHM})
    out.sort(key=lambda c: (-len(c["shared_words"]) - c["contains"], -c["articles"], c["name"]))
    return out[:limit]


# -- highlighted article text ------------------------------------------------------------------------
#: Tables each highlight kind reads (migration ``0004_extraction``); a missing table yields no spans.
HIGHLIGHT_TABLES: dict[str, str] = {"entity": "mentions", "figure": "figures", "date": "date_refs", "quote": "quotes"}


def _figure_facts(store: Store, article_id: str) -> list[dict[str, Any]]:
    """The story facts citing ``article_id``, with the citing sentence and the fact's rivals (the other
    facts of its conflict group in the same story)."""
    if not (table_columns(store, "facts") and table_columns(store, "fact_citations")):
        return []
    rows = store.execute(
        "SELECT DISTINCT c.sentence, x.id, x.story, x.value, x.unit, x.what, x.date, x.articles,"
        " x.independent_sources, x.conflict_group FROM fact_citations c JOIN facts x ON x.id = c.fact"
        " WHERE c.article = ? ORDER BY x.id", (article_id,))
    facts = [{**dict(r), "role": "states"} for r in rows]
    if table_columns(store, "fact_disputes"):   # knowledge.disputes-v1: this article's sentences disputing a fact
        facts += [{**dict(r), "role": "disputes"} for r in store.execute(
            "SELECT DISTINCT d.sentence, x.id, x.story, x.value, x.unit, x.what, x.date, x.articles,"
            " x.independent_sources, x.conflict_group FROM fact_disputes d JOIN facts x ON x.id = d.fact"
            " WHERE d.article = ? ORDER BY x.id", (article_id,))]
    for f in facts:
        f["disputes"] = store.execute("SELECT COUNT(DISTINCT family) FROM fact_disputes WHERE fact = ?",
                                      (f["id"],))[0][0] if table_columns(store, "fact_disputes") else 0
        f["rivals"] = [] if not f["conflict_group"] else [dict(r) for r in store.execute(
            "SELECT id, value, unit, what, date, articles, independent_sources FROM facts"
            " WHERE conflict_group = ? AND id != ? AND story IS ? ORDER BY value",
            (f["conflict_group"], f["id"], f["story"]))]
    return facts


def _fact_of(fig: dict[str, Any], facts: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The fact a figure was merged into: same citing sentence, unit and value (the merge's tolerance);
    the same ``what`` breaks ties."""
    from ..knowledge.merge import same_value

    hits = [f for f in facts if f["sentence"] == fig["sentence"] and f["unit"] == fig["unit"]
            and same_value(float(f["value"]), float(fig["value"]))]
    hits.sort(key=lambda f: f["what"] != fig["what"])
    return hits[0] if hits else None


def _public_fact(f: dict[str, Any] | None) -> dict[str, Any] | None:
    if f is None:
        return None
    keys = ("id", "value", "unit", "what", "date", "articles", "independent_sources", "conflict_group", "role",
            "disputes")
    return {**{k: f.get(k) for k in keys}, "rivals": f["rivals"]}


def highlight_spans(store: Store, article_id: str, text: str,
                    spin_phrases: list[dict[str, Any]] | None = None) -> list[Span]:
    """Every highlight of one article read from the extraction tables, plus its spinner phrases."""
    spans: list[Span] = []
    if table_columns(store, "mentions"):
        for r in store.execute('SELECT start, "end", text, label, canonical FROM mentions WHERE article = ?'
                               " ORDER BY start", (article_id,)):
            label = css_label(r["label"])
            spans.append(Span(r["start"], r["end"], "entity", label, entity_title(r["label"], r["text"], r["canonical"]),
                              {"entity_label": r["label"], "canonical": r["canonical"]}))
    if table_columns(store, "figures"):
        facts = _figure_facts(store, article_id)
        for r in store.execute('SELECT start, "end", value, unit, what, date, date_precision, claimant, qualifier,'
                               " sentence FROM figures WHERE article = ? ORDER BY start", (article_id,)):
            fig = dict(r)
            fact = _public_fact(_fact_of(fig, facts))
            spans.append(Span(r["start"], r["end"], "figure", "conflict" if fact and fact["rivals"] else "",
                              figure_title(fig, fact),
                              {k: fig[k] for k in ("value", "unit", "what", "date", "claimant", "qualifier")}
                              | {"fact": fact}))
    if table_columns(store, "date_refs"):
        for r in store.execute('SELECT start, "end", iso_start, iso_end, precision FROM date_refs WHERE article = ?'
                               " ORDER BY start", (article_id,)):
            spans.append(Span(r["start"], r["end"], "date", css_label(r["precision"]),
                              date_title(r["iso_start"], r["iso_end"], r["precision"]),
                              {"iso_start": r["iso_start"], "iso_end": r["iso_end"], "precision": r["precision"]}))
    if table_columns(store, "quotes"):
        for r in store.execute('SELECT start, "end", speaker, role FROM quotes WHERE article = ? ORDER BY start',
                               (article_id,)):
            spans.append(Span(r["start"], r["end"], "quote", "", quote_title(r["speaker"]),
                              {"speaker": r["speaker"], "role": r["role"]}))
    for m in spin_marks(spin_phrases or []):
        spans.append(Span(m.start, m.end, "spin", "", m.title))
    return spans
