"""Quality gate: scamtrace's cleaned text on the article-extraction benchmark.

F1 must stay at or above the floor pinned in ``tests/floors/extraction.json`` and at or above
trafilatura's own F1 (plain ``trafilatura.extract`` defaults) measured in the same run, minus
``TRAFILATURA_MARGIN``. Lowering the floor is an explicit, reviewed change to that file.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import trafilatura

from scamtrace.eval.main_text import (cleaned_text_extractor, evaluate_extraction, load_benchmark, ngram_counts,
                                       page_scores)

FLOORS = Path(__file__).resolve().parent / "floors" / "extraction.json"
TRAFILATURA_MARGIN = 0.002


def _bench_dir() -> Path:
    shared = os.environ.get("SCAMTRACE_SHARED")
    base = Path(shared) if shared else Path(__file__).resolve().parents[2] / "shared"
    return base / "benchmarks" / "article-extraction"


BENCH = _bench_dir()


# --- the metric itself (always runs) -------------------------------------------------------

def test_metric_counts_multiplicity_and_short_texts():
    assert ngram_counts("a b c d a b c d") == {("a", "b", "c", "d"): 2, ("b", "c", "d", "a"): 1,
                                               ("c", "d", "a", "b"): 1, ("d", "a", "b", "c"): 1}
    assert ngram_counts("only two") == {("only", "two"): 1}
    assert ngram_counts("  ,, ") == {}


def test_metric_page_scores():
    truth = "one two three four five six"
    assert page_scores(truth, truth) == (1.0, 1.0)
    p, r = page_scores("one two three four five six seven eight", truth)
    assert p == pytest.approx(3 / 5) and r == 1.0
    assert page_scores("", truth) == (None, 0.0)            # no extraction: left out of precision
    assert page_scores("", "") == (None, None)


def test_evaluate_on_tiny_benchmark(tmp_path):
    import gzip
    (tmp_path / "html").mkdir()
    body = "Alpha beta gamma delta epsilon zeta eta theta iota kappa."
    (tmp_path / "html" / "p1.html.gz").write_bytes(gzip.compress(f"<p>{body}</p>".encode()))
    (tmp_path / "ground-truth.json").write_text(json.dumps({"p1": {"url": None, "articleBody": body}}))
    perfect = evaluate_extraction(tmp_path, lambda html, url: body)
    assert (perfect["precision"], perfect["recall"], perfect["f1"], perfect["pages"]) == (1.0, 1.0, 1.0, 1)
    assert evaluate_extraction(tmp_path, lambda html, url: None)["f1"] == 0.0
    (tmp_path / "ground-truth.json").write_text("[]")
    with pytest.raises(ValueError, match="JSON object"):
        load_benchmark(tmp_path)


# --- the gate --------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.skipif(not (BENCH / "ground-truth.json").is_file(),
                    reason=f"article-extraction benchmark not found at {BENCH}; set SCAMTRACE_SHARED")
def test_extraction_f1_gate():
    floor = json.loads(FLOORS.read_text(encoding="utf-8"))
    pages = load_benchmark(BENCH)
    assert len(pages) == floor["pages"]
    ours = evaluate_extraction(BENCH, cleaned_text_extractor, pages)
    base = evaluate_extraction(BENCH, lambda html, url: trafilatura.extract(html, url=url), pages)
    assert ours["f1"] >= floor["f1"], f"F1 {ours['f1']:.4f} fell below the pinned floor {floor['f1']}"
    assert ours["precision"] >= floor["precision"] and ours["recall"] >= floor["recall"]
    assert ours["f1"] >= base["f1"] - TRAFILATURA_MARGIN, (
        f"F1 {ours['f1']:.4f} fell below trafilatura's own {base['f1']:.4f} (minus {TRAFILATURA_MARGIN})")
