"""Family-aware wording (``extract.family-wording-v2``): names, quotes and figure descriptions of a
spun copy come from its family's normally worded text.

A spinner swaps words mechanically ("Dawna Border Defence Army" -> "Dawna Boundary Protection
Military", "Freedom Path Foundation" -> "Liberty Course Structure"), so a spun copy's own names and
quotes are not what anybody said or is called. Its facts still count (a spun copy is a copy); only
its wording is distrusted. For every article that the copies stage linked as ``spun`` to another
one (``links.relation = 'spun'``, the article side), the *normal texts* are the members of its family
that are not themselves the spun side of a link. When at least one normal text exists:

* **names** (PERSON, ORG, AGENCY, ARMED_GROUP mentions not from the gazetteer): a name written in
  some normal text is kept; one that is not, but is close to a normal text's name
  (:data:`NAME_MIN_RATIO`, rapidfuzz ``token_set_ratio``), takes that name; any other is dropped
  (it would become an actor nobody named);
* **quotes**: a quote takes its normally worded twin's text and speaker (the closest normal quote,
  or the same speaker's quote of the same rank, :func:`_quote_corrections`); a quote with no twin
  and found nowhere in the normal text is dropped (a garbled quote is not listed as real);
* **figures**: a figure whose value a normal text also has (same unit first, else any count) takes
  that figure's ``what``, action, claimant and unit ("structures" -> "buildings"); a figure whose
  claimant is a dropped garbled name loses that claimant;
* **roles**: a kept name's descriptor that no normal text holds takes the normal text's descriptor
  of that name, or none.

With no normal text in the family (every member spun, or a copy whose original is absent) nothing
changes: there is no better wording to take.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from ..store import analysis, queries
from ..store.analysis import family_members_of
from ..store.extracted import apply_wording, wording_rows

log = logging.getLogger(__name__)

ALGO_FAMILY_WORDING = "extract.family-wording-v2"
STAGE = "family_wording"   # the stage its passes over every spun article are recorded under (runs)
#: token_set_ratio at or above which a spun copy's name is taken as a normal text's name
#: (set on the demo's two spun copies: "Dawna Border Defence Army" vs its spin scores 56, the same
#: name with a dropped word 100).
NAME_MIN_RATIO = 85
#: partial_ratio at or above which a spun copy's quote is found in a normal text (a spinner changes
#: several words of a sentence, a wire edit one or two; set on the demo's spun copies).
QUOTE_MIN_RATIO = 90
#: fuzz.ratio a spun quote must reach with the same speaker's quote of the same rank to be taken as
#: its twin (a spinner rewrites most words; unrelated quotes of one speaker score lower; set on the
#: demo's two spun copies, whose seven quotes score 47-75 with their twins).
QUOTE_ALIGN_MIN_RATIO = 40
#: Mention labels whose names a spinner garbles (places come from the gazetteer or stay as written).
NAME_LABELS = frozenset({"PERSON", "ORG", "AGENCY", "ARMED_GROUP"})
#: rounds of corrections one spun article's rows take at most (each round corrects the previous
#: round's rows; on the synthetic corpus of 800, seeds 1-3, 60-63 spun articles change in one round,
#: one each in two, none in three: the bound is only a guard against a cycle).
MAX_ROUNDS = 8


@dataclass(slots=True)
class Corrections:
    """What :func:`corrections` decides for one spun article (row ids of its stored records)."""

    article: str
    normal: list[str]
    drop_mentions: list[int] = field(default_factory=list)
    rename_mentions: list[tuple[int, str]] = field(default_factory=list)
    drop_quotes: list[int] = field(default_factory=list)
    replace_quotes: list[tuple[int, str, str | None]] = field(default_factory=list)
    figure_whats: list[tuple[int, str, str | None, str | None, str]] = field(default_factory=list)
    mention_roles: list[tuple[int, str | None]] = field(default_factory=list)


def normal_texts(article: str, family_of: Mapping[str, str], members: Mapping[str, list[str]],
                 spun: set[str]) -> list[str]:
    """The members of ``article``'s family that are not the spun side of a link, in id order."""
    fam = family_of.get(article)
    return sorted(m for m in members.get(fam, []) if m != article and m not in spun) if fam else []


