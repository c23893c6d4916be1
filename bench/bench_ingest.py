"""Ingest throughput benchmark: ``scamtrace ingest`` against trafilatura alone, same process, same inputs.

    .venv/bin/python bench/bench_ingest.py                 # N=2000, about 30-60 s on a shared 2-core box
    .venv/bin/python bench/bench_ingest.py --n 10000       # the reported figure, about 2.5-3 min
    .venv/bin/python bench/bench_ingest.py --n 500 --profile --json
    .venv/bin/python bench/bench_ingest.py --n 4000 --batches 8   # incremental ingest: cost per batch
    .venv/bin/python bench/bench_ingest.py --n 2000 --workers 1   # cleaning in one process (default: one per core)

The demo corpus (``examples/demo/sources.txt``) is read once and replicated to N articles in a
temporary folder: pages of ``html/`` and files of ``text/`` become N-scaled ``.html``/``.txt``
files, every other demo document (JSONL records, feed entries, WARC responses) becomes a line of
``replicas.jsonl`` with a unique id and URL. Every copy gets a unique token appended to each
paragraph of 100+ characters, so ids, raw hashes and story paragraphs all differ while page
chrome repeats as on a real site. Checked and printed: how many stored texts are distinct, and how
many equal (tokens removed) the text the demo article gets when the demo corpus alone is ingested.

Two timed runs over those files:

(a) baseline: read each file / JSONL line, decode it, and run ``trafilatura.extract`` (default
    options) on every HTML body; plain text is only read;
(b) ``scamtrace.api.ingest`` into a fresh SQLite store: ``iter_sources`` + clean + store + the
    per-outlet boilerplate relearn (which re-cleans every page of each outlet it learns for), with
    the ``workers`` setting of ``--workers`` (default 0: pages are cleaned by one process per core;
    its CPU seconds include the workers'; the stage table only sees this process, so run
    ``--workers 1`` to see where cleaning time goes).

With ``--batches K`` the same files are ingested in K consecutive calls (as ``scamtrace watch``
or daily runs would) and the time of each call is printed. Prints articles/s (wall and CPU: the
box is shared, so CPU seconds are the steadier figure) for both and their ratio; run (b) has no
instrumentation. Then, unless ``--no-stages``, a third run ingests the same files into another
fresh store with stage wrappers installed around the pipeline's own functions, and prints where
the ingest time goes (the wrappers add a few microseconds to each of tens of thousands of calls,
so that run's CPU seconds are printed beside (b)'s; before this split the ratio was measured on
the instrumented run). ``--profile`` adds a cProfile summary of run (b). Nothing under ``src/`` is
changed.
"""
from __future__ import annotations

import argparse
import contextlib
import cProfile
import functools
import html as html_lib
import io
import json
import pstats
import re
import resource
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import trafilatura

import scamtrace.clean
import scamtrace.clean.html
import scamtrace.ingest
import scamtrace.clean.stage
import scamtrace.pipeline
from scamtrace.settings import Settings, resolve_workers
from scamtrace import api
from scamtrace.model import RawDoc
from scamtrace.store import Store

REPO = Path(__file__).resolve().parents[1]
DEMO_DIR = REPO / "examples" / "demo"
DEFAULT_N = 2000
#: Demo documents from these folders are written back as files; all others go to the JSONL file.
FILE_KINDS = {"html": ".html", "text": ".txt"}
_P_CLOSE = re.compile(r"</p\s*>", re.I)
_P_OPEN = re.compile(r"<p[\s>]", re.I)
_TAG = re.compile(r"<[^>]*>")
#: Every paragraph the demo's own cleaning keeps, and any paragraph (HTML ``<p>`` text or text
#: line) at least this long, gets the replica's token, so no story paragraph repeats across
#: replicas (repeated ones would rightly be learned as the outlet's boilerplate) while page chrome
#: stays identical and learnable: the longest gold boilerplate line of
#: examples/demo/gold/html_boilerplate is 78 characters.
TAG_MIN_CHARS = 100
TOKEN_RE = re.compile(r" ?\[bench ref zq(\d{6})x\]")


# -- the replicated corpus --------------------------------------------------------------------

