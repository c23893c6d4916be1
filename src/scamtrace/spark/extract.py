"""Extraction on Spark (``spark.extract-v1``): entities, figures, dates, quotes and event frames of
every article in the executors, with the embedded extract stage's own per-batch function.

1. **Reference dates** (:func:`reference_dates_spark`): an undated article resolves its relative
   dates against the earliest publication day of a dated link partner, the rule of
   :func:`scamtrace.extract.corpus_dates.reference_dates`, computed here as a join of the links
   with the articles' days and a ``min`` per undated article. So every executor gets the same
   (article, reference day) input as the embedded ``analyze``.
2. **Extraction** (:func:`extract_spark`): each partition is cut into batches of
   :data:`scamtrace.extract.stage.EXTRACT_BATCH` articles and each batch goes through
   :func:`scamtrace.extract.stage.extract_batch` (one spaCy ``nlp.pipe`` call, then the rules and
   event frames per article): the very function ``analyze`` runs in its process pool (each
   executor process parses a paragraph once, as a pool worker does; units are not shared between
   executors, which changes nothing but the time). spaCy is
   loaded once per executor Python process: ``load_nlp`` caches the pipeline at module level and
   Spark reuses its Python workers (``spark.python.worker.reuse``, on by default). Without spaCy
   or a model, or with ``SCAMTRACE_NO_SPACY`` set, the rule-based recogniser runs, as embedded.
3. **Tables**: one row per article carries its records as arrays of structs; each extraction
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
from typing import Any, Iterator

from ..extract.stage import EXTRACT_BATCH, extract_batch
from .readers import article_from_row
from .schema import EXTRACTION_TABLES, REJECT_FIELDS, spark_schema

EXTRACT_JOB = "spark.extract-v1"
#: Seconds of the extraction parts summed over the executors (added to ``_run.json``).
PARTS = ("extract.ner", "extract.rules", "extract.events")


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


def _extract_partition(parts_acc: dict[str, Any]) -> Any:
    def run(rows: Iterator[Any]) -> Iterator[tuple]:
        batch: list[tuple[Any, dt.date | None]] = []

        def flush() -> Iterator[tuple]:
            results, parts = extract_batch(batch)[:2]   # the units it parsed stay in this executor's cache
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
            batch.append((article_from_row(d), dt.date.fromisoformat(ref) if ref else None))
            if len(batch) >= EXTRACT_BATCH:
                yield from flush()
                batch = []
        if batch:
            yield from flush()

    return run


def extract_spark(spark: Any, articles: Any, links: Any,
                  timings: dict[str, float] | None = None) -> tuple[dict[str, Any], Any]:
    """(extraction tables by name, extraction rejects) for the articles DataFrame (ARTICLE_FIELDS)
    and its final links (LINK_FIELDS). Each article is extracted once, in the executors."""
    from pyspark.sql import functions as F

    sc = spark.sparkContext
    acc = {k: sc.accumulator(0.0) for k in PARTS}
    refs = reference_dates_spark(articles, links)
    todo = articles.join(refs, "id", "left")
    schema = "article string, source string, error string, " + ", ".join(
        f"{t} array<{_struct_type(f)}>" for t, f in EXTRACTION_TABLES.items())
    per_article = spark.createDataFrame(todo.rdd.mapPartitions(_extract_partition(acc)), schema).localCheckpoint()
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
    return tables, rejects
