"""Quality gate for the extract stage on the five seed articles, and the evaluator's own rules.

Floors are pinned a little under the measured scores; lowering one is an explicit, reviewed change.
Measured 2026-11-28 with clean.text-v1 cleaning, both with and without the spaCy model: figures
P/R/F1 1.00/1.00/1.00 (46 gold figures), quotes 1.00/1.00/1.00 (26 gold quotes), figure claimant
agreement 0.93. The gold was written by the author of the rules, so these are development-set
scores, not held-out ones.

LOWERED 2026-11-28 with extract.figures-v2 (reviewed change, see the extract-quality report): the
figure floor goes from 0.95 to 0.60. The seed gold dates 16 of its 46 figures with a *period*
("over the summer", "between September 2020 and late 2021"); the independently written demo gold
(tests/gold/demo_figures.jsonl) leaves such figures undated and dates only single days. v2 follows
the demo gold (``scamtrace.extract.figure_dates.PERIOD_DATES = False``; the period stays in
``evidence["period"]``), which costs exactly those 16 seed figures: measured figures P/R/F1
0.63/0.65/0.64, quotes 1.00/1.00/1.00, claimant agreement 0.93. With PERIOD_DATES = True the seed
figure F1 is 0.91 and the demo figure F1 falls from 0.52 to 0.42.

extract.figures-v3 briefly turned vague plurals off (floor 0.52); they are back on by default
(``VAGUE_FIGURES = True``: issue 4 asks for them, with the ACLED-style rule recorded), so the floor is
0.60 again.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from scamtrace.errors import GoldFileError
from scamtrace.eval.extract import (FIGURE_KEYS, QUOTE_KEYS, evaluate_figures, evaluate_quotes, load_gold,
                                    run, what_matches)
from scamtrace.extract import reset

GOLD = Path(__file__).resolve().parent / "gold"
FIGURE_F1_FLOOR = 0.60   # 0.95 before extract.figures-v2 (see the docstring)
QUOTE_F1_FLOOR = 0.95
CLAIMANT_FLOOR = 0.85


@pytest.fixture(autouse=True)
def _fresh():
    reset()
    yield
    reset()


@pytest.mark.parametrize("use_model", [None, False], ids=["model-if-installed", "rules"])
def test_seed_gold_floors(seeds_dir: Path, use_model) -> None:
    report = run(seeds_dir, GOLD, use_model)
    assert report["figures"]["f1"] >= FIGURE_F1_FLOOR, (report["missed_gold_figures"], report["unmatched_pred_figures"])
    assert report["quotes"]["f1"] >= QUOTE_F1_FLOOR, (report["missed_gold_quotes"], report["unmatched_pred_quotes"])
    assert report["claimant_accuracy"] >= CLAIMANT_FLOOR


def test_key_figures_of_seed_000(seeds_dir: Path) -> None:
    from scamtrace.eval.extract import seed_articles
    from scamtrace.extract import extract
    art = next(a for a in seed_articles(seeds_dir) if a.id.startswith("000_"))
    figs = extract(art, use_model=False).figures
    got = {(f.value, f.date) for f in figs}
    assert (31000, "2023-11-18") in got and (63, "2023-11-18") in got and (194, "2023-11-28") in got
    f31 = next(f for f in figs if f.value == 31000 and f.date)
    assert f31.qualifier == "some" and "handed over" in f31.what and "Ministry of Public Security" in f31.claimant
    f26 = next(f for f in figs if f.value == 26000)
    assert f26.claimant == "Yin Masan" and f26.place == "Kokang"


def test_gold_files_are_well_formed() -> None:
    figs = load_gold(GOLD / "seeds_figures.jsonl", FIGURE_KEYS)
    quotes = load_gold(GOLD / "seeds_quotes.jsonl", QUOTE_KEYS)
    assert len(figs) >= 40 and len(quotes) >= 20
    for q in quotes:
        assert 3 <= len(q["quote"].split()) <= 12      # a short distinctive substring, not the whole quote


def test_evaluator_counts_and_rules() -> None:
    gold = [{"key": "a", "value": 10, "what": "suspects arrested", "date": "2024-01-01"},
            {"key": "a", "value": 5, "what": "flights", "date": None},
            {"key": "a", "value": 7, "what": "boilerplate readers", "date": None, "optional": True}]
    pred = [{"key": "a", "value": 10.0, "what": "suspects detained", "date": "2024-01-01"},   # shared head noun
            {"key": "a", "value": 5, "what": "flights", "date": "2024-02-02"},              # wrong date
            {"key": "a", "value": 7, "what": "boilerplate readers", "date": None},          # optional: neutral
            {"key": "b", "value": 10, "what": "suspects arrested", "date": "2024-01-01"}]   # other article
    s = evaluate_figures(pred, gold)
    assert (s.tp, s.fp, s.fn) == (1, 2, 1)
    assert s.precision == pytest.approx(1 / 3) and s.recall == pytest.approx(0.5)


def test_quote_evaluator_needs_substring_and_surname() -> None:
    gold = [{"key": "a", "quote": "the wind was blowing", "speaker": "Richard Roe", "role": None}]
    assert evaluate_quotes([{"key": "a", "quote": "Which way the wind was blowing, then", "speaker": "Roe"}], gold).tp == 1
    assert evaluate_quotes([{"key": "a", "quote": "Which way the wind was blowing", "speaker": "Doe"}], gold).tp == 0
    assert evaluate_quotes([{"key": "a", "quote": "the wind blew", "speaker": "Richard Roe"}], gold).tp == 0


def test_what_matching() -> None:
    assert what_matches("suspects handed over", "suspects handed over to China")
    assert what_matches("people returned", "people sent home")       # head noun "people"
    assert not what_matches("flights", "buildings raided")


def test_bad_gold_line_names_file_and_line(tmp_path: Path) -> None:
    p = tmp_path / "g.jsonl"
    p.write_text('{"key": "a", "quote": "x", "speaker": "y", "role": null}\n{"key": "a"}\n')
    with pytest.raises(GoldFileError, match=r"g\.jsonl:2: missing"):
        load_gold(p, QUOTE_KEYS)
    p.write_text("{oops\n")
    with pytest.raises(GoldFileError, match="not JSON"):
        load_gold(p, QUOTE_KEYS)


def test_gold_keys_match_seed_files(seeds_dir: Path) -> None:
    names = {p.name for p in seeds_dir.glob("*.txt")}
    for line in (GOLD / "seeds_figures.jsonl").read_text().splitlines():
        assert json.loads(line)["key"] in names


def test_error_report_tells_a_date_miss_from_a_description_miss() -> None:
    from scamtrace.eval.extract import error_report, evaluate_figures
    gold = [{"key": "a", "value": 10, "unit": "people", "what": "people detained", "qualifier": None,
             "date": "2025-03-03", "claimant": None},
            {"key": "a", "value": 5, "unit": "phones", "what": "phones seized", "qualifier": None, "date": None,
             "claimant": None}]
    pred = [{"key": "a", "value": 10, "what": "people detained", "date": None},
            {"key": "a", "value": 7, "what": "phones seized", "date": None}]
    score = evaluate_figures(pred, gold)
    rows = error_report(pred, gold, score, "figures")["a"]
    miss10 = next(r for r in rows if r["type"] == "miss" and r["value"] == 10)
    assert miss10["near"] == [{"what": "people detained", "date": None, "what_matches": True, "date_matches": False}]
    assert {r["type"] for r in rows} == {"miss", "false positive"} and len(rows) == 4
    with pytest.raises(ValueError, match="kind"):
        error_report(pred, gold, score, "events")
