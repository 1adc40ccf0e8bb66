"""Instance metadata: each instance's metadata options, and the key that signs tokens.

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('instances', sa.Column('metadata_http_endpoint', sa.String(length=8), nullable=False,
                                         server_default='enabled'))
    op.add_column('instances', sa.Column('metadata_http_tokens', sa.String(length=8), nullable=False,
                                         server_default='optional'))
    op.add_column('instances', sa.Column('metadata_hop_limit', sa.Integer(), nullable=False, server_default='1'))
    op.create_table(
        'metadata_token_key',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('secret', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade() -> None:
    op.drop_table('metadata_token_key')
    op.drop_column('instances', 'metadata_hop_limit')
    op.drop_column('instances', 'metadata_http_tokens')
    op.drop_column('instances', 'metadata_http_endpoint')
