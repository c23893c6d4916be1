"""direction-v7 / reduce-v5: the dateline note, dates a day apart, translations not judged by spin, confidence stored, chains."""
from __future__ import annotations

from test_copies_classify import art, make_story
from test_copies_direction_v5 import _dir, _sib
from test_copies_realnews_rules import _paras

from scamtrace.copies.classify import classify_pair
from scamtrace.copies.direction import CONFIDENCE, DIRECTION_ALGORITHM, decide, lead_dateline
from scamtrace.copies.families import REDUCE_ALGORITHM, orient_to_origins
from scamtrace.copies.features import Pair


def test_versions_bumped():
    assert DIRECTION_ALGORITHM in ("copies.direction-v7", "copies.direction-v8", "copies.direction-v9", "copies.direction-v10", "copies.direction-v11", "copies.direction-v12") and REDUCE_ALGORITHM in ("copies.reduce-v5", "copies.reduce-v6", "copies.reduce-v7")


def test_lead_dateline_finds_places_not_headings():
    assert lead_dateline("Headline here\nVIENTIANE: At least 47 people were rescued.")[0] == "VIENTIANE"
    assert lead_dateline("BANGKOK, Feb 28 (Reuters) - Hundreds of people fled.")[0] == "BANGKOK"
    assert lead_dateline("ADDIS ABABA, May 29 (Xinhua) -- The government said.")[0] == "ADDIS ABABA"
    assert lead_dateline(" date 2025-07-30 ĐỒNG NAI - Việt Nam on Wednesday received 85 citizens.")[0] == "ĐỒNG NAI"
    for text in ("UPDATE: The story changed.", "WATCH - Video of the raid", "Police said: Many were held.",
                 "(Reuters) - Hundreds fled.", "AP - Hundreds fled.", "No dateline at all in this text."):
        assert lead_dateline(text) is None, text


def _lead_pair(second_para_only: bool = False):
    paras = _paras(71, 8)
    lead, rest = paras[0], paras[1:]
    wire = art("wire", "Raid frees workers\n\nVIENTIANE: " + lead + "\n\n" + "\n\n".join(rest))
    copy_text = "\n\n".join(rest) if second_para_only else "Raid frees workers\n\n" + lead + "\n\n" + "\n\n".join(rest)
    return wire, art("copy", copy_text)


def test_a_dropped_dateline_is_recorded_but_orders_nothing():
    """direction-v7: republishers add "CITY:" datelines too, so the finding is a note (DATELINE_DECIDES)."""
    wire, copy = _lead_pair()
    for a, b in ((wire, copy), (copy, wire)):
        d = decide(a, b, "rewrite", Pair(a, b), 0.0, 0.0)
        assert d.decided_by == "unsure" and d.source is None, d
        assert any("VIENTIANE" in r and "wire" in r.split("VIENTIANE")[0] for r in d.reasons), d.reasons


def test_no_dateline_order_when_the_other_window_starts_after_the_lead_or_both_keep_it():
    wire, later = _lead_pair(second_para_only=True)
    assert not any("dateline" in r for r in decide(wire, later, "rewrite", Pair(wire, later), 0.0, 0.0).reasons)
    both = art("both", wire.text.replace("VIENTIANE:", "BOKEO:"))
    assert not any("dateline" in r for r in decide(wire, both, "rewrite", Pair(wire, both), 0.0, 0.0).reasons)


def test_a_translation_is_not_judged_by_spin():
    """The spin score of a text in another language says nothing of which came first."""
    a = art("en", make_story(31), language="en")
    b = art("es", make_story(31).replace("Police", "Officers"), language="es")
    d = decide(a, b, "rewrite", Pair(a, b), 0.0, 0.9)
    assert d.decided_by not in ("spin", "siblings")
    same = art("en2", b.text, language="en")
    assert decide(a, same, "spun", Pair(a, same), 0.0, 0.9).decided_by == "spin"


def test_the_confidence_of_the_deciding_reason_is_stored():
    body = make_story(2)
    link = classify_pair(art("a", body), art("b", body.split("\n\n")[0]))
    assert link is not None
    d = link.evidence["direction"]
    assert d["confidence"] == CONFIDENCE[d["decided_by"]]


def test_a_hub_linked_to_a_confirmed_original_is_a_link_of_a_chain():
    """reduce-v5: root is copied on strong evidence; mid (linked to root and to tail, which are unlinked) is
    the hub of its links, so it copies root, and tail copies mid. Before, mid ~ root stayed unsure."""
    core = [_dir("stub", "root", "truncated", "truncated")] + _sib("mid", "root") + _sib("tail", "mid")
    out = orient_to_origins(core)
    arrows = {(l.article, l.source) for l in out}
    assert arrows == {("stub", "root"), ("mid", "root"), ("tail", "mid")}, arrows
    assert all(l.evidence["direction"]["confidence"] == CONFIDENCE["family_origin"] for l in out
               if l.evidence["direction"]["decided_by"] == "family_origin")
    mid = next(l for l in out if l.article == "mid")
    assert "chain" in mid.evidence["direction"]["reasons"][-1]
    # a plain star (no strong evidence anywhere) is unchanged: the hub is the source of both
    star = _sib("c1", "hub") + _sib("c2", "hub")
    assert {(l.article, l.source) for l in orient_to_origins(star)} == {("c1", "hub"), ("c2", "hub")}


