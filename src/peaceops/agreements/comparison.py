"""Side by side: how several agreements treat one category (ceasefire, DDR, power sharing, amnesty ...).

For each agreement: whether PA-X codes it for the category (and how strongly: 1 rhetorical ... 3 detailed
for ordinal codes) and its sub-codes, whether UCDP flags it, and the passages that treat it: the
provisions that use the category's words most, or, for agreements without provision texts, the
sentences of the summary that do. Each passage comes as plain text and as escaped HTML with <mark>.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.agreements import highlight
from peaceops.agreements.categories import CATEGORY_WORDS, HEADLINE, stage_label
from peaceops.agreements.models import Agreement, AgreementCategory, AgreementCode, Provision
from peaceops.agreements.shapes import CategoryName, ComparedAgreement, ComparedCategory, Comparison, Passage
from peaceops.errors import NotFound, ValidationFailed
from peaceops.i18n import _

MAX_AGREEMENTS = 8
PASSAGES = 3
GENERIC = {"other", "general", "references", "provisions", "and", "the", "of", "or", "new", "to"}


def category_words(category: AgreementCategory) -> tuple[str, ...]:
    """The words a passage about this category uses: a curated list, else the words of its label."""
    if category.code in CATEGORY_WORDS:
        return CATEGORY_WORDS[category.code]
    words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z-]+", category.label)]
    return tuple(w for w in words if w not in GENERIC) or (category.code.lower(),)


def _category(session: Session, code: str) -> AgreementCategory:
    category = session.scalar(select(AgreementCategory).where(AgreementCategory.code == code))
    if category is None:
        known = ", ".join(HEADLINE)
        raise NotFound(
            _("There is no category {code!r}; headline categories are {known} (all: /api/agreements/facets).").format(
                code=code, known=known
            )
        )
    return category


def compare(session: Session, agreement_ids: list[int], code: str) -> Comparison:
    """The comparison of up to eight agreements on category ``code``, in the order given."""
    if not agreement_ids:
        raise ValidationFailed(_("Choose at least one agreement to compare."))
    if len(agreement_ids) > MAX_AGREEMENTS:
        raise ValidationFailed(
            _("Compare at most {most} agreements at a time (got {count}).").format(
                most=MAX_AGREEMENTS, count=len(agreement_ids)
            )
        )
    category = _category(session, code)
    subcodes = [
        c
        for c in session.scalars(
            select(AgreementCategory).where(AgreementCategory.family == category.family).order_by(AgreementCategory.id)
        )
        if c.code != code and c.code.startswith(code)
    ]
    wanted = {code, *(c.code for c in subcodes)}
    agreements = {a.id: a for a in session.scalars(select(Agreement).where(Agreement.id.in_(agreement_ids)))}
    missing = [i for i in agreement_ids if i not in agreements]
    if missing:
        raise NotFound(
            _("There is no agreement with id {id}; search for agreements at /agreements.").format(id=missing[0])
        )
    codes: dict[int, dict[tuple[str, str], int]] = {i: {} for i in agreement_ids}
    for agreement_id, source, c, value in session.execute(
        select(AgreementCode.agreement_id, AgreementCode.source, AgreementCode.code, AgreementCode.value).where(
            AgreementCode.agreement_id.in_(agreement_ids), AgreementCode.code.in_(wanted)
        )
    ):
        codes[agreement_id][(source, c)] = value
    provisions: dict[int, list[Provision]] = {i: [] for i in agreement_ids}
    for provision in session.scalars(select(Provision).where(Provision.agreement_id.in_(agreement_ids))):
        provisions[provision.agreement_id].append(provision)
    words = category_words(category)
    rows = []
    for agreement_id in agreement_ids:
        a = agreements[agreement_id]
        found = codes[agreement_id]
        passages, where = _passages(a, provisions[agreement_id], words)
        rows.append(
            ComparedAgreement(
                agreement_id=a.id,
                pax_id=a.pax_id,
                ucdp_paid=a.ucdp_paid,
                title=a.title,
                date=a.signed_on.isoformat() if a.signed_on else None,
                country=a.country,
                stage=a.stage,
                stage_label=stage_label(a.stage),
                pax_value=found.get(("pax", code)),
                ucdp_flag=found.get(("ucdp", code)),
                coded=bool(found.get(("pax", code)) or found.get(("ucdp", code))),
                subcodes={c.code: found.get(("pax", c.code)) for c in subcodes},
                passages=passages,
                passages_from=where,
                provisions_on_record=len(provisions[agreement_id]),
            )
        )
    return Comparison(
        category=ComparedCategory(
            code=category.code, label=category.label, family=category.family, scale=category.scale
        ),
        subcodes=[CategoryName(code=c.code, label=c.label) for c in subcodes],
        words=list(words),
        agreements=rows,
    )


def _passage(number: int | None, marked: str) -> Passage:
    """A marked passage as plain text and as escaped HTML with <mark>."""
    return Passage(provision_number=number, text=highlight.plain(marked), html=str(highlight.html(marked)))


def _passages(agreement: Agreement, provisions: list[Provision], words: tuple[str, ...]) -> tuple[list[Passage], str]:
    """Up to three passages treating the category: provisions first, else summary sentences."""
    scored = []
    for provision in provisions:
        marked, hits = highlight.mark(provision.text, words)
        if hits:
            scored.append((hits, provision.number, marked))
    if scored:
        best = sorted(sorted(scored, key=lambda s: -s[0])[:PASSAGES], key=lambda s: s[1])
        return [_passage(n, highlight.window(t, 60)) for _, n, t in best], "provisions"
    summary = agreement.description or agreement.ucdp_comment or ""
    sentences = highlight.best_sentences(summary, words, limit=PASSAGES)
    if sentences:
        return [_passage(None, highlight.window(sentences, 80))], "summary"
    return [], "none"
