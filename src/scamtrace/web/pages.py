"""What the web pages and their ``/api`` twins show, rendered from the views of :mod:`scamtrace.views`.

The HTML page and its ``/api/...`` twin use the same function, so what a reader sees and what a
script gets are the same data. No SQL here: the views read the store through its named queries.
"""
from __future__ import annotations

from typing import Any

from ..urls import safe_url
from ..views.article import ArticleView
from ..views.story import StoryView, story_summary
from .highlight import (
    HighlightSpan,
    css_label,
    date_title,
    entity_title,
    figure_title,
    highlight,
    quote_title,
)
from .marks import Paragraph, link_sides, segment, spin_marks

MAX_FACTS = 20          # figures listed on a story page (most corroborated first)
MAX_QUOTES = 12
MAX_ACTORS = 15         # actors listed on a story page (most mentioned first)
MAX_CITATIONS = 8       # citing sentences shown per figure or event


def _short(s: str | None, n: int = 40) -> str | None:
    if not s:
        return None
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


# -- story page --------------------------------------------------------------------------------------
_WEB_ARTICLE_KEYS = ("id", "title", "outlet", "published", "credit", "truncated", "is_origin")
_CONFLICT_KEYS = ("id", "value", "unit", "what", "date", "place", "articles", "independent_sources", "disputes")
_QUOTE_KEYS = ("quote", "speaker", "role", "articles", "independent_sources")


def story_page(view: StoryView, linkable: set[str]) -> dict[str, Any]:
    """The story page's data (and its ``/api`` JSON): the story view, with the page's limits.
    ``linkable`` are the names that have an actor page."""
    groups = [{**g, "articles": [{**{k: a[k] for k in _WEB_ARTICLE_KEYS},
                                  "link": {k: a["link"][k] for k in ("relation", "of", "sibling", "score")}
                                  if a["link"] else None, "spin": a["spin"]} for a in g["articles"]]}
              for g in view.groups]
    return {**story_summary(view.story), "groups": groups, "knowledge": _knowledge(view, linkable) if view.has_knowledge else None,
            "thread": _thread(view),
            "outlet_of": {a["id"]: a["outlet"] or _short(a["title"]) or a["id"] for a in view.sources.values()}}


def story_names(view: StoryView) -> list[str | None]:
    """The names a story page may link to an actor page: its actors and its events' actors and places."""
    return ([a["name"] for a in view.actors] + [n for e in view.events for n in (e.get("actors") or [])]
            + [e.get("place") for e in view.events])


def _knowledge(view: StoryView, linkable: set[str]) -> dict[str, Any]:
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
        "linkable": sorted(linkable),
    }


def _thread(view: StoryView) -> dict[str, Any] | None:
    """The story's thread (``stories.threads-v1``): its id, the stories in order, the previous and
    next event; None when the story is in no thread."""
    if not view.thread:
        return None
    pos = next(i for i, t in enumerate(view.thread) if t["story"] == view.story["id"])
    brief = [{"id": t["story"], "title": t["title"], "title_source": t["title_source"], "first_seen": t["first_seen"],
              "position": t["position"]}
             for t in view.thread]
    return {"id": view.thread[0]["thread"], "stories": brief, "previous": brief[pos - 1] if pos > 0 else None,
            "next": brief[pos + 1] if pos + 1 < len(brief) else None}


# -- article page ------------------------------------------------------------------------------------
def article_page(view: ArticleView) -> dict[str, Any]:
    """An article: metadata, paragraphs with marks, family, story, spin evidence, links, judgements and
    the highlighted text."""
    art = view.article
    own_marks = spin_marks(view.spin["phrases"]) if view.spin else []
    paragraphs: list[Paragraph] = segment(art.text, own_marks)
    spans = highlight_spans(view)
    return {
        "article": {**art.to_dict(), "url": art.url, "safe_url": safe_url(art.url), "analyzed_at": view.analyzed_at,
                    "language_note": view.language_note},
        "paragraphs": paragraphs, "spin": view.spin, "family": view.family, "family_members": view.family_members,
        "story": view.story, "story_title": view.story_title, "story_title_source": view.story_title_source,
        "links": [link_sides(ln, art, other, own_marks) for ln, other in view.as_copy], "copied_by": view.copied_by,
        "judgements": view.judgements, "pending": view.analyzed_at is None,
        "actors": view.actors, "highlights": highlight(art.text, spans),
    }


def highlight_spans(view: ArticleView) -> list[HighlightSpan]:
    """Every highlight of one article: its extracted entities, figures, dates and quotes, and its
    spinner phrases."""
    spans: list[HighlightSpan] = []
    for m in view.spans.get("mentions", []):
        spans.append(HighlightSpan(m["start"], m["end"], "entity", css_label(m["label"]),
                          entity_title(m["label"], m["text"], m["canonical"]),
                          {"entity_label": m["label"], "canonical": m["canonical"]}))
    for f in view.spans.get("figures", []):
        fig = {k: v for k, v in f.items() if k != "fact"}
        fact = f.get("fact")
        spans.append(HighlightSpan(f["start"], f["end"], "figure", "conflict" if fact and fact["rivals"] else "",
                          figure_title(fig, fact),
                          {k: fig[k] for k in ("value", "unit", "what", "date", "claimant", "qualifier")}
                          | {"fact": fact}))
    for d in view.spans.get("date_refs", []):
        spans.append(HighlightSpan(d["start"], d["end"], "date", css_label(d["precision"]),
                          date_title(d["iso_start"], d["iso_end"], d["precision"]),
                          {"iso_start": d["iso_start"], "iso_end": d["iso_end"], "precision": d["precision"]}))
    for q in view.spans.get("quotes", []):
        spans.append(HighlightSpan(q["start"], q["end"], "quote", "", quote_title(q["speaker"]),
                          {"speaker": q["speaker"], "role": q["role"]}))
    for mark in spin_marks(view.spin["phrases"] if view.spin else []):
        spans.append(HighlightSpan(mark.start, mark.end, "spin", "", mark.title))
    return spans
