"""Formatting shared by every renderer (CLI, web, report, export), so no renderer borrows another's."""
from __future__ import annotations

from ..model import HEADLINE_SOURCE


def fmt_figure(value: object, unit: object = "people", what: str = "") -> str:
    """``12,000`` for people, ``2.40 <unit>`` otherwise: the stored value, never rounded to another number.

    A unit that the figure's ``what`` already says is left out when ``what`` is given (the web's
    "4,100 people detained", "38 buildings"); a value that is not a number is shown as it is."""
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    n = f"{v:,.0f}" if v.is_integer() else f"{v:,.2f}"
    if not unit or unit == "people" or (what and str(unit).lower() in what.lower()):
        return n
    return f"{n} {unit}"


#: What a derived story name is (``stories.name-v1``), as the brief, the report and the web say it.
DERIVED_NAME_NOTE = "no article of this story has a headline: its name is taken from a lead sentence"


def is_derived_name(title: object, source: object) -> bool:
    """A story title derived from its texts (``title_source`` not "headline"), not a real headline."""
    return bool(title) and bool(source) and source != HEADLINE_SOURCE


def story_label(title: str | None, source: str | None, story_id: str) -> str:
    """A story's name as plain text: its title, "(derived name)" after a derived one, its id when it has none."""
    if not title:
        return story_id
    return f"{title} (derived name)" if is_derived_name(title, source) else title
