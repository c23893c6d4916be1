"""Story clustering: online, blocked, explainable.

Algorithm ``stories.online-v2``:

1. Copy families are units: every member of a family falls in the same story.
2. Units are visited in publication order (online: a new unit joins the best existing story or
   starts one). Each unit is described by TF-IDF weights over content words and by its "anchors":
   names and figures (numbers of three or more digits, not years) from :func:`copies.tokens.facts`.
3. Candidate units come from an inverted index over anchors and the unit's highest-weighted
   terms (blocking: no all-pairs comparison); each candidate unit is scored by
   ``(W_COSINE * cosine + W_ANCHORS * weighted anchor overlap) * time_factor`` where the overlap
   weighs shared anchors by their rarity (IDF over units) against the smaller anchor set, and
   ``time_factor`` decays with the gap between first publication dates beyond ``SAME_EVENT_DAYS``
   (``exp(-excess / TIME_DECAY_DAYS)``; ``UNDATED_FACTOR`` when a date is missing). A unit joins the
   story of its best-scoring unit (single link) when that score reaches ``JOIN_THRESHOLD``.

Briefs (``stories.brief-join-v1``): a unit whose every article is shorter than ``BRIEF_UNIT_WORDS``
words (a one-sentence wire brief, kept by ``clean.article-floor-v2``) may join a story but is never
an index entry, so no later unit joins through it: a short text shares a few terms with many
stories and would chain them. Its evidence says ``"brief": true``.

Every assignment keeps its evidence (score, cosine, shared anchors).

Scoring is vectorised: a unit's candidates are scored in one numpy pass over all of them
(:class:`_Rows`), and only the candidates within ``RECHECK_TOLERANCE`` of the best are scored again
with :func:`unit_similarity`, in candidate order, to pick the best unit and its evidence. The stories
are therefore exactly those of the one-pair-at-a-time loop, at a fraction of the time on large
corpora (where a unit can have thousands of candidates).
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from ..copies.tokens import STOPWORDS, facts, words
from ..model import ALGO_STORIES_ONLINE, Article, Family, Story
from ..clean.text import article_size

ALGORITHM = ALGO_STORIES_ONLINE   # name+version stored with the records (defined in model.py beside them)
#: How a story's headline is chosen (:func:`story_title`; recorded in each stories run's stats).
HEADLINE_ALGORITHM = "stories.headline-v2"

# Weights, decay and threshold set on the demo corpus gold (tests/gold/demo_stories.jsonl: same-story
# unit pairs score >= 0.146, different-story pairs <= 0.128) and the seeds (no dates); see
# tests/test_stories.py for the floors they reach.
W_COSINE = 0.5
W_ANCHORS = 0.5
JOIN_THRESHOLD = 0.137
SAME_EVENT_DAYS = 2
TIME_DECAY_DAYS = 5.0
UNDATED_FACTOR = 0.8
# Blocking: number of top-weighted terms of a unit used as index keys besides its anchors.
BLOCK_TERMS = 12
# An index key shared by more than this many units is too common to block on.
MAX_KEY_UNITS = 500
# Candidates whose vectorised score is within this of the best are re-scored exactly (the vectorised
# sums differ from the exact ones only in the last bits, ~1e-15), so the choice never depends on it.
RECHECK_TOLERANCE = 1e-9
# A unit whose articles are all shorter than this (in words) is a brief: it joins, it is never joined
# through (stories.brief-join-v1). The same 40 words as clean.BRIEF_CHECK_WORDS. Set on ECB+
# (../shared/datasets/ecbplus, all of it; no halves): keeping its 68 short articles with the
# plain online rule lowered story B-cubed F1 from 0.784 to 0.749; with this rule it is 0.789.
BRIEF_UNIT_WORDS = 40

_YEAR = re.compile(r"^(19|20)\d\d$")


@dataclass
class _Unit:
    family: str
    members: list[Article]
    tf: Counter
    anchors: set[str]
    first: dt.date | None
    last: dt.date | None


@lru_cache(maxsize=1 << 18)
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


def is_brief(texts: Iterable[str]) -> bool:
    """True when every text is shorter than ``BRIEF_UNIT_WORDS`` words (a unit of briefs)."""
    return all(article_size(t) < BRIEF_UNIT_WORDS for t in texts)


def block_keys(anchors: Iterable[str], vec: dict[str, float]) -> set[str]:
    """A unit's blocking keys: its anchors and its ``BLOCK_TERMS`` highest-weighted terms."""
    top = sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:BLOCK_TERMS]
    return set(anchors) | {"t:" + t for t, _ in top}


