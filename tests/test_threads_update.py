"""stories.threads-v1's incremental relinking (update_threads) reads only the stored threads a change
can reach, and the places it returns, laid over the stored ones, are exactly build_threads over every
story's frame: randomised frames (dense anchors, so that postings cross a lowered MAX_KEY_STORIES,
long threads, ties of dates), changed, gone, undated and new stories."""
from __future__ import annotations

import json
import random
from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

import pytest

from scamtrace.stories import threads
from scamtrace.stories.threads import build_threads, specific_anchors, update_threads


class _Memory:
    """A ThreadStore over frames held in memory, with the thread places of before the change; it
    records which stored threads were read."""

    def __init__(self, frames: dict[str, dict[str, Any]], places: list[Any], scores: dict[str, float]):
        self.f = frames
        self.place = {p.story: (p.thread, p.evidence) for p in places}
        self.score = dict(scores)
        self.read: set[str] = set()

    def _posting(self, anchor: str) -> list[tuple[int, str]]:
        return sorted((f["date"], s) for s, f in self.f.items() if anchor in specific_anchors(f))

    def frames(self, stories: Iterable[str]) -> dict[str, dict[str, Any]]:
        return {s: self.f[s] for s in stories if s in self.f}

    def first(self, anchor: str, limit: int) -> list[tuple[int, str]]:
        return self._posting(anchor)[:limit]

    def before(self, anchor: str, date: int, story: str, limit: int) -> list[str]:
        return [s for d, s in self._posting(anchor) if (d, s) < (date, story)][:limit]

    def dates(self, stories: Iterable[str]) -> dict[str, int]:
        return {s: self.f[s]["date"] for s in stories if s in self.f}

    def scores(self, stories: Iterable[str]) -> dict[str, float]:
        return {s: self.score[s] for s in stories if s in self.score}

    def threads_with(self, stories: Iterable[str]) -> dict[str, dict[str, Any]]:
        want = {self.place[s][0] for s in stories if s in self.place}
        self.read |= want
        return {s: json.loads(json.dumps(ev)) for s, (t, ev) in self.place.items() if t in want}


def _frame(rng: random.Random, n_anchors: int) -> dict[str, Any]:
    anchors = sorted({f"n:{rng.randrange(n_anchors)}" for _ in range(rng.randint(1, 6))} | {"n:common"})
    vec = {f"t{rng.randrange(30)}": round(rng.random(), 3) for _ in range(rng.randint(1, 8))}
    return {"vec": vec, "date": rng.randrange(0, 400), "anchors": anchors, "common": ["n:common"]}


def _rows(places: Iterable[Any]) -> dict[str, tuple]:
    return {p.story: (p.thread, p.position, json.dumps(p.evidence, default=str)) for p in places}


