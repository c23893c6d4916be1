"""robots.txt (RFC 9309) for the pages scamtrace fetches on its own (``ingest.robots-v2``).

What it covers: the URLs ``watch`` polls and the page a feed entry links to when the entry has no full
text (``fetch_linked_pages``), in ``watch`` and in ``ingest`` of a feed alike. A URL a user gives to
``ingest`` is fetched as asked, as a browser would. ``obey_robots`` (on by default) switches it.

Per origin (scheme, host and port), the site's ``/robots.txt`` is fetched once and kept for
:data:`ROBOTS_TTL` seconds (RFC 9309 section 2.4: at most 24 hours). Its answer decides:

* 2xx: the rules are read with protego (Scrapy's parser: groups chosen by product token, longest
  match, ``Allow`` winning a tie, ``*`` and ``$`` patterns); the group is chosen by the first word of
  ``user_agent`` (``scamtrace``), else ``*``. Only the first :data:`ROBOTS_MAX_BYTES` are parsed (section 2.5).
* 4xx (no robots.txt, or refused): everything is allowed (section 2.3.1.3).
* 5xx, 429, a timeout or an unreachable host: everything is disallowed (section 2.3.1.4) and robots.txt
  is asked again after :data:`ROBOTS_RETRY_AFTER` seconds; ``watch`` counts the source as failing
  and backs off.

Redirects are followed by :func:`~scamtrace.ingest.fetch.fetch` (at most five, section 2.3.1.2).

Pace (new in v2): RFC 9309 does not define ``Crawl-delay`` or ``Request-rate``, but many sites state one
and a polite crawler keeps to it. When the group that applies gives either, consecutive requests to that
origin are spaced by it (the longer of the two; ``Request-rate: 1/5`` is 5 seconds), at most
:data:`CRAWL_DELAY_MAX` seconds apart: :meth:`RobotsCache.check` waits for the origin's turn before it
returns. Different origins never wait for each other; a site without a stated delay is not slowed.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlsplit, urlunsplit

from protego import Protego

from ..errors import FetchError, InputError, RobotsDisallowed
from ..settings import Settings
from .fetch import fetch

ROBOTS_ALGORITHM = "ingest.robots-v2"
#: Seconds a fetched robots.txt is used before it is asked again (RFC 9309 section 2.4: no more than 24 h).
ROBOTS_TTL = 86_400.0
#: Seconds before a robots.txt that could not be read (5xx, timeout, unreachable) is asked again; until
#: then the site's pages are not fetched. Short, so a site that was down briefly is read again soon,
#: and long enough that the entries of one feed do not ask a failing site once each.
ROBOTS_RETRY_AFTER = 300.0
#: Bytes of robots.txt parsed (RFC 9309 section 2.5: crawlers must parse at least 500 KiB).
ROBOTS_MAX_BYTES = 512_000
#: Longest wait, in seconds, kept between two requests to one site, whatever its Crawl-delay says: a
#: design bound, not a measured one (a site asking for more still gets at most one request a minute,
#: and a ``watch`` cycle, which fetches at most ``PAGES_PER_CYCLE`` linked pages a source, stays
#: inside 20 minutes for it).
CRAWL_DELAY_MAX = 60.0


@dataclass(frozen=True, slots=True)
class _Rules:
    """One origin's answer: parsed rules, or allow everything / nothing with the reason."""

    parser: Protego | None
    allow_all: bool
    reason: str
    fetched: float

    def delay(self, token: str) -> float:
        """Seconds to keep between requests for ``token``: the group's Crawl-delay or Request-rate
        (the longer), capped at :data:`CRAWL_DELAY_MAX`; 0 when the rules state neither."""
        if self.parser is None:
            return 0.0
        wait = self.parser.crawl_delay(token) or 0.0
        rate = self.parser.request_rate(token)
        if rate is not None and rate.requests > 0:
            wait = max(wait, rate.seconds / rate.requests)
        return min(max(float(wait), 0.0), CRAWL_DELAY_MAX)


def product_token(user_agent: str) -> str:
    """The name robots.txt groups are matched against: the user agent's first word before any ``/``
    (``scamtrace`` for ``scamtrace/0.1 (+https://...)``), lower-cased."""
    word = (user_agent.split() or ["*"])[0]
    return word.split("/", 1)[0].lower() or "*"


def robots_url(url: str) -> str:
    """The robots.txt address of ``url``'s origin."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "/robots.txt", "", ""))


class RobotsCache:
    """The robots.txt rules of every origin asked so far, and when each origin may be asked next
    (thread-safe). ``clock`` and ``sleep`` are injectable for tests."""

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.clock = clock
        self.sleep = sleep
        self._rules: dict[str, _Rules] = {}
        self._next: dict[str, float] = {}     # origin -> earliest time of its next request
        self._lock = threading.Lock()

    def check(self, url: str, settings: Settings) -> None:
        """Return when robots.txt allows ``url`` (or ``obey_robots`` is off), after waiting for the
        origin's turn when its rules state a Crawl-delay or Request-rate; raise
        :class:`~scamtrace.errors.RobotsDisallowed` when it does not allow ``url``, or
        :class:`~scamtrace.errors.FetchError` when robots.txt could not be read."""
        if not settings.obey_robots:
            return
        where = robots_url(url)
        rules = self._rules_for(where, settings)
        token = product_token(str(settings.user_agent))
        if rules.parser is None:
            if rules.allow_all:
                return
            raise FetchError(url, f"{where} could not be read ({rules.reason}), so the site's pages are not "
                                  "fetched (RFC 9309); it is asked again later, or set obey_robots off")
        if not rules.parser.can_fetch(url, token):
            raise RobotsDisallowed(url, f"{where} disallows this page for {token!r}; not fetched "
                                        "(set obey_robots off only with the site's permission)")
        self._wait_turn(where, rules.delay(token))

    def _wait_turn(self, where: str, delay: float) -> None:
        """Reserve the origin's next slot (``delay`` after the last one) and sleep until it comes."""
        if delay <= 0:
            return
        with self._lock:
            now = self.clock()
            at = max(now, self._next.get(where, now))
            self._next[where] = at + delay
        if at > now:
            self.sleep(at - now)

    def _rules_for(self, where: str, settings: Settings) -> _Rules:
        now = self.clock()
        with self._lock:
            got = self._rules.get(where)
        if got is not None and now - got.fetched < (ROBOTS_TTL if got.parser is not None or got.allow_all
                                                    else ROBOTS_RETRY_AFTER):
            return got
        rules = _read(where, settings, now)
        with self._lock:
            self._rules[where] = rules
        return rules


def _read(where: str, settings: Settings, now: float) -> _Rules:
    try:
        res = fetch(where, settings)
    except FetchError as e:
        if e.status is not None and 400 <= e.status < 500:
            return _Rules(None, True, f"HTTP {e.status}: no rules", now)
        return _Rules(None, False, e.reason.split("; ")[0], now)
    except InputError as e:   # refused scheme after a redirect, over max_bytes
        return _Rules(None, False, e.reason.split("; ")[0], now)
    text = res.body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
    return _Rules(Protego.parse(text), False, "", now)


#: The process's cache (watch and ingest share it).
ROBOTS = RobotsCache()


def check_robots(url: str, settings: Settings) -> None:
    """:meth:`RobotsCache.check` on the process's cache (it may wait for the site's Crawl-delay)."""
    ROBOTS.check(url, settings)
