"""threat areas: one link table per tagged record kind (incidents, monitored items, narratives, peace
processes, conflict alerts), each row a record and one area code, deleted with its record (decision 046)

Revision ID: 0034
Revises: 0031
Create Date: 2026-12-06 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# link table -> (record key column, the record's table)
TABLES = {
    "incident_threat_area": ("incident_id", "incident"),
    "comms_item_threat_area": ("item_id", "comms_item"),
    "comms_narrative_threat_area": ("narrative_id", "comms_narrative"),
    "peace_process_threat_area": ("process_id", "peace_process"),
    "conflict_alert_threat_area": ("alert_id", "conflict_alert"),
}


def upgrade() -> None:
    for table, (key, owner) in TABLES.items():
        op.create_table(
            table,
            sa.Column(key, sa.Integer(), nullable=False),
            sa.Column("area", sa.String(length=24), nullable=False),
            sa.ForeignKeyConstraint([key], [f"{owner}.id"], name=op.f(f"fk_{table}_{key}_{owner}"), ondelete="CASCADE"),
            sa.PrimaryKeyConstraint(key, "area", name=op.f(f"pk_{table}")),
        )
        op.create_index(op.f(f"ix_{table}_area"), table, ["area"])


def downgrade() -> None:
    for table in reversed(list(TABLES)):
        op.drop_index(op.f(f"ix_{table}_area"), table_name=table)
        op.drop_table(table)
