"""Copies evaluation: gold link scoring and the Clough-Stevenson floor."""
from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import REPO, shared_dir
from scamtrace.errors import GoldFileError
from scamtrace.eval.copies import (CS_CLASSES, CSThresholds, _grid_points, _label_matrix, _plateau_centre, cs_groups,
                                   cs_label, evaluate_clough_stevenson, evaluate_copies, evaluate_relations)
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
    with pytest.raises(ValueError, match=r"light_order must be in \[0, 1\]"):
        CSThresholds(light_order=2.0)


def test_clough_stevenson_floor():
    bench = shared_dir() / "benchmarks" / "clough-stevenson"
    if not (bench / "file_information.csv").is_file():
        pytest.skip(f"{bench} not found; set SCAMTRACE_SHARED to the shared/ folder")
    res = evaluate_clough_stevenson(bench)
    assert res["answers"] == 95
    assert res["macro_f1"] >= FLOORS["clough_stevenson_fixed_macro_f1"], res
    assert res["accuracy"] >= FLOORS["clough_stevenson_fixed_accuracy"], res
    assert res["copy_vs_non_accuracy"] >= FLOORS["clough_stevenson_copy_vs_non_accuracy"], res


def _cs_bench():
    bench = shared_dir() / "benchmarks" / "clough-stevenson"
    if not (bench / "file_information.csv").is_file():
        pytest.skip(f"{bench} not found; set SCAMTRACE_SHARED to the shared/ folder")
    return bench


@pytest.mark.parametrize("mode", ["loo", "person", "task"])
def test_clough_stevenson_heldout_floor(mode):
    res = evaluate_clough_stevenson(_cs_bench(), mode=mode)
    assert res["algorithm"] == "eval.clough-stevenson-v2" and res["mode"] == mode
    assert res["folds"] == {"loo": 95, "person": 19, "task": 5}[mode]
    assert sum(sum(row.values()) for row in res["confusion"].values()) == 95
    assert res["macro_f1"] >= FLOORS[f"clough_stevenson_{mode}_macro_f1"], res
    if mode == "loo":
        assert res["accuracy"] >= FLOORS["clough_stevenson_loo_accuracy"], res
    for lo, hi in res["threshold_ranges"].values():
        assert lo <= hi


def test_clough_stevenson_rejects_unknown_mode(tmp_path):
    with pytest.raises(ValueError, match="mode must be one of"):
        evaluate_clough_stevenson(tmp_path, mode="cv")


def test_cs_groups_by_person_and_task():
    files = ["g0pA_taska.txt", "g0pA_taskb.txt", "g4pE_taska.txt"]
    assert cs_groups(files, "person") == ["g0pA", "g0pA", "g4pE"]
    assert cs_groups(files, "task") == ["a", "b", "a"]
    assert cs_groups(files, "loo") == files
    with pytest.raises(ValueError, match="not a Clough-Stevenson answer name"):
        cs_groups(["orig_taska.txt"], "person")
    with pytest.raises(ValueError, match="by must be"):
        cs_groups(files, "writer")


def test_label_matrix_matches_cascade():
    feats = [{"c3": c3, "c5": c5, "run": run, "order": lcs}
             for c3 in (0.05, 0.2, 0.5, 0.95) for c5 in (0.0, 0.35, 0.9) for run in (3.0, 16.0, 40.0)
             for lcs in (0.2, 0.7, 0.95)]
    points = _grid_points()[::97]
    table = _label_matrix(feats, points)
    for g, p in enumerate(points):
        t = CSThresholds(*map(float, p))
        assert [CS_CLASSES[c] for c in table[g]] == [cs_label(f, t) for f in feats]


def test_plateau_centre_takes_median_of_tied_optima():
    points = np.array([[0.1, 10, 0.3, 0.3], [0.2, 20, 0.4, 0.5], [0.3, 30, 0.5, 0.7], [0.38, 30, 0.8, 0.9]])
    t = _plateau_centre(points, np.array([0.9, 0.9, 0.9, 0.5]))
    assert (t.non_c3, t.cut_run, t.cut_c5, t.light_order) == (0.2, 20.0, 0.4, 0.5)


