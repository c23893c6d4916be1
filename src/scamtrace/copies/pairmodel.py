"""A learned fallback for the copy relation: ``copies.pairmodel-v1`` (logistic regression, numpy only).

The hand rules of :mod:`.classify` were read off realnews-dev half A and miss many rewrites of the other
half (content-farm paraphrases, summaries, translations). This model scores the pairs the rules call
*unrelated* from the pair features they already computed (fact alignment, numbers, quotations, spin
coverage, passages, sentence alignment, language-independent anchors, length ratio, section headings)
and adds a ``rewrite`` link when the score reaches the model's threshold. It never changes a link the
rules make, and a pair whose only shared wording is a quotation both texts carry is never scored.

Explainable: the link's evidence (``features["pair_model"]``) holds the model name and version, the
score, the threshold, and each feature's value and contribution to the logit (weight x standardised
value), largest first.

The weights are a versioned data file, ``scamtrace/data/pairmodel-v1.json``, rebuilt deterministically
by ``scripts/train_pairmodel.py`` from ``../shared`` (realnews-dev, ECB+, Clough-Stevenson: the file
names its training sets and the threshold rule).

**Off by default.** ``SCAMTRACE_PAIRMODEL=on`` turns the fallback on with the packaged weights, and
``SCAMTRACE_PAIRMODEL=FILE`` with another weights file (the cross-validation folds of the training script). Its
cross-validated gain on realnews-dev (docs/measurements.md) is two pairs on one half and none on the other, and
turned on it moves two real-news floors down (links across stories, whole-set relation), so it ships switched off.
The embedded engine and the Spark job call the same ``classify`` code and read the same variable.
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

PAIRMODEL_ALGORITHM = "copies.pairmodel-v1"
PAIRMODEL_FILE = "pairmodel-v1.json"
PAIRMODEL_ENV = "SCAMTRACE_PAIRMODEL"

#: The model's inputs, in order (all in [0, 1]; see :func:`scamtrace.copies.classify.model_inputs`).
FEATURES: tuple[str, ...] = (
    "fact_ratio",        # key facts aligned in order / the smaller key-fact set
    "facts_aligned",     # key facts aligned in order, min(n, 12) / 12
    "fact_order",        # aligned / shared distinct key facts
    "number_overlap",    # Jaccard of 2+-digit numbers
    "quote_overlap",     # share of the quotations of one text found in the other
    "spun_coverage",     # spin-tolerant alignment, the better-covered side
    "passage_coverage",  # unquoted exact passages / the shorter text
    "jaccard",           # 5-word shingles
    "stopword_ngrams",   # stopword-skeleton 8-grams
    "sent_coverage",     # sentence alignment (sentalign): ordered chain words / the shorter text
    "sent_in_order",     # ... chain sentences, min(n, 8) / 8
    "sent_order",        # ... chain words / aligned words
    "anchor_share",      # shared anchors (numbers, proper names, accents folded) / the smaller set
    "anchor_order",      # occurrences of shared anchors in the same order (LCS) / the fewer occurrences
    "term_containment",  # content terms (lower-case word stems, sentalign) of the smaller set found in the other
    "term_pairs",        # ... pairs of consecutive content terms
    "length_ratio",      # shorter / longer, in words
    "headings",          # one text has section headings, the other none
    "other_language",    # the two texts are in different detected languages
)


@dataclass(frozen=True, slots=True)
class PairModel:
    """Weights of a standardised logistic regression and its decision threshold."""

    name: str
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float
    meta: Mapping[str, Any]

    def score(self, values: Mapping[str, float]) -> tuple[float, dict[str, float]]:
        """(probability, contribution of each feature to the logit) for feature ``values``."""
        contrib = {f: w * (float(values[f]) - m) / s
                   for f, m, s, w in zip(self.features, self.mean, self.scale, self.weights)}
        z = self.bias + sum(contrib.values())
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z)))), contrib

    def evidence(self, values: Mapping[str, float]) -> dict[str, Any]:
        p, contrib = self.score(values)
        order = sorted(self.features, key=lambda f: -abs(contrib[f]))
        return {"algorithm": self.name, "score": round(p, 4), "threshold": self.threshold,
                "link": p >= self.threshold, "bias": round(self.bias, 4),
                "contributions": {f: {"value": round(float(values[f]), 4), "contribution": round(contrib[f], 4)}
                                  for f in order}}

    def to_dict(self) -> dict[str, Any]:
        return {"algorithm": self.name, "features": list(self.features), "mean": list(self.mean),
                "scale": list(self.scale), "weights": list(self.weights), "bias": self.bias,
                "threshold": self.threshold, "meta": dict(self.meta)}


def parse_model(data: Mapping[str, Any], where: str) -> PairModel:
    """A :class:`PairModel` from its JSON form; a malformed file is a clear error naming ``where``."""
    try:
        name = str(data["algorithm"])
        feats = tuple(str(f) for f in data["features"])
        cols = [tuple(float(v) for v in data[k]) for k in ("mean", "scale", "weights")]
        bias, threshold = float(data["bias"]), float(data["threshold"])
    except (KeyError, TypeError, ValueError) as e:
        raise ValueError(f"{where}: not a pair-model file ({e}); rebuild it with scripts/train_pairmodel.py") from None
    if not name.startswith("copies.pairmodel-v"):
        raise ValueError(f"{where}: algorithm {name!r} is not a copies.pairmodel version")
    if feats != FEATURES or any(len(c) != len(feats) for c in cols) or any(s <= 0 for s in cols[1]):
        raise ValueError(f"{where}: features do not match {PAIRMODEL_ALGORITHM}'s; rebuild it with scripts/train_pairmodel.py")
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"{where}: threshold {threshold} is not in (0, 1]")
    return PairModel(name, feats, cols[0], cols[1], cols[2], bias, threshold, dict(data.get("meta") or {}))


def enabled() -> bool:
    """Is the fallback on? Off unless ``$SCAMTRACE_PAIRMODEL`` is set (``on``: the packaged model; else a weights
    file). Off by default: its cross-validated gain on realnews-dev is too small for the real-news floors it moves
    (docs/measurements.md); the switch lets it be measured and the coordinator turn it on."""
    return bool(os.environ.get(PAIRMODEL_ENV))


@lru_cache(maxsize=4)
def _load(path: str | None) -> PairModel:
    if path:
        p = Path(path)
        if not p.is_file():
            raise ValueError(f"{PAIRMODEL_ENV}={path}: no such file; unset it to use the packaged model")
        return parse_model(json.loads(p.read_text(encoding="utf-8")), str(p))
    res = resources.files("scamtrace").joinpath("data", PAIRMODEL_FILE)
    return parse_model(json.loads(res.read_text(encoding="utf-8")), f"scamtrace/data/{PAIRMODEL_FILE}")


def load_model() -> PairModel:
    """The packaged model, or the one ``$SCAMTRACE_PAIRMODEL`` names (loaded once per path; ``on``: packaged)."""
    path = os.environ.get(PAIRMODEL_ENV) or None
    return _load(None if path == "on" else path)
