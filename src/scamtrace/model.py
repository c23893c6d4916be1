"""Typed records that flow between the pipeline stages, one name and one meaning each.

ingest    -> RawDoc | Reject
clean     -> Article
copies    -> Link, Family
stories   -> Story, ThreadPlace
extract   -> Mention, DateRef, Figure, Quote (an Extraction per article), Event (with Participant)
knowledge -> Fact (with Citation, DisputeCitation), MergedEvent (with EventCitation), Actor
store     -> StoryRow, StorySource, LinkRow, ThreadRow, ... (typed rows the named queries of store.queries
             return and the views read); StoryFilter (the stories list's query)

Each record names the algorithm (name+version) that produced it; the ``ALGO_*`` constants beside
the records are those names, imported by the stages that produce them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, NotRequired, TypedDict

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
    # "headline", "stories.name-v1" (a name derived from the lead sentences: shown as derived) or None
    title_source: str | None


class StoryListing(StoryRow):
    """A story of the ``stories`` listing with its article ids (oldest first) and family ids (sorted)."""

    articles: list[str]
    family_ids: list[str]


class ArticleListing(TypedDict):
    """An article of the ``articles`` listing; ``chars`` is the length of its clean text, ``truncated``
    SQLite's 1 or 0."""

    id: str
    published: str | None
    outlet: str | None
    title: str | None
    credit: str | None
    truncated: int
    chars: int


class RejectRow(TypedDict):
    """A rejected input with the one-line reason saying what to do."""

    id: int
    at: str
    stage: str
    source: str
    reason: str


class ConflictRow(TypedDict):
    """An article id ingested again with a different raw body (kept apart, never overwritten)."""

    id: int
    article: str
    source: str
    raw_hash: str
    at: str


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


class ThreadRow(TypedDict):
    """One place of a story thread with the story's title, dates and size (``evidence`` parsed)."""

    thread: str
    position: int
    story: str
    evidence: dict[str, Any]
    algorithm: str
    title: str | None
    title_source: str | None
    first_seen: str | None
    last_seen: str | None
    size: int


class ActorRow(TypedDict):
    """One stored actor (``knowledge.actors-v1``) with its sorted aliases and its evidence (parsed)."""

    name: str
    label: str
    mentions: int
    aliases: list[str]
    evidence: list[dict[str, Any]]


class SearchHit(TypedDict):
    """An article of a story matching a full-text query: ``snip`` is an FTS5 snippet with the hits
    between \\x02 and \\x03."""

    story: str
    id: str
    title: str | None
    snip: str | None


class FacetCount(TypedDict):
    """A facet value (place, event type, actor name) with its number of stories."""

    name: str
    stories: int


class SpinRow(TypedDict):
    """An article's spinner score with its algorithm and evidence (parsed)."""

    score: float
    algorithm: str
    evidence: dict[str, Any]


class ArticleBrief(TypedDict):
    """The few columns of an article other pages name it by."""

    id: str
    outlet: str | None
    published: str | None
    title: str | None
    credit: str | None


class FamilyMemberRow(TypedDict):
    """An article of a copy family; ``is_origin`` is SQLite's 1 or 0."""

    id: str
    outlet: str | None
    title: str | None
    published: str | None
    is_origin: int


class JudgementRow(TypedDict):
    """A human judgement (copy / not-copy of two articles, same / different of two actor names)."""

    a: str
    b: str
    decision: str
    note: str | None
    at: str


class NameCount(TypedDict):
    """A canonical name mentioned in one article, with its label and number of mentions."""

    name: str
    label: str
    mentions: int


class MentionSpan(TypedDict):
    """A mention as the article page highlights it."""

    start: int
    end: int
    text: str
    label: str
    canonical: str


class FigureSpan(TypedDict):
    """A figure as the article page highlights it; the article view adds ``fact``, the story fact it
    was merged into (None: none)."""

    start: int
    end: int
    value: float
    unit: str
    what: str
    date: str | None
    date_precision: str | None
    claimant: str | None
    qualifier: str | None
    sentence: str
    fact: NotRequired[FactRef | None]