@dataclass
class Corpus:
    """The replicated inputs, in one folder per ingest batch (``b00/``, ``b01/`` ...), each with
    ``html/``, ``text/`` and ``replicas.jsonl``; and how many articles they hold."""

    root: Path
    batches: int = 1
    files: list[Path] = field(default_factory=list)
    jsonl_records: int = 0
    html_bodies: int = 0

    @property
    def articles(self) -> int:
        return len(self.files) + self.jsonl_records

    def batch_dir(self, b: int) -> Path:
        return self.root / f"b{b:02d}"

    @property
    def jsonls(self) -> list[Path]:
        return [p for b in range(self.batches) if (p := self.batch_dir(b) / "replicas.jsonl").is_file()]

    def sources(self, b: int) -> list[str]:
        """What ``ingest`` is given for batch ``b``: the two folders and the JSONL file."""
        d = self.batch_dir(b)
        out = [str(d / k) for k in FILE_KINDS if (d / k).is_dir()]
        return out + ([str(d / "replicas.jsonl")] if (d / "replicas.jsonl").is_file() else [])


def demo_docs(demo_dir: Path) -> list[RawDoc]:
    """Every document of the demo corpus as ``iter_sources`` reads it (rejects dropped)."""
    listed = [ln.strip() for ln in (demo_dir / "sources.txt").read_text("utf-8").splitlines()]
    paths = [str(demo_dir / p) for p in listed if p and not p.startswith("#")]
    docs = [d for d in scamtrace.ingest.iter_sources(paths) if isinstance(d, RawDoc)]
    if not docs:
        raise ValueError(f"no ingestible documents under {demo_dir}; is it the demo folder?")
    return docs


def _norm(text: str) -> str:
    return " ".join(html_lib.unescape(text).split())


def tag_html(body: str, token: str, content: frozenset[str] = frozenset()) -> str:
    """``body`` with `` token`` appended inside every ``<p>`` whose text is a paragraph of
    ``content`` (normalised) or at least :data:`TAG_MIN_CHARS` long (a new ``<p>`` at the end when
    none is)."""
    out: list[str] = []
    pos = start = 0
    for close in _P_CLOSE.finditer(body):
        opening = None
        for o in _P_OPEN.finditer(body, start, close.start()):
            opening = o
        start = close.end()
        if opening is None:
            continue
        text = _norm(_TAG.sub("", body[opening.end():close.start()]))
        if text in content or len(text) >= TAG_MIN_CHARS:
            out.append(body[pos:close.start()] + f" {token}")
            pos = close.start()
    if not out:
        return body + f"<p>{token}</p>"
    out.append(body[pos:])
    return "".join(out)


def tag_text(body: str, token: str, content: frozenset[str] = frozenset()) -> str:
    """``body`` with `` token`` appended to every line that is a paragraph of ``content`` or at
    least :data:`TAG_MIN_CHARS` long (to the longest line when none is)."""
    lines = body.split("\n")
    hits = [k for k, line in enumerate(lines) if _norm(line) in content or len(line.strip()) >= TAG_MIN_CHARS]
    for k in hits or [max(range(len(lines)), key=lambda k: len(lines[k]))]:
        lines[k] = lines[k].rstrip() + f" {token}"
    return "\n".join(lines)


def _stem(doc: RawDoc) -> str:
    return Path(doc.source.split("#", 1)[0]).name.split(".", 1)[0]


def _folder(doc: RawDoc) -> str | None:
    """``"html"``/``"text"`` for a demo file from those folders, else None (written to JSONL)."""
    if "#" in doc.source:
        return None
    parent = Path(doc.source).parent.name
    return parent if parent in FILE_KINDS else None


def _record(doc: RawDoc, i: int, body: str) -> dict[str, Any]:
    """A JSONL record for replica ``i`` of ``doc`` with a unique id and URL."""
    rec: dict[str, Any] = {"id": f"{doc.id or _stem(doc)}-r{i:06d}", "html" if doc.fmt == "html" else "text": body}
    if doc.url:
        rec["url"] = doc.url.rstrip("/") + f"/r{i:06d}"
    outlet = doc.outlet or (doc.extra.get("feed_title") if doc.extra else None)
    for key, value in (("outlet", outlet), ("title", doc.title), ("byline", doc.byline),
                       ("language", doc.language), ("published", doc.published.isoformat() if doc.published else None)):
        if value:
            rec[key] = value
    return rec


