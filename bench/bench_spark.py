"""Spark back end: scaling over local cores and corpus sizes, where time goes, and equivalence.

    .venv/bin/python bench/bench_spark.py                          # 2,000 and 8,000 articles, 1 and 2 cores
    .venv/bin/python bench/bench_spark.py --sizes 100000,400000 --no-baseline --corpus-cache /tmp/corpora
                                                                   # the issue's sizes (2,987 s for 400,000 on 2 cores)
    .venv/bin/python bench/bench_spark.py --equivalence 20000      # Spark vs embedded engine, same input
    nice -n 10 .venv/bin/python bench/bench_spark.py --job analyze --sizes 2000,8000 --cores 2 --no-baseline
                                                                   # `spark analyze`: copies, stories, extraction

With ``--job analyze`` each run is `spark analyze` (extraction in the executors) with the shuffle
partitions tuned by input size (``spark.session.shuffle_partitions_for``); its stage times add
``extract`` (wall), ``extract.units`` (wall: the distinct paragraphs parsed once, ``spark.extract-v2``)
and ``extract.ner|rules|events`` (seconds summed over the executors) and ``stories``, and it prints
the paragraphs (units) spaCy parses: in the articles, distinct, parsed. Its baseline is a full embedded ``analyze`` in a store (``spark.equivalence.embedded_store``).

Each (size, cores) run is its own process (a SparkSession's master cannot change) running
`spark copies` in local mode on a synthetic corpus (scamtrace.copies.synth: originals, copies of
every kind, same-story reports). It prints articles/s, the job's own stage times (spin,
candidates, classify, components, families, write) and the longest Spark stages from the event
log. The baseline, run in the same process on the same articles, is the embedded engine
(CandidateIndex + find_copies), so the ratio can be compared across noisy machines.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path


#: Articles per input file. A crawl comes as many files, and one file must stay under the reader's
#: 2 GiB limit (``spark.readers.MAX_FILE_BYTES``): 100,000 synthetic articles are about 0.6 GB.
FILE_ARTICLES = 100_000


def _corpus(n: int, seed: int, folder: Path) -> list:
    """Write ``generate(n, seed)`` as JSON Lines files of FILE_ARTICLES articles into ``folder``.

    A folder already holding them (``--corpus-cache``) is reused: the articles are read back.
    """
    from scamtrace.copies.synth import generate
    from scamtrace.spark.readers import article_from_row

    done = folder / "_COMPLETE"   # hidden from the reader, like _SUCCESS
    if done.exists():
        return [article_from_row(json.loads(line)) for f in sorted(folder.glob("part-*.jsonl"))
                for line in f.open(encoding="utf-8")]
    arts = generate(n, seed).articles
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(0, len(arts), FILE_ARTICLES):
        with (folder / f"part-{k // FILE_ARTICLES:05d}.jsonl").open("w", encoding="utf-8") as fh:
            for a in arts[k:k + FILE_ARTICLES]:
                fh.write(json.dumps(a.to_dict()) + "\n")
    done.touch()
    return arts


def _stages(log_dir: Path, top: int = 6) -> list[tuple[str, float]]:
    """Longest stage names and seconds, summed by name, from the Spark event log."""
    total: dict[str, float] = defaultdict(float)
    for f in (p for p in log_dir.rglob("*") if p.is_file()):
        for line in f.read_text(errors="replace").splitlines():
            if '"SparkListenerStageCompleted"' not in line:
                continue
            info = json.loads(line)["Stage Info"]
            if info.get("Submission Time") and info.get("Completion Time"):
                what, _, where = info["Stage Name"].partition(" at ")
                name = f"{what} at {os.path.basename(where)}" if where else what
                total[name] += (info["Completion Time"] - info["Submission Time"]) / 1000
    return sorted(total.items(), key=lambda kv: -kv[1])[:top]


def one(n: int, cores: int, seed: int, equivalence: bool, baseline: bool = True, cache: str | None = None,
        job: str = "copies") -> dict:
    from scamtrace.spark.job import run_job
    from scamtrace.spark.session import spark_session

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        corpus = Path(cache) / f"synth-{n}-{seed}" if cache else root / "in"
        arts = _corpus(n, seed, corpus)
        logs = root / "events"
        logs.mkdir()
        conf = {"spark.ui.enabled": "false", "spark.eventLog.enabled": "true",
                "spark.eventLog.dir": f"file://{logs}", "spark.eventLog.compress": "false"}
        if job == "copies":   # the figures in the README were measured with 4 partitions per core
            conf["spark.sql.shuffle.partitions"] = str(max(4, 4 * cores))
        spark = spark_session(f"local[{cores}]", conf)
        t = time.perf_counter()
        info = run_job(spark, job, [str(corpus)], str(root / "out"))
        partitions = info["spark"]["shuffle_partitions"]
        spark_s = time.perf_counter() - t
        spark.stop()
        counts = info["counts"]
        if counts.get("articles") != n or counts.get("rejects"):
            raise RuntimeError(f"the job read {counts.get('articles')} of {n} articles with {counts.get('rejects')} "
                               f"rejects ({root / 'out' / 'rejects'}); the timing would be meaningless")
        out = {"n": n, "cores": cores, "spark_s": round(spark_s, 1), "spark_art_s": round(n / spark_s, 1),
               "stages": {k: round(v, 1) for k, v in info["seconds"].items()}, "spark_stages": _stages(logs),
               "links": info["counts"]["links"], "job": job, "shuffle_partitions": partitions,
               "counts": info["counts"], "stories_scoring": info.get("stories_scoring"),
               "ner_units": info.get("ner_units")}
        if not baseline:
            out.update(embedded_s=None, embedded_art_s=None, ratio=None)
            return out
        if job == "analyze":
            from scamtrace.spark.equivalence import embedded_store

            t = time.perf_counter()
            embedded_store(root / "embedded.db", arts)
            emb_s = time.perf_counter() - t
            out.update(embedded_s=round(emb_s, 1), embedded_art_s=round(n / emb_s, 1), ratio=round(emb_s / spark_s, 3))
            return out
        t = time.perf_counter()
        from scamtrace.spark.equivalence import differences, embedded_result, read_output

        links, families, _ = embedded_result(arts, stories=False)
        emb_s = time.perf_counter() - t
        out.update(embedded_s=round(emb_s, 1), embedded_art_s=round(n / emb_s, 1), ratio=round(emb_s / spark_s, 3))
        if equivalence:
            diff = differences(links, families, None, read_output(root / "out"))
            out["equivalence"] = {k: (v if not isinstance(v, dict) else
                                      {kk: vv for kk, vv in v.items()}) for k, v in diff.items()}
        return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="2000,8000")
    ap.add_argument("--cores", default="1,2")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--equivalence", type=int, default=0, help="run one equivalence check at this size (on the last of --cores: 2 by default)")
    ap.add_argument("--no-baseline", action="store_true",
                    help="skip the embedded engine (it needs about as long again as Spark on 2 cores)")
    ap.add_argument("--corpus-cache", metavar="DIR",
                    help="keep each synthetic corpus in DIR and reuse it (400,000 articles take minutes to generate)")
    ap.add_argument("--job", choices=("copies", "stories", "analyze"), default="copies",
                    help="copies (the README's scaling figures), stories (copies and stories) or analyze "
                         "(copies, stories and extraction)")
    ap.add_argument("--one", nargs=2, type=int, metavar=("N", "CORES"), help=argparse.SUPPRESS)
    ap.add_argument("--check", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    if args.one:
        print("RESULT " + json.dumps(one(args.one[0], args.one[1], args.seed, args.check, not args.no_baseline,
                                         args.corpus_cache, args.job)),
              flush=True)
        return 0
    runs = [(args.equivalence, int(args.cores.split(",")[-1]), True)] if args.equivalence else \
        [(int(n), int(c), False) for n in args.sizes.split(",") for c in args.cores.split(",")]
    results = []
    for n, c, check in runs:
        cmd = [sys.executable, __file__, "--one", str(n), str(c), "--seed", str(args.seed)] + \
            (["--check"] if check else []) + (["--no-baseline"] if args.no_baseline else []) + \
            (["--corpus-cache", args.corpus_cache] if args.corpus_cache else []) + ["--job", args.job]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
        if line is None:
            print(f"run n={n} cores={c} failed:\n{proc.stderr[-2000:]}", file=sys.stderr)
            return 1
        r = json.loads(line[7:])
        results.append(r)
        base = (f"embedded {r['embedded_s']:.1f} s ({r['embedded_art_s']:.1f} art/s), embedded/spark time ratio "
                f"{r['ratio']:.3f}" if r["ratio"] is not None else "no baseline")
        extra = (f", {r['counts'].get('figures', 0):,} figures, {r['counts'].get('events', 0):,} events"
                 if r["job"] == "analyze" else "")
        print(f"n={n:>7,} cores={c} job={r['job']}: spark {r['spark_s']:>7.1f} s ({r['spark_art_s']:.1f} art/s), "
              f"{base}, {r['links']:,} links{extra}, {r['shuffle_partitions']} shuffle partitions")
        print(f"    job stages (s): {r['stages']}")
        if r.get("stories_scoring"):
            print(f"    stories scoring: {r['stories_scoring']}")
        if r.get("ner_units"):
            u = r["ner_units"]
            print(f"    NER paragraphs: {u['units']:,} in the articles, {u['distinct']:,} distinct, {u['parsed']:,} parsed "
                  f"by spaCy, {u['reparsed']:,} parsed again in the extraction step")
        print(f"    longest Spark stages (s): {r['spark_stages']}")
        if "equivalence" in r:
            e = r["equivalence"]
            print(f"    equivalence: same={e['same']}; " + "; ".join(
                f"{k}: embedded {v['embedded']}, spark {v['spark']}, only embedded {v['only_embedded'][:2]}, "
                f"only spark {v['only_spark'][:2]}" for k, v in e.items() if isinstance(v, dict)))
    by = {(r["n"], r["cores"]): r["spark_s"] for r in results}
    sizes = sorted({r["n"] for r in results})
    for c in sorted({r["cores"] for r in results}):
        if len(sizes) >= 2 and (sizes[0], c) in by and (sizes[-1], c) in by:
            print(f"cores={c}: time x{by[(sizes[-1], c)] / by[(sizes[0], c)]:.2f} for x{sizes[-1] / sizes[0]:.1f} articles")
    for n in sizes:
        if (n, 1) in by and (n, 2) in by:
            print(f"n={n:,}: 2 cores {by[(n, 1)] / by[(n, 2)]:.2f}x faster than 1")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