def test_evaluate_relations_six_classes():
    gold = [("v", "o1", "verbatim"), ("t", "o1", "truncated"), ("s", "o2", "spun"), ("r", "o2", "rewrite"),
            ("e", "o3", "excerpt")]
    independent = [("x", "o1"), ("z", "o3")]
    links = [_l("v", "o1", "verbatim"), _l("o1", "t", "truncated"),       # reversed: relation right, source wrong
             _l("s", "o2", "rewrite"), _l("e", "o3", "excerpt"), _l("x", "o1", "rewrite"),
             _l("s", None, "spun", "r"), _l("v", "o2", "excerpt")]        # sibling link; a link across stories
    fams = [Family("f1", ["o1", "v", "t"], "o1", None), Family("f2", ["o2", "s"], "o2", None),
            Family("f3", ["r"], "r", None), Family("f4", ["o3"], "o3", None), Family("f5", ["e"], "e", None)]
    res = evaluate_relations(links, gold, independent, fams)
    assert res["pairs"] == 7
    assert res["confusion"]["independent"] == {"rewrite": 1, "independent": 1}
    assert res["confusion"]["rewrite"] == {"independent": 1}   # r-o2 has no link (the s-r sibling link does not count)
    c = res["classes"]
    assert c["verbatim"]["f1"] == 1.0 and c["truncated"]["f1"] == 1.0 and c["excerpt"]["f1"] == 1.0
    assert c["spun"]["recall"] == 0.0 and c["rewrite"]["precision"] == 0.0
    assert c["independent"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "tp": 1, "predicted": 2, "gold": 2}
    assert res["source_accuracy"] == 0.6                       # v, s, e linked copy -> own source
    assert res["origin_accuracy"] == 0.75                      # v, t, s right; r wrong; e (excerpt) not counted
    assert res["extra_links"] == {"cross_story": 1} and res["extra_examples"] == [["cross_story", "v", "o2", "excerpt"]]
    assert 0.0 < res["macro_f1"] < 1.0


def test_evaluate_relations_rejects_bad_gold():
    with pytest.raises(ValueError, match="no gold pairs"):
        evaluate_relations([], [])
    with pytest.raises(ValueError, match="'copied'"):
        evaluate_relations([], [("a", "b", "copied")])


def test_evaluate_relations_counts_false_alarms_but_not_siblings():
    gold = [("c1", "o", "spun"), ("c2", "o", "verbatim")]
    links = [_l("c1", "o", "spun"), _l("c2", "o", "verbatim"), _l("c1", None, "spun", "c2"),
             _l("x", "w", "rewrite"), _l("x", "c1", "excerpt")]
    res = evaluate_relations(links, gold, [("x", "o"), ("w", "o")])
    assert res["macro_f1"] == 1.0 and res["source_accuracy"] == 1.0
    assert res["extra_links"] == {"same_story": 2}
    assert "origin_accuracy" not in res


def test_six_class_end_to_end_on_synthetic_corpus():
    """find_copies on CandidateIndex candidates over a small mixed synthetic corpus (bench_relations
    at n=400 measures 0.99-1.0 macro-F1; the 0.9 floor leaves room for other seeds and sizes)."""
    from scamtrace.copies.engine import find_copies
    from scamtrace.copies.index import CandidateIndex
    from scamtrace.copies.synth import generate

    corpus = generate(160, 11, mix={"verbatim": 0.08, "truncated": 0.08, "excerpt": 0.08, "spun": 0.12,
                                    "rewrite": 0.08, "same_story": 0.10})
    idx = CandidateIndex()
    idx.add_many((a.id, a.text) for a in corpus.articles)
    pairs = sorted({tuple(sorted((a, b))) for a, b, *_ in idx.candidate_pairs()})
    result = find_copies(corpus.articles, candidates=pairs)
    res = evaluate_relations(result.links, corpus.gold, corpus.same_story, result.families)
    assert set(res["classes"]) == {"verbatim", "truncated", "excerpt", "spun", "rewrite", "independent"}
    assert all(v["gold"] > 0 for v in res["classes"].values()), res["classes"]
    assert res["macro_f1"] >= 0.9, res
    assert res["source_accuracy"] >= 0.9, res
