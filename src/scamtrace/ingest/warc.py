"""WARC / WARC.gz archives -> RawDoc per HTML or text capture (``ingest.warc-v1``).

Keeps ``response`` records with HTTP status 200 and ``resource``/``conversion`` records whose
payload is HTML or plain text; skips everything else (requests, metadata, images, redirects)
silently. Damage — a truncated record, a failed digest, bytes that are not a record, an
unreadable gzip member — ends up as ONE Reject for the file, and every good record before it is
kept (warcio recovers after some kinds of damage; records after it are kept too).
"""
from __future__ import annotations

import contextlib
import io
import logging
import os
import zlib
from dataclasses import dataclass, field
from email.message import Message
from typing import Any, BinaryIO, Iterator

from warcio.archiveiterator import ArchiveIterator

from ..errors import NotText
from ..model import RawDoc, Reject
from .decode import DECODER, decode_bytes, is_near_empty

log = logging.getLogger(__name__)

WARC_READER = "ingest.warc-v1"
_KEPT_TYPES = ("response", "resource", "conversion")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_TYPES = ("text/plain",)


@dataclass(slots=True)
class _Damage:
    """The first damage found in one archive, and how many damaged places there were."""

    first: str | None = None
    offset: int | None = None
    count: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, offset: int | None, what: str) -> None:
        self.count += 1
        if self.first is None:
            self.first, self.offset = what, offset


def _media_type(value: str | None) -> tuple[str, str | None]:
    msg = Message()
    msg["content-type"] = value or ""
    cs = msg.get_param("charset")
    return msg.get_content_type().lower() if value else "", cs if isinstance(cs, str) else None


def _payload_type(record: Any) -> tuple[str, str | None, int | None]:
    """(media type, charset, HTTP status or None) of a record's payload."""
    if record.http_headers is not None:
        status = record.http_headers.get_statuscode()
        mt, cs = _media_type(record.http_headers.get_header("Content-Type"))
        return mt, cs, int(status) if status and str(status).isdigit() else None
    mt, cs = _media_type(record.rec_headers.get_header("Content-Type"))
    return mt, cs, None


def _next_record(it: ArchiveIterator, cap: int) -> tuple[Any, bytes, int, int] | None:
    """Advance ``it``; return (record, payload up to cap+1 bytes, offset, bytes left unread in a
    truncated record) or None at the end. warcio's stderr warnings are captured and logged."""
    captured = io.StringIO()
    with contextlib.redirect_stderr(captured):
        try:
            record = next(it)
        except StopIteration:
            return None
        payload = b""
        if record.rec_type in _KEPT_TYPES:
            payload = record.content_stream().read(cap + 1)
        it.read_to_end()
        left = int(getattr(record.raw_stream, "limit", 0) or 0)
        offset = it.get_record_offset()
    if captured.getvalue().strip():
        log.debug("warcio: %s", captured.getvalue().strip().replace("\n", " | "))
    return record, payload, offset, left


def _to_doc(path: str, record: Any, payload: bytes, offset: int, cap: int) -> RawDoc | Reject | None:
    """A RawDoc for a kept capture, a Reject for a bad one, None for records we skip."""
    source = f"{path}#{offset}"
    if record.rec_type not in _KEPT_TYPES:
        return None
    media, charset, status = _payload_type(record)
    if status is not None and status != 200:
        return None
    if media in _HTML_TYPES:
        fmt = "html"
    elif media in _TEXT_TYPES:
        fmt = "text"
    else:
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    if len(payload) > cap:
        return Reject(source, f"{source}: capture of {url} exceeds the max_bytes cap of {cap:,} bytes; "
                              "raise the max_bytes setting to read it")
    try:
        decoded = decode_bytes(payload, charset)
    except NotText as e:
        return Reject(source, f"{source}: capture of {url} is {e}; nothing to ingest")
    if is_near_empty(decoded.text, fmt):
        return Reject(source, f"{source}: capture of {url} is empty or nearly empty; nothing to ingest")
    extra = {"warc_date": record.rec_headers.get_header("WARC-Date"),
             "warc_record_id": record.rec_headers.get_header("WARC-Record-ID"),
             "encoding": decoded.encoding, "encoding_rule": decoded.rule, "decoder": DECODER,
             "reader": WARC_READER}
    return RawDoc(source=source, body=decoded.text, fmt=fmt, url=url, extra=extra)  # type: ignore[arg-type]


