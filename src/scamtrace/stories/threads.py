"""Threads above stories (``stories.threads-v1``): the events of one affair in date order.

A thread links stories; it never merges them (warrant -> arrest -> extradition -> trial -> sentence;
raid -> exodus -> demolition). Each story links to at most one earlier story, its best *predecessor*:
an earlier story (by median date) that shares at least ``MIN_SHARED`` specific anchors (names or
figures carried by at least half of both stories' units and not common in the corpus) and whose
centroid cosine reaches ``MIN_COSINE`` (or that shares ``MIN_SHARED_ALONE`` specific anchors); the
score is ``cosine + 0.1 * shared anchors``. A thread is a
story with no predecessor and every story linked to it, directly or not; threads of one story are
not kept. The evidence of each link (cosine, shared anchors, days apart) is kept.
"""
from __future__ import annotations

import bisect
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol

from ..model import ALGO_STORIES_THREADS, ThreadPlace

ALGORITHM = ALGO_STORIES_THREADS   # name+version stored with the records (defined in model.py beside them)

# Set on realnews-dev half A (Roque warrant -> Interpol request; Ethiopia 121 -> 477; Daren Li plea ->
# sentence stay apart as stories and link as threads) and the demo corpus.
MIN_SHARED = 2
MIN_COSINE = 0.15
# ... or this many shared specific anchors without the cosine (independently written follow-ups share
# names and figures more than words)
MIN_SHARED_ALONE = 3
# A thread link spans at most this many days (further apart is another affair or a retrospective).
MAX_GAP_DAYS = 730
# An anchor shared by more than this many stories is too common to block on.
MAX_KEY_STORIES = 200


def build_threads(stories: Sequence[Any], corpus: Iterable[Any] = (), types: Mapping[str, Iterable[str]] | None = None,
                  scores: dict[str, float] | None = None) -> list[ThreadPlace]:
    """Thread places for ``stories`` (records with ``id``, ``first_seen`` and the private ``frame``
    that :func:`scamtrace.stories.event.cluster_events` attaches); stories without a frame are left out."""
    frames = [(s, getattr(s, "frame", None)) for s in stories]
    frames = [(s, f) for s, f in frames if f and f.get("date") is not None]
    frames.sort(key=lambda x: (x[1]["date"], x[0].id))
    index: dict[str, list[int]] = defaultdict(list)
    prev: dict[str, dict[str, Any]] = {}   # story -> the evidence of its link to its predecessor
    norms = list(map(_frame_norm, frames))   # each frame's once, not once per pair scored
    for i, (_s, f) in enumerate(frames):
        specific = specific_anchors(f)
        hits: Counter = Counter()
        for a in specific:
            post = index.get(a)
            if post and len(post) <= MAX_KEY_STORIES:
                hits.update(post)
        best, best_score, best_ev = _best_link(f, norms[i], specific, hits,
                                               lambda j: (frames[j][1], norms[j], frames[j][0].id))
        if best is not None:
            prev[frames[i][0].id] = best_ev
        if scores is not None:   # each link's exact score (kept for update_threads)
            scores[frames[i][0].id] = best_score if best is not None else 0.0
        for a in specific:
            index[a].append(i)
    return _places(prev, {s.id: f["date"] for s, f in frames})


def _best_link(f: Mapping[str, Any], norm: float, specific: set[str], hits: Mapping[Any, int],
               frame_of: Callable[[Any], tuple[Mapping[str, Any], float, str]]) -> tuple[Any, float, dict[str, Any]]:
    """(the best predecessor among ``hits`` (candidate -> shared anchors) or None, its score, the link's
    evidence) of a story with frame ``f`` (its vector's norm ``norm``, its specific anchors);
    ``frame_of`` gives a candidate's (frame, norm, story id). The first best in ``hits``' order wins."""
    best, best_score, best_ev = None, 0.0, {}
    for j, n in hits.items():
        if n < MIN_SHARED:
            continue
        g, gnorm, gid = frame_of(j)
        scored = _link_score(f, norm, g, gnorm, n)
        if scored is not None and scored[0] > best_score:
            score, cos, gap = scored
            shared = sorted(specific & set(g["anchors"]))
            best, best_score, best_ev = j, score, {"previous": gid, "cosine": round(cos, 4), "days_apart": gap,
                                                   "shared_anchors": shared[:10]}
    return best, best_score, best_ev


