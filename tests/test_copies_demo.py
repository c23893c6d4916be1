"""Quality gate: the copies engine on the fictional demo corpus against tests/gold/demo_copies.jsonl.

Needs the ingest and clean stages (written by other helpers); skipped with a reason if they are
missing. Gold keys are resolved to article ids here: record id, URL, or file name.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import REPO
from scamtrace.copies import find_copies
from scamtrace.eval.copies import evaluate_copies
from scamtrace.model import Reject

FLOORS = json.loads((REPO / "tests" / "floors" / "copies.json").read_text())
GOLD = REPO / "tests" / "gold" / "demo_copies.jsonl"


@pytest.fixture(scope="module")
def demo_articles(demo_dir: Path):
    try:
        from scamtrace.clean import clean_doc
        from scamtrace.ingest import iter_sources
        from scamtrace.settings import Settings
    except ImportError as e:
        pytest.skip(f"ingest/clean stage not available: {e}")
    if not GOLD.is_file() or not (demo_dir / "sources.txt").is_file():
        pytest.skip("demo corpus or tests/gold/demo_copies.jsonl missing")
    keys = {json.loads(l)["key"] for l in GOLD.read_text().splitlines() if l.strip()}
    sources = [str(demo_dir / l.strip()) for l in (demo_dir / "sources.txt").read_text().splitlines() if l.strip()]
    arts = []
    for doc in iter_sources(sources, Settings(fetch_linked_pages=False)):
        if isinstance(doc, Reject):
            continue
        art = clean_doc(doc)
        if isinstance(art, Reject):
            continue
        key = next((k for k in (doc.id, doc.url, Path(doc.source.split("#")[0]).name, art.id, art.url) if k in keys), None)
        if key is not None:
            art.id = key
            arts.append(art)
    if len(arts) < len(keys):
        pytest.skip(f"only {len(arts)} of {len(keys)} gold articles came through ingest+clean")
    return arts


def test_demo_copies_gate(demo_articles):
    result = find_copies(demo_articles)
    scores = evaluate_copies(result.links, GOLD.read_text().splitlines(), result.families)
    assert scores["macro_f1"] >= FLOORS["demo_relations_macro_f1"], scores
    assert scores["families_bcubed"]["f1"] >= FLOORS["demo_families_bcubed_f1"], scores
    assert scores["origin_accuracy"] >= FLOORS["demo_origin_accuracy"], scores
    assert scores["origin_credit_accuracy"] >= FLOORS["demo_origin_credit_accuracy"], scores
