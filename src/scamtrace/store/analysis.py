"""Named queries and writes of the analysis stages (copies, extract, stories, knowledge, clean).

Each read returns plain mappings or tuples built from one SELECT, and each write is one
transaction, so no stage outside ``store/`` writes SQL or opens a transaction (issue 14: "SQL only
in store/").
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..model import HEADLINE_SOURCE
from .caches import fill_temp_keys
from .db import Store, _date, select_in
from .extracted import put_extraction


def boilerplate_model_jsons(store: Store) -> Iterator[str]:
    """Every outlet's learned boilerplate model (JSON), in outlet order."""
    for row in store.execute("SELECT model FROM boilerplate_models ORDER BY outlet"):
        yield row[0]


def family_of_articles(store: Store, articles: Iterable[str] | None = None) -> dict[str, str]:
    """article id -> its copy family's id (of ``articles`` only, when given)."""
    if articles is None:
        return {r["article"]: r["family"] for r in store.execute("SELECT article, family FROM family_members")}
    fill_temp_keys(store, "want_family_of", "id", ((a,) for a in articles))
    return {r[0]: r[1] for r in store.db.execute(
        "SELECT article, family FROM family_members WHERE article IN (SELECT id FROM temp.want_family_of)").fetchall()}


def copy_neighbours(store: Store, articles: Iterable[str]) -> set[str]:
    """The articles one step from ``articles`` in the copies graph: the members of their families and
    the other ends of their links (``articles`` themselves included when they have any)."""
    fill_temp_keys(store, "want_near", "id", ((a,) for a in articles))
    return {r[0] for r in store.db.execute(
        "SELECT fm2.article FROM family_members fm JOIN family_members fm2 ON fm2.family = fm.family"
        " WHERE fm.article IN (SELECT id FROM temp.want_near)"
        " UNION SELECT other FROM links WHERE article IN (SELECT id FROM temp.want_near)"
        " UNION SELECT article FROM links WHERE source IN (SELECT id FROM temp.want_near)"
        " OR sibling IN (SELECT id FROM temp.want_near)").fetchall()}


def family_members_of(store: Store, articles: Iterable[str]) -> dict[str, frozenset[str]]:
    """Each of ``articles`` that is in a family -> the members of its family."""
    fill_temp_keys(store, "want_fams", "id", ((a,) for a in articles))
    members: dict[str, set[str]] = {}
    asked: dict[str, str] = {}
    for a, fam, member in store.db.execute(
            "SELECT fm.article, fm.family, fm2.article FROM family_members fm"
            " JOIN family_members fm2 ON fm2.family = fm.family WHERE fm.article IN (SELECT id FROM temp.want_fams)"
    ).fetchall():
        asked[a] = fam
        members.setdefault(fam, set()).add(member)
    frozen = {f: frozenset(m) for f, m in members.items()}
    return {a: frozen[f] for a, f in asked.items()}


def published_days(store: Store, articles: Iterable[str]) -> dict[str, Any]:
    """article id -> its publication date (None when unknown), for the stored ones of ``articles``."""
    fill_temp_keys(store, "want_days", "id", ((a,) for a in articles))
    return {r[0]: _date(r[1]) for r in store.db.execute(
        "SELECT id, published FROM articles WHERE id IN (SELECT id FROM temp.want_days)").fetchall()}


def published_day(store: Store, article: str) -> tuple[bool, Any]:
    """(is ``article`` stored, its publication date or None): one article's row of :func:`published_days`."""
    found = store.db.execute("SELECT published FROM articles WHERE id = ?", (article,)).fetchall()
    return (True, _date(found[0][0])) if found else (False, None)


def count_links(store: Store) -> int:
    """How many copy links are stored."""
    return int(store.execute("SELECT COUNT(*) FROM links")[0][0])


