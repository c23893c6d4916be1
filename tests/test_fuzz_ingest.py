"""Fuzz-style tests: random bytes and mangled HTML/XML/WARC/JSONL never make iter_sources raise.

Counts are bounded (hypothesis ``max_examples`` and a seeded RNG) so the run stays short.
"""
from __future__ import annotations

import io
import json
import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scamtrace.ingest import iter_sources, stable_id
from scamtrace.model import RawDoc, Reject
from scamtrace.settings import Settings

OFFLINE = Settings(fetch_linked_pages=False, max_bytes=200_000)
SUFFIXES = ["", ".txt", ".md", ".html", ".htm", ".xml", ".rss", ".atom", ".jsonl", ".json", ".warc",
            ".warc.gz", ".dat", ".html.gz", ".jsonl.gz"]
PARA = "Officials said the compound held hundreds of people who were forced to defraud strangers online. "


def _valid_samples() -> dict[str, bytes]:
    html = f"<html><head><meta charset='utf-8'></head><body><p>{PARA * 3}</p></body></html>".encode()
    rss = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>A</title>'
           f"<link>https://x.example/a</link><guid>a</guid><description>{PARA * 20}</description></item>"
           f"</channel></rss>").encode()
    atom = (f'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><id>1</id><title>A</title>'
            f'<content type="html">&lt;p&gt;{PARA}&lt;/p&gt;</content></entry></feed>').encode()
    jsonl = "\n".join(json.dumps({"id": str(i), "text": PARA * 2, "published": "2024-01-0" + str(i + 1)})
                      for i in range(3)).encode()
    out: dict[str, bytes] = {".html": html, ".rss": rss, ".atom": atom, ".jsonl": jsonl}
    for gz, suffix in ((False, ".warc"), (True, ".warc.gz")):
        buf = io.BytesIO()
        writer = WARCWriter(buf, gzip=gz)
        for i in range(3):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(html)))],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://w.example/{i}", "response",
                                                          payload=io.BytesIO(html), http_headers=headers))
        out[suffix] = buf.getvalue()
    return out


VALID = _valid_samples()


def _ingest(name: str, data: bytes) -> list[RawDoc | Reject]:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / name
        path.write_bytes(data)
        out = list(iter_sources([str(path)], OFFLINE))
    for x in out:
        assert isinstance(x, (RawDoc, Reject)), type(x)
        if isinstance(x, Reject):
            assert x.reason and "\n" not in x.reason
        else:
            assert isinstance(x.body, str) and x.fmt in ("text", "html")
            stable_id(x)
    return out


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=4096), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_never_raise(data: bytes, suffix: str) -> None:
    _ingest("input" + suffix, data)


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=2000), suffix=st.sampled_from(SUFFIXES),
       encoding=st.sampled_from(["utf-8", "utf-16", "utf-16-le", "latin-1", "cp1252", "gb18030"]))
def test_random_text_in_any_encoding_never_raises(text: str, suffix: str, encoding: str) -> None:
    _ingest("input" + suffix, text.encode(encoding, errors="replace"))


def _mutate(rng: random.Random, data: bytes) -> bytes:
    """Truncate, flip, duplicate, or splice in markup/JSON/WARC fragments."""
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(5)
        pos = rng.randrange(len(b) + 1)
        if op == 0:
            del b[pos:]
        elif op == 1 and b:
            b[min(pos, len(b) - 1)] = rng.randrange(256)
        elif op == 2:
            b[pos:pos] = rng.choice([b"<", b"]]>", b"<![CDATA[", b"&", b"&#xFFFFFFF;", b"{", b'"', b"\x00",
                                     b"WARC/1.0\r\n", b"Content-Length: 99999999\r\n", b"<!ENTITY a 'b'>",
                                     b"\xff\xfe", b"\r\n\r\n", b"<item>", b"</channel>", b"\x1f\x8b"])
        elif op == 3:
            chunk = bytes(b[pos:pos + rng.randint(1, 200)])
            b[pos:pos] = chunk
        else:
            b[pos:pos + rng.randint(1, 50)] = b""
    return bytes(b)


def test_mangled_valid_inputs_never_raise() -> None:
    rng = random.Random(20241102)
    kept = rejected = 0
    for suffix, data in VALID.items():
        assert any(isinstance(x, RawDoc) for x in _ingest("ok" + suffix, data)), suffix
        for _ in range(60):
            out = _ingest("m" + suffix, _mutate(rng, data))
            kept += sum(isinstance(x, RawDoc) for x in out)
            rejected += sum(isinstance(x, Reject) for x in out)
    assert kept and rejected   # the mutations exercised both outcomes
