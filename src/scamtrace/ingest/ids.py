"""URL normalisation and content-derived ids."""
from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..model import RawDoc

#: Query parameters that only track the reader and never select content.
TRACKING_PARAMS: frozenset[str] = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "mc_cid", "mc_eid",
    "igshid", "_ga", "ref_src", "cmpid", "ocid", "smid",
})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    low = name.lower()
    return low.startswith("utm_") or low in TRACKING_PARAMS


def normalize_url(url: str) -> str:
    """Canonical form of ``url`` for identity: lowercase scheme and host, no default port,
    no fragment, no tracking parameters (``utm_*``, ``fbclid``, ``gclid``, ...), sorted query,
    and ``/`` for an empty path. Raises ValueError for a string that is not an absolute URL."""
    if not isinstance(url, str):
        raise ValueError(f"normalize_url takes a str URL, got {type(url).__name__}")
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        raise ValueError(f"not an absolute URL (need scheme://host/...): {url!r}")
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"URL has an invalid port: {url!r}") from None
    netloc = host if ":" not in host else f"[{host}]"
    if parts.username or parts.password:
        cred = parts.username or ""
        if parts.password:
            cred += ":" + parts.password
        netloc = f"{cred}@{netloc}"
    if port is not None and _DEFAULT_PORTS.get(scheme) != port:
        netloc += f":{port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k))
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def _sha1_16(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def content_hash(body: str) -> str:
    """Hash of ``body`` with whitespace folded (runs become one space, ends stripped)."""
    return _sha1_16(" ".join(body.split()))   # white space runs to one space, ends stripped (str.split: re's \s)


def stable_id(raw: RawDoc) -> str:
    """The article id for ``raw``: its own id if given, else ``"u-"`` + sha1 of the normalised
    URL (16 hex), else ``"c-"`` + sha1 of the whitespace-folded body (16 hex)."""
    if raw.id:
        return str(raw.id)
    if raw.url:
        try:
            return "u-" + _sha1_16(normalize_url(raw.url))
        except ValueError:
            pass   # a relative or malformed URL cannot identify the article; use the content
    return "c-" + content_hash(raw.body)
