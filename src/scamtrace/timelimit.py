"""A per-document time limit (``SIGALRM``), so no single input can hold a batch for ever.

Used around cleaning (trafilatura, htmldate) where one crafted page can take minutes. The limit
raises :class:`TimeLimitExceeded`, a ``BaseException``: library code that catches ``Exception`` to
carry on cannot swallow it, and the timer re-fires every :data:`REFIRE_SECONDS` until the guarded
block is left, in case a bare ``except`` did. Signals only reach the main thread, so in any other
thread (and on platforms without ``setitimer``) the block runs without a limit.

A loop that guards many documents opens :func:`alarm_scope` once around them: the ``SIGALRM``
handler is then installed once for the loop instead of twice per document (``signal.signal``
costs about 10 microseconds a call, as much as cleaning a short text's metadata), and each
:func:`time_limit` only sets and clears the timer. The limits are the same either way.
"""
from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType

#: After the limit, the alarm repeats this often until the guarded block is left.
REFIRE_SECONDS = 0.25


class TimeLimitExceeded(BaseException):
    """The guarded block ran past its limit; ``str(e)`` says which limit."""


def available() -> bool:
    """True when a limit can be enforced here (main thread, a platform with ``setitimer``)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


#: The alarm handler of the guarded block running now inside an :func:`alarm_scope` (None between blocks).
_CURRENT: list[Callable[[int, FrameType | None], None] | None] = [None]


def _dispatch(signum: int, frame: FrameType | None) -> None:
    """The ``SIGALRM`` handler of an :func:`alarm_scope`: the running block's, or nothing (a late alarm)."""
    handler = _CURRENT[0]
    if handler is not None:
        handler(signum, frame)


@contextlib.contextmanager
def alarm_scope() -> Iterator[None]:
    """Keep one ``SIGALRM`` handler installed while many :func:`time_limit` blocks run (a loop over
    documents); the previous handler is back afterwards. Does nothing where limits cannot be set."""
    if not available() or signal.getsignal(signal.SIGALRM) is _dispatch:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _dispatch)
    try:
        yield
    finally:
        if signal.getsignal(signal.SIGALRM) is _dispatch:   # unless someone installed another since
            signal.signal(signal.SIGALRM, previous)


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

    restore: Callable[[], object]
    if signal.getsignal(signal.SIGALRM) is _dispatch:   # inside an alarm_scope: only the timer
        outer = _CURRENT[0]
        _CURRENT[0] = on_alarm

        def restore() -> None:
            _CURRENT[0] = outer
    else:
        previous = signal.signal(signal.SIGALRM, on_alarm)

        def restore() -> object:
            return signal.signal(signal.SIGALRM, previous)
    signal.setitimer(signal.ITIMER_REAL, seconds, REFIRE_SECONDS)
    try:
        yield
    finally:
        active[0] = False      # first, with no call in between: a late alarm now does nothing
        signal.setitimer(signal.ITIMER_REAL, 0)
        restore()
