"""The stories stage over a store: cluster the corpus into stories with the dates and event types
the extract stage found, carry earlier story ids over, store stories and threads."""
from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Container, Iterable, Mapping, Sequence
from functools import partial
from typing import Any

from ..collector import paused
from ..model import HEADLINE_SOURCE, Article, Family
from ..store import Store
from ..store.caches import (add_story_anchor_idf, article_frame_row, cached_frame_ids, put_article_frames, put_story_stats,
                            put_story_units, put_thread_frames, story_anchor_idf, story_stats, story_term_idf,
                            story_key_units, story_unit_frame, story_unit_members, thread_anchor_before, thread_anchor_first,
                            thread_frame_days, thread_frame_rows, thread_link_scores, thread_of_stories,
                            thread_places_with, put_thread_link_scores)
from ..store.analysis import (article_texts, headline_stories, last_run_stats, put_story_titles, resolved_date_refs,
                              stage_stat_recorded, story_member_evidence_of, story_of_articles, undated_article_ids,
                              unhedged_event_types, unhedged_event_types_of, unnamed_stories)
from . import ALGORITHM
from .cluster import HEADLINE_ALGORITHM, copies_of, story_title
from .event import (ARTICLE_FRAME_ALGORITHM, ArticleFrames, CorpusStats, StoredFrames, StoredTypes, UnitFrame,
                    article_frame, cluster_all, unit_groups)
from .ids import carry_story_ids
from .names import NAME_ALGORITHM, derived_names, name_stories
from .threads import build_threads, specific_anchors, thread_frame, update_threads
from .warm import WARM_ALGORITHM, cluster_warm, lost_stories, partition, warm_allowed


def store_stories(store: Store, corpus: list[Article], families: list[Family],
                  dirty: set[str] | None = None, fresh: Iterable[str] | None = None) -> set[str]:
    """Cluster the corpus into stories (``stories.event-v8``), carry the earlier stories' ids over
    (``stories.ids-v3``: merges leave aliases), store them and their threads. Returns the ids of the
    stories that are new or whose articles changed (the others keep their facts).

    ``corpus``: every stored article; its texts are not read (an article without text is fine): each
    article's frame comes from the store's cache (``article_frames``), built from the stored text
    for the articles it lacks and for ``fresh`` ones (every article when None).

    ``dirty``, when given, names the articles this run added or re-examined: when they are few against
    a large store, they are placed into the stored stories (``stories.warm-v2``, :mod:`.warm`) instead
    of clustering everything again. Each run is recorded in ``runs`` (stage ``stories``, its mode)."""
    frame_of = cached_frames(store, corpus, fresh)
    dates = story_dates(store)
    run = store.start_run("stories", ALGORITHM)
    stats: dict[str, Any] = {"headline": HEADLINE_ALGORITHM}
    if dirty is not None:
        # the warm path makes a few hundred thousand containers that live for the run (each unit's group and story,
        # the kept stories, the frame slots) and form no cycles to speak of, so the collections their allocations
        # set off only walk them (at 100,000 articles: 6 full collections, 0.58 CPU s of the stage's 5.3, and 0.2
        # more of the younger generations): the collector is paused for it. The run leaves no cycle among them
        # (they are freed as it returns, before the collector is given back: the young collection that its return
        # sets off walked the ~280,000 of them, 0.1-0.2 CPU s); whatever garbage it leaves is collected after.
        with paused():
            changed = _try_warm(store, corpus, families, dirty, dates, frame_of, stats)
        if changed is not None:
            store.finish_run(run, stats)
            return changed
    stories, units, frames = cluster_all(corpus, families, event_dates=dates, event_types=story_types(store),
                                         frame_of=frame_of)
    _save_units(store, units, frames)
    stats.update(mode="full", units=stats["units"] if "units" in stats   # counted above when dirty was given
                 else len(units))
    before = store.story_membership()
    aliases = carry_story_ids(stories, before, store.alias_ids("story"))
    name_stories(stories, partial(article_texts, store))
    store.replace_stories(stories)
    store.put_aliases("story", aliases)
    _replace_all_threads(store, stories)
    store.finish_run(run, stats)
    return {s.id for s in stories if sorted(before.get(s.id, ())) != sorted(s.articles)}


