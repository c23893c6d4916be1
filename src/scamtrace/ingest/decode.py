"""Bytes -> str for every ingester: binary detection, encoding detection, near-empty checks.

Algorithm ``ingest.decode-v2``: the first rule that applies wins:

1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE);
2. BOM-less UTF-32 (two NUL bytes in every 4-byte unit), then BOM-less UTF-16 (NUL bytes on every
   other position); ISO-2022-JP when 7-bit text holds its escape sequences;
3. the charset the transport declared (HTTP ``Content-Type``), if it decodes the bytes strictly;
4. the charset the document declares (``<meta charset>``, ``http-equiv``, ``<?xml encoding=?>``),
   if it decodes the bytes strictly;
5. strict UTF-8;
6. Windows-1252 when its non-ASCII characters are Latin letters or typographic punctuation
   standing alone inside ASCII words ("café", "naïve", "“quoted”") — short Western texts, on
   which statistical detection guesses Baltic or Cyrillic code pages;
7. charset-normalizer's best guess (Thai TIS-620, GBK, Big5, Shift-JIS, ...);
8. Windows-1252 with replacement characters (never fails).

Whatever the rule, text whose characters almost never repeat is refused as binary (v2: random bytes
once decoded as 2,849 CJK characters).
"""
from __future__ import annotations

import codecs
import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

import charset_normalizer

from ..errors import NotText

DECODER = "ingest.decode-v2"

#: A body whose visible text has fewer non-space characters than this is "near-empty".
#: Set by hand: the shortest seed article (/work/shared/seeds) has > 2,000; a one-line stub
#: such as "Full article" or an empty template falls below it.
MIN_TEXT_CHARS = 40

#: Share of control characters (other than tab/newline/CR/form feed) in decoded text above
#: which the input is treated as binary. Set by hand on the fuzz tests' random bytes (~12% control
#: characters) versus real text (0%).
MAX_CONTROL_SHARE = 0.02

#: Text-likeness (``looks_like_text``), set by hand: the most varied real texts at hand (Chinese and
#: Japanese news, 200+ characters) have at most ~0.65 distinct characters per character; random bytes
#: read as GBK or Big5 have ~0.95.
TEXT_LIKE_MIN_CHARS = 200
TEXT_LIKE_SAMPLE = 4000
MAX_DISTINCT_SHARE = 0.8
#: Symbols (Unicode categories Sm, Sc, Sk, So) per visible character: at most 0.042 in the texts of
#: ../shared (realnews-dev, ECB+, benchmarks, seeds); at least 0.125 in random bytes read as cp1252.
#: (A first version also counted combining marks and refused a Hindi article of realnews-dev.)
MAX_SYMBOL_SHARE = 0.1
_ISO2022_RE = re.compile(rb"\x1b\$[@B]|\x1b\$\(D|\x1b\(J")

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
_BLOCK_OPEN_RE = re.compile(r"<(script|style)\b", re.I)
_BLOCK_CLOSE_RE = {"script": re.compile(r"</script\s*>", re.I), "style": re.compile(r"</style\s*>", re.I)}
_ENTITY_RE = re.compile(r"&#?\w+;")
#: Text and ordinary tags (from ``<`` to the next ``>``, not a script/style block or a comment): the
#: common case of :func:`strip_tags`, read by one regex (each tag to a space, as the loop does).
_PLAIN_RUN = re.compile(r"(?:[^<]+|<(?!(?:script|style)\b|!--)[^>]*>)*", re.I)
_PLAIN_TAG = re.compile(r"<[^>]*>")


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


