import datetime as dt
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scamtrace.errors import MigrationError, NotFound
from scamtrace.model import Article, Link, Family, Reject
from scamtrace.store import MIGRATIONS, Store, migrate


def art(i="a1", text="Police raided the compound on Tuesday.", **kw):
    return Article(id=i, source=f"{i}.txt", text=text, raw_hash=kw.pop("raw_hash", "h-" + text), **kw)


def test_migrations_recorded_once_and_wal(tmp_path):
    p = tmp_path / "s.db"
    s = Store(p)
    names = [r[0] for r in s.execute("SELECT name FROM _migrations ORDER BY name")]
    assert names == [n for n, _ in MIGRATIONS]
    assert s.execute("PRAGMA journal_mode")[0][0] == "wal"
    s.close()
    s2 = Store(p)   # reopening applies nothing twice
    assert len(s2.execute("SELECT * FROM _migrations")) == len(MIGRATIONS)
    assert s2.execute("PRAGMA foreign_keys")[0][0] == 1


def test_failed_migration_rolls_back(tmp_path, monkeypatch):
    from scamtrace.store import migrations as m

    db = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    migrate(db)
    monkeypatch.setattr(m, "MIGRATIONS", m.MIGRATIONS + [("9999_broken", lambda: "CREATE TABLE ok_t(x); SELEC nonsense;")])
    with pytest.raises(MigrationError, match="9999_broken"):
        migrate(db)
    assert db.execute("SELECT count(*) FROM sqlite_master WHERE name='ok_t'").fetchone()[0] == 0
    assert "9999_broken" not in [r[0] for r in db.execute("SELECT name FROM _migrations")]


def test_idempotent_and_conflict():
    s = Store(":memory:")
    assert s.put_article(art(), fmt="text", body="raw") == "new"
    assert s.put_article(art(), fmt="text", body="raw") == "same"
    assert s.put_article(art(text="Something else entirely."), fmt="text", body="raw2") == "conflict"
    assert s.get_article("a1").text.startswith("Police raided")   # never overwritten silently
    assert len(s.conflicts()) == 1
    assert s.count_articles() == 1


def test_fts_search_and_hostile_query():
    s = Store(":memory:")
    s.put_article(art("a1", "Police raided the compound."), fmt="text", body="1")
    s.put_article(art("a2", "Officials signed an agreement."), fmt="text", body="2")
    assert [r["id"] for r in s.list_articles("raided")] == ["a1"]
    # FTS syntax in user input is quoted, never an error
    assert s.list_articles('raided" OR NEAR(') == []
    assert [r["id"] for r in s.list_articles("agreement")] == ["a2"]


def test_update_refreshes_fts():
    s = Store(":memory:")
    s.put_article(art("a1", "Old words here.", raw_hash="h"), fmt="text", body="1")
    a = art("a1", "Fresh words now.", raw_hash="h")
    a.cleaner = "clean-v2"
    assert s.put_article(a, fmt="text", body="1") == "updated"
    assert s.list_articles("Old") == []
    assert [r["id"] for r in s.list_articles("Fresh")] == ["a1"]


def test_write_transaction_is_all_or_nothing():
    s = Store(":memory:")
    with pytest.raises(RuntimeError):
        with s.write():
            s.put_article(art("a1"), fmt="text", body="1")
            raise RuntimeError("crash mid-batch")
    assert s.count_articles() == 0


def test_rejects_and_notfound():
    s = Store(":memory:")
    s.add_reject(Reject("bad.bin", "bad.bin: binary file; save the article as text or HTML"))
    assert s.rejects()[0]["source"] == "bad.bin"
    with pytest.raises(NotFound, match="nope"):
        s.get_article("nope")


def test_links_families_judgements():
    s = Store(":memory:")
    for i in ("a", "b", "c"):
        s.put_article(art(i, f"text {i}"), fmt="text", body=i)
    s.put_links([Link("b", "a", "verbatim", 0.99, "copies.classify-v1", {"coverage": 1.0}),
                 Link("c", None, "spun", 0.8, "copies.classify-v1", {}, sibling="b")])
    s.replace_families([Family("fam-a", ["a", "b", "c"], origin="a", origin_credit="MWN")])
    links = s.links("a")
    assert len(links) == 1 and links[0].family == "fam-a" and links[0].origin_credit == "MWN"
    assert {ln.relation for ln in s.links()} == {"verbatim", "spun"}
    s.add_judgement("c", "a", "not-copy")
    assert s.judgements() == [("a", "c", "not-copy")]
    with pytest.raises(NotFound):
        s.add_judgement("a", "zzz", "copy")


def test_feed_state_mapping(tmp_path):
    s = Store(tmp_path / "f.db")
    fs = s.feed_state()
    fs["http://127.0.0.1/feed"] = {"etag": "x", "seen": ["1"]}
    assert Store(tmp_path / "f.db").feed_state()["http://127.0.0.1/feed"]["etag"] == "x"
    assert list(fs) == ["http://127.0.0.1/feed"]


texts = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300)


@settings(max_examples=60, deadline=None)
@given(text=texts, title=st.none() | texts, truncated=st.booleans(),
       published=st.none() | st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 1, 1)),
       contributors=st.lists(texts, max_size=3))
def test_round_trip(text, title, truncated, published, contributors):
    s = Store(":memory:")
    a = Article(id="x", source="s", text=text, title=title, truncated=truncated, published=published,
                contributors=contributors, raw_hash="h", credit="MWN", outlet="Some Outlet")
    s.put_article(a, fmt="html", body="<p>x</p>")
    assert s.get_article("x") == a
