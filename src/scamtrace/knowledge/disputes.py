"""Sentences that dispute, correct or deny a figure (algorithm ``knowledge.disputes-v1``).

"The figure differs from the 'more than 4,100' announced by the group's spokesman" states 4,100
only to say it is wrong: it is a *dispute* of that figure, never corroboration. :func:`dispute_of`
reads the words around one figure mention in its sentence and returns the rule that fired, the
cue words, who disputes it (the *claimant* of the dispute) and whose figure is disputed, or None.

General rules, each a construction of English news prose, not a list of articles:

* ``compare``: the figure is the thing compared against: "differs from / at odds with / does not
  match / rather than / instead of (the) FIGURE", and "lower / fewer / higher than (the) FIGURE"
  when the figure is marked as someone's report: a quotation mark or "reported / official / claimed"
  before it, or a reporting word after it ("lower than the 4,100 reported"). "More than 4,100" is the
  figure's own qualifier, and "higher than the 300 recorded in 2022" a change over time.
* ``not-as-reported``: "Y, not FIGURE" or "not FIGURE as (earlier) reported/claimed".
* ``correction``: "revised / corrected / amended / updated ... from FIGURE", "lowered / cut its
  estimate ... from FIGURE" ("arrivals fell to 300, down from 4,100 last year" is a change over time,
  not a correction; "reduced staff from 4,000" neither).
* ``denial``: a verb of denial before the figure in the same clause, at most ``DENIAL_WINDOW``
  words away: "denied that 4,100 people were held", "disputed the figure of 4,100". Ambiguous verbs
  ("rejected", "dismissed", "questioned" people, "disputes" that may be a noun) count only with a
  claim noun or "that" after them ("rejected the claim that ..."); "denied entry/bail/access" is not
  a denial of a figure, nor is an adjective ("the disputed 300 seats").
* ``called-wrong``: the figure said to be wrong: "the 4,100 figure was inflated", "an exaggerated
  figure of 4,100".

The disputing claimant is the subject of a denial verb or the speaker of "X said", else the
publication itself (``outlet``). The disputed claimant is "announced/reported/claimed by X" after
the figure, else the figure's own extracted claimant when that is not the disputant.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from collections.abc import Callable
from typing import Any

ALGORITHM = "knowledge.disputes-v1"

# Words between a denial verb and the figure it denies. Set on the demo corpus and the unit cases in
# tests/test_independence.py ("denied that the militia had detained 4,100 people" = 7 words).
DENIAL_WINDOW = 12

_Q = r"[\"“”'‘’«»]"
_DET = rf"(?:(?:the|a|an|its|their|his|her|this|that|earlier|initial|official|reported)\s+)*{_Q}?\s*"
_REPORTING = (r"(?:(?:initially|previously|earlier|originally|first|officially|widely)\s+)?"
              r"(?:reported|announced|claimed|stated|given|cited|quoted|published|released|put\s+forward|"
              r"figure|figures|estimate|claim)")

_COMPARE_FROM = re.compile(
    rf"\b(?:differs?|differing|different|differed|diverges?|diverged|departs?|deviates?|deviated|varies|varied)"
    rf"\s+(?:sharply\s+|markedly\s+|widely\s+|significantly\s+)?from\s+{_DET}$", re.I)
_COMPARE_WITH = re.compile(
    rf"\b(?:at\s+odds\s+with|conflicts?\s+with|inconsistent\s+with|does\s+not\s+match|did\s+not\s+match|"
    rf"doesn't\s+match|didn't\s+match|contrary\s+to|in\s+contrast\s+(?:to|with)|falls?\s+short\s+of|"
    rf"fell\s+short\s+of|rather\s+than|instead\s+of)\s+{_DET}$", re.I)
_THAN_MARKED = re.compile(
    rf"\b(?:lower|higher|fewer|less|smaller|larger|greater|bigger)\s+than\s+(?:the\s+|an?\s+|its\s+|their\s+)?"
    rf"(?:(?:earlier|initial|official|reported|claimed|announced|published)\s+{_Q}?\s*|{_Q}\s*)$", re.I)
_THAN_BARE = re.compile(r"\b(?:lower|higher|fewer|less|smaller|larger|greater|bigger)\s+than\s+"
                        r"(?:the\s+|an?\s+|its\s+|their\s+)?$", re.I)
_AFTER_REPORTING = re.compile(rf"^\W{{0,3}}(?:\w+\s+){{0,2}}?{_REPORTING}\b", re.I)
_NOT_CONTRAST = re.compile(rf"(?:[,;:—–]|\s-)\s*(?:and\s+|but\s+)?not\s+{_DET}$", re.I)
_NOT_BEFORE = re.compile(rf"\bnot\s+{_DET}$", re.I)
_AS_REPORTED = re.compile(
    r"^\W{0,3}(?:\w+\s+){0,4}?as\s+(?:had\s+been\s+|was\s+|were\s+|has\s+been\s+)?"
    r"(?:\w+ly\s+|earlier\s+|first\s+)?(?:reported|claimed|stated|announced|said|suggested|alleged)\b", re.I)
_CORRECTION_FROM = re.compile(
    rf"\b(?:(?:revised|revising|corrected|correcting|amended|amending|adjusted|adjusting|downgraded|upgraded|updated)"
    rf"|(?:lowered|cut|reduced|raised|scaled\s+back|brought\s+down)\s+(?:its|their|the|his|her)\s+(?:own\s+)?"
    rf"(?:estimate|figure|toll|count|tally|number)s?)\b[^.;]{{0,80}}?\bfrom\s+{_DET}$", re.I)
_DENIAL = re.compile(
    r"\b(?P<verb>denied|denies|deny|denying|disputed|disputing|refuted|refutes|refute|"
    r"refuting|contradicted|contradicts|contradict|contradicting|rebutted|rebuts|rebut|"
    r"(?P<weak>disputes|dispute|rejected|rejects|reject|rejecting|dismissed|dismisses|dismissing|questioned|questions|"
    r"questioning|challenged|challenges|challenging|contested|contests|contesting|doubted|doubts|cast\s+doubt\s+on))\b",
    re.I)
_CLAIM_NOUN = re.compile(r"^\s*(?:the\s+|a\s+|an\s+|those\s+|these\s+|such\s+|its\s+|their\s+|earlier\s+|"
                         r"official\s+|initial\s+|reported\s+|media\s+|press\s+)*"
                         r"(?:claims?|reports?|figures?|numbers?|counts?|estimates?|tolls?|tall(?:y|ies)|accounts?|"
                         r"allegations?|assertions?|statements?|suggestions?|accuracy|account)\b", re.I)
_NOT_A_FIGURE_DENIAL = re.compile(r"^\s*(?:\w+\s+)?(?:entry|access|bail|visas?|permission|passage|food|water|"
                                  r"medical|treatment|the\s+right|rights|service|services|them|him|her|us|me)\b", re.I)
_CLAUSE_BREAK = re.compile(r"[;:]|,\s+(?:and|but|while|whereas|although|though|adding|saying|after|before|when|as|"
                           r"with|which|who|where|noting|including)\b"
                           r"|\.\s", re.I)
_CALLED_WRONG_AFTER = re.compile(
    r"^\W{0,3}(?:\w+\s+){0,3}?(?:(?:figure|number|count|toll|tally|estimate|claim)\s+)?"
    r"(?:was|is|were|are|has\s+been|had\s+been|seems|seemed|appears|appeared|looks|looked|may\s+be|might\s+be)\s+"
    r"(?:\w+ly\s+|also\s+|probably\s+|likely\s+)?"
    r"(?:wrong|incorrect|inaccurate|false|untrue|inflated|exaggerated|overstated|understated|mistaken|erroneous|"
    r"not\s+accurate|not\s+correct|not\s+true|too\s+high|too\s+low)\b", re.I)
_CALLED_WRONG_BEFORE = re.compile(
    rf"\b(?:inflated|exaggerated|false|incorrect|inaccurate|wrong|erroneous|overstated|understated|mistaken)\s+"
    rf"(?:figures?|numbers?|claims?|counts?|estimates?|tolls?|tall(?:y|ies))\s+(?:of\s+)?{_DET}$", re.I)
_DISPUTED_BY = re.compile(
    r"^\W{0,3}(?:\w+\s+){0,2}?(?:announced|reported|claimed|stated|given|cited|quoted|published|released|"
    r"put\s+forward|provided)\s+(?:earlier\s+|initially\s+|previously\s+)?by\s+"
    r"(?P<who>(?:the\s+)?[\w'’.\- ]{2,60}?)(?=\s+(?:in|on|at|last|this|earlier|on|during|and|but|who)\b|[,.;:)]|$)",
    re.I)
_SAID = re.compile(r"(?:^|[,;]\s*|\s)(?P<who>(?:the\s+)?[A-Z][\w'’.\-]*(?:\s+[A-Za-z][\w'’.\-]*){0,4}?)\s+"
                   r"(?:said|says|told|stated|insisted|maintained|countered|put|puts|estimated|estimates|"
                   r"counted|counts|gave|gives|revised|revises|corrected|corrects|updated|updates|amended)\b")
_SUBJECT_WORDS = re.compile(r"(?P<who>(?:(?:the|The)\s+)?(?:[A-Z][\w'’.\-]*|police|officials?|authorities|ministry|"
                            r"government|militia|army|military|junta|embassy|spokes(?:man|woman|person)|group|"
                            r"officers?|company|firm|agency|department|residents|witnesses|survivors|rescuers)"
                            r"(?:\s+(?:[A-Z][\w'’.\-]*|police|officials?|authorities|ministry|spokes(?:man|woman|person)|"
                            r"group|officers?|'s|’s))*)\s+(?:(?:has|have|had|also|later|flatly|strongly|firmly|"
                            r"swiftly|quickly|publicly|repeatedly|since|then|itself|themselves)\s+)*$")
_STOP_SUBJECT = {"the", "it", "this", "that", "he", "she", "they", "we", "which", "who", "but", "and", "yet",
                 "however", "but the", "and the"}


@dataclass(slots=True)
class Dispute:
    """A sentence that disputes a figure, with its claimant and the rule that read it."""

    rule: str
    cue: str
    claimant: str | None = None          # who disputes ("police"; the outlet when the text itself does)
    claimant_source: str = "sentence"    # "sentence" (named in it) or "outlet" (the publication)
    disputed_claimant: str | None = None  # whose figure is disputed ("the group's spokesman")
    evidence: dict[str, Any] = field(default_factory=dict)
    algorithm: str = ALGORITHM


def _clean_who(who: str | None) -> str | None:
    if not who:
        return None
    w = re.sub(r"\s+", " ", who).strip(" ,.;:'\"“”‘’")
    w = re.sub(r"^(?:and|but|yet|however|while)\s+", "", w, flags=re.I)
    if not w or w.lower() in _STOP_SUBJECT or len(w) < 3:
        return None
    return w


def _denial(pre: str) -> tuple[str, str | None] | None:
    """The denial cue governing a figure preceded by ``pre``, and the cue's subject."""
    hits = list(_DENIAL.finditer(pre))
    if not hits:
        return None
    m = hits[-1]
    between = pre[m.end():]
    if _CLAUSE_BREAK.search(between) or len(between.split()) > DENIAL_WINDOW:
        return None
    if _NOT_A_FIGURE_DENIAL.match(between):
        return None
    if m.group("weak") and not (_CLAIM_NOUN.match(between) or re.match(r"\s*that\b", between)):
        return None      # "resolves disputes among the five families", "rejected 300 applications"
    if re.search(r"\b(?:the|a|an|this|that|its|their|his|her)\s+$", pre[:m.start()], re.I):
        return None      # an adjective: "the disputed 300 seats"
    subj = _SUBJECT_WORDS.search(pre[:m.start()])
    return m.group(0), _clean_who(subj.group("who")) if subj else None


