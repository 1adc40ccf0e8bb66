"""Security group rules, and each group's inner access policy.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('security_groups') as batch:
        batch.add_column(sa.Column('inner_access_policy', sa.String(length=8), nullable=False,
                                   server_default='Accept'))
    op.create_table('security_group_rules',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('security_group_id', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('ip_protocol', sa.String(length=8), nullable=False),
    sa.Column('port_range', sa.String(length=16), nullable=False),
    sa.Column('source_port_range', sa.String(length=16), nullable=False),
    sa.Column('nic_type', sa.String(length=8), nullable=False),
    sa.Column('policy', sa.String(length=8), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('source_cidr_ip', sa.String(length=64), nullable=False),
    sa.Column('ipv6_source_cidr_ip', sa.String(length=64), nullable=False),
    sa.Column('source_group_id', sa.String(length=64), nullable=False),
    sa.Column('source_group_owner_account', sa.String(length=128), nullable=False),
    sa.Column('source_group_owner_id', sa.String(length=32), nullable=False),
    sa.Column('source_prefix_list_id', sa.String(length=64), nullable=False),
    sa.Column('dest_cidr_ip', sa.String(length=64), nullable=False),
    sa.Column('ipv6_dest_cidr_ip', sa.String(length=64), nullable=False),
    sa.Column('dest_group_id', sa.String(length=64), nullable=False),
    sa.Column('dest_group_owner_account', sa.String(length=128), nullable=False),
    sa.Column('dest_group_owner_id', sa.String(length=32), nullable=False),
    sa.Column('dest_prefix_list_id', sa.String(length=64), nullable=False),
    sa.Column('description', sa.String(length=512), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_security_group_rules_group', 'security_group_rules', ['security_group_id', 'created_at'],
                    unique=False)
    op.create_index('ix_security_group_rules_source_group', 'security_group_rules', ['source_group_id'], unique=False)
    op.create_index('ix_security_group_rules_dest_group', 'security_group_rules', ['dest_group_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_security_group_rules_dest_group', table_name='security_group_rules')
    op.drop_index('ix_security_group_rules_source_group', table_name='security_group_rules')
    op.drop_index('ix_security_group_rules_group', table_name='security_group_rules')
    op.drop_table('security_group_rules')
    with op.batch_alter_table('security_groups') as batch:
        batch.drop_column('inner_access_policy')
