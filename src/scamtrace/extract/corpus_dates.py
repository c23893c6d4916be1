"""Figure dates that need another article (``extract.figure-dates-corpus-v2``).

Two rules date a figure from the rest of the corpus when its own article cannot:

1. **Reference date of an undated copy** (:func:`reference_dates`): an article without a
   publication date that copies, or is a sibling copy of, a dated article resolves its relative
   dates ("on Tuesday", "April 8") against that article's publication day. A verbatim, truncated
   or spun copy carries the original's words, so its weekdays name the original's days; the
   reference is the earliest dated link partner. Pass it to :func:`scamtrace.extract.extract`
   (``reference_date=``).
2. **A repeated count** (:func:`repeat_dates`): an undated figure whose sentence names no day, and
   no period that excludes the day (:func:`lendable`: "... detained more than 4,100 people at
   Golden Lotus Park in early March")
   takes the day of the same count stated with a day elsewhere: the same value, unit and qualifier,
   what it counts agreeing (:func:`scamtrace.extract.measure.same_what`) and both naming a verb of
   the same happening (:data:`_VERB_GROUPS`). All such dated statements must agree on the day; the figure is left undated
   when they do not. Only figures dated by their own article's text lend their day (no chains). A
   later batch's lender of the same count makes the pass decide a figure again (v2), so two batches
   leave the days and lenders of one run.

Both rules write their evidence: the reference article, or the articles whose day was taken.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from .measure import WHAT_SIMILARITY, head_noun, same_what
from .dates import find_dates
from ..store import analysis
from ..store.analysis import published_day, published_days
from ..store.extracted import figure_rows_of, lender_rows, rows, set_figure_days, waiting_rows, waiting_wordings

log = logging.getLogger(__name__)

ALGO_CORPUS_DATES = "extract.figure-dates-corpus-v2"
#: The stage its passes over every figure are recorded under (``runs``): a store with none of this version
#: recorded (written by v1, which kept the days and lenders an earlier batch gave) gets one before the
#: incremental passes, which decide again only the figures a new figure lends to (:func:`apply_repeat_dates`).
STAGE = "corpus_dates"

#: Verbs that name the same happening (a repeated count may word it differently).
_VERB_GROUPS: tuple[frozenset[str], ...] = (
    frozenset("detained held apprehended arrested rounded captured caught custody".split()),
    frozenset("rescued freed released".split()),
    frozenset("returned repatriated sent deported flown flew handed".split()),
)

#: Every word of :data:`_VERB_GROUPS` (the store's pre-filter of the incremental pass).
_VERB_WORDS: frozenset[str] = frozenset().union(*_VERB_GROUPS)


@dataclass(frozen=True, slots=True)
class RepeatDate:
    """The day given to figure ``figure_id`` of ``article`` and the articles whose figures lent it
    (``date`` None: the day a previous pass gave is taken back, with its lenders)."""

    article: str
    figure_id: Any
    date: str | None
    sources: tuple[str, ...]
    algorithm: str = ALGO_CORPUS_DATES


def reference_dates(published: Mapping[str, dt.date | None], links: Iterable[Any]) -> dict[str, tuple[dt.date, str]]:
    """Undated article id -> (reference day, id of the dated link partner it comes from).

    ``published`` maps article ids to publication dates; ``links`` are copy links with ``article``,
    ``source`` and ``sibling`` (:class:`scamtrace.model.Link`). The earliest dated partner wins.
    """
    out: dict[str, tuple[dt.date, str]] = {}
    for ln in links:
        partner = getattr(ln, "source", None) or getattr(ln, "sibling", None)
        if not partner:
            continue
        for undated, other in ((ln.article, partner), (partner, ln.article)):
            day = published.get(other)
            if published.get(undated) is None and day is not None and undated in published:
                if undated not in out or day < out[undated][0]:
                    out[undated] = (day, other)
    return out


# a pass compares one figure's "what" with many others': each pair of phrases is decided once
_same_what = lru_cache(maxsize=1 << 16)(same_what)


def _verbs(fig: Mapping[str, Any]) -> frozenset[int]:
    """Indices of the verb groups the figure's action and ``what`` name."""
    return _verb_groups(fig.get("action") or "", fig.get("what") or "")


@lru_cache(maxsize=1 << 14)
def _verb_groups(action: str, what: str) -> frozenset[int]:
    words = set(re.findall(r"[a-z]+", f"{action} {what}".lower()))
    return frozenset(i for i, group in enumerate(_VERB_GROUPS) if words & group)


