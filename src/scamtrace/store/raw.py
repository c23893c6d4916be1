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
    article's writes are rolled back alone (a savepoint), the others are kept.

    ``store.put-batch-v2``: the batch is first written without a savepoint per article (two
    statements an article); only when the database refuses one is that transaction rolled back and
    the batch written again with one savepoint per article (v1 opened them always). What is
    committed is the same either way: one transaction for the whole batch. Inside a transaction the
    caller opened (which a refusal could not roll back) every article gets its savepoint, as in v1."""
    if store.db.in_transaction:
        return _put_entries(store, entries, isolate=True)
    try:
        return _put_entries(store, entries, isolate=False)
    except _Refused:
        pass   # rolled back: nothing of the batch is stored; write it again, each article on its own savepoint
    return _put_entries(store, entries, isolate=True)


class _Refused(Exception):
    """The database refused an article of a batch written without savepoints (its transaction is rolled back)."""


def _put_entries(store: Store, entries: Sequence[ToStore | Reject], *, isolate: bool) -> list[PutStatus | Reject | None]:
    """:func:`put_batch`'s transaction; without ``isolate`` an article the database refuses raises
    :class:`_Refused` (the transaction is rolled back), with it the article becomes a store-stage reject.
    Errors of the transaction itself (``BEGIN``, ``COMMIT``) are raised in both."""
    out: list[PutStatus | Reject | None] = []
    with store.write() as db:
        for e in entries:
            if isinstance(e, Reject):
                store.add_reject(e)
                out.append(None)
                continue
            if not isolate:
                try:
                    out.append(_put(store, e))
                except sqlite3.Error as x:
                    raise _Refused from x
                continue
            db.execute("SAVEPOINT put_article")
            try:
                status = _put(store, e)
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


def _put(store: Store, e: ToStore) -> PutStatus:
    status = store.put_article(e.article, fmt=e.fmt, body=e.body, extra=e.extra, extra_json=e.extra_json)
    if status is PutStatus.CONFLICT:
        store.add_reject(e.on_conflict)
    return status
