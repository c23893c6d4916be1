"""Docs match code: every CLI command and every setting is documented in the README."""
import re
from pathlib import Path

import click

from scamtrace.cli import cli
from scamtrace.settings import SETTINGS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    out = []
    for name, cmd in group.commands.items():
        full = f"{prefix}{name}"
        out.append(full)
        if isinstance(cmd, click.Group):
            out.extend(_commands(cmd, full + " "))
    return out


def test_every_command_documented():
    missing = [c for c in _commands(cli) if not re.search(rf"scamtrace (--db \S+ )?{re.escape(c)}\b", README)]
    assert not missing, f"commands missing from README: {missing}"


def test_every_setting_documented():
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in README]
    assert not missing, f"settings missing from README: {missing}"


def test_readme_opens_with_the_two_commands():
    block = README.split("```")[1]
    assert "make demo" in block and "make test" in block
