"""Spark input readers: JSONL, JSON, Parquet and WARC paths -> (articles, rejects) DataFrames.

Algorithm ``spark.readers-v2`` (v1 -> v2: a clean article's date is read from the same field names as
``ingest.records-v2``, :data:`~scamtrace.ingest.jsonl.DATE_FIELDS`; v1 read only ``published``):

1. **Listing (driver).** Every input is a path, glob or directory on any Hadoop-compatible file
   system; it is expanded with Hadoop's ``FileSystem.globStatus`` and, for directories, a recursive
   ``listFiles`` that skips hidden entries (names starting with ``_`` or ``.``: Spark's
   ``_SUCCESS``, ``_temporary/``, ``.crc`` files). Only names and sizes reach the driver. Each file
   gets a kind from its name (:data:`SUFFIX_KINDS`; every file under a directory named
   ``*.parquet`` is Parquet). A path that matches nothing, a file of another kind, a file too big
   for one Java byte array (:data:`MAX_FILE_BYTES`) and a name Hadoop would read as a glob become
   one reject each (stage ``read``).
2. **Parsing (executors).** The readable files are read with ``SparkContext.binaryFiles`` (one
   file per record) and parsed in ``flatMap``:

   * JSON Lines (``.jsonl``, ``.ndjson``, gzip-compressed too): one JSON object per line, with
     the embedded reader's line handling (BOM, over-long lines, lenient decoding); ``.json`` is
     read as one JSON document (object or array) and, when that fails, as JSON Lines.
   * Parquet: the file's bytes are opened with **pyarrow** in the executor and read row group by
     row group. This is the choice for corrupt files: an unreadable footer (truncated file,
     garbage named ``.parquet``) is one reject naming the file, damage in a later row group keeps
     the rows before it, and no footer pre-pass runs on the driver (Spark's own Parquet reader
     fails the whole job on a corrupt file unless ``ignoreCorruptFiles`` is set, and then drops
     the file silently). Columns are the same as JSONL records; partition columns encoded in
     directory names (``key=value/``) are not read.
   * WARC (``.warc``, ``.warc.gz``): :func:`scamtrace.ingest.warc.iter_warc_stream`, the
     embedded reader; a damaged archive keeps its readable captures and adds one reject.

   A record with ``id`` and ``text`` and no ``html`` (the columns of ``scamtrace export
   articles``, or this module's own output) is a **clean article** taken as it is; any other
   record is a raw document (``ingest.records-v2``'s :func:`record_to_doc`).
3. **Cleaning (executors).** Raw documents are repartitioned (a big WARC is not cleaned in one
   task) and cleaned with :func:`scamtrace.clean.stage.clean_raw` (stable ids). Spark cleaning
   uses no learned per-outlet boilerplate model (the embedded store learns it across runs).
4. **One article per id.** Articles with the same id keep the first by (file, position in the
   file); a dropped duplicate whose raw hash differs from the kept one is a reject (stage
   ``store``), as the embedded store records an id conflict. Exact duplicates are dropped quietly.

Limits: each JSON/Parquet/WARC file is read into one executor's memory at once (split huge files).
"""
from __future__ import annotations

import datetime as dt
import gzip
import io
import logging
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import InputError, InvalidRequest
from ..ingest.date_fields import parse_date
from ..ingest.ids import content_hash
from ..ingest.jsonl import _parse_line, date_field_of, jsonl_objects, record_to_doc
from ..model import Article, RawDoc, Reject
from ..settings import Settings
from .schema import ARTICLE_FIELDS, REJECT_FIELDS
from ..ingest.warc import iter_warc_stream
from ..clean.stage import clean_raw

if TYPE_CHECKING:   # pragma: no cover
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["READER", "InputFile", "article_from_row", "article_row", "clean_record_article", "file_items",
           "is_clean_record", "kind_of", "list_inputs", "read_articles", "reject_row"]

log = logging.getLogger(__name__)

READER = "spark.readers-v2"

