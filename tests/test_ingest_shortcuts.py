"""Shortcuts of the fourth ingest pass (issue 17 part 3) give exactly what they replace, on random
text (tests/test_clean_fast_paths.py covers the earlier ones and stays as it was)."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from scamtrace.clean.text import HAS_WORDS_PREFIX_CHARS, has_words

_PIECES = st.sampled_from(["a", "bb", "police", " ", "  ", ".", ",", "\n", "\n\n", "_", "9", "é", "日", "“", "-"])
LONG = st.lists(_PIECES, max_size=2000).map("".join)


@settings(max_examples=400, deadline=None)
@given(LONG, st.sampled_from([0, 1, 2, 10, 59, 60, 61, 200]))
def test_has_words_reads_a_prefix_first_and_still_counts_every_word(text, n):
    assert has_words(text, n) == (len(re.findall(r"\w+", text)) >= n)
    cut = n * HAS_WORDS_PREFIX_CHARS   # a word running across the prefix's end is counted once
    glued = "x" * (cut - 1) + "yy" + " z" * n
    assert has_words(glued, n + 1) and not has_words(glued, n + 2)
