"""Where a store is and how it is opened: the default path, the refusal of a missing one, the
read-only open that upgrades an older store once. The API, the CLI, the web and the report use these."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from ..errors import StoreError
from .db import Store, StoreNeedsUpgrade

#: The store a command uses without ``--db`` (and without $SCAMTRACE_DB).
DEFAULT_DB = "scamtrace.db"


def require_store(path: str | Path) -> None:
    """Raise :class:`StoreError` unless a store file exists at ``path`` (read-only commands use this so
    a mistyped ``--db`` is not silently created as an empty store)."""
    if str(path) != ":memory:" and not Path(path).is_file():
        raise StoreError(f"no store at {path} (create one with `scamtrace ingest …`)")


def copy_store(src: str | Path, dst: str | Path) -> Path:
    """A consistent copy of the store file ``src`` at ``dst`` (SQLite's backup API, so a live WAL
    store copies whole); returns ``dst``. Tests and benches use it to work on a private copy."""
    a, b = sqlite3.connect(src), sqlite3.connect(dst)
    try:
        a.backup(b)
    finally:
        a.close()
        b.close()
    return Path(dst)


def open_store(path: str | Path, *, create: bool | None = None, readonly: bool = False) -> Store:
    """Open the SQLite store at ``path``: read-write (created and migrated if needed, after a
    ``PRAGMA quick_check`` so a damaged store is never written), or with ``readonly`` never written
    (a read-only file or folder works; a store made by an older scamtrace is upgraded once first).

    ``create`` says whether a missing file is created (with its folders): by default yes for a
    read-write store and no for a read-only one, which is refused with :class:`StoreError` ("no
    store at PATH ..."). The web app opens with ``create=True, readonly=True``: made if missing,
    upgraded if old, then only read."""
    if create is None:
        create = not readonly
    missing = str(path) != ":memory:" and not Path(path).is_file()
    if missing and not create:
        require_store(path)
    if not readonly:
        return Store(path, check=True)
    if missing:
        Store(path, check=True).close()
    try:
        return Store(path, readonly=True)
    except StoreNeedsUpgrade:   # made by an older scamtrace: upgrade it once (when it can be written)
        Store(path, check=True).close()
        return Store(path, readonly=True)
