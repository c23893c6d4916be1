"""The full-text index is filled from a queue at the end of each write transaction
(``store.fts-queue-v1``, migration ``0012_fts_queue``): every committed article is indexed, with
exactly the index a per-row trigger gives (FTS5's own check against the articles table, and the
same hits and ranks as an index rebuilt from the table), also when an article of a batch is
refused, when a queued row is updated or deleted before its commit, on a store made before the
queue, and for rows another program inserted without the store's write path."""
from __future__ import annotations

import re
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from conftest import demo_sources

from scamtrace import api
from scamtrace.settings import Settings
from scamtrace.store import Store
from scamtrace.store import migrations as migrations_module


def index_whole(db: sqlite3.Connection) -> bool:
    """Nothing queued, and FTS5's integrity check of the index against the articles table passes
    (its ``rank`` 1 form compares with the external content: a committed row left out fails)."""
    if db.execute("SELECT count(*) FROM articles_fts_queue").fetchone()[0]:
        return False
    try:
        db.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError:
        return False
    return True


def _raw(path: Path) -> sqlite3.Connection:
    """A plain connection: never the Store, whose opening would index a queue left behind."""
    return sqlite3.connect(path, isolation_level=None)


def _hits(db: sqlite3.Connection, words: list[str]) -> dict[str, list[tuple]]:
    return {w: db.execute("SELECT rowid, round(rank, 9) FROM articles_fts WHERE articles_fts MATCH ?"
                          " ORDER BY rank, rowid", (f'"{w}"',)).fetchall() for w in words}


def test_the_check_fails_when_a_committed_article_is_not_indexed(tmp_path):
    """The check the other tests rely on can fail: a row inserted behind the store's back (an
    autocommit statement, no Store.write) is committed but not indexed."""
    store = Store(tmp_path / "s.db")
    store.db.execute("INSERT INTO articles(id, source, title, text, raw_hash, ingested_at)"
                     " VALUES ('x', 's', 'Title', 'hello world', 'h', '')")
    store.close()
    db = _raw(tmp_path / "s.db")
    assert not index_whole(db)
    db.execute("DELETE FROM articles_fts_queue")
    assert not index_whole(db)   # the integrity check itself sees the row missing
    db.close()


def test_ingest_indexes_every_article_as_a_rebuilt_index_would(tmp_path):
    path = tmp_path / "demo.db"
    store = api.open_store(path)
    api.ingest(store, demo_sources(), Settings(workers=1))
    texts = [r[0] for r in store.execute("SELECT text FROM articles")]
    store.close()
    assert len(texts) > 30
    db = _raw(path)
    assert index_whole(db)
    words = [w for w, _ in Counter(re.findall(r"[a-z]{4,}", " ".join(texts).lower())).most_common(60)]
    words += ["scam", "compound", "rescued", "myawaddy", "kk park"]
    ours = _hits(db, words)
    db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")   # what per-row triggers would hold
    assert index_whole(db)
    assert _hits(db, words) == ours
    assert sum(map(len, ours.values())) > 100
    db.close()
    store = api.open_store(path)   # and through the store's own search
    assert {a["id"] for a in store.list_articles("scam compound", limit=1000)}
    store.close()


def test_a_refused_article_leaves_the_index_whole(tmp_path, monkeypatch):
    real = Store.put_article
    seen: list[str] = []

    def refuses_the_third(self, art, **kw):  # noqa: ANN001, ANN003, ANN202
        status = real(self, art, **kw)
        if art.id not in seen:
            seen.append(art.id)
        if seen.index(art.id) == 2:   # after its rows (and its queue entry) were written: rolled back (its batch
            raise sqlite3.IntegrityError("CHECK constraint failed (injected)")   # is written again, with savepoints)
        return status

    monkeypatch.setattr(Store, "put_article", refuses_the_third)
    store = api.open_store(tmp_path / "x.db")
    stats = api.ingest(store, demo_sources(), Settings(workers=1))
    assert stats.rejected == 1 and not store.has_article(seen[2])
    store.close()
    db = _raw(tmp_path / "x.db")
    assert index_whole(db)
    db.close()


def test_updates_and_deletes_before_and_after_the_commit(tmp_path):
    store = Store(tmp_path / "s.db")
    insert = "INSERT INTO articles(id, source, title, text, raw_hash, ingested_at) VALUES (?, 's', ?, ?, ?, '')"
    with store.write() as db:
        for i in range(6):
            db.execute(insert, (f"a{i}", f"title {i}", f"common word{i}", f"h{i}"))
        db.execute("UPDATE articles SET text = 'changed common' WHERE id = 'a1'")   # still queued
        db.execute("DELETE FROM articles WHERE id = 'a2'")                          # still queued
    assert index_whole(store.db)
    with store.write() as db:   # now indexed: the triggers keep the index in step
        db.execute("UPDATE articles SET text = 'again', title = 'new' WHERE id = 'a1'")
        db.execute("DELETE FROM articles WHERE id = 'a3'")
        db.execute(insert, ("a9", "late", "common late", "h9"))
        db.execute("UPDATE articles SET title = 'later' WHERE id = 'a9'")
    assert index_whole(store.db)

    def ids(q: str) -> list[str]:
        return sorted(a["id"] for a in store.list_articles(q, limit=100))

    assert ids("common") == ["a0", "a4", "a5", "a9"]
    assert ids("again") == ["a1"] and ids("changed") == [] and ids("later") == ["a9"] and ids("word2") == []
    with pytest.raises(RuntimeError), store.write() as db:   # a transaction that fails leaves nothing queued
        db.execute(insert, ("b1", "t", "rolled back", "hb"))
        raise RuntimeError("stop")
    assert index_whole(store.db) and ids("rolled") == []
    store.close()


def test_a_store_made_before_the_queue_keeps_its_index(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    names = [n for n, _ in migrations_module.MIGRATIONS]
    monkeypatch.setattr(migrations_module, "MIGRATIONS",
                        migrations_module.MIGRATIONS[:names.index("0012_fts_queue")])
    old = sqlite3.connect(path, isolation_level=None)
    migrations_module.migrate(old)   # the schema of the last version without the queue: per-row triggers
    assert not old.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles_fts_queue'").fetchone()
    old.execute("INSERT INTO articles(id, source, title, text, raw_hash, ingested_at)"
                " VALUES ('old', 's', 'Old', 'indexed by the old trigger', 'h', '')")
    old.close()
    monkeypatch.undo()
    store = api.open_store(path)   # migrates
    with store.write() as db:
        db.execute("INSERT INTO articles(id, source, title, text, raw_hash, ingested_at)"
                   " VALUES ('new', 's', 'New', 'indexed from the queue', 'h2', '')")
    assert index_whole(store.db)
    assert sorted(a["id"] for a in store.list_articles("indexed", limit=10)) == ["new", "old"]
    store.close()


def test_rows_inserted_behind_the_store_are_indexed_when_it_opens(tmp_path):
    path = tmp_path / "s.db"
    Store(path).close()
    other = _raw(path)   # another program writing the table directly, in autocommit
    other.execute("INSERT INTO articles(id, source, title, text, raw_hash, ingested_at)"
                  " VALUES ('x', 's', 'Title', 'written elsewhere', 'h', '')")
    other.close()
    store = Store(path)
    assert index_whole(store.db)
    assert [a["id"] for a in store.list_articles("elsewhere")] == ["x"]
    store.close()
