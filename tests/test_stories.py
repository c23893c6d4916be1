import random

import pytest

from scamtrace.eval.clusters import bcubed
from scamtrace.model import Article, Family
from scamtrace.stories import cluster_stories

SEED_STORIES = {"000": "S1", "001": "S1", "002": "S2", "003": "S3", "004": "S3"}


@pytest.fixture(scope="module")
def seed_articles(seeds_dir):
    return [Article(id=p.name[:3], source=str(p), text=p.read_text(encoding="utf-8"))
            for p in sorted(seeds_dir.glob("*.txt"))]


def test_seed_stories_without_families(seed_articles):
    stories = cluster_stories(seed_articles)
    pred = {a: s.id for s in stories for a in s.articles}
    assert bcubed(pred, SEED_STORIES)["f1"] == 1.0


def test_families_are_never_split(seed_articles):
    # even a family of unrelated texts stays in one story
    stories = cluster_stories(seed_articles, [Family("fam-x", ["002", "004"], None, None)])
    pred = {a: s.id for s in stories for a in s.articles}
    assert pred["002"] == pred["004"]
    assert all(s.algorithm == "stories.event-v8" for s in stories)


def test_order_independent(seed_articles):
    base = {frozenset(s.articles) for s in cluster_stories(seed_articles)}
    for seed in range(5):
        shuffled = seed_articles[:]
        random.Random(seed).shuffle(shuffled)
        assert {frozenset(s.articles) for s in cluster_stories(shuffled)} == base


def test_join_evidence_is_kept(seed_articles):
    story = next(s for s in cluster_stories(seed_articles) if "001" in s.articles)
    joined = [e for e in story.evidence if not e.get("started")]
    assert joined and joined[0]["story_score"] >= 0.3 and "#:31000" in joined[0]["shared_anchors"]
    assert joined[0]["guard"] == "passed" and joined[0]["story_units"] >= 1


def test_bcubed_known_values():
    assert bcubed({"a": 1, "b": 1, "c": 2}, {"a": "x", "b": "x", "c": "y"})["f1"] == 1.0
    r = bcubed({"a": 1, "b": 1, "c": 1}, {"a": "x", "b": "x", "c": "y"})
    assert r["recall"] == 1.0 and r["precision"] == pytest.approx((2 / 3 + 2 / 3 + 1 / 3) / 3)
    with pytest.raises(ValueError):
        bcubed({}, {})


def test_briefs_join_but_are_never_joined_through():
    """stories.brief-join-v1: a one-sentence brief may join a story; no later unit joins via it."""
    import datetime as dt

    from scamtrace.stories.cluster import BRIEF_UNIT_WORDS, is_brief
    from scamtrace.stories.cluster import cluster_stories   # a stories.online-v2 rule (kept for Spark)

    long_a = ("Police in Myawaddy raided the Golden Lotus compound on Monday and freed 412 workers from "
              "Kenya, Ethiopia and Indonesia, officials said. " * 3)
    brief = "Police in Myawaddy freed 412 workers from the Golden Lotus compound, officials said."
    # shares the brief's words, but not the long article's: it could only join through the brief
    later = ("Officials said police freed workers and the compound in Myawaddy was emptied, while "
             "relatives waited at the bridge for news of the 412. " * 2)
    assert is_brief([brief]) and not is_brief([long_a]) and len(brief.split()) < BRIEF_UNIT_WORDS
    d = dt.date(2025, 3, 3)
    arts = [Article(id="a", source="a", text=long_a, published=d),
            Article(id="b", source="b", text=brief, published=d + dt.timedelta(days=1)),
            Article(id="c", source="c", text=later, published=d + dt.timedelta(days=2))]
    stories = cluster_stories(arts)
    ev = {e["family"]: e for s in stories for e in s.evidence}
    assert ev["fam-b"].get("brief") is True and ev["fam-b"].get("joined_via") == "fam-a"
    assert ev["fam-c"].get("joined_via") != "fam-b"
    assert "brief" not in ev["fam-a"]
# -- stories.event-v4: no chaining ------------------------------------------------------------------
def _art(aid, text, day=None, title=None):
    import datetime as dt

    return Article(id=aid, source=aid, text=text, title=title,
                   published=dt.date(2025, 3, day) if day else None)


_RAID = ("Police raided the Jade Harbour compound in Bokeo on Tuesday and detained 771 workers, "
         "officer Khamphan Vongsa said. The raid on Jade Harbour followed complaints from families.")
_FLOOD = ("Floods swamped 3,000 homes in Lawkyein after the Nam Lawk river burst its banks, "
          "relief worker Saw Htoo said. Rescuers used boats to reach villages cut off by the flood.")


