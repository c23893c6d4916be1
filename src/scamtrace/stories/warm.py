"""Incremental story assignment (``stories.warm-v2``): a small batch of new articles is placed into the
stories already stored instead of clustering the whole store again.

``stories.event-v6`` (:mod:`.event`) clusters every unit of the store at each run: a first pass in
date order, then up to ``REFINE_ROUNDS`` rounds that place every unit again and merge stories. Its
cost grows faster than the store (issue 17: 60 % of a 100-article ``analyze`` into a store of 5,000).
When the new units are few against a large store, the stored stories are taken as they stand:

1. the corpus statistics (term and anchor IDF, the common anchors, the outlets' names) are those
   kept by the last run that weighed every unit (a full clustering, or the first incremental run
   after the upgrade to v2); each unit's frame weighed with them is kept in the store
   (``story_units``). A kept unit takes its stored frame, read only when the run uses it; a dirty
   unit is weighed with the kept statistics (a term or anchor they lack weighs as one seen in a
   single unit). ``stories.warm-v1`` weighed every unit again with today's statistics at every run,
   which grew with the store (15,493 unit vectors at 20,000 articles);
2. a *kept* unit (none of its articles new or re-examined by this run, all of them in one stored
   story) is put back into its stored story with its stored evidence; a kept story's state
   (centroid, anchor counts) is built from its units' frames when the run first uses it
   (:class:`_KeptStory`), so the stories no dirty unit meets are never built;
3. the *dirty* units (new articles, articles whose copy links, families or extracted dates and event
   types the run changed, or a family spread over several stored stories) are placed in date order,
   at ``SEED_THRESHOLD`` as in the first pass;
4. refinement, merges and splits as in ``event-v6``, but only over the units of the stories this
   run changed (a kept story no dirty unit joined is not re-placed), for the same number of rounds;
5. only the stories this run changed are written (the others keep their rows, evidence and
   algorithm name), and the threads are linked again only where a changed story can change a link
   (:func:`~scamtrace.stories.threads.update_threads`: exactly the threads of every story's stored
   frame).

The stored placement of a kept unit was decided with the statistics of an earlier run. They are
refreshed by a full clustering when the store has grown by more than ``WARM_DRIFT`` since the last
full one (a full clustering is recorded in ``runs`` with its unit count), when the dirty units are
more than ``WARM_MAX_SHARE`` of all units, or when the store holds fewer than ``WARM_MIN_UNITS``
units. So stories from this path are NOT always those a full clustering would give: two batches may
differ from one run where a new article would have moved an old one (see README, Limits).
``analyze --full`` always clusters everything. v2 against v1: the same rules, other statistics for
the units weighed since the last full run (those of that run, not today's), and a restored unit
keeps its stored evidence as it was (v1 wrapped the first unit of each restored story's evidence
in a new ``started``/``nearest`` one at every run).
"""
from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from typing import Any

from ..model import Article, Family, Story
from . import event
from .cluster import _Unit, copies_of
from .event import (MERGE_CANDIDATES, MERGE_THRESHOLD, REFINE_ROUNDS, SEED_THRESHOLD, ArticleFrames, CorpusStats,
                    _Clusterer, _Frames, _StoryState, _story, _story_pair, article_frame,
                    Stored, StoredFrames, median_day, order_key, prepare_units, unit_groups, unit_names)

WARM_ALGORITHM = "stories.warm-v2"

# A stored blocking posting is read until it holds this many stories more than MAX_KEY_STORIES (which
# the clusterer never reads past), then left (issue 17: the postings of the common keys grow with the
# store); the margin spares reading it all when a few of its stories leave it in the run. Any value
# gives the same stories (tests/test_stories_warm.py); 32 is a guess at a run's departures, not tuned.
LONG_POSTING_MARGIN = 32
# A stored posting's rows are read (one JSON array: store.caches.story_key_units) and counted this many at a
# time (the same counts whatever the size: the chunk where the stories cross a limit is cut at the row that
# crosses it).
POSTING_CHUNK = 512

