"""Rebuild ``warc/demo.warc.gz`` from the readable HTML bodies in ``warc/src/``.

Everything here is fictional demo material for scamtrace (see README.md). The output is
deterministic: fixed WARC-Date and WARC-Record-ID values, fixed HTTP headers, and warcio's
per-record gzip members carry no timestamp, so rerunning the script yields identical bytes.

Usage::

    python examples/demo/make_warc.py            # writes examples/demo/warc/demo.warc.gz
    python examples/demo/make_warc.py --check    # exit 1 if the committed file is stale
"""
from __future__ import annotations

import argparse
import hashlib
import io
import sys
from dataclasses import dataclass
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent
SRC_DIR = HERE / "warc" / "src"
OUT = HERE / "warc" / "demo.warc.gz"


@dataclass(frozen=True, slots=True)
class Capture:
    """One captured page: its source file stem, URL, capture time and fixed record ids."""

    stem: str
    url: str
    warc_date: str        # ISO 8601 UTC, as WARC/1.1 wants it
    http_date: str        # RFC 7231 Date header of the response
    response_id: str      # urn:uuid of the response record
    request_id: str | None = None   # urn:uuid of a request record written before it, if any


CAPTURES: tuple[Capture, ...] = (
    Capture("salweenherald-inside-golden-lotus",
            "https://salweenherald.example/news/2025/03/04/inside-golden-lotus-park",
            "2025-03-04T14:02:11Z", "Tue, 04 Mar 2025 14:02:11 GMT",
            "<urn:uuid:5c0e1a52-7d3b-4f1e-9a61-000000000001>",
            request_id="<urn:uuid:5c0e1a52-7d3b-4f1e-9a61-000000000000>"),
    Capture("easterngazette-612-flown-home",
            "https://easterngazette.example/asia/2025/03/12/first-612-chinese-flown-home",
            "2025-03-12T09:45:30Z", "Wed, 12 Mar 2025 09:45:30 GMT",
            "<urn:uuid:5c0e1a52-7d3b-4f1e-9a61-000000000002>"),
    Capture("aseanbeat-warrants-truncated",
            "https://aseanbeat.example/2025/05/20/thai-court-warrants-golden-lotus",
            "2025-05-20T11:20:05Z", "Tue, 20 May 2025 11:20:05 GMT",
            "<urn:uuid:5c0e1a52-7d3b-4f1e-9a61-000000000003>"),
)


def _request_record(writer: WARCWriter, cap: Capture):
    """A GET request record as a crawler would have sent it."""
    host = cap.url.split("/")[2]
    path = "/" + cap.url.split("/", 3)[3]
    headers = StatusAndHeaders(f"GET {path} HTTP/1.1", [
        ("Host", host),
        ("User-Agent", "scamtrace-demo-crawler/1.0 (+https://scamtrace.example/bot)"),
        ("Accept", "text/html,application/xhtml+xml"),
        ("Accept-Language", "en"),
    ], is_http_request=True)
    return writer.create_warc_record(cap.url, "request", payload=io.BytesIO(b""), http_headers=headers,
                                     warc_headers_dict={"WARC-Date": cap.warc_date,
                                                        "WARC-Record-ID": cap.request_id,
                                                        "WARC-Concurrent-To": cap.response_id})


def _response_record(writer: WARCWriter, cap: Capture):
    """An HTTP 200 response record carrying the page from ``warc/src/<stem>.html``."""
    body = (SRC_DIR / f"{cap.stem}.html").read_bytes()
    headers = StatusAndHeaders("200 OK", [
        ("Date", cap.http_date),
        ("Server", "nginx"),
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "max-age=300"),
    ], protocol="HTTP/1.1")
    return writer.create_warc_record(cap.url, "response", payload=io.BytesIO(body), http_headers=headers,
                                     warc_headers_dict={"WARC-Date": cap.warc_date,
                                                        "WARC-Record-ID": cap.response_id})


def build() -> bytes:
    """Return the bytes of the WARC file (gzip member per record)."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True, warc_version="1.1")
    for cap in CAPTURES:
        if cap.request_id:
            writer.write_record(_request_record(writer, cap))
        writer.write_record(_response_record(writer, cap))
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the committed WARC is up to date")
    args = parser.parse_args(argv)
    data = build()
    if args.check:
        current = OUT.read_bytes() if OUT.exists() else b""
        if current != data:
            sys.stderr.write(f"{OUT} is stale: run python {Path(__file__).name}\n")
            return 1
        return 0
    OUT.write_bytes(data)
    sys.stdout.write(f"wrote {OUT} ({len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()[:16]})\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
