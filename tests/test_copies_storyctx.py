"""copies.storyctx-v1: a rewrite found by story context, what a pair shares that the other reports around it do
not (off unless $SCAMTRACE_STORYCTX is set). Off by default; the evidence is stored with the link; independent
reports sharing the event's facts are not linked; a quotation is no evidence; it needs other reports around the pair
and never changes a relation the rules decide. Texts are invented here (a raid at a fictional place)."""
from __future__ import annotations

import pytest

from scamtrace.copies import classify_pair
from scamtrace.copies import storyctx as sc
from scamtrace.copies.classify import relate_rules
from scamtrace.copies.engine import find_copies
from scamtrace.copies.features import Pair
from scamtrace.model import Article

# S reports the raid with an idiosyncratic background (an old tin smelter, a ferryman who saw lights); R rewrites S,
# keeping that background in other words; O1-O3 are independent reports of the same raid (the event's facts only).
S = ("Police said on Monday that 57 workers were freed from a compound near Barrow Creek after a two-day raid.\n\n"
     "The site sits on land of the old Marrow tin smelter, which closed in 1987 when the seam ran dry; locals "
     "still call the ridge behind it the Kettle.\n\n"
     "A ferry operator, Oskar Brandt, who crosses the bay twice a week, had noticed lights burning all night in "
     "the upper block since the rainy season began, he told reporters.\n\n"
     "Inspector Lanner Voss said eleven guards were detained. The workers came from four countries and had been "
     "forced to run online fraud schemes, police said.")
R = ("Fifty-seven people regained their freedom at Barrow Creek this week, officers announced.\n\n"
     "Residents call the hill behind it the Kettle. Before the compound, this was the old Marrow tin works, "
     "abandoned in 1987 as the seam ran dry.\n\n"
     "Lights burning all night in its top block caught the eye of boatman Oskar Brandt, out on "
     "the bay twice weekly since the rainy season.\n\n"
     "Eleven guards are in custody, according to Inspector Lanner Voss; those rescued were made to work "
     "on online fraud.")
O1 = ("Fifty-seven workers were rescued from a scam compound near Barrow Creek, police said Monday, after a raid "
      "lasting two days.\n\nInspector Lanner Voss said eleven guards were detained and the owner was being sought. "
      "Relatives of several captives had paid ransoms, and a hotline for families has been opened by the provincial "
      "government, which promised help with travel home.")
O2 = ("Authorities freed 57 workers in a raid at Barrow Creek, according to police, who said the operation took two "
      "days.\n\nEleven guards were detained, Inspector Lanner Voss said, adding that victims came from four "
      "countries. Embassies of the four countries were contacted on Tuesday, and interpreters were sent to the "
      "shelter where the group is staying.")
O3 = ("A police raid near Barrow Creek ended on Monday with 57 workers freed, officials said.\n\n"
      "Inspector Lanner Voss said eleven guards were detained and more arrests were likely. Victims said they had "
      "to defraud strangers online. A court hearing for the guards is expected next month in the provincial capital, "
      "where prosecutors will seek trafficking charges.")
TEXTS = {"s": S, "r": R, "o1": O1, "o2": O2, "o3": O3}


def _art(i: str, text: str | None = None) -> Article:
    return Article(id=i, source="test", text=text if text is not None else TEXTS[i], outlet=f"{i}.example")


@pytest.fixture
def on(monkeypatch):
    monkeypatch.setenv(sc.STORYCTX_ENV, "on")


def test_off_by_default(monkeypatch):
    monkeypatch.delenv(sc.STORYCTX_ENV, raising=False)
    assert not sc.enabled()
    assert relate_rules(Pair(S, R))[0] is None      # the hand rules see no copy
    assert classify_pair(_art("s"), _art("r"), spin_a=0.0, spin_b=0.0, context=[O1, O2, O3]) is None
    for off in ("0", "off"):
        monkeypatch.setenv(sc.STORYCTX_ENV, off)
        assert not sc.enabled()


def test_a_rewrite_sharing_story_rare_items_in_order_is_linked_with_its_evidence(on):
    link = classify_pair(_art("s"), _art("r"), spin_a=0.0, spin_b=0.0, context=[O1, O2, O3])
    assert link is not None and link.relation == "rewrite"
    ev = link.evidence["features"]["story_context"]
    assert ev["algorithm"] == sc.STORYCTX_ALGORITHM in ("copies.storyctx-v1", "copies.storyctx-v2")
    assert ev["link"] and ev["context"] == 3 and ev["threshold"] == sc.STORYCTX_MIN_SCORE
    assert ev["score"] >= sc.STORYCTX_MIN_SCORE and ev["in_order"] <= ev["exclusive"] <= ev["shared"]
    assert "old marrow tin" in ev["items"] and "it the kettle" in ev["items"]
    # the event's facts, which every report carries, are not among the exclusive items
    assert not any("lanner voss" in g or "barrow creek" in g for g in ev["items"])
    assert link.evidence["direction"]["decided_by"]     # the existing direction evidence orders it (or says unsure)