#: A dispute rule reads the text before and after the figure and returns (rule, cue, subject) or None.
_Found = tuple[str, str, str | None] | None


def _rule_compare(pre: str, post: str) -> _Found:
    """"up from 3,000", "compared with", "more than ... reported": the figure is set against another."""
    if m := (_COMPARE_FROM.search(pre) or _COMPARE_WITH.search(pre) or _THAN_MARKED.search(pre)):
        return "compare", m.group(0), None
    if (m := _THAN_BARE.search(pre)) and (r := _AFTER_REPORTING.match(post)):
        return "compare", m.group(0) + "… " + r.group(0), None
    return None


def _rule_not_as_reported(pre: str, post: str) -> _Found:
    if (m := _NOT_CONTRAST.search(pre)) or ((m := _NOT_BEFORE.search(pre)) and _AS_REPORTED.match(post)):
        return "not-as-reported", m.group(0), None
    return None


def _rule_correction(pre: str, post: str) -> _Found:
    if m := _CORRECTION_FROM.search(pre):
        return "correction", m.group(0), None
    return None


def _rule_called_wrong(pre: str, post: str) -> _Found:
    if m := (_CALLED_WRONG_BEFORE.search(pre) or _CALLED_WRONG_AFTER.match(post)):
        return "called-wrong", m.group(0), None
    return None


