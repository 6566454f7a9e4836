"""The mission page, the missions register, the home page and the scorecard in French: no English left but data."""

from __future__ import annotations

import pytest
from webclient import chart_specs

from peaceops import i18n
from peaceops.performance.rating import amount, explain


@pytest.fixture
def french(reader):
    reader.cookies.set("peaceops_lang", "fr")
    yield reader
    reader.cookies.delete("peaceops_lang")


def test_the_mission_page_reads_in_french_with_french_dates_and_numbers(french):
    page = french.get("/missions/UNMISS").text
    assert "Pays hôte" in page and "Évolution du personnel en tenue" in page
    assert "Les données par sexe s’arrêtent ici en février 2014." in page
    for english in ("Host country", "Uniformed personnel over time", "Figures by month", "The gender data"):
        assert english not in page
    specs = chart_specs(page)
    assert specs["strength"]["encoding"]["x"]["title"] is None
    assert specs["strength"]["layer"][0]["encoding"]["y"]["title"] == "Personnel en tenue"
    assert "Femmes" in specs["contributors"]["encoding"]["color"]["scale"]["domain"]


def test_the_register_and_the_home_page_read_in_french(french):
    register = french.get("/missions").text
    assert "Pays hôte" in register and "en cours" in register and "Host country" not in register
    home = french.get("/").text
    assert "Les opérations de paix des Nations Unies en un coup d’œil" in home
    assert "Data as of" not in home


def test_a_cached_page_is_not_served_in_the_language_of_whoever_asked_first(reader):
    assert "Host country" in reader.get("/missions").text
    reader.cookies.set("peaceops_lang", "fr")
    try:
        assert "Host country" not in reader.get("/missions").text
    finally:
        reader.cookies.delete("peaceops_lang")
    assert "Host country" in reader.get("/missions").text


def test_the_scorecard_reads_in_french(french):
    page = french.get("/performance/scorecard?period=2014-02").text
    assert "Fiche d’évaluation" in page and "En bonne voie" in page and "Scorecard:" not in page


def test_rating_reasons_and_amounts_follow_the_language():
    with i18n.use_locale("fr"):
        assert amount(12.345, "percent") == "12,3 %"
        assert amount(1234.5, "") == "1\u202f234" or amount(1234.5, "") == "1\u00a0234"
        assert explain("no_data", []) == "Aucun indicateur n’a de cible pour la période (0 en tout)."
    assert amount(12.345, "percent") == "12.3 %"
    assert explain("no_data", []) == "None of the 0 indicators has a target for the period."


def test_the_pdf_report_templates_are_marked():
    from test_i18n_marked import unmarked

    from peaceops.reports.environment import TEMPLATES as REPORTS
    from peaceops.web.templating import make_templates

    env = make_templates().env
    source = (REPORTS / "agreements_brief.html").read_text(encoding="utf-8")
    assert unmarked(env, source) == []
