"""Evaluate main-text extraction on the Scrapinghub article-extraction benchmark.

Metric (from the benchmark's README): split texts into ``\\w+`` tokens, build the multisets of
token 4-grams of the extracted text and of the ground truth, page by page: TP = shared 4-grams
(with multiplicity), FP = extra extracted ones, FN = missed ones. Per-page precision and recall are
averaged over pages; F1 is the harmonic mean of the two averages.

Edge cases follow the benchmark's published ``evaluate.py``: a page with no extracted 4-grams
is left out of the precision average (it still counts, as recall 0, in the recall average).
"""
from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from charset_normalizer import from_bytes

from ..errors import EmptyArticle, GoldFileError
from .scores import f1
from ..clean import clean_doc
from ..model import RawDoc

__all__ = ["EVAL_ALGORITHM", "cleaned_text_extractor", "evaluate_extraction", "load_benchmark", "ngram_counts", "page_counts", "page_scores"]

EVAL_ALGORITHM = "eval.extraction-4gram-v1"
NGRAM = 4
_TOKEN = re.compile(r"\w+")

Extractor = Callable[[str, str | None], str | None]


def ngram_counts(text: str, n: int = NGRAM) -> Counter[tuple[str, ...]]:
    """Multiset of ``\\w+`` token n-grams of ``text`` (case kept, as in the reference script).

    A text with fewer than ``n`` tokens yields one shorter n-gram (its whole token list), as the
    reference script does; an empty text yields none.
    """
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)))


def page_counts(extracted: str | None, truth: str) -> tuple[int, int, int]:
    """``(tp, fp, fn)`` 4-gram counts of one page (shared, extra extracted, missed)."""
    pred = ngram_counts(extracted or "")
    gold = ngram_counts(truth)
    tp = sum((pred & gold).values())
    return tp, sum(pred.values()) - tp, sum(gold.values()) - tp


def page_scores(extracted: str | None, truth: str) -> tuple[float | None, float | None]:
    """Precision and recall of one page; ``None`` when undefined (the page is then left out
    of that average, as in the reference script: no extracted 4-grams -> no precision)."""
    tp, fp, fn = page_counts(extracted, truth)
    if fp == fn == 0:
        return (1.0, 1.0) if tp else (None, None)
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    return precision, recall


def load_benchmark(bench_dir: str | Path) -> list[tuple[str, str, str | None, str]]:
    """Read ``(page_id, html, url, truth)`` for every page of the benchmark directory.

    Raises :class:`FileNotFoundError` when ``ground-truth.json`` or a page is missing and
    :class:`ValueError` when the ground truth is not a mapping of id to ``{"articleBody": ...}``.
    """
    bench = Path(bench_dir)
    truth_path = bench / "ground-truth.json"
    if not truth_path.is_file():
        raise FileNotFoundError(f"{truth_path}: ground truth missing; point bench_dir at the article-extraction folder")
    data = json.loads(truth_path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise GoldFileError(f"{truth_path}: expected a JSON object mapping page id to {{'articleBody', 'url'}}")
    pages = []
    for page_id in sorted(data):
        entry = data[page_id]
        if not isinstance(entry, dict) or not isinstance(entry.get("articleBody"), str):
            raise GoldFileError(f"{truth_path}: entry {page_id!r} lacks a string 'articleBody'")
        raw = gzip.decompress((bench / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append((page_id, _decode(raw), entry.get("url"), entry["articleBody"]))
    return pages


def _decode(raw: bytes) -> str:
    """Decode a saved page: UTF-8 when valid, else the charset charset-normalizer detects."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(raw).best()
        return str(best) if best is not None else raw.decode("utf-8", errors="replace")


def evaluate_extraction(bench_dir: str | Path, extractor: Extractor,
                        pages: list[tuple[str, str, str | None, str]] | None = None) -> dict[str, Any]:
    """Score ``extractor(html, url) -> text`` on every benchmark page.

    Returns ``precision``, ``recall``, ``f1`` (of the averages), ``pages`` and ``ms_per_page``
    (extractor time only, decoding and scoring excluded), plus ``algorithm`` and per-page
    ``worst`` (the ten lowest-F1 page ids, as evidence for error analysis).
    ``pages`` may be passed pre-loaded (from :func:`load_benchmark`) to time several extractors
    on identical input.
    """
    if pages is None:
        pages = load_benchmark(bench_dir)
    if not pages:
        raise GoldFileError(f"{bench_dir}: benchmark has no pages")
    precisions: list[float] = []
    recalls: list[float] = []
    per_page: list[tuple[float, str]] = []
    elapsed = 0.0
    for page_id, html, url, truth in pages:
        start = time.perf_counter()
        text = extractor(html, url)
        elapsed += time.perf_counter() - start
        p, r = page_scores(text, truth)
        if p is not None:
            precisions.append(p)
        if r is not None:
            recalls.append(r)
        p0, r0 = p or 0.0, r or 0.0
        per_page.append((f1(p0, r0), page_id))
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    return {
        "algorithm": EVAL_ALGORITHM,
        "precision": precision,
        "recall": recall,
        "f1": f1(precision, recall),
        "pages": len(pages),
        "ms_per_page": 1000.0 * elapsed / len(pages),
        "worst": [pid for _, pid in sorted(per_page)[:10]],
    }


def cleaned_text_extractor(html: str, url: str | None) -> str | None:
    """scamtrace's whole clean stage on one page (extraction, boilerplate rules, metadata);
    returns the cleaned text, or ``None`` when the cleaner rejects the page as empty."""
    try:
        return clean_doc(RawDoc(source=url or "benchmark", body=html, fmt="html", url=url)).text
    except EmptyArticle:
        return None
