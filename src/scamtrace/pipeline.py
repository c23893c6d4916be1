"""Compose the stages: ingest -> clean -> store, then copies (provenance) over the store.

Only composition and timing live here; each stage is its own package.
"""
from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterable
from typing import Any
from dataclasses import dataclass, field

from .clean.metadata import language_note
from .errors import InputError, NotFound
from .model import Article, RawDoc, Reject
from .settings import Settings
from .store import PutStatus, Store
from .timelimit import TimeLimitExceeded, time_limit

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

    def summary(self) -> str:
        return (f"{self.examined} articles examined, {self.candidate_pairs} candidate pairs, {self.links} copy links, "
                f"{self.families} families ({self.multi_families} with copies) in {self.seconds:.1f}s")


def clean_raw(raw: RawDoc, model=None, settings: Settings | None = None) -> Article:  # noqa: ANN001
    """Clean one RawDoc into an Article with its stable id, using learned per-outlet boilerplate
    and the ``min_article_words`` setting.

    ``model`` is a :class:`~scamtrace.clean.BoilerplateModel` holding every outlet's learned lines
    (see :func:`load_boilerplate`). A feed entry's outlet is its feed's title; a page whose site
    name cannot be found is named by its host.
    """
    from .clean import clean_doc
    from .ingest import stable_id

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


RECORD_KEY = "_record"
_RECORD_FIELDS = ("source", "id", "url", "outlet", "title", "published", "byline", "language")


def record_fields(raw: RawDoc) -> dict:
    """The fields a RawDoc arrived with, kept beside its body so it can be cleaned again exactly."""
    d = {k: getattr(raw, k) for k in _RECORD_FIELDS}
    d["published"] = raw.published.isoformat() if raw.published else None
    return d


def raw_from_store(fmt: str, body: str, extra: dict) -> RawDoc:
    """Rebuild the RawDoc an article was ingested from."""
    import datetime as dt

    extra = dict(extra)
    rec = extra.pop(RECORD_KEY, {})
    pub = rec.get("published")
    return RawDoc(source=rec.get("source") or "", body=body, fmt=fmt,  # type: ignore[arg-type]
                  id=rec.get("id"), url=rec.get("url"), outlet=rec.get("outlet"), title=rec.get("title"),
                  published=dt.date.fromisoformat(pub) if pub else None, byline=rec.get("byline"),
                  language=rec.get("language"), extra=extra)


def load_boilerplate(store: Store):  # noqa: ANN201
    """One model with every outlet's learned boilerplate lines (None when nothing is learned yet)."""
    from .clean import BoilerplateModel

    merged = None
    for row in store.execute("SELECT model FROM boilerplate_models ORDER BY outlet"):
        m = BoilerplateModel.from_json(row[0])
        if merged is None:
            merged = BoilerplateModel(min_pages=m.min_pages)
        merged.lines.update(m.lines)
        merged.pages_seen.update(m.pages_seen)
    return merged


def fallback_outlet(raw: RawDoc) -> str | None:
    """When cleaning finds no site name: the URL's host without ``www.``."""
    if raw.url:
        from urllib.parse import urlsplit

        host = (urlsplit(raw.url).hostname or "").lower()
        return host[4:] if host.startswith("www.") else host or None
    return None


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
    model = load_boilerplate(store)
    touched: set[str] = set()
    limit = float(settings.doc_timeout)
    for done, item in enumerate(items, 1):
        progress("ingest", done, None)
        item = scrub(item)
        if isinstance(item, Reject):
            _reject(store, stats, item)
            continue
        try:
            extra = {**item.extra, RECORD_KEY: record_fields(item)}
            with time_limit(limit, "cleaning"):
                art = clean_raw(item, model, settings)
            json.dumps(extra, default=str)   # what the store will write: fail here, not half-way through it
        except InputError as e:
            _reject(store, stats, Reject(item.source, f"{item.source}: {e.reason}", stage="clean"))
            continue
        except TimeLimitExceeded as e:
            _reject(store, stats, Reject(item.source, f"{item.source}: {e} (doc_timeout); skipped, the batch goes "
                                         "on; raise -s doc_timeout if the page is real", stage="clean"))
            continue
        except Exception as e:  # one bad article never stops a batch
            log.debug("cleaning %s failed", item.source, exc_info=True)
            _reject(store, stats, Reject(item.source, f"{item.source}: cleaning failed ({type(e).__name__}: {e}); "
                                         "report this input as a bug", stage="clean"))
            continue
        status = store.put_article(art, fmt=item.fmt, body=item.body, extra=extra)
        if status is PutStatus.CONFLICT:
            stats.conflicts += 1
            store.add_reject(Reject(item.source, f"{item.source}: id {art.id} already holds different text; the "
                                    "stored article is kept and this version is saved in the conflicts table; "
                                    "give the record its own id", stage="store"))
            log.warning("%s: id %s already holds different text; kept as a conflict (see `scamtrace rejects`)",
                        item.source, art.id)
        else:
            stats.count(status)
        if art.outlet and status in (PutStatus.NEW, PutStatus.UPDATED):
            touched.add(art.outlet)
        note = language_note(art.language) if status in (PutStatus.NEW, PutStatus.UPDATED) else None
        if note:
            stats.notes.append(f"{item.source}: {note}")
            log.warning("%s", stats.notes[-1])
    # outlets a run stored pages for but did not learn from (it was killed before its end) are
    # learned now: learning is resumable, never lost
    stats.recleaned = relearn_boilerplate(store, touched | set(store.unlearned_outlets(settings.boilerplate_min_pages)),
                                          settings)
    return stats


