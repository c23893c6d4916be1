"""direction-v9 / classify-v7: one order per pair, the text that stops is the cut copy, and usage votes over
the substitutions of a spun pair (invented texts only)."""
from __future__ import annotations

import dataclasses

import pytest

from test_copies_classify import SPIN, art, make_story, spin
from test_copies_realnews_rules import _paras

from scamtrace.copies import classify_pair
from scamtrace.copies.classify import CLASSIFY_ALGORITHM
from scamtrace.copies.direction import CONFIDENCE, DIRECTION_ALGORITHM, decide, rule_spin_votes, Case
from scamtrace.copies.features import Pair
from scamtrace.copies.locality import countries_by_code, host_country
from scamtrace.copies.spin import CollocationModel, is_edit, usage_keys, usage_votes
from scamtrace.model import Article


def test_versions_bumped():
    assert DIRECTION_ALGORITHM in ("copies.direction-v9", "copies.direction-v10", "copies.direction-v11", "copies.direction-v12") and CLASSIFY_ALGORITHM in ("copies.classify-v7", "copies.classify-v8", "copies.classify-v9", "copies.classify-v10", "copies.classify-v11", "copies.classify-v12", "copies.classify-v13")


# --------------------------------------------------------------------------- one order per pair

def _same(l1, l2) -> bool:
    if l1 is None or l2 is None:
        return l1 is l2
    return dataclasses.asdict(l1) == dataclasses.asdict(l2)


def _pairs_of_every_kind() -> list[tuple[Article, Article]]:
    body = make_story(3)
    paras = body.split("\n\n")
    digest = "\n\n".join(["A weekly roundup of regional news for readers.", paras[2],
                          make_story(8, sentences=6), "Subscribe for more."])
    other = make_story(4)
    return [
        (art("m", body), art("k", "Scam compound raided\n\n" + body + "\n\nShare this story.")),
        (art("full", body), art("a-teaser", "\n\n".join(paras[:3]))),
        (art("z-orig", body), art("spun", spin(body))),
        (art("src", body), art("b-digest", digest)),
        (art("x", body), art("w", other)),
    ]


@pytest.mark.parametrize("k", range(5))
def test_classify_pair_mirrors_itself(k):
    """classify(a, b) and classify(b, a) give the same link, relation, arrow, score and evidence."""
    a, b = _pairs_of_every_kind()[k]
    assert _same(classify_pair(a, b), classify_pair(b, a))
    assert _same(classify_pair(a, b, spin_a=0.7, spin_b=0.0), classify_pair(b, a, spin_a=0.0, spin_b=0.7))


def test_a_pair_read_in_one_order_whatever_the_ids():
    """The order is the ids' (the smaller first): renaming the two texts swaps which is read first, and the
    link still names the same copy and source."""
    body = make_story(11)
    for ida, idb in (("a1", "b1"), ("b2", "a2")):
        full, cut = art(ida, body), art(idb, "\n\n".join(body.split("\n\n")[:3]))
        link = classify_pair(full, cut)
        assert link is not None and (link.article, link.source) == (idb, ida)
        assert link.evidence["pair"] == sorted([ida, idb])


# --------------------------------------------------------------------------- stops

def _doc(aid: str, text: str) -> Article:
    return Article(id=aid, source=f"test:{aid}", text=text)


def _stops(a: Article, b: Article, relation: str = "verbatim"):
    return decide(a, b, relation, Pair(a, b), 0.0, 0.0)


def test_the_text_that_stops_is_the_cut_copy_either_way_round():
    paras = _paras(91, 10)
    full = _doc("full", "\n\n".join(paras))
    stub = _doc("stub", "\n\n".join(paras[:4]) + "\n\nRead the full story at example.org")
    for a, b in ((full, stub), (stub, full)):
        for rel in ("verbatim", "spun"):
            d = _stops(a, b, rel)
            assert (d.decided_by, d.source, d.copy) == ("stops", "full", "stub"), (rel, d)
            assert d.confidence == CONFIDENCE["stops"]
            assert any("stub stops where the shared passages end" in r and "Read the full story" in r
                       for r in d.reasons)


def test_a_stub_behind_its_own_page_furniture_still_stops():
    """What the cut copy has before the shared stretch (a menu) is small beside what the full text adds."""
    paras = _paras(92, 10)
    full = _doc("full", "\n\n".join(paras))
    stub = _doc("stub", "Home News World Sport Business Opinion Video Menu Login\n\n" + "\n\n".join(paras[:4]))
    d = _stops(full, stub)
    assert (d.decided_by, d.source) == ("stops", "full")


def test_windows_at_different_offsets_and_near_equal_windows_do_not_stop():
    paras = _paras(93, 12)
    early = _doc("early", "\n\n".join(paras[0:6]))
    late = _doc("late", "\n\n".join(paras[3:9]))
    assert all("stops where" not in r for r in _stops(early, late).reasons)
    assert _stops(early, late).decided_by != "stops"
    long_ = _doc("long", "\n\n".join(paras[0:8]))
    short = _doc("short", "\n\n".join(paras[0:7]))
    assert _stops(long_, short).decided_by != "stops"


