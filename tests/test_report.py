"""Shareable story reports (HTML and Markdown): content, citations, self-containment, hostile text inert,
``--all`` covering every story, and the escaping helpers as properties."""
from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from scamtrace import api
from scamtrace.errors import NotFound
from scamtrace.model import Article
from scamtrace.report import render_report, story_ids, story_report
from scamtrace.report.cli import report
from scamtrace.report.safe import el, md, md_link, safe_url
from scamtrace.store import Store

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "examples" / "demo"

EVIL_TITLE = "</title><script>alert('title')</script><!--"
EVIL_TEXT = ("<script>alert('text')</script> Police said 4,000 people were detained at Blue Orchid Park. "
             "<img src=x onerror=alert(1)> [click](javascript:alert(2)) # not a heading | not a cell")
EVIL_OUTLET = "<b onmouseover=alert(4)>Evil Daily</b>"
EVIL_SPEAKER = "Saw <i>Min</i> Dee\n# injected heading"
EVIL_QUOTE = "We will *not* stop <iframe src=//evil.example></iframe> [here](javascript:alert(8))"
COPY_URL = 'https://copy.example/a?x=1&y=(2)&z="<b>"'
OK_URL = "https://ok.example/3"


def _put(store: Store, aid: str, *, url: str | None, outlet: str | None, title: str, text: str,
         published: str | None, credit: str | None = None) -> None:
    art = Article(id=aid, source=f"test:{aid}", text=text, url=url, outlet=outlet, title=title,
                  published=dt.date.fromisoformat(published) if published else None, credit=credit,
                  raw_hash=f"h-{aid}", cleaner="test")
    assert store.put_article(art, fmt="text", body=text) == "new"


