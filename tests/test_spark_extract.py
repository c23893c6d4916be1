"""`spark analyze` (extraction in the executors) + `import-parquet` gives the figures, quotes, events
and entities of the embedded `analyze`, without extracting again.

On the demo corpus (against the analysed demo store) and on ../shared/datasets/realnews-dev (ingested
and analysed as realnews-dev/score.py does; skipped when ../shared is absent). The exports are
compared line by line (`scamtrace export figures|quotes|events|entities --format jsonl`: they hold
no run ids or times). Stories are clustered in the store (`import-parquet --stories store`), as
`analyze` clusters them from the extraction; the Spark stories table is `stories.online-v2`.
Skipped when pyspark or Java is missing.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import shared_dir


def _write_jsonl(path: Path, records) -> None:  # noqa: ANN001
    with path.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, default=str) + "\n")


def _spark_and_import(spark, store, root: Path):  # noqa: ANN001, ANN202
    """Export ``store``'s articles, run `spark analyze` on them, import into a fresh store."""
    from scamtrace import api
    from scamtrace.export import article_records
    from scamtrace.spark.job import run_job

    _write_jsonl(root / "articles.jsonl", article_records(store))
    info = run_job(spark, "analyze", [str(root / "articles.jsonl")], str(root / "out"))
    imported = api.open_store(root / "imported.db")
    counts = api.import_parquet(imported, root / "out", stories="store")
    return info, imported, counts


@pytest.fixture(scope="module")
def demo_analyze(spark, demo_db, tmp_path_factory):
    from scamtrace import api

    root = tmp_path_factory.mktemp("spark-analyze")
    store = api.open_store(demo_db)   # the demo after one embedded `analyze`
    info, imported, counts = _spark_and_import(spark, store, root)
    return store, imported, info, counts, root


def test_demo_extraction_matches_analyze(demo_analyze):
    from scamtrace.spark.equivalence import extraction_differences

    store, imported, info, counts, _ = demo_analyze
    diff = extraction_differences(store, imported)
    assert diff["figures"]["embedded"] >= 100 and diff["events"]["embedded"] >= 20 and diff["quotes"]["embedded"] >= 20
    assert diff["same"], json.dumps(diff, indent=1)[:3000]
    assert info["counts"]["figures"] >= 100 and info["counts"]["events"] >= 20
    assert info["job"].endswith("spark.extract-v2") and info["algorithms"]["figures"].startswith("extract.figures-")
    # loaded, not extracted again; the corpus passes ran in the store
    assert counts["extracted_from"] == "tables" and counts["figures"] == info["counts"]["figures"]


def test_each_distinct_paragraph_is_parsed_once(demo_analyze):
    """spark.extract-v2: spaCy parses each distinct paragraph of the corpus once (keyed as the
    embedded ``ner_units`` cache keys them), and the extraction step parses none again."""
    from scamtrace.extract.entities import ner_units, unit_cache_tag, unit_key

    store, _, info, _, _ = demo_analyze
    if unit_cache_tag() is None:
        pytest.skip("spaCy or its English model is missing: the rule-based recogniser parses nothing")
    keys, total = set(), 0
    for a in store.iter_articles():
        units = ner_units(a.text or "")
        total += len(units)
        keys.update(unit_key(u) for _, u in units)
    got = info["ner_units"]
    assert got["units"] == total and got["distinct"] == len(keys) and got["parsed"] == len(keys)
    assert len(keys) < total   # the demo's copies repeat paragraphs
    assert got["reparsed"] == 0
    assert info["algorithms"]["ner_units"] == "extract.ner-units-v1"


def test_demo_reference_dates_come_from_a_join(spark, demo_analyze):
    from scamtrace.extract.corpus_dates import reference_dates
    from scamtrace.spark.extract import reference_dates_spark

    store, _, _, _, root = demo_analyze
    arts = spark.read.parquet(str(root / "out" / "articles"))
    links = spark.read.parquet(str(root / "out" / "links"))
    ours = {r["id"]: r["ref"] for r in reference_dates_spark(arts, links).collect()}
    theirs = reference_dates({k: a.published for k, a in store.article_meta().items()}, store.links())
    assert ours == {k: d.isoformat() for k, (d, _) in theirs.items()}


def test_import_needs_all_extraction_tables(demo_analyze, tmp_path):
    from scamtrace import api
    from scamtrace.errors import InputError

    _, _, _, _, root = demo_analyze
    broken = tmp_path / "out"
    shutil.copytree(root / "out", broken)
    shutil.rmtree(broken / "quotes")
    store = api.open_store(tmp_path / "x.db")
    with pytest.raises(InputError) as e:
        api.import_parquet(store, broken)
    msg = str(e.value)
    assert "\n" not in msg and "quotes" in msg and "figures" in msg and "rerun" in msg
    assert not list(store.iter_articles())   # nothing written


def test_shuffle_partitions_grow_with_the_input():
    from scamtrace.spark.session import shuffle_partitions_for

    assert shuffle_partitions_for(2_000, 2) == 8          # several tasks per core on a small input
    assert shuffle_partitions_for(100_000, 2) == 20
    assert shuffle_partitions_for(400_000, 2) == 80       # 4x the articles, 4x the partitions
    assert shuffle_partitions_for(10**9, 64) == 2_000


def test_realnews_dev_extraction_matches_analyze(spark, tmp_path):
    from scamtrace import api
    from scamtrace.spark.equivalence import extraction_differences

    d = shared_dir() / "datasets" / "realnews-dev"
    if not (d / "articles.jsonl").is_file():
        pytest.skip(f"{d}/articles.jsonl not found; set SCAMTRACE_SHARED to the shared/ folder")
    recs = [json.loads(line) for line in open(d / "articles.jsonl", encoding="utf-8") if line.strip()]
    # ingested and analysed as realnews-dev/score.py does (tests/test_realnews_gate.py)
    _write_jsonl(tmp_path / "realnews.jsonl", ({"id": r["id"], "url": r.get("url"), "outlet": r.get("outlet"),
                                                "published": r.get("date", r.get("published")),
                                                "title": r.get("title") or None, "text": r["text"]} for r in recs))
    store = api.open_store(tmp_path / "embedded.db")
    api.ingest(store, [str(tmp_path / "realnews.jsonl")])
    api.analyze(store)
    _, imported, _ = _spark_and_import(spark, store, tmp_path)
    diff = extraction_differences(store, imported)
    assert diff["figures"]["embedded"] >= 200, diff["figures"]["embedded"]
    assert diff["same"], json.dumps(diff, indent=1)[:3000]
