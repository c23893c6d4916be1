"""The copies stage over a store, incrementally: only articles not yet analysed (new, re-cleaned, or
named in a new judgement) and the copy families they touch are examined again.

:class:`IncrementalCopies` runs the steps in order (the pipeline times each one):

1. :meth:`~IncrementalCopies.update_index`: sign what is new and add it to the stored candidate
   index (``copy_signatures`` and its postings, :mod:`.stored_index`: the candidates of the
   articles asked about are read from the store's postings, not from every stored signature); a
   batch large against the store is indexed in memory instead (every stored signature read), which
   gives the same candidates faster there;
2. :meth:`~IncrementalCopies.find_neighbourhood`: the new articles, their candidates and judged
   partners, and the old pairs whose candidacy the batch changed (``copies.incremental-v2``,
   :mod:`.candidacy`: a pair of two old articles that a hash crossing its document-frequency cap made a
   candidate, or no longer one: a link of such a pair that one run would not propose is dropped), closed
   over families and stored links (:func:`close_neighbourhood`), so every link that will be replaced is
   recomputed from whole components; the candidate pairs inside it;
3. :meth:`~IncrementalCopies.score_spin`: spin scores of the neighbourhood with the corpus-wide
   collocation model;
4. :meth:`~IncrementalCopies.classify`: classify the pairs, replace the neighbourhood's links; a pair
   whose decision is remembered under the same inputs (:mod:`.memo`, ``copy_pair_memo``: both records,
   both spin scores, the word-pair frequencies it read, the code) is not classified again;
5. :meth:`~IncrementalCopies.rebuild_families`: the neighbourhood's families, from its links;
6. :meth:`~IncrementalCopies.save_index`: write the signature rows of the articles signed now
   (``copy_signatures``, one row per article: the index is updated, never rewritten whole) when
   they were indexed in memory, and bring the postings up to date.

The cross-language channel (:func:`~.crosslang.crosslang_pairs`) is asked about the organisations of
the new articles and about the neighbourhood only: its pairs are decided pair by pair, so those are
exactly the pairs of the whole store that the run uses.

With ``full`` every article is examined and the index is rebuilt. The copy algorithms themselves
live in :mod:`~scamtrace.copies.engine`, :mod:`~scamtrace.copies.index` and friends.
"""
from __future__ import annotations

import logging
from functools import partial
from collections.abc import Callable, Iterator, Mapping, Sequence

from ..model import Article, Family, Link
from ..store import Store
from ..store.caches import collocation_dfs, collocation_docs
from ..store.analysis import (copy_neighbours, copy_role_counts, copy_role_texts, copy_roles_complete, count_links,
                              family_members_of, pair_memo_rows, put_pair_memo, replace_copy_roles, unsure_role_ends)
from .candidacy import (Before, MemoryBefore, StoredBefore, candidacy_changes, holder_count, holders_of_crossings,
                        lost_ends)
from .crosslang import crosslang_pairs, organisation
from .engine import classify_prepared, find_copies
from .families import (OutletRoles, build_families, learn_outlet_roles, other_end, outlet_key, role_rows,
                       role_signature)
from .features import Prepared
from .index import CandidateIndex
from .memo import PairMemo
from .signatures import SIGNATURES_ALGORITHM
from .stored_index import StoredCandidates, reset_postings, sync_postings
from .collocations import stored_model, update_collocations
from .spin import COLLOCATION_MIN_DOCS, SPIN_ALGORITHM, CollocationModel, forget_text_pairs, spin_score

log = logging.getLogger(__name__)

