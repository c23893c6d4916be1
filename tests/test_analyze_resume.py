"""An interrupted analyze resumes where it stopped (issue 17 part 5): the rerun extracts only the
articles the first run did not store, and the store ends exactly as after one uninterrupted run."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from conftest import demo_sources
from test_extract_pool import dump

from scamtrace import api
from scamtrace.extract import stage
from scamtrace.settings import Settings

STOP_AFTER = 12   # articles stored before the interruption (mid-batch with batches of 5)


def _ingested(path):  # noqa: ANN001, ANN202
    store = api.open_store(path)
    api.ingest(store, demo_sources())
    return store


@pytest.mark.parametrize("workers", [1, 2])
def test_an_interrupted_analyze_resumes_where_it_stopped(tmp_path, monkeypatch, workers):
    monkeypatch.setattr(stage, "EXTRACT_BATCH", 5)
    settings = Settings(workers=workers)
    whole = _ingested(tmp_path / "whole.db")
    api.analyze(whole, settings=settings)
    n = whole.count_articles()
    whole.close()

    real = stage.put_marked_extraction
    stored: list[str] = []

    def dies_after_k(store, article_id, *args):  # noqa: ANN001, ANN002, ANN202
        if len(stored) == STOP_AFTER:
            raise KeyboardInterrupt   # as if Ctrl-C came while the writer stored the next article
        stored.append(article_id)
        return real(store, article_id, *args)

    store = _ingested(tmp_path / "stopped.db")
    monkeypatch.setattr(stage, "put_marked_extraction", dies_after_k)
    with pytest.raises(KeyboardInterrupt):
        api.analyze(store, settings=settings)
    assert len(stored) == STOP_AFTER and store.unanalyzed_ids()   # nothing marked analysed yet

    again: list[str] = []
    monkeypatch.setattr(stage, "put_marked_extraction", lambda s, a, *rest: again.append(a) or real(s, a, *rest))
    api.analyze(store, settings=settings)
    assert not set(again) & set(stored) and len(again) == n - STOP_AFTER   # resumed, not started again
    assert not store.unanalyzed_ids() and not store.execute("SELECT * FROM extraction_marks")
    store.close()

    want, got = dump(tmp_path / "whole.db"), dump(tmp_path / "stopped.db")
    for table in want:
        assert want[table] == got[table], table


def test_the_mark_changes_with_the_text_and_the_reference_date(tmp_path):
    store = _ingested(tmp_path / "x.db")
    art = next(store.iter_articles())
    store.close()
    mark = stage.input_digest(art, None)
    assert mark == stage.input_digest(dataclasses.replace(art), None)
    assert mark != stage.input_digest(art, dt.date(2025, 3, 4))
    assert mark != stage.input_digest(dataclasses.replace(art, text=art.text + " More."), None)
