"""The ``scamtrace`` command: a thin click layer over :mod:`scamtrace.api`.

Logic lives in the stage packages; this file parses options, calls one API verb and formats output.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from . import __version__, api
from .errors import ScamtraceError
from .export import FORMATS, write_records
from .settings import SETTINGS, Settings

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
DEFAULT_DB = "scamtrace.db"


class Ctx:
    def __init__(self, db: str, settings: Settings):
        self.db_path = db
        self.settings = settings
        self._store = None

    @property
    def store(self):  # noqa: ANN201
        if self._store is None:
            self._store = api.open_store(self.db_path)
        return self._store


pass_ctx = click.make_pass_decorator(Ctx)


@contextlib.contextmanager
def progress_bar() -> Iterator[api.Progress]:
    """A rich progress bar on a terminal; nothing at all in a pipe or file."""
    if not sys.stderr.isatty():
        yield lambda label, done, total: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    tasks: dict[str, Any] = {}
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=__import__("rich.console").console.Console(stderr=True),
                  transient=True) as bar:
        def update(label: str, done: int, total: int | None) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(label, total=total)
            bar.update(tasks[label], completed=done, total=total)
        yield update


def output_options(fn):  # noqa: ANN001, ANN201
    """Shared options for every listing: the same formats everywhere."""
    fn = click.option("--format", "fmt", type=click.Choice(["table", *FORMATS]), default="table",
                      show_default=True, help="table for people, jsonl or csv for scripts")(fn)
    return fn


def emit(rows: list[dict], fmt: str, columns: list[str] | None = None) -> None:
    if fmt != "table":
        write_records(rows, fmt, sys.stdout, columns)
        return
    if not rows:
        click.echo("(none)", err=True)
        return
    cols = columns or list(rows[0].keys())
    widths = {c: min(60, max(len(c), *(len(_short(r.get(c))) for r in rows))) for c in cols}
    click.echo("  ".join(c.ljust(widths[c]) for c in cols))
    for r in rows:
        click.echo("  ".join(_short(r.get(c))[:widths[c]].ljust(widths[c]) for c in cols))


def _short(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, dict)):
        v = json.dumps(v, ensure_ascii=False)
    return str(v).replace("\n", " ")


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", prog_name="scamtrace")
@click.option("--db", default=lambda: os.environ.get("SCAMTRACE_DB", DEFAULT_DB), show_default="scamtrace.db or $SCAMTRACE_DB",
              help="SQLite store to use (created if missing).")
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
        ctx.obj = Ctx(db, Settings(**dict(settings)))
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
    """Ingest files, directories, JSONL, RSS/Atom feeds, WARC files and http(s) URLs."""
    with progress_bar() as prog:
        stats = api.ingest(obj.store, sources, obj.settings, progress=prog)
        click.echo(f"ingest: {stats.summary()}", err=True)
        for reason in stats.reject_reasons[:20]:
            click.echo(f"  rejected: {reason}", err=True)
        if analyze:
            a = api.analyze(obj.store, progress=prog)
            click.echo(f"analyze: {a.summary()}", err=True)


@cli.command()
@click.option("--full", is_flag=True, help="Re-examine every article, not only new ones.")
@pass_ctx
def analyze(obj: Ctx, full: bool) -> None:
    """Find copies, families, stories, figures, quotes and events for new articles (incremental)."""
    with progress_bar() as prog:
        stats = api.analyze(obj.store, progress=prog, full=full)
    click.echo(f"analyze: {stats.summary()}", err=True)


@cli.command()
@click.argument("query", required=False)
@click.option("--outlet", help="Only this outlet.")
@click.option("--limit", default=50, show_default=True)
@output_options
@pass_ctx
def articles(obj: Ctx, query: str | None, outlet: str | None, limit: int, fmt: str) -> None:
    """List articles, newest first, or search them (full-text)."""
    emit(obj.store.list_articles(query, limit=limit, outlet=outlet), fmt)


@cli.command()
@click.argument("article_id")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@pass_ctx
def show(obj: Ctx, article_id: str, fmt: str) -> None:
    """Show one article's metadata and clean text."""
    art = obj.store.get_article(article_id)
    d = art.to_dict()
    d["family"] = obj.store.family_of(article_id)
    if fmt == "json":
        click.echo(json.dumps(d, ensure_ascii=False, indent=2))
        return
    for k in ("id", "title", "outlet", "url", "published", "byline", "dateline", "credit", "contributors",
              "language", "truncated", "family", "source", "cleaner"):
        if d.get(k) not in (None, [], ""):
            click.echo(f"{k:>12}: {d[k]}")
    click.echo("")
    click.echo(art.text)


@cli.command()
@click.option("--limit", default=1000, show_default=True)
@output_options
@pass_ctx
def rejects(obj: Ctx, limit: int, fmt: str) -> None:
    """Inputs that could not be ingested, with the reason and what to do."""
    emit(obj.store.rejects(limit), fmt)


