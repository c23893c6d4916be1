"""A story brief for people: timeline, actors, figures with corroboration and conflicts, quotes."""
from __future__ import annotations

import textwrap
from collections import Counter, defaultdict
from typing import Any

from ..errors import NotFound
from ..store import Store
from ..store.extracted import actor_of, facts, rows, story_events
from .independence import Borrowed, credit_quotes

MAX_ACTORS = 15
MAX_QUOTES = 12


def _fmt_value(v: float, unit: str) -> str:
    n = f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"
    return n if unit == "people" else f"{n} {unit}"


def disputes_by_source(fact: dict[str, Any]) -> list[dict[str, Any]]:
    """A fact's disputes grouped by disputing source (family): who disputes, whose figure, the sentence."""
    groups: dict[str, dict[str, Any]] = {}
    for d in fact.get("disputes") or []:
        g = groups.setdefault(d["family"], {"family": d["family"], "claimant": None, "disputed_claimant": None,
                                            "articles": [], "sentence": d["sentence"], "rule": d["rule"],
                                            "cue": d["cue"]})
        g["claimant"] = g["claimant"] or d["claimant"]
        g["disputed_claimant"] = g["disputed_claimant"] or d["disputed_claimant"]
        if d["article"] not in g["articles"]:
            g["articles"].append(d["article"])
    return sorted(groups.values(), key=lambda g: (g["claimant"] or "~", g["family"]))


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


def _story(store: Store, story_id: str) -> dict[str, Any]:
    """One story as :meth:`Store.stories` lists it (its row, ``articles`` by date, ``family_ids``),
    read by id instead of listing every story."""
    row = store.execute("SELECT * FROM stories WHERE id = ?", (story_id,))
    if not row:
        raise NotFound(f"no story {story_id!r}; list them with `scamtrace stories`")
    st = dict(row[0])
    st["articles"] = [r[0] for r in store.execute(
        "SELECT sm.article FROM story_members sm JOIN articles a ON a.id = sm.article WHERE sm.story = ?"
        " ORDER BY a.published, a.id", (story_id,))]
    st["family_ids"] = sorted({r[0] for r in store.execute(
        "SELECT family FROM story_members WHERE story = ? AND family IS NOT NULL", (story_id,))})
    return st


def story_brief(store: Store, story_id: str) -> dict[str, Any]:
    """Everything a brief shows, as data (the web page and the text brief both use it)."""
    st = _story(store, story_id)
    members = set(st["articles"])
    mentions = rows(store, "mentions", story=story_id)
    alias = actor_of(store)
    actor_count: Counter = Counter()
    roles: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    for m in mentions:
        if m["label"] in ("PERSON", "ORG", "ARMED_GROUP", "AGENCY", "COMPOUND"):
            name = alias.get(m["canonical"], m["canonical"])
            actor_count[name] += 1
            labels.setdefault(name, m["label"])
            if m["role"]:
                roles[name].add(m["role"])
    fs = facts(store, story_id)
    conflicts: dict[str, list[dict]] = defaultdict(list)
    for f in fs:
        if f["conflict_group"]:
            conflicts[f["conflict_group"]].append(f)
    arts = {a.id: a for a in store.iter_articles(sorted(members))}
    quotes = rows(store, "quotes", story=story_id)
    credit_quotes(Borrowed.from_store(store, members), quotes)   # a borrowed quote counts for its lender
    return {
        "story": st,
        "events": story_events(store, story_id),
        "actors": [{"name": n, "label": labels[n], "mentions": c, "roles": sorted(roles[n])[:3]}
                   for n, c in actor_count.most_common(MAX_ACTORS)],
        "facts": sorted(fs, key=lambda f: (-f["independent_sources"], -f["articles"], f["what"])),
        "conflicts": list(conflicts.values()),
        "quotes": quotes,
        "articles": arts,
    }


def render_story(store: Store, story_id: str, width: int = 100) -> str:
    b = story_brief(store, story_id)
    st = b["story"]
    out = [f"{st['title'] or story_id}", f"{story_id}  {st['first_seen'] or '?'} .. {st['last_seen'] or '?'}  "
           f"{len(st['articles'])} articles, {len(st['family_ids'])} independent sources (families)", ""]
    out.append("TIMELINE")
    for e in b["events"]:
        if e["hedged"]:
            continue
        out.append(f"  {e['date'] or 'undated':<23} {e['type']:<12} {e['place'] or '':<18} "
                   f"{e['articles']} art. / {e['independent_sources']} src.")
        if e["citations"]:
            out += textwrap.wrap(e["citations"][0]["sentence"], width, initial_indent="      “",
                                 subsequent_indent="       ")
    out += ["", "ACTORS"]
    for a in b["actors"]:
        role = f" — {a['roles'][0]}" if a["roles"] else ""
        out.append(f"  {a['name']} ({a['label'].lower()}, {a['mentions']} mentions){role}"[:width])
    out += ["", "FIGURES (articles / independent sources; disputes beside, never counted)"]
    for f in b["facts"][:25]:
        claim = ", ".join(sorted({c["claimant"] for c in f["citations"] if c["claimant"]}))
        out.append(f"  {_fmt_value(f['value'], f['unit']):>16}  {f['what']:<32} {f['date'] or '':<23} "
                   f"{f['articles']}/{f['independent_sources']}" + (f"  per {claim}" if claim else ""))
        if line := dispute_line(f):
            out += textwrap.wrap(line, width, initial_indent="  " + " " * 18 + "! ",
                                 subsequent_indent="  " + " " * 20)
    if b["conflicts"]:
        out += ["", "CONFLICTING FIGURES (side by side, never averaged)"]
        for group in b["conflicts"]:
            out.append("  " + " | ".join(
                f"{_fmt_value(f['value'], f['unit'])} {f['what']} ({f['articles']} art./{f['independent_sources']} src."
                + (f", {', '.join(sorted({c['claimant'] for c in f['citations'] if c['claimant']}))}"
                   if any(c["claimant"] for c in f["citations"]) else "")
                + (f", disputed by {len(disputes_by_source(f))}" if f.get("disputes") else "") + ")"
                for f in sorted(group, key=lambda f: -f["value"])))
    out += ["", "QUOTES"]
    for q in b["quotes"][:MAX_QUOTES]:
        who = q["speaker"] or "unattributed"
        if q["role"]:
            who += f", {q['role']}"
        out += textwrap.wrap(f"“{q['quote']}” — {who} [{q['article']}]", width, initial_indent="  ",
                             subsequent_indent="    ")
    return "\n".join(out)
