"""Event frames: raids, arrests, warrants, handovers, repatriations, rescues, trials, sentences,
sanctions, deaths, offensives, agreements and crackdowns (``extract.events-v3``; v3: an unresolved month-day or month is kept in the evidence, ``date_yearless``, for :mod:`scamtrace.extract.story_dates`; v2: "the volunteer rescue team"
is no rescue, "drowned" is a death), and their merging across articles (``extract.events-merge-v4``).

How :func:`find_events` works, sentence by sentence:

1. **Triggers** come from the data file ``scamtrace/data/event_triggers.json`` (verbs and nouns per
   type with their lemma), matched case-insensitively on word boundaries; a hyphen counts as part of
   a word, so "now-repatriated" or "hand-in-hand" never trigger.
2. **Anchors**: a noun trigger ("crackdown", "arrests", "handovers") only counts when its sentence
   also has a date expression or a quantity, otherwise it is a generic mention ("the crackdown has
   become a factor").
3. **Guards**, looked for in the same clause just before the trigger: a negation cue ("did not",
   "none of", "fighting extradition") drops the trigger; a modality cue ("could", "tried to",
   "unclear if", "ahead of") or a trigger inside a direct quotation keeps it but marks the event
   ``hedged``. A participle after a determiner or a people noun ("those arrested", "nationals
   rescued from ...") describes people rather than reporting an event, and is dropped.
4. **Dates**: every date expression of the sentence belongs to the nearest asserted trigger (fewest
   clause breaks, then characters), so in "the raid follows the arrest in January" January dates
   the arrest. A date that dates the report ("officials said Tuesday", "On Nov. 18, the ministry
   announced ...") is only a fallback (``date_source="report"``). The publication date is never
   used by itself; relative phrases without one stay ``unresolved``.
5. **Back-references**: a definite noun ("the raid", "its crackdown") with no date or quantity of
   its own refers to an event already reported and is dropped.
6. **One event per (sentence, type)**: an asserted trigger wins over a hedged one, then the earliest.
7. **Slots**: the place is the nearest GPE/LOC/COMPOUND mention of the sentence (a lead's dateline
   prefix is skipped), else the dateline city (``place_source``); actors get roles from their
   position in the trigger's clause and its voice (agent / patient), or are the body announcing or
   receiving (authority); figures are the extracted figures of the sentence.

:func:`merge_events` joins mentions of the same event across articles and counts corroboration by
distinct articles and distinct copy families (independent sources). ``extract.events-merge-v3``: an
age or a size ("a 22-year-old", "a 240-page report", "25-storey") is a shared figure only between two
copies of one sentence: it describes a person or a thing, and two events share such a value by chance.
``extract.events-merge-v4``: a country named in ``data/outlet_countries.tsv`` (not only the gazetteer's)
is no strong link between undated mentions either.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..copies.locality import countries
from ..model import (ACTOR_LABELS, ALGO_EVENTS, ALGO_MERGE, EVENT_PARTY_LABELS, EVENT_PLACE_LABELS, Article, Event,
                     EventCitation, MergedEvent, Participant)
from .gazetteer import load_gazetteer
from .measure import PROPERTY_UNITS, sentence_words
from .records import DateRef, Extraction, Figure, Mention
from .text import paragraphs, sentences

__all__ = [
    "ALGO_EVENTS", "ALGO_MERGE", "EVENT_TYPES", "Event", "EventCitation", "Lexicon", "MergedEvent", "Participant", "Trigger",
    "compile_pattern", "dates_compatible", "find_events", "is_report_date", "load_triggers", "merge_events",
    "parse_lexicon", "quote_spans", "reset", "shared_keys",
]

log = logging.getLogger(__name__)


EVENT_TYPES: tuple[str, ...] = (
    "raid", "arrest", "warrant", "handover", "repatriation", "rescue", "trial", "sentence", "sanction",
    "death", "offensive", "agreement", "crackdown",
)

#: Largest number of words a ``*`` gap in a trigger pattern may skip ("handed 194 Chinese nationals
#: to", "taking three of the four suspects across the border"). Set on the seed gold: 6 covers every
#: separable trigger there; longer gaps start joining unrelated words.
GAP_MAX_WORDS = 6
#: How many words before a trigger (within its clause) are searched for negation/modality cues. Set
#: on the seed gold: "none of his family are known to have been arrested" needs 9.
CUE_WINDOW_WORDS = 10

#: Actor labels specific enough to identify an event across articles (a country is not).
NAMED_ACTOR_LABELS = frozenset(ACTOR_LABELS)

#: Clause punctuation (a comma inside a number such as "4,100" is not one).
_CLAUSE_BREAK = re.compile(r",(?!\d)|[;:()\u2014\u2013]")
#: "BAN PHA DAENG, Thailand (MWN) — " at the start of a lead sentence: where the reporter is, not
#: where the event is or who takes part.
_DATELINE_PREFIX = re.compile(r"[A-Z][A-Z .'’-]+(?:,\s*[A-Z][\w .]+?)?(?:\s*\([A-Z]{2,6}\))?\s*[\u2014\u2013]\s*")
_WORD = re.compile(r"[\w'’]+")
_QUANTITY = re.compile(r"(?<![\w-])(?:\d[\d,.]*|dozens|hundreds|thousands|millions|tens of thousands)(?![\w-])",
                       re.I)
#: A place right after one of these is where something happens, not who does it ("a court in Phnom Penh").
_LOCATIVE = re.compile(r"\b(?:in|at|near|from|to|across|into|inside|outside|on|of)\s+(?:the\s+)?$", re.I)
_BE_AUX = re.compile(r"\b(?:was|were|been|being|be|is|are|get|got)\s+(?:\w+ly\s+)?$", re.I)
_QUOTE_OPEN = "“\""
_QUOTE_CLOSE = "”\""


# --------------------------------------------------------------------------------------------
# Records


# --------------------------------------------------------------------------------------------
# Trigger lexicon


@dataclass(frozen=True, slots=True)
class Trigger:
    """One lexicon entry compiled to a regex."""

    type: str
    pos: str
    lemma: str
    pattern: str
    regex: re.Pattern[str]
    anchor: bool = False
    not_before: re.Pattern[str] | None = None
    not_after: re.Pattern[str] | None = None
    not_match: re.Pattern[str] | None = None
    #: The pattern's first words, lower-cased, when they are plain words (letters, digits, ``_``,
    #: ``-``): an article holding none of them cannot match the trigger (see :func:`_live_triggers`).
    first_words: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class Lexicon:
    triggers: tuple[Trigger, ...]
    negation: re.Pattern[str]
    modality: re.Pattern[str]
    reference: frozenset[str]
    described_people: frozenset[str]
    definite: frozenset[str]
    agent_nouns: re.Pattern[str]
    patient_nouns: re.Pattern[str]
    reporting: re.Pattern[str]
    reporting_head: re.Pattern[str]
    version: str


def compile_pattern(pattern: str, gap: int = GAP_MAX_WORDS) -> re.Pattern[str]:
    """Regex of a trigger pattern: space-separated tokens, ``a|b`` choices, ``*`` word gaps
    (``*N``: at most N words).

    ``ValueError`` for an empty pattern or one that starts or ends with a gap.
    """
    tokens = pattern.split()
    if not tokens or tokens[0].startswith("*") or tokens[-1].startswith("*"):
        raise ValueError(f"trigger pattern {pattern!r} must have words and may not start or end with '*'")
    out = ""
    for i, tok in enumerate(tokens):
        if re.fullmatch(r"\*\d*", tok):
            out += rf"(?:\S+\s+){{0,{int(tok[1:]) if len(tok) > 1 else gap}}}?"
            continue
        choices = sorted((c for c in tok.split("|") if c), key=len, reverse=True)
        out += "(?:" + "|".join(re.escape(c) for c in choices) + ")"
        if i < len(tokens) - 1:
            out += r"\s+"
    return re.compile(rf"(?<![\w-]){out}(?![\w-])", re.I)


def first_words(pattern: str) -> frozenset[str] | None:
    """The lower-cased choices of a trigger pattern's first token, or None when one of them is not a
    plain ASCII word of ``[A-Za-z0-9_-]`` (such a trigger is tried on every sentence)."""
    choices = [c for c in pattern.split()[0].split("|") if c] if pattern.split() else []
    if not choices or not all(c.isascii() and _WORD_RUN.fullmatch(c) for c in choices):
        return None
    return frozenset(c.lower() for c in choices)


#: A maximal run of word characters and hyphens: where a trigger's first word can start and end
#: (:func:`compile_pattern` puts ``(?<![\w-])`` before it and ``\s+`` or ``(?![\w-])`` after it).
_WORD_RUN = re.compile(r"[\w-]+")
#: The characters other than ASCII letters that ``re.I`` matches to an ASCII letter (İ ı ſ K) while
#: ``str.lower`` does not give that letter: a text holding one skips the first-word filter.
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")


def _sentence_triggers(text: str, lex: Lexicon, sents: list[tuple[int, int]]) -> list[tuple[Trigger, ...]]:
    """For each sentence of ``sents``, the triggers of ``lex`` that can match in it, in lexicon order
    (``events.trigger-prefilter``, speed only: the same candidates as trying every trigger on every
    sentence).

    A trigger regex matches only where one of its first words is a whole run of ``[\\w-]`` of the text
    (case-insensitively), so it is tried only on the sentences where such a run starts.
    """
    if _FOLDS_TO_ASCII.search(text):
        return [lex.triggers] * len(sents)
    where: dict[str, list[int]] = {}
    for m in _WORD_RUN.finditer(text):
        where.setdefault(m.group().lower(), []).append(m.start())
    starts = [s for s, _ in sents]
    found: list[list[Trigger]] = [[] for _ in sents]
    for trig in lex.triggers:
        if trig.first_words is None:
            for k in range(len(sents)):
                found[k].append(trig)
            continue
        hit: set[int] = set()
        for word in trig.first_words.intersection(where):
            for pos in where[word]:
                k = bisect_right(starts, pos) - 1
                if k >= 0 and pos < sents[k][1]:
                    hit.add(k)
        for k in hit:
            found[k].append(trig)
    return [tuple(f) for f in found]


def _cue_regex(cues: Iterable[str]) -> re.Pattern[str]:
    alternation = "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])|(?:n't|n’t)(?![\w-])", re.I)


def _reporting_head(verbs: Iterable[str]) -> re.Pattern[str]:
    """A reporting verb within the next four words ("'s military government issued a statement")."""
    alternation = "|".join(re.escape(v) for v in sorted(verbs, key=len, reverse=True))
    return re.compile(rf"(?:[\w’'-]+\s+){{0,3}}?(?:{alternation})(?![\w-])", re.I)


def _trigger(obj: Any, where: str) -> Trigger:
    if not isinstance(obj, dict):
        raise ValueError(f"{where}: a trigger must be an object, got {type(obj).__name__}")
    kind, pos, lemma, pattern = obj.get("type"), obj.get("pos"), obj.get("lemma"), obj.get("pattern")
    if kind not in EVENT_TYPES:
        raise ValueError(f"{where}: 'type' must be one of {', '.join(EVENT_TYPES)}, got {kind!r}")
    if pos not in ("verb", "noun"):
        raise ValueError(f"{where}: 'pos' must be 'verb' or 'noun', got {pos!r}")
    if not isinstance(lemma, str) or not lemma.strip() or not isinstance(pattern, str):
        raise ValueError(f"{where}: 'lemma' and 'pattern' must be non-empty strings")
    nb, na, nm = obj.get("not_before"), obj.get("not_after"), obj.get("not_match")
    return Trigger(type=kind, pos=pos, lemma=lemma, pattern=pattern, regex=compile_pattern(pattern),
                   anchor=bool(obj.get("anchor", False)),
                   not_before=re.compile(nb, re.I) if nb else None,
                   not_after=re.compile(na, re.I) if na else None,
                   not_match=re.compile(nm, re.I) if nm else None, first_words=first_words(pattern))


def parse_lexicon(data: Any, where: str) -> Lexicon:
    """Validate and compile the JSON lexicon; ``ValueError`` naming ``where`` when malformed."""
    if not isinstance(data, dict) or not isinstance(data.get("triggers"), list):
        raise ValueError(f"{where}: expected an object with a 'triggers' list")
    triggers = tuple(_trigger(t, f"{where}: trigger {i}") for i, t in enumerate(data["triggers"]))
    cues, roles = data.get("cues", {}), data.get("roles", {})
    words = {k: v for k, v in {**cues, **roles}.items()}
    for key in ("negation", "modality", "reference", "described_people", "definite", "agent_nouns", "patient_nouns", "reporting_verbs"):
        if not isinstance(words.get(key), list) or not all(isinstance(w, str) and w for w in words[key]):
            raise ValueError(f"{where}: '{key}' must be a list of non-empty strings")
    return Lexicon(triggers=triggers, negation=_cue_regex(words["negation"]), modality=_cue_regex(words["modality"]),
                   reference=frozenset(w.lower() for w in words["reference"]),
                   definite=frozenset(w.lower() for w in words["definite"]),
                   described_people=frozenset(w.lower() for w in words["described_people"]),
                   agent_nouns=_cue_regex(words["agent_nouns"]), patient_nouns=_cue_regex(words["patient_nouns"]),
                   reporting=_cue_regex(words["reporting_verbs"]),
                   reporting_head=_reporting_head(words["reporting_verbs"]),
                   version=f"{data.get('name', 'event-triggers')}-v{data.get('version', 0)}")


def load_triggers(path: str | Path | None = None) -> Lexicon:
    """The packaged trigger lexicon, or the JSON file at ``path``."""
    if path is None:
        return _packaged()
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise ValueError(f"{p}: not JSON ({e.msg} at line {e.lineno})") from None
    return parse_lexicon(data, str(p))


@lru_cache(maxsize=1)
def _packaged() -> Lexicon:
    res = resources.files("scamtrace").joinpath("data", "event_triggers.json")
    return parse_lexicon(json.loads(res.read_text(encoding="utf-8")), "event_triggers.json")


def reset() -> None:
    """Forget the cached packaged lexicon and country list (tests call this)."""
    _packaged.cache_clear()
    _countries.cache_clear()


# --------------------------------------------------------------------------------------------
# Finding events


@dataclass(slots=True)
class _Candidate:
    trigger: Trigger
    start: int
    end: int
    hedge: str | None


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of direct quotations: from an opening mark to the next closing mark in the same
    paragraph (an unclosed quotation runs to the end of its paragraph, as multi-paragraph quotes do)."""
    spans: list[tuple[int, int]] = []
    for ps, pe in paragraphs(text):
        opened: int | None = None
        for i in range(ps, pe):
            ch = text[i]
            if opened is None and ch in _QUOTE_OPEN:
                opened = i
            elif opened is not None and ch in _QUOTE_CLOSE:
                spans.append((opened, i + 1))
                opened = None
        if opened is not None:
            spans.append((opened, pe))
    return spans


