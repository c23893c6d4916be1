"""``scamtrace report``: a click command the main CLI adds with ``cli.add_command(report)``; it asks
:mod:`scamtrace.api` for the story views and renders them (:func:`scamtrace.report.render_views`)."""
from __future__ import annotations

import click

from .. import api
from ..errors import InvalidRequest, ScamtraceError
from ..store import Store
from . import FORMATS, render_views


def _store(ctx: click.Context, db_path: str | None) -> Store:
    """The group's store (``ctx.obj.store``) unless ``--db`` names another; opened read-only then."""
    if db_path is None and getattr(ctx.obj, "store", None) is not None:
        return ctx.obj.store
    path = db_path or getattr(ctx.obj, "db_path", None) or api.DEFAULT_DB
    try:
        return api.open_store(path, readonly=True)
    except ScamtraceError as e:
        raise click.ClickException(str(e)) from e


@click.command("report")
@click.argument("story_id", required=False)
@click.option("--all", "all_stories", is_flag=True, help="Every story in one document (with a table of contents).")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="html", show_default=True,
              help="html: one self-contained page to e-mail (inline CSS and SVG, no script); md: Markdown.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="-",
              help="File to write (default: stdout).")
@click.option("--db", "db_path", default=None, metavar="PATH", help="Store to read (default: the group's --db).")
@click.pass_context
def report(ctx: click.Context, story_id: str | None, all_stories: bool, fmt: str, output: str,
           db_path: str | None) -> None:
    """A shareable report of one story (or --all): timeline, figures with corroboration and conflicts,
    events, quotes, actors and copy families, every claim cited with a link to its article."""
    if bool(story_id) == all_stories:
        raise click.UsageError("give one STORY id or --all (list ids with `scamtrace stories`)")
    store = _store(ctx, db_path)
    try:
        text = render_views(api.story_views(store, None if all_stories or story_id is None else [story_id]), fmt)
    except InvalidRequest as e:
        raise click.ClickException(str(e)) from e
    with click.open_file(output, "w", encoding="utf-8", lazy=False) as out:
        out.write(text)
    if output != "-":
        click.echo(f"wrote {'every story' if all_stories else story_id} as {fmt} to {output}", err=True)
