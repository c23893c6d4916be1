"""Store access for what the extract and knowledge stages produce (per-article records, merged facts)."""
from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple, cast

from ..model import Actor, CitedStoryEvent, Event, Extraction, Fact, FactRow, Figure, MergedEvent, Participant
from .caches import fill_temp_keys
from .db import Store, select_in
from .migrations import REPEAT_VERB_WORDS, repeat_verb_condition


def _plain(o: Any) -> Any:
    """A record (dataclass instance) as a dict, anything else as its str (for JSON columns)."""
    if dataclasses.is_dataclass(o) and not isinstance(o, type):
        return dataclasses.asdict(o)
    return str(o)


def _j(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False, default=_plain)


def put_extraction(store: Store, article_id: str, extraction: Extraction, events: Iterable[Event]) -> None:
    """Replace the mentions, figures, quotes, dates and events stored for one article."""
    with store.write() as db:
        for table in ("mentions", "figures", "quotes", "date_refs", "events"):
            db.execute(f"DELETE FROM {table} WHERE article = ?", (article_id,))
        db.executemany(
            'INSERT INTO mentions(article, text, label, canonical, role, start, "end", source, algorithm)'
            " VALUES (?,?,?,?,?,?,?,?,?)",
            [(article_id, m.text, m.label, m.canonical, m.role, m.start, m.end, m.source, m.algorithm)
             for m in extraction.mentions])
        db.executemany(
            "INSERT INTO figures(article, value, unit, what, action, qualifier, vague_rule, converted_value,"
            " converted_unit, date, date_precision, place, claimant, text, sentence, sentence_start, sentence_end,"
            ' start, "end", algorithm) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
            [(article_id, f.value, f.unit, f.what, f.action, f.qualifier, f.vague_rule, f.converted_value,
              f.converted_unit, f.date, f.date_precision, f.place, f.claimant, f.text, f.sentence,
              f.sentence_start, f.sentence_end, f.start, f.end, f.algorithm) for f in extraction.figures])
        db.executemany(
            'INSERT INTO quotes(article, quote, speaker, role, sentence, start, "end", attribution, algorithm)'
            " VALUES (?,?,?,?,?,?,?,?,?)",
            [(article_id, q.quote, q.speaker, q.role, q.sentence, q.start, q.end, q.attribution, q.algorithm)
             for q in extraction.quotes])
        db.executemany(
            'INSERT INTO date_refs(article, text, start, "end", iso_start, iso_end, precision, algorithm)'
            " VALUES (?,?,?,?,?,?,?,?)",
            [(article_id, d.text, d.start, d.end, d.iso_start, d.iso_end, d.precision, d.algorithm)
             for d in extraction.dates])
        db.executemany(
            "INSERT OR REPLACE INTO events(id, article, type, trigger, date, date_start, date_end, date_precision,"
            " date_source, place, hedged, sentence, sentence_start, sentence_end, actors, figures, evidence, frame,"
            " algorithm) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(e.id, article_id, e.type, e.trigger, e.date, e.date_start, e.date_end, e.date_precision,
              e.date_source, e.place, int(e.hedged), e.sentence, e.sentence_start, e.sentence_end,
              _j([dataclasses.asdict(a) for a in e.actors]),
              _j([{"value": f.value, "unit": f.unit, "what": f.what} for f in e.figures]), _j(e.evidence),
              _j(dataclasses.asdict(e)), e.algorithm) for e in events])


def load_events(store: Store, articles: Iterable[str] | None = None) -> list[Event]:
    """Stored event frames rebuilt as :class:`~scamtrace.model.Event` records."""
    sql = "SELECT frame FROM events"
    args: tuple = ()
    if articles is not None:
        ids = list(articles)
        sql += f" WHERE article IN ({','.join('?' * len(ids))})"
        args = tuple(ids)
    out = []
    for r in store.execute(sql + " ORDER BY article, sentence_start, id", args):
        d = json.loads(r[0])
        d["actors"] = [Participant(**a) for a in d.get("actors", [])]
        d["figures"] = [Figure(**f) for f in d.get("figures", [])]
        out.append(Event(**d))
    return out


