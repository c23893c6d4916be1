"""Candidates that name no actor are dropped with a rule (extract.not-names-v1, entities v4).

Every text here is invented. The model tests are skipped without a spaCy English pipeline; the rule
tests and the rule-based recogniser's tests run everywhere. Each model test failed on entities v3
(which kept "Embassy", "Ugandan", "absentia", "NPRM", ... as names).
"""
from __future__ import annotations

import pytest

from scamtrace import extract as ex
from scamtrace.extract import entities, find_entities
from scamtrace.extract import not_names as nn
from scamtrace.extract.records import Mention
from scamtrace.model import Article


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(entities.ENV_NO_SPACY, raising=False)
    ex.reset()
    yield
    ex.reset()


def _model() -> None:
    if entities.load_nlp() is None:
        pytest.skip("no spaCy English pipeline installed")


@pytest.mark.parametrize("name, label, rule", [
    ("Ugandan", "ORG", nn.RULE_DEMONYM),
    ("Sri Lankans", "GPE", nn.RULE_DEMONYM),
    ("Thai", "PERSON", nn.RULE_DEMONYM),               # a language name of CLDR: Thailand's
    ("Filipinos", "PERSON", nn.RULE_DEMONYM),
    ("Eleven Filipinos", "PERSON", nn.RULE_DEMONYM),   # a plural nationality word ends a group, not a name
    ("Embassy", "ORG", nn.RULE_INSTITUTION),
    ("Ministry", "AGENCY", nn.RULE_INSTITUTION),
    ("Court", "ORG", nn.RULE_INSTITUTION),
    ("absentia", "GPE", nn.RULE_NO_CAPITAL),
    ("2024", "ORG", nn.RULE_NUMBER),
    ("Government of", "ORG", nn.RULE_CUT),
    ("Terrorism", "ORG", nn.RULE_ABSTRACT),
    ("• Footage", "ORG", nn.RULE_BULLET),
    ("पुलिस", "PERSON", nn.RULE_NO_LATIN),
])
def test_names_that_name_no_actor(name: str, label: str, rule: str) -> None:
    why = nn.why_not_a_name(name, label)
    assert why is not None and why[0] == rule


@pytest.mark.parametrize("name, label", [
    ("Indian Embassy", "AGENCY"), ("Royal Thai Police", "AGENCY"), ("Korean Air", "ORG"), ("Interpol", "AGENCY"),
    ("Nation", "ORG"), ("Telegram", "ORG"), ("de Lima", "PERSON"), ("Lao Cai", "GPE"), ("Georgia", "GPE"),
    ("Uganda", "GPE"), ("Đồng Xoài", "GPE"), ("7-Eleven", "ORG"), ("Marisol Tan", "PERSON"),
])
def test_names_kept(name: str, label: str) -> None:
    assert nn.why_not_a_name(name, label) is None


def test_nationality_detail_names_the_country() -> None:
    assert nn.why_not_a_name("Ugandan", "ORG") == (nn.RULE_DEMONYM, "nationality word of Uganda")
    assert nn.why_not_a_name("Nigerian", "ORG")[1].endswith("of Nigeria")       # not Niger's
    assert nn.why_not_a_name("Korean", "GPE")[1].endswith("of South Korea")     # the language's main territory


def _m(text: str, name: str, label: str, source: str = "model", nth: int = 0) -> Mention:
    s = -1
    for _ in range(nth + 1):
        s = text.index(name, s + 1)
    return Mention(name, label, s, s + len(name), name, source=source)


def test_context_rules_and_evidence() -> None:
    text = ("Regulators issued a notice of proposed rulemaking (NPRM) on Tuesday.\n"
            "Future Cooperation\n"
            "The NPRM names the Delmora Trust, said the border guard force (BGF).")
    ms = [_m(text, "NPRM", "ORG"), _m(text, "Future Cooperation", "ORG"), _m(text, "NPRM", "ORG", nth=1),
          _m(text, "Delmora Trust", "ORG"), _m(text, "BGF", "ARMED_GROUP")]
    kept, dropped = nn.drop_not_names(text, ms)
    assert [m.text for m in kept] == ["Delmora Trust", "BGF"]     # a lower-case body name keeps its acronym
    rules = [(d.text, d.rule) for d in dropped]
    assert ("NPRM", nn.RULE_ACRONYM_OF_PHRASE) in rules
    assert next(d for d in dropped if d.text == "NPRM").detail == "stands for 'notice of proposed rulemaking'"
    if nn._zipf() is not None:   # the heading rule asks wordfreq (installed with spaCy)
        assert ("Future Cooperation", nn.RULE_HEADING) in rules


