"""HTTP(S) fetching for URL ingestion and ``watch``.

Standard library only (urllib). Redirects are followed here, not by urllib, so that every hop's
scheme is checked (only http/https) and at most :data:`MAX_REDIRECTS` are taken. The size cap is
enforced while streaming, the timeout covers each attempt as a whole (not only each socket read),
and timeouts, dropped connections and 5xx answers are retried with exponential backoff.
"""
from __future__ import annotations

import http.client
import logging
import socket
import threading
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass, field
from email.message import Message
from typing import Callable
from urllib.parse import urljoin, urlsplit

from ..errors import FetchError, InputTooLarge, UnsupportedInput
from ..settings import Settings

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
#: First retry waits this many seconds; each further retry doubles it (capped below).
RETRY_BACKOFF_BASE = 0.5
RETRY_BACKOFF_MAX = 30.0
CHUNK = 65536
ALLOWED_SCHEMES = ("http", "https")
_REDIRECT_CODES = (301, 302, 303, 307, 308)
_ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
           "application/xml;q=0.9,text/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5")


@dataclass(slots=True)
class FetchResult:
    """One HTTP answer. ``body`` is empty when ``not_modified`` (HTTP 304)."""

    status: int
    body: bytes
    url: str                                  # final URL after redirects
    headers: dict[str, str] = field(default_factory=dict)   # lower-cased names
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    redirects: list[str] = field(default_factory=list)

    @property
    def content_type(self) -> str:
        """Media type without parameters, lower-case ("" when absent)."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The ``charset`` parameter of Content-Type, if any."""
        msg = Message()
        msg["content-type"] = self.headers.get("content-type", "")
        cs = msg.get_param("charset")
        return cs if isinstance(cs, str) else None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Make urllib surface 3xx answers as HTTPError so :func:`fetch` follows them itself."""

    def http_error_302(self, req, fp, code, msg, headers):  # type: ignore[override]
        return None   # no handler answers: urllib raises HTTPError(3xx), which fetch() follows

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302  # type: ignore[assignment]


class _Watchdog:
    """Closes every socket of one attempt when its deadline passes, so a server that drips a byte at a
    time (each read within the socket timeout) cannot keep an attempt going past ``fetch_timeout``."""

    def __init__(self, seconds: float):
        self.fired = False
        self._socks: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._socks.append(sock)
            if self.fired:
                self._shut(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._socks:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        try:
            sock.shutdown(socket.SHUT_RDWR)   # a blocked recv() returns at once
        except OSError:
            pass

    def cancel(self) -> None:
        self._timer.cancel()


def _watched(cls: type, dog: _Watchdog) -> Callable[..., http.client.HTTPConnection]:
    class Watched(cls):  # type: ignore[valid-type, misc]
        def connect(self) -> None:
            super().connect()
            dog.watch(self.sock)

    return Watched


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, dog: _Watchdog):
        super().__init__()
        self.dog = dog

    def http_open(self, req):  # type: ignore[no-untyped-def]
        return self.do_open(_watched(http.client.HTTPConnection, self.dog), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, dog: _Watchdog):
        super().__init__()
        self.dog = dog

    def https_open(self, req):  # type: ignore[no-untyped-def]
        return self.do_open(_watched(http.client.HTTPSConnection, self.dog), req, context=self._context)


def _opener(dog: _Watchdog) -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_NoRedirect(), _HTTPHandler(dog), _HTTPSHandler(dog))


class _Retryable(Exception):
    """A failure worth retrying (timeout, dropped connection, 5xx)."""


def check_scheme(url: str) -> None:
    """Raise UnsupportedInput unless ``url`` is a well-formed absolute http(s) URL."""
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise UnsupportedInput(url, "malformed URL (contains spaces or control characters); percent-encode them")
    try:
        parts = urlsplit(url)
        parts.port   # noqa: B018 (validates the port range)
    except ValueError as e:
        raise UnsupportedInput(url, f"malformed URL ({e}); check the address") from None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = scheme + ":" if scheme else "no scheme"
        raise UnsupportedInput(url, f"URL scheme {shown} refused; only http:// and https:// URLs are fetched")
    if not parts.hostname:
        raise UnsupportedInput(url, "URL has no host; give a full http(s)://host/path URL")
    if parts.username is not None or parts.password is not None:
        raise UnsupportedInput(url, "URLs with user:password@ credentials are not fetched; remove them")


def _headers(msg: Message | None) -> dict[str, str]:
    if msg is None:
        return {}
    return {k.lower(): v for k, v in msg.items()}


def _read_capped(resp, url: str, cap: int, deadline: float, timeout: float) -> bytes:
    """Read the body in chunks, stopping at ``cap`` bytes or at ``deadline``."""
    length = resp.headers.get("Content-Length")
    if length and length.strip().isdigit() and int(length) > cap:
        raise InputTooLarge(url, f"response of {int(length):,} bytes exceeds the max_bytes cap of {cap:,}; "
                                 "raise the max_bytes setting to read it")
    parts: list[bytes] = []
    total = 0
    read = getattr(resp, "read1", resp.read)   # read1 returns what arrived: the deadline is checked often
    while True:
        if time.monotonic() > deadline:
            raise _Retryable(f"timed out after {timeout:g}s reading the body")
        chunk = read(CHUNK)
        if not chunk:
            break
        total += len(chunk)
        if total > cap:
            raise InputTooLarge(url, f"response exceeds the max_bytes cap of {cap:,} bytes; "
                                     "raise the max_bytes setting to read it")
        parts.append(chunk)
    return b"".join(parts)


def _decompress(body: bytes, encoding: str, url: str, cap: int) -> bytes:
    """Undo a gzip/deflate Content-Encoding, keeping the size cap."""
    if encoding not in ("gzip", "x-gzip", "deflate"):
        return body
    wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
    try:
        d = zlib.decompressobj(wbits)
        out = d.decompress(body, cap + 1)
    except zlib.error as e:
        raise FetchError(url, f"corrupt {encoding} response body ({e}); try again later") from None
    if len(out) > cap:
        raise InputTooLarge(url, f"decompressed response exceeds the max_bytes cap of {cap:,} bytes; "
                                 "raise the max_bytes setting to read it")
    return out


def _attempt(url: str, settings: Settings, etag: str | None, last_modified: str | None) -> FetchResult:
    """One request chain (following redirects), within ``fetch_timeout`` in all: a watchdog closes the
    connection at the deadline. Raises _Retryable, FetchError and friends."""
    timeout = float(settings.fetch_timeout)
    dog = _Watchdog(timeout)
    try:
        res = _attempt_until(url, settings, etag, last_modified, timeout, _opener(dog))
    except (_Retryable, FetchError, OSError, http.client.HTTPException, ValueError):
        if dog.fired:
            raise _Retryable(f"timed out after {timeout:g}s (the whole attempt)") from None
        raise
    finally:
        dog.cancel()
    if dog.fired:   # the connection was closed under a read: the body may be cut short
        raise _Retryable(f"timed out after {timeout:g}s (the whole attempt)")
    return res


def _attempt_until(url: str, settings: Settings, etag: str | None, last_modified: str | None, timeout: float,
                   opener: urllib.request.OpenerDirector) -> FetchResult:
    deadline = time.monotonic() + timeout
    redirects: list[str] = []
    current = url
    while True:
        check_scheme(current)
        req = urllib.request.Request(current, headers={"User-Agent": settings.user_agent, "Accept": _ACCEPT})
        if etag:
            req.add_header("If-None-Match", etag)
        if last_modified:
            req.add_header("If-Modified-Since", last_modified)
        try:
            resp = opener.open(req, timeout=timeout)
        except urllib.error.HTTPError as e:
            hdrs = _headers(e.headers)
            e.close()
            if e.code in _REDIRECT_CODES:
                location = hdrs.get("location")
                if not location:
                    raise FetchError(url, f"HTTP {e.code} redirect without a Location header") from None
                if len(redirects) >= MAX_REDIRECTS:
                    raise FetchError(url, f"more than {MAX_REDIRECTS} redirects; open the URL in a browser "
                                          "and give the final address") from None
                try:
                    current = urljoin(current, location.strip())
                except ValueError:
                    raise FetchError(url, f"redirected to a malformed URL {location!r}") from None
                redirects.append(current)
                if current.split(":", 1)[0].lower() not in ALLOWED_SCHEMES:
                    raise UnsupportedInput(url, f"redirected to {current!r}, whose scheme is refused; "
                                                "only http(s) redirects are followed") from None
                continue
            if e.code == 304:
                return FetchResult(304, b"", current, hdrs, hdrs.get("etag") or etag,
                                   hdrs.get("last-modified") or last_modified, True, redirects)
            if e.code >= 500 or e.code == 429:
                raise _Retryable(f"HTTP {e.code} {e.reason}") from None
            raise FetchError(url, f"HTTP {e.code} {e.reason}; check the URL", status=e.code) from None
        except (TimeoutError, socket.timeout):
            raise _Retryable(f"timed out after {timeout:g}s") from None
        except urllib.error.URLError as e:
            reason = e.reason
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise _Retryable(f"timed out after {timeout:g}s") from None
            if isinstance(reason, (ConnectionError, http.client.HTTPException)):
                raise _Retryable(f"connection failed ({reason})") from None
            raise FetchError(url, f"cannot connect ({reason}); check the host name and network") from None
        except (ConnectionError, http.client.HTTPException, OSError) as e:
            raise _Retryable(f"connection failed ({type(e).__name__}: {e})") from None
        with resp:
            try:
                body = _read_capped(resp, url, int(settings.max_bytes), deadline, timeout)
            except (TimeoutError, socket.timeout):
                raise _Retryable(f"timed out after {timeout:g}s reading the body") from None
            except (ConnectionError, http.client.HTTPException, OSError) as e:
                raise _Retryable(f"connection dropped while reading ({type(e).__name__})") from None
            hdrs = _headers(resp.headers)
            body = _decompress(body, hdrs.get("content-encoding", "").strip().lower(), url, int(settings.max_bytes))
            return FetchResult(resp.status, body, resp.geturl() or current, hdrs, hdrs.get("etag"),
                               hdrs.get("last-modified"), False, redirects)


def fetch(url: str, settings: Settings | None = None, etag: str | None = None,
          last_modified: str | None = None, *, sleep: Callable[[float], None] = time.sleep) -> FetchResult:
    """GET ``url`` and return the answer (2xx, or 304 with ``not_modified=True``).

    Conditional headers are sent when ``etag``/``last_modified`` are given. Raises
    UnsupportedInput (non-http(s) scheme, also after a redirect), InputTooLarge (over
    ``settings.max_bytes``) or FetchError (4xx, unreachable, or timeout/5xx after
    ``settings.fetch_retries`` retries). All messages are one line.
    """
    settings = settings or Settings()
    check_scheme(url)
    retries = int(settings.fetch_retries)
    last = ""
    for attempt in range(retries + 1):
        try:
            return _attempt(url, settings, etag, last_modified)
        except _Retryable as e:
            last = str(e)
            if attempt < retries:
                wait = min(RETRY_BACKOFF_BASE * 2 ** attempt, RETRY_BACKOFF_MAX)
                log.debug("%s: %s; retry %d/%d in %.1fs", url, last, attempt + 1, retries, wait)
                sleep(wait)
    tries = f"{retries + 1} attempts" if retries else "1 attempt"
    raise FetchError(url, f"{last} ({tries}); try again later or raise fetch_timeout/fetch_retries")
