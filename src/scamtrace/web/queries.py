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

from ..copies.spin import SPUN_ARTICLE_THRESHOLD
from ..copies.view import outlet_stats
from ..errors import NotFound
from ..store import Store
from ..store.db import _fts_query
from .marks import Paragraph, link_sides, segment, spin_marks

log = logging.getLogger(__name__)

STORY_SORTS: tuple[str, ...] = ("recent", "families")
SNIPPET_TOKENS = 24     # words of context in a search-hit snippet
MAX_PAGE_SIZE = 200
#: Tables the knowledge brief of a story needs (migration ``0004_extraction`` and later).
KNOWLEDGE_TABLES: tuple[str, ...] = ("facts", "fact_citations", "story_events", "quotes", "mentions")
MAX_FACTS = 20          # figures listed on a story page (most corroborated first)
MAX_QUOTES = 12
MAX_CITATIONS = 8       # citing sentences shown per figure or event
@dataclass(frozen=True, slots=True)
class StoryFilter:
    """What the stories list asks for. Dates are ISO days; ``sort`` is one of :data:`STORY_SORTS`."""

    q: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    outlet: str | None = None
    sort: str = "recent"
    limit: int = 50
    offset: int = 0

    def __post_init__(self) -> None:
        if self.sort not in STORY_SORTS:
            raise ValueError(f"sort must be one of {', '.join(STORY_SORTS)}, got {self.sort!r}")
        if not 1 <= self.limit <= MAX_PAGE_SIZE:
            raise ValueError(f"limit must be between 1 and {MAX_PAGE_SIZE}, got {self.limit}")
        if self.offset < 0:
            raise ValueError(f"offset must be 0 or more, got {self.offset}")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(f"date_from {self.date_from} is after date_to {self.date_to}; swap them")


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


def _safe_url(url: str | None) -> str | None:
    """The URL when it is http(s), else None: a stored URL never becomes a ``javascript:`` link."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


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
                       "date_to": f.date_to.isoformat() if f.date_to else None, "outlet": f.outlet, "sort": f.sort},
            "outlets": [r[0] for r in store.execute(
                "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet")]}


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
def _relations_to(store: Store, ids: list[str]) -> dict[str, dict[str, Any]]:
    """For each article in ``ids`` that is a copy: its strongest link (relation, other end, score)."""
    out: dict[str, dict[str, Any]] = {}
    if not ids:
        return out
    for r in store.execute(
            "SELECT article, source, sibling, relation, score FROM links"
            f" WHERE article IN ({_placeholders(len(ids))}) ORDER BY score DESC", ids):
        if r["article"] not in out and r["relation"] != "excerpt":
            out[r["article"]] = {"relation": r["relation"], "of": r["source"] or r["sibling"],
                                 "sibling": r["source"] is None, "score": round(r["score"], 4)}
    for r in store.execute(
            "SELECT article, source, relation, score FROM links"
            f" WHERE article IN ({_placeholders(len(ids))}) AND relation = 'excerpt' ORDER BY score DESC", ids):
        out.setdefault(r["article"], {"relation": "excerpt", "of": r["source"], "sibling": False,
                                      "score": round(r["score"], 4)})
    return out


def _knowledge(store: Store, story_id: str) -> dict[str, Any] | None:
    """The story brief of :mod:`scamtrace.knowledge` (events, figures with corroboration and conflicts,
    actors, quotes), or None when the store predates those tables or the stage is unavailable."""
    if not all(table_columns(store, t) for t in KNOWLEDGE_TABLES):
        return None
    try:
        from ..knowledge.brief import story_brief

        brief = story_brief(store, story_id)
    except (ImportError, sqlite3.Error, KeyError) as e:   # a table mid-migration must not break the page
        log.warning("story %s: no knowledge brief: %s", story_id, e)
        return None
    facts = brief.get("facts") or []
    return {
        "events": sorted(({**e, "citations": e.get("citations", [])[:MAX_CITATIONS]} for e in brief.get("events") or []),
                         key=lambda e: (e.get("date_start") or e.get("date") or "9999", e.get("type") or "")),
        "facts": [{**f, "citations": f.get("citations", [])[:MAX_CITATIONS]} for f in facts[:MAX_FACTS]],
        "more_facts": max(0, len(facts) - MAX_FACTS),
        "conflicts": [[{k: f.get(k) for k in ("id", "value", "unit", "what", "date", "place", "articles",
                                              "independent_sources")} for f in group]
                      for group in brief.get("conflicts") or []],
        "actors": brief.get("actors") or [],
        "quotes": _distinct_quotes(brief.get("quotes") or [])[:MAX_QUOTES],
    }


def _distinct_quotes(quotes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Quotes once each (copies repeat them), with every article that carries the quote."""
    seen: dict[str, dict[str, Any]] = {}
    for q in quotes:
        key = " ".join(str(q.get("quote") or "").lower().split())
        if key not in seen:
            seen[key] = {"quote": q.get("quote"), "speaker": q.get("speaker"), "role": q.get("role"), "articles": []}
        if q.get("article") not in seen[key]["articles"]:
            seen[key]["articles"].append(q.get("article"))
        if not seen[key]["speaker"] and q.get("speaker"):
            seen[key]["speaker"], seen[key]["role"] = q.get("speaker"), q.get("role")
    return sorted(seen.values(), key=lambda q: (-len(q["articles"]), not q["speaker"]))


