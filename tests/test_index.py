"""Tests for the copy-candidate index (scamtrace.copies.index, scamtrace.copies.signatures)."""
from __future__ import annotations

import io
import json
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scamtrace.copies import signatures
from scamtrace.copies import index as index_mod
from scamtrace.copies.index import CANDIDATES_ALGORITHM, CandidateIndex
from scamtrace.copies.signatures import (INDEX_NAMES, SIGNATURES_ALGORITHM, index_rows, signature,
                                         signature_batch, word_table)
from scamtrace.copies.synth import _Writer, excerpt_passages, generate, rewrite_text, spin_text, truncate_text
from scamtrace.copies.tokens import _WORD_RE, words


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


def _reference_word_hash(word: str) -> int:
    """copies.signatures-v1 word hash, byte by byte: mix64(sum(c_i * Q**i) ^ len), c lower-cased."""
    m = 1 << 64
    q = pow(signatures._P, -1, m)
    b = word.encode("utf-8").lower()
    h = sum(c * pow(q, i, m) for i, c in enumerate(b)) % m
    return int(signatures.mix64(np.array([h ^ len(b)], dtype=np.uint64))[0])


def test_word_hashes_are_the_pinned_v1_hash(seeds_dir):
    """Stored indexes stay valid: the fast hash must equal the per-byte definition."""
    text = sorted(seeds_dir.glob("*.txt"))[0].read_text(encoding="utf-8")
    text += " internationalisation's Ünïcödé supercalifragilisticexpialidocious A"
    ws = _WORD_RE.findall(signatures._fold(text))      # as written: only ASCII is case-folded
    got = word_table([text]).hashes.tolist()
    assert len(got) == len(ws)
    assert got == [_reference_word_hash(w) for w in ws]


def test_word_hashes_do_not_depend_on_case_position_or_length():
    long_words = "internationalisation internationalization Internationalisation abcdefgh abcdefghi"
    table = word_table([" " * pad + long_words for pad in range(9)] + [long_words.upper()])
    per_doc = table.hashes.reshape(10, 5)
    assert (per_doc == per_doc[0]).all()                       # byte alignment and case
    h = per_doc[0].tolist()
    assert h[0] == h[2] and len({h[0], h[1], h[3], h[4]}) == 4  # > 8 and > 16 bytes: distinct


def test_sentence_openers_are_facts_only_when_also_inside_a_sentence():
    text = "Every morning Zhang Wei drove north. Police came at 5. Every guard knew Zhang.\n\nWei left."
    table = word_table([text])
    ws = words(text)
    facts = {w for w, f in zip(ws, table.fact.tolist()) if f}
    assert facts == {"zhang", "wei", "5"}                     # not "every", not "police"
    batch = word_table(["Intro text here.", text])           # same result inside a batch
    assert batch.fact[batch.doc == 1].tolist() == table.fact.tolist()


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


def test_signature_rows_rebuild_the_index_and_update_by_article(base, tmp_path):
    """The store keeps the index as one row per article (copy_signatures): rows written for some
    articles, then for more, load back into an index that answers as the in-memory one."""
    from scamtrace.copies.signatures import SIGNATURES_ALGORITHM
    from scamtrace.store import Store

    items = base[:20] + [("copy", truncate_text(base[0][1], 0.5, "More."))]
    idx = _index(items)
    store = Store(tmp_path / "s.db")
    with store.write() as db:   # copy_signatures rows name stored articles
        for aid, _ in items:
            db.execute("INSERT INTO articles(id, source, text, raw_hash, ingested_at) VALUES (?, 's', '', ?, '')",
                       (aid, aid))
    ids = idx.ids()
    store.put_copy_signatures(idx.signature_rows(ids[:10]), SIGNATURES_ALGORITHM)
    store.put_copy_signatures(idx.signature_rows(ids[10:]), SIGNATURES_ALGORITHM)   # a later run adds its rows
    back = CandidateIndex.from_signature_rows(store.copy_signature_rows(SIGNATURES_ALGORITHM))
    assert back.ids() == ids
    for aid in ids:
        assert back.candidates(aid) == idx.candidates(aid)
    assert not list(store.copy_signature_rows("another-signatures-v0"))   # outdated rows are not read
    with pytest.raises(ValueError, match="corrupt"):
        CandidateIndex.from_signature_rows([("x", {"shingle": b"123", "stopword": b"", "facts": b""})])


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


