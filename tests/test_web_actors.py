"""Actor pages, story filters by place / actor / event type, and alias judgements, through FastAPI's
TestClient on the demo store; plus the pure helpers behind them (binning, SVG geometry, candidates)."""
from __future__ import annotations

import datetime as dt
import functools
import sqlite3
import warnings
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest

pytest.importorskip("fastapi", reason="the web workspace needs fastapi (pip install fastapi)")
pytest.importorskip("httpx", reason="TestClient needs httpx")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient as _TestClient

# the workspace answers only to loopback Host names (DNS-rebinding defence): address it as 127.0.0.1
TestClient = functools.partial(_TestClient, base_url="http://127.0.0.1")

from conftest import assert_error, csrf_from, sql  # noqa: E402

from scamtrace.store import Store  # noqa: E402
from scamtrace.views import actor as actor_views  # noqa: E402
from scamtrace.web import create_app  # noqa: E402
from scamtrace.views.charts import MC_MAX_BAR, cooccurrence_layout, mentions_chart  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "examples" / "demo"
ARMY = "Dawna Border Defence Army"        # the militia of the demo's raid story: many articles, events
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def client(demo_db) -> TestClient:
    return TestClient(create_app(demo_db))


def path_of(name: str) -> str:
    return "/actors/" + quote(name, safe="")


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script" and dict(attrs).get("src") != "/static/app.js":
            self.bad.append(tag)
        self.bad += [k for k, _ in attrs if k.startswith("on")]


def assert_inert(html: str) -> None:
    p = _Scripts()
    p.feed(html)
    assert p.bad == [], p.bad


# -- actors index ----------------------------------------------------------------------------------
def test_actors_index_counts_match_the_mentions_table(client, demo_db):
    data = client.get("/api/actors").json()
    assert data["total"] == len(data["actors"]) > 10
    keys = [(-a["articles"], -a["mentions"], a["name"]) for a in data["actors"]]
    assert keys == sorted(keys)
    assert all(a["label"] in actor_views.ACTOR_LABELS for a in data["actors"])     # places only on request
    army = next(a for a in data["actors"] if a["name"] == ARMY)
    (mentions, articles), = sql(demo_db, "SELECT count(*), count(DISTINCT article) FROM mentions WHERE canonical = ?",
                                (ARMY,))
    assert (army["mentions"], army["articles"]) == (mentions, articles) and army["label"] == "ARMED_GROUP"
    page = client.get("/actors")
    assert page.status_code == 200 and 'aria-current="page">Actors' in page.text
    assert f'href="{path_of(ARMY)}"' in page.text


def test_actors_index_filters_and_pages(client):
    places = client.get("/api/actors", params={"label": "GPE"}).json()
    assert places["actors"] and all(a["label"] == "GPE" for a in places["actors"])
    assert "Myanmar" in {a["name"] for a in places["actors"]}
    dawna = client.get("/api/actors", params={"q": "dawna"}).json()
    assert ARMY in {a["name"] for a in dawna["actors"]} and all("dawna" in a["name"].lower() for a in dawna["actors"])
    every = client.get("/api/actors").json()
    two = client.get("/api/actors", params={"limit": 2, "offset": 2}).json()
    assert [a["name"] for a in two["actors"]] == [a["name"] for a in every["actors"][2:4]]
    assert "more →" in client.get("/actors", params={"limit": 2}).text
    assert_error(client.get("/api/actors", params={"label": "NOPE"}), 400, "bad_request")
    assert_error(client.get("/api/actors", params={"limit": 0}), 400, "bad_request")


