"""Quantity phrases: numerals, number words, vague quantities, currencies and qualifiers.

:func:`find_quantities` finds every quantity phrase in a text and returns :class:`Quantity` values
with the number already interpreted. Vague plurals follow the rule "the smallest amount the words
allow" (ACLED-style lower bound): a plural of a base counts at least two of it, so "hundreds" is
200, "tens of thousands" is 20,000 and "dozens" is 24; "a dozen" is 12. "several", "a few" and
"many" are not turned into numbers (they carry no usable lower bound beyond 2).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS_WORDS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000, "k": 1_000,
           # figures-v5: the Indian scale words of South Asian news ("Rs 5 lakh", "Rs 1.5 crore")
           "lakh": 100_000, "lakhs": 100_000, "crore": 10_000_000, "crores": 10_000_000}
_PLURAL_BASES = {"dozens": 12, "tens": 10, "hundreds": 100, "thousands": 1_000, "millions": 1_000_000,
                 "billions": 1_000_000_000}

#: Qualifier phrases before a number, mapped to the normalised qualifier stored on a Figure.
QUALIFIERS = {
    "some": "some", "about": "about", "around": "about", "approximately": "about", "roughly": "about",
    "an estimated": "about", "estimated": "about", "nearly": "nearly", "almost": "nearly", "close to": "nearly",
    "more than": "more than", "greater than": "more than", "over": "more than", "upwards of": "more than",
    "at least": "at least",
    "up to": "up to", "as many as": "up to", "at most": "up to", "less than": "less than",
    "fewer than": "less than", "under": "less than", "no fewer than": "at least", "no less than": "at least",
    "not less than": "at least", "just over": "more than", "just under": "less than",
}

#: Currency words and symbols -> ISO 4217 code. "¥" is read as yuan: in this domain (Chinese
#: syndicates) it is the renminbi far more often than the yen.
CURRENCY_WORDS = {
    "yuan": "CNY", "renminbi": "CNY", "rmb": "CNY", "baht": "THB", "kyat": "MMK", "kyats": "MMK",
    "riel": "KHR", "riels": "KHR", "pesos": "PHP", "peso": "PHP", "ringgit": "MYR", "kip": "LAK",
    "dong": "VND", "euros": "EUR", "euro": "EUR", "pounds": "GBP", "rupees": "INR", "dollars": "USD",
    "dollar": "USD", "usd": "USD", "cny": "CNY", "thb": "THB", "hkd": "HKD", "sgd": "SGD",
    # v4: the currencies of real news on the topic, and crypto assets (counted in their own unit)
    "won": "KRW", "krw": "KRW", "rupiah": "IDR", "idr": "IDR", "reais": "BRL", "yen": "JPY", "shillings": "KES",
    "birr": "ETB", "taka": "BDT", "rupee": "INR", "myr": "MYR", "php": "PHP", "vnd": "VND",
    "bitcoin": "BTC", "bitcoins": "BTC", "btc": "BTC", "ether": "ETH", "eth": "ETH", "usdt": "USDT",
    "tether": "USDT",
}
CURRENCY_SYMBOLS = {"US$": "USD", "$": "USD", "HK$": "HKD", "S$": "SGD", "A$": "AUD", "¥": "CNY", "€": "EUR",
                    "£": "GBP", "฿": "THB", "RMB": "CNY", "USD": "USD", "CNY": "CNY",
                    # v4: ringgit, pesos, rupiah, reais, won, rupees, shillings
                    "RM": "MYR", "₱": "PHP", "Php": "PHP", "PHP": "PHP", "Rp": "IDR", "R$": "BRL", "₩": "KRW",
                    "Rs": "INR", "Ksh": "KES", "U$": "USD", "₫": "VND",
                    # v5: ISO codes written before an amount ("KRW 3 billion", "SGD 410,000")
                    "KRW": "KRW", "THB": "THB", "MYR": "MYR", "IDR": "IDR", "INR": "INR", "SGD": "SGD",
                    "HKD": "HKD", "EUR": "EUR", "GBP": "GBP", "JPY": "JPY", "VND": "VND", "AUD": "AUD",
                    "NT$": "TWD"}
#: A bare "P" is a peso sign only before an amount written as money ("P2-million", "P500,000", v4).
_PESO_P = r"P(?=\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?-?\s?(?:million|billion)\b)"

_NUMWORD = "|".join(sorted([*_UNITS_WORDS, *_TENS_WORDS], key=len, reverse=True))
_WORDNUM_RE = rf"(?:(?:{'|'.join(_TENS_WORDS)})[- ](?:{'|'.join(k for k in _UNITS_WORDS if _UNITS_WORDS[k] < 10)})|{_NUMWORD})"
_DIGITS_RE = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE_RE = r"(?:hundred|thousand|million|billion|trillion|lakhs?|crores?|mn|bn|m|k)"
_PLURAL_RE = r"(?:dozens|tens|hundreds|thousands|millions|billions)"
_SYMBOL_RE = "|".join([*(re.escape(s) for s in sorted(CURRENCY_SYMBOLS, key=len, reverse=True)), _PESO_P])
_QUAL_RE = "|".join(sorted((re.escape(q) for q in QUALIFIERS), key=len, reverse=True))

#: Horizontal white space: a quantity phrase never spans a line or paragraph break ("some\n\n$5").
_SP = r"[^\S\n]"
#: Characters a quantity phrase can start with: a qualifier's, a currency symbol's (and the peso "P")
#: or the core's first character (a digit; "a", "half", "dozen", a plural or a number word), or a
#: space before the core. Checked first by a lookahead, so the long pattern is tried only where a
#: phrase can start (same matches: the lookahead is implied by the pattern; under ``re.I`` as the
#: pattern is, so case variants are the same). ``figures.quantity-prefilter`` (speed only).
_CORE_FIRST = sorted({"a", "h", "d", "q", *(w[0] for w in _PLURAL_BASES), *(w[0] for w in (*_UNITS_WORDS, *_TENS_WORDS))})
_FIRST_CHARS = sorted({*(q[0] for q in QUALIFIERS), *(s[0] for s in CURRENCY_SYMBOLS), "P", *_CORE_FIRST})
_FIRST = (rf"(?=[{''.join(re.escape(c) for c in _FIRST_CHARS)}\d]"
          rf"|{_SP}[{''.join(re.escape(c) for c in _CORE_FIRST)}\d])")
#: What may follow a spelled scale word: "one hundred and twenty", "a hundred fifty", "two thousand five
#: hundred" (figures-v6; v5 read "one hundred and twenty suspects" as 100 and 20).
_BIG = r"(?:hundred|thousand|million|billion)\b"


def _rest(name: str) -> str:
    """The pattern of the words after a spelled scale, in group ``name``: a number under a hundred that
    no scale follows ("between two hundred and three hundred" is a range, not 500), or N hundred (and
    a number under a hundred)."""
    return (rf"(?:{_SP}+(?P<{name}>(?:and{_SP}+)?(?:{_WORDNUM_RE})\b(?!{_SP}+{_BIG}|-)"
            rf"|(?:{_WORDNUM_RE}){_SP}+hundred\b(?:{_SP}+and{_SP}+(?:{_WORDNUM_RE})\b(?!{_SP}+{_BIG}))?))?")


#: Fractions of a scale: "a quarter of a million" (v5 read it as a million), "three-quarters of a
#: billion", "a third of a million" (figures-v6).
_FRACTIONS = {"quarter": 0.25, "quarters": 0.25, "third": 1 / 3, "thirds": 1 / 3}
#: The "(a|half a|two|12) dozen" branch: its optional multiplier (any number word) is tried at every
#: position, which makes it the costliest part of the pattern.
_VAGUE_DOZEN = rf"(?:a{_SP}+|half{_SP}+a{_SP}+|(?P<vmult>{_WORDNUM_RE}|\d+){_SP}+)?dozen\b(?!s)"
QUANTITY_RE = re.compile(
    rf"{_FIRST}(?:\b(?P<qual>{_QUAL_RE}){_SP}+)?"
    rf"(?:(?<![A-Za-z])(?P<sym>{_SYMBOL_RE}))?{_SP}?"
    rf"(?P<core>"
    rf"(?P<vague>{_VAGUE_DOZEN}"
    rf"|\b{_PLURAL_RE}(?:{_SP}+of{_SP}+{_PLURAL_RE})*\b)"
    rf"|(?P<num>{_DIGITS_RE})(?:(?:{_SP}|-)?(?P<scale>{_SCALE_RE})\b)?"
    rf"|(?P<frac>\b(?:(?P<fnum>a|one|three|two)[- ]|{_SP}?)?(?P<fpart>quarters?|thirds?){_SP}+of{_SP}+a{_SP}+"
    rf"(?P<fscale>million|billion)\b)"
    rf"|(?P<a>\b(?P<half>half{_SP}+)?a{_SP}+(?P<ascale>hundred|thousand|million|billion)\b{_rest('arest')})"
    rf"|\b(?P<word>{_WORDNUM_RE})\b(?:{_SP}+(?P<wscale>hundred|thousand|million|billion)\b{_rest('wrest')})?"
    rf")", re.I)


@dataclass(slots=True)
class Quantity:
    """A number phrase as found: its span, interpreted value, qualifier and vague rule."""

    start: int
    end: int
    text: str
    value: float
    qualifier: str | None
    vague_rule: str | None
    currency: str | None   # from a symbol before the number; currency words after are read later
    is_word: bool          # spelled-out number ("two"), as opposed to digits


def _parse_digits(num: str) -> float:
    return float(num.replace(",", ""))


def _word_value(word: str) -> int:
    parts = re.split(r"[- ]", word.lower())
    return sum(_TENS_WORDS.get(p, 0) + _UNITS_WORDS.get(p, 0) for p in parts)


def _rest_value(rest: str | None) -> float:
    """The value of the words after a spelled scale ("and twenty", "five hundred and ten")."""
    if not rest:
        return 0.0
    rest = re.sub(r"^and\s+", "", rest.strip(), flags=re.I)
    parts = re.split(r"\s+hundred(?:\s+and)?\s*", rest, flags=re.I)
    if len(parts) == 2:
        return 100.0 * _word_value(parts[0]) + (_word_value(parts[1]) if parts[1] else 0)
    return float(_word_value(rest))


def _vague_value(phrase: str, mult: str | None) -> tuple[float, str]:
    """Value and rule text of a vague phrase ("tens of thousands", "a dozen", "two dozen")."""
    words = re.sub(r"\s+", " ", phrase.lower()).strip()
    if "dozen" in words and "dozens" not in words:
        if words.startswith("half"):
            return 6.0, "half a dozen -> 6"
        n = 1 if mult is None else (_word_value(mult) if not mult.isdigit() else int(mult))
        return 12.0 * n, f"{words} -> {12 * n}"
    bases = [w for w in words.split(" ") if w in _PLURAL_BASES]
    value = 2.0
    for b in bases:
        value *= _PLURAL_BASES[b]
    return value, f"{words} -> {value:.0f} (ACLED-style lower bound: a plural counts at least two)"


def parse_quantity(m: re.Match[str]) -> Quantity:
    """Interpret one :data:`QUANTITY_RE` match."""
    qual = QUALIFIERS[m["qual"].lower()] if m["qual"] else None
    sym = (CURRENCY_SYMBOLS.get(m["sym"], "PHP") if m["sym"] else None)
    vague_rule = None
    if m["vague"]:
        value, vague_rule = _vague_value(m["vague"], m["vmult"])
    elif m["num"]:
        value = _parse_digits(m["num"]) * _SCALES.get((m["scale"] or "").lower(), 1)
    elif m["frac"]:
        k = {"three": 3, "two": 2}.get((m["fnum"] or "").lower(), 1)
        value = k * _FRACTIONS[m["fpart"].lower()] * _SCALES[m["fscale"].lower()]
    elif m["a"]:
        value = float(_SCALES[m["ascale"].lower()]) * (0.5 if m["half"] else 1.0)   # "half a million" (v5)
        value += _rest_value(m["arest"])
    else:
        value = float(_word_value(m["word"]) * _SCALES.get((m["wscale"] or "").lower(), 1)) + _rest_value(m["wrest"])
    start = m.start()
    if qual is None and m["sym"]:
        start = m.start("sym")
    elif qual is None:
        start = m.start("core")
    return Quantity(start=start, end=m.end(), text=m.string[start:m.end()], value=value, qualifier=qual,
                    vague_rule=vague_rule, currency=sym, is_word=bool(m["word"] or m["a"] or m["frac"]))


#: "dozen" as a word (no other character matches d, o, z, e or n under ``re.I``), and
#: :data:`QUANTITY_RE` without its dozen branch (the ``vmult`` group kept, never set): a text with
#: no such word gets exactly the same matches from it, about twice as fast
#: (``figures.quantity-prefilter``, speed only; most texts say "dozens", if anything).
_DOZEN_WORD = re.compile(r"[dD][oO][zZ][eE][nN]\b")
_QUANTITY_NO_DOZEN = re.compile(QUANTITY_RE.pattern.replace(_VAGUE_DOZEN, r"(?!)(?P<vmult>x)", 1), re.I)
#: Where a match of :data:`_QUANTITY_NO_DOZEN` can start, tighter than :data:`_FIRST`: a qualifier,
#: plural, "a"/"half" or number word at a word start; a currency symbol not after a Latin letter (the
#: pattern's own guard); a digit; or a space before the core. Without the dozen branch no match
#: starts inside a word except at a digit, so most positions fail at ``\b`` (same matches).
_QUAL_CORE_LETTERS = sorted({*(q[0] for q in QUALIFIERS), *_CORE_FIRST} - set("0123456789"))
_FIRST_NO_DOZEN = (rf"(?=\b[{''.join(re.escape(c) for c in _QUAL_CORE_LETTERS)}]"
                   rf"|(?<![A-Za-z])[{''.join(re.escape(c) for c in sorted({*(s[0] for s in CURRENCY_SYMBOLS), 'P'}))}]"
                   rf"|\d|{_SP}[{''.join(re.escape(c) for c in _CORE_FIRST)}\d])")
assert QUANTITY_RE.pattern.startswith(_FIRST)
_QUANTITY_NO_DOZEN = re.compile(_FIRST_NO_DOZEN + _QUANTITY_NO_DOZEN.pattern[len(_FIRST):], re.I)


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity phrase in ``text``, in order of appearance."""
    out: list[Quantity] = []
    regex = QUANTITY_RE if _DOZEN_WORD.search(text) else _QUANTITY_NO_DOZEN
    for m in regex.finditer(text):
        if not (m["vague"] or m["num"] or m["a"] or m["word"] or m["frac"]):
            continue
        out.append(parse_quantity(m))
    return out
