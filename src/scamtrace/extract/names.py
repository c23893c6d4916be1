"""Person names without a model: candidates, surname resolution and speaker/role splitting.

A capitalised sequence of two or three tokens ("Jason Tower", "Li Kyar Wen", "Sue-Lin Wong") is a
person name when it is not a gazetteer entry, contains no organisation or place word, and either
stands next to a speech verb or appositive (", an expert ..."), is followed by a verb ("Chen Wei
spent"), stands as an appositive followed by a verb (", Mei Lihua, thanked"), or has one of its
tokens reused alone later ("Tower", "Zhang"). A single token resolves to the most recent earlier full name that
starts or ends with it (Chinese names put the surname first, most others last).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .gazetteer import Gazetteer, load_gazetteer

SPEECH_VERBS = ("said", "says", "stated", "states", "added", "wrote", "writes", "told", "tells", "asked",
                "explained", "noted", "warned", "insisted", "argued", "claimed", "recalled", "continued",
                "declared", "acknowledged", "asserted", "asserting", "saying", "apologised", "apologized",
                "informed")   # "informed reporters": a synonym spinner's "told"
SPEECH_VERB_RE = "|".join(SPEECH_VERBS)

_TOKEN = r"[A-Z][a-z]+(?:[-’'][A-Z]?[a-z]+)?"
#: Two to four capitalised tokens ("Jason Tower", "Saw Kyaw Ler Paw": Burmese names often have four).
NAME_RE = re.compile(rf"(?<![\w’'-])(?:{_TOKEN})(?:\s+(?:{_TOKEN})){{1,3}}(?![\w-])")
SINGLE_RE = re.compile(rf"(?<![\w’'-])(?:{_TOKEN})(?![\w-])")

#: Words that make a capitalised sequence something other than a person.
NOT_PERSON_WORDS = frozenset("""
the a an of and for in on at to by with from as but if when while after before since this that these those
ministry institute group army party times post police university council office bank company corp
association alliance front force forces court embassy committee agency bureau department government
state province city county zone division region river news media network tv daily weekly morning
international national united republic democratic people peace crisis security public foreign affairs
summer operation initiative road street belt project park harbour harbor hotel casino resort complex tower bridge
airport hall camp school china myanmar thailand laos cambodia chinese thai
burmese cambodian lao american british english myanmar's china's immigration communist self-administered
northern southern eastern western central south north east west new full article premium subscribe
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december covid related leave comment reply spread love source wire economist
among experts those others still though however meanwhile calling giving episode one two three four five
southeast asia asian african european some given cyber scams scam yields zoomtech independent your help
""".split())


@dataclass(slots=True)
class PersonIndex:
    """Person names of one text, with their occurrences (start, end, full name)."""

    full_names: list[tuple[int, int, str]]
    occurrences: list[tuple[int, int, str]]

    def resolve(self, name: str, before: int | None = None) -> str:
        """Full name for ``name`` (a surname or a full name), preferring the latest one before ``before``."""
        name = name.strip()
        if not name:
            return name
        parts = name.split()
        if len(parts) > 1:
            return name
        best: str | None = None
        for s, _e, full in self.full_names:
            toks = full.split()
            if name in (toks[0], toks[-1]):
                if before is None or s < before or best is None:
                    best = full
        return best or name

    def last_before(self, pos: int) -> str | None:
        """The person mentioned last before ``pos`` (for "he said"), resolved to a full name."""
        found = [o for o in self.occurrences if o[1] <= pos]
        return found[-1][2] if found else None


def _is_person_shape(seq: str, gaz: Gazetteer) -> bool:
    if seq in gaz.by_alias:
        return False
    return not any(tok.lower().rstrip("’'s") in NOT_PERSON_WORDS or tok.lower() in NOT_PERSON_WORDS for tok in seq.split())


def looks_like_person(seq: str, gaz: Gazetteer) -> bool:
    """``seq`` has the shape of a person's full name (2-4 name tokens, none a gazetteer entry or a word
    that names no person), used where no index entry confirms it ("Harry Roque and 10 others")."""
    return NAME_RE.fullmatch(seq) is not None and _is_person_shape(seq, gaz)


#: The last text indexed, its gazetteer and its index: ``extract`` indexes each text twice (for its
#: quotes and for its figures), so the second call is a copy of the first (speed only).
_LAST_INDEX: dict[str, tuple[str, Gazetteer, PersonIndex]] = {}


def index_persons(text: str, gazetteer: Gazetteer | None = None) -> PersonIndex:
    """Find person names in ``text`` (rule-based) and every later occurrence of their tokens."""
    gaz = gazetteer or load_gazetteer()
    last = _LAST_INDEX.get("last")   # read once: another thread may replace it
    if last is not None and last[1] is gaz and last[0] == text:
        return PersonIndex(full_names=list(last[2].full_names), occurrences=list(last[2].occurrences))
    found = _index_persons(text, gaz)
    _LAST_INDEX["last"] = (text, gaz, PersonIndex(full_names=list(found.full_names), occurrences=list(found.occurrences)))
    return found


def _index_persons(text: str, gaz: Gazetteer) -> PersonIndex:
    candidates = [(m.start(), m.end(), m.group()) for m in NAME_RE.finditer(text) if _is_person_shape(m.group(), gaz)]
    singles: dict[str, int] = {}
    for m in SINGLE_RE.finditer(text):
        singles[m.group()] = singles.get(m.group(), 0) + 1
    context_re = re.compile(rf"^\s*(?:,\s*(?:a|an|the|who|whose|head|chief|director|spokesman|spokeswoman|spokesperson)\b|\s*(?:{SPEECH_VERB_RE})\b)")
    verb_before = re.compile(rf"\b(?:{SPEECH_VERB_RE}|quoted|surnamed)\s*$")
    full: list[tuple[int, int, str]] = []
    for s, e, seq in candidates:
        toks = seq.split()
        reused = any(singles.get(t, 0) > 1 for t in (toks[0], toks[-1]))
        near_verb = bool(context_re.match(text[e:e + 40]) or verb_before.search(text[max(0, s - 20):s]))
        # the subject of a clause: "Chen Wei spent ...", "..., Hu Xijin, appeared ..."
        subject = bool(re.match(r"\s+(?:[a-z]+ed|[a-z]+s|was|is|has|had|spent|went|took|told|left|fled|ran)\b", text[e:e + 20]))
        # an appositive name: "China's consul in Chiang Mai, Mei Lihua, thanked ..."
        appositive = text[max(0, s - 2):s] == ", " and bool(re.match(r",\s+[a-z]+(?:ed|s)\b", text[e:e + 20]))
        # a rank or honorific right before it: "Its commander, Gen. Saw Kyaw Ler, ..."
        titled = bool(_TITLE_BEFORE.search(text, max(0, s - 30), s))
        if reused or near_verb or subject or appositive or titled:
            full.append((s, e, seq))
    occurrences = list(full)
    known = {t: f for _s, _e, f in full for t in (f.split()[0], f.split()[-1])}
    covered = [(s, e) for s, e, _ in full]
    for m in SINGLE_RE.finditer(text):
        tok = m.group()
        if tok in known and not any(s <= m.start() < e for s, e in covered):
            occurrences.append((m.start(), m.end(), _latest_full(full, tok, m.start()) or known[tok]))
    occurrences.sort()
    return PersonIndex(full_names=full, occurrences=occurrences)


def _latest_full(full: list[tuple[int, int, str]], tok: str, pos: int) -> str | None:
    best = None
    for s, _e, f in full:
        if s < pos and tok in (f.split()[0], f.split()[-1]):
            best = f
    return best


_LEADING = re.compile(r"^(?:but|and|so|yet|however|meanwhile|still|also|as|while|that)\b[\s,]*", re.I)
_ROLE_CUT = re.compile(r",\s*(?:who|whose|which|where)\b|;|\s+said\s*$|\s+says\s*$")
_WHO_SPLIT = re.compile(rf"^(?P<name>(?:{_TOKEN})(?:\s+(?:{_TOKEN})){{0,3}})(?:\s*,\s*|\s+(?=(?:from|of|at|with)\s))(?P<role>.+)$")


#: A leading participial phrase before the speaker: "Standing by the buses, Pol. Col. X, the deputy chief".
_PARTICIPLE_LED = re.compile(r"^[A-Z][a-z]+ing\b[^,]*,\s*(?=[A-Z])")
_PREP_LED = re.compile(r"^(?:on|in|at|of|about|during|after|before|asked about|speaking about)\b[^,]*,\s*", re.I)
#: Ranks and honorifics before a name ("Police Maj. Gen.", "Lt. Col.", "Capt."): not part of the name.
TITLE_WORDS_RE = (r"(?:(?:Police|Pol\.|Lt\.|Lieut\.|Col\.|Maj\.|Gen\.|Capt\.|Brig\.|Sgt\.|Cmdr\.|Adm\.|Supt\.|Insp\.|"
                       r"Dr\.|Mr\.|Mrs\.|Ms\.|Prof\.|Sen\.|Rep\.|Gov\.|General|Colonel|Major|Captain|Lieutenant|Sergeant)\s+)+(?=[A-Z])")
TITLES_RE = re.compile("^" + TITLE_WORDS_RE)
_TITLE_BEFORE = re.compile(r"\b(?:Pol\.|Lt\.|Col\.|Maj\.|Gen\.|Capt\.|Brig\.|Sgt\.|Cmdr\.|Dr\.|Mr\.|Mrs\.|Ms\.|Prof\.)\s+$")
_APPOSITIVE = re.compile(rf"^(?P<role>[^,]*[a-z][^,]*),\s+(?P<name>(?:{_TOKEN})(?:\s+(?:{_TOKEN})){{1,3}})\s*(?:,.*)?$")
_TRAILING_NAME = re.compile(rf"^(?P<role>.*\b[a-z][\w’'-]*)\s+(?P<name>(?:{_TOKEN})(?:\s+(?:{_TOKEN})){{0,2}})$")


def split_speaker(who: str) -> tuple[str, str | None]:
    """"Jason Tower, an expert on ... said" -> ("Jason Tower", "an expert on ...").

    Also "NASA planetary scientist Lucas Paganini" -> ("Lucas Paganini", "NASA planetary scientist"),
    and a leading prepositional phrase ("on impeachment, Trump") is dropped.
    """
    who = _LEADING.sub("", who.strip().strip(",").strip())
    who = re.sub(r"\s+(?:said|says|stated)\s*$", "", who).strip().strip(",").strip()
    who = _PREP_LED.sub("", who)
    who = _PARTICIPLE_LED.sub("", who)
    who = TITLES_RE.sub("", who)
    m = _WHO_SPLIT.match(who)
    if m and any(t.lower() in NOT_PERSON_WORDS for t in m["name"].split()):
        t = _TRAILING_NAME.match(who)   # "Ministry of Public Security spokesman Qiao Wenbin"
        if t and not any(w.lower() in NOT_PERSON_WORDS for w in t["name"].split()):
            return t["name"], t["role"].strip()
    if not m:
        a = _APPOSITIVE.match(who)   # "Laos' deputy foreign minister, Phetsamone Inthavong, who chaired ..."
        if a and not any(t.lower() in NOT_PERSON_WORDS for t in a["name"].split()):
            return a["name"], a["role"].strip()
        t = _TRAILING_NAME.match(who)
        if t and len(t["role"].split()) <= 8:
            return t["name"], t["role"].strip()
        return who, None
    role = _ROLE_CUT.split(m["role"], maxsplit=1)[0].strip().strip(",").strip()
    if re.match(r"(?:who|whose|which|where)\b", role):
        role = ""
    return m["name"], role or None


def role_before(text: str, name_start: int, floor: int) -> str | None:
    """A descriptor written just before a name: "China's assistant minister for public security Liu Zhongyi"."""
    pre = text[floor:name_start].rstrip()
    pre = pre.rsplit(",", 1)[-1].strip()
    pre = _LEADING.sub("", pre).strip()
    words = pre.split()
    if 2 <= len(words) <= 12 and any(w[:1].islower() for w in words):
        return pre
    return None
