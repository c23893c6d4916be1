"""JSON Lines (and JSON arrays) of article records -> RawDoc (``ingest.records-v2``).

A record is a JSON object with ``text`` or ``html`` (``html`` wins when both are given) and
optionally ``id``, ``url``, ``outlet``, ``published``, ``title``, ``byline``/``author`` and
``language``; other keys are kept in ``RawDoc.extra``. The publication date is read from the first
of :data:`DATE_FIELDS` the record has (``published``, else ``date``, ``published_at``, ...: the names
news exports and datasets use), and the field it came from is kept in ``extra["published_field"]``
when it is not ``published``. One bad line is one Reject; the rest of
the file is still read. ``RawDoc.source`` is ``path#L<line>`` (``path#<index>`` for arrays).
(The module was ``ingest/records.py``, confusable with ``extract/records.py``; its algorithm name is kept.)
"""
from __future__ import annotations

import gzip
import json
import logging
import zlib
from typing import Any, BinaryIO, Iterator

from ..errors import NotText
from ..model import RawDoc, Reject
from .date_fields import parse_date_logged
from .decode import decode_bytes, is_near_empty

log = logging.getLogger(__name__)

# v1 -> v2: the publication date is also read from the other usual field names (DATE_FIELDS); v1 read
# only ``published`` and left a dataset's ``date`` unread, so its articles had no date.
RECORDS = "ingest.records-v2"
#: A ``.jsonl.gz`` may decompress to at most this many times its compressed size (or ``max_bytes``,
#: whichever is larger). Set by hand: news JSON Lines compress 3-10x; a gzip bomb of blank lines
#: compresses about 1,000x.
MAX_GZIP_RATIO = 100
#: More blank lines than this in a row end the file with one Reject (damage or a decompression
#: bomb; a real export has none). Set by hand.
MAX_BLANK_RUN = 10_000
#: Stop reading a file after this many invalid lines when no line so far was valid: it is not
#: JSON Lines, and one Reject says so instead of thousands.
MAX_LEADING_BAD_LINES = 50

_STR_FIELDS = ("url", "outlet", "title", "language")
#: Field names a record's publication date is read from, first present (non-empty) one wins: ours,
#: then the names news exports, schema.org and datasets use.
DATE_FIELDS = ("published", "date", "published_at", "publishedAt", "datePublished", "date_published",
               "publish_date", "pubDate", "pubdate")
_KNOWN = {"id", "text", "html", "byline", "author", *DATE_FIELDS, *_STR_FIELDS}


def _body(obj: dict[str, Any], source: str, where: str) -> tuple[str, str] | Reject:
    """The record's article body and its format (``html`` wins over ``text``), or a Reject saying
    what is missing or wrong."""
    html, text = obj.get("html"), obj.get("text")
    if isinstance(html, str) and html.strip():
        return html, "html"
    if isinstance(text, str) and text.strip():
        return text, "text"
    if html is None and text is None:
        return Reject(source, f"{where}: record has no 'text' or 'html' field; add the article body")
    if not isinstance(html, (str, type(None))) or not isinstance(text, (str, type(None))):
        return Reject(source, f"{where}: 'text'/'html' must be a string; fix the record")
    return Reject(source, f"{where}: record's 'text'/'html' is empty; add the article body or remove the line")


def _string_fields(obj: dict[str, Any], where: str) -> dict[str, str | None]:
    """The record's string fields (:data:`_STR_FIELDS`), stripped; a field of another type is
    ignored with a warning naming ``where``."""
    fields: dict[str, str | None] = {}
    for name in _STR_FIELDS:
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            log.warning("%s: ignored %r: expected a string, got %s", where, name, type(value).__name__)
            value = None
        fields[name] = value.strip() or None if isinstance(value, str) else None
    return fields


def date_field_of(obj: dict[str, Any]) -> str:
    """The field a record's publication date is read from: the first of :data:`DATE_FIELDS` with a
    non-empty value (a string of white space is empty), else ``published``."""
    return next((k for k in DATE_FIELDS if not _blank(obj.get(k))), "published")


def _blank(value: Any) -> bool:
    return value is None or isinstance(value, str) and not value.strip()


def record_to_doc(obj: Any, source: str, where: str) -> RawDoc | Reject:
    """Turn one decoded JSON value into a RawDoc, or a Reject naming ``where`` (e.g. "f.jsonl:17")."""
    if not isinstance(obj, dict):
        return Reject(source, f"{where}: expected a JSON object, got {type(obj).__name__}; "
                              "write one article object per line")
    got = _body(obj, source, where)
    if isinstance(got, Reject):
        return got
    body, fmt = got
    if is_near_empty(body, fmt):
        return Reject(source, f"{where}: record's {fmt} is nearly empty; add the article body or remove the line")
    rid = obj.get("id")
    if rid is not None and not isinstance(rid, (str, int)) or isinstance(rid, bool):
        return Reject(source, f"{where}: 'id' must be a string or an integer, got {type(rid).__name__}; fix the record")
    fields = _string_fields(obj, where)
    byline = obj.get("byline", obj.get("author"))
    date_field = date_field_of(obj)
    extra = {k: v for k, v in obj.items() if k not in _KNOWN or k in DATE_FIELDS and k != date_field}
    raw_date = obj.get(date_field)
    published = parse_date_logged(raw_date, where)
    if published is None and raw_date not in (None, ""):
        extra["published_raw"] = raw_date
    if date_field != "published" and raw_date not in (None, ""):
        extra["published_field"] = date_field
    return RawDoc(
        source=source, body=body, fmt=fmt,  # type: ignore[arg-type]
        id=str(rid).strip() or None if rid is not None else None,
        url=fields["url"], outlet=fields["outlet"], title=fields["title"], published=published,
        byline=byline.strip() or None if isinstance(byline, str) else None,
        language=fields["language"], extra=extra,
    )


