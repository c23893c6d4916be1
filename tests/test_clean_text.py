"""Text normaliser and paragraph splitting: examples and properties."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scamtrace.clean.text import join_paragraphs, normalize_text, paragraph_key, split_paragraphs

# Text made of the characters the normaliser treats specially, plus ordinary letters.
_TRICKY = st.lists(st.sampled_from(list("ab Z.,\n\r\t\u00a0\u200b\ufeff\u00ad\u2028\u2029\x00\x0b—é\u0301")),
                   max_size=200).map("".join)


def _paragraph_count(text: str) -> int:
    return len([b for b in text.split("\n\n") if b.strip()])


def test_normalize_examples():
    assert normalize_text("  a\u00a0 b\t c \r\n\r\n\r\n\n d\u200b e  ") == "a b c\n\nd e"
    assert normalize_text("cafe\u0301") == "caf\u00e9"
    assert normalize_text("") == ""
    assert normalize_text("x\x00y\x07z") == "xyz"


def test_split_line_per_paragraph_and_blank_line_blocks():
    long_a = "First paragraph of a story that runs well past one hundred characters so it is not a wrapped line at all."
    long_b = "Second paragraph, also long enough to be one paragraph on its own line, with a full stop at the very end."
    assert split_paragraphs(f"{long_a}\n{long_b}") == [long_a, long_b]
    assert split_paragraphs(f"{long_a}\n\n\n{long_b}\n") == [long_a, long_b]


def test_split_joins_hard_wrapped_prose():
    wrapped = ("The ministry said on Tuesday that the operation had\n"
               "returned hundreds of people across the border and that\n"
               "more would follow in the coming weeks.")
    assert split_paragraphs(wrapped) == [" ".join(wrapped.split("\n"))]


def test_split_keeps_short_label_above_headline():
    assert split_paragraphs("Share this\nA Headline About Something Important") == [
        "Share this", "A Headline About Something Important"]


def test_paragraph_key_ignores_quotes_and_case():
    assert paragraph_key("China’s “Crackdown” — Yields") == paragraph_key("china's crackdown - yields")


@settings(max_examples=300)
@given(st.one_of(st.text(max_size=300), _TRICKY))
def test_normalize_idempotent_and_total(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert "\n\n\n" not in once and once == once.strip()


@settings(max_examples=300)
@given(st.one_of(st.text(max_size=300), _TRICKY))
def test_normalize_never_adds_paragraphs(text):
    # normalising never splits a line: no more paragraphs than the input had non-blank lines
    nonblank_lines = sum(1 for line in text.splitlines() if line.strip())
    assert _paragraph_count(normalize_text(text)) <= nonblank_lines
    assert len(split_paragraphs(text)) <= nonblank_lines
    # and a second pass never changes the paragraph count
    assert _paragraph_count(normalize_text(normalize_text(text))) == _paragraph_count(normalize_text(text))


@settings(max_examples=200)
@given(st.one_of(st.text(max_size=300), _TRICKY))
def test_split_join_roundtrip_is_stable(text):
    paragraphs = split_paragraphs(text)
    assert all(p and p == p.strip() and "\n" not in p for p in paragraphs)
    assert split_paragraphs(join_paragraphs(paragraphs)) == paragraphs
