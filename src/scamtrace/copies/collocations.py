"""The spin collocation model's counts, kept in the store and updated with what arrived (issue 17).

:class:`~scamtrace.copies.spin.CollocationModel` counts, over every text of the corpus, the articles
holding each adjacent content-word pair, and per head word its most frequent partner. Fitting it on
every text at each ``analyze`` made an incremental run grow with the store (34 s of a 100-article run
into 5,000). Here the counts live in the store (``collocation_pairs``, ``collocation_heads``,
``collocation_articles``; :mod:`scamtrace.store.caches`) and each run adds the pairs of the texts not
counted yet and subtracts those of counted texts since changed or deleted (a trigger keeps the old
text in ``collocation_retired``). The counts are then exactly those of a fit on every stored text,
and the model the spin scores use (:class:`~scamtrace.copies.spin.LookupCollocationModel`) looks up
only the pairs of the texts it judges (``tests/test_collocation_counts.py`` checks both against a fit).

A head's most frequent partner is kept up to date from the changed pairs alone while counts only
grow (no other pair can overtake the stored best); a head that lost counts is read again from its
stored pairs.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping

from ..store import Store
from ..store.caches import (clear_collocations, collocation_dfs, collocation_docs, collocation_heads,
                            collocations_other_than, retired_collocation_texts, uncounted_article_ids,
                            write_collocations)
from .spin import COLLOCATION_MIN_DOCS, CollocationModel, LookupCollocationModel

# What the stored counts were made by: CollocationModel.pairs_of (words, stopwords, at most one
# stopword between the two). Bump when pairs_of changes: the next analyze counts every text again.
COLLOCATION_COUNTS_ALGORITHM = "copies.collocation-counts-v1"


def update_collocations(store: Store, texts: Mapping[str, str], *, full: bool = False,
                        progress: Callable[[int, int], None] | None = None,
                        written: dict[tuple[str, str], int] | None = None) -> dict[str, int]:
    """Bring the stored counts up to the store's texts; returns what was done (counted, retired, pairs).

    ``texts``: texts already read by the caller (others are read from the store). ``full`` (or counts
    made by another algorithm) clears the counts and counts every text again. ``written``, when given,
    receives the document frequency now stored for each pair whose count changed (0: no longer stored),
    which :func:`stored_model` can start from instead of reading those pairs again."""
    if full or collocations_other_than(store, COLLOCATION_COUNTS_ALGORITHM):
        clear_collocations(store)
    retired = retired_collocation_texts(store)
    todo = uncounted_article_ids(store)
    delta: Counter[tuple[str, str]] = Counter()
    for n, (_aid, text) in enumerate(_texts(store, todo, texts), 1):
        delta.update(CollocationModel.text_pairs(text))
        if progress is not None:
            progress(n, len(todo))
    for _aid, old in retired:
        delta.subtract(CollocationModel.text_pairs(old))
    changed = {k: v for k, v in delta.items() if v}
    old_df = collocation_dfs(store, changed)
    new_df = {k: old_df.get(k, 0) + v for k, v in changed.items()}
    by_head: dict[str, dict[str, int]] = {}
    for (h, p), v in changed.items():
        by_head.setdefault(h, {})[p] = v
    stored = collocation_heads(store, by_head)
    heads: dict[str, tuple[str, int, int]] = {}
    recount: list[str] = []
    for h, parts in by_head.items():
        if any(v < 0 for v in parts.values()):
            recount.append(h)   # the best partner may have lost counts: read the head's pairs again
            continue
        best, best_df, total = stored.get(h, ("", 0, 0))
        if best and (h, best) in new_df:
            best_df = new_df[(h, best)]
        for p in parts:   # counts only grew: the best is the stored one or a pair that grew
            n = new_df[(h, p)]
            if not best or n > best_df or (n == best_df and p < best):
                best, best_df = p, n
        heads[h] = (best, best_df, total + sum(parts.values()))
    write_collocations(store, new_df, heads, sorted(recount), todo, [a for a, _ in retired],
                       COLLOCATION_COUNTS_ALGORITHM)
    if written is not None:
        written.update((k, max(0, n)) for k, n in new_df.items())
    return {"counted": len(todo), "retired": len(retired), "pairs_changed": len(changed)}


def stored_model(store: Store, known: Mapping[tuple[str, str], int] | None = None) -> LookupCollocationModel | None:
    """The spin model over the stored counts (None below ``COLLOCATION_MIN_DOCS`` texts, as a fit). ``known``: pairs
    whose stored document frequency the caller has just written (:func:`update_collocations`' ``written``),
    which the model takes as they are instead of reading them again."""
    docs = collocation_docs(store)
    if docs < COLLOCATION_MIN_DOCS:
        return None
    model = LookupCollocationModel(docs, lambda pairs: collocation_dfs(store, pairs),
                                   lambda heads: collocation_heads(store, heads))
    if known:
        model.seed(known)
    return model


def _texts(store: Store, ids: list[str], known: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    """(id, text) of ``ids``, from ``known`` when there, else from the store (one pass over the table
    when many are missing: a first run after the upgrade, a full run)."""
    missing = [i for i in ids if i not in known]
    yield from ((i, known[i]) for i in ids if i in known)
    if len(missing) < 1000:
        yield from ((a.id, a.text) for a in store.iter_articles(missing))
        return
    want = set(missing)
    yield from ((a.id, a.text) for a in store.iter_articles() if a.id in want)
