"""Quality gate for the extract stage on the demo corpus (examples/demo), scored against gold written
independently of the rules (tests/gold/demo_figures.jsonl, demo_quotes.jsonl).

The gold articles are split into two halves by article id (sorted, alternate). The rules of
extract.figures-v2 / extract.quotes-v2 were tuned on half "A" (even positions) only, with half "B" (odd
positions) held out; from round 3 on, half B's misses were read too (README, "Figures, quotes, events
on the invented corpora"), so neither half nor "all" is a held-out figure any more.

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

Round 3 (2026-11-28, extract.figures-v3; the matcher is unchanged, eval.figures-v2). Rules: header
lines (outlet, place-and-date line) do not count as the lead; "taken into custody"/"rounded up" are
actions; "described it on", "The announcement came ... on" date the statement; "and included" does not
open another clause; penalties (fines, prison terms) take the day of the sentencing; a classifying
breakdown ("317 were foreigners") is not dated by the total, a breakdown "of those detained" finds a
total counted with a verb of holding however far back; a quoted restatement ("the “more than 4,100”
announced by") counts the paragraph's total and takes its day, as does a corrected count of any unit;
"the other seven suspects" is a remainder, not a figure; "N of those detained were <noun>", "99-year
lease", "16 hrs", "viewed ... N times" are read; "S$410,000" is not a capitalised number word; vague
plurals are no figures (``VAGUE_FIGURES``). Two gold lines added (plain omissions, see the report).

    figures v2  A: P 0.86 R 0.90 F1 0.88   B: P 0.82 R 0.88 F1 0.85   all: P 0.84 R 0.89 F1 0.86
    figures v1  A: P 0.58 R 0.60 F1 0.59   B: P 0.64 R 0.66 F1 0.65   all: P 0.61 R 0.63 F1 0.62
             claimant agreement on matched figures 0.685 (all, v2); quotes unchanged

With the corpus dating of ``scamtrace.extract.corpus_dates`` (undated copies resolved against their
link partner's day, repeated counts dated by the same count elsewhere; round 3 applied it after the
analysis, see :func:`test_demo_figures_with_corpus_dates`, and the pipeline has run it since):

    figures v2  A: P 0.94 R 0.98 F1 0.96   B: P 0.89 R 0.96 F1 0.92   all: P 0.91 R 0.97 F1 0.94
    figures v1  A: P 0.63 R 0.66 F1 0.65   B: P 0.71 R 0.73 F1 0.72   all: P 0.67 R 0.69 F1 0.68
             claimant agreement 0.665 (all, v2)

The figure gold follows conventions the seed gold does not share (see test_extract_gold.py and
``scamtrace.extract.figure_dates.PERIOD_DATES``); vague quantities ("thousands of workers") are
extracted (ACLED-style lower bound, as the seed gold lists them) although the demo gold never does;
since v3 they are not (a vague plural states no number).

Floors are pinned a little under these; lowering one is an explicit, reviewed change.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from scamtrace import api
from scamtrace.eval.keys import key_map, read_gold, resolve
from scamtrace.eval.store_eval import evaluate_store

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "examples" / "demo"
GOLD = REPO / "tests" / "gold"

#: (kind, half) -> F1 floor.
FLOORS = {
    ("figures", "A"): 0.92, ("figures", "B"): 0.87, ("figures", "all"): 0.90,
    ("quotes", "A"): 0.90, ("quotes", "B"): 0.90, ("quotes", "all"): 0.90,
}
#: Figure floors under the round-1 matcher (eval.figures-v1), kept so that the two can be compared.
FLOORS_V1 = {"A": 0.61, "B": 0.67, "all": 0.64}
#: Figure floors (eval.figures-v2) with the corpus dating applied after the analysis.
FLOORS_CORPUS = {"A": 0.92, "B": 0.87, "all": 0.90}
CLAIMANT_FLOOR = 0.65


@pytest.fixture(scope="module")
def demo_store(demo_db):
    return api.open_store(demo_db)


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


def test_demo_figures_with_corpus_dates(fresh_db, tmp_path) -> None:
    """The corpus dating as the pipeline would run it after the extract stage: undated copies are
    re-extracted against their link partner's day, then repeated counts are dated."""
    from scamtrace.eval.extract import evaluate_figures
    from scamtrace.extract import extract
    from scamtrace.extract.corpus_dates import apply_repeat_dates, reference_dates
    from scamtrace.extract.events import find_events
    from scamtrace.store.extracted import put_extraction, rows

    store = api.open_store(fresh_db)
    refs = reference_dates({k: a.published for k, a in store.article_meta().items()}, store.links())
    assert refs, "the demo has undated copies of dated articles"
    for art in store.iter_articles(sorted(refs)):
        ex = extract(art, reference_date=refs[art.id][0])
        put_extraction(store, art.id, ex, find_events(art, ex))
    apply_repeat_dates(store)   # 0 once the pipeline runs it itself
    for half, floor in FLOORS_CORPUS.items():
        path = _half_gold(store, "figures", half, tmp_path)
        gold = resolve(list(read_gold(path)), key_map(store), ("key",), path)
        keys = {g["key"] for g in gold}
        pred = [{**r, "key": r["article"]} for r in rows(store, "figures") if r["article"] in keys]
        assert evaluate_figures(pred, gold).f1 >= floor, half
