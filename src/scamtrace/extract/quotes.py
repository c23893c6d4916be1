"""Direct quotations and who said them (``extract.quotes-v2``).

1. Quote marks are paired paragraph by paragraph (curly or straight double quotes; single quotes
   are apostrophes far more often than quotes in wire copy and are ignored). A paragraph that opens
   a quote and does not close it continues into the next paragraph when that paragraph opens with a
   quote mark or closes one without opening it (the newspaper convention).
2. Quotes shorter than :data:`MIN_QUOTE_WORDS` words are scare quotes ("pig butchering") and skipped,
   unless a speech verb of the same sentence ascribes them to someone (v2): "the ministry said it
   would pursue all "key organizers"", "a man it described as the compound's "general manager""
   ("it" is the organisation named last: "the court"). A quoted phrase of capitalised words is a
   title ("Scam Inc") and a noun object ("announced the return of "scam suspects"") stays a scare quote.
3. The speaker is taken, in order, from: the clause after the closing mark (``," said X, role``,
   ``," X said``, ``," he said``); the clause before the opening mark (``X, role, said: "``,
   ``CGTN quoted X ... asserting that ... "``, ``according to X``, ``minister X "apologised``); else
   the last speaker attributed in the same paragraph (a quote continued after ``he said,``).
   Surnames and pronouns resolve to the full name seen earlier in the article.
4. v2: ranks and honorifics ("Police Maj. Gen.", "Lt. Col.", "Capt.") neither end the attribution
   clause nor stay in the name; a leading place phrase ("In Beijing, ministry spokesman X said") is
   dropped; an organisation before a title-noun is role, not name ("Ministry of Public Security
   spokesman Qiao Wenbin"); an appositive name is found inside the clause ("Laos' deputy foreign
   minister, X, who chaired ..."); "he/she said" prefers an unnamed speaker described later in the
   paragraph than the last named person ("A retired teacher from Guizhou said ...").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .gazetteer import Gazetteer, load_gazetteer
from .names import (NAME_RE, NOT_PERSON_WORDS, SPEECH_VERB_RE, TITLE_WORDS_RE, PersonIndex, index_persons, role_before,
                    split_speaker)
from .records import ALGO_QUOTES, Quote
from .text import is_abbreviation, paragraphs, sentences, span_containing

#: Minimum words for a quotation to count as a direct quote. Set on the five seed articles
#: (tests/gold/seeds_quotes.jsonl): scare quotes there have <= 4 words ("essential leaders and spine").
MIN_QUOTE_WORDS = 5
#: A shorter quote (at least this many words) still counts when its punctuation sits inside the
#: marks ("It's gotten riskier," said Horsey): scare quotes rarely carry their own punctuation.
MIN_PUNCTUATED_QUOTE_WORDS = 3
#: Longest "who" clause (in words) accepted between a closing quote and its speech verb.
MAX_WHO_WORDS = 12

_OPEN = "“\""
_CLOSE = "”\""
_PRONOUNS = {"he", "she", "they", "He", "She", "They"}
_AFTER_VERB_FIRST = re.compile(rf"^\s*,?\s*(?:{SPEECH_VERB_RE})\s+(?P<who>[^“\"]+)")
_AFTER_WHO_FIRST = re.compile(rf"^\s*,?\s*(?P<who>[^“\".;]+?)\s+(?P<verb>{SPEECH_VERB_RE})\b")
_ACCORDING = re.compile(r"\baccording to\s+(?P<who>[^“\".;]+?)(?=\s+in\s+\d{4}\b|[.;,”\"]|$)")
_QUOTED = re.compile(r"\bquoted\s+(?P<who>[^“\".;]+?)(?:\s+(?:as\s+)?(?:asserting|saying|stating)\b|$)")
_TITLE_AFTER_COMMA = re.compile(r"^(\s*,?\s*)" + TITLE_WORDS_RE)
_QUOTED_HIM = re.compile(r"\bquoted\s+(?:him|her)\s+as$")
_BEFORE_VERB = re.compile(rf"\b(?P<verb>{SPEECH_VERB_RE})\b")


@dataclass(slots=True)
class _Segment:
    start: int          # offset of the opening mark
    end: int            # offset just after the closing mark (or the paragraph end)
    inner: str
    para: tuple[int, int]
    closed: bool


def _pair_marks(text: str) -> list[list[_Segment]]:
    """Quote segments grouped into quotations (a group spans paragraphs when the quote continues)."""
    groups: list[list[_Segment]] = []
    carrying: list[_Segment] | None = None
    for ps, pe in paragraphs(text):
        carrying = _paragraph_marks(text, ps, pe, carrying, groups)
    return groups


def _paragraph_marks(text: str, ps: int, pe: int, carrying: list[_Segment] | None,
                     groups: list[list[_Segment]]) -> list[_Segment] | None:
    """The quote segments of paragraph ``text[ps:pe]`` added to ``groups`` (or to ``carrying``, the
    quotation an earlier paragraph left open); returns the quotation this paragraph leaves open."""
    open_at: int | None = None
    first_mark = True
    for i in range(ps, pe):
        c = text[i]
        if c not in _OPEN and c not in _CLOSE:
            continue
        if carrying is not None and first_mark and i == ps and c in _OPEN:
            open_at = i   # continuation of the previous paragraph's quote
            first_mark = False
            continue
        if carrying is not None and first_mark and c in "”":
            seg = _Segment(ps, i + 1, text[ps:i], (ps, pe), True)
            carrying.append(seg)
            carrying = None
            first_mark = False
            continue
        if carrying is not None and first_mark:
            carrying = None   # the previous quote did not continue here
        first_mark = False
        if open_at is None and c in _OPEN:
            open_at = i
        elif open_at is not None and c in _CLOSE and (c != "\"" or i > open_at):
            seg = _Segment(open_at, i + 1, text[open_at + 1:i], (ps, pe), True)
            if carrying is not None:
                carrying.append(seg)
                carrying = None
            else:
                groups.append([seg])
            open_at = None
        elif open_at is not None and c == "“":
            open_at = i   # unbalanced: restart at the newer opening mark
    if first_mark and carrying is not None:
        carrying = None
    if open_at is None:
        return carrying
    return _left_open(_Segment(open_at, pe, text[open_at + 1:pe], (ps, pe), False), carrying, groups)


def _left_open(seg: _Segment, carrying: list[_Segment] | None, groups: list[list[_Segment]]) -> list[_Segment]:
    """A quote still open at the end of its paragraph: it goes on the quotation being carried, or
    starts one; the next paragraph may continue it."""
    if carrying is not None:
        carrying.append(seg)
        return carrying
    groups.append([seg])
    return groups[-1]


def _clause_after(text: str, end: int, para_end: int) -> str:
    """The rest of the sentence after a closing quote mark (up to the next quote or sentence end;
    the period of "Maj." or "Lt." does not end it)."""
    tail = text[end:para_end]
    for cut in re.finditer(r"[“\"]|[.!?](?=\s|$)", tail):
        if cut.group() == "." and is_abbreviation(text, end + cut.start()):
            continue
        return tail[:cut.start()]
    return tail


def _clause_before(text: str, start: int, sent_start: int) -> str:
    return text[sent_start:start]


def _resolve(who: str, persons: PersonIndex, at: int) -> str:
    if who in _PRONOUNS:
        return persons.last_before(at) or who
    return persons.resolve(who, before=at)


#: "A retired teacher from Guizhou province said ...": an unnamed speaker described in the paragraph.
_DESCRIBED_SPEAKER = re.compile(
    rf"(?:^|(?<=[.!?]\s))(?:A|An|The|One)\s+(?P<who>[a-z][^.!?“\"]{{2,80}}?)\s+(?:{SPEECH_VERB_RE})\b", re.M)


def _pronoun_speaker(text: str, para_start: int, at: int, persons: PersonIndex) -> str | None:
    """Who "he"/"she" is: an unnamed speaker described earlier in the paragraph ("A retired teacher ...
    said") when described after the last named person, else the last named person."""
    described = None
    for m in _DESCRIBED_SPEAKER.finditer(text, para_start, at):
        described = m
    last_person = [o for o in persons.occurrences if o[1] <= at]
    if described is not None and (not last_person or described.start() > last_person[-1][0]):
        return described["who"].strip()
    return last_person[-1][2] if last_person else None


def _after(text: str, seg: _Segment, persons: PersonIndex) -> tuple[str, str | None, str] | None:
    tail = _clause_after(text, seg.end, seg.para[1])
    if seg.inner.rstrip().endswith((".", "…", ":")) and not tail.lstrip().startswith(","):
        return None   # the quoted sentence ended: what follows is a new sentence, not its attribution
    tail = _TITLE_AFTER_COMMA.sub(r"\1", tail)   # ", Lt. Col. Saw Min Dee, a spokesman ..., told"
    m = _AFTER_VERB_FIRST.match(tail)
    if m:
        speaker, role = split_speaker(m["who"])
        if speaker and len(speaker.split()) <= MAX_WHO_WORDS:
            return _resolve(speaker, persons, seg.start), role, "said-after"
    m = _AFTER_WHO_FIRST.match(tail)
    if m and len(m["who"].split()) <= MAX_WHO_WORDS:
        speaker, role = split_speaker(m["who"])
        if speaker in _PRONOUNS or _QUOTED_HIM.search(m["who"]):   # "he said", "the statement quoted him as saying"
            return _pronoun_speaker(text, seg.para[0], seg.start, persons), role, "pronoun"
        return _resolve(speaker, persons, seg.start), role, "speaker-after"
    m = _ACCORDING.search(tail)
    if m:
        speaker, role = split_speaker(m["who"])
        return _resolve(speaker, persons, seg.start), role, "according-to"
    return None


def _before(text: str, seg: _Segment, sent_start: int, persons: PersonIndex) -> tuple[str, str | None, str] | None:
    head = _clause_before(text, seg.start, sent_start)
    m = _QUOTED.search(head)
    if m:
        speaker, role = split_speaker(m["who"])
        return _resolve(speaker, persons, seg.start), role, "quoted"
    m = _ACCORDING.search(head)
    if m:
        speaker, role = split_speaker(m["who"])
        return _resolve(speaker, persons, seg.start), role, "according-to"
    verbs = list(_BEFORE_VERB.finditer(head))
    if verbs:
        who = head[:verbs[-1].start()]
        who = re.split(r";\s|,\s(?=(?:and|but|as|while)\s)|\bthat\s", who)[-1]
        if 0 < len(who.split()) <= MAX_WHO_WORDS + 4:
            speaker, role = split_speaker(who)
            if speaker:
                return _resolve(speaker, persons, seg.start), role, "speaker-before"
    names = list(NAME_RE.finditer(head))
    m = names[-1] if names else None
    if m is not None and not head[m.end():].strip():
        return persons.resolve(m.group(), before=seg.start), role_before(text, m.start(), sent_start), "name-before"
    return None


#: A phrase quoted inside a reported-speech clause: "The ministry said it would pursue all "key
#: organizers"", "a man it described as the compound's "general manager"". Its words are the speaker's.
_ASCRIBING_VERB = rf"(?:{SPEECH_VERB_RE}|described|called|vowed|pledged|promised|labell?ed|branded)"
_ASCRIBING = re.compile(
    rf"(?P<who>\b(?:[A-Z][\w’'.-]*\s+(?:(?:of|for|and)\s+(?:the\s+)?)?){{0,6}}?[A-Z][\w’'.-]*|\b(?:it|he|she|they))"
    rf"\s+{_ASCRIBING_VERB}\b(?P<rest>[^“\".;]*)$")
_LAST_ASCRIBING_VERB = re.compile(rf"\b{_ASCRIBING_VERB}\b")
_IT_ANTECEDENT = re.compile(
    r"\b(?:the|its)\s+(?P<org>court|ministry|police|group|army|militia|bank|company|government|embassy|agency)\b", re.I)


def _short_quote_speaker(text: str, seg: _Segment, floor: int, persons: PersonIndex) -> tuple[str, str | None, str] | None:
    """Speaker of a short quoted phrase, only when a speech verb in the same sentence ascribes it."""
    words = re.findall(r"[\w’']+", seg.inner)
    if words and all(w[:1].isupper() or w[:1].isdigit() for w in words):
        return None   # "Scam Inc", "Operation Thunder": a title or a name, not someone's words
    head = text[floor:seg.start]
    m = _ASCRIBING.search(head)
    if m is None or len(m["rest"].split()) > MAX_WHO_WORDS or _LAST_ASCRIBING_VERB.search(m["rest"]):
        return None   # no ascribing verb, or its subject is not the one right before the last verb
    who = m["who"]
    if who == "it":
        orgs = list(_IT_ANTECEDENT.finditer(text, 0, floor + m.start()))
        org = orgs[-1] if orgs else None
        return (org["org"].lower(), None, "ascribed") if org else None
    if who in _PRONOUNS or who.lower() in ("he", "she", "they"):
        speaker = _pronoun_speaker(text, seg.para[0], seg.start, persons)
        return (speaker, None, "ascribed") if speaker else None
    if any(t.lower().rstrip("’'s") in NOT_PERSON_WORDS for t in who.split()[1:]):
        return re.sub(r"^(?:The|A|An)\s+", "", who), None, "ascribed"   # "China's Ministry of Public Security"
    speaker, role = split_speaker(who)
    if speaker.split()[0] in ("The", "A", "An", "In", "On", "At"):
        speaker = " ".join(speaker.split()[1:])
    return (_resolve(speaker, persons, seg.start), role, "ascribed") if speaker else None


_PARA_SPEAKER = re.compile(rf"\b(?:{SPEECH_VERB_RE})\s+(?P<who>[A-Z][^“\".;]+)|(?P<who2>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){{0,2}})\s+(?:{SPEECH_VERB_RE})\b")


def _paragraph_speaker(text: str, para: tuple[int, int], before: int, persons: PersonIndex) -> tuple[str, str | None] | None:
    """The last "said X" / "X said" in the paragraph before ``before``."""
    found = None
    for m in _PARA_SPEAKER.finditer(text, para[0], before):
        found = m
    if found is None:
        return None
    speaker, role = split_speaker(found["who"] or found["who2"])
    return _resolve(speaker, persons, found.start()), role


def find_quotes(text: str, gazetteer: Gazetteer | None = None) -> list[Quote]:
    """Direct quotes of ``text`` with speaker and role (see the module docstring for the rules)."""
    if not isinstance(text, str):
        raise ValueError(f"find_quotes needs text as str, got {type(text).__name__}")
    gaz = gazetteer or load_gazetteer()
    persons = index_persons(text, gaz)
    sents = sentences(text)
    out: list[Quote] = []
    last_by_para: dict[tuple[int, int], tuple[str, str | None]] = {}
    roles: dict[str, str] = {}
    prev_end = 0
    for group in _pair_marks(text):
        inner = " ".join(seg.inner.strip() for seg in group).strip()
        n_words = len(re.findall(r"[\w’']+", inner))
        punctuated = inner.endswith((",", ".", "?", "!"))
        first, last = group[0], group[-1]
        sent = span_containing(sents, first.start) or first.para
        floor = max(sent[0], prev_end if prev_end <= first.start else sent[0])
        if n_words < MIN_QUOTE_WORDS and not (punctuated and n_words >= MIN_PUNCTUATED_QUOTE_WORDS):
            short = _short_quote_speaker(text, first, floor, persons) if len(group) == 1 else None
            if short is None:
                prev_end = group[-1].end
                continue
            found = short
        else:
            found = _after(text, last, persons) or _before(text, first, floor, persons)
        if found is None and len(group) > 1:
            found = _after(text, first, persons)
        if found is not None:
            speaker, role, how = found
        elif last.para in last_by_para or first.para in last_by_para:
            speaker, role = last_by_para.get(first.para) or last_by_para[last.para]
            how = "paragraph-speaker"
        else:
            ps = _paragraph_speaker(text, first.para, first.start, persons)
            speaker, role, how = (ps[0], ps[1], "paragraph-speaker") if ps else (None, None, None)
        prev_end = last.end
        if speaker and role:
            roles.setdefault(speaker, role)
        elif speaker:
            role = roles.get(speaker)
        if speaker:
            last_by_para[last.para] = (speaker, role)
            last_by_para[first.para] = (speaker, role)
        sent_end = (span_containing(sents, max(last.end - 1, last.start)) or last.para)[1]
        out.append(Quote(quote=inner, speaker=speaker, role=role, sentence=text[sent[0]:max(sent_end, sent[1])],
                         start=first.start, end=last.end, attribution=how, algorithm=ALGO_QUOTES))
    return out
