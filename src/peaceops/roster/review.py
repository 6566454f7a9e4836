"""The rosters' periodic review (Blue Paper ¶30: maintain the roster of capable nongovernmental mediators;
¶38: rosters of candidates for envoy posts, updated periodically): every entry carries the day it was last
reviewed and kept, and is overdue once ``REVIEW_PERIOD_DAYS`` have passed since (or when never reviewed)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from peaceops.access.policy import Actor
from peaceops.errors import ValidationFailed
from peaceops.i18n import _
from peaceops.roster import terms
from peaceops.roster.models import Expert
from peaceops.roster.shapes import RosterReview, RosterReviewRow
from peaceops.store import audit

__all__ = ["REVIEW_PERIOD_DAYS", "is_overdue", "mark_reviewed", "review_due_on", "review_summary"]

REVIEW_PERIOD_DAYS = 365  # once a year (decision 042)


def review_due_on(last_reviewed_on: date | None) -> date | None:
    return None if last_reviewed_on is None else last_reviewed_on + timedelta(days=REVIEW_PERIOD_DAYS)


def is_overdue(last_reviewed_on: date | None, today: date) -> bool:
    due = review_due_on(last_reviewed_on)
    return due is None or due < today


def mark_reviewed(session: Session, who: Actor, expert: Expert, on: date | None = None) -> Expert:
    """Record that the entry was reviewed and kept on ``on`` (default today); audited. Analysts and
    administrators keep the rosters (the caller checks with ``experts.check_roster_editor``)."""
    day = on or date.today()
    if day > date.today():
        raise ValidationFailed(_("A review cannot be dated in the future ({day}).").format(day=day))
    before = expert.last_reviewed_on
    expert.last_reviewed_on = day
    session.flush()
    audit.record(session, who.username, "expert.reviewed", "expert", expert.id,
                 before={"last_reviewed_on": before}, after={"last_reviewed_on": day})  # fmt: skip
    return expert


def review_summary(session: Session, kinds: list[str], today: date | None = None) -> RosterReview:
    """Per roster among ``kinds`` (those the reader may see): entries and entries overdue for review."""
    day = today or date.today()
    rows = session.execute(select(Expert.kind, Expert.last_reviewed_on).where(Expert.kind.in_(kinds))).all()
    return RosterReview(
        today=day,
        period_days=REVIEW_PERIOD_DAYS,
        rosters=[
            RosterReviewRow(
                kind=kind,
                label=terms.expert_kind_label(kind),
                entries=sum(1 for k, _last in rows if k == kind),
                overdue=sum(1 for k, last in rows if k == kind and is_overdue(last, day)),
            )
            for kind in kinds
        ],
    )
