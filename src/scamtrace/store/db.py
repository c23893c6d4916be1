"""The SQLite store: one writer (``BEGIN IMMEDIATE``), many readers, WAL, foreign keys, FTS5.

All SQL lives here (and in ``migrations.py``); the rest of scamtrace speaks records.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping, MutableMapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any, cast

from ..errors import NotFound, StoreError
from ..model import (HEADLINE_SOURCE, Article, ArticleListing, ConflictRow, Family, Link, Reject, RejectRow, Story,
                     StoryListing, ThreadPlace, ThreadRow)
from .migrations import NewerStore, migrate, pending, recorded, refuse_newer

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 30_000


class PutStatus(StrEnum):
    """What :meth:`Store.put_article` did with an article."""

    NEW = "new"              # stored for the first time
    SAME = "same"            # the same raw body again (idempotent re-ingest)
    UPDATED = "updated"      # the same raw body, cleaned differently now: the article was rewritten
    CONFLICT = "conflict"    # another raw body under a stored id: kept in ``conflicts``, not stored


class StoreNeedsUpgrade(StoreError):
    """Opened read-only, the store lacks migrations of this version (it was made by an older one)."""


def damaged_message(path: str, e: BaseException) -> str:
    """The one line for a store SQLite cannot read (damaged pages, or not a database at all)."""
    return (f"{path}: the store is damaged or not an SQLite store ({e}); nothing was written to it. "
            f"Check it with `sqlite3 {path} 'PRAGMA integrity_check'`, then restore a backup, or salvage what "
            f"is readable with `sqlite3 {path} .recover | sqlite3 recovered.db`")


def is_damage(e: BaseException) -> bool:
    """True when an SQLite error says the file is damaged (not busy, not a constraint)."""
    msg = str(e).lower()
    return isinstance(e, sqlite3.DatabaseError) and any(
        w in msg for w in ("malformed", "not a database", "corrupt", "disk i/o error", "could not decode to utf-8"))


def fails_quick_check(path: str) -> bool:
    """True when SQLite's ``PRAGMA quick_check`` finds the store at ``path`` damaged (or cannot read it).

    Used only to explain an error that is not an ``sqlite3.DatabaseError`` but comes from damaged
    pages, e.g. a text value whose bytes are no longer UTF-8 (``UnicodeDecodeError`` while reading
    rows): the check runs after such an error, never on the normal path."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return True
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
        return [tuple(r) for r in rows] != [("ok",)]
    except sqlite3.Error:
        return True
    finally:
        conn.close()


def _make_parent(path: str) -> None:
    parent = Path(path).parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StoreError(f"{path}: cannot create the folder {parent} for the store ({e.strerror or e}); "
                         "choose a --db path in a folder you can write") from None