def unit_idf(units: Sequence[_Unit]) -> tuple[dict[str, float], dict[str, float], Counter]:
    """(term idf, anchor idf, anchor document frequencies) over ``units``, each unit one document."""
    n = len(units) or 1
    df: Counter = Counter()
    adf: Counter = Counter()
    for u in units:
        df.update(u.tf.keys())
        adf.update(u.anchors)
    idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}
    aidf = {a: math.log((1 + n) / (1 + c)) for a, c in adf.items()}
    return idf, aidf, adf


def _tfidf(tf: Counter, idf: dict[str, float]) -> dict[str, float]:
    vec = {t: (1 + math.log(c)) * idf.get(t, 0.0) for t, c in tf.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {t: v / norm for t, v in vec.items()}


def cluster_stories(articles: Sequence[Article], families: Iterable[Family] = ()) -> list[Story]:
    """Group articles into stories; deterministic for a given input set (order-independent)."""
    families = list(families)
    units = _units(articles, families)
    idf, aidf, _ = unit_idf(units)
    far = dt.date.max
    units.sort(key=lambda u: (u.first or far, u.family))
    feats = _Features(units, idf, aidf)
    brief = [is_brief(m.text for m in u.members) for u in units]

    story_of: list[int] = []              # unit position -> story index
    stories: list[dict[str, Any]] = []
    index: dict[str, list[int]] = defaultdict(list)
    for pos, u in enumerate(units):
        keys = feats.keys[pos]
        cands: set[int] = set()
        for k in keys:
            if len(index[k]) <= MAX_KEY_UNITS:
                cands.update(index[k])
        best, best_score, best_ev = _best_candidate(feats, pos, sorted(cands))
        mark = {"brief": True} if brief[pos] else {}
        if best is None or best_score < JOIN_THRESHOLD:
            stories.append({"units": [u], "evidence": [{"family": u.family, "started": True, **mark}]})
            story_of.append(len(stories) - 1)
        else:
            si = story_of[best]
            stories[si]["units"].append(u)
            stories[si]["evidence"].append({"family": u.family, "joined_via": units[best].family, **best_ev, **mark})
            story_of.append(si)
        if not brief[pos]:
            for k in keys:
                index[k].append(pos)
    copies = copies_of(families)
    return [_story(s, copies) for s in stories]


class _Rows:
    """Sparse rows (column ids and values, in insertion order) in flat numpy arrays, CSR-style.

    :meth:`dots` uses scipy's CSR row gather and product when scipy is installed (about 7x faster
    than the numpy fallback on 300-term rows), the numpy fallback otherwise; both give the same sums
    up to the last bits, which :data:`RECHECK_TOLERANCE` absorbs.
    """

    def __init__(self, rows: Sequence[tuple[Sequence[int], Sequence[float]]], width: int) -> None:
        lengths = np.fromiter((len(c) for c, _ in rows), dtype=np.int64, count=len(rows))
        self.indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=self.indptr[1:])
        self.cols = np.concatenate([np.asarray(c, dtype=np.int32) for c, _ in rows] or [np.zeros(0, np.int32)])
        self.vals = np.concatenate([np.asarray(v, dtype=np.float64) for _, v in rows] or [np.zeros(0)])
        self.width = width
        self._csr = _csr_matrix(self.vals, self.cols, self.indptr, (len(rows), width))

    def row(self, i: int) -> tuple[list[int], list[float]]:
        s, e = self.indptr[i], self.indptr[i + 1]
        return self.cols[s:e].tolist(), self.vals[s:e].tolist()

    def dots(self, rows: np.ndarray, dense: np.ndarray) -> np.ndarray:
        """``row(r) . dense`` for every r in ``rows``."""
        if self._csr is not None:
            return self._csr[rows] @ dense
        starts = self.indptr[rows]
        lengths = self.indptr[rows + 1] - starts
        total = int(lengths.sum())
        if total == 0:
            return np.zeros(len(rows))
        flat = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(total)
        prod = self.vals[flat] * dense[self.cols[flat]]
        return np.bincount(np.repeat(np.arange(len(rows)), lengths), weights=prod, minlength=len(rows))

    def dense(self, i: int) -> np.ndarray:
        out = np.zeros(self.width)
        s, e = self.indptr[i], self.indptr[i + 1]
        out[self.cols[s:e]] = self.vals[s:e]
        return out


