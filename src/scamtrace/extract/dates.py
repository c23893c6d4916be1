"""Date expressions resolved against the publication date (``extract.dates-v2``).

Rules, in the order they are tried (a longer match wins over an overlapping shorter one):

* ``Nov. 18``, ``November 18, 2023``, ``18 November 2023`` -> that day. Without a year, the most
  recent such day on or before publication, or the next one when the sentence speaks of the future
  ("will hold back transfers ... from August 1"). Without a publication date, a weekday before it
  ("Monday, March 3") fixes the year: the latest year, not after today, with that weekday.
* ``in March``, ``March 2020``, ``late October``, ``mid-November`` -> the month (most recent on or
  before publication when no year); early/mid/late narrow it to days 1-10 / 11-20 / 21-end.
* ``Tuesday`` -> the most recent Tuesday on or before publication (the publication day itself
  counts: wire stories say "Tuesday" for the day they are filed).
* ``last week``, ``this week``, ``earlier this month``, ``last month``, ``earlier this year``,
  ``last year``, ``in recent weeks``, ``in recent days``, ``in recent months``, ``today``,
  ``yesterday`` -> the calendar interval (weeks start on Monday).
* ``over the summer``, ``this spring``, ``last winter``, ``the fall of 2022`` -> the meteorological
  season of the northern hemisphere (summer = June-August, winter = December-February), the most
  recent one that has begun on or before publication ("last" = the one before the current).
* ``in 2019``, ``a 2020 report``, ``late 2021`` -> the year (early/mid/late = Jan-Apr/May-Aug/Sep-Dec).

dateparser is not used: on news text its search mode turns modal "may" and counts into dates and
is two orders of magnitude slower than these rules; the phrases above are the ones the
scam-compound reports use.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable

from .records import ALGO_DATES, DateRef

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_MONTH_RE = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
             r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)")
_PART_RE = r"(?:(?P<part>[Ee]arly|[Mm]id|[Ll]ate)[- ])?"
_YEAR_RE = r"(?:19[5-9]\d|20\d\d)"
#: Words after a 4-digit number that make it a count, not a year ("2000 people").
_COUNT_AFTER_YEAR = re.compile(r"\s+(?:people|persons|suspects|victims|workers|individuals|yuan|baht|dollars)\b")
#: Words before "May" that make it the month rather than the modal verb.
_MAY_CONTEXT = re.compile(r"(?:\b(?:in|since|by|until|till|from|of|through|during|early|mid|late|last|this|next)[- ])$", re.I)

_REL_YEAR = r"(?:\s+(?P<rel>last|this|next)\s+year\b)?"
_DAY_MD = re.compile(rf"\b{_PART_RE}(?P<month>{_MONTH_RE})\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>{_YEAR_RE})\b)?{_REL_YEAR}")
_DAY_DM = re.compile(rf"\b(?P<day>[0-3]?\d)\s+(?P<month>{_MONTH_RE})(?:,?\s+(?P<year>{_YEAR_RE})\b)?{_REL_YEAR}")
_MONTH = re.compile(rf"\b{_PART_RE}(?P<month>{_MONTH_RE})(?![\w])(?:,?\s+(?P<year>{_YEAR_RE})\b)?{_REL_YEAR}")
_WEEKDAY = re.compile(r"\b(?:(?:last|on|this|next) )?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b")
_RELATIVE = re.compile(
    r"\b(?P<phrase>(?:earlier |later )?this (?:week|month|year)|last (?:week|month|year)"
    r"|(?:in |over )?(?:the )?(?:recent|past|last) (?:few )?(?:days|weeks|months)"
    r"|today|yesterday)\b", re.I)
_SEASON = re.compile(
    rf"\b(?:(?P<part>early|mid|late)[- ])?(?P<det>this |last |the |over the |in the |during the )?"
    rf"(?P<season>spring|summer|autumn|fall|winter)(?:\s+of\s+(?P<year>{_YEAR_RE})|\s+(?P<year2>{_YEAR_RE}))?\b", re.I)
_YEAR = re.compile(rf"(?<![\d$,.#-])\b{_PART_RE}(?P<year>{_YEAR_RE})\b(?![,.]?\d)(?!-)")

_SEASON_MONTH = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def _month_num(token: str) -> int:
    return _MONTHS[token.rstrip(".").lower()]


def _month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _part_of_month(year: int, month: int, part: str | None) -> tuple[dt.date, dt.date]:
    last = _month_end(year, month)
    lo, hi = {"early": (1, 10), "mid": (11, 20), "late": (21, last)}.get((part or "").lower(), (1, last))
    return dt.date(year, month, lo), dt.date(year, month, hi)


def _part_of_year(year: int, part: str | None) -> tuple[dt.date, dt.date]:
    lo, hi = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}.get((part or "").lower(), (1, 12))
    return dt.date(year, lo, 1), dt.date(year, hi, _month_end(year, hi))


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    idx = year * 12 + (month - 1) + delta
    return idx // 12, idx % 12 + 1


def _season_interval(year: int, season: str) -> tuple[dt.date, dt.date]:
    """Meteorological season starting in ``year`` (winter runs into the next year)."""
    m0 = _SEASON_MONTH[season]
    y2, m2 = _add_months(year, m0, 2)
    return dt.date(year, m0, 1), dt.date(y2, m2, _month_end(y2, m2))


def _latest_season_start(season: str, pub: dt.date, previous: bool) -> int:
    """Year in which the most recent ``season`` began on or before ``pub`` (or the one before)."""
    year = pub.year
    if dt.date(year, _SEASON_MONTH[season], 1) > pub:
        year -= 1
    if previous:
        start, end = _season_interval(year, season)
        if end >= pub:   # we are inside it: "last summer" is the one before
            year -= 1
    return year


def _mk(m: re.Match[str], span: str, lo: dt.date | None, hi: dt.date | None, precision: str, rule: str,
        yearless: str | None = None) -> DateRef:
    s, e = m.span(span)
    return DateRef(text=m.string[s:e], start=s, end=e, iso_start=lo.isoformat() if lo else None,
                   iso_end=hi.isoformat() if hi else None, precision=precision, rule=rule, algorithm=ALGO_DATES,
                   yearless=yearless)


def _yearless_month(month: int, part: str | None) -> str:
    """``--MM`` for a whole month, ``--MM-DD/--MM-DD`` for its early/mid/late part (late ends on the
    month's last day of a leap year: :func:`parse_yearless` clips it to the year's)."""
    if not part:
        return f"--{month:02d}"
    lo, hi = _part_of_month(2000, month, part)
    return f"--{month:02d}-{lo.day:02d}/--{month:02d}-{hi.day:02d}"


_YEARLESS = re.compile(r"--(?P<m1>\d\d)(?:-(?P<d1>\d\d))?(?:/--(?P<m2>\d\d)-(?P<d2>\d\d))?")


def parse_yearless(text: str) -> tuple[int, int, int | None]:
    """``--MM-DD``, ``--MM`` or ``--MM-DD/--MM-DD`` (one month) -> (month, first day, last day or None for
    the month's end); ``ValueError`` for anything else."""
    m = _YEARLESS.fullmatch(text or "")
    if m is None or (m["m2"] and m["m2"] != m["m1"]) or not 1 <= int(m["m1"]) <= 12:
        raise ValueError(f"not a yearless date (--MM-DD, --MM or --MM-DD/--MM-DD): {text!r}")
    lo = int(m["d1"] or 1)
    hi = int(m["d2"]) if m["d2"] else (lo if m["d1"] else None)
    if not 1 <= lo <= (hi or lo) <= _month_end(2000, int(m["m1"])):
        raise ValueError(f"no such days in month {m['m1']}: {text!r}")
    return int(m["m1"]), lo, hi


def place_yearless(text: str, year: int) -> tuple[dt.date, dt.date] | None:
    """The interval a yearless date (:func:`parse_yearless`) stands for in ``year``; None when the day does
    not exist that year (February 29)."""
    month, lo, hi = parse_yearless(text)
    last = _month_end(year, month)
    if lo > last:
        return None
    return dt.date(year, month, lo), dt.date(year, month, min(hi or last, last))


def _explicit_year(m: re.Match[str], pub: dt.date | None) -> int | None:
    """The year written in the match, or implied by "last/this/next year" after it."""
    if m["year"]:
        return int(m["year"])
    if m.groupdict().get("rel") and pub is not None:
        return pub.year + {"last": -1, "this": 0, "next": 1}[m["rel"]]
    return None


def _day(m: re.Match[str], pub: dt.date | None) -> DateRef | None:
    month, day = _month_num(m["month"]), int(m["day"])
    year = _explicit_year(m, pub)
    if year is None and pub is not None:
        # the most recent such day on or before publication; the next one when the sentence speaks of the future
        future = _future_context(m)
        if (month, day) <= (pub.month, pub.day):
            year = pub.year + 1 if future and (month, day) < (pub.month, pub.day) else pub.year
        else:
            year = pub.year if future else pub.year - 1
    if year is None:
        year = _year_from_weekday(m, month, day)
        if year is None:
            # the month and day are kept (``yearless``): the story's other articles may place them
            valid = 1 <= day <= _month_end(2000, month)
            return _mk(m, 0, None, None, "day", "month-day, no publication date",
                       f"--{month:02d}-{day:02d}" if valid else None)
        d = dt.date(year, month, day)
        return _mk(m, 0, d, d, "day", "weekday, month-day: latest year (not after today) with that weekday")
    if day < 1 or day > _month_end(year, month):
        return None
    d = dt.date(year, month, day)
    return _mk(m, 0, d, d, "day", "month-day" + ("" if m["year"] or m.groupdict().get("rel") else ", year from publication"))


#: Future tense before a date in its sentence: "will hold back ... from August 1" means the next August 1.
_FUTURE = re.compile(r"\b(?:will|shall|is\s+to|are\s+to|plans?\s+to|is\s+expected\s+to|are\s+expected\s+to|starting|effective|takes?\s+effect)\b", re.I)


def _future_context(m: re.Match[str]) -> bool:
    """Whether the sentence before the date speaks of the future."""
    head = m.string[max(0, m.start() - 160):m.start()]
    head = re.split(r"[.!?]\s", head)[-1]
    return _FUTURE.search(head) is not None


_WEEKDAY_BEFORE = re.compile(r"\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+$")
#: How many years back a "Monday, March 3" without publication date may be placed.
WEEKDAY_YEAR_SEARCH = 7


def _year_from_weekday(m: re.Match[str], month: int, day: int) -> int | None:
    """"Monday, March 3" with no year and no publication date: the weekday pins the year down to one
    in seven (or so); take the latest such year not after today."""
    w = _WEEKDAY_BEFORE.search(m.string[max(0, m.start() - 12):m.start()])
    if w is None:
        return None
    today = dt.date.today()
    for year in range(today.year, today.year - WEEKDAY_YEAR_SEARCH, -1):
        if day <= _month_end(year, month) and dt.date(year, month, day) <= today \
                and dt.date(year, month, day).weekday() == _WEEKDAYS[w["wd"].lower()]:
            return year
    return None


def _month(m: re.Match[str], pub: dt.date | None) -> DateRef | None:
    if m["month"] == "May" and not m["year"] and not m["part"] and not _MAY_CONTEXT.search(m.string[max(0, m.start() - 8):m.start()]):
        return None
    month = _month_num(m["month"])
    year = _explicit_year(m, pub)
    if year is None and pub is not None:
        year = pub.year if month <= pub.month else pub.year - 1
    if year is None:
        return _mk(m, 0, None, None, "month", "month, no publication date", _yearless_month(month, m["part"]))
    lo, hi = _part_of_month(year, month, m["part"])
    return _mk(m, 0, lo, hi, "month", f"{(m['part'] or '').lower() + ' ' if m['part'] else ''}month")


def _weekday(m: re.Match[str], pub: dt.date | None) -> DateRef | None:
    if pub is None:
        return _mk(m, "wd", None, None, "day", "weekday, no publication date")
    back = (pub.weekday() - _WEEKDAYS[m["wd"].lower()]) % 7
    d = pub - dt.timedelta(days=back)
    return _mk(m, "wd", d, d, "day", "weekday on or before publication")


def _relative(m: re.Match[str], pub: dt.date | None) -> DateRef | None:
    phrase = m["phrase"].lower()
    if pub is None:
        return _mk(m, "phrase", None, None, "week", "relative, no publication date")
    monday = pub - dt.timedelta(days=pub.weekday())
    month_start = pub.replace(day=1)
    if phrase in ("today", "yesterday"):
        d = pub if phrase == "today" else pub - dt.timedelta(days=1)
        return _mk(m, "phrase", d, d, "day", phrase)
    if phrase.endswith("this week"):
        return _mk(m, "phrase", monday, pub, "week", "this week")
    if phrase == "last week":
        return _mk(m, "phrase", monday - dt.timedelta(days=7), monday - dt.timedelta(days=1), "week", "last week")
    if phrase.endswith("this month"):
        return _mk(m, "phrase", month_start, pub, "month", "this month")
    if phrase == "last month":
        end = month_start - dt.timedelta(days=1)
        return _mk(m, "phrase", end.replace(day=1), end, "month", "last month")
    if phrase.endswith("this year"):
        return _mk(m, "phrase", dt.date(pub.year, 1, 1), pub, "year", "this year")
    if phrase == "last year":
        return _mk(m, "phrase", dt.date(pub.year - 1, 1, 1), dt.date(pub.year - 1, 12, 31), "year", "last year")
    unit = phrase.rsplit(" ", 1)[-1]
    days = {"days": 7, "weeks": 28, "months": 91}[unit]
    precision = "month" if unit == "months" else "week"
    return _mk(m, "phrase", pub - dt.timedelta(days=days), pub, precision, f"recent {unit} = {days} days before publication")


def _at_sentence_start(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3):pos].rstrip(" ")
    return pos == 0 or before == "" or before[-1] in ".!?\n"


