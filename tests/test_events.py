"""Event frames (extract.events-v1), their merging (extract.events-merge-v1) and evaluation."""
from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest

from scamtrace.clean import clean_doc
from scamtrace.errors import GoldFileError
from scamtrace.eval.events import evaluate_events, events_for, load_gold
from scamtrace.extract import extract
from scamtrace.extract.events import (ALGO_EVENTS, ALGO_MERGE, EVENT_TYPES, Event, compile_pattern, find_events, load_triggers,
                                      merge_events)
from scamtrace.model import Article, RawDoc

GOLD = Path(__file__).resolve().parent / "gold"

# Floors sit a little under what tests/gold measured when they were pinned (seeds: P 1.00 R 0.98
# F1 0.99; demo: P 1.00 R 0.89 F1 0.94, rule-based entities). Both gold sets were used while
# writing the trigger lexicon, so these are development scores (the demo scored F1 0.56 on its first,
# blind run). Lowering a floor is a reviewed change.
SEED_F1_FLOOR = 0.94
SEED_PRECISION_FLOOR = 0.95
DEMO_F1_FLOOR = 0.89
DEMO_PRECISION_FLOOR = 0.94

#: Publication dates of the seeds (the .txt files carry none; 004 states its own). 002 is a digest
#: whose date is not known: its relative dates stay unresolved and its gold dates are null.
SEED_PUBLISHED = {"000": dt.date(2023, 12, 5), "001": dt.date(2023, 12, 5), "003": dt.date(2023, 10, 24),
                  "004": dt.date(2023, 10, 24)}
#: Publication dates the demo text files state on their "Published"/dateline line, given explicitly so
#: this test does not depend on the cleaner's metadata detection. Files without one stay undated.
DEMO_TEXT_PUBLISHED = {"wire-raid-copy1.txt": dt.date(2025, 3, 4), "horizon-court.txt": dt.date(2025, 6, 25),
                       "singapore-mule.txt": dt.date(2025, 2, 13), "scamwatch-digest.txt": dt.date(2025, 3, 7),
                       "raid-rewrite-newsflash.txt": dt.date(2025, 3, 4)}


def _article(text: str, published: dt.date | None = dt.date(2025, 3, 12), aid: str = "t1", dateline: str | None = None) -> Article:
    return Article(id=aid, source=aid, text=text, published=published, dateline=dateline)


def _events(text: str, **kw) -> list[Event]:
    article = _article(text, **kw)
    return find_events(article, extract(article, use_model=False))


@pytest.fixture(scope="module")
def seed_articles(seeds_dir) -> list[Article]:
    out = []
    for p in sorted(seeds_dir.glob("*.txt")):
        a = clean_doc(RawDoc(source=str(p), body=p.read_text(encoding="utf-8"), fmt="text", id=p.name,
                             published=SEED_PUBLISHED.get(p.name[:3])))
        a.id = p.name
        out.append(a)
    return out


@pytest.fixture(scope="module")
def demo_articles(demo_dir) -> list[Article]:
    """The JSONL records and the text files of the demo corpus (the part the demo event gold covers)."""
    wire, text_dir = demo_dir / "jsonl" / "wire.jsonl", demo_dir / "text"
    if not wire.is_file() or not text_dir.is_dir():
        pytest.skip(f"demo corpus not found under {demo_dir}")
    out = []
    for line in wire.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        body, fmt = (r["text"], "text") if r.get("text") else (r["html"], "html")
        a = clean_doc(RawDoc(source=r["id"], body=body, fmt=fmt, id=r["id"], url=r.get("url"), title=r.get("title"),
                             outlet=r.get("outlet"), published=dt.date.fromisoformat(r["published"])))
        a.id = r["id"]
        out.append(a)
    for p in sorted(text_dir.glob("*.txt")):
        a = clean_doc(RawDoc(source=str(p), body=p.read_text(encoding="utf-8"), fmt="text", id=p.name,
                             published=DEMO_TEXT_PUBLISHED.get(p.name)))
        a.id = p.name
        out.append(a)
    return out