def story_of_articles(store: Store, articles: Iterable[str] | None = None) -> dict[str, str]:
    """article id -> its story's id (of ``articles`` only, when given)."""
    if articles is None:
        cur = store.db.cursor()
        cur.row_factory = None   # plain tuples: one row per article in a story
        return dict(cur.execute("SELECT article, story FROM story_members"))
    fill_temp_keys(store, "want_story_of", "id", ((a,) for a in articles))
    return {r[0]: r[1] for r in store.db.execute(
        "SELECT article, story FROM story_members WHERE article IN (SELECT id FROM temp.want_story_of)").fetchall()}


def members_of_stories(store: Store, stories: Iterable[str]) -> dict[str, str]:
    """article id -> its story's id, for every member of ``stories``."""
    fill_temp_keys(store, "want_members_of", "id", ((s,) for s in stories))
    # CROSS JOIN: the wanted stories drive the join (SQLite's planner otherwise scans every membership)
    return {r[0]: r[1] for r in store.db.execute(
        "SELECT m.article, m.story FROM temp.want_members_of w CROSS JOIN story_members m ON m.story = w.id"
        " ORDER BY m.article").fetchall()}


def article_texts(store: Store, articles: Iterable[str]) -> dict[str, str]:
    """article id -> its stored (cleaned) text, for those of ``articles`` that are stored."""
    return {r[0]: r[1] or "" for r in select_in(store.db, "SELECT id, text FROM articles WHERE id IN ({})",
                                                sorted(set(articles)))}


def headline_stories(store: Store) -> dict[str, tuple[str, list[tuple[str, str | None]]]]:
    """story id -> (its title, [(article id, headline)] of its articles in publication order: undated last,
    then by id), of the stored stories named after a headline (``title_source`` "headline")."""
    out: dict[str, tuple[str, list[tuple[str, str | None]]]] = {}
    for r in store.db.execute(
            "SELECT s.id, s.title, a.id, a.title FROM stories s JOIN story_members sm ON sm.story = s.id"
            " JOIN articles a ON a.id = sm.article WHERE s.title_source = ?"
            " ORDER BY s.id, a.published IS NULL, a.published, a.id", (HEADLINE_SOURCE,)):
        out.setdefault(r[0], (r[1], []))[1].append((r[2], r[3] or None))
    return out


def stage_stat_recorded(store: Store, stage: str, key: str, value: Any) -> bool:
    """Has a finished run of ``stage`` recorded ``value`` under ``key`` in its stats (``runs``)?"""
    return any(json.loads(r[0]).get(key) == value for r in store.execute(
        "SELECT stats FROM runs WHERE stage = ? AND finished_at IS NOT NULL AND stats LIKE ?",
        (stage, f'%"{key}"%')))


#: The condition of an unnamed story (idx_stories_unnamed's, migration 0031).
_UNNAMED = " WHERE (title IS NULL OR title = '') AND title_source IS NULL"


def unnamed_stories(store: Store) -> dict[str, list[str]]:
    """story id -> its article ids in publication order (undated last, then by id), of the stored
    stories without a title and without a ``title_source``: stored before ``stories.name-v1`` (a story
    whose texts gave no name is marked as tried, and not returned)."""
    out: dict[str, list[str]] = {}
    # most runs find none: asked of the partial index of the unnamed stories (migration 0031) first, as the
    # planner scans every membership for the join
    if store.db.execute("SELECT 1 FROM stories INDEXED BY idx_stories_unnamed" + _UNNAMED + " LIMIT 1").fetchone() is None:
        return out
    for r in store.db.execute(
            "SELECT s.id, a.id FROM stories s JOIN story_members sm ON sm.story = s.id JOIN articles a ON a.id = sm.article"
            " WHERE (s.title IS NULL OR s.title = '') AND s.title_source IS NULL"
            " ORDER BY s.id, a.published IS NULL, a.published, a.id"):
        out.setdefault(r[0], []).append(r[1])
    return out


