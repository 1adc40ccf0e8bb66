"""When ModifyDiskChargeType last changed a disk's billing method: a disk changed once is
not changed again within five minutes.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('disks', sa.Column('charge_type_changed_at', sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('disks') as batch:
        batch.drop_column('charge_type_changed_at')