#: File name endings and the kind of content they hold (longest endings first).
SUFFIX_KINDS: tuple[tuple[str, str], ...] = (
    (".warc.gz", "warc"), (".warc", "warc"),
    (".jsonl.gz", "jsonl"), (".jsonl", "jsonl"), (".ndjson.gz", "jsonl"), (".ndjson", "jsonl"),
    (".json.gz", "json"), (".json", "json"),
    (".parquet", "parquet"),
)
ACCEPTED = ("JSON Lines (.jsonl, .ndjson, optionally .gz), JSON (.json, .json.gz), Parquet (.parquet) "
            "and WARC (.warc, .warc.gz)")
#: ``binaryFiles`` reads one file into one Java byte array, which holds at most 2**31 - 1 bytes
#: (less a few bytes of header on common JVMs).
MAX_FILE_BYTES = 2**31 - 16
#: Characters Hadoop reads as glob syntax or a path separator in ``binaryFiles``' path list.
_GLOB_CHARS = frozenset(",{}[]*?\\")
#: Rows per batch when reading a Parquet file with pyarrow (bounds executor memory per batch).
PARQUET_BATCH_ROWS = 1024

# Tags of the items flowing between the parse and clean steps.
_ART, _REJ, _RAW = "A", "R", "W"
_INTERNAL = (("_file", "string"), ("_pos", "long"))


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to read: Hadoop URI, the name shown in sources, kind, size in bytes."""

    uri: str
    name: str
    kind: str | None
    size: int


# -- rows <-> records --------------------------------------------------------------------------


def article_row(art: Article) -> dict[str, Any]:
    """The Article as a row of :data:`ARTICLE_FIELDS` (in that order; ``published`` an ISO date)."""
    row = {}
    for name, kind in ARTICLE_FIELDS:
        value = getattr(art, name)
        if name == "published":
            value = value.isoformat() if value else None
        elif kind == "array<string>":
            value = [str(v) for v in value or []]
        elif kind == "bool":
            value = bool(value)
        elif value is not None:
            value = str(value)
        row[name] = value
    return row


def article_from_row(row: Any) -> Article:
    """An Article from a row of :data:`ARTICLE_FIELDS` (a pyspark ``Row``, a dict or a mapping)."""
    d = row.asDict() if hasattr(row, "asDict") else dict(row)
    missing = [name for name in ("id", "text") if not d.get(name)]
    if missing:
        raise ValueError(f"article row lacks {' and '.join(missing)}; rows need the ARTICLE_FIELDS of "
                         "scamtrace.spark.schema")
    published = d.get("published")
    return Article(
        id=str(d["id"]), source=d.get("source") or "", text=d["text"], url=d.get("url"),
        outlet=d.get("outlet"), title=d.get("title"), published=parse_date(published) if published else None,
        byline=d.get("byline"), dateline=d.get("dateline"), credit=d.get("credit"),
        contributors=list(d.get("contributors") or []), language=d.get("language"),
        truncated=bool(d.get("truncated")), raw_hash=d.get("raw_hash"), cleaner=d.get("cleaner"),
    )


def reject_row(rej: Reject) -> dict[str, Any]:
    """The Reject as a row of :data:`REJECT_FIELDS`."""
    return {"source": rej.source, "reason": rej.reason, "stage": rej.stage, "detail": rej.detail}


# -- clean records ------------------------------------------------------------------------------

_CLEAN_STR_FIELDS = ("url", "outlet", "title", "byline", "dateline", "credit", "language", "raw_hash", "cleaner")


def is_clean_record(obj: Any) -> bool:
    """A record already cleaned: it has ``id`` and ``text`` and no ``html`` to extract from."""
    return isinstance(obj, dict) and obj.get("id") not in (None, "") and "text" in obj and not obj.get("html")


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "t", "y"}
    return bool(value)


def clean_record_article(obj: Mapping[str, Any], source: str, where: str) -> Article | Reject:
    """A clean record (see :func:`is_clean_record`) taken as it is: missing fields null,
    ``contributors`` [], ``truncated`` false; ``raw_hash`` is the hash of the text when absent, so
    the store can still tell a changed article from the same one."""
    text, rid = obj.get("text"), obj.get("id")
    if not isinstance(text, str) or not text.strip():
        return Reject(source, f"{where}: record's 'text' is empty or not a string; add the article text "
                              "or remove the record", stage="clean")
    if isinstance(rid, bool) or not isinstance(rid, (str, int)) or not str(rid).strip():
        return Reject(source, f"{where}: 'id' must be a non-empty string or an integer; fix the record",
                      stage="clean")
    fields = {}
    for name in _CLEAN_STR_FIELDS:
        value = obj.get(name)
        fields[name] = value.strip() or None if isinstance(value, str) else None
    contributors = obj.get("contributors")
    own_source = obj.get("source")
    return Article(
        id=str(rid).strip(), source=own_source if isinstance(own_source, str) and own_source else source,
        text=text, published=parse_date(obj.get(date_field_of(dict(obj)))),
        contributors=[str(c) for c in contributors] if isinstance(contributors, (list, tuple)) else [],
        truncated=_truthy(obj.get("truncated")),
        **{**fields, "raw_hash": fields["raw_hash"] or content_hash(text)},
    )


# -- per-file parsing (runs in executors; plain Python, testable without Spark) -------------------


def _reject(rej: Reject, stage: str) -> tuple[str, Reject]:
    if rej.stage == "ingest":
        rej.stage = stage
    return _REJ, rej


def record_items(obj: Any, source: str, where: str) -> Iterator[tuple[str, Any]]:
    """Items of one decoded record: a clean article, a raw document to clean, or a reject."""
    if isinstance(obj, dict):
        obj = {k: (v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v)
               for k, v in obj.items() if v is not None}
    if is_clean_record(obj):
        art = clean_record_article(obj, source, where)
        yield (_ART, art) if isinstance(art, Article) else _reject(art, "clean")
        return
    doc = record_to_doc(obj, source, where)
    yield (_RAW, doc) if isinstance(doc, RawDoc) else _reject(doc, "clean")


def _jsonl_items(name: str, fh: Any, cap: int) -> Iterator[tuple[str, Any]]:
    for item in jsonl_objects(name, fh, cap):
        if isinstance(item, Reject):
            item.stage = "read"
            yield _REJ, item
        else:
            yield from record_items(item[2], item[0], item[1])


def _open(data: bytes, compressed: bool) -> Any:
    return gzip.GzipFile(fileobj=io.BytesIO(data)) if compressed else io.BytesIO(data)


def jsonl_items(name: str, data: bytes, cap: int) -> Iterator[tuple[str, Any]]:
    """Items of a JSON Lines file's bytes (gzip-compressed when ``name`` ends in ``.gz``)."""
    if not data:
        yield _REJ, Reject(name, f"{name}: file is empty; nothing to ingest", stage="read")
        return
    try:
        yield from _jsonl_items(name, _open(data, name.lower().endswith(".gz")), cap)
    except (OSError, EOFError, zlib.error) as e:
        yield _REJ, Reject(name, f"{name}: corrupt gzip data ({e or type(e).__name__}); kept the lines before "
                                 "the damage, re-download the file for the rest", stage="read")