def _season(m: re.Match[str], pub: dt.date | None) -> DateRef | None:
    season = m["season"].lower()
    det = (m["det"] or "").strip().lower()
    year_text = m["year"] or m["year2"]
    if season == "fall" and not det and not year_text:
        return None   # "prices fall": the verb
    if m["season"][0].isupper() and (re.match(r"\s+[A-Z]", m.string[m.end():m.end() + 2])
                                     or (not det and not _at_sentence_start(m.string, m.start()))):
        return None   # "Summer Operation": part of a name
    if year_text:
        year = int(year_text)
    elif pub is not None:
        year = _latest_season_start(season, pub, previous=det == "last")
    else:
        return _mk(m, 0, None, None, "season", "season, no publication date")
    lo, hi = _season_interval(year, season)
    return _mk(m, 0, lo, hi, "season", f"{det + ' ' if det else ''}{season} (meteorological, northern hemisphere)")


def _year(m: re.Match[str], pub: dt.date | None) -> DateRef | None:
    if _COUNT_AFTER_YEAR.match(m.string, m.end()):
        return None
    lo, hi = _part_of_year(int(m["year"]), m["part"])
    return _mk(m, 0, lo, hi, "year", f"{(m['part'] or '').lower() + ' ' if m['part'] else ''}year")


_RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], dt.date | None], DateRef | None]], ...] = (
    (_DAY_MD, _day), (_DAY_DM, _day), (_SEASON, _season), (_MONTH, _month), (_RELATIVE, _relative),
    (_WEEKDAY, _weekday), (_YEAR, _year),
)


def find_dates(text: str, published: dt.date | None) -> list[DateRef]:
    """All date expressions of ``text`` resolved against ``published`` (None: relative ones stay unresolved).

    Overlapping candidates are settled longest-first, so "Nov. 18, 2023" is one day, not a day and a year.
    """
    if not isinstance(text, str):
        raise ValueError(f"find_dates needs text as str, got {type(text).__name__}")
    if published is not None and not isinstance(published, dt.date):
        raise ValueError(f"find_dates needs published as datetime.date or None, got {published!r}")
    if isinstance(published, dt.datetime):
        published = published.date()
    candidates: list[DateRef] = []
    for pattern, resolve in _RULES:
        for m in pattern.finditer(text):
            ref = resolve(m, published)
            if ref is not None:
                candidates.append(ref)
    candidates.sort(key=lambda r: (-(r.end - r.start), r.start))
    taken: list[DateRef] = []
    for ref in candidates:
        if all(ref.end <= t.start or ref.start >= t.end for t in taken):
            taken.append(ref)
    return _merge_ranges(text, sorted(taken, key=lambda r: r.start), published)


