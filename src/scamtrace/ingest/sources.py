"""``iter_sources``: paths, directories and URLs -> RawDoc | Reject, never raising for bad input."""
from __future__ import annotations

import gzip
import logging
import os
import re
import stat
import zlib
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import InputError
from ..model import RawDoc, Reject
from ..settings import Settings
from .documents import file_feed_docs, response_docs, sniff_kind, text_doc
from .fetch import ALLOWED_SCHEMES, fetch
from .jsonl import iter_json_document, iter_jsonl
from .warc import iter_warc

log = logging.getLogger(__name__)

#: File name endings and the kind of content they hold (longest endings first).
SUFFIX_KINDS: tuple[tuple[str, str], ...] = (
    (".warc.gz", "warc"), (".warc", "warc"),
    (".jsonl", "jsonl"), (".ndjson", "jsonl"), (".json", "json"),
    (".html", "html"), (".htm", "html"), (".xhtml", "html"),
    (".txt", "text"), (".text", "text"), (".md", "text"), (".markdown", "text"),
    (".xml", "feed"), (".rss", "feed"), (".atom", "feed"),
)
#: Formats people save articles in that scamtrace does not read.
UNSUPPORTED_SUFFIXES = frozenset({
    ".pdf", ".doc", ".docx", ".odt", ".rtf", ".epub", ".pages", ".xls", ".xlsx", ".ods", ".ppt",
    ".pptx", ".zip", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".7z", ".rar", ".png", ".jpg", ".jpeg",
    ".gif", ".webp", ".bmp", ".tif", ".tiff", ".mp3", ".mp4", ".wav", ".mov", ".mhtml", ".mht",
    ".exe", ".bin", ".sqlite", ".db",
})
#: Page assets skipped silently inside directories (a saved page's ``*_files/`` folder).
ASSET_SUFFIXES = frozenset({
    ".css", ".js", ".mjs", ".map", ".svg", ".ico", ".woff", ".woff2", ".ttf", ".otf", ".eot",
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp",
})
_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")
#: How many bytes are read to sniff a file whose name does not say what it holds.
SNIFF_BYTES = 65536


def _suffix_kind(name: str) -> tuple[str, str | None]:
    """(suffix, kind) for a file name; kind None when the suffix is not one we know.
    ``x.html.gz`` is ("".html.gz", "html"): gzip-compressed files of every kind are read."""
    low = name.lower()
    if low.endswith(".gz") and not low.endswith(".warc.gz") and len(low) > 3:
        suffix, kind = _suffix_kind(low[:-3])
        if kind is not None:
            return suffix + ".gz", kind
    for suffix, kind in SUFFIX_KINDS:
        if low.endswith(suffix):
            return suffix, kind
    return Path(low).suffix, None


def _walk(root: Path, follow_symlinks: bool = False) -> Iterator[Path | Reject]:
    """Files under ``root``, depth first, sorted by name; hidden entries and symlinked
    directories are skipped (no loops). A symlink whose target lies outside ``root`` is a Reject
    unless ``follow_symlinks``; so is anything that is not a regular file (a FIFO would block the
    read for ever, a device never ends)."""
    top = os.path.realpath(root)
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=None):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            suffix, kind = _suffix_kind(name)
            if kind is None and suffix in ASSET_SUFFIXES:
                log.debug("skipped page asset %s", os.path.join(dirpath, name))
                continue
            path = Path(dirpath) / name
            source = str(path)
            try:
                st = path.stat()   # follows a symlink: the kind of what would be read
            except OSError as e:
                yield Reject(source, f"{source}: cannot read ({e.strerror or e}); a broken link or a file "
                                     "removed while reading; check it")
                continue
            if path.is_symlink() and not follow_symlinks:
                target = os.path.realpath(path)
                if os.path.commonpath([top, target]) != top:
                    yield Reject(source, f"{source}: symbolic link to {target}, outside the folder {root}; not "
                                         "followed (copy the file in, or set -s follow_symlinks true)")
                    continue
            if not stat.S_ISREG(st.st_mode):
                yield Reject(source, f"{source}: not a regular file (a pipe, socket or device); skipped, "
                                     "give article files only")
                continue
            yield path


def _too_large(source: str, size: int, cap: int) -> Reject:
    return Reject(source, f"{source}: file is {size:,} bytes, over the max_bytes cap of {cap:,}; "
                          "raise the max_bytes setting or split the file")


def _read_small(path: Path, source: str, cap: int) -> bytes | Reject:
    """The whole file (decompressed for ``*.gz``), or a Reject when it is over ``cap`` bytes."""
    size = path.stat().st_size
    if size > cap:
        return _too_large(source, size, cap)
    if _is_gzipped(path):
        try:
            with gzip.open(path, "rb") as fh:
                data = fh.read(cap + 1)
        except (OSError, EOFError, zlib.error) as e:
            return Reject(source, f"{source}: corrupt gzip data ({e or type(e).__name__}); "
                                  "re-download the file or save it uncompressed")
        if len(data) > cap:
            return Reject(source, f"{source}: decompressed content is over the max_bytes cap of {cap:,}; "
                                  "raise the max_bytes setting or split the file")
        return data
    with open(path, "rb") as fh:
        # read(cap + 1) would allocate cap bytes for every file: ask for the size the file has, then
        # for the rest of what ``cap + 1`` allows only if it grew
        data = fh.read(size + 1)
        if len(data) > size:
            data += fh.read(cap + 1 - len(data))
    if len(data) > cap:   # grew while we read it
        return _too_large(source, len(data), cap)
    return data


