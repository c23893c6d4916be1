"""Outputs identical: what a reader sees of the demo store and of the seeds' store is pinned.

Every ``export WHAT --format jsonl``, ``story`` for every story, ``report --all --format md``, the
CLI listings (``stories``, ``actors``, ``outlets``) and the JSON of every ``/api`` page (stories,
each story, each article, each actor, graph, outlets) are rendered, normalised (times and run ids
blanked) and compared with golden files:

- the demo corpus is our own fictional text: its snapshots are committed in ``tests/golden/views/demo/``;
- the seeds are other people's text: only the sha256 of each normalised output is committed
  (``tests/golden/views/seeds.sha256.json``); that half skips when ``../shared`` is absent.

When an output changes ON PURPOSE (a new algorithm version, a fixed bug), regenerate the golden files
and commit them with the change that explains them::

    PYTHONPATH=src python tests/test_outputs_identical.py --update      # demo and (if present) seeds

A refactor must never need ``--update``.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden" / "views"
DEMO_GOLDEN = GOLDEN / "demo"
SEEDS_DIGESTS = GOLDEN / "seeds.sha256.json"
EXPORTS = ["articles", "copies", "families", "stories", "figures", "quotes", "entities", "events", "threads"]

#: ISO times (2026-12-06T06:35:09.123+00:00 and the like, also Markdown-escaped) and run ids are the only
#: things allowed to differ.
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}\\?:\d{2}\\?:\d{2}(?:\.\d+)?(?:Z|\\?[+-]\d{2}\\?:?\d{2})?")
_RUN_ID = re.compile(r'("run(?:_id)?"\s*:\s*)("[^"]*"|\d+)')


#: Where the checkout lies is not an output: an absolute path up to examples/demo/ (an article's source).
_DEMO_PATH = re.compile(r"/[^\s\"'\\]*?/examples/demo/")


def paths(text: str) -> str:
    """Absolute paths of the checkout and of the shared folder as ``<repo>`` and ``<shared>`` (CI
    clones into another folder than the one the golden files were written in)."""
    shared = _seeds_dir().parent
    for root in {str(shared), str(shared.resolve())}:
        text = text.replace(root + "/", "<shared>/")
    return _DEMO_PATH.sub("<repo>/examples/demo/", text)


def normalise(text: str) -> str:
    text = _TIME.sub("<time>", text)
    return paths(_RUN_ID.sub(r"\1<run>", text))


def _safe_name(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", s)[:80] + "-" + hashlib.sha256(s.encode()).hexdigest()[:8]


def build_demo(path: Path) -> Path:
    """The demo store as ``make demo`` builds it (sources, then the bad inputs)."""
    from scamtrace import api

    demo = HERE.parent / "examples" / "demo"
    store = api.open_store(path)
    api.ingest(store, [str(demo / s.strip()) for s in (demo / "sources.txt").read_text().splitlines() if s.strip()])
    api.analyze(store)
    api.ingest(store, [str(demo / "bad")])
    api.analyze(store)
    store.close()
    return path


def build_seeds(path: Path, seeds: Path) -> Path:
    from scamtrace import api

    store = api.open_store(path)
    api.ingest(store, sorted(str(p) for p in seeds.iterdir()))
    api.analyze(store)
    store.close()
    return path


def snapshot(db: Path) -> dict[str, str]:
    """Every reader-facing output of the store at ``db``, normalised, by name."""
    from click.testing import CliRunner

    from scamtrace.cli import cli

    runner = CliRunner()
    out: dict[str, str] = {}

    def run(name: str, *args: str) -> str:
        res = runner.invoke(cli, ["--db", str(db), *args], env={"COLUMNS": "120"}, catch_exceptions=False)
        assert res.exit_code == 0, (args, res.output)
        out[name] = normalise(res.stdout)
        return res.stdout

    for what in EXPORTS:
        run(f"export-{what}.jsonl", "export", what, "--format", "jsonl")
    for listing in ("stories", "actors", "outlets"):
        run(f"cli-{listing}.jsonl", listing, "--format", "jsonl", *(["--limit", "100000"] if listing == "stories" else []))
    story_ids = [json.loads(line)["story"] for line in out["export-stories.jsonl"].splitlines() if line.strip()]
    article_ids = [json.loads(line)["id"] for line in out["export-articles.jsonl"].splitlines() if line.strip()]
    for sid in story_ids:
        run(f"story-{_safe_name(sid)}.txt", "story", sid)
    run("report-all.md", "report", "--all", "--format", "md")

    from fastapi.testclient import TestClient

    from scamtrace.web.app import create_app

    with TestClient(create_app(str(db)), base_url="http://127.0.0.1") as client:
        def get(name: str, url: str) -> dict:
            r = client.get(url, follow_redirects=False)
            assert r.status_code == 200, (url, r.status_code, r.text[:300])
            out[name] = normalise(json.dumps(r.json(), indent=1, sort_keys=True, ensure_ascii=False)) + "\n"
            return r.json()

        get("api-stories.json", "/api/stories?limit=200")
        get("api-graph.json", "/api/graph?limit=200&min_size=1")
        get("api-outlets.json", "/api/outlets")
        actors = get("api-actors.json", "/api/actors?limit=200")
        for sid in story_ids:
            get(f"api-story-{_safe_name(sid)}.json", f"/api/stories/{quote(sid, safe='')}")
        for aid in article_ids:
            get(f"api-article-{_safe_name(aid)}.json", f"/api/articles/{quote(aid, safe='')}")
        for item in actors.get("actors", []):
            name = item["name"]
            get(f"api-actor-{_safe_name(name)}.json", f"/api/actors/{quote(name, safe='')}")
    return out


def digests(snap: dict[str, str]) -> dict[str, str]:
    return {k: hashlib.sha256(v.encode()).hexdigest() for k, v in sorted(snap.items())}


def _diff(name: str, want: str, got: str) -> str:
    import difflib

    return "".join(list(difflib.unified_diff(want.splitlines(True), got.splitlines(True), f"golden/{name}",
                                             f"now/{name}"))[:60])


def _seeds_dir() -> Path:
    env = os.environ.get("SCAMTRACE_SHARED")
    return (Path(env) if env else HERE.parent.parent / "shared") / "seeds"


# -- the tests ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_snapshot(tmp_path_factory) -> dict[str, str]:
    return snapshot(build_demo(tmp_path_factory.mktemp("golden") / "demo.db"))


def test_demo_outputs_identical(demo_snapshot) -> None:
    """The demo store reads exactly as the committed golden files (times and run ids aside)."""
    golden = {p.name: paths(p.read_text(encoding="utf-8")) for p in DEMO_GOLDEN.iterdir()}
    assert sorted(demo_snapshot) == sorted(golden), "outputs added or gone: " + str(
        sorted(set(demo_snapshot) ^ set(golden)))
    changed = [k for k in golden if golden[k] != demo_snapshot[k]]
    assert not changed, f"{len(changed)} outputs changed:\n" + "\n".join(
        _diff(k, golden[k], demo_snapshot[k]) for k in changed[:3])


def test_demo_snapshot_covers_every_page(demo_snapshot) -> None:
    """The snapshot is not vacuous: it holds stories, articles, actors and a non-empty report."""
    kinds = {k.split("-")[0] + "-" + k.split("-")[1] for k in demo_snapshot}
    for kind in ("story-", "api-story", "api-article", "api-actor", "export-figures.jsonl", "report-all.md"):
        assert any(k.startswith(kind.rstrip("-")) for k in demo_snapshot), kind
    assert len(kinds) > 5
    assert "## " in demo_snapshot["report-all.md"]


def test_seed_outputs_identical(tmp_path) -> None:
    """The seeds' store gives the same outputs as recorded (only their sha256 is committed)."""
    seeds = _seeds_dir()
    if not seeds.is_dir():
        pytest.skip(f"seeds folder {seeds} not found; set SCAMTRACE_SHARED to the shared/ folder")
    got = digests(snapshot(build_seeds(tmp_path / "seeds.db", seeds)))
    want = json.loads(SEEDS_DIGESTS.read_text())
    assert sorted(got) == sorted(want), "outputs added or gone: " + str(sorted(set(got) ^ set(want)))
    changed = sorted(k for k in want if want[k] != got[k])
    assert not changed, f"seed outputs changed: {changed}"


def update() -> None:
    """Regenerate the golden files from the code as it is now (only when an output changes on purpose)."""
    with tempfile.TemporaryDirectory() as tmp:
        snap = snapshot(build_demo(Path(tmp) / "demo.db"))
        if DEMO_GOLDEN.exists():
            shutil.rmtree(DEMO_GOLDEN)
        DEMO_GOLDEN.mkdir(parents=True)
        for name, text in snap.items():
            (DEMO_GOLDEN / name).write_text(text, encoding="utf-8")
        print(f"wrote {len(snap)} demo outputs to {DEMO_GOLDEN}")
        seeds = _seeds_dir()
        if seeds.is_dir():
            d = digests(snapshot(build_seeds(Path(tmp) / "seeds.db", seeds)))
            SEEDS_DIGESTS.write_text(json.dumps(d, indent=1, sort_keys=True) + "\n")
            print(f"wrote {len(d)} seed digests to {SEEDS_DIGESTS}")
        else:
            print(f"seeds folder {seeds} absent: seed digests left as they were", file=sys.stderr)


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: PYTHONPATH=src python tests/test_outputs_identical.py --update")
    update()
