"""Article metadata found in the text itself: dateline, wire credit, date, byline, contributors,
language and truncation.

Only positions where news style puts these facts are read (the first paragraphs for datelines and
bylines, contributor lines anywhere, the end for truncation), so dates of events in the story are
never mistaken for the publication date.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .datelines import Dateline, is_agency_credit, match_dateline
from .text import FOLDS_TO_ASCII, split_paragraphs, word_count

__all__ = ["METADATA_ALGORITHM", "LANGUAGE_ALGORITHM", "Metadata", "detect_metadata", "detect_language",
           "metadata_from_paragraphs", "parse_date", "is_truncated"]

METADATA_ALGORITHM = "clean.metadata-v1"
LANGUAGE_ALGORITHM = "clean.lang-stopwords-v1"

# Datelines and bylines are looked for in this many leading paragraphs (seeds 001, 003, 004:
# uncleaned, 001's "BANGKOK (AP) —" lead is the 5th paragraph after title, title, site, stub).
LEAD_PARAGRAPHS = 8
# A stand-alone date line ("Bangkok, Thailand – October 24, 2023") has at most this many words.
DATE_LINE_MAX_WORDS = 12
# Language detection: at least this many words, and the best language's stopwords must cover at
# least this share of them (English news text: 0.35-0.50; other Latin-script languages < 0.05).
LANG_MIN_WORDS = 20
LANG_MIN_SHARE = 0.12
LANG_SAMPLE_CHARS = 5000

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
_DATE_PATTERNS = (
    re.compile(rf"\b(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b"),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{_MONTH})\.?,?\s+(?P<year>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>\d\d)-(?P<day>\d\d)\b"),
)
_PLACE_DATE_LINE = re.compile(r"^(?P<city>[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*){0,3})(?:,\s*[A-Z][\w.'’ -]*?)?\s*[—–-]\s*\S")
_AGENCIES = {"associated press": "AP", "ap": "AP", "reuters": "Reuters", "afp": "AFP",
             "agence france-presse": "AFP"}
_CONTRIB_ROLE = re.compile(
    r"\b(?:(?P<agency>AP|Associated Press|Reuters|AFP|[A-Z]{2,5})\s+)?"
    r"(?i:(?:staff\s+)?(?:researchers?|writers?|reporters?|correspondents?|journalists?|photographers?|"
    r"video journalists?|producers?))\s+")
_CONTRIB_LINE = re.compile(r"\bcontributed(?: to)?\b", re.I)
_BYLINE = re.compile(r"^By\s+(?P<names>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}"
                     r"(?:\s*(?:,|and|&)\s*[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})*)")
_NAME_SPLIT = re.compile(r"\s*(?:,|\band\b|&)\s*")
_PLACE_SUFFIX = re.compile(r"\s+(?:in|from|at)\s+.*$")
_TRUNC_END = re.compile(r"(?:\.\.\.|…|\[…\]|\bfull (?:article|story)|\bread more|\bcontinue reading)\W*$", re.I)
_SENTENCE_END = tuple('.!?"”’\')]:;*')

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the of and to in a is that for on with as was by at it from his her said are be has "
                    "have had were which an this not but they their who its will".split()),
    "id": frozenset("yang dan di ke dari ini itu dengan untuk tidak dalam akan pada juga oleh ada "
                    "adalah karena mereka sebagai bahwa telah".split()),
    "fr": frozenset("le la les des et en un une du est que qui dans pour pas sur au par avec il elle "
                    "ont sont ce aux".split()),
    "de": frozenset("der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als "
                    "auch es an werden aus".split()),
    "es": frozenset("de la que el en y los del se las por un para con una su al lo como más pero sus "
                    "le ha fue".split()),
    "pt": frozenset("de a o que e do da em um para com não uma os no se na por mais as dos como mas "
                    "foi ao ele das".split()),
    "it": frozenset("di che e il la per un in non una sono del della le si gli con è da al ha dei più".split()),
    "nl": frozenset("de het een van en in is dat op te zijn met voor niet aan er ook als bij door".split()),
    "vi": frozenset("của và các có được trong là cho những với này không một người đã để từ khi".split()),
    "tl": frozenset("ang ng mga sa na at ay si ni para hindi kung siya ito kay mula".split()),
}
#: word -> the languages whose stopwords hold it (in :data:`_STOPWORDS` order).
_STOPWORD_LANGUAGES: dict[str, tuple[str, ...]] = {
    w: tuple(code for code, stop in _STOPWORDS.items() if w in stop) for w in set().union(*_STOPWORDS.values())}
_SCRIPTS = (("th", re.compile(r"[\u0e00-\u0e7f]")), ("lo", re.compile(r"[\u0e80-\u0eff]")),
            ("my", re.compile(r"[\u1000-\u109f]")), ("km", re.compile(r"[\u1780-\u17ff]")),
            ("ja", re.compile(r"[\u3040-\u30ff]")), ("ko", re.compile(r"[\uac00-\ud7af]")),
            ("zh", re.compile(r"[\u4e00-\u9fff]")), ("ru", re.compile(r"[\u0400-\u04ff]")),
            ("ar", re.compile(r"[\u0600-\u06ff]")))
_ANY_SCRIPT = re.compile("|".join(p.pattern for _, p in _SCRIPTS))
_LETTERS = re.compile(r"[^\W\d_]")
_WORDS = re.compile(r"[^\W\d_]+")
_ASCII_NON_LETTER_TO_SPACE = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalpha()})
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@dataclass(slots=True)
class Metadata:
    """Facts read from the text. ``evidence`` names the line each fact came from."""

    published: dt.date | None = None
    dateline: str | None = None
    credit: str | None = None
    byline: str | None = None
    contributors: list[str] = field(default_factory=list)
    language: str | None = None
    truncated: bool = False
    algorithm: str = METADATA_ALGORITHM
    evidence: dict[str, Any] = field(default_factory=dict)


def parse_date(text: str) -> dt.date | None:
    """First full date (day, month, year) in ``text``: "October 24, 2023", "24 Oct 2023",
    "2023-10-24". ``None`` when there is none or it is not a real calendar date."""
    if "19" not in text and "20" not in text:   # every pattern's year is 19xx or 20xx: no year, no date
        return None
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            g = m.groupdict()
            month = int(g["mnum"]) if g.get("mnum") else _MONTHS[g["month"][:3].lower()]
            try:
                return dt.date(int(g["year"]), month, int(g["day"]))
            except ValueError:
                continue
    return None


#: Languages the extraction stage (entities, figures, quotes, events) is written for.
EXTRACTION_LANGUAGES: tuple[str, ...] = ("en",)


def language_note(language: str | None) -> str | None:
    """A one-line warning for an article in a language extraction does not read; ``None`` for English
    or an undetected language."""
    if not language or language in EXTRACTION_LANGUAGES:
        return None
    return (f"language {language}: stored, but extraction is English-only (no entities, figures, quotes "
            "or events are to be trusted from it)")


def _lower_words(low: str, non_ascii: set[str]) -> list[str]:
    """``_WORDS.findall(low)`` for lower-cased text whose characters outside ASCII are ``non_ascii``.
    When none of them is a letter (as in most English text: curly quotes and dashes are not letters),
    those characters separate words like any other non-letter, so each becomes "?" and the ASCII text
    is split on everything but the letters a-z (the lower-cased ASCII letters), faster than the
    regular expression."""
    if non_ascii:
        if any(_LETTERS.match(c) for c in non_ascii):
            return _WORDS.findall(low)
        low = low.encode("ascii", "replace").decode("ascii")
    return low.translate(_ASCII_NON_LETTER_TO_SPACE).split()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code from script (th, lo, my, km, ja, ko, zh, ru, ar) or stopword share (en, id,
    fr, de, es, pt, it, nl, vi, tl); ``None`` when the text is too short or unclear.

    Reads at most the first :data:`LANG_SAMPLE_CHARS` characters.
    """
    sample = text[:LANG_SAMPLE_CHARS]
    # lower-cased words; lowering the sample first gives the same runs (str.lower maps each character
    # to one of the same class, except U+0130, which becomes two)
    low = sample.lower()
    non_ascii = set() if low.isascii() else set(_NON_ASCII.findall(low))
    words = _lower_words(low, non_ascii) if "\u0130" not in sample else [w.lower() for w in _WORDS.findall(sample)]
    if not words:
        return None
    # most texts have none of these scripts: count each only when one is there. The sample holds one
    # exactly when its lower-cased form does (lowering maps no character into or out of them: every
    # code point checked in tests/test_clean_fast_paths.py), so its characters outside ASCII tell
    if non_ascii and any(_ANY_SCRIPT.match(c) for c in non_ascii):
        n_letters = sum(map(len, words))   # every letter is in exactly one run of letters
        for code, script in _SCRIPTS:
            if len(script.findall(sample)) > 0.3 * n_letters:
                return code
    total = len(words)
    if total < LANG_MIN_WORDS:
        return None
    hits = dict.fromkeys(_STOPWORDS, 0)
    for w, n in Counter(filter(_STOPWORD_LANGUAGES.__contains__, words)).items():
        for code in _STOPWORD_LANGUAGES[w]:
            hits[code] += n
    best = max(hits, key=hits.__getitem__)   # the first language with the most hits, in _STOPWORDS order
    return best if hits[best] / total >= LANG_MIN_SHARE else None


