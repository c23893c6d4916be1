"""Score a store's copy links against real-news gold: the ``realnews-dev`` and ECB+ formats. (``eval.realnews-v1``)

Two gold formats, told apart by their fields:

* **realnews** (``../shared/datasets/realnews-dev/articles.jsonl``): one record per article with
  ``id``, ``story``, ``derived_from`` and ``relation``. Scored as ``realnews-dev/score.py`` scores
  it: a gold pair is *found* when a directed link joins the two articles either way or both sit in
  one family; *relation right* counts found pairs whose link relation is the gold one (a pair found
  only through a family has relation ``family``); *arrow* right / reversed / none over ALL gold pairs
  (an arrow is ``article -> source``), and arrows right among the pairs found (an unfound pair has no
  arrow); links (and family pairs) whose two articles are in different
  gold stories; family B-cubed against the gold families (connected components of ``derived_from``).
* **stories** (ECB+ ``gold.jsonl``: ``id`` and ``story``, no copy labels): every link or family pair
  across two gold stories is false; links whose only shared passages are quotations both texts carry
  (a statement two reports quoted) are counted; with ``silver``, recall of the silver near-duplicate
  pairs (direct link, or link or same family).

``half_of`` is the fixed split of ``realnews-dev/score.py`` (sha1 of the story slug, even -> A).
"""
from __future__ import annotations

import hashlib
import itertools
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from ..errors import GoldFileError, InvalidRequest
from ..copies.classify import quoted_spans
from ..copies.families import _UnionFind
from ..copies.features import Pair
from ..model import RELATIONS, Family, Link
from ..store import queries
from .clusters import bcubed
from .keys import jsonl_objects

REALNEWS_ALGORITHM = "eval.realnews-v1"
HALVES = ("A", "B")


def half_of(story: str) -> str:
    """The fixed half ("A" or "B") of a story slug: the same hash as ``realnews-dev/score.py``."""
    return "A" if int(hashlib.sha1(story.encode()).hexdigest(), 16) % 2 == 0 else "B"


def input_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """The article ``realnews-dev/score.py`` ingests for a corpus record: its ``date`` as ``published``
    and an empty title as none (the labels, ``story``, ``derived_from`` and ``relation``, are left out)."""
    return {"id": record["id"], "url": record["url"], "outlet": record["outlet"], "published": record["date"],
            "title": record["title"] or None, "text": record["text"]}


def read_records(path: Path | str) -> list[dict[str, Any]]:
    """JSON Lines records; a malformed line raises :class:`GoldFileError` naming the file and line."""
    out = []
    for n, obj in jsonl_objects(path):
        if not isinstance(obj, dict) or "id" not in obj or "story" not in obj:
            raise GoldFileError(f"{path}:{n}: a real-news gold record needs \"id\" and \"story\"")
        out.append(obj)
    if not out:
        raise GoldFileError(f"{path}: gold is empty: nothing to evaluate")
    return out


def gold_format(records: Sequence[Mapping[str, Any]]) -> str:
    """``realnews`` when the records carry ``derived_from``, else ``stories`` (ECB+)."""
    return "realnews" if any("derived_from" in r for r in records) else "stories"


