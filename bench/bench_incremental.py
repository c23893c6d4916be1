"""Incremental cost (issue 17 part 2): adding 100 articles to a store of N articles vs adding the same
100 to an empty store, in one run.

    .venv/bin/python bench/bench_incremental.py --n 2000 --rules        # a few minutes
    .venv/bin/python bench/bench_incremental.py --n 100000 --rules      # the issue's size (hours)
    .venv/bin/python bench/bench_incremental.py --n 5000 --rules --keep /tmp/inc   # keep the N-store for reruns

``--build-batch K`` builds the base store as a growing archive is built, K articles ingested and analysed at a time
(one full analyze of 100,000 articles held 19 GB in its extract stage and was stopped on this 24 GB machine; a batch
analyze holds what its batch and neighbourhood need). Two batches give the store one run gives, but for the spin
statistics (README, Limits), so a batch-built base is not byte-identical to a one-run base of the same N.
With ``--keep``, a base store whose build was interrupted (``base-N-...part`` in the folder) is resumed by
the next run: the ingest skips what is stored and ``analyze`` goes on where it stopped (its build time
then counts only the resumed part).

A kept base store written by an older version is upgraded once (migrations, then an analyze and a
boilerplate count with nothing new, which fill the caches they add; and one family wording pass over
every spun article, after which the passes are incremental) before (b) copies it.

The corpus comes from scamtrace.copies.synth (seed 7): N + 100 articles are generated, the first N
are ingested and analysed into the base store (timed, not part of the ratio), then the last 100 are
ingested and analysed (a) into an empty store and (b) into a copy of the base store. Both times are
ingest + analyze, wall and CPU seconds (this process and its workers; on a shared machine compare
CPU); the ratio (b)/(a) is the incremental cost (the issue's target is at
most 3x at N = 100,000). (b) is also the size of one ``watch`` cycle that brings 100 articles
into a store of N (a 15-minute cycle of a busy watch list). Where each analyze spends its time is
printed from AnalyzeStats.timings. ``--rules`` uses the rule-based entity recogniser (no spaCy: it
makes the base store affordable to build; it is the same in (a) and (b)).

``--rules --added-model`` builds (or reuses) the same rule-based base store, then analyses the 100 added
articles in (a) and (b) with the default recogniser (spaCy's pipeline when installed, as ``make install``
installs it), loaded once before (a) as a ``watch`` process holds it: the configuration a user runs.
The base's mentions are then the rule-based ones (building 100,000 articles with spaCy takes hours on a
2-core machine), so the knowledge stage of (b) reads the mentions of a rules-built store.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_analyze import _write_jsonl  # noqa: E402  (the same JSON Lines corpus as bench_analyze)

_TOP = ("index", "candidates", "spin", "classify", "families", "extract", "stories", "knowledge")


def _say(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished children (the machine may be shared:
    wall seconds then measure the other jobs too)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


@contextmanager
def _stage_cpu() -> Iterator[dict[str, float]]:
    """The CPU seconds of each analyze stage (wall seconds alone measure the other jobs of a shared
    machine too): the pipeline's stage timer, wrapped for the block."""
    from scamtrace import pipeline
    cpu: dict[str, float] = {}
    wall = pipeline.timed

    @contextmanager
    def timed(timings: dict[str, float], name: str) -> Iterator[None]:
        c = _cpu()
        try:
            with wall(timings, name):
                yield
        finally:
            cpu[name] = cpu.get(name, 0.0) + _cpu() - c

    pipeline.timed = timed
    try:
        yield cpu
    finally:
        pipeline.timed = wall


def _upgrade(db: Path, settings) -> str:  # noqa: ANN001
    """A kept base store written by an older scamtrace is upgraded once before it is copied: its
    migrations, then an analyze and a boilerplate count with nothing new, which fill the caches the
    new migrations add (so (b) measures an incremental run, not the one-time upgrade); then the pair
    decisions its one analyze would have remembered (:func:`_remember_pairs`)."""
    done = [m for m in (_upgrade_store(db, settings), _remember_pairs(db)) if m]
    return "; ".join(done)


