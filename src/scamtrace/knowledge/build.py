"""The knowledge stage over a store: resolve actor aliases across articles, then merge each story's
figures and events into cited facts, counting independent sources (families) and crediting a
borrowed passage to its lender.

Incremental (``knowledge.incremental-v1``): given the articles whose records, family or links
changed since the last run (``dirty``) and the stories whose articles changed, only the facts of
those stories and of the stories holding a dirty article are merged again, and only the actors
whose names' mention counts changed since the last run (``knowledge.actors-incremental-v3``: closed
over the names the rules can join within their blocks, read by folded length, and the stored actors,
:func:`~scamtrace.knowledge.actors.names_to_resolve`; the store keeps the counts, the queue of changed
names and each name's block, :mod:`scamtrace.store.caches`, so no run reads every name). A story's
facts depend only on its members' figures and events, their families, outlets and borrowed passages,
which change only for dirty articles, so the result is the one a run over the whole store gives (a
test compares them).
"""
from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from ..extract.events import merge_events
from ..extract.story_dates import resolve_story_dates
from ..store import Store
from ..store.analysis import (fact_alias_ids_of_stories, fact_citation_keys, fact_values, family_of_articles,
                              members_of_stories, mention_counts, outlet_of_articles,
                              published_days, story_of_articles)
from ..store.caches import (actor_alias_groups, block_mention_counts, changed_actor_names, clear_changed_actor_names,
                            defined_acronyms, name_blocks_missing, name_mention_counts, put_name_blocks, recount_mentions,
                            unblocked_names)
from ..store.extracted import load_events, load_figures, replace_actors, replace_knowledge
from ..stories.ids import carry_fact_ids
from ..extract.places import country_code, country_forms
from .actors import (PLACE_LABELS, block_joins, block_key, folded_name, join_sizes, labels_of, names_to_resolve,
                     resolve_actor_counts)
from .independence import Borrowed
from .merge import merge_figures

INCREMENTAL_ALGORITHM = "knowledge.incremental-v1"
#: Up to this many articles, their borrowed passages are read by following their links (under
#: Borrowed.from_store's own cap of 10,000 articles visited); above it, every cross-family link is read.
BORROWED_FOLLOW = 2_000


def build_knowledge(store: Store, dirty: Collection[str] | None = None,
                    changed_stories: Collection[str] = ()) -> None:
    """Resolve actor aliases across articles; merge figures and events per story into cited facts,
    counting independent sources (families). With ``dirty`` (article ids), only what those articles
    and ``changed_stories`` can change is redone (see the module doc); without it, everything."""
    update_actors(store, dirty)
    if dirty is None:
        story_of = story_of_articles(store)
        stories: set[str] | None = None
        members: list[str] | None = None
    else:   # the stories of the dirty articles and their members are read, not every membership
        stories = set(changed_stories) | set(story_of_articles(store, dirty).values())
        if not stories:
            return
        story_of = members_of_stories(store, stories)
        members = sorted(story_of)
    # the families and outlets of the merged stories' articles (merge_figures and merge_events ask for no other)
    fam_of = family_of_articles(store, members)
    outlet_of = outlet_of_articles(store, members)
    # the passages of a few stories' articles are followed from them; of many, read all at once
    borrowed = Borrowed.from_store(store, members if members is not None and len(members) <= BORROWED_FOLLOW else None)

    def credit_figure(aid: str, fig: object) -> Any:
        return _borrowed_credit(borrowed, aid, getattr(fig, "start", None), getattr(fig, "end", None))

    def credit_event(ev: object) -> Any:
        return _borrowed_credit(borrowed, getattr(ev, "article_id", None) or "", getattr(ev, "trigger_start", None),
                                getattr(ev, "trigger_end", None))

    figs: dict[str, list] = {}
    for aid, fig in load_figures(store, members):
        if aid in story_of:
            figs.setdefault(story_of[aid], []).append((aid, fig))
    events: dict[str, list] = {}
    for e in load_events(store, members):
        if e.article_id in story_of:
            events.setdefault(story_of[e.article_id], []).append(e)

    # a yearless date of an undated member is placed by the story's dated members (extract.story-dates-v1)
    days = published_days(store, story_of)
    story_days: dict[str, list] = {}
    for aid, sid in story_of.items():
        story_days.setdefault(sid, []).append(days.get(aid))
    events = {sid: resolve_story_dates(evs, story_days.get(sid, ())) for sid, evs in events.items()}

    facts = {sid: merge_figures(items, fam_of, credit_figure, outlet_of) for sid, items in figs.items()}
    # the ids and values of the rebuilt stories' facts: a fact id is its story's id + a number, so
    # another story's facts neither take a number nor break a tie here
    values = fact_values(store, stories)
    # (a retired fact id takes a number only from its own story: the rebuilt stories' aliases are read)
    retired = store.alias_ids("fact") if stories is None else fact_alias_ids_of_stories(store, stories)
    ids, aliases = carry_fact_ids(facts, fact_citation_keys(store, stories), retired | set(values), values)
    with store.write():   # one transaction: the facts written and the aliases they retire
        written = replace_knowledge(store, facts, {sid: merge_events(evs, fam_of, credit_event)
                                                   for sid, evs in events.items()}, fact_ids=ids, stories=stories)
        # incrementally, only the facts written now can have become live under an alias's id
        store.put_aliases("fact", aliases, made_live=None if stories is None else written)


