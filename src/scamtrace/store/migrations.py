"""Named, transactional schema migrations, recorded in ``_migrations``.

Each migration runs once, inside its own transaction; a failure rolls it back and raises
:class:`~scamtrace.errors.MigrationError`, leaving the store at the last applied migration.
New schema changes are appended as new functions; an applied migration is never edited.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Callable

from ..errors import MigrationError

Migration = Callable[[], str]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(name: str) -> Callable[[Migration], Migration]:
    def register(fn: Migration) -> Migration:
        if any(n == name for n, _ in MIGRATIONS):
            raise ValueError(f"duplicate migration name {name!r}")
        MIGRATIONS.append((name, fn))
        return fn

    return register


@migration("0001_articles")
def _m0001() -> str:
    return (
        """
        CREATE TABLE outlets (
            name TEXT PRIMARY KEY,
            domain TEXT
        );
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            url TEXT,
            outlet TEXT REFERENCES outlets(name),
            title TEXT,
            published TEXT,
            byline TEXT,
            dateline TEXT,
            credit TEXT,
            contributors TEXT NOT NULL DEFAULT '[]',
            language TEXT,
            truncated INTEGER NOT NULL DEFAULT 0 CHECK (truncated IN (0, 1)),
            text TEXT NOT NULL,
            raw_hash TEXT,
            cleaner TEXT,
            ingested_at TEXT NOT NULL,
            analyzed_at TEXT
        );
        CREATE INDEX idx_articles_outlet ON articles(outlet);
        CREATE INDEX idx_articles_published ON articles(published);
        CREATE INDEX idx_articles_url ON articles(url);
        CREATE INDEX idx_articles_unanalyzed ON articles(analyzed_at) WHERE analyzed_at IS NULL;
        CREATE TABLE raw_docs (
            article TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            fmt TEXT NOT NULL CHECK (fmt IN ('text', 'html')),
            body TEXT NOT NULL,
            raw_hash TEXT NOT NULL,
            extra TEXT NOT NULL DEFAULT '{}'
        );
        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, text, content='articles', content_rowid='rowid', tokenize='porter unicode61'
        );
        CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;
        CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
        END;
        CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;
        CREATE TABLE rejects (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            stage TEXT NOT NULL,
            reason TEXT NOT NULL,
            detail TEXT,
            at TEXT NOT NULL
        );
        CREATE TABLE conflicts (
            id INTEGER PRIMARY KEY,
            article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            source TEXT NOT NULL,
            raw_hash TEXT NOT NULL,
            body TEXT NOT NULL,
            at TEXT NOT NULL,
            UNIQUE (article, raw_hash)
        );
        CREATE TABLE boilerplate_models (
            outlet TEXT PRIMARY KEY REFERENCES outlets(name),
            model TEXT NOT NULL,
            pages INTEGER NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE feed_state (
            url TEXT PRIMARY KEY,
            state TEXT NOT NULL
        );
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            stage TEXT NOT NULL,
            algorithm TEXT,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            stats TEXT NOT NULL DEFAULT '{}'
        );
        """
    )


@migration("0002_copies")
def _m0002() -> str:
    return (
        """
        CREATE TABLE families (
            id TEXT PRIMARY KEY,
            origin TEXT REFERENCES articles(id) ON DELETE SET NULL,
            origin_credit TEXT,
            size INTEGER NOT NULL,
            algorithm TEXT NOT NULL
        );
        CREATE TABLE family_members (
            article TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            family TEXT NOT NULL REFERENCES families(id) ON DELETE CASCADE
        );
        CREATE INDEX idx_family_members_family ON family_members(family);
        CREATE TABLE links (
            article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            source TEXT REFERENCES articles(id) ON DELETE CASCADE,
            sibling TEXT REFERENCES articles(id) ON DELETE CASCADE,
            relation TEXT NOT NULL CHECK (relation IN ('verbatim','truncated','excerpt','spun','rewrite')),
            score REAL NOT NULL,
            algorithm TEXT NOT NULL,
            evidence TEXT NOT NULL DEFAULT '{}',
            judged INTEGER NOT NULL DEFAULT 0,
            other TEXT NOT NULL CHECK (other = coalesce(source, sibling)),
            CHECK ((source IS NULL) <> (sibling IS NULL)),
            PRIMARY KEY (article, other)
        );
        CREATE INDEX idx_links_source ON links(source);
        CREATE INDEX idx_links_sibling ON links(sibling);
        CREATE TABLE judgements (
            id INTEGER PRIMARY KEY,
            a TEXT NOT NULL,
            b TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'copy' CHECK (kind IN ('copy', 'alias')),
            decision TEXT NOT NULL CHECK (decision IN ('copy', 'not-copy', 'same', 'different')),
            note TEXT,
            at TEXT NOT NULL,
            UNIQUE (kind, a, b)
        );
        CREATE TABLE copy_index (
            name TEXT PRIMARY KEY,
            algorithm TEXT NOT NULL,
            articles INTEGER NOT NULL,
            data BLOB NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE spin_scores (
            article TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            score REAL NOT NULL,
            algorithm TEXT NOT NULL,
            evidence TEXT NOT NULL DEFAULT '{}'
        );
        """
    )


def applied(db: sqlite3.Connection) -> list[str]:
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    return [r[0] for r in db.execute("SELECT name FROM _migrations ORDER BY name")]


def recorded(db: sqlite3.Connection) -> list[str] | None:
    """The migrations a store records, without writing (None when it has no ``_migrations`` table)."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_migrations'").fetchone() is None:
        return None
    return [r[0] for r in db.execute("SELECT name FROM _migrations ORDER BY name")]


def unknown(names: list[str]) -> list[str]:
    """Recorded migrations this version of scamtrace does not have: the store is from a newer one."""
    known = {n for n, _ in MIGRATIONS}
    return [n for n in names if n not in known]


def pending(names: list[str] | None) -> list[str]:
    done = set(names or ())
    return [n for n, _ in MIGRATIONS if n not in done]


class NewerStore(MigrationError):
    """The store records migrations this version does not know: it was written by a newer scamtrace."""


