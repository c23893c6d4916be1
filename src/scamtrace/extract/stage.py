"""The extract stage over a store: entities, figures, dates, quotes and event frames for a list of
articles, then the corpus-level passes (repeated dates, family wording).

``extract.pool-v1``: with ``workers`` > 1 the articles are cut into the same batches of
:data:`EXTRACT_BATCH` as in one process, and each batch is parsed (spaCy ``nlp.pipe``) and
extracted in a worker process; this process keeps reading ahead and is the one writer: it stores
each batch's records in the order of ``ids``, so the stored rows (and their row ids) are exactly
those of one process. At most ``2 * workers`` batches are in flight, so memory does not grow with
the number of articles.

``extract.ner-units-v1``: spaCy parses each distinct paragraph once (see
:mod:`scamtrace.extract.entities`). This process hands each batch the raw entities of the paragraphs
it holds that were parsed before (in this run, by any worker, or stored in ``ner_units`` by an earlier
run), takes back those the batch parsed, and stores in ``ner_units`` every paragraph the store lacks.

Resumable: each article's records are stored with a mark (the digest of its text, reference date
and the extraction algorithms) in one transaction; the marks are dropped when the analyze run
finishes. A run that is stopped (Ctrl-C, a crash) keeps what it stored, and its rerun skips every
article marked with the same digest, so it goes on where the first run stopped.
"""
from __future__ import annotations

import datetime as dt
import gc
import hashlib
import logging
import multiprocessing
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from typing import NamedTuple

from ..model import Article, Link, Reject
from ..settings import cpu_cores, resolve_workers  # noqa: F401 (cpu_cores re-exported)
from ..store import Store
from ..store.analysis import extraction_marks, published_days, put_marked_extraction
from ..store.caches import drop_ner_units, ner_unit_rows, put_ner_unit_rows
from . import extract
from .corpus_dates import apply_repeat_dates, reference_dates
from .entities import UNITS, UnitEnts, load_nlp, ner_units, preparsed, unit_cache_tag, unit_key
from .events import ALGO_EVENTS
from .events import Event, find_events
from .family_wording import apply_family_wording
from .records import ALGO_DATES, ALGO_ENTITIES, ALGO_FIGURES, ALGO_QUOTES, Extraction

log = logging.getLogger(__name__)

Progress = Callable[[str, int, "int | None"], None]

POOL_ALGORITHM = "extract.pool-v1"

#: Articles per extraction batch: their texts go through spaCy in one ``nlp.pipe`` call (see
#: :func:`scamtrace.extract.entities.preparsed`); bounds the parsed docs held in memory at once,
#: and is the unit of work a worker process takes.
EXTRACT_BATCH = 64

#: The parts of :func:`extract_articles` whose seconds are added to ``timings``.
PARTS = ("extract.ner", "extract.rules", "extract.events", "extract.store", "extract.corpus_dates",
         "extract.family_wording")


def _no_progress(label: str, done: int, total: int | None) -> None:
    return None


@dataclass(slots=True)
class ExtractResult:
    """What one article's extraction gave: its records, or why it failed."""
    article: str
    source: str
    extraction: Extraction | None = None
    events: list[Event] | None = None
    error: str | None = None


Job = list[tuple[Article, "dt.date | None"]]

#: What an article's records depend on besides its text and reference date.
_ALGORITHMS = "|".join((ALGO_ENTITIES, ALGO_DATES, ALGO_FIGURES, ALGO_QUOTES, ALGO_EVENTS, POOL_ALGORITHM))


def input_digest(article: Article, reference: dt.date | None) -> str:
    """Digest of what an article's records are extracted from (its mark, see the module doc)."""
    key = "\x00".join((_ALGORITHMS, reference.isoformat() if reference else "", article.text or ""))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


class BatchOutput(NamedTuple):
    """What :func:`extract_batch` gives: each article's result, the seconds of its parts, the units
    spaCy parsed for it (unit key -> raw entities, see :class:`~.entities.UnitCache`), and how many
    unit occurrences the batch held."""
    results: list[ExtractResult]
    parts: dict[str, float]
    units: dict[str, UnitEnts]
    unit_count: int


