from types import SimpleNamespace

import pytest

from scamtrace import api
from scamtrace.export import EXPORTS
from scamtrace.knowledge import merge_figures
from scamtrace.knowledge.merge import dates_compatible, measure_key
from scamtrace.store.extracted import facts


def fig(value, what, date=None, unit="people", claimant=None, sentence=None, start=0, action=None):
    if action is None and " " in what:
        action = what.split()[-1]
    return SimpleNamespace(value=value, unit=unit, what=what, date=date, place=None, claimant=claimant,
                           qualifier=None, sentence=sentence or f"{value} {what}.", start=start, action=action)


def test_corroboration_counts_families_not_articles():
    items = [("a1", fig(31000, "suspects handed over", "2023-11-18")),
             ("a2", fig(31000, "suspects handed over", "2023-11-18")),
             ("b1", fig(31000, "suspects handed over", None))]
    one_family = merge_figures(items[:2], {"a1": "F", "a2": "F"})
    assert len(one_family) == 1 and one_family[0].articles == 2 and one_family[0].independent_sources == 1
    two = merge_figures(items, {"a1": "F", "a2": "F", "b1": "G"})
    assert len(two) == 1 and (two[0].articles, two[0].independent_sources) == (3, 2)
    assert two[0].date == "2023-11-18"


def test_conflicts_side_by_side_never_averaged():
    out = merge_figures([("a", fig(4100, "people detained", "2025-03-04", claimant="militia")),
                         ("b", fig(3800, "people detained", "2025-03-03/2025-03-04", claimant="police")),
                         ("c", fig(20000, "people held"))], {})
    by_value = {f.value: f for f in out}
    assert set(by_value) == {4100, 3800, 20000}                       # no averaged value
    assert by_value[4100].conflict_group and by_value[4100].conflict_group == by_value[3800].conflict_group
    assert by_value[20000].conflict_group is None                     # another measure
    assert by_value[4100].claimants == ["militia"]


def test_same_measure_by_action_and_near_synonyms():
    out = merge_figures([("a", fig(4100, "people detained in a raid", "2025-03-03", action="detained")),
                         ("b", fig(4000, "people held at the compound", "2025-03-03", action="held"))], {})
    assert out[0].conflict_group and out[0].conflict_group == out[1].conflict_group


def test_vague_measures_do_not_conflict():
    assert measure_key("people", "troops") is None
    out = merge_figures([("a", fig(600, "troops")), ("b", fig(500, "troops"))], {})
    assert all(f.conflict_group is None for f in out)


def test_dates_compatible():
    assert dates_compatible("2025-03-03", "2025-03-01/2025-03-10")
    assert not dates_compatible("2025-03-03", "2025-04-01/2025-04-30")
    assert dates_compatible(None, "2025-03-03")


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory, seeds_dir):
    store = api.open_store(tmp_path_factory.mktemp("k") / "k.db")
    api.ingest(store, [str(seeds_dir)])
    api.analyze(store)
    return store


def test_seed_31000_is_two_articles_one_source(seed_store):
    store = seed_store
    hits = [f for f in facts(store) if f["value"] == 31000]
    assert hits, "the 31,000 handover figure was not extracted"
    best = max(hits, key=lambda f: f["articles"])
    assert best["articles"] == 2 and best["independent_sources"] == 1
    assert {c["family"] for c in best["citations"]} == {store.family_of(c["article"]) for c in best["citations"]}
    # the export line carries the same corroboration
    recs, _ = api.export_records(store, "figures")
    lines = [r for r in recs if r["value"] == 31000]
    assert lines and all(r["independent_sources"] == 1 for r in lines if r["articles"] == 2)


@pytest.mark.parametrize("what", sorted(EXPORTS))
def test_every_export_has_its_columns(seed_store, what):
    recs, cols = api.export_records(seed_store, what)
    recs = list(recs)
    if what == "threads" and not recs:   # the five seeds hold no affair of several events
        from scamtrace.stories.threads import ThreadPlace

        seed_store.replace_threads([ThreadPlace(s["id"], "thread-test", n) for n, s in
                                    enumerate(seed_store.stories()[:2], 1)])
        recs = list(api.export_records(seed_store, what)[0])
    assert recs, what
    assert set(cols) <= set(recs[0]), (what, set(cols) - set(recs[0]))


