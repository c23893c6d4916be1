"""Python's cyclic garbage collector paused for a block (:func:`paused`).

A run that makes many long-lived, acyclic containers (an incremental ``analyze``'s per-unit and per-story
structures) sets off collections that only walk them; pausing the collector for the run saves that walk
(see ``pipeline.GC_PAUSE_MAX_NEW`` and the warm stories path). The collector is left as it was found.
"""
from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The collector paused inside the block and, after it (also when it raises), enabled again if it was
    enabled before; garbage made meanwhile is collected by the collector's next run."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
