"""The risk view: late and at-risk requirements beside rising conflict alerts in the same area (the
requirement's grid cell and the cells around it, the host country), and nothing else."""

from __future__ import annotations

from datetime import date

from resources_support import DAY

from peaceops.access.policy import Actor
from peaceops.conflict.models import ConflictAlert, ForecastRun
from peaceops.resources import risk

ADMIN = Actor(username="admin", role="admin")
SOUTH_SUDAN, CAR = 626, 482
CELL = 141540  # the PRIO-GRID cell of EX-REQ-001 and EX-REQ-002 (8.2N, 29.6E)


def _alerts(db, *rows: tuple[str, int, float, float, str]) -> dict[tuple[str, int, str], int]:
    """Alerts (level, unit, risk, risk before, status) of a test run; their ids by (level, unit, status)."""
    ids = {}
    with db.write() as s:
        runs = {}
        for level in ("cm", "pgm"):
            runs[level] = ForecastRun(level=level, cutoff=date(2026, 10, 1), horizon=3, model_version="test",
                                      data_version="test", config_hash=level, config={}, units=1, seconds=0.0,
                                      actor="test")  # fmt: skip
            s.add(runs[level])
        s.flush()
        for level, unit, now, before, status in rows:
            alert = ConflictAlert(kind="escalation", level=level, unit_id=unit, country_gw=SOUTH_SUDAN,
                                  run_id=runs[level].id, cutoff=date(2026, 10, 1), risk=now, risk_before=before,
                                  evidence={}, summary="test fixture alert", status=status)  # fmt: skip
            s.add(alert)
            s.flush()
            ids[(level, unit, status)] = alert.id
    return ids


def test_late_deliveries_are_set_beside_rising_alerts_in_their_area(examples):
    ids = _alerts(
        examples,
        ("pgm", CELL + 1, 0.40, 0.20, "new"),  # the next cell east: the same area
        ("pgm", CELL + 5, 0.90, 0.20, "new"),  # five cells away: not the same area
        ("pgm", CELL, 0.30, 0.35, "acknowledged"),  # the requirement's own cell, but the risk fell
        ("pgm", CELL - 720, 0.50, 0.10, "closed"),  # the cell south, but closed
        ("cm", SOUTH_SUDAN, 0.60, 0.45, "acknowledged"),  # the host country, rising
        ("cm", CAR, 0.80, 0.10, "new"),  # another country
    )
    with examples.session() as s:
        view = risk(s, ADMIN, "UNMISS", DAY)
    rows = {r.requirement.code: r for r in view.rows}
    assert set(rows) == {"EX-REQ-002", "EX-REQ-003", "EX-REQ-004"}  # late or at risk; delivered ones are not
    fuel = rows["EX-REQ-002"]  # placed by coordinates: the cell, its neighbours, and the host country
    assert [(a.level, a.unit_id) for a in fuel.alerts] == [("cm", SOUTH_SUDAN), ("pgm", CELL + 1)]
    assert fuel.area.startswith("Cell 141540 (8.25N, 29.75E)") and fuel.area.endswith("South Sudan as a whole")
    assert fuel.alerts[1].id == ids[("pgm", CELL + 1, "new")]
    hospital = rows["EX-REQ-003"]  # placed by country (cm:626)
    assert [(a.level, a.unit_id) for a in hospital.alerts] == [("cm", SOUTH_SUDAN)]
    fencing = rows["EX-REQ-004"]  # no place: the host country
    assert fencing.area.startswith("South Sudan, the mission's host country")
    assert [a.unit_id for a in fencing.alerts] == [SOUTH_SUDAN]
    assert view.with_alerts == 3
    assert [r.requirement.code for r in view.rows] == ["EX-REQ-003", "EX-REQ-002", "EX-REQ-004"]  # most days late


def test_without_rising_alerts_the_late_requirements_stand_alone(examples):
    _alerts(examples, ("cm", SOUTH_SUDAN, 0.30, 0.40, "new"), ("cm", SOUTH_SUDAN + 1, 0.9, 0.1, "new"))
    with examples.session() as s:
        view = risk(s, ADMIN, "UNMISS", DAY)
    assert view.with_alerts == 0
    assert [r.requirement.code for r in view.rows] == ["EX-REQ-003", "EX-REQ-002", "EX-REQ-004"]
    assert all(r.alerts == [] for r in view.rows)


def test_a_mission_without_records_has_an_empty_risk_view(missions):
    with missions.session() as s:
        view = risk(s, ADMIN, "MINUSCA", DAY)
    assert (view.rows, view.with_alerts) == ([], 0)