#: An incremental run indexes its articles in memory with every stored signature (instead of asking
#: the store's postings, :mod:`.stored_index`) when it signs more than this share of the stored rows:
#: both give the same candidates; the stored postings are read per hash, which costs more than one
#: vectorised pass when the batch is a large part of the store (bench/bench_incremental.py: a
#: 5,000-article base store built in one batch).
STORED_INDEX_MAX_SHARE = 0.25
#: ... and when the store holds fewer signature rows than this: bench/bench_stored_index.py
#: (update_index + find_neighbourhood + save_index, 100 new synthetic articles, CPU s, the stored
#: postings against every signature in memory): 0.52-0.57 against 0.35-0.40 at 5,000, 0.67-0.91
#: against 0.70-0.80 at 10,000, 1.86-1.97 against 2.64-3.74 at 50,000 (the lines cross near
#: 11,000; in bench/bench_incremental.py at 10,000 the stored path's index and candidates stages
#: took 0.72-0.96 CPU s against 0.42-0.62). The postings are kept up to date at every size, so a
#: store that grows past this needs no catching up.
STORED_INDEX_MIN_ROWS = 15_000
#: The outlet roles counted over the store's classified links (``copy_roles``; see :class:`_StoredRoles`).
ROLES_ALGORITHM = "copies.stored-roles-v1"

Progress = Callable[[str, int, "int | None"], None]


def _no_progress(label: str, done: int, total: int | None) -> None:
    return None


