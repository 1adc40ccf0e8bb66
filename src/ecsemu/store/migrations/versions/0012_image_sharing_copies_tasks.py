"""Images shared with other accounts, copies of images (the source they came from), and the
tasks of ImportImage and ExportImage.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('images', sa.Column('copied_from', sa.String(length=64), nullable=True))
    op.create_table(
        'image_shares',
        sa.Column('image_id', sa.String(length=64), nullable=False),
        sa.Column('account_id', sa.String(length=32), nullable=False),
        sa.Column('created_at', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('image_id', 'account_id'),
    )
    op.create_index('ix_image_shares_account', 'image_shares', ['account_id'])
    op.create_table(
        'tasks',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('account_id', sa.String(length=32), nullable=False),
        sa.Column('region_id', sa.String(length=32), nullable=False),
        sa.Column('created_at', sa.Float(), nullable=False),
        sa.Column('task_action', sa.String(length=32), nullable=False),
        sa.Column('resource_id', sa.String(length=64), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('completes_at', sa.Float(), nullable=False),
        sa.Column('related_items', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_tasks_listing', 'tasks', ['account_id', 'region_id', 'created_at', 'id'])


def downgrade() -> None:
    op.drop_index('ix_tasks_listing', table_name='tasks')
    op.drop_table('tasks')
    op.drop_index('ix_image_shares_account', table_name='image_shares')
    op.drop_table('image_shares')
    with op.batch_alter_table('images') as batch:
        batch.drop_column('copied_from')
