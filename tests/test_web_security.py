"""The web workspace against a stranger: DNS rebinding (Host and Origin), CSRF, numeric parameters,
ids that need escaping in URLs, HEAD; and CSV formula injection in every export."""
from __future__ import annotations

import csv
import functools
import io
import json
import subprocess
import sys
import warnings
from pathlib import Path
from urllib.parse import quote

import pytest

pytest.importorskip("fastapi", reason="the web workspace needs fastapi (pip install fastapi)")
pytest.importorskip("httpx", reason="TestClient needs httpx")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient as _TestClient

from conftest import assert_error, csrf_from  # noqa: E402
from scamtrace import api  # noqa: E402
from scamtrace.cli import EXPORT_WHATS  # noqa: E402
from scamtrace.export.tabular import FORMULA_STARTS, neutralise  # noqa: E402
from scamtrace.store import Store  # noqa: E402
from scamtrace.web.app import create_app  # noqa: E402

TestClient = functools.partial(_TestClient, base_url="http://127.0.0.1")
ODD_IDS = ["../../etc/passwd", '=HYPERLINK("http://x.example","click")', "a%2Fb%25c", "it's \"quoted\"",
           "=cmd|' /C calc'!A0 story", "x=1&y=2?z#frag", "@at", "tab\tinside"]
HOSTILE = {"outlet": "=cmd|' /C calc'!A0", "title": "+SUM(1,2)", "byline": "@evil"}
TEXT = ("Police in {place} said on Tuesday that 300 people were freed from a scam compound, and the "
        "ministry said {n} suspects were detained. \"We will continue,\" said Colonel Somchai Wong. "
        "The raid followed months of complaints from families of the victims.")


@pytest.fixture(scope="module")
def odd_db(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("odd")
    src = root / "odd.jsonl"
    rows = [{"id": aid, "text": TEXT.format(place=["Myawaddy", "Phnom Penh", "Manila"][i % 3], n=10 + i),
             "published": f"2025-02-{i + 1:02d}", **(HOSTILE if i % 2 else {})} for i, aid in enumerate(ODD_IDS)]
    src.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    db = root / "odd.db"
    store = api.open_store(db)
    api.ingest(store, [str(src)])
    api.analyze(store)
    store.close()
    return db


@pytest.fixture()
def client(odd_db) -> TestClient:
    return TestClient(create_app(odd_db))


# -- DNS rebinding: Host and Origin ------------------------------------------------------------------
@pytest.mark.parametrize("host", ["rebind.evil.example:8765", "rebind.evil.example", "127.0.0.1.evil.example",
                                  "localhost.evil.example:80", "evil.example:8765@127.0.0.1", ""])
def test_a_foreign_host_gets_400_and_no_page_token_or_cookie(client, host):
    for path in ("/", "/api/stories", "/outlets"):
        r = client.get(path, headers={"Host": host})
        assert r.status_code == 400 and "csrf" not in r.text.lower() and "set-cookie" not in r.headers
        assert "--allow-host" in r.text


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "LOCALHOST", "[::1]:8765", "127.0.0.1"])
def test_loopback_hosts_are_answered(client, host):
    assert client.get("/", headers={"Host": host}).status_code == 200


def test_allowed_host_names_are_answered(odd_db):
    c = TestClient(create_app(odd_db, allowed_hosts=["scamtrace.lan"]))
    assert c.get("/", headers={"Host": "scamtrace.lan:8765"}).status_code == 200
    assert c.get("/", headers={"Host": "other.lan"}).status_code == 400


def test_a_rebound_post_stores_nothing(client, odd_db):
    page = client.get("/articles/" + quote(ODD_IDS[0], safe=""))
    token = csrf_from(page.text)
    before = Store(odd_db, readonly=True).judgements()
    body = {"a": ODD_IDS[0], "b": ODD_IDS[1], "decision": "copy"}
    r = client.post("/api/judgements", json=body, headers={"Host": "rebind.evil.example:8765", "X-CSRF-Token": token,
                                                          "Origin": "http://rebind.evil.example:8765"})
    assert r.status_code == 400
    assert Store(odd_db, readonly=True).judgements() == before


def test_csrf_checks(client, odd_db):
    page = client.get("/articles/" + quote(ODD_IDS[0], safe=""))
    token = csrf_from(page.text)
    body = {"a": ODD_IDS[0], "b": ODD_IDS[2], "decision": "not-copy"}
    assert_error(client.post("/api/judgements", json=body), 403, "csrf")                                  # no token
    assert_error(client.post("/api/judgements", json=body, headers={"X-CSRF-Token": "x" * 40}), 403, "csrf")
    for origin in ("http://evil.example", "null", "http://127.0.0.1:9999", "http://localhost"):
        assert_error(client.post("/api/judgements", json=body, headers={"X-CSRF-Token": token, "Origin": origin}),
                     403, "csrf")
    fresh = TestClient(create_app(odd_db))        # no cookie at all
    assert_error(fresh.post("/api/judgements", json=body, headers={"X-CSRF-Token": token}), 403, "csrf")
    ok = client.post("/api/judgements", json=body, headers={"X-CSRF-Token": token, "Origin": "http://127.0.0.1"})
    assert ok.status_code == 201
    assert (min(ODD_IDS[0], ODD_IDS[2]), max(ODD_IDS[0], ODD_IDS[2]), "not-copy") in \
        Store(odd_db, readonly=True).judgements()


