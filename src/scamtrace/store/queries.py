"""Named read queries: the only SQL the views, the CLI and the renderers depend on.

Each function answers one question about the store and returns typed rows (:mod:`scamtrace.model`
TypedDicts or records), never a cursor. Tables added by later migrations (extraction, knowledge,
actors, threads) are looked up by name first, so a query on an older store returns nothing instead
of failing.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any, cast

from ..model import (ActorRow, ArticleBrief, ArticleKey, ArticleSpans, CitedFact, CoMention, CoMentionPair,
                     CrossFamilyLink, FacetCount, FamilyMemberRow, JudgementRow, LinkRow, NameCount, NameMention,
                     NameTotals, SearchHit, SpinRow, StoryFilter, StoryRow, StorySource, ThreadRow,
                     TitledStoryEvent)
from .analysis import family_of_articles as family_of_articles  # re-exported: one definition
from .analysis import story_of_articles as story_of_articles
from .db import Store, _fts_query, select_in


def _marks(n: int) -> str:
    return ",".join("?" * n)


# -- schema ------------------------------------------------------------------------------------------
def table_columns(store: Store, table: str) -> list[str]:
    """Column names of ``table``, or [] when the store has no such table (or view)."""
    exists = store.execute("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?", (table,))
    if not exists:
        return []
    return [r["name"] for r in store.execute(f'PRAGMA table_info("{table}")')]


def has_table(store: Store, table: str) -> bool:
    return bool(store.execute("SELECT name FROM sqlite_master WHERE name = ?", (table,)))


# -- stories -----------------------------------------------------------------------------------------
def story_row(store: Store, story_id: str) -> StoryRow | None:
    """The ``stories`` row of one id, or None."""
    found = store.execute("SELECT * FROM stories WHERE id = ?", (story_id,))
    return cast(StoryRow, dict(found[0])) if found else None


def story_ids(store: Store) -> list[str]:
    """Every story id, most independent sources first (the order of ``scamtrace stories``)."""
    return [r["id"] for r in store.execute("SELECT id FROM stories ORDER BY families DESC, last_seen DESC, id")]


def story_article_ids(store: Store, story_id: str) -> list[str]:
    """The story's article ids, oldest first."""
    return [r[0] for r in store.execute(
        "SELECT sm.article FROM story_members sm JOIN articles a ON a.id = sm.article WHERE sm.story = ?"
        " ORDER BY a.published, a.id", (story_id,))]


def story_family_ids(store: Store, story_id: str) -> list[str]:
    """The story's copy families, sorted."""
    return sorted({r[0] for r in store.execute(
        "SELECT family FROM story_members WHERE story = ? AND family IS NOT NULL", (story_id,))})


def story_sources(store: Store, story_id: str) -> list[StorySource]:
    """The story's articles with their family and its origin, oldest first."""
    return [cast(StorySource, {**dict(r), "truncated": bool(r["truncated"])}) for r in store.execute(
        "SELECT a.id, a.title, a.outlet, a.published, a.url, a.credit, a.truncated, sm.family,"
        " f.origin, f.origin_credit FROM story_members sm JOIN articles a ON a.id = sm.article"
        " LEFT JOIN families f ON f.id = sm.family WHERE sm.story = ? ORDER BY a.published, a.id", (story_id,))]


def story_of_fact(store: Store, fact_id: str) -> str | None:
    """The story a (live) fact id belongs to."""
    found = store.execute("SELECT story FROM facts WHERE id = ?", (fact_id,))
    return found[0][0] if found else None


def thread_of(store: Store, story_id: str) -> list[ThreadRow]:
    """The places of ``story_id``'s thread in order (empty when it is in none or the store has no threads)."""
    if not has_table(store, "story_threads"):
        return []
    return store.threads(story_id)


