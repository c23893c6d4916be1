#!/usr/bin/env python3
"""Two-fold cross-validation of the general-language frequency prior (copies.spin-prior-v1) by realnews-dev half.

    python scripts/spin_prior_cv.py [--shared ../shared] [--list]

Everything is read from --shared (nothing is copied into the repository); needs the optional `wordfreq` package.
The texts are ingested as ``scamtrace ingest`` stores them (cleaning, detected language). For every gold pair
(``derived_from``) whose two texts share a language the prior lists, the prior's votes are counted over the pair's
substitution sites (:func:`scamtrace.copies.spin.frequency_votes`); at thresholds (minimum votes, minimum share) a
pair is *decided* when the side with the rarer wording has that many votes and that share, and the decision is
*right* when that side is the gold copy. The rule's own domain is the gold **spun** pairs; the other gold pairs are
printed for information (the rule never reads them: an editor's version or a rewrite changes words both ways).

Fold fit: on the training half's spun pairs, the grid point with the most right minus wrong decisions; ties go to
the most conservative point (larger share, then more votes). Each fold's point is scored on the other half; the
shipped thresholds (SPIN_PRIOR_MIN_VOTES, SPIN_PRIOR_MIN_SHARE) are the more conservative of the two fits.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from scamtrace.copies.direction import SPIN_PRIOR_MIN_SHARE, SPIN_PRIOR_MIN_VOTES
from scamtrace.copies.features import Pair, prepare
from scamtrace.copies.spin import frequency_prior_available, frequency_votes
from scamtrace.eval.pairmodel import _ingest
from scamtrace.eval.realnews import half_of

HERE = Path(__file__).resolve().parent.parent
GRID_VOTES = (3, 4, 5, 6, 8)
GRID_SHARES = (0.75, 0.8, 0.85, 0.9, 0.95)


def votes(shared: Path) -> list[dict]:
    recs = [json.loads(line) for line in (shared / "datasets/realnews-dev/articles.jsonl").open(encoding="utf-8")
            if line.strip()]
    arts = _ingest(shared, ({"id": r["id"], "url": r["url"], "outlet": r["outlet"], "published": r["date"],
                             "title": r["title"] or None, "text": r["text"]} for r in recs))
    out = []
    for r in recs:
        if not r.get("derived_from") or r["id"] not in arts or r["derived_from"] not in arts:
            continue
        copy_, src = arts[r["id"]], arts[r["derived_from"]]
        if (copy_.language or None) != (src.language or None):
            continue
        language = frequency_prior_available(copy_.language)
        if language is None:
            continue
        a, b = sorted((copy_, src), key=lambda x: x.id)   # the engine reads a pair from its smaller id
        v = frequency_votes(Pair(prepare(a), prepare(b)).spun.sites_a, language)
        rarer_copy = v.rarer_a if a is copy_ else v.rarer_b
        rarer_src = v.rarer_b if a is copy_ else v.rarer_a
        out.append({"copy": copy_.id, "source": src.id, "relation": r["relation"], "half": half_of(r["story"]),
                    "sites": v.sites, "rarer_copy": rarer_copy, "rarer_source": rarer_src})
    return out


def decided(row: dict, min_votes: int, min_share: float) -> int:
    """+1 right, -1 wrong, 0 undecided."""
    top, cast = max(row["rarer_copy"], row["rarer_source"]), row["rarer_copy"] + row["rarer_source"]
    if not cast or top < min_votes or top < min_share * cast or row["rarer_copy"] == row["rarer_source"]:
        return 0
    return 1 if row["rarer_copy"] > row["rarer_source"] else -1


def tally(rows: list[dict], point: tuple[int, float]) -> tuple[int, int]:
    d = [decided(r, *point) for r in rows]
    return d.count(1), d.count(-1)


def fit(rows: list[dict]) -> tuple[int, float]:
    grid = [(v, s) for v in GRID_VOTES for s in GRID_SHARES]
    return max(grid, key=lambda p: (tally(rows, p)[0] - tally(rows, p)[1], p[1], p[0]))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=Path(os.environ.get("SCAMTRACE_SHARED") or HERE.parent / "shared"),
                    help="the shared data folder (default: $SCAMTRACE_SHARED, else ../shared beside the checkout)")
    ap.add_argument("--list", action="store_true", help="print every gold pair's votes")
    a = ap.parse_args()
    if frequency_prior_available("en") is None:
        print("wordfreq is not installed: nothing to validate", file=sys.stderr)
        return 2
    if not (a.shared / "datasets/realnews-dev/articles.jsonl").is_file():
        print(f"{a.shared}/datasets/realnews-dev/articles.jsonl: realnews-dev not found; pass --shared DIR (the folder "
              "holding datasets/) or set SCAMTRACE_SHARED", file=sys.stderr)
        return 2
    rows = votes(a.shared)
    if a.list:
        for r in sorted(rows, key=lambda r: (r["half"], r["relation"], r["copy"])):
            print(f"{r['half']} {r['relation']:9s} {r['copy'][:34]:34s} sites {r['sites']:3d}  rarer in copy "
                  f"{r['rarer_copy']:2d}, in source {r['rarer_source']:2d}")
    spun = {h: [r for r in rows if r["half"] == h and r["relation"] == "spun"] for h in "AB"}
    other = {h: [r for r in rows if r["half"] == h and r["relation"] != "spun"] for h in "AB"}
    fits = {}
    for train, test in (("A", "B"), ("B", "A")):
        p = fits[train] = fit(spun[train])
        print(f"fit on {train} ({len(spun[train])} spun pairs): min votes {p[0]}, min share {p[1]}: "
              f"{train} right/wrong {tally(spun[train], p)}; held-out {test} right/wrong {tally(spun[test], p)}; "
              f"{test}'s other gold pairs right/wrong {tally(other[test], p)}")
    ship = max(fits.values(), key=lambda p: (p[1], p[0]))
    print(f"more conservative fit: min votes {ship[0]}, min share {ship[1]}; shipped: SPIN_PRIOR_MIN_VOTES "
          f"{SPIN_PRIOR_MIN_VOTES}, SPIN_PRIOR_MIN_SHARE {SPIN_PRIOR_MIN_SHARE}")
    for h in "AB":
        print(f"half {h} at the shipped point: spun right/wrong {tally(spun[h], (SPIN_PRIOR_MIN_VOTES, SPIN_PRIOR_MIN_SHARE))}, "
              f"other gold pairs right/wrong {tally(other[h], (SPIN_PRIOR_MIN_VOTES, SPIN_PRIOR_MIN_SHARE))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
