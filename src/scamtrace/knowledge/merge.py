"""Knowledge: the same fact from several articles becomes one fact with citations.

Algorithm ``knowledge.figures-v1``. Two figure mentions state the same *measure* when their unit
matches, what they count matches (same head noun, or rapidfuzz token-set ratio >= ``WHAT_SIMILARITY``)
and their dates are compatible (equal, overlapping intervals, or one unknown). Within a measure,
mentions whose values agree (within ``VALUE_TOLERANCE``) are one *fact*; a measure with facts of
different values is a *conflict*: the facts are shown side by side, each with its claimants and
sources, never averaged.

Version 3 (``knowledge.figures-v3``): an age is a property of its person. Every age has "age" as the
head of its ``what`` and is never dated, so in v2 the ages of different people sharing a value in one
story ("Tomonari Yachi, 22" and "a 22-year-old from China") were one "corroborated" fact. An age now
joins an age fact only when it is about the same person as one of its mentions
(:func:`~scamtrace.extract.measure.same_person`: the same person named by the extractor, or a copy of
the same sentence when it named nobody).

Corroboration of a fact counts distinct articles and distinct copy families (independent sources):
a wire story copied by ten sites is ten articles but one independent source.

Version 2 makes the count honest in two more ways:

* a mention inside a passage borrowed from another text (a digest quoting a wire's lead, excerpt
  links included) counts for the family it was borrowed from (``credit``, see
  :mod:`scamtrace.knowledge.independence`); the citation keeps its own family and the lender;
* a mention that disputes, corrects or denies the figure (:mod:`scamtrace.knowledge.disputes`) is
  not a citation at all: it is stored as a dispute of the fact, with its claimant, and never counts
  as corroboration. A dispute joins the fact of the same unit and value (same counted thing
  preferred, then the best corroborated); a figure known only from its dispute is a fact with no
  stating source.
"""
from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any


from ..extract.measure import WHAT_SIMILARITY, head_noun, same_person, same_what  # noqa: F401 (re-exported)
from ..model import ALGO_KNOWLEDGE_FIGURES, Citation, DisputeCitation, Fact
from .disputes import figure_dispute

ALGORITHM = ALGO_KNOWLEDGE_FIGURES   # name+version stored with the records (defined in model.py beside them)

# Relative difference under which two values are the same figure (rounding in copies: 31,000 vs 31000).
VALUE_TOLERANCE = 0.005