def set_figure_days(store: Store, days: Iterable[tuple[int, str | None, list[str]]]) -> None:
    """Give figures (by id) that are undated or were dated by an earlier pass (``date_lenders`` set) a
    day-precision date, keeping the articles that lent it as the date's evidence (``date_lenders``); a
    day of None takes back the day an earlier pass gave (the figure is undated again). A figure dated
    by its own article keeps its date."""
    rows_ = list(days)
    with store.write() as db:
        db.executemany("UPDATE figures SET date = ?, date_precision = 'day', date_lenders = ?"
                       " WHERE id = ? AND (date IS NULL OR date_lenders IS NOT NULL)",
                       [(day, json.dumps(lenders), fid) for fid, day, lenders in rows_ if day is not None])
        db.executemany("UPDATE figures SET date = NULL, date_precision = NULL, date_lenders = NULL"
                       " WHERE id = ? AND date_lenders IS NOT NULL",
                       [(fid,) for fid, day, _ in rows_ if day is None])


def figure_rows_of(store: Store, articles: Iterable[str]) -> list[dict]:
    """Every figure row of ``articles`` (the columns the repeated-count pass reads, :data:`_REPEAT_COLUMNS`)."""
    cols = ", ".join(f"f.{c}" for c in _REPEAT_COLUMNS)
    return [dict(r) for r in select_in(store.db, f"SELECT {cols} FROM figures f WHERE f.article IN ({{}})",
                                       sorted(set(articles)))]


#: A figure the repeated-count pass may date (``corpus_dates._borrows``): undated, or dated by an earlier pass.
_BORROWS = ("(f.date IS NULL OR f.date = '' OR (f.date_precision = 'day' AND f.date_lenders IS NOT NULL"
            " AND f.date_lenders != ''))")
#: A figure that lends its day (``corpus_dates._lends``): dated to a day by its own article.
_LENDS = ("f.date IS NOT NULL AND f.date != '' AND f.date_precision = 'day'"
          " AND (f.date_lenders IS NULL OR f.date_lenders = '')")
#: A count (value, unit, qualifier or ''), the key of the pass's reads.
_COUNT = "value REAL, unit TEXT, qualifier TEXT"
#: A wording of a count: the count, action or '' and what.
_WORDING = _COUNT + ", action TEXT, what TEXT"


def _counted(store: Store, name: str, key: str, keys: Iterable[tuple], cols: str, where: str,
             words: Iterable[str]) -> list[Any]:
    """The rows (``cols`` of figures ``f``) of the figures matching one of ``keys`` (columns ``key``: counts,
    :data:`_COUNT`, or wordings, :data:`_WORDING`) and ``where``, that say what they count (``what`` not empty)
    and, if ``words`` are given, name one of them in their action or ``what`` (lower-case ASCII; compared with
    the ASCII-lower-cased text, so the filter keeps at least every figure whose lower-cased words include one)."""
    terms = tuple(sorted(set(words)))
    said = " AND f.what IS NOT NULL AND f.what != ''"
    if terms:
        said += " AND " + repeat_verb_condition(terms, "f.")
    keys = sorted(set(keys))
    on = "f.value = k.value AND f.unit = k.unit AND coalesce(f.qualifier, '') = k.qualifier"
    if key == _WORDING:
        # the figures of each wanted wording's count are visited once (a probe per wording would visit
        # a count's figures once per wording), each kept when its wording is wanted
        fill_temp_keys(store, name + "_w", key, keys)
        where += (f" AND EXISTS (SELECT 1 FROM temp.{name}_w w WHERE w.value = f.value AND w.unit = f.unit"
                  " AND w.qualifier = coalesce(f.qualifier, '') AND w.action = coalesce(f.action, '')"
                  " AND w.what = f.what)")
        keys = sorted({k[:3] for k in keys})
    fill_temp_keys(store, name, _COUNT, keys)
    if terms == REPEAT_VERB_WORDS:
        # each wanted count probes the partial index of the figures naming these verbs (idx_figures_repeat_cover,
        # migration 0032: its condition is ``said``'s, term for term; it holds every column the reads of
        # wordings and lenders take, so they read it alone)
        sql = f"SELECT {cols} FROM temp.{name} k CROSS JOIN figures f ON {on} WHERE {where}{said}"
    else:
        # the filter is applied to the figures of the wanted keys only (in the join's WHERE, SQLite
        # would test it on every figure it scans)
        sql = (f"WITH m AS MATERIALIZED (SELECT f.* FROM temp.{name} k JOIN figures f ON {on} WHERE {where})"
               f" SELECT {cols} FROM m f WHERE 1{said}")
    return store.db.execute(sql).fetchall()


