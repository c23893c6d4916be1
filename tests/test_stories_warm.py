"""Incremental story assignment (``stories.warm-v1``): a few new articles placed into the stored stories
of a large store instead of clustering everything again.

The thresholds that make a store "large" (``WARM_MIN_UNITS``) are lowered here so that a small
synthetic store takes the path; the demo and realnews-dev stay below them, so
tests/test_incremental.py (two batches == one run, ids included) checks the full path.
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from conftest import copy_store
from scamtrace import api
from scamtrace.copies.synth import generate
from scamtrace.stories import ALGORITHM, warm
from scamtrace.stories.warm import partition, unit_members, warm_allowed

REPO = Path(__file__).resolve().parents[1]
BASE, ADD = 150, 4


def _jsonl(path: Path, articles) -> str:  # noqa: ANN001
    path.write_text("".join(json.dumps({"id": a.id, "text": (a.title or "") + "\n\n" + a.text, "title": a.title,
                                        "outlet": a.outlet, "url": a.url,
                                        "published": a.published.isoformat() if a.published else None}) + "\n"
                            for a in articles), encoding="utf-8")
    return str(path)


def _last_stories_run(store) -> dict:  # noqa: ANN001
    return json.loads(store.execute("SELECT stats FROM runs WHERE stage = 'stories' ORDER BY id DESC LIMIT 1")[0][0])


def _bcubed_f1(pred: dict[str, str], gold: dict[str, str]) -> float:
    groups_p: dict[str, set[str]] = defaultdict(set)
    groups_g: dict[str, set[str]] = defaultdict(set)
    for a, s in pred.items():
        groups_p[s].add(a)
    for a, s in gold.items():
        groups_g[s].add(a)
    p = sum(len(groups_p[pred[a]] & groups_g[gold[a]]) / len(groups_p[pred[a]]) for a in gold) / len(gold)
    r = sum(len(groups_p[pred[a]] & groups_g[gold[a]]) / len(groups_g[gold[a]]) for a in gold) / len(gold)
    return 2 * p * r / (p + r)


@pytest.fixture(scope="module")
def grown(tmp_path_factory):  # noqa: ANN201
    """A synthetic store of BASE articles analysed, then ADD more ingested and analysed with the
    incremental path allowed; and a copy of it before the second analyze."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SCAMTRACE_NO_SPACY", "1")
    mp.setattr(warm, "WARM_MIN_UNITS", 50)
    mp.setattr(warm, "WARM_MAX_SHARE", 0.1)
    tmp = tmp_path_factory.mktemp("warm")
    arts = generate(BASE + ADD, 7).articles
    store = api.open_store(tmp / "s.db")
    api.ingest(store, [_jsonl(tmp / "base.jsonl", arts[:BASE])])
    api.analyze(store)
    before = store.story_membership()
    first = _last_stories_run(store)
    api.ingest(store, [_jsonl(tmp / "add.jsonl", arts[BASE:])])
    store.close()
    pending = copy_store(tmp / "s.db", tmp / "pending.db")
    store = api.open_store(tmp / "s.db")
    api.analyze(store)
    yield store, before, first, pending, {a.id for a in arts[BASE:]}
    store.close()
    mp.undo()


def test_first_run_is_full_and_a_small_batch_is_placed(grown):  # noqa: ANN001
    store, _, first, _, _ = grown
    assert first["mode"] == "full" and first["units"] > 50
    run = _last_stories_run(store)
    assert run["mode"] == "warm", run
    assert 0 < run["dirty_units"] <= warm.WARM_MAX_SHARE * run["units"]
    # stories.warm-v2 writes only the stories the batch changed: those name the warm path, the others
    # keep the algorithm of the run that made them (here the full one)
    algos = dict(store.execute("SELECT id, algorithm FROM stories"))
    assert set(algos.values()) == {ALGORITHM, f"{ALGORITHM}+{warm.WARM_ALGORITHM}"}
    new = set(grown[4])
    with_new = {r[0] for r in store.execute("SELECT DISTINCT story FROM story_members WHERE article IN"
                                            f" ({','.join('?' * len(new))})", sorted(new))}
    assert all(algos[s] == f"{ALGORITHM}+{warm.WARM_ALGORITHM}" for s in with_new)
    assert 0 < run["stories_written"] < 0.5 * len(algos) and run["stories_built"] < len(algos)


def test_every_article_in_one_story_and_families_whole(grown):  # noqa: ANN001
    store, _, _, _, new = grown
    members = store.story_membership()
    story_of = {a: s for s, arts in members.items() for a in arts}
    ids = {r[0] for r in store.execute("SELECT id FROM articles")}
    assert set(story_of) == ids and sum(len(v) for v in members.values()) == len(ids)
    fam: dict[str, set[str]] = defaultdict(set)
    for r in store.execute("SELECT article, family FROM family_members"):
        fam[r[1]].add(story_of[r[0]])
    assert all(len(s) == 1 for s in fam.values())
    placed = [json.loads(r[0]) for r in store.execute(
        f"SELECT evidence FROM story_members WHERE article IN ({','.join('?' * len(new))})", sorted(new))]
    assert any(ev.get("warm") == warm.WARM_ALGORITHM for ev in placed)


