from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "examples" / "demo"


def demo_sources() -> list[str]:
    """The ingestible demo sources listed in examples/demo/sources.txt, as paths."""
    return [str(DEMO / s.strip()) for s in (DEMO / "sources.txt").read_text().splitlines() if s.strip()]


def shared_dir() -> Path:
    env = os.environ.get("SCAMTRACE_SHARED")
    return Path(env) if env else REPO.parent / "shared"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    d = shared_dir() / "seeds"
    if not d.is_dir():
        pytest.skip(f"seeds folder {d} not found; set SCAMTRACE_SHARED to the shared/ folder")
    return d


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    return REPO / "examples" / "demo"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    """The demo corpus ingested and analysed into a store, once per test module (read it; write to
    ``fresh_db``)."""
    from scamtrace import api

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = api.open_store(path)
    api.ingest(store, demo_sources())
    api.analyze(store)
    store.close()
    return path


@pytest.fixture()
def fresh_db(demo_db, tmp_path) -> Path:
    """A private copy of the demo store for tests that write."""
    dst = tmp_path / "copy.db"
    src, out = sqlite3.connect(demo_db), sqlite3.connect(dst)
    src.backup(out)
    src.close()
    out.close()
    return dst
