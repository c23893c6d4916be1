"""Tests for the copy-candidate index (scamtrace.copies.index, scamtrace.copies.signatures)."""
from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scamtrace.copies import signatures
from scamtrace.copies.index import CANDIDATES_ALGORITHM, CandidateIndex
from scamtrace.copies.signatures import INDEX_NAMES, index_rows, signature, signature_batch, word_table
from scamtrace.copies.synth import _Writer, excerpt_passages, generate, rewrite_text, spin_text, truncate_text
from scamtrace.copies.tokens import words


@pytest.fixture(autouse=True)
def _fresh_caches():
    signatures.reset_caches()
    yield
    signatures.reset_caches()


@pytest.fixture(scope="module")
def base():
    """60 independent synthetic originals (no copies) and a writer for new text."""
    corpus = generate(60, seed=11, mix={})
    return [(a.id, a.text) for a in corpus.articles]


def _found(idx: CandidateIndex, a: str, b: str) -> set[str]:
    return {name for other, name, _ in idx.candidates(a) if other == b}


def _index(items) -> CandidateIndex:
    idx = CandidateIndex()
    idx.add_many(items)
    return idx


# -- signatures -------------------------------------------------------------------------------
def test_word_hashes_agree_with_tokens_words(seeds_dir):
    text = sorted(seeds_dir.glob("*.txt"))[0].read_text(encoding="utf-8")
    table = word_table([text])
    ws = words(text)
    assert len(table.hashes) == len(ws)
    by_word: dict[str, set[int]] = {}
    for w, h in zip(ws, table.hashes.tolist()):
        by_word.setdefault(w, set()).add(h)
    assert all(len(v) == 1 for v in by_word.values())                  # same word, same hash
    assert len({next(iter(v)) for v in by_word.values()}) == len(by_word)  # no collisions here


def test_signature_is_deterministic_and_batch_independent(base):
    texts = [t for _, t in base[:5]]
    one = [signature(t) for t in texts]
    batch = signature_batch(list(reversed(texts)))
    for i, sig in enumerate(one):
        other = batch.of(len(texts) - 1 - i)
        for name in INDEX_NAMES:
            assert np.array_equal(np.sort(sig[name]), np.sort(other[name]))
            assert sig[name].size > 0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=200), min_size=1, max_size=6))
def test_signature_batch_equals_single_texts(texts):
    batch = signature_batch(texts)
    for i, t in enumerate(texts):
        single = signature(t)
        for name in INDEX_NAMES:
            assert set(batch.of(i)[name].tolist()) == set(single[name].tolist())


def test_index_rows_are_unique_signed_and_named(base):
    rows = list(index_rows("a1", base[0][1]))
    assert rows == list(index_rows("a1", base[0][1]))
    assert len(rows) == len(set(rows))
    assert {n for n, _ in rows} == set(INDEX_NAMES)
    assert all(-(2**63) <= h < 2**63 for _, h in rows)
    with pytest.raises(ValueError, match="article_id"):
        list(index_rows("", "text"))


def test_skeleton_survives_content_word_swaps():
    a = "The police raided the compound in the hills and arrested the bosses of the gang."
    b = "The officers stormed the complex in the mountains and detained the managers of the ring."
    assert set(signature(a)["stopword"].tolist()) == set(signature(b)["stopword"].tolist())
    assert not set(signature(a)["shingle"].tolist()) & set(signature(b)["shingle"].tolist())


# -- candidates by copy kind ---------------------------------------------------------------------
def test_seed_truncation_and_rewrite_are_candidates(seeds_dir):
    files = sorted(seeds_dir.glob("*.txt"))
    idx = _index([(f.name[:3], f.read_text(encoding="utf-8")) for f in files])
    assert "shingle" in _found(idx, "001", "000")      # SeattlePI truncation of the Independent copy
    assert "facts" in _found(idx, "004", "003")        # uncredited rewrite of the spun story
    assert not _found(idx, "002", "000")               # the digest quotes other outlets


def test_truncated_copy_is_found(base):
    src_id, src = base[0]
    copy = truncate_text(src, 0.25, "Read the full article.")
    idx = _index(base + [("copy", copy)])
    assert "shingle" in _found(idx, "copy", src_id)
    assert "shingle" in _found(idx, src_id, "copy")


def test_short_excerpt_inside_longer_digest_is_found(base):
    rng = random.Random(5)
    src_id, src = base[1]
    passage = excerpt_passages(src, 1, rng, lo=30, hi=35)[0]
    filler = _Writer(random.Random(9)).article(_Writer(random.Random(9)).story(), 1500, "Wirecast")[1]
    paras = filler.split("\n\n")
    digest = "\n\n".join(paras[:5] + [passage + " [Source]"] + paras[5:])
    assert len(words(digest)) > 1400 and len(words(passage)) <= 40
    idx = _index(base + [("digest", digest)])
    assert "shingle" in _found(idx, "digest", src_id)


