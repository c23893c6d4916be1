"""What an incremental ingest and knowledge stage read (issue 17 part 2, ``0021_incremental_reads``):
a block of actor names is read by the folded lengths the rules can join, the alias clean-up looks up
only the ids it can concern, the boilerplate relearn reads only the frequent lines, and none of these
reads scans a table that grows with the store. Each read gives what the whole read gives.
"""
from __future__ import annotations

import random
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from scamtrace import api, pipeline
from scamtrace.copies.synth import generate
from scamtrace.knowledge.actors import _join_reason, block_key, fold, join_sizes
from scamtrace.store import queries
from scamtrace.store.caches import FREQUENT_PAGES, frequent_boilerplate_keys
from scamtrace.stories.ids import Alias
from test_stories_warm import _jsonl


def _names(rng: random.Random, n: int) -> list[str]:
    """Names that differ by an insertion, a deletion, a hyphen, an accent or a letter of any script."""
    stems = ["Wei Huaxin", "Ming Xuechang", "Zhou Qiming", "Anna Lee", "Nachai Deeyot", "Ngô Thị Hương",
             "Kotharia Border Command", "Al", "Bo", "Ko Ko Aung", "Ümit Çelik"]
    out = set(stems)
    while len(out) < n:
        s = list(rng.choice(stems))
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(s) + 1)
            op = rng.random()
            if op < 0.4:
                s.insert(i, rng.choice("aeiouhngé-. xyz"))
            elif op < 0.8 and s:
                del s[min(i, len(s) - 1)]
            elif s:
                s[min(i, len(s) - 1)] = rng.choice("aeiouhng")
        out.add("".join(s))
    return sorted(out)


def test_join_sizes_hold_every_length_the_rules_join():
    """Every pair the rules join has its folded lengths within :func:`join_sizes` of each other (for
    people, whose spelling ratio may join two lengths; organisations, a generic word longer or shorter;
    places, a place word after a subdivision; other labels, only an equal folded form)."""
    rng = random.Random(17)
    names = _names(rng, 400)
    names += [f"{n} {w}" for n in names[:40] for w in ("Group", "International", "Co.")]
    names += [f"{p} {w}" for p in ("Bokeo", "Kayin", "Gia Lai", "Tarlac") for w in ("", " Province", " State", " region")]
    joined = 0
    for label in ("PERSON", "ORG", "GPE", "COMPOUND"):
        for a in names:
            fa = fold(a)
            for b in names:
                if _join_reason(label, fa, fold(b)) is not None:
                    joined += 1
                    assert len(fold(b)) in join_sizes(len(fa), label), (label, a, b)
    assert joined > 2 * len(names)   # pairs of other lengths were joined too, not only names with themselves
    # at the edge: 12 and 13 letters have a ratio of 96, so they must be read for each other
    assert 13 in join_sizes(12, "PERSON") and 12 in join_sizes(13, "PERSON")
    assert list(join_sizes(12, "COMPOUND")) == [12]
    assert 12 + len("group") in join_sizes(12, "ORG") and 12 + len("province") in join_sizes(12, "GPE")


def test_block_key_is_the_prefix_and_the_folded_length():
    assert block_key("Ngô Thị-Hương") == (fold("Ngô Thị-Hương")[:3], len(fold("Ngô Thị-Hương")))


def _two_stores(tmp_path: Path) -> tuple[Any, Any]:
    stores = []
    for name in ("a", "b"):
        s = api.open_store(tmp_path / f"{name}.db")
        with s.write() as db:
            db.execute("INSERT INTO stories(id, title, size, families, algorithm) VALUES ('s1', 't', 1, 1, 'x')")
            for i in range(4):
                db.execute("INSERT INTO facts(id, story, value, unit, what, articles, independent_sources, algorithm)"
                           " VALUES (?, 's1', 1, 'people', 'w', 1, 1, 'x')", (f"s1:fact-{i}",))
        stores.append(s)
    return stores[0], stores[1]


def test_put_aliases_with_the_ids_made_live_leaves_what_the_whole_check_leaves(tmp_path):
    """An alias whose old id is live again goes either way; the chains of aliases move alike."""
    whole, told = _two_stores(tmp_path)
    first = [Alias("s1:fact-9", "s1:fact-8", "merged"), Alias("s1:fact-8", "s1:fact-7", "merged")]
    for s in (whole, told):
        s.put_aliases("fact", first)
    with whole.write(), told.write():   # s1:fact-8 is a live id again, and retired ids chain on
        for s in (whole, told):
            s.db.execute("INSERT INTO facts(id, story, value, unit, what, articles, independent_sources, algorithm)"
                         " VALUES ('s1:fact-8', 's1', 1, 'people', 'w', 1, 1, 'x')")
        second = [Alias("s1:fact-7", "s1:fact-0", "split"), Alias("s1:fact-1", "s1:fact-2", "merged")]
        whole.put_aliases("fact", second)
        told.put_aliases("fact", second, made_live=["s1:fact-8"])

    def rows(s: Any) -> list[tuple]:
        return sorted(tuple(r) for r in s.execute("SELECT old, new, reason FROM fact_aliases"))
    assert rows(told) == rows(whole)
    assert ("s1:fact-8", "s1:fact-0", "merged") not in rows(told)       # live again: no longer an alias
    assert ("s1:fact-9", "s1:fact-0", "merged") in rows(told)           # its chain followed the split
    assert not any(r[0] == "s1:fact-1" for r in rows(told))             # s1:fact-1 is live
    plan = " ".join(r[3] for r in told.execute("EXPLAIN QUERY PLAN UPDATE fact_aliases SET new = 'a' WHERE new = 'b'"))
    assert "idx_fact_aliases_new" in plan