def test_a_bridging_article_does_not_glue_two_stories():
    raid = [_art(f"r{i}", _RAID + f" Report {i} from the border.", 4) for i in range(4)]
    flood = [_art(f"f{i}", _FLOOD + f" Update {i} from the valley.", 4) for i in range(4)]
    bridge = _art("x", _RAID + " " + _FLOOD, 5)
    stories = cluster_stories(raid + flood + [bridge])
    pred = {a: s.id for s in stories for a in s.articles}
    assert len({pred[a.id] for a in raid}) == 1 and len({pred[a.id] for a in flood}) == 1
    assert pred["r0"] != pred["f0"]   # the bridge joined one of them at most


def test_a_shared_country_name_alone_does_not_join():
    a = _art("a", "Cambodia said on Monday that it would host the regional football cup in Phnom Penh next year, "
                  "with twelve teams expected at the new stadium.", 3)
    b = _art("b", "Cambodia police freed 64 South Koreans from a scam compound in Sihanoukville, "
                  "where they were held by a gang that forced them to defraud strangers.", 3)
    stories = cluster_stories([a, b])
    assert len(stories) == 2
    start = [e for s in stories for e in s.evidence]
    assert all(e.get("started") for e in start)


def test_synthetic_corpus_does_not_chain():
    from scamtrace.copies.synth import generate

    corpus = generate(400, 5)
    stories = cluster_stories(corpus.articles)
    assert max(len(s.articles) for s in stories) <= 12   # stories.online-v2 made one story of most of them
    assert len(stories) > 200


def test_content_dates_place_undated_articles():
    import datetime as dt

    old = _art("o", _RAID, 4)
    undated = _art("u", _RAID.replace("Tuesday", "Wednesday"))
    far = cluster_stories([old, undated], event_dates={"u": dt.date(2025, 3, 5)})
    assert len(far) == 1
    ev = next(e for e in far[0].evidence if not e.get("started"))
    assert ev["date_basis"] == "content" and ev["gap_days"] == 1


def test_look_alike_events_keep_their_own_stories():
    """stories.event-v4: the second of two look-alike events (same kind, same champion, another opponent
    and town) forms its own story in the stricter first pass, and the two do not merge: the members of
    each vote to stay (none is dated, so time cannot separate them)."""
    body = ("Champion Arvo Kallas stopped challenger {x} in the {r} round in {t} to keep his heavyweight belts "
            "before a crowd of fans. {x} was down twice before the referee stopped it, and Kallas praised {x} "
            "after the fight at the arena in {t}.")
    first = body.format(x="Dario Mensik", r="seventh", t="Tarnow")
    second = body.format(x="Piet Hollander", r="sixth", t="Ghent")
    a = [_art(f"a{i}", first + f" Ringside note {i}.") for i in range(4)]
    b = [_art(f"b{i}", second + f" Ringside report {i}.") for i in range(4)]
    stories = cluster_stories(a + b)
    pred = {x: s.id for s in stories for x in s.articles}
    assert len({pred[x.id] for x in a}) == 1 and len({pred[x.id] for x in b}) == 1
    assert pred["a0"] != pred["b0"]


# -- stories.event-v5: frames that disagree --------------------------------------------------------
_KAMPOT = ("Police in Kampot raided {compound} on {day} and detained {n} workers, commander {who} said. "
           "{who} said the {n} workers would be questioned in Kampot before they are sent home. "
           "The raid on the compound in Kampot followed complaints from families, {who} added.")


def test_look_alike_reports_with_other_people_and_figures_do_not_pair():
    """stories.event-v5: two raids in one town, a day apart, worded alike (cosine 0.5), but each names
    its own commander and count: the figure clash halves the score (event-v4 joined them on "Kampot")."""
    a = _art("a", _KAMPOT.format(compound="the Golden Lotus compound", day="Monday", n=412, who="Sok Vanna"), 3)
    b = _art("b", _KAMPOT.format(compound="a compound on the river road", day="Tuesday", n=37, who="Meas Sophal"), 4)
    stories = cluster_stories([a, b])
    assert len(stories) == 2
    near = next(e["nearest"] for s in stories for e in s.evidence if "nearest" in e)
    assert near["figure_clash"] is True and near["type_factor"] < 1.0 and near["cosine"] > 0.4


def test_reports_of_one_raid_still_pair():
    a = _art("a", _KAMPOT.format(compound="the Golden Lotus compound", day="Monday", n=412, who="Sok Vanna"), 3)
    b = _art("b", "Commander Sok Vanna said 412 workers detained at the Golden Lotus compound in Kampot on Monday "
                  "would be questioned before they are sent home. Sok Vanna said families had complained.", 4)
    stories = cluster_stories([a, b])
    assert len(stories) == 1
    joined = next(e for e in stories[0].evidence if not e.get("started"))
    assert joined["figure_clash"] is False and "#:412" in joined["shared_anchors"]


