"""Figures: numbers that count people, money, buildings, flights or operations (``extract.figures-v1``).

For every quantity phrase (:mod:`.numbers`) the unit is decided from what follows it:

* a currency symbol before or a currency word after ("40,000 yuan", "$14 million", "tens of
  billions of dollars") -> money, with a conversion the text gives in brackets ("($5,472)");
* "%"/"percent" -> ``percent``;
* a count noun within a few words ("31,000 suspects", "194 Chinese nationals", "63 were key
  players", "three of the four suspects") -> ``people``/``buildings``/``flights``/``operations``;
* no noun but a verb or "more" after it ("Of those, 16,000 went voluntarily", "Tens of thousands
  more remain imprisoned") -> the unit and noun of the previous figure in the paragraph.

Anything else (years, day numbers, "two special zones", "48 countries") is not a figure. Ages and
durations ("31-year-old", "a six-day trial") are skipped: they describe a person or an event rather
than count anything a report aggregates. The date is the date expression of the sentence nearest to
the number; a sentence opening with a partitive ("Among them", "Of those") inherits the date,
claimant and place of the previous figure. The claimant comes from "according to X", "said X",
"X said/announced/reported", or the speaker of the quote the number sits in.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .dates import find_dates
from .gazetteer import Gazetteer, load_gazetteer
from .names import PersonIndex, index_persons
from .numbers import CURRENCY_WORDS, QUANTITY_RE, Quantity, find_quantities, parse_quantity
from .quotes import find_quotes
from .records import ALGO_FIGURES, DateRef, Figure, Quote
from .text import paragraphs, sentences, span_containing

_NOUNS: dict[str, tuple[str, ...]] = {
    "people": ("people", "persons", "person", "individuals", "individual", "suspects", "suspect", "victims",
               "victim", "workers", "worker", "nationals", "citizens", "citizen", "players",
               "members", "member", "men", "man", "women", "woman", "children", "child", "kids", "foreigners",
               "scammers", "criminals", "fighters", "officers", "officer", "policemen", "defendants", "defendant",
               "leaders", "ringleaders", "masterminds", "kingpins", "bosses", "returnees", "employees", "residents",
               "refugees", "migrants", "hostages", "detainees", "prisoners", "staff", "laborers", "labourers",
               "survivors", "soldiers", "troops", "officials", "students", "relatives", "teenagers", "adults",
               "minors", "girls", "boys", "traffickers", "recruits", "captives", "escapees", "guards",
               "Chinese", "Thais", "Indonesians", "Filipinos", "Vietnamese", "Malaysians", "Indians", "Kenyans",
               "Ethiopians", "Americans", "foreign nationals", "police officers", "police", "folks"),
    "buildings": ("buildings", "building", "compounds", "compound", "centers", "centres", "casinos", "dens",
                  "sites", "warehouses", "properties", "facilities", "hotels", "premises"),
    "flights": ("flights", "flight", "airlifts", "airlift", "planes", "aircraft", "charters"),
    "operations": ("operations", "raids", "raid", "missions", "sweeps", "crackdowns"),
}
_UNIT_OF = {n.lower(): unit for unit, nouns in _NOUNS.items() for n in nouns}
_SINGULAR = {"person", "individual", "suspect", "victim", "worker", "national", "citizen", "member", "man",
             "woman", "child", "officer", "defendant", "building", "compound", "flight", "airlift", "raid"}

#: Words that end the search for a count noun after a number.
_NOUN_STOP = frozenset("""
were are was is be been being have has had who which that whom whose to in on at by for from with into of
and or but as than per a an it its their his her they he she we i you this year years day days
month months week weeks time times percent %""".split())
_COPULA = frozenset({"were", "are", "was", "is"})
_ANAPHOR_START = re.compile(r"\W*(?:among|of)\s+(?:them|those|these|whom)\s*,", re.I)
_MAX_MODIFIERS = 4

_ACTIONS = (
    r"hand(?:ed|ing|s)?\s+(?:over|back)", r"sen(?:t|d|ds|ding)(?:\s+(?:\w+\s+){0,2}?(?:back|home))?",
    r"return(?:ed|ing|s)?", r"repatriat(?:ed|ing|es|e)", r"rescu(?:ed|ing|es|e)", r"free(?:d|ing)",
    r"releas(?:ed|ing|e)", r"arrest(?:ed|ing|s)?", r"detain(?:ed|ing|s)?", r"deport(?:ed|ing|s)?",
    r"caught", r"captur(?:ed|e)", r"brought\s+back", r"introduced\s+back", r"extradit(?:ed|e)",
    r"evacuat(?:ed|e)", r"kill(?:ed|ing|s)?", r"died", r"injured", r"traffick(?:ed|ing)", r"lured",
    r"trapped", r"held", r"stranded", r"imprison(?:ed)?", r"sentenced", r"charged", r"convicted",
    r"trial\s+against", r"defraud(?:ed|ing)?", r"swindl(?:ed|e|ing)", r"cheat(?:ed|ing)?", r"lost",
    r"earn(?:ed|s)?", r"generat(?:e|ed|es|ing)", r"launder(?:ed|ing)?", r"seiz(?:ed|e)", r"confiscat(?:ed|e)",
    r"froze(?:n)?", r"raid(?:ed)", r"shut\s+down", r"closed", r"demolish(?:ed)?", r"ferr(?:y|ied)\s+home",
    r"airlift(?:ed)?", r"recruit(?:ed)?", r"employ(?:ed)?", r"operating", r"netted", r"housed?",
    r"(?:arrest\s+)?warrants\s+for", r"went\s+voluntarily", r"remain\s+imprisoned", r"interviews\s+with", r"scrape\s+\w+",
    r"pa(?:id|y)", r"owed?", r"ransom", r"deployed", r"smuggled",
)
#: Case-sensitive: verbs are lower case in running text, and "White House" must not read as "housed".
_ACTION_RE = re.compile(rf"\b(?:{'|'.join(_ACTIONS)})\b")
#: Display forms for actions whose surface form reads badly after a noun ("people warrants for").
_ACTION_DISPLAY = {"warrants": "wanted", "arrest": "wanted", "interviews": "interviewed", "trial": "tried",
                   "scrape": "raised", "house": "housed", "recruit": "recruited", "return": "returned"}
_MONEY_OBJECT = re.compile(r"\s*(?:\([^)]*\)\s*)?(?:in|of)\s+(?P<obj>revenue|profits?|losses|assets|bribes|fines|ransom|savings|debts?|funds|investments?)\b", re.I)
_CURRENCY_AFTER = re.compile(
    rf"\s*(?:of\s+)?(?:(?:US|U\.S\.|Thai|Hong Kong|Singapore|Chinese)\s+)?(?P<cur>{'|'.join(sorted(CURRENCY_WORDS, key=len, reverse=True))})\b", re.I)
_PERCENT_AFTER = re.compile(r"\s*(?:%|percent\b|per\s+cent\b)", re.I)
_CONVERSION = re.compile(r"\s*\(\s*(?:about|around|roughly|approximately|some|or|nearly|over|more than)?\s*(?P<q>[^)]{1,40})\)")
_SKIP_AFTER = re.compile(r"(?:-|\s?-\s?)(?:year|day|month|week|hour|minute|second|storey|story|member|page|point)s?\b|\s*(?:years?|months?)[- ]old\b|(?:st|nd|rd|th)\b", re.I)
_CLAIM_VERBS = r"said|says|announced|reported|claimed|stated|estimated|introduced|confirmed|told|added|showed|noted|revealed"
_ACCORDING = re.compile(r"\baccording to\s+(?P<who>[^,.;“”\"]+)")
_SAID_NAME = re.compile(r"\b(?:said|says|stated)\s+(?P<who>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3})")
_WHO_VERB = re.compile(rf"(?P<who>(?:[\w’'.-]+\s+){{0,6}}?[\w’'.-]+)\s+(?:has\s+|have\s+)?(?:{_CLAIM_VERBS})\b")
_WHO_TRIM = re.compile(r"^(?:.*?\b(?:that|and|but|while|as|which|who|where|when)\s+)?(?:(?:the|a|an)\s+)?", re.I)
_WHO_AUX = re.compile(r"(?:\s+(?:has|have|had|also|previously|recently|later|earlier|publicly|officially))+$", re.I)
_PLACE_LABELS = ("GPE", "LOC", "COMPOUND")


@dataclass(slots=True)
class _Ctx:
    text: str
    dates: list[DateRef]
    quotes: list[Quote]
    persons: PersonIndex
    gaz: Gazetteer
    places: list[tuple[int, int, str]]


def _words_after(text: str, pos: int, end: int, limit: int = 9) -> list[re.Match[str]]:
    return list(re.finditer(r"[“”\"]?[\w’'.-]+[“”\"]?|[,;:()]", text[pos:end]))[:limit]


def _find_noun(text: str, pos: int, end: int, skip: set[int]) -> tuple[str, str, int, bool] | None:
    """(noun phrase, unit, end offset, partitive) for the count noun after a number, if any."""
    words = _words_after(text, pos, end)
    mods: list[str] = []
    partitive = False
    i = 0
    if i < len(words) and words[i].group().lower() == "of":   # "three of the four suspects", "thousands of people"
        partitive = True
        i += 1
        while i < len(words) and words[i].group().lower() in ("the", "those", "these", "them", "our", "its", "their",
                                                              "his", "her", "whom"):
            i += 1
        if i < len(words) and QUANTITY_RE.fullmatch(words[i].group()):
            skip.add(pos + words[i].start())
            i += 1
    elif i < len(words) and words[i].group().lower() in _COPULA:
        i += 1
    while i < len(words):
        raw = words[i].group()
        w = raw.strip("“”\"").rstrip(".")
        lw = w.lower()
        two = f"{lw} {words[i + 1].group().lower().rstrip('.')}" if i + 1 < len(words) else ""
        if two in _UNIT_OF:
            return " ".join([*mods, w, words[i + 1].group().rstrip(".")]), _UNIT_OF[two], pos + words[i + 1].end(), partitive
        if lw in _UNIT_OF and (w != "Chinese" or not _next_is_noun(words, i)):
            return " ".join([*mods, w]), _UNIT_OF[lw], pos + words[i].end(), partitive
        if lw in _NOUN_STOP or raw in ",;:()" or len(mods) >= _MAX_MODIFIERS:
            return None
        mods.append(w)
        i += 1
    return None


def _next_is_noun(words: list[re.Match[str]], i: int) -> bool:
    return i + 1 < len(words) and words[i + 1].group().lower() in _UNIT_OF


def _money(q: Quantity, text: str, end: int) -> tuple[str, int] | None:
    """(currency code, end offset) when ``q`` is an amount of money."""
    m = _CURRENCY_AFTER.match(text, q.end, end)
    if m:
        return CURRENCY_WORDS[m["cur"].lower()], m.end()
    if q.currency:
        return q.currency, q.end
    return None


def _conversion(text: str, pos: int, end: int) -> tuple[float, str] | None:
    m = _CONVERSION.match(text, pos, end)
    if not m:
        return None
    inner = QUANTITY_RE.search(m["q"])
    if not inner:
        return None
    q = parse_quantity(inner)
    cur = q.currency
    after = _CURRENCY_AFTER.match(m["q"], inner.end())
    if after:
        cur = CURRENCY_WORDS[after["cur"].lower()]
    return (q.value, cur) if cur else None


def _action(text: str, noun_end: int, q_start: int, sent: tuple[int, int]) -> str | None:
    """The verb phrase nearest the figure: after the noun (participle) first, else before the number."""
    clause_end = _clause_end(text, noun_end, sent[1])
    after = _ACTION_RE.search(text, noun_end, min(clause_end, noun_end + 60))
    if after:
        return after.group()
    before = None
    for m in _ACTION_RE.finditer(text, max(sent[0], q_start - 80), q_start):
        before = m
    if before:
        return before.group()
    later = _ACTION_RE.search(text, noun_end, sent[1])
    return later.group() if later else None


def _clause_end(text: str, pos: int, end: int) -> int:
    m = re.compile(r"[;.](?:\s|$)|,\s(?:and|but|which)\b").search(text, pos, end)
    return m.start() if m else end


def _nearest_date(dates: list[DateRef], sent: tuple[int, int], pos: int) -> DateRef | None:
    inside = [d for d in dates if sent[0] <= d.start and d.end <= sent[1] and d.iso_start]
    return min(inside, key=lambda d: abs(d.start - pos)) if inside else None


def _claimant(ctx: _Ctx, sent: tuple[int, int], pos: int) -> str | None:
    for q in ctx.quotes:
        if q.start <= pos < q.end and q.speaker:
            return q.speaker
    s = ctx.text[sent[0]:sent[1]]
    s_unquoted = re.sub(r"“[^”]*”", lambda m: " " * len(m.group()), s)
    m = _ACCORDING.search(s_unquoted)
    if m:
        return _clean_who(m["who"], ctx, sent[0] + m.start())
    m = _SAID_NAME.search(s_unquoted)
    if m:
        return _clean_who(m["who"], ctx, sent[0] + m.start())
    m = _WHO_VERB.search(s_unquoted)
    if m:
        who = _WHO_AUX.sub("", _WHO_TRIM.sub("", m["who"].split(",")[-1].strip()))
        if re.search(r"\d", who) or not who or who.split()[-1].lower() in {"a", "an", "the", "where", "which", "who"}:
            return None
        tail = re.search(r"(?:[A-Z][\w.-]*(?:’s|'s)?\s+(?:(?:of|for|the|on)\s+)*)*[A-Z][\w.-]*$", who)
        who = tail.group() if tail else " ".join(who.split()[-4:])
        return _clean_who(who, ctx, sent[0] + m.start()) if who else None
    return None


def _clean_who(who: str, ctx: _Ctx, at: int) -> str | None:
    who = who.strip().strip(",").strip()
    who = re.sub(r"^(?:the|a|an)\s+", "", who, flags=re.I)
    if not who or who.lower() in {"it", "this", "which", "that"}:
        return None
    if who.lower() == "they":
        return None
    if who.lower() in {"he", "she"}:
        return ctx.persons.last_before(at)
    return ctx.persons.resolve(who, before=at)


def _place(ctx: _Ctx, sent: tuple[int, int], pos: int) -> str | None:
    cands = []
    for s, e, canonical in ctx.places:
        if not (sent[0] <= s and e <= sent[1]):
            continue
        if ctx.text.startswith(("’s", "'s"), e):
            continue   # "China's Ministry": an owner, not where it happened
        if re.search(r"\b(?:back\s+)?to\s+(?:\w+\s+)?$", ctx.text[max(sent[0], s - 14):s]):
            continue   # destination
        cands.append((abs(s - pos), canonical))
    return min(cands)[1] if cands else None


def _skip_quantity(q: Quantity, text: str, sent: tuple[int, int], dates: list[DateRef]) -> bool:
    if any(d.start < q.end and q.start < d.end for d in dates):
        return True
    if _SKIP_AFTER.match(text, q.end):
        return True
    if q.start > 0 and re.match(r"[\w-]", text[q.start - 1]):
        return True   # "COVID-19", "G20"
    name_before = re.search(r"\b[A-Z][a-z]+\s$", text[max(sent[0], q.start - 20):q.start])
    if q.qualifier is None and q.text[:1].isdigit() and name_before:
        word_start = max(sent[0], q.start - 20) + name_before.start()
        if not any(d.start <= word_start < d.end for d in dates):
            return True   # "Artemis 1", "Version 9.0": a number that is part of a name (not "On Tuesday 40 ...")
    # "Episode Four", "Three Brotherhood Alliance": a capitalised number word inside a sentence is a name
    return q.text[:1].isupper() and q.start != sent[0] and not re.match(r"[“\"(]", text[q.start - 1:q.start])


_PHRASAL_OVER = re.compile(r"\b(?:hand|hands|handed|handing|turn|turns|turned|turning|took|taken|take|sent|send|won|taking)\s+$", re.I)


def _drop_false_qualifier(q: Quantity, text: str) -> Quantity:
    """"hand over 4 people": "over" belongs to the verb, not to the number."""
    if q.qualifier == "more than" and q.text.lower().startswith("over") and _PHRASAL_OVER.search(text, max(0, q.start - 12), q.start):
        core = q.text[4:].lstrip()
        return Quantity(start=q.end - len(core), end=q.end, text=core, value=q.value, qualifier=None,
                        vague_rule=q.vague_rule, currency=q.currency, is_word=q.is_word)
    return q


def find_figures(text: str, published: dt.date | None, *, dates: list[DateRef] | None = None,
                 quotes: list[Quote] | None = None, gazetteer: Gazetteer | None = None) -> list[Figure]:
    """Every figure of ``text``; ``dates``/``quotes`` may be passed when already computed."""
    if not isinstance(text, str):
        raise ValueError(f"find_figures needs text as str, got {type(text).__name__}")
    gaz = gazetteer or load_gazetteer()
    ctx = _Ctx(text=text, dates=dates if dates is not None else find_dates(text, published),
               quotes=quotes if quotes is not None else find_quotes(text, gaz), persons=index_persons(text, gaz),
               gaz=gaz, places=[(s, e, ent.canonical) for s, e, ent in gaz.find(text) if ent.label in _PLACE_LABELS])
    sents, paras = sentences(text), paragraphs(text)
    out: list[Figure] = []
    skip: set[int] = set()
    for q in find_quantities(text):
        sent = span_containing(sents, q.start)
        q = _drop_false_qualifier(q, text)
        if sent is None or any(q.start <= k < q.end for k in skip) or _skip_quantity(q, text, sent, ctx.dates):
            continue
        fig = _figure(q, sent, ctx, out, paras, skip)
        if fig is not None:
            out.append(fig)
    return out


def _figure(q: Quantity, sent: tuple[int, int], ctx: _Ctx, previous: list[Figure],
            paras: list[tuple[int, int]], skip: set[int]) -> Figure | None:
    text = ctx.text
    evidence: dict[str, object] = {}
    converted: tuple[float, str] | None = None
    money = _money(q, text, sent[1])
    anaphoric = False
    if money:
        unit, noun_end = money
        cur_word = _CURRENCY_AFTER.match(text, q.end, sent[1])
        cur_text = cur_word["cur"].lower() if cur_word else "dollars" if unit == "USD" else unit
        converted = _conversion(text, noun_end, sent[1])
        if converted is not None:
            skip.add(_CONVERSION.match(text, noun_end, sent[1]).start("q"))
        obj = _MONEY_OBJECT.match(text, noun_end, sent[1])
        noun = " ".join(p for p in (cur_text, obj["obj"] if obj else "") if p)
        evidence["unit_rule"] = "currency symbol" if q.currency and unit == q.currency else "currency word"
    elif _PERCENT_AFTER.match(text, q.end):
        unit, noun, noun_end = "percent", "", _PERCENT_AFTER.match(text, q.end).end()
        evidence["unit_rule"] = "percent"
    else:
        found = _find_noun(text, q.end, sent[1], skip)
        if found:
            noun, unit, noun_end, _partitive = found
            evidence["unit_rule"] = f"count noun {noun.split()[-1]!r}"
        else:
            prev = _antecedent(previous, q, paras)
            nxt = re.match(r"\s+([\w’']+)", text[q.end:sent[1]])
            if prev is None or not nxt or nxt.group(1).lower() not in {"more", "went", "were", "are", "remain", "remained", "have", "had", "was", "of", "left", "stayed", "returned", "died"}:
                return None
            noun, unit, noun_end, anaphoric = prev.what.split(" ")[0] if prev.action else prev.what, prev.unit, q.end, True
            evidence["unit_rule"] = f"anaphora: unit of the figure at {prev.start}"
    if q.value == 1 and unit in ("people", "buildings", "flights", "operations") and noun.split()[-1].lower() not in _SINGULAR:
        return None
    action = _action(text, noun_end, q.start, sent)
    if action:
        action = _ACTION_DISPLAY.get(action.split()[0].lower(), action)
    what = " ".join(p for p in (noun, action) if p) or ("money" if money else unit)
    date = _nearest_date(ctx.dates, sent, q.start)
    claimant = _claimant(ctx, sent, q.start)
    place = _place(ctx, sent, q.start)
    if anaphoric and previous and claimant is None:
        claimant = previous[-1].claimant
    if _ANAPHOR_START.match(text, sent[0]) is not None and previous:
        prev = previous[-1]
        if date is None and prev.date:
            evidence["date_rule"] = "inherited from previous figure"
            return _build(q, unit, what, action, sent, text, converted, prev.date, prev.date_precision,
                          place or prev.place, claimant or prev.claimant, evidence)
        claimant, place = claimant or prev.claimant, place or prev.place
    if date is not None:
        evidence["date_text"] = date.text
    return _build(q, unit, what, action, sent, text, converted, date.iso if date else None,
                  date.precision if date else None, place, claimant, evidence)


def _antecedent(previous: list[Figure], q: Quantity, paras: list[tuple[int, int]]) -> Figure | None:
    para = span_containing(paras, q.start)
    if not previous or para is None:
        return None
    prev = previous[-1]
    return prev if para[0] <= prev.start and prev.unit in ("people", "buildings", "flights", "operations") else None


def _build(q: Quantity, unit: str, what: str, action: str | None, sent: tuple[int, int], text: str,
           converted: tuple[float, str] | None, date: str | None, precision: str | None, place: str | None,
           claimant: str | None, evidence: dict[str, object]) -> Figure:
    return Figure(value=q.value, unit=unit, what=what, text=q.text, start=q.start, end=q.end,
                  sentence=text[sent[0]:sent[1]], sentence_start=sent[0], sentence_end=sent[1], action=action,
                  qualifier=q.qualifier, vague_rule=q.vague_rule,
                  converted_value=converted[0] if converted else None,
                  converted_unit=converted[1] if converted else None, date=date, date_precision=precision,
                  place=place, claimant=claimant, evidence=evidence, algorithm=ALGO_FIGURES)
