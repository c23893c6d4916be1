"""Training and cross-validation of the pair model (``copies.pairmodel-v1``, :mod:`scamtrace.copies.pairmodel`).

Labelled pairs (all real text, read from ``../shared``; nothing copied into the repository):

* **realnews-dev**: every gold pair (``derived_from``) is a positive; every other pair of two texts of one
  story is a hard negative (independent reports quoting one statement: the README's labelling rule), and
  pairs across stories that the candidate index proposes are easy negatives.
* **ECB+**: every pair of two articles of the two look-alike events of one topic (``T1_ecb`` x ``T1_ecbplus``)
  is a negative (different events: any copy link between them is false).
* **Clough-Stevenson**: heavy / light / cut answers vs their Wikipedia source are positives, ``non`` answers
  negatives.

Fit: logistic regression on standardised inputs, L2 penalty :data:`L2`, the positives and the negatives
weighted to equal totals, Newton's method from zero (deterministic). Threshold rule (:func:`choose_threshold`):
the smallest value on a :data:`THRESHOLD_STEP` grid strictly above the score of every training negative the
rules do not already link (the model only ever sees those), so no training negative becomes a link.

Cross-validation: realnews-dev's fixed story halves (``score.py``'s ``half_of``); the model for half B is
trained on half A (plus ECB+ and Clough-Stevenson) and scored on half B, and the other way round.
"""
from __future__ import annotations

import itertools
import json
import math
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from ..copies.classify import MODEL_MAX_PASSAGE_COVERAGE, _shape, model_inputs, relate_rules
from ..copies.families import _UnionFind
from ..copies.features import Pair, Prepared, prepare
from ..copies.pairmodel import FEATURES, PAIRMODEL_ALGORITHM, PairModel
from ..model import Article
from .realnews import half_of, input_record

L2 = 10.0                # penalty on the standardised weights (sample weights sum to 2); README: 0.1, 1 and 10 compared on the CV folds
NEWTON_STEPS = 50
THRESHOLD_STEP = 0.01
MIN_THRESHOLD = 0.5      # the model links only pairs it calls more likely copies than not
ECB_PAIRS_PER_TOPIC = 0  # 0: all cross-event pairs of a topic


@dataclass(slots=True)
class Row:
    """One labelled pair: where it comes from, its label, the rules' relation and the model inputs."""

    source: str            # "realnews" | "ecbplus" | "cs"
    group: str             # realnews-dev half ("A"/"B"), else the corpus name
    a: str
    b: str
    label: int             # 1 copy, 0 not
    kind: str              # gold relation, "same-story", "cross-story", "cross-event", CS class
    rules: str | None      # the hand rules' relation (None: unrelated)
    quotation_only: bool   # the only shared wording is a quotation both carry (never scored)
    x: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "group": self.group, "a": self.a, "b": self.b, "label": self.label,
                "kind": self.kind, "rules": self.rules, "quotation_only": self.quotation_only,
                "x": {k: round(v, 6) for k, v in self.x.items()}}


def pair_row(pa: Prepared, pb: Prepared, *, source: str, group: str, label: int, kind: str) -> Row:
    """Run the rules on a pair (read from the smaller id, as classify_pair) and read the model inputs."""
    if pb.article.id < pa.article.id:
        pa, pb = pb, pa
    pair = Pair(pa, pb)
    verdict, feats, sh = relate_rules(pair)
    if sh is None:
        sh = _shape(pair, feats) if pair.passages.words_a and pair.passages.words_b else None
    x = model_inputs(pair, feats, sh) if sh is not None else {f: 0.0 for f in FEATURES}
    x = {k: round(v, 6) for k, v in x.items()}     # as the --rows cache stores them: both give the same model
    qonly = bool(sh is not None and sh.quoted and not sh.own)
    return Row(source, group, pa.article.id, pb.article.id, label, kind,
               verdict.relation if verdict is not None else None, qonly, x)


# --------------------------------------------------------------------------- data sets

