"""One agreement as pages and the API show it: its facts, countries, coded categories and provisions."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from peaceops.agreements.categories import stage_label
from peaceops.agreements.models import Agreement, AgreementCategory, AgreementCode, AgreementCountry, Provision
from peaceops.agreements.shapes import (
    AgreementDetail,
    CategoryCode,
    CategoryFamily,
    CountryRef,
    PaxProcess,
    PaxProcessAgreement,
    ProvisionText,
)
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


def _most_common(values: list[str | None]) -> str | None:
    counts: dict[str, int] = defaultdict(int)
    for value in values:
        if value:
            counts[value] += 1
    return max(counts, key=lambda v: (counts[v], v)) if counts else None


def pax_processes(session: Session) -> list[PaxProcess]:
    """The PA-X peace processes the agreements memory knows (each agreement's ``PP``), with their agreements,
    oldest first, and the places they concern; by PA-X process id."""
    rows = session.execute(
        select(Agreement.id, Agreement.pax_id, Agreement.process_id, Agreement.conflict, Agreement.country,
               Agreement.region, Agreement.signed_on, Agreement.stage)
        .where(Agreement.pax_id.is_not(None), Agreement.process_id.is_not(None))
        .order_by(Agreement.process_id, Agreement.signed_on, Agreement.pax_id)
    ).all()  # fmt: skip
    places: dict[int, set[str]] = defaultdict(set)
    for agreement_id, iso3 in session.execute(
        select(AgreementCountry.agreement_id, AgreementCountry.iso3)
        .join(Agreement, Agreement.id == AgreementCountry.agreement_id)
        .where(Agreement.pax_id.is_not(None), Agreement.process_id.is_not(None))
    ):
        places[agreement_id].add(iso3)
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[int(row.process_id)].append(row)
    out = []
    for process_id, members in sorted(grouped.items()):
        name = _most_common([r.conflict for r in members]) or f"PA-X process {process_id}"
        members.sort(key=lambda r: (r.signed_on or date.max, r.pax_id))
        out.append(
            PaxProcess(
                pax_process_id=process_id,
                name=name,
                country=_most_common([r.country for r in members]),
                region=_most_common([r.region for r in members]),
                countries=sorted({iso for r in members for iso in places[r.id]}),
                agreements=[
                    PaxProcessAgreement(
                        pax_id=r.pax_id, signed_on=r.signed_on.isoformat() if r.signed_on else None, stage=r.stage
                    )
                    for r in members
                ],
            )
        )
    return out
