"""Instances: subscription expiry, inbound bandwidth and spec downgrades (instance changes).

Revision ID: 0007
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0003'
branch_labels = None
depends_on = None


def _columns() -> tuple[sa.Column, ...]:
    return (
        sa.Column('expired_at', sa.Float(), nullable=True),
        sa.Column('internet_max_bandwidth_in', sa.Integer(), nullable=True),
        sa.Column('spec_downgrades', sa.Integer(), nullable=False, server_default='0'),
    )


def upgrade() -> None:
    # Only the columns missing: a database whose recorded revision is behind its tables
    # (an interrupted upgrade) is brought to head, not refused.
    present = {column['name'] for column in sa.inspect(op.get_bind()).get_columns('instances')}
    with op.batch_alter_table('instances') as batch:
        for column in _columns():
            if column.name not in present:
                batch.add_column(column)


def downgrade() -> None:
    with op.batch_alter_table('instances') as batch:
        batch.drop_column('spec_downgrades')
        batch.drop_column('internet_max_bandwidth_in')
        batch.drop_column('expired_at')
