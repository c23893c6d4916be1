"""A plain-text first line is taken as the title only when it is a headline (clean.headline-v1).

The examples are written for this test (fictional); each is a page-furniture form that real pages
saved as text start with (realnews-dev had seven such titles before v1).
"""
from __future__ import annotations

import pytest

from scamtrace.clean import CLEANER_TEXT, clean_doc
from scamtrace.clean.headline import headline_of, headline_problem
from scamtrace.model import RawDoc

_BODY = ("Police in the border town said on Tuesday they had freed 212 workers from a compound where they "
         "were forced to run online fraud schemes, and that the owners had fled before the raid began.\n\n"
         "The workers will be sent home next week, an official of the provincial police said.")


@pytest.mark.parametrize(("line", "reason"), [
    ("date 2026-03-02 By Mara Voss and Tomas Reyes", "byline"),
    ("By Staff Writer", "byline"),
    ("date 2026-03-02 Freed workers wait at the border post. (Lantern Wire pic)", "caption"),
    ("Photo: freed workers wait at the border post", "caption"),
    ("date 2026-03-02 418 SHARES Share Tweet", "share-bar"),
    ("03/02/2026 | Press release | Distributed by Wirehouse on 03/02/2026 09:15", "separators"),
    ("- Investigators visited 40 compounds over a year", "list-item"),
    ("[Gazette of the Republic, Volume 12, Number 7 (Monday, March 2, 2026)]", "bracketed"),
    ("date 2026-03-02", "date-stamp"),
])
def test_page_furniture_is_not_a_headline(line: str, reason: str) -> None:
    assert headline_problem(line) == reason


@pytest.mark.parametrize("line", [
    "Police free 212 workers from border scam compound",
    "By the Numbers: Scam Compounds in 2026",          # "By" and a lower-case word: a headline
    "U.S. Sanctions Border Casino Owner (Updated)",      # a parenthesis without a sentence before it
    "2,000 rescued from scam hub",
    "Rescued workers: 'We were sold twice'",
    "Headline | Lantern Wire",                           # one separator: a site suffix, split elsewhere
])
def test_headlines_pass(line: str) -> None:
    assert headline_problem(line) is None


def test_date_stamp_comes_off_a_dated_headline() -> None:
    assert headline_of("date 2026-03-02 Police free 212 workers") == "Police free 212 workers"
    assert headline_of("Posted: 03/02/2026 09:15 | Police free 212 workers") == "Police free 212 workers"
    assert headline_of("2026 budget cuts hit border police") == "2026 budget cuts hit border police"


def _clean(first: str):
    return clean_doc(RawDoc(source="t.txt", body=f"{first}\n\n{_BODY}", fmt="text"))


def test_a_byline_first_line_is_no_title_and_stays_in_the_text() -> None:
    art = _clean("date 2026-03-02 By Mara Voss and Tomas Reyes")
    assert art.title is None
    assert art.text.startswith("date 2026-03-02 By Mara Voss")
    assert art.cleaner.startswith(CLEANER_TEXT) and CLEANER_TEXT == "clean.text-v3"


def test_a_dated_headline_is_the_title_without_its_stamp() -> None:
    art = _clean("date 2026-03-02 Police free 212 workers from border scam compound")
    assert art.title == "Police free 212 workers from border scam compound"
    assert art.text.startswith("Police in the border town")


def test_a_given_title_still_wins() -> None:
    art = clean_doc(RawDoc(source="t.txt", body=f"418 SHARES Share Tweet\n\n{_BODY}", fmt="text",
                           title="Police free 212 workers"))
    assert art.title == "Police free 212 workers"
