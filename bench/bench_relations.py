"""Benchmark: six-class copy relations end to end on a synthetic corpus (``eval.relations-six-v1``).

Generates a mixed corpus with :func:`scamtrace.copies.synth.generate` (verbatim, truncated,
excerpt, spun, rewrite copies and independent same-story articles), runs
:func:`scamtrace.copies.engine.find_copies` (on :class:`~scamtrace.copies.index.CandidateIndex`
candidates when the corpus is large, else on all pairs) and prints, per seed and pooled:

* per-class precision / recall / F1 and macro-F1 over the SIX classes (``independent`` = same-story
  pairs, which must get no link), with the confusion matrix;
* source accuracy (the copy is linked to its own source) and family-origin accuracy;
* false alarms outside the labelled pairs: links across stories, or between two independent
  same-story articles (links between two copies of one source are siblings, not false alarms).

Usage::

    .venv/bin/python bench/bench_relations.py                       # 400 articles, seeds 7 and 23 (~1 min)
    .venv/bin/python bench/bench_relations.py --n 800 --seeds 1 2 3 --candidates index
    .venv/bin/python bench/bench_relations.py --json                # machine-readable result
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from scamtrace.copies.engine import find_copies
from scamtrace.copies.index import CandidateIndex
from scamtrace.copies.synth import SPIN_RATES, SynthCorpus, generate
from scamtrace.eval.copies import SIX_CLASSES, evaluate_relations
from scamtrace.model import Link

#: Corpus mix: every copy kind well represented (originals take the remaining ~46 %).
BENCH_MIX = {"verbatim": 0.08, "truncated": 0.08, "excerpt": 0.08, "spun": 0.12, "rewrite": 0.08,
             "same_story": 0.10}
#: Above this many articles, candidates come from CandidateIndex (all pairs grows quadratically:
#: 300 articles take ~3 minutes all-pairs on 2 cores, ~10 s with candidates).
ALL_PAIRS_UP_TO = 100


def candidate_pairs(corpus: SynthCorpus) -> list[tuple[str, str]]:
    """Candidate pairs of the corpus from a :class:`CandidateIndex` (shingle, stopword, facts)."""
    idx = CandidateIndex()
    idx.add_many((a.id, a.text) for a in corpus.articles)
    return sorted({(a, b) if a < b else (b, a) for a, b, _name, _est in idx.candidate_pairs()})


def run_seed(n: int, seed: int, candidates: str) -> tuple[dict[str, Any], list[Link], SynthCorpus]:
    """Generate, find copies, evaluate one corpus; returns (scores, links, corpus)."""
    corpus = generate(n, seed, mix=BENCH_MIX, spin_rates=SPIN_RATES)
    use_index = candidates == "index" or (candidates == "auto" and n > ALL_PAIRS_UP_TO)
    t0 = time.perf_counter()
    pairs = candidate_pairs(corpus) if use_index else None
    t1 = time.perf_counter()
    result = find_copies(corpus.articles, candidates=pairs)
    t2 = time.perf_counter()
    res = evaluate_relations(result.links, corpus.gold, corpus.same_story, result.families)
    res.update({"n": n, "seed": seed, "candidates": "index" if use_index else "all-pairs",
                "candidate_pairs": len(pairs) if pairs is not None else n * (n - 1) // 2,
                "index_seconds": round(t1 - t0, 1), "engine_seconds": round(t2 - t1, 1),
                "links": len(result.links)})
    return res, result.links, corpus


def pooled(runs: list[tuple[dict[str, Any], list[Link], SynthCorpus]]) -> dict[str, Any]:
    """Scores over all seeds' pairs together (article ids are unique per seed)."""
    links = [lk for _, ls, _ in runs for lk in ls]
    gold = [g for _, _, c in runs for g in c.gold]
    same = [p for _, _, c in runs for p in c.same_story]
    return evaluate_relations(links, gold, same)


def print_scores(title: str, res: dict[str, Any]) -> None:
    print(f"\n== {title}: {res['pairs']} labelled pairs, macro-F1 (6 classes) {res['macro_f1']:.3f}, "
          f"accuracy {res['accuracy']:.3f}")
    print(f"   {'class':12s} {'prec':>6s} {'rec':>6s} {'F1':>6s} {'gold':>5s} {'pred':>5s}")
    for cls in SIX_CLASSES:
        v = res["classes"][cls]
        print(f"   {cls:12s} {v['precision']:6.3f} {v['recall']:6.3f} {v['f1']:6.3f} {v['gold']:5d} {v['predicted']:5d}")
    print("   confusion (gold -> predicted):")
    for g, row in res["confusion"].items():
        print(f"     {g:12s} " + ", ".join(f"{k} {v}" for k, v in sorted(row.items(), key=lambda kv: -kv[1])))
    extra = f", family-origin accuracy {res['origin_accuracy']:.3f}" if "origin_accuracy" in res else ""
    print(f"   source accuracy {res['source_accuracy']:.3f}{extra}; false alarms outside the labelled pairs "
          f"{res['extra_links'] or 0}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=400, help="articles per corpus (default 400)")
    ap.add_argument("--seeds", type=int, nargs="+", default=[7, 23])
    ap.add_argument("--candidates", choices=("auto", "index", "all"), default="auto",
                    help=f"auto: CandidateIndex above {ALL_PAIRS_UP_TO} articles, else all pairs")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    args = ap.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)   # each seed's table shows as soon as it is done
    runs = []
    for seed in args.seeds:
        res, links, corpus = run_seed(args.n, seed, args.candidates)
        runs.append((res, links, corpus))
        if not args.json:
            print_scores(f"n={res['n']} seed={res['seed']} ({res['candidates']}, {res['candidate_pairs']} pairs, "
                         f"index {res['index_seconds']}s, engine {res['engine_seconds']}s)", res)
            for ex in res["extra_examples"][:3]:
                print(f"     false alarm: {ex}")
    total = pooled(runs)
    if args.json:
        print(json.dumps({"runs": [r for r, _, _ in runs], "pooled": total}, indent=1))
    elif len(runs) > 1:
        print_scores(f"pooled over seeds {args.seeds}", total)
    return 0


if __name__ == "__main__":
    sys.exit(main())