def test_independent_reports_of_one_event_are_not_linked(on):
    for x in TEXTS:
        for y in TEXTS:
            if x < y and {x, y} != {"s", "r"}:
                ctx = [t for k, t in TEXTS.items() if k not in (x, y)]
                assert classify_pair(_art(x), _art(y), spin_a=0.0, spin_b=0.0, context=ctx) is None, (x, y)


def test_what_another_report_also_carries_is_story_common(on):
    # a fourth report that tells the same background: the smelter and the ferryman are the story's, not the pair's
    o4 = ("Barrow Creek's compound sits on land of the old Marrow tin smelter, closed in 1987 when the seam ran dry; "
          "locals call the ridge behind it the Kettle. A ferry operator, Oskar Brandt, saw lights burning all night "
          "in the upper block since the rainy season began.")
    ev = sc.story_evidence(S, R, [O1, O2, O3, o4])
    assert ev["exclusive"] < sc.story_evidence(S, R, [O1, O2, O3])["exclusive"] and not ev["link"]


def test_it_needs_other_reports_around_the_pair(on):
    assert not sc.story_evidence(S, R, [O1])["link"]      # with one other report, rarity means nothing
    assert classify_pair(_art("s"), _art("r"), spin_a=0.0, spin_b=0.0, context=[O1]) is None
    assert classify_pair(_art("s"), _art("r"), spin_a=0.0, spin_b=0.0) is None   # no context given: not used


def test_a_quotation_is_not_evidence(on):
    quote = ('"The compound on the old Marrow tin land near the Kettle ridge was run by a network we have been '
             'tracking since the rainy season began,"')
    a = "Reporters in the capital wrote this first.\n\n" + quote + " the ministry said.\n\nThe raid ended on Monday."
    b = "A different outlet filed this second report.\n\n" + quote + " a spokesman told us.\n\nNo one else was held."
    ev = sc.story_evidence(a, b, [O1, O2, O3])
    assert not any("marrow" in g or "kettle" in g for g in ev["items"]) and not ev["link"]
    assert classify_pair(_art("a", a), _art("b", b), spin_a=0.0, spin_b=0.0, context=[O1, O2, O3]) is None


def test_the_engine_gives_each_pair_its_candidate_neighbourhood(monkeypatch):
    arts = [_art(i) for i in sorted(TEXTS)]
    monkeypatch.delenv(sc.STORYCTX_ENV, raising=False)
    assert find_copies(arts).links == []
    monkeypatch.setenv(sc.STORYCTX_ENV, "on")
    links = find_copies(arts).links
    assert {frozenset((ln.article, ln.source or ln.sibling)) for ln in links} == {frozenset(("r", "s"))}
    assert all(ln.relation == "rewrite" and ln.evidence["features"]["story_context"]["context"] == 3 for ln in links)
    # the pair alone, with no other report around it: no story context, no link
    assert find_copies([_art("r"), _art("s")]).links == []


def test_it_never_changes_a_relation_the_rules_decide(on):
    copy = Article(id="s2", source="test", text=S + "\n\nRead more at s.example", outlet="mirror.example")
    base = classify_pair(_art("s"), copy, spin_a=0.0, spin_b=0.0)
    with_ctx = classify_pair(_art("s"), copy, spin_a=0.0, spin_b=0.0, context=[O1, O2, O3])
    assert base is not None and with_ctx is not None and base.relation == with_ctx.relation != "rewrite"
    assert "story_context" not in with_ctx.evidence["features"]


def test_the_shipped_threshold_is_the_higher_cross_validation_fold():
    """STORYCTX_MIN_SCORE is what scripts/storyctx_cv.py's rule gives on realnews-dev (needs ../shared)."""
    import importlib.util

    from conftest import REPO, shared_dir
    shared = shared_dir()
    if not (shared / "datasets/realnews-dev/articles.jsonl").is_file():
        pytest.skip(f"{shared}/datasets/realnews-dev/articles.jsonl not found; set SCAMTRACE_SHARED to the shared/ folder")
    spec = importlib.util.spec_from_file_location("storyctx_cv", REPO / "scripts" / "storyctx_cv.py")
    assert spec is not None and spec.loader is not None
    cv = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cv)
    rows = cv.realnews(shared)
    folds = {h: cv.fold_threshold(rows[h]) for h in ("A", "B")}
    assert max(folds.values()) == sc.STORYCTX_MIN_SCORE
    # at the shipped threshold no negative of either half links (the held-out figures are in the README)
    assert not [r for h in ("A", "B") for r in rows[h] if r["label"] == 0 and cv.applies(r, sc.STORYCTX_MIN_SCORE)]