# Below this many units a full clustering is cheap (realnews-dev, 141 articles, takes a second): the
# incremental path is never taken, so small stores (the demo, the dev sets) always get exactly the
# stories of one full run.
WARM_MIN_UNITS = 1000
# The dirty units (new or re-examined) are at most this share of all units; a larger batch changes
# the corpus statistics enough to cluster everything again.
WARM_MAX_SHARE = 0.05
# Corpus statistics (IDF, the common anchors) are those of the last full clustering for the kept
# units' placement; once the store holds this much more units than then, everything is clustered
# again (at 100,000 units: every 10,000 new ones).
WARM_DRIFT = 0.10


def warm_allowed(n_units: int, n_dirty: int, units_at_full: int | None) -> str | None:
    """None when the incremental path may be taken, else why not (kept in the run's stats)."""
    if n_units < WARM_MIN_UNITS:
        return f"{n_units} units < WARM_MIN_UNITS {WARM_MIN_UNITS}"
    if n_dirty > WARM_MAX_SHARE * n_units:
        return f"{n_dirty} dirty units > WARM_MAX_SHARE {WARM_MAX_SHARE} of {n_units}"
    if not units_at_full:
        return "no full clustering recorded"
    if n_units > (1 + WARM_DRIFT) * units_at_full:
        return f"{n_units} units > (1 + WARM_DRIFT {WARM_DRIFT}) x {units_at_full} at the last full clustering"
    return None


class _WarmClusterer(_Clusterer):
    """A clusterer started from the stored stories; refinement and merges only touch the stories the
    dirty units changed."""

    def __init__(self, frames: _Frames, key: Callable[[int], Any]):
        """``key``: each unit's place in the placing order (:func:`~scamtrace.stories.event.order_key`); a
        round places the units of the changed stories in that order (the others are not ranked)."""
        super().__init__(frames, [])
        self.key = key
        self.changed: set[int] = set()
        self.kept_built: list[None] = []   # one entry per restored story built (its state read)

    def place(self, u: int, s: int | None, ev: dict[str, Any]) -> None:
        """Place as event-v7 does; the evidence says the placement was made incrementally."""
        super().place(u, s, {**ev, "warm": WARM_ALGORITHM})
        self.changed.add(self.story_of[u])
        if type(self.index) is _LazyIndex:
            self.index.placed_unit(u, self.story_of[u])

    def take(self, u: int, s: int) -> None:
        super().take(u, s)
        self.changed.add(s)
        if type(self.index) is _LazyIndex:
            self.index.taken_unit(u)

    def restore(self, groups: Sequence[Sequence[int]], evidence: Callable[[int], dict[str, Any]],
                stored_keys: Callable[[str, int], Iterable[list[Hashable]]] | None = None, stored: Collection[int] = (),
                row_of: Sequence[Hashable] | None = None) -> None:
        """Put the kept units back in their stored stories (not counted as changes), each with its stored
        evidence (``evidence(unit)``, read when asked for). A kept story's state is built from its units'
        frames when first used (:class:`_KeptStory`): most are never used by a small batch.

        ``stored_keys(key, chunk)``: the row ids (lists of at most ``chunk``, in order) of the units whose
        stored blocking keys hold ``key`` (``row_of``: each unit's row id, its name; the units not restored
        here from their stored frame, of ``stored``, are left out); the blocking index then reads a key's
        posting when first used (:class:`_LazyIndex`) instead of taking every kept unit's keys now: the
        postings are those of every kept unit's keys put in at once."""
        story_of, keys = self.story_of, self.f.keys
        if stored_keys is None:
            stored = ()
        home: dict[Hashable, int] = {}    # a unit restored from its stored frame (its row id) -> its story
        row = row_of if row_of is not None else range(len(keys))
        later: dict[str, list[tuple[int, int]]] = {}    # the keys of the others (weighed this run)
        log = self.kept_built
        for g in groups:
            s = len(self.stories)
            self.stories.append(_KeptStory(g, self.f, log))
            for u in g:
                story_of[u] = s
                if u in stored:
                    home[row[u]] = s
                    continue
                for k in keys[u]:
                    post = later.get(k)
                    if post is None:
                        post = later[k] = []
                    post.append((u, s))
        if stored_keys is None:
            for k, units in later.items():
                for _, s in units:
                    self.index[k][s] += 1
        else:
            self.index = _LazyIndex(stored_keys, home, later, groups, keys, row)
        self.evidence = _KeptEvidence(evidence)

    def warm_run(self, dirty: list[int]) -> int:
        """Place the dirty units, then refine and merge the changed stories; returns the moves."""
        for u in dirty:
            s, _, ev = self.best(u, threshold=SEED_THRESHOLD)
            self.place(u, s, ev)
        moves = 0
        try:
            for _ in range(REFINE_ROUNDS):
                stories = self.stories   # the units of the changed stories, in placing order
                self.order = sorted((u for s in self.changed for u in stories[s].units), key=self.key)
                self.dirty = set(self.order)   # event-v7's refine places only dirty units: here, all of these
                moved = self.refine()
                moved += self.merge_changed()
                moved += self.split(set(self.changed))
                moves += moved
                if not moved:
                    break
        finally:
            self.order = []
        return moves

    def merge_changed(self) -> int:
        """:meth:`_Clusterer.merge` for the pairs with at least one changed story."""
        f = self.f
        seen: set[tuple[int, int]] = set()
        pairs: list[tuple[float, int, int, dict[str, Any]]] = []
        for i in sorted(self.changed):
            st = self.stories[i]
            if not st.units:
                continue
            hits = self.hits(st.keys)
            for _, j in heapq.nsmallest(MERGE_CANDIDATES, ((-c, j) for j, c in hits.items()
                                                           if j != i and self.stories[j].units)):
                a, b = min(i, j), max(i, j)
                if (a, b) in seen:
                    continue
                seen.add((a, b))
                score, ev = _story_pair(f, self.stories[a], self.stories[b])
                if score >= MERGE_THRESHOLD:
                    pairs.append((score, a, b, ev))
        # the warm path marks what to place again itself, before each round (warm_run)
        return self.apply_merges(pairs, track=False)


