"""One exception tree, mapped once per surface (CLI: one sentence and exit 1; API: JSON error), and the
plain sentences a validated document's problems are told in (``plain_problem``), the same on every surface."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from peaceops.i18n import N_, gettext, ngettext


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
    """A whole file cannot be imported (wrong columns, empty, not UTF-8); nothing was written. ``hint`` says
    which file is expected (set where the kind of file is known), shown after the message."""

    hint: str = ""


class NotFound(PeaceopsError):
    status_code = 404


class PermissionDenied(PeaceopsError):
    status_code = 403


class ValidationFailed(PeaceopsError):
    """Input that cannot be used as given. ``field`` names the one field it is about, when it is about one
    (the form's name for it: ``email``, ``pledged_on``), so a page shows the sentence beside that field."""

    status_code = 422

    def __init__(self, message: str = "", *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field or None

    def field_errors(self) -> dict[str, str]:
        """Field name -> the sentence to show beside it; empty when the problem is about no single field."""
        return {self.field: str(self)} if self.field else {}

    def summary(self) -> str:
        """A short line for the top of a page whose fields each show their own sentence: how many fields
        to correct and where; the whole message when no field is named."""
        fields = self.field_errors()
        if not fields:
            return str(self)
        count = len(fields)
        line = ngettext(
            "Nothing is saved yet: {count} field needs correcting; what to do is written beside it.",
            "Nothing is saved yet: {count} fields need correcting; what to do is written beside each.",
            count,
        ).format(count=count)
        return " ".join((line, *self.general_problems()))

    def general_problems(self) -> list[str]:
        """The sentences about no single field (the summary says them in full)."""
        return []


class FormInvalid(ValidationFailed):
    """A form or document with fields that are wrong: the message says all of it; ``fields`` maps each field
    name to its own sentence, for the page to show beside the field."""

    def __init__(self, message: str, fields: Mapping[str, str], general: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.fields = dict(fields)
        self.general = [s for s in general if s not in self.fields.values()]

    def field_errors(self) -> dict[str, str]:
        return dict(self.fields)

    def general_problems(self) -> list[str]:
        return list(self.general)


@contextmanager
def field_of(name: str) -> Iterator[None]:
    """A ValidationFailed raised in the block is about the field ``name`` (unless it already names one): a
    check shared by several fields (a date, a code list) does not know which field it is checking."""
    try:
        yield
    except ValidationFailed as exc:
        if exc.field is None and not isinstance(exc, FormInvalid):
            exc.field = name
        raise


def problems_invalid(problems: Iterable[tuple[str, str]]) -> FormInvalid | None:
    """Every problem of a form at once, as ``(field name, sentence)`` pairs (an empty name: about no single
    field), as one FormInvalid (None when there is none): its message is every sentence, its ``fields`` the
    sentences of each field, and the others its ``general`` problems, which the summary says in full."""
    sentences: list[str] = []
    fields: dict[str, str] = {}
    general: list[str] = []
    for field, sentence in problems:
        if sentence not in sentences:
            sentences.append(sentence)
        if field:
            have = fields.get(field)
            fields[field] = sentence if not have or sentence in have else f"{have} {sentence}"
        elif sentence not in general:
            general.append(sentence)
    return FormInvalid(" ".join(sentences), fields, general) if sentences else None


# Plain sentences for the checks a validated document makes (pydantic's error types), each a whole sentence
# with the field's label in it; a type not listed reads INVALID. Lengths and bounds come from the check.
# Kept in English here (N_ marks them for the catalogue) and translated when a sentence is made.
MESSAGES = {
    "missing": N_("Give the {label}."),
    "string_too_short": N_("The {label} needs at least {min_length} characters."),
    "string_too_long": N_("The {label} is too long: it may have at most {max_length} characters."),
    "too_short": N_("The {label} needs at least {min_length} entries."),
    "too_long": N_("The {label} has too many entries: at most {max_length}."),
    "literal_error": N_("Choose the {label} from: {expected}."),
    "enum": N_("Choose the {label} from: {expected}."),
    "date_parsing": N_("The {label} is not a date: write it as YYYY-MM-DD."),
    "date_from_datetime_parsing": N_("The {label} is not a date: write it as YYYY-MM-DD."),
    "date_type": N_("The {label} is not a date: write it as YYYY-MM-DD."),
    "datetime_parsing": N_("The {label} is not a date and time: write it as YYYY-MM-DD HH:MM."),
    "datetime_from_date_parsing": N_("The {label} is not a date and time: write it as YYYY-MM-DD HH:MM."),
    "datetime_type": N_("The {label} is not a date and time: write it as YYYY-MM-DD HH:MM."),
    "int_parsing": N_("The {label} must be a whole number."),
    "int_type": N_("The {label} must be a whole number."),
    "int_from_float": N_("The {label} must be a whole number."),
    "float_parsing": N_("The {label} must be a number."),
    "float_type": N_("The {label} must be a number."),
    "bool_parsing": N_("The {label} must be yes or no."),
    "bool_type": N_("The {label} must be yes or no."),
    "greater_than_equal": N_("The {label} must be {ge} or more."),
    "greater_than": N_("The {label} must be more than {gt}."),
    "less_than_equal": N_("The {label} must be {le} or less."),
    "less_than": N_("The {label} must be less than {lt}."),
    "string_pattern_mismatch": N_("The {label} is not written in the expected form."),
    "extra_forbidden": N_("The {label} is not a field here; remove it."),
    "list_type": N_("The {label} must be a list."),
    "string_type": N_("The {label} must be a text."),
}
EMPTY = N_("Give the {label}.")  # a required text left empty (or only spaces)
INVALID = N_("The {label} is not valid; check it.")
INVALID_ENTRY = N_("Check what you entered.")  # a problem with no field to name
NESTED_LABEL = N_("{field} of entry {number} in {parent}")  # a field of a list's entry: "name of entry 2 in parties"
WRAPPERS = ("body", "query", "path", "form", "header", "cookie")  # where a request's value came from


def problem_field(loc: Sequence[object]) -> str:
    """The field a problem is about, as a form names it (``parties.name``; request parts and list positions
    left out); empty when the problem is about the whole document."""
    return ".".join(str(p) for p in loc if isinstance(p, str) and p not in WRAPPERS)


def _label(loc: Sequence[object], labels: Mapping[str, str]) -> str:
    parts = [p for p in loc if not (isinstance(p, str) and p in WRAPPERS)]
    field = problem_field(loc)
    if field in labels:
        return labels[field]
    names = [str(p) for p in parts if isinstance(p, str)]
    name = names[-1].replace("_", " ") if names else ""
    at = max((i for i, p in enumerate(parts) if isinstance(p, int)), default=-1)  # the last list position
    position, parent = (parts[at], parts[at - 1]) if 0 < at < len(parts) - 1 else (None, None)
    if isinstance(position, int) and isinstance(parent, str):
        name = gettext(NESTED_LABEL).format(field=name, number=position + 1, parent=labels.get(parent, parent))
    return name


def plain_problem(error: Mapping[str, Any], labels: Mapping[str, str] | None = None) -> str:
    """One problem of a validated document (a pydantic error's dict) as a plain sentence naming the field
    by its label (``labels``: field name or dotted path to the words a person knows), never the
    validator's jargon; a validator's own message (written in plain words) is kept."""
    kind = str(error.get("type", ""))
    ctx = dict(error.get("ctx") or {})
    label = _label(tuple(error.get("loc", ())), labels or {})
    if kind in ("value_error", "assertion_error"):
        text = (
            str(ctx.get("error") or error.get("msg", ""))
            .removeprefix("Value error, ")
            .removeprefix("Assertion failed, ")
        )
        text = text.strip() or gettext(INVALID_ENTRY)
        return text[0].upper() + text[1:] + ("" if text.endswith((".", "?", "!")) else ".")
    if not label:
        return gettext(INVALID_ENTRY)
    if kind == "missing" or (kind == "string_too_short" and ctx.get("min_length") == 1):
        return gettext(EMPTY).format(label=label)
    template = gettext(MESSAGES.get(kind, INVALID))
    try:
        return template.format(label=label, **ctx)
    except (KeyError, IndexError, ValueError):
        return gettext(INVALID).format(label=label)


def form_invalid(errors: Iterable[Mapping[str, Any]], labels: Mapping[str, str] | None = None) -> FormInvalid:
    """The document's problems as one FormInvalid: every sentence in its message, and the first sentence
    of each field for the page to show beside that field."""
    found = problems_invalid((problem_field(tuple(e.get("loc", ()))), plain_problem(e, labels)) for e in errors)
    return found or FormInvalid(gettext(INVALID_ENTRY), {})
