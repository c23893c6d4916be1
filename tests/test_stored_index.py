"""The copy-candidate index kept in the store (``copies.stored-candidates-v1``, issue 17): its postings
follow ``copy_signatures`` through writes, re-signed rows and deleted articles, and the candidates it
reads from them are exactly those of the in-memory index over every stored signature, ties at the
``max_candidates`` cut included; an incremental analyze that asks the store gives the records of one
that reads every signature.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from conftest import copy_store
from scamtrace import api
from scamtrace.copies import incremental
from scamtrace.copies.index import CandidateIndex
from scamtrace.copies.signatures import SIGNATURES_ALGORITHM
from scamtrace.copies.stored_index import KIND, StoredCandidates, postings_current, sync_postings
from scamtrace.copies.synth import generate
from test_incremental import state
from test_stories_warm import _jsonl


def _postings_from_scratch(store) -> list[tuple]:  # noqa: ANN001
    """(kind, hash, doc) of every signature row of today's algorithm, computed from the rows."""
    import numpy as np
    out = []
    for r in store.execute("SELECT rowid, shingle, stopword, facts FROM copy_signatures WHERE algorithm = ?",
                           (SIGNATURES_ALGORITHM,)):
        for name, blob in zip(("shingle", "stopword", "facts"), r[1:4]):
            for h in np.frombuffer(bytes(blob), dtype="<u8").view("<i8").tolist():
                out.append((KIND[name], h, r[0]))
    return sorted(out)


def _stored_postings(store) -> list[tuple]:  # noqa: ANN001
    return sorted(tuple(r) for r in store.execute("SELECT kind, hash, doc FROM copy_postings"))


def _in_memory(store, max_candidates: int) -> CandidateIndex:  # noqa: ANN001
    """The in-memory index over every stored signature, in row order (as an analyze loads it)."""
    idx = CandidateIndex.from_signature_rows(store.copy_signature_rows(SIGNATURES_ALGORITHM))
    idx.max_candidates = max_candidates
    return idx


