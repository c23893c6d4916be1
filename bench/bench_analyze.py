"""Analysis throughput: `scamtrace analyze` on synthetic articles vs spaCy's own NER in the same run.

    .venv/bin/python bench/bench_analyze.py            # 500 articles (about a minute)
    .venv/bin/python bench/bench_analyze.py --n 10000  # the issue's size (about an hour on a busy 2-core box)
    .venv/bin/python bench/bench_analyze.py --rules    # extraction without the spaCy model
    .venv/bin/python bench/bench_analyze.py --stock    # also time spaCy's stock pipeline (all pipes on)
    .venv/bin/python bench/bench_analyze.py --workers 1  # analyze in one process (default: one per core)
    .venv/bin/python bench/bench_analyze.py --copies 0   # no copies in the corpus (--copies 2: twice the default share)
    .venv/bin/python bench/bench_analyze.py --again      # then `analyze --full` again (re-analysis, NER stored)

The corpus comes from scamtrace.copies.synth (originals, copies of every kind and same-story
reports, all invented); it is ingested into a temporary store first. ``--copies`` scales the share of
copies of each kind (verbatim, truncated, excerpt, spun, rewrite; 29 % of the articles by default):
spaCy parses each distinct paragraph once (``extract.ner-units-v1``), so what ``analyze`` saves on NER
depends on how many paragraphs the copies repeat; the share of paragraphs reused is printed. The baseline is spaCy's
nlp.pipe over the very texts analyze parses (the stored, cleaned articles), with the pipeline
scamtrace loads (entity ruler + NER; the pipes NER does not need are disabled). ``--stock`` adds
the pipeline as shipped (tagger, parser, lemmatizer... all on), which is what "spaCy NER" costs a
user who just calls ``spacy.load``. Both are timed in this process; the ratios are what to compare
across machines (they are noisy: wall and CPU seconds are both printed, and CPU seconds are the
fairer figure on a shared machine). Where analysis time goes is printed from AnalyzeStats.timings;
``extract.*`` lines split the extract stage (spaCy NER, rules, events, store writes).
Progress goes to stderr every 10% so a long run can be watched.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

_TOP = ("index", "candidates", "spin", "classify", "families", "extract", "stories", "knowledge")


def _rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    """CPU seconds of this process and of its ended children (analyze's worker processes)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, wall seconds, CPU seconds of this process and its workers) of ``fn()``."""
    c0, t0 = _cpu(), time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0, _cpu() - c0


def _spacy_pipe(nlp: Any, texts: list[str], batch_size: int) -> int:
    n = 0
    for doc in nlp.pipe(texts, batch_size=batch_size):
        n += len(doc.ents)
    return n


def _progress(total_hint: int) -> Callable[[str, int, int | None], None]:
    """A progress callback printing to stderr at every 10% of each labelled stage."""
    last: dict[str, int] = {}

    def report(label: str, done: int, total: int | None) -> None:
        total = total or total_hint
        step = max(1, total // 10)
        if done % step == 0 and last.get(label) != done:
            last[label] = done
            print(f"  [{time.strftime('%H:%M:%S')}] {label} {done}/{total}", file=sys.stderr, flush=True)

    return report


def _write_jsonl(path: Path, articles: Iterable[Any]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for a in articles:
            fh.write(json.dumps({"id": a.id, "text": (a.title or "") + "\n\n" + a.text, "title": a.title,
                                 "outlet": a.outlet, "published": a.published.isoformat() if a.published else None,
                                 "url": a.url}) + "\n")


def _row(label: str, wall: float, cpu: float, n: int) -> str:
    return f"{label:<46} {wall:>8.1f} {cpu:>8.1f} {n / wall:>11.2f} {n / cpu:>11.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=500, help="articles (default 500)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rules", action="store_true", help="force the rule-based entity recogniser")
    ap.add_argument("--stock", action="store_true", help="also time spaCy's stock pipeline (every pipe on)")
    ap.add_argument("--copies", type=float, default=1.0,
                    help="scale of the default share of copies of each kind (0: no copies; default 1)")
    ap.add_argument("--again", action="store_true",
                    help="then time `analyze --full` of the same store (its paragraphs' entities are stored)")
    ap.add_argument("--workers", type=int, default=0,
                    help="analyze's `workers` setting (default 0: one process per CPU core)")
    args = ap.parse_args(argv)
    if args.n < 10:
        ap.error("--n must be at least 10")
    if args.rules:
        os.environ["SCAMTRACE_NO_SPACY"] = "1"

    from scamtrace import api
    from scamtrace.copies.synth import DEFAULT_MIX, generate
    from scamtrace.extract import entities
    from scamtrace.extract.entities import MODEL_NAMES, load_nlp
    from scamtrace.extract.stage import resolve_workers
    from scamtrace.settings import Settings

    PIPE_BATCH = getattr(entities, "PIPE_BATCH", 64)   # the batch analyze uses (64 before it was named)

    print(f"[{time.strftime('%H:%M:%S')}] generating {args.n} articles", file=sys.stderr, flush=True)
    mix = {k: v * (args.copies if k != "same_story" else 1.0) for k, v in DEFAULT_MIX.items()}
    if sum(mix.values()) > 0.9:   # copies.synth keeps at least 10 % originals
        ap.error(f"--copies {args.copies}: the shares add up to {sum(mix.values()):.2f}, above 0.9 (at most about 2.9)")
    corpus = generate(args.n, args.seed, mix=mix)
    results: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "synth.jsonl"
        _write_jsonl(src, corpus.articles)
        del corpus
        store = api.open_store(Path(tmp) / "bench.db")
        ing, t_ingest, _ = _timed(lambda: api.ingest(store, [str(src)]))
        texts = [a.text for a in store.iter_articles()]   # exactly what analyze parses
        n = len(texts)
        words = sum(len(t.split()) for t in texts)

        nlp = None if args.rules else load_nlp()
        spacy_runs: list[tuple[str, float, float]] = []
        if nlp is not None:
            print(f"[{time.strftime('%H:%M:%S')}] spaCy nlp.pipe over {n} texts", file=sys.stderr, flush=True)
            _, w, c = _timed(lambda t=texts: _spacy_pipe(nlp, t, PIPE_BATCH))
            spacy_runs.append((f"(a) spaCy nlp.pipe: {'+'.join(nlp.pipe_names)}", w, c))
            if args.stock:
                import spacy

                stock = next(spacy.load(m) for m in MODEL_NAMES if spacy.util.is_package(m))
                _, w, c = _timed(lambda t=texts, m=stock: _spacy_pipe(m, t, PIPE_BATCH))
                spacy_runs.append(("(a') spaCy stock: " + "+".join(stock.pipe_names), w, c))
                del stock
        del texts
        rss_spacy = _rss_mb()

        print(f"[{time.strftime('%H:%M:%S')}] scamtrace analyze", file=sys.stderr, flush=True)
        settings = Settings(workers=args.workers)
        stats, t_analyze, c_analyze = _timed(lambda: api.analyze(store, progress=_progress(n), settings=settings))
        again = None
        if args.again:   # every paragraph is in the store's ner_units now: spaCy parses none of them
            print(f"[{time.strftime('%H:%M:%S')}] scamtrace analyze --full again", file=sys.stderr, flush=True)
            again = _timed(lambda: api.analyze(store, full=True, settings=settings))
        store.close()

    workers = resolve_workers(args.workers)
    label = f"(b) scamtrace analyze, {workers} worker{'s' * (workers > 1)}" + (" (rules, no spaCy)" if nlp is None else "")
    copies = sum(v for k, v in mix.items() if k != "same_story")
    results.append(f"corpus: {n} synthetic articles, {words / n:.0f} words on average (seed {args.seed}, "
                   f"copies {copies:.0%} of the articles); ingested {ing.new} in {t_ingest:.1f}s")
    results.append(f"{'run':<46} {'wall s':>8} {'CPU s':>8} {'art/s wall':>11} {'art/s CPU':>11}")
    results += [_row(lab, w, c, n) for lab, w, c in spacy_runs]
    results.append(_row(label, t_analyze, c_analyze, n))
    if again is not None:
        results.append(_row("(c) the same analyze --full again", again[1], again[2], n))
    for lab, w, c in spacy_runs:
        results.append(f"ratio analyze/{lab[:4].strip()} articles/s: wall {w / t_analyze:.3f}, CPU {c / c_analyze:.3f}")
    # CPU seconds per wall second: how many cores each run got. On a box whose cores other jobs keep
    # busy, two workers get no more CPU than one process, and the pool cannot show a gain.
    results.append("cores used (CPU s / wall s): " + ", ".join(f"{lab[:4].strip()} {c / w:.2f}" for lab, w, c in spacy_runs)
                   + f", analyze {c_analyze / t_analyze:.2f} (of {workers} worker{'s' * (workers > 1)})")
    results.append(f"analyze: {stats.summary()}")
    units, parsed = stats.counts.get("ner.units", 0), stats.counts.get("ner.parsed", 0)
    if units:   # extract.ner-units-v1: spaCy parses each distinct paragraph once
        results.append(f"NER paragraphs: {units}, parsed by spaCy {parsed}, reused {units - parsed} "
                       f"({(units - parsed) / units:.1%} cache hits)")
    if again is not None:
        for lab, w, c in spacy_runs:
            results.append(f"ratio (c) analyze --full again/{lab[:4].strip()} articles/s: wall {w / again[1]:.3f}, "
                           f"CPU {c / again[2]:.3f}; {again[0].summary()}")
    results.append(f"peak memory: {rss_spacy:.0f} MB after spaCy, {_rss_mb():.0f} MB after analyze")
    results.append("where analysis time goes (wall):")
    timings = stats.timings
    for k in _TOP:
        if k in timings:
            results.append(f"  {k:<16} {timings[k]:8.2f}s  {100 * timings[k] / t_analyze:5.1f}%")
        if k == "extract":
            results += [f"    {p:<14} {timings[p]:8.2f}s  {100 * timings[p] / t_analyze:5.1f}%"
                        for p in timings if p.startswith("extract.")]
    rest = t_analyze - sum(timings.get(k, 0.0) for k in _TOP)
    results.append(f"  {'other':<16} {rest:8.2f}s  {100 * rest / t_analyze:5.1f}%   (reading, copy-index rows, marks)")
    print("\n".join(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
