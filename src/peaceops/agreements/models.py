"""Tables of the agreements memory: one row per peace agreement whatever its source, its countries,
its category codes and its provision texts.

An agreement comes from PA-X (``pax_id`` set; UCDP's ``paid`` kept where PA-X links it) or, when no
PA-X agreement claims a UCDP Peace Agreement Dataset row, from UCDP alone (``pax_id`` empty).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peaceops.store.base import Base


class AgreementCategory(Base):
    """A provision category of the PA-X codebook (``Ce`` ceasefire, ``SsrDdr`` DDR ...), with its label."""

    __tablename__ = "agreement_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    family: Mapped[str] = mapped_column(String(80))
    scale: Mapped[str] = mapped_column(String(16), default="binary")  # "ordinal" (0-3) or "binary" (0/1)


class Agreement(Base):
    __tablename__ = "agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    pax_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    ucdp_paid: Mapped[int | None] = mapped_column(Integer, index=True)
    source: Mapped[str] = mapped_column(String(8))  # "pax" or "ucdp": which file the record comes from
    release: Mapped[str | None] = mapped_column(String(16))  # PA-X release of the basic fields: "v4", "v10"
    title: Mapped[str] = mapped_column(Text)
    signed_on: Mapped[date | None] = mapped_column(Date, index=True)
    country: Mapped[str | None] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(String(64), index=True)
    conflict: Mapped[str | None] = mapped_column(Text)
    conflict_type: Mapped[str | None] = mapped_column(Text)
    process_id: Mapped[int | None] = mapped_column(Integer)
    ucdp_conflict: Mapped[str | None] = mapped_column(Text)
    agreement_type: Mapped[str | None] = mapped_column(String(32))
    stage: Mapped[str | None] = mapped_column(String(16), index=True)
    stage_sub: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str | None] = mapped_column(Text)
    parties: Mapped[str | None] = mapped_column(Text)
    third_parties: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    pages: Mapped[int | None] = mapped_column(Integer)
    url: Mapped[str | None] = mapped_column(Text)
    ucdp_type: Mapped[str | None] = mapped_column(String(16))  # "full", "partial" or "process"
    ucdp_comment: Mapped[str | None] = mapped_column(Text)

    countries: Mapped[list[AgreementCountry]] = relationship(
        order_by="AgreementCountry.iso3", cascade="all, delete-orphan", passive_deletes=True
    )
    codes: Mapped[list[AgreementCode]] = relationship(
        order_by="AgreementCode.code", cascade="all, delete-orphan", passive_deletes=True
    )
    provisions: Mapped[list[Provision]] = relationship(
        order_by="Provision.number", cascade="all, delete-orphan", passive_deletes=True
    )


class AgreementCountry(Base):
    """A country an agreement concerns (PA-X locations, UCDP Gleditsch-Ward numbers), for filtering."""

    __tablename__ = "agreement_country"
    __table_args__ = (UniqueConstraint("agreement_id", "iso3"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"), index=True)
    iso3: Mapped[str] = mapped_column(String(3), index=True)
    name: Mapped[str | None] = mapped_column(String(120))


class AgreementCode(Base):
    """One non-zero category code of an agreement; PA-X codes its own, UCDP flags are mapped onto them."""

    __tablename__ = "agreement_code"
    __table_args__ = (UniqueConstraint("agreement_id", "source", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(8))  # "pax" or "ucdp"
    code: Mapped[str] = mapped_column(String(16), index=True)
    value: Mapped[int] = mapped_column(Integer)


class Provision(Base):
    """The text of one numbered provision of an agreement (PA-X provision texts)."""

    __tablename__ = "provision"
    __table_args__ = (UniqueConstraint("agreement_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
