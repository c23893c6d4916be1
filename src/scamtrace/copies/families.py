"""Group articles into families (an original and its copies) and apply human judgements.

``copies.families-v2``: union-find over links (source or sibling) except ``excerpt`` links (a digest
quoting several outlets is not a copy of any one story: it keeps its own family); every article is in exactly one
family (singletons included); the id is ``"fam-" + smallest member id`` so it does not depend on
input order; the origin is the member that copies nobody inside the family (None when every member
is a copy, e.g. siblings of an absent wire original), ranked by :func:`origin_rank` when several
do; ``origin_credit`` is the most common wire credit among members (ties broken alphabetically).
v1 -> v2: the origin ranking prefers the wire's own outlet and a kept credit + dateline before the
earliest date (v1: earliest date, then smallest id).
"""
from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from ..model import FAMILIES_ALGORITHM, Article, Family, Link
from .direction import CONFIDENCE, own_outlet
from .features import credit_dateline
from .stemma import REWORDED, Texts, choose_parent

JUDGEMENT_ALGORITHM = "copies.judgement-v1"
JUDGEMENTS = ("copy", "not-copy")
# Relations that link articles without making them one family (see module doc; gold demo_copies.jsonl).
NON_MERGING = frozenset({"excerpt"})

Judgement = tuple[str, str, str]


class _UnionFind:
    def __init__(self, items: Iterable[str]):
        self.parent = {x: x for x in items}

    def find(self, x: str) -> str:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


def other_end(link: Link) -> str | None:
    """The article a link connects ``link.article`` to (its source, else its sibling)."""
    return link.source if link.source is not None else link.sibling


def build_families(articles: Sequence[Article] | Mapping[str, Article], links: Sequence[Link]) -> list[Family]:
    """Families of ``articles`` given ``links``; also sets ``family``/``origin_credit`` on the links.

    Raises ValueError when a link names an article that is not in ``articles``.
    """
    by_id = dict(articles) if isinstance(articles, Mapping) else {a.id: a for a in articles}
    uf = _UnionFind(sorted(by_id))
    for link in links:
        for x in (link.article, other_end(link)):
            if x is not None and x not in by_id:
                raise ValueError(f"link {link.article!r} -> {other_end(link)!r} names unknown article {x!r}; "
                                 "pass every linked article")
        other = other_end(link)
        if other is not None and link.relation not in NON_MERGING:
            uf.union(link.article, other)
    groups: dict[str, list[str]] = {}
    for x in sorted(by_id):
        groups.setdefault(uf.find(x), []).append(x)
    copiers = {l.article for l in links if other_end(l) is not None and l.relation not in NON_MERGING}
    copied = _copied_by(links)
    families: list[Family] = []
    fam_of: dict[str, Family] = {}
    for members in groups.values():
        fam_id = "fam-" + members[0]
        origins = [m for m in members if m not in copiers]
        origin = _pick_origin(origins, by_id, copied) if len(members) > 1 else members[0]
        fam = Family(id=fam_id, members=members, origin=origin,
                     origin_credit=_origin_credit(members, by_id), algorithm=FAMILIES_ALGORITHM)
        families.append(fam)
        for m in members:
            fam_of[m] = fam
    for link in links:
        fam = fam_of[link.article]
        link.family = fam.id
        link.origin_credit = fam.origin_credit
    families.sort(key=lambda f: f.id)
    return families


def origin_rank(article: Article, copied_by: int = 0) -> tuple[Any, ...]:
    """Sort key of a candidate origin (smaller = more likely the original).

    In order: published by the wire service it credits (:func:`~.direction.own_outlet`); keeps a
    wire credit and a dateline; has a publication date; earliest date; copied by more members
    (``copied_by`` links name it as their source); smallest id.
    """
    credit, dateline = credit_dateline(article)
    return (not own_outlet(article), not (credit and dateline), article.published is None,
            article.published or 0, -copied_by, article.id)


def _copied_by(links: Iterable[Link]) -> Counter[str]:
    """How many merging links name each article as their source."""
    return Counter(l.source for l in links if l.source is not None and l.relation not in NON_MERGING)


def _pick_origin(candidates: list[str], by_id: Mapping[str, Article],
                 copied_by: Mapping[str, int] | None = None) -> str | None:
    """The best candidate by :func:`origin_rank`; None when there is none."""
    if not candidates:
        return None
    counts = copied_by or {}
    return min(candidates, key=lambda x: origin_rank(by_id[x], counts.get(x, 0)))


