"""FollowTheMoney export: every entity valid for its schema, values already clean, ids stable and
unique, references resolved, provenance kept (entities point at their articles), JSONL round trip."""
from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter
from pathlib import Path

import pytest

ftm = pytest.importorskip("followthemoney", reason="the FtM export needs followthemoney>=4.11,<5")

from followthemoney import model  # noqa: E402

from scamtrace import api  # noqa: E402
from scamtrace.export.ftm import SCHEMA_OF_LABEL, export_ftm, ftm_entities, validate_entity  # noqa: E402
from scamtrace.model import Article  # noqa: E402
from scamtrace.store import Store  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "examples" / "demo"
DERIVED = ("Person", "Organization", "PublicBody", "Address", "Event", "Note")


@pytest.fixture(scope="module")
def demo(demo_db) -> Store:
    return api.open_store(demo_db)


@pytest.fixture(scope="module")
def exported(demo) -> list[dict]:
    out = io.StringIO()
    n = export_ftm(demo, out)
    lines = out.getvalue().splitlines()
    assert n == len(lines) > 0
    return [json.loads(line) for line in lines]


def test_every_entity_is_valid_and_already_clean(exported):
    for data in exported:
        schema = model.get(data["schema"])
        assert schema is not None and not schema.abstract, data["schema"]
        schema.validate(data)                                          # raises InvalidData
        assert all(data["properties"].get(p) for p in schema.required), (data["schema"], schema.required)
        recleaned = model.get_proxy(data, cleaned=False)               # FtM's own type cleaning of every value
        assert recleaned.to_dict()["properties"] == data["properties"], data["id"]


def test_round_trip_through_get_proxy(demo, exported):
    made = {e.id: e for e in ftm_entities(demo)}
    assert len(made) == len(exported)
    for data in exported:
        back = model.get_proxy(data)
        orig = made[back.id]
        assert back.schema == orig.schema
        assert {p: sorted(v) for p, v in back.properties.items()} == {p: sorted(v) for p, v in orig.properties.items()}


def test_ids_unique_and_stable(demo, exported):
    ids = [d["id"] for d in exported]
    assert len(ids) == len(set(ids))
    again = io.StringIO()
    export_ftm(demo, again)
    assert [json.loads(x)["id"] for x in again.getvalue().splitlines()] == ids


def test_schemas_and_counts_match_the_store(demo, exported):
    counts = Counter(d["schema"] for d in exported)
    assert counts["Article"] == demo.count_articles()
    assert counts["Event"] == demo.execute("SELECT count(*) FROM story_events")[0][0]
    assert counts["Note"] == demo.execute("SELECT count(*) FROM facts")[0][0]
    source_links = demo.execute("SELECT count(*) FROM links WHERE source IS NOT NULL")[0][0]
    sibling_pairs = demo.execute("SELECT count(*) FROM links WHERE source IS NULL AND article < sibling")[0][0]
    assert counts["UnknownLink"] == source_links + sibling_pairs
    labels = {r[0] for r in demo.execute("SELECT DISTINCT label FROM mentions")}
    assert {SCHEMA_OF_LABEL[lab] for lab in labels if lab in SCHEMA_OF_LABEL} <= set(counts)
    persons = {" ".join(r[0].split()) for r in demo.execute(
        "SELECT coalesce(a.name, m.canonical) FROM mentions m LEFT JOIN actor_aliases aa ON aa.alias = m.canonical"
        " LEFT JOIN actors a ON a.name = aa.actor WHERE coalesce(a.label, m.label) = 'PERSON'")}
    assert {d["properties"]["name"][0] for d in exported if d["schema"] == "Person"} == persons


def test_references_resolve_and_provenance_points_at_articles(demo, exported):
    by_id = {d["id"]: d for d in exported}
    urls = {r[0] for r in demo.execute("SELECT url FROM articles WHERE url LIKE 'http%'")}
    for d in exported:
        schema = model[d["schema"]]
        for prop, values in d["properties"].items():
            if schema.get(prop).type.name == "entity":
                for v in values:
                    assert v in by_id, f"{d['schema']}.{prop} -> {v} not exported"
                    assert model[by_id[v]["schema"]].is_a(schema.get(prop).range), (d["schema"], prop)
        if d["schema"] in DERIVED:
            proof = d["properties"].get("proof") or d["properties"].get("entity")
            assert proof and all(by_id[p]["schema"] == "Article" for p in proof), d
        if d["schema"] == "Documentation":
            assert by_id[d["properties"]["document"][0]]["schema"] == "Article"
        for u in d["properties"].get("sourceUrl", []):
            assert u in urls
    documented = {d["properties"]["entity"][0] for d in exported if d["schema"] == "Documentation"}
    for d in exported:
        if d["schema"] in ("Person", "Organization", "PublicBody", "Address", "Event"):
            assert d["id"] in documented, f"{d['schema']} {d['properties']['name']} has no Documentation edge"


def test_article_fields(demo, exported):
    art = next(a for a in demo.iter_articles() if a.url and a.published and a.outlet)
    ent = next(d for d in exported if d["schema"] == "Article" and f"scamtrace article id: {art.id}" in
               d["properties"].get("notes", []))
    p = ent["properties"]
    assert p["sourceUrl"] == [art.url] and p["publisher"] == [art.outlet]
    assert p["publishedAt"] == [art.published.isoformat()] and p["bodyText"] == [art.text]
    assert p["title"] == [art.title]


def test_copy_links_and_events(demo, exported):
    by_id = {d["id"]: d for d in exported}
    roles = Counter(d["properties"]["role"][0] for d in exported if d["schema"] == "UnknownLink")
    rels = Counter(f"{r['relation']} copy of" for r in demo.execute("SELECT relation FROM links WHERE source IS NOT NULL"))
    assert all(roles[k] == v for k, v in rels.items())
    ev = next(d for d in exported if d["schema"] == "Event" and d["properties"].get("involved"))
    assert all(model[by_id[i]["schema"]].is_a("LegalEntity") for i in ev["properties"]["involved"])


def test_hostile_urls_and_bad_values_are_dropped(tmp_path):
    store = Store(tmp_path / "h.db")
    art = Article(id="evil-1", source="t", text="Body <script>x</script>", url="javascript:alert(1)",
                  outlet="<b>Evil</b>", title="T", published=dt.date(2025, 3, 4), raw_hash="h", cleaner="t")
    store.put_article(art, fmt="text", body=art.text)
    with store.write() as db:
        db.execute("INSERT INTO mentions(article, text, label, canonical, start, \"end\", algorithm)"
                   " VALUES ('evil-1', 'Myanmar', 'GPE', 'Myanmar\n', 0, 4, 't')")
    rows = [e.to_dict() for e in ftm_entities(store)]
    art_ent = next(r for r in rows if r["schema"] == "Article")
    assert "sourceUrl" not in art_ent["properties"]
    assert art_ent["properties"]["bodyText"] == ["Body <script>x</script>"]   # data, not markup: kept as is
    place = next(r for r in rows if r["schema"] == "Address")
    assert place["properties"]["name"] == ["Myanmar"] and place["properties"]["country"] == ["mm"]
    for r in rows:
        validate_entity(model.get_proxy(r))


def test_validate_entity_rejects_missing_required_properties():
    from followthemoney.exc import InvalidData

    bad = model.make_entity("Documentation")
    bad.id = "x1"
    bad.add("entity", "abc")
    with pytest.raises(InvalidData, match="document"):
        validate_entity(bad)
    with pytest.raises(ValueError, match="without an id"):
        validate_entity(model.make_entity("Person"))
