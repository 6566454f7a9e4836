"""Translations (gettext through Babel) and locale-aware formatting, for the current request's language.

The language in force is a context variable: the web app sets it per request (``use_locale``), everything
else reads it (``_``, ``_n``, ``format_date``...); outside a request it is English. Catalogues are the
``locale/<lang>/LC_MESSAGES/messages.po`` files of the package, read once per language on first use: no
compiled ``.mo`` is built or committed (decision 035). A message that is missing, empty or fuzzy in a
catalogue reads in English.

This module sits under everything (it imports nothing of peaceops), so ``errors`` and every surface can
use it.
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from functools import cache
from io import BytesIO
from pathlib import Path

from babel import Locale, UnknownLocaleError, dates, lists, numbers
from babel.core import negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import LazyProxy, NullTranslations, Translations

__all__ = [
    "DEFAULT",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "RTL",
    "_",
    "_l",
    "_n",
    "current",
    "direction",
    "format_date",
    "format_datetime",
    "format_list",
    "format_number",
    "format_percent",
    "gettext",
    "gettext_noop",
    "lazy_gettext",
    "negotiate",
    "ngettext",
    "territory_name",
    "translations",
    "use_locale",
    "vega_locale",
]

# The languages peaceops speaks, by code, each named in itself (as a language switcher shows them).
LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français", "ar": "العربية"}
DEFAULT = "en"
RTL = frozenset({"ar"})  # written right to left
LOCALE_DIR = Path(__file__).with_name("locale")

_current: contextvars.ContextVar[str] = contextvars.ContextVar("peaceops_locale", default=DEFAULT)
_QUALITY = re.compile(r"0(?:\.\d{0,3})?|1(?:\.0{0,3})?")  # RFC 9110's qvalue


def current() -> str:
    """The language code in force (``en`` outside a request)."""
    return _current.get()


@contextmanager
def use_locale(code: str | None) -> Iterator[str]:
    """Run the block in the language ``code`` (an unknown or empty code is English); yields the code used."""
    chosen = code if code in LANGUAGES else DEFAULT
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


def direction(code: str | None = None) -> str:
    """``rtl`` for a language written right to left (Arabic), else ``ltr``; the current one by default."""
    return "rtl" if (code or current()) in RTL else "ltr"


def negotiate(accept_language: str | None) -> str:
    """The best language of ours for an ``Accept-Language`` header (``fr-CH, en;q=0.8`` gives ``fr``),
    English when none of ours is asked for or the header cannot be read."""
    preferred: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "")[:1000].split(",")):
        tag, _sep, params = part.partition(";")
        tag = tag.strip().replace("_", "-")
        if not tag or tag == "*":
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _eq, value = param.partition("=")
            if name.strip().lower() == "q":  # a weight that cannot be read counts as "not wanted"
                quality = float(value.strip()) if _QUALITY.fullmatch(value.strip()) else 0.0
        if quality > 0:
            preferred.append((-quality, position, tag))
    tags = [tag for _q, _p, tag in sorted(preferred)]
    found = negotiate_locale(tags, list(LANGUAGES), sep="-", aliases={})
    return found.split("-")[0].lower() if found else DEFAULT


@cache
def translations(code: str) -> NullTranslations:
    """The catalogue of ``code``, read from its ``.po`` file once (fuzzy and empty messages left out, so
    they read in English); English, or a language without a catalogue, translates nothing."""
    path = LOCALE_DIR / code / "LC_MESSAGES" / "messages.po"
    if code == DEFAULT or not path.is_file():
        return NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=code)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled)


def gettext(message: str) -> str:
    """``message`` in the current language."""
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: float) -> str:
    """The singular or plural form for ``n``, by the current language's plural rule.

    Catalogues' plural rules take whole numbers; a count with a fraction (a request 0.3 days old) is given the
    form CLDR gives it in the language ("0.3 days", « 0,3 jour »), through the first whole number of the same kind.
    """
    return translations(current()).ngettext(singular, plural, _whole(n))


def _whole(n: float) -> int:
    if float(n).is_integer():
        return int(n)
    rule = _locale().plural_form
    kind = rule(n)
    return next((k for k in range(1000) if rule(k) == kind), int(n))


def lazy_gettext(message: str) -> LazyProxy:
    """``message`` translated each time it is shown, for texts defined at import time (navigation labels,
    error sentences), before any request has a language."""
    return LazyProxy(gettext, message, enable_cache=False)


def gettext_noop(message: str) -> str:
    """Marks ``message`` for the catalogue and returns it unchanged: a constant kept in English (tests and
    other modules compare with it) and translated where it is shown, with ``_(CONSTANT)``."""
    return message


_ = gettext
_n = ngettext
_l = lazy_gettext
N_ = gettext_noop


def _locale() -> Locale:
    try:
        return Locale.parse(current())
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT)


def territory_name(alpha2: str, default: str) -> str:
    """A country's name in the current language (CLDR, by its ISO 3166 alpha-2 code), ``default`` without one."""
    return str(_locale().territories.get(alpha2.upper(), default))