class _Features:
    """Every unit's TF-IDF vector, anchors, blocking keys and first date, for vectorised scoring."""

    def __init__(self, units: list[_Unit], idf: dict[str, float], aidf: dict[str, float],
                 vecs: Sequence[dict[str, float]] | None = None) -> None:
        """``vecs``: the units' TF-IDF vectors when already computed (the Spark engine scores a
        bucket of units with them; ``idf`` is then unused and ``keys`` stays empty)."""
        self.units = units
        self.aidf = aidf
        self.terms = list(idf) if vecs is None else list(dict.fromkeys(t for v in vecs for t in v))
        term_id = {t: i for i, t in enumerate(self.terms)}
        self._anchor_id = {a: i for i, a in enumerate(aidf)}
        self.n_anchors = len(self._anchor_id)
        vec_rows: list[tuple[np.ndarray, np.ndarray]] = []
        self.keys: list[set[str]] = []
        for i, u in enumerate(units):
            vec = _tfidf(u.tf, idf) if vecs is None else vecs[i]
            vec_rows.append((np.fromiter((term_id[t] for t in vec), dtype=np.int32, count=len(vec)),
                             np.fromiter(vec.values(), dtype=np.float64, count=len(vec))))
            if vecs is None:
                self.keys.append(block_keys(u.anchors, vec))
        self.vecs = _Rows(vec_rows, len(self.terms))
        del vec_rows
        self.anchors = _Rows([([self._anchor_id[a] for a in u.anchors], [1.0] * len(u.anchors)) for u in units],
                            self.n_anchors)
        self.anchor_weight = np.array([sum(aidf.get(x, 0.0) for x in u.anchors) for u in units])
        self.dated = np.array([u.first is not None for u in units])
        self.first = np.array([u.first.toordinal() if u.first else 0 for u in units], dtype=np.int64)

    def vec(self, i: int) -> dict[str, float]:
        """Unit ``i``'s TF-IDF vector exactly as :func:`_tfidf` built it (same keys, order and values)."""
        cols, vals = self.vecs.row(i)
        return {self.terms[c]: v for c, v in zip(cols, vals)}

    def scores(self, pos: int, cands: np.ndarray) -> np.ndarray:
        """:func:`unit_similarity` scores of unit ``pos`` against each of ``cands``, vectorised."""
        cos = self.vecs.dots(cands, self.vecs.dense(pos))
        u = self.units[pos]
        shared = self.anchors.dots(cands, self._anchor_weights(pos))   # sum of aidf over shared anchors
        denom = np.minimum(self.anchor_weight[pos], self.anchor_weight[cands])
        overlap = shared / np.where(denom == 0.0, 1.0, denom)
        if u.first is None:
            factor = np.full(len(cands), UNDATED_FACTOR)
        else:
            gap = np.abs(self.first[cands] - self.first[pos])
            factor = np.where(self.dated[cands], np.exp(-np.maximum(0, gap - SAME_EVENT_DAYS) / TIME_DECAY_DAYS),
                              UNDATED_FACTOR)
        return (W_COSINE * cos + W_ANCHORS * overlap) * factor

    def _anchor_weights(self, pos: int) -> np.ndarray:
        """Dense vector over all anchors: unit ``pos``'s anchors weighted by their IDF, 0 elsewhere."""
        out = np.zeros(self.n_anchors)
        for a in self.units[pos].anchors:
            out[self._anchor_id[a]] = self.aidf.get(a, 0.0)
        return out


