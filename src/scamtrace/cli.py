"""The ``scamtrace`` command: a thin click layer over :mod:`scamtrace.api`.

Logic lives in the stage packages; this file parses options, calls one API verb and formats output.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from . import __version__, api
from .errors import ScamtraceError
from .eval.store_eval import format_result
from .export import FORMATS, write_records
from .export.ftm import export_ftm
from .export.graphml import GRAPH_OF_EXPORT, export_graphml
from .report.cli import report
from .report.text import render_copies, render_story
from .settings import SETTINGS, Settings
from .store.db import damaged_message, fails_quick_check, is_damage

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


#: Commands that only read the store: they open it read-only, so they work on a read-only file and
#: never change a store they do not understand.
READ_ONLY_COMMANDS = frozenset({"articles", "show", "rejects", "copies", "actors", "outlets", "stories", "story",
                                "export", "eval", "report", "serve"})


class Ctx:
    last_db: str | None = None   # the store of the running command, for error messages after it ended

    def __init__(self, db: str, settings: Settings, readonly: bool = False):
        self.db_path = db
        Ctx.last_db = db
        self.settings = settings
        self.readonly = readonly
        self._store = None

    @property
    def store(self):  # noqa: ANN201
        """The existing store; a missing one is refused (only the writing commands create one)."""
        if self._store is None:
            self._store = api.open_store(self.db_path, create=False, readonly=self.readonly)
        return self._store

    def store_to_write(self):  # noqa: ANN201
        """The store, created when missing (``ingest``, ``import-parquet``, ``watch``); says so on stderr."""
        if self._store is None:
            new = self.db_path != ":memory:" and not Path(self.db_path).exists()
            self._store = api.open_store(self.db_path)
            if new:
                click.echo(f"new store: {self.db_path}", err=True)
        return self._store


#: The group's options, accepted before or after the command name: option -> number of values.
GLOBAL_OPTIONS = {"--db": 1, "-v": 0, "--verbose": 0, "-s": 2, "--setting": 2}


def hoist_global_options(args: list[str]) -> list[str]:
    """Move ``--db``, ``-v``/``-vv`` and ``-s NAME VALUE`` found after the command name to the front,
    so ``scamtrace stories --db demo.db`` means ``scamtrace --db demo.db stories``. Stops at ``--``."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            rest.extend(args[i:])
            break
        name = a.split("=", 1)[0] if a.startswith("--") else a
        if name in GLOBAL_OPTIONS or re.fullmatch(r"-v+", a):
            n = 0 if "=" in a else GLOBAL_OPTIONS.get(name, 0)
            front.extend(args[i:i + 1 + n])
            i += 1 + n
            continue
        rest.append(a)
        i += 1
    return front + rest


class ScamtraceGroup(click.Group):
    """The root group: global options may also follow the command name."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_global_options(list(args)))


pass_ctx = click.make_pass_decorator(Ctx)


@contextlib.contextmanager
def progress_bar() -> Iterator[api.Progress]:
    """A rich progress bar on a terminal; nothing at all in a pipe or file."""
    if not sys.stderr.isatty():
        yield lambda label, done, total: None
        return
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn,
                               TimeRemainingColumn)

    tasks: dict[str, Any] = {}
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("left"),
                  TimeRemainingColumn(), console=Console(stderr=True), transient=True) as bar:
        def update(label: str, done: int, total: int | None) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(label, total=total, rate="")
            task = tasks[label]
            bar.update(task, completed=done, total=total)
            speed = next(t.speed for t in bar.tasks if t.id == task)   # None until rich has two samples
            bar.update(task, rate=f"{speed:.1f} articles/s" if speed else "")
        yield update


def output_options(fn):  # noqa: ANN001, ANN201
    """Shared options for every listing: the same formats everywhere."""
    fn = click.option("--format", "fmt", type=click.Choice(["table", *FORMATS]), default="table",
                      show_default=True, help="table for people, jsonl or csv for scripts")(fn)
    fn = raw_option(fn)
    return fn


def raw_option(fn):  # noqa: ANN001, ANN201
    """``--raw``: CSV cells as stored, without the leading quote that stops spreadsheet formulas."""
    def keep(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
        ctx.meta["csv_raw"] = value
        return value

    return click.option("--raw", is_flag=True, expose_value=False, callback=keep,
                        help="CSV only: write cells starting with = + - @ as stored (by default they get a "
                             "leading ' so a spreadsheet does not run them as formulas).")(fn)


def _csv_raw() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.meta.get("csv_raw"))


def emit(rows: list[dict], fmt: str, columns: list[str] | None = None) -> None:
    if fmt != "table":
        write_records(rows, fmt, sys.stdout, columns, raw=_csv_raw())
        return
    if not rows:
        click.echo("(none)", err=True)
        return
    cols = columns or list(rows[0].keys())
    # Every column but the last is capped (a cut value ends in "…"); the last one (a reason, a help
    # text, "what to do") is never cut.
    widths = {c: max(len(c), *(len(_short(r.get(c))) for r in rows)) for c in cols}
    widths.update({c: min(TABLE_COLUMN_MAX, w) for c, w in widths.items() if c != cols[-1]})
    click.echo("  ".join(c.ljust(widths[c]) for c in cols).rstrip())
    for r in rows:
        click.echo("  ".join(_cut(_short(r.get(c)), widths[c]).ljust(widths[c]) for c in cols).rstrip())


#: Widest table column except the last, in characters.
TABLE_COLUMN_MAX = 60


def _cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters; a cut ends in "…"."""
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def _short(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, dict)):
        v = json.dumps(v, ensure_ascii=False)
    return str(v).replace("\n", " ")


