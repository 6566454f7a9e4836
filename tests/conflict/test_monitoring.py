"""Stored forecast runs and alerts from the event store, on SQLite and PostgreSQL, with the real GED files."""

from __future__ import annotations

import csv
import gzip
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import delete, func, select

from peaceops.access.policy import Actor
from peaceops.conflict.alerts import RULES, AlertRules, detect, set_status, unit_risks
from peaceops.conflict.forecast import ForecastConfig
from peaceops.conflict.models import ConflictAlert, ForecastRun, ForecastValue
from peaceops.conflict.monitoring import forecast_run
from peaceops.errors import ValidationFailed
from peaceops.geography.neighbours import grid_neighbours
from peaceops.platform import import_file, prepare
from peaceops.store import Database
from peaceops.store.audit import AuditEntry
from peaceops.store.coverage import coverage_by_country

CAR, SYRIA, MEXICO = 482, 652, 70
ANALYST = Actor(username="analyst", role="analyst")
SMALL = ForecastConfig(n_estimators=30, max_train_months=60)  # small and quick: the tests are about behaviour
# Loose enough that every rule fires somewhere in the Central African Republic and Syria at the end of 2019 (when
# no violent cell's risk was rising), strict enough to keep the alerts few
LOOSE = AlertRules(early_entry=0.02, escalation=0.05, spillover=0.02, rise=-1.0)


def ged(data_dir: Path, name: str) -> Path:
    return data_dir / "ucdp" / "ged" / f"ged_{name}.csv.gz"


