"""copies.incremental-v2 (scamtrace.copies.candidacy): the old articles a batch's cap crossings reach, read from the
store's postings and from the in-memory index alike, and the old pairs whose candidacy changes. The end-to-end
check (a linked pair whose hashes cross the cap in a later batch) is in tests/test_incremental.py."""
from __future__ import annotations

import pytest

from scamtrace import api
from scamtrace.copies.candidacy import (Before, MemoryBefore, StoredBefore, candidacy_changes, holders_of_crossings,
                                        lost_ends)
from scamtrace.copies.index import DF_CAP, CandidateIndex
from scamtrace.copies.signatures import SIGNATURES_ALGORITHM
from scamtrace.copies import stored_index
from scamtrace.copies.stored_index import StoredCandidates, StoredReads, sync_postings
from scamtrace.store.postings import capped_postings, signature_sizes, signatures_of_articles
from scamtrace.copies.synth import generate
from test_stories_warm import _jsonl


def test_signature_rows_added_index_as_their_texts():
    """A batch signed apart and added as signature rows (two of them replacing stored articles) gives the
    candidates the batch's texts added to the index give."""
    arts = generate(80, 3).articles
    texts = {a.id: a.text for a in arts}
    old, batch = [a.id for a in arts[:60]], [a.id for a in arts[60:]]
    batch_texts = {**{a: texts[a] for a in batch}, old[0]: texts[old[1]], old[5]: texts[batch[0]]}
    by_text, by_rows = CandidateIndex(), CandidateIndex()
    for idx in (by_text, by_rows):
        idx.add_many((a, texts[a]) for a in old)
    by_text.add_many(sorted(batch_texts.items()))
    fresh = CandidateIndex()
    fresh.add_many(sorted(batch_texts.items()))
    by_rows.add_signature_rows(list(fresh.signature_rows(sorted(batch_texts))))
    ids = old + batch
    assert by_rows.ids() == by_text.ids()
    got, want = by_rows.candidates_many(ids), by_text.candidates_many(ids)
    assert got == want and sum(map(len, want.values())) > 0


@pytest.fixture
def small_caps(monkeypatch):
    """Caps low enough that a synthetic batch takes hashes across them (every index)."""
    for name, cap in {"shingle": 3, "stopword": 4, "facts": 4}.items():
        monkeypatch.setitem(DF_CAP, name, cap)


def test_the_stored_postings_and_the_in_memory_index_find_the_same_holders(tmp_path, monkeypatch, small_caps):
    """The store's postings before the batch is written and the in-memory index before the batch is added find
    the same crossing hashes, holders and candidates before (and a re-signed old article's replaced signature
    counts as leaving)."""
    monkeypatch.setenv("SCAMTRACE_NO_SPACY", "1")
    arts = generate(90, 5).articles
    store = api.open_store(tmp_path / "s.db")
    api.ingest(store, [_jsonl(tmp_path / "a.jsonl", arts[:70])])
    api.analyze(store)
    sync_postings(store)
    idx = CandidateIndex.from_signature_rows(store.copy_signature_rows(SIGNATURES_ALGORITHM))
    batch_texts = {a.id: a.text for a in arts[70:]}
    batch_texts[arts[3].id] = arts[4].text   # an old article cleaned again: its stored signature leaves
    fresh = CandidateIndex()
    fresh.add_many(sorted(batch_texts.items()))
    rows = list(fresh.signature_rows(sorted(batch_texts)))
    stored = holders_of_crossings(StoredBefore(store), rows, set(batch_texts))
    memory = holders_of_crossings(MemoryBefore(idx), rows, set(batch_texts))
    assert stored.crossings > 0 and len(stored.holders) >= 2
    assert (stored.crossings, stored.holders, stored.candidates) == (memory.crossings, memory.holders,
                                                                     memory.candidates)
    assert not set(stored.holders) & set(batch_texts)