# -- actor page --------------------------------------------------------------------------------------
def test_actor_page_and_api_agree(client, demo_db):
    data = client.get(path_of(ARMY).replace("/actors", "/api/actors", 1)).json()
    assert data["name"] == ARMY and data["label"] == "ARMED_GROUP"
    arts = {a["id"] for a in data["articles"]}
    assert arts == {r[0] for r in sql(demo_db, "SELECT DISTINCT article FROM mentions WHERE canonical = ?", (ARMY,))}
    assert data["articles_total"] == len(arts) and sum(a["mentions"] for a in data["articles"]) == data["mentions"]
    page = client.get(path_of(ARMY))
    assert page.status_code == 200
    for aid in arts:
        assert f'href="/articles/{quote(aid, safe="")}"' in page.text
    for section in ("mentions-over-time", "network", "roles", "events", "articles", "aliases"):
        assert f'id="{section}"' in page.text
    assert '<svg class="mentions-chart"' in page.text and '<svg class="network"' in page.text
    assert f'href="/?{"actor=" + quote(ARMY).replace("%20", "+")}"' in page.text


def test_actor_timeline_bins_every_dated_mention(client):
    for unit in ("auto", "day", "week", "month"):
        data = client.get(f"/api/actors/{quote(ARMY)}", params={"bin": unit}).json()
        tl = data["timeline"]
        assert tl["unit"] in ("day", "week", "month") and (unit == "auto" or tl["unit"] == unit)
        assert sum(b["mentions"] for b in tl["bins"]) + tl["undated"] == data["mentions"]
        starts = [dt.date.fromisoformat(b["start"]) for b in tl["bins"]]
        assert starts == sorted(starts) and len(set(starts)) == len(starts)
        if tl["unit"] == "week":
            assert all(d.weekday() == 0 for d in starts) and all((b - a).days == 7 for a, b in zip(starts, starts[1:]))
        if tl["unit"] == "day":
            assert all((b - a).days == 1 for a, b in zip(starts, starts[1:]))
        assert len(data["chart"]["bars"]) == len(tl["bins"])
    assert_error(client.get(f"/api/actors/{quote(ARMY)}", params={"bin": "year"}), 400, "bad_request")


def test_actor_network_counts_shared_articles(client, demo_db):
    net = client.get(f"/api/actors/{quote(ARMY)}").json()["network"]
    assert 0 < len(net["peers"]) <= actor_views.MAX_COACTORS and ARMY not in {p["name"] for p in net["peers"]}
    shared = [p["shared"] for p in net["peers"]]
    assert shared == sorted(shared, reverse=True)
    for p in net["peers"][:3]:
        (n,), = sql(demo_db, "SELECT count(DISTINCT x.article) FROM mentions x JOIN mentions y ON y.article = x.article"
                             " WHERE x.canonical = ? AND y.canonical = ?"   # the peer's mentions as an actor
                             f" AND y.label IN ({', '.join('?' * len(actor_views.ACTOR_LABELS))})",
                    (ARMY, p["name"], *actor_views.ACTOR_LABELS))
        assert p["shared"] == n
    names = {p["name"] for p in net["peers"]}
    assert all(e["a"] in names and e["b"] in names and e["shared"] >= actor_views.MIN_CHORD_SHARED for e in net["edges"])
    page = client.get(path_of(ARMY)).text
    for p in net["peers"]:
        assert f'href="{path_of(p["name"])}"' in page


def test_actor_events_name_the_actor(client):
    data = client.get(f"/api/actors/{quote(ARMY)}").json()
    assert data["events"], "the demo's raid story has events naming the militia"
    for e in data["events"]:
        assert ARMY in e["actors"] or e["place"] == ARMY
        assert e["as"] == ("actor" if ARMY in e["actors"] else "place")
    place = client.get("/api/actors/Golden%20Lotus%20Park").json()
    assert any(e["as"] == "place" for e in place["events"])
    page = client.get(path_of(ARMY)).text
    assert all(f'href="/stories/{quote(e["story"], safe="")}"' in page for e in data["events"])


def test_unknown_actor_is_404_in_both_shapes(client):
    assert_error(client.get("/api/actors/Nobody%20At%20All"), 404, "not_found")
    page = client.get("/actors/Nobody%20At%20All")
    assert page.status_code == 404 and "/actors" in page.text