def _is_gzipped(path: Path) -> bool:
    """True for ``*.gz`` files other than WARC archives (warcio reads those itself)."""
    low = path.name.lower()
    return low.endswith(".gz") and not low.endswith(".warc.gz")


def _file_kind(path: Path, source: str) -> str | Reject:
    """The kind of a file: by its name, else by sniffing its first bytes."""
    suffix, kind = _suffix_kind(path.name)
    if kind is not None:
        return kind
    if suffix in UNSUPPORTED_SUFFIXES:
        return Reject(source, f"{source}: unsupported file type {suffix}; save the article as .html or .txt")
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if not head.strip():
        return Reject(source, f"{source}: file is empty; nothing to ingest")
    sniffed = sniff_kind(head)
    if sniffed.startswith("binary:"):
        what = sniffed.split(":", 1)[1]
        shown = f"file type {suffix}" if suffix else "file without a suffix"
        return Reject(source, f"{source}: unsupported {shown} ({what}); save the article as .html or .txt")
    log.debug("%s: sniffed as %s", source, sniffed)
    return sniffed


def _file_docs(path: Path, settings: Settings) -> Iterator[RawDoc | Reject]:
    """Docs from one file, by kind."""
    source = str(path)
    cap = int(settings.max_bytes)
    kind = _file_kind(path, source)
    if isinstance(kind, Reject):
        yield kind
        return
    if kind == "warc":
        yield from iter_warc(source, cap)
        return
    if kind == "jsonl":
        if path.stat().st_size == 0:
            yield Reject(source, f"{source}: file is empty; nothing to ingest")
            return
        yield from iter_jsonl(source, cap, compressed=_is_gzipped(path))
        return
    data = _read_small(path, source, cap)
    if isinstance(data, Reject):
        yield data
        return
    if kind == "feed" and sniff_kind(data[:SNIFF_BYTES]) == "html":
        kind = "html"   # an .xml file holding XHTML, not a feed
    if kind == "feed":
        yield from file_feed_docs(data, source, settings)
    elif kind == "json":
        doc = text_doc(data, source, "text")
        if isinstance(doc, Reject):
            yield doc
        else:
            yield from iter_json_document(source, doc.body)
    else:
        yield text_doc(data, source, kind)


def _url_docs(url: str, settings: Settings) -> Iterator[RawDoc | Reject]:
    try:
        res = fetch(url, settings)
    except InputError as e:
        yield Reject(url, str(e) if str(e).startswith(url) else f"{url}: {e.reason}")
        return
    yield from response_docs(res, url, settings)


def _source_docs(source: str, settings: Settings) -> Iterator[RawDoc | Reject]:
    """Docs from one source string (URL, file or directory)."""
    if not isinstance(source, (str, os.PathLike)):
        raise TypeError(f"iter_sources takes str paths or URLs, got {type(source).__name__}")
    source = os.fspath(source)
    if not source.strip():
        yield Reject(source, "(empty source): give a file, directory or http(s) URL")
        return
    m = _SCHEME_RE.match(source)
    path = Path(source)
    if m and not path.exists():
        if m.group(1).lower() in ALLOWED_SCHEMES:
            yield from _url_docs(source, settings)
        else:
            yield Reject(source, f"{source}: URL scheme {m.group(1).lower()}: is not supported; "
                                 "give an http(s) URL or a local file path")
        return
    try:
        if path.is_dir():
            for file in _walk(path, bool(settings.follow_symlinks)):
                if isinstance(file, Reject):
                    yield file
                else:
                    yield from _guarded(str(file), _file_docs(file, settings))
        elif path.is_file():
            yield from _guarded(source, _file_docs(path, settings))
        elif path.exists():
            yield Reject(source, f"{source}: not a regular file or directory; give an article file")
        else:
            yield Reject(source, f"{source}: no such file or directory; check the path")
    except OSError as e:
        yield Reject(source, f"{source}: cannot read ({e.strerror or e}); check the path and its permissions")


def _guarded(source: str, docs: Iterator[RawDoc | Reject]) -> Iterator[RawDoc | Reject]:
    """Turn an error while reading one file into a Reject; the batch goes on with the rest
    (one bad file never stops it, whatever the reader raised)."""
    try:
        yield from docs
    except OSError as e:
        yield Reject(source, f"{source}: cannot read ({e.strerror or e}); check the file and its permissions")
    except Exception as e:   # a reader's bug or a library's surprise on odd input
        log.debug("reading %s failed", source, exc_info=True)
        yield Reject(source, f"{source}: could not be read ({type(e).__name__}: {str(e)[:200]}); "
                             "report this file as a bug")


def iter_sources(sources: Iterable[str], settings: Settings | None = None) -> Iterator[RawDoc | Reject]:
    """Yield a RawDoc for every article found in ``sources`` (files, directories, http(s) URLs),
    and a Reject with a one-line reason for every input that cannot be read; never raises for bad
    input. Directories are walked recursively in sorted order (hidden entries skipped)."""
    settings = settings or Settings()
    if isinstance(sources, (str, os.PathLike)):
        raise TypeError("iter_sources takes a list of sources, not a single string; wrap it in a list")
    for source in sources:
        for doc in _source_docs(source, settings):
            if isinstance(doc, Reject):
                doc.reason = _one_line(doc.reason)
            yield doc


def _one_line(text: str) -> str:
    """Reasons are one line even when a file name or a library message holds line breaks."""
    return re.sub(r"[\r\n]+", " ", text)
