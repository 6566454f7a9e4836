"""Where each imported dataset came from: one row per import run, and each rejected row with its reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from peaceops.errors import NotFound
from peaceops.sources.records import Rejection
from peaceops.store.base import Base, utcnow


class ImportRun(Base):
    __tablename__ = "import_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    source: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(80))
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)

    rejections: Mapped[list[ImportRejection]] = relationship(
        back_populates="run", order_by="ImportRejection.line", cascade="all, delete-orphan"
    )


class ImportRejection(Base):
    __tablename__ = "import_rejection"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("import_run.id", ondelete="CASCADE"), index=True)
    line: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)

    run: Mapped[ImportRun] = relationship(back_populates="rejections")


@dataclass
class ImportReport:
    """What one import did, in the words the CLI summary and the API use."""

    kind: str
    source: str
    layout: str
    rows_read: int
    accepted: int
    inserted: int
    updated: int
    unchanged: int
    removed: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    run_id: int | None = None

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "source": self.source,
            "layout": self.layout,
            "rows_read": self.rows_read,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "run_id": self.run_id,
            "rejections": [{"line": r.line, "reason": r.reason} for r in self.rejections],
        }


def record_import(
    session: Session,
    *,
    kind: str,
    source: str,
    sha256: str,
    actor: str,
    rows_read: int,
    counts: dict[str, int],
    rejections: list[tuple[int, str]],
) -> ImportRun:
    """Store one import run and its rejected rows; the run's id ties audit entries to the file."""
    run = ImportRun(
        kind=kind,
        source=source,
        sha256=sha256,
        actor=actor,
        rows_read=rows_read,
        inserted=counts.get("inserted", 0),
        updated=counts.get("updated", 0),
        unchanged=counts.get("unchanged", 0),
        rejected=len(rejections),
    )
    session.add(run)
    session.flush()
    if rejections:  # in one statement, not as ORM objects: a file can reject thousands of lines
        session.execute(
            insert(ImportRejection),
            [{"run_id": run.id, "line": line, "reason": reason} for line, reason in rejections],
        )
    return run


def _run_fields(run: ImportRun) -> dict[str, object]:
    return {
        "id": run.id,
        "kind": run.kind,
        "source": run.source,
        "source_name": run.source.replace("\\", "/").rsplit("/", 1)[-1],
        "sha256": run.sha256,
        "actor": run.actor,
        "started_at": run.started_at.isoformat(timespec="seconds"),
        "rows_read": run.rows_read,
        "inserted": run.inserted,
        "updated": run.updated,
        "unchanged": run.unchanged,
        "rejected": run.rejected,
    }


def import_runs(session: Session) -> list[dict[str, object]]:
    """Every import run, newest first, with its counts: what was loaded, when, by whom."""
    return [_run_fields(run) for run in session.scalars(select(ImportRun).order_by(ImportRun.id.desc()))]


def import_run_detail(session: Session, run_id: int, *, offset: int = 0, limit: int | None = None) -> dict[str, object]:
    """One run and its rejected rows in line order; ``offset``/``limit`` page through long lists."""
    run = session.get(ImportRun, run_id)
    if run is None:
        raise NotFound(f"There is no import run {run_id}; the list of runs is at /imports.")
    query = (
        select(ImportRejection.line, ImportRejection.reason)
        .where(ImportRejection.run_id == run_id)
        .order_by(ImportRejection.line, ImportRejection.id)
        .offset(max(offset, 0))
    )
    if limit is not None:
        query = query.limit(limit)
    rejections = [{"line": line, "reason": reason} for line, reason in session.execute(query)]
    return {"run": _run_fields(run), "rejections": rejections, "offset": max(offset, 0)}
