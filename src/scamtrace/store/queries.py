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

from ..model import LinkRow, StoryRow, StorySource
from .db import Store


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


def thread_of(store: Store, story_id: str) -> list[dict[str, Any]]:
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


def actors_with_aliases(store: Store) -> list[dict[str, Any]]:
    """Every actor (most mentioned first) with its sorted aliases and its evidence."""
    aliases: dict[str, list[str]] = {}
    for r in store.execute("SELECT actor, alias FROM actor_aliases ORDER BY alias"):
        aliases.setdefault(r["actor"], []).append(r["alias"])
    return [{"name": r["name"], "label": r["label"], "mentions": r["mentions"], "aliases": aliases.get(r["name"], []),
             "evidence": json.loads(r["evidence"])}
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