class _KeptStory(_StoryState):
    """A restored story whose state (centroid, anchor counts, ...) is built from its units' frames, in
    their order, when an attribute other than ``units`` is first read: the state a story of these units
    placed one by one has."""

    __slots__ = ("_f", "_med", "_built", "_log")

    def __init__(self, units: Sequence[int], f: _Frames, log: list[None] | None = None):
        """``log``: where a story built appends an entry (the run counts them without visiting every one);
        the other slots stay unset until used."""
        self.units = list(units)
        self._f = f
        self._built = False
        self._log = log

    def __getattr__(self, name: str) -> Any:
        if name in ("_f", "_med") or name.startswith("__"):
            raise AttributeError(name)
        units, f = self.units, self._f
        _StoryState.__init__(self)
        for u in units:
            self.add(u, f)
        self._built = True
        if self._log is not None:
            self._log.append(None)   # (not the story: a cycle would leave the run's structures to the collector)
        return object.__getattribute__(self, name)

    def _medians(self) -> tuple[int | None, int | None]:
        """(median date, median content date) of the units, as the built state gives them, without building
        it (the units' dates are known without their frames); kept, as the units do not change unbuilt."""
        med = getattr(self, "_med", None)
        if med is None:
            f = self._f
            days = [d for u in self.units if (d := f.date[u]) is not None]
            cdays = [d for u in self.units if (d := f.cdate[u]) is not None]
            med = self._med = (median_day(days), median_day(cdays))
        return med

    def median_date(self) -> int | None:
        """The built state's, without building it: a candidate story that its dates alone rule out
        (:meth:`_Frames.bound`) is never built."""
        return super().median_date() if self.is_built() else self._medians()[0]

    def median_cdate(self) -> int | None:
        """As :meth:`median_date`, of the content dates."""
        return super().median_cdate() if self.is_built() else self._medians()[1]

    def is_built(self) -> bool:
        return self._built


