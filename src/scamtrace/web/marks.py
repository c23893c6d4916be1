"""Turn an article text plus character ranges (passages, substitutions, facts, spinner phrases) into
paragraphs of plain-text segments with mark kinds, for templates to render *escaped*.

Nothing here produces HTML: a segment is ``{"text", "kinds", "title", "ref"}`` and the template wraps
marked segments in ``<mark>`` with autoescaped attributes, so untrusted article text never reaches
the page as markup. Offsets are character offsets into ``Article.text`` (end-exclusive), the
convention of every copy-evidence record.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

from ..model import Article, Link

#: Mark kinds and what they mean; the CSS gives each a class ``mk-<kind>``.
MARK_KINDS: dict[str, str] = {
    "passage": "passage shared word for word with the other article",
    "sub": "word swapped by a synonym spinner",
    "fact": "number or name aligned with the other article",
    "spin": "phrase that looks machine-spun",
}
#: Substitution phrases shorter than this are not searched in the text (too many false hits).
MIN_SUB_CHARS = 3
#: At most this many occurrences of one substitution phrase are marked per text.
MAX_SUB_HITS = 6
_PARA = re.compile(r"\n\s*\n")


@dataclass(frozen=True, slots=True)
class Mark:
    start: int
    end: int
    kind: str
    title: str = ""
    ref: str = ""


class Segment(TypedDict):
    text: str
    kinds: list[str]
    title: str
    ref: str


Paragraph = list[Segment]


def _clip(marks: list[Mark], n: int) -> list[Mark]:
    """Marks inside [0, n) with start < end; anything out of range is dropped, never trusted."""
    out = []
    for m in marks:
        s, e = max(0, int(m.start)), min(n, int(m.end))
        if s < e and m.kind in MARK_KINDS:
            out.append(Mark(s, e, m.kind, m.title, m.ref))
    return out


def segment(text: str, marks: list[Mark]) -> list[Paragraph]:
    """Split ``text`` into paragraphs (blank-line separated) of segments carrying the marks over them.

    Overlapping marks are merged per segment (``kinds`` lists every kind covering it). The
    concatenated segment texts of a paragraph equal the paragraph's text exactly.
    """
    marks = _clip(marks, len(text))
    paragraphs: list[Paragraph] = []
    pos = 0
    spans = []
    for m in _PARA.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    for ps, pe in spans:
        if ps >= pe:
            continue
        inside = [m for m in marks if m.start < pe and m.end > ps]
        cuts = sorted({ps, pe, *(max(ps, m.start) for m in inside), *(min(pe, m.end) for m in inside)})
        para: Paragraph = []
        for s, e in zip(cuts, cuts[1:]):
            cover = [m for m in inside if m.start <= s and m.end >= e]
            para.append({"text": text[s:e], "kinds": sorted({m.kind for m in cover}),
                         "title": "; ".join(dict.fromkeys(m.title for m in cover if m.title)),
                         "ref": next((m.ref for m in cover if m.ref), "")})
        paragraphs.append(para)
    return paragraphs


def spin_marks(phrases: list[dict[str, Any]]) -> list[Mark]:
    """Marks for the spinner-looking phrases of ``spin`` evidence (each with a ``span``)."""
    marks = []
    for p in phrases:
        span = p.get("span") or []
        if len(span) == 2:
            usual = p.get("original")
            marks.append(Mark(span[0], span[1], "spin", f"looks spun; usual wording: {usual}" if usual else "looks spun"))
    return marks


def article_marks(text: str, phrases: list[dict[str, Any]]) -> list[Paragraph]:
    """An article's paragraphs with its spinner-looking phrases (``spin`` evidence) marked."""
    return segment(text, spin_marks(phrases))


def _phrase_hits(text: str, phrase: str, avoid: list[tuple[int, int]]) -> list[tuple[int, int]]:
    words = phrase.split()
    if len(phrase) < MIN_SUB_CHARS or not words:
        return []
    pat = re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)", re.IGNORECASE)
    hits = []
    for m in pat.finditer(text):
        if not any(s < m.end() and m.start() < e for s, e in avoid):
            hits.append((m.start(), m.end()))
        if len(hits) >= MAX_SUB_HITS:
            break
    return hits


def _passage_marks(pas: Mapping[str, Any], mine: str, theirs: str) -> tuple[list[Mark], list[Mark]]:
    """Shared passages (``features.passages.spans``), numbered in the order of side ``a``."""
    m_this: list[Mark] = []
    m_other: list[Mark] = []
    for n, s in enumerate(sorted(pas.get("spans") or [], key=lambda s: s["a"][0]), 1):
        title = f"shared passage {n} ({s.get('words', '?')} words)"
        m_this.append(Mark(s[mine][0], s[mine][1], "passage", title, f"p{n}"))
        m_other.append(Mark(s[theirs][0], s[theirs][1], "passage", title, f"p{n}"))
    return m_this, m_other


