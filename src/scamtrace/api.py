"""The small public API: verbs over a store. The CLI, the web app and scripts all call these."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .pipeline import AnalyzeStats, IngestStats, Progress, analyze, ingest
from .settings import Settings
from .store import Store

__all__ = ["open_store", "ingest", "analyze", "export_records", "render_copies", "outlet_stats", "watch",
           "eval_copies", "eval_clough_stevenson", "eval_extraction", "IngestStats", "AnalyzeStats", "Progress",
           "shared_dir"]


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


def eval_clough_stevenson(bench_dir: str | None = None, mode: str = "loo") -> str:
    """Accuracy and macro-F1 on Clough-Stevenson; ``mode`` fixed | loo | person | task (held out)."""
    from .eval.copies import evaluate_clough_stevenson

    d = Path(bench_dir) if bench_dir else shared_dir() / "benchmarks" / "clough-stevenson"
    res = evaluate_clough_stevenson(d, mode=mode)
    keep = {k: v for k, v in res.items() if isinstance(v, (int, float, str))}
    return _fmt_result({"mode": mode, **keep})


def eval_extraction(bench_dir: str | None = None) -> str:
    from .eval.extraction import evaluate_extraction

    d = Path(bench_dir) if bench_dir else shared_dir() / "benchmarks" / "article-extraction"
    return _fmt_result(evaluate_extraction(d))


def _fmt_result(res: Any) -> str:
    if isinstance(res, dict):
        return "\n".join(f"{k}: {v:.4f}" if isinstance(v, float) else f"{k}: {v}" for k, v in res.items())
    return str(res)