class _LazyIndex(dict):
    """The blocking index of a warm run (key -> story -> how many of its units hold the key) whose
    postings of the restored units are read when a key is first used: the stored units of the key
    (``stored_keys(key, chunk)``) restored from their stored frames (``home``: unit -> its story), plus the
    other restored units (``later``: key -> (unit, story)). Every change of a posting
    (:meth:`_Clusterer.place`, :meth:`_Clusterer.take`) reads it first, so it is read before any unit of
    its key moves; the clusterer tells the index which units it took (``moved``) and where it placed
    units (``placed``), so a posting read later is the one every change gives. A posting emptied stays
    known (empty), not read again. A posting of more than ``MAX_KEY_STORIES`` + ``LONG_POSTING_MARGIN``
    stories is read only that far (:class:`_LongPosting`): :meth:`_Clusterer.hits` reads no posting
    longer than ``MAX_KEY_STORIES`` (the order of a posting's stories is not read either)."""

    def __init__(self, stored_keys: Callable[[str, int], Iterable[list[Hashable]]], home: Mapping[Hashable, int],
                 later: Mapping[str, list[tuple[int, int]]], groups: Sequence[Sequence[int]],
                 keys: Sequence[frozenset[str]], row_of: Sequence[Hashable]):
        super().__init__()
        self.stored_keys, self.home, self.later, self.groups, self.unit_keys = stored_keys, home, later, groups, keys
        self.row_of = row_of                              # unit -> the id its stored rows have (its name)
        self.moved: set[int] = set()                      # restored units taken out since
        self.moved_rows: set[Hashable] = set()            # ... by their row ids
        self.placed: dict[str, dict[int, int]] = {}       # key -> unit placed by the run (and there now) -> story

    def counts(self, key: str, limit: int | None = None) -> tuple[Counter, bool]:
        """(story -> its units holding ``key`` now, complete?): read no further than ``limit`` stories."""
        moved, home = self.moved, self.home
        counts: Counter = Counter()
        for u, s in self.later.get(key, ()):
            if u not in moved:
                counts[s] += 1
        for s in self.placed.get(key, {}).values():
            counts[s] += 1
        rows = self.stored_keys(key, POSTING_CHUNK)
        moved_rows = self.moved_rows
        for names in rows:   # a chunk of rows at a time, mapped and counted in C
            if not moved_rows.isdisjoint(names):
                names = [r for r in names if r not in moved_rows]
            ats = list(map(home.get, names))
            if None in ats:   # rows of units not restored from the store (rare): left out
                ats = [at for at in ats if at is not None]
            if limit is not None and ats and len(counts) + len(set(ats).difference(counts)) > limit:
                # the stories cross the limit in this chunk: the count stops at the row that crosses it
                # (the first one when the run's own units already did), as counting row by row stops
                stop = 0
                if len(counts) <= limit:
                    new = [at for at in dict.fromkeys(ats) if at not in counts]   # in the order they come
                    stop = ats.index(new[limit - len(counts)])
                counts.update(ats[:stop + 1])
                close = getattr(rows, "close", None)
                if close is not None:
                    close()
                return counts, False
            counts.update(ats)
        return counts, True

    def count_in(self, key: str, s: int) -> int:
        """How many units of story ``s`` hold ``key`` now (its restored units read their keys: a story
        whose posting changes is being changed, its units' frames read)."""
        moved, keys = self.moved, self.unit_keys
        n = sum(1 for u in (self.groups[s] if s < len(self.groups) else ()) if u not in moved and key in keys[u])
        return n + sum(1 for x in self.placed.get(key, {}).values() if x == s)

    def __missing__(self, key: str) -> Counter | "_LongPosting":
        counts, complete = self.counts(key, event.MAX_KEY_STORIES + LONG_POSTING_MARGIN)
        post: Counter | _LongPosting = Counter(dict(sorted(counts.items()))) if complete else _LongPosting(self, key, len(counts))
        self[key] = post
        return post

    def get(self, key: str, default: Any = None) -> Any:   # noqa: ARG002 (a key is read, never missing)
        post = self[key]
        if type(post) is _LongPosting and post.lb <= event.MAX_KEY_STORIES:   # it may be short now: read it all
            post = Counter(dict(sorted(self.counts(key)[0].items())))
            dict.__setitem__(self, key, post)
        return post

    def __delitem__(self, key: str) -> None:
        dict.__setitem__(self, key, Counter())

    def placed_unit(self, u: int, s: int) -> None:
        """The clusterer placed unit ``u`` into story ``s`` (after its postings changed)."""
        for k in self.unit_keys[u]:
            self.placed.setdefault(k, {})[u] = s

    def taken_unit(self, u: int) -> None:
        """The clusterer took unit ``u`` out of its story (after its postings changed)."""
        self.moved.add(u)
        self.moved_rows.add(self.row_of[u])
        for k in self.unit_keys[u]:
            got = self.placed.get(k)
            if got is not None:
                got.pop(u, None)