def _csr_matrix(vals: np.ndarray, cols: np.ndarray, indptr: np.ndarray, shape: tuple[int, int]) -> Any:
    """A scipy CSR matrix over the given arrays, or None without scipy (the numpy fallback is used)."""
    try:
        from scipy.sparse import csr_matrix
    except ImportError:
        return None
    return csr_matrix((vals, cols, indptr), shape=shape)


def _best_candidate(feats: _Features, pos: int, cands: list[int]) -> tuple[int | None, float, dict[str, Any]]:
    """(best candidate, its score, evidence) as the one-pair-at-a-time loop finds them: the first
    candidate (in position order) with the highest :func:`unit_similarity` score above 0."""
    if not cands:
        return None, 0.0, {}
    arr = np.asarray(cands, dtype=np.int64)
    approx = feats.scores(pos, arr)
    top = float(approx.max())
    if top < JOIN_THRESHOLD - RECHECK_TOLERANCE:
        return None, 0.0, {}   # the exact best is below the threshold too: the unit starts a story
    u, vec = feats.units[pos], feats.vec(pos)
    best, best_score, best_ev = None, 0.0, {}
    for other in arr[approx >= top - RECHECK_TOLERANCE].tolist():
        score, ev = unit_similarity(u, vec, feats.units[other], feats.vec(other), feats.aidf)
        if score > best_score:
            best, best_score, best_ev = other, score, ev
    return best, best_score, best_ev


def unit_similarity(a: _Unit, va: dict[str, float], b: _Unit, vb: dict[str, float],
                    aidf: dict[str, float]) -> tuple[float, dict[str, Any]]:
    """(score, evidence) that two units report the same story (see the module docstring)."""
    cos = _cosine(va, vb)
    shared = a.anchors & b.anchors
    wa = sum(aidf.get(x, 0.0) for x in a.anchors)
    wb = sum(aidf.get(x, 0.0) for x in b.anchors)
    overlap = sum(aidf.get(x, 0.0) for x in shared) / (min(wa, wb) or 1.0)
    if a.first and b.first:
        gap = abs((a.first - b.first).days)
        factor = math.exp(-max(0, gap - SAME_EVENT_DAYS) / TIME_DECAY_DAYS)
    else:
        gap, factor = None, UNDATED_FACTOR
    score = (W_COSINE * cos + W_ANCHORS * overlap) * factor
    return score, {"story_score": round(score, 4), "cosine": round(cos, 4), "anchor_overlap": round(overlap, 4),
                   "gap_days": gap, "time_factor": round(factor, 4),
                   "shared_anchors": sorted(shared, key=lambda x: (-aidf.get(x, 0.0), x))[:15]}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def copies_of(families: Iterable[Family]) -> frozenset[str]:
    """The articles that are copies within their family: every member of a family with an origin in the
    corpus but the origin itself (a family of siblings, without an origin, has none)."""
    return frozenset(m for f in families if f.origin for m in f.members if m != f.origin)


def story_title(members: Sequence[Article], copies: Collection[str] = frozenset()) -> str | None:
    """``stories.headline-v2``: a story's title is the headline of the first of ``members`` (in publication
    order: undated last, then by id) that has one and is not in ``copies``; when only copies have one,
    the first copy's (v1 took the first headline, even a spun copy's published before its original, or
    dated when the original is not)."""
    return next((m.title for m in members if m.title and m.id not in copies),
                next((m.title for m in members if m.title), None))


def _story(s: dict[str, Any], copies: Collection[str] = frozenset()) -> Story:
    members = sorted((m for u in s["units"] for m in u.members), key=lambda a: (a.published or dt.date.max, a.id))
    ids = [m.id for m in members]
    fams = [u.family for u in s["units"]]
    title = story_title(members, copies)
    dates = [d for u in s["units"] for d in (u.first, u.last) if d]
    return Story("story-" + min(ids), title, min(dates, default=None), max(dates, default=None), ids, fams,
                 evidence=s["evidence"])