class DateRefSpan(TypedDict):
    """A date expression as the article page highlights it."""

    start: int
    end: int
    iso_start: str | None
    iso_end: str | None
    precision: str


class QuoteSpan(TypedDict):
    """A quotation as the article page highlights it."""

    start: int
    end: int
    speaker: str | None
    role: str | None


class ArticleSpans(TypedDict):
    """One article's rows of the extraction tables, each in text order (empty lists on a store
    without them)."""

    mentions: list[MentionSpan]
    figures: list[FigureSpan]
    date_refs: list[DateRefSpan]
    quotes: list[QuoteSpan]


class RivalFact(TypedDict):
    """A story fact as its rivals (the other values of its conflict group) show it."""

    id: str
    value: float
    unit: str
    what: str
    date: str | None
    articles: int
    independent_sources: int


class FactRef(RivalFact):
    """A story fact as an article's figure names it: ``role`` "states" or "disputes", the number of
    sources disputing it and its rivals."""

    conflict_group: str | None
    role: str
    disputes: int
    rivals: list[RivalFact]


class CitedFact(FactRef):
    """A story fact one article states or disputes, with the sentence doing so and the fact's story."""

    sentence: str
    story: str | None


class NameTotals(TypedDict):
    """Per canonical name: mentions, articles, stories, first and last publication date."""

    canonical: str
    mentions: int
    articles: int
    stories: int
    first: str | None
    last: str | None


class NameMention(TypedDict):
    """A mention of a canonical name with its article's title, outlet, date and story."""

    article: str
    text: str
    label: str
    role: str | None
    title: str | None
    outlet: str | None
    published: str | None
    story: str | None


class CoMention(TypedDict):
    """A name found in the same articles as another, with the number of articles they share."""

    name: str
    shared: int


class CoMentionPair(TypedDict):
    """Two names (a < b) named together in ``shared`` articles."""

    a: str
    b: str
    shared: int


class StoryEventRow(TypedDict):
    """One ``story_events`` row (``actors`` and ``figures`` parsed)."""

    id: str
    story: str | None
    type: str
    date: str | None
    date_start: str | None
    date_end: str | None
    date_precision: str | None
    place: str | None
    actors: list[str]
    figures: list[list[Any]]
    articles: int
    independent_sources: int
    hedged: int
    algorithm: str


class TitledStoryEvent(StoryEventRow):
    """A story event with its story's title (an actor's events)."""

    story_title: str | None
    story_title_source: str | None


class EventCitationRow(TypedDict):
    """A sentence of an article reporting a story event; ``family`` is the source it counts for;
    ``date_evidence`` says how its story placed a yearless date (``extract.story-dates-v1``), else None."""

    article: str
    family: str
    sentence: str
    own_family: str | None
    borrowed_from: str | None
    date_evidence: dict[str, Any] | None


class CitedStoryEvent(StoryEventRow):
    """A story event with every sentence reporting it."""

    citations: list[EventCitationRow]


class FactCitationRow(TypedDict):
    """A sentence stating a stored fact; ``family`` is the source it counts for."""

    article: str
    family: str
    claimant: str | None
    qualifier: str | None
    sentence: str
    own_family: str | None
    borrowed_from: str | None


class FactDisputeRow(TypedDict):
    """A sentence disputing a stored fact (never counted for it)."""

    article: str
    family: str
    own_family: str | None
    claimant: str | None
    claimant_source: str
    disputed_claimant: str | None
    rule: str
    cue: str
    sentence: str


class FactRow(TypedDict):
    """One stored story fact with its citations and disputes."""

    id: str
    story: str | None
    value: float
    unit: str
    what: str
    date: str | None
    place: str | None
    articles: int
    independent_sources: int
    conflict_group: str | None
    algorithm: str
    citations: list[FactCitationRow]
    disputes: list[FactDisputeRow]


