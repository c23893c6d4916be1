"""Compose the stages: ingest -> clean -> store, then copies -> extract -> stories -> knowledge over the store.

Only composition and timing live here (one timer, :func:`timed`); each stage is its own package:
:mod:`scamtrace.clean.stage`, :mod:`scamtrace.copies.incremental`, :mod:`scamtrace.extract.stage`,
:mod:`scamtrace.stories.stage`, :mod:`scamtrace.knowledge.build`.
"""
from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

from . import collector
from .clean.metadata import language_note
from .clean.stage import clean_items, load_boilerplate, relearn_boilerplate
from .copies.incremental import IncrementalCopies
from .extract.stage import extract_articles
from .ingest import iter_sources, parse_interval
from .ingest import watch as poll
from .ingest.scrub import scrub
from .knowledge.build import build_knowledge
from .model import RawDoc, Reject
from .settings import Settings, resolve_workers
from .store import PutStatus, Store
from .store.analysis import finish_analysis
from .store.raw import WRITE_BATCH, ToStore, put_batch
from .stories.stage import store_stories

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int | None], None]
"""progress(label, done, total): called as work advances; the CLI draws a bar on a terminal."""


def _no_progress(label: str, done: int, total: int | None) -> None:
    return None


@dataclass
class IngestStats:
    new: int = 0
    same: int = 0
    updated: int = 0
    conflicts: int = 0
    rejected: int = 0
    recleaned: int = 0
    seconds: float = 0.0
    reject_reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # stored, with a warning (e.g. not English)

    def count(self, status: PutStatus) -> None:
        """Count one article :meth:`Store.put_article` stored (or found unchanged)."""
        if status is PutStatus.NEW:
            self.new += 1
        elif status is PutStatus.SAME:
            self.same += 1
        elif status is PutStatus.UPDATED:
            self.updated += 1
        else:
            self.conflicts += 1

    def summary(self) -> str:
        return (f"{self.new} new, {self.updated} updated, {self.same} unchanged, {self.conflicts} id conflicts, "
                f"{self.rejected} rejected ({self.seconds:.1f}s)")


@dataclass
class AnalyzeStats:
    examined: int = 0
    candidate_pairs: int = 0
    links: int = 0
    families: int = 0
    multi_families: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    #: ``ner.units``: paragraphs of the extracted articles; ``ner.parsed``: those spaCy parsed (the
    #: others were parsed before, in this run or an earlier one: see extract.stage).
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        units, parsed = self.counts.get("ner.units", 0), self.counts.get("ner.parsed", 0)
        reused = f", {units - parsed} of {units} paragraphs' entities reused" if units else ""
        return (f"{self.examined} articles examined, {self.candidate_pairs} candidate pairs, {self.links} copy links, "
                f"{self.families} families ({self.multi_families} with copies){reused} in {self.seconds:.1f}s")


def ingest(store: Store, sources: Iterable[str], settings: Settings | None = None,
           progress: Progress = _no_progress) -> IngestStats:
    """Read every source into the store. A bad input is recorded in ``rejects`` and the batch goes on;
    each article is committed on its own, so an interrupted run keeps all it stored and a rerun resumes."""
    settings = settings or Settings()
    t0 = time.perf_counter()
    stats = store_items(store, iter_sources(sources, settings), settings, progress)
    stats.seconds = time.perf_counter() - t0
    return stats


