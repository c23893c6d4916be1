"""Nothing stored is lost: ``kill -9`` during ``ingest`` and ``analyze`` at several points, then a rerun,
gives the same exports as an uninterrupted run, learned boilerplate included; two writers on a new
store and on an existing one both succeed and lose no article.

Kill points are found by watching the store (rows appearing), never by timing.
"""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import copy_store
from test_fts_queue import index_whole
from scamtrace import api, pipeline
from scamtrace.cli import EXPORT_WHATS
from scamtrace.settings import Settings
from scamtrace.store import Store

OUTLETS = 4
PAGES = 15
FOOTER = "Follow {o} on social media for the latest regional news updates every single day."
TOPICS = ["police raided a compound near the border and freed workers held there",
          "a court sentenced the boss of a scam ring that trafficked job seekers",
          "officials said hundreds of foreigners were deported after the raid",
          "victims described being forced to run romance scams for twelve hours a day",
          "the ministry promised new checks on recruitment agencies offering jobs abroad"]
#: Seconds between polls of the store while waiting for a kill point (not a limit: the wait ends
#: when the condition holds or the process has ended).
POLL = 0.01


def _records() -> list[dict]:
    out = []
    for o in range(OUTLETS):
        outlet = f"Outlet {o}"
        for p in range(PAGES):
            topic = TOPICS[(o + p) % len(TOPICS)]
            body = [f"Report {o}-{p}: {topic}, according to statements released on day {p + 1}.",
                    f"The outlet {outlet} counted {10 * p + o + 3} people in the building at the time of the visit.",
                    f"Witness number {p} said that {topic} and that more raids would follow soon.",
                    FOOTER.format(o=outlet)]
            out.append({"id": f"o{o}-p{p:02d}", "outlet": outlet, "published": f"2025-03-{p + 1:02d}",
                        "title": f"Report {o}-{p}", "text": "\n\n".join(body)})
    return out


def _snapshot(db: Path) -> dict:
    """Every export and the learned boilerplate of a store, in a comparable form."""
    store = Store(db, readonly=True)
    try:
        out = {}
        for what in EXPORT_WHATS:
            records, _ = api.export_records(store, what)
            out[what] = sorted(json.dumps(r, sort_keys=True, default=str) for r in records)
        out["boilerplate"] = sorted((r["outlet"], r["model"], r["pages"])
                                    for r in store.execute("SELECT outlet, model, pages FROM boilerplate_models"))
        return out
    finally:
        store.close()


def _cli(db: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "from scamtrace.cli import main; main()", "--db", str(db), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)


def _count(db: Path, sql: str) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute(sql).fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0   # not created yet, or the table is not there yet


def _kill_when(proc: subprocess.Popen, db: Path, sql: str, at_least: int) -> bool:
    """kill -9 ``proc`` as soon as ``sql`` counts ``at_least``; False when it ended first."""
    while proc.poll() is None:
        if _count(db, sql) >= at_least:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(POLL)
    return False


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("crash")
    src = root / "pages.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in _records()), encoding="utf-8")
    base = root / "base.db"
    store = api.open_store(base)
    api.ingest(store, [str(src)])
    ingested = copy_store(base, root / "ingested.db")
    api.analyze(store)
    store.close()
    return {"root": root, "src": src, "base": base, "ingested": ingested, "snapshot": _snapshot(base)}


def _finish(db: Path, src: Path) -> dict:
    store = api.open_store(db)
    api.ingest(store, [str(src)])
    api.analyze(store)
    store.close()
    return _snapshot(db)


def test_the_uninterrupted_run_learns_every_footer(corpus):
    store = Store(corpus["base"], readonly=True)
    texts = [r[0] for r in store.execute("SELECT text FROM articles")]
    assert len(texts) == OUTLETS * PAGES
    assert not [t for t in texts if "on social media" in t]
    assert len(corpus["snapshot"]["boilerplate"]) == OUTLETS
    store.close()


def test_ingest_interrupted_before_learning_learns_on_the_rerun(corpus, tmp_path):
    """The failure of issue 16: every page stored, then the run dies before learning; the rerun
    ("0 new") must still learn."""
    db = tmp_path / "s.db"
    store = api.open_store(db)

    def dies_after_the_last(items):  # noqa: ANN001, ANN202
        yield from items
        raise KeyboardInterrupt   # as if killed right after the last article was stored

    with pytest.raises(KeyboardInterrupt):
        pipeline.store_items(store, dies_after_the_last(api_iter(corpus["src"])), Settings())
    assert store.count_articles() == OUTLETS * PAGES and store.unlearned_outlets(3)
    stats = api.ingest(store, [str(corpus["src"])])
    assert stats.new == 0 and stats.recleaned == OUTLETS * PAGES and not store.unlearned_outlets(3)
    api.analyze(store)
    store.close()
    assert _snapshot(db) == corpus["snapshot"]


