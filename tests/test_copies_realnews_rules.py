"""Relation and direction rules for real copies (classify-v3/v4, direction-v3/v4/v5), on texts generated here."""
from __future__ import annotations

import hashlib

from test_copies_classify import NAMES, OTHER_TEMPLATES, art, make_story

from scamtrace.copies import classify_pair
from scamtrace.copies.classify import CLASSIFY_ALGORITHM, relate
from scamtrace.copies.direction import DIRECTION_ALGORITHM, attributes_to, wire_credit
from scamtrace.copies.features import Pair
from scamtrace.eval.realnews import gold_format, half_of, score_realnews, score_stories
from scamtrace.model import Family, Link


_VOCAB = ("police officials workers compound border victims minister court trafficking embassy rescue flight "
          "families province money network suspects raid region report statement village charity camp town "
          "lawyer army militia hotel casino company platform account bank witness survivor office week").split()


def _paras(seed: int, n: int = 10) -> list[str]:
    """``n`` paragraphs of distinct sentences (random words: no sentence repeats, unlike the templates)."""
    import random
    rng = random.Random(seed)
    out = []
    for i in range(n):
        sents = [" ".join([NAMES[(i + j) % len(NAMES)], "said", *rng.sample(_VOCAB, 12)]) + f" on day {i * 3 + j}."
                 for j in range(3)]
        out.append(" ".join(sents))
    return out


def test_versions_bumped():
    assert CLASSIFY_ALGORITHM in ("copies.classify-v7", "copies.classify-v8", "copies.classify-v9", "copies.classify-v10", "copies.classify-v11", "copies.classify-v12", "copies.classify-v13") and DIRECTION_ALGORITHM in ("copies.direction-v5", "copies.direction-v6", "copies.direction-v7", "copies.direction-v8", "copies.direction-v9", "copies.direction-v10", "copies.direction-v11", "copies.direction-v12")


def test_two_windows_of_one_text_are_verbatim_not_excerpt():
    p = _paras(3, 12)
    chrome = "Home | World | Business | Sport\n\nSubscribe to our newsletter for the latest news."
    a = chrome + "\n\n" + "\n\n".join(p[:8])            # page starts with menus, cut after paragraph 8
    b = "\n\n".join(p[3:12])                             # another copy starting at paragraph 4, running longer
    v = relate(Pair(a, b))
    assert v.relation == "verbatim", v.features.get("window_shape")
    assert v.features["window_shape"]["inner_a"] >= 0.9


def test_a_window_with_an_inserted_block_is_verbatim_not_excerpt():
    # classify-v5: one copy of the page inserts a "Key Points" box the other lacks, and the two windows end
    # at different places; a stray phrase matched out of order must not stretch the shape.
    p = _paras(5, 12)
    box = "Key Points\n\n" + "\n\n".join(_paras(6, 3))
    a = "\n\n".join(p[:2]) + "\n\n" + box + "\n\n" + "\n\n".join(p[2:4])     # inserted box, cut early
    b = "\n\n".join(p[:9])                                                       # no box, runs longer
    v = relate(Pair(a, b))
    assert v.relation == "verbatim", (v.relation, v.features.get("window_inserts"))
    ins = v.features["window_inserts"]
    assert ins["windowed"] and ins["inserts"] == 1 and ins["head"] == 0.0 and ins["tail"] == 0.0


def test_a_block_inside_own_writing_at_both_ends_stays_an_excerpt():
    # the same shared stretch, but both texts carry their own material before and after it: not two windows
    p = _paras(5, 12)
    own_a, own_b = _paras(7, 6), _paras(8, 6)
    box = "\n\n".join(_paras(6, 2))
    a = "\n\n".join(own_a[:3] + p[2:4] + [box] + p[4:6] + own_a[3:])
    b = "\n\n".join(own_b[:3] + p[2:6] + own_b[3:])
    v = relate(Pair(a, b))
    assert v.relation != "verbatim", v.features.get("window_inserts")
    assert v.features["window_inserts"]["windowed"] is False


