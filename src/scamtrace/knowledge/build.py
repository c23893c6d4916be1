"""The knowledge stage over a store: resolve actor aliases across articles, then merge each story's
figures and events into cited facts, counting independent sources (families) and crediting a
borrowed passage to its lender."""
from __future__ import annotations

from typing import Any

from ..extract.events import merge_events
from ..store import Store
from ..store.analysis import (fact_citation_keys, family_of_articles, mention_names, outlet_of_articles,
                              story_of_articles)
from ..store.extracted import load_events, load_figures, replace_actors, replace_knowledge
from ..stories.ids import carry_fact_ids
from .actors import resolve_actors
from .independence import Borrowed
from .merge import merge_figures


def build_knowledge(store: Store) -> None:
    """Resolve actor aliases across articles; merge figures and events per story into cited facts,
    counting independent sources (families)."""
    replace_actors(store, resolve_actors(mention_names(store), store.judgements(kind="alias")))

    fam_of = family_of_articles(store)
    story_of = story_of_articles(store)
    outlet_of = outlet_of_articles(store)
    borrowed = Borrowed.from_store(store)

    def credit_figure(aid: str, fig: object) -> Any:
        return _borrowed_credit(borrowed, aid, getattr(fig, "start", None), getattr(fig, "end", None))

    def credit_event(ev: object) -> Any:
        return _borrowed_credit(borrowed, getattr(ev, "article_id", None) or "", getattr(ev, "trigger_start", None),
                                getattr(ev, "trigger_end", None))

    figs: dict[str, list] = {}
    for aid, fig in load_figures(store):
        if aid in story_of:
            figs.setdefault(story_of[aid], []).append((aid, fig))
    events: dict[str, list] = {}
    for e in load_events(store):
        if e.article_id in story_of:
            events.setdefault(story_of[e.article_id], []).append(e)

    facts = {sid: merge_figures(items, fam_of, credit_figure, outlet_of) for sid, items in figs.items()}
    fact_ids, aliases = carry_fact_ids(facts, fact_citation_keys(store), store.alias_ids("fact"))
    replace_knowledge(store, facts, {sid: merge_events(evs, fam_of, credit_event) for sid, evs in events.items()},
                      fact_ids=fact_ids)
    store.put_aliases("fact", aliases)


def _borrowed_credit(borrowed: Borrowed, article: str, start: Any, end: Any) -> Any:
    """The lender's credit when ``article[start:end]`` lies in a borrowed passage, else None."""
    cr = borrowed.credit(article, start, end)
    return cr if cr.borrowed_from else None