#: Two or three examples per command, shown at the end of its --help (tests/test_docs.py checks them).
EXAMPLES: dict[str, list[str]] = {
    "": ["scamtrace --db demo.db ingest examples/demo/text --analyze   # build a store",
         "scamtrace --db demo.db stories                  # stories, most independent sources first",
         "scamtrace stories --db demo.db -v               # --db, -v, -s also after the command"],
    "settings": ["scamtrace settings", "scamtrace settings --format csv",
                 "scamtrace -s fetch_timeout 5 ingest https://example.org/story   # override one"],
    "ingest": ["scamtrace --db demo.db ingest examples/demo/text examples/demo/feeds/demo-rss.xml",
               "scamtrace --db demo.db ingest articles.jsonl crawl.warc.gz --analyze",
               "scamtrace --db demo.db ingest https://example.org/news/story.html"],
    "analyze": ["scamtrace --db demo.db analyze           # only what is new since the last run",
                "scamtrace --db demo.db analyze --full    # re-examine every article"],
    "articles": ["scamtrace --db demo.db articles", "scamtrace --db demo.db articles \"KK Park\" --limit 5",
                 "scamtrace --db demo.db articles --outlet \"border voice\" --format csv"],
    "show": ["scamtrace --db demo.db show ARTICLE_ID", "scamtrace --db demo.db show ARTICLE_ID --format json"],
    "rejects": ["scamtrace --db demo.db rejects", "scamtrace --db demo.db rejects --format jsonl"],
    "copies": ["scamtrace --db demo.db copies ARTICLE_ID", "scamtrace --db demo.db copies ARTICLE_ID --width 160"],
    "alias": ["scamtrace --db demo.db alias \"Ming Xuechang\" \"Ming Xue-chang\" same",
              "scamtrace --db demo.db alias \"Tak\" \"Tak Province\" different --note \"town vs province\""],
    "actors": ["scamtrace --db demo.db actors", "scamtrace --db demo.db actors --format jsonl"],
    "outlets": ["scamtrace --db demo.db outlets", "scamtrace --db demo.db outlets --format csv"],
    "judge": ["scamtrace --db demo.db judge ARTICLE_A ARTICLE_B not-copy --note \"same press release\"",
              "scamtrace --db demo.db judge ARTICLE_A ARTICLE_B copy"],
    "stories": ["scamtrace --db demo.db stories", "scamtrace --db demo.db stories Myawaddy --limit 5",
                "scamtrace --db demo.db stories --format jsonl"],
    "story": ["scamtrace --db demo.db stories            # find a STORY_ID", "scamtrace --db demo.db story STORY_ID"],
    "export": ["scamtrace --db demo.db export copies --format jsonl",
               "scamtrace --db demo.db export figures --format csv -o figures.csv",
               "scamtrace --db demo.db export --format ftm -o demo.ftm.json   # the whole store"],
    "watch": ["scamtrace --db news.db watch https://example.org/feed.xml --every 15m",
              "scamtrace --db news.db watch feeds/*.xml --every 30s --max-cycles 4"],
    "eval": ["scamtrace --db demo.db eval copies --gold tests/gold/demo_copies.jsonl",
             "SCAMTRACE_SHARED=../shared scamtrace eval clough-stevenson"],
    "eval copies": ["scamtrace --db demo.db eval copies --gold tests/gold/demo_copies.jsonl",
                    "scamtrace eval copies --db demo.db --gold my-gold.jsonl"],
    "eval stories": ["scamtrace --db demo.db eval stories --gold tests/gold/demo_stories.jsonl",
                     "scamtrace eval stories --db demo.db --gold my-gold.jsonl"],
    "eval figures": ["scamtrace --db demo.db eval figures --gold tests/gold/demo_figures.jsonl",
                     "scamtrace --db real.db eval figures --gold ../shared/datasets/realnews-dev/articles.jsonl --half A"],
    "eval quotes": ["scamtrace --db demo.db eval quotes --gold tests/gold/demo_quotes.jsonl",
                    "scamtrace eval quotes --db demo.db --gold my-gold.jsonl"],
    "eval events": ["scamtrace --db demo.db eval events --gold tests/gold/demo_events.jsonl",
                    "scamtrace eval events --db demo.db --gold my-gold.jsonl"],
    "eval clough-stevenson": ["scamtrace eval clough-stevenson            # reads $SCAMTRACE_SHARED",
                              "scamtrace eval clough-stevenson --mode person",
                              "scamtrace eval clough-stevenson --dir /data/clough-stevenson --mode fixed"],
    "eval extraction": ["scamtrace eval extraction                  # reads $SCAMTRACE_SHARED",
                        "scamtrace eval extraction --dir /data/article-extraction"],
    "serve": ["scamtrace --db demo.db serve", "scamtrace --db demo.db serve --port 9000"],
    "report": ["scamtrace --db demo.db report STORY_ID -o story.html",
               "scamtrace --db demo.db report --all --format md -o stories.md"],
    "spark": ["scamtrace spark stories articles.jsonl out/",
              "scamtrace spark copies 'crawl/*.warc.gz' out/ --master local[2]"],
    "spark copies": ["scamtrace spark copies articles.jsonl out/",
                     "scamtrace spark copies 'crawl/*.warc.gz' out/ --conf spark.sql.shuffle.partitions 64"],
    "spark stories": ["scamtrace spark stories articles.jsonl out/",
                      "scamtrace spark stories data/*.parquet out/ --master local[2]"],
    "spark analyze": ["scamtrace spark analyze articles.jsonl out/",
                      "scamtrace spark analyze 'crawl/*.warc.gz' out/ --master local[2]"],
    "import-parquet": ["scamtrace --db copy.db import-parquet out/",
                       "scamtrace --db copy.db import-parquet out/ --stories store",
                       "scamtrace --db copy.db import-parquet out/ --extract   # output of spark copies|stories"],
}


