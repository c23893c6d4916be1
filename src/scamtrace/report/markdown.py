"""The same report as Markdown (GitHub-flavoured tables). Untrusted text goes through
:func:`~scamtrace.report.safe.md` (no raw HTML, no Markdown syntax); links only to http(s) URLs."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..views.format import DERIVED_NAME_NOTE, fmt_figure, is_derived_name
from .data import group_citations
from .safe import md, md_link


def _cite(rep: dict[str, Any], aid: str) -> str:
    src = rep["sources"].get(aid)
    label = " · ".join(x for x in ((src or {}).get("outlet") or "unknown outlet",
                                   ((src or {}).get("published") or "")[:10]) if x) if src else aid
    return f"{md_link(label, (src or {}).get('safe_url'))} \\[{md(aid)}\\]"


def _cite_lines(rep: dict[str, Any], citations: list[dict[str, Any]], indent: str = "  ") -> list[str]:
    """Each cited sentence once, then every article that carries it."""
    out = []
    for g in group_citations(citations):
        per = f" (per {md(', '.join(g['claimants']))})" if g["claimants"] else ""
        said = f"“{md(g['sentence'])}” — " if g["sentence"] else ""
        out.append(f"{indent}- {said}{'; '.join(_cite(rep, a) for a in g['articles'])}{per}")
    return out


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _figures(rep: dict[str, Any]) -> list[str]:
    if not rep["facts"]:
        return ["_No figure extracted._"]
    out: list[str] = []
    for f in rep["facts"]:
        flag = " **(conflict)**" if f["conflict_group"] else ""
        per = f" per {md(', '.join(f['claimants']))}" if f["claimants"] else ""
        when = " · ".join(md(x) for x in (f["date"], f["place"]) if x)
        out.append(f"- **{md(fmt_figure(f['value'], f['unit']))}** {md(f['what'])}{flag}{per}"
                   f"{f' ({when})' if when else ''} — {f['articles']} article(s) / "
                   f"{f['independent_sources']} independent source(s)")
        out += _cite_lines(rep, f["citations"])
        out += _dispute_lines(rep, f.get("disputed_by") or [])
    return out


def _dispute_lines(rep: dict[str, Any], groups: list[dict[str, Any]], indent: str = "  ") -> list[str]:
    """Disputes of a figure, one line per disputing source (never counted as corroboration)."""
    out = []
    for g in groups:
        vs = f" (figure of {md(g['disputed_claimant'])})" if g["disputed_claimant"] else ""
        out.append(f"{indent}- **disputed** by {md(g['claimant'] or 'an unnamed source')}{vs}, not counted: "
                   f"“{md(g['sentence'])}” — {'; '.join(_cite(rep, a) for a in g['articles'])}")
    return out


def _conflicts(rep: dict[str, Any]) -> list[str]:
    if not rep["conflicts"]:
        return ["_No conflicting figures._"]
    out: list[str] = []
    for group in rep["conflicts"]:
        out += [f"**{md(group[0]['what'])}**: sources disagree (side by side, never averaged)", ""]
        out.append(_row([md(fmt_figure(f["value"], f["unit"])) for f in group]))
        out.append(_row(["---"] * len(group)))
        out.append(_row([f"{f['articles']} art. / {f['independent_sources']} src."
                         + (f" per {md(', '.join(f['claimants']))}" if f["claimants"] else "")
                         + (f", disputed by {len(f['disputed_by'])}" if f.get("disputed_by") else "")
                         for f in group]))
        out.append(_row(["; ".join(_cite(rep, c["article"]) for c in f["citations"]) for f in group]))
        out.append("")
    return out


def _thread(rep: dict[str, Any]) -> list[str]:
    """The events of this story's affair in order (``stories.threads-v1``), this one in bold."""
    if not rep.get("thread"):
        return ["_In no thread._"]
    out = []
    for t in rep["thread"]:
        line = f"{md(t['first_seen'] or 'undated')} · {_name(t['title'], t.get('title_source'), t['story'])} \\[{md(t['story'])}\\]"
        out.append(f"{t['position']}. {'**' + line + '**' if t['this'] else line}")
    return out


def _events(rep: dict[str, Any]) -> list[str]:
    if not rep["events"]:
        return ["_No event extracted._"]
    out = []
    for e in rep["events"]:
        bits = [md(e["date"] or "undated"), f"**{md(e['type'])}**"]
        if e["place"]:
            bits.append(f"in {md(e['place'])}")
        if e["hedged"]:
            bits.append("(hedged)")
        if e["actors"]:
            bits.append(f"— actors: {md(', '.join(map(str, e['actors'])))}")
        figs = [fmt_figure(v[0], v[1]) for v in e["figures"] or [] if isinstance(v, (list, tuple)) and len(v) >= 2]
        if figs:
            bits.append(f"— figures: {md(', '.join(figs))}")
        bits.append(f"— {e['articles']} article(s) / {e['independent_sources']} independent source(s)")
        out.append("- " + " ".join(bits))
        out += _cite_lines(rep, e["citations"])
    return out


