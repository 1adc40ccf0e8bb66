"""Secondary elastic network interfaces, and the secondary private IPs of every ENI.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('network_interfaces',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('zone_id', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('vpc_id', sa.String(length=64), nullable=False),
    sa.Column('vswitch_id', sa.String(length=64), nullable=False),
    sa.Column('private_ip', sa.String(length=45), nullable=False),
    sa.Column('network_interface_name', sa.String(length=128), nullable=False),
    sa.Column('description', sa.String(length=256), nullable=False),
    sa.Column('security_group_ids', sa.JSON(), nullable=False),
    sa.Column('instance_id', sa.String(length=64), nullable=True),
    sa.Column('device_index', sa.Integer(), nullable=True),
    sa.Column('queue_number', sa.Integer(), nullable=True),
    sa.Column('traffic_mode', sa.String(length=16), nullable=False),
    sa.Column('delete_on_release', sa.Boolean(), nullable=False),
    sa.Column('source_dest_check', sa.Boolean(), nullable=False),
    sa.Column('account_id', sa.String(length=32), nullable=False),
    sa.Column('region_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.Column('resource_group_id', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_network_interfaces_listing', 'network_interfaces',
                    ['account_id', 'region_id', 'created_at', 'id'], unique=False)
    op.create_index('ix_network_interfaces_instance', 'network_interfaces', ['instance_id'], unique=False)
    op.create_table('secondary_private_ips',
    sa.Column('network_interface_id', sa.String(length=64), nullable=False),
    sa.Column('private_ip', sa.String(length=45), nullable=False),
    sa.Column('vswitch_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('network_interface_id', 'private_ip'),
    sa.UniqueConstraint('vswitch_id', 'private_ip', name='uq_secondary_private_ips_address')
    )


def downgrade() -> None:
    op.drop_table('secondary_private_ips')
    op.drop_index('ix_network_interfaces_instance', table_name='network_interfaces')
    op.drop_index('ix_network_interfaces_listing', table_name='network_interfaces')
    op.drop_table('network_interfaces')
