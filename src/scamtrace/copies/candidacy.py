"""Old pairs whose candidacy a batch changes (``copies.incremental-v2``).

The candidate index (:mod:`.index`) ignores a hash held by more than ``df_cap`` articles, counts an
article's usable hashes to normalise its scores, and weighs a fact hash by its document frequency. So a
batch can change the candidates of two *old* articles, neither of which a new article names: a hash they
share (or either holds) crosses its cap, their scores move, and a pair found in an earlier batch is no
longer a candidate, or a pair never proposed becomes one. One run over everything classifies only the
pairs it proposes, so the incremental run must re-examine those old pairs (realnews-dev, session 19: a fact
hash held by 14 of the first 70 texts and by 28 of all 141 crossed the facts cap of 16, and a rewrite link
of the first batch between two independent reports stayed, while one run never proposed the pair).

:func:`holders_of_crossings` finds, before the batch's signatures reach the stored postings, the old
articles holding a hash whose usability (document frequency at most the cap) the batch changes, in any of
the three indexes, and their candidates as they were (:class:`~.stored_index.StoredCandidates` over the
postings before the write). :func:`candidacy_changes` compares them with the candidates after the batch:
its work is the crossing hashes times their capped postings (each crossing hash is read in one capped
postings read), plus one candidate query of each holder before and after, not the store; the query after reads
again only the holders' hashes the batch holds that :meth:`StoredBefore.crossing` did not read (the postings of
those it read are derived from the batch's rows: :meth:`StoredBefore.written`), and the rows the batch wrote.

Only crossings are followed: a fact hash whose document frequency grows below the cap changes the weights
of the facts score of its holders too (README, Limits: an old pair whose facts score moves across
``MIN_SCORE`` by weights alone, neither end holding a crossing hash, is not re-examined).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from ..store import Store
from ..store.postings import capped_postings, signature_sizes, signatures_of_articles
from .index import DF_CAP, CandidateIndex
from .signatures import INDEX_NAMES, SIGNATURES_ALGORITHM
from .stored_index import KIND, StoredCandidates, StoredReads, _hashes

#: The incremental copies run's algorithm: v1 re-examined the new articles' neighbourhood only; v2 also the
#: old pairs whose candidacy the batch changes through a hash crossing its document-frequency cap (this module).
INCREMENTAL_ALGORITHM = "copies.incremental-v2"

Candidates = dict[str, list[tuple[str, str, float]]]


@dataclass(slots=True)
class Before:
    """Per index, the old articles holding a hash the batch takes across its cap there, and their candidates in
    that index before it (an article's candidates in one index change only through its own hashes of that
    index: its usable share, and the hashes it shares)."""

    holders: dict[str, list[str]] = field(default_factory=dict)
    candidates: dict[str, Candidates] = field(default_factory=dict)
    crossings: int = 0   # hashes (of any index) whose usability the batch changes
    batch: set[str] = field(default_factory=set)   # the articles the batch signs (new, re-cleaned, unsigned)


class IndexBefore(Protocol):
    """The candidate index as it was before the batch: read by :func:`holders_of_crossings`."""

    def replaced(self, batch: set[str]) -> list[tuple[str, Mapping[str, bytes]]]:
        """The signatures the batch replaces (of its articles already indexed)."""

    def crossing(self, name: str, delta: dict[int, int], cap: int) -> tuple[int, set[str]]:
        """(the hashes of ``delta`` whose usability changes, the articles holding them)."""

    def candidates_many(self, ids: Sequence[str], kinds: Sequence[str]) -> Candidates:
        """The candidates of ``ids`` in the indexes ``kinds``."""


class StoredBefore:
    """The store's postings before the batch's signatures are written (:mod:`.stored_index`): each hash of the
    batch is read once, up to its cap + its change + 1 postings (a hash held by more stays over the cap however
    the batch changes it; one read per size of change: it was the largest change for every hash, 46 for the
    stopword hashes of the 100 bench articles at 100,000, where most change by 1). What it reads is kept in ``reads`` (:class:`~.stored_index.StoredReads`) for
    the run's later queries: :meth:`written` drops what the batch's write changes and keeps, instead of reading
    them again, the postings the write gives the hashes read here."""

    def __init__(self, store: Store, reads: StoredReads | None = None):
        self.store = store
        self.reads = reads if reads is not None else StoredReads()
        self._replaced: list[tuple[int, str, Mapping[str, bytes]]] = []   # (rowid, article, signatures)
        self._read: dict[str, tuple[int, dict[int, str | None]]] = {}   # index -> (cap, hash -> postings before)

    def replaced(self, batch: set[str]) -> list[tuple[str, Mapping[str, bytes]]]:
        rows = signatures_of_articles(self.store.db, sorted(batch))
        self._replaced = [(int(r[0]), str(r[1]), {name: r[2 + k] for k, name in enumerate(INDEX_NAMES)})
                          for r in rows if r[1] in batch and r[5] == SIGNATURES_ALGORITHM]
        return [(aid, sig) for _, aid, sig in self._replaced]

    def crossing(self, name: str, delta: dict[int, int], cap: int) -> tuple[int, set[str]]:
        if not delta:
            return 0, set()
        by_change: dict[int, list[int]] = {}   # |change| -> its hashes: each read up to cap + |change| + 1 postings
        for h, d in delta.items():
            by_change.setdefault(abs(d), []).append(h)
        read: dict[int, str | None] = {}
        for span, keys in sorted(by_change.items()):
            keys.sort()
            read.update(zip(keys, capped_postings(self.store.db, KIND[name], keys, cap + span)))
        n, docs = 0, set()
        self._read[name] = (cap, read)
        self.reads.seed(KIND[name], cap, read)   # the postings as they are before the batch, for the holders' query
        for h, got in read.items():
            if got == "-":
                continue
            held = [int(x) for x in got.split(",")] if got else []
            if (len(held) <= cap) != (len(held) + delta[h] <= cap):
                n += 1
                docs.update(held)
        return n, {str(r[1]) for r in signature_sizes(self.store.db, sorted(docs))}

    def candidates_many(self, ids: Sequence[str], kinds: Sequence[str]) -> Candidates:
        return StoredCandidates(self.store, reads=self.reads).candidates_many(ids, kinds)

    def written(self, batch: set[str], new_rows: Sequence[tuple[str, Mapping[str, bytes]]]) -> StoredReads:
        """The reads kept, once the batch's signature rows ``new_rows`` are written in place of those of ``batch``
        (and posted): what the write changed is dropped (:meth:`.StoredReads.forget`), and the postings of each hash
        :meth:`crossing` read are what they were, less the replaced rows, plus the rows written (a hash held by more
        than its cap + its change stays over the cap)."""
        reads = self.reads
        reads.forget(batch, [sig for _, sig in new_rows] + [sig for _, _, sig in self._replaced])
        rowid = {a: int(r[0]) for a, r in reads.signatures(self.store.db, [a for a, _ in new_rows]).items()}
        for name, (cap, read) in self._read.items():
            change: dict[int, tuple[list[int], list[int]]] = {}   # hash -> (rows leaving, rows arriving)
            for doc, sigs, side in ([(d, sig, 0) for d, _, sig in self._replaced]
                                    + [(rowid[a], sig, 1) for a, sig in new_rows]):
                for h in np.unique(_hashes(sigs[name], name)).tolist():
                    if h in read:
                        change.setdefault(h, ([], []))[side].append(doc)
            after: dict[int, str | None] = {}
            for h, got in read.items():
                if got == "-":
                    after[h] = "-"
                    continue
                gone, came = change.get(h, ([], []))
                docs = ({int(x) for x in got.split(",")} if got else set()) - set(gone) | set(came)
                after[h] = ",".join(map(str, sorted(docs))) if docs else None
            reads.seed(KIND[name], cap, after)
        return reads


class MemoryBefore:
    """The in-memory index over every stored signature, before the batch is added to it."""

    def __init__(self, index: CandidateIndex):
        self.index = index

    def replaced(self, batch: set[str]) -> list[tuple[str, Mapping[str, bytes]]]:
        return list(self.index.signature_rows([a for a in sorted(batch) if a in self.index]))

    def crossing(self, name: str, delta: dict[int, int], cap: int) -> tuple[int, set[str]]:
        keys = np.array(sorted(delta), dtype=np.int64)
        if not keys.size:
            return 0, set()
        df = self.index.frequencies(name, keys)
        change = np.array([delta[h] for h in keys.tolist()], dtype=np.int64)
        cross = (df <= cap) != (df + change <= cap)
        return int(cross.sum()), self.index.holders(name, keys[cross].tolist())

    def candidates_many(self, ids: Sequence[str], kinds: Sequence[str]) -> Candidates:
        return self.index.candidates_many(ids, kinds)


def _unique_hashes(rows: Iterable[tuple[str, Mapping[str, bytes]]], name: str) -> np.ndarray:
    """The hashes of each signature, each once, concatenated (a hash held by n signatures appears n times)."""
    parts = [np.unique(_hashes(sig[name], f"{aid}, {name}")) for aid, sig in rows]
    return np.concatenate(parts) if parts else np.zeros(0, np.int64)


def _delta(new_rows: Sequence[tuple[str, Mapping[str, bytes]]], old_rows: Sequence[tuple[str, Mapping[str, bytes]]],
           name: str) -> dict[int, int]:
    """Hash -> the change of its document frequency in index ``name``: +1 for each batch article holding it
    now, -1 for each holding it in the signature the batch replaces."""
    plus, minus = _unique_hashes(new_rows, name), _unique_hashes(old_rows, name)
    keys, inv = np.unique(np.concatenate((plus, minus)), return_inverse=True)
    sign = np.concatenate((np.ones(plus.size), -np.ones(minus.size)))
    d = np.rint(np.bincount(inv.ravel(), weights=sign, minlength=keys.size)).astype(np.int64)
    ok = d != 0
    return dict(zip(keys[ok].tolist(), d[ok].tolist()))


def holders_of_crossings(before: IndexBefore, new_rows: Sequence[tuple[str, Mapping[str, bytes]]],
                         batch: set[str]) -> Before:
    """Per index, the old articles (not in ``batch``) holding a hash whose usability the batch's signatures
    ``new_rows`` (and the signatures they replace) change there, with their candidates in that index before
    the batch (``before``: the index as it was, :class:`StoredBefore` or :class:`MemoryBefore`)."""
    old_rows = before.replaced(batch)
    out = Before(batch=batch)
    for name in INDEX_NAMES:
        n, found = before.crossing(name, _delta(new_rows, old_rows, name), DF_CAP[name])
        out.crossings += n
        ids = sorted(found - batch)
        if ids:
            out.holders[name] = ids
            out.candidates[name] = before.candidates_many(ids, (name,))
    return out


def holder_count(before: Before) -> int:
    """The old articles a crossing reaches (in any index)."""
    return len({x for ids in before.holders.values() for x in ids})


def _ids(cands: Sequence[tuple[str, str, float]], skip: set[str]) -> set[str]:
    return {o for o, _, _ in cands if o not in skip}


def lost_ends(before: Before, after: dict[str, Candidates]) -> list[str]:
    """Both ends of every old pair a holder proposed in an index before the batch and does not now: their
    candidates after it, in every index, decide whether the pair is still proposed."""
    out: set[str] = set()
    for name, holders in before.holders.items():
        for x in holders:
            gone = _ids(before.candidates[name][x], before.batch) - _ids(after[name][x], before.batch)
            if gone:
                out |= gone | {x}
    return sorted(out)


def candidacy_changes(before: Before, after: dict[str, Candidates],
                      ends_after: Candidates) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(old pairs no longer candidates, old pairs that may have become candidates), each as (a, b) with a < b.

    ``after``: per index, the holders' candidates in it after the batch; ``ends_after``: the candidates after the
    batch, in every index, of :func:`lost_ends`. A pair is lost when a holder proposed it before in an index and
    no index proposes it now from either end; gained when a holder proposes it now in an index and did not
    before, unless the other end, a holder of that index too, proposed it there before (it may have been
    proposed in another index before: re-examining such a pair gives what the store holds)."""
    batch = before.batch
    lost: set[tuple[str, str]] = set()
    gained: set[tuple[str, str]] = set()
    for name, holders in before.holders.items():
        was_of = before.candidates[name]
        for x in holders:
            was, now = _ids(was_of[x], batch), _ids(after[name][x], batch)
            for o in was - now:
                if o not in _ids(ends_after[x], batch) and x not in _ids(ends_after[o], batch):
                    lost.add((min(x, o), max(x, o)))
            for o in now - was:
                if not (o in was_of and x in _ids(was_of[o], batch)):
                    gained.add((min(x, o), max(x, o)))
    return lost, gained
