"""The small public API: verbs over a store. The CLI, the web app and scripts all call these."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from .pipeline import AnalyzeStats, IngestStats, Progress, analyze, ingest
from .settings import Settings
from .store import Store

__all__ = ["open_store", "ingest", "analyze", "export_records", "render_copies", "outlet_stats", "watch",
           "eval_copies", "eval_clough_stevenson", "eval_extraction", "IngestStats", "AnalyzeStats", "Progress",
           "shared_dir", "spark_run", "import_parquet"]


def open_store(path: str | Path) -> Store:
    """Open (and migrate) the SQLite store at ``path``."""
    return Store(path)


def shared_dir() -> Path:
    """The folder with seeds and public benchmarks: $SCAMTRACE_SHARED or ../shared beside the checkout."""
    import os

    env = os.environ.get("SCAMTRACE_SHARED")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "shared"


def export_records(store: Store, what: str) -> tuple[Iterator[dict[str, Any]], list[str]]:
    """Records and column names of one export (see :data:`scamtrace.export.EXPORTS`)."""
    from .export import EXPORTS

    if what not in EXPORTS:
        raise ValueError(f"unknown export {what!r}; use one of {', '.join(EXPORTS)}")
    fn, cols = EXPORTS[what]
    return fn(store), cols


def render_copies(store: Store, article_id: str, width: int = 120) -> str:
    from .copies.view import render_links

    return render_links(store, article_id, width)


def outlet_stats(store: Store) -> list[dict[str, Any]]:
    from .copies.view import outlet_stats as _stats

    return _stats(store)


def watch(store: Store, sources: list[str], every: str | float, settings: Settings | None = None,
          analyze_after: bool = True, max_cycles: int | None = None, stop=None, **kw: Any) -> None:  # noqa: ANN001
    """Poll ``sources`` every ``every`` (e.g. "15m"); ingest what is new and analyze it."""
    from .pipeline import watch as _watch

    _watch(store, sources, every, settings=settings or Settings(), analyze_after=kw.pop("analyze", analyze_after),
           max_cycles=max_cycles, stop=stop)


def eval_copies(store: Store, gold: Path) -> str:
    from .eval.copies_store import evaluate_store_copies

    return evaluate_store_copies(store, gold).report()


def eval_clough_stevenson(bench_dir: str | None = None, mode: str = "loo", version: str = "v3") -> str:
    """Accuracy, macro-F1, per-class F1 and confusion on Clough-Stevenson; ``mode`` fixed | loo |
    person | task (held out); ``version`` v3 (default) or v2 of the label cascade."""
    from .eval.copies import evaluate_clough_stevenson

    d = Path(bench_dir) if bench_dir else shared_dir() / "benchmarks" / "clough-stevenson"
    res = evaluate_clough_stevenson(d, mode=mode, version=version)
    keep = {k: v for k, v in res.items() if isinstance(v, (int, float, str))}
    lines = [_fmt_result({"mode": mode, **keep})]
    lines.append("f1 per class: " + ", ".join(f"{c} {v:.3f}" for c, v in res.get("f1", {}).items()))
    conf = res.get("confusion") or {}
    if conf:
        classes = list(conf)
        lines.append("confusion (gold row -> predicted column):")
        lines.append("  " + "".join(f"{c:>7}" for c in classes))
        for g in classes:
            lines.append(f"  {g:<6}" + "".join(f"{conf[g].get(p, 0):>7}" for p in classes))
    return "\n".join(lines)


def eval_extraction(bench_dir: str | None = None) -> str:
    from .eval.extraction import evaluate_extraction

    d = Path(bench_dir) if bench_dir else shared_dir() / "benchmarks" / "article-extraction"
    return _fmt_result(evaluate_extraction(d))


def _fmt_result(res: Any) -> str:
    if isinstance(res, dict):
        return "\n".join(f"{k}: {v:.4f}" if isinstance(v, float) else f"{k}: {v}" for k, v in res.items())
    return str(res)


def spark_run(job: str, inputs: Sequence[str], output: str, *, master: str | None = None,
              conf: Mapping[str, str] | None = None, say: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    """Run the Spark ``job`` ("copies" or "stories") over ``inputs``, writing Parquet tables to ``output``.

    Needs ``pip install 'scamtrace[spark]'`` and Java 17; ``master`` defaults to the spark-submit
    master, else ``local[*]``. Returns the run info also written to ``output/_run.json``.
    """
    from .spark.job import run_job
    from .spark.session import spark_session

    spark = spark_session(master, conf)
    return run_job(spark, job, inputs, output, say=say)


def import_parquet(store: Store, output: str | Path, *, extract: bool = False,
                   progress: Progress | None = None) -> dict[str, Any]:
    """Load a Spark job's OUTPUT directory (articles, links, families, stories, rejects) into ``store``."""
    from .spark.importer import import_parquet as _import

    return _import(store, output, extract=extract, progress=progress)
