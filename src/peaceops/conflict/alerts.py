"""Early-warning alerts from a stored forecast run: early entry points, escalation and spillover.

Risk is the highest monthly probability of 25 or more state-based deaths in the next three months (a
lower bound of the chance that some month reaches it). "Rising" compares it with the same models' risk
from the month before the cut-off, so a change says the data moved, not the model. The rules:

- early entry: no month with 25+ deaths in the past year, risk at least ``early_entry`` and rising: the
  quiet places where preventive diplomacy still has room (Blue Paper);
- escalation: a month with 25+ deaths within the past year, risk at least ``escalation``, rising, and
  more deaths expected in the next three months than in the last three;
- spillover: fewer than 25 deaths in the last three months, a neighbour with a 25+ month in the last
  three, and risk at least ``spillover`` and rising.

Thresholds differ by level: a grid cell's risk is far lower than its country's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import ibis
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor, check_area_editor
from peaceops.conflict.alert_text import summary_from, title_text
from peaceops.conflict.models import ALERT_STATUSES, ALERT_TAGS, ConflictAlert, ForecastRun, ForecastValue
from peaceops.conflict.monitoring import RISK_STEPS, MonitoringPanel
from peaceops.conflict.units import unit_label
from peaceops.errors import NotFound, ValidationFailed
from peaceops.framework.threat_areas import parse_threat_areas
from peaceops.framework.threat_tags import areas_of, set_areas
from peaceops.geography.codes import gw_from_iso3
from peaceops.geography.neighbours import country_neighbours, grid_neighbours
from peaceops.i18n import DEFAULT, use_locale
from peaceops.missions.models import Mission
from peaceops.store import audit, outbox
from peaceops.store.events import events_table

TRANSITIONS = {"new": ("acknowledged", "closed"), "acknowledged": ("closed",), "closed": ()}


@dataclass(frozen=True)
class AlertRules:
    early_entry: float
    escalation: float
    spillover: float
    rise: float  # the least increase over the previous month's risk that counts as rising
    quiet_months: int = 12
    recent_months: int = 3


RULES = {
    "cm": AlertRules(early_entry=0.30, escalation=0.50, spillover=0.20, rise=0.05),
    "pgm": AlertRules(early_entry=0.05, escalation=0.20, spillover=0.03, rise=0.02),
}


def unit_risks(session: Session, run: ForecastRun) -> pd.DataFrame:
    """Per unit: risk now, risk a month earlier, expected deaths in the next three months."""
    rows = session.execute(
        select(
            ForecastValue.unit_id, ForecastValue.origin, ForecastValue.step, ForecastValue.p25, ForecastValue.mean
        ).where(ForecastValue.run_id == run.id, ForecastValue.step <= RISK_STEPS)
    ).all()
    frame = pd.DataFrame(rows, columns=["unit_id", "origin", "step", "p25", "mean"])
    now = frame[frame["origin"] == run.cutoff].groupby("unit_id").agg(risk=("p25", "max"), expected=("mean", "sum"))
    before = frame[frame["origin"] != run.cutoff].groupby("unit_id").agg(risk_before=("p25", "max"))
    return now.join(before, how="left").fillna({"risk_before": 0.0}).reset_index()


def detect(
    session: Session,
    run: ForecastRun,
    panel: MonitoringPanel,
    var_dir: Path,
    actor: str,
    rules: AlertRules | None = None,
) -> dict[str, int]:
    """Raise or refresh alerts for ``run``; returns how many are new and how many refreshed."""
    rules = rules or RULES[run.level]
    frame = panel.frame
    observed = frame[pd.to_datetime(frame["month"]) == pd.Timestamp(run.cutoff)].set_index("unit_id")
    risks = unit_risks(session, run).set_index("unit_id")
    risks = risks.join(observed[["sb_best", "sb_best_roll3", "sb25_months_since"]], how="inner")
    judged = judge_units(risks, observed, run.level, rules)
    found = [
        (k, int(u), n)
        for k, u, n in judged.loc[judged["flagged"], ["kind", "unit_id", "neighbours"]].itertuples(index=False)
    ]
    units = sorted({unit for _, unit, _ in found})
    forecasts = _forecasts(session, run, units)
    events = recent_events(var_dir, run.level, units, run.cutoff, months=rules.recent_months, limit=5)
    counts = {"new": 0, "refreshed": 0}
    for kind, unit, hot_neighbours in found:
        row = risks.loc[unit]
        series = frame[frame["unit_id"] == unit].sort_values("month").tail(12)
        evidence = {
            "risk": round(float(row["risk"]), 4),
            "risk_before": round(float(row["risk_before"]), 4),
            "expected_next_3": round(float(row["expected"]), 1),
            "sb_best_roll3": int(row["sb_best_roll3"]),
            "observed": [
                {"month": pd.Timestamp(m).strftime("%Y-%m"), "sb_best": int(v)}
                for m, v in zip(series["month"], series["sb_best"], strict=True)
            ],
            "forecast": forecasts.get(unit, []),
            "neighbours": [
                {
                    "unit_id": n,
                    "name": unit_label(run.level, n, panel.unit_country.get(n)),
                    "country_gw": panel.unit_country.get(n),
                    "sb_best_roll3": int(observed.loc[n, "sb_best_roll3"]),
                }
                for n in hot_neighbours[:8]
            ],
            "events": events.get(unit, []),
        }
        created = _upsert(session, run, panel, kind, unit, evidence, actor)
        counts["new" if created else "refreshed"] += 1
    return counts


def judge_units(risks: pd.DataFrame, observed: pd.DataFrame, level: str, rules: AlertRules) -> pd.DataFrame:
    """Every unit each rule applies to, and whether the rule fires:
    ``kind, unit_id, eligible, flagged, risk, neighbours``.

    ``risks`` is ``unit_risks`` indexed by unit and joined with the cut-off month's ``sb_best_roll3`` and
    ``sb25_months_since``; ``observed`` is the panel's cut-off month indexed by unit. ``eligible`` says every
    condition but the risk threshold holds, so ``flagged`` is ``eligible`` and the risk at or above the
    rule's threshold (``threshold``): the track record scores other thresholds on the same units. A unit the
    rule applies to but does not flag is where a miss can happen: the track record needs both.
    """
    hot = set(observed.index[observed["sb25_months_since"] < rules.recent_months].astype(int))
    rows = []
    for unit_id, row in risks.iterrows():
        unit = int(unit_id)
        rising = bool(row["risk"] - row["risk_before"] >= rules.rise)
        quiet = row["sb25_months_since"] > rules.quiet_months
        hot_neighbours = sorted(_neighbours(level, unit) & hot)
        applies = {
            "early_entry": (quiet, rising),
            "escalation": (not quiet, rising and row["expected"] > row["sb_best_roll3"]),
            "spillover": (row["sb_best_roll3"] < 25 and bool(hot_neighbours), rising),
        }
        for kind, (population, eligible) in applies.items():
            if population:
                risk = float(row["risk"])
                flagged = bool(eligible and risk >= threshold(rules, kind))
                rows.append((kind, unit, bool(eligible), flagged, risk, hot_neighbours))
    return pd.DataFrame(rows, columns=["kind", "unit_id", "eligible", "flagged", "risk", "neighbours"])


def threshold(rules: AlertRules, kind: str) -> float:
    """The least risk at which rule ``kind`` fires."""
    return float(getattr(rules, kind))


def _neighbours(level: str, unit: int) -> set[int]:
    return country_neighbours(unit) if level == "cm" else set(grid_neighbours(unit))


def _forecasts(session: Session, run: ForecastRun, units: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The next three months' forecast of each unit, from the run's cut-off."""
    out: dict[int, list[dict[str, Any]]] = {}
    for start in range(0, len(units), 500):
        values = session.scalars(
            select(ForecastValue)
            .where(
                ForecastValue.run_id == run.id,
                ForecastValue.origin == run.cutoff,
                ForecastValue.step <= RISK_STEPS,
                ForecastValue.unit_id.in_(units[start : start + 500]),
            )
            .order_by(ForecastValue.unit_id, ForecastValue.step)
        )
        for v in values:
            out.setdefault(v.unit_id, []).append(
                {
                    "step": v.step,
                    "month": f"{v.month:%Y-%m}",
                    "q05": v.q05,
                    "q50": v.q50,
                    "q95": v.q95,
                    "mean": v.mean,
                    "p25": v.p25,
                }
            )
    return out