def build_hostile_store(path: Path) -> Store:
    """Two stories; the first has a copy family, conflicting figures, a quote and an event, every
    text field hostile; URLs include ``javascript:`` and one with characters that need escaping."""
    store = Store(path)
    _put(store, "evil-1", url="javascript:alert(document.cookie)", outlet=EVIL_OUTLET, title=EVIL_TITLE,
         text=EVIL_TEXT, published="2025-03-04", credit="MWN")
    _put(store, "evil-2", url=COPY_URL, outlet="\" onfocus=\"alert(6)", title="Copy: " + EVIL_TITLE,
         text=EVIL_TEXT, published="2025-03-05", credit="MWN")
    _put(store, "ok-3", url=OK_URL, outlet="Honest Herald", title="Police count 3,800 detained",
         text="Police counted 3,800 people detained at Blue Orchid Park.", published="2025-03-06")
    _put(store, "ok-4", url="https://ok.example/4", outlet="Honest Herald", title="A <second> story & more",
         text="Floods hit the valley.", published="2025-04-01")
    with store.write() as db:
        db.execute("INSERT INTO families VALUES ('fam-1', 'evil-1', 'MWN', 2, 'copies.families-v1')")
        db.execute("INSERT INTO families VALUES ('fam-3', 'ok-3', NULL, 1, 'copies.families-v1')")
        db.execute("INSERT INTO families VALUES ('fam-4', 'ok-4', NULL, 1, 'copies.families-v1')")
        db.executemany("INSERT INTO family_members VALUES (?, ?)",
                       [("evil-1", "fam-1"), ("evil-2", "fam-1"), ("ok-3", "fam-3"), ("ok-4", "fam-4")])
        db.execute("INSERT INTO links(article, source, sibling, other, relation, score, algorithm, evidence)"
                   " VALUES ('evil-2', 'evil-1', NULL, 'evil-1', 'verbatim', 0.97, 'copies.classify-v1', '{}')")
        db.execute("INSERT INTO stories VALUES ('story-1', ?, '2025-03-04', '2025-03-06', 3, 2, 'stories.test-v1',"
                   " 'headline')", (EVIL_TITLE,))
        # a derived name (stories.name-v1): escaped like a headline, marked as derived
        db.execute("INSERT INTO stories VALUES ('story-2', 'A <second> story & more', '2025-04-01', '2025-04-01',"
                   " 1, 1, 'stories.test-v1', 'stories.name-v1')")
        db.executemany("INSERT INTO story_members(article, story, family) VALUES (?, ?, ?)",
                       [("evil-1", "story-1", "fam-1"), ("evil-2", "story-1", "fam-1"), ("ok-3", "story-1", "fam-3"),
                        ("ok-4", "story-2", "fam-4")])
        db.execute("INSERT INTO mentions(article, text, label, canonical, role, start, \"end\", algorithm)"
                   " VALUES ('evil-1', 'Saw Min Dee', 'PERSON', ?, 'a <b>spokesman</b>', 0, 6, 'test')", (EVIL_SPEAKER,))
        for fid, value, arts, srcs, claimant, aid in (("story-1:f1", 4000, 2, 1, "militia <u>", "evil-1"),
                                                      ("story-1:f2", 3800, 1, 1, "police", "ok-3")):
            db.execute("INSERT INTO facts(id, story, value, unit, what, date, place, articles, independent_sources,"
                       " conflict_group, algorithm) VALUES (?, 'story-1', ?, 'people', 'people detained', '2025-03-03',"
                       " 'Blue Orchid Park', ?, ?, 'story-1:g1', 'knowledge.figures-v1')", (fid, value, arts, srcs))
            db.execute("INSERT INTO fact_citations(fact, article, family, sentence, claimant, qualifier)"
                       " VALUES (?, ?, ?, ?, ?, NULL)",
                       (fid, aid, "fam-1" if aid.startswith("evil") else "fam-3", EVIL_TEXT, claimant))
        db.execute("INSERT INTO fact_citations(fact, article, family, sentence, claimant, qualifier)"
                   " VALUES ('story-1:f1', 'evil-2', 'fam-1', ?, 'militia <u>', NULL)", (EVIL_TEXT,))
        # a hostile dispute of the 4,000 figure, by the other family (shown beside it, never counted)
        db.execute("INSERT INTO fact_disputes(fact, article, family, sentence, claimant, claimant_source,"
                   " disputed_claimant, rule, cue, algorithm) VALUES ('story-1:f1', 'ok-3', 'fam-3', ?, ?, 'sentence',"
                   " 'militia <u>', 'denial', 'denied', 'knowledge.disputes-v1')", (EVIL_TEXT, EVIL_SPEAKER))
        db.execute("INSERT INTO quotes(article, quote, speaker, role, sentence, start, \"end\", algorithm)"
                   " VALUES ('evil-1', ?, ?, 'spokesman', ?, 10, 20, 'test')", (EVIL_QUOTE, EVIL_SPEAKER, EVIL_TEXT))
        db.execute("INSERT INTO story_events VALUES ('story-1:ev1', 'story-1', 'raid', '2025-03-03', '2025-03-03',"
                   " '2025-03-03', 'day', '<b>Blue</b> Orchid Park', ?, '[[4000, \"people\"]]', 2, 2, 0, 'test-v1')",
                   (json.dumps([EVIL_SPEAKER]),))
        db.executemany("INSERT INTO story_event_citations(event, article, family, mention, sentence)"
                       " VALUES ('story-1:ev1', ?, ?, 'm', ?)",
                       [("evil-1", "fam-1", EVIL_TEXT), ("ok-3", "fam-3", "Police raided the park on Monday.")])
    return store


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("report") / "hostile.db"
    build_hostile_store(path).close()
    return path


@pytest.fixture(scope="module")
def hostile(hostile_db) -> Store:
    return Store(hostile_db, readonly=True)


@pytest.fixture(scope="module")
def demo(demo_db) -> Store:
    return api.open_store(demo_db)


# -- an inventory of every tag, attribute and text of a page ---------------------------------------------
class Inventory(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "nav", "h1", "h2", "h3", "ol", "ul", "li", "a",
                "span", "p", "article", "code", "svg", "line", "text", "g", "path", "circle", "table", "thead",
                "tbody", "tr", "th", "td", "strong", "em", "br", "caption", "blockquote", "q", "footer", "div"}


