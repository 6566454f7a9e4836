"""Which months the loaded event files cover, per country: a file's span counts for every country in it.

A country extract ends with its release (the Central African Republic file here ends in 2021-12, the Syria
one in 2019-12); a panel that ran on past that end would read the missing months as peace.
"""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Date, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from peaceops.store.base import Base


def record_coverage(session: Session, events: pa.Table) -> None:
    """Widen each country's coverage to the span of this file (one source)."""
    if events.num_rows == 0:
        return
    first, last = pc.min(events.column("month")).as_py(), pc.max(events.column("month")).as_py()
    source = events.column("source")[0].as_py()
    countries = {gw for gw in pc.unique(events.column("country_gw")).to_pylist() if gw is not None}
    stored = {
        row.country_gw: row
        for row in session.scalars(select(EventCoverage).where(EventCoverage.source == source))
        if row.country_gw in countries
    }
    for gw in sorted(countries):
        row = stored.get(gw)
        if row is None:
            session.add(EventCoverage(source=source, country_gw=gw, first_month=first, last_month=last))
        else:
            row.first_month, row.last_month = min(row.first_month, first), max(row.last_month, last)


def coverage_by_country(session: Session) -> dict[int, tuple[date, date]]:
    """Each country's covered months over every source: the union of the spans."""
    spans: dict[int, tuple[date, date]] = {}
    for row in session.scalars(select(EventCoverage)):
        first, last = spans.get(row.country_gw, (row.first_month, row.last_month))
        spans[row.country_gw] = (min(first, row.first_month), max(last, row.last_month))
    return spans


class EventCoverage(Base):
    """The months a source's imported files cover for one country.

    A country extract or a release ends somewhere; months after that end are unknown, not peaceful, so
    monitoring leaves them out of the panels instead of reading them as zeros.
    """

    __tablename__ = "event_coverage"
    __table_args__ = (UniqueConstraint("source", "country_gw"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(24))
    country_gw: Mapped[int] = mapped_column(Integer)
    first_month: Mapped[date] = mapped_column(Date)
    last_month: Mapped[date] = mapped_column(Date)
