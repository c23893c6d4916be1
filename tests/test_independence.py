"""Honest independence (issue 12, part 4): statements inside borrowed passages count for the lender's
family (knowledge.borrowed-v1), and sentences that dispute a figure are disputes, never corroboration
(knowledge.disputes-v1), shown beside the figure in the brief, the web page, its /api twin and exports."""
from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pytest

from scamtrace import api
from scamtrace.knowledge import merge_figures
from scamtrace.report.text import render_story
from scamtrace.views.story import story_view
from scamtrace.knowledge.disputes import dispute_of
from scamtrace.knowledge.independence import Borrowed, passages_of
from scamtrace.model import Link
from scamtrace.store import Store
from scamtrace.store.extracted import facts

# -- disputes: general constructions, and the look-alikes that are not disputes ---------------------------
DISPUTED = [
    ('The figure differs from the "more than 4,100" announced by the group\'s spokesman in Thailand.',
     "more than 4,100", "compare", None, "the group's spokesman"),
    ("Police said 3,000 people were detained, lower than the 4,100 reported by the militia.", "4,100", "compare",
     "Police", "the militia"),
    ("The militia denied that 4,100 people were detained.", "4,100", "denial", "The militia", None),
    ("Officials disputed the figure of 4,100.", "4,100", "denial", "Officials", None),
    ("Police put the number at 3,000, not 4,100 as reported.", "4,100", "not-as-reported", "Police", None),
    ("Officials said 20 people, not 30, were freed.", "30", "not-as-reported", "Officials", None),
    ("The ministry revised the toll to 3,800 from 4,100.", "4,100", "correction", "The ministry", None),
    ("The ministry rejected the claim that 4,100 people were held.", "4,100", "denial", "The ministry", None),
    ("Activists said the 4,100 figure was inflated.", "4,100", "called-wrong", "Activists", None),
    ("A spokesman denied reports that 50 Chinese nationals had been beaten.", "50", "denial", "A spokesman", None),
    ("The tally is at odds with the 900 counted by volunteers.", "900", "compare", None, None),
    ("Police dispute that 300 people died.", "300", "denial", "Police", None),
]
NOT_DISPUTED = [
    ("More than 4,100 people were detained.", "More than 4,100"),             # a qualifier, not a comparison
    ("Police said 3,000 people were detained, lower than the 4,100 reported by the militia.", "3,000"),
    ("Police put the number at 3,000, not 4,100 as reported.", "3,000"),
    ("Officials said 20 people, not 30, were freed.", "20"),
    ("Arrivals fell to 300, down from 4,100 last year.", "4,100"),            # a change over time
    ("The number of victims was higher than the 300 recorded in 2022.", "300"),
    ("The company reduced staff from 4,000 to 1,000.", "4,000"),
    ("Thailand denied entry to 300 people.", "300"),                          # denied entry, not a figure
    ("Over 290 Ugandans remain stranded, as reported by the Minister of State.", "Over 290"),   # attribution
    ("He denied the charges, and police said 200 people were held.", "200"),  # another clause
    ("Police rejected 300 applications.", "300"),                             # weak verb without a claim noun
    ("Police questioned 45 suspects.", "45"),
    ("He was not among the 300 people freed.", "300"),
    ("Not 10 minutes later, 40 people were freed.", "40"),
    ("The Commission resolves significant disputes among the five major families.", "five"),    # a noun
    ("Isaacs noted elements of a border dispute, with Yida being only 10 miles from the border.", "10"),
    ("Both parties claimed the disputed 300 seats.", "300"),                    # an adjective
]


@pytest.mark.parametrize("sentence,figure,rule,claimant,disputed", DISPUTED)
def test_dispute_rules(sentence, figure, rule, claimant, disputed):
    i = sentence.index(figure)
    d = dispute_of(sentence, i, i + len(figure), outlet="The Outlet")
    assert d is not None, sentence
    assert d.rule == rule and d.algorithm == "knowledge.disputes-v1"
    assert d.claimant == (claimant or "The Outlet")                      # the publication when nobody is named
    assert d.claimant_source == ("sentence" if claimant else "outlet")
    if disputed:
        assert d.disputed_claimant == disputed
    assert d.evidence["cue"] and d.evidence["figure"] == figure


