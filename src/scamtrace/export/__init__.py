"""Exports: articles, copy links and families as JSON Lines or CSV."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..store import Store
from .tabular import FORMATS, write_records

__all__ = ["FORMATS", "write_records", "article_records", "copy_records", "family_records",
           "ARTICLE_COLUMNS", "COPY_COLUMNS", "FAMILY_COLUMNS"]

ARTICLE_COLUMNS = ["id", "url", "outlet", "title", "published", "byline", "dateline", "credit",
                   "truncated", "language", "text"]
COPY_COLUMNS = ["article", "source", "sibling", "family", "relation", "origin_credit", "score", "algorithm", "evidence"]
FAMILY_COLUMNS = ["family", "origin", "origin_credit", "size", "members", "algorithm"]


def article_records(store: Store) -> Iterator[dict[str, Any]]:
    for a in store.iter_articles():
        d = a.to_dict()
        yield {k: d[k] for k in ARTICLE_COLUMNS}


def copy_records(store: Store) -> Iterator[dict[str, Any]]:
    for ln in store.links():
        yield {"article": ln.article, "source": ln.source, "sibling": ln.sibling, "family": ln.family,
               "relation": ln.relation, "origin_credit": ln.origin_credit, "score": round(ln.score, 4),
               "algorithm": ln.algorithm, "evidence": ln.evidence}


def family_records(store: Store) -> Iterator[dict[str, Any]]:
    for f in store.families():
        yield {"family": f.id, "origin": f.origin, "origin_credit": f.origin_credit, "size": len(f.members),
               "members": f.members, "algorithm": f.algorithm}