def story_detail(store: Store, story_id: str) -> dict[str, Any]:
    """A story: its articles grouped by copy family (original first), timeline data and knowledge brief."""
    rows = store.execute("SELECT * FROM stories WHERE id = ?", (story_id,))
    if not rows:
        raise NotFound(f"no story {story_id!r}; the stories list shows every id")
    st = rows[0]
    members = store.execute(
        "SELECT a.id, a.title, a.outlet, a.published, a.credit, a.truncated, sm.family,"
        " f.origin, f.origin_credit FROM story_members sm JOIN articles a ON a.id = sm.article"
        " LEFT JOIN families f ON f.id = sm.family WHERE sm.story = ? ORDER BY a.published, a.id", (story_id,))
    ids = [m["id"] for m in members]
    rel = _relations_to(store, ids)
    spins = _spins(store, ids)
    groups: dict[str, dict[str, Any]] = {}
    for m in members:
        key = m["family"] or f"(no family) {m['id']}"
        g = groups.setdefault(key, {"family": m["family"], "origin": m["origin"],
                                    "origin_credit": m["origin_credit"], "articles": []})
        g["articles"].append({
            "id": m["id"], "title": m["title"], "outlet": m["outlet"], "published": m["published"],
            "credit": m["credit"], "truncated": bool(m["truncated"]), "is_origin": m["id"] == m["origin"],
            "link": rel.get(m["id"]), "spin": spins.get(m["id"]),
        })
    fams = list(groups.values())
    for g in fams:
        g["articles"].sort(key=lambda a: (not a["is_origin"], a["published"] or "9999", a["id"]))
        g["first"] = min((a["published"] for a in g["articles"] if a["published"]), default=None)
    fams.sort(key=lambda g: (g["first"] or "9999", -len(g["articles"]), g["family"] or ""))
    return {"id": st["id"], "title": st["title"], "first_seen": st["first_seen"], "last_seen": st["last_seen"],
            "articles": st["size"], "families": st["families"], "algorithm": st["algorithm"],
            "groups": fams, "knowledge": _knowledge(store, story_id),
            "outlet_of": {m["id"]: m["outlet"] or _short(m["title"]) or m["id"] for m in members}}


def _spins(store: Store, ids: list[str]) -> dict[str, float]:
    if not ids:
        return {}
    return {r["article"]: round(r["score"], 3) for r in store.execute(
        f"SELECT article, score FROM spin_scores WHERE article IN ({_placeholders(len(ids))})", ids)}


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
                "phrases": ev.get("phrases") or [], "collocations": ev.get("collocations") or []}
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
    return {
        "article": {**art.to_dict(), "url": art.url, "safe_url": _safe_url(art.url), "analyzed_at": analyzed},
        "paragraphs": paragraphs, "spin": spin, "family": fam, "family_members": _family_members(store, fam),
        "story": story, "story_title": story_title, "links": as_copy, "copied_by": copied_by,
        "judgements": judgements_for(store, article_id), "pending": analyzed is None,
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
        raise ValueError(f"limit must be between 1 and {MAX_PAGE_SIZE}, got {limit}")
    if offset < 0:
        raise ValueError(f"offset must be 0 or more, got {offset}")
    every = sorted(store.families(min_size=min_size), key=lambda f: (-len(f.members), f.id))
    fams = every[offset:offset + limit]
    ids = sorted({m for f in fams for m in f.members})
    meta = {r["id"]: dict(r) for r in store.execute(
        f"SELECT id, outlet, published, title, credit FROM articles WHERE id IN ({_placeholders(len(ids))})", ids)} \
        if ids else {}
    member_of = {m: f.id for f in fams for m in f.members}
    edges: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for ln in (store.links() if fams else []):
        if ln.article not in member_of:
            continue
        if ln.source is None and ln.article > (ln.sibling or ""):
            continue  # a sibling pair is stored both ways: draw it once
        edges[member_of[ln.article]].append({"from": ln.source or ln.sibling, "to": ln.article, "relation": ln.relation,
                                             "sibling": ln.source is None, "score": round(ln.score, 4),
                                             "judged": ln.evidence.get("judgement")})
    out = []
    for f in fams:
        nodes = [{**meta.get(m, {"id": m}), "is_origin": m == f.origin} for m in f.members]
        nodes.sort(key=lambda n: (not n["is_origin"], n.get("published") or "9999", n["id"]))
        out.append({"id": f.id, "origin": f.origin, "origin_credit": f.origin_credit, "algorithm": f.algorithm,
                    "nodes": nodes, "edges": edges.get(f.id, [])})
    return {"families": out, "min_size": min_size, "total": len(every), "limit": limit, "offset": offset}


def outlets(store: Store) -> dict[str, Any]:
    """Per-outlet copy counts by relation, uncredited copies and spun-looking articles."""
    return {"outlets": outlet_stats(store), "spun_threshold": SPUN_ARTICLE_THRESHOLD}