def _origin_credit(members: list[str], by_id: Mapping[str, Article]) -> str | None:
    credits = Counter(c for c in (credit_dateline(by_id[m])[0] for m in members) if c)
    if not credits:
        return None
    return min(credits.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def check_judgements(judgements: Iterable[Judgement]) -> list[Judgement]:
    """Validate (a, b, "copy"|"not-copy") triples; the last judgement on a pair wins."""
    out: dict[frozenset[str], Judgement] = {}
    for j in judgements:
        if len(j) != 3:
            raise ValueError(f"judgement must be (article_a, article_b, verdict), got {j!r}")
        a, b, verdict = j
        if verdict not in JUDGEMENTS:
            raise ValueError(f"judgement verdict must be one of {JUDGEMENTS}, got {verdict!r} for ({a!r}, {b!r})")
        if a == b:
            raise ValueError(f"judgement pairs an article with itself: {a!r}")
        out[frozenset((a, b))] = (a, b, verdict)
    return list(out.values())


def apply_judgements(links: Sequence[Link], judgements: Iterable[Judgement],
                     guesses: Mapping[frozenset[str], Link] | None = None) -> list[Link]:
    """Links with human judgements applied; judged pairs are always respected.

    "not-copy" removes every link between the pair. "copy" keeps existing links, else adds one:
    the classifier's best guess from ``guesses`` (keyed by frozenset of the two ids) when given,
    else ``b`` copies ``a`` verbatim. Added or kept links carry ``evidence["judgement"]``.
    """
    judged = check_judgements(judgements)
    verdict_of = {frozenset((a, b)): (a, b, v) for a, b, v in judged}
    out: list[Link] = []
    present: set[frozenset[str]] = set()
    for link in links:
        other = other_end(link)
        key = frozenset((link.article, other)) if other is not None else None
        j = verdict_of.get(key) if key is not None else None
        if j is not None and j[2] == "not-copy":
            continue
        if j is not None:
            link = dataclasses.replace(link, evidence={**link.evidence, "judgement": "copy"})
            present.add(key)  # type: ignore[arg-type]
        out.append(link)
    for key, (a, b, v) in verdict_of.items():
        if v != "copy" or key in present:
            continue
        guess = (guesses or {}).get(key)
        if guess is not None:
            link = dataclasses.replace(guess, evidence={**guess.evidence, "judgement": "copy"})
        else:
            link = Link(article=b, source=a, relation="verbatim", score=1.0, algorithm=JUDGEMENT_ALGORITHM,
                        evidence={"judgement": "copy", "note": "forced by a human judgement; no classifier guess"})
        out.append(link)
    return out


REDUCE_ALGORITHM = "copies.reduce-v7"   # v3: orient_to_origins before one source per copy; v4: outlet roles;
# v5: a hub linked to a strongly confirmed original copies it (chains); v6: the closest parent by shared
# peculiarities (copies.parent-v1, stemma.choose_parent; v2 skips reworded candidates of a reworded copy) instead of always the family origin;
# v7: the outlet-role reason no longer counts the outlet's other texts (the incremental stage counts the roles over
# the store, copies.stored-roles-v1, and a count in the text would change with every batch that adds to it), and
# the roles may name texts counted beyond the call (OutletRoles.own_sources / own_copies)


def _components(articles: Mapping[str, Article], core: Sequence[Link]) -> dict[str, list[str]]:
    """Connected components (root -> sorted members) of the merging links ``core``."""
    uf = _UnionFind(sorted(articles))
    for l in core:
        other = other_end(l)
        if other is not None:
            uf.union(l.article, other)
    comps: dict[str, list[str]] = {}
    for x in sorted(articles):
        comps.setdefault(uf.find(x), []).append(x)
    return comps


def _origins_by_root(articles: Mapping[str, Article],
                     core: Sequence[Link]) -> tuple[dict[str, str], dict[str, str | None]]:
    """(member -> component root, root -> origin) under the merging links ``core``."""
    copiers = {l.article for l in core if other_end(l) is not None}
    copied = _copied_by(core)
    root_of: dict[str, str] = {}
    origin: dict[str, str | None] = {}
    for root, members in _components(articles, core).items():
        root_of.update({m: root for m in members})
        origin[root] = (_pick_origin([m for m in members if m not in copiers], articles, copied)
                        if len(members) > 1 else members[0])
    return root_of, origin


def family_origins(articles: Mapping[str, Article], links: Sequence[Link]) -> dict[str, str | None]:
    """Member -> origin of its component under the merging ``links`` (members of families of 2+ only).

    The origin is the member that copies nobody (no directed link from it, no sibling link), ranked
    by :func:`origin_rank` when several do; None when every member copies another (siblings).
    """
    core = [l for l in links if l.relation not in NON_MERGING]
    root_of, origin = _origins_by_root(articles, core)
    size = Counter(root_of.values())
    return {m: origin[r] for m, r in root_of.items() if size[r] > 1}


def reduce_links(articles: Mapping[str, Article], links: Sequence[Link],
                 roles: OutletRoles | None = None) -> list[Link]:
    """Keep one source per copy: all-pairs classification links a copy to every member of its family.

    ``copies.reduce-v3``: unsure sibling links are first turned towards a confirmed original of their
    family (:func:`orient_to_origins`; v3), then by the outlets' roles over the corpus when ``roles``
    are given (:func:`orient_by_outlet_roles`; v4). Within each family (union of non-excerpt links) the origin is chosen as in
    :func:`family_origins` (copies nobody; then own outlet, credit + dateline, earliest date, most
    copied, smallest id). A copy keeps its link to the origin whenever it has one, else its
    best-scoring directed link; sibling links (source None) are kept only for members with no
    directed link. Excerpt links are kept once per quoted family, preferring the link to that
    family's origin. Dropped links are listed in the kept link's ``evidence["also_matches"]``.
    Deterministic and independent of input order. (v1 ranked candidate origins by date only.)

    The two halves, :func:`reduce_core` and :func:`reduce_excerpts`, are also called separately by
    the Spark job (per connected component, then per quoted family).
    """
    core = [l for l in links if l.relation not in NON_MERGING]
    kept, root_of, origin_of = reduce_core(articles, core, roles)
    kept += reduce_excerpts(links, root_of, origin_of)
    kept.sort(key=lambda l: (l.article, other_end(l) or "", l.relation))
    return kept


def reduce_core(articles: Mapping[str, Article], core: Sequence[Link],
                roles: OutletRoles | None = None) -> tuple[list[Link], dict[str, str], dict[str, str | None]]:
    """The merging half of :func:`reduce_links`: (kept links, member -> component root, root -> origin).

    ``core`` holds only merging (non-excerpt) links. Component roots are the smallest member id.
    ``roles``: outlet roles learned over the whole corpus (:func:`learn_outlet_roles`); sibling links
    still unsure after :func:`orient_to_origins` are turned by them (:func:`orient_by_outlet_roles`).
    """
    core = orient_to_origins(core)
    if roles:
        core = orient_by_outlet_roles(articles, core, roles)
    directed_from: dict[str, list[Link]] = {}
    sibling_from: dict[str, list[Link]] = {}
    for l in core:
        (directed_from if l.source is not None else sibling_from).setdefault(l.article, []).append(l)
    root_of, origin_of = _origins_by_root(articles, core)
    texts = Texts(articles)
    reworded = frozenset(l.article for l in core if l.source is not None and l.relation in REWORDED)
    kept: list[Link] = []
    default: dict[str, tuple[Link, list[Link]]] = {}
    for x in sorted(set(directed_from) | set(sibling_from)):
        origin = origin_of[root_of[x]]
        directed = sorted(directed_from.get(x, []), key=lambda l: (l.source != origin, -l.score, l.source or ""))
        sibs = sorted(sibling_from.get(x, []), key=lambda l: (-l.score, l.sibling or ""))
        if directed:
            best, rest, others = directed[0], directed[1:], sibs
        else:
            best, rest, others = sibs[0], sibs[1:], []
        default[x] = (best, [*rest, *others])
        chosen, dropped = choose_parent(x, best, rest, others, texts, reworded)
        kept.append(_with_also(chosen, dropped))
    kept = _no_parent_cycles(_drop_turned_mirrors(kept), default)
    return _keep_bridges(articles, core, kept), root_of, origin_of


def _drop_turned_mirrors(kept: list[Link]) -> list[Link]:
    """A sibling link whose pair the parent choice turned into an arrow (``stemma.choose_parent``) is not kept too."""
    arrows = {frozenset((l.article, l.source)) for l in kept if l.source is not None}
    return [l for l in kept if l.source is not None or frozenset((l.article, l.sibling or "")) not in arrows]


def _no_parent_cycles(kept: list[Link], default: Mapping[str, tuple[Link, list[Link]]]) -> list[Link]:
    """Parents chosen by their readings (``evidence.parent.decided_by == "peculiarities"``) that close a
    cycle of sources are set back to the default choice (each copy's choice is made on its own)."""
    while True:
        parent = {l.article: l.source for l in kept if l.source is not None}
        cycle: set[str] = set()
        for start in sorted(parent):
            seen: list[str] = []
            x: str | None = start
            while x is not None and x not in seen:
                seen.append(x)
                x = parent.get(x)
            if x is not None:
                cycle = set(seen[seen.index(x):])
                break
        turned = [l for l in kept if l.article in cycle
                  and (l.evidence.get("parent") or {}).get("decided_by") == "peculiarities"]
        if not turned:
            return kept
        back = min(turned, key=lambda l: l.article)
        best, dropped = default[back.article]
        kept = [(_with_also(best, dropped) if l is back else l) for l in kept]


# Only links that keep the wording are kept as bridges: on ECB+ (tuned freely there) bridges of any
# relation raised silver recall 90 -> 94 of 96 but re-exposed a rewrite link across two events (1 -> 2).
BRIDGE_RELATIONS = frozenset({"verbatim", "truncated", "spun"})


def _keep_bridges(articles: Mapping[str, Article], core: Sequence[Link], kept: list[Link]) -> list[Link]:
    """``kept`` plus the best dropped links needed so no family of ``core`` falls apart.

    Keeping one source per copy can drop the only link that held a member in its family (a copy of
    two members keeps its link to one, while the other was its only tie to the rest); the
    highest-scoring dropped links that rejoin the pieces are kept too (``copies.reduce-v3``).
    """
    uf = _UnionFind(sorted(articles))
    for l in kept:
        other = other_end(l)
        if other is not None:
            uf.union(l.article, other)
    ids = {id(l) for l in kept}
    extra: list[Link] = []
    for l in sorted(core, key=lambda l: (-l.score, l.article, other_end(l) or "", l.relation)):
        other = other_end(l)
        if id(l) in ids or other is None or l.relation not in BRIDGE_RELATIONS or uf.find(l.article) == uf.find(other):
            continue
        uf.union(l.article, other)
        extra.append(dataclasses.replace(l, evidence={**l.evidence, "kept_by": REDUCE_ALGORITHM,
                                                      "kept_because": "the only link left holding the family together"}))
    return kept + extra


# Directions that make an article a confirmed original for orient_to_origins: explicit or structural
# evidence (attribution, a truncated copy, a spun copy, the wire's own outlet, dates 2+ days apart, a kept
# wire credit, the main host of a mirror), not the weaker counts (detail, completeness) nor dates a day
# apart (direction-v7). realnews-dev half A.
# A member linked to this many others that are not linked to one another is the hub of a star: copies
# made from one original each resemble it more than they resemble one another. realnews-dev half A gold
# families of 3+: 5 stars, 1 chain.
HUB_MIN_COPIES = 2
ORIGIN_EVIDENCE = frozenset({"attribution", "truncated", "spin", "own_outlet", "published", "credit", "mirror"})


def _hubs(core: Sequence[Link]) -> set[str]:
    """Articles linked to at least HUB_MIN_COPIES others of which no two are linked to each other (a star)."""
    nbrs: dict[str, set[str]] = {}
    for l in core:
        o = other_end(l)
        if o is not None:
            nbrs.setdefault(l.article, set()).add(o)
            nbrs.setdefault(o, set()).add(l.article)
    out = set()
    for x, ns in nbrs.items():
        if len(ns) >= HUB_MIN_COPIES and all(not (nbrs[y] & ns) for y in ns):
            out.add(x)
    return out


def leans_against(link: Link, source: str) -> bool:
    """Does a note of ``link``'s direction (``evidence.direction.leans``, e.g. the dateline note of
    direction-v7) point to the other end as the source? Then the family and outlet-role passes leave
    the pair unsure rather than turn it against the only evidence the pair itself holds."""
    leans = (link.evidence.get("direction") or {}).get("leans") or {}
    return any(v != source for v in leans.values())


def orient_to_origins(core: Sequence[Link]) -> list[Link]:
    """Unsure sibling links whose one end is a confirmed original become copies of it (``family_origin``).

    ``core``: merging links, sibling links expanded both ways. An article that copies nobody is a
    confirmed original when another article copies it by :data:`ORIGIN_EVIDENCE` (strong), or, more
    weakly, when it is the hub of a star (:data:`HUB_MIN_COPIES`). A sibling pair whose ends differ in
    that standing becomes one directed link from the weaker end to the stronger (its mirror sibling link
    is dropped): a text copied on strong evidence is the source of an unsure hub, and the hub the source
    of its other unsure spokes, which is the order of a chain (``copies.reduce-v5``: a hub linked to a
    strongly confirmed original is a link of a chain, not the star's original; before, that pair stayed
    unsure). A pair whose own notes lean the other way (:func:`leans_against`) is not turned. Other
    links are returned unchanged. Input order does not matter.
    """
    copies = {l.article for l in core if l.source is not None}
    why: dict[str, str] = {}
    rank: dict[str, int] = {}
    for x in sorted(_hubs(core) - copies):
        why[x] = f"{x} is the hub of a star: linked to {HUB_MIN_COPIES}+ texts that are not linked to one another"
        rank[x] = 1
    for l in sorted(core, key=lambda l: (l.source or "", l.article)):
        if l.source is not None and l.source not in copies \
                and (l.evidence.get("direction") or {}).get("decided_by") in ORIGIN_EVIDENCE:
            why[l.source] = f"{l.source} is copied by {l.article} on stronger evidence and copies nobody"
            rank[l.source] = 2
    if not why:
        return list(core)
    out: list[Link] = []
    for l in core:
        unsure = (l.evidence.get("direction") or {}).get("decided_by") == "unsure"
        ra, rs = rank.get(l.article, 0), rank.get(l.sibling or "", 0)
        if l.source is not None or l.sibling is None or not unsure or ra == rs \
                or leans_against(l, l.sibling if ra < rs else l.article):
            out.append(l)   # deliberate siblings (two copies of an absent original) stay siblings
            continue
        if ra > rs:
            continue   # the mirror of a link turned around below
        d = dict(l.evidence.get("direction") or {})
        chain = f" ({l.article} is the hub of its other links: a chain through it)" if ra == 1 else ""
        d["reasons"] = [*d.get("reasons", []), f"{why[l.sibling]}: {l.article} is taken as its copy{chain}"]
        d["decided_by"] = "family_origin"
        d["confidence"] = CONFIDENCE["family_origin"]
        ev = {k: v for k, v in l.evidence.items() if k != "sibling_relation"} | {"direction": d}
        out.append(dataclasses.replace(l, source=l.sibling, sibling=None, evidence=ev,
                                       relation=str(l.evidence.get("pair_relation", l.relation))))
    return out


# Outlet roles over the corpus (copies.reduce-v4). A text counts for its outlet's role when classification
# ordered one of its merging links by direct evidence (ROLE_EVIDENCE: the ORIGIN_EVIDENCE reasons plus the
# detail and completeness counts; excerpts are left out, since originators quote others too): as a source
# (it is the source of such a link) or a copy (it copies by such a link). realnews-dev half A: with
# excerpts counted, monitor.co.ug would have been called a republisher (one of its texts quotes NTV) and
# both of its unsure pairs would have been reversed.
ROLE_EVIDENCE = ORIGIN_EVIDENCE | {"published_close", "detail", "completeness"}
# An outlet is an originator when at least this many of its OTHER texts (not the pair's) are sources and
# none is a copy; a republisher when this many are copies and none a source. realnews-dev half A (65
# texts, 8 outlets with 2+ texts): one unsure pair has such an outlet at 1 (en.sggp.org.vn ~
# vietnamnews.vn, whose 63-Vietnamese text is the source of a rewrite), and the arrow is right; none at 2.
OUTLET_ROLE_MIN_TEXTS = 1


@dataclass(slots=True)
class OutletRoles:
    """Per outlet, how many of its texts are sources / copies of merging links ordered by
    :data:`ROLE_EVIDENCE` (outlet-sized: the Spark job broadcasts it)."""

    sources: dict[str, int] = field(default_factory=dict)
    copies: dict[str, int] = field(default_factory=dict)
    # Texts counted above as sources / copies by links outside the call (the incremental copies stage counts over
    # the store: a text of its neighbourhood may be the source of a link to an article it does not examine);
    # with the call's own links, they are the texts a pair's own role is taken off for.
    own_sources: frozenset[str] = frozenset()
    own_copies: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.sources or self.copies)


