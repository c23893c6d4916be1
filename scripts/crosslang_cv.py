#!/usr/bin/env python3
"""Can anchor sequences find translations by other publishers? Two-fold cross-validation by realnews-dev half.

    python scripts/crosslang_cv.py [--shared ../shared] [--list]

A study, not a channel: nothing here is used by ``analyze``. Everything is read from --shared (nothing is copied
into the repository). It measures the idea of a cross-language channel for translations by *other* publishers
(``copies.crosslang-v1`` pairs only articles of one organisation): the language-independent part of a text is its
sequence of anchors (numbers of 2+ digits and proper names, :func:`scamtrace.copies.crosslang.anchors`); a
translation should keep nearly all the anchors of the span it covers, in order, and beat the runner-up text of the
corpus by a margin (unless the runner-up is a copy of the best, i.e. in its copy family).

Scores of a query text x against a candidate y (distinct anchors in first-occurrence order, LCS alignment):
  ``coverage`` - matched / x's anchors (share of the translation's anchors found in y, in order);
  ``window``   - coverage times the density of the matched span of y (matched / y's anchors between its first and
                 last matched anchor): an aligned window, so a candidate that covers a longer or different span of
                 the story is not penalised for anchors outside the shared window, and one that holds many anchors
                 the translation lacks inside it is.
  ``sentences`` - the anchors sentence by sentence: the best in-order alignment of x's sentences (2+ anchors) with
                 y's, each pair worth the Jaccard of their anchor sets when >= SENTENCE_MIN_JACCARD, over x's
                 sentences (a translation keeps its source's sentences; independent reports group facts their own way).
Anchor sets (each is run, with each score): ``all`` (every anchor) or ``names`` (numbers, and names whose lower-case form the
corpus never writes in lower case: "ministry", "airport", "friday" are words a translation translates, not names).
Each query's best candidate and runner-up (the best candidate outside the best's gold copy family) give its margin.

Rows, per half (each half ingested on its own, as ``score.py --half`` does, so the detected languages are the
store's):
  positive - a gold pair whose two texts' detected languages differ (the translations the channel is for), and,
             marked ``proxy``, every other gold ``rewrite`` pair (a rewrite keeps facts the way a translation does;
             the channel reads only anchors, so the language does not matter to the score): the query is the
             derived text, its candidates every text outside its gold family plus its gold source;
  negative - every text as a query against the texts outside its own gold copy family only, i.e. as if it were an
             independent report in another language (or a translation whose source is absent): any link it makes
             is false. A language-blind proxy: anchors are what a translation keeps, so an independent report of one
             statement shares them with an English text as it does with another English report.
Fold rule: for each margin step M, the threshold T is the smallest step above every training negative with margin
>= M; the (T, M) finding the most training positives (then the higher T) is the fold's; it is applied to the
held-out half and both held-out results are printed.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from pathlib import Path
from typing import Any, Sequence

from rapidfuzz.distance import LCSseq

from scamtrace.copies.crosslang import _fold, anchors
from scamtrace.copies.tokens import sentence_spans
from scamtrace.eval.pairmodel import _ingest, gold_families
from scamtrace.eval.realnews import half_of, input_record

HERE = Path(__file__).resolve().parent.parent
STEP = 0.01
MARGINS = [round(0.05 * k, 2) for k in range(0, 15)]
MIN_QUERY_ANCHORS = 5       # a query with fewer distinct anchors is not scored (nothing to align)
SENTENCE_MIN_JACCARD = 0.3  # two sentences' anchor sets that overlap less are not aligned
SCORES = ("coverage", "window", "sentences")
ANCHOR_SETS = ("all", "names")
_WORD_RE = re.compile(r"[^\W_]+")


def distinct_anchors(text: str) -> list[str]:
    """The anchors of ``text`` at their first occurrence, in order (a translation may say "he" for a repeated name)."""
    seen: set[str] = set()
    out = []
    for a in anchors(text):
        if a not in seen:
            seen.add(a)
            out.append(a)
    return out


def lower_words(texts: Sequence[str]) -> frozenset[str]:
    """Every word the texts write in lower case (accents folded): a capitalised one of them is not a name."""
    return frozenset(_fold(w) for t in texts for w in _WORD_RE.findall(t) if w.islower())


def sentence_anchors(text: str, keep: frozenset[str] | None = None) -> list[frozenset[str]]:
    """The anchor sets of the sentences of ``text`` that hold 2 or more (``keep``: only numbers and these names)."""
    out = []
    for a, b in sentence_spans(text):
        s = {x for x in anchors(text[a:b]) if keep is None or x.isdigit() or x not in keep}
        if len(s) >= 2:
            out.append(frozenset(s))
    return out


def sentence_alignment(x: Sequence[frozenset[str]], y: Sequence[frozenset[str]]) -> float:
    """The ``sentences`` score of the module doc (0 when either text has no sentence with 2+ anchors)."""
    if not x or not y:
        return 0.0
    prev = [0.0] * (len(y) + 1)
    for sx in x:
        cur = [0.0] * (len(y) + 1)
        for j, sy in enumerate(y, 1):
            jac = len(sx & sy) / len(sx | sy)
            cur[j] = max(prev[j - 1] + (jac if jac >= SENTENCE_MIN_JACCARD else 0.0), prev[j], cur[j - 1])
        prev = cur
    return round(prev[-1] / len(x), 4)


def alignment(x: Sequence[str], y: Sequence[str]) -> dict[str, Any]:
    """The anchors of ``x`` found in ``y`` in order (LCS) and the two scores of the module doc."""
    matched = [(op.src_start + k, op.dest_start + k) for op in LCSseq.opcodes(list(x), list(y))
               if op.tag == "equal" for k in range(op.src_end - op.src_start)]
    if not x or not matched:
        return {"matched": [], "coverage": 0.0, "window": 0.0}
    coverage = len(matched) / len(x)
    density = len(matched) / (matched[-1][1] - matched[0][1] + 1)
    return {"matched": [x[i] for i, _ in matched], "coverage": round(coverage, 4),
            "window": round(coverage * density, 4)}


def pair_score(query: str, cand: str, anc: dict[str, Any], score: str) -> float:
    if score == "sentences":
        return sentence_alignment(anc[query][1], anc[cand][1])
    return float(alignment(anc[query][0], anc[cand][0])[score])


def best_two(query: str, cands: Sequence[str], anc: dict[str, Any], family: dict[str, str],
             score: str) -> tuple[float, str | None, float, str | None]:
    """(best score, best, runner-up score, runner-up): the runner-up is the best candidate outside the best's family."""
    ranked = sorted(((pair_score(query, c, anc, score), c) for c in cands), key=lambda t: (-t[0], t[1]))
    if not ranked:
        return 0.0, None, 0.0, None
    s1, b = ranked[0]
    rest = [(s, c) for s, c in ranked[1:] if family[c] != family[b]]
    s2, r = rest[0] if rest else (0.0, None)
    return s1, b, s2, r