@pytest.fixture(scope="module")
def grown(tmp_path_factory):  # noqa: ANN201
    """A synthetic store analysed in two batches, with every SQL statement of the second batch's ingest
    and knowledge stage recorded: (store, statements)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SCAMTRACE_NO_SPACY", "1")
    tmp = tmp_path_factory.mktemp("reads")
    arts = generate(80, 21).articles
    store = api.open_store(tmp / "s.db")
    api.ingest(store, [_jsonl(tmp / "a.jsonl", arts[:60])])
    api.analyze(store)
    seen: list[str] = []
    on = [True]
    store.db.set_trace_callback(lambda sql: seen.append(sql) if on[0] else None)
    api.ingest(store, [_jsonl(tmp / "b.jsonl", arts[60:])])
    build = pipeline.build_knowledge

    def traced(*args: Any, **kw: Any) -> None:
        on[0] = True
        try:
            build(*args, **kw)
        finally:
            on[0] = False
    on[0] = False
    mp.setattr(pipeline, "build_knowledge", traced)
    api.analyze(store)
    store.db.set_trace_callback(None)
    yield store, seen
    mp.undo()
    store.close()


#: Tables that grow with the store; an incremental ingest or knowledge stage reads them by key only.
_GROWING = ("mention_counts", "actor_name_blocks", "story_members", "facts", "fact_aliases", "fact_citations",
            "boilerplate_keys", "links", "mentions", "figures", "events", "actors", "actor_aliases")


def _scanned(sql: str, detail: str) -> str | None:
    """The growing table a query plan's line scans (named, or by its alias in ``sql``), if any."""
    m = re.match(r"SCAN (\w+)", detail)
    if not m:
        return None
    name = m.group(1)
    if name in _GROWING:
        return name
    return next((t for t in _GROWING if re.search(rf"\b{t}\s+(?:AS\s+)?{name}\b", sql)), None)


def test_the_incremental_ingest_and_knowledge_stage_scan_no_growing_table(grown):
    store, seen = grown
    assert any("mention_counts" in s for s in seen) and any("fact_aliases" in s for s in seen)
    scans = []
    for sql in dict.fromkeys(seen):
        if not re.match(r"(?is)\s*(select|with|delete|update)", sql) or re.search(r"(?i)\blimit 1$", sql.strip()):
            continue   # (a read of one row, whatever the plan)
        try:
            plan = store.db.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
        except sqlite3.Error:   # a statement whose temporary table is gone
            continue
        scans += [(row[3], " ".join(sql.split())[:160]) for row in plan if _scanned(sql, row[3])]
    assert not scans, scans


def test_the_acronym_lookups_read_only_acronym_mentions(grown):
    """The incremental actor lookup reads the defined acronyms by acronym and by long name through the
    partial indexes of the acronym mentions (``0029``): through ``idx_mentions_canonical`` it visited every
    mention of a much-named name (0.2 CPU s a call at 100,000 articles)."""
    store, seen = grown
    reads = [sql for sql in dict.fromkeys(seen) if "source = 'acronym'" in sql and "want_acronyms" in sql]
    assert reads
    for sql in reads:
        plan = " ".join(row[3] for row in store.db.execute("EXPLAIN QUERY PLAN " + sql))
        assert "idx_mentions_acronym_long" in plan and "idx_mentions_acronym " in plan + " ", plan
        assert "idx_mentions_canonical" not in plan, plan


def test_spun_articles_of_some_articles_are_those_of_every_article(grown):
    store, _ = grown
    spun = queries.spun_articles(store)
    ids = [r[0] for r in store.execute("SELECT id FROM articles ORDER BY id")]
    some = ids[::3] + sorted(spun)[:2]
    assert spun, "the synthetic store has spun copies"
    assert queries.spun_articles(store, some) == spun & set(some)