class IncrementalCopies:
    """One incremental copies run over ``store`` (see the module doc for the steps)."""

    def __init__(self, store: Store, *, full: bool = False, progress: Progress = _no_progress):
        self.store = store
        self.full = full
        self.progress = progress
        self.meta: dict[str, Article] = store.article_meta()
        self.new_ids: list[str] = sorted(self.meta) if full else store.unanalyzed_ids()
        self.index: CandidateIndex | StoredCandidates = CandidateIndex()
        self.touched: set[str] = set()
        self.pairs: set[tuple[str, str]] = set()
        self.spin_model: CollocationModel | None = None
        self.families: list[Family] = []
        self.links = 0
        self._signed: list[str] = []
        self.refamilied: set[str] = set()   # articles whose family's members the run changed
        self.spun_before: set[str] = set()   # articles of the neighbourhood spun before :meth:`classify` (:meth:`_within`)
        self._replace_index = False
        self._stored = False   # the index is the store's postings (StoredCandidates)
        self._cands: dict[str, list[tuple[str, str, float]]] = {}   # candidates asked for by this run (_candidates)
        self.remembered = 0   # pairs whose remembered decision :meth:`classify` used (copies.pair-memo-v2)
        self._before = Before()   # old articles a crossing hash reaches, their candidates before (copies.incremental-v2)
        self.dropped: set[tuple[str, str]] = set()   # old linked pairs the batch took out of the candidates
        self.gained: set[tuple[str, str]] = set()    # old pairs the batch may have made candidates

    def update_index(self) -> None:
        """Load the stored candidate index (unless ``full``) and sign the articles it lacks: new or
        re-examined ones, and any stored article without a signature row (a store written before
        ``copy_signatures``)."""
        if not self.full and self._update_stored_index():
            return
        idx = None
        if not self.full:
            try:
                idx = CandidateIndex.from_signature_rows(
                    (aid, sig) for aid, sig in self.store.copy_signature_rows(SIGNATURES_ALGORITHM) if aid in self.meta)
            except ValueError as e:
                log.warning("rebuilding the copy index: %s", e)
        if idx is None:
            idx = CandidateIndex()
            todo = sorted(self.meta)
            self._replace_index = True
            self._sign(idx, todo)
        else:
            new = set(self.new_ids)
            todo = [i for i in sorted(self.meta) if i in new or i not in idx]
            self._add_batch(idx, todo)
        self.index = idx
        self._signed = todo

    def _add_batch(self, idx: CandidateIndex, todo: list[str]) -> None:
        """Sign ``todo`` and add it to ``idx`` (the stored signatures), first reading in ``idx`` the old articles
        holding a hash whose usability the batch changes, and their candidates (``copies.incremental-v2``)."""
        fresh = CandidateIndex()
        self._sign(fresh, todo)
        rows = list(fresh.signature_rows(todo))
        if rows and len(idx):
            self._before = holders_of_crossings(MemoryBefore(idx), rows, set(todo))
        idx.add_signature_rows(rows)

    def _sign(self, idx: CandidateIndex, todo: list[str]) -> None:
        """Add the texts of ``todo`` to ``idx``, showing progress."""
        def texts() -> Iterator[tuple[str, str]]:
            for n, art in enumerate(self.store.iter_articles(todo), 1):
                self.progress("index", n, len(todo))
                yield art.id, art.text

        idx.add_many(texts())

    def _update_stored_index(self) -> bool:
        """Sign the new articles and those without a signature row into the store, and query the
        store's postings (:class:`.stored_index.StoredCandidates`); False (nothing written) when the
        postings cannot be brought up to date or the batch is large against the store."""
        store = self.store
        try:
            sync_postings(store)
        except ValueError as e:
            log.warning("rebuilding the copy index: %s", e)
            return False
        unsigned = set(store.unsigned_article_ids(SIGNATURES_ALGORITHM))
        todo = sorted(a for a in set(self.new_ids) | unsigned if a in self.meta)
        signed = len(self.meta) - len(unsigned)
        if signed < STORED_INDEX_MIN_ROWS or len(todo) > STORED_INDEX_MAX_SHARE * signed:
            return False
        idx = CandidateIndex()
        self._sign(idx, todo)
        rows = list(idx.signature_rows(todo))
        before = StoredBefore(store)
        self._before = holders_of_crossings(before, rows, set(todo))
        # rows written in sorted order, after every stored row: the order the in-memory index numbers them
        store.put_copy_signatures(rows, SIGNATURES_ALGORITHM)
        sync_postings(store)
        # the run's queries read what the holders' query read, less what the write changed
        self.index = StoredCandidates(store, reads=before.written(set(todo), rows))
        self._signed = []
        self._stored = True
        return True

    def find_neighbourhood(self) -> int:
        """The articles to examine again and the candidate pairs among them; returns the pair count."""
        new_ids, store = self.new_ids, self.store
        new_cands = self._candidates(new_ids)
        judgements = store.judgements()
        touched = set(new_ids) | {o for cands in new_cands.values() for o, _, _ in cands}
        # translations: the cross-language channel (same organisation, other language), not in the index
        touched |= {x for p in self._crosslang_new(new_ids) for x in p}
        touched |= {x for a, b, _ in judgements if a in touched or b in touched for x in (a, b)}
        touched |= self._recheck()
        touched = close_neighbourhood(store, touched)
        if self._model_switches():   # every spin score and usage vote of the store changes
            touched = set(self.meta)
        self.touched = touched
        self.pairs, self.spun_before = self._within(touched)
        return len(self.pairs)

    def _recheck(self) -> set[str]:
        """The ends of the old pairs whose candidacy the batch changed (``copies.incremental-v2``): pairs a
        holder of a crossing hash proposes now and did not before (``gained``: classified, as one run does), and
        linked pairs that neither end proposes now (``dropped``: their stored link is not classified again, so
        it goes unless the run makes it again, as one run would: a judgement, a family member compared with its
        origin, the cross-language channel). A lost pair without a link leaves nothing in the store."""
        before = self._before
        if not before.holders:
            return set()
        after = {name: self.index.candidates_many(ids, (name,)) for name, ids in before.holders.items()}
        lost, self.gained = candidacy_changes(before, after, self._candidates(lost_ends(before, after)))
        ends = sorted({x for p in lost for x in p})
        linked = {(min(ln.article, o), max(ln.article, o)) for ln in self.store.links_touching(ends)
                  if (o := other_end(ln))}
        self.dropped = lost & linked
        return {x for p in self.dropped | self.gained for x in p}

    def _within(self, touched: set[str]) -> tuple[set[tuple[str, str]], set[str]]:
        """(the pairs to classify among ``touched``: candidates, cross-language pairs and stored links; the
        articles of ``touched`` a stored link calls spun: the family wording pass rewrote their records from
        their family as it was, so the extract stage extracts them again after :meth:`classify`)."""
        if not touched:
            return set(), set()
        pairs = {(min(x, o), max(x, o)) for x, cands in self._candidates(sorted(touched)).items()
                 for o, _, _ in cands if o in touched}
        pairs |= crosslang_pairs((a.id, a.outlet, a.language) for a in (self.meta.get(x) for x in sorted(touched))
                                 if a is not None)
        spun: set[str] = set()
        for ln in self.store.links_touching(sorted(touched)):
            o = other_end(ln)
            if o and ln.article in touched and (pair := (min(ln.article, o), max(ln.article, o))) not in self.dropped:
                pairs.add(pair)
            if ln.relation == "spun" and ln.article in touched:
                spun.add(ln.article)
        return pairs, spun

    def _candidates(self, ids: list[str]) -> dict[str, list[tuple[str, str, float]]]:
        """The index's candidates of ``ids``, each article asked about once per run (the new articles' are
        asked for first, then again as members of the neighbourhood, and :meth:`_grow` asks again): an
        article's candidates do not depend on the other articles of a query (the in-memory index's
        :meth:`~.index.CandidateIndex.candidates_many` and the stored postings' give the same lists either
        way), and the index does not change between :meth:`update_index` and :meth:`save_index`."""
        todo = [a for a in ids if a not in self._cands]
        if todo:
            self._cands.update(self.index.candidates_many(todo))
        return {a: self._cands[a] for a in ids}

    def _model_switches(self) -> bool:
        """Does this run turn the corpus collocation model on or off? It is used from
        :data:`~.spin.COLLOCATION_MIN_DOCS` counted texts on (spin scores, usage votes of the direction), so the
        run that takes a store across that size examines every article, as a full run over it would: the links
        classified before it, without the model, would otherwise keep what the model now changes (a two-batch
        run of a tiny corpus differed from one run in links and families). Happens once per store, while small."""
        if self.full:
            return False
        return (collocation_docs(self.store) >= COLLOCATION_MIN_DOCS) != (len(self.meta) >= COLLOCATION_MIN_DOCS)

    def _crosslang_new(self, new_ids: list[str]) -> set[tuple[str, str]]:
        """The cross-language pairs (:func:`~.crosslang.crosslang_pairs`) touching ``new_ids``: each
        new article is paired with the articles of its organisation's outlets in another language,
        which are read from the store (not every article)."""
        by_org: dict[str, list[Article]] = {}
        for aid in new_ids:
            a = self.meta.get(aid)
            org = organisation(a.outlet) if a is not None else None
            if a is not None and org and a.language:
                by_org.setdefault(org, []).append(a)
        if not by_org:
            return set()
        outlets: dict[str, list[str]] = {}
        for name in self.store.outlet_names():   # outlets are few
            org = organisation(name)
            if org in by_org:
                outlets.setdefault(org, []).append(name)
        items: dict[str, tuple[str, str | None, str | None]] = {}
        for org, arts in by_org.items():
            langs = {a.language for a in arts}
            one = next(iter(langs)) if len(langs) == 1 else None   # then only other languages can pair
            for row in self.store.outlet_articles(outlets.get(org, []), other_than=one):
                items[row[0]] = row
            for a in arts:
                items[a.id] = (a.id, a.outlet, a.language)
        new_set = set(new_ids)
        return {p for p in crosslang_pairs(items.values()) if p[0] in new_set or p[1] in new_set}

    def score_spin(self) -> None:
        """Spin scores of the neighbourhood, with the corpus-wide collocation model: its stored counts
        are first brought up to the store's texts (:mod:`.collocations`: the texts that arrived are
        counted, not every text)."""
        store = self.store
        self._arts = list(store.iter_articles(sorted(self.touched)))
        texts = {a.id: a.text for a in self._arts}
        written: dict[tuple[str, str], int] = {}
        update_collocations(store, texts, full=self.full, written=written,
                            progress=lambda done, total: self.progress("collocations", done, total))
        self.spin_model = stored_model(store, written)   # the counts just written are not read again
        self.spins: dict[str, float] = {}
        self._score(sorted(set(self.new_ids) | self.touched), texts)

    def _score(self, todo: list[str], texts: dict[str, str]) -> None:
        """Spin scores of ``todo`` with today's corpus model, stored and kept in ``spins``."""
        store, model = self.store, self.spin_model
        if model is not None:
            model.load(texts[aid] for aid in todo if aid in texts)
        rows = []
        for aid in todo:
            score, evidence = spin_score(texts.get(aid) or store.get_article(aid).text, model=model)
            rows.append((aid, score, evidence))
            self.spins[aid] = score
        store.put_spin_scores(rows, SPIN_ALGORITHM)   # one transaction, not one per article

    def classify(self) -> None:
        """Classify the neighbourhood's pairs and replace its stored links.

        The outlet roles are counted over the store (``copy_roles``, copies.stored-roles-v1: the roles a full
        run learns from every classified link): this run's rows replace those of its neighbourhood, and when
        that changes the roles an outlet gives its texts (:func:`~.families.role_signature`), the families
        holding an unsure pair with a text of that outlet are added to the neighbourhood and the whole is
        classified again (until no outlet's roles change).

        A pair whose decision is remembered with the same inputs (:mod:`.memo`, copies.pair-memo-v2) is not
        classified again (``full``: every pair is, and what it gives is remembered)."""
        roles = _StoredRoles(self)
        memo = PairMemo(lambda pairs: pair_memo_rows(self.store, pairs), read=not self.full)
        while True:
            touched = self.touched
            judgements = [j for j in self.store.judgements() if j[0] in touched and j[1] in touched]
            res = find_copies(self._arts, candidates=sorted(self.pairs), spin_model=self.spin_model, spin=self.spins,
                              judgements=judgements, roles=roles, memo=memo)
            grown = roles.spread() - touched
            if not grown:
                break
            self._grow(grown)
        self.store.put_links(res.links, replace_for=sorted(touched))
        put_pair_memo(self.store, memo.written)
        self.remembered = memo.hits
        roles.finish()
        forget_text_pairs()   # the texts' word pairs were for the spin scores and usage votes of this run

    def work(self) -> dict[str, int]:
        """What the run examined (``AnalyzeStats.counts``, printed by bench/bench_incremental.py): the
        neighbourhood's articles, those among them this run signed as new, its pairs, and the pairs of two
        old articles (classified again because their family or link partner is in the neighbourhood), and the
        classifications answered by a remembered decision (:mod:`.memo`; a roles round counts again); and what
        ``copies.incremental-v2`` (:data:`~.candidacy.INCREMENTAL_ALGORITHM`) found: hashes whose usability the
        batch changed, the old articles holding them, the old linked pairs dropped and the old pairs gained."""
        new = set(self.new_ids)
        old_pairs = sum(1 for a, b in self.pairs if a not in new and b not in new)
        return {"copies.neighbourhood": len(self.touched | new), "copies.new": len(new),
                "copies.pairs": len(self.pairs), "copies.pairs_old": old_pairs, "copies.remembered": self.remembered,
                "copies.crossings": self._before.crossings, "copies.crossing_holders": holder_count(self._before),
                "copies.pairs_dropped": len(self.dropped), "copies.pairs_gained": len(self.gained)}

    def _grow(self, more: set[str]) -> None:
        """Add ``more`` (closed over families and links) to the neighbourhood: its pairs and spin scores."""
        touched = close_neighbourhood(self.store, self.touched | more)
        added = sorted(touched - self.touched)
        arts = list(self.store.iter_articles(added))
        self._arts += arts
        self._score(added, {a.id: a.text for a in arts})
        self.touched = touched
        self.pairs, self.spun_before = self._within(touched)

    def rebuild_families(self) -> list[Family]:
        """Families of the neighbourhood, from its links (every family, from every link, when ``full``);
        returns every stored family.

        A family is a connected component of the links, and its id, origin and credit depend only on
        its members and their links, so rebuilding the neighbourhood's components (whole families,
        closed over links: :func:`close_neighbourhood`) gives exactly the families of a full rebuild."""
        store = self.store
        if self.full:
            all_links = store.links()
            self.families = build_families(self.meta, all_links)
            store.replace_families(self.families)
            self.links = len(all_links)
            return self.families
        touched = {a for a in self.touched if a in self.meta}
        links = [ln for ln in store.links_touching(sorted(touched)) if ln.article in touched]
        before = _family_sets(store, touched)
        store.replace_families(build_families({a: self.meta[a] for a in sorted(touched)}, links), of=touched)
        after = _family_sets(store, touched)
        self.refamilied = {a for a in touched if before.get(a) != after.get(a)}
        self.families = store.families()
        self.links = count_links(store)
        return self.families

    def save_index(self) -> None:
        """Write the signature rows of the articles signed by this run (all of them after a rebuild)."""
        if not self._stored:
            assert isinstance(self.index, CandidateIndex)
            if self._replace_index:   # every row is written again: the postings are made once, after
                reset_postings(self.store)
            self.store.put_copy_signatures(self.index.signature_rows(self._signed), SIGNATURES_ALGORITHM,
                                           replace_all=self._replace_index)
        sync_postings(self.store)