#: The word markers of :data:`_TRUNC_END`, read in the few characters before a text's trailing
#: non-word characters (``(?<!\w)`` is ``\b`` before a letter, also at the cut).
_TRUNC_WORDS = re.compile(r"(?<!\w)(?:full (?:article|story)|read more|continue reading)\Z", re.I)
_TRUNC_WORDS_CHARS = len("continue reading") + 1


def _truncation_marker(text: str) -> bool:
    """``_TRUNC_END.search(text)`` for a text without a trailing line break, reading only its end:
    the trailing run of non-word characters holds "..." or "…" (which are non-word characters
    themselves), or a word marker ends where that run starts."""
    start = len(text)
    while start and not (text[start - 1].isalnum() or text[start - 1] == "_"):   # re's \w
        start -= 1
    run = text[start:]
    if "..." in run or "…" in run:
        return True
    return bool(_TRUNC_WORDS.search(text[max(0, start - _TRUNC_WORDS_CHARS):start]))


def is_truncated(paragraphs: list[str]) -> bool:
    """The text stops early: ends with "...", "…", a "Full Article"/"Read more"/"Continue reading"
    stub, or mid-sentence (last character is a letter, digit or comma)."""
    if not paragraphs:
        return False
    last = paragraphs[-1].rstrip()
    if _truncation_marker(last):
        return True
    return not last.endswith(_SENTENCE_END) and word_count(last) > 8