def json_items(name: str, data: bytes, cap: int) -> Iterator[tuple[str, Any]]:
    """Items of a ``.json`` file: one JSON object or an array of them; else read as JSON Lines
    (also when it is over the ``max_bytes`` cap and not an array: JSON Lines are capped per line)."""
    try:
        raw = _open(data, name.lower().endswith(".gz")).read(cap + 1)
    except (OSError, EOFError, zlib.error) as e:
        yield _REJ, Reject(name, f"{name}: corrupt gzip data ({e or type(e).__name__}); re-download the file",
                           stage="read")
        return
    raw = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    if len(raw) > cap:
        if raw.lstrip().startswith(b"["):
            yield _REJ, Reject(name, f"{name}: JSON array is over the max_bytes cap of {cap:,}; raise the "
                                     "max_bytes setting or save the records as JSON Lines", stage="read")
        else:
            yield from jsonl_items(name, data, cap)
        return
    obj, error = _parse_line(raw)
    if error is not None:
        yield from jsonl_items(name, data, cap)
        return
    if isinstance(obj, list):
        if not obj:
            yield _REJ, Reject(name, f"{name}: JSON array is empty; nothing to ingest", stage="read")
        for i, item in enumerate(obj):
            yield from record_items(item, f"{name}#{i}", f"{name}[{i}]")
        return
    yield from record_items(obj, name, name)


