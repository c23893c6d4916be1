"""Evaluate event extraction against a gold JSONL file (``eval.events-v1``).

A gold line is ``{"key", "type", "date", "place", "sentence_contains"}``: ``key`` names the article
(an article id, file basename or URL, whatever the predictions carry as ``article_id``), ``date`` is
an ISO day, an ISO ``start/end`` interval or null, ``sentence_contains`` a short distinctive substring
(3 to 8 words) of the sentence that reports the event. ``place`` is informative and not matched.

A predicted event matches a gold line when the keys are equal, the types are equal, the dates are
equal (or both null) and the event's source sentence contains ``sentence_contains``. Matching is
one-to-one: each gold line and each prediction is used at most once. Hedged predictions (modal or
quoted) are left out unless ``include_hedged`` is set: gold lines list asserted events only.

How the gold files (``tests/gold/*_events.jsonl``) were annotated: one line per (sentence, type)
where the sentence reports a specific, real event of that type, predicated by a verb or named by a
noun. Left out: generic or habitual statements, future, planned, hypothetical or negated events,
events inside direct quotations, participles describing people ("those arrested"), and bare
back-references to an event the article already reported ("the raid follows ..."). A later mention
that adds its own date or quantity is kept. ``date`` is the date expression the sentence attaches
to the event, else the date the report is attributed to ("officials said Tuesday"), else null;
relative expressions are resolved against the article's publication date, null when it is unknown.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..errors import GoldFileError
from ..extract.events import EVENT_TYPES, Event, find_events
from ..model import Article
from .scores import prf
from ..extract import extract

__all__ = ["EVAL_ALGORITHM", "GOLD_FIELDS", "evaluate_events", "events_for", "load_gold", "match_event"]

EVAL_ALGORITHM = "eval.events-v1"
GOLD_FIELDS = ("key", "type", "date", "place", "sentence_contains")
#: Bounds on ``sentence_contains``: long enough to be distinctive, short enough to keep outside
#: text out of the repository.
MIN_CONTAINS_WORDS, MAX_CONTAINS_WORDS = 3, 8
_ISO_DAY = r"\d{4}-\d{2}-\d{2}"
_ISO_DATE = re.compile(rf"{_ISO_DAY}(?:/{_ISO_DAY})?")


def _check_line(obj: Any, where: str) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise GoldFileError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    missing = [f for f in GOLD_FIELDS if f not in obj]
    if missing:
        raise GoldFileError(f"{where}: missing field(s) {', '.join(missing)}; a gold line needs {', '.join(GOLD_FIELDS)}")
    if not isinstance(obj["key"], str) or not obj["key"]:
        raise GoldFileError(f"{where}: 'key' must be a non-empty string")
    if obj["type"] not in EVENT_TYPES:
        raise GoldFileError(f"{where}: 'type' must be one of {', '.join(EVENT_TYPES)}, got {obj['type']!r}")
    date = obj["date"]
    if date is not None and (not isinstance(date, str) or not _ISO_DATE.fullmatch(date)):
        raise GoldFileError(f"{where}: 'date' must be null, YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD, got {date!r}")
    if obj["place"] is not None and not isinstance(obj["place"], str):
        raise GoldFileError(f"{where}: 'place' must be a string or null")
    contains = obj["sentence_contains"]
    n = len(contains.split()) if isinstance(contains, str) else 0
    if not MIN_CONTAINS_WORDS <= n <= MAX_CONTAINS_WORDS:
        raise GoldFileError(f"{where}: 'sentence_contains' must be {MIN_CONTAINS_WORDS} to {MAX_CONTAINS_WORDS} "
                            f"words, got {n}")
    return {f: obj[f] for f in GOLD_FIELDS}


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    """Gold lines of a JSONL file (blank lines skipped); :class:`GoldFileError` names file:line."""
    p = Path(path)
    if not p.is_file():
        raise GoldFileError(f"{p}: gold file not found")
    out = []
    for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise GoldFileError(f"{p}:{i}: not JSON ({e.msg})") from None
        out.append(_check_line(obj, f"{p}:{i}"))
    return out


def match_event(ev: Event, gold: dict[str, Any], key: str | None) -> bool:
    """True when ``ev`` (whose article key is ``key``) matches the gold line."""
    return (key == gold["key"] and ev.type == gold["type"] and ev.date == gold["date"]
            and gold["sentence_contains"] in ev.sentence)


def _describe(ev: Event, key: str | None) -> dict[str, Any]:
    return {"key": key, "type": ev.type, "date": ev.date, "trigger": ev.trigger, "hedge": ev.hedge,
            "sentence": ev.sentence[:160]}


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p, r, f = prf(tp, tp + fp, tp + fn)
    return {"precision": p, "recall": r, "f1": f}


def evaluate_events(pred: Iterable[Event], gold: list[dict[str, Any]] | str | Path, *,
                    include_hedged: bool = False,
                    key_of: Callable[[Event], str | None] = lambda ev: ev.article_id) -> dict[str, Any]:
    """Precision, recall and F1 of ``pred`` against ``gold`` (lines, or a JSONL path).

    Returns ``precision``, ``recall``, ``f1``, ``tp``, ``fp``, ``fn``, per-type counts
    (``by_type``), and as evidence the unmatched predictions (``false_positives``) and gold lines
    (``misses``). Predictions of every article passed count: pass only the evaluated articles' events.
    """
    lines = load_gold(gold) if isinstance(gold, (str, Path)) else [_check_line(g, f"gold[{i}]") for i, g in enumerate(gold)]
    if not lines:
        raise GoldFileError("gold is empty: nothing to evaluate")
    events = [ev for ev in pred if include_hedged or not ev.hedged]
    used = [False] * len(events)
    misses: list[dict[str, Any]] = []
    counts: dict[str, Counter[str]] = {}
    for g in lines:
        hit = next((i for i, ev in enumerate(events) if not used[i] and match_event(ev, g, key_of(ev))), None)
        c = counts.setdefault(g["type"], Counter())
        if hit is None:
            misses.append(g)
            c["fn"] += 1
        else:
            used[hit] = True
            c["tp"] += 1
    false_pos = [_describe(ev, key_of(ev)) for i, ev in enumerate(events) if not used[i]]
    for fp in false_pos:
        counts.setdefault(fp["type"], Counter())["fp"] += 1
    tp, fn, fp = len(lines) - len(misses), len(misses), len(false_pos)
    return {
        "algorithm": EVAL_ALGORITHM, **_prf(tp, fp, fn), "tp": tp, "fp": fp, "fn": fn,
        "by_type": {k: {"tp": v["tp"], "fp": v["fp"], "fn": v["fn"]} for k, v in sorted(counts.items())},
        "false_positives": false_pos, "misses": misses,
    }


def events_for(articles: Iterable[Article], *, use_model: bool | None = False) -> list[Event]:
    """Run the extract stage and :func:`find_events` on every article (rule-based entities by
    default, so scores do not depend on whether a spaCy model is installed)."""
    out: list[Event] = []
    for article in articles:
        out.extend(find_events(article, extract(article, use_model=use_model)))
    return out
