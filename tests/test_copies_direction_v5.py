"""direction-v5 and families' orient_to_origins: mirrors, weak spin only for excerpts, stars and confirmed originals."""
from __future__ import annotations

import dataclasses

from test_copies_classify import art, make_story
from test_copies_realnews_rules import _paras

from scamtrace.copies.direction import DIRECTION_ALGORITHM, decide, mirror_key, site_name
from scamtrace.copies.families import orient_to_origins, reduce_links
from scamtrace.copies.features import Pair
from scamtrace.model import Link


def test_version_bumped():
    assert DIRECTION_ALGORITHM in ("copies.direction-v7", "copies.direction-v8", "copies.direction-v9", "copies.direction-v10", "copies.direction-v11", "copies.direction-v12")


def test_site_name_drops_www_suffix_and_second_level_labels():
    assert site_name("www.mexc.com") == site_name("mexc.fm") == site_name("mexc.co") == "mexc"
    assert site_name("monitor.co.ug") == "monitor" and site_name("en.sggp.org.vn") == "sggp"
    assert site_name("thestar.com.my") == "thestar"


def _mirror(aid: str, url: str, text: str):
    a = art(aid, text)
    a.url = url
    return a


def test_a_page_on_two_hosts_of_one_site_points_to_the_main_host():
    text = "\n\n".join(_paras(8, 8))
    cases = [("https://www.example.co/en-NG/news/677220", "https://www.example.com/news/677220", "b"),
             ("https://www.example.org/post/a-story", "https://example.org/post/a-story", "a")]
    for url_a, url_b, main in cases:
        a, b = _mirror("a", url_a, text), _mirror("b", url_b, text)
        for x, y in ((a, b), (b, a)):
            d = decide(x, y, "verbatim", Pair(x, y), 0.0, 0.0)
            assert (d.decided_by, d.source) == ("mirror", main), d
            assert any("one page on two hosts" in r for r in d.reasons)


def test_no_mirror_across_sites_or_pages_or_for_rewrites():
    text = "\n\n".join(_paras(9, 8))
    a = _mirror("a", "https://www.example.com/news/1", text)
    for url in ("https://www.other.com/news/1", "https://www.example.co/news/2"):
        b = _mirror("b", url, text)
        assert decide(a, b, "verbatim", Pair(a, b), 0.0, 0.0).decided_by == "unsure"
    b = _mirror("b", "https://www.example.co/news/1", text)
    assert mirror_key(a) == mirror_key(b) == ("example", "1")
    assert decide(a, b, "rewrite", Pair(a, b), 0.0, 0.0).decided_by == "unsure"
    assert mirror_key(art("c", text)) is None       # no URL, no mirror


def test_weak_spin_orders_excerpts_only():
    a, b = art("a", make_story(31)), art("b", make_story(31).replace("Police", "Officers"))
    pair = Pair(a, b)
    assert decide(a, b, "rewrite", pair, 0.0, 0.2).decided_by == "unsure"
    assert decide(a, b, "rewrite", pair, 0.0, 0.6).decided_by != "spin_weak"
    d = decide(a, b, "excerpt", pair, 0.0, 0.6)
    assert (d.decided_by, d.source, d.copy) == ("spin_weak", "a", "b")
    # direction-v9: a text that does not look spun (one or two collocation hits) orders nothing
    assert decide(a, b, "excerpt", pair, 0.0, 0.2).decided_by == "unsure"


def _sib(x: str, y: str, rel: str = "rewrite") -> list[Link]:
    ev = {"pair_relation": rel, "direction": {"decided_by": "unsure", "reasons": ["no evidence"]}}
    return [Link(article=x, source=None, relation=rel, score=0.4, algorithm="t", evidence=dict(ev), sibling=y),
            Link(article=y, source=None, relation=rel, score=0.4, algorithm="t", evidence=dict(ev), sibling=x)]


def _dir(x: str, y: str, by: str, rel: str = "verbatim") -> Link:
    return Link(article=x, source=y, relation=rel, score=0.9, algorithm="t",
                evidence={"pair_relation": rel, "direction": {"decided_by": by, "reasons": []}})


def test_the_hub_of_a_star_becomes_the_source_of_its_siblings():
    core = _sib("c1", "hub") + _sib("c2", "hub")
    out = orient_to_origins(core)
    assert sorted((l.article, l.source) for l in out) == [("c1", "hub"), ("c2", "hub")]
    assert all(l.evidence["direction"]["decided_by"] == "family_origin" and "hub of a star" in
               l.evidence["direction"]["reasons"][-1] for l in out)
    # a triangle is no star: the two copies resemble each other too, so nothing is decided
    tri = core + _sib("c1", "c2")
    assert all(l.source is None for l in orient_to_origins(tri))
    # siblings decided as two copies of an absent original stay siblings
    deliberate = [dataclasses.replace(l, evidence={**l.evidence, "direction": {"decided_by": "siblings"}}) for l in core]
    assert orient_to_origins(deliberate) == deliberate
    # order of the input does not matter
    assert sorted(map(repr, orient_to_origins(list(reversed(core))))) == sorted(map(repr, out))


