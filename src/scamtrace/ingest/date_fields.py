"""Publication dates as records give them: ISO 8601, RFC 822 (feeds), and common written forms."""
from __future__ import annotations

import datetime as dt
import email.utils
import functools
import logging
import re

log = logging.getLogger(__name__)

#: Dates outside this range are treated as unparsable (typos such as 0202 or 2204).
EARLIEST_YEAR = 1990
LATEST_YEAR = 2100

_ISO_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _in_range(d: dt.date) -> dt.date | None:
    return d if EARLIEST_YEAR <= d.year <= LATEST_YEAR else None


def _iso(text: str) -> dt.date | None:
    if not _ISO_PREFIX.match(text):
        return None
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            return None


def _rfc822(text: str) -> dt.date | None:
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.date() if parsed else None


_YEAR = re.compile(r"\b(?:19|20|21)\d\d\b")


def _written(text: str) -> dt.date | None:
    """A written date; one naming its year is remembered (the same "Published March 4, 2025" stub recurs
    across an outlet's pages, and dateparser takes tens of milliseconds per call). Relative ones
    ("yesterday") are parsed each time: their date moves."""
    return _written_absolute(text) if _YEAR.search(text) else _dateparser(text)


@functools.lru_cache(maxsize=4096)
def _written_absolute(text: str) -> dt.date | None:
    return _month_day_year(text) or _dateparser(text)


_MONTH_NUMBERS = {name: i for i, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
     ("november", "nov"), ("december", "dec")], start=1) for name in names}
_MONTH_NAME = "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True))
_MDY = re.compile(rf"(?P<month>{_MONTH_NAME})\.? (?P<day>\d{{1,2}}),? (?P<year>\d{{4}})", re.I | re.A)
_DMY = re.compile(rf"(?P<day>\d{{1,2}}) (?P<month>{_MONTH_NAME})\.? (?P<year>\d{{4}})", re.I | re.A)


def _month_day_year(text: str) -> dt.date | None:
    """"March 4, 2025", "Mar. 4 2025", "4 March 2025": the date dateparser gives them, without
    dateparser (its first call loads for a second or more, and every call takes milliseconds).
    None for any other form or an impossible day, which dateparser then reads (speed only:
    ``tests/test_ingest.py`` checks these forms against dateparser)."""
    m = _MDY.fullmatch(text) or _DMY.fullmatch(text)
    if m is None:
        return None
    try:
        return dt.date(int(m["year"]), _MONTH_NUMBERS[m["month"].lower()], int(m["day"]))
    except ValueError:
        return None


def _dateparser(text: str) -> dt.date | None:
    import dateparser   # imported lazily: it is slow to import and rarely needed

    try:
        parsed = dateparser.parse(text, settings={"STRICT_PARSING": True, "PREFER_DAY_OF_MONTH": "first"})
    except Exception:   # dateparser raises assorted errors on odd input; it is only a last resort
        return None
    return parsed.date() if parsed else None


def parse_date(value: object) -> dt.date | None:
    """A date from ISO 8601 (``2024-11-02``, ``2024-11-02T08:00:00Z``), RFC 822
    (``Sat, 02 Nov 2024 08:00:00 GMT``) or written forms (``November 2, 2024``, ``2 Nov 2024``).

    Returns None for anything else, including years outside [EARLIEST_YEAR, LATEST_YEAR].
    A timestamp keeps the calendar date written in its own offset (no conversion to UTC).
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return _in_range(value.date())
    if isinstance(value, dt.date):
        return _in_range(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 100:
        return None
    for parser in (_iso, _rfc822, _written):
        d = parser(text)
        if d is not None:
            return _in_range(d)
    return None


def parse_date_logged(value: object, where: str) -> dt.date | None:
    """:func:`parse_date`, logging a warning naming ``where`` when a given value is unparsable."""
    d = parse_date(value)
    if d is None and value not in (None, ""):
        log.warning("%s: unparsable published date %r; kept the article without a date", where, value)
    return d
