"""GraphML exports parsed back with xml.etree: declared keys, nodes and edges that match the store,
co-occurrence weights counted per article and per independent source, hostile text kept as text."""
from __future__ import annotations

import datetime as dt
import io
import itertools
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from scamtrace import api
from scamtrace.export.graphml import NS, export_graphml
from scamtrace.model import RELATIONS, Article
from scamtrace.store import Store

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "examples" / "demo"
G = f"{{{NS}}}"


@pytest.fixture(scope="module")
def demo(demo_db) -> Store:
    return api.open_store(demo_db)


def parse(store: Store, graph: str) -> tuple[ET.Element, dict[str, dict], list[dict], tuple[int, int]]:
    out = io.StringIO()
    counts = export_graphml(store, out, graph)
    root = ET.fromstring(out.getvalue().encode("utf-8"))
    keys = {k.get("id"): k.get("attr.name") for k in root.iter(f"{G}key")}

    def data(el: ET.Element) -> dict:
        return {keys[d.get("key")]: d.text for d in el.findall(f"{G}data")}

    nodes = {n.get("id"): data(n) for n in root.iter(f"{G}node")}
    edges = [{"source": e.get("source"), "target": e.get("target"), **data(e)} for e in root.iter(f"{G}edge")]
    return root, nodes, edges, counts


def test_actor_graph_matches_the_store(demo):
    root, nodes, edges, counts = parse(demo, "actors")
    assert root.tag == f"{G}graphml" and root.find(f"{G}graph").get("edgedefault") == "undirected"
    assert counts == (len(nodes), len(edges))
    per_article: dict[str, set[str]] = defaultdict(set)
    for r in demo.execute("SELECT m.article, coalesce(a.label, m.label) AS label, coalesce(a.name, m.canonical) AS name"
                          " FROM mentions m LEFT JOIN actor_aliases aa ON aa.alias = m.canonical"
                          " LEFT JOIN actors a ON a.name = aa.actor"):
        per_article[r["article"]].add(f"{r['label']}:{' '.join(r['name'].split())}")
    assert set(nodes) == set().union(*per_article.values())
    expected = Counter(p for ids in per_article.values() for p in itertools.combinations(sorted(ids), 2))
    got = {tuple(sorted((e["source"], e["target"]))): e for e in edges}
    assert len(got) == len(edges) == len(expected)                    # one edge per pair
    for pair, w in expected.items():
        e = got[pair]
        assert float(e["weight"]) == w
        assert 1 <= int(e["sources"]) <= w                            # copies add weight, not sources
    assert any(int(e["sources"]) < float(e["weight"]) for e in edges)  # the demo has copies
    n = nodes["GPE:Myanmar"]
    assert n["label"] == "Myanmar" and n["type"] == "GPE" and int(n["mentions"]) >= int(n["articles"]) >= 1


def test_family_graph_edges_run_original_to_copy(demo):
    root, nodes, edges, counts = parse(demo, "families")
    assert root.find(f"{G}graph").get("edgedefault") == "directed"
    fams = demo.families(min_size=2)
    members = {m for f in fams for m in f.members}
    assert {n for n, d in nodes.items() if d["ghost"] == "false"} == members
    assert {n for n, d in nodes.items() if d["ghost"] == "true"} == {f"absent:{f.id}" for f in fams if f.origin is None}
    for e in edges:
        assert e["source"] in nodes and e["target"] in nodes
        if e["implied"] == "false":
            assert e["relation"] in RELATIONS and 0 <= float(e["score"]) <= 1 and e["algorithm"]
    direct = {(e["source"], e["target"], e["relation"]) for e in edges
              if e["sibling"] == "false" and e["implied"] == "false"}
    expected = {(r["source"], r["article"], r["relation"]) for r in demo.execute(
        "SELECT source, article, relation FROM links WHERE source IS NOT NULL")
        if r["source"] in members and r["article"] in members}
    assert direct == expected
    for f in fams:
        if f.origin:
            assert nodes[f.origin]["origin"] == "true"


def test_hostile_text_stays_text_and_control_characters_are_dropped(tmp_path):
    store = Store(tmp_path / "h.db")
    for aid, day in (("a", 4), ("b", 5)):
        art = Article(id=aid, source="t", text="x", url="javascript:alert(1)", outlet="<b>\x0bEvil</b>",
                      title="T\x00<script>", published=dt.date(2025, 3, day), raw_hash=aid, cleaner="t")
        store.put_article(art, fmt="text", body="x")
    with store.write() as db:
        db.execute("INSERT INTO families VALUES ('f', 'a', NULL, 2, 'copies.families-v1')")
        db.executemany("INSERT INTO family_members VALUES (?, 'f')", [("a",), ("b",)])
        db.execute("INSERT INTO links(article, source, other, relation, score, algorithm) VALUES"
                   " ('b', 'a', 'a', 'verbatim', 0.9, 'copies.classify-v1')")
        db.executemany("INSERT INTO mentions(article, text, label, canonical, start, \"end\", algorithm)"
                       " VALUES ('a', 'x', ?, ?, 0, 1, 't')",
                       [("PERSON", "<Zhou>\x0c & Co"), ("ORG", "Acme\x1f \"Ltd\"")])
    _, nodes, edges, _ = parse(store, "actors")
    assert set(nodes) == {"PERSON:<Zhou> & Co", "ORG:Acme \"Ltd\""}
    assert len(edges) == 1 and edges[0]["weight"] == "1.0"
    with store.write() as db:                       # name variants joined by knowledge.actors-v4
        db.execute("INSERT INTO mentions(article, text, label, canonical, start, \"end\", algorithm)"
                   " VALUES ('b', 'x', 'PERSON', 'Zhou & Co.', 0, 1, 't')")
        db.execute("INSERT INTO actors(name, label, mentions, algorithm) VALUES ('<Zhou> & Co', 'PERSON', 2, 't')")
        db.executemany("INSERT INTO actor_aliases(alias, actor) VALUES (?, '<Zhou> & Co')",
                       [("<Zhou>\x0c & Co",), ("Zhou & Co.",)])
    _, nodes, edges, _ = parse(store, "actors")
    assert set(nodes) == {"PERSON:<Zhou> & Co", "ORG:Acme \"Ltd\""}
    assert nodes["PERSON:<Zhou> & Co"]["articles"] == "2" and nodes["PERSON:<Zhou> & Co"]["mentions"] == "2"
    _, nodes, edges, _ = parse(store, "families")
    assert nodes["a"]["outlet"] == "<b>Evil</b>" and nodes["a"]["title"] == "T<script>"
    assert "url" not in nodes["a"]                                     # not an http(s) address
    assert edges == [{"source": "a", "target": "b", "relation": "verbatim", "score": "0.9",
                      "algorithm": "copies.classify-v1", "sibling": "false", "judged": "false", "implied": "false"}]


def test_unknown_graph_is_rejected(demo):
    with pytest.raises(ValueError, match="actors, families"):
        export_graphml(demo, io.StringIO(), "people")


def test_networkx_reads_both_graphs_when_installed(demo, tmp_path):
    nx = pytest.importorskip("networkx", reason="an optional interoperability check")
    for graph in ("actors", "families"):
        path = tmp_path / f"{graph}.graphml"
        with path.open("w", encoding="utf-8") as out:
            n_nodes, n_edges = export_graphml(demo, out, graph)
        g = nx.read_graphml(path)
        assert g.number_of_nodes() == n_nodes and g.number_of_edges() <= n_edges
