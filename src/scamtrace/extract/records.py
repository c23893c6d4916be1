"""Labels and precisions of the ``extract`` stage; its records (:class:`Mention`, :class:`DateRef`,
:class:`Figure`, :class:`Quote`, :class:`Extraction`) live in :mod:`scamtrace.model` with every
record that crosses a stage, and are re-exported here.

Offsets (``start``/``end``) are character offsets into the text that was analysed (``Article.text``),
end-exclusive, so ``text[m.start:m.end] == m.text`` for a mention. Every record names the algorithm
(name+version) that produced it so results from different versions are never mixed silently.
"""
from __future__ import annotations

from typing import Literal

from ..model import (ALGO_DATES, ALGO_ENTITIES, ALGO_FIGURES, ALGO_QUOTES, DateRef, Extraction, Figure, Mention,
                     Quote)

EntityLabel = Literal["PERSON", "ORG", "GPE", "LOC", "COMPOUND", "ARMED_GROUP", "AGENCY"]
ENTITY_LABELS: tuple[str, ...] = ("PERSON", "ORG", "GPE", "LOC", "COMPOUND", "ARMED_GROUP", "AGENCY")

#: Precision of a resolved date. ``week`` covers "last week"/"in recent weeks"; "late October" is a
#: ``month``-precision phrase narrowed to days 21..31 of the month (the interval says how narrow).
Precision = Literal["day", "week", "month", "season", "year"]
PRECISIONS: tuple[str, ...] = ("day", "week", "month", "season", "year")


__all__ = ["ALGO_DATES", "ALGO_ENTITIES", "ALGO_FIGURES", "ALGO_QUOTES", "DateRef", "ENTITY_LABELS", "EntityLabel",
           "Extraction", "Figure", "Mention", "PRECISIONS", "Precision", "Quote"]