@pytest.fixture()
def synth(tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    monkeypatch.setenv("SCAMTRACE_NO_SPACY", "1")
    arts = generate(160, 5).articles
    store = api.open_store(tmp_path / "s.db")
    api.ingest(store, [_jsonl(tmp_path / "a.jsonl", arts)])
    yield store, arts
    store.close()


def test_postings_follow_writes_resigned_rows_and_deletes_and_candidates_equal_the_in_memory_index(synth):  # noqa: ANN001
    store, arts = synth
    rng = random.Random(3)
    ids = sorted(a.id for a in arts)
    texts = {a.id: a.text for a in arts}
    idx = CandidateIndex()
    idx.add_many((a, texts[a]) for a in ids)
    store.put_copy_signatures(idx.signature_rows(ids[:100]), SIGNATURES_ALGORITHM)
    assert sync_postings(store) == 100 and postings_current(store)   # the first sync posts every row
    assert _stored_postings(store) == _postings_from_scratch(store)
    store.put_copy_signatures(idx.signature_rows(ids[100:]), SIGNATURES_ALGORITHM)   # queued by the trigger
    # re-signed rows (another text: a row is deleted and written again, at the end)
    swapped = rng.sample(ids, 12)
    other = CandidateIndex()
    other.add_many((a, texts[b]) for a, b in zip(swapped, reversed(swapped)))
    store.put_copy_signatures(other.signature_rows(swapped), SIGNATURES_ALGORITHM)
    with store.write() as db:   # deleted articles take their rows with them (ON DELETE CASCADE)
        for aid in rng.sample([a for a in ids if a not in swapped], 5):
            db.execute("DELETE FROM articles WHERE id = ?", (aid,))
    sync_postings(store)
    assert _stored_postings(store) == _postings_from_scratch(store)
    assert not store.execute("SELECT 1 FROM copy_postings_queue")
    live = [r[0] for r in store.execute("SELECT article FROM copy_signatures ORDER BY rowid")]
    for cap in (100, 3, 1):   # small caps cut among ties of equal score: numbering must agree too
        mem = _in_memory(store, cap)
        asked = rng.sample(live, 40)
        got = StoredCandidates(store, max_candidates=cap).candidates_many(asked)
        assert got == mem.candidates_many(asked)
        assert any(got.values())


def _posted(synth):  # noqa: ANN001, ANN202
    """The synthetic store with every article signed by the in-memory index and posted; (store, sorted ids)."""
    store, arts = synth
    ids = sorted(a.id for a in arts)
    idx = CandidateIndex()
    idx.add_many((a.id, a.text) for a in sorted(arts, key=lambda a: a.id))
    store.put_copy_signatures(idx.signature_rows(ids), SIGNATURES_ALGORITHM)
    sync_postings(store)
    return store, ids


def test_hashes_at_and_over_the_document_frequency_cap_are_read_as_by_the_in_memory_index(synth):  # noqa: ANN001
    """Each hash's postings are read once, at most cap + 1 of them (store.postings.capped_postings): a hash found in
    more articles than its index's cap is not used, one found in exactly cap articles is; small caps put many
    hashes on both sides of the line."""
    store, ids = _posted(synth)
    counts = {name: sorted(int(r[0]) for r in store.execute(
        "SELECT COUNT(*) FROM copy_postings WHERE kind = ? GROUP BY hash", (KIND[name],))) for name in KIND}
    asked = random.Random(5).sample(ids, 60)
    for caps in ({"shingle": 2, "stopword": 2, "facts": 2}, {"shingle": 4, "stopword": 3, "facts": 5},
                 {"shingle": 5, "stopword": 8, "facts": 6}):
        # every index has hashes found in exactly cap articles and in more
        assert all(caps[k] in counts[k] and counts[k][-1] > caps[k] for k in KIND)
        mem = CandidateIndex.from_signature_rows(store.copy_signature_rows(SIGNATURES_ALGORITHM))
        mem.df_cap = dict(caps)
        got = StoredCandidates(store, df_cap=dict(caps)).candidates_many(asked)
        assert got == mem.candidates_many(asked)
        assert got != StoredCandidates(store).candidates_many(asked)   # the caps change the candidates
        assert any(got.values())


def test_articles_sharing_exactly_min_shared_hashes_are_proposed_as_by_the_in_memory_index(synth):  # noqa: ANN001
    """A query reads the sizes of, and numbers, only the articles sharing at least ``min_shared`` usable hashes with
    one of its articles (the others cannot be proposed): with no score threshold and low ``min_shared`` (every such
    article proposed), the candidates are still the in-memory index's, those at exactly ``min_shared`` included."""
    store, ids = _posted(synth)
    asked = random.Random(7).sample(ids, 50)
    zero = {k: 0.0 for k in KIND}
    for shared in ({"shingle": 1, "stopword": 1, "facts": 1}, {"shingle": 2, "stopword": 3, "facts": 2}):
        mem = CandidateIndex.from_signature_rows(store.copy_signature_rows(SIGNATURES_ALGORITHM))
        mem.min_shared, mem.min_score, mem.max_candidates = dict(shared), dict(zero), 10_000
        got = StoredCandidates(store, max_candidates=10_000, min_shared=dict(shared), min_score=dict(zero)
                               ).candidates_many(asked)
        assert got == mem.candidates_many(asked)
        assert sum(map(len, got.values())) > len(asked)


def test_postings_made_for_another_algorithm_are_made_again(synth):  # noqa: ANN001
    store, arts = synth
    idx = CandidateIndex()
    idx.add_many((a.id, a.text) for a in arts[:30])
    store.put_copy_signatures(idx.signature_rows([a.id for a in arts[:30]]), SIGNATURES_ALGORITHM)
    sync_postings(store)
    with store.write() as db:
        db.execute("UPDATE copy_postings_state SET algorithm = 'copies.signatures-v0'")
        db.execute("INSERT INTO copy_postings(kind, hash, doc) VALUES (0, 1, 999999)")   # a stale posting
    assert not postings_current(store)
    sync_postings(store)
    assert postings_current(store) and _stored_postings(store) == _postings_from_scratch(store)


def _analyze_two_batches(tmp: Path, arts: list, share: float, monkeypatch) -> Path:  # noqa: ANN001
    monkeypatch.setattr(incremental, "STORED_INDEX_MAX_SHARE", share)
    monkeypatch.setattr(incremental, "STORED_INDEX_MIN_ROWS", 0)
    tmp.mkdir()
    store = api.open_store(tmp / "s.db")
    api.ingest(store, [_jsonl(tmp / "a.jsonl", arts[:150])])
    api.analyze(store)
    api.ingest(store, [_jsonl(tmp / "b.jsonl", arts[150:])])
    api.analyze(store)
    store.close()
    return tmp / "s.db"


def test_an_analyze_that_asks_the_stored_index_equals_one_that_reads_every_signature(tmp_path, monkeypatch):  # noqa: ANN001
    monkeypatch.setenv("SCAMTRACE_NO_SPACY", "1")
    arts = generate(190, 9).articles
    calls = []
    real = StoredCandidates._query

    def counting(self, ids, *kinds):  # noqa: ANN001, ANN002, ANN202
        calls.append(len(ids))
        return real(self, ids, *kinds)
    monkeypatch.setattr(StoredCandidates, "_query", counting)
    stored = _analyze_two_batches(tmp_path / "stored", arts, 1.0, monkeypatch)
    assert calls, "the second batch did not ask the stored index"
    calls.clear()
    memory = _analyze_two_batches(tmp_path / "memory", arts, 0.0, monkeypatch)
    assert not calls
    a, b = api.open_store(stored), api.open_store(memory)
    assert state(a, with_ids=True) == state(b, with_ids=True)
    assert a.execute("SELECT count(*) FROM links")[0][0] > 0
    for s in (a, b):
        assert _stored_postings(s) == _postings_from_scratch(s)
    # and what a full recompute leaves (copies and knowledge: the knowledge differed here, in a few facts and
    # mention counts, until a copy spun in the first batch only was extracted again and stories.ids-v3)
    full = api.open_store(copy_store(stored, tmp_path / "full.db"))
    api.analyze(full, full=True)
    want = state(full, with_ids=True)
    for key, value in state(a, with_ids=True).items():
        assert want[key] == value, key
    assert _stored_postings(full) == _postings_from_scratch(full)


def test_the_cross_language_pairs_of_new_articles_are_those_of_the_whole_store(tmp_path):  # noqa: ANN001
    """The channel asked about the new articles' organisations only (their outlets' articles in
    another language) gives exactly the pairs of the whole store that touch the new articles."""
    from scamtrace.copies.crosslang import crosslang_pairs
    from scamtrace.model import Article
    rng = random.Random(8)
    outlets = ["news.kbs.co.kr", "world.kbs.co.kr", "KBS.co.kr", "daily.example.com", "example.com",
               "other.example.org", None]
    langs = ["en", "es", "ko", None]
    store = api.open_store(tmp_path / "x.db")
    arts = []
    for i in range(120):
        a = Article(id=f"x{i:03d}", source=f"t:{i}", text=f"Invented report number {i} about a town meeting.",
                    outlet=rng.choice(outlets), language=rng.choice(langs))
        store.put_article(a, fmt="text", body=a.text)
        arts.append(a)
    everything = crosslang_pairs((a.id, a.outlet, a.language) for a in arts)
    found: list = []
    for batch in ([a.id for a in rng.sample(arts, 9)], [a.id for a in arts if a.language == "es"][:4], ["x000"]):
        copies = incremental.IncrementalCopies(store)
        want = {p for p in everything if p[0] in batch or p[1] in batch}
        assert copies._crosslang_new(batch) == want
        found += want
    assert found
    store.close()
