"""Highlighted article text: extracted entities, figures, dates, quotes and spinner phrases over the
clean text, as a small tree of plain-text nodes that templates render *escaped*.

Overlaps (algorithm ``web.highlight-v1``):

* **Quotes nest.** A quote is an outer layer; the inline marks inside it are nested in it. Quotes that
  overlap each other keep the longest (ties: the earliest) and drop the rest.
* **Inline marks are prioritised**, never nested: ``figure`` > ``date`` > ``spin`` > ``entity``
  (:data:`INLINE_PRIORITY`). A mark overlapping a higher-priority mark already kept is dropped whole
  (a half-marked name would mislabel text); among equals the longer mark wins, then the earlier one.
  Every dropped span is reported with the kept span that hid it, so nothing disappears silently.
* A kept inline mark crossing a quote edge or a paragraph break is split there; the pieces carry the
  same ``id`` so scripts and tests can tell they are one span.

Nothing here produces HTML. Offsets are character offsets into ``Article.text``, end-exclusive; spans
out of range or empty are dropped (store data is never trusted to be in range).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict

from ..errors import InvalidRequest

HIGHLIGHT_ALGORITHM = "web.highlight-v1"
#: Highlight kinds and what they mean (the legend); the CSS gives each a class ``hl-<kind>``.
HIGHLIGHT_KINDS: dict[str, str] = {
    "entity": "named person, organisation, armed group, agency, compound or place",
    "figure": "number the extractor read as a figure (hover: value, unit, date, claimant, corroboration)",
    "date": "date or period (hover: resolved ISO date or interval and its precision)",
    "quote": "quoted speech (hover: speaker)",
    "spin": "phrase that looks machine-spun",
}
#: Inline kinds, highest priority first (see the module docstring); ``quote`` is the outer layer.
INLINE_PRIORITY: tuple[str, ...] = ("figure", "date", "spin", "entity")
OUTER_KINDS: tuple[str, ...] = ("quote",)
_LABEL = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}")
_PARA = re.compile(r"\n\s*\n")


@dataclass(slots=True)
class HighlightSpan:
    """One highlight: ``[start, end)`` of ``kind`` with a short ``label`` (entity label, precision…),
    a one-line ``title`` (the tooltip) and the structured ``data`` behind it (the JSON twin's)."""

    start: int
    end: int
    kind: str
    label: str = ""
    title: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    id: int = -1

    def __post_init__(self) -> None:
        if self.kind not in HIGHLIGHT_KINDS:
            raise InvalidRequest(f"highlight kind must be one of {', '.join(HIGHLIGHT_KINDS)}, got {self.kind!r}")

    def overlaps(self, other: HighlightSpan) -> bool:
        return self.start < other.end and other.start < self.end

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "start": self.start, "end": self.end, "kind": self.kind, "label": self.label,
                "title": self.title, **self.data}


class Node(TypedDict):
    """A rendered piece: plain text (``kind`` empty, no children) or a mark holding ``children``."""

    kind: str
    label: str
    title: str
    id: int
    text: str
    children: list[Node]


class Resolved(TypedDict):
    algorithm: str
    spans: list[dict[str, Any]]
    dropped: list[dict[str, Any]]
    counts: dict[str, int]
    paragraphs: list[list[Node]]


def css_label(label: str | None) -> str:
    """A label safe in a class name (``GPE``, ``ARMED_GROUP``); anything else becomes ``OTHER``."""
    return label if label and _LABEL.fullmatch(label) else "OTHER"


def _valid(spans: list[HighlightSpan], n: int) -> list[HighlightSpan]:
    """Spans clipped to ``[0, n)``; empty ones dropped. Ids are assigned in text order."""
    out = []
    for s in spans:
        a, b = max(0, int(s.start)), min(n, int(s.end))
        if a < b:
            out.append(HighlightSpan(a, b, s.kind, s.label, s.title, dict(s.data)))
    out.sort(key=lambda s: (s.start, -s.end, s.kind))
    for i, s in enumerate(out):
        s.id = i
    return out


def _keep(candidates: list[HighlightSpan], rank: dict[str, int]) -> tuple[list[HighlightSpan], list[dict[str, Any]]]:
    """Greedy choice of non-overlapping spans: by kind rank, then longer, then earlier."""
    kept: list[HighlightSpan] = []
    dropped: list[dict[str, Any]] = []
    for s in sorted(candidates, key=lambda s: (rank[s.kind], s.start - s.end, s.start)):
        hit = next((k for k in kept if k.overlaps(s)), None)
        if hit is None:
            kept.append(s)
        else:
            dropped.append({**s.to_dict(), "hidden_by": hit.id, "hidden_by_kind": hit.kind})
    kept.sort(key=lambda s: s.start)
    dropped.sort(key=lambda d: d["start"])
    return kept, dropped


def resolve(spans: list[HighlightSpan], n: int) -> tuple[list[HighlightSpan], list[HighlightSpan], list[dict[str, Any]]]:
    """(kept quotes, kept inline marks, dropped spans) for a text of length ``n`` (rules: module doc)."""
    valid = _valid(spans, n)
    outer, dropped_outer = _keep([s for s in valid if s.kind in OUTER_KINDS], {k: 0 for k in OUTER_KINDS})
    rank = {k: i for i, k in enumerate(INLINE_PRIORITY)}
    inline, dropped_inline = _keep([s for s in valid if s.kind in rank], rank)
    return outer, inline, sorted(dropped_outer + dropped_inline, key=lambda d: d["start"])


def _leaf(text: str) -> Node:
    return {"kind": "", "label": "", "title": "", "id": -1, "text": text, "children": []}


