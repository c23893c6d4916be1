"""Stored caches that keep an incremental ``analyze`` in proportion to what arrived (issue 17):

- ``article_frames``: each article's story frame (its content terms and anchors, as JSON), keyed by
  article and frame algorithm; the row goes when the article's title or text changes (a trigger);
- ``collocation_*``: the spin collocation model's document frequencies, updated with the texts that
  arrived (:mod:`scamtrace.copies.collocations` decides what to write; the SQL is here);
- ``mention_counts``, ``actor_names_changed``, ``actor_name_blocks``: the mentions per (name, label)
  and the names whose counts changed since the actors were resolved (both kept by triggers on
  ``mentions``), and each name's block prefix and folded length, so actor resolution reads only
  the names those names can join (:mod:`scamtrace.knowledge.build`);
- ``boilerplate_*``: per outlet, its distinct texts and on how many of them each learnable line is,
  brought up to the stored texts when an ingest relearns boilerplate (:mod:`scamtrace.clean.stage`;
  changed and deleted texts wait in ``boilerplate_retired``, as for the collocation counts);
- ``story_stats``, ``story_idf``, ``story_anchor_idf``, ``story_units``, ``story_thread_*``: the
  corpus statistics the stories' unit frames were weighed with, each unit's frame and each story's
  thread frame (``stories.warm-v2``), so an incremental stories run weighs only the units it places
  again and links again only the stories a changed story can reach;
- ``ner_units``: spaCy's raw entities of each paragraph parsed (``extract.ner-units-v1``), by a
  digest of its text and the pipeline's tag, so a paragraph a later run meets again (a copy, a
  re-cleaned article, ``analyze --full``) is not parsed again.

The caches hold nothing a full run would not compute again: ``analyze --full`` clears and refills
the analysis caches; the boilerplate counts are exact counts of the stored texts at every relearn
(tests/test_analysis_caches.py compares each cache with a computation from scratch).
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from .db import Store

# -- story frames --------------------------------------------------------------------------------------
def article_frame_rows(store: Store, algorithm: str) -> dict[str, tuple[str, str]]:
    """article id -> (terms JSON, anchors JSON) of every cached frame made by ``algorithm``."""
    return {r[0]: (r[1], r[2]) for r in store.db.execute(
        "SELECT article, terms, anchors FROM article_frames WHERE algorithm = ?", (algorithm,))}


def cached_frame_ids(store: Store, algorithm: str) -> set[str]:
    """The articles with a cached frame made by ``algorithm``."""
    cur = store.db.cursor()
    cur.row_factory = None   # plain tuples: one row per stored article (idx_article_frames_algorithm covers it)
    return {r[0] for r in cur.execute("SELECT article FROM article_frames WHERE algorithm = ?", (algorithm,))}


def article_frame_row(store: Store, article: str, algorithm: str) -> tuple[str, str]:
    """(terms JSON, anchors JSON) of ``article``'s cached frame made by ``algorithm`` (KeyError when none)."""
    row = store.db.execute("SELECT terms, anchors FROM article_frames WHERE article = ? AND algorithm = ?",
                           (article, algorithm)).fetchone()
    if row is None:
        raise KeyError(article)
    return row[0], row[1]


def put_article_frames(store: Store, rows: Iterable[tuple[str, str, str]], algorithm: str) -> None:
    """Store (article id, terms JSON, anchors JSON) frames made by ``algorithm``, in one transaction."""
    with store.write() as db:
        db.executemany("INSERT OR REPLACE INTO article_frames(article, algorithm, terms, anchors) VALUES (?,?,?,?)",
                       ((aid, algorithm, t, a) for aid, t, a in rows))


def drop_article_frames(store: Store, article_ids: Iterable[str] | None = None) -> None:
    """Forget the cached frames of ``article_ids`` (every frame when None)."""
    with store.write() as db:
        if article_ids is None:
            db.execute("DELETE FROM article_frames")
        else:
            db.executemany("DELETE FROM article_frames WHERE article = ?", ((a,) for a in article_ids))


# -- story units (stories.warm-v2) ---------------------------------------------------------------------
def story_stats(store: Store) -> dict[str, Any]:
    """The stored story statistics' header (name -> value: ``algorithm``, ``n``, ``common``), empty when
    none are stored."""
    return {r[0]: json.loads(r[1]) for r in store.db.execute("SELECT name, value FROM story_stats")}


