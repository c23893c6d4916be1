"""Each classified pair's decision, remembered with exactly what it read (``copies.pair-memo-v2``, issue 17 part 2).

An incremental analyze classifies again the pairs of two old articles that sit in the new articles'
neighbourhood (their family or link partner was touched): about half of the pairs of a 100-article run into
20,000. :func:`~.classify.classify_pair` is a function of

- the two article records (text, outlet, url, dates, credit, dateline, language: every field is hashed);
- the two spin scores it is given (which come from the corpus collocation model and may change with any batch);
- when it is given the corpus's word-pair frequencies (``usage``, the direction's usage votes, only for a
  spun or rewritten pair that nothing before them ordered), the frequencies of the pairs it looked up;
- the code it runs (the modules the classifier, the engine's call of it and this memo import, directly or not:
  :func:`code_files`; the algorithm versions are in them) and its data files, the versions of the libraries it
  calls, and the switches of its optional parts. v1 digested every module of the copies package, so a change of
  the candidate index or of the incremental run, which act before the classifier, made every decision stale
  (session 20: 0 of the 76 old pairs of a 100-article run into 100,000 remembered after such a change; 75 of
  them had both spin scores unchanged); v2 follows the imports instead (and so also digests ``clean/datelines.py``,
  which the features read and v1 left out).

So a decision is kept with a digest of all but the frequencies (:func:`inputs_digest`) and the frequencies it
read (:class:`RecordedUsage`: key, present, value); it is used again only when the digest is the same and every
frequency it read is the same now. Anything else (another spin score, an edited text, a changed count, new
code) recomputes it. The links it gives are exactly those of a new classification (tests/test_pair_memo.py).
A decision is kept only when its link survives the storage round trip unchanged (JSON), and not at all when
the story-context rewrite or the pair model is on (their input is the call's neighbourhood, or a file).

A decision that is None (no relation: most pairs) reads neither the spin scores nor the frequencies, but its
digest holds the spin scores all the same: the key is one digest for every pair, and a spin score changes
seldom (only when a text's learned collocations change).
"""
from __future__ import annotations

import ast
import dataclasses
import hashlib
import json
import zlib
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from importlib import metadata, resources
from typing import Any

from ..graph import reachable
from ..model import Article, Link
from .pairmodel import enabled as pairmodel_enabled
from .storyctx import enabled as storyctx_enabled

PAIR_MEMO_ALGORITHM = "copies.pair-memo-v2"

#: One remembered decision: (inputs digest, the frequencies read as (head, partner, present, value) rows in
#: JSON, the link as zlib-compressed JSON or None for no relation).
MemoRow = tuple[str, str, "bytes | None"]
Compute = Callable[["Mapping[tuple[str, str], int] | None"], "Link | None"]


#: The modules a classification runs from: the classifier, the engine's call of it (the prepared features, the
#: spin scores and frequencies it passes) and this memo; :func:`code_digest` follows their imports.
CODE_ROOTS = ("copies/classify.py", "copies/engine.py", "copies/memo.py")