def refuse_newer(names: list[str] | None, then: str = "") -> None:
    """Raise :class:`NewerStore` when ``names`` records a migration this version does not know;
    ``then`` ends the message (e.g. what was left unchanged)."""
    newer = unknown(names or [])
    if newer:
        raise NewerStore(f"the store was written by a newer scamtrace (it records migration "
                         f"{newer[-1]}, unknown to this version); upgrade scamtrace to use it{then}")


def statements(script: str) -> list[str]:
    """Split a migration script into complete SQL statements (trigger bodies kept whole)."""
    out: list[str] = []
    buf = ""
    for piece in script.split(";"):
        buf += piece + ";"
        if sqlite3.complete_statement(buf):
            if buf.strip(" \t\r\n;"):
                out.append(buf.strip())
            buf = ""
    if buf.strip(" \t\r\n;"):
        out.append(buf.strip())
    return out


def migrate(db: sqlite3.Connection) -> list[str]:
    """Apply every pending migration in order; return the names applied now.

    Each migration runs in its own ``BEGIN IMMEDIATE`` transaction, which first re-reads
    ``_migrations``: a second process migrating the same new store waits for the write lock, then
    sees the migration applied and skips it (two ``ingest`` runs on a new ``--db`` used to race to
    create the same tables). A store that records a migration this version does not know is from a
    newer scamtrace and is refused with :class:`NewerStore`, unchanged.
    """
    names = recorded(db)
    if names is not None and not pending(names) and not unknown(names):
        return []   # up to date: no write lock taken
    now: list[str] = []
    for name, fn in MIGRATIONS:
        db.execute("BEGIN IMMEDIATE")
        try:
            done = applied(db)
            refuse_newer(done, ". Nothing was changed")
            if name in done:
                db.execute("COMMIT")
                continue
            stamp = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
            for stmt in statements(fn()):
                db.execute(stmt)
            db.execute("INSERT INTO _migrations(name, applied_at) VALUES (?, ?)", (name, stamp))
            db.execute("COMMIT")
        except NewerStore:
            db.execute("ROLLBACK")
            raise
        except sqlite3.Error as e:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise MigrationError(f"migration {name} failed: {e}; the store is left at the previous migration") from e
        now.append(name)
    return now


@migration("0003_stories")
def _m0003() -> str:
    return """
        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            title TEXT,
            first_seen TEXT,
            last_seen TEXT,
            size INTEGER NOT NULL,
            families INTEGER NOT NULL,
            algorithm TEXT NOT NULL
        );
        CREATE TABLE story_members (
            article TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            story TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            family TEXT,
            evidence TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX idx_story_members_story ON story_members(story);
    """


@migration("0004_extraction")
def _m0004() -> str:
    return """
        CREATE TABLE mentions (
            id INTEGER PRIMARY KEY,
            article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            label TEXT NOT NULL,
            canonical TEXT NOT NULL,
            role TEXT,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            source TEXT,
            algorithm TEXT NOT NULL
        );
        CREATE INDEX idx_mentions_article ON mentions(article);
        CREATE INDEX idx_mentions_canonical ON mentions(canonical);
        CREATE TABLE figures (
            id INTEGER PRIMARY KEY,
            article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            value REAL NOT NULL,
            unit TEXT NOT NULL,
            what TEXT NOT NULL,
            action TEXT,
            qualifier TEXT,
            vague_rule TEXT,
            converted_value REAL,
            converted_unit TEXT,
            date TEXT,
            date_precision TEXT,
            place TEXT,
            claimant TEXT,
            text TEXT NOT NULL,
            sentence TEXT NOT NULL,
            sentence_start INTEGER NOT NULL,
            sentence_end INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            algorithm TEXT NOT NULL
        );
        CREATE INDEX idx_figures_article ON figures(article);
        CREATE TABLE quotes (
            id INTEGER PRIMARY KEY,
            article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            quote TEXT NOT NULL,
            speaker TEXT,
            role TEXT,
            sentence TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            attribution TEXT,
            algorithm TEXT NOT NULL
        );
        CREATE INDEX idx_quotes_article ON quotes(article);
        CREATE TABLE date_refs (
            id INTEGER PRIMARY KEY,
            article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            iso_start TEXT,
            iso_end TEXT,
            precision TEXT NOT NULL,
            algorithm TEXT NOT NULL
        );
        CREATE INDEX idx_date_refs_article ON date_refs(article);
        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            type TEXT NOT NULL,
            trigger TEXT NOT NULL,
            date TEXT,
            date_start TEXT,
            date_end TEXT,
            date_precision TEXT,
            date_source TEXT,
            place TEXT,
            hedged INTEGER NOT NULL DEFAULT 0,
            sentence TEXT NOT NULL,
            sentence_start INTEGER NOT NULL,
            sentence_end INTEGER NOT NULL,
            actors TEXT NOT NULL DEFAULT '[]',
            figures TEXT NOT NULL DEFAULT '[]',
            evidence TEXT NOT NULL DEFAULT '{}',
            frame TEXT NOT NULL,
            algorithm TEXT NOT NULL
        );
        CREATE INDEX idx_events_article ON events(article);
        CREATE TABLE facts (
            id TEXT PRIMARY KEY,
            story TEXT REFERENCES stories(id) ON DELETE CASCADE,
            value REAL NOT NULL,
            unit TEXT NOT NULL,
            what TEXT NOT NULL,
            date TEXT,
            place TEXT,
            articles INTEGER NOT NULL,
            independent_sources INTEGER NOT NULL,
            conflict_group TEXT,
            algorithm TEXT NOT NULL
        );
        CREATE INDEX idx_facts_story ON facts(story);
        CREATE TABLE fact_citations (
            fact TEXT NOT NULL REFERENCES facts(id) ON DELETE CASCADE,
            article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            family TEXT NOT NULL,
            sentence TEXT NOT NULL,
            claimant TEXT,
            qualifier TEXT
        );
        CREATE INDEX idx_fact_citations_fact ON fact_citations(fact);
        CREATE TABLE story_events (
            id TEXT PRIMARY KEY,
            story TEXT REFERENCES stories(id) ON DELETE CASCADE,
            type TEXT NOT NULL,
            date TEXT,
            date_start TEXT,
            date_end TEXT,
            date_precision TEXT,
            place TEXT,
            actors TEXT NOT NULL DEFAULT '[]',
            figures TEXT NOT NULL DEFAULT '[]',
            articles INTEGER NOT NULL,
            independent_sources INTEGER NOT NULL,
            hedged INTEGER NOT NULL DEFAULT 0,
            algorithm TEXT NOT NULL
        );
        CREATE INDEX idx_story_events_story ON story_events(story);
        CREATE TABLE story_event_citations (
            event TEXT NOT NULL REFERENCES story_events(id) ON DELETE CASCADE,
            article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            family TEXT NOT NULL,
            mention TEXT NOT NULL,
            sentence TEXT NOT NULL
        );
        CREATE INDEX idx_story_event_citations_event ON story_event_citations(event);
    """


