"""The web workspace answering reads while another process ingests and analyses into the same store:
zero errors and a stories list whose article count never goes down (no half batch is ever seen).
The machinery is ``bench/bench_web_load.py``'s, run with small counts; no timing is asserted."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web workspace needs fastapi (pip install fastapi)")
pytest.importorskip("uvicorn", reason="`scamtrace serve` needs uvicorn")

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench" / "bench_web_load.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_web_load", BENCH)
    assert spec and spec.loader, BENCH
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bench_web_load"] = mod     # dataclasses resolve their module by name
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def bench():
    return load_bench()


def sample(bench, count, start, end, thread=0):
    return bench.Sample("list_api", "/api/stories", 200, start, end, thread, count)


def test_count_regressions_within_a_thread_and_across_finished_answers(bench):
    ok = [sample(bench, 33, 0, 1), sample(bench, 66, 2, 3), sample(bench, 33, 2.5, 4, thread=1)]
    assert bench.count_regressions(ok) == []         # overlapping answers may show an older snapshot
    same_thread = [sample(bench, 66, 0, 1), sample(bench, 33, 2, 3)]
    assert bench.count_regressions(same_thread)
    across = [sample(bench, 66, 0, 1, thread=0), sample(bench, 33, 1.5, 2, thread=1)]
    assert any("earlier, finished answer" in p for p in bench.count_regressions(across))


def test_verdict_names_every_failed_check(bench):
    good = {"errors": 0, "error_examples": [], "count_regressions": [], "writer_failures": [],
            "final_listed_articles": 99, "stored_articles": 99}
    assert bench.verdict(good) == []
    bad = {**good, "errors": 2, "error_examples": ["500 /x", "404 /y"], "final_listed_articles": 66}
    failed = bench.verdict(bad)
    assert len(failed) == 2 and "500 /x" in failed[0] and "66" in failed[1]


@pytest.mark.slow
def test_reads_during_ingest_and_analyze_see_no_error_and_no_half_batch(bench, tmp_path):
    demo = tmp_path / "demo.db"
    bench.build_demo_store(demo)
    work = tmp_path / "work"
    work.mkdir()
    summary = bench.run(demo, work, requests=240, threads=4, rounds=1, max_seconds=60, rate=25)
    assert summary["errors"] == 0, summary["error_examples"]
    assert summary["count_regressions"] == []
    assert summary["writer_rounds"] == 1 and summary["writer_failures"] == []
    assert summary["requests"] >= 1 and summary["article_counts_seen"]
    counts = summary["article_counts_seen"]
    base = bench.store_articles(demo)
    assert set(counts) <= {base, 2 * base}           # a list shows all of a batch or none of it
    assert summary["final_listed_articles"] == summary["stored_articles"] == 2 * base