def half_rows(recs: list[dict], arts: dict, score: str, anchor_set: str = "all") -> list[dict]:
    ids = sorted(arts)
    gold = {r["id"]: r for r in recs if r.get("derived_from") in arts and r["id"] in arts}
    fam = gold_families(ids, [frozenset((i, r["derived_from"])) for i, r in gold.items()])
    keep = lower_words([arts[i].text for i in ids]) if anchor_set == "names" else None
    anc = {i: ([a for a in distinct_anchors(arts[i].text) if keep is None or a.isdigit() or a not in keep],
               sentence_anchors(arts[i].text, keep)) for i in ids}
    rows = []
    for x in ids:
        if len(anc[x][0]) < MIN_QUERY_ANCHORS:
            continue
        outside = [c for c in ids if fam[c] != fam[x]]
        s1, b, s2, r = best_two(x, outside, anc, fam, score)
        rows.append({"label": 0, "kind": "independent", "query": x, "best": b, "score": s1, "runner_up": r,
                     "margin": round(s1 - s2, 4)})
        g = gold.get(x)
        if g is None:
            continue
        src = g["derived_from"]
        la, lb = arts[x].language, arts[src].language
        cross = bool(la and lb and la != lb)
        if not cross and g["relation"] != "rewrite":
            continue
        s1, b, s2, r = best_two(x, outside + [src], anc, fam, score)
        rows.append({"label": 1, "kind": "translation" if cross else "proxy", "query": x, "source": src,
                     "best": b, "right": b == src, "score": s1, "runner_up": r, "margin": round(s1 - s2, 4),
                     "languages": [la, lb]})
    return rows


def links(row: dict, t: float, m: float) -> bool:
    return row["best"] is not None and row["score"] >= t and row["margin"] >= m


def fold(rows: list[dict]) -> tuple[float, float]:
    """The training half's (threshold, margin): see the module doc."""
    best: tuple[int, float, float] | None = None
    for m in MARGINS:
        worst = max((r["score"] for r in rows if r["label"] == 0 and r["margin"] >= m), default=0.0)
        t = round(math.floor(worst / STEP + 1) * STEP, 4)
        found = sum(links(r, t, m) and r["right"] for r in rows if r["label"] == 1)
        if best is None or (found, t) > (best[0], best[1]):
            best = (found, t, m)
    assert best is not None
    return best[1], best[2]


