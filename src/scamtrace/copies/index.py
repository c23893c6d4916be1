"""Copy-candidate index: finds which articles may copy which, without comparing all pairs.

``copies.candidates-v1``: three inverted indexes over the signatures of
:mod:`scamtrace.copies.signatures` (``shingle`` for verbatim/truncated/excerpt copies, ``stopword``
for spun copies, ``facts`` for rewrites). An article's candidates are the articles that share
enough of its hashes in any index; the cheap score is an estimate of containment in the smaller of
the two texts. Hashes found in more than ``df_cap`` articles are ignored (boilerplate, stock
phrases), which bounds the work per article.

Storage is columnar and append-only: a forward store of each article's hashes, and per index a
log-structured list of sorted (hash, article) segments merged geometrically, so adding articles in
batches and querying in between costs O(log n) segment searches. Removal is a tombstone; the
postings of removed articles are filtered out (one linear pass) before the next query, so document
frequencies always count live articles only and results do not depend on history.
"""
from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterable, Sequence

import numpy as np

from .signatures import INDEX_NAMES, SIGNATURES_ALGORITHM, index_rows, signature_batch

__all__ = ["CANDIDATES_ALGORITHM", "CandidateIndex", "DF_CAP", "index_rows"]

log = logging.getLogger(__name__)

CANDIDATES_ALGORITHM = "copies.candidates-v1"

#: Per index, a hash found in more articles than this is ignored when looking for candidates (it is
#: still counted). Shingle 256 keeps one wire story syndicated to a few hundred outlets findable
#: while dropping boilerplate ("subscribe to our newsletter") and stock phrases. Skeleton and fact
#: hashes are far less specific (their document frequency grows with the corpus), so only their rare
#: ones are used. Set on bench/bench_synth.py and bench/bench_candidates.py (synthetic, seed 7,
#: 5k-100k articles): recall >= 0.995 per relation; lowering shingle to 64 made querying 1.6x
#: faster at 50k with the same recall there, but would hide wide syndication, so it stays 256.
DF_CAP: dict[str, int] = {"shingle": 256, "stopword": 16, "facts": 16}

#: Minimum number of shared hashes for a candidate, per index. Shingle: 3 winnowed 5-grams (a
#: 30-word excerpt shares 2-7 with its source, 99% >= 3; with 2, stock phrases of the synthetic
#: corpus made 5x more non-copy pairs). Stopword and facts: their hashes are common across
#: unrelated texts, so more must agree. Set on bench/bench_synth.py (seed 7, 5k-20k articles).
MIN_SHARED: dict[str, int] = {"shingle": 3, "stopword": 4, "facts": 4}
#: Minimum estimated containment (shared / size of the smaller signature), per index. Shingle has
#: none (excerpts are a tiny part of both texts; the shared count decides). Set as MIN_SHARED.
MIN_SCORE: dict[str, float] = {"shingle": 0.0, "stopword": 0.15, "facts": 0.15}
#: At most this many candidates per article and index, best first.
MAX_CANDIDATES = 100
#: Buffered postings before they are sorted into a segment.
PENDING_POSTINGS = 1 << 20
#: Segments are merged while the older one is at most this many times larger than the newer one.
MERGE_RATIO = 4

_U64 = np.uint64


class _Forward:
    """Append-only store of each article's hashes for one index (flat array + offsets)."""

    def __init__(self) -> None:
        self.data = np.zeros(1024, dtype=_U64)
        self.size = 0
        self.start = np.zeros(1024, dtype=np.int64)
        self.end = np.zeros(1024, dtype=np.int64)

    def append(self, first_doc: int, hashes: np.ndarray, offsets: np.ndarray) -> None:
        n = offsets.size - 1
        self.data = _grow(self.data, self.size + hashes.size)
        self.data[self.size : self.size + hashes.size] = hashes
        self.start = _grow(self.start, first_doc + n)
        self.end = _grow(self.end, first_doc + n)
        self.start[first_doc : first_doc + n] = offsets[:-1] + self.size
        self.end[first_doc : first_doc + n] = offsets[1:] + self.size
        self.size += hashes.size

    def get(self, doc: int) -> np.ndarray:
        return self.data[self.start[doc] : self.end[doc]]

    def lengths(self, docs: np.ndarray) -> np.ndarray:
        return self.end[docs] - self.start[docs]


