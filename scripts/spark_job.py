"""spark-submit entry point (spark-submit takes a file, not a module):

    spark-submit --master yarn --py-files scamtrace.zip scripts/spark_job.py copies|stories|analyze INPUT... OUTPUT

The session and its master come from spark-submit; see scamtrace.spark.job and the README section
"Spark: the same engine on a cluster".
"""
import sys

from scamtrace.spark.job import main

if __name__ == "__main__":
    sys.exit(main())
