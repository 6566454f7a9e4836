"""perf_target.rule: the rule a default target was computed by, in one line (empty for targets people set);
derived ratio indicators get the factor their values are written with (100 for women's shares, 1,000 for rates
per 1,000), so a quarter's ratio of summed numerators to summed denominators is on the monthly values' scale

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# value = numerator / denominator * factor for these derivations (performance/derived.py).
FACTORS = (
    ("women_share:%", 100.0),
    ("malicious_fatalities_per_1000", 1000.0),
    ("sea_allegations_per_1000", 1000.0),
)


def upgrade() -> None:
    with op.batch_alter_table("perf_target", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rule", sa.Text(), nullable=False, server_default=""))
    for pattern, factor in FACTORS:
        op.execute(
            sa.text(
                "UPDATE perf_indicator SET factor = :factor "
                "WHERE kind = 'derived' AND derivation LIKE :pattern AND factor = 1.0"
            ).bindparams(factor=factor, pattern=pattern)
        )


def downgrade() -> None:
    for pattern, factor in FACTORS:
        op.execute(
            sa.text(
                "UPDATE perf_indicator SET factor = 1.0 "
                "WHERE kind = 'derived' AND derivation LIKE :pattern AND factor = :factor"
            ).bindparams(factor=factor, pattern=pattern)
        )
    with op.batch_alter_table("perf_target", schema=None) as batch_op:
        batch_op.drop_column("rule")
