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
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from ..copies.spin import SPUN_ARTICLE_THRESHOLD
from ..copies.view import outlet_stats
from ..errors import NotFound
from ..store import Store
from ..store.db import _fts_query
from .marks import Paragraph, article_marks, link_sides

log = logging.getLogger(__name__)

STORY_SORTS: tuple[str, ...] = ("recent", "families")
MAX_PAGE_SIZE = 200
#: Rows shown per extra table (figures, quotes, events) on a story page.
MAX_EXTRA_ROWS = 60
#: Tables a story page shows when a migration has created them; each needs an ``article`` column.
EXTRA_TABLES: tuple[str, ...] = ("events", "figures", "quotes")
#: Columns of extra tables never shown (bulky or internal).
HIDDEN_EXTRA_COLUMNS = frozenset({"evidence", "text_hash", "raw", "json", "rowid"})


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
    stories = [{"id": r["id"], "title": r["title"], "first_seen": r["first_seen"], "last_seen": r["last_seen"],
                "articles": r["size"], "families": r["families"], "outlets": outlets.get(r["id"], []),
                "algorithm": r["algorithm"]} for r in rows]
    return {"stories": stories, "total": total, "limit": f.limit, "offset": f.offset,
            "filter": {"q": f.q, "date_from": f.date_from.isoformat() if f.date_from else None,
                       "date_to": f.date_to.isoformat() if f.date_to else None, "outlet": f.outlet, "sort": f.sort},
            "outlets": [r[0] for r in store.execute(
                "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet")]}


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


def _extras(store: Store, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Rows of the optional extract tables (events, figures, quotes) for the articles ``ids``."""
    out: dict[str, dict[str, Any]] = {}
    for table in EXTRA_TABLES:
        cols = table_columns(store, table)
        if "article" not in cols or not ids:
            continue
        shown = [c for c in cols if c not in HIDDEN_EXTRA_COLUMNS]
        try:
            rows = store.execute(
                f'SELECT {", ".join(chr(34) + c + chr(34) for c in shown)} FROM "{table}"'
                f" WHERE article IN ({_placeholders(len(ids))}) LIMIT ?", [*ids, MAX_EXTRA_ROWS + 1])
        except Exception as e:  # a table mid-migration must not break the story page
            log.warning("story extras: cannot read %s: %s", table, e)
            continue
        out[table] = {"columns": shown, "rows": [[_cell(r[c]) for c in shown] for r in rows[:MAX_EXTRA_ROWS]],
                      "more": len(rows) > MAX_EXTRA_ROWS}
    return out


def _cell(v: Any) -> Any:
    if isinstance(v, bytes):
        return f"<{len(v)} bytes>"
    if isinstance(v, str) and len(v) > 300:
        return v[:300] + "…"
    return v


def story_detail(store: Store, story_id: str) -> dict[str, Any]:
    """A story: its articles grouped by copy family (original first), timeline data and extras."""
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
            "groups": fams, "extras": _extras(store, ids)}


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
    links = [ln for ln in store.links(article_id) if ln.source is not None or ln.article == article_id]
    as_copy, copied_by = [], []
    for ln in links:
        if ln.article == article_id:
            other = store.get_article(ln.source or ln.sibling or "")
            as_copy.append(link_sides(ln, art, other))
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
    paragraphs: list[Paragraph] = article_marks(art.text, spin["phrases"] if spin else [])
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
        "SELECT a.id, a.outlet, a.published, a.id = f.origin AS is_origin FROM family_members fm"
        " JOIN articles a ON a.id = fm.article JOIN families f ON f.id = fm.family WHERE fm.family = ?"
        " ORDER BY is_origin DESC, a.published, a.id", (fam,))]


def judgements_for(store: Store, article_id: str) -> list[dict[str, Any]]:
    """Human copy judgements naming ``article_id``, newest first."""
    return [dict(r) for r in store.execute(
        "SELECT a, b, decision, note, at FROM judgements WHERE kind = 'copy' AND (a = ? OR b = ?)"
        " ORDER BY at DESC, id DESC", (article_id, article_id))]


# -- provenance graph, outlets --------------------------------------------------------------------
def provenance(store: Store, min_size: int = 2) -> dict[str, Any]:
    """Families with at least ``min_size`` members: nodes (articles) and edges (copy links)."""
    fams = store.families(min_size=min_size)
    ids = sorted({m for f in fams for m in f.members})
    meta = {r["id"]: dict(r) for r in store.execute(
        f"SELECT id, outlet, published, title, credit FROM articles WHERE id IN ({_placeholders(len(ids))})", ids)} \
        if ids else {}
    member_of = {m: f.id for f in fams for m in f.members}
    edges: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for ln in store.links():
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
    out.sort(key=lambda f: (-len(f["nodes"]), f["id"]))
    return {"families": out, "min_size": min_size}


def outlets(store: Store) -> dict[str, Any]:
    """Per-outlet copy counts by relation, uncredited copies and spun-looking articles."""
    return {"outlets": outlet_stats(store), "spun_threshold": SPUN_ARTICLE_THRESHOLD}
