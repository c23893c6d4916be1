"""Evaluate what a store holds (stories, figures, quotes, events) against gold JSONL files.

Gold keys name articles by id, file name or URL (see :mod:`scamtrace.eval.keys`); predictions are
restricted to the articles the gold file covers.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from ..errors import GoldFileError, InvalidRequest
from ..store import Store, queries
from .clusters import bcubed
from .keys import jsonl_objects, key_map, read_gold, resolve
from .realnews import half_of
from .realnews_gold import figure_value_recall, gold_lines, is_realnews
from ..store.extracted import load_events, rows
from .events import evaluate_events
from .extract import claimant_accuracy, evaluate_figures, evaluate_quotes

KINDS = ("stories", "figures", "quotes", "events")


def story_gold(store: Store, gold_path: Path) -> tuple[dict[str, str], int]:
    """(article id -> gold story, how many gold articles the store lacks) from a story gold file in
    one of three formats: scamtrace's (``key``, ``story``), realnews-dev's ``articles.jsonl`` or
    ECB+'s ``gold.jsonl`` (``id``, ``story``). In the dataset formats an article the store lacks (a
    rejected stub) stays in the gold as its own singleton, as the datasets' scorers count it."""
    keys = key_map(store)
    gold: dict[str, str] = {}
    missing = 0
    for n, obj in jsonl_objects(gold_path):
        if not isinstance(obj, dict) or not isinstance(obj.get("story"), str) or not ("key" in obj or "id" in obj):
            raise GoldFileError(f"{gold_path}:{n}: each line must be an object with \"story\" and \"key\" "
                                "(or \"id\", as realnews-dev and ECB+ write it)")
        if "key" in obj:
            if obj["key"] not in keys:
                raise GoldFileError(f"{gold_path}: key {obj['key']!r} names no article in the store; "
                                    "ingest the corpus first")
            gold[keys[obj["key"]]] = obj["story"]
        elif obj["id"] in keys:
            gold[keys[obj["id"]]] = obj["story"]
        else:
            gold["absent:" + str(obj["id"])] = obj["story"]
            missing += 1
    if missing == len(gold):
        raise GoldFileError(f"{gold_path}: no gold article is in the store; ingest the corpus first")
    return gold, missing


def evaluate_stories(store: Store, gold_path: Path, half: str | None = None) -> dict[str, Any]:
    """B-cubed of the stored stories against a story gold file (optionally one fixed half of its
    stories), with chaining: the largest ratio of a predicted story's size to the largest gold story
    among its articles, and how many predicted stories exceed 1.5 times it."""
    gold, missing = story_gold(store, gold_path)
    if half:
        gold = {a: s for a, s in gold.items() if half_of(s) == half}
    pred = queries.story_of_articles(store)
    pred = {a: p for a, p in pred.items() if a in gold}
    gsize = Counter(gold.values())
    members: dict[str, list[str]] = {}
    for a, p in pred.items():
        members.setdefault(p, []).append(a)
    ratios = [len(ms) / max(gsize[gold[a]] for a in ms) for ms in members.values()]
    return {"bcubed": bcubed(pred, gold), "half": half, "absent": missing,
            "predicted": len(members) + sum(1 for a in gold if a not in pred), "gold_stories": len(gsize),
            "worst_ratio": max(ratios, default=0.0), "over_1_5": sum(r > 1.5 for r in ratios)}


def evaluate_store(store: Store, kind: str, gold_path: Path, half: str | None = None) -> dict[str, Any]:
    """Score what ``store`` holds against ``gold_path``: gold JSON Lines (one fact a line, with ``key``)
    or a realnews-dev corpus file (one article a line, :mod:`.realnews_gold`), then ``half`` ("A"/"B")
    keeps one fixed half of its stories."""
    if kind not in KINDS:
        raise InvalidRequest(f"unknown evaluation {kind!r}; use one of {', '.join(KINDS)}")
    if kind == "stories":   # scamtrace's, realnews-dev's and ECB+'s formats, with chaining
        return evaluate_stories(store, gold_path, half)

    realnews = is_realnews(gold_path)
    if half is not None and not realnews:
        raise GoldFileError(f"{gold_path}: --half needs a realnews-dev corpus file (one article a line with "
                            "\"id\" and \"story\"); this is a gold file of one fact a line")
    lines = gold_lines(gold_path, kind, half) if realnews else list(read_gold(gold_path))
    gold = resolve(lines, key_map(store), ("key",), gold_path)
    keys = {g["key"] for g in gold}
    if kind == "events":
        res = evaluate_events([e for e in load_events(store, sorted(keys))], gold)
        return {k: res[k] for k in ("precision", "recall", "f1", "tp", "fp", "fn")}

    table = "figures" if kind == "figures" else "quotes"
    pred = [{**r, "key": r["article"]} for r in rows(store, table) if r["article"] in keys]
    if kind == "figures":
        score = evaluate_figures(pred, gold)
        hits, total = figure_value_recall(pred, gold)
        out = {**score.as_dict(), "value_recall": round(hits / total, 4) if total else 1.0, "value_hits": hits,
               "gold": total}
        if any("claimant" in g for g in gold):
            out["claimant_accuracy"] = round(claimant_accuracy(pred, gold, score), 4)
        return out
    return evaluate_quotes(pred, gold).as_dict()


def format_result(kind: str, res: dict[str, Any]) -> str:
    if kind == "stories":
        b = res["bcubed"]
        line = (f"stories B-cubed: precision {b['precision']:.3f} recall {b['recall']:.3f} F1 {b['f1']:.3f} "
                f"({b['items']} articles{', half ' + res['half'] if res.get('half') else ''})")
        if "worst_ratio" in res:
            line += (f"\n  {res['predicted']} predicted stories for {res['gold_stories']} gold; largest predicted/gold "
                     f"size ratio {res['worst_ratio']:.2f} ({res['over_1_5']} above 1.5)"
                     + (f"; {res['absent']} gold articles not in the store (rejected?) count as singletons"
                        if res["absent"] else ""))
        return line
    extra = f" claimant accuracy {res['claimant_accuracy']:.3f}" if "claimant_accuracy" in res else ""
    if "value_recall" in res:   # realnews-dev's score.py figure line: the value right, whatever the wording
        extra += f"; value right {res['value_recall']:.3f} ({res['value_hits']}/{res['gold']})"
    return (f"{kind}: precision {res['precision']:.3f} recall {res['recall']:.3f} F1 {res['f1']:.3f} "
            f"(tp {res['tp']}, fp {res['fp']}, fn {res['fn']}){extra}")