@pytest.mark.parametrize("seed", range(40))
def test_update_threads_lays_over_the_stored_places_as_build_threads(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(threads, "MAX_KEY_STORIES", 6)   # postings cross it in a store of 80
    monkeypatch.setattr(threads, "MAX_GAP_DAYS", 120)
    rng = random.Random(seed)
    n_anchors = rng.choice([6, 12, 40])
    frames = {f"story-{i:03d}": _frame(rng, n_anchors) for i in range(80)}
    scores: dict[str, float] = {}
    places = build_threads([SimpleNamespace(id=s, frame=f) for s, f in frames.items()], scores=scores)
    mem = _Memory(dict(frames), places, scores)
    # the change: some stories changed, gone, undated (gone from the frames) or new
    old: dict[str, dict[str, Any]] = {}
    new: dict[str, dict[str, Any]] = {}
    for sid in rng.sample(sorted(frames), rng.randint(1, 6)):
        old[sid] = frames[sid]
        what = rng.random()
        if what < 0.6:
            new[sid] = _frame(rng, n_anchors)
        del mem.f[sid]
        mem.score.pop(sid, None)
    for i in range(rng.randint(0, 4)):
        new[f"story-new{i}"] = _frame(rng, n_anchors)
    mem.f.update(new)
    got, within, relinked = update_threads(old, new, mem)
    assert {p.story for p in got} <= within
    table = {s: r for s, r in _rows(places).items() if s not in within}
    table.update(_rows(got))
    want_scores: dict[str, float] = {}
    want = _rows(build_threads([SimpleNamespace(id=s, frame=f) for s, f in mem.f.items()], scores=want_scores))
    assert table == want
    mem.score.update(relinked)
    assert {s: mem.score.get(s, 0.0) for s in mem.f} == want_scores   # exact floats
    every = {p.thread for p in places}
    assert mem.read <= every


def test_only_the_threads_a_change_reaches_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two unrelated affairs (no anchor shared): changing a story of one reads only its thread."""
    def frame(date: int, names: list[str]) -> dict[str, Any]:
        return {"vec": {"raid": 1.0, "compound": 0.5}, "date": date, "anchors": names, "common": []}
    frames = {"story-a1": frame(1, ["n:x", "n:y"]), "story-a2": frame(5, ["n:x", "n:y"]),
              "story-a3": frame(9, ["n:x", "n:y", "n:z"]),
              "story-b1": frame(2, ["n:p", "n:q"]), "story-b2": frame(6, ["n:p", "n:q"])}
    scores: dict[str, float] = {}
    places = build_threads([SimpleNamespace(id=s, frame=f) for s, f in frames.items()], scores=scores)
    assert {p.thread for p in places} == {"thread-story-a1", "thread-story-b1"}
    mem = _Memory(dict(frames), places, scores)
    changed = frame(9, ["n:x", "n:z"])   # a3 shares one name with a2 now (MIN_SHARED 2): it leaves the thread
    mem.f["story-a3"] = changed
    got, within, _ = update_threads({"story-a3": frames["story-a3"]}, {"story-a3": changed}, mem)
    assert mem.read == {"thread-story-a1"}
    assert within == {"story-a1", "story-a2", "story-a3"}
    want = _rows(build_threads([SimpleNamespace(id=s, frame=f) for s, f in mem.f.items()]))
    table = {s: r for s, r in _rows(places).items() if s not in within}
    table.update(_rows(got))
    assert table == want


@pytest.mark.parametrize("seed", range(6))
def test_crossed_reads_only_the_ranks_near_the_bound(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """threads._crossed looks only at the ranks of a posting that the changed frames can move across
    MAX_KEY_STORIES: the same stories as testing every rank of it."""
    import bisect
    monkeypatch.setattr(threads, "MAX_KEY_STORIES", 5)
    rng = random.Random(seed)

    def every_rank(old, new, lists):  # noqa: ANN001, ANN202 (threads-v1's scan of the whole posting)
        out = set()
        for a, posting in lists.items():
            add = sorted((f["date"], c) for c, f in new.items() if a in specific_anchors(f))
            drop = sorted((f["date"], c) for c, f in old.items() if a in specific_anchors(f))
            for rank, here in enumerate(posting):
                was = rank - bisect.bisect_left(add, here) + bisect.bisect_left(drop, here)
                if (rank <= 5) != (was <= 5):
                    out.add(here[1])
        return out

    for _ in range(200):
        def frame() -> dict[str, Any]:
            return {"date": rng.randrange(20), "anchors": rng.sample("abc", rng.randrange(1, 3)), "common": []}
        old = {f"s{i}": frame() for i in rng.sample(range(30), rng.randrange(0, 6))}
        new = {f"s{i}": frame() for i in rng.sample(range(30), rng.randrange(0, 6))}
        lists = {a: sorted(rng.sample([(rng.randrange(20), f"s{i}") for i in range(30)], rng.randrange(0, 15)))
                 for a in "abc"}
        assert threads._crossed(old, new, lists) == every_rank(old, new, lists)