class _StoredRoles:
    """The outlet roles of one copies run, counted over the store's ``copy_roles`` (copies.stored-roles-v1).

    Called by :func:`~.engine.find_copies` with the run's classified links: the counts and own texts of the
    neighbourhood's outlets and texts are read as they will be once its rows replace the stored rows among
    the neighbourhood (:meth:`finish` writes them, after the links: a run stopped before then leaves the old
    rows, so its rerun sees the same change of roles). Until the table holds every article's rows
    (``copy_roles_state``: a run that examined every article, the first analyze of a store or ``analyze
    --full``, writes it whole) the roles are learned from the call's links, as before."""

    def __init__(self, run: IncrementalCopies):
        self.run = run
        self.whole = run.full or run.touched >= set(run.meta)
        self.stored = not self.whole and copy_roles_complete(run.store, ROLES_ALGORITHM)
        self.rows: list[tuple[str, str, str, str | None, str | None]] = []
        self.changed: set[str] = set()   # outlets whose roles the last call changed

    def __call__(self, links: Sequence[Link]) -> OutletRoles:
        run, store = self.run, self.run.store
        self.rows = role_rows(run.meta, links)
        if not self.stored:
            return learn_outlet_roles({a.id: a for a in run._arts}, links)
        keys = sorted({k for k in (outlet_key(run.meta[a]) for a in run.touched if a in run.meta) if k})
        before = copy_role_counts(store, keys)
        after = copy_role_counts(store, keys, run.touched, self.rows)
        self.changed = {k for k in keys if role_signature(before[0].get(k, 0), before[1].get(k, 0))
                        != role_signature(after[0].get(k, 0), after[1].get(k, 0))}
        own = copy_role_texts(store, run.touched, run.touched, self.rows)
        return OutletRoles(sources=after[0], copies=after[1], own_sources=frozenset(own[0]),
                           own_copies=frozenset(own[1]))

    def spread(self) -> set[str]:
        """The texts of the stored unsure pairs in the outlets whose roles the last call changed."""
        return unsure_role_ends(self.run.store, sorted(self.changed)) if self.stored and self.changed else set()

    def finish(self) -> None:
        """Write the rows of the run's links in place of those among its neighbourhood (every row when ``full``),
        and record that the table holds every article's rows when the run examined every article."""
        run = self.run
        replace_copy_roles(run.store, None if run.full else run.touched, self.rows,
                           complete=ROLES_ALGORITHM if self.whole else None)


