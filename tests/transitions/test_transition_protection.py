"""Whether protection holds as the mission leaves, computed from evidence (decision 045): conflict events
harming civilians around a closed base before and after it closed, the mission's own reports of attacks on
civilians, and the protection indicators of the results framework."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from transitions_support import ged_file, write

from peaceops.access.policy import Actor
from peaceops.geography.priogrid import priogrid_gid
from peaceops.incidents.models import Incident, IncidentCategory
from peaceops.incidents.taxonomy import ensure_taxonomy
from peaceops.missions.lookup import find_mission
from peaceops.performance.frameworks import create_framework
from peaceops.performance.values import save_value, set_target
from peaceops.platform import import_file
from peaceops.transitions import protection
from peaceops.transitions.protection import rising, windows

ADMIN = Actor(username="admin", role="admin")
ANALYST = Actor(username="analyst", role="analyst")
VIEWER = Actor(username="viewer", role="viewer")
AS_OF = date(2012, 1, 1)
BIRAO = (10.28, 22.79)
FAR = (4.36, 18.56)  # Bangui, about 800 km from Birao: never counted around the base


def _plan(db, tmp_path, closed: str = "2010-10-20", country: str = "CAF") -> None:
    import_file(db, "transition-plans", write(tmp_path, "p.csv",
        "mission,title,planned_exit\nMINURCAT,Test plan,2010-12-31\n"), "t")  # fmt: skip
    import_file(db, "transition-bases", write(tmp_path, "b.csv",
        "mission,base,country,latitude,longitude,planned_closure,actual_closure\n"
        f"MINURCAT,Base B,{country},{BIRAO[0]},{BIRAO[1]},2010-10-15,{closed}\n"), "t")  # fmt: skip


def _events(db, tmp_path, near: list[tuple[str, int, int]]) -> None:
    """Events around Birao ``(day, violence, civilian deaths)``, with far ones widening the file's coverage
    from 2009 to 2011."""
    rows = [(day, *BIRAO, violence, civilians) for day, violence, civilians in near]
    rows += [("2009-01-05", *FAR, 3, 4), ("2011-12-20", *FAR, 3, 2), ("2010-12-10", *FAR, 3, 9)]
    import_file(db, "ucdp-ged", ged_file(tmp_path, rows), "t", var_dir=tmp_path / "var")


def test_the_windows_are_the_whole_months_on_each_side_of_the_closure():
    assert windows(date(2010, 10, 20)) == (date(2010, 4, 1), date(2010, 9, 1), date(2010, 11, 1), date(2011, 4, 1))
    assert (rising(0, 2), rising(0, 1), rising(4, 5), rising(4, 6), rising(10, 14), rising(10, 15)) == (
        True, False, False, True, False, True,
    )  # fmt: skip


def test_more_harm_to_civilians_after_a_base_closed_is_deteriorating(missions, tmp_path):
    _plan(missions, tmp_path)
    # Before (2010-04..09): one one-sided event; the closure's month (10) is left out; after (2010-11..2011-04):
    # three events with civilian deaths, one of them state-based, and a state-based event without any.
    _events(missions, tmp_path, [("2010-06-01", 3, 1), ("2010-10-25", 3, 5), ("2010-11-24", 1, 1),
                                 ("2010-12-02", 3, 2), ("2011-02-01", 3, 1), ("2011-02-03", 1, 0)])  # fmt: skip
    with missions.session() as s:
        result = protection(s, ANALYST, "MINURCAT", tmp_path / "var", AS_OF)
    [area] = result.areas
    events = area.sources[0]
    assert (events.source, events.covered, events.before, events.after) == ("events", True, 1, 3)
    assert (events.deaths_before, events.deaths_after, events.rising) == (1, 4, True)
    assert (area.before, area.after, area.verdict) == ("2010-04..2010-09", "2010-11..2011-04", "deteriorating")
    assert area.why.startswith(
        "Conflict events harming civilians within 50 km of Base B rose from 1 (2010-04..2010-09) to 3"
    )
    assert (result.verdict, result.areas_shown) == ("at_risk", True)
    assert result.why == "1 of the 1 vacated areas shows more harm to civilians after the mission left."
    assert [(c.code, c.count) for c in result.areas_by_verdict] == [("deteriorating", 1)]


def test_no_rise_around_a_closed_base_is_holding(missions, tmp_path):
    _plan(missions, tmp_path)
    _events(missions, tmp_path, [("2010-05-01", 3, 1), ("2010-06-01", 3, 1), ("2010-12-01", 3, 1),
                                 ("2011-01-01", 3, 1), ("2011-01-15", 1, 0)])  # fmt: skip
    with missions.session() as s:
        result = protection(s, ANALYST, "MINURCAT", tmp_path / "var", AS_OF)
    [area] = result.areas
    assert (area.sources[0].before, area.sources[0].after, area.verdict) == (2, 2, "holding")
    assert result.verdict == "holding"


def test_without_events_covering_the_area_nothing_is_told(missions, tmp_path):
    _plan(missions, tmp_path, country="TCD")  # the file covers the Central African Republic, not Chad
    _events(missions, tmp_path, [("2011-01-01", 3, 10), ("2011-01-02", 3, 10), ("2011-01-03", 3, 10)])
    with missions.session() as s:
        result = protection(s, ANALYST, "MINURCAT", tmp_path / "var", AS_OF)
        no_store = protection(s, ANALYST, "MINURCAT", None, AS_OF)
    [area] = result.areas
    assert (area.verdict, area.sources[0].covered, area.sources[0].after) == ("no_data", False, None)
    assert "do not cover Chad from 2010-04 to 2011-04" in area.sources[0].note
    assert (result.verdict, no_store.areas[0].verdict) == ("unknown", "no_data")


def test_a_base_closed_lately_is_too_early_to_tell(missions, tmp_path):
    _plan(missions, tmp_path)
    _events(missions, tmp_path, [("2011-01-01", 3, 10), ("2011-01-02", 3, 10)])
    with missions.session() as s:
        result = protection(s, ANALYST, "MINURCAT", tmp_path / "var", date(2011, 4, 30))
    [area] = result.areas
    assert (area.verdict, area.sources) == ("too_early", [])
    assert "run to 2011-04" in area.why


def _report(session, mission, category: str, when: datetime, where: tuple[float, float]) -> None:
    ensure_taxonomy(session, mission)
    category_id = session.query(IncidentCategory.id).filter_by(mission_id=mission.id, code=category).scalar()
    session.add(Incident(
        mission_id=mission.id, occurred_at=when, longitude=where[1], latitude=where[0],
        cell=priogrid_gid(*where), category_id=category_id, civilians_killed=1, source_type="patrol",
        reliability="B", credibility=2, status="published", reported_by="test",
    ))  # fmt: skip


def test_the_missions_reports_show_a_rise_to_who_may_read_them(missions, tmp_path):
    _plan(missions, tmp_path, country="TCD")  # no conflict events cover the area
    with missions.write() as s:
        mission = find_mission(s, "MINURCAT")
        _report(s, mission, "attack_civilians", datetime(2010, 1, 5), FAR)  # the reports span both windows
        _report(s, mission, "attack_civilians", datetime(2011, 11, 5), FAR)
        for day in (2, 9, 16):
            _report(s, mission, "attack_civilians", datetime(2011, 1, day, 10), BIRAO)
        _report(s, mission, "attack_peacekeepers", datetime(2011, 1, 20, 10), BIRAO)  # another category
    with missions.session() as s:
        analyst = protection(s, ANALYST, "MINURCAT", tmp_path / "var", AS_OF)
        viewer = protection(s, VIEWER, "MINURCAT", tmp_path / "var", AS_OF)
        officer = protection(s, Actor(username="o", role="mission_officer", mission="UNMISS"), "MINURCAT", None, AS_OF)
    reports = analyst.areas[0].sources[1]
    assert (reports.before, reports.after, reports.deaths_after, reports.rising) == (0, 3, 3, True)
    assert (analyst.areas[0].verdict, analyst.verdict) == ("deteriorating", "at_risk")
    # A viewer reads no incident report and no base: the verdict stands on the events alone, none loaded here.
    assert (viewer.areas_shown, viewer.areas, viewer.verdict) == (False, [], "unknown")
    assert [(c.code, c.count) for c in viewer.areas_by_verdict] == [("no_data", 1)]
    assert (officer.areas_shown, officer.areas) == (False, [])


def test_an_off_track_protection_indicator_since_the_drawdown_began_puts_protection_at_risk(missions, tmp_path):
    import_file(missions, "transition-plans", write(tmp_path, "p.csv",
        "mission,title,planned_exit\nUNMISS,Test plan,2027-12-31\n"), "t")  # fmt: skip
    import_file(missions, "transition-drawdown", write(tmp_path, "d.csv",
        "mission,step,planned_date,planned_ceiling\nUNMISS,Phase 1,2026-01-15,12000\n"), "t")  # fmt: skip
    with missions.write() as s:
        framework = create_framework(s, find_mission(s, "UNMISS"), ADMIN)
        set_target(s, framework, "POC_ALERT_RESPONSE", "2026-Q1", 90, ADMIN)
        save_value(s, framework, "POC_ALERTS", "2026-Q1", 10, ADMIN)
        save_value(s, framework, "POC_ALERTS_ANSWERED", "2026-Q1", 3, ADMIN)
    with missions.session() as s:
        result = protection(s, VIEWER, "UNMISS", None, date(2026, 6, 1))
    [reading] = [r for r in result.indicators if r.code == "POC_ALERT_RESPONSE"]
    assert (reading.period, reading.status, reading.value) == ("2026-Q1", "off_track", 30.0)
    assert result.verdict == "at_risk"
    assert result.why == "Off track in 2026-Q1: POC_ALERT_RESPONSE."


@pytest.mark.parametrize("acronym", ["UNMISS", "unmiss"])
def test_a_mission_without_a_plan_has_nothing_to_tell(missions, acronym):
    with missions.session() as s:
        result = protection(s, ANALYST, acronym, None)
    assert (result.mission, result.verdict, result.areas, result.indicators) == ("UNMISS", "unknown", [], [])
