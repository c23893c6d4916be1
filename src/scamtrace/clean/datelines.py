"""News datelines, one grammar for every stage that reads them.

A dateline opens a paragraph (or a lead sentence) and says where, and sometimes when and from whom,
the story was filed::

    VIENTIANE: At least 47 people ...
    BANGKOK, Feb 28 (Reuters) - Hundreds ...
    TOLLAN, Veridia, Mar 3 (Reuters) - ...
    PHNOM PENH — ...
    date 2025-07-30 ĐỒNG TÂN — ...          (a date stamp some feeds put first)
    Yangon: ...

Its parts, in order: an optional date stamp ``date YYYY-MM-DD``; a *place* of one to four words (a
word starts with a letter of any script and runs to a space or one of ``( ) , : ; — –``, not ending in
a hyphen); an optional ``, Region`` of one to three words; an optional date (``, Feb 28``); an
optional *credit* in parentheses (``(Reuters)``); a *separator*: a dash (``—``, ``–``, ``-``, one or
two) or a colon. :func:`match_dateline` (at an offset) and :func:`find_datelines` (every line) read
these parts once and return :class:`Dateline` records; what a reader requires of them stays with the
reader, since each stage trusts a different part of news style:

* ``clean.metadata`` (the article's dateline and credit fields, ``clean.metadata-v1``): an agency's
  credit (:func:`is_agency_credit`) before a dash, or a place in ASCII capitals before a long dash,
  opening the paragraph;
* ``copies.features`` (``credit_dateline``, ``copies.features-v4``): an agency of
  :data:`WIRE_AGENCIES` in the credit, a plain place in capitals of any script, a dash;
* ``copies.direction`` (the dateline note, ``lead_dateline``): no lower case, 4+ letters, not a
  heading (:data:`NOT_PLACES`), not an agency, on a line of the text's head;
* ``stories.names`` (a derived name drops its lead's dateline): capitals, or a credit, or a colon.

Checked against the four regular expressions it replaced (docs/measurements.md, "One dateline
grammar"): the same readings on every realnews-dev, ECB+, demo and seed text and on 415,800
synthetic dateline shapes, except ``copies.features``, which now also reads a date stamp, a region
before the date and non-ASCII capitals (hence v4).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["MONTH", "NOT_PLACES", "WIRE_AGENCIES", "WIRE_AGENCIES_LOWER", "WIRE_AGENCIES_UPPER", "Dateline",
           "find_datelines", "is_agency_credit", "match_dateline"]

# News agencies whose credit ("(Reuters) -", "- Xinhua", "Source: ANI") marks a wire story. v3 of
# copies.features added agencies of the region and other national agencies (IANS, APA, Antara, PNA,
# AKP, KPL, AAP, Jiji, TASS, ANSA): a list of agencies, not read off any evaluation set.
WIRE_AGENCIES: tuple[str, ...] = ("AP", "Reuters", "AFP", "Bloomberg", "Xinhua", "Bernama", "ANI", "PTI",
                                  "UPI", "dpa", "EFE", "Kyodo", "Yonhap", "VNA", "Anadolu", "IANS", "APA",
                                  "Antara", "PNA", "AKP", "KPL", "AAP", "Jiji", "TASS", "ANSA")
WIRE_AGENCIES_LOWER = frozenset(w.lower() for w in WIRE_AGENCIES)
WIRE_AGENCIES_UPPER = frozenset(w.upper() for w in WIRE_AGENCIES)

# Capitalised words that open a line with a colon or dash but are not places: page furniture, and the
# headings that rewrites add ("KEY FACTS:", "WHAT HAPPENED -"); a heading must never pass for a dateline.
NOT_PLACES = frozenset({"UPDATE", "UPDATED", "BREAKING", "WATCH", "PHOTO", "PHOTOS", "VIDEO", "EXCLUSIVE", "NOTE",
                        "EDITOR", "EDITORS", "EDITOR'S", "READ", "ALSO", "MENU", "HOME", "SEE", "NEWS", "LIVE",
                        "ANALYSIS", "OPINION", "ADVERTISEMENT", "FILE", "RELATED", "SOURCE", "TAGS", "SHARE",
                        "WARNING", "LATEST", "TOP", "MORE", "CLOSE", "SUBSCRIBE", "LOGIN", "SEARCH", "TRENDING",
                        "FACT", "FACTS", "KEY", "WHAT", "WHY", "HOW", "WHO", "WHEN", "WHERE", "SUMMARY",
                        "BACKGROUND", "CONTEXT", "HIGHLIGHTS", "HIGHLIGHT", "INTRODUCTION", "CONCLUSION",
                        "OVERVIEW", "TAKEAWAYS", "TAKEAWAY", "DETAILS", "QUOTE", "QUOTES", "IMPACT", "TIMELINE",
                        "RESPONSE", "STATEMENT", "IMPORTANT", "NOTICE", "DISCLAIMER", "ALERT", "REPORT", "STORY",
                        "BY", "THE", "AND", "FOR", "TO", "IN", "ON", "FAQ", "TLDR", "Q", "A"})

#: A month name, abbreviated or not ("Feb", "Sept.", "October").
MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"

_LETTER = r"[^\W\d_]"
# A word of a place or region: a letter (of any script), then anything up to a space or one of ( ) , : ; — –,
# not ending in a hyphen
# ("ST.", "D'IVOIRE", "ĐỒNG", "CHIANG-RAI", "ยะลา" whose vowel signs are no letters to the re module; also
# "COVID-19" or "U.S./UK": a reader that wants a plain place asks :attr:`Dateline.plain`).
_WORD = rf"{_LETTER}(?:[^\s(),:;—–-]++|-++(?=[^\s(),:;—–-]))*+"
_SP = r"[^\S\n]"   # a space within a line
# The grammar; the spaces after the separator are looked at, not taken, so a match never runs past its
# line (find_datelines reads every line).
_GRAMMAR_TEXT = (
    rf"{_SP}*(?:(?P<stamp>date \d{{4}}-\d\d-\d\d){_SP}*)?"
    rf"(?P<place>{_WORD}(?:{_SP}+{_WORD}){{0,3}})"
    rf"(?:,{_SP}*(?P<region>{_WORD}(?:{_SP}+{_WORD}){{0,2}}))?"
    rf"(?:(?P<date_comma>,)?{_SP}+(?P<date>{MONTH}{_SP}+\d{{1,2}}))?"
    rf"(?:{_SP}*\((?P<credit>[^()\n]{{1,30}})\))?"
    rf"{_SP}*(?P<sep>[—–-]{{1,2}}|:)(?=(?P<gap>\s*))")
_GRAMMAR = re.compile(_GRAMMAR_TEXT)
_LINE_GRAMMAR = re.compile("^" + _GRAMMAR_TEXT, re.MULTILINE)
# A plain place: letters, combining marks (any sign beyond ASCII that is no word character, space or
# punctuation of the general, CJK or full-width blocks), . ' ’ - and spaces.
_PLAIN_PLACE = re.compile(r"(?:[^\W\d_]|[.'’ -]|(?![\d\s])[^\x00-\xbf\w\u2010-\u206f\u3000-\u303f\ufe30-\ufe4f\uff00-\uff65])+")
_AGENCY_LIKE = re.compile(r"[A-Z]{2,5}")


@dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline read at the start of a paragraph: its parts as written and where it lies.

    ``start`` is the offset of the place, ``end`` the offset just after the separator and the
    spaces that follow it (where the story's own words begin)."""

    place: str
    region: str | None
    date: str | None
    credit: str | None
    sep: str
    start: int
    end: int
    spaced: bool          # the separator is followed by a space or a line break
    follows: str          # the (up to) two characters after ``end``
    stamp: str | None = None   # a date stamp before the place ("date 2025-07-30")
    date_comma: bool = False   # a comma stands before the date (", Feb 28"; "BANGKOK Feb 28" has none)

    @property
    def caps(self) -> bool:
        """The place is written in capitals (in a script with case)."""
        return self.place.upper() == self.place != self.place.lower()

    @property
    def caseless(self) -> bool:
        """The place is in a script without case (no capitals to tell)."""
        return self.place.upper() == self.place.lower()

    @property
    def plain(self) -> bool:
        """The place is words of letters (and marks, ``.``, ``'``, ``’``, ``-`` inside them): no digits,
        quotes or slashes ("COVID-19" is no place)."""
        return _PLAIN_PLACE.fullmatch(self.place) is not None

    @property
    def dash(self) -> bool:
        return self.sep != ":"

    @property
    def letters(self) -> int:
        return sum(ch.isalpha() for ch in self.place)

    def is_heading(self) -> bool:
        """A word of the place is page furniture or a heading ("KEY FACTS", "EDITOR'S NOTE")."""
        return any(w.upper() in NOT_PLACES for w in re.split(r"[ \t.'-]+", self.place) if w)


def is_agency_credit(credit: str, agencies: tuple[str, ...] = WIRE_AGENCIES) -> bool:
    """A credit naming a news agency: one of ``agencies``, or an acronym of 2-5 capitals ("MWN")."""
    return credit in agencies or _AGENCY_LIKE.fullmatch(credit) is not None


def match_dateline(text: str, pos: int = 0) -> Dateline | None:
    """The dateline opening ``text`` at ``pos`` (spaces before it allowed), or None."""
    m = _GRAMMAR.match(text, pos)
    return None if m is None else _dateline(text, m)


def find_datelines(text: str) -> Iterator[Dateline]:
    """Each dateline that opens a line of ``text``, in order."""
    for m in _LINE_GRAMMAR.finditer(text):
        yield _dateline(text, m)


def _dateline(text: str, m: re.Match[str]) -> Dateline:
    end = m.end("gap")
    return Dateline(m.group("place"), m.group("region"), m.group("date"), m.group("credit"), m.group("sep"),
                    m.start("place"), end, end > m.end(), text[end:end + 2], m.group("stamp"),
                    m.group("date_comma") is not None)
