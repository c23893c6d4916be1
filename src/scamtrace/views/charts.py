"""Presentation-neutral chart layouts (the web page and the report both draw them) for the inline SVG charts (``web.timeline-v1``, ``web.provenance-layout-v1``).

Functions return geometry (numbers and plain strings) that a Jinja template turns into SVG elements
with autoescaping, so no article text is ever concatenated into markup here. Colours come from CSS
classes (``rel-<relation>``), not inline styles, because the CSP forbids inline styles.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict, deque
from collections.abc import Callable
from typing import Any

TIMELINE_ALGORITHM = "web.timeline-v2"   # v2: axis from the articles, lanes by outlet, absent originals named
PROVENANCE_ALGORITHM = "web.provenance-layout-v1"

# timeline geometry (px)
TL_WIDTH = 900
TL_LABEL = 190        # left gutter for lane labels
TL_RIGHT = 30
TL_TOP = 34           # room for the axis labels
TL_LANE = 30
TL_TICKS = 6

# provenance geometry (px)
PV_NODE_W = 250
PV_NODE_H = 44
PV_COL_GAP = 120
PV_ROW_GAP = 14
PV_PAD = 16
PV_MAX_LABEL = 34
PV_LINE2 = 38         # characters of the second node line (date + title) that fit the box
PV_LABEL_INSET = 42   # edge label centre: this far left of the copy's box


def _day(v: Any) -> dt.date | None:
    if not isinstance(v, str) or len(v) < 10:
        return None
    try:
        return dt.date.fromisoformat(v[:10])
    except ValueError:
        return None


def _short(s: str | None, n: int = PV_MAX_LABEL) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _events(story: dict[str, Any]) -> list[tuple[dt.date, dt.date, str]]:
    """Dated story events (knowledge brief) as (start, end, label); a day has start == end."""
    out = []
    for e in (story.get("knowledge") or {}).get("events") or []:
        d = _day(e.get("date_start") or e.get("date"))
        if d:
            end = max(d, _day(e.get("date_end")) or d)
            where = f" in {e['place']}" if e.get("place") else ""
            n = e.get("independent_sources", "?")
            out.append((d, end, f"{e.get('type') or 'event'}{where} ({n} source{'' if n == 1 else 's'})"))
    return out


#: The timeline axis spans the articles' dates and the events that lie wholly within this many days of
#: them; any other event (a month-long background event, an old arrest) is clipped to the axis and
#: says so, so it no longer squeezes the articles into a sliver (set by eye on the demo stories).
TL_EVENT_REACH_DAYS = 7


def _lane_label(g: dict[str, Any]) -> str:
    """A family's lane: its original's outlet; a wire credit when the original is absent; else the
    first member's outlet or id."""
    origin = next((a["outlet"] for a in g["articles"] if a["is_origin"] and a["outlet"]), None)
    if origin:
        return origin
    if g.get("origin_credit"):
        return f"{g['origin_credit']} (original absent)"
    return g["articles"][0]["outlet"] or g["articles"][0]["id"]


def _timeline_lanes(story: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dt.date], list[str]]:
    """One lane per lane label (a copy family, or several of one outlet) with its dated article
    points; the articles' dates; the ids of undated articles."""
    lanes: list[dict[str, Any]] = []
    by_label: dict[str, dict[str, Any]] = {}
    article_dates: list[dt.date] = []
    undated = []
    for g in story["groups"]:
        label = _short(_lane_label(g), 26)
        lane = by_label.get(label)
        if lane is None:
            lane = by_label[label] = {"label": label, "family": g["family"], "families": [], "points": []}
            lanes.append(lane)
        lane["families"].append(g["family"])
        pts = lane["points"]
        for a in g["articles"]:
            d = _day(a["published"])
            if d is None:
                undated.append(a["id"])
                continue
            article_dates.append(d)
            kind = "origin" if a["is_origin"] else ((a["link"] or {}).get("relation") or "independent")
            pts.append({"date": d, "id": a["id"], "kind": kind,
                        "title": f"{a['published'][:10]} · {a['outlet'] or 'unknown outlet'} · {kind} · {a['title'] or a['id']}"})
    return lanes, article_dates, undated


