"""The local web workspace: FastAPI app with HTML pages and their JSON twins under ``/api``.

Every page renders a view of :mod:`scamtrace.views` (through :mod:`scamtrace.web.pages`); the HTML route and its ``/api`` twin return the
same data. The store is opened per request (read-only for reads, read-write for judgements) so an
``ingest`` running beside the server writes concurrently (WAL). Templates autoescape everything;
article data never passes through ``|safe``.
"""
from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from fastapi import Depends, FastAPI, Form, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from pydantic import BaseModel, Field
from starlette.convertors import Convertor, register_url_convertor
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import InvalidRequest, NotFound, StoreError
from ..model import MAX_PAGE_SIZE, StoryFilter
from ..store.opening import open_store
from ..store import Store
from ..views import actor as actor_views
from ..views.article import article_view
from ..views.family import family_view
from ..views.outlet import outlet_view
from ..views.stories import stories_view
from ..views.story import resolve_story_id, story_view
from . import pages
from .highlight import HIGHLIGHT_KINDS
from .marks import MARK_KINDS
from .security import (
    CSRF_FIELD,
    CSRF_HEADER,
    LOOPBACK_HOSTS,
    HostCheck,
    SecurityHeaders,
    csrf_problem,
    csrf_token,
)
from ..views.format import DERIVED_NAME_NOTE, fmt_figure, is_derived_name
from ..views.charts import cooccurrence_layout, mentions_chart, provenance_layout, timeline

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
DECISIONS: tuple[str, ...] = ("copy", "not-copy")
MAX_NOTE_CHARS = 2000
MAX_NAME_CHARS = 300
#: Largest page offset accepted: SQLite integers are 64-bit, and no store holds a billion stories.
MAX_OFFSET = 1_000_000_000
_STATUS_CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
                 413: "too_large", 422: "invalid_request", 500: "internal", 503: "store_unavailable"}


class AnyTextConvertor(Convertor[str]):
    """A path parameter like ``path`` that also matches newlines: actor names and article ids come from
    article text and may hold one (``path``'s ``.*`` stops at a newline, which made such pages 404)."""

    regex = r"[\s\S]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return str(value)


register_url_convertor("anytext", AnyTextConvertor())


# -- error shape -----------------------------------------------------------------------------------
class ErrorDetail(BaseModel):
    code: str = Field(description="machine-readable error code, e.g. not_found, csrf, bad_request")
    message: str = Field(description="one line saying what went wrong and what to do")


class ErrorBody(BaseModel):
    """The one error shape of every ``/api`` route."""

    error: ErrorDetail