def _normalise_credit(credit: str) -> str:
    return _AGENCIES.get(credit.lower(), credit)


def _contributors(paragraph: str) -> tuple[list[str], str | None]:
    """Names (and the agency, if named) in a line like "AP researcher X in Beijing and AP writers
    Y and Z in Bangkok contributed to this report."""
    head = _CONTRIB_LINE.split(paragraph, maxsplit=1)[0]
    roles = list(_CONTRIB_ROLE.finditer(head))
    if not roles:
        return [], None
    names: list[str] = []
    agency = next((m.group("agency") for m in roles if m.group("agency")), None)
    for k, m in enumerate(roles):
        end = roles[k + 1].start() if k + 1 < len(roles) else len(head)
        chunk = _PLACE_SUFFIX.sub("", head[m.end():end].strip().rstrip(",")).strip()
        chunk = re.sub(r"\s+and$", "", chunk)
        for name in _NAME_SPLIT.split(chunk):
            name = _PLACE_SUFFIX.sub("", name).strip(" .")
            if name and name[0].isupper() and 1 <= len(name.split()) <= 4:
                names.append(name)
    return names, _normalise_credit(agency) if agency else None




def _may_contribute(p: str) -> bool:
    """False when ``p`` cannot match :data:`_CONTRIB_LINE` (no "contribut" in any case): a substring
    check that spares most paragraphs the case-insensitive pattern."""
    return "contribut" in p.lower() or (not p.isascii() and bool(FOLDS_TO_ASCII.search(p)))