def test_export_gives_each_figure_of_a_sentence_its_own_fact(seed_store):
    """A sentence stating several figures cites one fact per figure: each export line names the fact with its
    own value and unit (the export once keyed facts by sentence, so every figure took the last one's)."""
    by_id = {f["id"]: f for f in facts(seed_store)}
    recs, _ = api.export_records(seed_store, "figures")
    recs = [r for r in recs if r["fact"]]
    per_sentence: dict = {}
    for r in recs:
        per_sentence.setdefault((r["article"], r["sentence"]), set()).add((r["value"], r["unit"]))
    assert any(len(v) > 1 for v in per_sentence.values()), "no seed sentence states two figures any more"
    for r in recs:
        f = by_id[r["fact"]]
        assert f["unit"] == r["unit"] and abs(f["value"] - r["value"]) <= 0.01 * max(1.0, abs(r["value"])), (r, f)


def _age(value, who, sentence, start=0):
    return SimpleNamespace(value=value, unit="age", what=f"age of {who}" if who else "age", date=None, place=None,
                           claimant=None, qualifier=None, sentence=sentence, start=start, sentence_start=0,
                           action=None)


def test_ages_of_different_people_are_different_facts():
    """knowledge.figures-v3: an age is its person's. v2 merged these into one 'age' fact with 3 sources."""
    yachi = "The arrested men were Shoki Ishikawa, 32, and Tomonari Yachi, 22."
    fan = "Fan, a 22-year-old from China, was sold twice."
    items = [("a", _age(22, "Tomonari Yachi", yachi, yachi.index("22."))),
             ("b", _age(22, "student", "Police arrested a 22-year-old student.", 18)),
             ("c", _age(22, None, fan, fan.index("22")))]
    out = merge_figures(items, {})
    assert len(out) == 3 and all(f.independent_sources == 1 for f in out)
    assert all(f.algorithm == "knowledge.figures-v3" for f in out)


def test_ages_of_one_person_still_corroborate():
    cut = "22 years old with ID card, typing very slow."
    items = [("a", _age(22, "Tomonari Yachi", "Tomonari Yachi, 22, was arrested.", 16)),
             ("b", _age(22, "tomonari  yachi", "Police named him as Tomonari Yachi, 22.", 38)),
             # an unnamed age: the same sentence, or a copy cut short, word for word
             ("c", _age(22, None, "22 years old with ID card, typing very slow,” one ad read.")),
             ("d", _age(22, None, cut)),
             # the same words but another number: another person
             ("e", _age(22, None, "Aged 30 and 22, the two men were freed.", 15)),
             ("f", _age(22, None, "Aged 22 and 22, the two men were freed.", 9))]
    out = merge_figures(items, {k: k for k, _ in items})
    by_articles = sorted(sorted(c.article for c in f.citations) for f in out)
    assert by_articles == [["a", "b"], ["c", "d"], ["e"], ["f"]]



def test_the_incremental_knowledge_stage_reads_the_rebuilt_stories_only(tmp_path, seeds_dir):
    """The incremental knowledge stage reads the stories of its dirty articles, their members and
    the retired fact ids of those stories only (issue 17), not every membership and alias: each read
    is the whole one restricted, and a rebuilt story's new facts are still numbered above every
    retired fact id of that story (a read that missed one would hand its number out again)."""
    from scamtrace.knowledge.build import build_knowledge
    from scamtrace.store.analysis import fact_alias_ids_of_stories, members_of_stories, story_of_articles
    from scamtrace.store.extracted import replace_knowledge
    from scamtrace.stories.ids import Alias

    store = api.open_store(tmp_path / "k.db")
    api.ingest(store, [str(seeds_dir)])
    api.analyze(store)
    every = story_of_articles(store)
    stories = sorted(set(every.values()))
    assert len(stories) >= 2
    for some in (stories[:1], stories[1:], stories, []):
        assert members_of_stories(store, some) == {a: s for a, s in every.items() if s in some}
    arts = sorted(every)[::2]
    assert story_of_articles(store, arts) == {a: every[a] for a in arts}
    s = max(stories, key=lambda sid: sum(1 for x in every.values() if x == sid))
    planted = [f"{s}:fact-99", f"{s}:fact-97", f"{s}0:fact-500", f"{s}:facts-1", f"x{s}:fact-200", f"{s}-2:fact-300"]
    store.put_aliases("fact", [Alias(p, f"{s}:fact-1", "merged") for p in planted])
    assert fact_alias_ids_of_stories(store, [s]) == {a for a in store.alias_ids("fact") if a.startswith(f"{s}:fact-")}
    assert fact_alias_ids_of_stories(store, [s]) == {f"{s}:fact-99", f"{s}:fact-97"}
    replace_knowledge(store, {}, {}, stories=[s])   # the story's facts are merged again from nothing: all new
    build_knowledge(store, [a for a, x in every.items() if x == s])
    got = [f["id"] for f in facts(store, s)]
    assert got and all(int(fid.rsplit("-", 1)[1]) > 99 for fid in got), got


