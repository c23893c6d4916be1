"""Quality gate for the extract stage on the demo corpus (examples/demo), scored against gold written
independently of the rules (tests/gold/demo_figures.jsonl, demo_quotes.jsonl).

The gold articles are split into two halves by article id (sorted, alternate): the rules of
extract.figures-v2 / extract.quotes-v2 were tuned on half "A" (even positions) only; half "B" (odd
positions) is held out. Measured 2026-11-28 (rules only, no spaCy; clean stage as of that day, which
leaves the "Published <date>" line of the demo text files unparsed, so six of them have no
publication date):

    figures  A: P 0.49 R 0.49 F1 0.49   B: P 0.55 R 0.63 F1 0.59   all: P 0.52 R 0.56 F1 0.54
             claimant agreement on matched figures 0.69 (all)
    quotes   A: P 0.97 R 0.91 F1 0.94   B: P 0.89 R 0.78 F1 0.83   all: P 0.92 R 0.84 F1 0.88

The figure gold follows conventions the seed gold does not share (see test_extract_gold.py and
``scamtrace.extract.figure_dates.PERIOD_DATES``); vague quantities ("thousands of workers") are
extracted (ACLED-style lower bound) although the demo gold never lists them.

Floors are pinned a little under these; lowering one is an explicit, reviewed change.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from scamtrace import api
from scamtrace.eval.keys import key_map, read_gold, resolve
from scamtrace.eval.store_eval import evaluate_store
from scamtrace.extract import reset

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "examples" / "demo"
GOLD = REPO / "tests" / "gold"

#: (kind, half) -> F1 floor.
FLOORS = {
    ("figures", "A"): 0.45, ("figures", "B"): 0.55, ("figures", "all"): 0.50,
    ("quotes", "A"): 0.90, ("quotes", "B"): 0.78, ("quotes", "all"): 0.84,
}
CLAIMANT_FLOOR = 0.62


def _sources() -> list[str]:
    return [str(DEMO / line.strip()) for line in (DEMO / "sources.txt").read_text().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    if not (DEMO / "sources.txt").is_file():
        pytest.skip(f"demo corpus missing at {DEMO}")
    reset()
    store = api.open_store(tmp_path_factory.mktemp("xdemo") / "demo.db")
    api.ingest(store, _sources())
    api.analyze(store)
    return store


def _half_gold(store, kind: str, half: str, tmp: Path) -> Path:
    """A gold file holding only the lines of one half (articles sorted by id, alternate)."""
    path = GOLD / f"demo_{kind}.jsonl"
    if half == "all":
        return path
    keys = key_map(store)
    names = {f"demo_{k}.jsonl": k for k in ("figures", "quotes")}
    ids: set[str] = set()
    for name in names:
        ids |= {g["key"] for g in resolve(list(read_gold(GOLD / name)), keys, ("key",), GOLD / name)}
    order = sorted(ids)
    chosen = set(order[0::2] if half == "A" else order[1::2])
    lines = [g for g in read_gold(path) if keys[g["key"]] in chosen]
    out = tmp / f"demo_{kind}_{half}.jsonl"
    out.write_text("".join(json.dumps(g) + "\n" for g in lines), encoding="utf-8")
    return out


@pytest.mark.parametrize("kind", ["figures", "quotes"])
@pytest.mark.parametrize("half", ["A", "B", "all"])
def test_demo_floors(demo_store, tmp_path, kind: str, half: str) -> None:
    res = evaluate_store(demo_store, kind, _half_gold(demo_store, kind, half, tmp_path))
    assert res["tp"] > 0
    assert res["f1"] >= FLOORS[(kind, half)], res
    if kind == "figures" and half == "all":
        assert res["claimant_accuracy"] >= CLAIMANT_FLOOR, res


def test_halves_partition_the_gold(demo_store, tmp_path) -> None:
    for kind in ("figures", "quotes"):
        a = _half_gold(demo_store, kind, "A", tmp_path).read_text().splitlines()
        b = _half_gold(demo_store, kind, "B", tmp_path).read_text().splitlines()
        whole = (GOLD / f"demo_{kind}.jsonl").read_text().splitlines()
        assert len(a) + len(b) == len([w for w in whole if w.strip()]) and a and b


def test_lead_count_is_dated_by_the_raid_not_the_statement(demo_store) -> None:
    keys = key_map(demo_store)
    rows = demo_store.execute("SELECT value, date, claimant FROM figures WHERE article = ?",
                              (keys["mwn-20250304-golden-lotus-raid"],))
    got = {(r["value"], r["date"]) for r in rows}
    assert (4100.0, "2025-03-03") in got       # "detained ... officials said Tuesday"; raid "on Monday"
    assert all(r["claimant"] != "Tuesday" for r in rows)
