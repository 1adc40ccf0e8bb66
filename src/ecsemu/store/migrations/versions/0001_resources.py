"""Resources: instances, disks, snapshots, images, key pairs, networks, tags, timed transitions.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('disks',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('zone_id', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('disk_type', sa.String(length=8), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('performance_level', sa.String(length=4), nullable=True),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.String(length=64), nullable=True),
    sa.Column('device', sa.String(length=32), nullable=True),
    sa.Column('delete_with_instance', sa.Boolean(), nullable=False),
    sa.Column('delete_auto_snapshot', sa.Boolean(), nullable=False),
    sa.Column('portable', sa.Boolean(), nullable=False),
    sa.Column('encrypted', sa.Boolean(), nullable=False),
    sa.Column('charge_type', sa.String(length=16), nullable=False),
    sa.Column('source_image_id', sa.String(length=128), nullable=True),
    sa.Column('source_snapshot_id', sa.String(length=64), nullable=True),
    sa.Column('disk_name', sa.String(length=128), nullable=False),
    sa.Column('description', sa.String(length=256), nullable=False),
    sa.Column('attached_at', sa.Float(), nullable=True),
    sa.Column('detached_at', sa.Float(), nullable=True),
    sa.Column('ever_attached', sa.Boolean(), nullable=False),
    sa.Column('base_layer_id', sa.String(length=200), nullable=True),
    sa.Column('account_id', sa.String(length=32), nullable=False),
    sa.Column('region_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('instance_id', 'device', name='uq_disks_device')
    )
    with op.batch_alter_table('disks', schema=None) as batch_op:
        batch_op.create_index('ix_disks_base_layer', ['base_layer_id'], unique=False)
        batch_op.create_index('ix_disks_instance', ['instance_id'], unique=False)
        batch_op.create_index('ix_disks_listing', ['account_id', 'region_id', 'created_at', 'id'], unique=False)

    op.create_table('images',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('image_name', sa.String(length=128), nullable=False),
    sa.Column('description', sa.String(length=256), nullable=False),
    sa.Column('os_type', sa.String(length=16), nullable=False),
    sa.Column('platform', sa.String(length=64), nullable=False),
    sa.Column('os_name', sa.String(length=128), nullable=False),
    sa.Column('architecture', sa.String(length=16), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('source_snapshot_id', sa.String(length=64), nullable=True),
    sa.Column('source_instance_id', sa.String(length=64), nullable=True),
    sa.Column('disk_device_mappings', sa.JSON(), nullable=False),
    sa.Column('completes_at', sa.Float(), nullable=False),
    sa.Column('layer_id', sa.String(length=200), nullable=True),
    sa.Column('account_id', sa.String(length=32), nullable=False),
    sa.Column('region_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('images', schema=None) as batch_op:
        batch_op.create_index('ix_images_layer', ['layer_id'], unique=False)
        batch_op.create_index('ix_images_listing', ['account_id', 'region_id', 'created_at', 'id'], unique=False)

    op.create_table('instance_locks',
    sa.Column('instance_id', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('instance_id', 'reason')
    )
    op.create_table('instances',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('zone_id', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('instance_type', sa.String(length=64), nullable=False),
    sa.Column('image_id', sa.String(length=128), nullable=False),
    sa.Column('os_type', sa.String(length=16), nullable=False),
    sa.Column('instance_name', sa.String(length=128), nullable=False),
    sa.Column('description', sa.String(length=256), nullable=False),
    sa.Column('host_name', sa.String(length=64), nullable=False),
    sa.Column('start_time', sa.Float(), nullable=True),
    sa.Column('charge_type', sa.String(length=16), nullable=False),
    sa.Column('internet_charge_type', sa.String(length=16), nullable=False),
    sa.Column('internet_max_bandwidth_out', sa.Integer(), nullable=False),
    sa.Column('public_ip', sa.String(length=45), nullable=True),
    sa.Column('vpc_id', sa.String(length=64), nullable=False),
    sa.Column('vswitch_id', sa.String(length=64), nullable=False),
    sa.Column('private_ip', sa.String(length=45), nullable=False),
    sa.Column('security_group_ids', sa.JSON(), nullable=False),
    sa.Column('key_pair_name', sa.String(length=128), nullable=True),
    sa.Column('password_hash', sa.String(length=256), nullable=True),
    sa.Column('user_data', sa.Text(), nullable=True),
    sa.Column('deletion_protection', sa.Boolean(), nullable=False),
    sa.Column('spot_strategy', sa.String(length=32), nullable=False),
    sa.Column('stopped_mode', sa.String(length=32), nullable=False),
    sa.Column('account_id', sa.String(length=32), nullable=False),
    sa.Column('region_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('instances', schema=None) as batch_op:
        batch_op.create_index('ix_instances_listing', ['account_id', 'region_id', 'created_at', 'id'], unique=False)

    op.create_table('key_pairs',
    sa.Column('account_id', sa.String(length=32), nullable=False),
    sa.Column('region_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('fingerprint', sa.String(length=128), nullable=False),
    sa.Column('public_key', sa.Text(), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('account_id', 'region_id', 'name')
    )
    op.create_table('layers',
    sa.Column('id', sa.String(length=200), nullable=False),
    sa.Column('parent_id', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('layers', schema=None) as batch_op:
        batch_op.create_index('ix_layers_parent', ['parent_id'], unique=False)

    op.create_table('released_snapshots',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('released_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('resource_tags',
    sa.Column('resource_id', sa.String(length=300), nullable=False),
    sa.Column('tag_key', sa.String(length=128), nullable=False),
    sa.Column('tag_value', sa.String(length=128), nullable=False),
    sa.PrimaryKeyConstraint('resource_id', 'tag_key')
    )
    with op.batch_alter_table('resource_tags', schema=None) as batch_op:
        batch_op.create_index('ix_resource_tags_key', ['tag_key', 'tag_value'], unique=False)

    op.create_table('security_groups',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('vpc_id', sa.String(length=64), nullable=False),
    sa.Column('security_group_name', sa.String(length=128), nullable=False),
    sa.Column('description', sa.String(length=256), nullable=False),
    sa.Column('security_group_type', sa.String(length=16), nullable=False),
    sa.Column('account_id', sa.String(length=32), nullable=False),
    sa.Column('region_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('security_groups', schema=None) as batch_op:
        batch_op.create_index('ix_security_groups_listing', ['account_id', 'region_id', 'created_at', 'id'],
                              unique=False)

    op.create_table('snapshots',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('snapshot_name', sa.String(length=128), nullable=False),
    sa.Column('description', sa.String(length=256), nullable=False),
    sa.Column('source_disk_id', sa.String(length=64), nullable=False),
    sa.Column('source_disk_type', sa.String(length=8), nullable=False),
    sa.Column('source_disk_size', sa.Integer(), nullable=False),
    sa.Column('source_disk_category', sa.String(length=40), nullable=False),
    sa.Column('completes_at', sa.Float(), nullable=False),
    sa.Column('hold', sa.Boolean(), nullable=False),
    sa.Column('retention_days', sa.Integer(), nullable=True),
    sa.Column('expires_at', sa.Float(), nullable=True),
    sa.Column('layer_id', sa.String(length=200), nullable=True),
    sa.Column('account_id', sa.String(length=32), nullable=False),
    sa.Column('region_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('snapshots', schema=None) as batch_op:
        batch_op.create_index('ix_snapshots_disk', ['source_disk_id'], unique=False)
        batch_op.create_index('ix_snapshots_expiry', ['expires_at'], unique=False)
        batch_op.create_index('ix_snapshots_layer', ['layer_id'], unique=False)
        batch_op.create_index('ix_snapshots_listing', ['account_id', 'region_id', 'created_at', 'id'], unique=False)

    op.create_table('transitions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('resource', sa.String(length=16), nullable=False),
    sa.Column('resource_id', sa.String(length=64), nullable=False),
    sa.Column('expect', sa.String(length=16), nullable=False),
    sa.Column('target', sa.String(length=16), nullable=False),
    sa.Column('guard', sa.JSON(), nullable=False),
    sa.Column('assign', sa.JSON(), nullable=False),
    sa.Column('due_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('transitions', schema=None) as batch_op:
        batch_op.create_index('ix_transitions_due', ['due_at'], unique=False)
        batch_op.create_index('ix_transitions_resource', ['resource_id'], unique=False)

    op.create_table('vpcs',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('cidr_block', sa.String(length=43), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('account_id', sa.String(length=32), nullable=False),
    sa.Column('region_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('vswitches',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('vpc_id', sa.String(length=64), nullable=False),
    sa.Column('zone_id', sa.String(length=32), nullable=False),
    sa.Column('cidr_block', sa.String(length=43), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('next_host', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.String(length=32), nullable=False),
    sa.Column('region_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    op.drop_table('vswitches')
    op.drop_table('vpcs')
    with op.batch_alter_table('transitions', schema=None) as batch_op:
        batch_op.drop_index('ix_transitions_resource')
        batch_op.drop_index('ix_transitions_due')

    op.drop_table('transitions')
    with op.batch_alter_table('snapshots', schema=None) as batch_op:
        batch_op.drop_index('ix_snapshots_listing')
        batch_op.drop_index('ix_snapshots_layer')
        batch_op.drop_index('ix_snapshots_expiry')
        batch_op.drop_index('ix_snapshots_disk')

    op.drop_table('snapshots')
    with op.batch_alter_table('security_groups', schema=None) as batch_op:
        batch_op.drop_index('ix_security_groups_listing')

    op.drop_table('security_groups')
    with op.batch_alter_table('resource_tags', schema=None) as batch_op:
        batch_op.drop_index('ix_resource_tags_key')

    op.drop_table('resource_tags')
    op.drop_table('released_snapshots')
    with op.batch_alter_table('layers', schema=None) as batch_op:
        batch_op.drop_index('ix_layers_parent')

    op.drop_table('layers')
    op.drop_table('key_pairs')
    with op.batch_alter_table('instances', schema=None) as batch_op:
        batch_op.drop_index('ix_instances_listing')

    op.drop_table('instances')
    op.drop_table('instance_locks')
    with op.batch_alter_table('images', schema=None) as batch_op:
        batch_op.drop_index('ix_images_listing')
        batch_op.drop_index('ix_images_layer')

    op.drop_table('images')
    with op.batch_alter_table('disks', schema=None) as batch_op:
        batch_op.drop_index('ix_disks_listing')
        batch_op.drop_index('ix_disks_instance')
        batch_op.drop_index('ix_disks_base_layer')

    op.drop_table('disks')
