"""Copy-candidate index: finds which articles may copy which, without comparing all pairs.

``copies.candidates-v1``: three inverted indexes over the signatures of
:mod:`scamtrace.copies.signatures` (``shingle`` for verbatim/truncated/excerpt copies, ``stopword``
for spun copies, ``facts`` for rewrites). An article's candidates are the articles that share
enough of its hashes in any index; the cheap score is an estimate of containment in the smaller of
the two texts. Hashes found in more than ``df_cap`` articles are ignored (boilerplate, stock
phrases), which bounds the work per article.

Storage (per index) is columnar and append-only. Added articles wait as compact signature batches
until the next query; then they become one *segment*: the sorted unique hashes of its articles,
their postings (article numbers grouped by hash) and, per article, the group number of each of its
hashes (its forward signature, 4 bytes a hash). A query article therefore finds its postings in its
own segment without any search; other segments are searched by hash. Segments are merged
geometrically in linear time, so adding articles in batches and querying in between costs
O(log n) segment searches, and a bulk build (add everything, then query) is one sort and one
segment. Candidate counting is vectorised per chunk of query articles (one sort of packed
(query, other, df) keys). Removal is a tombstone; the postings of removed articles are filtered out
(one linear pass) before the next query, so document frequencies always count live articles only
and results do not depend on history.
"""
from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

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
#: Segments are merged while the older one is at most this many times larger than the newer one.
MERGE_RATIO = 4
#: Query hashes expanded per vectorised step (bounds the temporary arrays of a query to some tens
#: of MiB; bench/bench_candidates.py at 100k articles: 2**19 to 2**21 differ by < 3% in speed).
QUERY_CHUNK_HASHES = 1 << 20

#: Below this many hashes a segment is sorted by one np.argsort (see _sort_hashes).
SORT_BUCKET_MIN = 1 << 16

_U64 = np.uint64
_I32 = np.int32
_I64 = np.int64