def test_ingest_interrupted_while_learning_learns_the_rest(corpus, tmp_path, monkeypatch):
    """Killed after the first outlet was learned: that outlet's pages and model were written
    together, the others not at all; the rerun learns the rest."""
    calls = []
    real = Store.put_boilerplate_model

    def dies_on_the_second(self, outlet, model_json, pages):  # noqa: ANN001, ANN202
        calls.append(outlet)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(self, outlet, model_json, pages)

    db = tmp_path / "s.db"
    store = api.open_store(db)
    monkeypatch.setattr(Store, "put_boilerplate_model", dies_on_the_second)
    with pytest.raises(KeyboardInterrupt):
        api.ingest(store, [str(corpus["src"])])
    monkeypatch.setattr(Store, "put_boilerplate_model", real)
    assert len(store.unlearned_outlets(3)) == OUTLETS - 1      # the first outlet was learned whole
    assert store.execute("SELECT count(*) FROM articles WHERE text LIKE '%on social media%'")[0][0] \
        == (OUTLETS - 1) * PAGES
    api.ingest(store, [str(corpus["src"])])
    api.analyze(store)
    store.close()
    assert _snapshot(db) == corpus["snapshot"]


def api_iter(src: Path):  # noqa: ANN201
    from scamtrace.ingest import iter_sources

    return iter_sources([str(src)], Settings())


@pytest.mark.parametrize("at_least", [20, OUTLETS * PAGES])
def test_kill_9_during_ingest_then_rerun(corpus, tmp_path, at_least):
    db = tmp_path / "k.db"
    proc = _cli(db, "ingest", str(corpus["src"]))
    _kill_when(proc, db, "SELECT count(*) FROM articles", at_least)
    killed = sqlite3.connect(db, isolation_level=None)   # not the Store: its opening indexes a leftover queue
    try:   # every article the killed run committed is in the full-text index (store.fts-queue-v1)
        assert killed.execute("SELECT count(*) FROM articles").fetchone()[0] >= at_least
        assert index_whole(killed)
    finally:
        killed.close()
    assert _finish(db, corpus["src"]) == corpus["snapshot"]


@pytest.mark.parametrize("sql", ["SELECT count(*) FROM spin_scores", "SELECT count(*) FROM mentions"])
def test_kill_9_during_analyze_then_rerun(corpus, tmp_path, sql):
    db = copy_store(corpus["ingested"], tmp_path / "k.db")
    proc = _cli(db, "analyze")
    _kill_when(proc, db, sql, 1)
    assert _finish(db, corpus["src"]) == corpus["snapshot"]


# -- two writers -----------------------------------------------------------------------------------------
def _write_jsonl(path: Path, prefix: str, n: int) -> Path:
    path.write_text("\n".join(json.dumps({"id": f"{prefix}{i}", "text": f"{prefix} {i}: " + (TOPICS[i % 5] + ". ") * 5})
                              for i in range(n)), encoding="utf-8")
    return path


def _together(db: Path, files: list[Path], go: Path) -> list[tuple[int, str]]:
    """Run one ``ingest`` per file, all started at the same moment: each process imports scamtrace,
    then waits for ``go`` to appear (so start-up jitter does not keep them apart)."""
    code = ("import os, sys, time\nfrom scamtrace.cli import main\n"
            f"while not os.path.exists({str(go)!r}):\n    time.sleep(0.002)\nmain()")
    procs = [subprocess.Popen([sys.executable, "-c", code, "--db", str(db), "ingest", str(f)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
             for f in files]
    time.sleep(1.0)          # let them import (a head start only: correctness does not depend on it)
    go.write_text("go")
    return [(p.wait(), p.stderr.read().decode()) for p in procs]


def test_two_writers_on_a_new_store_and_on_an_existing_one(tmp_path):
    db = tmp_path / "new" / "w.db"
    files = [_write_jsonl(tmp_path / f"{p}.jsonl", p, 80) for p in ("a", "b", "c", "d")]
    res = _together(db, files[:2], tmp_path / "go1")
    assert [rc for rc, _ in res] == [0, 0], res
    assert _count(db, "SELECT count(*) FROM articles") == 160
    res = _together(db, files[2:], tmp_path / "go2")
    assert [rc for rc, _ in res] == [0, 0], res
    assert _count(db, "SELECT count(*) FROM articles") == 320


def test_migrations_on_a_new_store_from_many_threads(tmp_path):
    db = tmp_path / "t.db"
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def open_it() -> None:
        start.wait()
        try:
            Store(db).close()
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=open_it) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    con = sqlite3.connect(db)
    names = [r[0] for r in con.execute("SELECT name FROM _migrations")]
    con.close()
    from scamtrace.store.migrations import MIGRATIONS

    assert sorted(names) == sorted(n for n, _ in MIGRATIONS)


def test_a_killed_process_leaves_no_lock(tmp_path):
    db = tmp_path / "l.db"
    Store(db).close()
    proc = _cli(db, "ingest", str(_write_jsonl(tmp_path / "x.jsonl", "x", 40)))
    _kill_when(proc, db, "SELECT count(*) FROM articles", 1)
    store = Store(db)
    with store.write() as con:   # the write lock is free again
        con.execute("DELETE FROM rejects")
    store.close()
    assert os.path.exists(db)


def test_a_runner_that_saw_no_migrations_waits_and_skips_them(tmp_path, monkeypatch):
    """The race of issue 16, made deterministic: runner B looked at a new store before runner A
    migrated it. B must not run A's migrations again: each migration re-reads ``_migrations`` under
    the write lock."""
    from scamtrace.store import migrations

    db = tmp_path / "m.db"
    a = sqlite3.connect(db, isolation_level=None)
    b = sqlite3.connect(db, isolation_level=None)
    monkeypatch.setattr(migrations, "recorded", lambda con: None)   # B's stale view: nothing applied
    assert migrations.migrate(a) == [n for n, _ in migrations.MIGRATIONS]
    assert migrations.migrate(b) == []
    a.close()
    b.close()
