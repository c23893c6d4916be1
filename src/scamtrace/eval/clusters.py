"""B-cubed precision, recall and F1 for clusterings (stories, families)."""
from __future__ import annotations

from collections.abc import Mapping

from ..errors import GoldFileError
from .scores import f1


def bcubed(pred: Mapping[str, str], gold: Mapping[str, str]) -> dict[str, float]:
    """B-cubed scores over the items in ``gold``; ``pred`` and ``gold`` map item -> cluster label.

    Items missing from ``pred`` count as singletons.
    """
    if not gold:
        raise GoldFileError("gold is empty: nothing to evaluate")
    items = list(gold)
    p_members: dict[str, set[str]] = {}
    g_members: dict[str, set[str]] = {}
    for i in items:
        p_members.setdefault(pred.get(i, "__single__" + i), set()).add(i)
        g_members.setdefault(gold[i], set()).add(i)
    prec = rec = 0.0
    for i in items:
        pc = p_members[pred.get(i, "__single__" + i)]
        gc = g_members[gold[i]]
        inter = len(pc & gc)
        prec += inter / len(pc)
        rec += inter / len(gc)
    prec /= len(items)
    rec /= len(items)
    return {"precision": prec, "recall": rec, "f1": f1(prec, rec), "items": len(items)}
