"""Highlighted article text (web.highlight-v1): the pure overlap rules and tree, the article page and
its JSON twin on the demo store, figure corroboration and conflicts, and hostile extraction data."""
from __future__ import annotations

import functools
import json
import re
import sqlite3
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scamtrace.web.highlight import (
    HIGHLIGHT_ALGORITHM,
    HIGHLIGHT_KINDS,
    INLINE_PRIORITY,
    HighlightSpan,
    build,
    css_label,
    date_title,
    figure_title,
    flat_text,
    highlight,
    paragraph_ranges,
    resolve,
)

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "examples" / "demo"
RAID = "mwn-20250304-golden-lotus-raid"      # the demo's raid story original: figures, dates, quotes


# -- pure rules -------------------------------------------------------------------------------------
def kinds_of(nodes) -> list[tuple[str, str]]:
    out = []
    for n in nodes:
        if n["kind"]:
            out.append((n["kind"], flat_text(n["children"])))
        out += kinds_of(n["children"])
    return out


def test_figure_beats_overlapping_entity_and_the_loser_is_reported():
    text = "Police held 4,100 Chinese workers."
    fig = HighlightSpan(12, 17, "figure", title="4,100 people")
    ent = HighlightSpan(12, 25, "entity", "GPE")           # a bad entity span over the number
    res = highlight(text, [ent, fig])
    assert [(s["kind"], s["text"]) for s in res["spans"]] == [("figure", "4,100")]
    assert len(res["dropped"]) == 1
    assert res["dropped"][0]["kind"] == "entity" and res["dropped"][0]["hidden_by_kind"] == "figure"
    assert res["algorithm"] == HIGHLIGHT_ALGORITHM


def test_priority_order_is_figure_date_spin_entity():
    text = "abcdefghij"
    spans = [HighlightSpan(0, 10, k) for k in reversed(INLINE_PRIORITY)]
    _, inline, dropped = resolve(spans, len(text))
    assert [s.kind for s in inline] == ["figure"]
    assert sorted(d["kind"] for d in dropped) == sorted(INLINE_PRIORITY[1:])
    # among equals, the longer span wins
    _, inline, _ = resolve([HighlightSpan(0, 3, "entity"), HighlightSpan(1, 8, "entity")], len(text))
    assert [(s.start, s.end) for s in inline] == [(1, 8)]


def test_quotes_nest_inline_marks_and_split_marks_crossing_their_edge():
    text = 'He said "we held 38 men" on Monday night.'
    q0 = text.index('"')
    quote = HighlightSpan(q0, text.index('" on') + 1, "quote", title="quote · speaker: Saw")
    fig = HighlightSpan(text.index("38"), text.index("38") + 2, "figure")
    crossing = HighlightSpan(text.index("men"), text.index("Monday") + 6, "entity")   # crosses the quote's end
    paras = build(text, *resolve([quote, fig, crossing], len(text))[:2])
    assert flat_text(paras[0]) == text
    top = [n for n in paras[0] if n["kind"]]
    assert top[0]["kind"] == "quote"
    inner = [(n["kind"], flat_text(n["children"])) for n in top[0]["children"] if n["kind"]]
    assert inner == [("figure", "38"), ("entity", 'men"')]
    outside = [n for n in paras[0] if n["kind"] == "entity"]
    assert [flat_text(n["children"]) for n in outside] == [" on Monday"]
    ids = {n["id"] for n in top[0]["children"] if n["kind"] == "entity"} | {n["id"] for n in outside}
    assert len(ids) == 1, "both pieces of a split mark carry the same id"


def test_overlapping_quotes_keep_the_longest():
    text = "x" * 50
    outer, _, dropped = resolve([HighlightSpan(0, 20, "quote"), HighlightSpan(10, 40, "quote"), HighlightSpan(41, 45, "quote")], len(text))
    assert [(s.start, s.end) for s in outer] == [(10, 40), (41, 45)]
    assert [d["start"] for d in dropped] == [0]


def test_spans_out_of_range_or_empty_are_dropped_and_marks_split_at_paragraphs():
    text = "First para 2025.\n\nSecond para."
    res = highlight(text, [HighlightSpan(-5, 3, "entity"), HighlightSpan(20, 9999, "date"), HighlightSpan(5, 5, "figure"),
                           HighlightSpan(11, 22, "figure")])
    assert [(s["kind"], s["start"], s["end"]) for s in res["spans"]] == [("entity", 0, 3), ("figure", 11, 22)]
    assert [(d["kind"], d["start"], d["end"], d["hidden_by_kind"]) for d in res["dropped"]] == \
        [("date", 20, len(text), "figure")]
    assert all(0 <= s["start"] < s["end"] <= len(text) for s in res["spans"])
    assert len(res["paragraphs"]) == 2
    for (a, b), para in zip(paragraph_ranges(text), res["paragraphs"]):
        assert flat_text(para) == text[a:b]
    figs = [n for p in res["paragraphs"] for n in p if n["kind"] == "figure"]
    assert len(figs) == 2 and figs[0]["id"] == figs[1]["id"], "a mark over a paragraph break is split"


