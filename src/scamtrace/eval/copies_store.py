"""Evaluate the copy links and families held in a store against a gold JSONL file."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..store import Store
from .copies import evaluate_copies
from .keys import key_map, read_gold, resolve


@dataclass
class CopiesEvaluation:
    scores: dict[str, Any]

    def report(self) -> str:
        s = self.scores
        lines = [f"{'relation':<10} {'precision':>9} {'recall':>7} {'f1':>6} {'gold':>5} {'pred':>5}"]
        for rel, v in s["relations"].items():
            lines.append(f"{rel:<10} {v['precision']:>9.3f} {v['recall']:>7.3f} {v['f1']:>6.3f} "
                         f"{v.get('gold', ''):>5} {v.get('predicted', ''):>5}")
        lines.append(f"macro-F1 {s['macro_f1']:.3f}")
        p = s["pairs"]
        lines.append(f"copy pairs (undirected): P {p['precision']:.3f} R {p['recall']:.3f} F1 {p['f1']:.3f}")
        for k in ("families_bcubed_f1", "origin_accuracy", "origin_credit_accuracy"):
            if k in s:
                lines.append(f"{k.replace('_', ' ')}: {s[k]:.3f}" if isinstance(s[k], float) else f"{k}: {s[k]}")
        return "\n".join(lines)


def evaluate_store_copies(store: Store, gold: Path) -> CopiesEvaluation:
    lines = resolve(list(read_gold(gold)), key_map(store), ("key", "source"), gold)
    return CopiesEvaluation(evaluate_copies(store.links(), lines, store.families()))
