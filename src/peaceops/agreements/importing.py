"""Loading PA-X and UCDP agreement files into one agreements memory, idempotently, with provenance.

Natural keys: a PA-X agreement by its ``AgtId``; a UCDP-only agreement by its ``paid``; a code by
(agreement, source, code); a provision by (agreement, number). PA-X links an agreement to UCDP through
``UcdpAgr``; a UCDP row that some PA-X agreement claims is merged into it (UCDP's type, comment and
flags added) rather than stored twice, whichever file is imported first.

Both PA-X exports carry the basic fields; the metadata export (v10) is the newer release, so once an
agreement holds v10 fields a later import of the coded export (v4) adds its codes and leaves those
fields alone. Every import rebuilds the keyword index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any, cast

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from peaceops.agreements.categories import (
    HEADLINE,
    UCDP_FLAG_CODES,
    UCDP_ONLY_LABELS,
    UCDP_REGIONS,
    UCDP_TYPE_STAGE,
    UCDP_TYPES,
)
from peaceops.agreements.fulltext import rebuild_index
from peaceops.agreements.models import Agreement, AgreementCategory, AgreementCode, AgreementCountry, Provision
from peaceops.geography.codes import country_name
from peaceops.sources.pax import LAYOUT_CODED, read_pax, read_pax_dictionary
from peaceops.sources.pax_provisions import read_pax_provisions
from peaceops.sources.records import Rejection, SourceRows
from peaceops.sources.ucdp_agreements import read_ucdp_agreements
from peaceops.store.imports import ImportJob, ImportKind, finish_import
from peaceops.store.provenance import ImportReport
from peaceops.store.sync import sync_rows

DICTIONARY = "column_dictionary.csv"  # beside the coded export: the label of every category code
Children = dict[int, set[tuple[Any, ...]]]


def _finish(session: Session, rows: SourceRows, counts: dict[str, int], actor: str, entity: str) -> ImportReport:
    """Every agreements import rebuilds the keyword index and the category list, then ends like the others."""
    rebuild_index(session)
    _ensure_categories(session)
    return finish_import(session, rows, actor, entity, counts)


def _replace_children(
    session: Session,
    model: type[AgreementCode] | type[AgreementCountry],
    fields: tuple[str, ...],
    incoming: dict[int, set[tuple[Any, ...]]],
    scope: Iterable[int],
    where: Callable[[Any], Any] | None = None,
) -> set[int]:
    """Make each agreement in ``scope`` hold exactly its ``incoming`` child rows; return those that changed.

    Only agreements whose set of rows differs are rewritten, so a repeated import writes nothing.
    """
    scope = set(scope)
    table = cast(Table, model.__table__)
    columns = [table.c[f] for f in fields]
    stmt = select(table.c.agreement_id, *columns)
    if where is not None:
        stmt = stmt.where(where(table.c))
    existing: Children = defaultdict(set)
    for agreement_id, *values in session.execute(stmt):
        if agreement_id in scope:
            existing[agreement_id].add(tuple(values))
    changed = {a for a in scope if existing.get(a, set()) != incoming.get(a, set())}
    ordered = sorted(changed)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        condition = table.c.agreement_id.in_(chunk)
        session.execute(delete(table).where(condition if where is None else condition & where(table.c)))
    rows = [
        {"agreement_id": a, **dict(zip(fields, values, strict=True))} for a in ordered for values in incoming.get(a, ())
    ]
    for start in range(0, len(rows), 2000):
        session.execute(table.insert(), rows[start : start + 2000])
    return changed


def _countries(codes: Iterable[str]) -> set[tuple[Any, ...]]:
    return {(iso3, country_name(iso3)) for iso3 in codes}


def _counts(new_keys: set[Any], touched_keys: set[Any], all_keys: Iterable[Any]) -> dict[str, int]:
    """Agreement-level counts: new, updated (fields, codes or countries changed), unchanged."""
    keys = set(all_keys)
    updated = (touched_keys & keys) - new_keys
    return {"inserted": len(new_keys & keys), "updated": len(updated), "unchanged": len(keys - new_keys - updated)}


def import_pax_agreements(session: Session, job: ImportJob) -> ImportReport:
    """A PA-X agreements export (coded v4 or metadata v10): agreements, countries and codes."""
    rows = read_pax(job.path)
    path, progress = job.path, job.progress
    records = [record for _, record in rows.records]
    tick = progress(len(records)) if progress else None
    if rows.layout == LAYOUT_CODED and (path.parent / DICTIONARY).is_file():
        sync_rows(session, AgreementCategory, ["code"], read_pax_dictionary(path.parent / DICTIONARY))

    before = {pax_id: release for pax_id, release in session.execute(select(Agreement.pax_id, Agreement.release))}
    newer = {p for p, release in before.items() if release == "v10"} if rows.layout == LAYOUT_CODED else set()
    fields = [
        {"source": "pax", **{k: v for k, v in r.items() if k not in ("codes", "countries")}}
        for r in records
        if r["pax_id"] not in newer
    ]
    result = sync_rows(session, Agreement, ["pax_id"], fields, keep_changes=len(fields))
    touched = {after["pax_id"] for _, after in result.changes}
    if tick:
        tick(len(records) // 2)

    ids = {p: i for p, i in session.execute(select(Agreement.pax_id, Agreement.id)) if p is not None}
    in_file = {ids[r["pax_id"]]: r for r in records}
    countries = {a: _countries(r["countries"]) for a, r in in_file.items() if r["pax_id"] not in newer}
    changed = _replace_children(session, AgreementCountry, ("iso3", "name"), countries, countries)
    if rows.layout == LAYOUT_CODED:
        codes = {a: {("pax", code, value) for code, value in r["codes"].items()} for a, r in in_file.items()}
        changed |= _replace_children(
            session,
            AgreementCode,
            ("source", "code", "value"),
            codes,
            codes,
            where=lambda c: c.source == "pax",
        )
    by_id = {i: p for p, i in ids.items()}
    touched |= {by_id[a] for a in changed}
    _absorb_ucdp(session)
    if tick:
        tick(len(records) - len(records) // 2)
    new = {r["pax_id"] for r in records} - set(before)
    counts = _counts(new, touched, (r["pax_id"] for r in records))
    return _finish(session, rows, counts, job.actor, "agreement")


def _absorb_ucdp(session: Session) -> None:
    """Merge UCDP-only agreements that a PA-X agreement now claims (PA-X imported after UCDP)."""
    claims: dict[int, list[Agreement]] = defaultdict(list)
    for agreement in session.scalars(
        select(Agreement).where(Agreement.source == "pax", Agreement.ucdp_paid.is_not(None))
    ):
        claims[agreement.ucdp_paid].append(agreement)  # type: ignore[index]
    if not claims:
        return
    standalone = session.scalars(
        select(Agreement).where(Agreement.source == "ucdp", Agreement.ucdp_paid.in_(list(claims)))
    ).all()
    for ucdp in standalone:
        flags = {("ucdp", c.code, c.value) for c in ucdp.codes if c.source == "ucdp"}
        for target in claims[ucdp.ucdp_paid]:  # type: ignore[index]
            target.ucdp_type, target.ucdp_comment = ucdp.ucdp_type, ucdp.ucdp_comment
        _replace_children(
            session,
            AgreementCode,
            ("source", "code", "value"),
            {t.id: flags for t in claims[ucdp.ucdp_paid]},  # type: ignore[index]
            [t.id for t in claims[ucdp.ucdp_paid]],  # type: ignore[index]
            where=lambda c: c.source == "ucdp",
        )
        session.delete(ucdp)
    session.flush()


def import_pax_provisions(session: Session, job: ImportJob) -> ImportReport:
    """PA-X provision texts; a provision of an agreement not in the register is rejected with the reason."""
    rows = read_pax_provisions(job.path)
    progress = job.progress
    ids = {p: i for p, i in session.execute(select(Agreement.pax_id, Agreement.id)) if p is not None}
    good: list[dict[str, Any]] = []
    rejections = list(rows.rejections)
    for line, record in rows.records:
        agreement_id = ids.get(record["pax_id"])
        if agreement_id is None:
            rejections.append(
                Rejection(
                    line,
                    f"Line {line}: agreement {record['pax_id']} is not in the agreements register; import the PA-X "
                    "agreements export that lists it first (peaceops import pax-agreements FILE).",
                    cause="agreements not in the register; import the PA-X agreements export first",
                    detail=str(record["pax_id"]),
                )
            )
            continue
        good.append({"agreement_id": agreement_id, "number": record["number"], "text": record["text"]})
    rows.rejections = rejections
    result = sync_rows(
        session,
        Provision,
        ["agreement_id", "number"],
        good,
        replace_within=["agreement_id"],
        progress=progress(len(good)) if progress else None,
    )
    counts = {
        "inserted": result.inserted,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "removed": result.removed,
    }
    return _finish(session, rows, counts, job.actor, "provision")


def import_ucdp_agreements(session: Session, job: ImportJob) -> ImportReport:
    """The UCDP Peace Agreement Dataset: merged into the PA-X agreements that claim a row, stored alone otherwise."""
    rows = read_ucdp_agreements(job.path)
    progress = job.progress
    records = [record for _, record in rows.records]
    tick = progress(len(records)) if progress else None
    claims: dict[int, list[int]] = defaultdict(list)
    for pax_id, paid in session.execute(
        select(Agreement.pax_id, Agreement.ucdp_paid).where(Agreement.source == "pax", Agreement.ucdp_paid.is_not(None))
    ):
        if paid is not None and pax_id is not None:
            claims[paid].append(pax_id)
    before = set(session.scalars(select(Agreement.ucdp_paid).where(Agreement.source == "ucdp")))
    linked = [
        {"pax_id": pax_id, "ucdp_type": UCDP_TYPES[r["pa_type"]], "ucdp_comment": r["comment"]}
        for r in records
        for pax_id in claims.get(r["paid"], [])
    ]
    linked_result = sync_rows(session, Agreement, ["pax_id"], linked, keep_changes=len(linked))
    touched_pax = {after["pax_id"] for _, after in linked_result.changes}
    alone = [_standalone(r) for r in records if r["paid"] not in claims]
    alone_result = sync_rows(session, Agreement, ["source", "ucdp_paid"], alone, keep_changes=len(alone))
    touched = {after["ucdp_paid"] for _, after in alone_result.changes}
    # UCDP-only rows left over from before PA-X claimed them: merged now.
    _absorb_ucdp(session)

    ids = {
        (source, paid): agreement_id
        for agreement_id, source, paid in session.execute(
            select(Agreement.id, Agreement.source, Agreement.ucdp_paid).where(Agreement.ucdp_paid.is_not(None))
        )
    }
    pax_ids = dict(session.execute(select(Agreement.pax_id, Agreement.id).where(Agreement.pax_id.is_not(None))).all())
    flags: dict[int, set[tuple[Any, ...]]] = {}
    countries: dict[int, set[tuple[Any, ...]]] = {}
    owner: dict[int, int] = {}
    for r in records:
        codes = {("ucdp", UCDP_FLAG_CODES[flag], 1) for flag in r["flags"]}
        targets = [pax_ids[p] for p in claims.get(r["paid"], [])] or [ids[("ucdp", r["paid"])]]
        for target in targets:
            flags[target] = codes
            owner[target] = r["paid"]
        if r["paid"] not in claims:
            countries[targets[0]] = _countries(r["countries"])
    changed = _replace_children(
        session, AgreementCode, ("source", "code", "value"), flags, flags, where=lambda c: c.source == "ucdp"
    )
    changed |= _replace_children(session, AgreementCountry, ("iso3", "name"), countries, countries)
    touched |= {owner[a] for a in changed}
    touched |= {r["paid"] for r in records if any(p in touched_pax for p in claims.get(r["paid"], []))}
    if tick:
        tick(len(records))
    new = {r["paid"] for r in records if r["paid"] not in claims} - before
    counts = _counts(new, touched, (r["paid"] for r in records))
    return _finish(session, rows, counts, job.actor, "agreement")


def _standalone(record: dict[str, Any]) -> dict[str, Any]:
    """A UCDP row no PA-X agreement claims, as an agreement of its own (stage read from its type)."""
    ucdp_type = UCDP_TYPES[record["pa_type"]]
    names = [country_name(iso3) or iso3 for iso3 in record["countries"]]
    return {
        "source": "ucdp",
        "ucdp_paid": record["paid"],
        "title": record["title"],
        "signed_on": record["signed_on"],
        "country": "/".join(names) or None,
        "region": UCDP_REGIONS.get(record["region"] or ""),
        "conflict": record["conflict"],
        "ucdp_conflict": record["ucdp_conflict"],
        "stage": UCDP_TYPE_STAGE[ucdp_type],
        "parties": record["parties"],
        "third_parties": record["third_parties"],
        "url": record["url"],
        "ucdp_type": ucdp_type,
        "ucdp_comment": record["comment"],
    }


def _ensure_categories(session: Session) -> None:
    """Every code in use has a category row (labelled from the dictionary, or the built-in names)."""
    known = set(session.scalars(select(AgreementCategory.code)))
    used = set(session.scalars(select(AgreementCode.code).distinct()))
    for code in sorted((used | set(HEADLINE)) - known):
        label = HEADLINE.get(code) or UCDP_ONLY_LABELS.get(code) or code
        family = "UCDP" if code.startswith("ucdp_") else "Other"
        session.add(AgreementCategory(code=code, label=label, family=family, scale="binary"))
    session.flush()


KINDS = (
    ImportKind(
        "pax-agreements", import_pax_agreements, "agreements",
        "A PA-X agreements export: coded v4 (with column_dictionary.csv beside it) or metadata v10.",
        demo_files=(("pax", "coded_v4", "pax_all_agreements_data.csv"), ("pax", "metadata_v10", "pax.csv")),
    ),
    ImportKind(
        "pax-provisions", import_pax_provisions, "provisions",
        "PA-X provision texts, one row per provision of an agreement already in the register.",
        demo_files=(("pax", "provision_texts", "pax_provisions_mapped_to_constitutions.csv"),),
    ),
    ImportKind(
        "ucdp-peace-agreements", import_ucdp_agreements, "agreements",
        "The UCDP Peace Agreement Dataset CSV, merged into the PA-X agreements that claim a row.",
        demo_files=(("ucdp", "peace_agreements", "ucdp-peace-agreements-221.csv"),),
    ),
)  # fmt: skip