# -- numeric parameters ---------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/api/stories", "/", "/api/graph", "/graph", "/api/actors", "/actors"])
@pytest.mark.parametrize("params", [{"offset": "99999999999999999999999"}, {"offset": "-1"}, {"offset": "1e3"},
                                    {"limit": "abc"}, {"limit": "99999999999999999999"}, {"limit": "0"}])
def test_bad_numbers_are_400(client, path, params):
    r = client.get(path, params=params)
    assert r.status_code == 400, (path, params, r.status_code)
    if path.startswith("/api"):
        assert_error(r, 400, "bad_request")


# -- ids that need escaping -----------------------------------------------------------------------------
@pytest.fixture()
def live(odd_db):
    """The app served by uvicorn on a loopback port, read with httpx: the TestClient decodes a path twice
    (``%2525`` arrives as ``%``), a real server once, as a browser expects."""
    import socket
    import threading
    import time

    import httpx
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = uvicorn.Server(uvicorn.Config(create_app(odd_db), host="127.0.0.1", port=port, log_level="error"))
    t = threading.Thread(target=server.run, daemon=True)
    t.start()
    for _ in range(500):            # wait for start-up (bounded)
        if server.started:
            break
        time.sleep(0.02)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as c:
        yield c
    server.should_exit = True
    t.join(10)


def test_every_story_and_article_is_reachable_whatever_its_id(live, odd_db):
    client = live
    store = Store(odd_db, readonly=True)
    stories = [r[0] for r in store.execute("SELECT id FROM stories")]
    articles = [r[0] for r in store.execute("SELECT id FROM articles")]
    store.close()
    assert sorted(articles) == sorted(ODD_IDS) and any("/" in s for s in stories), stories
    for sid in stories:
        seg = quote(sid, safe="")
        assert client.get(f"/api/stories/{seg}").json()["id"] == sid, sid
        page = client.get(f"/stories/{seg}")
        assert page.status_code == 200
        for aid in articles:   # the page links its articles with ids that round-trip
            if f"/articles/{quote(aid, safe='')}" in page.text:
                assert client.get(f"/api/articles/{quote(aid, safe='')}").json()["article"]["id"] == aid
    for aid in articles:
        seg = quote(aid, safe="")
        assert client.get(f"/api/articles/{seg}").json()["article"]["id"] == aid, aid
        assert client.get(f"/articles/{seg}").status_code == 200


def test_head_answers_like_get_without_a_body(client):
    for path in ("/", "/api/stories", "/outlets"):
        r = client.head(path)
        assert r.status_code == 200 and r.content == b""


# -- CSV formula injection -----------------------------------------------------------------------------
def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


def _export(db: Path, what: str, *extra: str) -> str:
    res = subprocess.run([sys.executable, "-c", "from scamtrace.cli import main; main()", "--db", str(db), "export",
                          what, "--format", "csv", *extra], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    return res.stdout


def test_every_csv_export_neutralises_formulas(odd_db):
    dangerous_raw = {}
    for what in EXPORT_WHATS:
        safe, raw = _cells(_export(odd_db, what)), _cells(_export(odd_db, what, "--raw"))
        assert not [c for c in safe if c.startswith(FORMULA_STARTS)], what
        bad = [c for c in raw if c.startswith(FORMULA_STARTS)]
        assert sorted(neutralise(c) for c in bad) == sorted(c for c in safe if c.startswith("'") and c[1:2] in
                                                            "".join(FORMULA_STARTS) and c[1:] in bad), what
        dangerous_raw[what] = len(bad)
    # the hostile ids, outlets and titles reach most exports; every one of those was neutralised
    assert sum(1 for n in dangerous_raw.values() if n) >= 5, dangerous_raw


def test_listings_in_csv_are_neutralised_too(odd_db):
    for cmd in (["articles"], ["outlets"], ["stories"], ["rejects"]):
        res = subprocess.run([sys.executable, "-c", "from scamtrace.cli import main; main()", "--db", str(odd_db),
                              *cmd, "--format", "csv"], capture_output=True, text=True)
        assert res.returncode == 0, res.stderr
        assert not [c for c in _cells(res.stdout) if c.startswith(FORMULA_STARTS)], cmd


def test_neutralise_follows_owasp():
    assert neutralise("=1+1") == "'=1+1" and neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("-2") == "'-2" and neutralise("+7") == "'+7" and neutralise("\tx") == "'\tx"
    assert neutralise("plain") == "plain" and neutralise("a=b") == "a=b"
