"""Date expressions resolved against the publication date (extract.dates-v2)."""
from __future__ import annotations

import datetime as dt

import pytest

from scamtrace.extract import find_dates

PUB = dt.date(2024, 3, 14)   # a Thursday


def one(text: str, published: dt.date | None = PUB):
    refs = find_dates(text, published)
    assert len(refs) == 1, refs
    return refs[0]


@pytest.mark.parametrize("text, iso, precision", [
    ("Police raided the site on Feb. 3.", "2024-02-03", "day"),
    ("It opened on Dec. 20 last year.", "2023-12-20", "day"),          # after publication's month-day -> last year
    ("The raid happened on March 14, 2022.", "2022-03-14", "day"),
    ("Officials met on 9 January 2024.", "2024-01-09", "day"),
    ("The ministry said Tuesday it had acted.", "2024-03-12", "day"),
    ("The ministry said Thursday it had acted.", "2024-03-14", "day"),  # the publication day itself
    ("Workers fled in late January.", "2024-01-21/2024-01-31", "month"),
    ("Arrests began in mid-February.", "2024-02-11/2024-02-20", "month"),
    ("He was recruited in May.", "2023-05-01/2023-05-31", "month"),    # May after March -> previous year
    ("Flights resumed in October 2021.", "2021-10-01/2021-10-31", "month"),
    ("Over the summer, thousands returned.", "2023-06-01/2023-08-31", "season"),
    ("Over the winter, the camp grew.", "2023-12-01/2024-02-29", "season"),
    ("The group was founded in 2019.", "2019-01-01/2019-12-31", "year"),
    ("It expanded in late 2020.", "2020-09-01/2020-12-31", "year"),
    ("Talks were held last week.", "2024-03-04/2024-03-10", "week"),
    ("Earlier this month, the border closed.", "2024-03-01/2024-03-14", "month"),
    ("Earlier this year, the border closed.", "2024-01-01/2024-03-14", "year"),
    ("Last month, the border closed.", "2024-02-01/2024-02-29", "month"),
    ("Dozens fled in recent weeks.", "2024-02-15/2024-03-14", "week"),
    ("Between June 2020 and late 2021, it grew.", "2020-06-01/2021-12-31", "year"),
    ("It has operated since 2018.", "2018-01-01/2024-03-14", "year"),
])
def test_resolution(text: str, iso: str, precision: str) -> None:
    ref = one(text)
    assert ref.iso == iso
    assert ref.precision == precision
    assert text[ref.start:ref.end] == ref.text
    assert ref.algorithm == "extract.dates-v2"


@pytest.mark.parametrize("text", [
    "You may leave now.",                      # modal "may"
    "Prices fall when demand drops.",          # verb "fall"
    "The Summer Operation was a success.",     # capitalised name
    "About 2000 people were freed.",           # a count, not a year
])
def test_not_dates(text: str) -> None:
    assert find_dates(text, PUB) == []


def test_relative_without_publication_date_is_unresolved() -> None:
    ref = one("The ministry said Tuesday it had acted.", None)
    assert ref.iso_start is None and ref.iso is None
    absolute = one("It happened on March 14, 2022.", None)
    assert absolute.iso == "2022-03-14"


def test_last_summer_while_in_summer_is_previous_one() -> None:
    ref = one("Last summer the compound opened.", dt.date(2024, 7, 10))
    assert ref.iso == "2023-06-01/2023-08-31"


def test_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="published"):
        find_dates("text", "2024-01-01")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="str"):
        find_dates(None, PUB)  # type: ignore[arg-type]


def test_weekday_fixes_the_year_without_publication_date() -> None:
    (ref,) = [r for r in find_dates("Troops moved in on Monday, March 3.", None) if r.iso_start]
    day = dt.date.fromisoformat(ref.iso_start)
    assert (day.month, day.day, day.weekday()) == (3, 3, 0) and day <= dt.date.today()
    assert "weekday" in ref.rule


def test_future_tense_takes_the_next_such_day() -> None:
    assert one("The rule will apply from August 1.").iso == "2024-08-01"
    assert one("The rule applied from August 1.").iso == "2023-08-01"
    assert one("The new rule will take effect on March 1.", dt.date(2024, 7, 14)).iso == "2025-03-01"
