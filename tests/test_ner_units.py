"""extract.ner-units-v1: spaCy parses each paragraph once; the entities stay a pure function of the text
(same rows for 1 or 2 workers, with the process cache and the store's ``ner_units`` cold or warm)."""
from __future__ import annotations

import pytest
from conftest import demo_sources
from test_extract_pool import dump

from scamtrace import api
from scamtrace.extract import entities as E
from scamtrace.extract import stage
from scamtrace.model import Article
from scamtrace.settings import Settings


@pytest.fixture(scope="module")
def nlp():  # noqa: ANN201
    model = E.load_nlp()
    if model is None:
        pytest.skip("no spaCy English pipeline installed")
    return model


def test_units_are_the_lines_with_their_offsets():
    text = "MAE SOT — Police raided a compound.\n\n  \nJason Tower said so.\nLast line"
    units = E.ner_units(text)
    assert [u for _, u in units] == ["MAE SOT — Police raided a compound.", "Jason Tower said so.", "Last line"]
    assert all(text[o:o + len(u)] == u for o, u in units)
    assert E.ner_units("") == [] and E.ner_units("\n\n") == []


def test_a_paragraph_copied_elsewhere_gives_the_same_mentions_shifted(nlp):  # noqa: ANN001
    para = ("Thai police said on Monday that Jason Tower, an expert at the United States Institute of Peace, "
            "visited the KK Park compound near Myawaddy with officials from the Ministry of Foreign Affairs.")
    first = "Raid in Myawaddy\n\n" + para
    second = "Another outlet's headline about Laos\n\nAn opening paragraph of its own in Bangkok.\n\n" + para
    E.UNITS.clear()
    with E.preparsed([first, second]) as n:
        assert n == 4   # the shared paragraph once
    a, b = (E.find_entities(t) for t in (first, second))
    for text, ms in ((first, a), (second, b)):
        assert all(text[m.start:m.end] == m.text for m in ms)
    shift_a, shift_b = first.index(para), second.index(para)
    in_para = lambda ms, shift: [(m.text, m.label, m.start - shift, m.end - shift) for m in ms if m.start >= shift]  # noqa: E731
    assert in_para(a, shift_a) == in_para(b, shift_b) and len(in_para(a, shift_a)) >= 3
    assert E.UNITS.looked_up == 5 and E.UNITS.parsed == 4


def _analysed(path, workers, *, clear=True, full=False):  # noqa: ANN001, ANN202
    if clear:
        E.UNITS.clear()   # a cold process cache (a new process)
    store = api.open_store(path)
    if not full:
        api.ingest(store, demo_sources())
    stats = api.analyze(store, settings=Settings(workers=workers), full=full)
    store.close()
    return dump(path), stats.counts


def test_same_rows_for_one_or_two_workers_cache_cold_or_warm(nlp, tmp_path, monkeypatch):  # noqa: ANN001
    monkeypatch.setattr(stage, "EXTRACT_BATCH", 5)   # the demo's 36 articles make 8 batches
    one, c1 = _analysed(tmp_path / "one.db", 1)
    two, c2 = _analysed(tmp_path / "two.db", 2)
    warm, c3 = _analysed(tmp_path / "warm.db", 2, clear=False)    # every unit in this process's cache
    assert c1["ner.units"] == c2["ner.units"] == c3["ner.units"] > 200
    assert 0 < c1["ner.parsed"] < c1["ner.units"]   # the demo's copies repeat paragraphs
    assert c3["ner.parsed"] == 0
    assert len(one["mentions"]) > 100 and len(one["ner_units"]) == c1["ner.parsed"]
    for table in one:
        assert one[table] == two[table] == warm[table], table
    # a later full run of the same store: every unit comes from the store, nothing is parsed again
    again, c4 = _analysed(tmp_path / "one.db", 1, full=True)
    assert c4["ner.parsed"] == 0 and c4["ner.units"] == c1["ner.units"]
    assert again["ner_units"] == one["ner_units"]
    for table in ("mentions", "figures", "quotes", "events"):   # rewritten: new rowids (= integer ids)
        k = 1 if table == "events" else 2
        assert [r[k:] for r in again[table]] == [r[k:] for r in one[table]], table


def test_units_of_another_pipeline_are_not_reused_and_full_drops_them(nlp, tmp_path):  # noqa: ANN001
    from scamtrace.store.caches import ner_unit_rows, put_ner_unit_rows

    text = "Police in Myawaddy detained 40 people.\n\nThe Ministry of Foreign Affairs in Bangkok said so."
    store = api.open_store(tmp_path / "x.db")
    store.put_article(Article(id="a1", source="a1", text=text, title=None), fmt="text", body=text)
    units = E.ner_units(text)
    put_ner_unit_rows(store, {E.unit_key(u): ((0, len(u), "PERSON", "") ,) for _, u in units}, "another-tag")
    E.UNITS.clear()
    counts: dict[str, int] = {}
    stage.extract_articles(store, ["a1"], counts=counts, full=True)
    assert counts == {"ner.units": 2, "ner.parsed": 2}
    assert ner_unit_rows(store, [E.unit_key(u) for _, u in units], "another-tag") == {}
    tag = E.unit_cache_tag()
    assert tag is not None and tag.startswith(E.NER_UNITS)
    assert len(ner_unit_rows(store, [E.unit_key(u) for _, u in units], tag)) == 2
    assert {r[0] for r in store.execute("SELECT label FROM mentions")} >= {"GPE"}
    store.close()


def test_rules_use_no_unit_cache(tmp_path, monkeypatch):
    monkeypatch.setenv(E.ENV_NO_SPACY, "1")
    assert E.unit_cache_tag() is None
    store = api.open_store(tmp_path / "x.db")
    text = "Police in Myawaddy detained 40 people."
    store.put_article(Article(id="a1", source="a1", text=text, title=None), fmt="text", body=text)
    counts: dict[str, int] = {}
    stage.extract_articles(store, ["a1"], counts=counts)
    assert counts == {"ner.units": 0, "ner.parsed": 0}
    assert list(store.execute("SELECT key FROM ner_units")) == []
    store.close()
