"""Benchmark: copy-candidate generation at scale (scamtrace.copies.index).

Generates a synthetic corpus (scamtrace.copies.synth), then measures, in the same run:

* throughput (articles/s) and peak memory of ``CandidateIndex`` (signing + indexing + querying
  every article for its candidates), next to datasketch ``MinHash(num_perm=128)`` +
  ``MinHashLSH(threshold=0.5)`` over the same word 5-gram shingles (hash, insert, query);
* candidate recall per copy relation (verbatim, truncated, excerpt, spun, rewrite) for both;
* candidate pairs per article.

Throughput runs are untraced; peak memory (tracemalloc, Python + numpy allocations) comes from a
separate run over the first ``--memory-max`` articles. Prints; asserts nothing about time. Usage::

    .venv/bin/python bench/bench_candidates.py                 # --n 20000 (about a minute)
    .venv/bin/python bench/bench_candidates.py --n 100000 --no-baseline
    .venv/bin/python bench/bench_candidates.py --n 100000 --n 1000000 --no-baseline --no-recall

With several ``--n`` the time growth between sizes is reported. Synthetic corpora of 1M articles
take ~10 min to generate and ~15 GB of RAM for the texts; the index itself is reported separately.
``--baseline-max`` bounds how many articles datasketch processes (it is ~10x slower); its
throughput is measured on that prefix.
"""
from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from collections import defaultdict

from scamtrace.copies.index import CandidateIndex
from scamtrace.copies.synth import SynthCorpus, generate
from scamtrace.copies.tokens import words


def shingles(text: str, k: int = 5) -> list[bytes]:
    w = words(text)
    return list({" ".join(w[i : i + k]).encode() for i in range(max(1, len(w) - k + 1))})


def run_index(items: list[tuple[str, str]], measure_memory: bool) -> tuple[float, float, int, dict]:
    """(seconds, peak MiB, pairs, found pairs -> indexes) for CandidateIndex over ``items``."""
    gc.collect()
    if measure_memory:
        tracemalloc.start()
    t0 = time.perf_counter()
    idx = CandidateIndex()
    idx.add_many(items)
    found: dict[frozenset, set] = defaultdict(set)
    for a, b, name, _ in idx.candidate_pairs():
        found[frozenset((a, b))].add(name)
    secs = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if measure_memory else float("nan")
    if measure_memory:
        tracemalloc.stop()
    return secs, peak, len(found), found


def run_datasketch(items: list[tuple[str, str]], measure_memory: bool) -> tuple[float, float, int, dict]:
    """Same measures for datasketch MinHash(128) + MinHashLSH(0.5): hash, insert, then query all."""
    from datasketch import MinHash, MinHashLSH

    gc.collect()
    if measure_memory:
        tracemalloc.start()
    t0 = time.perf_counter()
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    sigs = {}
    for aid, text in items:
        m = MinHash(num_perm=128)
        m.update_batch(shingles(text))
        lsh.insert(aid, m)
        sigs[aid] = m
    found: dict[frozenset, set] = defaultdict(set)
    for aid, m in sigs.items():
        for other in lsh.query(m):
            if other != aid:
                found[frozenset((aid, other))].add("minhash")
    secs = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if measure_memory else float("nan")
    if measure_memory:
        tracemalloc.stop()
    return secs, peak, len(found), found


def recall_table(corpus: SynthCorpus, found: dict, ids: set[str]) -> dict[str, tuple[int, float]]:
    """Relation (spun split by spin rate) -> (gold pairs, share found)."""
    hits: dict[str, list[bool]] = defaultdict(list)
    for g in corpus.gold:
        if g.copy not in ids or g.source not in ids:
            continue
        rel = g.relation
        if rel == "spun":
            rel = f"spun@{corpus.params[g.copy]['spin_target']:.0%}"
        hits[rel].append(frozenset((g.copy, g.source)) in found)
        hits["all"].append(frozenset((g.copy, g.source)) in found)
    return {k: (len(v), sum(v) / len(v)) for k, v in sorted(hits.items())}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, action="append", help="corpus size (repeatable); default 20000")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-baseline", action="store_true", help="skip datasketch")
    ap.add_argument("--baseline-max", type=int, default=20000, help="articles given to datasketch")
    ap.add_argument("--no-recall", action="store_true", help="skip recall (saves memory at 1M)")
    ap.add_argument("--memory-max", type=int, default=5000,
                    help="articles in the separate tracemalloc run that measures peak memory (0: skip)")
    args = ap.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)   # progress shows when piped
    sizes = args.n or [20000]
    rates: dict[int, float] = {}
    for n in sizes:
        t0 = time.perf_counter()
        corpus = generate(n, args.seed)
        items = [(a.id, a.text) for a in corpus.articles]
        n_words = sum(len(t.split()) for _, t in items) / len(items)
        print(f"\n== n={n} articles (mean {n_words:.0f} words), generated in {time.perf_counter() - t0:.1f}s")
        secs, _, pairs, found = run_index(items, False)
        peak = run_index(items[: args.memory_max], True)[1] if args.memory_max else float("nan")
        rates[n] = n / secs
        print(f"CandidateIndex   {n / secs:9.0f} articles/s  {secs:7.1f}s  peak {peak:8.1f} MiB on {min(n, args.memory_max)}  "
              f"pairs/article {pairs / n:.2f}")
        if not args.no_recall:
            rec = recall_table(corpus, found, {i for i, _ in items})
            for rel, (cnt, r) in rec.items():
                print(f"  recall {rel:12s} {r:.3f}  (n={cnt})")
        if not args.no_baseline:
            sub = items[: args.baseline_max]
            bsecs, _, bpairs, bfound = run_datasketch(sub, False)
            bpeak = run_datasketch(sub[: args.memory_max], True)[1] if args.memory_max else float("nan")
            print(f"datasketch LSH   {len(sub) / bsecs:9.0f} articles/s  {bsecs:7.1f}s  peak {bpeak:8.1f} MiB on {min(len(sub), args.memory_max)}  "
                  f"pairs/article {bpairs / len(sub):.2f}  (on {len(sub)} articles)")
            print(f"  throughput ratio CandidateIndex / datasketch: {(n / secs) / (len(sub) / bsecs):.1f}x")
            if not args.no_recall:
                rec = recall_table(corpus, bfound, {i for i, _ in sub})
                for rel, (cnt, r) in rec.items():
                    print(f"  recall {rel:12s} {r:.3f}  (n={cnt})")
        del corpus, items
    if len(sizes) > 1:
        base = sizes[0]
        for n in sizes[1:]:
            t_ratio = (n / rates[n]) / (base / rates[base])
            print(f"time growth {base} -> {n} ({n / base:.0f}x articles): {t_ratio:.1f}x time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