def extract_batch(batch: Job, known: dict[str, UnitEnts] | None = None) -> BatchOutput:
    """Parse one batch of (article, reference date) in one ``nlp.pipe`` call and extract each article
    (runs in a worker process, or in this one). ``known``: raw entities of units parsed before
    (by another worker, an earlier run), which are not parsed again. One failing article never stops
    the batch: its result carries the error."""
    parts = {"extract.ner": 0.0, "extract.rules": 0.0, "extract.events": 0.0}
    out: list[ExtractResult] = []
    t = time.perf_counter()
    UNITS.update(known or {})
    looked_up = UNITS.looked_up
    UNITS.take_fresh()
    with preparsed([a.text or "" for a, _ in batch]):
        parts["extract.ner"] += time.perf_counter() - t
        for art, ref in batch:
            try:
                t = time.perf_counter()
                ex = extract(art, reference_date=ref)
                t1 = time.perf_counter()
                events = find_events(art, ex)
                t2 = time.perf_counter()
            except Exception as e:  # one bad article never stops a batch
                log.debug("extracting %s failed", art.id, exc_info=True)
                out.append(ExtractResult(art.id, art.source, error=f"{type(e).__name__}: {e}"))
                continue
            parts["extract.rules"] += t1 - t
            parts["extract.events"] += t2 - t1
            out.append(ExtractResult(art.id, art.source, ex, events))
    return BatchOutput(out, parts, UNITS.take_fresh(), UNITS.looked_up - looked_up)


def _worker_init() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C stops the writer, which stops the pool
    gc.enable()   # a forked worker inherits the parent's paused collector (pipeline.GC_PAUSE_MAX_NEW)
    load_nlp()   # inherited from the parent under fork; loaded once per worker otherwise


def _pool(workers: int) -> ProcessPoolExecutor:
    methods = multiprocessing.get_all_start_methods()
    # fork shares the loaded spaCy pipeline and gazetteer with the workers; elsewhere they load them
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init)


def _results(jobs: Iterator[tuple[Job, dict[str, UnitEnts]]], workers: int) -> Iterator[BatchOutput]:
    """``extract_batch`` of every (job, known units), in job order: here, or over ``workers`` processes."""
    if workers <= 1:
        yield from (extract_batch(job, known) for job, known in jobs)
        return
    load_nlp()   # before the fork, so every worker shares it
    pool = _pool(workers)
    try:
        pending: deque[Future] = deque()
        for job, known in jobs:
            pending.append(pool.submit(extract_batch, job, known))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:   # stopped early (Ctrl-C, an error): batches not started are dropped
        pool.shutdown(wait=True, cancel_futures=True)


def _known_units(store: Store, job: Job, tag: str | None) -> tuple[dict[str, UnitEnts], set[str]]:
    """(raw entities of the units of ``job``'s texts parsed before, the units the store lacks).
    Parsed before: stored by an earlier run, or in this process's cache (this run, or a worker's
    batch sent back). The store gets every unit it lacks, wherever it was parsed, so its table does
    not depend on what this process parsed for another store. Nothing with rules."""
    if tag is None:
        return {}, set()
    keys = {unit_key(u) for a, _ in job for _, u in ner_units(a.text or "")}
    stored = ner_unit_rows(store, keys, tag)
    UNITS.update(stored)
    return {k: UNITS.ents[k] for k in keys if k in UNITS.ents}, keys - stored.keys()


def _keep_units(store: Store, fresh: dict[str, UnitEnts], had: dict[str, UnitEnts], unstored: set[str],
                tag: str | None) -> None:
    """After a batch: its parsed units go into this process's cache (for the next batches), and the
    store gets those of its units it lacks (parsed now, or known before)."""
    UNITS.update(fresh)
    rows = {k: fresh[k] if k in fresh else had[k] for k in unstored if k in fresh or k in had}
    if rows and tag is not None:
        put_ner_unit_rows(store, rows, tag)


