"""The database's identity to shared storage: the RBD namespace of --storage rbd.

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'storage_identity',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('rbd_namespace', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade() -> None:
    op.drop_table('storage_identity')
