"""A selection of agreements as a CSV file or as a printable brief (HTML; PDF through WeasyPrint).

The brief is rendered from its own self-contained template (styles inline, no scripts), so the same
HTML prints from a browser, converts to PDF, and can be mailed as one file.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from peaceops.agreements.categories import HEADLINE, stage_label
from peaceops.agreements.models import Agreement, AgreementCategory
from peaceops.errors import ValidationFailed
from peaceops.i18n import _

MAX_EXPORT = 500
CSV_COLUMNS = (
    "pax_id",
    "ucdp_paid",
    "title",
    "date",
    "country",
    "region",
    "conflict",
    "stage",
    "stage_label",
    "ucdp_type",
    "categories",
    "parties",
    "description",
    "url",
)
CITATION = (
    "Sources: PA-X Peace Agreements Database, University of Edinburgh (CC BY-NC-SA 4.0, peaceagreements.org); "
    "UCDP Peace Agreement Dataset v22.1 (Pettersson, Högbladh & Öberg 2019, CC BY 4.0)."
)


def _agreements(session: Session, ids: list[int]) -> list[Agreement]:
    if len(ids) > MAX_EXPORT:
        raise ValidationFailed(
            _("Export at most {most} agreements at a time (got {count}).").format(most=MAX_EXPORT, count=len(ids))
        )
    found = {
        a.id: a
        for a in session.scalars(select(Agreement).where(Agreement.id.in_(ids)).options(selectinload(Agreement.codes)))
    }
    return [found[i] for i in ids if i in found]


def _codes(agreement: Agreement) -> list[str]:
    return sorted({c.code for c in agreement.codes if c.value > 0})


def export_csv(session: Session, ids: list[int]) -> str:
    """One row per agreement, in the order given; ``categories`` lists every coded category, ';'-separated."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for a in _agreements(session, ids):
        writer.writerow(
            [
                a.pax_id,
                a.ucdp_paid,
                a.title,
                a.signed_on.isoformat() if a.signed_on else "",
                a.country,
                a.region,
                a.conflict,
                a.stage,
                stage_label(a.stage),
                a.ucdp_type,
                ";".join(_codes(a)),
                a.parties,
                a.description or a.ucdp_comment,
                a.url,
            ]
        )
    return out.getvalue()


def brief_items(session: Session, ids: list[int]) -> list[dict[str, Any]]:
    """What a printable brief shows per agreement: its facts, stage, headline categories, code labels."""
    labels = dict(session.execute(select(AgreementCategory.code, AgreementCategory.label)).all())
    items = []
    for a in _agreements(session, ids):
        codes = _codes(a)
        items.append(
            {
                "agreement": a,
                "stage_label": stage_label(a.stage),
                "headline": [HEADLINE[c] for c in HEADLINE if c in codes],
                "other_codes": len([c for c in codes if c not in HEADLINE]),
                "labels": labels,
            }
        )
    return items