class WebError(Exception):
    """An error answered with ``status`` and the ``{"error": {"code", "message"}}`` shape."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class AliasJudgementIn(BaseModel):
    a: str = Field(min_length=1, max_length=MAX_NAME_CHARS, description="actor name (canonical, as on /actors)")
    b: str = Field(min_length=1, max_length=MAX_NAME_CHARS, description="the other actor name")
    decision: Literal["same", "different"]
    note: str | None = Field(default=None, max_length=MAX_NOTE_CHARS)


class JudgementIn(BaseModel):
    a: str = Field(min_length=1, max_length=500, description="article id")
    b: str = Field(min_length=1, max_length=500, description="the other article id")
    decision: Literal["copy", "not-copy"]
    note: str | None = Field(default=None, max_length=MAX_NOTE_CHARS)


ERRORS: dict[int | str, dict[str, Any]] = {s: {"model": ErrorBody} for s in (400, 404, 422, 503)}


# -- app factory -----------------------------------------------------------------------------------
def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["pathseg"] = lambda s: quote(str(s), safe="")
    env.filters["pct"] = lambda v: "–" if v is None else f"{100 * float(v):.0f}%"
    env.filters["num"] = lambda v, n=2: "–" if v is None else f"{float(v):.{n}f}"
    env.filters["figure"] = fmt_figure
    env.globals["version"] = __version__
    env.globals["mark_kinds"] = MARK_KINDS
    env.globals["hl_kinds"] = HIGHLIGHT_KINDS
    env.globals["is_derived_name"] = is_derived_name       # a story name taken from lead sentences, shown as such
    env.globals["derived_name_note"] = DERIVED_NAME_NOTE
    return env


def create_app(db_path: str | Path, allowed_hosts: Iterable[str] = ()) -> FastAPI:
    """The web app over the store at ``db_path`` (created and migrated now if needed and writable).

    Requests are answered only when their ``Host`` is a loopback name or one of ``allowed_hosts``
    (the DNS-rebinding defence, :class:`~scamtrace.web.security.HostCheck`)."""
    db_path = str(db_path)
    _prepare_store(db_path)
    hosts = frozenset(LOOPBACK_HOSTS | {h for h in allowed_hosts if h})
    app = FastAPI(title="scamtrace workspace", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json",
                  description="Stories, copy families, provenance and judgements of a scamtrace store. "
                              "Every error has the shape {\"error\": {\"code\", \"message\"}}.")
    app.state.db_path = db_path
    app.state.allowed_hosts = hosts
    templates = Jinja2Templates(env=_env())
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HostCheck, allowed=hosts)   # added last: runs first
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _install_errors(app, templates)
    _routes(app, templates)
    return app


def _prepare_store(db_path: str) -> None:
    """Create or upgrade the store when it is missing or old (:func:`scamtrace.store.opening.open_store`); a
    current one (also a read-only one) is only opened read-only, so a read-only store can be
    browsed. A store that cannot be used raises StoreError with its one line."""
    open_store(db_path, create=True, readonly=True).close()


def read_store(request: Request) -> Iterator[Store]:
    """A read-only store for one request, reading one snapshot: every query of the request runs in
    one read transaction, so a page never mixes data from before and after a concurrent write
    (e.g. ``analyze`` replacing the stories while the page is being built)."""
    try:
        store = Store(request.app.state.db_path, readonly=True)
    except StoreError as e:
        raise WebError(503, "store_unavailable", str(e)) from e
    try:
        with store.snapshot():
            yield store
    finally:
        store.close()


def write_store(request: Request) -> Iterator[Store]:
    """A read-write store for one request (judgements)."""
    try:
        store = Store(request.app.state.db_path)
    except StoreError as e:
        raise WebError(503, "store_unavailable", str(e)) from e
    try:
        yield store
    finally:
        store.close()


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api")


def _install_errors(app: FastAPI, templates: Jinja2Templates) -> None:
    def answer(request: Request, status: int, code: str, message: str) -> Response:
        if _is_api(request):
            return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)
        return templates.TemplateResponse(request, "error.html", {"status": status, "code": code,
                                                                  "message": message}, status_code=status)

    @app.exception_handler(WebError)
    async def _web(request: Request, exc: WebError) -> Response:
        return answer(request, exc.status, exc.code, exc.message)

    @app.exception_handler(NotFound)
    async def _nf(request: Request, exc: NotFound) -> Response:
        return answer(request, 404, "not_found", str(exc))

    @app.exception_handler(InvalidRequest)
    async def _bad(request: Request, exc: InvalidRequest) -> Response:
        return answer(request, 400, "bad_request", str(exc))

    @app.exception_handler(StoreError)
    async def _store(request: Request, exc: StoreError) -> Response:
        return answer(request, 503, "store_unavailable", str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        parts = [f"{'.'.join(str(x) for x in e.get('loc', ())[1:]) or 'request'}: {e.get('msg')}" for e in errors]
        message = "; ".join(parts)[:500] or "invalid request"
        if errors and all((e.get("loc") or ("",))[0] in ("query", "path") for e in errors):
            return answer(request, 400, "bad_request", message)   # a bad address: a number out of range, ...
        return answer(request, 422, "invalid_request", message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        msg = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and msg == "Not Found":
            msg = f"no page at {request.url.path}; start from the stories list at /"
        return answer(request, exc.status_code, _STATUS_CODES.get(exc.status_code, "error"), msg)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        error_id = secrets.token_hex(6)   # a bug, not the client's fault: the log keeps the traceback
        log.exception("unhandled error %s on %s", error_id, request.url.path)
        return answer(request, 500, "internal",
                      f"internal error {error_id}; the server log has the details under that id")


def _date_param(name: str, value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise WebError(400, "bad_request", f"{name} must be a date like 2025-03-04, got {value[:40]!r}") from None


def _story_filter(q: str | None = Query(None, max_length=500, description="full-text search (FTS5 words)"),
                  date_from: str | None = Query(None, description="ISO day: stories seen on or after it"),
                  date_to: str | None = Query(None, description="ISO day: stories seen on or before it"),
                  outlet: str | None = Query(None, max_length=300, description="only stories with an article from it"),
                  place: str | None = Query(None, max_length=300, description="only stories with an event at this place"),
                  actor: str | None = Query(None, max_length=MAX_NAME_CHARS,
                                            description="only stories with an article naming this actor (canonical name)"),
                  event_type: str | None = Query(None, max_length=100,
                                                 description="only stories with an event of this type (with place: the same event)"),
                  sort: str = Query("recent", description="recent | families (independent sources)"),
                  limit: int = Query(50, ge=1, le=MAX_PAGE_SIZE),
                  offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> StoryFilter:
    return StoryFilter(q=(q or "").strip() or None, date_from=_date_param("date_from", date_from),
                               date_to=_date_param("date_to", date_to), outlet=outlet or None,
                               place=(place or "").strip() or None, actor=(actor or "").strip() or None,
                               event_type=(event_type or "").strip() or None, sort=sort,
                               limit=limit, offset=offset)


def _routes(app: FastAPI, templates: Jinja2Templates) -> None:  # noqa: C901 - a flat list of routes
    def page(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> Response:
        return templates.TemplateResponse(request, name, {**ctx, "csrf": csrf_token(request)}, status_code=status)

    # stories ---------------------------------------------------------------------------------
    @app.get("/api/stories", tags=["stories"], responses=ERRORS)
    def api_stories(f: StoryFilter = Depends(_story_filter), store: Store = Depends(read_store)) -> dict:
        """Stories matching a full-text query, date range, outlet, place, actor and event type, by recency or
        number of families; with the places, event types and actors the filters offer."""
        return stories_view(store, f)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(request: Request, f: StoryFilter = Depends(_story_filter),
                     store: Store = Depends(read_store)) -> Response:
        return page(request, "stories.html", stories_view(store, f))

    @app.get("/api/stories/{story_id:anytext}", tags=["stories"], responses=ERRORS)
    def api_story(story_id: str, store: Store = Depends(read_store)) -> Any:
        """A story: articles grouped by copy family (original first), timeline geometry, events, figures (corroboration, conflicts), actors and quotes. An id retired by a merge (or a fact id) redirects (308) to the story it now names."""
        live = resolve_story_id(store, story_id)
        if live != story_id:
            return RedirectResponse(f"/api/stories/{quote(live, safe='')}", status_code=308)
        st = _story_page(store, story_id)
        return {**st, "timeline": timeline(st)}

    @app.get("/stories/{story_id:anytext}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str, store: Store = Depends(read_store)) -> Response:
        live = resolve_story_id(store, story_id)
        if live != story_id:   # an id retired by a merge, or a fact id: its story, not a 404
            return RedirectResponse(f"/stories/{quote(live, safe='')}", status_code=308)
        st = _story_page(store, story_id)
        return page(request, "story.html", {"story": st, "tl": timeline(st)})

    # articles --------------------------------------------------------------------------------
    @app.get("/api/articles/{article_id:anytext}", tags=["articles"], responses=ERRORS)
    def api_article(article_id: str, store: Store = Depends(read_store)) -> dict:
        """An article: clean text as marked paragraphs, metadata, family, spin evidence, copy links; `highlights`
        holds the entity, figure, date, quote and spin spans (with tooltips and corroboration) and the
        paragraphs built from them (algorithm web.highlight-v1)."""
        return pages.article_page(article_view(store, article_id))

    @app.get("/articles/{article_id:anytext}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str, judged: str | None = None,
                     store: Store = Depends(read_store)) -> Response:
        return page(request, "article.html", {**pages.article_page(article_view(store, article_id)),
                                              "judged": judged, "decisions": DECISIONS})

    # judgements ------------------------------------------------------------------------------
    @app.post("/api/judgements", tags=["judgements"], status_code=201,
              responses={**ERRORS, 403: {"model": ErrorBody}})
    def api_judge(request: Request, body: JudgementIn, store: Store = Depends(write_store)) -> dict:
        """Record a human copy / not-copy judgement on a pair; `scamtrace analyze` applies it.

        Needs the CSRF cookie set by any page and the same value in the `X-CSRF-Token` header.
        """
        _check_csrf(request, request.headers.get(CSRF_HEADER))
        return _judge(store, body.a, body.b, body.decision, body.note)

    @app.post("/judgements", include_in_schema=False)
    def form_judge(request: Request, a: str = Form(..., max_length=500), b: str = Form(..., max_length=500),
                   decision: str = Form(...), note: str = Form("", max_length=MAX_NOTE_CHARS),
                   back: str = Form(""), csrf_token_: str = Form("", alias=CSRF_FIELD),
                   store: Store = Depends(write_store)) -> Response:
        _check_csrf(request, csrf_token_)
        _judge(store, a, b, decision, note)
        target = back if back in (a, b) else a
        return RedirectResponse(f"/articles/{quote(target, safe='')}?judged={quote(decision)}#judgements",
                                status_code=303)

    _actor_routes(app, page)

    # provenance, outlets, API index --------------------------------------------------------------
    @app.get("/api/graph", tags=["provenance"], responses=ERRORS)
    def api_graph(min_size: int = Query(2, ge=1, le=1000), limit: int = Query(100, ge=1, le=MAX_PAGE_SIZE),
                  offset: int = Query(0, ge=0, le=MAX_OFFSET), store: Store = Depends(read_store)) -> dict:
        """Copy families, largest first (original -> copies with relation labels) as nodes and edges."""
        return family_view(store, min_size, limit, offset)

    @app.get("/graph", response_class=HTMLResponse, include_in_schema=False)
    def graph_page(request: Request, min_size: int = Query(2, ge=1, le=1000),
                   limit: int = Query(100, ge=1, le=MAX_PAGE_SIZE), offset: int = Query(0, ge=0, le=MAX_OFFSET),
                   store: Store = Depends(read_store)) -> Response:
        data = family_view(store, min_size, limit, offset)
        return page(request, "graph.html", {**data, "layouts": [(f, provenance_layout(f)) for f in data["families"]]})

    @app.get("/api/outlets", tags=["provenance"], responses=ERRORS)
    def api_outlets(store: Store = Depends(read_store)) -> dict:
        """Per outlet: copies by relation, uncredited copies, spun-looking articles, max spin score."""
        return outlet_view(store)

    @app.get("/outlets", response_class=HTMLResponse, include_in_schema=False)
    def outlets_page(request: Request, store: Store = Depends(read_store)) -> Response:
        return page(request, "outlets.html", outlet_view(store))

    @app.get("/api", response_class=HTMLResponse, include_in_schema=False)
    def api_index(request: Request) -> Response:
        spec = app.openapi()
        routes = [{"method": m.upper(), "path": p, "summary": op.get("summary", ""),
                   "description": op.get("description", ""),
                   "params": [x["name"] for x in op.get("parameters", [])]}
                  for p, ops in spec["paths"].items() for m, op in ops.items()]
        return page(request, "api.html", {"routes": routes})


def _story_page(store: Store, story_id: str) -> dict[str, Any]:
    """The story page's data: the story view rendered with the names that have an actor page."""
    view = story_view(store, story_id)
    return pages.story_page(view, actor_views.known_names(store, pages.story_names(view)))