def held_out(rows: list[dict], t: float, m: float) -> dict[str, Any]:
    pos = [r for r in rows if r["label"] == 1]
    return {"translations": [r["query"] for r in pos if r["kind"] == "translation" and links(r, t, m) and r["right"]],
            "of_translations": sum(r["kind"] == "translation" for r in pos),
            "proxies": sum(r["kind"] == "proxy" and links(r, t, m) and r["right"] for r in pos),
            "of_proxies": sum(r["kind"] == "proxy" for r in pos),
            "wrong_source": [(r["query"], r["best"]) for r in pos if links(r, t, m) and not r["right"]],
            "false": [(r["query"], r["best"]) for r in rows if r["label"] == 0 and links(r, t, m)],
            "negatives": sum(r["label"] == 0 for r in rows)}


def dominating(row: dict, rn: dict[str, list[dict]]) -> list[dict]:
    """The negatives of both halves whose score and margin are both at least ``row``'s: no (threshold, margin) links
    ``row`` without linking them too."""
    return [r for rows in rn.values() for r in rows
            if r["label"] == 0 and r["score"] >= row["score"] and r["margin"] >= row["margin"]]


def load_halves(shared: Path) -> dict[str, tuple[list[dict], dict]]:
    """Each realnews-dev half's records and its articles as ingested on their own (cleaned, language detected)."""
    recs = [json.loads(line) for line in (shared / "datasets/realnews-dev/articles.jsonl").open(encoding="utf-8")
            if line.strip()]
    out = {}
    for half in ("A", "B"):
        hrecs = [r for r in recs if half_of(r["story"]) == half]
        out[half] = (hrecs, _ingest(shared, (input_record(r) for r in hrecs)))
    return out


def realnews(halves: dict[str, tuple[list[dict], dict]], score: str, anchor_set: str = "all") -> dict[str, list[dict]]:
    return {h: half_rows(recs, arts, score, anchor_set) for h, (recs, arts) in halves.items()}


def cross_validate(rn: dict[str, list[dict]]) -> dict[str, tuple[float, float, dict[str, Any]]]:
    """Fold set on each half -> (threshold, margin, held-out result on the other half)."""
    out = {}
    for train, test in (("A", "B"), ("B", "A")):
        t, m = fold(rn[train])
        out[train] = (t, m, held_out(rn[test], t, m))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=os.environ.get("SCAMTRACE_SHARED", str(HERE.parent / "shared")))
    ap.add_argument("--list", action="store_true", help="print every positive and the 10 worst negatives")
    a = ap.parse_args()
    shared = Path(a.shared)
    if not (shared / "datasets/realnews-dev/articles.jsonl").is_file():
        print(f"crosslang_cv: {shared}/datasets/realnews-dev/articles.jsonl not found; pass --shared DIR",
              file=sys.stderr)
        return 2
    halves = load_halves(shared)
    for anchor_set, score in ((x, y) for x in ANCHOR_SETS for y in SCORES):
        rn = realnews(halves, score, anchor_set)
        print(f"== anchors {anchor_set}, score {score}")
        for h in ("A", "B"):
            for r in rn[h]:
                if r["kind"] == "translation":
                    print(f"half {h} translation {r['query']} ({'/'.join(map(str, r['languages']))}) <- {r['source']}: "
                          f"best {r['best']} {r['score']:.2f}, runner-up {r['runner_up']}, margin {r['margin']:.2f}; "
                          f"negatives as high on both (A+B): {len(dominating(r, rn))}")
        for train, (t, m, ho) in cross_validate(rn).items():
            test = "B" if train == "A" else "A"
            print(f"fold: set on half {train}: score >= {t}, margin >= {m}; held-out half {test}: translations "
                  f"{len(ho['translations'])} of {ho['of_translations']} {ho['translations']}, rewrite proxies "
                  f"{ho['proxies']} of {ho['of_proxies']}, wrong source {ho['wrong_source']}, false links "
                  f"{len(ho['false'])} of {ho['negatives']} {ho['false']}")
        if a.list:
            for h in ("A", "B"):
                worst = sorted((x for x in rn[h] if x["label"] == 0), key=lambda x: -x["margin"])[:10]
                for r in [x for x in rn[h] if x["label"] == 1] + worst:
                    print(f"  {h} {r['kind']:<11} {r['score']:.2f} margin {r['margin']:.2f} {r['query']} -> "
                              f"{r['best']} (runner-up {r['runner_up']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
