"""The copies engine on Spark (``spark.copies-v1``): same candidates, links and families as the
embedded :func:`scamtrace.copies.engine.find_copies` over a :class:`~scamtrace.copies.index.CandidateIndex`.

Stages (each a Spark shuffle; nothing of the corpus is collected to the driver):

1. **Spin model.** One pass over the texts gives each article's rule hits
   (:func:`scamtrace.copies.spin.rule_hits`) and content-word pairs (``CollocationModel.pairs_of``);
   the pairs are counted by document frequency, the per-head table (vocabulary-sized) is broadcast,
   and a pair counted once carries its only article's id, so no join finds the rare pairs. A
   text-free pass judges them (:func:`~scamtrace.copies.spin.judge_collocations`) and adds them with
   :func:`~scamtrace.copies.spin.score_from`, as the embedded ``spin_score`` does.
2. **Signatures** (``copies.signatures-v1``) per partition with ``signature_batch``; one row per
   (index, hash, article). This is the banding step of LSH done as a shuffle: a group by hash.
3. **Candidates** (``copies.candidates-v1`` rules): document frequency per hash, the same caps,
   minimum shared hashes, fact weights and containment estimate
   (:func:`scamtrace.copies.index.containment_score`), at most ``MAX_CANDIDATES`` per article and
   index (best first; ties by article id, the embedded insertion order of a full run), and the
   cross-language channel (``copies.crosslang-v1``: one organisation, different languages).
4. **Classification** of every candidate pair in the executors (``classify_pair``).
5. **Families**: connected components of the merging links (:mod:`.components`), then per
   component, in one executor, the embedded code: ``reduce_core``, ``links_to_origins`` and
   ``build_families``; excerpt links are reduced per quoted family (``reduce_excerpts`` logic).
   Before it, the outlet roles over the corpus (``copies.reduce-v4``) are counted by a group-by per
   outlet (:func:`outlet_roles`); that outlet-sized table goes to the executors with the settle step.

Human judgements are not applied here: import the result (``scamtrace import-parquet``) and
record them in the store, where ``analyze`` applies them.
"""
from __future__ import annotations

import logging
import time
from typing import Any, Iterable, Iterator, Sequence

import numpy as np

from ..copies.classify import classify_pair
from ..copies.crosslang import organisation
from ..copies.direction import SPIN_VOTES_RELATIONS
from ..copies.features import Pair
from ..copies.engine import ENGINE_ALGORITHM, _expand, links_to_origins
from ..copies.families import (FAMILIES_ALGORITHM, NON_MERGING, ROLE_EVIDENCE, OutletRoles, build_families,
                               normal_outlet, other_end, pick_excerpt, reduce_core)
from ..copies.index import (CANDIDATES_ALGORITHM, DF_CAP, INDEX_NAMES, MAX_CANDIDATES, MIN_SCORE, MIN_SHARED,
                            containment_score, fact_weights)
from ..copies.signatures import SIGNATURES_ALGORITHM, signature_batch, to_signed
from ..copies.storyctx import STORYCTX_ENV
from ..copies.storyctx import enabled as storyctx_enabled
from ..copies.spin import (COLLOCATION_MIN_DOCS, SPIN_ALGORITHM, CollocationModel, judge_collocations, rule_hits,
                           score_from, usage_keys)
from ..model import Article, Link
from .components import COMPONENTS_ALGORITHM, connected_components
from .readers import article_from_row
from .rows import family_row, link_from_json, link_row, link_to_json
from .schema import FAMILY_FIELDS, LINK_FIELDS, spark_schema

log = logging.getLogger(__name__)

COPIES_JOB = "spark.copies-v1"
#: Articles signed per vectorised ``signature_batch`` call inside a partition.
SIGN_BATCH = 500


# --------------------------------------------------------------------------- 1. spin

def spin_scores(spark: Any, articles: Any) -> Any:
    """(id, spin) for every article: ``copies.spun-v2`` with the corpus collocation model."""
    return spin_model(spark, articles)[0]


