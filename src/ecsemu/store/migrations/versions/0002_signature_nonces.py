"""Signature nonces, durable and shared between processes.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('signature_nonces',
    sa.Column('account_id', sa.String(length=32), nullable=False),
    sa.Column('nonce', sa.String(length=128), nullable=False),
    sa.Column('expires_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('account_id', 'nonce')
    )
    op.create_index('ix_signature_nonces_expiry', 'signature_nonces', ['expires_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_signature_nonces_expiry', table_name='signature_nonces')
    op.drop_table('signature_nonces')