def _quotes(rep: dict[str, Any]) -> list[str]:
    if not rep["quotes"]:
        return ["_No quote extracted._"]
    out = []
    for q in rep["quotes"]:
        who = f"**{md(q['speaker'])}**" + (f", {md(q['role'])}" if q["role"] else "") if q["speaker"] else "_unattributed_"
        src = f" — {q['independent_sources']} independent source(s)" if "independent_sources" in q else ""
        out += [f"> “{md(q['quote'])}”", ">", f"> — {who}, in {'; '.join(_cite(rep, a) for a in q['articles'])}{src}",
                ""]
    return out


def _actors(rep: dict[str, Any]) -> list[str]:
    if not rep["actors"]:
        return ["_No actor extracted._"]
    return [f"- **{md(a['name'])}** ({md(a['label'].lower())}, {a['mentions']} mention(s) in {a['articles']} article(s))"
            + (f" — {md('; '.join(a['roles']))}" if a["roles"] else "") for a in rep["actors"]]


def _families(rep: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for g in rep["groups"]:
        if g["family"]:
            absent = (f" · original not in the store, credited to {md(g['origin_credit'])}"
                      if not g["origin"] and g["origin_credit"] else "")
            out.append(f"### Family {md(g['family'])} · {len(g['articles'])} article(s){absent}")
        else:
            out.append("### Independent article")
        out += ["", _row(["Article", "Relation"]), _row(["---", "---"])]
        for a in g["articles"]:
            if a["is_origin"]:
                rel = "**original**"
            elif a["links"]:
                rel = "<br>".join(
                    f"**{md(ln['relation'])}** {'sibling of' if ln['sibling'] else 'of'} "
                    f"{_cite(rep, ln['of']) if ln['of'] in rep['sources'] else md(ln['of'])}"
                    f" (score {ln['score']:.3f}, {md(ln['algorithm'])}{', judged' if ln['judged'] else ''})"
                    for ln in a["links"])
            else:
                rel = "independent"
            out.append(_row([f"{_cite(rep, a['id'])} — {md(a['title'] or 'untitled')}", rel]))
        out.append("")
    return out


def _sources(rep: dict[str, Any]) -> list[str]:
    out = []
    for i, (aid, s) in enumerate(rep["sources"].items(), 1):
        where = md_link(s["safe_url"], s["safe_url"]) if s["safe_url"] else \
            ("no web address" if not s["url"] else "address not shown (not http/https)")
        out.append(f"{i}. {md(aid)} · {md(s['outlet'] or 'unknown outlet')} · "
                   f"{md(s['published'] or 'undated')} · _{md(s['title'] or 'untitled')}_ · "
                   f"credit {md(s['credit'] or 'none')} · {where}")
    return out


def _name(title: str | None, source: str | None, story_id: str) -> str:
    """A story's name in Markdown: a derived one in italics, marked (derived name)."""
    if is_derived_name(title, source):
        return f"_{md(title or '')}_ (derived name)"
    return md(title or story_id)


def story_markdown(rep: dict[str, Any]) -> list[str]:
    """One story as Markdown lines."""
    dates = rep["first_seen"] or "undated"
    if rep["last_seen"] and rep["last_seen"] != rep["first_seen"]:
        dates += f" → {rep['last_seen']}"
    out = [f"# {_name(rep['title'], rep.get('title_source'), rep['id'])}", "",
           *([f"_({md(DERIVED_NAME_NOTE)}, {md(rep['title_source'])})_", ""]
             if is_derived_name(rep["title"], rep.get("title_source")) else []),
           f"{md(rep['id'])} · {md(dates)} · {rep['articles']} articles · "
           f"**{rep['families']} independent source(s)** · {md(rep['algorithm'])}", ""]
    for heading, lines in (("Key figures", _figures(rep)), ("Conflicting figures", _conflicts(rep)),
                           ("Events", _events(rep)), ("Thread", _thread(rep)), ("Quotes", _quotes(rep)),
                           ("Actors", _actors(rep)),
                           ("Copy families", _families(rep)), ("Sources", _sources(rep))):
        out += [f"## {heading}", "", *lines, ""]
    return out


def render_markdown(reports: Sequence[dict[str, Any]], meta: dict[str, Any]) -> str:
    """A whole Markdown document for one or more story reports."""
    out: list[str] = []
    if len(reports) > 1:
        out += [f"# scamtrace: {len(reports)} stories", ""]
        out += [f"{i}. {_name(r['title'], r.get('title_source'), r['id'])} ({r['articles']} articles, {r['families']} independent source(s))"
                for i, r in enumerate(reports, 1)]
        out.append("")
    for r in reports:
        out += story_markdown(r) + ["---", ""]
    out.append(f"_Generated {md(meta['generated'])} by scamtrace {md(meta['version'])} ({md(meta['algorithm'])}). "
               "Article text is quoted as published; figures are as reported, not verified._")
    return "\n".join(out) + "\n"
