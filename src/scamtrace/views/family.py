"""The family view: copy families, largest first, as nodes (articles) and edges (copy links)."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..errors import InvalidRequest
from ..model import MAX_PAGE_SIZE, Link
from ..store import Store, queries


def family_view(store: Store, min_size: int = 2, limit: int = 100, offset: int = 0) -> dict[str, Any]:
    """Families with at least ``min_size`` members, largest first: nodes (articles) and edges (links).

    ``limit``/``offset`` page through the families (1..MAX_PAGE_SIZE per page)."""
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidRequest(f"limit must be between 1 and {MAX_PAGE_SIZE}, got {limit}")
    if offset < 0:
        raise InvalidRequest(f"offset must be 0 or more, got {offset}")
    every = sorted(store.families(min_size=min_size), key=lambda f: (-len(f.members), f.id))
    fams = every[offset:offset + limit]
    ids = sorted({m for f in fams for m in f.members})
    meta = queries.article_briefs(store, ids)
    member_of = {m: f.id for f in fams for m in f.members}
    edges, quoting = _edges(store.links() if fams else [], member_of)
    extra = sorted({a for lst in quoting.values() for a in lst} - set(meta))
    if extra:
        meta.update(queries.article_briefs(store, extra))
    out = []
    for f in fams:
        nodes = [{**meta.get(m, {"id": m}), "is_origin": m == f.origin} for m in f.members]
        nodes += [{**meta.get(m, {"id": m}), "is_origin": False, "outside": True}
                  for m in quoting.get(f.id, []) if m not in f.members]
        nodes.sort(key=lambda n: (not n["is_origin"], n.get("published") or "9999", n["id"]))
        out.append({"id": f.id, "origin": f.origin, "origin_credit": f.origin_credit, "algorithm": f.algorithm,
                    "nodes": nodes, "edges": edges.get(f.id, [])})
    return {"families": out, "min_size": min_size, "total": len(every), "limit": limit, "offset": offset}


def _edges(links: list[Link], member_of: dict[str, str]) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[str]]]:
    """The drawn copy links of each family, and per family the articles outside it that excerpt it."""
    edges: dict[str, list[dict[str, Any]]] = defaultdict(list)
    quoting: dict[str, list[str]] = defaultdict(list)   # family -> articles outside it that excerpt it
    for ln in links:
        if ln.relation == "excerpt" and ln.source in member_of and member_of.get(ln.article) != member_of[ln.source]:
            # excerpts never merge families: draw the quoting article (a digest) beside the family it quotes
            fam = member_of[ln.source]
            if ln.article not in quoting[fam]:
                quoting[fam].append(ln.article)
        elif ln.article not in member_of:
            continue
        else:
            fam = member_of[ln.article]
        if ln.source is None and ln.article > (ln.sibling or ""):
            continue  # a sibling pair is stored both ways: draw it once
        edges[fam].append({"from": ln.source or ln.sibling, "to": ln.article, "relation": ln.relation,
                           "sibling": ln.source is None, "score": round(ln.score, 4),
                           "judged": ln.evidence.get("judgement")})
    return edges, quoting
