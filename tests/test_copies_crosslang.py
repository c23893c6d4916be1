"""Translations (copies.crosslang-v1, classify-v7): the cross-language channel and the translation test,
on texts written here (an English report and a Spanish rendering of it, invented for the test)."""
from __future__ import annotations

import datetime as dt

from scamtrace.copies import classify_pair
from scamtrace.copies.crosslang import anchors, crosslang_pairs, organisation, translation_evidence
from scamtrace.copies.engine import find_copies
from scamtrace.model import Article

EN = ("About 45 workers held at the Golden Lotus compound in Myawaddy will fly home on Tuesday, "
      "Interior Minister Tomas Valdivia told reporters in Santiago.\n\n"
      "The chartered plane leaves Mae Sot at 11 p.m. and lands at Arturo Merino Benitez airport, "
      "Valdivia said, adding that 17 of the 45 face charges.\n\n"
      "The ministry thanked the Thai police and the embassy in Bangkok for their help.")
ES = ("Unos 45 trabajadores retenidos en el complejo Golden Lotus de Myawaddy volverán el martes, "
      "informó el ministro del Interior, Tomas Valdivia, en Santiago.\n\n"
      "El avión fletado sale de Mae Sot a las 23 horas y aterriza en el aeropuerto Arturo Merino Benitez, "
      "dijo Valdivia, quien añadió que 17 de los 45 enfrentan cargos.\n\n"
      "El ministerio agradeció a la policía tailandesa y a la embajada en Bangkok su ayuda.")
OTHER = ("Flooding closed three roads in Valparaiso on Monday, the regional governor said, "
         "and 12 families left their homes near the river.")


def _art(aid: str, text: str, outlet: str, lang: str | None) -> Article:
    return Article(id=aid, source="test", text=text, outlet=outlet, language=lang, published=dt.date(2025, 3, 4))


def test_organisation_is_the_registered_domain():
    assert organisation("world.kbs.co.kr") == organisation("rki.kbs.co.kr") == "kbs.co.kr"
    assert organisation("www.example.com") == organisation("news.example.com") == "example.com"
    assert organisation("bbc.co.uk") == "bbc.co.uk"
    assert organisation("") is None and organisation(None) is None


def test_channel_pairs_one_organisation_in_two_languages_only():
    items = [("en1", "news.radio.cl", "en"), ("es1", "es.radio.cl", "es"), ("en2", "radio.cl", "en"),
             ("es2", "other.com", "es"), ("x", "es.radio.cl", None)]
    assert crosslang_pairs(items) == {("en1", "es1"), ("en2", "es1")}


def test_anchors_keep_numbers_and_names_in_order():
    xs = anchors(ES)
    assert xs[:4] == ["45", "golden", "lotus", "myawaddy"] and "valdivia" in xs and "unos" not in xs


def test_a_translation_by_the_same_organisation_is_a_rewrite():
    en, es = _art("en", EN, "english.radio.cl", "en"), _art("es", ES, "espanol.radio.cl", "es")
    link = classify_pair(es, en)
    assert link is not None and link.relation == "rewrite"
    ev = link.evidence["features"]["translation"]
    assert ev["translation"] and ev["organisation"] == "radio.cl" and {"valdivia", "myawaddy"} <= set(ev["shared_anchors"])


def test_no_translation_across_organisations_or_within_one_language_or_across_stories():
    en = _art("en", EN, "english.radio.cl", "en")
    assert classify_pair(_art("es", ES, "another.org", "es"), en) is None          # other publisher
    assert translation_evidence(en, _art("en2", ES, "espanol.radio.cl", "en"), EN, ES) is None   # same language
    assert classify_pair(_art("es", OTHER, "espanol.radio.cl", "es"), en) is None   # other story


def test_find_copies_links_a_translation_the_index_cannot_find():
    arts = [_art("en", EN, "english.radio.cl", "en"), _art("es", ES, "espanol.radio.cl", "es")]
    pairs = sorted(crosslang_pairs((a.id, a.outlet, a.language) for a in arts))
    res = find_copies(arts, candidates=pairs)
    assert [(ln.relation, {ln.article, ln.source or ln.sibling}) for ln in res.links][:1] == [("rewrite", {"en", "es"})]
    assert len({f.id for f in res.families if {"en", "es"} <= set(f.members)}) == 1