def examples_epilog(path: str) -> str | None:
    """The ``Examples:`` block for one command path ("" is the root), kept unwrapped by click."""
    lines = EXAMPLES.get(path)
    return "\b\nExamples:\n" + "\n".join(f"  {x}" for x in lines) if lines else None


EXAMPLES_ROOT = examples_epilog("")


def _attach_examples(group: click.Group, prefix: str = "") -> None:
    for name, cmd in group.commands.items():
        path = f"{prefix}{name}"
        cmd.epilog = examples_epilog(path) or cmd.epilog
        if isinstance(cmd, click.Group):
            _attach_examples(cmd, path + " ")


@click.group(cls=ScamtraceGroup, context_settings=CONTEXT_SETTINGS, epilog=EXAMPLES_ROOT)
@click.version_option(__version__, "--version", prog_name="scamtrace")
@click.option("--db", default=lambda: os.environ.get("SCAMTRACE_DB", api.DEFAULT_DB), show_default="scamtrace.db or $SCAMTRACE_DB",
              help="SQLite store to use; only ingest, import-parquet and watch create a missing one. "
                   "--db, -v and -s may come before or after the command.")
@click.option("-v", "--verbose", count=True, help="Log to stderr (-v info, -vv debug).")
@click.option("-s", "--setting", "settings", multiple=True, type=(str, str), metavar="NAME VALUE",
              help="Override a setting (see `scamtrace settings`).")
