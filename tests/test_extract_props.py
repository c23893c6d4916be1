"""Property tests for the extract stage: never crash, offsets valid, deterministic."""
from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from scamtrace.extract import extract, find_dates, find_figures, find_quotes
from scamtrace.model import Article

WORDS = ["some", "1,200", "people", "said", "police", "on", "Nov.", "18", "“", "”", "\"", "Tuesday", "in", "late",
         "October", "$5", "million", "yuan", "(", ")", "tens", "of", "thousands", "Of", "those", ",", ".", "\n\n",
         "Jason", "Tower", "he", "according", "to", "Kokang", "MNDAA", "over", "a", "dozen", "flights", "2019"]
texts = st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join) | st.text(max_size=300)
dates = st.none() | st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1))


@settings(max_examples=150, deadline=None)
@given(texts, dates)
def test_dates_offsets_and_intervals(text: str, published) -> None:
    refs = find_dates(text, published)
    for r in refs:
        assert text[r.start:r.end] == r.text
        if r.iso_start is not None:
            assert r.iso_start <= r.iso_end
    assert all(a.end <= b.start for a, b in zip(refs, refs[1:]))     # disjoint, ordered


@settings(max_examples=150, deadline=None)
@given(texts, dates)
def test_figures_offsets_and_determinism(text: str, published) -> None:
    first = find_figures(text, published)
    assert first == find_figures(text, published)
    for f in first:
        assert text[f.start:f.end] == f.text
        assert f.sentence_start <= f.start and f.end <= f.sentence_end
        assert f.value >= 0


@settings(max_examples=150, deadline=None)
@given(texts)
def test_quotes_spans(text: str) -> None:
    for q in find_quotes(text):
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start] in "“\""


@settings(max_examples=40, deadline=None)
@given(texts, dates)
def test_extract_never_crashes_without_model(text: str, published) -> None:
    out = extract(Article(id="x", source="t", text=text, published=published), use_model=False)
    assert out.article_id == "x"
    out.to_dict()
