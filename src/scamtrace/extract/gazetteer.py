"""The domain gazetteer: compounds, places, armed groups, agencies and organisations with aliases.

Data lives in ``scamtrace/data/gazetteer.jsonl``, one entry a line:
``{"canonical": str, "label": one of ENTITY_LABELS, "aliases": [str, ...], "note": str}``.
Aliases are matched case-sensitively on word boundaries (so "Wa" never matches "was" and "AP"
never matches "ap").
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .records import ENTITY_LABELS


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    canonical: str
    label: str
    aliases: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class Gazetteer:
    entries: tuple[GazetteerEntry, ...]
    by_alias: dict[str, GazetteerEntry]
    pattern: re.Pattern[str]

    def find(self, text: str) -> list[tuple[int, int, GazetteerEntry]]:
        """Non-overlapping alias occurrences, longest alias first at each position."""
        return [(m.start(), m.end(), self.by_alias[m.group()]) for m in self.pattern.finditer(text)]


def parse_entry(line: str, where: str) -> GazetteerEntry:
    """One JSONL line -> entry; ValueError naming ``where`` (file:line) when malformed."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        raise ValueError(f"{where}: not JSON ({e.msg})") from None
    if not isinstance(obj, dict):
        raise ValueError(f"{where}: expected an object, got {type(obj).__name__}")
    canonical, label, aliases = obj.get("canonical"), obj.get("label"), obj.get("aliases", [])
    if not isinstance(canonical, str) or not canonical.strip():
        raise ValueError(f"{where}: 'canonical' must be a non-empty string")
    if label not in ENTITY_LABELS:
        raise ValueError(f"{where}: 'label' must be one of {', '.join(ENTITY_LABELS)}, got {label!r}")
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise ValueError(f"{where}: 'aliases' must be a list of non-empty strings")
    names = tuple(dict.fromkeys([canonical, *aliases]))
    return GazetteerEntry(canonical=canonical, label=label, aliases=names, note=str(obj.get("note", "")))


def build(entries: list[GazetteerEntry]) -> Gazetteer:
    """Index entries by alias and compile one alternation (longest alias first)."""
    by_alias: dict[str, GazetteerEntry] = {}
    for entry in entries:
        for alias in entry.aliases:
            by_alias.setdefault(alias, entry)
    alternation = "|".join(re.escape(a) for a in sorted(by_alias, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])") if by_alias else re.compile(r"(?!x)x")
    return Gazetteer(entries=tuple(entries), by_alias=by_alias, pattern=pattern)


def load_gazetteer(path: str | Path | None = None) -> Gazetteer:
    """The packaged gazetteer, or the JSONL file at ``path``."""
    if path is None:
        return _packaged()
    p = Path(path)
    lines = p.read_text(encoding="utf-8").splitlines()
    return build([parse_entry(ln, f"{p}:{i}") for i, ln in enumerate(lines, 1) if ln.strip()])


@lru_cache(maxsize=1)
def _packaged() -> Gazetteer:
    res = resources.files("scamtrace").joinpath("data", "gazetteer.jsonl")
    lines = res.read_text(encoding="utf-8").splitlines()
    return build([parse_entry(ln, f"gazetteer.jsonl:{i}") for i, ln in enumerate(lines, 1) if ln.strip()])


def reset() -> None:
    """Forget the cached packaged gazetteer (tests call this)."""
    _packaged.cache_clear()