def _family_sets(store: Store, articles: set[str]) -> dict[str, frozenset[str]]:
    """Each of ``articles`` with a family -> the members of its family."""
    return family_members_of(store, sorted(articles))


def close_neighbourhood(store: Store, touched: set[str]) -> set[str]:
    """Grow ``touched`` until it holds whole families and both ends of every stored link touching it
    (asking the store about each new ring, not reading every link and family)."""
    out = set(touched)
    ring = set(touched)
    while ring:
        ring = copy_neighbours(store, sorted(ring)) - out
        out |= ring
    return out


class _StoredFrequencies(Mapping[tuple[str, str], int]):
    """The store's word-pair document frequencies, read one pair at a time (what a run that loads every text's
    pairs, a full run, holds in its model)."""

    def __init__(self, store: Store):
        self.store = store
        self._got: dict[tuple[str, str], int | None] = {}

    def _df(self, key: tuple[str, str]) -> int | None:
        if key not in self._got:
            self._got[key] = collocation_dfs(self.store, [key]).get(key)
        return self._got[key]

    def __getitem__(self, key: tuple[str, str]) -> int:
        n = self._df(key)
        if n is None:
            raise KeyError(key)
        return n

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and self._df(key) is not None  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        raise TypeError("the stored frequencies are read one pair at a time")

    def __len__(self) -> int:
        raise TypeError("the stored frequencies are read one pair at a time")