def _inside(spans: Iterable[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _clause_before(text: str, sent_start: int, pos: int) -> str:
    """The words of the clause before ``pos`` (at most :data:`CUE_WINDOW_WORDS`)."""
    window = text[sent_start:pos]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end():]
    words = window.split()
    return " ".join(words[-CUE_WINDOW_WORDS:])


def _previous_word(text: str, sent_start: int, pos: int) -> str:
    words = _WORD.findall(text[sent_start:pos])
    return words[-1].lower() if words else ""


def _has_anchor(text: str, sent: tuple[int, int], dates: list[DateRef], figures: list[Figure]) -> str | None:
    """Why the sentence is anchored ("date", "figure", "quantity"), or None."""
    s, e = sent
    date_spans = [(d.start, d.end) for d in dates if s <= d.start < e]
    if date_spans:
        return "date"
    if any(s <= f.start < e for f in figures):
        return "figure"
    if _QUANTITY.search(text, s, e):
        return "quantity"
    return None


def _check(trig: Trigger, text: str, sent: tuple[int, int], m: re.Match[str], lex: Lexicon,
           quotes: list[tuple[int, int]]) -> tuple[str, str | None]:
    """``("keep", hedge)`` or ``("drop", reason)`` for one trigger match."""
    before = text[sent[0]:m.start()]
    after = text[m.end():min(sent[1], m.end() + 40)]
    if trig.not_before and trig.not_before.search(before):
        return "drop", f"not_before:{trig.not_before.pattern}"
    if trig.not_after and trig.not_after.search(after):
        return "drop", f"not_after:{trig.not_after.pattern}"
    if trig.not_match and trig.not_match.search(m.group()):
        return "drop", f"not_match:{trig.not_match.pattern}"
    prev = _previous_word(text, sent[0], m.start())
    if trig.pos == "verb" and prev in lex.reference:
        return "drop", "reference:" + prev
    if trig.pos == "verb" and trig.type != "death" and prev in lex.described_people:
        # "612 nationals rescued from ...", "everyone handed over": the participle describes people.
        # Not for deaths: "three workers killed in the raid" reports the deaths.
        return "drop", "reduced-relative:" + prev
    clause = _clause_before(text, sent[0], m.start())
    neg = lex.negation.search(clause)
    if neg:
        return "drop", f"negation:{neg.group().lower()}"
    modal = lex.modality.search(clause)
    if modal:
        return "keep", f"modal:{modal.group().lower()}"
    if _inside(quotes, m.start(), m.end()):
        return "keep", "quote"
    return "keep", None


def _best_per_type(cands: list[_Candidate]) -> dict[str, tuple[_Candidate, list[_Candidate]]]:
    """For each type: the chosen candidate (asserted before hedged, then earliest) and the others."""
    by_type: dict[str, list[_Candidate]] = {}
    for c in cands:
        by_type.setdefault(c.trigger.type, []).append(c)
    out = {}
    for kind, group in by_type.items():
        group.sort(key=lambda c: (c.hedge is not None, c.start, -c.end))
        out[kind] = (group[0], group[1:])
    return out


def _nearest(text: str, items: list[Any], pos_start: int, pos_end: int) -> Any | None:
    """The item (with ``start``/``end``) nearest the span, fewest clause breaks away first; ties go
    to the earlier item."""
    return min(items, key=lambda x: (_gap(text, pos_start, pos_end, x.start, x.end), x.start)) if items else None


_REPORT_BEFORE = re.compile(r"\b(?:said|says|announced|announces|reported|reports|stated|confirmed|claimed"
                            r"|told\s+\S+)(?:\s+(?:\S+\s+){0,3}?(?:on|in))?\s+$", re.I)
_REPORT_AFTER = re.compile(r"^,?\s+(?:\S+\s+){0,7}?(?:said|says|announced|reported|stated|confirmed|claimed|told)\b",
                           re.I)
_POSSESSIVE = re.compile(r"['’]s\b")
#: "the first trial", "the latest raid": a definite noun that introduces an event, not a back-reference.
_NEW_EVENT_WORDS = frozenset({"first", "second", "third", "latest", "new", "largest", "biggest", "recent"})
_PREPOSITION = r"(?:of|on|in|against|at|into|for)"
#: The complement of a noun trigger: what follows a preposition, up to the end of the clause.
_COMPLEMENT = re.compile(rf"\s+{_PREPOSITION}\b[^;:.]{{0,80}}", re.I)
_COMPLEMENT_AFTER_PREP = re.compile(r"\s+[^;:.]{0,80}", re.I)
_ENDS_WITH_PREP = re.compile(rf"\b{_PREPOSITION}$", re.I)


def is_report_date(text: str, ref: DateRef, sent: tuple[int, int]) -> bool:
    """True when the date expression dates the report ("officials said Tuesday", "On Nov. 18, the
    ministry announced ...") rather than an event of the sentence."""
    return bool(_REPORT_BEFORE.search(text[sent[0]:ref.start]) or _REPORT_AFTER.search(text[ref.end:sent[1]]))


def _gap(text: str, a_start: int, a_end: int, b_start: int, b_end: int) -> tuple[int, int]:
    """Distance between two spans: clause breaks between them first, then characters."""
    lo, hi = (a_end, b_start) if a_end <= b_start else (b_end, a_start)
    breaks = len(_CLAUSE_BREAK.findall(text, lo, hi)) if lo < hi else 0
    return breaks, max(0, hi - lo)


def _assign_dates(cands: list[_Candidate], dates: list[DateRef], text: str,
                  sent: tuple[int, int]) -> tuple[dict[int, list[DateRef]], list[DateRef], list[DateRef]]:
    """Give every event date of the sentence to the nearest asserted trigger (all triggers when none
    is asserted): ``"the raid follows the arrest in January"`` dates the arrest, not the raid.

    Returns (dates by candidate index, report dates, event dates).
    """
    report = [d for d in dates if is_report_date(text, d, sent)]
    own_dates = [d for d in dates if d not in report]
    pool = [i for i, c in enumerate(cands) if c.hedge is None] or list(range(len(cands)))
    own: dict[int, list[DateRef]] = {}
    for d in own_dates:
        if pool:
            i = min(pool, key=lambda i: (_gap(text, cands[i].start, cands[i].end, d.start, d.end), cands[i].start))
            own.setdefault(i, []).append(d)
    return own, report, own_dates


def _date_for(text: str, chosen: _Candidate, mine: list[DateRef], report: list[DateRef],
              own_dates: list[DateRef]) -> tuple[DateRef | None, str]:
    """The date of an event and where it came from: its own date expression (``sentence``), else the
    date of the report (``report``), else none. A hedged event takes the nearest event date; an
    asserted one without a date of its own shares one in its clause (no clause break between)."""
    pool = own_dates if chosen.hedge is not None else mine
    if not pool:   # "raided a compound on Friday and detained 250": coordinated events share the date
        pool = [d for d in own_dates if _gap(text, chosen.start, chosen.end, d.start, d.end)[0] == 0
                and not _POSSESSIVE.match(text, d.end)]   # "this year's crackdown" dates the crackdown only
    ref = _nearest(text, pool, chosen.start, chosen.end)
    if ref is not None:
        return ref, "sentence"
    ref = _nearest(text, report, chosen.start, chosen.end)
    return (ref, "report") if ref is not None else (None, "none")


def _date_slots(ev: Event, ref: DateRef | None, source: str) -> None:
    if ref is None:
        return
    ev.date_text = ref.text
    ev.date_precision = ref.precision
    ev.evidence["date_rule"] = ref.rule
    if ref.iso is None:
        ev.date_source = "unresolved"
        if ref.yearless:   # events-v3: the month and day kept for the story step (extract.story_dates)
            ev.evidence["date_yearless"] = ref.yearless
        return
    ev.date, ev.date_start, ev.date_end, ev.date_source = ref.iso, ref.iso_start, ref.iso_end, source


def _is_back_reference(text: str, sent: tuple[int, int], cand: _Candidate, has_own_date: bool, lex: Lexicon) -> bool:
    """A definite noun ("the raid", "its crackdown") with no date and no quantity of its own refers
    back to an event already reported; "the arrest in January of 212 people" does not."""
    if cand.trigger.pos != "noun" or has_own_date:
        return False
    words = [w.lower() for w in _WORD.findall(text[sent[0]:cand.start])[-2:]]
    if not any(w in lex.definite for w in words) or (words and words[-1] in _NEW_EVENT_WORDS):
        return False
    regex = _COMPLEMENT_AFTER_PREP if _ENDS_WITH_PREP.search(text[cand.start:cand.end]) else _COMPLEMENT
    comp = regex.match(text, cand.end, sent[1])
    return not (comp and _QUANTITY.search(comp.group()))


def _clause_span(text: str, sent: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    """The clause around ``start:end``: from the last clause break before it to the first after it."""
    lo = sent[0]
    for m in _CLAUSE_BREAK.finditer(text, sent[0], start):
        lo = m.end()
    m = _CLAUSE_BREAK.search(text, end, sent[1])
    return lo, (m.start() if m else sent[1])


def _body_start(text: str, sent: tuple[int, int]) -> int:
    """Offset after a dateline prefix ("BAN PHA DAENG, Thailand (MWN) — "), else the sentence start."""
    m = _DATELINE_PREFIX.match(text, sent[0], sent[1])
    return m.end() if m else sent[0]


def _place_slots(ev: Event, text: str, mentions: list[Mention], article: Article) -> None:
    places = [m for m in mentions if m.label in EVENT_PLACE_LABELS]
    best = _nearest(text, places, ev.trigger_start, ev.trigger_end)
    if best is not None:
        ev.place, ev.place_label, ev.place_source = best.canonical, best.label, "sentence"
    elif article.dateline:
        ev.place, ev.place_label, ev.place_source = article.dateline.title(), "GPE", "dateline"


def _passive(text: str, sent_start: int, trig_start: int, trig: Trigger) -> bool:
    """A verb trigger after a form of "be" that is not a progressive ("were detained", not "is ramping up")."""
    first = text[trig_start:].split(None, 1)[0].lower() if text[trig_start:].strip() else ""
    return trig.pos == "verb" and not first.endswith("ing") and bool(_BE_AUX.search(text[sent_start:trig_start]))


def _is_authority(text: str, ev: Event, start: int, end: int, lex: Lexicon) -> bool:
    """Announces or reports the event: "the ministry announced", "according to state media"."""
    after = text[end:min(ev.sentence_end, end + 60)].lstrip(" ,’'s")
    reports = bool(lex.reporting_head.match(after))
    before = text[max(ev.sentence_start, start - 20):start]
    return (end <= ev.trigger_start and reports) or bool(
        re.search(r"according to\s*$", before, re.I))


def _role(text: str, ev: Event, start: int, end: int, passive: bool, clause: tuple[int, int], lex: Lexicon) -> str | None:
    """agent / patient / authority for a named participant at ``start:end``, None when it is not one.

    Outside the trigger's clause only an authority counts. Inside it, before the trigger = agent
    (patient in the passive); after it = patient (agent after "by" in the passive).
    """
    if _is_authority(text, ev, start, end, lex):
        return "authority"
    if not (clause[0] <= start and end <= clause[1]):
        return None
    if end <= ev.trigger_start:
        return "patient" if passive else "agent"
    if passive:
        return "agent" if re.search(r"\bby\s+(?:\S+\s+){0,3}$", text[ev.trigger_end:start], re.I) else None
    return "patient"


def _actor_slots(ev: Event, text: str, mentions: list[Mention], trig: Trigger, lex: Lexicon, body: int) -> None:
    """Participants with roles: named mentions, then role nouns ("police", "suspects").

    A place after the trigger ("returned to China") is a destination, not a participant; role nouns
    like "police" act, announce or receive (authority), they are never patients.
    """
    passive = _passive(text, ev.sentence_start, ev.trigger_start, trig)
    clause = _clause_span(text, (ev.sentence_start, ev.sentence_end), ev.trigger_start, ev.trigger_end)
    taken: list[tuple[int, int]] = []
    for m in mentions:
        if m.label not in EVENT_PARTY_LABELS or m.start < body or (m.label == "GPE" and (
                m.start >= ev.trigger_end or _LOCATIVE.search(text, max(body, m.start - 12), m.start))):
            continue
        role = _role(text, ev, m.start, m.end, passive, clause, lex)
        if role:
            ev.actors.append(Participant(m.text, m.canonical, m.label, role, m.start, m.end, "mention"))
            taken.append((m.start, m.end))
    for regex, label in ((lex.agent_nouns, "AGENT_NOUN"), (lex.patient_nouns, "PATIENT_NOUN")):
        for hit in regex.finditer(text, max(body, ev.sentence_start), ev.sentence_end):
            if any(s <= hit.start() < e for s, e in taken) or ev.trigger_start <= hit.start() < ev.trigger_end:
                continue
            role = _role(text, ev, hit.start(), hit.end(), passive, clause, lex)
            if role is None:
                continue
            if label == "AGENT_NOUN" and role == "patient" and ev.type in ("handover", "repatriation"):
                role = "authority"   # "handed ... to Chinese authorities": the receiving authority
            elif label == "PATIENT_NOUN" and role != "authority":
                role = "patient"
            ev.actors.append(Participant(hit.group(), hit.group().lower(), label, role, hit.start(), hit.end(), "noun"))
    ev.actors.sort(key=lambda a: a.start)


def _event_id(article_id: str | None, sent_start: int, kind: str) -> str:
    return f"{article_id or '-'}:{sent_start}:{kind}"


def _build(article: Article, text: str, sent: tuple[int, int], chosen: _Candidate, others: list[_Candidate],
           extraction: Extraction, lex: Lexicon, anchor: str | None, date: tuple[DateRef | None, str]) -> Event:
    s, e = sent
    trig = chosen.trigger
    ev = Event(id=_event_id(article.id, s, trig.type), article_id=article.id, type=trig.type,
               trigger=text[chosen.start:chosen.end], lemma=trig.lemma, trigger_start=chosen.start,
               trigger_end=chosen.end, sentence=text[s:e], sentence_start=s, sentence_end=e,
               hedged=chosen.hedge is not None, hedge=chosen.hedge)
    ev.evidence = {"pattern": trig.pattern, "pos": trig.pos, "anchor": anchor, "lexicon": lex.version,
                   "other_triggers": [text[o.start:o.end] for o in others]}
    _date_slots(ev, *date)
    body = _body_start(text, sent)
    mentions = [m for m in extraction.mentions if body <= m.start < e]
    _place_slots(ev, text, mentions, article)
    _actor_slots(ev, text, mentions, trig, lex, body)
    ev.figures = [f for f in extraction.figures if s <= f.start < e]
    return ev


def _candidates(text: str, sent: tuple[int, int], lex: Lexicon, triggers: tuple[Trigger, ...],
                quotes: list[tuple[int, int]], anchor: str | None, dropped: list[dict[str, Any]]) -> list[_Candidate]:
    out: list[_Candidate] = []
    for trig in triggers:
        if trig.anchor and anchor is None:
            continue
        for m in trig.regex.finditer(text, sent[0], sent[1]):
            verdict, why = _check(trig, text, sent, m, lex, quotes)
            if verdict == "drop":
                dropped.append({"type": trig.type, "trigger": m.group(), "start": m.start(), "reason": why})
                continue
            out.append(_Candidate(trig, m.start(), m.end(), why))
    return out


def _sentence_events(article: Article, text: str, sent: tuple[int, int], extraction: Extraction, lex: Lexicon,
                     triggers: tuple[Trigger, ...], quotes: list[tuple[int, int]],
                     dropped: list[dict[str, Any]]) -> list[Event]:
    """The events of one sentence: candidates, date assignment, back-reference filter, one per type."""
    anchor = _has_anchor(text, sent, extraction.dates, extraction.figures)
    cands = _candidates(text, sent, lex, triggers, quotes, anchor, dropped)
    if not cands:
        return []
    dates = [d for d in extraction.dates if sent[0] <= d.start < sent[1]]
    own, report, own_dates = _assign_dates(cands, dates, text, sent)
    kept: list[_Candidate] = []
    mine: dict[int, list[DateRef]] = {}
    for i, c in enumerate(cands):
        if _is_back_reference(text, sent, c, bool(own.get(i)), lex):
            dropped.append({"type": c.trigger.type, "trigger": text[c.start:c.end], "start": c.start,
                            "reason": "back-reference"})
            continue
        mine[id(c)] = own.get(i, [])
        kept.append(c)
    events = []
    for chosen, others in _best_per_type(kept).values():
        type_dates = [d for c in (chosen, *others) for d in mine[id(c)]]
        date = _date_for(text, chosen, type_dates, report, own_dates)
        events.append(_build(article, text, sent, chosen, others, extraction, lex, anchor, date))
    return events


def find_events(article: Article, extraction: Extraction | None = None, *,
                lexicon: Lexicon | None = None) -> list[Event]:
    """Event frames of ``article``: at most one per (sentence, type), in text order.

    ``extraction`` (from :func:`scamtrace.extract.extract`) supplies dates, mentions, figures and
    quotes; when None it is computed. Hedged events (modal, quoted) are returned with
    ``hedged=True``; negated triggers are dropped (logged at DEBUG).
    """
    if not isinstance(article, Article):
        raise ValueError(f"find_events needs a scamtrace.model.Article, got {type(article).__name__}")
    if extraction is None:
        from . import extract
        extraction = extract(article)
    if not isinstance(extraction, Extraction):
        raise ValueError(f"find_events needs an Extraction or None, got {type(extraction).__name__}")
    lex = lexicon or load_triggers()
    text = article.text or ""
    quotes = quote_spans(text) + [(q.start, q.end) for q in extraction.quotes]
    events: list[Event] = []
    dropped: list[dict[str, Any]] = []
    sents = sentences(text)
    for sent, triggers in zip(sents, _sentence_triggers(text, lex, sents)):
        if triggers:
            events.extend(_sentence_events(article, text, sent, extraction, lex, triggers, quotes, dropped))
    if dropped:
        log.debug("%s: %d trigger(s) dropped by guards: %s", article.id, len(dropped), dropped)
    events.sort(key=lambda ev: (ev.sentence_start, ev.trigger_start, ev.type))
    return events


# --------------------------------------------------------------------------------------------
# Merging across articles


FamilyOf = Mapping[str, str] | Callable[[str], "str | None"]


def _family_fn(family_of: FamilyOf | None) -> Callable[[str | None], str]:
    """Article id -> family id; an article without a family is its own family."""
    if family_of is None:
        return lambda a: f"article:{a}"
    if isinstance(family_of, Mapping):
        mapping = family_of
        return lambda a: mapping.get(a or "") or f"article:{a}"
    if callable(family_of):
        fn = family_of
        return lambda a: fn(a or "") or f"article:{a}"
    raise ValueError(f"family_of must be a mapping or a callable, got {type(family_of).__name__}")


def dates_compatible(a: Event, b: Event) -> bool:
    """Equal or overlapping date intervals, or at least one date unknown."""
    if a.date_start is None or b.date_start is None:
        return True
    return a.date_start <= (b.date_end or b.date_start) and b.date_start <= (a.date_end or a.date_start)


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    gaz = load_gazetteer()
    return frozenset(e.canonical for e in gaz.entries if e.label == "GPE" and e.note.strip().lower() == "country")


@lru_cache(maxsize=4096)
def _is_country(place: str) -> bool:
    """A country of the gazetteer, or one of ``data/outlet_countries.tsv`` by name (events-merge-v4: "South
    Korea", not in the gazetteer, joined every undated repatriation of a Korean story)."""
    return place in _countries() or any(c.names.fullmatch(place) for c in countries())


def shared_keys(a: Event, b: Event) -> dict[str, list[Any]]:
    """What two events share: ``place`` (from their sentences), ``figure`` ((value, unit) pairs) and
    ``actor`` (named participants). Dateline places and role nouns are not identifying."""
    out: dict[str, list[Any]] = {}
    if a.place and a.place == b.place and a.place_source == b.place_source == "sentence":
        out["place"] = [a.place]
    figs = sorted({k[:2] for k in _figure_keys(a) & _figure_keys(b)})
    if figs:
        out["figure"] = [list(x) for x in figs]
    names_a = {x.canonical for x in a.actors if x.source == "mention" and x.label in NAMED_ACTOR_LABELS}
    names_b = {x.canonical for x in b.actors if x.source == "mention" and x.label in NAMED_ACTOR_LABELS}
    if names_a & names_b:
        out["actor"] = sorted(names_a & names_b)
    return out


def _figure_keys(ev: Event) -> set[tuple[Any, ...]]:
    """The figures of an event that may identify it: (value, unit) pairs. An age or a size
    (:data:`~scamtrace.extract.measure.PROPERTY_UNITS`: "a 22-year-old", "a 25-storey building") describes
    a person or a thing, and two events share such a small value by chance, so it is keyed by its
    sentence's words too (events-merge-v3): it links only two copies of one sentence."""
    keys: set[tuple[Any, ...]] = set()
    for f in ev.figures:
        if f.unit in PROPERTY_UNITS:
            keys.add((f.value, f.unit, " ".join(sentence_words(ev.sentence))))
        else:
            keys.add((f.value, f.unit))
    return keys


def _link_keys(ev: Event) -> set[tuple[Any, ...]]:
    """Every key :func:`shared_keys` can find in common with another event (place, figure, actor)."""
    keys: set[tuple[Any, ...]] = {("figure", *x) for x in _figure_keys(ev)}
    if ev.place and ev.place_source == "sentence":
        keys.add(("place", ev.place))
    keys |= {("actor", x.canonical) for x in ev.actors if x.source == "mention" and x.label in NAMED_ACTOR_LABELS}
    return keys


def _links(a: Event, b: Event) -> dict[str, list[Any]] | None:
    """The shared keys when ``a`` and ``b`` may be the same event, else None.

    Both dated: any shared key. One or both undated: a shared figure, named actor, or a place below
    country level ("Myanmar" alone would join every undated repatriation).
    """
    if a.type != b.type or not dates_compatible(a, b):
        return None
    keys = shared_keys(a, b)
    if not keys:
        return None
    if a.date_start is None or b.date_start is None:
        strong = "figure" in keys or "actor" in keys or any(not _is_country(p) for p in keys.get("place", []))
        if not strong:
            return None
    return keys


def _span_days(ev: Event) -> int:
    start = dt.date.fromisoformat(ev.date_start) if ev.date_start else None
    end = dt.date.fromisoformat(ev.date_end or ev.date_start) if ev.date_start else None
    return (end - start).days if start and end else 1 << 30


def _order(ev: Event) -> tuple[Any, ...]:
    return (ev.type, ev.date_start is None, ev.date_start or "", ev.article_id or "", ev.sentence_start, ev.id)


CreditOf = Callable[[Event], Any]


def _cite(m: Event, family: Callable[[str | None], str], credit: CreditOf | None) -> EventCitation:
    own = family(m.article_id)
    cr = credit(m) if credit is not None else None
    dated = m.evidence.get("date_story")   # placed by its story (extract.story_dates)
    if cr is None or cr.family == own:
        return EventCitation(m.article_id, own, m.id, m.sentence, m.trigger, m.hedged, date_evidence=dated)
    return EventCitation(m.article_id, cr.family, m.id, m.sentence, m.trigger, m.hedged, own, cr.borrowed_from,
                         date_evidence=dated)


def _merged(members: list[Event], evidence: list[dict[str, Any]], family: Callable[[str | None], str],
            credit: CreditOf | None = None) -> MergedEvent:
    dated = [m for m in members if m.date_start]
    start = max((m.date_start for m in dated), default=None)   # type: ignore[type-var]
    end = min(((m.date_end or m.date_start) for m in dated), default=None)   # type: ignore[type-var]
    narrowest = min(dated, key=lambda m: (_span_days(m), m.id), default=None)
    precision = "day" if start and start == end else (narrowest.date_precision if narrowest else None)
    places = [m.place for m in members if m.place and m.place_source == "sentence"]
    place = max(sorted(set(places)), key=places.count) if places else None
    actors = sorted({a.canonical for m in members for a in m.actors if a.source == "mention"})
    figures = sorted({(f.value, f.unit) for m in members for f in m.figures})
    cites = [_cite(m, family, credit) for m in members]
    digest = hashlib.sha1("|".join([members[0].type, *sorted(m.id for m in members)]).encode()).hexdigest()[:12]
    return MergedEvent(
        id=f"ev-{digest}", type=members[0].type, date=(start if start == end else f"{start}/{end}") if start else None,
        date_start=start, date_end=end, date_precision=precision, place=place, actors=actors, figures=figures,
        citations=cites, articles=len({m.article_id for m in members}), families=len({c.family for c in cites}),
        hedged=all(m.hedged for m in members), evidence=evidence)


def merge_events(events: Iterable[Event], family_of: FamilyOf | None = None,
                 credit: CreditOf | None = None) -> list[MergedEvent]:
    """Join mentions of the same event across (and within) articles.

    An event joins the first cluster (in a fixed order: type, dated first, date, article, offset)
    whose members all have its type and a compatible date and one of which it is linked to by
    :func:`_links`. ``family_of`` maps an article id to its copy family (a mapping or a callable);
    ``families`` counts distinct families, so a wire story and its verbatim reprints count once.
    ``credit(event)`` may name another family for a mention whose trigger lies in a passage borrowed
    from another text (:class:`~scamtrace.knowledge.independence.Credit`; v2): it counts for the
    lender's family, as figures do. The result does not depend on the input order.
    """
    family = _family_fn(family_of)
    evs = sorted(events, key=_order)
    clusters: list[tuple[list[Event], list[dict[str, Any]]]] = []
    holding: dict[tuple[Any, ...], list[int]] = {}   # link key -> clusters with a member that has it
    for ev in evs:
        if not isinstance(ev, Event):
            raise ValueError(f"merge_events needs Event records, got {type(ev).__name__}")
        keys = _link_keys(ev)
        # only a cluster with a member sharing a key can link (shared_keys is empty otherwise)
        for ci in sorted({c for k in keys for c in holding.get(k, ())}):
            members, evidence = clusters[ci]
            if members[0].type != ev.type or not all(dates_compatible(ev, m) for m in members):
                continue
            link = next(((m, k) for m in members if (k := _links(ev, m))), None)
            if link is not None:
                members.append(ev)
                evidence.append({"event": ev.id, "joined": link[0].id, "shared": link[1]})
                break
        else:
            ci = len(clusters)
            clusters.append(([ev], []))
        for k in keys:
            lst = holding.setdefault(k, [])
            if not lst or lst[-1] != ci:
                lst.append(ci)
    merged = [_merged(members, evidence, family, credit) for members, evidence in clusters]
    merged.sort(key=lambda m: (m.type, m.date_start or "9999", m.id))
    return merged
