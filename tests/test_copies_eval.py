"""Copies evaluation: gold link scoring and the Clough-Stevenson floor."""
from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import REPO, shared_dir
from scamtrace.errors import GoldFileError
from scamtrace.copies.csmodel import SENTENCE_EDITS_ALGORITHM, sentence_edits
from scamtrace.eval.copies import (CS_CLASSES, CSThresholds, CSThresholdsV3, _grid_points, _heldout_predict,
                                   _label_matrix, _plateau_centre, cs_groups, cs_label, evaluate_clough_stevenson,
                                   evaluate_copies, evaluate_relations)
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
    with pytest.raises(ValueError, match=r"CSThresholds.light_order must be in \[0, 1\]"):
        CSThresholds(light_order=2.0)
    with pytest.raises(ValueError, match=r"cut_run must be >= 0"):
        CSThresholds(cut_run=-1.0)
    with pytest.raises(ValueError, match=r"CSThresholdsV3.cut_edit must be in \[0, 1\], got -0.1"):
        CSThresholdsV3(cut_edit=-0.1)


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
    assert res["algorithm"] == "eval.clough-stevenson-v3" and res["mode"] == mode
    assert res["folds"] == {"loo": 95, "person": 19, "task": 5}[mode]
    assert sum(sum(row.values()) for row in res["confusion"].values()) == 95
    assert res["macro_f1"] >= FLOORS[f"clough_stevenson_{mode}_macro_f1"], res
    if mode == "loo":
        assert res["accuracy"] >= FLOORS["clough_stevenson_loo_accuracy"], res
    assert set(res["threshold_ranges"]) == {"non_c3", "cut_c5", "cut_edit", "light_order"}
    wrong = sum(n for g, row in res["confusion"].items() for p, n in row.items() if p != g)
    assert len(res["errors"]) == wrong and all(e["gold"] != e["predicted"] for e in res["errors"])
    assert {"c3", "c5", "edit", "order"} <= set(res["errors"][0]["features"])
    for lo, hi in res["threshold_ranges"].values():
        assert lo <= hi


def test_clough_stevenson_v2_still_reachable():
    res = evaluate_clough_stevenson(_cs_bench(), mode="loo", version="v2")
    assert res["algorithm"] == "eval.clough-stevenson-v2"
    assert set(res["threshold_ranges"]) == {"non_c3", "cut_run", "cut_c5", "light_order"}
    assert res["macro_f1"] >= FLOORS["clough_stevenson_v2_loo_macro_f1"], res


def test_clough_stevenson_rejects_mismatched_thresholds(tmp_path):
    with pytest.raises(ValueError, match="version 'v3' needs CSThresholdsV3 thresholds, got CSThresholds"):
        evaluate_clough_stevenson(tmp_path, thresholds=CSThresholds())
    with pytest.raises(ValueError, match="version must be one of"):
        evaluate_clough_stevenson(tmp_path, version="v9")


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


@pytest.mark.parametrize("version,cls", [("v2", CSThresholds), ("v3", CSThresholdsV3)])
def test_label_matrix_matches_cascade(version, cls):
    feats = [{"c3": c3, "c5": c5, "run": run, "order": lcs, "edit": edit}
             for c3 in (0.05, 0.2, 0.5, 0.95) for c5 in (0.0, 0.35, 0.9) for run in (3.0, 16.0, 40.0)
             for lcs in (0.2, 0.7, 0.95) for edit in (0.0, 0.03, 0.2)]
    points = _grid_points(version)[::97]
    table = _label_matrix(feats, points, version)
    seen = set()
    for g, p in enumerate(points):
        t = cls(*map(float, p))
        labels = [cs_label(f, t) for f in feats]
        assert [CS_CLASSES[c] for c in table[g]] == labels
        seen.update(labels)
    assert seen == set(CS_CLASSES)


