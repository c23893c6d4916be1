"""JSON Lines and CSV writers shared by every export and listing."""
from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

FORMATS = ("jsonl", "csv")


def _cell(v: Any) -> Any:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False, default=str)
    return "" if v is None else v


def write_records(records: Iterable[Mapping[str, Any]], fmt: str, out: TextIO,
                  columns: list[str] | None = None) -> int:
    """Write records as JSON Lines or CSV (header from ``columns`` or the first record); return the count."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    n = 0
    writer = None
    for rec in records:
        if fmt == "jsonl":
            out.write(json.dumps(dict(rec), ensure_ascii=False, default=str) + "\n")
        else:
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=columns or list(rec.keys()), extrasaction="ignore")
                writer.writeheader()
            writer.writerow({k: _cell(v) for k, v in rec.items()})
        n += 1
    if fmt == "csv" and writer is None and columns:
        csv.DictWriter(out, fieldnames=columns).writeheader()
    return n
