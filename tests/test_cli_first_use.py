"""Issue 15, first use: option placement, missing stores and data, every eval subcommand, table
output, small command behaviours and --help examples, all through the real CLI."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from conftest import REPO, shared_dir
from scamtrace.cli import EXAMPLES, TABLE_COLUMN_MAX, cli, hoist_global_options, main

GOLD = REPO / "tests" / "gold"


def run(*args: str, **kw):  # noqa: ANN201
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, **kw)


def scamtrace(capsys, *args: str) -> tuple[int, str]:
    """Exit code and stdout+stderr of ``scamtrace ARGS`` run through the real entry point (its error
    handling included), in this process."""
    import sys

    capsys.readouterr()
    argv, sys.argv = sys.argv, ["scamtrace", *args]
    try:
        main()
        code = 0
    except SystemExit as e:
        code = int(e.code or 0)
    finally:
        sys.argv = argv
    out = capsys.readouterr()
    return code, out.out + out.err


def _paths(group: click.Group, prefix: str = "") -> list[str]:
    out = []
    for name, cmd in group.commands.items():
        out.append(f"{prefix}{name}")
        if isinstance(cmd, click.Group):
            out += _paths(cmd, f"{prefix}{name} ")
    return out


# -- item 2: --db, -v and -s before or after the command ---------------------------------------------
def test_hoist_moves_global_options_only():
    assert hoist_global_options(["stories", "--db", "x.db", "-vv", "--limit", "3"]) == \
        ["--db", "x.db", "-vv", "stories", "--limit", "3"]
    assert hoist_global_options(["ingest", "a", "-s", "fetch_timeout", "5", "--db=y.db"]) == \
        ["-s", "fetch_timeout", "5", "--db=y.db", "ingest", "a"]
    assert hoist_global_options(["articles", "--", "--db"]) == ["articles", "--", "--db"]


@pytest.mark.parametrize("args", [["--db", "{db}", "stories", "--format", "jsonl"],
                                  ["stories", "--db", "{db}", "--format", "jsonl"],
                                  ["stories", "--format", "jsonl", "-v", "--db={db}"],
                                  ["-s", "fetch_timeout", "5", "stories", "--db", "{db}", "--format", "jsonl"],
                                  ["stories", "-s", "fetch_timeout", "5", "--db", "{db}", "--format", "jsonl"]])
def test_db_v_and_s_before_or_after_the_command(demo_db, args):
    res = run(*[a.replace("{db}", str(demo_db)) for a in args])
    assert res.exit_code == 0, res.output
    assert len([json.loads(x) for x in res.stdout.splitlines()]) >= 5


def test_bad_setting_after_the_command_is_still_refused(demo_db):
    res = CliRunner().invoke(cli, ["stories", "--db", str(demo_db), "-s", "fetch_timeout", "0"])
    assert res.exit_code == 2 and "fetch_timeout" in res.output


# -- item 3: only writing commands create a store ----------------------------------------------------
@pytest.mark.parametrize("args", [["stories"], ["articles"], ["rejects"], ["outlets"], ["actors"], ["analyze"],
                                  ["show", "x"], ["story", "x"], ["copies", "x"], ["export", "articles"],
                                  ["judge", "a", "b", "copy"], ["alias", "a", "b", "same"],
                                  ["report", "--all"], ["serve"],
                                  ["eval", "stories", "--gold", str(GOLD / "demo_stories.jsonl")]])
def test_read_commands_refuse_a_missing_store(tmp_path, capsys, args):
    db = tmp_path / "no" / "such" / "dir" / "x.db"
    code, out = scamtrace(capsys, "--db", str(db), *args)
    assert code == 1, out
    assert f"no store at {db} (create one with `scamtrace ingest …`)" in out
    assert not db.exists() and not (tmp_path / "no").exists()


def test_default_store_is_not_created(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SCAMTRACE_DB", raising=False)
    code, out = scamtrace(capsys, "stories")
    assert code == 1 and "no store at scamtrace.db" in out
    assert not (tmp_path / "scamtrace.db").exists()


def test_ingest_creates_the_store_and_says_so(tmp_path, demo_dir):
    db = tmp_path / "new" / "s.db"
    res = run("--db", str(db), "ingest", str(demo_dir / "text"))
    assert res.exit_code == 0 and db.is_file() and f"new store: {db}" in res.output
    res = run("--db", str(db), "ingest", str(demo_dir / "text"))
    assert "new store" not in res.output


# -- item 4: every eval subcommand from the CLI; missing data says where and how ---------------------
@pytest.mark.parametrize("kind, expect", [("copies", "macro"), ("stories", "B-cubed"), ("figures", "F1"),
                                          ("quotes", "F1"), ("events", "F1")])
def test_eval_store_subcommands(demo_db, kind, expect):
    res = run("--db", str(demo_db), "eval", kind, "--gold", str(GOLD / f"demo_{kind}.jsonl"))
    assert res.exit_code == 0 and expect in res.output


def _shared_bench(name: str) -> Path:
    d = shared_dir() / "benchmarks" / name
    if not d.is_dir():
        pytest.skip(f"{d} not found; set SCAMTRACE_SHARED to the shared/ folder")
    return d


def test_eval_clough_stevenson_runs():
    _shared_bench("clough-stevenson")
    res = run("eval", "clough-stevenson", "--mode", "fixed")
    assert res.exit_code == 0 and "macro_f1: 0.8" in res.output and "confusion" in res.output


def test_eval_extraction_runs(tmp_path):
    src = _shared_bench("article-extraction")
    # a 3-page copy of the benchmark keeps this quick; the full run is tests/test_extraction_gate.py
    truth = json.loads((src / "ground-truth.json").read_text(encoding="utf-8"))
    keep = sorted(truth)[:3]
    (tmp_path / "html").mkdir()
    (tmp_path / "ground-truth.json").write_text(json.dumps({k: truth[k] for k in keep}), encoding="utf-8")
    for k in keep:
        shutil.copy(src / "html" / f"{k}.html.gz", tmp_path / "html")
    res = run("eval", "extraction", "--dir", str(tmp_path))
    assert res.exit_code == 0, res.output
    assert "pages: 3" in res.output and "f1: " in res.output


@pytest.mark.parametrize("sub, rel", [("clough-stevenson", "benchmarks/clough-stevenson"),
                                      ("extraction", "benchmarks/article-extraction")])
def test_eval_without_shared_names_the_folder_and_the_fix(tmp_path, monkeypatch, capsys, sub, rel):
    monkeypatch.setenv("SCAMTRACE_SHARED", str(tmp_path / "shared"))
    code, out = scamtrace(capsys, "eval", sub)
    assert code == 1
    assert str(tmp_path / "shared" / rel) in out
    assert "--dir" in out and "SCAMTRACE_SHARED" in out
    assert "unexpected" not in out
    code, out = scamtrace(capsys, "eval", sub, "--dir", str(tmp_path))   # a folder without the data
    assert code == 1 and str(tmp_path) in out and "unexpected" not in out


def test_every_eval_subcommand_is_tested_here():
    tested = {"copies", "stories", "figures", "quotes", "events", "clough-stevenson", "extraction"}
    assert set(cli.commands["eval"].commands) == tested


# -- item 8: tables do not hide what matters ---------------------------------------------------------
def test_tables_keep_the_last_column_whole_and_mark_cuts(demo_db):
    res = run("--db", str(demo_db), "settings")
    assert "Largest file or HTTP body read, in bytes; larger inputs are rejected." in res.output
    assert "research…" in res.output              # the long user agent is cut, visibly
    res = run("--db", str(demo_db), "articles", "--limit", "500")
    lines = res.output.splitlines()[1:]
    titles = [json.loads(x)["title"] for x in run("--db", str(demo_db), "articles", "--limit", "500",
                                                  "--format", "jsonl").stdout.splitlines()]
    long = [t for t in titles if t and len(t) > TABLE_COLUMN_MAX]
    assert long, "the demo has titles longer than a table column"
    assert sum("…" in x for x in lines) >= len(long)


def test_rejects_show_the_whole_what_to_do(tmp_path, demo_dir):
    db = tmp_path / "r.db"
    run("--db", str(db), "ingest", str(demo_dir / "bad"))
    res = run("--db", str(db), "rejects")
    assert "supply the full article, not a stub or index page" in res.output
    assert "save the article as .html or .txt" in res.output


# -- item 10: small things ---------------------------------------------------------------------------
def test_alias_refuses_unknown_names(fresh_db, capsys):
    name = run("--db", str(fresh_db), "actors", "--format", "jsonl").stdout.splitlines()
    a, b = (json.loads(x)["actor"] for x in name[:2])
    code, out = scamtrace(capsys, "--db", str(fresh_db), "alias", a, "Nobody Of That Name", "same")
    assert code == 1 and "no actor named 'Nobody Of That Name'" in out
    code, out = scamtrace(capsys, "--db", str(fresh_db), "alias", a.lower(), b, "same")
    assert code == 1 and f"did you mean {a!r}" in out
    assert run("--db", str(fresh_db), "alias", a, b, "different").exit_code == 0


def test_export_ftm_refuses_a_scope(demo_db):
    res = CliRunner().invoke(cli, ["--db", str(demo_db), "export", "articles", "--format", "ftm"])
    assert res.exit_code == 2 and "whole store" in res.output and res.stdout.count("\n") < 10


def test_articles_outlet_ignores_case(demo_db):
    rows = lambda o: run("--db", str(demo_db), "articles", "--outlet", o, "--format", "jsonl").stdout  # noqa: E731
    exact = json.loads(run("--db", str(demo_db), "articles", "--format", "jsonl").stdout.splitlines()[0])["outlet"]
    assert rows(exact) and rows(exact) == rows(exact.upper()) == rows(exact.lower())


def test_watch_prints_one_line_per_cycle(tmp_path, demo_dir):
    db = tmp_path / "w.db"
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(demo_dir / "text" / sorted(p.name for p in (demo_dir / "text").iterdir())[0], src)
    res = run("--db", str(db), "watch", str(src), "--every", "1s", "--max-cycles", "2", "--no-analyze")
    assert res.exit_code == 0, res.output
    lines = [x for x in res.output.splitlines() if x.startswith("watch: ")]
    assert len(lines) == 2, res.output
    assert lines[0].startswith("watch: cycle 1: 1 source, 1 new") and "stored: 1 new" in lines[0]
    assert lines[1].startswith("watch: cycle 2: 1 source, 0 new") and "stored" not in lines[1]


# -- item 11: --help has examples; ingest lists what it accepts --------------------------------------
@pytest.mark.parametrize("path", ["", *_paths(cli)])
def test_every_command_help_has_examples(path):
    res = run(*path.split(), "--help")
    assert res.exit_code == 0
    assert "Examples:" in res.output, path
    shown = [x.strip() for x in res.output.split("Examples:")[1].splitlines() if x.strip()]
    assert 2 <= len(shown) <= 3 and all("scamtrace " in x for x in shown), (path, shown)
    assert path in EXAMPLES


def test_ingest_help_lists_accepted_types():
    out = run("ingest", "--help").output
    for kind in (".txt", ".md", ".html", ".jsonl", ".json", "RSS", "Atom", "WARC", "http(s)", "folders"):
        assert kind in out, kind


# -- item 8: copies, story, events -----------------------------------------------------------------
def _copy_outputs(db) -> str:  # noqa: ANN001
    import sqlite3

    con = sqlite3.connect(db)
    ids = [r[0] for r in con.execute("SELECT DISTINCT article FROM links")]
    con.close()
    return "\n".join(run("--db", str(db), "copies", i, "--width", "120").output for i in ids)


def test_copies_view_hides_nothing_and_shows_no_placeholders(demo_db):
    out = _copy_outputs(demo_db)
    assert "direction: " in out and "confidence ?" not in out
    # direction-v7 stores the deciding reason's confidence: when shown, it is a number, never a placeholder
    shown = re.findall(r"\(confidence ([^)]*)\)", out)
    assert shown and all(re.fullmatch(r"0?\.\d+|1\.0|0|1", c) for c in shown), shown
    for line in out.splitlines():
        if line.strip().startswith("substitutions ("):
            for pair in line.split(": ", 1)[1].split(", "):
                left, _, right = pair.partition(" → ")
                assert left.strip() and right.split(" ×")[0].strip(), line
        if line.startswith("suspicious phrases: "):
            items = line.split(": ", 1)[1].split(", ")
            assert all(x.strip() for x in items) and len({x.casefold() for x in items}) == len(items), line
    assert "words dropped: " in out or "words added: " in out   # one-sided pairs listed apart


def test_split_substitutions_and_suspicious_phrases():
    from scamtrace.copies.view import split_substitutions, suspicious_phrases

    swapped, dropped, added = split_substitutions([{"from": "scam", "to": "rip-off"}, {"from": "language", "to": ""},
                                                   {"from": "", "to": "across the border"}, {"from": " ", "to": ""}])
    assert [s["from"] for s in swapped] == ["scam"] and [s["from"] for s in dropped] == ["language"]
    assert [s["to"] for s in added] == ["across the border"]
    listed = suspicious_phrases([{"phrase": "Public Safety and security"}, {"phrase": ""}, {"phrase": "  "},
                                 {"phrase": "public safety and  security"}, {"phrase": "rip-off"}])
    assert [p["phrase"] for p in listed] == ["Public Safety and security", "rip-off"]


def test_story_lists_each_quote_once(demo_db):
    sid = json.loads(run("--db", str(demo_db), "stories", "--format", "jsonl").stdout.splitlines()[0])["story"]
    out = run("--db", str(demo_db), "story", sid).output
    quotes = out.split("QUOTES", 1)[1]
    starts = [q.split("”", 1)[0] for q in quotes.split("“")[1:]]
    assert starts and len(starts) == len(set(starts)), starts
    assert "more article" in quotes   # copies carry the same quote: said once, with how many carry it


def test_events_rows_are_not_repeated(demo_db):
    from scamtrace.views.story import event_rows, story_view
    from scamtrace.store import Store
    from scamtrace.store.extracted import story_events

    store = Store(demo_db, readonly=True)
    for s in store.stories(100, None):
        rows = story_view(store, s["id"]).events
        keys = [(e["type"], e["date_start"], e["date_end"], bool(e["hedged"])) for e in rows]
        for k in set(keys):
            same = [e for e, kk in zip(rows, keys) if kk == k]
            places = [e["place"] for e in same]
            assert len(same) == 1 or (None not in places and len(set(places)) == len(places)), (s["id"], k, places)
        assert len(rows) <= len(story_events(store, s["id"]))
    raw = [{"id": "e1", "type": "raid", "date_start": "2025-03-03", "date_end": "2025-03-03", "hedged": 0,
            "place": "Myanmar", "actors": ["A"], "figures": [], "articles": 2, "independent_sources": 2,
            "citations": [{"article": "x", "family": "F", "sentence": "s1"}, {"article": "y", "family": "G", "sentence": "s2"}]},
           {"id": "e2", "type": "raid", "date_start": "2025-03-03", "date_end": "2025-03-03", "hedged": 0,
            "place": None, "actors": [], "figures": [[5, "people"]], "articles": 1, "independent_sources": 1,
            "citations": [{"article": "z", "family": "F", "sentence": "s3"}]},
           {"id": "e3", "type": "raid", "date_start": "2025-03-03", "date_end": "2025-03-03", "hedged": 0,
            "place": "Laos", "actors": [], "figures": [], "articles": 1, "independent_sources": 1,
            "citations": [{"article": "w", "family": "H", "sentence": "s4"}]}]
    rows = event_rows(raw)
    assert [r["joined"] for r in rows] == [["e1", "e2"], ["e3"]]
    assert rows[0]["articles"] == 3 and rows[0]["independent_sources"] == 2 and rows[0]["place"] == "Myanmar"


# -- item 10: a page not in English is stored with a warning and marked everywhere ------------------
ZH = ("警方周一在边境地区的一个诈骗园区解救了四百多名外国工人，官员说他们将被遣返。"
      "这些工人来自十几个国家，其中许多人说他们是被高薪工作的广告骗到那里的。") * 2


def test_non_english_page_is_warned_and_marked(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "zh.txt").write_text(ZH, encoding="utf-8")
    db = tmp_path / "zh.db"
    res = run("--db", str(db), "ingest", str(src))
    assert res.exit_code == 0 and "warning: " in res.output and "language zh" in res.output
    assert "English-only" in res.output
    aid = json.loads(run("--db", str(db), "articles", "--format", "jsonl").stdout.splitlines()[0])["id"]
    shown = run("--db", str(db), "show", aid).output
    assert "language: zh" in shown and "English-only" in shown
    assert "English-only" in json.loads(run("--db", str(db), "show", aid, "--format", "json").stdout)["warning"]
    exported = json.loads(run("--db", str(db), "export", "articles", "--format", "jsonl").stdout.splitlines()[0])
    assert exported["language"] == "zh"
    ftm = run("--db", str(db), "export", "--format", "ftm").stdout
    assert "English-only" in ftm
    from fastapi.testclient import TestClient

    from scamtrace.web.app import create_app

    page = TestClient(create_app(str(db))).get(f"/articles/{aid}").text
    assert "extraction is English-only" in page and "Not English" in page


def test_long_titles_are_cut_with_an_ellipsis():
    from scamtrace.copies.view import TITLE_MAX, head_line
    from scamtrace.model import Article

    long = "Thousands held as armed group storms border scam hub after weeks of pressure from two capitals"
    head = head_line(Article(id="x", source="s", text="t", title=long, outlet="O"))
    shown = head.split('"')[1]
    assert len(shown) <= TITLE_MAX and shown.endswith("…") and long.startswith(shown[:-1])
    short = head_line(Article(id="y", source="s", text="t", title="Short title", outlet="O"))
    assert '"Short title"' in short


def test_rejects_are_not_recorded_again_on_re_ingest(tmp_path, demo_dir):
    db = tmp_path / "r.db"
    for _ in range(3):
        run("--db", str(db), "ingest", str(demo_dir / "bad"))
    rows = [json.loads(x) for x in run("--db", str(db), "rejects", "--format", "jsonl").stdout.splitlines()]
    assert len(rows) == len({(r["source"], r["reason"]) for r in rows}) == 5


def test_spark_prints_the_run_record_api_returns(monkeypatch, tmp_path) -> None:
    """``scamtrace spark JOB`` renders the :class:`SparkRun` record ``api.spark_run`` returns (no Spark
    needed: the API verb is replaced)."""
    from scamtrace import api

    seen = {}

    def fake_run(job, inputs, output, **kw):  # noqa: ANN001, ANN202, ANN003
        seen.update(job=job, inputs=inputs, output=output, conf=kw["conf"])
        return api.SparkRun(job=job, output=output, info={"job": job},
                            counts={"articles": 1234, "links": 5, "families": 4, "stories": 3, "rejects": 1})

    monkeypatch.setattr(api, "spark_run", fake_run)
    res = run("spark", "stories", "a.jsonl", "b.jsonl", str(tmp_path / "out"), "--conf", "k", "v")
    assert seen == {"job": "stories", "inputs": ["a.jsonl", "b.jsonl"], "output": str(tmp_path / "out"),
                    "conf": {"k": "v"}}
    assert res.exit_code == 0
    assert (f"spark stories: 1,234 articles, 5 links, 4 families, 3 stories, 1 rejects -> {tmp_path / 'out'}"
            in res.stderr)
