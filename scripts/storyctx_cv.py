#!/usr/bin/env python3
"""Two-fold cross-validation of the story-context rewrite (copies.storyctx-v1) by realnews-dev half, plus ECB+.

    python scripts/storyctx_cv.py [--shared ../shared] [--no-ecb] [--list]

Everything is read from --shared (nothing is copied into the repository). For each realnews-dev half, the half's
texts are ingested on their own (as ``score.py --half`` does), the candidate index proposes pairs, and each candidate
pair the hand rules leave unlinked (and not quotation-only) gets its story-context score among its candidate
neighbourhood (:func:`scamtrace.copies.storyctx.story_evidence`). Labels: a gold pair (``derived_from``) is positive;
a pair of two texts in different gold copy families is negative (two copies of one original are neither).

Fold threshold: the smallest 0.005 step above the score of every negative of the training half that has enough
context (so no training negative links). Each fold's threshold is applied to the other half; both held-out results
are printed. The shipped threshold (STORYCTX_MIN_SCORE) is the more conservative (higher) of the two fold thresholds.
ECB+: every candidate pair the rules leave unlinked; pairs across the two events of a topic are all negatives.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections import defaultdict
from pathlib import Path

from scamtrace.copies.classify import _shape, relate_rules
from scamtrace.copies.features import Pair, prepare
from scamtrace.copies.storyctx import STORYCTX_MIN_CONTEXT, STORYCTX_MIN_SCORE, story_evidence
from scamtrace.eval.pairmodel import _ingest, candidate_pairs, gold_families
from scamtrace.eval.realnews import half_of, input_record

HERE = Path(__file__).resolve().parent.parent
STEP = 0.005


def scored_pairs(arts: dict, pairs: set[tuple[str, str]]) -> list[dict]:
    """Every candidate pair the rules leave unlinked and that is not quotation-only, with its story evidence
    (context: the candidate neighbourhood, as the engine gives it)."""
    nb: dict[str, set[str]] = defaultdict(set)
    for x, y in pairs:
        nb[x].add(y)
        nb[y].add(x)
    prep = {i: prepare(a) for i, a in arts.items()}
    out = []
    for x, y in sorted(pairs):
        pair = Pair(prep[x], prep[y])
        verdict, feats, sh = relate_rules(pair)
        if verdict is not None:
            continue
        if sh is None and pair.passages.words_a and pair.passages.words_b:
            sh = _shape(pair, feats)
        if sh is None or (sh.quoted and not sh.own):
            continue
        ctx = [prep[o].side.text for o in sorted((nb[x] | nb[y]) - {x, y})]
        ev = story_evidence(pair.a.text, pair.b.text, ctx, normalized=True, threshold=0.0)
        out.append({"a": x, "b": y, "ev": ev})
    return out


def fold_threshold(rows: list[dict]) -> float:
    worst = max((r["ev"]["score"] for r in rows if r["label"] == 0 and r["ev"]["context"] >= STORYCTX_MIN_CONTEXT),
                default=0.0)
    return round(math.floor(worst / STEP + 1) * STEP, 4)


def applies(r: dict, t: float) -> bool:
    ev = r["ev"]
    return ev["context"] >= STORYCTX_MIN_CONTEXT and ev["in_order"] > 0 and ev["score"] >= t


def realnews(shared: Path) -> dict[str, list[dict]]:
    recs = [json.loads(line) for line in (shared / "datasets/realnews-dev/articles.jsonl").open(encoding="utf-8")
            if line.strip()]
    out = {}
    for half in ("A", "B"):
        hrecs = [r for r in recs if half_of(r["story"]) == half]
        arts = _ingest(shared, (input_record(r) for r in hrecs))
        ids = {r["id"] for r in hrecs}
        gold = {frozenset((r["id"], r["derived_from"])): r["relation"] for r in hrecs if r.get("derived_from") in ids}
        fam = gold_families(sorted(ids), gold)
        rows = []
        for r in scored_pairs(arts, candidate_pairs(list(arts.values()))):
            key = frozenset((r["a"], r["b"]))
            if key in gold:
                r["label"], r["kind"] = 1, gold[key]
            elif fam[r["a"]] != fam[r["b"]]:
                r["label"], r["kind"] = 0, "independent"
            else:
                continue
            rows.append(r)
        out[half] = rows
    return out


def ecbplus(shared: Path) -> list[dict]:
    d = shared / "datasets/ecbplus"
    recs = [json.loads(line) for line in (d / "articles.jsonl").open(encoding="utf-8") if line.strip()]
    gold = {g["id"]: g["story"] for g in (json.loads(line) for line in (d / "gold.jsonl").open(encoding="utf-8"))}
    arts = _ingest(d, recs)
    rows = scored_pairs(arts, candidate_pairs(list(arts.values())))
    for r in rows:
        r["across"] = gold[r["a"]] != gold[r["b"]]
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=os.environ.get("SCAMTRACE_SHARED", str(HERE.parent / "shared")))
    ap.add_argument("--no-ecb", action="store_true")
    ap.add_argument("--list", action="store_true", help="print every scored realnews-dev pair")
    a = ap.parse_args()
    shared = Path(a.shared)
    if not (shared / "datasets/realnews-dev/articles.jsonl").is_file():
        print(f"storyctx_cv: {shared}/datasets/realnews-dev/articles.jsonl not found; pass --shared DIR",
              file=sys.stderr)
        return 2
    rn = realnews(shared)
    folds = {}
    for train, test in (("A", "B"), ("B", "A")):
        t = fold_threshold(rn[train])
        folds[train] = t
        te = rn[test]
        pos = [r for r in te if r["label"] == 1]
        print(f"fold: threshold set on half {train} = {t}; held-out half {test}: "
              f"rewrites added {sum(applies(r, t) for r in pos)} of {len(pos)} unlinked gold candidate pairs "
              f"{[(r['a'], r['b']) for r in pos if applies(r, t)]}, false links "
              f"{sum(applies(r, t) for r in te if r['label'] == 0)} of {sum(r['label'] == 0 for r in te)} "
              f"{[(r['a'], r['b']) for r in te if r['label'] == 0 and applies(r, t)]}")
    shipped = max(folds.values())
    print(f"conservative threshold (higher of the two folds): {shipped} (STORYCTX_MIN_SCORE in the code: {STORYCTX_MIN_SCORE})")
    for h in ("A", "B"):
        rows = rn[h]
        print(f"half {h} at {shipped}: added {sum(applies(r, shipped) for r in rows if r['label'] == 1)}, "
              f"false {sum(applies(r, shipped) for r in rows if r['label'] == 0)}")
    if a.list:
        for h in ("A", "B"):
            for r in sorted(rn[h], key=lambda r: -r["ev"]["score"]):
                ev = r["ev"]
                print(h, r["kind"], ev["context"], ev["exclusive"], ev["in_order"], ev["score"], r["a"], r["b"])
    if not a.no_ecb:
        rows = ecbplus(shared)
        for t in sorted({*folds.values(), shipped}):
            across = [r for r in rows if r["across"] and applies(r, t)]
            inside = [r for r in rows if not r["across"] and applies(r, t)]
            print(f"ECB+ at {t}: {len(rows)} unlinked candidate pairs scored; would add {len(inside)} links inside one "
                  f"event, {len(across)} across events {[(r['a'], r['b']) for r in across]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
