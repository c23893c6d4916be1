"""Bytes of a known kind -> RawDoc/Reject; shared by files, URLs and ``watch``.

Kinds: ``text``, ``html``, ``feed`` (RSS/Atom), ``jsonl``, ``json``, ``warc``. :func:`sniff_kind`
guesses the kind from content when the name or the content type does not say.
"""
from __future__ import annotations

import logging
import re
import zlib
from typing import Iterator
from urllib.parse import urljoin

from ..errors import FeedError, FetchError, InputError, NotText
from ..model import RawDoc, Reject
from ..settings import Settings
from .date_fields import parse_date_logged
from .decode import DECODER, MIN_TEXT_CHARS, decode_bytes, sniff_magic, visible_text_chars
from .feeds import FEEDS, Feed, FeedEntry, iter_entries, looks_like_feed, parse_feed
from .fetch import ALLOWED_SCHEMES, FetchResult, fetch
from .robots import check_robots
from .ids import content_hash

log = logging.getLogger(__name__)

_HTML_HINT = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<p[\s>]|<div[\s>]|<article[\s>]", re.I)
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
              "application/xml", "text/xml", "application/x-rss+xml")
HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain", "text/markdown")


def sniff_kind(head: bytes) -> str:
    """Kind of content from its first bytes: warc, feed, html, jsonl, text, or ``binary:<what>``."""
    if head.startswith(b"WARC/"):
        return "warc"
    if head.startswith(b"\x1f\x8b"):
        try:
            inner = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
        except zlib.error:
            inner = b""
        return "warc" if inner.startswith(b"WARC/") else "binary:gzip-compressed data"
    magic = sniff_magic(head)
    if magic:
        return f"binary:{magic}"
    try:
        text = decode_bytes(head[:8192]).text
    except NotText as e:
        return f"binary:{str(e).removeprefix('binary content (').rstrip(')')}"
    sample = text.lstrip("\ufeff \t\r\n").encode("utf-8", "replace")
    if looks_like_feed(sample):
        return "feed"
    if _HTML_HINT.search(sample[:4096]):
        return "html"
    if sample.startswith(b"{"):
        return "jsonl"
    return "text"


def text_doc(data: bytes, source: str, fmt: str, charset: str | None = None,
             url: str | None = None) -> RawDoc | Reject:
    """A text or HTML body as one RawDoc; Reject when binary or (nearly) empty."""
    try:
        decoded = decode_bytes(data, charset)
    except NotText as e:
        return Reject(source, f"{source}: {e}; save the article as .html or .txt")
    n = visible_text_chars(decoded.text, fmt)
    if n < MIN_TEXT_CHARS:
        return Reject(source, f"{source}: empty or nearly empty ({n} visible characters, "
                              f"need {MIN_TEXT_CHARS}); nothing to ingest")
    return RawDoc(source=source, body=decoded.text, fmt=fmt, url=url,  # type: ignore[arg-type]
                  extra={"encoding": decoded.encoding, "encoding_rule": decoded.rule, "decoder": DECODER})


def fetch_linked(link: str, settings: Settings) -> tuple[RawDoc | None, str | None, bool]:
    """Fetch a feed entry's linked page: (doc, None, False) on success, else (None, why not, whether a
    later try may succeed: a timeout, a dropped connection, a 5xx or 429 answer, an unreadable robots.txt)."""
    if link.split(":", 1)[0].lower() not in ALLOWED_SCHEMES:
        return None, f"link {link!r} is not an http(s) URL", False
    try:
        check_robots(link, settings)
        res = fetch(link, settings)
    except FetchError as e:
        return None, e.reason, e.status is None
    except InputError as e:
        return None, e.reason, False
    if not (res.content_type in HTML_TYPES or (not res.content_type and sniff_kind(res.body[:8192]) == "html")):
        return None, f"linked page has content type {res.content_type or 'unknown'}, not HTML", False
    doc = text_doc(res.body, link, "html", res.charset, url=res.url)
    if isinstance(doc, Reject):
        return None, doc.reason, False
    return doc, None, False


