"""The article floor (clean.article-floor-v2, issue 15 item 7): a setting whose default keeps a
one-sentence wire brief and still refuses empty pages, menus, stubs and cut-off fragments."""
from __future__ import annotations

import json

import pytest

from conftest import DEMO, shared_dir
from scamtrace import api
from scamtrace.clean import BRIEF_CHECK_WORDS, MIN_ARTICLE_WORDS, clean_doc, has_full_sentence
from scamtrace.clean.text import article_size
from scamtrace.errors import EmptyArticle
from scamtrace.model import RawDoc
from scamtrace.settings import Settings

# Written for this test (fictional, like the demo corpus).
BRIEF_20 = "VIENTIANE (MWN) — Lao police detained 41 foreign workers at a casino compound near the Thai border on Monday."
FLASH_28 = ("BANGKOK (MWN) — Thai authorities cut power to five border towns on Wednesday, saying the supply had "
            "been feeding scam compounds that hold thousands of workers across the river.")
MENU = "Home\n\nNews\n\nWorld Asia Business Markets Sport Culture Opinion\n\nVideo Podcasts About Contact Us Privacy Terms"
FRAGMENT = "BAN PHA DAENG, Thailand (MWN) — Soldiers from an ethnic armed group and others moved towards the"


def _clean(body: str, **kw):  # noqa: ANN202
    return clean_doc(RawDoc(source="t.txt", body=body, fmt="text"), **kw)


@pytest.mark.parametrize("text", [BRIEF_20, FLASH_28])
def test_default_floor_keeps_a_one_sentence_wire_brief(text):
    assert article_size(text) <= 28
    art = _clean(text)
    assert art.text == text


@pytest.mark.parametrize("text", ["", MENU, FRAGMENT, "Scam hub raided", "Related stories\n\nMore news\n\nSubscribe"])
def test_empty_pages_menus_stubs_and_fragments_are_still_refused(text):
    with pytest.raises(EmptyArticle):
        _clean(text or " ")


def test_the_floor_is_a_setting():
    assert Settings().min_article_words == MIN_ARTICLE_WORDS <= 10 < BRIEF_CHECK_WORDS
    with pytest.raises(EmptyArticle, match=r"need 40"):
        _clean(FLASH_28, min_words=40)
    assert has_full_sentence([BRIEF_20]) and not has_full_sentence([FRAGMENT]) and not has_full_sentence([MENU])


def test_ingest_uses_the_setting(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "flash.txt").write_text(FLASH_28, encoding="utf-8")
    store = api.open_store(tmp_path / "a.db")
    assert api.ingest(store, [str(tmp_path / "in")]).new == 1
    strict = api.open_store(tmp_path / "b.db")
    stats = api.ingest(strict, [str(tmp_path / "in")], Settings(min_article_words=40))
    assert stats.new == 0 and "need 40" in stats.reject_reasons[0]


def test_demo_bad_inputs_still_refused(tmp_path):
    store = api.open_store(tmp_path / "bad.db")
    stats = api.ingest(store, [str(DEMO / "bad")])
    reasons = " ".join(stats.reject_reasons)
    assert "nav-only.html" in reasons and "empty.html" in reasons and "broken.xml#entry1" in reasons


def test_ecbplus_short_real_articles_are_kept():
    path = shared_dir() / "datasets" / "ecbplus" / "articles.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} not found; set SCAMTRACE_SHARED to the shared/ folder")
    refused = []
    records = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    for r in records:
        try:
            clean_doc(RawDoc(source=r["id"], body=r["text"], fmt="text", title=r.get("title"), outlet=r.get("outlet")))
        except EmptyArticle:
            refused.append(r["id"])
    # the fixed 40-word floor refused 75 of 982; v2 refuses 7 (headline-only, 7-word and cut-off texts)
    assert len(records) == 982 and len(refused) <= 7, refused


def test_a_short_brief_in_a_script_without_spaces_or_case_is_kept():
    zh = "警方周一在边境地区的一个诈骗园区解救了四百多名外国工人，官员说他们将被遣返。"
    assert has_full_sentence([zh])
    assert _clean(zh).language == "zh"