def outlet_key(article: Article) -> str | None:
    """The outlet an article's role counts for: its outlet, lower-case, without ``www.``."""
    return normal_outlet(article.outlet)


def normal_outlet(outlet: str | None) -> str | None:
    """An outlet name lower-case, without ``www.``; None when empty."""
    o = (outlet or "").strip().lower()
    return (o[4:] if o.startswith("www.") else o) or None


def role_texts(links: Iterable[Link]) -> tuple[set[str], set[str]]:
    """(texts that are sources, texts that are copies) of the merging ``links`` ordered by :data:`ROLE_EVIDENCE`."""
    sources: set[str] = set()
    copies: set[str] = set()
    for l in links:
        if l.source is None or l.relation in NON_MERGING:
            continue
        if (l.evidence.get("direction") or {}).get("decided_by") in ROLE_EVIDENCE:
            sources.add(l.source)
            copies.add(l.article)
    return sources, copies


def role_rows(articles: Mapping[str, Article], links: Iterable[Link]) -> list[tuple[str, str, str, str | None, str | None]]:
    """What the store keeps of ``links`` for the outlet roles (``copy_roles``, copies.stored-roles-v1): ("role",
    source, copy) of the merging links ordered by :data:`ROLE_EVIDENCE` (:func:`role_texts`) and ("unsure", a, b)
    of the merging sibling links left unsure (which :func:`orient_by_outlet_roles` may turn), with both texts'
    outlet keys; sorted, without repeats."""
    out: set[tuple[str, str, str]] = set()
    for l in links:
        if l.relation in NON_MERGING:
            continue
        by = (l.evidence.get("direction") or {}).get("decided_by")
        if l.source is not None and by in ROLE_EVIDENCE:
            out.add(("role", l.source, l.article))
        elif l.source is None and l.sibling is not None and by == "unsure":
            out.add(("unsure", min(l.article, l.sibling), max(l.article, l.sibling)))

    def key(i: str) -> str | None:
        return outlet_key(articles[i]) if i in articles else None

    return [(k, a, b, key(a), key(b)) for k, a, b in sorted(out)]