def _try_warm(store: Store, corpus: list[Article], families: list[Family], dirty: set[str], dates: dict[str, Any],
              frame_of: ArticleFrames, stats: dict[str, Any]) -> set[str] | None:
    """The incremental path (:func:`_store_warm`) when :func:`~.warm.warm_allowed` allows it: the ids of the
    stories it changed; else None (why, in ``stats``). Its per-unit structures are freed when it returns
    (inside :func:`~scamtrace.collector.paused`: the collection the collector's return sets off has none to walk)."""
    previous = story_of_articles(store)
    groups = unit_groups((a.id for a in corpus), families)
    members = [m for _, m in groups]
    kept, dirty_units = partition(members, previous, dirty)
    full = last_run_stats(store, "stories", "full")
    # a store analysed before stories.warm-v1 recorded its runs was last clustered in full: the
    # units already in stories then
    at_full = full.get("units") if full else sum(1 for m in members if all(a in previous for a in m)) or None
    why = warm_allowed(len(members), len(dirty_units), at_full)
    stats.update(units=len(members), dirty_units=len(dirty_units))
    if why is not None:
        stats["full_because"] = why
        return None
    # the event types of the units the run uses are read when used
    types: Mapping[str, Iterable[str]] = StoredTypes(lambda ids: unhedged_event_types_of(store, ids))
    return _store_warm(store, corpus, families, groups, kept, dirty_units, dates, types, frame_of, stats, previous)


def _store_warm(store: Store, corpus: list[Article], families: list[Family], groups: list[tuple[str, list[str]]],
                kept: dict[str, list[int]], dirty_units: list[int], dates: dict[str, Any], types: Mapping[str, Iterable[str]],
                frame_of: ArticleFrames, stats: dict[str, Any], previous: Mapping[str, str]) -> set[str]:
    """The incremental path (``stories.warm-v2``): place the dirty units with the stored statistics and
    unit frames, write the stories it changed and link again the threads they can reach. A store
    without stored statistics (the first run after the upgrade) has every unit weighed and every
    story and thread written once, as ``stories.warm-v1`` did. Returns the ids of the stories that are
    new or whose articles changed. ``previous``: each stored article's story."""
    frozen, stored, unit_names = _frozen(store, corpus, groups, kept, frame_of)
    lost = None if frozen is None else lost_stories(groups, dirty_units, previous, {a.id for a in corpus})
    stories, more, units, frames, touched = cluster_warm(
        corpus, families, kept, dirty_units, lambda a: story_member_evidence_of(store, a), dates, types, frame_of,
        frozen, stored, lost, groups, key_units=partial(story_key_units, store))
    stats.update(more, mode="warm", algorithm=WARM_ALGORITHM, weighed=len(units) - len(stored or ()))
    # the members of the stored stories this run changed (of every stored story the first time)
    before = _membership(previous, touched)
    aliases = carry_story_ids(stories, before, store.alias_ids("story") | set(previous.values()))
    name_stories(stories, partial(article_texts, store))
    if frozen is None:   # the first incremental run after the upgrade: every frame weighed and kept now
        _save_units(store, units, frames)
        store.replace_stories(stories)
        store.put_aliases("story", aliases)
        _replace_all_threads(store, stories)
    else:
        _save_new_units(store, groups, stored or {}, units, frames, unit_names)
        ids = {st.id for st in stories}
        gone = [sid for sid in before if sid not in ids]
        view = _ThreadView(store, gone)   # the gone stories' threads, read before their places are deleted
        old = view.frames([*gone, *ids])
        store.update_stories(stories, gone)
        store.put_aliases("story", aliases)
        relinked, read = _relink_threads(store, stories, gone, view, old)
        stats.update(stories_written=len(stories), stories_gone=len(gone), threads_relinked=relinked,
                     thread_places_read=read, stories_named=_name_stored(store),
                     stories_retitled=_retitle_stored(store, families))
    return {s.id for s in stories if sorted(before.get(s.id, ())) != sorted(s.articles)}


