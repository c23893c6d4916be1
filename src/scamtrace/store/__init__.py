"""SQLite store: migrations, articles, rejects, copy links, families, judgements."""
from .db import FeedState, PutStatus, Store
from .migrations import MIGRATIONS, migrate
from .opening import DEFAULT_DB, copy_store, open_store, require_store

__all__ = ["Store", "FeedState", "PutStatus", "MIGRATIONS", "migrate", "DEFAULT_DB", "copy_store", "open_store",
           "require_store"]
