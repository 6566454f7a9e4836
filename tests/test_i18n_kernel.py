"""The translation kernel (peaceops.i18n): language negotiation, catalogues read from .po, fallbacks to
English, lazy texts, locale-aware formats, the French error sentences and the catalogue check."""

from __future__ import annotations

import importlib.util
import shutil
import tomllib
import warnings
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.pofile import read_po, write_po

from peaceops import i18n
from peaceops.errors import FormInvalid, plain_problem
from peaceops.web.navigation import navigation

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr", "fr"),
        ("fr-CH, fr;q=0.9, en;q=0.8", "fr"),
        ("fr_FR", "fr"),
        ("de-DE, ar;q=0.5, en;q=0.3", "ar"),
        ("en-US,en;q=0.9,fr;q=0.8", "en"),
        ("fr;q=0.2, ar;q=0.7", "ar"),
        ("ar;q=0, fr;q=0.1", "fr"),
        ("de, ja", "en"),
        ("", "en"),
        (None, "en"),
        ("*", "en"),
        ("fr;q=nonsense, ar", "ar"),
        (";;;,,,", "en"),
    ],
)
def test_negotiate_picks_our_best_language_from_accept_language(header, expected):
    assert i18n.negotiate(header) == expected


def test_use_locale_sets_and_restores_the_language():
    assert i18n.current() == "en"
    with i18n.use_locale("fr") as code:
        assert code == "fr" and i18n.current() == "fr" and i18n._("Password") == "Mot de passe"
        with i18n.use_locale("xx"):
            assert i18n.current() == "en" and i18n._("Password") == "Password"
    assert i18n.current() == "en" and i18n._("Password") == "Password"


def test_direction_is_rtl_for_arabic_only():
    assert [i18n.direction(code) for code in ("en", "fr", "ar")] == ["ltr", "ltr", "rtl"]
    with i18n.use_locale("ar"):
        assert i18n.direction() == "rtl"


def test_lazy_texts_are_translated_when_shown():
    label = i18n._l("Password")
    with i18n.use_locale("fr"):
        assert str(label) == "Mot de passe"
    with i18n.use_locale("ar"):
        assert str(label) == "كلمة المرور"
    assert str(label) == "Password"


def test_plurals_follow_the_languages_rule():
    singular = "Too many failed sign-ins from this address. Wait {wait} minute and try again."
    plural = "Too many failed sign-ins from this address. Wait {wait} minutes and try again."
    with i18n.use_locale("fr"):
        assert "Patientez {wait} minute et" in i18n._n(singular, plural, 1)
        assert "Patientez {wait} minutes et" in i18n._n(singular, plural, 5)


