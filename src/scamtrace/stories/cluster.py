"""Story clustering: online, blocked, explainable.

Algorithm ``stories.online-v1``:

1. Copy families are units: every member of a family falls in the same story.
2. Units are visited in publication order (online: a new unit joins the best existing story or
   starts one). Each unit is described by TF-IDF weights over content words and by its "anchors":
   names and figures (numbers of three or more digits, not years) from :func:`copies.tokens.facts`.
3. Candidate stories come from an inverted index over anchors and the unit's highest-weighted
   terms (blocking: no all-pairs comparison); each candidate is scored by
   ``W_COSINE * cosine(unit, story centroid) + W_ANCHORS * anchor overlap`` where overlap is the
   share of the smaller anchor set found in the other. A unit joins the best story scoring at
   least ``JOIN_THRESHOLD`` whose date range is within ``MAX_GAP_DAYS``.

Every assignment keeps its evidence (score, cosine, shared anchors).
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..copies.tokens import STOPWORDS, facts, words
from ..model import Article, Family

ALGORITHM = "stories.online-v1"

# Weights and threshold set on the demo corpus gold (tests/gold/demo_stories.jsonl) and the seeds;
# see tests/test_stories.py for the floors they reach.
W_COSINE = 0.6
W_ANCHORS = 0.4
JOIN_THRESHOLD = 0.30
# Reports more than this many days after a story's last article start a new story.
MAX_GAP_DAYS = 45
# Blocking: number of top-weighted terms of a unit used as index keys besides its anchors.
BLOCK_TERMS = 12
# An index key shared by more than this many stories is too common to block on.
MAX_KEY_STORIES = 200

_YEAR = re.compile(r"^(19|20)\d\d$")


@dataclass
class Story:
    id: str
    title: str | None
    first_seen: dt.date | None
    last_seen: dt.date | None
    articles: list[str]
    families: list[str]
    algorithm: str = ALGORITHM
    evidence: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Unit:
    family: str
    members: list[Article]
    tf: Counter
    anchors: set[str]
    first: dt.date | None
    last: dt.date | None


def _stem(w: str) -> str:
    for suf in ("ings", "ing", "ies", "ed", "es", "s"):
        if len(w) > len(suf) + 3 and w.endswith(suf):
            return w[: -len(suf)]
    return w


def content_terms(text: str) -> Counter:
    return Counter(_stem(w) for w in words(text) if len(w) > 2 and w not in STOPWORDS and not w.isdigit())


def anchors(text: str) -> set[str]:
    out = set()
    for f in facts(text):
        if f.kind == "name" and len(f.value) > 2:
            out.add("n:" + f.value)
        elif f.kind == "num" and len(f.value.replace(".", "")) >= 3 and not _YEAR.match(f.value):
            out.add("#:" + f.value)
    return out


def _units(articles: Sequence[Article], families: Iterable[Family]) -> list[_Unit]:
    by_id = {a.id: a for a in articles}
    units: list[_Unit] = []
    seen: set[str] = set()
    for fam in families:
        members = [by_id[m] for m in fam.members if m in by_id]
        if members:
            units.append(_make_unit(fam.id, members))
            seen.update(m.id for m in members)
    for a in articles:
        if a.id not in seen:
            units.append(_make_unit("fam-" + a.id, [a]))
    return units


def _make_unit(fid: str, members: list[Article]) -> _Unit:
    tf: Counter = Counter()
    anc: set[str] = set()
    for m in members:
        text = f"{m.title or ''}\n{m.text}"
        tf.update(content_terms(text))
        anc |= anchors(text)
    dates = [m.published for m in members if m.published]
    return _Unit(fid, sorted(members, key=lambda a: a.id), tf, anc, min(dates, default=None), max(dates, default=None))


def _tfidf(tf: Counter, idf: dict[str, float]) -> dict[str, float]:
    vec = {t: (1 + math.log(c)) * idf.get(t, 0.0) for t, c in tf.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {t: v / norm for t, v in vec.items()}


def cluster_stories(articles: Sequence[Article], families: Iterable[Family] = ()) -> list[Story]:
    """Group articles into stories; deterministic for a given input set (order-independent)."""
    units = _units(articles, families)
    n = len(units) or 1
    df: Counter = Counter()
    for u in units:
        df.update(u.tf.keys())
    idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}
    far = dt.date.max
    units.sort(key=lambda u: (u.first or far, u.family))

    stories: list[dict[str, Any]] = []
    index: dict[str, set[int]] = defaultdict(set)
    for u in units:
        vec = _tfidf(u.tf, idf)
        keys = set(u.anchors) | {"t:" + t for t, _ in sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:BLOCK_TERMS]}
        cands: set[int] = set()
        for k in keys:
            if len(index[k]) <= MAX_KEY_STORIES:
                cands |= index[k]
        best, best_score, best_ev = None, 0.0, {}
        for si in sorted(cands):
            s = stories[si]
            if u.first and s["last"] and abs((u.first - s["last"]).days) > MAX_GAP_DAYS:
                continue
            cos = _cosine(vec, s["centroid"])
            shared = u.anchors & s["anchors"]
            small = min(len(u.anchors), len(s["anchors"])) or 1
            overlap = len(shared) / small
            score = W_COSINE * cos + W_ANCHORS * overlap
            if score > best_score:
                best, best_score = si, score
                best_ev = {"story_score": round(score, 4), "cosine": round(cos, 4), "anchor_overlap": round(overlap, 4),
                           "shared_anchors": sorted(shared)[:15]}
        if best is None or best_score < JOIN_THRESHOLD:
            stories.append({"units": [u], "centroid": dict(vec), "anchors": set(u.anchors),
                            "first": u.first, "last": u.last, "evidence": [{"family": u.family, "started": True}]})
            best = len(stories) - 1
        else:
            s = stories[best]
            s["units"].append(u)
            for t, v in vec.items():
                s["centroid"][t] = s["centroid"].get(t, 0.0) + v
            _renorm(s["centroid"])
            s["anchors"] |= u.anchors
            s["first"] = min(filter(None, [s["first"], u.first]), default=None)
            s["last"] = max(filter(None, [s["last"], u.last]), default=None)
            s["evidence"].append({"family": u.family, **best_ev})
        for k in keys:
            index[k].add(best)
    return [_story(s) for s in stories]


def _renorm(vec: dict[str, float]) -> None:
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    for t in vec:
        vec[t] /= norm


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def _story(s: dict[str, Any]) -> Story:
    members = sorted((m for u in s["units"] for m in u.members), key=lambda a: (a.published or dt.date.max, a.id))
    ids = [m.id for m in members]
    fams = [u.family for u in s["units"]]
    title = next((m.title for m in members if m.title), None)
    sid = "story-" + min(ids)
    return Story(sid, title, s["first"], s["last"], ids, fams, evidence=s["evidence"])