def _to_extract_again(store: Store, ids: list[str], near: set[str],
                      spun_before: set[str]) -> tuple[list[str], list[str], list[Link]]:
    """(Articles of the neighbourhood ``near`` (not in ``ids``) an incremental run extracts again, those it
    keeps as stored although the family wording pass now corrects them, the links touching ``near``).
    Extracted again: the undated ones (an undated article resolves "on Friday" against its dated link
    partner's day, :func:`reference_dates`, and this run may have replaced its links) and the ones spun
    before the copies stage (``spun_before``: the family wording pass rewrote their records from their
    family as it was). Kept: a dated article spun now and not before; no pass ever
    corrected its records (an article stops being spun only in a run that extracts it again, as spun
    before), and its text, reference day (its own publication day) and extraction are those that wrote
    them, so extracting it again gives the stored records but for the days the repeated-count pass lent
    (a pass-dated figure is undated again): the pass decides its figures afresh, as those of the articles
    extracted, so a lender withdrawn since (a lender extracted again) takes its day back as then (v1 extracted
    it again: 13 of the 22 old articles extracted in (b) of bench_incremental at 10,000)."""
    undated = {a for a, day in published_days(store, near.difference(ids)).items() if day is None}
    links = store.links_touching(sorted(near))
    spun_now = {ln.article for ln in links if ln.relation == "spun" and ln.article in near}.difference(ids)
    redo = undated | (spun_before & near).difference(ids)
    return sorted(redo), sorted(spun_now - redo), links


def _redo_and_links(store: Store, ids: list[str], neighbourhood: Iterable[str] | None,
                    spun_before: Iterable[str]) -> tuple[list[str], list[str], list[Link]]:
    """(the articles of ``neighbourhood`` to extract again besides ``ids`` and those kept although spun now,
    :func:`_to_extract_again`; the links touching ``ids`` and those extracted again, in link order). The
    neighbourhood's links are read once: those of the articles extracted, which lie in it, are taken from them."""
    if not ids:
        return [], [], []
    if neighbourhood is None:
        return [], [], store.links_touching(ids)
    redo, kept, links = _to_extract_again(store, ids, set(neighbourhood) | set(ids), set(spun_before))
    return redo, kept, _touching(links, [*ids, *redo])


def _touching(links: list[Link], ids: Iterable[str]) -> list[Link]:
    """The links of ``links`` naming one of ``ids`` at either end, in their order (what
    :meth:`~scamtrace.store.Store.links_touching` gives for ``ids`` when ``links`` touch a superset)."""
    want = set(ids)
    return [ln for ln in links if ln.article in want or ln.source in want or ln.sibling in want]