def put_story_titles(store: Store, rows: Iterable[tuple[str, str | None, str | None]]) -> None:
    """Set (story id, title, title_source) of stored stories (their other columns are left)."""
    with store.write() as db:
        db.executemany("UPDATE stories SET title = ?, title_source = ? WHERE id = ?", [(t, src, i) for i, t, src in rows])


def fact_alias_ids_of_stories(store: Store, stories: Iterable[str]) -> set[str]:
    """The retired fact ids numbered under one of ``stories`` (``<story>:fact-<n>``, ``stories.ids-v3``): every
    alias whose id starts with ``<story>:fact-``, read by a range of the primary key, not every alias."""
    out: set[str] = set()
    for sid in sorted(set(stories)):   # "." follows "-": the range holds exactly the ids with this prefix
        out.update(r[0] for r in store.db.execute("SELECT old FROM fact_aliases WHERE old >= ? AND old < ?",
                                                  (f"{sid}:fact-", f"{sid}:fact.")).fetchall())
    return out


def outlet_of_articles(store: Store, articles: Iterable[str] | None = None) -> dict[str, str | None]:
    """article id -> its outlet (None when unknown), of ``articles`` only when given."""
    if articles is None:
        return {r["id"]: r["outlet"] for r in store.execute("SELECT id, outlet FROM articles")}
    fill_temp_keys(store, "want_outlet_of", "id", ((a,) for a in articles))
    return {r[0]: r[1] for r in store.db.execute(
        "SELECT id, outlet FROM articles WHERE id IN (SELECT id FROM temp.want_outlet_of)").fetchall()}


def mention_names(store: Store) -> list[tuple[str, str]]:
    """(canonical name, label) of every stored entity mention, one per mention, in store order."""
    return [(r["canonical"], r["label"]) for r in store.execute("SELECT canonical, label FROM mentions")]


def mention_counts(store: Store) -> dict[tuple[str, str], int]:
    """(canonical name, label) -> how many stored entity mentions carry it."""
    return {(r[0], r[1]): r[2] for r in store.execute(
        "SELECT canonical, label, COUNT(*) FROM mentions GROUP BY canonical, label")}


def mentioned_names(store: Store, articles: Iterable[str]) -> set[str]:
    """The canonical names mentioned in ``articles``."""
    return {r[0] for r in select_in(store.db, "SELECT DISTINCT canonical FROM mentions WHERE article IN ({})",
                                    sorted(set(articles)))}


def fact_citation_keys(store: Store, stories: Iterable[str] | None = None) -> dict[str, set[tuple[str, str]]]:
    """fact id -> the (article, sentence) pairs that cite it (of the facts of ``stories`` only, if given); a fact
    with no citation, only disputes: its disputes' pairs, each article prefixed with :data:`DISPUTED`."""
    out: dict[str, set[tuple[str, str]]] = {}
    sql = "SELECT c.fact, c.article, c.sentence FROM fact_citations c"
    if stories is None:
        chunks: list[list[str]] = [[]]
    else:
        ids = sorted(set(stories))
        chunks = [ids[i:i + 500] for i in range(0, len(ids), 500)]
    for chunk in chunks:
        where = (f" JOIN facts f ON f.id = c.fact WHERE f.story IN ({','.join('?' * len(chunk))})"
                 if stories is not None else "")
        if stories is not None and not chunk:
            continue
        for r in store.execute(sql + where, chunk):
            out.setdefault(r["fact"], set()).add((r["article"], r["sentence"]))
        # a fact only disputed (no citation) is named by its disputes (stories.ids-v3)
        for r in store.execute(sql.replace("fact_citations", "fact_disputes") + where, chunk):
            out.setdefault(DISPUTED + r["fact"], set()).add((DISPUTED + r["article"], r["sentence"]))
    for key in [k for k in out if k.startswith(DISPUTED)]:
        keys = out.pop(key)
        if key[len(DISPUTED):] not in out:
            out[key[len(DISPUTED):]] = keys
    return out