class _LongPosting:
    """A posting of a :class:`_LazyIndex` known to hold at least ``lb`` stories, more than
    ``MAX_KEY_STORIES`` when read (its other stories were not read): the count of a story is worked out
    when a change asks for it; the bound follows the stories a change adds or removes."""

    __slots__ = ("index", "key", "lb", "exact")

    def __init__(self, index: _LazyIndex, key: str, lb: int):
        self.index, self.key, self.lb = index, key, lb
        self.exact: dict[int, int] = {}

    def __len__(self) -> int:
        return self.lb

    def __getitem__(self, s: int) -> int:
        got = self.exact.get(s)
        if got is None:
            got = self.exact[s] = self.index.count_in(self.key, s)
        return got

    def __setitem__(self, s: int, n: int) -> None:
        if self[s] <= 0 < n:
            self.lb += 1
        self.exact[s] = n

    def __delitem__(self, s: int) -> None:
        self.exact[s] = 0
        self.lb -= 1

    def keys(self) -> Any:
        raise AssertionError("a posting longer than MAX_KEY_STORIES is not read")


class _KeptEvidence(dict):
    """unit -> its evidence; a kept unit's stored evidence is read when first asked for."""

    def __init__(self, load: Callable[[int], dict[str, Any]]):
        super().__init__()
        self.load = load

    def __missing__(self, u: int) -> dict[str, Any]:
        ev = self[u] = self.load(u)
        return ev

    def get(self, u: int, default: Any = None) -> Any:   # type: ignore[override]
        try:
            return self[u]
        except KeyError:
            return default


def unit_members(article_ids: Iterable[str], families: Iterable[Family]) -> list[list[str]]:
    """The article ids of each unit, in the order :func:`~scamtrace.stories.event.cluster_events` makes
    the units (:func:`~scamtrace.stories.event.unit_groups`), without reading a text."""
    return [members for _, members in unit_groups(article_ids, families)]


def partition(members: list[list[str]], previous: Mapping[str, str], dirty_articles: set[str]) -> tuple[dict[str, list[int]], list[int]]:
    """(kept units by their stored story, dirty units): a unit is kept when none of its articles is
    dirty and all of them are in one stored story."""
    kept: dict[str, list[int]] = {}
    dirty: list[int] = []
    for i, arts in enumerate(members):
        if len(arts) == 1:   # most units (one pass over every unit: kept cheap)
            a = arts[0]
            old = previous.get(a)
            if old is not None and a not in dirty_articles:
                kept.setdefault(old, []).append(i)
            else:
                dirty.append(i)
            continue
        olds = {previous.get(a) for a in arts}
        old = next(iter(olds)) if len(olds) == 1 else None
        if old is not None and not any(a in dirty_articles for a in arts):
            kept.setdefault(old, []).append(i)
        else:
            dirty.append(i)
    return kept, dirty


