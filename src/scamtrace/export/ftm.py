"""FollowTheMoney (FtM 4) export, ``export.ftm-v1``: one entity per line (JSON Lines of ``to_dict()``).

Mapping (every entity derived from an article points at it, so provenance is kept):

* each article -> ``Article`` (title, publisher, publishedAt, sourceUrl, bodyText, author, language);
* each actor (``knowledge.actors-v4``: name variants across articles joined; the mention's canonical
  name on a store without actors) -> ``Person`` (PERSON), ``Organization`` (ORG, ARMED_GROUP), ``PublicBody``
  (AGENCY) or ``Address`` (GPE, LOC, COMPOUND: FtM 4 has no place schema besides ``Address``;
  ``Territory`` is reference data with fixed ids), with ``proof`` = the articles naming it and
  ``sourceUrl`` = their web addresses;
* each (entity, article) pair -> ``Documentation`` (document = article, entity = the entity, role
  ``mentioned as LABEL``, the surface forms and the text around the first mention); a quoted speaker
  gets a second ``Documentation`` with role ``quoted`` and the quote as summary;
* each copy link -> ``UnknownLink`` (subject = the copy, object = its source or sibling, role
  ``<relation> copy of`` / ``<relation> sibling of``, score and algorithm in the summary);
* each story event -> ``Event`` (name, date/startDate/endDate, location, involved = the people and
  organisations, country = the countries among its actors) with ``Documentation`` edges to every
  article that reports it (the citing sentence as summary);
* each merged figure (fact) -> ``Note`` on the citing articles, with its corroboration.

Ids are ``make_id`` hashes of natural keys (store ids, canonical names) under :data:`KEY_PREFIX`,
so a re-export of the same store gives the same ids. Values go through FtM's property-type
cleaning (``add(..., cleaned=False)``); an invalid value (a ``javascript:`` URL, a bad date) is dropped.
"""
from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from ..clean.metadata import language_note
from ..errors import ScamtraceError
from ..urls import safe_url
from ..store import Store
from ..views.format import fmt_figure
from ..views.tables import article_index, articles, copy_links, fact_rows, mention_rows, quote_rows, story_event_rows
from ..views.story import Resolver, actor_resolver, disputes_by_source

if TYPE_CHECKING:  # pragma: no cover
    from followthemoney import EntityProxy

log = logging.getLogger(__name__)

FTM_ALGORITHM = "export.ftm-v1"
KEY_PREFIX = "scamtrace"
#: FtM schema of each mention label.
SCHEMA_OF_LABEL: dict[str, str] = {"PERSON": "Person", "ORG": "Organization", "ARMED_GROUP": "Organization",
                                   "AGENCY": "PublicBody", "GPE": "Address", "LOC": "Address", "COMPOUND": "Address"}
#: Labels whose names may be country names (cleaned to ISO codes for ``country``).
COUNTRY_LABELS: frozenset[str] = frozenset({"GPE"})
#: Characters of article text kept on each side of a mention in a Documentation summary.
CONTEXT_CHARS = 160
MAX_ALIASES = 20


def _ftm() -> Any:
    try:
        import followthemoney
    except ImportError as e:
        raise ScamtraceError("the FtM export needs followthemoney: pip install 'followthemoney>=4.11,<5'") from e
    return followthemoney


@dataclass(slots=True)
class _Actor:
    """One canonical entity, accumulated over every article that mentions it."""

    schema: str
    label: str
    name: str
    aliases: set[str] = field(default_factory=set)
    roles: dict[str, int] = field(default_factory=dict)
    articles: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)


class _Builder:
    """Makes FtM entities whose ids hash (schema, natural key) under :data:`KEY_PREFIX`."""

    def __init__(self) -> None:
        ftm = _ftm()
        from followthemoney.util import make_entity_id

        self.model = ftm.model
        self._make_id = make_entity_id

    def make(self, schema: str, *key: Any) -> EntityProxy:
        ent = self.model.make_entity(schema, key_prefix=KEY_PREFIX)
        ent.id = self.actor_id(schema, *key)
        return ent

    def actor_id(self, schema: str, *key: Any) -> str:
        """The id :meth:`make` gives an entity of ``schema`` with natural key ``key``."""
        made: str | None = self._make_id(schema, *key, key_prefix=KEY_PREFIX)
        if made is None:    # only when every part of the key is empty
            raise ValueError(f"empty natural key for a {schema} entity")
        return made


