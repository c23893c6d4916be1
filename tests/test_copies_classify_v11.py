"""classify-v11 / direction-v11: general rules read off realnews-dev half B (docs/measurements.md), each shown
on INVENTED texts (tests/stemma_fixture.py's fictional wire story; no dataset text here):

- an editor's version of a wire story (words added, dropped, a phrase or two reworded) is verbatim with edits, not
  spun; a spinner's copy swaps words throughout (SPUN_MIN_SWAPS, SPUN_MIN_SWAP_SHARE);
- one line of page chrome at a window's edge does not stop two windows of one text being verbatim
  (WINDOW_EDGE_MAX_WORDS);
- a stop line ("Register to read") after a photo caption still marks a cut copy (STOP_LINE_MAX_GAP_WORDS);
- a text that ends with a stop line beside a window cut mid-story is the cut copy, even with more words
  (STOP_WINDOW_MAX_TAIL), and cleaning's truncated flag on the window does not reverse it.
"""
from __future__ import annotations

import stemma_fixture as fx

import scamtrace.copies.classify as classify
import scamtrace.copies.direction as direction
from scamtrace.copies import classify_pair
from scamtrace.copies.classify import relate
from scamtrace.copies.features import Pair
from scamtrace.model import Article

PARAS = fx.WIRE_PARAS


def _art(i: str, text: str, outlet: str, **kw) -> Article:
    return Article(id=i, source=f"fixture:{i}", text=text, outlet=outlet, **kw)


def _edited() -> list[str]:
    """An editor's version: words added in most sentences, a name dropped, two phrases reworded."""
    p = list(PARAS[:9])
    p[0] = p[0].replace("officials said, after", "officials told reporters, after").replace(
        "months of complaints", "months of written complaints")
    p[1] = p[1].replace("the provincial police chief Colonel Dara Venthol told reporters",
                        "the provincial police chief told reporters").replace("nine countries", "nine different countries")
    p[2] = p[2].replace("first day", "very first day").replace("locked in a room", "locked in a small room")
    p[3] = p[3].replace("two foreign embassies", "two foreign embassies in the capital").replace(
        "Officers seized", "Officers also seized")
    p[4] = p[4].replace("Eleven suspected managers", "Eleven suspected managers of the compound").replace(
        "They face charges", "They now face charges")
    p[5] = p[5].replace("gave them food", "quickly gave them food")
    p[6] = p[6].replace("were recruited", "had been recruited by agents")
    p[7] = p[7].replace("investigators say", "investigators believe").replace("each year", "each and every year")
    p[8] = p[8].replace("the investigation would continue", "the criminal investigation would continue").replace(
        "he said", "he said on Tuesday")
    return p


SWAPS = {"freed": "liberated", "workers": "labourers", "raid": "assault", "forced": "obliged", "passports": "permits",
         "organised": "arranged", "suspected": "presumed", "shelter": "refuge", "women": "ladies",
         "pressure": "strain", "compound": "enclosure", "crossing": "traverse", "officials": "authorities",
         "families": "kin", "food": "nourishment", "arrested": "apprehended", "charges": "accusations",
         "advertisements": "adverts", "travel,\"": "journey,\"", "room": "chamber", "phones,": "handsets,",
         "investigators": "detectives"}


def _spun() -> list[str]:
    out = []
    for para in PARAS[:9]:
        out.append(" ".join(SWAPS.get(w, w) for w in para.split(" ")))
    return out


def test_an_editors_version_is_verbatim_and_a_spinners_copy_is_spun():
    wire = _art("wire", fx._join(fx.WIRE_TITLE, list(PARAS[:9])), "afp.example")
    edited = _art("edited", fx._join(fx.WIRE_TITLE, _edited()), "daily.example")
    spun = _art("spun", fx._join(fx.WIRE_TITLE, _spun()), "farm.example")
    v = relate(Pair(wire, edited))
    assert v.relation == "verbatim", v.features.get("swap_share")
    assert v.features["swap_share"]["swaps"] < classify.SPUN_MIN_SWAPS
    s = relate(Pair(wire, spun))
    assert s.relation == "spun", s.features.get("swap_share")
    assert s.features["swap_share"]["swaps"] >= classify.SPUN_MIN_SWAPS


