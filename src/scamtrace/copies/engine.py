"""Find copies among articles: candidates -> classify -> judgements -> families. (``copies.engine-v2``)

v1 -> v2: after one source is chosen per copy, family members without a link to their family's
origin are compared with it (the candidate index may have missed the pair) and linked to it when
the pair classifies as a copy of the origin.
"""
from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Sequence

from ..model import Article, Family, Link
from .classify import classify_pair
from .features import Prepared, prepare
from .memo import PairMemo
from .families import (Judgement, OutletRoles, apply_judgements, build_families, check_judgements, family_origins,
                       learn_outlet_roles, other_end, reduce_links)
from .spin import COLLOCATION_MIN_DOCS, CollocationModel, spin_score
from .storyctx import enabled as storyctx_enabled

log = logging.getLogger(__name__)

ENGINE_ALGORITHM = "copies.engine-v2"
# All-pairs comparison is allowed below this many articles (~2M pairs); above it pass candidates
# from scamtrace.copies.index.CandidateIndex.
ALL_PAIRS_MAX_ARTICLES = 2000


@dataclass(slots=True)
class CopiesResult:
    """Links (with evidence) and the families they induce; every article is in one family."""

    links: list[Link]
    families: list[Family]
    algorithm: str = ENGINE_ALGORITHM
    spin: dict[str, float] = field(default_factory=dict)


def _pairs(ids: Sequence[str], candidates: Iterable[tuple[str, str]] | None) -> list[tuple[str, str]]:
    known = set(ids)
    if candidates is None:
        if len(ids) >= ALL_PAIRS_MAX_ARTICLES:
            raise ValueError(f"find_copies: {len(ids)} articles is too many for all-pairs comparison "
                             f"(limit {ALL_PAIRS_MAX_ARTICLES - 1}); pass candidates from "
                             "scamtrace.copies.index.CandidateIndex")
        s = sorted(ids)
        return [(x, y) for i, x in enumerate(s) for y in s[i + 1:]]
    out: set[tuple[str, str]] = set()
    for cand in candidates:
        x, y = cand[0], cand[1]
        for z in (x, y):
            if z not in known:
                raise ValueError(f"find_copies: candidate pair ({x!r}, {y!r}) names unknown article {z!r}")
        if x != y:
            out.add((min(x, y), max(x, y)))
    return sorted(out)


def _expand(link: Link) -> list[Link]:
    """A sibling link stands for two: add the mirror link for the other sibling."""
    if link.source is not None or link.sibling is None:
        return [link]
    mirror = dataclasses.replace(link, article=link.sibling, sibling=link.article,
                                 relation=link.evidence.get("sibling_relation", link.relation),
                                 evidence={**link.evidence, "sibling_relation": link.relation})
    return [link, mirror]


def _articles_by_id(articles: Sequence[Article], judged: Sequence[Judgement]) -> dict[str, Article]:
    """Articles by id; a reused id with another text, or a judgement naming an unknown id, is an error."""
    by_id: dict[str, Article] = {}
    for a in articles:
        if a.id in by_id and by_id[a.id].text != a.text:
            raise ValueError(f"find_copies: id {a.id!r} is used by two different articles; ids must be unique")
        by_id[a.id] = a
    for ja, jb, _ in judged:
        for z in (ja, jb):
            if z not in by_id:
                raise ValueError(f"find_copies: judgement names unknown article {z!r}")
    return by_id


def _spin_scores(by_id: Mapping[str, Article], spin_model: CollocationModel | None,
                 given: Mapping[str, float] | None) -> tuple[dict[str, float], CollocationModel | None]:
    """Spin score of every article (given ones kept, the others computed with the corpus model), and that
    model (None below :data:`~.spin.COLLOCATION_MIN_DOCS` articles)."""
    ids = sorted(by_id)
    model = spin_model
    if model is None and len(ids) >= COLLOCATION_MIN_DOCS:
        model = CollocationModel().fit(by_id[i].text for i in ids)
    given = given or {}
    return {i: given[i] if i in given else spin_score(by_id[i].text, model=model)[0] for i in ids}, model


