"""The one figure formatter every renderer uses (CLI, report, exports, web filter)."""
from scamtrace.views.format import fmt_figure


def test_people_and_units() -> None:
    assert fmt_figure(4100, "people") == "4,100"
    assert fmt_figure(2.4, "USD") == "2.40 USD"
    assert fmt_figure(38, "") == "38"


def test_a_unit_the_what_already_says_is_left_out_only_when_what_is_given() -> None:
    assert fmt_figure(38, "buildings", "buildings demolished") == "38"
    assert fmt_figure(38, "buildings") == "38 buildings"
    assert fmt_figure(2e9, "USD", "dollars earned") == "2,000,000,000 USD"


def test_a_value_that_is_not_a_number_is_shown_as_it_is() -> None:
    assert fmt_figure("about 4,000", "people") == "about 4,000"
    assert fmt_figure(None, "people") == "None"
