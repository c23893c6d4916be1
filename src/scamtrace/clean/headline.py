"""Is a plain-text first line a headline? (``clean.headline-v1``)

Plain text has no title field, so cleaning takes a short first line that does not end like a sentence
as the headline. Pages saved as text often start with something else that passes that test: a date
stamp, a byline, a share bar, a photo caption, a press-release distribution line, a bulleted summary
or a bracketed register header. Taken as the title, such a line becomes the story's title in every
listing. :func:`headline_problem` names what a line is instead (explainable: the reason is what
cleaning logs), and :func:`headline_of` returns the headline a dated first line carries after its
date stamp, if any.

Read off the first lines of realnews-dev texts (``../shared/datasets/realnews-dev``: 7 of the 76
texts without a given title had such a line taken as their title) and checked on the demo and seed
texts; each pattern is a general page-furniture form, not a phrase of one article.
"""
from __future__ import annotations

import re

__all__ = ["HEADLINE_ALGORITHM", "headline_of", "headline_problem"]

HEADLINE_ALGORITHM = "clean.headline-v1"

# A leading date stamp, optionally labelled ("date 2025-10-18", "Posted: 11/12/2025 12:32", "2025-05-05 |").
_DATE_STAMP = re.compile(
    r"^\s*(?:(?:date|dated|posted|published|updated|last updated)\s*:?\s*)?"
    r"(?:\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?|\d{1,2}/\d{1,2}/\d{2,4}(?:,?\s+\d{1,2}:\d{2})?)"
    r"(?![\w/-])\s*[|:–-]?\s*", re.I)
# "By Jane Doe and John Roe", "By Jane Doe, Staff Writer": "By" and only capitalised words after it.
_BYLINE = re.compile(r"^[Bb]y\s+(?:[A-Z][\w'’.-]*|and|&|,|\s)+$")
# Share bars: nothing but share words and counts ("332 SHARES Share Tweet").
_SHARE_WORDS = frozenset("share shares shared tweet tweets email print pin whatsapp facebook twitter x linkedin "
                         "telegram reddit comment comments copy link".split())
_WORDS = re.compile(r"[^\W_]+")
# Photo captions: a leading photo label ("Photo/Illustration", "File photo:", "Image:").
_PHOTO_LABEL = re.compile(r"^(?:photo|photos|file photo|image|picture|caption)\b", re.I)
# A trailing parenthetical such as a picture credit "(EPA Images pic)", "(Provided by Thai police)".
_TRAILING_PAREN = re.compile(r"\s*\([^()]*\)\s*$")
_SENTENCE_END = re.compile(r"[.!?。！？][\"'”’]*$")
_LIST_MARK = re.compile(r"^[-–—•*·▪]\s")


def headline_of(line: str) -> str:
    """``line`` without a leading date stamp ("date 2026-01-23 Headline" -> "Headline")."""
    return _DATE_STAMP.sub("", line, count=1).strip()


def headline_problem(line: str) -> str | None:
    """Why ``line`` (a first line already short and not ending like a sentence) is not a headline,
    or None. Reasons: ``date-stamp`` (nothing after the stamp), ``separators`` (two or more "|": a
    distribution or breadcrumb line), ``bracketed``, ``list-item``, ``byline``, ``share-bar``,
    ``caption`` (a photo label, or a sentence followed by a credit in parentheses)."""
    s = headline_of(line)
    if not s:
        return "date-stamp"
    if line.count("|") >= 2 or s.startswith("|"):
        return "separators"
    if s.startswith("[") and s.endswith("]"):
        return "bracketed"
    if _LIST_MARK.match(s):
        return "list-item"
    if _BYLINE.match(s):
        return "byline"
    words = [w.lower() for w in _WORDS.findall(s)]
    if words and all(w in _SHARE_WORDS or w.isdigit() for w in words):
        return "share-bar"
    if _PHOTO_LABEL.match(s) or (s.endswith(")") and _SENTENCE_END.search(_TRAILING_PAREN.sub("", s))):
        return "caption"
    return None