def test_word_edits_in_a_few_sentences_are_verbatim_but_spread_swaps_are_spun():
    # classify-v5: an editor's later version of a wire story changes words in three sentences; a spinner
    # swaps words in nearly every sentence. Both have enough sense substitutions for the old rule.
    p = _paras(9, 6)
    sents = [s for para in p for s in para.split(". ")]
    edited = list(sents)
    for i in (2, 9, 14):   # three sentences, several wording changes each
        w = edited[i].split()
        for j in (2, 5, 8, 11, 14):
            w[j] = ["officers", "detainees", "captives", "lenders", "guards"][j % 5]
        edited[i] = " ".join(w)
    a, b = ". ".join(sents), ". ".join(edited)
    v = relate(Pair(a, b))
    assert v.features["sense_substitution_rate"] >= 0.03      # enough for the v4 rule to call it spun
    assert v.relation == "verbatim", (v.relation, v.features.get("substitution_spread"))
    assert v.features["substitution_spread"]["with_substitution"] == 3
    spun = list(sents)
    for i in range(len(spun)):   # one swap in every sentence
        w = spun[i].split()
        w[5] = {"police": "constabulary"}.get(w[5], "unknown quantity")
        spun[i] = " ".join(w)
    v2 = relate(Pair(a, ". ".join(spun)))
    assert v2.relation == "spun", (v2.relation, v2.features.get("substitution_spread"))
    assert v2.features["substitution_spread"]["score"] >= 0.9


def test_synonym_spinner_artefacts_score_as_spin():
    from scamtrace.copies.spin import spin_score
    spun = ("This story accommodates accounts of bodily abuse. A message came from an unknown quantity, she told "
            "VICE World Information. By the point the platform froze her account she had lost everything, and the "
            "rip-off facilities kept operating across the border.")
    assert spin_score(spun)[0] >= 0.5
    normal = ("Some 60-odd people detained in Cambodia will return home on a chartered flight, officials said, "
              "and about 40-odd people remain in custody awaiting travel documents from the embassy.")
    assert spin_score(normal)[0] == 0.0


def test_a_quotation_both_reports_carry_is_no_copy():
    quote = ("\"We will not rest until every one of our citizens held in these compounds is brought home safely "
             "and the people who trafficked them face justice in our courts,\" the minister said.")
    a = make_story(41, sentences=12, templates=OTHER_TEMPLATES) + "\n\n" + quote
    b = quote + "\n\n" + make_story(42, sentences=12, templates=OTHER_TEMPLATES)
    pair = Pair(a, b)
    assert pair.passages.longest >= 25        # the old rule made this an excerpt (longest passage >= 18 words)
    v = relate(pair)
    assert v.relation is None and v.features["quoted_passages"]["ignored"] >= 1


_WORDS = ("Most of those being sent home are suspects for whom warrants were issued by the court, and they will be "
          "escorted under the proper legal procedures")


# Fictional filler: two reports' own sentences, sharing no wording.
_OWN_A = ("The chartered plane left the capital before dawn with forty officers on board. Relatives gathered at the "
          "terminal holding photographs and hand-written signs. A ministry spokesman declined to give the names of the "
          "passengers. The operation was planned over several weeks with the neighbouring government.",
          "Prosecutors expect to question each passenger within two days. Lawyers for some families said they had "
          "not been told where their clients would be held. The ministry plans a second flight next month.")
_OWN_B = ("Television crews waited outside the arrivals hall through the night. Several buses with tinted windows "
          "stood by the cargo gate. The airport operator closed one runway for the landing. Police dogs searched the "
          "luggage before it was released.",
          "Officers will decide by Friday who stays in custody. A parliamentary committee asked for a report on the "
          "recruiting networks. Opposition members called for tighter rules on overseas job advertisements.")