def _check_csrf(request: Request, submitted: str | None) -> None:
    problem = csrf_problem(request, submitted, request.app.state.allowed_hosts)
    if problem:
        log.warning("CSRF check failed on %s: %s", request.url.path, problem)
        raise WebError(403, "csrf", problem)


def _judge(store: Store, a: str, b: str, decision: str, note: str | None) -> dict:
    if decision not in DECISIONS:
        raise WebError(400, "bad_request", f"decision must be one of {', '.join(DECISIONS)}, got {decision[:40]!r}")
    if a == b:
        raise WebError(400, "bad_request", "a judgement needs two different articles")
    store.add_judgement(a, b, decision, (note or "").strip() or None)
    return {"judgement": {"a": min(a, b), "b": max(a, b), "decision": decision, "note": (note or "").strip() or None},
            "pending_analysis": True,
            "message": "recorded; run `scamtrace analyze` to apply it"}


def _actor_routes(app: FastAPI, page: Callable[..., Response]) -> None:
    """Actors index, actor pages and alias judgements (and their ``/api`` twins)."""

    @app.get("/api/actors", tags=["actors"], responses=ERRORS)
    def api_actors(label: str | None = Query(None, max_length=40, description="main label, e.g. PERSON, GPE (default: actors)"),
                   q: str | None = Query(None, max_length=MAX_NAME_CHARS, description="part of the name"),
                   limit: int = Query(100, ge=1, le=MAX_PAGE_SIZE), offset: int = Query(0, ge=0, le=MAX_OFFSET),
                   store: Store = Depends(read_store)) -> dict:
        """Named actors with mentions, articles and stories counts, most articles first."""
        return actor_views.actors_index(store, label or None, q, limit, offset)

    @app.get("/actors", response_class=HTMLResponse, include_in_schema=False)
    def actors_page(request: Request, label: str | None = Query(None, max_length=40),
                    q: str | None = Query(None, max_length=MAX_NAME_CHARS),
                    limit: int = Query(100, ge=1, le=MAX_PAGE_SIZE), offset: int = Query(0, ge=0, le=MAX_OFFSET),
                    store: Store = Depends(read_store)) -> Response:
        return page(request, "actors.html", actor_views.actors_index(store, label or None, q, limit, offset))

    @app.get("/api/actors/{name:anytext}", tags=["actors"], responses=ERRORS)
    def api_actor(name: str, bin_: str = Query("auto", alias="bin", description="auto | day | week | month"),
                  store: Store = Depends(read_store)) -> dict:
        """An actor: labels, surface forms, roles, mentions over time, co-occurring actors, events, articles,
        alias judgements; with the chart and network geometry."""
        data = actor_views.actor_detail(store, name, bin_)
        return {**data, "chart": mentions_chart(data["timeline"]), "graph": cooccurrence_layout(data["network"])}

    @app.get("/actors/{name:anytext}", response_class=HTMLResponse, include_in_schema=False)
    def actor_page(request: Request, name: str, bin_: str = Query("auto", alias="bin"), judged: str | None = None,
                   store: Store = Depends(read_store)) -> Response:
        data = actor_views.actor_detail(store, name, bin_)
        return page(request, "actor.html", {"actor": data, "chart": mentions_chart(data["timeline"]),
                                            "graph": cooccurrence_layout(data["network"]), "judged": judged,
                                            "decisions": actor_views.ALIAS_DECISIONS,
                                            "bins": actor_views.ACTOR_BINS, "bin": bin_})

    @app.post("/api/alias-judgements", tags=["judgements"], status_code=201,
              responses={**ERRORS, 403: {"model": ErrorBody}})
    def api_alias_judge(request: Request, body: AliasJudgementIn, store: Store = Depends(write_store)) -> dict:
        """Record a human judgement that two actor names are the same actor or different actors.

        Needs the CSRF cookie set by any page and the same value in the `X-CSRF-Token` header.
        """
        _check_csrf(request, request.headers.get(CSRF_HEADER))
        return _alias_judge(store, body.a, body.b, body.decision, body.note)

    @app.post("/alias-judgements", include_in_schema=False)
    def form_alias_judge(request: Request, a: str = Form(..., max_length=MAX_NAME_CHARS),
                         b: str = Form(..., max_length=MAX_NAME_CHARS), decision: str = Form(...),
                         note: str = Form("", max_length=MAX_NOTE_CHARS),
                         csrf_token_: str = Form("", alias=CSRF_FIELD), store: Store = Depends(write_store)) -> Response:
        _check_csrf(request, csrf_token_)
        _alias_judge(store, a, b, decision, note)
        return RedirectResponse(f"/actors/{quote(a.strip(), safe='')}?judged={quote(decision)}#aliases",
                                status_code=303)


def _alias_judge(store: Store, a: str, b: str, decision: str, note: str | None) -> dict:
    """Validate and store an alias judgement; both names must be actor names the store knows."""
    a, b = a.strip(), b.strip()
    if decision not in actor_views.ALIAS_DECISIONS:
        raise WebError(400, "bad_request",
                       f"decision must be one of {', '.join(actor_views.ALIAS_DECISIONS)}, got {decision[:40]!r}")
    if not a or not b:
        raise WebError(400, "bad_request", "an alias judgement needs two actor names")
    if a == b:
        raise WebError(400, "bad_request", "an alias judgement needs two different names")
    unknown = [n for n in (a, b) if n not in actor_views.known_names(store, [a, b])]
    if unknown:
        raise WebError(400, "bad_request", f"no actor named {unknown[0][:80]!r}; pick a name from the actors index at /actors")
    note = (note or "").strip() or None
    store.add_judgement(a, b, decision, note, kind="alias")
    return {"judgement": {"a": min(a, b), "b": max(a, b), "kind": "alias", "decision": decision, "note": note},
            "message": "recorded as an alias judgement (kind 'alias' in the judgements table)"}