@click.pass_context
def cli(ctx: click.Context, db: str, verbose: int, settings: tuple[tuple[str, str], ...]) -> None:
    """scamtrace: trace copied news about scam compounds to its origin and build a cited knowledge base."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if verbose == 0:
        logging.getLogger("trafilatura").setLevel(logging.ERROR)
        logging.getLogger("htmldate").setLevel(logging.ERROR)
    try:
        ctx.obj = Ctx(db, Settings(**dict(settings)), readonly=ctx.invoked_subcommand in READ_ONLY_COMMANDS)
    except ScamtraceError as e:
        raise click.UsageError(str(e)) from None


@cli.command("settings")
@output_options
def settings_cmd(fmt: str) -> None:
    """List every setting with its default and meaning."""
    emit([{"name": s.name, "default": s.default, "help": s.help} for s in SETTINGS], fmt)


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--analyze/--no-analyze", default=False, help="Run `analyze` after ingesting.")
@pass_ctx
def ingest(obj: Ctx, sources: tuple[str, ...], analyze: bool) -> None:
    """Ingest SOURCES into the store (created if missing), each article committed on its own.

    \b
    Accepted: .txt and .md text; .html/.htm pages (also .gz); .jsonl and .json (one article a line:
    id, url, outlet, published, title, and text or html); RSS and Atom feeds (a file or a URL);
    WARC and WARC.gz; http(s) URLs; folders (everything above inside them). Anything else is
    refused with a reason (see `scamtrace rejects`); the batch goes on.
    """
    store = obj.store_to_write()
    with progress_bar() as prog:
        stats = api.ingest(store, sources, obj.settings, progress=prog)
        click.echo(f"ingest: {stats.summary()}", err=True)
        for reason in stats.reject_reasons[:20]:
            click.echo(f"  rejected: {reason}", err=True)
        for note in stats.notes[:20]:
            click.echo(f"  warning: {note}", err=True)
        if analyze:
            a = api.analyze(store, progress=prog, settings=obj.settings)
            click.echo(f"analyze: {a.summary()}", err=True)


@cli.command()
@click.option("--full", is_flag=True, help="Re-examine every article, not only new ones.")
@pass_ctx
def analyze(obj: Ctx, full: bool) -> None:
    """Find copies, families, stories, figures, quotes and events for new articles (incremental)."""
    with progress_bar() as prog:
        stats = api.analyze(obj.store, progress=prog, full=full, settings=obj.settings)
    click.echo(f"analyze: {stats.summary()}", err=True)


@cli.command()
@click.argument("query", required=False)
@click.option("--outlet", help="Only this outlet.")
@click.option("--limit", default=50, show_default=True)
@output_options
@pass_ctx
def articles(obj: Ctx, query: str | None, outlet: str | None, limit: int, fmt: str) -> None:
    """List articles, newest first, or search them (full-text)."""
    emit(api.articles(obj.store, query, limit=limit, outlet=outlet), fmt)


@cli.command()
@click.argument("article_id")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@pass_ctx
def show(obj: Ctx, article_id: str, fmt: str) -> None:
    """Show one article's metadata and clean text."""
    d = api.article(obj.store, article_id)
    if fmt == "json":
        click.echo(json.dumps(d, ensure_ascii=False, indent=2))
        return
    for k in ("id", "title", "outlet", "url", "published", "byline", "dateline", "credit", "contributors",
              "language", "truncated", "family", "source", "cleaner", "warning"):
        if d.get(k) not in (None, [], ""):
            click.echo(f"{k:>12}: {d[k]}")
    click.echo("")
    click.echo(d["text"])


