"""copies.parent-v1 / reduce-v6: a copy keeps the family member whose peculiarities it shares as its source
(textual criticism's closest parent), not always the family origin. Texts: tests/stemma_fixture.py, an
INVENTED family written for these tests (a fictional wire story, two syndicated copies, copies of them)."""
from __future__ import annotations

import dataclasses

import stemma_fixture as fx

from scamtrace.copies import find_copies
from scamtrace.copies.families import REDUCE_ALGORITHM, reduce_links
from scamtrace.copies.stemma import (MINOR_WEIGHT, PARENT_ALGORITHM, Texts, choose_parent, closeness,
                                     innovations, places, readings, shared_cut)
from scamtrace.model import Article, Link


def _sources(links: list[Link]) -> dict[str, str | None]:
    return {l.article: l.source for l in links if l.source is not None}


def test_versions():
    assert PARENT_ALGORITHM == "copies.parent-v2" and REDUCE_ALGORITHM in ("copies.reduce-v6", "copies.reduce-v7")


def test_copies_of_a_syndicated_copy_keep_it_as_their_source_not_the_wire():
    res = find_copies(fx.articles())
    src = _sources(res.links)
    # the syndicated copies copy the wire; the copies made from them copy them (before: all copied the wire)
    assert src["synd_cut"] == "wire" and src["synd_full"] == "wire"
    assert src["mirror_cut"] == "synd_cut"      # same headline, spelling, dropped paragraph and cut point
    assert src["spun_cut"] == "synd_cut"        # spun, but keeps synd_cut's readings and cut
    assert src["mirror_full"] == "synd_full"    # the currency conversion and the added line
    # one source per copy, one family: independence counts are unchanged
    assert len(res.families) == 1 and len(res.families[0].members) == 6
    assert len([l for l in res.links if l.source is not None]) == 5


def test_the_evidence_names_the_peculiarities_the_runner_up_and_its_score():
    res = find_copies(fx.articles())
    link = next(l for l in res.links if l.article == "mirror_cut")
    ev = link.evidence["parent"]
    assert ev["algorithm"] == PARENT_ALGORITHM and ev["decided_by"] == "peculiarities"
    assert ev["default"] == "wire" and ev["chosen"] == "synd_cut"
    assert ev["runner_up"] == {"id": "wire", "score": 0.0} and ev["score"] >= 4
    row = next(r for r in ev["compared"] if r["candidate"] == "synd_cut")
    kinds = {k for e in row["examples"] for k in e if k in ("cut", "synd_cut")}
    assert kinds == {"cut", "synd_cut"}, row["examples"]   # the shared cut and shared readings are shown
    assert any(e.get("synd_cut") == "(nothing)" for e in ev["compared"][-1]["examples"] + row["examples"]) \
        or row["places"] >= 3   # the dropped paragraph is a place
    # the wire stays in the dropped links
    assert "wire" in {a["id"] for a in link.evidence["also_matches"]}


def test_readings_votes_cut_and_minor_edits():
    t = Texts({a.id: a for a in fx.articles()})
    v = closeness(t, "mirror_cut", "synd_cut", "wire")
    assert v.for_d == 0 and v.for_c >= 4
    assert shared_cut(t, "mirror_cut", "synd_cut", "wire") and shared_cut(t, "spun_cut", "synd_cut", "wire")
    assert not shared_cut(t, "mirror_full", "synd_cut", "wire")   # it goes on where synd_cut stops
    # the wire's own copy with the other syndicator's edits reads against synd_cut
    w = closeness(t, "mirror_full", "synd_cut", "wire")
    assert w.for_c == 0 and w.for_d > 0
    # a spelling-only place weighs MINOR_WEIGHT
    assert any(e["weight"] == MINOR_WEIGHT for e in v.examples)


def test_a_copy_of_the_wire_itself_keeps_the_wire():
    # a copy made straight from the wire (its readings, its full length) is not moved to a syndicated copy
    wire = fx.articles(("wire",))[0]
    direct = Article(id="direct", source="fixture:direct", text="Breaking | Asia\n\n" + fx.wire_text(),
                     outlet="plainpaper.example", url="https://plainpaper.example/direct",
                     published=wire.published)
    arts = fx.articles(("wire", "synd_cut", "synd_full")) + [direct]
    src = _sources(find_copies(arts).links)
    assert src["direct"] == "wire"