# -- copies ------------------------------------------------------------------------------------------
def links_leaving(store: Store, ids: list[str]) -> list[LinkRow]:
    """Every copy link leaving one of ``ids``, by article then strongest first."""
    if not ids:
        return []
    return [cast(LinkRow, {**dict(r), "judged": bool(r["judged"])}) for r in store.execute(
        "SELECT article, source, sibling, relation, score, algorithm, judged FROM links"
        f" WHERE article IN ({_marks(len(ids))}) ORDER BY article, score DESC, other", ids)]


def spin_scores_of(store: Store, ids: list[str]) -> dict[str, float]:
    """Spinner scores of those of ``ids`` that have one."""
    if not ids:
        return {}
    return {r["article"]: r["score"] for r in store.execute(
        f"SELECT article, score FROM spin_scores WHERE article IN ({_marks(len(ids))})", ids)}


# -- actors ------------------------------------------------------------------------------------------
def actor_of_alias(store: Store) -> dict[str, tuple[str, str]]:
    """Every alias -> its actor's (name, label); {} on a store from before migration 0005_actors."""
    try:
        found = store.execute("SELECT aa.alias, a.name, a.label FROM actor_aliases aa JOIN actors a ON a.name = aa.actor")
    except sqlite3.OperationalError:
        return {}
    return {r[0]: (r[1], r[2]) for r in found}


def actors_with_aliases(store: Store) -> list[ActorRow]:
    """Every actor (most mentioned first) with its sorted aliases and its evidence."""
    aliases: dict[str, list[str]] = {}
    for r in store.execute("SELECT actor, alias FROM actor_aliases ORDER BY alias"):
        aliases.setdefault(r["actor"], []).append(r["alias"])
    return [ActorRow(name=r["name"], label=r["label"], mentions=r["mentions"], aliases=aliases.get(r["name"], []),
                     evidence=json.loads(r["evidence"]))
            for r in store.execute("SELECT * FROM actors ORDER BY mentions DESC, name")]


def actor_name_known(store: Store, name: str) -> bool:
    """True when ``name`` is an actor's name or alias, or some mention's canonical name."""
    return bool(store.execute("SELECT 1 FROM actors WHERE name = ? UNION SELECT 1 FROM actor_aliases WHERE alias = ?"
                              " UNION SELECT 1 FROM mentions WHERE canonical = ? LIMIT 1", (name, name, name)))


def actor_names_like(store: Store, name: str, limit: int = 3) -> list[str]:
    """Actor names and aliases equal to ``name`` ignoring case."""
    return [r[0] for r in store.execute(
        "SELECT name FROM actors WHERE name = ? COLLATE NOCASE UNION SELECT alias FROM actor_aliases"
        " WHERE alias = ? COLLATE NOCASE LIMIT ?", (name, name, limit))]


def known_mention_names(store: Store, names: Iterable[str | None]) -> set[str]:
    """Those of ``names`` that some mention carries as its canonical name."""
    wanted = sorted({n for n in names if n})
    if not wanted or not table_columns(store, "mentions"):
        return set()
    return {r[0] for r in store.execute(
        f"SELECT DISTINCT canonical FROM mentions WHERE canonical IN ({_marks(len(wanted))})", wanted)}


# -- the stories list ------------------------------------------------------------------------------
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


def find_stories(store: Store, f: StoryFilter) -> tuple[int, list[StoryRow]]:
    """The number of stories matching ``f`` and the page of them ``f`` asks for, in its order."""
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
    found = store.execute(f"SELECT s.* FROM stories s{cond} ORDER BY {order} LIMIT ? OFFSET ?",
                          [*args, f.limit, f.offset])
    return total, [cast(StoryRow, dict(r)) for r in found]


def story_outlets(store: Store, ids: list[str]) -> dict[str, list[str]]:
    """The outlets of each story of ``ids``, sorted."""
    out: dict[str, list[str]] = {}
    if ids:
        for r in store.execute(
                "SELECT DISTINCT sm.story, a.outlet FROM story_members sm JOIN articles a ON a.id = sm.article"
                f" WHERE sm.story IN ({_marks(len(ids))}) AND a.outlet IS NOT NULL ORDER BY a.outlet", ids):
            out.setdefault(r["story"], []).append(r["outlet"])
    return out