def entry_doc(feed: Feed, entry: FeedEntry, full: str | None, source: str,
              settings: Settings) -> RawDoc | Reject:
    """One feed entry as a RawDoc (full content, linked page, or flagged summary) or a Reject."""
    esrc = f"{source}#entry{entry.index}"
    label = f"entry {entry.index}" + (f" ({entry.title[:60]!r})" if entry.title else "")
    extra: dict[str, object] = {"feed": source, "feed_title": feed.title, "entry_id": entry.key,
                                "reader": FEEDS}
    doc: RawDoc | None = None
    if full:
        doc = RawDoc(source=esrc, body=full, fmt="html")
    else:
        why = "fetching linked pages is off (fetch_linked_pages)"
        if settings.fetch_linked_pages and entry.link:
            doc, why_not, again = fetch_linked(entry.link, settings)
            why = why_not or why
            if doc is not None:
                extra["via_feed"] = True
            elif again:
                extra["summary_retry"] = True   # watch asks for the page again later
        elif not entry.link:
            why = "entry has no link"
        if doc is None:
            if not entry.summary or visible_text_chars(entry.summary, "html") == 0:
                return Reject(esrc, f"{source}: {label} has no text and its page was not fetched ({why}); "
                                    "fetch the linked page yourself or enable fetch_linked_pages")
            log.info("%s: %s: using the summary only (%s)", source, label, why)
            doc = RawDoc(source=esrc, body=entry.summary, fmt="html")
            extra["summary_only"] = True
            extra["summary_reason"] = why
    doc.url = doc.url or entry.link
    doc.title = entry.title
    doc.byline = entry.author
    doc.published = parse_date_logged(entry.published, f"{source}: {label}")
    if doc.published is None and entry.published:
        extra["published_raw"] = entry.published
    doc.extra = {**doc.extra, **extra}
    return doc


def feed_docs(data: bytes, source: str, settings: Settings,
              seen: set[str] | None = None) -> Iterator[tuple[str, RawDoc | Reject]]:
    """Yield (entry key, doc) per entry of the feed in ``data``; raise FeedError if unreadable.

    Entries whose key is in ``seen`` are skipped before any linked page is fetched. The key is
    the entry's guid/id, else its link, else a hash of its content.
    """
    feed = parse_feed(data)
    base = source if source.lower().startswith(ALLOWED_SCHEMES) else feed.link
    for entry, full, _ in iter_entries(feed):
        entry.link = _absolute(entry.link, base)
        key = entry.key or "c-" + content_hash((full or entry.summary or "") + (entry.title or ""))
        if seen is not None and key in seen:
            continue
        yield key, entry_doc(feed, entry, full, source, settings)


def _absolute(link: str | None, base: str | None) -> str | None:
    """``link`` resolved against the feed's address when it is relative."""
    if not link or not base or "://" in link:
        return link
    try:
        return urljoin(base, link)
    except ValueError:
        return link


def response_kind(res: FetchResult) -> str:
    """Kind of an HTTP answer: by content type, falling back to sniffing the body."""
    ct = res.content_type
    if ct in ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/x-rss+xml"):
        return "feed"
    if ct in HTML_TYPES:
        return "feed" if looks_like_feed(res.body[:4096]) else "html"
    if ct in ("application/xml", "text/xml"):
        return "feed" if looks_like_feed(res.body[:4096]) else "html"
    if ct in TEXT_TYPES:
        return "text"
    if not ct or ct in ("application/octet-stream", "binary/octet-stream"):
        kind = sniff_kind(res.body[:8192])
        return kind if kind in ("feed", "html", "text") else f"unsupported:{ct or 'no content type'}"
    return f"unsupported:{ct}"


def response_docs(res: FetchResult, source: str, settings: Settings) -> Iterator[RawDoc | Reject]:
    """RawDocs from one fetched URL: a page or every entry of a feed."""
    kind = response_kind(res)
    if kind.startswith("unsupported:"):
        yield Reject(source, f"{source}: unsupported content type {kind.split(':', 1)[1]}; "
                             "give the URL of an HTML page or an RSS/Atom feed")
        return
    if kind == "feed":
        yield from file_feed_docs(res.body, source, settings)
        return
    doc = text_doc(res.body, source, kind, res.charset, url=res.url)
    if isinstance(doc, RawDoc) and res.redirects:
        doc.extra["redirects"] = list(res.redirects)
    yield doc


def file_feed_docs(data: bytes, source: str, settings: Settings) -> Iterator[RawDoc | Reject]:
    """Every entry of a feed; one Reject if the feed is unreadable or has no entries."""
    n = 0
    try:
        for _, doc in feed_docs(data, source, settings):
            n += 1
            yield doc
    except FeedError as e:
        yield Reject(source, f"{source}: {e}")
        return
    if n == 0:
        yield Reject(source, f"{source}: feed has no entries; nothing to ingest")

