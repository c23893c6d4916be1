"""The ``extract`` stage: entities, figures, dates and quotes of a cleaned article.

>>> result = extract(article)                       # doctest: +SKIP
>>> [(f.value, f.unit, f.what, f.date) for f in result.figures]   # doctest: +SKIP
[(31000.0, 'people', 'suspects handed over', '2023-11-18'), ...]

Each part is available alone: :func:`find_dates`, :func:`find_figures`, :func:`find_quotes`,
:func:`find_entities`. Only entities use a statistical model (spaCy, optional); everything else is
deterministic rules documented in each module.
"""
from __future__ import annotations

import datetime as dt

from ..model import Article
from .dates import find_dates
from .entities import find_entities, load_nlp, model_name
from .entities import reset as _reset_entities
from .figures import find_figures
from .gazetteer import load_gazetteer
from .quotes import find_quotes
from .records import (ALGO_DATES, ALGO_ENTITIES, ALGO_FIGURES, ALGO_QUOTES, DateRef, Extraction, Figure,
                      Mention, Quote)

__all__ = [
    "extract", "find_dates", "find_figures", "find_quotes", "find_entities", "reset", "load_nlp",
    "model_name", "Extraction", "Mention", "Figure", "Quote", "DateRef",
    "ALGO_DATES", "ALGO_ENTITIES", "ALGO_FIGURES", "ALGO_QUOTES",
]


def extract(article: Article, *, use_model: bool | None = None, reference_date: dt.date | None = None) -> Extraction:
    """Entities, figures, dates and quotes of ``article`` (dates resolved against ``article.published``).

    ``use_model``: None = use spaCy when installed (unless ``SCAMTRACE_NO_SPACY`` is set),
    False = rule-based entities only, True = same as None (falls back to rules when no model).
    ``reference_date``: the day relative dates are resolved against when ``article.published`` is
    None, e.g. the publication day of the article an undated copy copies
    (:func:`scamtrace.extract.corpus_dates.reference_dates`). Only the figures' dates use it (each
    figure's evidence says so); ``Extraction.dates`` stay as the article's own text resolves them.
    """
    if not isinstance(article, Article):
        raise ValueError(f"extract needs a scamtrace.model.Article, got {type(article).__name__}")
    if reference_date is not None and not isinstance(reference_date, dt.date):
        raise ValueError(f"reference_date must be a datetime.date or None, got {type(reference_date).__name__}")
    text = article.text or ""
    gaz = load_gazetteer()
    dates = find_dates(text, article.published)
    quotes = find_quotes(text, gaz)
    if article.published is None and reference_date is not None:
        # only figures borrow the day: the article's own date mentions stay as its text resolves them
        figures = find_figures(text, reference_date, dates=find_dates(text, reference_date), quotes=quotes,
                               gazetteer=gaz)
        for f in figures:
            f.evidence["reference_date"] = reference_date.isoformat()
    else:
        figures = find_figures(text, article.published, dates=dates, quotes=quotes, gazetteer=gaz)
    figures.extend(title_figures(article, figures, gaz))
    mentions = find_entities(text, use_model=use_model, gazetteer=gaz, language=article.language)
    return Extraction(article_id=article.id, mentions=mentions, figures=figures, dates=dates, quotes=quotes)


def title_figures(article: Article, figures: list[Figure], gaz) -> list[Figure]:  # noqa: ANN001
    """Figures of the headline that the text does not state (v4): "over 700 still trapped" in a title is a
    key figure even when the body only gives 121. They carry ``evidence["in_title"]``; their offsets
    are 0 (they are not in the text) and their sentence is the title."""
    title = (article.title or "").strip()
    if not title or title in (article.text or ""):
        return []
    have = {f.value for f in figures}
    out = []
    for f in find_figures(title, article.published, gazetteer=gaz):
        if f.value in have or f.vague_rule:
            continue   # stated in the text already, or a headline's "Thousands held" (the text gives the count)
        f.start = f.end = f.sentence_start = f.sentence_end = 0
        f.evidence["in_title"] = True
        out.append(f)
    return out


def reset() -> None:
    """Drop every module-level cache of the stage (loaded spaCy pipeline, gazetteer)."""
    _reset_entities()