# ---------------------------------------------------------------- gold files and quality floors


@pytest.mark.parametrize("name", ["seeds_events.jsonl", "demo_events.jsonl"])
def test_gold_files_are_valid(name):
    lines = load_gold(GOLD / name)
    assert lines and all(g["type"] in EVENT_TYPES for g in lines)


def test_seed_gold_sentences_exist(seed_articles):
    by_id = {a.id: a.text for a in seed_articles}
    for g in load_gold(GOLD / "seeds_events.jsonl"):
        assert g["sentence_contains"] in by_id[g["key"]], g


def test_seed_events_meet_floor(seed_articles):
    result = evaluate_events(events_for(seed_articles), GOLD / "seeds_events.jsonl")
    assert result["f1"] >= SEED_F1_FLOOR, (result["misses"], result["false_positives"])
    assert result["precision"] >= SEED_PRECISION_FLOOR, result["false_positives"]


def test_demo_gold_sentences_exist(demo_articles):
    by_id = {a.id: a.text for a in demo_articles}
    for g in load_gold(GOLD / "demo_events.jsonl"):
        assert g["sentence_contains"] in by_id[g["key"]], g


def test_demo_events_meet_floor(demo_articles):
    result = evaluate_events(events_for(demo_articles), GOLD / "demo_events.jsonl")
    assert result["f1"] >= DEMO_F1_FLOOR, (result["misses"], result["false_positives"])
    assert result["precision"] >= DEMO_PRECISION_FLOOR, result["false_positives"]


def test_seed_handover_frame(seed_articles):
    art = next(a for a in seed_articles if a.id.startswith("000"))
    ev = next(e for e in events_for([art]) if e.type == "handover" and e.date == "2023-11-28")
    assert ev.place == "Wa" and ev.place_source == "sentence"
    assert ("police", "agent") in {(a.text, a.role) for a in ev.actors}
    assert [(f.value, f.unit) for f in ev.figures] == [(194.0, "people")]
    assert ev.algorithm == ALGO_EVENTS and ev.article_id == art.id
    assert art.text[ev.sentence_start:ev.sentence_end] == ev.sentence
    assert art.text[ev.trigger_start:ev.trigger_end] == ev.trigger


# ---------------------------------------------------------------- guards


@pytest.mark.parametrize("text", [
    "Police did not arrest the 40 suspects on Monday.",
    "Police denied raiding the compound on Monday.",
    "None of his family are known to have been arrested.",
    "He is now in a Thai prison fighting extradition to China in 2024.",
])
def test_negated_triggers_are_dropped(text):
    assert [e.type for e in _events(text) if e.type in ("arrest", "raid", "handover")] == []


@pytest.mark.parametrize("text, hedge", [
    ("Police could arrest the 40 suspects next week.", "modal:could"),
    ("It is unclear if they have been detained.", "modal:unclear"),
    ("Local authorities tried to arrest him on Nov. 15.", "modal:tried to"),
    ("\u201cWe arrested 40 people last week,\u201d the colonel said.", "quote"),
])
def test_modal_and_quoted_triggers_are_hedged(text, hedge):
    evs = [e for e in _events(text) if e.type == "arrest"]
    assert len(evs) == 1 and evs[0].hedged and evs[0].hedge == hedge


def test_participle_describing_people_is_not_an_event():
    evs = _events("Among those arrested are 12 relatives of the commander, officials said on Monday.")
    assert [e for e in evs if e.type == "arrest"] == []


def test_reduced_relative_describes_people_but_deaths_count():
    evs = _events("Police handed 612 Chinese nationals rescued from the compound to Thai authorities on Tuesday.")
    assert [e.type for e in evs] == ["handover"]
    assert [e.type for e in _events("Three workers killed in the compound were buried on Monday.")] == ["death"]