def _link_score(f: Mapping[str, Any], norm: float, g: Mapping[str, Any], gnorm: float,
                n: int) -> tuple[float, float, int] | None:
    """(score, cosine, days apart) of the link from a story with frame ``f`` to an earlier candidate ``g``
    sharing ``n`` specific anchors (vector norms ``norm``, ``gnorm``), or None when ``g`` cannot be its
    predecessor (not earlier, too far apart, or too unlike with too few shared anchors)."""
    gap = f["date"] - g["date"]
    if gap <= 0 or gap > MAX_GAP_DAYS:
        return None
    cos = _cos(f["vec"], g["vec"], norm, gnorm)
    if cos < MIN_COSINE and n < MIN_SHARED_ALONE:
        return None
    return cos + 0.1 * n, cos, gap


def _norm(a: Mapping[str, float]) -> float:
    return math.sqrt(sum(v * v for v in a.values())) or 1.0


def _frame_norm(item: tuple[Any, Mapping[str, Any]]) -> float:
    """The norm of a (story, frame) item's vector."""
    return _norm(item[1]["vec"])


def _cos(a: Mapping[str, float], b: Mapping[str, float], na: float, nb: float) -> float:
    """Cosine of ``a`` and ``b`` given their norms (:func:`_norm`)."""
    if len(a) > len(b):
        a, b, na, nb = b, a, nb, na
    num = sum(v * b.get(t, 0.0) for t, v in a.items())
    return num / (na * nb)


class ThreadStore(Protocol):
    """What :func:`update_threads` reads of the stored thread frames (the store's, in the stories stage)."""

    def frames(self, stories: Iterable[str]) -> dict[str, dict[str, Any]]:
        """story -> its stored thread frame (``vec``, ``date``, ``anchors``, ``common``)."""

    def first(self, anchor: str, limit: int) -> list[tuple[int, str]]:
        """The first ``limit`` (date, story) whose specific anchors hold ``anchor``, in (date, id) order."""

    def before(self, anchor: str, date: int, story: str, limit: int) -> list[str]:
        """The first ``limit`` stories before (``date``, ``story``) whose specific anchors hold ``anchor``."""

    def dates(self, stories: Iterable[str]) -> dict[str, int]:
        """story -> the date of its stored thread frame."""

    def scores(self, stories: Iterable[str]) -> dict[str, float]:
        """story -> the exact score of its stored link (stories without a link may be left out)."""

    def threads_with(self, stories: Iterable[str]) -> dict[str, dict[str, Any]]:
        """story -> the evidence of its stored thread place (a linked story's names its ``previous``), for
        every story of the stored threads (as they were before the change) that hold one of ``stories``."""


def specific_anchors(frame: Mapping[str, Any]) -> set[str]:
    """A thread frame's specific anchors (its anchors less the common ones)."""
    return set(frame["anchors"]) - set(frame.get("common", ()))


