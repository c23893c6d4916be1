"""The shortcuts of faster ingest (issue 17 part 3) give exactly what they replace, on random text.

Each shortcut is checked against the plain definition it stands for; the whole cleaning is checked
byte for byte on real corpora by tests/test_clean_identical.py.
"""
from __future__ import annotations

import re
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from scamtrace.clean import boilerplate, metadata
from scamtrace.clean.html import extracted_paragraphs
from scamtrace.clean.text import (article_size, has_words, join_paragraphs, joined_size, normalize_text,
                                  split_paragraphs, word_count)

# Text with the characters the shortcuts care about: ASCII letters and punctuation, white space and
# line breaks of every kind, letters outside ASCII (accented, Turkish dotted/dotless i, Kelvin sign,
# long s, Thai, CJK), curly quotes, invisible and control characters, share and appeal words.
_ALPHABET = st.sampled_from(list("aAbBzZ09_ .,;:!?-'\"\n\n\n\t\r\u00a0\u2028\u2029\u200b\u00ad\x07")
                            + ["é", "É", "ß", "İ", "ı", "ſ", "K", "“", "”", "’", "—", "…", "ก", "日", "\u0301",
                               "\u2000", "\u3000", "²", "½"])
_WORDS = st.sampled_from(["share", "tweet", "Share", "SHARE", "this", "on", "facebook", "email", "print", "the",
                          "police", "said", "Subscribe", "newsletter", "contributed", "CONTRIBUTED", "contrİbuted",
                          "de", "la", "und", "yang", "của", "Thành", "phố", "straße"])
TEXT = st.one_of(st.text(max_size=300), st.lists(st.one_of(_ALPHABET, _WORDS), max_size=80).map("".join),
                 st.lists(_WORDS, max_size=30).map(" ".join))
FAST = settings(max_examples=400, deadline=None)


def _share_bar_reference(p: str) -> str | None:
    words = re.findall(r"[a-z]+", p.lower())
    if words and len(words) <= boilerplate.STUB_MAX_WORDS and all(w in boilerplate._SHARE_WORDS for w in words) and (
            {"share", "tweet", "spread", "facebook", "twitter", "whatsapp", "email", "print"} & set(words)):
        return "share-bar"
    return None


def _language_reference(text: str) -> str | None:
    """detect_language as it was before the shortcuts (clean.lang-stopwords-v1)."""
    sample = text[:metadata.LANG_SAMPLE_CHARS]
    words = re.findall(r"[^\W\d_]+", sample.lower()) if "\u0130" not in sample else [
        w.lower() for w in re.findall(r"[^\W\d_]+", sample)]
    n_letters = sum(map(len, words))
    if not n_letters:
        return None
    for code, script in metadata._SCRIPTS:
        if len(script.findall(sample)) > 0.3 * n_letters:
            return code
    counts = Counter(words)
    total = len(words)
    if total < metadata.LANG_MIN_WORDS:
        return None
    best, hits = max(((code, sum(counts[w] for w in stop & counts.keys()))
                      for code, stop in metadata._STOPWORDS.items()), key=lambda item: item[1])
    return best if hits / total >= metadata.LANG_MIN_SHARE else None


@FAST
@given(TEXT)
def test_word_count_is_the_number_of_word_runs(text):
    assert word_count(text) == len(re.findall(r"\w+", text))
    assert word_count(text * 40) == len(re.findall(r"\w+", text * 40))   # long texts are not remembered
    for n in (0, 1, 3, 60):
        assert has_words(text, n) == (len(re.findall(r"\w+", text)) >= n)


@FAST
@given(st.lists(TEXT, max_size=6))
def test_joined_size_is_the_size_of_the_joined_paragraphs(paragraphs):
    paragraphs = [p for ps in paragraphs for p in split_paragraphs(ps)]
    assert joined_size(paragraphs) == article_size(join_paragraphs(paragraphs))


@FAST
@given(TEXT)
def test_extracted_paragraphs_are_split_paragraphs(text):
    extracted = normalize_text(text).replace("\n", "\n\n")   # what clean.html hands to cleaning
    assert extracted_paragraphs(extracted) == split_paragraphs(extracted)


@FAST
@given(TEXT)
def test_share_bar_reads_the_words_it_needs(text):
    assert boilerplate._share_bar(text) == _share_bar_reference(text)


@FAST
@given(TEXT)
def test_substring_checks_never_hide_a_match(text):
    assert boilerplate._may_appeal(text) == bool(boilerplate._APPEAL_STRONG.search(text)
                                                 or boilerplate._YOUR_SUPPORT.search(text))
    if metadata._CONTRIB_LINE.search(text):
        assert metadata._may_contribute(text)


@FAST
@given(st.one_of(TEXT, st.lists(TEXT, max_size=40).map("\n\n".join)))
def test_language_detection_is_unchanged(text):
    assert metadata.detect_language(text) == _language_reference(text)
    assert metadata.detect_language(text * 20) == _language_reference(text * 20)
