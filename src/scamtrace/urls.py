"""The one URL sanitizer: which stored URL may become a link (web pages, reports, exports)."""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def safe_url(url: Any) -> str | None:
    """``url`` when it is an absolute http(s) URL with a host and no whitespace or control
    characters, else None: a stored URL never becomes a ``javascript:`` or ``data:`` link."""
    if not isinstance(url, str):
        return None
    u = url.strip()
    if not u or _CONTROL.search(u):
        return None
    try:
        parts = urlsplit(u)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return u
