"""Locality: the outlet of the country a story is about reported it first (``copies.direction-v8``, unchanged in v9).

News about people of one country (victims repatriated home, a raid at home) is broken by that country's
own press; foreign outlets, aggregators and content farms retell it. An outlet's country is read off its
host alone: the two-letter internet code it ends with (``monitor.co.ug``, ``vietnamnews.vn``) or a country
word inside the host name (``koreaherald.com``, ``nationthailand.com``). A story is *about* a country when
both texts name it (a name or demonym, ``data/outlet_countries.tsv``) at least :data:`LOCALITY_MIN_MENTIONS`
times. When exactly one of the two outlets is of a country the story is about, its text is taken as the
source: weak evidence, tried only when no other rule orders the pair (see ``direction.rule_locality``).

The table is written for scamtrace; a host or country it does not know gives no finding.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..model import Article

# Both texts must name the outlet's country this many times (names and demonyms together). realnews-dev
# half A: the stories' own countries are named 3-12 times in each text of a pair (South Korean, Ugandans,
# Vietnamese); a foreign outlet's country is named 0 times. 1 would let a passing mention count.
LOCALITY_MIN_MENTIONS = 2


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    host_words: tuple[str, ...]
    names: re.Pattern[str]


def _names_pattern(names: list[str]) -> re.Pattern[str]:
    """Names and demonyms on word boundaries, a plural "s" allowed; an all-capital name (US, UK, UAE) is
    matched in capitals only (so "us" the pronoun is not the United States); "North Korea" is not Korea."""
    parts = []
    for n in sorted(names, key=len, reverse=True):
        body = re.escape(n).replace(r"\ ", r"\s+")
        if n.replace(".", "").isupper():
            parts.append(rf"(?-i:{body})")
        else:
            parts.append(body + "s?")
    return re.compile(r"(?<![\w.])(?<!North )(?<!north )(?:" + "|".join(parts) + r")(?![\w])", re.IGNORECASE)


def parse_countries(lines: list[str], origin: str) -> tuple[Country, ...]:
    """Rows of ``outlet_countries.tsv`` -> countries; ValueError naming ``origin:line`` when malformed."""
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        if len(cols) != 3 or not re.fullmatch(r"[a-z]{2}", cols[0]) or not cols[2].strip():
            raise ValueError(f"{origin}:{n}: expected code<TAB>host words<TAB>names, got {line!r}")
        words = tuple(w.strip().lower() for w in cols[1].split(",") if w.strip() and w.strip() != "-")
        out.append(Country(cols[0], words, _names_pattern([x.strip() for x in cols[2].split(",") if x.strip()])))
    return tuple(out)


@lru_cache(maxsize=1)
def countries() -> tuple[Country, ...]:
    """The packaged table (cached)."""
    text = resources.files("scamtrace").joinpath("data", "outlet_countries.tsv").read_text(encoding="utf-8")
    return parse_countries(text.splitlines(), "outlet_countries.tsv")


@lru_cache(maxsize=1)
def countries_by_code() -> dict[str, Country]:
    """The packaged table by country code (built once, not on every look-up)."""
    return {c.code: c for c in countries()}


_HOST_RE = re.compile(r"^[a-z][a-z0-9+.-]*://([^/?#:]+)", re.I)


def outlet_host(article: Article) -> str:
    """The article's host: from its URL, else its outlet when that looks like a host; "" otherwise."""
    m = _HOST_RE.match(article.url or "")
    host = (m.group(1) if m else (article.outlet or "")).strip().lower().rstrip(".")
    return host if "." in host and " " not in host else ""


#: Second-level labels under which organisations register under a country code (``kbs.co.kr``,
#: ``bbc.co.uk``, ``monitor.co.ug``, ``x.gob.mx``): the registered domain then has three labels. A list of
#: registry conventions, not read off any evaluation set.
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "edu", "ne", "or", "go", "gob", "nic"})


def registered_domain(host: str) -> str:
    """The domain an organisation registered: ``world.kbs.co.kr`` -> ``kbs.co.kr``, ``www.mexc.com`` ->
    ``mexc.com``; a host of one or two labels is itself (lower-case, without a final dot)."""
    labels = [x for x in host.strip().lower().rstrip(".").split(".") if x]
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


@lru_cache(maxsize=8192)
def host_country(host: str) -> str | None:
    """The country code of a host: its last label when the table knows it, else the first country whose
    host word is in the host's labels (the suffix left out); None when unknown."""
    if not host:
        return None
    labels = host.split(".")
    if labels[-1] in countries_by_code():
        return labels[-1]
    body = ".".join(labels[:-1])
    for c in countries():
        if any(w in body for w in c.host_words):
            return c.code
    return None


def country_mentions(text: str, code: str) -> int:
    """How often ``text`` names the country ``code`` (names and demonyms)."""
    c = countries_by_code().get(code)
    return len(c.names.findall(text)) if c is not None else 0


def local_country(article: Article, other: Article) -> str | None:
    """``article``'s outlet country when both texts name it :data:`LOCALITY_MIN_MENTIONS`+ times, else None."""
    code = host_country(outlet_host(article))
    if code is None:
        return None
    if country_mentions(article.text, code) < LOCALITY_MIN_MENTIONS or \
            country_mentions(other.text, code) < LOCALITY_MIN_MENTIONS:
        return None
    return code
