"""The one error hierarchy (scamtrace.errors) and how each branch is answered: a reject for an input,
404 for an unknown id, 400 for a request the caller can correct, 500 with a logged id for a bug."""
from __future__ import annotations

import logging
import re

import pytest

from scamtrace import errors
from scamtrace.ingest.decode import decode_bytes
from scamtrace.ingest.feeds import parse_feed
from scamtrace.model import Article
from scamtrace.store import PutStatus, Store


def test_every_error_has_one_root_and_one_branch():
    for name in ("InputError", "ContentError", "NotFound", "InvalidRequest", "StoreError", "SparkUnavailable"):
        assert issubclass(getattr(errors, name), errors.ScamtraceError), name
    assert issubclass(errors.NotText, errors.ContentError) and issubclass(errors.FeedError, errors.ContentError)
    assert issubclass(errors.SettingError, errors.InvalidRequest)
    assert issubclass(errors.GoldFileError, errors.InvalidRequest)
    assert issubclass(errors.InvalidRequest, ValueError)          # argument checks that catch ValueError still do
    assert not issubclass(errors.NotFound, errors.InvalidRequest)


def test_unreadable_bytes_raise_content_errors_with_a_reason():
    with pytest.raises(errors.NotText, match="binary content"):
        decode_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    with pytest.raises(errors.FeedError, match="not <rss>"):
        parse_feed(b"<?xml version='1.0'?><html><body>no feed</body></html>")


def test_put_article_says_what_it_did_with_an_enum(tmp_path):
    store = Store(tmp_path / "s.db")
    art = Article(id="a1", source="x.txt", text="Police raided a compound near the border on Monday.", raw_hash="h1")
    assert store.put_article(art, fmt="text", body="1") is PutStatus.NEW
    assert store.put_article(art, fmt="text", body="1") is PutStatus.SAME
    art.raw_hash = "h2"
    assert store.put_article(art, fmt="text", body="2") is PutStatus.CONFLICT
    store.close()


# -- the web answers ---------------------------------------------------------------------------------
fastapi = pytest.importorskip("fastapi", reason="the web workspace needs fastapi (pip install fastapi)")
from fastapi.testclient import TestClient  # noqa: E402

from conftest import assert_error  # noqa: E402
from scamtrace.web import app as web_app  # noqa: E402


@pytest.fixture()
def client(tmp_path):
    return TestClient(web_app.create_app(tmp_path / "empty.db"), raise_server_exceptions=False)


def test_a_bug_is_500_with_an_id_the_log_repeats(client, monkeypatch, caplog):
    def broken(store, f):   # noqa: ANN001, ANN202 - an internal bug that happens to be a ValueError
        raise ValueError("an internal invariant broke")

    monkeypatch.setattr(web_app, "stories_view", broken)
    with caplog.at_level(logging.ERROR, logger=web_app.log.name):
        body = assert_error(client.get("/api/stories"), 500, "internal")
    m = re.search(r"internal error ([0-9a-f]{12})", body["error"]["message"])
    assert m, body
    assert "internal invariant" not in body["error"]["message"]            # no internals to the client
    assert any(m.group(1) in r.getMessage() and r.exc_info for r in caplog.records)
    page = client.get("/")
    assert page.status_code == 500 and "internal error" in page.text


def test_a_request_the_caller_can_correct_is_400(client):
    assert_error(client.get("/api/stories", params={"sort": "alphabetical"}), 400, "bad_request")
    assert_error(client.get("/api/stories", params={"date_from": "2025-05-01", "date_to": "2025-01-01"}),
                 400, "bad_request")


def test_an_unknown_id_is_404(client):
    assert_error(client.get("/api/articles/no-such-article"), 404, "not_found")
