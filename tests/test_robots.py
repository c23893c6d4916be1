"""robots.txt (``ingest.robots-v2``) against loopback servers the tests start: what ``watch`` polls and
the pages feed entries link to are fetched only where the site allows; a URL given to ``ingest`` is
fetched as asked."""
from __future__ import annotations

import pytest

from scamtrace.errors import FetchError, RobotsDisallowed
from scamtrace.ingest import iter_sources, watch
from scamtrace.ingest.robots import (CRAWL_DELAY_MAX, ROBOTS_RETRY_AFTER, ROBOTS_TTL, RobotsCache, product_token,
                                     robots_url)
from scamtrace.model import RawDoc, Reject
from scamtrace.settings import Settings
from test_ingest_server import LoopbackServer, send, static

PARA = ("Officials said the raid on the compound freed more than two hundred workers who had been "
        "forced to run online fraud schemes for months.")
PAGE = f"<html><body><article><p>{PARA}</p><p>{PARA}</p></article></body></html>".encode()
ROBOTS = (b"User-agent: *\nDisallow: /\n\n"
          b"User-agent: scamtrace\nDisallow: /private/\nAllow: /private/open\n")
QUICK = Settings(fetch_timeout=2, fetch_retries=0)

pytestmark = pytest.mark.network


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_product_token_and_robots_address() -> None:
    assert product_token("scamtrace/0.1 (+https://example.invalid/x; research crawler)") == "scamtrace"
    assert product_token("MyBot") == "mybot" and product_token("") == "*"
    assert robots_url("HTTP://News.Example:8080/a/b?c=1#f") == "http://news.example:8080/robots.txt"


def test_rules_for_our_group_longest_match_and_cache() -> None:
    clock = Clock()
    cache = RobotsCache(clock)
    with LoopbackServer() as srv:
        srv.routes["/robots.txt"] = static(ROBOTS, "text/plain")
        cache.check(srv.url("/news/1"), QUICK)            # our group: only /private/ is closed
        cache.check(srv.url("/private/open/2"), QUICK)    # the longer Allow wins
        with pytest.raises(RobotsDisallowed, match=r"robots\.txt disallows this page for 'scamtrace'"):
            cache.check(srv.url("/private/3"), QUICK)
        # another user agent falls under "*", which closes everything
        with pytest.raises(RobotsDisallowed, match="'otherbot'"):
            cache.check(srv.url("/news/1"), Settings(fetch_timeout=2, fetch_retries=0, user_agent="OtherBot/2"))
        assert srv.hits("/robots.txt") == 1                 # one read per origin while it is fresh
        clock.now += ROBOTS_TTL + 1
        srv.routes["/robots.txt"] = static(b"User-agent: *\nAllow: /\n", "text/plain")
        cache.check(srv.url("/private/3"), QUICK)           # read again after a day: now open
        assert srv.hits("/robots.txt") == 2
        cache.check(srv.url("/private/3"), Settings(obey_robots=False))   # off: not even asked
        assert srv.hits("/robots.txt") == 2


def test_missing_robots_allows_and_a_failing_one_disallows_until_asked_again() -> None:
    clock = Clock()
    cache = RobotsCache(clock)
    with LoopbackServer() as srv:
        cache.check(srv.url("/a"), QUICK)                   # 404: no rules, everything allowed
        down = {"on": True}

        def robots(h) -> None:  # noqa: ANN001
            if down["on"]:
                send(h, 503, b"busy", "text/plain")
            else:
                send(h, 200, b"User-agent: *\nDisallow:\n", "text/plain")
        with LoopbackServer() as other:
            other.routes["/robots.txt"] = robots
            with pytest.raises(FetchError, match=r"robots\.txt could not be read \(HTTP 503"):
                cache.check(other.url("/a"), QUICK)
            with pytest.raises(FetchError):                 # remembered: not asked once per page
                cache.check(other.url("/b"), QUICK)
            assert other.hits("/robots.txt") == 1
            down["on"] = False
            clock.now += ROBOTS_RETRY_AFTER + 1
            cache.check(other.url("/b"), QUICK)
            assert other.hits("/robots.txt") == 2