def canonical_name(name: str | None) -> str:
    """A canonical name with its whitespace collapsed (stored names may carry stray newlines)."""
    return " ".join((name or "").split())


def _context(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> str:
    """The whole words within ``width`` characters around ``text[start:end]``, with ellipses where cut."""
    lo, hi = max(0, start - width), min(len(text), end + width)
    head, tail = text[lo:start], text[end:hi]
    if lo > 0:
        head = head.split(None, 1)[1] if len(head.split(None, 1)) > 1 else ""
    if hi < len(text):
        tail = tail.rsplit(None, 1)[0] if len(tail.rsplit(None, 1)) > 1 else ""
    snippet = " ".join((head + text[start:end] + tail).split())
    return ("… " if lo > 0 else "") + snippet + (" …" if hi < len(text) else "")


def _article_entity(b: _Builder, art: Any) -> EntityProxy:
    ent = b.make("Article", art.id)
    ent.add("title", art.title)
    ent.add("name", art.title or art.id)
    ent.add("publisher", art.outlet)
    ent.add("publishedAt", art.published.isoformat() if art.published else None)
    ent.add("sourceUrl", safe_url(art.url))
    ent.add("bodyText", art.text)
    ent.add("author", art.byline)
    ent.add("author", art.contributors)
    ent.add("language", art.language)
    notes = [f"scamtrace article id: {art.id}", f"exported by {FTM_ALGORITHM}"]
    if art.credit:
        notes.append(f"wire credit: {art.credit}")
    if art.truncated:
        notes.append("truncated copy (the outlet published part of the story)")
    if note := language_note(art.language):
        notes.append(note)
    ent.add("notes", notes)
    return ent


def _mention_edges(b: _Builder, art: Any, art_ent: EntityProxy, mentions: list[dict[str, Any]],
                   actors: dict[tuple[str, str], _Actor], resolve: Resolver) -> Iterator[EntityProxy]:
    """One Documentation edge per entity named in the article; accumulate the entity itself."""
    by_actor: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    labels: dict[tuple[str, str], str] = {}
    for m in mentions:
        name, label = resolve(m["canonical"], m["label"])
        schema = SCHEMA_OF_LABEL.get(label)
        if schema and name:
            by_actor[(schema, name)].append(m)
            labels[(schema, name)] = label
    url = safe_url(art.url)
    for (schema, name), ms in sorted(by_actor.items()):
        act = actors.setdefault((schema, name), _Actor(schema=schema, label=labels[(schema, name)], name=name))
        act.aliases.update(t for m in ms for t in (canonical_name(m["text"]), canonical_name(m["canonical"]))
                           if t and t != name)
        for m in ms:
            if m["role"]:
                act.roles[m["role"]] = act.roles.get(m["role"], 0) + 1
        act.articles.append(art.id)
        if url and url not in act.urls:
            act.urls.append(url)
        edge = b.make("Documentation", "mention", b.actor_id(schema, name), art_ent.id)
        edge.add("document", art_ent.id)
        edge.add("entity", b.actor_id(schema, name))
        edge.add("role", f"mentioned as {act.label}" + (f" ({ms[0]['role']})" if ms[0]["role"] else ""))
        edge.add("namesMentioned", sorted({canonical_name(m["text"]) for m in ms}))
        edge.add("summary", _context(art.text, ms[0]["start"], ms[0]["end"]))
        edge.add("date", art.published.isoformat() if art.published else None)
        edge.add("publisher", art.outlet)
        edge.add("sourceUrl", url)
        edge.add("recordId", [f"mentions:{m['id']}" for m in ms])
        yield edge


def _actor_entity(b: _Builder, act: _Actor, article_ids: dict[str, str]) -> EntityProxy:
    ent = b.make(act.schema, act.name)
    ent.add("name", act.name)
    if act.schema == "Address":
        ent.add("full", act.name)
        if act.label in COUNTRY_LABELS:
            ent.add("country", act.name)          # kept only when FtM resolves it to a country code
    ent.add("alias", sorted(act.aliases)[:MAX_ALIASES])
    ent.add("keywords", act.label)
    roles = [r for r, _ in sorted(act.roles.items(), key=lambda kv: (-kv[1], kv[0]))][:5]
    ent.add("position" if act.schema == "Person" else "description", roles)
    ent.add("proof", [article_ids[a] for a in act.articles])
    ent.add("sourceUrl", act.urls)
    return ent


def _copy_edges(b: _Builder, store: Store, article_ids: dict[str, str],
                meta: dict[str, Any]) -> Iterator[EntityProxy]:
    for ln in copy_links(store):
        other = ln.source or ln.sibling
        if ln.source is None and ln.article > (ln.sibling or ""):
            continue   # sibling pairs are stored both ways: export once
        if ln.article not in article_ids or other not in article_ids:
            continue
        edge = b.make("UnknownLink", "copy", ln.article, other)
        edge.add("subject", article_ids[ln.article])
        edge.add("object", article_ids[other])
        edge.add("role", f"{ln.relation} {'sibling' if ln.source is None else 'copy'} of")
        edge.add("summary", f"{ln.relation}, score {ln.score:.4f} ({ln.algorithm})"
                 + (f"; family {ln.family}" if ln.family else "")
                 + (f"; original credited to {ln.origin_credit}" if ln.origin_credit else ""))
        direction = (ln.evidence.get("direction") or {}).get("reasons") if isinstance(ln.evidence, dict) else None
        if direction:
            edge.add("description", "; ".join(map(str, direction)))
        copy = meta.get(ln.article)
        if copy is not None:
            edge.add("date", copy.published.isoformat() if copy.published else None)
            edge.add("sourceUrl", safe_url(copy.url))
        edge.add("recordId", f"links:{ln.article}:{other}")
        yield edge


def _event_entities(b: _Builder, store: Store, article_ids: dict[str, str], urls: dict[str, str | None],
                    actors: dict[tuple[str, str], _Actor], resolve: Resolver) -> Iterator[EntityProxy]:
    by_name: dict[str, _Actor] = {}
    for act in sorted(actors.values(), key=lambda a: (a.schema == "Address", a.schema, a.name)):
        by_name.setdefault(act.name, act)
    for e in story_event_rows(store):
        ev = b.make("Event", e["id"])
        ev.add("name", e["type"] + (f" in {e['place']}" if e["place"] else ""))
        ev.add("keywords", e["type"])
        ev.add("date", e["date"])
        ev.add("startDate", e["date_start"])
        if e["date_end"] and e["date_end"] != e["date_start"]:
            ev.add("endDate", e["date_end"])
        ev.add("location", e["place"])
        _add_event_parties(b, ev, e, by_name, resolve)
        ev.add("namesMentioned", [str(n) for n in e["actors"] or []])
        ev.add("description", f"reported by {e['articles']} article(s) from {e['independent_sources']} "
                              f"independent source(s)" + ("; hedged (reported as uncertain)" if e["hedged"] else "")
                              + f"; {e['algorithm']}")
        cited = [c["article"] for c in e["citations"] if c["article"] in article_ids]
        ev.add("proof", [article_ids[a] for a in cited])
        ev.add("sourceUrl", [u for a in cited if (u := urls.get(a))])
        ev.add("summary", e["citations"][0]["sentence"] if e["citations"] else None)
        ev.add("recordId", f"story_events:{e['id']}")
        yield ev
        yield from _event_documentation(b, ev, e["citations"], article_ids, urls)


def _add_event_parties(b: _Builder, ev: EntityProxy, e: dict[str, Any], by_name: dict[str, _Actor],
                       resolve: Resolver) -> None:
    """The event's place as an Address entity, its actors as involved entities (a country as a country)."""
    place = by_name.get(resolve(e["place"] or "", "")[0])
    if place is not None and place.schema == "Address":
        ev.add("addressEntity", b.actor_id(place.schema, place.name))
    for name in e["actors"] or []:
        actor = by_name.get(resolve(str(name), "")[0])
        if actor is not None and actor.schema != "Address":
            ev.add("involved", b.actor_id(actor.schema, actor.name))
        elif actor is not None and actor.label in COUNTRY_LABELS:
            ev.add("country", actor.name)


def _event_documentation(b: _Builder, ev: EntityProxy, citations: list[dict[str, Any]], article_ids: dict[str, str],
                         urls: dict[str, str | None]) -> Iterator[EntityProxy]:
    """One Documentation per exported article citing the event, with the sentences it cites."""
    sentences: dict[str, list[str]] = defaultdict(list)
    for c in citations:
        if c["article"] in article_ids and c["sentence"] not in sentences[c["article"]]:
            sentences[c["article"]].append(c["sentence"])
    for aid, said in sentences.items():
        doc = b.make("Documentation", "event", ev.id, aid)
        doc.add("document", article_ids[aid])
        doc.add("entity", ev.id)
        doc.add("role", "reports event")
        doc.add("summary", said)
        doc.add("sourceUrl", urls.get(aid))
        yield doc


def _fact_notes(b: _Builder, store: Store, article_ids: dict[str, str],
                urls: dict[str, str | None]) -> Iterator[EntityProxy]:
    for f in fact_rows(store):
        note = b.make("Note", f["id"])
        note.add("name", f"{fmt_figure(f['value'], f['unit'])} {f['what']}")
        claimants = sorted({c["claimant"] for c in f["citations"] if c["claimant"]})
        disputed = disputes_by_source(f)
        note.add("description", "; ".join(x for x in (
            f"date {f['date']}" if f["date"] else "", f"place {f['place']}" if f["place"] else "",
            f"{f['articles']} article(s) / {f['independent_sources']} independent source(s)",
            f"per {', '.join(claimants)}" if claimants else "",
            f"conflicts with other figures of group {f['conflict_group']}" if f["conflict_group"] else "",
            "disputed (not counted) by " + ", ".join(g["claimant"] or "an unnamed source" for g in disputed)
            if disputed else "",
            f["algorithm"]) if x))
        cited = [c["article"] for c in f["citations"] if c["article"] in article_ids]
        note.add("entity", [article_ids[a] for a in cited])
        note.add("proof", [article_ids[a] for a in cited])
        note.add("sourceUrl", [u for a in cited if (u := urls.get(a))])
        note.add("summary", f["citations"][0]["sentence"] if f["citations"] else None)
        yield note


def _quote_edges(b: _Builder, store: Store, article_ids: dict[str, str], urls: dict[str, str | None],
                 actors: dict[tuple[str, str], _Actor], resolve: Resolver) -> Iterator[EntityProxy]:
    people = {a.name: a for a in actors.values() if a.schema != "Address"}
    for q in quote_rows(store):
        act = people.get(resolve(q["speaker"] or "", "")[0])
        if act is None or q["article"] not in article_ids:
            continue
        doc = b.make("Documentation", "quote", b.actor_id(act.schema, act.name), q["article"], q["start"])
        doc.add("document", article_ids[q["article"]])
        doc.add("entity", b.actor_id(act.schema, act.name))
        doc.add("role", "quoted" + (f" as {q['role']}" if q["role"] else ""))
        doc.add("summary", q["quote"])
        doc.add("description", q["sentence"])
        doc.add("sourceUrl", urls.get(q["article"]))
        doc.add("recordId", f"quotes:{q['id']}")
        yield doc


def ftm_entities(store: Store) -> Iterator[EntityProxy]:
    """Every FtM entity of the store: articles with their mention edges, then entities, copy links,
    events, facts and quotes (a deterministic order)."""
    b = _Builder()
    resolve = actor_resolver(store)
    actors: dict[tuple[str, str], _Actor] = {}
    article_ids: dict[str, str] = {}
    urls: dict[str, str | None] = {}
    meta = article_index(store)
    for art in articles(store):
        ent = _article_entity(b, art)
        article_ids[art.id], urls[art.id] = str(ent.id), safe_url(art.url)
        yield ent
        yield from _mention_edges(b, art, ent, mention_rows(store, article=art.id), actors, resolve)
    for key in sorted(actors):
        yield _actor_entity(b, actors[key], article_ids)
    yield from _copy_edges(b, store, article_ids, meta)
    yield from _event_entities(b, store, article_ids, urls, actors, resolve)
    yield from _fact_notes(b, store, article_ids, urls)
    yield from _quote_edges(b, store, article_ids, urls, actors, resolve)


def validate_entity(ent: EntityProxy) -> None:
    """Raise ``followthemoney.exc.InvalidData`` when ``ent`` breaks its schema (values or required
    properties), ValueError when it has no id."""
    if not ent.id:
        raise ValueError(f"{ent.schema.name} entity without an id")
    ent.schema.validate(ent.to_dict())  # type: ignore[arg-type]  # to_dict() is the documented input
    missing = [p for p in ent.schema.required if not ent.get(p)]
    if missing:
        from followthemoney.exc import InvalidData

        raise InvalidData(f"{ent.schema.name} {ent.id}: required properties missing: {', '.join(sorted(missing))}")


def export_ftm(store: Store, out: IO[str]) -> int:
    """Write every entity as one JSON object per line (FtM ``to_dict()``); return the count.

    Each entity is validated against its schema before it is written."""
    n = 0
    for ent in ftm_entities(store):
        validate_entity(ent)
        out.write(json.dumps(ent.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
        n += 1
    log.info("ftm export: %d entities (%s)", n, FTM_ALGORITHM)
    return n