def test_stories_the_batch_does_not_reach_are_kept(grown):  # noqa: ANN001
    store, before, _, _, new = grown
    after = store.story_membership()
    kept = [sid for sid, arts in before.items() if after.get(sid) == arts]
    assert len(kept) >= 0.9 * len(before)
    assert all(not (set(after[sid]) & new) for sid in kept if sid in after and sorted(after[sid]) == before[sid])


def test_close_to_a_full_clustering(grown, tmp_path):  # noqa: ANN001
    """The incremental stories against ``analyze --full`` on the same store: B-cubed F1 over the
    articles, pinned at the measured value (1.0 on this corpus; 0.9988 for 20 into 600)."""
    store, _, _, pending, _ = grown
    full = api.open_store(copy_store(pending, tmp_path / "full.db"))
    api.analyze(full, full=True)
    assert _last_stories_run(full)["mode"] == "full"
    gold = {a: s for s, arts in full.story_membership().items() for a in arts}
    pred = {a: s for s, arts in store.story_membership().items() for a in arts}
    full.close()
    assert _bcubed_f1(pred, gold) >= 0.99


def test_when_the_path_is_not_taken():
    assert "WARM_MIN_UNITS" in (warm_allowed(10, 0, 10) or "")
    n = warm.WARM_MIN_UNITS * 2
    assert warm_allowed(n, 0, n) is None
    assert "WARM_MAX_SHARE" in warm_allowed(n, int(n * warm.WARM_MAX_SHARE) + 1, n)
    assert "WARM_DRIFT" in warm_allowed(n, 0, int(n / (1 + warm.WARM_DRIFT)) - 1)
    assert "no full clustering" in warm_allowed(n, 0, None)


def test_partition_keeps_whole_units_of_one_stored_story():
    fam = type("F", (), {})
    f1 = fam()
    f1.id, f1.members = "fam-a", ["a", "b"]
    members = unit_members(["a", "b", "c", "d", "e"], [f1])
    assert members == [["a", "b"], ["c"], ["d"], ["e"]]
    previous = {"a": "s1", "b": "s1", "c": "s1", "d": "s2"}   # e is new
    kept, dirty = partition(members, previous, {"e"})
    assert kept == {"s1": [0, 1], "s2": [2]} and dirty == [3]
    previous["b"] = "s2"   # a family across two stored stories is placed again
    kept, dirty = partition(members, previous, {"e"})
    assert 0 in dirty and kept == {"s1": [1], "s2": [2]}
    kept, dirty = partition(members, {"a": "s1", "b": "s1", "c": "s1", "d": "s2"}, {"c", "e"})
    assert dirty == [1, 3]


def _frozen_stats(store):  # noqa: ANN001, ANN202
    from scamtrace.stories.event import CorpusStats
    header = {r[0]: json.loads(r[1]) for r in store.execute("SELECT name, value FROM story_stats")}
    idf = {r[0]: r[1] for r in store.execute("SELECT term, idf FROM story_idf")}
    aidf = {r[0]: r[1] for r in store.execute("SELECT anchor, idf FROM story_anchor_idf")}
    return header, CorpusStats(idf, aidf, frozenset(header["common"]), header["n"])


def test_stored_unit_frames_are_the_frames_weighed_with_the_stored_statistics(grown):  # noqa: ANN001
    """stories.warm-v2 keeps each unit's frame and the statistics it was weighed with: every stored
    frame (those of the full run and those the warm run weighed) is what the unit's texts give under
    the stored statistics, floats exact, dicts in order."""
    from scamtrace.stories.event import UnitFrame, prepare_units
    from scamtrace.stories.stage import stats_algorithm
    store, _, _, _, new = grown
    header, stats = _frozen_stats(store)
    assert header["algorithm"] == stats_algorithm()
    assert 50 < header["n"] <= _last_stories_run(store)["units"]   # counted at the full run, before the batch
    arts = list(store.iter_articles())
    units, frames, _ = prepare_units(arts, store.families(), {}, {}, stats=stats, stored={})
    rows = {r[0]: (json.loads(r[1]), r[2]) for r in store.execute("SELECT unit, members, frame FROM story_units")}
    assert set(rows) == {u.family for u in units}
    weighed_new = 0
    for i, u in enumerate(units):
        members, text = rows[u.family]
        assert members == sorted(m.id for m in u.members)
        got, want = UnitFrame.loads(text), frames.frame(i)
        assert list(got.vec.items()) == list(want.vec.items()), u.family
        assert list(got.salient.items()) == list(want.salient.items())
        assert (got.vnorm2, got.anchors, got.keys, got.actors, got.lead) == \
               (want.vnorm2, want.anchors, want.keys, want.actors, want.lead)
        assert got.anchor_weight == pytest.approx(want.anchor_weight, rel=1e-12)
        weighed_new += bool(set(members) & new)
    assert weighed_new > 0