def _parquet_rows(pf: Any) -> Iterator[dict[str, Any]]:
    for batch in pf.iter_batches(batch_size=PARQUET_BATCH_ROWS):
        yield from batch.to_pylist()


def parquet_items(name: str, data: bytes, cap: int) -> Iterator[tuple[str, Any]]:
    """Items of a Parquet file's bytes, read with pyarrow; one reject for an unreadable file and
    one for damage after some rows (those rows are kept). ``cap`` is unused: rows are bounded by
    :data:`PARQUET_BATCH_ROWS`."""
    import pyarrow.parquet as pq

    try:
        rows = _parquet_rows(pq.ParquetFile(io.BytesIO(data)))
    except Exception as e:   # pyarrow raises ArrowInvalid, OSError, ... on damaged files
        yield _REJ, Reject(name, f"{name}: not a readable Parquet file ({type(e).__name__}: {str(e)[:160]}); "
                                 "rewrite or re-download it, or remove it from the input", stage="read")
        return
    n = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as e:
            yield _REJ, Reject(name, f"{name}: Parquet data damaged after row {n} ({type(e).__name__}: "
                                     f"{str(e)[:160]}); kept the {n} rows before it, rewrite the file for the rest",
                               stage="read")
            return
        n += 1
        yield from record_items(row, f"{name}#R{n}", f"{name}: row {n}")


def _warc_stage(rej: Reject) -> str:
    """"read" for damage to the archive itself, "clean" for one unusable capture."""
    return "read" if "WARC damaged at byte" in rej.reason or "not a WARC archive" in rej.reason else "clean"


def warc_items(name: str, data: bytes, cap: int) -> Iterator[tuple[str, Any]]:
    """Items of a WARC archive's bytes (the embedded reader: captures kept, damage one reject)."""
    for item in iter_warc_stream(io.BytesIO(data), name, cap):
        yield (_RAW, item) if isinstance(item, RawDoc) else _reject(item, _warc_stage(item))


_PARSERS = {"jsonl": jsonl_items, "json": json_items, "parquet": parquet_items, "warc": warc_items}


def file_items(name: str, kind: str, data: bytes, cap: int) -> Iterator[tuple[str, Any]]:
    """Items ``(tag, Article | RawDoc | Reject)`` of one file's bytes; never raises."""
    try:
        yield from _PARSERS[kind](name, data, cap)
    except Exception as e:   # a reader bug must not kill the job; the file is named in the reject
        log.debug("reading %s failed", name, exc_info=True)
        yield _REJ, Reject(name, f"{name}: reading failed ({type(e).__name__}: {str(e)[:160]}); report this "
                                 "input as a bug", stage="read")


def clean_item(raw: RawDoc) -> Article | Reject:
    """:func:`scamtrace.clean.stage.clean_raw` of one raw document, or a reject (stage ``clean``)."""
    try:
        return clean_raw(raw)
    except InputError as e:
        return Reject(raw.source, f"{raw.source}: {e.reason}", stage="clean")
    except Exception as e:   # one bad article never stops a batch
        log.debug("cleaning %s failed", raw.source, exc_info=True)
        return Reject(raw.source, f"{raw.source}: cleaning failed ({type(e).__name__}: {e}); report this input "
                                  "as a bug", stage="clean")


# -- listing (driver) ---------------------------------------------------------------------------


def display_name(uri: str) -> str:
    """The name shown in sources: a local path for ``file:`` URIs, the URI otherwise."""
    if uri.startswith("file:"):
        rest = uri[5:]
        while rest.startswith("//"):
            rest = rest[1:]
        return rest
    return uri


def kind_of(name: str, in_parquet_dir: bool = False) -> str | None:
    """The kind of a file from its name (:data:`SUFFIX_KINDS`), None when not one we read."""
    low = name.lower()
    for suffix, kind in SUFFIX_KINDS:
        if low.endswith(suffix):
            return kind
    return "parquet" if in_parquet_dir else None


def _is_hidden(rel: str) -> bool:
    return any(part.startswith(("_", ".")) for part in rel.split("/") if part)


