"""Typed records produced by the ``extract`` stage.

Offsets (``start``/``end``) are character offsets into the text that was analysed (``Article.text``),
end-exclusive, so ``text[m.start:m.end] == m.text`` for a mention. Every record names the algorithm
(name+version) that produced it so results from different versions are never mixed silently.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

EntityLabel = Literal["PERSON", "ORG", "GPE", "LOC", "COMPOUND", "ARMED_GROUP", "AGENCY"]
ENTITY_LABELS: tuple[str, ...] = ("PERSON", "ORG", "GPE", "LOC", "COMPOUND", "ARMED_GROUP", "AGENCY")

#: Precision of a resolved date. ``week`` covers "last week"/"in recent weeks"; "late October" is a
#: ``month``-precision phrase narrowed to days 21..31 of the month (the interval says how narrow).
Precision = Literal["day", "week", "month", "season", "year"]
PRECISIONS: tuple[str, ...] = ("day", "week", "month", "season", "year")

ALGO_ENTITIES = "extract.entities-v1"
ALGO_DATES = "extract.dates-v2"
ALGO_FIGURES = "extract.figures-v4"
ALGO_QUOTES = "extract.quotes-v2"


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
    the expression cannot be resolved (no publication date for a relative phrase).
    """

    text: str
    start: int
    end: int
    iso_start: str | None
    iso_end: str | None
    precision: str
    rule: str = ""
    algorithm: str = ALGO_DATES

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
