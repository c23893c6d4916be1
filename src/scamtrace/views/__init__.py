"""Presentation-neutral views: what a reader is shown, assembled once from store records.

Each view answers one page of the product as plain data, read through the store's named queries
(:mod:`scamtrace.store.queries`); the CLI, the web pages and their ``/api`` twins, the report and the
exports only *render* views: they pick how much to show and how, never what it means.

- :mod:`.story` a story: articles by copy family, figures, conflicts, events, quotes, actors, thread
- :mod:`.stories` the stories list with its filters and facets
- :mod:`.article` an article: copy links, family, story, spin, judgements, extracted spans
- :mod:`.actor` the actors index and one actor
- :mod:`.outlet` per-outlet copying and spin
- :mod:`.family` copy families as nodes and edges
- :mod:`.tables` the flat records of each export table (``scamtrace export WHAT``), and the rows the
  FollowTheMoney and GraphML exports read
"""
from .actor import actor_detail as actor_view
from .actor import actors_index
from .article import ArticleView, article_view
from .family import family_view
from .outlet import outlet_view
from .stories import stories_view
from .story import StoryView, story_view

__all__ = ["ArticleView", "StoryView", "actor_view", "actors_index", "article_view", "family_view", "outlet_view",
           "stories_view", "story_view"]
