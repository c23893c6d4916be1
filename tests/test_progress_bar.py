"""The CLI progress bar: articles per second and the time left on a terminal; nothing in a pipe."""
from __future__ import annotations

import io
import time

from scamtrace import cli


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run(monkeypatch, stream: io.StringIO) -> str:  # noqa: ANN001
    monkeypatch.setattr("sys.stderr", stream)
    with cli.progress_bar() as progress:
        for done in range(0, 50, 10):
            progress("extract", done, 100)
            time.sleep(0.02)   # two samples at different times give rich a speed
    return stream.getvalue()


def test_on_a_terminal_the_bar_shows_the_rate_and_the_time_left(monkeypatch):
    out = _run(monkeypatch, _Terminal())
    assert "extract" in out and "40/100" in out
    assert "articles/s" in out and "left" in out


def test_in_a_pipe_nothing_is_written(monkeypatch):
    assert _run(monkeypatch, io.StringIO()) == ""
