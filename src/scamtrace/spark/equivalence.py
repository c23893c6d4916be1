"""Compare a Spark job's OUTPUT with the embedded engine on the same articles (``spark.equivalence-v1``).

Used by tests/test_spark_equivalence.py and bench/bench_spark.py. Two results are the same when
the sets of links (article, source, sibling, relation, family, origin credit), families
(id, members, origin, origin credit) and stories (id, articles, families, title) are identical.
Scores are compared to 4 decimal places (the export rounding). Documented tie-breaks that could
make them differ: candidates with equal estimated containment at the ``MAX_CANDIDATES`` cut are
ranked by article id (the embedded index ranks by insertion order, which is id order in a full
``analyze``); and float sums of fact weights or anchor weights may differ in the last bit, which
matters only for a score exactly at a threshold.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..model import Article, Family, Link
from ..copies.engine import find_copies
from ..copies.crosslang import crosslang_pairs
from ..copies.index import CandidateIndex
from ..stories.cluster import cluster_stories
from ..export import EXPORTS
from ..pipeline import analyze
from ..settings import Settings
from ..store.opening import open_store

Key = tuple


def link_key(d: Link | dict[str, Any]) -> Key:
    g = d.__getattribute__ if isinstance(d, Link) else d.get
    return (g("article"), g("source"), g("sibling"), g("relation"), g("family"), g("origin_credit"),
            round(float(g("score")), 4))


def family_key(d: Family | dict[str, Any]) -> Key:
    if isinstance(d, Family):
        return (d.id, tuple(d.members), d.origin, d.origin_credit)
    return (d["family"], tuple(d["members"]), d["origin"], d["origin_credit"])


def story_key(d: Any) -> Key:
    """Stories compare by id, members and title; member lists are compared as sets (the store lists
    them in its own order)."""
    if isinstance(d, dict):
        return (d["story"], tuple(sorted(d["articles"])), tuple(sorted(d["families"])), d["title"])
    return (d.id, tuple(sorted(d.articles)), tuple(sorted(d.families)), d.title)


def embedded_result(articles: Sequence[Article], stories: bool = True) -> tuple[list[Link], list[Family], list[Any]]:
    """What a full embedded ``analyze`` computes for copies and families of ``articles``, and the
    ``stories.online-v2`` stories the Spark job reproduces (``analyze`` itself now clusters with
    ``stories.event-v8``, which has no Spark version: see README, Limits)."""
    idx = CandidateIndex()
    idx.add_many((a.id, a.text) for a in sorted(articles, key=lambda a: a.id))
    pairs = sorted({(a, b) if a < b else (b, a) for a, b, _name, _est in idx.candidate_pairs()}
                   | crosslang_pairs((a.id, a.outlet, a.language) for a in articles))
    res = find_copies(list(articles), candidates=pairs)
    sts = cluster_stories(list(articles), res.families) if stories else []
    return res.links, res.families, sts


def read_output(output: str | Path) -> dict[str, list[dict[str, Any]]]:
    """The tables of a local OUTPUT directory as lists of dicts (pyarrow; no Spark)."""
    import pyarrow.parquet as pq

    out: dict[str, list[dict[str, Any]]] = {}
    for name in ("articles", "links", "families", "stories", "rejects"):
        path = Path(output) / name
        out[name] = pq.read_table(path).to_pylist() if path.exists() else []
    return out


def differences(links: Iterable[Any], families: Iterable[Any], stories: Iterable[Any] | None,
                output: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Per table: counts on both sides and the keys found on one side only (at most 5 shown)."""
    report: dict[str, Any] = {}
    pairs = [("links", links, link_key), ("families", families, family_key)]
    if stories is not None:
        pairs.append(("stories", stories, story_key))
    for name, ours, key in pairs:
        a = {key(x) for x in ours}
        b = {key(x) for x in output[name]}
        report[name] = {"embedded": len(a), "spark": len(b), "only_embedded": sorted(a - b, key=str)[:5],
                        "only_spark": sorted(b - a, key=str)[:5], "same": a == b}
    report["same"] = all(v["same"] for k, v in report.items() if isinstance(v, dict))
    return report


#: The exports compared by :func:`extraction_differences`: per-article records and the knowledge built on them.
EXTRACTION_EXPORTS = ("figures", "quotes", "events", "entities")


def embedded_store(path: str | Path, articles: Iterable[Article]) -> Any:
    """A fresh store at ``path`` holding ``articles`` (clean text) after one embedded ``analyze``:
    the reference a ``spark analyze`` + ``import-parquet --stories store`` is compared with."""
    store = open_store(path)
    with store.write():
        for a in sorted(articles, key=lambda a: a.id):
            store.put_article(a, fmt="text", body=a.text)
    analyze(store, settings=Settings(workers=1))
    return store


def extraction_exports(store: Any) -> dict[str, list[str]]:
    """The exports ``figures``, ``quotes``, ``events`` and ``entities`` of a store as sorted JSON
    lines (what `scamtrace export NAME --format jsonl` writes; they hold no run ids or times)."""
    out = {}
    for name in EXTRACTION_EXPORTS:
        records, _cols = EXPORTS[name]
        out[name] = sorted(json.dumps(r, sort_keys=True, default=str) for r in records(store))
    return out


def extraction_differences(embedded: Any, imported: Any) -> dict[str, Any]:
    """Per export: counts on both stores and the lines found on one side only (at most 3 shown)."""
    a, b = extraction_exports(embedded), extraction_exports(imported)
    report: dict[str, Any] = {}
    for name in EXTRACTION_EXPORTS:
        x, y = set(a[name]), set(b[name])
        report[name] = {"embedded": len(a[name]), "spark": len(b[name]), "only_embedded": sorted(x - y)[:3],
                        "only_spark": sorted(y - x)[:3], "same": a[name] == b[name]}
    report["same"] = all(v["same"] for v in report.values())
    return report