@dataclass
class RealNewsScores:
    """Scores of one run; :meth:`report` prints them."""

    kind: str
    values: dict[str, Any] = field(default_factory=dict)

    def report(self) -> str:
        v = self.values
        if self.kind == "realnews":
            n = v["gold_pairs"]
            lines = [f"realnews gold: {v['articles']} articles{' (half ' + v['half'] + ')' if v.get('half') else ''}, "
                     f"{n} labelled pairs ({REALNEWS_ALGORITHM})",
                     f"pairs found {v['pair_recall']:.3f} ({v['found']}/{n})",
                     f"relation right {v['relation_accuracy']:.3f} ({v['relation_right']}/{v['found']} found; "
                     f"{v['relation_right_with_siblings']} counting the relation of sibling links, which have no arrow)",
                     f"arrow right {v['arrow_right_rate']:.3f} ({v['arrow_right']}/{n}), reversed {v['arrow_reversed']}, "
                     f"no arrow {v['arrow_none']}; among the pairs found: right {v['arrow_right_found_rate']:.3f} "
                     f"({v['arrow_right']}/{v['found']})",
                     f"links across stories {v['cross_story_rate']:.3f} ({v['cross_story']}/{v['pairs_predicted']})",
                     f"links between texts the labels keep independent {v['links_apart_rate']:.3f} "
                     f"({v['links_apart']}/{v['links']}: no chain of labelled pairs joins the two texts)",
                     f"families B-cubed P {v['families_bcubed']['precision']:.3f} R {v['families_bcubed']['recall']:.3f} "
                     f"F1 {v['families_bcubed']['f1']:.3f}",
                     "confusion (gold -> predicted):"]
            cols = [*RELATIONS, "family", "missed"]
            cols = [c for c in cols if any(k[1] == c for k in v["confusion"])] or cols
            lines.append(f"  {'gold':<10}" + "".join(f"{c:>10}" for c in cols))
            for g in RELATIONS:
                if any(k[0] == g for k in v["confusion"]):
                    lines.append(f"  {g:<10}" + "".join(f"{v['confusion'].get((g, c), 0):>10}" for c in cols))
            return "\n".join(lines)
        lines = [f"stories gold: {v['articles']} articles, {v['links']} links ({REALNEWS_ALGORITHM})",
                 f"links across stories {v['cross_story_rate']:.4f} ({v['cross_story']}/{v['links']}); "
                 f"family pairs across stories {v['cross_family']}/{v['family_pairs']}",
                 f"links whose only shared passages are quotations both texts carry: {v['quotation_only']}",
                 "links by relation: " + ", ".join(f"{k} {c}" for k, c in sorted(v["by_relation"].items()))]
        if "silver_recall" in v:
            lines.append(f"silver near-duplicate recall: direct link {v['silver_link_recall']:.3f}, link or same family "
                         f"{v['silver_recall']:.3f} ({v['silver_found']}/{v['silver']})")
        return "\n".join(lines)


def _family_pairs(families: Iterable[Family], keep: set[str]) -> set[frozenset[str]]:
    out: set[frozenset[str]] = set()
    for fam in families:
        members = sorted(m for m in fam.members if m in keep)
        out.update(frozenset(p) for p in itertools.combinations(members, 2))
    return out


