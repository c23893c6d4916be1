"""Direct quotations and who said them (``extract.quotes-v1``).

1. Quote marks are paired paragraph by paragraph (curly or straight double quotes; single quotes
   are apostrophes far more often than quotes in wire copy and are ignored). A paragraph that opens
   a quote and does not close it continues into the next paragraph when that paragraph opens with a
   quote mark or closes one without opening it (the newspaper convention).
2. Quotes shorter than :data:`MIN_QUOTE_WORDS` words are scare quotes ("pig butchering") and skipped.
3. The speaker is taken, in order, from: the clause after the closing mark (``," said X, role``,
   ``," X said``, ``," he said``); the clause before the opening mark (``X, role, said: "``,
   ``CGTN quoted X ... asserting that ... "``, ``according to X``, ``minister X "apologised``); else
   the last speaker attributed in the same paragraph (a quote continued after ``he said,``).
   Surnames and pronouns resolve to the full name seen earlier in the article.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .gazetteer import Gazetteer, load_gazetteer
from .names import NAME_RE, SPEECH_VERB_RE, PersonIndex, index_persons, role_before, split_speaker
from .records import ALGO_QUOTES, Quote
from .text import paragraphs, sentences, span_containing

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
        if open_at is not None:
            seg = _Segment(open_at, pe, text[open_at + 1:pe], (ps, pe), False)
            if carrying is not None:
                carrying.append(seg)
            else:
                groups.append([seg])
                carrying = groups[-1]
    return groups


def _clause_after(text: str, end: int, para_end: int) -> str:
    tail = text[end:para_end]
    cut = re.search(r"[“\"]|(?<!\b[A-Z])(?<!\bU\.S)[.!?](?=\s|$)", tail)
    return tail[:cut.start()] if cut else tail


def _clause_before(text: str, start: int, sent_start: int) -> str:
    return text[sent_start:start]


def _resolve(who: str, persons: PersonIndex, at: int) -> str:
    if who in _PRONOUNS:
        return persons.last_before(at) or who
    return persons.resolve(who, before=at)


def _after(text: str, seg: _Segment, persons: PersonIndex) -> tuple[str, str | None, str] | None:
    tail = _clause_after(text, seg.end, seg.para[1])
    if seg.inner.rstrip().endswith((".", "…", ":")) and not tail.lstrip().startswith(","):
        return None   # the quoted sentence ended: what follows is a new sentence, not its attribution
    m = _AFTER_VERB_FIRST.match(tail)
    if m:
        speaker, role = split_speaker(m["who"])
        if speaker and len(speaker.split()) <= MAX_WHO_WORDS:
            return _resolve(speaker, persons, seg.start), role, "said-after"
    m = _AFTER_WHO_FIRST.match(tail)
    if m and len(m["who"].split()) <= MAX_WHO_WORDS:
        speaker, role = split_speaker(m["who"])
        how = "pronoun" if speaker in _PRONOUNS else "speaker-after"
        return _resolve(speaker, persons, seg.start), role, how
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
    m = None
    for m in NAME_RE.finditer(head):
        pass
    if m is not None and not head[m.end():].strip():
        return persons.resolve(m.group(), before=seg.start), role_before(text, m.start(), sent_start), "name-before"
    return None


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
        if n_words < MIN_QUOTE_WORDS and not (punctuated and n_words >= MIN_PUNCTUATED_QUOTE_WORDS):
            prev_end = group[-1].end
            continue
        first, last = group[0], group[-1]
        sent = span_containing(sents, first.start) or first.para
        floor = max(sent[0], prev_end if prev_end <= first.start else sent[0])
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
