"""The store opens cleanly in Datasette with the shipped metadata: the articles table with titles as
labels, foreign keys as links to the article they name, full-text search, plumbing tables hidden."""
from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path

import pytest

pytest.importorskip("datasette", reason="the Datasette check needs datasette>=0.65,<0.66 (dev extra)")

from datasette.app import Datasette  # noqa: E402

from scamtrace.model import Article  # noqa: E402
from scamtrace.store import Store  # noqa: E402

METADATA = Path(__file__).resolve().parents[1] / "src" / "scamtrace" / "data" / "datasette-metadata.json"
ARTICLES = (
    ("orig-1", "Militia detains 4,100 at Golden Lotus Park", "Soldiers detained 4,100 people at the compound."),
    ("copy-2", "Copy: militia detains 4,100", "Soldiers detained 4,100 people at the compound."),
    ("other-3", "Floods swamp the valley", "Rivers burst their banks after heavy rain."),
)


@pytest.fixture(scope="module")
def ds(tmp_path_factory) -> Datasette:
    path = tmp_path_factory.mktemp("datasette") / "scamtrace.db"     # the database key of the metadata
    store = Store(path)
    for i, (aid, title, text) in enumerate(ARTICLES):
        store.put_article(Article(id=aid, source=f"t:{aid}", text=text, url=f"https://news.example/{aid}",
                                  outlet="News Example", title=title, published=dt.date(2025, 3, 4 + i),
                                  raw_hash=aid, cleaner="t"), fmt="text", body=text)
    with store.write() as db:
        db.execute("INSERT INTO links(article, source, other, relation, score, algorithm) VALUES"
                   " ('copy-2', 'orig-1', 'orig-1', 'verbatim', 0.97, 'copies.classify-v1')")
    store.close()
    return Datasette([str(path)], metadata=json.loads(METADATA.read_text(encoding="utf-8")))


def get(ds: Datasette, url: str):
    async def fetch():
        await ds.invoke_startup()
        return await ds.client.get(url)

    return asyncio.run(fetch())


def test_articles_table_page(ds):
    r = get(ds, "/scamtrace/articles")
    assert r.status_code == 200
    for _, title, _ in ARTICLES:
        assert title in r.text
    assert 'name="_search"' in r.text                                # the search box: FTS is configured


def test_foreign_key_is_a_link_labelled_with_the_title(ds):
    r = get(ds, "/scamtrace/links")
    assert r.status_code == 200
    assert '<a href="/scamtrace/articles/orig-1">Militia detains 4,100 at Golden Lotus Park</a>' in r.text
    assert '<a href="/scamtrace/articles/copy-2">Copy: militia detains 4,100</a>' in r.text
    r = get(ds, "/scamtrace/articles/orig-1")                         # the row page lists what points at it
    assert r.status_code == 200 and "links" in r.text


def test_full_text_search(ds):
    r = get(ds, "/scamtrace/articles.json?_search=floods&_shape=array")
    assert r.status_code == 200
    assert [row["id"] for row in r.json()] == ["other-3"]
    r = get(ds, "/scamtrace/articles.json?_search=detained&_shape=array")
    assert sorted(row["id"] for row in r.json()) == ["copy-2", "orig-1"]


def test_plumbing_tables_are_hidden_and_labels_documented(ds):
    r = get(ds, "/scamtrace.json")
    assert r.status_code == 200
    tables = {t["name"]: t for t in r.json()["tables"]}
    for name in ("raw_docs", "copy_signatures", "_migrations", "articles_fts"):
        assert tables[name]["hidden"], name
    assert not tables["articles"]["hidden"] and not tables["links"]["hidden"]
    meta = json.loads(METADATA.read_text(encoding="utf-8"))["databases"]["scamtrace"]["tables"]
    store_tables = {r[0] for r in Store(":memory:").execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'articles_fts%'")}
    assert store_tables <= set(meta), f"tables without metadata: {sorted(store_tables - set(meta))}"
    for name, t in meta.items():
        if "label_column" in t:
            cols = {r[1] for r in Store(":memory:").execute(f'PRAGMA table_info("{name}")')}
            assert t["label_column"] in cols, (name, t["label_column"])
