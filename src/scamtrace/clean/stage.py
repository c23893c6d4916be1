"""The clean stage over a store: clean one RawDoc with every outlet's learned boilerplate, and
relearn boilerplate for the outlets an ingest touched (re-cleaning only the pages it changes)."""
from __future__ import annotations

import json
import logging
import multiprocessing
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..errors import InputError, NotFound
from ..ingest.ids import stable_id
from ..model import Article, RawDoc, Reject
from ..settings import Settings
from ..store import PutStatus, Store
from ..store.analysis import boilerplate_model_jsons
from ..store.caches import frequent_boilerplate_keys, outlet_page_count, update_boilerplate_counts
from ..store.raw import RECORD_KEY, raw_from_store, record_fields
from ..timelimit import TimeLimitExceeded, alarm_scope, time_limit
from . import clean_doc
from .learned import BoilerplateModel, page_digest, page_keys
from .text import paragraph_key, split_paragraphs

log = logging.getLogger(__name__)


def clean_raw(raw: RawDoc, model: BoilerplateModel | None = None, settings: Settings | None = None) -> Article:
    """Clean one RawDoc into an Article with its stable id, using learned per-outlet boilerplate
    and the ``min_article_words`` setting.

    ``model`` is a :class:`~scamtrace.clean.BoilerplateModel` holding every outlet's learned lines
    (see :func:`load_boilerplate`). A feed entry's outlet is its feed's title; a page whose site
    name cannot be found is named by its host.
    """
    feed = raw.extra.get("feed_title") if raw.extra else None
    if not raw.outlet and isinstance(feed, str) and feed.strip():
        raw.outlet = feed.strip()
    min_words = (settings or Settings()).min_article_words
    art = clean_doc(raw, model, min_words=min_words)
    if not art.outlet:
        art.outlet = fallback_outlet(raw)
        if art.outlet and model is not None and art.outlet in model.lines:
            raw.outlet = art.outlet
            art = clean_doc(raw, model, min_words=min_words)
    art.id = stable_id(raw)
    return art


def fallback_outlet(raw: RawDoc) -> str | None:
    """When cleaning finds no site name: the URL's host without ``www.``."""
    if raw.url:
        host = (urlsplit(raw.url).hostname or "").lower()
        return host[4:] if host.startswith("www.") else host or None
    return None


def load_boilerplate(store: Store) -> BoilerplateModel | None:
    """One model with every outlet's learned boilerplate lines (None when nothing is learned yet)."""
    merged = None
    for js in boilerplate_model_jsons(store):
        m = BoilerplateModel.from_json(js)
        if merged is None:
            merged = BoilerplateModel(min_pages=m.min_pages)
        merged.lines.update(m.lines)
        merged.pages_seen.update(m.pages_seen)
    return merged


def relearn_boilerplate(store: Store, outlets: Iterable[str], settings: Settings) -> int:
    """Learn lines repeated across many pages of each touched outlet; re-clean only pages that hold a
    newly learned line. Returns the number of articles whose clean text changed.

    ``clean.boilerplate-relearn-v3``: the model is what :meth:`BoilerplateModel.fit` gives over the
    stored texts of the touched outlets (no re-extraction), read from the store's line counts
    (``boilerplate_keys``, brought up to the stored texts first: v2 read and split every text of
    every touched outlet at each ingest); a learned line is kept only when no other outlet's
    article contains it (a full-text phrase query), because a line shared across outlets is
    evidence of copying. Learned lines accumulate: a line once learned stays, since it is gone from
    the stored texts. An outlet's texts are read only when it learns a line (to re-clean them).
    """
    minimum = settings.boilerplate_min_pages
    todo = sorted(set(outlets) & {o for o, _ in store.outlets_with_pages(minimum)})
    if not todo:
        return 0
    old = load_boilerplate(store) or BoilerplateModel(min_pages=minimum)
    update_boilerplate_counts(store, page_digest, page_keys)
    if all(o and o == o.strip() for o in todo):
        fitted_lines = frequent_boilerplate_keys(store, todo, minimum)
        texts: dict[str, list[tuple[str, str]]] = {}
    else:   # fit() groups pages by the stripped outlet name: fit the texts as it does
        texts = {o: list(store.outlet_article_texts(o)) for o in todo}
        fitted_lines = BoilerplateModel(min_pages=minimum).fit((o, t) for o in todo for _, t in texts[o]).lines
    changed = 0
    for outlet in todo:
        before = old.lines.get(outlet, set())
        learned = {k for k in fitted_lines.get(outlet, set()) - before if not store.other_outlets_with_phrase(k, outlet)}
        if learned and outlet not in texts:
            texts[outlet] = list(store.outlet_article_texts(outlet))
        mine = BoilerplateModel(min_pages=minimum)
        mine.lines = {outlet: before | learned}
        pages = len(texts[outlet]) if outlet in texts else outlet_page_count(store, outlet)
        mine.pages_seen = {outlet: pages}
        cleaned = []
        for aid, text in texts[outlet] if learned else ():
            if not any(paragraph_key(p) in learned for p in split_paragraphs(text)):
                continue
            try:
                fmt, body, extra = store.raw_doc(aid)
            except NotFound:   # an article imported without its raw document
                continue
            raw = raw_from_store(fmt, body, extra)
            try:
                with time_limit(float(settings.doc_timeout), "cleaning"):
                    art = clean_raw(raw, mine, settings)
            except (InputError, TimeLimitExceeded):
                continue
            except Exception:  # the page was cleaned once: keep that text rather than stop
                log.debug("re-cleaning %s failed", aid, exc_info=True)
                continue
            art.id = aid
            cleaned.append((art, raw, extra))
        # the re-cleaned pages and the model are written together: a run killed here leaves the
        # outlet unlearned (model pages != articles), and the next ingest learns it again
        with store.write():
            for art, raw, extra in cleaned:
                if store.put_article(art, fmt=raw.fmt, body=raw.body, extra=extra) is PutStatus.UPDATED:
                    changed += 1
            store.put_boilerplate_model(outlet, mine.to_json(), pages)
    return changed