def test_heading_rule_keeps_names_alone_on_a_line() -> None:
    if nn._zipf() is None:
        pytest.skip("wordfreq not installed")
    text = "Financial Crimes Enforcement Network\nDAILY LANTERN NEWS\nKorvath Silverline\nSEOUL : A flight left."
    ms = [_m(text, "Financial Crimes Enforcement Network", "ORG"), _m(text, "DAILY LANTERN NEWS", "ORG"),
          _m(text, "Korvath Silverline", "ORG"), _m(text, "SEOUL", "GPE")]
    kept, dropped = nn.drop_not_names(text, ms)
    assert dropped == []


def test_gazetteer_and_dateline_mentions_are_never_judged() -> None:
    text = "Embassy staff met in Thai waters."
    ms = [_m(text, "Embassy", "AGENCY", source="gazetteer"), _m(text, "Thai", "GPE", source="dateline")]
    kept, dropped = nn.drop_not_names(text, ms)
    assert kept == ms and dropped == []


def test_other_language_keeps_only_multiword_capitalised_names() -> None:
    text = "Según Marta Quintero Ruiz, las autoridades de Camboya dijeron que no."
    ms = [_m(text, "Marta Quintero Ruiz", "PERSON"), _m(text, "las autoridades", "GPE"),
          _m(text, "de Camboya", "PERSON"), _m(text, "Según", "PERSON")]
    kept, dropped = nn.drop_not_names(text, ms, language="es")
    assert [m.text for m in kept] == ["Marta Quintero Ruiz"]
    assert {d.rule for d in dropped} == {nn.RULE_NOT_ENGLISH}
    kept_en, _ = nn.drop_not_names(text, ms, language="en-GB")
    assert "de Camboya" in [m.text for m in kept_en]     # in English the rule does not apply
    assert nn.is_english(None) and nn.is_english("EN_us") and not nn.is_english("pt")


def test_model_drops_junk_with_evidence() -> None:
    _model()
    text = ("The Embassy said the workers would fly home on Friday. Ugandan officials said 40 Ugandan citizens "
            "were still held. A court in Manila sentenced Rafael Montano in absentia to 12 years.\n"
            "• Footage smuggled out of the compound shows beatings.\n"
            "Regulators published a notice of proposed rulemaking (NPRM) on Tuesday. The NPRM would bar the bank.")
    dropped: list[nn.Dropped] = []
    names = {m.text for m in find_entities(text, dropped=dropped)}
    assert "Rafael Montano" in names and "Manila" in names
    assert not names & {"Embassy", "Ugandan", "absentia", "• Footage", "NPRM"}
    rules = {d.text: d.rule for d in dropped}
    assert rules["Embassy"] == nn.RULE_INSTITUTION and rules["absentia"] == nn.RULE_NO_CAPITAL
    assert rules["Ugandan"] == nn.RULE_DEMONYM and rules["NPRM"] == nn.RULE_ACRONYM_OF_PHRASE
    for d in dropped:
        assert text[d.start:d.end] == d.text


def test_model_other_language_article_lends_no_words_to_aliases() -> None:
    _model()
    text = "Las autoridades de Camboya dijeron que el grupo fue detenido ya que no tenía visados."
    art = Article(id="a1", source="t", text=text, language="es")
    assert [m.text for m in ex.extract(art).mentions] == []
    art_en = Article(id="a2", source="t", text=text, language=None)   # taken for English: v3's junk stays
    assert any(m.text == "ya que" or m.text == "de Camboya" for m in ex.extract(art_en).mentions)


def test_rules_path_drops_nationality_words() -> None:
    text = "Eleven Filipinos were freed. Filipinos said the guards beat them. The Lalor Group paid them."
    names = {m.text for m in find_entities(text, use_model=False)}
    assert "Lalor Group" in names
    assert not names & {"Eleven Filipinos", "Filipinos"}