def _ingest(path: Path, records: Iterable[dict[str, Any]]) -> dict[str, Article]:
    """Articles as ``scamtrace ingest`` stores them (cleaning, detected language), via a temporary store."""
    from ..pipeline import ingest
    from ..store import Store
    with tempfile.TemporaryDirectory(prefix="pairmodel-") as tmp:
        src = Path(tmp) / "input.jsonl"
        with src.open("w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(r) + "\n")
        store = Store(Path(tmp) / "train.db")
        try:
            ingest(store, [str(src)])
            return {a.id: a for a in store.iter_articles()}
        finally:
            store.close()


def realnews_rows(shared: Path, candidates: bool = True) -> list[Row]:
    """Gold pairs, same-story pairs and candidate cross-story pairs of realnews-dev."""
    recs = [json.loads(line) for line in (shared / "datasets/realnews-dev/articles.jsonl").open(encoding="utf-8")
            if line.strip()]
    arts = _ingest(shared, (input_record(r) for r in recs))
    story = {r["id"]: r["story"] for r in recs if r["id"] in arts}
    gold = {frozenset((r["id"], r["derived_from"])): r["relation"] for r in recs
            if r.get("derived_from") in story and r["id"] in story}
    family = gold_families(story, gold)
    pairs: set[tuple[str, str]] = set()
    ids = sorted(story)
    for x, y in itertools.combinations(ids, 2):
        if story[x] == story[y] or frozenset((x, y)) in gold:
            pairs.add((x, y))
    if candidates:
        pairs |= candidate_pairs(list(arts.values()))
    # two copies of one original (one gold family, no direct gold link) are neither: a link between them is
    # right at the family level (score.py counts a pair in one family as found) but names no labelled arrow
    pairs = {(x, y) for x, y in pairs if frozenset((x, y)) in gold or family[x] != family[y]}
    prep = {i: prepare(arts[i]) for i in ids}
    rows = []
    for x, y in sorted(pairs):
        rel = gold.get(frozenset((x, y)))
        kind = rel or ("same-story" if story[x] == story[y] else "cross-story")
        rows.append(pair_row(prep[x], prep[y], source="realnews", group=half_of(story[x]), label=int(rel is not None),
                             kind=kind))
    return rows


def gold_families(ids: Iterable[str], gold: Iterable[frozenset[str]]) -> dict[str, str]:
    """The gold family (connected component of gold links) of every id, named by its smallest member."""
    uf = _UnionFind(ids)
    for link in gold:
        uf.union(*sorted(link))
    return {i: uf.find(i) for i in uf.parent}


def candidate_pairs(articles: Sequence[Article]) -> set[tuple[str, str]]:
    """The candidate pairs the embedded engine compares (candidate index and cross-language channel)."""
    from ..copies.crosslang import crosslang_pairs
    from ..copies.index import CandidateIndex
    idx = CandidateIndex()
    idx.add_many((a.id, a.text) for a in sorted(articles, key=lambda a: a.id))
    return ({(min(a, b), max(a, b)) for a, b, _n, _e in idx.candidate_pairs()}
            | crosslang_pairs((a.id, a.outlet, a.language) for a in articles))


def ecbplus_rows(shared: Path) -> list[Row]:
    """Every pair across the two events of one ECB+ topic (negatives)."""
    d = shared / "datasets/ecbplus"
    recs = [json.loads(line) for line in (d / "articles.jsonl").open(encoding="utf-8") if line.strip()]
    gold = {g["id"]: g for g in (json.loads(line) for line in (d / "gold.jsonl").open(encoding="utf-8") if line.strip())}
    arts = _ingest(d, recs)
    prep = {i: prepare(a) for i, a in sorted(arts.items())}
    by_topic: dict[int, dict[str, list[str]]] = {}
    for i in sorted(prep):
        g = gold[i]
        by_topic.setdefault(int(g["topic"]), {}).setdefault(g["subtopic"], []).append(i)
    rows = []
    for topic in sorted(by_topic):
        subs = by_topic[topic]
        for x in subs.get("ecb", []):
            for y in subs.get("ecbplus", []):
                rows.append(pair_row(prep[x], prep[y], source="ecbplus", group="ecbplus", label=0, kind="cross-event"))
    return rows


def cs_rows(shared: Path) -> list[Row]:
    """Clough-Stevenson answers vs their source: heavy / light / cut positives, non negatives."""
    from .copies import load_clough_stevenson
    rows = []
    srcs: dict[str, Prepared] = {}
    for name, cls, src, ans in load_clough_stevenson(shared / "benchmarks/clough-stevenson"):
        task = name.rsplit("_", 1)[-1].split(".")[0]
        if task not in srcs:
            srcs[task] = prepare(Article(id=f"orig_{task}", source="cs", text=src))
        ps = srcs[task]
        pa = prepare(Article(id=name, source="cs", text=ans))
        rows.append(pair_row(ps, pa, source="cs", group="cs", label=int(cls != "non"), kind=cls))
    return rows


def build_rows(shared: Path) -> list[Row]:
    return realnews_rows(shared) + ecbplus_rows(shared) + cs_rows(shared)


# --------------------------------------------------------------------------- fitting

def fit(rows: Sequence[Row], *, l2: float = L2, by_group: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(mean, scale, weights, bias) of a class-balanced L2 logistic regression (Newton's method from zero)."""
    X = np.array([[r.x[f] for f in FEATURES] for r in rows], dtype=float)
    y = np.array([r.label for r in rows], dtype=float)
    if y.min() == y.max():
        raise ValueError("pair model: the training rows need both positives and negatives")
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale < 1e-9] = 1.0
    Z = np.hstack([(X - mean) / scale, np.ones((len(X), 1))])
    # every (corpus, label) group weighs the same in total: the few hard realnews-dev negatives count as much as
    # the thousands of ECB+ pairs, and the positives as much as the negatives
    groups = [(r.source if by_group else "", r.label) for r in rows]
    size = {g: groups.count(g) for g in set(groups)}
    n_pos = len({g for g in size if g[1] == 1})
    n_neg = len(size) - n_pos
    sw = np.array([1.0 / (size[g] * (n_pos if g[1] == 1 else n_neg)) for g in groups])
    reg = np.full(Z.shape[1], l2 / len(FEATURES))
    reg[-1] = 0.0
    beta = np.zeros(Z.shape[1])
    for _ in range(NEWTON_STEPS):
        p = 1.0 / (1.0 + np.exp(-np.clip(Z @ beta, -60, 60)))
        grad = Z.T @ (sw * (p - y)) + reg * beta
        hess = (Z * (sw * p * (1 - p))[:, None]).T @ Z + np.diag(reg) + 1e-9 * np.eye(Z.shape[1])
        step = np.linalg.solve(hess, grad)
        beta -= step
        if float(np.abs(step).max()) < 1e-10:
            break
    return mean, scale, beta[:-1], float(beta[-1])


def scorable(r: Row) -> bool:
    """Would the classifier ask the model about this pair (rules found nothing, not quotation-only, mostly reworded)?"""
    return r.rules is None and not r.quotation_only and r.x["passage_coverage"] < MODEL_MAX_PASSAGE_COVERAGE


def choose_threshold(model: PairModel, rows: Sequence[Row]) -> float:
    """The smallest grid value above the score of every training negative the model could link (not linked by
    the rules, not quotation-only), and at least :data:`MIN_THRESHOLD`."""
    worst = max((model.score(r.x)[0] for r in rows if r.label == 0 and scorable(r)),
                default=0.0)
    t = math.floor(worst / THRESHOLD_STEP + 1) * THRESHOLD_STEP
    return round(min(1.0, max(MIN_THRESHOLD, t)), 4)


def train(rows: Sequence[Row], *, name: str = PAIRMODEL_ALGORITHM, meta: dict[str, Any] | None = None) -> PairModel:
    """Fit on ``rows`` and set the threshold by :func:`choose_threshold` on the same rows."""
    mean, scale, w, b = fit(rows)
    r6 = lambda v: tuple(round(float(x), 6) for x in v)  # noqa: E731
    model = PairModel(name, FEATURES, r6(mean), r6(scale), r6(w), round(b, 6), 1.0, {})
    t = choose_threshold(model, rows)
    counts = {f"{src}_{lab}": sum(1 for r in rows if r.source == src and r.label == lab)
              for src in sorted({r.source for r in rows}) for lab in (0, 1)}
    info = {"training_rows": counts, "threshold_rule": "smallest step of 0.01 above every training negative the "
            "rules do not link (min 0.5)", "l2": L2, **(meta or {})}
    return PairModel(name, FEATURES, model.mean, model.scale, model.weights, model.bias, t, info)


def heldout_report(model: PairModel, rows: Sequence[Row]) -> dict[str, Any]:
    """What the model adds on held-out rows: positives the rules miss and it finds, negatives it links."""
    pos = [r for r in rows if r.label == 1]
    neg = [r for r in rows if r.label == 0]
    scored = lambda r: scorable(r) and model.score(r.x)[0] >= model.threshold  # noqa: E731
    return {"positives": len(pos), "rules_found": sum(r.rules is not None for r in pos),
            "model_added": sum(scored(r) for r in pos),
            "found": sum(r.rules is not None or scored(r) for r in pos),
            "negatives": len(neg), "rules_false": sum(r.rules is not None for r in neg),
            "model_false": sum(scored(r) for r in neg),
            "model_false_pairs": [[r.a, r.b, r.kind] for r in neg if scored(r)],
            "missed": [[r.a, r.b, r.kind, round(model.score(r.x)[0], 4)] for r in pos
                       if r.rules is None and not scored(r)]}
