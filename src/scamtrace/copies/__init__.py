"""copies: trace verbatim, truncated, excerpted, spun and rewritten copies to their original.

Public verbs: :func:`find_copies` (batch), :func:`link_article` (incremental), :func:`classify_pair`,
:func:`spin_score`, :func:`build_families`, :func:`apply_judgements`. Candidate blocking lives in
:mod:`scamtrace.copies.index`.
"""
from __future__ import annotations

import logging

from .classify import classify_pair
from .engine import CopiesResult, find_copies, link_article
from .families import apply_judgements, build_families
from .spin import spin_score

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["CopiesResult", "apply_judgements", "build_families", "classify_pair", "find_copies",
           "link_article", "spin_score"]