def test_generic_noun_needs_an_anchor():
    assert _events("The crackdown has become a factor in the conflict.") == []
    evs = _events("Regional authorities have netted hundreds of people in a crackdown.")
    assert [e.type for e in evs] == ["crackdown"]


def test_one_event_per_sentence_and_type():
    evs = _events("Police arrested 12 men and detained 30 women in Mae Sot on Monday.")
    arrests = [e for e in evs if e.type == "arrest"]
    assert len(arrests) == 1
    assert arrests[0].trigger == "arrested" and arrests[0].evidence["other_triggers"] == ["detained"]


# ---------------------------------------------------------------- slots


def test_date_is_never_the_publication_date_silently():
    ev = _events("Thai police arrested 12 suspects at the border.")[0]
    assert ev.date is None and ev.date_source == "none"


def test_unresolved_date_without_publication_date():
    ev = _events("Thai police arrested 12 suspects on Tuesday.", published=None)[0]
    assert ev.date is None and ev.date_source == "unresolved" and ev.date_text == "Tuesday"


def test_date_goes_to_the_nearest_event():
    evs = {e.type: e for e in _events("The raid follows the arrest in January of 212 people at a nearby site.")}
    assert "raid" not in evs   # a bare back-reference to the raid
    assert evs["arrest"].date == "2025-01-01/2025-01-31" and evs["arrest"].date_source == "sentence"


def test_coordinated_events_share_a_date_but_not_a_possessive_one():
    evs = {e.type: e for e in _events("Police raided a compound in Myawaddy on Friday and detained 250 workers.")}
    assert evs["raid"].date == evs["arrest"].date == "2025-03-07"
    evs = {e.type: e for e in _events("He was jailed on Tuesday, in the first trial to come out of this year's crackdown.")}
    assert evs["trial"].date is None and evs["crackdown"].date == "2025-01-01/2025-03-12"


def test_report_date_is_a_fallback_and_says_so():
    ev = _events("Police said on Tuesday that they had arrested 12 suspects.")[0]
    assert ev.date == "2025-03-11" and ev.date_source == "report"


def test_roles_agent_patient_authority():
    ev = _events("On Monday, the ministry announced that Thai police had arrested 12 suspects in Mae Sot.")[0]
    roles = {(a.text, a.role) for a in ev.actors}
    assert ("police", "agent") in roles and ("suspects", "patient") in roles and ("ministry", "authority") in roles
    assert ev.place == "Mae Sot" and "Mae Sot" not in {a.text for a in ev.actors}   # a place, not an actor


def test_passive_voice_roles():
    ev = _events("Twelve suspects were arrested by Thai police in Mae Sot on Monday.")[0]
    roles = {(a.text, a.role) for a in ev.actors}
    assert ("suspects", "patient") in roles and ("police", "agent") in roles


def test_dateline_is_the_place_fallback():
    ev = _events("Police arrested 12 suspects on Monday.", dateline="BANGKOK")[0]
    assert ev.place == "Bangkok" and ev.place_source == "dateline"


def test_find_events_rejects_bad_input():
    with pytest.raises(ValueError, match="Article"):
        find_events("not an article")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Extraction"):
        find_events(_article("x"), {"dates": []})  # type: ignore[arg-type]


# ---------------------------------------------------------------- lexicon


def test_pattern_gaps_and_word_boundaries():
    rx = compile_pattern("hand|handed *3 over|to")
    assert rx.search("police handed 194 Chinese nationals to China")
    assert not rx.search("police handed a very large number of people to China")
    assert not rx.search("bosses hand-in-hand with elites to")
    with pytest.raises(ValueError, match="may not start or end"):
        compile_pattern("* over")


