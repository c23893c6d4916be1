"""A SparkSession for the scamtrace jobs: local mode by default, or whatever spark-submit gives.

Under ``spark-submit --master yarn|k8s://...|spark://...`` a session already exists (or the
master comes from the submit command) and is used unchanged; run from the CLI without a master,
the jobs start ``local[*]``. Settings that matter are named constants here (see the README
section "Spark").
"""
from __future__ import annotations

import logging
import os
import sys
from typing import Any, Mapping

from ..errors import SparkUnavailable

log = logging.getLogger(__name__)

#: Shuffle partitions of the jobs' joins and aggregations until the input is read (the cleaning
#: tasks) when the caller sets none; after reading, :func:`shuffle_partitions_for` tunes it.
DEFAULT_SHUFFLE_PARTITIONS = 8
#: Articles per shuffle partition when the partitions are tuned by input size: the largest
#: shuffles (the spin model's ~400 content-word pairs per article, every signature hash, the
#: families' regrouping of links with their articles) spilled to disk at 400,000 articles in 4-8
#: partitions (families grew 7.1x for 4x the articles, bench/bench_spark.py); 5,000 articles keep
#: a partition's pairs near 2 million rows.
ARTICLES_PER_SHUFFLE_PARTITION = 5_000
#: Tuned partitions per core at least (several tasks per core even for a small input), and at most.
MIN_PARTITIONS_PER_CORE = 4
MAX_SHUFFLE_PARTITIONS = 2_000
#: Set by :func:`spark_session` when the caller gave no ``spark.sql.shuffle.partitions``: the jobs
#: then tune it by input size (:func:`shuffle_partitions_for`).
AUTO_SHUFFLE_KEY = "spark.scamtrace.autoShufflePartitions"
#: Driver memory in local mode (the driver is also the only executor there).
DEFAULT_LOCAL_MEMORY = "4g"
#: Label propagation rounds allowed to find connected components; copy families and stories
#: converge in a handful (the round count is logged); more means a pathological chain.
MAX_COMPONENT_ROUNDS = 200


def spark_session(master: str | None = None, conf: Mapping[str, str] | None = None,
                  app: str = "scamtrace") -> Any:
    """The active SparkSession, or a new one (``master`` default: local[*]).

    Raises :class:`SparkUnavailable` with what to install when pyspark cannot start.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as e:
        raise SparkUnavailable("pyspark is not installed; run: pip install 'scamtrace[spark]'") from e
    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        return active
    builder = SparkSession.builder.appName(app)
    submitted = "spark.master" in _submit_conf()
    if master or not submitted:
        master = master or "local[*]"
        builder = builder.master(master)
        if master.startswith("local"):
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
            builder = builder.config("spark.driver.memory", DEFAULT_LOCAL_MEMORY) \
                             .config("spark.driver.host", os.environ["SPARK_LOCAL_IP"]) \
                             .config("spark.ui.showConsoleProgress", "false")
    given = "spark.sql.shuffle.partitions" in (conf or {})
    if not given and not submitted:
        builder = builder.config("spark.sql.shuffle.partitions", str(DEFAULT_SHUFFLE_PARTITIONS))
    builder = builder.config("spark.sql.session.timeZone", "UTC")
    for k, v in (conf or {}).items():
        builder = builder.config(k, v)
    try:
        spark = builder.getOrCreate()
    except Exception as e:   # noqa: BLE001 - py4j/Java start-up errors come in many types
        raise SparkUnavailable(f"Spark could not start ({type(e).__name__}: {str(e)[:200]}); "
                               "check that Java 17 is installed and JAVA_HOME points at it") from e
    spark.sparkContext.setLogLevel("WARN")
    if submitted and not given:   # spark-submit --conf spark.sql.shuffle.partitions=N is the user's choice
        given = spark.sparkContext.getConf().contains("spark.sql.shuffle.partitions")
        if not given:
            spark.conf.set("spark.sql.shuffle.partitions", str(DEFAULT_SHUFFLE_PARTITIONS))
    spark.conf.set(AUTO_SHUFFLE_KEY, "false" if given else "true")
    return spark


def shuffle_partitions_for(articles: int, cores: int) -> int:
    """The shuffle partitions for a job over ``articles`` on ``cores`` executor cores:
    ``max(MIN_PARTITIONS_PER_CORE * cores, ceil(articles / ARTICLES_PER_SHUFFLE_PARTITION))``, at
    most ``MAX_SHUFFLE_PARTITIONS`` (2 cores: 8 up to 40,000 articles, 20 at 100,000, 80 at 400,000)."""
    by_size = -(-max(articles, 0) // ARTICLES_PER_SHUFFLE_PARTITION)
    return max(1, min(MAX_SHUFFLE_PARTITIONS, max(MIN_PARTITIONS_PER_CORE * max(cores, 1), by_size)))


def tune_shuffle_partitions(spark: Any, articles: int) -> int | None:
    """Set ``spark.sql.shuffle.partitions`` by input size unless the caller chose it; returns the
    value set, or None when it was left alone."""
    if spark.conf.get(AUTO_SHUFFLE_KEY, "false") != "true":
        return None
    n = shuffle_partitions_for(articles, spark.sparkContext.defaultParallelism)
    spark.conf.set("spark.sql.shuffle.partitions", str(n))
    return n


def _submit_conf() -> dict[str, str]:
    """Whether this process was launched by spark-submit (which then owns the master setting):
    spark-submit starts the JVM first and hands Python its gateway port."""
    if os.environ.get("PYSPARK_GATEWAY_PORT") or "--master" in os.environ.get("PYSPARK_SUBMIT_ARGS", ""):
        return {"spark.master": "spark-submit"}
    return {}