def story_anchor_idf(store: Store) -> dict[str, float]:
    """Every stored anchor IDF."""
    cur = store.db.cursor()
    cur.row_factory = None   # plain tuples: one row per anchor of the corpus
    return dict(cur.execute("SELECT anchor, idf FROM story_anchor_idf"))


def story_term_idf(store: Store, terms: Iterable[str]) -> dict[str, float]:
    """The stored IDF of those of ``terms`` that have one."""
    fill_temp_keys(store, "want_terms", "term", ((t,) for t in terms))
    return {r[0]: r[1] for r in store.db.execute(
        "SELECT i.term, i.idf FROM temp.want_terms w JOIN story_idf i ON i.term = w.term")}


def put_story_stats(store: Store, header: Mapping[str, Any], idf: Mapping[str, float],
                    anchor_idf: Mapping[str, float]) -> None:
    """Replace the story statistics (and forget every stored unit frame: they were weighed with the old)."""
    with store.write() as db:
        for table in ("story_stats", "story_idf", "story_anchor_idf", "story_unit_keys", "story_units", "story_thread_frames",
                      "story_thread_anchors"):
            db.execute(f"DELETE FROM {table}")
        db.executemany("INSERT INTO story_stats(name, value) VALUES (?,?)",
                       ((k, json.dumps(v)) for k, v in header.items()))
        db.executemany("INSERT INTO story_idf(term, idf) VALUES (?,?)", idf.items())
        db.executemany("INSERT INTO story_anchor_idf(anchor, idf) VALUES (?,?)", anchor_idf.items())


def add_story_anchor_idf(store: Store, anchor_idf: Mapping[str, float]) -> None:
    """Add anchors the statistics lacked (an anchor already stored keeps its IDF)."""
    with store.write() as db:
        db.executemany("INSERT OR IGNORE INTO story_anchor_idf(anchor, idf) VALUES (?,?)", anchor_idf.items())


def story_unit_members(store: Store) -> dict[str, str]:
    """unit -> members JSON of every stored unit frame (its keys: :func:`story_key_units`, its frame:
    :func:`story_unit_frame`)."""
    cur = store.db.cursor()
    cur.row_factory = None   # plain tuples: one row per stored unit (idx_story_units_members covers it)
    return dict(cur.execute("SELECT unit, members FROM story_units"))


def story_key_units(store: Store, key: str, chunk: int) -> Iterator[list[str]]:
    """The names of the stored units whose blocking keys hold ``key`` (``story_unit_keys``, kept from
    ``story_units.keys`` by triggers), in name order, ``chunk`` at a time, read as the caller iterates (it
    may stop early). A common key has thousands of rows: each chunk is read as one JSON array (a row
    at a time, the rows' tuples cost more than SQLite's reading them), the next one after its last name."""
    sql = ("SELECT json_group_array(unit) FROM (SELECT unit FROM story_unit_keys WHERE key = ?{} ORDER BY unit"
           " LIMIT ?)")
    names: list[str] = json.loads(store.db.execute(sql.format(""), (key, chunk)).fetchone()[0])
    while names:
        # an aggregate's order is not promised: the chunk holds the first names, put in order here (Python's
        # order of str is SQLite's BINARY collation of their UTF-8)
        names.sort()
        yield names
        if len(names) < chunk:
            return
        names = json.loads(store.db.execute(sql.format(" AND unit > ?"), (key, names[-1], chunk)).fetchone()[0])


def story_unit_frame(store: Store, unit: str) -> str:
    """The stored frame JSON of ``unit`` (KeyError when none)."""
    row = store.db.execute("SELECT frame FROM story_units WHERE unit = ?", (unit,)).fetchone()
    if row is None:
        raise KeyError(unit)
    return str(row[0])


def put_story_units(store: Store, rows: Iterable[tuple[str, str, str, str]], drop: Iterable[str] = (),
                    changed_only: bool = False) -> None:
    """Store (unit, members JSON, keys JSON, frame JSON) rows and forget the units ``drop``, in one
    transaction. ``changed_only``: a row the store holds as it is is not written again (an incremental
    run weighs again units whose frames come out as stored; each write replaces the unit's blocking keys
    through the triggers)."""
    with store.write() as db:
        db.executemany("DELETE FROM story_units WHERE unit = ?", ((u,) for u in drop))
        if changed_only:
            cur = db.cursor()
            cur.row_factory = None
            rows = [r for r in rows if cur.execute("SELECT unit, members, keys, frame FROM story_units WHERE unit = ?",
                                                   (r[0],)).fetchone() != tuple(r)]
        db.executemany("INSERT OR REPLACE INTO story_units(unit, members, keys, frame) VALUES (?,?,?,?)", rows)


