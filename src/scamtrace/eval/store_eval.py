"""Evaluate what a store holds (stories, figures, quotes, events) against gold JSONL files.

Gold keys name articles by id, file name or URL (see :mod:`scamtrace.eval.keys`); predictions are
restricted to the articles the gold file covers.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import GoldFileError
from ..store import Store
from .clusters import bcubed
from .keys import key_map, read_gold, resolve

KINDS = ("stories", "figures", "quotes", "events")


def evaluate_store(store: Store, kind: str, gold_path: Path, half: str | None = None) -> dict[str, Any]:
    """Score what ``store`` holds against ``gold_path``: gold JSON Lines (one fact a line, with ``key``)
    or a realnews-dev corpus file (one article a line, :mod:`.realnews_gold`), then ``half`` ("A"/"B")
    keeps one fixed half of its stories."""
    if kind not in KINDS:
        raise ValueError(f"unknown evaluation {kind!r}; use one of {', '.join(KINDS)}")
    from .realnews_gold import figure_value_recall, gold_lines, is_realnews

    realnews = is_realnews(gold_path)
    if half is not None and not realnews:
        raise GoldFileError(f"{gold_path}: --half needs a realnews-dev corpus file (one article a line with "
                            "\"id\" and \"story\"); this is a gold file of one fact a line")
    lines = gold_lines(gold_path, kind, half) if realnews else list(read_gold(gold_path))
    gold = resolve(lines, key_map(store), ("key",), gold_path)
    keys = {g["key"] for g in gold}
    if kind == "stories":
        pred = {r["article"]: r["story"] for r in store.execute("SELECT article, story FROM story_members")}
        return {"bcubed": bcubed(pred, {g["key"]: g["story"] for g in gold})}
    if kind == "events":
        from ..store.extracted import load_events
        from .events import evaluate_events

        res = evaluate_events([e for e in load_events(store, sorted(keys))], gold)
        return {k: res[k] for k in ("precision", "recall", "f1", "tp", "fp", "fn")}
    from ..store.extracted import rows
    from .extract import claimant_accuracy, evaluate_figures, evaluate_quotes

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
        return f"stories B-cubed: precision {b['precision']:.3f} recall {b['recall']:.3f} F1 {b['f1']:.3f} ({b['items']} articles)"
    extra = f" claimant accuracy {res['claimant_accuracy']:.3f}" if "claimant_accuracy" in res else ""
    if "value_recall" in res:   # realnews-dev's score.py figure line: the value right, whatever the wording
        extra += f"; value right {res['value_recall']:.3f} ({res['value_hits']}/{res['gold']})"
    return (f"{kind}: precision {res['precision']:.3f} recall {res['recall']:.3f} F1 {res['f1']:.3f} "
            f"(tp {res['tp']}, fp {res['fp']}, fn {res['fn']}){extra}")
