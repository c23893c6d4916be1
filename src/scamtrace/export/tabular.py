"""JSON Lines and CSV writers shared by every export and listing."""
from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from ..errors import InvalidRequest

FORMATS = ("jsonl", "csv")


#: A CSV cell starting with one of these is a formula to a spreadsheet (OWASP "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """OWASP's defence against CSV formula injection: a text cell that a spreadsheet would run as a
    formula (it starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return) gets a leading
    single quote, so it is shown as text. The CSV writer quotes every cell holding a quote,
    comma or line break."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell(v: Any, raw: bool = False) -> Any:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, dict)):
        v = json.dumps(v, ensure_ascii=False, default=str)
    if v is None:
        return ""
    if isinstance(v, str) and not raw:
        return neutralise(v)
    return v


def write_records(records: Iterable[Mapping[str, Any]], fmt: str, out: TextIO,
                  columns: list[str] | None = None, raw: bool = False) -> int:
    """Write records as JSON Lines or CSV (header from ``columns`` or the first record); return the count.

    CSV text cells that a spreadsheet would read as a formula are neutralised (see :func:`neutralise`)
    unless ``raw``; numbers are written as numbers. JSON Lines are always written as stored."""
    if fmt not in FORMATS:
        raise InvalidRequest(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    n = 0
    writer = None
    for rec in records:
        if fmt == "jsonl":
            out.write(json.dumps(dict(rec), ensure_ascii=False, default=str) + "\n")
        else:
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=columns or list(rec.keys()), extrasaction="ignore")
                writer.writeheader()
            writer.writerow({k: _cell(v, raw) for k, v in rec.items()})
        n += 1
    if fmt == "csv" and writer is None and columns:
        csv.DictWriter(out, fieldnames=columns).writeheader()
    return n
