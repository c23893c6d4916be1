"""What a story report shows (``report.story-v1``): the story view of :mod:`scamtrace.views.story`
shaped for the HTML and Markdown renderers, which both read :func:`story_report`, so the two formats
always carry the same content. Everything is per story (indexed lookups), so ``--all`` is linear in
the number of stories.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from ..store import Store
from ..views.stories import story_ids as story_ids
from ..views.story import Resolver, StoryView, story_summary, story_view
from ..views.charts import timeline
from ..urls import safe_url
from .. import __version__

REPORT_ALGORITHM = "report.story-v1"


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


#: The keys of a report's article entry (the story view's, without the web's spinner score).
_SOURCE_KEYS = ("id", "title", "outlet", "published", "url", "credit", "truncated", "family", "origin",
                "origin_credit", "is_origin")


def _source(a: dict[str, Any]) -> dict[str, Any]:
    """A report's article entry: the view's metadata with a URL safe to link (http(s) only)."""
    out = {k: a[k] for k in _SOURCE_KEYS}
    out["safe_url"] = safe_url(a["url"])
    return out
_QUOTE_KEYS = ("quote", "speaker", "role", "articles", "independent_sources")


def story_report(store: Store, story_id: str, resolve: Resolver | None = None) -> dict[str, Any]:
    """Everything one story's report shows, as plain data (raises NotFound for an unknown id):
    the :class:`~scamtrace.views.StoryView` with the report's timeline geometry. ``resolve`` maps
    mentions to actors (default: :func:`actor_resolver` of the store)."""
    view = story_view(store, story_id, resolve)
    return report_of(view)


def report_of(view: StoryView) -> dict[str, Any]:
    """The report's data of one story view."""
    groups = [{**g, "articles": [{**_source(a), "links": a["links"], "link": a["link"]}
                                 for a in g["articles"]]} for g in view.groups]
    return {
        **story_summary(view.story),
        "sources": {k: _source(a) for k, a in view.sources.items()}, "groups": groups,
        "facts": view.facts, "conflicts": view.conflicts,
        "quotes": [{k: q[k] for k in _QUOTE_KEYS} for q in view.quotes], "events": view.events,
        "actors": view.actors,
        "timeline": timeline({"groups": groups, "knowledge": {"events": view.events}}),
        "thread": [{"story": t["story"], "title": t["title"], "title_source": t["title_source"],
                    "first_seen": t["first_seen"], "position": t["position"],
                    "this": t["story"] == view.story["id"]} for t in view.thread],
    }


def report_meta() -> dict[str, Any]:
    """Who made the report and when (shown in the footer of both formats)."""
    return {"algorithm": REPORT_ALGORITHM, "version": __version__,
            "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}