@cli.command()
@click.option("--limit", default=1000, show_default=True)
@output_options
@pass_ctx
def rejects(obj: Ctx, limit: int, fmt: str) -> None:
    """Inputs that could not be ingested, with the reason and what to do."""
    rows, total = api.rejects(obj.store, limit)
    emit(rows, fmt)
    if total > len(rows):
        click.echo(f"showing the newest {len(rows):,} of {total:,} rejects; raise --limit to see more", err=True)


@cli.command()
@click.argument("article_id")
@click.option("--width", default=0, help="Terminal width for the side-by-side view (0: detect).")
@pass_ctx
def copies(obj: Ctx, article_id: str, width: int) -> None:
    """Show an article's copy links side by side, with the evidence."""
    click.echo(render_copies(api.copies_view(obj.store, article_id), width or shutil.get_terminal_size().columns))


@cli.command()
@click.argument("a")
@click.argument("b")
@click.argument("decision", type=click.Choice(["same", "different"]))
@click.option("--note", help="Why (kept with the judgement).")
@pass_ctx
def alias(obj: Ctx, a: str, b: str, decision: str, note: str | None) -> None:
    """Record that two actor names are the same actor or different ones; `analyze` respects it."""
    if a == b:
        for name in (a, b):
            api.require_actor_name(obj.store, name)
        raise click.UsageError("name two different actors")
    api.judge_alias(obj.store, a, b, decision, note)
    click.echo(f"recorded: {a!r} {decision} {b!r}; run `scamtrace analyze` to apply", err=True)


@cli.command()
@output_options
@pass_ctx
def actors(obj: Ctx, fmt: str) -> None:
    """Actors across all articles, with their aliases (most mentioned first)."""
    emit(api.actors(obj.store), fmt)


@cli.command()
@output_options
@pass_ctx
def outlets(obj: Ctx, fmt: str) -> None:
    """Per outlet: articles, copies by relation, copies without credit, mean spin score."""
    emit(api.outlet_stats(obj.store), fmt)


@cli.command()
@click.argument("a")
@click.argument("b")
@click.argument("decision", type=click.Choice(["copy", "not-copy"]))
@click.option("--note", help="Why (kept with the judgement).")
@pass_ctx
def judge(obj: Ctx, a: str, b: str, decision: str, note: str | None) -> None:
    """Record a human judgement on a pair; every later `analyze` respects it."""
    api.judge(obj.store, a, b, decision, note)
    click.echo(f"recorded: {a} {decision} {b}; run `scamtrace analyze` to apply", err=True)


@cli.command()
@click.argument("query", required=False)
@click.option("--limit", default=50, show_default=True)
@output_options
@pass_ctx
def stories(obj: Ctx, query: str | None, limit: int, fmt: str) -> None:
    """List stories, most independent sources first, or those whose articles match QUERY."""
    emit(api.stories(obj.store, query, limit), fmt)


@cli.command()
@click.argument("story_id")
@pass_ctx
def story(obj: Ctx, story_id: str) -> None:
    """A readable brief of one story: timeline, actors, figures with corroboration and conflicts, quotes."""
    click.echo(render_story(api.story_view(obj.store, story_id), min(120, shutil.get_terminal_size().columns)))


EXPORT_WHATS = ["articles", "copies", "families", "stories", "figures", "quotes", "entities", "events", "threads"]


@cli.command()
@click.argument("what", type=click.Choice(EXPORT_WHATS), required=False)
@click.option("--format", "fmt", type=click.Choice([*FORMATS, "ftm", "graphml"]), default="jsonl", show_default=True,
              help="jsonl or csv for one table; ftm (FollowTheMoney entities, the whole store); "
                   "graphml (entities: the actor network; families or copies: the copy graph)")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="-",
              help="File to write (default: stdout).")
