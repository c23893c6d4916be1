"""Opening one new store from several processes at once (``store.db._use_wal``).

SQLite does not call the busy handler for ``PRAGMA journal_mode = WAL``: before the retry, two
``ingest`` runs on one new ``--db`` failed with "database is locked" in CI
(test_crash_resume's two writers), and three processes opening a new store together failed about
one open in seven.
"""
from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scamtrace.store import db as store_db


class _Flaky:
    """A connection whose journal-mode change fails ``fails`` times with ``error``."""

    def __init__(self, fails: int, error: str) -> None:
        self.fails, self.error, self.calls = fails, error, 0

    def execute(self, sql: str) -> None:
        assert sql == "PRAGMA journal_mode = WAL"
        self.calls += 1
        if self.calls <= self.fails:
            raise sqlite3.OperationalError(self.error)


def test_a_locked_journal_mode_change_is_retried(monkeypatch) -> None:
    monkeypatch.setattr(store_db.time, "sleep", lambda s: None)
    con = _Flaky(3, "database is locked")
    store_db._use_wal(con)   # type: ignore[arg-type]
    assert con.calls == 4


def test_other_errors_and_a_lock_past_the_timeout_are_raised(monkeypatch) -> None:
    monkeypatch.setattr(store_db.time, "sleep", lambda s: None)
    with pytest.raises(sqlite3.OperationalError, match="disk I/O"):
        store_db._use_wal(_Flaky(1, "disk I/O error"))   # type: ignore[arg-type]
    clock = iter(range(0, 10**6, 10))                    # each look at the clock: 10 s later
    monkeypatch.setattr(store_db.time, "monotonic", lambda: float(next(clock)))
    con = _Flaky(10**6, "database is locked")
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        store_db._use_wal(con)   # type: ignore[arg-type]
    assert con.calls <= store_db.BUSY_TIMEOUT_MS // 10_000 + 1


_OPEN = ("import os, sys, time\nfrom scamtrace.store import Store\n"
         "while not os.path.exists(sys.argv[2]):\n    time.sleep(0.001)\n"
         "Store(sys.argv[1]).close()\n")


def test_three_processes_open_one_new_store_at_once(tmp_path: Path) -> None:
    failed = []
    for round_ in range(6):
        db, go = tmp_path / f"r{round_}" / "w.db", tmp_path / f"go{round_}"
        procs = [subprocess.Popen([sys.executable, "-c", _OPEN, str(db), str(go)], stderr=subprocess.PIPE,
                                  stdin=subprocess.DEVNULL, text=True) for _ in range(3)]
        time.sleep(0.8)   # a head start to import (correctness does not depend on it)
        go.write_text("go")
        failed += [p.communicate()[1].strip().splitlines()[-1] for p in procs if p.wait() != 0]
    assert failed == []
