"""Analysis throughput: `scamtrace analyze` on synthetic articles vs spaCy's own NER in the same run.

    .venv/bin/python bench/bench_analyze.py            # 500 articles (about a minute)
    .venv/bin/python bench/bench_analyze.py --n 10000  # the issue's size (long: spaCy dominates)
    .venv/bin/python bench/bench_analyze.py --rules    # extraction without the spaCy model

The corpus comes from scamtrace.copies.synth (originals, copies of every kind and same-story
reports, all invented). The baseline is the spaCy pipeline scamtrace loads, run alone with
nlp.pipe over the same texts. Both are timed in this process; the ratio is what to compare
across machines (they are noisy). Where analysis time goes is printed from AnalyzeStats.timings.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=500, help="articles (default 500)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rules", action="store_true", help="force the rule-based entity recogniser")
    args = ap.parse_args(argv)
    if args.n < 10:
        ap.error("--n must be at least 10")
    if args.rules:
        os.environ["SCAMTRACE_NO_SPACY"] = "1"

    from scamtrace import api
    from scamtrace.copies.synth import generate
    from scamtrace.extract.entities import load_nlp

    corpus = generate(args.n, args.seed)
    texts = [a.text for a in corpus.articles]
    words = sum(len(t.split()) for t in texts)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "synth.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for a in corpus.articles:
                fh.write(json.dumps({"id": a.id, "text": (a.title or "") + "\n\n" + a.text, "title": a.title,
                                     "outlet": a.outlet, "published": a.published.isoformat() if a.published else None,
                                     "url": a.url}) + "\n")
        store = api.open_store(Path(tmp) / "bench.db")
        t = time.perf_counter()
        ing = api.ingest(store, [str(src)])
        t_ingest = time.perf_counter() - t

        nlp = None if args.rules else load_nlp()
        t_spacy = None
        if nlp is not None:
            t = time.perf_counter()
            for _ in nlp.pipe(texts, batch_size=64):
                pass
            t_spacy = time.perf_counter() - t

        c0 = time.process_time()
        t = time.perf_counter()
        stats = api.analyze(store)
        t_analyze = time.perf_counter() - t
        c_analyze = time.process_time() - c0

    n = len(texts)
    print(f"corpus: {n} synthetic articles, {words / n:.0f} words on average (seed {args.seed}); "
          f"ingested {ing.new} in {t_ingest:.1f}s")
    print(f"{'run':<42} {'seconds':>8} {'articles/s':>11}")
    if t_spacy is not None:
        print(f"{'(a) spaCy NER alone (nlp.pipe, same model)':<42} {t_spacy:>8.1f} {n / t_spacy:>11.1f}")
    label = "(b) scamtrace analyze" + (" (rules, no spaCy)" if nlp is None else "")
    print(f"{label:<42} {t_analyze:>8.1f} {n / t_analyze:>11.1f}   (CPU {c_analyze:.1f}s)")
    if t_spacy is not None:
        print(f"ratio analyze/spaCy articles/s: {(n / t_analyze) / (n / t_spacy):.3f}")
    print(f"analyze: {stats.summary()}")
    print("where analysis time goes:")
    for k, v in stats.timings.items():
        print(f"  {k:<16} {v:8.2f}s  {100 * v / t_analyze:5.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
