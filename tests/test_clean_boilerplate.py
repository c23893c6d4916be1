"""Rule-based boilerplate removal and the per-outlet learned model."""
from __future__ import annotations

import pytest

from scamtrace.clean import CLEANER_TEXT, BoilerplateModel, clean_doc
from scamtrace.clean.boilerplate import split_title_suffix, strip_boilerplate
from scamtrace.errors import SettingError
from scamtrace.model import RawDoc

NEWS = [
    "Police in the border town said they had detained 40 people at a compound on Monday night.",
    "Officials say support from neighbouring countries has helped, and we will keep working with them, "
    "a spokesman told reporters, adding that your safety comes first.",
    "The ministry said more raids were planned for the coming weeks across the region.",
    "Rights groups say many of those held were trafficked and forced to work for the syndicates.",
]


def _reasons(paragraphs, **kw):
    res = strip_boilerplate(paragraphs, **kw)
    return res.kept, [r.reason for r in res.removed]


def test_news_paragraph_mentioning_support_stays():
    kept, reasons = _reasons(NEWS)
    assert kept == NEWS and reasons == []


@pytest.mark.parametrize("line, reason", [
    ("Your support helps us keep our journalism free for everyone.", "appeal"),
    ("Sign up for our newsletter to get the latest stories in your inbox.", "appeal"),
    ("Donate today and support independent reporting.", "appeal"),
    ("Share on Facebook Share on Twitter Email", "share-bar"),
    ("Spread the love", "share-bar"),
    ("Published", "published-stub"),
    ("Updated: 3 hours ago", "published-stub"),
    ("Read more »", "more-stub"),
    ("Continue reading", "more-stub"),
    ("—-", "separator"),
    ("example-news.com", "site-name"),
])
def test_single_boilerplate_lines(line, reason):
    kept, reasons = _reasons(NEWS[:2] + [line] + NEWS[2:])
    assert kept == NEWS and reasons == [reason]


def test_tail_cut_after_marker_late_in_text():
    paragraphs = NEWS + ["Related posts", "Another headline entirely", "Leave a Reply", "Name *"]
    kept, reasons = _reasons(paragraphs)
    assert kept == NEWS and reasons == ["tail"] * 4


@pytest.mark.parametrize("heading", ["Next In World News", "More in Politics", "Others Also Read", "Editor's Pick",
                                     "Latest news", "Top stories"])
def test_a_related_headline_list_ends_the_text(heading):
    """clean.boilerplate-rules-v2: the headlines listed under these headings are other articles' (one line
    each, no full stop: the hard-wrap test would join them into one run-on sentence with their numbers)."""
    listed = ["Flood warnings issued for three river towns", "Minister to visit the capital on Tuesday (June 18)",
              "Eight people hurt as bus overturns on highway"]
    kept, reasons = _reasons(NEWS + [heading] + listed)
    assert kept == NEWS and reasons == ["tail"] * 4
    prose = "The latest news from the border is that forty people were freed, and others also read it."
    kept, reasons = _reasons(NEWS + [prose])           # the words inside a sentence are no heading
    assert kept == NEWS + [prose] and reasons == []


def test_marker_early_drops_only_itself():
    paragraphs = ["Comments"] + NEWS
    kept, reasons = _reasons(paragraphs)
    assert kept == NEWS and reasons == ["tail-marker"]


def test_repeated_title_and_outlet_lines():
    title = "Raids Net Hundreds in Border Town"
    kept, reasons = _reasons([title.upper(), "Daily Example"] + NEWS, title=title, outlet="Daily Example")
    assert kept == NEWS and reasons == ["repeated-title", "site-name"]


def test_title_suffix_split():
    assert split_title_suffix("Raids net hundreds in border town-Example Tech News") == (
        "Raids net hundreds in border town", "Example Tech News")
    assert split_title_suffix("Raids net hundreds | The Daily Example") == ("Raids net hundreds", "The Daily Example")
    # a subtitle after a dash is not a site name
    assert split_title_suffix("Scam raids - what comes next for the region")[1] is None


