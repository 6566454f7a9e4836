"""The support-office model as the pages show it: the partner operations the UN supports, each summed up
(delivery rate, requests, financing against the ceiling of resolution 2719, milestones), and one
operation's whole record (decision 044).

An operation's delivery rate is the mean over its services of each service's latest rate (delivered over
agreed in its newest period with both figures), each capped at 100 %: fuel delivered twice over does not
make up for rations delivered at half the agreed level. Units differ between services, so quantities are
never added across them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from peaceops.i18n import _
from peaceops.partnerships import list_operations
from peaceops.support import records
from peaceops.support.shapes import (
    ArrangementRef,
    FinancingOut,
    FinancingPeriodOut,
    MilestoneOut,
    OperationSupport,
    RequestCount,
    ServiceOut,
    SupportedOperation,
)
from peaceops.support.vocabulary import ASSESSED_CEILING


def financing_periods(rows: list[FinancingOut]) -> list[FinancingPeriodOut]:
    """Each budget period's financing, all sources added, with the share from UN assessed contributions."""
    periods: dict[tuple[date, date, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for f in rows:
        sums = periods[(f.period_start, f.period_end, f.period)]
        sums[0] += f.committed_usd or 0.0
        sums[1] += f.received_usd or 0.0
        if f.source == "un_assessed":
            sums[2] += f.committed_usd or 0.0
    out = []
    for (start, end, label), (committed, received, assessed) in sorted(periods.items()):
        share = assessed / committed if committed > 0 else None
        out.append(
            FinancingPeriodOut(
                period=label, period_start=start, period_end=end, committed_usd=committed, received_usd=received,
                assessed_usd=assessed, assessed_share=share,
                above_ceiling=None if share is None else share > ASSESSED_CEILING + 1e-9,
            )
        )  # fmt: skip
    return out


def _summary(
    operation: dict[str, Any],
    services: list[ServiceOut],
    counts: list[RequestCount],
    money: list[FinancingPeriodOut],
    milestones: list[MilestoneOut],
) -> SupportedOperation:
    rates = [min(s.latest_rate, 1.0) for s in services if s.latest_rate is not None]
    latest = money[-1] if money else None
    return SupportedOperation(
        acronym=operation["acronym"], name=operation["name"], kind=operation["kind"],
        kind_label=_(operation["kind_label"]), lead=operation["lead"], host_iso3=operation["host_iso3"],
        host=operation["host"], active=operation["active"], partnership_id=operation["id"], services=len(services),
        delivery_rate=sum(rates) / len(rates) if rates else None,
        services_short=sum(1 for s in services if s.latest_rate is not None and s.latest_rate < 1),
        requests_open=sum(c.open for c in counts), requests_unmet=sum(c.unmet for c in counts),
        financing_period=latest.period if latest else None, committed_usd=latest.committed_usd if latest else None,
        assessed_share=latest.assessed_share if latest else None,
        above_ceiling=latest.above_ceiling if latest else None, milestones=len(milestones),
        milestones_done=sum(1 for m in milestones if m.status == "done"),
        milestones_overdue=sum(1 for m in milestones if m.overdue),
    )  # fmt: skip


def supported_operations(session: Session, today: date | None = None) -> list[SupportedOperation]:
    """Every partner operation with a support record, by acronym; an empty list where none is recorded."""
    with_support = records.operations_with_support(session)
    out = []
    for operation in list_operations(session):
        if operation["id"] not in with_support:
            continue
        acronym = operation["acronym"]
        out.append(
            _summary(
                operation,
                records.services(session, acronym, today),
                records.request_counts(session, acronym, today),
                financing_periods(records.financing(session, acronym)),
                records.milestones(session, acronym, today),
            )
        )
    return out


def operation_support(session: Session, acronym: str, today: date | None = None) -> OperationSupport:
    """One partner operation's support record; NotFound for an acronym that is not a partner operation.

    An operation recorded in partnerships without support records yet answers with empty lists."""
    records.operation_id(session, acronym)
    operation = next(o for o in list_operations(session) if o["acronym"] == acronym.strip().upper())
    services = records.services(session, operation["acronym"], today)
    counts = records.request_counts(session, operation["acronym"], today)
    money = records.financing(session, operation["acronym"])
    periods = financing_periods(money)
    milestones = records.milestones(session, operation["acronym"], today)
    return OperationSupport(
        operation=_summary(operation, services, counts, periods, milestones),
        mandate=operation["mandate"],
        arrangements=[
            ArrangementRef(
                provider=a["provider"],
                kind=a["kind"],
                basis=a["basis"],
                started_on=date.fromisoformat(a["started_on"]) if a["started_on"] else None,
                ended_on=date.fromisoformat(a["ended_on"]) if a["ended_on"] else None,
            )
            for a in operation["arrangements"]
        ],  # fmt: skip
        services=services,
        deliveries=records.deliveries(session, operation["acronym"]),
        request_counts=counts,
        financing=money,
        financing_periods=periods,
        milestones=milestones,
    )