def assert_inert(page: str, allowed_urls: set[str]) -> Inventory:
    """No script or active element, no event handler, links only to anchors or the given http(s) URLs."""
    assert not re.search(r"<\s*script", page, re.I)
    inv = Inventory()
    inv.feed(page)
    for tag, attrs in inv.tags:
        assert tag in ALLOWED_TAGS, f"unexpected <{tag}> {attrs}"
        for k, v in attrs.items():
            assert not k.startswith("on"), f"event handler {k} on <{tag}>"
            assert k not in {"src", "style", "xlink:href", "action", "formaction"}, f"{k} on <{tag}>"
            if k == "href":
                assert v.startswith("#") or v in allowed_urls, f"unexpected link {v!r}"
    return inv


# -- content -----------------------------------------------------------------------------------------------
def test_html_report_has_every_part_with_citations(hostile):
    page = render_report(hostile, ["story-1"], "html")
    inv = assert_inert(page, {OK_URL, COPY_URL})
    text = "".join(inv.text)
    assert EVIL_TITLE in text                                         # shown as text, not markup
    assert "4,000" in text and "3,800" in text and "people detained" in text
    assert "sources disagree" in text                                 # the conflict, side by side
    conflict = page[page.index("<table class=\"side\">"):]
    conflict = conflict[:conflict.index("</table>")]
    assert conflict.index("4,000") < conflict.index("3,800")          # both values in one row, never averaged
    assert "2 article(s) / 1 independent source(s)" in text
    assert "raid" in text and "Blue Orchid Park" in text              # the event
    assert "Saw <i>Min</i> Dee" in text and "We will *not* stop" in text
    assert "verbatim" in text and "score 0.970" in text              # the copy family with its relation
    assert f'href="{OK_URL}"' in page                                  # citations link to article URLs
    assert "javascript:" not in "".join(a.get("href", "") for _, a in inv.tags)
    assert "<svg" in page and "<circle" in page                        # the inline timeline chart
    assert "<h3>Family <code>fam-1</code>" in page and "&lt;h3&gt;" not in page
    # the dispute beside the 4,000 figure, its claimant shown as text, never a source
    assert "disputed by Saw <i>Min</i> Dee\n# injected heading (figure of militia <u>), not counted" in text


def test_html_escapes_url_with_special_characters(hostile):
    page = render_report(hostile, ["story-1"], "html")
    assert 'href="https://copy.example/a?x=1&amp;y=(2)&amp;z=&quot;&lt;b&gt;&quot;"' in page


def test_hostile_text_is_inert_in_html(hostile):
    page = render_report(hostile, None, "html")
    assert "&lt;script&gt;alert(&#x27;text&#x27;)&lt;/script&gt;" in page
    assert "<img" not in page and "<iframe" not in page and "<b " not in page and "<i>" not in page
    assert 'onfocus="' not in page


def test_html_is_self_contained(hostile):
    page = render_report(hostile, None, "html")
    assert "<link" not in page and "@import" not in page and "url(" not in page
    assert "Content-Security-Policy" in page and "default-src &#x27;none&#x27;" in page
    inv = assert_inert(page, {OK_URL, COPY_URL, "https://ok.example/4"})
    assert not any("src" in attrs or "srcset" in attrs for _, attrs in inv.tags)


def test_markdown_report_content_and_escaping(hostile):
    text = render_report(hostile, ["story-1"], "md")
    assert "4,000" in text and "3,800" in text and "sources disagree" in text
    assert "verbatim" in text and "score 0.970" in text
    assert f"]({OK_URL})" in text
    assert "](https://copy.example/a?x=1&y=%282%29&z=%22%3Cb%3E%22)" in text    # the destination cannot end early
    assert "<script" not in text and "<img" not in text and "<iframe" not in text and "<i>" not in text
    assert "&lt;script&gt;" in text
    assert "\\[click\\]\\(javascript\\:alert\\(2\\)\\)" in text
    for dest in re.findall(r"\]\(([^)]*)\)", text):
        assert dest.startswith(("https://", "http://")), dest
    assert not re.search(r"^# injected heading", text, re.M)           # a newline in a name starts nothing
    assert "Saw &lt;i&gt;Min&lt;/i&gt; Dee \\# injected heading" in text
    assert "- **disputed** by Saw &lt;i&gt;Min&lt;/i&gt; Dee \\# injected heading (figure of militia &lt;u&gt;)" in text