def test_stops_never_orders_a_rewrite_or_an_excerpt():
    """A digest quoting an article's last paragraph goes on after it while the article stops there."""
    paras = _paras(94, 10)
    full, stub = _doc("full", "\n\n".join(paras)), _doc("stub", "\n\n".join(paras[:4]))
    assert _stops(full, stub, "rewrite").decided_by != "stops"
    assert _stops(full, stub, "excerpt").decided_by != "stops"


# --------------------------------------------------------------------------- usage votes

def _corpus(extra: list[str], n: int = 24) -> CollocationModel:
    return CollocationModel().fit([make_story(100 + i) for i in range(n)] + extra)


def test_is_edit_keeps_spelling_and_figures_apart_from_word_choice():
    assert is_edit("organization", "organisation") and is_edit("4,100", "4100")
    assert not is_edit("police", "constabulary") and not is_edit("said", "")


def test_usage_votes_the_usual_wording_at_each_site():
    text_a, text_b = "police rescued workers from compound", "police saved workers from compound"
    words_a = text_a.split()
    sites = [(1, "rescued", "saved")]
    df = {("police", "rescued"): 6, ("rescued", "workers"): 2, ("police", "saved"): 1, ("saved", "workers"): 1}
    v = usage_votes(words_a, sites, text_a, text_b, df)
    # the pair's own two texts are left out: "police saved" and "saved workers" are used by the spun text only
    assert (v.for_a, v.for_b, v.sites) == (1, 0, 1)
    assert v.examples[0] == {"a": "rescued", "b": "saved", "uses_a": 6, "uses_b": 0}
    assert usage_keys(words_a, sites) == {("police", "rescued"), ("rescued", "workers"), ("police", "saved"),
                                          ("saved", "workers")}
    # other texts using both wordings about as often: no vote; an edit (a spelling variant) is no site at all
    even = {("police", "rescued"): 4, ("police", "saved"): 4}
    assert usage_votes(words_a, sites, text_a, text_b, even).for_a == 0
    assert usage_votes("the organization said".split(), [(1, "organization", "organisation")], "x", "y", df).sites == 0


def test_spin_votes_find_the_spun_copy_either_way_round():
    body = make_story(5)
    spun_text = spin(body)
    model = _corpus([body, spun_text])
    for oid, sid in (("orig", "spun"), ("z-orig", "a-spun")):
        orig, spun_ = art(oid, body), art(sid, spun_text)
        for a, b in ((orig, spun_), (spun_, orig)):
            link = classify_pair(a, b, spin_a=0.0, spin_b=0.0, usage=model.df)
            assert link is not None and link.relation == "spun"
            assert (link.article, link.source) == (sid, oid), link.evidence["direction"]
            d = link.evidence["direction"]
            assert d["decided_by"] == "spin_votes" and d["confidence"] == CONFIDENCE["spin_votes"]
            assert any(f"{oid}'s wording" in r and "is the spun one" in r for r in d["reasons"])


def test_spin_votes_silent_without_a_corpus_or_when_the_corpus_uses_both_wordings():
    body = make_story(5)
    orig, spun_ = art("orig", body), art("spun", spin(body))
    link = classify_pair(orig, spun_, spin_a=0.0, spin_b=0.0)
    assert link is not None and link.evidence["direction"]["decided_by"] != "spin_votes"
    both = _corpus([spin(make_story(200 + i)) for i in range(24)] + [body, spin(body)])
    case = Case(orig, spun_, "spun", Pair(orig, spun_), 0.0, 0.0, both.df)
    found = rule_spin_votes(case)
    assert all(f.kind is None for f in found)


def test_spin_votes_only_for_spun_and_verbatim_pairs():
    body = make_story(5)
    orig, spun_ = art("orig", body), art("spun", spin(body))
    model = _corpus([body, spin(body)])
    assert rule_spin_votes(Case(orig, spun_, "rewrite", Pair(orig, spun_), 0.0, 0.0, model.df)) == []
    assert rule_spin_votes(Case(orig, spun_, "excerpt", Pair(orig, spun_), 0.0, 0.0, model.df)) == []
    assert SPIN  # the synthetic spinner of test_copies_classify


# --------------------------------------------------------------------------- locality table

def test_the_country_table_by_code_is_built_once():
    assert countries_by_code() is countries_by_code()
    assert "ug" in countries_by_code() and host_country("monitor.co.ug") == "ug"


def test_a_verbatim_window_that_stops_is_truncated():
    """classify-v7: the cut copy behind its own page furniture (too much of it for the truncation shape) is
    still truncated when the other goes on with more of the story; two near-equal windows stay verbatim."""
    from scamtrace.copies.classify import relate
    paras = _paras(95, 10)
    menu = "\n\n".join(f"Home News World Sport Business Opinion Video Section {i} Latest Most Read" for i in range(6))
    full = _doc("full", "\n\n".join(paras))
    stub = _doc("stub", menu + "\n\n" + "\n\n".join(paras[:5]))
    v = relate(Pair(full, stub))
    assert v.relation == "truncated" and v.features["cut_copy"]["stops"] == "b", (v.relation, v.features.get("cut_copy"))
    link = classify_pair(full, stub)
    assert link is not None and (link.article, link.source, link.relation) == ("stub", "full", "truncated")
    assert relate(Pair(_doc("x", "\n\n".join(paras[:9])), _doc("y", "\n\n".join(paras[:8])))).relation == "verbatim"
