"""GraphML exports (``export.graphml-v1``) for Gephi, yEd, Cytoscape or networkx, written with the stdlib.

* ``actors``: the actor network. Nodes are actors (``knowledge.actors-v4`` when the store has them,
  else canonical mention names) with name, label, mentions and articles;
  an undirected edge joins two entities named in the same article, with ``weight`` = the number of
  articles naming both and ``sources`` = the number of independent sources (copy families) among
  them, so a wire story copied twenty times weighs 20 but counts as 1 source.
* ``families``: the copy families. Nodes are articles (outlet, title, date, URL, family, original or
  not); a directed edge runs from the original to each copy with ``relation``, ``score`` and
  ``algorithm``; siblings (two copies of an absent original) are joined by one edge marked
  ``sibling`` (its direction means nothing: every edge is directed so that tools without mixed
  graphs, e.g. networkx, read the file); an absent but credited original is a ``ghost`` node
  joined to the copies that have no source edge.
"""
from __future__ import annotations

import itertools
import logging
import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from typing import IO, Any

from ..errors import InvalidRequest
from ..model import ACTOR_LABELS, PLACE_LABELS
from ..store import Store
from ..urls import safe_url
from ..views.tables import article_families, article_index, copy_families, copy_links, mention_rows
from ..views.story import actor_resolver

log = logging.getLogger(__name__)

GRAPHML_ALGORITHM = "export.graphml-v1"
NS = "http://graphml.graphdrawing.org/xmlns"
GRAPHS: tuple[str, ...] = ("actors", "families")
#: Which graph ``scamtrace export WHAT --format graphml`` writes for each WHAT that has one.
GRAPH_OF_EXPORT: dict[str, str] = {"entities": "actors", "families": "families", "copies": "families"}
#: The actor graph's nodes: the named actors and the places (a compound's place in the network is
#: part of the story).
GRAPH_LABELS: tuple[str, ...] = (*ACTOR_LABELS, *PLACE_LABELS)
#: Families smaller than this are left out of the families graph (a lone article has no copy).
MIN_FAMILY_SIZE = 2
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# (id, for, attr.name, attr.type)
ACTOR_KEYS: tuple[tuple[str, str, str, str], ...] = (
    ("label", "node", "label", "string"), ("type", "node", "type", "string"),
    ("mentions", "node", "mentions", "int"), ("articles", "node", "articles", "int"),
    ("weight", "edge", "weight", "double"), ("sources", "edge", "sources", "int"),
)
FAMILY_KEYS: tuple[tuple[str, str, str, str], ...] = (
    ("label", "node", "label", "string"), ("outlet", "node", "outlet", "string"),
    ("title", "node", "title", "string"), ("published", "node", "published", "string"),
    ("url", "node", "url", "string"), ("family", "node", "family", "string"),
    ("origin", "node", "origin", "boolean"), ("ghost", "node", "ghost", "boolean"),
    ("credit", "node", "credit", "string"),
    ("relation", "edge", "relation", "string"), ("score", "edge", "score", "double"),
    ("algorithm", "edge", "algorithm", "string"), ("sibling", "edge", "sibling", "boolean"),
    ("judged", "edge", "judged", "boolean"), ("implied", "edge", "implied", "boolean"),
)


