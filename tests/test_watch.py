"""``watch`` against a loopback feed server the test changes, breaks and repairs."""
from __future__ import annotations

import hashlib
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from scamtrace.ingest import parse_interval, watch
from scamtrace.model import RawDoc, Reject
from scamtrace.settings import Settings
from test_ingest_server import LoopbackServer, drop_connection, send, static

PARA = ("Workers freed from the compound told investigators they had been made to run fraud "
        "schemes for up to sixteen hours a day.")
PAGE = f"<html><body><p>{PARA}</p><p>{PARA}</p></body></html>".encode()

pytestmark = pytest.mark.network


class FakeClock:
    """Monotonic time that only moves when watch sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class FeedSite:
    """A feed whose entries and health the test controls; answers 304 to a matching ETag."""

    def __init__(self) -> None:
        self.entries: list[str] = []
        self.mode = "ok"          # ok | 500 | drop

    def xml(self) -> bytes:
        items = "".join(f"<item><title>{g}</title><link>https://n.example/{g}</link><guid>{g}</guid>"
                        f"<content:encoded><![CDATA[<p>{g}: {PARA}</p>]]></content:encoded></item>"
                        for g in self.entries)
        return ('<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
                f"<channel><title>Watched</title>{items}</channel></rss>").encode()

    def __call__(self, h: BaseHTTPRequestHandler) -> None:
        if self.mode == "500":
            send(h, 500, b"down", "text/plain")
            return
        if self.mode == "drop":
            drop_connection(h)
            return
        body = self.xml()
        etag = '"' + hashlib.sha1(body).hexdigest()[:12] + '"'
        if h.headers.get("If-None-Match") == etag:
            send(h, 304, b"", "application/rss+xml", {"ETag": etag})
        else:
            send(h, 200, body, "application/rss+xml", {"ETag": etag})


def test_parse_interval() -> None:
    assert [parse_interval(x) for x in ("15m", "1h", "30s", "900", "2.5m", "1d", " 10 S ")] == [
        900, 3600, 30, 900, 150, 86400, 10]
    assert parse_interval(45) == 45.0
    for bad in ("", "fast", "-5", "0", "10w", "1h30m"):
        with pytest.raises(ValueError, match="30s, 15m, 1h|positive"):
            parse_interval(bad)


def test_watch_passes_only_new_entries_uses_304_backs_off_and_recovers(caplog: pytest.LogCaptureFixture) -> None:
    site = FeedSite()
    site.entries = ["e1", "e2"]
    clock = FakeClock()
    state: dict[str, dict] = {}
    batches: list[tuple[list[RawDoc], list[Reject]]] = []
    settings = Settings(fetch_retries=0, fetch_timeout=2, watch_backoff_max=80, fetch_linked_pages=False)
    with LoopbackServer() as srv, caplog.at_level(logging.INFO, logger="scamtrace.ingest.watch"):
        srv.routes["/feed"] = site
        srv.routes["/page"] = static(PAGE)
        feed, page = srv.url("/feed"), srv.url("/page")

        def run(cycles: int) -> None:
            watch([feed, page], 10, lambda d, r: batches.append((d, r)), state, settings,
                  max_cycles=cycles, clock=clock, sleep=clock.sleep, wall=clock)

        run(1)    # first poll: everything is new
        assert sorted(d.extra.get("entry_id") or d.source for d in batches[-1][0]) == ["e1", "e2", page]
        assert "cycle 1: 2 sources, 3 new, 0 failing, next in 10s" in caplog.text

        site.entries = ["e3", "e1", "e2"]
        n = len(batches)
        run(1)    # a new entry appears: only it is passed on; the unchanged page is not
        assert len(batches) == n + 1 and [d.extra["entry_id"] for d in batches[-1][0]] == ["e3"]

        n = len(batches)
        run(1)    # nothing changed: 304 to the conditional request, no batch
        assert len(batches) == n
        last = srv.headers_for("/feed")[-1]
        assert last.get("if-none-match") == state[feed]["etag"]

        site.mode = "500"
        feed_hits, page_hits = srv.hits("/feed"), srv.hits("/page")
        run(12)   # feed broken: backoff doubles (20, 40, 80, 80 cap) while the page keeps being polled
        assert state[feed]["failures"] >= 3
        assert state[feed]["retry_in"] == 80
        feed_polls = srv.hits("/feed") - feed_hits
        page_polls = srv.hits("/page") - page_hits
        assert page_polls == 12 and feed_polls < page_polls / 2
        failing_rejects = [r for _, rs in batches for r in rs]
        assert len(failing_rejects) == 1 and "HTTP 500" in failing_rejects[0].reason
        assert "1 failing (" + feed + ": HTTP 500" in caplog.text

        site.mode = "drop"
        feed_hits = srv.hits("/feed")
        run(1)    # a restart keeps the feed's back-off (state's retry_at): it is not asked again at once
        assert srv.hits("/feed") == feed_hits and state[feed]["retry_at"]
        clock.now += 100   # past the back-off
        run(3)
        assert "connection" in state[feed]["last_error"]

        site.mode = "ok"
        site.entries = ["e4", "e3", "e1", "e2"]
        n = len(batches)
        clock.now += 100   # past any backoff
        run(1)
        assert state[feed]["failures"] == 0 and state[feed]["last_error"] is None
        assert [d.extra["entry_id"] for d in batches[-1][0]] == ["e4"]
        assert len(batches) == n + 1


def test_watch_state_survives_a_restart_and_is_written_back_whole(tmp_path: Path) -> None:
    class Recording(dict):
        writes = 0

        def __setitem__(self, k: str, v: dict) -> None:
            Recording.writes += 1
            super().__setitem__(k, v)

    site = FeedSite()
    site.entries = ["a", "b"]
    state = Recording()
    seen: list[str] = []
    with LoopbackServer() as srv:
        srv.routes["/feed"] = site
        clock = FakeClock()
        for _ in range(2):   # two separate runs sharing the state mapping
            watch([srv.url("/feed")], "1m", lambda d, r: seen.extend(x.extra["entry_id"] for x in d), state,
                  Settings(fetch_retries=0, fetch_linked_pages=False), max_cycles=1, clock=clock, sleep=clock.sleep)
    assert seen == ["a", "b"] and Recording.writes == 2
    assert set(state[srv.url("/feed")]["seen"]) == {"a", "b"}


def test_watch_local_directory_passes_new_files(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(PARA * 2)
    got: list[list[str]] = []
    clock = FakeClock()
    state: dict[str, dict] = {}

    def cycle() -> None:
        watch([str(tmp_path)], 5, lambda d, r: got.append([Path(x.source).name for x in d]), state,
              max_cycles=1, clock=clock, sleep=clock.sleep)

    cycle()
    (tmp_path / "two.txt").write_text(PARA * 3)
    cycle()
    cycle()
    assert got == [["one.txt"], ["two.txt"]]


def test_watch_stops_on_event_from_another_thread() -> None:
    stop = threading.Event()
    cycles: list[int] = []
    with LoopbackServer() as srv:
        srv.routes["/page"] = static(PAGE)
        t = threading.Thread(target=watch, args=([srv.url("/page")], 0.05, lambda d, r: cycles.append(1), {}),
                             kwargs={"settings": Settings(fetch_retries=0), "stop": stop})
        t.start()
        for _ in range(500):   # the first cycle fetches a loopback page; bounded so a bug cannot hang
            if cycles or not t.is_alive():
                break
            t.join(0.02)
        assert cycles
        stop.set()
        t.join(10)
        assert not t.is_alive()


def test_watch_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="interval"):
        watch(["http://127.0.0.1:1/"], "soon", lambda d, r: None, {}, max_cycles=1)
    with pytest.raises(ValueError, match="at least one source"):
        watch([], 10, lambda d, r: None, {}, max_cycles=1)


def test_watch_stops_cleanly_on_sigterm_in_main_thread(tmp_path: Path) -> None:
    import os
    import signal

    (tmp_path / "a.txt").write_text(PARA * 2)
    before = signal.getsignal(signal.SIGTERM)
    batches: list[int] = []

    def sleep(seconds: float) -> None:
        os.kill(os.getpid(), signal.SIGTERM)   # the handler watch installed sets its stop event

    watch([str(tmp_path)], 5, lambda d, r: batches.append(len(d)), {}, sleep=sleep)
    assert batches == [1]
    assert signal.getsignal(signal.SIGTERM) is before   # the previous handler is restored


def test_a_summary_stored_because_its_page_failed_is_replaced_by_the_page_later(tmp_path: Path) -> None:
    """A feed entry with only a summary whose page answers 503 is stored as the summary and waits in the
    source's ``pending``; once the page answers, the next cycle fetches it and the store replaces the
    summary (same article id, no conflict). A page that answers 404 is not asked for again."""
    from scamtrace.api import open_store
    from scamtrace.api import watch as watch_store

    state = {"page": 503}
    rss_items = ""

    def page(h: BaseHTTPRequestHandler) -> None:
        send(h, state["page"], PAGE if state["page"] == 200 else b"busy", "text/html")

    with LoopbackServer() as srv:
        rss_items = (f'<item><title>Raid</title><link>{srv.url("/story")}</link><guid>g1</guid>'
                     f"<description>A short teaser about the raid on the compound, where police said many workers were held.</description></item>"
                     f'<item><title>Gone</title><link>{srv.url("/gone")}</link><guid>g2</guid>'
                     f"<description>A teaser whose page is gone tells of a second raid on another compound near the river.</description></item>")
        srv.routes["/feed"] = static(f'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>{rss_items}'
                                     "</channel></rss>".encode(), "application/rss+xml")
        srv.routes["/story"] = page
        store = open_store(tmp_path / "w.db")
        # a generous timeout: on a loaded machine a loopback answer can take seconds, and a poll that times
        # out only backs off (it would make the fixed number of cycles below too few)
        settings = Settings(fetch_retries=0, fetch_timeout=30, obey_robots=False)
        feed = srv.url("/feed")
        try:
            watch_store(store, [feed], 0.05, settings, analyze_after=False, max_cycles=1)
            arts = store.list_articles()
            assert len(arts) == 2
            waiting = store.feed_state()[feed]["pending"]
            assert [w["link"] for w in waiting.values()] == [srv.url("/story")]   # not the 404 one
            raid = next(a for a in arts if a["title"] == "Raid")
            assert "teaser" in store.get_article(raid["id"]).text
            state["page"] = 200
            for _ in range(40):   # the page is asked for again once its back-off (2 x every) is over
                watch_store(store, [feed], 0.05, settings, analyze_after=False, max_cycles=1)
                if not store.feed_state()[feed]["pending"]:
                    break
                time.sleep(0.05)
            art = store.get_article(raid["id"])
            assert PARA in art.text and "teaser" not in art.text
            _, _, extra = store.raw_doc(raid["id"])
            assert extra.get("via_feed") and not extra.get("summary_only") and extra["entry_id"] == "g1"
            assert store.conflicts() == [] and store.feed_state()[feed]["pending"] == {}
            assert srv.hits("/gone") == 1 and len(store.list_articles()) == 2
        finally:
            store.close()


def test_waiting_pages_asked_for_at_most_pages_per_cycle() -> None:
    """A source with more waiting pages than PAGES_PER_CYCLE asks for that many in one cycle (each may take
    up to fetch_timeout); the rest wait, still pending, for the next cycle."""
    from scamtrace.ingest.watch import PAGES_PER_CYCLE

    site = FeedSite()
    with LoopbackServer() as srv:
        srv.routes["/feed"] = site
        feed = srv.url("/feed")
        n = PAGES_PER_CYCLE + 5
        for i in range(n):
            srv.routes[f"/p{i}"] = static(b"busy", "text/plain", status=503)
        state: dict[str, dict] = {feed: {"pending": {
            f"k{i}": {"id": f"a{i}", "link": srv.url(f"/p{i}"), "source": f"{feed}#entry{i}", "extra": {},
                      "tries": 1, "retry_at": "1970-01-01T00:00:00+00:00"} for i in range(n)}}}
        watch([feed], 60, lambda d, r: None, state, Settings(fetch_retries=0, fetch_timeout=2, obey_robots=False),
              max_cycles=1, sleep=lambda s: None)
        asked = sum(srv.hits(f"/p{i}") for i in range(n))
        assert asked == PAGES_PER_CYCLE
        waiting = state[feed]["pending"]
        assert len(waiting) == n and sum(w["tries"] == 2 for w in waiting.values()) == PAGES_PER_CYCLE
