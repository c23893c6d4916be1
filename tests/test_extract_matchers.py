"""Round-2 evaluator rules (eval.figures-v2, quote tokens) and the quote-attribution rules they exposed.

All text here is invented for the tests.
"""
from __future__ import annotations

import pytest

from scamtrace.eval.extract import (MATCHER_V1, MATCHER_V2, evaluate_figures, figure_matches, lemma, quote_matches,
                                    what_matches_v2, with_conversions)
from scamtrace.extract.quotes import find_quotes


def _fig(value, what, unit, date=None, sentence="", **kw):
    return {"key": "k", "value": value, "what": what, "unit": unit, "date": date, "sentence": sentence, **kw}


@pytest.mark.parametrize("word, want", [("countries", "country"), ("buses", "bus"), ("phones", "phone"),
                                        ("men", "man"), ("status", "status"), ("boxes", "box")])
def test_lemma(word: str, want: str) -> None:
    assert lemma(word) == want


def test_tight_synonyms_match_but_v1_does_not() -> None:
    pred, gold = _fig(600, "soldiers", "people"), _fig(600, "troops who surrounded the camp", "soldiers")
    assert figure_matches(pred, gold, MATCHER_V2)
    assert not figure_matches(pred, gold, MATCHER_V1)
    assert what_matches_v2(_fig(18, "different nations", "nations"), _fig(18, "other countries involved", "countries"))[0]


def test_measure_unit_stands_for_a_role_description() -> None:
    pred, gold = _fig(3000, "hectares registered", "hectares"), _fig(3000, "area of the river zone", "hectares")
    assert what_matches_v2(pred, gold) == (True, "shared noun")
    # a different unit with the same value is another figure
    assert not figure_matches(_fig(300, "fines imposed yuan", "CNY"), _fig(300, "views of a hashtag", "views"))


def test_loose_person_nouns_need_the_text() -> None:
    gold = _fig(42, "local citizens employed at the site", "people")
    said_citizens = _fig(42, "people trafficked", "people", sentence="Police found 42 citizens at the site.")
    said_people = _fig(42, "people trafficked", "people", sentence="Police found 42 people at the site.")
    assert what_matches_v2(said_citizens, gold) == (True, "person noun in text")
    assert not what_matches_v2(said_people, gold)[0]


def test_dates_still_must_agree_under_v2() -> None:
    assert not figure_matches(_fig(9, "kilometers", "km", "2025-01-02"), _fig(9, "distance to the border", "km"))


def test_unknown_matcher_is_rejected() -> None:
    with pytest.raises(ValueError, match="eval.figures-v1"):
        figure_matches(_fig(1, "a", "b"), _fig(1, "a", "b"), "eval.figures-v9")


def test_conversion_matches_a_gold_line_and_is_never_a_false_positive() -> None:
    pred = [_fig(2_000_000, "assets frozen baht", "THB", converted_value=60_000.0, converted_unit="USD")]
    assert len(with_conversions(pred)) == 2
    both = evaluate_figures(pred, [_fig(2_000_000, "assets frozen", "THB"), _fig(60_000, "assets frozen (dollars)", "USD")])
    assert (both.tp, both.fp, both.fn) == (2, 0, 0)
    only_main = evaluate_figures(pred, [_fig(2_000_000, "assets frozen", "THB")])
    assert (only_main.tp, only_main.fp, only_main.fn) == (1, 0, 0)
    v1 = evaluate_figures(pred, [_fig(60_000, "assets frozen (dollars)", "USD")], MATCHER_V1)
    assert (v1.tp, v1.fp, v1.fn) == (0, 1, 1)


def test_quote_speaker_tokens_ignore_punctuation_and_none_matches_none() -> None:
    assert quote_matches({"quote": "the papers are late,", "speaker": "Anan Boonmee,"},
                         {"quote": "papers are late", "speaker": "Anan Boonmee"})
    assert quote_matches({"quote": "more than 90", "speaker": None}, {"quote": "more than 90", "speaker": None})
    assert not quote_matches({"quote": "more than 90", "speaker": "Anan"}, {"quote": "more than 90", "speaker": None})


def test_participial_phrase_and_rank_are_not_the_speaker() -> None:
    text = ('Standing by the gate, Pol. Col. Anan Boonmee, the deputy chief of the district police, said the delay came '
            'from "forms on the other side," but that the crossing was open.')
    (q,) = find_quotes(text)
    assert q.speaker == "Anan Boonmee"


def test_four_token_name_after_a_rank_resolves_pronoun() -> None:
    text = ("The militia was formed in 2010. Its commander, Gen. Saw Htun Aye Lwin, has denied any role in fraud.\n\n"
            '"We guard the river. We do not run any business here," the statement quoted him as saying.')
    (q,) = find_quotes(text)
    assert q.speaker == "Saw Htun Aye Lwin"


def test_informed_reporters_is_a_speech_verb() -> None:
    text = '"We will not allow our land to be used by cheats anywhere," Maj. Min Thet Oo, a spokesman, informed reporters.'
    (q,) = find_quotes(text)
    assert q.speaker == "Min Thet Oo"
