"""A readable name for every story (``stories.name-v1``).

A story is named after its members' headlines: the headline of its earliest member that has one
(the clustering chooses it; ``title_source`` "headline"). Many real-news texts have no headline (plain
text without a title line, feeds without titles), and a story none of whose members has one would
be listed under its id alone. Such a story gets a name derived from its texts instead
(``title_source`` ``stories.name-v1``), shown as derived wherever the story is named:

1. each candidate member's *lead sentence*: the first sentence of its first paragraphs that is not
   page furniture (a date stamp, a distribution or breadcrumb line, a byline, a share bar, a photo
   caption: the ``clean.headline-v1`` tests), with a leading date stamp and a dateline
   ("BANGKOK (AP) —", "PHNOM PENH —", "Yangon:") removed; a lead shorter than ``LEAD_MIN_WORDS``
   words is passed over;
2. the most central lead: the one whose content terms (the stories' ``content_terms``) occur in the
   most other candidates' texts, on average (a centroid score, as in centroid-based summarisation:
   the lead that best says what the members share); ties go to the earlier member (publication
   date, then id). A story of one article takes its lead;
3. the lead trimmed at a word boundary to ``NAME_MAX_CHARS`` characters, an ellipsis marking the cut.

The name depends only on the story's members and their texts, so an incremental run names a
story as a full run does (a story is written again whenever its members change).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from ..clean.datelines import match_dateline
from ..clean.headline import headline_of, headline_problem
from ..extract.text import paragraphs, sentences_in
from ..model import HEADLINE_SOURCE
from .cluster import Story, content_terms

__all__ = ["HEADLINE_SOURCE", "NAME_ALGORITHM", "NAME_MAX_CHARS", "derived_names", "lead_sentence", "name_stories",
           "short_name", "story_name"]

NAME_ALGORITHM = "stories.name-v1"
# A name's length: about a headline's (realnews-dev's 65 headlines: median 69 characters, 85 % within 90;
# read off the whole set, not fitted: no figure is scored against it).
NAME_MAX_CHARS = 90
# A lead sentence shorter than this is a fragment or furniture ("Photo: Reuters."), not a lead.
LEAD_MIN_WORDS = 6
# The lead is looked for in the first paragraphs only (furniture lines come first; past these the
# text is the story's body, not its lead).
LEAD_PARAGRAPHS = 6
# At most this many members of an untitled story (its earliest) are read for candidate leads.
NAME_CANDIDATES = 12
# A paragraph this short (words) is tested as a possible furniture line before it is read.
FURNITURE_MAX_WORDS = 30

# What follows a dateline the name drops: a sentence's first word (maybe after an opening quote).
_SENTENCE_OPENS = re.compile(r"[\"“‘(]?[^\W_]")
# The separators a dropped dateline ends with ("PHNOM PENH —", "SEOUL, South Korea --", "Yangon:").
_SEPARATORS = frozenset({"—", "–", "-", "--", ":"})
_WORD = re.compile(r"[^\W_][\w'’-]*")
_SPACES = re.compile(r"\s+")
# What a name is trimmed of at its end before the ellipsis: punctuation and words that leave it dangling.
_DANGLING = frozenset("a an the of in on at to for from by with and or but as that which who whose than "
                      "its their his her our your this these those".split())


def _strip_dateline(sentence: str) -> str:
    """``sentence`` without a leading :mod:`clean.datelines` dateline ("INCHEON, South Korea, Jan 23 (Reuters) -",
    "PHNOM PENH —", "SEOUL, South Korea --", "Yangon:"). The place must be written in capitals (a wire
    dateline) unless a credit or a colon follows it; a sentence that is all dateline is kept."""
    d = match_dateline(sentence)
    if d is None or d.start or d.sep not in _SEPARATORS or not d.spaced or not _SENTENCE_OPENS.match(d.follows):
        return sentence
    colon = d.sep == ":"
    if not (d.caps or d.credit is not None or (colon and d.region is None and (_capitalised(d.place) or d.caseless))):
        return sentence
    rest = sentence[d.end:]
    return rest if _WORD.search(rest) else sentence


def _capitalised(words: str) -> bool:
    return all(w[:1].isupper() for w in words.split())


def _furniture(paragraph: str) -> bool:
    """A short paragraph that ``clean.headline-v1`` calls furniture (date stamp, separators, byline,
    share bar, caption, bracketed register header, list item)."""
    return len(paragraph.split()) <= FURNITURE_MAX_WORDS and headline_problem(paragraph) is not None


def lead_sentence(text: str) -> str | None:
    """The first sentence of ``text`` that is no furniture, without a leading date stamp or dateline,
    of at least ``LEAD_MIN_WORDS`` words (whitespace collapsed); None when its first paragraphs have none."""
    for start, end in paragraphs(text)[:LEAD_PARAGRAPHS]:
        para = text[start:end]
        if _furniture(para):
            continue
        body = headline_of(para)
        offset = end - len(body)
        for s, e in sentences_in(text, offset, end):
            sentence = _SPACES.sub(" ", _strip_dateline(text[s:e].strip()))
            if len(_WORD.findall(sentence)) >= LEAD_MIN_WORDS and not _furniture(sentence):
                return sentence
    return None


def short_name(sentence: str, limit: int = NAME_MAX_CHARS) -> str:
    """``sentence`` as a name: whole when it fits in ``limit`` characters (its closing period
    dropped), else cut at the last word boundary before the limit, without a dangling short word or
    punctuation, an ellipsis marking the cut."""
    s = sentence.strip()
    if len(s) <= limit:
        return s[:-1] if s.endswith(".") and not s.endswith("..") else s
    cut = s[:limit]
    if not s[limit].isspace():
        space = cut.rfind(" ")
        cut = cut[:space] if space > 0 else cut
    words = cut.split()
    while len(words) > 1 and (words[-1].lower().strip(",;:—–-") in _DANGLING or not _WORD.search(words[-1])):
        words.pop()
    return " ".join(words).rstrip(",;:—–-([{\"“‘ ") + "…"


def story_name(texts: Sequence[str]) -> str | None:
    """The derived name of a story whose members' texts are ``texts`` (earliest member first): the
    most central lead sentence (see the module docstring), shortened; None when no text has a lead."""
    leads = [(i, lead) for i, t in enumerate(texts) if (lead := lead_sentence(t)) is not None]
    if not leads:
        return None
    if len(texts) == 1 or len(leads) == 1:
        return short_name(leads[0][1])
    term_sets = [set(content_terms(t)) for t in texts]
    best, best_score = leads[0][1], -1.0
    for i, lead in leads:
        terms = set(content_terms(lead))
        others = [s for j, s in enumerate(term_sets) if j != i]
        score = sum(sum(1 for s in others if t in s) for t in terms) / (len(terms) * len(others) or 1)
        if score > best_score:   # strictly: ties keep the earlier member
            best, best_score = lead, score
    return short_name(best)


def name_stories(stories: Iterable[Story], texts_of: Callable[[list[str]], dict[str, str]]) -> None:
    """Set each story's ``title_source``: "headline" when a member's headline names it, else derive
    its name (:func:`story_name`, ``stories.name-v1``) from the texts of its first
    ``NAME_CANDIDATES`` members (its articles are in publication order); ``texts_of`` returns the
    stored texts of the article ids it is given. A story without any lead keeps no title, but is marked as
    tried (``title_source`` = ``stories.name-v1``), so an incremental run does not read its texts again."""
    untitled = []
    for st in stories:
        if st.title:
            st.title_source = HEADLINE_SOURCE
        else:
            untitled.append(st)
    names = derived_names({st.id: st.articles for st in untitled}, texts_of)
    for st in untitled:
        st.title = names[st.id]
        st.title_source = NAME_ALGORITHM


def derived_names(members: Mapping[str, Sequence[str]], texts_of: Callable[[list[str]], dict[str, str]]
                  ) -> dict[str, str | None]:
    """story id -> its derived name (:func:`story_name`; None when no text has a lead), for stories whose
    article ids, in publication order, are ``members``: the texts of the first ``NAME_CANDIDATES`` of each
    are read at once through ``texts_of``."""
    wanted = sorted({a for arts in members.values() for a in arts[:NAME_CANDIDATES]})
    texts = texts_of(wanted) if wanted else {}
    return {sid: story_name([texts.get(a) or "" for a in arts[:NAME_CANDIDATES]]) for sid, arts in members.items()}
