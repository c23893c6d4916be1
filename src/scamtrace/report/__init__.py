"""Shareable story reports: one self-contained HTML file (inline CSS and SVG, no script) or Markdown.

>>> from scamtrace.report import write_report          # doctest: +SKIP
>>> write_report(store, ["story-..."], "html", out)     # doctest: +SKIP
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import IO

from ..store import Store
from ..views.story import StoryView, story_views
from .data import REPORT_ALGORITHM, report_meta, report_of, story_ids, story_report
from .html import render_html
from .markdown import render_markdown
from ..errors import InvalidRequest
__all__ = ["FORMATS", "REPORT_ALGORITHM", "story_report", "story_ids", "render_html", "render_markdown",
           "render_report", "render_views", "write_report"]

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

#: Report formats: ``html`` (self-contained page) and ``md`` (Markdown).
FORMATS: tuple[str, ...] = ("html", "md")


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise InvalidRequest(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")


def render_views(views: Sequence[StoryView], fmt: str) -> str:
    """The report of the story views ``views`` as one document in ``fmt``."""
    _check_format(fmt)
    reports = [report_of(v) for v in views]
    log.info("report: %d stories as %s", len(reports), fmt)
    meta = report_meta()
    return render_html(reports, meta) if fmt == "html" else render_markdown(reports, meta)


def render_report(store: Store, ids: Iterable[str] | None, fmt: str) -> str:
    """The report of the stories ``ids`` (every story when None) as one document in ``fmt``."""
    _check_format(fmt)
    return render_views(story_views(store, ids), fmt)


def write_report(store: Store, ids: Iterable[str] | None, fmt: str, out: IO[str]) -> int:
    """Write the report to ``out``; return the number of characters written."""
    return out.write(render_report(store, ids, fmt))
