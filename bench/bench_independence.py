"""Independent-source counts against the gold copy families of realnews-dev.

For every merged fact whose citing articles are all in the corpus, the honest count is the number of
gold families among its *stating* citations (families = connected components of the gold
``derived_from`` links, excerpts included, so a figure a digest quotes counts for its source; an
approximation, the gold does not say which sentences an excerpt borrowed). The store's count is
``facts.independent_sources``. Prints, per half (``score.py``'s story split) and overall, the share
of facts counted exactly, how many are over- and under-counted, and the disputes found.

    python bench/bench_independence.py                # ingest + analyze into a temporary store
    python bench/bench_independence.py --db STORE     # measure a store built by score.py --db STORE
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

SHARED = Path(os.environ.get("SCAMTRACE_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
CORPUS = SHARED / "datasets" / "realnews-dev" / "articles.jsonl"


def half_of(story: str) -> str:
    """score.py's fixed split of the stories."""
    return "A" if int(hashlib.sha1(story.encode()).hexdigest(), 16) % 2 == 0 else "B"


def build(db: Path, recs: list[dict]) -> None:
    src = db.parent / "input.jsonl"
    with open(src, "w") as f:
        for r in recs:
            f.write(json.dumps({"id": r["id"], "url": r["url"], "outlet": r["outlet"], "published": r["date"],
                                "title": r["title"] or None, "text": r["text"]}) + "\n")
    for args in (["ingest", str(src)], ["analyze"]):
        subprocess.run([sys.executable, "-m", "scamtrace", "--db", str(db), *args], check=True,
                       stdout=subprocess.DEVNULL)


def measure(db: Path, recs: list[dict]) -> dict[str, dict[str, float]]:
    parent = {r["id"]: r["id"] for r in recs}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in recs:
        if r.get("derived_from") in parent:
            parent[find(r["id"])] = find(r["derived_from"])
    story = {r["id"]: r["story"] for r in recs}
    con = sqlite3.connect(db)
    out: dict[str, dict[str, float]] = {k: {"facts": 0, "exact": 0, "over": 0, "under": 0, "disputes": 0}
                                        for k in ("A", "B", "all")}
    for fid, n in con.execute("SELECT id, independent_sources FROM facts"):
        arts = [r[0] for r in con.execute("SELECT article FROM fact_citations WHERE fact = ?", (fid,))]
        if not arts or any(a not in parent for a in arts):
            continue
        gold = len({find(a) for a in arts})
        for k in (half_of(story[arts[0]]), "all"):
            o = out[k]
            o["facts"] += 1
            o["exact"] += n == gold
            o["over"] += n > gold
            o["under"] += n < gold
    has_disputes = con.execute("SELECT 1 FROM sqlite_master WHERE name = 'fact_disputes'").fetchone()
    for (aid,) in con.execute("SELECT article FROM fact_disputes") if has_disputes else []:
        if aid in story:
            for k in (half_of(story[aid]), "all"):
                out[k]["disputes"] += 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, help="a store already built from realnews-dev (e.g. by score.py --db)")
    a = ap.parse_args()
    if not CORPUS.is_file():
        sys.exit(f"{CORPUS}: not found; set SCAMTRACE_SHARED to the shared/ folder")
    recs = [json.loads(line) for line in CORPUS.open() if line.strip()]
    db = a.db
    if db is None:
        db = Path(tempfile.mkdtemp()) / "independence.db"
        build(db, recs)
    for k, o in measure(db, recs).items():
        n = max(1, o["facts"])
        print(f"{k:>3}: facts {o['facts']}, counted exactly {o['exact'] / n:.3f}, over-counted {o['over']}, "
              f"under-counted {o['under']}, dispute sentences {o['disputes']}")


if __name__ == "__main__":
    main()