def _connect_readonly(path: str) -> sqlite3.Connection:
    """A connection that can never write. ``mode=ro`` first; when that cannot read (a WAL store in a
    folder where SQLite may not create its ``-shm`` file), ``immutable=1``, which reads the file as it is."""
    if path == ":memory:":
        return sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    p = Path(path)
    if not p.exists():
        raise StoreError(f"{path}: cannot open the store: no store at this path; check --db, or create one with `scamtrace --db {path} "
                         "ingest FILES`")
    from urllib.parse import quote

    base = "file:" + quote(str(p.resolve()))
    db = sqlite3.connect(base + "?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.OperationalError as e:
        if "readonly" not in str(e) and "unable to open" not in str(e):
            raise
        db.close()
        log.info("%s: read as immutable (%s)", path, e)
        return sqlite3.connect(base + "?mode=ro&immutable=1", uri=True, isolation_level=None,
                               check_same_thread=False)


def _use_wal(db: sqlite3.Connection) -> None:
    """Switch the store to WAL, waiting for other processes like ``busy_timeout`` would.

    SQLite does not call the busy handler for a journal-mode change: two ``ingest`` runs creating
    one new store at the same moment got "database is locked" at once (seen in 9 of 60 opens by
    three processes). The change is retried with a growing pause for up to ``BUSY_TIMEOUT_MS``;
    any other error, or a lock that outlasts that, is raised as before."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    pause = 0.005
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.2)


def _quick_check(db: sqlite3.Connection, path: str) -> None:
    rows = [r[0] for r in db.execute("PRAGMA quick_check(3)")]
    if rows != ["ok"]:
        raise StoreError(damaged_message(path, sqlite3.DatabaseError("; ".join(map(str, rows))[:200])))


_EXPECTED: dict[str, set[str]] | None = None

_QUEUED = "SELECT 1 FROM articles_fts_queue LIMIT 1"


def _index_queued(db: sqlite3.Connection) -> None:
    """Index the articles queued for the full-text index in this transaction, in one statement
    (``store.fts-queue-v1``, migration ``0012_fts_queue``); called by :meth:`Store.write` before
    every COMMIT, so no committed article is missing from the index."""
    if db.execute(_QUEUED).fetchone():
        db.execute("INSERT INTO articles_fts(rowid, title, text) SELECT a.rowid, a.title, a.text"
                   " FROM articles_fts_queue q JOIN articles a ON a.rowid = q.article ORDER BY q.article")
        db.execute("DELETE FROM articles_fts_queue")


def _columns(db: sqlite3.Connection) -> dict[str, set[str]]:
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                       " AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts_%'")]
    return {t: {r[1] for r in db.execute(f'PRAGMA table_info("{t}")')} for t in tables}


def check_schema(db: sqlite3.Connection, path: str) -> None:
    """Refuse a store whose tables lack a column this version reads: it was changed by hand or by
    another tool, and reading it would fail half-way with an obscure error."""
    global _EXPECTED
    if _EXPECTED is None:
        mem = sqlite3.connect(":memory:", isolation_level=None)
        migrate(mem)
        _EXPECTED = _columns(mem)
        mem.close()
    have = _columns(db)
    for table, cols in sorted(_EXPECTED.items()):
        if table not in have:   # readers treat an absent table as empty (a store cut down by hand)
            continue
        missing = sorted(cols - have[table])
        if missing:
            raise StoreError(f"{path}: table {table!r} lacks the column(s) {', '.join(missing)} this version reads "
                             "(renamed or dropped by hand or by another tool?); restore a backup, or rename them back")


_ALIAS_TABLES = {"story": "story_aliases", "fact": "fact_aliases"}
#: The table of live ids for each kind of alias.
_LIVE_TABLES = {"story": "stories", "fact": "facts"}


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _date(v: str | None) -> dt.date | None:
    if not v:
        return None
    try:
        return dt.date.fromisoformat(v[:10])
    except ValueError:
        return None


class Store:
    """A scamtrace SQLite database file.

    >>> store = Store(":memory:")
    >>> store.count_articles()
    0
    """

    def __init__(self, path: str | Path, *, readonly: bool = False, check: bool = False):
        """Open the store at ``path``: read-write (created and migrated when needed), or, with
        ``readonly``, without ever writing (a read-only file or folder works).

        ``check`` runs ``PRAGMA quick_check`` first (every page read once), so a damaged store is
        refused before anything is written into it. Every refusal is a :class:`StoreError` whose
        one line says what to do: a store from a newer scamtrace, one whose tables lack columns this
        version reads, a damaged one, or a folder that cannot be written.
        """
        self.path = str(path)
        self.readonly = readonly
        memory = self.path == ":memory:"
        try:
            if readonly:
                self.db = _connect_readonly(self.path)
            else:
                if not memory:
                    _make_parent(self.path)
                self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: cannot open the store ({e}); check the path and its permissions") from e
        self.db.row_factory = sqlite3.Row
        try:
            self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.db.execute("PRAGMA foreign_keys = ON")
            if check and not memory:
                _quick_check(self.db, self.path)
            if readonly:
                names = recorded(self.db)
                refuse_newer(names)
                if pending(names):
                    raise StoreNeedsUpgrade(f"{self.path}: the store is from an older scamtrace and must be upgraded "
                                     "before it can be read; run any writing command on it once (e.g. "
                                     "`scamtrace --db PATH analyze`), or open a writable copy")
            else:
                _use_wal(self.db)
                self.db.execute("PRAGMA synchronous = NORMAL")
                migrate(self.db)
                if self.db.execute(_QUEUED).fetchone():   # rows another program inserted without Store.write
                    with self.write():
                        pass
            check_schema(self.db, self.path)
        except NewerStore as e:
            self.db.close()
            raise StoreError(f"{self.path}: {e}") from e
        except StoreError:
            self.db.close()
            raise
        except sqlite3.OperationalError as e:
            self.db.close()
            if "readonly" in str(e) or "read-only" in str(e):
                raise StoreError(f"{self.path}: the store (or its folder) is read-only ({e}); commands that only "
                                 "read work on it, writing ones need a writable copy") from e
            raise StoreError(f"{self.path}: cannot use the store ({e}); check the path and its permissions") from e
        except sqlite3.DatabaseError as e:
            self.db.close()
            if not is_damage(e):
                raise StoreError(f"{self.path}: cannot use the store ({e}); check the path") from e
            raise StoreError(damaged_message(self.path, e)) from e

    # -- transactions -------------------------------------------------------------------------
    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``): all or nothing."""
        if self.db.in_transaction:   # nested: join the outer transaction
            yield self.db
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
            _index_queued(self.db)
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[Store]:
        """One read transaction: every query inside reads the same snapshot, so a page never mixes
        data from before and after a concurrent write (e.g. ``analyze`` replacing the stories)."""
        if self.db.in_transaction:   # nested: already one snapshot
            yield self
            return
        self.db.execute("BEGIN")
        try:
            yield self
        finally:
            if self.db.in_transaction:
                self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- articles -------------------------------------------------------------------------------
    def put_article(self, art: Article, *, fmt: str, body: str, extra: dict | None = None,
                    extra_json: str | None = None) -> PutStatus:
        """Insert or refresh an article; returns a :class:`PutStatus`. ``extra_json``, when given, is
        ``json.dumps(extra, default=str)`` made already (cleaning checks that ``extra`` serialises).

        Same id and same raw body: SAME (idempotent re-ingest, nothing rewritten unless the
        cleaner changed: UPDATED). Same id, different raw body: the first stays and the newcomer is
        kept in ``conflicts`` (CONFLICT), never overwritten silently, unless the stored article is a
        feed entry's summary (its page could not be fetched) and the newcomer is that entry's page:
        the page replaces the summary (UPDATED, analysed again).
        """
        with self.write() as db:
            row = db.execute("SELECT raw_hash, cleaner, text FROM articles WHERE id = ?", (art.id,)).fetchone()
            if row is not None and row["raw_hash"] != art.raw_hash and self._completes_summary(art.id, extra, extra_json):
                db.execute("UPDATE raw_docs SET fmt = ?, body = ?, raw_hash = ?, extra = ? WHERE article = ?",
                           (fmt, body, art.raw_hash or "",
                            json.dumps(extra or {}, default=str) if extra_json is None else extra_json, art.id))
            elif row is not None and row["raw_hash"] != art.raw_hash:
                db.execute(
                    "INSERT OR IGNORE INTO conflicts(article, source, raw_hash, body, at) VALUES (?,?,?,?,?)",
                    (art.id, art.source, art.raw_hash or "", body, _now()),
                )
                return PutStatus.CONFLICT
            if art.outlet:
                db.execute("INSERT OR IGNORE INTO outlets(name, domain) VALUES (?, ?)",
                           (art.outlet, _domain(art.url)))
            values = (
                art.source, art.url, art.outlet, art.title,
                art.published.isoformat() if art.published else None, art.byline, art.dateline,
                art.credit, json.dumps(art.contributors), art.language, int(art.truncated), art.text,
                art.raw_hash, art.cleaner,
            )
            if row is None:
                db.execute(
                    "INSERT INTO articles(source, url, outlet, title, published, byline, dateline, credit,"
                    " contributors, language, truncated, text, raw_hash, cleaner, id, ingested_at)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    values + (art.id, _now()),
                )
                db.execute("INSERT INTO raw_docs(article, fmt, body, raw_hash, extra) VALUES (?,?,?,?,?)",
                           (art.id, fmt, body, art.raw_hash or "",
                            json.dumps(extra or {}, default=str) if extra_json is None else extra_json))
                return PutStatus.NEW
            if row["text"] == art.text and row["cleaner"] == art.cleaner:
                return PutStatus.SAME
            db.execute(
                "UPDATE articles SET source=?, url=?, outlet=?, title=?, published=?, byline=?, dateline=?,"
                " credit=?, contributors=?, language=?, truncated=?, text=?, raw_hash=?, cleaner=?,"
                " analyzed_at=NULL WHERE id=?",
                values + (art.id,),
            )
            return PutStatus.UPDATED

    def _completes_summary(self, article_id: str, extra: dict | None, extra_json: str | None) -> bool:
        """Is the newcomer (its raw ``extra``) the page of the feed entry whose summary is stored under
        ``article_id`` (stored with ``summary_only``: its page could not be fetched then)?"""
        got = self.db.execute("SELECT extra FROM raw_docs WHERE article = ?", (article_id,)).fetchone()
        try:
            stored = json.loads(got["extra"]) if got is not None else {}
            new = extra if extra is not None else json.loads(extra_json or "{}")
        except (TypeError, ValueError):
            return False
        return (isinstance(stored, dict) and isinstance(new, dict) and stored.get("summary_only") is True
                and not new.get("summary_only") and bool(stored.get("entry_id"))
                and stored.get("entry_id") == new.get("entry_id") and stored.get("feed") == new.get("feed"))

    def get_article(self, article_id: str) -> Article:
        row = self.db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFound(f"no article {article_id!r} in {self.path}; list ids with `scamtrace articles`")
        return _article(row)

    def has_article(self, article_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def iter_articles(self, ids: Iterable[str] | None = None) -> Iterator[Article]:
        if ids is None:
            for row in self.db.execute("SELECT * FROM articles ORDER BY published, id"):
                yield _article(row)
            return
        for aid in ids:
            yield self.get_article(aid)

    def list_articles(self, query: str | None = None, limit: int = 50,
                      outlet: str | None = None) -> list[ArticleListing]:
        """Articles, newest first; ``query`` is an FTS5 full-text query over title and text."""
        sql = ("SELECT a.id, a.published, a.outlet, a.title, a.credit, a.truncated, length(a.text) AS chars"
               " FROM articles a")
        args: list[Any] = []
        where = []
        if query:
            sql += " JOIN articles_fts f ON f.rowid = a.rowid"
            where.append("articles_fts MATCH ?")
            args.append(_fts_query(query))
        if outlet:
            where.append("a.outlet = ? COLLATE NOCASE")
            args.append(outlet)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY a.published DESC, a.id LIMIT ?"
        args.append(limit)
        return [cast(ArticleListing, dict(r)) for r in self.db.execute(sql, args)]

    def count_articles(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def raw_doc(self, article_id: str) -> tuple[str, str, dict]:
        row = self.db.execute("SELECT fmt, body, extra FROM raw_docs WHERE article = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFound(f"no raw document for {article_id!r}")
        return row["fmt"], row["body"], json.loads(row["extra"])

    def outlet_article_texts(self, outlet: str) -> Iterator[tuple[str, str]]:
        for r in self.db.execute("SELECT id, text FROM articles WHERE outlet = ? ORDER BY id", (outlet,)):
            yield r["id"], r["text"]

    def other_outlets_with_phrase(self, phrase: str, outlet: str) -> bool:
        """Does an article of another outlet (or of no known outlet) contain ``phrase`` (FTS5 phrase query)?"""
        words = [w for w in phrase.split() if w]
        if not words:
            return False
        q = '"' + " ".join(w.replace('"', "") for w in words) + '"'
        row = self.db.execute(
            "SELECT 1 FROM articles_fts f JOIN articles a ON a.rowid = f.rowid"
            " WHERE articles_fts MATCH ? AND coalesce(a.outlet, '') <> ? LIMIT 1", (q, outlet)).fetchone()
        return row is not None

    def unanalyzed_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM articles WHERE analyzed_at IS NULL ORDER BY id")]

    def mark_analyzed(self, ids: Iterable[str]) -> None:
        now = _now()
        with self.write() as db:
            db.executemany("UPDATE articles SET analyzed_at = ? WHERE id = ?", [(now, i) for i in ids])

    # -- boilerplate models ------------------------------------------------------------------------
    def boilerplate_model(self, outlet: str) -> str | None:
        row = self.db.execute("SELECT model FROM boilerplate_models WHERE outlet = ?", (outlet,)).fetchone()
        return row[0] if row else None

    def put_boilerplate_model(self, outlet: str, model_json: str, pages: int) -> None:
        with self.write() as db:
            db.execute("INSERT OR IGNORE INTO outlets(name) VALUES (?)", (outlet,))
            db.execute(
                "INSERT INTO boilerplate_models(outlet, model, pages, updated_at) VALUES (?,?,?,?)"
                " ON CONFLICT(outlet) DO UPDATE SET model=excluded.model, pages=excluded.pages,"
                " updated_at=excluded.updated_at", (outlet, model_json, pages, _now()))

    def outlets_with_pages(self, minimum: int) -> list[tuple[str, int]]:
        """(outlet, its stored articles) of the outlets with at least ``minimum`` (and one) articles, by
        outlet (``outlet_pages``: counts kept by triggers, not a count over every article)."""
        return [(r[0], r[1]) for r in self.db.execute(
            "SELECT outlet, pages FROM outlet_pages WHERE pages > 0 AND pages >= ? ORDER BY outlet", (minimum,))]

    def unlearned_outlets(self, minimum: int) -> list[str]:
        """Outlets with at least ``minimum`` pages whose boilerplate model is missing or was fitted on
        another number of pages: an ingest stored them and stopped before learning from them."""
        return [r[0] for r in self.db.execute(
            "SELECT p.outlet FROM outlet_pages p LEFT JOIN boilerplate_models b ON b.outlet = p.outlet"
            " WHERE p.pages > 0 AND p.pages >= ? AND (b.pages IS NULL OR b.pages <> p.pages) ORDER BY p.outlet",
            (minimum,))]

    # -- rejects ----------------------------------------------------------------------------------
    def add_reject(self, rej: Reject) -> None:
        """Record a reject; the same input rejected again for the same reason only refreshes its time."""
        with self.write() as db:
            row = db.execute("SELECT id FROM rejects WHERE source = ? AND stage = ? AND reason = ?",
                             (rej.source, rej.stage, rej.reason)).fetchone()
            if row is not None:
                db.execute("UPDATE rejects SET at = ?, detail = ? WHERE id = ?", (_now(), rej.detail, row[0]))
                return
            db.execute("INSERT INTO rejects(source, stage, reason, detail, at) VALUES (?,?,?,?,?)",
                       (rej.source, rej.stage, rej.reason, rej.detail, _now()))

    def rejects(self, limit: int = 1000) -> list[RejectRow]:
        """The newest ``limit`` rejects, newest first."""
        return [cast(RejectRow, dict(r)) for r in self.db.execute(
            "SELECT id, at, stage, source, reason FROM rejects ORDER BY id DESC LIMIT ?", (limit,))]

    def count_rejects(self) -> int:
        return self.db.execute("SELECT count(*) FROM rejects").fetchone()[0]

    def conflicts(self) -> list[ConflictRow]:
        return [cast(ConflictRow, dict(r)) for r in self.db.execute("SELECT id, article, source, raw_hash, at FROM conflicts ORDER BY id")]

    # -- copy index ------------------------------------------------------------------------------
    def copy_signature_rows(self, algorithm: str) -> Iterator[tuple[str, dict[str, bytes]]]:
        """The stored copy index (``copy_signatures``): each article's signature per index, in the
        order the rows were written; rows signed with another algorithm are left out."""
        for r in self.db.execute("SELECT article, shingle, stopword, facts FROM copy_signatures"
                                 " WHERE algorithm = ? ORDER BY rowid", (algorithm,)):
            yield r[0], {"shingle": bytes(r[1]), "stopword": bytes(r[2]), "facts": bytes(r[3])}

    def outlet_names(self) -> list[str]:
        """Every outlet name an article was stored with (the ``outlets`` table), sorted."""
        return [r[0] for r in self.db.execute("SELECT name FROM outlets ORDER BY name")]

    def outlet_articles(self, outlets: Sequence[str], other_than: str | None = None) -> list[tuple[str, str, str]]:
        """(id, outlet, language) of the articles of ``outlets`` whose language is known, and not
        ``other_than`` when given (the cross-language channel's partners of a batch in one language)."""
        out: list[tuple[str, str, str]] = []
        for i in range(0, len(outlets), IN_CHUNK):
            part = list(outlets[i:i + IN_CHUNK])
            sql = (f"SELECT id, outlet, language FROM articles WHERE outlet IN ({','.join('?' * len(part))})"
                   " AND language IS NOT NULL" + (" AND language != ?" if other_than is not None else "") + " ORDER BY id")
            out += [(r[0], r[1], r[2]) for r in self.db.execute(sql, (*part, *(() if other_than is None else (other_than,))))]
        return out

    def unsigned_article_ids(self, algorithm: str) -> list[str]:
        """The articles without a ``copy_signatures`` row signed with ``algorithm``, sorted."""
        return [r[0] for r in self.db.execute(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article FROM copy_signatures WHERE algorithm = ?)"
            " ORDER BY id", (algorithm,))]

    def put_copy_signatures(self, rows: Iterable[tuple[str, Mapping[str, bytes]]], algorithm: str,
                            replace_all: bool = False) -> None:
        """Write the copy index rows of some articles (a row already stored for one is replaced and
        moves to the end); ``replace_all`` first drops every row (a full rebuild). One transaction."""
        with self.write() as db:
            if replace_all:
                db.execute("DELETE FROM copy_signatures")
            for aid, sig in rows:
                db.execute("DELETE FROM copy_signatures WHERE article = ?", (aid,))
                db.execute("INSERT INTO copy_signatures(article, algorithm, shingle, stopword, facts)"
                           " VALUES (?,?,?,?,?)", (aid, algorithm, sig["shingle"], sig["stopword"], sig["facts"]))

    def article_meta(self) -> dict[str, Article]:
        """Every article without its text (ids, dates, credits, language): enough to build families.
        Read once a run over the whole store: from the covering index ``idx_articles_meta`` as plain
        tuples, each distinct date parsed once."""
        cur = self.db.cursor()
        cur.row_factory = None
        days: dict[str | None, dt.date | None] = {}
        out = {}
        for aid, source, url, outlet, title, published, dateline, credit, language, truncated in cur.execute(
                "SELECT id, source, url, outlet, title, published, dateline, credit, language, truncated"
                " FROM articles ORDER BY id"):
            if published in days:
                day = days[published]
            else:
                day = days[published] = _date(published)
            out[aid] = Article(id=aid, source=source, text="", url=url, outlet=outlet, title=title,
                               published=day, dateline=dateline, credit=credit, language=language,
                               truncated=bool(truncated))
        return out

    # -- links, families, judgements -----------------------------------------------------------------
    def put_links(self, links: Iterable[Link], *, replace_for: Iterable[str] = ()) -> None:
        """Store links; first delete the unjudged links touching the articles in ``replace_for``."""
        with self.write() as db:
            for aid in replace_for:
                db.execute("DELETE FROM links WHERE (article = ? OR source = ? OR sibling = ?)",
                           (aid, aid, aid))
            for ln in links:
                db.execute(
                    "INSERT INTO links(article, source, sibling, other, relation, score, algorithm, evidence, judged)"
                    " VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(article, other) DO UPDATE SET"
                    " relation=excluded.relation, score=excluded.score, algorithm=excluded.algorithm,"
                    " evidence=excluded.evidence, judged=excluded.judged",
                    (ln.article, ln.source, ln.sibling, ln.source or ln.sibling, ln.relation, ln.score, ln.algorithm,
                     json.dumps(ln.evidence, default=str), int(bool(ln.evidence.get("judged")))))

    def links(self, article_id: str | None = None) -> list[Link]:
        sql = ("SELECT l.*, fm.family AS family, f.origin_credit AS origin_credit FROM links l"
               " LEFT JOIN family_members fm ON fm.article = l.article LEFT JOIN families f ON f.id = fm.family")
        args: tuple = ()
        if article_id:
            sql += " WHERE l.article = ? OR l.source = ? OR l.sibling = ?"
            args = (article_id,) * 3
        sql += " ORDER BY l.article, l.other"
        return [_link(r) for r in self.db.execute(sql, args)]

    def links_touching(self, article_ids: Iterable[str]) -> list[Link]:
        """The links that name one of ``article_ids`` at either end, in the order of :meth:`links`
        (without reading every link: the incremental copies stage asks about its neighbourhood)."""
        from .caches import fill_temp_keys

        fill_temp_keys(self, "want_links", "id", ((a,) for a in article_ids))
        rows = self.db.execute(
            "SELECT l.*, fm.family AS family, f.origin_credit AS origin_credit FROM links l"
            " LEFT JOIN family_members fm ON fm.article = l.article LEFT JOIN families f ON f.id = fm.family"
            " WHERE l.article IN (SELECT id FROM temp.want_links) OR l.source IN (SELECT id FROM temp.want_links)"
            " OR l.sibling IN (SELECT id FROM temp.want_links) ORDER BY l.article, l.other").fetchall()
        return [_link(r) for r in rows]

    def replace_families(self, families: Iterable[Family], of: Iterable[str] | None = None) -> None:
        """Replace every family by ``families``; with ``of`` (article ids), only the families holding
        one of those articles (the incremental copies stage rebuilds whole families)."""
        with self.write() as db:
            if of is None:
                db.execute("DELETE FROM family_members")
                db.execute("DELETE FROM families")
            else:
                ids = sorted(of)
                old = {r[0] for r in select_in(db, "SELECT family FROM family_members WHERE article IN ({})", ids)}
                for fid in sorted(old):
                    db.execute("DELETE FROM family_members WHERE family = ?", (fid,))
                    db.execute("DELETE FROM families WHERE id = ?", (fid,))
            for fam in families:
                db.execute("INSERT INTO families(id, origin, origin_credit, size, algorithm) VALUES (?,?,?,?,?)",
                           (fam.id, fam.origin, fam.origin_credit, len(fam.members), fam.algorithm))
                db.executemany("INSERT INTO family_members(article, family) VALUES (?, ?)",
                               [(m, fam.id) for m in fam.members])

    def families(self, min_size: int = 1) -> list[Family]:
        cur = self.db.cursor()
        cur.row_factory = None   # plain tuples: read once a run over the whole store
        fams = {fid: Family(id=fid, members=[], origin=origin, origin_credit=credit, algorithm=algorithm)
                for fid, origin, credit, algorithm in cur.execute(
                    "SELECT id, origin, origin_credit, algorithm FROM families WHERE size >= ? ORDER BY id", (min_size,))}
        for article, family in cur.execute("SELECT article, family FROM family_members ORDER BY family, article"):
            fam = fams.get(family)
            if fam is not None:
                fam.members.append(article)
        return list(fams.values())

    def family_of(self, article_id: str) -> str | None:
        row = self.db.execute("SELECT family FROM family_members WHERE article = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def add_judgement(self, a: str, b: str, decision: str, note: str | None = None, kind: str = "copy") -> None:
        for x in (a, b):
            if kind == "copy" and not self.has_article(x):
                raise NotFound(f"no article {x!r} in {self.path}; list ids with `scamtrace articles`")
        a, b = sorted((a, b))
        with self.write() as db:
            db.execute(
                "INSERT INTO judgements(a, b, kind, decision, note, at) VALUES (?,?,?,?,?,?)"
                " ON CONFLICT(kind, a, b) DO UPDATE SET decision=excluded.decision, note=excluded.note, at=excluded.at",
                (a, b, kind, decision, note, _now()))
            # the judged pair must be re-examined by the next analyze
            db.execute("UPDATE articles SET analyzed_at = NULL WHERE id IN (?, ?)", (a, b))

    def judgements(self, kind: str = "copy") -> list[tuple[str, str, str]]:
        return [(r["a"], r["b"], r["decision"]) for r in self.db.execute(
            "SELECT a, b, decision FROM judgements WHERE kind = ? ORDER BY id", (kind,))]

    def put_spin_score(self, article_id: str, score: float, algorithm: str, evidence: dict) -> None:
        with self.write() as db:
            db.execute("INSERT INTO spin_scores(article, score, algorithm, evidence) VALUES (?,?,?,?)"
                       " ON CONFLICT(article) DO UPDATE SET score=excluded.score, algorithm=excluded.algorithm,"
                       " evidence=excluded.evidence", (article_id, score, algorithm, json.dumps(evidence, default=str)))

    def put_spin_scores(self, rows: Iterable[tuple[str, float, dict]], algorithm: str) -> None:
        """:meth:`put_spin_score` for each (article id, score, evidence) of ``rows``, in one transaction."""
        with self.write():
            for article_id, score, evidence in rows:
                self.put_spin_score(article_id, score, algorithm, evidence)

    def spin_scores(self) -> dict[str, tuple[float, dict]]:
        return {r["article"]: (r["score"], json.loads(r["evidence"]))
                for r in self.db.execute("SELECT * FROM spin_scores")}

    # -- stories ----------------------------------------------------------------------------------
    def replace_stories(self, stories: Iterable[Story]) -> None:
        """Replace every story (records with id, title, first_seen, last_seen, articles, families, evidence).

        A story whose id is kept is updated in place, so its facts and events stay (the knowledge stage
        replaces those of the stories that changed); a story whose id is gone is deleted with them.
        Only the rows that differ from the stored ones are written (issue 17: an incremental run
        changes a few stories of many); the tables end as a rewrite of every row would leave them."""
        stories = list(stories)
        keep = {st.id for st in stories}
        with self.write() as db:
            fam_of = {r[0]: r[1] for r in db.execute("SELECT article, family FROM family_members")}
            old_rows = {r[0]: tuple(r[1:]) for r in db.execute(
                "SELECT id, title, first_seen, last_seen, size, families, algorithm, title_source FROM stories")}
            old_members = {r[0]: tuple(r[1:]) for r in db.execute("SELECT article, story, family, evidence FROM story_members")}
            gone = [i for i in old_rows if i not in keep]
            db.executemany("DELETE FROM stories WHERE id = ?", [(i,) for i in gone])
            _write_story_rows(db, stories, fam_of, old_rows, old_members, every_member=True)

    def update_stories(self, stories: Iterable[Story], gone: Iterable[str]) -> None:
        """Write ``stories`` as :meth:`replace_stories` writes each story, delete the stories ``gone``
        (with their facts) and leave every other stored story as it is (an incremental run that changed
        these stories only: ``stories.warm-v2``). Only the rows that differ are written."""
        stories = list(stories)
        arts = [a for st in stories for a in st.articles]
        with self.write() as db:
            fam_of = {r[0]: r[1] for r in select_in(db, "SELECT article, family FROM family_members WHERE article IN ({})",
                                                    arts)}
            old_rows = {r[0]: tuple(r[1:]) for r in select_in(
                db, "SELECT id, title, first_seen, last_seen, size, families, algorithm, title_source FROM stories"
                " WHERE id IN ({})",
                [st.id for st in stories])}
            old_members = {r[0]: tuple(r[1:]) for r in select_in(
                db, "SELECT article, story, family, evidence FROM story_members WHERE article IN ({})", arts)}
            db.executemany("DELETE FROM stories WHERE id = ?", [(i,) for i in gone])
            _write_story_rows(db, stories, fam_of, old_rows, old_members, every_member=False)

    def stories(self, limit: int = 1000, query: str | None = None) -> list[StoryListing]:
        """Stories, most independent sources first (or those whose articles match the FTS5 ``query``),
        with their article and family ids."""
        sql = "SELECT s.* FROM stories s"
        args: list[Any] = []
        if query:
            sql += (" WHERE s.id IN (SELECT sm.story FROM story_members sm JOIN articles a ON a.id = sm.article"
                    " JOIN articles_fts f ON f.rowid = a.rowid WHERE articles_fts MATCH ?)")
            args.append(_fts_query(query))
        sql += " ORDER BY s.families DESC, s.last_seen DESC, s.id LIMIT ?"
        args.append(limit)
        out = []
        for r in self.db.execute(sql, args):
            d = dict(r)
            d["articles"] = [x[0] for x in self.db.execute(
                "SELECT sm.article FROM story_members sm JOIN articles a ON a.id = sm.article WHERE sm.story = ?"
                " ORDER BY a.published, a.id", (r["id"],))]
            d["family_ids"] = sorted({x[0] for x in self.db.execute(
                "SELECT family FROM story_members WHERE story = ? AND family IS NOT NULL", (r["id"],))})
            out.append(cast(StoryListing, d))
        return out

    def story_of(self, article_id: str) -> str | None:
        row = self.db.execute("SELECT story FROM story_members WHERE article = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def replace_threads(self, places: Iterable[ThreadPlace]) -> None:
        """Replace every thread place (records with story, thread, position, algorithm, evidence)."""
        with self.write() as db:
            db.execute("DELETE FROM story_threads")
            db.executemany("INSERT INTO story_threads(story, thread, position, evidence, algorithm) VALUES (?,?,?,?,?)",
                           [(p.story, p.thread, p.position, json.dumps(p.evidence, default=str), p.algorithm)
                            for p in places])

    def update_threads(self, places: Iterable[ThreadPlace], within: Iterable[str] | None = None) -> None:
        """Store every thread place (as :meth:`replace_threads`), writing only the rows that differ
        from the stored ones: the table ends exactly as :meth:`replace_threads` leaves it. With
        ``within``, ``places`` are the places of those stories only (a story of ``within`` without one
        has none now), and every other stored place is left as it is."""
        rows = {p.story: (p.thread, p.position, json.dumps(p.evidence, default=str), p.algorithm) for p in places}
        with self.write() as db:
            sql = "SELECT story, thread, position, evidence, algorithm FROM story_threads"
            old = {r[0]: tuple(r[1:]) for r in (db.execute(sql) if within is None else
                                                select_in(db, sql + " WHERE story IN ({})", sorted(within)))}
            db.executemany("DELETE FROM story_threads WHERE story = ?", [(s,) for s in old if s not in rows])
            db.executemany("INSERT OR REPLACE INTO story_threads(story, thread, position, evidence, algorithm)"
                           " VALUES (?,?,?,?,?)", [(s, *r) for s, r in rows.items() if old.get(s) != r])

    def threads(self, story: str | None = None) -> list[ThreadRow]:
        """Thread places in thread and date order, with each story's title and dates; only the thread
        of ``story`` when given."""
        sql = ("SELECT t.thread, t.position, t.story, t.evidence, t.algorithm, s.title, s.title_source, s.first_seen, s.last_seen,"
               " s.size FROM story_threads t JOIN stories s ON s.id = t.story")
        args: tuple = ()
        if story:
            sql += " WHERE t.thread = (SELECT thread FROM story_threads WHERE story = ?)"
            args = (story,)
        out: list[ThreadRow] = []
        for r in self.db.execute(sql + " ORDER BY t.thread, t.position", args):
            d = dict(r)
            d["evidence"] = json.loads(d["evidence"])
            out.append(cast(ThreadRow, d))
        return out

    def story_membership(self) -> dict[str, list[str]]:
        """Every stored story id -> its article ids."""
        out: dict[str, list[str]] = {}
        for r in self.db.execute("SELECT story, article FROM story_members ORDER BY story, article"):
            out.setdefault(r[0], []).append(r[1])
        return out

    def alias_ids(self, kind: str) -> set[str]:
        """Every id ever retired as an alias (``kind`` "story" or "fact")."""
        return {r[0] for r in self.db.execute(f"SELECT old FROM {_ALIAS_TABLES[kind]}")}

    def put_aliases(self, kind: str, aliases: Iterable[Any], made_live: Iterable[str] | None = None) -> None:
        """Record retired ids (records with old, new, reason); earlier aliases pointing at a retired id
        now point at its successor, and a live id is never an alias.

        ``made_live``, when given, names every id made live since the last call, written in the
        transaction that holds this call (so at every commit no alias is live): only those ids and the
        aliases' own old ids are looked up among the live ids, instead of every live id being read
        (``knowledge.build`` writes the facts of a few stories)."""
        table = _ALIAS_TABLES[kind]
        live = _LIVE_TABLES[kind]
        aliases = list(aliases)
        with self.write() as db:
            for a in aliases:
                db.execute(f"INSERT INTO {table}(old, new, reason, at) VALUES (?,?,?,?) ON CONFLICT(old) DO UPDATE"
                           " SET new = excluded.new, reason = excluded.reason, at = excluded.at",
                           (a.old, a.new, a.reason, _now()))
                db.execute(f"UPDATE {table} SET new = ? WHERE new = ?", (a.new, a.old))
            if made_live is None:
                db.execute(f"DELETE FROM {table} WHERE old IN (SELECT id FROM {live})")
            else:
                db.executemany(f"DELETE FROM {table} WHERE old = ? AND EXISTS (SELECT 1 FROM {live} WHERE id = ?)",
                               ((x, x) for x in sorted({*made_live, *(a.old for a in aliases)})))

    def resolve_id(self, kind: str, some_id: str) -> str | None:
        """The id that ``some_id`` names now: itself while it is live, else its successor (following
        aliases left by merges and splits), None when it never existed or its articles are gone."""
        table = _ALIAS_TABLES[kind]
        live = _LIVE_TABLES[kind]
        seen: set[str] = set()
        cur = some_id
        while cur not in seen:
            if self.db.execute(f"SELECT 1 FROM {live} WHERE id = ?", (cur,)).fetchone():
                return cur
            seen.add(cur)
            row = self.db.execute(f"SELECT new FROM {table} WHERE old = ?", (cur,)).fetchone()
            if not row:
                return None
            cur = row[0]
        return None

    # -- runs, feed state ------------------------------------------------------------------------
    def start_run(self, stage: str, algorithm: str | None = None) -> int:
        with self.write() as db:
            cur = db.execute("INSERT INTO runs(stage, algorithm, started_at) VALUES (?,?,?)", (stage, algorithm, _now()))
            assert cur.lastrowid is not None   # an INSERT into a rowid table always sets it
            return cur.lastrowid

    def finish_run(self, run_id: int, stats: dict) -> None:
        with self.write() as db:
            db.execute("UPDATE runs SET finished_at = ?, stats = ? WHERE id = ?",
                       (_now(), json.dumps(stats, default=str), run_id))

    def feed_state(self) -> "FeedState":
        return FeedState(self)

    def execute(self, sql: str, args: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """Read-only helper for ad-hoc queries (reports, tests)."""
        return list(self.db.execute(sql, tuple(args)))


class FeedState(MutableMapping[str, dict]):
    """``watch`` state per source URL (ETag, Last-Modified, seen entries, failures) kept in SQLite."""

    def __init__(self, store: Store):
        self.store = store

    def __getitem__(self, url: str) -> dict:
        row = self.store.db.execute("SELECT state FROM feed_state WHERE url = ?", (url,)).fetchone()
        if row is None:
            raise KeyError(url)
        return json.loads(row[0])

    def __setitem__(self, url: str, value: dict) -> None:
        with self.store.write() as db:
            db.execute("INSERT INTO feed_state(url, state) VALUES (?, ?) ON CONFLICT(url) DO UPDATE SET state=excluded.state",
                       (url, json.dumps(value, default=str)))

    def __delitem__(self, url: str) -> None:
        with self.store.write() as db:
            db.execute("DELETE FROM feed_state WHERE url = ?", (url,))

    def __iter__(self) -> Iterator[str]:
        return iter([r[0] for r in self.store.db.execute("SELECT url FROM feed_state ORDER BY url")])

    def __len__(self) -> int:
        return self.store.db.execute("SELECT count(*) FROM feed_state").fetchone()[0]


def _link(r: sqlite3.Row) -> Link:
    return Link(article=r["article"], source=r["source"], relation=r["relation"], score=r["score"],
                algorithm=r["algorithm"], evidence=json.loads(r["evidence"]), sibling=r["sibling"],
                family=r["family"], origin_credit=r["origin_credit"])


def _article(row: sqlite3.Row) -> Article:
    return Article(
        id=row["id"], source=row["source"], text=row["text"], url=row["url"], outlet=row["outlet"],
        title=row["title"], published=_date(row["published"]), byline=row["byline"],
        dateline=row["dateline"], credit=row["credit"], contributors=json.loads(row["contributors"] or "[]"),
        language=row["language"], truncated=bool(row["truncated"]), raw_hash=row["raw_hash"],
        cleaner=row["cleaner"],
    )


def _domain(url: str | None) -> str | None:
    if not url:
        return None
    from urllib.parse import urlsplit
    return urlsplit(url).hostname


def _fts_query(q: str) -> str:
    """Quote each word so user input is never parsed as FTS5 syntax (no injection, no syntax errors)."""
    import re
    words = re.findall(r"\w+", q)
    return " ".join('"' + w.replace('"', '') + '"' for w in words) or '""'


#: Keys bound in one ``IN (...)`` list (SQLite allows 999 parameters in older builds).
IN_CHUNK = 500


def select_in(db: sqlite3.Connection, sql: str, keys: Sequence[Any]) -> list[sqlite3.Row]:
    """The rows of ``sql``, whose ``{}`` is the placeholder list of an ``IN (...)``, for every key of ``keys``:
    one query per :data:`IN_CHUNK` keys, their rows in the order of the chunks (each ordered as ``sql`` says)."""
    out: list[sqlite3.Row] = []
    for i in range(0, len(keys), IN_CHUNK):
        part = keys[i:i + IN_CHUNK]
        out += db.execute(sql.format(",".join("?" * len(part))), tuple(part)).fetchall()
    return out


def _write_story_rows(db: sqlite3.Connection, stories: list[Story], fam_of: dict[str, Any],
                      old_rows: dict[str, tuple], old_members: dict[str, tuple], *, every_member: bool) -> None:
    """Write the ``stories`` and ``story_members`` rows of ``stories`` that differ from the stored ones
    (``old_rows``, ``old_members``). ``every_member``: ``old_members`` holds every stored member (a full
    rewrite), so members of no story are deleted too; else only the members of ``stories`` are touched."""
    new_rows: list[tuple] = []
    members: dict[str, tuple] = {}
    for st in stories:
        row = (st.title, st.first_seen.isoformat() if st.first_seen else None,
               st.last_seen.isoformat() if st.last_seen else None, len(st.articles), len(st.families), st.algorithm,
               (st.title_source or HEADLINE_SOURCE) if st.title else None)   # a title given without a source is a headline
        if old_rows.get(st.id) != row:
            new_rows.append((st.id, *row))
        ev_of = {ev.get("family"): ev for ev in st.evidence}
        for aid in st.articles:
            fam = fam_of.get(aid)
            members[aid] = (st.id, fam, json.dumps(ev_of.get(fam) or {}, default=str))
    db.executemany("INSERT INTO stories(id, title, first_seen, last_seen, size, families, algorithm, title_source)"
                   " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET title=excluded.title,"
                   " first_seen=excluded.first_seen, last_seen=excluded.last_seen, size=excluded.size,"
                   " families=excluded.families, algorithm=excluded.algorithm, title_source=excluded.title_source",
                   new_rows)
    changed = ([a for a, row in old_members.items() if members.get(a) != row] if every_member
               else [a for a, row in members.items() if old_members.get(a) != row])
    db.executemany("DELETE FROM story_members WHERE article = ?", [(a,) for a in changed])
    db.executemany("INSERT INTO story_members(article, story, family, evidence) VALUES (?,?,?,?)",
                   [(a, *row) for a, row in members.items() if old_members.get(a) != row])