def recent_events(
    var_dir: Path, level: str, units: list[int], cutoff: date, *, months: int, limit: int
) -> dict[int, list[dict[str, Any]]]:
    """The deadliest events of each unit in the ``months`` up to the cut-off: what an analyst reads first."""
    if not units:
        return {}
    table = events_table(var_dir)
    start = (pd.Timestamp(cutoff) - pd.DateOffset(months=months - 1)).date()
    key = table.country_gw.cast("int64") if level == "cm" else table.priogrid_gid.cast("int64")
    ranked = table.filter(key.isin(units), table.month >= start, table.month <= cutoff).mutate(
        unit=key, rank=ibis.row_number().over(group_by=key, order_by=[table.best.desc(), table.event_id])
    )
    picked = (
        ranked.filter(ranked["rank"] < limit)
        .order_by(["unit", "rank"])
        .select("unit", "source", "event_id", "date_end", "type_of_violence", "best", "location", "side_a", "side_b")
        .to_pyarrow()
        .to_pylist()
    )
    out: dict[int, list[dict[str, Any]]] = {}
    for event in picked:
        unit = event.pop("unit")
        out.setdefault(unit, []).append({**event, "date_end": event["date_end"].isoformat()})
    return out


def _upsert(
    session: Session,
    run: ForecastRun,
    panel: MonitoringPanel,
    kind: str,
    unit: int,
    evidence: dict[str, Any],
    actor: str,
) -> bool:
    country = panel.unit_country.get(unit)
    with use_locale(DEFAULT):  # the stored text: English, for search and as the record of what was raised
        summary = summary_from(kind, run.level, unit, country, evidence)
    open_alert = session.scalar(
        select(ConflictAlert).where(
            ConflictAlert.kind == kind,
            ConflictAlert.level == run.level,
            ConflictAlert.unit_id == unit,
            ConflictAlert.status != "closed",
        )
    )
    if open_alert is not None:
        if open_alert.cutoff <= run.cutoff:
            if open_alert.cutoff < run.cutoff:
                _emit(session, open_alert, "refreshed")
            open_alert.run_id, open_alert.cutoff = run.id, run.cutoff
            open_alert.risk, open_alert.risk_before = evidence["risk"], evidence["risk_before"]
            open_alert.evidence, open_alert.summary = evidence, summary
        return False
    alert = ConflictAlert(
        kind=kind,
        level=run.level,
        unit_id=unit,
        country_gw=country,
        run_id=run.id,
        cutoff=run.cutoff,
        risk=evidence["risk"],
        risk_before=evidence["risk_before"],
        evidence=evidence,
        summary=summary,
        status="new",
        note="",
        updated_by=actor,
    )
    session.add(alert)
    session.flush()
    audit.record(session, actor, "create", "conflict_alert", alert.id, after={"kind": kind, "summary": summary})
    _emit(session, alert, "raised")
    return True


