"""How a raw document is kept beside its article so it can be cleaned again exactly.

An ingested :class:`~scamtrace.model.RawDoc` is stored as its body, its format and its ``extra``
mapping; the fields it arrived with (source, id, url, outlet, ...) ride in ``extra`` under
:data:`RECORD_KEY`. :func:`raw_from_store` rebuilds the RawDoc from those three columns.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from ..model import RawDoc

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
