"""Rule-based boilerplate removal for paragraphs of article text.

Each rule is a small function ``paragraph -> reason | None``; :func:`strip_boilerplate` applies
them and returns what it kept and, as evidence, what it dropped and why. Rules are tuned on the
seed articles (``/work/shared/seeds``) and checked on the article-extraction benchmark: they
must never lower its F1 (see ``bench/bench_extraction.py``).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from .text import FOLDS_TO_ASCII, has_any, paragraph_key, word_count

__all__ = ["RULES_ALGORITHM", "Removed", "StripResult", "strip_boilerplate", "is_site_name_line",
           "split_title_suffix", "same_headline"]

RULES_ALGORITHM = "clean.boilerplate-rules-v2"   # v2: headings of related-headline lists are tail markers

# --- tuned constants (seeds 000-004; article-extraction benchmark must not lose F1) -------------
# An appeal paragraph is at most this long; longer ones are treated as reporting.
APPEAL_MAX_WORDS = 80
# Tail markers ("Related posts", "Leave a Reply") cut the rest of the text only when at least this
# share of the article's words comes before them; earlier they only drop their own paragraph.
TAIL_MIN_SHARE = 0.5
# Stubs, share bars, site-name and "Published" lines are short.
STUB_MAX_WORDS = 12
# A bare domain line is a site-name line only this close to the top (seed 001's "SeattlePI.com");
# lower down it is content (a contact or venue address on the extraction benchmark).
SITE_LINE_MAX_INDEX = 3
# A run of at least this many consecutive menu-like paragraphs (each at most MENU_ITEM_MAX_WORDS
# words, no sentence punctuation) is a navigation menu that HTML extraction let through
# (article-extraction benchmark: such runs are menus, not content).
MENU_RUN_MIN = 8
MENU_ITEM_MAX_WORDS = 3
MENU_ITEM_MAX_CHARS = 30

# Appeal vocabulary: strong words are about the site selling itself; weak ones also occur in news.
_APPEAL_STRONG = re.compile(
    r"\b(?:subscri\w*|newsletters?|inbox|donat\w*|paywalls?|premium|membership|sign(?:ing)? up|ad-free|"
    r"bookmark\w*|we use cookies)\b", re.I)
_APPEAL_WEAK = re.compile(r"\b(?:support|journalis\w*|reporting|stor(?:y|ies)|independent|members|register|"
                          r"log in|contribution)\b", re.I)
# The site's own products (a subscription or sign-up alone may be a consumer story's subject).
_APPEAL_SITE = re.compile(r"\b(?:newsletters?|inbox|donat\w*|paywalls?|bookmark\w*|membership|we use cookies)\b", re.I)
_WE = re.compile(r"\b(?:we|us|our)\b", re.I)
_YOU = re.compile(r"\b(?:you|your)\b", re.I)
_YOUR_SUPPORT = re.compile(r"\byour (?:support|donation|contribution)\b", re.I)
_REPORTED_SPEECH = re.compile(r"[\"“”]|\b(?:said|says|told)\b", re.I)
_IMPERATIVE_APPEAL = re.compile(
    r"^(?:subscribe|sign up|join|register|log in|donate|support us|follow us|get (?:our|the latest|the day)|"
    r"download (?:our|the)|click here|want to|start your|already a subscriber|become a (?:member|subscriber))\b",
    re.I)
# Appeals that begin with an imperative are short.
IMPERATIVE_APPEAL_MAX_WORDS = 40

_STUB_MORE = re.compile(
    r"^(?:\[?(?:full (?:article|story)|read (?:the )?(?:full|more|whole)(?: (?:article|story))?|continue reading|"
    r"read more|more\b|click here to read more|view (?:full|original) article|original article)\]?)"
    r"(?:\s*(?:at|on|from|:)\s*[\w.' -]{0,40})?\s*[.:>»›→…-]*$", re.I)
_TAIL_MARKERS = re.compile(
    r"^(?:leave a (?:reply|comment)|post a comment|add (?:a|your) comment|comments?(?: \(\d+\))?|\d+ comments?|"
    r"your email address will not be published\b.*|required fields are marked\b.*|"
    r"related (?:posts?|articles?|stories|news|content|coverage)|you (?:may|might) also like|"
    r"more (?:from|stories|news|on this)\b.*|read next|recommended(?: for you| stories)?|"
    r"most (?:read|popular|viewed)|trending(?: now)?|also read|see also|popular posts|recent posts|"
    # v2: the headings of related-headline lists under an article ("Next In World", "Others Also Read",
    # "Editor's Pick"): page furniture whose lines were read as one run-on sentence, with events and figures
    # ("Don't miss" and "Up next" head promotion boxes in the middle of pages: on the article-extraction
    # benchmark they cut article text, so they are not markers)
    r"next in\b.*|more in\b.*|(?:others|people|readers) also read|read also|what to read next|"
    r"editor'?s picks?|(?:latest|top) (?:news|stories|headlines))\s*[:.]?$",
    re.I)
_SHARE_WORDS = {"share", "this", "article", "story", "post", "on", "via", "spread", "the", "love", "tweet",
                "email", "print", "facebook", "twitter", "x", "whatsapp", "linkedin", "reddit", "telegram",
                "pinterest", "copy", "link", "messenger", "pocket", "flipboard", "comments", "comment",
                "save", "gift", "shares", "sharing"}
_PUBLISHED_STUB = re.compile(
    r"^(?:published|updated|last updated|posted|first published|modified)(?:\s+(?:on|at|by))?\b[\s:]*"
    r"(?P<rest>.*)$", re.I)
_DOMAIN = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|news|co|io|asia|tv|"
                     r"[a-z]{2})(?:\.[a-z]{2})?$", re.I)
_SITE_WORDS = re.compile(r"\b(?:news|times|post|journal|herald|daily|tribune|online|tv|media|magazine|"
                         r"press|today|gazette|mail|tech|wire|review|report|digital|insider|\.com)\b", re.I)
_TITLE_SUFFIX = re.compile(r"^(?P<title>.{15,}?)\s*(?:\s[-|–—:]\s|[|–—]|(?<=[a-z])-(?=[A-Z]))\s*(?P<site>[^-|–—]{2,40})$")
_HAS_WORD = re.compile(r"\w")


@dataclass(slots=True)
class Removed:
    """One dropped paragraph, with the rule that dropped it (kept as evidence)."""

    index: int
    text: str
    reason: str


@dataclass(slots=True)
class StripResult:
    """Paragraphs kept and the evidence of what was removed."""

    kept: list[str]
    removed: list[Removed] = field(default_factory=list)
    ends_with_more_stub: bool = False     # a "Full Article"/"Read more" stub after the last kept paragraph

    @property
    def reasons(self) -> set[str]:
        return {r.reason for r in self.removed}


#: Lower-case text that every match of :data:`_APPEAL_STRONG` or :data:`_YOUR_SUPPORT` contains.
_APPEAL_STEMS = ("subscri", "newsletter", "inbox", "donat", "paywall", "premium", "membership", "sign",
                 "ad-free", "bookmark", "we use cookies", "your ")


def _may_appeal(p: str) -> bool:
    """False when ``p`` has no strong appeal word and no "your support": every appeal rule needs one,
    and most paragraphs have neither, so this is checked first (substrings, then the patterns)."""
    if p.isascii() or not FOLDS_TO_ASCII.search(p):
        low = p.lower()
        if not has_any(low, _APPEAL_STEMS):
            return False
    return bool(_APPEAL_STRONG.search(p) or _YOUR_SUPPORT.search(p))


def _appeal(p: str) -> str | None:
    """Donation, subscription and newsletter appeals; never a paragraph with reported speech.

    One of: an imperative appeal ("Subscribe to ...", "Sign up for ...") with a strong appeal word;
    "your support" addressed by a "we/us"; the site addressing the reader ("we" and "you") with a
    strong and another appeal word; or three appeal words (two strong, one about the site's own
    newsletter, donations or paywall) addressed to the reader.
    (Seed 000's appeals; on the extraction benchmark these rules drop 11 appeals and no content.)
    """
    if not _may_appeal(p):
        return None
    n = word_count(p)
    if n > APPEAL_MAX_WORDS or _REPORTED_SPEECH.search(p):
        return None
    strong = len(_APPEAL_STRONG.findall(p))
    weak = len(_APPEAL_WEAK.findall(p))
    we, you = bool(_WE.search(p)), bool(_YOU.search(p))
    if _IMPERATIVE_APPEAL.match(p) and strong and n <= IMPERATIVE_APPEAL_MAX_WORDS:
        return "appeal"
    if _YOUR_SUPPORT.search(p) and we:
        return "appeal"
    if we and you and strong and strong + weak >= 2:
        return "appeal"
    if strong >= 2 and strong + weak >= 3 and (we or you) and _APPEAL_SITE.search(p):
        return "appeal"
    return None


_LOWER_WORD = re.compile(r"[a-z]+")


_SHARE_TRIGGERS = frozenset({"share", "tweet", "spread", "facebook", "twitter", "whatsapp", "email", "print"})


def _share_bar(p: str) -> str | None:
    """A share bar: at most STUB_MAX_WORDS words, all of them share words, one of them a trigger.
    The words are read one at a time, so a paragraph stops at its first word that is not a share
    word (the first or second word of almost any other paragraph)."""
    words = 0
    trigger = False
    for m in _LOWER_WORD.finditer(p.lower()):
        w = m.group()
        if w not in _SHARE_WORDS or words == STUB_MAX_WORDS:
            return None
        words += 1
        trigger = trigger or w in _SHARE_TRIGGERS
    return "share-bar" if trigger else None


def _published_stub(p: str) -> str | None:
    m = _PUBLISHED_STUB.match(p)
    if m and word_count(p) <= STUB_MAX_WORDS and not m.group("rest").rstrip().endswith("."):
        return "published-stub"
    return None


def _no_words(p: str) -> str | None:
    return None if _HAS_WORD.search(p) else "separator"


_RULES = (_no_words, _share_bar, _published_stub, _appeal)


def is_site_name_line(p: str, outlet: str | None = None) -> bool:
    """A line that is only a site name: a bare domain ("SeattlePI.com") or the outlet's name."""
    s = p.strip()
    if outlet and paragraph_key(s) == paragraph_key(outlet):
        return True
    return bool(_DOMAIN.match(s))


@functools.lru_cache(maxsize=1024)   # one article's title is split up to four times (title, outlet, rules)
def split_title_suffix(title: str) -> tuple[str, str | None]:
    """Split "Headline - Site News" into ("Headline", "Site News") when the suffix looks like a
    site name (a domain or a name with a word like News/Times/Post); else ``(title, None)``."""
    m = _TITLE_SUFFIX.match(title.strip())
    if m:
        site = m.group("site").strip()
        if len(site.split()) <= 4 and (_SITE_WORDS.search(site) or _DOMAIN.match(site)):
            return m.group("title").strip(), site
    return title.strip(), None


def same_headline(a: str, b: str) -> bool:
    """Two lines are the same headline when their casefolded words match (quotes/dashes ignored)."""
    ka, kb = paragraph_key(a), paragraph_key(b)
    return bool(ka) and ka == kb


def _menu_item(p: str, words: int) -> bool:
    """A short label: few words and characters, no sentence or clause punctuation."""
    return (0 < words <= MENU_ITEM_MAX_WORDS and len(p) <= MENU_ITEM_MAX_CHARS
            and not p.endswith((".", "!", "?", ":", "。", "！", "？")) and not any(c in p for c in ",、，。"))


def _menu_runs(paragraphs: list[str], counts: list[int]) -> set[int]:
    """Indexes of paragraphs inside runs of :data:`MENU_RUN_MIN` or more menu-like items."""
    flagged: set[int] = set()
    run: list[int] = []
    for i, p in enumerate(paragraphs + [""]):
        if i < len(paragraphs) and _menu_item(p, counts[i]):
            run.append(i)
            continue
        if len(run) >= MENU_RUN_MIN:
            flagged.update(run)
        run = []
    return flagged


def _line_reason(i: int, p: str, n: int, title_keys: set[str], title_words: int,
                 outlet: str | None) -> str | None:
    """Why paragraph ``i`` (``p``, ``n`` words) is boilerplate on its own, or None: a "more" stub,
    the title repeated, the site's name line, or one of :data:`_RULES`, tried in that order."""
    if n <= STUB_MAX_WORDS and _STUB_MORE.match(p):
        return "more-stub"
    if title_keys and n <= 2 * title_words + 5 and paragraph_key(p) in title_keys:
        return "repeated-title"
    if n <= STUB_MAX_WORDS and is_site_name_line(p, outlet) and (
            i < SITE_LINE_MAX_INDEX or (outlet and paragraph_key(p) == paragraph_key(outlet))):
        return "site-name"
    for rule in _RULES:
        if r := rule(p):
            return r
    return None


def strip_boilerplate(paragraphs: list[str], title: str | None = None, outlet: str | None = None) -> StripResult:
    """Drop boilerplate paragraphs and cut comment/related-post tails.

    ``title`` lines repeated in the body and ``outlet`` name lines are dropped too. Returns the kept
    paragraphs (order and boundaries preserved) and the removed ones with their reasons.
    """
    result = StripResult(kept=[])
    seen = 0
    last_kept = -1
    title_keys = {paragraph_key(t) for t in (title, split_title_suffix(title)[0])} - {""} if title else set()
    title_words = len(title.split()) if title else 0
    counts = [word_count(p) for p in paragraphs]
    total = sum(counts) or 1
    menu = _menu_runs(paragraphs, counts)
    for i, p in enumerate(paragraphs):
        n = counts[i]
        if i in menu:
            result.removed.append(Removed(i, p, "menu"))
            continue
        if n <= STUB_MAX_WORDS and _TAIL_MARKERS.match(p):
            if seen >= TAIL_MIN_SHARE * total:
                result.removed.extend(Removed(j, q, "tail") for j, q in enumerate(paragraphs[i:], start=i))
                break
            result.removed.append(Removed(i, p, "tail-marker"))
            continue
        reason = _line_reason(i, p, n, title_keys, title_words, outlet)
        if reason:
            result.removed.append(Removed(i, p, reason))
            continue
        result.kept.append(p)
        last_kept = i
        seen += n
    result.ends_with_more_stub = any(r.reason == "more-stub" and r.index > last_kept for r in result.removed)
    return result
