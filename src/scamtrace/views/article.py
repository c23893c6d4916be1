"""The article view: one article with its copy links, family, story, spin evidence, judgements and
the spans the extract stage found in it (each figure with the story fact it was merged into)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from ..clean.metadata import language_note
from ..copies.spin import SPUN_ARTICLE_THRESHOLD
from ..copies.view import suspicious_phrases
from ..knowledge.merge import same_value
from ..model import (Article, ArticleBrief, ArticleSpans, CitedFact, FactRef, FamilyMemberRow, FigureSpan,
                     JudgementRow, Link, NameCount, SpinRow)
from ..store import Store, queries

F = TypeVar("F", bound=Mapping[str, Any])


@dataclass(slots=True)
class ArticleView:
    """One article. ``as_copy`` holds each link by which it copies another article, with that article;
    ``copied_by`` the articles copying it; ``spans`` the extraction rows by table (``figures`` rows
    carry ``fact``: the story fact they were merged into, or None). ``spin`` is None when the
    article has no spinner score."""

    article: Article
    analyzed_at: str | None
    language_note: str | None
    spin: dict[str, Any] | None
    family: str | None
    family_members: list[FamilyMemberRow]
    story: str | None
    story_title: str | None
    story_title_source: str | None   # "headline", "stories.name-v1" (a derived name) or None
    as_copy: list[tuple[Link, Article]]
    copied_by: list[dict[str, Any]]
    judgements: list[JudgementRow]
    actors: list[NameCount]
    spans: ArticleSpans


def article_view(store: Store, article_id: str) -> ArticleView:
    """One article (raises NotFound for an unknown id)."""
    art = store.get_article(article_id)
    stored_spin = queries.spin_of(store, article_id)
    spin = None
    if stored_spin:
        ev = stored_spin["evidence"]
        spin = {"score": round(stored_spin["score"], 3), "algorithm": stored_spin["algorithm"],
                "looks_spun": stored_spin["score"] >= SPUN_ARTICLE_THRESHOLD, "threshold": SPUN_ARTICLE_THRESHOLD,
                "phrases": ev.get("phrases") or [], "collocations": ev.get("collocations") or [],
                "listed": suspicious_phrases(ev.get("phrases") or [])}
    links = [ln for ln in store.links(article_id) if ln.source is not None or ln.article == article_id]
    as_copy = [(ln, store.get_article(ln.source or ln.sibling or "")) for ln in links if ln.article == article_id]
    others = queries.article_briefs(store, {ln.article for ln in links if ln.article != article_id})
    copied_by = [{"id": ln.article, "relation": ln.relation, "score": round(ln.score, 4),
                  **_brief_of(others.get(ln.article)), "judgement": ln.evidence.get("judgement")}
                 for ln in links if ln.article != article_id]
    fam = store.family_of(article_id)
    story = store.story_of(article_id)
    story_title, story_title_source = queries.story_title(store, story) if story else (None, None)
    spans = queries.article_spans(store, article_id)
    if spans["figures"]:
        facts = queries.facts_cited_by(store, article_id)
        spans["figures"] = [FigureSpan(**fig, fact=_public_fact(_fact_of(fig, facts))) for fig in spans["figures"]]
    return ArticleView(
        article=art, analyzed_at=queries.analyzed_at(store, article_id), language_note=language_note(art.language),
        spin=spin, family=fam, family_members=queries.family_members(store, fam) if fam else [], story=story,
        story_title=story_title, story_title_source=story_title_source, as_copy=as_copy, copied_by=copied_by,
        judgements=queries.judgements_naming(store, "copy", article_id), actors=queries.names_in_article(store, article_id),
        spans=spans)


def _brief_of(b: ArticleBrief | None) -> dict[str, str | None]:
    """Title, outlet and date of a copying article (None each when it is not stored)."""
    return {"title": b["title"], "outlet": b["outlet"], "published": b["published"]} if b else \
        {"title": None, "outlet": None, "published": None}


def _fact_of(fig: FigureSpan, facts: list[CitedFact]) -> CitedFact | None:
    """The fact a figure was merged into: same citing sentence, then :func:`fact_for_figure`."""
    return fact_for_figure(fig, [f for f in facts if f["sentence"] == fig["sentence"]])


def fact_for_figure(fig: Mapping[str, Any], facts: Sequence[F]) -> F | None:
    """Of the facts cited by the sentence stating ``fig``, the one it was merged into: the same unit and
    value (the merge's tolerance); the same ``what`` breaks ties. A sentence may state several figures
    (\"$73.6 million ... $59.8 million\"), each its own fact."""
    hits = [f for f in facts if f["unit"] == fig["unit"] and same_value(float(f["value"]), float(fig["value"]))]
    hits.sort(key=lambda f: f["what"] != fig["what"])
    return hits[0] if hits else None


def _public_fact(f: CitedFact | None) -> FactRef | None:
    if f is None:
        return None
    return FactRef(id=f["id"], value=f["value"], unit=f["unit"], what=f["what"], date=f["date"],
                   articles=f["articles"], independent_sources=f["independent_sources"],
                   conflict_group=f["conflict_group"], role=f["role"], disputes=f["disputes"], rivals=f["rivals"])


@dataclass(slots=True)
class CopiesView:
    """One article's copy links for the side-by-side view (``scamtrace copies ID``): each link
    touching it (a sibling pair once, from this article's side) with the article at its other end;
    its family and spinner score (``spin``: score and evidence, or None)."""

    article: Article
    family: str | None
    spin: SpinRow | None
    links: list[tuple[Link, Article]]


def copies_view(store: Store, article_id: str) -> CopiesView:
    """The copy links of one article (raises NotFound for an unknown id)."""
    this = store.get_article(article_id)
    # a sibling pair is stored both ways; show the side that starts from this article
    links = [ln for ln in store.links(article_id) if ln.source is not None or ln.article == article_id]
    others = [(ln, store.get_article((ln.source or ln.sibling if ln.article == article_id else ln.article) or ""))
              for ln in links]
    return CopiesView(article=this, family=store.family_of(article_id), spin=queries.spin_of(store, article_id),
                      links=others)

