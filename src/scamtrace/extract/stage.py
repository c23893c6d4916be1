"""The extract stage over a store: entities, figures, dates, quotes and event frames for a list of
articles, then the corpus-level passes (repeated dates, family wording)."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from itertools import islice

from ..model import Reject
from ..store import Store
from ..store.extracted import put_extraction
from . import extract
from .corpus_dates import apply_repeat_dates, reference_dates
from .entities import preparsed
from .events import find_events
from .family_wording import apply_family_wording

log = logging.getLogger(__name__)

Progress = Callable[[str, int, "int | None"], None]

#: Articles per extraction batch: their texts go through spaCy in one ``nlp.pipe`` call (see
#: :func:`scamtrace.extract.entities.preparsed`); bounds the parsed docs held in memory at once.
EXTRACT_BATCH = 64

#: The parts of :func:`extract_articles` whose seconds are added to ``timings``.
PARTS = ("extract.ner", "extract.rules", "extract.events", "extract.store", "extract.corpus_dates",
         "extract.family_wording")


def _no_progress(label: str, done: int, total: int | None) -> None:
    return None


def extract_articles(store: Store, ids: Iterable[str], progress: Progress = _no_progress,
                     timings: dict[str, float] | None = None) -> int:
    """Entities, figures, dates, quotes and event frames for each article in ``ids`` (replacing old ones).

    Articles are read and parsed in batches of ``EXTRACT_BATCH``; each article is still extracted
    and stored on its own, so one bad article never stops the others.

    ``timings``, when given, receives the seconds of the parts under ``extract.*``: ``ner`` (spaCy
    over each batch), ``rules`` (dates, quotes, figures, entity resolution), ``events``, ``store``
    (writing the records), ``corpus_dates`` and ``family_wording``.
    """
    parts = dict.fromkeys(PARTS, 0.0)
    ids = list(ids)
    # undated copies resolve "Tuesday" against the day of the dated article they copy
    refs = reference_dates({k: a.published for k, a in store.article_meta().items()}, store.links()) if ids else {}
    arts = store.iter_articles(ids)
    n = 0
    while batch := list(islice(arts, EXTRACT_BATCH)):
        t = time.perf_counter()
        with preparsed([a.text or "" for a in batch]):
            parts["extract.ner"] += time.perf_counter() - t
            for art in batch:
                n += 1
                try:
                    t = time.perf_counter()
                    ex = extract(art, reference_date=refs[art.id][0] if art.id in refs else None)
                    t1 = time.perf_counter()
                    events = find_events(art, ex)
                    t2 = time.perf_counter()
                except Exception as e:  # one bad article never stops a batch
                    log.debug("extracting %s failed", art.id, exc_info=True)
                    store.add_reject(Reject(art.source, f"{art.source}: extraction failed ({type(e).__name__}: {e}); "
                                            "report this article as a bug", stage="extract"))
                    continue
                put_extraction(store, art.id, ex, events)
                parts["extract.rules"] += t1 - t
                parts["extract.events"] += t2 - t1
                parts["extract.store"] += time.perf_counter() - t2
                progress("extract", n, len(ids))
    if ids:   # undated counts take the day of the same count stated with a day elsewhere
        t = time.perf_counter()
        apply_repeat_dates(store)
        parts["extract.corpus_dates"] += time.perf_counter() - t
        t = time.perf_counter()   # a spun copy's names, quotes and figure wording come from its family
        apply_family_wording(store)
        parts["extract.family_wording"] += time.perf_counter() - t
    if timings is not None:
        for k, v in parts.items():
            timings[k] = timings.get(k, 0.0) + v
    return len(ids)
