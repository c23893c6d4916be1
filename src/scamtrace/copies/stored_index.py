"""The copy-candidate index kept in the store (``copies.stored-candidates-v1``, issue 17).

:class:`~scamtrace.copies.index.CandidateIndex` holds every article's signatures in memory: an
incremental analyze that built it read every stored signature (``copy_signatures``) to find the
candidates of a hundred new articles. Here the postings live in the store (``copy_postings``: one
row per index kind, hash and ``copy_signatures`` rowid; migration ``0018_copy_postings``), and
:class:`StoredCandidates` answers :meth:`~StoredCandidates.candidates_many` from them, reading only

- the signatures of the articles asked about;
- each of their hashes' document frequency, counted in the store up to the index's cap (a hash
  found in more than ``df_cap`` articles is not used, so its exact count is never needed);
- the postings of their usable hashes (at most ``df_cap`` rows each) and the signature sizes of the
  articles those postings name often enough (``min_shared`` times, with one query article) to be proposed.

One run's queries share their reads (:class:`StoredReads`): an article's row, a hash's postings and a row's
sizes are read once per run, and once more only when the run's own write changed them.

The answer is exactly :meth:`CandidateIndex.candidates_many` over every stored signature: the same
counting, scoring and ranking code runs (:meth:`CandidateIndex._query`) over the articles the query
reaches, numbered in ``copy_signatures`` rowid order, which is the order the in-memory index numbers
them (stored rows in rowid order, then the articles signed by the run, sorted, whose rows are
written last), so even ties at the ``max_candidates`` cut fall alike
(``tests/test_stored_index.py`` compares both on randomised stores).

The postings follow ``copy_signatures`` through triggers that queue the rows written and deleted;
:func:`sync_postings` applies the queue (or posts every row once, when the postings were made for
another signature algorithm or never made).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from ..store import Store
from ..store.postings import (capped_postings, clear_postings, delete_postings, drop_posting_queue,
                              insert_postings, posting_queue, postings_algorithms, set_postings_algorithm,
                              signature_rows, signature_sizes, signatures_by_rowid, signatures_of_articles)
from .index import MAX_CANDIDATES, CandidateIndex, _Hits, _ranges
from .signatures import INDEX_NAMES, SIGNATURES_ALGORITHM

STORED_CANDIDATES_ALGORITHM = "copies.stored-candidates-v1"

#: Index kind -> its code in ``copy_postings.kind``.
KIND: dict[str, int] = {name: k for k, name in enumerate(INDEX_NAMES)}

#: Rows posted per executemany when every row is posted again.
_POST_CHUNK = 2000

#: The hashes' postings one run keeps between its queries (:class:`StoredReads`; some 100-200 bytes each, so at most a
#: few hundred MB): beyond it a query's postings are read and not kept. 100 articles into 100,000 keep 78,287
#: (session 20); a batch of a quarter of a large store (:data:`~.incremental.STORED_INDEX_MAX_SHARE`) could keep
#: millions. Not tuned: a memory bound, the answers are the same either way.
READS_MAX_POSTINGS = 2_000_000

_I64 = np.int64


def _hashes(blob: bytes, what: str) -> np.ndarray:
    """The signed 64-bit hashes of one stored signature (ValueError when it is not whole hashes)."""
    data = bytes(blob)
    if len(data) % 8:
        raise ValueError(f"corrupt copy signature ({what}: {len(data)} bytes)")
    return np.frombuffer(data, dtype="<u8").view("<i8").astype(_I64)


def _postings(rows: Iterable[Sequence[Any]]) -> list[tuple[int, int, int]]:
    """(kind, hash, doc) of rows (doc, shingle, stopword, facts), sorted (the primary key's order)."""
    kinds, hashes, docs = [], [], []
    for r in rows:
        for name, blob in zip(INDEX_NAMES, r[1:4]):
            h = _hashes(blob, f"row {r[0]}, {name}")
            kinds.append(np.full(h.size, KIND[name], dtype=_I64))
            hashes.append(h)
            docs.append(np.full(h.size, int(r[0]), dtype=_I64))
    if not kinds:
        return []
    k, h, d = np.concatenate(kinds), np.concatenate(hashes), np.concatenate(docs)
    order = np.lexsort((d, h, k))
    return list(zip(k[order].tolist(), h[order].tolist(), d[order].tolist()))


def reset_postings(store: Store) -> None:
    """Forget the stored postings (a full rebuild of the index rewrites every row: the next
    :func:`sync_postings` posts them all once instead of queueing each)."""
    with store.write() as db:
        clear_postings(db)


def postings_current(store: Store) -> bool:
    """Whether the stored postings were made for today's signature algorithm (the queue aside)."""
    return postings_algorithms(store.db) == [SIGNATURES_ALGORITHM]


def sync_postings(store: Store) -> int:
    """Bring ``copy_postings`` up to ``copy_signatures``: apply the queued writes and deletes in order,
    or post every row signed with today's algorithm when the postings were made for another one (or
    never). Returns the number of rows posted or unposted. ValueError on a corrupt signature."""
    with store.write() as db:
        if not postings_current(store):
            clear_postings(db)
            rows = signature_rows(db, SIGNATURES_ALGORITHM)
            for i in range(0, len(rows), _POST_CHUNK):
                insert_postings(db, _postings(rows[i:i + _POST_CHUNK]))
            set_postings_algorithm(db, SIGNATURES_ALGORITHM)
            return len(rows)
        queue = posting_queue(db)
        if not queue:
            return 0
        # in queue order, runs of writes (the row is read as it is now: a row written again later is
        # posted again later, so the end state is the rows as stored) and of deletes (with the deleted
        # signatures the trigger kept); both are idempotent
        for adding, run in _runs(queue):
            if adding:
                docs = sorted({int(r[1]) for r in run})
                current = signatures_by_rowid(db, docs)
                insert_postings(db, _postings(r for r in current if r[4] == SIGNATURES_ALGORITHM), ignore=True)
            else:
                delete_postings(db, _postings((r[1], r[2], r[3], r[4]) for r in run))
        drop_posting_queue(db, queue[-1][0])
        return len(queue)


def _runs(queue: list[Any]) -> Iterator[tuple[bool, list[Any]]]:
    """Consecutive queue rows of one kind: (True, writes) or (False, deletes)."""
    run: list[Any] = []
    adding = None
    for r in queue:
        a = r[2] is None
        if run and a != adding:
            yield bool(adding), run
            run = []
        adding = a
        run.append(r)
    if run:
        yield bool(adding), run


class _StoredPostings:
    """One index kind's postings for one query, in the form ``CandidateIndex._shared`` reads
    (``lens`` and ``lookup``), over the query's local article numbers."""

    def __init__(self, lens: np.ndarray, own: dict[int, np.ndarray], keys: np.ndarray, df: np.ndarray,
                 pstart: np.ndarray, pcnt: np.ndarray, pdocs: np.ndarray):
        self.lens = lens            # hashes per local article
        self.own = own              # local number of a query article -> its hashes
        self.keys, self.df = keys, df                   # sorted distinct query hashes, their capped df
        self.pstart, self.pcnt, self.pdocs = pstart, pcnt, pdocs   # their postings (usable ones only)
        self.segments: list[Any] = []

    def flush(self) -> None:
        return None

    def purge(self, alive: np.ndarray) -> None:
        return None

    def lookup(self, nums: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[_Hits]]:
        parts = [self.own[int(n)] for n in nums]
        if not parts or not sum(p.size for p in parts):
            return np.zeros(0, _I64), np.zeros(0, _I64), []
        qd = np.repeat(np.arange(len(parts), dtype=_I64), [p.size for p in parts])
        g = np.searchsorted(self.keys, np.concatenate(parts))
        return qd, self.df[g], [_Hits(self.pdocs, np.arange(qd.size), self.pstart[g], self.pcnt[g])]


class StoredReads:
    """What the stored-candidate queries of one copies run read from the store, kept between the queries (an
    incremental run asks about the holders of crossing hashes before and after its batch is written, then about
    the new articles, the ends of lost pairs and the neighbourhood: the same signatures, postings and sizes): each
    article's signature row, each hash's capped postings (per index kind and cap), each signature row's sizes.

    What is kept holds while ``copy_signatures`` (and so ``copy_postings``) does not change; :meth:`forget` drops
    what a write of signature rows changes (the rows' articles, the hashes of the rows written and replaced)."""

    def __init__(self) -> None:
        self.sigs: dict[str, Any] = {}                         # article -> (rowid, article, 3 blobs, algorithm)
        self.posts: dict[tuple[int, int], dict[int, str | None]] = {}   # (kind, cap) -> hash -> capped postings
        self.sizes: dict[int, Any] = {}                        # rowid -> (rowid, article, 3 sizes, algorithm)

    def signatures(self, db: Any, ids: Sequence[str]) -> dict[str, Any]:
        """The stored signature rows of ``ids`` (those that have one)."""
        todo = [a for a in ids if a not in self.sigs]
        if todo:
            self.sigs.update((r[1], r) for r in signatures_of_articles(db, todo))
        return {a: self.sigs[a] for a in ids if a in self.sigs}

    def postings(self, db: Any, kind: int, keys: list[int], cap: int) -> list[str | None]:
        """:func:`~scamtrace.store.postings.capped_postings` of ``keys``, each hash read once."""
        got = self.posts.setdefault((kind, cap), {})
        todo = [h for h in keys if h not in got]
        if not todo:
            return [got[h] for h in keys]
        fresh = dict(zip(todo, capped_postings(db, kind, todo, cap)))
        if sum(map(len, self.posts.values())) + len(fresh) <= READS_MAX_POSTINGS:
            got.update(fresh)
        return [got[h] if h in got else fresh[h] for h in keys]

    def seed(self, kind: int, cap: int, read: dict[int, str | None]) -> None:
        """Keep postings read with a larger cap (``"-"``: more than that cap) as the read with ``cap`` gives them."""
        got = self.posts.setdefault((kind, cap), {})
        for h, docs in read.items():
            got[h] = "-" if docs == "-" or (docs is not None and docs.count(",") >= cap) else docs

    def signature_sizes(self, db: Any, docs: Sequence[int]) -> dict[int, Any]:
        """The size rows of the signature rows ``docs`` (those stored)."""
        todo = [d for d in docs if d not in self.sizes]
        if todo:
            self.sizes.update((int(r[0]), r) for r in signature_sizes(db, todo))
        return {d: self.sizes[d] for d in docs if d in self.sizes}

    def forget(self, articles: set[str], rows: Iterable[Mapping[str, bytes]]) -> None:
        """Drop what writing the signature rows of ``articles`` changes: their rows, and the postings of every hash
        of ``rows`` (the signatures written and those they replace)."""
        for a in articles:
            self.sigs.pop(a, None)
        for d in [d for d, r in self.sizes.items() if r[1] in articles]:
            del self.sizes[d]
        gone: dict[int, set[int]] = {}
        for sig in rows:
            for name, blob in sig.items():
                gone.setdefault(KIND[name], set()).update(_hashes(blob, name).tolist())
        for (kind, _), got in self.posts.items():
            for h in gone.get(kind, ()):
                got.pop(h, None)


def _capped_postings(reads: StoredReads, db: Any, kind: int, keys: np.ndarray,
                     cap: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(each of ``keys``' document frequency, counted up to ``cap`` + 1: beyond the cap a hash is not used; the
    (hash, doc) postings of the keys used, those found in 2 to ``cap`` articles, sorted by hash and doc), from one
    read of at most ``cap`` + 1 postings per key (:func:`~scamtrace.store.postings.capped_postings`, through
    ``reads``)."""
    df = np.zeros(keys.size, dtype=_I64)
    if not keys.size:
        return df, np.zeros(0, _I64), np.zeros(0, _I64)
    hs: list[int] = []
    ds: list[int] = []
    hashes = keys.tolist()
    for i, (h, got) in enumerate(zip(hashes, reads.postings(db, kind, hashes, cap))):
        if got is None:
            continue
        if got == "-":
            df[i] = cap + 1
            continue
        docs = got.split(",")
        df[i] = len(docs)
        if len(docs) >= 2:
            hs.extend([h] * len(docs))
            ds.extend(map(int, docs))
    ph, pd = np.array(hs, dtype=_I64), np.array(ds, dtype=_I64)
    by_hash = np.lexsort((pd, ph))
    return df, ph[by_hash], pd[by_hash]


def _paired(own: dict[int, np.ndarray], keys: np.ndarray, ph: np.ndarray, pd: np.ndarray, min_shared: int) -> np.ndarray:
    """The articles (rowids) sharing at least ``min_shared`` hashes with one of the query articles ``own`` (rowid ->
    its hashes) other than itself, through the postings ``(ph, pd)`` of the usable hashes held by 2 articles or more
    (``keys``: every query hash, sorted): counted as :meth:`CandidateIndex._shared` counts them, so these are the
    only articles a query can propose in this index."""
    if not pd.size or not own:
        return np.zeros(0, _I64)
    starts = np.searchsorted(ph, keys, side="left")
    cnt = np.searchsorted(ph, keys, side="right") - starts
    mine = list(own.values())
    g = np.searchsorted(keys, np.concatenate(mine))
    n = cnt[g]
    other = pd[_ranges(starts[g], n)]
    if not other.size:
        return np.zeros(0, _I64)
    query = np.repeat(np.repeat(np.array(list(own), dtype=_I64), [h.size for h in mine]), n)
    stride = int(max(int(other.max()), int(query.max()))) + 1
    key = query * stride + other
    key, times = np.unique(key[other != query], return_counts=True)
    return np.unique(key[times >= min_shared] % stride)


class StoredCandidates:
    """Candidates of stored articles from the store's postings (see the module doc); answers are
    kept per article (an article's candidates do not depend on what else is asked)."""

    def __init__(self, store: Store, max_candidates: int = MAX_CANDIDATES, df_cap: dict[str, int] | None = None,
                 reads: StoredReads | None = None, *, min_shared: dict[str, int] | None = None,
                 min_score: dict[str, float] | None = None):
        self.store = store
        self.reads = reads if reads is not None else StoredReads()   # the store's rows, read once per run
        self._settings = CandidateIndex(df_cap=df_cap, max_candidates=max_candidates, min_shared=min_shared,
                                        min_score=min_score)   # thresholds and caps
        self._known: dict[str, list[tuple[str, str, float]]] = {}

    def candidates_many(self, article_ids: Sequence[str],
                        kinds: Sequence[str] = INDEX_NAMES) -> dict[str, list[tuple[str, str, float]]]:
        """As :meth:`CandidateIndex.candidates_many` over every stored signature (``kinds``: those indexes only,
        whose postings alone are read; such answers are not kept)."""
        unique = list(dict.fromkeys(article_ids))
        if tuple(kinds) != tuple(INDEX_NAMES):
            return self._query(unique, kinds) if unique else {}
        todo = [a for a in unique if a not in self._known]
        if todo:
            self._known.update(self._query(todo))
        return {a: list(self._known[a]) for a in unique}

    def _query(self, ids: list[str], kinds: Sequence[str] = INDEX_NAMES) -> dict[str, list[tuple[str, str, float]]]:
        db, cfg = self.store.db, self._settings
        reads = self.reads
        rows = {a: r for a, r in reads.signatures(db, ids).items() if r[5] == SIGNATURES_ALGORITHM}
        missing = [a for a in ids if a not in rows]
        if missing:
            raise KeyError(f"{len(missing)} article(s) not in the stored index, e.g. {missing[0]!r}")
        qdoc = {a: int(rows[a][0]) for a in ids}
        own = {name: {qdoc[a]: _hashes(rows[a][2 + k], f"{a}, {name}") for a in ids}
               for k, name in enumerate(INDEX_NAMES)}
        found: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}
        docs = set(qdoc.values())
        for name in kinds:
            keys = np.unique(np.concatenate(list(own[name].values()))) if own[name] else np.zeros(0, _I64)
            cap = cfg.df_cap[name]
            df, ph, pd = _capped_postings(reads, db, KIND[name], keys, cap)
            docs.update(_paired(own[name], keys, ph, pd, cfg.min_shared[name]).tolist())
            found[name] = (keys, df, ph, pd)
        # local numbers: the articles a query can propose, in rowid order (the in-memory index's order); the
        # postings of the others are left out (in every index they share fewer than its min_shared hashes with
        # each query article, so they are dropped before any score, and their sizes are not read)
        order: list[int] = sorted(docs)
        sizes = reads.signature_sizes(db, order)
        if any(d not in sizes or sizes[d][5] != SIGNATURES_ALGORITHM for d in order):
            raise ValueError("the stored copy postings name signatures that are not stored: sync_postings first")
        local = np.array(order, dtype=_I64)
        idx = CandidateIndex(df_cap=cfg.df_cap, min_shared=cfg.min_shared, min_score=cfg.min_score,
                             max_candidates=cfg.max_candidates)
        idx._single_side = True
        idx._ids = [sizes[d][1] for d in order]
        idx._num = {a: i for i, a in enumerate(idx._ids)}
        idx._alive = np.ones(len(order), dtype=bool)
        for k, name in enumerate(INDEX_NAMES):
            if name not in found:
                continue
            keys, df, ph, pd = found[name]
            kept = np.isin(pd, local)
            ph, pd = ph[kept], pd[kept]
            lens = np.array([sizes[d][2 + k] // 8 for d in order], dtype=np.int32)
            starts = np.searchsorted(ph, keys, side="left")
            ends = np.searchsorted(ph, keys, side="right")
            usable = (df <= cfg.df_cap[name]) & (df >= 2)
            cnt = np.where(usable, ends - starts, 0)
            mine = {int(np.searchsorted(local, d)): h for d, h in own[name].items()}
            idx._post[name] = _StoredPostings(lens, mine, keys, df, starts.astype(_I64), cnt.astype(_I64),
                                              np.searchsorted(local, pd).astype(np.int32))  # type: ignore[assignment]
        return idx.candidates_many(ids, kinds)
