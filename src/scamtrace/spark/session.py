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

#: Shuffle partitions of the jobs' joins and aggregations when the caller sets none. 8 suits
#: one machine of 2-8 cores (bench/bench_spark.py); on a cluster use 2-4x the executor cores.
DEFAULT_SHUFFLE_PARTITIONS = 8
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
    builder = builder.config("spark.sql.shuffle.partitions", str(DEFAULT_SHUFFLE_PARTITIONS)) \
                     .config("spark.sql.session.timeZone", "UTC")
    for k, v in (conf or {}).items():
        builder = builder.config(k, v)
    try:
        spark = builder.getOrCreate()
    except Exception as e:   # noqa: BLE001 - py4j/Java start-up errors come in many types
        raise SparkUnavailable(f"Spark could not start ({type(e).__name__}: {str(e)[:200]}); "
                               "check that Java 17 is installed and JAVA_HOME points at it") from e
    spark.sparkContext.setLogLevel("WARN")
    return spark


def _submit_conf() -> dict[str, str]:
    """Whether this process was launched by spark-submit (which then owns the master setting):
    spark-submit starts the JVM first and hands Python its gateway port."""
    if os.environ.get("PYSPARK_GATEWAY_PORT") or "--master" in os.environ.get("PYSPARK_SUBMIT_ARGS", ""):
        return {"spark.master": "spark-submit"}
    return {}