def month_span(path: Path) -> tuple[date, date]:
    """First and last month of a GED file, read with the csv module alone (independent of peaceops)."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        months = [row["date_end"][:7] for row in csv.DictReader(f)]
    first, last = min(months), max(months)
    return date(int(first[:4]), int(first[5:]), 1), date(int(last[:4]), int(last[5:]), 1)


@pytest.fixture
def store(db: Database, data_dir: Path, tmp_path: Path) -> tuple[Database, Path]:
    prepare(db)
    var = tmp_path / "var"
    for name in ("central_african_republic", "syria_2016_2019"):
        import_file(db, "ucdp-ged", ged(data_dir, name), "test", var_dir=var)
    return db, var


def test_coverage_is_each_files_span_and_trims_the_panel(store, data_dir):
    db, var = store
    with db.session() as s:
        coverage = coverage_by_country(s)
        assert coverage[SYRIA] == month_span(ged(data_dir, "syria_2016_2019"))
        assert coverage[CAR] == month_span(ged(data_dir, "central_african_republic"))
        run, panel, reused = forecast_run(s, var, "pgm", cutoff=date(2019, 12, 1), horizon=2, actor="t", config=SMALL)
    frame = panel.frame
    months = pd.to_datetime(frame["month"])
    syria = frame["unit_id"].map(panel.unit_country) == SYRIA
    assert syria.any() and not reused
    assert months[syria].min() == pd.Timestamp("2016-01-01"), "no fake zeros before the Syria file starts"
    assert months[~syria].min() < pd.Timestamp("2000-01-01")
    # every cell has a country, and cells with events have the country of their events
    assert set(frame["unit_id"].map(panel.unit_country).dropna().unique()) == {CAR, SYRIA}


def test_a_run_is_stored_with_its_versions_and_reused_until_the_data_changes(store, data_dir):
    db, var = store
    with db.session() as s:
        run, panel, reused = forecast_run(s, var, "pgm", cutoff=date(2019, 12, 1), horizon=4, actor="t", config=SMALL)
        run_id, data_version = run.id, run.data_version
        units = panel.frame.loc[pd.to_datetime(panel.frame["month"]) == "2019-12-01", "unit_id"].nunique()
        assert run.units == units and len(data_version) == 64 and run.model_version.startswith("hurdle")
        stored = s.scalar(select(func.count()).select_from(ForecastValue).where(ForecastValue.run_id == run_id))
        assert stored == units * 4 + units * 3, "4 steps from the cut-off, 3 from the month before"
        latest = s.scalars(
            select(ForecastValue).where(ForecastValue.run_id == run_id, ForecastValue.origin == date(2019, 12, 1))
        ).all()
        assert {v.month for v in latest} == {date(2020, m, 1) for m in (1, 2, 3, 4)}
        assert all(v.q05 <= v.q50 <= v.q95 and 0 <= v.p25 <= 1 for v in latest)
    with db.session() as s:
        again, _, reused = forecast_run(s, var, "pgm", cutoff=date(2019, 12, 1), horizon=4, actor="t", config=SMALL)
        assert reused and again.id == run_id
        country, _, _ = forecast_run(s, var, "cm", cutoff=date(2019, 12, 1), horizon=2, actor="t", config=SMALL)
        assert country.units == 2 and country.data_version == data_version
    import_file(db, "ucdp-ged", ged(data_dir, "mexico"), "test", var_dir=var)
    with db.session() as s:
        changed, _, reused = forecast_run(s, var, "cm", cutoff=date(2019, 12, 1), horizon=2, actor="t", config=SMALL)
        assert not reused and changed.id != country.id and changed.data_version != data_version
        assert changed.units == 3
        assert s.scalar(select(func.count()).select_from(ForecastRun)) == 3


def test_a_cutoff_no_country_covers_is_refused(store):
    db, var = store
    with db.session() as s, pytest.raises(ValidationFailed, match="No loaded country is covered in 2023-06"):
        forecast_run(s, var, "cm", cutoff=date(2023, 6, 1), horizon=2, actor="t", config=SMALL)


def test_alert_rules_fire_where_their_conditions_hold_refresh_without_duplicates_and_are_triaged(store):
    db, var = store
    cutoff = date(2019, 12, 1)
    with db.session() as s:
        run, panel, _ = forecast_run(s, var, "pgm", cutoff=cutoff, horizon=3, actor="t", config=SMALL)
        first = detect(s, run, panel, var, "t", LOOSE)
        alerts = s.scalars(select(ConflictAlert)).all()
        risks = unit_risks(s, run).set_index("unit_id")
        observed = panel.frame[pd.to_datetime(panel.frame["month"]) == pd.Timestamp(cutoff)].set_index("unit_id")
        hot = set(observed.index[observed["sb25_months_since"] < 3])
        kinds = {a.kind for a in alerts}
        assert kinds == {"early_entry", "escalation", "spillover"} and first["new"] == len(alerts)
        for a in alerts:
            since, roll3 = observed.loc[a.unit_id, "sb25_months_since"], observed.loc[a.unit_id, "sb_best_roll3"]
            assert a.risk == pytest.approx(risks.loc[a.unit_id, "risk"], abs=1e-4)
            if a.kind == "early_entry":
                assert since > 12
            elif a.kind == "escalation":
                assert since <= 12 and risks.loc[a.unit_id, "expected"] > roll3
            else:
                assert roll3 < 25 and set(grid_neighbours(a.unit_id)) & hot
                assert {n["unit_id"] for n in a.evidence["neighbours"]} <= hot
            assert len(a.evidence["forecast"]) == 3 and len(a.evidence["observed"]) == 12
        with_events = [a for a in alerts if a.evidence["events"]]
        assert with_events and all(e["best"] >= 0 for a in with_events for e in a.evidence["events"])
        created = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "conflict_alert"))
        assert created == len(alerts)
    with db.session() as s:
        run = s.get(ForecastRun, run.id)
        second = detect(s, run, panel, var, "t", LOOSE)
        assert second == {"new": 0, "refreshed": first["new"]}
        assert s.scalar(select(func.count()).select_from(ConflictAlert)) == first["new"]

    # stricter rules raise a subset, and only on rising risk
    with db.session() as s:
        s.execute(delete(ConflictAlert))
        run = s.get(ForecastRun, run.id)
        change = risks["risk"] - risks["risk_before"]
        assert change.max() > 0, "some cell's risk rose in the month before the cut-off"
        rising_rules = AlertRules(early_entry=0.0, escalation=0.0, spillover=0.0, rise=float(change.max()) / 2)
        strict = detect(s, run, panel, var, "t", RULES["pgm"])
        rising = detect(s, run, panel, var, "t", rising_rules)
        assert rising["refreshed"] == strict["new"], "every alert of the default rules also meets looser ones"
        opened = s.scalars(select(ConflictAlert)).all()
        assert opened and all(a.risk - a.risk_before >= rising_rules.rise - 1e-4 for a in opened)
        loosest = detect(s, run, panel, var, "t", AlertRules(early_entry=0, escalation=0, spillover=0, rise=-1))
        assert loosest["refreshed"] == len(opened) and loosest["new"] > 0
        alert_id = opened[0].id

    # triage: new -> acknowledged -> closed, forward only, every move audited
    with db.session() as s:
        set_status(s, alert_id, "acknowledged", ANALYST, "Told the JMAC")
    with db.session() as s, pytest.raises(ValidationFailed, match="acknowledged can move to closed, not to new"):
        set_status(s, alert_id, "new", ANALYST)
    with db.session() as s:
        alert = set_status(s, alert_id, "closed", ANALYST)
        assert (alert.status, alert.note, alert.updated_by) == ("closed", "Told the JMAC", "analyst")
    with db.session() as s:
        with pytest.raises(ValidationFailed, match="closed can move to nothing"):
            set_status(s, alert_id, "acknowledged", ANALYST)
        moves = s.scalars(
            select(AuditEntry).where(AuditEntry.entity == "conflict_alert", AuditEntry.action == "status")
        ).all()
        assert [m.actor for m in moves] == ["analyst", "analyst"]
        # a closed alert does not block a new one on the same unit: the next detection opens a fresh alert
        detect(s, s.get(ForecastRun, run.id), panel, var, "t", rising_rules)
        closed = s.get(ConflictAlert, alert_id)
        same = s.scalars(
            select(ConflictAlert).where(ConflictAlert.unit_id == closed.unit_id, ConflictAlert.kind == closed.kind)
        ).all()
        assert len(same) == 2 and {a.status for a in same} == {"closed", "new"}