def _upgrade_store(db: Path, settings) -> str:  # noqa: ANN001
    try:
        from scamtrace.extract.family_wording import apply_family_wording, full_pass_recorded
    except ImportError:   # a version before the incremental family wording pass (measured for comparison)
        def full_pass_recorded(store) -> bool:  # noqa: ANN001
            return True

        def apply_family_wording(store) -> int:  # noqa: ANN001
            return 0
    try:
        from scamtrace.extract.corpus_dates import apply_repeat_dates
        from scamtrace.extract.corpus_dates import full_pass_recorded as dates_pass_recorded
    except ImportError:   # a version before the recorded repeat-dates pass (measured for comparison)
        def dates_pass_recorded(store) -> bool:  # noqa: ANN001
            return True

        def apply_repeat_dates(store) -> int:  # noqa: ANN001
            return 0
    from scamtrace.store.migrations import MIGRATIONS
    con = sqlite3.connect(db)
    try:
        done = {r[0] for r in con.execute("SELECT name FROM _migrations")}
    finally:
        con.close()
    from scamtrace import api
    if done >= {name for name, _ in MIGRATIONS}:
        store = api.open_store(db)
        try:
            if full_pass_recorded(store) and dates_pass_recorded(store):
                return ""
            # family wording and repeat-dates passes are incremental once one of their version is recorded
            t, c = time.perf_counter(), _cpu()
            if not full_pass_recorded(store):
                apply_family_wording(store)
            if not dates_pass_recorded(store):
                apply_repeat_dates(store)
        finally:
            store.close()
        return f"base store's whole corpus passes recorded in {time.perf_counter() - t:.0f}s ({_cpu() - c:.0f} CPU s)"
    from scamtrace.clean.learned import page_digest, page_keys
    from scamtrace.store.caches import update_boilerplate_counts
    t, c = time.perf_counter(), _cpu()
    store = api.open_store(db)
    update_boilerplate_counts(store, page_digest, page_keys)
    api.analyze(store, settings=settings)
    apply_family_wording(store)
    if not dates_pass_recorded(store):
        apply_repeat_dates(store)
    store.close()
    return f"base store upgraded in {time.perf_counter() - t:.0f}s ({_cpu() - c:.0f} CPU s)"


def _use_model() -> str:
    """The default recogniser from now on (``--added-model``), loaded once outside the timings (a ``watch``
    process holds it between cycles): what it is."""
    os.environ.pop("SCAMTRACE_NO_SPACY", None)
    from scamtrace.extract.entities import load_nlp
    t, c = time.perf_counter(), _cpu()
    nlp = load_nlp()
    if nlp is None:
        return "added articles: no spaCy model installed, the rule-based recogniser"
    return (f"added articles: spaCy {nlp.meta.get('name', '?')} {nlp.meta.get('version', '?')}, loaded in"
            f" {time.perf_counter() - t:.1f}s ({_cpu() - c:.1f} CPU s, not timed)")


