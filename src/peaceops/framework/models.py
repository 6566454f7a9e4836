"""The A4P / A4P+ reference framework as versioned rows."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peaceops.store.base import Base

ELEMENT_KINDS = ("commitment_area", "priority", "theme")


class FrameworkVersion(Base):
    __tablename__ = "framework_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    adopted: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")
    supersedes_code: Mapped[str | None] = mapped_column(String(32))

    elements: Mapped[list[FrameworkElement]] = relationship(
        back_populates="version", order_by="FrameworkElement.position"
    )


class FrameworkElement(Base):
    """A commitment area, priority or cross-cutting theme; ``code`` never changes once published."""

    __tablename__ = "framework_element"
    __table_args__ = (UniqueConstraint("code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("framework_version.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    code: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)

    version: Mapped[FrameworkVersion] = relationship(back_populates="elements")


class FrameworkLink(Base):
    """``source`` advances ``target`` (an A4P+ priority or theme advancing an A4P commitment area)."""

    __tablename__ = "framework_link"
    __table_args__ = (UniqueConstraint("source_id", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("framework_element.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("framework_element.id", ondelete="CASCADE"))
    relation: Mapped[str] = mapped_column(String(24), default="advances")
