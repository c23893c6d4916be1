"""Server-side layouts for the inline SVG charts (``web.timeline-v1``, ``web.provenance-layout-v1``).

Functions return geometry (numbers and plain strings) that a Jinja template turns into SVG elements
with autoescaping, so no article text is ever concatenated into markup here. Colours come from CSS
classes (``rel-<relation>``), not inline styles, because the CSP forbids inline styles.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict, deque
from typing import Any

TIMELINE_ALGORITHM = "web.timeline-v1"
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


def timeline(story: dict[str, Any]) -> dict[str, Any]:
    """Lanes (one per copy family) of dated article dots on a shared date axis; events on top."""
    lanes = []
    dated: list[dt.date] = []
    undated = []
    for g in story["groups"]:
        label = next((a["outlet"] for a in g["articles"] if a["is_origin"] and a["outlet"]), None) \
            or (f"credit {g['origin_credit']}" if g.get("origin_credit") else None) \
            or g["articles"][0]["outlet"] or g["articles"][0]["id"]
        pts = []
        for a in g["articles"]:
            d = _day(a["published"])
            if d is None:
                undated.append(a["id"])
                continue
            dated.append(d)
            kind = "origin" if a["is_origin"] else ((a["link"] or {}).get("relation") or "independent")
            pts.append({"date": d, "id": a["id"], "kind": kind,
                        "title": f"{a['published'][:10]} · {a['outlet'] or 'unknown outlet'} · {kind} · {a['title'] or a['id']}"})
        lanes.append({"label": _short(label, 26), "family": g["family"], "points": pts})
    events = _events(story)
    dated += [d for s, e, _ in events for d in (s, e)]
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
    step = max(1, round(span / TL_TICKS))
    d = lo
    while d <= hi:
        out["ticks"].append({"x": x(d), "label": d.isoformat()})
        d += dt.timedelta(days=step)
    if (hi - (d - dt.timedelta(days=step))).days * 2 > step:   # label the end when the last tick is far from it
        out["ticks"].append({"x": x(hi), "label": hi.isoformat()})
    stack: dict[tuple[int, dt.date], int] = defaultdict(int)
    for i, lane in enumerate(lanes):
        y = top + TL_LANE * i + TL_LANE / 2
        pts = []
        for p in lane["points"]:
            k = stack[(i, p["date"])]
            stack[(i, p["date"])] += 1
            pts.append({**p, "date": p["date"].isoformat(), "cx": round(x(p["date"]) + 9 * k, 1), "cy": y})
        out["lanes"].append({**lane, "y": y, "points": pts})
    if has_events:
        y = TL_TOP + TL_LANE / 2
        out["events"] = [{"x": x(s), "x_end": x(e), "y": y, "label": label,
                          "date": s.isoformat() if s == e else f"{s.isoformat()}/{e.isoformat()}"}
                         for s, e, label in events]
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


def provenance_layout(family: dict[str, Any]) -> dict[str, Any]:
    """Columns of nodes (original left, copies right) and labelled edges for one family."""
    ids = [n["id"] for n in family["nodes"]]
    root = family["origin"] or f"absent:{family['id']}"
    edges = list(family["edges"])
    nodes = {n["id"]: n for n in family["nodes"]}
    if family["origin"] is None:
        credit = family.get("origin_credit")
        nodes[root] = {"id": root, "outlet": "original not in store", "ghost": True,
                       "published": None, "title": f"credited to {credit}" if credit else "uncredited"}
        incoming = {e["to"] for e in edges if not e["sibling"]}
        for n in ids:
            if n not in incoming:
                edges.append({"from": root, "to": n, "relation": "credit " + credit if credit else "unknown",
                              "sibling": False, "implied": True})
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
    out_nodes = []
    for n, (x, y) in pos.items():
        meta = nodes[n]
        out_nodes.append({"id": n, "x": x, "y": y, "w": PV_NODE_W, "h": PV_NODE_H,
                          "ghost": bool(meta.get("ghost")), "origin": n == family["origin"],
                          "line1": _short(meta.get("outlet") or "unknown outlet"),
                          "line2": _short(" · ".join(x for x in (meta.get("published"), meta.get("title") or n) if x), PV_LINE2),
                          "title": f"{meta.get('outlet') or ''} {meta.get('published') or ''} {meta.get('title') or n}"})
    out_edges = []
    for e in edges:
        if e["from"] not in pos or e["to"] not in pos:
            continue
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
        out_edges.append({"d": path, "label": e["relation"], "lx": lx, "ly": ly, "sibling": e["sibling"],
                          "implied": bool(e.get("implied")), "judged": e.get("judged"),
                          "cls": "rel-" + (e["relation"] if not e.get("implied") else "implied")})
    return {"algorithm": PROVENANCE_ALGORITHM, "width": width + (60 if any(e["sibling"] for e in edges) else 0),
            "height": height, "nodes": out_nodes, "edges": out_edges}