@migration("0005_actors")
def _m0005() -> str:
    return """
        CREATE TABLE actors (
            name TEXT PRIMARY KEY,
            label TEXT NOT NULL,
            mentions INTEGER NOT NULL,
            evidence TEXT NOT NULL DEFAULT '[]',
            algorithm TEXT NOT NULL
        );
        CREATE TABLE actor_aliases (
            alias TEXT PRIMARY KEY,
            actor TEXT NOT NULL REFERENCES actors(name) ON DELETE CASCADE
        );
        CREATE INDEX idx_actor_aliases_actor ON actor_aliases(actor);
    """


@migration("0006_fact_disputes")
def _m0006() -> str:
    # knowledge.figures-v2: a citation counts for the family it was borrowed from (own family kept),
    # and sentences disputing a figure are stored apart from the citations that corroborate it.
    return """
        ALTER TABLE fact_citations ADD COLUMN own_family TEXT;
        ALTER TABLE fact_citations ADD COLUMN borrowed_from TEXT;
        ALTER TABLE fact_citations ADD COLUMN evidence TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE facts ADD COLUMN disputes INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE fact_disputes (
            fact TEXT NOT NULL REFERENCES facts(id) ON DELETE CASCADE,
            article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            family TEXT NOT NULL,
            own_family TEXT,
            sentence TEXT NOT NULL,
            claimant TEXT,
            claimant_source TEXT NOT NULL,
            disputed_claimant TEXT,
            rule TEXT NOT NULL,
            cue TEXT NOT NULL,
            evidence TEXT NOT NULL DEFAULT '{}',
            algorithm TEXT NOT NULL
        );
        CREATE INDEX idx_fact_disputes_fact ON fact_disputes(fact);
        ALTER TABLE story_event_citations ADD COLUMN own_family TEXT;
        ALTER TABLE story_event_citations ADD COLUMN borrowed_from TEXT;
    """


@migration("0007_rejects_dedup")
def _m0007() -> str:
    # a re-ingest of the same bad input refreshes its reject instead of adding a copy
    return """
        CREATE INDEX idx_rejects_source ON rejects(source);
    """


@migration("0008_story_ids_threads")
def _m0008() -> str:
    return """
        CREATE TABLE story_aliases (
            old TEXT PRIMARY KEY,
            new TEXT NOT NULL,
            reason TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE TABLE fact_aliases (
            old TEXT PRIMARY KEY,
            new TEXT NOT NULL,
            reason TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE TABLE story_threads (
            story TEXT PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE,
            thread TEXT NOT NULL,
            position INTEGER NOT NULL,
            evidence TEXT NOT NULL DEFAULT '{}',
            algorithm TEXT NOT NULL
        );
        CREATE INDEX idx_story_threads_thread ON story_threads(thread);
    """


@migration("0009_figure_date_lenders")
def _m0009() -> str:
    # extract.figure-dates-corpus-v1, rule 2: the articles whose dated statement of the same count
    # lent an undated figure its day (a JSON list of article ids; NULL for a figure dated by itself)
    return """
        ALTER TABLE figures ADD COLUMN date_lenders TEXT;
    """


@migration("0010_extraction_marks")
def _m0010() -> str:
    # extract.pool-v1 resumes: an article whose records are stored carries the digest of what they were
    # extracted from (text, reference date, algorithms) until its analyze run finishes; an interrupted
    # run's rerun skips the articles marked with the same digest
    return """
        CREATE TABLE extraction_marks (
            article TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            input TEXT NOT NULL
        );
    """


@migration("0011_copy_signatures")
def _m0011() -> str:
    # issue 17: the copy-candidate index is stored per article (its forward signature in each index),
    # so an analyze writes only the rows of the articles it signs, instead of rewriting one blob of
    # the whole index. The next analyze signs the articles the old blob held (once).
    return """
        CREATE TABLE copy_signatures (
            article TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            algorithm TEXT NOT NULL,
            shingle BLOB NOT NULL,
            stopword BLOB NOT NULL,
            facts BLOB NOT NULL
        );
        DROP TABLE copy_index;
    """


@migration("0012_fts_queue")
def _m0012() -> str:
    # store.fts-queue-v1: a new article's rowid is queued by the insert trigger, and the queue is
    # indexed by one INSERT ... SELECT at the end of the write transaction that stored it
    # (Store.write, before COMMIT), instead of one FTS5 insert per row: FTS5 flushes its pending
    # terms at every savepoint, and put_batch opens one per article, so per-row inserts wrote one
    # index segment per article. The queue and the index change in the same transaction as the
    # articles, so a committed article is always indexed (FTS5 'integrity-check' holds at every
    # commit; tests/test_fts_queue.py). An update or delete of a row still queued leaves the index
    # alone (the row was never indexed; the queue indexes its current values).
    return """
        DROP TRIGGER articles_ai;
        DROP TRIGGER articles_ad;
        DROP TRIGGER articles_au;
        CREATE TABLE articles_fts_queue (
            article INTEGER PRIMARY KEY
        );
        CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
            INSERT OR IGNORE INTO articles_fts_queue(article) VALUES (new.rowid);
        END;
        CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text)
                SELECT 'delete', old.rowid, old.title, old.text
                WHERE NOT EXISTS (SELECT 1 FROM articles_fts_queue WHERE article = old.rowid);
            DELETE FROM articles_fts_queue WHERE article = old.rowid;
        END;
        CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles
        WHEN NOT EXISTS (SELECT 1 FROM articles_fts_queue WHERE article = old.rowid) BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;
    """


