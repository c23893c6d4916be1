"""Benchmark: story clustering at scale on the synthetic corpus, with gold stories.

Generates synthetic corpora (``scamtrace.copies.synth``: each original is one story; its copies and
its independently written same-story articles belong to it), takes the copy families from the gold
copy links (as a perfect copies stage would give them), clusters stories with the current algorithm
and prints, for each size in one run:

* seconds (wall and CPU) for the stories stage and CPU seconds per 1,000 articles (near-linear
  growth: the ratio between sizes should stay close to the ratio of sizes);
* B-cubed precision / recall / F1 against the gold stories;
* chaining: the largest predicted story and the largest ratio of a predicted story's size to the
  largest gold story among its articles (the issue's bar: no ratio above 1.5).

Usage::

    .venv/bin/python bench/bench_stories.py                       # --sizes 10000 30000
    .venv/bin/python bench/bench_stories.py --sizes 3000 --v2     # also stories.online-v2
"""
from __future__ import annotations

import argparse
import time
from collections import Counter

from scamtrace.copies.synth import generate
from scamtrace.eval.clusters import bcubed
from scamtrace.model import Family
from scamtrace.stories import ALGORITHM, cluster_stories
from scamtrace.stories import cluster as v2


def gold_of(corpus) -> tuple[dict[str, str], list[Family]]:  # noqa: ANN001
    """(article -> gold story, copy families from the gold links)."""
    story: dict[str, str] = {}
    for a in corpus.articles:
        if "-o" in a.id.rsplit("-", 1)[-1][:2]:
            story[a.id] = a.id
    parent = {l.copy: l.source for l in corpus.gold}
    parent.update(dict(corpus.same_story))
    for a in corpus.articles:
        x = a.id
        while x in parent:
            x = parent[x]
        story[a.id] = x
    fams: dict[str, list[str]] = {}
    for l in corpus.gold:
        fams.setdefault(l.source, [l.source]).append(l.copy)
    return story, [Family("fam-" + k, sorted(v), k, None) for k, v in sorted(fams.items())]


def measure(stories, gold: dict[str, str]) -> dict:  # noqa: ANN001
    pred = {a: s.id for s in stories for a in s.articles}
    b = bcubed(pred, gold)
    gsize = Counter(gold.values())
    worst, largest = 0.0, 0
    for s in stories:
        largest = max(largest, len(s.articles))
        top = max(gsize[gold[a]] for a in s.articles)
        worst = max(worst, len(s.articles) / top)
    return {"precision": b["precision"], "recall": b["recall"], "f1": b["f1"], "stories": len(stories),
            "gold_stories": len(gsize), "largest": largest, "largest_gold": max(gsize.values()),
            "worst_ratio": worst}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000, 30000])
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--v2", action="store_true", help="also run stories.online-v2 for comparison")
    a = ap.parse_args()
    rows = []
    for n in a.sizes:
        corpus = generate(n, a.seed)
        gold, fams = gold_of(corpus)
        algos = [(ALGORITHM, cluster_stories)] + ([("stories.online-v2", v2.cluster_stories)] if a.v2 else [])
        for name, fn in algos:
            t, c = time.perf_counter(), time.process_time()
            stories = fn(corpus.articles, fams)
            sec, cpu = time.perf_counter() - t, time.process_time() - c
            m = measure(stories, gold)
            rows.append((n, name, sec, cpu, m))
            print(f"{n:>7,} articles  {name:<18} {sec:8.1f} s wall, {cpu:8.1f} s CPU ({cpu / n * 1000:6.2f} CPU s per 1,000)  "
                  f"B-cubed P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f}  "
                  f"stories {m['stories']:,} (gold {m['gold_stories']:,})  largest {m['largest']} "
                  f"(largest gold {m['largest_gold']})  worst size/gold {m['worst_ratio']:.2f}", flush=True)
    mine = [(n, sec, cpu) for n, name, sec, cpu, _ in rows if name == ALGORITHM]
    if len(mine) > 1:
        (n0, s0, c0), (n1, s1, c1) = mine[0], mine[-1]
        print(f"growth: {n1 / n0:.1f}x the articles took {c1 / c0:.2f}x the CPU time ({s1 / s0:.2f}x the wall time; "
              "on a shared machine the CPU time is the fairer measure)")


if __name__ == "__main__":
    main()