def test_without_the_swap_rule_the_editors_version_was_spun(monkeypatch):
    wire = _art("wire", fx._join(fx.WIRE_TITLE, list(PARAS[:9])), "afp.example")
    edited = _art("edited", fx._join(fx.WIRE_TITLE, _edited()), "daily.example")
    monkeypatch.setattr(classify, "SPUN_MIN_SWAPS", 0)
    monkeypatch.setattr(classify, "SPUN_MIN_SWAP_SHARE", 0.0)
    assert relate(Pair(wire, edited)).relation == "spun"


SIGN_UP = ("Example News is a nonprofit newsroom that looks into abuses of power. Sign up to receive our stories "
           "as they are published.")
TEASER = ("Police in a fictional province freed 212 workers from a riverside scam centre after months of complaints "
          "from families abroad, and eleven managers were arrested. This story was first published by Example News.")
BOX = " ".join(f"Related item {i}: gallery caption for photo number {i} of the raid on the compound." for i in range(1, 10))


def _windows() -> tuple[Article, Article]:
    body = list(PARAS[:8])
    a = _art("mirror", SIGN_UP + "\n\n" + fx._join(fx.WIRE_TITLE, body[:3] + [BOX] + body[3:]), "mirror.example")
    b = _art("repost", TEASER + "\n\n" + fx._join(fx.WIRE_TITLE, body), "repost.example")
    return a, b


def test_one_line_of_chrome_at_a_windows_edge_keeps_two_windows_verbatim(monkeypatch):
    a, b = _windows()
    v = relate(Pair(a, b))
    ins = v.features["window_inserts"]
    assert ins["head"] > classify.WINDOW_EDGE_MAX_SHARE and ins["head_words"] <= classify.WINDOW_EDGE_MAX_WORDS
    assert v.relation == "verbatim" and ins["windowed"]
    monkeypatch.setattr(classify, "WINDOW_EDGE_MAX_WORDS", 0)
    assert relate(Pair(a, b)).relation != "verbatim"


CAPTION = ("RIVER VIEW A general view of the Sarit river crossing is seen from the far bank in the fictional province "
           "of Karnveli on March 3. Example Photo")
PAYWALL = ("Register to read this story and more for free.\n\nSigning up for an account helps us improve your "
           "browsing experience.\n\nContinue\n\nOR\n\nSee our subscription options.\n\nAlready have an account? Log in")


def test_a_stop_line_after_a_photo_caption_marks_the_cut_copy(monkeypatch):
    wire = _art("wire", fx._join(fx.WIRE_TITLE, list(PARAS[:8])), "afp.example")
    cut = _art("paywalled", fx._join("World > Asia\n\n" + fx.WIRE_TITLE, list(PARAS[:3]) + [CAPTION, PAYWALL]),
               "paper.example")
    link = classify_pair(wire, cut)
    assert (link.article, link.source, link.relation) == ("paywalled", "wire", "truncated")
    assert link.evidence["features"]["cut_copy"]["marker"].startswith("Register to read")
    monkeypatch.setattr(direction, "STOP_LINE_MAX_GAP_WORDS", 0)
    assert classify_pair(wire, cut).relation == "verbatim"


def test_a_text_ending_with_a_stop_line_beside_a_window_cut_mid_story_is_the_cut_copy(monkeypatch):
    body = " ".join(PARAS[:7])
    window = body[:body.index("customer service jobs") + len("customer serv")]   # cut mid-word by the collector
    src = _art("source", window, "origin.example", truncated=True)               # cleaning flags the window cut
    copy_text = fx._join(fx.WIRE_TITLE, list(PARAS[:8])) + "\n\nscroll down for article w video\n\nLeave a comment"
    cp = _art("republisher", copy_text, "blog.example")
    link = classify_pair(src, cp)
    assert (link.article, link.source, link.relation) == ("republisher", "source", "truncated")
    assert link.evidence["direction"]["decided_by"] == "truncated"
    assert "window cut mid-story" in link.evidence["direction"]["reasons"][0]
    cut = direction.cut_copy(Pair(src, cp))
    assert cut is not None and cut.by_window and cut.side == "b" and cut.marker.startswith("scroll down")
    # without the rule cleaning's flag on the window decides, and the arrow is reversed
    monkeypatch.setattr(direction, "STOP_WINDOW_MAX_TAIL", -1)
    old = classify_pair(src, cp)
    assert (old.article, old.source) == ("source", "republisher")
