"""``scamtrace serve``: run the local web workspace (wired into the main CLI by ``scamtrace.cli``); the
store is checked through :mod:`scamtrace.api`, the app opens it per request."""
from __future__ import annotations

import ipaddress

import click

from .. import api
from ..errors import StoreError

DEFAULT_PORT = 8765
DEFAULT_HOST = "127.0.0.1"


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@click.command("serve")
@click.option("--db", "db_path", default=None, metavar="PATH",
              help=f"SQLite store to show (default: the group's --db, else {api.DEFAULT_DB}).")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(0, 65535), help="TCP port.")
@click.option("--host", default=DEFAULT_HOST, show_default=True,
              help="Interface to bind; anything but loopback exposes the store to the network.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also answer requests addressed to this host name (repeatable); loopback names and --host "
                   "are always allowed, any other Host header gets 400 (DNS-rebinding defence).")
@click.pass_context
def serve(ctx: click.Context, db_path: str | None, port: int, host: str, allow_hosts: tuple[str, ...]) -> None:
    """Browse stories, copies and provenance in a local web workspace; record judgements."""
    try:
        import uvicorn

        from .app import create_app
    except ImportError as e:
        raise click.ClickException(f"the web workspace needs fastapi, uvicorn, jinja2 and python-multipart ({e}); "
                                   "install them: pip install fastapi uvicorn jinja2 python-multipart") from e

    if db_path is None:
        db_path = getattr(ctx.obj, "db_path", None) or api.DEFAULT_DB

    try:
        api.require_store(db_path)
    except StoreError as e:
        raise click.ClickException(str(e)) from None
    bound = [] if host.strip() in ("0.0.0.0", "::", "") else [host.strip()]
    app = create_app(db_path, allowed_hosts=[*bound, *allow_hosts])
    if is_loopback(host):
        click.echo(f"scamtrace workspace on http://{host}:{port}/ (loopback only) for {db_path}")
    else:
        click.echo(f"WARNING: binding {host}: anyone who can reach this machine can read the store and record "
                   "judgements; use --host 127.0.0.1 unless you mean it. Requests are answered only when "
                   "addressed to a loopback name, the --host address or an --allow-host NAME.", err=True)
        click.echo(f"scamtrace workspace on http://{host}:{port}/ for {db_path}")
    uvicorn.run(app, host=host, port=port, log_level="warning")