def store_items(store: Store, items: Iterable[RawDoc | Reject], settings: Settings,
                progress: Progress = _no_progress) -> IngestStats:
    """Clean and store RawDocs, record Rejects, then relearn boilerplate for the outlets touched.

    Pages are cleaned in ``settings.workers`` processes (:func:`~scamtrace.clean.stage.clean_items`)
    and written in input order, :data:`~scamtrace.store.raw.WRITE_BATCH` per transaction
    (:func:`~scamtrace.store.raw.put_batch`); when the input stops with an error, what was read is
    still stored before the error goes on."""
    stats = IngestStats()
    model = load_boilerplate(store)
    touched: set[str] = set()
    pending: list[ToStore | Reject] = []

    def flush() -> None:
        batch = list(pending)
        pending.clear()
        for entry, result in zip(batch, put_batch(store, batch) if batch else []):
            if isinstance(entry, Reject):
                continue
            if isinstance(result, Reject):
                _count_reject(stats, result)
                continue
            if result is PutStatus.CONFLICT:
                log.warning("%s: id %s already holds different text; kept as a conflict (see `scamtrace rejects`)",
                            entry.on_conflict.source, entry.article.id)
            assert isinstance(result, PutStatus)
            stats.count(result)
            art = entry.article
            if art.outlet and result in (PutStatus.NEW, PutStatus.UPDATED):
                touched.add(art.outlet)
            note = language_note(art.language) if result in (PutStatus.NEW, PutStatus.UPDATED) else None
            if note:
                stats.notes.append(f"{entry.on_conflict.source}: {note}")
                log.warning("%s", stats.notes[-1])

    cleaned = clean_items((scrub(item) for item in items), model, settings, resolve_workers(settings.workers))
    try:
        for done, (item, result) in enumerate(cleaned, 1):
            progress("ingest", done, None)
            if isinstance(item, Reject) or result is None:
                pending.append(_count_reject(stats, item))   # type: ignore[arg-type]
            elif result.reject is not None:
                pending.append(_count_reject(stats, result.reject))
            else:
                art = result.article
                assert art is not None
                pending.append(ToStore(art, item.fmt, item.body, result.extra, Reject(
                    item.source, f"{item.source}: id {art.id} already holds different text; the stored article is "
                    "kept and this version is saved in the conflicts table; give the record its own id",
                    stage="store"), result.extra_json))
            if len(pending) >= WRITE_BATCH:
                flush()
    finally:   # what was cleaned is stored, also when the input stopped with an error
        flush()
    # outlets a run stored pages for but did not learn from (it was killed before its end) are
    # learned now: learning is resumable, never lost
    stats.recleaned = relearn_boilerplate(store, touched | set(store.unlearned_outlets(settings.boilerplate_min_pages)),
                                          settings)
    return stats


def _count_reject(stats: IngestStats, rej: Reject) -> Reject:
    """Count and log a reject; returns it made storable (one line) for the store batch."""
    rej = scrub(rej)   # storable, one line
    assert isinstance(rej, Reject)
    stats.rejected += 1
    stats.reject_reasons.append(rej.reason if rej.reason.startswith(rej.source) else f"{rej.source}: {rej.reason}")
    log.info("rejected %s", stats.reject_reasons[-1])
    return rej


# An incremental analyze that re-examines at most this many articles runs its stages with Python's cyclic garbage
# collector paused (:func:`scamtrace.collector.paused`, which restores it). What a small run makes lives for the run
# or is freed by reference counting; the collections its allocations set off only walk it (bench_incremental
# at 100,000 articles, 100 added: 21 full and 261 middle collections, 0.68 CPU s of the stages' 18). A full run,
# or a larger batch, keeps the collector: the cyclic garbage it leaves could grow with the batch. Extraction
# workers (forked) turn it back on (extract.stage._worker_init).
GC_PAUSE_MAX_NEW = 1000


@contextmanager
def timed(timings: dict[str, float], name: str) -> Iterator[None]:
    """Add the seconds the block takes to ``timings[name]``: the one timer of every stage."""
    t = time.perf_counter()
    try:
        yield
    finally:
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - t


@contextmanager
def _stage(timings: dict[str, float], name: str) -> Iterator[None]:
    """One stage of :func:`analyze`, timed (:func:`timed`). The objects alive when it starts (the article
    metadata of every stored article, what earlier stages read) are frozen for the garbage collector
    (``gc.freeze``): its full collections then walk only what the stage itself makes, instead of a heap
    that grows with the store (bench_incremental at 10,000: 14 full collections took 0.8 CPU s of (b),
    against 0.1 s in (a)). :func:`analyze` unfreezes them at its end, so a long ``watch`` frees them."""
    gc.freeze()
    with timed(timings, name):
        yield


