"""The Spark stories stage (``spark.stories-v1``): candidate pairs scored in buckets (each vector
decoded once per bucket, not once per pair), story roots by pointer jumping, and the same stories
as the embedded ``stories.online-v2`` on a synthetic corpus cut into many buckets and on
../shared/datasets/realnews-dev (skipped when absent). Spark tests skip without pyspark/Java.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from conftest import shared_dir


def _write_jsonl(path: Path, records) -> None:  # noqa: ANN001
    with path.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, default=str) + "\n")


def test_features_from_vectors_pick_the_same_best_candidates():
    """The Spark buckets build ``_Features`` from vectors already computed; every unit's best
    candidate, score and evidence must be those of the features built from the IDF."""
    from scamtrace.copies.synth import generate
    from scamtrace.stories import cluster as C

    units = C._units(generate(150, 3).articles, [])
    idf, aidf, _ = C.unit_idf(units)
    units.sort(key=lambda u: (u.first or C.dt.date.max, u.family))
    embedded = C._Features(units, idf, aidf)
    given = C._Features(units, {}, aidf, vecs=[C._tfidf(u.tf, idf) for u in units])
    joined = 0
    for pos in range(1, len(units)):
        cands = list(range(pos))
        best = C._best_candidate(embedded, pos, cands)
        assert C._best_candidate(given, pos, cands) == best
        joined += best[1] >= C.JOIN_THRESHOLD
    assert joined >= 20, "a corpus where no unit joins another proves nothing"
    assert given.keys == [] and len(embedded.keys) == len(units)


def test_scoring_buckets_grow_with_the_pairs():
    from scamtrace.spark.stories import PAIRS_PER_BUCKET, scoring_buckets

    assert scoring_buckets(10, 8) == 8
    assert scoring_buckets(PAIRS_PER_BUCKET * 20 + 1, 8) == 21
    assert scoring_buckets(0, 0) == 1


def test_tree_roots_by_pointer_jumping(spark, caplog):
    from scamtrace.spark.components import tree_roots

    chain = [(f"c{i:03d}", f"c{i - 1:03d}") for i in range(1, 100)]       # c099 -> ... -> c000
    tree = [("t1", "t0"), ("t2", "t0"), ("t3", "t1"), ("t4", "t3")]
    df = spark.createDataFrame(chain + tree, "node string, parent string")
    with caplog.at_level(logging.INFO, logger="scamtrace.spark.components"):
        roots = {r["node"]: r["root"] for r in tree_roots(df).collect()}
    assert roots == {**{n: "c000" for n, _ in chain}, **{n: "t0" for n, _ in tree}}
    rounds = [int(m.split()[-2]) for m in caplog.messages if m.startswith("tree roots settled after")]
    assert rounds and rounds[0] <= 8, rounds   # log2(99) + 1; one round per link would be 99
    cycle = spark.createDataFrame([("a", "b"), ("b", "a")], "node string, parent string")
    with pytest.raises(RuntimeError, match="cycle"):
        tree_roots(cycle, max_rounds=5)


def test_many_buckets_give_the_embedded_stories(spark, tmp_path, monkeypatch):
    """Cut the candidate pairs into many small buckets (a unit's candidates all in one, the
    vectors they name shipped with it): the stories must still be the embedded engine's."""
    from scamtrace.copies.synth import generate
    from scamtrace.spark import stories as S
    from scamtrace.spark.equivalence import differences, embedded_result, read_output
    from scamtrace.spark.job import run_job

    arts = list(generate(300, 5).articles)
    _write_jsonl(tmp_path / "synth.jsonl", (a.to_dict() for a in arts))
    monkeypatch.setattr(S, "PAIRS_PER_BUCKET", 500)
    info = run_job(spark, "stories", [str(tmp_path / "synth.jsonl")], str(tmp_path / "out"))
    links, families, stories = embedded_result(arts)
    diff = differences(links, families, stories, read_output(tmp_path / "out"))
    assert diff["same"], diff
    assert sum(len(s.families) > 1 for s in stories) >= 10, "stories must join units for this to test anything"
    scoring = info["stories_scoring"]
    assert scoring["buckets"] == -(-scoring["pairs"] // 500) > 4, scoring
    assert scoring["vectors_decoded"] <= 2 * scoring["pairs"], scoring


def test_realnews_dev_stories_match_embedded(spark, tmp_path):
    from scamtrace.spark.equivalence import differences, embedded_result, read_output
    from scamtrace.spark.job import run_job
    from scamtrace.spark.readers import article_from_row

    d = shared_dir() / "datasets" / "realnews-dev"
    if not (d / "articles.jsonl").is_file():
        pytest.skip(f"{d}/articles.jsonl not found; set SCAMTRACE_SHARED to the shared/ folder")
    rows = [{"id": r["id"], "url": r.get("url"), "outlet": r.get("outlet"),
             "published": r.get("date", r.get("published")), "title": r.get("title") or None, "text": r["text"]}
            for r in (json.loads(line) for line in open(d / "articles.jsonl", encoding="utf-8") if line.strip())]
    _write_jsonl(tmp_path / "realnews.jsonl", rows)
    info = run_job(spark, "stories", [str(tmp_path / "realnews.jsonl")], str(tmp_path / "out"))
    out = read_output(tmp_path / "out")
    arts = [article_from_row(r) for r in out["articles"]]   # the articles as the job read them
    links, families, stories = embedded_result(arts)
    diff = differences(links, families, stories, out)
    assert info["counts"]["articles"] == len(rows) and diff["stories"]["embedded"] >= 20, diff
    assert sum(len(s.families) > 1 for s in stories) >= 5
    assert diff["same"], json.dumps(diff, indent=1, default=str)[:3000]
    # one bucket per shuffle partition at this size, so each vector is decoded a few times at most
    scoring = info["stories_scoring"]
    assert scoring["vectors_decoded"] < scoring["pairs"], scoring
