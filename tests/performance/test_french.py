"""The data-entry grid, the assessment page and the value checks in French: periods (« T1 2024 »,
« mars 2024 »), breakdowns, workflow statuses and the sentences a rejected value is told with."""

from __future__ import annotations

from perf_web import csrf_from

BASE = "/performance/missions/UNMISS"


def test_the_grid_names_its_period_and_breakdowns_in_french(client_for):
    client = client_for("viewer")
    client.cookies.set("peaceops_lang", "fr")
    page = client.get(f"{BASE}/entry?period=2024-Q1").text
    assert "Saisie des données UNMISS\u00a0: T1 2024" in page and "Évaluation pour T1 2024" in page
    assert "Data entry" not in page and "Q1 2024" not in page
    assert "Sexe\u00a0: Femmes" in page  # a breakdown of a disaggregated indicator
    assert "mars 2024" in client.get(f"{BASE}/entry?period=2024-03").text
    assessment = client.get(f"{BASE}/assessments/2024-Q1").text
    assert (
        "Notes par objectif" in assessment
        and "Pas commencée" in assessment
        and "Ratings by objective" not in assessment
    )


def test_a_rejected_value_is_told_in_french(client_for):
    client = client_for("officer-unmiss")
    client.cookies.set("peaceops_lang", "fr")
    token = csrf_from(client.get(f"{BASE}/entry?period=2024-Q1").text)
    response = client.post(
        f"{BASE}/entry/cell",
        data={"code": "POC_ALERTS", "period": "2024-Q1", "field": "value", "value": "beaucoup"},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    assert response.headers["X-Cell-Status"] == "error"
    assert "n’est pas un nombre" in response.text and "is not a number" not in response.text