@dataclass(slots=True)
class _Segment:
    """Postings and forward signatures of the consecutive articles ``first .. first + n - 1``.

    ``keys`` are the sorted unique hashes; the articles having ``keys[g]`` are
    ``docs[gstart[g] : gstart[g + 1]]``; the hashes of article ``first + i`` are
    ``keys[fgid[foff[i] : foff[i + 1]]]``.
    """

    first: int
    keys: np.ndarray     # uint64, sorted, unique
    gstart: np.ndarray   # int32 (int64 past 2**31 postings), len(keys) + 1
    docs: np.ndarray     # int32 article numbers (live ones only after a purge)
    fgid: np.ndarray     # int32 group of each forward entry
    foff: np.ndarray     # int64 forward offsets, n + 1

    def entries(self, local: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(position in ``local``, group) of every hash of the articles ``first + local``."""
        st = self.foff[local]
        ln = self.foff[local + 1] - st
        return np.repeat(np.arange(local.size), ln), self.fgid[_ranges(st, ln)]

    def find(self, h: np.ndarray) -> np.ndarray:
        """Group of each hash of ``h``, -1 where the segment does not have it."""
        if self.keys.size == 0:
            return np.full(h.size, -1, dtype=_I64)
        i = np.searchsorted(self.keys, h)
        i[i == self.keys.size] = 0
        return np.where(self.keys[i] == h, i, -1)

    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.keys, self.gstart, self.docs, self.fgid, self.foff))


def _offset_type(total: int) -> type:
    """Smallest integer type for offsets up to ``total`` (int32 halves the postings directory)."""
    return _I32 if total < (1 << 31) else _I64


def _ranges(starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """Concatenation of ``arange(s, s + l)`` for every (s, l), vectorised."""
    total = int(lens.sum())
    if total == 0:
        return np.zeros(0, dtype=_I64)
    shift = np.asarray(starts, dtype=_I64) - (np.cumsum(lens) - lens)
    return np.repeat(shift, lens) + np.arange(total, dtype=_I64)


def _first_of_runs(x: np.ndarray) -> np.ndarray:
    """Positions where a run of equal values of the sorted array ``x`` starts."""
    if x.size == 0:
        return np.zeros(0, dtype=_I64)
    new = np.empty(x.size, dtype=bool)
    new[0] = True
    np.not_equal(x[1:], x[:-1], out=new[1:])
    return np.flatnonzero(new)


def _sort_hashes(parts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(order, sorted hashes) of the concatenation of ``parts`` (ties in any order); ``parts`` is
    emptied as soon as possible so its memory is freed during the sort.

    Large arrays are first bucketed by their top bits (a stable radix argsort of small integers),
    then each bucket is sorted while it fits the CPU cache: 2x faster than one ``np.argsort`` at
    15M hashes. Hashes are mixed, so buckets are even.
    """
    h = np.concatenate(parts) if len(parts) != 1 else parts[0]
    parts.clear()
    n = h.size
    if n < SORT_BUCKET_MIN:
        order = np.argsort(h)
        return order, h[order]
    bits = min(16, max(8, int(n).bit_length() - 12))     # ~4k hashes a bucket
    top = (h >> _U64(64 - bits)).astype(np.uint16)
    bounds = np.concatenate(([0], np.cumsum(np.bincount(top, minlength=1 << bits)))).tolist()
    order = np.argsort(top, kind="stable")
    del top
    if n < (1 << 31):
        order = order.astype(_I32)
    ks = h[order]
    del h
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        if hi - lo > 1:
            loc = np.argsort(ks[lo:hi], kind="stable")   # 2.5x faster than quicksort at ~3k
            ks[lo:hi] = ks[lo:hi][loc]
            order[lo:hi] = order[lo:hi][loc]
    return order, ks


def _build(first: int, batches: list[tuple[int, np.ndarray, np.ndarray]]) -> _Segment:
    """One segment from the CSR signature batches (first article, hashes, offsets) of the articles
    ``first, first + 1, ...``; the list is emptied so its arrays are freed as early as possible."""
    offs = np.concatenate(([0], np.cumsum(np.concatenate([np.diff(b[2]) for b in batches])))).astype(_I64)
    parts = [b[1] for b in batches]
    batches.clear()
    order, ks = _sort_hashes(parts)
    starts = _first_of_runs(ks)
    keys = ks[starts]
    del ks
    gid = np.zeros(order.size, dtype=_I32)
    gid[starts[1:]] = 1
    np.cumsum(gid, out=gid)
    fgid = np.empty(order.size, dtype=_I32)
    fgid[order] = gid
    del gid
    docs = np.repeat(np.arange(first, first + offs.size - 1, dtype=_I32), np.diff(offs))[order]
    gstart = np.append(starts, order.size).astype(_offset_type(order.size))
    return _Segment(first, keys, gstart, docs, fgid, offs)


def _merge(a: _Segment, b: _Segment) -> _Segment:
    """Merge ``a`` and the segment ``b`` of the articles right after it, in linear time."""
    ga = a.find(b.keys)
    found = ga >= 0
    ins = np.searchsorted(a.keys, b.keys[~found])          # where b's new keys go among a's
    a_map = np.arange(a.keys.size, dtype=_I64)
    if ins.size:
        a_map += np.cumsum(np.bincount(ins, minlength=a.keys.size + 1))[: a.keys.size]
    b_map = np.empty(b.keys.size, dtype=_I64)
    b_map[found] = a_map[ga[found]]
    b_map[~found] = ins + np.arange(ins.size)
    u = a.keys.size + ins.size
    keys = np.empty(u, dtype=_U64)
    keys[a_map] = a.keys
    keys[b_map] = b.keys
    ca, cb = np.diff(a.gstart), np.diff(b.gstart)
    cnt_a = np.zeros(u, dtype=_I64)
    cnt_a[a_map] = ca
    cnt = cnt_a.copy()
    cnt[b_map] += cb
    gstart = np.zeros(u + 1, dtype=_I64)
    np.cumsum(cnt, out=gstart[1:])
    docs = np.empty(a.docs.size + b.docs.size, dtype=_I32)
    docs[_ranges(gstart[a_map], ca)] = a.docs               # a's postings first in each group
    docs[_ranges(gstart[b_map] + cnt_a[b_map], cb)] = b.docs
    fgid = np.concatenate((a_map[a.fgid], b_map[b.fgid])).astype(_I32)
    foff = np.concatenate((a.foff, b.foff[1:] + a.foff[-1]))
    return _Segment(a.first, keys, gstart.astype(_offset_type(docs.size)), docs, fgid, foff)


def _purge(s: _Segment, alive: np.ndarray) -> _Segment:
    """``s`` without the postings of removed articles (keys and forward signatures are kept)."""
    keep = alive[s.docs]
    if keep.all():
        return s
    gid = np.repeat(np.arange(s.keys.size, dtype=_I64), np.diff(s.gstart))
    gstart = np.zeros(s.keys.size + 1, dtype=_I64)
    np.cumsum(np.bincount(gid[keep], minlength=s.keys.size), out=gstart[1:])
    return _Segment(s.first, s.keys, gstart.astype(s.gstart.dtype), s.docs[keep], s.fgid, s.foff)


@dataclass(slots=True)
class _Hits:
    """Postings of some query hashes in one segment: hash ``idx[i]`` has
    ``docs[start[i] : start[i] + cnt[i]]``."""

    docs: np.ndarray
    idx: np.ndarray
    start: np.ndarray
    cnt: np.ndarray


class _Postings:
    """Inverted index and forward signatures for one signature kind: segments + pending batches."""

    def __init__(self) -> None:
        self.segments: list[_Segment] = []
        self.pending: list[tuple[int, np.ndarray, np.ndarray]] = []   # (first doc, hashes, offsets)
        self.lens = np.zeros(1024, dtype=_I32)                       # hashes per article

    def add(self, first: int, hashes: np.ndarray, offsets: np.ndarray) -> None:
        n = offsets.size - 1
        self.lens = _grow(self.lens, first + n)
        self.lens[first : first + n] = np.diff(offsets)
        self.pending.append((first, hashes, offsets))

    def flush(self) -> None:
        """Turn the pending batches into one segment, then merge segments of similar size."""
        if not self.pending:
            return
        pending, self.pending = self.pending, []
        self.segments.append(_build(pending[0][0], pending))
        while len(self.segments) >= 2 and \
                self.segments[-2].docs.size <= MERGE_RATIO * self.segments[-1].docs.size:
            newer, older = self.segments.pop(), self.segments.pop()
            self.segments.append(_merge(older, newer))

    def purge(self, alive: np.ndarray) -> None:
        self.flush()
        self.segments = [_purge(s, alive) for s in self.segments]

    def seg_of(self, docs: np.ndarray) -> np.ndarray:
        firsts = np.array([s.first for s in self.segments], dtype=_I64)
        return np.searchsorted(firsts, docs, side="right") - 1

    def lookup(self, nums: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[_Hits]]:
        """Hashes of the (built) articles ``nums``, with their document frequency and postings.

        Returns the query position of each hash, its live df over all segments, and per segment
        the postings of the hashes that segment has.
        """
        segs = self.segments
        seg_of = self.seg_of(nums)
        qd_parts, g_parts, own = [], [], []
        for k, s in enumerate(segs):
            sel = np.flatnonzero(seg_of == k)
            if sel.size:
                pos, g = s.entries(nums[sel] - s.first)
                qd_parts.append(sel[pos])
                g_parts.append(g)
                own.append(k)
        if not qd_parts:
            return np.zeros(0, _I64), np.zeros(0, _I64), []
        qd = np.concatenate(qd_parts)
        df = np.zeros(qd.size, dtype=_I64)
        hits: list[_Hits] = []
        lo = 0
        for k, g in zip(own, g_parts):     # each hash in the segment of its own article: no search
            start = segs[k].gstart[g]
            cnt = segs[k].gstart[g + 1] - start
            df[lo : lo + g.size] = cnt
            hits.append(_Hits(segs[k].docs, np.arange(lo, lo + g.size), start, cnt))
            lo += g.size
        if len(segs) > 1:                  # the other segments: by binary search of the hash
            lo = 0
            for k, g in zip(own, g_parts):
                h = segs[k].keys[g]
                for j, s in enumerate(segs):
                    if j == k:
                        continue
                    gj = s.find(h)
                    ok = np.flatnonzero(gj >= 0)
                    if ok.size:
                        gj = gj[ok]
                        start = s.gstart[gj]
                        cnt = s.gstart[gj + 1] - start
                        df[lo + ok] += cnt
                        hits.append(_Hits(s.docs, lo + ok, start, cnt))
                lo += g.size
        return qd, df, hits

    def n_postings(self) -> int:
        return sum(s.docs.size for s in self.segments) + sum(p[1].size for p in self.pending)

    def nbytes(self) -> int:
        return (sum(s.nbytes() for s in self.segments) + sum(p[1].nbytes + p[2].nbytes for p in self.pending)
                + self.lens.nbytes)


def _grow(a: np.ndarray, need: int) -> np.ndarray:
    if need <= a.size:
        return a
    b = np.zeros(max(need, 2 * a.size), dtype=a.dtype)
    b[: a.size] = a
    return b


def _signature_parts(rows: Sequence[tuple[str, Mapping[str, bytes]]]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per index, the hashes of the stored signatures ``rows`` (:meth:`CandidateIndex.signature_rows`)
    concatenated and each row's offsets into them, as :func:`signature_batch` gives them for texts;
    ValueError when a signature is not a whole number of hashes."""
    out = {}
    for name in INDEX_NAMES:
        parts = []
        for aid, sig in rows:
            data = sig[name]
            if len(data) % 8:
                raise ValueError(f"corrupt copy signature of {aid!r} ({name}: {len(data)} bytes)")
            parts.append(np.frombuffer(data, dtype="<u8"))
        offs = np.concatenate(([0], np.cumsum([p.size for p in parts]))).astype(_I64)
        out[name] = (np.concatenate(parts).astype(_U64, copy=False) if parts else np.zeros(0, _U64), offs)
    return out


class CandidateIndex:
    """In-memory candidate index over articles (see the module docstring).

    >>> idx = CandidateIndex()
    >>> idx.add("a", text_a); idx.add("b", text_b)
    >>> idx.candidates("b")        # [("a", "shingle", 0.93), ...]
    """

    algorithm = CANDIDATES_ALGORITHM
    #: Count each pair from the querying side only, also when every article is queried (set by
    #: :class:`~scamtrace.copies.stored_index.StoredCandidates`, whose index holds only the articles
    #: a query reaches). Both ways give the same candidates.
    _single_side = False

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
        self._post = {name: _Postings() for name in INDEX_NAMES}
        self._removed = False   # removals not yet purged from the postings

    # -- building -------------------------------------------------------------------------------
    def add(self, article_id: str, text: str) -> None:
        """Index one article; an id already present is replaced."""
        self.add_many([(article_id, text)])

    def add_many(self, items: Iterable[tuple[str, str]], batch_size: int = 2000) -> None:
        """Index many (article id, text) pairs; batches are signed in one vectorised pass.

        ``items`` is consumed lazily, so a generator keeps only one batch of texts in memory.
        """
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be an int >= 1, got {batch_size!r}")
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
        self._append([aid for aid, _ in batch], sig.parts)

    def _append(self, ids: Sequence[str], parts: Mapping[str, tuple[np.ndarray, np.ndarray]]) -> None:
        """Number ``ids`` (absent from the index) after the last article and add their postings: per index,
        their hashes concatenated and each one's offsets into them (``parts``, as :func:`signature_batch` and
        :func:`_signature_parts` give them)."""
        first, n = len(self._ids), len(ids)
        if not n:
            return
        self._alive = _grow(self._alive, first + n)
        self._alive[first : first + n] = True
        for k, aid in enumerate(ids):
            self._num[aid] = first + k
            self._ids.append(aid)
        for name in INDEX_NAMES:
            h, offs = parts[name]
            self._post[name].add(first, h, offs)

    def add_signature_rows(self, rows: Sequence[tuple[str, Mapping[str, bytes]]]) -> None:
        """Index articles given as :meth:`signature_rows` wrote them, in order (an id present is replaced), as
        :meth:`add_many` indexes their texts (the incremental copies run signs a batch once, reads the index as
        it was, then adds the batch: ``copies.incremental-v2``)."""
        ids = [aid for aid, _ in rows]
        if len(set(ids)) != len(ids):
            raise ValueError("add_signature_rows: an article id is given twice")
        parts = _signature_parts(rows)   # (a corrupt signature is refused before the index changes)
        for aid in ids:
            if aid in self._num:
                self.remove(aid)
        self._append(ids, parts)

    def frequencies(self, name: str, hashes: np.ndarray) -> np.ndarray:
        """The document frequency (live articles) of each of ``hashes`` (signed 64-bit, as stored) in index ``name``."""
        self._prepare()
        h = np.asarray(hashes, dtype=_I64).view(_U64)
        df = np.zeros(h.size, dtype=_I64)
        for seg in self._post[name].segments:
            g = seg.find(h)
            ok = np.flatnonzero(g >= 0)
            df[ok] += (seg.gstart[g[ok] + 1] - seg.gstart[g[ok]]).astype(_I64)
        return df

    def holders(self, name: str, hashes: Sequence[int]) -> set[str]:
        """The live articles holding any of ``hashes`` (signed 64-bit, as stored) in index ``name``."""
        self._prepare()
        h = np.array(hashes, dtype=_I64).view(_U64)
        docs: list[np.ndarray] = []
        for seg in self._post[name].segments:
            g = seg.find(h)
            ok = g[g >= 0]
            docs.append(seg.docs[_ranges(seg.gstart[ok], seg.gstart[ok + 1] - seg.gstart[ok])])
        return {self._ids[d] for d in (np.unique(np.concatenate(docs)).tolist() if docs else [])}

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

    def candidates_many(self, article_ids: Sequence[str],
                        kinds: Sequence[str] = INDEX_NAMES) -> dict[str, list[tuple[str, str, float]]]:
        """:meth:`candidates` for many articles, vectorised per chunk of articles and index (``kinds``: those
        indexes only)."""
        missing = [a for a in article_ids if a not in self._num]
        if missing:
            raise KeyError(f"{len(missing)} article(s) not in the index, e.g. {missing[0]!r}")
        unique = list(dict.fromkeys(article_ids))
        nums = np.array([self._num[a] for a in unique], dtype=_I64)
        out: dict[str, list[tuple[str, str, float]]] = {a: [] for a in unique}
        self._prepare()
        for name in kinds:
            qi, other, score = self._query(name, nums)
            for q, o, s in zip(qi.tolist(), other.tolist(), score.tolist()):
                out[unique[q]].append((self._ids[o], name, s))
        for lst in out.values():
            lst.sort(key=lambda c: (-c[2], c[1], c[0]))
        return out

    def candidate_pairs(self, batch_size: int = 2000) -> Iterator[tuple[str, str, str, float]]:
        """Every candidate pair once per index, as (id a, id b, index, score), a added before b.

        A pair found from either side counts (scores are estimated from the querying side, so the
        thresholds can pass on one side only); the higher estimate is kept. Pairs come sorted by
        (a, b, index name) in insertion order of the articles. ``batch_size`` bounds the articles
        queried per vectorised step.
        """
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be an int >= 1, got {batch_size!r}")
        self._prepare()
        alive = np.flatnonzero(self._alive[: len(self._ids)])
        names = sorted(INDEX_NAMES)
        stride = len(self._ids)
        keys, scores = [], []
        for name in INDEX_NAMES:
            qi, other, score = self._query(name, alive, batch_size)
            q = alive[qi]
            lo, hi = np.minimum(q, other), np.maximum(q, other)
            keys.append((lo * stride + hi) * len(names) + names.index(name))
            scores.append(score)
        key, score = np.concatenate(keys), np.concatenate(scores)
        order = np.lexsort((-score, key))                 # per key, the best score first
        key, score = key[order], score[order]
        first = _first_of_runs(key)
        key, score = key[first], score[first]
        pair, code = np.divmod(key, len(names))
        lo, hi = np.divmod(pair, stride)
        for x, y, c, s in zip(lo.tolist(), hi.tolist(), code.tolist(), score.tolist()):
            yield self._ids[x], self._ids[y], names[c], s

    def _prepare(self) -> None:
        """Make every added article queryable, with removed articles purged from the postings."""
        for post in self._post.values():
            if self._removed:   # document frequencies must count live articles only
                post.purge(self._alive)
            else:
                post.flush()
        self._removed = False

    def _query(self, name: str, nums: np.ndarray,
               max_docs: int = 1 << 30) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Candidates of the articles ``nums`` in one index, as arrays (position in nums, other
        article, score), best first per position and at most ``max_candidates`` per position.

        When ``nums`` are all the live articles, each pair is counted once (from its earlier
        article) and scored in both directions: the shared hashes of a pair are symmetric, only
        the per-article normalisation differs. Results are the same either way.
        """
        nums = np.asarray(nums, dtype=_I64)
        post = self._post[name]
        n_live = int(np.count_nonzero(self._alive[: len(self._ids)]))
        half = not self._single_side and nums.size == n_live and nums.size > 1 and np.unique(nums).size == n_live
        # Chunks of at most QUERY_CHUNK_HASHES hashes, and few enough articles that the packed
        # (query, other, df) sort keys fit an int64.
        bits = int(self.df_cap[name]).bit_length()
        max_docs = max(1, min(max_docs, (1 << (62 - bits)) // max(len(self._ids), 1)))
        cum = np.cumsum(post.lens[nums].astype(_I64))
        n_q = np.zeros(len(self._ids), dtype=_I64)      # usable hashes of each query article
        w_q = np.zeros(len(self._ids))                  # their total weight (facts)
        parts: list[tuple[np.ndarray, ...]] = []
        lo = 0
        while lo < nums.size:
            base = cum[lo - 1] if lo else 0
            hi = int(np.searchsorted(cum, base + QUERY_CHUNK_HASHES, side="right"))
            hi = min(max(hi, lo + 1), lo + max_docs)
            parts.append(self._shared(name, nums[lo:hi], half, n_q, w_q))
            lo = hi
        q, o, shared, shared_w = (np.concatenate(p) for p in zip(*parts))
        if half:   # both directions of every pair
            q, o = np.concatenate((q, o)), np.concatenate((o, q))
            shared, shared_w = np.concatenate((shared, shared)), np.concatenate((shared_w, shared_w))
        score = self._score(name, q, o, shared, shared_w, n_q, w_q)
        ok = score >= self.min_score[name]
        q, o, score = q[ok], o[ok], score[ok]
        order = np.lexsort((o, -score, q))
        q, o, score = q[order], o[order], score[order]
        starts = _first_of_runs(q)
        rank = np.arange(q.size) - np.repeat(starts, np.diff(np.append(starts, q.size)))
        top = rank < self.max_candidates
        q, o, score = q[top], o[top], np.round(score[top], 6)
        pos = np.full(len(self._ids), -1, dtype=_I64)   # article number -> position in nums
        pos[nums] = np.arange(nums.size)
        return pos[q], o, score

    def _shared(self, name: str, nums: np.ndarray, half: bool, n_q: np.ndarray,
                w_q: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Pairs (query article, other article, shared usable hashes, their weight) of the query
        articles ``nums`` with at least ``min_shared`` shared hashes (others > query if ``half``).

        Fills ``n_q`` and ``w_q`` (usable hashes and their weight) for the articles ``nums``.
        """
        post = self._post[name]
        qd, df, hits = post.lookup(nums)
        cap = self.df_cap[name]
        usable = df <= cap
        weighted = name == "facts"      # rare facts count more
        wtab = fact_weights(cap)
        n_q[nums] = np.bincount(qd[usable], minlength=nums.size)
        if weighted:
            w_q[nums] = np.bincount(qd[usable], weights=wtab[df[usable]], minlength=nums.size)
        bits = int(cap).bit_length() if weighted else 0
        stride = len(self._ids)
        keys = []
        pairing = usable & (df >= 2)    # a hash only the query has finds nothing
        for hit in hits:               # expand the postings of the usable query hashes
            u = pairing[hit.idx]
            idx, cnt = hit.idx[u], hit.cnt[u]
            other = hit.docs[_ranges(hit.start[u], cnt)].astype(_I64)
            pos = np.repeat(qd[idx], cnt)
            q = nums[pos]
            key = pos * stride + other
            if weighted:
                key = (key << bits) | np.repeat(df[idx], cnt)
            keys.append(key[other > q] if half else key[other != q])
        key = np.concatenate(keys) if keys else np.zeros(0, _I64)
        key.sort()
        pair = key >> bits if weighted else key
        first = _first_of_runs(pair)
        shared = np.diff(np.append(first, pair.size))
        shared_w = np.add.reduceat(wtab[key & ((1 << bits) - 1)], first) if weighted and first.size \
            else shared.astype(float)
        ok = shared >= self.min_shared[name]
        pq, po = np.divmod(pair[first[ok]], stride)
        return nums[pq], po, shared[ok], shared_w[ok]

    def _score(self, name: str, q: np.ndarray, o: np.ndarray, shared: np.ndarray,
               shared_w: np.ndarray, n_q: np.ndarray, w_q: np.ndarray) -> np.ndarray:
        """Estimated containment in the smaller text of each (query, other) pair, in [0, 1]."""
        lens = self._post[name].lens
        return containment_score(name, shared, shared_w, n_q[q], w_q[q], lens[q], lens[o])

    # -- introspection and persistence --------------------------------------------------------
    def stats(self) -> dict[str, object]:
        """Sizes, for logs and benchmarks."""
        return {"articles": len(self), "algorithm": CANDIDATES_ALGORITHM,
                "signatures": SIGNATURES_ALGORITHM,
                "postings": {n: self._post[n].n_postings() for n in INDEX_NAMES},
                "segments": {n: len(self._post[n].segments) for n in INDEX_NAMES},
                "bytes": self.memory_bytes()}

    def memory_bytes(self) -> int:
        """Bytes held by the index's arrays (postings, forward signatures, flags; not the ids)."""
        return sum(p.nbytes() for p in self._post.values()) + self._alive.nbytes

    def _forward(self, name: str, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """CSR (hashes, offsets) of the signatures of ``docs`` (after :meth:`_prepare`)."""
        post = self._post[name]
        lens = post.lens[docs].astype(_I64)
        offs = np.concatenate(([0], np.cumsum(lens))).astype(_I64)
        if not post.segments:
            return np.zeros(0, _U64), offs
        seg_of = post.seg_of(docs)
        h = np.empty(int(offs[-1]), dtype=_U64)
        for k, s in enumerate(post.segments):
            sel = np.flatnonzero(seg_of == k)
            if sel.size:
                _, g = s.entries(docs[sel] - s.first)
                h[_ranges(offs[sel], lens[sel])] = s.keys[g]
        return h, offs

    def to_bytes(self) -> bytes:
        """Serialise (numpy ``.npz``, no pickle). Postings are rebuilt by :meth:`from_bytes`."""
        self._prepare()
        alive = np.flatnonzero(self._alive[: len(self._ids)])
        meta = {"algorithm": CANDIDATES_ALGORITHM, "signatures": SIGNATURES_ALGORITHM,
                "df_cap": self.df_cap, "max_candidates": self.max_candidates,
                "min_shared": self.min_shared, "min_score": self.min_score,
                "ids": [self._ids[i] for i in alive]}
        arrays: dict[str, np.ndarray] = {"meta": np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)}
        for name in INDEX_NAMES:
            arrays[f"{name}_hashes"], arrays[f"{name}_offsets"] = self._forward(name, alive)
        buf = io.BytesIO()
        np.savez_compressed(buf, **arrays)  # type: ignore[arg-type]  # numpy stubs mistype **arrays
        return buf.getvalue()

    def signature_rows(self, article_ids: Sequence[str]) -> Iterator[tuple[str, dict[str, bytes]]]:
        """Each article's forward signature per index (little-endian uint64 hashes), the rows of the
        updatable copy index of a store (``copy_signatures``): adding articles writes only theirs."""
        self._prepare()
        ids = list(article_ids)
        nums = np.array([self._num[a] for a in ids], dtype=_I64)
        parts = {name: self._forward(name, nums) for name in INDEX_NAMES}
        for k, aid in enumerate(ids):
            yield aid, {name: np.ascontiguousarray(h[offs[k]:offs[k + 1]], dtype="<u8").tobytes()
                        for name, (h, offs) in parts.items()}

    @classmethod
    def from_signature_rows(cls, rows: Iterable[tuple[str, Mapping[str, bytes]]]) -> CandidateIndex:
        """An index (default settings) over articles given as :meth:`signature_rows` wrote them, in
        row order; ValueError when a row's signature is not a whole number of hashes."""
        idx = cls()
        rows = list(rows)
        seen: set[str] = set()
        for aid, _ in rows:
            if aid in seen:
                raise ValueError(f"article {aid!r} has two signature rows")
            seen.add(aid)
        idx._append([aid for aid, _ in rows], _signature_parts(rows))
        return idx

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
            if offs.size != n + 1 or (n and (offs[0] != 0 or offs[-1] != h.size
                                             or np.any(np.diff(offs) < 0))):
                raise ValueError(f"corrupt CandidateIndex: {name} offsets do not match {n} ids")
            idx._post[name].add(0, h.astype(_U64, copy=False), offs.astype(_I64, copy=False))
        return idx


def containment_score(name: str, shared: np.ndarray, shared_w: np.ndarray, n_q: np.ndarray, w_q: np.ndarray,
                      len_q: np.ndarray, len_o: np.ndarray) -> np.ndarray:
    """Estimated containment of the shared text in the smaller of two signatures, in [0, 1].

    Per (query, other) pair of one index: ``shared``/``shared_w`` the number/weight of usable
    hashes both hold; ``n_q``/``w_q`` the query's usable hashes and their weight; ``len_q``/``len_o``
    both signatures' sizes. Only the other's usable share is estimated (from the query's). Used by
    :class:`CandidateIndex` and by the Spark job, so both score a pair alike.
    """
    share = n_q / np.maximum(len_q, 1)               # usable share of the query's hashes
    n_o = len_o * share                              # the other's usable hashes, estimated
    small = np.maximum(np.minimum(n_q, n_o), 1.0)
    if name == "facts":   # weighted share of the query's usable facts, scaled to the smaller text
        score = (shared_w / np.maximum(w_q, 1e-9)) * (n_q / small)
    else:
        score = shared / small
    return np.minimum(score, 1.0)


def fact_weights(cap: int) -> np.ndarray:
    """Weight of a fact hash by its document frequency (index = df <= cap): rare facts count more.
    Also read by the Spark job, so both weigh facts alike."""
    return 1.0 / np.log2(1.0 + np.maximum(np.arange(cap + 1), 1))


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
