"""Threat-area tags stored beside a record kind: one link table per kind (``incident_threat_area``,
``comms_item_threat_area``...), each row a record's id and one area code, deleted with its record.

Each domain declares its own link table (``ThreatTagMixin`` plus a foreign key to its record) and uses these
functions on it. Filters and counts always start from the domain's own query of what a reader may see
(``visible_ids``), so a tag is never counted or found without its record passing the access policy
(decision 046).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, String, delete, func, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from peaceops.framework.threat_areas import THREAT_AREAS


class ThreatTagMixin:
    """The area column every link table has; the table adds its record's key (primary key with ``area``)."""

    area: Mapped[str] = mapped_column(String(24), primary_key=True, index=True)


@dataclass(frozen=True)
class TagTable:
    """A kind's link table and the column holding its record's id."""

    model: Any  # the mapped class
    key: Any  # its record-id column, e.g. IncidentThreatArea.incident_id

    @property
    def area(self) -> Any:
        return self.model.area


def tagged(table: TagTable, area: str) -> Select[Any]:
    """The ids of the records tagged ``area``: for ``Record.id.in_(...)`` in a domain's own query."""
    return select(table.key).where(table.area == area)


def areas_of(session: Session, table: TagTable, ids: Iterable[int]) -> dict[int, list[str]]:
    """Each record's areas, in the vocabulary's order (records without a tag are left out)."""
    wanted = sorted(set(ids))
    found: dict[int, set[str]] = defaultdict(set)
    for start in range(0, len(wanted), 500):
        rows = session.execute(select(table.key, table.area).where(table.key.in_(wanted[start : start + 500])))
        for record_id, area in rows:
            found[record_id].add(area)
    order = list(THREAT_AREAS)
    return {
        record_id: sorted(areas, key=lambda a: order.index(a) if a in order else len(order))
        for record_id, areas in found.items()
    }


def set_areas(session: Session, table: TagTable, record_id: int, areas: Iterable[str]) -> bool:
    """Make the record's tags exactly ``areas`` (already checked codes); whether anything changed."""
    wanted = set(areas)
    current = set(session.scalars(select(table.area).where(table.key == record_id)))
    if wanted == current:
        return False
    gone = current - wanted
    if gone:
        session.execute(delete(table.model).where(table.key == record_id, table.area.in_(sorted(gone))))
    added = sorted(wanted - current)
    if added:
        session.execute(insert(table.model), [{table.key.key: record_id, "area": area} for area in added])
    return True


def count_areas(session: Session, table: TagTable, visible_ids: Select[Any]) -> dict[str, int]:
    """Records per area among ``visible_ids`` (a select of one id column: what the reader may see)."""
    query = (
        select(table.area, func.count(func.distinct(table.key))).where(table.key.in_(visible_ids)).group_by(table.area)
    )
    return {area: int(n) for area, n in session.execute(query)}
