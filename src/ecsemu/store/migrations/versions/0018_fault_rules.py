"""Fault rules: what the control plane adds to make calls fail on purpose.

Revision ID: 0018
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'fault_rules',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('created_at', sa.Float(), nullable=False),
        sa.Column('rule', sa.JSON(), nullable=False),
        sa.Column('remaining', sa.BigInteger(), nullable=True),
        sa.Column('matches', sa.BigInteger(), nullable=False),
        sa.Column('injected', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade() -> None:
    op.drop_table('fault_rules')