def _guesses(pairs: Sequence[tuple[str, str]], judged: Sequence[Judgement], by_id: Mapping[str, Article],
             spin: Mapping[str, float], classify: Callable[[str, str], Link | None],
             usage: Mapping[tuple[str, str], int] | None = None) -> dict[frozenset[str], Link]:
    """The classifier's link for every candidate pair not judged "not-copy", and for pairs judged "copy"."""
    not_copy = {frozenset((a, b)) for a, b, v in judged if v == "not-copy"}
    guesses: dict[frozenset[str], Link] = {}
    for x, y in pairs:
        if frozenset((x, y)) in not_copy:
            continue
        link = classify(x, y)
        if link is not None:
            guesses[frozenset((x, y))] = link
    for key, (ja, jb, v) in {frozenset((ja, jb)): (ja, jb, v) for ja, jb, v in judged}.items():
        if v == "copy" and key not in guesses:
            guess = classify_pair(by_id[ja], by_id[jb], spin_a=spin[ja], spin_b=spin[jb], usage=usage)
            if guess is not None:
                guesses[key] = guess
    return guesses


def find_copies(articles: Sequence[Article], candidates: Iterable[tuple[str, str]] | None = None,
                judgements: Iterable[Judgement] = (), spin_model: CollocationModel | None = None,
                spin: Mapping[str, float] | None = None,
                roles: Callable[[Sequence[Link]], OutletRoles] | None = None,
                memo: PairMemo | None = None) -> CopiesResult:
    """Classify candidate pairs of ``articles``, apply human judgements, group into families.

    ``candidates``: pairs of article ids (extra tuple items such as index name and estimate are
    ignored); None compares all pairs, allowed only below :data:`ALL_PAIRS_MAX_ARTICLES` articles.
    ``judgements``: (a, b, "copy"|"not-copy") triples, always respected.
    ``spin_model``: collocations learned from the whole corpus; when None it is learned from
    ``articles`` (the incremental pipeline passes the store-wide model so results match a full run).
    ``spin``: precomputed spin scores by article id (computed here for articles missing from it).
    ``roles``: the outlet roles to use, given the classified links (before reduction, judged ones left out);
    when None they are learned from those links (:func:`~.families.learn_outlet_roles`). The incremental
    pipeline counts them over the store (copies.stored-roles-v1) so they match a full run's.
    ``memo``: decisions remembered from earlier runs (:mod:`.memo`, copies.pair-memo-v2), used when their
    inputs are unchanged; the pairs classified here are added to it.
    """
    judged = check_judgements(judgements)
    by_id = _articles_by_id(articles, judged)
    ids = sorted(by_id)
    pairs = _pairs(ids, candidates)
    spin, model = _spin_scores(by_id, spin_model, spin)
    # the usage votes of the direction read the corpus's word-pair frequencies (direction-v9); the pairs
    # compared again with their family's origin (links_to_origins) are classified without them, as the Spark
    # job, which fetches the frequencies only for the candidate pairs' substitution sites
    usage = model.df if model is not None and model.docs >= COLLOCATION_MIN_DOCS else None
    prep: dict[str, Prepared] = {}

    def prepared(i: str) -> Prepared:
        if i not in prep:
            prep[i] = prepare(by_id[i])
        return prep[i]

    near = neighbourhoods(pairs) if storyctx_enabled() else None

    def context(x: str, y: str) -> list[str] | None:
        """The other reports around the pair: its candidate neighbourhood in this call (copies.storyctx-v2)."""
        if near is None:
            return None
        return [prepared(o).side.text for o in sorted((near.get(x, set()) | near.get(y, set())) - {x, y})]

    def classify_with(x: str, y: str, df: Mapping[tuple[str, str], int] | None) -> Link | None:
        return classify_pair(by_id[x], by_id[y], spin_a=spin[x], spin_b=spin[y], prepared=(prepared(x), prepared(y)),
                             usage=df, context=context(x, y))

    def classify(x: str, y: str) -> Link | None:
        if memo is None:
            return classify_with(x, y, None)
        return memo.classify(by_id[x], by_id[y], spin[x], spin[y], None, lambda df: classify_with(x, y, df))

    def classify_voted(x: str, y: str) -> Link | None:
        if memo is None:
            return classify_with(x, y, usage)
        return memo.classify(by_id[x], by_id[y], spin[x], spin[y], usage, lambda df: classify_with(x, y, df))

    if memo is not None:
        memo.preload(pairs)

    guesses = _guesses(pairs, judged, by_id, spin, classify_voted, usage)
    links = apply_judgements(sorted(guesses.values(), key=_link_key), judged, guesses)
    forced = {frozenset((a, b)) for a, b, v in judged if v == "copy"}
    not_copy = {frozenset((a, b)) for a, b, v in judged if v == "not-copy"}
    expanded = [l2 for l in links for l2 in _expand(l)]
    judged_links = [l for l in expanded if frozenset((l.article, other_end(l) or "")) in forced]
    unjudged = [l for l in expanded if l not in judged_links]
    # over every classified link of this call (as the Spark job), or as the caller counts them
    outlet_roles = roles(unjudged) if roles is not None else learn_outlet_roles(by_id, unjudged)
    reduced = reduce_links(by_id, unjudged, outlet_roles)
    compared = {frozenset(p) for p in pairs} | not_copy | forced
    extra = links_to_origins(by_id, reduced, compared, classify)
    if extra:
        reduced = reduce_links(by_id, unjudged + extra, outlet_roles)
    expanded = sorted(reduced + judged_links, key=_link_key)
    families = build_families(by_id, expanded)
    log.debug("find_copies: %d articles, %d pairs compared, %d links, %d families",
              len(ids), len(pairs), len(expanded), len(families))
    return CopiesResult(links=expanded, families=families, spin={k: round(v, 4) for k, v in spin.items()})


