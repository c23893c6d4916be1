"""Ingest on every core, written in batches (issue 17 part 3): the same store whatever the number
of workers; one article the database refuses is a reject and the batch goes on; Ctrl-C while
reading still stores what was read."""
from __future__ import annotations

import sqlite3

import pytest
from conftest import demo_sources
from test_extract_pool import dump

from scamtrace import api, pipeline
from scamtrace.clean import stage as clean_stage
from scamtrace.ingest import iter_sources
from scamtrace.settings import Settings
from scamtrace.store import Store


def test_two_workers_store_exactly_what_one_stores(tmp_path, monkeypatch):
    monkeypatch.setattr(clean_stage, "CLEAN_BATCH", 4)   # the demo's documents make several batches
    pools = []
    real = clean_stage._pooled
    monkeypatch.setattr(clean_stage, "_pooled", lambda *a: pools.append(a[-1]) or real(*a))
    for workers in (1, 2):
        store = api.open_store(tmp_path / f"{workers}.db")
        api.ingest(store, demo_sources(), Settings(workers=workers))
        store.close()
    assert pools == [2]
    one, two = dump(tmp_path / "1.db"), dump(tmp_path / "2.db")
    assert len(one["articles"]) > 30
    for table in one:
        assert one[table] == two[table], table


def test_an_article_the_store_refuses_is_a_reject_and_the_batch_goes_on(tmp_path, monkeypatch):
    real = Store.put_article
    victim = []

    def refuses_the_third(self, art, **kw):  # noqa: ANN001, ANN003, ANN202
        if art.id not in victim:
            victim.append(art.id)
        if victim.index(art.id) == 2:   # the same article every time it is written (its batch is written twice)
            raise sqlite3.IntegrityError("CHECK constraint failed (injected)")
        return real(self, art, **kw)

    monkeypatch.setattr(Store, "put_article", refuses_the_third)
    store = api.open_store(tmp_path / "x.db")
    stats = api.ingest(store, demo_sources(), Settings(workers=1))
    ids = {a.id for a in store.iter_articles()}
    assert victim[2] not in ids and ids == set(victim) - {victim[2]}
    assert stats.rejected == 1
    assert any("the store refused the article (CHECK constraint failed (injected))" in r["reason"]
               for r in store.rejects())
    assert len(store.rejects()) == 1   # recorded once, though its batch was written twice
    store.close()


def test_a_batch_is_written_again_with_savepoints_only_when_an_article_is_refused(tmp_path, monkeypatch):
    from scamtrace.store import raw
    calls = []
    real = raw._put_entries
    monkeypatch.setattr(raw, "_put_entries", lambda store, entries, *, isolate: calls.append(isolate) or real(
        store, entries, isolate=isolate))
    store = api.open_store(tmp_path / "x.db")
    api.ingest(store, demo_sources(), Settings(workers=1))
    assert calls and not any(calls)   # store.put-batch-v2: no savepoints when nothing is refused
    calls.clear()
    monkeypatch.setattr(Store, "put_article", lambda self, art, **kw: (_ for _ in ()).throw(
        sqlite3.IntegrityError("refused (injected)")))
    raw.put_batch(store, [raw.ToStore(a, "text", a.text, {}, raw.Reject(a.source, "x", stage="store"))
                          for a in list(store.iter_articles())[:3]])
    assert calls == [False, True]
    store.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_ctrl_c_while_reading_stores_what_was_read(tmp_path, monkeypatch, workers):
    monkeypatch.setattr(clean_stage, "CLEAN_BATCH", 4)
    read = list(iter_sources(demo_sources(), Settings()))
    stop = len(read) - 3

    def stopped():  # noqa: ANN202
        yield from read[:stop]
        raise KeyboardInterrupt

    store = api.open_store(tmp_path / "x.db")
    with pytest.raises(KeyboardInterrupt):
        pipeline.store_items(store, stopped(), Settings(workers=workers))
    stored = store.count_articles() + len(store.rejects())
    assert stored == stop
    store.close()
