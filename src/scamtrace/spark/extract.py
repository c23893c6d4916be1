"""Extraction on Spark (``spark.extract-v2``): entities, figures, dates, quotes and event frames of
every article in the executors, with the embedded extract stage's own per-batch function.

1. **Reference dates** (:func:`reference_dates_spark`): an undated article resolves its relative
   dates against the earliest publication day of a dated link partner, the rule of
   :func:`scamtrace.extract.corpus_dates.reference_dates`, computed here as a join of the links
   with the articles' days and a ``min`` per undated article. So every executor gets the same
   (article, reference day) input as the embedded ``analyze``.
2. **NER once per distinct paragraph** (:func:`unit_entities_spark`, v2): every article is cut
   into the units spaCy parses (:func:`scamtrace.extract.entities.ner_units`, its paragraphs),
   keyed by the digest the embedded ``ner_units`` cache uses (:func:`~scamtrace.extract.entities.unit_key`).
   The (key, paragraph) rows are de-duplicated by key in a shuffle (partial aggregation map-side),
   and each distinct paragraph is parsed once, in the executors, in ``nlp.pipe`` batches of
   :data:`UNIT_CHUNK` (spaCy loaded once per executor Python process, below). Its raw entities are
   joined back to every article that holds it, as one list per article. So NER costs follow the
   distinct paragraphs of the corpus, as in the embedded store, and not the articles: a wire
   story copied by ten sites is parsed once. (v1 parsed each paragraph once per executor process
   that met it.) A unit's entities are the same parsed alone or in any batch, so the records are
   those of v1 and of the embedded ``analyze``. A paragraph whose parse fails is left out and
   parsed again (and fails, one article at a time) in step 3, as embedded.
3. **Extraction** (:func:`extract_spark`): each partition is cut into batches of
   :data:`scamtrace.extract.stage.EXTRACT_BATCH` articles and each batch goes through
   :func:`scamtrace.extract.stage.extract_batch` with its articles' parsed units as ``known``
   (nothing is parsed again there; then the rules and event frames per article): the very function
   ``analyze`` runs in its process pool. spaCy is loaded once per executor Python process:
   ``load_nlp`` caches the pipeline at module level and Spark reuses its Python workers
   (``spark.python.worker.reuse``, on by default). Without spaCy or a model, or with
   ``SCAMTRACE_NO_SPACY`` set, the rule-based recogniser runs, as embedded, and step 2 is skipped.
4. **Tables**: one row per article carries its records as arrays of structs; each extraction
   table (:data:`scamtrace.spark.schema.EXTRACTION_TABLES`) is an ``explode`` of one array in the
   JVM. An article whose extraction fails becomes one reject (stage ``extract``), as embedded.

The corpus-level passes of the extract stage (``apply_repeat_dates``, ``apply_family_wording``)
are not run here: ``import-parquet`` runs them in the store after loading the tables (see the
README, "Spark").
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time
from typing import Any, Iterator

from ..extract.entities import PIPE_BATCH, UnitEnts, _unit_ents, _want_model, load_nlp, ner_units, unit_key
from ..extract.stage import EXTRACT_BATCH, extract_batch
from .readers import article_from_row
from .schema import EXTRACTION_TABLES, REJECT_FIELDS, spark_schema

EXTRACT_JOB = "spark.extract-v2"
#: Seconds of the extraction parts summed over the executors (added to ``_run.json``).
PARTS = ("extract.ner", "extract.rules", "extract.events")
#: Distinct paragraphs handed to one ``nlp.pipe`` call in step 2 (bounds the docs held at once;
#: spaCy batches them by :data:`~scamtrace.extract.entities.PIPE_BATCH` inside).
UNIT_CHUNK = 1024


def _plain(o: Any) -> Any:
    if dataclasses.is_dataclass(o) and not isinstance(o, type):
        return dataclasses.asdict(o)
    return str(o)


def _json(v: Any) -> str:
    """JSON text as the store writes its JSON columns (``store.extracted``)."""
    return json.dumps(v, ensure_ascii=False, default=_plain)


def reference_dates_spark(articles: Any, links: Any) -> Any:
    """(id, ref) for every undated article with a dated link partner: ``ref`` is the earliest
    partner's publication day (ISO), as :func:`scamtrace.extract.corpus_dates.reference_dates`."""
    from pyspark.sql import functions as F

    day = articles.select("id", F.substring("published", 1, 10).alias("day"))
    nonempty = lambda c: F.when(F.col(c) != "", F.col(c))  # noqa: E731
    ends = links.select(F.col("article").alias("x"), F.coalesce(nonempty("source"), nonempty("sibling")).alias("y")) \
        .where(F.col("y").isNotNull())
    both = ends.select(F.col("x").alias("undated"), F.col("y").alias("other")) \
        .union(ends.select(F.col("y").alias("undated"), F.col("x").alias("other")))
    undated = day.where(F.col("day").isNull()).select(F.col("id").alias("undated"))
    dated = day.where(F.col("day").isNotNull()).select(F.col("id").alias("other"), "day")
    return both.join(undated, "undated").join(dated, "other") \
        .groupBy(F.col("undated").alias("id")).agg(F.min("day").alias("ref"))


