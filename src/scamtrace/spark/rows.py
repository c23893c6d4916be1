"""Links and families to and from the plain rows of the Spark tables (see schema.py); articles are in
:mod:`.readers` (``article_row``, ``article_from_row``)."""
from __future__ import annotations

import json
from typing import Any

from ..model import Family, Link


def link_row(link: Link) -> tuple:
    """A Link in LINK_FIELDS order, as `scamtrace export copies` writes it (score to 4 places)."""
    return (link.article, link.source, link.sibling, link.family, link.relation, link.origin_credit,
            round(float(link.score), 4), link.algorithm, json.dumps(link.evidence, sort_keys=True, default=str))


def family_row(fam: Family) -> tuple:
    """A Family in FAMILY_FIELDS order, as `scamtrace export families` writes it."""
    return (fam.id, fam.origin, fam.origin_credit, len(fam.members), list(fam.members), fam.algorithm)


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
