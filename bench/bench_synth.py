"""Benchmark: candidate recall per copy kind and spin rate on the synthetic corpus.

For a synthetic corpus (scamtrace.copies.synth, spun copies at 10-60 % spin), prints in one run:

* recall of ``CandidateIndex`` candidates per relation and per spin rate, and per index
  (shingle / stopword / facts), next to datasketch MinHash(128) + MinHashLSH(threshold 0.5) over word
  5-gram shingles (the usual "near-duplicate" baseline, Jaccard 0.5);
* candidate pairs per article and how many are not gold copies (siblings and same-story articles
  are listed apart: they are legitimate candidates);
* if ``scamtrace.copies.engine.find_copies`` exists and accepts ``candidates=``, end-to-end link
  precision and recall (pair, and pair + relation + direction) with those candidates.

Usage::

    .venv/bin/python bench/bench_synth.py                    # --n 3000, seed 7, candidates only
    .venv/bin/python bench/bench_synth.py --n 600             # also the end-to-end engine
    .venv/bin/python bench/bench_synth.py --n 20000 --no-baseline
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_candidates import run_datasketch  # noqa: E402

from scamtrace.copies.index import CandidateIndex  # noqa: E402
from scamtrace.copies.synth import DEFAULT_MIX, SPIN_RATES, SynthCorpus, generate  # noqa: E402

#: The corpus mix: the default, with more spun copies so each spin rate has enough of them.
BENCH_MIX = {**DEFAULT_MIX, "spun": 0.24}


def _key(corpus: SynthCorpus, copy: str, relation: str) -> str:
    """Row label: the relation, with spun copies split by target spin rate."""
    return f"spun@{corpus.params[copy]['spin_target']:.0%}" if relation == "spun" else relation


def recall_rows(corpus: SynthCorpus, found: dict[frozenset, set]) -> dict[str, tuple[int, float, Counter]]:
    """Relation key -> (gold pairs, recall, how many each index found)."""
    hits: dict[str, list[set]] = defaultdict(list)
    for g in corpus.gold:
        names = found.get(frozenset((g.copy, g.source)), set())
        hits[_key(corpus, g.copy, g.relation)].append(names)
        hits["all"].append(names)
    out = {}
    for k, v in sorted(hits.items()):
        out[k] = (len(v), sum(bool(x) for x in v) / len(v), Counter(n for x in v for n in x))
    return out


def candidate_noise(corpus: SynthCorpus, found: dict[frozenset, set]) -> dict[str, int]:
    gold = {frozenset((g.copy, g.source)) for g in corpus.gold}
    src_of: dict[str, set[str]] = defaultdict(set)
    for g in corpus.gold:
        src_of[g.source].add(g.copy)
    siblings = {frozenset((a, b)) for cs in src_of.values() for a in cs for b in cs if a != b}
    same = {frozenset(p) for p in corpus.same_story}
    c = Counter()
    for k in found:
        c["gold" if k in gold else "sibling" if k in siblings else "same_story" if k in same else "other"] += 1
    return dict(c)


def run_engine(corpus: SynthCorpus, pairs: list[tuple[str, str]]) -> None:
    try:
        from scamtrace.copies.engine import find_copies
    except ImportError as e:
        print(f"engine: not available ({e})")
        return
    t0 = time.perf_counter()
    try:
        result = find_copies(corpus.articles, candidates=pairs)
    except TypeError as e:
        print(f"engine: find_copies does not accept candidates= ({e})")
        return
    except Exception as e:   # noqa: BLE001 - the engine is developed in parallel; report, do not crash
        print(f"engine: failed with {type(e).__name__}: {e}")
        return
    secs = time.perf_counter() - t0
    gold = {(g.copy, g.source): g.relation for g in corpus.gold}
    gold_pairs = {frozenset(k) for k in gold}
    pred = [lk for lk in result.links if lk.source is not None]
    pred_pairs = {frozenset((lk.article, lk.source)) for lk in pred}
    tp = len(pred_pairs & gold_pairs)
    exact = sum(1 for lk in pred if gold.get((lk.article, lk.source)) == lk.relation)
    p = tp / len(pred_pairs) if pred_pairs else 0.0
    r = tp / len(gold_pairs) if gold_pairs else 0.0
    print(f"engine find_copies on {len(pairs)} candidate pairs: {secs:.1f}s, {len(pred)} links")
    print(f"  pair precision {p:.3f} recall {r:.3f}; relation+direction exact recall {exact / len(gold):.3f}"
          f", precision {exact / max(1, len(pred)):.3f}")
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_pair = {(lk.article, lk.source): lk.relation for lk in pred}
    for (c, s), rel in gold.items():
        key = _key(corpus, c, rel)
        per[key][1] += 1
        per[key][0] += by_pair.get((c, s)) == rel
    for k in sorted(per):
        print(f"  exact {k:12s} {per[k][0] / per[k][1]:.3f} (n={per[k][1]})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--no-engine", action="store_true")
    ap.add_argument("--engine-max", type=int, default=600,
                    help="run the end-to-end engine only on corpora up to this size (it is slower)")
    args = ap.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)   # progress shows when piped
    corpus = generate(args.n, args.seed, mix=BENCH_MIX, spin_rates=SPIN_RATES)
    items = [(a.id, a.text) for a in corpus.articles]
    t0 = time.perf_counter()
    idx = CandidateIndex()
    idx.add_many(items)
    found: dict[frozenset, set] = defaultdict(set)
    pairs = []
    for a, b, name, _ in idx.candidate_pairs():
        found[frozenset((a, b))].add(name)
        pairs.append((a, b))
    secs = time.perf_counter() - t0
    rows = recall_rows(corpus, found)
    base_rows = None
    if not args.no_baseline:
        bfound = run_datasketch(items)["found"]
        base_rows = recall_rows(corpus, bfound)
    print(f"n={args.n} seed={args.seed}: CandidateIndex {secs:.1f}s, {len(found) / args.n:.2f} candidate pairs/article,"
          f" by kind {candidate_noise(corpus, found)}")
    print(f"{'relation':12s} {'n':>5s} {'index':>7s} {'minhash':>8s}   found by")
    for k, (n, r, by) in rows.items():
        b = f"{base_rows[k][1]:8.3f}" if base_rows else "       -"
        print(f"{k:12s} {n:5d} {r:7.3f} {b}   {dict(by)}")
    if not args.no_engine and args.n > args.engine_max:
        print(f"engine: skipped, n={args.n} > --engine-max {args.engine_max} (run with --n {args.engine_max})")
    elif not args.no_engine:
        run_engine(corpus, sorted({(min(a, b), max(a, b)) for a, b in pairs}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