def spin_model(spark: Any, articles: Any) -> tuple[Any, Any]:
    """(spins, pair frequencies): the (id, spin) DataFrame of :func:`spin_scores`, and the (h, p, n) document
    frequencies of content-word pairs (None below ``COLLOCATION_MIN_DOCS`` articles), which the usage votes
    of the direction read (:func:`revote_pairs`).

    One Python pass over the texts gives each article's rule hits, word count and collocation pairs;
    the pairs are counted in the JVM, where a pair seen once also names its only article (no join);
    a second, text-free Python pass judges those rare pairs and combines the two parts with
    :func:`~scamtrace.copies.spin.score_from`, exactly as :func:`~scamtrace.copies.spin.spin_score`.
    """
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    use_model = articles.count() >= COLLOCATION_MIN_DOCS

    def first_pass(r: Any) -> tuple[str, float, int, list[tuple[str, str]]]:
        text = r["text"] or ""
        total, n_words, _ = rule_hits(text)
        # the pairs travel as one array per article: Python hands the JVM 1 row, not ~400
        pairs = sorted(CollocationModel.pairs_of(text)) if use_model else []
        return r["id"], total, n_words, pairs

    base = spark.createDataFrame(
        articles.select("id", "text").rdd.map(first_pass),
        "id string, total double, words long, pairs array<struct<h:string,p:string>>").localCheckpoint()
    if use_model:
        df = base.select("id", F.explode("pairs").alias("x")).groupBy("x.h", "x.p") \
            .agg(F.count("*").alias("n"), F.min("id").alias("only"))
        df = df.localCheckpoint()
        # per head: best partner (highest df, then alphabetical), its df, total df
        ranked = df.withColumn("rk", F.row_number().over(
            Window.partitionBy("h").orderBy(F.desc("n"), "p")))
        heads_df = ranked.groupBy("h").agg(F.sum("n").alias("total"),
                                           F.max(F.when(F.col("rk") == 1, F.struct("p", "n"))).alias("best"))
        heads = {r["h"]: (r["best"]["p"], int(r["best"]["n"]), int(r["total"])) for r in heads_df.toLocalIterator()}
        # a pair in one article only: its df is 1 and min(id) is that article
        rare = df.where(F.col("n") == 1).groupBy(F.col("only").alias("id")) \
            .agg(F.collect_list(F.struct("h", "p")).alias("rare"))
    else:
        heads = {}
        df = None
        rare = spark.createDataFrame([], "id string, rare array<struct<h:string,p:string>>")
    bheads = spark.sparkContext.broadcast(heads)

    def score(rows: Iterator[Any]) -> Iterator[tuple[str, float]]:
        for r in rows:
            learned = judge_collocations([(x["h"], x["p"]) for x in (r["rare"] or [])], bheads.value) if use_model else []
            yield r["id"], float(score_from(r["total"], r["words"], learned)[0])

    joined = base.select("id", "total", "words").join(rare, "id", "left")
    return spark.createDataFrame(joined.rdd.mapPartitions(score), "id string, spin double"), df


# --------------------------------------------------------------------------- 2-3. candidates

def _sign(rows: Iterator[Any]) -> Iterator[tuple[str, str, list[int], int]]:
    """(index name, article id, its signed hashes, signature size) per article and index of a
    partition (hashes as one array: the JVM explodes them, far cheaper than one Python row each)."""
    batch: list[tuple[str, str]] = []

    def flush() -> Iterator[tuple[str, str, list[int], int]]:
        sig = signature_batch([t for _, t in batch])
        for name in INDEX_NAMES:
            h, offs = sig.parts[name]
            hs = to_signed(h).tolist()
            for i, (aid, _) in enumerate(batch):
                lo, hi = int(offs[i]), int(offs[i + 1])
                yield name, aid, hs[lo:hi], hi - lo

    for r in rows:
        batch.append((r["id"], r["text"] or ""))
        if len(batch) >= SIGN_BATCH:
            yield from flush()
            batch = []
    if batch:
        yield from flush()