def _rule_denial(pre: str, post: str) -> _Found:
    if d := _denial(pre):
        return "denial", d[0], d[1]
    return None


#: The rules in the order they are tried; the first that finds a cue decides.
DISPUTE_RULES = (_rule_compare, _rule_not_as_reported, _rule_correction, _rule_called_wrong, _rule_denial)


def _claimants(sentence: str, post: str, subject: str | None, claimant: str | None,
               outlet: str | None) -> tuple[str | None, str, str | None]:
    """(who disputes, where that name came from, whose figure is disputed)."""
    disputed = None
    if m := _DISPUTED_BY.match(post):
        disputed = _clean_who(m.group("who"))
    who, source = subject, "sentence"
    if who is None:
        said = list(_SAID.finditer(sentence))
        if said:
            who = _clean_who(said[-1].group("who"))
    if who is None:
        who, source = (outlet or None), "outlet"
    if disputed is None and claimant and (who is None or claimant.lower() not in who.lower()):
        disputed = claimant
    if disputed and who and disputed.lower() == who.lower():
        disputed = None
    return who, source, disputed


# -- the prefilter: words every rule needs -------------------------------------------------------------
# A rule fires only when its cue is in the sentence, so a sentence with none of the words below can match
# no rule: :func:`dispute_of` then says "no dispute" without trying the rules (most figure sentences; an
# implementation shortcut with the same results, not a new rule). Each entry is a part of the cues of
# DISPUTE_RULES (a substring of the matched text, checked on the lower-cased text, ASCII text only):
_PRE_CUES = (
    # compare: _COMPARE_WITH ("rather than" needs "than", below; "does not match" needs "match")
    "odds", "conflict", "inconsistent", "match", "contrary", "contrast", "short", "instead",
    # called-wrong: _CALLED_WRONG_BEFORE's adjectives
    "inflated", "exaggerated", "false", "incorrect", "inaccurate", "wrong", "erroneous", "overstated", "understated",
    "mistaken",
    # denial: the stems of every _DENIAL verb ("cast doubt on" needs "doubt")
    "deni", "deny", "disput", "refut", "contradict", "rebut", "reject", "dismiss", "question", "challeng", "contest",
    "doubt")
