"""Cleaned text byte-identical (issue 17 part 3): faster ingest must not change one character.

Every corpus is ingested through ``api.ingest`` (reading, decoding, cleaning, learned boilerplate
and its relearn, the store) and each stored article is reduced to the sha256 of its cleaned text and
of its cleaned fields (title, outlet, dates, byline, dateline, credit, contributors, language,
truncation, cleaner name). The digests are compared with ``tests/golden/clean_digests.json``:

- ``demo``: examples/demo (our own text; HTML pages, feeds, JSON Lines, WARC, plain text);
- ``seeds``, ``realnews-dev`` and ``article-extraction`` (181 real HTML pages) from ``../shared``:
  only digests are committed, never their text; each skips when ``../shared`` is absent.

When cleaning changes ON PURPOSE (a new cleaner version), regenerate and commit with the change::

    PYTHONPATH=src python tests/test_clean_identical.py --update
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
DIGESTS = HERE / "golden" / "clean_digests.json"
DEMO = HERE.parent / "examples" / "demo"


def _shared() -> Path:
    env = os.environ.get("SCAMTRACE_SHARED")
    return Path(env) if env else HERE.parent.parent / "shared"


def sources(corpus: str) -> list[str] | None:
    """What ``ingest`` is given for ``corpus``; None when its folder is absent."""
    if corpus == "demo":
        return [str(DEMO / s.strip()) for s in (DEMO / "sources.txt").read_text().splitlines() if s.strip()]
    path = {"seeds": _shared() / "seeds",
            "realnews-dev": _shared() / "datasets" / "realnews-dev" / "articles.jsonl",
            "article-extraction": _shared() / "benchmarks" / "article-extraction" / "html"}[corpus]
    if corpus == "seeds":
        return sorted(str(p) for p in path.glob("*.txt")) if path.is_dir() else None
    return [str(path)] if path.exists() else None


CORPORA = ("demo", "seeds", "realnews-dev", "article-extraction")


def digests(corpus: str, workdir: Path) -> dict[str, str]:
    """article id -> sha256 of its cleaned text and fields, after ingesting ``corpus``."""
    from scamtrace import api

    srcs = sources(corpus)
    assert srcs is not None
    store = api.open_store(workdir / f"{corpus}.db")
    api.ingest(store, srcs)
    out = {}
    for a in store.iter_articles():
        fields = [a.title, a.outlet, a.published.isoformat() if a.published else None, a.byline, a.dateline,
                  a.credit, a.contributors, a.language, a.truncated, a.cleaner]
        text = hashlib.sha256(a.text.encode("utf-8", "surrogatepass")).hexdigest()
        rest = hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()
        out[a.id] = f"{text[:32]} {rest[:16]}"
    store.close()
    return dict(sorted(out.items()))


@pytest.mark.parametrize("corpus", CORPORA)
def test_cleaned_text_is_byte_identical(corpus, tmp_path):
    if sources(corpus) is None:
        pytest.skip(f"{corpus} not found under {_shared()}; set SCAMTRACE_SHARED to the shared/ folder")
    want = json.loads(DIGESTS.read_text(encoding="utf-8"))[corpus]
    got = digests(corpus, tmp_path)
    assert sorted(got) == sorted(want), f"{corpus}: articles stored differ: {sorted(set(got) ^ set(want))[:5]}"
    changed = [k for k in want if want[k] != got[k]]
    assert not changed, f"{corpus}: {len(changed)} cleaned articles differ (text digest, fields digest): " + \
        ", ".join(f"{k}: {want[k]} -> {got[k]}" for k in changed[:5])


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: PYTHONPATH=src python tests/test_clean_identical.py --update")
    old = json.loads(DIGESTS.read_text(encoding="utf-8")) if DIGESTS.is_file() else {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in CORPORA:
            if sources(name) is None:
                print(f"{name}: absent, kept as it was", file=sys.stderr)
                continue
            old[name] = digests(name, Path(tmp))
            print(f"{name}: {len(old[name])} articles", file=sys.stderr)
    DIGESTS.parent.mkdir(parents=True, exist_ok=True)
    DIGESTS.write_text(json.dumps(old, indent=1, sort_keys=True) + "\n", encoding="utf-8")
