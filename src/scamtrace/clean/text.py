"""Plain-text normalisation and paragraph splitting.

Paragraphs are kept as blocks separated by one blank line (``"\\n\\n"``), the form every later
stage (shingling, alignment, quotes) relies on.
"""
from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable

__all__ = ["NORMALISER", "article_size", "has_any", "has_words", "join_paragraphs", "joined_size", "normalize_text", "paragraph_key", "short_paragraph_key",
           "split_paragraphs", "word_count"]

NORMALISER = "clean.normalise-v1"

# Characters that carry no text: zero-width spaces/joiners, BOM, soft hyphen, word joiner.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_HSPACE = re.compile(r"[^\S\n]+")          # any whitespace except newline
#: Every character re's ``\\s`` matches (``str.isspace``; none above U+3000) but newline and a
#: plain space, and those of them in ASCII (the control characters among them are removed first).
_ODD_SPACES = tuple(c for c in map(chr, range(0x3001)) if c.isspace() and c not in "\n ")
_ODD_ASCII_SPACES = tuple(c for c in _ODD_SPACES if c.isascii())
_BLANKS = re.compile(r"\n{3,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_CHARS = tuple(c for c in map(chr, range(128)) if _CONTROL.match(c))
_TERMINAL = tuple('.!?:;"”’\')]…')
_WORD = re.compile(r"\w+")
#: Characters other than ASCII letters that ``re.I`` matches to an ASCII letter (İ ı ſ K): a text
#: without them matches a case-insensitive ASCII word only if its ``lower()`` holds the word.
FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")

# A block of several lines is treated as hard-wrapped prose (joined into one paragraph) only when
# its lines are no longer than this; longer lines are one paragraph each (seeds 000: one paragraph
# per line, 120-400 characters).
HARD_WRAP_MAX_LINE = 100
HARD_WRAP_MIN_LINE = 30


def has_any(text: str, parts: Iterable[str]) -> bool:
    """True when one of ``parts`` is in ``text`` (a plain loop: several times faster than
    ``any()`` over a generator for a dozen short parts)."""
    for part in parts:
        if part in text:
            return True
    return False


def normalize_text(text: str) -> str:
    """Normalise whitespace and invisible characters without changing the words.

    CRLF/CR to LF; tabs, NBSP and other spaces to one space; zero-width and
    control characters dropped; lines stripped; runs of blank lines collapsed to one blank line;
    leading and trailing blank lines removed; NFC composition. Idempotent, never raises on a ``str``.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    ascii_only = text.isascii()
    # translate() looks up every character: only when there is one to drop (none in ASCII text);
    # each character is looked for with ``in``, faster than a regular expression's character class
    if not ascii_only and has_any(text, _INVISIBLE_CHARS):
        text = text.translate(_INVISIBLE)
    if has_any(text, _CONTROL_CHARS):
        text = _CONTROL.sub("", text)
    if "  " in text or has_any(text, _ODD_ASCII_SPACES if ascii_only else _ODD_SPACES):
        text = _HSPACE.sub(" ", text)   # else every run is one plain space already
    # the only white space left is " " and "\n" (the rest was replaced or removed above), so every
    # line is stripped already unless a space touches a line break or an end
    if "\n " in text or " \n" in text or text[:1] == " " or text[-1:] == " ":
        text = "\n".join([line.strip() for line in text.split("\n")])
    if "\n\n\n" in text:
        text = _BLANKS.sub("\n\n", text)
    # composed last, so removing an invisible character cannot leave a decomposed pair behind
    text = text.strip("\n ")
    return text if ascii_only else unicodedata.normalize("NFC", text)   # ASCII text is composed


def _is_hard_wrapped(lines: list[str]) -> bool:
    """True when a multi-line block looks like prose wrapped at a fixed width.

    Three or more lines: every line but the last is 30-100 characters and most end mid-sentence.
    Two lines: the first is a long open-ended line and the second continues in lower case.
    (A short first line such as "Spread the love" above a headline is never joined.)
    """
    body = lines[:-1]
    if len(lines) == 2:
        return (HARD_WRAP_MIN_LINE <= len(lines[0]) <= HARD_WRAP_MAX_LINE and not lines[0].endswith(_TERMINAL)
                and lines[1][:1].islower())
    if any(not HARD_WRAP_MIN_LINE <= len(line) <= HARD_WRAP_MAX_LINE for line in body):
        return False
    open_ended = sum(1 for line in body if not line.endswith(_TERMINAL))
    return open_ended * 2 > len(body)


def split_paragraphs(text: str) -> list[str]:
    """Split normalised text into paragraphs.

    Blank lines always separate paragraphs. Inside a block, lines are joined when the block looks
    hard-wrapped (short lines that mostly end mid-sentence), else each line is its own paragraph.
    """
    paragraphs: list[str] = []
    for block in normalize_text(text).split("\n\n"):
        lines = [line for line in block.split("\n") if line]
        if not lines:
            continue
        if len(lines) > 1 and _is_hard_wrapped(lines):
            paragraphs.append(" ".join(lines))
        else:
            paragraphs.extend(lines)
    return paragraphs


def join_paragraphs(paragraphs: list[str]) -> str:
    """The inverse of :func:`split_paragraphs` for clean paragraphs."""
    return "\n\n".join(p for p in paragraphs if p)


def paragraph_key(paragraph: str) -> str:
    """Comparison key: casefolded words only (quotes, dashes and spacing ignored)."""
    if paragraph.isascii():   # casefold() is lower() in ASCII
        return " ".join(_ascii_words(paragraph.lower()))
    return " ".join(_WORD.findall(paragraph.casefold()))


def short_paragraph_key(paragraph: str, max_words: int) -> str | None:
    """``paragraph_key(paragraph)`` when ``word_count(paragraph) <= max_words``, else None; in ASCII
    from one list of words (lower-casing changes no word boundary there)."""
    if paragraph.isascii():
        words = _ascii_words(paragraph.lower())
        return " ".join(words) if len(words) <= max_words else None
    return paragraph_key(paragraph) if word_count(paragraph) <= max_words else None


#: Texts up to this many characters have their word count remembered (:func:`word_count`): one
#: paragraph is counted by the boilerplate rules, the metadata and the size checks of one article.
WORD_COUNT_CACHE_CHARS = 2000


def word_count(text: str) -> int:
    """Number of ``\\w+`` words."""
    return _short_word_count(text) if len(text) <= WORD_COUNT_CACHE_CHARS else _count_words(text)


def _count_words(text: str) -> int:
    if text.isascii():
        return _ascii_word_count(text)
    if not _NON_ASCII_WORD_CHAR.search(text):   # outside ASCII only separators (curly quotes, dashes)
        return _ascii_word_count(text.encode("ascii", "replace").decode("ascii"))   # each becomes "?"
    return _WORD.subn("", text)[1]   # the number of matches, without building the list of words


#: A word character (``\w``) outside ASCII.
_NON_ASCII_WORD_CHAR = re.compile(r"[^\W\x00-\x7f]")


def _ascii_word_count(text: str) -> int:
    """``len(_ascii_words(text))`` for ASCII ``text``: each word character marked "1", every other
    "0"; a run of word characters starts at each "01" and at a leading "1" (no list of words is made)."""
    marks = text.translate(_ASCII_WORD_MARKS)
    return marks.count("01") + marks.startswith("1")


_short_word_count = functools.lru_cache(maxsize=4096)(_count_words)


def _ascii_words(text: str) -> list[str]:
    """``_WORD.findall(text)`` for ASCII ``text``."""
    return text.translate(_ASCII_NON_WORD_TO_SPACE).split()


#: Every ASCII character that is not a word character (``\\w``: letters, digits, underscore) to a
#: space: in ASCII text, ``translate`` then ``split`` gives the ``\\w+`` runs, faster than the regex.
_ASCII_NON_WORD_TO_SPACE = str.maketrans({c: " " for c in map(chr, range(128)) if not re.fullmatch(r"\w", c)})
#: Every ASCII character to "1" when it is a word character, else to "0" (:func:`_ascii_word_count`).
_ASCII_WORD_MARKS = str.maketrans({c: "1" if re.fullmatch(r"\w", c) else "0" for c in map(chr, range(128))})


#: :func:`has_words` first counts the words of this many characters per word asked for.
HAS_WORDS_PREFIX_CHARS = 12


def has_words(text: str, n: int) -> bool:
    """``word_count(text) >= n``, reading no further than needed: the words of a prefix of
    :data:`HAS_WORDS_PREFIX_CHARS` characters per word are counted at once (every word run of a
    prefix starts a word run of the text, so ``n`` of them there prove it); otherwise the text's
    runs are counted up to the ``n``-th."""
    if n <= 0:
        return True
    if _count_words(text[:n * HAS_WORDS_PREFIX_CHARS]) >= n:
        return True
    return sum(1 for _ in itertools.islice(_WORD.finditer(text), n)) == n


# Scripts written without spaces between words (Thai, Lao, Burmese, Khmer, Japanese kana, CJK
# ideographs, Hangul syllables): there, two characters count as one word for size checks.
_UNSPACED = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def article_size(text: str) -> int:
    """Approximate length in words for any script: ``\\w+`` words, with scripts written without
    spaces counted at two characters a word."""
    if text.isascii():   # every script written without spaces lies outside ASCII
        return word_count(text)
    unspaced = len(_UNSPACED.findall(text))
    if not unspaced:
        return word_count(text)
    return unspaced // 2 + word_count(_UNSPACED.sub(" ", text))


def joined_size(paragraphs: list[str]) -> int:
    """``article_size(join_paragraphs(paragraphs))``, from each paragraph's (remembered) word count
    when no paragraph holds a script written without spaces (no word runs across the blank lines)."""
    for p in paragraphs:
        if not p.isascii() and _UNSPACED.search(p):
            return article_size(join_paragraphs(paragraphs))
    return sum(word_count(p) for p in paragraphs)