def format_date(value: date | datetime | None, format: str = "medium") -> str:
    """A date in the current language (``12 mars 2024`` in French); empty for no date."""
    if value is None:
        return ""
    return dates.format_date(value, format=format, locale=_locale())


def format_datetime(value: datetime | None, format: str = "medium") -> str:
    """A date and time in the current language; empty for none."""
    if value is None:
        return ""
    return dates.format_datetime(value, format=format, locale=_locale())


def format_list(items: list[str]) -> str:
    """Names joined as the current language joins them (``A, B, and C``; « A, B et C » in French)."""
    return lists.format_list(list(items), locale=_locale()) if items else ""


def format_number(value: float | None, digits: int | None = None, *, every_digit: bool = False) -> str:
    """A number with the current language's separators (``12 345,6`` in French); an en dash for none.
    ``every_digit`` keeps every decimal the value has (a figure already rounded to significant digits)."""
    if value is None:
        return "–"
    if digits is None:
        return numbers.format_decimal(value, locale=_locale(), decimal_quantization=not every_digit)
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return numbers.format_decimal(value, format=pattern, locale=_locale())


# CLDR date-pattern letters and their d3 time-format directives (the ones CLDR's short patterns use).
_D3 = {
    "yyyy": "%Y", "yy": "%y", "y": "%Y", "MMMM": "%B", "MMM": "%b", "MM": "%m", "M": "%-m", "dd": "%d", "d": "%-d",
    "EEEE": "%A", "EEE": "%a", "E": "%a", "HH": "%H", "H": "%-H", "hh": "%I", "h": "%-I", "mm": "%M", "ss": "%S",
    "a": "%p",
}  # fmt: skip
_PATTERN_PART = re.compile(r"'[^']*'|([A-Za-z])\1*")


def _d3_pattern(pattern: str) -> str:
    """A CLDR date or time pattern (``dd/MM/y``) as a d3 time format (``%d/%m/%Y``); quoted text kept as is."""

    def part(found: re.Match[str]) -> str:
        text = found.group(0)
        if text.startswith("'"):
            return text[1:-1].replace("%", "%%") or "'"
        return _D3.get(text, "")

    return _PATTERN_PART.sub(part, pattern).replace("\u200f", "").strip()


def vega_locale(code: str | None = None) -> dict[str, dict[str, object]]:
    """What Vega needs to write a chart's numbers and dates in a language (d3's ``formatLocale`` and
    ``timeFormatLocale``), from Babel's CLDR data: month and day names (« janv. 2024 »), decimal and group
    separators (``12 345,6``), the percent sign's spacing (``45 %``). The current language by default."""
    chosen = current() if code is None else code
    return _vega_locale(chosen if chosen in LANGUAGES else DEFAULT)


@cache
def _vega_locale(code: str) -> dict[str, dict[str, object]]:
    locale = Locale.parse(code)
    try:
        symbols = dict(locale.number_symbols["latn"])  # Western digits, as the pages write them
    except (KeyError, TypeError):
        symbols = {}
    percent = locale.percent_formats[None].pattern
    months, days = locale.months["format"], locale.days["format"]
    periods = locale.day_periods["format"]["abbreviated"]
    time = {
        "dateTime": "%x %X",
        "date": _d3_pattern(locale.date_formats["short"].pattern),
        "time": _d3_pattern(locale.time_formats["medium"].pattern),
        "periods": [periods.get("am", "AM"), periods.get("pm", "PM")],
        # d3 counts days from Sunday, CLDR from Monday (0) to Sunday (6)
        "days": [days["wide"][(i + 6) % 7] for i in range(7)],
        "shortDays": [days["abbreviated"][(i + 6) % 7] for i in range(7)],
        "months": [months["wide"][i] for i in range(1, 13)],
        "shortMonths": [months["abbreviated"][i] for i in range(1, 13)],
    }
    number = {
        "decimal": symbols.get("decimal", "."),
        "thousands": symbols.get("group", ","),
        "grouping": [3],
        "currency": ["", "\u00a0$"] if locale.language != DEFAULT else ["$", ""],
        "percent": percent[percent.rfind("0") + 1 :] or "%",  # "%" in English, "\u00a0%" in French
        "minus": symbols.get("minusSign", "-"),
    }
    return {"number": number, "time": time}


def format_percent(value: float | None, digits: int = 0) -> str:
    """A share (0.25) as a percentage in the current language (``25 %`` in French); an en dash for none."""
    if value is None:
        return "–"
    locale = _locale()
    pattern = locale.percent_formats[None].pattern  # the language's own, spacing and sign placement kept
    if digits > 0:
        pattern = pattern.replace("#,##0", "#,##0." + "0" * digits, 1)
    return numbers.format_percent(value, format=pattern, locale=locale)