@migration("0013_analysis_caches")
def _m0013() -> str:
    # issue 17: an incremental analyze grows with what arrived, not with the store.
    # - article_frames: each article's story frame (content terms and anchors of its title and text,
    #   stories.article-frame-v1), so the stories stage builds frames only for new or changed articles;
    #   a row is dropped when its article's title or text changes.
    # - collocation_*: the spin collocation model's counts (copies.spin: content-word pairs by document
    #   frequency, per head word its most frequent partner and its total), updated with the texts that
    #   arrived instead of refitted on every text. collocation_articles names the articles counted;
    #   when a counted article's text changes or it is deleted, its old text waits in
    #   collocation_retired until the next analyze subtracts its pairs.
    # The next analyze fills both for the articles already stored (once).
    # - idx_figures_value: the incremental repeat-date pass reads the figures sharing a value with the
    #   new articles' figures (without it, a scan of every figure).
    return """
        CREATE TABLE article_frames (
            article TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            algorithm TEXT NOT NULL,
            terms TEXT NOT NULL,
            anchors TEXT NOT NULL
        );
        CREATE TRIGGER article_frames_au AFTER UPDATE OF title, text ON articles
        WHEN old.title IS NOT new.title OR old.text IS NOT new.text BEGIN
            DELETE FROM article_frames WHERE article = old.id;
        END;
        CREATE TABLE collocation_pairs (
            head TEXT NOT NULL,
            partner TEXT NOT NULL,
            df INTEGER NOT NULL,
            PRIMARY KEY (head, partner)
        ) WITHOUT ROWID;
        CREATE TABLE collocation_heads (
            head TEXT PRIMARY KEY,
            best TEXT NOT NULL,
            best_df INTEGER NOT NULL,
            total INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE collocation_articles (
            article TEXT PRIMARY KEY,
            algorithm TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE collocation_retired (
            article TEXT PRIMARY KEY,
            text TEXT NOT NULL
        );
        CREATE TRIGGER collocation_au AFTER UPDATE OF text ON articles WHEN old.text IS NOT new.text BEGIN
            INSERT OR IGNORE INTO collocation_retired(article, text)
                SELECT old.id, old.text WHERE EXISTS (SELECT 1 FROM collocation_articles WHERE article = old.id);
            DELETE FROM collocation_articles WHERE article = old.id;
        END;
        CREATE INDEX idx_figures_value ON figures(value);
        CREATE TRIGGER collocation_bd BEFORE DELETE ON articles BEGIN
            INSERT OR IGNORE INTO collocation_retired(article, text)
                SELECT old.id, old.text WHERE EXISTS (SELECT 1 FROM collocation_articles WHERE article = old.id);
            DELETE FROM collocation_articles WHERE article = old.id;
        END;
    """


@migration("0014_actor_caches")
def _m0014() -> str:
    # issue 17: actor resolution in an incremental analyze reads only the names it can change.
    # - mention_counts: how many mentions carry each (canonical name, label), kept by triggers on
    #   mentions (insert, delete, also by a deleted article's cascade, and a renamed mention), instead
    #   of a GROUP BY over every mention at each run;
    # - actor_names_changed: the names whose counts changed since the actors were last resolved
    #   (the triggers queue them; knowledge.build empties the queue after writing the actors). Filled
    #   here with every stored name, so the first analyze after the upgrade resolves every actor once;
    # - actor_name_blocks: each name's folded prefix (knowledge.actors.BLOCK_PREFIX letters of
    #   actors.fold, computed in Python, so written by knowledge.build for the names it is given): the
    #   names of one block are read by an indexed query.
    return """
        CREATE TABLE mention_counts (
            canonical TEXT NOT NULL,
            label TEXT NOT NULL,
            n INTEGER NOT NULL,
            PRIMARY KEY (canonical, label)
        ) WITHOUT ROWID;
        INSERT INTO mention_counts(canonical, label, n)
            SELECT canonical, label, COUNT(*) FROM mentions GROUP BY canonical, label;
        CREATE TABLE actor_names_changed (
            name TEXT PRIMARY KEY
        ) WITHOUT ROWID;
        INSERT INTO actor_names_changed(name) SELECT DISTINCT canonical FROM mentions;
        CREATE TABLE actor_name_blocks (
            name TEXT PRIMARY KEY,
            prefix TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX idx_actor_name_blocks_prefix ON actor_name_blocks(prefix);
        CREATE TRIGGER mention_counts_ai AFTER INSERT ON mentions BEGIN
            INSERT INTO mention_counts(canonical, label, n) VALUES (new.canonical, new.label, 1)
                ON CONFLICT(canonical, label) DO UPDATE SET n = n + 1;
            INSERT OR IGNORE INTO actor_names_changed(name) VALUES (new.canonical);
        END;
        CREATE TRIGGER mention_counts_ad AFTER DELETE ON mentions BEGIN
            UPDATE mention_counts SET n = n - 1 WHERE canonical = old.canonical AND label = old.label;
            DELETE FROM mention_counts WHERE canonical = old.canonical AND label = old.label AND n <= 0;
            INSERT OR IGNORE INTO actor_names_changed(name) VALUES (old.canonical);
        END;
        CREATE TRIGGER mention_counts_au AFTER UPDATE OF canonical, label ON mentions
        WHEN old.canonical IS NOT new.canonical OR old.label IS NOT new.label BEGIN
            UPDATE mention_counts SET n = n - 1 WHERE canonical = old.canonical AND label = old.label;
            DELETE FROM mention_counts WHERE canonical = old.canonical AND label = old.label AND n <= 0;
            INSERT INTO mention_counts(canonical, label, n) VALUES (new.canonical, new.label, 1)
                ON CONFLICT(canonical, label) DO UPDATE SET n = n + 1;
            INSERT OR IGNORE INTO actor_names_changed(name) VALUES (old.canonical);
            INSERT OR IGNORE INTO actor_names_changed(name) VALUES (new.canonical);
        END;
    """