#: Prefix of the article of a dispute's (article, sentence) key in :func:`fact_citation_keys` (keeps a
#: disputing sentence apart from a stating one).
DISPUTED = "\x00disputed:"


def fact_values(store: Store, stories: Iterable[str] | None = None) -> dict[str, tuple[float, str, str]]:
    """Every stored fact id -> its (value, unit, what); of the facts of ``stories`` only, if given."""
    if stories is None:
        return {r[0]: (r[1], r[2], r[3]) for r in store.execute("SELECT id, value, unit, what FROM facts")}
    fill_temp_keys(store, "want_stories", "id", ((s,) for s in stories))
    return {r[0]: (r[1], r[2], r[3]) for r in store.db.execute(
        "SELECT id, value, unit, what FROM facts WHERE story IN (SELECT id FROM temp.want_stories)").fetchall()}


def undated_article_ids(store: Store) -> set[str]:
    """Articles stored without a publication date."""
    return {r[0] for r in store.execute("SELECT id FROM articles WHERE published IS NULL")}


def resolved_date_refs(store: Store, undated: bool = False) -> Iterator[tuple[str, str, str]]:
    """(article, iso_start, precision) of every date reference resolved to a calendar start (with
    ``undated``, of the articles stored without a publication date only)."""
    sql = "SELECT article, iso_start, precision FROM date_refs WHERE iso_start IS NOT NULL"
    if undated:
        sql = ("SELECT d.article, d.iso_start, d.precision FROM articles a JOIN date_refs d ON d.article = a.id"
               " WHERE a.published IS NULL AND d.iso_start IS NOT NULL")
    for r in store.execute(sql):
        yield r["article"], r["iso_start"], r["precision"]


def unhedged_event_types(store: Store) -> Iterator[tuple[str, str]]:
    """(article, event type) of every event frame not hedged ("may", "could", ...)."""
    for r in store.execute("SELECT article, type FROM events WHERE hedged = 0"):
        yield r["article"], r["type"]


def unhedged_event_types_of(store: Store, articles: Iterable[str]) -> dict[str, list[str]]:
    """article -> the types of its event frames not hedged, in store order, for ``articles``."""
    out: dict[str, list[str]] = {}
    for r in select_in(store.db, "SELECT article, type FROM events WHERE article IN ({}) AND hedged = 0"
                       " ORDER BY article, rowid", sorted(set(articles))):
        out.setdefault(r[0], []).append(r[1])
    return out


def extraction_marks(store: Store) -> dict[str, str]:
    """article id -> digest of the input its stored records were extracted from, for the articles
    extracted by an analyze run that has not finished (see :func:`finish_analysis`)."""
    return {r["article"]: r["input"] for r in store.execute("SELECT article, input FROM extraction_marks")}


def put_marked_extraction(store: Store, article_id: str, extraction: Any, events: Iterable[Any], digest: str) -> None:
    """Store one article's extracted records and its mark in one transaction: a run stopped after
    it keeps both, and its rerun does not extract the article again."""
    with store.write() as db:
        put_extraction(store, article_id, extraction, events)
        db.execute("INSERT OR REPLACE INTO extraction_marks(article, input) VALUES (?, ?)", (article_id, digest))


def finish_analysis(store: Store, ids: Iterable[str]) -> None:
    """Mark ``ids`` analysed and drop every extraction mark, in one transaction: the run extracted ``ids``
    and the neighbourhood articles it extracted again, and a mark left on one of those would make the
    next run take it for one stopped midway and skip it (``analyze --full`` then kept a spun copy's
    records as the family wording pass had corrected them, and lent a day from them)."""
    ids = list(ids)
    with store.write() as db:
        store.mark_analyzed(ids)
        db.execute("DELETE FROM extraction_marks")


def story_member_evidence(store: Store) -> dict[str, dict[str, Any]]:
    """article id -> the stored evidence of its family's join to its story."""
    return {r[0]: json.loads(r[1]) for r in store.execute("SELECT article, evidence FROM story_members")}