# What metadata-v1 reads as a dateline (clean.datelines reads the parts): "BANGKOK (AP) —", "BANGKOK, Oct 24
# (Reuters) -", "Phnom Penh (AFP) -", "YANGON, Myanmar (MWN) —" (a wire lead: an agency's credit before a dash),
# or "BANGKOK — ..." (no credit: a place in capitals before a long dash). The place and region are words in
# ASCII with capitals first, opening the paragraph (no date stamp before them).
_LEAD_WORD = re.compile(r"[A-Z][A-Za-z.'’-]*")
_REGION_WORD = re.compile(r"[A-Z][A-Za-z.]*")
_CAPS_WORD = re.compile(r"[A-Z][A-Z.'’-]+")
_CAPS_REGION_WORD = re.compile(r"[A-Z][\w.]*")
# The agencies a wire lead's credit may name besides any acronym of 2-5 capitals (metadata-v1's list).
_LEAD_AGENCIES = ("AP", "Reuters", "AFP", "Xinhua", "Bernama", "Kyodo", "Yonhap", "Antara")


def _words_are(pattern: re.Pattern[str], words: str | None) -> bool:
    return words is None or all(pattern.fullmatch(w) for w in words.split())


def _wire_lead(d: Dateline) -> bool:
    """A wire lead: an agency credit ("(AP)", "(Reuters)", "(MWN)"), a dash and a space; ASCII capitalised words."""
    return (d.credit is not None and is_agency_credit(d.credit, _LEAD_AGENCIES) and d.dash and d.spaced
            and d.start == 0 and (d.date is None or d.date_comma)
            and _words_are(_LEAD_WORD, d.place) and _words_are(_REGION_WORD, d.region))


def _caps_lead(d: Dateline) -> bool:
    """A place in ASCII capitals (3+ characters) before a long dash and a space, no credit nor date."""
    return (d.credit is None and d.date is None and d.sep in ("—", "–") and d.spaced and d.start == 0
            and len(d.place) >= 3
            and _words_are(_CAPS_WORD, d.place) and _words_are(_CAPS_REGION_WORD, d.region))


def _lead_facts(meta: Metadata, lead: list[str]) -> None:
    """Dateline, credit, byline and date from the leading paragraphs."""
    for p in lead:
        if meta.byline is None and (m := _BYLINE.match(p)) and word_count(p) <= DATE_LINE_MAX_WORDS:
            meta.byline = m.group("names").strip()
            meta.evidence["byline"] = p
        line = match_dateline(p)
        if meta.credit is None and line is not None and _wire_lead(line):
            meta.dateline, meta.credit = line.place, _normalise_credit(line.credit or "")
            meta.evidence["dateline"] = meta.evidence["credit"] = p[:line.end].strip()
        elif meta.dateline is None and line is not None and _caps_lead(line):
            meta.dateline = line.place
            meta.evidence["dateline"] = p[:line.end].strip()
        if meta.published is None and word_count(p) <= DATE_LINE_MAX_WORDS and (d := parse_date(p)):
            meta.published = d
            meta.evidence["published"] = p
            if meta.dateline is None and (m := _PLACE_DATE_LINE.match(p)) and parse_date(m.group("city")) is None:
                meta.dateline = m.group("city")
                meta.evidence["dateline"] = p


def detect_metadata(text: str, published_hint: dt.date | None = None) -> Metadata:
    """Read dateline, wire credit, date, byline, contributors, language and truncation from text.

    ``published_hint`` (from the record or the page head) wins over a date found in the text; the
    text's date is still kept in ``evidence["text_date"]`` when they differ.
    """
    return metadata_from_paragraphs(split_paragraphs(text), published_hint)


def metadata_from_paragraphs(paragraphs: list[str], published_hint: dt.date | None = None, *,
                             language: bool = True) -> Metadata:
    """:func:`detect_metadata` on text already split by :func:`split_paragraphs`; ``language=False``
    leaves the language undetected (the record gives it)."""
    meta = Metadata(language=detect_language("\n\n".join(paragraphs[:40])) if language else None,
                    truncated=is_truncated(paragraphs))
    _lead_facts(meta, paragraphs[:LEAD_PARAGRAPHS])
    for p in paragraphs:
        if _may_contribute(p) and _CONTRIB_LINE.search(p) and word_count(p) <= 60:
            names, agency = _contributors(p)
            if names:
                meta.contributors.extend(n for n in names if n not in meta.contributors)
                meta.evidence.setdefault("contributors", []).append(p)
                if meta.credit is None and agency:
                    meta.credit = agency
                    meta.evidence["credit"] = p
    if published_hint is not None:
        if meta.published and meta.published != published_hint:
            meta.evidence["text_date"] = meta.published.isoformat()
        meta.published = published_hint
        meta.evidence["published"] = "hint"
    return meta
