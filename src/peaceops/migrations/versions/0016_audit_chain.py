"""audit_log: client address and hash chain; restricted content scrubbed; UPDATE and DELETE refused

Entries written before this revision are first cleaned of restricted content (the snapshots of restricted
incidents become the names of the fields they held; debrief entries keep the process only; the words of
debrief searches go), then sealed into the chain in id order (decision 022).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 19:00:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from peaceops.store.audit import GENESIS, AuditEntry, digest

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REFUSE = "the audit log is append-only"


SAFE_INCIDENT_KEYS = {"compartment", "via", "status", "merged_into", "mission", "fields"}
SAFE_DEBRIEF_KEYS = {"process_id", "changed", "via", "ids"}


def _scrub(row: Any, restricted: set[str]) -> tuple[Any, Any]:
    """The (before, after) an entry keeps: no content of a restricted incident, no debrief details."""
    before, after = row.before, row.after
    if row.entity == "incident" and row.entity_id in restricted:
        keys = set((before or {}).keys()) | set((after or {}).keys())
        if keys - SAFE_INCIDENT_KEYS:
            return None, {"fields": sorted(keys)}
    if row.entity == "debrief" and after:
        return before, {k: v for k, v in after.items() if k in SAFE_DEBRIEF_KEYS}
    return before, after


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_audit_log_hash"), ["hash"])

    conn = op.get_bind()
    log = sa.table(
        "audit_log",
        sa.column("id", sa.Integer),
        sa.column("at", sa.DateTime),
        sa.column("actor", sa.String),
        sa.column("action", sa.String),
        sa.column("entity", sa.String),
        sa.column("entity_id", sa.String),
        sa.column("before", sa.JSON),
        sa.column("after", sa.JSON),
        sa.column("client", sa.String),
        sa.column("prev_hash", sa.String),
        sa.column("hash", sa.String),
    )
    incident = sa.table("incident", sa.column("id", sa.Integer), sa.column("compartment", sa.String))
    restricted = {str(i) for (i,) in conn.execute(sa.select(incident.c.id).where(incident.c.compartment.is_not(None)))}
    previous = GENESIS
    for row in conn.execute(sa.select(log).order_by(log.c.id)).all():
        before, after = _scrub(row, restricted)
        entry = AuditEntry(
            at=row.at,
            actor=row.actor,
            action=row.action,
            entity=row.entity,
            entity_id=row.entity_id,
            before=before,
            after=after,
            client=None,
            prev_hash=previous,
        )
        entry.hash = digest(entry)
        conn.execute(
            sa.update(log)
            .where(log.c.id == row.id)
            .values(before=before, after=after, prev_hash=previous, hash=entry.hash)
        )
        previous = entry.hash

    if conn.dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '{REFUSE}';
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                f"BEGIN SELECT RAISE(ABORT, '{REFUSE}'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    else:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS audit_log_no_{verb}")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_audit_log_hash"), type_="unique")
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("client")
