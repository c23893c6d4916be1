"""What a story report shows, gathered from the store as plain data (``report.story-v1``).

One function per part: the story row, its articles grouped by copy family with every copy link,
figures with corroboration and conflicts, quotes with speakers, events and actors. The HTML and
Markdown renderers both read :func:`story_report`, so the two formats always carry the same content.
Everything here is per story (indexed lookups), so ``--all`` is linear in the number of stories.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from ..errors import NotFound
from ..knowledge.brief import (
    actor_resolver,
    disputes_by_source,
    distinct_quotes,
    story_actors,
)
from ..knowledge.independence import Borrowed, credit_quotes
from ..store import Store
from ..store.extracted import facts, rows, story_events
from ..web.svg import timeline
from ..urls import safe_url
from ..model import ACTOR_LABELS

REPORT_ALGORITHM = "report.story-v1"


Resolver = Callable[[str, str], tuple[str, str]]


def story_ids(store: Store) -> list[str]:
    """Every story id, most independent sources first (the order of ``scamtrace stories``)."""
    return [r["id"] for r in store.execute(
        "SELECT id FROM stories ORDER BY families DESC, last_seen DESC, id")]


def _story_row(store: Store, story_id: str) -> dict[str, Any]:
    from ..stories.ids import resolve_story

    story_id = resolve_story(store, story_id)   # an id retired by a merge names its successor
    found = store.execute("SELECT * FROM stories WHERE id = ?", (story_id,))
    if not found:
        raise NotFound(f"no story {story_id!r}; list them with `scamtrace stories`")
    return dict(found[0])


def _sources(store: Store, story_id: str) -> dict[str, dict[str, Any]]:
    """The story's articles (id -> metadata with a safe URL), oldest first."""
    out: dict[str, dict[str, Any]] = {}
    for r in store.execute(
            "SELECT a.id, a.title, a.outlet, a.published, a.url, a.credit, a.truncated, sm.family,"
            " f.origin, f.origin_credit FROM story_members sm JOIN articles a ON a.id = sm.article"
            " LEFT JOIN families f ON f.id = sm.family WHERE sm.story = ? ORDER BY a.published, a.id", (story_id,)):
        out[r["id"]] = {"id": r["id"], "title": r["title"], "outlet": r["outlet"], "published": r["published"],
                        "url": r["url"], "safe_url": safe_url(r["url"]), "credit": r["credit"],
                        "truncated": bool(r["truncated"]), "family": r["family"], "origin": r["origin"],
                        "origin_credit": r["origin_credit"], "is_origin": r["id"] == r["origin"]}
    return out


