"""The web workspace through FastAPI's TestClient: every page and its /api twin, the error shape,
CSRF, judgements respected by the next analyze, and hostile article data rendered inert."""
from __future__ import annotations

import functools
import json
import re
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web workspace needs fastapi (pip install fastapi)")
pytest.importorskip("httpx", reason="TestClient needs httpx")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient as _TestClient

# the workspace answers only to loopback Host names (DNS-rebinding defence): address it as 127.0.0.1
TestClient = functools.partial(_TestClient, base_url="http://127.0.0.1")

from conftest import assert_error, csrf_from  # noqa: E402
from scamtrace import api  # noqa: E402
from scamtrace.model import RELATIONS  # noqa: E402
from scamtrace.store import Store  # noqa: E402
from scamtrace.web import create_app  # noqa: E402
from scamtrace.web.security import CSRF_COOKIE  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "examples" / "demo"
SPUN = "c-9dd748125651ae14"                      # the demo's spun copy of the MWN raid story
SPUN_SOURCE = "mwn-20250304-golden-lotus-raid"
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def client(demo_db) -> TestClient:
    return TestClient(create_app(demo_db))


# -- stories ---------------------------------------------------------------------------------------
def test_stories_page_and_api_agree(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    data = client.get("/api/stories").json()
    assert data["total"] >= 5 and data["stories"]
    for st in data["stories"]:
        assert f'/stories/{st["id"]}"' in page.text
    # recency: last_seen never increases down the list (undated last)
    seen = [s["last_seen"] for s in data["stories"] if s["last_seen"]]
    assert seen == sorted(seen, reverse=True)


def test_story_search_filters_and_sorts(client):
    everything = client.get("/api/stories").json()
    jade = client.get("/api/stories", params={"q": "Jade Harbour"}).json()
    assert 0 < jade["total"] < everything["total"]
    assert all("Jade" in (s["title"] or "") or "Lao" in (s["title"] or "") for s in jade["stories"])
    none = client.get("/api/stories", params={"q": "zzzunknownwordzzz"}).json()
    assert none["total"] == 0 and none["stories"] == []
    # FTS syntax in user input is quoted, never an error
    assert client.get("/api/stories", params={"q": 'NEAR( "x" OR * ^'}).status_code == 200
    by_fam = client.get("/api/stories", params={"sort": "families"}).json()["stories"]
    fams = [s["families"] for s in by_fam]
    assert fams == sorted(fams, reverse=True)
    outlet = client.get("/api/stories", params={"outlet": "Mekong Pulse"}).json()
    assert outlet["total"] >= 1 and all("Mekong Pulse" in s["outlets"] for s in outlet["stories"])
    may = client.get("/api/stories", params={"date_from": "2025-05-01", "date_to": "2025-05-31"}).json()
    assert may["total"] >= 1
    for s in may["stories"]:
        assert (s["last_seen"] or s["first_seen"]) >= "2025-05-01" and (s["first_seen"] or s["last_seen"]) <= "2025-05-31"
    page = client.get("/", params={"q": "Jade Harbour", "sort": "families", "outlet": "", "date_from": ""})
    assert page.status_code == 200 and "Jade Harbour" in page.text


def test_story_list_paginates(client):
    first = client.get("/api/stories", params={"limit": 2}).json()
    second = client.get("/api/stories", params={"limit": 2, "offset": 2}).json()
    assert len(first["stories"]) == 2 and first["total"] > 2
    assert not {s["id"] for s in first["stories"]} & {s["id"] for s in second["stories"]}
    assert "more →" in client.get("/", params={"limit": 2}).text


@pytest.mark.parametrize("params,status,code", [
    ({"date_from": "yesterday"}, 400, "bad_request"),
    ({"date_from": "2025-06-01", "date_to": "2025-01-01"}, 400, "bad_request"),
    ({"sort": "random"}, 400, "bad_request"),
    ({"limit": 0}, 400, "bad_request"),
    ({"limit": 10_000}, 400, "bad_request"),
    ({"offset": -1}, 400, "bad_request"),
])
def test_story_list_rejects_bad_parameters_with_one_error_shape(client, params, status, code):
    body = assert_error(client.get("/api/stories", params=params), status, code)
    assert any(k in body["error"]["message"] for k in params)
    html = client.get("/", params=params)
    assert html.status_code == status and "text/html" in html.headers["content-type"]


# -- story -----------------------------------------------------------------------------------------
def test_story_page_groups_families_original_first(client):
    sid = client.get("/api/stories", params={"sort": "families"}).json()["stories"][0]["id"]
    st = client.get(f"/api/stories/{sid}").json()
    assert st["groups"] and sum(len(g["articles"]) for g in st["groups"]) == st["articles"]
    for g in st["groups"]:
        if g["origin"] and any(a["id"] == g["origin"] for a in g["articles"]):
            assert g["articles"][0]["id"] == g["origin"] and g["articles"][0]["is_origin"]
    dated = sum(1 for g in st["groups"] for a in g["articles"] if a["published"])
    assert sum(len(l["points"]) for l in st["timeline"]["lanes"]) == dated
    page = client.get(f"/stories/{sid}").text
    assert '<svg class="timeline"' in page
    assert page.count('<circle class="dot') == dated
    assert page.index("Articles by copy family") < page.index("rel rel-origin")


def test_story_page_shows_knowledge_when_present(client):
    sid = client.get("/api/stories", params={"sort": "families"}).json()["stories"][0]["id"]
    st = client.get(f"/api/stories/{sid}").json()
    k = st["knowledge"]
    if k is None:
        pytest.skip("this store has no knowledge tables")
    page = client.get(f"/stories/{sid}").text
    assert "Key figures" in page and "Events" in page and "Quotes" in page
    for f in k["facts"]:
        assert f["independent_sources"] <= f["articles"]


def test_unknown_story_and_article_are_404(client):
    assert_error(client.get("/api/stories/nope"), 404, "not_found")
    assert_error(client.get("/api/articles/nope"), 404, "not_found")
    assert_error(client.get("/api/no-such-route"), 404, "not_found")
    page = client.get("/stories/nope")
    assert page.status_code == 404 and "not_found" in page.text
    assert client.get("/no/such/page").status_code == 404


# -- article ---------------------------------------------------------------------------------------
def test_spun_article_shows_source_side_by_side_with_substitutions(client):
    data = client.get(f"/api/articles/{SPUN}").json()
    assert data["spin"]["looks_spun"] and data["spin"]["phrases"]
    (ln,) = [ln for ln in data["links"] if ln["other"]["id"] == SPUN_SOURCE]
    assert ln["relation"] == "spun" and ln["role"] == "copy of"
    assert ln["substitutions"] and ln["coverage"]["passages"] > 0
    kinds = {k for para in ln["this_paragraphs"] for seg in para for k in seg["kinds"]}
    assert {"passage", "sub", "spin"} <= kinds
    # every marked substitution on this side is one of the spinner's words
    words = {s["this"].lower() for s in ln["substitutions"] + ln["only_this"]}
    assert all(s["this"] and s["other"] for s in ln["substitutions"])   # issue 15: a swap has two sides
    marked = {seg["text"].lower() for para in ln["this_paragraphs"] for seg in para if "sub" in seg["kinds"]}
    assert marked and marked <= words | {w for w in marked if any(w in x for x in words)}
    # both texts survive segmentation unchanged
    this = client.get(f"/api/articles/{SPUN}").json()
    other_text = Store(client.app.state.db_path, readonly=True).get_article(SPUN_SOURCE).text
    joined = "".join(seg["text"] for para in ln["other_paragraphs"] for seg in para)
    assert joined == re.sub(r"\n\s*\n", "", other_text)
    assert this["article"]["id"] == SPUN
    page = client.get(f"/articles/{SPUN}").text
    assert 'class="mk-sub' in page and 'class="mk-passage' in page and "Substitutions (" in page
    assert f'href="/articles/{SPUN_SOURCE}"' in page


def test_original_lists_its_copies(client):
    data = client.get(f"/api/articles/{SPUN_SOURCE}").json()
    assert not data["links"]
    copies = {c["id"]: c["relation"] for c in data["copied_by"]}
    assert copies.get(SPUN) == "spun"
    assert "Copied by" in client.get(f"/articles/{SPUN_SOURCE}").text


# -- provenance, outlets, API index -------------------------------------------------------------------
def test_provenance_graph(client):
    data = client.get("/api/graph").json()
    assert data["families"] and all(len(f["nodes"]) >= 2 for f in data["families"])
    for f in data["families"]:
        ids = {n["id"] for n in f["nodes"]}
        for e in f["edges"]:
            assert e["relation"] in RELATIONS and e["to"] in ids and e["from"] in ids
    assert any(e["relation"] == "spun" for f in data["families"] for e in f["edges"])
    page = client.get("/graph").text
    assert page.count('<svg class="provenance"') == len(data["families"])
    assert ">spun" in page and "original not in store" in page
    assert client.get("/api/graph", params={"min_size": 1}).json()["families"].__len__() > len(data["families"])


def test_outlets(client):
    data = client.get("/api/outlets").json()
    rows = {r["outlet"]: r for r in data["outlets"]}
    assert rows["Daily Insight Hub"]["spun"] == 1 and rows["Daily Insight Hub"]["looks_spun"] == 1
    page = client.get("/outlets").text
    assert "Daily Insight Hub" in page and "Uncredited copies" in page


def test_api_index_and_openapi_document_every_api_route(client):
    spec = client.get("/api/openapi.json").json()
    assert {"/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}", "/api/graph",
            "/api/outlets", "/api/judgements"} <= set(spec["paths"])
    assert "ErrorBody" in spec["components"]["schemas"]
    assert all(not p.startswith("/api") or True for p in spec["paths"])
    assert not any(not p.startswith("/api") for p in spec["paths"]), "HTML pages are not API routes"
    page = client.get("/api").text
    for p in spec["paths"]:
        assert p in page
    assert client.get("/docs").status_code == 404     # no CDN-backed Swagger UI


def test_static_assets_are_local(client):
    page = client.get("/").text
    for url in re.findall(r'(?:href|src)="([^"]+)"', page):
        assert url.startswith("/"), f"external asset {url}"
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/static/app.js").headers["content-type"].startswith(("text/javascript", "application/javascript"))


@pytest.mark.parametrize("url", ["/", "/graph", "/outlets", "/api", "/api/stories", "/static/style.css", "/nope",
                                 f"/articles/{SPUN}"])
def test_security_headers_on_every_response(client, url):
    h = client.get(url).headers
    csp = h["content-security-policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert h["x-content-type-options"] == "nosniff"
    assert h["x-frame-options"] == "DENY"


# -- judgements and CSRF ------------------------------------------------------------------------------
def test_form_judgement_is_stored_and_respected_by_analyze(fresh_db):
    c = TestClient(create_app(fresh_db))
    page = c.get(f"/articles/{SPUN}")
    token = csrf_from(page.text)
    assert c.cookies.get(CSRF_COOKIE) == token
    r = c.post("/judgements", data={"a": SPUN, "b": SPUN_SOURCE, "decision": "not-copy", "note": "checked by hand",
                                    "back": SPUN, "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(f"/articles/{SPUN}?judged=not-copy")
    store = Store(fresh_db)
    assert (min(SPUN, SPUN_SOURCE), max(SPUN, SPUN_SOURCE), "not-copy") in store.judgements()
    after = c.get(r.headers["location"]).text
    assert "Judgement recorded" in after and "checked by hand" in after and "Pending" in after
    assert any(ln["other"]["id"] == SPUN_SOURCE for ln in c.get(f"/api/articles/{SPUN}").json()["links"])
    api.analyze(store)
    store.close()
    data = c.get(f"/api/articles/{SPUN}").json()
    assert not any(ln["other"]["id"] == SPUN_SOURCE for ln in data["links"])
    assert data["judgements"][0]["decision"] == "not-copy" and not data["pending"]


def test_api_judgement_needs_header_token(fresh_db):
    c = TestClient(create_app(fresh_db))
    body = {"a": SPUN, "b": SPUN_SOURCE, "decision": "copy"}
    assert_error(c.post("/api/judgements", json=body), 403, "csrf")      # no cookie yet
    token = csrf_from(c.get(f"/articles/{SPUN}").text)
    assert_error(c.post("/api/judgements", json=body), 403, "csrf")      # cookie, no header
    assert_error(c.post("/api/judgements", json=body, headers={"X-CSRF-Token": token[:-2] + "xx"}), 403, "csrf")
    ok = c.post("/api/judgements", json=body, headers={"X-CSRF-Token": token})
    assert ok.status_code == 201 and ok.json()["judgement"]["decision"] == "copy"
    assert_error(c.post("/api/judgements", json={**body, "decision": "maybe"}, headers={"X-CSRF-Token": token}),
                 422, "invalid_request")
    assert_error(c.post("/api/judgements", json={**body, "b": "nope"}, headers={"X-CSRF-Token": token}),
                 404, "not_found")
    assert_error(c.post("/api/judgements", json={**body, "b": SPUN}, headers={"X-CSRF-Token": token}),
                 400, "bad_request")


def test_form_judgement_rejects_missing_wrong_or_cross_origin_tokens(fresh_db):
    c = TestClient(create_app(fresh_db))
    form = {"a": SPUN, "b": SPUN_SOURCE, "decision": "copy", "back": SPUN}
    r = c.post("/judgements", data=form, follow_redirects=False)
    assert r.status_code == 403 and "csrf" in r.text                       # no cookie at all
    token = csrf_from(c.get(f"/articles/{SPUN}").text)
    assert c.post("/judgements", data=form, follow_redirects=False).status_code == 403
    assert c.post("/judgements", data={**form, "csrf_token": "x" * 43}, follow_redirects=False).status_code == 403
    evil = c.post("/judgements", data={**form, "csrf_token": token}, headers={"Origin": "http://evil.example"},
                  follow_redirects=False)
    assert evil.status_code == 403
    assert Store(fresh_db).judgements() == []
    good = c.post("/judgements", data={**form, "csrf_token": token}, headers={"Origin": "http://127.0.0.1"},
                  follow_redirects=False)
    assert good.status_code == 303 and len(Store(fresh_db).judgements()) == 1


def test_judgement_redirect_cannot_leave_the_site(fresh_db):
    c = TestClient(create_app(fresh_db))
    token = csrf_from(c.get(f"/articles/{SPUN}").text)
    r = c.post("/judgements", data={"a": SPUN, "b": SPUN_SOURCE, "decision": "copy", "back": "//evil.example",
                                    "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(f"/articles/{SPUN}?")


def test_empty_store_pages_work(tmp_path):
    c = TestClient(create_app(tmp_path / "new" / "empty.db"))
    assert "No story matches" in c.get("/").text
    assert c.get("/graph").status_code == 200 and c.get("/outlets").status_code == 200
    assert c.get("/api/stories").json()["total"] == 0


def test_unreadable_store_is_503_with_the_error_shape(tmp_path):
    db = tmp_path / "gone.db"
    c = TestClient(create_app(db))
    db.unlink()
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    assert_error(c.get("/api/stories"), 503, "store_unavailable")


# -- hostile article ------------------------------------------------------------------------------
HOSTILE_TITLE = "</title><script>alert('title')</script><!--"
HOSTILE_TEXT = (
    "<script>alert('text')</script> Police in the border town said on Monday that <img src=x onerror=alert(1)> "
    "officers had detained 311 people at a compound called Blue Orchid Park after a tip from relatives.\n\n"
    "<a href=\"javascript:alert(2)\">click here</a> A spokesman said the detained workers came from nine "
    "countries and that <style>body{display:none}</style> most had been recruited with fake job offers.\n\n"
    "\"We will keep going until the compound is empty,\" the spokesman said, \" onmouseover=\"alert(3)\" "
    "adding that 54 suspected managers were questioned. {{ 7*7 }} ${7*7} <iframe src=//evil.example></iframe>\n\n"
    "Relatives of the workers gathered outside the police station in the afternoon, waiting for news of "
    "family members who had stopped answering messages weeks ago, according to a local aid group."
)


class Inventory(HTMLParser):
    """Every tag and attribute of a page, and the text inside <title>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.title = ""
        self._in_title = False
        self.script_text = ""
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_title = tag == "title" and not self.title
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_title = False
        self._in_script = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._in_script:
            self.script_text += data


def assert_inert(html: str) -> Inventory:
    inv = Inventory()
    inv.feed(html)
    for tag, attrs in inv.tags:
        assert tag not in {"img", "iframe", "object", "embed", "style", "base", "meta"} or \
            (tag == "meta" and set(attrs) <= {"charset", "name", "content"}), f"unexpected <{tag}> {attrs}"
        if tag == "script":
            assert attrs.get("src") == "/static/app.js", f"unexpected script {attrs}"
        for k, v in attrs.items():
            assert not k.startswith("on"), f"event handler attribute {k} on <{tag}>"
            assert k != "style", f"inline style on <{tag}>"
            if k in {"href", "src", "action", "xlink:href", "formaction"}:
                assert not v.strip().lower().startswith(("javascript:", "data:", "vbscript:")), f"{k}={v}"
    assert inv.script_text.strip() == ""
    return inv


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    rec = {"id": "evil-1", "url": "javascript:alert(document.cookie)", "outlet": "<b onmouseover=alert(4)>Evil Daily</b>",
           "published": "2025-03-04", "title": HOSTILE_TITLE, "text": HOSTILE_TEXT, "byline": "<svg onload=alert(5)>"}
    copy = {**rec, "id": "evil-2", "url": "https://copy.example/a", "outlet": "\" onfocus=\"alert(6)", "published": "2025-03-05",
            "title": "Copy: " + HOSTILE_TITLE}
    (d / "evil.jsonl").write_text("\n".join(json.dumps(r) for r in (rec, copy)) + "\n")
    path = d / "hostile.db"
    store = api.open_store(path)
    stats = api.ingest(store, [str(d / "evil.jsonl")])
    assert stats.new == 2, stats
    api.analyze(store)
    store.close()
    return TestClient(create_app(path))


def test_hostile_article_is_rendered_inert(hostile):
    art = hostile.get("/api/articles/evil-1").json()
    assert "<script>" in art["article"]["text"], "the store keeps the text as it came; escaping is the page's job"
    page = hostile.get("/articles/evil-1")
    inv = assert_inert(page.text)
    assert "alert('title')" in inv.title                           # shown as text inside <title>
    assert "&lt;script&gt;alert(&#39;text&#39;)&lt;/script&gt;" in page.text
    assert "{{ 7*7 }}" in page.text and ">49<" not in page.text     # no template evaluation
    assert art["article"]["safe_url"] is None
    assert 'href="javascript:' not in page.text.lower()
    copy = hostile.get("/articles/evil-2")
    assert_inert(copy.text)
    assert "https://copy.example/a" in copy.text


@pytest.mark.parametrize("url", ["/", "/?q=alert", "/graph", "/outlets", "/api"])
def test_hostile_data_inert_on_every_page(hostile, url):
    r = hostile.get(url)
    assert r.status_code == 200
    assert_inert(r.text)


def test_hostile_story_page_inert(hostile):
    stories = hostile.get("/api/stories").json()["stories"]
    assert stories
    for s in stories:
        assert_inert(hostile.get(f"/stories/{s['id']}").text)


def test_hostile_ids_in_urls_are_encoded(tmp_path):
    rec = {"id": "a/../b?c=<x>#\"", "url": "https://x.example/", "outlet": "O", "published": "2025-01-02",
           "title": "T", "text": HOSTILE_TEXT}
    (tmp_path / "r.jsonl").write_text(json.dumps(rec) + "\n")
    store = api.open_store(tmp_path / "h.db")
    api.ingest(store, [str(tmp_path / "r.jsonl")])
    ids = [r["id"] for r in store.list_articles()]
    store.close()
    c = TestClient(create_app(tmp_path / "h.db"))
    for aid in ids:
        from urllib.parse import quote
        r = c.get("/articles/" + quote(aid, safe=""))
        assert r.status_code == 200, (aid, r.text[:200])
        assert_inert(r.text)


def test_provenance_pages_through_families(client):
    every = client.get("/api/graph").json()
    assert every["total"] == len(every["families"]) >= 3
    sizes = [len([n for n in f["nodes"] if not n.get("outside")]) for f in every["families"]]
    assert sizes == sorted(sizes, reverse=True)
    one = client.get("/api/graph", params={"limit": 1, "offset": 1}).json()
    assert [f["id"] for f in one["families"]] == [every["families"][1]["id"]] and one["total"] == every["total"]
    assert "smaller families →" in client.get("/graph", params={"limit": 1}).text
    assert_error(client.get("/api/graph", params={"limit": 0}), 400, "bad_request")


def test_search_shows_escaped_snippets_with_hits(client, hostile):
    data = client.get("/api/stories", params={"q": "Jade Harbour"}).json()
    m = data["stories"][0]["match"]
    assert m and any(hit and t.lower() in {"jade", "harbour"} for t, hit in m["parts"])
    assert '<mark class="mk-hit">' in client.get("/", params={"q": "Jade Harbour"}).text
    page = hostile.get("/", params={"q": "script alert"})
    assert page.status_code == 200 and "mk-hit" in page.text
    assert_inert(page.text)


def test_server_sees_articles_ingested_while_it_runs(tmp_path):
    db = tmp_path / "live.db"
    c = TestClient(create_app(db))
    assert c.get("/api/stories").json()["total"] == 0
    writer = api.open_store(db)                 # a concurrent `scamtrace ingest --analyze`
    api.ingest(writer, [str(DEMO / "jsonl" / "wire.jsonl")])
    api.analyze(writer)
    n = writer.count_articles()
    writer.close()
    assert n > 0
    data = c.get("/api/stories").json()
    assert data["total"] > 0
    aid = data["stories"][0]["id"]
    assert c.get(f"/stories/{aid}").status_code == 200


def test_provenance_draws_excerpt_links(client):
    """Issue 15: the legend shows "excerpt", so the digest's excerpt links must be drawn: the quoting
    article appears beside each family it quotes, marked as outside it."""
    from scamtrace.store import Store

    store = Store(client.app.state.db_path, readonly=True)
    excerpts = [ln for ln in store.links() if ln.relation == "excerpt"]
    assert excerpts, "the demo has an aggregator digest"
    fams = client.get("/api/graph").json()["families"]
    drawn = {(e["from"], e["to"]) for f in fams for e in f["edges"] if e["relation"] == "excerpt"}
    shown = {m for f in fams for n in f["nodes"] for m in [n["id"]]}
    for ln in excerpts:
        if ln.source in shown:
            assert (ln.source, ln.article) in drawn
            fam = next(f for f in fams if (ln.source, ln.article) in {(e["from"], e["to"]) for e in f["edges"]})
            node = next(n for n in fam["nodes"] if n["id"] == ln.article)
            assert node.get("outside") or ln.article in [n["id"] for n in fam["nodes"] if not n.get("outside")]
    page = client.get("/graph").text
    assert 'class="edge rel-excerpt' in page   # drawn, not only in the legend