def update_threads(old: Mapping[str, Mapping[str, Any]], new: Mapping[str, Mapping[str, Any]], store: ThreadStore,
                   ) -> tuple[list[ThreadPlace], set[str], dict[str, float]]:
    """(the thread places of the stories whose place can have changed, those stories, the link score of
    each story linked again) after the frames of some stories changed: with the stored places of every
    other story, exactly :func:`build_threads` over every story, when the stored frames (``store``) are
    already those of the stories now and its thread places (``store.threads_with``) those before.

    ``old``: the frames before the change of the stories changed or gone (dated ones); ``new``: the
    frames of the stories changed (dated ones; also in ``store``). A story's predecessor is the best
    of its candidates (earlier stories sharing ``MIN_SHARED`` specific anchors whose postings before it
    hold at most ``MAX_KEY_STORIES`` stories). When only some frames change, an unchanged story keeps
    its link unless: its predecessor changed or is gone; one of its anchors' postings may have crossed
    ``MAX_KEY_STORIES`` (its rank within the changed frames' count of that bound); or a changed frame
    is now a candidate scoring at least its link's score (``store.score``, kept exact). Those, and the
    changed stories, are linked again; the others keep their stored evidence.

    Only the stored threads a link can change are read (``stories.threads-v1``'s places, unchanged): a
    story linked to a changed or gone one is in its thread; and a thread none of whose stories is
    linked again, changed or gone, or the new predecessor of one linked again, keeps every place
    (its links, its stories' dates and so its root and order are as stored)."""
    changed = [(sid, f) for sid, f in (*old.items(), *new.items()) if f.get("date") is not None]
    k: Counter = Counter(a for _, f in changed for a in specific_anchors(f))
    lists = {a: store.first(a, MAX_KEY_STORIES + 1 + k[a]) for a in sorted(k)}
    redo = {sid for sid, f in new.items() if f.get("date") is not None}
    redo.update(sid for sid, ev in store.threads_with(set(old)).items() if ev.get("previous") in old)
    redo |= _crossed(old, new, lists)
    cache = _FrameCache(store, {sid: f for sid, f in new.items() if f.get("date") is not None})
    redo |= _beaten(_new_candidates(new, lists, redo), new, cache)
    todo = cache.get(redo)
    posts = _Prefixes(store, {a: (rows, MAX_KEY_STORIES + 1 + k[a]) for a, rows in lists.items()})
    scores: dict[str, float] = {}
    links: dict[str, dict[str, Any]] = {}
    for sid in sorted(todo):
        ev, scores[sid] = _link(sid, todo[sid][0], cache, posts)
        if ev is not None:
            links[sid] = ev
    within = {*old, *redo, *(ev["previous"] for ev in links.values())}
    stored = store.threads_with(within)
    within.update(stored)
    prev = {sid: ev for sid, ev in stored.items() if "previous" in ev and sid not in redo and sid not in old}
    prev.update(links)
    dates = store.dates(set(prev) | {ev["previous"] for ev in prev.values()})
    return _places(prev, dates), within, scores


def _crossed(old: Mapping[str, Mapping[str, Any]], new: Mapping[str, Mapping[str, Any]],
             lists: Mapping[str, list[tuple[int, str]]]) -> set[str]:
    """The stories for which the posting of one of their anchors before them crossed ``MAX_KEY_STORIES``
    (usable before the change and not now, or the reverse). ``lists``: each anchor's first stories
    now, in order, as many as the bound and the changed frames holding it; a story's rank there is how
    many stories precede it now, and before the change, that less the changed frames now before it
    plus their old frames before it (a story further down had more than the bound either way)."""
    adds: dict[str, list[tuple[int, str]]] = defaultdict(list)
    drops: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for frames, by_anchor in ((new, adds), (old, drops)):
        for c, f in frames.items():
            if f.get("date") is not None:
                for a in specific_anchors(f):
                    by_anchor[a].append((f["date"], c))
    out: set[str] = set()
    for a, posting in lists.items():
        add, drop = sorted(adds.get(a, ())), sorted(drops.get(a, ()))
        # a rank then and now differ by at most the changed frames (was - rank in [-len(add), len(drop)]):
        # only the ranks that close to the bound can lie on either side of it
        start = max(0, MAX_KEY_STORIES + 1 - len(drop))
        for rank in range(start, min(len(posting), MAX_KEY_STORIES + len(add) + 1)):
            here = posting[rank]
            was = rank - bisect.bisect_left(add, here) + bisect.bisect_left(drop, here)
            if (rank <= MAX_KEY_STORIES) != (was <= MAX_KEY_STORIES):
                out.add(here[1])
    return out


def _new_candidates(new: Mapping[str, Mapping[str, Any]], lists: Mapping[str, list[tuple[int, str]]],
                    redo: set[str]) -> dict[str, list[tuple[str, int]]]:
    """story -> the changed frames (``new``) that are now among its candidates, with the anchors they
    share in postings it uses (``lists``: each anchor's first stories, in order), for the stories not
    in ``redo``."""
    tests: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for c, f in new.items():
        if f.get("date") is None:
            continue
        shared: Counter = Counter()
        for a in specific_anchors(f):
            shared.update(x for d, x in lists[a][:MAX_KEY_STORIES + 1] if (d, x) > (f["date"], c))
        for x, n in shared.items():
            if n >= MIN_SHARED and x not in redo:
                tests[x].append((c, n))
    return tests


def _beaten(tests: Mapping[str, list[tuple[str, int]]], new: Mapping[str, Mapping[str, Any]],
            cache: "_FrameCache") -> set[str]:
    """The stories of ``tests`` for which one of their new candidates scores at least their stored
    link's score (a tie too: the candidates' order would decide)."""
    frames = cache.get(tests)
    best = cache.store.scores(set(tests))
    out: set[str] = set()
    for x, cs in tests.items():
        fx, nx = frames[x]
        for c, n in cs:
            g, gnorm = cache.get((c,))[c]   # a new frame: in the cache
            scored = _link_score(fx, nx, g, gnorm, n)
            if scored is not None and scored[0] >= best.get(x, 0.0):
                out.add(x)
                break
    return out