def _walk(fs: Any, status: Any) -> Iterator[tuple[Any, bool]]:
    """(file status, under a ``*.parquet`` directory) for each visible file below a directory."""
    root = status.getPath().toString().rstrip("/")
    parquet_dir = root.lower().endswith(".parquet")
    it = fs.listFiles(status.getPath(), True)
    while it.hasNext():
        st = it.next()
        uri = st.getPath().toString()
        rel = uri[len(root):] if uri.startswith(root) else st.getPath().getName()
        if not _is_hidden(rel):
            yield st, parquet_dir or any(p.lower().endswith(".parquet") for p in rel.split("/")[:-1])


def _context(spark: "SparkSession") -> Any:
    """The SparkContext; a ValueError for Spark Connect sessions, which have none."""
    try:
        sc = spark.sparkContext
    except Exception as e:   # pyspark raises PySparkNotImplementedError on Spark Connect
        raise ValueError("the Spark readers need a classic SparkSession with a SparkContext (Spark Connect "
                         f"cannot list files or read binaryFiles): {e}") from None
    if sc._jvm is None:
        raise ValueError("the SparkSession has no JVM gateway; create it in the driver process")
    return sc


def _java_message(e: Exception) -> str:
    """The first line of the Java exception behind a py4j error (else of ``e``), shortened."""
    text = ""
    java = getattr(e, "java_exception", None)
    if java is not None:
        try:
            text = str(java.toString())
        except Exception:   # the gateway may be gone
            text = ""
    text = (text or str(e)).strip()
    return text.splitlines()[0][:200] if text else type(e).__name__


def list_inputs(spark: "SparkSession", inputs: Iterable[str]) -> tuple[list[InputFile], list[Reject]]:
    """Expand paths, globs and directories with Hadoop's file system API (driver side): the files
    to read, sorted within each input and without repeats, and a reject per unusable input."""
    sc = _context(spark)
    jvm, conf = sc._jvm, sc._jsc.hadoopConfiguration()   # type: ignore[union-attr]
    files: dict[str, InputFile] = {}
    rejects: list[Reject] = []
    for given in inputs:
        try:
            path = jvm.org.apache.hadoop.fs.Path(given)
            fs = path.getFileSystem(conf)
            statuses = fs.globStatus(path)
            found: list[tuple[Any, bool]] = []
            for st in sorted(statuses or [], key=lambda s: s.getPath().toString()):
                found.extend(_walk(fs, st) if st.isDirectory() else [(st, False)])
        except Exception as e:   # py4j wraps IOException, IllegalArgumentException (bad URI, no scheme)
            rejects.append(Reject(given, f"{given}: cannot list this input ({_java_message(e)}); check the path or URI",
                                  stage="read"))
            continue
        if not found:
            rejects.append(Reject(given, f"{given}: no such file, or no files match; check the path or pattern",
                                  stage="read"))
        for st, in_pq in sorted(found, key=lambda f: f[0].getPath().toString()):
            uri = st.getPath().toString()
            if uri not in files:
                files[uri] = InputFile(uri, display_name(uri), kind_of(st.getPath().getName(), in_pq), st.getLen())
    readable = []
    for f in files.values():
        rej = unreadable(f)
        if rej is None:
            readable.append(f)
        else:
            rejects.append(rej)
    return readable, rejects


def unreadable(f: InputFile) -> Reject | None:
    """A reject for a listed file this reader cannot take, else None."""
    if f.kind is None:
        return Reject(f.name, f"{f.name}: unsupported file type; the Spark reader takes {ACCEPTED}",
                      stage="read")
    if f.size > MAX_FILE_BYTES:
        return Reject(f.name, f"{f.name}: file is {f.size:,} bytes, more than one Spark task can read "
                              f"({MAX_FILE_BYTES:,}); split it into smaller files", stage="read")
    if _GLOB_CHARS & set(f.uri.rsplit("/", 1)[-1]):
        return Reject(f.name, f"{f.name}: the file name holds one of {''.join(sorted(_GLOB_CHARS))}, which Spark "
                              "reads as a pattern; rename the file", stage="read")
    return None


# -- the Spark job ------------------------------------------------------------------------------


def _parse_entry(kinds: Any, cap: int):  # noqa: ANN202
    """The flatMap function over ``binaryFiles`` records: tagged items with (file, position)."""
    def parse(pair: tuple[str, bytes]) -> Iterator[tuple[str, str, int, Any]]:
        uri, data = pair
        name = display_name(uri)
        kind = kinds.value.get(uri) or kind_of(uri) or "unknown"
        for pos, (tag, item) in enumerate(file_items(name, kind, data, cap)):
            yield tag, uri, pos, item
    return parse


