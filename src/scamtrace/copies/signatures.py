"""Vectorised text signatures for copy-candidate search ("copies.signatures-v1").

Three signatures, one per kind of copy the candidate index must find:

``shingle``
    Winnowed hashes of word 5-grams (Schleimer et al. 2003). Any passage of at least
    ``SHINGLE_K + SHINGLE_W - 1`` words shared by two texts yields at least one shared fingerprint,
    and the fraction of shared fingerprints estimates *containment*, so a teaser inside a long
    article or a short excerpt inside a digest are found as well as whole copies.
``stopword``
    Winnowed hashes of n-grams over the function-word skeleton of the text: stopwords kept, every
    run of content words masked to one ``*`` ("of the * in * to"). Synonym spinners swap content
    words, so the skeleton survives spinning even at high spin rates.
``facts``
    Hashes of ordered pairs of consecutive "facts" (capitalised names and numbers) plus skip-pairs.
    A paraphrase keeps the facts and their order while replacing every other word.

Everything is computed for a whole batch of texts at once with numpy on the UTF-8 bytes, which is
what makes indexing fast: byte classes come from ``bytes.translate`` (a C loop), word boundaries from
one comparison pass, and each word's polynomial hash from its bytes read 8 at a time (16-bit table
look-ups), so no per-byte 64-bit arithmetic is done. (Signatures are identical to the first
implementation of copies.signatures-v1, which summed per-byte powers; only the speed changed.)
Tokenisation here is therefore byte-based and approximates :func:`scamtrace.copies.tokens.words`
and :func:`scamtrace.copies.tokens.facts` (ASCII case folding only; numbers split at separators; no
quoted words); it only needs to be self-consistent, because signatures are compared with signatures.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from .tokens import STOPWORDS

SIGNATURES_ALGORITHM = "copies.signatures-v1"

#: Index names, in the order signatures are reported.
INDEX_NAMES: tuple[str, ...] = ("shingle", "stopword", "facts")

# Word n-gram length and winnowing window of the shingle signature. k=5, w=10 guarantee a shared
# fingerprint for any common passage of >= 14 words (excerpts are >= 30) and keep ~2/(w+1) = 18% of
# the 5-grams. Measured on synthetic excerpts (copies.synth-v1): a 30-word passage shares 2-7
# fingerprints with its source (99% share >= 3, the index's MIN_SHARED); bench/bench_synth.py (seed 7)
# excerpt recall 1.0 at 3,000 and 100,000 articles.
SHINGLE_K = 5
SHINGLE_W = 10
# Skeleton n-gram length and winnowing window of the stopword signature: 6 skeleton tokens span ~9
# words; long enough to be rare across unrelated texts once the DF cap removes the common ones,
# short enough to survive spinners that also swap a few function words ("where" -> "the place").
# Window 8 keeps ~22% of skeleton n-grams (w=4 doubled index size for no recall gain). Set on
# bench/bench_synth.py spin rates 10-60% (seed 7): stopword-index recall 1.0 at every rate.
STOPWORD_N = 6
STOPWORD_W = 8
# Facts: pairs of consecutive facts (add 2 for skip-pairs, robust to a dropped fact; on
# bench/bench_synth.py skip-pairs tripled query work with rewrite recall already 1.0 without them).
FACT_SKIPS = (1,)

_U64 = np.uint64
_P = 0x100000001B3                       # odd multiplier of the polynomial hashes
_MASK_TOKEN = np.uint64(0x6A09E667F3BCC909)   # stands for a run of content words
_Q = pow(_P, -1, 1 << 64)                # its inverse modulo 2**64
_SALT = {"shingle": 0x9E3779B97F4A7C15, "stopword": 0xC2B2AE3D27D4EB4F, "facts": 0x165667B19E3779F9}

# Typographic characters folded to ASCII before hashing (as tokens.normalize does).
_FOLD = (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'),
         ("\u2013", "-"), ("\u2014", "-"), ("\u00a0", " "))


_hash_tables: dict[str, list[np.ndarray]] = {}


def reset_caches() -> None:
    """Drop the module-level caches (tests call this; they are rebuilt on demand)."""
    _stop_cache.clear()
    _hash_tables.clear()


def mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser, vectorised (a bijection on uint64 that spreads every input bit)."""
    x = x.astype(_U64, copy=True)
    x ^= x >> _U64(30)
    x *= _U64(0xBF58476D1CE4E5B9)
    x ^= x >> _U64(27)
    x *= _U64(0x94D049BB133111EB)
    x ^= x >> _U64(31)
    return x


