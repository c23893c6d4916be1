"""The small public API: verbs over a store. The CLI, the web app and scripts all call these."""
from __future__ import annotations

import json
import os

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from .clean.metadata import language_note
from .errors import GoldFileError, InvalidRequest, ScamtraceError
from .eval.copies import evaluate_clough_stevenson
from .eval.copies_store import CopiesEvaluation, evaluate_store_copies
from .eval.main_text import cleaned_text_extractor, evaluate_extraction
from .eval.realnews import RealNewsScores, evaluate_store_realnews
from .eval.store_eval import evaluate_store
from .export import EXPORTS
from .model import ArticleListing, RejectRow, SparkRun
from .pipeline import AnalyzeStats, IngestStats, Progress, analyze, ingest
from .pipeline import watch as _watch
from .settings import Settings, shared_dir
from .spark.importer import import_parquet as _import
from .store import Store, queries
from .store.opening import DEFAULT_DB, open_store, require_store
from .views.article import CopiesView
from .views.article import copies_view as _copies_view
from .views.outlet import outlet_stats as _outlet_stats
from .views.story import StoryView
from .views.story import story_view as _story_view
from .views.story import story_views as _story_views


__all__ = ["DEFAULT_DB", "open_store", "ingest", "analyze", "export_records", "story_view", "story_views", "StoryView",
           "articles", "article",
           "rejects", "stories", "actors", "judge", "judge_alias", "require_actor_name", "copies_view", "outlet_stats", "watch",
           "eval_copies", "eval_store", "eval_clough_stevenson", "eval_extraction", "IngestStats", "AnalyzeStats", "Progress",
           "shared_dir", "spark_run", "SparkRun", "import_parquet", "require_store", "require_shared"]


def export_records(store: Store, what: str) -> tuple[Iterator[dict[str, Any]], list[str]]:
    """Records and column names of one export (see :data:`scamtrace.export.EXPORTS`)."""
    if what not in EXPORTS:
        raise InvalidRequest(f"unknown export {what!r}; use one of {', '.join(EXPORTS)}")
    fn, cols = EXPORTS[what]
    return fn(store), cols


def story_view(store: Store, story_id: str) -> StoryView:
    """One story as every renderer shows it (see :mod:`scamtrace.views.story`); an id retired by a
    merge, or a fact id, names its live story. Raises :class:`~scamtrace.errors.NotFound`."""
    return _story_view(store, story_id)


def story_views(store: Store, ids: Iterable[str] | None = None) -> list[StoryView]:
    """The stories ``ids`` (every story, most independent sources first, when None) as every renderer
    shows them (``scamtrace report`` renders these). Raises :class:`~scamtrace.errors.InvalidRequest`
    when there is no story, :class:`~scamtrace.errors.NotFound` for an unknown id."""
    return _story_views(store, ids)


def copies_view(store: Store, article_id: str) -> CopiesView:
    """One article's copy links with the articles at their other ends, its family and spinner score
    (``scamtrace copies ID`` renders it side by side). Raises :class:`~scamtrace.errors.NotFound`."""
    return _copies_view(store, article_id)


def require_actor_name(store: Store, name: str) -> None:
    """Raise :class:`ScamtraceError` unless ``name`` is an actor's name or alias (or a mention's
    canonical name) in ``store``; suggests the names that differ only in case."""
    if queries.actor_name_known(store, name):
        return
    near = queries.actor_names_like(store, name)
    hint = f"did you mean {', '.join(repr(n) for n in near)}? " if near else ""
    raise ScamtraceError(f"no actor named {name!r} in {store.path}; {hint}list the names with `scamtrace actors`")


def articles(store: Store, query: str | None = None, *, outlet: str | None = None,
             limit: int = 50) -> list[ArticleListing]:
    """Articles newest first, or those matching the full-text ``query``; only ``outlet``'s when given."""
    return store.list_articles(query, limit=limit, outlet=outlet)


def article(store: Store, article_id: str) -> dict[str, Any]:
    """One article's record (metadata and clean text) with its copy family and its language note
    (``warning``). Raises :class:`~scamtrace.errors.NotFound`."""
    art = store.get_article(article_id)
    return {**art.to_dict(), "family": store.family_of(article_id), "warning": language_note(art.language)}


def rejects(store: Store, limit: int = 1000) -> tuple[list[RejectRow], int]:
    """The newest ``limit`` rejected inputs (reason and what to do) and how many there are in all."""
    return store.rejects(limit), store.count_rejects()


