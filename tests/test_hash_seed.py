"""The same articles give the same store whatever Python's string hash seed: set and dict orders that
depend on it (``PYTHONHASHSEED``) must not reach a stored value, not even a float's last bits (a sum
over a set of anchors once did: ``story_units``). Two interpreters with two seeds analyse the demo
corpus; every table but the timestamps and run timings is compared row for row."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from conftest import demo_sources

#: Columns that hold when something happened, not what was found.
_CLOCK_COLUMNS = {"at", "applied_at", "ingested_at", "analyzed_at", "updated_at", "started_at", "finished_at"}
#: Tables of run bookkeeping (timings), not of results.
_SKIP_TABLES = {"runs", "_migrations"}


def _analyse(db: Path, seed: int) -> None:
    env = {**os.environ, "PYTHONHASHSEED": str(seed), "SCAMTRACE_NO_SPACY": "1"}
    subprocess.run([sys.executable, "-c", "from scamtrace.cli import main; main()", "--db", str(db),
                    "ingest", *demo_sources(), "--analyze"], env=env, check=True, capture_output=True, timeout=900)


def _tables(db: Path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(db)
    try:
        out = {}
        for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"):
            if name in _SKIP_TABLES:
                continue
            cols = [r[1] for r in con.execute(f'PRAGMA table_info("{name}")') if r[1] not in _CLOCK_COLUMNS]
            rows = con.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{name}"').fetchall()
            out[name] = sorted(rows, key=repr)
        return out
    finally:
        con.close()


def test_demo_store_is_the_same_under_two_hash_seeds(tmp_path: Path) -> None:
    a, b = tmp_path / "seed1.db", tmp_path / "seed2.db"
    _analyse(a, 1)
    _analyse(b, 2)
    ta, tb = _tables(a), _tables(b)
    assert ta.keys() == tb.keys()
    assert ta["story_units"] and ta["links"] and ta["figures"]   # the comparison has something to compare
    differ = [name for name in ta if ta[name] != tb[name]]
    assert differ == [], f"tables that depend on the hash seed: {differ}"
