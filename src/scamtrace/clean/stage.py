"""The clean stage over a store: clean one RawDoc with every outlet's learned boilerplate, and
relearn boilerplate for the outlets an ingest touched (re-cleaning only the pages it changes)."""
from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import urlsplit

from ..errors import InputError, NotFound
from ..ingest.ids import stable_id
from ..model import Article, RawDoc
from ..settings import Settings
from ..store import PutStatus, Store
from ..store.analysis import boilerplate_model_jsons
from ..store.raw import raw_from_store
from ..timelimit import TimeLimitExceeded, time_limit
from . import clean_doc
from .model import BoilerplateModel
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

    ``clean.boilerplate-relearn-v2``: the model is fitted on the stored texts of the touched outlets
    (no re-extraction); a learned line is kept only when no other outlet's article contains it
    (a full-text phrase query), because a line shared across outlets is evidence of copying. Learned
    lines accumulate: a line once learned stays, since it is gone from the stored texts.
    """
    minimum = settings.boilerplate_min_pages
    todo = sorted(set(outlets) & {o for o, _ in store.outlets_with_pages(minimum)})
    if not todo:
        return 0
    old = load_boilerplate(store) or BoilerplateModel(min_pages=minimum)
    texts = {o: list(store.outlet_article_texts(o)) for o in todo}
    fitted = BoilerplateModel(min_pages=minimum).fit((o, t) for o in todo for _, t in texts[o])
    changed = 0
    for outlet in todo:
        before = old.lines.get(outlet, set())
        learned = {k for k in fitted.lines.get(outlet, set()) - before if not store.other_outlets_with_phrase(k, outlet)}
        mine = BoilerplateModel(min_pages=minimum)
        mine.lines = {outlet: before | learned}
        mine.pages_seen = {outlet: len(texts[outlet])}
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
            store.put_boilerplate_model(outlet, mine.to_json(), len(texts[outlet]))
    return changed
