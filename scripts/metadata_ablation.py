#!/usr/bin/env python3
"""Metadata ablation of copy provenance on realnews-dev (issue 12): what happens to pairs, relations and arrows when
real inputs lack their metadata (a scraped page without a date, an export without outlet/url, texts with no title).

    python scripts/metadata_ablation.py [--shared ../shared] [--scope whole,A,B] [--drop full,date,source,title,all]

Everything is read from --shared (nothing is copied into the repository). The input of each store is built the way
realnews-dev/score.py builds it (``date`` -> ``published``, empty title -> None), then fields are removed:

* ``full``: nothing removed (the reference);
* ``date``: no ``published`` (and no ``date``: ingest.records-v2 would read it);
* ``source``: no ``outlet`` and no ``url``;
* ``title``: no ``title``;
* ``all``: the three above together;
* ``mixed-date``, ``mixed-source``, ``mixed-all``: the same fields removed from every second record only (sha1 of
  the id odd), as in a corpus gathered from feeds with and without metadata.

Each store is ingested and analysed as ``scamtrace ingest`` / ``analyze`` do (in process), for the whole corpus and
for each half (A/B, split by story as score.py splits them). For each it prints score.py's copies line (pairs found,
relation right, arrow right, reversed, links across stories, with score.py's definitions) and lists every reversed
arrow and every cross-story link with the direction rule that decided it (``evidence.direction.decided_by``,
confidence), and every gold pair found with all metadata but lost without it (with the relation it had).
"""
from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from scamtrace.eval.realnews import half_of, input_record  # score.py's fixed split by story

HERE = Path(__file__).resolve().parent.parent
DROPS: dict[str, tuple[str, ...]] = {"full": (), "date": ("published", "date"), "source": ("outlet", "url"),
                                     "title": ("title",), "all": ("published", "date", "outlet", "url", "title")}
# Mixed stores: the fields of a condition removed from every second record only (sha1 of the id odd), the rest keep
# them: a corpus gathered from several feeds, some with metadata, some without.
MIXED = ("mixed-date", "mixed-source", "mixed-all")


def dropped(condition: str) -> tuple[str, ...]:
    return DROPS[condition.removeprefix("mixed-")]


def stripped(record_id: str, condition: str) -> bool:
    """Does ``condition`` remove the fields of this record?"""
    return not condition.startswith("mixed-") or int(hashlib.sha1(record_id.encode()).hexdigest(), 16) % 2 == 1


def input_records(recs: list[dict[str, Any]], condition: str) -> list[dict[str, Any]]:
    """score.py's input records (date -> published, "" title -> None) without the fields ``condition`` removes."""
    out = []
    for r in recs:
        x = input_record(r)
        if stripped(r["id"], condition):
            for k in dropped(condition):
                x.pop(k, None)
        out.append(x)
    return out


def build(records: list[dict[str, Any]], tmp: Path) -> tuple[list[Any], list[Any]]:
    """Ingest and analyse ``records`` in a new store under ``tmp``; its links and families."""
    from scamtrace.pipeline import analyze, ingest
    from scamtrace.store import Store
    src = tmp / "input.jsonl"
    with src.open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")
    store = Store(tmp / "ablation.db")
    try:
        ingest(store, [str(src)])
        analyze(store)
        return store.links(), store.families()
    finally:
        store.close()


def direction_of(link: Any) -> str:
    d = (link.evidence or {}).get("direction") or {}
    conf = d.get("confidence")
    return f"{d.get('decided_by', '?')} {conf:.2f}" if isinstance(conf, (int, float)) else str(d.get("decided_by", "?"))


