"""The stored caches of an incremental ``analyze`` (issue 17): the spin collocation counts and the
per-article story frames hold exactly what a computation over every stored text gives, after batches,
changed texts and deleted articles, and a store written before them is upgraded and filled.
"""
from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from conftest import copy_store, demo_sources
from scamtrace import api
from scamtrace.copies.collocations import COLLOCATION_COUNTS_ALGORITHM, stored_model, update_collocations
from scamtrace.copies.spin import CollocationModel
from scamtrace.copies.synth import generate
from scamtrace.knowledge.build import update_actors
from scamtrace.store.caches import article_frame_rows
from scamtrace.stories.event import article_frame
from scamtrace.stories.stage import frame_algorithm
from test_incremental import state
from test_stories_warm import _jsonl


def _stored_counts(store) -> tuple[Counter, dict, int]:  # noqa: ANN001
    df = Counter({(r[0], r[1]): r[2] for r in store.execute("SELECT head, partner, df FROM collocation_pairs")})
    heads = {r[0]: (r[1], r[2], r[3]) for r in store.execute("SELECT head, best, best_df, total FROM collocation_heads")}
    docs = store.execute("SELECT COUNT(*) FROM collocation_articles")[0][0]
    return df, heads, docs


def _assert_counts_are_a_fit(store) -> CollocationModel:  # noqa: ANN001
    """The stored counts equal a CollocationModel fitted on every stored text; returns the fit."""
    fit = CollocationModel().fit(a.text for a in store.iter_articles())
    df, heads, docs = _stored_counts(store)
    assert docs == fit.docs
    assert df == fit.df
    assert heads == fit._head_table()
    assert not store.execute("SELECT 1 FROM collocation_retired")
    return fit


def _put_text(store, article_id: str, text: str) -> None:  # noqa: ANN001
    """Replace an article's text as a new cleaner would (same raw page, another cleaned text)."""
    art = store.get_article(article_id)
    raw = store.raw_doc(article_id)
    store.put_article(dataclasses.replace(art, text=text, cleaner=(art.cleaner or "") + "+test"), fmt=raw[0], body=raw[1])


@pytest.fixture(scope="module")
def synth_store(tmp_path_factory):  # noqa: ANN201
    mp = pytest.MonkeyPatch()
    mp.setenv("SCAMTRACE_NO_SPACY", "1")
    tmp = tmp_path_factory.mktemp("caches")
    arts = generate(90, 11).articles
    store = api.open_store(tmp / "s.db")
    api.ingest(store, [_jsonl(tmp / "a.jsonl", arts[:60])])
    api.analyze(store)
    api.ingest(store, [_jsonl(tmp / "b.jsonl", arts[60:])])
    yield store, arts
    store.close()
    mp.undo()


def test_collocation_counts_grow_with_batches_and_equal_a_fit(synth_store):  # noqa: ANN001
    store, arts = synth_store
    _, _, docs = _stored_counts(store)
    assert docs == 60   # the first batch is counted; the second waits for its analyze
    api.analyze(store)
    fit = _assert_counts_are_a_fit(store)
    # the model over the stored counts judges every text as the fit does
    model = stored_model(store)
    assert model is not None and model.docs == fit.docs
    for a in store.iter_articles():
        assert model.suspicious(a.text) == fit.suspicious(a.text), a.id


