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
    stats = IngestStats()
    t0 = time.perf_counter()
    models: dict = {}
    touched: set[str] = set()
    done = 0
    for item in iter_sources(sources, settings):
        done += 1
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
    stats.seconds = time.perf_counter() - t0
    return stats


def _reject(store: Store, stats: IngestStats, rej: Reject) -> None:
    stats.rejected += 1
    stats.reject_reasons.append(f"{rej.source}: {rej.reason}" if not rej.reason.startswith(rej.source) else rej.reason)
    log.warning("rejected %s", stats.reject_reasons[-1])
    store.add_reject(rej)


def relearn_boilerplate(store: Store, outlets: Iterable[str], settings: Settings) -> int:
    """Learn lines repeated across many pages of each touched outlet and re-clean that outlet's articles.

    Returns the number of articles whose clean text changed.
    """
    from .clean import BoilerplateModel, clean_doc

    minimum = settings.boilerplate_min_pages
    eligible = {o for o, _ in store.outlets_with_pages(minimum)}
    changed = 0
    for outlet in sorted(set(outlets) & eligible):
        raws = []
        for aid, fmt, body, extra in store.outlet_raw_docs(outlet):
            raw = RawDoc(source="", body=body, fmt=fmt, extra=extra)  # type: ignore[arg-type]
            old = store.get_article(aid)
            raw.source, raw.url, raw.outlet, raw.title, raw.published = old.source, old.url, old.outlet, old.title, old.published
            raw.id = aid
            raws.append((aid, raw, clean_doc(raw, None)))
        model = BoilerplateModel(min_pages=minimum)
        model.fit((outlet, art.text) for _, _, art in raws)
        store.put_boilerplate_model(outlet, model.to_json(), len(raws))
        for aid, raw, _ in raws:
            try:
                art = clean_doc(raw, model)
            except InputError:
                continue
            art.id = aid
            if store.put_article(art, fmt=raw.fmt, body=raw.body, extra=raw.extra) == "updated":
                changed += 1
    return changed
