"""CPU seconds of the incremental repeat-date pass (``apply_repeat_dates``, issue 17 part 2) in run (b)
of bench_incremental: the same 100 articles added to a kept base store of N.

    .venv/bin/python bench/bench_incremental.py --n 10000 --rules --keep /tmp/inc   # builds the base store once
    .venv/bin/python bench/bench_repeat_dates.py --n 10000 --keep /tmp/inc

The base store is copied, the last 100 articles of the synthetic corpus (seed 7, as bench_incremental)
are ingested and analysed into the copy, and the store is saved just before the pass runs (with the
ids it is given); the pass then runs ``--runs`` times on fresh copies of that store, each timed in CPU
seconds of this process (the machine may be shared). Prints the figures read, the figures dated and
the seconds of each run.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_analyze import _write_jsonl  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10000, help="articles in the kept base store (default 10000)")
    ap.add_argument("--add", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--keep", type=Path, required=True, help="bench_incremental's --keep folder (with --rules)")
    args = ap.parse_args(argv)
    base = args.keep / f"base-{args.n}-{args.seed}-rules.db"
    if not base.is_file():
        ap.error(f"{base} not found: build it with bench_incremental.py --n {args.n} --rules --keep {args.keep}")
    os.environ["SCAMTRACE_NO_SPACY"] = "1"
    from scamtrace import api
    from scamtrace.copies.synth import generate
    from scamtrace.extract import stage
    from scamtrace.extract.corpus_dates import apply_repeat_dates
    from scamtrace.settings import Settings

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        add = tmp / "add.jsonl"
        _write_jsonl(add, generate(args.n + args.add, args.seed).articles[args.n:])
        work, snap = tmp / "work.db", tmp / "snap.db"
        shutil.copy(base, work)
        captured: list[str] = []
        real = stage.apply_repeat_dates

        def capture(store, changed=None, articles=None):  # noqa: ANN001, ANN202
            if articles is not None and not captured:
                captured.extend(sorted(articles))
                store.db.commit()
                dst = sqlite3.connect(snap)
                store.db.backup(dst)
                dst.close()
            return real(store, changed, articles)

        stage.apply_repeat_dates = capture
        try:
            store = api.open_store(work)
            api.ingest(store, [str(add)], settings=Settings())
            api.analyze(store, settings=Settings())
            store.close()
        finally:
            stage.apply_repeat_dates = real
        if not captured:
            print("the incremental pass did not run (nothing new?)")
            return 1
        work.unlink()
        try:
            from scamtrace.extract.corpus_dates import rows_for_pass as read_rows
        except ImportError:   # a version before the read by wordings (measured for comparison)
            from scamtrace.store.extracted import figure_rows_sharing_values as read_rows  # type: ignore[attr-defined,no-redef]
        try:
            from scamtrace.extract.corpus_dates import _VERB_WORDS
            words: frozenset[str] = _VERB_WORDS
        except ImportError:   # a version before the verb pre-filter (measured for comparison)
            words = frozenset()
        store = api.open_store(snap)
        read = len(read_rows(store, captured, words) if words else read_rows(store, captured))
        store.close()
        print(f"base store {args.n}, {len(captured)} articles given to the pass, {read} figures read")
        for k in range(args.runs):
            shutil.copy(snap, work)
            store = api.open_store(work)
            c = time.process_time()
            dated = apply_repeat_dates(store, set(), captured)
            cpu = time.process_time() - c
            store.close()
            print(f"run {k + 1}: {cpu:.2f} CPU s, {dated} figures dated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