def test_the_incremental_knowledge_stage_writes_only_what_changed(tmp_path, seeds_dir, monkeypatch):
    """An incremental knowledge run writes only the rows of its stories that differ from the stored ones
    (issue 17): after a story's stored facts, citations, disputes, events and event citations were changed,
    dropped, doubled or added to, merging it again leaves exactly the rows a rewrite of the story leaves (on
    a copy of the store), and the rows it did not need to change keep their row ids (not written again)."""
    import sqlite3

    from scamtrace.knowledge.build import build_knowledge
    from scamtrace.store import extracted
    from scamtrace.store.analysis import story_of_articles

    store = api.open_store(tmp_path / "k.db")
    api.ingest(store, [str(seeds_dir)])
    api.analyze(store)
    tables = ("facts", "fact_citations", "fact_disputes", "story_events", "story_event_citations")

    def dump(db) -> dict[str, list[tuple]]:  # noqa: ANN001
        out = {t: sorted((tuple(r) for r in db.execute(f"SELECT * FROM {t}")), key=repr) for t in tables}
        out["fact_aliases"] = sorted(tuple(r) for r in db.execute("SELECT old, new, reason FROM fact_aliases"))
        return out

    every = story_of_articles(store)
    s = max(set(every.values()), key=lambda sid: store.db.execute(
        "SELECT COUNT(*) FROM fact_citations c JOIN facts f ON f.id = c.fact WHERE f.story = ?", (sid,)).fetchone()[0])
    fact_ids = [r[0] for r in store.db.execute("SELECT id FROM facts WHERE story = ? ORDER BY id", (s,))]
    event_ids = [r[0] for r in store.db.execute("SELECT id FROM story_events WHERE story = ? ORDER BY id", (s,))]
    assert len(fact_ids) >= 3 and event_ids, (fact_ids, event_ids)
    kept = {r[0] for r in store.db.execute("SELECT rowid FROM fact_citations")}
    with store.write() as db:
        db.execute("UPDATE facts SET independent_sources = independent_sources + 7 WHERE id = ?", (fact_ids[0],))
        db.execute("DELETE FROM fact_citations WHERE rowid = (SELECT MIN(rowid) FROM fact_citations WHERE fact = ?)",
                   (fact_ids[1],))
        db.execute("INSERT INTO fact_citations SELECT * FROM fact_citations WHERE fact = ? LIMIT 1", (fact_ids[2],))
        db.execute("INSERT INTO facts(id, story, value, unit, what, articles, independent_sources, algorithm)"
                   " VALUES (?, ?, 5, 'people', 'planted', 1, 1, 'test')", (f"{s}:fact-9999", s))
        db.execute("INSERT INTO fact_citations(fact, article, family, sentence) SELECT ?, article, family, 'planted'"
                   " FROM fact_citations WHERE fact = ? LIMIT 1", (f"{s}:fact-9999", fact_ids[0]))
        db.execute("UPDATE story_events SET type = 'planted' WHERE id = ?", (event_ids[0],))
        db.execute("DELETE FROM story_event_citations WHERE event = ?", (event_ids[-1],))
    copy = sqlite3.connect(tmp_path / "copy.db")
    store.db.backup(copy)
    copy.close()
    dirty = [a for a, x in every.items() if x == s]
    build_knowledge(store, dirty)
    got = dump(store.db)

    def rewrite(store, stories, new):  # noqa: ANN001, ANN202 (the stories' rows deleted and written again)
        for sid in stories:
            for sql in ("DELETE FROM fact_disputes WHERE fact IN (SELECT id FROM facts WHERE story = ?)",
                        "DELETE FROM fact_citations WHERE fact IN (SELECT id FROM facts WHERE story = ?)",
                        "DELETE FROM facts WHERE story = ?",
                        "DELETE FROM story_event_citations WHERE event IN (SELECT id FROM story_events WHERE story = ?)",
                        "DELETE FROM story_events WHERE story = ?"):
                store.db.execute(sql, (sid,))
        extracted._write_all(store.db, new)

    monkeypatch.setattr(extracted, "_write_changed", rewrite)
    other = api.open_store(tmp_path / "copy.db")
    build_knowledge(other, dirty)
    assert got == dump(other.db)
    rows_after = {r[0] for r in store.db.execute("SELECT rowid FROM fact_citations")}
    assert len(kept & rows_after) >= len(rows_after) - 3   # the citations merged as stored kept their rows
    assert {r[0] for r in other.db.execute("SELECT rowid FROM fact_citations WHERE fact IN (SELECT id FROM facts"
                                           " WHERE story = ?)", (s,))}.isdisjoint(kept)   # a rewrite writes all
