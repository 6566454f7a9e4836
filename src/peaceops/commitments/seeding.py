"""Seeding commitments from PA-X: each non-zero provision category code of an agreement that concerns an
active mission's host country becomes one commitment, "not assessed", until someone assesses it.

Idempotent: a commitment already there (same agreement, same reference) is left as it is, with whatever
status and text people gave it since.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.agreements.models import Agreement, AgreementCategory, AgreementCode, AgreementCountry
from peaceops.commitments.models import Commitment
from peaceops.commitments.shapes import SeedReport
from peaceops.missions.models import Mission
from peaceops.store import audit


def host_countries(session: Session) -> dict[str, list[str]]:
    """ISO3 of each active mission's host country, with the missions there."""
    out: dict[str, list[str]] = {}
    for acronym, iso3 in session.execute(
        select(Mission.acronym, Mission.host_iso3).where(Mission.active.is_(True), Mission.host_iso3.is_not(None))
    ):
        out.setdefault(str(iso3), []).append(acronym)
    return out


def seed_from_pax(session: Session, actor: str, countries: list[str] | None = None) -> SeedReport:
    """Seed the commitments of the PA-X agreements of the host countries (default: every active mission's)."""
    hosts = host_countries(session)
    wanted = [c.upper() for c in countries] if countries else sorted(hosts)
    agreement_ids = sorted(
        set(
            session.scalars(
                select(AgreementCountry.agreement_id)
                .join(Agreement, Agreement.id == AgreementCountry.agreement_id)
                .where(AgreementCountry.iso3.in_(wanted), Agreement.pax_id.is_not(None))
            )
        )
    )
    labels = dict(session.execute(select(AgreementCategory.code, AgreementCategory.label)).all())
    existing = set(
        session.execute(
            select(Commitment.agreement_id, Commitment.ref).where(Commitment.agreement_id.in_(agreement_ids))
        )
    )
    codes = session.execute(
        select(AgreementCode.agreement_id, AgreementCode.code)
        .where(AgreementCode.agreement_id.in_(agreement_ids), AgreementCode.source == "pax", AgreementCode.value > 0)
        .order_by(AgreementCode.agreement_id, AgreementCode.code)
    )
    inserted = unchanged = 0
    for agreement_id, code in codes:
        if (agreement_id, code) in existing:
            unchanged += 1
            continue
        session.add(
            Commitment(
                agreement_id=agreement_id,
                ref=code,
                category=code,
                text=labels.get(code, code),
                parties=[],
                due="",
                status="not_assessed",
                origin="pax",
                created_by=actor,
            )
        )
        inserted += 1
    session.flush()
    report = SeedReport(
        missions=sorted(m for c in wanted for m in hosts.get(c, [])),
        agreements=len(agreement_ids),
        inserted=inserted,
        unchanged=unchanged,
    )
    if inserted:
        audit.record(session, actor, "seed", "commitment", None, after=report.model_dump())
    return report