def test_a_count_with_a_fraction_takes_the_form_cldr_gives_it():
    """A request 0.3 days old: "0.3 days" in English, « 0,3 jour » in French; no float reaches gettext's rule."""
    singular, plural = (
        "<strong>Overdue</strong> by %(count)s day (%(status)s)",
        "<strong>Overdue</strong> by %(count)s days (%(status)s)",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # gettext warns, and later Pythons fail, on a plural rule given a float
        with i18n.use_locale("en"):
            assert [i18n._n(singular, plural, n).split()[-2] for n in (0.3, 1.0, 1.5)] == ["days", "day", "days"]
        with i18n.use_locale("fr"):
            assert [i18n._n(singular, plural, n).split()[-2] for n in (0.3, 1.5, 2.5)] == ["jour", "jour", "jours"]


def test_the_navigation_is_labelled_in_the_current_language():
    from peaceops.access.policy import Actor

    viewer = Actor(username="v", role="viewer")
    with i18n.use_locale("fr"):
        labels = [label for label, _links in navigation(viewer)]
    assert labels[:3] == ["Vue d’ensemble", "Suivi", "Missions"]
    assert [label for label, _links in navigation(viewer)][0] == "Overview"


def test_format_date_in_french_names_the_month():
    with i18n.use_locale("fr"):
        assert i18n.format_date(date(2024, 3, 12)) == "12 mars 2024"
        assert i18n.format_date(date(2024, 3, 12), "long") == "12 mars 2024"
        assert "mars" in i18n.format_datetime(datetime(2024, 3, 12, 14, 5))
    assert i18n.format_date(date(2024, 3, 12)) == "Mar 12, 2024"
    assert i18n.format_date(None) == ""


def test_numbers_and_percentages_use_the_languages_separators():
    with i18n.use_locale("fr"):
        assert i18n.format_number(12345.6, 1) == "12\u202f345,6"
        assert i18n.format_percent(0.255, 1) == "25,5\u00a0%"
    assert i18n.format_number(12345.6, 1) == "12,345.6"
    assert i18n.format_percent(0.25) == "25%"
    assert i18n.format_number(None) == "–"


def test_charts_get_the_languages_month_names_and_separators():
    french = i18n.vega_locale("fr")
    assert french["time"]["shortMonths"][:2] == ["janv.", "févr."] and french["time"]["months"][11] == "décembre"
    assert french["time"]["days"][0] == "dimanche" and french["time"]["date"] == "%d/%m/%Y"  # d3 counts from Sunday
    assert french["number"]["decimal"] == "," and french["number"]["thousands"] == "\u202f"
    assert french["number"]["percent"] == "\u00a0%"  # 45 % in French
    english = i18n.vega_locale("en")
    assert english["time"]["shortMonths"][0] == "Jan" and english["number"]["percent"] == "%"
    assert i18n.vega_locale("xx") == english  # a language not offered reads in English
    with i18n.use_locale("fr"):
        assert i18n.vega_locale() == french  # the current language by default, not the first one asked


def test_stored_english_words_and_role_names_are_shown_in_the_current_language():
    from peaceops.reports.filters import role_name, translated

    with i18n.use_locale("fr"):
        assert translated("Substantiated") == "Fondée" and translated("Malicious Act") == "Acte de malveillance"
        assert translated("<b>Not a word of the catalogue</b>") == "<b>Not a word of the catalogue</b>"
        assert translated("95% of 100%") == "95% of 100%" and translated(None) == "" and translated("") == ""
        assert role_name("mission_officer") == "chargé de mission" and role_name("stranger") == "stranger"
    assert translated("Substantiated") == "Substantiated" and role_name("mission_officer") == "mission officer"


def test_a_refusal_is_one_sentence_in_the_readers_language():
    from peaceops.access.policy import Actor, check_editor, check_mission
    from peaceops.errors import PermissionDenied

    viewer, officer = Actor(username="v", role="viewer"), Actor(username="o", role="mission_officer", mission="MINUSCA")
    with i18n.use_locale("fr"), pytest.raises(PermissionDenied) as refused:
        check_editor(viewer, "pledges")
    assert str(refused.value) == (
        "Votre rôle (lecteur) permet de lire ces données (engagements) mais pas de les modifier\u00a0; les analystes "
        "et les administrateurs le peuvent."
    )
    with i18n.use_locale("fr"), pytest.raises(PermissionDenied, match="hors de votre périmètre"):
        check_mission(officer, "UNMISS", "incident records")
    with pytest.raises(PermissionDenied, match=r"^Your role \(viewer\) can read pledges but not change them"):
        check_editor(viewer, "pledges")


def test_error_sentences_are_told_in_french():
    error = {"type": "int_parsing", "loc": ("body", "year"), "msg": "x"}
    with i18n.use_locale("fr"):
        assert plain_problem(error, {"year": "année"}) == "Le champ « année » doit être un nombre entier."
        assert FormInvalid("x", {"a": "1", "b": "2"}).summary().startswith("Rien n’est encore enregistré : 2 champs")
    assert plain_problem(error, {"year": "year"}) == "The year must be a whole number."
    assert FormInvalid("x", {"a": "1"}).summary().startswith("Nothing is saved yet: 1 field needs")


@pytest.fixture
def catalogues(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the catalogues that a test may change, read in place of the package's."""
    folder = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, folder)
    monkeypatch.setattr(i18n, "LOCALE_DIR", folder)
    i18n.translations.cache_clear()
    yield folder
    i18n.translations.cache_clear()


def _edit(po: Path, msgid: str, string: str, fuzzy: bool = False) -> None:
    with po.open("rb") as f:
        catalog = read_po(f)
    message = catalog[msgid]
    assert message is not None
    message.string = string
    if fuzzy:
        message.flags.add("fuzzy")
    with po.open("wb") as f:
        write_po(f, catalog, width=120)


def test_fuzzy_and_empty_translations_read_in_english(catalogues):
    po = catalogues / "fr" / "LC_MESSAGES" / "messages.po"
    _edit(po, "Password", "")
    _edit(po, "User name", "Identifiant (à revoir)", fuzzy=True)
    with i18n.use_locale("fr"):
        assert i18n._("Password") == "Password"
        assert i18n._("User name") == "User name"
        assert i18n._("Sign out") == "Se déconnecter"


def test_the_catalogues_ship_in_the_wheel():
    """The package data of pyproject.toml names the .po files (no .mo is built or committed)."""
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    pattern = next(p for p in package_data["peaceops"] if p.startswith("locale/"))
    shipped = {path.relative_to(i18n.LOCALE_DIR.parent).as_posix() for path in i18n.LOCALE_DIR.parent.glob(pattern)}
    assert {f"locale/{code}/LC_MESSAGES/messages.po" for code in ("fr", "ar")} <= shipped
    assert not list(i18n.LOCALE_DIR.rglob("*.mo"))


def _check_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("i18n_check", ROOT / "scripts" / "i18n_check.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_catalogue_check_passes_on_the_french_catalogue(capsys):
    assert _check_script().main([]) == 0
    assert "every marked text has its French translation" in capsys.readouterr().out


def test_the_catalogue_check_fails_on_a_missing_or_fuzzy_translation(tmp_path, capsys):
    po = tmp_path / "messages.po"
    shutil.copy(i18n.LOCALE_DIR / "fr" / "LC_MESSAGES" / "messages.po", po)
    _edit(po, "Password", "")
    _edit(po, "Sign out", "Sortir", fuzzy=True)
    assert _check_script().main(["--catalogue", str(po)]) == 1
    err = capsys.readouterr().err
    assert "not translated: 'Password'" in err and "fuzzy: 'Sign out'" in err
    assert "2 problem(s)" in err


def test_the_catalogue_check_fails_on_a_stale_or_absent_entry(tmp_path, capsys):
    po = tmp_path / "messages.po"
    with (i18n.LOCALE_DIR / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f)
    catalog.delete("Language")
    catalog.add("A text no code uses any more", "Un texte que plus rien n’utilise")
    with po.open("wb") as f:
        write_po(f, catalog)
    assert _check_script().main(["--catalogue", str(po)]) == 1
    err = capsys.readouterr().err
    assert "not in the catalogue: 'Language'" in err
    assert "no longer in the code (run make i18n): 'A text no code uses any more'" in err