def _links(store: Store, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Every copy link leaving each article of ``ids`` (strongest first)."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if not ids:
        return out
    marks = ",".join("?" * len(ids))
    for r in store.execute(
            "SELECT article, source, sibling, relation, score, algorithm, judged FROM links"
            f" WHERE article IN ({marks}) ORDER BY article, score DESC, other", ids):
        out[r["article"]].append({"relation": r["relation"], "of": r["source"] or r["sibling"],
                                  "sibling": r["source"] is None, "score": round(r["score"], 4),
                                  "algorithm": r["algorithm"], "judged": bool(r["judged"])})
    return out


def group_citations(citations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Citations that quote the same sentence (copies repeat it) merged: each sentence once, with the
    articles carrying it and their claimants, in first-seen order."""
    out: dict[str, dict[str, Any]] = {}
    for c in citations:
        key = " ".join(str(c.get("sentence") or "").lower().split())
        g = out.setdefault(key, {"sentence": c.get("sentence"), "articles": [], "claimants": []})
        if c["article"] not in g["articles"]:
            g["articles"].append(c["article"])
        if c.get("claimant") and c["claimant"] not in g["claimants"]:
            g["claimants"].append(c["claimant"])
    return list(out.values())


def _primary(links: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The link that names an article's relation: the strongest non-excerpt one, else an excerpt."""
    return next((ln for ln in links if ln["relation"] != "excerpt"), links[0] if links else None)


def _groups(sources: dict[str, dict[str, Any]], links: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Articles grouped by copy family, original first, families in order of first publication."""
    groups: dict[str, dict[str, Any]] = {}
    for a in sources.values():
        key = a["family"] or f"(no family) {a['id']}"
        g = groups.setdefault(key, {"family": a["family"], "origin": a["origin"],
                                    "origin_credit": a["origin_credit"], "articles": []})
        own = links.get(a["id"], [])
        g["articles"].append({**a, "links": own, "link": _primary(own)})
    out = list(groups.values())
    for g in out:
        g["articles"].sort(key=lambda a: (not a["is_origin"], a["published"] or "9999", a["id"]))
        g["first"] = min((a["published"] for a in g["articles"] if a["published"]), default=None)
    out.sort(key=lambda g: (g["first"] or "9999", -len(g["articles"]), g["family"] or ""))
    return out


def _facts(store: Store, story_id: str) -> tuple[list[dict[str, Any]], list[list[dict[str, Any]]]]:
    """Figures (most corroborated first) and the groups of figures that conflict (largest value first)."""
    fs = sorted(facts(store, story_id), key=lambda f: (-f["independent_sources"], -f["articles"], f["what"], f["value"]))
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in fs:
        f["claimants"] = sorted({c["claimant"] for c in f["citations"] if c["claimant"]})
        f["disputed_by"] = disputes_by_source(f)     # shown beside the figure, never counted
        if f["conflict_group"]:
            groups[f["conflict_group"]].append(f)
    conflicts = [sorted(g, key=lambda f: -f["value"]) for _, g in sorted(groups.items())]
    return fs, conflicts


def _quotes(store: Store, story_id: str, members: set[str]) -> list[dict[str, Any]]:
    """Quotes once each (copies repeat them), with their speaker and every article carrying them."""
    quotes = rows(store, "quotes", story=story_id)
    credit_quotes(Borrowed.from_store(store, members), quotes)
    return [{k: q[k] for k in ("quote", "speaker", "role", "articles", "independent_sources")}
            for q in distinct_quotes(quotes)]


def _events(store: Store, story_id: str) -> list[dict[str, Any]]:
    from ..knowledge.brief import event_rows

    return sorted(event_rows(story_events(store, story_id)),
                  key=lambda e: (e.get("date_start") or e.get("date") or "9999", e["type"], e["id"]))


def story_report(store: Store, story_id: str, resolve: Resolver | None = None) -> dict[str, Any]:
    """Everything one story's report shows, as plain data (raises NotFound for an unknown id).
    ``resolve`` maps mentions to actors (default: :func:`actor_resolver` of the store)."""
    st = _story_row(store, story_id)
    story_id = st["id"]
    sources = _sources(store, story_id)
    links = _links(store, list(sources))
    groups = _groups(sources, links)
    fs, conflicts = _facts(store, story_id)
    events = _events(store, story_id)
    return {
        "id": st["id"], "title": st["title"], "first_seen": st["first_seen"], "last_seen": st["last_seen"],
        "articles": st["size"], "families": st["families"], "algorithm": st["algorithm"],
        "sources": sources, "groups": groups, "facts": fs, "conflicts": conflicts,
        "quotes": _quotes(store, story_id, set(sources)), "events": events,
        "actors": story_actors(rows(store, "mentions", story=story_id), resolve or actor_resolver(store)),
        "timeline": timeline({"groups": groups, "knowledge": {"events": events}}),
        "thread": _thread(store, story_id),
    }


def _thread(store: Store, story_id: str) -> list[dict[str, Any]]:
    """The stories of this story's thread, in order (empty when it is in none)."""
    if not store.execute("SELECT name FROM sqlite_master WHERE name = 'story_threads'"):
        return []
    return [{"story": t["story"], "title": t["title"], "first_seen": t["first_seen"], "position": t["position"],
             "this": t["story"] == story_id} for t in store.threads(story_id)]


def report_meta() -> dict[str, Any]:
    """Who made the report and when (shown in the footer of both formats)."""
    from .. import __version__

    return {"algorithm": REPORT_ALGORITHM, "version": __version__,
            "generated": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}


def fmt_figure(value: float, unit: str) -> str:
    """``12,000`` for people, ``2.40 <unit>`` otherwise: the stored value, never rounded to another number."""
    n = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return n if unit == "people" else f"{n} {unit}"