def _utf32_without_bom(data: bytes) -> str | None:
    """utf-32-le/be when, in every 4-byte unit of a sample, the two high bytes are NUL (every
    character is in the Basic Multilingual Plane) and the low byte is not always NUL."""
    sample = data[:4096]
    sample = sample[: len(sample) - len(sample) % 4]
    if len(sample) < 16:
        return None
    units = len(sample) // 4
    lanes = [sample[i::4].count(0) / units for i in range(4)]
    if lanes[2] == 1.0 and lanes[3] == 1.0 and lanes[0] < 0.5:
        return "utf-32-le"
    if lanes[0] == 1.0 and lanes[1] == 1.0 and lanes[3] < 0.5:
        return "utf-32-be"
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
    """Decode ``data`` to str following ``ingest.decode-v2``; raise :class:`NotText` for binary."""
    magic = sniff_magic(data)
    if magic:
        raise NotText(f"binary content ({magic})")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(enc, errors="replace")
            return _checked(Decoded(text, enc, "bom"))
    enc32 = _utf32_without_bom(data)
    if enc32:
        text = _strict(data[: len(data) - len(data) % 4], enc32)
        if text is not None:
            return _checked(Decoded(text, enc32, "utf32-nul-pattern"))
    enc16 = _utf16_without_bom(data)
    if enc16:
        return _checked(Decoded(data.decode(enc16, errors="replace"), enc16, "utf16-nul-pattern"))
    if b"\x00" in data[:65536]:
        raise NotText("binary content (NUL bytes)")
    if _ISO2022_RE.search(data[:65536]) and not any(b > 0x7F for b in data[:65536]):
        text = _strict(data, "iso2022_jp_2")   # 7-bit Japanese mail and old web pages (ESC $ B ...)
        if text is not None:
            return _checked(Decoded(text, "iso2022_jp", "iso-2022-escapes"))
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
    if not looks_like_text(sample):
        raise NotText(f"binary content (decoded as {d.encoding} it reads as random characters: almost none repeats)")
    return d


def looks_like_text(text: str) -> bool:
    """Text-likeness: in any language, characters repeat (letters of an alphabet, common words and
    ideographs); random bytes decoded by a multi-byte codec (GBK, Big5, Shift-JIS) give thousands of
    distinct ideographs that almost never repeat, and decoded by a one-byte code page a text of
    which one character in eight is a symbol (currency, maths, ©, ¬ ...). False when a
    sample of at least :data:`TEXT_LIKE_MIN_CHARS` non-space characters has more than
    :data:`MAX_DISTINCT_SHARE` distinct characters, or its visible text more than
    :data:`MAX_SYMBOL_SHARE` symbols."""
    chars = "".join(text[:TEXT_LIKE_SAMPLE].split())   # str.split() and re's \s: the same white space
    if len(chars) < TEXT_LIKE_MIN_CHARS:
        return True
    # at most 128 distinct ASCII characters, plus one per character outside ASCII: when that bound
    # keeps the share, the distinct characters need not be collected
    if (128 + _non_ascii(chars)) / len(chars) > MAX_DISTINCT_SHARE and len(set(chars)) / len(chars) > MAX_DISTINCT_SHARE:
        return False
    visible = "".join(_stripped(text[:TEXT_LIKE_SAMPLE * 4]).split())[:TEXT_LIKE_SAMPLE]
    if len(visible) < TEXT_LIKE_MIN_CHARS:
        return True
    # the ASCII symbols plus every character outside ASCII bound the symbols from above: the same test
    # without looking up the category of each distinct character when the bound passes it
    if (sum(map(visible.count, _ASCII_SYMBOLS)) + _non_ascii(visible)) / len(visible) <= MAX_SYMBOL_SHARE:
        return True
    return _symbol_count(visible) / len(visible) <= MAX_SYMBOL_SHARE


def _non_ascii(text: str) -> int:
    """How many characters of ``text`` are outside ASCII."""
    return len(text) - len(text.encode("ascii", "ignore"))


#: Above this many distinct symbol characters, :func:`_symbol_count` counts all characters at once.
_FEW_SYMBOLS = 32


