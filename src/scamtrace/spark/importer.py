"""Load the OUTPUT directory of a Spark job into the SQLite store (``spark.import-v1``).

``OUTPUT/articles``, ``links``, ``families``, ``rejects`` and, when present, ``stories`` (layouts in
:mod:`scamtrace.spark.schema`) are read with **pyarrow** (no Spark, local paths) in batches, so the
corpus is never held in memory at once. Every table's columns are checked before anything is
written. Then, in this order (each later table refers to the earlier ones):

1. articles: ``Store.put_article`` with the clean text as the body (``fmt="text"``), in
   transactions of :data:`ARTICLE_BATCH`; an id already stored with other text is kept as a
   conflict and a reject, as ``ingest`` does (the output's links, family and story places of a
   conflicted id are skipped: they describe a text the store does not hold);
2. families (replacing the store's families), then links (replacing the links touching the
   imported articles); members, origins and link ends that are not in the store are skipped and
   counted;
3. stories (replacing the store's stories); without a stories table they are clustered here with
   ``stories.cluster_stories``, as ``analyze`` does;
4. rejects, each added once (same source, stage and reason);
5. the imported articles are marked analysed, so ``analyze`` does not redo their copies; those
   named in a human judgement are left for ``analyze``, which applies judgements.
6. extraction: the output of ``spark analyze`` has the tables ``mentions``, ``figures``,
   ``quotes``, ``date_refs`` and ``events`` (all five or none): their rows replace the imported
   articles' records, in (article, seq) order, so the store holds the rows of an embedded
   ``analyze``; then the extract stage's corpus passes run in the store (repeated-count dates,
   family wording) and the knowledge base is built. Nothing is extracted again. An output of
   ``spark copies|stories`` has no such tables: with ``extract=True`` the articles are extracted
   here, in one process.

``stories="store"`` clusters the stories in the store with the embedded algorithm
(``stories.stage.store_stories``, which uses the extraction's dates and event types) instead of
loading the output's ``stories`` table (``stories.online-v2``, the algorithm Spark runs).

Importing the same OUTPUT twice leaves the same store (articles "same", tables replaced with the
same rows, rejects not repeated); each import is logged in the ``runs`` table.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import FAMILIES_ALGORITHM, Family, Link, Reject
from ..store import PutStatus, Store
from .readers import article_from_row
from .schema import ARTICLE_FIELDS, EXTRACTION_TABLES, FAMILY_FIELDS, LINK_FIELDS, REJECT_FIELDS, STORY_FIELDS
from ..store.raw import RECORD_KEY
from ..ingest.date_fields import parse_date
from ..stories.cluster import ALGORITHM, Story
from ..stories import cluster_stories
from ..extract.stage import extract_articles
from ..knowledge.build import build_knowledge
from ..extract.corpus_dates import apply_repeat_dates
from ..extract.family_wording import apply_family_wording
from ..stories.stage import store_stories
from ..store.extracted import add_extracted_rows, clear_extraction
from ..store.analysis import article_texts, clear_copy_roles
from ..stories.names import name_stories

__all__ = ["IMPORTER", "check_columns", "import_parquet", "open_tables"]

log = logging.getLogger(__name__)

IMPORTER = "spark.import-v1"
#: Articles written per store transaction: one commit per article is slow, one for a whole corpus
#: holds the write lock for minutes.
ARTICLE_BATCH = 500
#: Rows per pyarrow batch read from a table.
READ_BATCH_ROWS = 2048

Progress = Callable[[str, int, int | None], None]

_TABLES: dict[str, tuple[tuple[tuple[str, str], ...], bool]] = {
    "articles": (ARTICLE_FIELDS, True), "families": (FAMILY_FIELDS, True), "links": (LINK_FIELDS, True),
    "stories": (STORY_FIELDS, False), "rejects": (REJECT_FIELDS, True),
    **{name: (fields, False) for name, fields in EXTRACTION_TABLES.items()},
}
_HOW = "is it the OUTPUT directory of `scamtrace spark copies|stories|analyze`? Rerun the job to write it"
STORIES_FROM = ("table", "store")


def _no_progress(label: str, done: int, total: int | None) -> None:
    return None


# -- tables ---------------------------------------------------------------------------------------


class _Table:
    """One Parquet table of OUTPUT (a directory of part files) read in batches with pyarrow."""

    def __init__(self, path: Path, fields: tuple[tuple[str, str], ...]):
        import pyarrow.dataset as pads

        self.path, self.fields = path, fields
        try:
            self.dataset = pads.dataset(str(path), format="parquet")
        except Exception as e:   # pyarrow: ArrowInvalid / OSError on unreadable files
            raise InputError(str(path), f"cannot read this Parquet table ({type(e).__name__}: {str(e)[:160]}); "
                                        f"{_HOW}") from None
        self.empty = not self.dataset.files
        if not self.empty:
            check_columns(path, self.dataset.schema, fields)

    def count(self) -> int:
        return 0 if self.empty else self.dataset.count_rows()

    def rows(self) -> Iterator[dict[str, Any]]:
        if self.empty:
            return
        try:
            for batch in self.dataset.to_batches(columns=[n for n, _ in self.fields], batch_size=READ_BATCH_ROWS):
                yield from batch.to_pylist()
        except Exception as e:
            raise InputError(str(self.path), f"cannot read this Parquet table ({type(e).__name__}: "
                                             f"{str(e)[:160]}); {_HOW}") from None


def _type_fits(arrow_type: Any, kind: str) -> bool:
    import pyarrow.types as pat

    if pat.is_null(arrow_type):
        return True
    if kind == "string":
        return pat.is_string(arrow_type) or pat.is_large_string(arrow_type)
    if kind == "bool":
        return pat.is_boolean(arrow_type)
    if kind == "double":
        return pat.is_floating(arrow_type) or pat.is_integer(arrow_type)
    if kind == "long":
        return pat.is_integer(arrow_type)
    if kind == "array<string>":
        return (pat.is_list(arrow_type) or pat.is_large_list(arrow_type)) and _type_fits(arrow_type.value_type, "string")
    raise ValueError(f"unknown field kind {kind!r}")


def check_columns(path: Path, schema: Any, fields: tuple[tuple[str, str], ...]) -> None:
    """Raise InputError naming ``path`` when a field is missing or has an incompatible type."""
    have = {f.name: f.type for f in schema}
    missing = [n for n, _ in fields if n not in have]
    if missing:
        raise InputError(str(path), f"table lacks column(s) {', '.join(missing)}; {_HOW}")
    wrong = [f"{n} is {have[n]}, expected {k}" for n, k in fields if not _type_fits(have[n], k)]
    if wrong:
        raise InputError(str(path), f"table has wrong column type(s): {'; '.join(wrong)}; {_HOW}")


def open_tables(output_dir: str | Path) -> dict[str, _Table | None]:
    """Every table of OUTPUT, checked; None for an absent optional table. Raises InputError."""
    text = str(output_dir)
    if "://" in text and not text.startswith("file:"):
        raise InputError(text, "import-parquet reads local directories; copy OUTPUT here first "
                               "(e.g. `hdfs dfs -get` or `aws s3 sync`)")
    out = Path(text.removeprefix("file://") if text.startswith("file://") else text)
    if not out.is_dir():
        raise InputError(text, f"no such directory; {_HOW}")
    tables: dict[str, _Table | None] = {}
    for name, (fields, required) in _TABLES.items():
        path = out / name
        if not path.is_dir():
            if required:
                raise InputError(str(path), f"missing table {name!r}; {_HOW}")
            tables[name] = None
            continue
        tables[name] = _Table(path, fields)
    have = [t for t in EXTRACTION_TABLES if tables[t] is not None]
    if have and len(have) < len(EXTRACTION_TABLES):
        lacking = [t for t in EXTRACTION_TABLES if tables[t] is None]
        raise InputError(str(out), f"has extraction table(s) {', '.join(have)} but not {', '.join(lacking)}; "
                                   "an incomplete `spark analyze` output: rerun the job to write it")
    return tables


def _sorted_rows(table: _Table) -> Iterator[dict[str, Any]]:
    """The rows of an extraction table in (article, seq) order: the order ``analyze`` stores them."""
    if table.empty:
        return
    try:
        data = table.dataset.to_table(columns=[n for n, _ in table.fields])
    except Exception as e:
        raise InputError(str(table.path), f"cannot read this Parquet table ({type(e).__name__}: "
                                          f"{str(e)[:160]}); {_HOW}") from None
    data = data.sort_by([("article", "ascending"), ("seq", "ascending")])
    for batch in data.to_batches(max_chunksize=READ_BATCH_ROWS):
        yield from batch.to_pylist()


def _import_extraction(store: Store, tables: dict[str, _Table | None], ids: list[str], known: set[str],
                       counts: dict[str, Any], progress: Progress) -> None:
    """Replace the imported articles' records with the output's extraction tables (see step 6)."""
    wanted = set(ids) & known
    clear_extraction(store, sorted(wanted))
    for name in EXTRACTION_TABLES:
        table = tables[name]
        assert table is not None
        added = skipped = 0
        rows = _sorted_rows(table)
        while chunk := list(islice(rows, ARTICLE_BATCH * 8)):
            keep = [r for r in chunk if r["article"] in wanted]
            skipped += len(chunk) - len(keep)
            added += add_extracted_rows(store, name, keep)
            progress(f"import {name}", added, None)
        counts[name] = added
        counts["skipped_records"] += skipped
    counts["extracted"] = len(wanted)
    counts["extracted_from"] = "tables"


# -- loading --------------------------------------------------------------------------------------


class _Rejects:
    """Adds rejects to the store once each (same source, stage and reason): the stored ones are
    read once, so importing many rejects stays linear."""

    def __init__(self, store: Store):
        self.store = store
        self.seen = {(r[0], r[1], r[2]) for r in store.execute("SELECT source, stage, reason FROM rejects")}

    def add(self, rej: Reject) -> int:
        """1 when ``rej`` was added, 0 when it was already stored."""
        key = (rej.source, rej.stage, rej.reason)
        if key in self.seen:
            return 0
        self.seen.add(key)
        self.store.add_reject(rej)
        return 1


def _record(art: Any) -> dict[str, Any]:
    return {RECORD_KEY: {"source": art.source, "id": art.id, "url": art.url, "outlet": art.outlet,
                         "title": art.title, "published": art.published.isoformat() if art.published else None,
                         "byline": art.byline, "language": art.language},
            "reader": IMPORTER}


def _import_articles(store: Store, table: _Table, output: str, progress: Progress, counts: dict[str, int],
                     rejects: _Rejects) -> tuple[list[str], set[str]]:
    """Put every article; returns (the ids stored as imported: new, same or updated; the ids whose
    stored text differs from the output's, kept as conflicts)."""
    total = table.count()
    ids: list[str] = []
    conflicted: set[str] = set()
    rows = table.rows()
    done = 0
    while chunk := list(islice(rows, ARTICLE_BATCH)):
        with store.write():
            for row in chunk:
                _put_article(store, row, output, counts, ids, conflicted, rejects)
        done += len(chunk)
        progress("import articles", done, total)
    return ids, conflicted


def _put_article(store: Store, row: dict[str, Any], output: str, counts: dict[str, int], ids: list[str],
                 conflicted: set[str], rejects: _Rejects) -> None:
    try:
        art = article_from_row(row)
    except ValueError as e:
        where = f"{output}/articles: row with id {row.get('id')!r}"
        counts["rejects"] += rejects.add(Reject(row.get("source") or where, f"{where}: {e}",
                                                            stage="store"))
        return
    status = store.put_article(art, fmt="text", body=art.text, extra=_record(art))
    counts["conflicts" if status is PutStatus.CONFLICT else status.value] += 1
    if status is not PutStatus.CONFLICT:
        ids.append(art.id)
    else:
        conflicted.add(art.id)
        counts["rejects"] += rejects.add(Reject(
            art.source, f"{art.source}: id {art.id} already holds different text; the stored article is kept and "
                        "this version is saved in the conflicts table; give the record its own id", stage="store"))


def _families(table: _Table, known: set[str], counts: dict[str, int]) -> list[Family]:
    fams = []
    for row in table.rows():
        members = [m for m in row["members"] or [] if m in known]
        counts["skipped_members"] += len(row["members"] or []) - len(members)
        if not members or not row["family"]:
            continue
        origin = row["origin"] if row["origin"] in known else None
        fams.append(Family(id=row["family"], members=members, origin=origin, origin_credit=row["origin_credit"],
                           algorithm=row["algorithm"] or FAMILIES_ALGORITHM))
    return fams


def _links(table: _Table, known: set[str], counts: dict[str, int]) -> Iterator[Link]:
    for row in table.rows():
        ends = [x for x in (row["article"], row["source"], row["sibling"]) if x is not None]
        if not row["article"] or not (row["source"] or row["sibling"]) or any(x not in known for x in ends):
            counts["skipped_links"] += 1
            continue
        try:
            evidence = json.loads(row["evidence"]) if row["evidence"] else {}
        except json.JSONDecodeError:
            evidence = {"unparsed": row["evidence"]}
        counts["links"] += 1
        yield Link(article=row["article"], source=row["source"], relation=row["relation"], score=float(row["score"] or 0.0),
                   algorithm=row["algorithm"] or "", evidence=evidence if isinstance(evidence, dict) else {"value": evidence},
                   sibling=row["sibling"], family=row["family"], origin_credit=row["origin_credit"])


def _story_evidence(text: str | None) -> list[dict[str, Any]]:
    """The evidence column: a JSON list of per-family dicts (or a dict keyed by family)."""
    if not text:
        return []
    try:
        ev = json.loads(text)
    except json.JSONDecodeError:
        return []
    if isinstance(ev, dict):
        ev = [{"family": k, **v} if isinstance(v, dict) else {"family": k, "value": v} for k, v in ev.items()]
    return [e for e in ev if isinstance(e, dict)] if isinstance(ev, list) else []


def _stories(table: _Table, known: set[str], counts: dict[str, int]) -> list[Any]:
    out = []
    for row in table.rows():
        members = [a for a in row["articles"] or [] if a in known]
        counts["skipped_story_members"] += len(row["articles"] or []) - len(members)
        if not members or not row["story"]:
            continue
        out.append(Story(id=row["story"], title=row["title"], first_seen=parse_date(row["first_seen"]),
                         last_seen=parse_date(row["last_seen"]), articles=members, families=list(row["families"] or []),
                         algorithm=row["algorithm"] or ALGORITHM, evidence=_story_evidence(row["evidence"])))
    return out


def import_parquet(store: Store, output_dir: str | Path, *, extract: bool = False,
                   progress: Progress | None = None, stories: str = "table") -> dict[str, Any]:
    """Load a Spark job's OUTPUT directory into ``store`` (see the module docstring) and return
    counts: articles new/same/updated/conflicts, families, links, stories, rejects added, skipped
    references, articles marked analysed and extracted (from the output's extraction tables, or
    here with ``extract``). ``stories``: "table" (the output's stories) or "store" (clustered in
    the store with the embedded algorithm). Raises InputError for a missing directory or table,
    a table with wrong columns, or an incomplete set of extraction tables, before writing anything."""
    if stories not in STORIES_FROM:
        raise InputError(str(output_dir), f"stories must be one of {', '.join(STORIES_FROM)}, not {stories!r}")
    progress = progress or _no_progress
    tables = open_tables(output_dir)
    has_extraction = tables["figures"] is not None
    output = str(output_dir)
    counts: dict[str, Any] = dict.fromkeys(
        ("new", "same", "updated", "conflicts", "families", "links", "stories", "rejects", "skipped_links",
         "skipped_members", "skipped_story_members", "skipped_records", "analyzed", "extracted"), 0)
    run = store.start_run("import-parquet", IMPORTER)
    rejects = _Rejects(store)
    ids, conflicted = _import_articles(store, tables["articles"], output, progress, counts, rejects)  # type: ignore[arg-type]
    # the output's links, families and stories of a conflicted id describe a text the store does not hold
    stored = {r[0] for r in store.execute("SELECT id FROM articles")}
    known = stored - conflicted
    counts["other_articles"] = len(stored - set(ids))
    if counts["other_articles"]:
        log.warning("%s: the store holds %d articles that are not in this output; families are replaced by the "
                    "output's, run `scamtrace analyze --full` to analyse the whole store together",
                    output, counts["other_articles"])
    families = _families(tables["families"], known, counts)   # type: ignore[arg-type]
    store.replace_families(families)
    counts["families"] = len(families)
    store.put_links(_links(tables["links"], known, counts), replace_for=sorted(set(ids)))   # type: ignore[arg-type]
    clear_copy_roles(store)   # the output's links are not what the store's outlet-role rows were counted from
    progress("import links", counts["links"], None)
    if has_extraction:   # the extract stage's order: records, then the corpus passes, then stories
        _import_extraction(store, tables, ids, known, counts, progress)
        apply_repeat_dates(store)
        apply_family_wording(store)
    elif extract:
        counts["extracted"] = extract_articles(store, sorted(set(ids)), progress)
    if stories == "store":
        store_stories(store, list(store.iter_articles()), families)
        counts["stories_from"] = "store"
        counts["stories"] = len(store.story_membership())
    elif tables["stories"] is not None:
        loaded = _stories(tables["stories"], known, counts)
        counts["stories_from"] = "table"
        name_stories(loaded, partial(article_texts, store))   # the job names stories after headlines only
        store.replace_stories(loaded)
        counts["stories"] = len(loaded)
    else:
        loaded = cluster_stories(list(store.iter_articles()), families)
        counts["stories_from"] = "clustered"
        name_stories(loaded, partial(article_texts, store))
        store.replace_stories(loaded)
        counts["stories"] = len(loaded)
    for row in tables["rejects"].rows():   # type: ignore[union-attr]
        rej = Reject(row["source"] or output, row["reason"] or "rejected by the Spark job",
                     stage=row["stage"] or "read", detail=row["detail"])
        counts["rejects"] += rejects.add(rej)
    judged = {x for a, b, _ in store.judgements() for x in (a, b)}
    to_mark = sorted(set(ids) - judged)
    store.mark_analyzed(to_mark)
    counts["analyzed"] = len(to_mark)
    if has_extraction or extract:
        build_knowledge(store)
    store.finish_run(run, counts)
    log.info("imported %s: %s", output, counts)
    return counts