def test_changed_and_deleted_texts_are_subtracted(synth_store):  # noqa: ANN001
    store, arts = synth_store
    api.analyze(store)
    ids = sorted(a.id for a in arts)
    # a changed text: its old pairs go (the best partner of a head may move back), its new ones come
    old = store.get_article(ids[0]).text
    _put_text(store, ids[0], "Belt and Street officials said the rip-off compound was raided. " + old[: len(old) // 2])
    _put_text(store, ids[1], store.get_article(ids[2]).text)   # a copy: pairs seen twice now
    assert {r[0] for r in store.execute("SELECT article FROM collocation_retired")} == {ids[0], ids[1]}
    _put_text(store, ids[1], "A third text for the same article before any analyze ran.")   # retired once
    with store.write() as db:   # a deleted article's text goes too
        db.execute("DELETE FROM articles WHERE id = ?", (ids[3],))
    done = update_collocations(store, {})
    assert done["retired"] == 3 and done["counted"] == 2
    _assert_counts_are_a_fit(store)
    api.analyze(store)
    _assert_counts_are_a_fit(store)


def test_counts_made_by_another_algorithm_are_recounted(synth_store):  # noqa: ANN001
    store, _ = synth_store
    api.analyze(store)
    with store.write() as db:
        db.execute("UPDATE collocation_articles SET algorithm = 'copies.collocation-counts-v0'")
        db.execute("UPDATE collocation_pairs SET df = df + 5")
    update_collocations(store, {})
    _assert_counts_are_a_fit(store)
    assert {r[0] for r in store.execute("SELECT DISTINCT algorithm FROM collocation_articles")} == {
        COLLOCATION_COUNTS_ALGORITHM}


def test_cached_frames_are_the_texts_frames_and_go_with_a_changed_text(synth_store):  # noqa: ANN001
    store, arts = synth_store
    api.analyze(store)
    rows = article_frame_rows(store, frame_algorithm())
    assert set(rows) == {a.id for a in store.iter_articles()}
    for a in store.iter_articles():
        terms, anchors = article_frame(a)
        got_terms, got_anchors = (json.loads(x) for x in rows[a.id])
        # equal in insertion order too: a unit's vector sums its members' counts in that order
        assert list(got_terms.items()) == list(terms.items()) and list(got_anchors.items()) == list(anchors.items())
    some = sorted(rows)[5]
    _put_text(store, some, "Police in Bangkok said 412 people were rescued from a compound on Tuesday.")
    assert some not in article_frame_rows(store, frame_algorithm())
    api.analyze(store)
    rows = article_frame_rows(store, frame_algorithm())
    assert [json.loads(x) for x in rows[some]] == list(article_frame(store.get_article(some)))


def _half_store_before(tmp_path, migration: str | tuple[str, ...], *, triggers: tuple[str, ...],  # noqa: ANN001
                       tables: tuple[str, ...], indexes: tuple[str, ...] = (),
                       analyze: bool = True) -> tuple[Path, list, int]:
    """The first half of the demo sources in a store as the version before ``migration`` left it (its
    triggers, tables and indexes dropped, its row in ``_migrations`` deleted; a tuple names it and the
    later migrations that change its tables): (store path, sources, cut)."""
    src = demo_sources()
    cut = len(src) // 2
    db = tmp_path / "old.db"
    store = api.open_store(db)
    api.ingest(store, src[:cut])
    if analyze:
        api.analyze(store)
    store.close()
    con = sqlite3.connect(db)
    for trigger in triggers:
        con.execute(f"DROP TRIGGER {trigger}")
    for table in tables:
        con.execute(f"DROP TABLE {table}")
    for index in indexes:
        con.execute(f"DROP INDEX {index}")
    for name in (migration,) if isinstance(migration, str) else migration:
        con.execute("DELETE FROM _migrations WHERE name = ?", (name,))
    con.commit()
    con.close()
    return db, src, cut


def test_a_store_written_before_the_caches_is_upgraded_and_gives_the_same_results(tmp_path):
    db, src, cut = _half_store_before(
        tmp_path, "0013_analysis_caches", triggers=("article_frames_au", "collocation_au", "collocation_bd"),
        tables=("article_frames", "collocation_pairs", "collocation_heads", "collocation_articles",
                "collocation_retired"), indexes=("idx_figures_value",))
    store = api.open_store(db)   # upgraded: the caches are there, empty
    assert store.execute("SELECT COUNT(*) FROM _migrations WHERE name = '0013_analysis_caches'")[0][0] == 1
    assert store.execute("SELECT COUNT(*) FROM article_frames")[0][0] == 0
    api.ingest(store, src[cut:])
    api.analyze(store)   # fills the caches for every stored article, then goes on incrementally
    n = store.count_articles()
    assert store.execute("SELECT COUNT(*) FROM article_frames")[0][0] == n
    _assert_counts_are_a_fit(store)
    got = state(store, with_ids=False)
    store.close()
    one = api.open_store(tmp_path / "one.db")
    api.ingest(one, src)
    api.analyze(one)
    assert got == state(one, with_ids=False)
    one.close()
    full = api.open_store(copy_store(db, tmp_path / "full.db"))
    before = state(full, with_ids=True)
    api.analyze(full, full=True)
    assert state(full, with_ids=True) == before
    full.close()


# -- actor caches (0014_actor_caches) ---------------------------------------------------------------
def _assert_actor_caches_hold(store) -> None:  # noqa: ANN001
    """mention_counts equals a count of every mention; every mentioned name has its block prefix;
    after an analyze no changed name waits."""
    from scamtrace.knowledge.actors import block_key
    counted = {(r[0], r[1]): r[2] for r in store.execute("SELECT canonical, label, n FROM mention_counts")}
    assert counted == {(r[0], r[1]): r[2] for r in store.execute(
        "SELECT canonical, label, COUNT(*) FROM mentions GROUP BY canonical, label")}
    blocks = {r[0]: (r[1], r[2]) for r in store.execute("SELECT name, prefix, size FROM actor_name_blocks")}
    assert {n for n, _ in counted} <= set(blocks)
    assert all(blocks[n] == block_key(n) for n, _ in counted)
    assert not store.execute("SELECT 1 FROM actor_names_changed")


def _actors(store) -> tuple[list, list]:  # noqa: ANN001
    return (sorted(tuple(r) for r in store.execute("SELECT name, label, mentions, evidence, algorithm FROM actors")),
            sorted(tuple(r) for r in store.execute("SELECT alias, actor FROM actor_aliases")))


def test_mention_counts_follow_inserts_deletes_and_renames_and_actors_equal_a_full_run(synth_store, tmp_path):  # noqa: ANN001
    store, arts = synth_store
    api.analyze(store)
    _assert_actor_caches_hold(store)
    some = store.execute("SELECT canonical, label FROM mentions ORDER BY id LIMIT 1")[0]
    with store.write() as db:   # a renamed mention (as the family wording pass renames), a deleted article
        db.execute("UPDATE mentions SET canonical = 'Zhou Qi-ming' WHERE id = (SELECT MIN(id) FROM mentions)")
        db.execute("UPDATE mentions SET label = 'ORG' WHERE id = (SELECT MAX(id) FROM mentions)")
        db.execute("DELETE FROM articles WHERE id = (SELECT article FROM mentions WHERE canonical = ? LIMIT 1)",
                   (some[0],))
    queued = {r[0] for r in store.execute("SELECT name FROM actor_names_changed")}
    assert {some[0], "Zhou Qi-ming"} <= queued
    # a judgement joining two names, and new articles
    names = [r[0] for r in store.execute("SELECT DISTINCT canonical FROM mentions ORDER BY canonical LIMIT 2")]
    store.add_judgement(names[0], names[1], "same", kind="alias")
    api.ingest(store, [_jsonl(tmp_path / "c.jsonl", generate(20, 12).articles)])
    api.analyze(store)
    _assert_actor_caches_hold(store)
    got = _actors(store)
    assert any(names[1] in r for r in got[1])
    # the actors of a resolution over every stored mention (analyze --full would extract again and
    # undo the renames made above)
    full = api.open_store(copy_store(Path(store.path), tmp_path / "full.db"))
    update_actors(full, None)
    assert _actors(full) == got
    _assert_actor_caches_hold(full)
    full.close()


def test_labels_voted_over_a_folded_form_and_word_joins_resolve_incrementally_as_in_a_full_run(synth_store, tmp_path):  # noqa: ANN001
    """knowledge.actors-v3 on the incremental path: a name whose folded form has names of other labels
    stored before ("Vietnam" GPE twice, then "Việt Nam" ORG once: its own vote says ORG, its folded form's
    GPE; the lookup must read the form's names before it picks the block), an organisation and its name
    plus a generic word, a subdivision and its name plus "province", written in two runs, resolve as a
    run over every name does."""
    store, _ = synth_store
    api.analyze(store)
    ids = [r[0] for r in store.execute("SELECT id FROM mentions ORDER BY id LIMIT 8")]
    steps = [[("Vietnam", "GPE"), ("Vietnam", "GPE"), ("Amnesty International", "ORG"), ("Bokeo", "GPE")],
             [("Việt Nam", "ORG"), ("Amnesty", "ORG"), ("Bokeo province", "GPE"), ("Bokeo", "GPE")]]
    for n, step in enumerate(steps):
        with store.write() as db:
            for i, (name, label) in zip(ids[4 * n:], step):
                db.execute("UPDATE mentions SET canonical = ?, label = ? WHERE id = ?", (name, label, i))
        api.ingest(store, [_jsonl(tmp_path / f"v{n}.jsonl", generate(3, 40 + n).articles)])
        api.analyze(store)
    got = _actors(store)
    by_alias = dict(got[1])
    assert by_alias["Việt Nam"] == by_alias["Vietnam"]
    assert by_alias["Amnesty"] == by_alias["Amnesty International"]
    assert by_alias["Bokeo"] == by_alias["Bokeo province"]
    assert {r[1] for r in got[0] if r[0] == by_alias["Vietnam"]} == {"GPE"}   # 2 GPE to 1 ORG
    full = api.open_store(copy_store(Path(store.path), tmp_path / "full.db"))
    update_actors(full, None)
    assert _actors(full) == got
    full.close()


def test_country_and_acronym_joins_resolve_incrementally_as_in_a_full_run(synth_store, tmp_path):  # noqa: ANN001
    """knowledge.actors-v4 on the incremental path: names of one country in other blocks ("US" stored, then
    "United States"), an acronym used alone before a text defines it ("DOJ", then "Department of
    Justice (DOJ)": a mention of source "acronym") and a folded "đ" ("Đồng Nai" / "Dong Nai"), written in
    two runs, resolve as a run over every name does (the lookup reads across blocks)."""
    store, _ = synth_store
    api.analyze(store)
    ids = [r[0] for r in store.execute("SELECT id FROM mentions ORDER BY id LIMIT 8")]
    steps = [[("US", "US", "GPE", "model"), ("DOJ", "DOJ", "ORG", "model"), ("DOJ", "DOJ", "ORG", "model"),
              ("Đồng Nai", "Đồng Nai", "GPE", "model")],
             [("United States", "United States", "GPE", "model"), ("United States", "United States", "GPE", "model"),
              ("DOJ", "Department of Justice", "AGENCY", "acronym"), ("Dong Nai", "Dong Nai", "GPE", "model")]]
    for n, step in enumerate(steps):
        with store.write() as db:
            for i, (text, name, label, source) in zip(ids[4 * n:], step):
                db.execute("UPDATE mentions SET text = ?, canonical = ?, label = ?, source = ? WHERE id = ?",
                           (text, name, label, source, i))
        api.ingest(store, [_jsonl(tmp_path / f"w{n}.jsonl", generate(3, 50 + n).articles)])
        api.analyze(store)
    got = _actors(store)
    by_alias = dict(got[1])
    assert by_alias["US"] == by_alias["United States"] == "United States"
    assert by_alias["DOJ"] == "Department of Justice"
    assert by_alias["Dong Nai"] == by_alias["Đồng Nai"]
    full = api.open_store(copy_store(Path(store.path), tmp_path / "full.db"))
    update_actors(full, None)
    assert _actors(full) == got
    full.close()


def test_a_store_written_before_the_actor_caches_is_upgraded_and_gives_the_same_actors(tmp_path):
    db, src, cut = _half_store_before(
        tmp_path, ("0014_actor_caches", "0021_incremental_reads"),
        triggers=("mention_counts_ai", "mention_counts_ad", "mention_counts_au"),
        tables=("mention_counts", "actor_names_changed", "actor_name_blocks"),
        indexes=("idx_fact_aliases_new", "idx_story_aliases_new", "idx_boilerplate_keys_frequent"))
    store = api.open_store(db)   # upgraded: counts filled, every name queued
    assert store.execute("SELECT COUNT(*) FROM _migrations WHERE name = '0014_actor_caches'")[0][0] == 1
    n_names = store.execute("SELECT COUNT(DISTINCT canonical) FROM mentions")[0][0]
    assert n_names and store.execute("SELECT COUNT(*) FROM actor_names_changed")[0][0] == n_names
    api.ingest(store, src[cut:])
    api.analyze(store)
    _assert_actor_caches_hold(store)
    got = _actors(store)
    store.close()
    one = api.open_store(tmp_path / "one.db")
    api.ingest(one, src)
    api.analyze(one)
    assert _actors(one) == got
    one.close()


# -- boilerplate line counts (0015_boilerplate_counts) ------------------------------------------------------
def _assert_boilerplate_counts_hold(store) -> None:  # noqa: ANN001
    """The stored line counts are those of every stored text (distinct texts per outlet), and the
    lines they make learnable are what BoilerplateModel.fit gives over the texts."""
    from collections import defaultdict

    from scamtrace.clean.learned import BoilerplateModel, page_digest, page_keys
    from scamtrace.store.caches import frequent_boilerplate_keys, update_boilerplate_counts
    update_boilerplate_counts(store, page_digest, page_keys)
    pages: dict = defaultdict(Counter)
    keys: dict = defaultdict(Counter)
    texts = [(r[0], r[1]) for r in store.execute("SELECT outlet, text FROM articles WHERE outlet IS NOT NULL")]
    seen: set = set()
    for outlet, text in texts:
        pages[outlet][page_digest(text)] += 1
        if (outlet, page_digest(text)) not in seen:
            seen.add((outlet, page_digest(text)))
            keys[outlet].update(page_keys(text))
    assert {(r[0], r[1]): r[2] for r in store.execute("SELECT outlet, digest, refs FROM boilerplate_pages")} == {
        (o, d): n for o, c in pages.items() for d, n in c.items()}
    assert {(r[0], r[1]): r[2] for r in store.execute("SELECT outlet, key, pages FROM boilerplate_keys")} == {
        (o, k): n for o, c in keys.items() for k, n in c.items()}
    assert not store.execute("SELECT 1 FROM boilerplate_retired")
    # 0022_ingest_counts: the pages per outlet, the queue of texts to count (emptied by the count)
    assert {r[0]: r[1] for r in store.execute("SELECT outlet, pages FROM outlet_pages")} == {
        r[0]: r[1] for r in store.execute("SELECT outlet, COUNT(*) FROM articles WHERE outlet IS NOT NULL GROUP BY outlet")}
    assert {r[0] for r in store.execute("SELECT article FROM boilerplate_counted")} == {
        r[0] for r in store.execute("SELECT id FROM articles WHERE outlet IS NOT NULL")}
    assert not store.execute("SELECT 1 FROM boilerplate_uncounted")
    outlets = sorted(pages)
    for minimum in (2, 3, 5):
        fit = BoilerplateModel(min_pages=minimum).fit(texts)
        assert frequent_boilerplate_keys(store, outlets, minimum) == fit.lines
        assert frequent_boilerplate_keys(store, outlets[:3], minimum) == BoilerplateModel(min_pages=minimum).fit(
            (o, t) for o, t in texts if o in outlets[:3]).lines


def test_boilerplate_counts_follow_batches_changed_texts_and_deletes(synth_store, tmp_path):  # noqa: ANN001
    store, arts = synth_store
    _assert_boilerplate_counts_hold(store)
    ids = sorted(a.id for a in arts)
    old = store.get_article(ids[0]).text
    _put_text(store, ids[0], "Subscribe to our newsletter for more.\n\n" + old)
    _put_text(store, ids[1], store.get_article(ids[2]).text)   # the same text twice in one outlet, maybe
    _put_text(store, ids[1], "Subscribe to our newsletter for more.\n\nA second text before any count.")
    with store.write() as db:
        db.execute("DELETE FROM articles WHERE id = ?", (ids[4],))   # (ids[3] went in an earlier test)
        db.execute("UPDATE articles SET outlet = (SELECT outlet FROM articles WHERE id = ?) WHERE id = ?",
                   (ids[6], ids[5]))
        db.execute("UPDATE articles SET outlet = NULL WHERE id = ?", (ids[7],))
    assert {r[0] for r in store.execute("SELECT article FROM boilerplate_retired")} >= {ids[0], ids[1], ids[4]}
    _assert_boilerplate_counts_hold(store)
    with store.write() as db:   # an outlet again: counted at the next count
        db.execute("UPDATE articles SET outlet = (SELECT outlet FROM articles WHERE id = ?) WHERE id = ?",
                   (ids[6], ids[7]))
    _assert_boilerplate_counts_hold(store)
    api.ingest(store, [_jsonl(tmp_path / "d.jsonl", generate(15, 13).articles)])
    _assert_boilerplate_counts_hold(store)


def test_a_store_written_before_the_boilerplate_counts_is_upgraded_and_learns_the_same(tmp_path):
    db, src, cut = _half_store_before(
        tmp_path, ("0015_boilerplate_counts", "0022_ingest_counts"),
        triggers=("boilerplate_au", "boilerplate_bd", "outlet_pages_ai", "outlet_pages_ad", "outlet_pages_au",
                  "boilerplate_uncounted_ai", "boilerplate_uncounted_au"),
        tables=("boilerplate_pages", "boilerplate_keys", "boilerplate_counted", "boilerplate_retired",
                "outlet_pages", "boilerplate_uncounted"),
        analyze=False)
    store = api.open_store(db)
    assert store.execute("SELECT COUNT(*) FROM boilerplate_counted")[0][0] == 0
    api.ingest(store, src[cut:])   # counts every stored article once, then relearns from the counts
    _assert_boilerplate_counts_hold(store)
    got = (sorted(tuple(r) for r in store.execute("SELECT outlet, model, pages FROM boilerplate_models")),
           sorted(tuple(r) for r in store.execute("SELECT id, text FROM articles")))
    store.close()
    one = api.open_store(tmp_path / "one.db")
    api.ingest(one, src[:cut])
    api.ingest(one, src[cut:])
    assert got == (sorted(tuple(r) for r in one.execute("SELECT outlet, model, pages FROM boilerplate_models")),
                   sorted(tuple(r) for r in one.execute("SELECT id, text FROM articles")))
    one.close()


def test_a_store_written_before_the_ingest_counts_is_upgraded_and_learns_the_same(tmp_path):
    """0022_ingest_counts fills the pages per outlet and queues the articles not counted yet (here all of
    them: their counts undone by hand); the next ingest counts and learns as a store that always had them."""
    db, src, cut = _half_store_before(
        tmp_path, "0022_ingest_counts",
        triggers=("outlet_pages_ai", "outlet_pages_ad", "outlet_pages_au", "boilerplate_uncounted_ai",
                  "boilerplate_uncounted_au"),
        tables=("outlet_pages", "boilerplate_uncounted"), analyze=False)
    con = sqlite3.connect(db)   # the counts undone: every article waits to be counted
    con.execute("DELETE FROM boilerplate_pages")
    con.execute("DELETE FROM boilerplate_keys")
    con.execute("DELETE FROM boilerplate_counted")
    con.commit()
    con.close()
    store = api.open_store(db)
    assert store.execute("SELECT COUNT(*) FROM boilerplate_uncounted")[0][0] == store.execute(
        "SELECT COUNT(*) FROM articles WHERE outlet IS NOT NULL")[0][0]
    api.ingest(store, src[cut:])
    _assert_boilerplate_counts_hold(store)
    got = (sorted(tuple(r) for r in store.execute("SELECT outlet, model, pages FROM boilerplate_models")),
           sorted(tuple(r) for r in store.execute("SELECT id, text FROM articles")))
    store.close()
    one = api.open_store(tmp_path / "one.db")
    api.ingest(one, src[:cut])
    api.ingest(one, src[cut:])
    assert got == (sorted(tuple(r) for r in one.execute("SELECT outlet, model, pages FROM boilerplate_models")),
                   sorted(tuple(r) for r in one.execute("SELECT id, text FROM articles")))
    one.close()


def test_thread_frame_days_in_one_join_are_those_by_key(tmp_path, monkeypatch) -> None:
    """Many stories' thread days are read in one join, a few by their key: the same days."""
    from scamtrace.store import caches
    store = api.open_store(tmp_path / "s.db")
    caches.put_thread_frames(store, [(f"story-{i}", 700000 + i, "[[],[],[],[]]", [f"n:a{i % 7}"]) for i in range(40)])
    asked = [f"story-{i}" for i in range(0, 50, 3)]   # some without a frame
    few = caches.thread_frame_days(store, asked)
    assert few == {s: 700000 + int(s.split("-")[1]) for s in asked if int(s.split("-")[1]) < 40}
    monkeypatch.setattr(caches, "_FEW_STORIES", 2)
    assert caches.thread_frame_days(store, asked) == few
