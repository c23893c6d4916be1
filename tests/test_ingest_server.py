"""A loopback HTTP server the ingest tests start themselves (127.0.0.1, port chosen by the OS).

Routes map a path to a function ``(handler) -> None`` that writes the whole answer; every
request's path and headers are recorded in ``server.requests``.
"""
from __future__ import annotations

import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

Route = Callable[[BaseHTTPRequestHandler], None]


class LoopbackServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                with outer._lock:
                    outer.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                    route = outer.routes.get(self.path.split("?")[0])
                if route is None:
                    send(self, 404, b"not found", "text/plain")
                    return
                route(self)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> int:
        with self._lock:
            return sum(1 for p, _ in self.requests if p.split("?")[0] == path)

    def headers_for(self, path: str) -> list[dict[str, str]]:
        with self._lock:
            return [h for p, h in self.requests if p.split("?")[0] == path]

    def __enter__(self) -> "LoopbackServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def send(h: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str,
         headers: dict[str, str] | None = None) -> None:
    """Write a complete answer with Content-Length."""
    h.send_response(status)
    h.send_header("Content-Type", ctype)
    h.send_header("Content-Length", str(len(body)))
    for k, v in (headers or {}).items():
        h.send_header(k, v)
    h.end_headers()
    if h.command != "HEAD":
        h.wfile.write(body)


def static(body: bytes, ctype: str = "text/html; charset=utf-8", status: int = 200,
           headers: dict[str, str] | None = None) -> Route:
    return lambda h: send(h, status, body, ctype, headers)


def slow(seconds: float, body: bytes = b"<p>late</p>") -> Route:
    def route(h: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        try:
            send(h, 200, body, "text/html")
        except OSError:
            pass
    return route


def redirect(location: str, status: int = 302) -> Route:
    return lambda h: send(h, status, b"", "text/plain", {"Location": location})


def drop_connection(h: BaseHTTPRequestHandler) -> None:
    """Close the socket without answering."""
    h.close_connection = True
    h.connection.close()


def test_loopback_server_answers_and_records_headers() -> None:
    with LoopbackServer() as srv:
        srv.routes["/x"] = static(b"hello", "text/plain")
        req = urllib.request.Request(srv.url("/x"), headers={"X-Test": "1"})
        with urllib.request.urlopen(req, timeout=5) as resp:
            assert resp.read() == b"hello"
        assert srv.hits("/x") == 1
        assert srv.headers_for("/x")[0]["x-test"] == "1"
