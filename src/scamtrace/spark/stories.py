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
3. ``unit_similarity`` per candidate pair in the executors; the best earlier unit per unit
   (ties: the earliest), kept when it reaches ``JOIN_THRESHOLD``;
4. connected components (:mod:`.components`), then each story is assembled with the embedded
   ``_story``, its evidence in visiting order.
"""
from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter
from typing import Any, Iterator

from ..model import Article
from ..stories import cluster as C
from .components import connected_components
from .schema import STORY_FIELDS, spark_schema

STORIES_JOB = "spark.stories-v1"
_FAR = dt.date.max.isoformat()


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
    meta = [[a.id, a.title, a.published.isoformat() if a.published else None] for a in u.members]
    return (family, _order(u.first, family), json.dumps(list(u.tf.items())), json.dumps(sorted(u.anchors)),
            u.first.isoformat() if u.first else None, u.last.isoformat() if u.last else None, json.dumps(meta),
            C.is_brief(a.text for a in arts))


def stories_spark(spark: Any, articles: Any, families: Any) -> Any:
    """Stories (STORY_FIELDS) of ``articles`` given their ``families`` (FAMILY_FIELDS)."""
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    members = families.select("family", F.posexplode("members").alias("member_pos", "id"))
    joined = members.join(articles.select("id", "title", "text", "published"), "id")
    units = spark.createDataFrame(
        joined.rdd.map(lambda r: (r["family"], r)).groupByKey().map(_unit_row),
        "family string, ord string, tf string, anchors string, first string, last string, members string, "
        "brief boolean",
    ).localCheckpoint()
    n = units.count() or 1

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
    # pos: how many indexed (non-brief) units came before under the key (the embedded index length);
    # briefs are looked up but never indexed (stories.brief-join-v1)
    before = Window.partitionBy("key").orderBy("ord").rowsBetween(Window.unboundedPreceding, -1)
    keyed = feats.select("family", "ord", "brief", F.explode("keys").alias("key")) \
        .withColumn("pos", F.coalesce(F.sum(F.when(F.col("brief"), 0).otherwise(1)).over(before), F.lit(0))) \
        .where(F.col("pos") <= C.MAX_KEY_UNITS)
    cands = keyed.alias("u").join(keyed.alias("v"), "key") \
        .where((F.col("v.ord") < F.col("u.ord")) & ~F.col("v.brief")) \
        .select(F.col("u.family").alias("u"), F.col("v.family").alias("v")).distinct()
    fu = feats.select(*[F.col(c).alias("u_" + c) for c in ("family", "ord", "vec", "aidf", "first")])
    fv = feats.select(*[F.col(c).alias("v_" + c) for c in ("family", "ord", "vec", "aidf", "first")])
    scored_in = cands.join(fu, cands["u"] == fu["u_family"]).join(fv, cands["v"] == fv["v_family"])

    def score(rows: Iterator[Any]) -> Iterator[tuple]:
        for r in rows:
            ua, va, aa = _stub(r, "u_")
            ub, vb, ab = _stub(r, "v_")
            s, ev = C.unit_similarity(ua, va, ub, vb, {**aa, **ab})
            if s > 0:
                yield r["u"], r["v"], r["v_ord"], float(s), json.dumps(ev)

    scored = spark.createDataFrame(scored_in.rdd.mapPartitions(score),
                                   "u string, v string, v_ord string, score double, ev string")
    best = scored.withColumn("rk", F.row_number().over(Window.partitionBy("u").orderBy(F.desc("score"), "v_ord"))) \
        .where((F.col("rk") == 1) & (F.col("score") >= C.JOIN_THRESHOLD)).select("u", "v", "ev").localCheckpoint()
    comp = connected_components(best.select(F.col("u").alias("a"), F.col("v").alias("b")))
    grouped = units.join(comp.select(F.col("node").alias("family"), "root"), "family", "left") \
        .join(best.select(F.col("u").alias("family"), F.col("v").alias("via"), "ev"), "family", "left")
    out = grouped.rdd.map(lambda r: (r["root"] or r["family"], r)).groupByKey().map(_assemble)
    return spark.createDataFrame(out, spark_schema(STORY_FIELDS))


def _stub(r: Any, p: str) -> tuple[Any, dict[str, float], dict[str, float]]:
    """A unit with just what ``unit_similarity`` reads (anchors, first date), its vector and anchor weights."""
    aidf = json.loads(r[p + "aidf"])
    first = dt.date.fromisoformat(r[p + "first"]) if r[p + "first"] else None
    unit = C._Unit(r[p + "family"], [], Counter(), set(aidf), first, first)
    return unit, dict((t, w) for t, w in json.loads(r[p + "vec"])), aidf


def _assemble(kv: tuple[str, Any]) -> tuple:
    """One story from its units, as the embedded ``_story`` builds it."""
    _, rows = kv
    rows = sorted(rows, key=lambda r: r["ord"])
    units, evidence = [], []
    for i, r in enumerate(rows):
        members = [Article(id=m[0], source="", text="", title=m[1],
                           published=dt.date.fromisoformat(m[2]) if m[2] else None) for m in json.loads(r["members"])]
        first = dt.date.fromisoformat(r["first"]) if r["first"] else None
        last = dt.date.fromisoformat(r["last"]) if r["last"] else None
        units.append(C._Unit(r["family"], members, Counter(), set(), first, last))
        mark = {"brief": True} if r["brief"] else {}
        if i == 0 or r["via"] is None:
            evidence.append({"family": r["family"], "started": True, **mark})
        else:
            evidence.append({"family": r["family"], "joined_via": r["via"], **json.loads(r["ev"]), **mark})
    st = C._story({"units": units, "evidence": evidence})
    return (st.id, st.title, st.first_seen.isoformat() if st.first_seen else None,
            st.last_seen.isoformat() if st.last_seen else None, st.articles, st.families, st.algorithm,
            json.dumps(st.evidence))
