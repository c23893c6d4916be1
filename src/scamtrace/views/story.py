"""The story view: one story assembled once, for every renderer.

:func:`story_view` reads the story from the store (named queries of :mod:`scamtrace.store.queries`
and :mod:`scamtrace.store.extracted`) and applies the presentation rules that decide what a reader
is told: which link names a copy's relation, how repeated events and quotes are joined, which
mentions are actors. The CLI brief (``scamtrace story``), the web story page and its ``/api`` twin,
and the report (HTML and Markdown) all render this one :class:`StoryView`; they choose how much to
show, never what it means.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import InvalidRequest, NotFound
from ..knowledge.independence import Borrowed, credit_quotes
from ..model import ACTOR_LABELS, FactRow, LinkRow, StoryRow, ThreadRow
from ..store import Store, queries
from ..store.extracted import facts as stored_facts
from ..store.extracted import rows, story_events
from ..stories.ids import resolve_story

#: Tables a story's knowledge (figures, events, quotes, actors) needs (migration ``0004_extraction`` on).
KNOWLEDGE_TABLES: tuple[str, ...] = ("facts", "fact_citations", "story_events", "quotes", "mentions")
#: Most-mentioned actors a story holds (renderers may show fewer); chosen for a one-page read.
MAX_STORY_ACTORS = 25

#: Named rule for how stories show events (the stored ``story_events`` are unchanged): rows of one
#: type, date and hedging whose places agree (or one has none) are one row, with the union of their
#: citations, actors and figures.
EVENT_ROWS = "knowledge.brief-event-rows-v1"
#: Named rule for quotes shown once each: copies repeat a quote, so quotes whose words agree (case,
#: spacing and punctuation ignored) are one, with every article carrying it and the independent
#: sources (families; a quote inside a borrowed passage counts for its lender) it stands on.
QUOTE_ROWS = "knowledge.brief-quote-rows-v1"

Resolver = Callable[[str, str], tuple[str, str]]


@dataclass(slots=True)
class StoryView:
    """Everything any renderer shows of one story.

    ``sources`` maps article id -> metadata (with ``is_origin``), oldest first;
    ``groups`` are the articles by copy family (original first; families by first publication),
    each article with every link leaving it (``links``), the one naming its relation (``link``) and
    its spinner score (``spin``). ``story`` is the stored row (id, title, dates, size, families,
    algorithm). ``facts`` are most corroborated first, each with ``claimants``,
    ``disputed_by`` (grouped by disputing source, never counted) and ``rivals`` (the other values of
    its conflict group); ``conflicts`` the conflict groups (largest value first). ``events`` follow
    :data:`EVENT_ROWS`, ``quotes`` :data:`QUOTE_ROWS`. ``has_knowledge`` is False on a store from
    before the extraction tables (then those lists are empty). ``asked_as`` is the retired id the
    story was asked by, if any.
    """

    story: StoryRow
    asked_as: str | None
    article_ids: list[str]
    family_ids: list[str]
    sources: dict[str, dict[str, Any]]
    groups: list[dict[str, Any]]
    has_knowledge: bool = False
    facts: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[list[dict[str, Any]]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    actors: list[dict[str, Any]] = field(default_factory=list)
    thread: list[ThreadRow] = field(default_factory=list)


def resolve_story_id(store: Store, story_id: str) -> str:
    """The live id for ``story_id`` (itself, the successor of an id retired by a merge, or a fact
    id's story); raises NotFound when there is none."""
    if not queries.table_columns(store, "story_aliases"):
        if queries.story_row(store, story_id) is None:
            raise NotFound(f"no story {story_id!r}; list them with `scamtrace stories`")
        return story_id

    return resolve_story(store, story_id)


def story_view(store: Store, story_id: str, resolve: Resolver | None = None) -> StoryView:
    """One story (an id retired by a merge, or a fact id, names its live story); raises NotFound.
    ``resolve`` maps mentions to actors (default: :func:`actor_resolver` of the store; pass one to
    reuse it across stories)."""
    live = resolve_story_id(store, story_id)
    row = queries.story_row(store, live)
    if row is None:
        raise NotFound(f"no story {live!r}; list them with `scamtrace stories`")
    sources = {s["id"]: {**s, "is_origin": s["id"] == s["origin"]}
               for s in queries.story_sources(store, live)}
    links = _links_by_article(queries.links_leaving(store, list(sources)))
    spins = queries.spin_scores_of(store, list(sources))
    view = StoryView(
        story=row, asked_as=story_id if story_id != live else None, article_ids=queries.story_article_ids(store, live),
        family_ids=queries.story_family_ids(store, live), sources=sources,
        groups=_groups(sources, links, spins), thread=queries.thread_of(store, live))
    if all(queries.table_columns(store, t) for t in KNOWLEDGE_TABLES):
        _add_knowledge(store, view, resolve or actor_resolver(store))
    return view


def story_summary(row: StoryRow) -> dict[str, Any]:
    """A story's head as the web and the report show it: id, title, dates, ``articles`` (its size),
    ``families`` (independent sources) and algorithm."""
    return {"id": row["id"], "title": row["title"], "title_source": row["title_source"], "first_seen": row["first_seen"], "last_seen": row["last_seen"],
            "articles": row["size"], "families": row["families"], "algorithm": row["algorithm"]}


def story_views(store: Store, ids: Iterable[str] | None = None) -> list[StoryView]:
    """The stories ``ids`` (every story, most independent sources first, when None) with one actor
    resolver for all; raises InvalidRequest when there is none, NotFound for an unknown id."""
    chosen = queries.story_ids(store) if ids is None else list(ids)
    if not chosen:
        raise InvalidRequest("no story to report: the store has no stories yet; run `scamtrace analyze` first")
    resolve = actor_resolver(store)
    return [story_view(store, sid, resolve) for sid in chosen]


def _add_knowledge(store: Store, view: StoryView, resolve: Resolver) -> None:
    fs = sorted(stored_facts(store, view.story["id"]),
                key=lambda f: (-f["independent_sources"], -f["articles"], f["what"], f["value"]))
    groups: dict[str, list[FactRow]] = defaultdict(list)
    for f in fs:
        if f["conflict_group"]:
            groups[f["conflict_group"]].append(f)
    view.facts = [{**f, "claimants": sorted({c["claimant"] for c in f["citations"] if c["claimant"]}),
                   "disputed_by": disputes_by_source(f), "rivals": _rivals(f, fs)} for f in fs]
    by_id = {f["id"]: f for f in view.facts}
    view.conflicts = [sorted((by_id[f["id"]] for f in g), key=lambda f: -f["value"]) for _, g in sorted(groups.items())]
    view.events = sorted(event_rows(story_events(store, view.story["id"])),
                         key=lambda e: (e.get("date_start") or e.get("date") or "9999", e["type"], e["id"]))
    quotes = rows(store, "quotes", story=view.story["id"])
    credit_quotes(Borrowed.from_store(store, set(view.sources)), quotes)   # a borrowed quote counts for its lender
    view.quotes = distinct_quotes(quotes)
    view.actors = story_actors(rows(store, "mentions", story=view.story["id"]), resolve)
    view.has_knowledge = True


# -- articles by copy family ---------------------------------------------------------------------------
def _links_by_article(found: list[LinkRow]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in found:
        out[r["article"]].append({"relation": r["relation"], "of": r["source"] or r["sibling"],
                                  "sibling": r["source"] is None, "score": round(r["score"], 4),
                                  "algorithm": r["algorithm"], "judged": r["judged"]})
    return out


def primary_link(links: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The link that names an article's relation: the strongest non-excerpt one, else an excerpt."""
    return next((ln for ln in links if ln["relation"] != "excerpt"), links[0] if links else None)


def _groups(sources: dict[str, dict[str, Any]], links: dict[str, list[dict[str, Any]]],
            spins: dict[str, float]) -> list[dict[str, Any]]:
    """Articles grouped by copy family, original first, families in order of first publication."""
    groups: dict[str, dict[str, Any]] = {}
    for a in sources.values():
        key = a["family"] or f"(no family) {a['id']}"
        g = groups.setdefault(key, {"family": a["family"], "origin": a["origin"],
                                    "origin_credit": a["origin_credit"], "articles": []})
        own = links.get(a["id"], [])
        spin = spins.get(a["id"])
        g["articles"].append({**a, "links": own, "link": primary_link(own),
                              "spin": round(spin, 3) if spin is not None else None})
    out = list(groups.values())
    for g in out:
        g["articles"].sort(key=lambda a: (not a["is_origin"], a["published"] or "9999", a["id"]))
        g["first"] = min((a["published"] for a in g["articles"] if a["published"]), default=None)
    out.sort(key=lambda g: (g["first"] or "9999", -len(g["articles"]), g["family"] or ""))
    return out


# -- figures --------------------------------------------------------------------------------------------
def disputes_by_source(fact: Mapping[str, Any]) -> list[dict[str, Any]]:
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


def _rivals(fact: Mapping[str, Any], facts: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The other values of ``fact``'s conflict group, most independent sources first."""
    group = fact.get("conflict_group")
    if not group:
        return []
    rivals = [{k: f.get(k) for k in ("id", "value", "unit", "what", "date", "articles", "independent_sources")}
              for f in facts if f.get("conflict_group") == group and f.get("id") != fact.get("id")]
    return sorted(rivals, key=lambda r: (-(r["independent_sources"] or 0), -(r["articles"] or 0), r["value"]))


# -- events, quotes, actors --------------------------------------------------------------------------
def event_rows(events: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
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


def distinct_quotes(quotes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Quotes once each (:data:`QUOTE_ROWS`): ``article`` is the first article carrying it, ``articles``
    all of them, ``independent_sources`` their families (``family`` set by :func:`credit_quotes`);
    the speaker is the first one named. Most independent sources first."""
    seen: dict[str, dict[str, Any]] = {}
    families: dict[str, set[Any]] = defaultdict(set)
    for quote in quotes:
        key = " ".join(re.sub(r"[^\w\s]", " ", str(quote.get("quote") or "").casefold()).split())
        if not key:
            continue
        if key not in seen:
            seen[key] = {"quote": quote.get("quote"), "speaker": quote.get("speaker"), "role": quote.get("role"),
                         "article": quote.get("article"), "articles": []}
        d = seen[key]
        if quote.get("article") not in d["articles"]:
            d["articles"].append(quote.get("article"))
        families[key].add(quote.get("family") or quote.get("article"))
        if not d["speaker"] and quote.get("speaker"):
            d["speaker"], d["role"] = quote.get("speaker"), quote.get("role")
    for key, d in seen.items():
        d["independent_sources"] = len(families[key])
    return sorted(seen.values(), key=lambda d: (-d["independent_sources"], -len(d["articles"]), d["speaker"] is None,
                                                d["speaker"] or ""))


def actor_resolver(store: Store) -> Resolver:
    """A function from a mention's (canonical name, label) to its actor's (name, label): the actor of
    ``knowledge.actors-v4`` (name variants across articles joined) when the store has actors, else
    the mention's own. Whitespace in names is collapsed (stored names may carry stray newlines)."""
    table = {alias: (" ".join(name.split()), label) for alias, (name, label) in queries.actor_of_alias(store).items()}

    def resolve(canonical: str, label: str) -> tuple[str, str]:
        return table.get(canonical) or (" ".join((canonical or "").split()), label)

    return resolve


def story_actors(mentions: list[dict[str, Any]], resolve: Resolver) -> list[dict[str, Any]]:
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
