"""classify-v9 / copies.sentalign-v1: a rewrite found by its sentences (content terms aligned in order), on
texts generated here; quotations, names and numbers are not evidence; Clough-Stevenson when ../shared is present."""
from __future__ import annotations

import csv
import random

import pytest
from conftest import shared_dir

from scamtrace.copies import classify_pair
from scamtrace.copies.classify import CLASSIFY_ALGORITHM, relate
from scamtrace.copies.features import Pair
from scamtrace.copies.sentalign import SENTALIGN_ALGORITHM, align_sentences, content_terms
from scamtrace.model import Article

_VOCAB = ("officials workers compound border victims minister court trafficking embassy rescue flight families "
          "province money network suspects raid region report statement village charity camp town lawyer army "
          "militia hotel casino company platform account bank witness survivor office salary passport contract "
          "recruiter guard dormitory quota beating transfer ransom shelter hearing verdict warrant charter").split()
_FILLERS = ("in", "with", "as well as", "and", "near", "after", "about", "over")


def _source(seed: int, n: int = 8) -> tuple[list[list[str]], str]:
    rng = random.Random(seed)
    sents = [rng.sample(_VOCAB, 6) for _ in range(n)]
    return sents, " ".join("The " + " ".join(s) + " were reported." for s in sents)


def _reworded(sents: list[list[str]], seed: int) -> str:
    """Each sentence's content words, reversed and joined by other function words: no 5-word phrase survives."""
    rng = random.Random(seed)
    out = []
    for s in sents:
        words = s[::-1]
        out.append("Reportedly " + " ".join(w + " " + rng.choice(_FILLERS) for w in words[:-1]) + " " + words[-1] + ".")
    return " ".join(out)


def test_version():
    assert CLASSIFY_ALGORITHM in ("copies.classify-v9", "copies.classify-v10", "copies.classify-v11", "copies.classify-v12", "copies.classify-v13") and SENTALIGN_ALGORITHM in ("copies.sentalign-v1", "copies.sentalign-v2")


def test_content_terms_skip_names_numbers_and_stopwords():
    assert content_terms(["The", "Embassy", "repatriated", "64", "of", "the", "workers", "on", "Saturday"]) == ["repat", "worke"]


def test_a_sentence_by_sentence_rewrite_is_a_rewrite():
    sents, src = _source(1)
    rw = _reworded(sents, 2)
    pair = Pair(src, rw)
    assert pair.passages.spans == [] or max(s.words for s in pair.passages.spans) < 5
    v = relate(pair)
    assert v.relation == "rewrite", v.features.get("sentence_alignment")
    ev = v.features["sentence_alignment"]
    assert ev["rewrite"] and ev["in_order"] == 8 and ev["coverage"] >= 0.9
    link = classify_pair(Article(id="a", source="t", text=src), Article(id="b", source="t", text=rw))
    assert link is not None and link.relation == "rewrite"


def test_sentences_in_another_order_are_not_aligned_in_order():
    sents, src = _source(3)
    rng = random.Random(4)
    shuffled = sents[:]
    rng.shuffle(shuffled)
    al = align_sentences(src, _reworded(shuffled, 5))
    assert al.aligned == 8 and al.order < 0.8
    assert relate(Pair(src, _reworded(shuffled, 5))).relation is None


def test_independent_report_sharing_names_and_numbers_is_not_a_rewrite():
    # same names, places and figures in the same order, but the writers' own words: no alignment
    rng = random.Random(7)
    facts = [("Phnom Penh", 64), ("Incheon", 73), ("Sihanoukville", 12), ("Seoul", 45), ("Bavet", 30), ("Poipet", 81)]
    a = " ".join(f"In {p}, the {' '.join(rng.sample(_VOCAB[:28], 5))} counted {n} people." for p, n in facts)
    b = " ".join(f"In {p}, the {' '.join(rng.sample(_VOCAB[28:], 5))} counted {n} people." for p, n in facts)
    al = align_sentences(a, b)
    assert al.aligned == 0 and al.coverage == 0.0


def test_shared_quotations_are_set_aside():
    sents, src = _source(9)
    # every sentence a quotation in both texts: a statement both quoted is not evidence of copying
    a = " ".join('"' + " ".join(s) + ' were reported," the minister said.' for s in sents)
    b = " ".join('The ministry said: "' + " ".join(s[::-1]) + ' were all reported."' for s in sents)
    al = align_sentences(a, b)
    assert al.sentences == 0 and al.aligned == 0
    assert relate(Pair(a, b)).relation is None


def test_short_texts_need_enough_sentences():
    sents, src = _source(11, n=3)
    assert relate(Pair(src, _reworded(sents, 12))).relation is None


def _cs():
    d = shared_dir() / "benchmarks" / "clough-stevenson"
    if not (d / "file_information.csv").is_file():
        pytest.skip("../shared/benchmarks/clough-stevenson absent (set SCAMTRACE_SHARED)")
    rows = list(csv.DictReader((d / "file_information.csv").open(encoding="utf-8")))
    text = {r["File"]: (d / r["File"]).read_text(encoding="utf-8", errors="replace") for r in rows}
    return rows, text


def test_clough_stevenson_revisions_found_and_independent_answers_not():
    """Sources vs answers (all 95): heavy revisions found as a copy at all, and no non answer linked (classify-v9;
    measured: heavy 13 of 19 linked, 10 of them rewrite, was 9 with classify-v8; non 0 of 38)."""
    rows, text = _cs()
    orig = {r["Task"]: r["File"] for r in rows if r["Category"] == "orig"}
    found = {"heavy": 0, "non": 0}
    for r in rows:
        if r["Category"] in found:
            link = classify_pair(Article(id="s", source="cs", text=text[orig[r["Task"]]]),
                                 Article(id="x", source="cs", text=text[r["File"]]))
            found[r["Category"]] += link is not None
    assert found["non"] == 0
    assert found["heavy"] >= 12, found


def test_normalized_texts_align_alike():
    from scamtrace.copies.tokens import normalize
    sents, src = _source(41)
    rw = "\u201cQuoted words here were all reported,\u201d he said.  " + _reworded(sents, 42)
    a, b = align_sentences(src, rw), align_sentences(normalize(src), normalize(rw), normalized=True)
    assert a.evidence() == b.evidence() and a.in_order == 8