def outlet_names(store: Store) -> list[str]:
    """Every outlet name, sorted."""
    return [r[0] for r in store.execute("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet")]


def story_search_hits(store: Store, q: str, ids: list[str], tokens: int) -> list[SearchHit]:
    """Articles of the stories ``ids`` matching the full-text query ``q``, best first: story, article
    id, title and an FTS5 snippet of ``tokens`` words with hits between \\x02 and \\x03."""
    return [SearchHit(story=r["story"], id=r["id"], title=r["title"], snip=r["snip"]) for r in store.execute(
        "SELECT sm.story, a.id, a.title, snippet(articles_fts, 1, char(2), char(3), '…', ?) AS snip"
        " FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
        " JOIN story_members sm ON sm.article = a.id"
        f" WHERE articles_fts MATCH ? AND sm.story IN ({_marks(len(ids))}) ORDER BY rank",
        [tokens, _fts_query(q), *ids])]


def event_facet(store: Store, column: str, limit: int) -> list[FacetCount]:
    """Event places (``column`` "place") or types ("type") with their number of stories, most first."""
    if column not in ("place", "type") or not table_columns(store, "events"):
        return []
    return [FacetCount(name=r[0], stories=r[1]) for r in store.execute(
        f"SELECT e.{column}, count(DISTINCT sm.story) AS n FROM events e JOIN story_members sm"
        f" ON sm.article = e.article WHERE e.{column} IS NOT NULL AND e.{column} != ''"
        f" GROUP BY e.{column} ORDER BY n DESC, e.{column} LIMIT ?", (limit,))]


def actor_facet(store: Store, labels: tuple[str, ...], limit: int) -> list[FacetCount]:
    """Canonical names with one of ``labels`` and their number of stories, most first."""
    if not table_columns(store, "mentions"):
        return []
    return [FacetCount(name=r[0], stories=r[1]) for r in store.execute(
        "SELECT m.canonical, count(DISTINCT sm.story) AS n FROM mentions m JOIN story_members sm"
        f" ON sm.article = m.article WHERE m.label IN ({_marks(len(labels))})"
        " GROUP BY m.canonical ORDER BY n DESC, m.canonical LIMIT ?", (*labels, limit))]


# -- articles ----------------------------------------------------------------------------------------
def spin_of(store: Store, article_id: str) -> SpinRow | None:
    """The spinner score of one article: score, algorithm and evidence (parsed), or None."""
    found = store.execute("SELECT score, algorithm, evidence FROM spin_scores WHERE article = ?", (article_id,))
    if not found:
        return None
    return SpinRow(score=found[0]["score"], algorithm=found[0]["algorithm"],
                   evidence=json.loads(found[0]["evidence"] or "{}"))


def article_briefs(store: Store, ids: Iterable[str]) -> dict[str, ArticleBrief]:
    """id -> {id, outlet, published, title, credit} of those of ``ids`` that are stored."""
    wanted = list(ids)
    if not wanted:
        return {}
    return {r["id"]: cast(ArticleBrief, dict(r)) for r in store.execute(
        f"SELECT id, outlet, published, title, credit FROM articles WHERE id IN ({_marks(len(wanted))})", wanted)}


def analyzed_at(store: Store, article_id: str) -> str | None:
    """When ``analyze`` last examined the article (None: pending)."""
    found = store.execute("SELECT analyzed_at FROM articles WHERE id = ?", (article_id,))
    return found[0]["analyzed_at"] if found else None


def story_title(store: Store, story_id: str) -> tuple[str | None, str | None]:
    """(title, title_source) of one story; (None, None) when it is not stored."""
    found = store.execute("SELECT title, title_source FROM stories WHERE id = ?", (story_id,))
    return (found[0]["title"], found[0]["title_source"]) if found else (None, None)