def score(recs: list[dict[str, Any]], links: list[Any], families: list[Any]) -> dict[str, Any]:
    """score.py's copies figures, plus per-pair details (which link, which rule)."""
    story = {r["id"]: r["story"] for r in recs}
    pairs: dict[frozenset[str], str] = {}
    for fam in families:
        for x, y in itertools.combinations(sorted(fam.members or []), 2):
            pairs[frozenset((x, y))] = "family"
    by_pair: dict[frozenset[str], Any] = {}
    for ln in links:
        if ln.source:
            pairs[frozenset((ln.article, ln.source))] = ln.relation
            by_pair[frozenset((ln.article, ln.source))] = ln
    arrows = {(ln.article, ln.source) for ln in links if ln.source}
    gold = [(r["id"], r["derived_from"], r["relation"]) for r in recs if r.get("derived_from") in story]
    found = {frozenset(g[:2]): pairs[frozenset(g[:2])] for g in gold if frozenset(g[:2]) in pairs}
    right = [g for g in gold if found.get(frozenset(g[:2])) == g[2]]
    ok = [g for g in gold if (g[0], g[1]) in arrows]
    rev = [g for g in gold if (g[1], g[0]) in arrows]
    inside = [p for p in pairs if all(i in story for i in p)]
    cross = [p for p in inside if len({story[i] for i in p}) > 1]
    n = max(1, len(gold))
    line = (f"pairs found {len(found)/n:.2f} ({len(found)}/{len(gold)}), relation right "
            f"{len(right)/max(1, len(found)):.2f}, arrow right {len(ok)/n:.2f} (reversed {len(rev)}), "
            f"links across stories {len(cross)}/{len(inside)}")
    reversed_ = [f"{y} -> {x} ({rel}; gold {x} -> {y}), decided by {direction_of(by_pair[frozenset((x, y))])}"
                 for x, y, rel in rev]
    crossing = []
    for p in sorted(cross, key=sorted):
        ln = by_pair.get(p)
        x, y = sorted(p)
        crossing.append(f"{ln.article} -> {ln.source} ({ln.relation}), decided by {direction_of(ln)}" if ln is not None
                        else f"{x} ~ {y} (family only)")
    # relation right when a sibling link (no arrow) also states the pair's relation: score.py counts a pair joined only
    # by a sibling link as "family", so an arrow withdrawn for lack of evidence also costs "relation right"
    with_sib = dict(found)
    for ln in links:
        if ln.source is None and ln.sibling:
            key = frozenset((ln.article, ln.sibling))
            if with_sib.get(key) == "family":
                with_sib[key] = (ln.evidence or {}).get("pair_relation", ln.relation)
    right_sib = [g for g in gold if with_sib.get(frozenset(g[:2])) == g[2]]
    line += f"; relation right counting sibling links {len(right_sib)/max(1, len(found)):.2f}"
    # every arrow on a gold pair by the rule that decided it: right / reversed
    rules: dict[str, list[int]] = {}
    for x, y, _ in gold:
        ln = by_pair.get(frozenset((x, y)))
        if ln is not None:
            kind = ((ln.evidence or {}).get("direction") or {}).get("decided_by", "?")
            rules.setdefault(kind, [0, 0])[0 if (x, y) == (ln.article, ln.source) else 1] += 1
    arrow_state = {}
    for g in gold:
        ln = by_pair.get(frozenset(g[:2]))
        state = "right" if g in ok else "reversed" if g in rev else "none"
        arrow_state[(g[0], g[1])] = f"{state} ({direction_of(ln)})" if ln is not None else state
    return {"line": line, "found": found, "gold": gold, "reversed": reversed_, "cross": crossing,
            "arrows": arrow_state, "rules": rules,
            "n": (len(found), len(right), len(ok), len(rev), len(cross))}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", default=os.environ.get("SCAMTRACE_SHARED", str(HERE.parent / "shared")),
                    help="the shared data folder (default: $SCAMTRACE_SHARED, else ../shared beside the checkout)")
    ap.add_argument("--scope", default="whole,A,B", help="comma list of whole, A, B")
    ap.add_argument("--drop", default=",".join([*DROPS, *MIXED]), help="comma list of " + ", ".join([*DROPS, *MIXED]))
    ap.add_argument("--json", help="also write every run's figures to this file")
    a = ap.parse_args()
    path = Path(a.shared) / "datasets/realnews-dev/articles.jsonl"
    if not path.is_file():
        print(f"{path}: realnews-dev not found; pass --shared DIR (the folder holding datasets/) or set SCAMTRACE_SHARED",
              file=sys.stderr)
        return 2
    recs_all = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    drops = [d for d in a.drop.split(",") if d]
    if "full" not in drops:
        drops.insert(0, "full")   # the reference every other run is compared with
    out: dict[str, Any] = {}
    for scope in [s for s in a.scope.split(",") if s]:
        recs = recs_all if scope == "whole" else [r for r in recs_all if half_of(r["story"]) == scope]
        ref: dict[str, Any] | None = None
        print(f"== {scope}: {len(recs)} records")
        for drop in drops:
            t0 = time.perf_counter()
            with tempfile.TemporaryDirectory(prefix="ablation-") as tmp:
                links, fams = build(input_records(recs, drop), Path(tmp))
            s = score(recs, links, fams)
            out[f"{scope}/{drop}"] = {"line": s["line"], "reversed": s["reversed"], "cross": s["cross"],
                                      "n": s["n"], "rules": s["rules"], "arrows": {f"{k[0]} -> {k[1]}": v for k, v in s["arrows"].items()}}
            removed = ("+".join(dropped(drop)) or "nothing") + (" of every second record" if drop in MIXED else "")
            print(f"  {drop:<6} (removed: {removed}; {time.perf_counter() - t0:.0f} s) copies: {s['line']}")
            print("      arrows on gold pairs by deciding rule (right/reversed): "
                  + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(s["rules"].items())))
            for r in s["reversed"]:
                print(f"      reversed: {r}")
            for c in s["cross"]:
                print(f"      across stories: {c}")
            if ref is None:
                ref = s
                continue
            for g in ref["gold"]:
                key = frozenset(g[:2])
                if key in ref["found"] and key not in s["found"]:
                    print(f"      lost: {g[0]} -> {g[1]} ({g[2]}; with all metadata: {ref['found'][key]})")
            for g in ref["gold"]:
                before, after = ref["arrows"][(g[0], g[1])], s["arrows"][(g[0], g[1])]
                if before != after:
                    print(f"      arrow {before} -> {after}: {g[0]} -> {g[1]} ({g[2]})")
    if a.json:
        Path(a.json).write_text(json.dumps(out, indent=1, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
