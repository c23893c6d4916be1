"""Yearless dates of undated articles placed by their story (``extract.story-dates-v1``).

An article without a publication date cannot place "returned home on January 23" or "in March" in a
year (:mod:`scamtrace.extract.dates` keeps the month and day, ``DateRef.yearless``, and the event its
``date_yearless`` evidence). Once the stories are known, the story's other members are dated: the
yearless date takes the year that puts it within :data:`STORY_DATE_WINDOW_DAYS` of the story's dated
span (first to last publication day of its dated members), when exactly one year does. Otherwise (no
dated member, no year near enough, or two years near enough: a story spanning more than a year) the
event stays unresolved.

The result depends only on the story's events and its members' publication days, which the knowledge
stage reads again whenever a story's membership or a member changes, so two batches give what one run
gives. The events table keeps what the article's own text says (``unresolved``); the placed date is
used by the story's merged events and stored with each citation (``date_evidence``: the span, the
rule, the distance in days and this algorithm).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from ..model import Event
from .dates import place_yearless

ALGO_STORY_DATES = "extract.story-dates-v1"
#: A yearless date takes the year that puts it at most this many days before or after the story's dated
#: span, and only when exactly one year does. Set on realnews-dev (session 17): the yearless dates of
#: undated articles whose year a reader can tell lie 0-86 days from their story's span (a raid told in
#: passage three months after it); one quarter keeps them and leaves 180+ days between the candidate
#: years of a short span.
STORY_DATE_WINDOW_DAYS = 92
RULE = f"yearless date: the one year within {STORY_DATE_WINDOW_DAYS} days of the story's dated span"


def story_span(days: Iterable[dt.date | None]) -> tuple[dt.date, dt.date] | None:
    """First and last of the known publication ``days`` of a story's members; None when none is known."""
    known = sorted(d for d in days if d is not None)
    return (known[0], known[-1]) if known else None


def _distance(lo: dt.date, hi: dt.date, span: tuple[dt.date, dt.date]) -> int:
    """Days between the interval lo..hi and the span (0 when they overlap)."""
    return max(0, (span[0] - hi).days, (lo - span[1]).days)


def place_in_span(yearless: str, span: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date, int] | None:
    """The interval ``yearless`` (:func:`~scamtrace.extract.dates.parse_yearless`) stands for in the one
    year that puts it within :data:`STORY_DATE_WINDOW_DAYS` of ``span``, with its distance; None when no
    year or more than one does."""
    found = []
    for year in range(span[0].year - 1, span[1].year + 2):
        got = place_yearless(yearless, year)
        if got is not None and (d := _distance(*got, span)) <= STORY_DATE_WINDOW_DAYS:
            found.append((*got, d))
    return found[0] if len(found) == 1 else None


def resolve_story_dates(events: Iterable[Event], member_days: Iterable[dt.date | None]) -> list[Event]:
    """The ``events`` of one story, each unresolved one with a yearless date placed by the story's span
    (``member_days``: the publication days of the story's members, None for an undated one) returned as
    a copy dated from the story (``date_source="story"``, evidence ``date_story``); the others as they are."""
    span = story_span(member_days)
    out: list[Event] = []
    for ev in events:
        yearless = ev.evidence.get("date_yearless") if ev.date_source == "unresolved" else None
        placed = place_in_span(yearless, span) if yearless and span is not None else None
        if placed is None:
            out.append(ev)
            continue
        lo, hi, distance = placed
        evidence = {**ev.evidence, "date_story": {
            "yearless": yearless, "span": [span[0].isoformat(), span[1].isoformat()],  # type: ignore[index]
            "distance_days": distance, "rule": RULE, "algorithm": ALGO_STORY_DATES}}
        start, end = lo.isoformat(), hi.isoformat()
        out.append(dataclasses.replace(ev, date=start if start == end else f"{start}/{end}", date_start=start,
                                       date_end=end, date_source="story", evidence=evidence))
    return out