def family_members(store: Store, family: str) -> list[FamilyMemberRow]:
    """The articles of one family, origin first then by date: id, outlet, title, published, is_origin."""
    return [cast(FamilyMemberRow, dict(r)) for r in store.execute(
        "SELECT a.id, a.outlet, a.title, a.published, a.id = f.origin AS is_origin FROM family_members fm"
        " JOIN articles a ON a.id = fm.article JOIN families f ON f.id = fm.family WHERE fm.family = ?"
        " ORDER BY is_origin DESC, a.published, a.id", (family,))]


def judgements_naming(store: Store, kind: str, name: str) -> list[JudgementRow]:
    """Human judgements of ``kind`` (copy, alias) naming ``name`` (an article id or an actor name),
    newest first: a, b, decision, note, at."""
    return [cast(JudgementRow, dict(r)) for r in store.execute(
        "SELECT a, b, decision, note, at FROM judgements WHERE kind = ? AND (a = ? OR b = ?)"
        " ORDER BY at DESC, id DESC", (kind, name, name))]


def names_in_article(store: Store, article_id: str) -> list[NameCount]:
    """Canonical names mentioned in one article with their label and count, most mentioned first."""
    if not table_columns(store, "mentions"):
        return []
    return [cast(NameCount, dict(r)) for r in store.execute(
        "SELECT canonical AS name, label, count(*) AS mentions FROM mentions WHERE article = ?"
        " GROUP BY canonical ORDER BY mentions DESC, canonical", (article_id,))]


#: Columns each per-article extraction table gives the article page, in text order.
_SPAN_COLUMNS: dict[str, str] = {
    "mentions": 'start, "end", text, label, canonical',
    "figures": 'start, "end", value, unit, what, date, date_precision, claimant, qualifier, sentence',
    "date_refs": 'start, "end", iso_start, iso_end, precision',
    "quotes": 'start, "end", speaker, role',
}


def _span_rows(store: Store, table: str, article_id: str) -> list[Any]:
    """One article's rows of an extraction table in text order; [] when the store has no such table."""
    if not table_columns(store, table):
        return []
    return [dict(r) for r in store.execute(
        f"SELECT {_SPAN_COLUMNS[table]} FROM {table} WHERE article = ? ORDER BY start", (article_id,))]


def article_spans(store: Store, article_id: str) -> ArticleSpans:
    """One article's rows of the extraction tables (mentions, figures, date_refs, quotes), each in
    text order (empty on a store without them)."""
    return ArticleSpans(mentions=_span_rows(store, "mentions", article_id),
                        figures=_span_rows(store, "figures", article_id),
                        date_refs=_span_rows(store, "date_refs", article_id),
                        quotes=_span_rows(store, "quotes", article_id))


def facts_cited_by(store: Store, article_id: str) -> list[CitedFact]:
    """The story facts ``article_id`` states (role "states") or disputes (role "disputes"), with the
    citing sentence, the number of disputing sources and the fact's rivals (the other facts of its
    conflict group in the same story)."""
    if not (table_columns(store, "facts") and table_columns(store, "fact_citations")):
        return []
    found = store.execute(
        "SELECT DISTINCT c.sentence, x.id, x.story, x.value, x.unit, x.what, x.date, x.articles,"
        " x.independent_sources, x.conflict_group FROM fact_citations c JOIN facts x ON x.id = c.fact"
        " WHERE c.article = ? ORDER BY x.id", (article_id,))
    facts: list[Any] = [{**dict(r), "role": "states"} for r in found]
    disputes = bool(table_columns(store, "fact_disputes"))
    if disputes:   # knowledge.disputes-v1: this article's sentences disputing a fact
        facts += [{**dict(r), "role": "disputes"} for r in store.execute(
            "SELECT DISTINCT d.sentence, x.id, x.story, x.value, x.unit, x.what, x.date, x.articles,"
            " x.independent_sources, x.conflict_group FROM fact_disputes d JOIN facts x ON x.id = d.fact"
            " WHERE d.article = ? ORDER BY x.id", (article_id,))]
    for f in facts:
        f["disputes"] = store.execute("SELECT COUNT(DISTINCT family) FROM fact_disputes WHERE fact = ?",
                                      (f["id"],))[0][0] if disputes else 0
        f["rivals"] = [] if not f["conflict_group"] else [dict(r) for r in store.execute(
            "SELECT id, value, unit, what, date, articles, independent_sources FROM facts"
            " WHERE conflict_group = ? AND id != ? AND story IS ? ORDER BY value",
            (f["conflict_group"], f["id"], f["story"]))]
    return facts


