"""The stories stage over a store: cluster the corpus into stories with the dates and event types
the extract stage found, carry earlier story ids over, store stories and threads."""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

from ..model import Article, Family
from ..store import Store
from ..store.caches import article_frame_rows, put_article_frames
from ..store.analysis import (last_run_stats, resolved_date_refs, story_member_evidence, story_of_articles,
                              undated_article_ids, unhedged_event_types)
from . import ALGORITHM, cluster_stories
from .event import ARTICLE_FRAME_ALGORITHM, ArticleFrames, article_frame
from .ids import carry_story_ids
from .threads import build_threads
from .warm import WARM_ALGORITHM, cluster_warm, partition, unit_members, warm_allowed


def store_stories(store: Store, corpus: list[Article], families: list[Family],
                  dirty: set[str] | None = None, fresh: Iterable[str] | None = None) -> set[str]:
    """Cluster the corpus into stories (``stories.event-v8``), carry the earlier stories' ids over
    (``stories.ids-v2``: merges leave aliases), store them and their threads. Returns the ids of the
    stories that are new or whose articles changed (the others keep their facts).

    ``corpus``: every stored article; its texts are not read (an article without text is fine): each
    article's frame comes from the store's cache (``article_frames``), built from the stored text
    for the articles it lacks and for ``fresh`` ones (every article when None).

    ``dirty``, when given, names the articles this run added or re-examined: when they are few against
    a large store, they are placed into the stored stories (``stories.warm-v1``, :mod:`.warm`) instead
    of clustering everything again. Each run is recorded in ``runs`` (stage ``stories``, its mode)."""
    frame_of = cached_frames(store, corpus, fresh)
    dates, types = story_frames(store)
    run = store.start_run("stories", ALGORITHM)
    stories = None
    stats: dict[str, Any] = {}
    if dirty is not None:
        previous = story_of_articles(store)
        members = unit_members((a.id for a in corpus), families)
        kept, dirty_units = partition(members, previous, dirty)
        full = last_run_stats(store, "stories", "full")
        # a store analysed before stories.warm-v1 recorded its runs was last clustered in full: the
        # units already in stories then
        at_full = full.get("units") if full else sum(1 for m in members if all(a in previous for a in m)) or None
        why = warm_allowed(len(members), len(dirty_units), at_full)
        stats = {"units": len(members), "dirty_units": len(dirty_units)}
        if why is None:
            stories, more = cluster_warm(corpus, families, kept, dirty_units, story_member_evidence(store), dates, types,
                                         frame_of)
            stats.update(more, mode="warm", algorithm=WARM_ALGORITHM)
        else:
            stats["full_because"] = why
    if stories is None:
        stories = cluster_stories(corpus, families, event_dates=dates, event_types=types, frame_of=frame_of)
        stats.update(mode="full", units=stats["units"] if "units" in stats   # counted above when dirty was given
                     else len(unit_members((a.id for a in corpus), families)))
    before = store.story_membership()
    aliases = carry_story_ids(stories, before, store.alias_ids("story"))
    store.replace_stories(stories)
    store.put_aliases("story", aliases)
    store.replace_threads(build_threads(stories, corpus, types))
    store.finish_run(run, stats)
    return {s.id for s in stories if sorted(before.get(s.id, ())) != sorted(s.articles)}


def frame_algorithm() -> str:
    """The name cached article frames are stored under: the frame's and the story algorithm's."""
    return f"{ARTICLE_FRAME_ALGORITHM}+{ALGORITHM}"


def cached_frames(store: Store, articles: Iterable[Article], fresh: Iterable[str] | None = None) -> ArticleFrames:
    """Each article's :func:`~scamtrace.stories.event.article_frame`, from the store's cache; the frames
    of articles it lacks and of ``fresh`` ones (all when None) are built from their stored texts and
    cached. A cached frame is what the text gives (the store drops it when the title or text changes)."""
    key = frame_algorithm()
    rows = {} if fresh is None else article_frame_rows(store, key)
    redo = set(fresh or ())
    missing = sorted(a.id for a in articles if a.id not in rows or a.id in redo)
    made: dict[str, tuple[Counter, Counter]] = {}
    for art in store.iter_articles(missing):
        made[art.id] = article_frame(art)
    put_article_frames(store, ((aid, _dump(t), _dump(a)) for aid, (t, a) in made.items()), key)

    def frame_of(article: Article) -> tuple[Counter, Counter]:
        got = made.get(article.id)
        if got is not None:
            return got
        terms, anchors = rows[article.id]
        return Counter(json.loads(terms)), Counter(json.loads(anchors))
    return frame_of


def _dump(counts: Counter) -> str:
    """JSON of a term count, in its insertion order (a unit's frame sums its members' counts in order)."""
    return json.dumps(counts, ensure_ascii=False, separators=(",", ":"))


def story_frames(store: Store) -> tuple[dict[str, Any], dict[str, set[str]]]:
    """What the story stage takes from the extract stage: for each article without a publication date,
    the date its text names (the most often named day, the latest on a tie; a named month when no day
    is named), and each article's event types."""
    undated = undated_article_ids(store)
    days: dict[str, Counter] = {}
    months: dict[str, Counter] = {}
    for article, iso_start, precision in resolved_date_refs(store):
        if article not in undated or precision not in ("day", "month"):
            continue
        try:
            d = dt.date.fromisoformat(iso_start[:10])
        except ValueError:
            continue
        (days if precision == "day" else months).setdefault(article, Counter())[d] += 1
    dates: dict[str, Any] = {}
    for aid in undated:
        for src, shift in ((days, 0), (months, 14)):
            if aid in src:
                d = max(src[aid].items(), key=lambda kv: (kv[1], kv[0]))[0]
                dates[aid] = d + dt.timedelta(days=shift)
                break
    types: dict[str, set[str]] = {}
    for article, type_ in unhedged_event_types(store):
        types.setdefault(article, set()).add(type_)
    return dates, types