@raw_option
@pass_ctx
def export(obj: Ctx, what: str | None, fmt: str, output: str) -> None:
    """Export articles, copies, families, stories, figures, quotes, entities or events."""
    if fmt == "graphml":
        graph = GRAPH_OF_EXPORT.get(what or "")
        if graph is None:
            raise click.UsageError("--format graphml exports `entities` (the actor network) or `families`/`copies` "
                                   "(the copy graph)")
        with click.open_file(output, "w", encoding="utf-8", lazy=False) as out:
            nodes, edges = export_graphml(obj.store, out, graph)
        if output != "-":
            click.echo(f"wrote {nodes} nodes and {edges} edges to {output}", err=True)
        return
    if fmt == "ftm":
        if what is not None:
            raise click.UsageError(f"--format ftm exports the whole store as one FollowTheMoney graph, not only "
                                   f"{what}; drop {what!r} (scamtrace export --format ftm) or use --format jsonl|csv")

        with click.open_file(output, "w", encoding="utf-8", lazy=False) as out:
            n = export_ftm(obj.store, out)
        if output != "-":
            click.echo(f"wrote {n} FollowTheMoney entities to {output}", err=True)
        return
    if what is None:
        raise click.UsageError(f"name what to export: one of {', '.join(EXPORT_WHATS)}")
    records, columns = api.export_records(obj.store, what)
    with click.open_file(output, "w", encoding="utf-8", lazy=False) as out:
        n = write_records(records, fmt, out, columns, raw=_csv_raw())
    if output != "-":
        click.echo(f"wrote {n} {what} to {output}", err=True)


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--every", default="15m", show_default=True, help="Interval: 30s, 15m, 1h or seconds.")
@click.option("--max-cycles", type=int, default=None, help="Stop after this many cycles (default: run until stopped).")
@click.option("--analyze/--no-analyze", default=True, show_default=True, help="Run analyze after each batch.")
@pass_ctx
def watch(obj: Ctx, sources: tuple[str, ...], every: str, max_cycles: int | None, analyze: bool) -> None:
    """Poll feeds and pages on a schedule, ingest only what is new; Ctrl-C stops cleanly."""
    api.watch(obj.store_to_write(), list(sources), every, settings=obj.settings, analyze=analyze, max_cycles=max_cycles,
              say=lambda line: click.echo(f"watch: {line}", err=True))


@cli.group("eval")
def eval_group() -> None:
    """Measure quality against gold files and public benchmarks."""


@eval_group.command("copies")
@click.option("--gold", type=click.Path(exists=True, dir_okay=False), required=True, help="Gold JSONL file.")
@click.option("--half", type=click.Choice(["A", "B"]), default=None,
              help="realnews gold only: score one fixed half of the stories (the split of realnews-dev/score.py).")
@click.option("--silver", type=click.Path(exists=True, dir_okay=False), default=None,
              help="stories gold (ECB+) only: silver near-duplicate pairs ({a, b}) to measure recall on.")
@pass_ctx
def eval_copies(obj: Ctx, gold: str, half: str | None, silver: str | None) -> None:
    """Score copy links against a gold file.

    Three formats: copy gold ({key, family, relation, source}: precision/recall/F1 per relation);
    realnews records ({id, story, derived_from, relation}: pairs found, relation right with a
    confusion matrix, arrow right/reversed/none, links across stories, family B-cubed); story-only
    records ({id, story}, ECB+: links across stories, quotation-only links, silver recall).
    """
    result = api.eval_copies(obj.store, Path(gold), half=half, silver=Path(silver) if silver else None)
    click.echo(result.report())


def _eval_store_command(kind: str, doc: str) -> None:
    @eval_group.command(kind, help=doc)
    @click.option("--gold", type=click.Path(exists=True, dir_okay=False), required=True,
                  help="Gold JSONL file (one fact a line), or for stories and figures a realnews-dev articles.jsonl "
                       "(stories also read ECB+'s gold.jsonl).")
    @click.option("--half", type=click.Choice(["A", "B"]), default=None,
                  help="With a realnews-dev (or, for stories, ECB+) file: score one fixed half of its stories, split "
                       "by a hash of the story slug as realnews-dev's score.py --half (tune on A, report both).")
    @pass_ctx
    def _cmd(obj: Ctx, gold: str, half: str | None) -> None:
        click.echo(format_result(kind, api.eval_store(obj.store, kind, Path(gold), half=half)))


_eval_store_command("stories", "B-cubed precision, recall and F1 of stories against a gold file: scamtrace's "
                    "(key, story), realnews-dev's articles.jsonl or ECB+'s gold.jsonl (id, story); with chaining "
                    "(largest predicted/gold size ratio).")
