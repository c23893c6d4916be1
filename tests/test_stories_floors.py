"""Story quality gates (stories.event-v8) pinned in tests/floors/stories.json: the demo gold, and
realnews-dev's real articles with `scamtrace eval stories --gold` reading the dataset's own format,
each fixed half and the whole. ECB+ is measured by hand (its analysis takes minutes; see README).
Skips with a reason when ../shared is absent."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import shared_dir
from scamtrace import api
from scamtrace.eval.store_eval import evaluate_stories, format_result

FLOORS = json.loads((Path(__file__).parent / "floors" / "stories.json").read_text())
GOLD = Path(__file__).parent / "gold" / "demo_stories.jsonl"


def test_demo_stories_floor(demo_db):
    res = evaluate_stories(api.open_store(demo_db), GOLD)
    assert res["bcubed"]["f1"] >= FLOORS["demo_bcubed_f1"], format_result("stories", res)
    assert res["worst_ratio"] <= 1.5


@pytest.fixture(scope="module")
def realnews(tmp_path_factory):
    corpus = shared_dir() / "datasets" / "realnews-dev" / "articles.jsonl"
    if not corpus.exists():
        pytest.skip(f"{corpus} is absent (set SCAMTRACE_SHARED to the shared folder)")
    root = tmp_path_factory.mktemp("realnews")
    src = root / "input.jsonl"
    with open(corpus, encoding="utf-8") as fh, open(src, "w", encoding="utf-8") as out:
        for line in fh:   # the fields score.py passes to ingest, nothing else
            r = json.loads(line)
            out.write(json.dumps({"id": r["id"], "url": r["url"], "outlet": r["outlet"], "published": r["date"],
                                  "title": r["title"] or None, "text": r["text"]}) + "\n")
    store = api.open_store(root / "rn.db")
    api.ingest(store, [str(src)])
    api.analyze(store)
    return store, corpus


@pytest.mark.parametrize("half", ["A", "B", None])
def test_realnews_dev_story_floors(realnews, half):
    store, corpus = realnews
    res = evaluate_stories(store, corpus, half)
    key = f"realnews_dev_{half or 'whole'}_bcubed_f1"
    assert res["bcubed"]["f1"] >= FLOORS[key], format_result("stories", res)
    assert res["worst_ratio"] <= FLOORS["realnews_dev_max_size_ratio"], format_result("stories", res)


def test_eval_stories_reads_the_dataset_formats(realnews, tmp_path):
    store, corpus = realnews
    ecb = tmp_path / "ecb-style.jsonl"   # ECB+'s gold.jsonl shape: id, story (+ fields it ignores)
    lines = [json.loads(x) for x in open(corpus, encoding="utf-8")][:20]
    ecb.write_text("".join(json.dumps({"id": r["id"], "story": r["story"], "topic": 1}) + "\n" for r in lines)
                   + json.dumps({"id": "rejected-stub", "story": lines[0]["story"]}) + "\n")
    res = evaluate_stories(store, ecb)
    assert res["bcubed"]["items"] == 21 and res["absent"] == 1
    assert "count as singletons" in format_result("stories", res)


def test_realnews_dev_every_story_has_a_name(realnews):
    """stories.name-v1: no story is listed without a name (most realnews-dev texts have no headline);
    a story with a headline is named after its earliest member's that is not a copy (stories.headline-v2;
    the earliest copy's when only copies have one), the others are marked as derived."""
    from scamtrace.stories.names import HEADLINE_SOURCE, NAME_ALGORITHM, NAME_MAX_CHARS
    from scamtrace.stories.cluster import copies_of

    store, _ = realnews
    rows = [dict(r) for r in store.execute("SELECT id, title, title_source FROM stories")]
    assert rows and not [r["id"] for r in rows if not (r["title"] or "").strip()]
    derived = [r for r in rows if r["title_source"] == NAME_ALGORITHM]
    assert derived and all(len(r["title"]) <= NAME_MAX_CHARS + 1 for r in derived)
    renamed, copies = 0, copies_of(store.families())
    for r in rows:
        members = [(a["id"], a["title"]) for a in store.execute(
            "SELECT a.id, a.title FROM story_members sm JOIN articles a ON a.id = sm.article WHERE sm.story = ?"
            " ORDER BY a.published IS NULL, a.published, a.id", (r["id"],))]
        heads = [t for _, t in members if t]
        own = [t for a, t in members if t and a not in copies]
        want = own[0] if own else heads[0] if heads else r["title"]
        assert (r["title_source"], r["title"]) == ((HEADLINE_SOURCE if heads else NAME_ALGORITHM), want)
        renamed += bool(heads) and want != heads[0]
    assert renamed >= 1     # 2 at stories.headline-v2: a spun copy's headline and a copy's, each earlier than its original's