def test_a_warm_run_weighs_only_the_units_it_places_again(grown, tmp_path):  # noqa: ANN001
    """The warm run weighs the dirty units only; a store whose statistics are missing (written before
    stories.warm-v2) has every unit weighed once, then kept."""
    store, _, _, pending, _ = grown
    run = _last_stories_run(store)
    assert run["algorithm"] == warm.WARM_ALGORITHM
    assert 0 < run["weighed"] <= run["dirty_units"] < run["units"]
    old = api.open_store(copy_store(pending, tmp_path / "old.db"))
    with old.write() as db:
        for table in ("story_stats", "story_idf", "story_anchor_idf", "story_units"):
            db.execute(f"DELETE FROM {table}")
    api.analyze(old)
    first = _last_stories_run(old)
    assert first["mode"] == "warm" and first["weighed"] == first["units"]
    assert old.execute("SELECT COUNT(*) FROM story_units")[0][0] == first["units"]
    assert {r[0] for r in old.execute("SELECT name FROM story_stats")} == {"algorithm", "n", "common"}
    old.close()


def _stored_threads(store):  # noqa: ANN001, ANN202
    return sorted((r[0], r[1], r[2], r[3]) for r in store.execute(
        "SELECT story, thread, position, evidence FROM story_threads"))


def test_incremental_threads_are_the_threads_of_every_stored_frame(grown):  # noqa: ANN001
    """stories.warm-v2 links again only the stories a changed story can reach (stories.threads
    update_threads); the thread places it stores are exactly build_threads over every story's stored
    thread frame, evidence included, and every dated story has its frame stored."""
    from types import SimpleNamespace

    from scamtrace.stories.threads import build_threads
    store, _, _, _, _ = grown
    run = _last_stories_run(store)
    assert 0 < run["threads_relinked"] < len(store.story_membership())
    stories = []
    for sid, day, text in store.execute("SELECT story, day, frame FROM story_thread_frames"):
        terms, vals, anchors, common = json.loads(text)
        stories.append(SimpleNamespace(id=sid, frame={"vec": dict(zip(terms, vals)), "date": day, "anchors": anchors,
                                                      "common": common}))
    assert {s.id for s in stories} <= set(store.story_membership())
    scores: dict[str, float] = {}
    want = sorted((p.story, p.thread, p.position, json.dumps(p.evidence, default=str))
                  for p in build_threads(stories, scores=scores))
    assert want and _stored_threads(store) == want
    assert dict(store.execute("SELECT story, score FROM story_thread_frames")) == scores   # exact floats
    specific = {(r[0], r[1]) for r in store.execute("SELECT story, anchor FROM story_thread_anchors")}
    assert specific == {(s.id, a) for s in stories for a in set(s.frame["anchors"]) - set(s.frame["common"])}


def test_untouched_stories_keep_their_rows(grown, tmp_path):  # noqa: ANN001
    """The stories the batch did not reach keep their stored rows and members' evidence as they were
    (stories.warm-v2 writes only the stories it changed)."""
    store, _, _, pending, new = grown
    old = api.open_store(copy_store(pending, tmp_path / "before.db"))
    rows_before = {r[0]: tuple(r) for r in old.execute("SELECT * FROM stories")}
    members_before = {r[0]: tuple(r) for r in old.execute("SELECT * FROM story_members")}
    old.close()
    algos = dict(store.execute("SELECT id, algorithm FROM stories"))
    kept = [sid for sid, a in algos.items() if not a.endswith(warm.WARM_ALGORITHM)]
    assert kept
    for sid in kept:
        assert tuple(store.execute("SELECT * FROM stories WHERE id = ?", (sid,))[0]) == rows_before[sid]
        for r in store.execute("SELECT * FROM story_members WHERE story = ?", (sid,)):
            assert tuple(r) == members_before[r[0]]


