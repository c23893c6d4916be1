"""End to end: ingest -> clean -> store -> analyze on the demo corpus and the seeds, through the API and CLI."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from scamtrace import api
from scamtrace.cli import cli
from scamtrace.eval.copies_store import evaluate_store_copies
from scamtrace.eval.keys import key_map

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "examples" / "demo"
GOLD = REPO / "tests" / "gold"
FLOORS = json.loads((REPO / "tests" / "floors" / "copies.json").read_text())


def demo_sources():
    return [str(DEMO / line.strip()) for line in (DEMO / "sources.txt").read_text().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def demo_store(demo_db):
    return api.open_store(demo_db)


def test_demo_ingests_every_source(demo_store):
    assert demo_store.count_articles() == 33 and not demo_store.rejects()


def test_demo_copies_meet_gold(demo_store):
    s = evaluate_store_copies(demo_store, GOLD / "demo_copies.jsonl").scores
    assert s["macro_f1"] >= FLOORS["demo_relations_macro_f1"]
    for rel in ("verbatim", "truncated", "excerpt"):
        assert s["relations"][rel]["f1"] >= 0.98, rel
    assert s["origin_accuracy"] >= FLOORS["demo_origin_accuracy"]


def test_every_article_in_exactly_one_family(demo_store):
    members = [m for f in demo_store.families() for m in f.members]
    assert len(members) == len(set(members)) == demo_store.count_articles()


def test_reingest_is_idempotent_and_incremental(demo_store):
    stats = api.ingest(demo_store, demo_sources())
    assert (stats.new, stats.updated, stats.same) == (0, 0, 33)
    a = api.analyze(demo_store)
    assert a.examined == 0 and a.candidate_pairs == 0


def test_incremental_equals_full(tmp_path, demo_store):
    """Adding articles in two batches gives the same links and families as one full run."""
    store = api.open_store(tmp_path / "two.db")
    src = demo_sources()
    api.ingest(store, src[:2])
    api.analyze(store)
    api.ingest(store, src[2:])
    api.analyze(store)
    links = lambda s: {(ln.article, ln.source, ln.sibling, ln.relation) for ln in s.links()}  # noqa: E731
    fams = lambda s: {frozenset(f.members) for f in s.families()}  # noqa: E731
    assert links(store) == links(demo_store)
    assert fams(store) == fams(demo_store)


def test_bad_inputs_are_rejected_not_fatal(tmp_path):
    store = api.open_store(tmp_path / "bad.db")
    stats = api.ingest(store, [str(DEMO / "bad")])
    reasons = " | ".join(r["reason"] for r in store.rejects())
    assert stats.rejected >= 5
    assert "binary" in reasons and "invalid JSON" in reasons and "empty" in reasons
    for r in store.rejects():   # one line, naming the input
        assert "\n" not in r["reason"] and r["reason"].startswith(r["source"].split("#")[0])
    # the latin-1 article is decoded and kept, accents intact
    texts = [a.text for a in store.iter_articles()]
    assert any(any(ch in t for ch in "éèçñü") for t in texts)


def test_judgements_are_respected(fresh_db):
    store = api.open_store(fresh_db)
    keys = key_map(store)
    orig, copy = keys["mwn-20250304-golden-lotus-raid"], keys["wire-raid-copy1.txt"]
    assert any(ln.source == orig for ln in store.links(copy))
    store.add_judgement(copy, orig, "not-copy", note="test")
    api.analyze(store)
    assert not any(orig in (ln.source, ln.sibling) for ln in store.links(copy) if ln.article == copy)
    # a forced copy between unrelated articles
    a, b = keys["sft-20250714-transfer-delay"], keys["mwn-20250520-thai-warrants"]
    store.add_judgement(a, b, "copy")
    api.analyze(store)
    assert store.family_of(a) == store.family_of(b)
    assert any(ln.evidence.get("judgement") == "copy" for ln in store.links(a))


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory, seeds_dir):
    store = api.open_store(tmp_path_factory.mktemp("seeds") / "seeds.db")
    stats = api.ingest(store, [str(seeds_dir)])
    assert stats.new == 5 and stats.rejected == 0
    api.analyze(store)
    return store


def test_seed_provenance(seed_store):
    k = key_map(seed_store)
    s = {n[:3]: k[n] for n in k if n[:3] in {"000", "001", "002", "003", "004"} and n.endswith(".txt")}
    links = {(ln.article, ln.source, ln.sibling, ln.relation) for ln in seed_store.links()}
    assert (s["001"], s["000"], None, "truncated") in links
    assert (s["003"], None, s["004"], "spun") in links
    assert (s["004"], None, s["003"], "rewrite") in links
    assert len(links) == 3, links
    fam = {a: seed_store.family_of(a) for a in s.values()}
    assert fam[s["000"]] == fam[s["001"]] and fam[s["003"]] == fam[s["004"]]
    assert fam[s["002"]] not in {fam[s[x]] for x in ("000", "001", "003", "004")}
    credit = {f.id: f.origin_credit for f in seed_store.families()}
    assert credit[fam[s["003"]]] == "AP"


def test_cli_end_to_end(tmp_path, seeds_dir):
    db = str(tmp_path / "cli.db")
    run = CliRunner().invoke
    r = run(cli, ["--db", db, "ingest", str(seeds_dir), "--analyze"])
    assert r.exit_code == 0, r.output
    r = run(cli, ["--db", db, "export", "articles", "--format", "jsonl"])
    rows = [json.loads(x) for x in r.output.splitlines()]
    assert len(rows) == 5
    assert set(rows[0]) == {"id", "url", "outlet", "title", "published", "byline", "dateline", "credit",
                            "truncated", "language", "text"}
    assert sum(1 for x in rows if x["truncated"] is True) == 1
    r = run(cli, ["--db", db, "export", "copies", "--format", "jsonl"])
    links = [json.loads(x) for x in r.output.splitlines()]
    assert {x["relation"] for x in links} == {"truncated", "spun", "rewrite"}
    for x in links:
        assert x["family"] and x["algorithm"].startswith("copies.") and x["evidence"]
    r = run(cli, ["--db", db, "export", "families", "--format", "csv", "-o", str(tmp_path / "f.csv")])
    assert r.exit_code == 0 and (tmp_path / "f.csv").read_text().startswith("family,origin")
    spun = next(x["article"] for x in links if x["relation"] == "spun")
    r = run(cli, ["--db", db, "copies", spun, "--width", "100"])
    assert r.exit_code == 0 and "substitutions" in r.output and "→" in r.output
    r = run(cli, ["--db", db, "articles", "Kokang", "--format", "jsonl"])
    assert r.exit_code == 0 and len(r.output.splitlines()) >= 1
    r = run(cli, ["--db", db, "show", "nope"])
    assert r.exit_code != 0


def test_missing_db_dir_is_created_and_bad_db_is_clear(tmp_path):
    bad = tmp_path / "notadb.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    from scamtrace.errors import StoreError
    with pytest.raises(StoreError, match="notadb.db"):
        api.open_store(bad)


def _page(n: int, outlet: str, body: str, footer: str) -> str:
    return (f"<html><head><title>Story {n} - {outlet}</title><meta property='og:site_name' content='{outlet}'>"
            f"</head><body><article><h1>Story {n}</h1>{body}<p>{footer}</p></article></body></html>")


def test_outlet_boilerplate_learned_but_shared_sentences_kept(tmp_path):
    """A line repeated on many pages of one outlet goes; a sentence two outlets share stays."""
    words = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november".split()
    footer = "Our newsroom thanks the readers of the Lantern Courier for their loyal company every week."
    shared = "The ministry said the compound held more than four hundred workers from nine countries."
    for n in range(4):
        body = "".join(f"<p>Paragraph {i} of story {n} talks about {' '.join(words[(n + i) % 14:][:8])} and "
                       f"the compound raid number {n}{i} in some considerable detail for readers.</p>" for i in range(4))
        if n == 0:
            body += f"<p>{shared}</p>"
        (tmp_path / f"lc{n}.html").write_text(_page(n, "Lantern Courier", body, footer), encoding="utf-8")
    other = "".join(f"<p>Another outlet reports item {i} about the raid with its own words entirely here.</p>"
                    for i in range(4)) + f"<p>{shared}</p>"
    (tmp_path / "other.html").write_text(_page(9, "Other Gazette", other, "Contact us."), encoding="utf-8")
    store = api.open_store(tmp_path / "bp.db")
    stats = api.ingest(store, [str(tmp_path)])
    assert stats.new == 5
    texts = {a.outlet: [] for a in store.iter_articles()}
    for a in store.iter_articles():
        texts[a.outlet].append(a.text)
    assert all(footer not in t for t in texts["Lantern Courier"])
    assert sum(shared in t for t in texts["Lantern Courier"]) == 1
    assert shared in texts["Other Gazette"][0]
    again = api.ingest(store, [str(tmp_path)])
    assert (again.new, again.updated) == (0, 0)


def test_duplicate_id_with_other_text_is_a_conflict_not_an_overwrite(tmp_path):
    body = " ".join(f"word{i}" for i in range(60))
    rec = {"id": "dup-1", "url": "https://news.example/a", "outlet": "X", "title": "T", "text": "First. " + body}
    (tmp_path / "a.jsonl").write_text(json.dumps(rec) + "\n", encoding="utf-8")
    rec2 = dict(rec, text="Second version. " + body)
    (tmp_path / "b.jsonl").write_text(json.dumps(rec2) + "\n", encoding="utf-8")
    store = api.open_store(tmp_path / "c.db")
    api.ingest(store, [str(tmp_path / "a.jsonl")])
    stats = api.ingest(store, [str(tmp_path / "b.jsonl")])
    assert stats.conflicts == 1
    assert store.get_article("dup-1").text.startswith("First.")
    assert len(store.conflicts()) == 1
    assert any("dup-1" in r["reason"] and r["stage"] == "store" for r in store.rejects())


def test_analyze_freezes_the_heap_of_each_stage_for_the_collector_and_hands_it_back(tmp_path, monkeypatch):
    """Each stage starts with the objects alive then frozen (gc.freeze: the collector's full passes skip
    the store-sized heap earlier stages read); analyze unfreezes them at its end, also when a stage fails."""
    import gc

    from scamtrace import pipeline
    from scamtrace.copies.synth import generate
    from test_stories_warm import _jsonl
    monkeypatch.setenv("SCAMTRACE_NO_SPACY", "1")
    store = api.open_store(tmp_path / "s.db")
    api.ingest(store, [_jsonl(tmp_path / "a.jsonl", generate(12, 3).articles)])
    frozen: list[int] = []
    build = pipeline.build_knowledge

    def knowledge(*args, **kw):  # noqa: ANN002, ANN003, ANN202
        frozen.append(gc.get_freeze_count())
        raise RuntimeError("stop")
    monkeypatch.setattr(pipeline, "build_knowledge", knowledge)
    with pytest.raises(RuntimeError):
        api.analyze(store)
    assert frozen and frozen[0] > 0 and gc.get_freeze_count() == 0
    monkeypatch.setattr(pipeline, "build_knowledge", build)
    api.analyze(store)
    assert gc.get_freeze_count() == 0
    store.close()


def test_small_incremental_analyze_pauses_the_collector_and_restores_it(tmp_path, monkeypatch):
    """An analyze re-examining at most GC_PAUSE_MAX_NEW articles runs its stages with the cyclic collector paused;
    a full run and a larger batch keep it on; every run (also one that fails) leaves it as it found it."""
    import gc

    from scamtrace import pipeline
    from scamtrace.copies.synth import generate
    from test_stories_warm import _jsonl
    monkeypatch.setenv("SCAMTRACE_NO_SPACY", "1")
    store = api.open_store(tmp_path / "s.db")
    arts = generate(12, 3).articles
    api.ingest(store, [_jsonl(tmp_path / "a.jsonl", arts[:8])])
    seen: list[bool] = []
    build = pipeline.build_knowledge

    def knowledge(*args, **kw):  # noqa: ANN002, ANN003, ANN202
        seen.append(gc.isenabled())
        return build(*args, **kw)
    monkeypatch.setattr(pipeline, "build_knowledge", knowledge)
    monkeypatch.setattr(pipeline, "GC_PAUSE_MAX_NEW", 7)
    api.analyze(store)                         # 8 new articles: more than the limit, the collector runs
    assert seen == [True] and gc.isenabled()
    api.ingest(store, [_jsonl(tmp_path / "b.jsonl", arts[8:])])
    api.analyze(store)                         # 4 new: paused during the stages, restored after
    assert seen == [True, False] and gc.isenabled()
    api.analyze(store, full=True)              # a full run keeps it on
    assert seen == [True, False, True] and gc.isenabled()
    gc.disable()
    try:
        api.analyze(store)                     # nothing new: still paused (as found), left paused
        assert seen[-1] is False and not gc.isenabled()
    finally:
        gc.enable()

    def fail(*args, **kw):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("stop")
    api.ingest(store, [_jsonl(tmp_path / "c.jsonl", generate(14, 5).articles[12:])])
    monkeypatch.setattr(pipeline, "build_knowledge", fail)
    with pytest.raises(RuntimeError):
        api.analyze(store)
    assert gc.isenabled()
    store.close()
