"""Main-text extraction from HTML with trafilatura 2.3.1, metadata from the page head.

One parse per page: the lxml tree is read for head metadata (title, site name, author, language),
handed to trafilatura (which works on its own copy) and finally to htmldate for the date.
"""
from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass

import htmldate
import lxml.html
from trafilatura import bare_extraction
from trafilatura.settings import Extractor
from trafilatura.utils import load_html

from .text import has_words, normalize_text, word_count

__all__ = ["HTML_EXTRACTOR", "Extracted", "extract_main_text"]

log = logging.getLogger(__name__)

HTML_EXTRACTOR = "clean.html-trafilatura-v1"

# First pass: trafilatura without its fallback extractors ("fast") and without comments: best F1
# and speed on the article-extraction benchmark (0.962 F1 at ~11 ms/page alone, against 0.953 for
# trafilatura's defaults; favor_precision without "fast" gave 0.964 at ~16 ms/page).
# When it finds fewer words than this, a second pass with the fallbacks and favor_recall runs and
# the longer text wins: a safety net for pages the fast path misses. On the benchmark it fires on
# 8 pages without changing F1 (0.9673 at 0 or 60); at 150 F1 drops to 0.9651, so keep it low.
MIN_FIRST_PASS_WORDS = 60


# A fragment ("<p>..</p>", a feed entry's content) has no <html>/<body>; trafilatura finds
# nothing in it unless it is wrapped in a document.
_DOCUMENT_TAG = re.compile(r"<(?:html|body|head)\b", re.I)
FRAGMENT_PROBE_CHARS = 5000


@dataclass(slots=True)
class Extracted:
    """What HTML extraction found. ``text`` has paragraphs separated by blank lines."""

    text: str
    title: str | None = None
    date: str | None = None          # ISO yyyy-mm-dd from htmldate
    author: str | None = None
    sitename: str | None = None
    language: str | None = None
    extractor: str = HTML_EXTRACTOR
    passes: int = 1
    #: ``split_paragraphs(text)``, known without splitting again: ``text`` is normalised with each
    #: line a paragraph (see :func:`extracted_paragraphs`); None when not known
    paragraphs: list[str] | None = None


def _meta_values(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """For each ``property`` or ``name`` of the page's ``<meta>`` elements, the first non-empty
    ``content`` (stripped), in document order: what :func:`_meta` reads (one pass over the page)."""
    found: dict[str, str] = {}
    for el in tree.iter("meta"):
        value = (el.get("content") or "").strip()
        if not value:
            continue
        for attr in ("property", "name"):
            key = el.get(attr)
            if key is not None and key not in found:
                found[key] = value
    return found


def _meta(values: dict[str, str], *keys: str) -> str | None:
    """First non-empty ``<meta property|name=key content=...>`` value among ``keys``."""
    for key in keys:
        if key in values:
            return values[key]
    return None


def _head_metadata(tree: lxml.html.HtmlElement) -> dict[str, str | None]:
    """Title, site name, author and language declared in the page head."""
    metas = _meta_values(tree)
    title = _meta(metas, "og:title", "twitter:title")
    if not title:
        node = tree.find(".//title")
        title = node.text_content().strip() if node is not None else None
    author = _meta(metas, "author", "article:author", "byl", "dc.creator", "DC.creator")
    if author and author.startswith(("http://", "https://")):
        author = None
    lang = tree.get("lang") or _meta(metas, "og:locale", "language", "content-language")
    if not lang:
        for el in tree.xpath('//meta[@http-equiv]'):
            if el.get("http-equiv", "").lower() == "content-language":
                lang = el.get("content")
                break
    lang = lang.replace("_", "-").split("-")[0].strip().lower() if lang else None
    return {"title": title or None, "sitename": _meta(metas, "og:site_name", "application-name"),
            "author": author, "language": lang or None}


#: trafilatura's options for the first pass ("fast") and the second ("favor_recall"), made once: the
#: ``Extractor`` that ``bare_extraction(tree, url=url, include_comments=False, include_tables=True,
#: fast=True | favor_recall=True)`` builds (its constructor reads trafilatura's config file settings
#: and formats today's date on every call); each call gets a copy holding its own URL.
_EXTRACTORS = {second: Extractor(output_format="python", fast=not second, recall=second, comments=False, tables=True)
               for second in (False, True)}


def _extractor(url: str | None, *, second: bool) -> Extractor:
    options = copy.copy(_EXTRACTORS[second])
    options.url = url
    options.source = url.encode("utf-8", "replace").decode("utf-8") if url else None   # as Extractor(url=url) sets it
    return options


def _trafilatura_text(tree: lxml.html.HtmlElement, url: str | None, *, second: bool) -> str:
    """Run trafilatura (on its own copy of ``tree``); paragraphs come back one per line."""
    doc = bare_extraction(tree, url=url, options=_extractor(url, second=second))
    text = getattr(doc, "text", None) if doc is not None else None
    return normalize_text(text or "").replace("\n", "\n\n")


def extract_main_text(html: str, url: str | None = None, *, find_date: bool = True) -> Extracted:
    """Extract the main text and metadata of an HTML page.

    Returns an :class:`Extracted` whose ``text`` may be empty (navigation-only or script-rendered
    pages); the caller decides whether that is an error. ``find_date=False`` skips htmldate (the
    caller has the date already; ``date`` is then None). Raises :class:`ValueError` when ``html``
    is not a string.
    """
    if not isinstance(html, str):
        raise ValueError(f"extract_main_text takes the page as str, got {type(html).__name__}; decode bytes first")
    if html.strip() and not _DOCUMENT_TAG.search(html[:FRAGMENT_PROBE_CHARS]):
        html = f"<html><body>{html}</body></html>"
    tree = load_html(html) if html.strip() else None
    if tree is None:
        return Extracted(text="")
    head = _head_metadata(tree)
    text = _trafilatura_text(tree, url, second=False)
    passes = 1
    if not has_words(text, MIN_FIRST_PASS_WORDS):
        second = _trafilatura_text(tree, url, second=True)
        passes = 2
        if word_count(second) > word_count(text):
            text = second
    date = None
    try:
        if find_date:
            date = htmldate.find_date(tree, url=url, extensive_search=False, original_date=True)
    except (ValueError, TypeError) as exc:   # htmldate rejects some malformed trees
        log.debug("htmldate failed on %s: %s", url, exc)
    return Extracted(text=text, date=date, passes=passes, paragraphs=extracted_paragraphs(text), **head)


def extracted_paragraphs(text: str) -> list[str]:
    """``split_paragraphs(text)`` for a ``text`` made by :func:`_trafilatura_text` (normalised, then
    every line break doubled), without normalising it again: normalising it only collapses its
    four-newline runs (from blank lines) to two, so its blocks between blank lines are its lines
    (no block holds a line break, none is hard-wrapped), minus the empty ones
    (tests/test_clean_identical.py checks this on random text)."""
    return [block for block in text.split("\n\n") if block]

