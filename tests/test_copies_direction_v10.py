"""direction-v10 / classify-v10: a visible stop line right after the shared passages ends a cut copy, even when its
page goes on with its own matter. Texts: tests/stemma_fixture.py (INVENTED: a fictional wire story)."""
from __future__ import annotations

import stemma_fixture as fx

import scamtrace.copies.direction as direction
from scamtrace.copies import classify_pair
from scamtrace.copies.classify import CLASSIFY_ALGORITHM
from scamtrace.copies.direction import DIRECTION_ALGORITHM
from scamtrace.model import Article


def _pair():
    wire = fx.articles(("wire",))[0]
    stub = Article(id="stub", source="fixture:stub", text=fx.stub_with_footer_text(), outlet="portal.example")
    return wire, stub


def test_versions():
    assert DIRECTION_ALGORITHM in ("copies.direction-v10", "copies.direction-v11", "copies.direction-v12") and CLASSIFY_ALGORITHM in ("copies.classify-v10", "copies.classify-v11", "copies.classify-v12", "copies.classify-v13")


def test_a_stop_line_after_the_shared_passages_makes_a_cut_copy_though_the_page_goes_on():
    wire, stub = _pair()
    link = classify_pair(wire, stub)
    assert (link.article, link.source, link.relation) == ("stub", "wire", "truncated")
    cut = link.evidence["features"]["cut_copy"]
    assert cut["stops"] == "a" and cut["marker"] == "Read more at afp.com" and cut["words_after"] > direction.STOP_MAX_TAIL_WORDS


def test_without_the_stop_line_the_same_page_is_two_windows(monkeypatch):
    # the page's own matter after the shared passages (66 words) is more than a cut copy's tail: without the
    # line the pair is verbatim, as classify-v9 had it
    wire, stub = _pair()
    plain = Article(id="stub", source="fixture:stub", text=stub.text.replace("Read more at afp.com", "Photo: file"),
                    outlet="portal.example")
    assert classify_pair(wire, plain).relation == "verbatim"
    monkeypatch.setattr(direction, "STOP_LINE_AFTER_CHARS", 0)
    monkeypatch.setattr(direction, "STOP_LINE_MAX_GAP_WORDS", 0)   # direction-v11 looks past a caption too
    assert classify_pair(wire, stub).relation == "verbatim"


def test_a_stop_line_does_not_cut_when_the_other_text_stops_too():
    # both texts end at the same paragraph: nothing goes on, so the stop line cuts nothing
    wire, stub = _pair()
    short_wire = Article(id="wire", source="fixture:wire", text=fx._join(fx.WIRE_TITLE, fx.WIRE_PARAS[:5]),
                         outlet="afp.com")
    assert direction.cut_copy(direction.Pair(short_wire, stub)) is None
