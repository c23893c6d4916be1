"""Every example command in the README works after a `make demo` build (issue 15 item 1).

The demo is built as the Makefile's demo target does (the sources of examples/demo/sources.txt
ingested from examples/demo with --analyze, then examples/demo/bad), into a scratch folder that
stands for the repository root. Then every `scamtrace` line of the README's code blocks runs in
order, and so does every command of the "Quality" table; each must exit 0. A README id that the
demo does not have (`story ID`) fails here, since `story` exits 1 on an unknown id. Shown output
lines (a `$ command` block) must appear in the real output.
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DEMO, REPO, shared_dir, spark_missing
from scamtrace.cli import cli

README = (REPO / "README.md").read_text(encoding="utf-8")
MAKEFILE = (REPO / "Makefile").read_text(encoding="utf-8")


def readme_examples() -> list[tuple[str, list[str]]]:
    """(command line, output lines shown under it) for each README example, in README order.

    Code blocks: lines starting with `scamtrace`, `.venv/bin/scamtrace` or `$ scamtrace` (a `$` line
    may chain commands with `&&`; the lines after it up to the next `$` line are its output).
    Tables: cells of the form `scamtrace ...` without a placeholder (`[`, `|`, `...`, `ID`, `A B`).
    """
    found: list[tuple[int, str, list[str]]] = []
    for m in re.finditer(r"```(\w*)\n(.*?)```", README, re.S):
        lines = m.group(2).splitlines()
        i = 0
        while i < len(lines):
            line = lines[i].strip()
            dollar = line.startswith("$ ")
            cmd = line[2:] if dollar else line
            if cmd.startswith((".venv/bin/scamtrace ", "scamtrace ")):
                shown = []
                if dollar:
                    while i + 1 < len(lines) and not lines[i + 1].startswith("$ "):
                        i += 1
                        shown.append(lines[i])
                found.append((m.start(), re.sub(r"\s+#.*$", "", cmd), [x for x in shown if x.strip()]))
            i += 1
    quality = README.index("## Quality")
    for m in re.finditer(r"^\| `(scamtrace [^`]+)` \|", README[quality:], re.M):
        cmd = m.group(1)
        if not re.search(r"[\[|]|\.\.\.|\b(ID|STORY|SOURCE|OUTPUT|INPUT|WHAT|A B)\b", cmd):
            found.append((quality + m.start(), cmd, []))
    return [(cmd, shown) for _, cmd, shown in sorted(found, key=lambda x: x[0])]


def test_examples_are_found():
    cmds = [c for c, _ in readme_examples()]
    assert any(" story " in c for c in cmds), "the README's intro shows a `story ID` example"
    assert any(c.startswith("scamtrace ingest examples/demo/bad") for c in cmds)
    assert sum(" eval " in f" {c} " for c in cmds) >= 7


def test_demo_target_is_what_this_test_builds():
    """If `make demo` changes, this test's copy of it must change too."""
    assert "cd $(DEMO) && ../../$(BIN)/scamtrace --db ../../$(DB) ingest $$(cat sources.txt) --analyze" in MAKEFILE
    assert "-$(BIN)/scamtrace --db $(DB) ingest $(DEMO)/bad --analyze" in MAKEFILE


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """A scratch 'repository root' holding demo.db built as `make demo` builds it."""
    root = tmp_path_factory.mktemp("readme")
    for sub in ("examples", "tests", "src"):
        os.symlink(REPO / sub, root / sub)
    db = str(root / "demo.db")
    cwd = os.getcwd()
    try:
        os.chdir(DEMO)
        sources = (DEMO / "sources.txt").read_text().split()
        res = CliRunner().invoke(cli, ["--db", db, "ingest", *sources, "--analyze"], catch_exceptions=False)
        assert res.exit_code == 0, res.output
        os.chdir(root)
        CliRunner().invoke(cli, ["--db", db, "ingest", "examples/demo/bad", "--analyze"], catch_exceptions=False)
    finally:
        os.chdir(cwd)
    return root


def _argv(cmd: str) -> list[str]:
    argv = shlex.split(cmd)
    assert argv[0] in ("scamtrace", ".venv/bin/scamtrace"), cmd
    return argv[1:]


def _run_in_process(root: Path, cmd: str, monkeypatch) -> tuple[int, str]:
    monkeypatch.chdir(root)
    out = []
    for part in cmd.split(" && "):
        argv = _argv(part)
        if "serve" in argv:   # the web workspace: checked up to the point it would start serving
            import uvicorn

            monkeypatch.setattr(uvicorn, "run", lambda app, **kw: None)
        res = CliRunner().invoke(cli, argv)
        out.append(res.output)
        if res.exit_code != 0:
            return res.exit_code, "".join(out) + repr(res.exception)
    return 0, "".join(out)


def _shell(root: Path, cmd: str) -> tuple[int, str]:
    """Run ``cmd`` with bash in ``root``, where `scamtrace` and `.venv/bin/scamtrace` run this checkout
    (for examples with shell syntax, and Spark, which starts its own JVM)."""
    bindir = root / ".venv" / "bin"
    if not (bindir / "scamtrace").exists():
        bindir.mkdir(parents=True, exist_ok=True)
        (bindir / "scamtrace").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m scamtrace.cli "$@"\n')
        (bindir / "scamtrace").chmod(0o755)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "SPARK_LOCAL_IP": "127.0.0.1",
           "PYSPARK_PYTHON": sys.executable, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"}
    res = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], cwd=root, env=env, capture_output=True, text=True)
    return res.returncode, res.stdout + res.stderr


def _needs(cmd: str) -> str | None:
    """Why this example cannot run here, or None."""
    if " spark " in f" {cmd} ":
        return spark_missing()
    for bench in ("clough-stevenson", "extraction"):
        if f"eval {bench}" in cmd and not (shared_dir() / "benchmarks").is_dir():
            return f"{shared_dir() / 'benchmarks'} not found; set SCAMTRACE_SHARED to the shared/ folder"
    return None


def test_every_readme_example_runs_after_make_demo(root, monkeypatch):
    spark_lines = []   # run in a shell
    skipped = []
    for cmd, shown in readme_examples():
        why = _needs(cmd)
        if why:
            skipped.append(f"{cmd}: {why}")
            continue
        if " spark " in f" {cmd} " or re.search(r"[$|<>`;]", cmd.replace(" && ", " ")):
            spark_lines.append(cmd)
            code, out = _shell(root, cmd)
        else:
            code, out = _run_in_process(root, cmd, monkeypatch)
        assert code == 0, f"README example failed after make demo: {cmd}\n{out[-2000:]}"
        if re.search(r"\bstory [\w-]+", cmd) and "stories" not in cmd:
            sid = cmd.split("story ", 1)[1].split()[0]
            assert sid in out, f"{cmd}: the brief does not name its story"
        # shown output: every piece between "…" elisions must be printed (spacing and wrapping aside)
        flat = " ".join(out.split())
        for line in shown:
            for piece in line.split("…"):
                piece = " ".join(piece.split())
                assert len(piece) < 4 or piece in flat, f"{cmd}: the README shows {line!r}; not printed: {piece!r}"
    if skipped:
        pytest.skip("; ".join(skipped))
