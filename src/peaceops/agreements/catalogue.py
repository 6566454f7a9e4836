"""One agreement as pages and the API show it: its facts, countries, coded categories and provisions."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from peaceops.agreements.categories import stage_label
from peaceops.agreements.models import Agreement, AgreementCategory, AgreementCode, Provision
from peaceops.agreements.shapes import AgreementDetail, CategoryCode, CategoryFamily, CountryRef, ProvisionText
from peaceops.errors import NotFound, ValidationFailed
from peaceops.i18n import N_, _

CODE_STRENGTH = {1: N_("mentioned"), 2: N_("some detail"), 3: N_("detailed")}  # shown through _()


def agreement_detail(session: Session, agreement_id: int) -> AgreementDetail:
    """Everything on record for one agreement; provisions in their order."""
    agreement = session.scalar(
        select(Agreement)
        .where(Agreement.id == agreement_id)
        .options(selectinload(Agreement.countries), selectinload(Agreement.codes), selectinload(Agreement.provisions))
    )
    if agreement is None:
        raise NotFound(
            _("There is no agreement with id {id}; search for agreements at /agreements.").format(id=agreement_id)
        )
    categories = {c.code: c for c in session.scalars(select(AgreementCategory))}
    families: dict[str, list[CategoryCode]] = defaultdict(list)
    for code in agreement.codes:
        category = categories.get(code.code)
        families[category.family if category else "Other"].append(
            CategoryCode(
                code=code.code,
                label=category.label if category else code.code,
                source=code.source,
                value=code.value,
                strength=CODE_STRENGTH.get(code.value) if category and category.scale == "ordinal" else None,
            )
        )
    a = agreement
    return AgreementDetail(
        agreement_id=a.id,
        pax_id=a.pax_id,
        ucdp_paid=a.ucdp_paid,
        source=a.source,
        release=a.release,
        title=a.title,
        date=a.signed_on.isoformat() if a.signed_on else None,
        country=a.country,
        countries=[CountryRef(iso3=c.iso3, name=c.name) for c in a.countries],
        region=a.region,
        conflict=a.conflict,
        conflict_type=a.conflict_type,
        ucdp_conflict=a.ucdp_conflict,
        agreement_type=a.agreement_type,
        stage=a.stage,
        stage_label=stage_label(a.stage),
        status=a.status,
        parties=a.parties,
        third_parties=a.third_parties,
        description=a.description,
        ucdp_type=a.ucdp_type,
        ucdp_comment=a.ucdp_comment,
        pages=a.pages,
        url=a.url,
        categories=[
            CategoryFamily(family=family, codes=sorted(codes, key=lambda c: (c.source, c.code)))
            for family, codes in sorted(families.items())
        ],
        provisions=[ProvisionText(number=p.number, text=p.text) for p in a.provisions],
    )


def memory_totals(session: Session) -> dict[str, int]:
    """How much the agreements memory holds, for the search page's header."""

    def count(stmt: Any) -> int:
        return int(session.scalar(stmt) or 0)

    return {
        "agreements": count(select(func.count()).select_from(Agreement)),
        "pax": count(select(func.count()).where(Agreement.pax_id.is_not(None))),
        "ucdp_only": count(select(func.count()).where(Agreement.source == "ucdp")),
        "with_provisions": count(select(func.count(func.distinct(Provision.agreement_id)))),
        "provisions": count(select(func.count()).select_from(Provision)),
        "codes": count(select(func.count()).select_from(AgreementCode)),
    }


def agreements_by_ids(session: Session, ids: list[int]) -> list[Agreement]:
    """The agreements with these row ids, oldest signature first (a process's linked agreements)."""
    if not ids:
        return []
    rows = session.scalars(select(Agreement).where(Agreement.id.in_(ids)))
    return sorted(rows, key=lambda a: (a.signed_on or date.max, a.id))


def resolve_agreements(session: Session, pax_ids: list[int], ucdp_ids: list[int]) -> list[int]:
    """Agreement row ids for PA-X ids and UCDP paids; an id not in the agreements memory is refused."""
    found: dict[tuple[str, int | None], int] = {}
    if pax_ids:
        for row_id, pax in session.execute(select(Agreement.id, Agreement.pax_id).where(Agreement.pax_id.in_(pax_ids))):
            found[("pax", pax)] = row_id
    if ucdp_ids:
        query = select(Agreement.id, Agreement.ucdp_paid).where(Agreement.ucdp_paid.in_(ucdp_ids))
        for row_id, paid in session.execute(query):
            found.setdefault(("ucdp", paid), row_id)
    missing = [f"PA-X {i}" for i in pax_ids if ("pax", i) not in found]
    missing += [f"UCDP {i}" for i in ucdp_ids if ("ucdp", i) not in found]
    if missing:
        raise ValidationFailed(
            _(
                "Agreement {ids} is not in the agreements memory; import the PA-X or UCDP agreement files first "
                "(peaceops import pax-agreements FILE), or check the id."
            ).format(ids=", ".join(missing))
        )
    ordered = [found[("pax", i)] for i in pax_ids] + [found[("ucdp", i)] for i in ucdp_ids]
    return list(dict.fromkeys(ordered))
