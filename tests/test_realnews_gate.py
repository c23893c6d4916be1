"""Real-news gates: realnews-dev (two fixed halves and the whole) and ECB+, read from ../shared.

Each corpus is ingested and analysed as ``realnews-dev/score.py`` and the ECB+ README do it, then
scored by :mod:`scamtrace.eval.realnews`; the floors are in ``tests/floors/realnews.json``. Skipped,
with the reason, when the shared datasets are absent (set SCAMTRACE_SHARED).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import REPO, shared_dir
from scamtrace import api
from scamtrace.eval.realnews import evaluate_store_realnews, half_of

FLOORS = json.loads((REPO / "tests" / "floors" / "realnews.json").read_text())


def _dataset(name: str) -> Path:
    d = shared_dir() / "datasets" / name
    if not (d / "articles.jsonl").is_file():
        pytest.skip(f"{d}/articles.jsonl not found; set SCAMTRACE_SHARED to the shared/ folder")
    return d


def _store(tmp: Path, records: list[dict], name: str):
    src = tmp / f"{name}.jsonl"
    with open(src, "w", encoding="utf-8") as fh:
        for r in records:   # the fields realnews-dev/score.py passes on
            fh.write(json.dumps({"id": r["id"], "url": r.get("url"), "outlet": r.get("outlet"),
                                 "published": r.get("date", r.get("published")), "title": r.get("title") or None,
                                 "text": r["text"]}) + "\n")
    store = api.open_store(tmp / f"{name}.db")
    api.ingest(store, [str(src)])
    api.analyze(store)
    return store


@pytest.fixture(scope="module")
def realnews(tmp_path_factory):
    d = _dataset("realnews-dev")
    recs = [json.loads(line) for line in open(d / "articles.jsonl", encoding="utf-8") if line.strip()]
    tmp = tmp_path_factory.mktemp("realnews")
    out = {}
    for half in ("A", "B", None):   # each half in its own store, as score.py --half does
        part = [r for r in recs if half is None or half_of(r["story"]) == half]
        store = _store(tmp, part, half or "all")
        out[half or "all"] = evaluate_store_realnews(store, d / "articles.jsonl", half=half).values
    return out


@pytest.mark.parametrize("part", ["A", "B", "all"])
def test_realnews_floors(realnews, part):
    s, f = realnews[part], FLOORS[part]
    assert s["pair_recall"] >= f["pair_recall"], s["errors"]
    assert s["relation_accuracy"] >= f["relation_accuracy"], s["errors"]
    assert s["arrow_right_rate"] >= f["arrow_right_rate"], s
    assert s["arrow_right_found_rate"] >= f.get("arrow_right_found_rate", 0.0), s
    assert s["arrow_reversed"] <= f["max_arrow_reversed"], s
    assert s["cross_story_rate"] <= f["max_cross_story_rate"], s
    assert s["links_apart_rate"] <= f.get("max_links_apart_rate", 1.0), s
    assert s["families_bcubed"]["f1"] >= f["families_bcubed_f1"], s


@pytest.fixture(scope="module")
def ecbplus(tmp_path_factory):
    d = _dataset("ecbplus")
    recs = [json.loads(line) for line in open(d / "articles.jsonl", encoding="utf-8") if line.strip()]
    store = _store(tmp_path_factory.mktemp("ecbplus"), recs, "ecb")
    return evaluate_store_realnews(store, d / "gold.jsonl", silver=d / "silver_copies.jsonl").values


def test_ecbplus_floors(ecbplus):
    s, f = ecbplus, FLOORS["ecbplus"]
    assert s["cross_story_rate"] <= f["max_cross_story_rate"], s["cross_examples"]
    assert s["quotation_only"] <= f["max_quotation_only"], s
    assert s["silver_recall"] >= f["silver_recall"], s