def story_member_evidence_of(store: Store, article: str) -> dict[str, Any] | None:
    """The stored evidence of ``article``'s family's join to its story (None when it is in no story)."""
    rows = store.execute("SELECT evidence FROM story_members WHERE article = ?", (article,))
    return json.loads(rows[0][0]) if rows else None


def last_run_stats(store: Store, stage: str, mode: str) -> dict[str, Any] | None:
    """The stats of the latest finished run of ``stage`` whose stats say ``"mode": mode``, or None."""
    for r in store.execute("SELECT stats FROM runs WHERE stage = ? AND finished_at IS NOT NULL ORDER BY id DESC",
                           (stage,)):
        stats = json.loads(r[0])
        if stats.get("mode") == mode:
            return dict(stats)
    return None


def full_pass_recorded(store: Store, stage: str, algorithm: str) -> bool:
    """Has a pass of ``stage`` over the whole store run with ``algorithm`` (the latest finished run of
    mode "full", ``runs``)? The corpus passes whose incremental runs assume one (family wording, repeat
    dates) run in full first when it has not."""
    last = last_run_stats(store, stage, "full")
    return last is not None and last.get("algorithm") == algorithm


# -- outlet roles over the store (copies.stored-roles-v1; copies.incremental) --------------------------
RoleRow = tuple[str, str, str, "str | None", "str | None"]   # kind, a, b, a's outlet key, b's outlet key


def copy_roles_complete(store: Store, algorithm: str) -> bool:
    """Does ``copy_roles`` hold the rows of every article, written under ``algorithm``?"""
    return store.db.execute("SELECT 1 FROM copy_roles_state WHERE algorithm = ?", (algorithm,)).fetchone() is not None


def clear_copy_roles(store: Store) -> None:
    """Forget the outlet-role rows (links written by other means, the Spark importer): the next incremental
    analyze learns the roles from its neighbourhood until a run examines every article again."""
    with store.write() as db:
        db.execute("DELETE FROM copy_roles")
        db.execute("DELETE FROM copy_roles_state")


def replace_copy_roles(store: Store, within: Iterable[str] | None, rows: Iterable[RoleRow],
                       complete: str | None = None) -> None:
    """Replace the rows whose two ends are both in ``within`` (every row when None) by ``rows``; with
    ``complete`` (an algorithm), record that the table now holds every article's rows under it."""
    rows = list(rows)
    if within is not None:
        fill_temp_keys(store, "roles_within", "id", ((a,) for a in within))
    with store.write() as db:
        if within is None:
            db.execute("DELETE FROM copy_roles")
        else:
            db.execute("DELETE FROM copy_roles WHERE a IN (SELECT id FROM temp.roles_within)"
                       " AND b IN (SELECT id FROM temp.roles_within)")
        db.executemany("INSERT OR REPLACE INTO copy_roles(kind, a, b, a_outlet, b_outlet) VALUES (?,?,?,?,?)", rows)
        if complete is not None:
            db.execute("DELETE FROM copy_roles_state")
            db.execute("INSERT INTO copy_roles_state(algorithm) VALUES (?)", (complete,))


def _roles_as_replaced(store: Store, within: Iterable[str], rows: Iterable[RoleRow]) -> str:
    """Fill the temporary tables for the role rows as they would be with the rows among ``within`` replaced by
    ``rows``; returns the SELECT of (side 'a' = source / 'b' = copy, text, outlet key) over them."""
    fill_temp_keys(store, "roles_within", "id", ((a,) for a in within))
    fill_temp_keys(store, "roles_new", "side, text, outlet", (
        (side, text, outlet or "") for kind, a, b, ao, bo in rows if kind == "role"
        for side, text, outlet in (("a", a, ao), ("b", b, bo))))
    kept = ("SELECT '{0}' AS side, {0} AS text, {0}_outlet AS outlet FROM copy_roles WHERE kind = 'role'"
            " AND NOT (a IN (SELECT id FROM temp.roles_within) AND b IN (SELECT id FROM temp.roles_within))")
    return f"{kept.format('a')} UNION ALL {kept.format('b')} UNION ALL SELECT side, text, outlet FROM temp.roles_new"