def _same_count(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    # three tests that must all hold, the cheapest first (the verbs are cached per wording)
    if (a.get("qualifier") or None) != (b.get("qualifier") or None):
        return False
    if not _verbs(a) & _verbs(b):   # "610 Indonesians" detained is not "610 Indonesians handed over"
        return False
    return _same_what(a["what"], b["what"])


def lendable(sentence: str, day: str, published: dt.date | None) -> bool:
    """Whether a repeated count's ``sentence`` leaves room for ``day`` (ISO): it names no day of its
    own and every period it names ("in early March") contains ``day``."""
    for d in find_dates(sentence, published):
        if d.iso_start is None or d.iso_end is None or d.iso_start == d.iso_end:
            return False
        if not d.iso_start <= day <= d.iso_end:
            return False
    return True


def _lends(f: Mapping[str, Any]) -> bool:
    """Whether ``f`` is dated to a day by its own article's text (a figure dated by this pass, with
    ``date_lenders``, lends nothing: no chains)."""
    return bool(f.get("date")) and f.get("date_precision") == "day" and not f.get("date_lenders")


def _borrows(f: Mapping[str, Any]) -> bool:
    """Whether ``f`` takes its day from this pass: undated, or dated by a previous pass (``date_lenders``)."""
    return not f.get("date") or bool(f.get("date_lenders"))


def _previous(f: Mapping[str, Any]) -> tuple[str, tuple[str, ...]] | None:
    """The day and lenders a previous pass gave ``f`` (None when undated)."""
    if not f.get("date") or not f.get("date_lenders"):
        return None
    lenders = f["date_lenders"]
    return f["date"], tuple(sorted(json.loads(lenders) if isinstance(lenders, str) else lenders))


def _decide(f: Mapping[str, Any], lenders: list[Mapping[str, Any]],
            published: Mapping[str, dt.date | None]) -> tuple[str, tuple[str, ...]] | None:
    """The day ``lenders`` give ``f`` and the lending articles, or None (no lender, days in
    disagreement, or a sentence that leaves no room for the day)."""
    days = {d["date"] for d in lenders}
    if len(days) > 1:
        log.debug("figure %s of %s: repeated counts disagree on the day (%s)", f.get("id"), f["article"],
                  ", ".join(sorted(days)))
    elif days and lendable(f.get("sentence") or "", day := days.pop(), published.get(f["article"])):
        return day, tuple(sorted({d["article"] for d in lenders}))
    return None


def repeat_dates(figures: Iterable[Mapping[str, Any]],
                 published: Mapping[str, dt.date | None] | None = None,
                 new: set[str] | None = None) -> list[RepeatDate]:
    """Days for undated repeated counts (rule 2); ``figures`` are dicts with ``id``, ``article``,
    ``value``, ``unit``, ``what``, ``action``, ``qualifier``, ``date``, ``date_precision``, ``sentence``
    and optionally ``date_lenders`` (set on a figure a previous pass dated: such a figure lends
    nothing and is decided again); ``published`` (article id -> publication day) resolves the periods
    of their sentences. Only the figures whose day or lenders change are returned; ``date`` None
    takes back a day a previous pass gave (v2: a new lender stating another day).
    ``new``, when given, names the articles extracted since the last pass (the incremental pass): a
    figure of another article can only change when a figure of ``new`` lends to it, so only then is it
    decided again, from every lender (v1 left a figure the last pass dated as it was: two batches
    listed fewer lenders than one run, or kept a day that one run's lenders disagree on).

    The lenders of each figure are those :func:`_lenders` gives (figure by figure); they are found
    count by count (:class:`_Pool`): each new dated figure is compared with the older undated
    figures of its count at once, and a figure's wording with the distinct wordings of the others."""
    figs = list(figures)
    published = {} if published is None else published
    dated: dict[tuple[float, str], list[Mapping[str, Any]]] = defaultdict(list)
    for f in figs:
        if _lends(f):
            dated[(float(f["value"]), f["unit"])].append(f)
    pools: dict[tuple[float, str], _Pool] = {}

    def pool(key: tuple[float, str]) -> _Pool:
        if key not in pools:
            pools[key] = _Pool(dated.get(key, ()))
        return pools[key]

    # the incremental pass: the older figures a new dated figure states the count of (any other older
    # figure has no new lender, so it is left as the last pass left it; see _lenders)
    lent = {} if new is None else _new_lenders(figs, dated, new)
    out: list[RepeatDate] = []
    for f in figs:
        if not _borrows(f) or (new is not None and f["article"] not in new and id(f) not in lent):
            continue
        lenders = [d for d in pool((float(f["value"]), f["unit"])).matching(f) if d["article"] != f["article"]]
        got = _decide(f, lenders, published)
        if got == _previous(f):
            continue
        out.append(RepeatDate(article=f["article"], figure_id=f.get("id"), date=got[0] if got else None,
                              sources=got[1] if got else ()))
    return out


def _new_lenders(figs: list[Mapping[str, Any]], dated: Mapping[tuple[float, str], list[Mapping[str, Any]]],
                 new: set[str]) -> dict[int, list[Mapping[str, Any]]]:
    """id() of each older undated figure that a dated figure of ``new`` states the count of -> those
    new dated figures, in their order (``_lenders``'s new lenders of an older figure)."""
    waiting: dict[tuple[float, str], list[Mapping[str, Any]]] = defaultdict(list)
    for f in figs:
        if _borrows(f) and f["article"] not in new:
            waiting[(float(f["value"]), f["unit"])].append(f)
    lent: dict[int, list[Mapping[str, Any]]] = {}
    for key, older in waiting.items():
        news = [d for d in dated.get(key, ()) if d["article"] in new]
        if not news:
            continue
        undated = _Pool(older)
        for d in news:   # _same_count is symmetric
            for f in undated.matching(d):
                lent.setdefault(id(f), []).append(d)
    return lent


class _Pool:
    """Figures of one count, grouped so that one figure finds those it states the same count as
    (:func:`_same_count`) at once: by qualifier and verb groups, then each distinct wording of
    ``what`` (lower-cased) by its head noun, or compared with rapidfuzz in one call
    (:func:`scamtrace.extract.measure.same_what`: the same head noun, or a token-set ratio of at
    least ``WHAT_SIMILARITY``)."""

    def __init__(self, figs: Iterable[Mapping[str, Any]]):
        self.groups: dict[tuple[Any, frozenset[int]], dict[str, list[Mapping[str, Any]]]] = {}
        for g in figs:
            if g["what"]:   # an empty phrase counts nothing (same_what)
                self.groups.setdefault((g.get("qualifier") or None, _verbs(g)), {}).setdefault(
                    g["what"].lower(), []).append(g)
        self._arrays: dict[tuple[Any, frozenset[int]], tuple[list[str], Any]] = {}

    def matching(self, f: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        """The figures of the pool that state the same count as ``f`` (in no particular order)."""
        what = f["what"]
        if not what:
            return []
        qualifier, verbs = f.get("qualifier") or None, _verbs(f)
        head, low = head_noun(what), what.lower()
        out: list[Mapping[str, Any]] = []
        for gk, by_word in self.groups.items():
            if gk[0] != qualifier or not gk[1] & verbs:
                continue
            if gk not in self._arrays:
                words = list(by_word)
                self._arrays[gk] = (words, np.array([head_noun(w) for w in words], dtype=object))
            words, heads = self._arrays[gk]
            same = heads == head
            same |= cdist([low], words, scorer=fuzz.token_set_ratio, processor=None, dtype=np.float64)[0] >= WHAT_SIMILARITY
            for i in np.flatnonzero(same):
                out.extend(by_word[words[i]])
        return out


def _lenders(f: Mapping[str, Any], offered: Iterable[Mapping[str, Any]],
             new: set[str] | None, offered_new: Iterable[Mapping[str, Any]] | None = None) -> list[Mapping[str, Any]]:
    """The dated figures of other articles stating the same count as ``f``; in the incremental pass
    (``new``), for an older ``f``, none unless a new one states it (then every one, old and new: v2).
    ``offered_new``: those of ``offered`` whose article is in ``new``, in order (computed when None)."""
    every = [d for d in offered if d["article"] != f["article"] and _same_count(f, d)]
    if new is None or f["article"] in new:
        return every
    if offered_new is None:
        offered_new = [d for d in offered if d["article"] in new]
    return every if any(_same_count(f, d) for d in offered_new) else []


def apply_repeat_dates(store: Any, changed: set[str] | None = None, articles: Iterable[str] | None = None) -> int:
    """Rule 2 over every figure of ``store`` (a :class:`scamtrace.store.Store`); returns how many
    figures were dated, given other lenders, or had their day taken back, each dated one with the
    articles that lent its day (``figures.date_lenders``). Run it after the extract stage; a rerun
    finds nothing to change. ``changed``, when given, receives the articles whose figures changed
    (the incremental knowledge stage merges their stories again).

    ``articles``, when given, are the articles extracted since the last pass: only the figures that
    can lend to or borrow from theirs are read (issue 17: the pass no longer reads every figure of
    the store: :func:`rows_for_pass`), and an older figure
    that is undated or was dated by an earlier pass is decided again, against every lender, only when
    a new figure lends to it (see :func:`repeat_dates`). The result is that of a pass over every
    figure (v2; v1 kept the day and lenders an earlier pass gave: two batches could list fewer
    lenders than one run). A store with no pass over every figure of this version recorded
    (:func:`full_pass_recorded`: one written by v1) gets one instead, recorded in ``runs``."""
    if articles is not None and not full_pass_recorded(store):
        articles = None   # figures another version decided (v1 kept an earlier batch's lenders): all of them
    run = store.start_run(STAGE, ALGO_CORPUS_DATES) if articles is None else None
    if articles is None:
        published = {aid: art.published for aid, art in store.article_meta().items()}
        found = repeat_dates(rows(store, "figures"), published)
    else:
        new = set(articles)
        # a figure naming no verb of _VERB_GROUPS states no count another does (_same_count): the store
        # leaves out those of other articles (in the synthetic corpus of 10,000, 90% of the figures
        # sharing a count with the new ones)
        figs = rows_for_pass(store, new, _VERB_WORDS)
        # the publication days are read for the figures the pass decides (the new ones, those a new one lends
        # to), not for every figure read (7,545 older undated figures of other articles at 20,000)
        found = repeat_dates(figs, _StoredDays(store, new), new)
    set_figure_days(store, [(r.figure_id, r.date, list(r.sources)) for r in found if r.figure_id is not None])
    if changed is not None:
        changed.update(r.article for r in found if r.figure_id is not None)
    if run is not None:
        store.finish_run(run, {"mode": "full", "algorithm": ALGO_CORPUS_DATES, "changed": len(found)})
    return len(found)


def _count(f: Mapping[str, Any]) -> tuple[float, str, str]:
    """A figure's count as the store keys it: (value, unit, qualifier or '')."""
    return float(f["value"]), f["unit"], f.get("qualifier") or ""


def rows_for_pass(store: Any, articles: Iterable[str], words: Iterable[str] = ()) -> list[dict]:
    """The figure rows the incremental pass over ``articles`` (:func:`repeat_dates` with ``new``) needs, in
    article then text order: every figure of ``articles``; the figures of other articles it decides again,
    those that may borrow (:func:`_borrows`) and that a dated figure of ``articles`` states the count of
    (:func:`_same_count`); and the lenders (:func:`_lends`) of the counts of the figures it decides. Its
    result on these rows is its result on every figure (a test compares them). Figures of other articles are
    read only when they say what they count and, if ``words`` are given, name one of them (the store's
    pre-filter; :data:`_VERB_WORDS` reads through the store's partial index).

    Issue 17: the figures that may borrow are first read as their distinct wordings (grouped in the store),
    compared with the new lenders a wording at a time, and read as rows only for the wordings a new figure
    lends to; lenders are read only for the counts decided, without their sentences (v1 read the rows of
    every figure sharing a count with a new one: 56,462 rows at 100,000, against about 10,000 now)."""
    new = set(articles)
    found = {r["id"]: r for r in figure_rows_of(store, new)}
    mine = list(found.values())
    lending = [f for f in mine if _lends(f)]
    wanted = {_count(f) for f in mine if _borrows(f)}
    if lending:
        pools: dict[tuple[float, str], _Pool] = {}
        by_count: dict[tuple[float, str], list[dict]] = defaultdict(list)
        for value, unit, qualifier, action, what in waiting_wordings(store, {_count(f) for f in lending}, words):
            by_count[(float(value), unit)].append({"value": value, "unit": unit, "qualifier": qualifier,
                                                   "action": action, "what": what})
        lent: set[tuple[float, str, str, str, str]] = set()
        for d in lending:
            key = (float(d["value"]), d["unit"])
            if key in by_count:
                if key not in pools:
                    pools[key] = _Pool(by_count[key])
                lent.update((w["value"], w["unit"], w["qualifier"], w["action"], w["what"])
                            for w in pools[key].matching(d))
        for r in waiting_rows(store, lent, words):
            if r["article"] not in new:
                found.setdefault(r["id"], r)
                wanted.add(_count(r))
    for r in lender_rows(store, wanted, words):
        found.setdefault(r["id"], r)
    return sorted(found.values(), key=lambda r: (r["article"], r["start"], r["id"]))


class _StoredDays(Mapping[str, "dt.date | None"]):
    """article id -> its publication day (None when unknown), read from the store when first asked for (the
    articles of ``first`` at once): what :func:`repeat_dates` reads of the articles whose figures it decides."""

    def __init__(self, store: Any, first: Iterable[str]) -> None:
        self.store = store
        self.days: dict[str, dt.date | None] = dict(published_days(store, first))

    def __getitem__(self, article: str) -> dt.date | None:
        if article not in self.days:
            stored, day = published_day(self.store, article)
            if not stored:
                raise KeyError(article)
            self.days[article] = day
        return self.days[article]

    def __iter__(self) -> Iterator[str]:
        return iter(self.days)

    def __len__(self) -> int:
        return len(self.days)


def full_pass_recorded(store: Any) -> bool:
    """Has a pass over every figure of the store run with this version (``runs``)?"""
    return analysis.full_pass_recorded(store, STAGE, ALGO_CORPUS_DATES)
