"""Knowledge: facts merged across articles, with citations, corroboration and conflicts."""
from .merge import ALGORITHM, Citation, Fact, merge_figures

__all__ = ["ALGORITHM", "Citation", "Fact", "merge_figures"]
