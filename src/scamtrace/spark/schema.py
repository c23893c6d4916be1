"""Column layouts of the Spark jobs' inputs and outputs (one source of truth for Spark and import).

Output directory of ``scamtrace spark copies|stories INPUT... OUTPUT``::

    OUTPUT/articles/   the clean articles the job analysed       (ARTICLE_FIELDS)
    OUTPUT/links/      copy links, as `export copies`             (LINK_FIELDS; evidence is a JSON string)
    OUTPUT/families/   copy families, as `export families`        (FAMILY_FIELDS)
    OUTPUT/stories/    stories, as `export stories` (spark stories only; STORY_FIELDS)
    OUTPUT/rejects/    inputs that could not be analysed          (REJECT_FIELDS)
    OUTPUT/_run.json   algorithms, settings and counts of the run

``scamtrace spark analyze`` adds the per-article extraction, one row per record, with the
columns of the store's tables of the same name (``article`` first, ``seq`` the record's place in
its article's list; JSON columns as text):

    OUTPUT/mentions/   entity mentions                            (MENTION_FIELDS)
    OUTPUT/figures/    figures before the corpus passes           (FIGURE_FIELDS; evidence is JSON)
    OUTPUT/quotes/     quotes                                     (QUOTE_FIELDS)
    OUTPUT/date_refs/  resolved date expressions                  (DATE_REF_FIELDS)
    OUTPUT/events/     event frames                               (EVENT_FIELDS; actors, figures,
                                                                   evidence and frame are JSON)

Every table is Parquet. The definitions are plain tuples so that code without pyspark (the
importer, tests) can use them; :func:`spark_schema` turns one into a ``StructType``.
"""
from __future__ import annotations

from typing import Any

#: (name, type) with type one of "string", "bool", "double", "long", "array<string>".
ARTICLE_FIELDS: tuple[tuple[str, str], ...] = (
    ("id", "string"), ("source", "string"), ("url", "string"), ("outlet", "string"), ("title", "string"),
    ("published", "string"), ("byline", "string"), ("dateline", "string"), ("credit", "string"),
    ("contributors", "array<string>"), ("language", "string"), ("truncated", "bool"),
    ("raw_hash", "string"), ("cleaner", "string"), ("text", "string"),
)
LINK_FIELDS: tuple[tuple[str, str], ...] = (
    ("article", "string"), ("source", "string"), ("sibling", "string"), ("family", "string"),
    ("relation", "string"), ("origin_credit", "string"), ("score", "double"), ("algorithm", "string"),
    ("evidence", "string"),
)
FAMILY_FIELDS: tuple[tuple[str, str], ...] = (
    ("family", "string"), ("origin", "string"), ("origin_credit", "string"), ("size", "long"),
    ("members", "array<string>"), ("algorithm", "string"),
)
STORY_FIELDS: tuple[tuple[str, str], ...] = (
    ("story", "string"), ("title", "string"), ("first_seen", "string"), ("last_seen", "string"),
    ("articles", "array<string>"), ("families", "array<string>"), ("algorithm", "string"),
    ("evidence", "string"),
)
#: stage: "read" (the input could not be read: corrupt Parquet, truncated WARC, bad JSON line),
#: "clean" (a record with no usable text, or cleaning failed).
REJECT_FIELDS: tuple[tuple[str, str], ...] = (
    ("source", "string"), ("reason", "string"), ("stage", "string"), ("detail", "string"),
)
MENTION_FIELDS: tuple[tuple[str, str], ...] = (
    ("article", "string"), ("seq", "long"), ("text", "string"), ("label", "string"), ("canonical", "string"),
    ("role", "string"), ("start", "long"), ("end", "long"), ("source", "string"), ("algorithm", "string"),
)
FIGURE_FIELDS: tuple[tuple[str, str], ...] = (
    ("article", "string"), ("seq", "long"), ("value", "double"), ("unit", "string"), ("what", "string"),
    ("action", "string"), ("qualifier", "string"), ("vague_rule", "string"), ("converted_value", "double"),
    ("converted_unit", "string"), ("date", "string"), ("date_precision", "string"), ("place", "string"),
    ("claimant", "string"), ("text", "string"), ("sentence", "string"), ("sentence_start", "long"),
    ("sentence_end", "long"), ("start", "long"), ("end", "long"), ("evidence", "string"), ("algorithm", "string"),
)
QUOTE_FIELDS: tuple[tuple[str, str], ...] = (
    ("article", "string"), ("seq", "long"), ("quote", "string"), ("speaker", "string"), ("role", "string"),
    ("sentence", "string"), ("start", "long"), ("end", "long"), ("attribution", "string"), ("algorithm", "string"),
)
DATE_REF_FIELDS: tuple[tuple[str, str], ...] = (
    ("article", "string"), ("seq", "long"), ("text", "string"), ("start", "long"), ("end", "long"),
    ("iso_start", "string"), ("iso_end", "string"), ("precision", "string"), ("rule", "string"),
    ("algorithm", "string"),
)
EVENT_FIELDS: tuple[tuple[str, str], ...] = (
    ("article", "string"), ("seq", "long"), ("id", "string"), ("type", "string"), ("trigger", "string"),
    ("date", "string"), ("date_start", "string"), ("date_end", "string"), ("date_precision", "string"),
    ("date_source", "string"), ("place", "string"), ("hedged", "bool"), ("sentence", "string"),
    ("sentence_start", "long"), ("sentence_end", "long"), ("actors", "string"), ("figures", "string"),
    ("evidence", "string"), ("frame", "string"), ("algorithm", "string"),
)
#: The extraction tables of ``spark analyze``, in the order the importer loads them.
EXTRACTION_TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "mentions": MENTION_FIELDS, "figures": FIGURE_FIELDS, "quotes": QUOTE_FIELDS, "date_refs": DATE_REF_FIELDS,
    "events": EVENT_FIELDS,
}
TABLES = ("articles", "links", "families", "stories", "rejects", *EXTRACTION_TABLES)
RUN_FILE = "_run.json"


def spark_schema(fields: tuple[tuple[str, str], ...]) -> Any:
    """The pyspark ``StructType`` of a field list (imports pyspark)."""
    from pyspark.sql import types as T

    kinds = {"string": T.StringType(), "bool": T.BooleanType(), "double": T.DoubleType(),
             "long": T.LongType(), "array<string>": T.ArrayType(T.StringType())}
    return T.StructType([T.StructField(name, kinds[kind], True) for name, kind in fields])
