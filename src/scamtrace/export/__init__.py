"""Exports: the record views of :mod:`scamtrace.views.tables` written as JSON Lines or CSV; the
FollowTheMoney (:mod:`.ftm`) and GraphML (:mod:`.graphml`) exports of the whole store."""
from __future__ import annotations

from ..views.tables import (ARTICLE_COLUMNS, COPY_COLUMNS, ENTITY_COLUMNS, EVENT_COLUMNS, FAMILY_COLUMNS,
                            FIGURE_COLUMNS, QUOTE_COLUMNS, STORY_COLUMNS, THREAD_COLUMNS, article_records,
                            copy_records, entity_records, event_records, family_records, figure_records,
                            quote_records, story_records, thread_records)
from .tabular import FORMATS, write_records

__all__ = ["FORMATS", "write_records", "article_records", "copy_records", "family_records", "story_records",
           "figure_records", "quote_records", "entity_records", "event_records", "thread_records", "EXPORTS"]

#: Each export: its record view and its columns.
EXPORTS = {
    "articles": (article_records, ARTICLE_COLUMNS),
    "copies": (copy_records, COPY_COLUMNS),
    "families": (family_records, FAMILY_COLUMNS),
    "stories": (story_records, STORY_COLUMNS),
    "figures": (figure_records, FIGURE_COLUMNS),
    "quotes": (quote_records, QUOTE_COLUMNS),
    "entities": (entity_records, ENTITY_COLUMNS),
    "events": (event_records, EVENT_COLUMNS),
    "threads": (thread_records, THREAD_COLUMNS),
}