# -- actors (canonical names of mentions) ------------------------------------------------------------
def mention_label_counts(store: Store, names: list[str] | None = None) -> dict[str, dict[str, int]]:
    """Per canonical name (all, or ``names``), its mention counts by label (a name can be tagged two ways)."""
    sql = "SELECT canonical, label, count(*) AS n FROM mentions"
    args: list[Any] = []
    if names is not None:
        if not names:
            return {}
        sql += f" WHERE canonical IN ({_marks(len(names))})"
        args = list(names)
    out: dict[str, dict[str, int]] = {}
    for r in store.execute(sql + " GROUP BY canonical, label", args):
        out.setdefault(r["canonical"], {})[r["label"]] = r["n"]
    return out


def name_counts(store: Store) -> dict[str, NameTotals]:
    """Per canonical name: mentions, articles, stories, first and last publication date."""
    return {r["canonical"]: cast(NameTotals, dict(r)) for r in store.execute(
        "SELECT m.canonical, count(*) AS mentions, count(DISTINCT m.article) AS articles,"
        " count(DISTINCT sm.story) AS stories, min(a.published) AS first, max(a.published) AS last"
        " FROM mentions m JOIN articles a ON a.id = m.article LEFT JOIN story_members sm ON sm.article = m.article"
        " GROUP BY m.canonical")}


def mentions_of(store: Store, name: str) -> list[NameMention]:
    """Every mention carrying the canonical ``name``, by publication date: article, text, label, role,
    and the article's title, outlet, published date and story."""
    return [cast(NameMention, dict(r)) for r in store.execute(
        "SELECT m.article, m.text, m.label, m.role, a.title, a.outlet, a.published, sm.story"
        " FROM mentions m JOIN articles a ON a.id = m.article LEFT JOIN story_members sm ON sm.article = m.article"
        " WHERE m.canonical = ? ORDER BY a.published, m.article, m.start", (name,))]


def co_mentioned(store: Store, name: str, labels: tuple[str, ...], limit: int) -> list[CoMention]:
    """Names with one of ``labels`` most often in the same articles as ``name``: name, shared articles."""
    return [cast(CoMention, dict(r)) for r in store.execute(
        "SELECT o.canonical AS name, count(DISTINCT o.article) AS shared FROM mentions o"
        " WHERE o.article IN (SELECT article FROM mentions WHERE canonical = ?) AND o.canonical != ?"
        f" AND o.label IN ({_marks(len(labels))}) GROUP BY o.canonical ORDER BY shared DESC, o.canonical LIMIT ?",
        (name, name, *labels, limit))]


def co_mention_pairs(store: Store, name: str, names: list[str], min_shared: int, limit: int) -> list[CoMentionPair]:
    """Pairs (a < b) of ``names`` named together in at least ``min_shared`` of ``name``'s articles,
    strongest first: a, b, shared."""
    ph = _marks(len(names))
    return [CoMentionPair(a=r["a"], b=r["b"], shared=r["n"]) for r in store.execute(
        "SELECT x.canonical AS a, y.canonical AS b, count(DISTINCT x.article) AS n"
        " FROM mentions x JOIN mentions y ON y.article = x.article AND x.canonical < y.canonical"
        " WHERE x.article IN (SELECT article FROM mentions WHERE canonical = ?)"
        f" AND x.canonical IN ({ph}) AND y.canonical IN ({ph})"
        " GROUP BY x.canonical, y.canonical HAVING n >= ? ORDER BY n DESC, a, b LIMIT ?",
        (name, *names, *names, min_shared, limit))]