def analyze(store: Store, progress: Progress = _no_progress, full: bool = False,
            settings: Settings | None = None) -> AnalyzeStats:
    """Incremental analysis: copies (index, candidates, spin scores, classification, families), then
    extraction of the new articles, stories and knowledge.

    Only articles not yet analysed (new, re-cleaned, or named in a new judgement) and the copy
    families they touch are re-examined, unless ``full`` (see :mod:`scamtrace.copies.incremental`);
    the knowledge stage merges again the facts of the stories those articles (or the extract stage's
    corpus passes) changed and resolves the actors their names can change
    (:mod:`scamtrace.knowledge.build`). Stories are clustered again over the whole store, unless the
    re-examined articles are few against a large store (``stories.warm-v2``, :mod:`scamtrace.stories.warm`).
    Extraction runs in ``settings.workers`` processes (see :mod:`scamtrace.extract.stage`). The objects
    :func:`_stage` froze for the garbage collector are handed back to it at the end.
    """
    try:
        return _analyze(store, progress, full, settings)
    finally:
        gc.unfreeze()


def _analyze(store: Store, progress: Progress, full: bool, settings: Settings | None) -> AnalyzeStats:
    """The body of :func:`analyze`: its stages (:func:`_stages`), with the collector paused for a small
    incremental run (:data:`GC_PAUSE_MAX_NEW`)."""
    t0 = time.perf_counter()
    copies = IncrementalCopies(store, full=full, progress=progress)
    small = not full and len(copies.new_ids) <= GC_PAUSE_MAX_NEW
    with collector.paused() if small else nullcontext():
        return _stages(store, copies, progress, full, settings or Settings(), t0)


def _stages(store: Store, copies: IncrementalCopies, progress: Progress, full: bool, settings: Settings,
            t0: float) -> AnalyzeStats:
    """The stages of :func:`analyze` over ``copies``' run (``t0``: when the run started)."""
    stats = AnalyzeStats()
    timings = stats.timings
    stats.examined = len(copies.new_ids)
    with _stage(timings, "index"):
        copies.update_index()
    with _stage(timings, "candidates"):
        stats.candidate_pairs = copies.find_neighbourhood()
    with _stage(timings, "spin"):
        copies.score_spin()
    with _stage(timings, "classify"):
        copies.classify()
    with _stage(timings, "families"):
        families = copies.rebuild_families()
    stats.counts.update(copies.work())
    stats.links = copies.links
    stats.families = len(families)
    stats.multi_families = sum(1 for f in families if len(f.members) > 1)
    changed: set[str] = set()   # other articles whose records the extract stage's corpus passes changed
    with _stage(timings, "extract"):
        extract_articles(store, copies.new_ids, progress, timings, workers=settings.workers,
                         changed=changed, full=full, counts=stats.counts, neighbourhood=copies.touched | set(copies.new_ids),
                         spun_before=copies.spun_before)   # also records its parts, extract.*
    with _stage(timings, "stories"):
        # what can change a story unit: new articles, a family's members, dates and types re-extracted
        # every article without its text: frames come from the store's cache (built for new texts)
        changed_stories = store_stories(store, list(copies.meta.values()), families,
                                        None if full else set(copies.new_ids) | copies.refamilied | changed,
                                        fresh=None if full else copies.new_ids)
    with _stage(timings, "knowledge"):   # incremental: what the re-examined articles can change
        build_knowledge(store, None if full else copies.touched | set(copies.new_ids) | changed, changed_stories)
    copies.save_index()
    finish_analysis(store, copies.new_ids)
    stats.seconds = time.perf_counter() - t0
    return stats


def watch(store: Store, sources: list[str], every: str | float, settings: Settings,
          analyze_after: bool = True, max_cycles: int | None = None, stop=None,  # noqa: ANN001
          say: Callable[[str], None] | None = None) -> None:
    """Poll sources on a schedule (conditional requests, back-off), store what is new, analyze it.
    ``say`` receives one line per cycle (what was polled, stored and analysed); without it the line
    is logged at info level."""
    interval = parse_interval(every) if isinstance(every, str) else float(every)

    batch: list[str] = []

    def on_batch(docs: list[RawDoc], rejects: list[Reject]) -> None:
        stats = store_items(store, [*rejects, *docs], settings)
        line = f"stored: {stats.summary()}"
        if analyze_after and (stats.new or stats.updated):
            line += f"; analyze: {analyze(store, settings=settings).summary()}"
        if say is None:
            log.info(line)
        batch.append(line)

    def report(cycle: str) -> None:
        assert say is not None
        say("; ".join([cycle, *batch]))
        batch.clear()

    poll(sources, interval, on_batch, store.feed_state(), settings=settings, stop=stop, max_cycles=max_cycles,
         report=report if say is not None else None)