def _axis_dates(article_dates: list[dt.date], events: list[tuple[dt.date, dt.date, str]]) -> list[dt.date]:
    """The dates the axis spans: the articles' and those of the events near them (all events' when
    no article is dated)."""
    if not article_dates:
        return [d for s, e, _ in events for d in (s, e)]
    reach = dt.timedelta(days=TL_EVENT_REACH_DAYS)
    alo, ahi = min(article_dates), max(article_dates)
    return article_dates + [d for s, e, _ in events if s >= alo - reach and e <= ahi + reach for d in (s, e)]


def _ticks(lo: dt.date, hi: dt.date, x: Callable[[dt.date], float]) -> list[dict[str, Any]]:
    step = max(1, round((hi - lo).days / TL_TICKS))
    ticks = []
    d = lo
    while d <= hi:
        ticks.append({"x": x(d), "label": d.isoformat()})
        d += dt.timedelta(days=step)
    if (hi - (d - dt.timedelta(days=step))).days * 2 > step:   # label the end when the last tick is far from it
        ticks.append({"x": x(hi), "label": hi.isoformat()})
    return ticks


def _placed_lanes(lanes: list[dict[str, Any]], top: float, x: Callable[[dt.date], float]) -> list[dict[str, Any]]:
    """Each lane at its height, its points placed (several on one day stacked to the right)."""
    stack: dict[tuple[int, dt.date], int] = defaultdict(int)
    out = []
    for i, lane in enumerate(lanes):
        y = top + TL_LANE * i + TL_LANE / 2
        pts = []
        for p in lane["points"]:
            k = stack[(i, p["date"])]
            stack[(i, p["date"])] += 1
            pts.append({**p, "date": p["date"].isoformat(), "cx": round(x(p["date"]) + 9 * k, 1), "cy": y})
        out.append({**lane, "y": y, "points": pts})
    return out


def _placed_event(s: dt.date, e: dt.date, label: str, lo: dt.date, hi: dt.date, y: float,
                  x: Callable[[dt.date], float]) -> dict[str, Any]:
    if e < lo or s > hi:   # wholly outside the articles' dates: at the edge, marked
        edge = lo if e < lo else hi
        label += f", {'before' if e < lo else 'after'} the articles"
        s2 = e2 = edge
    else:
        s2, e2 = max(s, lo), min(e, hi)
    return {"x": x(s2), "x_end": x(e2), "y": y, "label": label,
            "date": s.isoformat() if s == e else f"{s.isoformat()}/{e.isoformat()}", "clipped": (s2, e2) != (s, e)}


def timeline(story: dict[str, Any]) -> dict[str, Any]:
    """Lanes of dated article dots on a shared date axis, events on top (``web.timeline-v2``).

    One lane per copy family, except that families whose lanes carry the same label (several
    independent articles of one outlet) share one lane. The axis spans the articles' dates and the
    events near them (``TL_EVENT_REACH_DAYS``); an event outside it is drawn at the edge, clipped, and
    its label says it lies before or after the articles."""
    lanes, article_dates, undated = _timeline_lanes(story)
    events = _events(story)
    dated = _axis_dates(article_dates, events)
    has_events = bool(events)
    top = TL_TOP + (TL_LANE if has_events else 0)
    height = top + TL_LANE * max(1, len(lanes)) + 10
    out: dict[str, Any] = {"algorithm": TIMELINE_ALGORITHM, "width": TL_WIDTH, "height": height,
                           "label_x": TL_LABEL - 10, "x0": TL_LABEL, "x1": TL_WIDTH - TL_RIGHT,
                           "lanes": [], "ticks": [], "events": [], "undated": undated, "empty": not dated}
    if not dated:
        return out
    lo, hi = min(dated), max(dated)
    if lo == hi:
        lo, hi = lo - dt.timedelta(days=1), hi + dt.timedelta(days=1)
    span = (hi - lo).days

    def x(d: dt.date) -> float:
        return round(TL_LABEL + (TL_WIDTH - TL_LABEL - TL_RIGHT) * (d - lo).days / span, 1)

    out["ticks"] = _ticks(lo, hi, x)
    out["lanes"] = _placed_lanes(lanes, top, x)
    if has_events:
        y = TL_TOP + TL_LANE / 2
        out["events"] = [_placed_event(s, e, label, lo, hi, y, x) for s, e, label in events]
        out["events_y"] = y
    out["axis_y"] = TL_TOP - 12
    out["grid_y0"], out["grid_y1"] = TL_TOP - 6, height - 6
    return out