def candidate_pairs(spark: Any, articles: Any) -> Any:
    """Distinct candidate pairs (a, b) with a < b, as a full CandidateIndex run over ``articles`` finds."""
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    signed = spark.createDataFrame(articles.select("id", "text").rdd.mapPartitions(_sign),
                                   "name string, id string, hs array<long>, len long")
    sig = signed.select("name", "id", F.explode("hs").alias("h"), "len")
    lens = signed.select("name", "id", "len")
    df = sig.groupBy("name", "h").agg(F.count("*").alias("df"))
    cap = F.create_map(*[x for n in INDEX_NAMES for x in (F.lit(n), F.lit(DF_CAP[n]))])
    rows = sig.select("name", "id", "h").join(df, ["name", "h"]).withColumn("cap", cap[F.col("name")])
    # weight of a fact hash by its df: CandidateIndex's own table (index = df <= cap)
    cap_f = DF_CAP["facts"]
    wtab = F.array(*[F.lit(float(w)) for w in fact_weights(cap_f).tolist()])
    rows = rows.withColumn("w", F.when(F.col("name") == "facts",
                                       F.element_at(wtab, F.least(F.col("df"), F.lit(cap_f)).cast("int") + 1))
                           .otherwise(F.lit(1.0)))
    usable = rows.where(F.col("df") <= F.col("cap")).localCheckpoint()
    per_doc = usable.groupBy("name", "id").agg(F.count("*").alias("n_q"), F.sum("w").alias("w_q")) \
        .join(lens, ["name", "id"], "right").fillna({"n_q": 0, "w_q": 0.0})
    pairing = usable.where(F.col("df") >= 2).select("name", "h", "id", "w")
    shared = pairing.alias("x").join(pairing.alias("y"), ["name", "h"]) \
        .where(F.col("x.id") < F.col("y.id")) \
        .groupBy("name", F.col("x.id").alias("a"), F.col("y.id").alias("b")) \
        .agg(F.count("*").alias("shared"), F.sum("x.w").alias("shared_w"))
    min_shared = F.create_map(*[x for n in INDEX_NAMES for x in (F.lit(n), F.lit(MIN_SHARED[n]))])
    shared = shared.where(F.col("shared") >= min_shared[F.col("name")])
    both = shared.select("name", F.col("a").alias("q"), F.col("b").alias("o"), "shared", "shared_w") \
        .union(shared.select("name", F.col("b").alias("q"), F.col("a").alias("o"), "shared", "shared_w"))
    pq = per_doc.select("name", F.col("id").alias("q"), "n_q", "w_q", F.col("len").alias("len_q"))
    po = per_doc.select("name", F.col("id").alias("o"), F.col("len").alias("len_o"))
    scored_in = both.join(pq, ["name", "q"]).join(po, ["name", "o"])

    def score(rows: Iterator[Any]) -> Iterator[tuple[str, str, str, float]]:
        chunk: list[Any] = []

        def flush() -> Iterator[tuple[str, str, str, float]]:
            by_name: dict[str, list[Any]] = {}
            for r in chunk:
                by_name.setdefault(r["name"], []).append(r)
            for name, rs in by_name.items():
                col = lambda k, t=float, rs=rs: np.array([t(r[k]) for r in rs])  # noqa: E731
                s = containment_score(name, col("shared"), col("shared_w"), col("n_q"), col("w_q"),
                                      col("len_q"), col("len_o"))
                for r, v in zip(rs, s.tolist()):
                    if v >= MIN_SCORE[name]:
                        yield name, r["q"], r["o"], float(v)

        for r in rows:
            chunk.append(r)
            if len(chunk) >= 20000:
                yield from flush()
                chunk = []
        if chunk:
            yield from flush()

    scored = spark.createDataFrame(scored_in.rdd.mapPartitions(score), "name string, q string, o string, score double")
    top = scored.withColumn("rk", F.row_number().over(
        Window.partitionBy("name", "q").orderBy(F.desc("score"), F.col("o")))).where(F.col("rk") <= MAX_CANDIDATES)
    indexed = top.select(F.least("q", "o").alias("a"), F.greatest("q", "o").alias("b"))
    return indexed.union(crosslang_candidates(spark, articles)).distinct()


def crosslang_candidates(spark: Any, articles: Any) -> Any:
    """(a, b) pairs, a < b, of the cross-language channel (``copies.crosslang-v1``): articles of one
    organisation in different known languages, as :func:`~scamtrace.copies.crosslang.crosslang_pairs`."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType

    org = F.udf(organisation, StringType())
    keyed = articles.where(F.col("language").isNotNull() & (F.col("language") != "")) \
        .select("id", "language", org(F.col("outlet")).alias("org")).where(F.col("org").isNotNull())
    x, y = keyed.alias("x"), keyed.alias("y")
    return x.join(y, F.col("x.org") == F.col("y.org")) \
        .where((F.col("x.id") < F.col("y.id")) & (F.col("x.language") != F.col("y.language"))) \
        .select(F.col("x.id").alias("a"), F.col("y.id").alias("b"))


# --------------------------------------------------------------------------- 4. classification

def _pair_rows(articles: Any, spins: Any, pairs: Any) -> Any:
    """``pairs`` (a, b) joined with both articles' columns (prefixed a_ and b_) and spin scores."""
    full = articles.join(spins.select("id", "spin"), "id")
    cols = [c for c in full.columns]
    a = full.select(*[full[c].alias("a_" + c) for c in cols])
    b = full.select(*[full[c].alias("b_" + c) for c in cols])
    return pairs.join(a, pairs["a"] == a["a_id"]).join(b, pairs["b"] == b["b_id"])