def _symbol_count(text: str) -> int:
    """How many characters of ``text`` are symbols (Unicode category S*): each distinct symbol
    counted with ``str.count`` (most texts hold a handful), the categories remembered."""
    symbols = [ch for ch in set(text) if _is_symbol(ch)]
    if len(symbols) > _FEW_SYMBOLS:
        return sum(n for ch, n in Counter(text).items() if _is_symbol(ch))
    return sum(map(text.count, symbols))


@functools.lru_cache(maxsize=4096)
def _is_symbol(ch: str) -> bool:
    return unicodedata.category(ch).startswith("S")


#: The ASCII characters of Unicode category S* ($ + < = > ^ ` | ~).
_ASCII_SYMBOLS = tuple(c for c in map(chr, range(128)) if unicodedata.category(c).startswith("S"))


#: The last (input, output) of :func:`_stripped`: a page of up to 16,000 characters is stripped for
#: the text-likeness check and then, the same string object, for the visible-character count.
_LAST_STRIPPED: tuple[str, str] = ("", "")


def _stripped(html: str) -> str:
    """:func:`strip_tags`, remembering the last result (matched by identity: the cache holds its input)."""
    global _LAST_STRIPPED
    last = _LAST_STRIPPED
    if last[0] is html:
        return last[1]
    out = strip_tags(html)
    _LAST_STRIPPED = (html, out)
    return out


def strip_tags(html: str) -> str:
    """``html`` with script and style blocks, comments and tags replaced by a space, in linear time.

    A regular expression such as ``<script\\b.*?</script>|<!--.*?-->|<[^>]*>`` takes quadratic time
    on an unclosed ``<script>``, ``<!--`` or ``<`` repeated many times (each one scans to the end);
    here every search for a closing token is remembered, so the text is scanned a bounded number
    of times. An unclosed block or comment falls back to removing its opening tag only, as the
    expression did."""
    out: list[str] = []
    memo: dict[str, int] = {}

    def find(token: str, start: int) -> int:
        """Next position of ``token`` (a literal or a closing-block key) at or after ``start``; -1 if none."""
        pos = memo.get(token)
        if pos is not None and (pos < 0 or pos >= start):
            return pos
        if token in _BLOCK_CLOSE_RE:
            m = _BLOCK_CLOSE_RE[token].search(html, start)
            pos = m.start() if m else -1
            memo[token + ":end"] = m.end() if m else -1
        else:
            pos = html.find(token, start)
        memo[token] = pos
        return pos

    i, n = 0, len(html)
    while i < n:
        # text and ordinary tags up to the next script/style block, comment, or "<" never closed
        run = _PLAIN_RUN.match(html, i).end()   # type: ignore[union-attr]  (it matches the empty string)
        if run > i:
            out.append(_PLAIN_TAG.sub(" ", html[i:run]))
            i = run
            if i >= n:
                break
        j = find("<", i)
        if j < 0:
            out.append(html[i:])
            break
        out.append(html[i:j])
        end = -1
        m = _BLOCK_OPEN_RE.match(html, j)
        if m:
            kind = m.group(1).lower()
            if find(kind, m.end()) >= 0:
                end = memo[kind + ":end"]
        elif html.startswith("<!--", j):
            k = find("-->", j + 4)
            end = k + 3 if k >= 0 else -1
        if end < 0:
            k = find(">", j + 1)
            if k < 0:          # no ">" anywhere after: the rest is text
                out.append(html[j:])
                break
            end = k + 1
        out.append(" ")
        i = end
    return "".join(out)


def visible_text_chars(body: str, fmt: str) -> int:
    """Rough count of non-space visible characters (tags, scripts, entities removed for HTML)."""
    if fmt == "html":
        body = _ENTITY_RE.sub(" ", _stripped(body))
    return sum(map(len, body.split()))


def is_near_empty(body: str, fmt: str) -> bool:
    """True when ``body`` has fewer than :data:`MIN_TEXT_CHARS` visible characters."""
    return visible_text_chars(body, fmt) < MIN_TEXT_CHARS