def _lines(fh: BinaryIO, cap: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) per line; bytes is None for a line longer than ``cap`` (skipped)."""
    lineno = 0
    while True:
        line = fh.readline(cap + 1)
        if not line:
            return
        lineno += 1
        if len(line) > cap and not line.endswith(b"\n"):
            while True:   # drain the rest of the over-long line
                rest = fh.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield lineno, None
            continue
        yield lineno, line


def _decode_line(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return decode_bytes(raw).text   # JSON must be UTF-8, but be lenient with legacy exports


def iter_jsonl(path: str, cap: int, compressed: bool = False) -> Iterator[RawDoc | Reject]:
    """Yield one RawDoc or Reject per non-blank line of the JSON Lines file at ``path``
    (gzip-compressed when ``compressed``; damage in the compressed stream ends the file with
    one Reject, keeping the lines before it)."""
    if not compressed:
        with open(path, "rb") as fh:
            yield from _jsonl_lines(path, fh, cap)
        return
    import os

    limit = max(cap, MAX_GZIP_RATIO * os.path.getsize(path))
    with gzip.open(path, "rb") as gz:
        capped = _CappedReader(gz, limit)
        try:
            yield from _jsonl_lines(path, capped, cap)  # type: ignore[arg-type]
        except _TooMuch:
            yield Reject(path, f"{path}: decompresses to more than {limit:,} bytes ({MAX_GZIP_RATIO}x its size or "
                               "max_bytes); a decompression bomb or a damaged file; kept the lines before it")
        except (OSError, EOFError, zlib.error) as e:
            yield Reject(path, f"{path}: corrupt gzip data ({e or type(e).__name__}); kept the lines "
                               "before the damage, re-download the file for the rest")


class _TooMuch(Exception):
    """More decompressed bytes than allowed."""


class _CappedReader:
    """``readline`` over a binary stream that raises :class:`_TooMuch` past ``limit`` bytes in all."""

    def __init__(self, fh: BinaryIO, limit: int):
        self.fh, self.limit, self.read_bytes = fh, limit, 0

    def readline(self, size: int = -1) -> bytes:
        line = self.fh.readline(size)
        self.read_bytes += len(line)
        if self.read_bytes > self.limit:
            raise _TooMuch()
        return line


def _parse_line(raw: bytes) -> tuple[Any, str | None]:
    """(decoded JSON value, None) or (None, what is wrong with the line)."""
    try:
        return json.loads(_decode_line(raw)), None
    except NotText as e:
        return None, f"line is {e}"
    except json.JSONDecodeError as e:
        return None, f"invalid JSON ({e.msg} at column {e.colno})"
    except RecursionError:
        return None, "invalid JSON (nested too deeply)"
    except ValueError as e:   # e.g. an integer of more than 4,300 digits (Python's int_max_str_digits)
        return None, f"invalid JSON ({str(e).split(';')[0][:120]})"


def jsonl_objects(name: str, fh: BinaryIO, cap: int) -> Iterator[tuple[str, str, Any] | Reject]:
    """Per non-blank line of a JSON Lines stream: ``(source, where, parsed object)``, or a Reject
    for an over-long or unparsable line. After :data:`MAX_LEADING_BAD_LINES` bad lines with no
    good one, one Reject says the file is not JSON Lines and reading stops. Shared by the embedded
    ingest and the Spark readers."""
    good = bad = blank = 0
    for lineno, raw in _lines(fh, cap):
        source, where = f"{name}#L{lineno}", f"{name}:{lineno}"
        if raw is None:
            bad += 1
            yield Reject(source, f"{where}: line longer than the max_bytes cap of {cap:,} bytes; "
                                 "raise max_bytes or split the record")
            continue
        if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            blank += 1
            if blank > MAX_BLANK_RUN:
                yield Reject(name, f"{name}: more than {MAX_BLANK_RUN:,} blank lines in a row from line "
                                   f"{lineno - blank + 1}; the rest of the file is not read (damaged, or a "
                                   "decompression bomb?)")
                return
            continue
        blank = 0
        obj, error = _parse_line(raw)
        if error is not None:
            bad += 1
            if good == 0 and bad > MAX_LEADING_BAD_LINES:
                yield Reject(name, f"{name}: the first {MAX_LEADING_BAD_LINES} lines are not JSON; "
                                   "is this a JSON Lines file? Save one article object per line")
                return
            yield Reject(source, f"{where}: {error}; fix or remove that line")
            continue
        good += 1
        yield source, where, obj


def _jsonl_lines(path: str, fh: BinaryIO, cap: int) -> Iterator[RawDoc | Reject]:
    for item in jsonl_objects(path, fh, cap):
        yield item if isinstance(item, Reject) else record_to_doc(item[2], item[0], item[1])


def iter_json_document(path: str, text: str) -> Iterator[RawDoc | Reject]:
    """Yield docs from a ``.json`` file holding one article object or an array of them."""
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError) as e:   # JSONDecodeError, or an integer of more than 4,300 digits
        msg = (f"{e.msg} at line {e.lineno}" if isinstance(e, json.JSONDecodeError)
               else "nested too deeply" if isinstance(e, RecursionError) else str(e).split(";")[0][:120])
        yield Reject(path, f"{path}: invalid JSON ({msg}); fix the file or save it as JSON Lines (.jsonl)")
        return
    items = obj if isinstance(obj, list) else [obj]
    if not items:
        yield Reject(path, f"{path}: JSON array is empty; nothing to ingest")
        return
    for i, item in enumerate(items):
        source = f"{path}#{i}" if isinstance(obj, list) else path
        yield record_to_doc(item, source, f"{path}[{i}]" if isinstance(obj, list) else path)