def test_story_and_article_pages_link_actors(client, demo_db):
    story = client.get("/api/stories").json()["stories"][0]["id"]
    detail = client.get(f"/api/stories/{story}").json()
    linkable = detail["knowledge"]["linkable"]
    assert linkable and set(linkable) <= {r[0] for r in sql(demo_db, "SELECT DISTINCT canonical FROM mentions")}
    page = client.get(f"/stories/{story}").text
    for name in linkable:
        assert f'href="{path_of(name)}"' in page
    aid = sql(demo_db, "SELECT article FROM mentions WHERE canonical = ? LIMIT 1", (ARMY,))[0][0]
    art = client.get(f"/api/articles/{aid}").json()
    assert ARMY in {a["name"] for a in art["actors"]}
    assert f'href="{path_of(ARMY)}"' in client.get(f"/articles/{aid}").text


# -- story filters -----------------------------------------------------------------------------------
def test_story_filter_by_actor(client, demo_db):
    every = client.get("/api/stories").json()
    some = client.get("/api/stories", params={"actor": ARMY}).json()
    assert 0 < some["total"] < every["total"] and some["filter"]["actor"] == ARMY
    want = {r[0] for r in sql(demo_db, "SELECT DISTINCT sm.story FROM story_members sm JOIN mentions m"
                                       " ON m.article = sm.article WHERE m.canonical = ?", (ARMY,))}
    assert {s["id"] for s in some["stories"]} == want
    assert ARMY in {a["name"] for a in every["actors"]}
    assert client.get("/api/stories", params={"actor": "No Such Actor"}).json()["total"] == 0


def test_story_filter_by_place_and_event_type_on_one_event(client, demo_db):
    every = client.get("/api/stories").json()
    assert every["places"] and every["event_types"]
    place = every["places"][0]["name"]
    for params, cond, args in (({"place": place}, "e.place = ?", (place,)),
                               ({"event_type": "raid"}, "e.type = ?", ("raid",)),
                               ({"place": "Myanmar", "event_type": "raid"}, "e.place = ? AND e.type = ?",
                                ("Myanmar", "raid"))):
        got = client.get("/api/stories", params=params).json()
        want = {r[0] for r in sql(demo_db, "SELECT DISTINCT sm.story FROM story_members sm JOIN events e"
                                           f" ON e.article = sm.article WHERE {cond}", args)}
        assert {s["id"] for s in got["stories"]} == want and got["total"] == len(want), params
    facet = next(p for p in every["places"] if p["name"] == place)
    assert facet["stories"] == client.get("/api/stories", params={"place": place}).json()["total"]


def test_story_filters_combine_and_the_form_keeps_them(client):
    both = client.get("/api/stories", params={"actor": ARMY, "event_type": "raid", "q": "Golden Lotus"}).json()
    army = {s["id"] for s in client.get("/api/stories", params={"actor": ARMY}).json()["stories"]}
    raid = {s["id"] for s in client.get("/api/stories", params={"event_type": "raid"}).json()["stories"]}
    assert {s["id"] for s in both["stories"]} <= army & raid
    page = client.get("/", params={"actor": ARMY, "event_type": "raid", "place": "", "limit": 1}).text
    assert f'value="{ARMY}"' in page and '<option value="raid" selected>' in page
    assert "actor=Dawna+Border+Defence+Army" in page and "event_type=raid" in page      # the pager keeps them


