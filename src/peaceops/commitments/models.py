"""Tables of implementation tracking: a commitment (one provision of an agreement), its status history and its
links to confidential records (debriefs, incidents), kept by id only.

The current status is the latest entry of the history (by date, then by entry); ``Commitment.status``
caches it so lists filter in SQL. A link names a debrief or an incident by id: whether a reader sees it is
decided when it is read, by the access policy, never stored.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peaceops.i18n import N_
from peaceops.store.base import Base, utcnow

STATUSES = ("not_assessed", "not_started", "under_way", "implemented", "disputed", "abandoned")
# In English here (the JSON, the CSV); pages and charts show them with _().
STATUS_LABELS = {
    "not_assessed": N_("Not assessed"),
    "not_started": N_("Not started"),
    "under_way": N_("Under way"),
    "implemented": N_("Implemented"),
    "disputed": N_("Disputed"),
    "abandoned": N_("Abandoned"),
}
LINK_KINDS = ("debrief", "incident")


class Commitment(Base):
    """One provision of an agreement someone must carry out: what, by whom, by when, and where it stands."""

    __tablename__ = "commitment"
    __table_args__ = (UniqueConstraint("agreement_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(80))  # the natural key within the agreement ("Ce", "SsrDdr-2")
    category: Mapped[str | None] = mapped_column(String(16), index=True)  # PA-X provision category code
    text: Mapped[str] = mapped_column(Text, default="")
    parties: Mapped[list[str]] = mapped_column(JSON, default=list)
    due: Mapped[str] = mapped_column(String(200), default="")  # a date or a milestone, as written
    status: Mapped[str] = mapped_column(String(16), default="not_assessed", index=True)
    process_id: Mapped[int | None] = mapped_column(ForeignKey("peace_process.id", ondelete="SET NULL"), index=True)
    origin: Mapped[str] = mapped_column(String(8), default="user")  # "pax" (seeded) or "user" (entered, imported)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    history: Mapped[list[CommitmentStatus]] = relationship(
        order_by="(CommitmentStatus.changed_on, CommitmentStatus.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    links: Mapped[list[CommitmentLink]] = relationship(
        order_by="(CommitmentLink.kind, CommitmentLink.target_id)", cascade="all, delete-orphan", passive_deletes=True
    )


class CommitmentStatus(Base):
    """One status change: the status from ``changed_on``, the evidence, its source and who recorded it."""

    __tablename__ = "commitment_status"
    __table_args__ = (UniqueConstraint("commitment_id", "changed_on", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    changed_on: Mapped[date] = mapped_column(Date)
    evidence: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")  # a URL or a reference
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CommitmentLink(Base):
    """A debrief or an incident that bears on a commitment, by id only (their contents are confidential)."""

    __tablename__ = "commitment_link"
    __table_args__ = (UniqueConstraint("commitment_id", "kind", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "debrief" or "incident"
    target_id: Mapped[int] = mapped_column(Integer)


def as_row(commitment: Commitment) -> dict[str, Any]:
    """The fields an import compares to decide whether a commitment changed."""
    return {
        "category": commitment.category,
        "text": commitment.text,
        "parties": list(commitment.parties or []),
        "due": commitment.due,
        "process_id": commitment.process_id,
    }