def extract_articles(store: Store, ids: Iterable[str], progress: Progress = _no_progress,
                     timings: dict[str, float] | None = None, workers: int = 1,
                     changed: set[str] | None = None, full: bool = False,
                     counts: dict[str, int] | None = None, neighbourhood: Iterable[str] | None = None,
                     spun_before: Iterable[str] = ()) -> int:
    """Entities, figures, dates, quotes and event frames for each article in ``ids`` (replacing old ones).

    Articles are read and parsed in batches of ``EXTRACT_BATCH``; each article is still extracted
    and stored on its own, so one bad article never stops the others (it is recorded as a reject).
    ``workers`` > 1 spreads the batches over that many processes (see the module doc); the stored
    rows are the same. A pool is only started for two batches or more.

    ``timings``, when given, receives the seconds of the parts under ``extract.*``: ``ner`` (spaCy
    over each batch), ``rules`` (dates, quotes, figures, entity resolution), ``events`` (with
    workers, these three are the workers' seconds added up), ``store`` (writing the records),
    ``corpus_dates`` and ``family_wording``. ``changed``, when given, receives the other articles
    whose records the corpus passes changed (see :func:`apply_repeat_dates`, :func:`apply_family_wording`).
    Unless ``full``, the repeated-count pass reads only the figures that share a value with those of ``ids``,
    and, with ``neighbourhood`` (the articles whose copy links or families the run may have changed, ``ids``
    among them), the family wording pass corrects only the spun articles of their families, and the
    neighbourhood's undated articles are extracted again (their relative dates follow their link partners'
    days, :func:`~.corpus_dates.reference_dates`) and added to ``changed``. The neighbourhood's articles of
    ``spun_before`` (spun before the copies stage replaced their links) are extracted again too and added to
    ``changed``: the family wording pass rewrote or dropped their records from their family as it was, so they
    start again from their own text and are corrected from their family as it is (``extract.family-wording-v2``
    is not undone otherwise; a copy no longer spun keeps its own wording). Its dated articles spun only now are
    added to ``changed`` but kept as stored (no pass corrected them; the repeated-count pass decides their figures
    as it decides those extracted, see :func:`_to_extract_again`).

    spaCy parses each distinct paragraph once (``extract.ner-units-v1``, :mod:`.entities`): the units
    parsed in this run, or stored by an earlier one (``ner_units``), are given to the batch that
    needs them. ``counts``, when given, receives ``ner.units`` (paragraphs of the extracted texts)
    and ``ner.parsed`` (those spaCy parsed; the others were reused).
    """
    parts = dict.fromkeys(PARTS, 0.0)
    ids = list(ids)
    redo, kept, near = _redo_and_links(store, ids, None if full else neighbourhood, spun_before)
    ids += redo
    if changed is not None:   # (the kept ones too: the family wording pass corrects them now)
        changed.update(redo, kept)
    # undated copies resolve "Tuesday" against the day of the dated article they copy
    # (the links touching ``ids`` give each of them what every link gives: its partners, in link order)
    refs = reference_dates(published_days(store, {*ids, *(x for ln in near for x in (ln.article, ln.source, ln.sibling)
                                                           if x)}), near) if ids else {}
    marks = extraction_marks(store) if ids else {}
    arts = store.iter_articles(ids)
    tag = unit_cache_tag() if ids else None
    if full and tag is not None:
        drop_ner_units(store, keep=tag)   # units parsed by another model or gazetteer
    n = 0
    units = parsed = 0
    known: deque[tuple[dict[str, UnitEnts], set[str]]] = deque()   # of the jobs in flight, in job order
    digests: dict[str, str] = {}

    def jobs() -> Iterator[tuple[Job, dict[str, UnitEnts]]]:
        nonlocal n
        while batch := list(islice(arts, EXTRACT_BATCH)):   # the batches of one uninterrupted run
            job = []
            for a in batch:
                ref = refs[a.id][0] if a.id in refs else None
                digests[a.id] = input_digest(a, ref)
                if marks.get(a.id) == digests[a.id]:   # stored by a run that was stopped
                    n += 1
                    progress("extract", n, len(ids))
                else:
                    job.append((a, ref))
            if job:
                known.append(_known_units(store, job, tag))
                yield job, known[-1][0]

    workers = min(resolve_workers(workers), -(-len(ids) // EXTRACT_BATCH))
    for results, worked, fresh, unit_count in _results(jobs(), workers):
        for k, v in worked.items():
            parts[k] += v
        units, parsed = units + unit_count, parsed + len(fresh)
        t = time.perf_counter()
        _keep_units(store, fresh, *known.popleft(), tag)
        parts["extract.store"] += time.perf_counter() - t
        for r in results:
            n += 1
            if r.error is not None:
                store.add_reject(Reject(r.source, f"{r.source}: extraction failed ({r.error}); "
                                        "report this article as a bug", stage="extract"))
                continue
            t = time.perf_counter()
            put_marked_extraction(store, r.article, r.extraction, r.events or [], digests.pop(r.article))
            parts["extract.store"] += time.perf_counter() - t
            progress("extract", n, len(ids))
    if ids:   # undated counts take the day of the same count stated with a day elsewhere
        t = time.perf_counter()
        # (the kept articles' figures are decided afresh too, as if extracted again: see _to_extract_again)
        apply_repeat_dates(store, changed, None if full else [*ids, *kept])
        parts["extract.corpus_dates"] += time.perf_counter() - t
        t = time.perf_counter()   # a spun copy's names, quotes and figure wording come from its family
        apply_family_wording(store, changed, None if full else neighbourhood)
        parts["extract.family_wording"] += time.perf_counter() - t
    if timings is not None:
        for k, v in parts.items():
            timings[k] = timings.get(k, 0.0) + v
    if counts is not None:
        counts["ner.units"] = counts.get("ner.units", 0) + units
        counts["ner.parsed"] = counts.get("ner.parsed", 0) + parsed
    return len(ids)
