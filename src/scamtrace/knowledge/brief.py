"""A story brief for people: timeline, actors, figures with corroboration and conflicts, quotes."""
from __future__ import annotations

import re
import textwrap
from collections import Counter, defaultdict
from typing import Any

from ..errors import NotFound
from ..store import Store
from ..store.extracted import facts, rows, story_events
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
    from ..stories.ids import resolve_story

    asked = story_id
    story_id = resolve_story(store, story_id)   # an id retired by a merge names its successor
    row = store.execute("SELECT * FROM stories WHERE id = ?", (story_id,))
    if not row:
        raise NotFound(f"no story {story_id!r}; list them with `scamtrace stories`")
    st = dict(row[0])
    st["asked_as"] = asked if asked != story_id else None
    st["articles"] = [r[0] for r in store.execute(
        "SELECT sm.article FROM story_members sm JOIN articles a ON a.id = sm.article WHERE sm.story = ?"
        " ORDER BY a.published, a.id", (story_id,))]
    st["family_ids"] = sorted({r[0] for r in store.execute(
        "SELECT family FROM story_members WHERE story = ? AND family IS NOT NULL", (story_id,))})
    return st


#: Named rule for how the brief, the story page and the report show events (the stored
#: ``story_events`` are unchanged): rows of one type, date and hedging whose places agree (or one has
#: none) are one row, with the union of their citations, actors and figures.
EVENT_ROWS = "knowledge.brief-event-rows-v1"