def _retitle_stored(store: Store, families: list[Family]) -> int:
    """Once per store (the first incremental run of ``stories.headline-v2``, which records itself in the
    runs' stats): name the stored headline-named stories as :func:`~.cluster.story_title` now does (an
    incremental run leaves the stories it does not change as they are, so a store analysed before would
    keep a copy's headline on them). Returns how many titles changed."""
    if stage_stat_recorded(store, "stories", "headline", HEADLINE_ALGORITHM):
        return 0
    copies = copies_of(families)
    rows = []
    for sid, (title, members) in sorted(headline_stories(store).items()):
        new = story_title([Article(id=a, source="", text="", title=t) for a, t in members], copies)
        if new and new != title:
            rows.append((sid, new, HEADLINE_SOURCE))
    put_story_titles(store, rows)
    return len(rows)


def _name_stored(store: Store) -> int:
    """Name the stored stories that have neither a title nor a ``title_source`` (stored before
    ``stories.name-v1``: an incremental run leaves the stories it does not change as they are), as
    :func:`~.names.name_stories` names a story, once: a story whose texts give no name is marked as tried
    too, so the next run does not read them again (the work stays with what changed, not with the archive);
    returns how many got a name."""
    unnamed = unnamed_stories(store)
    if not unnamed:
        return 0
    names = derived_names(unnamed, partial(article_texts, store))
    put_story_titles(store, [(sid, name, NAME_ALGORITHM) for sid, name in sorted(names.items())])
    return sum(1 for name in names.values() if name)


def _relink_threads(store: Store, stories: list[Any], gone: list[str], view: "_ThreadView",
                    old: Mapping[str, dict[str, Any]]) -> tuple[int, int]:
    """Keep the thread frames of ``stories`` (changed or new; ``gone`` deleted) and store the thread places
    they change (:func:`~scamtrace.stories.threads.update_threads`); ``view`` was opened and ``old`` (their
    frames before) read before the gone stories were deleted. Returns (stories linked again, thread
    places read)."""
    _save_thread_frames(store, stories, drop=gone)
    new = {st.id: f for st in stories if (f := thread_frame(st)) is not None}
    places, within, scores = update_threads(old, new, view)
    store.update_threads(places, within)   # only the places of these stories can differ: those that do are written
    put_thread_link_scores(store, scores)
    return len(scores), len(within)


def _membership(story_of: Mapping[str, str], only: Container[str] | None = None) -> dict[str, list[str]]:
    """Each story's article ids, in order (:meth:`Store.story_membership`), from each article's story: of
    every story, or of the stories ``only`` names (a warm run changes few of them)."""
    out: dict[str, list[str]] = {}
    for article, sid in story_of.items():
        if only is None or sid in only:
            out.setdefault(sid, []).append(article)
    return {sid: sorted(arts) for sid, arts in sorted(out.items())}


def _replace_all_threads(store: Store, stories: list[Any]) -> None:
    """Thread every story (:func:`~scamtrace.stories.threads.build_threads`) and keep every story's
    thread frame and link score."""
    scores: dict[str, float] = {}
    store.replace_threads(build_threads(stories, scores=scores))
    _save_thread_frames(store, stories, everything=True)
    put_thread_link_scores(store, scores)


