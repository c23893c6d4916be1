"""Typed records that flow between the pipeline stages.

ingest -> RawDoc | Reject
clean  -> Article
copies -> Link, Family
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, TypedDict

from .errors import InvalidRequest

#: The copy-family algorithm (``copies/families.py``, which imports it from here): the version a
#: :class:`Family` carries unless it says otherwise.
FAMILIES_ALGORITHM = "copies.families-v2"

# -- the actor-label table: which entity labels (extract.entities) count as what --------------------
#: Named actors: people, organisations, armed groups, agencies and the compounds themselves. The
#: actors pages and facets, the report's actor lists and the actor graph's actors.
ACTOR_LABELS: tuple[str, ...] = ("PERSON", "ORG", "ARMED_GROUP", "AGENCY", "COMPOUND")
#: Places: the actor graph draws them beside the actors.
PLACE_LABELS: tuple[str, ...] = ("GPE", "LOC")
#: Parties to an event (extract.events): the named actors except a compound (where an event happens,
#: not who acts) and with a country ("Thailand deported 200 people").
EVENT_PARTY_LABELS: frozenset[str] = frozenset({*ACTOR_LABELS} - {"COMPOUND"} | {"GPE"})
#: Where an event happens (extract.events): the places and the compounds.
EVENT_PLACE_LABELS: frozenset[str] = frozenset({*PLACE_LABELS, "COMPOUND"})

RawFormat = Literal["text", "html"]

@dataclass(slots=True)
class RawDoc:
    """One article as an ingester found it, before cleaning.

    ``source`` is where it came from (a file path, ``path#line`` for JSONL, a URL, ``warc-path#offset``);
    ``body`` is the raw text or HTML as a str (already decoded); ``fmt`` says which.
    Fields given by the record itself (JSONL, feed entries) are carried in the optional fields and win
    over what cleaning infers.
    """

    source: str
    body: str
    fmt: RawFormat
    id: str | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: dt.date | None = None
    byline: str | None = None
    language: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Reject:
    """An input that could not become an article, with a one-line reason saying what to do."""

    source: str
    reason: str
    stage: str = "ingest"   # ingest | clean | store
    detail: str | None = None


@dataclass(slots=True)
class Article:
    """A cleaned article. ``text`` keeps paragraph boundaries as blank lines ("\\n\\n")."""

    id: str
    source: str
    text: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: dt.date | None = None
    byline: str | None = None
    dateline: str | None = None        # city of the dateline, e.g. "BANGKOK"
    credit: str | None = None          # wire credit, e.g. "AP", "Reuters", "AFP"
    contributors: list[str] = field(default_factory=list)
    language: str | None = None
    truncated: bool = False
    raw_hash: str | None = None        # hash of the raw body, for idempotence and conflicts
    cleaner: str | None = None         # algorithm name+version that produced ``text``

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["published"] = self.published.isoformat() if self.published else None
        return d


Relation = Literal["verbatim", "truncated", "excerpt", "spun", "rewrite"]
RELATIONS: tuple[str, ...] = ("verbatim", "truncated", "excerpt", "spun", "rewrite")


@dataclass(slots=True)
class Link:
    """A copy relation: ``article`` copies ``source``.

    ``source`` is None when the original is absent from the corpus and ``article`` is a sibling of
    another copy (then ``sibling`` names that copy). ``evidence`` is JSON-serialisable.
    """

    article: str
    source: str | None
    relation: str
    score: float
    algorithm: str
    evidence: dict[str, Any] = field(default_factory=dict)
    sibling: str | None = None
    family: str | None = None
    origin_credit: str | None = None


@dataclass(slots=True)
class Family:
    """A set of articles that are one independent source (an original and its copies)."""

    id: str
    members: list[str]
    origin: str | None             # article id of the original when present in the corpus
    origin_credit: str | None      # e.g. "AP" when the original is absent but credited
    algorithm: str = FAMILIES_ALGORITHM



# -- rows the store reads back for the views (typed dicts: JSON-ready, keyed as the columns) ----------
class StoryRow(TypedDict):
    """One ``stories`` row: ``size`` articles in ``families`` independent sources."""

    id: str
    title: str | None
    first_seen: str | None
    last_seen: str | None
    size: int
    families: int
    algorithm: str


class StorySource(TypedDict):
    """One article of a story with its copy family and the family's origin."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None
    credit: str | None
    truncated: bool
    family: str | None
    origin: str | None
    origin_credit: str | None


class LinkRow(TypedDict):
    """One stored copy link as the views read it (``source`` None for a sibling link)."""

    article: str
    source: str | None
    sibling: str | None
    relation: str
    score: float
    algorithm: str
    judged: bool


#: Orders of the stories list: most recent first, or most independent sources (families) first.
STORY_SORTS: tuple[str, ...] = ("recent", "families")
#: Largest page a list query returns.
MAX_PAGE_SIZE = 200


@dataclass(frozen=True, slots=True)
class StoryFilter:
    """What the stories list asks for. Dates are ISO days; ``sort`` is one of :data:`STORY_SORTS`.

    ``actor`` keeps stories with an article mentioning that canonical name; ``place`` and
    ``event_type`` keep stories with an article event at that place / of that type (both on the
    same event when both are given: "a raid in Myanmar")."""

    q: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    outlet: str | None = None
    place: str | None = None
    actor: str | None = None
    event_type: str | None = None
    sort: str = "recent"
    limit: int = 50
    offset: int = 0

    def __post_init__(self) -> None:
        if self.sort not in STORY_SORTS:
            raise InvalidRequest(f"sort must be one of {', '.join(STORY_SORTS)}, got {self.sort!r}")
        if not 1 <= self.limit <= MAX_PAGE_SIZE:
            raise InvalidRequest(f"limit must be between 1 and {MAX_PAGE_SIZE}, got {self.limit}")
        if self.offset < 0:
            raise InvalidRequest(f"offset must be 0 or more, got {self.offset}")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InvalidRequest(f"date_from {self.date_from} is after date_to {self.date_to}; swap them")
