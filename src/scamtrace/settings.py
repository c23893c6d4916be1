"""Every user-tunable setting, in one place: name, default, type, valid range, help.

The CLI's ``--setting NAME VALUE`` option, the README's settings table and ``tests/test_docs.py``
are all derived from :data:`SETTINGS`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ScamtraceError, SettingError


_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str
    minimum: float | None = None
    maximum: float | None = None

    def coerce(self, value: Any) -> Any:
        kind = type(self.default)
        try:
            if kind is bool and isinstance(value, str):
                word = value.strip().lower()
                if word not in _TRUE | _FALSE:
                    raise SettingError(f"setting {self.name!r} takes true or false (also yes/no, on/off, 1/0), "
                                       f"got {value!r}")
                v: Any = word in _TRUE
            elif kind is bool and not isinstance(value, (bool, int)) or kind is bool and value not in (0, 1):
                raise SettingError(f"setting {self.name!r} takes true or false, got {value!r}")
            else:
                v = kind(value)
        except SettingError:
            raise
        except (TypeError, ValueError):
            raise SettingError(f"setting {self.name!r} takes a {kind.__name__}, got {value!r}") from None
        if isinstance(v, str) and any(ord(c) < 32 or ord(c) == 127 for c in v):
            raise SettingError(f"setting {self.name!r} must not hold line breaks or other control characters "
                               f"(they would break the HTTP header it is sent in), got {v!r}")
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            lo = self.minimum if self.minimum is not None else float("-inf")
            hi = self.maximum if self.maximum is not None else float("inf")
            if not lo <= v <= hi:
                raise SettingError(f"setting {self.name!r} must be between {self.minimum} and {self.maximum}, got {v}")
        return v


SETTINGS: tuple[Setting, ...] = (
    Setting("fetch_timeout", 20.0, "Seconds to wait for one HTTP response before giving up.", 0.5, 600),
    Setting("fetch_retries", 2, "Extra attempts for a URL that fails with a timeout or 5xx.", 0, 10),
    Setting("max_bytes", 20_000_000, "Largest file or HTTP body read, in bytes; larger inputs are rejected.", 1_000, 2_000_000_000),
    Setting("user_agent", "scamtrace/0.1 (+https://example.invalid/scamtrace; research crawler)",
            "User-Agent header sent with every HTTP request."),
    Setting("fetch_linked_pages", True, "Fetch the page an RSS/Atom entry links to when the entry has no full text."),
    Setting("obey_robots", True, "Read a site's robots.txt (RFC 9309) before `watch` polls one of its pages or a "
            "feed entry's linked page is fetched, and skip what it disallows for scamtrace (the user agent's first "
            "word). A URL given to `ingest` is fetched as asked."),
    Setting("watch_backoff_max", 3600.0, "Longest wait, in seconds, before retrying a failing watched source.", 1, 86400),
    Setting("min_article_words", 10, "Fewest words a cleaned article may have; under 40 words it must also hold one "
            "full sentence (a wire brief is kept, a menu or stub is not).", 1, 10_000),
    Setting("doc_timeout", 30.0, "Seconds one document may take to clean (HTML extraction); a slower one is "
            "rejected and the batch goes on. 0 turns the limit off.", 0, 3600),
    Setting("follow_symlinks", False, "Read files that a symbolic link inside a given folder points to outside "
            "that folder (off: such links are rejected)."),
    Setting("boilerplate_min_pages", 3, "A line repeated on at least this many pages of one outlet is boilerplate.", 2, 1000),
    Setting("workers", 0, "Processes that clean pages in `ingest` and parse and extract articles in `analyze` "
            "(the results are the same whatever the number); 0 = one per CPU core, 1 = all in the main process.",
            0, 256),
)

_BY_NAME = {s.name: s for s in SETTINGS}


class Settings:
    """Resolved settings: defaults overridden by explicit values (validated)."""

    def __init__(self, **overrides: Any):
        self._values = {s.name: s.default for s in SETTINGS}
        for k, v in overrides.items():
            self[k] = v

    def __getitem__(self, name: str) -> Any:
        if name not in _BY_NAME:
            raise SettingError(f"unknown setting {name!r}; known: {', '.join(sorted(_BY_NAME))}")
        return self._values[name]

    def __setitem__(self, name: str, value: Any) -> None:
        if name not in _BY_NAME:
            raise SettingError(f"unknown setting {name!r}; known: {', '.join(sorted(_BY_NAME))}")
        self._values[name] = _BY_NAME[name].coerce(value)

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except SettingError as e:
            raise AttributeError(str(e)) from None

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)


def shared_dir(what: str = "seeds, datasets and benchmarks") -> Path:
    """The folder with seeds and public benchmarks, named by $SCAMTRACE_SHARED (the code never guesses
    it from where it is installed); unset, a :class:`ScamtraceError` says how to name it."""
    env = os.environ.get("SCAMTRACE_SHARED")
    if not env:
        raise ScamtraceError(f"SCAMTRACE_SHARED is not set; set it to the shared folder that holds {what} "
                             "(../shared beside the clone), or pass the folder as an argument")
    return Path(env)


def cpu_cores() -> int:
    """CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:   # not Linux
        return os.cpu_count() or 1


def resolve_workers(workers: int) -> int:
    """The ``workers`` setting as a process count: 0 means one per CPU core."""
    return cpu_cores() if workers <= 0 else workers
