"""A self-contained HTML report: inline CSS, the timeline as inline SVG, no script, no external asset.

Every value from the store passes through :func:`~scamtrace.report.safe.el` (escaped); links go only
to http(s) article URLs or to anchors inside the document. A Content-Security-Policy ``<meta>``
forbids scripts and remote loads as a second line of defence when the file is opened in a browser.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from ..views.format import DERIVED_NAME_NOTE, fmt_figure, is_derived_name, story_label
from .data import group_citations
from .safe import Html, el, esc, join

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

CSS = """
:root { --ink:#1d2430; --muted:#5d6778; --line:#dde1e8; --accent:#1f5fbf; --verbatim:#2f7d4f; --truncated:#3d8fa8;
  --excerpt:#8a6fbf; --spun:#c4462b; --rewrite:#c98a12; --origin:#1d2430; --independent:#9aa3b2; }
body { margin:0 auto; max-width:1100px; padding:1.2rem 1.6rem 2rem; color:var(--ink); line-height:1.5;
  font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif; font-size:15px; }
a { color:var(--accent); } h1 { font-size:1.5rem; margin:.3rem 0; } h2 { font-size:1.2rem; margin:1.4rem 0 .5rem; }
h3 { font-size:1rem; margin:1rem 0 .3rem; } .muted, .meta { color:var(--muted); } .small { font-size:.85rem; }
code, .algo { font-family:ui-monospace,"DejaVu Sans Mono",Menlo,monospace; font-size:.85em; }
article.story { border-top:3px solid var(--ink); margin-top:2rem; padding-top:.6rem; }
table { border-collapse:collapse; width:100%; margin:.3rem 0 .8rem; font-size:.92rem; }
th, td { text-align:left; padding:.3rem .45rem; border-bottom:1px solid var(--line); vertical-align:top; }
th { color:var(--muted); font-size:.78rem; text-transform:uppercase; letter-spacing:.03em; }
td.num, th.num { text-align:right; white-space:nowrap; } .nowrap { white-space:nowrap; }
.pill { display:inline-block; padding:0 .5rem; border-radius:999px; background:#eef1f6; font-size:.82rem; }
.pill.warn { background:#fde7e1; color:#8a2a12; } .pill.strong { background:#e3ecfb; color:#163f80; font-weight:600; }
.rel { display:inline-block; padding:0 .4rem; border-radius:4px; color:#fff; font-size:.8rem; font-weight:600;
  background:var(--independent); }
.rel-verbatim { background:var(--verbatim); } .rel-truncated { background:var(--truncated); }
.rel-excerpt { background:var(--excerpt); } .rel-spun { background:var(--spun); }
.rel-rewrite { background:var(--rewrite); } .rel-origin { background:var(--origin); }
.conflict td { background:#fff6f3; } table.side td { width:auto; } blockquote { margin:.5rem 0; padding:.2rem .8rem;
  border-left:3px solid var(--line); } blockquote footer { color:var(--muted); font-size:.88rem; }
ul.cites { margin:.2rem 0 0; padding-left:1.1rem; color:var(--muted); font-size:.86rem; }
svg.timeline { width:100%; height:auto; font-size:11px; } svg .grid { stroke:#e8ebf0; }
svg .lane { stroke:#cfd5de; stroke-dasharray:2 3; } svg .tick { fill:var(--muted); }
svg .lane-label { fill:var(--ink); font-size:12px; } svg .dot { stroke:#fff; stroke-width:1.5; fill:var(--independent); }
svg .k-origin { fill:var(--origin); } svg .k-verbatim { fill:var(--verbatim); } svg .k-truncated { fill:var(--truncated); }
svg .k-excerpt { fill:var(--excerpt); } svg .k-spun { fill:var(--spun); } svg .k-rewrite { fill:var(--rewrite); }
svg .event path { fill:#6b4fa0; } svg .event line { stroke:#6b4fa0; stroke-width:3; }
nav.toc ol { padding-left:1.3rem; } footer.gen { margin-top:2rem; color:var(--muted); font-size:.82rem; }
"""


def anchor(kind: str, key: str) -> str:
    """A fragment id safe for any stored id (hashed: stored ids may contain anything)."""
    return f"{kind}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:12]}"


def _source_label(src: dict[str, Any] | None, aid: str) -> str:
    if not src:
        return aid
    return " · ".join(x for x in (src.get("outlet") or "unknown outlet", (src.get("published") or "")[:10]) if x)


def cite(rep: dict[str, Any], aid: str) -> Html:
    """A citation: the outlet and date linking to the article's URL (http/https only), then a link to
    the article's entry in the report's source list."""
    src = rep["sources"].get(aid)
    label = _source_label(src, aid)
    main = el("a", {"href": src["safe_url"], "rel": "noopener noreferrer"}, label) if src and src["safe_url"] \
        else el("span", None, label)
    return join([main, " ", el("a", {"href": "#" + anchor("src", aid), "class": "small"}, "[", aid, "]")])


def _cites(rep: dict[str, Any], citations: list[dict[str, Any]]) -> Html:
    """Each cited sentence once, then every article that carries it (copies repeat sentences)."""
    items = []
    for g in group_citations(citations):
        per = [" (per ", ", ".join(g["claimants"]), ")"] if g["claimants"] else []
        quote = ["“", g["sentence"], "” — "] if g["sentence"] else []
        items.append(el("li", None, quote, join([cite(rep, a) for a in g["articles"]], "; "), per))
    return el("ul", {"class": "cites"}, items) if items else Html("")


def _rel(relation: str) -> Html:
    return el("span", {"class": f"rel rel-{relation}"}, relation)


# -- sections ----------------------------------------------------------------------------------------
def timeline_svg(tl: dict[str, Any]) -> Html:
    """The ``web.timeline-v1`` geometry as inline SVG; dots link to the article entries below."""
    if tl["empty"]:
        return el("p", {"class": "muted"}, "No article of this story has a publication date.")
    parts: list[Any] = [el("title", None, "Articles of this story over time, one lane per copy family")]
    for t in tl["ticks"]:
        parts.append(el("line", {"class": "grid", "x1": t["x"], "x2": t["x"], "y1": tl["grid_y0"], "y2": tl["grid_y1"]}))
        parts.append(el("text", {"class": "tick", "x": t["x"], "y": tl["axis_y"], "text-anchor": "middle"}, t["label"]))
    if tl["events"]:
        parts.append(el("text", {"class": "lane-label", "x": tl["label_x"], "y": tl["events_y"] + 4,
                                 "text-anchor": "end"}, "events"))
        for e in tl["events"]:
            span = el("line", {"x1": e["x"], "x2": e["x_end"], "y1": e["y"], "y2": e["y"]}) if e["x_end"] > e["x"] else None
            tri = el("path", {"d": f"M{e['x']},{e['y'] - 7} l6,10 l-12,0 z"})
            parts.append(el("g", {"class": "event"}, el("title", None, e["date"], " · ", e["label"]), span, tri))
    for lane in tl["lanes"]:
        parts.append(el("line", {"class": "lane", "x1": tl["x0"], "x2": tl["x1"], "y1": lane["y"], "y2": lane["y"]}))
        parts.append(el("text", {"class": "lane-label", "x": tl["label_x"], "y": lane["y"] + 4, "text-anchor": "end"},
                        lane["label"]))
        for p in lane["points"]:
            dot = el("circle", {"class": f"dot k-{p['kind']}", "cx": p["cx"], "cy": p["cy"], "r": 6},
                     el("title", None, p["title"]))
            parts.append(el("a", {"href": "#" + anchor("src", p["id"])}, dot))
    svg = el("svg", {"class": "timeline", "xmlns": "http://www.w3.org/2000/svg", "role": "img",
                     "viewBox": f"0 0 {tl['width']} {tl['height']}", "width": tl["width"], "height": tl["height"]},
             parts)
    legend = el("p", {"class": "small muted"}, "Dots: articles by publication date (colour: ",
                join([_rel("origin"), " ", _rel("verbatim"), " ", _rel("truncated"), " ", _rel("excerpt"), " ",
                      _rel("spun"), " ", _rel("rewrite"), " grey: independent"]), "); triangles: dated events.")
    undated = el("p", {"class": "small muted"}, f"{len(tl['undated'])} undated article(s) not on the chart.") \
        if tl["undated"] else None
    return join([svg, legend, undated])


def _figures(rep: dict[str, Any]) -> Html:
    if not rep["facts"]:
        return el("p", {"class": "muted"}, "No figure extracted.")
    head = el("tr", None, el("th", None, "Figure"), el("th", None, "Date · place"),
              el("th", {"class": "num"}, "Articles"), el("th", {"class": "num"}, "Independent sources"))
    body = []
    for f in rep["facts"]:
        tag = el("span", {"class": "pill warn"}, "conflict") if f["conflict_group"] else None
        per = el("span", {"class": "muted"}, " per ", ", ".join(f["claimants"])) if f["claimants"] else None
        body.append(el("tr", {"class": "conflict" if f["conflict_group"] else None},
                       el("td", None, el("strong", None, fmt_figure(f["value"], f["unit"])), " ", f["what"], " ", tag,
                          per, _cites(rep, f["citations"]), _disputes(rep, f.get("disputed_by") or [])),
                       el("td", {"class": "nowrap"}, f["date"] or "", el("br"),
                          el("span", {"class": "muted"}, f["place"] or "")),
                       el("td", {"class": "num"}, f["articles"]),
                       el("td", {"class": "num"}, el("span", {"class": "pill strong"}, f["independent_sources"]))))
    return el("table", {"class": "facts"}, el("thead", None, head), el("tbody", None, body))


def _disputes(rep: dict[str, Any], groups: list[dict[str, Any]]) -> Html:
    """Disputes of a figure beside it, one per disputing source (never counted as corroboration)."""
    items = []
    for g in groups:
        vs = el("span", {"class": "muted"}, " (figure of ", g["disputed_claimant"], ")") if g["disputed_claimant"] else None
        items.append(el("p", {"class": "dispute"}, el("span", {"class": "pill warn"}, "disputed"), " by ",
                        el("strong", None, g["claimant"] or "an unnamed source"), vs, ", not counted: “", g["sentence"],
                        "” — ", join([cite(rep, a) for a in g["articles"]], "; ")))
    return join(items) if items else Html("")


def _conflicts(rep: dict[str, Any]) -> Html:
    if not rep["conflicts"]:
        return el("p", {"class": "muted"}, "No conflicting figures.")
    out = []
    for group in rep["conflicts"]:
        cells = [el("td", None, el("strong", None, fmt_figure(f["value"], f["unit"])), " ", f["what"], el("br"),
                    el("span", {"class": "muted small"}, f"{f['articles']} article(s) / {f['independent_sources']} "
                       "independent source(s)", (" · per " + ", ".join(f["claimants"])) if f["claimants"] else "",
                       f" · disputed by {len(f['disputed_by'])}" if f.get("disputed_by") else "",
                       (" · " + f["date"]) if f["date"] else ""),
                    _cites(rep, f["citations"])) for f in group]
        out.append(el("table", {"class": "side"}, el("caption", {"class": "small muted"}, group[0]["what"],
                                                     ": sources disagree (shown side by side, never averaged)"),
                      el("tr", None, cells)))
    return join(out)


def _quotes(rep: dict[str, Any]) -> Html:
    if not rep["quotes"]:
        return el("p", {"class": "muted"}, "No quote extracted.")
    out = []
    for q in rep["quotes"]:
        who = [el("strong", None, q["speaker"]), (", " + q["role"]) if q["role"] else None] if q["speaker"] \
            else [el("em", None, "unattributed")]
        out.append(el("blockquote", None, el("q", None, q["quote"]),
                      el("footer", None, "— ", who, " · in ", join([cite(rep, a) for a in q["articles"]], "; "),
                         f" · {q['independent_sources']} independent source(s)" if "independent_sources" in q else "")))
    return join(out)


def _events(rep: dict[str, Any]) -> Html:
    if not rep["events"]:
        return el("p", {"class": "muted"}, "No event extracted.")
    head = el("tr", None, *(el("th", None, h) for h in ("Date", "Event", "Place", "Actors", "Figures")),
              el("th", {"class": "num"}, "Articles / sources"))
    body = []
    for e in rep["events"]:
        hedged = el("span", {"class": "pill"}, "hedged") if e["hedged"] else None
        figs = ", ".join(fmt_figure(v[0], v[1]) for v in e["figures"] or [] if isinstance(v, (list, tuple)) and len(v) >= 2)
        body.append(el("tr", None, el("td", {"class": "nowrap"}, e["date"] or "undated"),
                       el("td", None, el("strong", None, e["type"]), " ", hedged, _cites(rep, e["citations"])),
                       el("td", None, e["place"] or ""), el("td", None, ", ".join(map(str, e["actors"] or []))),
                       el("td", None, figs), el("td", {"class": "num"}, f"{e['articles']} / {e['independent_sources']}")))
    return el("table", {"class": "events"}, el("thead", None, head), el("tbody", None, body))


def _thread(rep: dict[str, Any]) -> Html:
    """The events of this story's affair in order (``stories.threads-v1``), this one in bold."""
    if not rep.get("thread"):
        return el("p", {"class": "muted"}, "In no thread.")
    items = []
    for t in rep["thread"]:
        label = f"{t['first_seen'] or 'undated'} · {story_label(t['title'], t.get('title_source'), t['story'])} [{t['story']}]"
        items.append(el("li", None, el("strong", None, label) if t["this"] else label))
    return el("ol", {"class": "thread"}, items)


def _actors(rep: dict[str, Any]) -> Html:
    if not rep["actors"]:
        return el("p", {"class": "muted"}, "No actor extracted.")
    items = [el("li", None, el("strong", None, a["name"]), " ",
                el("span", {"class": "muted"}, f"({a['label'].lower()}, {a['mentions']} mention(s) in "
                   f"{a['articles']} article(s))"), (" — " + "; ".join(a["roles"])) if a["roles"] else "")
             for a in rep["actors"]]
    return el("ul", None, items)


def _families(rep: dict[str, Any]) -> Html:
    out = []
    for g in rep["groups"]:
        if g["family"]:
            title = [el("h3", None, "Family ", el("code", None, g["family"]),
                        el("span", {"class": "muted small"}, f" · {len(g['articles'])} article(s)",
                           (f" · original not in the store, credited to {g['origin_credit']}"
                            if not g["origin"] and g["origin_credit"] else "")))]
        else:
            title = [el("h3", None, "Independent article")]
        rows = []
        for a in g["articles"]:
            if a["is_origin"]:
                rel = _rel("origin")
            elif a["links"]:
                rel = join([el("div", None, _rel(ln["relation"]), " ", "sibling of " if ln["sibling"] else "of ",
                               cite(rep, ln["of"]) if ln["of"] in rep["sources"] else el("code", None, ln["of"]),
                               el("span", {"class": "muted small"}, f" score {ln['score']:.3f} · ",
                                  el("span", {"class": "algo"}, ln["algorithm"]), " · judged" if ln["judged"] else ""))
                            for ln in a["links"]])
            else:
                rel = el("span", {"class": "muted"}, "independent")
            rows.append(el("tr", None, el("td", None, cite(rep, a["id"]), el("br"), a["title"] or "untitled"),
                           el("td", None, rel)))
        out.append(join([title, el("table", None, el("thead", None, el("tr", None, el("th", None, "Article"),
                                                                        el("th", None, "Relation"))),
                                    el("tbody", None, rows))]))
    return join(out)


def _source_list(rep: dict[str, Any]) -> Html:
    items = []
    for aid, s in rep["sources"].items():
        link = el("a", {"href": s["safe_url"], "rel": "noopener noreferrer"}, s["safe_url"]) if s["safe_url"] \
            else el("span", {"class": "muted"}, "no web address" if not s["url"] else "address not shown (not http/https)")
        items.append(el("li", {"id": anchor("src", aid)}, el("code", None, aid), " · ", s["outlet"] or "unknown outlet",
                        " · ", s["published"] or "undated", " · ", el("em", None, s["title"] or "untitled"),
                        " · credit ", s["credit"] or "none", " · ", link))
    return el("ol", None, items)


def _name(title: str | None, source: str | None, story_id: str) -> Html | str:
    """A story's name: a derived one in italics, marked (derived name) and explained on hover."""
    if is_derived_name(title, source):
        return el("span", None, el("em", {"title": f"{DERIVED_NAME_NOTE} ({source})"}, title or ""), " (derived name)")
    return title or story_id


def story_section(rep: dict[str, Any]) -> Html:
    """One story as an ``<article>``."""
    dates = rep["first_seen"] or "undated"
    if rep["last_seen"] and rep["last_seen"] != rep["first_seen"]:
        dates += f" → {rep['last_seen']}"
    return el("article", {"class": "story", "id": anchor("story", rep["id"])},
              el("h1", None, _name(rep["title"], rep.get("title_source"), rep["id"])),
              el("p", {"class": "meta"}, el("code", None, rep["id"]), " · ", dates, " · ",
                 el("span", {"class": "pill"}, f"{rep['articles']} articles"), " ",
                 el("span", {"class": "pill strong"}, f"{rep['families']} independent source(s)"), " ",
                 el("span", {"class": "algo"}, rep["algorithm"])),
              el("h2", None, "Timeline"), timeline_svg(rep["timeline"]),
              el("h2", None, "Key figures"), el("p", {"class": "small muted"},
                                                "Articles: how many articles state the figure; independent sources: "
                                                "how many copy families (a wire story and its copies count once)."),
              _figures(rep),
              el("h2", None, "Conflicting figures"), _conflicts(rep),
              el("h2", None, "Events"), _events(rep),
              el("h2", None, "Thread"), _thread(rep),
              el("h2", None, "Quotes"), _quotes(rep),
              el("h2", None, "Actors"), _actors(rep),
              el("h2", None, "Copy families"), _families(rep),
              el("h2", None, "Sources"), _source_list(rep))


def render_html(reports: Sequence[dict[str, Any]], meta: dict[str, Any]) -> str:
    """A whole document for one or more story reports (a table of contents when there are several)."""
    title = (story_label(reports[0]["title"], reports[0].get("title_source"), reports[0]["id"])) if len(reports) == 1 else f"scamtrace: {len(reports)} stories"
    toc = el("nav", {"class": "toc"}, el("h2", None, "Stories"), el("ol", None, [
        el("li", None, el("a", {"href": "#" + anchor("story", r["id"])}, _name(r["title"], r.get("title_source"), r["id"])),
           el("span", {"class": "muted small"}, f" · {r['articles']} articles, {r['families']} independent source(s)"))
        for r in reports])) if len(reports) > 1 else None
    body = el("body", None, toc, [story_section(r) for r in reports],
              el("footer", {"class": "gen"}, f"Generated {meta['generated']} by scamtrace {meta['version']} "
                 f"({meta['algorithm']}). Article text is quoted as published; figures are as reported, not verified."))
    head = el("head", None, el("meta", {"charset": "utf-8"}),
              el("meta", {"http-equiv": "Content-Security-Policy", "content": CSP}),
              el("meta", {"name": "referrer", "content": "no-referrer"}),
              el("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}),
              el("title", None, title), el("style", None, Html(CSS)))
    return "<!DOCTYPE html>\n" + el("html", {"lang": "en"}, head, body) + "\n"


__all__ = ["render_html", "story_section", "timeline_svg", "anchor", "cite", "CSP", "CSS", "esc"]
