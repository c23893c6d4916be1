"""Ingest stage: files, directories, JSON Lines, RSS/Atom feeds, WARC archives and http(s) URLs
become :class:`~scamtrace.model.RawDoc` records, or :class:`~scamtrace.model.Reject` records with
a one-line reason saying what to do.

Algorithms (stored in ``RawDoc.extra["reader"]`` where they apply): ``ingest.decode-v2``,
``ingest.fetch-v1``, ``ingest.feeds-v1``, ``ingest.records-v1``, ``ingest.warc-v1``,
``ingest.ids-v1``, ``ingest.watch-v1``.
"""
from .dates import parse_date
from .fetch import FetchResult, fetch
from .ids import content_hash, normalize_url, stable_id
from .sources import iter_sources
from .watch import parse_interval, watch

__all__ = [
    "FetchResult",
    "content_hash",
    "fetch",
    "iter_sources",
    "normalize_url",
    "parse_date",
    "parse_interval",
    "stable_id",
    "watch",
]
