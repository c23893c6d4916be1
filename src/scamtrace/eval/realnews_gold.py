"""Figure and story gold lines from the ``realnews-dev`` corpus format (``../shared/datasets/realnews-dev``).

That corpus is one JSON object per article (``id``, ``story``, ``figures`` as ``{value, what, date}``,
...) rather than one gold line per fact. :func:`is_realnews` tells the two formats apart;
:func:`gold_lines` turns a corpus file into the gold lines the store evaluation reads (``key`` is
the article id). ``half`` keeps one of the two fixed halves, split by story with the hash that the
corpus's own ``score.py`` uses (:func:`half_of`): tune on one, report both.

:func:`figure_value_recall` is ``score.py``'s figure line: the share of gold figures whose value
(within 0.5 %) is among the article's figures, whatever their ``what`` and date.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..errors import GoldFileError
from .keys import jsonl_objects
from .realnews import HALVES, half_of

__all__ = ["HALVES", "half_of", "is_realnews", "read_records", "gold_lines", "figure_value_recall"]
#: score.py's tolerance on a figure's value (relative, with 1.0 as the smallest scale).
VALUE_TOLERANCE = 0.005


def is_realnews(path: Path) -> bool:
    """True when the first record of ``path`` is a realnews-dev article (``id`` and ``story``, no ``key``)."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError:
                    return False
                return isinstance(obj, dict) and "key" not in obj and "id" in obj and "story" in obj
    return False


def read_records(path: Path, half: str | None = None) -> list[dict[str, Any]]:
    """The articles of a realnews-dev file, only those of ``half`` when given."""
    if half is not None and half not in HALVES:
        raise GoldFileError(f"--half must be A or B, got {half!r}")
    out = []
    for n, obj in jsonl_objects(path):
        if not isinstance(obj, dict) or not isinstance(obj.get("id"), str) or not isinstance(obj.get("story"), str):
            raise GoldFileError(f"{path}:{n}: a realnews-dev record needs an \"id\" and a \"story\"")
        if half is None or half_of(obj["story"]) == half:
            out.append(obj)
    return out


def gold_lines(path: Path, kind: str, half: str | None = None) -> list[dict[str, Any]]:
    """Gold lines of ``kind`` ("figures" or "stories") from a realnews-dev file."""
    recs = read_records(path, half)
    if kind == "stories":
        return [{"key": r["id"], "story": r["story"]} for r in recs]
    if kind == "figures":
        out = []
        for r in recs:
            for g in r.get("figures") or []:
                out.append({"key": r["id"], "value": g.get("value"), "what": g.get("what"), "date": g.get("date")})
        return out
    raise GoldFileError(f"{path}: a realnews-dev file has gold stories and figures only, not {kind}")


def figure_value_recall(pred: Iterable[Mapping[str, Any]], gold: Iterable[Mapping[str, Any]]) -> tuple[int, int]:
    """(hits, gold figures): a gold figure is hit when its article has a figure of the same value (score.py)."""
    values: dict[str, list[float]] = {}
    for p in pred:
        try:
            values.setdefault(str(p["key"]), []).append(float(p["value"]))
        except (KeyError, TypeError, ValueError):
            continue
    hits = total = 0
    for g in gold:
        total += 1
        try:
            w = float(g["value"])
        except (KeyError, TypeError, ValueError):
            continue
        if any(abs(v - w) <= VALUE_TOLERANCE * max(1.0, abs(w)) for v in values.get(str(g["key"]), ())):
            hits += 1
    return hits, total