def remember_pairs(store: Store, progress: Progress = _no_progress, chunk: int = 1000) -> int:
    """Classify every candidate pair of the store (the pairs a run over every article classifies: candidates,
    cross-language pairs, stored links; judged pairs left out) with the stored spin scores and the stored
    word-pair frequencies, and remember the decisions (copies.pair-memo-v2); returns the pairs classified.

    For a store analysed before the memo existed (bench/bench_incremental.py's upgrade of a kept base store): a
    store built by this version holds what its runs classified. Writes nothing else; a decision kept here is used
    only when a later run's inputs are the same (:mod:`.memo`), so it cannot change a result."""
    run = IncrementalCopies(store)
    run.new_ids = []
    run.update_index()
    todo = _every_pair(run, chunk, progress)
    spins = {a: s for a, (s, _) in store.spin_scores().items()}
    usage = _StoredFrequencies(store) if collocation_docs(store) >= COLLOCATION_MIN_DOCS else None
    memo = PairMemo(lambda ps: pair_memo_rows(store, ps))
    for i in range(0, len(todo), chunk):
        part = [(x, y) for x, y in todo[i:i + chunk] if x in spins and y in spins]
        _remember_part(store, memo, part, spins, usage)
        progress("remember", min(i + chunk, len(todo)), len(todo))
    forget_text_pairs()
    return len(todo)


