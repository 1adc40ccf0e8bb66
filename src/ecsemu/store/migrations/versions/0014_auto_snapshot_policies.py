"""Automatic snapshot policies: the policies, the policy a disk has, and which snapshots a
policy took.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'auto_snapshot_policies',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('policy_name', sa.String(length=128), nullable=False),
        sa.Column('time_points', sa.JSON(), nullable=False),
        sa.Column('repeat_weekdays', sa.JSON(), nullable=False),
        sa.Column('retention_days', sa.Integer(), nullable=False),
        sa.Column('enable_cross_region_copy', sa.Boolean(), nullable=False),
        sa.Column('target_copy_regions', sa.JSON(), nullable=False),
        sa.Column('copied_snapshots_retention_days', sa.Integer(), nullable=False),
        sa.Column('copy_encrypted', sa.Boolean(), nullable=False),
        sa.Column('copy_kms_key_id', sa.String(length=128), nullable=False),
        sa.Column('next_fire_at', sa.Float(), nullable=False),
        sa.Column('account_id', sa.String(length=32), nullable=False),
        sa.Column('region_id', sa.String(length=32), nullable=False),
        sa.Column('created_at', sa.Float(), nullable=False),
        sa.Column('resource_group_id', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_auto_snapshot_policies_listing', 'auto_snapshot_policies',
                    ['account_id', 'region_id', 'created_at', 'id'])
    op.create_index('ix_auto_snapshot_policies_due', 'auto_snapshot_policies', ['next_fire_at'])
    op.add_column('disks', sa.Column('auto_snapshot_policy_id', sa.String(length=64), nullable=True))
    op.create_index('ix_disks_auto_snapshot_policy', 'disks', ['auto_snapshot_policy_id'])
    # server_default fills the snapshots already there: all were taken by hand
    op.add_column('snapshots', sa.Column('snapshot_type', sa.String(length=8), nullable=False,
                                         server_default='user'))
    op.add_column('snapshots', sa.Column('auto_snapshot_policy_id', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('snapshots') as batch:
        batch.drop_column('auto_snapshot_policy_id')
        batch.drop_column('snapshot_type')
    op.drop_index('ix_disks_auto_snapshot_policy', table_name='disks')
    with op.batch_alter_table('disks') as batch:
        batch.drop_column('auto_snapshot_policy_id')
    op.drop_index('ix_auto_snapshot_policies_due', table_name='auto_snapshot_policies')
    op.drop_index('ix_auto_snapshot_policies_listing', table_name='auto_snapshot_policies')
    op.drop_table('auto_snapshot_policies')
