"""The analysis speed-ups change nothing: vectorised story scoring, batched spaCy, actor grouping."""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict

import pytest

from scamtrace.copies.synth import generate
from scamtrace.knowledge.actors import resolve_actors
from scamtrace.model import Family
from scamtrace.stories import cluster as C


def _reference_stories(articles, families=()):  # noqa: ANN001, ANN202
    """The one-pair-at-a-time loop of stories.online-v2, as it was before vectorising."""
    units = C._units(articles, families)
    n = len(units) or 1
    df, adf = Counter(), Counter()
    for u in units:
        df.update(u.tf.keys())
        adf.update(u.anchors)
    idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}
    aidf = {a: math.log((1 + n) / (1 + c)) for a, c in adf.items()}
    units.sort(key=lambda u: (u.first or dt.date.max, u.family))
    story_of, stories, vecs, index = [], [], [], defaultdict(list)
    for pos, u in enumerate(units):
        vec = C._tfidf(u.tf, idf)
        vecs.append(vec)
        keys = set(u.anchors) | {"t:" + t for t, _ in sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:C.BLOCK_TERMS]}
        cands = set()
        for k in keys:
            if len(index[k]) <= C.MAX_KEY_UNITS:
                cands.update(index[k])
        best, best_score, best_ev = None, 0.0, {}
        for other in sorted(cands):
            score, ev = C.unit_similarity(u, vec, units[other], vecs[other], aidf)
            if score > best_score:
                best, best_score, best_ev = other, score, ev
        if best is None or best_score < C.JOIN_THRESHOLD:
            stories.append({"units": [u], "evidence": [{"family": u.family, "started": True}]})
            story_of.append(len(stories) - 1)
        else:
            stories[story_of[best]]["units"].append(u)
            stories[story_of[best]]["evidence"].append({"family": u.family, "joined_via": units[best].family, **best_ev})
            story_of.append(story_of[best])
        for k in keys:
            index[k].append(pos)
    return [C._story(s) for s in stories]


def _as_data(stories):  # noqa: ANN001, ANN202
    return [(s.id, s.articles, s.families, s.evidence, s.title, s.first_seen, s.last_seen) for s in stories]


@pytest.fixture(scope="module")
def synth():  # noqa: ANN201
    corpus = generate(160, 11)
    by_original = defaultdict(set)
    for link in corpus.gold:
        by_original[link.source].add(link.copy)
    fams = [Family(f"fam-{o}", sorted({o, *cs}), o, None) for o, cs in sorted(by_original.items())][:10]
    return corpus.articles, fams


@pytest.mark.parametrize("use_scipy", [True, False])
def test_vectorised_stories_equal_the_pairwise_loop(synth, monkeypatch, use_scipy):  # noqa: ANN001
    articles, fams = synth
    if not use_scipy:
        monkeypatch.setattr(C, "_csr_matrix", lambda *a, **k: None)   # the numpy fallback
    for families in ((), fams):
        got = _as_data(C.cluster_stories(articles, families))
        assert got == _as_data(_reference_stories(articles, families))
    assert any(len(s[1]) > 1 for s in got) and any(len(s[1]) == 1 for s in got)   # both joins and starts


def test_rows_dot_products_match_by_hand():
    import numpy as np

    rows = C._Rows([([2, 0], [0.5, 1.0]), ([], []), ([1], [3.0])], 3)
    dense = np.array([10.0, 20.0, 30.0])
    assert rows.row(0) == ([2, 0], [0.5, 1.0])          # insertion order kept
    assert rows.dense(2).tolist() == [0.0, 3.0, 0.0]
    assert rows.dots(np.array([2, 0, 1]), dense).tolist() == [60.0, 25.0, 0.0]


def test_actor_different_judgement_holds_across_a_growing_group():
    mentions = [("Ming Xuechang", "PERSON")] * 3 + [("Ming Xue-chang", "PERSON"), ("Ming Xuechan", "PERSON")]
    together = resolve_actors(mentions)
    assert len(together) == 1 and together[0].aliases == ["Ming Xue-chang", "Ming Xuechan", "Ming Xuechang"]
    # "Ming Xuechan" may not join any group holding "Ming Xue-chang", even through "Ming Xuechang"
    apart = resolve_actors(mentions, [("Ming Xue-chang", "Ming Xuechan", "different")])
    groups = sorted(a.aliases for a in apart)
    assert groups == [["Ming Xue-chang", "Ming Xuechang"], ["Ming Xuechan"]]
    joined = resolve_actors(mentions + [("Zhou Qiming", "PERSON")], [("Zhou Qiming", "Ming Xuechan", "same")])
    assert any(set(a.aliases) >= {"Zhou Qiming", "Ming Xuechan"} for a in joined)