@cli.command()
@click.argument("article_id")
@click.option("--width", default=0, help="Terminal width for the side-by-side view (0: detect).")
@pass_ctx
def copies(obj: Ctx, article_id: str, width: int) -> None:
    """Show an article's copy links side by side, with the evidence."""
    click.echo(api.render_copies(obj.store, article_id, width or shutil.get_terminal_size().columns))


@cli.command()
@click.argument("a")
@click.argument("b")
@click.argument("decision", type=click.Choice(["same", "different"]))
@click.option("--note", help="Why (kept with the judgement).")
@pass_ctx
def alias(obj: Ctx, a: str, b: str, decision: str, note: str | None) -> None:
    """Record that two actor names are the same actor or different ones; `analyze` respects it."""
    obj.store.add_judgement(a, b, decision, note, kind="alias")
    click.echo(f"recorded: {a!r} {decision} {b!r}; run `scamtrace analyze` to apply", err=True)


@cli.command()
@output_options
@pass_ctx
def actors(obj: Ctx, fmt: str) -> None:
    """Actors across all articles, with their aliases (most mentioned first)."""
    import json as _json

    emit([{"actor": r["name"], "label": r["label"], "mentions": r["mentions"],
           "aliases": [x[0] for x in obj.store.execute("SELECT alias FROM actor_aliases WHERE actor = ? ORDER BY alias",
                                                         (r["name"],))],
           "evidence": _json.loads(r["evidence"])}
          for r in obj.store.execute("SELECT * FROM actors ORDER BY mentions DESC, name")], fmt)


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
    obj.store.add_judgement(a, b, decision, note)
    click.echo(f"recorded: {a} {decision} {b}; run `scamtrace analyze` to apply", err=True)


@cli.command()
@click.argument("query", required=False)
@click.option("--limit", default=50, show_default=True)
@output_options
@pass_ctx
def stories(obj: Ctx, query: str | None, limit: int, fmt: str) -> None:
    """List stories, most independent sources first, or those whose articles match QUERY."""
    rows = [{"story": s["id"], "first_seen": s["first_seen"], "last_seen": s["last_seen"], "articles": s["size"],
             "sources": s["families"], "title": s["title"]} for s in obj.store.stories(limit, query)]
    emit(rows, fmt)


@cli.command()
@click.argument("story_id")
@pass_ctx
def story(obj: Ctx, story_id: str) -> None:
    """A readable brief of one story: timeline, actors, figures with corroboration and conflicts, quotes."""
    from .knowledge.brief import render_story

    click.echo(render_story(obj.store, story_id, min(120, shutil.get_terminal_size().columns)))


EXPORT_WHATS = ["articles", "copies", "families", "stories", "figures", "quotes", "entities", "events"]


@cli.command()
@click.argument("what", type=click.Choice(EXPORT_WHATS), required=False)
@click.option("--format", "fmt", type=click.Choice([*FORMATS, "ftm", "graphml"]), default="jsonl", show_default=True,
              help="jsonl or csv for one table; ftm (FollowTheMoney entities, the whole store); "
                   "graphml (entities: the actor network; families or copies: the copy graph)")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="-",
              help="File to write (default: stdout).")
@pass_ctx
def export(obj: Ctx, what: str | None, fmt: str, output: str) -> None:
    """Export articles, copies, families, stories, figures, quotes, entities or events."""
    if fmt == "graphml":
        from .export.graphml import GRAPH_OF_EXPORT, export_graphml

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
        from .export.ftm import export_ftm

        with click.open_file(output, "w", encoding="utf-8", lazy=False) as out:
            n = export_ftm(obj.store, out)
        if output != "-":
            click.echo(f"wrote {n} FollowTheMoney entities to {output}", err=True)
        return
    if what is None:
        raise click.UsageError(f"name what to export: one of {', '.join(EXPORT_WHATS)}")
    records, columns = api.export_records(obj.store, what)
    with click.open_file(output, "w", encoding="utf-8", lazy=False) as out:
        n = write_records(records, fmt, out, columns)
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
    api.watch(obj.store, list(sources), every, settings=obj.settings, analyze=analyze, max_cycles=max_cycles)


@cli.group("eval")
def eval_group() -> None:
    """Measure quality against gold files and public benchmarks."""


@eval_group.command("copies")
@click.option("--gold", type=click.Path(exists=True, dir_okay=False), required=True, help="Gold JSONL file.")
@pass_ctx
def eval_copies(obj: Ctx, gold: str) -> None:
    """Precision, recall and F1 per copy relation against a gold file (keys: id, file name or URL)."""
    report = api.eval_copies(obj.store, Path(gold))
    click.echo(report)


def _eval_store_command(kind: str, doc: str) -> None:
    @eval_group.command(kind, help=doc)
    @click.option("--gold", type=click.Path(exists=True, dir_okay=False), required=True, help="Gold JSONL file.")
    @pass_ctx
    def _cmd(obj: Ctx, gold: str) -> None:
        from .eval.store_eval import evaluate_store, format_result

        click.echo(format_result(kind, evaluate_store(obj.store, kind, Path(gold))))


