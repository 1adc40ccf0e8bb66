"""Each resource's resource group ("" for none): a column of every owned table and of
key_pairs.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

GROUPED = ('instances', 'disks', 'snapshots', 'images', 'security_groups', 'vpcs', 'vswitches', 'key_pairs')


def upgrade() -> None:
    for table in GROUPED:
        op.add_column(table, sa.Column('resource_group_id', sa.String(length=64), nullable=False,
                                       server_default=''))


def downgrade() -> None:
    for table in GROUPED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('resource_group_id')
