"""URL fetching and URL ingestion against a loopback server the tests start (no network)."""
from __future__ import annotations

import gzip
from http.server import BaseHTTPRequestHandler

import pytest

from scamtrace.errors import FetchError, InputTooLarge, UnsupportedInput
from scamtrace.ingest import fetch, iter_sources
from scamtrace.model import RawDoc, Reject
from scamtrace.settings import Settings
from test_ingest_server import LoopbackServer, drop_connection, redirect, send, slow, static

PARA = ("Police in the border town said on Tuesday that they had freed dozens of workers from a "
        "compound where people were forced to run online fraud schemes.")
PAGE = f"<html><body><article><p>{PARA}</p><p>{PARA}</p></article></body></html>".encode()
QUICK = Settings(fetch_timeout=2, fetch_retries=0)

pytestmark = pytest.mark.network


@pytest.fixture()
def srv():
    with LoopbackServer() as s:
        yield s


def test_fetch_sends_user_agent_and_returns_body_headers(srv: LoopbackServer) -> None:
    srv.routes["/a"] = static(PAGE, headers={"ETag": '"v1"', "Last-Modified": "Sat, 02 Nov 2024 08:00:00 GMT"})
    res = fetch(srv.url("/a"), Settings(user_agent="scamtrace-test/9"))
    assert (res.status, res.body, res.url, res.etag, res.not_modified) == (200, PAGE, srv.url("/a"), '"v1"', False)
    assert res.last_modified == "Sat, 02 Nov 2024 08:00:00 GMT" and res.content_type == "text/html"
    assert res.charset == "utf-8"
    assert srv.headers_for("/a")[0]["user-agent"] == "scamtrace-test/9"


def test_fetch_conditional_request_gets_304(srv: LoopbackServer) -> None:
    def route(h: BaseHTTPRequestHandler) -> None:
        if h.headers.get("If-None-Match") == '"v1"':
            send(h, 304, b"", "text/html", {"ETag": '"v1"'})
        else:
            send(h, 200, PAGE, "text/html", {"ETag": '"v1"'})
    srv.routes["/c"] = route
    res = fetch(srv.url("/c"), QUICK, etag='"v1"', last_modified="Sat, 02 Nov 2024 08:00:00 GMT")
    assert res.not_modified and res.status == 304 and res.body == b"" and res.etag == '"v1"'
    sent = srv.headers_for("/c")[0]
    assert sent["if-none-match"] == '"v1"' and sent["if-modified-since"] == "Sat, 02 Nov 2024 08:00:00 GMT"


def test_fetch_timeout_on_slow_handler(srv: LoopbackServer) -> None:
    srv.routes["/slow"] = slow(3.0)
    with pytest.raises(FetchError, match="timed out after 0.5s"):
        fetch(srv.url("/slow"), Settings(fetch_timeout=0.5, fetch_retries=0))


def test_fetch_retries_5xx_then_succeeds(srv: LoopbackServer) -> None:
    calls = {"n": 0}

    def flaky(h: BaseHTTPRequestHandler) -> None:
        calls["n"] += 1
        if calls["n"] < 3:
            send(h, 503, b"busy", "text/plain")
        else:
            send(h, 200, PAGE, "text/html")
    srv.routes["/flaky"] = flaky
    waits: list[float] = []
    res = fetch(srv.url("/flaky"), Settings(fetch_retries=2, fetch_timeout=2), sleep=waits.append)
    assert res.body == PAGE and calls["n"] == 3
    assert len(waits) == 2 and waits[1] == 2 * waits[0]


def test_fetch_gives_up_after_retries_and_4xx_is_not_retried(srv: LoopbackServer) -> None:
    srv.routes["/down"] = static(b"oops", "text/plain", status=500)
    srv.routes["/gone"] = static(b"gone", "text/plain", status=404)
    with pytest.raises(FetchError, match=r"HTTP 500.*2 attempts"):
        fetch(srv.url("/down"), Settings(fetch_retries=1, fetch_timeout=2), sleep=lambda s: None)
    assert srv.hits("/down") == 2
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(srv.url("/gone"), Settings(fetch_retries=3, fetch_timeout=2), sleep=lambda s: None)
    assert srv.hits("/gone") == 1


def test_fetch_dropped_connection_is_a_fetch_error(srv: LoopbackServer) -> None:
    srv.routes["/drop"] = drop_connection
    with pytest.raises(FetchError, match="connection"):
        fetch(srv.url("/drop"), QUICK)


