"""Noise that a reader will distrust (issue 15 item 9): places tagged as people, a dateline split into
two organisations, a spun copy's garbled names and quotes, a drowning listed as a rescue, a time
taken for a claimant. Sentences are invented; the demo store test reads examples/demo."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scamtrace import api
from scamtrace.extract import extract
from scamtrace.extract.entities import find_entities
from scamtrace.extract.events import find_events
from scamtrace.extract.family_wording import corrections, normal_texts
from scamtrace.extract.figures import find_figures
from scamtrace.model import Article

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo"


@pytest.fixture(params=[False, None], ids=["rules", "model-if-installed"])
def use_model(request):
    return request.param


def _labels(text: str, use_model) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for m in find_entities(text, use_model=use_model):
        out.setdefault(m.canonical, set()).add(m.label)
    return out


def test_dateline_is_one_place_not_two_organisations(use_model) -> None:
    got = _labels("MAE SOT, Thailand (SWA) — An armed group said it had detained 4,000 people.\n\n"
                  "KORAT HILLS — The market reopened.", use_model)
    assert got.get("Mae Sot") == {"GPE"}
    assert "MAE" not in got and "SOT" not in got
    assert got.get("Korat Hills") == {"GPE"}   # not in the gazetteer: title case, GPE


def test_places_the_article_uses_as_places_are_not_people(use_model) -> None:
    text = ("BAN PHA DAENG, Thailand (MWN) — Soldiers raided the compound 9 km south of Ban Pha Daeng in "
            "Thailand's Tak province. Anuwat Srisombat, who heads the task force in Tak, said workers at "
            "Jade Harbour and in Pha Daeng were screened.")
    got = _labels(text, use_model)
    for place in ("Ban Pha Daeng", "Tak"):
        assert got.get(place) and "PERSON" not in got[place], (place, got.get(place))
    assert "PERSON" not in got.get("Jade Harbour", set())   # the rules find no name there; the model a LOC
    assert "Pha Daeng" not in got   # the tail of the dateline's place resolves to it
    assert got.get("Anuwat Srisombat") == {"PERSON"}


def test_drowning_is_a_death_not_a_rescue() -> None:
    art = Article(id="x", source="x.txt", published=dt.date(2025, 3, 10),
                  text="Two people, a farmer and his teenage son, drowned when their boat capsized on Friday, "
                       "according to the town's volunteer rescue team.")
    types = [e.type for e in find_events(art, extract(art, use_model=False))]
    assert types == ["death"]
    art.text = "Police rescued 40 workers from the compound on Friday with a rescue team."
    assert "rescue" in [e.type for e in find_events(art, extract(art, use_model=False))]


def test_a_time_is_no_claimant() -> None:
    figs = find_figures('A statement said "4,132 foreign workers" had been registered by Tuesday evening.',
                        dt.date(2025, 3, 4))
    assert [(f.value, f.claimant) for f in figs] == [(4132, None)]
    f, = find_figures("About 41 suspected organizers were identified by Thai police.", dt.date(2025, 3, 4))
    assert f.claimant == "Thai police"


def test_family_wording_decisions() -> None:
    family_of = {"orig": "f", "spin": "f", "other": "g"}
    members = {"f": ["orig", "spin"], "g": ["other"]}
    assert normal_texts("spin", family_of, members, {"spin"}) == ["orig"]
    assert normal_texts("other", family_of, members, {"other"}) == []   # no normal text: nothing to take
    texts = {"orig": "The Dawna Border Defence Army said: “We will not allow our territory to be used by criminals.” "
                     "Saw Min Dee, a spokesman for the group, said 600 troops surrounded the site.",
             "spin": "The Dawna Boundary Protection Military said: “We will certainly not permit our area to be utilized "
                     "by bad guys.” Saw Min Dee, a replacement priest, said 600 soldiers bordered the website."}
    mentions = [
        {"id": 1, "article": "orig", "text": "Dawna Border Defence Army", "label": "ARMED_GROUP",
         "canonical": "Dawna Border Defence Army", "role": None, "source": "model"},
        {"id": 2, "article": "orig", "text": "Saw Min Dee", "label": "PERSON", "canonical": "Saw Min Dee",
         "role": "a spokesman for the group", "source": "model"},
        {"id": 3, "article": "spin", "text": "Dawna Boundary Protection Military", "label": "ORG",
         "canonical": "Dawna Boundary Protection Military", "role": None, "source": "model"},
        {"id": 4, "article": "spin", "text": "Saw Min Dee", "label": "PERSON", "canonical": "Saw Min Dee",
         "role": "a replacement priest", "source": "model"},
        {"id": 5, "article": "spin", "text": "Saw Min Dee Jr", "label": "PERSON", "canonical": "Saw Min Dee Jr",
         "role": None, "source": "model"},
    ]
    quotes = [{"id": 10, "article": "orig", "quote": "We will not allow our territory to be used by criminals.", "speaker": "Dawna Border Defence Army"},
              {"id": 11, "article": "spin", "quote": "We will certainly not permit our area to be utilized by bad guys.", "speaker": None},
              {"id": 12, "article": "spin", "quote": "We will not allow our territory to be used by criminals!", "speaker": None}]
    figures = [{"id": 20, "article": "orig", "value": 600.0, "unit": "people", "what": "troops surrounded", "action": "surrounded",
                "claimant": "Saw Min Dee"},
               {"id": 21, "article": "spin", "value": 600.0, "unit": "people", "what": "soldiers bordered", "action": None,
                "claimant": "Dawna Boundary Protection Military"}]
    c = corrections("spin", ["orig"], texts, mentions, quotes, figures)
    assert c.drop_mentions == [3]                          # a garbled name becomes no actor
    assert c.rename_mentions == [(5, "Saw Min Dee")]       # a near name takes the normal text's name
    assert c.mention_roles == [(4, "a spokesman for the group")]
    assert c.drop_quotes == [11]                           # a garbled quote is not listed as real
    assert c.replace_quotes == [(12, "We will not allow our territory to be used by criminals.", "Dawna Border Defence Army")]
    assert c.figure_whats == [(21, "troops surrounded", "surrounded", "Saw Min Dee", "people")]


@pytest.fixture(scope="module")
def demo_store(demo_db):
    return api.open_store(demo_db)


def test_demo_has_no_distrusted_noise(demo_store) -> None:
    actors = {r["name"]: r["label"] for r in demo_store.execute("SELECT name, label FROM actors")}
    for place in ("Tak", "Jade Harbour", "Ban Pha Daeng"):
        assert actors.get(place) not in (None, "PERSON"), (place, actors.get(place))
    assert "MAE" not in actors and "SOT" not in actors and actors.get("Mae Sot") == "GPE"
    assert not [a for a in actors if "Boundary" in a or "Liberty" in a], actors
    spun = [r["article"] for r in demo_store.execute("SELECT article FROM links WHERE relation = 'spun'")]
    assert spun, "the demo has spun copies"
    quotes = [r["quote"] for r in demo_store.execute("SELECT quote FROM quotes")]
    assert not [q for q in quotes if "bad guys" in q or "certainly not permit" in q]
    claimants = {r["claimant"] for r in demo_store.execute("SELECT claimant FROM figures WHERE claimant IS NOT NULL")}
    assert not [c for c in claimants if "Tuesday" in c or "Boundary" in c], claimants
    rescues = [r["sentence"] for r in demo_store.execute("SELECT sentence FROM events WHERE type = 'rescue'")]
    assert not [s for s in rescues if "drowned" in s]


def test_family_wording_takes_the_same_speakers_quote_of_the_same_rank() -> None:
    texts = {"orig": "x", "spin": "y"}
    quotes = [{"id": 1, "article": "orig", "quote": "We will not allow our territory to be used by criminals", "speaker": "Saw Min Dee"},
              {"id": 2, "article": "orig", "quote": "a number of key organizers", "speaker": "Qiao Wenbin"},
              {"id": 3, "article": "spin", "quote": "We will certainly not permit our area to be utilized by bad guys",
               "speaker": "Saw Min Dee"},
              {"id": 4, "article": "spin", "quote": "a variety of vital coordinators", "speaker": "Qiao Wenbin"},
              {"id": 5, "article": "spin", "quote": "nothing like any quote of the family at all", "speaker": "Someone Else"}]
    c = corrections("spin", ["orig"], texts, [], quotes, [])
    assert c.replace_quotes == [(3, quotes[0]["quote"], "Saw Min Dee"), (4, quotes[1]["quote"], "Qiao Wenbin")]
    assert c.drop_quotes == [5]