def test_an_outlets_own_name_is_not_an_anchor():
    """Two unrelated articles of one outlet whose boilerplate names it share no anchor through it."""
    import datetime as dt

    tail = " Sign up for the Harbour Ledger newsletter. Harbour Ledger readers can write to the desk."
    a = Article(id="a", source="a", outlet="Harbour Ledger", published=dt.date(2025, 3, 3),
                text=_RAID + tail)
    b = Article(id="b", source="b", outlet="Harbour Ledger", published=dt.date(2025, 3, 3),
                text=_FLOOD + tail)
    stories = cluster_stories([a, b])
    assert len(stories) == 2
    anchors = {x for s in stories for e in s.evidence for x in (e.get("nearest") or {}).get("shared_anchors", [])}
    assert not anchors & {"n:harbour", "n:ledger"}


# -- stories.event-v6: refinement also splits -----------------------------------------------------
def _one_story(articles):
    """A clusterer holding every unit of ``articles`` in one story (as joins one unit at a time can
    leave two look-alike events)."""
    from scamtrace.stories import event as ev

    made = ev._family_units(articles, [])
    frames = ev._Frames([u for u, _ in made], [n for _, n in made], {}, {})
    c = ev._Clusterer(frames, list(range(len(made))))
    for u in c.order:
        c.place(u, 0 if u else None, {})
    return c, [u.family for u, _ in made]


def test_a_story_of_two_events_is_split_with_its_evidence():
    raid = [_art(f"r{i}", _RAID + f" Report {i} from the border.", 4) for i in range(4)]
    flood = [_art(f"f{i}", _FLOOD + f" Update {i} from the valley.", 4) for i in range(4)]
    c, fams = _one_story(raid + flood)
    assert c.split() == 1
    groups = {frozenset(fams[u] for u in st.units) for st in c.stories if st.units}
    assert groups == {frozenset(f"fam-r{i}" for i in range(4)), frozenset(f"fam-f{i}" for i in range(4))}
    moved = [c.evidence[u]["split"] for st in c.stories[1:] for u in st.units]
    assert len(moved) == 4 and all(e["sizes"] == [4, 4] and e["member_votes"] < 0.5 for e in moved)
    assert c.split() == 0   # each piece is one event: no further cut


def test_a_story_of_one_event_is_not_split():
    raid = [_art(f"r{i}", _RAID + f" Report {i} from the border, {w}.", 4)
            for i, w in enumerate(["north", "south", "east", "west", "river", "hills", "market", "road"])]
    c, _ = _one_story(raid)
    assert c.split() == 0 and len([st for st in c.stories if st.units]) == 1


# -- stories.event-v7: crowded windows ---------------------------------------------------------------
def _filler(i: int) -> Article:
    """An unrelated report with names of its own (fills the week so that the window is crowded)."""
    import datetime as dt

    rng = random.Random(i)
    name = "".join(rng.choice("bdfgklmnprstvz") + rng.choice("aeiou") for _ in range(3)).capitalize()
    town = "".join(rng.choice("bdfgklmnprstvz") + rng.choice("aeiou") for _ in range(3)).capitalize()
    words = ["harvest", "market", "bridge", "school", "festival", "rain", "traffic", "budget", "museum", "train"]
    rng.shuffle(words)
    text = (f"In {town}, {name} opened the {words[0]} and the {words[1]} on Monday. {name} said the "
            f"{words[2]} in {town} would follow the {words[3]} and the {words[4]}.")
    return Article(id=f"x{i:03d}", source="x", text=text, published=dt.date(2025, 3, 1 + i % 7))


def test_a_crowded_window_needs_evidence_beyond_chance(monkeypatch):
    """stories.event-v7: two reports that share a town, a surname and a figure pair when they are alone
    in their week; among CROWD_UNITS other reports of that week the same three anchors are within
    chance and they stay apart (they pair again with the crowd rule off). Two reports of one raid that
    share many names still pair in the crowd."""
    from scamtrace.stories import event

    a = _art("a", _KAMPOT.format(compound="the Golden Lotus compound", day="Monday", n=412, who="Sok Vanna"), 3)
    b = _art("b", _KAMPOT.format(compound="a compound on the river road", day="Monday", n=412, who="Meas Vanna"), 4)
    assert len(cluster_stories([a, b])) == 1
    crowd = [_filler(i) for i in range(event.CROWD_UNITS)]

    def together(*arts: Article) -> bool:
        of = {x: s.id for s in cluster_stories(list(arts)) for x in s.articles}
        return len({of[x.id] for x in arts if not x.id.startswith("x")}) == 1

    assert not together(a, b, *crowd)
    c = _art("c", "Commander Sok Vanna said 412 workers detained at the Golden Lotus compound in Kampot on Monday "
                  "would be questioned before they are sent home. Sok Vanna said families had complained.", 4)
    assert together(a, c, *crowd)
    monkeypatch.setattr(event, "CROWD_UNITS", 10 ** 6)
    assert together(a, b, *crowd)