def _row_articles(r: Any) -> tuple[Article, Article, dict[str, Any]]:
    d = r.asDict()
    x = article_from_row({k[2:]: v for k, v in d.items() if k.startswith("a_")})
    y = article_from_row({k[2:]: v for k, v in d.items() if k.startswith("b_")})
    return x, y, d


def classify_pairs(spark: Any, articles: Any, spins: Any, pairs: Any, usage: Any = None) -> Any:
    """(article, other, json) rows: every link (expanded) that classification finds among ``pairs``;
    ``usage``: a broadcast of word-pair frequencies for the usage votes (:func:`revote_pairs`), or None."""
    joined = _pair_rows(articles, spins, pairs)

    def run(rows: Iterator[Any]) -> Iterator[tuple[str, str, str, bool]]:
        for r in rows:
            x, y, d = _row_articles(r)
            link = classify_pair(x, y, spin_a=d["a_spin"], spin_b=d["b_spin"],
                                 usage=usage.value if usage is not None else None)
            if link is None:
                continue
            for ln in _expand(link):
                yield ln.article, other_end(ln) or "", link_to_json(ln), ln.relation not in NON_MERGING

    return spark.createDataFrame(joined.rdd.mapPartitions(run), "article string, other string, link string, merging boolean")


def revote_pairs(spark: Any, articles: Any, spins: Any, links: Any, pair_df: Any) -> Any:
    """The links again, those of spun and verbatim pairs classified with the corpus's word-pair frequencies
    (``copies.direction-v9`` usage votes), as the embedded engine classifies every candidate pair with
    ``CollocationModel.df``. Only the frequencies of the word pairs that those pairs' substitution sites
    make (:func:`~scamtrace.copies.spin.usage_keys`) reach the driver and the executors."""
    from pyspark.sql import functions as F

    rel = F.get_json_object("link", "$.evidence.pair_relation")
    voted = links.where(rel.isin(list(SPIN_VOTES_RELATIONS))).select(
        F.get_json_object("link", "$.evidence.pair[0]").alias("a"),
        F.get_json_object("link", "$.evidence.pair[1]").alias("b")).distinct()

    def keys_of(rows: Iterator[Any]) -> Iterator[tuple[str, str, str, str]]:
        for r in rows:
            x, y, _ = _row_articles(r)
            p = Pair(x, y)
            for h, q in sorted(usage_keys([t.norm for t in p.a.toks], p.spun.sites_a)):
                yield x.id, y.id, h, q

    keys = spark.createDataFrame(_pair_rows(articles, spins, voted).rdd.mapPartitions(keys_of),
                                 "a string, b string, h string, p string").localCheckpoint()
    need = keys.select("h", "p").distinct().join(pair_df.select("h", "p", "n"), ["h", "p"])
    usage = spark.sparkContext.broadcast({(r["h"], r["p"]): int(r["n"]) for r in need.toLocalIterator()})
    again = keys.select("a", "b").distinct()
    relinked = classify_pairs(spark, articles, spins, again, usage)
    keyed = links.withColumn("a", F.least("article", "other")).withColumn("b", F.greatest("article", "other"))
    kept = keyed.join(again, ["a", "b"], "left_anti").select("article", "other", "link", "merging")
    return kept.union(relinked)


# --------------------------------------------------------------------------- 5. families

def outlet_roles(articles: Any, links: Any) -> OutletRoles:
    """The outlet roles over every classified link (``copies.reduce-v4``, as the embedded
    :func:`~scamtrace.copies.families.learn_outlet_roles`): texts that are sources / copies of merging
    links ordered by ``ROLE_EVIDENCE``, counted per outlet by a group-by; only the outlet-sized table
    reaches the driver."""
    from pyspark.sql import functions as F

    j = links.where("merging").select(
        F.get_json_object("link", "$.article").alias("copy"),
        F.get_json_object("link", "$.source").alias("source"),
        F.get_json_object("link", "$.evidence.direction.decided_by").alias("by"))
    j = j.where(F.col("source").isNotNull() & F.col("by").isin(sorted(ROLE_EVIDENCE)))
    texts = j.select(F.col("source").alias("id"), F.lit("source").alias("role")) \
        .union(j.select(F.col("copy").alias("id"), F.lit("copy").alias("role"))).distinct()
    counted = texts.join(articles.select("id", "outlet"), "id").groupBy("outlet", "role").count().collect()
    roles = OutletRoles()
    for r in counted:
        key = normal_outlet(r["outlet"])
        if key:
            table = roles.sources if r["role"] == "source" else roles.copies
            table[key] = table.get(key, 0) + int(r["count"])
    return roles