@migration("0015_boilerplate_counts")
def _m0015() -> str:
    # issue 17: relearning an outlet's boilerplate at ingest reads the counts of its lines instead of
    # every stored text of the outlet (clean.boilerplate-relearn-v3).
    # - boilerplate_pages: per outlet, each distinct text (its digest) and how many articles have it;
    # - boilerplate_keys: per outlet, each learnable line (clean.learned.page_keys) and on how many of
    #   its distinct texts it is;
    # - boilerplate_counted: the articles counted (under their outlet); when a counted article's text
    #   or outlet changes or it is deleted, its old text waits in boilerplate_retired until the next
    #   relearn subtracts it. The next ingest counts the articles already stored (once).
    return """
        CREATE TABLE boilerplate_pages (
            outlet TEXT NOT NULL,
            digest TEXT NOT NULL,
            refs INTEGER NOT NULL,
            PRIMARY KEY (outlet, digest)
        ) WITHOUT ROWID;
        CREATE TABLE boilerplate_keys (
            outlet TEXT NOT NULL,
            key TEXT NOT NULL,
            pages INTEGER NOT NULL,
            PRIMARY KEY (outlet, key)
        ) WITHOUT ROWID;
        CREATE INDEX idx_boilerplate_keys_key ON boilerplate_keys(key);
        CREATE TABLE boilerplate_counted (
            article TEXT PRIMARY KEY,
            outlet TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE boilerplate_retired (
            article TEXT PRIMARY KEY,
            outlet TEXT NOT NULL,
            text TEXT NOT NULL
        );
        CREATE TRIGGER boilerplate_au AFTER UPDATE OF text, outlet ON articles
        WHEN old.text IS NOT new.text OR old.outlet IS NOT new.outlet BEGIN
            INSERT OR IGNORE INTO boilerplate_retired(article, outlet, text)
                SELECT old.id, c.outlet, old.text FROM boilerplate_counted c WHERE c.article = old.id;
            DELETE FROM boilerplate_counted WHERE article = old.id;
        END;
        CREATE TRIGGER boilerplate_bd BEFORE DELETE ON articles BEGIN
            INSERT OR IGNORE INTO boilerplate_retired(article, outlet, text)
                SELECT old.id, c.outlet, old.text FROM boilerplate_counted c WHERE c.article = old.id;
            DELETE FROM boilerplate_counted WHERE article = old.id;
        END;
    """


@migration("0016_ner_units")
def _m0016() -> str:
    # extract.ner-units-v1 (issue 17): spaCy parses each paragraph once; its raw entities are kept by
    # a digest of its text (16 bytes) and the pipeline's tag, so a paragraph a later analyze meets
    # again (a wire copy arriving in a later run, a re-cleaned article, --full) is not parsed again.
    return """
        CREATE TABLE ner_units (
            key BLOB PRIMARY KEY,
            tag TEXT NOT NULL,
            ents TEXT NOT NULL
        ) WITHOUT ROWID;
    """


@migration("0017_story_units")
def _m0017() -> str:
    # stories.warm-v2 (issue 17): the incremental stories path keeps each unit's frame and the corpus
    # statistics it was weighed with, instead of weighing every unit again with today's statistics.
    # - story_stats: what the statistics were counted over and by which algorithm (name -> JSON);
    # - story_idf / story_anchor_idf: term and anchor IDF (the anchors the statistics lacked are
    #   added with the IDF of a new anchor when an incremental run first meets them);
    # - story_units: each unit's (copy family's) members, its blocking keys and its frame
    #   (stories.event.UnitFrame, JSON);
    # - story_thread_frames / story_thread_anchors: each dated story's frame as the threads read it
    #   (stories.threads: centroid terms, anchors, common anchors; its median day; the exact score of
    #   its link) and its specific anchors by day, so an incremental run links again only the stories
    #   a changed story can reach.
    # Written in full by a full clustering (and by the first incremental run after this upgrade),
    # then the units an incremental run places again.
    return """
        CREATE TABLE story_stats (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE story_idf (
            term TEXT PRIMARY KEY,
            idf REAL NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE story_anchor_idf (
            anchor TEXT PRIMARY KEY,
            idf REAL NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE story_units (
            unit TEXT PRIMARY KEY,
            members TEXT NOT NULL,
            keys TEXT NOT NULL,
            frame TEXT NOT NULL
        );
        CREATE TABLE story_thread_frames (
            story TEXT PRIMARY KEY,
            day INTEGER NOT NULL,
            frame TEXT NOT NULL,
            score REAL NOT NULL DEFAULT 0
        );
        CREATE TABLE story_thread_anchors (
            anchor TEXT NOT NULL,
            day INTEGER NOT NULL,
            story TEXT NOT NULL,
            PRIMARY KEY (anchor, day, story)
        ) WITHOUT ROWID;
        CREATE INDEX idx_story_thread_anchors_story ON story_thread_anchors(story);
    """


@migration("0018_copy_postings")
def _m0018() -> str:
    # copies.stored-candidates-v1 (issue 17): the copy-candidate index's postings are kept in the
    # store, so an incremental analyze reads the postings of its new articles' hashes instead of
    # every stored signature. copy_postings holds (index kind, signed hash, copy_signatures rowid)
    # for every row signed with the algorithm named in copy_postings_state; the triggers queue the
    # rows written and deleted since (a deleted row's signatures are copied, as the row is gone), and
    # copies.stored_index brings the postings up to date from the queue before it reads them. With
    # no state row (a store written before this migration, or a full rebuild), nothing is queued
    # and the next analyze posts every row once. The index on (algorithm, article) finds the
    # articles without a row of today's algorithm without reading the signatures; the one on
    # articles (outlet, language) finds the cross-language partners of a batch without reading
    # every article of its outlets.
    return """
        CREATE INDEX idx_copy_signatures_algorithm ON copy_signatures(algorithm, article);
        CREATE INDEX idx_articles_outlet_language ON articles(outlet, language);
        CREATE TABLE copy_postings (
            kind INTEGER NOT NULL,
            hash INTEGER NOT NULL,
            doc INTEGER NOT NULL,
            PRIMARY KEY (kind, hash, doc)
        ) WITHOUT ROWID;
        CREATE TABLE copy_postings_state (
            algorithm TEXT NOT NULL
        );
        CREATE TABLE copy_postings_queue (
            seq INTEGER PRIMARY KEY,
            doc INTEGER NOT NULL,
            shingle BLOB,
            stopword BLOB,
            facts BLOB
        );
        CREATE TRIGGER copy_signatures_posted_ai AFTER INSERT ON copy_signatures
        WHEN new.algorithm = (SELECT algorithm FROM copy_postings_state)
        BEGIN
            INSERT INTO copy_postings_queue(doc) VALUES (new.rowid);
        END;
        CREATE TRIGGER copy_signatures_posted_ad AFTER DELETE ON copy_signatures
        WHEN old.algorithm = (SELECT algorithm FROM copy_postings_state)
        BEGIN
            INSERT INTO copy_postings_queue(doc, shingle, stopword, facts)
            VALUES (old.rowid, old.shingle, old.stopword, old.facts);
        END;
        CREATE TRIGGER copy_signatures_posted_au AFTER UPDATE ON copy_signatures
        BEGIN
            INSERT INTO copy_postings_queue(doc, shingle, stopword, facts)
            SELECT old.rowid, old.shingle, old.stopword, old.facts
            WHERE old.algorithm = (SELECT algorithm FROM copy_postings_state);
            INSERT INTO copy_postings_queue(doc)
            SELECT new.rowid WHERE new.algorithm = (SELECT algorithm FROM copy_postings_state);
        END;
    """


