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
