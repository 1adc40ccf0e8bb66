"""ClientTokens of the actions that take one, for idempotent retries (idempotency.py).

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'client_tokens',
        sa.Column('account_id', sa.String(length=32), nullable=False),
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('owner', sa.String(length=36), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('answer', sa.Text(), nullable=True),
        sa.Column('expires_at', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('account_id', 'token'),
    )
    op.create_index('ix_client_tokens_expiry', 'client_tokens', ['expires_at'])


def downgrade() -> None:
    op.drop_index('ix_client_tokens_expiry', table_name='client_tokens')
    op.drop_table('client_tokens')
