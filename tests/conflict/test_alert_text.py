"""An alert's summary and title are written when read, in the reader's language, from the facts it stores; an
alert stored before it kept them shows its stored English text."""

from __future__ import annotations

from datetime import date

import pytest

from peaceops.conflict.alert_text import summary_text, title_text
from peaceops.conflict.models import ConflictAlert
from peaceops.conflict.units import unit_label, unit_text
from peaceops.i18n import format_list, use_locale

CAR, CHAD = 482, 483
NBSP, NNBSP = "\u00a0", "\u202f"  # French puts a no-break space before ":" ";" "%", a narrow one between thousands
FACTS = {
    "risk": 0.4512,
    "risk_before": 0.1,
    "expected_next_3": 1234.4,
    "sb_best_roll3": 17,
    "neighbours": [
        {"unit_id": 138641, "country_gw": CHAD, "name": "(stored)", "sb_best_roll3": 40},
        {"unit_id": 137922, "country_gw": CAR, "name": "(stored)", "sb_best_roll3": 30},
        {"unit_id": 137920, "country_gw": CAR, "name": "(stored)", "sb_best_roll3": 26},
        {"unit_id": 137201, "country_gw": CAR, "name": "(stored)", "sb_best_roll3": 25},  # the fourth is not named
    ],
    "observed": [],
    "forecast": [],
    "events": [],
}


def alert(kind: str, level: str = "pgm", unit: int = 137921, evidence: dict | None = None) -> ConflictAlert:
    return ConflictAlert(
        kind=kind, level=level, unit_id=unit, country_gw=CAR, run_id=1, cutoff=date(2021, 12, 1), risk=0.45,
        risk_before=0.1, evidence=FACTS if evidence is None else evidence, summary="Stored English text.",
        status="new", note="",
    )  # fmt: skip


CELL_EN = "Cell 137921 (5.75N, 20.25E), Central African Republic"
CELL_FR = f"Cellule 137921 (5,75{NBSP}N{NBSP}; 20,25{NBSP}E), République centrafricaine"
ENGLISH = {
    "early_entry": f"{CELL_EN}: no month with 25+ deaths in the past year, but the risk of one in the next 3 months "
    "is 45% (was 10% a month earlier).",
    "escalation": f"{CELL_EN}: 1,234 deaths expected in the next 3 months against 17 in the last 3; risk of a 25+ "
    "month 45% (was 10% a month earlier).",
    "spillover": f"{CELL_EN}: next to Cell 138641 (6.25N, 20.25E), Chad, Cell 137922 (5.75N, 20.75E), Central "
    "African Republic, and Cell 137920 (5.75N, 19.75E), Central African Republic (25+ deaths in a recent month); "
    "own risk 45% (was 10% a month earlier).",
}
FRENCH = {
    "early_entry": f"{CELL_FR}{NBSP}: aucun mois à 25 morts ou plus depuis un an, mais le risque d’en connaître un "
    f"dans les 3 prochains mois est de 45{NBSP}% (contre 10{NBSP}% un mois plus tôt).",
    "escalation": f"{CELL_FR}{NBSP}: 1{NNBSP}234 morts attendus dans les 3 prochains mois contre 17 ces 3 derniers "
    f"mois{NBSP}; risque d’un mois à 25 morts ou plus de 45{NBSP}% (contre 10{NBSP}% un mois plus tôt).",
    "spillover": f"{CELL_FR}{NBSP}: voisin de Cellule 138641 (6,25{NBSP}N{NBSP}; 20,25{NBSP}E), Tchad, Cellule "
    f"137922 (5,75{NBSP}N{NBSP}; 20,75{NBSP}E), République centrafricaine et Cellule 137920 (5,75{NBSP}N{NBSP}; "
    f"19,75{NBSP}E), République centrafricaine (25 morts ou plus au cours d’un mois récent){NBSP}; risque propre "
    f"de 45{NBSP}% (contre 10{NBSP}% un mois plus tôt).",
}


@pytest.mark.parametrize("kind", ["early_entry", "escalation", "spillover"])
def test_each_kind_of_alert_reads_as_one_whole_sentence_in_english_and_in_french(kind):
    found = alert(kind)
    assert summary_text(found) == ENGLISH[kind]
    with use_locale("fr"):
        assert summary_text(found) == FRENCH[kind]


def test_a_single_expected_death_is_singular_in_both_languages():
    found = alert("escalation", level="cm", unit=CAR, evidence={**FACTS, "expected_next_3": 0.6, "sb_best_roll3": 0})
    assert summary_text(found) == (
        "Central African Republic: 1 death expected in the next 3 months against 0 in the last 3; risk of a 25+ "
        "month 45% (was 10% a month earlier)."
    )
    with use_locale("fr"):
        assert summary_text(found).startswith(f"République centrafricaine{NBSP}: 1 mort attendu dans les 3 prochains")


def test_country_neighbours_are_named_in_the_readers_language():
    neighbours = [{"unit_id": CHAD, "name": "Chad", "sb_best_roll3": 90}, {"unit_id": 625, "name": "Sudan"}]
    found = alert("spillover", level="cm", unit=CAR, evidence={**FACTS, "neighbours": neighbours})
    assert summary_text(found).startswith("Central African Republic: next to Chad and Sudan (25+ deaths")
    with use_locale("fr"):
        assert summary_text(found).startswith(f"République centrafricaine{NBSP}: voisin de Tchad et Soudan (25 morts")


@pytest.mark.parametrize("kind", ["early_entry", "escalation", "spillover"])
def test_an_alert_stored_before_its_facts_were_kept_shows_its_stored_text(kind):
    old = {key: value for key, value in FACTS.items() if key != "sb_best_roll3"}  # what alerts held before
    with use_locale("fr"):
        assert summary_text(alert(kind, evidence=old)) == "Stored English text."


def test_an_alerts_title_names_its_kind_and_unit_in_the_readers_language():
    assert title_text("escalation", "cm", CAR, CAR) == "Escalation alert: Central African Republic"
    assert title_text("early_entry", "pgm", 137921, CAR) == f"Early entry alert: {CELL_EN}"
    with use_locale("fr"):
        assert title_text("spillover", "cm", CHAD, None) == f"Alerte de débordement{NBSP}: Tchad"
        assert title_text("early_entry", "pgm", 137921, CAR) == f"Alerte d’entrée précoce{NBSP}: {CELL_FR}"


@pytest.mark.parametrize(("level", "unit", "country"), [("pgm", 137921, CAR), ("pgm", 1, None), ("cm", 652, None)])
def test_a_units_name_in_english_is_its_label(level, unit, country):
    assert unit_text(level, unit, country) == unit_label(level, unit, country)


def test_names_are_listed_as_the_language_lists_them():
    assert format_list(["Chad", "Sudan", "Cameroon"]) == "Chad, Sudan, and Cameroon"
    with use_locale("fr"):
        assert format_list(["Tchad", "Soudan", "Cameroun"]) == "Tchad, Soudan et Cameroun"
    assert format_list([]) == ""


def test_a_cell_in_the_south_west_reads_in_french_with_the_french_compass_letters():
    with use_locale("fr"):
        assert unit_text("pgm", 1) == f"Cellule 1 (89,75{NBSP}S{NBSP}; 179,75{NBSP}O)"
        assert unit_text("cm", 99999) == "Pays 99999"