def corrections(article: str, normal: list[str], texts: Mapping[str, str], mentions: Iterable[Mapping[str, Any]],
                quotes: Iterable[Mapping[str, Any]], figures: Iterable[Mapping[str, Any]]) -> Corrections:
    """Decide the corrections of one spun ``article`` from its ``normal`` family members.

    ``mentions``/``quotes``/``figures`` are stored rows (with ``id`` and ``article``) of the spun
    article and of the normal members; ``texts`` maps article id -> text.
    """
    out = Corrections(article=article, normal=list(normal))
    if not normal:
        return out
    rows = {"mentions": [dict(m) for m in mentions], "quotes": [dict(q) for q in quotes],
            "figures": [dict(f) for f in figures]}
    before = {name: {r["id"]: dict(r) for r in table if r["article"] == article} for name, table in rows.items()}
    normal_set = set(normal)
    normal_text = "\n".join(texts.get(n, "") for n in normal)
    # One round's corrections can open another (a renamed name is then a normal name whose spun role
    # the next round replaces; a dropped quote changes the ranks of the speaker's other quotes), so the
    # rounds run until they change nothing: a pass over corrected rows then changes nothing either
    # (the incremental pass re-corrects the spun articles of the families it re-examines).
    for _ in range(MAX_ROUNDS):
        step = Corrections(article=article, normal=list(normal))
        _mention_corrections(step, article, normal_set, normal_text, rows["mentions"])
        _quote_corrections(step, article, normal_set, normal_text, rows["quotes"])
        _figure_corrections(step, article, normal_set, rows["mentions"], rows["figures"])
        if not _apply_step(step, rows):
            break
    else:
        log.warning("%s (%s): corrections still changing after %d rounds", ALGO_FAMILY_WORDING, article, MAX_ROUNDS)
    _net(out, before, rows)
    return out


def _apply_step(step: Corrections, rows: dict[str, list[dict[str, Any]]]) -> bool:
    """Apply one round's corrections to the rows in memory (as :func:`~..store.extracted.apply_wording`
    writes them); returns whether any row changed."""
    snapshot = repr(rows)
    dropped = {("mentions", i) for i in step.drop_mentions} | {("quotes", i) for i in step.drop_quotes}
    for name in ("mentions", "quotes"):
        rows[name] = [r for r in rows[name] if (name, r["id"]) not in dropped]
    by_id = {name: {r["id"]: r for r in table} for name, table in rows.items()}
    for i, canonical in step.rename_mentions:
        by_id["mentions"][i].update(canonical=canonical, source="family")
    for i, quote, speaker in step.replace_quotes:
        by_id["quotes"][i].update(quote=quote, speaker=speaker)
    for i, what, action, claimant, unit in step.figure_whats:
        by_id["figures"][i].update(what=what, action=action, claimant=claimant, unit=unit)
    for i, role in step.mention_roles:
        if i in by_id["mentions"]:
            by_id["mentions"][i]["role"] = role
    return repr(rows) != snapshot


def _net(out: Corrections, before: Mapping[str, Mapping[int, Mapping[str, Any]]],
         rows: Mapping[str, list[dict[str, Any]]]) -> None:
    """The corrections that take the spun article's rows ``before`` to the final ``rows`` (row order)."""
    after = {name: {r["id"]: r for r in table} for name, table in rows.items()}
    for i, old in before["mentions"].items():
        new = after["mentions"].get(i)
        if new is None:
            out.drop_mentions.append(i)
            continue
        if (new["canonical"], new.get("source")) != (old["canonical"], old.get("source")):
            out.rename_mentions.append((i, new["canonical"]))
        if new.get("role") != old.get("role"):
            out.mention_roles.append((i, new.get("role")))
    for i, old in before["quotes"].items():
        new = after["quotes"].get(i)
        if new is None:
            out.drop_quotes.append(i)
        elif (new["quote"], new.get("speaker")) != (old["quote"], old.get("speaker")):
            out.replace_quotes.append((i, new["quote"], new.get("speaker")))
    for i, old in before["figures"].items():
        new = after["figures"][i]
        fields = ("what", "action", "claimant", "unit")
        if tuple(new.get(k) for k in fields) != tuple(old.get(k) for k in fields):
            out.figure_whats.append((i, new["what"], new.get("action"), new.get("claimant"), new["unit"]))


