"""Published reports in the mission's conflict panel, beside the real UCDP GED events of the Central African
Republic, on both backends: separate columns (never summed with the events), the reader's access rule,
months the event files do not cover left empty, the grid level, the forecast's features, and the API."""

from __future__ import annotations

import csv
import gzip
import io
from collections import Counter

import pandas as pd
import pytest
from sqlalchemy import select

from peaceops.access.policy import Actor
from peaceops.conflict.forecast import feature_columns
from peaceops.conflict.panels import REPORT_COLUMNS, country_month_panel, panel_frame
from peaceops.geography.priogrid import priogrid_gid
from peaceops.incidents.access import sensitive_compartment
from peaceops.incidents.analysis import mission_panel
from peaceops.incidents.reports import IncidentInput, file_incident
from peaceops.incidents.verification import transition
from peaceops.missions.models import Mission
from peaceops.store.audit import AuditEntry
from peaceops.store.events import events_table

CAR = 482  # Gleditsch-Ward code of the Central African Republic, MINUSCA's host
SENSITIVE = frozenset({sensitive_compartment("MINUSCA")})
REPORTER = Actor("reporter", "mission_officer", mission="MINUSCA", compartments=SENSITIVE)
VERIFIER = Actor("verifier", "mission_officer", mission="MINUSCA", compartments=SENSITIVE)
ANALYST = Actor("analyst", "analyst")
HOLDER = Actor("holder", "analyst", compartments=SENSITIVE)
BRIA = (21.9865, 6.5423)
# (when, category, civilians killed, published?)
REPORTS = [
    ("2021-06-03 10:00", "attack_civilians", 3, True),
    ("2021-06-20 10:00", "attack_civilians", 4, True),
    ("2021-06-25 10:00", "sexual_violence", 0, True),  # sensitive: only compartment holders count it
    ("2021-06-28 10:00", "attack_civilians", 9, False),  # verified, never published: not in the panel
    ("2022-02-11 10:00", "attack_peacekeepers", 0, True),  # after the CAR file ends (2021-12)
]


def _report(when: str, category: str, killed: int) -> IncidentInput:
    return IncidentInput(
        occurred_at=when,
        category=category,
        subcategory=None,
        source_type="patrol",
        reliability="B",
        credibility=2,
        longitude=BRIA[0],
        latitude=BRIA[1],
        actors=["UPC"],
        casualties={"civilians_killed": killed} if killed else {},
        extra={"survivors": "1"} if category == "sexual_violence" else {},
        description="Filed for the panel test.",
    )


@pytest.fixture(scope="module")
def reported(incident_db):
    with incident_db.session() as s:
        for when, category, killed, publish in REPORTS:
            incident = file_incident(s, REPORTER, _report(when, category, killed))
            transition(s, REPORTER, incident.id, "submit")
            transition(s, VERIFIER, incident.id, "verify")
            if publish:
                transition(s, VERIFIER, incident.id, "publish")
    return incident_db


def _ged_june_2021(data_dir) -> list[dict[str, str]]:
    with gzip.open(data_dir / "ucdp" / "ged" / "ged_central_african_republic.csv.gz", "rt", encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["date_end"].startswith("2021-06")]


def _row(frame: pd.DataFrame, month: str, unit: int | None = None) -> pd.Series:
    picked = frame[frame["month"] == pd.Timestamp(month)]
    if unit is not None:
        picked = picked[picked["unit_id"] == unit]
    assert len(picked) == 1, picked
    return picked.iloc[0]


def test_reports_sit_beside_the_events_and_never_add_to_them(reported, ged_var, data_dir):
    june = _ged_june_2021(data_dir)
    with reported.session() as s:
        mission = s.scalar(select(Mission).where(Mission.acronym == "MINUSCA"))
        panel = mission_panel(s, ANALYST, mission, ged_var, "cm")
    row = _row(panel, "2021-06-01")
    assert (row["mission_reports"], row["mission_deaths"]) == (2, 7)  # sensitive and unpublished left out
    state_based = sum(int(r["best"]) for r in june if r["type_of_violence"] == "1")
    one_sided = sum(int(r["best"]) for r in june if r["type_of_violence"] == "3")
    assert (row["sb_best"], row["os_best"]) == (state_based, one_sided)
    plain = panel_frame(
        country_month_panel(events_table(ged_var), pd.Timestamp("2019-01-01").date(), pd.Timestamp("2021-12-01").date())
    )
    before = _row(plain[plain["unit_id"] == CAR], "2021-06-01")
    for name in ("sb_best", "ns_best", "os_best", "civ_deaths", "sb_best_roll12", "sb25_months_since"):
        assert row[name] == before[name], name
    assert set(panel["unit_id"]) == {CAR}
    assert panel["month"].min() == pd.Timestamp("2019-01-01")  # three years of events before the files end
    assert panel["mission_reports"].sum() == 3