def put_thread_frames(store: Store, rows: Iterable[tuple[str, int, str, Iterable[str]]], drop: Iterable[str] = (),
                      everything: bool = False) -> None:
    """Store (story, day, frame JSON, specific anchors) thread frames and forget those of ``drop`` (of
    every story when ``everything``), in one transaction."""
    with store.write() as db:
        if everything:
            db.execute("DELETE FROM story_thread_frames")
            db.execute("DELETE FROM story_thread_anchors")
        for sid in drop:
            db.execute("DELETE FROM story_thread_frames WHERE story = ?", (sid,))
            db.execute("DELETE FROM story_thread_anchors WHERE story = ?", (sid,))
        for sid, day, frame, anchors in rows:
            db.execute("INSERT OR REPLACE INTO story_thread_frames(story, day, frame) VALUES (?,?,?)", (sid, day, frame))
            db.execute("DELETE FROM story_thread_anchors WHERE story = ?", (sid,))
            db.executemany("INSERT INTO story_thread_anchors(anchor, day, story) VALUES (?,?,?)",
                           ((a, day, sid) for a in anchors))


def _by_story(store: Store, sql: str, stories: Iterable[str]) -> list[Any]:
    """The rows of ``sql`` (one ``?``: a story id) for each of ``stories``, by its primary key."""
    out: list[Any] = []
    for sid in stories:
        out += store.db.execute(sql, (sid,)).fetchall()
    return out


def thread_frame_rows(store: Store, stories: Iterable[str]) -> dict[str, tuple[int, str]]:
    """story -> (day, frame JSON) of those of ``stories`` with a stored thread frame."""
    return {r[0]: (r[1], r[2]) for r in _by_story(
        store, "SELECT story, day, frame FROM story_thread_frames WHERE story = ?", stories)}


def thread_frame_days(store: Store, stories: Iterable[str]) -> dict[str, int]:
    """story -> the day of its stored thread frame, for those of ``stories`` that have one (many
    stories in one join, a few by their key)."""
    stories = list(stories)
    if len(stories) <= _FEW_STORIES:
        return {r[0]: r[1] for r in _by_story(store, "SELECT story, day FROM story_thread_frames" + _DAY_INDEX
                                              + " WHERE story = ?", stories)}
    fill_temp_keys(store, "want_thread_days", "story", ((sid,) for sid in stories))
    # CROSS JOIN: the wanted stories are looked up (the planner scanned every stored frame for them)
    return {r[0]: r[1] for r in store.db.execute(
        "SELECT f.story, f.day FROM temp.want_thread_days w CROSS JOIN story_thread_frames f" + _DAY_INDEX
        + " ON f.story = w.story").fetchall()}


#: The day and link score of a story's thread frame are read from their covering index (migration 0030): the
#: table's rows hold the frame JSON beside them (a lookup by the primary key reads the row's page).
_DAY_INDEX = " INDEXED BY idx_story_thread_frames_day"


#: Up to this many stories are looked up one by one (by their key); more in one join.
_FEW_STORIES = 500


def thread_link_scores(store: Store, stories: Iterable[str]) -> dict[str, float]:
    """story -> the stored exact score of its thread link (0.0: none)."""
    return {r[0]: r[1] for r in _by_story(store, "SELECT story, score FROM story_thread_frames" + _DAY_INDEX
                                          + " WHERE story = ?", stories)}


def put_thread_link_scores(store: Store, scores: Mapping[str, float]) -> None:
    """Keep the exact score of each story's thread link."""
    with store.write() as db:
        db.executemany("UPDATE story_thread_frames SET score = ? WHERE story = ?", ((v, k) for k, v in scores.items()))


