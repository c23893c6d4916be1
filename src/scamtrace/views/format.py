"""Formatting shared by every renderer (CLI, web, report, export), so no renderer borrows another's."""
from __future__ import annotations


def fmt_figure(value: float, unit: str) -> str:
    """``12,000`` for people, ``2.40 <unit>`` otherwise: the stored value, never rounded to another number."""
    n = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return n if unit == "people" else f"{n} {unit}"