def _starts_like_warc(head: bytes) -> bool:
    """True when ``head`` (possibly gzip-compressed) starts with a WARC version line."""
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16)
        except zlib.error:
            return False
    return head.lstrip(b"\r\n").startswith(b"WARC/")


def _file_end(fh: BinaryIO) -> int:
    fh.seek(0, os.SEEK_END)
    return fh.tell()


def _trailing_is_padding(fh: BinaryIO, start: int) -> bool:
    """True when the bytes from ``start`` to the end are only whitespace/NUL padding."""
    fh.seek(start)
    return not fh.read(1 << 20).strip(b"\r\n\t \x00")


def iter_warc(path: str, cap: int) -> Iterator[RawDoc | Reject]:
    """Yield a RawDoc for each HTML/text capture in the WARC at ``path``, then at most one Reject
    describing damage. ``cap`` limits each payload (not the archive)."""
    with open(path, "rb") as fh:
        yield from iter_warc_stream(fh, path, cap)


def iter_warc_stream(fh: BinaryIO, path: str, cap: int) -> Iterator[RawDoc | Reject]:
    """:func:`iter_warc` over an open, seekable binary file object (e.g. ``io.BytesIO`` of bytes
    read by Spark); ``path`` names the archive in sources and reasons."""
    damage = _Damage()
    kept = records = yielded = 0
    end = 0
    warnings_seen = 0
    size = _file_end(fh)
    fh.seek(0)
    if not _starts_like_warc(fh.read(4096)):
        yield Reject(path, f"{path}: not a WARC archive (no WARC/1.x header at the start); "
                           "give a .warc or .warc.gz file, or rename the file to what it holds")
        return
    fh.seek(0)
    it = ArchiveIterator(fh, check_digests=True)
    while True:
        try:
            step = _next_record(it, cap)
        except Exception as e:   # warcio raises assorted types on damaged input
            damage.add(end, f"unreadable data ({type(e).__name__}: {str(e)[:120]})")
            break
        if step is None:
            break
        record, payload, offset, left = step
        end = offset + it.get_record_length()
        checker = getattr(record, "digest_checker", None)
        problems = list(getattr(checker, "problems", []) or [])
        if left:
            damage.add(offset, f"record truncated ({left:,} bytes missing)")
            continue
        if problems and len(payload) <= cap:
            damage.add(offset, f"record corrupt ({problems[0]})")
            continue
        if it.err_count > warnings_seen:
            warnings_seen = it.err_count
            damage.add(offset, "stray bytes after the record (wrong Content-Length?)")
        records += 1
        doc = _to_doc(path, record, payload, offset, cap)
        if doc is not None:
            kept += isinstance(doc, RawDoc)
            yielded += 1
            yield doc
    if damage.count == 0 and end < size and not _trailing_is_padding(fh, end):
        damage.add(end, f"{size - end:,} bytes at the end are not a complete WARC record (truncated file?)")
    if damage.count:
        more = f" and {damage.count - 1} more damaged place(s)" if damage.count > 1 else ""
        yield Reject(f"{path}#{damage.offset}",
                     f"{path}: WARC damaged at byte {damage.offset}: {damage.first}{more}; "
                     f"kept the {kept} good capture(s), re-download or repair the archive for the rest")
    elif yielded == 0:   # a file that gives nothing is never silent
        what = (f"none of its {records:,} record(s) is an HTML or text capture with status 200" if records
                else "no readable WARC record in it")
        yield Reject(path, f"{path}: {what}; nothing to ingest (is it damaged, or a WARC of other media?)")
