"""Story clustering on Spark (``spark.stories-v1``), the same stories as ``stories.online-v2``.

The embedded algorithm visits copy families ("units") in publication order and joins each to the
story of its best-scoring earlier unit when the score reaches ``JOIN_THRESHOLD``. Because the
TF-IDF and anchor weights are computed over all units first, a unit's best earlier unit does not
depend on the visiting itself: stories are the connected components of the edges "unit -> its
best earlier candidate". Spark computes exactly that:

1. units (one per family) with the embedded ``_make_unit``; term and anchor document frequencies
   by aggregation; each unit's TF-IDF vector in the executors (``_tfidf``);
2. blocking as a shuffle: one row per (key, unit) for the unit's anchors and top
   ``BLOCK_TERMS`` terms, ranked by publication order within the key; a unit is compared with the
   units before it under a key while at most ``MAX_KEY_UNITS`` came before (the embedded rule);
3. scoring in buckets (:func:`_best_per_unit`): units are hashed into buckets, each bucket a
   sorted stream of the vectors of every unit its candidate lists name, then the lists; an executor
   decodes each vector once per bucket and scores a unit's candidates in one vectorised pass with
   the embedded ``_Features`` / ``_best_candidate`` (exact ``unit_similarity`` on the near-best):
   the best earlier unit per unit (ties: the earliest), kept when it reaches ``JOIN_THRESHOLD``.
   Until this change each candidate pair was a row carrying both units' vectors as JSON (two
   ~12 kB strings decoded per pair): at 2,000 synthetic articles that was most of the job;
4. the stories are the trees of the links "unit -> its best earlier unit" (each unit has at most
   one, always earlier): their roots by pointer jumping (:func:`.components.tree_roots`, about
   log2(depth) rounds instead of one per link of the longest chain), then each story is
   assembled with the embedded ``_story``, its evidence in visiting order.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import time
from collections import Counter
from typing import Any, Iterator

from ..model import Article
from ..stories import cluster as C
from .components import tree_roots
from .schema import STORY_FIELDS, spark_schema

STORIES_JOB = "spark.stories-v1"
_FAR = dt.date.max.isoformat()
#: Candidate pairs per scoring bucket at most (more buckets when there are more pairs than
#: ``PAIRS_PER_BUCKET`` times the shuffle partitions). A bucket holds the vectors of every unit its
#: pairs name (about 12 kB of JSON each on the synthetic corpus); 250,000 pairs keep a bucket's
#: scoring under a few seconds (bench/bench_spark.py --job analyze).
PAIRS_PER_BUCKET = 250_000


def _order(first: dt.date | None, family: str) -> str:
    """Sortable visiting-order key: (first publication date, family id) as one string."""
    return f"{first.isoformat() if first else _FAR}|{family}"


def _unit_row(kv: tuple[str, Any]) -> tuple:
    family, rows = kv
    members = sorted((r for r in rows), key=lambda r: r["member_pos"])
    arts = [Article(id=r["id"], source="", text=r["text"] or "", title=r["title"],
                    published=dt.date.fromisoformat(r["published"][:10]) if r["published"] else None)
            for r in members]
    u = C._make_unit(family, arts)
    origin = members[0]["origin"] if members else None
    meta = [[a.id, a.title, a.published.isoformat() if a.published else None, bool(origin) and a.id != origin]
            for a in u.members]   # the last: a copy within its family (stories.headline-v2, C.copies_of)
    return (family, _order(u.first, family), json.dumps(list(u.tf.items())), json.dumps(sorted(u.anchors)),
            u.first.isoformat() if u.first else None, u.last.isoformat() if u.last else None, json.dumps(meta),
            C.is_brief(a.text for a in arts))


def stories_spark(spark: Any, articles: Any, families: Any, stats: dict[str, int] | None = None,
                  timings: dict[str, float] | None = None) -> Any:
    """Stories (STORY_FIELDS) of ``articles`` given their ``families`` (FAMILY_FIELDS).

    ``stats``, when given, receives the counts of the scoring step (:func:`_best_per_unit`);
    ``timings`` the seconds of the parts (``stories.units|features|candidates|scoring|roots``;
    each part ends on an eager checkpoint, so it counts its own work, not what came before)."""
    clock = _Clock(timings)
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    members = families.select("family", "origin", F.posexplode("members").alias("member_pos", "id"))
    joined = members.join(articles.select("id", "title", "text", "published"), "id")
    units = spark.createDataFrame(
        joined.rdd.map(lambda r: (r["family"], r)).groupByKey().map(_unit_row),
        "family string, ord string, tf string, anchors string, first string, last string, members string, "
        "brief boolean",
    ).localCheckpoint()
    n = units.count() or 1
    clock.tick("stories.units")

    terms = units.select("family", F.explode(F.from_json("tf", "array<array<string>>")).alias("tc")) \
        .select("family", F.col("tc")[0].alias("term"))
    tdf = terms.groupBy("term").agg(F.count("*").alias("c"))
    unit_terms = terms.join(tdf, "term").groupBy("family").agg(F.collect_list(F.struct("term", "c")).alias("tdf"))
    anc = units.select("family", F.explode(F.from_json("anchors", "array<string>")).alias("anchor"))
    adf = anc.groupBy("anchor").agg(F.count("*").alias("c"))
    unit_anc = anc.join(adf, "anchor").groupBy("family").agg(F.collect_list(F.struct("anchor", "c")).alias("adf"))
    feats_in = units.join(unit_terms, "family", "left").join(unit_anc, "family", "left")

    def features(rows: Iterator[Any]) -> Iterator[tuple]:
        for r in rows:
            tf = Counter(dict((t, int(c)) for t, c in json.loads(r["tf"])))
            idf = {x["term"]: math.log((1 + n) / (1 + x["c"])) + 1.0 for x in (r["tdf"] or [])}
            aidf = {x["anchor"]: math.log((1 + n) / (1 + x["c"])) for x in (r["adf"] or [])}
            vec = C._tfidf(tf, idf)
            keys = sorted(C.block_keys(json.loads(r["anchors"]), vec))
            yield (r["family"], r["ord"], json.dumps(list(vec.items())), json.dumps(aidf), r["first"], keys,
                   bool(r["brief"]))

    feats = spark.createDataFrame(feats_in.rdd.mapPartitions(features),
                                  "family string, ord string, vec string, aidf string, first string, "
                                  "keys array<string>, brief boolean").localCheckpoint()
    clock.tick("stories.features")
    # pos: how many indexed (non-brief) units came before under the key (the embedded index length);
    # briefs are looked up but never indexed (stories.brief-join-v1)
    before = Window.partitionBy("key").orderBy("ord").rowsBetween(Window.unboundedPreceding, -1)
    keyed = feats.select("family", "ord", "brief", F.explode("keys").alias("key")) \
        .withColumn("pos", F.coalesce(F.sum(F.when(F.col("brief"), 0).otherwise(1)).over(before), F.lit(0))) \
        .where(F.col("pos") <= C.MAX_KEY_UNITS)
    cands = keyed.alias("u").join(keyed.alias("v"), "key") \
        .where((F.col("v.ord") < F.col("u.ord")) & ~F.col("v.brief")) \
        .select(F.col("u.family").alias("u"), F.col("v.family").alias("v")).distinct()
    best = _best_per_unit(spark, feats, cands, stats, clock)
    comp = tree_roots(best.select(F.col("u").alias("node"), F.col("v").alias("parent")))
    clock.tick("stories.roots")
    grouped = units.join(comp.select(F.col("node").alias("family"), "root"), "family", "left") \
        .join(best.select(F.col("u").alias("family"), F.col("v").alias("via"), "ev"), "family", "left")
    out = grouped.rdd.map(lambda r: (r["root"] or r["family"], r)).groupByKey().map(_assemble)
    return spark.createDataFrame(out, spark_schema(STORY_FIELDS))


def scoring_buckets(pairs: int, partitions: int) -> int:
    """Buckets the candidate pairs are scored in: ``max(partitions, ceil(pairs / PAIRS_PER_BUCKET))``."""
    return max(1, partitions, -(-pairs // PAIRS_PER_BUCKET))


class _Clock:
    """Seconds since the last tick, added to ``timings[name]`` (nothing when timings is None)."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings, self.t = timings, time.perf_counter()

    def tick(self, name: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[name] = self.timings.get(name, 0.0) + now - self.t
        self.t = now


def _best_per_unit(spark: Any, feats: Any, cands: Any, stats: dict[str, int] | None, clock: _Clock) -> Any:
    """(u, v, ev): each unit's best earlier candidate, kept when it reaches ``JOIN_THRESHOLD``.

    Units are hashed into buckets (:func:`scoring_buckets`); a bucket is a sorted stream of the
    features of every unit its candidate lists name, then the lists, so an executor decodes each vector
    once per bucket (not once per pair, which shipped two 12 kB vectors per candidate pair) and
    scores a unit's candidates in one vectorised pass with the embedded ``_Features`` and
    ``_best_candidate`` (exact ``unit_similarity`` on the near-best): the same choice, ties to the
    earliest, as the embedded engine.
    """
    from pyspark.sql import functions as F

    cands = cands.localCheckpoint()
    pairs = cands.count()
    clock.tick("stories.candidates")
    buckets = scoring_buckets(pairs, int(spark.conf.get("spark.sql.shuffle.partitions")))
    per_u = cands.groupBy("u").agg(F.collect_list("v").alias("vs")) \
        .withColumn("b", F.pmod(F.xxhash64("u"), F.lit(buckets))).localCheckpoint()
    needed = per_u.select("b", F.col("u").alias("family")) \
        .union(per_u.select("b", F.explode("vs").alias("family"))).distinct()
    # one stream per bucket, sorted so that its units' features come before its candidate lists:
    # nothing is grouped into one row (a bucket's vectors as one collected row ran the JVM out of
    # heap at 8,000 articles), and the shuffle can spill
    feat_rows = needed.join(feats.select("family", "ord", "vec", "aidf", "first"), "family") \
        .select("b", F.lit(0).alias("kind"), "family", "ord", "vec", "aidf", "first",
                F.lit(None).cast("array<string>").alias("vs"))
    todo_rows = per_u.select("b", F.lit(1).alias("kind"), F.col("u").alias("family"),
                             *[F.lit(None).cast("string").alias(c) for c in ("ord", "vec", "aidf", "first")], "vs")
    stream = feat_rows.unionByName(todo_rows).repartition(buckets, "b").sortWithinPartitions("b", "kind", "ord")
    decoded = spark.sparkContext.accumulator(0)
    rows = stream.rdd.mapPartitions(_score_buckets(decoded))
    best = spark.createDataFrame(rows, "u string, v string, ev string").localCheckpoint()
    clock.tick("stories.scoring")
    if stats is not None:
        stats.update(pairs=pairs, buckets=buckets, vectors_decoded=int(decoded.value))
    return best


def _score_buckets(decoded: Any) -> Any:
    """Score the bucket streams of a partition: per bucket, its units' feature rows (kind 0, in
    visiting order), then one row per unit to score with its candidate list (kind 1)."""
    def score(bucket: list[Any], todo: list[Any]) -> Iterator[tuple]:
        rows = sorted(bucket, key=lambda r: r["ord"])   # positions in visiting order, as embedded
        at = {r["family"]: i for i, r in enumerate(rows)}
        units, vecs, aidf = [], [], {}
        for r in rows:
            unit, vec, weights = _stub(r)
            units.append(unit)
            vecs.append(vec)
            aidf.update(weights)
        decoded.add(len(rows))
        feats = C._Features(units, {}, aidf, vecs=vecs)
        for t in todo:
            best, s, ev = C._best_candidate(feats, at[t["family"]], sorted(at[v] for v in t["vs"]))
            if best is not None and s >= C.JOIN_THRESHOLD:
                yield t["family"], units[best].family, json.dumps(ev)

    def run(rows: Iterator[Any]) -> Iterator[tuple]:
        current: Any = None
        bucket: list[Any] = []
        todo: list[Any] = []
        for r in rows:
            if r["b"] != current:
                if todo:
                    yield from score(bucket, todo)
                current, bucket, todo = r["b"], [], []
            (bucket if r["kind"] == 0 else todo).append(r)
        if todo:
            yield from score(bucket, todo)

    return run


def _stub(r: Any) -> tuple[Any, dict[str, float], dict[str, float]]:
    """A unit with just what ``unit_similarity`` reads (anchors, first date), its vector and anchor weights."""
    aidf = json.loads(r["aidf"])
    first = dt.date.fromisoformat(r["first"]) if r["first"] else None
    unit = C._Unit(r["family"], [], Counter(), set(aidf), first, first)
    return unit, dict((t, w) for t, w in json.loads(r["vec"])), aidf


def _assemble(kv: tuple[str, Any]) -> tuple:
    """One story from its units, as the embedded ``_story`` builds it."""
    _, rows = kv
    rows = sorted(rows, key=lambda r: r["ord"])
    units, evidence, copies = [], [], set[str]()
    for i, r in enumerate(rows):
        meta = json.loads(r["members"])
        members = [Article(id=m[0], source="", text="", title=m[1],
                           published=dt.date.fromisoformat(m[2]) if m[2] else None) for m in meta]
        copies.update(m[0] for m in meta if m[3])
        first = dt.date.fromisoformat(r["first"]) if r["first"] else None
        last = dt.date.fromisoformat(r["last"]) if r["last"] else None
        units.append(C._Unit(r["family"], members, Counter(), set(), first, last))
        mark = {"brief": True} if r["brief"] else {}
        if i == 0 or r["via"] is None:
            evidence.append({"family": r["family"], "started": True, **mark})
        else:
            evidence.append({"family": r["family"], "joined_via": r["via"], **json.loads(r["ev"]), **mark})
    st = C._story({"units": units, "evidence": evidence}, copies)
    return (st.id, st.title, st.first_seen.isoformat() if st.first_seen else None,
            st.last_seen.isoformat() if st.last_seen else None, st.articles, st.families, st.algorithm,
            json.dumps(st.evidence))
