"""The Spark jobs behind ``scamtrace spark copies|stories|analyze`` (and ``spark-submit scripts/spark_job.py``).

Reads the inputs (:mod:`.readers`), tunes the shuffle partitions by input size
(:func:`.session.tune_shuffle_partitions`), runs the copies engine (:mod:`.copies`), for
``stories`` and ``analyze`` the story engine (:mod:`.stories`), for ``analyze`` the extraction
(:mod:`.extract`), and writes the Parquet tables of :mod:`.schema` plus ``_run.json`` to OUTPUT,
which may be any Hadoop-compatible URI.

Run unchanged on a cluster::

    spark-submit --master yarn --py-files scamtrace.zip scripts/spark_job.py copies IN... OUT

(or with the package installed on every node; see the README section "Spark").
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from typing import Any, Callable, Sequence

from .copies import find_copies_spark, run_info
from .schema import RUN_FILE
from .session import tune_shuffle_partitions
from .stories import STORIES_JOB, stories_spark
from ..errors import InvalidRequest
from ..extract import ALGO_DATES, ALGO_ENTITIES, ALGO_FIGURES, ALGO_QUOTES
from ..extract.entities import NER_UNITS
from ..extract.events import ALGO_EVENTS
from ..extract.stage import POOL_ALGORITHM
from .extract import EXTRACT_JOB, extract_spark
log = logging.getLogger(__name__)

JOBS = ("copies", "stories", "analyze")


def run_job(spark: Any, job: str, inputs: Sequence[str], output: str, *,
            say: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    """Run ``job`` ("copies", "stories" or "analyze") over ``inputs`` and write OUTPUT; returns the run info."""
    from .readers import read_articles

    if job not in JOBS:
        raise InvalidRequest(f"unknown Spark job {job!r}; choose one of {', '.join(JOBS)}")
    if not inputs:
        raise InvalidRequest("give at least one input path (JSONL, Parquet or WARC)")
    out = output.rstrip("/")
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    articles, rejects = read_articles(spark, list(inputs))
    articles = articles.localCheckpoint()
    rejects = rejects.localCheckpoint()
    timings["read"] = time.perf_counter() - t0
    n_articles = articles.count()
    say(f"read {n_articles:,} articles, {rejects.count():,} rejects")
    tuned = tune_shuffle_partitions(spark, n_articles)
    if tuned is not None:
        say(f"shuffle partitions: {tuned} (tuned by input size)")
    links, families, _spins = find_copies_spark(spark, articles, timings)
    tables = {"articles": articles, "links": links, "families": families, "rejects": rejects}
    scoring: dict[str, int] = {}   # the stories' candidate pairs, scoring buckets, vectors decoded
    units: dict[str, int] = {}     # the extraction's paragraphs: occurrences, distinct, parsed
    if job == "analyze":
        t = time.perf_counter()
        links = links.localCheckpoint()
        tables["links"] = links
        extracted, failed = extract_spark(spark, articles, links, timings, units)
        tables.update(extracted)
        tables["rejects"] = rejects.union(failed)
        timings["extract"] = time.perf_counter() - t
    if job in ("stories", "analyze"):
        t = time.perf_counter()
        tables["stories"] = stories_spark(spark, articles, families, scoring, timings).localCheckpoint()
        timings["stories"] = time.perf_counter() - t
    counts: dict[str, int] = {}
    t = time.perf_counter()
    for name, df in tables.items():
        df.write.mode("overwrite").parquet(f"{out}/{name}")
        counts[name] = spark.read.parquet(f"{out}/{name}").count()
        say(f"wrote {out}/{name}: {counts[name]:,} rows")
    timings["write"] = time.perf_counter() - t
    info = run_info(counts, timings)
    if job == "stories":
        info["job"] = f"{info['job']}+{STORIES_JOB}"
    elif job == "analyze":
        info["job"] = f"{info['job']}+{STORIES_JOB}+{EXTRACT_JOB}"
        info["algorithms"].update({"entities": ALGO_ENTITIES, "dates": ALGO_DATES, "figures": ALGO_FIGURES,
                                   "quotes": ALGO_QUOTES, "events": ALGO_EVENTS,
                                   "extract_batch": POOL_ALGORITHM, "ner_units": NER_UNITS})
        info["ner_units"] = units
    if job in ("stories", "analyze"):
        info["stories_scoring"] = scoring
    info["inputs"] = list(inputs)
    info["spark"] = {"version": spark.version, "master": spark.sparkContext.master,
                     "shuffle_partitions": spark.conf.get("spark.sql.shuffle.partitions"),
                     "shuffle_partitions_tuned": tuned is not None}
    write_text(spark, f"{out}/{RUN_FILE}", json.dumps(info, indent=2, sort_keys=True))
    return info


def write_text(spark: Any, uri: str, text: str) -> None:
    """Write a small text file through Hadoop's FileSystem (local paths and cluster URIs alike)."""
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    path = jvm.org.apache.hadoop.fs.Path(uri)
    fs = path.getFileSystem(conf)
    stream = fs.create(path, True)
    try:
        stream.write(bytearray(text.encode("utf-8")))
    finally:
        stream.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for spark-submit (``scripts/spark_job.py copies|stories|analyze INPUT... OUTPUT``)."""
    from .session import spark_session

    ap = argparse.ArgumentParser(prog="scamtrace.spark.job", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("job", choices=JOBS)
    ap.add_argument("paths", nargs="+", help="INPUT... OUTPUT")
    args = ap.parse_args(argv)
    if len(args.paths) < 2:
        ap.error("give at least one INPUT and the OUTPUT directory")
    spark = spark_session()
    info = run_job(spark, args.job, args.paths[:-1], args.paths[-1], say=lambda s: print(s, file=sys.stderr))
    print(json.dumps(info["counts"], sort_keys=True))
    return 0


if __name__ == "__main__":   # pragma: no cover
    raise SystemExit(main())