def write_corpus(docs: list[RawDoc], n: int, root: Path, batches: int = 1,
                 reference: dict[str, str] | None = None) -> Corpus:
    """Write ``n`` replicas of ``docs`` (round robin) under ``root``, split into ``batches``
    consecutive ingest batches; every replica is distinct. ``reference`` (from
    :func:`reference_texts`) names each document's content paragraphs, which all get the token."""
    if n < 1:
        raise ValueError(f"--n must be at least 1, got {n}")
    if not 1 <= batches <= min(n, 99):
        raise ValueError(f"--batches must be between 1 and min(n, 99) = {min(n, 99)}, got {batches}")
    corpus = Corpus(root, batches)
    reference = reference or {}
    content = {d.source: frozenset(_norm(p) for p in reference.get(d.source, "").split("\n\n") if p.strip())
               for d in docs}
    outs = []
    for b in range(batches):
        corpus.batch_dir(b).mkdir(parents=True)
        outs.append((corpus.batch_dir(b) / "replicas.jsonl").open("w", encoding="utf-8"))
    try:
        for i in range(n):
            b = i * batches // n
            doc = docs[i % len(docs)]
            token = f"[bench ref zq{i:06d}x]"   # matched by TOKEN_RE
            tag = tag_html if doc.fmt == "html" else tag_text
            body = tag(doc.body, token, content[doc.source])
            corpus.html_bodies += doc.fmt == "html"
            folder = _folder(doc)
            if folder:
                path = corpus.batch_dir(b) / folder / f"{_stem(doc)}-r{i:06d}{FILE_KINDS[folder]}"
                path.parent.mkdir(exist_ok=True)
                path.write_text(body, encoding="utf-8")
                corpus.files.append(path)
            else:
                outs[b].write(json.dumps(_record(doc, i, body), ensure_ascii=False) + "\n")
                corpus.jsonl_records += 1
    finally:
        for out in outs:
            out.close()
    for b in range(batches):
        jsonl = corpus.batch_dir(b) / "replicas.jsonl"
        if jsonl.stat().st_size == 0:
            jsonl.unlink()
    return corpus


def reference_texts(demo_dir: Path) -> dict[str, str]:
    """``{demo source: cleaned text}`` from ingesting the demo corpus alone into a memory store."""
    listed = [ln.strip() for ln in (demo_dir / "sources.txt").read_text("utf-8").splitlines()]
    store = api.open_store(":memory:")
    try:
        api.ingest(store, [str(demo_dir / p) for p in listed if p and not p.startswith("#")])
        return {a.source: a.text for a in store.iter_articles()}
    finally:
        store.close()


def fidelity(store: Store, docs: list[RawDoc], reference: dict[str, str]) -> dict[str, Any]:
    """How many stored replicas, tokens removed, have exactly the text their demo article gets
    alone; the demo documents whose replicas differ most are listed."""
    same = 0
    differ: dict[str, int] = defaultdict(int)
    for (text,) in store.execute("SELECT text FROM articles"):
        m = TOKEN_RE.search(text)
        doc = docs[int(m.group(1)) % len(docs)] if m else None
        if doc is not None and TOKEN_RE.sub("", text) == reference.get(doc.source):
            same += 1
        else:
            differ[Path(doc.source).name if doc else "(no token left)"] += 1
    return {"same_as_demo": same, "differ_by_doc": dict(sorted(differ.items(), key=lambda kv: -kv[1])[:8])}


# -- (a) the baseline -------------------------------------------------------------------------

def run_baseline(corpus: Corpus) -> dict[str, Any]:
    """Read + decode every input and run ``trafilatura.extract`` on HTML; returns counts and seconds."""
    extracted = empty = 0
    t_extract = 0.0
    t0, c0 = time.perf_counter(), time.process_time()

    def extract(html: str) -> None:
        nonlocal extracted, empty, t_extract
        t = time.perf_counter()
        text = trafilatura.extract(html)
        t_extract += time.perf_counter() - t
        extracted += bool(text)
        empty += not text

    for path in corpus.files:
        body = path.read_bytes().decode("utf-8")
        if path.suffix == ".html":
            extract(body)
    for jsonl in corpus.jsonls:
        with jsonl.open("rb") as fh:
            for line in fh:
                rec = json.loads(line)
                if "html" in rec:
                    extract(rec["html"])
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"articles": corpus.articles, "seconds": seconds, "articles_per_s": corpus.articles / seconds,
            "cpu_seconds": cpu, "articles_per_cpu_s": corpus.articles / cpu,
            "html_extracted": extracted, "html_empty": empty, "extract_seconds": t_extract}