class _ThreadView:
    """The stored thread frames, as :func:`~scamtrace.stories.threads.update_threads` reads them."""

    def __init__(self, store: Store, gone: Iterable[str] = ()):
        self.store = store
        self.gone_threads = thread_of_stories(store, gone)   # story -> its thread, for stories about to be deleted
        self.places: dict[str, tuple[str, Any]] = {}   # the thread places read (update_threads reads most twice)

    def frames(self, stories: Iterable[str]) -> dict[str, dict[str, Any]]:
        out = {}
        for sid, (day, text) in thread_frame_rows(self.store, stories).items():
            terms, vals, anchors, common = json.loads(text)
            out[sid] = {"vec": dict(zip(terms, vals)), "date": day, "anchors": anchors, "common": common}
        return out

    def first(self, anchor: str, limit: int) -> list[tuple[int, str]]:
        return thread_anchor_first(self.store, anchor, limit)

    def before(self, anchor: str, date: int, story: str, limit: int) -> list[str]:
        return thread_anchor_before(self.store, anchor, date, story, limit)

    def dates(self, stories: Iterable[str]) -> dict[str, int]:
        return thread_frame_days(self.store, stories)

    def scores(self, stories: Iterable[str]) -> dict[str, float]:
        return thread_link_scores(self.store, stories)

    def threads_with(self, stories: Iterable[str]) -> dict[str, dict[str, Any]]:
        stories = set(stories)
        return thread_places_with(self.store, stories, {t for s, t in self.gone_threads.items() if s in stories},
                                  self.places)


def _save_thread_frames(store: Store, stories: Iterable[Any], drop: Iterable[str] = (), everything: bool = False) -> None:
    """Keep each story's thread frame (the dated ones; an undated story's is dropped)."""
    stories = list(stories)
    rows = []
    undated = []
    for st in stories:
        f = thread_frame(st)
        if f is None:
            undated.append(st.id)
            continue
        rows.append((st.id, f["date"], json.dumps([list(f["vec"]), list(f["vec"].values()), f["anchors"], f["common"]],
                                                  ensure_ascii=False, separators=(",", ":")), specific_anchors(f)))
    put_thread_frames(store, rows, [*drop, *undated], everything)


def stats_algorithm() -> str:
    """The name the stored story statistics and unit frames are kept under (``stories.warm-v2``)."""
    return f"{frame_algorithm()}+{WARM_ALGORITHM}"


def _frozen(store: Store, corpus: list[Article], groups: list[tuple[str, list[str]]], kept: dict[str, list[int]],
            frame_of: ArticleFrames) -> tuple[CorpusStats | None, StoredFrames | None, list[str]]:
    """(the stored corpus statistics, the kept units whose members are unchanged: their frames are
    stored, each read from the store when the run uses its unit, every stored unit's name), or
    (None, None, []) when no statistics of this algorithm are stored. The statistics hold the IDF of
    the terms of the other units (those weighed in this run) only."""
    header = story_stats(store)
    if header.get("algorithm") != stats_algorithm():
        return None, None, []
    rows = story_unit_members(store)
    names: set[str] = set()
    for g in kept.values():
        for i in g:
            name, arts = groups[i]
            row = rows.get(name)
            if row is not None and row == _members_json(arts):   # its keys are read by key (story_unit_keys)
                names.add(name)
    stored = StoredFrames(names, partial(story_unit_frame, store))
    by_id = {a.id: a for a in corpus}
    terms: set[str] = set()
    for name, arts in groups:
        if name not in names:
            for a in arts:
                terms.update(frame_of(by_id[a])[0])
    return CorpusStats(story_term_idf(store, terms), story_anchor_idf(store), frozenset(header["common"]),
                       int(header["n"])), stored, list(rows)


# What json.dumps(..., ensure_ascii=False) escapes in a string: an id without any is written as it is.
_JSON_ESCAPED = re.compile(r'[\x00-\x1f\\"]')


def _members_json(article_ids: Iterable[str]) -> str:
    """The JSON list of the sorted ids (json.dumps, ensure_ascii=False, compact), written directly when
    no id needs escaping (one call per stored unit in a warm run)."""
    ids = sorted(article_ids)
    if not ids or _JSON_ESCAPED.search("".join(ids)):   # (the ids only: the separator holds quotes)
        return json.dumps(ids, ensure_ascii=False, separators=(",", ":"))
    return '["' + '","'.join(ids) + '"]'


