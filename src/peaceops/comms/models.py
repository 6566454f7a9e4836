"""Tables of strategic communications monitoring: items, authors, lexicon terms, narratives, reviews, tasks.

Author handles are personal data. An item keeps only ``author_hash`` (an HMAC of the handle with the
installation's secret); the handle itself sits in ``comms_author`` and is shown only to holders of the
``comms:authors`` compartment (see ``privacy.py``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from peaceops.framework.threat_tags import TagTable, ThreatTagMixin
from peaceops.i18n import N_
from peaceops.store.base import Base, utcnow

ITEM_STATUSES = ("new", "flagged", "confirmed", "dismissed", "escalated")
# What the pages call them (kept in English, N_; a template shows ``_(ITEM_STATUS_NAMES[status])``).
ITEM_STATUS_NAMES = {
    "new": N_("not reviewed"),
    "flagged": N_("flagged"),
    "confirmed": N_("confirmed"),
    "dismissed": N_("dismissed"),
    "escalated": N_("escalated"),
}
# Where an item comes from. ``training``: a row of a labelled corpus the models learn from, kept apart
# and never shown (queue, narratives, spikes, pages); ``held_out``: a labelled row the models never saw,
# shown and marked as such (the demo monitors only these); ``monitored``: collected for a mission.
PROVENANCES = ("training", "held_out", "monitored")
REVIEW_ACTIONS = ("confirm", "dismiss", "escalate")
TASK_STATUSES = ("open", "in_progress", "done")


class CommsAuthor(Base):
    """Keyed hash → handle; read only through ``privacy.author_handle`` (compartment ``comms:authors``)."""

    __tablename__ = "comms_author"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_hash: Mapped[str] = mapped_column(String(64), unique=True)
    handle: Mapped[str] = mapped_column(String(200))
    platform: Mapped[str] = mapped_column(String(40), default="")


class CommsNarrative(Base):
    __tablename__ = "comms_narrative"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    language: Mapped[str] = mapped_column(String(8))
    label: Mapped[str] = mapped_column(String(300))
    terms: Mapped[list[str]] = mapped_column(JSON, default=list)
    size: Mapped[int] = mapped_column(Integer, default=0)
    harmful_share: Mapped[float] = mapped_column(Float, default=0.0)
    method: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CommsItem(Base):
    __tablename__ = "comms_item"
    __table_args__ = (UniqueConstraint("source", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(80), index=True)
    external_id: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8), index=True)
    language_method: Mapped[str] = mapped_column(String(16))
    platform: Mapped[str] = mapped_column(String(40), default="")
    author_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    posted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, index=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    country_iso3: Mapped[str] = mapped_column(String(3), default="")
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    url: Mapped[str] = mapped_column(String(500), default="")
    # the mission the item was collected for (None: the shared pool every signed-in user reads); see scope.py
    mission_id: Mapped[int | None] = mapped_column(
        ForeignKey("mission.id", ondelete="SET NULL"), nullable=True, index=True
    )
    text_key: Mapped[str] = mapped_column(String(40), index=True)
    duplicate_of: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    gold_label: Mapped[str] = mapped_column(String(24), default="")
    label: Mapped[str] = mapped_column(String(24), default="")
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    probabilities: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    model_version: Mapped[str] = mapped_column(String(80), default="")
    lexicon_hits: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    narrative_id: Mapped[int | None] = mapped_column(
        ForeignKey("comms_narrative.id", ondelete="SET NULL"), nullable=True, index=True
    )
    provenance: Mapped[str] = mapped_column(String(12), default="monitored", server_default="monitored", index=True)
    imported_by: Mapped[str] = mapped_column(String(80))
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


SHOWN = CommsItem.provenance != "training"  # the condition every read of items applies (never training rows)


class CommsItemThreatArea(ThreatTagMixin, Base):
    """Which threat areas a monitored item is tagged with (decision 046)."""

    __tablename__ = "comms_item_threat_area"

    item_id: Mapped[int] = mapped_column(ForeignKey("comms_item.id", ondelete="CASCADE"), primary_key=True)


class CommsNarrativeThreatArea(ThreatTagMixin, Base):
    """Which threat areas a narrative is tagged with; a rebuild that finds the narrative again keeps them."""

    __tablename__ = "comms_narrative_threat_area"

    narrative_id: Mapped[int] = mapped_column(ForeignKey("comms_narrative.id", ondelete="CASCADE"), primary_key=True)


ITEM_TAGS = TagTable(CommsItemThreatArea, CommsItemThreatArea.item_id)
NARRATIVE_TAGS = TagTable(CommsNarrativeThreatArea, CommsNarrativeThreatArea.narrative_id)


class CommsLexiconTerm(Base):
    __tablename__ = "comms_lexicon_term"
    __table_args__ = (UniqueConstraint("country_iso3", "language", "term_norm"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_iso3: Mapped[str] = mapped_column(String(3), default="")  # "" = any country
    language: Mapped[str] = mapped_column(String(8))
    term: Mapped[str] = mapped_column(String(200))
    term_norm: Mapped[str] = mapped_column(String(200))
    variants: Mapped[list[str]] = mapped_column(JSON, default=list)
    meaning: Mapped[str] = mapped_column(Text, default="")
    why_harmful: Mapped[str] = mapped_column(Text, default="")
    severity: Mapped[int] = mapped_column(Integer, default=2)  # 1 low, 2 medium, 3 high
    source: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CommsReview(Base):
    """One analyst decision; confirm/dismiss rows with a label are the retraining set."""

    __tablename__ = "comms_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("comms_item.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(24), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(80))
    decided_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CommsTask(Base):
    """A response to an escalated item (a rebuttal, a radio message, a community meeting...)."""

    __tablename__ = "comms_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("comms_item.id", ondelete="CASCADE"), index=True)
    narrative_id: Mapped[int | None] = mapped_column(
        ForeignKey("comms_narrative.id", ondelete="SET NULL"), nullable=True, index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(80))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
