"""The per-document time limit holds the same inside an ``alarm_scope`` (one SIGALRM handler for a
loop of documents) as alone, and both leave the previous handler and no timer behind."""
from __future__ import annotations

import signal
import time

import pytest

from scamtrace.timelimit import TimeLimitExceeded, alarm_scope, time_limit


def _previous(signum, frame):  # noqa: ANN001, ANN202
    raise AssertionError("the previous handler must not be called")


@pytest.fixture
def previous_handler():
    old = signal.signal(signal.SIGALRM, _previous)
    yield _previous
    signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("scoped", [False, True])
def test_a_block_past_its_limit_is_stopped_and_the_next_one_runs(previous_handler, scoped):
    with alarm_scope() if scoped else _nothing():
        with pytest.raises(TimeLimitExceeded, match="cleaning took longer than 0.05s"):
            with time_limit(0.05, "cleaning"):
                time.sleep(30)   # interrupted by the alarm long before
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        with time_limit(30, "cleaning"):   # a block within its limit runs to its end
            done = sum(range(1000))
        assert done == 499500 and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        if scoped:   # one handler for the whole loop
            assert signal.getsignal(signal.SIGALRM) is not previous_handler
    assert signal.getsignal(signal.SIGALRM) is previous_handler


def test_an_alarm_between_blocks_of_a_scope_does_nothing(previous_handler):
    with alarm_scope():
        with alarm_scope():   # nested: the outer one's handler stays
            pass
        assert signal.getsignal(signal.SIGALRM) is not previous_handler
        signal.raise_signal(signal.SIGALRM)   # a late alarm, no block running: ignored
        with pytest.raises(TimeLimitExceeded), time_limit(30, "cleaning"):
            signal.raise_signal(signal.SIGALRM)   # inside a block: its handler runs
            pytest.fail("not reached")
    assert signal.getsignal(signal.SIGALRM) is previous_handler


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
