"""Tests for the synthetic copy-benchmark generator (scamtrace.copies.synth)."""
from __future__ import annotations

import random
from collections import Counter

import pytest

from scamtrace.copies import synth
from scamtrace.copies.synth import (
    MIX_KINDS,
    SYNTH_ALGORITHM,
    excerpt_passages,
    generate,
    rewrite_text,
    spin_text,
    truncate_text,
)
from scamtrace.copies.tokens import STOPWORDS, facts, words
from scamtrace.model import RELATIONS


@pytest.fixture(autouse=True)
def _fresh_vocab():
    synth.reset_caches()
    yield
    synth.reset_caches()


@pytest.fixture(scope="module")
def corpus():
    return generate(600, seed=3)


def _shingles(text: str, k: int = 5) -> set[str]:
    w = words(text)
    return {" ".join(w[i : i + k]) for i in range(len(w) - k + 1)}


def test_deterministic_for_a_seed():
    a, b, c = generate(150, seed=9), generate(150, seed=9), generate(150, seed=10)
    assert [(x.id, x.text, x.title) for x in a.articles] == [(x.id, x.text, x.title) for x in b.articles]
    assert a.gold == b.gold and a.params == b.params and a.same_story == b.same_story
    assert [x.text for x in a.articles] != [x.text for x in c.articles]


def test_mix_counts_ids_and_gold_are_consistent(corpus):
    ids = [a.id for a in corpus.articles]
    assert len(ids) == len(set(ids)) == 600
    byid = corpus.by_id()
    rel = Counter(g.relation for g in corpus.gold)
    assert set(rel) <= set(RELATIONS)
    for kind in ("verbatim", "truncated", "excerpt", "spun", "rewrite"):
        assert rel[kind] == round(600 * synth.DEFAULT_MIX[kind])
    assert len(corpus.same_story) == round(600 * synth.DEFAULT_MIX["same_story"])
    for g in corpus.gold:
        assert g.copy in byid and g.source in byid and g.copy != g.source
        assert "-o" in g.source                                     # copies copy originals
        assert byid[g.copy].published >= byid[g.source].published
    assert corpus.algorithm == SYNTH_ALGORITHM


def test_unrelated_originals_share_no_long_passages(corpus):
    origs = [a for a in corpus.articles if "-o" in a.id][:80]
    sh = [_shingles(a.text, 8) for a in origs]
    shared = sum(1 for i in range(len(sh)) for j in range(i + 1, len(sh)) if sh[i] & sh[j])
    assert shared <= 0.01 * len(sh) * (len(sh) - 1) / 2


def test_same_story_articles_share_facts_not_wording(corpus):
    byid = corpus.by_id()
    for cid, sid in corpus.same_story[:10]:
        fa = {f.value for f in facts(byid[cid].text) if f.kind == "num"}
        fb = {f.value for f in facts(byid[sid].text) if f.kind == "num"}
        assert fa & fb
        inter = _shingles(byid[cid].text) & _shingles(byid[sid].text)
        assert len(inter) / max(1, len(_shingles(byid[cid].text))) < 0.1


@pytest.mark.parametrize("rate", [0.1, 0.3, 0.6])
def test_spin_rate_is_controlled_and_keeps_names(corpus, rate):
    src = next(a for a in corpus.articles if "-o" in a.id)
    spun, done = spin_text(src.text, rate, random.Random(1))
    assert abs(done - rate) <= 0.1
    names = [f.value for f in facts(src.text) if f.kind == "num"]
    assert [f.value for f in facts(spun) if f.kind == "num"] == names
    src_words, spun_words = words(src.text), words(spun)
    assert len(spun_words) >= len(src_words)                  # multi-word swaps only add words
    with pytest.raises(ValueError, match="between 0 and 1"):
        spin_text(src.text, 1.5, random.Random(1))


def test_spinner_uses_multiword_and_function_swaps(corpus):
    src = next(a for a in corpus.articles if "-o" in a.id)
    spun, _ = spin_text(src.text * 3, 0.6, random.Random(2))
    extra = Counter(words(spun)) - Counter(words(src.text * 3))
    assert any(w in STOPWORDS for w in extra)                 # function words changed too


def test_truncation_keeps_a_prefix(corpus):
    src = next(a for a in corpus.articles if "-o" in a.id)
    t = truncate_text(src.text, 0.4, "Full Article")
    body = t.rsplit("\n\n", 1)[0]
    assert src.text.startswith(body) and t.endswith("Full Article")
    share = len(words(body)) / len(words(src.text))
    assert 0.2 <= share <= 0.45


def test_excerpts_are_verbatim_and_bounded(corpus):
    byid = corpus.by_id()
    for g in [g for g in corpus.gold if g.relation == "excerpt"][:10]:
        copy, src = byid[g.copy].text, byid[g.source].text
        assert len(words(copy)) > len(words(src))
        assert _shingles(copy) & _shingles(src)
        assert 1 <= corpus.params[g.copy]["passages"] <= 3
    ps = excerpt_passages(byid[corpus.gold[0].source].text, 3, random.Random(0))
    assert all(30 <= len(p.split()) <= 120 for p in ps)


def test_rewrite_keeps_fact_order_and_changes_wording(corpus):
    src = next(a for a in corpus.articles if "-o" in a.id)
    rw = rewrite_text(src.text, random.Random(5))
    src_nums = [f.value for f in facts(src.text) if f.kind == "num"]
    rw_nums = [f.value for f in facts(rw) if f.kind == "num"]
    assert rw_nums == src_nums                               # every number, in order
    src_names = [f.value for f in facts(src.text) if f.kind == "name"]
    rw_names = [f.value for f in facts(rw) if f.kind == "name"]
    assert _is_subsequence(rw_names, src_names) and len(rw_names) >= 0.8 * len(src_names)
    a, b = _shingles(src.text), _shingles(rw)
    assert len(a & b) / len(a | b) < 0.05


def _is_subsequence(xs: list[str], ys: list[str]) -> bool:
    it = iter(ys)
    return all(x in it for x in xs)


def test_invalid_arguments():
    with pytest.raises(ValueError, match="unknown kind"):
        generate(10, 1, mix={"spinning": 0.1})
    with pytest.raises(ValueError, match="<= 0.9"):
        generate(10, 1, mix={k: 0.2 for k in MIX_KINDS})
    with pytest.raises(ValueError, match="n_articles"):
        generate(0, 1)