def role_signature(sources: int, copies: int) -> tuple[str | None, ...]:
    """The roles an outlet with these counts gives its texts, for each way a text's own links may count in them
    (source or not, copy or not): two counts with one signature turn every unsure pair alike."""
    return tuple(_role((max(0, sources - s), max(0, copies - c))) for s in (0, 1) for c in (0, 1))


def count_roles(articles: Mapping[str, Article], sources: Iterable[str], copies: Iterable[str]) -> OutletRoles:
    """Outlet roles from the texts that are sources and copies (see :func:`role_texts`)."""
    roles = OutletRoles()
    for ids, table in ((sources, roles.sources), (copies, roles.copies)):
        for i in ids:
            key = outlet_key(articles[i]) if i in articles else None
            if key:
                table[key] = table.get(key, 0) + 1
    return roles


def learn_outlet_roles(articles: Mapping[str, Article], links: Iterable[Link]) -> OutletRoles:
    """Outlet roles over all classified ``links`` (before reduction; see :class:`OutletRoles`)."""
    sources, copies = role_texts(links)
    return count_roles(articles, sources, copies)


def _role_counts(roles: OutletRoles, article: Article, own: tuple[set[str], set[str]]) -> tuple[int, int]:
    """(other texts that are sources, other texts that are copies) of ``article``'s outlet: ``article``
    itself is not counted (``own``: the texts of ``core`` that are sources / copies, :func:`role_texts`)."""
    key = outlet_key(article)
    if not key:
        return 0, 0
    return (max(0, roles.sources.get(key, 0) - (article.id in own[0])),
            max(0, roles.copies.get(key, 0) - (article.id in own[1])))