def test_months_the_event_files_do_not_cover_are_empty_not_zero(reported, ged_var):
    with reported.session() as s:
        mission = s.scalar(select(Mission).where(Mission.acronym == "MINUSCA"))
        panel = mission_panel(s, ANALYST, mission, ged_var, "cm")
    after = _row(panel, "2022-02-01")
    assert after["mission_reports"] == 1 and not after["events_covered"]
    assert pd.isna(after["sb_best"]) and pd.isna(after["sb_best_lag1"])
    assert panel["month"].max() == pd.Timestamp("2022-02-01")
    assert bool(_row(panel, "2021-12-01")["events_covered"])


def test_a_compartment_holder_counts_the_sensitive_report_and_the_read_is_audited(reported, ged_var):
    with reported.session() as s:
        mission = s.scalar(select(Mission).where(Mission.acronym == "MINUSCA"))
        panel = mission_panel(s, HOLDER, mission, ged_var, "cm")
        audited = s.scalars(
            select(AuditEntry).where(AuditEntry.actor == "holder", AuditEntry.entity == "incident")
        ).all()
    assert _row(panel, "2021-06-01")["mission_reports"] == 3
    assert [a.after["via"] for a in audited] == ["conflict panel (cm)"]


def test_the_grid_panel_puts_reports_in_their_cell_beside_its_events(reported, ged_var, data_dir):
    cell = priogrid_gid(BRIA[1], BRIA[0])
    june = _ged_june_2021(data_dir)
    in_cell = Counter(int(r["priogrid_gid"]) for r in june if r["type_of_violence"] == "1")
    with reported.session() as s:
        mission = s.scalar(select(Mission).where(Mission.acronym == "MINUSCA"))
        panel = mission_panel(s, ANALYST, mission, ged_var, "pgm", start=pd.Timestamp("2021-01-01").date())
    row = _row(panel, "2021-06-01", cell)
    assert (row["mission_reports"], row["mission_deaths"]) == (2, 7)
    assert row["sb_count"] == in_cell.get(cell, 0)
    assert panel.loc[panel["unit_id"] != cell, "mission_reports"].sum() == 0
    assert len(set(panel["unit_id"])) > 50  # every cell with CAR events, not only the reported one


def test_the_forecast_never_takes_the_reports_as_features(reported, ged_var):
    with reported.session() as s:
        mission = s.scalar(select(Mission).where(Mission.acronym == "MINUSCA"))
        panel = mission_panel(s, ANALYST, mission, ged_var, "cm")
    features = feature_columns(panel)
    assert "sb_best_lag1" in features and not set(REPORT_COLUMNS) & set(features)


def test_panel_api_and_csv_follow_the_incident_scope(reported, client_for):
    analyst = client_for("analyst")
    body = analyst.get("/api/incidents/panel?mission=MINUSCA&level=cm").json()
    june = next(r for r in body["rows"] if r["month"] == "2021-06")
    assert (june["mission_reports"], june["mission_deaths"]) == (2, 7)
    assert next(r for r in body["rows"] if r["month"] == "2022-02")["sb_best"] is None
    exported = list(csv.DictReader(io.StringIO(analyst.get("/api/incidents/panel.csv?mission=MINUSCA").text)))
    assert [r["mission_reports"] for r in exported if r["month"] == "2021-06"] == ["2"]
    assert [r["sb_best"] for r in exported if r["month"] == "2022-02"] == [""]
    assert client_for("outsider").get("/api/incidents/panel?mission=MINUSCA").status_code == 403
    assert client_for("viewer").get("/api/incidents/panel.csv?mission=MINUSCA").status_code == 403
    assert analyst.get("/api/incidents/panel?mission=MINUSCA&start=June").status_code == 422
    page = client_for("reporter").get("/incidents")
    assert 'href="/api/incidents/panel.csv?mission=MINUSCA&amp;level=cm"' in page.text