def neighbourhoods(pairs: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """Each article's candidates among ``pairs``: the story context of :mod:`.storyctx` (the copies stage runs
    before the stories stage, so a pair's story is, as far as it can know, the articles proposed with either text)."""
    out: dict[str, set[str]] = {}
    for x, y in pairs:
        out.setdefault(x, set()).add(y)
        out.setdefault(y, set()).add(x)
    return out


def links_to_origins(articles: Mapping[str, Article], reduced: Sequence[Link], compared: set[frozenset[str]],
                     classify: Callable[[str, str], Link | None]) -> list[Link]:
    """New links from family members to their family's origin, for pairs not compared yet.

    ``reduced``: links after :func:`~.families.reduce_links`; ``compared``: pairs already
    classified (or judged), which are not classified again; ``classify(a, b)``: the pair
    classifier. A link is returned only when it says the member copies the origin.
    """
    linked = {(l.article, l.source) for l in reduced if l.source is not None}
    out: list[Link] = []
    for member, origin in sorted(family_origins(articles, reduced).items()):
        if origin is None or member == origin or (member, origin) in linked:
            continue
        if frozenset((member, origin)) in compared:
            continue
        link = classify(origin, member)
        if link is not None and link.article == member and link.source == origin:
            out.append(link)
    log.debug("links_to_origins: %d new links to family origins", len(out))
    return out


def _link_key(link: Link) -> tuple[str, str, str]:
    return (link.article, other_end(link) or "", link.relation)


def link_article(new: Article, others: Mapping[str, Article], candidate_ids: Iterable[str]) -> list[Link]:
    """Links between a newly arrived article and the candidate ``others`` (incremental use).

    Families are not recomputed here; call :func:`build_families` over the store's links.
    """
    out: list[Link] = []
    spin_new = spin_score(new.text)[0]
    for cid in sorted(set(candidate_ids)):
        if cid == new.id:
            continue
        if cid not in others:
            raise ValueError(f"link_article: candidate {cid!r} is not among the articles given")
        other = others[cid]
        link = classify_pair(other, new, spin_a=spin_score(other.text)[0], spin_b=spin_new)
        if link is not None:
            out.extend(_expand(link))
    return out


def classify_prepared(a: Article, b: Article, spin_a: float, spin_b: float, prepared: tuple[Prepared, Prepared],
                      usage: Mapping[tuple[str, str], int] | None) -> Link | None:
    """:func:`~.classify.classify_pair` of two prepared articles: what
    :func:`~.incremental.remember_pairs` remembers (here, among the modules the memo's code digest follows)."""
    return classify_pair(a, b, spin_a=spin_a, spin_b=spin_b, prepared=prepared, usage=usage)
