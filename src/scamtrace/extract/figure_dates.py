"""When a counted thing happened: the dating rules of ``extract.figures-v3`` (unchanged in v4).

A figure is dated by the *day the counted thing happened*, chosen in this order:

1. the nearest day-precision date of its sentence, unless that day dates the statement ("officials
   said Tuesday", "the bank said on Monday") or sits in another coordinated clause ("surrounded the
   site on Monday and searched its 38 buildings over two days");
2. for an undated count in a lead paragraph (the first below any header lines, or one opening with
   a dateline) that has a
   verb of its own ("detained more than 4,100 people ..., officials said Tuesday"): the first event
   day of the lead and the :data:`LEAD_DATE_LOOKAHEAD` paragraphs after it ("... surrounded the site
   before dawn on Monday");
2b. (v3) for a penalty (a fine, a prison term) the day of the sentencing the article reports before it;
3. for a head count that breaks down a total of the same or the previous sentence ("including 2,650
   Chinese nationals", "a breakdown of ...", "... among those detained"): the total's day; a breakdown
   phrase that names a verb of holding ("Among the people held") needs a total counted with one,
   found however far back (v3); a count followed by a copula ("317 were foreigners ...") classifies
   the people and is not dated by the total (v3);
4. the day it was announced ("Police announced on Tuesday that the court had approved eight warrants").

A period ("in January", "in 2024", "between 2022 and early 2025") dates a figure only when
:data:`PERIOD_DATES` is set; otherwise it is returned separately for ``evidence["period"]``.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from .records import DateRef, Figure
from .text import CharRange, sentences_in

#: Verbs that report a statement (shared with the claimant rules of :mod:`.figures`).
CLAIM_VERBS = (r"said|says|announced|reported|claimed|stated|estimated|introduced|confirmed|told|added|showed|noted|revealed"
               r"|described")

#: Whether a period ("in January", "over the summer", "between 2022 and early 2025") dates a figure
#: when its sentence names no day. The seed gold (tests/gold/seeds_figures.jsonl, written with the
#: rules) does so; the independently written demo gold (tests/gold/demo_figures.jsonl) dates only
#: single days. False follows the independent gold: demo figure F1 0.53 (0.42 with True), seed figure
#: F1 0.64 (0.91 with True). The period is kept in ``evidence["period"]`` either way.
PERIOD_DATES = False
#: Paragraphs at the top of an article that form its lead. Set on the first half of the demo gold.
LEAD_PARAGRAPHS = 1
#: How many paragraphs after the lead may supply its event date ("The raid ... began on April 8").
#: Set on the first half of the demo gold (1 misses "began on April 8" in a third paragraph).
LEAD_DATE_LOOKAHEAD = 2

#: A date right after a reporting verb dates the statement, not the counted event.
_REPORTING_BEFORE = re.compile(
    rf"\b(?:(?:{CLAIM_VERBS})(?:\s+(?:it|this|that|them))?|told\s+(?:\w+\s+){{0,2}}?\w+|in\s+a\s+statement)\s+(?:(?:on|late|early)\s+)*$")
#: ... or ends a sentence about the announcement ("The announcement came from the ministry on Thursday", v3).
_ANNOUNCEMENT_BEFORE = re.compile(r"\b(?:announcement|statement)\s+(?:came|was\s+(?:made|issued|released|published))\b[^,;]{0,60}$",
                                  re.I)
#: ... or right before one ("on Tuesday said").
_REPORTING_AFTER = re.compile(rf"^\s*,?\s*(?:{CLAIM_VERBS})\b")
#: A coordinated clause with its own verb: a date in one clause does not date a count in the other.
_CLAUSE_BREAK = re.compile(r";|\b(?:and|but)\s+(?:then\s+|later\s+)?(?!(?:includ|involv|compris|number|total)ed\b)(?:[a-z]+ed|took|began|found|held|sent|made|spent|went"
                           r"|got|kept|left|led|brought|caught|fought|sought|put|set|saw|gave|ran|broke|came|drove|flew)\b")
#: A count that breaks down an earlier one.
_BREAKDOWN = re.compile(r"\b(?:including|breakdown|among\s+(?:those|them|the)|of\s+(?:those|them|whom))\b", re.I)
_AMONG_AFTER = re.compile(r"\s+(?:\w+\s+){0,3}?(?:among|of)\s+(?:those|them)\b", re.I)
#: "317 were foreign nationals": a breakdown that classifies the people by the copula.
_COPULA_AFTER = re.compile(r"\s+(?:were|are|was|is)\b")
#: Verbs of holding people: a breakdown that names one ("Among the people held", "of those
#: apprehended") breaks down a total with one of them, not any earlier head count (v3).
HELD_VERBS = re.compile(r"\b(?:detain\w*|held|hold\w*|apprehend\w*|arrest\w*|round\w*\s+up|custody|captur\w*|caught"
                        r"|rescu\w*|freed|registered)\b", re.I)
#: The words of a breakdown phrase up to the number ("Among the people held, 317 ...").
_BREAKDOWN_PHRASE = re.compile(r"\b(?:among|of)\s+(?:the|those|them|these|whom)\b(?P<rest>[^.;]{0,40})", re.I)
#: A penalty: money that is a fine, or a prison term (v3, rule 2b).
PENALTY_MONEY = re.compile(r"\b(?:fines?|fined|penalt(?:y|ies))\b", re.I)
PENALTY_TERM = re.compile(r"\b(?:jail\w*|prison|imprison\w*|sentenc\w*|terms?)\b", re.I)
#: A sentence that reports a sentencing: its event day is the day penalties were imposed.
_SENTENCING = re.compile(r"\b(?:sentenc(?:ed|es|ing)|convicted|jailed|found\s+guilty|verdict)\b", re.I)


def _inside(d: DateRef, sent: CharRange) -> bool:
    return sent[0] <= d.start and d.end <= sent[1] and d.iso_start is not None


def _is_day(d: DateRef) -> bool:
    return d.iso_start is not None and d.iso_start == d.iso_end


def is_statement_date(text: str, d: DateRef, sent: CharRange) -> bool:
    """Whether ``d`` dates a statement ("said Tuesday", "announced on Friday") rather than an event."""
    return bool(_REPORTING_BEFORE.search(text[max(sent[0], d.start - 40):d.start])
                or _ANNOUNCEMENT_BEFORE.search(text[max(sent[0], d.start - 100):d.start])
                or _REPORTING_AFTER.match(text[d.end:min(sent[1], d.end + 20)]))


def event_days(text: str, dates: Sequence[DateRef], sent: CharRange) -> list[DateRef]:
    """Day-precision dates of ``sent`` that can date a counted event (not the statement)."""
    return [d for d in dates if _inside(d, sent) and _is_day(d) and not is_statement_date(text, d, sent)]


def _other_clause(text: str, d: DateRef, pos: int) -> bool:
    lo, hi = (d.end, pos) if d.end <= pos else (pos, d.start)
    return _CLAUSE_BREAK.search(text, lo, hi) is not None


def sentence_date(text: str, dates: Sequence[DateRef], sent: CharRange, pos: int) -> DateRef | None:
    """Rule 1: the event day of the sentence nearest ``pos`` (or a period, see :data:`PERIOD_DATES`)."""
    inside = [d for d in event_days(text, dates, sent) if not _other_clause(text, d, pos)]
    if not inside and PERIOD_DATES:
        inside = [d for d in dates if _inside(d, sent) and not _is_day(d) and not is_statement_date(text, d, sent)]
    return min(inside, key=lambda d: abs(d.start - pos)) if inside else None


def statement_date(text: str, dates: Sequence[DateRef], sent: CharRange, pos: int) -> DateRef | None:
    """Rule 4: the day the count was announced, the last resort."""
    inside = [d for d in dates if _inside(d, sent) and _is_day(d) and is_statement_date(text, d, sent)]
    return min(inside, key=lambda d: abs(d.start - pos)) if inside else None


def period(dates: Sequence[DateRef], sent: CharRange, pos: int) -> DateRef | None:
    """The period (not a single day) of the sentence nearest ``pos``, for the evidence."""
    inside = [d for d in dates if _inside(d, sent) and not _is_day(d)]
    return min(inside, key=lambda d: abs(d.start - pos)) if inside else None


#: A dateline opens a lead, also of a wire story quoted inside another article
#: ("BAN PHA DAENG, Thailand (MWN) — ...", "KUNMING — ...").
_DATELINE = re.compile(r"[A-Z][A-Z .'’-]{2,}(?:,\s*[A-Z][\w .]+?)?\s*(?:\([A-Za-z]+\)\s*)?[—–]\s")


#: Longest header line (outlet name, "Bangkok, Thailand – March 4, 2025") above a lead, in words.
HEADER_MAX_WORDS = 12


def is_header(text: str, para: CharRange) -> bool:
    """A short line above the body that is no sentence: an outlet name or a place-and-date line."""
    chunk = text[para[0]:para[1]].strip()
    return len(chunk.split()) <= HEADER_MAX_WORDS and not re.search(r"[.!?\"”’)]$", chunk)


def lead_index(text: str, paras: Sequence[CharRange], index: int) -> int | None:
    """The index of the lead paragraph ``index`` belongs to, if it is one: among the first
    :data:`LEAD_PARAGRAPHS` body paragraphs (header lines above them do not count, v3), or a
    paragraph opening with a dateline."""
    headers = 0
    while headers < len(paras) and headers < index and is_header(text, paras[headers]):
        headers += 1
    if index - headers < LEAD_PARAGRAPHS or _DATELINE.match(text, paras[index][0]):
        return index
    return None


def lead_event_date(text: str, dates: Sequence[DateRef], paras: Sequence[CharRange], first: int = 0) -> DateRef | None:
    """The first event day of the lead at paragraph ``first`` and the paragraphs after it (rule 2)."""
    for para in paras[first:first + LEAD_PARAGRAPHS + LEAD_DATE_LOOKAHEAD]:
        for sent in sentences_in(text, *para):
            found = event_days(text, dates, sent)
            if found:
                return found[0]
    return None


def inherited_date(text: str, dates: Sequence[DateRef], start: int, end: int, sent: CharRange, *,
                   has_verb: bool, previous: Sequence[Figure], sents: Sequence[CharRange], paras: Sequence[CharRange],
                   evidence: dict[str, object]) -> DateRef | None:
    """Rules 2 and 3 for an undated head count spanning ``start:end``; records the rule in ``evidence``."""
    para_index = next((i for i, p in enumerate(paras) if p[0] <= start < p[1]), None)
    lead_at = lead_index(text, paras, para_index) if para_index is not None else None
    if lead_at is not None and has_verb:
        lead = lead_event_date(text, dates, paras, lead_at)
        if lead is not None:
            evidence["date_rule"] = "lead count dated by the lead's first event date"
            return lead
    if _COPULA_AFTER.match(text, end, sent[1]):
        return None   # "Of those apprehended, 317 were foreign nationals ...": who they are, not a count of the day (v3)
    if _BREAKDOWN.search(text, sent[0], start) or _AMONG_AFTER.match(text, end, sent[1]):
        floor = _previous_sentence_start(sents, sent)
        phrase = _BREAKDOWN_PHRASE.search(text, sent[0], start)
        needs_held = bool(phrase and HELD_VERBS.search(phrase["rest"].split(",")[0]))
        for prev in reversed(previous):
            if prev.start < floor and not needs_held:
                break      # a bare breakdown ("including 2,650 ...") breaks down a total just before it
            if needs_held and not HELD_VERBS.search(f"{prev.action or ''} {prev.what}"):
                continue   # "Among the people held, 317 ...": not the officers counted before, but the
                           # total counted with a verb of holding, however far back
            if prev.unit == "people" and prev.date and prev.date_precision == "day":
                evidence["date_rule"] = f"breakdown of the figure at {prev.start}"
                return DateRef(text=str(prev.evidence.get("date_text", "")), start=prev.start, end=prev.end,
                               iso_start=prev.date, iso_end=prev.date, precision="day", rule="inherited")
    return None


def penalty_date(text: str, dates: Sequence[DateRef], sents: Sequence[CharRange], pos: int) -> DateRef | None:
    """Rule 2b (v3): a fine or prison term without a day of its own was imposed on the day of the
    sentencing the article reports: the first event day of the last sentence before ``pos`` that
    reports one ("... were sentenced in Kunming on Tuesday")."""
    for sent in reversed([s for s in sents if s[0] < pos]):
        if _SENTENCING.search(text, sent[0], sent[1]):
            found = event_days(text, dates, sent)
            if found:
                return found[0]
    return None


def _previous_sentence_start(sents: Sequence[CharRange], sent: CharRange) -> int:
    earlier = [s for s in sents if s[1] <= sent[0]]
    return earlier[-1][0] if earlier else sent[0]