def test_a_kept_storys_dates_are_read_without_building_it():
    """A restored story answers its median dates from its units' dates (what the dates-only bound of a
    candidate reads) without building its state, and with the values the built state gives."""
    import random
    from types import SimpleNamespace
    rng = random.Random(3)
    n = 30
    f = SimpleNamespace(vecs=[{"t": 1.0}] * n, vnorm2=[1.0] * n, anchors=[frozenset({"n:a"})] * n, anchor_weight=[1.0] * n,
                        date=[rng.choice([None, rng.randrange(700000, 700400)]) for _ in range(n)],
                        cdate=[rng.choice([None, rng.randrange(700000, 700400)]) for _ in range(n)],
                        types=[frozenset()] * n, keys=[frozenset({"n:a"})] * n, actors=[frozenset()] * n,
                        salient=[{}] * n, lead=[None] * n)
    f.date[n - 2] = f.cdate[n - 2] = 699000   # earlier than every other: they move the lower median
    f.date[n - 1] = f.cdate[n - 1] = 699001
    for units in ([0], [1, 2], list(range(3, 27, 2)), [u for u in range(n - 2) if f.date[u] is None]):
        kept = warm._KeptStory(units, f)
        got = (kept.median_date(), kept.median_cdate())
        assert not kept.is_built()
        assert (kept.median_date(), kept.median_cdate()) == got and not kept.is_built()
        built = warm._KeptStory(units, f)
        assert built.norm2 > 0 and built.is_built()   # any other attribute builds it
        assert got == (built.median_date(), built.median_cdate())
        kept.add(n - 2, f)   # a change builds it first; its dates are then the built state's
        kept.add(n - 1, f)
        want = warm._KeptStory([*units, n - 2, n - 1], f)._medians()
        assert kept.is_built() and (kept.median_date(), kept.median_cdate()) == want
        assert want[0] != got[0] or got[0] is None   # the two earlier dates moved the lower median


def test_threads_relinked_after_stories_are_gone_and_moved(grown, tmp_path):  # noqa: ANN001
    """The stored path of the incremental threads (stories.stage: the gone stories' threads read before
    they are deleted, then only the threads a change reaches): the root of a thread is gone (a merge),
    the last story of another moves in time, and a story in no thread takes the frame of that
    thread's first story a few days later (a new link into an old thread); the stored places and
    scores are then exactly build_threads over every stored frame."""
    from types import SimpleNamespace

    from scamtrace.stories import stage
    from scamtrace.stories.threads import build_threads
    store = api.open_store(copy_store(grown[0].path, tmp_path / "threads.db"))
    threads: dict[str, list[str]] = defaultdict(list)
    for sid, thread in store.execute("SELECT story, thread FROM story_threads ORDER BY thread, position"):
        threads[thread].append(sid)
    longest = sorted(threads.values(), key=lambda ms: (-len(ms), ms[0]))
    assert len(longest) >= 2
    gone = [longest[0][0]]
    loner = min(sid for sid, in store.execute("SELECT story FROM story_thread_frames")
                if all(sid not in ms for ms in threads.values()))
    frames = stage._ThreadView(store).frames([longest[1][-1], longest[1][0]])
    moved = dict(frames[longest[1][-1]], date=frames[longest[1][-1]]["date"] - 20)
    follow = dict(frames[longest[1][0]], date=frames[longest[1][0]]["date"] + 5)
    changed = [SimpleNamespace(id=longest[1][-1], frame=moved), SimpleNamespace(id=loner, frame=follow)]
    view = stage._ThreadView(store, gone)
    old = view.frames([*gone, *(st.id for st in changed)])
    store.update_stories([], gone)
    relinked, read = stage._relink_threads(store, changed, gone, view, old)
    assert relinked >= len(changed) and read >= 3   # this small store's threads are all reached
    stories = []
    for sid, day, text in store.execute("SELECT story, day, frame FROM story_thread_frames"):
        terms, vals, anchors, common = json.loads(text)
        stories.append(SimpleNamespace(id=sid, frame={"vec": dict(zip(terms, vals)), "date": day, "anchors": anchors,
                                                      "common": common}))
    assert gone[0] not in {s.id for s in stories}
    thread_of = dict(store.execute("SELECT story, thread FROM story_threads"))
    assert thread_of[loner] == thread_of[longest[1][0]]   # the new link reached the old thread
    scores: dict[str, float] = {}
    want = sorted((p.story, p.thread, p.position, json.dumps(p.evidence, default=str))
                  for p in build_threads(stories, scores=scores))
    assert _stored_threads(store) == want
    assert dict(store.execute("SELECT story, score FROM story_thread_frames")) == scores
    store.close()


def _key_rows(store) -> set[tuple[str, str]]:  # noqa: ANN001
    return {(r[0], r[1]) for r in store.execute("SELECT key, unit FROM story_unit_keys")}


def _keys_of_units(store) -> set[tuple[str, str]]:  # noqa: ANN001
    return {(k, unit) for unit, keys in store.execute("SELECT unit, keys FROM story_units") for k in json.loads(keys)}