def test_bad_lexicon_file_names_the_trigger(tmp_path):
    bad = tmp_path / "lex.json"
    bad.write_text(json.dumps({"triggers": [{"type": "picnic", "pos": "verb", "lemma": "x", "pattern": "x"}]}))
    with pytest.raises(ValueError, match="trigger 0.*'type' must be one of"):
        load_triggers(bad)
    bad.write_text("{not json")
    with pytest.raises(ValueError, match="not JSON"):
        load_triggers(bad)


def test_packaged_lexicon_covers_every_type():
    assert {t.type for t in load_triggers().triggers} == set(EVENT_TYPES)


# ---------------------------------------------------------------- merging


def _handover(aid: str, text: str) -> list[Event]:
    art = _article(text, published=dt.date(2023, 12, 5), aid=aid)
    return [e for e in find_events(art, extract(art, use_model=False)) if e.type == "handover"]


@pytest.fixture()
def two_reports() -> list[Event]:
    return (_handover("a1", "Wa police handed 194 Chinese nationals to Chinese authorities on Nov. 28.")
            + _handover("b1", "On Nov. 28, police in Wa handed over 194 people to China, state media said."))


def test_merge_counts_independent_sources(two_reports):
    [merged] = merge_events(two_reports, {"a1": "F1", "b1": "F2"})
    assert merged.type == "handover" and merged.date == "2023-11-28"
    assert merged.articles == 2 and merged.families == 2
    assert merged.evidence and set(merged.evidence[0]["shared"]) >= {"place", "figure"}


def test_merge_same_family_counts_once(two_reports):
    [merged] = merge_events(two_reports, {"a1": "F1", "b1": "F1"})
    assert merged.articles == 2 and merged.families == 1
    [merged] = merge_events(two_reports, lambda a: "F1")
    assert merged.families == 1


def test_merge_keeps_incompatible_dates_apart():
    evs = (_handover("a1", "Wa police handed 194 Chinese nationals to Chinese authorities on Nov. 28.")
           + _handover("b1", "Wa police handed 194 Chinese nationals to Chinese authorities on Nov. 20."))
    assert len(merge_events(evs)) == 2


def test_merge_undated_needs_a_strong_link():
    evs = (_handover("a1", "Police handed 12 people to China on Nov. 28.")
           + _handover("b1", "Police handed 40 people over to China."))
    assert len(merge_events(evs)) == 2   # only the country is shared


def _placed(aid: str, place: str, date: str | None = None) -> Event:
    return Event(id=f"{aid}:0:repatriation", article_id=aid, type="repatriation", trigger="returned", lemma="return",
                 trigger_start=0, trigger_end=8, sentence="(invented)", sentence_start=0, sentence_end=10,
                 date=date, date_start=date, date_end=date, place=place, place_source="sentence")


def test_merge_undated_needs_more_than_a_country_outside_the_gazetteer():
    """extract.events-merge-v4: a country named in data/outlet_countries.tsv but not in the gazetteer
    ("South Korea") is no strong link either (v3 joined these undated returns on it)."""
    assert len(merge_events([_placed("a1", "South Korea", "2026-01-23"), _placed("b1", "South Korea")])) == 2
    assert len(merge_events([_placed("a1", "Uganda", "2026-01-23"), _placed("b1", "Uganda")])) == 2
    # a place below country level still links them; two dated mentions still link on a country
    assert len(merge_events([_placed("a1", "Norlandia Bay", "2026-01-23"), _placed("b1", "Norlandia Bay")])) == 1
    assert len(merge_events([_placed("a1", "South Korea", "2026-01-23"), _placed("b1", "South Korea", "2026-01-23")])) == 1


def test_merge_is_deterministic_and_order_independent(seed_articles):
    events = events_for(seed_articles)
    base = [(m.id, m.articles, m.families) for m in merge_events(events, {})]
    for seed in range(3):
        shuffled = events[:]
        random.Random(seed).shuffle(shuffled)
        assert [(m.id, m.articles, m.families) for m in merge_events(shuffled, {})] == base
    # the AP story and its truncated copy report the Nov. 18 handover: one event, two articles
    nov18 = [m for m in merge_events(events, {}) if m.type == "handover" and m.date == "2023-11-18"]
    assert len(nov18) == 1 and nov18[0].articles == 2