_eval_store_command("figures", "Figure precision/recall/F1 (value, what and date all right) against a gold file.")
_eval_store_command("quotes", "Quote attribution precision/recall/F1 against a gold file.")
_eval_store_command("events", "Event precision/recall/F1 (type, date, sentence) against a gold file.")


@eval_group.command("clough-stevenson")
@click.option("--dir", "bench_dir", type=click.Path(file_okay=False), default=None,
              help="The corpus folder (default: $SCAMTRACE_SHARED/benchmarks/clough-stevenson).")
@click.option("--mode", type=click.Choice(["fixed", "loo", "person", "task"]), default="loo", show_default=True,
              help="fixed thresholds, or held out: leave one answer / person / task out")
@click.option("--version", "version", type=click.Choice(["v3", "v2"]), default="v3", show_default=True,
              help="The label cascade (v2: before the sentence-edit feature).")
def eval_clough(bench_dir: str | None, mode: str, version: str) -> None:
    """Accuracy, macro-F1, per-class F1 and confusion on the Clough-Stevenson text-reuse corpus."""
    res = api.eval_clough_stevenson(bench_dir, mode, version)
    lines = [_fmt_result({k: v for k, v in res.items() if isinstance(v, (int, float, str))})]
    lines.append("f1 per class: " + ", ".join(f"{c} {v:.3f}" for c, v in res.get("f1", {}).items()))
    conf = res.get("confusion") or {}
    if conf:
        classes = list(conf)
        lines.append("confusion (gold row -> predicted column):")
        lines.append("  " + "".join(f"{c:>7}" for c in classes))
        for g in classes:
            lines.append(f"  {g:<6}" + "".join(f"{conf[g].get(p, 0):>7}" for p in classes))
    click.echo("\n".join(lines))


@eval_group.command("extraction")
@click.option("--dir", "bench_dir", type=click.Path(file_okay=False), default=None,
              help="The benchmark folder (default: $SCAMTRACE_SHARED/benchmarks/article-extraction).")
def eval_extraction(bench_dir: str | None) -> None:
    """Main-text extraction F1 against the article-extraction benchmark, next to trafilatura's own."""
    res = api.eval_extraction(bench_dir)
    click.echo(_fmt_result({**res, "worst": ", ".join(res["worst"])}))


def _fmt_result(res: dict[str, Any]) -> str:
    """``key: value`` lines, floats to four places."""
    return "\n".join(f"{k}: {v:.4f}" if isinstance(v, float) else f"{k}: {v}" for k, v in res.items())


def _add_serve() -> None:
    try:
        from .web.cli import serve
    except ImportError as e:   # the web extra is not installed
        missing = str(e)

        @cli.command("serve")
        def serve_missing() -> None:
            """Local web workspace (needs the web extra: pip install 'scamtrace[web]')."""
            raise click.ClickException(f"the web workspace needs the web extra ({missing}); "
                                       "install it with: pip install 'scamtrace[web]'")
        return
    cli.add_command(serve)


_add_serve()


def _add_report() -> None:
    cli.add_command(report)


_add_report()


@cli.group("spark")
def spark_group() -> None:
    """Run the copies, story and extraction engines on Apache Spark (needs scamtrace[spark] and Java 17).

    INPUT is one or more JSONL, Parquet or WARC paths, directories or globs (local, hdfs://,
    s3a://, ...); OUTPUT a directory that receives Parquet tables (articles, links, families,
    stories, rejects; with `analyze` also mentions, figures, quotes, date_refs, events) and
    _run.json. Load them with `scamtrace import-parquet OUTPUT`.
    """


_SPARK_HELP = {"copies": "Find copies and families of INPUT articles on Spark; write Parquet to OUTPUT.",
               "stories": "Copies, families and stories of INPUT articles on Spark; write Parquet to OUTPUT.",
               "analyze": "Copies, families, stories and extraction (entities, figures, dates, quotes, events) "
                          "of INPUT articles on Spark; write Parquet to OUTPUT."}