#: The verbs of ``idx_figures_repeat_verbs`` (migration 0019): the words of
#: ``extract.corpus_dates._VERB_GROUPS`` when the index was made (a test checks they still are; a
#: query with other words is answered without the index, by a scan).
REPEAT_VERB_WORDS: tuple[str, ...] = (
    "apprehended", "arrested", "captured", "caught", "custody", "deported", "detained", "flew", "flown", "freed",
    "handed", "held", "released", "repatriated", "rescued", "returned", "rounded", "sent")


def repeat_verb_condition(words: tuple[str, ...], alias: str = "") -> str:
    """SQL true when a figure's action or ``what`` (lower-cased, ASCII) contains one of ``words``
    (lower-case ASCII letters), written alike for the partial index and the query that uses it
    (SQLite uses a partial index only when the query states its condition term for term)."""
    if not words or not all(w.isascii() and w.isalpha() and w.islower() for w in words):
        raise ValueError(f"verb words must be lower-case ASCII letters: {words!r}")
    text = f"lower(coalesce({alias}action, '') || ' ' || {alias}what)"
    return "(" + " OR ".join(f"instr({text}, '{w}') > 0" for w in words) + ")"


@migration("0019_figures_repeat_verbs")
def _m0019() -> str:
    # extract.figure-dates-corpus-v1's incremental read (issue 17): the figures of other articles
    # that state a count of the new ones are read only when they say what they count and name a verb
    # of the same happening (about a tenth of the figures in the synthetic corpus); this partial index
    # holds exactly those, by count, so the read probes it per wanted count instead of scanning
    # every figure row.
    return f"""
        CREATE INDEX idx_figures_repeat_verbs ON figures(value, unit)
        WHERE what != '' AND {repeat_verb_condition(REPEAT_VERB_WORDS)};
    """


@migration("0020_copy_roles")
def _m0020() -> str:
    # copies.stored-roles-v1 (issue 17 part 2): the outlet roles of the copies stage (copies.families
    # OutletRoles) are counted over every classified link of the store, not only the links of the
    # neighbourhood an incremental analyze re-examines. copy_roles holds, per classified merging link of the
    # last run that examined its two ends, kind 'role' (a = the source, b = the copy of a link ordered by
    # ROLE_EVIDENCE) or kind 'unsure' (a < b, the ends of a link left unsure, which the roles may turn), with
    # the two texts' outlet keys. copy_roles_state names the algorithm when the table holds every article's
    # rows (written by a run that examined every article); without it the incremental run learns the roles
    # from its neighbourhood, as before.
    return """
        CREATE TABLE copy_roles (
            kind TEXT NOT NULL,
            a TEXT NOT NULL,
            b TEXT NOT NULL,
            a_outlet TEXT,
            b_outlet TEXT,
            PRIMARY KEY (kind, a, b)
        ) WITHOUT ROWID;
        CREATE INDEX idx_copy_roles_a ON copy_roles(a);
        CREATE INDEX idx_copy_roles_b ON copy_roles(b);
        CREATE INDEX idx_copy_roles_a_outlet ON copy_roles(a_outlet, kind);
        CREATE INDEX idx_copy_roles_b_outlet ON copy_roles(b_outlet, kind);
        CREATE TABLE copy_roles_state (
            algorithm TEXT NOT NULL
        );
    """


@migration("0021_incremental_reads")
def _m0021() -> str:
    # issue 17 part 2: reads of an incremental ingest and knowledge stage that grew with the store.
    # - actor_name_blocks keeps each name's folded length beside its block prefix
    #   (knowledge.actors-incremental-v3): a block is read by the lengths the rules can join
    #   (knowledge.actors.join_sizes), not whole. The table is made again empty (the length is
    #   computed in Python); the next analyze records every mentioned name once
    #   (store.caches.name_blocks_missing);
    # - the alias tables are indexed by their successor: put_aliases points the aliases of a retired id
    #   at its successor (UPDATE ... WHERE new = ?) without scanning every alias;
    # - idx_boilerplate_keys_frequent holds the lines on at least 3 pages of an outlet (the default
    #   boilerplate_min_pages), the only rows a relearn reads (store.caches.frequent_boilerplate_keys),
    #   instead of every line of every touched outlet.
    return """
        DROP TABLE actor_name_blocks;
        CREATE TABLE actor_name_blocks (
            name TEXT PRIMARY KEY,
            prefix TEXT NOT NULL,
            size INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX idx_actor_name_blocks_size ON actor_name_blocks(prefix, size);
        CREATE INDEX idx_fact_aliases_new ON fact_aliases(new);
        CREATE INDEX idx_story_aliases_new ON story_aliases(new);
        CREATE INDEX idx_boilerplate_keys_frequent ON boilerplate_keys(outlet, pages) WHERE pages >= 3;
    """


