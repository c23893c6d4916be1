"""Stories: articles reporting the same story or event, families kept whole."""
from .cluster import ALGORITHM, Story, cluster_stories

__all__ = ["ALGORITHM", "Story", "cluster_stories"]
