"""The actor views: the actors index and one actor's page (labels, surface forms, roles, mentions over
time, co-occurring actors, events, articles, alias judgements and alias candidates)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from ..errors import InvalidRequest, NotFound
from ..model import ACTOR_LABELS, MAX_PAGE_SIZE, NameMention
from ..store import Store, queries


ACTOR_BINS: tuple[str, ...] = ("auto", "day", "week", "month")
#: ``auto`` bins by day while the dated mentions span at most this many days, else by week, and by
#: month past AUTO_WEEK_MAX_DAYS (set by eye on the demo corpus: ~6 months gives ~26 weekly bars).
AUTO_DAY_MAX_DAYS = 45
AUTO_WEEK_MAX_DAYS = 400
MAX_BINS = 400          # a chart with more bars is refused with a hint to use a coarser bin
MAX_COACTORS = 12       # co-occurring actors drawn in the network (most shared articles first)
MIN_CHORD_SHARED = 2    # two ring actors are joined when they share at least this many of the actor's articles
MAX_CHORDS = 18         # and only the strongest joins are drawn (set by eye on the demo's densest actor)
MAX_ACTOR_ROLES = 20
MAX_ACTOR_ARTICLES = 200
ALIAS_DECISIONS: tuple[str, ...] = ("same", "different")


def has_mentions(store: Store) -> bool:
    """True when the store has the extraction tables the actor pages read."""
    return bool(queries.table_columns(store, "mentions"))


def _top_label(counts: dict[str, int]) -> str:
    return max(sorted(counts), key=lambda k: counts[k]) if counts else "?"


def actors_index(store: Store, label: str | None = None, q: str | None = None,
                 limit: int = 100, offset: int = 0) -> dict[str, Any]:
    """Every named actor (or, with ``label``, every name with that main label) with counts of mentions,
    articles and stories and the span of publication dates, most articles first."""
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidRequest(f"limit must be between 1 and {MAX_PAGE_SIZE}, got {limit}")
    if offset < 0:
        raise InvalidRequest(f"offset must be 0 or more, got {offset}")
    empty = {"actors": [], "total": 0, "limit": limit, "offset": offset, "label": label, "q": q, "labels": {}}
    if not has_mentions(store):
        return empty
    labels = queries.mention_label_counts(store)
    main = {n: _top_label(c) for n, c in labels.items()}
    facet: dict[str, int] = defaultdict(int)
    for lab in main.values():
        facet[lab] += 1
    wanted = set(ACTOR_LABELS) if not label else {label}
    if label and label not in facet:
        raise InvalidRequest(f"label must be one of {', '.join(sorted(facet))}, got {label[:40]!r}")
    needle = (q or "").strip().lower()
    names = [n for n, lab in main.items() if lab in wanted and (not needle or needle in n.lower())]
    counts = queries.name_counts(store)
    rows = sorted((counts[n] for n in names if n in counts),
                  key=lambda r: (-r["articles"], -r["mentions"], r["canonical"]))
    actors = [{"name": r["canonical"], "label": main[r["canonical"]], "mentions": r["mentions"],
               "articles": r["articles"], "stories": r["stories"], "first": r["first"], "last": r["last"]}
              for r in rows[offset:offset + limit]]
    return {**empty, "actors": actors, "total": len(rows), "labels": dict(sorted(facet.items()))}


def actor_detail(store: Store, name: str, bin_: str = "auto") -> dict[str, Any]:
    """One actor: labels, surface forms, roles, mentions over time, co-occurring actors, events,
    articles and alias judgements. Raises NotFound for a name no mention carries."""
    if bin_ not in ACTOR_BINS:
        raise InvalidRequest(f"bin must be one of {', '.join(ACTOR_BINS)}, got {bin_[:20]!r}")
    if not has_mentions(store):
        raise NotFound("this store has no extracted mentions yet; run `scamtrace analyze`")
    rows = queries.mentions_of(store, name)
    if not rows:
        raise NotFound(f"no actor {name!r}; the actors index at /actors lists every name")
    label_counts = _count(r["label"] for r in rows)
    articles = _actor_articles(rows)
    return {
        "name": name, "label": _top_label(dict(label_counts)), "labels": label_counts,
        "mentions": len(rows), "articles_total": len(articles),
        "forms": _count(r["text"] for r in rows),
        "roles": _count(r["role"] for r in rows if r["role"])[:MAX_ACTOR_ROLES],
        "timeline": mention_bins(rows, bin_),
        "network": cooccurrence(store, name),
        "events": actor_events(store, name),
        "articles": articles[:MAX_ACTOR_ARTICLES], "more_articles": max(0, len(articles) - MAX_ACTOR_ARTICLES),
        "stories": _count(r["story"] for r in rows if r["story"]),
        "aliases": [{**j, "other": j["b"] if j["a"] == name else j["a"]}
                    for j in queries.judgements_naming(store, "alias", name)],
        "alias_candidates": alias_candidates(store, name),
    }


def _count(values: Any) -> list[list[Any]]:
    """[[value, count], ...], most frequent first, then by value (JSON-friendly pairs)."""
    c: dict[Any, int] = defaultdict(int)
    for v in values:
        c[v] += 1
    return [[k, n] for k, n in sorted(c.items(), key=lambda kv: (-kv[1], str(kv[0])))]


def _actor_articles(rows: list[NameMention]) -> list[dict[str, Any]]:
    """The articles among ``rows`` (mentions), newest first, with the mentions each holds."""
    arts: dict[str, dict[str, Any]] = {}
    for r in rows:
        a = arts.setdefault(r["article"], {"id": r["article"], "title": r["title"], "outlet": r["outlet"],
                                           "published": r["published"], "story": r["story"], "mentions": 0,
                                           "roles": []})
        a["mentions"] += 1
        if r["role"] and r["role"] not in a["roles"]:
            a["roles"].append(r["role"])
    return sorted(arts.values(), key=lambda a: (a["published"] or "", a["id"]), reverse=True)


def _bin_start(d: dt.date, unit: str) -> dt.date:
    if unit == "week":
        return d - dt.timedelta(days=d.weekday())     # ISO weeks start on Monday
    if unit == "month":
        return d.replace(day=1)
    return d


def _next_bin(d: dt.date, unit: str) -> dt.date:
    if unit == "week":
        return d + dt.timedelta(days=7)
    if unit == "month":
        return (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return d + dt.timedelta(days=1)


def mention_bins(rows: list[Any], unit: str = "auto") -> dict[str, Any]:
    """Mentions and distinct articles per day / week / month of publication, every bin between the
    first and last dated mention present (zeros included); undated mentions are counted apart."""
    dated: list[tuple[dt.date, str]] = []
    undated = 0
    for r in rows:
        pub = r["published"]
        try:
            dated.append((dt.date.fromisoformat(pub[:10]), r["article"]))
        except (TypeError, ValueError):
            undated += 1
    out: dict[str, Any] = {"unit": unit, "bins": [], "undated": undated}
    if not dated:
        return out
    lo, hi = min(d for d, _ in dated), max(d for d, _ in dated)
    if unit == "auto":
        span = (hi - lo).days
        unit = "day" if span <= AUTO_DAY_MAX_DAYS else "week" if span <= AUTO_WEEK_MAX_DAYS else "month"
    out["unit"] = unit
    mentions: dict[dt.date, int] = defaultdict(int)
    arts: dict[dt.date, set[str]] = defaultdict(set)
    for d, art in dated:
        b = _bin_start(d, unit)
        mentions[b] += 1
        arts[b].add(art)
    b, end = _bin_start(lo, unit), _bin_start(hi, unit)
    while b <= end:
        if len(out["bins"]) >= MAX_BINS:
            raise InvalidRequest(f"{unit} bins from {lo} to {hi} make more than {MAX_BINS} bars; "
                             "use bin=week or bin=month")
        out["bins"].append({"start": b.isoformat(), "mentions": mentions.get(b, 0), "articles": len(arts.get(b, ()))})
        b = _next_bin(b, unit)
    return out


def cooccurrence(store: Store, name: str, limit: int = MAX_COACTORS) -> dict[str, Any]:
    """The actors most often named in the same articles as ``name`` (shared articles per pair), and
    the links among them within ``name``'s articles: an ego network for :func:`svg.cooccurrence_layout`."""
    peers = queries.co_mentioned(store, name, ACTOR_LABELS, limit)
    names = [p["name"] for p in peers]
    labels = queries.mention_label_counts(store, names)
    edges = queries.co_mention_pairs(store, name, names, MIN_CHORD_SHARED, MAX_CHORDS) if len(names) > 1 else []
    return {"center": name, "peers": [{"name": p["name"], "shared": p["shared"],
                                       "label": _top_label(labels.get(p["name"], {}))} for p in peers],
            "edges": edges, "limit": limit, "min_chord": MIN_CHORD_SHARED}


