"""The outlet view: per outlet, its articles, copies by relation, uncredited copies and spin."""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from ..copies.spin import SPUN_ARTICLE_THRESHOLD
from ..store import Store


def outlet_stats(store: Store) -> list[dict[str, Any]]:
    """Per outlet: articles, copies by relation, copies carrying no credit, mean and max spin score."""
    arts = store.article_meta()
    spins = store.spin_scores()
    rel: dict[str, Counter] = defaultdict(Counter)
    uncredited: Counter = Counter()
    for ln in store.links():
        if ln.relation == "excerpt":
            continue
        outlet = arts[ln.article].outlet or "(unknown)"
        rel[outlet][ln.relation] += 1
        if not arts[ln.article].credit:
            uncredited[outlet] += 1
    per: dict[str, list[str]] = defaultdict(list)
    for a in arts.values():
        per[a.outlet or "(unknown)"].append(a.id)
    rows: list[dict[str, Any]] = []
    for outlet, ids in per.items():
        sc = [spins[i][0] for i in ids if i in spins]
        rows.append({"outlet": outlet, "articles": len(ids), "copies": sum(rel[outlet].values()),
                     **{r: rel[outlet][r] for r in ("verbatim", "truncated", "spun", "rewrite")},
                     "uncredited_copies": uncredited[outlet],
                     "looks_spun": sum(1 for s in sc if s >= SPUN_ARTICLE_THRESHOLD),
                     "max_spin": round(max(sc), 2) if sc else None})
    rows.sort(key=lambda r: (-(r["spun"] + r["rewrite"]), -r["uncredited_copies"], r["outlet"]))
    return rows


def outlet_view(store: Store) -> dict[str, Any]:
    """Per-outlet copy counts by relation, uncredited copies and spun-looking articles, with the
    spinner threshold they were counted at."""
    return {"outlets": outlet_stats(store), "spun_threshold": SPUN_ARTICLE_THRESHOLD}