_eval_store_command("stories", "B-cubed precision, recall and F1 of stories against a gold file.")
_eval_store_command("figures", "Figure precision/recall/F1 (value, what and date all right) against a gold file.")
_eval_store_command("quotes", "Quote attribution precision/recall/F1 against a gold file.")
_eval_store_command("events", "Event precision/recall/F1 (type, date, sentence) against a gold file.")


@eval_group.command("clough-stevenson")
@click.option("--dir", "bench_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="The corpus folder (default: ../shared/benchmarks/clough-stevenson).")
@click.option("--mode", type=click.Choice(["fixed", "loo", "person", "task"]), default="loo", show_default=True,
              help="fixed thresholds, or held out: leave one answer / person / task out")
@click.option("--version", "version", type=click.Choice(["v3", "v2"]), default="v3", show_default=True,
              help="The label cascade (v2: before the sentence-edit feature).")
def eval_clough(bench_dir: str | None, mode: str, version: str) -> None:
    """Accuracy, macro-F1, per-class F1 and confusion on the Clough-Stevenson text-reuse corpus."""
    click.echo(api.eval_clough_stevenson(bench_dir, mode, version))


@eval_group.command("extraction")
@click.option("--dir", "bench_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="The benchmark folder (default: ../shared/benchmarks/article-extraction).")
def eval_extraction(bench_dir: str | None) -> None:
    """Main-text extraction F1 against the article-extraction benchmark, next to trafilatura's own."""
    click.echo(api.eval_extraction(bench_dir))


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
    from .report.cli import report

    cli.add_command(report)


_add_report()


@cli.group("spark")
def spark_group() -> None:
    """Run the copies and story engines on Apache Spark (needs scamtrace[spark] and Java 17).

    INPUT is one or more JSONL, Parquet or WARC paths, directories or globs (local, hdfs://,
    s3a://, ...); OUTPUT a directory that receives Parquet tables (articles, links, families,
    stories, rejects) and _run.json. Load them with `scamtrace import-parquet OUTPUT`.
    """


_SPARK_HELP = {"copies": "Find copies and families of INPUT articles on Spark; write Parquet to OUTPUT.",
               "stories": "Copies, families and stories of INPUT articles on Spark; write Parquet to OUTPUT."}


def _spark_cmd(job: str):  # noqa: ANN202
    @spark_group.command(job, help=_SPARK_HELP[job])
    @click.argument("paths", nargs=-1, required=True, metavar="INPUT... OUTPUT")
    @click.option("--master", default=None, help="Spark master (default: spark-submit's, else local[*]).")
    @click.option("--conf", "confs", multiple=True, type=(str, str), metavar="KEY VALUE",
                  help="A Spark setting, e.g. --conf spark.sql.shuffle.partitions 64 (repeatable).")
    def run(paths: tuple[str, ...], master: str | None, confs: tuple[tuple[str, str], ...]) -> None:
        if len(paths) < 2:
            raise click.UsageError("give at least one INPUT and the OUTPUT directory")
        info = api.spark_run(job, list(paths[:-1]), paths[-1], master=master, conf=dict(confs),
                             say=lambda s: click.echo(f"spark {job}: {s}", err=True))
        c = info["counts"]
        click.echo(f"spark {job}: {c.get('articles', 0):,} articles, {c.get('links', 0):,} links, "
                   f"{c.get('families', 0):,} families"
                   + (f", {c.get('stories', 0):,} stories" if "stories" in c else "")
                   + f", {c.get('rejects', 0):,} rejects -> {paths[-1]}", err=True)

    return run


spark_copies = _spark_cmd("copies")
spark_stories = _spark_cmd("stories")


@cli.command("import-parquet")
@click.argument("output", type=click.Path(exists=True, file_okay=False))
@click.option("--extract/--no-extract", default=False, show_default=True,
              help="Also extract figures, quotes and events (slow: runs the NLP on every article).")
@pass_ctx
def import_parquet_cmd(obj: Ctx, output: str, extract: bool) -> None:
    """Load a Spark job's OUTPUT (articles, links, families, stories, rejects) into the store."""
    with progress_bar() as prog:
        counts = api.import_parquet(obj.store, output, extract=extract, progress=prog)
    click.echo("import-parquet: " + ", ".join(f"{k} {v}" for k, v in counts.items() if v), err=True)


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
    except KeyboardInterrupt:
        click.echo("interrupted: everything committed so far is kept; rerun to resume", err=True)
        sys.exit(130)
    except Exception as e:  # a bug: one line by default, the traceback with -vv
        if logging.getLogger().isEnabledFor(logging.DEBUG):
            raise
        click.echo(f"error: unexpected {type(e).__name__}: {e}; rerun with -vv for the traceback and "
                   "report it", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