def waiting_wordings(store: Store, counts: Iterable[tuple[float, str, str]],
                     words: Iterable[str] = ()) -> list[tuple[float, str, str, str, str]]:
    """The distinct wordings (value, unit, qualifier or '', action or '', what) of the figures that may borrow
    a day from the repeated-count pass (undated, or dated by an earlier pass) and state one of ``counts``
    (value, unit, qualifier or ''), among those that say what they count and name one of ``words``
    (:func:`_counted`): grouped in SQL, so a count that thousands of figures state in a few wordings gives
    a few rows (issue 17: at 100,000, 26,678 such figures in 13,666 wordings)."""
    cols = "DISTINCT f.value, f.unit, coalesce(f.qualifier, ''), coalesce(f.action, ''), f.what"
    return [(r[0], r[1], r[2], r[3], r[4]) for r in _counted(store, "want_waiting", _COUNT, counts, cols, _BORROWS,
                                                              words)]


def waiting_rows(store: Store, wordings: Iterable[tuple[float, str, str, str, str]],
                 words: Iterable[str] = ()) -> list[dict]:
    """The rows (:data:`_REPEAT_COLUMNS`) of the figures that may borrow a day (as in :func:`waiting_wordings`)
    and are worded as one of ``wordings`` (``words``: those :func:`waiting_wordings` was given)."""
    cols = ", ".join(f"f.{c}" for c in _REPEAT_COLUMNS)
    return [dict(r) for r in _counted(store, "want_wordings", _WORDING, wordings, cols, _BORROWS, words)]


def lender_rows(store: Store, counts: Iterable[tuple[float, str, str]], words: Iterable[str] = ()) -> list[dict]:
    """The rows of the figures that lend their day to the repeated-count pass (dated to a day by their own
    article) and state one of ``counts`` (value, unit, qualifier or ''), among those that say what they
    count and name one of ``words`` (:func:`_counted`), without their sentence (the pass reads a lender's
    count, wording, article and day only)."""
    cols = ", ".join(f"f.{c}" for c in _REPEAT_COLUMNS if c != "sentence")
    return [dict(r) for r in _counted(store, "want_lenders", _COUNT, counts, cols, _LENDS, words)]


#: The columns of a figure the repeated-count pass reads (:func:`figure_rows_of`, :func:`waiting_rows`).
_REPEAT_COLUMNS = ("id", "article", "start", "value", "unit", "what", "action", "qualifier", "date", "date_precision",
                   "sentence", "date_lenders")


def load_figures(store: Store, articles: Iterable[str] | None = None) -> list[tuple[str, Figure]]:
    """Every stored figure (of ``articles`` only, if given) as (article id,
    :class:`~scamtrace.model.Figure`), in article then text order (the records the knowledge stage merges)."""
    names = {f.name for f in dataclasses.fields(Figure)}
    if articles is None:
        found = rows(store, "figures")
    else:
        found = [dict(r) for r in select_in(store.db, "SELECT * FROM figures WHERE article IN ({}) ORDER BY article, start",
                                             sorted(set(articles)))]
    return [(r["article"], Figure(**{k: v for k, v in r.items() if k in names})) for r in found]


def rows(store: Store, table: str, article: str | None = None, story: str | None = None) -> list[dict]:
    """Per-article records of ``table`` (mentions, figures, quotes, date_refs, events), optionally of
    one article or one story, in article then text order."""
    if table not in {"mentions", "figures", "quotes", "date_refs", "events"}:
        raise ValueError(f"unknown table {table!r}")
    order = "t.sentence_start" if table == "events" else "t.start"
    sql = f"SELECT t.* FROM {table} t"
    args: list[Any] = []
    if story:
        sql += " JOIN story_members sm ON sm.article = t.article WHERE sm.story = ?"
        args.append(story)
    elif article:
        sql += " WHERE t.article = ?"
        args.append(article)
    sql += f" ORDER BY t.article, {order}"
    out = []
    for r in store.execute(sql, args):
        d = dict(r)
        for k in ("actors", "figures", "evidence"):
            if k in d and isinstance(d[k], str):
                d[k] = json.loads(d[k])
        out.append(d)
    return out