def _components(ids: Iterable[str], edges: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Each id -> the smallest id of its connected component (the families' own union-find)."""
    uf = _UnionFind(ids)
    for x, y in edges:
        if x in uf.parent and y in uf.parent:
            uf.union(x, y)
    return {i: uf.find(i) for i in uf.parent}


def _predicted_pairs(links: Sequence[Link], families: Sequence[Family],
                     keep: set[str]) -> tuple[dict[frozenset[str], str], set[tuple[str, str]]]:
    """Each predicted pair -> its relation ("family" for a pair only a family joins), and the arrows
    (copy -> source) of the links."""
    pairs: dict[frozenset[str], str] = {p: "family" for p in _family_pairs(families, keep)}
    arrows: set[tuple[str, str]] = set()
    for ln in links:
        if ln.source and ln.article in keep and ln.source in keep:
            pairs[frozenset((ln.article, ln.source))] = ln.relation
            arrows.add((ln.article, ln.source))
    return pairs, arrows


def _with_siblings(pairs: dict[frozenset[str], str], links: Sequence[Link], keep: set[str]) -> dict[frozenset[str], str]:
    """``pairs`` where a sibling link (no arrow) also states the pair's relation (score.py sees only arrows)."""
    out = dict(pairs)
    for ln in links:
        if ln.source is None and ln.sibling and ln.article in keep and ln.sibling in keep:
            key = frozenset((ln.article, ln.sibling))
            if out.get(key, "family") == "family":
                out[key] = ln.evidence.get("pair_relation", ln.relation)
    return out


def _links_apart(links: Sequence[Link], keep: set[str], gold_fam: Mapping[str, str]) -> tuple[int, int]:
    """(linked pairs, those whose two texts no chain of gold pairs joins: ``gold_fam``, each text's gold
    family): the labels keep two reports of one official statement or press release apart (the dataset's
    hard negatives), so a link between them takes a source from the independent-source counts."""
    pairs = {frozenset((ln.article, other)) for ln in links
             for other in (ln.source or ln.sibling,) if other and ln.article in keep and other in keep}
    return len(pairs), sum(len({gold_fam[i] for i in p}) > 1 for p in pairs)


def _families_bcubed(keep: set[str], gold_fam: Mapping[str, str], families: Sequence[Family]) -> dict[str, float]:
    """B-cubed of the predicted families against the gold families (``gold_fam``: components of the gold pairs)."""
    pred_fam = {i: i for i in keep}
    for fam in families:
        for m in fam.members:
            if m in keep:
                pred_fam[m] = fam.id
    b = bcubed(pred_fam, gold_fam) if keep else {}
    return {"precision": b.get("precision", 0.0), "recall": b.get("recall", 0.0), "f1": b.get("f1", 0.0)}


def score_realnews(records: Sequence[Mapping[str, Any]], links: Sequence[Link], families: Sequence[Family],
                   *, half: str | None = None) -> RealNewsScores:
    """Scores of ``links``/``families`` against realnews records (see the module docstring)."""
    if half is not None and half not in HALVES:
        raise InvalidRequest(f"half must be one of {HALVES}, got {half!r}")
    recs = [r for r in records if half is None or half_of(r["story"]) == half]
    story = {r["id"]: r["story"] for r in recs}
    keep = set(story)
    pairs, arrows = _predicted_pairs(links, families, keep)
    gold = [(r["id"], r["derived_from"], r["relation"]) for r in recs if r.get("derived_from") in story]
    found = [g for g in gold if frozenset(g[:2]) in pairs]
    right = [g for g in found if pairs[frozenset(g[:2])] == g[2]]
    with_siblings = _with_siblings(pairs, links, keep)
    right_sib = [g for g in found if with_siblings.get(frozenset(g[:2])) == g[2]]
    ok = sum((x, y) in arrows for x, y, _ in gold)
    rev = sum((y, x) in arrows for x, y, _ in gold)
    cross = [p for p in pairs if len({story[i] for i in p}) > 1]
    gold_fam = _components(sorted(keep), [(x, y) for x, y, _ in gold])   # each text's gold family
    linked, apart = _links_apart(links, keep, gold_fam)
    conf = Counter((g[2], pairs.get(frozenset(g[:2]), "missed")) for g in gold)
    n = max(1, len(gold))
    return RealNewsScores("realnews", {
        "half": half, "articles": len(recs), "gold_pairs": len(gold), "found": len(found),
        "pair_recall": len(found) / n, "relation_right": len(right),
        "relation_accuracy": len(right) / max(1, len(found)),
        "relation_right_with_siblings": len(right_sib),
        "arrow_right": ok, "arrow_reversed": rev, "arrow_none": len(gold) - ok - rev, "arrow_right_rate": ok / n,
        "arrow_right_found_rate": ok / max(1, len(found)),
        "cross_story": len(cross), "pairs_predicted": len(pairs), "cross_story_rate": len(cross) / max(1, len(pairs)),
        "families_bcubed": _families_bcubed(keep, gold_fam, families),
        "links": linked, "links_apart": apart, "links_apart_rate": apart / max(1, linked),
        "confusion": dict(conf),
        "errors": sorted(f"{x} -> {y}: gold {rel}, predicted {pairs.get(frozenset((x, y)), 'missed')}"
                         for x, y, rel in gold if pairs.get(frozenset((x, y))) != rel),
    })


def _link_pairs(links: Sequence[Link], keep: set[str]) -> dict[frozenset[str], Link]:
    """Each linked pair of kept articles -> its first link."""
    out: dict[frozenset[str], Link] = {}
    for ln in links:
        other = ln.source or ln.sibling
        if other and ln.article in keep and other in keep:
            out.setdefault(frozenset((ln.article, other)), ln)
    return out


def _quotation_only(link_pairs: Iterable[frozenset[str]], texts: Mapping[str, str]) -> int:
    """Linked pairs whose every shared passage is a quotation."""
    n = 0
    for p in link_pairs:
        x, y = sorted(p)
        if x in texts and y in texts:
            pr = Pair(texts[x], texts[y])
            q = quoted_spans(pr)
            if q and len(q) == len(pr.passages.spans):
                n += 1
    return n


def _silver_scores(silver: Sequence[Mapping[str, Any]], link_pairs: Mapping[frozenset[str], Link],
                   fam_pairs: set[frozenset[str]]) -> dict[str, Any]:
    sp = [frozenset((s["a"], s["b"])) for s in silver]
    direct = sum(p in link_pairs for p in sp)
    either = sum(p in link_pairs or p in fam_pairs for p in sp)
    return {"silver": len(sp), "silver_found": either, "silver_link_recall": direct / max(1, len(sp)),
            "silver_recall": either / max(1, len(sp))}


def score_stories(records: Sequence[Mapping[str, Any]], links: Sequence[Link], families: Sequence[Family],
                  *, silver: Sequence[Mapping[str, Any]] | None = None,
                  texts: Mapping[str, str] | None = None) -> RealNewsScores:
    """Copy scores against story-only gold (ECB+): false links across stories, quotation-only links, silver recall.

    ``texts`` (article id -> text) enables the quotation-only count.
    """
    story = {r["id"]: r["story"] for r in records}
    keep = set(story)
    link_pairs = _link_pairs(links, keep)
    fam_pairs = _family_pairs(families, keep)
    cross = [p for p in link_pairs if len({story[i] for i in p}) > 1]
    cross_fam = [p for p in fam_pairs if len({story[i] for i in p}) > 1]
    out: dict[str, Any] = {
        "articles": len(records), "links": len(link_pairs), "cross_story": len(cross),
        "cross_story_rate": len(cross) / max(1, len(link_pairs)), "cross_family": len(cross_fam),
        "family_pairs": len(fam_pairs), "quotation_only": _quotation_only(link_pairs, texts) if texts is not None else None,
        "by_relation": dict(Counter(ln.relation for ln in link_pairs.values())),
        "cross_examples": sorted(" ~ ".join(sorted(p)) for p in cross)[:10],
    }
    if silver is not None:
        out.update(_silver_scores(silver, link_pairs, fam_pairs))
    return RealNewsScores("stories", out)


def evaluate_store_realnews(store: Any, gold: Path, *, half: str | None = None,
                            silver: Path | None = None) -> RealNewsScores:
    """Score the store's links and families against a realnews or stories gold file."""
    records = read_records(gold)
    kind = gold_format(records)
    known = queries.article_ids(store)
    present = [r for r in records if r["id"] in known]
    if not present:
        raise GoldFileError(f"{gold}: none of its {len(records)} ids is in the store; ingest the corpus first "
                            "(ids must be kept: JSON Lines input with an \"id\" field)")
    links, families = store.links(), store.families()
    if kind == "realnews":
        return score_realnews(present, links, families, half=half)
    if half is not None:
        raise GoldFileError(f"{gold}: --half applies to realnews gold (records with derived_from) only")
    sil = None
    if silver is not None:
        sil = []
        for n, obj in jsonl_objects(silver):
            if not isinstance(obj, dict) or "a" not in obj or "b" not in obj:
                raise GoldFileError(f"{silver}:{n}: a silver pair needs \"a\" and \"b\"")
            if obj["a"] in known and obj["b"] in known:
                sil.append(obj)
    linked = {x for ln in links for x in (ln.article, ln.source or ln.sibling) if x}
    texts = {a.id: a.text for a in store.iter_articles(sorted(linked & known))}
    return score_stories(present, links, families, silver=sil, texts=texts)


