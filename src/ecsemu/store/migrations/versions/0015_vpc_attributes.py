"""What the VPC product shows of a VPC: its status, name and description.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('vpcs', sa.Column('status', sa.String(length=16), nullable=False, server_default='Available'))
    op.add_column('vpcs', sa.Column('vpc_name', sa.String(length=128), nullable=False, server_default=''))
    op.add_column('vpcs', sa.Column('description', sa.String(length=256), nullable=False, server_default=''))


def downgrade() -> None:
    op.drop_column('vpcs', 'description')
    op.drop_column('vpcs', 'vpc_name')
    op.drop_column('vpcs', 'status')
