"""direction-v8: locality (the outlet of the country a story is about is the source), weak and last."""
from __future__ import annotations

import pytest

from test_copies_realnews_rules import _paras

from scamtrace.copies.direction import CONFIDENCE, DIRECTION_ALGORITHM, decide
from scamtrace.copies.features import Pair
from scamtrace.copies.locality import country_mentions, host_country, local_country, parse_countries
from scamtrace.model import Article


def test_version_bumped():
    assert DIRECTION_ALGORITHM in ("copies.direction-v8", "copies.direction-v9", "copies.direction-v10", "copies.direction-v11", "copies.direction-v12")


def test_host_country_from_the_code_or_a_country_word_never_a_generic_code():
    assert host_country("monitor.co.ug") == "ug" and host_country("vietnamnews.vn") == "vn"
    assert host_country("www.koreaherald.com") == "kr" and host_country("nationthailand.com") == "th"
    assert host_country("news.bbc.co.uk") == "uk"
    for generic in ("mexc.co", "mexc.fm", "example.io", "example.me", "example.tv", "kmaupdates.com", ""):
        assert host_country(generic) is None, generic


def test_country_mentions_names_and_demonyms_not_the_pronoun_or_the_other_korea():
    assert country_mentions("Twenty Ugandans returned to Uganda; a Ugandan official spoke.", "ug") == 3
    assert country_mentions("They told us the U.S. and the US would act, said an American.", "us") == 3
    assert country_mentions("North Korea and North Korean hackers", "kr") == 0
    assert country_mentions("South Korean police and Korea's embassy", "kr") == 2


def _story(country: str, n: int = 8) -> str:
    """Paragraphs that name ``country`` several times (a story about that country's people)."""
    paras = _paras(81, n)
    return "\n\n".join(f"{p} The {country} embassy said {country} citizens were safe." for p in paras)


def _art(aid: str, url: str, text: str) -> Article:
    host = url.split("/")[2]
    return Article(id=aid, source=f"test:{aid}", text=text, url=url, outlet=host)


def test_the_local_outlet_is_the_source_either_way_round():
    text = _story("Ugandan")
    local = _art("local", "https://www.monitor.co.ug/news/1", text)
    farm = _art("farm", "https://farmsite.com/2024/05/24/news", text)
    for a, b in ((local, farm), (farm, local)):
        for rel in ("verbatim", "rewrite", "spun"):
            d = decide(a, b, rel, Pair(a, b), 0.0, 0.0)
            assert (d.decided_by, d.source, d.copy) == ("locality", "local", "farm"), (rel, d)
            assert d.confidence == CONFIDENCE["locality"] < CONFIDENCE["detail"]
            assert any("(ug)" in r and "has no known country" in r and "weak evidence" in r for r in d.reasons)
    abroad = _art("abroad", "https://www.paper.fr/b", text)
    d = decide(local, abroad, "rewrite", Pair(local, abroad), 0.0, 0.0)
    assert (d.decided_by, d.source) == ("locality", "local") and any("is of another (fr)" in r for r in d.reasons)


def test_no_locality_for_excerpts_two_local_outlets_rare_mentions_or_a_wire_credit():
    text = _story("Ugandan")
    local = _art("local", "https://monitor.co.ug/a", text)
    farm = _art("farm", "https://farmsite.com/b", text)
    assert decide(local, farm, "excerpt", Pair(local, farm), 0.0, 0.0).decided_by != "locality"
    other_local = _art("local2", "https://otherpaper.co.ug/c", text)
    assert decide(local, other_local, "verbatim", Pair(local, other_local), 0.0, 0.0).decided_by == "unsure"
    once = "\n\n".join(_paras(82, 8)) + "\n\nA Ugandan was among them."
    a, b = _art("local", "https://monitor.co.ug/a", once), _art("farm", "https://farmsite.com/b", once)
    assert local_country(a, b) is None
    assert decide(a, b, "verbatim", Pair(a, b), 0.0, 0.0).decided_by == "unsure"
    wire = _art("farm", "https://farmsite.com/b", text + "\n\nKAMPALA (Reuters) - more to come.")
    d = decide(local, wire, "rewrite", Pair(local, wire), 0.0, 0.0)
    assert d.decided_by != "locality" and any("wire credit: no order from locality" in r for r in d.reasons), d


def test_locality_yields_to_a_note_that_leans_the_other_way():
    """A dateline note pointing at the foreign text leaves the pair unsure rather than turn it by locality."""
    paras = _paras(83, 8)
    body = [f"{p} Ugandan officials said Uganda would act." for p in paras]
    foreign = _art("foreign", "https://wiresite.com/b", "Raid\n\nKAMPALA: " + body[0] + "\n\n" + "\n\n".join(body[1:]))
    local = _art("local", "https://paper.co.ug/a", "Raid\n\n" + "\n\n".join(body))
    d = decide(local, foreign, "rewrite", Pair(local, foreign), 0.0, 0.0)
    assert d.decided_by == "unsure" and d.source is None, d
    assert d.leans == {"dateline": "foreign"} and any("leans the other way" in r for r in d.reasons)


def test_a_malformed_country_row_names_the_file_and_line():
    with pytest.raises(ValueError, match=r"countries.tsv:2: expected code"):
        parse_countries(["# comment", "ugx\tuganda\tUganda"], "countries.tsv")
    assert parse_countries(["ug\t-\tUganda,Ugandan"], "x")[0].host_words == ()
