"""How a raw document is kept beside its article so it can be cleaned again exactly.

An ingested :class:`~scamtrace.model.RawDoc` is stored as its body, its format and its ``extra``
mapping; the fields it arrived with (source, id, url, outlet, ...) ride in ``extra`` under
:data:`RECORD_KEY`. :func:`raw_from_store` rebuilds the RawDoc from those three columns.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..model import Article, RawDoc, Reject
from .db import PutStatus, Store

RECORD_KEY = "_record"
_RECORD_FIELDS = ("source", "id", "url", "outlet", "title", "published", "byline", "language")


def record_fields(raw: RawDoc) -> dict[str, Any]:
    """The fields a RawDoc arrived with, kept beside its body so it can be cleaned again exactly."""
    d = {k: getattr(raw, k) for k in _RECORD_FIELDS}
    d["published"] = raw.published.isoformat() if raw.published else None
    return d


def raw_from_store(fmt: str, body: str, extra: dict[str, Any]) -> RawDoc:
    """Rebuild the RawDoc an article was ingested from."""
    extra = dict(extra)
    rec = extra.pop(RECORD_KEY, {})
    pub = rec.get("published")
    return RawDoc(source=rec.get("source") or "", body=body, fmt=fmt,  # type: ignore[arg-type]
                  id=rec.get("id"), url=rec.get("url"), outlet=rec.get("outlet"), title=rec.get("title"),
                  published=dt.date.fromisoformat(pub) if pub else None, byline=rec.get("byline"),
                  language=rec.get("language"), extra=extra)


@dataclass(slots=True)
class ToStore:
    """One article to store (with the raw body and ``extra`` it came with, and ``extra`` as JSON when
    cleaning wrote it already), and the reject to record when its id already holds another raw body."""
    article: Article
    fmt: str
    body: str
    extra: dict[str, Any]
    on_conflict: Reject
    extra_json: str | None = None


#: Articles (and rejects) written per transaction by :func:`put_batch` (``ingest`` commits this many at
#: once; a crash loses at most the batch being written, which a rerun stores again).
WRITE_BATCH = 64


def put_batch(store: Store, entries: Sequence[ToStore | Reject]) -> list[PutStatus | Reject | None]:
    """Write ``entries`` in order in one transaction: each article with :meth:`Store.put_article`, each
    reject with :meth:`Store.add_reject`. Returns, per entry, the article's status, None for a reject,
    or (one article the database refused) a store-stage reject that was recorded instead: that
    article's writes are rolled back alone (a savepoint), the others are kept."""
    out: list[PutStatus | Reject | None] = []
    with store.write() as db:
        for e in entries:
            if isinstance(e, Reject):
                store.add_reject(e)
                out.append(None)
                continue
            db.execute("SAVEPOINT put_article")
            try:
                status = store.put_article(e.article, fmt=e.fmt, body=e.body, extra=e.extra, extra_json=e.extra_json)
                if status is PutStatus.CONFLICT:
                    store.add_reject(e.on_conflict)
            except sqlite3.Error as x:   # one article the database refuses never stops the batch
                db.execute("ROLLBACK TO put_article")
                db.execute("RELEASE put_article")
                rej = Reject(e.article.source, f"{e.article.source}: the store refused the article ({x}); report "
                             "this input as a bug", stage="store")
                store.add_reject(rej)
                out.append(rej)
                continue
            db.execute("RELEASE put_article")
            out.append(status)
    return out