#: The columns :func:`replace_knowledge` writes, per table (a row is compared with the stored one column by column).
_FACT_COLS: tuple[str, ...] = ("id", "story", "value", "unit", "what", "date", "place", "articles", "independent_sources",
              "conflict_group", "disputes", "algorithm")
_CITATION_COLS: tuple[str, ...] = ("fact", "article", "family", "sentence", "claimant", "qualifier", "own_family", "borrowed_from",
                  "evidence")
_DISPUTE_COLS: tuple[str, ...] = ("fact", "article", "family", "own_family", "sentence", "claimant", "claimant_source",
                 "disputed_claimant", "rule", "cue", "evidence", "algorithm")
_EVENT_COLS: tuple[str, ...] = ("id", "story", "type", "date", "date_start", "date_end", "date_precision", "place", "actors", "figures",
               "articles", "independent_sources", "hedged", "algorithm")
_EVENT_CITATION_COLS: tuple[str, ...] = ("event", "article", "family", "mention", "sentence", "own_family", "borrowed_from",
                        "date_evidence")


class _KnowledgeRows(NamedTuple):
    """The rows :func:`replace_knowledge` writes, per table, in the order of its columns (``_*_COLS``)."""
    facts: list[tuple]
    citations: list[tuple]
    disputes: list[tuple]
    events: list[tuple]
    event_citations: list[tuple]


def _knowledge_rows(facts_by_story: Mapping[str, list[Fact]], events_by_story: Mapping[str, list[MergedEvent]],
                    fact_ids: Mapping[tuple[str, int], str] | None) -> _KnowledgeRows:
    out = _KnowledgeRows([], [], [], [], [])
    for story, facts in facts_by_story.items():
        for k, f in enumerate(facts):
            fid = (fact_ids or {}).get((story, k)) or f"{story}:{f.id}"
            disputes = getattr(f, "disputes", [])
            out.facts.append((fid, story, f.value, f.unit, f.what, f.date, f.place, f.articles, f.independent_sources,
                              f"{story}:{f.conflict_group}" if f.conflict_group else None,
                              len({d.family for d in disputes}), f.algorithm))
            out.citations.extend((fid, c.article, c.family, c.sentence, c.claimant, c.qualifier,
                                  getattr(c, "own_family", None) or c.family, getattr(c, "borrowed_from", None),
                                  _j(getattr(c, "evidence", {}) or {})) for c in f.citations)
            out.disputes.extend((fid, d.article, d.family, d.own_family or d.family, d.sentence, d.claimant,
                                 d.claimant_source, d.disputed_claimant, d.rule, d.cue, _j(d.evidence), d.algorithm)
                                for d in disputes)
    for story, events in events_by_story.items():
        for e in events:
            eid = f"{story}:{e.id}"
            out.events.append((eid, story, e.type, e.date, e.date_start, e.date_end, e.date_precision, e.place,
                               _j(e.actors), _j(e.figures), e.articles, e.families, int(e.hedged), e.algorithm))
            out.event_citations.extend((eid, c.article_id, c.family, c.event_id, c.sentence,
                                        getattr(c, "own_family", None) or c.family, getattr(c, "borrowed_from", None),
                                        _j(c.date_evidence) if getattr(c, "date_evidence", None) else None)
                                       for c in e.citations)
    return out


def _insert(db: Any, table: str, cols: tuple[str, ...], rows: Iterable[tuple], verb: str = "INSERT") -> None:
    names = ", ".join(f'"{c}"' for c in cols)
    db.executemany(f"{verb} INTO {table}({names}) VALUES ({','.join('?' * len(cols))})", rows)