class ArticleKey(TypedDict):
    """What gold files name an article by: its id, url and source."""

    id: str
    url: str | None
    source: str


class CrossFamilyLink(TypedDict):
    """A copy link between two families with the JSON of its evidence's pair, passage spans (two
    places) and longest passage span."""

    article: str
    source: str | None
    sibling: str | None
    relation: str
    pair: str | None
    spans: str | None
    spans2: str | None
    longest: str | None


@dataclass(frozen=True, slots=True)
class SparkRun:
    """What one ``scamtrace spark JOB`` run wrote: the ``job`` asked for (copies, stories or analyze),
    the ``output`` directory, the rows written per table (``counts``) and the run info also saved in
    ``output/_run.json`` (``info``: algorithms, timings, inputs, Spark version)."""

    job: str
    output: str
    counts: dict[str, int]
    info: dict[str, Any]


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


# == records of the extract stage ==================================================================
#: The algorithms whose records follow (name+version stored with every record; bump on a change).
ALGO_ENTITIES = "extract.entities-v6"   # v4: candidates that name no actor dropped (extract.not-names-v1); v5: places of a general gazetteer relabelled GPE (extract.not-names-v2, extract.places-v1); v6: an acronym defined in brackets after its long name is a mention of it (source "acronym")
ALGO_DATES = "extract.dates-v2"
ALGO_FIGURES = "extract.figures-v7"
ALGO_QUOTES = "extract.quotes-v2"
ALGO_EVENTS = "extract.events-v3"   # v3: an unresolved month(-day) keeps it (evidence "date_yearless")
ALGO_MERGE = "extract.events-merge-v4"   # v2: borrowed passages count for the lender; v3: no link by an age or size; v4: a country of data/outlet_countries.tsv is no strong place


@dataclass(slots=True)
class Mention:
    """A named entity occurrence.

    ``canonical`` is the name this mention resolves to (gazetteer canonical name, the full name of a
    person mentioned earlier by surname, or the expansion of an acronym); ``role`` is a descriptor
    found next to the mention ("an expert on Myanmar's cyberscam industry at ..."); ``source`` says
    which recogniser found it: ``model`` (spaCy NER), ``gazetteer`` or ``rules`` (fallback).
    """

    text: str
    label: str
    start: int
    end: int
    canonical: str
    role: str | None = None
    source: str = "rules"
    algorithm: str = ALGO_ENTITIES


@dataclass(slots=True)
class DateRef:
    """A date expression resolved against the publication date.

    ``iso_start``/``iso_end`` bound the interval (equal for a single day). They are None only when
    the expression cannot be resolved (no publication date for a relative phrase). An unresolved month
    and day or month keeps them in ``yearless`` (``--MM-DD``, ``--MM``, or ``--MM-DD/--MM-DD`` for part
    of a month: :func:`scamtrace.extract.dates.parse_yearless`), for the story step to place.
    """

    text: str
    start: int
    end: int
    iso_start: str | None
    iso_end: str | None
    precision: str
    rule: str = ""
    algorithm: str = ALGO_DATES
    yearless: str | None = None

    @property
    def iso(self) -> str | None:
        """``YYYY-MM-DD`` for a day, ``start/end`` (ISO 8601 interval) otherwise."""
        if self.iso_start is None:
            return None
        if self.iso_start == self.iso_end:
            return self.iso_start
        return f"{self.iso_start}/{self.iso_end}"


@dataclass(slots=True)
class Figure:
    """A number that counts people, money, buildings, flights, operations or a percentage.

    ``value`` is the number in ``unit`` (a currency code for money); a vague quantity has its rule
    in ``vague_rule``; ``converted_value``/``converted_unit`` hold a conversion the text itself gives
    ("40,000 yuan ($5,472)"). ``date`` is an ISO day or interval with ``date_precision``;
    ``claimant`` is who says it ("police"); ``text`` is the number phrase as written.
    """

    value: float
    unit: str
    what: str
    text: str
    start: int
    end: int
    sentence: str
    sentence_start: int
    sentence_end: int
    action: str | None = None
    qualifier: str | None = None
    vague_rule: str | None = None
    converted_value: float | None = None
    converted_unit: str | None = None
    date: str | None = None
    date_precision: str | None = None
    place: str | None = None
    claimant: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    algorithm: str = ALGO_FIGURES


