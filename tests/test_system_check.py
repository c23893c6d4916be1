"""scripts/check-system (issue 15 item 6): `make demo` checks the system packages pip cannot install
first and fails with the one-line apt-get install, which the README shows too."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

SCRIPT = REPO / "scripts" / "check-system"
README = (REPO / "README.md").read_text(encoding="utf-8")
APT = re.search(r'APT_LINE="([^"]+)"', SCRIPT.read_text(encoding="utf-8")).group(1)


def _stub(bindir: Path, name: str, body: str = "exit 0") -> None:
    p = bindir / name
    p.write_text(f"#!/bin/sh\n{body}\n")
    p.chmod(0o755)


def _run(tmp_path: Path, tools: dict[str, str]) -> subprocess.CompletedProcess:
    """The script with PATH holding only the basic utilities and the stub ``tools``."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    for util in ("sed", "head"):
        os.symlink(shutil.which(util), bindir / util)
    for name, body in tools.items():
        _stub(bindir, name, body)
    env = {"PATH": str(bindir), "PYTHON": sys.executable, "HOME": str(tmp_path)}
    return subprocess.run([shutil.which("sh"), str(SCRIPT)], env=env, capture_output=True, text=True)


JAVA17 = 'echo \'openjdk version "17.0.15" 2025-04-15\' >&2'
ALL = {"g++": "exit 0", "pkg-config": "exit 0", "java": JAVA17}


def test_passes_when_everything_is_there(tmp_path):
    res = _run(tmp_path, ALL)
    assert res.returncode == 0, res.stderr
    assert res.stderr == ""


@pytest.mark.parametrize("drop, named", [("g++", "C++ compiler"), ("pkg-config", "pkg-config"), ("java", "Java 17")])
def test_a_missing_tool_fails_with_the_install_line(tmp_path, drop, named):
    res = _run(tmp_path, {k: v for k, v in ALL.items() if k != drop})
    assert res.returncode == 1
    assert named in res.stderr and APT in res.stderr


def test_missing_icu_headers_and_old_java(tmp_path):
    res = _run(tmp_path, {**ALL, "pkg-config": "exit 1", "java": "echo 'java version \"1.8.0_392\"' >&2"})
    assert res.returncode == 1
    assert "libicu-dev" in res.stderr and "found 1" in res.stderr and APT in res.stderr


def test_readme_and_makefile_use_it():
    assert APT in README, "the README must show the same one-line install as scripts/check-system"
    for pkg in ("libicu-dev", "pkg-config", "g++", "openjdk-17"):
        assert pkg in APT
    make = (REPO / "Makefile").read_text(encoding="utf-8")
    demo = re.search(r"^demo:(.*)\n((?:\t.*\n)+)", make, re.M)
    assert demo and "check-system" in demo.group(1), "make demo must run the check before installing"
    assert re.search(r"^check-system:\n\t.*scripts/check-system", make, re.M)
    # CI (.ci/run) installs these packages itself and runs `make test`, which does not need the check
    assert "check-system" not in re.search(r"^test:.*$", make, re.M).group(0)