def event_rows(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``events`` (as :func:`story_events` gives them) with repeated rows joined (:data:`EVENT_ROWS`).
    ``articles`` and ``independent_sources`` are recounted from the joined citations; ``joined``
    lists the ids of the stored events a row stands for."""
    out: list[dict[str, Any]] = []
    for e in events:
        key = (e["type"], e.get("date_start"), e.get("date_end"), bool(e.get("hedged")))
        row = next((r for r in out if r["_key"] == key
                    and (not r.get("place") or not e.get("place") or r["place"] == e["place"])), None)
        if row is None:
            out.append({**e, "_key": key, "joined": [e["id"]], "actors": list(e.get("actors") or []),
                        "figures": [tuple(f) for f in e.get("figures") or []],
                        "citations": list(e.get("citations") or [])})
            continue
        row["joined"].append(e["id"])
        row["place"] = row.get("place") or e.get("place")
        row["actors"] = sorted(set(row["actors"]) | set(e.get("actors") or []))
        row["figures"] = sorted(set(row["figures"]) | {tuple(f) for f in e.get("figures") or []})
        seen = {(c["article"], c["sentence"]) for c in row["citations"]}
        row["citations"] += [c for c in e.get("citations") or [] if (c["article"], c["sentence"]) not in seen]
    for r in out:
        del r["_key"]
        if len(r["joined"]) > 1:
            r["articles"] = len({c["article"] for c in r["citations"]})
            r["independent_sources"] = len({c.get("family") or c["article"] for c in r["citations"]})
    return out


#: Named rule for quotes shown once each, shared by the CLI brief, the story page and the report:
#: copies repeat a quote, so quotes whose words agree (case, spacing and punctuation ignored) are one,
#: with every article carrying it and the independent sources (families; a quote inside a borrowed
#: passage counts for its lender) it stands on.
QUOTE_ROWS = "knowledge.brief-quote-rows-v1"


def distinct_quotes(quotes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Quotes once each (:data:`QUOTE_ROWS`): ``article`` is the first article carrying it, ``articles``
    all of them, ``independent_sources`` their families (``family`` set by :func:`credit_quotes`);
    the speaker is the first one named. Most independent sources first."""
    seen: dict[str, dict[str, Any]] = {}
    families: dict[str, set[str]] = defaultdict(set)
    for q in quotes:
        key = " ".join(re.sub(r"[^\w\s]", " ", str(q.get("quote") or "").casefold()).split())
        if not key:
            continue
        if key not in seen:
            seen[key] = {"quote": q.get("quote"), "speaker": q.get("speaker"), "role": q.get("role"),
                         "article": q.get("article"), "articles": []}
        d = seen[key]
        if q.get("article") not in d["articles"]:
            d["articles"].append(q.get("article"))
        families[key].add(q.get("family") or q.get("article"))
        if not d["speaker"] and q.get("speaker"):
            d["speaker"], d["role"] = q.get("speaker"), q.get("role")
    for key, d in seen.items():
        d["independent_sources"] = len(families[key])
    return sorted(seen.values(), key=lambda q: (-q["independent_sources"], -len(q["articles"]), q["speaker"] is None,
                                                q["speaker"] or ""))


#: Actor labels a story lists (places are shown with events and figures instead).
ACTOR_LABELS: tuple[str, ...] = ("PERSON", "ORG", "ARMED_GROUP", "AGENCY", "COMPOUND")
#: Most-mentioned actors a story holds (renderers may show fewer); chosen for a one-page read.
MAX_STORY_ACTORS = 25


def actor_resolver(store: Store) -> Any:
    """A function from a mention's (canonical name, label) to its actor's (name, label): the actor of
    ``knowledge.actors-v1`` (name variants across articles joined) when the store has actors, else
    the mention's own. Whitespace in names is collapsed (stored names may carry stray newlines)."""
    import sqlite3

    try:
        found = store.execute("SELECT aa.alias, a.name, a.label FROM actor_aliases aa JOIN actors a ON a.name = aa.actor")
    except sqlite3.OperationalError:     # a store from before migration 0005_actors
        found = []
    table = {r[0]: (" ".join(r[1].split()), r[2]) for r in found}

    def resolve(canonical: str, label: str) -> tuple[str, str]:
        return table.get(canonical) or (" ".join((canonical or "").split()), label)

    return resolve


def story_actors(mentions: list[dict[str, Any]], resolve: Any) -> list[dict[str, Any]]:
    """The story's actors from its mentions, most mentioned first: name, label, mentions, articles and
    the two most frequent roles."""
    count: Counter[tuple[str, str]] = Counter()
    articles: dict[tuple[str, str], set[str]] = defaultdict(set)
    roles: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for m in mentions:
        key = resolve(m["canonical"], m["label"])
        if key[1] not in ACTOR_LABELS or not key[0]:
            continue
        count[key] += 1
        articles[key].add(m["article"])
        if m["role"]:
            roles[key][m["role"]] += 1
    return [{"name": n, "label": lab, "mentions": c, "articles": len(articles[(n, lab)]),
             "roles": [r for r, _ in roles[(n, lab)].most_common(2)]}
            for (n, lab), c in sorted(count.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_STORY_ACTORS]]


def story_brief(store: Store, story_id: str) -> dict[str, Any]:
    """Everything a brief shows, as data (the web page and the text brief both use it)."""
    st = _story(store, story_id)
    story_id = st["id"]
    members = set(st["articles"])
    fs = sorted(facts(store, story_id), key=lambda f: (-f["independent_sources"], -f["articles"], f["what"], f["value"]))
    conflicts: dict[str, list[dict]] = defaultdict(list)
    for f in fs:
        if f["conflict_group"]:
            conflicts[f["conflict_group"]].append(f)
    arts = {a.id: a for a in store.iter_articles(sorted(members))}
    quotes = rows(store, "quotes", story=story_id)
    credit_quotes(Borrowed.from_store(store, members), quotes)   # a borrowed quote counts for its lender
    return {
        "story": st,
        "events": sorted(event_rows(story_events(store, story_id)),
                         key=lambda e: (e.get("date_start") or e.get("date") or "9999", e["type"], e["id"])),
        "actors": story_actors(rows(store, "mentions", story=story_id), actor_resolver(store)),
        "facts": fs,
        "conflicts": [sorted(g, key=lambda f: -f["value"]) for _, g in sorted(conflicts.items())],
        "quotes": distinct_quotes(quotes),
        "articles": arts,
        "thread": store.threads(story_id),
    }


def render_story(store: Store, story_id: str, width: int = 100) -> str:
    b = story_brief(store, story_id)
    st = b["story"]
    story_id = st["id"]
    out = [f"{st['title'] or story_id}", f"{story_id}  {st['first_seen'] or '?'} .. {st['last_seen'] or '?'}  "
           f"{len(st['articles'])} articles, {len(st['family_ids'])} independent sources (families)"]
    if st.get("asked_as"):
        out.append(f"({st['asked_as']} now resolves to {story_id}: the stories were merged or re-identified)")
    out.append("")
    if b["thread"]:
        out.append(f"THREAD  {b['thread'][0]['thread']}  (the events of one affair, in order)")
        for t in b["thread"]:
            mark = ">" if t["story"] == story_id else " "
            out.append(f" {mark}{t['position']:>2}. {t['first_seen'] or 'undated':<10}  {t['story']}  "
                       f"{textwrap.shorten(t['title'] or '', max(20, width - 50))}")
        out.append("")
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
    for a in b["actors"][:MAX_ACTORS]:
        role = f" — {a['roles'][0]}" if a["roles"] else ""
        line = f"  {a['name']} ({a['label'].lower()}, {a['mentions']} mentions){role}"
        out.append(line if len(line) <= width else line[:width - 1].rstrip() + "…")
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
        more = len(q["articles"]) - 1
        where = q["article"] + (f" and {more} more article{'' if more == 1 else 's'}" if more else "")
        out += textwrap.wrap(f"“{q['quote']}” — {who} [{where}]", width, initial_indent="  ",
                             subsequent_indent="    ")
    return "\n".join(out)