def _role(counts: tuple[int, int]) -> str | None:
    n_src, n_copy = counts
    if n_src >= OUTLET_ROLE_MIN_TEXTS and not n_copy:
        return "originator"
    if n_copy >= OUTLET_ROLE_MIN_TEXTS and not n_src:
        return "republisher"
    return None


def orient_by_outlet_roles(articles: Mapping[str, Article], core: Sequence[Link], roles: OutletRoles) -> list[Link]:
    """Unsure sibling links turned by outlet roles (``outlet_role``): the text of an originator outlet is
    the source when the other's outlet is not one too; else the text of a republisher outlet is the copy
    when the other's is not one too. The pair's own two texts never count for the roles; two texts of
    one outlet are not ordered, nor a pair whose own notes lean the other way (:func:`leans_against`).
    Other links are returned unchanged; input order does not matter."""
    out: list[Link] = []
    turned: set[frozenset[str]] = set()
    decided: dict[frozenset[str], tuple[str, str, str]] = {}
    own = role_texts(core)
    own = (own[0] | roles.own_sources, own[1] | roles.own_copies)
    for l in core:
        if l.source is not None or l.sibling is None \
                or (l.evidence.get("direction") or {}).get("decided_by") != "unsure":
            continue
        a, b = articles.get(l.article), articles.get(l.sibling)
        key = frozenset((l.article, l.sibling))
        if a is None or b is None or key in decided or outlet_key(a) == outlet_key(b):
            continue
        ca, cb = _role_counts(roles, a, own), _role_counts(roles, b, own)
        ra, rb = _role(ca), _role(cb)
        if (ra == "originator") != (rb == "originator"):
            src, copy_ = (a, b) if ra == "originator" else (b, a)
            why = (f"outlet {outlet_key(src)} is an originator over the corpus: other texts of it are "
                   "sources of copies and none copies")
        elif (ra == "republisher") != (rb == "republisher"):
            src, copy_ = (b, a) if ra == "republisher" else (a, b)
            why = (f"outlet {outlet_key(copy_)} is a republisher over the corpus: other texts of it "
                   "copy and none is a source")
        else:
            continue
        if leans_against(l, src.id):
            continue
        decided[key] = (src.id, copy_.id, why)
    for l in sorted(core, key=lambda l: (l.article, other_end(l) or "", l.relation)):
        key = frozenset((l.article, other_end(l) or ""))
        if l.source is not None or key not in decided:
            out.append(l)
            continue
        if key in turned:
            continue   # the mirror of the link turned around
        turned.add(key)
        src_id, copy_id, why = decided[key]
        d = dict(l.evidence.get("direction") or {})
        d["reasons"] = [*d.get("reasons", []), f"{why}: {copy_id} is taken as the copy of {src_id}"]
        d["decided_by"] = "outlet_role"
        d["confidence"] = CONFIDENCE["outlet_role"]
        ev = {k: v for k, v in l.evidence.items() if k != "sibling_relation"} | {"direction": d}
        out.append(dataclasses.replace(l, article=copy_id, source=src_id, sibling=None, evidence=ev,
                                       relation=str(l.evidence.get("pair_relation", l.relation))))
    return out


