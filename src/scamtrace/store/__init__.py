"""SQLite store: migrations, articles, rejects, copy links, families, judgements."""
from .db import FeedState, Store
from .migrations import MIGRATIONS, migrate

__all__ = ["Store", "FeedState", "MIGRATIONS", "migrate"]
