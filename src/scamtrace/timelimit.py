"""A per-document time limit (``SIGALRM``), so no single input can hold a batch for ever.

Used around cleaning (trafilatura, htmldate) where one crafted page can take minutes. The limit
raises :class:`TimeLimitExceeded`, a ``BaseException``: library code that catches ``Exception`` to
carry on cannot swallow it, and the timer re-fires every :data:`REFIRE_SECONDS` until the guarded
block is left, in case a bare ``except`` did. Signals only reach the main thread, so in any other
thread (and on platforms without ``setitimer``) the block runs without a limit.
"""
from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

#: After the limit, the alarm repeats this often until the guarded block is left.
REFIRE_SECONDS = 0.25


class TimeLimitExceeded(BaseException):
    """The guarded block ran past its limit; ``str(e)`` says which limit."""


def available() -> bool:
    """True when a limit can be enforced here (main thread, a platform with ``setitimer``)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def time_limit(seconds: float, what: str = "the document") -> Iterator[None]:
    """Raise :class:`TimeLimitExceeded` inside the block once it has run ``seconds`` (0: no limit)."""
    if not seconds or seconds <= 0 or not available():
        yield
        return
    active = [True]

    def on_alarm(signum, frame):  # noqa: ANN001, ANN202, ARG001
        if active[0]:
            raise TimeLimitExceeded(f"{what} took longer than {seconds:g}s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds, REFIRE_SECONDS)
    try:
        yield
    finally:
        active[0] = False      # first, with no call in between: a late alarm now does nothing
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