def test_trim_unclosed_parenthesis_and_curly_possessive() -> None:
    text = "the Bureau of Immigration (BI) and the Treasury‘s office"
    s = text.index("Bureau")
    assert entities._trim(text, s, text.index("BI)") + 2)[2] == "Bureau of Immigration"
    t = text.index("Treasury")
    assert entities._trim(text, t, t + len("Treasury‘s"))[2] == "Treasury"


def test_person_titles_and_openers_are_cut_off() -> None:
    text = ("Although Venn said so, Harlow Mayor Odile Venn left. Ms Quarrie spoke. The Ruritanian Ambassador "
            "came. Major General Tomas Arkwright agreed.")
    ms = [_m(text, "Although Venn", "PERSON"), _m(text, "Harlow Mayor Odile Venn", "PERSON"),
          _m(text, "Ms Quarrie", "PERSON"), _m(text, "Ruritanian Ambassador", "PERSON"),
          _m(text, "Major General Tomas Arkwright", "PERSON")]
    kept, dropped = nn.drop_not_names(text, ms)
    assert [(m.text, m.canonical) for m in kept] == [("Venn", "Venn"), ("Odile Venn", "Odile Venn"),
                                                     ("Quarrie", "Quarrie"), ("Tomas Arkwright", "Tomas Arkwright")]
    for m in kept:
        assert text[m.start:m.end] == m.text
    rules = {(d.text, d.rule) for d in dropped}
    assert ("Although", nn.RULE_OPENER) in rules and ("Harlow Mayor", nn.RULE_TITLE) in rules
    assert ("Ruritanian Ambassador", nn.RULE_TITLE) in rules          # a post alone names no person
    # the rule recogniser's surname carries the full name it found: that loses the title too
    (m,) = [_m(text, "Quarrie", "PERSON", source="rules")]
    m.canonical = "Ms Quarrie"
    kept, _ = nn.drop_not_names(text, [m])
    assert kept[0].canonical == "Quarrie"


def test_relabels_and_line_breaks() -> None:
    text = "Sri Lanka sent envoys.\nNorth Harbin Trade Commission met.\nTerminal Reader\nRead more. Jordan spoke."
    ms = [_m(text, "Sri Lanka", "PERSON", source="rules"), _m(text, "North Harbin Trade Commission", "PERSON"),
          _m(text, "Terminal Reader\nRead", "PERSON", source="rules"), _m(text, "Jordan", "PERSON")]
    kept, dropped = nn.drop_not_names(text, ms)
    assert [(m.text, m.label) for m in kept] == [("Sri Lanka", "GPE"), ("North Harbin Trade Commission", "ORG"),
                                                 ("Jordan", "PERSON")]   # one word may be a person's name
    assert {d.rule for d in dropped} == {nn.RULE_TERRITORY, nn.RULE_BODY, nn.RULE_LINE_BREAK}


# --- extract.not-names-v2: places of the general gazetteer (extract.places-v1), acronym after a name ---

def test_place_gazetteer_relabels_people_and_organisations_with_evidence() -> None:
    """A PERSON/ORG name that is exactly a subdivision (with or without "Province"), a country under
    another spelling or a city above CITY_MIN_POPULATION becomes GPE, each with the rule and what it is.
    Failed on not-names v1 (all four kept their labels)."""
    text = "Gia Lai police met. Bokeo Province officials came. Viet Nam said so. Flights left Incheon."
    ms = [_m(text, "Gia Lai", "PERSON"), _m(text, "Bokeo Province", "ORG"), _m(text, "Viet Nam", "ORG"),
          _m(text, "Incheon", "ORG")]
    kept, dropped = nn.drop_not_names(text, ms)
    assert [(m.text, m.label) for m in kept] == [("Gia Lai", "GPE"), ("Bokeo Province", "GPE"),
                                                 ("Viet Nam", "GPE"), ("Incheon", "GPE")]
    assert [d.rule for d in dropped] == [nn.RULE_PLACE] * 4
    assert "subdivision" in dropped[0].detail and "city of" in dropped[3].detail


