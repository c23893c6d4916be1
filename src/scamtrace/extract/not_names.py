"""Candidates the recognisers take for names that name no actor (``extract.not-names-v2``).

The statistical model (and, less often, the rules) tags words that are not names of a person,
organisation or place: a nationality word ("Ugandan"), an institution word alone ("the Embassy"), a
Latin phrase ("in absentia"), a number, a section heading written in title case, a name cut before
its end ("Government of"), and, in a text that is not English, nearly anything capitalised. Every
such candidate reaches the actor list, story briefs and reports unless it is dropped here. Each rule
has a name (the ``RULE_*`` constants) and every dropped candidate is kept as a :class:`Dropped`
with its rule and detail (``find_entities(..., dropped=[])`` returns them; the extract stage logs
them at DEBUG), so a name missing from the actors can be explained.

Gazetteer and dateline mentions are never dropped (curated names and the article's own place line).

General resources only, no list of the names of any article: the nationality words come from the
Unicode CLDR's English names of territories and of their official languages (``babel``, installed
with trafilatura), the institution words from the organisation heads the rule recogniser already
uses, and the heading test asks ``wordfreq``'s general-English frequencies (the optional ``nlp``
extra, installed with spaCy; the heading rule is silent without it).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from .places import acronym_not_a_place, place_name
from .records import Mention

#: v2: a PERSON/ORG name that is a country, subdivision or large city is relabelled GPE (RULE_PLACE,
#: :mod:`.places`); a one-word person written with an acronym after it is relabelled ORG (RULE_ACRONYM_BODY).
ALGORITHM = "extract.not-names-v2"

RULE_NOT_ENGLISH = "not-english"          # the English model on another language's text
RULE_NO_LATIN = "no-latin-letter"         # the English model on a name written in another script
RULE_NO_CAPITAL = "no-capital"            # "absentia", "ya que": a name has a capital letter
RULE_NUMBER = "number"                    # "2024", "$73.6": fewer than MIN_LETTERS letters
RULE_DEMONYM = "nationality-word"         # "Ugandan", "Sri Lankans", "Thai": people of a country, not an actor
RULE_INSTITUTION = "institution-word"     # "Embassy", "Ministry", "Court" alone: names no one across articles
RULE_ABSTRACT = "abstract-noun"           # "Terrorism", "Cooperation" alone
RULE_CUT = "cut-name"                     # "Government of": the model stopped before the name's end
RULE_ACRONYM_OF_PHRASE = "acronym-of-common-phrase"   # "notice of proposed rulemaking (NPRM)"
RULE_BULLET = "bullet"                    # "• Footage": a list item's first word, bullet and all
RULE_OPENER = "sentence-opener"          # "Although Li": the sentence's first word taken in (cut off, kept)
RULE_TITLE = "title-words"                # "Bamban Mayor Alice Guo", "Ms Bigombe": title cut off; "Indian Ambassador" dropped
RULE_TERRITORY = "territory"              # "Sri Lanka" as a person: a country's CLDR name is relabelled GPE (kept)
RULE_LINE_BREAK = "line-break"           # "Terminal Reader\n\nRead": a name never crosses a line break
RULE_BODY = "body-word"                   # "Uganda High Commission" as a person: relabelled ORG (kept)
RULE_HEADING = "heading"                  # a title-case line of common words ("Future Cooperation")
RULE_PLACE = "place-gazetteer"            # "Đồng Nai" as a person, "Tarlac" as an organisation: relabelled GPE (kept)
RULE_ACRONYM_BODY = "acronym-after"       # "Tether (USDT)" as a person: one word with an acronym after it is ORG (kept)
RULE_ACRONYM_PLACE = "acronym-not-a-place"   # "ST", "USDT" as a place: an acronym of no place is ORG (kept)

#: List bullets: the model takes a bullet and the item's first word for a name ("• Footage", "• World").
BULLETS = frozenset("•·▪▫►▸‣◦●■□–—*>")
#: Capitalised sentence openers that a recogniser takes into a person's name ("Although Li committed ...").
OPENERS = frozenset("""Although Though While When Whereas Because Since After Before If Unless Until As But And Or
So Yet However Meanwhile Also Then Still According Despite During Under With Without From In On At By Of To For
Why What How Where Who Now Today Yesterday Earlier Later Here There Last Next This That These Those""".split())
#: Titles, ranks and honorifics that stand before a person's name, not in it (a place may precede them:
#: "Bamban Mayor Alice Guo"). A person "name" of title words alone ("Indian Ambassador") names a post.
TITLE_WORDS = frozenset("""Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Prof Prof. Amb Amb. Sen Sen. Rep Rep. Gov Gov. Atty Atty.
Attorney Mayor Vice Ambassador Senator Congressman Congresswoman Representative Judge President Minister Secretary
Undersecretary Governor Chairman Chairwoman Chairperson Commissioner Director Spokesman Spokeswoman Spokesperson
Prime Deputy Chief General Gen Gen. Colonel Col Col. Major Maj Maj. Captain Capt Capt. Lieutenant Lt Lt. Sergeant
Sgt Sgt. Police Pol Pol. Brigadier Brig Brig. Superintendent Inspector Ambassador-designate Consul Envoy Sheriff
Prosecutor Officer Detective Agent Lawyer Pastor Father Sister Brother Sir Dame Lord Lady""".split())
#: Posts that end no person's name ("Indian Ambassador", "Prime Minister"); ranks such as "Major" can.
POST_WORDS = frozenset("""Ambassador Minister Secretary Undersecretary President Mayor Governor Senator Spokesman
Spokeswoman Spokesperson Commissioner Chairman Chairwoman Chairperson Director Prosecutor Envoy Consul
Congressman Congresswoman Attorney""".split())
#: Sources whose candidates are judged (gazetteer and dateline mentions are kept as they are).
JUDGED_SOURCES = frozenset({"model", "rules"})
#: A name has at least this many letters ("2024", "No. 5" and "$73" have fewer).
MIN_LETTERS = 2
#: In a text that is not English only names of at least this many words, every one capitalised, are kept
#: (a name is written alike in any language; the English model tags capitalised common words of other
#: languages, e.g. sentence openers, as names).
FOREIGN_MIN_WORDS = 2
#: The language codes taken for English; a text without a language is taken for English.
ENGLISH = ("en",)
#: Words that end a name only when the model stopped early ("Government of" before "Myanmar").
_CUT_ENDS = frozenset("of and for the on in to at by with from de del da do dos das van von".split())
#: Lower-case words a title-case heading or a multi-word name may hold.
_FUNCTION_WORDS = frozenset("of and for the on in to at by with from a an or & - –".split())
#: Institution words that name no one alone (the rule recogniser's organisation heads, less the proper
#: names among them, and the other kinds of public body): "the Embassy" is whichever embassy the article
#: means, so across articles the bare word joins different bodies into one false actor. Legislatures
#: ("Congress", "Senate", "Parliament") are left out: written without "the" they name the country's own.
INSTITUTION_WORDS = frozenset("""Ministry Police Bureau Agency Department Office Court Embassy Consulate
Army Militia Brotherhood Alliance Front Guard Force Forces Navy Military Junta Regime Institute Group Party
University Council Bank Company Corp Association Committee Network Foundation Centre Center Union
Organization Organisation Government Cabinet Commission Administration Authority
Authorities Tribunal Prosecutor Prosecutors Immigration Customs State Province District Courts
Ministries Embassies Agencies Departments Offices Governments""".split())
#: Words that name newspapers, magazines and broadcasters: a line holding one is a masthead ("Lion City
#: Bulletin", "VICE World News"), not a heading. General newspaper-title words, not any outlet's list.
PUBLICATION_WORDS = frozenset("""News Times Post Daily Journal Herald Tribune Gazette Economist Press Weekly
Bulletin Chronicle Observer Standard Inquirer Star Mirror Express Guardian Telegraph Independent Monitor
Reporter Review Insider Today Sun Mail Record Courier Nation Voice Globe Dispatch Examiner Enquirer Sentinel
Register Informer Wire Digest Magazine Radio TV Television Broadcasting Channel Media Online""".split())
_BODY_WORDS = INSTITUTION_WORDS | PUBLICATION_WORDS
#: Endings of abstract nouns ("Terrorism", "Cooperation", "Development"); with at least
#: ABSTRACT_MIN_LENGTH letters ("Nation", a newspaper's name, is shorter).
_ABSTRACT_ENDINGS = ("ism", "ness", "ment", "tion", "sion")
ABSTRACT_MIN_LENGTH = 8
#: Labels a nationality word, an institution word or an abstract noun is dropped under.
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "AGENCY", "ARMED_GROUP", "COMPOUND"})
#: A heading's words are all in general use: wordfreq Zipf frequency at least this (2.5: about once in
#: 3 million words of general English; set by hand on invented headings and names: "Trafficker" 2.6 is
#: general, "JoongAng" 1.7 and "Supernet" 1.1 are not).
HEADING_MIN_ZIPF = 2.5
#: A heading line holds at most this many words.
HEADING_MAX_WORDS = 8
#: Labels a heading is taken under (the model tags headings as organisations; a place before a colon
#: opens a dateline, "SEOUL : ...", and people are never taken for headings).
_HEADING_LABELS = frozenset({"ORG", "AGENCY", "ARMED_GROUP"})
#: Suffixes that make a territory's name a nationality word ("Uganda" + "n", "Japan" + "ese").
_DEMONYM_SUFFIXES = ("n", "an", "ian", "ese", "i", "ish")
#: Number and quantity words that open a sentence before a nationality word ("Eight Indian nationals").
COUNT_WORDS = frozenset("""one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen seventeen eighteen nineteen twenty thirty forty fifty hundred hundreds thousand thousands dozens dozen
several many some most all both few other""".split())
#: Territory name stems shorter than this make no nationality word ("Isle of Man": "Man" + "n").
MIN_STEM = 4


@dataclass(frozen=True, slots=True)
class Dropped:
    """A candidate that is not kept as a name, or the words cut off a kept one, or (rule
    :data:`RULE_TERRITORY`) a kept one whose label changed; with the rule and what it found."""
    text: str
    label: str
    start: int
    end: int
    rule: str
    detail: str = ""


def is_english(language: str | None) -> bool:
    """True for no language (taken for English) and for every English code ("en", "en-GB")."""
    return not language or language.strip().lower().split("-")[0].split("_")[0] in ENGLISH


@lru_cache(maxsize=1)
def territory_names() -> frozenset[str]:
    """CLDR's English names of countries and territories (two-letter codes that CLDR gives languages
    spoken in: not "United Nations", "European Union"; "Myanmar (Burma)" gives both names), case-folded.
    Empty without babel."""
    try:
        from babel import Locale
        from babel.core import get_global
    except ImportError:   # pragma: no cover - babel comes with trafilatura
        return frozenset()
    spoken = get_global("territory_languages")
    return frozenset(part.casefold() for code, name in Locale("en").territories.items()
                     if str(code).isalpha() and spoken.get(code) for part in re.split(r"\s*[()]\s*", name) if part)


@lru_cache(maxsize=1)
def nationality_words() -> dict[str, str]:
    """Nationality word (case-folded, singular and plural) -> the territory it belongs to, from CLDR's
    English territory names (with their suffixed forms) and the English names of the territories'
    official languages. Empty when babel is missing."""
    try:
        from babel import Locale
        from babel.core import get_global
        from babel.languages import get_official_languages
    except ImportError:   # pragma: no cover - babel comes with trafilatura
        return {}
    en = Locale("en")
    territories: dict[str, str] = {}
    for name in en.territories.values():
        for part in re.split(r"\s*[()]\s*", name):   # "Myanmar (Burma)": both names
            if part:
                territories.setdefault(part, name)
    out: dict[str, str] = {}
    # longer names first: "Nigerian" is Nigeria's before it is Niger's
    for name in sorted(territories, key=lambda n: (-len(n), n)):
        for form in _derived_forms(name):
            out.setdefault(form.casefold(), territories[name])
    likely = get_global("likely_subtags")
    for code in sorted(str(c) for c in en.territories if str(c).isalpha()):
        for lang in get_official_languages(code):
            lname = en.languages.get(lang)
            if not lname or " " in lname:
                continue
            home = str(likely.get(lang, "")).split("_")[-1]   # "ko" -> KR: a language's main territory
            out.setdefault(lname.casefold(), en.territories.get(home, en.territories[code]))
    for form in list(out):
        out.setdefault(form + "s", out[form])
    names = {t.casefold() for t in territories}
    return {form: t for form, t in out.items() if form not in names}


def _derived_forms(name: str) -> set[str]:
    """"Uganda" -> Ugandan, Ugandian, ...; "Japan" -> Japanese, ...; "China" -> Chinese (a last vowel
    dropped); "Thailand" -> Thai; "Germany" -> German. Forms that are no word harm nothing."""
    forms: set[str] = set()
    stems = {name}
    if name[-1:] in "aeiouy":
        stems.add(name[:-1])
    if name.endswith("land"):
        forms.add(name[:-4])
    if name.endswith("y"):
        forms.add(name[:-1])
    for stem in stems:
        if len(stem.replace(" ", "")) >= MIN_STEM:
            forms.update(stem + s for s in _DEMONYM_SUFFIXES)
    return {f for f in forms if len(f.replace(" ", "")) >= MIN_STEM}


def _letters(s: str) -> list[str]:
    return [ch for ch in s if ch.isalpha()]


def _is_latin(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("LATIN")


def why_not_a_name(name: str, label: str) -> tuple[str, str] | None:
    """(rule, detail) when ``name`` under ``label`` names no actor whatever its context, else None."""
    if name[:1] in BULLETS:
        return RULE_BULLET, f"opens with the list bullet {name[0]!r}"
    letters = _letters(name)
    if len(letters) < MIN_LETTERS:
        return RULE_NUMBER, f"{len(letters)} letter(s)"
    if not any(_is_latin(ch) for ch in letters):
        return RULE_NO_LATIN, "the English model read another script"
    if not any(ch.isupper() for ch in letters):
        return RULE_NO_CAPITAL, "no capital letter"
    words = name.split()
    if words[-1].lower() in _CUT_ENDS and len(words) > 1:
        return RULE_CUT, f"ends in {words[-1]!r}"
    if label not in _NAME_LABELS:
        return None
    country = _nationality(words)
    if country is not None:
        return RULE_DEMONYM, f"nationality word of {country}"
    if len(words) == 1:
        word = words[0].strip(".,;:’'")
        if word.capitalize() in INSTITUTION_WORDS or word in INSTITUTION_WORDS:
            return RULE_INSTITUTION, f"{word!r} alone names no particular body"
        if len(word) >= ABSTRACT_MIN_LENGTH and word.isalpha() and word[1:].islower() \
                and word.lower().endswith(_ABSTRACT_ENDINGS):
            return RULE_ABSTRACT, f"{word!r} is an abstract noun"
    return None


def _nationality(words: list[str]) -> str | None:
    """The territory whose nationality word ``words`` are ("Ugandan", "Sri Lankans"), or end in as a
    plural after other words ("Young Filipinos": a group of people is no name) or after count words
    ("Eight Indian"); else None."""
    known = nationality_words()
    whole = known.get(" ".join(words).casefold())
    if whole is not None:
        return whole
    for i in range(1, len(words)):
        tail = " ".join(words[i:]).casefold()
        if tail in known and (tail.endswith("s") and tail[:-1] in known
                              or all(w.casefold() in COUNT_WORDS for w in words[:i])):
            return known[tail]
    return None


def _foreign_name_ok(name: str) -> bool:
    words = name.split()
    return len(words) >= FOREIGN_MIN_WORDS and all(w[:1].isupper() for w in words)


@lru_cache(maxsize=1)
def _zipf() -> Callable[[str, str], float] | None:
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        return None
    return zipf_frequency


def _heading(text: str, m: Mention) -> str | None:
    """Why ``m`` is a section heading: it is its line (bar a bullet or number before and a colon after),
    of at most HEADING_MAX_WORDS title-case words all in general English use. None otherwise, for people
    and places, and without wordfreq."""
    if m.label not in _HEADING_LABELS:
        return None
    zipf = _zipf()
    if zipf is None:
        return None
    line_start = text.rfind("\n", 0, m.start) + 1
    line_end = text.find("\n", m.end)
    before = text[line_start:m.start].strip(" \t•*#>-–—·0123456789.)")
    after = text[m.end:len(text) if line_end == -1 else line_end].strip()
    if before or (after and not after.startswith(":")):
        return None
    words = [w for w in re.findall(r"[^\W\d_][\w’'-]*", m.text) if w.lower() not in _FUNCTION_WORDS]
    if not words or len(words) > HEADING_MAX_WORDS or not all(w[0].isupper() for w in words):
        return None
    if any(w.capitalize() in _BODY_WORDS for w in words):
        return None   # "Financial Crimes Enforcement Network", "DEPARTMENT OF THE TREASURY" alone on a line are names
    if all(zipf(w.lower().replace("’", "'"), "en") >= HEADING_MIN_ZIPF for w in words):
        return "a line of title-case common words"
    return None


_ACRONYM_DEF = re.compile(r"((?:[a-z][\w-]*[^\S\n]+){1,12})\(([A-Z]{2,8})\)")


def _common_phrase_acronyms(text: str) -> dict[str, str]:
    """Acronyms the text defines as a lower-case phrase ("a notice of proposed rulemaking (NPRM)"):
    acronym -> the phrase. A body's name is written with capitals, so its acronym is not among them,
    unless the phrase ends in an institution word ("the border guard force (BGF)")."""
    out: dict[str, str] = {}
    for m in _ACRONYM_DEF.finditer(text):
        acr = m.group(2)
        words = m.group(1).split()[-(2 * len(acr)):]
        phrase = _expansion(acr, " ".join(words))
        # "the border guard force (BGF)": a body's name written in lower case still ends in a body word
        if phrase is not None and phrase.split()[-1].capitalize() not in INSTITUTION_WORDS:
            out.setdefault(acr, phrase)
    return out


def _expansion(acronym: str, phrase: str) -> str | None:
    """The shortest tail of ``phrase`` whose letters hold ``acronym``'s in order, its first letter opening
    a word (Schwartz and Hearst's test for an abbreviation's definition); None when there is none."""
    i = len(phrase) - 1
    for k in range(len(acronym) - 1, -1, -1):
        c = acronym[k].lower()
        while i >= 0 and (phrase[i] != c or (k == 0 and i > 0 and phrase[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
    return phrase[i + 1:]


#: Place-type words that are institution words too ("Kayin State", "Mountain Province" are places).
_PLACE_TYPE_WORDS = frozenset({"State", "Province", "District"})
#: An acronym in parentheses right after a name ("Tether (USDT)"): the name is a body or product's.
_ACRONYM_AFTER = re.compile(r"[^\S\n]*\([A-Z][A-Z0-9]{1,7}\)")


def _place_of(m: Mention) -> str | None:
    """Why ``m`` (a model or rule PERSON/ORG candidate) is a place: its name is exactly a country,
    subdivision or large city of the place gazetteer (:func:`.places.place_name`) and no word of it is an
    institution or publication word ("Tarlac Police" is not looked up; "Bank of ..." never is). A one-word
    person is left alone ("Georgia", "Austin", "Aurora" are given names too; the article's own use of the
    name as a place still counts, entities._fix_places). None otherwise."""
    if m.source not in JUDGED_SOURCES or m.label not in ("ORG", "PERSON"):
        return None
    name = m.canonical.strip()
    if m.label == "PERSON" and " " not in name:
        return None
    if any(w.capitalize() in _BODY_WORDS - _PLACE_TYPE_WORDS for w in re.findall(r"[^\W\d_][\w’'-]*", name)):
        return None
    return place_name(name)


def _acronym_bodies(text: str, mentions: list[Mention]) -> set[str]:
    """One-word person names the text writes with an acronym in parentheses after them ("Tether (USDT)",
    "Binance (BNB)"): a person is not (a person's party tag follows a full name: "Hun Manet (CPP)")."""
    return {m.canonical for m in mentions if m.source in JUDGED_SOURCES and m.label == "PERSON"
            and " " not in m.canonical.strip() and _ACRONYM_AFTER.match(text, m.end)}


def _relabel(text: str, mentions: list[Mention], dropped: list[Dropped]) -> None:
    """Kept candidates whose label the evidence changes (each change listed in ``dropped`` with its rule):
    a country's CLDR name is GPE (RULE_TERRITORY), a person name holding an institution word is ORG
    (RULE_BODY), a name of the place gazetteer is GPE (RULE_PLACE), a one-word person written with an
    acronym after it is ORG in the whole text (RULE_ACRONYM_BODY), an acronym taken for a place that is
    no place's is ORG (RULE_ACRONYM_PLACE)."""
    territories = territory_names()
    bodies = _acronym_bodies(text, mentions)
    for m in mentions:
        # a one-word country may be a person's name ("Jordan", "Chad"); "Sri Lanka" is not
        if m.source in JUDGED_SOURCES and (m.label == "ORG" or m.label == "PERSON" and " " in m.canonical) \
                and m.canonical.casefold() in territories:
            dropped.append(Dropped(m.text, m.label, m.start, m.end, RULE_TERRITORY, f"{m.canonical!r} is a country: GPE"))
            m.label = "GPE"
        if m.source in JUDGED_SOURCES and m.label == "PERSON" and len(m.canonical.split()) > 1 \
                and any(w.capitalize() in INSTITUTION_WORDS for w in m.canonical.split()):
            dropped.append(Dropped(m.text, m.label, m.start, m.end, RULE_BODY, f"{m.canonical!r} names a body: ORG"))
            m.label = "ORG"
        place = _place_of(m)
        if place is not None:
            dropped.append(Dropped(m.text, m.label, m.start, m.end, RULE_PLACE, f"{m.canonical!r} is a {place}: GPE"))
            m.label = "GPE"
        if m.source in JUDGED_SOURCES and m.label == "PERSON" and m.canonical in bodies:
            dropped.append(Dropped(m.text, m.label, m.start, m.end, RULE_ACRONYM_BODY,
                                   f"{m.canonical!r} is written with an acronym after it: ORG"))
            m.label = "ORG"
        if m.source in JUDGED_SOURCES and m.label in ("GPE", "LOC") and acronym_not_a_place(m.canonical):
            dropped.append(Dropped(m.text, m.label, m.start, m.end, RULE_ACRONYM_PLACE,
                                   f"{m.canonical!r} is the initials or name of no place: ORG"))
            m.label = "ORG"


def drop_not_names(text: str, mentions: list[Mention], language: str | None = None) -> tuple[list[Mention], list[Dropped]]:
    """(the mentions kept, the candidates dropped with their rule) of ``text`` in ``language``. A person's
    name that opens with a sentence's first word or with title words loses them (the words cut off are
    listed as dropped too, with the rule), unless nothing of a name is left, then it is dropped whole."""
    english = is_english(language)
    acronyms = _common_phrase_acronyms(text) if any(m.text.isupper() for m in mentions) else {}
    kept: list[Mention] = []
    dropped: list[Dropped] = []
    _relabel(text, mentions, dropped)
    for m in mentions:
        if m.source in JUDGED_SOURCES and m.label == "PERSON":
            cut = _cut_person_prefix(text, m)
            if cut is not None:
                dropped.append(cut)
        why = _why(text, m, english, acronyms)
        if why is None:
            kept.append(m)
        else:
            dropped.append(Dropped(m.text, m.label, m.start, m.end, *why))
    return kept, dropped


def _prefix_words(words: list[str]) -> tuple[int, str]:
    """(how many leading words are an opener or title words, the rule), (0, "") when none are."""
    if len(words) > 1 and words[0] in OPENERS:
        return 1, RULE_OPENER
    n = 0
    for i, w in enumerate(words):
        if w in TITLE_WORDS:
            n = i + 1
        elif n or i >= 2:   # at most a place of two words before the first title word
            break
    return n, (RULE_TITLE if n else "")


def _cut_person_prefix(text: str, m: Mention) -> Dropped | None:
    """Cut a sentence opener or title words off the front of person mention ``m`` (in place); what was
    cut, or None. A name of title words only is left whole (:func:`_why` drops it). The rule recogniser
    gives a surname the full name it found ("Bigombe" -> "Ms Bigombe"): that name loses them too."""
    words = m.text.split()
    n, rule = _prefix_words(words)
    if not n or n >= len(words):
        cwords = m.canonical.split()
        n, rule = _prefix_words(cwords)
        if not n or n >= len(cwords):
            return None
        old, m.canonical = m.canonical, " ".join(cwords[n:])
        return Dropped(" ".join(cwords[:n]), m.label, m.start, m.start, rule, f"cut off the name {old!r}")
    head = text[m.start:m.end]
    rest = head.split(None, n)[n]
    gone = head[:len(head) - len(rest)].rstrip()
    cut = Dropped(gone, m.label, m.start, m.start + len(gone), rule, f"cut off {m.text!r}")
    cwords = m.canonical.split()
    if m.canonical == m.text:
        m.canonical = rest
    elif cwords[:n] == words[:n] and len(cwords) > n:   # the rule recogniser's full name carries it too
        m.canonical = " ".join(cwords[n:])
    m.start, m.text = m.start + len(head) - len(rest), rest
    return cut


def _why(text: str, m: Mention, english: bool, acronyms: dict[str, str]) -> tuple[str, str] | None:
    if m.source not in JUDGED_SOURCES:
        return None
    if "\n" in m.text or "\n" in m.canonical:
        return RULE_LINE_BREAK, "runs across a line break"
    if not english and not _foreign_name_ok(m.text):
        return RULE_NOT_ENGLISH, "not a multi-word capitalised name in a text of another language"
    why = why_not_a_name(m.text, m.label)
    if why is None and m.canonical != m.text:   # the rule recogniser's "Sri" of "Sri Lankans"
        why = why_not_a_name(m.canonical, m.label)
    if why is not None:
        return why
    if m.label == "PERSON" and (m.text.split()[-1] in POST_WORDS or m.canonical.split()[-1] in POST_WORDS):
        return RULE_TITLE, "ends in a post: a post, not a person"
    if m.text in acronyms:
        return RULE_ACRONYM_OF_PHRASE, f"stands for {acronyms[m.text]!r}"
    heading = _heading(text, m)
    return (RULE_HEADING, heading) if heading else None