@migration("0022_ingest_counts")
def _m0022() -> str:
    # issue 17 part 2: an ingest's boilerplate relearn read every article (by the outlet index) to count
    # each outlet's pages and to find the articles whose lines are not counted yet.
    # - outlet_pages: each outlet's number of stored articles, kept by triggers on articles (insert,
    #   delete, a changed outlet), read by Store.outlets_with_pages / unlearned_outlets and
    #   caches.outlet_page_count;
    # - boilerplate_uncounted: the articles whose lines may wait to be counted (caches.
    #   update_boilerplate_counts): every article stored, or whose text or outlet changed, since the last
    #   count (triggers), filled here with the articles not counted yet; a count empties it.
    return """
        CREATE TABLE outlet_pages (
            outlet TEXT PRIMARY KEY,
            pages INTEGER NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO outlet_pages(outlet, pages)
            SELECT outlet, COUNT(*) FROM articles WHERE outlet IS NOT NULL GROUP BY outlet;
        CREATE TRIGGER outlet_pages_ai AFTER INSERT ON articles WHEN new.outlet IS NOT NULL BEGIN
            INSERT INTO outlet_pages(outlet, pages) VALUES (new.outlet, 1)
                ON CONFLICT(outlet) DO UPDATE SET pages = pages + 1;
        END;
        CREATE TRIGGER outlet_pages_ad AFTER DELETE ON articles WHEN old.outlet IS NOT NULL BEGIN
            UPDATE outlet_pages SET pages = pages - 1 WHERE outlet = old.outlet;
            DELETE FROM outlet_pages WHERE outlet = old.outlet AND pages <= 0;
        END;
        CREATE TRIGGER outlet_pages_au AFTER UPDATE OF outlet ON articles WHEN old.outlet IS NOT new.outlet BEGIN
            UPDATE outlet_pages SET pages = pages - 1 WHERE outlet = old.outlet;
            DELETE FROM outlet_pages WHERE outlet = old.outlet AND pages <= 0;
            INSERT INTO outlet_pages(outlet, pages) SELECT new.outlet, 1 WHERE new.outlet IS NOT NULL
                ON CONFLICT(outlet) DO UPDATE SET pages = pages + 1;
        END;
        CREATE TABLE boilerplate_uncounted (
            article TEXT PRIMARY KEY
        ) WITHOUT ROWID;
        INSERT INTO boilerplate_uncounted(article)
            SELECT id FROM articles a WHERE outlet IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM boilerplate_counted c WHERE c.article = a.id);
        CREATE TRIGGER boilerplate_uncounted_ai AFTER INSERT ON articles BEGIN
            INSERT OR IGNORE INTO boilerplate_uncounted(article) VALUES (new.id);
        END;
        CREATE TRIGGER boilerplate_uncounted_au AFTER UPDATE OF text, outlet ON articles
        WHEN old.text IS NOT new.text OR old.outlet IS NOT new.outlet BEGIN
            INSERT OR IGNORE INTO boilerplate_uncounted(article) VALUES (new.id);
        END;
    """


@migration("0023_story_unit_keys")
def _m0023() -> str:
    # stories.warm-v2's blocking index read per key (issue 17 part 2): story_unit_keys holds each stored
    # unit's blocking keys (story_units.keys, one row per key), kept by triggers on story_units (a unit
    # written again, also by INSERT OR REPLACE, has its rows replaced; an updated one too; a deleted one
    # loses them: each by its keys, through the primary key), so an incremental run reads the units of
    # the keys it uses instead of putting every kept unit's keys into its in-memory index.
    return """
        CREATE TABLE story_unit_keys (
            key TEXT NOT NULL,
            unit TEXT NOT NULL,
            PRIMARY KEY (key, unit)
        ) WITHOUT ROWID;
        INSERT OR IGNORE INTO story_unit_keys(key, unit)
            SELECT j.value, u.unit FROM story_units u, json_each(u.keys) j;
        CREATE TRIGGER story_unit_keys_bi BEFORE INSERT ON story_units BEGIN
            DELETE FROM story_unit_keys WHERE unit = new.unit AND key IN (
                SELECT j.value FROM story_units u, json_each(u.keys) j WHERE u.unit = new.unit);
        END;
        CREATE TRIGGER story_unit_keys_ai AFTER INSERT ON story_units BEGIN
            INSERT OR IGNORE INTO story_unit_keys(key, unit) SELECT j.value, new.unit FROM json_each(new.keys) j;
        END;
        CREATE TRIGGER story_unit_keys_au AFTER UPDATE OF unit, keys ON story_units BEGIN
            DELETE FROM story_unit_keys WHERE unit = old.unit AND key IN (SELECT value FROM json_each(old.keys));
            INSERT OR IGNORE INTO story_unit_keys(key, unit) SELECT j.value, new.unit FROM json_each(new.keys) j;
        END;
        CREATE TRIGGER story_unit_keys_ad AFTER DELETE ON story_units BEGIN
            DELETE FROM story_unit_keys WHERE unit = old.unit AND key IN (SELECT value FROM json_each(old.keys));
        END;
    """


@migration("0024_story_covering_indexes")
def _m0024() -> str:
    # Issue 17 part 2: an incremental stories run reads every stored unit's members (to keep the units
    # whose members are unchanged) and every article id with a cached frame of the current algorithm;
    # both tables hold large JSON beside those columns (unit frames: 47 MB at 20,000 articles), so a
    # scan of the table read every page of it. These indexes hold the columns read, so the scans read
    # the index alone (20,000 articles: 30 -> 9 ms and 30 -> 11 ms, CPU).
    return """
        CREATE INDEX IF NOT EXISTS idx_story_units_members ON story_units(unit, members);
        CREATE INDEX IF NOT EXISTS idx_article_frames_algorithm ON article_frames(algorithm, article);
    """