def _every_pair(run: IncrementalCopies, chunk: int, progress: Progress) -> list[tuple[str, str]]:
    """The pairs a run over every article of ``run``'s store classifies (judged pairs left out), sorted."""
    store, meta = run.store, run.meta
    ids = sorted(meta)
    pairs: set[tuple[str, str]] = set()
    for i in range(0, len(ids), chunk):
        for x, cands in run._candidates(ids[i:i + chunk]).items():
            pairs.update((min(x, o), max(x, o)) for o, _, _ in cands)
        run._cands.clear()
        progress("candidates", min(i + chunk, len(ids)), len(ids))
    pairs |= crosslang_pairs((a.id, a.outlet, a.language) for a in (meta[x] for x in ids))
    for ln in store.links():
        o = other_end(ln)
        if o:
            pairs.add((min(ln.article, o), max(ln.article, o)))
    judged = {frozenset((a, b)) for a, b, _ in store.judgements()}
    return sorted(p for p in pairs if frozenset(p) not in judged and p[0] in meta and p[1] in meta)


def _remember_part(store: Store, memo: PairMemo, part: list[tuple[str, str]], spins: Mapping[str, float],
                   usage: Mapping[tuple[str, str], int] | None) -> None:
    """Classify ``part`` through ``memo`` (texts read and prepared for it alone) and store what it adds."""
    from .features import prepare

    arts = {a.id: a for a in store.iter_articles(sorted({x for p in part for x in p}))}
    prepared: dict[str, Prepared] = {}
    memo.preload(part)
    for x, y in part:
        for z in (x, y):
            if z not in prepared:
                prepared[z] = prepare(arts[z])
        memo.classify(arts[x], arts[y], spins[x], spins[y], usage,
                      partial(classify_prepared, arts[x], arts[y], spins[x], spins[y], (prepared[x], prepared[y])))
    put_pair_memo(store, memo.take())