def copy_role_counts(store: Store, outlets: Iterable[str], within: Iterable[str] = (),
                     rows: Iterable[RoleRow] = ()) -> tuple[dict[str, int], dict[str, int]]:
    """Per outlet key of ``outlets``: how many distinct texts are sources, and how many copies, of 'role' rows,
    with the rows among ``within`` replaced by ``rows`` (nothing is written)."""
    union = _roles_as_replaced(store, within, rows)
    fill_temp_keys(store, "roles_outlets", "id", ((o,) for o in outlets))
    counts: dict[str, dict[str, int]] = {"a": {}, "b": {}}
    for side, outlet, n in store.db.execute(
            f"SELECT side, outlet, COUNT(DISTINCT text) FROM ({union})"
            " WHERE outlet IN (SELECT id FROM temp.roles_outlets) GROUP BY side, outlet").fetchall():
        counts[side][outlet] = int(n)
    return counts["a"], counts["b"]


def copy_role_texts(store: Store, articles: Iterable[str], within: Iterable[str] = (),
                    rows: Iterable[RoleRow] = ()) -> tuple[set[str], set[str]]:
    """Of ``articles``: those that are the source, and those that are the copy, of some 'role' row, with the
    rows among ``within`` replaced by ``rows`` (nothing is written)."""
    union = _roles_as_replaced(store, within, rows)
    fill_temp_keys(store, "roles_texts", "id", ((a,) for a in articles))
    out: dict[str, set[str]] = {"a": set(), "b": set()}
    for side, text in store.db.execute(f"SELECT DISTINCT side, text FROM ({union})"
                                       " WHERE text IN (SELECT id FROM temp.roles_texts)").fetchall():
        out[side].add(text)
    return out["a"], out["b"]


def unsure_role_ends(store: Store, outlets: Iterable[str]) -> set[str]:
    """The ends of the 'unsure' rows with an end in one of the outlet keys ``outlets``."""
    fill_temp_keys(store, "roles_unsure", "id", ((o,) for o in outlets))
    out: set[str] = set()
    for col in ("a_outlet", "b_outlet"):
        for a, b in store.db.execute(f"SELECT a, b FROM copy_roles WHERE kind = 'unsure'"
                                     f" AND {col} IN (SELECT id FROM temp.roles_unsure)").fetchall():
            out.update((a, b))
    return out


def pair_memo_rows(store: Store, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, str, bytes | None]]:
    """The remembered decisions (copies.pair-memo-v2: inputs digest, frequencies read, link blob) of those of
    ``pairs`` (smaller id first) that have one."""
    fill_temp_keys(store, "memo_pairs", "a, b", pairs)
    return {(r[0], r[1]): (r[2], r[3], r[4]) for r in store.db.execute(
        "SELECT m.a, m.b, m.inputs, m.reads, m.link FROM temp.memo_pairs k"
        " JOIN copy_pair_memo m ON m.a = k.a AND m.b = k.b")}


def put_pair_memo(store: Store, rows: Mapping[tuple[str, str], tuple[str, str, bytes | None]]) -> None:
    """Keep ``rows`` ({(a, b): (inputs digest, frequencies read, link blob)}), replacing those of the same pairs."""
    if not rows:
        return
    with store.write() as db:
        db.executemany("INSERT OR REPLACE INTO copy_pair_memo(a, b, inputs, reads, link) VALUES (?,?,?,?,?)",
                       [(a, b, *row) for (a, b), row in sorted(rows.items())])


def pair_memo_size(store: Store) -> int:
    """How many decisions are remembered."""
    return store.db.execute("SELECT count(*) FROM copy_pair_memo").fetchone()[0]
