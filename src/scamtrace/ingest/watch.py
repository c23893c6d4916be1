"""``watch``: poll feeds, pages and files on a schedule and pass on only what is new.

Per source, ``state[source]`` (a JSON-serialisable dict the caller may back with SQLite) keeps:
``etag``/``last_modified`` for conditional requests, ``seen`` (keys of entries already passed on:
entry id, else link, else content hash; the newest :data:`SEEN_MAX`), ``failures``,
``last_error``, ``pending`` (feed entries stored as their summary because their page could not be
fetched for a reason that may pass: the page is asked for again, up to :data:`LINKED_RETRIES` times,
and replaces the summary in the store), ``retry_in`` (seconds until the next attempt of a failing source), ``retry_at`` (when
that attempt is due, a UTC ISO timestamp: a restarted watch keeps a failing source's back-off instead
of asking it again at once) and ``last_ok``/``last_checked`` (UTC ISO timestamps). The entry is always written back whole
(``state[source] = entry``), so mappings that persist on assignment see every change.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import signal
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, MutableMapping

from ..errors import FeedError, InputError, InvalidRequest
from ..model import RawDoc, Reject
from ..settings import Settings
from .documents import feed_docs, fetch_linked, response_kind, text_doc
from .fetch import fetch
from .ids import content_hash, stable_id
from .robots import check_robots
from .sources import _SCHEME_RE, iter_sources
log = logging.getLogger(__name__)

#: Entry keys remembered per source; older ones are forgotten first. Large enough for a feed
#: of 100 items polled for months with daily turnover.
SEEN_MAX = 10_000
#: Longest single wait between checks of the stop event, so signals and stop() act promptly.
WAIT_SLICE = 1.0
#: Times a feed entry's linked page is asked for after a failure that may pass (timeout, 5xx), with the
#: source's back-off between tries (2, 4, 8... x every, up to watch_backoff_max); then the summary stays.
LINKED_RETRIES = 6
#: Feed entries per source waiting for their page; the oldest are given up first.
PENDING_MAX = 500
#: Waiting pages asked for per source and cycle (each may take up to fetch_timeout): the others wait
#: for the next cycle, so a feed with many failed pages cannot hold a cycle for long.
PAGES_PER_CYCLE = 20
#: Keys of a summary's ``extra`` that the fetched page no longer has.
_SUMMARY_KEYS = ("summary_only", "summary_reason", "summary_retry")

_INTERVAL_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|secs|m|min|mins|h|hr|hrs|d)?\s*$", re.I)
_UNIT_SECONDS = {"s": 1, "sec": 1, "secs": 1, "m": 60, "min": 60, "mins": 60,
                 "h": 3600, "hr": 3600, "hrs": 3600, "d": 86400}


def parse_interval(text: str | float | int) -> float:
    """Seconds in an interval such as ``"30s"``, ``"15m"``, ``"1h"``, ``"1d"`` or ``"900"``.

    Raises ValueError naming the valid forms for anything else, or for zero/negative values.
    """
    if isinstance(text, bool):
        raise InvalidRequest(f"invalid interval {text!r}; use seconds (900) or a number with s, m, h or d (30s, 15m, 1h)")
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        m = _INTERVAL_RE.match(str(text))
        if not m:
            raise InvalidRequest(f"invalid interval {text!r}; use seconds (900) or a number with s, m, h or d "
                             "(30s, 15m, 1h, 1d)")
        value = float(m.group(1)) * _UNIT_SECONDS[(m.group(2) or "s").lower()]
    if not value > 0 or value == float("inf"):
        raise InvalidRequest(f"interval must be a positive number of seconds, got {text!r}")
    return value


@dataclass(slots=True)
class _Poll:
    """What one poll of one source found."""

    new: list[tuple[str, RawDoc | Reject]] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


def _doc_key(doc: RawDoc | Reject) -> str:
    if isinstance(doc, Reject):
        return "r-" + content_hash(doc.source + "\n" + doc.reason)
    return str(doc.extra.get("entry_id") or doc.id or "c-" + content_hash(doc.body))


def _poll_url(url: str, entry: dict[str, Any], seen: set[str], settings: Settings) -> _Poll:
    """Conditional GET of ``url``; new feed entries or a changed page. Raises InputError/FeedError."""
    check_robots(url, settings)
    res = fetch(url, settings, etag=entry.get("etag"), last_modified=entry.get("last_modified"))
    poll = _Poll(etag=res.etag, last_modified=res.last_modified, not_modified=res.not_modified)
    if res.not_modified:
        return poll
    kind = response_kind(res)
    if kind == "feed":
        poll.new = [(k, d) for k, d in feed_docs(res.body, url, settings, seen=seen)]
    elif kind in ("html", "text"):
        doc = text_doc(res.body, url, kind, res.charset, url=res.url)
        if isinstance(doc, Reject):
            raise FeedError(doc.reason.removeprefix(f"{url}: "))
        key = "c-" + content_hash(doc.body)
        if key not in seen:
            poll.new = [(key, doc)]
    else:
        raise FeedError(f"unsupported content type {kind.split(':', 1)[1]}; watch an HTML page or an RSS/Atom feed")
    return poll


def _poll_path(path: str, seen: set[str], settings: Settings) -> _Poll:
    """Re-read a local file or directory; docs (and rejects) not passed on before."""
    poll = _Poll()
    for doc in iter_sources([path], settings):
        key = _doc_key(doc)
        if key not in seen:
            poll.new.append((key, doc))
    return poll


def _now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _iso(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).isoformat(timespec="seconds")


def _epoch(iso: object) -> float | None:
    """Seconds since the epoch of a stored UTC ISO timestamp; None when absent or unreadable."""
    try:
        return dt.datetime.fromisoformat(str(iso)).timestamp() if iso else None
    except ValueError:
        return None


def _fmt_secs(seconds: float) -> str:
    return f"{seconds:.1f}s" if seconds < 10 else f"{seconds:.0f}s"


class _Watcher:
    """One watch run: schedule, state updates and the per-cycle log line."""

    def __init__(self, sources: list[str], every: float, on_batch: Callable[[list[RawDoc], list[Reject]], None],
                 state: MutableMapping[str, dict], settings: Settings, clock: Callable[[], float],
                 report: Callable[[str], None] | None = None, wall: Callable[[], float] = time.time):
        self.report = report
        self.sources = list(dict.fromkeys(sources))
        self.every = every
        self.on_batch = on_batch
        self.state = state
        self.settings = settings
        self.clock = clock
        self.wall = wall
        start, now = clock(), wall()
        self.due = {s: start + self.waiting(self.state.get(s), now) for s in self.sources}

    def waiting(self, entry: dict[str, Any] | None, now: float) -> float:
        """Seconds a source failing when the last watch stopped has still to wait (its stored ``retry_at``,
        at most the back-off the current settings give); 0 for a healthy or new source."""
        failures = int((entry or {}).get("failures") or 0)
        at = _epoch((entry or {}).get("retry_at"))
        if not failures or at is None:
            return 0.0
        return max(0.0, min(at - now, self.backoff(failures)))

    def backoff(self, failures: int) -> float:
        """Wait before retrying a source after ``failures`` failures in a row: doubles each time,
        from 2 x every up to max(every, watch_backoff_max)."""
        ceiling = max(self.every, float(self.settings.watch_backoff_max))
        return min(self.every * 2 ** min(failures, 60), ceiling)

    def poll(self, source: str) -> tuple[dict[str, Any], _Poll | None, str | None]:
        """(updated state entry, poll result or None, error or None) for one source."""
        entry = dict(self.state.get(source) or {})
        seen = set(entry.get("seen") or ())
        try:
            if _SCHEME_RE.match(source):
                poll = _poll_url(source, entry, seen, self.settings)
            else:
                poll = _poll_path(source, seen, self.settings)
        except (InputError, FeedError) as e:
            return entry, None, str(getattr(e, "reason", e))
        return entry, poll, None

    def cycle(self, n: int, stop: threading.Event) -> float:
        """Poll every due source once; pass new docs on; return seconds until the next due one."""
        now = self.clock()
        polled = [s for s in self.sources if self.due[s] <= now]
        docs: list[RawDoc] = []
        rejects: list[Reject] = []
        updates: dict[str, dict[str, Any]] = {}
        for source in polled:
            if stop.is_set():
                break
            entry, poll, error = self.poll(source)
            entry["last_checked"] = _now_iso()
            if error is not None:
                entry["failures"] = int(entry.get("failures") or 0) + 1
                if entry["failures"] == 1:
                    rejects.append(Reject(source, f"{source}: {error}; watch keeps retrying with backoff"))
                entry["last_error"] = error
                entry["retry_in"] = self.backoff(entry["failures"])
                entry["retry_at"] = _iso(self.wall() + entry["retry_in"])
                self.due[source] = self.clock() + entry["retry_in"]
                log.debug("%s: failing (%s); retry in %s", source, error, _fmt_secs(entry["retry_in"]))
            else:
                assert poll is not None
                entry.update(failures=0, last_error=None, retry_in=None, retry_at=None, last_ok=_now_iso())
                if poll.etag is not None:
                    entry["etag"] = poll.etag
                if poll.last_modified is not None:
                    entry["last_modified"] = poll.last_modified
                seen = list(entry.get("seen") or ())
                for key, doc in poll.new:
                    seen.append(key)
                    (docs if isinstance(doc, RawDoc) else rejects).append(doc)  # type: ignore[arg-type]
                entry["seen"] = seen[-SEEN_MAX:]
                docs += self.retry_pages(source, entry, poll.new)
                self.due[source] = self.clock() + self.every
            updates[source] = entry
        if docs or rejects:
            self.on_batch(docs, rejects)   # state is saved only after the batch is accepted
        for source, entry in updates.items():
            self.state[source] = entry
        delay = max(0.0, min(self.due.values()) - self.clock()) if self.due else self.every
        self._log(n, len(polled), len(docs), delay)
        return delay

    def retry_pages(self, source: str, entry: dict[str, Any], new: list[tuple[str, RawDoc | Reject]]) -> list[RawDoc]:
        """Keep the entries ``new`` stored as summaries whose page may come later, and ask again for the
        pages of the waiting entries that are due: each page fetched now, as the RawDoc that replaces its
        summary (same article id). ``entry["pending"]`` is updated."""
        now = self.wall()
        pending = dict(entry.get("pending") or {})
        for key, doc in new:
            if isinstance(doc, RawDoc) and doc.extra.get("summary_retry") and doc.url:
                pending[key] = {"id": stable_id(doc), "link": doc.url, "source": doc.source, "title": doc.title,
                                "byline": doc.byline, "published": doc.published.isoformat() if doc.published else None,
                                "extra": {k: v for k, v in doc.extra.items() if k not in _SUMMARY_KEYS},
                                "tries": 1, "retry_at": _iso(now + self.backoff(1))}
        pages = []
        due = [key for key, wait in pending.items() if (at := _epoch(wait.get("retry_at"))) is None or at <= now]
        for key in due[:PAGES_PER_CYCLE]:
            wait = pending[key]
            doc, why, again = fetch_linked(wait["link"], self.settings)
            tries = int(wait.get("tries") or 1) + 1
            if doc is not None:
                pages.append(_page_doc(doc, wait, tries))
                del pending[key]
            elif not again or tries > LINKED_RETRIES:
                log.info("%s: %s stays a summary after %d tries (%s)", source, wait["link"], tries, why)
                del pending[key]
            else:
                pending[key] = {**wait, "tries": tries, "retry_at": _iso(now + self.backoff(tries)), "last_error": why}
        entry["pending"] = dict(list(pending.items())[-PENDING_MAX:])
        return pages

    def _log(self, n: int, polled: int, new: int, delay: float) -> None:
        failing = [(s, (self.state.get(s) or {}).get("last_error")) for s in self.sources
                   if int((self.state.get(s) or {}).get("failures") or 0) > 0]
        detail = ""
        if failing:
            shown = "; ".join(f"{s}: {str(e).split('; ')[0]}" for s, e in failing[:3])
            more = f"; +{len(failing) - 3} more" if len(failing) > 3 else ""
            detail = f" ({shown}{more})"
        line = (f"cycle {n}: {polled} source{'' if polled == 1 else 's'}, {new} new, {len(failing)} failing{detail}, "
                f"next in {_fmt_secs(delay)}")
        if self.report is not None:
            self.report(line)
            log.debug("%s", line)
        else:
            log.info("%s", line)


def _page_doc(doc: RawDoc, wait: dict[str, Any], tries: int) -> RawDoc:
    """The page of a feed entry stored as its summary, as the RawDoc that replaces it: the summary's
    article id, source and entry fields; ``extra`` says it came through the feed, after ``tries`` tries."""
    doc.id = wait["id"]
    doc.source = wait["source"]
    doc.title = wait.get("title")
    doc.byline = wait.get("byline")
    doc.published = dt.date.fromisoformat(wait["published"]) if wait.get("published") else None
    doc.extra = {**doc.extra, **(wait.get("extra") or {}), "via_feed": True, "page_tries": tries}
    return doc


@dataclass
class _Signals:
    """SIGINT/SIGTERM set the stop event while watch runs in the main thread."""

    stop: threading.Event
    previous: dict[int, Any] = field(default_factory=dict)

    def __enter__(self) -> "_Signals":
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self.previous[sig] = signal.signal(sig, self._handle)
        return self

    def _handle(self, signum: int, frame: Any) -> None:
        log.info("received signal %d; stopping after the current source", signum)
        self.stop.set()

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)


def _waiter(stop: threading.Event, sleep: Callable[[float], None] | None) -> Callable[[float], None]:
    def wait(seconds: float) -> None:
        if sleep is not None:
            sleep(seconds)
            return
        end = time.monotonic() + seconds
        while not stop.is_set():
            left = end - time.monotonic()
            if left <= 0:
                return
            stop.wait(min(left, WAIT_SLICE))
    return wait


def watch(sources: list[str], every: float | str, on_batch: Callable[[list[RawDoc], list[Reject]], None],
          state: MutableMapping[str, dict], settings: Settings | None = None,
          stop: threading.Event | None = None, max_cycles: int | None = None,
          clock: Callable[[], float] = time.monotonic,
          sleep: Callable[[float], None] | None = None,
          report: Callable[[str], None] | None = None, wall: Callable[[], float] = time.time) -> None:
    """Poll ``sources`` (feed/page URLs, files, directories) every ``every`` seconds (or an
    interval string such as "15m") and call ``on_batch(new_docs, rejects)`` once per cycle that
    found something new. Failing sources back off exponentially (up to
    ``settings.watch_backoff_max``) while the others keep being polled; a source's first failure
    is passed on as a Reject; a source still backing off when an earlier watch stopped (its state's
    ``retry_at``, read against ``wall``, the clock of the epoch) waits out its back-off first. Pages and
    feeds are fetched only where robots.txt allows (``obey_robots``). Logs one info line per cycle. Returns when ``stop`` is set, on
    SIGINT/SIGTERM (handlers installed only in the main thread) or after ``max_cycles`` cycles.
    ``report``, when given, receives that line instead of the log (the CLI prints it).
    ``clock``/``sleep`` are injectable for tests (``sleep`` replaces the stop-aware wait).
    Exceptions raised by ``on_batch`` propagate; that cycle's state is then not saved.
    """
    seconds = parse_interval(every)
    if not sources:
        raise InvalidRequest("watch needs at least one source (feed or page URL, file or directory)")
    if max_cycles is not None and max_cycles < 1:
        raise InvalidRequest(f"max_cycles must be at least 1 or None, got {max_cycles}")
    stop = stop or threading.Event()
    watcher = _Watcher(list(sources), seconds, on_batch, state, settings or Settings(), clock, report, wall)
    wait = _waiter(stop, sleep)
    with _Signals(stop):
        n = 0
        while not stop.is_set():
            n += 1
            delay = watcher.cycle(n, stop)
            if max_cycles is not None and n >= max_cycles:
                break
            wait(delay)
    log.info("watch stopped after %d cycle(s)", n)