def test_a_confirmed_original_takes_its_unsure_sibling_and_weak_evidence_does_not_confirm():
    core = [_dir("stub", "orig", "truncated", "truncated")] + _sib("orig", "other")
    out = orient_to_origins(core)
    assert ("other", "orig") in {(l.article, l.source) for l in out} and len(out) == 2
    weak = [_dir("stub", "orig", "detail")] + _sib("orig", "other") + _sib("stub", "other")   # no star
    assert orient_to_origins(weak) == weak
    # an article that copies another is no confirmed original
    chain = [_dir("stub", "orig", "truncated", "truncated"), _dir("orig", "root", "credit")] + _sib("orig", "other")
    assert {(l.article, l.source) for l in orient_to_origins(chain)} == {("stub", "orig"), ("orig", "root"),
                                                                        ("orig", None), ("other", None)}


def test_reduce_links_keeps_the_oriented_link():
    arts = {i: art(i, make_story(50 + n)) for n, i in enumerate(("c1", "c2", "hub"))}
    kept = reduce_links(arts, _sib("c1", "hub") + _sib("c2", "hub"))
    assert sorted((l.article, l.source) for l in kept) == [("c1", "hub"), ("c2", "hub")]


def test_a_shared_quotation_with_facts_in_order_is_no_rewrite():
    """classify-v4: when the only shared passage is a quotation both carry, facts lining up do not make a copy."""
    from scamtrace.copies.classify import relate
    quote = ('"We have received around 50 people with injuries suffered when the walls of their houses '
             'collapsed onto them during the night," the doctor said.')
    a = ("Rescuers led by Colonel Amir Hassan reached Banda Aceh on Tuesday after the 6.1 quake. Officials of "
         "Zainal Abidin Hospital counted 120 injured and 35 dead across Pidie Jaya district. " + quote +
         " Governor Irwandi Yusuf flew in with 400 tents while the Indonesian Red Cross sent 75 volunteers "
         "from Medan City overnight. Power failed in Lhokseumawe and Bireuen, where engineers of the state utility "
         "worked through the night; schools stayed shut on Wednesday as aftershocks rattled windows across the province "
         "and families slept in the open near the Baiturrahman Grand Mosque. Seismologists at the national agency "
         "said the fault had been quiet for decades and warned that repairs to bridges would take months.")
    b = ("Colonel Amir Hassan and his rescue team were in Banda Aceh by Tuesday, hours after a 6.1 quake struck "
         "the coast. Doctors at Zainal Abidin Hospital have so far registered 120 people hurt; the toll stands at "
         "35 in Pidie Jaya district. " + quote + " Governor Irwandi Yusuf came with 400 tents, and volunteers "
         "of the Indonesian Red Cross, 75 in all, travelled overnight from Medan City. In Lhokseumawe and Bireuen "
         "the lights went out and utility crews toiled until dawn. With tremors continuing, classrooms remained "
         "closed the next day, and many households camped outdoors beside the Baiturrahman Grand Mosque. Experts "
         "expect road links to stay cut for weeks; one geologist called the rupture unusual for this coast.")
    v = relate(Pair(a, b))
    assert v.features.get("quoted_passages", {}).get("ignored", 0) >= 1
    assert v.features["fact_order"]["score"] >= 0.8 and v.features["rewrite_support"]["supported"]
    assert v.relation is None and v.features["rewrite_support"]["quotation_only"] is True


def test_one_source_per_copy_never_splits_a_family():
    """reduce-v3: a dropped link that alone held a member in the family is kept (verbatim/truncated/spun only)."""
    arts = {i: art(i, make_story(60 + n)) for n, i in enumerate(("a", "b", "c"))}
    links = [_dir("c", "a", "truncated", "truncated"), _dir("c", "b", "truncated", "truncated")]
    links[1].score = 0.8
    kept = reduce_links(arts, links)
    assert sorted((l.article, l.source) for l in kept) == [("c", "a"), ("c", "b")]
    assert [l.evidence.get("kept_because") for l in kept if l.source == "b"] == [
        "the only link left holding the family together"]
    weak = [_dir("c", "a", "truncated", "truncated"), _dir("c", "b", "detail", "rewrite")]
    weak[1].score = 0.8
    assert sorted((l.article, l.source) for l in reduce_links(arts, weak)) == [("c", "a")]


def test_a_wire_on_its_own_host_is_its_own_outlet():
    from scamtrace.copies.direction import own_outlet
    from scamtrace.copies.features import credit_dateline
    body = "BANGKOK (Reuters) - Police raided a compound near the border on Tuesday, officials said."
    for outlet, own in (("reuters.com", True), ("www.reuters.com", True), ("thestar.com.my", False),
                        ("Reuters", True), ("Daily Blog", False)):
        a = art("a", body)
        a.outlet = outlet
        assert own_outlet(a) is own, outlet
    a = art("b", "NEW DELHI (IANS) - Forty-seven Indians were rescued from a scam centre in Laos.")
    assert credit_dateline(a) == ("IANS", "NEW DELHI")
    a.outlet = "ians.in"
    assert own_outlet(a)
    a = art("c", "BEIJING (Xinhua) - Uganda brought back 23 citizens.")
    a.outlet = "english.xinhuanet.com"
    assert own_outlet(a)