def _emit(session: Session, alert: ConflictAlert, event: str) -> None:
    """Tell the outbox an alert changed; its attributes let rules (kind, level) and regions (country) match, and
    with the unit they let a message name the alert in its recipient's language (the title is in English)."""
    with use_locale(DEFAULT):
        title = title_text(alert.kind, alert.level, alert.unit_id, alert.country_gw)
    outbox.emit(
        session,
        "alert",
        alert.id,
        event,
        title,
        attrs={"kind": alert.kind, "level": alert.level, "country_gw": alert.country_gw, "unit_id": alert.unit_id},
    )


def area_missions(session: Session, country_gw: int | None) -> list[str]:
    """The active missions whose host country is ``country_gw``: whose officers triage alerts there."""
    if country_gw is None:
        return []
    hosts = session.execute(select(Mission.acronym, Mission.host_iso3).where(Mission.active.is_(True))).all()
    return sorted(acronym for acronym, iso3 in hosts if iso3 and gw_from_iso3(iso3) == country_gw)


def set_status(session: Session, alert_id: int, status: str, who: Actor, note: str = "") -> ConflictAlert:
    """Move an alert along new -> acknowledged -> closed, with the note, audited. Analysts and administrators
    triage every alert; mission officers those in their mission's host country (the access policy)."""
    alert = session.get(ConflictAlert, alert_id)
    if alert is None:
        raise NotFound(f"There is no alert {alert_id}.")
    check_area_editor(who, "alerts", area_missions(session, alert.country_gw))
    actor = who.username
    if status not in ALERT_STATUSES:
        raise ValidationFailed(f"Status {status!r} is not one of {', '.join(ALERT_STATUSES)}.")
    if status not in TRANSITIONS[alert.status]:
        allowed = " or ".join(TRANSITIONS[alert.status]) or "nothing (it is closed)"
        raise ValidationFailed(f"An alert that is {alert.status} can move to {allowed}, not to {status}.")
    before = {"status": alert.status, "note": alert.note}
    alert.status, alert.updated_by = status, actor
    if note.strip():
        alert.note = note.strip()
    audit.record(
        session,
        actor,
        "status",
        "conflict_alert",
        alert.id,
        before=before,
        after={"status": status, "note": alert.note},
    )
    _emit(session, alert, f"status:{status}")
    return alert


def tag_alert(session: Session, alert_id: int, areas: str | list[str], who: Actor) -> list[str]:
    """Set the threat areas of an alert: those who triage it (the access policy's area rule); audited."""
    alert = session.get(ConflictAlert, alert_id)
    if alert is None:
        raise NotFound(f"There is no alert {alert_id}.")
    check_area_editor(who, "alerts", area_missions(session, alert.country_gw))
    codes = parse_threat_areas(areas)
    before = areas_of(session, ALERT_TAGS, [alert.id]).get(alert.id, [])
    if set_areas(session, ALERT_TAGS, alert.id, codes):
        audit.record(session, who.username, "tag", "conflict_alert", alert.id, before={"threat_areas": before},
                     after={"threat_areas": codes})  # fmt: skip
    return codes
