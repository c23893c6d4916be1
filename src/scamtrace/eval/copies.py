"""Evaluate copy detection: links against a gold JSONL, and the Clough-Stevenson reuse corpus.

* :func:`evaluate_copies`: per-relation precision/recall/F1 (+ macro) of predicted links against
  gold lines ``{"key", "family", "relation", "source", "origin_credit"?}`` (keys already resolved
  to article ids by the caller), family B-cubed, origin and origin-credit accuracy.
* :func:`evaluate_clough_stevenson`: 4-class accuracy / macro-F1 / confusion on the short-answer
  corpus, mapping cut~verbatim, light~spun, heavy~rewrite, non~independent with
  :func:`cs_label` (a cascade over alignment features, thresholds below; ``mode="loo"`` re-tunes
  them by grid search on the other 94 answers for each held-out answer).
"""
from __future__ import annotations

import csv
import itertools
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from rapidfuzz.distance import LCSseq

from ..errors import GoldFileError
from ..model import RELATIONS, Family, Link
from .clusters import bcubed

CS_ALGORITHM = "eval.clough-stevenson-v1"
CS_CLASSES = ("cut", "light", "heavy", "non")
CS_TO_RELATION = {"cut": "verbatim", "light": "spun", "heavy": "rewrite", "non": "independent"}


# --------------------------------------------------------------------------- gold links

