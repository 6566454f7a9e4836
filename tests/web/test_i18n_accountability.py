"""The conduct, safety, pledges, commitments and communications pages in French: interface text,
the words of the UN tables (outcomes, categories of personnel, types of incident) and chart legends in
French; the data as the sources give it; the JSON twins unchanged."""

from __future__ import annotations

import pytest
from webclient import chart_specs


@pytest.fixture
def french(reader):
    reader.cookies.set("peaceops_lang", "fr")
    yield reader
    reader.cookies.delete("peaceops_lang")


def test_the_conduct_page_reads_in_french_with_the_tables_words_translated(french):
    page = french.get("/conduct").text
    assert "Allégations par année" in page and "Durée des enquêtes" in page
    assert "Allegations per year" not in page and "How long investigations took" not in page
    years = chart_specs(page)["years"]
    legend = years["encoding"]["color"]["scale"]["domain"]
    assert "Militaires" in legend and "Military" not in legend
    assert {row["personnel_category"] for row in years["data"]["values"]} <= set(legend)
    assert years["encoding"]["tooltip"][1]["title"] == "Catégorie de personnel"
    outcomes = chart_specs(page)["outcomes"]["encoding"]["color"]["scale"]["domain"]
    assert "Fondée" in outcomes and "Substantiated" not in outcomes


def test_the_conduct_json_keeps_the_tables_own_words(french):
    body = french.get("/api/conduct").json()
    assert {r["personnel_category"] for r in body["by_year"]} <= {"Military", "Police", "Civilian", "Several"}


def test_the_safety_page_names_types_of_incident_in_french(french):
    page = french.get("/safety").text
    assert "Sûreté et sécurité des Casques bleus" in page
    assert "Acte de malveillance" in page and ">Malicious Act<" not in page
    types = chart_specs(page)["types"]
    assert "Acte de malveillance" in {r["incident_type"] for r in types["data"]["values"]}
    rates = chart_specs(page)["rates"]["encoding"]["color"]["scale"]["domain"]
    assert rates == ["Toutes causes", "Actes malveillants"]


def test_the_pledges_and_commitments_pages_read_in_french(french):
    pledges = french.get("/pledges").text
    assert "Engagements des États Membres" in pledges and "Member State pledges" not in pledges
    commitments = french.get("/commitments").text
    assert (
        "Mise en œuvre des accords de paix" in commitments and "Implementation of peace agreements" not in commitments
    )
    chart = french.get("/commitments/chart").text
    specs = chart_specs(chart)
    if specs:  # the demo seeds commitments: the curves' statuses are named in French
        legend = specs["all"]["encoding"]["color"]["scale"]["domain"]
        assert "Non évalué" in legend and "Not assessed" not in legend


def test_the_communications_pages_read_in_french(french):
    page = french.get("/comms").text
    assert "Communication stratégique" in page and "Alertes de pic" in page and "Spike alerts" not in page
    queue = french.get("/comms/queue").text
    assert "File d’examen" in queue and "au statut" in queue and "Review queue" not in queue
