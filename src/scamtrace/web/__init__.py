"""The local web workspace (``scamtrace serve``): stories, articles, provenance and judgements.

``create_app`` is imported lazily so that ``scamtrace.web.cli`` loads (and can say what to install)
on a machine without the web extras.
"""
from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