def test_feed_entries_linked_pages_obey_robots_but_a_given_url_is_fetched() -> None:
    with LoopbackServer() as srv:
        srv.routes["/robots.txt"] = static(ROBOTS, "text/plain")
        rss = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
               f'<item><title>Open</title><link>{srv.url("/news/open")}</link><guid>o1</guid>'
               f"<description>A teaser.</description></item>"
               f'<item><title>Closed</title><link>{srv.url("/private/closed")}</link><guid>c1</guid>'
               f"<description>Another teaser.</description></item></channel></rss>").encode()
        srv.routes["/feed"] = static(rss, "application/rss+xml")
        srv.routes["/news/open"] = static(PAGE)
        srv.routes["/private/closed"] = static(PAGE)
        srv.routes["/private/given"] = static(PAGE)
        opened, closed = list(iter_sources([srv.url("/feed")], QUICK))
        assert isinstance(opened, RawDoc) and opened.extra.get("via_feed")
        assert isinstance(closed, RawDoc) and closed.extra["summary_only"] is True
        assert "disallows this page" in closed.extra["summary_reason"]
        assert srv.hits("/private/closed") == 0
        given, = list(iter_sources([srv.url("/private/given")], QUICK))   # the user asked for it
        assert isinstance(given, RawDoc) and srv.hits("/private/given") == 1


def test_watch_does_not_poll_a_disallowed_page_and_says_why() -> None:
    state: dict[str, dict] = {}
    got: list[tuple[list[RawDoc], list[Reject]]] = []
    with LoopbackServer() as srv:
        srv.routes["/robots.txt"] = static(ROBOTS, "text/plain")
        srv.routes["/private/page"] = static(PAGE)
        srv.routes["/news/page"] = static(PAGE)
        closed, opened = srv.url("/private/page"), srv.url("/news/page")
        watch([closed, opened], 60, lambda d, r: got.append((d, r)), state, QUICK, max_cycles=1,
              sleep=lambda s: None)
        assert srv.hits("/private/page") == 0 and srv.hits("/news/page") == 1
        docs, rejects = got[0]
        assert [d.url for d in docs] == [opened]
        assert len(rejects) == 1 and rejects[0].source == closed and "robots.txt disallows" in rejects[0].reason
        assert state[closed]["failures"] == 1 and state[closed]["retry_at"]


class Sleeper:
    """A ``sleep`` that records each wait and moves the fake clock on by it."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.clock.now += seconds


def test_crawl_delay_spaces_requests_to_one_site_only() -> None:
    clock = Clock()
    sleeper = Sleeper(clock)
    cache = RobotsCache(clock, sleeper)
    with LoopbackServer() as slow, LoopbackServer() as plain:
        slow.routes["/robots.txt"] = static(b"User-agent: scamtrace\nCrawl-delay: 3\nDisallow: /private/\n",
                                            "text/plain")
        cache.check(slow.url("/a"), QUICK)                 # the first request waits for nobody
        assert sleeper.waits == []
        cache.check(slow.url("/b"), QUICK)                 # the next one keeps 3 s after it
        assert sleeper.waits == [3.0]
        clock.now += 1.0                                   # 1 s of work in between: 2 s are left
        cache.check(slow.url("/c"), QUICK)
        assert sleeper.waits == [3.0, 2.0]
        clock.now += 10.0                                  # long enough ago: no wait
        cache.check(slow.url("/d"), QUICK)
        assert sleeper.waits == [3.0, 2.0]
        for _ in range(3):                                 # a site without a delay is never slowed,
            cache.check(plain.url("/x"), QUICK)            # nor held up by the slow one
        assert sleeper.waits == [3.0, 2.0]
        with pytest.raises(RobotsDisallowed):              # a refused page takes no turn
            cache.check(slow.url("/private/1"), QUICK)
        cache.check(slow.url("/e"), Settings(obey_robots=False))    # off: no rules, no pace
        assert sleeper.waits == [3.0, 2.0]


def test_request_rate_the_other_group_and_the_cap() -> None:
    clock = Clock()
    sleeper = Sleeper(clock)
    cache = RobotsCache(clock, sleeper)
    with LoopbackServer() as rate, LoopbackServer() as greedy, LoopbackServer() as other:
        rate.routes["/robots.txt"] = static(b"User-agent: *\nRequest-rate: 1/5\nCrawl-delay: 2\n", "text/plain")
        greedy.routes["/robots.txt"] = static(b"User-agent: *\nCrawl-delay: 86400\n", "text/plain")
        other.routes["/robots.txt"] = static(b"User-agent: otherbot\nCrawl-delay: 30\n", "text/plain")
        cache.check(rate.url("/a"), QUICK)
        cache.check(rate.url("/b"), QUICK)                 # the longer of 1 request / 5 s and 2 s
        assert sleeper.waits == [5.0]
        cache.check(greedy.url("/a"), QUICK)
        cache.check(greedy.url("/b"), QUICK)               # a day between requests is capped
        assert sleeper.waits == [5.0, CRAWL_DELAY_MAX]
        cache.check(other.url("/a"), QUICK)                # another crawler's delay is not ours
        cache.check(other.url("/b"), QUICK)
        assert sleeper.waits == [5.0, CRAWL_DELAY_MAX]
