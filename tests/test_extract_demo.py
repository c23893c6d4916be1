"""Quality gate for the extract stage on the demo corpus (examples/demo), scored against gold written
independently of the rules (tests/gold/demo_figures.jsonl, demo_quotes.jsonl).

The gold articles are split into two halves by article id (sorted, alternate): the rules of
extract.figures-v2 / extract.quotes-v2 were tuned on half "A" (even positions) only; half "B" (odd
positions) is held out.

Round 1 (2026-11-28, rules only, no spaCy; the clean stage leaves the "Published <date>" line of the
demo text files unparsed, so six of them have no publication date), matcher eval.figures-v1:

    figures  A: P 0.49 R 0.49 F1 0.49   B: P 0.55 R 0.63 F1 0.59   all: P 0.52 R 0.56 F1 0.54
    quotes   A: P 0.97 R 0.91 F1 0.94   B: P 0.89 R 0.78 F1 0.83   all: P 0.92 R 0.84 F1 0.88

Round 2 (2026-11-28). The figure matcher became eval.figures-v2 (see scamtrace.eval.extract: lemmatised
nouns, tight synonyms, the unit of a measure/money/thing, loose person nouns only when the gold noun is
in the predicted sentence, bracketed conversions); the quote matcher compares word tokens and lets a
gold line without a speaker match a prediction without one. Quote rules: four-token names, a rank
before a name marks a person, a leading participial phrase is dropped from a speaker, "informed" is a
speech verb, and place nouns (park, harbour, hotel, ...) are not person names.

    figures v2  A: P 0.76 R 0.76 F1 0.76   B: P 0.66 R 0.79 F1 0.72   all: P 0.71 R 0.77 F1 0.74
    figures v1  A: P 0.53 R 0.53 F1 0.53   B: P 0.55 R 0.63 F1 0.59   all: P 0.54 R 0.58 F1 0.56
             claimant agreement on matched figures 0.69 (all, v2)
    quotes      A: P 0.97 R 0.91 F1 0.94   B: P 1.00 R 0.88 F1 0.93   all: P 0.98 R 0.89 F1 0.94
                (the same under the round-1 quote matcher)

The figure gold follows conventions the seed gold does not share (see test_extract_gold.py and
``scamtrace.extract.figure_dates.PERIOD_DATES``); vague quantities ("thousands of workers") are
extracted (ACLED-style lower bound, as the seed gold lists them) although the demo gold never does.

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
    ("figures", "A"): 0.72, ("figures", "B"): 0.68, ("figures", "all"): 0.70,
    ("quotes", "A"): 0.90, ("quotes", "B"): 0.90, ("quotes", "all"): 0.90,
}
#: Figure floors under the round-1 matcher (eval.figures-v1), kept so that the two can be compared.
FLOORS_V1 = {"A": 0.50, "B": 0.55, "all": 0.53}
CLAIMANT_FLOOR = 0.65


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


@pytest.mark.parametrize("half", ["A", "B", "all"])
def test_demo_figure_floors_old_matcher(demo_store, tmp_path, half: str) -> None:
    from scamtrace.eval.extract import MATCHER_V1, evaluate_figures
    from scamtrace.store.extracted import rows

    path = _half_gold(demo_store, "figures", half, tmp_path)
    gold = resolve(list(read_gold(path)), key_map(demo_store), ("key",), path)
    keys = {g["key"] for g in gold}
    pred = [{**r, "key": r["article"]} for r in rows(demo_store, "figures") if r["article"] in keys]
    old = evaluate_figures(pred, gold, MATCHER_V1)
    assert old.f1 >= FLOORS_V1[half], old.as_dict()
    assert evaluate_figures(pred, gold).f1 >= old.f1   # v2 only adds matches a v1 match would also allow


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
