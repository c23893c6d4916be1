"""extract.pool-v1: analyze with two worker processes stores exactly the rows of one process."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from conftest import demo_sources

from scamtrace import api
from scamtrace.extract import stage
from scamtrace.settings import Settings

#: Columns that hold the time of a run, not its result.
_TIME_COLUMNS = {"at", "applied_at", "analyzed_at", "ingested_at", "updated_at", "started_at", "finished_at"}


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table (FTS shadow tables aside) in rowid order, without time columns."""
    db = sqlite3.connect(path)
    out = {}
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                              " AND name NOT LIKE '%fts%' ORDER BY name"):
        cols = [r[1] for r in db.execute(f"PRAGMA table_info({name})") if r[1] not in _TIME_COLUMNS]
        quoted = ", ".join(f'"{c}"' for c in cols)
        try:   # rowid order is write order: the rows' ids must match too
            out[name] = db.execute(f"SELECT rowid, {quoted} FROM {name} ORDER BY rowid").fetchall()
        except sqlite3.OperationalError:   # a WITHOUT ROWID table
            out[name] = db.execute(f"SELECT {quoted} FROM {name} ORDER BY {quoted}").fetchall()
    db.close()
    return out


def analysed(path: Path, workers: int) -> dict[str, list[tuple]]:
    store = api.open_store(path)
    api.ingest(store, demo_sources())
    api.analyze(store, settings=Settings(workers=workers))
    store.close()
    return dump(path)


def test_two_workers_store_exactly_the_rows_of_one_process(tmp_path, monkeypatch):
    monkeypatch.setattr(stage, "EXTRACT_BATCH", 5)   # the demo's 36 articles make 8 batches
    pools = []
    real_pool = stage._pool
    monkeypatch.setattr(stage, "_pool", lambda n: pools.append(n) or real_pool(n))
    one = analysed(tmp_path / "one.db", 1)
    assert pools == []
    two = analysed(tmp_path / "two.db", 2)
    assert pools == [2]
    assert len(one["mentions"]) > 100 and len(one["figures"]) > 50 and len(one["events"]) > 20
    for table in one:
        assert one[table] == two[table], table


def test_an_article_that_fails_in_a_worker_is_a_reject_and_the_others_are_stored(tmp_path, monkeypatch):
    monkeypatch.setattr(stage, "EXTRACT_BATCH", 5)
    real = stage.extract
    store = api.open_store(tmp_path / "x.db")
    api.ingest(store, demo_sources())
    victim = sorted(a.id for a in store.iter_articles())[7]

    def failing(article, **kw):  # noqa: ANN001, ANN003, ANN202
        if article.id == victim:
            raise RuntimeError("boom")
        return real(article, **kw)

    monkeypatch.setattr(stage, "extract", failing)   # inherited by the forked workers
    api.analyze(store, settings=Settings(workers=2))
    extracted = {r[0] for r in store.execute("SELECT DISTINCT article FROM mentions")}
    assert victim not in extracted and len(extracted) >= 30
    assert any("extraction failed (RuntimeError: boom)" in r["reason"] for r in store.rejects())
    store.close()


def test_workers_setting_zero_means_one_per_core():
    assert Settings().workers == 0
    assert stage.resolve_workers(0) == stage.cpu_cores() >= 1
    assert stage.resolve_workers(3) == 3