def test_stored_unit_keys_are_the_stored_units_keys(grown, tmp_path):  # noqa: ANN001
    """story_unit_keys (the warm path's blocking index, read by key) holds exactly the keys of every
    stored unit after a full and a warm run, and stays so (triggers on story_units) when a unit is
    written again with other keys, written anew, dropped, or every unit is replaced; the migration
    fills it from the stored units."""
    from scamtrace.store.caches import put_story_stats, put_story_units, story_key_units
    from scamtrace.store.migrations import _m0023
    store = api.open_store(copy_store(grown[0].path, tmp_path / "keys.db"))
    want = _keys_of_units(store)
    assert want and _key_rows(store) == want
    unit, members, keys, frame = store.execute("SELECT unit, members, keys, frame FROM story_units LIMIT 1")[0]
    other = store.execute("SELECT unit FROM story_units WHERE unit != ? LIMIT 1", (unit,))[0][0]
    put_story_units(store, [(unit, members, json.dumps(["t:zz-new", json.loads(keys)[0]]), frame),
                            ("fam-new", "[]", json.dumps(["t:zz-new"]), frame)], drop=[other])
    assert _key_rows(store) == _keys_of_units(store) != want
    assert sorted(u for c in story_key_units(store, "t:zz-new", 1) for u in c) == sorted([unit, "fam-new"])
    assert not any(u == other for _, u in _key_rows(store))
    with store.write() as db:
        db.execute("UPDATE story_units SET keys = ? WHERE unit = ?", (json.dumps(["t:zz-upd"]), unit))
    assert _key_rows(store) == _keys_of_units(store) and list(story_key_units(store, "t:zz-upd", 2)) == [[unit]]
    store.db.executescript(   # a store written before the migration: filled from the stored units
        "DROP TABLE story_unit_keys; DROP TRIGGER story_unit_keys_bi; DROP TRIGGER story_unit_keys_ai;"
        " DROP TRIGGER story_unit_keys_au; DROP TRIGGER story_unit_keys_ad;" + _m0023())
    assert _key_rows(store) == _keys_of_units(store)
    put_story_stats(store, {"algorithm": "x"}, {}, {})
    assert _key_rows(store) == set() == _keys_of_units(store)
    store.close()


def test_unit_rows_stored_as_they_are_are_not_written_again(grown, tmp_path):  # noqa: ANN001
    """A warm run writes the unit rows it weighed with ``changed_only``: a row the store holds as it is
    keeps its stored row (rowid), a changed or new one is written; the tables are those of writing all."""
    from scamtrace.store.caches import put_story_units
    stores = [api.open_store(copy_store(grown[0].path, tmp_path / f"w{k}.db")) for k in range(2)]
    rows = [tuple(r) for r in stores[0].execute("SELECT unit, members, keys, frame FROM story_units ORDER BY unit LIMIT 2")]
    same, changed = rows[0], (*rows[1][:3], rows[1][3].replace("]", ",1]", 1) if "]" in rows[1][3] else "[1]")
    new = ("fam-new", "[]", json.dumps(["t:zz-new"]), rows[0][3])
    rowid = {r[0]: r[1] for r in stores[0].execute("SELECT unit, rowid FROM story_units WHERE unit IN (?, ?)",
                                                   (same[0], changed[0]))}
    for store, only in zip(stores, (True, False)):
        put_story_units(store, [same, changed, new], changed_only=only)
    after = {r[0]: r[1] for r in stores[0].execute("SELECT unit, rowid FROM story_units")}
    assert after[same[0]] == rowid[same[0]] and after[changed[0]] != rowid[changed[0]] and "fam-new" in after
    for table in ("story_units", "story_unit_keys"):
        assert (sorted(tuple(r) for r in stores[0].execute(f"SELECT * FROM {table}"))
                == sorted(tuple(r) for r in stores[1].execute(f"SELECT * FROM {table}")))
    assert tuple(stores[0].execute("SELECT unit, members, keys, frame FROM story_units WHERE unit = ?",
                                   (changed[0],))[0]) == changed
    for store in stores:
        store.close()


def test_a_keys_stored_units_are_read_in_chunks_in_order(tmp_path):
    """store.caches.story_key_units reads a key's stored units a chunk at a time (each one JSON array, the
    next after its last name): the names, in order, of every row of the key, whatever the chunk, with
    names JSON escapes and non-ASCII ones; the reader may stop early."""
    from scamtrace.store.caches import story_key_units
    store = api.open_store(tmp_path / "k.db")
    names = [f"fam-{i:03d}" for i in range(40)] + ['fam-"q"', "fam-back\\slash", "fam-ü", "fam-中", "fam-\u00e9t\u00e9",
                                                  "fam-tab\tx", "FAM-upper", "fam-"]
    with store.write() as db:
        db.executemany("INSERT INTO story_units(unit, members, keys, frame) VALUES (?, '[]', ?, '[]')",
                       [(u, json.dumps(["k", f"only-{u}"] if i % 3 else ["k"])) for i, u in enumerate(names)])
    want = [r[0] for r in store.db.execute("SELECT unit FROM story_unit_keys WHERE key = 'k' ORDER BY unit")]
    assert sorted(want) == sorted(names)
    for chunk in (1, 2, 5, 47, 48, 49, 512):
        got = list(story_key_units(store, "k", chunk))
        assert [u for c in got for u in c] == want and all(0 < len(c) <= chunk for c in got), chunk
    assert list(story_key_units(store, "none", 4)) == []
    first = story_key_units(store, "k", 3)
    assert next(first) == want[:3]
    first.close()
    store.close()


