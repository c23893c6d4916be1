"""Make what ingest produced storable: lone surrogates in any string of a RawDoc or Reject replaced,
and a reject's reason kept on one line."""
from __future__ import annotations

import re
from typing import Any

from ..model import RawDoc, Reject

_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
_LINE_BREAK_RE = re.compile(r"[\r\n]+")


def scrub_text(value: str) -> str:
    """``value`` with lone surrogates replaced, so it can be stored as UTF-8.

    They arrive from JSON escapes (``"\\ud800"``) as U+FFFD, and from file names that are not
    UTF-8 (Python keeps each undecodable byte as a surrogate) as ``\\xNN``, which names the byte."""
    if value.isascii():
        return value
    try:
        value.encode("utf-8")   # refuses exactly the surrogates; faster than searching for them
        return value
    except UnicodeEncodeError:
        pass
    return _SURROGATE_RE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}" if 0xDC80 <= ord(m.group()) <= 0xDCFF
                             else "\ufffd", value)


def _scrub_value(v: Any) -> Any:
    if isinstance(v, str):
        return scrub_text(v)
    if isinstance(v, dict):
        return {scrub_text(str(k)): _scrub_value(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_scrub_value(x) for x in v]
    return v


def scrub(item: RawDoc | Reject) -> RawDoc | Reject:
    """Every string of a RawDoc or Reject made storable (see :func:`scrub_text`)."""
    if isinstance(item, Reject):
        item.source, item.reason = scrub_text(item.source), _LINE_BREAK_RE.sub(" ", scrub_text(item.reason))
        if isinstance(item.detail, str):
            item.detail = scrub_text(item.detail)
        return item
    for name in ("source", "body", "id", "url", "outlet", "title", "byline", "language"):
        v = getattr(item, name)
        if isinstance(v, str):
            setattr(item, name, scrub_text(v))
    item.extra = _scrub_value(item.extra)
    return item