def _grow(a: np.ndarray, need: int) -> np.ndarray:
    if need <= a.size:
        return a
    b = np.zeros(max(need, 2 * a.size), dtype=a.dtype)
    b[: a.size] = a
    return b


def _merge(older: tuple[np.ndarray, np.ndarray], newer: tuple[np.ndarray, np.ndarray],
           alive: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Merge two sorted segments in linear time (older postings first among equal hashes),
    dropping the postings of removed articles."""
    (h1, d1), (h2, d2) = older, newer
    k1, k2 = alive[d1], alive[d2]
    if not k1.all():
        h1, d1 = h1[k1], d1[k1]
    if not k2.all():
        h2, d2 = h2[k2], d2[k2]
    pos = np.searchsorted(h1, h2, side="right") + np.arange(h2.size)
    h = np.empty(h1.size + h2.size, dtype=h1.dtype)
    d = np.empty(h.size, dtype=d1.dtype)
    rest = np.ones(h.size, dtype=bool)
    rest[pos] = False
    h[pos], d[pos] = h2, d2
    h[rest], d[rest] = h1, d1
    return h, d


class _Postings:
    """Inverted index for one signature: sorted (hash, doc) segments plus an unsorted buffer."""

    def __init__(self) -> None:
        self.segments: list[tuple[np.ndarray, np.ndarray]] = []
        self.pending: list[tuple[np.ndarray, np.ndarray]] = []
        self.n_pending = 0

    def add(self, hashes: np.ndarray, docs: np.ndarray, alive: np.ndarray) -> None:
        self.pending.append((hashes, docs.astype(np.int32)))
        self.n_pending += hashes.size
        if self.n_pending >= PENDING_POSTINGS:
            self.flush(alive)

    def flush(self, alive: np.ndarray) -> None:
        """Sort the buffer into a new segment, then merge segments of similar size."""
        if not self.pending:
            return
        h = np.concatenate([p[0] for p in self.pending])
        d = np.concatenate([p[1] for p in self.pending])
        self.pending, self.n_pending = [], 0
        order = np.argsort(h, kind="stable")
        self.segments.append((h[order], d[order]))
        while len(self.segments) >= 2 and self.segments[-2][0].size <= MERGE_RATIO * self.segments[-1][0].size:
            newer, older = self.segments.pop(), self.segments.pop()
            self.segments.append(_merge(older, newer, alive))

    def lookup(self, q: np.ndarray, cap: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Postings of the query hashes ``q`` found in at most ``cap`` articles.

        Returns (query position, doc) of each such posting and the document frequency of every
        query hash (hashes above the cap are counted but not expanded, which bounds the work).
        """
        uq, back = np.unique(q, return_inverse=True)   # sorted needles search much faster
        udf = np.zeros(uq.size, dtype=np.int64)
        ranges = []
        for keys, sdocs in self.segments:
            lo = np.searchsorted(keys, uq, side="left")
            hi = np.searchsorted(keys, uq, side="right")
            udf += hi - lo
            ranges.append((lo[back], hi[back], sdocs))
        df = udf[back]
        usable = df <= cap
        qpos, docs = [], []
        for lo, hi, sdocs in ranges:
            lens = np.where(usable, hi - lo, 0)
            tot = int(lens.sum())
            if tot == 0:
                continue
            first = np.cumsum(lens) - lens
            pos = np.arange(tot) - np.repeat(first - lo, lens)
            qpos.append(np.repeat(np.arange(q.size), lens))
            docs.append(sdocs[pos])
        if not qpos:
            return np.zeros(0, np.int64), np.zeros(0, np.int32), df
        return np.concatenate(qpos), np.concatenate(docs), df

    def purge(self, alive: np.ndarray) -> None:
        """Drop the postings of removed articles (filtering keeps each segment sorted)."""
        self.flush(alive)
        kept = []
        for keys, docs in self.segments:
            m = alive[docs]
            kept.append((keys[m], docs[m]))
        self.segments = [seg for seg in kept if seg[0].size]

    def n_postings(self) -> int:
        return sum(k.size for k, _ in self.segments) + self.n_pending


class CandidateIndex:
    """In-memory candidate index over articles (see the module docstring).

    >>> idx = CandidateIndex()
    >>> idx.add("a", text_a); idx.add("b", text_b)
    >>> idx.candidates("b")        # [("a", "shingle", 0.93), ...]
    """

    algorithm = CANDIDATES_ALGORITHM

    def __init__(self, df_cap: dict[str, int] | None = None, min_shared: dict[str, int] | None = None,
                 min_score: dict[str, float] | None = None, max_candidates: int = MAX_CANDIDATES):
        if not isinstance(max_candidates, int) or max_candidates < 1:
            raise ValueError(f"max_candidates must be an int >= 1, got {max_candidates!r}")
        self.df_cap = _checked(df_cap, DF_CAP, "df_cap", 2, 10_000_000)
        self.max_candidates = max_candidates
        self.min_shared = _checked(min_shared, MIN_SHARED, "min_shared", 1, 1_000_000)
        self.min_score = _checked(min_score, MIN_SCORE, "min_score", 0.0, 1.0)
        self._ids: list[str] = []
        self._num: dict[str, int] = {}
        self._alive = np.zeros(1024, dtype=bool)
        self._fw = {name: _Forward() for name in INDEX_NAMES}
        self._post = {name: _Postings() for name in INDEX_NAMES}
        self._removed = False   # removals not yet purged from the postings

    # -- building -------------------------------------------------------------------------------
    def add(self, article_id: str, text: str) -> None:
        """Index one article; an id already present is replaced."""
        self.add_many([(article_id, text)])

    def add_many(self, items: Iterable[tuple[str, str]], batch_size: int = 2000) -> None:
        """Index many (article id, text) pairs; batches are signed in one vectorised pass."""
        batch: list[tuple[str, str]] = []
        for item in items:
            batch.append(item)
            if len(batch) >= batch_size:
                self._add_batch(batch)
                batch = []
        if batch:
            self._add_batch(batch)

    def _add_batch(self, batch: Sequence[tuple[str, str]]) -> None:
        seen: dict[str, int] = {}
        for i, (aid, text) in enumerate(batch):
            if not isinstance(aid, str) or not aid:
                raise ValueError(f"article id must be a non-empty str, got {aid!r}")
            if not isinstance(text, str):
                raise ValueError(f"text of article {aid!r} must be a str, got {type(text).__name__}")
            seen[aid] = i   # the last text given for an id wins
        batch = [batch[i] for i in sorted(seen.values())]
        for aid, _ in batch:
            if aid in self._num:
                self.remove(aid)
        sig = signature_batch([t for _, t in batch])
        first = len(self._ids)
        n = len(batch)
        self._alive = _grow(self._alive, first + n)
        self._alive[first : first + n] = True
        for k, (aid, _) in enumerate(batch):
            self._num[aid] = first + k
            self._ids.append(aid)
        for name in INDEX_NAMES:
            h, offs = sig.parts[name]
            self._fw[name].append(first, h, offs)
            docs = np.repeat(np.arange(first, first + n, dtype=np.int32), np.diff(offs))
            self._post[name].add(h, docs, self._alive)

    def remove(self, article_id: str) -> None:
        """Forget an article (KeyError if absent). Postings are purged before the next query."""
        if article_id not in self._num:
            raise KeyError(f"article {article_id!r} is not in the index")
        num = self._num.pop(article_id)
        self._alive[num] = False
        self._removed = True

    def __len__(self) -> int:
        return len(self._num)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._num

    def ids(self) -> list[str]:
        """Ids of the indexed articles, in the order they were added."""
        return [self._ids[i] for i in np.flatnonzero(self._alive[: len(self._ids)])]

    # -- querying -------------------------------------------------------------------------------
    def candidates(self, article_id: str) -> list[tuple[str, str, float]]:
        """Articles that may copy or be copied by ``article_id``: (other id, index, score).

        One tuple per (other article, index that found it), best score first; the score estimates
        the containment of the shared text in the smaller of the two signatures (in [0, 1]).
        """
        if article_id not in self._num:
            raise KeyError(f"article {article_id!r} is not in the index; add() it first")
        return self.candidates_many([article_id])[article_id]

    def candidates_many(self, article_ids: Sequence[str]) -> dict[str, list[tuple[str, str, float]]]:
        """:meth:`candidates` for many articles in one vectorised pass per index."""
        missing = [a for a in article_ids if a not in self._num]
        if missing:
            raise KeyError(f"{len(missing)} article(s) not in the index, e.g. {missing[0]!r}")
        nums = np.array([self._num[a] for a in article_ids], dtype=np.int64)
        out: dict[str, list[tuple[str, str, float]]] = {a: [] for a in article_ids}
        if self._removed:   # document frequencies must count live articles only
            for post in self._post.values():
                post.purge(self._alive)
            self._removed = False
        for name in INDEX_NAMES:
            self._post[name].flush(self._alive)
            for qi, other, score in self._query(name, nums):
                out[article_ids[qi]].append((self._ids[other], name, score))
        for lst in out.values():
            lst.sort(key=lambda c: (-c[2], c[1], c[0]))
        return out

    def candidate_pairs(self, batch_size: int = 2000) -> Iterable[tuple[str, str, str, float]]:
        """Every candidate pair once per index, as (id a, id b, index, score), a added before b.

        A pair found from either side counts (scores are estimated from the querying side, so the
        thresholds can pass on one side only); the higher estimate is kept.
        """
        alive = np.flatnonzero(self._alive[: len(self._ids)])
        best: dict[tuple[int, int, str], float] = {}
        for lo in range(0, alive.size, batch_size):
            ids = [self._ids[i] for i in alive[lo : lo + batch_size]]
            for aid, cands in self.candidates_many(ids).items():
                na = self._num[aid]
                for other, name, score in cands:
                    no = self._num[other]
                    key = (min(na, no), max(na, no), name)
                    if score > best.get(key, -1.0):
                        best[key] = score
        for (x, y, name), score in sorted(best.items()):
            yield self._ids[x], self._ids[y], name, score

    def _query(self, name: str, nums: np.ndarray) -> list[tuple[int, int, float]]:
        """Candidates of the articles ``nums`` in one index: (position in nums, other doc, score)."""
        fw = self._fw[name]
        lens = fw.lengths(nums)
        if lens.sum() == 0:
            return []
        q = np.concatenate([fw.get(int(n)) for n in nums])
        qdoc = np.repeat(np.arange(nums.size), lens)
        cap = self.df_cap[name]
        qpos, docs, df = self._post[name].lookup(q, cap)
        usable = df <= cap
        n_q = np.bincount(qdoc[usable], minlength=nums.size)
        usable_share = n_q / np.maximum(lens, 1)
        weight = 1.0 / np.log2(1.0 + np.maximum(df, 1)) if name == "facts" else np.ones(q.size)
        w_q = np.bincount(qdoc[usable], weights=weight[usable], minlength=nums.size)
        qd = qdoc[qpos]
        keep = self._alive[docs] & (docs != nums[qd])
        qpos, docs, qd = qpos[keep], docs[keep], qd[keep]
        if qpos.size == 0:
            return []
        stride = len(self._ids) + 1
        keys = qd.astype(np.int64) * stride + docs
        if name == "facts":   # weighted: sort with the weights
            order = np.argsort(keys)
            keys, wts = keys[order], weight[qpos][order]
        else:
            keys.sort()
            wts = None
        first = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        uniq = keys[first]
        shared = np.diff(np.append(first, keys.size))
        shared_w = np.add.reduceat(wts, first) if wts is not None else shared.astype(float)
        pq, po = uniq // stride, uniq % stride
        # The other article's usable hashes are estimated with the query's usable share.
        n_o = fw.lengths(po) * usable_share[pq]
        small = np.maximum(np.minimum(n_q[pq], n_o), 1.0)
        if name == "facts":   # rare facts count more: weighted share of the query's facts, scaled
            score = (shared_w / np.maximum(w_q[pq], 1e-9)) * (n_q[pq] / small)
        else:
            score = shared / small
        score = np.minimum(score, 1.0)
        ok = (shared >= self.min_shared[name]) & (score >= self.min_score[name])
        res = sorted(zip(pq[ok].tolist(), po[ok].tolist(), score[ok].tolist()),
                     key=lambda r: (r[0], -r[2], r[1]))
        out: list[tuple[int, int, float]] = []
        per: dict[int, int] = {}
        for qi, other, s in res:
            if per.get(qi, 0) < self.max_candidates:
                per[qi] = per.get(qi, 0) + 1
                out.append((qi, other, round(float(s), 6)))
        return out

    # -- introspection and persistence --------------------------------------------------------
    def stats(self) -> dict[str, object]:
        """Sizes, for logs and benchmarks."""
        return {"articles": len(self), "algorithm": CANDIDATES_ALGORITHM,
                "signatures": SIGNATURES_ALGORITHM,
                "postings": {n: self._post[n].n_postings() for n in INDEX_NAMES},
                "segments": {n: len(self._post[n].segments) for n in INDEX_NAMES}}

    def to_bytes(self) -> bytes:
        """Serialise (numpy ``.npz``, no pickle). Postings are rebuilt by :meth:`from_bytes`."""
        alive = np.flatnonzero(self._alive[: len(self._ids)])
        meta = {"algorithm": CANDIDATES_ALGORITHM, "signatures": SIGNATURES_ALGORITHM,
                "df_cap": self.df_cap, "max_candidates": self.max_candidates,
                "min_shared": self.min_shared, "min_score": self.min_score,
                "ids": [self._ids[i] for i in alive]}
        arrays: dict[str, np.ndarray] = {"meta": np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)}
        for name in INDEX_NAMES:
            fw = self._fw[name]
            parts = [fw.get(int(i)) for i in alive]
            arrays[f"{name}_hashes"] = np.concatenate(parts) if parts else np.zeros(0, _U64)
            arrays[f"{name}_offsets"] = np.concatenate(([0], np.cumsum([p.size for p in parts]))).astype(np.int64)
        buf = io.BytesIO()
        np.savez_compressed(buf, **arrays)  # type: ignore[arg-type]  # numpy stubs mistype **arrays
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> CandidateIndex:
        """Load an index written by :meth:`to_bytes` (ValueError if it is not one or is outdated)."""
        try:
            z = np.load(io.BytesIO(data), allow_pickle=False)
            meta = json.loads(z["meta"].tobytes().decode())
        except Exception as e:   # noqa: BLE001 - any parse failure means "not an index"
            raise ValueError(f"not a serialised CandidateIndex: {e}") from None
        if meta.get("signatures") != SIGNATURES_ALGORITHM:
            raise ValueError(f"index was built with {meta.get('signatures')!r}, this code computes "
                             f"{SIGNATURES_ALGORITHM!r}; rebuild it from the article texts")
        idx = cls(df_cap=meta["df_cap"], min_shared=meta["min_shared"], min_score=meta["min_score"],
                  max_candidates=meta["max_candidates"])
        ids: list[str] = meta["ids"]
        n = len(ids)
        idx._ids = list(ids)
        idx._num = {a: i for i, a in enumerate(ids)}
        idx._alive = _grow(idx._alive, n)
        idx._alive[:n] = True
        for name in INDEX_NAMES:
            h, offs = z[f"{name}_hashes"], z[f"{name}_offsets"]
            if offs.size != n + 1:
                raise ValueError(f"corrupt CandidateIndex: {name} offsets do not match {n} ids")
            idx._fw[name].append(0, h, offs)
            docs = np.repeat(np.arange(n, dtype=np.int32), np.diff(offs))
            idx._post[name].add(h, docs, idx._alive)
        return idx


def _checked(given: dict | None, default: dict, what: str, lo: float, hi: float) -> dict:
    """Per-index thresholds: defaults overridden by ``given``, validated."""
    out = dict(default)
    for k, v in (given or {}).items():
        if k not in default:
            raise ValueError(f"{what}: unknown index {k!r}; known: {', '.join(INDEX_NAMES)}")
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not lo <= v <= hi:
            raise ValueError(f"{what}[{k!r}] must be a number between {lo} and {hi}, got {v!r}")
        out[k] = type(default[k])(v)
    return out
