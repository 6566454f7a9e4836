"""Users, their roles and mission scope, compartment grants, sign-in sessions and second factors."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from peaceops.store.base import Base, utcnow


class User(Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(24))
    mission_id: Mapped[int | None] = mapped_column(ForeignKey("mission.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    locale: Mapped[str | None] = mapped_column(String(8))  # preferred language (i18n.LANGUAGES); none: the browser's
    email: Mapped[str | None] = mapped_column(String(254))  # where notifications go (account page); none: no e-mail
    organisation: Mapped[str | None] = mapped_column(String(200))  # a partner account's organisation (its unit)


class CompartmentGrant(Base):
    """A user's right to read one compartment (e.g. ``process:7``, ``incidents:sexual-violence``)."""

    __tablename__ = "compartment_grant"
    __table_args__ = (UniqueConstraint("user_id", "compartment", name="uq_compartment_grant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    compartment: Mapped[str] = mapped_column(String(80), index=True)
    granted_by: Mapped[str] = mapped_column(String(80))
    granted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class LoginSession(Base):
    """A signed-in browser: the cookie holds the token, this row only its SHA-256 (access/sessions.py)."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    client: Mapped[str | None] = mapped_column(String(64))


class SecondFactor(Base):
    """A user's TOTP secret (RFC 6238, access/second_factor.py): begun at enrolment, on once confirmed.

    ``last_step`` is the time step of the last code accepted: a code is taken only for a later step, so
    one seen over a shoulder or in a proxy log cannot be used again within its window.
    """

    __tablename__ = "second_factor"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True)
    secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_step: Mapped[int] = mapped_column(Integer, default=0)


class RecoveryCode(Base):
    """A one-time code for signing in without the authenticator; the row keeps only its SHA-256."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