def cluster_warm(articles: Sequence[Article], families: Iterable[Family], kept: Mapping[str, list[int]],
                 dirty: list[int], evidence: Callable[[str], dict[str, Any] | None], event_dates: Mapping[str, dt.date],
                 event_types: Mapping[str, Iterable[str]], frame_of: ArticleFrames = article_frame,
                 stats: CorpusStats | None = None, stored: Stored | None = None,
                 lost: Collection[str] | None = None, groups: Sequence[tuple[str, list[str]]] | None = None,
                 key_units: Callable[[str, int], Iterable[list[str]]] | None = None,
                 ) -> tuple[list[Story], dict[str, Any], Sequence[_Unit], _Frames, set[str] | None]:
    """(stories, stats, units, frames, touched) of the incremental path over the units :func:`partition`
    split (indexes in the order of :func:`unit_members`; ``kept`` by their stored story's id);
    ``evidence`` gives a stored article's stored join evidence; ``frame_of`` each article's frame
    (:func:`~scamtrace.stories.event.article_frame`). ``stats`` and ``stored`` (``stories.warm-v2``): the
    frozen corpus statistics and the stored frames of the units taken as they stand (the others are
    weighed with ``stats``); without them every unit is weighed with today's statistics.

    With ``lost`` (the stored stories an article of which is in no kept unit: :func:`lost_stories`),
    ``touched`` names the stored stories this run changed (a unit joined or left them; the others are
    left exactly as they were) and ``stories`` holds only the changed and new ones (every story
    otherwise, ``touched`` None). ``groups``: :func:`unit_members`' units with their names, when the
    caller has them. ``key_units(key, chunk)``: the names (lists of at most ``chunk``) of the stored units
    whose stored blocking keys hold ``key`` (``story_unit_keys``); with it, the units taken with their
    ``stored`` frame enter the blocking index a key at a time, when the run uses the key."""
    families = list(families)
    units, frames, _ = prepare_units(articles, families, event_dates, event_types, frame_of, stats, stored, groups,
                                     ordered=False)
    unit_name = unit_names(units)
    pos = order_key(unit_name, frames)   # compares as the units' ranks in the order of every unit, without ranking them
    c = _WarmClusterer(frames, pos)
    olds = sorted(((old, g if len(g) == 1 else sorted(g, key=pos)) for old, g in kept.items()), key=lambda og: pos(og[1][0]))
    from_store: set[int] = set()
    names: list[str] | None = None
    if key_units is not None and stored:   # the index reads the stored rows (unit names) of a key when used
        names = unit_name
        kept_names = stored.names if isinstance(stored, StoredFrames) else stored   # one look-up per unit
        from_store = {i for i, name in enumerate(names) if name in kept_names}
    c.restore([g for _, g in olds], lambda i: evidence(units[i].members[0].id) or {"kept": True},
              key_units if names is not None else None, from_store, names)
    moves = c.warm_run(sorted(dirty, key=pos))
    touched: set[str] | None = None
    write: Iterable[int] = range(len(c.stories))
    if lost is not None:
        # a restored story (they come first, in olds' order) no unit joined or left is as stored: its
        # units are its kept ones, and they hold all its articles unless it is ``lost``; the new stories
        # are changed ones
        index = {old: s for s, (old, _) in enumerate(olds) if old in lost}
        touched = {old for old, _ in (olds[s] for s in c.changed if s < len(olds))} | set(lost)
        write = sorted(c.changed.union(index.values()))
    copies = copies_of(families)
    out = [_story(sorted(st.units, key=pos), units, c, frames, copies) for s in write if (st := c.stories[s]).units]
    for st in out:
        st.algorithm = f"{st.algorithm}+{WARM_ALGORITHM}"
    out.sort(key=lambda s: s.id)
    built = len(c.stories) - len(olds) + len(c.kept_built)
    c.index.clear()   # its long postings point back at it: without the cycle the run's structures are freed as they go
    return out, {"changed_stories": len(c.changed), "moves": moves, "stories_built": built}, units, frames, touched


def lost_stories(groups: Sequence[tuple[str, list[str]]], dirty: Iterable[int], previous: Mapping[str, str],
                 corpus: Collection[str]) -> set[str]:
    """The stored stories (``previous``: each stored article's story) an article of which is in no kept
    unit of :func:`partition`: in a dirty unit (``dirty``, indexes into ``groups``), or no longer in the
    ``corpus`` (article ids). A kept unit's articles are all in its stored story, so the other stored
    stories hold exactly their kept units' articles."""
    out = {sid for i in dirty for a in groups[i][1] if (sid := previous.get(a)) is not None}
    out.update(previous[a] for a in previous.keys() - corpus)   # (the difference is taken in C)
    return out
