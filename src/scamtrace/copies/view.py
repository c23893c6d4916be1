"""Readable views of copy links for people (``scamtrace copies ID``)."""
from __future__ import annotations

import textwrap
from typing import Any

from ..model import Article, Link

MAX_PASSAGES = 3          # side-by-side passages shown per link
MAX_LINES = 8             # wrapped lines per column per passage
FACT_CONTEXT = 70         # characters of context around an aligned fact
TITLE_MAX = 70            # a longer title is cut and ends in "…"


def head_line(a: Article) -> str:
    """One line naming an article: id, title (cut), outlet, date and credit."""
    bits = [a.outlet or "?", a.published.isoformat() if a.published else "undated"]
    if a.credit:
        bits.append(f"credit {a.credit}")
    title = a.title or ""
    if len(title) > TITLE_MAX:
        title = title[:TITLE_MAX - 1].rstrip() + "…"
    return f"{a.id}  \"{title}\"  ({', '.join(bits)})"


def _columns(left: str, right: str, width: int) -> list[str]:
    col = max(20, (width - 3) // 2)
    lw = textwrap.wrap(" ".join(left.split()), col) or [""]
    rw = textwrap.wrap(" ".join(right.split()), col) or [""]
    n = min(MAX_LINES, max(len(lw), len(rw)))
    out = [f"{(lw[i] if i < len(lw) else ''):<{col}} | {rw[i] if i < len(rw) else ''}" for i in range(n)]
    if max(len(lw), len(rw)) > n:
        out.append(f"{'...':<{col}} | ...")
    return out


def _orient(link: Link, ev: dict[str, Any]) -> tuple[str, str]:
    """Which of the pair's texts is 'a' in the evidence offsets: returns (a_id, b_id)."""
    pair = ev.get("pair") or [link.article, link.source or link.sibling]
    return pair[0], pair[1]


def split_substitutions(subs: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """(swapped, dropped, added): substitutions with both sides, with only a ``from`` side (the words
    the other text lacks) and with only a ``to`` side; entries with neither are left out."""
    swapped, dropped, added = [], [], []
    for s in subs:
        f, t = (s.get("from") or "").strip(), (s.get("to") or "").strip()
        if f and t:
            swapped.append(s)
        elif f:
            dropped.append(s)
        elif t:
            added.append(s)
    return swapped, dropped, added


def suspicious_phrases(phrases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Spin phrases worth listing: non-empty, each text once (case-folded), in text order."""
    seen: set[str] = set()
    out = []
    for p in phrases:
        text = " ".join(str(p.get("phrase") or "").split())
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            out.append({**p, "phrase": text})
    return out


def _link_header(link: Link, this: Article, other: Article) -> list[str]:
    """Relation, score, algorithm, judgement and the direction with its first reasons."""
    ev = link.evidence
    kind = "copy of" if link.source else "sibling of"
    if link.article != this.id:
        kind = "copied by" if link.source else "sibling of"
    lines = [f"── {link.relation} {kind} {head_line(other)}",
             f"   score {link.score:.2f}  {link.algorithm}" + (f"  judged: {ev['judgement']}" if ev.get("judgement") else "")]
    d = ev.get("direction") or {}
    if d:
        conf = f" (confidence {d['confidence']})" if d.get("confidence") is not None else ""
        lines.append(f"   direction: {d.get('decided_by') or 'undecided'}{conf}"
                     + (f": {'; '.join(map(str, d.get('reasons', [])[:3]))}" if d.get("reasons") else ""))
    return lines


def _link_stats(feats: dict[str, Any], a_id: str) -> list[str]:
    """Coverage, substitutions (swapped, dropped, added words) and aligned facts of a link."""
    lines = []
    pas = feats.get("passages") or {}
    if pas:
        lines.append(f"   coverage: {pas.get('coverage_a', 0):.2f} of {a_id}, {pas.get('coverage_b', 0):.2f} of the other; "
                     f"{pas.get('passages', 0)} shared passages, longest {pas.get('longest_words', 0)} words")
    subs = ((feats.get("substitution_rate") or {}).get("evidence") or {}).get("substitutions") or []
    swapped, dropped, added = split_substitutions(subs)
    times = lambda s: f" ×{s['count']}" if s.get("count", 1) > 1 else ""  # noqa: E731
    if swapped:
        shown = ", ".join(f"{s['from']} → {s['to']}{times(s)}" for s in swapped[:15])
        lines.append(f"   substitutions ({len(swapped)}): {shown}")
    if dropped or added:
        bits = ([f"dropped: {', '.join(s['from'] + times(s) for s in dropped[:10])}"] if dropped else []) + \
               ([f"added: {', '.join(s['to'] + times(s) for s in added[:10])}"] if added else [])
        lines.append(f"   words {'; '.join(bits)}")
    facts = ((feats.get("fact_lcs") or {}).get("evidence") or {})
    if facts.get("aligned"):
        lines.append(f"   aligned facts: {len(facts['aligned'])} of {facts.get('facts_a')} / {facts.get('facts_b')}: "
                     + ", ".join(f["value"] for f in facts["aligned"][:12]))
    return lines


def _side_by_side(feats: dict[str, Any], a_text: str, b_text: str, src_is_a: bool, width: int) -> list[str]:
    """The longest shared passages side by side, else the aligned facts in context."""
    lines = []
    pas = feats.get("passages") or {}
    facts = ((feats.get("fact_lcs") or {}).get("evidence") or {})
    spans = sorted(pas.get("spans") or [], key=lambda s: -s.get("words", 0))[:MAX_PASSAGES]
    if spans and max(s.get("words", 0) for s in spans) >= 8:
        for s in spans:
            left = a_text[s["a"][0]:s["a"][1]] if src_is_a else b_text[s["b"][0]:s["b"][1]]
            right = b_text[s["b"][0]:s["b"][1]] if src_is_a else a_text[s["a"][0]:s["a"][1]]
            lines += ["   " + ln for ln in _columns(left, right, width - 3)]
            lines.append("")
        return lines
    for f in (facts.get("aligned") or [])[:MAX_PASSAGES]:
        fa, fb = f["a"], f["b"]
        ctx_a = a_text[max(0, fa[0] - FACT_CONTEXT):fa[1] + FACT_CONTEXT]
        ctx_b = b_text[max(0, fb[0] - FACT_CONTEXT):fb[1] + FACT_CONTEXT]
        left, right = (ctx_a, ctx_b) if src_is_a else (ctx_b, ctx_a)
        lines += ["   " + ln for ln in _columns("…" + left + "…", "…" + right + "…", width - 3)]
        lines.append("")
    return lines


def render_link(link: Link, this: Article, other: Article, width: int) -> list[str]:
    """One link as text: header, direction, coverage, substitutions, facts, passages side by side."""
    ev = link.evidence
    feats = ev.get("features", {})
    lines = _link_header(link, this, other)
    a_id, _ = _orient(link, ev)
    texts = {this.id: this.text, other.id: other.text}
    a_text, b_text = (texts.get(a_id, this.text), other.text if a_id == this.id else this.text)
    lines += _link_stats(feats, a_id)
    lines.append(f"   {'SOURCE / OTHER':<{max(20, (width - 3) // 2)}} | THIS ARTICLE")
    return lines + _side_by_side(feats, a_text, b_text, a_id == other.id, width)