def _remember_pairs(db: Path) -> str:
    """A kept base store written before the pair memo (copies.pair-memo-v1) gets the decisions of its pairs once
    (copies.incremental.remember_pairs: what the one analyze that built it would have kept), so (b) runs as it
    would on a base built by this version. A version without the memo: nothing."""
    try:
        from scamtrace.copies.incremental import remember_pairs
        from scamtrace.store.analysis import pair_memo_size
    except ImportError:
        return ""
    from scamtrace import api
    store = api.open_store(db)
    try:
        if pair_memo_size(store):
            return ""
        t, c = time.perf_counter(), _cpu()
        n = remember_pairs(store, progress=lambda label, done, total: done % 10_000 == 0 and _say(
            f"remembering pair decisions: {label} {done}/{total}"))
    finally:
        store.close()
    return f"{n} pair decisions remembered in {time.perf_counter() - t:.0f}s ({_cpu() - c:.0f} CPU s)"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=2000, help="articles in the base store (default 2000)")
    ap.add_argument("--add", type=int, default=100, help="articles added (default 100)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rules", action="store_true", help="force the rule-based entity recogniser")
    ap.add_argument("--added-model", action="store_true",
                    help="with --rules: build the base with rules, analyse the added articles in (a) and (b) with "
                         "the default recogniser (spaCy when installed), loaded before (a)")
    ap.add_argument("--workers", type=int, default=1, help="analyze's `workers` setting (default 1)")
    ap.add_argument("--build-batch", type=int, default=0,
                    help="build the base store by ingest + analyze of this many articles at a time, as a growing archive "
                         "is (bounded memory; default 0: one analyze of all N)")
    ap.add_argument("--keep", type=Path, default=None,
                    help="folder keeping the base store between runs (built when absent)")
    args = ap.parse_args(argv)
    if args.n < 1 or args.add < 1:
        ap.error("--n and --add must be at least 1")
    if args.added_model and not args.rules:
        ap.error("--added-model needs --rules (the base is built with rules; the added articles with the model)")
    if args.rules:
        os.environ["SCAMTRACE_NO_SPACY"] = "1"

    from scamtrace import api
    from scamtrace.copies.synth import generate
    from scamtrace.extract.entities import UNITS
    from scamtrace.settings import Settings

    settings = Settings(workers=args.workers)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        keep = args.keep or tmp
        keep.mkdir(parents=True, exist_ok=True)
        base_db = keep / f"base-{args.n}-{args.seed}{'-rules' if args.rules else ''}.db"
        _say(f"generating {args.n} + {args.add} articles")
        corpus = generate(args.n + args.add, args.seed)
        base, added = corpus.articles[: args.n], corpus.articles[args.n:]
        del corpus
        add_src = tmp / "add.jsonl"
        _write_jsonl(add_src, added)
        built = ""
        if not base_db.exists():
            step = args.build_batch if args.build_batch > 0 else len(base)
            chunks = []
            for i in range(0, len(base), step):
                chunks.append(tmp / f"base-{i // step:04d}.jsonl")
                _write_jsonl(chunks[-1], base[i:i + step])
            part = base_db.with_suffix(".part")
            # an interrupted build resumes: ingest skips what is stored, analyze goes on where it stopped
            _say(f"{'resuming' if part.exists() else 'building'} the base store of {args.n}")
            store = api.open_store(part)
            t = time.perf_counter()
            for k, chunk in enumerate(chunks, 1):
                api.ingest(store, [str(chunk)], settings=settings)
                api.analyze(store, settings=settings)
                if len(chunks) > 1:
                    _say(f"base batch {k}/{len(chunks)} analysed")
            built = f"base store built in {time.perf_counter() - t:.0f}s" + (f" ({len(chunks)} batches)" if len(chunks) > 1 else "")
            store.close()
            part.rename(base_db)
        del base
        if not built:
            built = _upgrade(base_db, settings)
        if args.added_model:
            built = "; ".join(x for x in (built, _use_model()) if x)

        def add_to(db: Path) -> tuple[float, float, float, float, dict[str, float], dict[str, float], dict[str, int]]:
            # the entities of the paragraphs (a) parsed are held in memory; (b) parses them again, as a watch
            # cycle parses new articles
            UNITS.clear()
            store = api.open_store(db)
            t, c = time.perf_counter(), _cpu()
            api.ingest(store, [str(add_src)], settings=settings)
            t_ingest, c_ingest = time.perf_counter() - t, _cpu() - c
            with _stage_cpu() as stage_cpu:
                stats = api.analyze(store, settings=settings)
            total, cpu = time.perf_counter() - t, _cpu() - c
            store.close()
            return total, t_ingest, cpu, c_ingest, stats.timings, stage_cpu, stats.counts

        _say(f"(a) {args.add} articles into an empty store")
        empty, e_ingest, e_cpu, e_cingest, e_tim, e_ctim, e_counts = add_to(tmp / "empty.db")
        work = tmp / "work.db"
        shutil.copy(base_db, work)
        _say(f"(b) the same {args.add} into the store of {args.n}")
        grown, g_ingest, g_cpu, g_cingest, g_tim, g_ctim, g_counts = add_to(work)

    lines = [f"corpus: synthetic (seed {args.seed}), base store {args.n} articles, {args.add} added"
             + (" (rules, no spaCy)" if args.rules and not args.added_model else "")
             + (" (base built with rules; the added articles with the default recogniser)" if args.added_model else "") + (f"; {built}" if built else ""),
             f"(a) add {args.add} to an empty store:      {empty:8.1f}s wall, {e_cpu:7.1f} CPU s"
             f"  (ingest {e_ingest:.1f}s, {e_cingest:.1f} CPU s)",
             f"(b) add {args.add} to a store of {args.n}: {grown:8.1f}s wall, {g_cpu:7.1f} CPU s"
             f"  (ingest {g_ingest:.1f}s, {g_cingest:.1f} CPU s)",
             f"ratio (b)/(a): {grown / empty:.2f} wall, {g_cpu / e_cpu:.2f} CPU  (target <= 3 at N = 100,000)",
             f"one watch cycle bringing {args.add} articles into {args.n}: {grown:.1f}s ({g_cpu:.1f} CPU s)",
             f"{'analyze stage':<16} {'(a) s':>8} {'(b) s':>8} {'(a) CPU s':>10} {'(b) CPU s':>10}"]
    for k in _TOP:
        lines.append(f"  {k:<14} {e_tim.get(k, 0.0):8.2f} {g_tim.get(k, 0.0):8.2f} {e_ctim.get(k, 0.0):10.2f}"
                     f" {g_ctim.get(k, 0.0):10.2f}")
    lines.append("copies work (a) / (b): " + ", ".join(
        f"{k.removeprefix('copies.')} {e_counts.get(k, 0)} / {g_counts.get(k, 0)}"
        for k in ("copies.new", "copies.neighbourhood", "copies.pairs", "copies.pairs_old", "copies.remembered")))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