def test_a_quotation_one_report_gives_as_reported_speech_is_no_copy():
    def text(own: tuple[str, str], middle: str) -> str:   # the passage mid-text (edge passages are furniture)
        return f"{own[0]}\n\n{middle}\n\n{own[1]}"
    a = text(_OWN_A, f'"{_WORDS}," the adviser said.')
    b = text(_OWN_B, f"The adviser emphasized that {_WORDS[0].lower()}{_WORDS[1:]}.")
    v = relate(Pair(a, b))
    assert v.relation is None and v.features["quoted_passages"]["ignored"] >= 1
    # the same words as the reporter's own sentence (no speech verb) stay evidence of copying
    c = text(_OWN_B, f"Officials confirmed the flight. {_WORDS}.")
    assert relate(Pair(a, c)).relation == "excerpt"


def test_a_quote_left_open_does_not_hide_the_next_quotation():
    words = ("Treasury will use the full weight of its tools to combat organised financial crime and protect "
             "citizens from the damage these schemes can cause")
    a = f'{_OWN_A[0]}\n\n"{words}," the minister said.\n\n{_OWN_A[1]}'
    # b opens a quotation, leaves it open, and opens the next one (as a multi-paragraph quote does)
    b = f'{_OWN_B[0]}\n\n"Last year victims lost billions to such schemes. "Under the new rules, {words[0].lower()}{words[1:]}."\n\n{_OWN_B[1]}'
    v = relate(Pair(a, b))
    assert v.relation is None and v.features["quoted_passages"]["ignored"] >= 1
    # with the quotation marks removed from b, the same passage is evidence of copying
    assert relate(Pair(a, b.replace('"', ""))).relation == "excerpt"


def test_regional_edits_are_verbatim_not_spun():
    body = make_story(5)
    edited = (body.replace("criminal", "crimnal").replace("million dollars", "million US dollars (£)")
              .replace("spokesman", "spokesperson"))
    for n in range(10, 900):
        edited = edited.replace(f" {n} million", f" {n * 0.79:.0f} million", 1) if n % 7 == 0 else edited
    link = classify_pair(art("us", body), art("uk", edited))
    assert link is not None and link.relation == "verbatim", link.evidence["features"].get("sense_substitution_rate")


def test_digest_around_a_block_is_an_excerpt():
    src = make_story(7)
    block = src.split("\n\n")[3]
    digest = (make_story(8, sentences=9, templates=OTHER_TEMPLATES) + "\n\nAs one report put it: " + block + "\n\n"
              + make_story(9, sentences=9, templates=OTHER_TEMPLATES))
    link = classify_pair(art("src", src), art("digest", digest))
    assert link is not None and link.relation == "excerpt" and link.article == "digest" and link.source == "src"


def test_attribution_decides_direction_before_dates():
    from datetime import date
    body = make_story(11)
    wire = art("wire", body + "\n\n- Xinhua", outlet="thestar.com.my", published=date(2024, 5, 25))
    copy = art("copy", "Xinhua reports that " + body[0].lower() + body[1:], outlet="newtimes.co.rw",
               published=date(2024, 5, 24))
    assert wire_credit(wire) == "Xinhua" and attributes_to(copy, wire) and not attributes_to(wire, copy)
    link = classify_pair(wire, copy)
    assert link.source == "wire" and link.article == "copy"
    assert link.evidence["direction"]["decided_by"] == "attribution"


def test_no_evidence_means_siblings_without_arrow():
    body = make_story(13)
    link = classify_pair(art("x1", body), art("x2", body))
    assert link.source is None and link.sibling in ("x1", "x2")
    assert "no arrow" in " ".join(link.evidence["direction"]["reasons"])


def test_half_of_is_the_scorer_split():
    for s in ("korea-64-repatriated-2025-10", "uganda-23", "x"):
        want = "A" if int(hashlib.sha1(s.encode()).hexdigest(), 16) % 2 == 0 else "B"
        assert half_of(s) == want


def _l(a, s, rel, sib=None):
    return Link(article=a, source=s, relation=rel, score=1.0, algorithm="t", sibling=sib)


