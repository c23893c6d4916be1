"""scamtrace: trace copied news about scam compounds to its origin and build a cited knowledge base."""
import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