@pytest.mark.parametrize("max_key_stories, margin, chunk", [(300, 32, 512), (4, 1, 3), (6, 0, 1), (2, 3, 2)])
def test_the_blocking_index_read_by_key_is_the_restored_index(monkeypatch, max_key_stories, margin, chunk):  # noqa: ANN001
    """A warm run's blocking index read a key at a time from the stored units (restore with
    ``stored_keys``: warm._LazyIndex) gives every posting and every candidate list of the index that
    restore fills with every kept unit's keys at once, after the same moves (units taken out, placed
    into other stories or new ones, postings emptied and filled again); with a low MAX_KEY_STORIES,
    postings longer than it are read only that far (warm._LongPosting) and read in full when stories
    leave them."""
    import random
    from collections import Counter
    from types import SimpleNamespace

    from scamtrace.stories import event
    monkeypatch.setattr(event, "MAX_KEY_STORIES", max_key_stories)
    monkeypatch.setattr(warm, "LONG_POSTING_MARGIN", margin)
    monkeypatch.setattr(warm, "POSTING_CHUNK", chunk)
    rng = random.Random(11 + max_key_stories)
    n, kept_n = 80, 60
    vocab = [f"n:k{i}" for i in range(14)] + [f"t:w{i}" for i in range(6)]
    keys = [frozenset(rng.sample(vocab, rng.randrange(1, 6))) for _ in range(n)]
    f = SimpleNamespace(vecs=[{rng.choice("abcdef"): 1.0} for _ in range(n)], vnorm2=[1.0] * n, anchors=keys,
                        anchor_weight=[1.0] * n, date=[700000 + rng.randrange(30) for _ in range(n)],
                        cdate=[None] * n, types=[frozenset()] * n, keys=keys, actors=[frozenset()] * n,
                        salient=[{}] * n, lead=[None] * n)
    cut = sorted(rng.sample(range(1, kept_n), 24))
    groups = [list(range(a, b)) for a, b in zip([0, *cut], [*cut, kept_n])]
    rng.shuffle(groups)
    stored = set(rng.sample(range(kept_n), 45))   # the others were weighed in the run: their keys go in at once
    solo = next(u for u in sorted(stored))   # the one unit of its key: its posting is emptied, then filled
    keys[solo] = keys[solo] | {"n:solo"}
    vocab.append("n:solo")
    asked: list[str] = []

    def stored_keys(key: str, size: int):  # noqa: ANN202 (every unit with the key: the unstored and dirty ones too)
        asked.append(key)
        rows = [f"u{u}" for u in rng.sample(range(n), n) if key in keys[u]]
        yield from (rows[i:i + size] for i in range(0, len(rows), size))

    eager, lazy = warm._WarmClusterer(f, int), warm._WarmClusterer(f, int)   # placing order: by unit
    eager.restore(groups, lambda u: {"kept": True})
    lazy.restore(groups, lambda u: {"kept": True}, stored_keys, stored, [f"u{u}" for u in range(n)])
    assert not asked   # nothing read before a key is used
    ops = random.Random(5)
    for step in range(160):
        u = ops.randrange(n) if step else solo
        if u >= kept_n and u not in eager.story_of:   # a dirty unit: placed
            s = ops.choice([None, *range(len(eager.stories))])
        else:
            cur = eager.story_of[u]
            for c in (eager, lazy):
                c.take(u, cur)
            s = ops.choice([None, *(x for x in range(len(eager.stories)) if x != cur)])
        if s is not None and not eager.stories[s].units:
            s = None
        for c in (eager, lazy):
            c.place(u, s, {"step": step})
        probe = ops.sample(vocab, 4) if step else ["n:solo"]
        assert list(lazy.hits(probe).items()) == list(eager.hits(probe).items())
        assert lazy.candidates(u) == eager.candidates(u)
    assert lazy.story_of == eager.story_of
    long = 0
    for k in vocab:
        want = eager.index.get(k) or Counter()
        got = lazy.index.get(k)
        if type(got) is warm._LongPosting:   # never read in full: still longer than the bound
            long += 1
            assert len(want) >= len(got) > max_key_stories, k
            assert all(got[s] == want.get(s, 0) for s in range(len(eager.stories))), k
        else:
            assert dict(got) == dict(want), k
    assert long or max_key_stories == 300