def test_unknown_kind_is_rejected():
    with pytest.raises(ValueError, match="highlight kind must be one of"):
        HighlightSpan(0, 1, "script")


def test_css_label_only_passes_identifiers():
    assert css_label("ARMED_GROUP") == "ARMED_GROUP"
    assert css_label('GPE" onclick="x') == "OTHER" and css_label("") == "OTHER" and css_label(None) == "OTHER"


def test_tooltips_say_value_date_claimant_corroboration_and_rivals():
    fig = {"value": 4100.0, "unit": "people", "what": "people detained", "date": "2025-03-03", "claimant": "police"}
    fact = {"independent_sources": 2, "articles": 6,
            "rivals": [{"value": 3800.0, "independent_sources": 2}, {"value": 4000.0, "independent_sources": 1}]}
    t = figure_title(fig, fact)
    assert t.startswith("4,100 people detained") and "2025-03-03" in t and "claimed by police" in t
    assert "2 independent sources, 6 articles" in t and "conflicts with 3,800 (2 src), 4,000 (1 src)" in t
    assert "not merged" in figure_title({**fig, "unit": "USD", "what": "dollars earned"}, None)
    assert "2,000,000 USD" in figure_title({"value": 2e6, "unit": "USD", "what": "lost"}, None)
    assert date_title("2025-01-01", "2025-01-31", "month") == "2025-01-01 – 2025-01-31 · precision: month"
    assert date_title("2025-03-04", "2025-03-04", "day") == "2025-03-04 · precision: day"
    assert "unresolved" in date_title(None, None, "vague")


span_st = st.builds(lambda a, n, k: HighlightSpan(a, a + n, k), st.integers(-5, 60), st.integers(0, 30),
                    st.sampled_from(sorted(HIGHLIGHT_KINDS)))


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="ab \n", max_size=60), spans=st.lists(span_st, max_size=12))
def test_highlight_invariants(text, spans):
    res = highlight(text, spans)
    for (a, b), para in zip(paragraph_ranges(text), res["paragraphs"], strict=True):
        assert flat_text(para) == text[a:b]
    inline = [s for s in res["spans"] if s["kind"] != "quote"]
    quotes = [s for s in res["spans"] if s["kind"] == "quote"]
    for group in (inline, quotes):
        for x, y in zip(group, group[1:]):
            assert x["end"] <= y["start"], "kept spans of one layer never overlap"
    valid = sum(1 for s in spans if max(0, s.start) < min(len(text), s.end))
    assert len(res["spans"]) + len(res["dropped"]) == valid
    assert highlight(text, list(reversed(spans)))["spans"] == res["spans"], "independent of input order"


# -- the article page on the demo store ---------------------------------------------------------------
pytest.importorskip("fastapi", reason="the web workspace needs fastapi (pip install fastapi)")
pytest.importorskip("httpx", reason="TestClient needs httpx")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient as _TestClient

# the workspace answers only to loopback Host names (DNS-rebinding defence): address it as 127.0.0.1
TestClient = functools.partial(_TestClient, base_url="http://127.0.0.1")

from conftest import copy_store, sql  # noqa: E402

from scamtrace import api  # noqa: E402
from scamtrace.web import create_app  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def client(demo_db) -> TestClient:
    return TestClient(create_app(demo_db))