def replace_knowledge(store: Store, facts_by_story: Mapping[str, list[Fact]], events_by_story: Mapping[str, list[MergedEvent]],
                      fact_ids: Mapping[tuple[str, int], str] | None = None, stories: Iterable[str] | None = None) -> list[str]:
    """Replace the merged facts and story events (with their citations): all of them, or those of
    ``stories`` only. ``fact_ids`` gives the lasting id of each fact by (story, position)
    (``stories.ids-v3``); without it a fact's id is its story's id and the fact's own id. Returns the
    ids of the facts written.

    With ``stories``, the stored rows of those stories are compared with the new ones and only those that
    differ are deleted, updated or inserted (issue 17: an incremental run merges again the stories its
    articles touch, most of whose facts come out as stored; rewriting them all took 0.8 CPU s of the
    knowledge stage at 100,000 articles). The tables then hold exactly the rows a rewrite leaves."""
    new = _knowledge_rows(facts_by_story, events_by_story, fact_ids)
    written = [r[0] for r in new.facts]
    with store.write() as db:
        if stories is None:
            for t in ("fact_disputes", "fact_citations", "facts", "story_event_citations", "story_events"):
                db.execute(f"DELETE FROM {t}")
        elif len({r[0] for r in new.events}) == len(new.events) and len(set(written)) == len(written):
            _write_changed(store, sorted(set(stories)), new)
            return written
        else:   # an event id twice (INSERT OR REPLACE keeps the last) or a fact id twice (refused): as before
            for sid in sorted(set(stories)):   # citations and disputes go with their fact or event
                db.execute("DELETE FROM fact_disputes WHERE fact IN (SELECT id FROM facts WHERE story = ?)", (sid,))
                db.execute("DELETE FROM fact_citations WHERE fact IN (SELECT id FROM facts WHERE story = ?)", (sid,))
                db.execute("DELETE FROM facts WHERE story = ?", (sid,))
                db.execute("DELETE FROM story_event_citations WHERE event IN"
                           " (SELECT id FROM story_events WHERE story = ?)", (sid,))
                db.execute("DELETE FROM story_events WHERE story = ?", (sid,))
        _write_all(db, new)
    return written


def _write_all(db: Any, new: _KnowledgeRows) -> None:
    """Insert every row of ``new`` (its facts with their citations and disputes, fact by fact, then the events)."""
    cits: dict[str, list[tuple]] = {}
    for r in new.citations:
        cits.setdefault(r[0], []).append(r)
    disps: dict[str, list[tuple]] = {}
    for r in new.disputes:
        disps.setdefault(r[0], []).append(r)
    for f in new.facts:
        _insert(db, "facts", _FACT_COLS, [f])
        _insert(db, "fact_citations", _CITATION_COLS, cits.get(f[0], []))
        _insert(db, "fact_disputes", _DISPUTE_COLS, disps.get(f[0], []))
    ecits: dict[str, list[tuple]] = {}
    for r in new.event_citations:
        ecits.setdefault(r[0], []).append(r)
    for e in new.events:
        _insert(db, "story_events", _EVENT_COLS, [e], "INSERT OR REPLACE")
        _insert(db, "story_event_citations", _EVENT_CITATION_COLS, ecits.get(e[0], []))


def _write_changed(store: Store, stories: list[str], new: _KnowledgeRows) -> None:
    """Make the facts and story events of ``stories`` (with their citations and disputes) those of ``new``,
    writing only the rows that differ from the stored ones (inside the caller's transaction). Rows of a
    table without a key are compared as a multiset; a fact or event whose row changed is updated in place
    (deleting it would take its citations along: ``ON DELETE CASCADE``). Citations and disputes are deleted
    before and inserted after their facts and events (the foreign keys are checked at once)."""
    db = store.db
    fill_temp_keys(store, "want_knowledge_stories", "id", ((s,) for s in stories))
    within = "SELECT id FROM {} WHERE story IN (SELECT id FROM temp.want_knowledge_stories)"
    inserts: list[tuple[str, tuple[str, ...], list[tuple]]] = []
    for table, cols, key_table, key, rows in (
            ("fact_citations", _CITATION_COLS, "facts", "fact", new.citations),
            ("fact_disputes", _DISPUTE_COLS, "facts", "fact", new.disputes),
            ("story_event_citations", _EVENT_CITATION_COLS, "story_events", "event", new.event_citations)):
        names = ", ".join(f'"{c}"' for c in cols)
        old: dict[tuple, list[int]] = {}
        for r in db.execute(f"SELECT rowid, {names} FROM {table} WHERE {key} IN ({within.format(key_table)})"):
            old.setdefault(tuple(r[1:]), []).append(r[0])
        insert = []
        for row in rows:
            ids = old.get(row)
            if ids:
                ids.pop()
            else:
                insert.append(row)
        db.executemany(f"DELETE FROM {table} WHERE rowid = ?", [(i,) for ids in old.values() for i in ids])
        inserts.append((table, cols, insert))
    for table, cols, rows in (("facts", _FACT_COLS, new.facts), ("story_events", _EVENT_COLS, new.events)):
        names = ", ".join(f'"{c}"' for c in cols)
        stored = {r[0]: tuple(r) for r in db.execute(f"SELECT {names} FROM {table} WHERE id IN ({within.format(table)})")}
        fresh = {r[0]: r for r in rows}
        db.executemany(f"DELETE FROM {table} WHERE id = ?", [(i,) for i in stored if i not in fresh])
        sets = ", ".join(f'"{c}" = ?' for c in cols[1:])
        db.executemany(f"UPDATE {table} SET {sets} WHERE id = ?",
                       [(*r[1:], r[0]) for i, r in fresh.items() if i in stored and stored[i] != r])
        _insert(db, table, cols, [r for i, r in fresh.items() if i not in stored])
    for table, cols, rows in inserts:
        _insert(db, table, cols, rows)