def test_score_realnews_counts_pairs_relations_arrows_and_cross_links():
    recs = [{"id": "o", "story": "s1", "derived_from": None, "relation": None},
            {"id": "c1", "story": "s1", "derived_from": "o", "relation": "verbatim"},
            {"id": "c2", "story": "s1", "derived_from": "o", "relation": "rewrite"},
            {"id": "c3", "story": "s1", "derived_from": "o", "relation": "spun"},
            {"id": "z", "story": "s2", "derived_from": None, "relation": None}]
    assert gold_format(recs) == "realnews"
    links = [_l("c1", "o", "verbatim"), _l("o", "c2", "excerpt"), _l("z", "o", "excerpt")]
    fams = [Family("f1", ["c1", "c2", "c3", "o", "z"], "o", None)]
    s = score_realnews(recs, links, fams).values
    assert (s["found"], s["relation_right"], s["arrow_right"], s["arrow_reversed"], s["arrow_none"]) == (3, 1, 1, 1, 1)
    assert s["confusion"][("spun", "family")] == 1 and s["confusion"][("rewrite", "excerpt")] == 1
    assert s["cross_story"] == 4          # z ~ o link and z's family pairs with o, c1, c2, c3
    assert s["families_bcubed"]["precision"] < 1.0 and s["families_bcubed"]["recall"] == 1.0
    assert (s["links"], s["links_apart"]) == (3, 1)   # z ~ o: no labelled pair joins them


def test_links_apart_counts_sibling_links_between_independent_reports_once():
    recs = [{"id": "o", "story": "s", "derived_from": None, "relation": None},
            {"id": "c", "story": "s", "derived_from": "o", "relation": "verbatim"},
            {"id": "d", "story": "s", "derived_from": "c", "relation": "rewrite"},   # o <- c <- d: one chain
            {"id": "p", "story": "s", "derived_from": None, "relation": None},      # quotes the same release
            {"id": "q", "story": "s", "derived_from": None, "relation": None}]
    links = [_l("d", "o", "rewrite"), _l("p", None, "rewrite", sib="q"), _l("q", None, "rewrite", sib="p"),
             _l("q", "o", "excerpt")]
    s = score_realnews(recs, links, []).values
    assert (s["links"], s["links_apart"]) == (3, 2) and abs(s["links_apart_rate"] - 2 / 3) < 1e-9


def test_score_stories_counts_false_links_and_silver():
    recs = [{"id": i, "story": s} for i, s in (("a", "T1"), ("b", "T1"), ("c", "T2"))]
    assert gold_format(recs) == "stories"
    links = [_l("b", "a", "verbatim"), _l("c", "a", "excerpt")]
    texts = {"a": "\"" + " ".join(NAMES) + " all said the same words here today\" x. " * 1, "c": "Other. \"" + " ".join(NAMES) + " all said the same words here today\" y.", "b": "b"}
    s = score_stories(recs, links, [], silver=[{"a": "a", "b": "b"}], texts=texts).values
    assert s["cross_story"] == 1 and s["silver_recall"] == 1.0 and s["quotation_only"] == 1


def test_completeness_orders_a_verbatim_pair_and_only_copies_that_keep_wording():
    """direction-v4: the text with more around the shared passages (lead, tail) is the source."""
    import random

    from scamtrace.copies.direction import decide
    from test_copies_realnews_rules import _VOCAB as vocab
    rng = random.Random(5)

    def plain(n: int) -> str:
        return " ".join(" ".join(rng.sample(vocab, 10)) + "." for _ in range(n))

    p = _paras(11, 12)
    full = art("full-1", plain(8) + "\n\n" + "\n\n".join(p[:8]) + "\n\n" + plain(8))
    cp = art("copy-1", "\n\n".join(p[:8]) + "\n\nshare this story with your friends and subscribe to our newsletter.")
    for x, y in ((cp, full), (full, cp)):
        d = decide(x, y, "verbatim", Pair(x, y), 0.0, 0.0)
        assert (d.decided_by, d.source, d.copy) == ("completeness", "full-1", "copy-1"), d
        assert any("more complete" in r for r in d.reasons)
        assert decide(x, y, "rewrite", Pair(x, y), 0.0, 0.0).decided_by == "unsure"