def actor_events(store: Store, name: str) -> list[dict[str, Any]]:
    """Story events naming ``name`` among their actors (role ``actor``) or as their place (``place``)."""
    return [{"id": r["id"], "story": r["story"], "story_title": r["story_title"],
             "story_title_source": r["story_title_source"], "type": r["type"],
             "date": r["date"], "place": r["place"], "actors": r["actors"], "figures": r["figures"],
             "articles": r["articles"], "independent_sources": r["independent_sources"], "hedged": bool(r["hedged"]),
             "as": "actor" if name in r["actors"] else "place", "algorithm": r["algorithm"]}
            for r in queries.story_events_naming(store, name)]


def known_names(store: Store, names: list[str | None]) -> set[str]:
    """Those of ``names`` that some mention carries as its canonical name (so an actor page exists)."""
    return queries.known_mention_names(store, names)


ALIAS_CANDIDATES_ALGORITHM = "web.alias-candidates-v1"
MAX_ALIAS_CANDIDATES = 12
MIN_ALIAS_TOKEN = 3     # shorter words ("of", "the", "Ban") are too common to suggest an alias


def _words(name: str) -> list[str]:
    return "".join(c if c.isalnum() else " " for c in name.lower()).split()


def _name_tokens(name: str) -> set[str]:
    return {t for t in _words(name) if len(t) >= MIN_ALIAS_TOKEN}