def test_a_parent_is_never_later_than_its_copy():
    arts = {a.id: a for a in fx.articles()}
    t = Texts(arts)
    later = dataclasses.replace(arts["synd_cut"], published=arts["mirror_cut"].published.replace(year=2032))
    t2 = Texts({**arts, "synd_cut": later})
    best = Link(article="mirror_cut", source="wire", relation="truncated", score=0.75, algorithm="t",
                evidence={"direction": {"decided_by": "truncated"}})
    alt = Link(article="mirror_cut", source="synd_cut", relation="verbatim", score=0.58, algorithm="t",
               evidence={"direction": {"decided_by": "completeness"}})
    kept, _ = choose_parent("mirror_cut", best, [alt], [], t)
    assert kept.source == "synd_cut"
    kept2, dropped = choose_parent("mirror_cut", best, [alt], [], t2)
    assert kept2.source == "wire" and alt in dropped
    assert "not its parent" in kept2.evidence["parent"]["compared"][0]["outcome"]


def test_a_sibling_becomes_the_parent_only_when_the_copy_has_readings_of_its_own():
    t = Texts({a.id: a for a in fx.articles()})
    inn = innovations(t, "spun_cut", "synd_cut", "wire")
    assert inn.for_c >= 3 and inn.for_d == 0      # the spinner's swaps are spun_cut's own readings
    inn2 = innovations(t, "mirror_cut", "synd_cut", "wire")
    assert inn2.for_c == 0 and inn2.for_d == 0    # two identical windows: no arrow either way
    ev = {"direction": {"decided_by": "unsure"}, "pair_relation": "verbatim"}
    best = Link(article="mirror_cut", source="wire", relation="truncated", score=0.75, algorithm="t",
                evidence={"direction": {"decided_by": "truncated"}})
    sib = Link(article="mirror_cut", source=None, sibling="synd_cut", relation="verbatim", score=0.58,
               algorithm="t", evidence=ev)
    kept, _ = choose_parent("mirror_cut", best, [], [sib], t)
    assert kept.source == "wire"
    assert kept.evidence["parent"]["compared"][0]["outcome"].startswith("closer, but no arrow")
    sib2 = dataclasses.replace(sib, article="spun_cut", relation="spun", evidence={**ev, "pair_relation": "spun"})
    best2 = dataclasses.replace(best, article="spun_cut", relation="spun")
    kept2, _ = choose_parent("spun_cut", best2, [], [sib2], t)
    assert (kept2.source, kept2.sibling, kept2.relation) == ("synd_cut", None, "spun")
    assert kept2.evidence["direction"]["decided_by"] == "stemma"


def test_undated_the_sibling_rule_still_finds_the_spun_copys_parent_branch():
    src = _sources(find_copies(fx.articles(dated=False)).links)
    # without dates synd_cut and mirror_cut are identical windows with no arrow between them; the spun copy
    # carries their readings and its own swaps, so it goes under that branch, not under the wire
    assert src["spun_cut"] in ("synd_cut", "mirror_cut")
    assert src["synd_cut"] == "wire"


def test_input_order_and_spark_halves_agree():
    arts = fx.articles()
    res = find_copies(arts)
    res2 = find_copies(arts[::-1])
    key = lambda ls: sorted((l.article, l.source or "", l.sibling or "", l.relation) for l in ls)  # noqa: E731
    assert key(res.links) == key(res2.links)
    # reduce_links over the final links is stable (a second reduction keeps every choice)
    by_id = {a.id: a for a in arts}
    again = reduce_links(by_id, res.links)
    assert key(again) == key(res.links)


def test_a_cycle_of_choices_falls_back_to_the_default():
    from scamtrace.copies.families import _no_parent_cycles
    mk = lambda a, s, by: Link(article=a, source=s, relation="verbatim", score=0.5, algorithm="t",  # noqa: E731
                               evidence={"parent": {"decided_by": by}})
    kept = [mk("x", "y", "peculiarities"), mk("y", "x", "default")]
    default = {"x": (mk("x", "o", "default"), []), "y": (kept[1], [])}
    out = _no_parent_cycles(kept, default)
    assert sorted((l.article, l.source) for l in out) == [("x", "o"), ("y", "x")]