@pytest.mark.parametrize("sentence,figure", NOT_DISPUTED)
def test_not_disputes(sentence, figure):
    i = sentence.index(figure)
    assert dispute_of(sentence, i, i + len(figure)) is None, sentence


# -- merging: borrowed mentions and disputes ------------------------------------------------------------
def fig(value, sentence, figure, what="people detained", date="2025-03-03", claimant=None, at=0):
    s = sentence.index(figure)
    return SimpleNamespace(value=value, unit="people", what=what, date=date, place=None, claimant=claimant,
                           qualifier=None, sentence=sentence, sentence_start=at, start=at + s,
                           end=at + s + len(figure), action="detained")


WIRE = "Soldiers detained more than 4,100 people in a raid, officials said."
DIGEST_LEAD = "This week in scam news. "
HERALD = 'The figure differs from the "more than 4,100" announced by the spokesman.'


def _borrowed() -> Borrowed:
    start = len(DIGEST_LEAD)
    link = Link(article="digest", source="wire", relation="excerpt", score=0.5, algorithm="test",
                evidence={"pair": ["digest", "wire"],
                          "features": {"passages": {"spans": [{"a": [start, start + len(WIRE)], "b": [0, len(WIRE)],
                                                               "words": 11}]}}})
    fam = {"wire": "F-wire", "digest": "F-digest", "herald": "F-herald"}
    return Borrowed(passages_of([link], fam), fam)


def _credit(b: Borrowed):
    def credit(aid, f):
        cr = b.credit(aid, f.start, f.end)
        return cr if cr.borrowed_from else None
    return credit


def test_excerpt_and_dispute_are_not_corroboration():
    """Fails if the digest's excerpted sentence or the disputing article counts as a source."""
    b = _borrowed()
    items = [("wire", fig(4100, WIRE, "more than 4,100")),
             ("digest", fig(4100, DIGEST_LEAD + WIRE, "more than 4,100", at=0)),
             ("herald", fig(4100, HERALD, "more than 4,100", what="people"))]
    naive = merge_figures(items, b.family_of)                 # no credit: the digest counts as its own family
    assert next(f for f in naive if f.citations).independent_sources == 2
    out = merge_figures(items, b.family_of, _credit(b), {"herald": "Salween Herald"})
    (f,) = out
    assert f.articles == 2 and f.independent_sources == 1
    digest = next(c for c in f.citations if c.article == "digest")
    assert (digest.family, digest.own_family, digest.borrowed_from) == ("F-wire", "F-digest", "wire")
    assert digest.evidence["hops"][0]["relation"] == "excerpt"
    assert [(d.article, d.claimant, d.rule) for d in f.disputes] == [("herald", "Salween Herald", "compare")]
    assert f.disputing_sources == 1 and "herald" not in {c.article for c in f.citations}


def test_digest_own_writing_still_counts_for_the_digest():
    b = _borrowed()
    own = "The digest's own reporter counted 4,100 people detained."
    items = [("wire", fig(4100, WIRE, "more than 4,100")),
             ("digest", fig(4100, own, "4,100", at=len(DIGEST_LEAD) + len(WIRE) + 1))]
    (f,) = merge_figures(items, b.family_of, _credit(b))
    assert f.independent_sources == 2            # outside the borrowed passage: its own source


def test_borrowing_is_followed_through_a_chain_and_siblings_count_once():
    ev = lambda a0, a1, b0, b1, pair: {"pair": pair, "features": {"passages": {"spans": [  # noqa: E731
        {"a": [a0, a1], "b": [b0, b1], "words": 5}]}}}
    links = [Link("digest", "reprint", "excerpt", 0.5, "t", ev(100, 200, 0, 100, ["digest", "reprint"])),
             Link("reprint", "wire", "excerpt", 0.5, "t", ev(0, 100, 50, 150, ["reprint", "wire"])),
             Link("s2", None, "excerpt", 0.5, "t", ev(0, 50, 10, 60, ["s2", "s1"]), sibling="s1")]
    fam = {"digest": "D", "reprint": "R", "wire": "W", "s1": "S1", "s2": "S2"}
    b = Borrowed(passages_of(links, fam), fam)
    cr = b.credit("digest", 120, 130)
    assert cr.family == "W" and cr.borrowed_from == "reprint" and len(cr.evidence["hops"]) == 2
    assert b.credit("digest", 250, 260).family == "D"                     # outside the passage
    # siblings (no arrow): the shared passage is credited to the family sorting first, from either side
    assert b.credit("s2", 10, 20).family == "S1" and b.credit("s1", 20, 30).family == "S1"


