"""Bytes -> str for every ingester: binary detection, encoding detection, near-empty checks.

Algorithm ``ingest.decode-v1``: the first rule that applies wins:

1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE);
2. BOM-less UTF-16, recognised by NUL bytes on every other position;
3. the charset the transport declared (HTTP ``Content-Type``), if it decodes the bytes strictly;
4. the charset the document declares (``<meta charset>``, ``http-equiv``, ``<?xml encoding=?>``),
   if it decodes the bytes strictly;
5. strict UTF-8;
6. Windows-1252 when its non-ASCII characters are Latin letters or typographic punctuation
   standing alone inside ASCII words ("café", "naïve", "“quoted”") — short Western texts, on
   which statistical detection guesses Baltic or Cyrillic code pages;
7. charset-normalizer's best guess (Thai TIS-620, GBK, Big5, Shift-JIS, ...);
8. Windows-1252 with replacement characters (never fails).
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

DECODER = "ingest.decode-v1"

#: A body whose visible text has fewer non-space characters than this is "near-empty".
#: Set by hand: the shortest seed article (/work/shared/seeds) has > 2,000; a one-line stub
#: such as "Full article" or an empty template falls below it.
MIN_TEXT_CHARS = 40

#: Share of control characters (other than tab/newline/CR/form feed) in decoded text above
#: which the input is treated as binary. Set by hand on the fuzz tests' random bytes (~12% control
#: characters) versus real text (0%).
MAX_CONTROL_SHARE = 0.02

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),   # before UTF-16 LE: it shares the first two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: File signatures of formats that are never article text.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or .docx/.epub)"),
    (b"\x89PNG", "PNG image"),
    (b"GIF8", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\xd0\xcf\x11\xe0", "MS Office document"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ", "xz-compressed data"),
    (b"7z\xbc\xaf", "7-Zip archive"),
    (b"RIFF", "RIFF media file"),
    (b"\x7fELF", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
)

_DECLARED_RE = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"""
    rb"""|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
#: Rule 6 parameters, set by hand: in French/German/Spanish/Portuguese text runs of non-ASCII
#: characters are 1-2 long ("prêt-à-porter", "Größe"); Thai, Chinese or Vietnamese legacy bytes
#: decoded as cp1252 give long runs.
MAX_WESTERN_RUN = 2
MAX_LONG_RUN_SHARE = 0.1
_HIGH_RUN_RE = re.compile(r"[^\x00-\x7f]+")
_WESTERN = frozenset(
    [chr(c) for c in range(0xC0, 0x100) if c not in (0xD7, 0xF7)]
    + list("\u00a0\u00a3\u00a7\u00a9\u00ab\u00ae\u00b0\u00b7\u00bb\u00bf\u00a1\u00b4\u00b2\u00b3\u00bd\u00bc\u00be")
    + list("\u2018\u2019\u201a\u201c\u201d\u201e\u2013\u2014\u2026\u20ac\u2022\u2122\u0152\u0153\u0160\u0161\u017d\u017e\u0178")
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_TAG_RE = re.compile(r"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->|<[^>]*>", re.S | re.I)
_ENTITY_RE = re.compile(r"&#?\w+;")
_SPACE_RE = re.compile(r"\s+")


class NotText(ValueError):
    """The bytes are not text (binary file or undecodable); ``str(e)`` is a one-line reason."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text and how the encoding was chosen (evidence for the record's ``extra``)."""

    text: str
    encoding: str
    rule: str           # bom | utf16-nul-pattern | http | declared | utf-8 | western | detected | fallback


def sniff_magic(data: bytes) -> str | None:
    """Name the binary format ``data`` starts with, or None."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    return None


def _codec(name: str | None) -> str | None:
    """Python codec name for a declared charset, or None when unknown."""
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'").lower()).name
    except LookupError:
        return None


def _strict(data: bytes, encoding: str | None) -> str | None:
    if encoding is None:
        return None
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf16_without_bom(data: bytes) -> str | None:
    """utf-16-le/be when NULs sit on every other byte of a mostly-ASCII sample."""
    sample = data[:4096]
    if len(sample) < 8 or len(sample) % 2:
        sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 8:
        return None
    even_nul = sample[0::2].count(0) / (len(sample) / 2)
    odd_nul = sample[1::2].count(0) / (len(sample) / 2)
    if odd_nul > 0.6 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.6 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def declared_charset(data: bytes) -> str | None:
    """The charset a document declares in its first 4 KB (meta tag or XML declaration)."""
    m = _DECLARED_RE.search(data[:4096])
    if not m:
        return None
    raw = m.group(1) or m.group(2)
    return raw.decode("ascii", "replace") if raw else None


def decode_bytes(data: bytes, http_charset: str | None = None) -> Decoded:
    """Decode ``data`` to str following ``ingest.decode-v1``; raise :class:`NotText` for binary."""
    magic = sniff_magic(data)
    if magic:
        raise NotText(f"binary content ({magic})")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(enc, errors="replace")
            return _checked(Decoded(text, enc, "bom"))
    enc16 = _utf16_without_bom(data)
    if enc16:
        return _checked(Decoded(data.decode(enc16, errors="replace"), enc16, "utf16-nul-pattern"))
    if b"\x00" in data[:65536]:
        raise NotText("binary content (NUL bytes)")
    for rule, name in (("http", http_charset), ("declared", declared_charset(data))):
        enc = _codec(name)
        text = _strict(data, enc)
        if text is not None and enc is not None:
            return _checked(Decoded(text, enc, rule))
    text = _strict(data, "utf-8")
    if text is not None:
        return _checked(Decoded(text, "utf-8", "utf-8"))
    if _looks_western(data):
        return _checked(Decoded(data.decode("cp1252"), "cp1252", "western"))
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        enc = _codec(best.encoding) or best.encoding
        return _checked(Decoded(data.decode(enc, errors="replace"), enc, "detected"))
    return _checked(Decoded(data.decode("cp1252", errors="replace"), "cp1252", "fallback"))


def _looks_western(data: bytes) -> bool:
    """True when ``data`` reads as Windows-1252 with isolated accented letters (rule 6)."""
    try:
        text = data[:200_000].decode("cp1252")
    except UnicodeDecodeError:
        return False
    runs = _HIGH_RUN_RE.findall(text)
    if not runs:
        return False
    if any(ch not in _WESTERN for run in runs for ch in run):
        return False
    long_runs = sum(1 for run in runs if len(run) > MAX_WESTERN_RUN)
    return long_runs <= len(runs) * MAX_LONG_RUN_SHARE


def _checked(d: Decoded) -> Decoded:
    sample = d.text[:20000]
    if sample and len(_CONTROL_RE.findall(sample)) / len(sample) > MAX_CONTROL_SHARE:
        raise NotText(f"binary content (control characters after decoding as {d.encoding})")
    return d


def visible_text_chars(body: str, fmt: str) -> int:
    """Rough count of non-space visible characters (tags, scripts, entities removed for HTML)."""
    if fmt == "html":
        body = _ENTITY_RE.sub(" ", _TAG_RE.sub(" ", body))
    return len(_SPACE_RE.sub("", body))


def is_near_empty(body: str, fmt: str) -> bool:
    """True when ``body`` has fewer than :data:`MIN_TEXT_CHARS` visible characters."""
    return visible_text_chars(body, fmt) < MIN_TEXT_CHARS