def _counts_row_by_row(index, key, limit):  # noqa: ANN001, ANN202
    """warm._LazyIndex.counts as stories.warm-v2 first wrote it: one stored row at a time."""
    from collections import Counter
    counts: Counter = Counter()
    for u, s in index.later.get(key, ()):
        if u not in index.moved:
            counts[s] += 1
    for s in index.placed.get(key, {}).values():
        counts[s] += 1
    for r in (r for one in index.stored_keys(key, 1) for r in one):
        at = index.home.get(r)
        if at is not None and r not in index.moved_rows:
            counts[at] += 1
            if limit is not None and len(counts) > limit:
                return counts, False
    return counts, True


@pytest.mark.parametrize("chunk", [1, 2, 5, 64, 512])
def test_a_posting_counted_by_chunks_is_counted_row_by_row(monkeypatch, chunk):  # noqa: ANN001
    """warm._LazyIndex.counts reads a stored posting POSTING_CHUNK rows at a time: the same counts, the
    same completeness and, for a posting cut at a limit, the same number of stories when it stops
    (the bound a warm._LongPosting keeps) as counting row by row, whatever the chunk, with rows of
    units moved in the run, rows of units not restored, and stories the run's own units add (a cut
    posting's partial counts are those of the rows up to the one that crossed the limit)."""
    import random
    monkeypatch.setattr(warm, "POSTING_CHUNK", chunk)
    rng = random.Random(chunk)
    for trial in range(200):
        n_stories = rng.randrange(1, 40)
        rows = [f"u{i}" for i in range(rng.randrange(0, 150))]
        home = {r: rng.randrange(n_stories) for r in rows if rng.random() < 0.8}
        later = {"k": [(1000 + i, rng.randrange(n_stories)) for i in range(rng.randrange(0, 8))]}
        index = warm._LazyIndex(lambda key, size, rows=rows: (rows[i:i + size] for i in range(0, len(rows), size)),
                                home, later, [], [], [])
        index.moved = {u for u, _ in later["k"] if rng.random() < 0.3}
        index.moved_rows = {r for r in rows if rng.random() < 0.1}
        index.placed = {"k": {2000 + i: rng.randrange(n_stories) for i in range(rng.randrange(0, 5))}}
        for limit in (None, 0, 1, rng.randrange(1, 30)):
            got, want = index.counts("k", limit), _counts_row_by_row(index, "k", limit)
            assert got[1] == want[1], (trial, limit)
            assert dict(got[0]) == dict(want[0]), (trial, limit)   # a cut posting's partial counts too


def test_members_json_is_the_json_of_the_sorted_ids():
    """A stored unit's members are compared as JSON text (stories.stage._members_json writes it directly
    when no id needs escaping): the same text as json.dumps for ids with and without quotes, backslashes,
    control characters and non-ASCII letters."""
    import random

    from scamtrace.stories.stage import _members_json
    rng = random.Random(2)
    alphabet = ["a", "b", "-", "0", "é", "\u2028", "\x7f", '"', "\\", "\n", "\x01", "/"]
    for _ in range(500):
        ids = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 6))) for _ in range(rng.randrange(0, 4))]
        assert _members_json(ids) == json.dumps(sorted(ids), ensure_ascii=False, separators=(",", ":")), ids


def test_the_order_key_compares_as_the_rank_among_every_unit():
    """A warm run compares units by ``order_key`` instead of their rank in the placing order of every
    unit (by date, else content date, else last; then name; the sort is stable): the same total order,
    also for equal dates, a content date equal to a publication date, undated units with and without
    one, and units of one name (the index breaks the tie, as the stable sort does)."""
    import random
    from types import SimpleNamespace

    from scamtrace.stories.event import order_key
    rng = random.Random(3)
    far = 10**9
    for n in (1, 2, 5, 40, 300):
        date = [rng.choice([None, None, 700000, 700001, 700000 + rng.randrange(5)]) for _ in range(n)]
        cdate = [rng.choice([None, 700000, 700001, 700003]) if d is None else None for d in date]
        names = [rng.choice(["fam-a", "fam-b", "fam-c", f"fam-{i}"]) for i in range(n)]
        f = SimpleNamespace(date=date, cdate=cdate)
        ranked = sorted(range(n), key=lambda i: (date[i] if date[i] is not None else
                                                 cdate[i] if cdate[i] is not None else far, names[i]))
        rank = {u: k for k, u in enumerate(ranked)}
        key = order_key(names, f)
        assert sorted(range(n), key=key) == ranked
        assert len({key(i) for i in range(n)}) == n   # a total order: no two keys equal
        for _ in range(200):
            i, j = rng.randrange(n), rng.randrange(n)
            assert (key(i) < key(j)) == (rank[i] < rank[j])


