"""Response hardening, DNS-rebinding and CSRF protection for the web workspace.

* DNS rebinding: a request is answered only when its ``Host`` header names this server: the
  loopback names (``localhost``, ``127.0.0.1``, ``[::1]``) and the names it was started for
  (``serve --host``, ``--allow-host``). A web page whose own host name is made to resolve to
  127.0.0.1 sends its own name as Host and gets 400, so it cannot read the store or the CSRF token.

* Every response carries a strict Content-Security-Policy (``default-src 'self'``, no inline script
  or style), ``X-Content-Type-Options: nosniff``, no framing and no referrer.
* CSRF: a double-submit cookie. The first page a browser gets sets a random token in an HttpOnly,
  SameSite=Strict cookie; forms carry the same token in a hidden field (the JSON API in an
  ``X-CSRF-Token`` header). A state-changing request is accepted only when both are present and
  equal, and, when the browser sends an ``Origin`` header, only from this server's own origin.
"""
from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_COOKIE = "scamtrace_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
CSRF_TOKEN_BYTES = 32
#: Every page's policy. ``img-src data:`` is not needed: all images are inline SVG or local files.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS: dict[str, str] = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",   # not no-referrer: that makes browsers send "Origin: null" on POST
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


#: Host names every server answers to (loopback). ``serve`` adds the host it binds and ``--allow-host`` names.
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def host_name(value: str) -> str:
    """The host name of a ``Host`` header or an origin's netloc, lower-case, without port or brackets."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class HostCheck:
    """ASGI middleware answering 400 to a request whose ``Host`` header is not one of ``allowed``
    (the DNS-rebinding defence); also answers ``HEAD`` like ``GET`` without the body."""

    def __init__(self, app: ASGIApp, allowed: frozenset[str] = LOOPBACK_HOSTS):
        self.app = app
        self.allowed = frozenset(host_name(h) for h in allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
        if host_name(host) not in self.allowed:
            body = (f"Host {host[:80]!r} is not a name this server answers to; open it as http://127.0.0.1:PORT/ "
                    "or start it with --allow-host NAME").encode()
            await send({"type": "http.response.start", "status": 400,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        if scope.get("method") == "HEAD":
            scope = {**scope, "method": "GET"}

            async def send_head(message: Message) -> None:
                if message["type"] == "http.response.body":
                    message = {**message, "body": b"", "more_body": message.get("more_body", False)}
                await send(message)

            await self.app(scope, receive, send_head)
            return
        await self.app(scope, receive, send)


class SecurityHeaders:
    """ASGI middleware adding :data:`SECURITY_HEADERS` and, when a page minted one, the CSRF cookie."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.decode("latin-1").lower() not in SECURITY_HEADERS]
                headers += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()]
                minted = scope["state"].get("csrf_minted")
                if minted:
                    cookie = f"{CSRF_COOKIE}={minted}; Path=/; HttpOnly; SameSite=Strict"
                    headers.append((b"set-cookie", cookie.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def csrf_token(request: Request) -> str:
    """The request's CSRF token: the cookie's, or a new one the response will set as a cookie."""
    tok = request.cookies.get(CSRF_COOKIE)
    if tok and _well_formed(tok):
        return tok
    minted = request.scope.setdefault("state", {}).get("csrf_minted")
    if not minted:
        minted = secrets.token_urlsafe(CSRF_TOKEN_BYTES)
        request.scope["state"]["csrf_minted"] = minted
    return minted


def _well_formed(tok: str) -> bool:
    return 20 <= len(tok) <= 128 and all(c.isalnum() or c in "-_" for c in tok)


def csrf_problem(request: Request, submitted: str | None, allowed: frozenset[str] = LOOPBACK_HOSTS) -> str | None:
    """Why a state-changing request fails the CSRF check, or None when it passes. An ``Origin``
    must be this server's own (same host and port as ``Host``) and its host one of ``allowed``."""
    origin = request.headers.get("origin")
    if origin and origin != "null":
        o = urlsplit(origin)
        host = request.headers.get("host", "")
        if o.netloc.lower() != host.lower() or host_name(o.netloc) not in {host_name(h) for h in allowed}:
            return f"cross-origin request from {origin!r} refused; submit the form from this server's own pages"
    elif origin == "null":
        return "request from an opaque origin refused; submit the form from this server's own pages"
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie:
        return "missing CSRF cookie; reload the page (cookies must be enabled) and submit again"
    if not submitted:
        return "missing CSRF token; submit the form from the article page, or send the X-CSRF-Token header"
    if not hmac.compare_digest(cookie.encode(), submitted.encode()):
        return "CSRF token does not match the cookie; reload the page and submit again"
    return None