def test_cs_label_v3_cut_needs_coverage_and_no_edits():
    t = CSThresholdsV3(non_c3=0.2, cut_c5=0.3, cut_edit=0.04, light_order=0.8)
    base = {"c3": 0.9, "c5": 0.9, "run": 5.0, "order": 0.9}
    assert cs_label({**base, "edit": 0.0}, t) == "cut"                 # short passages do not matter in v3
    assert cs_label({**base, "edit": 0.1}, t) == "light"
    assert cs_label({**base, "edit": 0.1, "order": 0.5}, t) == "heavy"
    assert cs_label({**base, "edit": 0.0, "c5": 0.1}, t) == "light"    # too little copied to be a cut
    assert cs_label({**base, "edit": 0.0, "c3": 0.1}, t) == "non"


def test_plateau_centre_takes_median_of_tied_optima():
    points = np.array([[0.1, 10, 0.3, 0.3], [0.2, 20, 0.4, 0.5], [0.3, 30, 0.5, 0.7], [0.38, 30, 0.8, 0.9]])
    t = _plateau_centre(points, np.array([0.9, 0.9, 0.9, 0.5]), "v2")
    assert (t.non_c3, t.cut_run, t.cut_c5, t.light_order) == (0.2, 20.0, 0.4, 0.5)
    points = np.array([[0.1, 0.3, 0.0, 0.3], [0.2, 0.4, 0.02, 0.5], [0.3, 0.5, 0.04, 0.7]])
    t = _plateau_centre(points, np.array([0.9, 0.9, 0.9]), "v3")
    assert t == CSThresholdsV3(0.2, 0.4, 0.02, 0.5)


def test_heldout_prediction_never_sees_the_scored_label():
    """Flipping the gold class of one answer changes no held-out prediction of that answer."""
    rng = np.random.default_rng(5)
    feats = [{"c3": float(a), "c5": float(b), "run": 10.0, "order": float(c), "edit": float(d)}
             for a, b, c, d in rng.uniform(0, 1, size=(24, 4)) * [1, 1, 1, 0.1]]
    gold = [CS_CLASSES[i % 4] for i in range(24)]
    groups = [f"g{i}" for i in range(24)]
    pred, chosen = _heldout_predict(feats, gold, groups)
    assert len(chosen) == 24
    for i in (0, 7, 13):
        flipped = list(gold)
        flipped[i] = CS_CLASSES[(CS_CLASSES.index(gold[i]) + 1) % 4]
        assert _heldout_predict(feats, flipped, groups)[0][i] == pred[i]
        assert _heldout_predict(feats, flipped, groups)[1][i] == chosen[i]


def test_sentence_edits_tells_cut_from_revision():
    source = ("Inheritance is a way to form new classes (instances of which are called objects) using classes "
              "that have already been defined. The new classes take over attributes and behavior of the "
              "pre-existing classes. It is intended to help reuse existing code with little or no modification.")
    cut = ("The new classes take over attributes and behavior of the pre-existing classes. Inheritance is a way "
           "to form new classes using classes that have already been defined.")
    light = ("Inheritance is a method to build new classes using classes that have previously been defined. "
             "It is meant to help reuse existing code with little or no change.")
    own = "Some people like cats. Dogs are loyal animals that bark at strangers."
    c = sentence_edits(source, cut)
    assert c.algorithm == SENTENCE_EDITS_ALGORITHM
    assert c.edit_rate == 0.0 and c.derived_share == 1.0 and c.edited_words == 0   # deletions and moves only
    lt = sentence_edits(source, light)
    assert 0.1 < lt.edit_rate < 0.5 and lt.derived_share == 1.0
    ev = lt.evidence()
    inserted = [w for m in ev["sentences"] for w in m["inserted"]]
    assert {"method", "build", "previously", "meant", "change"} <= set(" ".join(inserted).split())
    first = ev["sentences"][0]
    assert light[first["copy"][0]:first["copy"][1]].startswith("Inheritance is a method")
    assert source[first["source"][0]:first["source"][1]].startswith("Inheritance is a way")
    o = sentence_edits(source, own)
    assert o.derived_share == 0.0 and o.edit_rate == 1.0 and o.matches == []  # nothing taken over
    assert sentence_edits("", light).edit_rate == 1.0


def test_sentence_edits_appended_words_are_not_edits():
    source = "The vector space model represents documents as vectors of identifiers."
    longer = "The vector space model represents documents as vectors of identifiers, as many textbooks explain."
    e = sentence_edits(source, longer)
    assert e.edit_rate == 0.0 and e.matched_words == 10


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
