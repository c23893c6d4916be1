"""Shortcuts of the fourth and fifth ingest passes (issue 17 part 3) give exactly what they replace,
on random text (tests/test_clean_fast_paths.py covers the earlier ones and stays as it was)."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from scamtrace.clean import text as clean_text
from scamtrace.clean.text import HAS_WORDS_PREFIX_CHARS, _count_words, has_words
from scamtrace.clean import metadata
from scamtrace.ingest import decode

_PIECES = st.sampled_from(["a", "bb", "police", " ", "  ", ".", ",", "\n", "\n\n", "_", "9", "é", "日", "“", "-"])
LONG = st.lists(_PIECES, max_size=2000).map("".join)


@settings(max_examples=400, deadline=None)
@given(LONG, st.sampled_from([0, 1, 2, 10, 59, 60, 61, 200]))
def test_has_words_reads_a_prefix_first_and_still_counts_every_word(text, n):
    assert has_words(text, n) == (len(re.findall(r"\w+", text)) >= n)
    cut = n * HAS_WORDS_PREFIX_CHARS   # a word running across the prefix's end is counted once
    glued = "x" * (cut - 1) + "yy" + " z" * n
    assert has_words(glued, n + 1) and not has_words(glued, n + 2)


def _looks_like_text_reference(text: str) -> bool:
    """looks_like_text as it was before the bounds of the fifth pass."""
    chars = "".join(text[:decode.TEXT_LIKE_SAMPLE].split())
    if len(chars) < decode.TEXT_LIKE_MIN_CHARS:
        return True
    if len(set(chars)) / len(chars) > decode.MAX_DISTINCT_SHARE:
        return False
    visible = "".join(decode.strip_tags(text[:decode.TEXT_LIKE_SAMPLE * 4]).split())[:decode.TEXT_LIKE_SAMPLE]
    if len(visible) < decode.TEXT_LIKE_MIN_CHARS:
        return True
    return decode._symbol_count(visible) / len(visible) <= decode.MAX_SYMBOL_SHARE


# Letters, white space, tags, ASCII and other symbols, characters outside ASCII (varied ideographs, so
# the distinct share can pass 0.8), in proportions that put both shares on either side of their limits.
_TEXTY = st.one_of(st.sampled_from(["a", "e", "police ", " ", "\n", "<p>", "</b>", "$", "+", "=", "|", "~", "©", "€",
                                    "½", "“", "é", "<script>x</script>", "<!-- c -->"]),
                   st.characters(min_codepoint=0x4e00, max_codepoint=0x4fff), st.characters(min_codepoint=0xa0))
TEXTY = st.one_of(st.lists(_TEXTY, min_size=150, max_size=1500).map("".join),
                  st.text(min_size=200, max_size=5000))


@settings(max_examples=500, deadline=None)
@given(TEXTY)
def test_looks_like_text_bounds_decide_as_the_full_count(text):
    assert decode.looks_like_text(text) == _looks_like_text_reference(text)


# ASCII, and separators outside ASCII (curly quotes, dashes, a combining accent, a lone surrogate, no-break
# space), with or without one word character outside ASCII: each path of the word count
_SEPARATED = st.lists(st.sampled_from(["a", "Bb", "9", "_", " ", ".", "-", "\n", "“", "”", "’", "—", "…", "\u0301",
                                       "\ud800", "\u00a0", "½", "²"]), max_size=300).map("".join)


@settings(max_examples=500, deadline=None)
@given(_SEPARATED, st.sampled_from(["", "é", "日", "ß", "١"]))
def test_word_count_marks_word_characters_as_the_pattern_reads_them(text, letter):
    for t in (text, text + letter, letter + text):
        assert _count_words(t) == len(re.findall(r"\w+", t))


_DATE_PIECES = st.sampled_from(["October", "Oct.", "Sept", "24", "4th", "1", ",", " ", "2023", "1999", "2019", "1899",
                                "-", "10-24", "2023-10-24", "2023-02-30", "20", "19", "x", "Published"])


@settings(max_examples=500, deadline=None)
@given(st.lists(_DATE_PIECES, max_size=12).map("".join), st.lists(_DATE_PIECES, max_size=12).map(" ".join))
def test_parse_date_skips_only_text_without_a_year(glued, spaced):
    for text in (glued, spaced):
        found = None
        for pattern in metadata._DATE_PATTERNS:   # parse_date without its year check
            for m in pattern.finditer(text):
                g = m.groupdict()
                month = int(g["mnum"]) if g.get("mnum") else metadata._MONTHS[g["month"][:3].lower()]
                try:
                    found = found or metadata.dt.date(int(g["year"]), month, int(g["day"]))
                except ValueError:
                    continue
            if found:
                break
        assert metadata.parse_date(text) == found


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_SEPARATED, st.sampled_from(["ไทย", "日本語", "한국", "ລາວ", "police said"])), max_size=8))
def test_article_size_skips_the_script_search_only_in_ascii(parts):
    """article_size and joined_size against their definition (scripts without spaces: two characters a word)."""
    def reference(t: str) -> int:
        n = len(clean_text._UNSPACED.findall(t))
        return n // 2 + len(re.findall(r"\w+", clean_text._UNSPACED.sub(" ", t))) if n else len(re.findall(r"\w+", t))
    for t in parts + ["".join(parts)]:
        assert clean_text.article_size(t) == reference(t)
    paragraphs = [p for p in parts if p.strip()]
    assert clean_text.joined_size(paragraphs) == reference("\n\n".join(paragraphs))
