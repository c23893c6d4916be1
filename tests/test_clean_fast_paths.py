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
                                  paragraph_key, short_paragraph_key, split_paragraphs, word_count)
from scamtrace.ingest.scrub import scrub_text
from scamtrace.ingest.decode import _symbol_count

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


def _normalize_reference(text: str) -> str:
    """normalize_text as it was before the shortcuts (clean.normalise-v1)."""
    import unicodedata
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = text.translate(dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None))
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
    text = re.sub(r"[^\S\n]+", " ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text)
    return unicodedata.normalize("NFC", text.strip("\n "))


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
    ascii_text = text.encode("ascii", "replace").decode("ascii")   # the ASCII fast path
    assert word_count(ascii_text) == len(re.findall(r"\w+", ascii_text))
    for t in (text, ascii_text, ascii_text.upper()):
        assert paragraph_key(t) == " ".join(re.findall(r"\w+", t.casefold()))


@FAST
@given(st.one_of(TEXT, st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x2fff), max_size=400)))
def test_symbols_are_counted_as_by_category(text):
    import unicodedata
    assert _symbol_count(text) == sum(1 for ch in text if unicodedata.category(ch).startswith("S"))


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


def test_lowering_maps_no_character_into_or_out_of_the_detected_scripts():
    """detect_language looks for a script's characters in the lower-cased sample's characters."""
    for cp in range(0x110000):
        c = chr(cp)
        assert bool(metadata._ANY_SCRIPT.search(c)) == bool(metadata._ANY_SCRIPT.search(c.lower())), hex(cp)


@FAST
@given(st.one_of(TEXT, TEXT.map(lambda t: t + " Read More..."), TEXT.map(lambda t: t + "xfull story »"),
                 TEXT.map(lambda t: t + " CONTİNUE READING ->"), TEXT.map(lambda t: t + "[…] !!")))
def test_truncation_marker_reads_only_the_end(text):
    text = text.rstrip()
    assert metadata._truncation_marker(text) == bool(metadata._TRUNC_END.search(text))


@FAST
@given(TEXT)
def test_normalize_text_is_unchanged(text):
    for t in (text, text.encode("ascii", "replace").decode("ascii"), "\t " + text + "\u3000"):
        assert normalize_text(t) == _normalize_reference(t)


def test_odd_spaces_are_every_white_space_of_re():
    """The characters normalize_text looks for with ``in`` are exactly re's ``\\s`` but newline and
    space (all of Unicode is checked)."""
    from scamtrace.clean.text import _ODD_SPACES
    every = "".join(map(chr, range(0x110000))).encode("utf-8", "surrogatepass").decode("utf-8", "surrogatepass")
    assert set(_ODD_SPACES) == set(re.findall(r"\s", every)) - {"\n", " "}


@FAST
@given(TEXT, st.integers(min_value=0, max_value=40))
def test_short_paragraph_key_is_the_key_of_a_short_paragraph(text, max_words):
    for t in (text, text.encode("ascii", "replace").decode("ascii")):
        want = paragraph_key(t) if len(re.findall(r"\w+", t)) <= max_words else None
        assert short_paragraph_key(t, max_words) == want


@FAST
@given(st.one_of(TEXT, st.lists(st.integers(0xd7f0, 0xe010) | st.integers(0x20, 0x7f), max_size=20).map(
    lambda cs: "".join(map(chr, cs)))))
def test_scrub_replaces_exactly_the_surrogates(text):
    want = re.sub(r"[\ud800-\udfff]", lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}"
                  if 0xDC80 <= ord(m.group()) <= 0xDCFF else "\ufffd", text)
    assert scrub_text(text) == want
    assert scrub_text("x\udc80\ud800y") == "x\\x80\ufffdy"