def thread_places_with(store: Store, stories: Iterable[str], threads: Iterable[str] = (),
                       known: dict[str, tuple[str, Any]] | None = None) -> dict[str, dict[str, Any]]:
    """story -> the evidence of its place in a thread (a linked story's names its ``previous``), for every
    story of the stored threads that hold one of ``stories`` or are named in ``threads``. ``known``:
    story -> (evidence JSON, evidence) of the places a caller read before (kept here): a place whose
    stored JSON is that one is not decoded again (the same evidence object is given)."""
    fill_temp_keys(store, "want_threads_of", "story", ((s,) for s in stories))
    fill_temp_keys(store, "want_threads", "thread", ((t,) for t in threads))
    cur = store.db.cursor()
    cur.row_factory = None   # plain tuples: every place of the large threads
    rows = cur.execute(
        "SELECT t.story, t.evidence FROM story_threads t WHERE t.thread IN"
        " (SELECT s.thread FROM temp.want_threads_of w JOIN story_threads s ON s.story = w.story"
        " UNION SELECT thread FROM temp.want_threads)").fetchall()
    if known is None:
        return {sid: json.loads(text) for sid, text in rows}
    out: dict[str, dict[str, Any]] = {}
    for sid, text in rows:
        got = known.get(sid)
        if got is None or got[0] != text:
            got = known[sid] = (text, json.loads(text))
        out[sid] = got[1]
    return out


def thread_of_stories(store: Store, stories: Iterable[str]) -> dict[str, str]:
    """story -> its stored thread, for those of ``stories`` in one."""
    return {r[0]: r[1] for r in _by_story(store, "SELECT story, thread FROM story_threads WHERE story = ?", stories)}


def thread_anchor_first(store: Store, anchor: str, limit: int) -> list[tuple[int, str]]:
    """The first ``limit`` (day, story) that have ``anchor`` among their specific anchors, in order."""
    cur = store.db.cursor()
    cur.row_factory = None   # plain tuples: up to MAX_KEY_STORIES rows an anchor
    return cur.execute("SELECT day, story FROM story_thread_anchors WHERE anchor = ? ORDER BY day, story LIMIT ?",
                       (anchor, limit)).fetchall()


def thread_anchor_before(store: Store, anchor: str, day: int, story: str, limit: int) -> list[str]:
    """The first ``limit`` stories before (``day``, ``story``) that have ``anchor``, in order."""
    cur = store.db.cursor()
    cur.row_factory = None
    return [r[0] for r in cur.execute(
        "SELECT story FROM story_thread_anchors WHERE anchor = ? AND (day < ? OR (day = ? AND story < ?))"
        " ORDER BY day, story LIMIT ?", (anchor, day, day, story, limit))]


# -- collocation counts ------------------------------------------------------------------------------------
def collocation_docs(store: Store) -> int:
    """How many articles the stored collocation counts hold."""
    return int(store.db.execute("SELECT COUNT(*) FROM collocation_articles").fetchone()[0])


def collocations_other_than(store: Store, algorithm: str) -> bool:
    """Do the stored counts hold an article counted by another algorithm than ``algorithm``?"""
    return store.db.execute("SELECT 1 FROM collocation_articles WHERE algorithm != ? LIMIT 1",
                            (algorithm,)).fetchone() is not None


def uncounted_article_ids(store: Store) -> list[str]:
    """Stored articles the collocation counts do not hold (new, changed since, or never counted)."""
    return [r[0] for r in store.db.execute(
        "SELECT id FROM articles WHERE id NOT IN (SELECT article FROM collocation_articles) ORDER BY id")]


def retired_collocation_texts(store: Store) -> list[tuple[str, str]]:
    """(article id, text) of counted texts since changed or deleted: their pairs are to be subtracted."""
    return [(r[0], r[1]) for r in store.db.execute("SELECT article, text FROM collocation_retired ORDER BY article")]


def fill_temp_keys(store: Store, name: str, columns: str, rows: Iterable[tuple]) -> None:
    """A temporary table of lookup keys, filled in one transaction (of the temporary database only:
    no lock is taken on the store)."""
    db = store.db
    own = not db.in_transaction
    if own:
        db.execute("BEGIN")
    try:
        # created once per connection and emptied, never dropped: DROP TABLE is refused while any
        # statement of the connection is still reading (a caller iterating over articles)
        # a column may be typed ("value REAL"): a key compared with a typed column through an index
        # needs the same affinity (an untyped REAL key made a join on figures.value 400x slower)
        keys = ", ".join(c.split()[0] for c in columns.split(","))
        db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} ({columns}, PRIMARY KEY ({keys})) WITHOUT ROWID")
        db.execute(f"DELETE FROM temp.{name}")
        n = columns.count(",") + 1
        db.executemany(f"INSERT OR IGNORE INTO temp.{name} VALUES ({','.join('?' * n)})", rows)
    finally:
        if own:
            db.execute("COMMIT")


