"""Web workspace under load while the store is being written: readers never see half a batch.

    .venv/bin/python bench/bench_web_load.py                       # 2400 GETs at 60/s, 8 threads, 2 rounds
    .venv/bin/python bench/bench_web_load.py --rate 0 --requests 1500 --threads 12 --json   # flat out
    .venv/bin/python bench/bench_web_load.py --db my.db            # start from a copy of an existing store

Three processes, loopback only:

1. ``scamtrace serve`` on 127.0.0.1 and a free port, over a *copy* of a demo store (built now from
   ``examples/demo/sources.txt`` with ingest + analyze, unless ``--db`` names a store to copy);
2. this process: a fixed number of GET requests from a pool of threads (urllib), spread over the
   stories list (HTML and ``/api/stories``), story pages and their JSON, article pages and their
   JSON and actor pages, paced at ``--rate`` requests/s so they span the writes; at most
   ``--max-seconds`` of reading;
3. a writer: ``scamtrace ingest <round>.jsonl --analyze`` run ``--rounds`` times one after the other
   into the same store, each round the demo corpus again under new ids and URLs.

Checked, and printed with requests/s and p50/p95/max latency:

* errors: any answer but 200 (or a transport failure) is an error, except a story page that
  answers 404 because a later ``analyze`` replaced that story (counted apart as ``stories_replaced``,
  and only when a fresh listing no longer has it). Must be 0.
* half batches: the number of analysed articles the stories list shows (sum of story sizes over
  ``/api/stories?limit=200``) never goes down, neither within one reader thread nor between any
  two answers where one finished before the other started; every article a story lists answers 200.
* at the end the list shows every article of the store (the writer's last analyze is visible).

Exit status 1 when any check fails. Nothing under ``src/`` is changed.
"""
from __future__ import annotations

import argparse
import json
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from scamtrace.store import copy_store

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "examples" / "demo"
LOOPBACK = "127.0.0.1"
SERVER_START_TIMEOUT = 60.0     # seconds for `serve` to answer (start-up, not a measured figure)
WRITER_TIMEOUT = 300.0          # one ingest + analyze round never takes longer on the demo corpus
REQUEST_TIMEOUT = 30.0
LIST_URL = "/api/stories?limit=200"
#: The request mix, cycled: (kind, weight). "story" fetches one story's JSON then every article it lists.
MIX: tuple[tuple[str, int], ...] = (("list_api", 3), ("list_html", 1), ("story_html", 1), ("story", 2),
                                     ("article_html", 2), ("article_api", 1), ("actor_html", 1))


# -- corpus and store ------------------------------------------------------------------------------
def cli(*args: str) -> list[str]:
    """The scamtrace CLI run by this interpreter (the venv's, so the package under test)."""
    return [sys.executable, "-c", "from scamtrace.cli import main; main()", *args]


def build_demo_store(path: Path) -> None:
    """A store with the demo corpus ingested and analysed (the same as `ingest $(cat sources.txt) --analyze`)."""
    sources = [str(DEMO / s.strip()) for s in (DEMO / "sources.txt").read_text().splitlines() if s.strip()]
    subprocess.run(cli("--db", str(path), "ingest", *sources, "--analyze"), check=True, capture_output=True, text=True)


def write_rounds(store: Path, folder: Path, rounds: int) -> list[Path]:
    """One JSONL file per round: every article of ``store`` again, with a new id and URL per round."""
    con = sqlite3.connect(store)
    con.row_factory = sqlite3.Row
    arts = con.execute("SELECT id, outlet, published, title, text FROM articles ORDER BY id").fetchall()
    con.close()
    files = []
    for n in range(1, rounds + 1):
        path = folder / f"round-{n}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for a in arts:
                rec = {"id": f"zload{n}-{a['id']}", "url": f"https://load.example/{n}/{quote(a['id'], safe='')}",
                       "outlet": a["outlet"], "published": a["published"], "title": a["title"], "text": a["text"]}
                fh.write(json.dumps(rec) + "\n")
        files.append(path)
    return files