def dates_compatible(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    a0, _, a1 = a.partition("/")
    b0, _, b1 = b.partition("/")
    a1, b1 = a1 or a0, b1 or b0
    return a0 <= b1 and b0 <= a1


def same_value(x: float, y: float) -> bool:
    return abs(x - y) <= VALUE_TOLERANCE * max(abs(x), abs(y), 1.0)


CreditFn = Callable[[str, Any], Any]


def merge_figures(figures: Iterable[tuple[str, Any]], family_of: Mapping[str, str],
                  credit: CreditFn | None = None, outlet_of: Mapping[str, str | None] | None = None) -> list[Fact]:
    """Merge (article id, Figure) pairs into facts with citations, disputes and conflict groups.

    ``family_of`` maps article id -> family id (an article missing from it is its own family).
    ``credit(article, figure)`` may return a :class:`~scamtrace.knowledge.independence.Credit` (the
    family a mention counts for when it lies in a borrowed passage) or None (its own family).
    ``outlet_of`` names each article's outlet, the claimant of a dispute the text itself makes.
    Deterministic: input is sorted before merging. A figure joins the first fact (in creation order)
    of its unit with the same value, a matching ``what`` and a compatible date; facts are looked up
    by unit and value window (:class:`_ValueIndex`) instead of scanning every fact. Disputing
    mentions are attached after every stating mention has been merged (:func:`_attach_dispute`).
    """
    items = sorted(figures, key=lambda p: (p[1].unit, head_noun(p[1].what), p[1].date or "", p[1].value, p[0],
                                           p[1].start))
    facts: list[Fact] = []
    by_unit: dict[str, _ValueIndex] = {}
    wordings: dict[str, Counter] = {}
    disputed: list[tuple[str, Any, Any, Any]] = []
    ages: dict[str, list[Any]] = {}   # fact id -> its age mentions (an age is one person's, v3)
    for aid, fig in items:
        own = family_of.get(aid, "fam-" + aid)
        cr = credit(aid, fig) if credit is not None else None
        dispute = figure_dispute(fig, (outlet_of or {}).get(aid))
        if dispute is not None:
            disputed.append((aid, fig, dispute, cr))
            continue
        cit = Citation(aid, cr.family if cr is not None else own, fig.sentence, fig.claimant, fig.qualifier,
                       own_family=own, borrowed_from=cr.borrowed_from if cr is not None else None,
                       evidence=dict(cr.evidence) if cr is not None else {})
        index = by_unit.setdefault(fig.unit, _ValueIndex())
        target = next((facts[i] for i in index.near(fig.value) if same_value(facts[i].value, fig.value)
                       and same_what(facts[i].what, fig.what) and dates_compatible(facts[i].date, fig.date)
                       and _same_holder(ages, facts[i], fig)), None)
        if target is None:
            target = Fact(f"fact-{len(facts) + 1}", fig.value, fig.unit, fig.what, fig.date, fig.place,
                          _action(fig))
            index.add(fig.value, len(facts))
            facts.append(target)
        elif target.date is None and fig.date:
            target.date = fig.date
        if target.action is None:
            target.action = _action(fig)
        if not any(c.article == aid and c.sentence == cit.sentence for c in target.citations):
            target.citations.append(cit)
        wordings.setdefault(target.id, Counter())[fig.what] += 1
        if fig.unit == "age":
            ages.setdefault(target.id, []).append(fig)
    for f in facts:   # the wording most citations use names the fact (a spun copy's wording is outvoted)
        f.what = min(wordings[f.id].items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0]
    for aid, fig, dispute, cr in disputed:
        _attach_dispute(facts, by_unit, aid, fig, dispute, cr, family_of.get(aid, "fam-" + aid), ages)
    _mark_conflicts(facts)
    return facts


def _same_holder(ages: Mapping[str, list[Any]], fact: Fact, fig: Any) -> bool:
    """An age is a property of its person (v3): an age figure joins an age fact only when it is about
    the same person as one of the fact's mentions (:func:`~scamtrace.extract.measure.same_person`).
    Two 22-year-old suspects of one story are two facts, not one fact with two sources. Any other
    unit: always (the counted thing is compared by ``same_what``)."""
    if fig.unit != "age":
        return True
    return any(same_person(m, fig) for m in ages.get(fact.id, ()))


def _attach_dispute(facts: list[Fact], by_unit: dict[str, _ValueIndex], aid: str, fig: Any, dispute: Any,
                    cr: Any, own: str, ages: dict[str, list[Any]]) -> None:
    """Attach a disputing mention to the fact it disputes: same unit and value and a compatible date
    (an age: the same person's, v3), the same counted thing preferred, then the best corroborated, then
    the first made. Without one, the disputed figure becomes a fact of its own with no stating source."""
    index = by_unit.setdefault(fig.unit, _ValueIndex())
    cands = [facts[i] for i in index.near(fig.value) if same_value(facts[i].value, fig.value)
             and dates_compatible(facts[i].date, fig.date) and _same_holder(ages, facts[i], fig)]
    if cands:
        target = min(cands, key=lambda f: (not same_what(f.what, fig.what), -f.independent_sources,
                                           int(f.id.rsplit("-", 1)[-1])))
    else:
        target = Fact(f"fact-{len(facts) + 1}", fig.value, fig.unit, fig.what, fig.date, fig.place, _action(fig))
        index.add(fig.value, len(facts))
        facts.append(target)
    if fig.unit == "age":
        ages.setdefault(target.id, []).append(fig)
    if any(d.article == aid and d.sentence == fig.sentence for d in target.disputes):
        return
    ev = dict(dispute.evidence)
    if cr is not None:
        ev["borrowed"] = cr.evidence
    target.disputes.append(DisputeCitation(
        aid, cr.family if cr is not None else own, fig.sentence, dispute.claimant, dispute.claimant_source,
        dispute.disputed_claimant, dispute.rule, dispute.cue, ev, dispute.algorithm, own))


class _ValueIndex:
    """Fact positions by value: :meth:`near` returns, in creation order, every fact whose value may be
    :func:`same_value` to a given one (a window wide enough for ``VALUE_TOLERANCE``; callers check
    ``same_value`` itself)."""

    def __init__(self) -> None:
        self.values: list[float] = []
        self.positions: list[int] = []

    def add(self, value: float, position: int) -> None:
        i = bisect.bisect_right(self.values, value)
        self.values.insert(i, value)
        self.positions.insert(i, position)

    def near(self, value: float) -> list[int]:
        # |x - v| <= tol * max(|x|, |v|, 1) implies |x - v| <= tol * max(|v|, 1) / (1 - tol)
        d = VALUE_TOLERANCE * max(abs(value), 1.0) / (1 - VALUE_TOLERANCE) * (1 + 1e-9)
        lo = bisect.bisect_left(self.values, value - d)
        hi = bisect.bisect_right(self.values, value + d)
        return sorted(self.positions[lo:hi])


def _action(fig: Any) -> str | None:
    action = getattr(fig, "action", None)
    return action.strip().lower() if isinstance(action, str) and action.strip() else None


# Verbs that state the same measure: a militia "detained", police "held", a report "apprehended".
# Set on the demo gold's conflicting raid figures (4,100 / 3,800 / 4,000 people detained or held).
_SAME_ACTION = {"held": "detained", "apprehended": "detained", "arrested": "detained", "rounded up": "detained",
                "taken into custody": "detained", "sent back": "repatriated", "returned": "repatriated",
                "deported": "repatriated", "flown home": "repatriated", "freed": "rescued", "released": "rescued"}


def measure_key(unit: str, what: str, action: str | None = None) -> tuple[str, str, str] | None:
    """What a figure measures: (unit, counted noun, action), e.g. ("people", "people", "detained").

    The action is the figure's verb as the extract stage found it (near-synonyms folded by
    ``_SAME_ACTION``); None when there is no action ("troops", "yuan"): too vague to call two values
    a conflict.
    """
    if not action:
        return None
    act = _SAME_ACTION.get(action, action)
    return unit, head_noun(what), act


def _mark_conflicts(facts: list[Fact]) -> None:
    """Facts measuring the same thing (unit, counted noun, action) with different values and
    known, compatible dates form a conflict group (an undated figure may be about another event)."""
    keys = [measure_key(f.unit, f.what, f.action) for f in facts]
    same_key: dict[tuple[str, str, str], list[int]] = {}
    for i, key in enumerate(keys):
        if key is not None:
            same_key.setdefault(key, []).append(i)
    n = 0
    for i, f in enumerate(facts):
        key = keys[i]
        if key is None or not f.date:
            continue
        rivals = [facts[j] for j in same_key[key] if j > i and not same_value(facts[j].value, f.value)
                  and facts[j].date and dates_compatible(f.date, facts[j].date)]
        if not rivals:
            continue
        group = f.conflict_group or f"conflict-{(n := n + 1)}"
        for g in (f, *rivals):
            g.conflict_group = g.conflict_group or group