def _depths(nodes: list[str], edges: list[dict[str, Any]], root: str) -> dict[str, int]:
    """Column of each node: hops from the root along source edges; unreached nodes go to column 1."""
    children: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        if not e["sibling"]:
            children[e["from"]].append(e["to"])
    depth = {root: 0}
    queue = deque([root])
    while queue:
        n = queue.popleft()
        for c in children[n]:
            if c not in depth:
                depth[c] = depth[n] + 1
                queue.append(c)
    for n in nodes:
        depth.setdefault(n, 1)
    return depth


def _with_absent_origin(family: dict[str, Any], nodes: dict[str, Any], edges: list[dict[str, Any]],
                        ids: list[str], root: str) -> None:
    """A family whose original is not in the store gets a ghost node for it, and an implied edge from
    it to each article no other edge reaches."""
    credit = family.get("origin_credit")
    nodes[root] = {"id": root, "outlet": "original not in store", "ghost": True,
                   "published": None, "title": f"credited to {credit}" if credit else "uncredited"}
    incoming = {e["to"] for e in edges if not e["sibling"]}
    for n in ids:
        if n not in incoming:
            edges.append({"from": root, "to": n, "relation": "credit " + credit if credit else "unknown",
                          "sibling": False, "implied": True})


def _node_box(n: str, x: float, y: float, meta: dict[str, Any], origin: str | None) -> dict[str, Any]:
    outlet = (meta.get("outlet") or "unknown outlet") + (" (quotes it; own family)" if meta.get("outside") else "")
    return {"id": n, "x": x, "y": y, "w": PV_NODE_W, "h": PV_NODE_H,
            "ghost": bool(meta.get("ghost")), "origin": n == origin, "outside": bool(meta.get("outside")),
            "line1": _short(outlet),
            "line2": _short(" · ".join(x for x in (meta.get("published"), meta.get("title") or n) if x), PV_LINE2),
            "title": f"{meta.get('outlet') or ''} {meta.get('published') or ''} {meta.get('title') or n}"}


def _edge_path(e: dict[str, Any], pos: dict[str, tuple[float, float]]) -> dict[str, Any]:
    (fx, fy), (tx, ty) = pos[e["from"]], pos[e["to"]]
    if e["sibling"]:   # same column: a bracket on the right-hand side
        x = fx + PV_NODE_W
        y1, y2 = fy + PV_NODE_H / 2, ty + PV_NODE_H / 2
        path = f"M{x},{y1} C{x + 50},{y1} {x + 50},{y2} {x},{y2}"
        lx, ly = x + 44, (y1 + y2) / 2
    else:
        x1, y1 = fx + PV_NODE_W, fy + PV_NODE_H / 2
        x2, y2 = tx, ty + PV_NODE_H / 2
        mid = (x1 + x2) / 2
        path = f"M{x1},{y1} C{mid},{y1} {mid},{y2} {x2 - 6},{y2}"
        lx, ly = x2 - PV_LABEL_INSET, y2 - 5    # near the copy, so fanned-out labels never collide
    return {"d": path, "label": e["relation"], "lx": lx, "ly": ly, "sibling": e["sibling"],
            "implied": bool(e.get("implied")), "judged": e.get("judged"),
            "cls": "rel-" + (e["relation"] if not e.get("implied") else "implied")}