def _link(sid: str, f: Mapping[str, Any], cache: "_FrameCache", posts: "_Prefixes") -> tuple[dict[str, Any] | None, float]:
    """(the evidence of story ``sid``'s link to its best predecessor, as :func:`build_threads` finds it,
    or None; its score, 0.0 without one)."""
    specific = specific_anchors(f)
    hits: Counter = Counter()
    for a in specific:
        post = posts.before(a, f["date"], sid, MAX_KEY_STORIES + 1)
        if post and len(post) <= MAX_KEY_STORIES:
            hits.update(post)
    got = cache.get([sid, *(j for j, n in hits.items() if n >= MIN_SHARED)])
    best, best_score, best_ev = _best_link(f, got[sid][1], specific, hits, lambda j: (*got[j], j))
    return (best_ev, best_score) if best is not None else (None, 0.0)


class _FrameCache:
    """The stored thread frames an update reads (``store.frames``), each read once, with its vector's
    norm; ``known``: frames given (the changed stories' new ones)."""

    def __init__(self, store: ThreadStore, known: Mapping[str, Mapping[str, Any]]):
        self.store = store
        self.got: dict[str, tuple[Mapping[str, Any], float]] = {sid: (f, _norm(f["vec"])) for sid, f in known.items()}

    def get(self, stories: Iterable[str]) -> dict[str, tuple[Mapping[str, Any], float]]:
        """story -> (its frame, its norm), for those of ``stories`` that have one."""
        got = self.got
        stories = list(stories)
        need = [sid for sid in stories if sid not in got]
        if need:
            for sid, g in self.store.frames(need).items():
                got[sid] = (g, _norm(g["vec"]))
        return {sid: got[sid] for sid in stories if sid in got}


class _Prefixes:
    """The stories before a story in an anchor's posting (``store.before``), answered from the posting's
    first rows, read once per anchor (``store.first``): the stories before (day, story), the first
    ``limit`` of them, are the first rows of the posting up to it. ``rows``: anchor -> (its first rows,
    the limit they were read with: fewer rows than that are the whole posting)."""

    def __init__(self, store: ThreadStore, rows: Mapping[str, tuple[list[tuple[int, str]], int]]):
        self.store = store
        self.rows = dict(rows)

    def before(self, anchor: str, date: int, story: str, limit: int) -> list[str]:
        got = self.rows.get(anchor)
        if got is None or (len(got[0]) < limit and len(got[0]) >= got[1]):   # not read, or not far enough
            got = self.rows[anchor] = (self.store.first(anchor, limit), limit)
        rows = got[0]
        return [x for _, x in rows[:min(bisect.bisect_left(rows, (date, story)), limit)]]


def _places(prev: Mapping[str, dict[str, Any]], dates: Mapping[str, int]) -> list[ThreadPlace]:
    """Thread places from each linked story's link evidence (``previous``) and the stories' dates, as
    :func:`build_threads` makes them."""
    root: dict[str, str] = {}
    for sid in prev:
        path, r = [], sid
        while r in prev and r not in root:   # a link always points to an earlier story: no cycle
            path.append(r)
            r = prev[r]["previous"]
        r = root.get(r, r)
        for p in path:
            root[p] = r
    members: dict[str, list[str]] = defaultdict(list)
    for sid, r in root.items():
        members[r].append(sid)
    out: list[ThreadPlace] = []
    for r, ms in sorted(members.items(), key=lambda kv: (dates[kv[0]], kv[0])):
        tid = "thread-" + r
        for pos, sid in enumerate(sorted([r, *ms], key=lambda k: (dates[k], k)), 1):
            out.append(ThreadPlace(sid, tid, pos, evidence=prev[sid] if sid in prev else {"first": True}))
    return out


def thread_frame(story: Any) -> dict[str, Any] | None:
    """What :func:`build_threads` reads of a story's frame (None when the story has none or no date)."""
    f = getattr(story, "frame", None)
    if not f or f.get("date") is None:
        return None
    return {"vec": f["vec"], "date": f["date"], "anchors": f["anchors"], "common": f.get("common", [])}