def facts(store: Store, story: str | None = None) -> list[FactRow]:
    """Every stored fact (or one story's) with its citations and disputes, by story, unit, what, value."""
    sql = "SELECT * FROM facts" + (" WHERE story = ?" if story else "") + " ORDER BY story, unit, what, value"
    out: list[FactRow] = []
    for r in store.execute(sql, (story,) if story else ()):
        d = dict(r)
        d["citations"] = [dict(c) for c in store.execute(
            "SELECT article, family, claimant, qualifier, sentence, own_family, borrowed_from FROM fact_citations"
            " WHERE fact = ? ORDER BY article", (r["id"],))]
        d["disputes"] = [dict(c) for c in store.execute(
            "SELECT article, family, own_family, claimant, claimant_source, disputed_claimant, rule, cue, sentence"
            " FROM fact_disputes WHERE fact = ? ORDER BY article, sentence", (r["id"],))]
        out.append(cast(FactRow, d))
    return out


def story_events(store: Store, story: str | None = None) -> list[CitedStoryEvent]:
    """Every story event (or one story's) with its citations, by story, start date, type and id."""
    sql = "SELECT * FROM story_events" + (" WHERE story = ?" if story else "") + " ORDER BY story, date_start, type, id"
    out: list[CitedStoryEvent] = []
    for r in store.execute(sql, (story,) if story else ()):
        d = dict(r)
        d["actors"] = json.loads(d["actors"])
        d["figures"] = json.loads(d["figures"])
        d["citations"] = [{**dict(c), "date_evidence": json.loads(c["date_evidence"]) if c["date_evidence"] else None}
                          for c in store.execute(
            "SELECT article, family, sentence, own_family, borrowed_from, date_evidence FROM story_event_citations"
            " WHERE event = ? ORDER BY article", (r["id"],))]
        out.append(cast(CitedStoryEvent, d))
    return out


def replace_actors(store: Store, actors: Iterable[Actor], of: Iterable[str] | None = None) -> None:
    """Replace the actors and their aliases (each alias names exactly one actor): all of them, or
    the actors holding one of the names ``of``."""
    with store.write() as db:
        if of is None:
            db.execute("DELETE FROM actor_aliases")
            db.execute("DELETE FROM actors")
        else:
            for name in sorted(set(of)):
                row = db.execute("SELECT actor FROM actor_aliases WHERE alias = ?", (name,)).fetchone()
                if row is not None:
                    db.execute("DELETE FROM actor_aliases WHERE actor = ?", (row[0],))
                    db.execute("DELETE FROM actors WHERE name = ?", (row[0],))
        for a in actors:
            db.execute("INSERT INTO actors(name, label, mentions, evidence, algorithm) VALUES (?,?,?,?,?)",
                       (a.name, a.label, a.mentions, _j(a.evidence), a.algorithm))
            db.executemany("INSERT OR IGNORE INTO actor_aliases(alias, actor) VALUES (?, ?)",
                           [(x, a.name) for x in a.aliases])


