"""Article-extraction benchmark: scamtrace's cleaned text vs trafilatura's defaults, same run.

    .venv/bin/python bench/bench_extraction.py [BENCH_DIR] [--json]

BENCH_DIR defaults to ``$SCAMTRACE_SHARED/benchmarks/article-extraction`` or
``../shared/benchmarks/article-extraction`` beside the repository. Prints precision, recall, F1
and ms/page for both, and the ratios (scamtrace / trafilatura).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import trafilatura

from scamtrace.clean import CLEANER_HTML
from scamtrace.eval.main_text import cleaned_text_extractor, evaluate_extraction, load_benchmark


def default_bench_dir() -> Path:
    shared = os.environ.get("SCAMTRACE_SHARED")
    base = Path(shared) if shared else Path(__file__).resolve().parents[2] / "shared"
    return base / "benchmarks" / "article-extraction"


def trafilatura_default(html: str, url: str | None) -> str | None:
    """trafilatura.extract with its default options: the baseline."""
    return trafilatura.extract(html, url=url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench_dir", nargs="?", type=Path, default=default_bench_dir())
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = parser.parse_args(argv)
    if not (args.bench_dir / "ground-truth.json").is_file():
        print(f"benchmark not found at {args.bench_dir}; pass its path or set SCAMTRACE_SHARED", file=sys.stderr)
        return 2
    pages = load_benchmark(args.bench_dir)
    ours = evaluate_extraction(args.bench_dir, cleaned_text_extractor, pages)
    base = evaluate_extraction(args.bench_dir, trafilatura_default, pages)
    report = {"scamtrace": ours, "trafilatura": base, "cleaner": CLEANER_HTML,
              "trafilatura_version": trafilatura.__version__,
              "f1_ratio": ours["f1"] / base["f1"], "time_ratio": ours["ms_per_page"] / base["ms_per_page"]}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{'extractor':<28}{'precision':>10}{'recall':>10}{'F1':>8}{'ms/page':>10}")
    for name, r in ((f"scamtrace {CLEANER_HTML}", ours), (f"trafilatura {trafilatura.__version__} default", base)):
        print(f"{name:<28}{r['precision']:>10.4f}{r['recall']:>10.4f}{r['f1']:>8.4f}{r['ms_per_page']:>10.1f}")
    print(f"pages={ours['pages']}  F1 ratio={report['f1_ratio']:.4f}  time ratio={report['time_ratio']:.2f}")
    print(f"scamtrace worst pages: {', '.join(p[:12] for p in ours['worst'][:5])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