def _fact_marks(aligned: Sequence[Mapping[str, Any]], mine: str, theirs: str) -> tuple[list[Mark], list[Mark]]:
    """Facts aligned on both sides (``features.fact_lcs.evidence.aligned``)."""
    m_this: list[Mark] = []
    m_other: list[Mark] = []
    for f in aligned:
        title = f"aligned {f.get('kind', 'fact')}: {f.get('value')}"
        if f.get(mine) and f.get(theirs):
            m_this.append(Mark(f[mine][0], f[mine][1], "fact", title))
            m_other.append(Mark(f[theirs][0], f[theirs][1], "fact", title))
    return m_this, m_other


def _sub_marks(subs: Sequence[Mapping[str, Any]], text: str, avoid: list[tuple[int, int]], *,
               from_side: bool) -> list[Mark]:
    """Each substitution's phrase (its ``from`` when ``from_side``, else its ``to``) located in ``text``
    outside the shared passages ``avoid``."""
    out: list[Mark] = []
    for s in subs:
        frm, to = str(s.get("from") or ""), str(s.get("to") or "")
        title = f"swap: “{frm or '∅'}” ↔ “{to or '∅'}”"
        out += [Mark(a, b, "sub", title) for a, b in _phrase_hits(text, frm if from_side else to, avoid)]
    return out


def _word_sides(subs: Sequence[Mapping[str, Any]], this_is_a: bool) -> list[dict[str, Any]]:
    """Each substitution as the words of this side and of the other side (either may be empty)."""
    mine, theirs = ("from", "to") if this_is_a else ("to", "from")
    return [{"this": str(s.get(mine) or "").strip(), "other": str(s.get(theirs) or "").strip(),
             "count": s.get("count", 1)} for s in subs]


def _role(link: Link, this: Article) -> str:
    if link.article != this.id:
        return "copied by"
    return "copy of" if link.source else "sibling of"


def _summary(article: Article) -> dict[str, Any]:
    return {"id": article.id, "title": article.title, "outlet": article.outlet,
            "published": article.published.isoformat() if article.published else None, "credit": article.credit}


def _evidence_parts(ev: Mapping[str, Any]) -> tuple[dict, list, list]:
    """The passages, the aligned facts and the substitutions of a link's evidence (empty when absent)."""
    feats = ev.get("features") or {}
    pas = feats.get("passages") or {}
    facts = (feats.get("fact_lcs") or {}).get("evidence") or {}
    subs = ((feats.get("substitution_rate") or {}).get("evidence") or {}).get("substitutions") or []
    return pas, facts.get("aligned") or [], subs


def link_sides(link: Link, this: Article, other: Article, this_marks: Sequence[Mark] = ()) -> dict[str, Any]:
    """One copy link seen from ``this`` article: evidence summary and both texts with marks.

    ``evidence["pair"]`` says which article is ``a`` in the offsets; passages and facts are mapped
    onto each side, substitutions (``from`` in ``a``, ``to`` in ``b``) are located by phrase.
    ``this_marks`` are added to this article's side (its spinner phrases).
    """
    ev = link.evidence or {}
    pair = ev.get("pair") or [link.article, link.source or link.sibling]
    this_is_a = pair[0] == this.id
    mine, theirs = ("a", "b") if this_is_a else ("b", "a")
    pas, aligned, subs = _evidence_parts(ev)
    p_this, p_other = _passage_marks(pas, mine, theirs)
    f_this, f_other = _fact_marks(aligned, mine, theirs)
    m_this: list[Mark] = [*this_marks, *p_this, *f_this]
    m_other: list[Mark] = [*p_other, *f_other]
    avoid_this = [(m.start, m.end) for m in m_this if m.kind == "passage"]
    avoid_other = [(m.start, m.end) for m in m_other if m.kind == "passage"]
    m_this += _sub_marks(subs, this.text, avoid_this, from_side=this_is_a)
    m_other += _sub_marks(subs, other.text, avoid_other, from_side=not this_is_a)
    # words swapped (both sides), and words only one text has (an empty side is not a swap)
    sides = _word_sides(subs, this_is_a)
    return {
        "other": _summary(other),
        "role": _role(link, this),
        "relation": link.relation, "score": round(link.score, 4), "algorithm": link.algorithm,
        "judgement": ev.get("judgement"), "direction": ev.get("direction") or {},
        "coverage": {"this": pas.get(f"coverage_{mine}"), "other": pas.get(f"coverage_{theirs}"),
                     "passages": pas.get("passages", 0), "longest_words": pas.get("longest_words", 0)},
        "substitutions": [x for x in sides if x["this"] and x["other"]],
        "only_this": [x for x in sides if x["this"] and not x["other"]],
        "only_other": [x for x in sides if x["other"] and not x["this"]],
        "facts": [{"kind": f.get("kind"), "value": f.get("value")} for f in aligned],
        "this_paragraphs": segment(this.text, m_this),
        "other_paragraphs": segment(other.text, m_other),
    }