def test_headings_that_rewrites_add_are_no_datelines():
    for text in ("KEY FACTS: At least 47 people were rescued.", "WHAT HAPPENED - Police raided the compound.",
                 "BACKGROUND: The compound opened in 2019.", "EDITOR'S NOTE: This story was updated."):
        assert lead_dateline(text) is None, text


def test_a_syndication_footer_is_attribution():
    from scamtrace.copies.direction import attributes_to
    src = art("m", "Body of the story.", outlet="monitor.co.ug")
    copy = art("k", "Body of the story.\n\nThe post How 23 were repatriated appeared first on Monitor.", outlet="kmaupdates.com")
    assert "appeared first on Monitor" in attributes_to(copy, src)
    assert attributes_to(src, copy) == ""


def test_dates_a_day_apart_yield_to_the_wire_form_but_still_order_alone():
    import datetime as dt
    wire, copy = _lead_pair()
    wire.published, copy.published = dt.date(2024, 5, 25), dt.date(2024, 5, 24)
    d = decide(wire, copy, "rewrite", Pair(wire, copy), 0.0, 0.0)
    assert (d.decided_by, d.source) == ("published_close", "copy") and any("a day earlier" in r for r in d.reasons)
    plain_a, plain_b = art("a", make_story(5), published=dt.date(2024, 5, 24)), art("b", make_story(5),
                                                                                   published=dt.date(2024, 5, 25))
    d = decide(plain_b, plain_a, "verbatim", Pair(plain_b, plain_a), 0.0, 0.0)
    assert (d.decided_by, d.source, d.confidence) == ("published_close", "a", CONFIDENCE["published_close"])
    wire.published = dt.date(2024, 5, 27)
    d = decide(wire, copy, "rewrite", Pair(wire, copy), 0.0, 0.0)
    assert (d.decided_by, d.source, d.confidence) == ("published", "copy", CONFIDENCE["published"])   # 3 days
    # a day apart, the wire credit decides first
    credited = art("cr", make_story(5) + "\n\n(Reuters) - more.", published=dt.date(2024, 5, 25))
    d = decide(credited, plain_a, "verbatim", Pair(credited, plain_a), 0.0, 0.0)
    assert (d.decided_by, d.source) == ("credit", "cr") and any("a day earlier" in r for r in d.reasons)


def test_a_note_that_leans_one_way_is_stored_and_blocks_a_structural_turn_against_it():
    """The dateline note decides nothing, but the hub rule (a chain's middle looks like a star's hub) and
    outlet roles do not turn an unsure pair against it: the pair stays unsure."""
    wire, copy = _lead_pair()
    d = decide(wire, copy, "rewrite", Pair(wire, copy), 0.0, 0.0)
    assert d.decided_by == "unsure" and d.leans == {"dateline": "wire"}
    link = classify_pair(wire, copy)
    if link is not None:   # stored with the link's direction evidence
        assert link.evidence["direction"].get("leans") == {"dateline": "wire"}
    # "copy" is the hub of a star (linked to "wire" and "other", which are unlinked): without the lean
    # "wire" would be turned into copy's copy; with it the pair stays unsure
    lean = {"pair_relation": "rewrite", "direction": {"decided_by": "unsure", "reasons": [], "leans": {"dateline": "wire"}}}
    from scamtrace.model import Link
    core = [Link(article="wire", source=None, relation="rewrite", score=0.4, algorithm="t", evidence=dict(lean),
                 sibling="copy"),
            Link(article="copy", source=None, relation="rewrite", score=0.4, algorithm="t", evidence=dict(lean),
                 sibling="wire")] + _sib("other", "copy")
    out = orient_to_origins(core)
    arrows = {(l.article, l.source) for l in out}
    assert ("other", "copy") in arrows and ("wire", "copy") not in arrows and ("copy", "wire") not in arrows
    assert sum(1 for l in out if {l.article, l.sibling} == {"wire", "copy"}) == 2


def test_outlet_roles_do_not_turn_a_pair_against_its_lean():
    from scamtrace.copies.families import OutletRoles, orient_by_outlet_roles
    from scamtrace.model import Link
    arts = {"w": art("w", "x", outlet="wire.example"), "r": art("r", "y", outlet="repost.example")}
    lean = {"pair_relation": "rewrite", "direction": {"decided_by": "unsure", "reasons": [], "leans": {"dateline": "w"}}}
    core = [Link(article="w", source=None, relation="rewrite", score=0.4, algorithm="t", evidence=dict(lean), sibling="r"),
            Link(article="r", source=None, relation="rewrite", score=0.4, algorithm="t", evidence=dict(lean), sibling="w")]
    roles = OutletRoles(sources={"repost.example": 3})      # repost.example looks like an originator
    assert all(l.source is None for l in orient_by_outlet_roles(arts, core, roles))
    agree = OutletRoles(sources={"wire.example": 3})
    assert {(l.article, l.source) for l in orient_by_outlet_roles(arts, core, agree)} == {("r", "w")}