def _contains_words(long: list[str], short: list[str]) -> bool:
    """True when ``short`` occurs as a run of whole words in ``long`` ("pha daeng" in "ban pha daeng")."""
    n = len(short)
    return 0 < n <= len(long) and any(long[i:i + n] == short for i in range(len(long) - n + 1))


def alias_candidates(store: Store, name: str, limit: int = MAX_ALIAS_CANDIDATES) -> list[dict[str, Any]]:
    """Other names that may be the same actor (``web.alias-candidates-v1``): they share a word of at
    least MIN_ALIAS_TOKEN letters with ``name`` or one holds the other as whole words, ignoring case.
    Each comes with its evidence (shared words) so the form can offer it; a person judges, nothing
    is merged."""
    mine = _name_tokens(name)
    words = _words(name)
    out: list[dict[str, Any]] = []
    for other, n in queries.name_article_counts(store, name):
        shared = sorted(mine & _name_tokens(other))
        other_words = _words(other)
        contains = _contains_words(words, other_words) or _contains_words(other_words, words)
        if shared or contains:
            out.append({"name": other, "articles": n, "shared_words": shared, "contains": contains,
                        "algorithm": ALIAS_CANDIDATES_ALGORITHM})
    out.sort(key=lambda c: (-len(c["shared_words"]) - c["contains"], -c["articles"], c["name"]))
    return out[:limit]
