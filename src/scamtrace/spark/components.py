"""Connected components in Spark itself (no GraphFrames): iterative min-label propagation.

``spark.components-v1``: every node starts labelled with its own id; each round a node takes the
smallest label among itself and its neighbours, and the label table is checkpointed so the plan
stays short. It stops when no label changes. The label of a component is its smallest member id,
the same root the embedded union-find picks (``copies.families._UnionFind`` unions towards the
smaller id), so components match the embedded engine exactly.

Rounds needed grow with the component diameter (copy families: 1-3; story chains: a few more).

``spark.tree-roots-v1`` (:func:`tree_roots`): when every node has at most one parent and the
parent links have no cycle (the stories' "unit -> its best earlier unit"), the components are the
trees, and pointer jumping (each round a node's label becomes its label's label) reaches every
tree's root in about log2(depth) + 1 rounds instead of one round per link of the longest chain.
"""
from __future__ import annotations

import logging
from typing import Any

from .session import MAX_COMPONENT_ROUNDS

log = logging.getLogger(__name__)

COMPONENTS_ALGORITHM = "spark.components-v1"
TREE_ROOTS_ALGORITHM = "spark.tree-roots-v1"


def connected_components(edges: Any, max_rounds: int = MAX_COMPONENT_ROUNDS) -> Any:
    """Label every node of ``edges`` (a DataFrame with string columns ``a``, ``b``) with its
    component root: returns a DataFrame (``node``, ``root``). Nodes with no edge are absent.

    Raises RuntimeError if the labels have not settled after ``max_rounds`` rounds.
    """
    from pyspark.sql import functions as F

    if not isinstance(max_rounds, int) or max_rounds < 1:
        raise ValueError(f"max_rounds must be an int >= 1, got {max_rounds!r}")
    e = edges.select(F.col("a").alias("src"), F.col("b").alias("dst")).where(F.col("src") != F.col("dst"))
    both = e.union(e.select(F.col("dst").alias("src"), F.col("src").alias("dst"))).distinct().localCheckpoint()
    # first label: the smallest of a node and its neighbours
    labels = both.groupBy("src").agg(F.min("dst").alias("m")) \
        .select(F.col("src").alias("node"), F.least(F.col("src"), F.col("m")).alias("root")).localCheckpoint()
    for rounds in range(1, max_rounds + 1):
        pulled = both.join(labels.withColumnRenamed("node", "dst").withColumnRenamed("root", "r"), "dst") \
            .groupBy("src").agg(F.min("r").alias("r"))
        new = labels.join(pulled.withColumnRenamed("src", "node"), "node", "left") \
            .select("node", F.least(F.col("root"), F.coalesce(F.col("r"), F.col("root"))).alias("root")) \
            .localCheckpoint()
        changed = new.join(labels.withColumnRenamed("root", "old"), "node").where(F.col("root") != F.col("old")).count()
        labels = new
        if changed == 0:
            log.info("connected components settled after %d rounds", rounds)
            return labels
    raise RuntimeError(f"connected components did not settle in {max_rounds} rounds; "
                       "raise scamtrace.spark.session.MAX_COMPONENT_ROUNDS or check for a giant chain")


def tree_roots(parents: Any, max_rounds: int = MAX_COMPONENT_ROUNDS) -> Any:
    """The root of every node of a forest given as ``parents`` (string columns ``node``,
    ``parent``; each node at most once, no cycle): a DataFrame (``node``, ``root``) where ``root``
    is the ancestor that has no parent. Roots themselves are absent, as in
    :func:`connected_components` nodes without an edge are.

    Raises RuntimeError if the labels have not settled after ``max_rounds`` rounds (a cycle).
    """
    from pyspark.sql import functions as F

    if not isinstance(max_rounds, int) or max_rounds < 1:
        raise ValueError(f"max_rounds must be an int >= 1, got {max_rounds!r}")
    labels = parents.select("node", F.col("parent").alias("root")).localCheckpoint()
    for rounds in range(1, max_rounds + 1):
        up = labels.select(F.col("node").alias("root"), F.col("root").alias("up"))
        step = labels.join(up, "root", "left") \
            .select("node", F.coalesce(F.col("up"), F.col("root")).alias("root"), F.col("up").isNotNull().alias("moved")) \
            .localCheckpoint()
        moved = step.where(F.col("moved")).count()
        labels = step.select("node", "root")
        if moved == 0:
            log.info("tree roots settled after %d rounds", rounds)
            return labels
    raise RuntimeError(f"tree roots did not settle in {max_rounds} rounds; the parent links have a cycle")
