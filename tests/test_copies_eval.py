"""Copies evaluation: gold link scoring and the Clough-Stevenson floor."""
from __future__ import annotations

import json

import pytest

from conftest import REPO, shared_dir
from scamtrace.errors import GoldFileError
from scamtrace.eval.copies import CSThresholds, evaluate_clough_stevenson, evaluate_copies
from scamtrace.model import Family, Link

FLOORS = json.loads((REPO / "tests" / "floors" / "copies.json").read_text())


def _l(a, s, rel, sib=None):
    return Link(article=a, source=s, relation=rel, score=1.0, algorithm="t", sibling=sib)


GOLD = [
    {"key": "o", "family": "F1", "relation": None, "source": None, "origin_credit": "AP"},
    {"key": "t", "family": "F1", "relation": "truncated", "source": "o", "origin_credit": "AP"},
    {"key": "s", "family": "F2", "relation": "spun", "source": None, "origin_credit": "AP"},
    {"key": "r", "family": "F2", "relation": "rewrite", "source": None, "origin_credit": "AP"},
    {"key": "i", "family": "F3", "relation": None, "source": None},
]


def test_evaluate_copies_scores_links_and_families():
    pred = [_l("t", "o", "truncated"), _l("s", None, "spun", "r"), _l("r", None, "verbatim", "s"), _l("i", "o", "excerpt")]
    fams = [Family("fam-o", ["o", "t"], "o", "AP"), Family("fam-r", ["r", "s"], None, "AP"), Family("fam-i", ["i"], "i", None)]
    res = evaluate_copies(pred, [json.dumps(g) for g in GOLD], fams)
    assert res["relations"]["truncated"]["f1"] == 1.0
    assert res["relations"]["rewrite"]["recall"] == 0.0
    assert res["relations"]["excerpt"]["precision"] == 0.0
    assert res["origin_accuracy"] == 1.0 and res["origin_credit_accuracy"] == 1.0
    assert res["families_bcubed"]["f1"] == 1.0
    assert 0.0 < res["macro_f1"] < 1.0


def test_evaluate_copies_rejects_bad_gold():
    with pytest.raises(GoldFileError, match="not JSON"):
        evaluate_copies([], ["{oops"])
    with pytest.raises(GoldFileError, match="relation"):
        evaluate_copies([], [{"key": "a", "family": "F", "relation": "copied"}])


def test_cs_thresholds_validate():
    with pytest.raises(ValueError, match=r"light_lcs must be in \[0, 1\]"):
        CSThresholds(light_lcs=2.0)


def test_clough_stevenson_floor():
    bench = shared_dir() / "benchmarks" / "clough-stevenson"
    if not (bench / "file_information.csv").is_file():
        pytest.skip(f"{bench} not found; set SCAMTRACE_SHARED to the shared/ folder")
    res = evaluate_clough_stevenson(bench)
    assert res["answers"] == 95
    assert res["macro_f1"] >= FLOORS["clough_stevenson_fixed_macro_f1"], res
    assert res["accuracy"] >= FLOORS["clough_stevenson_fixed_accuracy"], res
    assert res["copy_vs_non_accuracy"] >= FLOORS["clough_stevenson_copy_vs_non_accuracy"], res