_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
_LINE_BREAK_RE = re.compile(r"[\r\n]+")


def scrub_text(value: str) -> str:
    """``value`` with lone surrogates replaced, so it can be stored as UTF-8.

    They arrive from JSON escapes (``"\\ud800"``) as U+FFFD, and from file names that are not
    UTF-8 (Python keeps each undecodable byte as a surrogate) as ``\\xNN``, which names the byte."""
    if not _SURROGATE_RE.search(value):
        return value
    return _SURROGATE_RE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}" if 0xDC80 <= ord(m.group()) <= 0xDCFF
                             else "\ufffd", value)


def _scrub_value(v: Any) -> Any:
    if isinstance(v, str):
        return scrub_text(v)
    if isinstance(v, dict):
        return {scrub_text(str(k)): _scrub_value(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_scrub_value(x) for x in v]
    return v


def scrub(item: RawDoc | Reject) -> RawDoc | Reject:
    """Every string of a RawDoc or Reject made storable (see :func:`scrub_text`)."""
    if isinstance(item, Reject):
        item.source, item.reason = scrub_text(item.source), _LINE_BREAK_RE.sub(" ", scrub_text(item.reason))
        if isinstance(item.detail, str):
            item.detail = scrub_text(item.detail)
        return item
    for name in ("source", "body", "id", "url", "outlet", "title", "byline", "language"):
        v = getattr(item, name)
        if isinstance(v, str):
            setattr(item, name, scrub_text(v))
    item.extra = _scrub_value(item.extra)
    return item


def _reject(store: Store, stats: IngestStats, rej: Reject) -> None:
    rej = scrub(rej)   # storable, one line
    stats.rejected += 1
    stats.reject_reasons.append(rej.reason if rej.reason.startswith(rej.source) else f"{rej.source}: {rej.reason}")
    log.info("rejected %s", stats.reject_reasons[-1])
    store.add_reject(rej)


def relearn_boilerplate(store: Store, outlets: Iterable[str], settings: Settings) -> int:
    """Learn lines repeated across many pages of each touched outlet; re-clean only pages that hold a
    newly learned line. Returns the number of articles whose clean text changed.

    ``clean.boilerplate-relearn-v2``: the model is fitted on the stored texts of the touched outlets
    (no re-extraction); a learned line is kept only when no other outlet's article contains it
    (a full-text phrase query), because a line shared across outlets is evidence of copying. Learned
    lines accumulate: a line once learned stays, since it is gone from the stored texts.
    """
    from .clean import BoilerplateModel
    from .clean.text import paragraph_key, split_paragraphs

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

def analyze(store: Store, progress: Progress = _no_progress, full: bool = False) -> AnalyzeStats:
    """Incremental analysis: copies (index, candidates, classification, families), spin scores, stories.

    Only articles not yet analysed (new, re-cleaned, or named in a new judgement) and the copy
    families they touch are re-examined, unless ``full``.
    """
    from .copies.engine import find_copies
    from .copies.families import build_families, other_end
    from .copies.index import CANDIDATES_ALGORITHM, CandidateIndex
    from .copies.spin import COLLOCATION_MIN_DOCS, SPIN_ALGORITHM, CollocationModel, spin_score

    stats = AnalyzeStats()
    t0 = time.perf_counter()
    meta = store.article_meta()
    new_ids = sorted(meta) if full else store.unanalyzed_ids()
    stats.examined = len(new_ids)

    # 1. candidate index: load, add what is new, persist
    t = time.perf_counter()
    idx = None
    blob = None if full else store.copy_index_blob()
    if blob:
        try:
            idx = CandidateIndex.from_bytes(blob)
        except ValueError as e:
            log.warning("rebuilding the copy index: %s", e)
    if idx is None:
        idx = CandidateIndex()
        todo = sorted(meta)
    else:
        todo = [i for i in new_ids if i in meta]
    def _texts():  # noqa: ANN202
        for n, art in enumerate(store.iter_articles(todo), 1):
            progress("index", n, len(todo))
            yield art.id, art.text

    idx.add_many(_texts())
    stats.timings["index"] = time.perf_counter() - t

    # 2. the neighbourhood: new articles, their candidates, judged partners, closed over families
    #    and stored links, so every link that will be replaced is recomputed from whole components
    t = time.perf_counter()
    new_cands = idx.candidates_many(new_ids) if new_ids else {}
    judgements = store.judgements()
    touched = set(new_ids) | {o for cands in new_cands.values() for o, _, _ in cands}
    touched |= {x for a, b, _ in judgements if a in touched or b in touched for x in (a, b)}
    touched = _close_neighbourhood(store, touched)
    pairs = {(min(x, o), max(x, o)) for x, cands in idx.candidates_many(sorted(touched)).items()
             for o, _, _ in cands if o in touched} if touched else set()
    for ln in store.links():
        o = other_end(ln)
        if o and ln.article in touched:
            pairs.add((min(ln.article, o), max(ln.article, o)))
    stats.candidate_pairs = len(pairs)
    stats.timings["candidates"] = time.perf_counter() - t

    # 3. spin scores of the neighbourhood (corpus-wide collocations), then classify it
    t = time.perf_counter()
    corpus = list(store.iter_articles())   # read once: the spin model and the stories both need every text
    model = CollocationModel().fit(a.text for a in corpus) if len(meta) >= COLLOCATION_MIN_DOCS else None
    arts = list(store.iter_articles(sorted(touched)))
    texts = {a.id: a.text for a in arts}
    spins: dict[str, float] = {}
    for aid in sorted(set(new_ids) | touched):   # the neighbourhood is scored with today's corpus model
        score, evidence = spin_score(texts.get(aid) or store.get_article(aid).text, model=model)
        store.put_spin_score(aid, score, SPIN_ALGORITHM, evidence)
        spins[aid] = score
    stats.timings["spin"] = time.perf_counter() - t

    t = time.perf_counter()
    res = find_copies(arts, candidates=sorted(pairs), spin_model=model, spin=spins,
                      judgements=[j for j in judgements if j[0] in touched and j[1] in touched])
    store.put_links(res.links, replace_for=sorted(touched))
    stats.timings["classify"] = time.perf_counter() - t

    # 4. families over all links
    t = time.perf_counter()
    all_links = store.links()
    families = build_families(meta, all_links)
    store.replace_families(families)
    stats.links = len(all_links)
    stats.families = len(families)
    stats.multi_families = sum(1 for f in families if len(f.members) > 1)
    stats.timings["families"] = time.perf_counter() - t

    t = time.perf_counter()
    _extract_articles(store, new_ids, progress, stats.timings)   # also records its parts, extract.*
    stats.timings["extract"] = time.perf_counter() - t

    t = time.perf_counter()
    store_stories(store, corpus, families)
    stats.timings["stories"] = time.perf_counter() - t

    t = time.perf_counter()
    build_knowledge(store)
    stats.timings["knowledge"] = time.perf_counter() - t

    store.put_copy_index_blob(idx.to_bytes(), CANDIDATES_ALGORITHM, len(idx))
    store.mark_analyzed(new_ids)
    stats.seconds = time.perf_counter() - t0
    return stats


#: Articles per extraction batch: their texts go through spaCy in one ``nlp.pipe`` call (see
#: :func:`scamtrace.extract.entities.preparsed`); bounds the parsed docs held in memory at once.
EXTRACT_BATCH = 64


def extract_articles(store: Store, ids: Iterable[str], progress: Progress = _no_progress) -> int:
    """Entities, figures, dates, quotes and event frames for each article in ``ids`` (replacing old ones).

    Articles are read and parsed in batches of ``EXTRACT_BATCH``; each article is still extracted
    and stored on its own, so one bad article never stops the others.
    """
    return _extract_articles(store, ids, progress, {})


def _extract_articles(store: Store, ids: Iterable[str], progress: Progress, timings: dict[str, float]) -> int:
    """:func:`extract_articles`, adding the seconds of its parts to ``timings`` under ``extract.*``:
    ``ner`` (spaCy over each batch), ``rules`` (dates, quotes, figures, entity resolution), ``events``
    and ``store`` (writing the records)."""
    from itertools import islice

    from .extract import extract
    from .extract.corpus_dates import apply_repeat_dates, reference_dates
    from .extract.entities import preparsed
    from .extract.events import find_events
    from .extract.family_wording import apply_family_wording
    from .store.extracted import put_extraction

    parts = dict.fromkeys(("extract.ner", "extract.rules", "extract.events", "extract.store",
                           "extract.corpus_dates", "extract.family_wording"), 0.0)
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
    for k, v in parts.items():
        timings[k] = timings.get(k, 0.0) + v
    return len(ids)


def store_stories(store: Store, corpus: list[Article], families: list[Any]) -> None:
    """Cluster the corpus into stories (``stories.event-v3``), carry the earlier stories' ids over
    (``stories.ids-v1``: merges leave aliases), store them and their threads."""
    from .stories import cluster_stories
    from .stories.ids import carry_story_ids
    from .stories.threads import build_threads

    dates, types = story_frames(store)
    stories = cluster_stories(corpus, families, event_dates=dates, event_types=types)
    aliases = carry_story_ids(stories, store.story_membership(), store.alias_ids("story"))
    store.replace_stories(stories)
    store.put_aliases("story", aliases)
    store.replace_threads(build_threads(stories, corpus, types))


def story_frames(store: Store) -> tuple[dict[str, Any], dict[str, set[str]]]:
    """What the story stage takes from the extract stage: for each article without a publication date,
    the date its text names (the most often named day, the latest on a tie; a named month when no day
    is named), and each article's event types."""
    import datetime as dt
    from collections import Counter

    undated = {r[0] for r in store.execute("SELECT id FROM articles WHERE published IS NULL")}
    days: dict[str, Counter] = {}
    months: dict[str, Counter] = {}
    for r in store.execute("SELECT article, iso_start, precision FROM date_refs WHERE iso_start IS NOT NULL"):
        if r["article"] not in undated or r["precision"] not in ("day", "month"):
            continue
        try:
            d = dt.date.fromisoformat(r["iso_start"][:10])
        except ValueError:
            continue
        (days if r["precision"] == "day" else months).setdefault(r["article"], Counter())[d] += 1
    dates: dict[str, Any] = {}
    for aid in undated:
        for src, shift in ((days, 0), (months, 14)):
            if aid in src:
                d = max(src[aid].items(), key=lambda kv: (kv[1], kv[0]))[0]
                dates[aid] = d + dt.timedelta(days=shift)
                break
    types: dict[str, set[str]] = {}
    for r in store.execute("SELECT article, type FROM events WHERE hedged = 0"):
        types.setdefault(r["article"], set()).add(r["type"])
    return dates, types


def build_knowledge(store: Store) -> None:
    """Resolve actor aliases across articles; merge figures and events per story into cited facts,
    counting independent sources (families)."""
    from types import SimpleNamespace

    from .extract.events import merge_events
    from .knowledge import merge_figures
    from .store.extracted import load_events, replace_knowledge, rows

    from .knowledge.actors import resolve_actors
    from .store.extracted import replace_actors

    replace_actors(store, resolve_actors(((r["canonical"], r["label"]) for r in store.execute(
        "SELECT canonical, label FROM mentions")), store.judgements(kind="alias")))
    from .knowledge.independence import Borrowed

    fam_of = {r["article"]: r["family"] for r in store.execute("SELECT article, family FROM family_members")}
    story_of = {r["article"]: r["story"] for r in store.execute("SELECT article, story FROM story_members")}
    outlet_of = {r["id"]: r["outlet"] for r in store.execute("SELECT id, outlet FROM articles")}
    borrowed = Borrowed.from_store(store)

    def credit_figure(aid: str, fig: object):  # noqa: ANN202
        return _borrowed_credit(borrowed, aid, getattr(fig, "start", None), getattr(fig, "end", None))

    def credit_event(ev: object):  # noqa: ANN202
        return _borrowed_credit(borrowed, getattr(ev, "article_id", None) or "", getattr(ev, "trigger_start", None),
                                getattr(ev, "trigger_end", None))

    figs: dict[str, list] = {}
    for r in rows(store, "figures"):
        if r["article"] in story_of:
            figs.setdefault(story_of[r["article"]], []).append((r["article"], SimpleNamespace(**r)))
    events: dict[str, list] = {}
    for e in load_events(store):
        if e.article_id in story_of:
            events.setdefault(story_of[e.article_id], []).append(e)
    from .stories.ids import carry_fact_ids

    facts = {sid: merge_figures(items, fam_of, credit_figure, outlet_of) for sid, items in figs.items()}
    previous: dict[str, set[tuple[str, str]]] = {}
    for r in store.execute("SELECT fact, article, sentence FROM fact_citations"):
        previous.setdefault(r["fact"], set()).add((r["article"], r["sentence"]))
    fact_ids, aliases = carry_fact_ids(facts, previous, store.alias_ids("fact"))
    replace_knowledge(store, facts, {sid: merge_events(evs, fam_of, credit_event) for sid, evs in events.items()},
                      fact_ids=fact_ids)
    store.put_aliases("fact", aliases)


def _borrowed_credit(borrowed, article: str, start, end):  # noqa: ANN001, ANN202
    """The lender's credit when ``article[start:end]`` lies in a borrowed passage, else None."""
    cr = borrowed.credit(article, start, end)
    return cr if cr.borrowed_from else None


def _close_neighbourhood(store: Store, touched: set[str]) -> set[str]:
    """Grow ``touched`` until it holds whole families and both ends of every stored link touching it."""
    from .copies.families import other_end

    fam_members: dict[str, set[str]] = {}
    fam_of: dict[str, str] = {}
    for r in store.execute("SELECT article, family FROM family_members"):
        fam_of[r["article"]] = r["family"]
        fam_members.setdefault(r["family"], set()).add(r["article"])
    neighbours: dict[str, set[str]] = {}
    for ln in store.links():
        o = other_end(ln)
        if o:
            neighbours.setdefault(ln.article, set()).add(o)
            neighbours.setdefault(o, set()).add(ln.article)
    out: set[str] = set()
    todo = list(touched)
    while todo:
        x = todo.pop()
        if x in out:
            continue
        out.add(x)
        todo.extend(fam_members.get(fam_of.get(x, ""), ()))
        todo.extend(neighbours.get(x, ()))
    return out


def watch(store: Store, sources: list[str], every: str | float, settings: Settings,
          analyze_after: bool = True, max_cycles: int | None = None, stop=None,  # noqa: ANN001
          say: Callable[[str], None] | None = None) -> None:
    """Poll sources on a schedule (conditional requests, back-off), store what is new, analyze it.
    ``say`` receives one line per cycle (what was polled, stored and analysed); without it the line
    is logged at info level."""
    from .ingest import parse_interval
    from .ingest import watch as poll

    interval = parse_interval(every) if isinstance(every, str) else float(every)

    batch: list[str] = []

    def on_batch(docs: list[RawDoc], rejects: list[Reject]) -> None:
        stats = store_items(store, [*rejects, *docs], settings)
        line = f"stored: {stats.summary()}"
        if analyze_after and (stats.new or stats.updated):
            line += f"; analyze: {analyze(store).summary()}"
        if say is None:
            log.info(line)
        batch.append(line)

    def report(cycle: str) -> None:
        assert say is not None
        say("; ".join([cycle, *batch]))
        batch.clear()

    poll(sources, interval, on_batch, store.feed_state(), settings=settings, stop=stop, max_cycles=max_cycles,
         report=report if say is not None else None)
