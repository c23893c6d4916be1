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

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

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
                  ) -> list[ThreadPlace]:
    """Thread places for ``stories`` (records with ``id``, ``first_seen`` and the private ``frame``
    that :func:`scamtrace.stories.event.cluster_events` attaches); stories without a frame are left out."""
    frames = [(s, getattr(s, "frame", None)) for s in stories]
    frames = [(s, f) for s, f in frames if f and f.get("date") is not None]
    frames.sort(key=lambda x: (x[1]["date"], x[0].id))
    index: dict[str, list[int]] = defaultdict(list)
    prev: dict[int, tuple[int, dict[str, Any]]] = {}
    norms = list(map(_frame_norm, frames))   # each frame's once, not once per pair scored
    for i, (_s, f) in enumerate(frames):
        specific = set(f["anchors"]) - set(f.get("common", ()))
        hits: Counter = Counter()
        for a in specific:
            post = index.get(a)
            if post and len(post) <= MAX_KEY_STORIES:
                hits.update(post)
        best, best_score, best_ev = None, 0.0, {}
        for j, n in hits.items():
            if n < MIN_SHARED:
                continue
            g = frames[j][1]
            gap = f["date"] - g["date"]
            if gap <= 0 or gap > MAX_GAP_DAYS:
                continue
            cos = _cos(f["vec"], g["vec"], norms[i], norms[j])
            if cos < MIN_COSINE and n < MIN_SHARED_ALONE:
                continue
            score = cos + 0.1 * n
            if score > best_score:
                shared = sorted(specific & set(g["anchors"]))
                best, best_score, best_ev = j, score, {"previous": frames[j][0].id, "cosine": round(cos, 4),
                                                       "days_apart": gap, "shared_anchors": shared[:10]}
        if best is not None:
            prev[i] = (best, best_ev)
        for a in specific:
            index[a].append(i)
    root: dict[int, int] = {}
    for i in range(len(frames)):
        r = i
        while r in prev:
            r = prev[r][0]
        root[i] = r
    members: dict[int, list[int]] = defaultdict(list)
    for i, r in root.items():
        members[r].append(i)
    out: list[ThreadPlace] = []
    for r, ms in members.items():
        if len(ms) < 2:
            continue
        tid = "thread-" + frames[r][0].id
        for pos, i in enumerate(sorted(ms, key=lambda k: (frames[k][1]["date"], frames[k][0].id)), 1):
            out.append(ThreadPlace(frames[i][0].id, tid, pos, evidence=prev[i][1] if i in prev else {"first": True}))
    return out


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