def test_incremental_batches_with_removals_match_a_bulk_build():
    corpus = generate(300, seed=8)
    items = [(a.id, a.text) for a in corpus.articles]
    gone = {items[i][0] for i in range(0, 300, 7)}
    inc = CandidateIndex()
    for lo in range(0, 300, 40):                              # segments built and merged in between
        inc.add_many(items[lo : lo + 40])
        inc.candidates(items[lo][0])
        for aid in [a for a, _ in items[lo : lo + 40] if a in gone]:
            inc.remove(aid)
    assert max(inc.stats()["segments"].values()) >= 2           # the multi-segment path ran
    bulk = _index([it for it in items if it[0] not in gone])
    assert sorted(inc.candidate_pairs()) == sorted(bulk.candidate_pairs())
    some = [a for a, _ in items if a not in gone][:50]
    assert inc.candidates_many(some) == bulk.candidates_many(some)


def test_candidate_pairs_agree_with_per_article_queries():
    """candidate_pairs counts each pair once and scores both directions; per-article queries
    count from one side: same pairs, same best scores."""
    corpus = generate(250, seed=9)
    idx = _index([(a.id, a.text) for a in corpus.articles])
    best: dict[tuple[str, str, str], float] = {}
    order = {a: i for i, a in enumerate(idx.ids())}
    for aid in idx.ids():
        for other, name, score in idx.candidates(aid):
            x, y = sorted((aid, other), key=order.__getitem__)
            best[(x, y, name)] = max(best.get((x, y, name), -1.0), score)
    pairs = list(idx.candidate_pairs())
    assert pairs and {(x, y, n): s for x, y, n, s in pairs} == best
    assert pairs == sorted(pairs, key=lambda p: (order[p[0]], order[p[1]], p[2]))


def test_bucketed_hash_sort_is_a_sorting_permutation():
    rng = np.random.default_rng(3)
    distinct = rng.integers(0, 2**63, 50_000, dtype=np.uint64) * np.uint64(2)
    h = distinct[rng.integers(0, distinct.size, index_mod.SORT_BUCKET_MIN + 5_000)]
    parts = [h[:1000], h[1000:]]
    order, ks = index_mod._sort_hashes(parts)
    assert parts == []                                        # consumed, so memory is freed early
    assert np.array_equal(ks, np.sort(h)) and np.array_equal(h[order], ks)
    assert np.array_equal(np.sort(order), np.arange(h.size))


def test_memory_is_reported_and_serialisation_checks_its_input(base):
    idx = _index(base[:10])
    small = idx.memory_bytes()
    idx.add_many(base[10:])
    idx.candidates(base[0][0])
    assert idx.memory_bytes() > small > 0 and idx.stats()["bytes"] == idx.memory_bytes()
    data = idx.to_bytes()
    z = dict(np.load(io.BytesIO(data)))
    z["facts_offsets"] = z["facts_offsets"][:-1]
    buf = io.BytesIO()
    np.savez(buf, **z)
    with pytest.raises(ValueError, match="corrupt"):
        CandidateIndex.from_bytes(buf.getvalue())
    meta = json.loads(z["meta"].tobytes())
    meta["signatures"] = "copies.signatures-v0"
    z["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    buf = io.BytesIO()
    np.savez(buf, **z)
    with pytest.raises(ValueError, match=SIGNATURES_ALGORITHM):
        CandidateIndex.from_bytes(buf.getvalue())


def test_parameter_validation():
    with pytest.raises(ValueError, match="df_cap"):
        CandidateIndex(df_cap={"shingle": 1})
    with pytest.raises(ValueError, match="unknown index"):
        CandidateIndex(min_shared={"minhash": 2})
    with pytest.raises(ValueError, match="between 0.0 and 1.0"):
        CandidateIndex(min_score={"facts": 1.5})
    with pytest.raises(ValueError, match="non-empty str"):
        CandidateIndex().add("", "text")
    with pytest.raises(ValueError, match="batch_size"):
        CandidateIndex().add_many([], batch_size=0)
    assert CandidateIndex().algorithm == CANDIDATES_ALGORITHM