@dataclass(slots=True)
class Quote:
    """A direct quotation with its speaker.

    ``quote`` is the quoted text without the quote marks (paragraphs of a multi-paragraph quote are
    joined with a space); ``start``/``end`` span from the opening to the closing mark; ``speaker``
    is resolved to the fullest name seen in the article; ``attribution`` names the pattern used
    ("said-after", "speaker-before", "according-to", "pronoun", "paragraph-speaker", ...).
    """

    quote: str
    speaker: str | None
    role: str | None
    sentence: str
    start: int
    end: int
    attribution: str | None = None
    algorithm: str = ALGO_QUOTES


@dataclass(slots=True)
class Extraction:
    """Everything extracted from one article."""

    article_id: str | None
    mentions: list[Mention] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    dates: list[DateRef] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for dd, ref in zip(d["dates"], self.dates):
            dd["iso"] = ref.iso
        return d


@dataclass(slots=True)
class Participant:
    """A participant of an event: a named mention or a role noun ("police", "suspects").

    ``role`` is ``agent`` (does the act), ``patient`` (undergoes it) or ``authority`` (announces or
    reports it); ``source`` is ``mention`` (an extracted entity) or ``noun`` (a role noun).
    """

    text: str
    canonical: str
    label: str
    role: str
    start: int
    end: int
    source: str = "mention"


@dataclass(slots=True)
class Event:
    """One event mention: a typed frame read from one sentence of one article.

    ``date`` is an ISO day or ``start/end`` interval (see :attr:`DateRef.iso`) with
    ``date_precision``; ``date_source`` is ``sentence`` (a resolved date expression in the
    sentence), ``report`` (the date the sentence's report is attributed to: "officials said
    Tuesday"), ``unresolved`` (an expression the publication date was needed to resolve) or ``none``. ``place_source`` is ``sentence`` or ``dateline``. ``hedged`` events carry the reason
    in ``hedge`` (``modal:could``, ``quote``, ...).
    """

    id: str
    article_id: str | None
    type: str
    trigger: str
    lemma: str
    trigger_start: int
    trigger_end: int
    sentence: str
    sentence_start: int
    sentence_end: int
    date: str | None = None
    date_start: str | None = None
    date_end: str | None = None
    date_precision: str | None = None
    date_text: str | None = None
    date_source: str = "none"
    place: str | None = None
    place_label: str | None = None
    place_source: str | None = None
    actors: list[Participant] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    hedged: bool = False
    hedge: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    algorithm: str = ALGO_EVENTS

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class EventCitation:
    """One article's mention of a merged event."""

    article_id: str | None
    family: str
    event_id: str
    sentence: str
    trigger: str
    hedged: bool
    own_family: str | None = None          # the article's own family when ``family`` is a lender's
    borrowed_from: str | None = None       # the article whose passage holds the sentence
    date_evidence: dict[str, Any] | None = None   # how the story step dated the mention (extract.story-dates)


