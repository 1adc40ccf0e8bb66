"""What the VPC product shows of a vSwitch (status, name, description) and of a VPC's
System route table (name, description).

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('vswitches', sa.Column('status', sa.String(length=16), nullable=False, server_default='Available'))
    op.add_column('vswitches', sa.Column('vswitch_name', sa.String(length=128), nullable=False, server_default=''))
    op.add_column('vswitches', sa.Column('description', sa.String(length=256), nullable=False, server_default=''))
    op.add_column('vpcs', sa.Column('route_table_name', sa.String(length=128), nullable=False, server_default=''))
    op.add_column('vpcs', sa.Column('route_table_description', sa.String(length=256), nullable=False,
                                    server_default=''))


def downgrade() -> None:
    op.drop_column('vpcs', 'route_table_description')
    op.drop_column('vpcs', 'route_table_name')
    op.drop_column('vswitches', 'description')
    op.drop_column('vswitches', 'vswitch_name')
    op.drop_column('vswitches', 'status')