def test_the_frequent_boilerplate_lines_are_read_from_their_index_and_are_those_of_every_line(tmp_path):
    store = api.open_store(tmp_path / "b.db")
    rng = random.Random(3)
    rows = {(o, f"line {k}", rng.randint(1, 6)) for o in ("A", "B", "C", "D") for k in rng.sample(range(60), 40)}
    with store.write() as db:
        db.executemany("INSERT INTO boilerplate_keys(outlet, key, pages) VALUES (?, ?, ?)", sorted(rows))
    for minimum in (1, 2, FREQUENT_PAGES, FREQUENT_PAGES + 2):
        for some in (["A", "B", "C", "D"], ["A", "C"], ["B"]):
            want: dict[str, set[str]] = {}
            for o, k, p in rows:
                shared = any(k2 == k and o2 != o and o2 in some for o2, k2, _ in rows)
                if o in some and p >= minimum and not shared:
                    want.setdefault(o, set()).add(k)
            assert frequent_boilerplate_keys(store, some, minimum) == want, (minimum, some)
    assert any(len(v) for v in frequent_boilerplate_keys(store, ["B"], FREQUENT_PAGES).values())
    seen: list[str] = []
    store.db.set_trace_callback(seen.append)
    frequent_boilerplate_keys(store, ["A", "C"], FREQUENT_PAGES)
    store.db.set_trace_callback(None)
    plan = " ".join(r[3] for r in store.db.execute("EXPLAIN QUERY PLAN " + seen[-1]))
    assert "idx_boilerplate_keys_frequent" in plan and "SCAN k" not in plan
    store.close()


def test_the_links_of_the_extracted_articles_come_from_those_of_the_neighbourhood(grown):
    """The extract stage reads the neighbourhood's links once: those touching the articles it extracts,
    taken from them, are what the store gives for those articles, in the same order."""
    from scamtrace.extract.stage import _touching
    store, _ = grown
    linked = sorted({x for ln in store.links() for x in (ln.article, ln.source, ln.sibling) if x})
    assert len(linked) > 10
    rng = random.Random(4)
    for _ in range(5):
        hood = rng.sample(linked, len(linked) // 2)
        ids = rng.sample(hood, len(hood) // 3)
        assert _touching(store.links_touching(hood), ids) == store.links_touching(ids)


def test_a_store_upgraded_to_the_name_lengths_records_every_name_and_resolves_the_same_actors(grown, tmp_path):
    """0021_incremental_reads makes actor_name_blocks again, empty, with no name queued: the next analyze
    records every mentioned name's block (name_blocks_missing) and resolves the actors a full run gives."""
    from conftest import copy_store
    from scamtrace.knowledge.build import update_actors
    store, _ = grown
    db = copy_store(Path(store.path), tmp_path / "upgraded.db")
    con = sqlite3.connect(db)
    con.execute("DELETE FROM actor_name_blocks")
    con.commit()
    con.close()
    up = api.open_store(db)
    mp = pytest.MonkeyPatch()
    mp.setenv("SCAMTRACE_NO_SPACY", "1")
    try:
        api.ingest(up, [_jsonl(tmp_path / "c.jsonl", generate(12, 22).articles)])
        api.analyze(up)
    finally:
        mp.undo()
    names = {r[0] for r in up.execute("SELECT DISTINCT canonical FROM mention_counts")}
    blocks = {r[0]: (r[1], r[2]) for r in up.execute("SELECT name, prefix, size FROM actor_name_blocks")}
    assert names and set(blocks) == names and all(blocks[n] == block_key(n) for n in names)
    got = sorted(tuple(r) for r in up.execute("SELECT name, label, mentions, evidence FROM actors"))
    update_actors(up, None)   # every name resolved again
    assert sorted(tuple(r) for r in up.execute("SELECT name, label, mentions, evidence FROM actors")) == got
    up.close()


def test_thread_frame_days_and_scores_read_the_covering_index(tmp_path):
    """An incremental stories run reads the day and link score of every story of the threads it reaches
    (hundreds in a large store's threads) by story: through ``idx_story_thread_frames_day`` (``0030``),
    looking the wanted stories up (the join scanned every stored thread frame, with its JSON). The same
    days and scores as the table holds."""
    from scamtrace.store.caches import put_thread_frames, thread_frame_days, thread_link_scores
    store = api.open_store(tmp_path / "t.db")
    rows = [(f"story-{i:04d}", 700000 + i % 50, '{"vec": "a frame"}', [f"n:{i % 7}"]) for i in range(700)]
    put_thread_frames(store, rows)
    with store.write() as db:
        db.executemany("UPDATE story_thread_frames SET score = ? WHERE story = ?",
                       [(i / 10, f"story-{i:04d}") for i in range(0, 700, 3)])
    want = {sid: day for sid, day, _, _ in rows}
    for some in (sorted(want)[:600], sorted(want)[:20] + ["story-none"]):   # the join, then one by one
        seen: list[str] = []
        store.db.set_trace_callback(seen.append)
        got = thread_frame_days(store, some)
        scores = thread_link_scores(store, some)
        store.db.set_trace_callback(None)
        assert got == {s: want[s] for s in some if s in want}
        assert scores == {s: (int(s[-4:]) / 10 if int(s[-4:]) % 3 == 0 else 0.0) for s in some if s in want}
        reads = {q for q in seen if q.lstrip().upper().startswith("SELECT")}
        assert any("want_thread_days" in q for q in reads) == (len(some) > 500)
        for sql in reads:
            plan = " ".join(r[3] for r in store.db.execute("EXPLAIN QUERY PLAN " + sql))
            assert "SCAN f" not in plan and "SCAN story_thread_frames" not in plan, (sql, plan)
            assert "COVERING INDEX idx_story_thread_frames_day" in plan, plan
    store.close()