@dataclass(slots=True)
class WordTable:
    """Words of a batch of texts: one row per word, in text order, texts one after another."""

    hashes: np.ndarray     # uint64 hash of the lower-cased word
    doc: np.ndarray        # int64 index of the text the word belongs to
    fact: np.ndarray       # bool: the word is a fact (a number or a capitalised name)
    n_docs: int


def _member(x: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """``np.isin(x, sorted_set)`` for a sorted ``sorted_set``, by binary search (no big sort)."""
    if sorted_set.size == 0:
        return np.zeros(x.shape, dtype=bool)
    i = np.searchsorted(sorted_set, x)
    i[i == sorted_set.size] = 0
    return sorted_set[i] == x


def _fold(text: str) -> str:
    for a, b in _FOLD:
        if a in text:
            text = text.replace(a, b)
    return text


# Byte classes (bit flags) and ASCII lower-casing, as lookup tables over the 256 byte values.
_ALNUM, _UPPER, _DIGIT, _ENDER, _APO = 1, 2, 4, 8, 16
_CLASS = np.zeros(256, dtype=np.uint8)
_CLASS[ord("a") : ord("z") + 1] |= _ALNUM
_CLASS[ord("A") : ord("Z") + 1] |= _ALNUM | _UPPER
_CLASS[ord("0") : ord("9") + 1] |= _ALNUM | _DIGIT
_CLASS[128:] |= _ALNUM                      # bytes of non-ASCII letters
for _ch in ".!?\n":                          # a sentence or paragraph ends in the gap before a word
    _CLASS[ord(_ch)] |= _ENDER
_CLASS[ord("'")] |= _APO
_WORD_BYTES = bytes((_CLASS & _ALNUM).tolist())         # translate tables: 1 for the class, else 0
_ENDER_BYTES = bytes(((_CLASS & _ENDER) >> 3).tolist())
_APOSTROPHE = ord("'")

# Largest number of UTF-8 bytes tokenised in one vectorised pass (bounds the temporary arrays, about
# 12 bytes per text byte). Larger batches are processed in chunks.
MAX_CHUNK_BYTES = 1 << 25


def word_table(texts: Sequence[str]) -> WordTable:
    """Tokenise and hash all ``texts`` at once (see the module docstring for the tokenisation)."""
    chunks: list[WordTable] = []
    lo = 0
    while lo < len(texts):
        hi, size = lo, 0
        while hi < len(texts) and (hi == lo or size + len(texts[hi]) <= MAX_CHUNK_BYTES // 2):
            size += len(texts[hi])
            hi += 1
        t = _word_table_chunk(texts[lo:hi])
        t.doc += lo
        chunks.append(t)
        lo = hi
    if len(chunks) == 1:
        chunks[0].n_docs = len(texts)
        return chunks[0]
    return WordTable(np.concatenate([c.hashes for c in chunks]) if chunks else np.zeros(0, _U64),
                     np.concatenate([c.doc for c in chunks]) if chunks else np.zeros(0, np.int64),
                     np.concatenate([c.fact for c in chunks]) if chunks else np.zeros(0, bool),
                     len(texts))


def _word_hashes(words64: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Hash of every word ``[starts[i], ends[i])`` of the lower-cased bytes viewed as ``words64``.

    The hash is ``mix64(sum(c[i] * Q**i) ^ len)`` over the word's bytes ``c`` (Q = P**-1 mod 2**64).
    It is computed 8 bytes at a time: each little-endian 8-byte integer of the word (bytes past
    its end masked to 0) is split into four 16-bit parts whose contributions come from tables.
    """
    length = ends - starts
    h = np.zeros(starts.size, dtype=_U64)
    k, idx = 0, np.arange(starts.size)
    while idx.size:                       # words longer than 8 bytes: rare, a few rounds at most
        rest = length[idx] - 8 * k
        v = _load(words64, starts[idx] + 8 * k, rest).view(np.uint16).reshape(-1, 4)
        tabs = _byte_tables()
        part = tabs[0][v[:, 0]] + tabs[1][v[:, 1]] + tabs[2][v[:, 2]] + tabs[3][v[:, 3]]
        if k:
            part *= _U64(pow(_Q, 8 * k, 1 << 64))
            h[idx] += part
        else:
            h = part
        k += 1
        idx = idx[rest > 8]
    return mix64(h ^ length.astype(_U64))


def _byte_tables() -> list[np.ndarray]:
    """``T[m][x] = lo(x) * Q**(2m) + hi(x) * Q**(2m + 1)`` for the 16-bit parts x of 8 bytes (cached)."""
    if "t" not in _hash_tables:
        x = np.arange(1 << 16, dtype=_U64)
        lo, hi = x & _U64(0xFF), x >> _U64(8)
        _hash_tables["t"] = [lo * _U64(pow(_Q, 2 * m, 1 << 64)) + hi * _U64(pow(_Q, 2 * m + 1, 1 << 64))
                             for m in range(4)]
    return _hash_tables["t"]


def _load(words64: np.ndarray, at: np.ndarray, length: np.ndarray) -> np.ndarray:
    """The bytes ``at .. at + min(length, 8) - 1`` of the buffer ``words64`` as little-endian uint64
    (two aligned loads and shifts; the buffer has 8 bytes of padding past every position read)."""
    j = at >> 3
    r = ((at & 7) << 3).astype(_U64)
    v = (words64[j] >> r) | ((words64[j + 1] << _U64(1)) << (_U64(63) - r))
    keep = ((8 - np.minimum(length, 8)) << 3).astype(_U64)   # clear the bytes past the word
    return (v << keep) >> keep


def _word_table_chunk(texts: Sequence[str]) -> WordTable:
    """:func:`word_table` for one chunk of texts."""
    n_docs = len(texts)
    empty = WordTable(np.zeros(0, dtype=_U64), np.zeros(0, np.int64), np.zeros(0, bool), n_docs)
    if n_docs == 0:
        return empty
    parts = [_fold(t).encode("utf-8", "surrogatepass") for t in texts]
    sizes = np.fromiter((len(p) + 1 for p in parts), dtype=np.int64, count=n_docs)
    # Texts are joined with "\n" (so no word spans two texts) between "\n" and zero padding to a
    # multiple of 8 bytes plus 16 (room for the 8-byte loads of _load).
    body = b"\n" + b"\n".join(parts) + b"\n"
    joined = body + bytes(16 + (-len(body)) % 8)
    doc_start = np.ones(n_docs, dtype=np.int64)
    np.cumsum(sizes[:-1], out=doc_start[1:])
    doc_start[1:] += 1

    # Byte classes by bytes.translate (a C loop, much faster than a numpy table look-up).
    isw = np.frombuffer(joined.translate(_WORD_BYTES), dtype=bool)
    # An apostrophe between two word characters is part of the word ("don't", "China's").
    apo = np.flatnonzero(np.frombuffer(joined, dtype=np.uint8)[1:-1] == _APOSTROPHE) + 1
    if apo.size:
        isw = isw.copy()
        isw[apo] = isw[apo - 1] & isw[apo + 1]
    edge = np.flatnonzero(np.not_equal(isw[1:], isw[:-1])) + 1
    starts, ends = edge[0::2], edge[1::2]        # runs alternate start, end (both ends are not words)
    if starts.size == 0:
        return empty

    h = _word_hashes(np.frombuffer(joined.lower(), dtype=_U64), starts, ends)
    # Text of each word: texts are contiguous, so count the words of each text.
    first_word = np.searchsorted(starts, doc_start)
    doc = np.repeat(np.arange(n_docs, dtype=np.int64), np.diff(np.append(first_word, starts.size)))
    # Sentence starts: an ender byte (. ! ? newline) in the gap before the word; enders are never
    # inside words, so each ender marks the first word after it.
    sent_start = np.zeros(starts.size + 1, dtype=bool)
    enders = np.flatnonzero(np.frombuffer(joined.translate(_ENDER_BYTES), dtype=bool))
    sent_start[np.searchsorted(starts, enders)] = True
    sent_start = sent_start[:-1]
    sent_start[first_word[first_word < starts.size]] = True
    first_cls = np.take(_CLASS, np.frombuffer(joined, dtype=np.uint8)[starts])
    fact = _fact_mask(first_cls, starts, ends, h, doc, sent_start)
    return WordTable(h, doc, fact, n_docs)


def _fact_mask(first_cls: np.ndarray, starts: np.ndarray, ends: np.ndarray, h: np.ndarray,
               doc: np.ndarray, sent_start: np.ndarray) -> np.ndarray:
    """Numbers, and capitalised non-stopword words of >= 2 characters that are names.

    A capitalised word that opens a sentence or paragraph counts only when the same word also
    occurs capitalised inside a sentence of the same text (as in :func:`tokens.facts`).
    """
    is_num = (first_cls & _DIGIT).astype(bool)
    ci = np.flatnonzero((first_cls & _UPPER).astype(bool) & ((ends - starts) >= 2))
    ci = ci[~is_stopword_hash(h[ci])]                # capitalised, not a stopword
    if ci.size == 0:
        return is_num
    key = h[ci] ^ mix64(doc[ci].astype(_U64))         # the word within its text
    opens = sent_start[ci]
    name = ~opens
    name[opens] = _member(key[opens], np.sort(key[~opens]))
    fact = is_num
    fact[ci[name]] = True
    return fact


_stop_cache: dict[str, np.ndarray] = {}


def stopword_hashes() -> np.ndarray:
    """Sorted hashes of :data:`tokens.STOPWORDS` under this module's word hash."""
    if "s" not in _stop_cache:
        _stop_cache["s"] = np.array([], dtype=_U64)   # guard recursion through _fact_mask
        _stop_cache.pop("t", None)
        table = word_table([" ".join(sorted(STOPWORDS))])
        hs = np.unique(table.hashes)
        # Direct-address table on the low hash bits, sized so no two stopwords share a slot.
        bits = 10
        while np.unique(hs & _U64((1 << bits) - 1)).size < hs.size:
            bits += 1
        slots = np.zeros(1 << bits, dtype=_U64)
        slots[(hs & _U64((1 << bits) - 1)).astype(np.int64)] = hs
        _stop_cache["t"] = slots
        _stop_cache["s"] = hs
    return _stop_cache["s"]


def is_stopword_hash(h: np.ndarray) -> np.ndarray:
    """Which word hashes are stopword hashes (one table look-up per word)."""
    stopword_hashes()
    slots = _stop_cache.get("t")
    if slots is None:
        return np.zeros(h.shape, dtype=bool)
    return np.take(slots, (h & _U64(slots.size - 1)).astype(np.intp)) == h


def _ngrams(h: np.ndarray, doc: np.ndarray, n: int, salt: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of the n-grams of ``h`` that lie inside one text, with their text index."""
    m = h.size - n + 1
    if m <= 0:
        return np.zeros(0, _U64), np.zeros(0, np.int64)
    acc = h[:m].copy()
    for j in range(1, n):
        acc = acc * _U64(_P) + h[j : j + m]
    valid = doc[:m] == doc[n - 1 :]
    return mix64(acc[valid] ^ _U64(salt)), doc[:m][valid]


def _sliding_min(g: np.ndarray, w: int) -> np.ndarray:
    """Minimum of every window of ``w`` consecutive values (``len(g) - w + 1`` results), by doubling."""
    r, span = g, 1
    while span * 2 <= w:
        r = np.minimum(r[:-span], r[span:])
        span *= 2
    if span < w:
        r = np.minimum(r[: r.size - (w - span)], r[w - span :])
    return r


def _winnow(g: np.ndarray, doc: np.ndarray, w: int, n_docs: int) -> tuple[np.ndarray, np.ndarray]:
    """Winnowing: the minimum of every window of ``w`` consecutive hashes of one text.

    Texts with fewer than ``w`` hashes keep their single minimum.
    """
    if g.size == 0:
        return g, doc
    vals, docs = [], []
    if g.size >= w:
        mins = _sliding_min(g, w)
        ok = doc[: g.size - w + 1] == doc[w - 1 :]
        mins, mdoc = mins[ok], doc[: g.size - w + 1][ok]
        if mins.size:   # consecutive windows usually share their minimum: keep it once
            new = np.concatenate(([True], (mins[1:] != mins[:-1]) | (mdoc[1:] != mdoc[:-1])))
            vals.append(mins[new])
            docs.append(mdoc[new])
    counts = np.bincount(doc, minlength=n_docs)
    short = np.flatnonzero((counts > 0) & (counts < w))
    if short.size:   # rare: texts of fewer than w n-grams keep their minimum
        offs = np.concatenate(([0], np.cumsum(counts)))
        vals.append(np.array([g[offs[d] : offs[d + 1]].min() for d in short], dtype=_U64))
        docs.append(short.astype(np.int64))
    if not vals:
        return np.zeros(0, _U64), np.zeros(0, np.int64)
    return np.concatenate(vals), np.concatenate(docs)


def _skeleton(t: WordTable) -> tuple[np.ndarray, np.ndarray]:
    """Function-word skeleton: stopwords kept, each run of content words replaced by one mask."""
    stop = is_stopword_hash(t.hashes)
    tok = np.where(stop, t.hashes, _MASK_TOKEN)
    same_doc = np.concatenate(([False], t.doc[1:] == t.doc[:-1]))
    prev_mask = np.concatenate(([False], ~stop[:-1]))
    keep = stop | ~(prev_mask & same_doc)
    return tok[keep], t.doc[keep]


def _fact_pairs(t: WordTable) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of (fact, next fact) and (fact, fact after next) pairs, per text."""
    fh, fd = t.hashes[t.fact], t.doc[t.fact]
    if fh.size:   # drop immediate repeats of the same fact
        rep = np.concatenate(([False], (fh[1:] == fh[:-1]) & (fd[1:] == fd[:-1])))
        fh, fd = fh[~rep], fd[~rep]
    out_h, out_d = [], []
    for skip in FACT_SKIPS:
        m = fh.size - skip
        if m <= 0:
            continue
        ok = fd[:m] == fd[skip:]
        pair = fh[:m] * _U64(_P) + fh[skip:] + _U64(skip)
        out_h.append(mix64(pair[ok] ^ _U64(_SALT["facts"])))
        out_d.append(fd[:m][ok])
    if not out_h:
        return np.zeros(0, _U64), np.zeros(0, np.int64)
    return np.concatenate(out_h), np.concatenate(out_d)


def _csr(h: np.ndarray, d: np.ndarray, n_docs: int) -> tuple[np.ndarray, np.ndarray]:
    """Unique hashes per text as (hashes, offsets): ``hashes[offsets[i]:offsets[i+1]]`` is text i."""
    if n_docs < (1 << 20):   # one sort on (text, high hash bits) instead of a two-key lexsort
        order = np.argsort((d.astype(_U64) << _U64(44)) | (h >> _U64(20)), kind="stable")
    else:
        order = np.lexsort((h, d))
    h, d = h[order], d[order]
    if h.size:
        dup = np.concatenate(([False], (h[1:] == h[:-1]) & (d[1:] == d[:-1])))
        h, d = h[~dup], d[~dup]
    offsets = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(np.bincount(d, minlength=n_docs), out=offsets[1:])
    return h, offsets


@dataclass(slots=True)
class SignatureBatch:
    """Signatures of a batch of texts: per index name, CSR arrays (hashes, offsets)."""

    n_docs: int
    parts: dict[str, tuple[np.ndarray, np.ndarray]]

    def of(self, i: int) -> dict[str, np.ndarray]:
        """The signatures of text ``i`` (unique uint64 arrays per index name)."""
        return {name: h[o[i] : o[i + 1]] for name, (h, o) in self.parts.items()}


def signature_batch(texts: Sequence[str]) -> SignatureBatch:
    """Compute all three signatures for every text of ``texts`` in one vectorised pass."""
    t = word_table(texts)
    n = t.n_docs
    g, gd = _ngrams(t.hashes, t.doc, SHINGLE_K, _SALT["shingle"])
    sh, shd = _winnow(g, gd, SHINGLE_W, n)
    sk, skd = _skeleton(t)
    g2, gd2 = _ngrams(sk, skd, STOPWORD_N, _SALT["stopword"])
    st, std = _winnow(g2, gd2, STOPWORD_W, n)
    fa, fad = _fact_pairs(t)
    parts = {"shingle": _csr(sh, shd, n), "stopword": _csr(st, std, n), "facts": _csr(fa, fad, n)}
    return SignatureBatch(n, parts)


def signature(text: str) -> dict[str, np.ndarray]:
    """The signatures of one text: index name -> unique uint64 hashes."""
    return signature_batch([text]).of(0)


def to_signed(h: np.ndarray) -> np.ndarray:
    """uint64 hashes as int64 (same bits), the form SQLite INTEGER columns store."""
    return h.astype(_U64, copy=False).view(np.int64)


def index_rows(article_id: str, text: str) -> Iterator[tuple[str, int]]:
    """(index name, signed 64-bit hash) rows for an inverted index kept in SQLite.

    ``article_id`` is not part of the hash; it is taken so a store can call this per article and
    key every row by it. Rows are unique per article; hashes fit an SQLite INTEGER.
    """
    if not isinstance(article_id, str) or not article_id:
        raise ValueError(f"article_id must be a non-empty str, got {article_id!r}")
    for name, h in signature(text).items():
        for v in to_signed(h).tolist():
            yield name, v
