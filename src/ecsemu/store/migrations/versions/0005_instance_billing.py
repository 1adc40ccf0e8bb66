"""Instances: subscription expiry, inbound bandwidth and spec downgrades (instance changes).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def _columns() -> tuple[sa.Column, ...]:
    return (
        sa.Column('expired_at', sa.Float(), nullable=True),
        sa.Column('internet_max_bandwidth_in', sa.Integer(), nullable=True),
        sa.Column('spec_downgrades', sa.Integer(), nullable=False, server_default='0'),
    )


def upgrade() -> None:
    with op.batch_alter_table('instances') as batch:
        for column in _columns():
            batch.add_column(column)


def downgrade() -> None:
    with op.batch_alter_table('instances') as batch:
        batch.drop_column('spec_downgrades')
        batch.drop_column('internet_max_bandwidth_in')
        batch.drop_column('expired_at')