# -- (b) scamtrace ingest, with stage timing --------------------------------------------------

class StageTimer:
    """Inclusive wall time and call counts per stage path ("relearn/clean/trafilatura").

    :meth:`patch` replaces attributes with timing wrappers; nested wrapped calls are charged to a
    path under their caller, so children can be subtracted from parents.
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._stack: list[str] = []
        self._restore: list[tuple[object, str, object]] = []

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self._stack.append(name)
        key = "/".join(self._stack)
        t, c = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.seconds[key] += time.perf_counter() - t
            self.cpu[key] += time.process_time() - c
            self.calls[key] += 1
            self._stack.pop()

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.stage(name):
                return fn(*args, **kwargs)
        return timed

    def wrap_iter(self, name: str, fn: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
        """Time each ``next()`` of the iterator ``fn`` returns (the consumer's work is not charged)."""
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Iterator[Any]:
            it = iter(fn(*args, **kwargs))
            while True:
                with self.stage(name):
                    try:
                        item = next(it)
                    except StopIteration:
                        return
                yield item
        return timed

    def patch(self, owner: object, attr: str, name: str, *, iterator: bool = False) -> None:
        original = getattr(owner, attr)
        self._restore.append((owner, attr, original))
        setattr(owner, attr, (self.wrap_iter if iterator else self.wrap)(name, original))

    def unpatch(self) -> None:
        while self._restore:
            owner, attr, original = self._restore.pop()
            setattr(owner, attr, original)

    def self_seconds(self, key: str, cpu: bool = False) -> float:
        """Wall (or CPU) time in ``key`` not spent in a timed child."""
        table = self.cpu if cpu else self.seconds
        depth = key.count("/") + 1
        children = sum(s for k, s in table.items() if k.startswith(key + "/") and k.count("/") == depth)
        return table[key] - children


@contextlib.contextmanager
def timed_pipeline() -> Iterator[StageTimer]:
    """Install stage timers around the pipeline's functions; removed on exit."""
    timer = StageTimer()
    timer.patch(scamtrace.pipeline, "iter_sources", "read+decode", iterator=True)
    timer.patch(scamtrace.pipeline, "load_boilerplate", "load-model")
    timer.patch(scamtrace.clean.stage, "clean_raw", "clean")
    timer.patch(scamtrace.pipeline, "relearn_boilerplate", "relearn")
    timer.patch(scamtrace.clean, "extract_main_text", "html-extract")
    timer.patch(scamtrace.clean.html, "bare_extraction", "trafilatura")
    timer.patch(scamtrace.clean.html.htmldate, "find_date", "htmldate")
    timer.patch(scamtrace.clean.BoilerplateModel, "fit", "fit-model")
    timer.patch(scamtrace.pipeline, "put_batch", "store")   # one transaction of WRITE_BATCH articles, commit included
    timer.patch(Store, "put_article", "put-article")
    timer.patch(Store, "add_reject", "store-reject")
    try:
        yield timer
    finally:
        timer.unpatch()


def _cpu() -> float:
    """CPU seconds of this process and of its ended children (ingest's worker processes)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


@contextlib.contextmanager
def untimed_pipeline() -> Iterator[StageTimer]:
    """No wrappers: the run whose seconds are compared with the baseline (the stage wrappers cost
    a few microseconds per call, tens of thousands of calls)."""
    yield StageTimer()


def run_ingest(corpus: Corpus, db: Path, profile: bool = False,
               check: tuple[list[RawDoc], dict[str, str]] | None = None, workers: int = 0,
               stages: bool = True) -> dict[str, Any]:
    """Ingest the corpus into a fresh store at ``db`` through ``api.ingest``, one call per batch;
    stats, per-batch times and (with ``stages``, timing wrappers installed) stage times."""
    if db.exists():
        raise ValueError(f"{db} already exists; --db must name a new file (the benchmark needs a fresh store)")
    store = api.open_store(db)
    prof = cProfile.Profile() if profile else None
    try:
        with (timed_pipeline if stages else untimed_pipeline)() as timer:
            per_batch = []
            summaries = []
            for b in range(corpus.batches):
                before = store.count_articles()
                t, c = time.perf_counter(), _cpu()
                with timer.stage("ingest"):
                    if prof:
                        prof.enable()
                    stats = api.ingest(store, corpus.sources(b), Settings(workers=workers))
                    if prof:
                        prof.disable()
                per_batch.append({"batch": b, "stored_before": before, "new": stats.new, "recleaned": stats.recleaned,
                                  "seconds": time.perf_counter() - t, "cpu_seconds": _cpu() - c})
                summaries.append(stats)
            seconds = sum(x["seconds"] for x in per_batch)
            cpu = sum(x["cpu_seconds"] for x in per_batch)
        distinct = store.execute("SELECT count(DISTINCT text) AS n FROM articles")[0]["n"]
        stored = store.count_articles()
        checked = fidelity(store, *check) if check else None
    finally:
        store.close()
    out = {"workers": resolve_workers(workers), "articles": corpus.articles, "stored": stored, "distinct_texts": distinct, "seconds": seconds,
           "articles_per_s": stored / seconds, "cpu_seconds": cpu, "articles_per_cpu_s": stored / cpu,
           "stats": "; ".join(s.summary() for s in summaries) if len(summaries) <= 3 else summaries[-1].summary(),
           "recleaned": sum(s.recleaned for s in summaries), "rejected": sum(s.rejected for s in summaries),
           "reject_reasons": [r for s in summaries for r in s.reject_reasons][:5], "batches": per_batch,
           "fidelity": checked,
           "stages": {k: {"seconds": round(v, 3), "self": round(timer.self_seconds(k), 3),
                          "cpu": round(timer.cpu[k], 3), "cpu_self": round(timer.self_seconds(k, cpu=True), 3),
                          "calls": timer.calls[k]}
                      for k, v in sorted(timer.seconds.items())}}
    if prof:
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(25)
        out["profile"] = buf.getvalue()
    return out


# -- report ------------------------------------------------------------------------------------

def _print_report(base: dict[str, Any], ing: dict[str, Any], corpus: Corpus) -> None:
    print(f"corpus: {corpus.articles} articles ({len(corpus.files)} files, {corpus.jsonl_records} JSONL records; "
          f"{corpus.html_bodies} HTML bodies)")
    print(f"{'run':<44}{'articles':>9}{'wall s':>9}{'art/s':>8}{'CPU s':>9}{'art/CPU-s':>10}")
    for name, r, n in ((f"(a) trafilatura {trafilatura.__version__} extract (+ read text)", base, base["articles"]),
                       (f"(b) scamtrace api.ingest, {ing['workers']} worker(s)", ing, ing["stored"])):
        print(f"{name:<44}{n:>9}{r['seconds']:>9.2f}{r['articles_per_s']:>8.1f}{r['cpu_seconds']:>9.2f}"
              f"{r['articles_per_cpu_s']:>10.1f}")
    print(f"ratio ingest/baseline articles/s: wall {ing['articles_per_s'] / base['articles_per_s']:.3f}, "
          f"CPU {ing['articles_per_cpu_s'] / base['articles_per_cpu_s']:.3f}  "
          f"(baseline extract-only {base['extract_seconds']:.2f}s; {base['html_empty']} HTML bodies gave no text)")
    print(f"ingest: {ing['stats']}; {ing['distinct_texts']} distinct cleaned texts; "
          f"{ing['recleaned']} re-cleaned by relearn")
    if ing["fidelity"]:
        f = ing["fidelity"]
        print(f"fidelity: {f['same_as_demo']}/{ing['stored']} stored texts equal (tokens removed) the demo's own "
              f"cleaning" + (f"; differing, by demo document: {f['differ_by_doc']}" if f["differ_by_doc"] else ""))
    if len(ing["batches"]) > 1:
        print("per batch (articles already stored -> new, re-cleaned by relearn, wall s, CPU s, new articles/CPU-s):")
        for x in ing["batches"]:
            print(f"  b{x['batch']:02d}: {x['stored_before']:>6} -> {x['new']:>5} new, {x['recleaned']:>5} re-cleaned, "
                  f"{x['seconds']:7.2f}, {x['cpu_seconds']:7.2f}, {x['new'] / x['cpu_seconds']:7.1f}")
    for reason in ing["reject_reasons"]:
        print(f"  reject: {reason}")
    if "stage_run_cpu_seconds" in ing:   # not with --no-stages
        _print_stages(ing)
    if "profile" in ing:
        print("\ncProfile, top 25 by own time:\n" + ing["profile"])


def _print_stages(ing: dict[str, Any]) -> None:
    print(f"\nwhere ingest time goes: a second ingest of the same inputs into another fresh store, with timing "
          f"wrappers around the stages (CPU {ing['stage_run_cpu_seconds']:.2f} s against {ing['cpu_seconds']:.2f} s "
          "without them);\nseconds inclusive / self, wall then CPU; a nested stage is part of its parent:")
    total = ing["stages"].get("ingest", {}).get("cpu") or ing["cpu_seconds"]
    print(f"  {'stage':<30}{'wall':>9}{'self':>9}{'CPU':>9}{'self':>9}{'calls':>8}{'CPU %':>7}")
    for key, v in ing["stages"].items():
        label = "  " * key.count("/") + key.rsplit("/", 1)[-1]
        print(f"  {label:<30}{v['seconds']:>9.2f}{v['self']:>9.2f}{v['cpu']:>9.2f}{v['cpu_self']:>9.2f}"
              f"{v['calls']:>8}{100 * v['cpu'] / total:>7.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=DEFAULT_N, help=f"articles to generate (default {DEFAULT_N}; "
                        "the reported run uses 10000)")
    parser.add_argument("--db", type=Path, default=None, help="path of the fresh SQLite store (must not exist; "
                        "default: a temporary file, deleted afterwards)")
    parser.add_argument("--demo", type=Path, default=DEMO_DIR, help="demo corpus folder (default examples/demo)")
    parser.add_argument("--batches", type=int, default=1, help="ingest in this many consecutive api.ingest calls "
                        "(as `scamtrace watch` or daily runs would), to show how per-batch cost grows with the store")
    parser.add_argument("--workers", type=int, default=0, help="the ingest's `workers` setting (default 0: one "
                        "process per CPU core; 1: today's one-process path, where the stage table sees everything)")
    parser.add_argument("--no-stages", action="store_true", help="skip the second, instrumented ingest run that "
                        "prints where the time goes")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile summary of the ingest run")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpus folder and print its path")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error(f"--n must be at least 1, got {args.n}")
    if not 1 <= args.batches <= min(args.n, 99):
        parser.error(f"--batches must be between 1 and min(--n, 99) = {min(args.n, 99)}, got {args.batches}")
    if args.db is not None and args.db.exists():
        parser.error(f"--db {args.db} already exists; give a new path")
    work = Path(tempfile.mkdtemp(prefix="scamtrace-bench-ingest-"))
    try:
        docs = demo_docs(args.demo)
        reference = reference_texts(args.demo)
        corpus = write_corpus(docs, args.n, work / "corpus", batches=args.batches, reference=reference)
        # warm both code paths (imports, lazily built tables) outside the timed runs
        warm = next(d for d in docs if d.fmt == "html")
        trafilatura.extract(warm.body)
        scamtrace.clean.stage.clean_raw(RawDoc(source=warm.source, body=warm.body, fmt="html"))
        base = run_baseline(corpus)
        ing = run_ingest(corpus, args.db or work / "bench.db", profile=args.profile,
                         check=(docs, reference), workers=args.workers, stages=False)
        if not args.no_stages:
            staged = run_ingest(corpus, work / "stages.db", workers=args.workers)
            ing["stages"], ing["stage_run_cpu_seconds"] = staged["stages"], staged["cpu_seconds"]
        if args.json:
            print(json.dumps({"n": args.n, "trafilatura_version": trafilatura.__version__, "baseline": base,
                              "ingest": ing, "ratio": ing["articles_per_s"] / base["articles_per_s"]}, indent=2))
        else:
            _print_report(base, ing, corpus)
        if args.keep:
            print(f"corpus kept in {work}", file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