# Words the rules need as whole words followed by a space: "from" (_COMPARE_FROM, _CORRECTION_FROM), "than"
# (_THAN_MARKED, _THAN_BARE, "rather than"), "not" (_NOT_CONTRAST, _NOT_BEFORE; "another" and "note" are not)
_PRE_WORDS = ("from", "than", "not")
# After the figure only _CALLED_WRONG_AFTER decides alone (_AFTER_REPORTING and _AS_REPORTED need "than"
# or "not" before it): its adjectives ("untrue", "not true" need "true"; "too high/low" needs "too")
_POST_CUES = ("wrong", "correct", "accurate", "false", "true", "inflated", "exaggerated", "overstated", "understated",
              "mistaken", "erroneous", "too")


def _prefilter(pre_cues: tuple[str, ...], pre_words: tuple[str, ...],
               post_cues: tuple[str, ...]) -> Callable[[str, str], bool]:
    """The test "could a rule match?" made of these cue parts (the tests weaken it to show each is needed)."""
    words = re.compile(r"\b(?:" + "|".join(pre_words) + r")\s") if pre_words else None

    def could_dispute(pre: str, post: str) -> bool:
        # re.IGNORECASE matches some non-ASCII letters to ASCII ones ("\u017f" to "s", the Kelvin sign
        # to "k") that str.lower() keeps apart: non-ASCII text always goes to the rules
        if not (pre.isascii() and post.isascii()):
            return True
        low = pre.lower()
        if any(c in low for c in pre_cues):
            return True
        if words is not None and any(w in low for w in pre_words) and words.search(low):
            return True
        low = post.lower()
        return any(c in low for c in post_cues)
    return could_dispute


#: False only when no rule of DISPUTE_RULES can match the text before (``pre``) and after (``post``)
#: a figure (tests/test_dispute_prefilter.py holds it to that on stored figures and random sentences).
could_dispute = _prefilter(_PRE_CUES, _PRE_WORDS, _POST_CUES)


def _rules(pre: str, post: str) -> _Found:
    """The first rule of DISPUTE_RULES that finds a cue, without the prefilter."""
    return next((f for rule in DISPUTE_RULES if (f := rule(pre, post)) is not None), None)


def dispute_of(sentence: str, start: int, end: int, claimant: str | None = None,
               outlet: str | None = None) -> Dispute | None:
    """Whether the figure at ``sentence[start:end]`` is disputed by its sentence (see module doc)."""
    if not sentence or not (0 <= start <= end <= len(sentence)):
        return None
    pre, post = sentence[:start], sentence[end:]
    if not could_dispute(pre, post):
        return None      # no rule's cue in the sentence
    found = _rules(pre, post)
    if found is None:
        return None
    rule, cue, subject = found
    who, source, disputed = _claimants(sentence, post, subject, claimant, outlet)
    cue = re.sub(r"\s+", " ", cue.strip())
    return Dispute(rule=rule, cue=cue, claimant=who, claimant_source=source, disputed_claimant=disputed,
                   evidence={"sentence": sentence, "figure": sentence[start:end], "rule": rule, "cue": cue})


def figure_dispute(fig: Any, outlet: str | None = None) -> Dispute | None:
    """:func:`dispute_of` for a stored figure record (``sentence``, ``start``/``end`` and
    ``sentence_start`` offsets into the article); None when its offsets are unknown."""
    sentence = getattr(fig, "sentence", None)
    s0, start, end = getattr(fig, "sentence_start", None), getattr(fig, "start", None), getattr(fig, "end", None)
    if not sentence or s0 is None or start is None or end is None:
        return None
    return dispute_of(sentence, start - s0, end - s0, getattr(fig, "claimant", None), outlet)
