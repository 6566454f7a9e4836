"""The conflict dashboard, unit and alert pages and their JSON twins, over a stored run on real GED events."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from webclient import PASSWORD, audit_entries, chart_specs, csrf_from

from peaceops.access.compartments import grant
from peaceops.access.models import User
from peaceops.access.policy import SYSTEM
from peaceops.access.users import add_user
from peaceops.conflict.alerts import AlertRules, detect
from peaceops.conflict.forecast import ForecastConfig
from peaceops.conflict.monitoring import forecast_run
from peaceops.conflict.track_record import score_runs
from peaceops.platform import import_file
from peaceops.processes.inputs import MediatorDoc, ProcessDoc
from peaceops.processes.registry import create_process
from peaceops.settings import Settings
from peaceops.store import Database

CAR = 482
LOOSE = AlertRules(early_entry=0.0, escalation=0.0, spillover=0.0, rise=-1.0)  # every unit a rule can apply to


@pytest.fixture
def monitored(db_with_users: Database, settings: Settings) -> Database:
    """Central African Republic events, a small forecast run per level from 2019-12, and loose alerts."""
    path = settings.data_path("ucdp", "ged", "ged_central_african_republic.csv.gz")
    import_file(db_with_users, "ucdp-ged", path, "test", var_dir=settings.var_dir)
    with db_with_users.session() as s:
        for level in ("cm", "pgm"):
            run, panel, _ = forecast_run(
                s,
                settings.var_dir,
                level,
                cutoff=date(2019, 12, 1),
                horizon=6,
                actor="t",
                config=ForecastConfig(n_estimators=30, max_train_months=60),
            )
            detect(s, run, panel, settings.var_dir, "t", LOOSE)
    return db_with_users


def data_layer(spec: dict) -> dict:
    """The layer of a map that holds the data (cells, events), under the basemap's layers."""
    return next(
        layer for layer in spec["layer"] if "href" in layer.get("encoding", {}) or "size" in layer.get("encoding", {})
    )


def test_dashboard_unit_and_alert_pages_show_the_stored_run(monitored, signed_in):
    client = signed_in("viewer")
    board = client.get("/api/conflict/dashboard?level=pgm").json()
    assert board["run"]["cutoff"] == "2019-12" and board["run"]["horizon"] == 6
    units = board["units"]
    assert units and all(u["country_gw"] == CAR for u in units)
    assert [u["risk"] for u in units] == sorted((u["risk"] for u in units), reverse=True)
    assert board["events"] and all(e["date_end"] >= "2019-10-01" for e in board["events"])
    assert board["areas"][0]["name"] == "Central African Republic" and "MINUSCA" in board["areas"][0]["missions"]
    assert board["alerts"]

    page = client.get("/conflict?level=pgm")
    assert page.status_code == 200 and "Central African Republic · MINUSCA" in page.text
    specs = chart_specs(page.text)
    cells = data_layer(specs["risk"])["data"]["values"]
    assert len(cells) == len(units) and cells[0]["properties"]["url"].startswith("/conflict/units/pgm/")
    assert any(c["properties"]["area"] != "–" for c in cells), "cells name their admin-1 area (basemap)"
    assert len(data_layer(specs["events"])["data"]["values"]) == len(board["events"])
    for spec in (specs["risk"], specs["events"]):
        urls = [layer["data"].get("url") for layer in spec["layer"]]
        assert "/static/geo/basemap/CAF.json" in urls and "/static/geo/water-50m.json" in urls
        lon, lat = spec["projection"]["center"]
        assert 14 < lon < 28 and 2 < lat < 11, "fitted to the Central African Republic, not the world"
    by_mission = client.get("/api/conflict/dashboard?level=pgm&mission=MINUSCA").json()
    assert len(by_mission["units"]) == len(units)
    assert client.get("/api/conflict/dashboard?level=pgm&country=70").json()["units"] == []

    country = client.get("/api/conflict/dashboard?level=cm").json()
    assert [u["unit_id"] for u in country["units"]] == [CAR] and country["units"][0]["iso_numeric"] == "140"
    assert (
        country["run"]["benchmark_only"]
        and "at least 30 units with data to learn from, and this run has 1 " in country["run"]["method"]
    )
    assert "The conflictology benchmark, not the model" in client.get("/conflict?level=cm").text
    assert "not a model" in client.get(f"/conflict/units/cm/{CAR}").text, "the unit page says so too"

    top = units[0]["unit_id"]
    unit = client.get(f"/api/conflict/units/pgm/{top}").json()
    assert [f["step"] for f in unit["forecast"]] == [1, 2, 3, 4, 5, 6]
    assert unit["forecast"][0]["month"] == "2020-01" and unit["observed"][-1]["month"] == "2019-12"
    assert len(unit["observed"]) == 60 and len(unit["neighbours"]) == 8
    html = client.get(f"/conflict/units/pgm/{top}")
    assert html.status_code == 200
    fan = chart_specs(html.text)["fan"]
    assert len(fan["layer"][0]["data"]["values"]) == 6 and len(fan["layer"][3]["data"]["values"]) == 60
    assert client.get("/conflict/units/pgm/1").status_code == 404

    alert = board["alerts"][0]
    detail = client.get(f"/api/conflict/alerts/{alert['id']}").json()
    assert detail["evidence"]["forecast"] and len(detail["evidence"]["observed"]) == 12
    alert_page = client.get(f"/conflict/alerts/{alert['id']}")
    assert alert_page.status_code == 200 and detail["summary"] in alert_page.text
    assert "Acknowledge" not in alert_page.text, "a viewer gets no triage form"