def provenance_layout(family: dict[str, Any]) -> dict[str, Any]:
    """Columns of nodes (original left, copies right) and labelled edges for one family."""
    ids = [n["id"] for n in family["nodes"]]
    root = family["origin"] or f"absent:{family['id']}"
    edges = list(family["edges"])
    nodes = {n["id"]: n for n in family["nodes"]}
    if family["origin"] is None:
        _with_absent_origin(family, nodes, edges, ids, root)
    depth = _depths(list(nodes), edges, root)
    cols: dict[int, list[str]] = defaultdict(list)
    for n in [root] + [i for i in ids if i != root]:
        cols[depth[n]].append(n)
    pos: dict[str, tuple[float, float]] = {}
    for c, members in cols.items():
        for r, n in enumerate(members):
            pos[n] = (PV_PAD + c * (PV_NODE_W + PV_COL_GAP), PV_PAD + r * (PV_NODE_H + PV_ROW_GAP))
    rows = max(len(m) for m in cols.values())
    width = PV_PAD * 2 + (max(cols) + 1) * PV_NODE_W + max(cols) * PV_COL_GAP
    height = PV_PAD * 2 + rows * PV_NODE_H + (rows - 1) * PV_ROW_GAP
    out_nodes = [_node_box(n, x, y, nodes[n], family["origin"]) for n, (x, y) in pos.items()]
    out_edges = [_edge_path(e, pos) for e in edges if e["from"] in pos and e["to"] in pos]
    return {"algorithm": PROVENANCE_ALGORITHM, "width": width + (60 if any(e["sibling"] for e in edges) else 0),
            "height": height, "nodes": out_nodes, "edges": out_edges}


# -- actor pages ------------------------------------------------------------------------------------
MENTIONS_ALGORITHM = "web.actor-mentions-chart-v1"
NETWORK_ALGORITHM = "web.cooccurrence-layout-v1"

# mentions chart geometry (px)
MC_WIDTH = 900
MC_HEIGHT = 170
MC_LEFT = 40          # room for the y-axis labels
MC_RIGHT = 12
MC_TOP = 12
MC_BOTTOM = 34        # room for the date labels
MC_GAP = 0.18         # fraction of a bar slot left empty
MC_MAX_TICKS = 8
MC_MAX_BAR = 36       # a bar is never wider than this, however few bins there are

# co-occurrence network geometry (px)
NW_WIDTH = 760
NW_HEIGHT = 440
NW_RADIUS = 160       # ring of co-occurring actors around the centre
NW_CENTER_R = 26
NW_MIN_R = 7
NW_MAX_R = 20
NW_MAX_STROKE = 7.0
NW_LABEL = 26         # characters of a node label