def _spark_cmd(job: str):  # noqa: ANN202
    @spark_group.command(job, help=_SPARK_HELP[job])
    @click.argument("paths", nargs=-1, required=True, metavar="INPUT... OUTPUT")
    @click.option("--master", default=None, help="Spark master (default: spark-submit's, else local[*]).")
    @click.option("--conf", "confs", multiple=True, type=(str, str), metavar="KEY VALUE",
                  help="A Spark setting, e.g. --conf spark.sql.shuffle.partitions 64 (repeatable).")
    def run(paths: tuple[str, ...], master: str | None, confs: tuple[tuple[str, str], ...]) -> None:
        if len(paths) < 2:
            raise click.UsageError("give at least one INPUT and the OUTPUT directory")
        done = api.spark_run(job, list(paths[:-1]), paths[-1], master=master, conf=dict(confs),
                             say=lambda s: click.echo(f"spark {job}: {s}", err=True))
        click.echo(spark_summary(done), err=True)

    return run


def spark_summary(run: api.SparkRun) -> str:
    """One line: the rows a Spark run wrote per table, and where."""
    c = run.counts
    return (f"spark {run.job}: {c.get('articles', 0):,} articles, {c.get('links', 0):,} links, "
            f"{c.get('families', 0):,} families"
            + (f", {c.get('stories', 0):,} stories" if "stories" in c else "")
            + (f", {c.get('figures', 0):,} figures, {c.get('quotes', 0):,} quotes, {c.get('events', 0):,} events"
               if "figures" in c else "")
            + f", {c.get('rejects', 0):,} rejects -> {run.output}")


spark_copies = _spark_cmd("copies")
spark_stories = _spark_cmd("stories")
spark_analyze = _spark_cmd("analyze")


@cli.command("import-parquet")
@click.argument("output", type=click.Path(exists=True, file_okay=False))
@click.option("--extract/--no-extract", default=False, show_default=True,
              help="For an output of `spark copies|stories`: also extract figures, quotes and events here (slow: "
                   "runs the NLP on every article). An output of `spark analyze` brings its extraction.")
@click.option("--stories", "stories", type=click.Choice(["table", "store"]), default="table", show_default=True,
              help="table: the output's stories (stories.online-v2); store: cluster them in the store with the "
                   "embedded algorithm, as `analyze` does.")
@pass_ctx
def import_parquet_cmd(obj: Ctx, output: str, extract: bool, stories: str) -> None:
    """Load a Spark job's OUTPUT (articles, links, families, stories, rejects, and the extraction
    tables of `spark analyze`) into the store."""
    with progress_bar() as prog:
        counts = api.import_parquet(obj.store_to_write(), output, extract=extract, progress=prog, stories=stories)
    click.echo("import-parquet: " + ", ".join(f"{k} {v}" for k, v in counts.items() if v), err=True)


_attach_examples(cli)


def main() -> None:
    try:
        rv = cli.main(prog_name="scamtrace", standalone_mode=False)
        if isinstance(rv, int) and rv:
            sys.exit(rv)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except ScamtraceError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(1)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
    except sqlite3.DatabaseError as e:   # pages found damaged after the store was opened
        if not is_damage(e) or logging.getLogger().isEnabledFor(logging.DEBUG):
            _unexpected(e)
        click.echo(f"error: {damaged_message(Ctx.last_db or api.DEFAULT_DB, e)}", err=True)
        sys.exit(1)
    except UnicodeDecodeError as e:   # damaged pages can hold text that is no longer UTF-8
        db = Ctx.last_db or api.DEFAULT_DB
        if not Path(db).is_file() or not (_raised_reading_store(e) or fails_quick_check(db)):
            _unexpected(e)
        click.echo(f"error: {damaged_message(db, e)}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("interrupted: everything committed so far is kept; rerun to resume", err=True)
        sys.exit(130)
    except Exception as e:  # a bug: one line by default, the traceback with -vv
        _unexpected(e)


def _raised_reading_store(e: BaseException) -> bool:
    """True when ``e`` was raised by the store's own code (a row SQLite handed back undecodable)."""
    tb = e.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and Path(tb.tb_frame.f_code.co_filename).parent.name == "store"


def _unexpected(e: Exception) -> None:
    if logging.getLogger().isEnabledFor(logging.DEBUG):
        raise e
    click.echo(f"error: unexpected {type(e).__name__}: {e}; rerun with -vv for the traceback and "
               "report it", err=True)
    sys.exit(2)


if __name__ == "__main__":
    main()
