"""Units of the web workspace that need no store: text marks, SVG layouts, CSRF checks, the serve command."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("fastapi", reason="the web workspace needs fastapi (pip install fastapi)")

from scamtrace.model import Article, Link  # noqa: E402
from scamtrace.web.marks import Mark, link_sides, segment  # noqa: E402
from scamtrace.views.charts import provenance_layout, timeline  # noqa: E402


def flat(paras):
    return "".join(seg["text"] for para in paras for seg in para)


# -- marks -----------------------------------------------------------------------------------------
def test_segment_marks_and_overlaps():
    text = "alpha beta gamma\n\ndelta epsilon"
    paras = segment(text, [Mark(6, 16, "passage", "p1", "p1"), Mark(11, 16, "sub", "swap"), Mark(18, 23, "fact")])
    assert len(paras) == 2
    first = paras[0]
    assert [s["text"] for s in first] == ["alpha ", "beta ", "gamma"]
    assert first[1]["kinds"] == ["passage"] and first[2]["kinds"] == ["passage", "sub"]
    assert first[2]["title"] == "p1; swap" and first[2]["ref"] == "p1"
    assert paras[1][0] == {"text": "delta", "kinds": ["fact"], "title": "", "ref": ""}


def test_segment_drops_marks_out_of_range_or_unknown():
    paras = segment("short text", [Mark(-5, 3, "passage"), Mark(8, 999, "fact"), Mark(4, 2, "sub"),
                                   Mark(0, 5, "onclick")])
    kinds = [(s["text"], s["kinds"]) for s in paras[0]]
    assert kinds == [("sho", ["passage"]), ("rt te", []), ("xt", ["fact"])]


@given(st.text(alphabet="ab \n", max_size=60),
       st.lists(st.tuples(st.integers(-5, 70), st.integers(-5, 70), st.sampled_from(["passage", "sub", "fact", "spin"])),
                max_size=8))
def test_segment_keeps_every_character_of_each_paragraph(text, raw):
    import re
    paras = segment(text, [Mark(a, b, k) for a, b, k in raw])
    expected = [p for p in re.split(r"\n\s*\n", text) if p]
    assert ["".join(s["text"] for s in para) for para in paras] == expected
    for para in paras:
        assert all(s["text"] for s in para)


def _art(aid: str, text: str) -> Article:
    return Article(id=aid, source=aid, text=text, outlet=aid.upper(), published=dt.date(2025, 3, 4))


def test_link_sides_orients_offsets_by_pair():
    src = _art("src", "The militia detained 4,100 people in the buildings on Monday.")
    cpy = _art("cpy", "The militia apprehended 4,100 people in the structures on Monday.")
    ev = {"pair": ["cpy", "src"], "features": {
        "passages": {"spans": [{"a": [0, 11], "b": [0, 11], "words": 2}], "passages": 1, "coverage_a": 0.2,
                     "coverage_b": 0.3, "longest_words": 2},
        "substitution_rate": {"evidence": {"substitutions": [{"from": "structures", "to": "buildings", "count": 1},
                                                             {"from": "apprehended", "to": "detained", "count": 1}]}},
        "fact_lcs": {"evidence": {"aligned": [{"kind": "num", "value": "4100", "a": [24, 29], "b": [21, 26]}]}}}}
    link = Link(article="cpy", source="src", relation="spun", score=0.7, algorithm="copies.classify-v1", evidence=ev)
    seen_from_copy = link_sides(link, cpy, src)
    assert seen_from_copy["role"] == "copy of" and seen_from_copy["coverage"] == {
        "this": 0.2, "other": 0.3, "passages": 1, "longest_words": 2}
    subs_this = {s["text"] for p in seen_from_copy["this_paragraphs"] for s in p if "sub" in s["kinds"]}
    subs_other = {s["text"] for p in seen_from_copy["other_paragraphs"] for s in p if "sub" in s["kinds"]}
    assert subs_this == {"structures", "apprehended"} and subs_other == {"buildings", "detained"}
    facts_this = [s["text"] for p in seen_from_copy["this_paragraphs"] for s in p if "fact" in s["kinds"]]
    assert facts_this == ["4,100"]
    seen_from_source = link_sides(link, src, cpy)
    assert seen_from_source["role"] == "copied by"
    assert {s["text"] for p in seen_from_source["this_paragraphs"] for s in p if "sub" in s["kinds"]} == subs_other
    assert seen_from_source["substitutions"][0] == {"this": "buildings", "other": "structures", "count": 1}
    assert flat(seen_from_copy["this_paragraphs"]) == cpy.text


def test_link_sides_does_not_mark_substitutions_inside_shared_passages():
    a = _art("a", "word tree word tree")
    b = _art("b", "word tree word bush")
    ev = {"pair": ["a", "b"], "features": {"passages": {"spans": [{"a": [0, 9], "b": [0, 9], "words": 2}]},
                                          "substitution_rate": {"evidence": {"substitutions": [
                                              {"from": "tree", "to": "bush", "count": 1}]}}}}
    link = Link(article="a", source="b", relation="spun", score=0.5, algorithm="x", evidence=ev)
    sides = link_sides(link, a, b)
    subs = [(s["text"], s["kinds"]) for p in sides["this_paragraphs"] for s in p if "sub" in s["kinds"]]
    assert subs == [("tree", ["sub"])]   # only the occurrence outside the passage


def test_link_without_evidence_still_renders():
    link = Link(article="a", source="b", relation="verbatim", score=1.0, algorithm="copies.judgement-v1",
                evidence={"judgement": "copy"})
    sides = link_sides(link, _art("a", "x y"), _art("b", "x y"))
    assert sides["judgement"] == "copy" and sides["substitutions"] == [] and flat(sides["this_paragraphs"]) == "x y"


# -- SVG layouts -----------------------------------------------------------------------------------
def _story(dates, events=()):
    arts = [{"id": f"a{i}", "title": "t", "outlet": "O", "published": d, "credit": None, "truncated": False,
             "is_origin": i == 0, "link": None if i == 0 else {"relation": "verbatim"}, "spin": None}
            for i, d in enumerate(dates)]
    return {"groups": [{"family": "f1", "origin": "a0", "origin_credit": None, "articles": arts}],
            "knowledge": {"events": list(events)}}


def test_timeline_places_dots_in_order_within_the_plot():
    tl = timeline(_story(["2025-03-04", "2025-03-10", None, "2025-03-06"]))
    pts = tl["lanes"][0]["points"]
    assert [p["id"] for p in pts] == ["a0", "a1", "a3"] and tl["undated"] == ["a2"]
    xs = {p["id"]: p["cx"] for p in pts}
    assert tl["x0"] <= xs["a0"] < xs["a3"] < xs["a1"] <= tl["x1"]
    assert pts[0]["kind"] == "origin" and pts[1]["kind"] == "verbatim"
    assert tl["ticks"][0]["label"] == "2025-03-04"


def test_timeline_with_events_and_without_dates():
    tl = timeline(_story(["2025-03-04"], [{"date": "2025-03-01", "date_start": "2025-03-01", "date_end": "2025-03-02",
                                           "type": "raid", "place": "Myawaddy", "independent_sources": 2},
                                          {"date": None, "type": "arrest"}]))
    assert len(tl["events"]) == 1 and tl["events"][0]["x"] < tl["events"][0]["x_end"]
    assert "raid in Myawaddy (2 sources)" == tl["events"][0]["label"]
    assert tl["events"][0]["x"] < tl["lanes"][0]["points"][0]["cx"]
    empty = timeline(_story([None]))
    assert empty["empty"] and empty["undated"] == ["a0"]


def test_timeline_is_not_squeezed_by_a_long_background_event():
    """Issue 15: a month-long event long before the articles must not squeeze them to a sliver."""
    tl = timeline(_story(["2025-03-04", "2025-03-07"], [
        {"date": "2025-01-01/2025-01-31", "date_start": "2025-01-01", "date_end": "2025-01-31", "type": "arrest",
         "place": None, "independent_sources": 1},
        {"date": "2025-03-03", "date_start": "2025-03-03", "date_end": "2025-03-03", "type": "raid", "place": None,
         "independent_sources": 3}]))
    xs = [p["cx"] for p in tl["lanes"][0]["points"]]
    assert max(xs) - min(xs) > 0.5 * (tl["x1"] - tl["x0"])
    old = next(e for e in tl["events"] if e["label"].startswith("arrest"))
    assert old["clipped"] and "before the articles" in old["label"] and old["x"] == old["x_end"] == tl["x0"]
    raid = next(e for e in tl["events"] if e["label"].startswith("raid"))
    assert not raid["clipped"] and raid["x"] < min(xs)


def test_timeline_lanes_one_per_outlet_and_absent_originals_named():
    def group(fam, outlet, origin_credit=None, origin=True):
        return {"family": fam, "origin": f"{fam}-a" if origin else None, "origin_credit": origin_credit,
                "articles": [{"id": f"{fam}-a", "title": "t", "outlet": outlet, "published": "2025-03-04",
                              "credit": None, "truncated": False, "is_origin": origin, "link": None, "spin": None}]}
    tl = timeline({"groups": [group("f1", "Border Voice"), group("f2", "Border Voice"), group("f3", "Border Voice"),
                              group("f4", "Daily X", "MWN", origin=False)], "knowledge": {"events": []}})
    labels = [lane["label"] for lane in tl["lanes"]]
    assert labels == ["Border Voice", "MWN (original absent)"]
    assert tl["lanes"][0]["families"] == ["f1", "f2", "f3"] and len(tl["lanes"][0]["points"]) == 3
    assert not any(lab.startswith("credit ") for lab in labels)


def test_provenance_layout_columns_and_absent_original():
    fam = {"id": "f", "origin": None, "origin_credit": "SWA", "nodes": [
        {"id": "x", "outlet": "X", "published": "2025-01-01", "title": "tx", "is_origin": False},
        {"id": "y", "outlet": "Y", "published": None, "title": "ty", "is_origin": False},
        {"id": "z", "outlet": "Z", "published": None, "title": "tz", "is_origin": False}],
        "edges": [{"from": "y", "to": "x", "relation": "spun", "sibling": True},
                  {"from": "x", "to": "z", "relation": "verbatim", "sibling": False}]}
    g = provenance_layout(fam)
    pos = {n["id"]: n for n in g["nodes"]}
    ghost = next(n for n in g["nodes"] if n["ghost"])
    assert ghost["x"] < pos["x"]["x"] == pos["y"]["x"] < pos["z"]["x"]
    labels = sorted(e["label"] for e in g["edges"])
    assert labels == ["credit SWA", "credit SWA", "spun", "verbatim"]
    assert all(n["x"] + n["w"] <= g["width"] and n["y"] + n["h"] <= g["height"] for n in g["nodes"])


# -- serve command -----------------------------------------------------------------------------------
def test_is_loopback():
    from scamtrace.web.cli import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1") and is_loopback("127.8.0.1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2") and not is_loopback("example.org")


def test_serve_prints_where_and_warns_off_loopback(tmp_path, monkeypatch):
    import uvicorn
    from click.testing import CliRunner

    from scamtrace.web.cli import serve

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    db = str(tmp_path / "s.db")
    res = CliRunner().invoke(serve, ["--db", db, "--port", "9999"])     # a missing store is refused
    assert res.exit_code == 1 and f"no store at {db}" in res.output and not calls
    from scamtrace.store import Store

    Store(db).close()
    res = CliRunner().invoke(serve, ["--db", db, "--port", "9999"])
    assert res.exit_code == 0, res.output
    assert "http://127.0.0.1:9999/" in res.output and "loopback only" in res.output and "WARNING" not in res.output
    assert calls[-1] == {"host": "127.0.0.1", "port": 9999, "log_level": "warning"}
    res = CliRunner().invoke(serve, ["--db", db, "--host", "0.0.0.0"])
    assert res.exit_code == 0 and "WARNING" in res.output and calls[-1]["host"] == "0.0.0.0"


def test_csrf_problem_rules():
    from starlette.requests import Request

    from scamtrace.web.security import CSRF_COOKIE, csrf_problem

    def req(cookie=None, origin=None):
        headers = [(b"host", b"localhost:8765")]
        if cookie:
            headers.append((b"cookie", f"{CSRF_COOKIE}={cookie}".encode()))
        if origin:
            headers.append((b"origin", origin.encode()))
        return Request({"type": "http", "method": "POST", "path": "/judgements", "headers": headers,
                        "query_string": b""})

    tok = "A" * 43
    assert csrf_problem(req(tok), tok) is None
    assert csrf_problem(req(tok, "http://localhost:8765"), tok) is None
    assert "cross-origin" in csrf_problem(req(tok, "http://evil.example"), tok)
    assert "opaque" in csrf_problem(req(tok, "null"), tok)
    assert "missing CSRF cookie" in csrf_problem(req(None), tok)
    assert "missing CSRF token" in csrf_problem(req(tok), None)
    assert "does not match" in csrf_problem(req(tok), "B" * 43)