def test_all_covers_every_story(hostile):
    assert story_ids(hostile) == ["story-1", "story-2"]
    page = render_report(hostile, None, "html")
    md_text = render_report(hostile, None, "md")
    for title in (EVIL_TITLE, "A <second> story & more"):
        assert title in "".join(assert_inert(page, {OK_URL, COPY_URL, "https://ok.example/4"}).text)
    assert "A &lt;second&gt; story &amp; more" in md_text and "Floods" not in md_text
    assert page.count('<article class="story"') == 2 and md_text.count("\n## Sources\n") == 2
    # story-2's name is derived (stories.name-v1): italic and marked in both formats, story-1's is not
    assert "# _A &lt;second&gt; story &amp; more_ (derived name)" in md_text
    assert md_text.count("(derived name)") == 2 and "2. _A &lt;second&gt; story &amp; more_ (derived name)" in md_text
    assert re.search(r"<h1><span><em title=\"no article of this story has a headline[^\"]*\">A &lt;second&gt; story &amp; more"
                     r"</em> \(derived name\)</span></h1>", page)


def test_unknown_story_and_bad_format(hostile):
    with pytest.raises(NotFound):
        story_report(hostile, "nope")
    with pytest.raises(ValueError, match="html, md"):
        render_report(hostile, ["story-1"], "pdf")