class Marks(HTMLParser):
    """The highlight elements of a page: (tag, class, title, data-hl) and the nesting of quotes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.marks: list[dict[str, str]] = []
        self.stack: list[str] = []
        self.nested_in_quote = 0

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag in ("mark", "span") and "hl" in a.get("class", "").split() and "data-hl" in a:
            if tag == "mark" and "quote" in self.stack:
                self.nested_in_quote += 1
            self.marks.append({"tag": tag, **a})
            self.stack.append("quote" if "hl-quote" in a["class"] else "mark")
        elif tag in ("mark", "span"):
            self.stack.append("other")

    def handle_endtag(self, tag):
        if tag in ("mark", "span") and self.stack:
            self.stack.pop()


def test_article_api_returns_every_extracted_span(client, demo_db):
    hl = client.get(f"/api/articles/{RAID}").json()["highlights"]
    assert hl["algorithm"] == HIGHLIGHT_ALGORITHM
    text = sql(demo_db, "SELECT text FROM articles WHERE id = ?", (RAID,))[0][0]
    for kind, table in (("entity", "mentions"), ("figure", "figures"), ("date", "date_refs"), ("quote", "quotes")):
        rows = sql(demo_db, f'SELECT start, "end" FROM {table} WHERE article = ?', (RAID,))
        assert rows, f"the demo raid article has {table}"
        seen = {(s["start"], s["end"]) for s in hl["spans"] + hl["dropped"] if s["kind"] == kind}
        assert seen == set(rows), kind
        assert hl["counts"][kind] == sum(1 for s in hl["spans"] if s["kind"] == kind)
    for s in hl["spans"]:
        assert s["text"] == text[s["start"]:s["end"]]
    figure = next(s for s in hl["spans"] if s["kind"] == "figure" and s["value"] == 4100)
    assert figure["unit"] == "people" and figure["date"] == "2025-03-03" and figure["claimant"]
    assert figure["fact"] and figure["fact"]["independent_sources"] >= 1
    date = next(s for s in hl["spans"] if s["kind"] == "date" and s["precision"] == "month")
    assert date["iso_start"] < date["iso_end"] and date["iso_start"] in date["title"]
    assert any(s["kind"] == "quote" and s["speaker"] for s in hl["spans"])


def test_article_page_renders_the_same_spans_nested_and_titled(client):
    hl = client.get(f"/api/articles/{RAID}").json()["highlights"]
    page = client.get(f"/articles/{RAID}")
    assert page.status_code == 200
    body = page.text[page.text.index('id="article-text"'):]
    p = Marks()
    p.feed(body[:body.index("</article>")])
    assert {int(m["data-hl"]) for m in p.marks} == {s["id"] for s in hl["spans"]}
    fig = next(m for m in p.marks if "hl-figure" in m["class"] and "4,100" in m["title"])
    assert "corroboration" in fig["title"] and "2025-03-03" in fig["title"]
    assert any("hl-entity-PERSON" in m["class"] for m in p.marks)
    assert any("hl-date" in m["class"] and "precision" in m["title"] for m in p.marks)
    assert any(m["tag"] == "span" and "speaker:" in m["title"] for m in p.marks)
    for k in HIGHLIGHT_KINDS:
        assert f'class="hl-toggle" value="{k}"' in page.text, f"no toggle for {k}"


def test_marks_inside_a_quote_are_nested_in_it(client, demo_db):
    rows = sql(demo_db, 'SELECT q.article, m.text FROM quotes q JOIN mentions m ON m.article = q.article'
                        ' AND m.start >= q.start AND m."end" <= q."end" ORDER BY q.article LIMIT 1')
    assert rows, "the demo has a quote naming someone"
    article, name = rows[0]
    page = client.get(f"/articles/{article}").text
    p = Marks()
    p.feed(page[page.index('id="article-text"'):page.index("</article>")])
    assert p.nested_in_quote >= 1, "marks inside a quote are nested in it"
    hl = client.get(f"/api/articles/{article}").json()["highlights"]
    quotes = [n for para in hl["paragraphs"] for n in para if n["kind"] == "quote"]
    assert any(c["kind"] and flat_text(c["children"]) == name for q in quotes for c in q["children"])


def test_spun_article_highlights_its_spinner_phrases(client):
    spun = "c-9dd748125651ae14"
    hl = client.get(f"/api/articles/{spun}").json()["highlights"]
    assert hl["counts"]["spin"] + sum(1 for d in hl["dropped"] if d["kind"] == "spin") >= 1


def test_figure_of_a_conflicting_fact_names_its_rivals(demo_db, tmp_path):
    """A conflict group set in a private copy of the store shows on the article's figure and side by
    side in the story's figure table."""
    db = tmp_path / "conflict.db"
    out = sqlite3.connect(copy_store(demo_db, db))
    fact, story = out.execute(
        "SELECT x.id, x.story FROM facts x JOIN fact_citations c ON c.fact = x.id"
        " WHERE c.article = ? AND x.value = 4100", (RAID,)).fetchone()
    rival = out.execute("INSERT INTO facts(id, story, value, unit, what, date, articles, independent_sources,"
                        " conflict_group, algorithm) VALUES (?, ?, 3800, 'people', 'people detained', '2025-03-03',"
                        " 3, 2, 'conflict-t', 'test')", (story + ":fact-t", story))
    assert rival.rowcount == 1
    out.execute("UPDATE facts SET conflict_group = 'conflict-t' WHERE id = ?", (fact,))
    out.commit()
    out.close()
    c = TestClient(create_app(db))
    hl = c.get(f"/api/articles/{RAID}").json()["highlights"]
    fig = next(s for s in hl["spans"] if s["kind"] == "figure" and s["value"] == 4100)
    assert [r["value"] for r in fig["fact"]["rivals"]] == [3800]
    assert fig["label"] == "conflict" and "conflicts with 3,800 (2 src)" in fig["title"]
    assert "hl-figure-conflict" in c.get(f"/articles/{RAID}").text
    st_json = c.get(f"/api/stories/{story}").json()
    row = next(f for f in st_json["knowledge"]["facts"] if f["id"] == fact)
    assert [r["value"] for r in row["rivals"]] == [3800]
    html = c.get(f"/stories/{story}").text
    # the 4,100 row (rows are sorted by independent sources, so not necessarily the first): this figure, then its rival
    versus = next(m.group(0) for m in re.finditer(r'<div class="versus".*?</div>', html, re.S)
                  if re.search(r'class="v this"[^>]*>4,100', m.group(0)))
    assert "3,800" in versus and versus.index("4,100") < versus.index("3,800")


