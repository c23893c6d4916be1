"""Boilerplate leakage and content recall of cleaned HTML pages against the demo gold files.

Gold (``examples/demo/gold/``): ``html_boilerplate/<stem>.txt`` lists, one a line, the page chrome
a cleaner must drop from ``html/<stem>.html`` (nav items, share bar, related links, comments,
newsletter box, footer); ``html_text/<stem>.txt`` is the page's main text, paragraphs separated by
blank lines, title excluded.

Metric ``eval.leakage-v1``. Texts are compared after :func:`normalise` (NFKC, casefold, curly
quotes and dashes folded, whitespace collapsed).

* A boilerplate line **leaks** when it occurs in the cleaned text, as a whole-word match, more
  often than in the gold main text. Counting against the gold keeps nav items that are also
  ordinary words ("Thailand", "Video") from counting as leaks because the story uses them, while
  such a line kept as an extra paragraph still counts. Leakage share = leaked / total lines.
* **Content recall** = share of gold main-text paragraphs found (substring) in the cleaned text.

Pages are cleaned the way ``scamtrace ingest`` cleans them: :func:`boilerplate_leakage` ingests
them into a throwaway in-memory store with :func:`scamtrace.api.ingest`, so the per-outlet learned
boilerplate model is fitted and applied as in production, then reads the articles back.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..errors import GoldFileError
from ..pipeline import ingest
from ..store import open_store

__all__ = ["LEAKAGE_ALGORITHM", "boilerplate_leakage", "clean_demo_pages", "evaluate_pages", "load_gold", "normalise"]

LEAKAGE_ALGORITHM = "eval.leakage-v1"

_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                       "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
                       "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
                       "\u2212": "-", "\u00a0": " "})
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """NFKC, casefolded, curly quotes and dashes folded to ASCII, whitespace runs to one space."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()
    return _SPACE.sub(" ", text).strip()


def _occurrences(needle: str, hay: str) -> int:
    """Non-overlapping whole-word occurrences of normalised ``needle`` in normalised ``hay``."""
    if not needle:
        return 0
    left = r"(?<!\w)" if needle[0].isalnum() or needle[0] == "_" else ""
    right = r"(?!\w)" if needle[-1].isalnum() or needle[-1] == "_" else ""
    return len(re.findall(left + re.escape(needle) + right, hay))


def load_gold(demo_dir: str | Path) -> dict[str, tuple[list[str], list[str]]]:
    """``{stem: (boilerplate lines, main-text paragraphs)}`` for every page of ``demo_dir/html``.

    Raises :class:`~scamtrace.errors.GoldFileError` when the gold folders are missing, a page has
    no gold file, or a gold file is empty.
    """
    demo = Path(demo_dir)
    html_dir, bp_dir, text_dir = demo / "html", demo / "gold" / "html_boilerplate", demo / "gold" / "html_text"
    for d in (html_dir, bp_dir, text_dir):
        if not d.is_dir():
            raise GoldFileError(f"{d}: folder not found; pass the demo folder (examples/demo) as demo_dir")
    gold: dict[str, tuple[list[str], list[str]]] = {}
    for page in sorted(html_dir.glob("*.html")):
        bp_file, text_file = bp_dir / f"{page.stem}.txt", text_dir / f"{page.stem}.txt"
        for f in (bp_file, text_file):
            if not f.is_file():
                raise GoldFileError(f"{f}: gold file missing for {page.name}; add it or remove the page")
        lines = [ln.strip() for ln in bp_file.read_text("utf-8").splitlines() if ln.strip()]
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text_file.read_text("utf-8")) if p.strip()]
        if not lines or not paragraphs:
            raise GoldFileError(f"{bp_file if not lines else text_file}: gold file is empty; list at least one line")
        gold[page.stem] = (lines, paragraphs)
    if not gold:
        raise GoldFileError(f"{html_dir}: no .html pages to evaluate")
    return gold


def evaluate_pages(cleaned: Mapping[str, str | None], gold: Mapping[str, tuple[list[str], list[str]]]) -> dict[str, Any]:
    """Score cleaned texts (``{stem: text}``; None for a page that was rejected) against ``gold``.

    Returns ``lines_total``, ``lines_leaked``, ``share`` (leaked / total), ``paragraphs_total``,
    ``paragraphs_found``, ``content_recall`` and ``per_page`` (counts, the leaked lines and the
    first words of missing paragraphs). A gold page absent from ``cleaned`` raises ValueError.
    """
    missing = sorted(set(gold) - set(cleaned))
    if missing:
        raise GoldFileError(f"no cleaned text for gold pages {', '.join(missing)}; pass None for a rejected page")
    per_page: dict[str, dict[str, Any]] = {}
    for stem, (lines, paragraphs) in sorted(gold.items()):
        text = normalise(cleaned[stem] or "")
        main = normalise("\n\n".join(paragraphs))
        leaked = [ln for ln in lines if _occurrences(normalise(ln), text) > _occurrences(normalise(ln), main)]
        lost = [p for p in paragraphs if normalise(p) not in text]
        per_page[stem] = {"lines_total": len(lines), "lines_leaked": len(leaked), "leaked": leaked,
                          "paragraphs_total": len(paragraphs), "paragraphs_found": len(paragraphs) - len(lost),
                          "missing": [" ".join(p.split()[:8]) for p in lost], "rejected": cleaned[stem] is None}
    lines_total = sum(p["lines_total"] for p in per_page.values())
    lines_leaked = sum(p["lines_leaked"] for p in per_page.values())
    par_total = sum(p["paragraphs_total"] for p in per_page.values())
    par_found = sum(p["paragraphs_found"] for p in per_page.values())
    return {"algorithm": LEAKAGE_ALGORITHM, "pages": len(per_page), "lines_total": lines_total,
            "lines_leaked": lines_leaked, "share": lines_leaked / lines_total if lines_total else 0.0,
            "paragraphs_total": par_total, "paragraphs_found": par_found,
            "content_recall": par_found / par_total if par_total else 0.0, "per_page": per_page}


def clean_demo_pages(demo_dir: str | Path, extra_sources: Iterable[str | Path] = ()) -> tuple[dict[str, str | None], set[str]]:
    """Ingest ``demo_dir/html`` (plus ``extra_sources``) into an in-memory store as ``scamtrace
    ingest`` does; returns ``({stem: cleaned text or None if rejected}, cleaner names used)``."""
    html_dir = Path(demo_dir) / "html"
    pages = {p.resolve(): p.stem for p in html_dir.glob("*.html")}
    cleaned: dict[str, str | None] = dict.fromkeys(pages.values())
    cleaners: set[str] = set()
    store = open_store(":memory:")
    try:
        ingest(store, [str(html_dir), *map(str, extra_sources)])
        for art in store.iter_articles():
            stem = pages.get(Path(art.source).resolve()) if art.source else None
            if stem is not None:
                cleaned[stem] = art.text
                cleaners.add(art.cleaner or "")
    finally:
        store.close()
    return cleaned, cleaners


def boilerplate_leakage(demo_dir: str | Path, extra_sources: Iterable[str | Path] = ()) -> dict[str, Any]:
    """Leakage of gold boilerplate lines and content recall over the demo's HTML pages.

    ``extra_sources`` are ingested alongside (e.g. the whole demo corpus) so the learned model sees
    other outlets as in a real store. Returns :func:`evaluate_pages`' dict plus ``cleaners``.
    """
    gold = load_gold(demo_dir)
    cleaned, cleaners = clean_demo_pages(demo_dir, extra_sources)
    result = evaluate_pages(cleaned, gold)
    result["cleaners"] = sorted(cleaners)
    return result
