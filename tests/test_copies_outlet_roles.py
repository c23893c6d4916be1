"""direction-v6 / reduce-v4: outlet roles learned over the corpus order pairs that are still unsure."""
from __future__ import annotations

from scamtrace.copies.families import (OUTLET_ROLE_MIN_TEXTS, learn_outlet_roles, orient_by_outlet_roles,
                                       reduce_links)
from scamtrace.model import Article, Link


def _art(aid: str, outlet: str) -> Article:
    return Article(id=aid, source="t", text=f"text of {aid}", outlet=outlet)


def _directed(copy: str, src: str, by: str, relation: str = "rewrite") -> Link:
    return Link(article=copy, source=src, relation=relation, score=0.6, algorithm="t",
                evidence={"direction": {"decided_by": by, "reasons": []}, "pair_relation": relation})


def _siblings(x: str, y: str, relation: str = "rewrite") -> list[Link]:
    ev = {"direction": {"decided_by": "unsure", "reasons": ["no evidence"]}, "pair_relation": relation}
    return [Link(article=x, source=None, sibling=y, relation=relation, score=0.3, algorithm="t", evidence=dict(ev)),
            Link(article=y, source=None, sibling=x, relation=relation, score=0.3, algorithm="t", evidence=dict(ev))]


ARTS = {a.id: a for a in (_art("wire-1", "www.wire.example"), _art("farm-1", "farm.example"),
                          _art("wire-2", "wire.example"), _art("blog-2", "blog.example"),
                          _art("farm-3", "farm.example"), _art("paper-3", "paper.example"))}


def test_roles_count_texts_of_links_ordered_by_direct_evidence_only():
    links = [_directed("farm-1", "wire-1", "credit"),
             _directed("blog-2", "wire-2", "family_origin"),          # structural guess: not counted
             _directed("paper-3", "farm-3", "credit", relation="excerpt")]   # excerpts: not counted
    roles = learn_outlet_roles(ARTS, links)
    assert roles.sources == {"wire.example": 1} and roles.copies == {"farm.example": 1}


def test_an_originator_outlet_orders_an_unsure_pair_of_its_other_text_and_says_why():
    assert OUTLET_ROLE_MIN_TEXTS == 1
    core = [_directed("farm-1", "wire-1", "credit"), *_siblings("blog-2", "wire-2")]
    roles = learn_outlet_roles(ARTS, core)
    out = orient_by_outlet_roles(ARTS, core, roles)
    turned = [l for l in out if l.evidence["direction"]["decided_by"] == "outlet_role"]
    assert [(l.article, l.source, l.sibling) for l in turned] == [("blog-2", "wire-2", None)]
    assert "wire.example is an originator" in turned[0].evidence["direction"]["reasons"][-1]
    assert len(out) == 2   # the mirror sibling link is gone
    # input order does not matter
    assert sorted((l.article, l.source) for l in orient_by_outlet_roles(ARTS, core[::-1], roles)) == \
        sorted((l.article, l.source) for l in out)


def test_a_republisher_outlet_is_the_copy():
    core = [_directed("farm-1", "wire-1", "credit"), *_siblings("farm-3", "paper-3")]
    out = orient_by_outlet_roles(ARTS, core, learn_outlet_roles(ARTS, core))
    assert ("farm-3", "paper-3") in {(l.article, l.source) for l in out}


def test_the_pairs_own_texts_do_not_count_and_mixed_roles_do_not_decide():
    # wire-1 is a source elsewhere, but it is one of the pair: its own link says nothing about its outlet
    core = [_directed("farm-1", "wire-1", "credit"), *_siblings("wire-1", "paper-3")]
    out = orient_by_outlet_roles(ARTS, core, learn_outlet_roles(ARTS, core))
    assert all(l.source is None for l in out if "paper-3" in (l.article, l.sibling))
    # an outlet with a text that is a source and another that is a copy has no role
    core = [_directed("farm-1", "wire-1", "credit"), _directed("wire-2", "blog-2", "published"),
            *_siblings("farm-3", "paper-3")]
    arts = dict(ARTS, **{"x": _art("x", "wire.example")})
    core += _siblings("x", "paper-3")
    out = orient_by_outlet_roles(arts, core, learn_outlet_roles(arts, core))
    assert all(l.source is None for l in out if "x" in (l.article, l.sibling))
    # the republisher farm.example still decides its own pair
    assert ("farm-3", "paper-3") in {(l.article, l.source) for l in out}


def test_reduce_links_applies_roles_only_when_given():
    links = [_directed("farm-1", "wire-1", "credit"), *_siblings("blog-2", "wire-2")]
    plain = reduce_links(ARTS, links)
    assert any(l.source is None for l in plain)
    with_roles = reduce_links(ARTS, links, learn_outlet_roles(ARTS, links))
    assert {(l.article, l.source) for l in with_roles} == {("farm-1", "wire-1"), ("blog-2", "wire-2")}