def _clean_entry(entry: tuple[str, str, int, Any]) -> tuple[str, str, int, Any]:
    tag, uri, pos, item = entry
    if tag != _RAW:
        return entry
    out = clean_item(item)
    return (_ART if isinstance(out, Article) else _REJ), uri, pos, out


def _article_tuple(entry: tuple[str, str, int, Any]) -> tuple:
    return (entry[1], entry[2], *article_row(entry[3]).values())


def _reject_tuple(entry: tuple[str, str, int, Any]) -> tuple:
    return tuple(reject_row(entry[3]).values())


def read_articles(spark: "SparkSession", inputs: list[str], settings: Settings | None = None, *,
                  partitions: int | None = None) -> tuple["DataFrame", "DataFrame"]:
    """(articles with exactly :data:`ARTICLE_FIELDS`, rejects with :data:`REJECT_FIELDS`) from
    JSONL, JSON, Parquet and WARC inputs (see the module docstring). Nothing of the corpus is
    collected to the driver. ``partitions`` is the number of cleaning tasks (default
    ``spark.sql.shuffle.partitions``). The parsed items are persisted (memory and disk) because
    both DataFrames derive from them."""
    from pyspark import StorageLevel

    from .schema import spark_schema

    if isinstance(inputs, str):
        raise InvalidRequest("read_articles takes a list of input paths, not one string; wrap it in a list")
    settings = settings or Settings()
    cap = int(settings.max_bytes)
    sc = _context(spark)
    files, driver_rejects = list_inputs(spark, inputs)
    n_parts = partitions or int(spark.conf.get("spark.sql.shuffle.partitions", "200") or 200)
    if n_parts < 1:
        raise InvalidRequest(f"partitions must be at least 1, got {n_parts}")
    if files:
        kinds = sc.broadcast({f.uri: f.kind for f in files})
        raw = sc.binaryFiles(",".join(f.uri for f in files), minPartitions=min(len(files), 4 * sc.defaultParallelism))
        items = (raw.flatMap(_parse_entry(kinds, cap)).repartition(n_parts).map(_clean_entry)
                 .persist(StorageLevel.MEMORY_AND_DISK))
    else:
        items = sc.emptyRDD()
    art_schema = spark_schema(_INTERNAL + ARTICLE_FIELDS)
    rej_schema = spark_schema(REJECT_FIELDS)
    arts = spark.createDataFrame(items.filter(lambda e: e[0] == _ART).map(_article_tuple), art_schema)
    parsed_rejects = spark.createDataFrame(items.filter(lambda e: e[0] == _REJ).map(_reject_tuple), rej_schema)
    listed = spark.createDataFrame([tuple(reject_row(r).values()) for r in driver_rejects], rej_schema)
    articles, duplicates = _one_per_id(arts)
    return articles, listed.unionByName(parsed_rejects).unionByName(duplicates)


def _one_per_id(arts: "DataFrame") -> tuple["DataFrame", "DataFrame"]:
    """(the first article of each id by file and position, rejects for dropped duplicates whose
    raw hash differs from the kept article's)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    w = Window.partitionBy("id").orderBy("_file", "_pos")
    ranked = (arts.withColumn("_rank", F.row_number().over(w))
              .withColumn("_kept_source", F.first("source").over(w))
              .withColumn("_kept_hash", F.first("raw_hash").over(w)))
    articles = ranked.filter(F.col("_rank") == 1).select(*[name for name, _ in ARTICLE_FIELDS])
    dups = ranked.filter((F.col("_rank") > 1) & ~F.col("raw_hash").eqNullSafe(F.col("_kept_hash")))
    rejects = dups.select(
        F.col("source"),
        F.concat(F.col("source"), F.lit(": id "), F.col("id"), F.lit(" already holds different text (from "),
                 F.col("_kept_source"), F.lit("); the first is kept, give the record its own id")).alias("reason"),
        F.lit("store").alias("stage"),
        F.lit(None).cast("string").alias("detail"),
    )
    return articles, rejects