def mentions_chart(timeline: dict[str, Any]) -> dict[str, Any]:
    """Bars of mentions per bin (day / week / month) from :func:`scamtrace.views.actor.mention_bins`, a y axis with
    its maximum and a few date labels along x."""
    bins = timeline.get("bins") or []
    out: dict[str, Any] = {"algorithm": MENTIONS_ALGORITHM, "width": MC_WIDTH, "height": MC_HEIGHT,
                           "unit": timeline.get("unit"), "bars": [], "ticks": [], "empty": not bins,
                           "x0": MC_LEFT, "x1": MC_WIDTH - MC_RIGHT, "y0": MC_TOP, "base": MC_HEIGHT - MC_BOTTOM}
    if not bins:
        return out
    top = max(b["mentions"] for b in bins) or 1
    plot_w, plot_h = MC_WIDTH - MC_LEFT - MC_RIGHT, MC_HEIGHT - MC_TOP - MC_BOTTOM
    slot = plot_w / len(bins)
    every = max(1, -(-len(bins) // MC_MAX_TICKS))        # label every n-th bin, at most MC_MAX_TICKS labels
    for i, b in enumerate(bins):
        h = round(plot_h * b["mentions"] / top, 1)
        w = min(MC_MAX_BAR, max(1.0, slot * (1 - MC_GAP)))
        x = round(MC_LEFT + (i + 0.5) * slot - w / 2, 1)       # centred in its slot
        out["bars"].append({"x": x, "y": round(MC_TOP + plot_h - h, 1), "w": round(w, 1),
                            "h": h, "start": b["start"], "mentions": b["mentions"], "articles": b["articles"],
                            "title": f"{timeline.get('unit')} of {b['start']}: {b['mentions']} mention"
                                     f"{'' if b['mentions'] == 1 else 's'} in {b['articles']} article"
                                     f"{'' if b['articles'] == 1 else 's'}"})
        if i % every == 0:
            out["ticks"].append({"x": round(MC_LEFT + (i + 0.5) * slot, 1), "label": b["start"]})
    out["ymax"] = top
    return out


def _label_anchor(cos: float) -> str:
    """Text anchor of a ring label: centred near the top and bottom, else pointing away from the centre."""
    if abs(cos) < 0.2:
        return "middle"
    return "start" if cos > 0 else "end"


def cooccurrence_layout(network: dict[str, Any]) -> dict[str, Any]:
    """The ego network as geometry: the actor in the centre, co-occurring actors on a ring (most shared
    articles first, clockwise from the top), node size and spoke width by shared articles, and thin
    chords between ring actors that also share articles with each other."""
    peers = network.get("peers") or []
    cx, cy = NW_WIDTH / 2, NW_HEIGHT / 2
    out: dict[str, Any] = {"algorithm": NETWORK_ALGORITHM, "width": NW_WIDTH, "height": NW_HEIGHT,
                           "center": {"name": network.get("center"), "label": _short(network.get("center"), NW_LABEL),
                                      "x": cx, "y": cy, "r": NW_CENTER_R},
                           "nodes": [], "spokes": [], "chords": [], "empty": not peers}
    if not peers:
        return out
    top = max(p["shared"] for p in peers) or 1
    pos: dict[str, tuple[float, float]] = {}
    for i, p in enumerate(peers):
        angle = -math.pi / 2 + 2 * math.pi * i / len(peers)
        x, y = round(cx + NW_RADIUS * math.cos(angle), 1), round(cy + NW_RADIUS * math.sin(angle), 1)
        pos[p["name"]] = (x, y)
        r = round(NW_MIN_R + (NW_MAX_R - NW_MIN_R) * math.sqrt(p["shared"] / top), 1)
        out_r = NW_RADIUS + r + 6          # labels sit just outside the node, along its spoke
        lx, ly = cx + out_r * math.cos(angle), cy + out_r * math.sin(angle) + 4 + 6 * math.sin(angle)
        out["nodes"].append({"name": p["name"], "label": _short(p["name"], NW_LABEL), "kind": p.get("label") or "?",
                             "x": x, "y": y, "r": r, "lx": round(lx, 1), "ly": round(ly, 1),
                             "anchor": _label_anchor(math.cos(angle)), "shared": p["shared"],
                             "title": f"{p['name']} ({p.get('label')}): in {p['shared']} article"
                                      f"{'' if p['shared'] == 1 else 's'} with {network.get('center')}"})
        out["spokes"].append({"x1": cx, "y1": cy, "x2": x, "y2": y, "shared": p["shared"],
                              "w": round(1 + (NW_MAX_STROKE - 1) * p["shared"] / top, 1)})
    for e in network.get("edges") or []:
        if e["a"] in pos and e["b"] in pos:
            (x1, y1), (x2, y2) = pos[e["a"]], pos[e["b"]]
            out["chords"].append({"x1": x1, "y1": y1, "x2": x2, "y2": y2, "shared": e["shared"],
                                  "title": f"{e['a']} and {e['b']}: {e['shared']} shared article"
                                           f"{'' if e['shared'] == 1 else 's'}"})
    return out