@dataclass(slots=True)
class MergedEvent:
    """The same event reported by one or more articles.

    ``articles`` counts distinct citing articles, ``families`` distinct copy families (independent
    sources: a wire story and its reprints count once). ``date_start``/``date_end`` is the intersection of the members' dates. ``evidence``
    lists, for every member after the first, which member it joined and what they share.
    """

    id: str
    type: str
    date: str | None
    date_start: str | None
    date_end: str | None
    date_precision: str | None
    place: str | None
    actors: list[str]
    figures: list[tuple[float, str]]
    citations: list[EventCitation]
    articles: int
    families: int
    hedged: bool
    evidence: list[dict[str, Any]] = field(default_factory=list)
    algorithm: str = ALGO_MERGE

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# == records of the knowledge stage ================================================================
ALGO_KNOWLEDGE_FIGURES = "knowledge.figures-v3"   # v3: an age is one fact only for one person
ALGO_KNOWLEDGE_ACTORS = "knowledge.actors-v4"   # v2: label ties broken by name, not by storage order; v3: label voted over a folded form (a tie to a gazetteer place), organisation + generic word joined; v4: names of one country joined ("US" / "United States"), an acronym defined in a text joined to its long name, "đ" folded to "d"


@dataclass
class Citation:
    """One sentence stating a fact. ``family`` is the independent source it counts for: the
    article's own family (``own_family``), or the family of ``borrowed_from`` when the figure lies
    in a passage borrowed from that article (``evidence`` names the passage)."""

    article: str
    family: str
    sentence: str
    claimant: str | None
    qualifier: str | None = None
    own_family: str | None = None
    borrowed_from: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass
class DisputeCitation:
    """One sentence disputing, correcting or denying a fact (never corroboration)."""

    article: str
    family: str                        # the disputing source (credited like a citation)
    sentence: str
    claimant: str | None               # who disputes
    claimant_source: str               # "sentence" or "outlet"
    disputed_claimant: str | None      # whose figure is disputed
    rule: str
    cue: str
    evidence: dict[str, Any] = field(default_factory=dict)
    algorithm: str = ""
    own_family: str | None = None


@dataclass
class Fact:
    """One figure value for one measure, with every citation that states it."""

    id: str
    value: float
    unit: str
    what: str
    date: str | None
    place: str | None
    action: str | None = None             # the verb of the measure ("detained", "handed over")
    citations: list[Citation] = field(default_factory=list)
    conflict_group: str | None = None     # shared by facts of one measure with different values
    disputes: list[DisputeCitation] = field(default_factory=list)
    algorithm: str = ALGO_KNOWLEDGE_FIGURES

    @property
    def articles(self) -> int:
        return len({c.article for c in self.citations})

    @property
    def independent_sources(self) -> int:
        return len({c.family for c in self.citations})

    @property
    def claimants(self) -> list[str]:
        return sorted({c.claimant for c in self.citations if c.claimant})

    @property
    def disputing_sources(self) -> int:
        return len({d.family for d in self.disputes})


@dataclass
class Actor:
    name: str                       # the representative: the most mentioned variant
    label: str
    aliases: list[str]
    mentions: int
    evidence: list[dict[str, Any]] = field(default_factory=list)
    algorithm: str = ALGO_KNOWLEDGE_ACTORS


# == records of the stories stage ==================================================================
ALGO_STORIES_ONLINE = "stories.online-v2"
#: ``title_source`` of a story named after a member's headline (a derived name holds its algorithm instead,
#: ``stories.name-v1``).
HEADLINE_SOURCE = "headline"
ALGO_STORIES_THREADS = "stories.threads-v1"


@dataclass
class Story:
    id: str
    title: str | None
    first_seen: dt.date | None
    last_seen: dt.date | None
    articles: list[str]
    families: list[str]
    algorithm: str = ALGO_STORIES_ONLINE
    evidence: list[dict[str, Any]] = field(default_factory=list)
    # the story's event frame (centroid terms, main anchors, median date ordinal, event types), for
    # threads; not stored
    frame: dict[str, Any] | None = field(default=None, repr=False, compare=False)
    # where ``title`` comes from: "headline" (a member's headline), "stories.name-v1" (derived from the
    # members' lead sentences: no member has a headline), None (no title); set by stories.names
    title_source: str | None = None


@dataclass
class ThreadPlace:
    story: str
    thread: str
    position: int
    algorithm: str = ALGO_STORIES_THREADS
    evidence: dict[str, Any] = field(default_factory=dict)
