"""Each resource's resource group ("" for none): a column of every owned table and of
key_pairs.

Revision ID: 0006
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0003'
branch_labels = None
depends_on = None

GROUPED = ('instances', 'disks', 'snapshots', 'images', 'security_groups', 'vpcs', 'vswitches', 'key_pairs')


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for table in GROUPED:
        # A database rewound to an older revision may hold the column already.
        if any(column['name'] == 'resource_group_id' for column in inspector.get_columns(table)):
            continue
        op.add_column(table, sa.Column('resource_group_id', sa.String(length=64), nullable=False,
                                       server_default=''))


def downgrade() -> None:
    for table in GROUPED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('resource_group_id')
