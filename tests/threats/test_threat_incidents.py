"""Incidents tagged with threat areas: set on filing and editing, kept in versions, read and refused by the
import with line numbers, filtered and counted over exactly the reports the reader may open."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from threat_support import (
    ANALYST,
    HOLDER,
    MISSION_A,
    MISSION_B,
    OFFICER_A,
    OFFICER_B,
    VIEWER,
    alert,
    count,
    file,
    report,
)

from peaceops.errors import FormInvalid, PermissionDenied
from peaceops.incidents.importing import import_incidents
from peaceops.incidents.models import Incident, IncidentThreatArea, IncidentVersion
from peaceops.incidents.reports import detail, edit_incident
from peaceops.incidents.views import Filters, incident_rows, threat_area_counts
from peaceops.regions.room import region_room
from peaceops.store import Database
from peaceops.store.audit import AuditEntry
from peaceops.threats import threat_summary

HEADER = "external_ref,occurred_at,category,source_type,reliability,credibility,longitude,latitude,threat_areas\n"


def _row(ref: str, areas: str) -> str:
    return f"{ref},2024-05-02 10:00,armed_clash,patrol,B,2,18.55,4.36,{areas}\n"


def test_a_report_filed_with_threat_areas_is_found_by_the_filter_and_counted(missions: Database):
    with missions.write() as s:
        tagged = file(s, OFFICER_A, report("T-1", threat_areas=["terrorism", "organised_crime"]))
        file(s, OFFICER_A, report("T-2", threat_areas=""))
        assert detail(s, OFFICER_A, tagged)["threat_areas"] == ["organised_crime", "terrorism"]
        found = incident_rows(s, OFFICER_A, Filters(threat_area="terrorism"))
        assert [r["id"] for r in found] == [tagged] and found[0]["threat_areas"] == ["organised_crime", "terrorism"]
        assert len(incident_rows(s, OFFICER_A, Filters())) == 2
        counts = threat_area_counts(s, OFFICER_A, Filters(threat_area="terrorism"))  # the filter itself left out
        assert count(counts, "terrorism") == 1 and count(counts, "organised_crime") == 1 and count(counts, "cyber") == 0


def test_a_bad_code_on_the_form_is_refused_beside_the_field_and_nothing_is_filed(missions: Database):
    with missions.write() as s:
        with pytest.raises(FormInvalid) as refused:
            file(s, OFFICER_A, report("T-3", threat_areas="cyber;piracy"))
        assert "'piracy'" in refused.value.fields["threat_areas"]
    with missions.session() as s:
        assert s.scalar(select(Incident.id)) is None


def test_an_edit_retags_the_report_and_its_version_keeps_the_old_tags(missions: Database):
    with missions.write() as s:
        incident_id = file(s, OFFICER_A, report("T-4", threat_areas=["cyber"]))
        s.get(Incident, incident_id).status = "submitted"  # past the draft: edits keep versions
        edit_incident(s, OFFICER_A, incident_id, report("T-4", threat_areas=["climate_security"]), "retagged")
        assert detail(s, OFFICER_A, incident_id)["threat_areas"] == ["climate_security"]
        version = s.scalar(select(IncidentVersion).where(IncidentVersion.incident_id == incident_id))
        assert version.snapshot["threat_areas"] == ["cyber"]
        # None (a file without the column) keeps what is stored
        edit_incident(s, OFFICER_A, incident_id, report("T-4", threat_areas=None), "no tags given")
        assert detail(s, OFFICER_A, incident_id)["threat_areas"] == ["climate_security"]


def test_the_import_reads_threat_areas_rejects_a_bad_code_with_its_line_and_a_rerun_changes_nothing(
    missions: Database,
):
    text = HEADER + _row("F-1", "terrorism;cyber") + _row("F-2", "piracy") + _row("F-3", "")
    with missions.write() as s:
        first = import_incidents(s, ANALYST, MISSION_A, text)
    assert (first.inserted, first.updated, first.unchanged) == (2, 0, 0)
    assert [(r["line"], r["external_ref"]) for r in first.rejected] == [(3, "F-2")]
    assert "'piracy' is not a threat area" in first.rejected[0]["reason"]
    with missions.write() as s:
        again = import_incidents(s, ANALYST, MISSION_A, text)
        assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
        rows = {r["external_ref"]: r["threat_areas"] for r in incident_rows(s, ANALYST, Filters())}
    assert rows == {"F-1": ["terrorism", "cyber"], "F-3": []}
    with missions.write() as s:  # a corrected cell retags; a file without the column leaves tags alone
        changed = import_incidents(s, ANALYST, MISSION_A, HEADER + _row("F-3", "hybrid_threats"))
        plain = (
            "external_ref,occurred_at,category,source_type,reliability,credibility,longitude,latitude\n"
            "F-1,2024-05-02 10:00,armed_clash,patrol,B,2,18.55,4.36\n"
        )
        kept = import_incidents(s, ANALYST, MISSION_A, plain)
        rows = {r["external_ref"]: r["threat_areas"] for r in incident_rows(s, ANALYST, Filters())}
    assert changed.updated == 1 and (kept.updated, kept.unchanged) == (0, 1)
    assert rows == {"F-1": ["terrorism", "cyber"], "F-3": ["hybrid_threats"]}


def test_a_deleted_report_takes_its_tags_with_it(missions: Database):
    with missions.write() as s:
        incident_id = file(s, OFFICER_A, report("T-5", threat_areas=["cyber"]))
    with missions.write() as s:
        s.delete(s.get(Incident, incident_id))
    with missions.session() as s:
        assert s.scalar(select(IncidentThreatArea.incident_id)) is None


# ---- the leak test: a restricted report's tag is counted only for those who may open the report ------------


def _seed_restricted(db: Database) -> tuple[int, int]:
    """A restricted (sexual violence) report tagged organised crime and an open one tagged organised crime
    and terrorism, both of mission A; and an open alert in mission A's host country tagged terrorism."""
    from peaceops.conflict.alerts import tag_alert

    with db.write() as s:
        restricted = file(s, HOLDER, report("R-1", "sexual_violence", threat_areas=["organised_crime"]))
        opened = file(s, HOLDER, report("R-2", threat_areas=["organised_crime", "terrorism"]))
        tag_alert(s, alert(s), ["terrorism"], ANALYST)
        assert s.get(Incident, restricted).compartment is not None
    return restricted, opened