@pytest.fixture(scope="module")
def nlp():  # noqa: ANN201
    from scamtrace.extract.entities import load_nlp

    model = load_nlp()
    if model is None:
        pytest.skip("no spaCy English pipeline installed")
    return model


def test_shared_tok2vec_is_off_and_entities_unchanged(nlp):  # noqa: ANN001
    assert "tok2vec" not in nlp.pipe_names and "ner" in nlp.pipe_names
    texts = [a.text for a in generate(6, 3).articles]
    ours = [[(e.start_char, e.end_char, e.label_, e.ent_id_) for e in d.ents] for d in nlp.pipe(texts)]
    nlp.enable_pipe("tok2vec")
    try:
        assert "tok2vec" in nlp.pipe_names
        full = [[(e.start_char, e.end_char, e.label_, e.ent_id_) for e in d.ents] for d in nlp.pipe(texts)]
    finally:
        nlp.disable_pipe("tok2vec")
    assert ours == full and any(ours)


def test_preparsed_parses_each_paragraph_once_and_gives_the_same_mentions(nlp, monkeypatch):  # noqa: ANN001
    from scamtrace.extract import entities as E

    texts = [a.text for a in generate(5, 5).articles]
    E.UNITS.clear()
    alone = [E.find_entities(t) for t in texts]
    units = {u for t in texts for _, u in E.ner_units(t)}
    E.UNITS.clear()
    with E.preparsed(texts + texts[:2], batch_size=2) as n:
        assert n == len(units) and set(E.UNITS.ents) == {E.unit_key(u) for u in units}
        assert E.UNITS.looked_up == sum(len(E.ner_units(t)) for t in texts + texts[:2])
        calls = []

        class _NoParse:
            def __call__(self, text):  # noqa: ANN001, ANN204
                calls.append(text)
                raise AssertionError("a pre-parsed text was parsed again")

        monkeypatch.setattr(E, "load_nlp", lambda gazetteer=None: _NoParse())
        batched = [E.find_entities(t) for t in texts]
        monkeypatch.undo()
        with E.preparsed(texts[:1]) as inner:      # already parsed
            assert inner == 0
    assert batched == alone and not calls and E.UNITS.parsed == len(units)


def test_preparsed_rejects_bad_input():
    from scamtrace.extract.entities import preparsed

    with pytest.raises(ValueError, match="batch_size"):
        with preparsed(["x"], batch_size=0):
            pass
    with pytest.raises(ValueError, match="str, got bytes"):
        with preparsed(["x", b"y"]):  # type: ignore[list-item]
            pass


def test_preparsed_without_model_is_a_no_op(monkeypatch):
    from scamtrace.extract import entities as E

    monkeypatch.setenv(E.ENV_NO_SPACY, "1")
    E.UNITS.clear()
    with E.preparsed(["Police in Myawaddy said."]) as n:
        assert n == 0 and E.UNITS.ents == {}


def test_extract_articles_in_batches_stores_what_extract_finds(tmp_path, monkeypatch):
    from scamtrace import api
    from scamtrace.extract import stage
    from scamtrace.extract import extract
    from scamtrace.store.extracted import rows

    store = api.open_store(tmp_path / "x.db")
    arts = generate(5, 9).articles
    for a in arts:
        store.put_article(a, fmt="text", body=a.text)
    monkeypatch.setattr(stage, "EXTRACT_BATCH", 2)   # three batches, the last one short
    timings: dict[str, float] = {}
    assert stage.extract_articles(store, [a.id for a in arts], timings=timings) == 5
    assert set(timings) == {"extract.ner", "extract.rules", "extract.events", "extract.store", "extract.corpus_dates",
                            "extract.family_wording"}
    for a in arts:
        want = [(m.text, m.label, m.canonical, m.start, m.end) for m in extract(store.get_article(a.id)).mentions]
        got = [(r["text"], r["label"], r["canonical"], r["start"], r["end"]) for r in rows(store, "mentions", article=a.id)]
        assert got == sorted(want, key=lambda m: m[3]) and got