def _docs(got: str | None) -> object:
    return got if got in (None, "-") else sorted(int(x) for x in got.split(","))


def test_the_reads_kept_once_the_batch_is_written_are_what_the_store_holds(tmp_path, monkeypatch, small_caps):
    """StoredBefore.written: what the run's later queries take from the reads before the batch (the holders' rows and
    postings, less what the write changed, and the postings the write gave each hash the crossing read, derived, not
    read) equals fresh reads of the store after the write, a re-signed old article among the batch; so do the
    candidates of every article."""
    monkeypatch.setenv("SCAMTRACE_NO_SPACY", "1")
    arts = generate(90, 5).articles
    store = api.open_store(tmp_path / "s.db")
    api.ingest(store, [_jsonl(tmp_path / "a.jsonl", arts[:70])])
    api.analyze(store)
    api.ingest(store, [_jsonl(tmp_path / "b.jsonl", arts[70:])])   # not analysed: the batch is signed here
    sync_postings(store)
    batch_texts = {a.id: a.text for a in arts[70:]}
    batch_texts[arts[3].id] = arts[4].text   # an old article cleaned again: its stored signature leaves
    fresh = CandidateIndex()
    fresh.add_many(sorted(batch_texts.items()))
    rows = list(fresh.signature_rows(sorted(batch_texts)))
    before = StoredBefore(store)
    assert holders_of_crossings(before, rows, set(batch_texts)).holders
    store.put_copy_signatures(rows, SIGNATURES_ALGORITHM)
    sync_postings(store)
    reads = before.written(set(batch_texts), rows)
    derived = {h for _, read in before._read.values() for h in read}
    assert derived and sum(len(kept) for kept in reads.posts.values()) > len(derived)
    for (kind, cap), kept in reads.posts.items():
        hs = sorted(kept)
        assert [_docs(kept[h]) for h in hs] == [_docs(g) for g in capped_postings(store.db, kind, hs, cap)]
    assert reads.sizes and all(tuple(r) == tuple(reads.sizes[r[0]]) for r in signature_sizes(store.db, sorted(reads.sizes)))
    assert reads.sigs and all(tuple(r) == tuple(reads.sigs[r[1]])
                              for r in signatures_of_articles(store.db, sorted(reads.sigs)))
    ids = sorted(a.id for a in arts)
    got = StoredCandidates(store, reads=reads).candidates_many(ids)
    assert got == StoredCandidates(store).candidates_many(ids) and sum(map(len, got.values())) > 0
    # past READS_MAX_POSTINGS a query's postings are read and not kept: the same candidates
    monkeypatch.setattr(stored_index, "READS_MAX_POSTINGS", 5)
    kept = StoredReads()
    assert StoredCandidates(store, reads=kept).candidates_many(ids) == got
    assert sum(map(len, kept.posts.values())) <= 5 and kept.sizes


def _c(*ids: str) -> list[tuple[str, str, float]]:
    return [(i, "facts", 0.5) for i in ids]


def test_a_pair_is_lost_only_when_neither_end_proposes_it_and_gained_only_when_neither_did():
    """x (holding a stopword hash that crossed its cap) proposed a, b and the new article n there before; now c
    and d. a still proposes x in the facts index (not lost), b proposes x nowhere now (lost); the batch article n
    is left to the new articles' neighbourhood. c, a holder too, proposed x before (not gained); d did not (gained)."""
    before = Before(holders={"stopword": ["c", "x"]}, candidates={"stopword": {"x": _c("a", "b", "n"), "c": _c("x")}},
                    batch={"n"})
    after = {"stopword": {"x": _c("c", "d"), "c": _c("x")}}
    assert lost_ends(before, after) == ["a", "b", "x"]
    ends_after = {"a": [("x", "facts", 0.2)], "b": _c("n"), "x": _c("c", "d")}
    lost, gained = candidacy_changes(before, after, ends_after)
    assert lost == {("b", "x")}
    assert gained == {("d", "x")}
