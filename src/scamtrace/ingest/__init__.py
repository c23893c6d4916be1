"""Ingest stage: files, directories, JSON Lines, RSS/Atom feeds, WARC archives and http(s) URLs
become :class:`~scamtrace.model.RawDoc` records, or :class:`~scamtrace.model.Reject` records with
a one-line reason saying what to do.

Algorithms stored with a document (``RawDoc.extra`` "decoder" and "reader", where they apply):
``ingest.decode-v2``, ``ingest.feeds-v1``, ``ingest.records-v2``, ``ingest.warc-v1``. Fetching, ids and watching store no results of their
own, so they carry no algorithm name; the robots.txt rules watch and linked-page fetching obey are
``ingest.robots-v2`` (:mod:`.robots`, named in the reason of what they refuse).
"""
from .date_fields import parse_date
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
