"""What the emulator did to each instance: its system events and boot log.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('instance_events',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.String(length=32), nullable=False),
    sa.Column('region_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.Column('instance_id', sa.String(length=64), nullable=False),
    sa.Column('happening', sa.String(length=16), nullable=False),
    sa.Column('event_type', sa.String(length=32), nullable=True),
    sa.Column('not_before', sa.Float(), nullable=False),
    sa.Column('finished_at', sa.Float(), nullable=False),
    sa.Column('disk_id', sa.String(length=64), nullable=True),
    sa.Column('device', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_instance_events_listing', 'instance_events',
                    ['account_id', 'region_id', 'created_at', 'id'], unique=False)
    op.create_index('ix_instance_events_instance', 'instance_events', ['instance_id', 'created_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_instance_events_instance', table_name='instance_events')
    op.drop_index('ix_instance_events_listing', table_name='instance_events')
    op.drop_table('instance_events')
