"""The dispute prefilter (issue 17, speed of the knowledge stage): :func:`dispute_of` answers "no dispute"
without trying the rules when :func:`could_dispute` says no rule's cue is in the sentence. It must never be
stricter than the rules: wherever a rule of DISPUTE_RULES matches, could_dispute is True. Held to that on
the figure sentences of the demo store and of a realnews-dev store, on the dispute test sentences, and on
random sentences assembled from the rules' cue words (where dropping any one cue part breaks it)."""
from __future__ import annotations

import json
import random
import re

import pytest

from conftest import sql
from scamtrace.knowledge import disputes
from scamtrace.knowledge.disputes import _PRE_CUES, _PRE_WORDS, _POST_CUES, _prefilter, _rules, could_dispute
from test_independence import DISPUTED, NOT_DISPUTED


def _splits(sentence: str):
    """(pre, post) around every span between two word boundaries (every place a figure could be)."""
    cuts = sorted({0, len(sentence)} | {m.start() for m in re.finditer(r"\b", sentence)})
    for i, a in enumerate(cuts):
        for b in cuts[i:i + 6]:
            yield sentence[:a], sentence[b:]


def _missed(prefilter, pairs) -> list[tuple[str, str]]:
    """The (pre, post) pairs a rule matches that the prefilter drops."""
    return [(pre, post) for pre, post in pairs if not prefilter(pre, post) and _rules(pre, post) is not None]


def _figure_pairs(rows) -> list[tuple[str, str]]:
    pairs = []
    for sentence, s0, start, end in rows:
        if sentence and s0 is not None and start is not None and end is not None:
            pairs.append((sentence[:start - s0], sentence[end - s0:]))
            pairs.extend(_splits(sentence))
    return pairs


_FIGURE_ROWS = "SELECT sentence, sentence_start, start, end FROM figures"


def test_demo_store_figures(demo_db):
    rows = sql(demo_db, _FIGURE_ROWS)
    pairs = _figure_pairs(rows)
    assert len(rows) > 50
    assert sum(_rules(p, q) is not None for p, q in pairs) > 0      # the rules do fire on these sentences
    assert _missed(could_dispute, pairs) == []


def test_realnews_dev_figures(tmp_path):
    from test_realnews_gate import _dataset, _store
    d = _dataset("realnews-dev")     # skips, with the reason, when ../shared is absent
    recs = [json.loads(line) for line in open(d / "articles.jsonl", encoding="utf-8") if line.strip()]
    store = _store(tmp_path, recs, "all")
    store.close()
    rows = sql(tmp_path / "all.db", _FIGURE_ROWS)
    pairs = _figure_pairs(rows)
    assert len(rows) > 50
    assert _missed(could_dispute, pairs) == []


def test_dispute_test_sentences():
    pairs = [pq for sentence, *_ in DISPUTED + NOT_DISPUTED for pq in _splits(sentence)]
    for sentence, figure, *_ in DISPUTED:      # each disputed figure passes the prefilter
        i = sentence.index(figure)
        assert could_dispute(sentence[:i], sentence[i + len(figure):]), sentence
    assert _missed(could_dispute, pairs) == []


# -- random sentences made of the rules' cue words ----------------------------------------------------------
_SUBJECTS = ["Police", "The ministry", "Officials", "the militia", "A spokesman", "Activists", "It", ""]
_CUES = [
    "differs from", "differed sharply from", "diverges from", "departs from", "varied from", "at odds with",
    "conflicts with", "inconsistent with", "does not match", "didn't match", "doesn't match", "contrary to",
    "in contrast to", "in contrast with", "falls short of", "fell short of", "rather than", "instead of",
    "lower than", "higher than", "fewer than", "less than", "bigger than", "more than", ", not", "; but not",
    " - not", "— not", "not", "revised the toll to 3,800 from", "corrected it from", "amended from",
    "updated the count from", "lowered its estimate from", "cut their own figures from", "scaled back its tally from",
    "down from", "reduced staff from", "denied that", "denies", "deny that", "denying that", "disputed the figure of",
    "disputes that", "dispute the claim that", "refuted reports that", "refute", "contradicted", "rebutted claims that",
    "rebuts", "rejected the claim that", "rejects reports of", "dismissed the figures of", "dismisses the claim that",
    "questioned the accuracy of", "questions", "challenged the estimate of", "challenges", "contested the tally of",
    "contests", "doubted that", "doubts", "cast doubt on reports that", "denied entry to", "an inflated figure of",
    "the exaggerated claims of", "a false estimate of", "an incorrect toll of", "an inaccurate count of",
    "the wrong number", "erroneous figures of", "overstated numbers of", "understated tallies of",
    "mistaken estimates of", "said", "counted", "up from", "with", "of", "to",
]
_DETS = ["the", "a", "an", "its", "their", "earlier", "initial", "official", "reported", "claimed", "announced",
         "published", "this", "that", '"', "“", "'", "‘"]