def collocation_dfs(store: Store, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """(head, partner) -> its stored document frequency, for those of ``pairs`` that are stored."""
    fill_temp_keys(store, "want_pairs", "head, partner", pairs)
    out = {(r[0], r[1]): int(r[2]) for r in store.db.execute(
        "SELECT p.head, p.partner, p.df FROM temp.want_pairs w"
        " JOIN collocation_pairs p ON p.head = w.head AND p.partner = w.partner").fetchall()}
    return out


def collocation_heads(store: Store, heads: Iterable[str]) -> dict[str, tuple[str, int, int]]:
    """head -> (its most frequent partner, that pair's df, all its pairs' df) for the stored ``heads``."""
    fill_temp_keys(store, "want_heads", "head", ((h,) for h in heads))
    out = {r[0]: (r[1], int(r[2]), int(r[3])) for r in store.db.execute(
        "SELECT h.head, h.best, h.best_df, h.total FROM temp.want_heads w JOIN collocation_heads h ON h.head = w.head"
    ).fetchall()}
    return out


def write_collocations(store: Store, dfs: Mapping[tuple[str, str], int], heads: Mapping[str, tuple[str, int, int]],
                       recount: Iterable[str], counted: Iterable[str], retired: Iterable[str], algorithm: str) -> None:
    """One transaction: set pair document frequencies (0 deletes the pair) and ``heads`` rows; then the
    ``recount`` heads' rows from their stored pairs (the most frequent partner, ties: the first in
    order; deleted when none is left); add the ``counted`` articles and forget the ``retired`` texts."""
    with store.write() as db:
        db.executemany("DELETE FROM collocation_pairs WHERE head = ? AND partner = ?",
                       (k for k, n in dfs.items() if n <= 0))
        db.executemany("INSERT OR REPLACE INTO collocation_pairs(head, partner, df) VALUES (?,?,?)",
                       ((h, p, n) for (h, p), n in dfs.items() if n > 0))
        db.executemany("INSERT OR REPLACE INTO collocation_heads(head, best, best_df, total) VALUES (?,?,?,?)",
                       ((h, *v) for h, v in heads.items()))
        for h in recount:
            row = db.execute("SELECT partner, df, (SELECT SUM(df) FROM collocation_pairs WHERE head = ?)"
                             " FROM collocation_pairs WHERE head = ? ORDER BY df DESC, partner LIMIT 1", (h, h)).fetchone()
            if row is None:
                db.execute("DELETE FROM collocation_heads WHERE head = ?", (h,))
            else:
                db.execute("INSERT OR REPLACE INTO collocation_heads(head, best, best_df, total) VALUES (?,?,?,?)",
                           (h, row[0], int(row[1]), int(row[2])))
        db.executemany("INSERT OR REPLACE INTO collocation_articles(article, algorithm) VALUES (?, ?)",
                       ((a, algorithm) for a in counted))
        db.executemany("DELETE FROM collocation_retired WHERE article = ?", ((a,) for a in retired))


def clear_collocations(store: Store) -> None:
    """Forget every collocation count (a full run counts every text again)."""
    with store.write() as db:
        for table in ("collocation_pairs", "collocation_heads", "collocation_articles", "collocation_retired"):
            db.execute(f"DELETE FROM {table}")


# -- actor resolution ------------------------------------------------------------------------------------
def changed_actor_names(store: Store) -> set[str]:
    """The names whose mention counts changed since the actors were last resolved (the triggers of
    ``mentions`` queue them)."""
    return {r[0] for r in store.db.execute("SELECT name FROM actor_names_changed").fetchall()}


def name_mention_counts(store: Store, names: Iterable[str]) -> dict[tuple[str, str], int]:
    """(canonical name, label) -> its mentions, for ``names``."""
    fill_temp_keys(store, "want_names", "name", ((n,) for n in names))
    return {(r[0], r[1]): int(r[2]) for r in store.db.execute(
        "SELECT c.canonical, c.label, c.n FROM temp.want_names w CROSS JOIN mention_counts c ON c.canonical = w.name"
        " ORDER BY c.canonical, c.label").fetchall()}   # CROSS JOIN: the names drive (else every count is scanned)


def block_mention_counts(store: Store, keys: Iterable[tuple[str, int]]) -> dict[tuple[str, str], int]:
    """(canonical name, label) -> its mentions, for the names whose (block prefix, folded length) is one
    of ``keys`` (``actor_name_blocks``), by canonical name and label."""
    fill_temp_keys(store, "want_block_keys", "prefix TEXT, size INTEGER", keys)
    # CROSS JOIN: the wanted keys drive the join through the (prefix, size) index and the counts' key
    return {(r[0], r[1]): int(r[2]) for r in store.db.execute(
        "SELECT c.canonical, c.label, c.n FROM temp.want_block_keys w CROSS JOIN actor_name_blocks b"
        " ON b.prefix = w.prefix AND b.size = w.size CROSS JOIN mention_counts c ON c.canonical = b.name"
        " ORDER BY c.canonical, c.label").fetchall()}


def actor_alias_groups(store: Store, names: Iterable[str]) -> dict[str, list[str]]:
    """Each of ``names`` a stored actor holds -> every alias of that actor."""
    fill_temp_keys(store, "want_aliases", "name", ((n,) for n in names))
    out: dict[str, list[str]] = {}
    for name, alias in store.db.execute(
            "SELECT w.name, a2.alias FROM temp.want_aliases w JOIN actor_aliases a1 ON a1.alias = w.name"
            " JOIN actor_aliases a2 ON a2.actor = a1.actor ORDER BY w.name, a2.alias").fetchall():
        out.setdefault(name, []).append(alias)
    return out


def defined_acronyms(store: Store, names: Iterable[str] | None = None) -> dict[tuple[str, str], str]:
    """(acronym, long name) -> the first article (by id) defining it, from the mentions of source
    "acronym" (``extract.entities-v6``: an acronym written in brackets after its long name): all of
    them, or those whose acronym or long name is one of ``names``."""
    sql = "SELECT text, canonical, MIN(article) FROM mentions WHERE source = 'acronym'"
    if names is None:
        rows = store.db.execute(f"{sql} GROUP BY text, canonical").fetchall()
    else:
        fill_temp_keys(store, "want_acronyms", "name", ((n,) for n in names))
        # the names drive both lookups (by acronym through idx_mentions_acronym, by long name through
        # idx_mentions_acronym_long: partial indexes, so a much-named name's other mentions are never
        # visited), never a scan of the acronym mentions
        pick = ("SELECT m.text, m.canonical, m.article FROM temp.want_acronyms w CROSS JOIN mentions m"
                " ON m.{} = w.name WHERE m.source = 'acronym'")
        rows = store.db.execute(
            f"SELECT text, canonical, MIN(article) FROM ({pick.format('text')} UNION ALL {pick.format('canonical')})"
            " GROUP BY text, canonical").fetchall()
    return {(r[0], r[1]): r[2] for r in rows}


def put_name_blocks(store: Store, rows: Iterable[tuple[str, str, int]]) -> None:
    """Record (name, block prefix, folded length) for names not recorded yet, in one transaction."""
    with store.write() as db:
        db.executemany("INSERT OR IGNORE INTO actor_name_blocks(name, prefix, size) VALUES (?, ?, ?)", rows)


def name_blocks_missing(store: Store) -> list[str]:
    """Every mentioned name when no name has its block recorded (a store upgraded by
    ``0021_incremental_reads``, which recreated ``actor_name_blocks`` with the folded lengths), else none:
    otherwise every name with mentions has its row (a full run records all of them, an incremental run
    those its queue names, and every name whose counts change is queued)."""
    if store.db.execute("SELECT 1 FROM actor_name_blocks LIMIT 1").fetchone():
        return []
    return [r[0] for r in store.db.execute("SELECT DISTINCT canonical FROM mention_counts ORDER BY canonical")]


def unblocked_names(store: Store, names: Iterable[str]) -> list[str]:
    """Those of ``names`` that have mentions and no recorded block prefix."""
    fill_temp_keys(store, "want_blocks", "name", ((n,) for n in names))
    return [r[0] for r in store.db.execute(
        "SELECT w.name FROM temp.want_blocks w WHERE NOT EXISTS (SELECT 1 FROM actor_name_blocks b WHERE b.name = w.name)"
        " AND EXISTS (SELECT 1 FROM mention_counts c WHERE c.canonical = w.name) ORDER BY w.name").fetchall()]


def clear_changed_actor_names(store: Store) -> None:
    """Empty the queue of changed names (the actors were resolved)."""
    with store.write() as db:
        db.execute("DELETE FROM actor_names_changed")


def recount_mentions(store: Store, key_of: Callable[[str], tuple[str, int]]) -> None:
    """A full run: count every mention again into ``mention_counts`` (the triggers keep the counts
    otherwise), record every mentioned name's block prefix and folded length (``key_of(name)``) and
    empty the queue of changed names, in one transaction."""
    with store.write() as db:
        db.execute("DELETE FROM mention_counts")
        db.execute("INSERT INTO mention_counts(canonical, label, n)"
                   " SELECT canonical, label, COUNT(*) FROM mentions GROUP BY canonical, label")
        names = [r[0] for r in db.execute("SELECT DISTINCT canonical FROM mention_counts ORDER BY canonical")]
        db.execute("DELETE FROM actor_name_blocks")
        db.executemany("INSERT INTO actor_name_blocks(name, prefix, size) VALUES (?, ?, ?)",
                       ((n, *key_of(n)) for n in names))
        db.execute("DELETE FROM actor_names_changed")


# -- boilerplate line counts -------------------------------------------------------------------------------
#: The page count from which ``idx_boilerplate_keys_frequent`` (migration 0021) holds an outlet's lines:
#: the default ``boilerplate_min_pages`` (a relearn with a smaller minimum reads every line of its outlets).
FREQUENT_PAGES = 3


def update_boilerplate_counts(store: Store, digest_of: Callable[[str], str],
                              keys_of: Callable[[str], set[str]]) -> tuple[int, int]:
    """Bring the boilerplate counts up to the stored texts in one transaction: subtract the retired
    texts (changed or deleted since counted), count the articles not counted yet. ``digest_of`` and
    ``keys_of`` give a text's digest and learnable lines (:mod:`scamtrace.clean.learned`). Returns
    (texts subtracted, articles counted)."""
    with store.write() as db:
        retired = db.execute("SELECT outlet, text FROM boilerplate_retired ORDER BY article").fetchall()
        for outlet, text in retired:
            _count_page(db, outlet, digest_of(text), text, -1, keys_of)
        db.execute("DELETE FROM boilerplate_retired")
        # the articles not counted yet are among those queued since the last count (0022_ingest_counts:
        # stored, or their text or outlet changed), so not every article is read
        new = db.execute("SELECT a.id, a.outlet, a.text FROM boilerplate_uncounted q CROSS JOIN articles a"
                         " ON a.id = q.article WHERE a.outlet IS NOT NULL AND NOT EXISTS"
                         " (SELECT 1 FROM boilerplate_counted c WHERE c.article = a.id) ORDER BY a.id").fetchall()
        for _aid, outlet, text in new:
            _count_page(db, outlet, digest_of(text), text, 1, keys_of)
        db.executemany("INSERT INTO boilerplate_counted(article, outlet) VALUES (?, ?)", ((r[0], r[1]) for r in new))
        db.execute("DELETE FROM boilerplate_uncounted")   # counted, or without an outlet (requeued if it gets one)
    return len(retired), len(new)


def _count_page(db: Any, outlet: str, digest: str, text: str, delta: int, keys_of: Callable[[str], set[str]]) -> None:
    """One article's text (``delta`` +1) or its retired text (-1): a distinct text of an outlet counts
    its lines once, however many articles have it."""
    row = db.execute("SELECT refs FROM boilerplate_pages WHERE outlet = ? AND digest = ?", (outlet, digest)).fetchone()
    before = row[0] if row else 0
    refs = max(0, before + delta)
    if refs == 0:
        db.execute("DELETE FROM boilerplate_pages WHERE outlet = ? AND digest = ?", (outlet, digest))
    else:
        db.execute("INSERT OR REPLACE INTO boilerplate_pages(outlet, digest, refs) VALUES (?,?,?)", (outlet, digest, refs))
    if (before == 0) == (refs == 0):
        return   # the outlet still has (or still lacks) this text: its lines are counted as they were
    keys = sorted(keys_of(text))
    if refs:
        db.executemany("INSERT INTO boilerplate_keys(outlet, key, pages) VALUES (?, ?, 1)"
                       " ON CONFLICT(outlet, key) DO UPDATE SET pages = pages + 1", ((outlet, k) for k in keys))
    else:
        db.executemany("UPDATE boilerplate_keys SET pages = pages - 1 WHERE outlet = ? AND key = ?",
                       ((outlet, k) for k in keys))
        db.executemany("DELETE FROM boilerplate_keys WHERE outlet = ? AND key = ? AND pages <= 0",
                       ((outlet, k) for k in keys))


def frequent_boilerplate_keys(store: Store, outlets: Iterable[str], minimum: int) -> dict[str, set[str]]:
    """outlet -> the lines on at least ``minimum`` of its distinct texts, for ``outlets``, with only
    those no other of ``outlets`` has on any text (as :meth:`BoilerplateModel.fit` over their texts)."""
    fill_temp_keys(store, "want_outlets", "outlet TEXT", ((o,) for o in outlets))
    # from FREQUENT_PAGES pages on, the lines come from the partial index of the frequent lines
    # (idx_boilerplate_keys_frequent, 0021_incremental_reads: SQLite uses it when the query states its
    # condition term for term), not from every line of the outlets
    frequent = f"k.pages >= {FREQUENT_PAGES} AND " if minimum >= FREQUENT_PAGES else ""
    out: dict[str, set[str]] = {}
    for outlet, key in store.db.execute(
            "SELECT k.outlet, k.key FROM temp.want_outlets w CROSS JOIN boilerplate_keys k ON k.outlet = w.outlet"
            f" WHERE {frequent}k.pages >= ? AND NOT EXISTS (SELECT 1 FROM boilerplate_keys o WHERE o.key = k.key"
            " AND o.outlet != k.outlet AND o.outlet IN (SELECT outlet FROM temp.want_outlets))",
            (minimum,)).fetchall():
        out.setdefault(outlet, set()).add(key)
    return out


def outlet_page_count(store: Store, outlet: str) -> int:
    """How many stored articles the outlet has (``outlet_pages``, kept by triggers)."""
    row = store.db.execute("SELECT pages FROM outlet_pages WHERE outlet = ?", (outlet,)).fetchone()
    return int(row[0]) if row else 0
# -- spaCy entities of paragraphs ----------------------------------------------------------------------
#: Keys per SELECT (SQLite's bound-variable limit is 999 in older builds).
_KEYS_PER_QUERY = 500


def ner_unit_rows(store: Store, keys: Iterable[str], tag: str) -> dict[str, tuple[tuple[int, int, str, str], ...]]:
    """unit key (hex digest) -> raw entities stored for it under ``tag``, for the ``keys`` stored."""
    keys = list(keys)
    out: dict[str, tuple[tuple[int, int, str, str], ...]] = {}
    for i in range(0, len(keys), _KEYS_PER_QUERY):
        chunk = keys[i:i + _KEYS_PER_QUERY]
        rows = store.db.execute(f"SELECT key, ents FROM ner_units WHERE tag = ? AND key IN ({','.join('?' * len(chunk))})",
                                (tag, *(bytes.fromhex(k) for k in chunk)))
        out.update((r[0].hex(), tuple(tuple(e) for e in json.loads(r[1]))) for r in rows)
    return out


def put_ner_unit_rows(store: Store, units: Mapping[str, Iterable[tuple[int, int, str, str]]], tag: str) -> None:
    """Store the raw entities of ``units`` (key -> entities) under ``tag``, in one transaction."""
    with store.write() as db:
        db.executemany("INSERT OR REPLACE INTO ner_units(key, tag, ents) VALUES (?,?,?)",
                       ((bytes.fromhex(k), tag, json.dumps([list(e) for e in ents], ensure_ascii=False))
                        for k, ents in units.items()))


def drop_ner_units(store: Store, keep: str) -> None:
    """Forget the units stored under any tag but ``keep`` (another spaCy pipeline or gazetteer)."""
    with store.write() as db:
        db.execute("DELETE FROM ner_units WHERE tag != ?", (keep,))
