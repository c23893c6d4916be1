"""Ingest from local inputs: every file format, encodings, rejects, ids, dates, seeds."""
from __future__ import annotations

import datetime as dt
import io
import json
import logging
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scamtrace.ingest import date_fields, iter_sources, normalize_url, parse_date, stable_id
from scamtrace.model import RawDoc, Reject
from scamtrace.settings import Settings

PARA = ("Police in the border town said on Tuesday that they had freed dozens of workers from a "
        "compound where people were forced to run online fraud schemes.")
ARTICLE = f"{PARA}\n\n{PARA.replace('Tuesday', 'Wednesday')}\n\nThe raids continued into the night."
HTML = (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Raid</title></head>"
        f"<body><article><p>{PARA}</p><p>{PARA}</p></article></body></html>")
NO_FETCH = Settings(fetch_linked_pages=False)


def run(*sources: object, settings: Settings | None = NO_FETCH) -> list[RawDoc | Reject]:
    out = list(iter_sources([str(s) for s in sources], settings))
    assert all(isinstance(x, (RawDoc, Reject)) for x in out)
    for x in out:
        if isinstance(x, Reject):
            assert "\n" not in x.reason and x.reason.strip()
    return out


def docs(items: list[RawDoc | Reject]) -> list[RawDoc]:
    return [x for x in items if isinstance(x, RawDoc)]


def rejects(items: list[RawDoc | Reject]) -> list[Reject]:
    return [x for x in items if isinstance(x, Reject)]


# ---------------------------------------------------------------- text and HTML files

def test_text_markdown_and_html_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.md").write_text("# Raid\n\n" + ARTICLE, encoding="utf-8")
    (tmp_path / "c.html").write_text(HTML, encoding="utf-8")
    (tmp_path / "d.htm").write_text(HTML, encoding="utf-8")
    out = run(tmp_path / "a.txt", tmp_path / "b.md", tmp_path / "c.html", tmp_path / "d.htm")
    assert [(Path(d.source).name, d.fmt) for d in docs(out)] == [
        ("a.txt", "text"), ("b.md", "text"), ("c.html", "html"), ("d.htm", "html")]
    assert docs(out)[0].body == ARTICLE


def test_latin1_text_is_decoded(tmp_path: Path) -> None:
    text = "Le r\u00e9seau de fraude op\u00e9rait depuis un complexe pr\u00e8s de la fronti\u00e8re, a d\u00e9clar\u00e9 la police."
    (tmp_path / "fr.txt").write_bytes(text.encode("latin-1"))
    [doc] = run(tmp_path / "fr.txt")
    assert isinstance(doc, RawDoc) and doc.body == text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_text_is_decoded_with_or_without_bom(tmp_path: Path, encoding: str) -> None:
    text = "Scam compound \u201craided\u201d \u2014 " + PARA
    (tmp_path / "u.txt").write_bytes(text.encode(encoding))
    [doc] = run(tmp_path / "u.txt")
    assert isinstance(doc, RawDoc) and doc.body == text