def test_size_cap_by_content_length_and_while_streaming(srv: LoopbackServer) -> None:
    big = b"<p>" + b"x" * 5000 + b"</p>"
    srv.routes["/big"] = static(big)

    def no_length(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Connection", "close")
        h.end_headers()
        h.wfile.write(big)
        h.close_connection = True
    srv.routes["/stream"] = no_length
    for path in ("/big", "/stream"):
        with pytest.raises(InputTooLarge, match="max_bytes cap of 1,000"):
            fetch(srv.url(path), Settings(max_bytes=1000, fetch_retries=0))


def test_gzip_content_encoding_is_decoded(srv: LoopbackServer) -> None:
    srv.routes["/gz"] = static(gzip.compress(PAGE), headers={"Content-Encoding": "gzip"})
    assert fetch(srv.url("/gz"), QUICK).body == PAGE


def test_redirects_followed_up_to_five(srv: LoopbackServer) -> None:
    for i in range(6):
        srv.routes[f"/r{i}"] = redirect(f"/r{i + 1}")
    srv.routes["/r6"] = static(PAGE)
    res = fetch(srv.url("/r1"), QUICK)
    assert res.url == srv.url("/r6") and res.body == PAGE and len(res.redirects) == 5
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch(srv.url("/r0"), QUICK)


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/x", "javascript:alert(1)"])
def test_redirect_to_non_http_scheme_is_refused(srv: LoopbackServer, target: str) -> None:
    srv.routes["/evil"] = redirect(target)
    with pytest.raises(UnsupportedInput, match="only http\\(s\\) redirects"):
        fetch(srv.url("/evil"), QUICK)
    [rej] = list(iter_sources([srv.url("/evil")], QUICK))
    assert isinstance(rej, Reject) and rej.reason.startswith(srv.url("/evil")) and "refused" in rej.reason


def test_fetch_refuses_non_http_scheme_up_front() -> None:
    with pytest.raises(UnsupportedInput, match="file:"):
        fetch("file:///etc/passwd", QUICK)


def test_url_ingestion_html_text_feed_and_unsupported(srv: LoopbackServer) -> None:
    rss = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
           f'<item><title>Summary only</title><link>{srv.url("/story")}</link><guid>s1</guid>'
           f"<description>A short teaser.</description></item>"
           f'<item><title>Dead link</title><link>{srv.url("/missing")}</link><guid>s2</guid>'
           f"<description>Another teaser.</description></item></channel></rss>").encode()
    srv.routes["/page"] = static(PAGE)
    srv.routes["/plain"] = static(PARA.encode("utf-16"), "text/plain; charset=utf-16")
    srv.routes["/feed"] = static(rss, "application/rss+xml")
    srv.routes["/feed-as-text-xml"] = static(rss, "text/xml")
    srv.routes["/story"] = static(PAGE)
    srv.routes["/doc.pdf"] = static(b"%PDF-1.4 binary", "application/pdf")
    out = list(iter_sources([srv.url(p) for p in ("/page", "/plain", "/feed", "/doc.pdf")],
                            Settings(fetch_timeout=2, fetch_retries=0)))
    page, plain, linked, summary, pdf = out
    assert isinstance(page, RawDoc) and page.fmt == "html" and page.url == srv.url("/page")
    assert isinstance(plain, RawDoc) and plain.fmt == "text" and plain.body == PARA
    assert isinstance(linked, RawDoc) and linked.body == PAGE.decode() and linked.title == "Summary only"
    assert linked.extra.get("via_feed") and not linked.extra.get("summary_only")
    assert isinstance(summary, RawDoc) and summary.extra["summary_only"] is True and "HTTP 404" in summary.extra["summary_reason"]
    assert isinstance(pdf, Reject) and "unsupported content type application/pdf" in pdf.reason
    off = list(iter_sources([srv.url("/feed-as-text-xml")], Settings(fetch_linked_pages=False, fetch_retries=0)))
    assert [d.extra["summary_only"] for d in off] == [True, True]


def test_unreachable_url_is_a_reject() -> None:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()   # nothing listens there now
    [rej] = list(iter_sources([f"http://127.0.0.1:{port}/x"], QUICK))
    assert isinstance(rej, Reject) and rej.reason.startswith(f"http://127.0.0.1:{port}/x: ")


@pytest.mark.parametrize("url,fragment", [
    ("http://[::1", "malformed URL"),
    ("http://exa mple.com/", "spaces or control characters"),
    ("http://127.0.0.1:99999/", "Port out of range"),
    ("http:///path", "no host"),
    ("http://user:pw@127.0.0.1:1/", "credentials"),
])
def test_malformed_urls_are_rejected_not_raised(url: str, fragment: str) -> None:
    [rej] = list(iter_sources([url], QUICK))
    assert isinstance(rej, Reject) and fragment in rej.reason


def test_redirect_to_malformed_location_is_a_reject(srv: LoopbackServer) -> None:
    srv.routes["/bad"] = redirect("http://[::1")
    [rej] = list(iter_sources([srv.url("/bad")], QUICK))
    assert isinstance(rej, Reject) and "malformed" in rej.reason


def test_relative_entry_links_resolve_against_the_feed_url(srv: LoopbackServer) -> None:
    rss = ('<rss version="2.0"><channel><title>T</title><item><title>Rel</title><link>/story</link>'
           "<guid>r1</guid><description>teaser</description></item></channel></rss>").encode()
    srv.routes["/feeds/main.xml"] = static(rss, "application/rss+xml")
    srv.routes["/story"] = static(PAGE)
    [doc] = list(iter_sources([srv.url("/feeds/main.xml")], QUICK))
    assert isinstance(doc, RawDoc) and doc.url == srv.url("/story") and doc.body == PAGE.decode()