# ---------------------------------------------------------------- evaluation


def _gold(**kw) -> dict:
    return {"key": "t1", "type": "arrest", "date": None, "place": None, "sentence_contains": "police arrested 12 suspects", **kw}


def test_evaluate_counts_and_hedged_are_excluded():
    evs = _events("Thai police arrested 12 suspects at the border. Police could raid 3 more compounds soon.")
    assert [e.type for e in evs] == ["arrest", "raid"] and evs[1].hedged
    result = evaluate_events(evs, [_gold(sentence_contains="Thai police arrested 12")])
    assert (result["tp"], result["fp"], result["fn"]) == (1, 0, 0)
    result = evaluate_events(evs, [_gold(sentence_contains="Thai police arrested 12")], include_hedged=True)
    assert (result["tp"], result["fp"], result["fn"]) == (1, 1, 0)
    result = evaluate_events(evs, [_gold(sentence_contains="Thai police arrested 12", date="2025-03-10")])
    assert (result["tp"], result["fp"], result["fn"]) == (0, 1, 1) and result["f1"] == 0.0


def test_gold_loader_names_the_bad_line(tmp_path):
    path = tmp_path / "g.jsonl"
    path.write_text(json.dumps(_gold()) + "\n" + json.dumps(_gold(sentence_contains="two words")) + "\n")
    with pytest.raises(GoldFileError, match=r"g.jsonl:2: 'sentence_contains' must be 3 to 8 words"):
        load_gold(path)
    path.write_text(json.dumps(_gold(date="Nov. 28")) + "\n")
    with pytest.raises(GoldFileError, match=r":1: 'date' must be null"):
        load_gold(path)
    path.write_text("{oops\n")
    with pytest.raises(GoldFileError, match="not JSON"):
        load_gold(path)


def _typed(aid: str, text: str) -> list[Event]:
    art = _article(text, aid=aid)
    return find_events(art, extract(art, use_model=False))


@pytest.mark.parametrize("a, b", [
    # an age describes a person: two 22-year-olds arrested in two towns are two arrests
    ("Police arrested a 22-year-old man in Mae Sot.", "Thai police arrested a 22-year-old student in Bangkok."),
    # a size describes a thing: two raids on 25-storey buildings are two raids
    ("Soldiers raided a 25-storey building in Myawaddy.", "Police raided one 25-storey building in Shwe Kokko."),
])
def test_merge_never_links_on_an_age_or_a_size(a, b):
    """extract.events-merge-v3: an age or a size is no shared figure (v2 joined these undated events on it)."""
    evs = _typed("a1", a) + _typed("b1", b)
    assert [e.type for e in evs][0] == [e.type for e in evs][1] and len(evs) == 2
    assert {f.unit for e in evs for f in e.figures} <= {"age", "storeys"}
    merged = merge_events(evs)
    assert len(merged) == 2 and all(m.algorithm == ALGO_MERGE for m in merged)


def test_merge_links_copies_of_one_sentence_on_an_age():
    """An age still links two copies of the same sentence (a wire report and its reprint)."""
    text = "Tan Shaoming, 39, was sentenced to death."
    evs = _typed("a1", text) + _typed("b1", text)
    assert [f.unit for e in evs for f in e.figures] == ["age", "age"]
    [merged] = merge_events(evs)
    assert merged.evidence[0]["shared"] == {"figure": [[39.0, "age"]]}


def test_merge_still_links_on_a_count():
    evs = (_typed("a1", "Police arrested 22 suspects in Mae Sot.")
           + _typed("b1", "Thai police arrested 22 suspects in Bangkok."))
    [merged] = merge_events(evs)
    assert merged.evidence[0]["shared"] == {"figure": [[22.0, "people"]]}
