"""RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom feeds -> entries (``ingest.feeds-v1``).

Parsing is safe by construction: defusedxml refuses any entity declaration (billion laughs,
XXE) and external reference before anything is expanded. A feed that is merely malformed
(an undefined ``&nbsp;``, a stray ``&``) is re-read with lxml in recover mode with entity
resolution, DTD loading and network access all off.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any, Iterator

import defusedxml
import defusedxml.ElementTree as SafeET
from xml.etree.ElementTree import ParseError

from ..errors import FeedError

log = logging.getLogger(__name__)

FEEDS = "ingest.feeds-v1"

#: An RSS ``description`` with at least this many visible characters is treated as full text
#: rather than a teaser. Set by hand: teasers in outlet feeds run 100-600 characters; the
#: shortest seed article exceeds 2,000.
FULL_TEXT_MIN_CHARS = 1500

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "rss1": "http://purl.org/rss/1.0/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
}
_ROOT_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(rss|feed|RDF)\b", re.I)
_TAG_RE = re.compile(r"<[^>]*>")
_PROLOG_RE = re.compile(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>", re.S | re.I)


@dataclass(slots=True)
class FeedEntry:
    """One feed item, with fields as the feed gave them."""

    index: int                      # 1-based position in the feed
    title: str | None = None
    link: str | None = None
    guid: str | None = None
    published: str | None = None    # raw date string
    author: str | None = None
    content: str | None = None      # full content (content:encoded, atom:content)
    summary: str | None = None      # teaser (description, atom:summary)

    @property
    def key(self) -> str | None:
        """What identifies the entry across polls: guid, else link."""
        return self.guid or self.link


@dataclass(slots=True)
class Feed:
    kind: str                       # rss | rdf | atom
    title: str | None
    link: str | None
    entries: list[FeedEntry] = field(default_factory=list)


def looks_like_feed(head: bytes) -> bool:
    """True when the first bytes hold an ``<rss>``, ``<feed>`` or ``<rdf:RDF>`` root tag."""
    sample = head[:4096]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        sample = sample.decode("utf-16", "ignore").encode("utf-8")
    m = _ROOT_RE.search(sample)
    if not m:
        return False
    # only an XML declaration, processing instructions, comments, a doctype or whitespace may
    # precede the root element
    return not _PROLOG_RE.sub(b"", sample[: m.start()]).strip(b" \t\r\n\xef\xbb\xbf")


def _parse_xml(data: bytes) -> Any:
    try:
        return SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except (defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden, defusedxml.DTDForbidden):
        raise FeedError("feed declares XML entities or external references (possible XXE or "
                        "billion-laughs attack); refused without expanding them. Remove the "
                        "<!DOCTYPE>/<!ENTITY> declarations if the feed is trusted") from None
    except (ParseError, ValueError) as e:
        if b"<!ENTITY" in data.upper():
            raise FeedError("feed declares XML entities; refused without expanding them") from None
        return _parse_recover(data, str(e))


def _parse_recover(data: bytes, first_error: str) -> Any:
    from lxml import etree

    parser = etree.XMLParser(recover=True, resolve_entities=False, load_dtd=False, no_network=True,
                             huge_tree=False, dtd_validation=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        root = None
    if root is None:
        raise FeedError(f"malformed XML ({first_error}); check that the file is a complete RSS or Atom feed")
    log.debug("feed needed lenient parsing: %s", first_error)
    return root


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(el: Any) -> str | None:
    if el is None:
        return None
    txt = "".join(el.itertext()).strip()
    return txt or None


def _child(el: Any, *names: str) -> Any:
    """First child whose qualified (``{ns}local``) or plain name is in ``names``."""
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in names:
            return child
    return None


def _inner_xml(el: Any) -> str:
    """Serialised children of an XHTML ``atom:content``."""
    import xml.etree.ElementTree as ET

    parts = [el.text or ""]
    for child in el:
        parts.append(ET.tostring(child, encoding="unicode") if not hasattr(child, "getroottree")
                     else _lxml_tostring(child))
    return "".join(parts).strip()


def _lxml_tostring(el: Any) -> str:
    from lxml import etree

    return etree.tostring(el, encoding="unicode", with_tail=True)


def _atom_entry(el: Any, index: int) -> FeedEntry:
    a = "{%s}" % NS["atom"]
    link = None
    for ln in el.findall(a + "link"):
        rel = (ln.get("rel") or "alternate").lower()
        if rel == "alternate" and ln.get("href"):
            link = ln.get("href").strip()
            break
    author = _text(el.find(f"{a}author/{a}name"))
    content_el = el.find(a + "content")
    content = None
    if content_el is not None and not content_el.get("src"):
        content = _inner_xml(content_el) if content_el.get("type") == "xhtml" else _text(content_el)
        if content and content_el.get("type") in (None, "text"):
            content = _escape_text(content)
    summary_el = el.find(a + "summary")
    summary = _text(summary_el)
    if summary and summary_el is not None and summary_el.get("type") in (None, "text"):
        summary = _escape_text(summary)
    return FeedEntry(index, _text(el.find(a + "title")), link, _text(el.find(a + "id")),
                     _text(el.find(a + "published")) or _text(el.find(a + "updated")), author,
                     content, summary)


def _escape_text(text: str) -> str:
    """Plain text as an HTML fragment (paragraphs kept), so every entry body is HTML."""
    import html

    paras = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paras)


def _rss_entry(el: Any, index: int) -> FeedEntry:
    c, dc = "{%s}" % NS["content"], "{%s}" % NS["dc"]
    plain = "{%s}" % NS["rss1"] if _local(el.tag) == "item" and el.tag.startswith("{") else ""
    guid = _text(_child(el, plain + "guid", "guid")) or el.get("{%s}about" % NS["rdf"])
    link = _text(_child(el, plain + "link", "link"))
    if not link:
        atom_link = el.find("{%s}link" % NS["atom"])
        link = atom_link.get("href") if atom_link is not None else None
    return FeedEntry(
        index,
        title=_text(_child(el, plain + "title", "title")),
        link=link,
        guid=guid,
        published=_text(_child(el, plain + "pubDate", "pubDate")) or _text(el.find(dc + "date")),
        author=_text(el.find(dc + "creator")) or _text(_child(el, plain + "author", "author")),
        content=_text(el.find(c + "encoded")),
        summary=_text(_child(el, plain + "description", "description")),
    )


def parse_feed(data: bytes) -> Feed:
    """Parse RSS/Atom bytes into a :class:`Feed`; raise :class:`FeedError` with a one-line reason."""
    root = _parse_xml(data)
    name = _local(root.tag)
    a = "{%s}" % NS["atom"]
    if name == "feed":
        title = _text(root.find(a + "title"))
        link_el = root.find(a + "link")
        entries = [_atom_entry(e, i) for i, e in enumerate(root.findall(a + "entry"), 1)]
        return Feed("atom", title, link_el.get("href") if link_el is not None else None, entries)
    if name == "rss":
        channel = _child(root, "channel")
        if channel is None:
            raise FeedError("RSS feed has no <channel>; check that the file is a complete feed")
        items = [el for el in channel if _local(el.tag) == "item"]
        return Feed("rss", _text(_child(channel, "title")), _text(_child(channel, "link")),
                    [_rss_entry(e, i) for i, e in enumerate(items, 1)])
    if name == "RDF":
        r1 = "{%s}" % NS["rss1"]
        channel = root.find(r1 + "channel")
        items = [el for el in root if _local(el.tag) == "item"]
        title = _text(channel.find(r1 + "title")) if channel is not None else None
        link = _text(channel.find(r1 + "link")) if channel is not None else None
        return Feed("rdf", title, link, [_rss_entry(e, i) for i, e in enumerate(items, 1)])
    raise FeedError(f"root element <{name or '?'}> is not <rss>, <feed> or <rdf:RDF>; "
                    "give an RSS or Atom feed")


def visible_len(html_text: str) -> int:
    """Visible characters of an HTML fragment (tags removed, whitespace ignored)."""
    return len(re.sub(r"\s+", "", _TAG_RE.sub(" ", html_text)))


def iter_entries(feed: Feed) -> Iterator[tuple[FeedEntry, str | None, bool]]:
    """Yield (entry, full_html or None, has_summary) for each entry."""
    for e in feed.entries:
        full = e.content
        if not full and e.summary and visible_len(e.summary) >= FULL_TEXT_MIN_CHARS:
            full = e.summary
        yield e, full, bool(e.summary)