def store_articles(store: Path) -> int:
    con = sqlite3.connect(store)
    try:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        con.close()


# -- server and writer ---------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def start_server(db: Path) -> tuple[subprocess.Popen, str]:
    """`scamtrace serve` on loopback; returns the process and its base URL once it answers."""
    port = free_port()
    proc = subprocess.Popen(cli("--db", str(db), "serve", "--host", LOOPBACK, "--port", str(port)),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://{LOOPBACK}:{port}"
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while True:
        try:
            with urllib.request.urlopen(base + LIST_URL, timeout=2) as r:
                if r.status == 200:
                    return proc, base
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            stop(proc)
            out = proc.stdout.read() if proc.stdout else ""
            raise RuntimeError(f"serve did not start on {base}: {out[-2000:]}")
        time.sleep(0.2)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class Writer:
    """Runs `ingest <file> --analyze` for each file in turn in a background thread."""

    db: Path
    files: list[Path]
    rounds_done: int = 0
    failures: list[str] = field(default_factory=list)
    started: float = 0.0
    finished: float = 0.0
    thread: threading.Thread | None = None

    def start(self) -> None:
        self.started = time.monotonic()
        self.thread = threading.Thread(target=self._run, name="writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        for f in self.files:
            try:
                r = subprocess.run(cli("--db", str(self.db), "ingest", str(f), "--analyze"), capture_output=True,
                                   text=True, timeout=WRITER_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.failures.append(f"{f.name}: ingest --analyze took over {WRITER_TIMEOUT:.0f} s")
                break
            if r.returncode != 0:
                self.failures.append(f"{f.name}: exit {r.returncode}: {(r.stderr or r.stdout)[-500:]}")
                break
            self.rounds_done += 1
        self.finished = time.monotonic()

    def join(self) -> None:
        if self.thread:
            self.thread.join()

    @property
    def running(self) -> bool:
        return bool(self.thread and self.thread.is_alive())


# -- readers -------------------------------------------------------------------------------------------
@dataclass
class Sample:
    kind: str
    url: str
    status: int
    start: float
    end: float
    thread: int
    count: int | None = None        # analysed articles shown by the stories list (list_api only)


@dataclass
class LoadState:
    """What the readers share: the latest story and article ids seen, and every sample."""

    base: str
    stories: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    replaced: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def fetch(base: str, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(base + path, timeout=REQUEST_TIMEOUT) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except OSError as e:
        return -1, str(e).encode()


def _timed(st: LoadState, kind: str, path: str, tid: int) -> tuple[Sample, bytes]:
    t0 = time.monotonic()
    status, body = fetch(st.base, path)
    s = Sample(kind, path, status, t0, time.monotonic(), tid)
    with st.lock:
        st.samples.append(s)
    return s, body


def _pick(items: list[str], i: int) -> str | None:
    return items[i % len(items)] if items else None


def one_request(st: LoadState, kind: str, i: int, tid: int) -> None:
    """Send request number ``i`` of ``kind``; a list answer records its article count, a story's JSON
    answer is followed by a request for every article it lists."""
    if kind == "list_api":
        s, body = _timed(st, kind, LIST_URL, tid)
        if s.status == 200:
            data = json.loads(body)
            s.count = sum(x["articles"] for x in data["stories"])
            with st.lock:
                st.stories = [x["id"] for x in data["stories"]] or st.stories
        return
    if kind == "list_html":
        _timed(st, kind, "/", tid)
        return
    if kind == "actor_html":
        name = _pick(st.actors, i)
        if name:
            _timed(st, kind, "/actors/" + quote(name, safe=""), tid)
        return
    if kind in ("article_html", "article_api"):
        aid = _pick(st.articles, i)
        if aid:
            _timed(st, kind, ("/articles/" if kind == "article_html" else "/api/articles/") + quote(aid, safe=""), tid)
        return
    sid = _pick(st.stories, i)
    if not sid:
        return
    s, body = _timed(st, kind, ("/stories/" if kind == "story_html" else "/api/stories/") + quote(sid, safe=""), tid)
    if s.status == 404 and _story_replaced(st, sid):
        with st.lock:
            st.replaced += 1
        s.kind = "story_replaced"
        return
    if kind == "story" and s.status == 200:
        listed = [a["id"] for g in json.loads(body)["groups"] for a in g["articles"]]
        with st.lock:
            st.articles = listed + [a for a in st.articles if a not in listed][:500]
        for aid in listed:                   # every article a story lists must answer
            _timed(st, "listed_article", "/api/articles/" + quote(aid, safe=""), tid)


def _story_replaced(st: LoadState, sid: str) -> bool:
    """True when a fresh listing no longer has ``sid`` (a later analyze replaced the story)."""
    status, body = fetch(st.base, LIST_URL)
    return status == 200 and sid not in {x["id"] for x in json.loads(body)["stories"]}


def seed_state(st: LoadState) -> None:
    """Ids to start from: the stories list, one story's articles, and the actors index."""
    one_request(st, "list_api", 0, -1)
    one_request(st, "story", 0, -1)
    status, body = fetch(st.base, "/api/actors?limit=50")
    if status == 200:
        st.actors = [a["name"] for a in json.loads(body)["actors"]]
    st.samples.clear()


def run_readers(st: LoadState, requests: int, threads: int, max_seconds: float, rate: float = 0.0) -> float:
    """Send ``requests`` requests (the MIX cycled) from ``threads`` threads, request ``i`` not before
    ``i / rate`` seconds when ``rate`` > 0 (so a fixed count spans the writer's rounds); returns the
    elapsed seconds."""
    plan = [k for k, w in MIX for _ in range(w)]
    counter = iter(range(requests))
    lock = threading.Lock()
    t0 = time.monotonic()
    deadline = t0 + max_seconds

    def worker(tid: int) -> None:
        while time.monotonic() < deadline:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            if rate > 0:
                time.sleep(max(0.0, t0 + i / rate - time.monotonic()))
            one_request(st, plan[i % len(plan)], i, tid)

    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="reader") as pool:
        for f in [pool.submit(worker, t) for t in range(threads)]:
            f.result()
    return time.monotonic() - t0


# -- checks ----------------------------------------------------------------------------------------------
def count_regressions(samples: list[Sample]) -> list[str]:
    """Places where the analysed-article count went down: within a thread, or between an answer and any
    answer that started after it had finished."""
    counted = [(s.start, s.end, s.thread, s.count) for s in samples if s.count is not None]
    out = []
    by_thread: dict[int, list[int]] = {}
    for _, _, tid, n in sorted(counted):
        by_thread.setdefault(tid, []).append(n)
    for tid, seq in by_thread.items():
        out += [f"thread {tid}: {a} then {b}" for a, b in zip(seq, seq[1:]) if b < a]
    ends = sorted(counted, key=lambda c: c[1])
    best, j = -1, 0
    for start, _, _, n in sorted(counted):
        while j < len(ends) and ends[j][1] < start:
            best = max(best, ends[j][3])
            j += 1
        if n < best:
            out.append(f"an answer showed {n} after an earlier, finished answer showed {best}")
    return out


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def summarise(st: LoadState, elapsed: float, writer: Writer, final_count: int | None, stored: int,
              planned: int = 0) -> dict[str, Any]:
    samples = [s for s in st.samples if s.kind != "story_replaced"]
    lat = [1000 * (s.end - s.start) for s in samples]
    errors = [f"{s.status} {s.url}" for s in samples if s.status != 200]
    counts = [s.count for s in samples if s.count is not None]
    regressions = count_regressions(st.samples)
    overlap = 0.0
    if samples and writer.started:
        r0, r1 = min(s.start for s in samples), max(s.end for s in samples)
        w1 = writer.finished or time.monotonic()
        overlap = max(0.0, min(r1, w1) - max(r0, writer.started)) / max(1e-9, r1 - r0)
    by_kind: dict[str, list[float]] = {}
    for s in samples:
        by_kind.setdefault(s.kind, []).append(1000 * (s.end - s.start))
    return {
        "planned_requests": planned, "requests": len(samples), "seconds": round(elapsed, 2),
        "requests_per_s": round(len(samples) / elapsed, 1) if elapsed else None,
        "p50_ms": round(percentile(lat, 50), 1), "p95_ms": round(percentile(lat, 95), 1),
        "max_ms": round(max(lat), 1) if lat else None,
        "p95_ms_by_kind": {k: round(percentile(v, 95), 1) for k, v in sorted(by_kind.items())},
        "errors": len(errors), "error_examples": errors[:10],
        "stories_replaced": st.replaced,
        "article_counts_seen": sorted(set(counts)), "count_regressions": regressions[:10],
        "writer_rounds": writer.rounds_done, "writer_failures": writer.failures,
        "reads_overlapping_writes": round(overlap, 2),
        "final_listed_articles": final_count, "stored_articles": stored,
    }


def verdict(summary: dict[str, Any]) -> list[str]:
    """The failed checks (empty when the run passed)."""
    bad = []
    if summary["errors"]:
        bad.append(f"{summary['errors']} request errors, e.g. {summary['error_examples'][:3]}")
    if summary["count_regressions"]:
        bad.append(f"article count went down: {summary['count_regressions'][:3]}")
    if summary["writer_failures"]:
        bad.append(f"writer failed: {summary['writer_failures']}")
    if summary["final_listed_articles"] != summary["stored_articles"]:
        bad.append(f"the final list shows {summary['final_listed_articles']} articles, the store has "
                   f"{summary['stored_articles']}")
    return bad


def run(db: Path, workdir: Path, requests: int, threads: int, rounds: int, max_seconds: float,
        rate: float = 0.0) -> dict[str, Any]:
    """The whole bench on a copy of ``db`` in ``workdir``; returns the summary (see :func:`summarise`)."""
    live = workdir / "live.db"
    copy_store(db, live)
    files = write_rounds(db, workdir, rounds)
    proc, base = start_server(live)
    try:
        st = LoadState(base)
        seed_state(st)
        writer = Writer(live, files)
        writer.start()
        elapsed = run_readers(st, requests, threads, max_seconds, rate)
        writer.join()
        status, body = fetch(base, LIST_URL)
        final = sum(x["articles"] for x in json.loads(body)["stories"]) if status == 200 else None
    finally:
        stop(proc)
    return summarise(st, elapsed, writer, final, store_articles(live), requests)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=2400,
                    help="planned GET requests (default 2400); a story's JSON also fetches each article it lists")
    ap.add_argument("--rate", type=float, default=60.0,
                    help="requests started per second, 0 for as fast as possible (default 60: the reads span "
                         "the writer's rounds on a shared 2-core box)")
    ap.add_argument("--threads", type=int, default=8, help="concurrent reader threads (default 8)")
    ap.add_argument("--rounds", type=int, default=2, help="writer rounds of ingest --analyze (default 2)")
    ap.add_argument("--max-seconds", type=float, default=60.0, help="stop reading after this long (default 60)")
    ap.add_argument("--db", type=Path, help="store to copy (default: build the demo store)")
    ap.add_argument("--json", action="store_true", help="print the summary as JSON")
    a = ap.parse_args(argv)
    if a.requests < 1 or a.threads < 1 or a.rounds < 0 or a.max_seconds <= 0 or a.rate < 0:
        ap.error("--requests and --threads must be 1 or more, --rounds and --rate 0 or more, --max-seconds above 0")
    with tempfile.TemporaryDirectory(prefix="scamtrace-load-") as tmp:
        work = Path(tmp)
        src = a.db
        if src is None:
            src = work / "demo.db"
            build_demo_store(src)
        elif not src.exists():
            ap.error(f"--db {src} does not exist")
        summary = run(src, work, a.requests, a.threads, a.rounds, a.max_seconds, a.rate)
    failed = verdict(summary)
    if a.json:
        print(json.dumps({**summary, "failed": failed}, indent=2))
    else:
        for k, v in summary.items():
            print(f"{k:>26}: {v}")
        print("PASS" if not failed else "FAIL: " + "; ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
