"""Precision, recall and F1: the one implementation every evaluation uses."""
from __future__ import annotations


def f1(precision: float, recall: float) -> float:
    """The harmonic mean of precision and recall; 0.0 when both are 0."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def prf(tp: int, n_pred: int, n_gold: int, *, empty: float = 0.0) -> tuple[float, float, float]:
    """(precision, recall, F1) of ``tp`` right predictions among ``n_pred`` against ``n_gold`` gold
    items; a ratio with nothing to divide by is ``empty`` (0.0; 1.0 where nothing predicted and
    nothing to find counts as perfect)."""
    p = tp / n_pred if n_pred else empty
    r = tp / n_gold if n_gold else empty
    return p, r, f1(p, r)


def f1_counts(tp: int, fp: int, fn: int) -> float:
    """F1 straight from the counts (2·TP / (2·TP + FP + FN)), 0.0 without a true positive; equal to
    :func:`f1` of the ratios up to rounding, and kept as it is where a grid search compares F1s."""
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0