def actor_of(store: Store) -> dict[str, str]:
    """Every known alias -> its actor's representative name."""
    return {r["alias"]: r["actor"] for r in store.execute("SELECT alias, actor FROM actor_aliases")}


def wording_rows(store: Store, ids: list[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The mentions, quotes and figures of the articles ``ids`` (with their row ids), for the family
    wording corrections of spun articles."""
    marks = ",".join("?" * len(ids))

    def read(sql: str) -> list[dict[str, Any]]:
        return [dict(r) for r in store.execute(sql.format(marks=marks), ids)]

    return (read("SELECT id, article, text, label, canonical, role, source FROM mentions WHERE article IN ({marks})"),
            read("SELECT id, article, quote, speaker FROM quotes WHERE article IN ({marks})"),
            read("SELECT id, article, value, unit, what, action, claimant FROM figures WHERE article IN ({marks})"))


def apply_wording(store: Store, planned: Iterable[Any]) -> None:
    """Write family wording corrections (``extract.family_wording.Corrections``: row ids to drop,
    rename or reword) in one transaction."""
    with store.write() as db:
        for c in planned:
            db.executemany("DELETE FROM mentions WHERE id = ?", [(i,) for i in c.drop_mentions])
            db.executemany("UPDATE mentions SET canonical = ?, source = 'family' WHERE id = ?",
                           [(name, i) for i, name in c.rename_mentions])
            db.executemany("DELETE FROM quotes WHERE id = ?", [(i,) for i in c.drop_quotes])
            db.executemany("UPDATE quotes SET quote = ?, speaker = ?, attribution = 'family-wording' WHERE id = ?",
                           [(q, s, i) for i, q, s in c.replace_quotes])
            db.executemany("UPDATE figures SET what = ?, action = ?, claimant = ?, unit = ? WHERE id = ?",
                           [(w, act, who, unit, i) for i, w, act, who, unit in c.figure_whats])
            db.executemany("UPDATE mentions SET role = ? WHERE id = ?", [(r, i) for i, r in c.mention_roles])


#: Columns of the per-article tables that :func:`put_extraction` writes (besides the row id; an
#: event's id is its own). :func:`add_extracted_rows` writes rows given by these names.
EXTRACTED_COLUMNS: dict[str, tuple[str, ...]] = {
    "mentions": ("article", "text", "label", "canonical", "role", "start", "end", "source", "algorithm"),
    "figures": ("article", "value", "unit", "what", "action", "qualifier", "vague_rule", "converted_value",
                "converted_unit", "date", "date_precision", "place", "claimant", "text", "sentence",
                "sentence_start", "sentence_end", "start", "end", "algorithm"),
    "quotes": ("article", "quote", "speaker", "role", "sentence", "start", "end", "attribution", "algorithm"),
    "date_refs": ("article", "text", "start", "end", "iso_start", "iso_end", "precision", "algorithm"),
    "events": ("id", "article", "type", "trigger", "date", "date_start", "date_end", "date_precision", "date_source",
               "place", "hedged", "sentence", "sentence_start", "sentence_end", "actors", "figures", "evidence",
               "frame", "algorithm"),
}


def clear_extraction(store: Store, article_ids: Iterable[str]) -> None:
    """Delete the per-article records (mentions, figures, quotes, dates, events) of these articles."""
    ids = [(a,) for a in article_ids]
    with store.write() as db:
        for table in EXTRACTED_COLUMNS:
            db.executemany(f"DELETE FROM {table} WHERE article = ?", ids)


def add_extracted_rows(store: Store, table: str, records: Iterable[Mapping[str, Any]]) -> int:
    """Insert per-article records already in the store's columns (:data:`EXTRACTED_COLUMNS`;
    JSON columns as text), e.g. the extraction tables of ``spark analyze``; returns the count."""
    if table not in EXTRACTED_COLUMNS:
        raise ValueError(f"unknown table {table!r}")
    cols = EXTRACTED_COLUMNS[table]
    verb = "INSERT OR REPLACE" if table == "events" else "INSERT"
    sql = f"{verb} INTO {table}({', '.join(chr(34) + c + chr(34) for c in cols)}) VALUES ({','.join('?' * len(cols))})"
    values = [tuple(r[c] for c in cols) for r in records]
    with store.write() as db:
        db.executemany(sql, values)
    return len(values)