def test_forty_percent_spun_copy_is_found_by_skeleton(base):
    src_id, src = base[2]
    spun, rate = spin_text(src, 0.4, random.Random(3))
    assert 0.3 <= rate <= 0.5
    idx = _index(base + [("spun", spun)])
    assert "stopword" in _found(idx, "spun", src_id)


def test_rewrite_is_found_by_facts(base):
    src_id, src = base[3]
    rw = rewrite_text(src, random.Random(4))
    idx = _index(base + [("rw", rw)])
    assert "facts" in _found(idx, "rw", src_id)


def test_unrelated_articles_are_mostly_not_candidates(base):
    idx = _index(base)
    pairs = list(idx.candidate_pairs())
    assert len(pairs) <= len(base) * 0.05


def test_scores_are_in_unit_interval_and_sorted(base):
    src_id, src = base[4]
    idx = _index(base + [("v", "Breaking.\n\n" + src), ("t", truncate_text(src, 0.5, "More."))])
    cands = idx.candidates(src_id)
    assert {c[0] for c in cands} == {"v", "t"}
    scores = [s for _, _, s in cands]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    verbatim = [s for o, n, s in cands if o == "v" and n == "shingle"]
    assert verbatim and verbatim[0] > 0.9


# -- document-frequency cap ------------------------------------------------------------------------
def test_common_hashes_are_capped():
    w = _Writer(random.Random(1))
    boiler = " ".join(w.sentence() for _ in range(8))       # a ~100-word block on every page
    items = [(f"p{i}", w.sentence() + " " + w.sentence() + "\n\n" + boiler) for i in range(30)]
    loose = CandidateIndex(df_cap={"shingle": 100, "stopword": 100, "facts": 100})
    loose.add_many(items)
    assert len(loose.candidates("p0")) >= 29                 # without the cap: all pairs
    tight = CandidateIndex(df_cap={"shingle": 10, "stopword": 10, "facts": 10})
    tight.add_many(items)
    assert tight.candidates("p0") == []                      # with it: boilerplate ignored


# -- maintenance, persistence, order ----------------------------------------------------------------
def test_remove_and_replace(base):
    src_id, src = base[5]
    idx = _index(base + [("copy", src)])
    assert len(idx) == len(base) + 1
    assert _found(idx, src_id, "copy")
    idx.remove("copy")
    assert len(idx) == len(base) and "copy" not in idx
    assert not _found(idx, src_id, "copy")
    idx.add("copy", base[6][1])                               # same id, other text: replaced
    assert not _found(idx, src_id, "copy") and _found(idx, base[6][0], "copy")
    with pytest.raises(KeyError):
        idx.remove("missing")
    with pytest.raises(KeyError, match="add"):
        idx.candidates("missing")


def test_round_trip_bytes(base):
    items = base[:20] + [("copy", truncate_text(base[0][1], 0.5, "More."))]
    idx = _index(items)
    idx.remove(base[3][0])
    back = CandidateIndex.from_bytes(idx.to_bytes())
    assert len(back) == len(idx) and back.ids() == idx.ids()
    for aid in idx.ids():
        assert back.candidates(aid) == idx.candidates(aid)
    with pytest.raises(ValueError, match="not a serialised"):
        CandidateIndex.from_bytes(b"garbage")


def test_order_independence():
    corpus = generate(120, seed=5)
    items = [(a.id, a.text) for a in corpus.articles]
    a = _index(items)
    shuffled = items[:]
    random.Random(2).shuffle(shuffled)
    b = CandidateIndex()
    for i in range(0, len(shuffled), 17):                     # other batches, queried in between
        b.add_many(shuffled[i : i + 17])
        b.candidates(shuffled[i][0])
    for aid, _ in items:
        assert sorted(a.candidates(aid)) == sorted(b.candidates(aid))


def test_synthetic_gold_recall_small():
    corpus = generate(400, seed=21)
    idx = _index([(a.id, a.text) for a in corpus.articles])
    found = {frozenset((x, y)) for x, y, _, _ in idx.candidate_pairs()}
    hits = [frozenset((g.copy, g.source)) in found for g in corpus.gold]
    assert sum(hits) / len(hits) >= 0.97


def test_parameter_validation():
    with pytest.raises(ValueError, match="df_cap"):
        CandidateIndex(df_cap={"shingle": 1})
    with pytest.raises(ValueError, match="unknown index"):
        CandidateIndex(min_shared={"minhash": 2})
    with pytest.raises(ValueError, match="between 0.0 and 1.0"):
        CandidateIndex(min_score={"facts": 1.5})
    with pytest.raises(ValueError, match="non-empty str"):
        CandidateIndex().add("", "text")
    assert CandidateIndex().algorithm == CANDIDATES_ALGORITHM
