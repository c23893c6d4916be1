"""Degree-of-reuse features for a short text written from one source: how it was edited.

:func:`sentence_edits` (``copies.sentence-edits-v1``) tells *cut-and-paste* from *light revision*.
Both keep most of the source's words, often in its order; the difference is what the writer did
inside the sentences they took over. Cutting only deletes (drops a parenthesis, a clause, a
sentence) or moves whole passages; revising also *inserts*: a synonym for a word, a changed verb
form, a few words of the writer's own. So, sentence by sentence:

1. each sentence of the copy is aligned (word LCS) with its closest source sentence;
2. a sentence is *derived* when at least :data:`DERIVED_SENTENCE_MIN` of its words are in that
   LCS (otherwise it is the writer's own, or restructured beyond sentence-level copying);
3. inside derived sentences, words the copy inserts in short blocks (at most
   :data:`~scamtrace.copies.align.MAX_SUBSTITUTION_WORDS` words, between two matched words) are
   word-level edits; longer insertions are the writer's own additions, not revision of the source.

The score is edited words / (matched + edited words) over derived sentences: about 0 for a cut,
0.05-0.25 for a light revision. Deletions never count, so a cut that leaves out half the source
still scores 0. Used by :func:`scamtrace.eval.copies.cs_features` (``eval.clough-stevenson-v3``).
Pure and deterministic.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import LCSseq

from .align import MAX_SUBSTITUTION_WORDS
from .tokens import sentence_spans, words

SENTENCE_EDITS_ALGORITHM = "copies.sentence-edits-v1"

# A copy sentence is "derived" from its closest source sentence when at least this share of its
# words are in their word LCS: a simple majority, fixed a priori (not tuned on any evaluation set).
DERIVED_SENTENCE_MIN = 0.5


@dataclass(frozen=True, slots=True)
class SentenceMatch:
    """One derived copy sentence, its closest source sentence and the words it inserted."""

    copy_span: tuple[int, int]             # character offsets in the copy
    source_span: tuple[int, int]           # character offsets in the source
    matched: int                           # words of the copy sentence in the LCS
    inserted: tuple[str, ...]              # short inserted blocks (word-level edits), as text

    def to_dict(self) -> dict[str, Any]:
        return {"copy": list(self.copy_span), "source": list(self.source_span), "matched": self.matched,
                "inserted": list(self.inserted)}


@dataclass(slots=True)
class SentenceEdits:
    """Word-level edits inside the copy's derived sentences (see the module docstring)."""

    matched_words: int                     # words of derived sentences in their LCS
    edited_words: int                      # words in short inserted blocks of derived sentences
    derived_words: int                     # words of the copy in derived sentences
    copy_words: int
    matches: list[SentenceMatch] = field(default_factory=list)
    algorithm: str = SENTENCE_EDITS_ALGORITHM

    @property
    def edit_rate(self) -> float:
        """Edited / (matched + edited) words in derived sentences; 1.0 when no sentence is derived
        (nothing was taken over, so nothing speaks for a cut)."""
        total = self.matched_words + self.edited_words
        return self.edited_words / total if total else 1.0

    @property
    def derived_share(self) -> float:
        """Share of the copy's words in derived sentences."""
        return self.derived_words / self.copy_words if self.copy_words else 0.0

    def evidence(self, max_sentences: int = 12) -> dict[str, Any]:
        return {"algorithm": self.algorithm, "edit_rate": round(self.edit_rate, 4),
                "derived_share": round(self.derived_share, 4), "matched_words": self.matched_words,
                "edited_words": self.edited_words,
                "sentences": [m.to_dict() for m in self.matches[:max_sentences]]}


def _sentences(text: str) -> list[tuple[tuple[int, int], list[str]]]:
    """(span, words) of each sentence of ``text`` that has words."""
    out = []
    for a, b in sentence_spans(text):
        ws = words(text[a:b])
        if ws:
            out.append(((a, b), ws))
    return out


def _short_insertions(src: list[str], cpy: list[str]) -> tuple[int, list[str]]:
    """(words matched, short inserted blocks) of ``cpy`` against ``src`` by word LCS.

    An inserted block counts as an edit when it is at most ``MAX_SUBSTITUTION_WORDS`` words long
    and lies between two matched blocks (an edit *of* the source, not an addition before or after).
    """
    ops = list(LCSseq.opcodes(src, cpy))
    matched = sum(o.dest_end - o.dest_start for o in ops if o.tag == "equal")
    inserted = []
    for i, o in enumerate(ops):
        n = o.dest_end - o.dest_start
        if o.tag == "insert" and 0 < i < len(ops) - 1 and n <= MAX_SUBSTITUTION_WORDS:
            inserted.append(" ".join(cpy[o.dest_start:o.dest_end]))
    return matched, inserted


def sentence_edits(source: str, copy: str) -> SentenceEdits:
    """Word-level edits the ``copy`` made inside the sentences it took from ``source``."""
    src = _sentences(source)
    cpy = _sentences(copy)
    copy_words = sum(len(ws) for _, ws in cpy)
    result = SentenceEdits(matched_words=0, edited_words=0, derived_words=0, copy_words=copy_words)
    if not src:
        return result
    for span, ws in cpy:
        best_span, best_ws = max(src, key=lambda s: LCSseq.similarity(ws, s[1]))
        matched, inserted = _short_insertions(best_ws, ws)
        if matched < DERIVED_SENTENCE_MIN * len(ws):
            continue
        edited = sum(len(block.split()) for block in inserted)
        result.matched_words += matched
        result.edited_words += edited
        result.derived_words += len(ws)
        result.matches.append(SentenceMatch(span, best_span, matched, tuple(inserted)))
    return result