def settle_component(arts: Sequence[Article], core: Sequence[Link], pairs: Iterable[tuple[str, str]],
                     spins: dict[str, float], roles: OutletRoles | None = None,
                     ) -> tuple[list[Link], list[Link], list[Any], str | None]:
    """One connected component, as the embedded engine treats it: (kept merging links, new excerpt
    links to the origin, families, origin of the component).

    ``core``: the component's merging links (expanded); ``pairs``: candidate pairs inside it
    (already compared, so not classified again by ``links_to_origins``); ``roles``: the outlet roles
    over the whole corpus (:func:`outlet_roles`).
    """
    by_id = {a.id: a for a in arts}
    kept, root_of, origin_of = reduce_core(by_id, core, roles)
    compared = {frozenset(p) for p in pairs}

    def classify(x: str, y: str) -> Link | None:
        return classify_pair(by_id[x], by_id[y], spin_a=spins[x], spin_b=spins[y])

    extra = links_to_origins(by_id, kept, compared, classify)
    extra_core = [l for l in extra if l.relation not in NON_MERGING]
    extra_excerpt = [l for l in extra if l.relation in NON_MERGING]
    if extra_core:
        kept, root_of, origin_of = reduce_core(by_id, list(core) + extra_core, roles)
    families = build_families(by_id, kept)
    root = min(by_id)
    return kept, extra_excerpt, families, origin_of.get(root_of.get(root, root))