def _struct_type(fields: tuple[tuple[str, str], ...]) -> str:
    kinds = {"string": "string", "bool": "boolean", "double": "double", "long": "bigint"}
    return "struct<" + ",".join(f"`{n}`:{kinds[k]}" for n, k in fields if n != "article") + ">"


def _records(res: Any) -> dict[str, list[tuple]]:
    """The records of one article's ``ExtractResult`` as tuples of the tables' fields (no ``article``)."""
    ex, events = res.extraction, res.events or []
    out: dict[str, list[tuple]] = {}
    for table, items in (("mentions", ex.mentions), ("figures", ex.figures), ("quotes", ex.quotes),
                         ("date_refs", ex.dates)):
        fields = [(n, k) for n, k in EXTRACTION_TABLES[table] if n not in ("article", "seq")]
        out[table] = [(i, *(_json(x.evidence) if n == "evidence" else _typed(getattr(x, n), k) for n, k in fields))
                      for i, x in enumerate(items)]
    out["events"] = [
        (i, e.id, e.type, e.trigger, e.date, e.date_start, e.date_end, e.date_precision, e.date_source, e.place,
         bool(e.hedged), e.sentence, e.sentence_start, e.sentence_end, _json([dataclasses.asdict(a) for a in e.actors]),
         _json([{"value": f.value, "unit": f.unit, "what": f.what} for f in e.figures]), _json(e.evidence),
         _json(dataclasses.asdict(e)), e.algorithm) for i, e in enumerate(events)]
    return out


def _typed(v: Any, kind: str) -> Any:
    """A record's value as the column kind wants it (Spark checks ``double`` against int)."""
    if v is None:
        return None
    return float(v) if kind == "double" else int(v) if kind == "long" else v


def _unit_rows(rows: Iterator[Any]) -> Iterator[tuple[str, str, str, int]]:
    """(article, unit key, unit text, occurrences in the article) of each distinct unit of each article."""
    for row in rows:
        seen: dict[str, list] = {}
        for _, unit in ner_units(row["text"] or ""):
            k = unit_key(unit)
            if k in seen:
                seen[k][1] += 1
            else:
                seen[k] = [unit, 1]
        for k, (unit, n) in seen.items():
            yield (row["id"], k, unit, n)


def _ents_row(ents: UnitEnts) -> list[tuple[int, int, str, str]]:
    return [(int(s), int(e), str(label), str(ent_id)) for s, e, label, ent_id in ents]


def _parse_units(ner_acc: Any) -> Any:
    """mapPartitions over distinct (key, unit): (key, raw entities) of each unit spaCy parses."""
    def run(rows: Iterator[Any]) -> Iterator[tuple]:
        nlp = load_nlp()   # once per executor Python process (module-level cache)
        if nlp is None:    # no spaCy or model here: the rules run in step 3
            return
        chunk: list[tuple[str, str]] = []

        def flush() -> Iterator[tuple]:
            t = time.perf_counter()
            try:
                parsed = [(k, _unit_ents(d)) for (k, _), d in
                          zip(chunk, nlp.pipe([u for _, u in chunk], batch_size=PIPE_BATCH))]
            except Exception:  # noqa: BLE001 - one unit the model cannot handle: parse one at a time
                parsed = []
                for k, u in chunk:
                    try:
                        parsed.append((k, _unit_ents(nlp(u))))
                    except Exception:  # noqa: BLE001 - left out: its articles parse it (and fail) alone
                        continue
            ner_acc.add(time.perf_counter() - t)
            for k, ents in parsed:
                yield (k, _ents_row(ents))

        for row in rows:
            chunk.append((row["key"], row["unit"]))
            if len(chunk) >= UNIT_CHUNK:
                yield from flush()
                chunk = []
        if chunk:
            yield from flush()

    return run