_BETWEEN = re.compile(r"\b(?:between|from)\s+$", re.I)
_AND_TO = re.compile(r"^\s+(?:and|to|until|through)\s+$|^\s*[-–]\s*$", re.I)
_SINCE = re.compile(r"\bsince\s+(?:a\s+|the\s+)?$", re.I)


def _merge_ranges(text: str, refs: list[DateRef], published: dt.date | None) -> list[DateRef]:
    """"between September 2020 and late 2021" -> one interval; "since 2018" -> 2018..publication."""
    out: list[DateRef] = []
    i = 0
    while i < len(refs):
        a = refs[i]
        b = refs[i + 1] if i + 1 < len(refs) else None
        if (b is not None and a.iso_start and b.iso_end and _BETWEEN.search(text[max(0, a.start - 9):a.start])
                and _AND_TO.match(text[a.end:b.start])):
            coarse = max(a.precision, b.precision, key=lambda p: ("day", "week", "month", "season", "year").index(p))
            out.append(DateRef(text=text[a.start:b.end], start=a.start, end=b.end, iso_start=a.iso_start,
                               iso_end=b.iso_end, precision=coarse, rule=f"range: {a.rule} .. {b.rule}", algorithm=ALGO_DATES))
            i += 2
            continue
        if published is not None and a.iso_start and _SINCE.search(text[max(0, a.start - 10):a.start]):
            a = DateRef(text=a.text, start=a.start, end=a.end, iso_start=a.iso_start, iso_end=published.isoformat(),
                        precision=a.precision, rule=f"since {a.rule} .. publication", algorithm=ALGO_DATES)
        out.append(a)
        i += 1
    return out
