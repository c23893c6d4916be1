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
from scamtrace.copies.stored_index import sync_postings
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
