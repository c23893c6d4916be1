"""One root exception, one subclass per failure. Messages are one line and say what to do.

How each branch is answered:

* :class:`InputError`, :class:`ContentError`: an input cannot be read as an article; ingest records
  the one-line message as the input's reject and goes on with the batch.
* :class:`NotFound`: an id that is not in the store; HTTP 404, ``error: ...`` on the command line.
* :class:`InvalidRequest`: an argument, option, parameter or gold file the caller can correct; HTTP
  400, ``error: ...`` on the command line.
* :class:`StoreError`: the store cannot be opened or written; HTTP 503.
* anything else is a bug: HTTP 500 with an id that the server log repeats beside the traceback; on
  the command line "unexpected" and the traceback with ``-vv``.
"""


class ScamtraceError(Exception):
    """Root of every error scamtrace raises on purpose."""


class InputError(ScamtraceError):
    """An input (file, record, URL) cannot be read as an article."""

    def __init__(self, source: str, reason: str):
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class UnsupportedInput(InputError):
    """The input's type or scheme is not one scamtrace reads."""


class InputTooLarge(InputError):
    """The input exceeds the configured size cap."""


class FetchError(InputError):
    """A URL could not be fetched (unreachable, timeout, HTTP error). ``status`` is the HTTP status of a
    refused request (4xx), None when there was no answer to read one from."""

    def __init__(self, source: str, reason: str, status: int | None = None):
        super().__init__(source, reason)
        self.status = status


class RobotsDisallowed(InputError):
    """The site's robots.txt does not allow scamtrace to fetch the URL (``obey_robots``)."""


class EmptyArticle(InputError):
    """Nothing that looks like article text was found."""


class ContentError(ScamtraceError):
    """Bytes that are not what they claim to be; ``str(e)`` is the one-line reason, and the caller,
    which knows the input's name, records the reject."""


class NotText(ContentError):
    """The bytes are not text (binary file or undecodable)."""


class FeedError(ContentError):
    """The bytes are not a readable RSS or Atom feed."""


class StoreError(ScamtraceError):
    """The SQLite store cannot be opened or written."""


class MigrationError(StoreError):
    """A schema migration failed; the store is left at the last applied migration."""


class NotFound(ScamtraceError):
    """An id asked for is not in the store."""


class InvalidRequest(ScamtraceError, ValueError):
    """An argument, option or request parameter the caller can correct (an unknown name, a number out
    of range). Also a ``ValueError``, which callers that check arguments catch."""


class SettingError(InvalidRequest):
    """A setting has a value outside its valid range."""


class GoldFileError(InvalidRequest):
    """An evaluation gold file or benchmark folder is malformed or empty."""


class SparkUnavailable(ScamtraceError):
    """pyspark or a Java runtime is missing, or Spark could not start."""