# reader -> organised-crime incidents of mission A they may count (None: the policy shows them no report of it);
# the regional view counts the region's missions the reader may read (officer B: their own, with none tagged)
EXPECTED = {"holder": 2, "analyst": 1, "officer-a": 1, "officer-b": None, "viewer": None}
IN_REGION = {**EXPECTED, "officer-b": 0}
READERS = {"holder": HOLDER, "analyst": ANALYST, "officer-a": OFFICER_A, "officer-b": OFFICER_B, "viewer": VIEWER}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_a_restricted_reports_tag_is_never_counted_for_a_reader_who_may_not_open_it(missions: Database, name: str):
    restricted, _ = _seed_restricted(missions)
    who, expected = READERS[name], EXPECTED[name]
    with missions.session() as s:
        # the incident list's own counts and filter (a viewer reads no report; officer B none of mission A's)
        if who is VIEWER:
            with pytest.raises(PermissionDenied):
                threat_area_counts(s, who, Filters())
        elif expected is None:
            for filters in (Filters(), Filters(mission=MISSION_A), Filters(threat_area="organised_crime")):
                assert count(threat_area_counts(s, who, filters), "organised_crime") == 0
                assert incident_rows(s, who, filters) == []
        else:
            assert count(threat_area_counts(s, who, Filters()), "organised_crime") == expected
            shown = [r["id"] for r in incident_rows(s, who, Filters(threat_area="organised_crime"))]
            assert (restricted in shown) == (expected == 2)
        # the mission view and the regional view count the same, kind by kind
        mission = threat_summary(s, who, missions=[MISSION_A], countries=["CAF"])
        room = region_room(s, None, who, "017")["threat_areas"]  # type: ignore[arg-type]
        for summary, wanted in ((mission, expected), (room, IN_REGION[name])):
            row = next(r for r in summary["rows"] if r["code"] == "organised_crime")
            assert row["incidents"] == wanted, summary
            assert next(r for r in summary["rows"] if r["code"] == "terrorism")["alerts"] == 1
        assert ("incidents" in mission["hidden"]) == (expected is None)
        # asked for the area, the view lists the restricted report only to its holder
        listed = threat_summary(s, who, missions=[MISSION_A], countries=["CAF"], threat_area="organised_crime")
        assert (restricted in [i["id"] for i in listed["records"]["incidents"]]) == (expected == 2)


def test_every_restricted_report_a_count_includes_is_in_the_audit_log(missions: Database):
    restricted, opened = _seed_restricted(missions)
    with missions.write() as s:
        threat_area_counts(s, HOLDER, Filters(mission=MISSION_A))
        threat_area_counts(s, ANALYST, Filters(mission=MISSION_A))
    with missions.session() as s:
        reads = s.execute(
            select(AuditEntry.actor, AuditEntry.entity_id, AuditEntry.after).where(AuditEntry.action == "read")
        ).all()
    via = {(actor, entity) for actor, entity, after in reads if (after or {}).get("via") == "threat area counts"}
    assert ("holder", str(restricted)) in via
    assert not any(actor == "analyst" for actor, _ in via)
    assert ("holder", str(opened)) not in via  # an open report is not a restricted read


def test_the_mission_view_of_another_mission_shows_an_officer_no_incident_count_rather_than_zero(missions: Database):
    _seed_restricted(missions)
    with missions.session() as s:
        theirs = threat_summary(s, OFFICER_B, missions=[MISSION_A], countries=["CAF"])
        own = threat_summary(s, OFFICER_B, missions=[MISSION_B], countries=["COD"])
    assert theirs["hidden"] == ["incidents"] and all(r["incidents"] is None for r in theirs["rows"])
    assert own["hidden"] == [] and all(r["incidents"] == 0 for r in own["rows"])
