"""Compose the stages: ingest -> clean -> store, then copies (provenance) over the store.

Only composition and timing live here; each stage is its own package.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .errors import InputError
from .model import Article, RawDoc, Reject
from .settings import Settings
from .store import Store

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

    def summary(self) -> str:
        return (f"{self.examined} articles examined, {self.candidate_pairs} candidate pairs, {self.links} copy links, "
                f"{self.families} families ({self.multi_families} with copies) in {self.seconds:.1f}s")


def clean_raw(raw: RawDoc, store: Store | None = None, models: dict | None = None) -> Article:
    """Clean one RawDoc into an Article with its stable id, using the outlet's learned boilerplate."""
    from .clean import BoilerplateModel, clean_doc
    from .ingest import stable_id

    model = None
    if store is not None and raw.outlet:
        model = _outlet_model(store, raw.outlet, models if models is not None else {}, BoilerplateModel)
    art = clean_doc(raw, model)
    if model is None and store is not None and art.outlet:
        model = _outlet_model(store, art.outlet, models if models is not None else {}, BoilerplateModel)
        if model is not None:
            art = clean_doc(raw, model)
    art.id = stable_id(raw)
    return art


def _outlet_model(store: Store, outlet: str, cache: dict, cls):  # noqa: ANN001
    if outlet not in cache:
        js = store.boilerplate_model(outlet)
        cache[outlet] = cls.from_json(js) if js else None
    return cache[outlet]


def ingest(store: Store, sources: Iterable[str], settings: Settings | None = None,
           progress: Progress = _no_progress) -> IngestStats:
    """Read every source into the store. A bad input is recorded in ``rejects`` and the batch goes on;
    each article is committed on its own, so an interrupted run keeps all it stored and a rerun resumes."""
    from .ingest import iter_sources

    settings = settings or Settings()
    t0 = time.perf_counter()
    stats = store_items(store, iter_sources(sources, settings), settings, progress)
    stats.seconds = time.perf_counter() - t0
    return stats


def store_items(store: Store, items: Iterable[RawDoc | Reject], settings: Settings,
                progress: Progress = _no_progress) -> IngestStats:
    """Clean and store RawDocs, record Rejects, then relearn boilerplate for the outlets touched."""
    stats = IngestStats()
    models: dict = {}
    touched: set[str] = set()
    for done, item in enumerate(items, 1):
        progress("ingest", done, None)
        if isinstance(item, Reject):
            _reject(store, stats, item)
            continue
        try:
            art = clean_raw(item, store, models)
        except InputError as e:
            _reject(store, stats, Reject(item.source, e.reason, stage="clean"))
            continue
        except Exception as e:  # one bad article never stops a batch
            log.debug("cleaning %s failed", item.source, exc_info=True)
            _reject(store, stats, Reject(item.source, f"cleaning failed ({type(e).__name__}: {e}); "
                                         "report this input as a bug", stage="clean"))
            continue
        status = store.put_article(art, fmt=item.fmt, body=item.body, extra=item.extra)
        if status == "conflict":
            stats.conflicts += 1
            log.warning("%s: id %s already holds different text; kept as a conflict (see `scamtrace rejects`)",
                        item.source, art.id)
        else:
            setattr(stats, status, getattr(stats, status) + 1)
        if art.outlet and status in ("new", "updated"):
            touched.add(art.outlet)
    stats.recleaned = relearn_boilerplate(store, touched, settings)
    return stats


def _reject(store: Store, stats: IngestStats, rej: Reject) -> None:
    stats.rejected += 1
    stats.reject_reasons.append(f"{rej.source}: {rej.reason}" if not rej.reason.startswith(rej.source) else rej.reason)
    log.warning("rejected %s", stats.reject_reasons[-1])
    store.add_reject(rej)


def relearn_boilerplate(store: Store, outlets: Iterable[str], settings: Settings) -> int:
    """Learn lines repeated across many pages of each touched outlet and re-clean that outlet's articles.

    The model is fitted on the touched outlets' pages cleaned without a model *and* on every other
    outlet's stored text, so a line that pages of two outlets share (evidence of copying) is never
    learned as boilerplate. Returns the number of articles whose clean text changed.
    """
    from .clean import BoilerplateModel, clean_doc

    minimum = settings.boilerplate_min_pages
    todo = sorted(set(outlets) & {o for o, _ in store.outlets_with_pages(minimum)})
    if not todo:
        return 0
    raws: dict[str, list[tuple[RawDoc, Article]]] = {}
    for outlet in todo:
        raws[outlet] = []
        for aid, fmt, body, extra in store.outlet_raw_docs(outlet):
            old = store.get_article(aid)
            raw = RawDoc(source=old.source, body=body, fmt=fmt, id=aid, url=old.url,  # type: ignore[arg-type]
                         outlet=outlet, title=old.title, published=old.published, extra=extra)
            try:
                raws[outlet].append((raw, clean_doc(raw, None)))
            except InputError:
                continue
    docs = [(o, art.text) for o in todo for _, art in raws[o]]
    docs += [(o, text) for o, text in store.outlet_texts() if o not in raws]
    model = BoilerplateModel(min_pages=minimum).fit(docs)
    changed = 0
    for outlet in todo:
        mine = BoilerplateModel(min_pages=minimum)
        mine.lines = {outlet: model.lines.get(outlet, set())}
        mine.pages_seen = {outlet: model.pages_seen.get(outlet, 0)}
        store.put_boilerplate_model(outlet, mine.to_json(), len(raws[outlet]))
        for raw, _ in raws[outlet]:
            try:
                art = clean_doc(raw, mine)
            except InputError:
                continue
            art.id = raw.id or ""
            if store.put_article(art, fmt=raw.fmt, body=raw.body, extra=raw.extra) == "updated":
                changed += 1
    return changed

def watch(store: Store, sources: list[str], every: str | float, settings: Settings,
          analyze_after: bool = True, max_cycles: int | None = None, stop=None) -> None:  # noqa: ANN001
    """Poll sources on a schedule (conditional requests, back-off), store what is new, analyze it."""
    from .ingest import parse_interval
    from .ingest import watch as poll

    interval = parse_interval(every) if isinstance(every, str) else float(every)

    def on_batch(docs: list[RawDoc], rejects: list[Reject]) -> None:
        stats = store_items(store, [*rejects, *docs], settings)
        line = f"stored: {stats.summary()}"
        if analyze_after and (stats.new or stats.updated):
            line += f"; analyze: {analyze(store).summary()}"
        log.info(line)

    poll(sources, interval, on_batch, store.feed_state(), settings=settings, stop=stop, max_cycles=max_cycles)