# -- alias judgements --------------------------------------------------------------------------------
def test_form_alias_judgement_is_stored_and_shown_on_both_pages(fresh_db):
    c = TestClient(create_app(fresh_db))
    other = "Cross-Border Crime Suppression Bureau"   # a look-alike name (a shared word); no longer the spun
    #                                                   copy's "Dawna Boundary Protection Military" (issue 15 item 9)
    page = c.get(path_of(ARMY))
    assert f'<option value="{other}">' in page.text    # offered as a look-alike name
    r = c.post("/alias-judgements", data={"a": ARMY, "b": other, "decision": "same", "note": "spinner synonym",
                                          "csrf_token": csrf_from(page.text)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"{path_of(ARMY)}?judged=same#aliases"
    store = Store(fresh_db, readonly=True)
    assert store.judgements(kind="alias") == [(min(ARMY, other), max(ARMY, other), "same")]
    assert store.judgements() == []                     # not a copy judgement
    store.close()
    after = c.get(r.headers["location"]).text
    assert "Alias judgement recorded" in after and "spinner synonym" in after and f'href="{path_of(other)}"' in after
    assert c.get(f"/api/actors/{quote(other)}").json()["aliases"][0]["other"] == ARMY
    token = csrf_from(after)                            # judging again replaces the decision
    c.post("/alias-judgements", data={"a": other, "b": ARMY, "decision": "different", "csrf_token": token})
    assert [j["decision"] for j in c.get(f"/api/actors/{quote(ARMY)}").json()["aliases"]] == ["different"]


def test_api_alias_judgement_needs_the_header_token_and_known_names(fresh_db):
    c = TestClient(create_app(fresh_db))
    body = {"a": "Salween Herald", "b": "Herald", "decision": "same"}
    assert_error(c.post("/api/alias-judgements", json=body), 403, "csrf")          # no cookie yet
    token = csrf_from(c.get("/actors/Salween%20Herald").text)
    assert_error(c.post("/api/alias-judgements", json=body), 403, "csrf")          # no header
    assert_error(c.post("/api/alias-judgements", json=body, headers={"X-CSRF-Token": token,
                                                                    "Origin": "http://evil.example"}), 403, "csrf")
    ok = c.post("/api/alias-judgements", json=body, headers={"X-CSRF-Token": token})
    assert ok.status_code == 201 and ok.json()["judgement"] == {"a": "Herald", "b": "Salween Herald", "kind": "alias",
                                                                "decision": "same", "note": None}
    h = {"X-CSRF-Token": token}
    assert_error(c.post("/api/alias-judgements", json={**body, "decision": "copy"}, headers=h), 422, "invalid_request")
    assert_error(c.post("/api/alias-judgements", json={**body, "b": "Nobody Known"}, headers=h), 400, "bad_request")
    assert_error(c.post("/api/alias-judgements", json={**body, "b": body["a"]}, headers=h), 400, "bad_request")
    r = c.post("/alias-judgements", data={**body, "decision": "maybe", "csrf_token": token})
    assert r.status_code == 400
    assert len(Store(fresh_db, readonly=True).judgements(kind="alias")) == 1


# -- hostile names, stores without extraction ---------------------------------------------------------
def test_hostile_actor_name_is_inert_and_encoded(fresh_db):
    evil = '<script>alert(1)</script>/../x?"'
    aid = sql(fresh_db, "SELECT article FROM mentions LIMIT 1")[0][0]
    con = sqlite3.connect(fresh_db)
    con.execute("INSERT INTO mentions(article, text, label, canonical, role, start, \"end\", algorithm)"
                " VALUES (?, ?, 'PERSON', ?, '<img src=x onerror=alert(2)>', 0, 1, 'test')", (aid, evil, evil))
    con.commit()
    con.close()
    c = TestClient(create_app(fresh_db))
    for url in ("/actors", path_of(evil), f"/articles/{quote(aid, safe='')}", "/"):
        r = c.get(url)
        assert r.status_code == 200, (url, r.text[:200])
        assert_inert(r.text)
        assert "<script>alert(1)" not in r.text
    assert c.get("/api" + path_of(evil)).json()["name"] == evil


def test_store_without_extraction_tables(fresh_db):
    con = sqlite3.connect(fresh_db)
    con.executescript("DROP TABLE story_event_citations; DROP TABLE story_events; DROP TABLE events;"
                      " DROP TABLE mentions;")
    con.close()
    c = TestClient(create_app(fresh_db))
    assert c.get("/api/actors").json()["total"] == 0 and c.get("/actors").status_code == 200
    assert_error(c.get("/api/actors/Myanmar"), 404, "not_found")
    for params in ({"actor": ARMY}, {"place": "Myanmar"}, {"event_type": "raid"}):
        assert c.get("/api/stories", params=params).json()["total"] == 0
    assert c.get("/api/stories").json()["total"] > 0 and c.get("/").status_code == 200


# -- pure helpers ------------------------------------------------------------------------------------
def rows(*days: str | None) -> list[dict]:
    return [{"published": d, "article": f"a{i}"} for i, d in enumerate(days)]


def test_mention_bins_fill_gaps_and_pick_the_unit():
    tl = actor_views.mention_bins(rows("2025-03-04", "2025-03-04", "2025-03-07", None), "auto")
    assert tl["unit"] == "day" and tl["undated"] == 1
    assert [(b["start"], b["mentions"], b["articles"]) for b in tl["bins"]] == [
        ("2025-03-04", 2, 2), ("2025-03-05", 0, 0), ("2025-03-06", 0, 0), ("2025-03-07", 1, 1)]
    wk = actor_views.mention_bins(rows("2025-03-05", "2025-05-20"), "auto")
    assert wk["unit"] == "week" and wk["bins"][0]["start"] == "2025-03-03" and wk["bins"][-1]["start"] == "2025-05-19"
    mo = actor_views.mention_bins(rows("2024-01-31", "2025-12-01"), "auto")
    assert mo["unit"] == "month" and len(mo["bins"]) == 24 and mo["bins"][1]["start"] == "2024-02-01"
    with pytest.raises(ValueError, match="bin=week"):
        actor_views.mention_bins(rows("2020-01-01", "2025-01-01"), "day")
    assert actor_views.mention_bins(rows(None, "not a date"), "auto") == {"unit": "auto", "bins": [], "undated": 2}


def test_mentions_chart_geometry():
    tl = actor_views.mention_bins(rows("2025-03-04", "2025-03-04", "2025-03-06"), "day")
    ch = mentions_chart(tl)
    assert ch["ymax"] == 2 and len(ch["bars"]) == 3
    tall, empty, short = ch["bars"]
    assert empty["h"] == 0 and tall["h"] == pytest.approx(2 * short["h"])
    for b in ch["bars"]:
        assert ch["x0"] <= b["x"] and b["x"] + b["w"] <= ch["x1"] and b["w"] <= MC_MAX_BAR
        assert b["y"] + b["h"] == pytest.approx(ch["base"])
    assert mentions_chart({"unit": "day", "bins": []})["empty"]


def test_cooccurrence_layout_geometry():
    net = {"center": "C", "peers": [{"name": n, "shared": s, "label": "PERSON"} for n, s in
                                    (("A", 5), ("B", 3), ("D", 1), ("E", 1))],
           "edges": [{"a": "A", "b": "B", "shared": 2}, {"a": "A", "b": "missing", "shared": 9}]}
    g = cooccurrence_layout(net)
    assert [n["name"] for n in g["nodes"]] == ["A", "B", "D", "E"] and len(g["chords"]) == 1
    for n in g["nodes"]:
        assert 0 <= n["x"] - n["r"] and n["x"] + n["r"] <= g["width"] and 0 <= n["y"] - n["r"] <= g["height"]
    a, b = g["nodes"][0], g["nodes"][1]
    assert a["y"] < g["center"]["y"] and a["anchor"] == "middle"       # the strongest peer sits on top
    assert a["r"] > b["r"] and g["spokes"][0]["w"] > g["spokes"][1]["w"]
    assert cooccurrence_layout({"center": "C", "peers": [], "edges": []})["empty"]


def test_alias_candidates_match_whole_words(demo_db):
    store = Store(demo_db, readonly=True)
    try:
        names = {c["name"] for c in actor_views.alias_candidates(store, "Salween Herald")}
        assert "Herald" in names and "Salween Herald" not in names
        assert not any(c["name"] == "Pakistan" for c in actor_views.alias_candidates(store, "Tan"))
    finally:
        store.close()
    assert actor_views._contains_words(["ban", "pha", "daeng"], ["pha", "daeng"])
    assert not actor_views._contains_words(["pakistan"], ["tan"])