def _mention_corrections(out: Corrections, article: str, normal_set: set[str], normal_text: str,
                         mentions: list[Mapping[str, Any]]) -> None:
    """A name of the spun copy the normal text lacks takes the closest normal name
    (:data:`NAME_MIN_RATIO`) or is dropped; a name kept with a role the normal text lacks takes the
    normal role."""
    normal_names = sorted({m["canonical"] for m in mentions if m["article"] in normal_set and m["label"] in NAME_LABELS})
    normal_roles = {m["canonical"]: m.get("role") for m in mentions if m["article"] in normal_set and m.get("role")}
    for m in mentions:
        if m["article"] != article or m["label"] not in NAME_LABELS or m.get("source") == "gazetteer":
            continue
        if m["canonical"] in normal_text or m["text"] in normal_text:
            role = m.get("role")
            if role and role not in normal_text:   # "a replacement priest of public safety": a spun role
                out.mention_roles.append((m["id"], normal_roles.get(m["canonical"])))
            continue
        best = max(normal_names, key=lambda n: fuzz.token_set_ratio(n, m["canonical"]), default=None)
        if best is not None and fuzz.token_set_ratio(best, m["canonical"]) >= NAME_MIN_RATIO:
            out.rename_mentions.append((m["id"], best))
        else:
            out.drop_mentions.append(m["id"])


def _figure_corrections(out: Corrections, article: str, normal_set: set[str], mentions: list[Mapping[str, Any]],
                        figures: list[Mapping[str, Any]]) -> None:
    """A figure of the spun copy takes the wording of the normal figure with its value (the same unit
    first); without one, a figure claimed by a dropped name loses its claimant."""
    by_value: dict[float, list[Mapping[str, Any]]] = {}
    for f in figures:
        if f["article"] in normal_set:
            by_value.setdefault(f["value"], []).append(f)
    drop_ids = set(out.drop_mentions)
    dropped = {m["canonical"] for m in mentions if m["id"] in drop_ids}
    for f in figures:
        if f["article"] != article:
            continue
        twins = by_value.get(f["value"], [])
        # the same unit first; a count noun the spinner changed ("structures" for "buildings") still pairs
        twin = next((t for t in twins if t["unit"] == f["unit"]), None) or next(
            (t for t in twins if not _money(t["unit"]) and not _money(f["unit"])), None)
        if twin is not None:
            new = (twin["what"], twin.get("action"), twin.get("claimant"), twin["unit"])
            if new != (f["what"], f.get("action"), f.get("claimant"), f["unit"]):
                out.figure_whats.append((f["id"], *new))
        elif f.get("claimant") in dropped:
            out.figure_whats.append((f["id"], f["what"], f.get("action"), None, f["unit"]))


def _money(unit: str) -> bool:
    return unit.isupper() and 3 <= len(unit) <= 4


def _quote_corrections(out: Corrections, article: str, normal_set: set[str], normal_text: str,
                       quotes: list[Mapping[str, Any]]) -> None:
    """Each quote of the spun copy takes its normally worded twin: the closest normal quote when it is
    close (:data:`QUOTE_MIN_RATIO`), else the normal quote of the same speaker at the same rank (a
    spinner keeps the order of quotes and the speakers' names) when the speaker has as many quotes
    in both and the two share some wording (:data:`QUOTE_ALIGN_MIN_RATIO`); a quote with no twin and
    not found in the normal text is dropped."""
    normal_quotes = [q for q in quotes if q["article"] in normal_set]
    mine = [q for q in quotes if q["article"] == article]
    by_speaker: dict[Any, list[Mapping[str, Any]]] = {}
    for n in normal_quotes:
        if n["article"] == min(normal_set):   # ranks are counted in one normal text
            by_speaker.setdefault(n.get("speaker"), []).append(n)
    mine_by_speaker: dict[Any, list[Mapping[str, Any]]] = {}
    for q in mine:
        mine_by_speaker.setdefault(q.get("speaker"), []).append(q)
    for q in mine:
        twin = max(normal_quotes, key=lambda n: fuzz.ratio(n["quote"], q["quote"]), default=None)
        if twin is None or fuzz.ratio(twin["quote"], q["quote"]) < QUOTE_MIN_RATIO:
            same = by_speaker.get(q.get("speaker"), []) if q.get("speaker") else []
            rank = mine_by_speaker[q.get("speaker")].index(q)
            twin = (same[rank] if len(same) == len(mine_by_speaker[q.get("speaker")])
                    and fuzz.ratio(same[rank]["quote"], q["quote"]) >= QUOTE_ALIGN_MIN_RATIO else None)
        if twin is not None:
            if twin["quote"] != q["quote"] or twin.get("speaker") != q.get("speaker"):
                out.replace_quotes.append((q["id"], twin["quote"], twin.get("speaker")))
        elif fuzz.partial_ratio(q["quote"], normal_text) < QUOTE_MIN_RATIO:
            out.drop_quotes.append(q["id"])