def _parse_gold(gold_lines: Iterable[str | Mapping[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for n, line in enumerate(gold_lines, 1):
        if isinstance(line, str):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise GoldFileError(f"gold line {n}: not JSON ({e.msg}); one object per line") from None
        else:
            row = dict(line)
        if not isinstance(row, dict) or "key" not in row or "family" not in row:
            raise GoldFileError(f"gold line {n}: needs at least 'key' and 'family'")
        rel = row.get("relation")
        if rel is not None and rel not in RELATIONS:
            raise GoldFileError(f"gold line {n}: relation {rel!r} is not one of {RELATIONS} or null")
        rows.append(row)
    if not rows:
        raise GoldFileError("gold is empty: nothing to evaluate")
    return rows


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp,
            "predicted": n_pred, "gold": n_gold}


def evaluate_copies(predicted_links: Sequence[Link], gold_lines: Iterable[str | Mapping[str, Any]],
                    families: Sequence[Family] | None = None) -> dict[str, Any]:
    """Scores of ``predicted_links`` (and ``families`` if given) against the gold lines.

    A predicted link is correct for its relation when the gold has the same article, relation and
    source (a gold ``source`` of null matches a sibling link, whose source is None). Articles not
    named in the gold are ignored. Macro-F1 averages the relations present in gold or predictions.
    """
    gold = _parse_gold(gold_lines)
    keys = {r["key"] for r in gold}
    gold_links = {(r["key"], r.get("source"), r["relation"]) for r in gold if r.get("relation")}
    pred = {(l.article, l.source, l.relation) for l in predicted_links if l.article in keys}
    per: dict[str, Any] = {}
    for rel in RELATIONS:
        g = {x for x in gold_links if x[2] == rel}
        p = {x for x in pred if x[2] == rel}
        if g or p:
            per[rel] = _prf(len(g & p), len(p), len(g))
    macro = round(sum(v["f1"] for v in per.values()) / len(per), 4) if per else 0.0
    undirected_gold = {frozenset((a, s)) for a, s, _ in gold_links if s is not None}
    undirected_pred = {frozenset((a, s)) for a, s, _ in pred if s is not None}
    out: dict[str, Any] = {"relations": per, "macro_f1": macro,
                           "pairs": _prf(len(undirected_gold & undirected_pred), len(undirected_pred), len(undirected_gold))}
    if families is not None:
        out.update(_family_scores(gold, families))
    return out


def _family_scores(gold: list[dict[str, Any]], families: Sequence[Family]) -> dict[str, Any]:
    gold_fam = {r["key"]: r["family"] for r in gold}
    pred_fam = {m: f.id for f in families for m in f.members}
    fam_by_id = {f.id: f for f in families}
    members: dict[str, set[str]] = defaultdict(set)
    copiers: set[str] = set()
    credit: dict[str, str | None] = {}
    for r in gold:
        members[r["family"]].add(r["key"])
        if r.get("relation") and r["relation"] != "excerpt":
            copiers.add(r["key"])
        credit.setdefault(r["family"], r.get("origin_credit"))
    origin_ok = credit_ok = n = 0
    for fam, ms in members.items():
        if len(ms) < 2:
            continue
        n += 1
        origins = sorted(ms - copiers)
        gold_origin = origins[0] if origins else None
        anchor = gold_origin or sorted(ms)[0]
        pf = fam_by_id.get(pred_fam.get(anchor, ""))
        origin_ok += pf is not None and pf.origin == gold_origin
        credit_ok += pf is not None and (pf.origin_credit or None) == (credit[fam] or None)
    return {"families_bcubed": {k: round(v, 4) if isinstance(v, float) else v for k, v in bcubed(pred_fam, gold_fam).items()},
            "origin_accuracy": round(origin_ok / n, 4) if n else None,
            "origin_credit_accuracy": round(credit_ok / n, 4) if n else None,
            "multi_member_families": n}


# --------------------------------------------------------------------------- Clough-Stevenson

@dataclass(frozen=True, slots=True)
class CSThresholds:
    """Cascade: non if ``c3 < non_c3``; cut if mean run >= ``cut_run`` and ``c5 >= cut_c5``;
    light if word LCS >= ``light_lcs``; else heavy."""

    non_c3: float = 0.18     # share of the answer in shared 3-word passages
    cut_run: float = 20.0    # mean length (words) of the shared 5-word-seeded passages
    cut_c5: float = 0.30     # share of the answer in shared 5-word-seeded passages
    light_lcs: float = 0.675 # word LCS length / answer words

    def __post_init__(self) -> None:
        for name in ("non_c3", "cut_c5", "light_lcs"):
            v = getattr(self, name)
            if not 0.0 <= v <= 1.0:
                raise ValueError(f"CSThresholds.{name} must be in [0, 1], got {v}")
        if self.cut_run < 0:
            raise ValueError(f"CSThresholds.cut_run must be >= 0 words, got {self.cut_run}")


# Tuned on all 95 Clough-Stevenson answers by grid search for macro-F1 (see evaluate_clough_stevenson,
# mode="loo" for the honest held-out figure).
CS_THRESHOLDS = CSThresholds()


def cs_features(source: str, answer: str) -> dict[str, float]:
    """Features of one answer against its source: c3, c5 (passage containment of the answer with
    3- and 5-word seeds), run (mean passage length in words), lcs (word LCS / answer words)."""
    from ..copies.align import align_passages
    from ..copies.tokens import words

    p5 = align_passages(source, answer)
    p3 = align_passages(source, answer, seed_words=3)
    aw, bw = words(source), words(answer)
    run = (p5.coverage_b * p5.words_b / len(p5.spans)) if p5.spans else 0.0
    lcs = LCSseq.similarity(aw, bw) / len(bw) if bw else 0.0
    return {"c3": p3.coverage_b, "c5": p5.coverage_b, "run": run, "lcs": lcs}


def cs_label(f: Mapping[str, float], t: CSThresholds = CS_THRESHOLDS) -> str:
    """Clough-Stevenson class of an answer from :func:`cs_features`."""
    if f["c3"] < t.non_c3:
        return "non"
    if f["run"] >= t.cut_run and f["c5"] >= t.cut_c5:
        return "cut"
    if f["lcs"] >= t.light_lcs:
        return "light"
    return "heavy"


def _macro(gold: Sequence[str], pred: Sequence[str]) -> tuple[float, dict[str, float]]:
    f1s = {}
    for c in CS_CLASSES:
        tp = sum(g == p == c for g, p in zip(gold, pred))
        fp = sum(p == c and g != c for g, p in zip(gold, pred))
        fn = sum(g == c and p != c for g, p in zip(gold, pred))
        f1s[c] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return sum(f1s.values()) / len(f1s), f1s


def _grid() -> list[CSThresholds]:
    return [CSThresholds(a / 100, float(b), c / 100, d / 1000)
            for a, b, c, d in itertools.product(range(10, 40, 2), (10, 12, 15, 18, 20, 25, 30),
                                                range(30, 90, 10), range(300, 950, 25))]


def _loo_predict(feats: list[dict[str, float]], gold: list[str]) -> list[str]:
    """Leave-one-out: for each answer, the grid thresholds best on the others (macro-F1) label it."""
    import numpy as np

    grid = _grid()
    table = np.array([[CS_CLASSES.index(cs_label(f, t)) for f in feats] for t in grid])   # G x N
    y = np.array([CS_CLASSES.index(g) for g in gold])
    pred = []
    for i in range(len(gold)):
        keep = np.arange(len(gold)) != i
        tab, yk = table[:, keep], y[keep]
        f1 = np.zeros(len(grid))
        for c in range(len(CS_CLASSES)):
            tp = ((tab == c) & (yk == c)).sum(1)
            fp = ((tab == c) & (yk != c)).sum(1)
            fn = ((tab != c) & (yk == c)).sum(1)
            f1 += np.where(tp > 0, 2 * tp / np.maximum(1, 2 * tp + fp + fn), 0.0)
        pred.append(CS_CLASSES[int(table[int(np.argmax(f1)), i])])
    return pred


def load_clough_stevenson(bench_dir: str | Path) -> list[tuple[str, str, str, str]]:
    """(file, class, source text, answer text) for every answer in the corpus folder."""
    d = Path(bench_dir)
    info = d / "file_information.csv"
    if not info.is_file():
        raise FileNotFoundError(f"{info} not found; pass the clough-stevenson folder (with file_information.csv)")
    rows = list(csv.DictReader(info.open(encoding="utf-8")))
    read = lambda name: (d / name).read_text(encoding="utf-8", errors="replace")  # noqa: E731
    origs = {r["Task"]: read(r["File"]) for r in rows if r["Category"] == "orig"}
    return [(r["File"], r["Category"], origs[r["Task"]], read(r["File"])) for r in rows if r["Category"] != "orig"]


def evaluate_clough_stevenson(bench_dir: str | Path, *, mode: str = "fixed",
                              thresholds: CSThresholds = CS_THRESHOLDS) -> dict[str, Any]:
    """Accuracy, macro-F1 and confusion (gold row -> predicted column) on Clough-Stevenson.

    ``mode="fixed"`` applies ``thresholds``; ``mode="loo"`` tunes them by grid search on the
    other answers for each held-out answer (leave-one-out: the honest figure).
    """
    if mode not in ("fixed", "loo"):
        raise ValueError(f"mode must be 'fixed' or 'loo', got {mode!r}")
    data = load_clough_stevenson(bench_dir)
    feats = [cs_features(src, ans) for _, _, src, ans in data]
    gold = [c for _, c, _, _ in data]
    if mode == "fixed":
        pred = [cs_label(f, thresholds) for f in feats]
    else:
        pred = _loo_predict(feats, gold)
    macro, per = _macro(gold, pred)
    confusion = {g: dict(Counter(p for gg, p in zip(gold, pred) if gg == g)) for g in CS_CLASSES}
    return {"algorithm": CS_ALGORITHM, "mode": mode, "answers": len(gold),
            "accuracy": round(sum(g == p for g, p in zip(gold, pred)) / len(gold), 4),
            "macro_f1": round(macro, 4), "f1": {c: round(v, 4) for c, v in per.items()},
            "confusion": confusion, "mapping": CS_TO_RELATION,
            "copy_vs_non_accuracy": round(sum((g == "non") == (p == "non") for g, p in zip(gold, pred)) / len(gold), 4)}


# --------------------------------------------------------------------------- labelled pairs

def evaluate_pairs(articles: Mapping[str, Any], gold: Iterable[tuple[str, str, str]],
                   negatives: Iterable[tuple[str, str]] = ()) -> dict[str, Any]:
    """Pair-level scores of :func:`scamtrace.copies.classify_pair` on labelled pairs.

    ``gold``: (copy id, source id, relation) triples, e.g. ``SynthCorpus.gold``; ``negatives``: pairs
    that are not copies (e.g. ``SynthCorpus.same_story``). Returns relation accuracy, per-relation
    confusion, direction accuracy (copy and source both right) and the false-positive rate on
    negatives.
    """
    from ..copies.classify import classify_pair

    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    right = direction = n = 0
    for copy, source, relation in gold:
        link = classify_pair(articles[source], articles[copy])
        got = link.relation if link else "none"
        confusion[relation][got] += 1
        n += 1
        right += got == relation
        direction += bool(link and link.article == copy and link.source == source)
    neg = fp = 0
    for x, y in negatives:
        link = classify_pair(articles[y], articles[x])
        neg += 1
        fp += link is not None
        confusion["none"][link.relation if link else "none"] += 1
    if n == 0:
        raise ValueError("evaluate_pairs: no gold pairs given")
    return {"pairs": n, "relation_accuracy": round(right / n, 4), "direction_accuracy": round(direction / n, 4),
            "negatives": neg, "false_positive_rate": round(fp / neg, 4) if neg else None,
            "confusion": {k: dict(v) for k, v in confusion.items()}}
