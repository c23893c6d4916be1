"""Escaping for reports: every string from the store is untrusted (article text, titles, outlets, URLs).

HTML is built with :func:`el`, which escapes every child that is not already :class:`Html` and every
attribute value, so untrusted text can never become markup. Markdown text goes through :func:`md`,
which neutralises both HTML and Markdown syntax. Links are only ever made from :func:`~scamtrace.urls.safe_url`
(http and https), so a stored ``javascript:`` or ``data:`` URL stays plain text.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

from ..urls import safe_url

_NAME = re.compile(r"^[a-zA-Z][a-zA-Z0-9:-]*$")
_VOID = frozenset({"br", "hr", "meta", "col", "circle", "line", "path", "rect"})
#: Markdown syntax characters escaped everywhere (``:`` stops GFM autolinks of untrusted text).
_MD_ALWAYS = re.compile(r"([\\`*_{}\[\]()#+!|~:])")
_MD_LINE_START = re.compile(r"^(\s*)([-=>]|\d+[.)])")
_MD_WWW = re.compile(r"(?i)\b(www)\.")
#: Characters kept as they are inside a Markdown link destination; everything else is %-encoded.
_URL_SAFE = "/:?#@!$&'*+,;=%~-._"


class Html(str):
    """A string that is already HTML (escaped text or markup built by :func:`el`)."""

    __slots__ = ()


def esc(value: Any) -> Html:
    """``value`` as HTML text: kept when already :class:`Html`, escaped otherwise; None is empty."""
    if isinstance(value, Html):
        return value
    if value is None:
        return Html("")
    return Html(html.escape(str(value), quote=True))


def join(parts: Iterable[Any], sep: str = "") -> Html:
    """Concatenate parts (nested lists flattened, None skipped), escaping those that are not :class:`Html`."""
    return Html(esc(sep).join(_children(parts)))


def _children(items: Iterable[Any]) -> Iterable[Html]:
    for item in items:
        if item is None or item is False:
            continue
        if isinstance(item, (list, tuple)) or (not isinstance(item, str) and hasattr(item, "__iter__")):
            yield from _children(item)
        else:
            yield esc(item)


def el(tag: str, attrs: Mapping[str, Any] | None = None, *children: Any) -> Html:
    """One element. Attribute values are escaped (None or False drops the attribute, True writes it
    bare); children are escaped unless :class:`Html`; lists of children are flattened."""
    if not _NAME.match(tag):
        raise ValueError(f"invalid tag name {tag!r}")
    out = ["<", tag]
    for k, v in (attrs or {}).items():
        if not _NAME.match(k):
            raise ValueError(f"invalid attribute name {k!r}")
        if k.lower().startswith("on"):
            raise ValueError(f"event handler attributes are not allowed: {k!r}")
        if v is None or v is False:
            continue
        out.append(f" {k}" if v is True else f' {k}="{html.escape(str(v), quote=True)}"')
    body = "".join(_children(children))
    if tag in _VOID and not body:
        out.append("/>")
    else:
        out += [">", body, f"</{tag}>"]
    return Html("".join(out))


def md(value: Any) -> str:
    """``value`` as inline Markdown text: whitespace collapsed to single spaces (no new block can
    start), ``& < >`` as HTML entities (no raw HTML), Markdown syntax backslash-escaped."""
    if value is None:
        return ""
    s = " ".join(str(value).split())
    s = html.escape(s, quote=False)
    s = _MD_ALWAYS.sub(r"\\\1", s)
    s = _MD_WWW.sub(r"\1\\.", s)
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2) if len(m.group(2)) == 1
                              else m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], s)


def md_link(label: Any, url: Any) -> str:
    """A Markdown link when ``url`` is safe (its destination %-encoded so it cannot end early),
    else the escaped label alone."""
    u = safe_url(url)
    text = md(label) or md(url)
    if u is None:
        return text
    return f"[{text}]({quote(u, safe=_URL_SAFE)})"
