"""One root exception, one subclass per failure. Messages are one line and say what to do."""


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
    """A URL could not be fetched (unreachable, timeout, HTTP error)."""


class EmptyArticle(InputError):
    """Nothing that looks like article text was found."""


class StoreError(ScamtraceError):
    """The SQLite store cannot be opened or written."""


class MigrationError(StoreError):
    """A schema migration failed; the store is left at the last applied migration."""


class IdConflict(StoreError):
    """The same article id arrived with different text; kept as a conflict, not overwritten."""


class NotFound(ScamtraceError):
    """An id asked for is not in the store."""


class SettingError(ScamtraceError, ValueError):
    """A setting has a value outside its valid range."""


class GoldFileError(ScamtraceError):
    """An evaluation gold file is malformed."""


class SparkUnavailable(ScamtraceError):
    """pyspark or a Java runtime is missing, or Spark could not start."""