def stories(store: Store, query: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Stories, most independent sources first, or those whose articles match ``query``: story,
    first and last seen, articles, sources (families), where the title comes from ("headline" or
    "stories.name-v1": a name derived from the lead sentences, no article having a headline) and title."""
    return [{"story": s["id"], "first_seen": s["first_seen"], "last_seen": s["last_seen"], "articles": s["size"],
             "sources": s["families"], "title_source": s["title_source"], "title": s["title"]}
            for s in store.stories(limit, query)]


def actors(store: Store) -> list[dict[str, Any]]:
    """Actors across all articles (most mentioned first) with their aliases and evidence."""
    return [{"actor": a["name"], "label": a["label"], "mentions": a["mentions"], "aliases": a["aliases"],
             "evidence": a["evidence"]} for a in queries.actors_with_aliases(store)]


def judge(store: Store, a: str, b: str, decision: str, note: str | None = None) -> None:
    """Record a human copy / not-copy judgement on a pair of articles; the next ``analyze`` applies it."""
    store.add_judgement(a, b, decision, note)


def judge_alias(store: Store, a: str, b: str, decision: str, note: str | None = None) -> None:
    """Record that two actor names are the same actor or different ones (both must be known names,
    see :func:`require_actor_name`); the next ``analyze`` applies it."""
    for name in (a, b):
        require_actor_name(store, name)
    store.add_judgement(a, b, decision, note, kind="alias")


def outlet_stats(store: Store) -> list[dict[str, Any]]:
    """Per outlet: articles, copies by relation, uncredited copies, spun-looking articles, max spin."""
    return _outlet_stats(store)


def watch(store: Store, sources: list[str], every: str | float, settings: Settings | None = None,
          analyze_after: bool = True, max_cycles: int | None = None, stop=None,  # noqa: ANN001
          say: Callable[[str], None] | None = None, **kw: Any) -> None:
    """Poll ``sources`` every ``every`` (e.g. "15m"); ingest what is new and analyze it; ``say`` gets
    one line per cycle."""
    _watch(store, sources, every, settings=settings or Settings(), analyze_after=kw.pop("analyze", analyze_after),
           max_cycles=max_cycles, stop=stop, say=say)


def eval_copies(store: Store, gold: Path, *, half: str | None = None,
                silver: Path | None = None) -> CopiesEvaluation | RealNewsScores:
    """Copy scores against ``gold`` (their ``report()`` is the text the CLI prints): copy gold ({key,
    family, ...}), realnews records ({id, story, derived_from, relation}) or story-only records ({id,
    story}, ECB+); see :mod:`scamtrace.eval.realnews`."""
    with open(gold, encoding="utf-8") as fh:
        first = next((line for line in fh if line.strip()), "")
    try:
        head = json.loads(first) if first else {}
    except json.JSONDecodeError:
        head = {}
    if isinstance(head, dict) and "key" not in head and "id" in head and "story" in head:
        return evaluate_store_realnews(store, gold, half=half, silver=silver)
    if half or silver:
        raise GoldFileError(f"{gold}: --half and --silver need realnews or story records ({{id, story, ...}})")
    return evaluate_store_copies(store, gold)


def eval_store(store: Store, kind: str, gold: Path, *, half: str | None = None) -> dict[str, Any]:
    """Scores of the store's ``kind`` (stories, figures, quotes, events) against ``gold`` (see
    :func:`scamtrace.eval.store_eval.evaluate_store`); ``half`` "A"/"B" keeps one fixed half of a
    realnews-dev or ECB+ file's stories."""
    return evaluate_store(store, kind, gold, half=half)


def eval_clough_stevenson(bench_dir: str | None = None, mode: str = "loo", version: str = "v3") -> dict[str, Any]:
    """Accuracy, macro-F1, per-class F1 (``f1``) and confusion (gold -> predicted -> count) on
    Clough-Stevenson; ``mode`` fixed | loo | person | task (held out); ``version`` v3 (default) or v2
    of the label cascade."""
    d = require_shared(bench_dir, "benchmarks/clough-stevenson")
    try:
        res = evaluate_clough_stevenson(d, mode=mode, version=version)
    except (OSError, ValueError) as e:
        raise ScamtraceError(f"{d}: not a readable Clough-Stevenson corpus ({e}); point --dir at the "
                             "folder holding file_information.csv and the answer files") from e
    return {"mode": mode, **res}


def eval_extraction(bench_dir: str | None = None) -> dict[str, Any]:
    """Main-text F1 of scamtrace's clean stage on the article-extraction benchmark (with ``worst``,
    the pages it extracts worst)."""
    d = require_shared(bench_dir, "benchmarks/article-extraction")
    try:
        res = evaluate_extraction(d, cleaned_text_extractor)
    except (OSError, ValueError) as e:
        raise ScamtraceError(f"{d}: not a readable article-extraction benchmark ({e}); point --dir at the "
                             "folder holding ground-truth.json and html/") from e
    return res


def require_shared(given: str | Path | None, rel: str) -> Path:
    """The folder ``given`` (a ``--dir``) or ``shared_dir()/rel``; a missing one is refused with a
    :class:`ScamtraceError` naming the folder and how to point at it."""
    if not given and not os.environ.get("SCAMTRACE_SHARED"):
        raise ScamtraceError(f"no folder for {rel}: pass --dir DIR, or set SCAMTRACE_SHARED to the shared "
                             f"folder that holds {rel}/ (see README, \"Shared data\")")
    d = Path(given) if given else shared_dir() / rel
    if not d.is_dir():
        how = ("pass --dir DIR" if given else
               f"pass --dir DIR, or set SCAMTRACE_SHARED to the shared folder that holds {rel}/")
        raise ScamtraceError(f"{d}: folder not found; {how} (see README, \"Shared data\")")
    return d


def spark_run(job: str, inputs: Sequence[str], output: str, *, master: str | None = None,
              conf: Mapping[str, str] | None = None, say: Callable[[str], None] = lambda s: None) -> SparkRun:
    """Run the Spark ``job`` ("copies", "stories" or "analyze") over ``inputs``, writing Parquet tables to ``output``.

    Needs ``pip install 'scamtrace[spark]'`` and Java 17; ``master`` defaults to the spark-submit
    master, else ``local[*]``. Returns the rows written per table with the run info also written to
    ``output/_run.json``.
    """
    from .spark.job import run_job
    from .spark.session import spark_session

    spark = spark_session(master, conf)
    info = run_job(spark, job, inputs, output, say=say)
    return SparkRun(job=job, output=str(output), counts=dict(info["counts"]), info=info)


def import_parquet(store: Store, output: str | Path, *, extract: bool = False,
                   progress: Progress | None = None, stories: str = "table") -> dict[str, Any]:
    """Load a Spark job's OUTPUT directory (articles, links, families, stories, rejects and, from
    ``spark analyze``, the extraction tables) into ``store``; ``stories="store"`` clusters the
    stories in the store with the embedded algorithm instead of loading the output's."""
    return _import(store, output, extract=extract, progress=progress, stories=stories)
