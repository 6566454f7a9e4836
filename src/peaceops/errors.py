"""One exception tree, mapped once per surface (CLI: one sentence and exit 1; API: JSON error)."""


class PeaceopsError(Exception):
    """Base of every error peaceops raises on purpose; its message is one sentence a user can act on."""

    status_code = 400
    # Where the person can go from here, as (label, path) pairs; a surface that can show links does (the web's
    # error page). A surface sets them when it knows its own paths; the message stands without them.
    next_steps: tuple[tuple[str, str], ...] = ()


class ConfigurationError(PeaceopsError):
    """Settings or environment are not usable."""

    status_code = 500


class ImportFileError(PeaceopsError):
    """A whole file cannot be imported (wrong columns, empty, not UTF-8); nothing was written."""


class NotFound(PeaceopsError):
    status_code = 404


class PermissionDenied(PeaceopsError):
    status_code = 403


class ValidationFailed(PeaceopsError):
    status_code = 422
