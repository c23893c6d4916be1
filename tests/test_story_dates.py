"""extract.story-dates-v1: a month and day (or month) with no year in an article without a publication
date keeps them at extraction and takes its year from the story's dated members. Invented sentences."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from scamtrace import api
from scamtrace.extract.dates import find_dates, parse_yearless, place_yearless
from scamtrace.extract.events import find_events, merge_events
from scamtrace.extract.story_dates import (ALGO_STORY_DATES, STORY_DATE_WINDOW_DAYS, place_in_span,
                                           resolve_story_dates)
from scamtrace.model import Article
from scamtrace.store.extracted import story_events

D = dt.date


def test_an_unresolved_month_day_or_month_keeps_them():
    got = {d.text: (d.iso_start, d.rule, d.yearless) for d in find_dates(
        "The workers returned home on March 14. Some had fled in mid-February, others in October.", None)}
    assert got["March 14"] == (None, "month-day, no publication date", "--03-14")
    assert got["mid-February"] == (None, "month, no publication date", "--02-11/--02-20")
    assert got["October"] == (None, "month, no publication date", "--10")
    # with a publication date the year comes from it, and nothing is kept
    assert all(d.yearless is None for d in find_dates("They returned home on March 14.", D(2026, 3, 20)))


def test_yearless_dates_parse_and_place():
    assert parse_yearless("--02") == (2, 1, None)
    assert place_yearless("--02", 2025) == (D(2025, 2, 1), D(2025, 2, 28))
    assert place_yearless("--02-21/--02-29", 2025) == (D(2025, 2, 21), D(2025, 2, 28))
    assert place_yearless("--02-29", 2025) is None and place_yearless("--02-29", 2024) == (D(2024, 2, 29),) * 2
    for bad in ("--13", "--04-31", "2025-04-01", "--04-10/--05-01", ""):
        with pytest.raises(ValueError):
            parse_yearless(bad)


def test_the_year_nearest_the_span_within_the_window_and_only_one():
    span = (D(2026, 1, 22), D(2026, 1, 30))
    assert place_in_span("--01-23", span) == (D(2026, 1, 23), D(2026, 1, 23), 0)
    assert place_in_span("--10", span) == (D(2025, 10, 1), D(2025, 10, 31), 83)     # a background month
    assert place_in_span("--02-03", span) == (D(2026, 2, 3), D(2026, 2, 3), 4)       # just after the span
    assert place_in_span("--07-01", span) is None                                    # no year near enough
    far = D(2026, 1, 30) + dt.timedelta(days=STORY_DATE_WINDOW_DAYS + 1)
    assert place_in_span(f"--{far.month:02d}-{far.day:02d}", span) is None
    assert place_in_span("--03-01", (D(2024, 12, 1), D(2026, 1, 1))) is None         # two years fit: ambiguous


def _event(text: str, aid: str, published: D | None):
    art = Article(id=aid, source="t", text=text, published=published)
    return find_events(art)


def test_an_undated_articles_event_takes_the_year_of_its_story():
    undated = _event("A group of 41 workers held in a scam compound returned home on March 14 to face questioning.",
                     "u", None)
    (rep,) = [e for e in undated if e.type == "repatriation"]
    assert rep.date is None and rep.date_source == "unresolved" and rep.evidence["date_yearless"] == "--03-14"
    placed = resolve_story_dates(undated, [None, D(2026, 3, 16), D(2026, 3, 18)])
    (rep2,) = [e for e in placed if e.type == "repatriation"]
    assert (rep2.date, rep2.date_source) == ("2026-03-14", "story")
    ev = rep2.evidence["date_story"]
    assert ev["span"] == ["2026-03-16", "2026-03-18"] and ev["distance_days"] == 2
    assert ev["algorithm"] == ALGO_STORY_DATES and ev["yearless"] == "--03-14"
    assert rep.date is None   # the input event is left as it was
    # no dated member: nothing to place it by
    assert resolve_story_dates(undated, [None]) == undated
    # the merged event cites the placed mention with its evidence
    (merged,) = [m for m in merge_events(placed) if m.type == "repatriation"]
    assert merged.date == "2026-03-14" and merged.citations[0].date_evidence == ev


def test_a_placed_date_keeps_a_background_event_apart():
    """Two mentions sharing a count: a dated one telling in passing of an October return, and the
    undated article's "repatriated on January 23": placed, they are two events (before, one in October)."""
    old = _event("Earlier, in October, 64 workers were repatriated from the compound at Kestrel Bay.", "d", D(2026, 1, 24))
    new = _event("The 64 workers from the compound at Kestrel Bay were repatriated on January 23.", "u", None)
    events = resolve_story_dates(old + new, [D(2026, 1, 24), None])
    reps = sorted((m.date, m.articles) for m in merge_events(events) if m.type == "repatriation")
    assert reps == [("2025-10-01/2025-10-31", 1), ("2026-01-23", 1)]


_UNDATED = ("A group of 41 Norlandian nationals held at the Golden Reed compound in Kestrel Bay returned home "
            "on March 14 to face questioning by the Norland police. The Norland Interior Ministry said the 41 "
            "Norlandians had been detained by Kestrel Bay authorities after a raid on the Golden Reed compound. "
            "Interior Minister Tavi Osrun said investigators would question each of the 41 returnees about the "
            "scam operation and the people who recruited them.")
_DATED = ("Norland has brought back 41 of its citizens from the Golden Reed compound in Kestrel Bay, the "
          "Interior Ministry said on Monday. Interior Minister Tavi Osrun told reporters the 41 Norlandians, "
          "detained after a raid by Kestrel Bay authorities, would be questioned about the scam operation. "
          "Osrun said the Norland police were looking for the recruiters who sent the 41 citizens to the "
          "Golden Reed compound.")
STORY = [{"id": "undated-1", "outlet": "one.example", "url": "https://one.example/a", "text": _UNDATED},
         {"id": "dated-1", "outlet": "two.example", "url": "https://two.example/b", "published": "2026-03-16",
          "text": _DATED}]


def test_the_store_keeps_the_placed_date_and_its_evidence(tmp_path):
    src = tmp_path / "story.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in STORY), encoding="utf-8")
    store = api.open_store(tmp_path / "s.db")
    api.ingest(store, [str(src)])
    api.analyze(store)
    story = {c["article"]: (e["date"], c.get("date_evidence")) for e in story_events(store)
             if e["type"] == "repatriation" for c in e["citations"]}
    date, evidence = story["undated-1"]
    assert date == "2026-03-14" and evidence["span"] == ["2026-03-16", "2026-03-16"], story
    assert evidence["algorithm"] == ALGO_STORY_DATES
    # the events table keeps what the article's own text says
    assert store.execute("SELECT date, date_source FROM events WHERE article = 'undated-1'"
                         " AND type = 'repatriation'")[0][:] == (None, "unresolved")
    store.close()