_POSTS = ["", " people were held.", " reported by the militia.", " as reported.", " as had been claimed earlier.",
          " figure was inflated.", " was too high.", " was too low.", " is untrue.", " was not true.",
          " number is wrong.", " was incorrect.", " was not correct.", " is inaccurate.", " was not accurate.",
          " were false.", " seems exaggerated.", " is overstated.", " was understated.", " was mistaken.",
          " was erroneous.", " figure", " estimate announced by the army", ", officials said.", " last year."]
_FIGURES = ["4,100", "300", "more than 4,100", "dozens"]


def _cased(text: str, rng: random.Random) -> str:
    return rng.choice([text, text.upper(), text.title(), text.capitalize()])


def _random_pairs(n: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    words = [w for phrase in _CUES + _DETS + _POSTS + _SUBJECTS for w in phrase.split()]
    pairs = []
    for _ in range(n):
        if rng.random() < 0.75:     # subject, cue, determiners, figure, what follows
            pre = " ".join(x for x in [rng.choice(_SUBJECTS), rng.choice(_CUES)]
                           + rng.sample(_DETS, rng.randint(0, 2)) if x)
            pre = _cased(pre, rng) + " " * rng.randint(0, 2)
            post = _cased(rng.choice(_POSTS), rng)
        else:                       # any words of the rules, in any order
            pre = _cased(" ".join(rng.choices(words, k=rng.randint(1, 10))), rng) + " "
            post = " " + _cased(" ".join(rng.choices(words, k=rng.randint(0, 6))), rng)
        pairs.append((pre + rng.choice(_FIGURES), post) if rng.random() < 0.1 else (pre, post))
    return pairs


RANDOM = _random_pairs(6000, 17)


def test_random_sentences_keep_every_rule_match():
    assert sum(_rules(p, q) is not None for p, q in RANDOM) > 1000   # the corpus does exercise the rules
    assert sum(not could_dispute(p, q) for p, q in RANDOM) > 100     # and the prefilter does drop some
    assert _missed(could_dispute, RANDOM) == []


@pytest.mark.parametrize("where,cue", [("pre", c) for c in _PRE_CUES] + [("word", w) for w in _PRE_WORDS]
                         + [("post", c) for c in _POST_CUES])
def test_a_weaker_prefilter_is_caught(where, cue):
    """Dropping any one cue part from the prefilter drops a sentence a rule matches: the random corpus
    tests every part, and none is there for nothing."""
    pre_cues = tuple(c for c in _PRE_CUES if not (where == "pre" and c == cue))
    pre_words = tuple(w for w in _PRE_WORDS if not (where == "word" and w == cue))
    post_cues = tuple(c for c in _POST_CUES if not (where == "post" and c == cue))
    assert _missed(_prefilter(pre_cues, pre_words, post_cues), RANDOM) != []


def test_non_ascii_text_goes_to_the_rules():
    # re.IGNORECASE reads "ſ" (long s) as "s": "ſhort of the" is matched by the compare rule
    assert _rules("The count fell ſhort of the ", " reported.") is not None
    assert could_dispute("The count fell ſhort of the ", " reported.")
    assert not could_dispute("Police said ", " people were held.")
    assert disputes.dispute_of("Police said 300 people were held.", 12, 15) is None
