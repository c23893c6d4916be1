"""Presentation-neutral views: what a reader is shown, assembled once from store records.

Each view answers one page of the product (a story, an article, an actor, the outlets, the copy
families) as plain data. The CLI, the web pages and their ``/api`` twins, the report and the exports
only *render* views: they pick how much to show and how, never what it means.
"""
from .story import StoryView, story_view

__all__ = ["StoryView", "story_view"]