def test_html_meta_charset_is_honoured(tmp_path: Path) -> None:
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
            f"</head><body><p>\u201cWe were trapped,\u201d one worker said. {PARA}</p></body></html>")
    (tmp_path / "p.html").write_bytes(page.encode("cp1252"))
    [doc] = run(tmp_path / "p.html")
    assert isinstance(doc, RawDoc) and "\u201cWe were trapped,\u201d" in doc.body


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_bytes(b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"))
    [doc] = run(tmp_path / "b.txt")
    assert isinstance(doc, RawDoc) and doc.body == ARTICLE


# ---------------------------------------------------------------- rejects

def test_unsupported_binary_empty_and_missing_inputs_are_rejected(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00" * 50)
    (tmp_path / "blob").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "e.txt").write_bytes(b"")
    (tmp_path / "tiny.html").write_text("<html><body><p>Hi</p></body></html>")
    (tmp_path / "nul.txt").write_bytes(b"abc\x00def" * 20)
    out = run(tmp_path / "x.pdf", tmp_path / "blob", tmp_path / "e.txt", tmp_path / "tiny.html",
              tmp_path / "nul.txt", tmp_path / "missing.txt")
    assert len(out) == 6 and not docs(out)
    reasons = [r.reason for r in rejects(out)]
    assert "unsupported file type .pdf; save the article as .html or .txt" in reasons[0]
    assert reasons[0].startswith(str(tmp_path / "x.pdf"))
    assert "binary" in reasons[1] or "NUL" in reasons[1]
    assert "empty" in reasons[2] and "empty" in reasons[3]
    assert "binary" in reasons[4]
    assert "no such file or directory" in reasons[5]


def test_file_over_max_bytes_is_rejected_with_size_and_cap(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text(ARTICLE * 20)
    size = (tmp_path / "big.txt").stat().st_size
    [rej] = run(tmp_path / "big.txt", settings=Settings(max_bytes=1000))
    assert isinstance(rej, Reject)
    assert f"{size:,}" in rej.reason and "1,000" in rej.reason and "max_bytes" in rej.reason


def test_non_http_url_schemes_are_refused() -> None:
    out = run("ftp://example.invalid/a.html", "file:///etc/passwd", "javascript:alert(1)")
    assert len(rejects(out)) == 3
    assert all("not supported" in r.reason and "http(s)" in r.reason for r in rejects(out))


def test_single_string_is_a_programming_error() -> None:
    with pytest.raises(TypeError, match="list"):
        list(iter_sources("a.txt"))  # type: ignore[arg-type]


# ---------------------------------------------------------------- directories

def test_directory_walk_is_recursive_sorted_and_skips_hidden_and_assets(tmp_path: Path) -> None:
    for rel in ["b/z.txt", "b/a.txt", "a.txt", "c/d/e.html", ".hidden/x.txt", ".x.txt", "page_files/s.css"]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(HTML if rel.endswith(".html") else ARTICLE)
    names = [Path(d.source).relative_to(tmp_path).as_posix() for d in run(tmp_path)]
    assert names == ["a.txt", "b/a.txt", "b/z.txt", "c/d/e.html"]
    assert names == [Path(d.source).relative_to(tmp_path).as_posix() for d in run(tmp_path)]


def test_unknown_suffix_is_sniffed(tmp_path: Path) -> None:
    (tmp_path / "page.asp").write_text(HTML)
    (tmp_path / "story").write_text(ARTICLE)
    (tmp_path / "feed.cgi").write_text(_rss([("1", "First", "<p>" + PARA + "</p>")]))
    out = run(tmp_path / "page.asp", tmp_path / "story", tmp_path / "feed.cgi")
    assert [d.fmt for d in docs(out)] == ["html", "text", "html"]
    assert docs(out)[2].title == "First"


# ---------------------------------------------------------------- JSON Lines / JSON

def test_jsonl_fields_bad_line_and_bad_date(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    lines = [
        json.dumps({"id": "ap-1", "url": "https://news.example/a", "outlet": "Example News",
                    "published": "2024-11-02T08:00:00Z", "title": "Raid", "text": ARTICLE, "section": "Asia"}),
        "",
        '{"id": "broken", "text": ',
        json.dumps({"html": HTML, "published": "November 3, 2024", "author": "A. Writer"}),
        json.dumps({"text": ARTICLE, "published": "yesterday-ish?"}),
        json.dumps({"title": "no body"}),
        json.dumps(["not", "an", "object"]),
    ]
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(lines) + "\n")
    with caplog.at_level(logging.WARNING):
        out = run(path)
    good, bad = docs(out), rejects(out)
    assert [d.source for d in good] == [f"{path}#L1", f"{path}#L4", f"{path}#L5"]
    first = good[0]
    assert (first.id, first.url, first.outlet, first.title, first.fmt) == (
        "ap-1", "https://news.example/a", "Example News", "Raid", "text")
    assert first.published == dt.date(2024, 11, 2) and first.extra["section"] == "Asia"
    assert good[1].fmt == "html" and good[1].published == dt.date(2024, 11, 3) and good[1].byline == "A. Writer"
    assert good[2].published is None and good[2].extra["published_raw"] == "yesterday-ish?"
    assert "unparsable published date" in caplog.text
    assert [r.source for r in bad] == [f"{path}#L3", f"{path}#L6", f"{path}#L7"]
    assert bad[0].reason.startswith(f"{path}:3: invalid JSON (") and bad[0].reason.endswith("; fix or remove that line")
    assert "no 'text' or 'html'" in bad[1].reason and "JSON object" in bad[2].reason


def test_jsonl_reads_the_usual_date_field_names(tmp_path: Path) -> None:
    """A dataset's ``date`` (or ``datePublished``, ``pubDate``...) is the publication date; ``published``
    wins when both are given, and an empty ``published`` does not hide a ``date``."""
    lines = [
        json.dumps({"id": "d1", "date": "2025-10-17", "text": ARTICLE}),
        json.dumps({"id": "d2", "published": "2024-11-02", "date": "2020-01-01", "text": ARTICLE}),
        json.dumps({"id": "d3", "published": None, "datePublished": "2025-03-04T10:00:00+07:00", "text": ARTICLE}),
        json.dumps({"id": "d4", "pubDate": "Tue, 07 Oct 2025 09:00:00 GMT", "text": ARTICLE}),
        json.dumps({"id": "d5", "date": "", "text": ARTICLE}),
        json.dumps({"id": "d6", "published": "  ", "pubdate": "2025-05-06", "text": ARTICLE}),
    ]
    path = tmp_path / "dates.jsonl"
    path.write_text("\n".join(lines) + "\n")
    got = {d.id: d for d in docs(run(path))}
    assert got["d1"].published == dt.date(2025, 10, 17) and got["d1"].extra == {"published_field": "date"}
    assert got["d2"].published == dt.date(2024, 11, 2) and got["d2"].extra == {"date": "2020-01-01"}
    assert got["d3"].published == dt.date(2025, 3, 4) and got["d3"].extra["published_field"] == "datePublished"
    assert got["d4"].published == dt.date(2025, 10, 7)
    assert got["d5"].published is None and "published_field" not in got["d5"].extra
    # a blank published (white space) is empty too: it does not hide the date
    assert got["d6"].published == dt.date(2025, 5, 6) and got["d6"].extra["published_field"] == "pubdate"


def test_file_that_is_not_jsonl_gives_one_reject(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text("not json at all\n" * 500)
    out = run(path)
    assert not docs(out) and len(out) <= 60
    assert "is this a JSON Lines file" in out[-1].reason


def test_json_array_file(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps([{"id": "1", "text": ARTICLE}, {"id": 2, "html": HTML}]))
    out = run(path)
    assert [(d.id, d.source) for d in docs(out)] == [("1", f"{path}#0"), ("2", f"{path}#1")]


# ---------------------------------------------------------------- feeds

def _rss(items: list[tuple[str, str, str]], summary_only: bool = False, link_base: str = "https://news.example") -> str:
    parts = []
    for guid, title, body in items:
        content = (f"<description><![CDATA[{body}]]></description>" if summary_only
                   else f"<description>Teaser</description><content:encoded><![CDATA[{body}]]></content:encoded>")
        parts.append(f"<item><title>{title}</title><link>{link_base}/{guid}</link><guid>{guid}</guid>"
                     f"<pubDate>Sat, 02 Nov 2024 08:00:00 GMT</pubDate><dc:creator>Reporter {guid}</dc:creator>"
                     f"{content}</item>")
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<channel><title>Example News</title><link>https://news.example/</link>{''.join(parts)}</channel></rss>")


ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom News</title>
<entry><title>Atom one</title><id>tag:x,2024:1</id><link rel="alternate" href="https://atom.example/1"/>
<published>2024-10-30T10:00:00+07:00</published><author><name>Jane Roe</name></author>
<content type="html">&lt;p&gt;{PARA}&lt;/p&gt;</content></entry>
<entry><title>Atom two</title><id>tag:x,2024:2</id><link href="https://atom.example/2"/>
<updated>2024-10-31</updated><summary>Short teaser only.</summary></entry>
</feed>"""


def test_rss_feed_entries_become_html_docs(tmp_path: Path) -> None:
    (tmp_path / "f.rss").write_text(_rss([("a1", "One", f"<p>{PARA}</p>"), ("a2", "Two", f"<p>{PARA}</p>")]))
    out = run(tmp_path / "f.rss")
    assert len(docs(out)) == 2 and not rejects(out)
    d = docs(out)[0]
    assert (d.fmt, d.url, d.title, d.byline, d.published) == (
        "html", "https://news.example/a1", "One", "Reporter a1", dt.date(2024, 11, 2))
    assert d.source == f"{tmp_path / 'f.rss'}#entry1" and d.extra["entry_id"] == "a1"
    assert PARA in d.body


def test_atom_feed_full_content_and_summary_only(tmp_path: Path) -> None:
    (tmp_path / "f.atom").write_text(ATOM)
    one, two = run(tmp_path / "f.atom")
    assert isinstance(one, RawDoc) and isinstance(two, RawDoc)
    assert one.url == "https://atom.example/1" and one.byline == "Jane Roe" and one.published == dt.date(2024, 10, 30)
    assert PARA in one.body and not one.extra.get("summary_only")
    assert two.extra["summary_only"] is True and "Short teaser" in two.body and two.published == dt.date(2024, 10, 31)


def test_rss1_rdf_feed(tmp_path: Path) -> None:
    rdf = ('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
           'xmlns="http://purl.org/rss/1.0/" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
           '<channel rdf:about="https://r.example/"><title>RDF</title><link>https://r.example/</link></channel>'
           f'<item rdf:about="https://r.example/1"><title>R1</title><link>https://r.example/1</link>'
           f"<content:encoded><![CDATA[<p>{PARA}</p>]]></content:encoded></item></rdf:RDF>")
    (tmp_path / "r.xml").write_text(rdf)
    [doc] = run(tmp_path / "r.xml")
    assert isinstance(doc, RawDoc) and doc.url == "https://r.example/1" and doc.title == "R1"


def test_malformed_feed_with_html_entities_is_read_leniently(tmp_path: Path) -> None:
    feed = _rss([("m1", "Caf&eacute; &amp; more", f"<p>{PARA}</p>")]).replace("<title>Example", "<title>Ex&nbsp;ample")
    (tmp_path / "m.xml").write_text(feed)
    out = run(tmp_path / "m.xml")
    assert len(docs(out)) == 1


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title>
<description>&lol9;&lol9;&lol9;</description></item></channel></rss>"""


def test_billion_laughs_and_xxe_feeds_are_rejected_without_expansion(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    xxe = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>'
           '<rss version="2.0"><channel><title>t</title><item><title>x</title>'
           "<description>&xxe; plus enough words to not be empty at all, really.</description></item></channel></rss>")
    (tmp_path / "bomb.xml").write_text(BILLION_LAUGHS)
    (tmp_path / "xxe.rss").write_text(xxe)
    out = run(tmp_path / "bomb.xml", tmp_path / "xxe.rss")
    assert len(out) == 2 and not docs(out)
    for r in out:
        assert "entities" in r.reason and "lol" not in r.reason and "TOP-SECRET" not in r.reason


def test_feed_without_entries_and_broken_xml_are_rejected(tmp_path: Path) -> None:
    (tmp_path / "empty.rss").write_text('<rss version="2.0"><channel><title>x</title></channel></rss>')
    (tmp_path / "notfeed.xml").write_text("<catalog><book>1</book></catalog>")
    out = run(tmp_path / "empty.rss", tmp_path / "notfeed.xml")
    assert "no entries" in out[0].reason
    assert "not <rss>" in out[1].reason


# ---------------------------------------------------------------- WARC

def _warc(records: list[tuple[str, str, bytes]], gz: bool) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for url, ctype, body in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype), ("Content-Length", str(len(body)))],
                                   protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    return buf.getvalue()


RECORDS = [
    ("https://w.example/1", "text/html; charset=utf-8", HTML.encode()),
    ("https://w.example/logo.png", "image/png", b"\x89PNG...."),
    ("https://w.example/2", "text/plain; charset=iso-8859-1", ("Caf\u00e9 " + PARA).encode("latin-1")),
    ("https://w.example/3", "text/html", HTML.replace("Police", "Officers").encode()),
]


@pytest.mark.parametrize("gz,name", [(False, "a.warc"), (True, "a.warc.gz")])
def test_warc_keeps_html_and_text_captures(tmp_path: Path, gz: bool, name: str) -> None:
    (tmp_path / name).write_bytes(_warc(RECORDS, gz))
    out = run(tmp_path / name)
    assert not rejects(out)
    assert [(d.url, d.fmt) for d in docs(out)] == [
        ("https://w.example/1", "html"), ("https://w.example/2", "text"), ("https://w.example/3", "html")]
    assert docs(out)[1].body.startswith("Caf\u00e9 ")
    assert all(d.source.startswith(f"{tmp_path / name}#") for d in docs(out))


@pytest.mark.parametrize("gz,name", [(False, "t.warc"), (True, "t.warc.gz")])
def test_truncated_warc_keeps_good_records_and_rejects_damage_once(tmp_path: Path, gz: bool, name: str) -> None:
    data = _warc(RECORDS, gz)
    (tmp_path / name).write_bytes(data[: len(data) - 150])
    out = run(tmp_path / name)
    assert [d.url for d in docs(out)] == ["https://w.example/1", "https://w.example/2"]
    [rej] = rejects(out)
    assert "damaged" in rej.reason and "kept the 2 good capture(s)" in rej.reason


def test_warc_with_garbage_in_a_record_is_reported(tmp_path: Path) -> None:
    data = bytearray(_warc(RECORDS, False))
    cut = data.index(b"Officers") + 20
    data[cut:cut + 10] = b"##########"
    (tmp_path / "c.warc").write_bytes(bytes(data))
    out = run(tmp_path / "c.warc")
    assert [d.url for d in docs(out)] == ["https://w.example/1", "https://w.example/2"]
    assert len(rejects(out)) == 1 and "corrupt" in rejects(out)[0].reason


def test_file_named_warc_that_is_not_one(tmp_path: Path) -> None:
    (tmp_path / "x.warc").write_text("this is not a web archive at all " * 10)
    out = run(tmp_path / "x.warc")
    assert len(out) == 1 and isinstance(out[0], Reject) and "not a WARC archive" in out[0].reason


# ---------------------------------------------------------------- ids, URLs, dates

def test_normalize_url() -> None:
    assert normalize_url("HTTPS://News.Example.COM:443/a/b?utm_source=x&z=1&fbclid=abc&a=2&gclid=q#frag") == \
        "https://news.example.com/a/b?a=2&z=1"
    assert normalize_url("http://example.com") == "http://example.com/"
    assert normalize_url("http://example.com:8080/x?b=1&a=1") == "http://example.com:8080/x?a=1&b=1"
    assert normalize_url("http://example.com/x?a=1") != normalize_url("http://example.com/X?a=1")
    with pytest.raises(ValueError, match="absolute URL"):
        normalize_url("/relative/path")


def test_stable_id_prefers_id_then_url_then_content() -> None:
    a = RawDoc(source="s", body="Some  text\n here", fmt="text")
    b = RawDoc(source="t", body=" Some text here ", fmt="text")
    assert stable_id(a) == stable_id(b) and stable_id(a).startswith("c-") and len(stable_id(a)) == 18
    u1 = RawDoc(source="s", body="x", fmt="text", url="https://Ex.com/p?utm_medium=m#top")
    u2 = RawDoc(source="s", body="y", fmt="text", url="https://ex.com/p")
    assert stable_id(u1) == stable_id(u2) and stable_id(u1).startswith("u-")
    assert stable_id(RawDoc(source="s", body="x", fmt="text", id="ap-7", url="https://ex.com/p")) == "ap-7"
    assert stable_id(a) != stable_id(RawDoc(source="s", body="Other text", fmt="text"))


@pytest.mark.parametrize("value,expected", [
    ("2024-11-02", dt.date(2024, 11, 2)),
    ("2024-11-02T23:30:00-05:00", dt.date(2024, 11, 2)),
    ("2024-11-02T08:00:00Z", dt.date(2024, 11, 2)),
    ("Sat, 02 Nov 2024 08:00:00 GMT", dt.date(2024, 11, 2)),
    ("November 2, 2024", dt.date(2024, 11, 2)),
    ("2 Nov 2024", dt.date(2024, 11, 2)),
    ("not a date", None),
    ("", None),
    ("0202-01-01", None),
    (None, None),
    (12, None),
])
def test_parse_date(value: object, expected: dt.date | None) -> None:
    assert parse_date(value) == expected


# ---------------------------------------------------------------- seeds (read by path, never copied)

def test_seed_articles_ingest_as_text(seeds_dir: Path) -> None:
    out = run(seeds_dir)
    assert len(docs(out)) == 5 and not rejects(out)
    assert all(d.fmt == "text" and d.extra["encoding"] == "utf-8" for d in docs(out))
    assert len({stable_id(d) for d in docs(out)}) == 5


def test_xml_file_holding_xhtml_is_read_as_html(tmp_path: Path) -> None:
    xhtml = ('<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml">'
             f"<body><p>{PARA}</p></body></html>")
    (tmp_path / "page.xml").write_text(xhtml)
    [doc] = run(tmp_path / "page.xml")
    assert isinstance(doc, RawDoc) and doc.fmt == "html"


def test_gzip_compressed_html_and_jsonl(tmp_path: Path) -> None:
    import gzip

    (tmp_path / "p.html.gz").write_bytes(gzip.compress(HTML.encode()))
    (tmp_path / "r.jsonl.gz").write_bytes(gzip.compress((json.dumps({"id": "z", "text": ARTICLE}) + "\n").encode()))
    good = gzip.compress(HTML.encode())
    (tmp_path / "broken.html.gz").write_bytes(good[: len(good) // 2])
    (tmp_path / "x.gz").write_bytes(gzip.compress(b"anything"))
    out = run(tmp_path / "p.html.gz", tmp_path / "r.jsonl.gz", tmp_path / "broken.html.gz", tmp_path / "x.gz")
    assert [(d.fmt, d.id) for d in docs(out)] == [("html", None), ("text", "z")]
    assert docs(out)[0].body == HTML
    assert "corrupt gzip" in out[2].reason and "unsupported file type .gz" in out[3].reason


def test_written_dates_fast_path_agrees_with_dateparser():
    """"March 4, 2025", "Sept. 4 2025", "4 Mar 2025" are read without dateparser: same date as
    dateparser gives, and an impossible day is left to dateparser (which refuses it)."""
    forms = ["March 4, 2025", "march 04 2025", "MAR. 4, 2025", "Sept. 30, 2024", "4 Mar 2025",
             "31 December 1999", "May 9, 2031", "Feb 29, 2024", "June 1 2100"]
    for text in forms:
        fast = date_fields._month_day_year(text)
        assert fast is not None and fast == date_fields._dateparser(text), text
    for text in ("February 30, 2025", "Mar 0, 2025", "March 32 2025", "Tuesday, March 4, 2025", "4 March, 2025"):
        assert date_fields._month_day_year(text) is None, text
    assert date_fields.parse_date("February 30, 2025") is None
    assert date_fields.parse_date("Published") is None