@dataclass(slots=True)
class Cleaned:
    """What cleaning made of one RawDoc: the article and the ``extra`` to store beside its raw body
    (with its JSON, as the store writes it), or the reject that says why not."""
    article: Article | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    reject: Reject | None = None
    extra_json: str | None = None


def clean_item(item: RawDoc, model: BoilerplateModel | None, settings: Settings) -> Cleaned:
    """Clean one RawDoc within ``doc_timeout``; never raises: a failure is a reject with its reason."""
    try:
        extra = {**item.extra, RECORD_KEY: record_fields(item)}
        with time_limit(float(settings.doc_timeout), "cleaning"):
            art = clean_raw(item, model, settings)
        extra_json = json.dumps(extra, default=str)   # what the store will write: fail here, not half-way through it
    except InputError as e:
        return Cleaned(reject=Reject(item.source, f"{item.source}: {e.reason}", stage="clean"))
    except TimeLimitExceeded as e:
        return Cleaned(reject=Reject(item.source, f"{item.source}: {e} (doc_timeout); skipped, the batch goes "
                                     "on; raise -s doc_timeout if the page is real", stage="clean"))
    except Exception as e:  # one bad article never stops a batch
        log.debug("cleaning %s failed", item.source, exc_info=True)
        return Cleaned(reject=Reject(item.source, f"{item.source}: cleaning failed ({type(e).__name__}: {e}); "
                                     "report this input as a bug", stage="clean"))
    return Cleaned(art, extra, extra_json=extra_json)


#: RawDocs a worker process cleans per task (``clean.pool-v1``).
CLEAN_BATCH = 16

#: The boilerplate model and settings of the run, set in each worker process by :func:`_init_worker`.
_WORKER: dict[str, Any] = {}


def _init_worker(model: BoilerplateModel | None, settings: dict[str, Any]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C stops the writer, which stops the pool
    _WORKER["model"], _WORKER["settings"] = model, Settings(**settings)


def _clean_batch(items: list[RawDoc]) -> list[Cleaned]:
    with alarm_scope():
        return [clean_item(item, _WORKER["model"], _WORKER["settings"]) for item in items]


def clean_items(items: Iterable[RawDoc | Reject], model: BoilerplateModel | None, settings: Settings,
                workers: int = 1) -> Iterator[tuple[RawDoc | Reject, Cleaned | None]]:
    """Each item with what cleaning made of it (None for a Reject), in input order.

    ``clean.pool-v1``: with ``workers`` > 1 and more than ``2 * CLEAN_BATCH`` documents, the RawDocs
    are cleaned in batches of :data:`CLEAN_BATCH` by that many worker processes (each holds the
    run's boilerplate model) while this process keeps reading; results come back in input order, so
    what is stored is the same as with one process. At most ``2 * workers`` batches are in flight.
    When the input stops with an error (Ctrl-C while reading), what was read is still cleaned and
    yielded before the error is raised again.
    """
    it = iter(items)
    head: list[RawDoc | Reject] = []
    docs = 0

    def here(batch: Iterable[RawDoc | Reject]) -> Iterator[tuple[RawDoc | Reject, Cleaned | None]]:
        with alarm_scope():   # one SIGALRM handler for the loop, not two signal() calls per document
            for item in batch:
                yield item, None if isinstance(item, Reject) else clean_item(item, model, settings)

    if workers <= 1:
        yield from here(it)
        return
    try:
        for item in it:   # a small input is cleaned here: starting workers would cost more than it saves
            head.append(item)
            docs += not isinstance(item, Reject)
            if docs > 2 * CLEAN_BATCH:
                break
    except BaseException:   # the input stopped: clean and hand over what was read, then stop
        yield from here(head)
        raise
    if docs <= 2 * CLEAN_BATCH:
        yield from here(head)
        return
    yield from _pooled(head, it, model, settings, workers)


def _pooled(head: list[RawDoc | Reject], rest: Iterator[RawDoc | Reject], model: BoilerplateModel | None,
            settings: Settings, workers: int) -> Iterator[tuple[RawDoc | Reject, Cleaned | None]]:
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                               initargs=(model, settings.as_dict()))
    pending: deque[tuple[list[RawDoc | Reject], Future | None]] = deque()
    group: list[RawDoc | Reject] = []

    def submit() -> None:
        docs = [x for x in group if not isinstance(x, Reject)]
        pending.append((list(group), pool.submit(_clean_batch, docs) if docs else None))
        group.clear()

    def drain(limit: int) -> Iterator[tuple[RawDoc | Reject, Cleaned | None]]:
        while len(pending) > limit:
            items, fut = pending.popleft()
            results = iter(fut.result() if fut is not None else ())
            for item in items:
                yield item, None if isinstance(item, Reject) else next(results)

    def read() -> Iterator[RawDoc | Reject]:
        yield from head
        yield from rest

    try:
        source = read()
        while True:
            try:
                item = next(source)
            except StopIteration:
                break
            except BaseException:   # the input stopped: clean and hand over what was read, then stop
                if group:
                    submit()
                yield from drain(0)
                raise
            group.append(item)
            if sum(not isinstance(x, Reject) for x in group) >= CLEAN_BATCH:
                submit()
                yield from drain(2 * workers)
        if group:
            submit()
        yield from drain(0)
    finally:   # stopped early (Ctrl-C, an error): batches not started are dropped
        pool.shutdown(wait=True, cancel_futures=True)
