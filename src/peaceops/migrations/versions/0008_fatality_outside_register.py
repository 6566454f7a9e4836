"""fatalities outside the register: the source's mission acronym, an optional mission link, a key per row

The UN fatalities list covers special political missions (UNAMA, UNAMI...) the peacekeeping register
lacks, and repeats a casualty id for a person listed under two nationalities. Both are kept now: the
row stores the mission acronym with ``mission_id`` empty, and the natural key is casualty id + occurrence.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 08:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("fatality", schema=None) as batch_op:
        batch_op.add_column(sa.Column("occurrence", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("mission_acronym", sa.String(length=32), nullable=True))
    # Rows stored so far all link a mission of the register: their acronym is the mission's.
    op.execute(
        "UPDATE fatality SET mission_acronym = "
        "(SELECT mission.acronym FROM mission WHERE mission.id = fatality.mission_id)"
    )
    with op.batch_alter_table("fatality", schema=None) as batch_op:
        batch_op.alter_column("mission_acronym", existing_type=sa.String(length=32), nullable=False)
        batch_op.alter_column("mission_id", existing_type=sa.Integer(), nullable=True)
        batch_op.drop_constraint("uq_fatality_casualty_id", type_="unique")
        batch_op.create_unique_constraint("uq_fatality_casualty_id_occurrence", ["casualty_id", "occurrence"])
        batch_op.create_index(batch_op.f("ix_fatality_casualty_id"), ["casualty_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fatality_mission_acronym"), ["mission_acronym"], unique=False)


def downgrade() -> None:
    # Rows the old schema cannot hold (no mission link, a repeated casualty id) go with the columns.
    op.execute("DELETE FROM fatality WHERE mission_id IS NULL OR occurrence > 1")
    with op.batch_alter_table("fatality", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fatality_mission_acronym"))
        batch_op.drop_index(batch_op.f("ix_fatality_casualty_id"))
        batch_op.drop_constraint("uq_fatality_casualty_id_occurrence", type_="unique")
        batch_op.create_unique_constraint("uq_fatality_casualty_id", ["casualty_id"])
        batch_op.alter_column("mission_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("mission_acronym")
        batch_op.drop_column("occurrence")