def test_cli(hostile_db, tmp_path):
    runner = CliRunner()
    out = tmp_path / "r.html"
    res = runner.invoke(report, ["--all", "--db", str(hostile_db), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8").count('<article class="story"') == 2
    res = runner.invoke(report, ["story-2", "--format", "md", "--db", str(hostile_db)])
    assert res.exit_code == 0 and "A &lt;second&gt; story" in res.output
    assert runner.invoke(report, ["--db", str(hostile_db)]).exit_code == 2                 # neither
    assert runner.invoke(report, ["story-1", "--all", "--db", str(hostile_db)]).exit_code == 2
    res = runner.invoke(report, ["nope", "--db", str(hostile_db)])
    assert res.exit_code != 0 and "no story 'nope'" in str(res.exception or res.output)
    res = runner.invoke(report, ["--all", "--db", str(tmp_path / "missing.db")])
    assert res.exit_code == 1 and f"no store at {tmp_path / 'missing.db'}" in res.output
    assert not (tmp_path / "missing.db").exists()
    Store(tmp_path / "empty.db").close()
    res = runner.invoke(report, ["--all", "--db", str(tmp_path / "empty.db")])
    assert res.exit_code == 1 and "no story to report" in res.output


def test_demo_story_cites_every_member_and_charts_it(demo):
    sid = story_ids(demo)[0]
    rep = story_report(demo, sid)
    page = render_report(demo, [sid], "html")
    urls = {s["safe_url"] for s in rep["sources"].values() if s["safe_url"]}
    inv = assert_inert(page, urls)
    hrefs = {a["href"] for t, a in inv.tags if t == "a"}
    assert urls <= hrefs
    dated = sum(1 for s in rep["sources"].values() if s["published"])
    assert page.count("<circle") == dated
    assert sum(len(g["articles"]) for g in rep["groups"]) == rep["articles"] == len(rep["sources"])
    assert rep["families"] == len({g["family"] for g in rep["groups"]})
    for f in rep["facts"]:
        assert f["articles"] >= f["independent_sources"] >= 1


def test_demo_4100_is_one_source_with_its_dispute_beside_it(demo):
    """issue 12: the digest's excerpt of the wire's lead and the Salween Herald's dispute are not
    corroboration of "more than 4,100 detained"; the dispute is shown beside the figure."""
    sid = next(s for s in story_ids(demo) if any(f["value"] == 4100 and f["disputes"]
                                                  for f in story_report(demo, s)["facts"]))
    rep = story_report(demo, sid)
    f = next(f for f in rep["facts"] if f["value"] == 4100 and f["disputes"])
    assert f["independent_sources"] == 1
    assert [g["claimant"] for g in f["disputed_by"]] == ["Salween Herald"]
    page = render_report(demo, [sid], "html")
    assert_inert(page, {s["safe_url"] for s in rep["sources"].values() if s["safe_url"]})
    row = next(r for r in page.split("<tr") if 'class="dispute"' in r)     # the figure's row in the table
    assert "<strong>4,100</strong>" in row and "by <strong>Salween Herald</strong>" in row
    assert "The figure differs from" in row
    assert re.findall(r'<span class="pill strong">(\d+)</span>', row) == ["1"]   # independent sources
    md_text = render_report(demo, [sid], "md")
    lines = md_text.split("\n")
    at = next(i for i, x in enumerate(lines) if x.startswith("  - **disputed** by Salween Herald"))
    figure_line = next(x for x in reversed(lines[:at]) if x.startswith("- **"))   # the figure it sits beside
    assert figure_line.startswith("- **4,100**") and figure_line.endswith("/ 1 independent source(s)")
    assert re.search(r"\*\*disputed\*\* by Salween Herald \(figure of the group's spokesman\), not counted", md_text)


def test_demo_all_formats(demo):
    ids = story_ids(demo)
    md_text = render_report(demo, None, "md")
    assert md_text.count("\n## Key figures\n") == len(ids)
    for sid in ids:
        assert md(sid) in md_text


# -- escaping helpers as properties ------------------------------------------------------------------------
class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = ""
        self.tags = 0

    def handle_starttag(self, tag, attrs):
        self.tags += 1

    def handle_data(self, data):
        self.out += data


@given(st.text())
def test_el_round_trips_any_text_as_text(s):
    p = _Text()
    p.feed(el("p", {"title": s}, s))
    p.close()
    assert p.tags == 1 and p.out == s


@given(st.text())
def test_md_never_lets_markup_or_new_blocks_through(s):
    out = md(s)
    assert "<" not in out and ">" not in out and "\n" not in out
    assert not re.search(r"(?<!\\)[\[\]()`*_|]", out.replace("\\\\", ""))


@given(st.text())
def test_safe_url_only_http(s):
    u = safe_url(s)
    assert u is None or (u.lower().startswith(("http://", "https://")) and not re.search(r"\s", u))
    link = md_link("x", s)
    assert link == "x" or link.startswith("[x](http")


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<b>", "vbscript:x",
                                 "//evil.example/", "http://", "https://a.example/\nx", "ftp://a.example/"])
def test_safe_url_rejects(url):
    assert safe_url(url) is None


def test_actors_use_the_resolved_names_across_articles(tmp_path):
    store = build_hostile_store(tmp_path / "actors.db")
    with store.write() as db:
        db.execute("INSERT INTO mentions(article, text, label, canonical, start, \"end\", algorithm)"
                   " VALUES ('ok-3', 'Saw Min-Dee', 'PERSON', 'Saw Min-Dee', 0, 6, 'test')")
    before = {a["name"] for a in story_report(store, "story-1")["actors"]}
    assert before == {" ".join(EVIL_SPEAKER.split()), "Saw Min-Dee"}
    with store.write() as db:
        db.execute("INSERT INTO actors(name, label, mentions, algorithm) VALUES ('Saw Min Dee', 'PERSON', 2, 't')")
        db.executemany("INSERT INTO actor_aliases(alias, actor) VALUES (?, 'Saw Min Dee')",
                       [(EVIL_SPEAKER,), ("Saw Min-Dee",)])
    actors = story_report(store, "story-1")["actors"]
    assert [(a["name"], a["mentions"], a["articles"]) for a in actors] == [("Saw Min Dee", 2, 2)]