def test_triage_is_for_non_viewers_and_audited(monitored, signed_in):
    viewer = signed_in("viewer")
    alert_id = viewer.get("/api/conflict/alerts?status=new").json()["alerts"][0]["id"]
    token = csrf_from(viewer.get("/").text)
    refused = viewer.post(
        f"/api/conflict/alerts/{alert_id}/status", json={"status": "closed"}, headers={"X-CSRF-Token": token}
    )
    assert refused.status_code == 403

    analyst = signed_in("analyst")
    page = analyst.get(f"/conflict/alerts/{alert_id}")
    done = analyst.post(
        f"/conflict/alerts/{alert_id}/status",
        data={"status": "acknowledged", "note": "Raised at the JMAC weekly", "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    after = analyst.get(f"/api/conflict/alerts/{alert_id}").json()
    assert (after["status"], after["note"], after["updated_by"]) == (
        "acknowledged",
        "Raised at the JMAC weekly",
        "analyst",
    )
    token = csrf_from(analyst.get("/").text)
    backwards = analyst.post(
        f"/api/conflict/alerts/{alert_id}/status", json={"status": "acknowledged"}, headers={"X-CSRF-Token": token}
    )
    assert backwards.status_code == 422 and "acknowledged can move to closed" in backwards.json()["detail"]
    closed = analyst.post(
        f"/api/conflict/alerts/{alert_id}/status", json={"status": "closed"}, headers={"X-CSRF-Token": token}
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    moves = [e for e in audit_entries(monitored, "status") if e.entity == "conflict_alert"]
    assert [(e.actor, e.after["status"]) for e in moves] == [("analyst", "acknowledged"), ("analyst", "closed")]


def test_the_country_page_shows_the_missions_published_reports_beside_ucdp_to_whom_may_read_them(monitored, signed_in):
    from peaceops.access.policy import Actor
    from peaceops.incidents.reports import IncidentInput, file_incident
    from peaceops.incidents.verification import transition

    reporter = Actor("analyst", "analyst")
    second = Actor("admin", "admin")
    with monitored.session() as s:
        for when, killed, publish in (
            ("2019-11-04 09:00", 4, True),
            ("2019-11-20 09:00", 2, True),
            ("2019-11-21 09:00", 7, False),
        ):
            incident = file_incident(
                s,
                reporter,
                IncidentInput(
                    mission="MINUSCA",
                    occurred_at=when,
                    category="attack_civilians",
                    subcategory=None,
                    source_type="patrol",
                    reliability="B",
                    credibility=2,
                    longitude=18.5582,
                    latitude=4.3612,
                    actors=["3R"],
                    casualties={"civilians_killed": killed},
                    description="Filed for the unit page test.",
                ),
            )
            transition(s, reporter, incident.id, "submit")
            transition(s, second, incident.id, "verify")
            if publish:
                transition(s, second, incident.id, "publish")
    page = signed_in("analyst").get(f"/conflict/units/cm/{CAR}")
    assert page.status_code == 200 and "MINUSCA's own reports beside UCDP" in page.text
    unit = signed_in("analyst").get(f"/api/conflict/units/cm/{CAR}").json()
    november = next(o for o in unit["observed"] if o["month"] == "2019-11")
    ucdp = november["state_based"] + november["non_state"] + november["one_sided"]
    row = '<tr><td>Nov 2019</td><td class="num">2</td><td class="num">6</td><td class="num">' + f"{ucdp:,}</td></tr>"
    assert row in page.text  # the unpublished report is not counted, and UCDP's figure is not changed by the reports
    assert "MINUSCA's own reports" not in signed_in("viewer").get(f"/conflict/units/cm/{CAR}").text
    assert "MINUSCA's own reports" not in signed_in("officer").get(f"/conflict/units/cm/{CAR}").text  # UNMISS officer


def test_a_french_reader_gets_places_and_the_method_in_french(monitored, signed_in, settings):
    with monitored.write() as s:
        viewer = s.scalar(select(User).where(User.username == "viewer"))
        assert viewer is not None
        viewer.locale = "fr"
    client = signed_in("viewer")
    board = client.get("/api/conflict/dashboard?level=pgm").json()
    assert board["areas"][0]["name"] == "République centrafricaine"
    assert board["run"]["method"] == "Le modèle seul, sans mélange avec une référence."
    assert board["units"][0]["name"].startswith("Cellule ") and board["units"][0]["name"].endswith(
        ", République centrafricaine"
    )
    unit = client.get(f"/api/conflict/units/cm/{CAR}").json()
    assert unit["name"] == unit["country"] == "République centrafricaine"
    assert "référence conflictologique" in unit["run"]["method"], "4 units at most: the benchmark, said in French"
    score_runs(monitored, settings.var_dir)
    record = client.get("/api/conflict/track-record?level=pgm").json()
    assert [r["name"] for r in record["by_country"]] == ["République centrafricaine"]


def test_the_track_record_page_scores_the_stored_runs_beside_the_benchmarks(monitored, signed_in, settings):
    client = signed_in("viewer")
    empty = client.get("/conflict/track-record?level=pgm")
    assert empty.status_code == 200 and "No grid cells (0.5°) forecast has been scored yet" in empty.text
    assert score_runs(monitored, settings.var_dir) == 2  # the file runs to 2021-12: both runs' six months are observed
    record = client.get("/api/conflict/track-record?level=pgm").json()
    assert [r["step"] for r in record["by_step"]] == [1, 2, 3, 4, 5, 6]
    assert [r["name"] for r in record["by_country"]] == ["Central African Republic"]
    assert record["runs"][0]["cutoff"] == "2019-12" and record["runs"][0]["through"] == "2020-06"
    overall = record["overall"]
    assert set(overall["models"]) == {"peaceops", "zero", "last_value", "conflictology"}
    assert overall["n"] == overall["models"]["zero"]["n"] > 6, "every cell of the run, on the same unit-months"
    page = client.get("/conflict/track-record?level=pgm")
    assert page.status_code == 200 and "By months ahead" in page.text
    assert f"{overall['ratio']:.2f}" in page.text and "observed to June 2020" in page.text
    rules = {r["kind"]: r for r in record["alerts"]}
    assert rules and all(r["hits"] + r["false_alarms"] == r["flagged"] for r in rules.values())
    assert "Alert rules" in page.text and "False-alarm ratio" in page.text
    assert client.get("/api/conflict/track-record?level=cm&country=70").json()["overall"] is None
    swept = {r["kind"]: r for r in client.get("/api/conflict/alerts/track-record?level=pgm").json()["rules"]}
    assert swept.keys() == rules.keys()
    for kind, rule in swept.items():
        assert rule["flagged"] == rules[kind]["flagged"] and len(rule["thresholds"]) > 3
        flagged_by = [t["flagged"] for t in rule["thresholds"]]
        assert flagged_by == sorted(flagged_by, reverse=True), "a higher threshold never flags more"
    assert "Had the rules fired at another risk" in page.text
    # Each alert of the scored run now says what became of it, from the events themselves.
    alerts = client.get("/api/conflict/alerts?level=pgm").json()["alerts"]
    outcomes = [client.get(f"/api/conflict/alerts/{a['id']}").json()["outcome"] for a in alerts]
    assert outcomes and all(o["result"] in ("hit", "false_alarm") for o in outcomes)
    assert all((o["lead_months"] is not None) == (o["result"] == "hit") for o in outcomes)
    shown = client.get(f"/conflict/alerts/{alerts[0]['id']}").text
    assert ("Hit" if outcomes[0]["result"] == "hit" else "False alarm") in shown
    assert "How past forecasts did" in client.get("/conflict?level=pgm").text
    # The same pages in French: headings, kinds and the track record's words translated, none in English.
    client.cookies.set("peaceops_lang", "fr")
    try:
        french = {
            "track": client.get("/conflict/track-record?level=pgm"),
            "alert": client.get(f"/conflict/alerts/{alerts[0]['id']}"),
            "board": client.get("/conflict?level=pgm"),
            "unit": client.get(f"/conflict/units/cm/{CAR}"),
        }
    finally:
        client.cookies.delete("peaceops_lang")
    assert all(r.status_code == 200 for r in french.values())
    assert "Bilan des prévisions" in french["track"].text and "Taux de fausses alertes" in french["track"].text
    assert "Had the rules fired" not in french["track"].text and "False-alarm ratio" not in french["track"].text
    assert ("Alerte confirmée" if outcomes[0]["result"] == "hit" else "Fausse alerte") in french["alert"].text
    assert "Suivi des conflits et alerte précoce" in french["board"].text
    assert "Morts de la violence étatique\u00a0: observés et prévus" in french["unit"].text


def test_mission_officers_triage_only_the_alerts_in_their_missions_area(monitored, signed_in):
    with monitored.session() as s:
        add_user(s, "minusca", PASSWORD, "mission_officer", mission="MINUSCA")
    alert_id = signed_in("viewer").get("/api/conflict/alerts?status=new").json()["alerts"][0]["id"]
    elsewhere = signed_in("officer")  # UNMISS, South Sudan: the alerts are about the Central African Republic
    page = elsewhere.get(f"/conflict/alerts/{alert_id}")
    assert page.status_code == 200 and "Acknowledge" not in page.text, "no button for an action it may not take"
    refused = elsewhere.post(
        f"/api/conflict/alerts/{alert_id}/status",
        json={"status": "acknowledged"},
        headers={"X-CSRF-Token": csrf_from(page.text)},
    )
    assert refused.status_code == 403 and "You work on UNMISS" in refused.json()["detail"]
    here = signed_in("minusca")
    page = here.get(f"/conflict/alerts/{alert_id}")
    assert "Acknowledge" in page.text
    done = here.post(
        f"/api/conflict/alerts/{alert_id}/status",
        json={"status": "acknowledged", "note": "Shared with the JOC"},
        headers={"X-CSRF-Token": csrf_from(page.text)},
    )
    assert done.status_code == 200 and done.json()["updated_by"] == "minusca"


def test_actions_on_an_alert_are_recorded_and_confidential_ones_shown_only_to_their_holders(monitored, signed_in):
    with monitored.session() as s:
        grant(s, "analyst", "process:7", actor="t")
    analyst = signed_in("analyst")
    alert_id = analyst.get("/api/conflict/alerts?status=new").json()["alerts"][0]["id"]
    page = analyst.get(f"/conflict/alerts/{alert_id}")
    form = {
        "instrument": "envoy_visit",
        "actor": "Special Envoy",
        "taken_on": "2020-01-15",
        "mission": "MINUSCA",
        "note": "Met the armed groups in Bria",
        "csrf_token": csrf_from(page.text),
    }
    done = analyst.post(f"/conflict/alerts/{alert_id}/actions", data=form, follow_redirects=False)
    assert done.status_code == 303
    secret = {**form, "instrument": "demarche", "note": "Démarche to the capital", "compartment": "process:7"}
    assert analyst.post(f"/conflict/alerts/{alert_id}/actions", data=secret, follow_redirects=False).status_code == 303
    token = csrf_from(page.text)
    mine = analyst.get(f"/api/conflict/alerts/{alert_id}/actions").json()["actions"]
    assert [(a["instrument"], a["mission"], a["compartment"]) for a in mine] == [
        ("envoy_visit", "MINUSCA", None),
        ("demarche", "MINUSCA", "process:7"),
    ]
    assert "Démarche to the capital" in analyst.get(f"/conflict/alerts/{alert_id}").text

    viewer = signed_in("viewer")  # holds no compartment: the confidential action does not exist for it
    theirs = viewer.get(f"/api/conflict/alerts/{alert_id}/actions").json()["actions"]
    assert [a["instrument"] for a in theirs] == ["envoy_visit"]
    seen = viewer.get(f"/conflict/alerts/{alert_id}").text
    assert "Met the armed groups" in seen and "capital" not in seen and "process:7" not in seen
    assert "Record the action" not in seen, "viewers are not offered the form"

    created = [e for e in audit_entries(monitored, "create") if e.entity == "alert_action"]
    assert len(created) == 2 and created[1].after == {"alert_id": alert_id, "compartment": "process:7"}
    assert "capital" not in str(created[1].after), "the audit log never holds a confidential action's content"

    bad = {"instrument": "drone", "actor": "x", "taken_on": "2020-01-01"}
    refused = analyst.post(f"/api/conflict/alerts/{alert_id}/actions", json=bad, headers={"X-CSRF-Token": token})
    assert refused.status_code == 422 and "choose one of: Good offices" in refused.json()["detail"]
    later = {**bad, "instrument": "other", "taken_on": "2999-01-01"}
    refused = analyst.post(f"/api/conflict/alerts/{alert_id}/actions", json=later, headers={"X-CSRF-Token": token})
    assert refused.status_code == 422 and "not a day to come" in refused.json()["detail"]
    unheld = {**bad, "instrument": "other", "compartment": "process:9"}
    refused = analyst.post(f"/api/conflict/alerts/{alert_id}/actions", json=unheld, headers={"X-CSRF-Token": token})
    assert refused.status_code == 403 and "compartment process:9" in refused.json()["detail"]
    empty = analyst.post(f"/conflict/alerts/{alert_id}/actions", data={**form, "taken_on": ""})
    assert empty.status_code == 422 and "Give the date the action was taken" in empty.text
    officer = signed_in("officer")  # UNMISS: not this area
    refused = officer.post(
        f"/api/conflict/alerts/{alert_id}/actions",
        json={**bad, "instrument": "other"},
        headers={"X-CSRF-Token": csrf_from(officer.get("/").text)},
    )
    assert refused.status_code == 403


def test_an_action_names_the_process_and_envoy_that_acted(monitored, signed_in):
    with monitored.session() as s:
        envoy = MediatorDoc(
            name="A. Envoy",
            organisation="United Nations",
            kind="un",
            title="Special Envoy",
            started_on=date(2019, 1, 1),
        )
        car = create_process(
            s, SYSTEM, ProcessDoc(name="CAR talks", conflict="CAR", country="Central African Republic",
                                  phase="negotiation", mediators=[envoy]),
        )  # fmt: skip
        other = create_process(
            s, SYSTEM, ProcessDoc(name="Other talks", conflict="Elsewhere", phase="prevention",
                                  mediators=[envoy.model_copy(update={"name": "B. Envoy"})]),
        )  # fmt: skip
        car_id, car_envoy, other_envoy = car.id, car.mediators[0].id, other.mediators[0].id
    analyst = signed_in("analyst")
    alert_id = analyst.get("/api/conflict/alerts?status=new").json()["alerts"][0]["id"]
    page = analyst.get(f"/conflict/alerts/{alert_id}").text
    offered = page[page.index('id="process"') :]
    assert offered.index("CAR talks") < offered.index("Other talks"), "the alert's country's processes first"
    form = {
        "instrument": "envoy_visit",
        "actor": "Special Envoy",
        "taken_on": "2020-01-15",
        "csrf_token": csrf_from(page),
    }
    done = analyst.post(
        f"/conflict/alerts/{alert_id}/actions",
        data={**form, "process": car_id, "envoy": car_envoy},
        follow_redirects=False,
    )
    assert done.status_code == 303
    action = analyst.get(f"/api/conflict/alerts/{alert_id}/actions").json()["actions"][0]
    assert (action["process"], action["envoy"]) == ("CAR talks", "A. Envoy")
    assert f'href="/processes/{car_id}"' in analyst.get(f"/conflict/alerts/{alert_id}").text
    wrong = analyst.post(f"/conflict/alerts/{alert_id}/actions", data={**form, "process": car_id, "envoy": other_envoy})
    assert wrong.status_code == 422 and "not a mediator of the process named" in wrong.text
    missing = analyst.post(f"/conflict/alerts/{alert_id}/actions", data={**form, "process": "999999"})
    assert missing.status_code == 422 and "There is no peace process 999999" in missing.text
    alone = analyst.post(
        f"/conflict/alerts/{alert_id}/actions", data={**form, "envoy": other_envoy}, follow_redirects=False
    )
    assert alone.status_code == 303, "an envoy alone names its process"
    last = analyst.get(f"/api/conflict/alerts/{alert_id}/actions").json()["actions"][-1]
    assert (last["process"], last["envoy"]) == ("Other talks", "B. Envoy")
