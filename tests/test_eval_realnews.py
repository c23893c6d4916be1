"""`eval figures|stories --gold` on the realnews-dev format (issue 13 part 6): halves, the value-right
line of the corpus's score.py, and floors measured on the real corpus (skipped without ../shared)."""
from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from scamtrace import api
from scamtrace.cli import cli
from scamtrace.errors import GoldFileError
from scamtrace.eval.realnews_gold import figure_value_recall, gold_lines, half_of, is_realnews
from scamtrace.eval.store_eval import evaluate_store
from scamtrace.extract import reset

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SCAMTRACE_SHARED") or REPO.parent / "shared")
REALNEWS = SHARED / "datasets" / "realnews-dev"
FLOORS = json.loads((REPO / "tests" / "floors" / "figures_realnews.json").read_text())


def _write(tmp_path: Path) -> Path:
    recs = [
        {"id": "r1", "story": "alpha", "url": "https://a.example/1", "outlet": "a.example", "date": "2025-03-04",
         "title": "", "derived_from": None, "relation": None,
         "text": "Police in Myawaddy rescued 47 Indian nationals on Monday, the embassy said. Of these, 29 were "
                 "handed over by the authorities, while the remaining 18 approached the embassy directly. The embassy "
                 "said it had arranged travel documents for all of them and that most would fly home within a week "
                 "after checks by the local immigration office.",
         "figures": [{"value": 47, "what": "Indians rescued", "date": "2025-03-03"},
                     {"value": 18, "what": "approached the embassy directly", "date": None},
                     {"value": 12, "what": "a number the text does not state", "date": None}]},
        {"id": "r2", "story": "beta", "url": "https://b.example/2", "outlet": "b.example", "date": None, "title": "",
         "derived_from": None, "relation": None,
         "text": "A court in Bangkok jailed a 29-year-old Japanese man for recruiting students to a scam compound "
                 "across the border. Prosecutors told the court that he had promised the teenagers well paid work "
                 "abroad, safe lodging and free meals, and that he had been paid for every recruit he delivered.",
         "figures": [{"value": 29, "what": "age of Japanese man", "date": None}]},
    ]
    p = tmp_path / "articles.jsonl"
    p.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    return p


def _input(corpus: Path, out: Path | None = None) -> Path:
    """The ingest file score.py writes from a realnews-dev corpus (its fields, nothing more)."""
    out = out or corpus.with_name("input.jsonl")
    with open(corpus, encoding="utf-8") as fh, open(out, "w", encoding="utf-8") as dst:
        for line in fh:
            r = json.loads(line)
            dst.write(json.dumps({"id": r["id"], "url": r["url"], "outlet": r["outlet"], "published": r["date"],
                                  "title": r["title"] or None, "text": r["text"]}) + "\n")
    return out


def test_half_is_score_py_hash() -> None:
    assert {half_of(s) for s in ("alpha", "beta", "gamma", "delta")} <= {"A", "B"}
    score = REALNEWS / "score.py"
    if not score.is_file():
        pytest.skip(f"realnews-dev missing at {REALNEWS} (set SCAMTRACE_SHARED)")
    spec = importlib.util.spec_from_file_location("realnews_score", score)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for s in ("korea-64-repatriated-cambodia-2025-10-18", "alpha", "beta", "x" * 40):
        assert half_of(s) == mod.half_of(s)


def test_gold_lines_and_value_recall(tmp_path) -> None:
    path = _write(tmp_path)
    assert is_realnews(path) and not is_realnews(REPO / "tests" / "gold" / "demo_figures.jsonl")
    lines = gold_lines(path, "figures")
    assert [(g["key"], g["value"]) for g in lines] == [("r1", 47), ("r1", 18), ("r1", 12), ("r2", 29)]
    half = half_of("alpha")
    assert {g["key"] for g in gold_lines(path, "figures", half)} == {"r1"} | ({"r2"} if half_of("beta") == half else set())
    assert gold_lines(path, "stories") == [{"key": "r1", "story": "alpha"}, {"key": "r2", "story": "beta"}]
    with pytest.raises(GoldFileError):
        gold_lines(path, "quotes")
    pred = [{"key": "r1", "value": 47.1}, {"key": "r1", "value": 18}, {"key": "r2", "value": 30}]
    assert figure_value_recall(pred, lines) == (2, 4)   # 47.1 is within 0.5 % of 47; 30 is not 29


def test_eval_figures_cli_reads_realnews_with_halves(tmp_path) -> None:
    path = _write(tmp_path)
    db = tmp_path / "r.db"
    reset()
    store = api.open_store(db)
    api.ingest(store, [str(_input(path))])
    api.analyze(store)
    res = evaluate_store(store, "figures", path)
    assert res["value_hits"] == 3 and res["gold"] == 4   # 47, 18 and the age 29; never 12
    run = CliRunner().invoke(cli, ["--db", str(db), "eval", "figures", "--gold", str(path), "--half", half_of("alpha")])
    assert run.exit_code == 0, run.output
    assert "value right" in run.output
    run = CliRunner().invoke(cli, ["--db", str(db), "eval", "figures", "--gold",
                                   str(REPO / "tests" / "gold" / "demo_figures.jsonl"), "--half", "A"])
    assert run.exit_code != 0 and "--half needs a realnews-dev" in (run.output + str(run.exception))


@pytest.fixture(scope="module")
def realnews_store(tmp_path_factory):
    articles = REALNEWS / "articles.jsonl"
    if not articles.is_file():
        pytest.skip(f"realnews-dev missing at {REALNEWS} (set SCAMTRACE_SHARED to the shared folder)")
    reset()
    tmp = tmp_path_factory.mktemp("realnews")
    src = _input(articles, tmp / "input.jsonl")
    store = api.open_store(tmp / "real.db")
    api.ingest(store, [str(src)])
    api.analyze(store)
    return store


@pytest.mark.parametrize("half", ["A", "B", "all"])
def test_realnews_figure_floors(realnews_store, half: str) -> None:
    res = evaluate_store(realnews_store, "figures", REALNEWS / "articles.jsonl", half=None if half == "all" else half)
    assert res["value_recall"] >= FLOORS["value_recall"][half], res
    if half == "all":
        assert res["f1"] >= FLOORS["figure_f1"]["all"], res
