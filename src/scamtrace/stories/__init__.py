"""Stories: articles reporting the same event, families kept whole; threads link the events of one affair.

``cluster_stories`` is the current algorithm (``stories.event-v8``, :mod:`.event`); ``stories.online-v2``
(:mod:`.cluster`) is kept for the Spark back end, which still computes it.
"""
from .cluster import Story
from .event import ALGORITHM
from .event import cluster_events as cluster_stories

__all__ = ["ALGORITHM", "Story", "cluster_stories"]
