"""clean.datelines: one dateline grammar (place, region, date, credit, separator) for the four readers."""
from __future__ import annotations

import pytest

from scamtrace.clean.datelines import (NOT_PLACES, WIRE_AGENCIES, Dateline, find_datelines, is_agency_credit,
                                       match_dateline)
from scamtrace.clean.metadata import detect_metadata
from scamtrace.copies import features
from scamtrace.copies.direction import lead_dateline
from scamtrace.copies.features import credit_dateline
from scamtrace.stories.names import lead_sentence

BODY = "Forty workers were freed from a fake call centre on Tuesday, the police said."


def _d(text: str) -> Dateline:
    d = match_dateline(text)
    assert d is not None, text
    return d


@pytest.mark.parametrize("lead, place, region, date, credit, sep", [
    ("VIENTIANE: ", "VIENTIANE", None, None, None, ":"),
    ("BANGKOK, Feb 28 (Reuters) - ", "BANGKOK", None, "Feb 28", "Reuters", "-"),
    ("TOLLAN, Veridia North, Mar 3 (Reuters) - ", "TOLLAN", "Veridia North", "Mar 3", "Reuters", "-"),
    ("PHNOM PENH — ", "PHNOM PENH", None, None, None, "—"),
    ("ADDIS ABABA, May 29 (Xinhua) -- ", "ADDIS ABABA", None, "May 29", "Xinhua", "--"),
    ("NORLAND, Oct. 9 (Yonhap) -- ", "NORLAND", None, "Oct. 9", "Yonhap", "--"),
    ("Yangon: ", "Yangon", None, None, None, ":"),
    ("MAE SOT, Thailand (SWA) — ", "MAE SOT", "Thailand", None, "SWA", "—"),
])
def test_the_parts_of_a_dateline(lead, place, region, date, credit, sep):
    d = _d(lead + BODY)
    assert (d.place, d.region, d.date, d.credit, d.sep) == (place, region, date, credit, sep)
    assert d.start == 0 and d.end == len(lead) and d.spaced and (lead + BODY)[d.end:].startswith("Forty")


def test_a_credit_with_and_without_a_date():
    with_date, without = _d("BANGKOK, Oct 24 (AP) — " + BODY), _d("BANGKOK (AP) — " + BODY)
    assert (with_date.date, with_date.date_comma, with_date.credit) == ("Oct 24", True, "AP")
    assert (without.date, without.credit) == (None, "AP")
    assert not _d("BANGKOK Oct 24 (AP) — " + BODY).date_comma


def test_non_ascii_places():
    d = _d("ĐỒNG TÂN — Veridia on Wednesday received 85 citizens.")
    assert d.place == "ĐỒNG TÂN" and d.caps
    thai = _d("ยะลา — " + BODY)                          # Thai vowel signs are no letters to the re module
    assert thai.place == "ยะลา" and thai.caseless and not thai.caps
    assert _d("दिल्ली: " + BODY).place == "दिल्ली"
    assert lead_dateline("Headline\nĐỒNG TÂN - Veridia received 85 citizens.")[0] == "ĐỒNG TÂN"


def test_a_date_stamp_before_the_place():
    d = _d(" date 2025-01-02 ĐỒNG TÂN — " + BODY)
    assert (d.stamp, d.place, d.start) == ("date 2025-01-02", "ĐỒNG TÂN", 17)
    assert lead_dateline("date 2025-01-02 ĐỒNG TÂN - Officials said 40 people were freed.")[0] == "ĐỒNG TÂN"
    assert credit_dateline("date 2025-01-02 PHNOM PENH (Reuters) - " + BODY) == ("Reuters", "PHNOM PENH")
    assert detect_metadata("date 2025-01-02 PHNOM PENH (Reuters) - " + BODY).credit is None  # metadata-v1 reads none


def test_headings_are_no_places():
    for text in ("KEY FACTS: At least 47 people were rescued.", "WHAT HAPPENED - Police raided the compound.",
                 "EDITOR'S NOTE: This story was updated.", "BREAKING NEWS: Police raided the compound."):
        d = _d(text)
        assert d.is_heading(), text
        assert lead_dateline(text) is None, text
    assert not _d("PHNOM PENH — " + BODY).is_heading() and "KEY" in NOT_PLACES


def test_no_dateline_in_ordinary_text():
    for text in ("Police raided the compound on Tuesday.", "(Reuters) - Hundreds fled.", "", "47: the number of"):
        assert match_dateline(text) is None, text
    assert list(find_datelines("A headline\nThe police said on Monday, that it was so.")) == []


def test_find_datelines_reads_each_line():
    found = list(find_datelines("Raid frees workers\nUPDATE: corrected\nVIENTIANE: At least 47 were freed."))
    assert [d.place for d in found] == ["UPDATE", "VIENTIANE"] and found[1].start == 37


def test_agency_credits():
    assert features.WIRE_AGENCIES is WIRE_AGENCIES        # one list, re-exported where it was
    assert is_agency_credit("Reuters") and is_agency_credit("MWN") and is_agency_credit("dpa")
    assert not is_agency_credit("Phnom Penh Post") and not is_agency_credit("dpa", ("AP",))


def test_each_reader_keeps_its_policy():
    # features: an agency credit and capitals (a region before the date is read since copies.features-v4)
    assert credit_dateline("TOLLAN, Veridia North, Mar 3 (Reuters) - " + BODY) == ("Reuters", "TOLLAN")
    assert credit_dateline("Yangon (Reuters) - " + BODY) == (None, None)
    # metadata: a mixed-case place with a credit, capitals before a long dash without one
    assert (detect_metadata("Yangon (AFP) - " + BODY).dateline, detect_metadata("Yangon - " + BODY).dateline) == \
        ("Yangon", None)
    # direction: capitals of 4+ letters, no agency
    assert lead_dateline("AP - Hundreds fled.") is None and lead_dateline("Yangon: Hundreds fled.") is None
    # names: "Yangon:" is a dateline a name drops, "Police said:" is not
    assert lead_sentence("Yangon: " + BODY) == BODY
    kept = "Police said: forty workers were freed from a fake call centre on Tuesday."
    assert lead_sentence(kept) == kept