def apply_family_wording(store: Any, changed: set[str] | None = None, near: Iterable[str] | None = None) -> int:
    """Apply :func:`corrections` to every spun article of ``store``; returns how many records changed.
    ``changed``, when given, receives the articles with corrections (the incremental knowledge stage
    merges their stories and resolves their names again).

    ``near``, when given (the incremental pass), names the articles whose records, copy links or
    family the run may have changed (the copies stage's neighbourhood, closed over whole families):
    only the spun articles of their families are corrected. Another spun article's family, links and
    rows are those an earlier pass corrected it from, and its corrections are already applied (a
    second pass over corrected rows changes nothing), so the result is that of a pass over every
    spun article (``tests/test_incremental_wording.py``) without reading every family of the store."""
    if near is not None and not full_pass_recorded(store):
        near = None   # a store whose spun articles were last corrected by another version: all of them
    run = store.start_run(STAGE, ALGO_FAMILY_WORDING) if near is None else None
    count = _apply(store, changed, near)
    if run is not None:
        store.finish_run(run, {"mode": "full", "algorithm": ALGO_FAMILY_WORDING, "changed": count})
    return count


def full_pass_recorded(store: Any) -> bool:
    """Has a pass over every spun article of the store run with this version (``runs``)?"""
    return analysis.full_pass_recorded(store, STAGE, ALGO_FAMILY_WORDING)


def _apply(store: Any, changed: set[str] | None, near: Iterable[str] | None) -> int:
    if near is None:
        spun = queries.spun_articles(store)
        if not spun:
            return 0
        family_of = queries.family_of_articles(store)
    else:   # the families of ``near`` only (each named by its smallest member: names are not compared)
        family_of = {m: min(ms) for ms in set(family_members_of(store, near).values()) for m in ms}
        # their spun members: the only spun articles the plans below ask about (read by key, not every link)
        spun = spun_near = queries.spun_articles(store, family_of)
        if not spun_near:
            return 0
    members: dict[str, list[str]] = {}
    for art, fam in family_of.items():
        members.setdefault(fam, []).append(art)
    plans = {a: normal_texts(a, family_of, members, spun) for a in sorted(spun if near is None else spun_near)}
    plans = {a: n for a, n in plans.items() if n}
    if not plans:
        return 0
    ids = sorted(set(plans) | {n for ns in plans.values() for n in ns})
    texts = {a.id: a.text or "" for a in store.iter_articles(ids)}
    mentions, quotes, figures = wording_rows(store, ids)
    by_article = {name: _by_article(table) for name, table in
                  (("mentions", mentions), ("quotes", quotes), ("figures", figures))}
    count = 0
    planned = []
    for article, normal in plans.items():
        keep = (article, *normal)
        c = corrections(article, normal, texts, *(_rows_of(by_article[name], keep)
                                                  for name in ("mentions", "quotes", "figures")))
        planned.append(c)
        n = (len(c.drop_mentions) + len(c.rename_mentions) + len(c.drop_quotes) + len(c.replace_quotes)
             + len(c.figure_whats) + len(c.mention_roles))
        if n:
            log.debug("%s (%s): %s from %s", ALGO_FAMILY_WORDING, article, c, normal)
            if changed is not None:
                changed.add(article)
        count += n
    apply_wording(store, planned)
    return count


def _by_article(rows: list[dict[str, Any]]) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    """Rows grouped by their article, each with its position in ``rows``."""
    out: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for i, r in enumerate(rows):
        out.setdefault(r["article"], []).append((i, r))
    return out


def _rows_of(grouped: Mapping[str, list[tuple[int, dict[str, Any]]]], articles: Iterable[str]) -> list[dict[str, Any]]:
    """The rows of ``articles`` in their original order (:func:`corrections` takes the first of equal
    candidates), without scanning every row of the store once per spun article."""
    return [r for _, r in sorted(x for a in set(articles) for x in grouped.get(a, []))]

