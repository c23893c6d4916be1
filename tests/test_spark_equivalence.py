"""Spark local mode and the embedded engine give the same links, relations, families and stories.

On the demo corpus (against a real `analyze` in a store) and on a synthetic corpus with every kind
of copy (against the embedded engine's functions). The 20,000-article run of the same check is
`bench/bench_spark.py --equivalence 20000` (too long for every CI run); its figures are in the
README. Skipped when pyspark or Java is missing.
"""
from __future__ import annotations

import dataclasses

import json
from pathlib import Path

import pytest

from conftest import copy_store


def _write_jsonl(path: Path, records) -> None:  # noqa: ANN001
    with path.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r) + "\n")


@pytest.fixture(scope="module")
def demo_run(spark, demo_master, tmp_path_factory):
    from scamtrace import api
    from scamtrace.export import article_records
    from scamtrace.spark.equivalence import read_output
    from scamtrace.spark.job import run_job

    root = tmp_path_factory.mktemp("spark-demo")
    store = api.open_store(copy_store(demo_master, root / "demo.db"))
    _write_jsonl(root / "articles.jsonl", article_records(store))
    info = run_job(spark, "stories", [str(root / "articles.jsonl")], str(root / "out"))
    # the Spark job computes stories.online-v2 (analyze computes stories.event-v8): compare with v2
    from scamtrace.stories.cluster import cluster_stories as online_v2

    v2 = [{"story": s.id, "articles": s.articles, "families": s.families, "title": s.title}
          for s in online_v2(list(store.iter_articles()), store.families())]
    return store, v2, read_output(root / "out"), info, root


def test_demo_links_families_and_stories_match_analyze(demo_run):
    from scamtrace.spark.equivalence import differences

    store, stories, out, info, _ = demo_run
    diff = differences(store.links(), store.families(), stories, out)
    assert diff["links"]["embedded"] >= 15, "the demo corpus has copies; a run that finds none proves nothing"
    assert diff["same"], diff
    assert info["counts"]["articles"] == 33 and info["counts"]["rejects"] == 0
    assert info["algorithms"]["candidates"] == "copies.candidates-v1"


def test_demo_evidence_matches(demo_run):
    store, _, out, _, _ = demo_run
    ours = {(l.article, l.source or l.sibling): l.evidence for l in store.links()}
    for row in out["links"]:
        ev = json.loads(row["evidence"])
        assert ev == json.loads(json.dumps(ours[(row["article"], row["source"] or row["sibling"])], default=str))


def test_import_parquet_gives_the_store_the_same_result(demo_run, tmp_path):
    from scamtrace import api
    from scamtrace.spark.equivalence import differences, read_output

    store, stories, _, _, root = demo_run
    fresh = api.open_store(tmp_path / "imported.db")
    counts = api.import_parquet(fresh, root / "out")
    assert counts["links"] == len(store.links())
    from scamtrace.export import story_records

    diff = differences(fresh.links(), fresh.families(), list(story_records(fresh)), read_output(root / "out"))
    assert diff["same"], diff


def test_synthetic_corpus_matches_embedded_engine_and_bad_input_is_rejected(spark, tmp_path):
    from scamtrace.copies.synth import generate
    from scamtrace.spark.equivalence import differences, embedded_result, read_output
    from scamtrace.spark.job import run_job

    corpus = generate(500, 11)
    arts = list(corpus.articles)
    # one-sentence briefs (stories.brief-join-v1: they join a story, no unit joins through them)
    for i, a in enumerate(arts[:300:20]):
        first = a.text.split(". ")[0].rstrip(".") + "."
        arts.append(dataclasses.replace(a, id=f"brief-{i}", text=first, url=None, title=None))
    _write_jsonl(tmp_path / "synth.jsonl", (a.to_dict() for a in arts))
    # bad input beside the good: a corrupt Parquet file and a record with no text
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 this is not a parquet file")
    _write_jsonl(tmp_path / "empty.jsonl", [{"id": "no-text", "url": "https://example.invalid/x", "text": ""}])
    info = run_job(spark, "stories", [str(tmp_path / "synth.jsonl"), str(tmp_path / "broken.parquet"),
                                      str(tmp_path / "empty.jsonl")], str(tmp_path / "out"))
    out = read_output(tmp_path / "out")
    links, families, stories = embedded_result(arts)
    diff = differences(links, families, stories, out)
    assert len(links) > 100
    assert {l.relation for l in links} >= {"verbatim", "truncated", "excerpt", "spun", "rewrite"}
    assert diff["same"], diff
    briefs = [e for st in stories for e in st.evidence if e.get("brief")]
    assert len(briefs) >= 5 and any("joined_via" in e for e in briefs)   # others joined a copy family
    brief_fams = {e["family"] for e in briefs}
    assert not any(e.get("joined_via") in brief_fams for st in stories for e in st.evidence)
    sources = " ".join(r["source"] or "" for r in out["rejects"])
    assert info["counts"]["rejects"] == 2 and "broken.parquet" in sources and "empty.jsonl" in sources