def test_old_readings_shared_with_the_rest_of_the_family_are_not_descent():
    # three copies of the wire's early version against the wire's updated page: any two agree against the
    # update, but so does the third, so the agreement is an old reading, not a shared innovation
    t = Texts({a.id: a for a in fx.early_copies()})
    alone = readings(t, "early_a", "early_b", "wire_updated")
    assert alone.for_c >= 2    # with no other witness the update looks like early_b's peculiarity
    v = readings(t, "early_a", "early_b", "wire_updated", outgroups=["early_c"])
    assert v.for_c == 0 and any("retained" in e for e in v.examples)
    src = _sources(find_copies(fx.early_copies()).links)
    assert all(src.get(x) in (None, "wire_updated") for x in ("early_a", "early_b", "early_c")), src


def test_a_different_headline_is_a_place_but_a_missing_lead_is_not():
    t = Texts({a.id: a for a in fx.articles()})
    heads = [p for p in places(t, "synd_full", "wire") if p.head]
    assert len(heads) == 1 and "compound" in heads[0].text_c and "province" in heads[0].text_d
    # a text that starts at the kept stretch (no headline of its own) gives no head place
    body = Article(id="body", source="fixture:body", text="\n\n".join(fx.WIRE_PARAS))
    t2 = Texts({"body": body, "wire": fx.articles(("wire",))[0]})
    assert not [p for p in places(t2, "body", "wire") if p.head]


def test_a_candidate_with_readings_of_its_own_is_not_the_parent_whatever_the_arrow():
    # a weak rule reversed a pair (synd_cut "copies" spun_cut): synd_cut shares spun_cut's readings against the
    # wire (the US spelling, the dropped paragraph), but spun_cut's own swaps, where synd_cut reads as the wire,
    # vote against it: a copy inherits all of its parent's peculiarities
    t = Texts({a.id: a for a in fx.articles()})
    best = Link(article="synd_cut", source="wire", relation="truncated", score=0.76, algorithm="t",
                evidence={"direction": {"decided_by": "truncated"}})
    wrong = Link(article="synd_cut", source="spun_cut", relation="spun", score=0.36, algorithm="t",
                 evidence={"direction": {"decided_by": "completeness"}})
    kept, _ = choose_parent("synd_cut", best, [wrong], [], t)
    assert kept.source == "wire"
    row = kept.evidence["parent"]["compared"][0]
    assert row["votes"]["spun_cut"] >= 2 and row["votes"]["wire"] > 4 * row["votes"]["spun_cut"]
    assert row["outcome"] == "not closer"


def test_two_copies_reworded_by_one_spinner_share_its_wordings_by_convergence_not_descent():
    # parent-v2: a second INVENTED spun copy made from the wire itself with half of the same spinner's swaps.
    # It shares spun_cut's wordings only because one spinner made both, so spun_cut is not its parent.
    body = fx.wire_text()
    for w, s in list(fx.SPIN.items())[::2]:
        body = body.replace(" " + w + " ", " " + s + " ").replace(" " + w + ".", " " + s + ".")
    arts = {a.id: a for a in fx.articles()}
    arts["spun_two"] = dataclasses.replace(arts["spun_cut"], id="spun_two", text=body, url="https://farm2.example/x",
                                           outlet="farm2.example", published=None)
    t = Texts(arts)
    best = Link(article="spun_two", source="wire", relation="spun", score=0.6, algorithm="t",
                evidence={"direction": {"decided_by": "spin_votes"}})
    alt = Link(article="spun_two", source="spun_cut", relation="spun", score=0.55, algorithm="t",
               evidence={"direction": {"decided_by": "spin_votes"}})
    kept, dropped = choose_parent("spun_two", best, [alt], [], t, frozenset({"spun_cut"}))
    assert kept.source == "wire" and alt in dropped
    assert kept.evidence["parent"]["compared"][0]["outcome"].startswith("both reworded (spun)")
    # a verbatim copy of a spun page still finds that page
    mirror = dataclasses.replace(alt, relation="verbatim")
    kept2, _ = choose_parent("spun_two", best, [mirror], [], t, frozenset({"spun_cut"}))
    assert "both reworded" not in str(kept2.evidence["parent"]["compared"][0].get("outcome"))
