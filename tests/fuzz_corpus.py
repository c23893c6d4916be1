"""A seeded corpus of malformed inputs for the reliability tests (``build(folder)``).

Every kind the attack on scamtrace tried, with a fixed seed so a failure names the same file on every
run: random bytes, truncated and garbled HTML (with the shapes that made tag stripping quadratic and
trafilatura slow), XML bombs and XXE, damaged WARC and WARC.gz, bad JSON and JSON Lines (lone
surrogates, 5,000-digit integers, nulls, nesting), gzip bombs, odd file names, symlinks and a FIFO.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import random
import zlib
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

SEED = 20261206
PARA = "Officials said the compound held hundreds of people who were forced to defraud strangers online. "
PAGE = (f"<html><head><meta charset='utf-8'><title>Raid</title></head><body><article><h1>Raid</h1>"
        f"<p>{PARA * 3}</p><p>{PARA * 3}</p></article></body></html>")
#: The last file of the folder in sorted order: a good page that must be stored after all the bad ones.
LAST_GOOD = "zzzz-last-good.html"
#: The page that runs for minutes inside trafilatura (100,000 one-cell tables): the time limit must stop it.
SLOW_PAGE = "slow-tables.html"


def _warc(gz: bool, n: int = 3) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for i in range(n):
        body = PAGE.replace("Raid", f"Raid {i}").encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(body)))],
                                   protocol="HTTP/1.1")
        # a fixed date and record id: otherwise each build differs in length, so the seeded cut points
        # of the truncated-N files (and every rng draw after them) moved from run to run
        fixed = {"WARC-Date": "2026-01-01T00:00:00Z", "WARC-Record-ID": f"<urn:uuid:00000000-0000-4000-8000-{i:012d}>"}
        writer.write_record(writer.create_warc_record(f"https://w.example/{i}", "response",
                                                      payload=io.BytesIO(body), http_headers=headers,
                                                      warc_headers_dict=fixed))
    return buf.getvalue()


def _flip(rng: random.Random, data: bytes, n: int) -> bytes:
    b = bytearray(data)
    for _ in range(n):
        i = rng.randrange(len(b))
        b[i] = rng.randrange(256)
    return bytes(b)


def _gzip_of_repeats(chunk: bytes, times: int) -> bytes:
    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    parts = [z.compress(chunk) for _ in range(times)]
    parts.append(z.flush())
    return b"".join(parts)


def files(rng: random.Random) -> dict[str, bytes]:
    """name -> bytes of every regular file of the corpus."""
    out: dict[str, bytes] = {}
    suffixes = ["", ".txt", ".html", ".xml", ".rss", ".jsonl", ".json", ".warc", ".warc.gz", ".dat", ".md"]
    for i in range(100):                                   # random bytes
        out[f"random-{i:02d}{suffixes[i % len(suffixes)]}"] = rng.randbytes(rng.choice([64, 700, 5000]))
    for i in range(8):                                     # random bytes without control characters
        out[f"random-high-{i}.txt"] = bytes(rng.randrange(0x80, 0x100) for _ in range(6000))
    page = PAGE.encode()
    for i in range(70):                                    # truncated and garbled HTML
        cut = page[: rng.randrange(len(page))] if i % 2 else _flip(rng, page, 1 + i)
        out[f"garbled-{i:02d}.html"] = b"<!-- %d -->" % i + cut
    words = ("word " * 60).encode()
    for tag in (b"<script>", b"<!--", b"<style>", b"<", b"<a href='"):   # quadratic shapes
        out[f"quadratic-{tag.strip(b'<!-').decode() or 'lt'}.html"] = words + tag * 20_000
    out[SLOW_PAGE] = b"<html><body><p>" + words + b"</p>" + b"<table><tr><td>x</td></tr></table>" * 100_000 \
        + b"</body></html>"
    out["deep-nesting.html"] = b"<div>" * 50_000 + words + b"</div>" * 50_000
    out["many-attributes.html"] = b"<p " + b" ".join(b"a%d='x'" % i for i in range(20_000)) + b">" + words
    laughs = "".join(f'<!ENTITY l{i} "&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};">' for i in range(1, 10))
    xml = {
        "billion-laughs.xml": f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">{laughs}]><rss><channel>'
                              f"<item><description>&l9;</description></item></channel></rss>",
        "quadratic-blowup.xml": f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "{"x" * 50_000}">]><rss><channel>'
                                f"<item><description>{'&a;' * 5_000}</description></item></channel></rss>",
        "xxe-file.xml": '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                        "<rss><channel><item><title>t</title><description>&x;</description></item></channel></rss>",
        "xxe-parameter.rss": '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>'
                             "<rss><channel><item><description>x</description></item></channel></rss>",
        "external-dtd.atom": '<?xml version="1.0"?><!DOCTYPE feed SYSTEM "http://127.0.0.1:9/feed.dtd">'
                             '<feed xmlns="http://www.w3.org/2005/Atom"><entry><content>x</content></entry></feed>',
        "unclosed.rss": "<rss><channel><item><title>" + "x" * 1000,
        "no-entries.atom": '<feed xmlns="http://www.w3.org/2005/Atom"><title>empty</title></feed>',
    }
    for name, text in xml.items():
        out[name] = text.encode()
    rss = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>A</title>'
           f"<guid>a</guid><description>{PARA * 5}</description></item></channel></rss>").encode()
    for i in range(25):
        feed = rss.replace(b"<description>", b"<description>%d " % i)
        out[f"garbled-feed-{i:02d}.rss"] = _flip(rng, feed, 1 + i) if i % 2 else feed[: rng.randrange(len(feed))]
    for gz in (False, True):                               # damaged WARC and WARC.gz
        good = _warc(gz)
        ext = ".warc.gz" if gz else ".warc"
        for i in range(15):
            out[f"flipped-{i:02d}{ext}"] = _flip(rng, good, 1 + i * 3)
        for i in range(4):
            out[f"truncated-{i}{ext}"] = good[: rng.randrange(10, len(good))]
    out["no-colon-headers.warc"] = b"WARC/1.0\r\n" + b"this header line has no colon\r\n" * 10_000 + b"\r\n"
    out["only-warcinfo.warc"] = (b"WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 4\r\n\r\ninfo\r\n\r\n")
    records = [
        {"id": "sur\ud800", "text": PARA * 3}, {"id": "t1", "title": "bad \udfff title", "text": PARA * 3},
        {"id": "t2", "outlet": "\ud83d", "text": PARA * 3}, {"id": "t3", "text": PARA + "\ud800" + PARA},
        {"id": None, "text": None}, {"id": {"nested": [1, 2]}, "text": PARA}, {"text": {"html": PARA}},
        {"id": "t4", "text": PARA * 3, "published": {"y": 2024}}, {"id": "t5", "text": PARA * 3, "extra": [None] * 5},
        {"id": True, "text": PARA * 3}, {"id": "t6", "html": 5, "text": None}, [PARA], "just a string", 42, None,
        {"id": "t7", "text": PARA * 3, "url": 12, "outlet": ["x"], "byline": {"a": 1}},
        {"id": "t8", "text": "", "html": "   "}, {"id": "t9", "text": PARA * 3, "published": "2024-13-45"},
    ]
    lines = [json.dumps(r) for r in records]
    lines += ['{"id": "big", "text": "%s", "n": %s}' % (PARA, "9" * 5000),
              '{"id": "bigid", "text": "%s", "id2": -%s}' % (PARA, "1" * 4301),
              '{"id": %s, "text": "x"}' % ("7" * 6000),
              "[" * 100_000 + "]" * 100_000, '{"id": "x", "text": "unterminated', "\x00\x01\x02", "{}", "[]",
              '{"id": "ok-1", "text": "%s"}' % (PARA * 3)]
    for i in range(12):
        rng.shuffle(lines)
        out[f"records-{i:02d}.jsonl"] = "\n".join(lines).encode("utf-8", "surrogatepass")
    for i, r in enumerate(records + ["[" * 100_000, '{"n": %s}' % ("9" * 5000)]):
        out[f"record-{i:02d}.json"] = (r if isinstance(r, str) and r.startswith(("[", "{")) else json.dumps(r)).encode(
            "utf-8", "surrogatepass")
    out["bomb-blank.jsonl.gz"] = _gzip_of_repeats(b"\n" * 1_000_000, 50)      # 50 MB of blank lines
    out["bomb-record.jsonl.gz"] = _gzip_of_repeats(b" " * 1_000_000, 40)      # one 40 MB line of spaces
    out["bomb.html.gz"] = _gzip_of_repeats(b"<p>" * 300_000, 30)
    out["not-gzip.jsonl.gz"] = b"\x1f\x8b" + rng.randbytes(500)
    out["truncated.jsonl.gz"] = gzip.compress("\n".join(lines).encode("utf-8", "surrogatepass"))[:300]
    out["empty.txt"] = b""
    out["spaces.html"] = b" \n\t " * 100
    out["utf16-garbage.txt"] = b"\xff\xfe" + rng.randbytes(3000)
    out["bad name \n with newline.txt"] = b"%d " % len(out) + PARA.encode() * 3
    out["quote'and\"=cmd|calc.txt"] = b"%d " % len(out) + PARA.encode() * 3
    out["long-" + "x" * 200 + ".txt"] = b"%d " % len(out) + PARA.encode() * 3
    out[LAST_GOOD] = PAGE.replace("Raid", "The last raid").encode()
    return out


def build(folder: Path) -> dict[str, str]:
    """Write the corpus into ``folder``; return {kind: name} of the special entries (symlinks, FIFO,
    non-UTF-8 names) besides the regular files."""
    rng = random.Random(SEED)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files(rng).items():
        (folder / name).write_bytes(data)
    special: dict[str, str] = {}
    raw = os.fsencode(folder)
    for i, bad in enumerate((b"bad\xff.txt", b"latin1-caf\xe9.html", b"\xc3\x28-invalid.jsonl")):
        with open(raw + b"/" + bad, "wb") as fh:
            fh.write(PAGE.replace("Raid", f"Raid {i}").encode() if bad.endswith(b".html")
                     else json.dumps({"id": f"nu{i}", "text": PARA * 3}).encode() if bad.endswith(b".jsonl")
                     else b"%d " % i + PARA.encode() * 3)
        special[f"non-utf8-{i}"] = os.fsdecode(raw + b"/" + bad)
    links = {"link-passwd.txt": "/etc/passwd", "link-outside.html": str(folder.parent / "outside.html"),
             "link-inside.txt": str(folder / "empty.txt"), "link-dangling.txt": str(folder / "nope.txt"),
             "link-loop.txt": str(folder / "link-loop.txt")}
    (folder.parent / "outside.html").write_bytes(PAGE.encode())
    for name, target in links.items():
        os.symlink(target, folder / name)
        special[name] = str(folder / name)
    (folder / "subdir.html").mkdir()
    (folder / "subdir.html" / "inner.txt").write_bytes(PARA.encode() * 3)
    os.mkfifo(folder / "a-fifo.txt")
    special["fifo"] = str(folder / "a-fifo.txt")
    return special