@migration("0025_copy_pair_memo")
def _m0025() -> str:
    # copies.pair-memo-v1 (issue 17 part 2): each classified pair's decision, kept with a digest of its inputs
    # (both article records, the two spin scores, whether the word-pair frequencies were given, the copies
    # code) and the frequencies it read, so an incremental analyze does not classify again a pair of two old
    # articles whose inputs did not change (copies.memo). a < b; link is the classifier's link as
    # zlib-compressed JSON, NULL for no relation. The rows of an article whose text changes or which is
    # deleted go with it (a row of a changed record is never used, but would stay).
    return """
        CREATE TABLE copy_pair_memo (
            a TEXT NOT NULL,
            b TEXT NOT NULL,
            inputs TEXT NOT NULL,
            reads TEXT NOT NULL,
            link BLOB,
            PRIMARY KEY (a, b)
        );
        CREATE INDEX idx_copy_pair_memo_b ON copy_pair_memo(b);
        CREATE TRIGGER copy_pair_memo_ad AFTER DELETE ON articles BEGIN
            DELETE FROM copy_pair_memo WHERE a = old.id;
            DELETE FROM copy_pair_memo WHERE b = old.id;
        END;
        CREATE TRIGGER copy_pair_memo_au AFTER UPDATE OF text ON articles WHEN old.text IS NOT new.text BEGIN
            DELETE FROM copy_pair_memo WHERE a = old.id;
            DELETE FROM copy_pair_memo WHERE b = old.id;
        END;
    """


@migration("0026_story_title_source")
def _m0026() -> str:
    # stories.name-v1: where a story's title comes from. "headline" (a member's headline), the naming
    # algorithm ("stories.name-v1") when no member has a headline and the name is derived from the
    # members' lead sentences (shown as derived), NULL for no title. Stories stored before keep their
    # titles (a title then was always a headline); an untitled one is named the next time the stories
    # stage runs (stories.stage names stored stories without a title and without a source).
    return """
        ALTER TABLE stories ADD COLUMN title_source TEXT;
        UPDATE stories SET title_source = 'headline' WHERE title IS NOT NULL AND title <> '';
    """


@migration("0027_story_event_date_evidence")
def _m0027() -> str:
    # extract.story-dates-v1: how a mention of a story event was dated by its story (a yearless month-day
    # of an undated article placed by the story's dated span): JSON with the yearless date, the span, the
    # distance in days, the rule and the algorithm; NULL when the mention's own text dates it (or nothing
    # does). Stories stored before get it the next time their knowledge is merged.
    return """
        ALTER TABLE story_event_citations ADD COLUMN date_evidence TEXT;
    """


@migration("0028_actor_fold_v4")
def _m0028() -> str:
    # knowledge.actors-v4 folds names with the letters NFKD does not take apart read plainly ("Đồng Nai"
    # -> "dongnai", as extract.places.place_key does), so the stored block keys of such names change: the
    # table is emptied and the next analyze records every mentioned name once
    # (store.caches.name_blocks_missing), as 0021 did. Every mentioned name is queued as changed, so the
    # next incremental analyze resolves the stored actors again under v4 (the country and acronym joins).
    # idx_mentions_acronym: the mentions of an acronym defined in brackets (extract.entities-v6, source
    # "acronym"), read by their acronym (store.caches.defined_acronyms).
    return """
        DELETE FROM actor_name_blocks;
        CREATE INDEX idx_mentions_acronym ON mentions(text) WHERE source = 'acronym';
        INSERT OR IGNORE INTO actor_names_changed(name) SELECT DISTINCT canonical FROM mention_counts;
    """


@migration("0029_incremental_read_indexes")
def _m0029() -> str:
    # Reads every incremental analyze makes, measured on a 100,000-article store (issue 17):
    # - idx_mentions_acronym_long: the acronym mentions read by their long name (store.caches.defined_acronyms,
    #   the incremental actor lookup). Through idx_mentions_canonical that lookup visited every mention of a
    #   wanted name before keeping the acronym ones: 0.2 CPU s a call for the 200 most named names (1.7 million
    #   mentions), four calls a run.
    # - idx_articles_meta: every article's columns but its text (Store.article_meta, read once a run to build
    #   families and stories) as a covering index: through the primary key each row was fetched from the
    #   table among the texts' pages (0.45 CPU s; 0.17 from the index).
    return """
        CREATE INDEX idx_mentions_acronym_long ON mentions(canonical) WHERE source = 'acronym';
        CREATE INDEX idx_articles_meta ON articles(id, source, url, outlet, title, published, dateline, credit,
                                                   language, truncated);
    """


@migration("0030_thread_frame_days")
def _m0030() -> str:
    # An incremental stories run (stories.warm-v2) reads the day (store.caches.thread_frame_days) and the
    # link score (thread_link_scores) of every story of the threads a changed story is in (hundreds in the
    # large threads of a 100,000-article store) by story; story_thread_frames holds each story's frame JSON
    # beside them, so every lookup read the row's table page. This index covers those reads.
    return """
        CREATE INDEX idx_story_thread_frames_day ON story_thread_frames(story, day, score);
    """


@migration("0031_unnamed_stories")
def _m0031() -> str:
    # Every incremental stories run asks for the stored stories without a title and without a title_source
    # (store.analysis.unnamed_stories: stored before stories.name-v1, named once); there are none after the
    # first run, but the join of every story with its members and articles scanned every membership to say
    # so (0.1 CPU s at 100,000 articles). This partial index holds the unnamed stories only.
    return """
        CREATE INDEX idx_stories_unnamed ON stories(id) WHERE (title IS NULL OR title = '') AND title_source IS NULL;
    """


@migration("0032_figures_repeat_cover")
def _m0032() -> str:
    # The incremental repeated-count pass (extract.figure-dates-corpus-v2, issue 17) reads, per count of the new
    # figures, the distinct wordings of the figures that may borrow a day and the lenders' count, wording,
    # article and day (store.extracted.waiting_wordings, lender_rows): at 100,000 articles about 35,000 figures,
    # each fetched from the table among the sentences' and texts' pages through idx_figures_repeat_verbs
    # (0.55 CPU s of the 0.75 the read took). This index holds the same figures (its condition is
    # idx_figures_repeat_verbs', term for term) with every column those reads take, so they read it alone; it
    # replaces idx_figures_repeat_verbs (same leading columns and condition).
    return f"""
        CREATE INDEX idx_figures_repeat_cover ON figures(value, unit, qualifier, date_precision, date, date_lenders,
                                                         action, what, article, start)
        WHERE what != '' AND {repeat_verb_condition(REPEAT_VERB_WORDS)};
        DROP INDEX idx_figures_repeat_verbs;
    """
