from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from scamtrace.store import copy_store as _copy_store

REPO = Path(__file__).resolve().parents[1]


def _local_test_client() -> None:
    """The web workspace answers only to loopback Host names (its DNS-rebinding defence), and
    Starlette's TestClient calls itself "testserver" unless told otherwise: make every test client
    address the app as http://127.0.0.1, as a browser on this machine does."""
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import fastapi.testclient
            import starlette.testclient
    except ImportError:
        return
    base = starlette.testclient.TestClient
    if getattr(base, "local_by_default", False):
        return

    class LocalTestClient(base):  # type: ignore[misc, valid-type]
        local_by_default = True

        def __init__(self, app, base_url: str = "http://127.0.0.1", *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
            super().__init__(app, base_url, *args, **kwargs)

    starlette.testclient.TestClient = LocalTestClient
    fastapi.testclient.TestClient = LocalTestClient


_local_test_client()
DEMO = REPO / "examples" / "demo"


def demo_sources() -> list[str]:
    """The ingestible demo sources listed in examples/demo/sources.txt, as paths."""
    return [str(DEMO / s.strip()) for s in (DEMO / "sources.txt").read_text().splitlines() if s.strip()]


def shared_dir() -> Path:
    env = os.environ.get("SCAMTRACE_SHARED")
    return Path(env) if env else REPO.parent / "shared"


# The tests (not scamtrace itself) may assume the checkout sits beside ../shared, as `.ci/run` and
# `make test` do: scamtrace's eval commands and the README's examples then find the shared data
# through SCAMTRACE_SHARED, the one way scamtrace is told where it is.
if "SCAMTRACE_SHARED" not in os.environ and shared_dir().is_dir():
    os.environ["SCAMTRACE_SHARED"] = str(shared_dir().resolve())


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    d = shared_dir() / "seeds"
    if not d.is_dir():
        pytest.skip(f"seeds folder {d} not found; set SCAMTRACE_SHARED to the shared/ folder")
    return d


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    return REPO / "examples" / "demo"


def copy_store(src: Path, dst: Path) -> Path:
    """A consistent copy of a store file (:func:`scamtrace.store.copy_store`: SQLite's backup, so a
    WAL store copies whole)."""
    return _copy_store(src, dst)


@pytest.fixture(scope="session")
def demo_master(tmp_path_factory) -> Path:
    """The demo corpus ingested and analysed into a store ONCE per test session. Never open it for
    writing: use ``demo_db`` (a copy per module), ``fresh_db`` (a copy per test) or ``demo_copy``."""
    from scamtrace import api
    from scamtrace.extract import reset

    reset()   # no cached spaCy pipeline or gazetteer from an earlier test's settings
    path = tmp_path_factory.mktemp("demo-master") / "demo.db"
    store = api.open_store(path)
    api.ingest(store, demo_sources())
    api.analyze(store)
    store.close()
    return path


@pytest.fixture(scope="session")
def demo_copy(demo_master, tmp_path_factory):
    """A function that returns a new private copy of the demo store (a path), for module fixtures."""
    def make(name: str = "demo") -> Path:
        return copy_store(demo_master, tmp_path_factory.mktemp(name) / "demo.db")
    return make


@pytest.fixture(scope="module")
def demo_db(demo_copy) -> Path:
    """The analysed demo store, a copy per test module (read it; write to ``fresh_db``)."""
    return demo_copy()


@pytest.fixture()
def fresh_db(demo_db, tmp_path) -> Path:
    """A private copy of the demo store for tests that write."""
    return copy_store(demo_db, tmp_path / "copy.db")


def spark_missing() -> str | None:
    """Why the Spark tests cannot run here, or None."""
    import importlib.util
    import shutil

    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install 'scamtrace[spark]')"
    if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        return "Java is not installed (Spark needs a JVM: install Java 17 or set JAVA_HOME)"
    return None


@pytest.fixture(scope="session")
def spark():
    """One local SparkSession for every Spark test (start-up costs ~10 s); skipped without pyspark/Java."""
    import sys

    why = spark_missing()
    if why:
        pytest.skip(why)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)   # workers must import scamtrace
    from scamtrace.spark.session import spark_session

    session = spark_session("local[2]", {"spark.sql.shuffle.partitions": "4", "spark.ui.enabled": "false",
                                         "spark.driver.memory": "2g"})
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


# -- helpers shared by the web tests ---------------------------------------------------------------
def sql(db: Path, query: str, args: tuple = ()) -> list[tuple]:
    """Rows of one query on a store file, read with a connection of its own."""
    con = sqlite3.connect(db)
    try:
        return con.execute(query, args).fetchall()
    finally:
        con.close()


def assert_error(resp, status: int, code: str) -> dict:  # noqa: ANN001
    """The response is the workspace's one error shape with this status and code; returns the body."""
    assert resp.status_code == status, resp.text[:300]
    body = resp.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code and body["error"]["message"]
    return body


def csrf_from(html: str) -> str:
    """The CSRF token of a page's form."""
    import re

    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "the page has no CSRF field"
    return m.group(1)