def story_events_naming(store: Store, name: str) -> list[TitledStoryEvent]:
    """Story events naming ``name`` among their actors or as their place, by date, with the story
    title; ``actors`` and ``figures`` parsed."""
    if not table_columns(store, "story_events"):
        return []
    out: list[TitledStoryEvent] = []
    for r in store.execute(
            "SELECT se.*, s.title AS story_title, s.title_source AS story_title_source FROM story_events se LEFT JOIN stories s ON s.id = se.story"
            " WHERE se.place = ? OR EXISTS (SELECT 1 FROM json_each(se.actors) j WHERE j.value = ?)"
            " ORDER BY coalesce(se.date_start, se.date) IS NULL, coalesce(se.date_start, se.date), se.type, se.id",
            (name, name)):
        d = dict(r)
        d["actors"] = json.loads(r["actors"] or "[]")
        d["figures"] = json.loads(r["figures"] or "[]")
        out.append(cast(TitledStoryEvent, d))
    return out


def name_article_counts(store: Store, other_than: str) -> list[tuple[str, int]]:
    """Every canonical name but ``other_than`` with its number of articles."""
    return [(r["canonical"], r["n"]) for r in store.execute(
        "SELECT canonical, count(DISTINCT article) AS n FROM mentions WHERE canonical != ? GROUP BY canonical",
        (other_than,))]


# -- whole-store maps the stages and evaluations read (family_of_articles and story_of_articles
#    are store.analysis's, re-exported) ----------------------------------------------------------
def article_ids(store: Store) -> set[str]:
    return {r["id"] for r in store.execute("SELECT id FROM articles")}


def article_keys(store: Store) -> list[ArticleKey]:
    """Every article's id, url and source (what gold files name articles by), by id."""
    return [cast(ArticleKey, dict(r)) for r in store.execute("SELECT id, url, source FROM articles ORDER BY id")]


def spun_articles(store: Store, articles: Iterable[str] | None = None) -> set[str]:
    """Articles with a ``spun`` copy link (of ``articles`` only, when given: their links are read by key,
    not every link)."""
    if articles is None:
        return {r["article"] for r in store.execute("SELECT article FROM links WHERE relation = 'spun'")}
    return {r[0] for r in select_in(store.db, "SELECT DISTINCT article FROM links WHERE article IN ({})"
                                    " AND relation = 'spun'", sorted(set(articles)))}


#: Links whose two texts are in different families, with only the pair and the passage spans of
#: their evidence (SQLite JSON functions, so a large store is not loaded into memory).
_CROSS_FAMILY_LINKS = (
    "SELECT l.article, l.source, l.sibling, l.relation, json_extract(l.evidence, '$.pair') AS pair,"
    " json_extract(l.evidence, '$.features.passages.spans') AS spans,"
    " json_extract(l.evidence, '$.passages.spans') AS spans2,"
    " json_extract(l.evidence, '$.features.longest_passage.evidence.span') AS longest"
    " FROM links l LEFT JOIN family_members fa ON fa.article = l.article"
    " LEFT JOIN family_members fo ON fo.article = l.other"
    " WHERE fa.family IS NULL OR fo.family IS NULL OR fa.family != fo.family")


def cross_family_links(store: Store, touching: str | None = None) -> list[CrossFamilyLink]:
    """Copy links between different families (every one, or those ``touching`` one article as copy,
    source or sibling): article, source, sibling, relation and the JSON of the evidence's pair,
    passage spans (two places) and longest passage span."""
    if touching is None:
        return [cast(CrossFamilyLink, dict(r)) for r in store.execute(_CROSS_FAMILY_LINKS)]
    return [cast(CrossFamilyLink, dict(r)) for r in store.execute(
        f"SELECT * FROM ({_CROSS_FAMILY_LINKS}) WHERE article = ? OR source = ? OR sibling = ?",
        (touching, touching, touching))]
