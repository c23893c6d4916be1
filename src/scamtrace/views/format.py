"""Formatting shared by every renderer (CLI, web, report, export), so no renderer borrows another's."""
from __future__ import annotations


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