# --- learned per-outlet boilerplate ---------------------------------------------------------

FOOTER = "Thanks for reading the Example Gazette, all rights reserved."
SHARED = "The governor announced new measures against fraud compounds on Friday."


def _page(i: int, extra: list[str]) -> str:
    return "\n\n".join([f"Story number {i} reports events in district {i} with details {i}."] + extra)


def test_same_outlet_repeated_line_removed_cross_outlet_shared_line_kept():
    docs = [("gazette", _page(i, [FOOTER, SHARED])) for i in range(3)]
    docs += [("courier", _page(10 + i, [SHARED])) for i in range(3)]
    model = BoilerplateModel(min_pages=3).fit(docs)
    assert model.is_boilerplate("gazette", FOOTER)
    assert not model.is_boilerplate("gazette", SHARED)      # on two outlets: evidence of copying
    assert not model.is_boilerplate("courier", SHARED)
    assert not model.is_boilerplate("courier", FOOTER)      # learned for its own outlet only
    kept, removed = model.strip("gazette", [FOOTER, SHARED])
    assert (kept, removed) == ([SHARED], [FOOTER])


def test_below_min_pages_not_learned_and_duplicates_count_once():
    same = _page(1, [FOOTER])
    model = BoilerplateModel(min_pages=3).fit([("gazette", same)] * 5 + [("gazette", _page(2, [FOOTER]))])
    assert not model.is_boilerplate("gazette", FOOTER)


def test_model_json_roundtrip_and_errors():
    model = BoilerplateModel(min_pages=2).fit([("gazette", _page(i, [FOOTER])) for i in range(2)])
    again = BoilerplateModel.from_json(model.to_json())
    assert again == model and again.is_boilerplate("gazette", FOOTER) and again.min_pages == 2
    with pytest.raises(ValueError, match="algorithm"):
        BoilerplateModel.from_json('{"algorithm": "clean.boilerplate-model-v0", "lines": {}}')
    with pytest.raises(ValueError, match="not valid JSON"):
        BoilerplateModel.from_json("{")
    with pytest.raises(SettingError, match="between"):
        BoilerplateModel(min_pages=1)
    with pytest.raises(ValueError, match="outlet"):
        BoilerplateModel().fit([("", "text")])


def test_default_min_pages_from_settings():
    assert BoilerplateModel().min_pages == 3


def test_clean_doc_uses_model():
    body = "\n\n".join(NEWS + [FOOTER])
    model = BoilerplateModel(min_pages=2).fit([("gazette", _page(i, [FOOTER])) for i in range(2)])
    art = clean_doc(RawDoc(source="t", body=body, fmt="text", outlet="gazette"), boilerplate=model)
    assert FOOTER not in art.text and art.text.startswith(NEWS[0][:20])
    assert art.cleaner == f"{CLEANER_TEXT}+clean.boilerplate-model-v1"
    plain = clean_doc(RawDoc(source="t", body=body, fmt="text", outlet="gazette"))
    assert FOOTER in plain.text


def test_more_stub_position_decides_truncation():
    end = strip_boilerplate(NEWS + ["Read more"])
    middle = strip_boilerplate(NEWS[:2] + ["More:"] + NEWS[2:])
    assert end.ends_with_more_stub and not middle.ends_with_more_stub
    assert [r.reason for r in middle.removed] == ["more-stub"]


def test_menu_run_dropped_but_short_list_kept():
    menu = ["Home", "World", "Asia", "Business", "Tech", "Sport", "Opinion", "Video", "Podcasts"]
    kept, reasons = _reasons(menu + NEWS)
    assert kept == NEWS and reasons == ["menu"] * len(menu)
    short_list = ["Thailand", "Laos", "Myanmar"]
    kept, reasons = _reasons(NEWS[:2] + short_list + NEWS[2:])
    assert kept == NEWS[:2] + short_list + NEWS[2:] and reasons == []