def reduce_excerpts(links: Iterable[Link], root_of: Mapping[str, str],
                    origin_of: Mapping[str, str | None]) -> list[Link]:
    """The excerpt half of :func:`reduce_links`: one link per (excerpting article, quoted family).

    ``links`` may hold any links (non-excerpt ones and sibling excerpts are ignored);
    ``root_of``/``origin_of`` come from :func:`reduce_core` over the whole corpus (the Spark job
    passes just the entries of the quoted families).
    """
    excerpts: dict[tuple[str, str], list[Link]] = {}
    for l in links:
        if l.relation in NON_MERGING and l.source is not None:
            excerpts.setdefault((l.article, root_of[l.source]), []).append(l)
    kept = []
    for (_, root), group in sorted(excerpts.items()):
        kept.append(pick_excerpt(group, origin_of[root]))
    return kept


def pick_excerpt(group: Sequence[Link], origin: str | None) -> Link:
    """Of the excerpt links from one article into one family, the one to keep (see :func:`reduce_links`)."""
    ordered = sorted(group, key=lambda l: (l.source != origin, -l.score, l.source or ""))
    return _with_also(ordered[0], ordered[1:])


def _with_also(link: Link, dropped: Sequence[Link]) -> Link:
    if not dropped:
        return link
    also = [{"id": other_end(d), "relation": d.relation, "score": d.score} for d in dropped]
    return dataclasses.replace(link, evidence={**link.evidence, "also_matches": also, "reduced_by": REDUCE_ALGORITHM})
