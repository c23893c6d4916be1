"""Named queries of the stored copy-candidate postings (``copy_postings``, migration ``0018``), for
:mod:`scamtrace.copies.stored_index` (issue 14: SQL only in ``store/``). ``db`` is the connection of a
write transaction (:meth:`Store.write`) or the store's own connection for reads."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from .db import select_in


def clear_postings(db: sqlite3.Connection) -> None:
    """Forget every posting, the queue and the algorithm they were made for."""
    db.execute("DELETE FROM copy_postings_state")
    db.execute("DELETE FROM copy_postings")
    db.execute("DELETE FROM copy_postings_queue")


def postings_algorithms(db: sqlite3.Connection) -> list[str]:
    """The signature algorithm(s) the stored postings were made for (one row when current)."""
    return [r[0] for r in db.execute("SELECT algorithm FROM copy_postings_state").fetchall()]


def set_postings_algorithm(db: sqlite3.Connection, algorithm: str) -> None:
    db.execute("INSERT INTO copy_postings_state(algorithm) VALUES (?)", (algorithm,))


def signature_rows(db: sqlite3.Connection, algorithm: str) -> list[Any]:
    """(rowid, shingle, stopword, facts) of every signature of ``algorithm``, in rowid order."""
    return db.execute("SELECT rowid, shingle, stopword, facts FROM copy_signatures WHERE algorithm = ?"
                      " ORDER BY rowid", (algorithm,)).fetchall()


def insert_postings(db: sqlite3.Connection, rows: Iterable[tuple[int, int, int]], *, ignore: bool = False) -> None:
    """Post (kind, hash, doc) rows (``ignore``: rows already posted are skipped)."""
    verb = "INSERT OR IGNORE" if ignore else "INSERT"
    db.executemany(f"{verb} INTO copy_postings(kind, hash, doc) VALUES (?,?,?)", rows)


def delete_postings(db: sqlite3.Connection, rows: Iterable[tuple[int, int, int]]) -> None:
    db.executemany("DELETE FROM copy_postings WHERE kind = ? AND hash = ? AND doc = ?", rows)


def posting_queue(db: sqlite3.Connection) -> list[Any]:
    """The queued signature writes and deletes (seq, doc, shingle, stopword, facts), in order; a write has
    no signatures (they are read as stored), a delete carries the deleted ones."""
    return db.execute("SELECT seq, doc, shingle, stopword, facts FROM copy_postings_queue ORDER BY seq").fetchall()


def drop_posting_queue(db: sqlite3.Connection, upto: int) -> None:
    db.execute("DELETE FROM copy_postings_queue WHERE seq <= ?", (upto,))


def signatures_by_rowid(db: sqlite3.Connection, docs: Sequence[int]) -> list[Any]:
    """(rowid, shingle, stopword, facts, algorithm) of the signature rows ``docs``."""
    return select_in(db, "SELECT rowid, shingle, stopword, facts, algorithm FROM copy_signatures"
                         " WHERE rowid IN ({})", docs)


def signatures_of_articles(db: sqlite3.Connection, articles: Sequence[str]) -> list[Any]:
    """(rowid, article, shingle, stopword, facts, algorithm) of the signatures of ``articles``."""
    return select_in(db, "SELECT rowid, article, shingle, stopword, facts, algorithm"
                         " FROM copy_signatures WHERE article IN ({})", articles)


def signature_sizes(db: sqlite3.Connection, docs: Sequence[int]) -> list[Any]:
    """(rowid, article, bytes of shingle, stopword, facts, algorithm) of the signature rows ``docs``."""
    return select_in(db, "SELECT rowid, article, length(shingle), length(stopword), length(facts), algorithm"
                         " FROM copy_signatures WHERE rowid IN ({})", docs)


def capped_postings(db: sqlite3.Connection, kind: int, hashes: list[int], cap: int) -> list[str | None]:
    """For each of ``hashes`` (in order), in one read of its postings of index ``kind`` (at most ``cap`` + 1 rows):
    None when it has none, ``"-"`` when it has more than ``cap``, else its docs, comma-separated. Its document
    frequency counted up to ``cap`` + 1 and the postings of the hashes found in at most ``cap`` articles come
    from the one read (they were two queries, the second reading again the rows the first had counted)."""
    rows = db.execute("SELECT (SELECT CASE WHEN count(*) > ? THEN '-' ELSE group_concat(doc) END FROM"
                      " (SELECT doc FROM copy_postings p WHERE p.kind = ? AND p.hash = j.value LIMIT ?))"
                      " FROM json_each(?) j ORDER BY j.key", (cap, kind, cap + 1, json.dumps(hashes))).fetchall()
    return [r[0] for r in rows]
