"""The copies stage's index and candidates at archive scale (issue 17 part 2): the stored postings
(``copies.stored-candidates-v1``) against the in-memory index over every stored signature.

    .venv/bin/python bench/bench_stored_index.py --n 50000 --keep /tmp/idx     # keep the N-store for reruns

N synthetic articles (scamtrace.copies.synth, seed 7) are ingested and signed (no analyze: only the
copy index is built, so a large store is affordable), then the next 100 are ingested into a copy of
that store and the copies stage's first two steps run (``IncrementalCopies.update_index`` and
``find_neighbourhood``, then ``save_index``), once asking the store's postings and once reading every
stored signature into memory, alternating, ``--rounds`` times; CPU seconds of this process. Both
must find the same candidate pairs (checked). Without an analyze the store has no links or families,
so the neighbourhood is the candidates' (the pairs found are those of the index alone).
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_analyze import _write_jsonl  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--add", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--keep", type=Path, default=None)
    args = ap.parse_args(argv)
    os.environ["SCAMTRACE_NO_SPACY"] = "1"
    from scamtrace import api
    from scamtrace.copies import incremental
    from scamtrace.copies.synth import generate
    from scamtrace.settings import Settings

    settings = Settings(workers=1)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        keep = args.keep or tmp
        keep.mkdir(parents=True, exist_ok=True)
        base = keep / f"signed-{args.n}-{args.seed}.db"
        corpus = generate(args.n + args.add, args.seed)
        add = tmp / "add.jsonl"
        _write_jsonl(add, corpus.articles[args.n:])
        if not base.exists():
            src = tmp / "base.jsonl"
            _write_jsonl(src, corpus.articles[: args.n])
            part = base.with_suffix(".part")
            part.unlink(missing_ok=True)
            store = api.open_store(part)
            t = time.perf_counter()
            api.ingest(store, [str(src)], settings=settings)
            cp = incremental.IncrementalCopies(store)
            cp.update_index()
            cp.save_index()
            store.mark_analyzed(cp.new_ids)
            store.close()
            part.rename(base)
            print(f"base store of {args.n} ingested and signed in {time.perf_counter() - t:.0f}s", file=sys.stderr)
        del corpus
        share = incremental.STORED_INDEX_MAX_SHARE
        incremental.STORED_INDEX_MIN_ROWS = 0   # both ways at every size
        out: dict[str, list[tuple[float, float]]] = {"stored": [], "memory": []}
        pairs: dict[str, set] = {}
        try:
            for _ in range(args.rounds):
                for mode in out:
                    work = tmp / "work.db"
                    shutil.copy(base, work)
                    store = api.open_store(work)
                    api.ingest(store, [str(add)], settings=settings)
                    incremental.STORED_INDEX_MAX_SHARE = share if mode == "stored" else 0.0
                    c = time.process_time()
                    cp = incremental.IncrementalCopies(store)
                    cp.update_index()
                    cp.find_neighbourhood()
                    c1 = time.process_time()
                    cp.save_index()
                    c2 = time.process_time()
                    out[mode].append((c1 - c, c2 - c))
                    pairs.setdefault(mode, cp.pairs)
                    assert pairs[mode] == cp.pairs
                    store.close()
                    work.unlink()
        finally:
            incremental.STORED_INDEX_MAX_SHARE = share
    assert pairs["stored"] == pairs["memory"], "the two indexes found different pairs"
    print(f"store of {args.n} signed articles, {args.add} added; {len(pairs['stored'])} candidate pairs (same both ways)")
    for mode, runs in out.items():
        print(f"  {mode:<7} update_index + find_neighbourhood: "
              + " / ".join(f"{a:.2f}" for a, _ in runs) + " CPU s; with save_index: "
              + " / ".join(f"{b:.2f}" for _, b in runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