def update_actors(store: Store, dirty: Collection[str] | None = None) -> None:
    """Resolve the actors again: all of them, or (``dirty`` given) those that the names whose counts
    changed since the last run (the store's queue, :func:`~scamtrace.store.caches.changed_actor_names`)
    and the names of the alias judgements can change (:func:`~scamtrace.knowledge.actors.names_to_resolve`).
    A re-examined article whose mentions were not written again leaves its names' counts, and so their
    actors, as they were."""
    judgements = store.judgements(kind="alias")
    if dirty is None:
        replace_actors(store, resolve_actor_counts(mention_counts(store), judgements, defined_acronyms(store)))
        recount_mentions(store, block_key)   # the counts, blocks and queue the incremental runs read
        return
    # the names whose counts changed (the queue: every mention written, deleted or renamed since the actors
    # were resolved, so also those of the articles this run extracted again) and the judged names; the other
    # names of the re-examined articles kept their counts, so their actors stand (actors-incremental-v3:
    # v2 also resolved every name those articles mention)
    seed = changed_actor_names(store) | {x for a, b, _ in judgements for x in (a, b)}
    missing = name_blocks_missing(store) or unblocked_names(store, seed)   # (every name: once, after the upgrade)
    put_name_blocks(store, [(n, *block_key(n)) for n in missing])
    lookup = _ActorLookup(store)
    names = names_to_resolve(seed, lookup.neighbours, judgements)
    if names:
        replace_actors(store, resolve_actor_counts(name_mention_counts(store, names),
                                                   [j for j in judgements if j[0] in names or j[1] in names],
                                                   defined_acronyms(store, names)),
                       of=names)
    clear_changed_actor_names(store)


class _ActorLookup:
    """The joins and stored actors :func:`names_to_resolve` walks, read from the store a set of names
    at a time (``knowledge.actors-incremental-v3``: of a name's block, only the names of the folded
    lengths the rules can join to it, :func:`join_sizes`; each (prefix, length) once). A name's label is
    voted over its folded form (``knowledge.actors-v3``), whose names all share its (prefix, length):
    that is read first, so the label is the one a run over every name gives."""

    def __init__(self, store: Store) -> None:
        self.store = store
        # (label, prefix) -> {folded length: (its names read so far, their folded forms)}
        self.blocks: dict[tuple[str, str], dict[int, tuple[list[str], list[str]]]] = {}
        self.read: set[tuple[str, int]] = set()              # (prefix, folded length) read
        self.label: dict[str, str] = {}                      # name -> its label, for the names read

    def _read(self, keys: set[tuple[str, int]]) -> None:
        todo = keys - self.read
        if todo:
            self.read |= todo
            for n, lab in labels_of(block_mention_counts(self.store, todo)).items():
                prefix, size = block_key(n)
                names, folded = self.blocks.setdefault((lab, prefix), {}).setdefault(size, ([], []))
                names.append(n)
                folded.append(folded_name(n))
                self.label[n] = lab

    def _block(self, label: str, prefix: str, sizes: Iterable[int] | None = None) -> tuple[list[str], list[str]]:
        """The names read of block (``label``, ``prefix``) and their folded forms: of the folded lengths
        ``sizes``, or all."""
        block = self.blocks.get((label, prefix), {})
        names: list[str] = []
        folded: list[str] = []
        for size in block if sizes is None else sizes:
            if size in block:
                names += block[size][0]
                folded += block[size][1]
        return names, folded

    def neighbours(self, names: set[str]) -> set[str]:
        keys = {n: block_key(n) for n in names}
        self._read(set(keys.values()))   # each name's own (prefix, length): its folded form's names
        label = {n: self.label[n] for n in names if n in self.label}   # (names with mentions)
        sizes = {n: join_sizes(keys[n][1], lab) for n, lab in label.items()}
        self._read({(keys[n][0], size) for n in label for size in sizes[n]})
        # a block's names of other lengths (read for another name) join none of these: the rule says no, so
        # only those of the lengths that can join are compared
        out = {m for n, lab in label.items() for m in block_joins(n, lab, *self._block(lab, keys[n][0], sizes[n]))}
        out |= self._same_country({n: lab for n, lab in label.items() if lab in PLACE_LABELS})
        out.update(x for pair in defined_acronyms(self.store, names) for x in pair)   # v4: acronym <-> long name
        for aliases in actor_alias_groups(self.store, names).values():
            out.update(aliases)
        return out


    def _same_country(self, places: dict[str, str]) -> set[str]:
        """The place names of the store naming the same country as one of ``places`` (``knowledge.actors-v4``
        joins them across blocks): the names of each of the country's folded forms are read."""
        codes = {c for c in map(country_code, places) if c is not None}
        keys = {block_key(f) for c in codes for f in country_forms(c)}
        self._read(keys)
        return {m for prefix in {p for p, _ in keys} for lab in PLACE_LABELS for m in self._block(lab, prefix)[0]
                if country_code(m) in codes}


def _borrowed_credit(borrowed: Borrowed, article: str, start: Any, end: Any) -> Any:
    """The lender's credit when ``article[start:end]`` lies in a borrowed passage, else None."""
    cr = borrowed.credit(article, start, end)
    return cr if cr.borrowed_from else None