def _unit_row(u: Any, fr: UnitFrame) -> tuple[str, str, str, str]:
    return (u.family, _members_json(m.id for m in u.members), json.dumps(sorted(fr.keys), ensure_ascii=False),
            fr.dumps())


def _save_units(store: Store, units: list[Any], frames: Any) -> None:
    """Keep the corpus statistics ``frames`` were weighed with and every unit's frame."""
    st = frames.stats
    put_story_stats(store, {"algorithm": stats_algorithm(), "n": st.n, "common": sorted(st.common)}, st.idf,
                    {**st.aidf, **frames.new_anchors})
    put_story_units(store, (_unit_row(u, frames.frame(i)) for i, u in enumerate(units)))


def _save_new_units(store: Store, groups: list[tuple[str, list[str]]], stored: Container[str],
                    units: Sequence[Any], frames: Any, unit_names: Iterable[str]) -> None:
    """Keep the frames this incremental run weighed (the units not in ``stored``), the anchors it added
    to the statistics, and forget the stored units that are gone (of ``unit_names``, the stored ones)."""
    names = {name for name, _ in groups}
    gone = [u for u in unit_names if u not in names]
    put_story_units(store, (_unit_row(units[i], frames.frame(i)) for i, (name, _) in enumerate(groups)
                            if name not in stored), drop=gone, changed_only=True)
    add_story_anchor_idf(store, frames.new_anchors)


def frame_algorithm() -> str:
    """The name cached article frames are stored under: the frame's and the story algorithm's."""
    return f"{ARTICLE_FRAME_ALGORITHM}+{ALGORITHM}"


def cached_frames(store: Store, articles: Iterable[Article], fresh: Iterable[str] | None = None) -> ArticleFrames:
    """Each article's :func:`~scamtrace.stories.event.article_frame`, from the store's cache; the frames
    of articles it lacks and of ``fresh`` ones (all when None) are built from their stored texts and
    cached. A cached frame is what the text gives (the store drops it when the title or text changes)."""
    key = frame_algorithm()
    cached = set() if fresh is None else cached_frame_ids(store, key)
    redo = set(fresh or ())
    missing = sorted(a.id for a in articles if a.id not in cached or a.id in redo)
    made: dict[str, tuple[Counter, Counter]] = {}
    for art in store.iter_articles(missing):
        made[art.id] = article_frame(art)
    put_article_frames(store, ((aid, _dump(t), _dump(a)) for aid, (t, a) in made.items()), key)

    def frame_of(article: Article) -> tuple[Counter, Counter]:
        got = made.get(article.id)
        if got is not None:
            return got
        terms, anchors = article_frame_row(store, article.id, key)   # read when used (stories.warm-v2: few are)
        return Counter(json.loads(terms)), Counter(json.loads(anchors))
    return frame_of


def _dump(counts: Counter) -> str:
    """JSON of a term count, in its insertion order (a unit's frame sums its members' counts in order)."""
    return json.dumps(counts, ensure_ascii=False, separators=(",", ":"))


def story_dates(store: Store) -> dict[str, Any]:
    """For each article without a publication date, the date its text names (the most often named
    day, the latest on a tie; a named month when no day is named); only the date references of those
    articles are read."""
    undated = undated_article_ids(store)
    days: dict[str, Counter] = {}
    months: dict[str, Counter] = {}
    for article, iso_start, precision in resolved_date_refs(store, undated=True):
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
    return dates


def story_types(store: Store) -> dict[str, set[str]]:
    """Each article's event types (of the frames not hedged)."""
    types: dict[str, set[str]] = {}
    for article, type_ in unhedged_event_types(store):
        types.setdefault(article, set()).add(type_)
    return types