def test_a_figure_known_only_from_its_dispute_has_no_stating_source():
    (f,) = merge_figures([("herald", fig(4100, HERALD, "more than 4,100"))], {}, None, {"herald": "Herald"})
    assert f.articles == 0 and f.independent_sources == 0 and len(f.disputes) == 1


# -- the demo store: CLI brief, web page, /api, exports ----------------------------------------------------
@pytest.fixture(scope="module")
def demo(demo_db) -> Store:
    return Store(demo_db, readonly=True)


def _disputed_4100(store: Store) -> dict:
    hits = [f for f in facts(store) if f["value"] == 4100 and f["disputes"]]
    assert len(hits) == 1, [(f["id"], f["what"]) for f in hits]
    return hits[0]


def test_demo_4100_one_independent_source_with_dispute(demo):
    f = _disputed_4100(demo)
    assert f["independent_sources"] == 1 and f["algorithm"] == "knowledge.figures-v3"
    outlets = {r["id"]: r["outlet"] for r in demo.execute("SELECT id, outlet FROM articles")}
    # the digest's sentence is cited, but counts for the wire's family
    digest = [c for c in f["citations"] if c["borrowed_from"]]
    assert digest and all(c["family"] == demo.family_of(c["borrowed_from"]) != c["own_family"] for c in digest)
    # the Salween Herald disputes it; its article is not a citation
    assert {outlets[d["article"]] for d in f["disputes"]} >= {"Salween Herald"}
    assert not {d["article"] for d in f["disputes"]} & {c["article"] for c in f["citations"]}
    assert {d["rule"] for d in f["disputes"]} == {"compare"}
    assert all(d["disputed_claimant"] == "the group's spokesman" for d in f["disputes"])


def test_demo_brief_shows_the_dispute_beside_the_figure(demo):
    f = _disputed_4100(demo)
    lines = render_story(story_view(demo, f["story"]), width=400).split("\n")
    at = next(i for i, x in enumerate(lines) if x.lstrip().startswith("! disputed"))
    assert lines[at].lstrip().startswith("! disputed by 1 source, not counted: Salween Herald (vs the group's spokesman)")
    assert "The figure differs from" in lines[at]
    figure = lines[at - 1]                                         # the figure line just above it
    assert figure.split()[0] == "4,100" and f["what"] in figure
    assert re.search(rf"\s{f['articles']}/1(\s|$)", figure)      # articles / independent sources


def test_demo_web_page_and_api_show_the_dispute(demo_db):
    pytest.importorskip("fastapi", reason="the web workspace needs fastapi")
    pytest.importorskip("httpx", reason="TestClient needs httpx")
    from fastapi.testclient import TestClient

    from scamtrace.web import create_app

    store = Store(demo_db, readonly=True)
    f = _disputed_4100(store)
    c = TestClient(create_app(demo_db))
    data = c.get(f"/api/stories/{f['story']}").json()
    fact = next(x for x in data["knowledge"]["facts"] if x["id"] == f["id"])
    assert fact["independent_sources"] == 1
    assert [g["claimant"] for g in fact["disputed_by"]] == ["Salween Herald"]
    assert fact["disputed_by"][0]["disputed_claimant"] == "the group's spokesman"
    page = c.get(f"/stories/{f['story']}").text
    row = next(r for r in page.split("<tr") if 'class="dispute"' in r)
    assert "4,100" in row and "<strong>Salween Herald</strong>" in row and "The figure differs from" in row
    assert 'title="independent sources (copy families)">1</span>' in row
    assert "borrowed from" in row                                # the digest's citation names its lender


