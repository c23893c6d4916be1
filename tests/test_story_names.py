"""stories.name-v1: a story none of whose articles has a headline is named after a lead sentence,
marked as derived wherever it is shown. Every text here is invented."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from scamtrace import api
from scamtrace.cli import cli
from scamtrace.model import Article, Family, Story
from scamtrace.stories.cluster import copies_of, story_title
from scamtrace.stories.names import (HEADLINE_SOURCE, NAME_ALGORITHM, NAME_MAX_CHARS, lead_sentence, name_stories,
                                     short_name, story_name)
from scamtrace.stories.stage import _name_stored
from scamtrace.store.analysis import last_run_stats, put_story_titles, unnamed_stories

LEAD = "Police in the river town freed forty workers held at a fake call centre on Tuesday, officials said."


def test_the_lead_skips_page_furniture_and_the_date_stamp():
    text = ("date 2031-04-05 By Jane Roe and Sam Poe\n\n"
            "05/04/2031 | Press release | Distributed by Wirehouse on 05/04/2031 10:00\n\n"
            "Workers leave the compound at dawn. (Tollan Post pic)\n\n"
            f"{LEAD} More people are still missing.")
    assert lead_sentence(text) == LEAD


def test_the_lead_drops_a_dateline():
    body = "Forty workers were freed from a fake call centre on Tuesday, the police said."
    for dateline in ("TOLLAN (AP) — ", "TOLLAN, Veridia, Mar 3 (Wirecorp) - ", "NEW TOLLAN — ", "TOLLAN -- ",
                     "Tollan: ", "ĐỒNG TÂN — "):
        assert lead_sentence(dateline + body) == body, dateline
    kept = "Tollan, Veridia, police said on Tuesday that forty workers were freed from a call centre."
    assert lead_sentence(kept) == kept          # no dash or colon: no dateline to drop


def test_a_lead_is_a_sentence_of_some_words():
    assert lead_sentence("Photo: handout.\n\nThe ministry named three new sites of forced fraud work.") == \
        "The ministry named three new sites of forced fraud work."
    assert lead_sentence("Too short.\n\nAlso short here.") is None
    assert lead_sentence("") is None


def test_short_name_cuts_at_a_word_boundary():
    assert short_name("Forty workers were freed.") == "Forty workers were freed"
    name = short_name(LEAD + " " + LEAD)
    assert name.endswith("…") and len(name) <= NAME_MAX_CHARS + 1
    assert (LEAD + " " + LEAD).startswith(name[:-1])
    words = name[:-1].split()
    assert words[-1].lower() not in {"a", "the", "of", "at", "on", "in"} and not words[-1].endswith(",")
    long_word = "x" * 200
    assert short_name(long_word) == "x" * NAME_MAX_CHARS + "…"


def test_the_most_central_lead_names_the_story():
    odd = "Upon arrival at the harbour the guests were taken to hotels by buses in the evening rain."
    central = "Seventy workers freed from fraud compounds returned home to Veridia on Friday, officials said."
    side = "The ministry thanked the border police for their help with the seventy workers."
    texts = [odd + " Seventy workers came home.", central + " More were expected.",
             side + " They were freed from fraud compounds and returned home to Veridia on Friday."]
    assert story_name(texts) == short_name(central)
    assert story_name([central, central]) == short_name(central)      # a tie: the earlier member
    assert story_name(["", "Short."]) is None


def test_name_stories_keeps_headlines_and_derives_the_rest():
    titled = Story("story-a", "A real headline", None, None, ["a1", "a2"], ["fam-a1"])
    untitled = Story("story-b", None, None, None, ["b1", "b2"], ["fam-b1"])
    empty = Story("story-c", None, None, None, ["c1"], ["fam-c1"])
    asked: list[list[str]] = []

    def texts_of(ids: list[str]) -> dict[str, str]:
        asked.append(ids)
        return {"a1": "never read", "b1": LEAD, "b2": "Another text of seven words is here.", "c1": "Tiny."}
    name_stories([titled, untitled, empty], texts_of)
    assert (titled.title, titled.title_source) == ("A real headline", HEADLINE_SOURCE)
    assert untitled.title_source == NAME_ALGORITHM and untitled.title and LEAD.startswith(untitled.title[:-1])
    # no lead: no title, but marked as tried, so an incremental run does not read its texts again
    assert (empty.title, empty.title_source) == (None, NAME_ALGORITHM)
    assert asked == [["b1", "b2", "c1"]]   # only the untitled stories' texts are read, at once


def _untitled_corpus(path: Path) -> Path:
    recs = [
        {"id": "t-1", "outlet": "Tollan Post", "published": "2031-03-03", "title": None,
         "text": "TOLLAN — Police freed forty workers held at a <b>fake</b> call centre in the river town of Tollan on "
                 "Tuesday, officials said. The workers came from six countries and were promised jobs in sales. "
                 "Officers arrested three managers and seized computers and phones at the site."},
        {"id": "t-2", "outlet": "Harbour Daily", "published": "2031-03-04", "title": None,
         "text": "Forty workers held at a fake call centre in Tollan were freed by police on Tuesday, officials said. "
                 "Three managers were arrested and computers were seized at the site in the river town."},
        {"id": "h-1", "outlet": "Valley News", "published": "2031-05-01", "title": "Floods close the valley road",
         "text": "Heavy rain flooded the valley road on Monday and the county closed it to traffic for two days. "
                 "Farmers said their fields were under water and asked the county for help."},
    ]
    src = path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    return src


def test_analyze_names_untitled_stories_everywhere(tmp_path):
    db = tmp_path / "n.db"
    store = api.open_store(db)
    api.ingest(store, [str(_untitled_corpus(tmp_path))])
    api.analyze(store)
    rows = {r["id"]: dict(r) for r in store.execute("SELECT id, title, title_source FROM stories")}
    assert all(r["title"] for r in rows.values())
    derived = [r for r in rows.values() if r["title_source"] == NAME_ALGORITHM]
    assert derived and all("forty workers" in r["title"].lower() for r in derived)
    assert not any(r["title"].startswith("TOLLAN") for r in derived)               # the dateline is dropped
    assert {r["title"] for r in rows.values() if r["title_source"] == HEADLINE_SOURCE} == {"Floods close the valley road"}
    sid = derived[0]["id"]
    store.close()
    runner = CliRunner()
    listing = runner.invoke(cli, ["--db", str(db), "stories", "--format", "jsonl"])
    assert listing.exit_code == 0, listing.output
    got = {s["story"]: s for s in map(json.loads, listing.output.splitlines())}
    assert got[sid]["title_source"] == NAME_ALGORITHM and got[sid]["title"] == derived[0]["title"]
    brief = runner.invoke(cli, ["--db", str(db), "story", sid])
    assert brief.exit_code == 0 and brief.output.splitlines()[0] == derived[0]["title"] + " (derived name)"
    assert "no article of this story has a headline" in brief.output.splitlines()[1]
    exported = runner.invoke(cli, ["--db", str(db), "export", "stories", "--format", "jsonl"])
    assert any(json.loads(x)["title_source"] == NAME_ALGORITHM for x in exported.output.splitlines() if x.strip())


def test_web_pages_show_a_derived_name_escaped_and_marked(tmp_path):
    import pytest
    pytest.importorskip("httpx", reason="TestClient needs httpx")
    from fastapi.testclient import TestClient

    from scamtrace.web.app import create_app

    db = tmp_path / "w.db"
    store = api.open_store(db)
    api.ingest(store, [str(_untitled_corpus(tmp_path))])
    api.analyze(store)
    sid = store.execute("SELECT id FROM stories WHERE title_source = ?", (NAME_ALGORITHM,))[0]["id"]
    with store.write() as w:   # a name holding markup must reach the page as text
        w.execute("UPDATE stories SET title = ? WHERE id = ?", ("Forty <script>x()</script> workers…", sid))
    store.close()
    client = TestClient(create_app(str(db)), base_url="http://127.0.0.1")
    for page in ("/", f"/stories/{sid}"):
        html = client.get(page).text
        assert '<em class="derived-name"' in html, page
        assert "Forty &lt;script&gt;x()&lt;/script&gt; workers…" in html and "<script>x()" not in html, page


def test_stored_untitled_stories_are_named_later(tmp_path):
    store = api.open_store(tmp_path / "b.db")
    api.ingest(store, [str(_untitled_corpus(tmp_path))])
    api.analyze(store)
    named = {r["id"]: r["title"] for r in store.execute("SELECT id, title FROM stories WHERE title_source = ?",
                                                        (NAME_ALGORITHM,))}
    put_story_titles(store, [(sid, None, None) for sid in named])   # as a store from before stories.name-v1
    assert _name_stored(store) == len(named)
    again = {r["id"]: r["title"] for r in store.execute("SELECT id, title FROM stories WHERE title_source = ?",
                                                        (NAME_ALGORITHM,))}
    assert again == named and _name_stored(store) == 0


def test_no_unnamed_story_is_found_from_the_partial_index(tmp_path):
    """Every incremental run asks for the unnamed stored stories; when there are none (after the first run)
    the answer comes from idx_stories_unnamed (migration 0031) and no membership is read; with some, the
    same stories and members as the join of every story gives."""
    store = api.open_store(tmp_path / "d.db")
    api.ingest(store, [str(_untitled_corpus(tmp_path))])
    api.analyze(store)
    seen: list[str] = []
    store.db.set_trace_callback(seen.append)
    assert unnamed_stories(store) == {}
    store.db.set_trace_callback(None)
    reads = [q for q in seen if q.lstrip().upper().startswith("SELECT")]
    assert len(reads) == 1 and "story_members" not in reads[0], reads
    plan = " ".join(r[3] for r in store.db.execute("EXPLAIN QUERY PLAN " + reads[0]))
    assert "INDEX idx_stories_unnamed" in plan, plan   # the unnamed stories only
    ids = sorted(r["id"] for r in store.execute("SELECT id FROM stories"))[:2]
    put_story_titles(store, [(sid, None, None) for sid in ids])
    members = {sid: [r["article"] for r in store.execute(
        "SELECT m.article FROM story_members m JOIN articles a ON a.id = m.article WHERE m.story = ?"
        " ORDER BY a.published IS NULL, a.published, a.id", (sid,))] for sid in ids}
    assert unnamed_stories(store) == members


def test_a_stored_story_whose_texts_give_no_name_is_tried_once(tmp_path, monkeypatch):
    store = api.open_store(tmp_path / "c.db")
    api.ingest(store, [str(_untitled_corpus(tmp_path))])
    api.analyze(store)
    ids = [r["id"] for r in store.execute("SELECT id FROM stories WHERE title_source = ?", (NAME_ALGORITHM,))]
    put_story_titles(store, [(sid, None, None) for sid in ids])   # as a store from before stories.name-v1
    monkeypatch.setattr("scamtrace.stories.names.story_name", lambda texts: None)   # texts with no lead
    assert _name_stored(store) == 0
    # marked as tried: the next incremental run reads none of their texts again
    assert unnamed_stories(store) == {}
    assert {r["title_source"] for r in store.execute("SELECT title_source FROM stories WHERE id IN ({})".format(
        ",".join("?" * len(ids))), tuple(ids))} == {NAME_ALGORITHM}



def test_the_original_headline_names_a_story_not_a_copy():
    spun = Article(id="spun", source="", text="", title="Rip-off centres seized")
    wire = Article(id="wire", source="", text="", title="Scam centres seized")
    blog = Article(id="blog", source="", text="", title="Scam centres: what we know")
    mute = Article(id="mute", source="", text="")
    fams = [Family("fam-1", ["wire", "spun"], "wire", None), Family("fam-2", ["blog", "mute"], None, None)]
    copies = copies_of(fams)
    assert copies == {"spun"}                         # siblings without an origin are not copies
    # members come in publication order: the first headline that is not a copy's
    assert story_title([mute, spun, wire, blog], copies) == "Scam centres seized"
    assert story_title([spun, blog], copies) == "Scam centres: what we know"
    assert story_title([mute, spun], copies) == "Rip-off centres seized"   # only a copy has one: it stands
    assert story_title([mute], copies) is None
    assert story_title([spun, wire]) == "Rip-off centres seized"           # no families: the first headline


def test_the_demo_raid_story_is_named_after_the_wire_not_an_earlier_copy(demo_db):
    store = api.open_store(demo_db)
    try:
        copies = copies_of(store.families())
        titles = {a.id: a.title for a in store.iter_articles()}
        named = 0
        for r in store.execute("SELECT id, title FROM stories"):
            members = [m["article"] for m in store.execute(
                "SELECT a.id AS article FROM story_members sm JOIN articles a ON a.id = sm.article WHERE sm.story = ?"
                " ORDER BY a.published IS NULL, a.published, a.id", (r["id"],))]
            own = [titles[a] for a in members if titles[a] and a not in copies]
            if own:             # a story with an original that has a headline is named after the first one
                assert r["title"] == own[0], (r["id"], members)
                named += 1
            first = next((titles[a] for a in members if titles[a]), None)
            if first == "Thousands held as armed group storms border scam hub":    # the raid story's first
                assert r["title"] != first                                      # headline is a copy's
        assert named >= 3
    finally:
        store.close()


def test_a_store_named_before_headline_v2_is_renamed_once(fresh_db, monkeypatch):
    """An incremental run leaves the stories it does not change as they are: the first one of
    stories.headline-v2 renames the stored headline-named stories once (a copy's headline gives way to
    the original's), and later runs do not read them again."""
    from scamtrace.stories import warm
    monkeypatch.setattr(warm, "WARM_MIN_UNITS", 1)       # the demo is small: let its runs be incremental
    copy_head = "Thousands held as armed group storms border scam hub"
    store = api.open_store(fresh_db)
    try:
        (sid, title), = [(r["id"], r["title"]) for r in store.execute(
            "SELECT s.id, s.title FROM stories s JOIN story_members sm ON sm.story = s.id JOIN articles a"
            " ON a.id = sm.article WHERE a.title = ?", (copy_head,))]
        assert title != copy_head
        with store.write() as db:    # as a store analysed before: the copy's headline, no record of v2
            db.execute("UPDATE stories SET title = ? WHERE id = ?", (copy_head, sid))
            db.execute("UPDATE runs SET stats = json_remove(stats, '$.headline') WHERE stage = 'stories'")
        api.analyze(store)
        assert store.execute("SELECT title FROM stories WHERE id = ?", (sid,))[0][0] == title
        assert last_run_stats(store, "stories", "warm")["stories_retitled"] >= 1
        from scamtrace.stories import stage

        def no_read(_store):   # the warm run recorded v2 (one that did not would read them at every run)
            raise AssertionError("the stored headline-named stories were read again")
        monkeypatch.setattr(stage, "headline_stories", no_read)
        api.analyze(store)             # once: the next run finds v2 recorded and reads no stored story
        assert last_run_stats(store, "stories", "warm")["stories_retitled"] == 0
    finally:
        store.close()