def test_place_gazetteer_keeps_organisation_words_one_word_people_and_acronyms() -> None:
    """"Newport News" is a city of the gazetteer but its words name a newspaper: kept ORG. A one-word
    person named like a place ("Georgia", a US state) is left to the article's own evidence; an all-capitals
    acronym ("ANN") is never looked up; a name of a place plus a body word is no place."""
    text = "Newport News reported it. Georgia said no. ANN wrote. Tarlac Police came."
    ms = [_m(text, "Newport News", "ORG"), _m(text, "Georgia", "PERSON"), _m(text, "ANN", "ORG"),
          _m(text, "Tarlac Police", "ORG")]
    kept, dropped = nn.drop_not_names(text, ms)
    assert [(m.text, m.label) for m in kept] == [("Newport News", "ORG"), ("Georgia", "PERSON"), ("ANN", "ORG"),
                                                 ("Tarlac Police", "ORG")]
    assert not dropped


def test_place_gazetteer_folds_names() -> None:
    from scamtrace.extract.places import CITY_MIN_POPULATION, place_key, place_name
    assert place_key("Đồng Nai") == place_key("DONG NAI") == place_key("Dong-Nai")
    assert place_name("Dong Nai") and place_name("Đồng Nai") and place_name("Kayin State")
    assert place_name("Amnesty") is None and place_name("") is None and place_name("MON") is None
    assert CITY_MIN_POPULATION > 20_000   # given names of small towns ("Linda", "Anna") are not places


def test_one_word_person_with_an_acronym_after_is_a_body_in_the_whole_text() -> None:
    """"Tether (USDT)": a one-word person written with an acronym after it is ORG, and so is every person
    mention of that name in the text; a full name with a party tag stays a person."""
    text = "Funds went into Tether (USDT). Later the DOJ praised Tether. Hun Manet (CPP) spoke."
    ms = [_m(text, "Tether", "PERSON"), _m(text, "Tether", "PERSON", nth=1), _m(text, "Hun Manet", "PERSON")]
    kept, dropped = nn.drop_not_names(text, ms)
    assert [(m.text, m.label) for m in kept] == [("Tether", "ORG"), ("Tether", "ORG"), ("Hun Manet", "PERSON")]
    assert [d.rule for d in dropped] == [nn.RULE_ACRONYM_BODY] * 2


def test_model_and_rules_type_provinces_and_cities_as_places() -> None:
    """End to end on both recognisers: places the model or the rules took for people or bodies are GPE
    (the rules took "Kuala Lumpur" for a person, the model "Ninh Binh" and "Tarlac")."""
    text = "Victims were flown from Kuala Lumpur to Ninh Binh. Mr Tan said Kuala Lumpur was the hub.\n" \
           "Police in Gia Lai and Ninh Binh arrested them. Officials from Tarlac said so."
    for use_model, want in ((False, {"Kuala Lumpur"}), (True, {"Kuala Lumpur", "Ninh Binh", "Tarlac"})):
        if use_model:
            _model()
        ms = find_entities(text, use_model=use_model)
        places = {m.canonical for m in ms if m.label == "GPE"}
        assert want <= places, use_model
        assert not any(m.label in ("PERSON", "ORG") and m.canonical in places for m in ms)


def test_an_acronym_of_no_place_taken_for_a_place_is_an_organisation() -> None:
    """"ST" and "USDT" tagged GPE are the initials of no country, subdivision or large city: ORG. Country
    initials ("UK", "UAE", "ROK", "DRC"), a place written in capitals ("SEOUL") and dotted abbreviations
    ("D.C.") stay places."""
    from scamtrace.extract.places import acronym_not_a_place
    text = "ST said USDT moved. The UK, UAE and SEOUL agreed. D.C. too."
    ms = [_m(text, x, "GPE") for x in ("ST", "USDT", "UK", "UAE", "SEOUL", "D.C.")]
    kept, dropped = nn.drop_not_names(text, ms)
    assert [(m.text, m.label) for m in kept] == [("ST", "ORG"), ("USDT", "ORG"), ("UK", "GPE"), ("UAE", "GPE"),
                                                 ("SEOUL", "GPE"), ("D.C.", "GPE")]
    assert [d.rule for d in dropped] == [nn.RULE_ACRONYM_PLACE] * 2
    assert not acronym_not_a_place("ROK") and not acronym_not_a_place("DRC") and not acronym_not_a_place("HCMC")
