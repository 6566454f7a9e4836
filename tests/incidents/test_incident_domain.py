"""The incident domain on both backends: grading, places, workflow, versions, duplicates, merges,
CSV import errors and idempotence, the sensitive compartment, and the derived indicators."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from peaceops.access import compartments
from peaceops.access.policy import Actor
from peaceops.errors import ImportFileError, PermissionDenied, ValidationFailed
from peaceops.incidents import (
    IncidentInput,
    check_grading,
    detail,
    edit_incident,
    file_incident,
    import_incidents,
    merge,
    transition,
)
from peaceops.incidents.duplicates import find_duplicates
from peaceops.incidents.models import Incident
from peaceops.incidents.taxonomy import save_category, taxonomy_tree
from peaceops.incidents.views import Filters, incident_rows, map_points, weekly_counts
from peaceops.missions.models import Mission
from peaceops.performance.derived import DERIVATIONS as REGISTRY
from peaceops.performance.derived import Context
from peaceops.store.audit import AuditEntry

REPORTER = Actor("reporter", "mission_officer", mission="MINUSCA")
VERIFIER = Actor("verifier", "mission_officer", mission="MINUSCA")
OUTSIDER = Actor("outsider", "mission_officer", mission="MONUSCO")
ANALYST = Actor("analyst", "analyst")
BANGUI = (18.5582, 4.3612)


def report(**changes) -> IncidentInput:
    base = dict(
        occurred_at="2024-03-05 14:30",
        category="attack_civilians",
        subcategory="killing",
        source_type="patrol",
        reliability="B",
        credibility=2,
        longitude=BANGUI[0],
        latitude=BANGUI[1],
        actors=["3R"],
        casualties={"civilians_killed": 2, "civilians_injured": "1"},
        description="Armed men fired on a market.",
    )
    return IncidentInput(**{**base, **changes})


@pytest.mark.parametrize(
    ("reliability", "credibility", "message"),
    [
        ("G", 2, "Source reliability 'G' is not a grade"),
        ("", 2, "Source reliability '' is not a grade"),
        ("B", 7, "Information credibility 7 is not a grade"),
        ("B", "x", "Information credibility 'x' is not a grade"),
        ("b", 0, "use a number from 1"),
    ],
)
def test_grading_refuses_values_outside_a_to_f_and_1_to_6(reliability, credibility, message):
    with pytest.raises(ValidationFailed, match=message):
        check_grading(reliability, credibility)


def test_grading_accepts_every_standard_grade():
    assert [check_grading(r, c) for r, c in (("a", "1"), ("F", 6), (" c ", 3))] == [("A", 1), ("F", 6), ("C", 3)]


def test_filing_resolves_a_gazetteer_place_and_its_admin1_area(incident_db):
    with incident_db.session() as s:
        incident = file_incident(s, REPORTER, report(longitude=None, latitude=None, place="Bambari"))
        assert incident.place_name == "Bambari town"
        assert incident.admin1 and "Ouaka" in incident.admin1
        assert 20 < incident.longitude < 21.5 and 5 < incident.latitude < 6.5
        clicked = file_incident(s, REPORTER, report(occurred_at="2024-03-06 09:00"))
        assert clicked.admin1 and "Bangui" in clicked.admin1
        with pytest.raises(ValidationFailed, match="Place 'Atlantis' is not in the gazetteer of CAF"):
            file_incident(s, REPORTER, report(longitude=None, latitude=None, place="Atlantis"))


def test_validation_names_every_wrong_field_at_once(incident_db):
    with incident_db.session() as s:
        with pytest.raises(ValidationFailed) as caught:
            file_incident(
                s,
                REPORTER,
                report(
                    reliability="Z",
                    credibility=9,
                    longitude=200,
                    category="displacement",
                    subcategory=None,
                    casualties={"civilians_killed": "-1"},
                ),
            )
    message = str(caught.value)
    for part in (
        "Longitude 200",
        "Source reliability 'Z'",
        "Information credibility 9",
        "number of people displaced",
        "Civilians killed must be a whole number",
    ):
        assert part in message


def test_workflow_runs_draft_to_published_with_four_eyes_and_audit(incident_db):
    with incident_db.session() as s:
        incident = file_incident(s, REPORTER, report(occurred_at="2024-04-01 08:00"))
        assert incident.status == "draft"
        with pytest.raises(ValidationFailed, match="it can be verified only from submitted"):
            transition(s, VERIFIER, incident.id, "verify")
        transition(s, REPORTER, incident.id, "submit")
        with pytest.raises(PermissionDenied, match="another officer must verify it"):
            transition(s, REPORTER, incident.id, "verify")
        with pytest.raises(ValidationFailed, match="Say why the report is rejected"):
            transition(s, VERIFIER, incident.id, "reject", "  ")
        transition(s, VERIFIER, incident.id, "reject", "Location not confirmed")
        assert incident.rejection_reason == "Location not confirmed"
        transition(s, REPORTER, incident.id, "submit")
        with pytest.raises(PermissionDenied, match="outside your scope"):
            transition(s, OUTSIDER, incident.id, "verify")
        transition(s, VERIFIER, incident.id, "verify")
        transition(s, ANALYST, incident.id, "publish")
        assert (incident.status, incident.verified_by) == ("published", "verifier")
        steps = [(h["action"], h["to_status"], h["actor"]) for h in detail(s, REPORTER, incident.id)["history"]]
        assert steps == [
            ("filed", "draft", "reporter"),
            ("submit", "submitted", "reporter"),
            ("reject", "rejected", "verifier"),
            ("submit", "submitted", "reporter"),
            ("verify", "verified", "verifier"),
            ("publish", "published", "analyst"),
        ]
        audited = s.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.entity == "incident", AuditEntry.entity_id == str(incident.id))
            .order_by(AuditEntry.id)
        ).all()
        assert audited == ["create", "submit", "reject", "submit", "verify", "publish"]


def test_edits_after_verification_keep_versions_and_need_a_reason(incident_db):
    with incident_db.session() as s:
        incident = file_incident(s, REPORTER, report(occurred_at="2024-04-02 08:00"))
        edit_incident(s, REPORTER, incident.id, report(occurred_at="2024-04-02 09:00"))
        assert incident.version == 1  # a draft is edited in place
        transition(s, REPORTER, incident.id, "submit")
        transition(s, VERIFIER, incident.id, "verify")
        with pytest.raises(ValidationFailed, match="Say why a verified incident is changed"):
            edit_incident(
                s, REPORTER, incident.id, report(occurred_at="2024-04-02 09:00", casualties={"civilians_killed": 5})
            )
        edit_incident(
            s,
            REPORTER,
            incident.id,
            report(occurred_at="2024-04-02 09:00", casualties={"civilians_killed": 5}),
            "hospital figures",
        )
        found = detail(s, REPORTER, incident.id)
    assert found["version"] == 2 and found["civilians_killed"] == 5
    assert [(v["version"], v["reason"], v["snapshot"]["civilians_killed"]) for v in found["versions"]] == [
        (1, "hospital figures", 2)
    ]


def test_duplicates_are_found_by_category_distance_and_time_and_merge_keeps_history(incident_db):
    with incident_db.session() as s:
        first = file_incident(s, REPORTER, report(occurred_at="2024-05-10 10:00", actors=["3R"]))
        near = file_incident(
            s,
            VERIFIER,
            report(
                occurred_at="2024-05-10 20:00",
                longitude=BANGUI[0] + 0.03,
                actors=["UPC"],
                description="Market shooting.",
            ),
        )  # ~3.3 km, 10 h
        far = file_incident(s, VERIFIER, report(occurred_at="2024-05-10 11:00", longitude=BANGUI[0] + 0.2))  # ~22 km
        late = file_incident(s, VERIFIER, report(occurred_at="2024-05-12 11:00"))  # 49 h
        other = file_incident(s, VERIFIER, report(occurred_at="2024-05-10 11:00", category="threat", subcategory=None))
        assert [d["id"] for d in find_duplicates(s, REPORTER, first.id)] == [near.id]
        wide = {d["id"] for d in find_duplicates(s, REPORTER, first.id, km=30, hours=72)}
        assert wide == {near.id, far.id, late.id} and other.id not in wide
        with pytest.raises(ValidationFailed, match="between 0 and 500 km"):
            find_duplicates(s, REPORTER, first.id, km=0)
        merge(s, REPORTER, first.id, near.id)
        assert (near.status, near.merged_into_id) == ("merged", first.id)
        assert first.actors == ["3R", "UPC"] and "Market shooting." in first.description
        kept = detail(s, REPORTER, first.id)
        assert kept["merged_from"] == [near.id] and kept["version"] == 2
        assert detail(s, REPORTER, near.id)["history"][-1]["action"] == "merged"
        assert find_duplicates(s, REPORTER, first.id) == []  # a merged report is no longer a candidate
        with pytest.raises(ValidationFailed, match="different categories"):
            merge(s, REPORTER, first.id, other.id)


CSV_HEADER = (
    "external_ref,occurred_at,category,subcategory,longitude,latitude,place,actors,civilians_killed,displaced,"
    "source_type,reliability,credibility,description\n"
)
CSV_ROWS = [
    "CSV-1,2024-06-01 10:00,attack_civilians,killing,18.56,4.36,,3R;UPC,2,,patrol,B,2,Shots fired",
    "CSV-2,2024-06-02 11:00,displacement,,,,Bambari,,0,350,un_agency,A,1,Families fled",
    "CSV-3,2024-06-03,attack_peacekeepers,ambush,18.6,4.4,,,0,,patrol,Q,2,bad grade",
    "CSV-4,2024-06-04 09:00,displacement,,18.6,4.4,,,0,,patrol,B,3,missing displaced",
    "CSV-5,2024-06-05 09:00,no_such_category,,18.6,4.4,,,0,,patrol,B,3,unknown category",
    ",2024-06-05 09:00,threat,,18.6,4.4,,,0,,patrol,B,3,no reference",
    "CSV-1,2024-06-01 10:00,attack_civilians,killing,18.56,4.36,,,2,,patrol,B,2,repeated reference",
]


def test_csv_import_keeps_good_rows_rejects_bad_ones_with_reasons_and_never_duplicates(incident_db):
    text = CSV_HEADER + "\n".join(CSV_ROWS) + "\n"
    with incident_db.session() as s:
        first = import_incidents(s, REPORTER, None, text)
        assert (first.inserted, first.updated, first.unchanged) == (2, 0, 0)
        reasons = {r["line"]: r["reason"] for r in first.rejected}
        assert sorted(reasons) == [4, 5, 6, 7, 8]
        assert "Source reliability 'Q'" in reasons[4]
        assert "number of people displaced" in reasons[5]
        assert "Category 'no_such_category' is not in MINUSCA's taxonomy" in reasons[6]
        assert "external_ref is empty" in reasons[7]
        assert "already given on line 2" in reasons[8]
        again = import_incidents(s, REPORTER, None, text)
        assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
        changed = import_incidents(
            s, REPORTER, None, CSV_HEADER + CSV_ROWS[0].replace(",2,,patrol", ",4,,patrol") + "\n"
        )
        assert (changed.inserted, changed.updated) == (0, 1)
        mission_id = s.scalar(select(Mission.id).where(Mission.acronym == "MINUSCA"))
        rows = s.scalars(
            select(Incident).where(Incident.mission_id == mission_id, Incident.external_ref.like("CSV-%"))
        ).all()
        assert sorted((r.external_ref, r.status, r.civilians_killed, r.version) for r in rows) == [
            ("CSV-1", "submitted", 4, 2),
            ("CSV-2", "submitted", 0, 1),
        ]
        assert [r.extra for r in rows if r.external_ref == "CSV-2"] == [{"displaced": 350}]
        with pytest.raises(ImportFileError, match="lacks the column"):
            import_incidents(s, REPORTER, None, "occurred_at,category\n2024-01-01,threat\n")
        with pytest.raises(PermissionDenied):
            import_incidents(s, OUTSIDER, "MINUSCA", text)


def test_sensitive_category_is_compartmented_and_every_read_is_audited(incident_db):
    with incident_db.session() as s:
        incident = file_incident(
            s,
            REPORTER,
            report(
                occurred_at="2024-07-01 10:00", category="sexual_violence", subcategory=None, extra={"survivors": "2"}
            ),
        )
        assert incident.compartment == "incidents:sensitive:minusca"
        with pytest.raises(PermissionDenied, match="compartment incidents:sensitive:minusca"):
            detail(s, VERIFIER, incident.id)
        listed = incident_rows(s, VERIFIER, Filters(start=datetime(2024, 7, 1).date(), end=datetime(2024, 7, 1).date()))
        assert listed == []
        assert incident.id not in [p[0] for p in map_points(s, VERIFIER, Filters())["points"]]
        compartments.grant(s, "verifier", "incidents:sensitive:minusca", actor="test")
        holder = Actor(
            "verifier", "mission_officer", mission="MINUSCA", compartments=frozenset({"incidents:sensitive:minusca"})
        )
        before = s.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "read", AuditEntry.entity_id == str(incident.id))
        )
        assert detail(s, holder, incident.id)["restricted"] is True
        assert [
            r["id"]
            for r in incident_rows(
                s, holder, Filters(start=datetime(2024, 7, 1).date(), end=datetime(2024, 7, 1).date())
            )
        ] == [incident.id]
        after = s.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "read", AuditEntry.entity_id == str(incident.id))
        )
        assert after - before == 2


def test_taxonomy_is_mission_editable_data_with_required_fields(incident_db):
    with incident_db.session() as s:
        mission = s.scalar(select(Mission).where(Mission.acronym == "MINUSCA"))
        codes = [c["code"] for c in taxonomy_tree(s, mission)]
        for code in (
            "armed_clash",
            "attack_civilians",
            "attack_peacekeepers",
            "abduction",
            "sexual_violence",
            "displacement",
            "demonstration",
            "hate_speech",
            "threat",
            "armed_movement",
            "humanitarian_access",
        ):
            assert code in codes
        save_category(
            s, mission, REPORTER, code="cattle_raid", label="Cattle raids", required_fields=["armed_elements"]
        )
        save_category(s, mission, REPORTER, code="transhumance", label="Transhumance-related", parent="cattle_raid")
        with pytest.raises(ValidationFailed, match="not known"):
            save_category(s, mission, REPORTER, code="x_y", label="X", required_fields=["shoe_size"])
        with pytest.raises(ValidationFailed, match="needs the field 'estimated number of armed elements'"):
            file_incident(s, REPORTER, report(category="cattle_raid", subcategory="transhumance"))
        incident = file_incident(
            s, REPORTER, report(category="cattle_raid", subcategory="transhumance", extra={"armed_elements": "40"})
        )
        assert incident.extra == {"armed_elements": 40}


def test_published_reports_feed_the_monthly_derived_indicators(incident_db):
    with incident_db.session() as s:
        mission = s.scalar(select(Mission).where(Mission.acronym == "MINUSCA"))
        for when, category in (
            ("2023-01-10 10:00", "attack_civilians"),
            ("2023-01-20 10:00", "attack_civilians"),
            ("2023-03-02 10:00", "attack_peacekeepers"),
        ):
            incident = file_incident(
                s, REPORTER, report(occurred_at=when, category=category, subcategory=None, longitude=BANGUI[0] + 1)
            )
            transition(s, REPORTER, incident.id, "submit")
            transition(s, VERIFIER, incident.id, "verify")
            transition(s, VERIFIER, incident.id, "publish")
        unpublished = file_incident(s, REPORTER, report(occurred_at="2023-02-10 10:00", longitude=BANGUI[0] + 1))
        assert unpublished.status == "draft"
        # Published reports of other tests in this module (2024) extend the series; read 2023 only.
        civ = REGISTRY["incidents_attacks_on_civilians"](s, mission, Context(var_dir=None))
        pk = REGISTRY["incidents_attacks_on_peacekeepers"](s, mission, Context(var_dir=None))
    by_month = {p.period.start.isoformat()[:7]: p.value for p in civ.points}
    assert (by_month["2023-01"], by_month["2023-02"], by_month["2023-03"]) == (2.0, 0.0, 0.0)
    assert {p.period.start.isoformat()[:7]: p.value for p in pk.points}["2023-03"] == 1.0


def test_weekly_counts_group_verified_incidents_by_area_and_monday(incident_db):
    with incident_db.session() as s:
        ids = []
        for when in ("2022-08-01 10:00", "2022-08-03 10:00", "2022-08-09 10:00"):  # Monday, Wednesday, next Tuesday
            incident = file_incident(s, REPORTER, report(occurred_at=when))
            transition(s, REPORTER, incident.id, "submit")
            transition(s, VERIFIER, incident.id, "verify")
            ids.append(incident.id)
        file_incident(s, REPORTER, report(occurred_at="2022-08-02 10:00"))  # a draft is not counted
        window = Filters(start=datetime(2022, 8, 1).date(), end=datetime(2022, 8, 14).date())
        counts = weekly_counts(s, REPORTER, window)
        assert counts["weeks"] == ["2022-08-01", "2022-08-08"]
        assert len(counts["rows"]) == 1 and "Bangui" in counts["rows"][0]["area"]
        assert counts["rows"][0]["counts"] == [2, 1]
        assert weekly_counts(s, OUTSIDER, window)["rows"] == []
        start = datetime(2022, 8, 1) - timedelta(days=1)
        assert {
            p[0]
            for p in map_points(s, REPORTER, Filters(start=start.date(), end=window.end, bbox=(18, 4, 19, 5)))["points"]
        } >= set(ids)
        assert map_points(s, REPORTER, Filters(start=start.date(), end=window.end, bbox=(20, 4, 21, 5)))["points"] == []


def test_package_states_its_public_names():
    import peaceops.incidents as package

    assert sorted(package.__all__) == sorted(
        [
            "IncidentInput",
            "check_grading",
            "detail",
            "edit_incident",
            "file_incident",
            "find_duplicates",
            "import_incidents",
            "merge",
            "transition",
        ]
    )
    assert all(callable(getattr(package, name)) for name in package.__all__)


def test_published_reports_sit_beside_the_ucdp_events_of_the_host_country(incident_db, ged_var, data_dir):
    import csv
    import gzip

    from peaceops.incidents.analysis import beside_ucdp

    with gzip.open(data_dir / "ucdp" / "ged" / "ged_central_african_republic.csv.gz", "rt", encoding="utf-8") as f:
        june = [r for r in csv.DictReader(f) if r["date_end"].startswith("2021-06")]
    with incident_db.session() as s:
        mission = s.scalar(select(Mission).where(Mission.acronym == "MINUSCA"))
        for day in ("2021-06-03 10:00", "2021-06-20 10:00", "2022-01-15 10:00"):
            incident = file_incident(s, REPORTER, report(occurred_at=day, casualties={"civilians_killed": 3}))
            transition(s, REPORTER, incident.id, "submit")
            transition(s, VERIFIER, incident.id, "verify")
            transition(s, VERIFIER, incident.id, "publish")
        rows = {r["month"][:7]: r for r in beside_ucdp(s, ANALYST, mission, ged_var)}
    assert june, "the GED file has events in June 2021"
    assert rows["2021-06"]["mission_reports"] == 2 and rows["2021-06"]["mission_deaths"] == 6
    assert rows["2021-06"]["ucdp_events"] == len(june)
    assert rows["2021-06"]["ucdp_deaths"] == sum(int(r["best"]) for r in june)
    assert rows["2022-01"]["ucdp_events"] is None  # after the stored GED coverage: unknown, not zero
