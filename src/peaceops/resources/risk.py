"""The risk view: late and at-risk requirements beside the rising conflict alerts in the same area.

The area of a requirement is the PRIO-GRID cell of its place (from its coordinates or its ``alert_area``)
with the cells around it, and the mission's host country; a requirement placed by country (``cm:<code>``)
looks at that country; one without a place, at the host country. An alert counts when it is not closed and
its risk rose (``risk`` above ``risk_before``: the same models a month earlier), read through the conflict
domain's own alert list (``conflict.dashboard.alerts``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from peaceops.conflict.dashboard import alerts
from peaceops.conflict.units import country_label, unit_label
from peaceops.geography.codes import gw_from_iso3
from peaceops.geography.neighbours import grid_neighbours
from peaceops.i18n import _
from peaceops.missions.models import Mission
from peaceops.resources.shapes import AlertNear, RequirementOut, RiskRow, RiskView

AT_RISK = ("late", "at_risk")


def rising(alert: dict[str, Any]) -> bool:
    """Open (new or acknowledged) and its risk higher than a month earlier."""
    return alert["status"] != "closed" and alert["risk"] > alert["risk_before"]


def _near(alert: dict[str, Any]) -> AlertNear:
    return AlertNear(**{k: alert[k] for k in AlertNear.model_fields})


class _Alerts:
    """Rising alerts by unit, each unit asked of the conflict domain once per view."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.seen: dict[tuple[str, int], list[dict[str, Any]]] = {}

    def of(self, level: str, unit: int) -> list[dict[str, Any]]:
        if (level, unit) not in self.seen:
            self.seen[(level, unit)] = [a for a in alerts(self.session, level=level, unit_id=unit) if rising(a)]
        return self.seen[(level, unit)]


def _area(requirement: RequirementOut, host: int | None, found: _Alerts) -> tuple[str, list[dict[str, Any]]]:
    """Where alerts were looked for (in words) and the rising alerts there."""
    level, _sep, unit = requirement.alert_area.partition(":")
    if level == "pgm":
        cell = int(unit)
        near = [a for c in [cell, *grid_neighbours(cell)] for a in found.of("pgm", c)]
        if host is None:
            return _("{cell} and the cells around it").format(cell=unit_label("pgm", cell)), near
        words = _("{cell}, the cells around it, and {country} as a whole")
        return words.format(cell=unit_label("pgm", cell), country=country_label(host)), near + found.of("cm", host)
    if level == "cm":
        return country_label(int(unit)), found.of("cm", int(unit))
    if host is None:
        return _("No area: neither the requirement nor the mission names a place."), []
    return _("{country}, the mission's host country (the requirement names no place)").format(
        country=country_label(host)
    ), found.of("cm", host)


def risk_view(session: Session, mission: Mission, requirements: list[RequirementOut], as_of: date) -> RiskView:
    """Each late or at-risk requirement of ``requirements`` with the rising alerts in its area; those beside
    an alert first, then the latest."""
    host = gw_from_iso3(mission.host_iso3) if mission.host_iso3 else None
    found = _Alerts(session)
    rows = []
    for r in requirements:
        if r.state not in AT_RISK:
            continue
        area, near = _area(r, host, found)
        unique = {a["id"]: a for a in near}
        ordered = sorted(unique.values(), key=lambda a: (-a["risk"], a["id"]))
        rows.append(RiskRow(requirement=r, area=area, alerts=[_near(a) for a in ordered]))
    rows.sort(key=lambda row: (not row.alerts, -(row.requirement.days_late or 0), row.requirement.code))
    return RiskView(mission=mission.acronym, as_of=as_of, rows=rows, with_alerts=sum(1 for r in rows if r.alerts))
