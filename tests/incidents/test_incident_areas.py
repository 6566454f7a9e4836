"""Incidents get their admin-1 area from the gazetteer the demo builds from the event store, also those
reported before it existed, so the weekly counts name areas instead of "Unknown area"."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, func, select

from peaceops.access.policy import Actor
from peaceops.cli.incidents import gazetteer_and_print
from peaceops.i18n import use_locale
from peaceops.incidents import IncidentInput, file_incident
from peaceops.incidents.models import GazetteerPlace, Incident
from peaceops.incidents.views import Filters, map_points, weekly_counts

REPORTER = Actor("reporter", "mission_officer", mission="MINUSCA")
BRIA = (21.9864, 6.5423)  # a town of Haute-Kotto with many GED events around it
MARCH = Filters(mission="MINUSCA", status="draft", start=date(2023, 3, 1), end=date(2023, 3, 31))


def report(ref: str) -> IncidentInput:
    return IncidentInput(
        occurred_at="2023-03-07 09:00",
        category="attack_civilians",
        source_type="patrol",
        reliability="B",
        credibility=2,
        longitude=BRIA[0],
        latitude=BRIA[1],
        external_ref=ref,
        description="Shots near the market.",
    )


def test_an_incident_filed_before_the_gazetteer_gets_its_area_when_the_demo_builds_it(incident_db, ged_var, capsys):
    with incident_db.write() as s:
        s.execute(delete(GazetteerPlace).where(GazetteerPlace.country_iso3 == "CAF"))
        early = file_incident(s, REPORTER, report("areas-early")).id
    with incident_db.session() as s:
        assert s.get(Incident, early).admin1 is None, "no gazetteer yet: nothing to place it in"
        areas = [r["area"] for r in weekly_counts(s, REPORTER, MARCH)["rows"]]
        assert "Unknown area" in areas
        with use_locale("fr"):
            assert "Unknown area" not in [r["area"] for r in weekly_counts(s, REPORTER, MARCH)["rows"]]

    counts = gazetteer_and_print(incident_db, ged_var, "peaceops demo")

    assert counts["admin1"] > 10 and counts["places"] > 100 and counts["incidents"] >= 1
    assert "incidents given their admin-1 area" in " ".join(capsys.readouterr().out.split())
    with incident_db.session() as s:
        area = s.get(Incident, early).admin1
        assert area and "Haute-Kotto" in area
        rows = weekly_counts(s, REPORTER, MARCH)["rows"]
        assert "Unknown area" not in [r["area"] for r in rows]
        assert any(r["area"] == area and r["total"] >= 1 for r in rows)
        later = file_incident(s, REPORTER, report("areas-later"))
        assert later.admin1 == area, "an incident filed now is placed at once"
        place = next(p[6] for p in map_points(s, REPORTER, MARCH)["points"] if p[0] == early)
        assert place == area, "the map's popup names the area"
        assert s.scalar(select(func.count()).select_from(GazetteerPlace).where(GazetteerPlace.country_iso3 == "CAF"))
