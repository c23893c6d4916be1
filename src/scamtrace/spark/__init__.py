"""scamtrace on Apache Spark: the copies and story engines over whole news crawls.

The jobs call the same functions as the embedded pipeline (signatures, candidate scoring,
pair classification, family resolution, story similarity); Spark only distributes them.
Install with ``pip install 'scamtrace[spark]'``; see the README section "Spark".
"""
