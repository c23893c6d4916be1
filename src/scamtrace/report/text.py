"""The plain-text story brief ``scamtrace story`` prints: a renderer of :class:`~scamtrace.views.StoryView`."""
from __future__ import annotations

import textwrap
from typing import Any

from ..copies.view import head_line, render_link, suspicious_phrases
from ..views.article import CopiesView
from ..views.story import StoryView, disputes_by_source
from ..views.format import DERIVED_NAME_NOTE, fmt_figure, is_derived_name, story_label

MAX_ACTORS = 15     # actors a terminal brief lists (most mentioned first)
MAX_FACTS = 25
MAX_QUOTES = 12


def dispute_line(fact: dict[str, Any]) -> str | None:
    """"disputed by Salween Herald (vs the group's spokesman): “The figure differs …”" or None."""
    groups = disputes_by_source(fact)
    if not groups:
        return None
    parts = []
    for g in groups:
        who = g["claimant"] or "an unnamed source"
        vs = f" (vs {g['disputed_claimant']})" if g["disputed_claimant"] else ""
        parts.append(f"{who}{vs}: “{g['sentence']}”")
    n = len(groups)
    return f"disputed by {n} source{'s' if n != 1 else ''}, not counted: " + " | ".join(parts)


def render_story(view: StoryView, width: int = 100) -> str:
    """The brief: thread, timeline, actors, figures with disputes and conflicts, quotes."""
    st = view.story
    out = [story_label(st["title"], st.get("title_source"), st["id"]),
           *([f"({DERIVED_NAME_NOTE}, {st.get('title_source')})"] if is_derived_name(st["title"], st.get("title_source")) else []),
           (f"{st['id']}  {st['first_seen'] or '?'} .. {st['last_seen'] or '?'}  "
            f"{len(view.article_ids)} articles, {len(view.family_ids)} independent sources (families)")]
    if view.asked_as:
        out.append(f"({view.asked_as} now resolves to {st['id']}: the stories were merged or re-identified)")
    out.append("")
    out += _thread_lines(view, width)
    out += ["TIMELINE", *_timeline_lines(view, width)]
    out += ["", "ACTORS", *_actor_lines(view, width)]
    out += ["", "FIGURES (articles / independent sources; disputes beside, never counted)", *_figure_lines(view, width)]
    if view.conflicts:
        out += ["", "CONFLICTING FIGURES (side by side, never averaged)"]
        out += ["  " + " | ".join(_conflict_part(f) for f in group) for group in view.conflicts]
    out += ["", "QUOTES", *_quote_lines(view, width)]
    return "\n".join(out)


def _thread_lines(view: StoryView, width: int) -> list[str]:
    if not view.thread:
        return []
    out = [f"THREAD  {view.thread[0]['thread']}  (the events of one affair, in order)"]
    for t in view.thread:
        mark = ">" if t["story"] == view.story["id"] else " "
        out.append(f" {mark}{t['position']:>2}. {t['first_seen'] or 'undated':<10}  {t['story']}  "
                   f"{textwrap.shorten(story_label(t['title'], t['title_source'], ''), max(20, width - 50))}")
    return [*out, ""]


def _timeline_lines(view: StoryView, width: int) -> list[str]:
    out: list[str] = []
    for e in view.events:
        if e["hedged"]:
            continue
        out.append(f"  {e['date'] or 'undated':<23} {e['type']:<12} {e['place'] or '':<18} "
                   f"{e['articles']} art. / {e['independent_sources']} src.")
        if e["citations"]:
            out += textwrap.wrap(e["citations"][0]["sentence"], width, initial_indent="      “",
                                 subsequent_indent="       ")
    return out


def _actor_lines(view: StoryView, width: int) -> list[str]:
    out = []
    for a in view.actors[:MAX_ACTORS]:
        role = f" — {a['roles'][0]}" if a["roles"] else ""
        line = f"  {a['name']} ({a['label'].lower()}, {a['mentions']} mentions){role}"
        out.append(line if len(line) <= width else line[:width - 1].rstrip() + "…")
    return out


def _figure_lines(view: StoryView, width: int) -> list[str]:
    out = []
    for f in view.facts[:MAX_FACTS]:
        claim = ", ".join(f["claimants"])
        out.append(f"  {fmt_figure(f['value'], f['unit']):>16}  {f['what']:<32} {f['date'] or '':<23} "
                   f"{f['articles']}/{f['independent_sources']}" + (f"  per {claim}" if claim else ""))
        if line := dispute_line(f):
            out += textwrap.wrap(line, width, initial_indent="  " + " " * 18 + "! ",
                                 subsequent_indent="  " + " " * 20)
    return out


def _conflict_part(f: dict[str, Any]) -> str:
    """One value of a conflict group: value, what, corroboration, claimants, disputes."""
    return (f"{fmt_figure(f['value'], f['unit'])} {f['what']} ({f['articles']} art./{f['independent_sources']} src."
            + (f", {', '.join(f['claimants'])}" if f["claimants"] else "")
            + (f", disputed by {len(f['disputed_by'])}" if f.get("disputes") else "") + ")")


def _quote_lines(view: StoryView, width: int) -> list[str]:
    out = []
    for q in view.quotes[:MAX_QUOTES]:
        who = q["speaker"] or "unattributed"
        if q["role"]:
            who += f", {q['role']}"
        more = len(q["articles"]) - 1
        src = q.get("independent_sources") or 1
        where = q["article"] + (f" and {more} more article{'' if more == 1 else 's'}, {src} independent "
                                f"source{'' if src == 1 else 's'}" if more else "")
        out += textwrap.wrap(f"“{q['quote']}” — {who} [{where}]", width, initial_indent="  ",
                             subsequent_indent="    ")
    return out


def render_copies(view: CopiesView, width: int = 120) -> str:
    """``scamtrace copies ID``: the article, its family and spin, then each copy link side by side."""
    spin = view.spin
    out = [head_line(view.article), f"family {view.family}" + (f"; looks spun {spin['score']:.2f}" if spin else "")]
    phrases = suspicious_phrases(spin["evidence"].get("phrases") or []) if spin else []
    if phrases:
        out.append("suspicious phrases: " + ", ".join(p["phrase"] for p in phrases[:10]))
    if not view.links:
        out.append("no copy links: an independent article (or nothing like it is in the store yet)")
        return "\n".join(out)
    out.append(f"{len(view.links)} link(s):")
    for ln, other in view.links:
        out += render_link(ln, view.article, other, width)
    return "\n".join(out)