# -- stories.event-v8: a focus that the undated reports never name ---------------------------------
_NEW_COACH = ("Harbour City named Ilkka Maranen as head coach on {day}, replacing Tomas Verbek. Maranen, "
              "who led Kessel for six seasons, said Verbek had left a strong squad. Maranen signs for {n} years; "
              "{extra}")
_OLD_COACH = "Harbour City named Tomas Verbek as head coach, the club said. {extra}"


def _coach_reports(dated_old: bool) -> list[Article]:
    extras = ["Fans cheered.", "The board agreed.", "Training starts soon.", "Rivals watched.",
              "The squad met him.", "Tickets sold out."]
    new = [_art(f"n{i}", _NEW_COACH.format(day=d, n=n, extra=extras[i]), 10 + i)
           for i, (d, n) in enumerate([("Monday", 3), ("Monday", 3), ("Tuesday", 4)])]
    old = [_art(f"o{i}", _OLD_COACH.format(extra=e), 2 if dated_old else None) for i, e in enumerate(extras)]
    return new + old


def test_a_focus_the_undated_reports_never_name_splits_the_story():
    """stories.event-v8: dated reports of a new coach (who name the old one in passing) and undated
    reports of the old coach's appointment that never name the new one: time cannot vouch for one
    event, the new coach is the focus of every dated report, so the story splits along that name, the
    moved units keep the focus as evidence, and the two stories do not merge again."""
    c, fams = _one_story(_coach_reports(dated_old=False))
    assert c.split() == 1
    groups = {frozenset(fams[u] for u in st.units) for st in c.stories if st.units}
    assert groups == {frozenset(f"fam-n{i}" for i in range(3)), frozenset(f"fam-o{i}" for i in range(6))}
    moved = [c.evidence[u]["split"] for st in c.stories[1:] for u in st.units]
    assert len(moved) == 3 and all(e["focus"] in ("n:ilkka", "n:maranen") and e["sizes"] == [3, 6]
                                   and e["dated_units"] == [3, 0] for e in moved)
    from scamtrace.stories import event as ev

    a, b = (st for st in c.stories if st.units)
    assert ev._focus_clash(c.f, ev._story_group(a), ev._story_group(b)) == "n:maranen"
    assert ev._story_pair(c.f, a, b)[0] == 0.0   # the merge rule refuses the pair whatever its score


def test_a_focus_split_needs_time_to_be_silent():
    """The same reports all dated: time vouches (or not) for one event, and the focus does not split."""
    c, _ = _one_story(_coach_reports(dated_old=True))
    c.split()
    assert not any("focus" in (e.get("split") or {}) for e in c.evidence.values())


def test_unit_vector_equals_ranking_every_normalised_term():
    """stories.event's _unit_vector cuts before dividing every term (issue 17): the same floats, in
    the same order, as normalising every term, ranking all of them and cutting."""
    import math
    import random
    from collections import Counter

    from scamtrace.stories.cluster import _tfidf
    from scamtrace.stories.event import UNIT_TERMS, _unit_vector

    def reference(tf: Counter, idf: dict) -> dict:
        full = _tfidf(tf, idf)
        top = dict(sorted(full.items(), key=lambda kv: (-kv[1], kv[0]))[:UNIT_TERMS])
        norm = math.sqrt(sum(v * v for v in top.values())) or 1.0
        return {t: v / norm for t, v in top.items()}

    rng = random.Random(3)
    words = [f"w{i}" for i in range(400)]
    for size in (0, 1, 5, UNIT_TERMS, UNIT_TERMS + 1, 150, 400):
        idf = {w: rng.choice([1.0, 1.5, 2.25, math.log(7) + 1.0, rng.uniform(1, 9)]) for w in words}
        for _ in range(20):
            tf = Counter({w: rng.choice([1, 1, 1, 2, 3, rng.randint(1, 40)]) for w in rng.sample(words, size)})
            got = _unit_vector(tf, idf)
            assert list(got.items()) == list(reference(tf, idf).items())