def find_copies_spark(spark: Any, articles: Any, timings: dict[str, float] | None = None) -> tuple[Any, Any, Any]:
    """(links, families, spins) DataFrames for the articles DataFrame (ARTICLE_FIELDS columns)."""
    from pyspark.sql import functions as F

    t = timings if timings is not None else {}
    if storyctx_enabled():
        log.warning("%s is on, but the Spark job gives classify_pair no story context: its links are the rules' "
                    "(copies.storyctx-v2 runs in the embedded engine only)", STORYCTX_ENV)
    articles = articles.repartition("id").localCheckpoint()
    t0 = time.perf_counter()
    spins, pair_df = spin_model(spark, articles)
    spins = spins.localCheckpoint()
    t["spin"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    pairs = candidate_pairs(spark, articles).localCheckpoint()
    t["candidates"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    links = classify_pairs(spark, articles, spins, pairs)
    if pair_df is not None:
        links = revote_pairs(spark, articles, spins, links.localCheckpoint(), pair_df)
    links = links.localCheckpoint()
    t["classify"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    edges = links.where("merging").select(F.col("article").alias("a"), F.col("other").alias("b"))
    comp = connected_components(edges).localCheckpoint()
    t["components"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    roles = outlet_roles(articles, links)
    families_rdd, kept_rdd, origin_rdd = _settle_all(spark, articles, spins, pairs, links, comp, roles)
    fam_schema = spark_schema(FAMILY_FIELDS)
    families = spark.createDataFrame(families_rdd, fam_schema).localCheckpoint()
    origins = spark.createDataFrame(origin_rdd, "root string, origin string")
    kept = spark.createDataFrame(kept_rdd, "article string, link string, merging boolean").localCheckpoint()

    # excerpts: one per (article, quoted family), preferring that family's origin
    excerpts = links.where(~F.col("merging")).select("article", "link") \
        .union(kept.where(~F.col("merging")).select("article", "link"))
    ex = excerpts.select("link") \
        .withColumn("source", F.get_json_object("link", "$.source")).where(F.col("source").isNotNull())
    ex = ex.join(comp.select(F.col("node").alias("source"), "root"), "source", "left") \
        .withColumn("root", F.coalesce("root", "source")) \
        .join(origins, "root", "left")
    ex = ex.withColumn("article", F.get_json_object("link", "$.article"))
    picked = ex.rdd.map(lambda r: ((r["article"], r["root"]), (r["link"], r["origin"]))) \
        .groupByKey().map(_pick_excerpt_group)
    excerpt_links = spark.createDataFrame(picked, "article string, link string")
    merged = kept.where("merging").select("article", "link").union(excerpt_links)
    # every link carries its article's family and origin credit
    fam_of = families.select("family", "origin_credit", F.explode("members").alias("article"))
    final = merged.join(fam_of, "article").rdd.map(_finish_link)
    links_out = spark.createDataFrame(final, spark_schema(LINK_FIELDS))
    t["families"] = time.perf_counter() - t0
    return links_out, families, spins


def _pick_excerpt_group(kv: tuple[Any, Iterable[tuple[str, str | None]]]) -> tuple[str, str]:
    """The excerpt link kept for one (article, quoted family) group of (link json, family origin):
    (article, link json)."""
    (article, _root), items = kv
    items = list(items)
    return article, link_to_json(pick_excerpt([link_from_json(x) for x, _ in items], items[0][1]))


def _finish_link(r: Any) -> tuple:
    ln = link_from_json(r["link"])
    ln.family, ln.origin_credit = r["family"], r["origin_credit"]
    return link_row(ln)


def _settle_all(spark: Any, articles: Any, spins: Any, pairs: Any, links: Any, comp: Any,
                roles: OutletRoles | None = None) -> tuple[Any, Any, Any]:
    """Per component (RDD cogroup by root): families, kept links, origins; singletons directly."""
    from pyspark.sql import functions as F

    arts = articles.join(spins.select("id", "spin"), "id").join(
        comp.select(F.col("node").alias("id"), "root"), "id", "left")
    art_kv = arts.rdd.map(lambda r: (r["root"] or r["id"], r))
    link_kv = links.where("merging").join(comp.select(F.col("node").alias("article"), "root"), "article") \
        .rdd.map(lambda r: (r["root"], r["link"]))
    ca = comp.select(F.col("node").alias("a"), F.col("root").alias("ra"))
    cb = comp.select(F.col("node").alias("b"), F.col("root").alias("rb"))
    pair_kv = pairs.join(ca, "a").join(cb, "b").where(F.col("ra") == F.col("rb")) \
        .rdd.map(lambda r: (r["ra"], (r["a"], r["b"])))
    grouped = art_kv.cogroup(link_kv).cogroup(pair_kv)

    def settle(kv: tuple[str, Any]) -> list[tuple[str, Any]]:
        root, (first, pair_list) = kv
        first = list(first)
        if not first:    # pairs of a component whose articles are missing: cannot happen
            return []
        art_rows, link_texts = first[0]
        rows = list(art_rows)
        arts_ = [article_from_row(r) for r in rows]
        spins_ = {r["id"]: r["spin"] for r in rows}
        core = [link_from_json(x) for x in link_texts]
        out: list[tuple[str, Any]] = []
        if not core:
            for fam in build_families(arts_, []):
                out.append(("family", family_row(fam)))
                out.append(("origin", (fam.members[0], fam.origin)))
            return out
        kept, extra_ex, fams, origin = settle_component(arts_, core, list(pair_list), spins_, roles)
        for fam in fams:
            out.append(("family", family_row(fam)))
        out.append(("origin", (root, origin)))
        for ln in kept:
            out.append(("link", (ln.article, link_to_json(ln), True)))
        for ln in extra_ex:
            out.append(("link", (ln.article, link_to_json(ln), False)))
        return out

    settled = grouped.flatMap(settle).persist()
    fams = settled.filter(lambda x: x[0] == "family").map(lambda x: x[1])
    kept = settled.filter(lambda x: x[0] == "link").map(lambda x: x[1])
    origins = settled.filter(lambda x: x[0] == "origin").map(lambda x: x[1])
    return fams, kept, origins


def run_info(counts: dict[str, int], timings: dict[str, float]) -> dict[str, Any]:
    """The ``_run.json`` content: algorithms, thresholds, counts and stage times."""
    return {"job": COPIES_JOB, "algorithms": {
        "engine": ENGINE_ALGORITHM, "candidates": CANDIDATES_ALGORITHM, "signatures": SIGNATURES_ALGORITHM,
        "spin": SPIN_ALGORITHM, "families": FAMILIES_ALGORITHM, "components": COMPONENTS_ALGORITHM},
        "thresholds": {"df_cap": DF_CAP, "min_shared": MIN_SHARED, "min_score": MIN_SCORE,
                       "max_candidates": MAX_CANDIDATES},
        "counts": counts, "seconds": {k: round(v, 3) for k, v in timings.items()}}
