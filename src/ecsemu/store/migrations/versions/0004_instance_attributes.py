"""What the instance read chain records per instance: its RAM role, its maintenance
attributes, its renewal settings and how it matches private pools.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# (column, the value rows made before this migration take, as SQL)
COLUMNS: tuple[tuple[sa.Column, str | None], ...] = (
    (sa.Column('ram_role_name', sa.String(length=64), nullable=True), None),
    (sa.Column('maintenance_start', sa.String(length=8), nullable=True), None),
    (sa.Column('maintenance_end', sa.String(length=8), nullable=True), None),
    (sa.Column('maintenance_action', sa.String(length=16), nullable=False), "'AutoRecover'"),
    (sa.Column('notify_on_maintenance', sa.Boolean(), nullable=False), 'false'),
    (sa.Column('renewal_status', sa.String(length=16), nullable=False), "'Normal'"),
    (sa.Column('renewal_duration', sa.Integer(), nullable=False), '0'),
    (sa.Column('renewal_period_unit', sa.String(length=8), nullable=False), "'Month'"),
    (sa.Column('private_pool_match_criteria', sa.String(length=8), nullable=False), "'None'"),
)


def upgrade() -> None:
    for column, existing in COLUMNS:
        # A plain ADD COLUMN (no table rebuild, which on SQLite would drop the triggers of
        # 0003); the server default fills the rows already there and stays (new rows get
        # their values from store/schema.py, as for every other column).
        if existing is not None:
            column.server_default = sa.DefaultClause(sa.text(existing))
        op.add_column('instances', column)


def downgrade() -> None:
    for column, _ in reversed(COLUMNS):
        op.drop_column('instances', column.name)