def _text(v: Any) -> str:
    """A value as XML-safe text (characters XML 1.0 forbids are dropped)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(round(v, 6))
    return _INVALID_XML.sub("", str(v))


class _Doc:
    """A GraphML document under construction."""

    def __init__(self, keys: tuple[tuple[str, str, str, str], ...], edgedefault: str, graph_id: str):
        ET.register_namespace("", NS)
        self.root = ET.Element(f"{{{NS}}}graphml")
        for kid, kfor, name, typ in keys:
            ET.SubElement(self.root, f"{{{NS}}}key", {"id": kid, "for": kfor, "attr.name": name, "attr.type": typ})
        self.graph = ET.SubElement(self.root, f"{{{NS}}}graph", {"id": graph_id, "edgedefault": edgedefault})
        ET.SubElement(self.graph, f"{{{NS}}}desc").text = f"scamtrace {graph_id} graph ({GRAPHML_ALGORITHM})"
        self.nodes = 0
        self.edges = 0

    @staticmethod
    def _data(parent: ET.Element, data: dict[str, Any]) -> None:
        for k, v in data.items():
            if v is None or v == "":
                continue
            ET.SubElement(parent, f"{{{NS}}}data", {"key": k}).text = _text(v)

    def node(self, nid: str, **data: Any) -> None:
        self._data(ET.SubElement(self.graph, f"{{{NS}}}node", {"id": _text(nid)}), data)
        self.nodes += 1

    def edge(self, source: str, target: str, **data: Any) -> None:
        attrs = {"id": f"e{self.edges}", "source": _text(source), "target": _text(target)}
        self._data(ET.SubElement(self.graph, f"{{{NS}}}edge", attrs), data)
        self.edges += 1

    def write(self, out: IO[str]) -> None:
        ET.indent(self.root)
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(ET.tostring(self.root, encoding="unicode"))
        out.write("\n")


def actor_graph(store: Store, labels: tuple[str, ...] = GRAPH_LABELS) -> _Doc:
    """The co-occurrence network of canonical entities (see the module docstring)."""
    family = article_families(store)
    resolve = actor_resolver(store)
    in_article: dict[str, set[tuple[str, str]]] = defaultdict(set)
    mentions: Counter[tuple[str, str]] = Counter()
    for m in mention_rows(store):
        name, label = resolve(m["canonical"], m["label"])
        if label in labels and name:
            key = (label, name)
            mentions[key] += 1
            in_article[m["article"]].add(key)
    articles: Counter[tuple[str, str]] = Counter()
    weight: Counter[tuple[tuple[str, str], tuple[str, str]]] = Counter()
    sources: dict[tuple[tuple[str, str], tuple[str, str]], set[str]] = defaultdict(set)
    for aid, keys in in_article.items():
        articles.update(keys)
        for a, b in itertools.combinations(sorted(keys), 2):
            weight[(a, b)] += 1
            sources[(a, b)].add(family.get(aid) or f"article:{aid}")
    doc = _Doc(ACTOR_KEYS, "undirected", "actors")
    for key in sorted(mentions):
        doc.node(f"{key[0]}:{key[1]}", label=key[1], type=key[0], mentions=mentions[key], articles=articles[key])
    for (a, b), w in sorted(weight.items()):
        doc.edge(f"{a[0]}:{a[1]}", f"{b[0]}:{b[1]}", weight=float(w), sources=len(sources[(a, b)]))
    return doc


def family_graph(store: Store, min_size: int = MIN_FAMILY_SIZE) -> _Doc:
    """The copy families as original -> copy edges (see the module docstring)."""
    if min_size < 1:
        raise InvalidRequest(f"min_size must be 1 or more, got {min_size}")
    fams = copy_families(store, min_size=min_size)
    member_of = {m: f.id for f in fams for m in f.members}
    meta = article_index(store)
    doc = _Doc(FAMILY_KEYS, "directed", "families")
    for f in sorted(fams, key=lambda f: f.id):
        for m in sorted(f.members):
            a = meta.get(m)
            if a is None:
                continue
            doc.node(m, label=f"{a.outlet or 'unknown outlet'}: {a.title or m}", outlet=a.outlet, title=a.title,
                     published=a.published.isoformat() if a.published else None, url=safe_url(a.url),
                     family=f.id, origin=m == f.origin, ghost=False, credit=a.credit)
        if f.origin is None:
            doc.node(f"absent:{f.id}", label=f"original not in store (credited to {f.origin_credit or 'nobody'})",
                     family=f.id, origin=True, ghost=True, credit=f.origin_credit)
    has_source: set[str] = set()
    for ln in copy_links(store):
        other = ln.source or ln.sibling
        if ln.article not in member_of or other not in member_of:
            continue
        if ln.source is None:
            if ln.article > (ln.sibling or ""):
                continue    # sibling pairs are stored both ways: one undirected edge
            doc.edge(ln.sibling or "", ln.article, relation=ln.relation, score=ln.score,
                     algorithm=ln.algorithm, sibling=True, judged=bool(ln.evidence.get("judged")), implied=False)
            continue
        has_source.add(ln.article)
        doc.edge(ln.source, ln.article, relation=ln.relation, score=ln.score, algorithm=ln.algorithm, sibling=False,
                 judged=bool(ln.evidence.get("judged")), implied=False)
    for f in sorted(fams, key=lambda f: f.id):
        if f.origin is None:
            for m in sorted(f.members):
                if m not in has_source and m in meta:
                    doc.edge(f"absent:{f.id}", m, relation="credited", sibling=False, implied=True)
    return doc


def export_graphml(store: Store, out: IO[str], graph: str = "actors") -> tuple[int, int]:
    """Write the ``actors`` or ``families`` graph as GraphML to ``out``; return (nodes, edges)."""
    if graph not in GRAPHS:
        raise InvalidRequest(f"unknown graph {graph!r}; use one of {', '.join(GRAPHS)}")
    doc = actor_graph(store) if graph == "actors" else family_graph(store)
    doc.write(out)
    log.info("graphml %s: %d nodes, %d edges", graph, doc.nodes, doc.edges)
    return doc.nodes, doc.edges