def test_demo_figures_export_carries_roles(demo):
    f = _disputed_4100(demo)
    recs, cols = api.export_records(demo, "figures")
    recs = list(recs)
    assert {"role", "counts_for", "borrowed_from", "disputes", "disputed_by"} <= set(cols)
    mine = [r for r in recs if r["fact"] == f["id"]]
    disputing = [r for r in mine if r["role"] == "disputes"]
    assert disputing and all(r["counts_for"] is None and r["disputed_by"] == ["Salween Herald"] for r in disputing)
    borrowed = [r for r in mine if r["borrowed_from"]]
    assert borrowed and all(r["counts_for"] != demo.family_of(r["article"]) for r in borrowed)
    assert all(r["independent_sources"] == 1 and r["disputes"] == 1 for r in mine)
    json.dumps(recs)                                             # every record serialises


def test_demo_events_credit_borrowed_triggers(demo):
    rows = demo.execute("SELECT family, own_family, borrowed_from FROM story_event_citations"
                        " WHERE borrowed_from IS NOT NULL")
    assert rows, "the digest's excerpted lead states the raid: its event mention is borrowed"
    assert all(r["family"] != r["own_family"] for r in rows)


def test_brief_data_sorts_and_groups(demo):
    f = _disputed_4100(demo)
    b = story_view(demo, f["story"])
    assert any(x["id"] == f["id"] for x in b.facts)


def test_a_quote_in_a_borrowed_passage_counts_for_the_lender():
    from scamtrace.knowledge.independence import credit_quotes

    b = _borrowed()
    start = len(DIGEST_LEAD) + WIRE.index("officials")
    quotes = [{"article": "digest", "start": start, "end": start + 9},           # inside the excerpted lead
              {"article": "digest", "start": 0, "end": 4},                        # the digest's own words
              {"article": "wire", "start": 5, "end": 10}]
    credit_quotes(b, quotes)
    assert [(q["family"], q["borrowed_from"]) for q in quotes] == [("F-wire", "wire"), ("F-digest", None),
                                                                   ("F-wire", None)]


def test_demo_quotes_carry_independent_sources(demo_db):
    pytest.importorskip("fastapi", reason="the web workspace needs fastapi")
    pytest.importorskip("httpx", reason="TestClient needs httpx")
    from fastapi.testclient import TestClient

    from scamtrace.report import story_report
    from scamtrace.web import create_app

    store = Store(demo_db, readonly=True)
    sid = _disputed_4100(store)["story"]
    web = TestClient(create_app(demo_db)).get(f"/api/stories/{sid}").json()["knowledge"]["quotes"]
    rep = story_report(store, sid)["quotes"]
    for quotes in (web, rep):
        assert quotes and all(1 <= q["independent_sources"] <= len(q["articles"]) for q in quotes)
    # the digest repeats the militia's denial inside a passage it shares with the Straits Wire report:
    # while a copy link joins them (the copy stage may call a shared quotation no copy), one source
    q = next(q for q in rep if "security force" in q["quote"])
    linked = store.execute("SELECT 1 FROM links WHERE article = 'c-c34aa776b3700377'"
                           " AND other = 'swa-20250304-lotus-detained'")
    assert q["independent_sources"] == (1 if linked else 2) and len(q["articles"]) == 3


def test_demo_article_highlights_mark_the_disputing_figure(demo_db):
    pytest.importorskip("fastapi", reason="the web workspace needs fastapi")
    pytest.importorskip("httpx", reason="TestClient needs httpx")
    from fastapi.testclient import TestClient

    from scamtrace.web import create_app

    store = Store(demo_db, readonly=True)
    f = _disputed_4100(store)
    c = TestClient(create_app(demo_db))
    herald = next(d["article"] for d in f["disputes"] if d["claimant"] == "Salween Herald")
    spans = c.get(f"/api/articles/{herald}").json()["highlights"]["spans"]
    fig = next(s for s in spans if s["kind"] == "figure" and s["value"] == 4100)
    assert fig["fact"]["id"] == f["id"] and fig["fact"]["role"] == "disputes"
    assert "disputes the figure (not counted" in fig["title"]
    wire = next(x["article"] for x in f["citations"] if not x["borrowed_from"])
    spans = c.get(f"/api/articles/{wire}").json()["highlights"]["spans"]
    fig = next(s for s in spans if s["kind"] == "figure" and s["value"] == 4100)
    assert fig["fact"]["role"] == "states" and "1 independent source" in fig["title"]
    assert "disputed by 1 source" in fig["title"]