def _imported(path: str, tree: ast.AST) -> Iterator[str]:
    """The scamtrace modules (as paths under the package, ``copies/spin.py``) that the module at ``path`` imports
    anywhere in it (a function's own import too), relative or absolute; a name imported from a package that is
    itself a module counts as that module."""
    here = path.split("/")[:-1]
    root = resources.files("scamtrace")
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[:len(here) - (node.level - 1)] if node.level > 1 else list(here)
                parts = base + (node.module.split(".") if node.module else [])
            elif node.module and node.module.split(".")[0] == "scamtrace":
                parts = node.module.split(".")[1:]
            else:
                continue
            names = [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            mods = [a.name.split(".")[1:] for a in node.names if a.name.split(".")[0] == "scamtrace"]
            for m in mods:
                yield from _module_paths(root, m, [])
            continue
        else:
            continue
        yield from _module_paths(root, parts, names)


def _module_paths(root: Any, parts: list[str], names: list[str]) -> Iterator[str]:
    """The files of module ``parts`` (a package: its ``__init__.py``, and the names imported from it that are its
    modules)."""
    rel = "/".join(parts)
    if parts and root.joinpath(*parts[:-1], parts[-1] + ".py").is_file():
        yield rel + ".py"
        return
    if parts and not root.joinpath(*parts, "__init__.py").is_file():
        return
    if parts:
        yield rel + "/__init__.py"
    for name in names:
        if root.joinpath(*parts, name + ".py").is_file():
            yield "/".join(parts + [name]) + ".py"


def code_files() -> list[str]:
    """The scamtrace modules :data:`CODE_ROOTS` import, directly or through each other (paths, sorted)."""
    root = resources.files("scamtrace")

    def imports(path: str) -> Iterator[str]:
        return _imported(path, ast.parse(root.joinpath(*path.split("/")).read_text(encoding="utf-8")))

    return sorted(reachable(CODE_ROOTS, imports))


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of what :func:`~.classify.classify_pair` runs: the modules it imports, directly or not, from the
    classifier, the engine and this memo (:func:`code_files`: not the candidate index, the incremental run or the
    families, which act before or after it), the spinner rules, outlet countries and pair model data, and the versions
    of the libraries it calls (a change of any of them, versioned or not, makes every remembered decision stale)."""
    h = hashlib.sha256(PAIR_MEMO_ALGORITHM.encode())
    root = resources.files("scamtrace")
    for rel in code_files():
        h.update(rel.encode() + b"\0" + root.joinpath(*rel.split("/")).read_bytes())
    for data in (("data", "spinner_synonyms.tsv"), ("data", "outlet_countries.tsv"), ("data", "pairmodel-v1.json")):
        p = root.joinpath(*data)
        h.update("/".join(data).encode() + b"\0" + (p.read_bytes() if p.is_file() else b"-"))
    for dist in ("rapidfuzz", "wordfreq", "numpy"):
        try:
            version = metadata.version(dist)
        except metadata.PackageNotFoundError:
            version = "-"
        h.update(f"{dist}={version}".encode())
    return h.hexdigest()


def enabled() -> bool:
    """Can decisions be remembered? Not while the story-context rewrite or the pair model is on."""
    return not storyctx_enabled() and not pairmodel_enabled()


def article_digest(a: Article) -> str:
    """A digest of every field of an article record (what the classifier and the direction may read)."""
    d = a.to_dict()
    return hashlib.sha256(json.dumps(d, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def inputs_digest(a: str, b: str, spin_a: float, spin_b: float, voted: bool) -> str:
    """The digest of one classification's inputs but the frequencies: the two records' digests (``a`` for the
    smaller id), their spin scores (exact), whether the frequencies are given, and :func:`code_digest`."""
    return hashlib.sha256(f"{code_digest()}|{a}|{b}|{spin_a!r}|{spin_b!r}|{int(voted)}".encode()).hexdigest()


class RecordedUsage(Mapping[tuple[str, str], int]):
    """The corpus's word-pair frequencies as one classification reads them: every key asked is recorded with
    what it found. Iterating or taking the length (reading everything) marks the decision as not to be kept."""

    def __init__(self, df: Mapping[tuple[str, str], int]):
        self._df = df
        self.reads: dict[tuple[str, str], tuple[bool, int | None]] = {}
        self.whole = False

    def _read(self, key: tuple[str, str]) -> tuple[bool, int | None]:
        got = self.reads.get(key)
        if got is None:
            present = key in self._df
            got = self.reads[key] = (present, self._df[key] if present else None)
        return got

    def __getitem__(self, key: tuple[str, str]) -> int:
        present, value = self._read(key)
        if not present:
            raise KeyError(key)
        return value  # type: ignore[return-value]

    def get(self, key: tuple[str, str], default: Any = None) -> Any:  # type: ignore[override]
        present, value = self._read(key)
        return value if present else default

    def __contains__(self, key: object) -> bool:
        return self._read(key)[0] if isinstance(key, tuple) else False  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        self.whole = True
        return iter(self._df)

    def __len__(self) -> int:
        self.whole = True
        return len(self._df)


def _reads_json(reads: Mapping[tuple[str, str], tuple[bool, int | None]]) -> str:
    return json.dumps(sorted([h, p, present, value] for (h, p), (present, value) in reads.items()),
                      separators=(",", ":"))


def _reads_hold(reads: str, usage: Mapping[tuple[str, str], int] | None) -> bool:
    """Does ``usage`` hold now what the remembered decision read?"""
    rows = json.loads(reads)
    if not rows:
        return True
    if usage is None:
        return False
    for h, p, present, value in rows:
        key = (h, p)
        now = key in usage
        if now != present or (now and usage[key] != value):
            return False
    return True


def link_blob(link: Link) -> bytes | None:
    """The link as compressed JSON, or None when JSON would not give it back equal (a tuple, a non-string key);
    dictionaries keep the order of their keys (the links table stores the evidence as written)."""
    d = {f.name: getattr(link, f.name) for f in dataclasses.fields(link)}   # the evidence is not copied: JSON reads it
    try:
        text = json.dumps(d, separators=(",", ":"), allow_nan=False)   # keys in their order: the stored evidence keeps it
    except (TypeError, ValueError):
        return None
    if json.loads(text) != d:
        return None
    return zlib.compress(text.encode(), 6)


def blob_link(blob: bytes) -> Link:
    return Link(**json.loads(zlib.decompress(blob)))


class PairMemo:
    """The remembered decisions one copies run reads and the ones it adds.

    ``fetch(pairs)`` returns the stored rows of those id pairs (smaller id first) that have one; ``read``:
    use stored decisions (False: compute every pair again, but keep what was computed, as ``analyze --full``).
    :meth:`classify` answers one pair; :attr:`written` holds the rows to store (``{(a, b): MemoRow}``)."""

    def __init__(self, fetch: Callable[[list[tuple[str, str]]], Mapping[tuple[str, str], MemoRow]], *,
                 read: bool = True):
        self._fetch = fetch
        self.read = read and enabled()
        self.keep = enabled()
        self._rows: dict[tuple[str, str], MemoRow | None] = {}
        self._digests: dict[int, tuple[Article, str]] = {}
        self.written: dict[tuple[str, str], MemoRow] = {}
        self.hits = 0
        self.computed = 0

    def take(self) -> dict[tuple[str, str], MemoRow]:
        """The rows added since the last call, to be stored; forgets every row read or added (a long pass over a
        store holds one part at a time)."""
        out, self.written = self.written, {}
        self._rows.clear()
        self._digests.clear()
        return out

    def preload(self, pairs: list[tuple[str, str]]) -> None:
        """Read the stored rows of ``pairs`` at once (instead of one query per pair)."""
        if not self.read:
            return
        todo = sorted({(min(a, b), max(a, b)) for a, b in pairs} - self._rows.keys())
        if todo:
            got = self._fetch(todo)
            for p in todo:
                self._rows[p] = got.get(p)

    def _row(self, pair: tuple[str, str]) -> MemoRow | None:
        if pair not in self._rows:
            self.preload([pair])
        return self._rows.get(pair)

    def _digest(self, a: Article) -> str:
        got = self._digests.get(id(a))
        if got is None or got[0] is not a:
            got = self._digests[id(a)] = (a, article_digest(a))
        return got[1]

    def classify(self, a: Article, b: Article, spin_a: float, spin_b: float,
                 usage: Mapping[tuple[str, str], int] | None, compute: Compute) -> Link | None:
        """``compute(usage)`` (the classification of ``a`` and ``b`` with these spin scores), or the remembered
        decision when its inputs are the same and the frequencies it read are unchanged."""
        if not self.keep:
            return compute(usage)
        if b.id < a.id:
            a, b, spin_a, spin_b = b, a, spin_b, spin_a
        pair = (a.id, b.id)
        key = inputs_digest(self._digest(a), self._digest(b), spin_a, spin_b, usage is not None)
        row = self._row(pair) if self.read else None
        if row is not None and row[0] == key and _reads_hold(row[1], usage):
            self.hits += 1
            return blob_link(row[2]) if row[2] is not None else None
        self.computed += 1
        recorded = RecordedUsage(usage) if usage is not None else None
        link = compute(recorded)
        blob = link_blob(link) if link is not None else None
        if (link is None or blob is not None) and not (recorded is not None and recorded.whole):
            new: MemoRow = (key, _reads_json(recorded.reads if recorded is not None else {}), blob)
            self.written[pair] = new
            self._rows[pair] = new
        return link
