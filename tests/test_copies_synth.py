"""Pair-level gate on the synthetic corpus of scamtrace.copies.synth (another helper's generator)."""
from __future__ import annotations

import json

import pytest

from conftest import REPO
from scamtrace.eval.copies import evaluate_pairs

FLOORS = json.loads((REPO / "tests" / "floors" / "copies.json").read_text())


@pytest.fixture(scope="module")
def scores():
    synth = pytest.importorskip("scamtrace.copies.synth")
    corpus = synth.generate(200, seed=23)
    return evaluate_pairs(corpus.by_id(), corpus.gold, corpus.same_story)


def test_synthetic_relations_and_directions(scores):
    assert scores["pairs"] >= 20
    assert scores["relation_accuracy"] >= FLOORS["synth_relation_accuracy"], scores
    assert scores["direction_accuracy"] >= FLOORS["synth_direction_accuracy"], scores


def test_same_story_articles_are_not_copies(scores):
    assert scores["negatives"] > 0
    assert scores["false_positive_rate"] <= FLOORS["synth_same_story_max_false_positive_rate"], scores


@pytest.fixture(scope="module")
def engine_scores():
    """The whole engine (CandidateIndex candidates, reduce, families) on a six-class corpus of 400."""
    synth = pytest.importorskip("scamtrace.copies.synth")
    from scamtrace.copies.engine import find_copies
    from scamtrace.copies.index import CandidateIndex
    from scamtrace.eval.copies import evaluate_relations
    mix = {"verbatim": 0.08, "truncated": 0.08, "excerpt": 0.08, "spun": 0.12, "rewrite": 0.08, "same_story": 0.10}
    corpus = synth.generate(400, seed=7, mix=mix)
    idx = CandidateIndex()
    idx.add_many((a.id, a.text) for a in corpus.articles)
    pairs = sorted({(min(a, b), max(a, b)) for a, b, _name, _est in idx.candidate_pairs()})
    result = find_copies(corpus.articles, candidates=pairs)
    return evaluate_relations(result.links, corpus.gold, corpus.same_story, result.families)


def test_engine_six_classes_sources_and_origins(engine_scores):
    s = engine_scores
    assert s["macro_f1"] >= FLOORS["synth_engine_macro_f1"], s
    # each copy linked to its own original, and each family's origin is that original
    assert s["source_accuracy"] >= FLOORS["synth_engine_source_accuracy"], s
    assert s["origin_accuracy"] >= FLOORS["synth_engine_origin_accuracy"], s


def test_engine_few_false_alarms(engine_scores):
    s = engine_scores
    assert sum(s["extra_links"].values()) <= FLOORS["synth_engine_max_extra_links"], s
    independent = s["classes"]["independent"]
    assert independent["recall"] >= FLOORS["synth_engine_independent_recall"], s