def _mark(s: HighlightSpan, children: list[Node]) -> Node:
    return {"kind": s.kind, "label": s.label, "title": s.title, "id": s.id, "text": "", "children": children}


Inner = Callable[[int, int, "HighlightSpan | None"], list[Node]]


def _layer(lo: int, hi: int, spans: list[HighlightSpan], inner: Inner) -> list[Node]:
    """Nodes for ``text[lo:hi]``: each span (clipped to the range) becomes a mark whose children
    ``inner(a, b)`` builds; the gaps between spans become plain leaves (via ``inner`` too)."""
    nodes: list[Node] = []
    pos = lo
    for s in spans:
        a, b = max(lo, s.start), min(hi, s.end)
        if a >= b:
            continue
        if pos < a:
            nodes += inner(pos, a, None)
        nodes.append(_mark(s, inner(a, b, s)))
        pos = b
    if pos < hi:
        nodes += inner(pos, hi, None)
    return nodes


def paragraph_ranges(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each blank-line separated paragraph holding text."""
    out, pos = [], 0
    for m in _PARA.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return [(a, b) for a, b in out if a < b]


def build(text: str, outer: list[HighlightSpan], inline: list[HighlightSpan]) -> list[list[Node]]:
    """Paragraphs of nodes: quotes (outer) holding inline marks, inline marks holding one leaf.

    The concatenated leaf texts of a paragraph equal the paragraph's text exactly.
    """
    def inline_nodes(a: int, b: int, _: HighlightSpan | None) -> list[Node]:
        inside = [s for s in inline if s.start < b and s.end > a]
        return _layer(a, b, inside, lambda x, y, _s: [_leaf(text[x:y])])

    paragraphs = []
    for ps, pe in paragraph_ranges(text):
        quotes = [q for q in outer if q.start < pe and q.end > ps]
        paragraphs.append(_layer(ps, pe, quotes, inline_nodes))
    return paragraphs


def highlight(text: str, spans: list[HighlightSpan]) -> Resolved:
    """Resolve overlaps and build the paragraphs; the result is JSON-ready (the article API's)."""
    outer, inline, dropped = resolve(spans, len(text))
    kept = sorted(outer + inline, key=lambda s: (s.start, s.id))
    counts = {k: sum(1 for s in kept if s.kind == k) for k in HIGHLIGHT_KINDS}
    return {"algorithm": HIGHLIGHT_ALGORITHM, "spans": [{**s.to_dict(), "text": text[s.start:s.end]} for s in kept],
            "dropped": dropped, "counts": counts, "paragraphs": build(text, outer, inline)}


def flat_text(paragraph: list[Node]) -> str:
    """A paragraph's text back from its nodes (tests check it equals the source text)."""
    return "".join(n["text"] + flat_text(n["children"]) for n in paragraph)


# -- tooltips ----------------------------------------------------------------------------------------
def _num(v: Any) -> str:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    return f"{f:,.0f}" if f.is_integer() else f"{f:,.2f}"


def figure_title(fig: Mapping[str, Any], fact: Mapping[str, Any] | None) -> str:
    """Tooltip of a figure: value, unit, what, date, claimant; the fact's corroboration and rivals."""
    unit, what = str(fig.get("unit") or ""), str(fig.get("what") or "")
    shown_unit = "" if unit == "people" or unit.lower() in what.lower() else f" {unit}"
    parts = [f"{_num(fig.get('value'))}{shown_unit} {what}".strip()]
    parts.append(f"date {fig.get('date')}" if fig.get("date") else "undated")
    if fig.get("claimant"):
        parts.append(f"claimed by {fig['claimant']}")
    if fact:
        n, k = fact.get("independent_sources", 0), fact.get("articles", 0)
        if fact.get("role") == "disputes":
            parts.append("this sentence disputes the figure (not counted as corroboration)")
        parts.append(f"corroboration: {n} independent source{'' if n == 1 else 's'}, "
                     f"{k} article{'' if k == 1 else 's'}")
        if fact.get("disputes"):
            d = fact["disputes"]
            parts.append(f"disputed by {d} source{'' if d == 1 else 's'}")
        rivals = fact.get("rivals") or []
        if rivals:
            parts.append("conflicts with " + ", ".join(f"{_num(r['value'])} ({r['independent_sources']} src)"
                                                       for r in rivals))
    else:
        parts.append("not merged into a story fact")
    return " · ".join(parts)


def date_title(iso_start: str | None, iso_end: str | None, precision: str) -> str:
    """Tooltip of a date: the resolved ISO day or interval and its precision."""
    if not iso_start and not iso_end:
        return f"unresolved date ({precision})"
    when = iso_start if (not iso_end or iso_end == iso_start) else f"{iso_start} – {iso_end}"
    return f"{when} · precision: {precision}"


#: Reader-facing names of the extractor's entity labels (tooltips); unknown labels show as they are.
ENTITY_NAMES: dict[str, str] = {"PERSON": "person", "ORG": "organisation", "ARMED_GROUP": "armed group",
                                "AGENCY": "government agency", "COMPOUND": "scam compound",
                                "GPE": "country, region or city", "LOC": "place"}


def entity_title(label: str, text: str, canonical: str | None) -> str:
    """Tooltip of an entity: what kind of name it is, and its canonical form when it differs."""
    kind = f"{ENTITY_NAMES[label]} ({label})" if label in ENTITY_NAMES else label
    return f"{kind} · canonical name: {canonical}" if canonical and canonical != text else kind


def quote_title(speaker: str | None) -> str:
    return f"quote · speaker: {speaker}" if speaker else "quote · speaker unknown"
