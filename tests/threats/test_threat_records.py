"""Peace processes, conflict alerts and training courses with threat areas: set where each is edited (the
process document and its import file, the alert's triage rule, the course's own area), filtered and counted."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from threat_support import ANALYST, CAF_GW, COD_GW, MISSION_A, OFFICER_A, OFFICER_B, VIEWER, alert, count

from peaceops.conflict import dashboard as board
from peaceops.conflict.alerts import tag_alert
from peaceops.errors import PermissionDenied, ValidationFailed
from peaceops.platform import import_file
from peaceops.processes.inputs import ProcessDoc
from peaceops.processes.registry import (
    create_process,
    list_processes,
    process_detail,
    threat_area_counts,
    update_process,
)
from peaceops.store import Database
from peaceops.store.audit import AuditEntry
from peaceops.threats import threat_summary
from peaceops.training import course_list
from peaceops.training.listing import course_threat_counts, mission_course_codes

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
DAY = date(2024, 1, 1)


def _process(db: Database, name: str, **fields: object) -> int:
    with db.write() as s:
        doc = ProcessDoc(name=name, conflict="Test conflict", phase="negotiation", **fields)
        return int(create_process(s, ANALYST, doc, today=DAY).id)


def test_a_process_takes_its_threat_areas_from_the_document_and_keeps_them_when_an_update_says_nothing(
    missions: Database,
):
    tagged = _process(missions, "Lake process", country="Central African Republic", threat_areas="terrorism;cyber")
    _process(missions, "Coast process", threat_areas=[])
    with missions.write() as s:
        update_process(s, ANALYST, tagged, ProcessDoc(description="Talks resumed."), today=DAY)
        assert process_detail(s, tagged, today=DAY).threat_areas == ["terrorism", "cyber"]
        update_process(s, ANALYST, tagged, ProcessDoc(threat_areas=["climate_security"]), today=DAY)
        rows = list_processes(s, today=DAY, threat_area="climate_security")
        assert [(r.name, r.threat_areas) for r in rows] == [("Lake process", ["climate_security"])]
        assert len(list_processes(s, today=DAY)) == 2
        assert count(threat_area_counts(s), "climate_security") == 1 and count(threat_area_counts(s), "cyber") == 0
        query = select(AuditEntry).where(AuditEntry.entity == "peace_process", AuditEntry.action == "update")
        retagged = list(s.scalars(query.order_by(AuditEntry.id)))[-1]
        assert (retagged.before["threat_areas"], retagged.after["threat_areas"]) == (
            ["terrorism", "cyber"],
            ["climate_security"],
        )
    with pytest.raises(ValueError, match="'piracy' is not a threat area"):
        ProcessDoc(name="x", conflict="y", phase="negotiation", threat_areas=["piracy"])


def test_the_process_import_reads_threat_areas_refuses_a_bad_one_with_the_entry_number_and_reruns_unchanged(
    missions: Database, tmp_path: Path
):
    path = tmp_path / "processes.toml"
    path.write_text(
        '[[process]]\nname = "Lake process"\nconflict = "Lake conflict"\nphase = "negotiation"\n'
        'threat_areas = ["organised_crime", "terrorism"]\n\n'
        '[[process]]\nname = "River process"\nconflict = "River conflict"\nphase = "prevention"\n'
        'threat_areas = "climate_security;piracy"\n\n'
        '[[process]]\nname = "Hill process"\nconflict = "Hill conflict"\nphase = "prevention"\n',
        encoding="utf-8",
    )
    first = import_file(missions, "peace-processes", path, "test")
    assert (first.inserted, first.updated, first.unchanged) == (2, 0, 0)
    assert [r.line for r in first.rejections] == [2]
    assert "River process" in first.rejections[0].reason and "'piracy'" in first.rejections[0].reason
    again = import_file(missions, "peace-processes", path, "test")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    with missions.session() as s:
        assert {r.name: r.threat_areas for r in list_processes(s)} == {
            "Hill process": [],
            "Lake process": ["organised_crime", "terrorism"],
        }


def test_an_alert_is_tagged_by_those_who_triage_it_filtered_and_counted(missions: Database):
    with missions.write() as s:
        caf, cod = alert(s, CAF_GW), alert(s, COD_GW, kind="spillover")
        assert tag_alert(s, caf, ["terrorism"], OFFICER_A) == ["terrorism"]  # mission A works in CAF
        for who in (OFFICER_B, VIEWER):
            with pytest.raises(PermissionDenied):
                tag_alert(s, caf, ["cyber"], who)
        tag_alert(s, cod, "terrorism;organised_crime", ANALYST)
        with pytest.raises(ValidationFailed):
            tag_alert(s, cod, ["piracy"], ANALYST)
    with missions.session() as s:
        assert [a["id"] for a in board.alerts(s, threat_area="organised_crime")] == [cod]
        assert board.alert_detail(s, caf)["threat_areas"] == ["terrorism"]
        assert count(board.alert_threat_counts(s), "terrorism") == 2
        assert count(board.alert_threat_counts(s, country_gw=CAF_GW), "terrorism") == 1
        empty = board.dashboard(s, Path("/nonexistent"), "cm", country_gw=CAF_GW, threat_area="organised_crime")
        assert count(empty["alert_threat_areas"], "terrorism") == 1


def test_courses_reuse_their_own_area_as_their_threat_area(missions: Database):
    for kind in ("training-courses", "training-sessions"):
        import_file(missions, kind, EXAMPLES / f"{kind}.example.csv", "test")
    with missions.session() as s:
        assert [c.code for c in course_list(s, "cyber")] == ["EX-CYBER-1"]
        assert course_list(s, "terrorism") == []
        counts = course_threat_counts(s)
        assert count(counts, "cyber") == 1 and sum(c["count"] for c in counts) == 1  # A4P+ priorities are not areas
        assert count(course_threat_counts(s, [MISSION_A]), "cyber") == 0  # no record names it in mission A
        assert mission_course_codes(s, [MISSION_A]) == set()
        with pytest.raises(ValidationFailed):
            course_list(s, "A4P+.P3")


def test_the_mission_view_counts_each_kind_about_the_mission_and_its_host_country(missions: Database):
    _process(missions, "Bangui process", country="Central African Republic", threat_areas=["organised_crime"])
    _process(missions, "Kivu process", country="Democratic Republic of the Congo", threat_areas=["organised_crime"])
    with missions.write() as s:
        tag_alert(s, alert(s, CAF_GW), ["organised_crime"], ANALYST)
        tag_alert(s, alert(s, CAF_GW, kind="early_entry", status="closed"), ["organised_crime"], ANALYST)
    with missions.session() as s:
        summary = threat_summary(s, ANALYST, missions=[MISSION_A], countries=["CAF"], threat_area="organised_crime")
    row = next(r for r in summary["rows"] if r["code"] == "organised_crime")
    assert (row["processes"], row["alerts"], row["incidents"], row["items"]) == (1, 1, 0, 0)  # the closed alert: no
    assert [p["name"] for p in summary["records"]["processes"]] == ["Bangui process"]