def test_store_without_extraction_tables_still_renders(tmp_path):
    path = tmp_path / "t.db"
    paras = [FILLER, "More text here, and " + FILLER.lower()]
    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "a1", "url": "https://x.example/a", "outlet": "X",
                                                  "title": "T", "text": "\n\n".join(paras)}) + "\n")
    store = api.open_store(path)
    api.ingest(store, [str(tmp_path / "a.jsonl")])
    store.close()
    c = TestClient(create_app(path))
    hl = c.get("/api/articles/a1").json()["highlights"]
    assert hl["spans"] == [] and [flat_text(p) for p in hl["paragraphs"]] == paras
    assert "More text here, and" in c.get("/articles/a1").text


FILLER = ("Relatives of the workers gathered outside the police station in the afternoon, waiting for news of "
          "family members who had stopped answering messages weeks ago, according to a local aid group that "
          "has been helping families trace people recruited with fake job offers across the border.")


# -- hostile extraction data ------------------------------------------------------------------------
EVIL = "<img src=x onerror=alert(1)>"


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def test_hostile_text_and_extraction_rows_stay_escaped(tmp_path):
    path = tmp_path / "evil.db"
    text = ("<script>alert('t')</script> Police said 311 people were held on Monday at Blue Orchid Park.\n\n"
            '"We will go on," said <b onmouseover=alert(2)>Chief</b>. ' + FILLER)
    (tmp_path / "e.jsonl").write_text(json.dumps({"id": "e1", "url": "https://x.example/e", "outlet": "E",
                                                  "title": "</title><script>alert(3)</script>", "text": text}) + "\n")
    store = api.open_store(path)
    api.ingest(store, [str(tmp_path / "e.jsonl")])
    store.close()
    n = len(text)
    con = sqlite3.connect(path)
    con.execute("INSERT INTO mentions(article, text, label, canonical, start, \"end\", algorithm)"
                " VALUES ('e1', 'x', ?, ?, 0, 8, 'test')", ('GPE" onclick="alert(4)', EVIL))
    con.execute("INSERT INTO figures(article, value, unit, what, claimant, text, sentence, sentence_start, sentence_end,"
                " start, \"end\", algorithm) VALUES ('e1', 311, 'people', ?, ?, '311', 's', 0, 1, ?, ?, 'test')",
                ("\"><script>alert(5)</script>", EVIL, text.index("311"), text.index("311") + 3))
    con.execute("INSERT INTO quotes(article, quote, speaker, sentence, start, \"end\", algorithm)"
                " VALUES ('e1', 'q', ?, 's', ?, ?, 'test')", ("\" onmouseover=\"alert(6)", text.index('"We'), n))
    con.execute("INSERT INTO date_refs(article, text, start, \"end\", iso_start, iso_end, precision, algorithm)"
                " VALUES ('e1', 'Monday', ?, ?, ?, NULL, ?, 'test')",
                (text.index("Monday"), text.index("Monday") + 6, EVIL, "day<script>"))
    con.commit()
    con.close()
    page = TestClient(create_app(path)).get("/articles/e1").text
    body = page[page.index('<article class="prose highlighted"'):page.index("</article>")]
    assert "<script" not in body and "<img" not in body and "<b " not in body
    tags = Tags()
    tags.feed(body)
    assert {t for t, _ in tags.tags} <= {"article", "p", "mark", "span"}, tags.tags
    assert not [a for _, attrs in tags.tags for a in attrs if a not in ("id", "class", "title", "data-hl")]
    assert any("onmouseover" in attrs.get("title", "") for _, attrs in tags.tags), "the speaker is kept as text"
    assert "hl-entity-OTHER" in body and "hl-date-OTHER" in body, "labels outside [A-Za-z_] never reach a class"
    assert "&lt;img src=x onerror=alert(1)&gt;" in body          # the claimant, shown as text in the tooltip
    assert "&lt;script&gt;</mark>alert(&#39;t&#39;)&lt;/script&gt;" in body   # the first 8 chars are the entity
