"""Implementation over time, the way the Peace Accords Matrix draws it: at the end of each year (and each
quarter, for the mission's indicator), the status each commitment stood at, counted by status. The years run
from the first status recorded for any of the commitments (from the first signing when none is).

A commitment's status on a day is that of its latest history entry on or before the day; before its first
entry it is not assessed. Commitments are counted from the year their agreement was signed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.agreements.models import Agreement, AgreementCategory, AgreementCountry
from peaceops.commitments.models import STATUS_LABELS, STATUSES, Commitment, CommitmentStatus
from peaceops.commitments.shapes import ShareRow
from peaceops.i18n import N_

GROUPINGS = ("category", "party")
ALL = N_("All commitments")  # group names, shown with _()
NO_PARTY = N_("(no party named)")
NO_CATEGORY = N_("(no category)")


def _scope(agreement: int | None = None, country: str | None = None) -> list[Any]:
    """The filters that pick the commitments of an agreement (PA-X id) or of a country's agreements."""
    where: list[Any] = []
    if agreement is not None:
        where.append(Agreement.pax_id == agreement)
    if country:
        where.append(
            Agreement.id.in_(select(AgreementCountry.agreement_id).where(AgreementCountry.iso3 == country.upper()))
        )
    return where


def _commitments(
    session: Session, *, agreement: int | None = None, country: str | None = None
) -> list[tuple[int, str | None, list[str] | None, date | None]]:
    """(id, category, parties, signed on) of each commitment in scope: the columns the curves count by."""
    query = (
        select(Commitment.id, Commitment.category, Commitment.parties, Agreement.signed_on)
        .join(Agreement, Agreement.id == Commitment.agreement_id)
        .where(*_scope(agreement, country))
    )
    return [(cid, category, parties, signed) for cid, category, parties, signed in session.execute(query)]


def _histories(
    session: Session, *, agreement: int | None = None, country: str | None = None
) -> dict[int, list[tuple[date, str]]]:
    """Each commitment's status changes in order, for the same scope (a join, not a list of ten thousand ids)."""
    out: dict[int, list[tuple[date, str]]] = defaultdict(list)
    rows = session.execute(
        select(CommitmentStatus.commitment_id, CommitmentStatus.changed_on, CommitmentStatus.status)
        .join(Commitment, Commitment.id == CommitmentStatus.commitment_id)
        .join(Agreement, Agreement.id == Commitment.agreement_id)
        .where(*_scope(agreement, country))
        .order_by(CommitmentStatus.commitment_id, CommitmentStatus.changed_on, CommitmentStatus.id)
    )
    for cid, day, status in rows:
        out[cid].append((day, status))
    return out


def status_on(history: Sequence[tuple[date, str]], day: date) -> str:
    status = "not_assessed"
    for changed_on, value in history:
        if changed_on > day:
            break
        status = value
    return status


def implementation_curves(
    session: Session, *, agreement: int | None = None, country: str | None = None, by: str = "category", top: int = 6
) -> list[ShareRow]:
    """Per year and group (all commitments, then the ``top`` largest categories or parties): the share of
    the group's commitments standing at each status at the end of the year (today for the current year)."""
    rows = _commitments(session, agreement=agreement, country=country)
    if not rows:
        return []
    histories = _histories(session, agreement=agreement, country=country)
    labels = dict(session.execute(select(AgreementCategory.code, AgreementCategory.label)).all())

    def groups(category: str | None, parties: list[str] | None) -> list[str]:
        if by == "party":
            return [p for p in parties or []] or [NO_PARTY]
        return [labels.get(category or "", category or NO_CATEGORY)]

    grouped = [(cid, signed, groups(category, parties)) for cid, category, parties, signed in rows]
    sizes: dict[str, int] = defaultdict(int)
    for _, _, names in grouped:
        for g in names:
            sizes[g] += 1
    kept = sorted(sizes, key=lambda g: (-sizes[g], g))[:top]
    # Commitments signed the same day, in the same kept groups and with the same history count alike: each
    # year visits a few thousand such kinds, not every commitment (most are not assessed yet).
    alike = Counter(
        (signed, tuple(g for g in names if g in kept), tuple(histories.get(cid, ()))) for cid, signed, names in grouped
    )
    today = date.today()
    assessed = [d.year for h in histories.values() for d, _ in h]
    signed_years = [signed.year for _, _, _, signed in rows if signed]
    # From the first recorded status (years before it would all read "not assessed"), else from the signing.
    first = min(assessed) if assessed else min(signed_years, default=today.year)
    out: list[ShareRow] = []
    for year in range(first, today.year + 1):
        day = min(date(year, 12, 31), today)
        counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for (signed, in_groups, history), n in alike.items():
            if signed and signed > day:
                continue
            status = status_on(history, day)
            for g in (ALL, *in_groups):
                counts[g][status] += n
        for g in [ALL, *kept]:
            total = sum(counts[g].values())
            if not total:
                continue
            for status in STATUSES:
                n = counts[g][status]
                out.append(
                    ShareRow(
                        year=year,
                        group=g,
                        status=status,
                        status_label=STATUS_LABELS[status],
                        count=n,
                        total=total,
                        share=round(100.0 * n / total, 1),
                    )
                )
    return out


def quarterly_implemented(session: Session, iso3: str) -> list[tuple[int, int, int, int]]:
    """(year, quarter, implemented, assessed) at the end of each quarter from the first status recorded for a
    commitment of the country's agreements to the current quarter: the mission's POL_PROVISIONS_DONE."""
    rows = _commitments(session, country=iso3)
    histories = _histories(session, country=iso3)
    days = [d for h in histories.values() for d, _ in h]
    if not days:
        return []
    today = date.today()
    year, q = min(days).year, (min(days).month - 1) // 3 + 1
    out = []
    while (year, q) <= (today.year, (today.month - 1) // 3 + 1):
        end = date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
        day = min(date.fromordinal(end.toordinal() - 1), today)
        statuses = [status_on(histories.get(cid, []), day) for cid, _, _, _ in rows]
        assessed = sum(s != "not_assessed" for s in statuses)
        implemented = sum(s == "implemented" for s in statuses)
        out.append((year, q, implemented, assessed))
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    return out