def test_a_warm_runs_units_made_when_used_are_the_units_made_at_once(grown):  # noqa: ANN001
    """The units of a warm run (``_LazyUnits``: a stored unit made when read) have the dates, content
    dates, members and order of the units the full path makes at once, on the grown store with some
    articles made undated (some of them with a content date equal to another unit's date)."""
    import dataclasses

    from scamtrace.stories.event import StoredFrames, order_key, prepare_units, unit_names, unit_sizes
    store = grown[0]
    _, stats = _frozen_stats(store)
    arts = sorted(store.iter_articles(), key=lambda a: a.id)
    arts = [dataclasses.replace(a, published=None) if k % 7 == 0 else a for k, a in enumerate(arts)]
    dated = [a.published for a in arts if a.published]
    event_dates = {a.id: dated[k % len(dated)] for k, a in enumerate(arts) if a.published is None and k % 3}
    fams = store.families()
    units, frames, order = prepare_units(arts, fams, event_dates, {})
    names = {r[0] for r in store.execute("SELECT unit FROM story_units")}
    reads: list[str] = []
    stored = StoredFrames(names - {units[0].family}, lambda name: reads.append(name) or "")
    lazy, lframes, none = prepare_units(arts, fams, event_dates, {}, stats=stats, stored=stored, ordered=False)
    assert none == [] and not reads and len(lazy.made) < len(lazy) // 2   # the stored units are not made
    assert (lframes.date, lframes.cdate, lframes._days) == (frames.date, frames.cdate, frames._days)
    assert any(d is None for d in frames.date) and any(c is not None for c in frames.cdate)
    assert unit_names(lazy) == [u.family for u in units] and unit_sizes(lazy) == [len(u.members) for u in units]
    key = order_key(unit_names(lazy), lframes)
    assert sorted(range(len(lazy)), key=key) == order
    for i, u in enumerate(units):
        got = lazy[i]
        assert (got.family, [m.id for m in got.members], got.first, got.last) == \
               (u.family, [m.id for m in u.members], u.first, u.last)
    assert not reads   # frames are read when used, not when units are made


def test_thread_places_read_again_are_the_places_stored(grown):  # noqa: ANN001
    """The warm run reads the places of the threads it reaches twice (_ThreadView keeps what it decoded):
    a place read again with that cache is the stored one, and one whose stored JSON changed since is
    decoded again, not taken from the cache."""
    from scamtrace.store.caches import thread_places_with
    store = grown[0]
    rows = dict(store.execute("SELECT story, evidence FROM story_threads"))
    assert rows, "the synthetic store has threads"
    some = sorted(rows)[: max(1, len(rows) // 2)]
    known: dict = {}
    first = thread_places_with(store, some, (), known)
    assert first == thread_places_with(store, some) and set(known) == set(first)
    sid = next(iter(first))
    known[sid] = ('{"previous": "stale"}', {"previous": "stale"})   # as if the stored JSON changed since
    again = thread_places_with(store, some, (), known)
    assert again == first and again[sid] == json.loads(rows[sid]) and known[sid][0] == rows[sid]


def test_the_collector_is_paused_for_the_warm_path_and_given_back():
    """collector.paused (the warm path's and a small analyze's) pauses the cyclic garbage collector for a run
    and leaves it as it found it, also when the run fails (and paused when it was paused)."""
    import gc

    from scamtrace.collector import paused as _collector_paused
    was = gc.isenabled()
    try:
        gc.enable()
        with _collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled()
        with pytest.raises(RuntimeError), _collector_paused():
            raise RuntimeError("a failing run")
        assert gc.isenabled()
        gc.disable()
        with _collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()


def test_a_warm_run_leaves_no_cycles_to_the_collector(grown, tmp_path, monkeypatch):  # noqa: ANN001
    """The warm path's structures (unit groups, kept stories, the blocking index with its long postings, the
    frames) are freed by their reference counts when it returns, before the collector is given back: none
    is left in a cycle (a collection walking them cost 0.1-0.2 CPU s at 100,000 articles). Long postings
    (which point back at their index) are made by a small MAX_KEY_STORIES."""
    import gc

    from scamtrace.stories import event, stage
    monkeypatch.setattr(event, "MAX_KEY_STORIES", 3)
    monkeypatch.setattr(warm, "LONG_POSTING_MARGIN", 0)
    found: list[int] = []
    longs: list[int] = []
    real, real_long = stage._try_warm, warm._LongPosting.__init__

    def long_posting(self, *args):  # noqa: ANN001, ANN202
        longs.append(1)
        real_long(self, *args)

    def counted(*args, **kwargs):  # noqa: ANN202
        gc.collect()
        got = real(*args, **kwargs)
        found.append(gc.collect())   # what the run left unreachable only through cycles
        return got
    monkeypatch.setattr(stage, "_try_warm", counted)
    monkeypatch.setattr(warm._LongPosting, "__init__", long_posting)
    store = api.open_store(copy_store(grown[3], tmp_path / "cycles.db"))
    api.analyze(store)
    assert _last_stories_run(store)["mode"] == "warm" and longs
    assert found == [0]
    store.close()
