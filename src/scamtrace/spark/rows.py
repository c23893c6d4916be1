"""Links and families to and from the plain rows of the Spark tables (see schema.py); articles are in
:mod:`.readers` (``article_row``, ``article_from_row``)."""
from __future__ import annotations

import json
from typing import Any, Mapping

from ..model import Family, Link


def link_row(link: Link) -> tuple:
    """A Link in LINK_FIELDS order, as `scamtrace export copies` writes it (score to 4 places)."""
    return (link.article, link.source, link.sibling, link.family, link.relation, link.origin_credit,
            round(float(link.score), 4), link.algorithm, json.dumps(link.evidence, sort_keys=True, default=str))


def link_from_row(row: Mapping[str, Any] | Any) -> Link:
    get = row.asDict() if hasattr(row, "asDict") else dict(row)
    ev = get.get("evidence")
    return Link(article=get["article"], source=get.get("source"), relation=get["relation"], score=float(get["score"]),
                algorithm=get["algorithm"], evidence=json.loads(ev) if isinstance(ev, str) and ev else (ev or {}),
                sibling=get.get("sibling"), family=get.get("family"), origin_credit=get.get("origin_credit"))


def family_row(fam: Family) -> tuple:
    """A Family in FAMILY_FIELDS order, as `scamtrace export families` writes it."""
    return (fam.id, fam.origin, fam.origin_credit, len(fam.members), list(fam.members), fam.algorithm)


def family_from_row(row: Mapping[str, Any] | Any) -> Family:
    get = row.asDict() if hasattr(row, "asDict") else dict(row)
    return Family(id=get["family"], members=list(get["members"]), origin=get.get("origin"),
                  origin_credit=get.get("origin_credit"), algorithm=get.get("algorithm") or "")


def pack(obj: Any) -> str:
    """Links carried between Spark stages as JSON text (no pickle across the shuffle)."""
    return json.dumps(obj, sort_keys=True, default=str)


def link_to_json(link: Link) -> str:
    return pack({"article": link.article, "source": link.source, "sibling": link.sibling, "family": link.family,
                 "relation": link.relation, "origin_credit": link.origin_credit, "score": link.score,
                 "algorithm": link.algorithm, "evidence": link.evidence})


def link_from_json(text: str) -> Link:
    d = json.loads(text)
    return Link(article=d["article"], source=d["source"], relation=d["relation"], score=d["score"],
                algorithm=d["algorithm"], evidence=d["evidence"], sibling=d["sibling"], family=d["family"],
                origin_credit=d["origin_credit"])
