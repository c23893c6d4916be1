"""Metadata read from article text: datelines, wire credits, dates, bylines, contributors,
language and truncation."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scamtrace.clean import detect_language, detect_metadata
from scamtrace.clean.metadata import is_truncated, parse_date

BODY = ("Officials said the raids had freed hundreds of workers who were held at the compound, and that "
        "more operations were planned along the river in the coming weeks.")


@pytest.mark.parametrize("lead, dateline, credit", [
    ("BANGKOK (AP) — ", "BANGKOK", "AP"),
    ("PHNOM PENH, Cambodia (AP) — ", "PHNOM PENH", "AP"),
    ("BANGKOK, Oct 24 (Reuters) - ", "BANGKOK", "Reuters"),
    ("Yangon (AFP) - ", "Yangon", "AFP"),
    ("MANILA (MWN) — ", "MANILA", "MWN"),
    ("VIENTIANE — ", "VIENTIANE", None),
])
def test_dateline_and_credit(lead, dateline, credit):
    meta = detect_metadata(lead + BODY)
    assert (meta.dateline, meta.credit) == (dateline, credit)
    assert meta.evidence["dateline"].startswith(lead.split()[0])


def test_no_dateline_in_ordinary_sentence():
    meta = detect_metadata("The Wa State (WSA) leaders met on Monday. " + BODY)
    assert meta.dateline is None and meta.credit is None


def test_date_line_and_hint():
    text = "Vientiane, Laos – March 3, 2024\n\n" + BODY
    meta = detect_metadata(text)
    assert meta.published == dt.date(2024, 3, 3) and meta.dateline == "Vientiane"
    hinted = detect_metadata(text, published_hint=dt.date(2024, 3, 4))
    assert hinted.published == dt.date(2024, 3, 4) and hinted.evidence["text_date"] == "2024-03-03"


def test_event_dates_in_long_paragraphs_are_not_publication_dates():
    meta = detect_metadata(f"On October 10, 2023, the ministry announced results. {BODY}")
    assert meta.published is None


@pytest.mark.parametrize("s, expected", [
    ("October 24, 2023", dt.date(2023, 10, 24)), ("24 Oct. 2023", dt.date(2023, 10, 24)),
    ("Sept. 5, 2022", dt.date(2022, 9, 5)), ("2021-02-28", dt.date(2021, 2, 28)),
    ("February 30, 2023", None), ("no date here", None),
])
def test_parse_date(s, expected):
    assert parse_date(s) == expected


def test_byline_and_contributors():
    text = ("By Jane Doe and Somchai Rak\n\n" + BODY + "\n\nAssociated Press writer Ana Lima in Manila and "
            "AP researcher Li Wei contributed to this report.")
    meta = detect_metadata(text)
    assert meta.byline == "Jane Doe and Somchai Rak"
    assert meta.contributors == ["Ana Lima", "Li Wei"]
    assert meta.credit == "AP"


@pytest.mark.parametrize("ending, truncated", [
    (" and the", True), ("...", True), (" it…", True), ("\n\nFull Article", True), ("\n\nRead more", True),
    ("\n\nContinue reading", True), (".", False), (".”", False),
])
def test_truncation(ending, truncated):
    assert detect_metadata(BODY.rstrip(".") + ending).truncated is truncated


def test_language():
    assert detect_language(BODY * 2) == "en"
    assert detect_language("Polisi mengatakan bahwa para pekerja yang ditahan di kompleks itu telah "
                           "dibebaskan dan akan dipulangkan ke negara asal mereka dalam waktu dekat oleh "
                           "pemerintah yang juga akan menyelidiki kasus ini") == "id"
    assert detect_language("ตำรวจไทยจับกุมผู้ต้องสงสัยในคดีหลอกลวงออนไลน์จำนวนมาก") == "th"
    assert detect_language("too short") is None


@given(st.text(max_size=400))
def test_detect_metadata_never_raises(text):
    meta = detect_metadata(text)
    assert isinstance(meta.truncated, bool)
    assert is_truncated([]) is False


def test_contributor_roles_need_agency_in_capitals():
    meta = detect_metadata(BODY + "\n\nStaff writers Ana Lima and Li Wei contributed reporting.")
    assert meta.contributors == ["Ana Lima", "Li Wei"] and meta.credit is None