def unit_entities_spark(spark: Any, articles: Any, ner_acc: Any,
                        counts: dict[str, int] | None = None) -> Any:
    """(id, units): for each article, the raw spaCy entities of each of its distinct units, as
    ``array<struct<key, ents>>``, each distinct unit of the corpus parsed once (step 2 of the module
    doc). ``counts`` receives ``units`` (unit occurrences), ``distinct`` and ``parsed``."""
    from pyspark.sql import functions as F

    occ = spark.createDataFrame(articles.select("id", "text").rdd.mapPartitions(_unit_rows),
                                "article string, key string, unit string, n long").localCheckpoint()
    distinct = occ.select("key", "unit").dropDuplicates(["key"])
    ents = spark.createDataFrame(distinct.rdd.mapPartitions(_parse_units(ner_acc)),
                                 "key string, ents array<struct<s:int,e:int,label:string,id:string>>") \
        .localCheckpoint()
    if counts is not None:
        totals = occ.agg(F.sum("n").alias("units"), F.countDistinct("key").alias("distinct")).first()
        counts.update(units=int(totals["units"] or 0), distinct=int(totals["distinct"] or 0), parsed=ents.count())
    return occ.select(F.col("article").alias("id"), "key").join(ents, "key") \
        .groupBy("id").agg(F.collect_list(F.struct("key", "ents")).alias("units"))


def _known(units: Any) -> dict[str, UnitEnts]:
    """The ``known`` units of one article row (``units`` of :func:`unit_entities_spark`) as ``extract_batch`` takes them."""
    return {u["key"]: tuple((int(x["s"]), int(x["e"]), x["label"], x["id"]) for x in u["ents"])
            for u in units or ()}


def _extract_partition(parts_acc: dict[str, Any], reparsed: Any) -> Any:
    def run(rows: Iterator[Any]) -> Iterator[tuple]:
        batch: list[tuple[Any, dt.date | None]] = []
        known: dict[str, UnitEnts] = {}

        def flush() -> Iterator[tuple]:
            results, parts, fresh, _ = extract_batch(batch, known)
            reparsed.add(len(fresh))   # units step 2 did not give (its parse failed, or no step 2)
            for k, v in parts.items():
                if k in parts_acc:
                    parts_acc[k].add(v)
            for r in results:
                if r.error is not None:
                    yield (r.article, r.source, r.error, [], [], [], [], [])
                    continue
                recs = _records(r)
                yield (r.article, r.source, None, *(recs[t] for t in EXTRACTION_TABLES))

        for row in rows:
            d = row.asDict()
            ref = d.pop("ref", None)
            known.update(_known(d.pop("units", None)))
            batch.append((article_from_row(d), dt.date.fromisoformat(ref) if ref else None))
            if len(batch) >= EXTRACT_BATCH:
                yield from flush()
                batch, known = [], {}
        if batch:
            yield from flush()

    return run


def extract_spark(spark: Any, articles: Any, links: Any, timings: dict[str, float] | None = None,
                  counts: dict[str, int] | None = None) -> tuple[dict[str, Any], Any]:
    """(extraction tables by name, extraction rejects) for the articles DataFrame (ARTICLE_FIELDS)
    and its final links (LINK_FIELDS). Each distinct paragraph is parsed once and each article
    extracted once, in the executors. ``timings`` receives the parts' seconds summed over the
    executors (:data:`PARTS`) and ``extract.units`` (wall seconds of step 2); ``counts`` the unit
    counts of :func:`unit_entities_spark` and ``reparsed``, the units spaCy parsed again in step 3
    (0 unless a parse failed in step 2); no counts with the rule-based recogniser."""
    from pyspark.sql import functions as F

    sc = spark.sparkContext
    acc = {k: sc.accumulator(0.0) for k in PARTS}
    reparsed = sc.accumulator(0)
    refs = reference_dates_spark(articles, links)
    todo = articles.join(refs, "id", "left")
    if _want_model(None):
        t = time.perf_counter()
        units = unit_entities_spark(spark, articles, acc["extract.ner"], counts).localCheckpoint()
        if timings is not None:
            timings["extract.units"] = time.perf_counter() - t
        todo = todo.join(units, "id", "left")
    schema = "article string, source string, error string, " + ", ".join(
        f"{t} array<{_struct_type(f)}>" for t, f in EXTRACTION_TABLES.items())
    per_article = spark.createDataFrame(todo.rdd.mapPartitions(_extract_partition(acc, reparsed)), schema).localCheckpoint()
    tables = {}
    for table, fields in EXTRACTION_TABLES.items():
        tables[table] = per_article.select("article", F.explode(table).alias("r")) \
            .select("article", *[F.col(f"r.`{n}`").alias(n) for n, _ in fields if n != "article"])
    rejects = per_article.where(F.col("error").isNotNull()).select(
        F.col("source"),
        F.concat(F.col("source"), F.lit(": extraction failed ("), F.col("error"),
                 F.lit("); report this article as a bug")).alias("reason"),
        F.lit("extract").alias("stage"), F.col("article").alias("detail"))
    rejects = spark.createDataFrame(rejects.rdd, spark_schema(REJECT_FIELDS))
    if timings is not None:
        timings.update({k: float(a.value) for k, a in acc.items()})
    if counts is not None and "units" in counts:
        counts["reparsed"] = int(reparsed.value)
    return tables, rejects
