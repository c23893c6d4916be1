"""Boilerplate-leakage gate: cleaned demo pages keep (almost) no gold boilerplate line and their
main text, against the pinned floors in ``tests/floors/leakage.json``; plus the metric itself."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import lxml.html
import pytest

from scamtrace.errors import GoldFileError
from scamtrace.eval.leakage import LEAKAGE_ALGORITHM, boilerplate_leakage, evaluate_pages, load_gold, normalise

FLOORS = json.loads((Path(__file__).parent / "floors" / "leakage.json").read_text("utf-8"))


def _corpus_sources(demo_dir: Path) -> list[Path]:
    """Every demo source except html/ (which boilerplate_leakage always ingests)."""
    listed = [ln.strip() for ln in (demo_dir / "sources.txt").read_text("utf-8").splitlines()]
    return [demo_dir / p for p in listed if p and p.rstrip("/") != "html"]


def _check_gate(result: dict) -> None:
    leaks = {stem: p["leaked"] for stem, p in result["per_page"].items() if p["leaked"]}
    missing = {stem: p["missing"] for stem, p in result["per_page"].items() if p["missing"]}
    assert result["algorithm"] == FLOORS["metric"] == LEAKAGE_ALGORITHM
    assert result["share"] <= FLOORS["max_leakage"], f"boilerplate leaked: {leaks}"
    assert result["content_recall"] >= FLOORS["min_content_recall"], f"main text lost: {missing}"
    assert not any(p["rejected"] for p in result["per_page"].values())


def test_gate_html_pages_alone(demo_dir: Path) -> None:
    result = boilerplate_leakage(demo_dir)
    assert result["pages"] == 5 and result["lines_total"] > 100
    _check_gate(result)


def test_gate_with_whole_demo_corpus(demo_dir: Path) -> None:
    """Other outlets in the store change what is learned (shared lines are never boilerplate)."""
    _check_gate(boilerplate_leakage(demo_dir, _corpus_sources(demo_dir)))


def test_gate_catches_a_cleaner_that_keeps_the_page_chrome(demo_dir: Path) -> None:
    """All visible text of each page (what a do-nothing cleaner returns) fails the gate."""
    gold = load_gold(demo_dir)
    visible = {}
    for stem in gold:
        tree = lxml.html.fromstring((demo_dir / "html" / f"{stem}.html").read_text("utf-8"))
        for bad in tree.xpath("//script|//style|//head"):
            bad.drop_tree()
        visible[stem] = "\n".join(t.strip() for t in tree.itertext() if t.strip())
    result = evaluate_pages(visible, gold)
    assert result["share"] >= 0.95
    assert result["content_recall"] == 1.0


# -- the metric -----------------------------------------------------------------------------------

GOLD = {"p": (["Home", "Thailand", "Share on X", "© 2025 The Example Post"],
              ["BANGKOK (MWN) — Police in Thailand said on Monday they had raided a compound.",
               "“We found 300 phones,” an officer said. The raid lasted two days."])}


def test_clean_text_equal_to_gold_leaks_nothing_even_with_nav_words_in_it() -> None:
    r = evaluate_pages({"p": "\n\n".join(GOLD["p"][1])}, GOLD)
    assert (r["lines_leaked"], r["share"], r["content_recall"]) == (0, 0.0, 1.0)


def test_every_kept_chrome_line_counts_once() -> None:
    text = "Home\n\nThailand\n\n" + "\n\n".join(GOLD["p"][1]) + "\n\nShare on X\n\n© 2025 The Example Post"
    r = evaluate_pages({"p": text}, GOLD)
    assert r["lines_leaked"] == 4 and r["share"] == 1.0
    assert r["per_page"]["p"]["leaked"] == GOLD["p"][0]


def test_words_inside_other_words_are_not_leaks() -> None:
    text = "\n\n".join(GOLD["p"][1]) + "\n\nHomes were flooded near the Thailand border."
    r = evaluate_pages({"p": text}, GOLD)
    assert r["per_page"]["p"]["leaked"] == ["Thailand"]   # "Homes" is not "Home"; Thailand now 2 > 1


def test_quotes_dashes_case_and_spacing_are_normalised() -> None:
    text = 'bangkok  (mwn) - police in thailand said on monday they had raided a compound.\n\n' \
           '"We found 300 phones," an officer said.   The raid lasted two days.'
    assert evaluate_pages({"p": text}, GOLD)["content_recall"] == 1.0
    assert normalise("“A”\u00a0—  B") == '"a" - b'


def test_rejected_and_missing_pages() -> None:
    r = evaluate_pages({"p": None}, GOLD)
    assert r["per_page"]["p"]["rejected"] and r["content_recall"] == 0.0 and r["lines_leaked"] == 0
    assert evaluate_pages({"p": GOLD["p"][1][0]}, GOLD)["content_recall"] == 0.5
    with pytest.raises(ValueError, match="no cleaned text for gold pages p"):
        evaluate_pages({}, GOLD)


def test_gold_errors_say_what_is_wrong(demo_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(GoldFileError, match="folder not found"):
        load_gold(tmp_path)
    shutil.copytree(demo_dir / "html", tmp_path / "html")
    shutil.copytree(demo_dir / "gold", tmp_path / "gold")
    (tmp_path / "gold" / "html_text" / "ledger-raid.txt").unlink()
    with pytest.raises(GoldFileError, match="ledger-raid.txt: gold file missing"):
        load_gold(tmp_path)
    (tmp_path / "gold" / "html_text" / "ledger-raid.txt").write_text("\n\n", "utf-8")
    with pytest.raises(GoldFileError, match="empty"):
        load_gold(tmp_path)
